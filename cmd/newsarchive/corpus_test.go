package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	iawarc "github.com/internetarchive/gowarc"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/scraper"
)

// corpusDir returns ../shared/corpora/warc (real files of other tools). It
// skips the test when ../shared is absent, and fails under NEWSARCHIVE_CI=1,
// where it must be there.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpora", "warc")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		if os.Getenv("NEWSARCHIVE_CI") != "" {
			t.Fatalf("NEWSARCHIVE_CI is set but the WARC corpus is missing: %v", err)
		}
		t.Skipf("../shared/corpora/warc not found (%v): skipping the real-file corpus", err)
	}
	return dir
}

// corpusFiles lists the corpus's WARC, ARC and WACZ files.
func corpusFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		n := d.Name()
		if !d.IsDir() && (strings.Contains(n, ".warc") || strings.Contains(n, ".arc") || strings.HasSuffix(n, ".wacz")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus %s: %d files, %v", dir, len(files), err)
	}
	sort.Strings(files)
	return files
}

// refPage is a 2xx HTML response as the independent reader finds it.
type refPage struct {
	url       string
	body      []byte
	truncated bool // the recorder cut it short (WARC-Truncated, a cut body)
}

// independentPages reads file with a reader that shares no code with ours:
// internetarchive/gowarc for WARC (the WARCs inside a WACZ are unzipped and
// handed to it), and a minimal ARC parser written here for ARC. It returns
// the 2xx HTML responses found before the first error it cannot read past.
func independentPages(t *testing.T, file string) []refPage {
	t.Helper()
	switch {
	case strings.HasSuffix(file, ".wacz"):
		zr, err := zip.OpenReader(file)
		if err != nil {
			return nil // not a zip: nothing an independent reader finds either
		}
		defer zr.Close()
		var out []refPage
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, "archive/") || !strings.Contains(f.Name, ".warc") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, iaPages(t, rc)...)
			rc.Close()
		}
		return out
	case strings.Contains(filepath.Base(file), ".arc"):
		return arcPages(t, file)
	}
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	return iaPages(t, fh)
}

func iaPages(t *testing.T, src io.Reader) []refPage {
	t.Helper()
	r, err := iawarc.NewReader(src)
	if err != nil {
		return nil
	}
	defer r.Close()
	var out []refPage
	for {
		rec, err := r.ReadRecord()
		if err != nil {
			return out // io.EOF, or a record it cannot read past
		}
		typ := rec.Header.Get("WARC-Type")
		uri := strings.Trim(rec.Header.Get("WARC-Target-URI"), "<>")
		_, _ = rec.Content.Seek(0, io.SeekStart)
		block, err := io.ReadAll(rec.Content)
		rec.Content.Close()
		if err != nil || typ != "response" || !strings.HasPrefix(uri, "http") {
			continue
		}
		if p, ok := refHTTPPage(uri, block); ok {
			p.truncated = p.truncated || rec.Header.Get("WARC-Truncated") != ""
			out = append(out, p)
		}
	}
}

// refHTTPPage parses an HTTP response block with net/http: a 2xx HTML page
// gives its body with the chunked and gzip encodings removed where they
// apply (recorders often store bodies already decoded, headers unchanged).
func refHTTPPage(uri string, block []byte) (refPage, bool) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(block)), nil)
	if err != nil {
		return refPage{}, false
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode < 200 || resp.StatusCode > 299 || (mt != "text/html" && mt != "application/xhtml+xml") {
		return refPage{}, false
	}
	p := refPage{url: uri}
	body, err := io.ReadAll(resp.Body)
	if err != nil && len(resp.TransferEncoding) > 0 && len(body) == 0 {
		// Chunked in the header, not in the body: the stored bytes.
		body, err = afterHead(block), nil
	}
	p.truncated = err != nil
	decoded := false
	switch strings.ToLower(resp.Header.Get("Content-Encoding")) {
	case "":
		decoded = true
	case "gzip", "x-gzip":
		if zr, zerr := gzip.NewReader(bytes.NewReader(body)); zerr == nil {
			dec, derr := io.ReadAll(zr)
			body, p.truncated, decoded = dec, p.truncated || derr != nil, true
		}
	case "br":
		if dec, derr := io.ReadAll(brotli.NewReader(bytes.NewReader(body))); derr == nil {
			body, decoded = dec, true
		}
	}
	if !decoded && len(resp.TransferEncoding) == 0 {
		// Stored decoded, with the Content-Length of the encoded body
		// (which net/http cut it to): the stored bytes.
		body = afterHead(block)
	}
	p.body = body
	return p, true
}

