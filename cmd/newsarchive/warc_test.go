package main

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	iawarc "github.com/internetarchive/gowarc"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/warc"
)

// The WARC files written by crawl --warc are checked with the Internet
// Archive's gowarc reader, a different library from the one that writes
// them (nlnwa/gowarc), so a framing bug shared by writer and reader cannot
// hide.

// iaRecord is one record as read by the independent reader.
type iaRecord struct {
	file    string
	offset  int64
	size    int64
	version string
	header  iawarc.Header
	block   []byte
}

// readWARCsIndependently reads every record of every *.warc.gz in dir.
func readWARCsIndependently(t *testing.T, files []string) []iaRecord {
	t.Helper()
	var out []iaRecord
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := iawarc.NewReader(fh)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for {
			rec, err := r.ReadRecord()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: record after %d: %v", filepath.Base(f), len(out), err)
			}
			if _, err := rec.Content.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rec.Content)
			if err != nil {
				t.Fatal(err)
			}
			rec.Content.Close()
			out = append(out, iaRecord{file: f, offset: rec.Offset, size: rec.Size, version: rec.Version, header: rec.Header, block: b})
		}
		r.Close()
		fh.Close()
	}
	return out
}

func sha1B32(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// payloadOf returns the entity body of an HTTP response block (chunked
// encoding removed, content encoding kept), parsed by net/http.
func payloadOf(t *testing.T, block []byte) (int, []byte) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(block)), nil)
	if err != nil {
		t.Fatalf("HTTP response block: %v\n%q", err, block[:min(len(block), 200)])
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("HTTP response body: %v", err)
	}
	return resp.StatusCode, body
}

func warcFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no WARC files in %s (%v)", dir, err)
	}
	if open, _ := filepath.Glob(filepath.Join(dir, "*.open")); len(open) > 0 {
		t.Fatalf("files left open: %v", open)
	}
	return files
}

