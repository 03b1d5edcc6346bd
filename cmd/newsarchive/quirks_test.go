package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
)

// The quirks of real WARC, ARC and WACZ files, one small built file each in
// testdata/warc (rebuilt by go test -run TestQuirkFixtures -update), each
// imported and checked page by page.

var update = flag.Bool("update", false, "rewrite the built WARC fixtures in testdata/warc")

const quirkDir = "../../testdata/warc"

// quirkPage is an HTML page of the fixtures.
func quirkPage(title string) string {
	return "<!doctype html><html><head><title>" + title + "</title></head><body><article><h1>" + title +
		"</h1><p>" + strings.Repeat("A paragraph of the article "+title+" that is long enough to be read. ", 12) +
		"</p></article></body></html>"
}

// httpResponse is an HTTP/1.1 response with the given header lines.
func httpResponse(body string, header ...string) string {
	return "HTTP/1.1 200 OK\r\n" + strings.Join(append(header, "Content-Type: text/html; charset=utf-8"), "\r\n") + "\r\n\r\n" + body
}

// record is a WARC record; length overrides the Content-Length ("" for the
// block's).
type record struct {
	version, typ, uri, id, length string
	fields                        []string
	block                         string
}

func (r record) bytes() []byte {
	version, typ := r.version, r.typ
	if version == "" {
		version = "WARC/1.1"
	}
	if typ == "" {
		typ = "response"
	}
	length := r.length
	if length == "" {
		length = strconv.Itoa(len(r.block))
	}
	id := r.id
	if id == "" {
		id = fmt.Sprintf("<urn:uuid:%x>", sha256.Sum256([]byte(r.uri+typ+r.block)))[:45] + ">"
	}
	h := []string{version, "WARC-Type: " + typ, "WARC-Record-ID: " + id, "WARC-Date: 2024-05-06T07:08:09Z"}
	if r.uri != "" {
		h = append(h, "WARC-Target-URI: "+r.uri)
	}
	if (typ == "response" || typ == "revisit") && !strings.Contains(strings.Join(r.fields, "\n"), "Content-Type:") {
		h = append(h, "Content-Type: application/http;msgtype=response")
	}
	h = append(h, r.fields...)
	h = append(h, "Content-Length: "+length)
	return []byte(strings.Join(h, "\r\n") + "\r\n\r\n" + r.block + "\r\n\r\n")
}

// gzipped compresses b as one gzip member (with an FEXTRA field when extra).
func gzipped(b []byte, extra bool) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if extra {
		zw.Extra = []byte("sl\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00") // as jwarc's "sl" field
	}
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// perRecord gzips each record as its own member.
func perRecord(recs ...record) []byte {
	var out []byte
	for _, r := range recs {
		out = append(out, gzipped(r.bytes(), false)...)
	}
	return out
}

func plain(recs ...record) []byte {
	var out []byte
	for _, r := range recs {
		out = append(out, r.bytes()...)
	}
	return out
}

func chunk(s string, size int) string {
	var b strings.Builder
	for len(s) > 0 {
		n := min(size, len(s))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, s[:n])
		s = s[n:]
	}
	return b.String() + "0\r\n\r\n"
}

const quirkHost = "http://quirks.example/"

