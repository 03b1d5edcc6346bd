package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSURT(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://www.Example.com/A/b?z=1&a=2", "com,example)/a/b?a=2&z=1"},
		{"http://example.com", "com,example)/"},
		{"http://127.0.0.1:8080/x", "1,0,0,127:8080)/x"},
		{"https://news.example.co.uk:443/", "uk,co,example,news)/"},
	} {
		if got := SURT(c.in); got != c.want {
			t.Errorf("SURT(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestWriteReadExchange writes a chunked, gzipped response and reads it back:
// payload digest over the de-chunked, still gzipped body; the body read back
// decoded, with the headers Go's client would have.
func TestWriteReadExchange(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(WriterOptions{Dir: dir, Info: []Field{{"software", "test"}}})
	if err != nil {
		t.Fatal(err)
	}
	html := "<html><body>" + strings.Repeat("hello ", 100) + "</body></html>"
	z := gzipString(html)
	chunked := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
		itoaHex(len(z[:10])) + "\r\n" + z[:10] + "\r\n" +
		itoaHex(len(z[10:])) + "\r\n" + z[10:] + "\r\n0\r\n\r\n"
	ex := Exchange{URL: "http://example.com/a", RemoteAddr: "127.0.0.1:80", Date: time.Now(),
		Request: []byte("GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n"), Response: []byte(chunked), Complete: true}
	first, err := w.WriteExchange(ex)
	if err != nil {
		t.Fatal(err)
	}
	ex.URL = "http://example.com/b"
	second, err := w.WriteExchange(ex)
	if err != nil {
		t.Fatal(err)
	}
	if first.Revisit || !second.Revisit {
		t.Errorf("revisit flags %v %v, want the second to be a revisit", first.Revisit, second.Revisit)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, got := readOnlyFile(t, dir)
	if len(got) != 2 {
		t.Fatalf("%d responses, want 2", len(got))
	}
	for _, resp := range got {
		if string(resp.Body) != html || resp.Status != 200 || resp.Header.Get("Content-Encoding") != "" ||
			resp.Header.Get("Transfer-Encoding") != "" || resp.PayloadDigest != Digest([]byte(z)) {
			t.Errorf("%s: status %d, header %v, body %d bytes, digest %s", resp.URL, resp.Status, resp.Header, len(resp.Body), resp.PayloadDigest)
		}
	}
	if !got[1].Revisit || got[1].RefersTo != first.Location {
		t.Errorf("second response: revisit %v of %v, want of %v", got[1].Revisit, got[1].RefersTo, first.Location)
	}
	entries, err := IndexFile(files[0])
	if err != nil || len(entries) != 2 || entries[0].Offset != first.Location.Offset || entries[1].Mime != "warc/revisit" {
		t.Errorf("index %+v, %v", entries, err)
	}
}

func itoaHex(n int) string {
	const digits = "0123456789abcdef"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 16 {
		b = append([]byte{digits[n%16]}, b...)
	}
	return string(b)
}

// FuzzReader feeds arbitrary bytes to the reader: it must never panic nor
// loop, only return responses, ErrMalformed or an unresolved revisit.
func FuzzReader(f *testing.F) {
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: 19\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\r\n\r\n"))
	f.Add([]byte("WARC/1.0\r\nWARC-Type: revisit\r\nWARC-Target-URI: <http://x/>\r\nWARC-Profile: " + ProfileIdenticalPayload10 + "\r\nContent-Length: 0\r\n\r\n\r\n\r\n"))
	f.Add([]byte(gzipString("WARC/1.1\r\nContent-Length: 5\r\n\r\nab")))
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/\r\nContent-Length: -3\r\n\r\nHTTP/1.1 200 OK\r\n\r\nab\r\n\r\nWARC/1.0\r\nContent-Length: 0\r\n\r\n\r\n\r\n"))
	f.Add([]byte("filedesc://x.arc 0.0.0.0 20080430204825 text/plain 3\nabc\nhttp://x/ 1.2.3.4 20080430204825 text/html 19\nHTTP/1.1 200 OK\r\n\r\n\n"))
	// The built fixtures of every quirk (WACZ and ARC among them).
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "warc", "*"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.warc")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := OpenReader(p, nil, ReadOptions{MaxBody: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for i := 0; ; i++ {
			if i > 10000 {
				t.Fatal("reader does not end")
			}
			_, err := r.Next()
			if err == io.EOF {
				return
			}
			var ur *UnresolvedRevisit
			if err != nil && !errors.Is(err, ErrMalformed) && !errors.As(err, &ur) {
				t.Fatalf("unexpected error kind: %v", err)
			}
		}
	})
}

func gzipString(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	io.WriteString(zw, s)
	zw.Close()
	return b.String()
}

// TestRevisitNeverPrecedesOriginal writes repeated payloads from many
// goroutines at once: read in file order, every revisit must refer to a
// response already read.
func TestRevisitNeverPrecedesOriginal(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(WriterOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// Large bodies make the originals slow to compress, widening the race.
	bodies := make([]string, 3)
	for i := range bodies {
		bodies[i] = strings.Repeat(fmt.Sprintf("word%d ", i), 50000)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 12 {
				body := bodies[(g+i)%len(bodies)]
				resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
				ex := Exchange{URL: fmt.Sprintf("http://example.com/%d/%d", g, i), Date: time.Now(),
					Request: []byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"), Response: []byte(resp), Complete: true}
				if _, err := w.WriteExchange(ex); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, got := readOnlyFile(t, dir)
	seen := map[int64]bool{}
	responses, revisits := 0, 0
	for _, resp := range got {
		if resp.Revisit {
			revisits++
			if !seen[resp.RefersTo.Offset] {
				t.Errorf("revisit %s refers to offset %d, not read before it", resp.URL, resp.RefersTo.Offset)
			}
			continue
		}
		responses++
		seen[resp.Location.Offset] = true
	}
	if responses != len(bodies) || revisits != 8*12-len(bodies) {
		t.Errorf("%d responses and %d revisits, want %d and %d", responses, revisits, len(bodies), 8*12-len(bodies))
	}
}

// readOnlyFile reads the responses of the one WARC file in dir, in file
// order; it fails the test on any other number of files or a bad record.
func readOnlyFile(t *testing.T, dir string) ([]string, []*Response) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("files %v, want one", files)
	}
	r, err := OpenReader(files[0], nil, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []*Response
	for {
		resp, err := r.Next()
		if err == io.EOF {
			return files, got
		}
		if err != nil {
			t.Fatalf("record %d: %v", len(got), err)
		}
		got = append(got, resp)
	}
}
