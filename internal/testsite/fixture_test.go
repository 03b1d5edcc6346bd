package testsite_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	newsarchive "github.com/newsarchive/newsarchive"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

// manifest is the part of testdata/fixtures.json that the tests use.
type manifest struct {
	Reference string `json:"reference_article"`
	Articles  []struct {
		Path        string   `json:"path"`
		URLPath     string   `json:"url_path"`
		URL         string   `json:"url"`
		Title       string   `json:"title"`
		Author      string   `json:"author"`
		Encoding    string   `json:"encoding"`
		Theme       string   `json:"theme"`
		Reachable   []string `json:"reachable_from"`
		ReadingNext []string `json:"reading_next"`
	} `json:"articles"`
	Listings  []string `json:"listing_pages"`
	TagPages  []string `json:"tag_pages"`
	Forbidden []string `json:"robots_disallowed_links"`
}

func loadManifest(t *testing.T) manifest {
	t.Helper()
	b, err := os.ReadFile("../../testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("fixtures.json: %v", err)
	}
	if len(m.Articles) < 10 {
		t.Fatalf("fixtures.json lists %d articles", len(m.Articles))
	}
	return m
}

func articleByPrefix(t *testing.T, m manifest, prefix string) string {
	t.Helper()
	for _, a := range m.Articles {
		if strings.HasPrefix(a.URLPath, "/blogs/tesmanian-blog/"+prefix) {
			return a.URLPath
		}
	}
	t.Fatalf("no fixture article %s…", prefix)
	return ""
}

func TestFixtureRouting(t *testing.T) {
	m := loadManifest(t)
	refPath := articleByPrefix(t, m, "the-kremlin")
	ruPath := articleByPrefix(t, m, "ilon-mask")
	site := testsite.NewFixture(testsite.FixtureOptions{})
	srv := httptest.NewServer(site)
	defer srv.Close()
	c := noRedirect(srv)

	tests := []struct {
		name     string
		method   string
		path     string
		status   int
		ctype    string
		location string
		contains string
	}{
		{"home", "GET", "/", 200, "text/html; charset=utf-8", "", "<title>Tesmanian</title>"},
		{"robots", "GET", "/robots.txt", 200, "text/plain; charset=utf-8", "", "Disallow: /blogs/*+*"},
		{"sitemap index", "GET", "/sitemap.xml", 200, "application/xml; charset=utf-8", "", "<sitemapindex"},
		{"sitemap query ignored", "GET", "/sitemap_products_1.xml?from=6651234910333&to=6651235041405", 200, "application/xml; charset=utf-8", "", "/products/"},
		{"blog sitemap", "GET", "/sitemap_blogs_1.xml", 200, "application/xml; charset=utf-8", "", "image:image"},
		{"feed", "GET", "/blogs/tesmanian-blog.atom", 200, "application/atom+xml; charset=utf-8", "", "<feed"},
		{"listing", "GET", "/blogs/tesmanian-blog", 200, "text/html; charset=utf-8", "", `pagination__current">1&nbsp;&nbsp;/&nbsp;&nbsp;3<`},
		{"listing page 1", "GET", "/blogs/tesmanian-blog?page=1", 200, "text/html; charset=utf-8", "", `pagination__current">1&nbsp;&nbsp;/&nbsp;&nbsp;3<`},
		{"listing page 2", "GET", "/blogs/tesmanian-blog?page=2", 200, "text/html; charset=utf-8", "", `pagination__current">2&nbsp;&nbsp;/&nbsp;&nbsp;3<`},
		{"listing page 3", "GET", "/blogs/tesmanian-blog?page=3", 200, "text/html; charset=utf-8", "", `rel="prev"`},
		{"listing past the end", "GET", "/blogs/tesmanian-blog?page=4", 404, "text/html; charset=utf-8", "", "Page not found"},
		{"tag page", "GET", "/blogs/tesmanian-blog/tagged/elon-musk", 200, "text/html; charset=utf-8", "", "elon-musk+spacex"},
		{"reference article", "GET", refPath, 200, "text/html; charset=utf-8", "", "Image: Brand Inside"},
		{"reference article HEAD", "HEAD", refPath, 200, "text/html; charset=utf-8", "", ""},
		{"cp1251 article has no charset", "GET", ruPath, 200, "text/html", "", `<meta charset="windows-1251">`},
		{"trailing slash", "GET", refPath + "/", 301, "", refPath, ""},
		{"trailing slash on listing keeps query", "GET", "/blogs/tesmanian-blog/?page=2", 301, "", "/blogs/tesmanian-blog?page=2", ""},
		{"trailing slash on missing page", "GET", "/blogs/tesmanian-blog/nope/", 404, "text/html; charset=utf-8", "", "Page not found"},
		{"dead handle", "GET", "/blogs/tesmanian-blog/no-such-article", 404, "text/html; charset=utf-8", "", "Page not found"},
		{"file name is not a URL", "GET", refPath + ".html", 404, "text/html; charset=utf-8", "", ""},
		{"multi-tag page", "GET", "/blogs/tesmanian-blog/tagged/elon-musk+spacex", 404, "text/html; charset=utf-8", "", ""},
		{"account", "GET", "/account", 302, "", "/account/login", ""},
		{"account register", "GET", "/account/register", 302, "", "/account/login", ""},
		{"login page", "GET", "/account/login", 200, "text/html; charset=utf-8", "", "customer[password]"},
		{"cart", "GET", "/cart", 200, "text/html; charset=utf-8", "", "Your cart is empty"},
		{"product", "GET", "/products/model-y-trunk-organizer", 200, "text/html; charset=utf-8", "", "$59.00"},
		{"post", "POST", "/", 405, "", "", ""},
		{"dot dot", "GET", "/blogs/../robots.txt", 404, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, c, tt.method, srv.URL+tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.ctype != "" {
				if got := resp.Header.Get("Content-Type"); got != tt.ctype {
					t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
				}
			}
			if tt.location != "" {
				if got := resp.Header.Get("Location"); got != tt.location {
					t.Errorf("Location = %q, want %q", got, tt.location)
				}
			}
			if tt.contains != "" && !strings.Contains(string(body), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
			if tt.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD returned %d body bytes", len(body))
			}
			if tt.status == 200 {
				if resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" {
					t.Errorf("200 without ETag/Last-Modified: %v", resp.Header)
				}
			}
		})
	}
}

