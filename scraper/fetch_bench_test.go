package scraper

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkFetch compares one GET of a ~100 KB page through the crawler's
// colly path (shim transport, redirect policy, callbacks, body capture) with
// the same GET through a bare net/http client, to measure colly's overhead.
func BenchmarkFetch(b *testing.B) {
	page := benchPage()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	b.Cleanup(srv.Close)

	b.Run("colly", func(b *testing.B) {
		store := newMemStore()
		c, err := New(testConfig(), store, store, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			out := c.fetch.fetch(srv.URL+"/", srv.URL+"/", KindPage, srv.URL, false, nil)
			if out.err != nil || len(out.resp.Body) != len(page) {
				b.Fatal(out.err)
			}
		}
	})
	b.Run("nethttp", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{}}
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			resp, err := client.Get(srv.URL + "/")
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || len(body) != len(page) {
				b.Fatal(err)
			}
		}
	})
}
