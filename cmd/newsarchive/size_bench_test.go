package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// realPagesServer serves the real news pages of ../shared/benchmarks
// (articles and fundus: 379 pages of some 180 publishers, gzip files read at
// run time, never copied into the project) on loopback, with a front page
// linking them all. It skips b when the directory is absent (a user's clone).
func realPagesServer(b *testing.B) (url string, pages int) {
	b.Helper()
	root := filepath.Join("..", "..", "..", "shared", "benchmarks")
	files := map[string]string{}
	for _, set := range []string{"articles", "fundus"} {
		dir := filepath.Join(root, set, "html")
		ents, err := os.ReadDir(dir)
		if err != nil {
			b.Skipf("real news pages not found (%v): this benchmark needs ../shared/benchmarks", err)
		}
		for _, e := range ents {
			if name, ok := strings.CutSuffix(e.Name(), ".html.gz"); ok {
				files["/"+set+"/"+name] = filepath.Join(dir, e.Name())
			}
		}
	}
	var front strings.Builder
	front.WriteString("<!doctype html><html><body>")
	for p := range files {
		fmt.Fprintf(&front, "<a href=%q>page</a>\n", p)
	}
	front.WriteString("</body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, front.String())
			return
		}
		path, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.Copy(w, zr)
	}))
	b.Cleanup(srv.Close)
	return srv.URL + "/", len(files)
}

// BenchmarkArchiveSize crawls real news pages into a fresh SQLite archive
// and reports the archive's bytes per article against the compressed raw
// pages it keeps (issue 15's target: ≤ 1.5×). The crawl benchmark's
// generated pages compress far better than real ones (≈ 11:1), so the same
// ratio there is much higher: see docs/measurements.md.
//
//	go test -run '^$' -bench BenchmarkArchiveSize -benchtime 1x ./cmd/newsarchive
func BenchmarkArchiveSize(b *testing.B) {
	url, n := realPagesServer(b)
	for range b.N {
		db := filepath.Join(b.TempDir(), "size.db")
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hardStop: context.Background()}
		if code := run(context.Background(), e, []string{"crawl", "--db", db, "--delay", "0", "--parallelism", "4",
			"--max-depth", "1", url}); code != 0 {
			b.Fatalf("crawl exit %d: %s", code, errb.String())
		}
		h, err := sql.Open("sqlite", db)
		if err != nil {
			b.Fatal(err)
		}
		var articles, raw int64
		if _, err := h.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		if err := h.QueryRow(`SELECT (SELECT count(*) FROM articles), (SELECT coalesce(sum(length(body)), 0) FROM pages)`).
			Scan(&articles, &raw); err != nil {
			b.Fatal(err)
		}
		h.Close()
		fi, err := os.Stat(db)
		if err != nil {
			b.Fatal(err)
		}
		if articles == 0 {
			b.Fatal("no article archived")
		}
		perArticle := float64(fi.Size()) / float64(articles) / 1024
		rawPer := float64(raw) / float64(articles) / 1024
		fmt.Printf("archive size, %d real news pages (SQLite): %d articles, %.1f KB per article, compressed raw pages %.1f KB per article: %.2f× (target ≤ 1.5)\n",
			n, articles, perArticle, rawPer, perArticle/rawPer)
		b.ReportMetric(perArticle, "sqlite_KB/article")
		b.ReportMetric(perArticle/rawPer, "sqlite_x_raw")
	}
}
