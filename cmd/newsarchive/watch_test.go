package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/watch"
)

// newsroom is a loopback news site whose content follows a clock: it
// publishes article k at t0 + k·every, edits, retitles, unpublishes and
// moves some later, and logs every request with the real and the site's time.
type newsroom struct {
	t0    time.Time
	every time.Duration
	now   func() time.Time

	// Changes, as offsets after t0.
	editAt      time.Duration // article 1 gains a correction
	retitleAt   time.Duration // article 2 changes its headline
	unpublishAt time.Duration // article 3 answers 410
	moveAt      time.Duration // article 4 redirects to /news/4-moved

	mu  sync.Mutex
	log []hit
}

// hit is one request the site answered.
type hit struct {
	path   string
	status int
	real   time.Time
	sim    time.Time
}

func newNewsroom(t0 time.Time, now func() time.Time) *newsroom {
	return &newsroom{
		t0: t0, every: 20 * time.Minute, now: now,
		editAt: 90 * time.Minute, retitleAt: 100 * time.Minute, unpublishAt: 150 * time.Minute, moveAt: 160 * time.Minute,
	}
}

func (n *newsroom) published(k int) time.Time { return n.t0.Add(time.Duration(k) * n.every) }

// articles returns the ids published at now.
func (n *newsroom) articles(now time.Time) []int {
	var ids []int
	for k := 0; !n.published(k).After(now); k++ {
		ids = append(ids, k)
	}
	return ids
}

func (n *newsroom) after(now time.Time, d time.Duration) bool { return !now.Before(n.t0.Add(d)) }

func (n *newsroom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := n.now()
	status := n.serve(w, r, now)
	n.mu.Lock()
	n.log = append(n.log, hit{path: r.URL.Path, status: status, real: time.Now(), sim: now})
	n.mu.Unlock()
}

func (n *newsroom) serve(w http.ResponseWriter, r *http.Request, now time.Time) int {
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		return 200
	case p == "/":
		var b strings.Builder
		b.WriteString("<!doctype html><html><head><title>The Loopback Times</title></head><body><h1>The Loopback Times</h1><ul>\n")
		ids := n.articles(now)
		for i := len(ids) - 1; i >= 0; i-- {
			k := ids[i]
			switch {
			case k == 3 && n.after(now, n.unpublishAt):
				continue
			case k == 4 && n.after(now, n.moveAt):
				fmt.Fprintf(&b, "<li><a href=\"/news/4-moved\">%s</a></li>\n", html.EscapeString(n.title(k, now)))
				continue
			}
			fmt.Fprintf(&b, "<li><a href=\"/news/%d\">%s</a></li>\n", k, html.EscapeString(n.title(k, now)))
		}
		b.WriteString("</ul><a href=\"/section/quiet\">Quiet section</a></body></html>")
		return n.write(w, r, b.String())
	case p == "/section/quiet":
		return n.write(w, r, `<!doctype html><html><head><title>Quiet</title></head><body><h1>Quiet</h1><a href="/news/0">Old news</a></body></html>`)
	case p == "/news/4-moved":
		if !n.after(now, n.moveAt) {
			http.NotFound(w, r)
			return 404
		}
		return n.write(w, r, n.page(4, now, "/news/4-moved"))
	case strings.HasPrefix(p, "/news/"):
		k, err := strconv.Atoi(strings.TrimPrefix(p, "/news/"))
		if err != nil || n.published(k).After(now) {
			http.NotFound(w, r)
			return 404
		}
		switch {
		case k == 3 && n.after(now, n.unpublishAt):
			http.Error(w, "gone", http.StatusGone)
			return 410
		case k == 4 && n.after(now, n.moveAt):
			http.Redirect(w, r, "/news/4-moved", http.StatusMovedPermanently)
			return 301
		}
		return n.write(w, r, n.page(k, now, p))
	}
	http.NotFound(w, r)
	return 404
}

func (n *newsroom) title(k int, now time.Time) string {
	if k == 2 && n.after(now, n.retitleAt) {
		return "Headline two, revised after complaints"
	}
	return fmt.Sprintf("Headline number %d of the day", k)
}

