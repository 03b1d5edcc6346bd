package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestCrawlArticleDetection crawls a loopback site whose home page lists 100
// headlines as links (one to the site's article, the rest elsewhere) and
// whose article is plainly one (headline, byline, date, five paragraphs
// inside <article>) but carries malformed JSON-LD: the article is archived,
// the home page is not.
func TestCrawlArticleDetection(t *testing.T) {
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", "detect", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	home, article := read("home-headlines.html"), read("article-bad-jsonld.html")
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(home)
	})
	mux.HandleFunc("/news/2024/05/harbour-ferry-returns", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(article)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "a.db")
	crawlJSON(t, db, srv.URL+"/")
	got := archivedArticles(t, db)
	if want := srv.URL + "/news/2024/05/harbour-ferry-returns"; got[want] != 1 || len(got) != 1 {
		t.Errorf("articles archived = %v, want only %s", got, want)
	}
}
