// Package web serves a read-only browser UI and JSON API over an archive:
// search with filters and snippets, article, author, editor and stats pages,
// and the archived snapshot of every page, neutralised so that nothing in it
// can run or reach the live web.
//
// It uses net/http and html/template only; templates and the stylesheet are
// embedded, so there is no build step.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// uiCSP is sent with every UI page: no scripts at all, styles from this
// server, frames only of this server (the snapshot viewer).
const uiCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Highlight markers Search puts around matched terms; they cannot occur in
// text, survive HTML escaping and are replaced by <mark> afterwards.
const (
	markStart = "\x02"
	markEnd   = "\x03"
)

// pageSize is the number of hits per page of search and listing pages.
const pageSize = 20

// apiMaxLimit is the most hits /api/search returns per page (limit=).
const apiMaxLimit = 100

// Server is the web UI's handler. It only reads the store.
type Server struct {
	store archive.Reader
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
	hosts map[string]bool // allowed Host names, lowercase, without port
}

// Options configures a Server.
type Options struct {
	// AllowedHosts are the host names (or IP addresses) requests may name in
	// their Host header; any other gets 421 Misdirected Request, so that a
	// page of another site that rebinds its DNS name to this server's
	// address cannot read the archive from a visitor's browser. A port, if
	// given, is ignored. Empty allows every host (tests only: the serve
	// command always sets it).
	AllowedHosts []string
}

