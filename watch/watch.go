// Package watch keeps a news site under watch: it polls the site's discovery
// sources (feeds, sitemaps, listing pages) with conditional requests at an
// interval that adapts to how often each changes, fetches every new article
// URL at once, and revisits each article on a schedule that thins out with
// its age, so every edit becomes a new version and every unpublished or moved
// article an event.
//
// The schedule is data in the archive (watch_sources, watch_urls): the only
// timer in memory is the sleep until the earliest planned check, so a watch
// resumes after Ctrl-C or kill -9 where it stopped. Fetching goes through the
// scraper (robots.txt, per-host delay, retries) and storing through the
// pipeline the caller gives (the crawl's), which the watch does not duplicate.
package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/scraper"
	"golang.org/x/net/html"
)

// ErrInvalidConfig is returned by New for a bad Config.
var ErrInvalidConfig = errors.New("invalid watch configuration")

// DefaultRevisit is the default revisit schedule: offsets after an article
// was first seen.
func DefaultRevisit() []time.Duration {
	return []time.Duration{time.Hour, 6 * time.Hour, 24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}
}

// Config configures a Watcher. Fill it from DefaultConfig.
type Config struct {
	// Scraper configures fetching (scope, politeness, robots.txt). The watch
	// turns off what only makes sense for a crawl (page budgets, depth, trap
	// defence by yield, page requisites).
	Scraper scraper.Config
	// Seeds are the discovery sources given by the user: listing pages,
	// feeds, sitemaps. Each site's /sitemap.xml and the Sitemap: lines of its
	// robots.txt are added.
	Seeds []string
	// MinInterval and MaxInterval bound a source's polling interval.
	MinInterval, MaxInterval time.Duration
	// Revisit lists when an article is checked again, as offsets after it
	// was first seen, increasing.
	Revisit []time.Duration
	// RetryFailed is when a check that failed (network, 5xx after retries)
	// is tried again.
	RetryFailed time.Duration
	// Batch is the most checks started in one round.
	Batch int
	// Clock is the schedule's time (nil: the real clock).
	Clock Clock
	// Logger receives the watch's logs (nil: discarded).
	Logger *slog.Logger
	// RunID is the archive run pages are stored under (0: none).
	RunID int64
}

// DefaultConfig returns the defaults: sources polled every 2 min to 6 h,
// revisits at DefaultRevisit.
func DefaultConfig() Config {
	return Config{
		Scraper:     scraper.DefaultConfig(),
		MinInterval: 2 * time.Minute,
		MaxInterval: 6 * time.Hour,
		Revisit:     DefaultRevisit(),
		RetryFailed: 30 * time.Minute,
		Batch:       256,
	}
}

// Validate reports the first problems of c.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, a...)...))
	}
	if c.MinInterval <= 0 || c.MaxInterval < c.MinInterval {
		bad("intervals must satisfy 0 < min (%v) <= max (%v)", c.MinInterval, c.MaxInterval)
	}
	for i, d := range c.Revisit {
		if d <= 0 || (i > 0 && d <= c.Revisit[i-1]) {
			bad("revisit offsets must be positive and increasing (%v)", c.Revisit)
			break
		}
	}
	if c.RetryFailed <= 0 {
		bad("retry interval must be positive")
	}
	if c.Batch <= 0 {
		bad("batch must be positive")
	}
	return errors.Join(errs...)
}

// BatchSink stores the results of one round: Commit may return before a
// result is durable; Close returns once every committed result is.
type BatchSink interface {
	scraper.Sink
	Close() error
}

// Stats are a watch's counters since it started.
type Stats struct {
	Rounds      int64 // rounds of checks
	Polls       int64 // source polls
	Revisits    int64 // article checks after the first fetch
	Fetches     int64 // first fetches of new URLs
	NotModified int64 // 304 answers (polls and revisits)
	NewURLs     int64 // URLs put under watch
	Events      int64 // events recorded
	Failures    int64 // checks that failed
}