// dupSite serves two URLs with the same page, so the crawl writes a revisit.
func dupSite() http.Handler {
	mux := http.NewServeMux()
	page := func(title string) string {
		return `<!doctype html><html><head><title>` + title + `</title></head><body><article><h1>` + title +
			`</h1><p>` + strings.Repeat("Same words on every copy of this page. ", 40) + `</p></article></body></html>`
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><body><a href="/a">a</a> <a href="/b">b</a> <a href="/old">old</a></body></html>`)
	})
	same := page("Twin")
	for _, p := range []string{"/a", "/b"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, same)
		})
	}
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page("Moved"))
	})
	return mux
}

// crawlWARC crawls url into db with --warc dir and extra flags.
func crawlWARC(t *testing.T, url, db, dir string, extra ...string) {
	t.Helper()
	args := []string{"crawl", "--db", db, "--delay", "0", "--quiet", "--json", "--warc", dir}
	if !slices.ContainsFunc(extra, func(a string) bool { return strings.HasPrefix(a, "--page-requisites") }) {
		// The fixture's pages load their stylesheets and images from the
		// real site's hosts: only a fixture with LocalAssets may be crawled
		// with requisites (on by default with --warc).
		args = append(args, "--page-requisites=false")
	}
	args = append(args, extra...)
	code, out, stderr := runCmd(t, append(args, url)...)
	if code != 0 {
		t.Fatalf("crawl exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
}

// validateWARCs checks every record of files with the independent reader:
// it parses, its block digest matches, response payload digests match,
// requests and responses are linked both ways with WARC-Concurrent-To, every
// record names its file's warcinfo, and revisits refer to an earlier
// response with the same payload digest. It returns the records by type.
func validateWARCs(t *testing.T, files []string) map[string][]iaRecord {
	t.Helper()
	recs := readWARCsIndependently(t, files)
	byID := map[string]iaRecord{}
	byType := map[string][]iaRecord{}
	infoOf := map[string]string{}
	for _, r := range recs {
		id := r.header.Get("WARC-Record-ID")
		if r.version != "WARC/1.1" {
			t.Errorf("%s: version %q", id, r.version)
		}
		if _, dup := byID[id]; dup || id == "" {
			t.Errorf("record id %q missing or repeated", id)
		}
		byID[id] = r
		typ := r.header.Get("WARC-Type")
		byType[typ] = append(byType[typ], r)
		if got, want := sha1B32(r.block), r.header.Get("WARC-Block-Digest"); got != want {
			t.Errorf("%s %s: block digest %s, computed %s", typ, id, want, got)
		}
		if typ == "warcinfo" {
			if _, ok := infoOf[r.file]; ok {
				t.Errorf("%s: two warcinfo records", r.file)
			}
			if r.offset != 0 {
				t.Errorf("%s: warcinfo at offset %d, want 0", r.file, r.offset)
			}
			infoOf[r.file] = id
			if !bytes.Contains(r.block, []byte("software: newsarchive/")) {
				t.Errorf("warcinfo lacks the software field:\n%s", r.block)
			}
		}
	}
	for _, r := range recs {
		typ := r.header.Get("WARC-Type")
		if typ != "warcinfo" && r.header.Get("WARC-Warcinfo-ID") != infoOf[r.file] {
			t.Errorf("%s in %s: warcinfo id %q, want %q", typ, r.file, r.header.Get("WARC-Warcinfo-ID"), infoOf[r.file])
		}
		switch typ {
		case "response":
			_, body := payloadOf(t, r.block)
			if pd := r.header.Get("WARC-Payload-Digest"); len(body) > 0 && pd != sha1B32(body) {
				t.Errorf("response %s: payload digest %s, computed %s", r.header.Get("WARC-Target-URI"), pd, sha1B32(body))
			}
			fallthrough
		case "revisit":
			req, ok := byID[r.header.Get("WARC-Concurrent-To")]
			if !ok || req.header.Get("WARC-Type") != "request" {
				t.Errorf("%s %s: WARC-Concurrent-To %q is not a request", typ, r.header.Get("WARC-Target-URI"), r.header.Get("WARC-Concurrent-To"))
				continue
			}
			if req.header.Get("WARC-Concurrent-To") != r.header.Get("WARC-Record-ID") {
				t.Errorf("request for %s does not link back to its response", r.header.Get("WARC-Target-URI"))
			}
			if req.header.Get("WARC-Target-URI") != r.header.Get("WARC-Target-URI") {
				t.Errorf("request %s / response %s: target URIs differ", req.header.Get("WARC-Target-URI"), r.header.Get("WARC-Target-URI"))
			}
			if r.header.Get("WARC-Profile") == warc.ProfileNotModified {
				// A 304 confirming an earlier capture: no block, and the
				// request was conditional.
				if len(r.block) != 0 || !bytes.HasPrefix(req.block, []byte("GET ")) ||
					!(bytes.Contains(req.block, []byte("\r\nIf-None-Match: ")) || bytes.Contains(req.block, []byte("\r\nIf-Modified-Since: "))) {
					t.Errorf("not-modified revisit %s: %d-byte block, or its request is not conditional:\n%s", r.header.Get("WARC-Target-URI"), len(r.block), req.block)
				}
			} else if !bytes.HasPrefix(req.block, []byte("GET ")) || !bytes.HasPrefix(r.block, []byte("HTTP/1.1 ")) {
				t.Errorf("%s: request or response block is not a wire HTTP/1.1 message", r.header.Get("WARC-Target-URI"))
			}
		}
		if typ == "revisit" && r.header.Get("WARC-Profile") == warc.ProfileNotModified {
			// WARC 1.1 §6.7.3: refers to the capture it confirms, by id,
			// target URI and date; no payload digest (it has no payload).
			orig, ok := byID[r.header.Get("WARC-Refers-To")]
			if !ok || orig.header.Get("WARC-Type") != "response" {
				t.Errorf("not-modified revisit %s refers to %q, not a response", r.header.Get("WARC-Target-URI"), r.header.Get("WARC-Refers-To"))
				continue
			}
			if orig.header.Get("WARC-Target-URI") != r.header.Get("WARC-Refers-To-Target-URI") ||
				orig.header.Get("WARC-Date") != r.header.Get("WARC-Refers-To-Date") ||
				r.header.Get("WARC-Payload-Digest") != "" || r.header.Get("Content-Length") != "0" {
				t.Errorf("not-modified revisit %s (refers to %s at %s) does not match its original %s at %s",
					r.header.Get("WARC-Target-URI"), r.header.Get("WARC-Refers-To-Target-URI"), r.header.Get("WARC-Refers-To-Date"),
					orig.header.Get("WARC-Target-URI"), orig.header.Get("WARC-Date"))
			}
			if st, _ := payloadOf(t, orig.block); st < 200 || st > 299 {
				t.Errorf("not-modified revisit %s confirms a %d", r.header.Get("WARC-Target-URI"), st)
			}
		} else if typ == "revisit" {
			orig, ok := byID[r.header.Get("WARC-Refers-To")]
			if !ok || orig.header.Get("WARC-Type") != "response" {
				t.Errorf("revisit %s refers to %q, not a response", r.header.Get("WARC-Target-URI"), r.header.Get("WARC-Refers-To"))
				continue
			}
			if orig.header.Get("WARC-Payload-Digest") != r.header.Get("WARC-Payload-Digest") ||
				orig.header.Get("WARC-Target-URI") != r.header.Get("WARC-Refers-To-Target-URI") ||
				r.header.Get("WARC-Profile") != "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest" {
				t.Errorf("revisit %s does not match its original %s", r.header.Get("WARC-Target-URI"), orig.header.Get("WARC-Target-URI"))
			}
		}
		if typ == "metadata" {
			if _, ok := byID[r.header.Get("WARC-Concurrent-To")]; !ok {
				t.Errorf("metadata %s: WARC-Concurrent-To %q unknown", r.header.Get("WARC-Target-URI"), r.header.Get("WARC-Concurrent-To"))
			}
		}
	}
	return byType
}

func TestCrawlWARCValidates(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	wdir := filepath.Join(dir, "warc")
	// A small size cap makes the crawl rotate files.
	crawlWARC(t, srv.URL+"/", db, wdir, "--warc-max-size", "200000")
	files := warcFiles(t, wdir)
	if len(files) < 2 {
		t.Errorf("%d WARC files, want rotation into several", len(files))
	}
	byType := validateWARCs(t, files)
	if len(byType["warcinfo"]) != len(files) {
		t.Errorf("%d warcinfo records for %d files", len(byType["warcinfo"]), len(files))
	}
	if len(byType["request"]) == 0 || len(byType["request"]) != len(byType["response"])+len(byType["revisit"]) {
		t.Errorf("%d requests, %d responses, %d revisits", len(byType["request"]), len(byType["response"]), len(byType["revisit"]))
	}
	outlinks := 0
	for _, m := range byType["metadata"] {
		outlinks += bytes.Count(m.block, []byte("outlink: "))
	}
	if outlinks == 0 {
		t.Error("no outlinks in the metadata records")
	}
	// Every archived page names the record of its capture.
	checkPageLocations(t, db)
	assertEveryArticleOnce(t, db)
}

// checkPageLocations reads, for every page, the record at its recorded WARC
// location with the independent reader and checks that it is the page's
// response (or revisit).
func checkPageLocations(t *testing.T, db string) {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(t.Context(), `SELECT id, final_url, warc_file, warc_offset FROM pages`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			id     int64
			final  string
			file   *string
			offset *int64
		)
		if err := rows.Scan(&id, &final, &file, &offset); err != nil {
			t.Fatal(err)
		}
		if file == nil || offset == nil {
			t.Errorf("page %d (%s) has no WARC location", id, final)
			continue
		}
		fh, err := os.Open(*file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fh.Seek(*offset, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		r, err := iawarc.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := r.ReadRecord()
		if err != nil {
			t.Fatalf("page %d: record at %s:%d: %v", id, *file, *offset, err)
		}
		typ, uri := rec.Header.Get("WARC-Type"), strings.Trim(rec.Header.Get("WARC-Target-URI"), "<>")
		if (typ != "response" && typ != "revisit") || uri != final {
			t.Errorf("page %d (%s): record at its location is %s of %s", id, final, typ, uri)
		}
		rec.Content.Close()
		r.Close()
		fh.Close()
		n++
	}
	if n == 0 {
		t.Error("no pages")
	}
}

func TestCrawlWARCRevisits(t *testing.T) {
	srv := httptest.NewServer(dupSite())
	defer srv.Close()
	dir := t.TempDir()
	crawlWARC(t, srv.URL+"/", filepath.Join(dir, "a.db"), filepath.Join(dir, "warc"))
	byType := validateWARCs(t, warcFiles(t, filepath.Join(dir, "warc")))
	if len(byType["revisit"]) != 1 {
		t.Fatalf("%d revisit records, want 1 (for /a or /b)", len(byType["revisit"]))
	}
	// The redirect is recorded as its own exchange.
	statuses := map[int]int{}
	for _, r := range byType["response"] {
		st, _ := payloadOf(t, r.block)
		statuses[st]++
	}
	if statuses[301] != 1 {
		t.Errorf("response statuses %v, want one 301", statuses)
	}
	checkPageLocations(t, filepath.Join(dir, "a.db"))
}

// latestRecords returns canonical URL → the latest record (JSON) of every
// article of db.
func latestRecords(t *testing.T, db string) map[string]string {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]string{}
	for r, err := range st.Export(t.Context(), "", archive.SearchOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, r.Record); err != nil {
			t.Fatal(err)
		}
		out[r.CanonicalURL] = buf.String()
	}
	return out
}

func TestWARCRoundTrip(t *testing.T) {
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	wdir := filepath.Join(dir, "warc")
	crawlWARC(t, srv.URL+"/", a, wdir)
	srv.Close() // the import must not need the site

	args := append([]string{"import", "--db", b, "--json", "--quiet"}, warcFiles(t, wdir)...)
	code, out, stderr := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("import exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary: %v\n%s", err, out)
	}
	if sum.Malformed != 0 || sum.Unresolved != 0 {
		t.Errorf("import summary %+v", sum)
	}
	ra, rb := latestRecords(t, a), latestRecords(t, b)
	if len(ra) == 0 {
		t.Fatal("crawl archived no articles")
	}
	for u, rec := range ra {
		if rb[u] != rec {
			t.Errorf("article %s differs after the round trip:\ncrawl:  %.300s\nimport: %.300s", u, rec, rb[u])
		}
	}
	for u := range rb {
		if _, ok := ra[u]; !ok {
			t.Errorf("import has an article the crawl has not: %s", u)
		}
	}
	assertEveryArticleOnce(t, b)
	checkPageLocations(t, b)
	integrityOK(t, b)
}

func TestImportRevisitsAndRedirects(t *testing.T) {
	srv := httptest.NewServer(dupSite())
	defer srv.Close()
	dir := t.TempDir()
	wdir := filepath.Join(dir, "warc")
	crawlWARC(t, srv.URL+"/", filepath.Join(dir, "a.db"), wdir)
	b := filepath.Join(dir, "b.db")
	code, out, stderr := runCmd(t, append([]string{"import", "--db", b, "--json", "--quiet"}, warcFiles(t, wdir)...)...)
	if code != 0 {
		t.Fatalf("import exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Revisits != 1 {
		t.Errorf("revisits resolved = %d, want 1", sum.Revisits)
	}
	st, err := archive.OpenReadOnly(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(t.Context(), `SELECT url, final_url, redirects, sha256 FROM pages ORDER BY url`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][3]string{}
	for rows.Next() {
		var u, f, r, s string
		if err := rows.Scan(&u, &f, &r, &s); err != nil {
			t.Fatal(err)
		}
		got[strings.TrimPrefix(u, srv.URL)] = [3]string{strings.TrimPrefix(f, srv.URL), r, s}
	}
	if got["/a"][2] == "" || got["/a"][2] != got["/b"][2] {
		t.Errorf("revisit not resolved to the original body: /a %v, /b %v", got["/a"], got["/b"])
	}
	if m := got["/old"]; m[0] != "/new" || !strings.Contains(m[1], "/old") {
		t.Errorf("redirected page: %v, want /old → /new with the chain", m)
	}
}

func TestImportMalformedRecordsSkipped(t *testing.T) {
	srv := httptest.NewServer(dupSite())
	defer srv.Close()
	dir := t.TempDir()
	wdir := filepath.Join(dir, "warc")
	crawlWARC(t, srv.URL+"/", filepath.Join(dir, "a.db"), wdir)
	good := warcFiles(t, wdir)[0]
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// A file with garbage between records, a record whose HTTP block is
	// not HTTP, and a truncated record at the end.
	bad := []byte("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:bad>\r\nWARC-Target-URI: http://x.test/\r\n" +
		"Content-Type: application/http;msgtype=response\r\nContent-Length: 9\r\n\r\nnot http!\r\n\r\n")
	var buf bytes.Buffer
	buf.WriteString("junk before the first record")
	buf.Write(bad)
	buf.Write(data)
	buf.Write(data[:len(data)/3])
	mixed := filepath.Join(dir, "mixed.warc.gz")
	if err := os.WriteFile(mixed, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "missing.warc.gz")
	code, out, stderr := runCmd(t, "import", "--db", filepath.Join(dir, "b.db"), "--json", mixed, empty)
	if code != exitPartial {
		t.Fatalf("import exit %d, want %d (finished with failures)\nstdout: %s\nstderr: %s", code, exitPartial, out, stderr)
	}
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Malformed < 2 || sum.Pages < 3 {
		t.Errorf("summary %+v: want the malformed records reported and the good ones imported", sum)
	}
	if !strings.Contains(stderr, "malformed record skipped") {
		t.Errorf("stderr does not report the malformed records:\n%s", stderr)
	}
}
