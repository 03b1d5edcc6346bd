package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// pageBodies returns page id → sha256 of the stored (decoded) body, from
// the bodies themselves, not the stored digest column.
func pageBodies(t *testing.T, db string) map[int64]string {
	t.Helper()
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Query(t.Context(), `SELECT id FROM pages ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := map[int64]string{}
	for _, id := range ids {
		p, err := st.Page(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = sha1B32(p.Body) + "/" + p.SHA256
	}
	return out
}

func TestReextractAfterRuleChange(t *testing.T) {
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true}))
	defer srv.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	code, out, stderr := runCmd(t, "crawl", "--db", db, "--delay", "0", "--quiet", srv.URL+"/")
	if code != 0 {
		t.Fatalf("crawl exit %d\n%s\n%s", code, out, stderr)
	}
	srv.Close()
	before := pageBodies(t, db)
	recordsBefore := latestRecords(t, db)

	// Unchanged rules: nothing to do.
	code, out, stderr = runCmd(t, "reextract", "--db", db, "--json", "--quiet")
	if code != 0 {
		t.Fatalf("reextract exit %d\n%s\n%s", code, out, stderr)
	}
	var sum reextractSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Changed != 0 || sum.NewArticles != 0 || sum.Articles != len(recordsBefore) {
		t.Errorf("reextract with the same rules: %+v, want %d unchanged articles", sum, len(recordsBefore))
	}

	// A changed site rule: the body is now only the first paragraph.
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
	code, out, stderr = runCmd(t, "reextract", "--db", db, "--rules", rules, "--site", "127.0.0.1", "--json", "--quiet")
	if code != 0 {
		t.Fatalf("reextract exit %d\n%s\n%s", code, out, stderr)
	}
	sum = reextractSummary{}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Changed == 0 || sum.FieldsChanged["body_text"] != sum.Changed || sum.FieldsChanged["title"] != 0 {
		t.Errorf("reextract after the rule change: %+v, want every changed record to report its body, and no title", sum)
	}
	after := latestRecords(t, db)
	bodies := 0
	for u, rec := range after {
		var a, b struct {
			Body    string `json:"body_text"`
			Version string `json:"extractor_version"`
		}
		_ = json.Unmarshal([]byte(recordsBefore[u]), &a)
		_ = json.Unmarshal([]byte(rec), &b)
		if a.Body != b.Body {
			bodies++
			if len(b.Body) >= len(a.Body) || b.Version == "" {
				t.Errorf("%s: new body %d bytes (was %d), extractor version %q", u, len(b.Body), len(a.Body), b.Version)
			}
		}
	}
	if bodies != sum.Changed {
		t.Errorf("%d latest records have a new body, report says %d changed", bodies, sum.Changed)
	}
	// The raw pages are untouched.
	got := pageBodies(t, db)
	if len(got) != len(before) {
		t.Errorf("%d pages after, %d before", len(got), len(before))
	}
	for id, h := range before {
		if got[id] != h {
			t.Errorf("page %d body changed: %s → %s", id, h, got[id])
		}
	}
	integrityOK(t, db)

	// --site that matches nothing re-extracts nothing.
	code, out, _ = runCmd(t, "reextract", "--db", db, "--site", "example.org", "--json", "--quiet")
	if code != 0 || !strings.Contains(out, `"pages":0`) {
		t.Errorf("reextract --site example.org: exit %d, %s", code, out)
	}
}
