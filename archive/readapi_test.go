package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/newsarchive/newsarchive/extract"
)

// TestSearchRankWindow checks the windowed ranking of queries with many
// matches: the newest matches and older title matches are ranked, and an
// exhaustive search ranks them all.
func TestSearchRankWindow(t *testing.T) {
	s, _ := openTest(t)
	run := startRun(t, s)
	var caps []Capture
	for i := range 12 {
		title := fmt.Sprintf("Report %d", i)
		if i == 1 {
			title = "Battery battery battery" // old, strong title match
		}
		u := fmt.Sprintf("https://example.com/n/%d", i)
		caps = append(caps, captureOf(u, newArticle(u, title, withBody("The battery story number "+fmt.Sprint(i)+" about cells."))))
	}
	commit(t, s, run, caps...)
	s.testRankWindow = 3
	hits, err := s.Search(t.Context(), "battery", SearchOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].Title != "Battery battery battery" {
		t.Errorf("windowed search = %+v, want the old title match first", hits)
	}
	if hits[0].Snippet == "" || hits[1].Snippet == "" {
		t.Errorf("snippets missing: %+v", hits)
	}
	// Window is max(3, 4×limit)=8 newest + title matches: report 0 (oldest,
	// body only) is outside it; exhaustive ranking reaches it.
	all, err := s.Search(t.Context(), "battery", SearchOptions{Limit: 20})
	if err != nil || len(all) != 12 {
		t.Fatalf("limit 20 = %d hits, %v", len(all), err)
	}
	s.testRankWindow = 0
	ex, err := s.Search(t.Context(), "battery", SearchOptions{Limit: 20, Exhaustive: true})
	if err != nil || len(ex) != 12 {
		t.Fatalf("exhaustive = %d hits, %v", len(ex), err)
	}
	for i := range all {
		if all[i].ArticleID != ex[i].ArticleID {
			t.Errorf("rank %d: windowed %d, exhaustive %d", i, all[i].ArticleID, ex[i].ArticleID)
		}
	}
	s.testRankWindow = 2
	few, err := s.Search(t.Context(), "cells", SearchOptions{Limit: 1, Author: "Eva Fox"})
	if err != nil || len(few) != 1 {
		t.Fatalf("filtered windowed search = %v, %v", few, err)
	}
}

func TestExportAndLinks(t *testing.T) {
	s, ids := searchCorpus(t)
	run := startRun(t, s)
	u := "https://www.tesmanian.com/blogs/n/linker"
	a := newArticle(u, "Linker", withBody("Links to others."), withRelated(
		extract.Link{Title: "Clubhouse", URL: "https://www.tesmanian.com/blogs/n/clubhouse"},
		extract.Link{Title: "Elsewhere", URL: "https://elsewhere.example/x"}))
	linker := commit(t, s, run, captureOf(u, a))[0].ArticleID

	var got []int64
	for r, err := range s.Export(t.Context(), "", SearchOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		var rec extract.Article
		if err := json.Unmarshal(r.Record, &rec); err != nil || rec.CanonicalURL != r.CanonicalURL || r.Versions != 1 {
			t.Errorf("export record %d: %v %+v", r.ArticleID, err, r)
		}
		got = append(got, r.ArticleID)
	}
	if len(got) != 5 || !slices.IsSorted(got) {
		t.Errorf("export ids = %v", got)
	}
	got = nil
	for r, err := range s.Export(t.Context(), "musk", SearchOptions{Author: "Kristen Chen"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.ArticleID)
	}
	if !slices.Equal(got, []int64{ids["spacex"]}) {
		t.Errorf("filtered export = %v", got)
	}
	for _, err := range s.Export(t.Context(), `"open`, SearchOptions{}) {
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("bad query err = %v", err)
		}
	}
	var edges []LinkEdge
	for e, err := range s.Links(t.Context(), "", SearchOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		edges = append(edges, *e)
	}
	want := []LinkEdge{
		{FromArticleID: linker, FromURL: u, Position: 0, ToURL: "https://www.tesmanian.com/blogs/n/clubhouse", ToArticleID: ids["clubhouse"], Title: "Clubhouse"},
		{FromArticleID: linker, FromURL: u, Position: 1, ToURL: "https://elsewhere.example/x", Title: "Elsewhere"},
	}
	if !slices.Equal(edges, want) {
		t.Errorf("links = %+v\nwant %+v", edges, want)
	}
}

func TestQueryReadOnly(t *testing.T) {
	s, _ := searchCorpus(t)
	ctx := t.Context()
	rows, err := s.Query(ctx, `SELECT count(*) FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for rows.Next() {
		rows.Scan(&n)
	}
	rows.Close()
	if n != 4 {
		t.Errorf("count = %d", n)
	}
	for _, q := range []string{`SELECT * FROM pragma_table_info('articles')`, `PRAGMA table_info(articles)`,
		`SELECT title FROM articles_fts WHERE articles_fts MATCH 'musk'`, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<3) SELECT * FROM c`} {
		rows, err := s.Query(ctx, q)
		if err != nil {
			t.Errorf("Query(%q) = %v", q, err)
			continue
		}
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			t.Errorf("Query(%q) rows: %v", q, err)
		}
		rows.Close()
	}
	for _, q := range []string{
		`INSERT INTO tags (name) VALUES ('x')`, `UPDATE articles SET site_name = 'x'`, `DELETE FROM articles`,
		`DROP TABLE tags`, `CREATE TABLE t (x)`, `CREATE TEMP TABLE t (x)`,
		`ATTACH DATABASE '` + t.TempDir() + `/other.db' AS o`, `PRAGMA query_only = 0`, `PRAGMA user_version = 7`,
		`PRAGMA journal_mode = DELETE`, `SELECT 1; DELETE FROM articles`, `REPLACE INTO tags (id, name) VALUES (1, 'y')`,
		`INSERT INTO articles_fts (articles_fts) VALUES ('optimize')`, `VACUUM`, `BEGIN IMMEDIATE`,
	} {
		rows, err := s.Query(ctx, q)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		if err == nil {
			t.Errorf("Query(%q) succeeded, want refused", q)
		} else if !errors.Is(err, ErrWriteRefused) {
			t.Logf("Query(%q) = %v (refused, not by the authorizer)", q, err)
		}
	}
	if n := queryInt(t, s, `SELECT count(*) FROM articles`); n != 4 {
		t.Errorf("articles after refused writes = %d", n)
	}
}