// Watcher runs a watch. Create it with New and call Run.
type Watcher struct {
	cfg     Config
	store   *archive.Store
	newSink func() BatchSink
	clock   Clock
	log     *slog.Logger
	crawler *scraper.Crawler

	mu  sync.Mutex
	cur *round // the round in progress; nil between rounds

	stats struct {
		rounds, polls, revisits, fetches, notModified, newURLs, events, failures atomic.Int64
	}
}

// New returns a Watcher over store. newSink is called once per round for
// the sink that stores its pages (the crawl pipeline).
func New(cfg Config, store *archive.Store, newSink func() BatchSink) (*Watcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if store == nil || newSink == nil {
		return nil, fmt.Errorf("%w: a store and a sink are required", ErrInvalidConfig)
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	w := &Watcher{cfg: cfg, store: store, newSink: newSink, clock: cfg.Clock, log: cfg.Logger}
	sc := w.scraperConfig()
	// The crawler logs each round's start and end at Info: keep its Info
	// lines out of a watch's log unless debugging.
	clog := w.log
	if !clog.Enabled(context.Background(), slog.LevelDebug) {
		clog = slogWarnOnly(clog)
	}
	c, err := scraper.New(sc, (*frontier)(w), (*sink)(w), (*history)(w), clog)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w.crawler = c
	return w, nil
}

// scraperConfig is the crawler's configuration: Config.Scraper without
// what only makes sense for a crawl, on the watch's clock, parsing first
// fetches once through the round's sink.
func (w *Watcher) scraperConfig() scraper.Config {
	sc := w.cfg.Scraper
	sc.MaxPages, sc.PerHostPageBudget, sc.MaxDepth, sc.TemplateBudget = 0, 0, 0, 0
	sc.PageRequisites = false
	if sc.RobotsClock == nil {
		sc.RobotsClock = w.clock.Now
	}
	if sc.ParseHTML == nil {
		sc.ParseHTML = w.parseHTML // parse a first fetch once, as a crawl does
	}
	return sc
}

// Stats returns the counters so far.
func (w *Watcher) Stats() Stats {
	s := &w.stats
	return Stats{
		Rounds: s.rounds.Load(), Polls: s.polls.Load(), Revisits: s.revisits.Load(), Fetches: s.fetches.Load(),
		NotModified: s.notModified.Load(), NewURLs: s.newURLs.Load(), Events: s.events.Load(), Failures: s.failures.Load(),
	}
}

// Now returns the watch's clock reading.
func (w *Watcher) Now() time.Time { return w.clock.Now() }

// Run watches until ctx ends (then it returns nil) or the archive fails.
// It first adds the seeds as sources; sources and URLs already under watch
// keep their schedule.
func (w *Watcher) Run(ctx context.Context) error {
	if err := w.crawler.Seed(ctx, w.cfg.Seeds); err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	st, err := w.store.WatchStatusAt(ctx, w.clock.Now())
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	if st.Sources == 0 {
		return fmt.Errorf("watch: %w: no discovery source (give a listing page, feed or sitemap)", ErrInvalidConfig)
	}
	w.log.Info("watch started", "sources", st.Sources, "urls", st.URLs, "sources_due", st.SourcesDue, "urls_due", st.URLsDue)
	for ctx.Err() == nil {
		n, err := w.Round(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return err
		}
		if n > 0 {
			continue
		}
		now := w.clock.Now()
		st, err := w.store.WatchStatusAt(ctx, now)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return fmt.Errorf("watch: %w", err)
		}
		wake := now.Add(w.cfg.MaxInterval)
		if !st.NextCheck.IsZero() && st.NextCheck.Before(wake) {
			wake = st.NextCheck
		}
		w.log.Debug("watch sleeping", "until", wake, "sources", st.Sources, "urls", st.URLs)
		if err := w.clock.SleepUntil(ctx, wake); err != nil {
			break
		}
	}
	w.log.Info("watch stopped")
	return nil
}