// New returns the UI for store. logger gets one line per failed request.
func New(store archive.Reader, logger *slog.Logger, opts Options) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: store, log: logger, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	if len(opts.AllowedHosts) > 0 {
		s.hosts = map[string]bool{}
		for _, h := range opts.AllowedHosts {
			s.hosts[hostName(h)] = true
		}
	}
	funcs := template.FuncMap{
		"highlight": highlight,
		"join":      strings.Join,
		"paras":     extract.Paragraphs,
		"date":      shortDate,
		"pathEsc":   url.PathEscape,
		"add":       func(a, b int) int { return a + b },
		"editor":    editorLabel,
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		s.pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", s.handleSearch)
	s.mux.HandleFunc("GET /articles/{id}", s.handleArticle)
	s.mux.HandleFunc("GET /authors/{name}", s.handleAuthor)
	s.mux.HandleFunc("GET /editors/{name}", s.handleEditor)
	s.mux.HandleFunc("GET /stats", s.handleStats)
	s.mux.HandleFunc("GET /snapshots/{id}", s.handleSnapshot)
	s.mux.HandleFunc("GET "+resourcePath, s.handleResource)
	s.mux.HandleFunc("GET /snapshots/{id}/content", s.handleSnapshotContent)
	s.mux.HandleFunc("GET /snapshots/{id}/source", s.handleSnapshotSource)
	s.mux.HandleFunc("GET /go", s.handleGo)
	s.mux.HandleFunc("GET /api/search", s.handleAPISearch)
	s.mux.HandleFunc("GET /api/articles/{id}", s.handleAPIArticle)
	s.mux.HandleFunc("GET /articles/{id}/diff", s.handleDiff)
	s.mux.HandleFunc("GET /changes", s.handleChanges)
	s.mux.HandleFunc("GET /changes.atom", s.handleChangesAtom)
	s.mux.HandleFunc("GET /api/changes", s.handleAPIChanges)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// Every response carries a CSP, errors included: the UI's, or under
	// /snapshots/ (archived content, its resources, and any 404 there) the
	// sandboxing one; only the viewer page /snapshots/ID is UI.
	if isViewerPath(r.URL.Path) || !strings.HasPrefix(r.URL.Path, "/snapshots/") {
		h.Set("Content-Security-Policy", uiCSP)
	} else {
		h.Set("Content-Security-Policy", snapshotCSP)
		if r.URL.Path != resourcePath {
			// Not the resources: the sandboxed snapshot that loads them has
			// an opaque origin, which same-origin would refuse.
			h.Set("Cross-Origin-Resource-Policy", "same-origin")
		}
	}
	if s.hosts != nil && !s.hosts[hostName(r.Host)] {
		http.Error(w, "misdirected request: this server does not answer to host "+strconv.Quote(r.Host)+
			" (add it with serve --allow-host)", http.StatusMisdirectedRequest)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// isViewerPath reports whether p is the snapshot viewer page, /snapshots/ID.
func isViewerPath(p string) bool {
	id, ok := strings.CutPrefix(p, "/snapshots/")
	if !ok || id == "" {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hostName is the lowercase host of a Host header or host[:port], without
// port and IPv6 brackets.
func hostName(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
}

// render executes a page template; the layout wraps it.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, title string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.fail(w, r, fmt.Errorf("no template %q", page))
		return
	}
	var buf strings.Builder
	err := t.Execute(&buf, map[string]any{"Title": title, "Data": data, "Path": r.URL.Path})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(buf.String()))
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error (see the server log)", http.StatusInternalServerError)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, what string) {
	s.render(w, r, http.StatusNotFound, "notfound", "Not found", what)
}

// searchForm is the search page's query and filters, as given.
type searchForm struct {
	Q, Author, Editor, Tag, Site, Since, Until string
	Page                                       int
	Limit                                      int
	pageErr                                    error // an unreadable page or limit
}

func formOf(r *http.Request, maxLimit int) searchForm {
	q := r.URL.Query()
	f := searchForm{Q: q.Get("q"), Author: q.Get("author"), Editor: q.Get("editor"), Tag: q.Get("tag"),
		Site: q.Get("site"), Since: q.Get("since"), Until: q.Get("until"), Page: 1, Limit: pageSize}
	if v := q.Get("limit"); v != "" && maxLimit > pageSize {
		l, err := strconv.Atoi(v)
		if err != nil || l < 1 {
			f.pageErr = fmt.Errorf("limit %q is not a whole number from 1 to %d", excerpt(v), maxLimit)
			return f
		}
		f.Limit = min(l, maxLimit)
	}
	f.Page, f.pageErr = pageOf(q.Get("page"), f.Limit)
	return f
}

// pageOf reads a page number: empty is 1; anything but a whole number from 1
// to the last page the archive pages to (archive.MaxSearchOffset) is an
// error, reported as such rather than read as some other page.
func pageOf(v string, limit int) (int, error) {
	if v == "" {
		return 1, nil
	}
	last := archive.MaxSearchOffset/limit + 1
	p, err := strconv.Atoi(v)
	if err != nil || p < 1 || p > last {
		return 1, fmt.Errorf("page %q is not a whole number from 1 to %d", excerpt(v), last)
	}
	return p, nil
}

// excerpt shortens a value quoted in an error message.
func excerpt(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

// options converts the form; an unreadable page or date is reported, not
// ignored.
func (f searchForm) options() (archive.SearchOptions, error) {
	o := archive.SearchOptions{Author: f.Author, Editor: f.Editor, Tag: f.Tag, Site: f.Site,
		Limit: f.Limit, Offset: (f.Page - 1) * f.Limit, HighlightStart: markStart, HighlightEnd: markEnd}
	if f.pageErr != nil {
		return o, f.pageErr
	}
	var err error
	o.Since, o.Until, err = archive.ParseDateRange(f.Since, f.Until)
	return o, err
}

// pageURL is the search page's URL for the form with page p, built as a
// URL (the template puts it in an href as is, escaping only for HTML).
func (f searchForm) pageURL(p int) string {
	return "/?" + f.query(p)
}

// query returns the form as a query string, with page p.
func (f searchForm) query(p int) string {
	v := url.Values{}
	for k, x := range map[string]string{"q": f.Q, "author": f.Author, "editor": f.Editor, "tag": f.Tag,
		"site": f.Site, "since": f.Since, "until": f.Until} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if p > 1 {
		v.Set("page", strconv.Itoa(p))
	}
	return v.Encode()
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, pageSize)
	data := map[string]any{"Form": f}
	opts, err := f.options()
	status := http.StatusOK
	if err != nil {
		data["Error"] = err.Error()
		status = http.StatusBadRequest
	} else {
		hits, err := s.store.Search(r.Context(), f.Q, opts)
		var qe *archive.QueryError
		switch {
		case errors.As(err, &qe):
			data["Error"] = qe.Msg
			status = http.StatusBadRequest
		case err != nil:
			s.fail(w, r, err)
			return
		}
		data["Hits"] = hits
		if f.Page > 1 {
			data["Prev"] = f.pageURL(f.Page - 1)
		}
		if len(hits) == pageSize && f.Page*pageSize <= archive.MaxSearchOffset {
			data["Next"] = f.pageURL(f.Page + 1)
		}
		if f.query(1) == "" {
			data["Changes"] = s.recentChanges(r.Context())
		}
	}
	title := "Search"
	if f.Q != "" {
		title = f.Q + " – Search"
	}
	s.render(w, r, status, "search", title, data)
}

// articleView is an article page's data.
type articleView struct {
	*archive.ArticleRecord
	Snapshot    int64                   // raw page of the latest version
	Timeline    []archive.TimelineEntry // the versions with what changed in each
	TimelineSVG template.HTML
	Events      []archive.Change // unpublished, moved…, newest first
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) (*archive.ArticleRecord, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r, "article "+r.PathValue("id"))
		return nil, false
	}
	rec, err := s.store.Article(r.Context(), id)
	if errors.Is(err, archive.ErrNotFound) {
		s.notFound(w, r, "article "+r.PathValue("id"))
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return rec, true
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.article(w, r)
	if !ok {
		return
	}
	svg, tl, evs, err := s.articleTimeline(r.Context(), rec.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "article", rec.Record.Title, articleView{rec, rec.PageID, tl, svg, evs})
}

