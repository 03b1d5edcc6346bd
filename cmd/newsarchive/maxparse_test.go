package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportAndReextractBoundTheParse checks that import and reextract parse
// only a prefix of a huge page, as crawl does: the record of a page longer
// than the cap is marked partial (and the raw page is kept whole), and
// reextract --max-parse 0 parses it whole again.
func TestImportAndReextractBoundTheParse(t *testing.T) {
	dir := t.TempDir()
	// An article (headline, byline, date, paragraphs) followed by more than
	// defaultMaxParse bytes of comment.
	para := "<p>" + strings.Repeat("A sentence of the article that is long enough to be read as prose, with commas. ", 4) + "</p>"
	huge := `<!doctype html><html><head><title>Huge page</title></head><body><article><h1>Huge page</h1>` +
		`<p class="byline">By Jane Doe</p><time datetime="2024-05-03T10:00:00Z">3 May 2024</time>` +
		strings.Repeat(para, 6) + `</article><!-- ` + strings.Repeat("x", defaultMaxParse+1<<20) + ` --></body></html>`
	warcPath := filepath.Join(dir, "huge.warc")
	rec := record{uri: "http://example.org/huge", id: "<urn:uuid:00000000-0000-4000-8000-000000000001>", block: httpResponse(huge)}
	if err := os.WriteFile(warcPath, plain(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "a.db")
	if code, out, stderr := runCmd(t, "import", "--db", db, "--quiet", warcPath); code != 0 {
		t.Fatalf("import exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	partial := func() string {
		t.Helper()
		code, out, stderr := runCmd(t, "sql", "--db", db,
			"SELECT json_extract(v.record, '$.partial') IS 1 AS partial, p.size FROM versions v JOIN pages p ON p.id = v.page_id")
		if code != 0 {
			t.Fatalf("sql exit %d: %s", code, stderr)
		}
		return out
	}
	if out := partial(); !strings.Contains(out, "1") || !strings.Contains(out, "5") {
		t.Fatalf("after import, want a partial record of a page kept whole; got:\n%s", out)
	}
	if code, out, stderr := runCmd(t, "reextract", "--db", db, "--quiet", "--max-parse", "0"); code != 0 {
		t.Fatalf("reextract exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	if out := partial(); !strings.Contains(out, "0") {
		t.Fatalf("after reextract --max-parse 0, want a whole-page record; got:\n%s", out)
	}
}
