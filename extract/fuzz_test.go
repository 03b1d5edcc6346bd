package extract

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzExtract checks that no input makes Extract panic or run away, and that
// every record it returns is valid UTF-8. The corpus starts with the fixture
// pages and the variants, plus edge cases.
func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.html"))
	variants, _ := filepath.Glob("testdata/variants/*.html")
	for _, p := range append(files, variants...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add("https://www.tesmanian.com/blogs/tesmanian-blog/"+strings.TrimSuffix(filepath.Base(p), ".html"), "", b)
		}
	}
	for _, s := range []string{
		"", "<", "<html", "<!doctype html><title>x</title>", "\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
		"\xef\xbb\xbf<p>bom</p>", "<meta charset=windows-1251><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>",
		`<script type="application/ld+json">{"@type":"Article","author":[{"@id":"x"}],"@graph":[[[]]]}</script>`,
		`<script type="application/ld+json">{"@graph":[{"@type":"WebPage","mainEntity":{"@id":"a"}},{"@id":"a","@type":"Article"}]}</script>`,
		strings.Repeat("<div>", 700) + "<p>deep</p>",
		strings.Repeat("<b><i>", 400) + "x",
		"<table>" + strings.Repeat("<tr><td><table>", 200),
		"<h3>About the Author</h3><h3>Reading next</h3><p>Edited by @</p><p>Reporting by ; Editing by</p>",
		"\x89PNG\r\n\x1a\n", "%PDF-1.4",
	} {
		f.Add("https://example.com/a/b", "text/html", []byte(s))
	}
	e, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, pageURL, contentType string, body []byte) {
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		start := time.Now()
		a, err := e.Extract(pageURL, h, body)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("extraction of %d bytes took %v", len(body), d)
		}
		if err != nil {
			return
		}
		for name, s := range map[string]string{"title": a.Title, "body": a.BodyText, "html": a.BodyHTML, "copyright": a.Copyright} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8", name)
			}
		}
	})
}