// afterHead returns what follows the head of an HTTP message (its lines
// end in CRLF or, in some old files, LF).
func afterHead(msg []byte) []byte {
	i, n := bytes.Index(msg, []byte("\r\n\r\n")), 4
	if j := bytes.Index(msg, []byte("\n\n")); j >= 0 && (i < 0 || j < i) {
		i, n = j, 2
	}
	if i < 0 {
		return nil
	}
	return msg[i+n:]
}

// arcPages is a minimal ARC (v1 and v2) reader: a header line whose last
// field is the length of the block that follows, records gzipped one by one.
func arcPages(t *testing.T, file string) []refPage {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var src io.Reader = fh
	if zr, err := gzip.NewReader(fh); err == nil {
		src = zr // multistream: the members' contents in a row
	} else {
		_, _ = fh.Seek(0, io.SeekStart)
	}
	br := bufio.NewReader(src)
	var out []refPage
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return out
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		n, perr := strconv.ParseInt(f[len(f)-1], 10, 64)
		if len(f) < 5 || perr != nil || n < 0 {
			return out
		}
		block := make([]byte, n)
		if _, err := io.ReadFull(br, block); err != nil {
			return out
		}
		if strings.HasPrefix(f[0], "http") {
			if p, ok := refHTTPPage(f[0], block); ok {
				out = append(out, p)
			}
		}
	}
}

// archivedPages returns the pages of db by final URL.
func archivedPages(t *testing.T, db string) map[string][]*archive.Page {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(t.Context(), `SELECT id FROM pages`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := map[string][]*archive.Page{}
	for _, id := range ids {
		p, err := st.Page(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		out[p.FinalURL] = append(out[p.FinalURL], p)
		if p.URL != p.FinalURL {
			out[p.URL] = append(out[p.URL], p)
		}
	}
	return out
}

// TestImportCorpus imports every real file of ../shared/corpora/warc, one
// archive per file, and checks that every 2xx HTML response the independent
// reader finds is archived with its full body (or, when the recorder cut it
// short, kept and flagged truncated), and that the archive is sound.
func TestImportCorpus(t *testing.T) {
	dir := corpusDir(t)
	var found, kept int
	var lines []string
	for _, file := range corpusFiles(t, dir) {
		name, _ := filepath.Rel(dir, file)
		want := independentPages(t, file)
		db := filepath.Join(t.TempDir(), "a.db")
		code, out, stderr := runCmd(t, "import", "--db", db, "--json", "--quiet", file)
		if code != 0 && code != exitPartial {
			t.Errorf("%s: import exit %d\nstdout: %s\nstderr: %s", name, code, out, stderr)
			continue
		}
		got := archivedPages(t, db)
		ok := 0
		for _, w := range want {
			caps := got[w.url]
			if c, err := scraper.Canonicalize(w.url); err == nil && c != w.url {
				caps = append(caps, got[c]...)
			}
			if err := matchPage(caps, w); err != nil {
				t.Errorf("%s: %s: %v", name, w.url, err)
				continue
			}
			ok++
		}
		integrityOK(t, db)
		found += len(want)
		kept += ok
		lines = append(lines, fmt.Sprintf("%-60s %3d/%3d  exit %d", name, ok, len(want), code))
	}
	t.Logf("corpus: %d of %d 2xx HTML responses archived\n%s", kept, found, strings.Join(lines, "\n"))
}

// matchPage checks that one of the captures has w's body, or is flagged
// truncated when w is.
func matchPage(caps []*archive.Page, w refPage) error {
	if len(caps) == 0 {
		return errors.New("not archived")
	}
	sum := sha256.Sum256(w.body)
	var notes []string
	for _, p := range caps {
		if sha256.Sum256(p.Body) == sum {
			return nil
		}
		if w.truncated && p.Truncated && len(p.Body) > 0 {
			return nil
		}
		notes = append(notes, fmt.Sprintf("body %d bytes (truncated %v)", len(p.Body), p.Truncated))
	}
	return fmt.Errorf("archived with another body: %s; want %d bytes (truncated %v)", strings.Join(notes, ", "), len(w.body), w.truncated)
}
