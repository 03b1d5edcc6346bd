package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
	"github.com/newsarchive/newsarchive/internal/pgtest"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// sameRecords checks that every fixture article has the same record in the
// SQLite archive at sqlitePath and in the PostgreSQL database at pgURL.
func sameRecords(t *testing.T, sqlitePath, pgURL string) {
	t.Helper()
	ctx := context.Background()
	s, err := archive.OpenReadOnly(ctx, sqlitePath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := pgarchive.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, u := range fixtureArticles(t) {
		a, err := s.ArticleByURL(ctx, u)
		if err != nil {
			t.Errorf("SQLite %s: %v", u, err)
			continue
		}
		b, err := db.ArticleByURL(ctx, u)
		if err != nil {
			t.Errorf("PostgreSQL %s: %v", u, err)
			continue
		}
		ja, _ := json.Marshal(a.Record)
		jb, _ := json.Marshal(b.Record)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s: records differ\nSQLite:     %.300s\nPostgreSQL: %.300s", u, ja, jb)
		}
		if len(a.Versions) != len(b.Versions) {
			t.Errorf("%s: %d versions in SQLite, %d in PostgreSQL", u, len(a.Versions), len(b.Versions))
		}
	}
}

// TestCrawlPostgres crawls the fixture site with crawl --db postgres://…:
// the worker's summary has its name and the fleet's totals (nothing left),
// every fixture article has the record a SQLite crawl stores, and a second
// crawl of the finished archive fetches no article again.
func TestCrawlPostgres(t *testing.T) {
	pg := pgtest.DB(t)
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()

	code, out, stderr := runCmd(t, "crawl", "--db", pg, "--worker", "w1", "--lease-ttl", "3s", "--delay", "0", "--quiet", "--json", srv.URL+"/")
	if code != 0 {
		t.Fatalf("crawl exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	var sum crawlSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("summary is not JSON: %v\n%s", err, out)
	}
	if sum.Worker != "w1" || sum.Fleet == nil || sum.Fleet.Queued+sum.Fleet.InFlight != 0 || sum.Fleet.Done == 0 {
		t.Errorf("summary worker %q, fleet %+v; want w1 and an empty frontier", sum.Worker, sum.Fleet)
	}
	if want := int64(len(fixtureArticles(t))); sum.NewArticles != want {
		t.Errorf("new_articles = %d, want %d", sum.NewArticles, want)
	}
	lite := filepath.Join(t.TempDir(), "a.db")
	if code, out, stderr := runCmd(t, "crawl", "--db", lite, "--delay", "0", "--quiet", "--json", srv.URL+"/"); code != 0 {
		t.Fatalf("SQLite crawl exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	sameRecords(t, lite, pg)

	// Again on the finished fleet archive: a new run, the seeds queued
	// again, no article fetched again (the SQLite crawl fetched each once
	// too: two requests each in all).
	code, out, stderr = runCmd(t, "crawl", "--db", pg, "--worker", "w2", "--delay", "0", "--quiet", "--json", srv.URL+"/")
	if code != 0 {
		t.Fatalf("second crawl exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	var sum2 crawlSummary
	if err := json.Unmarshal([]byte(out), &sum2); err != nil {
		t.Fatal(err)
	}
	if sum2.RunID == sum.RunID || sum2.Resumed || sum2.NewArticles != 0 {
		t.Errorf("second crawl: run %d (first %d), resumed %v, %d new articles; want a new run and nothing new",
			sum2.RunID, sum.RunID, sum2.Resumed, sum2.NewArticles)
	}
	if site.Requests("/") != 3 {
		t.Errorf("home page requested %d times, want 3 (two crawls into PostgreSQL, one into SQLite)", site.Requests("/"))
	}
	for _, line := range site.RequestLog() {
		_, p, _ := strings.Cut(line, " ")
		if strings.HasPrefix(p, "/blogs/tesmanian-blog/") && !strings.Contains(p, "?") && !strings.Contains(p, "/tagged/") && site.Requests(p) > 2 {
			t.Errorf("%s requested %d times, want at most 2 (once per backend)", p, site.Requests(p))
		}
	}
}

// TestWatchRefusesPostgres: watch says in one line that it does not run on
// PostgreSQL.
func TestWatchRefusesPostgres(t *testing.T) {
	code, _, stderr := runCmd(t, "watch", "--db", "postgres://127.0.0.1:1/none", "http://127.0.0.1:1/")
	if code != 1 || !strings.Contains(stderr, "watch does not run on PostgreSQL") {
		t.Errorf("watch on PostgreSQL: exit %d, stderr %q", code, stderr)
	}
}

// TestImportPostgres imports the WARC files of a crawl into SQLite and into
// PostgreSQL: the same pages and the same records.
func TestImportPostgres(t *testing.T) {
	pg := pgtest.DB(t)
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true}))
	defer srv.Close()
	dir := t.TempDir()
	wdir := filepath.Join(dir, "warc")
	crawlWARC(t, srv.URL+"/", filepath.Join(dir, "crawl.db"), wdir)
	files := warcFiles(t, wdir)

	lite := filepath.Join(dir, "b.db")
	var sums [2]importSummary
	for i, db := range []string{lite, pg} {
		code, out, stderr := runCmd(t, append([]string{"import", "--db", db, "--worker", "importer", "--json", "--quiet"}, files...)...)
		if code != 0 {
			t.Fatalf("import into %s: exit %d\nstdout: %s\nstderr: %s", db, code, out, stderr)
		}
		if err := json.Unmarshal([]byte(out), &sums[i]); err != nil {
			t.Fatal(err)
		}
	}
	if sums[0].Pages != sums[1].Pages || sums[0].NewArticles != sums[1].NewArticles || sums[1].Pages == 0 {
		t.Errorf("SQLite import: %d pages, %d new articles; PostgreSQL: %d, %d",
			sums[0].Pages, sums[0].NewArticles, sums[1].Pages, sums[1].NewArticles)
	}
	sameRecords(t, lite, pg)

	// An import touches no frontier row and is a finished run of its own.
	ctx := context.Background()
	db, err := pgarchive.Open(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.Fleet().Counts(ctx)
	if err != nil || len(c) != 0 {
		t.Errorf("fleet frontier after an import: %v, %v; want empty", c, err)
	}
	runs, err := db.Runs(ctx)
	if err != nil || len(runs) != 1 || runs[0].Status != archive.RunFinished {
		t.Errorf("runs after an import: %+v, %v", runs, err)
	}
}
