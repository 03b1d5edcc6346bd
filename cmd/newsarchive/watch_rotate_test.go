package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/watch"
)

// rotatingSite is a loopback site without ETag or Last-Modified whose front
// page carries a clock and a rotating ad around a stable list of three
// articles, and whose sitemap moves article 1's lastmod when it is edited.
type rotatingSite struct {
	t0     time.Time
	editAt time.Duration // article 1 is edited (and its lastmod moves)
	now    func() time.Time

	mu  sync.Mutex
	log []hit
}

func (s *rotatingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	edited := !now.Before(s.t0.Add(s.editAt))
	status := http.StatusOK
	switch p := r.URL.Path; {
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	case p == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>The Rotating Post</title></head><body>
<p class="clock">Updated %s</p><div class="ad">Advertisement %d</div><ul>
<li><a href="/news/0">Zero</a></li><li><a href="/news/1">One</a></li><li><a href="/news/2">Two</a></li></ul></body></html>`,
			now.Format(time.RFC3339Nano), now.UnixNano()%97)
	case p == "/sitemap.xml":
		w.Header().Set("Content-Type", "application/xml")
		lastmod1 := s.t0
		if edited {
			lastmod1 = s.t0.Add(s.editAt)
		}
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/news/0</loc><lastmod>%[2]s</lastmod></url>
<url><loc>%[1]s/news/1</loc><lastmod>%[3]s</lastmod></url>
<url><loc>%[1]s/news/2</loc><lastmod>%[2]s</lastmod></url></urlset>`,
			"http://"+r.Host, s.t0.Format(time.RFC3339), lastmod1.Format(time.RFC3339))
	case strings.HasPrefix(p, "/news/"):
		k := strings.TrimPrefix(p, "/news/")
		extra := ""
		if k == "1" && edited {
			extra = "<p>Update: the council has since reversed its decision after a second vote late on Thursday night.</p>"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>Story %[1]s</title>
<meta property="og:type" content="article"><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Story %[1]s","datePublished":%[2]q}</script></head>
<body><article><h1>Story %[1]s</h1><p>Story %[1]s begins here: the council met on Tuesday evening and voted on the new budget for roads, schools and the harbour after a long debate.</p>
<p>Residents who attended said the decision would shape the town for years, and several speakers asked for a second vote before the summer recess.</p>%[3]s</article></body></html>`,
			k, s.t0.Format(time.RFC3339), extra)
	default:
		status = http.StatusNotFound
		http.NotFound(w, r)
	}
	s.mu.Lock()
	s.log = append(s.log, hit{path: r.URL.Path, status: status, real: time.Now(), sim: now})
	s.mu.Unlock()
}

func (s *rotatingSite) hits() []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]hit(nil), s.log...)
}

// TestWatchRotatingListing watches, for eight simulated hours, a site whose
// front page changes at every request (clock, ads) around a stable article
// list and that sends no validators: the front page backs off, a moved
// sitemap lastmod brings the edited article's revisit forward, and a revisit
// that finds the page as it was stores no second raw page.
func TestWatchRotatingListing(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	end := t0.Add(8 * time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := &stopClock{FakeClock: watch.NewFakeClock(t0), end: end, cancel: cancel}
	site := &rotatingSite{t0: t0, editAt: 3 * time.Hour, now: clock.Now}
	srv := httptest.NewServer(site)
	defer srv.Close()

	db := filepath.Join(t.TempDir(), "watch.db")
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hardStop: context.Background()}
	opts, err := parseWatchFlags(e, []string{"--db", db, "--delay", "10ms", "--min-interval", "2m",
		"--max-interval", "1h", "--revisit", "1h,6h", "--quiet", srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	opts.cfg.Clock = clock
	if _, err := watchSite(ctx, e, newLogger(e, true, false), opts); err != nil {
		t.Fatalf("watch: %v\n%s", err, errb.String())
	}
	hits := site.hits()
	count := func(path string) int {
		n := 0
		for _, h := range hits {
			if h.path == path {
				n++
			}
		}
		return n
	}

	// Judged by its body the front page changes at every poll and would be
	// polled every 2 minutes (about 240 times); judged by its links it backs
	// off towards the 1 h maximum.
	if n := count("/"); n > 30 {
		t.Errorf("front page polled %d times in 8 h; its article list never changed", n)
	}

	// Article 1's lastmod moves at 3 h: fetched again within a sitemap
	// interval (at most 1 h), long before its 6 h revisit.
	var early bool
	for _, h := range hits {
		if h.path == "/news/1" && h.status == 200 && !h.sim.Before(t0.Add(site.editAt)) &&
			h.sim.Before(t0.Add(site.editAt+time.Hour+5*time.Minute)) {
			early = true
		}
	}
	if !early {
		t.Errorf("/news/1 not fetched within an hour of its lastmod moving (hits %v)", pathsOf(hits, "/news/1", t0))
	}

	sdb := openDB(t, db)
	// Every article is revisited (1 h and 6 h) and answers 200 each time;
	// the unchanged answers are recorded as revisits, not new raw pages.
	for _, k := range []string{"0", "2"} {
		u := srv.URL + "/news/" + k
		if n := count("/news/" + k); n < 3 {
			t.Errorf("/news/%s requested %d times, want the first fetch and 2 revisits", k, n)
		}
		if n := scalar[int](t, sdb, `SELECT count(*) FROM pages WHERE url = ? AND body IS NOT NULL`, u); n != 1 {
			t.Errorf("/news/%s: %d raw pages stored, want 1 (identical revisits kept once)", k, n)
		}
		if n := scalar[int](t, sdb, `SELECT count(*) FROM pages WHERE url = ? AND not_modified = 1`, u); n < 2 {
			t.Errorf("/news/%s: %d revisit records, want >= 2", k, n)
		}
	}
	// The edit is not lost: two raw pages and two versions of article 1.
	u1 := srv.URL + "/news/1"
	if n := scalar[int](t, sdb, `SELECT count(*) FROM pages WHERE url = ? AND body IS NOT NULL`, u1); n != 2 {
		t.Errorf("/news/1: %d raw pages stored, want 2 (before and after the edit)", n)
	}
	if n := scalar[int](t, sdb, `SELECT count(*) FROM versions v JOIN aliases a ON a.article_id = v.article_id WHERE a.url = ?`, u1); n != 2 {
		t.Errorf("/news/1: %d versions, want 2", n)
	}
	store, err := archive.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srcs, err := store.WatchSources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		t.Logf("source %s: %d checks, %d changes, interval %v", s.URL, s.Checks, s.Changes, s.Interval)
		if s.URL == srv.URL+"/sitemap.xml" && s.Changes < 1 {
			t.Errorf("sitemap %s: the moved lastmod was not a change", s.URL)
		}
	}
}

// pathsOf lists the simulated times (after t0) and statuses of path's hits.
func pathsOf(hits []hit, path string, t0 time.Time) []string {
	var out []string
	for _, h := range hits {
		if h.path == path {
			out = append(out, fmt.Sprintf("%v:%d", h.sim.Sub(t0), h.status))
		}
	}
	return out
}