// Round runs the checks due now (at most Config.Batch) and stores their
// outcome; it returns how many checks it ran (0: nothing was due).
func (w *Watcher) Round(ctx context.Context) (int, error) {
	now := w.clock.Now()
	srcs, err := w.store.DueWatchSources(ctx, now, w.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("watch: %w", err)
	}
	urls, err := w.store.DueWatchURLs(ctx, now, w.cfg.Batch-min(len(srcs), w.cfg.Batch/2))
	if err != nil {
		return 0, fmt.Errorf("watch: %w", err)
	}
	if len(srcs)+len(urls) == 0 {
		return 0, nil
	}
	r := newRound(now, srcs, urls)
	sk := w.newSink()
	r.sink = sk
	w.mu.Lock()
	w.cur = r
	w.mu.Unlock()
	_, runErr := w.crawler.Run(ctx, scraper.RunOptions{})
	w.mu.Lock()
	w.cur = nil
	w.mu.Unlock()
	// Pages first: a crash before the schedule is saved refetches a URL
	// once; the other order could lose a capture.
	if err := sk.Close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		return 0, fmt.Errorf("watch round: %w", runErr)
	}
	// Store the outcome even when ctx ended: what was fetched is accounted for.
	if err := w.settle(context.WithoutCancel(ctx), r); err != nil {
		return 0, err
	}
	w.stats.rounds.Add(1)
	return len(srcs) + len(urls), nil
}

// round is one batch of checks run through the crawler.
type round struct {
	now  time.Time
	sink BatchSink

	mu      sync.Mutex
	items   map[string]*item
	queue   []string // URLs ready to hand out, in order
	pending int      // items without a final result
}

// item is one check of a round: a source poll or an article check.
type item struct {
	entry  scraper.Entry
	src    *archive.WatchSource
	url    *archive.WatchURL
	queued bool // in queue, not handed out
	done   bool

	// Outcome, set by Commit.
	res     *scraper.Result
	article bool   // the pipeline recognised an article
	sha     string // link-set hash (sources, see linkSetHash)
	// identical: a revisit answered 200 with the body of the last capture
	// (a server without validators); recorded like a 304.
	identical bool
}

func newRound(now time.Time, srcs []archive.WatchSource, urls []archive.WatchURL) *round {
	r := &round{now: now, items: make(map[string]*item)}
	for i := range srcs {
		s := &srcs[i]
		e := scraper.Entry{URL: s.URL, Kind: sourceKind(s.Kind), Listed: true}
		r.add(&item{entry: e, src: s})
	}
	for i := range urls {
		u := &urls[i]
		if _, dup := r.items[u.URL]; dup {
			continue // also a source: polled as one
		}
		r.add(&item{entry: scraper.Entry{URL: u.URL, Depth: 1, Kind: scraper.KindPage, Via: "watch", Listed: true}, url: u})
	}
	return r
}

func (r *round) add(it *item) {
	it.queued = true
	r.items[it.entry.URL] = it
	r.queue = append(r.queue, it.entry.URL)
	r.pending++
}

func sourceKind(k string) scraper.Kind {
	switch k {
	case archive.SourceFeed:
		return scraper.KindFeed
	case archive.SourceSitemap:
		return scraper.KindSitemap
	}
	return scraper.KindPage
}

func archiveKind(k scraper.Kind) string {
	switch k {
	case scraper.KindFeed:
		return archive.SourceFeed
	case scraper.KindSitemap:
		return archive.SourceSitemap
	}
	return archive.SourceListing
}

// frontier is the Watcher seen as the crawler's scraper.Frontier: it hands
// out the current round, and turns entries added outside a round (seeds,
// robots.txt Sitemap: lines) into sources.
type frontier Watcher

func (f *frontier) Add(ctx context.Context, entries []scraper.Entry) (int, error) {
	w := (*Watcher)(f)
	now := w.clock.Now()
	var srcs []archive.WatchSource
	for _, e := range entries {
		if e.Kind == scraper.KindPage && (e.Depth != 0 || e.Via != "") {
			continue // only seeds are listing pages
		}
		srcs = append(srcs, archive.WatchSource{URL: e.URL, Kind: archiveKind(e.Kind), Interval: w.initialInterval()})
	}
	n, err := w.store.AddWatchSources(ctx, now, srcs)
	if n > 0 {
		w.log.Info("sources added", "sources", n)
	}
	return n, err
}