// quirkFixtures builds the fixture files.
func quirkFixtures() map[string][]byte {
	page := func(name string) string { return quirkPage(name) }
	resp := func(name string, block string, fields ...string) record {
		return record{uri: quirkHost + name, block: block, fields: fields}
	}
	z := gzipped([]byte(page("gzip-real")), false)
	cut := gzipped([]byte(page("gzip-cut")), false)
	cut = cut[:len(cut)/2]
	out := map[string][]byte{
		// warcio/requests-based recorders store the body de-chunked and
		// decompressed, and keep the headers that say otherwise.
		"chunked-dechunked.warc.gz": perRecord(
			resp("chunked-dechunked", httpResponse(page("chunked-dechunked"), "Transfer-Encoding: chunked")),
			resp("chunked-real", httpResponse(chunk(page("chunked-real"), 100), "Transfer-Encoding: chunked")),
			resp("chunked-gzip", httpResponse(string(gzipped([]byte(page("chunked-gzip")), false)), "Transfer-Encoding: chunked", "Content-Encoding: gzip"))),
		"gzip-decoded.warc.gz": perRecord(
			resp("gzip-decoded", httpResponse(page("gzip-decoded"), "Content-Encoding: gzip")),
			resp("gzip-real", httpResponse(string(z), "Content-Encoding: gzip")),
			// Decoded, with the Content-Length of the compressed body.
			resp("gzip-decoded-length", httpResponse(page("gzip-decoded-length"), "Content-Encoding: gzip", "Content-Length: 321")),
			// Bytes after the gzip stream.
			resp("gzip-trailing", httpResponse(string(gzipped([]byte(page("gzip-trailing")), false))+"\r\n", "Content-Encoding: gzip"))),
		// The recorder cut the gzip payload (without saying so).
		"gzip-cut.warc.gz": perRecord(
			resp("gzip-cut", httpResponse(string(cut), "Content-Encoding: gzip"))),
		// One gzip stream around the whole file.
		"whole-file.warc.gz": gzipped(plain(resp("whole-1", httpResponse(page("whole-1"))),
			resp("whole-2", httpResponse(page("whole-2"))), resp("whole-3", httpResponse(page("whole-3")))), false),
		// A ".warc" that is gzipped per record, with FEXTRA fields.
		"really-gzipped.warc": append(gzipped(resp("extra-1", httpResponse(page("extra-1"))).bytes(), true),
			gzipped(resp("extra-2", httpResponse(page("extra-2"))).bytes(), true)...),
		// WARC/0.17 (Heritrix 1), bracketed URIs (wget), no warcinfo.
		"warc-0.17.warc": plain(
			record{version: "WARC/0.17", uri: "<" + quirkHost + "v017>", block: httpResponse(page("v017"))},
			record{version: "WARC/1.0", uri: "<" + quirkHost + "v10>", block: httpResponse(page("v10"))}),
		// A response record holding the document without its HTTP message,
		// and a resource record of a page (converters, warcit).
		"no-http.warc": plain(
			record{uri: quirkHost + "no-http", block: page("no-http"), fields: []string{"Content-Type: text/html"}},
			record{typ: "resource", uri: quirkHost + "resource", block: page("resource"), fields: []string{"Content-Type: text/html"}}),
		// A Content-Length past the end of the file, in the middle of it:
		// the records after it must not be swallowed.
		"length-past-eof.warc": plain(
			resp("len-1", httpResponse(page("len-1"))),
			record{uri: quirkHost + "len-2", block: httpResponse(page("len-2")), length: "99999999"},
			resp("len-3", httpResponse(page("len-3")))),
		"length-negative.warc": plain(
			resp("neg-1", httpResponse(page("neg-1"))),
			record{uri: quirkHost + "neg-2", block: httpResponse(page("neg-2")), length: "-12"},
			record{uri: quirkHost + "neg-3", block: httpResponse(page("neg-3")), length: "12 bytes"},
			resp("neg-4", httpResponse(page("neg-4")))),
		// The same in one gzip stream around the whole file.
		"length-past-eof-stream.warc.gz": gzipped(plain(
			resp("stream-1", httpResponse(page("stream-1"))),
			record{uri: quirkHost + "stream-2", block: httpResponse(page("stream-2")), length: "99999999"},
			resp("stream-3", httpResponse(page("stream-3")))), false),
		// A record cut by the end of a per-record gzip member.
		"length-past-member.warc.gz": append(gzipped(record{uri: quirkHost + "member-1", block: httpResponse(page("member-1")), length: "99999"}.bytes(), false),
			perRecord(resp("member-2", httpResponse(page("member-2"))))...),
		"heritrix.arc.gz":   arcFile(),
		"package.wacz":      waczFile(false),
		"bad-digest.wacz":   waczFile(true),
		"revisit-orig.warc": plain(resp("orig", httpResponse(page("orig")), "WARC-Payload-Digest: sha1:ORIGINALDIGEST")),
		"revisit.warc": plain(record{typ: "revisit", uri: quirkHost + "again", block: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
			fields: []string{"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
				"WARC-Refers-To-Target-URI: " + quirkHost + "orig", "WARC-Refers-To-Date: 2024-05-06T07:08:09Z",
				"WARC-Payload-Digest: sha1:ORIGINALDIGEST"}}),
	}
	return out
}

// arcFile is an ARC v1 file as Heritrix 1 wrote them: a filedesc record,
// then one gzip member per record.
func arcFile() []byte {
	arcRec := func(url, ctype, block string) []byte {
		return gzipped([]byte(fmt.Sprintf("%s 192.0.2.1 20080430204826 %s %d\n%s\n", url, ctype, len(block), block)), false)
	}
	desc := "1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
	out := arcRec("filedesc://heritrix.arc", "text/plain", desc)
	out = append(out, arcRec("dns:quirks.example", "text/dns", "20080430204826\nquirks.example. 300 IN A 192.0.2.1\n")...)
	out = append(out, arcRec(quirkHost+"arc-1", "text/html", httpResponse(quirkPage("arc-1")))...)
	out = append(out, arcRec(quirkHost+"arc-2", "text/html", httpResponse(quirkPage("arc-2")))...)
	return out
}

