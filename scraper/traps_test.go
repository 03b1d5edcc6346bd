package scraper

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTemplate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://ex.org/", "ex.org/"},
		{"https://ex.org/calendar/2024/05", "ex.org/calendar/{n}/{n}"},
		{"https://ex.org/calendar/2024/05/12", "ex.org/calendar/{n}/{n}/{n}"},
		{"https://ex.org/2024/05/12/council-passes-the-budget", "ex.org/{n}/{n}/{n}/{slug}"},
		{"https://ex.org/archive/2024-05-12.html", "ex.org/archive/{date}.html"},
		{"https://ex.org/news?page=7", "ex.org/news?page"},
		{"https://ex.org/search?q=a&lang=en&q=b", "ex.org/search?lang&q"},
		{"https://ex.org/p/9f86d081884c7d65/", "ex.org/p/{id}/"},
		{"https://ex.org/item/550e8400-e29b-41d4-a716-446655440000", "ex.org/item/{id}"},
		{"https://ex.org/news/story-1234", "ex.org/news/{slug}"},
		{"https://ex.org/world/europe", "ex.org/world/europe"},
		{"https://ex.org:8080/a/b2", "ex.org:8080/a/b2"},
		{"not a url", ""},
	} {
		if got := Template(tc.in); got != tc.want {
			t.Errorf("Template(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		tmpl string
		want templateShape
	}{
		{"ex.org/calendar/{n}/{n}", shapeCalendar},
		{"ex.org/events?date", shapeCalendar},
		{"ex.org/news/page/{n}/", shapePagination},
		{"ex.org/news?page", shapePagination},
		{"ex.org/news/{slug}", shapePlain},
	} {
		if got := shapeOf(tc.tmpl); got != tc.want {
			t.Errorf("shapeOf(%q) = %d, want %d", tc.tmpl, got, tc.want)
		}
	}
}

// TestRobotsAsLinked: robots.txt forbids /search?q=, the page links
// /search?q=a&lang=en, whose canonical form (/search?lang=en&q=a) the rule
// does not match. The linked form decides, and allowed links are requested
// as written, not sorted.
func TestRobotsAsLinked(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /search?q=\n")
		case "/":
			writePage(w, "/search?q=a&lang=en", "/news?b=2&a=1")
		default:
			writePage(w)
		}
	}))
	store := newMemStore()
	crawl(t, testConfig(), store, srv.URL+"/")
	if n := srv.countPath("/search"); n != 0 {
		t.Errorf("/search requested %d times: %v", n, srv.requested())
	}
	if r := store.last(srv.u("/search?lang=en&q=a")); r == nil || r.State != StateSkipped || r.Reason != ReasonRobots {
		t.Errorf("/search?lang=en&q=a: got %+v, want skipped robots", r)
	}
	if n := srv.count("/news?b=2&a=1"); n != 1 {
		t.Errorf("/news?b=2&a=1 requested %d times as linked: %v", n, srv.requested())
	}
	if got := store.state(srv.u("/news?a=1&b=2")); got != StateDone {
		t.Errorf("canonical /news?a=1&b=2: state %q, want done", got)
	}
}

// calendarHandler serves an endless calendar of months and days (each
// linking the previous and next) under /calendar/, no page an article.
func calendarHandler(w http.ResponseWriter, r *http.Request) bool {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if parts[0] != "calendar" || len(parts) < 3 {
		return false
	}
	y, _ := strconv.Atoi(parts[1])
	m, _ := strconv.Atoi(parts[2])
	first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	month := func(t time.Time) string { return fmt.Sprintf("/calendar/%d/%02d", t.Year(), int(t.Month())) }
	if len(parts) == 3 {
		links := []string{month(first.AddDate(0, -1, 0)), month(first.AddDate(0, 1, 0))}
		for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
			links = append(links, fmt.Sprintf("%s/%d", month(d), d.Day()))
		}
		writePage(w, links...)
		return true
	}
	d, _ := strconv.Atoi(parts[3])
	day := first.AddDate(0, 0, d-1)
	dayURL := func(t time.Time) string { return fmt.Sprintf("%s/%d", month(t), t.Day()) }
	writePage(w, month(day), dayURL(day.AddDate(0, 0, -1)), dayURL(day.AddDate(0, 0, 1)))
	return true
}