func (f *frontier) Claim(_ context.Context, n int) ([]scraper.Entry, error) {
	w := (*Watcher)(f)
	r := w.round()
	if r == nil {
		return nil, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []scraper.Entry
	now := time.Now() // retry backoff is wall time, like the crawler's
	keep := r.queue[:0]
	for _, u := range r.queue {
		it := r.items[u]
		if len(out) < n && !it.entry.NotBefore.After(now) {
			it.queued = false
			out = append(out, it.entry)
			continue
		}
		keep = append(keep, u)
	}
	r.queue = keep
	return out, nil
}

func (f *frontier) Pending(context.Context) (int, error) {
	r := (*Watcher)(f).round()
	if r == nil {
		return 0, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pending, nil
}

func (w *Watcher) round() *round {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur
}

// HTMLParser is a BatchSink that parses a page once for both link discovery
// and extraction (ingest.Sink): the watch gives the first fetch of each
// article URL to the round's sink's ParseHTML, as a crawl does
// (scraper.Config.ParseHTML).
type HTMLParser interface {
	ParseHTML(e scraper.Entry, resp *scraper.Response) (root *html.Node, parsed any)
}

// parseHTML is the watch's scraper.Config.ParseHTML. Only first fetches go
// to the sink's parser: their record is always extracted, while a source
// whose links did not change, or a revisit identical to the last capture,
// is not stored, and link discovery's tokenizer costs it less than a parse
// and an extraction would.
func (w *Watcher) parseHTML(e scraper.Entry, resp *scraper.Response) (*html.Node, any) {
	r := w.round()
	if r == nil {
		return nil, nil
	}
	p, ok := r.sink.(HTMLParser)
	if !ok {
		return nil, nil
	}
	r.mu.Lock()
	it := r.items[e.URL]
	first := it != nil && it.url != nil && it.url.Step == 0
	r.mu.Unlock()
	if !first {
		return nil, nil
	}
	return p.ParseHTML(e, resp)
}

// history gives the crawler the validators of the last answer, so checks
// are conditional requests.
type history Watcher

func (h *history) Previous(_ context.Context, u string) (scraper.Previous, bool, error) {
	r := (*Watcher)(h).round()
	if r == nil {
		return scraper.Previous{}, false, nil
	}
	r.mu.Lock()
	it := r.items[u]
	r.mu.Unlock()
	var etag, lm string
	switch {
	case it == nil:
	case it.src != nil:
		etag, lm = it.src.ETag, it.src.LastModified
	case it.url != nil && it.url.Step > 0:
		etag, lm = it.url.ETag, it.url.LastModified
	}
	if etag == "" && lm == "" {
		return scraper.Previous{}, false, nil
	}
	return scraper.Previous{ETag: etag, LastModified: lm}, true, nil
}

// sink is the Watcher seen as the crawler's scraper.Sink: it keeps each
// result for settle and passes what is worth storing to the round's
// pipeline sink.
type sink Watcher

func (s *sink) Commit(ctx context.Context, res *scraper.Result) error {
	w := (*Watcher)(s)
	r := w.round()
	if r == nil {
		return nil
	}
	r.mu.Lock()
	it := r.items[res.Entry.URL]
	r.mu.Unlock()
	if it == nil {
		return nil // a redirect target or other entry not of this round
	}
	if res.State == scraper.StateQueued {
		r.mu.Lock()
		defer r.mu.Unlock()
		if res.Reason == scraper.ReasonInterrupted || res.Reason == scraper.ReasonMaxPages {
			it.done = true // released unfetched: stays due
			r.pending--
			return nil
		}
		it.entry = res.Entry // a retry: hand it out again after its backoff
		if !it.queued {
			it.queued = true
			r.queue = append(r.queue, it.entry.URL)
		}
		return nil
	}
	resp := res.Response
	var sha string
	store := resp != nil && !resp.NotModified
	if store && it.src != nil && resp.Status >= 200 && resp.Status <= 299 {
		sha = linkSetHash(res.Links)
		store = sha != it.src.ContentSHA256 // an unchanged source is not stored again
	}
	identical := false
	if store && it.url != nil && it.url.Step > 0 && resp.Status >= 200 && resp.Status <= 299 && !resp.Truncated &&
		(it.url.FinalURL == "" || resp.FinalURL == it.url.FinalURL) {
		// A revisit without validators: a body identical to the last
		// capture's is recorded like a 304, so the raw page is kept once.
		sum := sha256.Sum256(resp.Body)
		prev, ok, err := w.store.PreviousBodySHA256(ctx, resp.FinalURL)
		if err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		identical = ok && prev == hex.EncodeToString(sum[:])
	}
	article := false
	if store {
		fwd := *res
		fwd.Links, fwd.Template, fwd.Yield = nil, "", false // the watch schedules links itself
		if _, real := w.clock.(realClock); !real {
			// The capture is dated on the watch's clock, like its schedule
			// and events, so "today" means the same day everywhere.
			rc := *resp
			rc.FetchedAt = w.clock.Now().UTC()
			fwd.Response = &rc
		}
		if identical {
			rc := *fwd.Response
			rc.NotModified, rc.Body = true, nil
			fwd.Response = &rc
		}
		if err := r.sink.Commit(ctx, &fwd); err != nil {
			return err
		}
		article = fwd.Article
		res.Article = fwd.Article
	}
	// Keep what settle needs, not the body (a round holds up to Batch results).
	kept := *res
	if resp != nil {
		rc := *resp
		rc.Body, rc.Wire = nil, nil
		kept.Response = &rc
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	it.res, it.article, it.sha, it.identical, it.done = &kept, article, sha, identical, true
	r.pending--
	return nil
}

// linkSetHash is what a source's change is judged by: a hash of the set of
// URLs it yields (the entries of a feed or sitemap with their lastmod or
// updated date; the in-scope links of a listing page), in no particular
// order. A listing page whose ads, timestamps or "most read" box rotate
// around a stable article list hashes the same.
func linkSetHash(links []scraper.Entry) string {
	lines := make([]string, 0, len(links))
	for _, l := range links {
		line := string(l.Kind) + " " + l.URL
		if !l.LastMod.IsZero() {
			line += " " + l.LastMod.UTC().Format(time.RFC3339)
		}
		lines = append(lines, line)
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// slogWarnOnly returns l restricted to warnings and errors.
func slogWarnOnly(l *slog.Logger) *slog.Logger {
	return slog.New(minLevel{Handler: l.Handler(), min: slog.LevelWarn})
}

// minLevel is a slog.Handler that drops records below min.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{Handler: h.Handler.WithAttrs(as), min: h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: h.Handler.WithGroup(name), min: h.min}
}

func (w *Watcher) initialInterval() time.Duration {
	return min(max(15*time.Minute, w.cfg.MinInterval), w.cfg.MaxInterval)
}

// settle turns the results of round r into schedule updates, new URLs and
// events, and stores them.
func (w *Watcher) settle(ctx context.Context, r *round) error {
	now := w.clock.Now()
	var (
		srcs    []archive.WatchSource
		urls    []archive.WatchURL
		newURLs []archive.WatchURL
		newSrcs []archive.WatchSource
		events  []archive.Event
	)
	for _, it := range r.items {
		if it.res == nil {
			continue // released unfetched
		}
		switch {
		case it.src != nil:
			s, found, foundSrcs := w.settleSource(it, now)
			srcs = append(srcs, s)
			newURLs = append(newURLs, found...)
			newSrcs = append(newSrcs, foundSrcs...)
		default:
			u, ev, target := w.settleURL(ctx, it, now)
			urls = append(urls, u)
			if ev != nil {
				events = append(events, *ev)
			}
			if target != "" {
				newURLs = append(newURLs, archive.WatchURL{URL: target})
			}
		}
	}
	if len(srcs) > 0 {
		if err := w.store.SaveWatchSources(ctx, srcs); err != nil {
			return fmt.Errorf("watch: %w", err)
		}
	}
	if len(urls) > 0 {
		if err := w.store.SaveWatchURLs(ctx, urls); err != nil {
			return fmt.Errorf("watch: %w", err)
		}
	}
	if len(newSrcs) > 0 {
		if n, err := w.store.AddWatchSources(ctx, now, newSrcs); err != nil {
			return fmt.Errorf("watch: %w", err)
		} else if n > 0 {
			w.log.Info("sources added", "sources", n)
		}
	}
	if len(newURLs) > 0 {
		n, err := w.store.AddWatchURLs(ctx, now, newURLs)
		if err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		w.stats.newURLs.Add(int64(n))
		if n > 0 {
			w.log.Info("new urls", "urls", n)
		}
	}
	for _, ev := range events {
		ev.RunID = w.cfg.RunID
		if _, err := w.store.RecordEvent(ctx, ev); err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		w.stats.events.Add(1)
		w.log.Info("article "+ev.Kind, "url", ev.URL, "status", ev.Status, "detail", ev.Detail, "article", ev.ArticleID)
	}
	return nil
}

// settleSource computes a polled source's next check and the URLs and
// sources it lists.
func (w *Watcher) settleSource(it *item, now time.Time) (archive.WatchSource, []archive.WatchURL, []archive.WatchSource) {
	s := *it.src
	res := it.res
	w.stats.polls.Add(1)
	changed, first := false, s.Checks == 0
	s.Checks++
	s.LastCheckedAt = now
	var found []archive.WatchURL
	var srcs []archive.WatchSource
	if resp := res.Response; resp != nil {
		s.LastStatus = resp.Status
		switch {
		case resp.NotModified:
			w.stats.notModified.Add(1)
			s.LastStatus = http.StatusNotModified
		case resp.Status >= 200 && resp.Status <= 299:
			changed = it.sha != s.ContentSHA256
			s.ContentSHA256 = it.sha
			s.ETag, s.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		}
	} else {
		w.stats.failures.Add(1)
	}
	for _, l := range res.Links {
		switch l.Kind {
		case scraper.KindSitemap, scraper.KindFeed:
			srcs = append(srcs, archive.WatchSource{URL: l.URL, Kind: archiveKind(l.Kind), Interval: w.initialInterval()})
		case scraper.KindPage:
			u := archive.WatchURL{URL: l.URL}
			if !l.LastMod.IsZero() {
				u.LastMod = l.LastMod.UTC().Format(time.RFC3339)
			}
			found = append(found, u)
		}
	}
	switch {
	case first:
	case changed:
		s.Changes++
		s.LastChangedAt = now
		s.UnchangedCount = 0
		s.Interval = s.Interval / 2
	default:
		s.UnchangedCount++
		s.Interval = s.Interval * 3 / 2
	}
	if changed && first {
		s.Changes++
		s.LastChangedAt = now
	}
	s.Interval = min(max(s.Interval, w.cfg.MinInterval), w.cfg.MaxInterval)
	s.NextCheckAt = now.Add(s.Interval)
	w.log.Debug("source polled", "url", s.URL, "status", s.LastStatus, "changed", changed, "links", len(res.Links),
		"interval", s.Interval)
	return s, found, srcs
}

// settleURL computes an article check's next check and event; target is a
// redirect target to put under watch.
func (w *Watcher) settleURL(ctx context.Context, it *item, now time.Time) (u archive.WatchURL, ev *archive.Event, target string) {
	u = *it.url
	res := it.res
	resp := res.Response
	first := u.Step == 0
	if first {
		w.stats.fetches.Add(1)
	} else {
		w.stats.revisits.Add(1)
	}
	u.LastCheckedAt = now
	event := func(kind string, status int, detail string) *archive.Event {
		id := u.ArticleID
		if id == 0 {
			for _, k := range []string{u.FinalURL, u.URL} {
				if k == "" {
					continue
				}
				if got, ok, err := w.store.ArticleIDOf(ctx, k); err == nil && ok {
					id = got
					break
				}
			}
		}
		u.ArticleID = id
		return &archive.Event{URL: u.URL, ArticleID: id, Kind: kind, Status: status, Detail: detail, At: now}
	}
	switch {
	case res.State == scraper.StateSkipped:
		// robots.txt, scope or not HTML: not an article to watch.
		u.LastStatus = 0
		if resp != nil {
			u.LastStatus = resp.Status
		}
		u.Step, u.NextCheckAt = len(w.cfg.Revisit)+1, time.Time{}
		return u, nil, ""
	case resp == nil:
		w.stats.failures.Add(1)
		u.NextCheckAt = now.Add(w.cfg.RetryFailed)
		return u, nil, ""
	}
	u.LastStatus = resp.Status
	st := resp.Status
	switch {
	case resp.NotModified, it.identical:
		w.stats.notModified.Add(1)
		if it.identical {
			u.ETag, u.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if u.Gone {
				ev = event(archive.EventRestored, st, "")
				u.Gone = false
			}
		}
	case (st == http.StatusNotFound || st == http.StatusGone) && first:
		// Listed but never there: nothing to watch.
		u.Step, u.NextCheckAt = len(w.cfg.Revisit)+1, time.Time{}
		return u, nil, ""
	case st == http.StatusNotFound || st == http.StatusGone:
		if !u.Gone {
			ev = event(archive.EventUnpublished, st, "")
		}
		u.Gone = true
	case st >= 300 && st <= 399:
		// A redirect the crawler did not follow (another origin, or not yet
		// allowed by robots.txt): res.Links holds the target when in scope.
		to := strings.TrimPrefix(res.Detail, "redirect to ")
		if len(res.Links) > 0 {
			to, target = res.Links[0].URL, res.Links[0].URL
		}
		if first {
			u.FinalURL = to
			u.Step, u.NextCheckAt = len(w.cfg.Revisit)+1, time.Time{}
			return u, nil, target
		}
		if !u.Gone {
			ev = event(archive.EventMoved, st, to)
		}
		u.Gone = true
	case st >= 200 && st <= 299:
		final := resp.FinalURL
		if final == "" {
			final = u.URL
		}
		u.ETag, u.LastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		switch {
		case first:
			u.FinalURL = final
			if !it.article {
				// Not an article (a section, a tag page): fetched once, not watched.
				u.Step, u.NextCheckAt = len(w.cfg.Revisit)+1, time.Time{}
				return u, nil, ""
			}
			if id, ok, err := w.store.ArticleIDOf(ctx, final); err == nil && ok {
				u.ArticleID = id
			}
		case u.FinalURL != "" && final != u.FinalURL:
			// Redirected (followed inside the origin) to another URL: the
			// event has the status of the URL's own redirect.
			if !u.Gone {
				status := 0
				if len(resp.RedirectStatuses) > 0 {
					status = resp.RedirectStatuses[0]
				}
				ev = event(archive.EventMoved, status, final)
			}
			u.Gone = true
			target = final
		case u.Gone:
			ev = event(archive.EventRestored, st, "")
			u.Gone = false
		}
	default:
		w.stats.failures.Add(1)
		u.NextCheckAt = now.Add(w.cfg.RetryFailed)
		return u, nil, ""
	}
	u.Step, u.NextCheckAt = w.next(u.FirstSeenAt, u.Step, now)
	return u, ev, target
}

// next returns the step and time of the check after one at step (see
// archive.WatchURL): the next revisit offset still ahead of now; zero time
// when the schedule is exhausted.
func (w *Watcher) next(first time.Time, step int, now time.Time) (int, time.Time) {
	for j := step; j < len(w.cfg.Revisit); j++ {
		if t := first.Add(w.cfg.Revisit[j]); t.After(now) {
			return j + 1, t
		}
	}
	return len(w.cfg.Revisit) + 1, time.Time{}
}
