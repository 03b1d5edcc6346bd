package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	newsarchive "github.com/newsarchive/newsarchive"
	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// kremlinPath is the reference article's path on the fixture site.
const kremlinPath = "/blogs/tesmanian-blog/the-kremlin-considers-elon-musks-clubhouse-chat-invite-to-russian-president-vladimir-putin-a-very-interesting-proposal"

// Headlines of the reference article before and after the edit changedArchive makes.
const (
	oldKremlinHeadline = kremlinTitle
	newKremlinHeadline = "Kremlin Weighs Elon Musk’s Clubhouse Invite to Russian President Vladimir Putin 'a very interesting proposal'"
)

// changedArchive crawls the fixture site on loopback, then edits the
// reference article the way newsrooms do (headline rewritten, a sentence
// reworded, the author credit changed, the publication date corrected into
// December 2020) and crawls again: the archive holds two real versions of it.
// It returns the archive and the article's id.
func changedArchive(t *testing.T) (db string, articleID int64) {
	t.Helper()
	site := testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	db = filepath.Join(t.TempDir(), "changes.db")
	if s := crawlJSON(t, db, srv.URL+"/"); s.NewArticles == 0 {
		t.Fatal("first crawl archived no article")
	}
	body, err := fs.ReadFile(newsarchive.FixtureSite(), strings.TrimPrefix(kremlinPath, "/")+".html")
	if err != nil {
		t.Fatal(err)
	}
	changed := body
	for _, r := range [][2]string{
		{"The Kremlin Considers Elon Musk’s Clubhouse Chat Invite", "Kremlin Weighs Elon Musk’s Clubhouse Invite"},
		{"Elon Musk is ready for a dialogue", "Elon Musk is, it seems, ready for a dialogue"},
		{"Eva Fox", "Karen Hill"},
		{"2021-02-15T10:03:11", "2020-12-15T10:03:11"},
	} {
		next := bytes.ReplaceAll(changed, []byte(r[0]), []byte(r[1]))
		if bytes.Equal(next, changed) {
			t.Fatalf("%q not found in the fixture page", r[0])
		}
		changed = next
	}
	if err := site.SetPage(kremlinPath, changed); err != nil {
		t.Fatal(err)
	}
	if s := crawlJSON(t, db, srv.URL+"/"); s.NewVersions != 1 {
		t.Fatalf("re-crawl after the edit stored %d new versions, want 1", s.NewVersions)
	}
	st, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.ArticleByURL(t.Context(), "https://www.tesmanian.com"+kremlinPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Versions) != 2 {
		t.Fatalf("reference article has %d versions, want 2", len(rec.Versions))
	}
	return db, rec.ID
}

func TestChangesCommand(t *testing.T) {
	db, id := changedArchive(t)

	code, out, stderr := runCmd(t, "changes", "--db", db)
	if code != 0 {
		t.Fatalf("changes exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("changes printed %d lines, want 1 (one edit):\n%s", len(lines), out)
	}
	for _, want := range []string{"edit", "article " + strconv.FormatInt(id, 10), "title", "body (+", "published_at",
		`headline "` + oldKremlinHeadline + `" → "` + newKremlinHeadline + `"`, `authors +"Karen Hill" -"Eva Fox"`,
		"https://www.tesmanian.com" + kremlinPath} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("changes line lacks %q:\n%s", want, lines[0])
		}
	}

	code, out, stderr = runCmd(t, "changes", "--db", db, "--json", "--field", "title")
	if code != 0 {
		t.Fatalf("changes --json exit %d: %s", code, stderr)
	}
	var c archive.Change
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("changes --json: %v\n%s", err, out)
	}
	if c.Kind != "edit" || c.ArticleID != id || c.Diff == nil || c.Diff.OldTitle != oldKremlinHeadline ||
		c.Diff.NewTitle != newKremlinHeadline || !slices.Equal(c.Diff.AuthorsAdded, []string{"Karen Hill"}) ||
		!slices.Equal(c.Diff.AuthorsRemoved, []string{"Eva Fox"}) || c.Diff.WordsAdded == 0 || !c.Diff.Changed("body") {
		t.Errorf("changes --json = %+v, diff %+v", c, c.Diff)
	}

	// Filters that select nothing print nothing; bad ones are usage errors.
	for _, args := range [][]string{{"--field", "tags"}, {"--kind", "unpublished"}, {"--site", "example.org"}, {"--until", "2000-01-01"}} {
		code, out, stderr := runCmd(t, append([]string{"changes", "--db", db}, args...)...)
		if code != 0 || out != "" {
			t.Errorf("changes %q: exit %d, output %q %s", args, code, out, stderr)
		}
	}
	for _, args := range [][]string{{"--field", "nonsense"}, {"--since", "yesterday"}, {"--limit", "0"}, {"extra"}} {
		if code, _, _ := runCmd(t, append([]string{"changes", "--db", db}, args...)...); code != exitUsage {
			t.Errorf("changes %q: exit %d, want %d", args, code, exitUsage)
		}
	}
	if code, out, _ := runCmd(t, "changes", "--db", db, "--since", "1h", "--site", "www.tesmanian.com", "--field", "dates"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("changes --since 1h --site --field dates: exit %d\n%s", code, out)
	}

	// show --diff ID: the timeline.
	code, out, stderr = runCmd(t, "show", "--db", db, "--diff", strconv.FormatInt(id, 10))
	if code != 0 {
		t.Fatalf("show --diff exit %d: %s", code, stderr)
	}
	for _, want := range []string{"2 version(s)", "first version", "title: \"" + oldKremlinHeadline + "\" → \"" + newKremlinHeadline + "\"", "body (+"} {
		if !strings.Contains(out, want) {
			t.Errorf("show --diff %d lacks %q:\n%s", id, want, out)
		}
	}
	code, out, _ = runCmd(t, "show", "--db", db, "--json", "--diff", "https://www.tesmanian.com"+kremlinPath)
	var tl struct {
		Versions []struct {
			Title string        `json:"title"`
			Diff  *archive.Diff `json:"diff"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &tl); code != 0 || err != nil || len(tl.Versions) != 2 || tl.Versions[0].Diff != nil ||
		tl.Versions[1].Diff == nil || !tl.Versions[1].Diff.Changed("title") || tl.Versions[1].Title != newKremlinHeadline {
		t.Errorf("show --json --diff URL: exit %d, %v, %+v", code, err, tl)
	}
}