func TestFixtureConditionalRequests(t *testing.T) {
	m := loadManifest(t)
	refPath := articleByPrefix(t, m, "the-kremlin")
	site := testsite.NewFixture(testsite.FixtureOptions{})
	srv := httptest.NewServer(site)
	defer srv.Close()
	c := srv.Client()

	resp, body := do(t, c, "GET", srv.URL+refPath, nil)
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
		t.Fatalf("ETag %q is not a strong validator", etag)
	}
	if lastMod != testsite.FixtureModTime().Format(http.TimeFormat) {
		t.Errorf("Last-Modified = %q", lastMod)
	}
	older := testsite.FixtureModTime().Add(-time.Hour).Format(http.TimeFormat)

	tests := []struct {
		name   string
		header map[string]string
		status int
	}{
		{"matching etag", map[string]string{"If-None-Match": etag}, 304},
		{"etag in a list", map[string]string{"If-None-Match": `"x", ` + etag}, 304},
		{"star", map[string]string{"If-None-Match": "*"}, 304},
		{"other etag", map[string]string{"If-None-Match": `"0123"`}, 200},
		{"not modified since", map[string]string{"If-Modified-Since": lastMod}, 304},
		{"modified since", map[string]string{"If-Modified-Since": older}, 200},
		{"etag wins over date", map[string]string{"If-None-Match": `"0123"`, "If-Modified-Since": lastMod}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := do(t, c, "GET", srv.URL+refPath, tt.header)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == 304 && len(b) != 0 {
				t.Errorf("304 with %d body bytes", len(b))
			}
			if tt.status == 200 && len(b) != len(body) {
				t.Errorf("200 with %d bytes, want %d", len(b), len(body))
			}
		})
	}

	t.Run("changed page", func(t *testing.T) {
		changed := strings.Replace(string(body), "Image: Brand Inside", "Image: Tesmanian", 1)
		if err := site.SetPage(refPath, []byte(changed)); err != nil {
			t.Fatal(err)
		}
		resp, b := do(t, c, "GET", srv.URL+refPath, map[string]string{"If-None-Match": etag})
		if resp.StatusCode != 200 || string(b) != changed {
			t.Fatalf("status %d, changed body served: %t", resp.StatusCode, string(b) == changed)
		}
		if resp.Header.Get("ETag") == etag {
			t.Error("ETag did not change with the body")
		}
		lm, err := http.ParseTime(resp.Header.Get("Last-Modified"))
		if err != nil || !lm.After(testsite.FixtureModTime()) {
			t.Errorf("Last-Modified %q does not move forward", resp.Header.Get("Last-Modified"))
		}
		resp, _ = do(t, c, "GET", srv.URL+refPath, map[string]string{"If-Modified-Since": lastMod})
		if resp.StatusCode != 200 {
			t.Errorf("If-Modified-Since old date: status %d, want 200", resp.StatusCode)
		}
	})
}