func (n *newsroom) page(k int, now time.Time, path string) string {
	title := n.title(k, now)
	body := fmt.Sprintf(`<p>Story %d begins here: the council met on Tuesday evening and voted on the new budget for roads, schools and the harbour after a long debate.</p>
<p>Residents who attended said the decision would shape the town for years, and several speakers asked for a second vote before the summer recess begins.</p>`, k)
	if k == 1 && n.after(now, n.editAt) {
		body += `<p>Correction: an earlier version of this story misstated the date of the vote, which took place on Tuesday and not on Monday as first reported.</p>`
	}
	ld := fmt.Sprintf(`{"@context":"https://schema.org","@type":"NewsArticle","headline":%q,"datePublished":%q,"author":{"@type":"Person","name":"Ada Reporter"}}`,
		title, n.published(k).Format(time.RFC3339))
	return fmt.Sprintf(`<!doctype html><html><head><title>%s</title><link rel="canonical" href="%s">
<meta property="og:type" content="article"><script type="application/ld+json">%s</script></head>
<body><article><h1>%s</h1><p class="byline">By Ada Reporter</p>%s</article></body></html>`,
		html.EscapeString(title), path, ld, html.EscapeString(title), body)
}

// write answers with body and a strong ETag, or 304 when the client has it.
func (n *newsroom) write(w http.ResponseWriter, r *http.Request, body string) int {
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return 304
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
	return 200
}

func (n *newsroom) hits() []hit {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]hit(nil), n.log...)
}

// stopClock is a watch.FakeClock that ends the watch (cancels) once it
// would sleep past end.
type stopClock struct {
	*watch.FakeClock
	end    time.Time
	cancel context.CancelFunc
}

