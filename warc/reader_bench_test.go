package warc

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkReader reads back a WARC file of 500 pages as crawl --warc
// writes it (request, response and metadata records of an ~86 KB article,
// gzip per record): the reader's share of an import.
//
//	go test -run '^$' -bench BenchmarkReader -benchmem ./warc
func BenchmarkReader(b *testing.B) {
	page, err := os.ReadFile(filepath.Join("..", "testdata", "site", "blogs", "tesmanian-blog",
		"giga-berlin-brandenburg-environment-agency-approval-grunheide.html"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	w, err := Create(WriterOptions{Dir: dir, Info: []Field{{"software", "bench"}}})
	if err != nil {
		b.Fatal(err)
	}
	const pages = 500
	req := []byte("GET /a HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
	for i := range pages {
		body := append([]byte(nil), page...)
		copy(body[len(body)-20:], fmt.Sprintf("%020d", i))
		resp := append(fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n", len(body)), body...)
		if _, err := w.WriteExchange(Exchange{URL: fmt.Sprintf("https://www.example.com/a/%d", i), Date: time.Now(),
			Request: req, Response: resp, Complete: true, Metadata: []Field{{"outlink", "https://www.example.com/"}}}); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	b.SetBytes(int64(pages * len(page)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, f := range files {
			r, err := OpenReader(f, nil, ReadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			for {
				_, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			r.Close()
		}
		if n != pages {
			b.Fatalf("%d responses, want %d", n, pages)
		}
	}
	b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
}