func TestFixtureRewriteOrigin(t *testing.T) {
	m := loadManifest(t)
	refPath := articleByPrefix(t, m, "the-kremlin")
	for _, rewrite := range []bool{false, true} {
		t.Run(fmt.Sprint("rewrite=", rewrite), func(t *testing.T) {
			srv := httptest.NewServer(testsite.Fixture(testsite.FixtureOptions{RewriteOrigin: rewrite}))
			defer srv.Close()
			want := testsite.FixtureOrigin
			if rewrite {
				want = srv.URL
			}
			for _, p := range []string{"/robots.txt", "/sitemap.xml", "/sitemap_blogs_1.xml", "/blogs/tesmanian-blog.atom"} {
				resp, body := do(t, srv.Client(), "GET", srv.URL+p, nil)
				if resp.StatusCode != 200 {
					t.Fatalf("%s: status %d", p, resp.StatusCode)
				}
				if !strings.Contains(string(body), want+"/") {
					t.Errorf("%s lacks %s", p, want)
				}
				if rewrite && strings.Contains(string(body), testsite.FixtureOrigin) {
					t.Errorf("%s still names %s", p, testsite.FixtureOrigin)
				}
			}
			_, body := do(t, srv.Client(), "GET", srv.URL+refPath, nil)
			canon := `<link rel="canonical" href="` + testsite.FixtureOrigin + refPath + `">`
			if !strings.Contains(string(body), canon) {
				t.Errorf("article lost its real canonical URL")
			}
			if strings.Contains(string(body), srv.URL) {
				t.Errorf("article HTML was rewritten")
			}
		})
	}
}

func TestFixtureOverridesAndCounters(t *testing.T) {
	m := loadManifest(t)
	refPath := articleByPrefix(t, m, "the-kremlin")
	unavailable := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
	})
	site := testsite.NewFixture(testsite.FixtureOptions{Overrides: map[string]http.Handler{refPath: unavailable}})
	srv := httptest.NewServer(site)
	defer srv.Close()

	resp, _ := do(t, srv.Client(), "GET", srv.URL+refPath, nil)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "120" {
		t.Fatalf("override: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				for _, p := range []string{"/", "/robots.txt", "/blogs/tesmanian-blog?page=2"} {
					req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+p, nil)
					resp, err := srv.Client().Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()

	if got := site.TotalRequests(); got != 1+8*5*3 {
		t.Errorf("TotalRequests = %d, want %d", got, 1+8*5*3)
	}
	for p, want := range map[string]int{refPath: 1, "/": 40, "/robots.txt": 40, "/blogs/tesmanian-blog?page=2": 40, "/blogs/tesmanian-blog": 0} {
		if got := site.Requests(p); got != want {
			t.Errorf("Requests(%q) = %d, want %d", p, got, want)
		}
	}
	// robots.txt re-fetches are not duplicates; "/" and page 2 have 39 each.
	if got := site.DuplicateFetches(); got != 78 {
		t.Errorf("DuplicateFetches = %d, want 78", got)
	}
	log := site.RequestLog()
	if len(log) != site.TotalRequests() || log[0] != "GET "+refPath {
		t.Errorf("RequestLog: %d entries, first %q", len(log), log[0])
	}
	site.ResetCounters()
	if site.TotalRequests() != 0 || site.DuplicateFetches() != 0 || len(site.RequestLog()) != 0 {
		t.Error("ResetCounters left counts")
	}
}

