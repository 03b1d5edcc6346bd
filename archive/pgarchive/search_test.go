package pgarchive

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/internal/pgtest"
)

// windowCorpus commits 12 articles mentioning "battery", oldest first:
// report 1 has it three times in its title, the others in the body only;
// even ones are by Eva Fox, odd ones by Bob Roe.
func windowCorpus(t *testing.T, db *DB) {
	t.Helper()
	windowCorpusFrom(t, db, 0, 12)
}

// windowCorpusFrom commits n articles of windowCorpus from the first.
func windowCorpusFrom(t *testing.T, db *DB, first, n int) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := first; i < first+n; i++ {
		title := fmt.Sprintf("Report %d", i)
		if i == 1 {
			title = "Battery battery battery" // old, strong title match
		}
		u := fmt.Sprintf("https://example.com/n/%d", i)
		author := "Eva Fox"
		if i%2 == 1 {
			author = "Bob Roe"
		}
		body := fmt.Sprintf("The battery story number %d about cells.", i)
		a := &extract.Article{URL: u, CanonicalURL: u, SiteName: "Example", Title: title,
			Authors: []extract.Author{{Name: author}}, PublishedAt: t0.Add(time.Duration(i) * time.Hour).Format(time.RFC3339),
			BodyText: body, BodyHTML: "<p>" + body + "</p>", ExtractorVersion: "test", IsArticle: true}
		c := archive.Capture{Entry: archive.QueueEntry{URL: u, Kind: "page", Attempts: 1}, State: archive.StateDone,
			Page: &archive.Page{URL: u, FinalURL: u, Status: 200, FetchedAt: t0.Add(time.Duration(i) * time.Hour),
				Header: http.Header{"Content-Type": {"text/html"}}, ContentType: "text/html", Body: []byte("<p>" + body + "</p>")},
			Article: a}
		if _, err := (pgBackend{db}).Commit(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
}

func titles(hits []archive.SearchHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Title)
	}
	return out
}

// TestSearchRankWindow is the SQLite archive's TestSearchRankWindow on
// PostgreSQL: above the window only the newest matches and the recent
// title matches below them are ranked, filters apply before the window,
// and an exhaustive search ranks every match.
func TestSearchRankWindow(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	windowCorpus(t, db)
	first := func(query string, opts archive.SearchOptions, rankW, titleW int) string {
		t.Helper()
		hits, err := db.search(ctx, query, opts, rankW, titleW)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			return ""
		}
		if hits[0].Snippet == "" {
			t.Errorf("%q: no snippet: %+v", query, hits[0])
		}
		return hits[0].Title
	}
	one := archive.SearchOptions{Limit: 1}
	for _, c := range []struct {
		what, query   string
		opts          archive.SearchOptions
		rankW, titleW int
		want          string
	}{
		// Window max(3, 4×1) = 4 newest (reports 8–11) plus report 1, an
		// older title match: its title ranks it first.
		{"title window", "battery", one, 3, 3, "Battery battery battery"},
		// Without the title window, report 1 is not ranked.
		{"no title window", "battery", one, 3, 0, "Report 8"},
		{"exhaustive", "battery", archive.SearchOptions{Limit: 1, Exhaustive: true}, 3, 0, "Battery battery battery"},
		// Equal scores: the lowest article id of the window wins.
		{"body only", "cells", one, 4, 3, "Report 8"},
		{"body only, exhaustive", "cells", archive.SearchOptions{Limit: 1, Exhaustive: true}, 4, 3, "Report 0"},
		// The window grows with the page: 4×(8+1) covers everything.
		{"deep page", "cells", archive.SearchOptions{Limit: 1, Offset: 8}, 4, 3, "Report 8"},
		{"wide window", "cells", one, 100, 3, "Report 0"},
		// Filters before the window: Eva Fox's 4 newest are 4, 6, 8, 10.
		{"author", "cells", archive.SearchOptions{Limit: 1, Author: "eva fox"}, 4, 3, "Report 4"},
		// Published before report 6: the window is reports 2–5.
		{"until", "cells", archive.SearchOptions{Limit: 1, Until: time.Date(2024, 5, 1, 6, 0, 0, 0, time.UTC)}, 4, 3, "Report 2"},
		{"site", "cells", archive.SearchOptions{Limit: 1, Site: "example.com"}, 4, 3, "Report 8"},
	} {
		if got := first(c.query, c.opts, c.rankW, c.titleW); got != c.want {
			t.Errorf("%s: %q %+v windows %d/%d: first hit %q, want %q", c.what, c.query, c.opts, c.rankW, c.titleW, got, c.want)
		}
	}
	// The window holds exactly its candidates: 4 newest + 1 title match.
	hits, err := db.search(ctx, "battery", archive.SearchOptions{Limit: 1000}, 4, 1)
	if err != nil || len(hits) != 12 {
		t.Errorf("limit 1000: %d hits, %v; want all 12 (window 4,000)", len(hits), err)
	}
	var got []string
	for off := range 2 {
		h, err := db.search(ctx, "battery", archive.SearchOptions{Limit: 1, Offset: off}, 8, 0)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, titles(h)...)
	}
	if len(got) != 2 || got[0] == "Battery battery battery" || got[1] == "Battery battery battery" {
		t.Errorf("window 8 without titles, first two: %v, want reports 4–11 only", got)
	}
}

