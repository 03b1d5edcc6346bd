// Package testsite serves web sites for tests and benchmarks: the embedded
// fixture copy of www.tesmanian.com (NewFixture) and a deterministic synthetic
// news site of any size (NewGenerated). Both are plain http.Handlers meant to
// be run under httptest.NewServer, and both count the requests they receive so
// that tests can assert on what a crawler actually fetched.
package testsite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	newsarchive "github.com/newsarchive/newsarchive"
)

// FixtureOrigin is the origin of the real site that the fixture copies. HTML
// pages keep it in their canonical and absolute links.
const FixtureOrigin = "https://www.tesmanian.com"

// FixtureModTime returns the Last-Modified time of every fixture file that was
// not changed with SetPage (the embedded files carry no time of their own).
func FixtureModTime() time.Time { return time.Date(2024, time.May, 14, 12, 0, 0, 0, time.UTC) }

// FixtureOptions configures a fixture site.
type FixtureOptions struct {
	// RewriteOrigin replaces FixtureOrigin in robots.txt, the sitemaps and the
	// Atom feed (never in HTML pages) with the origin of the request
	// ("http://" + r.Host), so that a crawl of the loopback copy discovers
	// loopback URLs while the pages keep their real canonical URLs.
	RewriteOrigin bool

	// Overrides maps a URL path (without query) to a handler that answers it
	// instead of the fixture files: a changed page, a 429 or 503 with
	// Retry-After, a slow or broken response. Requests to overridden paths are
	// counted like any other.
	Overrides map[string]http.Handler

	// Files replaces the embedded fixture files (newsarchive.FixtureSite()) when
	// it is not nil.
	Files fs.FS

	// LocalAssets serves the pages' stylesheets and images (see assets.go)
	// and points the pages' references to them at the serving host, for
	// crawls with page requisites that must stay on loopback.
	LocalAssets bool
}

// Site serves the fixture site. It is safe for concurrent use; its pages can
// be changed while it serves (SetPage, DeletePage).
type Site struct {
	files         fs.FS
	rewriteOrigin bool
	localAssets   bool
	overrides     map[string]http.Handler

	mu      sync.Mutex
	changed map[string]changedPage // file name → runtime content
	counter
}

type changedPage struct {
	body    []byte // nil: deleted
	modTime time.Time
}

// NewFixture returns a fixture site serving the embedded copy of
// www.tesmanian.com (see testdata/README.md for its pages).
//
// Routing: "/" is index.html; "/robots.txt", "/sitemap*.xml" (query ignored)
// and "/blogs/tesmanian-blog.atom" are served as they are;
// "/blogs/tesmanian-blog?page=N" is blogs/tesmanian-blog.page-N.html (N = 1
// or no query: blogs/tesmanian-blog.html); any other "/X" is X.html when it
// exists. A trailing slash on an existing page answers 301 to the URL without
// it; "/account" and "/account/…" (except "/account/login") answer 302 to
// "/account/login"; everything else is 404 with the shop's 404 page. Only GET
// and HEAD are allowed.
//
// Every 200 carries a strong ETag (a hash of the bytes served) and
// Last-Modified, and conditional requests (If-None-Match, If-Modified-Since)
// get 304 when they match.
func NewFixture(opts FixtureOptions) *Site {
	files := opts.Files
	if files == nil {
		files = newsarchive.FixtureSite()
	}
	ov := make(map[string]http.Handler, len(opts.Overrides))
	for p, h := range opts.Overrides {
		ov[p] = h
	}
	return &Site{
		files:         files,
		rewriteOrigin: opts.RewriteOrigin,
		localAssets:   opts.LocalAssets,
		overrides:     ov,
		changed:       map[string]changedPage{},
		counter:       newCounter(),
	}
}

// Fixture returns NewFixture(opts) as an http.Handler.
func Fixture(opts FixtureOptions) http.Handler { return NewFixture(opts) }

// ServeHTTP implements http.Handler.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.count(r)
	if h, ok := s.overrides[r.URL.Path]; ok {
		h.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.localAssets && s.serveAsset(w, r) {
		return
	}
	p := r.URL.Path
	if p == "/account" || (strings.HasPrefix(p, "/account/") && p != "/account/login") {
		http.Redirect(w, r, "/account/login", http.StatusFound)
		return
	}
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		trimmed := strings.TrimRight(p, "/")
		if name, ok := s.resolve(trimmed, r.URL.Query()); ok {
			if _, _, found := s.file(name); found {
				target := trimmed
				if r.URL.RawQuery != "" {
					target += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, target, http.StatusMovedPermanently)
				return
			}
		}
		s.notFound(w, r)
		return
	}
	name, ok := s.resolve(p, r.URL.Query())
	if !ok {
		s.notFound(w, r)
		return
	}
	body, mod, found := s.file(name)
	if !found {
		s.notFound(w, r)
		return
	}
	s.serveFile(w, r, name, body, mod, http.StatusOK)
}

