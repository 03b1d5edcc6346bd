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
	"net/http"
	"net/url"
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

// Server is the web UI's handler. It only reads the store.
type Server struct {
	store *archive.Store
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New returns the UI for store. logger gets one line per failed request.
func New(store *archive.Store, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: store, log: logger, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	funcs := template.FuncMap{
		"highlight": highlight,
		"join":      strings.Join,
		"paras":     paragraphs,
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
	s.mux.HandleFunc("GET /snapshots/{id}/content", s.handleSnapshotContent)
	s.mux.HandleFunc("GET /snapshots/{id}/source", s.handleSnapshotSource)
	s.mux.HandleFunc("GET /go", s.handleGo)
	s.mux.HandleFunc("GET /api/search", s.handleAPISearch)
	s.mux.HandleFunc("GET /api/articles/{id}", s.handleAPIArticle)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if !strings.HasPrefix(r.URL.Path, "/snapshots/") || !strings.Contains(r.URL.Path[len("/snapshots/"):], "/") {
		h.Set("Content-Security-Policy", uiCSP)
	}
	s.mux.ServeHTTP(w, r)
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
}

func formOf(r *http.Request) searchForm {
	q := r.URL.Query()
	f := searchForm{Q: q.Get("q"), Author: q.Get("author"), Editor: q.Get("editor"), Tag: q.Get("tag"),
		Site: q.Get("site"), Since: q.Get("since"), Until: q.Get("until")}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.Page = max(f.Page, 1)
	return f
}

// options converts the form; an unreadable date is reported, not ignored.
func (f searchForm) options() (archive.SearchOptions, error) {
	o := archive.SearchOptions{Author: f.Author, Editor: f.Editor, Tag: f.Tag, Site: f.Site,
		Limit: pageSize, Offset: (f.Page - 1) * pageSize, HighlightStart: markStart, HighlightEnd: markEnd}
	var err error
	o.Since, o.Until, err = archive.ParseDateRange(f.Since, f.Until)
	return o, err
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
	f := formOf(r)
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
			data["Prev"] = f.query(f.Page - 1)
		}
		if len(hits) == pageSize {
			data["Next"] = f.query(f.Page + 1)
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
	Snapshot int64 // raw page of the latest version
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
	s.render(w, r, http.StatusOK, "article", rec.Record.Title, articleView{rec, rec.PageID})
}

// personView is an author or editor page's data.
type personView struct {
	Kind, Name, Bio, URL string
	Hits                 []archive.SearchHit
	Prev, Next           string
}

func (s *Server) person(w http.ResponseWriter, r *http.Request, kind string) {
	name := r.PathValue("name")
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	opts := archive.SearchOptions{Limit: pageSize, Offset: (page - 1) * pageSize}
	if kind == "author" {
		opts.Author = name
	} else {
		opts.Editor = name
	}
	hits, err := s.store.Search(r.Context(), "", opts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(hits) == 0 && page == 1 {
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
	if len(hits) == pageSize {
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
	s.render(w, r, http.StatusOK, "stats", "Statistics", st)
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
// the sandboxing Content-Security-Policy.
func (s *Server) handleSnapshotContent(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", snapshotCSP)
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
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
	w.Header().Set("Content-Security-Policy", snapshotCSP)
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

// apiHit is one hit of /api/search.
type apiHit struct {
	ID           int64    `json:"id"`
	VersionID    int64    `json:"version_id"`
	CanonicalURL string   `json:"canonical_url"`
	Site         string   `json:"site"`
	Title        string   `json:"title"`
	Authors      []string `json:"authors"`
	PublishedAt  string   `json:"published_at"`
	Snippet      string   `json:"snippet"`
	Score        float64  `json:"score"`
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
	f := formOf(r)
	opts, err := f.options()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	opts.HighlightStart, opts.HighlightEnd = "", ""
	if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && l > 0 {
		opts.Limit = min(l, 100)
		opts.Offset = (f.Page - 1) * opts.Limit
	}
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
		Query string   `json:"query"`
		Page  int      `json:"page"`
		Hits  []apiHit `json:"hits"`
	}{Query: f.Q, Page: f.Page, Hits: []apiHit{}}
	for _, h := range hits {
		authors := h.Authors
		if authors == nil {
			authors = []string{}
		}
		out.Hits = append(out.Hits, apiHit{h.ArticleID, h.VersionID, h.CanonicalURL, h.SiteName, h.Title, authors,
			h.PublishedAt, h.Snippet, h.Score})
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

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
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