func (c *stopClock) SleepUntil(ctx context.Context, t time.Time) error {
	if t.After(c.end) {
		c.cancel()
		return context.Canceled
	}
	return c.FakeClock.SleepUntil(ctx, t)
}

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func scalar[T any](t *testing.T, db *sql.DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// TestWatchNewsroom watches a site that publishes, edits, retitles,
// unpublishes and moves articles for eight simulated hours on a fake clock.
func TestWatchNewsroom(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	end := t0.Add(8 * time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := &stopClock{FakeClock: watch.NewFakeClock(t0), end: end, cancel: cancel}
	site := newNewsroom(t0, clock.Now)
	srv := httptest.NewServer(site)
	defer srv.Close()

	db := filepath.Join(t.TempDir(), "watch.db")
	const delay = 60 * time.Millisecond
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, hardStop: context.Background()}
	opts, err := parseWatchFlags(e, []string{"--db", db, "--delay", delay.String(), "--min-interval", "2m",
		"--max-interval", "30m", "--revisit", "30m,1h,2h,4h", "--quiet", srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	opts.cfg.Clock = clock
	opts.cfg.Scraper.RobotsTTL = 2 * time.Hour
	sum, err := watchSite(ctx, e, newLogger(e, true, false), opts)
	if err != nil {
		t.Fatalf("watch: %v\n%s", err, errb.String())
	}
	t.Logf("summary: %+v", *sum)
	hits := site.hits()
	sdb := openDB(t, db)

	firstOK := func(path string, after time.Time) (hit, bool) {
		for _, h := range hits {
			if h.path == path && h.status == 200 && !h.sim.Before(after) {
				return h, true
			}
		}
		return hit{}, false
	}
	t.Run("new articles within one poll", func(t *testing.T) {
		for _, k := range site.articles(end.Add(-30 * time.Minute)) {
			path := "/news/" + strconv.Itoa(k)
			pub := site.published(k)
			got, ok := firstOK(path, pub)
			if !ok {
				t.Errorf("%s (published %v) never fetched", path, pub.Sub(t0))
				continue
			}
			// Exactly one front-page answer between publication and the
			// fetch: the poll that found it; the fetch followed at once.
			polls := 0
			for _, h := range hits {
				if h.path == "/" && h.real.Before(got.real) && !h.sim.Before(pub) {
					polls++
				}
			}
			if polls != 1 {
				t.Errorf("%s: %d front-page polls between publication and capture, want 1", path, polls)
			}
			if lag := got.sim.Sub(pub); lag > 30*time.Minute {
				t.Errorf("%s captured %v after publication, want <= max interval", path, lag)
			}
			if n := scalar[int](t, sdb, `SELECT count(*) FROM aliases WHERE url = ?`, srv.URL+path); n != 1 && k != 4 {
				t.Errorf("%s: %d aliases, want it archived", path, n)
			}
		}
	})
	versionsOf := func(path string) []string {
		rows, err := sdb.Query(`SELECT v.title || ' | ' || v.body_text FROM versions v JOIN aliases al ON al.article_id = v.article_id
			WHERE al.url = ? ORDER BY v.id`, srv.URL+path)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	t.Run("edits become versions at the next revisit", func(t *testing.T) {
		for _, c := range []struct {
			path string
			at   time.Duration
			want string
		}{
			{"/news/1", site.editAt, "Correction:"},
			{"/news/2", site.retitleAt, "Headline two, revised"},
		} {
			vs := versionsOf(c.path)
			if len(vs) != 2 || strings.Contains(vs[0], c.want) || !strings.Contains(vs[1], c.want) {
				t.Errorf("%s versions = %q, want 2, the second with %q", c.path, vs, c.want)
			}
			// The first check after the edit fetched it whole (not 304).
			for _, h := range hits {
				if h.path == c.path && !h.sim.Before(t0.Add(c.at)) {
					if h.status != 200 {
						t.Errorf("%s: first check after the edit answered %d", c.path, h.status)
					}
					break
				}
			}
		}
	})
	t.Run("304 not stored again", func(t *testing.T) {
		n304 := 0
		for _, h := range hits {
			if h.status == 304 && strings.HasPrefix(h.path, "/news/") {
				n304++
			}
		}
		if n304 < 10 {
			t.Errorf("%d article checks answered 304, want many", n304)
		}
		if n := scalar[int](t, sdb, `SELECT count(*) FROM pages WHERE not_modified = 1 OR status = 304`); n != 0 {
			t.Errorf("%d pages stored for 304 answers, want 0", n)
		}
		// Article 0 never changes: revisited, stored once.
		if n := scalar[int](t, sdb, `SELECT count(*) FROM pages WHERE url = ?`, srv.URL+"/news/0"); n != 1 {
			t.Errorf("/news/0 stored %d times, want 1", n)
		}
		if vs := versionsOf("/news/0"); len(vs) != 1 {
			t.Errorf("/news/0 has %d versions, want 1", len(vs))
		}
		checks := 0
		for _, h := range hits {
			if h.path == "/news/0" {
				checks++
			}
		}
		if checks < 4 {
			t.Errorf("/news/0 checked %d times, want the first fetch and >= 3 revisits", checks)
		}
	})
	t.Run("today counts on the watch clock", func(t *testing.T) {
		store, err := archive.OpenReadOnly(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		// The simulated day is days before the wall clock's: counts since
		// its start see the watch's work, counts since the next day none.
		newToday, changedToday, err := store.ArticleActivity(t.Context(), startOfDay(end))
		if err != nil {
			t.Fatal(err)
		}
		if want := len(site.articles(end.Add(-30 * time.Minute))); newToday < want || changedToday < 2 {
			t.Errorf("today (watch clock): %d new, %d changed; want >= %d new and the edit and retitle", newToday, changedToday, want)
		}
		newTomorrow, changedTomorrow, err := store.ArticleActivity(t.Context(), startOfDay(end).Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if newTomorrow != 0 || changedTomorrow != 0 {
			t.Errorf("the simulated next day: %d new, %d changed; want none (captures dated on the wall clock?)", newTomorrow, changedTomorrow)
		}
	})
	t.Run("unpublished and moved are events", func(t *testing.T) {
		store, err := archive.OpenReadOnly(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		evs, err := store.Events(t.Context(), archive.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byURL := map[string]archive.Event{}
		for _, ev := range evs {
			if _, dup := byURL[ev.URL]; dup {
				t.Errorf("two events for %s: %+v", ev.URL, evs)
			}
			byURL[ev.URL] = ev
		}
		if ev := byURL[srv.URL+"/news/3"]; ev.Kind != archive.EventUnpublished || ev.Status != 410 || ev.ArticleID == 0 ||
			ev.At.Before(t0.Add(site.unpublishAt)) {
			t.Errorf("/news/3 event = %+v, want unpublished 410 with its article", ev)
		}
		if ev := byURL[srv.URL+"/news/4"]; ev.Kind != archive.EventMoved || ev.Detail != srv.URL+"/news/4-moved" || ev.ArticleID == 0 ||
			ev.Status != http.StatusMovedPermanently {
			t.Errorf("/news/4 event = %+v, want moved to /news/4-moved", ev)
		}
		if len(evs) != 2 {
			t.Errorf("events = %+v, want 2", evs)
		}
	})
	t.Run("politeness and robots", func(t *testing.T) {
		// A redirect followed inside one fetch is one request for
		// politeness (as in a crawl): the hop after a 3xx is not checked.
		// The site sees arrivals, not starts: a late arrival under load
		// shortens the gap after it, so only gross violations (under half
		// the delay) fail, as in the scraper's delay test.
		var prev hit
		for i, h := range hits {
			if i > 0 && (prev.status < 300 || prev.status > 399) {
				if gap := h.real.Sub(prev.real); gap < delay/2 {
					t.Errorf("request %d (%s) came %v after the previous one, want >= %v", i, h.path, gap, delay)
				}
			}
			prev = h
		}
		// The rate over any five requests in a row: their span holds four
		// delays; arrival jitter moves only its two ends (half a delay).
		var starts []time.Time
		for i, h := range hits {
			if i == 0 || hits[i-1].status < 300 || hits[i-1].status > 399 {
				starts = append(starts, h.real)
			}
		}
		for i := 4; i < len(starts); i++ {
			if span := starts[i].Sub(starts[i-4]); span < 4*delay-delay/2 {
				t.Errorf("requests %d..%d within %v: above one per --delay %v", i-4, i, span, delay)
			}
		}
		var robots []time.Time
		for _, h := range hits {
			if h.path == "/robots.txt" {
				robots = append(robots, h.sim)
			}
		}
		if len(robots) < 3 {
			t.Errorf("robots.txt fetched %d times in 8 h with a 2 h TTL, want >= 3", len(robots))
		}
		for i := 1; i < len(robots); i++ {
			if gap := robots[i].Sub(robots[i-1]); gap < 2*time.Hour {
				t.Errorf("robots.txt re-fetched after %v, before its 2 h expiry", gap)
			}
		}
	})
	t.Run("adaptive polling", func(t *testing.T) {
		store, err := archive.OpenReadOnly(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		srcs, err := store.WatchSources(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		checks := map[string]int{}
		for _, s := range srcs {
			checks[strings.TrimPrefix(s.URL, srv.URL)] = s.Checks
		}
		// Only seeds are sources: compare the busy front page with the
		// site's /sitemap.xml, which never changes (404).
		if checks["/"] <= checks["/sitemap.xml"] {
			t.Errorf("polls: front page %d, quiet sitemap %d; want the busy source polled more", checks["/"], checks["/sitemap.xml"])
		}
		var front, sm archive.WatchSource
		for _, s := range srcs {
			switch strings.TrimPrefix(s.URL, srv.URL) {
			case "/":
				front = s
			case "/sitemap.xml":
				sm = s
			}
		}
		if sm.Interval != 30*time.Minute {
			t.Errorf("unchanging source's interval = %v, want the 30m maximum", sm.Interval)
		}
		if front.Changes < 10 {
			t.Errorf("front page changed %d times, want about one per article", front.Changes)
		}
	})
	if t.Failed() {
		sort.Slice(hits, func(i, j int) bool { return hits[i].real.Before(hits[j].real) })
		for _, h := range hits {
			t.Logf("%v %-20s %d", h.sim.Sub(t0), h.path, h.status)
		}
	}
}

// TestWatchKill9 kills a real watch (a child process on a scaled clock) with
// SIGKILL mid-watch and restarts it: the schedule survives (no burst of
// re-fetches) and nothing published meanwhile is missed.
func TestWatchKill9(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const factor = 600 // one real second is ten simulated minutes
	start := time.Now()
	t0 := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	clock := watch.NewScaledClock(start, t0, factor)
	site := newNewsroom(t0, clock.Now)
	srv := httptest.NewServer(site)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "watch.db")
	spec := fmt.Sprintf("%d,%d,%d", start.UnixNano(), t0.UnixNano(), factor)
	child := func() *exec.Cmd {
		cmd := exec.Command(exe, "watch", "--db", db, "--delay", "20ms", "--min-interval", "2m", "--max-interval", "20m",
			"--revisit", "30m,1h,2h", "--quiet", srv.URL+"/")
		cmd.Env = append(os.Environ(), "NEWSARCHIVE_TEST_MAIN=1", testClockEnv+"="+spec)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("child stderr:\n%s", errb.String())
			}
		})
		return cmd
	}
	first := child()
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Second) // 100 simulated minutes: six articles
	_ = first.Process.Signal(syscall.SIGKILL)
	_ = first.Wait()
	killedAt := time.Now()
	second := child()
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(8 * time.Second)
	_ = second.Process.Signal(os.Interrupt)
	if err := second.Wait(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
			t.Fatalf("second watch: %v, want exit status %d", err, exitInterrupted)
		}
	}
	stoppedAt := clock.Now()
	hits := site.hits()

	// No burst: in the first simulated 10 minutes after the restart, only
	// robots.txt, the checks already due and those of the killed round.
	burst := 0
	for _, h := range hits {
		if h.real.After(killedAt) && h.real.Before(killedAt.Add(time.Second)) && h.path != "/robots.txt" {
			burst++
		}
	}
	if burst > 6 {
		t.Errorf("%d requests in the first simulated 10 min after restart, want few (schedule kept)", burst)
	}
	// Each article URL: successive checks respect the schedule (the first
	// revisit is 30 min), except one re-fetch of a check the kill cut short.
	times := map[string][]time.Time{}
	for _, h := range hits {
		if strings.HasPrefix(h.path, "/news/") {
			times[h.path] = append(times[h.path], h.sim)
		}
	}
	early := 0
	for p, ts := range times {
		for i := 1; i < len(ts); i++ {
			if ts[i].Sub(ts[i-1]) < 25*time.Minute {
				early++
				t.Logf("%s checked again after %v", p, ts[i].Sub(ts[i-1]))
			}
		}
	}
	t.Logf("%d requests in the second after the restart, %d early checks, %d requests in all", burst, early, len(hits))
	if early > 3 {
		t.Errorf("%d checks came before their schedule, want at most the few of the killed round", early)
	}
	// Nothing missed: every article published more than one max interval
	// before the end is archived.
	sdb := openDB(t, db)
	for _, k := range site.articles(stoppedAt.Add(-25 * time.Minute)) {
		u := srv.URL + "/news/" + strconv.Itoa(k)
		if k == 3 || k == 4 {
			continue // may be unpublished or moved before discovery in a slow run
		}
		if n := scalar[int](t, sdb, `SELECT count(*) FROM aliases WHERE url = ?`, u); n != 1 {
			t.Errorf("%s (published at +%v) not archived", u, site.published(k).Sub(t0))
		}
	}
	if n := scalar[int](t, sdb, `SELECT count(*) FROM runs WHERE status <> 'finished'`); n != 0 {
		t.Errorf("%d runs left unfinished after the watch stopped", n)
	}
}

// TestWatchRefusesUnfinishedCrawl: a watch must not take over (and close)
// an interrupted crawl's run.
func TestWatchRefusesUnfinishedCrawl(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	store, err := archive.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.StartRun(t.Context(), []string{"http://127.0.0.1:1/"}, nil); err != nil {
		t.Fatal(err)
	}
	store.Close()
	code, _, stderr := runCmd(t, "watch", "--db", db, "--quiet", "http://127.0.0.1:1/")
	if code != exitError || !strings.Contains(stderr, "is unfinished") {
		t.Errorf("watch over an unfinished crawl: exit %d, %q; want 1 and a reason", code, stderr)
	}
	if code, _, stderr := runCmd(t, "watch", "--db", db, "--revisit", "2h,1h", "http://127.0.0.1:1/"); code != exitUsage {
		t.Errorf("--revisit out of order: exit %d, %q; want 2", code, stderr)
	}
}