func TestFixtureSetAndDeletePage(t *testing.T) {
	m := loadManifest(t)
	refPath := articleByPrefix(t, m, "the-kremlin")
	site := testsite.NewFixture(testsite.FixtureOptions{})
	srv := httptest.NewServer(site)
	defer srv.Close()

	const newPath = "/blogs/tesmanian-blog/a-new-article"
	if err := site.SetPage(newPath, []byte("<html><title>new</title></html>")); err != nil {
		t.Fatal(err)
	}
	if resp, body := do(t, srv.Client(), "GET", srv.URL+newPath, nil); resp.StatusCode != 200 || !strings.Contains(string(body), "new") {
		t.Errorf("new page: status %d", resp.StatusCode)
	}
	if err := site.SetPage("/robots.txt", []byte("User-agent: *\nDisallow: /\n")); err != nil {
		t.Fatal(err)
	}
	if _, body := do(t, srv.Client(), "GET", srv.URL+"/robots.txt", nil); string(body) != "User-agent: *\nDisallow: /\n" {
		t.Errorf("robots.txt not replaced: %q", body)
	}
	if err := site.DeletePage(refPath); err != nil {
		t.Fatal(err)
	}
	if resp, _ := do(t, srv.Client(), "GET", srv.URL+refPath, nil); resp.StatusCode != 404 {
		t.Errorf("deleted page: status %d", resp.StatusCode)
	}
	if err := site.DeletePage(refPath); !errors.Is(err, testsite.ErrUnknownPath) {
		t.Errorf("second delete: %v", err)
	}
	if err := site.SetPage("/robots.html", nil); !errors.Is(err, testsite.ErrUnknownPath) {
		t.Errorf("SetPage(.html): %v", err)
	}
}

// TestFixtureArticles checks every article of fixtures.json: served with 200,
// decodable to UTF-8 by its declared charset, with the listed title, canonical
// URL and Reading-next links.
func TestFixtureArticles(t *testing.T) {
	m := loadManifest(t)
	srv := httptest.NewServer(testsite.Fixture(testsite.FixtureOptions{}))
	defer srv.Close()
	for _, a := range m.Articles {
		t.Run(a.URLPath[len("/blogs/tesmanian-blog/"):], func(t *testing.T) {
			resp, body := do(t, srv.Client(), "GET", srv.URL+a.URLPath, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			ctype := resp.Header.Get("Content-Type")
			switch a.Encoding {
			case "utf-8":
				if !utf8.Valid(body) || ctype != "text/html; charset=utf-8" {
					t.Errorf("utf-8 page: valid %t, Content-Type %q", utf8.Valid(body), ctype)
				}
			case "windows-1251":
				if utf8.Valid(body) || ctype != "text/html" {
					t.Errorf("cp1251 page: valid UTF-8 %t, Content-Type %q", utf8.Valid(body), ctype)
				}
			default:
				t.Fatalf("encoding %q", a.Encoding)
			}
			if n := len(body); n < 20<<10 || n > 130<<10 {
				t.Errorf("page size %d bytes", n)
			}
			doc := parseHTML(t, body, ctype)
			var title, canonical string
			walk(doc, func(n *html.Node) {
				switch {
				case n.Data == "title" && title == "":
					title = strings.TrimSpace(textOf(n))
				case n.Data == "link":
					if rel, _ := attr(n, "rel"); rel == "canonical" {
						canonical, _ = attr(n, "href")
					}
				}
			})
			if !utf8.ValidString(title) || !strings.HasPrefix(title, a.Title) {
				t.Errorf("title %q, want %q", title, a.Title)
			}
			if canonical != a.URL {
				t.Errorf("canonical %q, want %q", canonical, a.URL)
			}
			links := hrefs(doc)
			for _, rn := range a.ReadingNext {
				if !slices.Contains(links, rn) {
					t.Errorf("no link to Reading-next target %s", rn)
				}
			}
			if a.Encoding == "windows-1251" && !strings.Contains(textOf(doc), "Илон Маск") {
				t.Error("Cyrillic text did not decode")
			}
		})
	}
}

// TestFixtureReferenceArticle checks that the reference article's visible text
// reproduces the reference text, block for block and in order.
func TestFixtureReferenceArticle(t *testing.T) {
	m := loadManifest(t)
	ref, err := os.ReadFile("testdata/reference-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(string(ref), "\n") {
		if strings.TrimSpace(l) != "" {
			want = append(want, l)
		}
	}
	body, err := fs.ReadFile(newsarchive.FixtureSite(), m.Reference)
	if err != nil {
		t.Fatal(err)
	}
	blocks := visibleBlocks(parseHTML(t, body, "text/html; charset=utf-8"))
	start := slices.Index(blocks, want[0])
	if start < 0 {
		t.Fatalf("first reference line %q not found", want[0])
	}
	got := blocks[start:min(start+len(want), len(blocks))]
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			g := "<end>"
			if i < len(got) {
				g = got[i]
			}
			t.Fatalf("block %d:\n got %q\nwant %q", i, g, want[i])
		}
	}
}