// personView is an author or editor page's data.
type personView struct {
	Kind, Name, Bio, URL string
	Hits                 []archive.SearchHit
	Prev, Next           string
}

func (s *Server) person(w http.ResponseWriter, r *http.Request, kind string) {
	name := r.PathValue("name")
	page, err := pageOf(r.URL.Query().Get("page"), pageSize)
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "notfound", "Bad request", err.Error())
		return
	}
	opts := archive.SearchOptions{Limit: pageSize, Offset: (page - 1) * pageSize}
	if kind == "author" {
		opts.Author = name
	} else {
		opts.Editor = name
	}
	hits, err := s.store.Search(r.Context(), "", opts)
	var qe *archive.QueryError
	if errors.As(err, &qe) {
		s.render(w, r, http.StatusBadRequest, "notfound", "Bad request", qe.Msg)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(hits) == 0 { // no such person, or past their last page
		s.notFound(w, r, kind+" "+name)
		return
	}
	v := personView{Kind: kind, Name: name, Hits: hits}
	// The bio and profile link as shown on their newest article.
	if rec, err := s.store.Article(r.Context(), hits[0].ArticleID); err == nil && page == 1 {
		for _, a := range rec.Record.Authors {
			if kind == "author" && strings.EqualFold(a.Name, name) {
				v.Name, v.Bio, v.URL = a.Name, a.Bio, a.URL
			}
		}
		for _, e := range rec.Record.Editors {
			if kind == "editor" && (strings.EqualFold(e.Name, name) || strings.EqualFold(strings.TrimPrefix(e.Handle, "@"), strings.TrimPrefix(name, "@"))) {
				v.Name, v.URL = editorLabel(e), e.URL
			}
		}
	}
	if page > 1 {
		v.Prev = "?page=" + strconv.Itoa(page-1)
	}
	if len(hits) == pageSize && page*pageSize <= archive.MaxSearchOffset {
		v.Next = "?page=" + strconv.Itoa(page+1)
	}
	s.render(w, r, http.StatusOK, "person", v.Name, v)
}

func (s *Server) handleAuthor(w http.ResponseWriter, r *http.Request) { s.person(w, r, "author") }
func (s *Server) handleEditor(w http.ResponseWriter, r *http.Request) { s.person(w, r, "editor") }

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.store.Stats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	charts, err := s.activityCharts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stats", "Statistics", struct {
		*archive.Stats
		Charts statsCharts
	}{st, charts})
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) (*archive.Page, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r, "snapshot "+r.PathValue("id"))
		return nil, false
	}
	p, err := s.store.Page(r.Context(), id)
	if errors.Is(err, archive.ErrNotFound) {
		s.notFound(w, r, "snapshot "+r.PathValue("id"))
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return p, true
}

