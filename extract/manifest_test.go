package extract

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/internal/citest"
)

// fixtureManifest is the part of testdata/fixtures.json (written by the fixture
// generator, independently of this package) that states what each article says.
type fixtureManifest struct {
	Articles []struct {
		Path           string   `json:"path"`
		URL            string   `json:"url"`
		Handle         string   `json:"handle"`
		Title          string   `json:"title"`
		Author         string   `json:"author"`
		AuthorBio      string   `json:"author_bio"`
		AuthorXURL     string   `json:"author_x_url"`
		HasEditor      bool     `json:"has_editor"`
		Editor         *Editor  `json:"editor"`
		Encoding       string   `json:"encoding"`
		Language       string   `json:"language"`
		PublishedLocal string   `json:"published_local"`
		PublishedUTC   string   `json:"published_utc"`
		Tags           []string `json:"tags"`
		ReadingNext    []string `json:"reading_next"`
		AuthorBox      string   `json:"author_box"`
		Copyright      string   `json:"copyright"`
		Theme          string   `json:"theme"`
	} `json:"articles"`
}

// TestFixtureManifest checks every fixture article against the facts the
// fixture generator recorded about it.
func TestFixtureManifest(t *testing.T) {
	data, err := os.ReadFile("../testdata/fixtures.json")
	if err != nil {
		citest.SkipOrFail(t, "no fixture manifest: "+err.Error())
	}
	var m fixtureManifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("fixtures.json: %v", err)
	}
	e := defaultExtractor(t)
	for _, f := range m.Articles {
		t.Run(f.Handle, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("../testdata/site", f.Path))
			if err != nil {
				citest.SkipOrFail(t, "fixture not written yet: "+err.Error())
			}
			// Served as the test site serves it: text/html without a charset.
			a, err := e.Extract(f.URL, http.Header{"Content-Type": {"text/html"}}, page)
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != f.Title {
				t.Errorf("title = %q, want %q", a.Title, f.Title)
			}
			if len(a.Authors) != 1 || a.Authors[0].Name != f.Author {
				t.Errorf("authors = %+v, want %q", a.Authors, f.Author)
			} else {
				if f.AuthorBio != "" && f.AuthorBox != "none" && a.Authors[0].Bio != f.AuthorBio {
					t.Errorf("bio = %q, want %q", a.Authors[0].Bio, f.AuthorBio)
				}
				if f.AuthorXURL != "" && f.AuthorBox != "none" && a.Authors[0].URL != f.AuthorXURL {
					t.Errorf("author url = %q, want %q", a.Authors[0].URL, f.AuthorXURL)
				}
			}
			switch {
			case f.Editor != nil:
				if len(a.Editors) != 1 || a.Editors[0].Handle != f.Editor.Handle || (f.Editor.URL != "" && a.Editors[0].URL != f.Editor.URL) {
					t.Errorf("editors = %+v, want %+v", a.Editors, *f.Editor)
				}
			case f.HasEditor:
				if len(a.Editors) == 0 {
					t.Error("no editor found")
				}
			default:
				if len(a.Editors) != 0 {
					t.Errorf("editors = %+v, want none", a.Editors)
				}
			}
			if a.Language != f.Language {
				t.Errorf("language = %q, want %q", a.Language, f.Language)
			}
			if a.PublishedAt != f.PublishedLocal && a.PublishedAt != f.PublishedUTC &&
				!strings.HasPrefix(a.PublishedAt, f.PublishedLocal[:10]) {
				t.Errorf("published_at = %q, want %q or %q", a.PublishedAt, f.PublishedLocal, f.PublishedUTC)
			}
			if len(f.Tags) > 0 && (len(a.Tags) == 0 || a.Tags[0] != f.Tags[0]) {
				t.Errorf("tags = %q, want %q first", a.Tags, f.Tags[0])
			}
			for _, tag := range f.Tags {
				if !containsString(a.Tags, tag) {
					t.Errorf("tags = %q, missing %q", a.Tags, tag)
				}
			}
			// The manifest lists Reading next newest first; the record keeps
			// page order, which differs between themes, so compare as sets.
			if len(a.Related) != len(f.ReadingNext) {
				t.Errorf("related = %+v, want %q", a.Related, f.ReadingNext)
			}
			for _, p := range f.ReadingNext {
				found := false
				for _, r := range a.Related {
					found = found || (strings.HasSuffix(r.URL, p) && r.Title != "" && strings.HasPrefix(r.URL, "https://"))
				}
				if !found {
					t.Errorf("related = %+v, missing %s", a.Related, p)
				}
			}
			if a.Copyright != f.Copyright {
				t.Errorf("copyright = %q, want %q", a.Copyright, f.Copyright)
			}
			if a.Rule != "tesmanian" || !a.IsArticle {
				t.Errorf("rule %q is_article %v", a.Rule, a.IsArticle)
			}
			// Furniture never reaches the body.
			for _, bad := range []string{"About the Author", "Reading next", "Tesla Accessories", "We appreciate your readership",
				"edited by", "Edited by", "Editing by", f.Copyright, "Add to cart", "Share on"} {
				if bad != "" && strings.Contains(a.BodyText, bad) {
					t.Errorf("body contains %q", bad)
				}
			}
			if f.AuthorBio != "" && strings.Contains(a.BodyText, f.AuthorBio[:40]) {
				t.Error("body contains the author bio")
			}
			if strings.HasPrefix(a.BodyText, f.Title) {
				t.Error("body starts with the headline")
			}
			if a.WordCount < 50 {
				t.Errorf("word count %d", a.WordCount)
			}
		})
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
