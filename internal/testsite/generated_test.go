package testsite_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/internal/testsite"
)

func TestGeneratedDeterministic(t *testing.T) {
	a := testsite.NewGenerated(testsite.GenOptions{})
	b := testsite.NewGenerated(testsite.GenOptions{})
	other := testsite.NewGenerated(testsite.GenOptions{Seed: 2})
	if a.Pages() != testsite.DefaultGenPages {
		t.Errorf("Pages() = %d, want %d", a.Pages(), testsite.DefaultGenPages)
	}
	for _, i := range []int{0, 1, 4999, 9999} {
		if a.Article("http://x", i) != b.Article("http://x", i) {
			t.Errorf("article %d differs between two sites with the same options", i)
		}
		if a.ArticlePath(i) != b.ArticlePath(i) {
			t.Errorf("article %d path differs", i)
		}
		if a.Article("http://x", i) == other.Article("http://x", i) {
			t.Errorf("article %d identical under another seed", i)
		}
	}
}

func TestGeneratedPageShape(t *testing.T) {
	g := testsite.NewGenerated(testsite.GenOptions{})
	for _, i := range []int{0, 17, 512, 7777, 9999} {
		page := g.Article("http://127.0.0.1:1", i)
		if n := len(page); n < 90<<10 || n > 120<<10 {
			t.Errorf("article %d: %d bytes, want about 100 KB", i, n)
		}
		doc := parseHTML(t, []byte(page), "text/html; charset=utf-8")
		links := hrefs(doc)
		articles := 0
		for _, h := range links {
			if strings.HasPrefix(h, "/blogs/news/") && !strings.HasPrefix(h, "/blogs/news/tagged/") {
				articles++
			}
		}
		if len(links) < 130 || len(links) > 170 {
			t.Errorf("article %d: %d links, want about 150", i, len(links))
		}
		if articles*10 < len(links)*7 {
			t.Errorf("article %d: %d of %d links go to articles, want most", i, articles, len(links))
		}
		if !strings.Contains(page, `<link rel="canonical" href="http://127.0.0.1:1`+g.ArticlePath(i)+`">`) {
			t.Errorf("article %d: no canonical link", i)
		}
		if !strings.Contains(page, `"@type":"BlogPosting"`) || !strings.Contains(page, "About the Author") {
			t.Errorf("article %d: missing JSON-LD or author box", i)
		}
	}
}

func TestGeneratedServe(t *testing.T) {
	g := testsite.NewGenerated(testsite.GenOptions{Pages: 1000, PerPage: 10, SitemapURLs: 300})
	srv := httptest.NewServer(g)
	defer srv.Close()
	c := srv.Client()

	resp, body := do(t, c, "GET", srv.URL+"/robots.txt", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Allow: /") || !strings.Contains(string(body), "Sitemap: "+srv.URL+"/sitemap.xml") {
		t.Errorf("robots.txt: %d %q", resp.StatusCode, body)
	}
	_, body = do(t, c, "GET", srv.URL+"/sitemap.xml", nil)
	if n := strings.Count(string(body), "<sitemap>"); n != 4 {
		t.Errorf("sitemap index lists %d sitemaps, want 4", n)
	}
	for k, want := range map[string]int{"1": 300, "4": 100} {
		resp, body := do(t, c, "GET", srv.URL+"/sitemap_blogs_"+k+".xml", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
			t.Fatalf("sitemap %s: %d %s", k, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if n := strings.Count(string(body), "<loc>"); n != want {
			t.Errorf("sitemap %s: %d URLs, want %d", k, n, want)
		}
	}
	if g.ListingPages() != 100 {
		t.Errorf("ListingPages() = %d", g.ListingPages())
	}

	tests := []struct {
		name, path string
		status     int
		contains   []string
	}{
		{"home", "/", 200, []string{`href="/blogs/news"`}},
		{"listing", "/blogs/news", 200, []string{`rel="next" href="/blogs/news?page=2"`, "1&nbsp;&nbsp;/&nbsp;&nbsp;100", g.ArticlePath(999)}},
		{"last listing page", "/blogs/news?page=100", 200, []string{`rel="prev"`, g.ArticlePath(0)}},
		{"past the end", "/blogs/news?page=101", 404, nil},
		{"tag", "/blogs/news/tagged/tag-3", 200, []string{g.ArticlePath(983)}},
		{"unknown tag", "/blogs/news/tagged/tag-99", 404, nil},
		{"article", g.ArticlePath(42), 200, []string{"<h1 class=\"h0\">"}},
		{"wrong slug", "/blogs/news/wrong-slug-42", 404, nil},
		{"out of range", "/blogs/news/x-1000", 404, nil},
		{"leading zero", strings.TrimSuffix(g.ArticlePath(42), "42") + "042", 404, nil},
		{"sitemap past the end", "/sitemap_blogs_5.xml", 404, nil},
		{"unknown", "/nope", 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, c, "GET", srv.URL+tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, s := range tt.contains {
				if !strings.Contains(string(body), s) {
					t.Errorf("body lacks %q", s)
				}
			}
		})
	}
}

func TestGeneratedCounters(t *testing.T) {
	g := testsite.NewGenerated(testsite.GenOptions{Pages: 50})
	srv := httptest.NewServer(g)
	defer srv.Close()
	for _, p := range []string{"/robots.txt", "/robots.txt", g.ArticlePath(1), g.ArticlePath(2), g.ArticlePath(1), "/blogs/news?page=1", "/blogs/news"} {
		do(t, srv.Client(), "GET", srv.URL+p, nil)
	}
	do(t, srv.Client(), "HEAD", srv.URL+g.ArticlePath(2), nil)
	if got := g.TotalRequests(); got != 8 {
		t.Errorf("TotalRequests = %d, want 8", got)
	}
	if got := g.Requests(g.ArticlePath(1)); got != 2 {
		t.Errorf("Requests(article 1) = %d, want 2", got)
	}
	// One repeated article GET; robots.txt and HEAD do not count, and
	// "?page=1" is another URL than the bare listing.
	if got := g.DuplicateFetches(); got != 1 {
		t.Errorf("DuplicateFetches = %d, want 1", got)
	}
}

func TestGeneratedLatencyRespectsContext(t *testing.T) {
	g := testsite.NewGenerated(testsite.GenOptions{Pages: 10, Latency: 10 * time.Second})
	srv := httptest.NewServer(g)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/", nil)
	start := time.Now()
	_, err := srv.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("request took %v", d)
	}

	fast := testsite.NewGenerated(testsite.GenOptions{Pages: 10, Latency: 20 * time.Millisecond})
	srv2 := httptest.NewServer(fast)
	defer srv2.Close()
	start = time.Now()
	do(t, srv2.Client(), "GET", srv2.URL+"/", nil)
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("latency not applied: %v", d)
	}
}

func BenchmarkGeneratedArticle(b *testing.B) {
	g := testsite.NewGenerated(testsite.GenOptions{})
	i := 0
	for b.Loop() {
		page := g.Article("http://127.0.0.1:8080", i%g.Pages())
		b.SetBytes(int64(len(page)))
		i++
	}
}

func BenchmarkGeneratedServe(b *testing.B) {
	g := testsite.NewGenerated(testsite.GenOptions{})
	paths := make([]string, 256)
	for k := range paths {
		paths[k] = g.ArticlePath(k * 37 % g.Pages())
	}
	i := 0
	for b.Loop() {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, httptest.NewRequest("GET", "http://127.0.0.1:8080"+paths[i%len(paths)], nil))
		i++
	}
}