// handleSnapshot shows an archived page inside a sandboxed frame, under a
// banner saying what it is.
func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	p, ok := s.page(w, r)
	if !ok {
		return
	}
	var articleID int64
	if rec, err := s.store.ArticleByURL(r.Context(), p.FinalURL); err == nil {
		articleID = rec.ID
	}
	s.render(w, r, http.StatusOK, "snapshot", "Snapshot of "+p.FinalURL, map[string]any{"Page": p, "ArticleID": articleID})
}

// handleSnapshotContent serves the archived page itself, neutralised, with
// the sandboxing Content-Security-Policy (set by ServeHTTP).
func (s *Server) handleSnapshotContent(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	p, ok := s.page(w, r)
	if !ok {
		return
	}
	if !strings.Contains(strings.ToLower(p.ContentType), "html") && p.ContentType != "" {
		s.serveSource(w, p)
		return
	}
	out, err := neutralise(p.Body, p.ContentType, p.FinalURL)
	if err != nil {
		s.fail(w, r, fmt.Errorf("snapshot %d: %w", p.ID, err))
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(out)
}

// handleSnapshotSource serves the archived bytes as plain text.
func (s *Server) handleSnapshotSource(w http.ResponseWriter, r *http.Request) {
	p, ok := s.page(w, r)
	if !ok {
		return
	}
	s.serveSource(w, p)
}

func (s *Server) serveSource(w http.ResponseWriter, p *archive.Page) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", "inline")
	_, _ = w.Write(p.Body)
}

// handleResource serves an archived stylesheet, image or font by its URL
// (?url=): the latest 2xx capture in the archive, with its content type,
// nosniff and the snapshot CSP (set by ServeHTTP). A stylesheet has its URLs
// rewritten into the archive as the page's were. Anything else (not archived,
// or of a type a page cannot use as a resource, SVG documents included) is a
// 404: nothing is fetched from the live web.
func (s *Server) handleResource(w http.ResponseWriter, r *http.Request) {
	u := r.URL.Query().Get("url")
	p, ok, err := s.store.Previous(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctype := ""
	if ok {
		ctype = resourceType(p.ContentType, u)
	}
	if ctype == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("not archived as a stylesheet, image or font: " + u + "\n"))
		return
	}
	body := p.Body
	if ctype == "text/css; charset=utf-8" {
		base, _ := url.Parse(u)
		body = []byte(cleanCSS(string(body), base))
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(body)
}

// resourceType returns the content type to serve an archived resource with,
// or "" when the resource endpoint does not serve it: stylesheets, raster
// images and fonts only (an SVG served on its own could hold links).
func resourceType(contentType, rawURL string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/css":
		return "text/css; charset=utf-8"
	case mt == "image/svg+xml":
		return ""
	case strings.HasPrefix(mt, "image/"), strings.HasPrefix(mt, "font/"),
		mt == "application/font-woff", mt == "application/x-font-woff", mt == "application/font-woff2",
		mt == "application/x-font-ttf", mt == "application/x-font-otf", mt == "application/font-sfnt",
		mt == "application/vnd.ms-fontobject":
		return mt
	case mt == "application/octet-stream" || mt == "":
		// Fonts are often served untyped: go by the extension.
		if u, err := url.Parse(rawURL); err == nil {
			switch strings.ToLower(path.Ext(u.Path)) {
			case ".woff":
				return "font/woff"
			case ".woff2":
				return "font/woff2"
			case ".ttf":
				return "font/ttf"
			case ".otf":
				return "font/otf"
			}
		}
	}
	return ""
}

