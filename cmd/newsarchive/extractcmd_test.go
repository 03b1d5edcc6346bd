package main

import (
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

const referencePath = "/blogs/tesmanian-blog/the-kremlin-considers-elon-musks-clubhouse-chat-invite-to-russian-president-vladimir-putin-a-very-interesting-proposal"

func TestExtractFile(t *testing.T) {
	file := filepath.Join("..", "..", "testdata", "site", filepath.FromSlash(strings.TrimPrefix(referencePath, "/"))+".html")
	code, out, stderr := runCmd(t, "extract", "--json", "--url", "https://www.tesmanian.com"+referencePath, file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a extract.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("output is not one JSON record: %v\n%s", err, out)
	}
	if a.Title != "The Kremlin Considers Elon Musk’s Clubhouse Chat Invite to Russian President Vladimir Putin 'a very interesting proposal'" {
		t.Errorf("title = %q", a.Title)
	}
	if len(a.Editors) != 1 || a.Editors[0].Handle != "SmokeyShorts" {
		t.Errorf("editors = %+v", a.Editors)
	}

	// Readable text by default.
	code, out, _ = runCmd(t, "extract", "--url", "https://www.tesmanian.com"+referencePath, file)
	if code != 0 || !strings.Contains(out, "Editor:") || !strings.Contains(out, "Eva Fox") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}

func TestExtractURLObeysRobots(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()

	code, out, stderr := runCmd(t, "extract", "--json", srv.URL+referencePath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a extract.Article
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("output: %v\n%s", err, out)
	}
	if a.CanonicalURL != "https://www.tesmanian.com"+referencePath || len(a.Authors) == 0 || a.Authors[0].Name != "Eva Fox" {
		t.Errorf("record: canonical %q authors %+v", a.CanonicalURL, a.Authors)
	}
	if n := site.Requests(referencePath); n != 1 {
		t.Errorf("page requested %d times, want once", n)
	}
	if site.Requests("/robots.txt") != 1 {
		t.Errorf("robots.txt requested %d times, want once", site.Requests("/robots.txt"))
	}

	// robots.txt forbids /account: the page is refused without a request.
	code, _, stderr = runCmd(t, "extract", srv.URL+"/account/login")
	if code == 0 || !strings.Contains(stderr, "robots") {
		t.Errorf("forbidden URL: exit %d, stderr %q; want a failure naming robots", code, stderr)
	}
	if n := site.Requests("/account/login"); n != 0 {
		t.Errorf("robots-forbidden page requested %d times", n)
	}
}
