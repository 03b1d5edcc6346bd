package archive

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/extract"
)

// storedArticles are records with every field set and the text a splice of
// the record JSON could trip on: quotes, escapes, HTML, `,"related":` and
// `,"body_text":""` inside strings, invalid UTF-8, empty bodies. The same
// articles (and a second version of the first) are in testdata/schema2.db,
// written by newsarchive before migration 0003.
func storedArticles() []*extract.Article {
	full := newArticle("https://example.com/2021/02/full", "Every field <set> & \"quoted\"",
		withAuthors("Eva Fox", "Jürgen Müller"),
		withEditors(extract.Editor{Name: "Ed Itor", Handle: "editor", URL: "https://example.com/ed"}),
		withTags("Energy", "Cars & Trucks"),
		withRelated(extract.Link{Title: `Related ,"related": "x"`, URL: "https://example.com/r1"}, extract.Link{Title: "Two", URL: "https://example.com/r2"}),
		withBody("First paragraph with \"quotes\", <tags> & ampersands, \\ backslash, ,\"related\": and \u2028 line sep.\n\nSecond: Grüße, 東京, emoji 🚗."))
	full.Byline = "By Eva Fox and Jürgen Müller, Reuters"
	full.ModifiedAt = "2021-02-11T10:00:00+01:00"
	full.Description = `Description with ,"body_text":"" inside`
	full.Image = &extract.Image{URL: "https://example.com/i.jpg", Caption: "A caption"}
	full.BodyHTML = "<p>First paragraph with &#34;quotes&#34;, &lt;tags&gt; &amp; ampersands</p>\n<p>Second: Grüße, 東京 🚗.</p>"
	full.Copyright = "© 2021 Example"
	full.Sources = map[string]string{"title": "jsonld", "body_text": "dom", "body_html": "dom", "related": "rule"}
	full.Partial = true
	full.Rule = "example.com"
	empty := newArticle("https://example.com/2021/02/empty", "Empty bodies", withBody(""))
	empty.BodyHTML = ""
	empty.Authors = nil
	bad := newArticle("https://example.com/2021/02/bad", "Invalid UTF-8", withBody("bad \xff\xfe bytes and a NUL-free tab\tend"))
	bad.BodyHTML = "<p>bad \xff bytes</p>"
	now := newArticle("https://example.com/2021/02/now", "Published now", withPublished("now"))
	plain := newArticle("https://example.com/2020/05/plain", "Plain older article", withPublished("2020-05-01"),
		withBody("electric vehicles in berlin"))
	return []*extract.Article{full, empty, bad, now, plain}
}

// TestRecordStoredOnce commits records with every field set and reads them
// back through every read path (Article, Version, Export, PagesForReextract):
// each gives the record json.Marshal wrote, byte for byte, while the stored
// record holds neither body and body_html is compressed.
func TestRecordStoredOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	run := startRun(t, s)
	arts := storedArticles()
	want := map[int64][]byte{} // version id -> record JSON
	wantArticle := map[int64]extract.Article{}
	for _, a := range arts {
		c := captureOf(a.URL, a)
		c.Page.ContentType = "text/html" // what PagesForReextract takes
		res := commit(t, s, run, c)
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		want[res[0].VersionID] = b
		var norm extract.Article // invalid UTF-8 reads back as U+FFFD, as before
		if err := json.Unmarshal(b, &norm); err != nil {
			t.Fatal(err)
		}
		wantArticle[res[0].ArticleID] = norm
	}
	for id, rec := range want {
		var (
			stored, text string
			html         []byte
		)
		if err := s.r.QueryRowContext(ctx, `SELECT record, body_text, body_html FROM versions WHERE id = ?`, id).
			Scan(&stored, &text, &html); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored, `"body_text"`) && !strings.Contains(stored, `"body_text":"dom"`) ||
			strings.Contains(stored, `"body_html":"<`) || html == nil {
			t.Errorf("version %d: bodies not stored once: record %s, body_html nil %v", id, stored, html == nil)
		}
		if len(text) > 0 && strings.Contains(stored, text[:min(len(text), 20)]) {
			t.Errorf("version %d: record still holds body_text: %s", id, stored)
		}
		v, err := s.Version(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var wantRec extract.Article
		if err := json.Unmarshal(rec, &wantRec); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v.Record, wantRec) {
			t.Errorf("Version(%d).Record = %+v, want %+v", id, v.Record, wantRec)
		}
	}
	for id, a := range wantArticle {
		ar, err := s.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ar.Record, a) {
			t.Errorf("Article(%d).Record = %+v, want %+v", id, ar.Record, a)
		}
	}
	n := 0
	for r, err := range s.Export(ctx, "", SearchOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if !bytes.Equal(r.Record, want[r.VersionID]) {
			t.Errorf("Export version %d record =\n%s\nwant\n%s", r.VersionID, r.Record, want[r.VersionID])
		}
	}
	if n != len(arts) {
		t.Errorf("Export gave %d records, want %d", n, len(arts))
	}
	n = 0
	for p, err := range s.PagesForReextract(ctx, ReextractFilter{}) {
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := s.r.QueryRowContext(ctx, `SELECT id FROM versions WHERE page_id = ?`, p.Page.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		n++
		if !bytes.Equal(p.Current, want[id]) {
			t.Errorf("PagesForReextract page %d Current =\n%s\nwant\n%s", p.Page.ID, p.Current, want[id])
		}
	}
	if n != len(arts) {
		t.Errorf("PagesForReextract gave %d pages, want %d", n, len(arts))
	}
	// The searchable copy is the column: the index finds a body word.
	if hits, err := s.Search(ctx, "ampersands", SearchOptions{}); err != nil || len(hits) != 1 {
		t.Errorf("Search(ampersands) = %v, %v; want 1 hit", hits, err)
	}
}

