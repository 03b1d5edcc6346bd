package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/archivecopy"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
	"github.com/newsarchive/newsarchive/internal/pgtest"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// TestReextractPostgres: an archive copied into PostgreSQL and re-extracted
// there, with the same rules and then with a changed site rule, reports what
// the SQLite archive reports and ends up with the same pages and versions
// (archivecopy.Compare: every page, every version's record in order).
func TestReextractPostgres(t *testing.T) {
	pgURL := pgtest.DB(t)
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true}))
	defer srv.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if code, out, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", srv.URL+"/"); code != 0 {
		t.Fatalf("crawl exit %d\n%s\n%s", code, out, stderr)
	}
	srv.Close()
	copyJSON(t, db, pgURL)

	rule, err := os.ReadFile(filepath.Join("..", "..", "extract", "rules", "tesmanian.json"))
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(rule), `"body": ".article-content .prose, .blog_content"`,
		`"body": ".article-content .prose > p:first-of-type, .blog_content > p:first-of-type"`, 1)
	if changed == string(rule) {
		t.Fatal("the tesmanian rule has no body selector to change")
	}
	rules := filepath.Join(dir, "rules")
	if err := os.MkdirAll(rules, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rules, "tesmanian.json"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	reextractJSON := func(target string, extra ...string) reextractSummary {
		t.Helper()
		code, out, stderr := runCmd(t, append([]string{"reextract", "--db", target, "--json", "--quiet"}, extra...)...)
		if code != 0 {
			t.Fatalf("reextract --db %s %v: exit %d\n%s\n%s", target, extra, code, out, stderr)
		}
		var s reextractSummary
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("reextract --json: %v\n%s", err, out)
		}
		s.DB, s.Seconds = "", 0
		return s
	}
	same := func(what string, a, b reextractSummary) {
		t.Helper()
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s: SQLite %s\nPostgreSQL %s", what, ja, jb)
		}
	}
	// The same rules: nothing changes on either.
	s1, p1 := reextractJSON(db), reextractJSON(pgURL)
	same("unchanged rules", s1, p1)
	if p1.Articles == 0 || p1.Changed != 0 || p1.NewArticles != 0 {
		t.Errorf("PostgreSQL, unchanged rules: %+v, want articles and no change", p1)
	}
	// The changed rule, on one host: the same new versions.
	s2 := reextractJSON(db, "--rules", rules, "--site", "127.0.0.1")
	p2 := reextractJSON(pgURL, "--rules", rules, "--site", "127.0.0.1")
	same("changed rule", s2, p2)
	if p2.Changed == 0 || p2.FieldsChanged["body_text"] != p2.Changed {
		t.Errorf("PostgreSQL, changed rule: %+v, want changed bodies", p2)
	}
	// A filter matching nothing.
	if p := reextractJSON(pgURL, "--rules", rules, "--site", "example.org"); p.Pages != 0 {
		t.Errorf("PostgreSQL, --site example.org: %d pages, want 0", p.Pages)
	}

	ctx := t.Context()
	st, err := archive.OpenReadOnly(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pg, err := pgarchive.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if err := archivecopy.Compare(ctx, st, pg); err != nil {
		t.Errorf("after re-extraction, SQLite and PostgreSQL differ: %v", err)
	}
	// The full-text rows follow the new versions: the shorter bodies match
	// fewer articles, as many on both.
	for _, w := range []string{"the", "tesla", "said"} {
		ns, err := st.MatchCount(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		np, err := pg.MatchCount(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		if ns != np || ns == 0 {
			t.Errorf("%q matches %d articles on SQLite, %d on PostgreSQL", w, ns, np)
		}
	}
}
