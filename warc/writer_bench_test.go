package warc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkWriteExchange writes one page the way crawl --warc does: request
// and response records of a ~86 KB article and a metadata record with 150
// outlinks, in one call. Every payload differs, so no revisits.
//
//	go test -run '^$' -bench BenchmarkWriteExchange -benchmem ./warc
func BenchmarkWriteExchange(b *testing.B) {
	page, err := os.ReadFile(filepath.Join("..", "testdata", "site", "blogs", "tesmanian-blog",
		"giga-berlin-brandenburg-environment-agency-approval-grunheide.html"))
	if err != nil {
		b.Fatal(err)
	}
	w, err := Create(WriterOptions{Dir: b.TempDir(), Info: []Field{{"software", "bench"}}})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	var links []Field
	for i := range 150 {
		links = append(links, Field{Name: "outlink", Value: fmt.Sprintf("https://www.example.com/blogs/news/article-number-%d-with-a-long-slug", i)})
	}
	req := []byte("GET /a HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: newsarchive/0.1\r\nAccept-Encoding: gzip\r\n\r\n")
	head := "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\nDate: Thu, 26 Nov 2026 09:00:00 GMT\r\n\r\n"
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		body := append([]byte(nil), page...)
		copy(body[len(body)-20:], fmt.Sprintf("%020d", i)) // a distinct payload
		resp := append([]byte(fmt.Sprintf(head, len(body))), body...)
		u := "https://www.example.com/blogs/news/a" + strings.Repeat("x", i%7)
		if _, err := w.WriteExchange(Exchange{URL: u, RemoteAddr: "127.0.0.1:443", Date: time.Now(),
			Request: req, Response: resp, Complete: true, Metadata: links}); err != nil {
			b.Fatal(err)
		}
	}
}