// resolve maps a URL path (and query) to a file name of the site.
func (s *Site) resolve(p string, q map[string][]string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "..") || strings.Contains(p, "//") {
		return "", false
	}
	switch {
	case p == "/":
		return "index.html", true
	case p == "/blogs/tesmanian-blog":
		page := "1"
		if v := q["page"]; len(v) > 0 {
			page = v[0]
		}
		n, err := strconv.Atoi(page)
		if err != nil || n < 1 {
			return "", false
		}
		if n == 1 {
			return "blogs/tesmanian-blog.html", true
		}
		return fmt.Sprintf("blogs/tesmanian-blog.page-%d.html", n), true
	}
	name := strings.TrimPrefix(p, "/")
	switch path.Ext(name) {
	case ".txt", ".xml", ".atom":
		return name, true
	case ".html":
		// The site has no .html URLs; file names are an implementation detail.
		return "", false
	}
	return name + ".html", true
}

// file returns the current content of a site file.
func (s *Site) file(name string) ([]byte, time.Time, bool) {
	s.mu.Lock()
	c, ok := s.changed[name]
	s.mu.Unlock()
	if ok {
		return c.body, c.modTime, c.body != nil
	}
	b, err := fs.ReadFile(s.files, name)
	if err != nil {
		return nil, time.Time{}, false
	}
	return b, FixtureModTime(), true
}

func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	body, _, ok := s.file("404.html")
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func (s *Site) serveFile(w http.ResponseWriter, r *http.Request, name string, body []byte, mod time.Time, status int) {
	ctype := contentType(name, body)
	if s.rewriteOrigin && !strings.HasPrefix(ctype, "text/html") && r.Host != "" {
		body = bytes.ReplaceAll(body, []byte(FixtureOrigin), []byte("http://"+r.Host))
	}
	if s.localAssets && strings.HasPrefix(ctype, "text/html") && r.Host != "" {
		body = rewriteAssets(body, r.Host)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("ETag", etag(body))
	h.Set("Cache-Control", "max-age=0, must-revalidate")
	// http.ServeContent answers If-None-Match (against the ETag above),
	// If-Modified-Since and Range, and sets Last-Modified.
	http.ServeContent(w, r, name, mod, bytes.NewReader(body))
}

// contentType returns the Content-Type for a site file. HTML that is not valid
// UTF-8 (the windows-1251 article) is sent without a charset: the page declares
// its encoding only in <meta charset>, as the trap intends.
func contentType(name string, body []byte) string {
	switch path.Ext(name) {
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".atom":
		return "application/atom+xml; charset=utf-8"
	case ".html":
		if utf8.Valid(body) {
			return "text/html; charset=utf-8"
		}
		return "text/html"
	}
	return "application/octet-stream"
}

func etag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// ErrUnknownPath is returned by SetPage for a path that cannot be a page of the
// site (e.g. ending in ".html") and by DeletePage for a path that serves no page.
var ErrUnknownPath = errors.New("testsite: unknown path")

// SetPage replaces the body served at a URL path (as requested, e.g.
// "/blogs/tesmanian-blog/<handle>", "/blogs/tesmanian-blog?page=2",
// "/robots.txt"), or adds a page at a path that had none. The page's
// Last-Modified moves to the current time (at least one second past the
// previous one) and its ETag changes with the bytes, so that a re-crawl sees a
// changed page. Counters are not reset.
func (s *Site) SetPage(urlPath string, body []byte) error {
	name, err := s.nameFor(urlPath)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := FixtureModTime()
	if c, ok := s.changed[name]; ok {
		prev = c.modTime
	}
	mod := time.Now().UTC().Truncate(time.Second)
	if !mod.After(prev) {
		mod = prev.Add(time.Second)
	}
	s.changed[name] = changedPage{body: bytes.Clone(body), modTime: mod}
	return nil
}

// DeletePage makes a URL path answer 404 from now on.
func (s *Site) DeletePage(urlPath string) error {
	name, err := s.nameFor(urlPath)
	if err != nil {
		return err
	}
	if _, _, ok := s.file(name); !ok {
		return fmt.Errorf("delete page %s: %w", urlPath, ErrUnknownPath)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changed[name] = changedPage{}
	return nil
}

func (s *Site) nameFor(urlPath string) (string, error) {
	p, rawQuery, _ := strings.Cut(urlPath, "?")
	q, err := parseQuery(rawQuery)
	if err != nil {
		return "", fmt.Errorf("page %s: %w", urlPath, err)
	}
	name, ok := s.resolve(p, q)
	if !ok {
		return "", fmt.Errorf("page %s: %w", urlPath, ErrUnknownPath)
	}
	return name, nil
}