// handleGo resolves a link of an archived page to the archive: the article
// when the URL is an archived article, else the latest capture of the URL,
// else a page saying it is not archived (never a link to the live web).
func (s *Server) handleGo(w http.ResponseWriter, r *http.Request) {
	u := r.URL.Query().Get("url")
	if rec, err := s.store.ArticleByURL(r.Context(), u); err == nil {
		http.Redirect(w, r, "/articles/"+strconv.FormatInt(rec.ID, 10), http.StatusSeeOther)
		return
	}
	if prev, ok, err := s.store.Previous(r.Context(), u); err == nil && ok {
		http.Redirect(w, r, "/snapshots/"+strconv.FormatInt(prev.PageID, 10), http.StatusSeeOther)
		return
	}
	s.notFound(w, r, "an archived copy of "+u)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// handleAPISearch mirrors the search page: the same parameters (q, author,
// editor, tag, site, since, until, page, and limit up to 100), hits as JSON;
// snippets mark matches with [ and ].
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, apiMaxLimit)
	opts, err := f.options()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	opts.HighlightStart, opts.HighlightEnd = "", ""
	hits, err := s.store.Search(r.Context(), f.Q, opts)
	var qe *archive.QueryError
	if errors.As(err, &qe) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": qe.Msg})
		return
	}
	if err != nil {
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	out := struct {
		Query string              `json:"query"`
		Page  int                 `json:"page"`
		Hits  []archive.SearchHit `json:"hits"`
	}{Query: f.Q, Page: f.Page, Hits: hits}
	if out.Hits == nil {
		out.Hits = []archive.SearchHit{}
	}
	writeJSON(w, http.StatusOK, out)
}

// apiArticle is /api/articles/{id}.
type apiArticle struct {
	ID           int64           `json:"id"`
	CanonicalURL string          `json:"canonical_url"`
	FirstSeen    time.Time       `json:"first_seen"`
	LastSeen     time.Time       `json:"last_seen"`
	Record       extract.Article `json:"record"`
	Versions     []apiVersion    `json:"versions"`
	Related      []apiRelated    `json:"related"`
	Aliases      []string        `json:"aliases"`
}

type apiVersion struct {
	ID               int64     `json:"id"`
	PageID           int64     `json:"page_id"`
	FetchedAt        time.Time `json:"fetched_at"`
	ExtractedAt      time.Time `json:"extracted_at"`
	ExtractorVersion string    `json:"extractor_version"`
}

type apiRelated struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	ArticleID int64  `json:"article_id,omitempty"`
	Archived  bool   `json:"archived"`
}

func (s *Server) handleAPIArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such article"})
		return
	}
	rec, err := s.store.Article(r.Context(), id)
	if errors.Is(err, archive.ErrNotFound) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such article"})
		return
	}
	if err != nil {
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	out := apiArticle{ID: rec.ID, CanonicalURL: rec.CanonicalURL, FirstSeen: rec.FirstSeen, LastSeen: rec.LastSeen,
		Record: rec.Record, Aliases: rec.Aliases, Versions: []apiVersion{}, Related: []apiRelated{}}
	for _, v := range rec.Versions {
		out.Versions = append(out.Versions, apiVersion{v.ID, v.PageID, v.FetchedAt, v.ExtractedAt, v.ExtractorVersion})
	}
	for _, l := range rec.Related {
		out.Related = append(out.Related, apiRelated{l.Title, l.URL, l.ArticleID, l.Archived()})
	}
	writeJSON(w, http.StatusOK, out)
}

// highlight escapes a snippet and turns the match markers into <mark>.
func highlight(s string) template.HTML {
	e := template.HTMLEscapeString(strings.Join(strings.Fields(s), " "))
	e = strings.ReplaceAll(e, markStart, "<mark>")
	e = strings.ReplaceAll(e, markEnd, "</mark>")
	// A snippet cut between markers leaves one open: close it.
	if strings.Count(e, "<mark>") > strings.Count(e, "</mark>") {
		e += "</mark>"
	}
	return template.HTML(e) // #nosec: escaped above; only our markers become tags
}

// shortDate shows the day of an ISO 8601 date, or the value as is.
func shortDate(s string) string {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return s
}

func editorLabel(e extract.Editor) string {
	s := e.Name
	if e.Handle != "" {
		s = strings.TrimSpace(s + " @" + strings.TrimPrefix(e.Handle, "@"))
	}
	return s
}
