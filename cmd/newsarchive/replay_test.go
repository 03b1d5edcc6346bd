package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/warc"
)

// readZip returns the files of a zip archive by name.
func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}

// cdxjLine is a parsed line of a CDXJ index.
type cdxjLine struct {
	key, ts string
	js      map[string]string
}

func parseCDXJ(t *testing.T, b []byte) []cdxjLine {
	t.Helper()
	var out []cdxjLine
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), " ", 3)
		if len(parts) != 3 {
			t.Fatalf("bad CDXJ line %q", sc.Text())
		}
		l := cdxjLine{key: parts[0], ts: parts[1]}
		if err := json.Unmarshal([]byte(parts[2]), &l.js); err != nil {
			t.Fatalf("CDXJ %q: %v", parts[2], err)
		}
		out = append(out, l)
	}
	return out
}

// TestRecrawlNotModifiedRevisits: a conditional re-crawl's 304s are
// written as revisit records of the server-not-modified profile referring
// to the capture they confirm (checked with the independent reader), and
// the WACZ index gives each the status of that capture and resolves its
// refers-to fields to that capture's line: the newest capture of every
// article replays as the article, not as an empty 304.
func TestRecrawlNotModifiedRevisits(t *testing.T) {
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true}))
	defer srv.Close()
	dir := t.TempDir()
	db, warcDir := filepath.Join(dir, "a.db"), filepath.Join(dir, "warc")
	crawlWARC(t, srv.URL+"/", db, warcDir)
	crawlWARC(t, srv.URL+"/", db, warcDir)

	files := warcFiles(t, warcDir)
	byType := validateWARCs(t, files)
	notModified := 0
	type capture struct{ file, ts string }
	revisitOf := map[capture]iaRecord{} // by file name and offset
	for _, r := range byType["revisit"] {
		if r.header.Get("WARC-Profile") == warc.ProfileNotModified {
			notModified++
			revisitOf[capture{filepath.Base(r.file), strconv.FormatInt(r.offset, 10)}] = r
		}
	}
	for _, r := range byType["response"] {
		if st, _ := payloadOf(t, r.block); st == 304 {
			t.Errorf("a 304 for %s is written as a response record", r.header.Get("WARC-Target-URI"))
		}
	}
	articles := fixtureArticles(t)
	if notModified < len(articles) {
		t.Fatalf("%d not-modified revisits after an unchanged re-crawl of %d articles", notModified, len(articles))
	}

	out := filepath.Join(dir, "a.wacz")
	if code, _, stderr := runCmd(t, "export", "--db", db, "--format", "wacz", "--output", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	lines := parseCDXJ(t, readZip(t, out)["indexes/index.cdxj"])
	type at struct{ url, ts string }
	originals := map[at]cdxjLine{}
	newest := map[string]cdxjLine{}
	for _, l := range lines {
		if l.js["mime"] != "warc/revisit" {
			originals[at{l.js["url"], l.ts}] = l
		}
		if n, ok := newest[l.js["url"]]; !ok || l.ts >= n.ts {
			newest[l.js["url"]] = l
		}
	}
	indexed := 0
	for _, l := range lines {
		r, ok := revisitOf[capture{l.js["filename"], l.js["offset"]}]
		if !ok {
			continue
		}
		indexed++
		if l.js["mime"] != "warc/revisit" || l.js["url"] != r.header.Get("WARC-Target-URI") {
			t.Errorf("index line %v does not describe the revisit of %s", l.js, r.header.Get("WARC-Target-URI"))
		}
		ts := strings.NewReplacer("-", "", "T", "", ":", "").Replace(r.header.Get("WARC-Refers-To-Date"))[:14]
		orig, ok := originals[at{r.header.Get("WARC-Refers-To-Target-URI"), ts}]
		if !ok {
			t.Errorf("revisit of %s: no index line for the capture it confirms (%s at %s)", l.js["url"], r.header.Get("WARC-Refers-To-Target-URI"), ts)
			continue
		}
		if l.js["status"] != orig.js["status"] || orig.js["status"] != "200" {
			t.Errorf("revisit of %s indexed with status %q; the capture it confirms has %q", l.js["url"], l.js["status"], orig.js["status"])
		}
	}
	if indexed != notModified {
		t.Errorf("%d of %d not-modified revisits indexed", indexed, notModified)
	}
	for _, u := range articles {
		u = srv.URL + strings.TrimPrefix(u, "https://www.tesmanian.com")
		n, ok := newest[u]
		if !ok {
			t.Errorf("%s not indexed", u)
			continue
		}
		if n.js["mime"] != "warc/revisit" || n.js["status"] != "200" {
			t.Errorf("newest capture of %s: %v; want the re-crawl's revisit, status 200", u, n.js)
		}
	}
}