// TestSplitRecordRefusesWhatItCannotRebuild: a record whose bodies are not
// where json.Marshal of an extract.Article puts them stays whole.
func TestSplitRecordRefusesWhatItCannotRebuild(t *testing.T) {
	for _, rec := range []string{
		`{"title":"t","related":[],"body_text":"a","body_html":"b"}`, // bodies after related
		`{"title":"t","body_html":"b","body_text":"a","related":[]}`, // other order
		`{"x":1,"body_text":"a","body_html":"b"}`,                    // no related
	} {
		if got, ok := splitRecord([]byte(rec), "a", "b"); ok {
			t.Errorf("splitRecord(%s) = %s, true; want false", rec, got)
		}
	}
	got, ok := splitRecord([]byte(`{"title":"t","body_text":"a","body_html":"b","related":null}`), "a", "b")
	if !ok || string(got) != `{"title":"t","related":null}` {
		t.Errorf("splitRecord = %s, %v; want the record without bodies", got, ok)
	}
}

// schema2Records reads the record column of every version in a schema-2
// archive file (where it holds the whole record), by version id.
func schema2Records(t *testing.T, path string) map[int64][]byte {
	t.Helper()
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, record FROM versions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	recs := map[int64][]byte{}
	for rows.Next() {
		var (
			id  int64
			rec []byte
		)
		if err := rows.Scan(&id, &rec); err != nil {
			t.Fatal(err)
		}
		recs[id] = rec
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return recs
}

// copySchema2 copies testdata/schema2.db into a temporary directory. It was
// written by newsarchive at commit 0ffe7bc (before migration 0003: records
// with both bodies) by committing storedArticles() one capture each, then a
// second version of the first with a paragraph added, and VACUUMed.
func copySchema2(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "schema2.db"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkRecords compares every read path of s with the records of the
// schema-2 file, and a search with its hit.
func checkRecords(t *testing.T, s *Store, old map[int64][]byte) {
	t.Helper()
	ctx := context.Background()
	for id, rec := range old {
		v, err := s.Version(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var want extract.Article
		if err := json.Unmarshal(rec, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(v.Record, want) {
			t.Errorf("Version(%d).Record = %+v, want %+v", id, v.Record, want)
		}
	}
	n := 0
	for r, err := range s.Export(ctx, "", SearchOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if !bytes.Equal(r.Record, old[r.VersionID]) {
			t.Errorf("Export version %d record =\n%s\nwant\n%s", r.VersionID, r.Record, old[r.VersionID])
		}
	}
	if n != 5 {
		t.Errorf("Export gave %d records, want 5", n)
	}
	hits, err := s.Search(ctx, "berlin", SearchOptions{})
	if err != nil || len(hits) != 1 || hits[0].Title != "Plain older article" {
		t.Errorf("Search(berlin) = %+v, %v; want the plain article", hits, err)
	}
	hits, err = s.Search(ctx, "ampersands", SearchOptions{Since: parseTime("2021-01-01T00:00:00Z")})
	if err != nil || len(hits) != 1 {
		t.Errorf("Search(ampersands, since 2021) = %+v, %v; want 1 hit", hits, err)
	}
}

// TestSchema2ReadOnly: an archive written before migration 0003, opened
// read-only (which cannot migrate), reads and searches as before.
func TestSchema2ReadOnly(t *testing.T) {
	p := copySchema2(t)
	old := schema2Records(t, p)
	if len(old) != 6 {
		t.Fatalf("fixture holds %d versions, want 6", len(old))
	}
	s, err := OpenReadOnly(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.schema != 2 {
		t.Fatalf("schema = %d, want 2", s.schema)
	}
	checkRecords(t, s, old)
}

// TestMigrateSchema2: opening an archive written before migration 0003 for
// writing splits every record; every read path then gives the old records
// byte for byte and the index still answers.
func TestMigrateSchema2(t *testing.T) {
	ctx := context.Background()
	p := copySchema2(t)
	old := schema2Records(t, p)
	s, err := Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := queryInt(t, s, `SELECT max(version) FROM schema_migrations`); got != latestMigration() {
		t.Errorf("schema = %d, want %d", got, latestMigration())
	}
	// All but one: the body_html with invalid UTF-8, which the old record
	// holds as \ufffd escapes that no string marshals back to; that record
	// stays whole (body_html NULL) and reads as before.
	if got := queryInt(t, s, `SELECT count(*) FROM versions WHERE body_html IS NULL OR record LIKE '%"body_html":"\u003c%'`); got != 1 {
		t.Errorf("%d versions still hold their bodies in the record, want 1", got)
	}
	if got := queryInt(t, s, `SELECT count(*) FROM versions WHERE body_html IS NULL AND url LIKE '%/bad'`); got != 1 {
		t.Errorf("the invalid UTF-8 record was split (%d): its bytes would change", 1-got)
	}
	var (
		textIn  string
		textCol string
	)
	if err := s.r.QueryRowContext(ctx, `SELECT json_extract(record, '$.body_text') IS NULL, body_text FROM versions WHERE id = 1`).
		Scan(&textIn, &textCol); err != nil {
		t.Fatal(err)
	}
	if textIn != "1" || !strings.Contains(textCol, "ampersands") {
		t.Errorf("version 1: body_text in record: %s, column %q", textIn, textCol)
	}
	checkRecords(t, s, old)
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("FTS integrity-check after migration: %v", err)
	}
	if ic, err := s.IntegrityCheck(ctx); err != nil || ic != "ok" {
		t.Errorf("integrity_check = %q, %v", ic, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Migrated once: opening again (read-only and for writing) changes nothing.
	r, err := OpenReadOnly(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	checkRecords(t, r, old)
	r.Close()
}
