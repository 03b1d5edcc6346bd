package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
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

// requisiteCrawl crawls the fixture site (its stylesheets and images served
// on loopback) with --warc and page requisites, then re-crawls it
// conditionally, and returns the site, its server, the archive and the WARC
// directory, and the two crawls' summaries.
func requisiteCrawl(t *testing.T) (site *testsite.Site, srv *httptest.Server, db, warcDir string, first, second crawlSummary) {
	t.Helper()
	site = testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true, LocalAssets: true})
	srv = httptest.NewServer(site)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	db, warcDir = filepath.Join(dir, "a.db"), filepath.Join(dir, "warc")
	first = crawlJSON(t, db, "--warc", warcDir, "--page-requisites", srv.URL+"/")
	// Index timestamps have whole seconds: the re-crawl's captures must
	// come after the first crawl's.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	second = crawlJSON(t, db, "--warc", warcDir, srv.URL+"/") // on by default with --warc
	return site, srv, db, warcDir, first, second
}

// TestCrawlPageRequisites: with --page-requisites the stylesheets (and the
// image they use), images and icons of the fixture's pages are fetched once
// per crawl, archived as pages rows (not articles, not crawled for links),
// written to the WARC (the re-crawl's 304s as revisits), and exported in the
// WACZ, whose pages.jsonl still lists only the articles.
func TestCrawlPageRequisites(t *testing.T) {
	site, srv, db, warcDir, first, second := requisiteCrawl(t)
	if off := sqlLines(t, db, `SELECT url FROM frontier WHERE url NOT LIKE ?`, srv.URL+"/%"); len(off) > 0 {
		t.Errorf("the crawl left loopback: %q", off)
	}
	articles := fixtureArticles(t)
	for i, s := range []crawlSummary{first, second} {
		if s.Requisites == 0 || s.Articles != int64(len(articles)) {
			t.Errorf("crawl %d: %d requisites, %d articles; want requisites and the %d articles", i+1, s.Requisites, s.Articles, len(articles))
		}
	}
	if second.NewArticles != 0 || second.NewVersions != 0 {
		t.Errorf("re-crawl: %d new articles, %d new versions", second.NewArticles, second.NewVersions)
	}
	for _, p := range site.RequestLog() {
		if !strings.HasPrefix(p, "/cdn") {
			continue
		}
		// Two crawls: at most one request per crawl.
		if n := site.Requests(p); n > 2 {
			t.Errorf("requisite %s requested %d times in two crawls", p, n)
		}
	}

	const css = "/cdn/shop/t/45/assets/theme.css?v=104587423196551234521712057811"
	got := strings.Join(sqlLines(t, db, `SELECT p.status, p.content_type, p.not_modified, f.kind FROM pages p
		JOIN frontier f ON f.url = p.url WHERE p.url = ? ORDER BY p.id`, srv.URL+css), ",")
	if want := "200 text/css 0 requisite,304 text/css 1 requisite"; got != want {
		t.Errorf("stylesheet rows %q, want %q", got, want)
	}
	if n := sqlLines(t, db, `SELECT count(*) FROM pages p JOIN aliases a ON a.url IN (p.url, p.final_url)
		WHERE p.content_type <> 'text/html'`)[0]; n != "0" {
		t.Errorf("%s requisites became articles", n)
	}
	if n := sqlLines(t, db, `SELECT count(*) FROM frontier WHERE kind = 'requisite' AND state = 'done'
		AND url = ?`, srv.URL+"/cdn/shop/t/45/assets/texture.png")[0]; n != "1" {
		t.Errorf("the stylesheet's own image: %s done entries, want 1", n)
	}

	byType := validateWARCs(t, warcFiles(t, warcDir))
	uris := map[string]bool{}
	for _, typ := range []string{"response", "revisit"} {
		for _, r := range byType[typ] {
			uris[r.header.Get("WARC-Target-URI")+" "+typ+" "+r.header.Get("WARC-Profile")] = true
		}
	}
	if !uris[srv.URL+css+" response "] || !uris[srv.URL+css+" revisit "+warc.ProfileNotModified] {
		t.Errorf("the stylesheet's response and not-modified revisit are not both in the WARC files")
	}

	out := filepath.Join(t.TempDir(), "a.wacz")
	if code, _, stderr := runCmd(t, "export", "--db", db, "--format", "wacz", "--output", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	files := readZip(t, out)
	indexed := map[string]bool{}
	for _, l := range parseCDXJ(t, files["indexes/index.cdxj"]) {
		indexed[l.js["url"]+" "+l.js["mime"]] = true
	}
	if !indexed[srv.URL+css+" text/css"] || !indexed[srv.URL+css+" warc/revisit"] {
		t.Error("the stylesheet's capture and revisit are not both in the WACZ index")
	}
	pages := 0
	sc := bufio.NewScanner(bytes.NewReader(files["pages/pages.jsonl"]))
	for sc.Scan() {
		var p struct{ URL, Format string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		if p.Format != "" {
			continue
		}
		pages++
		if strings.Contains(p.URL, "/cdn") {
			t.Errorf("pages.jsonl lists a requisite: %s", p.URL)
		}
	}
	if pages != len(articles) {
		t.Errorf("pages.jsonl lists %d pages, want the %d articles", pages, len(articles))
	}
}

// sqlLines runs a read-only query on db and returns each row's values
// joined by spaces.
func sqlLines(t *testing.T, db, query string, args ...any) []string {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(t.Context(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
