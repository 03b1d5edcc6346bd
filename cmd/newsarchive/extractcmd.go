package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/scraper"
)

const extractExamples = `  newsarchive extract --url https://www.tesmanian.com/blogs/tesmanian-blog/some-article page.html
  newsarchive extract --json testdata/site/blogs/tesmanian-blog/*.html
  newsarchive extract https://www.tesmanian.com/blogs/tesmanian-blog/some-article   # fetched once, robots.txt obeyed
`

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "extract", "extract [--json] [--url URL] FILE|URL...", extractExamples)
	asJSON := fs.Bool("json", false, "print one JSON record per line")
	pageURL := fs.String("url", "", "the page's address when reading a saved file (resolves relative links, picks the site rule)")
	contact := fs.String("contact", "", "contact URL or address for the User-Agent when fetching URLs")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("extract needs at least one FILE or URL")
	}
	if *pageURL != "" && fs.NArg() > 1 {
		return usagef("--url names one page; give one FILE with it")
	}
	ex, err := extract.Default()
	if err != nil {
		return fmt.Errorf("load extraction rules: %w", err)
	}
	failed := 0
	for _, arg := range fs.Args() {
		a, err := extractOne(ctx, ex, arg, *pageURL, *contact)
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "newsarchive extract: %s: %s\n", arg, oneLine(err.Error()))
			continue
		}
		if *asJSON {
			if err := json.NewEncoder(e.stdout).Encode(a); err != nil {
				return fmt.Errorf("write record: %w", err)
			}
			continue
		}
		printArticle(e.stdout, a)
	}
	if failed > 0 {
		if failed == fs.NArg() {
			return fmt.Errorf("no page could be extracted (%d failed)", failed)
		}
		return fmt.Errorf("%d of %d pages failed: %w", failed, fs.NArg(), errPartial)
	}
	return nil
}

func extractOne(ctx context.Context, ex *extract.Extractor, arg, pageURL, contact string) (*extract.Article, error) {
	if u, err := url.Parse(arg); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		cfg := scraper.DefaultConfig()
		if contact != "" {
			cfg.Contact = contact
		}
		cfg.UserAgent = userAgent(cfg.Contact)
		resp, err := fetchOne(ctx, cfg, arg)
		if err != nil {
			return nil, err
		}
		if resp.Status < 200 || resp.Status > 299 {
			return nil, fmt.Errorf("fetch: HTTP %d", resp.Status)
		}
		if resp.Truncated {
			return nil, fmt.Errorf("fetch: page larger than the %d-byte cap", cfg.MaxBodyBytes)
		}
		return ex.Extract(resp.FinalURL, resp.Header, resp.Body)
	}
	body, err := os.ReadFile(arg)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if pageURL == "" {
		abs, err := filepath.Abs(arg)
		if err != nil {
			abs = arg
		}
		pageURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	}
	return ex.Extract(pageURL, http.Header{}, body)
}

// printArticle writes a record for people.
func printArticle(w io.Writer, a *extract.Article) {
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-11s %s\n", label+":", v)
		}
	}
	line("Title", a.Title)
	line("URL", a.URL)
	if a.CanonicalURL != a.URL {
		line("Canonical", a.CanonicalURL)
	}
	line("Site", a.SiteName)
	for _, au := range a.Authors {
		line("Author", au.Name+optional(" <", au.URL, ">"))
		if au.Bio != "" {
			line("  Bio", au.Bio)
		}
	}
	for _, ed := range a.Editors {
		line("Editor", editorLabel(ed)+optional(" <", ed.URL, ">"))
	}
	line("Published", a.PublishedAt)
	line("Modified", a.ModifiedAt)
	if len(a.Tags) > 0 {
		line("Tags", strings.Join(a.Tags, ", "))
	}
	if a.Image != nil {
		line("Image", a.Image.URL+optional(" (", a.Image.Caption, ")"))
	}
	line("Copyright", a.Copyright)
	line("Words", fmt.Sprint(a.WordCount))
	for _, r := range a.Related {
		line("Related", r.Title+" <"+r.URL+">")
	}
	fmt.Fprintf(w, "\n%s\n\n", a.BodyText)
}

func optional(pre, v, post string) string {
	if v == "" {
		return ""
	}
	return pre + v + post
}