func TestTrapCalendarCut(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calendarHandler(w, r) {
			return
		}
		writePage(w, "/calendar/2021/01")
	})
	srv := newRecServer(t, h)
	store := newMemStore()
	cfg := testConfig()
	cfg.MaxDepth = 0 // only trap defence bounds the calendar
	sum, logs := crawl(t, cfg, store, srv.URL+"/")
	if n := srv.countPrefix("/calendar/"); n > 100 {
		t.Errorf("calendar cost %d requests, want at most 100", n)
	}
	if len(sum.TrapTemplates) == 0 || sum.TrapTemplates[0].Skipped == 0 {
		t.Errorf("summary lists no template cut with skips: %+v", sum.TrapTemplates)
	}
	skipped := 0
	for _, r := range store.results {
		if r.Reason == ReasonTrapTemplate {
			skipped++
			if r.State != StateSkipped || !strings.Contains(r.Detail, "/calendar/{n}/{n}") {
				t.Errorf("%s: %s %q, want skipped with the template as detail", r.Entry.URL, r.State, r.Detail)
			}
		}
	}
	if skipped == 0 || !logs.has("trap template cut") {
		t.Errorf("%d URLs skipped as trap_template; want some, and a log line", skipped)
	}

	// Off: the same calendar runs far past 100 requests (bounded here by the
	// page budget).
	srv2 := newRecServer(t, h)
	cfg.TemplateBudget = 0
	cfg.MaxPages = 300
	crawl(t, cfg, newMemStore(), srv2.URL+"/")
	if n := srv2.countPrefix("/calendar/"); n < 250 {
		t.Errorf("without trap defence the calendar cost only %d requests", n)
	}
}

// templateSourceStore is a memStore whose frontier kept template state from
// an earlier, interrupted invocation of the run.
type templateSourceStore struct {
	*memStore
	stats []TemplateStat
}

func (s *templateSourceStore) TemplateStats(context.Context) ([]TemplateStat, error) {
	return s.stats, nil
}

