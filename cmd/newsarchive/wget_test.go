package main

import (
	"encoding/json"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/internal/citest"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// TestImportWgetWARC imports a WARC written by GNU wget (--warc-file) from the
// fixture site on loopback: another crawler's WARC/1.0 records, its own
// request and response framing and its own digests.
func TestImportWgetWARC(t *testing.T) {
	wget, err := exec.LookPath("wget")
	if err != nil {
		citest.SkipOrFail(t, "wget not installed (apt-get install wget); .ci/run installs it")
	}
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	cmd := exec.CommandContext(t.Context(), wget, "--recursive", "--level=inf", "--no-verbose", "--no-host-directories",
		"--delete-after", "--directory-prefix", filepath.Join(dir, "mirror"), "--no-warc-keep-log",
		"--warc-file", filepath.Join(dir, "site"), srv.URL+"/")
	if out, err := cmd.CombinedOutput(); err != nil {
		// wget exits 8 when some links answered 4xx; the WARC is still complete.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 8 {
			t.Fatalf("wget: %v\n%s", err, out)
		}
	}
	db := filepath.Join(dir, "a.db")
	code, out, stderr := runCmd(t, "import", "--db", db, "--json", "--quiet", filepath.Join(dir, "site.warc.gz"))
	if code != 0 {
		t.Fatalf("import exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Malformed != 0 {
		t.Errorf("wget WARC: %d malformed records", sum.Malformed)
	}
	// wget follows HTML links only (no sitemaps): every article it fetched
	// is archived once.
	requested := map[string]bool{}
	for _, line := range site.RequestLog() {
		_, p, _ := strings.Cut(line, " ")
		requested[p] = true
	}
	got := archivedArticles(t, db)
	fetched := 0
	for _, u := range fixtureArticles(t) {
		if !requested[strings.TrimPrefix(u, "https://www.tesmanian.com")] {
			continue
		}
		fetched++
		if got[u] != 1 {
			t.Errorf("article %s fetched by wget, archived %d times, want 1", u, got[u])
		}
	}
	if fetched < 8 || len(got) != fetched {
		t.Errorf("wget fetched %d fixture articles, %d archived", fetched, len(got))
	}
	checkPageLocations(t, db)
	integrityOK(t, db)
}