// waczFile is a WACZ package with a stored WARC, pages.jsonl and a
// datapackage.json (with a wrong digest for the WARC when bad).
func waczFile(bad bool) []byte {
	data := perRecord(record{uri: quirkHost + "wacz", block: httpResponse(quirkPage("wacz"))})
	pages := []byte(`{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}` + "\n" +
		`{"url": "` + quirkHost + `wacz", "ts": "2024-05-06T07:08:09Z"}` + "\n")
	files := []struct {
		name string
		b    []byte
	}{{"archive/data.warc.gz", data}, {"pages/pages.jsonl", pages}}
	type resource struct {
		Name  string `json:"name"`
		Path  string `json:"path"`
		Hash  string `json:"hash"`
		Bytes int    `json:"bytes"`
	}
	dp := struct {
		Profile     string     `json:"profile"`
		WACZVersion string     `json:"wacz_version"`
		Resources   []resource `json:"resources"`
	}{Profile: "data-package", WACZVersion: "1.1.1"}
	for _, f := range files {
		sum := sha256.Sum256(f.b)
		if bad && strings.HasPrefix(f.name, "archive/") {
			sum = sha256.Sum256([]byte("something else"))
		}
		dp.Resources = append(dp.Resources, resource{filepath.Base(f.name), f.name, "sha256:" + hex.EncodeToString(sum[:]), len(f.b)})
	}
	dpJSON, _ := json.MarshalIndent(dp, "", "  ")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range append(files, struct {
		name string
		b    []byte
	}{"datapackage.json", dpJSON}) {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store})
		w.Write(f.b)
	}
	zw.Close()
	return buf.Bytes()
}

// TestQuirkFixtures checks that testdata/warc holds what quirkFixtures
// builds (-update rewrites it).
func TestQuirkFixtures(t *testing.T) {
	for name, want := range quirkFixtures() {
		p := filepath.Join(quirkDir, name)
		if *update {
			if err := os.MkdirAll(quirkDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the test builds (%v): run go test -run TestQuirkFixtures -update ./cmd/newsarchive", p, err)
		}
	}
}

// wantPage is what a fixture's page must be archived as: its whole body,
// or (cut) a non-empty prefix of it flagged truncated.
type wantPage struct {
	name string
	cut  bool
	body string // the page whose body it has, when not its own
}

func TestImportQuirks(t *testing.T) {
	for _, c := range []struct {
		files []string
		pages []wantPage
		exit  int
	}{
		{[]string{"chunked-dechunked.warc.gz"}, []wantPage{{"chunked-dechunked", false, ""}, {"chunked-real", false, ""}, {"chunked-gzip", false, ""}}, 0},
		{[]string{"gzip-decoded.warc.gz"}, []wantPage{{"gzip-decoded", false, ""}, {"gzip-real", false, ""}, {"gzip-decoded-length", false, ""}, {"gzip-trailing", false, ""}}, 0},
		{[]string{"gzip-cut.warc.gz"}, []wantPage{{"gzip-cut", true, ""}}, 0},
		{[]string{"whole-file.warc.gz"}, []wantPage{{"whole-1", false, ""}, {"whole-2", false, ""}, {"whole-3", false, ""}}, 0},
		{[]string{"really-gzipped.warc"}, []wantPage{{"extra-1", false, ""}, {"extra-2", false, ""}}, 0},
		{[]string{"warc-0.17.warc"}, []wantPage{{"v017", false, ""}, {"v10", false, ""}}, 0},
		{[]string{"no-http.warc"}, []wantPage{{"no-http", false, ""}, {"resource", false, ""}}, 0},
		{[]string{"length-past-eof.warc"}, []wantPage{{"len-1", false, ""}, {"len-2", true, ""}, {"len-3", false, ""}}, 0},
		{[]string{"length-past-eof-stream.warc.gz"}, []wantPage{{"stream-1", false, ""}, {"stream-2", true, ""}, {"stream-3", false, ""}}, 0},
		{[]string{"length-negative.warc"}, []wantPage{{"neg-1", false, ""}, {"neg-2", true, ""}, {"neg-3", true, ""}, {"neg-4", false, ""}}, 0},
		{[]string{"length-past-member.warc.gz"}, []wantPage{{"member-1", true, ""}, {"member-2", false, ""}}, 0},
		{[]string{"heritrix.arc.gz"}, []wantPage{{"arc-1", false, ""}, {"arc-2", false, ""}}, 0},
		{[]string{"package.wacz"}, []wantPage{{"wacz", false, ""}}, 0},
		// The pages are kept; the package's failed check is a failure.
		{[]string{"bad-digest.wacz"}, []wantPage{{"wacz", false, ""}}, exitPartial},
		// A revisit before its original, in another file.
		{[]string{"revisit.warc", "revisit-orig.warc"}, []wantPage{{"orig", false, ""}, {"again", false, "orig"}}, 0},
	} {
		t.Run(strings.Join(c.files, "+"), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "a.db")
			sum := importQuirk(t, db, c.exit, c.files...)
			got := archivedPages(t, db)
			for _, w := range c.pages {
				checkQuirkPage(t, got, w)
			}
			if n := int(sum.Pages); n != len(c.pages) {
				t.Errorf("%d pages archived, want %d", n, len(c.pages))
			}
			if strings.HasSuffix(c.files[0], ".wacz") {
				ok := !strings.HasPrefix(c.files[0], "bad")
				if len(sum.PerFile) != 1 || sum.PerFile[0].WACZ == nil {
					t.Fatalf("no WACZ check reported: %+v", sum.PerFile)
				}
				w := sum.PerFile[0].WACZ
				if w.WARCs != 1 || w.Resources != 2 || w.PagesListed != 1 || (w.DigestsOK == 2) != ok || (len(w.Problems) == 0) != ok {
					t.Errorf("WACZ check %+v; want 1 WARC, 2 resources, 1 page listed, digests good: %v", w, ok)
				}
			}
			warcLocationsAreWARC(t, db)
			integrityOK(t, db)
		})
	}
}