// fixtureURL maps a site file to the URL path that serves it.
func fixtureURL(name string) string {
	switch {
	case name == "index.html":
		return "/"
	case strings.HasPrefix(name, "blogs/tesmanian-blog.page-"):
		return "/blogs/tesmanian-blog?page=" + strings.TrimSuffix(strings.TrimPrefix(name, "blogs/tesmanian-blog.page-"), ".html")
	}
	return "/" + strings.TrimSuffix(name, ".html")
}

// TestFixtureLinks checks that every internal link of every fixture page
// resolves to a page of the site, except links that robots.txt disallows, and
// that articles are reachable exactly as fixtures.json says.
func TestFixtureLinks(t *testing.T) {
	m := loadManifest(t)
	site := testsite.NewFixture(testsite.FixtureOptions{})
	srv := httptest.NewServer(site)
	defer srv.Close()
	c := noRedirect(srv)
	origin, _ := url.Parse(testsite.FixtureOrigin)

	linkedFrom := map[string][]string{} // URL path → pages linking to it
	checked := map[string]int{}
	err := fs.WalkDir(newsarchive.FixtureSite(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".html") {
			return err
		}
		body, err := fs.ReadFile(newsarchive.FixtureSite(), name)
		if err != nil {
			return err
		}
		ctype := "text/html; charset=utf-8"
		if !utf8.Valid(body) {
			ctype = "text/html"
		}
		page := fixtureURL(name)
		base := origin.ResolveReference(&url.URL{Path: page})
		for _, h := range hrefs(parseHTML(t, body, ctype)) {
			u, err := base.Parse(h)
			if err != nil {
				t.Errorf("%s: bad href %q: %v", name, h, err)
				continue
			}
			if u.Host != origin.Host || (u.Scheme != "http" && u.Scheme != "https") {
				continue
			}
			if strings.HasPrefix(u.Path, "/cdn/") {
				continue
			}
			target := u.Path
			if u.RawQuery != "" {
				target += "?" + u.RawQuery
			}
			if target != page {
				linkedFrom[u.Path] = append(linkedFrom[u.Path], page)
			}
			if slices.ContainsFunc(m.Forbidden, func(p string) bool { return strings.HasPrefix(u.Path, p) }) {
				continue // disallowed by robots.txt: may be dead, a polite crawler never asks
			}
			if _, done := checked[target]; done {
				continue
			}
			resp, _ := do(t, c, "GET", srv.URL+target, nil)
			checked[target] = resp.StatusCode
			if resp.StatusCode != 200 {
				t.Errorf("%s links to %s: status %d", name, target, resp.StatusCode)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(checked) < 30 {
		t.Errorf("only %d distinct internal links checked", len(checked))
	}

	_, sitemap := do(t, c, "GET", srv.URL+"/sitemap_blogs_1.xml", nil)
	_, feed := do(t, c, "GET", srv.URL+"/blogs/tesmanian-blog.atom", nil)
	listingPages := append(slices.Clone(m.Listings), m.TagPages...)
	for _, a := range m.Articles {
		var others []string
		for _, p := range linkedFrom[a.URLPath] {
			if p != a.URLPath {
				others = append(others, p)
			}
		}
		inListing := slices.ContainsFunc(others, func(p string) bool { return slices.Contains(listingPages, p) })
		inSitemap := strings.Contains(string(sitemap), "<loc>"+a.URL+"</loc>")
		inFeed := strings.Contains(string(feed), `href="`+a.URL+`"`)
		want := func(r string) bool { return slices.Contains(a.Reachable, r) }
		if inListing != want("listing") || inSitemap != want("sitemap") || inFeed != want("feed") {
			t.Errorf("%s: listing %t sitemap %t feed %t, want %v", a.URLPath, inListing, inSitemap, inFeed, a.Reachable)
		}
		if !want("listing") && len(others) > 0 {
			t.Errorf("%s should be linked from no page, is linked from %v", a.URLPath, others)
		}
	}
}