// TestMigrateSearchWindow: migration 0007 upgrades an archive written
// before it (the same archive with 0007 undone): every search row gets its
// title lexemes, and the title window works on the rows written before.
func TestMigrateSearchWindow(t *testing.T) {
	ctx := context.Background()
	u := pgtest.DB(t)
	db, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	windowCorpus(t, db)
	for _, stmt := range []string{
		`DROP INDEX article_search_title`,
		`ALTER TABLE article_search DROP COLUMN title`,
		`ALTER TABLE article_search RESET (toast_tuple_target)`,
		`ALTER INDEX article_search_document RESET (gin_pending_list_limit)`,
		`DELETE FROM schema_migrations WHERE version = 7`,
		`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET jit', current_database()); END $$`,
	} {
		if _, err := db.pool.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	db.Close()
	if db, err = Open(ctx, u); err != nil {
		t.Fatalf("reopen (migration 0007): %v", err)
	}
	defer db.Close()
	var rows, titled int
	var title string
	if err := db.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE title <> ''::tsvector),
		max(title::text) FILTER (WHERE article_id = (SELECT id FROM articles WHERE canonical_url = 'https://example.com/n/1'))
		FROM article_search`).Scan(&rows, &titled, &title); err != nil {
		t.Fatal(err)
	}
	var opts string
	if err := db.pool.QueryRow(ctx, `SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'article_search_document'`).Scan(&opts); err != nil || opts != "gin_pending_list_limit=256" {
		t.Errorf("article_search_document options %q, %v", opts, err)
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	var jit string
	if err := conn.QueryRow(ctx, `SHOW jit`).Scan(&jit); err != nil || jit != "off" {
		t.Errorf("jit in a new session: %q, %v; want off", jit, err)
	}
	conn.Close(ctx)
	if rows != 12 || titled != 12 || title != "'battery':1A,2A,3A" {
		t.Errorf("after 0007: %d rows, %d with a title, article 1's title %q", rows, titled, title)
	}
	hits, err := db.search(ctx, "battery", archive.SearchOptions{Limit: 1}, 3, 3)
	if err != nil || len(hits) != 1 || hits[0].Title != "Battery battery battery" {
		t.Errorf("title window after 0007: %v, %v", titles(hits), err)
	}
	// New rows get theirs from the commit path.
	windowCorpusFrom(t, db, 12, 1)
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE title <> ''::tsvector) FROM article_search`).Scan(&titled); err != nil || titled != 13 {
		t.Errorf("a row committed after 0007: %d titled, %v", titled, err)
	}
}