// warcLocationsAreWARC checks that every WARC file the pages of db name is
// a WARC file (export packs them): not an ARC file, not a WACZ entry.
func warcLocationsAreWARC(t *testing.T, db string) {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	files, err := st.WARCFiles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Errorf("pages name WARC file %s: %v", f, err)
			continue
		}
		if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
			b = make([]byte, 5)
			io.ReadFull(zr, b)
		}
		if !bytes.HasPrefix(b, []byte("WARC/")) {
			t.Errorf("pages name %s as their WARC file; it is none (%q)", f, b[:min(len(b), 8)])
		}
	}
}

// TestImportRevisitElsewhere imports a revisit whose original is in no file
// given: reported apart, not a failure; then, with the original archived by
// an earlier import, resolved against the archive.
func TestImportRevisitElsewhere(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	sum := importQuirk(t, db, 0, "revisit.warc")
	if sum.Unresolved != 1 || sum.Pages != 0 || len(sum.PerFile) != 1 || sum.PerFile[0].Skipped[skipUnresolved] != 1 {
		t.Errorf("revisit alone: %d unresolved, %d pages, per file %+v; want 1 unresolved, reported in the file's skips", sum.Unresolved, sum.Pages, sum.PerFile)
	}
	db = filepath.Join(t.TempDir(), "b.db")
	importQuirk(t, db, 0, "revisit-orig.warc")
	sum = importQuirk(t, db, 0, "revisit.warc")
	if sum.Unresolved != 0 || sum.Pages != 1 {
		t.Errorf("revisit after its original was imported: %d unresolved, %d pages; want it resolved", sum.Unresolved, sum.Pages)
	}
	checkQuirkPage(t, archivedPages(t, db), wantPage{"again", false, "orig"})
	integrityOK(t, db)
}

// importQuirk imports fixture files into db and checks the exit status.
func importQuirk(t *testing.T, db string, exit int, files ...string) importSummary {
	t.Helper()
	args := []string{"import", "--db", db, "--json", "--quiet"}
	for _, f := range files {
		args = append(args, filepath.Join(quirkDir, f))
	}
	code, out, stderr := runCmd(t, args...)
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("import exit %d, summary %q: %v\nstderr: %s", code, out, err, stderr)
	}
	if code != exit {
		t.Errorf("import exit %d, want %d\nstdout: %s\nstderr: %s", code, exit, out, stderr)
	}
	return sum
}

// checkQuirkPage checks that the page w of the fixtures is archived.
func checkQuirkPage(t *testing.T, got map[string][]*archive.Page, w wantPage) {
	t.Helper()
	want := quirkPage(w.name)
	if w.body != "" {
		want = quirkPage(w.body)
	}
	caps := got[quirkHost+w.name]
	for _, p := range caps {
		body := string(p.Body)
		if !w.cut && body == want && !p.Truncated {
			return
		}
		if w.cut && p.Truncated && len(body) > 0 && strings.HasPrefix(want, body) {
			return
		}
	}
	var seen []string
	for _, p := range caps {
		seen = append(seen, fmt.Sprintf("%d bytes, truncated %v: %.60q…", len(p.Body), p.Truncated, p.Body))
	}
	t.Errorf("page %s: archived as %v; want %d bytes (cut short and flagged: %v)", w.name, seen, len(want), w.cut)
}