func TestTrapStateSurvivesResume(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calendarHandler(w, r) {
			return
		}
		writePage(w, "/calendar/2021/01", "/calendar/2021/02")
	}))
	_, host, _ := splitCanonical(srv.u("/"))
	store := &templateSourceStore{memStore: newMemStore(), stats: []TemplateStat{
		{Template: host + "/calendar/{n}/{n}", Fetches: 40, SinceYield: 40},
	}}
	c, err := New(testConfig(), store, store, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Seed(t.Context(), []string{srv.URL + "/"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(t.Context(), RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := srv.countPrefix("/calendar/"); n != 0 {
		t.Errorf("a template cut before the resume was fetched %d times: %v", n, srv.requested())
	}
	if r := store.last(srv.u("/calendar/2021/01")); r == nil || r.Reason != ReasonTrapTemplate {
		t.Errorf("/calendar/2021/01: %+v, want skipped trap_template", r)
	}
}

// TestNewsSiteNotCut: 10,000 articles under /YYYY/MM/DD/slug, reached
// through day listings chained by rel=next, with a non-article gallery every
// seventh URL. Articles reset their template's budget: nothing is cut.
func TestNewsSiteNotCut(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000-page crawl skipped in -short mode")
	}
	const articles, perDay = 10_000, 20
	day0 := time.Date(2024, 5, 12, 0, 0, 0, 0, time.UTC)
	dayPath := func(d int) string { return day0.AddDate(0, 0, -d).Format("/2006/01/02/") }
	artPath := func(i int) string {
		kind := "council-passes-the-budget"
		if i%7 == 3 {
			kind = "photo-gallery-of-the-week"
		}
		return fmt.Sprintf("%s%s-%d", dayPath(i/perDay), kind, i)
	}
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/" {
			writePage(w, dayPath(0))
			return
		}
		for d := 0; d < articles/perDay; d++ {
			if p != dayPath(d) {
				continue
			}
			var links []string
			for i := d * perDay; i < (d+1)*perDay; i++ {
				links = append(links, artPath(i))
			}
			body := "<html><body>"
			for _, l := range links {
				body += `<a href="` + l + `">x</a>`
			}
			if d+1 < articles/perDay {
				body += `<a rel="next" href="` + dayPath(d+1) + `">older</a>`
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, body+"</body></html>")
			return
		}
		writePage(w, "/", dayPath(0))
	}))
	store := newMemStore()
	store.commit = func(r *Result) error {
		// The sink's article test: every page under a day but the galleries.
		_, _, pq := splitCanonical(r.Entry.URL)
		r.Article = r.Response != nil && strings.Count(pq, "/") == 4 && !strings.Contains(pq, "gallery")
		return nil
	}
	cfg := testConfig()
	cfg.Workers, cfg.Parallelism = 16, 16
	sum, _ := crawl(t, cfg, store, srv.URL+"/")
	if len(sum.TrapTemplates) != 0 {
		t.Errorf("templates cut on a real news site: %+v", sum.TrapTemplates)
	}
	for i := range articles {
		if got := store.state(srv.u(artPath(i))); got != StateDone {
			t.Fatalf("%s: state %q, want done", artPath(i), got)
		}
	}
}

// TestRecrawlNotModifiedNotCut: on a re-crawl, unchanged articles answer
// 304; they must not count against their template (an article's 304 does
// not say it is none), or a re-crawl would cut a site's articles.
func TestRecrawlNotModifiedNotCut(t *testing.T) {
	const n = 40
	home := func() []string {
		var l []string
		for i := range n {
			l = append(l, fmt.Sprintf("/a/story-%d", 1000+i))
		}
		return l
	}
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		if r.URL.Path == "/" {
			writePage(w, home()...)
			return
		}
		writePage(w, "/")
	}))
	store := newMemStore()
	for _, p := range home() {
		store.prev[srv.u(p)] = Previous{ETag: `"v1"`, Body: []byte(`<html><body><a href="/">home</a></body></html>`), ContentType: "text/html"}
	}
	cfg := testConfig()
	cfg.TemplateBudget = 4
	sum, _ := crawl(t, cfg, store, srv.URL+"/")
	if len(sum.TrapTemplates) != 0 {
		t.Errorf("templates cut on a re-crawl of unchanged articles: %+v", sum.TrapTemplates)
	}
	for _, p := range home() {
		if got := store.state(srv.u(p)); got != StateDone {
			t.Errorf("%s: state %q, want done", p, got)
		}
	}
}

// TestSitemapListedNeverCut: pages a sitemap lists are fetched even when
// their template yields nothing (they are no articles here, link nothing).
func TestSitemapListedNeverCut(t *testing.T) {
	const n = 30
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sitemap.xml" {
			w.Header().Set("Content-Type", "application/xml")
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for i := range n {
				fmt.Fprintf(&b, "<url><loc>http://%s/p/%d</loc></url>", r.Host, 1000+i)
			}
			b.WriteString("</urlset>")
			fmt.Fprint(w, b.String())
			return
		}
		writePage(w)
	}))
	cfg := testConfig()
	cfg.TemplateBudget = 4
	store := newMemStore()
	crawl(t, cfg, store, srv.URL+"/")
	for i := range n {
		if got := store.state(srv.u(fmt.Sprintf("/p/%d", 1000+i))); got != StateDone {
			t.Errorf("/p/%d: state %q, want done", 1000+i, got)
		}
	}
}
