package scraper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/html"
)

// Errors returned by New, Seed and Run.
var (
	// ErrNoScope means Run was called with no seed and no allowed domain, so
	// no URL could be in scope.
	ErrNoScope = errors.New("no seeds and no allowed domains")
	// ErrRunning means Run was called while another Run of the same Crawler
	// was still going.
	ErrRunning = errors.New("crawler already running")
)

// Log attribute keys. Messages are stable lowercase phrases ("page fetched",
// "robots disallowed", …) that tests and log processors may match.
const (
	logURL     = "url"
	logStatus  = "status"
	logReason  = "reason"
	logDetail  = "detail"
	logHost    = "host"
	logAttempt = "attempt"
	logWait    = "wait"
	logBytes   = "bytes"
	logLinks   = "links"
	logError   = "error"
)

// Crawler walks a site through a Frontier, fetching with colly, and hands
// every outcome to a Sink. Create it with New, add seeds with Seed, then
// call Run. A Crawler may run again after Run returns (to resume), but not
// twice at once.
type Crawler struct {
	cfg      Config
	frontier Frontier
	sink     Sink
	hist     History
	log      *slog.Logger
	token    string

	scope  *scope
	fetch  *fetcher
	sched  *scheduler
	robots *robotsCache
	traps  *traps

	running atomic.Bool
	prog    progressCounters
}

// New returns a Crawler. hist may be nil (no conditional requests); logger
// may be nil (logs are discarded). cfg is validated first.
func New(cfg Config, f Frontier, sink Sink, hist History, logger *slog.Logger) (*Crawler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new crawler: %w", err)
	}
	if f == nil || sink == nil {
		return nil, fmt.Errorf("new crawler: %w: a frontier and a sink are required", ErrInvalidConfig)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg.Workers = max(cfg.Workers, cfg.Parallelism)
	c := &Crawler{
		cfg:      cfg,
		frontier: f,
		sink:     sink,
		hist:     hist,
		log:      logger,
		token:    productToken(cfg.userAgent()),
		scope:    newScope(cfg),
		sched:    newScheduler(cfg.Parallelism, cfg.Delay, cfg.MaxCrawlDelay),
		robots:   &robotsCache{m: make(map[string]*robotsEntry)},
		traps:    newTraps(cfg.TemplateBudget),
	}
	c.fetch = newFetcher(cfg, c.follow)
	return c, nil
}

// Seed canonicalises urls, adds their hosts to the scope and enqueues them
// at depth 0, each site's /sitemap.xml with them. Call it before every Run,
// also when resuming (the frontier ignores entries it already has): the
// scope lives in memory. Sitemap: lines of robots.txt are enqueued when the
// file is first fetched during Run.
func (c *Crawler) Seed(ctx context.Context, urls []string) error {
	var entries []Entry
	seen := make(map[string]bool)
	add := func(e Entry) {
		if !seen[e.URL] {
			seen[e.URL] = true
			entries = append(entries, e)
		}
	}
	for _, raw := range urls {
		s, err := Canonicalize(raw)
		if err != nil {
			return fmt.Errorf("seed %q: %w", raw, err)
		}
		org, hostport, pq := splitCanonical(s)
		c.scope.addSeedHost(hostport)
		kind := guessKind(pq)
		var req string
		if u, err := parseLoose(raw); err == nil {
			req = requestForm(u, s) // as typed, like a link
		}
		add(Entry{URL: s, Request: req, Kind: kind})
		if kind == KindPage {
			add(Entry{URL: org + "/sitemap.xml", Kind: KindSitemap})
		}
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := c.frontier.Add(ctx, entries); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// guessKind guesses a seed's kind from its path; the response's content
// decides in the end (a page seed that turns out to be a feed is parsed as
// one).
func guessKind(pathQuery string) Kind {
	p, _, _ := strings.Cut(strings.ToLower(pathQuery), "?")
	switch {
	case strings.Contains(p, "sitemap") && (strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".xml.gz")):
		return KindSitemap
	case strings.HasSuffix(p, ".rss") || strings.HasSuffix(p, ".atom") || strings.HasSuffix(p, "/feed") ||
		strings.HasSuffix(p, "/feed/") || strings.HasSuffix(p, "/rss") || strings.HasSuffix(p, "rss.xml") ||
		strings.HasSuffix(p, "atom.xml") || strings.HasSuffix(p, "feed.xml"):
		return KindFeed
	}
	return KindPage
}

// RunOptions tunes one Run.
type RunOptions struct {
	// HardStop, when it ends, aborts in-flight requests at once; their
	// entries are not committed and stay in flight in the frontier (which
	// must make them claimable again when reopened). Nil means in-flight
	// requests always finish, bounded by Config.OverallTimeout.
	HardStop context.Context
}

// Summary reports a finished Run.
type Summary struct {
	Started time.Time
	Elapsed time.Duration
	// Fetched counts responses received for frontier entries (robots.txt
	// excluded); Bytes sums their bodies as kept (decoded, capped).
	Fetched int64
	Bytes   int64
	// PagesPerSecond is Fetched over Elapsed.
	PagesPerSecond float64
	// ByState counts committed results by state; StateQueued counts retries
	// and entries handed back unfetched (Released).
	ByState map[State]int64
	// ByReason counts committed results by reason code, whatever the state.
	ByReason map[string]int64
	// Retries counts results requeued for another attempt.
	Retries int64
	// Released counts claimed entries handed back unfetched when the run
	// stopped (reasons interrupted and max_pages).
	Released int64
	// OutOfScope counts discovered links not enqueued (host, pattern, depth).
	OutOfScope int64
	// RobotsFetched counts robots.txt requests.
	RobotsFetched int64
	// TrapTemplates lists the path templates trap defence cut in the run,
	// with the URLs each skipped (reason trap_template), most first.
	TrapTemplates []TemplateCut
	// Interrupted is set when ctx ended the run before the frontier was empty.
	Interrupted bool
	// Aborted is set when RunOptions.HardStop ended; some in-flight results
	// were then not committed.
	Aborted bool
	// StopReason says why the run ended: "done" (nothing pending),
	// "interrupted", "max_pages" or "error".
	StopReason string
}

// Progress is a live snapshot of a Run, cheap to take (atomic counters).
type Progress struct {
	Fetched  int64 // responses received
	Done     int64
	Failed   int64
	Skipped  int64
	Retries  int64
	Queued   int64 // frontier entries pending, refreshed about once a second
	InFlight int64 // requests under way
	Errors   int64 // failed results plus retries
	Bytes    int64
	Elapsed  time.Duration
}

type progressCounters struct {
	started                                                   atomic.Int64 // unix nanos
	fetched, done, failed, skipped, retries, queued, inFlight atomic.Int64
	errors, bytes                                             atomic.Int64
}

func (p *progressCounters) reset() {
	for _, v := range []*atomic.Int64{&p.started, &p.fetched, &p.done, &p.failed, &p.skipped,
		&p.retries, &p.queued, &p.inFlight, &p.errors, &p.bytes} {
		v.Store(0)
	}
}

// HostDelay returns the gap the crawler keeps between two requests to host
// (host[:port], lowercased, as frontier.HostOf gives it): Delay, raised by
// the host's robots.txt Crawl-delay and by slowing down after errors. A fleet
// worker passes it on when it hands the host to the fleet.
func (c *Crawler) HostDelay(host string) time.Duration { return c.sched.hostDelay(host) }

// Progress returns live counters of the current (or last) Run.
func (c *Crawler) Progress() Progress {
	p := &c.prog
	var el time.Duration
	if s := p.started.Load(); s != 0 {
		el = time.Since(time.Unix(0, s))
	}
	return Progress{
		Fetched: p.fetched.Load(), Done: p.done.Load(), Failed: p.failed.Load(), Skipped: p.skipped.Load(),
		Retries: p.retries.Load(), Queued: p.queued.Load(), InFlight: p.inFlight.Load(),
		Errors: p.errors.Load(), Bytes: p.bytes.Load(), Elapsed: el,
	}
}

// runState is the state of one Run.
type runState struct {
	hard     context.Context // cancels requests and commits
	soft     context.Context // stops claiming and starting requests
	stopSoft context.CancelFunc

	inMem    atomic.Int64 // claimed entries not yet committed or released
	attempts atomic.Int64 // fetch attempts (MaxPages)
	kick     chan struct{}
	aborted  atomic.Bool
	robotsN  atomic.Int64
	outScope atomic.Int64

	mu           sync.Mutex
	hostAttempts map[string]int
	byState      map[State]int64
	byReason     map[string]int64
	retries      int64
	released     int64
	stopReason   string
	err          error
}

func (rs *runState) stop(reason string, err error) {
	rs.mu.Lock()
	if rs.stopReason == "" {
		rs.stopReason = reason
	}
	if err != nil && rs.err == nil {
		rs.err = err
	}
	rs.mu.Unlock()
	rs.stopSoft()
}

func (rs *runState) poke() {
	select {
	case rs.kick <- struct{}{}:
	default:
	}
}

// Polling bounds for a frontier whose entries are all waiting (retries).
const (
	minPoll = 10 * time.Millisecond
	maxPoll = 250 * time.Millisecond
)

// Run crawls until the frontier has nothing pending, ctx ends, MaxPages is
// reached or the sink fails. It claims entries, lets the per-host scheduler
// start them politely, fetches, classifies, discovers links and commits a
// Result for every claimed entry. When ctx ends it stops claiming and
// starting requests, lets in-flight requests finish and commits them,
// hands back claimed entries it had not started (State Queued, reason
// interrupted) and returns with Summary.Interrupted set and a nil error.
// The error is non-nil only for a failing frontier or sink.
func (c *Crawler) Run(ctx context.Context, opts RunOptions) (Summary, error) {
	if !c.running.CompareAndSwap(false, true) {
		return Summary{}, ErrRunning
	}
	defer c.running.Store(false)
	if c.scope.empty() {
		return Summary{}, ErrNoScope
	}
	hardParent := opts.HardStop
	if hardParent == nil {
		hardParent = context.WithoutCancel(ctx)
	}
	hard, hardCancel := context.WithCancel(hardParent)
	defer hardCancel()
	soft, softCancel := context.WithCancel(ctx)
	defer softCancel()
	stopAfter := context.AfterFunc(hard, softCancel)
	defer stopAfter()

	rs := &runState{
		hard: hard, soft: soft, stopSoft: softCancel,
		kick:         make(chan struct{}, 1),
		hostAttempts: make(map[string]int),
		byState:      make(map[State]int64),
		byReason:     make(map[string]int64),
	}
	start := time.Now()
	c.prog.reset()
	c.prog.started.Store(start.UnixNano())
	// The collector's context is read per request; no request is in flight
	// between runs.
	c.fetch.coll.Context = hard
	if ts, ok := c.frontier.(TemplateSource); ok && c.traps.on() {
		stats, err := ts.TemplateStats(ctx)
		if err != nil {
			return Summary{}, fmt.Errorf("load trap templates: %w", err)
		}
		c.traps.load(stats)
	}

	c.log.Info("crawl started", "workers", c.cfg.Workers, "parallelism", c.cfg.Parallelism, "delay", c.cfg.Delay)
	if c.cfg.IgnoreRobots {
		c.log.Warn("ignoring robots.txt", logReason, "configured")
	}

	var wg sync.WaitGroup
	for range c.cfg.Workers {
		wg.Go(func() { c.worker(rs) })
	}
	c.dispatchLoop(rs)
	rs.stopSoft()
	wg.Wait()

	// Hand back what was claimed but never started.
	left := c.sched.drain()
	left = append(left, c.robots.drainParked()...)
	rs.mu.Lock()
	reason := rs.stopReason
	rs.mu.Unlock()
	relReason := ReasonInterrupted
	if reason == ReasonMaxPages {
		relReason = ReasonMaxPages
	}
	for _, t := range left {
		if t.robots {
			continue
		}
		if hard.Err() != nil {
			rs.aborted.Store(true)
			continue
		}
		c.finish(rs, &Result{Entry: t.entry, State: StateQueued, Reason: relReason})
	}

	interrupted := ctx.Err() != nil || hard.Err() != nil
	if reason == "" {
		reason = "done"
		if interrupted {
			reason = "interrupted"
		}
	}
	el := time.Since(start)
	sum := Summary{
		Started: start, Elapsed: el,
		Fetched: c.prog.fetched.Load(), Bytes: c.prog.bytes.Load(),
		OutOfScope: rs.outScope.Load(), RobotsFetched: rs.robotsN.Load(),
		Interrupted:   interrupted && reason != "done",
		TrapTemplates: c.traps.cuts(),
		Aborted:       rs.aborted.Load() || (opts.HardStop != nil && opts.HardStop.Err() != nil),
		StopReason:    reason,
	}
	if el > 0 {
		sum.PagesPerSecond = float64(sum.Fetched) / el.Seconds()
	}
	rs.mu.Lock()
	sum.ByState, sum.ByReason, sum.Retries, sum.Released = rs.byState, rs.byReason, rs.retries, rs.released
	err := rs.err
	rs.mu.Unlock()
	if sum.Interrupted {
		c.log.Info("crawl interrupted", "fetched", sum.Fetched, "aborted", sum.Aborted)
	}
	c.log.Info("crawl finished", "fetched", sum.Fetched, "elapsed", el.Round(time.Millisecond), "stop", reason)
	return sum, err
}

// dispatchLoop claims entries while there is room in memory and work left.
func (c *Crawler) dispatchLoop(rs *runState) {
	capacity := int64(2*c.cfg.Workers + 16)
	idle := minPoll
	var lastPending time.Time
	for rs.soft.Err() == nil {
		room := capacity - rs.inMem.Load()
		if mp := int64(c.cfg.MaxPages); mp > 0 {
			if rs.attempts.Load() >= mp {
				c.log.Info("max pages reached", "max_pages", mp)
				rs.stop(ReasonMaxPages, nil)
				return
			}
			room = min(room, mp-rs.attempts.Load()-rs.inMem.Load())
		}
		claimed := 0
		if room > 0 {
			entries, err := c.frontier.Claim(rs.soft, int(room))
			if err != nil {
				if rs.soft.Err() != nil {
					return
				}
				rs.stop("error", fmt.Errorf("claim: %w", err))
				return
			}
			claimed = len(entries)
			c.syncTemplates()
			for _, e := range entries {
				rs.inMem.Add(1)
				c.dispatch(rs, newTask(e))
			}
		}
		if claimed > 0 {
			idle = minPoll
			continue
		}
		if rs.inMem.Load() == 0 || time.Since(lastPending) > time.Second {
			n, err := c.frontier.Pending(rs.soft)
			if err != nil {
				if rs.soft.Err() != nil {
					return
				}
				rs.stop("error", fmt.Errorf("pending: %w", err))
				return
			}
			lastPending = time.Now()
			c.prog.queued.Store(int64(n))
			if n == 0 && rs.inMem.Load() == 0 {
				return
			}
		}
		t := time.NewTimer(idle)
		select {
		case <-rs.soft.Done():
		case <-rs.kick:
		case <-t.C:
			idle = min(2*idle, maxPoll)
		}
		t.Stop()
	}
}

// robotsNow is the time robots.txt expiry is measured against.
func (c *Crawler) robotsNow() time.Time {
	if c.cfg.RobotsClock != nil {
		return c.cfg.RobotsClock()
	}
	return time.Now()
}

func newTask(e Entry) *task {
	org, hostport, _ := splitCanonical(e.URL)
	return &task{entry: e, host: hostport, origin: org}
}

// dispatch decides what to do with a claimed entry before any request:
// skip it (trap, scope, budget, robots), requeue it (robots.txt
// unavailable), park it until its origin's robots.txt is known, or queue it
// with the scheduler.
func (c *Crawler) dispatch(rs *runState, t *task) {
	e := t.entry
	if t.origin == "" || t.host == "" {
		c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonTrap, Detail: "not a canonical URL"})
		return
	}
	if d := trapDetail(e.URL, c.cfg.MaxURLLength); d != "" {
		c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonTrap, Detail: d})
		return
	}
	if e.Request != "" && len(e.Request) > c.cfg.MaxURLLength {
		c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonTrap,
			Detail: fmt.Sprintf("URL longer than %d bytes", c.cfg.MaxURLLength)})
		return
	}
	if !c.scope.allows(e.URL, e.Kind, e.Depth, e.Depth == 0 && e.Via == "") {
		c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonOutOfScope})
		return
	}
	if c.skipTemplate(rs, e) {
		return
	}
	if b := c.cfg.PerHostPageBudget; b > 0 {
		rs.mu.Lock()
		n := rs.hostAttempts[t.host]
		rs.mu.Unlock()
		if n >= b {
			c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonMaxPages,
				Detail: fmt.Sprintf("host budget of %d pages reached", b)})
			return
		}
	}
	if !c.cfg.IgnoreRobots {
		_, _, pq := splitCanonical(e.URL)
		var linked string
		if e.Request != "" {
			linked = pathQueryOf(e.Request)
		}
		dec, until, fetchNow := c.robots.admit(t, pq, linked, c.robotsNow())
		switch dec {
		case robotsPark:
			if fetchNow {
				c.sched.add(&task{host: t.host, origin: t.origin, robots: true})
			}
			return
		case robotsDeny:
			c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonRobots})
			return
		case robotsUnavail:
			e.Attempts++
			r := &Result{Entry: e}
			c.retryOrFail(r, ReasonRobotsUnavail, "robots.txt unavailable", time.Until(until), true)
			c.finish(rs, r)
			return
		}
	}
	c.sched.add(t)
}

// syncTemplates takes the shared template counts a TemplateFeed frontier
// reported since the last call.
func (c *Crawler) syncTemplates() {
	if f, ok := c.frontier.(TemplateFeed); ok {
		// Drained also with trap defence off: the feed does not pile up.
		if u := f.TemplateUpdates(); len(u) > 0 && c.traps.on() {
			c.traps.apply(u, false)
		}
	}
}

// skipTemplate skips e when trap defence cut its template; it reports
// whether it did.
func (c *Crawler) skipTemplate(rs *runState, e Entry) bool {
	tmpl := c.traps.cut(e)
	if tmpl == "" {
		return false
	}
	c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonTrapTemplate, Detail: tmpl})
	return true
}

// follow is the redirect policy for pages: a redirect is followed inside
// the request only to the same origin, in scope, not a trap, and allowed by
// an already known robots.txt; otherwise the target becomes a frontier
// entry (or is dropped as out of scope).
func (c *Crawler) follow(fromOrigin string, u *url.URL) (ok, outOfScope bool) {
	s, err := canonicalURL(u)
	if err != nil {
		return false, false
	}
	if !c.scope.allows(s, KindPage, 0, false) {
		return false, true
	}
	org, _, pq := splitCanonical(s)
	if org != fromOrigin || trapDetail(s, c.cfg.MaxURLLength) != "" {
		return false, false
	}
	if c.cfg.IgnoreRobots {
		return true, false
	}
	now := c.robotsNow()
	allowed, known := c.robots.allowed(org, pq, now)
	if linked := requestForm(u, s); linked != "" && allowed && known {
		allowed, known = c.robots.allowed(org, pathQueryOf(linked), now)
	}
	return allowed && known, false
}

func (c *Crawler) worker(rs *runState) {
	for {
		t, err := c.sched.next(rs.soft)
		if err != nil {
			return
		}
		if t.robots {
			c.runRobots(rs, t)
		} else {
			c.runEntry(rs, t)
		}
	}
}

// runEntry fetches one entry and commits its result.
func (c *Crawler) runEntry(rs *runState, t *task) {
	e := t.entry
	n := rs.attempts.Add(1)
	if mp := int64(c.cfg.MaxPages); mp > 0 && n > mp {
		rs.attempts.Add(-1)
		c.sched.done(t, hostFeedback{noRequest: true})
		rs.stop(ReasonMaxPages, nil)
		c.finish(rs, &Result{Entry: e, State: StateQueued, Reason: ReasonMaxPages})
		return
	}
	c.syncTemplates()
	if tmpl := c.traps.cut(e); tmpl != "" {
		// Cut while it waited for its host: no request.
		rs.attempts.Add(-1)
		c.sched.done(t, hostFeedback{noRequest: true})
		c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonTrapTemplate, Detail: tmpl})
		return
	}
	rs.mu.Lock()
	overBudget := c.cfg.PerHostPageBudget > 0 && rs.hostAttempts[t.host] >= c.cfg.PerHostPageBudget
	if !overBudget {
		rs.hostAttempts[t.host]++
	}
	rs.mu.Unlock()
	if overBudget {
		rs.attempts.Add(-1)
		c.sched.done(t, hostFeedback{noRequest: true})
		c.finish(rs, &Result{Entry: e, State: StateSkipped, Reason: ReasonMaxPages,
			Detail: fmt.Sprintf("host budget of %d pages reached", c.cfg.PerHostPageBudget)})
		return
	}
	e.Attempts++

	var prev *Previous
	if c.hist != nil {
		p, ok, err := c.hist.Previous(rs.hard, e.URL)
		switch {
		case err != nil:
			c.log.Warn("history lookup failed", logURL, e.URL, logError, err)
		case ok:
			prev = &p
		}
	}

	c.prog.inFlight.Add(1)
	out := c.fetch.fetch(e.URL, e.RequestURL(), e.Kind, t.origin, false, prev)
	c.prog.inFlight.Add(-1)
	if rs.hard.Err() != nil {
		// Hard stop: the request was cut; the entry stays in flight in the
		// frontier, to be requeued when it is reopened.
		c.sched.done(t, hostFeedback{noRequest: true})
		rs.aborted.Store(true)
		rs.inMem.Add(-1)
		return
	}
	r, fb := c.classify(rs, e, out, prev)
	// Trap defence counts fresh 2xx pages only: a 304 of a re-crawl says
	// nothing new about its template (an unchanged article is no less one).
	if r.State == StateDone && r.Response != nil && e.Kind == KindPage && c.traps.on() &&
		!r.Response.NotModified && r.Response.Status >= 200 && r.Response.Status <= 299 {
		r.Template = Template(e.URL)
		_, shared := c.frontier.(TemplateFeed)
		yl := c.traps.linksYield(r.Template, r.Links, shared)
		r.Yield = len(yl) > 0
		if shared {
			r.YieldLinks = yl
		}
	}
	// Commit before the host's slot is freed: a sink that applies
	// back-pressure (a full queue to the archive) then slows fetching, and
	// at most Parallelism responses per host wait between fetch and commit.
	c.finish(rs, r)
	if c.sched.done(t, fb) {
		c.log.Warn("host slowed", logHost, t.host, logWait, c.sched.hostDelay(t.host))
	}
}

// classify turns a fetch outcome into a Result and feedback for the host.
func (c *Crawler) classify(rs *runState, e Entry, out fetchOutcome, prev *Previous) (*Result, hostFeedback) {
	now := time.Now()
	r := &Result{Entry: e, Response: out.resp}
	var fb hostFeedback
	if resp := out.resp; resp != nil {
		c.prog.fetched.Add(1)
		c.prog.bytes.Add(int64(len(resp.Body)))
	}
	if e.Kind == KindRequisite && c.requisite(rs, r, e, out, prev) {
		return r, fb
	}
	if out.notHTML && out.resp != nil {
		r.State, r.Reason, r.Detail = StateSkipped, ReasonNotHTML, "content type "+mediaType(out.resp.Header.Get("Content-Type"))
		return r, fb
	}
	if out.err != nil {
		reason, retry := classifyErr(out.err)
		r.Response = nil
		if !retry {
			r.State, r.Reason, r.Detail = StateFailed, reason, out.err.Error()
			return r, fb
		}
		fb.failed = true
		c.retryOrFail(r, reason, out.err.Error(), 0, false)
		return r, fb
	}
	resp := out.resp
	st := resp.Status
	switch {
	case st == 304 && prev != nil:
		resp.NotModified = true
		if resp.ContentType == "" || resp.ContentType == "text/plain" {
			resp.ContentType = prev.ContentType
		}
		r.State = StateDone
		r.Links = c.discover(rs, e, resp.FinalURL, prev.ContentType, prev.Body)
	case st >= 200 && st <= 299:
		c.content(rs, r, e, resp)
	case st >= 300 && st <= 399 && out.handoff != "":
		if out.handoffScope {
			r.State, r.Reason, r.Detail = StateSkipped, ReasonOutOfScope, "redirect to "+out.handoff
			break
		}
		r.State, r.Detail = StateDone, "redirect to "+out.handoff
		r.Links = []Entry{{URL: out.handoff, Depth: e.Depth, Kind: e.Kind, Via: e.URL}}
	case st == 408 || st == 429 || st >= 500:
		ra, hasRA := parseRetryAfter(resp.Header.Get("Retry-After"), now)
		fb.failed = true
		c.retryOrFail(r, ReasonHTTPStatus, fmt.Sprintf("HTTP %d", st), ra, hasRA)
		if st == 429 || (st == 503 && hasRA) {
			until := now.Add(min(ra, c.cfg.MaxRetryAfter))
			if !hasRA {
				until = r.Entry.NotBefore
			}
			fb.pauseUntil = until
			c.log.Info("host paused", logHost, hostOf(e.URL), logStatus, st, logWait, until.Sub(now).Round(time.Millisecond))
		}
	default:
		r.State, r.Reason, r.Detail = StateFailed, ReasonHTTPStatus, fmt.Sprintf("HTTP %d", st)
	}
	return r, fb
}

func hostOf(canon string) string {
	_, h, _ := splitCanonical(canon)
	return h
}

// content handles a 2xx body: HTML and XML (sitemaps, feeds) are parsed for
// links; anything else is skipped as not_html.
func (c *Crawler) content(rs *runState, r *Result, e Entry, resp *Response) {
	mt := resp.ContentType
	_, _, pq := splitCanonical(e.URL)
	switch {
	case isHTMLType(mt):
		r.State = StateDone
		if c.cfg.ParseHTML != nil && e.Kind == KindPage && len(resp.Body) > 0 {
			root, parsed := c.cfg.ParseHTML(e, resp)
			r.Parsed = parsed
			if root != nil {
				r.Links = c.discoverTree(rs, e, resp.FinalURL, root, resp.Body)
				break
			}
		}
		r.Links = c.discover(rs, e, resp.FinalURL, mt, resp.Body)
	case isXMLish(mt, pq, resp.Body):
		links, err := c.discoverXML(rs, e, resp.FinalURL, resp.Body)
		switch {
		case err == nil || links != nil:
			r.State, r.Links = StateDone, links
		case e.Kind == KindPage:
			r.State, r.Reason, r.Detail = StateSkipped, ReasonNotHTML, "content type "+mt
		default:
			r.State, r.Detail = StateDone, err.Error()
		}
	default:
		r.State, r.Reason, r.Detail = StateSkipped, ReasonNotHTML, "content type "+mt
		if len(resp.Body) > notHTMLBodyMax {
			resp.Body = nil
		}
	}
	if resp.Truncated {
		r.Reason = ReasonTooLarge
		r.Detail = fmt.Sprintf("body cut at %d bytes", c.cfg.MaxBodyBytes)
	}
}

// discover finds the links of a body (HTML, or a sitemap or feed) and keeps
// the in-scope ones.
func (c *Crawler) discover(rs *runState, e Entry, finalURL, mt string, body []byte) []Entry {
	if len(body) == 0 {
		return nil
	}
	if !isHTMLType(mt) && !looksHTML(body) {
		links, _ := c.discoverXML(rs, e, finalURL, body)
		return links
	}
	raws, baseHref := htmlLinks(body)
	return c.keepLinks(rs, e, finalURL, raws, baseHref, body)
}

// discoverTree is discover for an HTML page already parsed (root): the
// links are read from the tree.
func (c *Crawler) discoverTree(rs *runState, e Entry, finalURL string, root *html.Node, body []byte) []Entry {
	raws, baseHref := treeLinks(root)
	return c.keepLinks(rs, e, finalURL, raws, baseHref, body)
}

// keepLinks resolves the raw links of an HTML page against its base and
// keeps the in-scope ones (and, with PageRequisites, its requisites).
func (c *Crawler) keepLinks(rs *runState, e Entry, finalURL string, raws []rawLink, baseHref string, body []byte) []Entry {
	base, err := url.Parse(finalURL)
	if err != nil {
		return nil
	}
	if baseHref != "" {
		if b, err := base.Parse(strings.TrimSpace(baseHref)); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
			base = b
		}
	}
	ls := linkSet{crawler: c, rs: rs, from: e}
	for _, l := range raws {
		depth := e.Depth
		if !l.next {
			depth++
		}
		ls.add(base, l.href, l.kind, depth, time.Time{})
	}
	if c.cfg.PageRequisites {
		c.addRequisites(&ls, base, htmlRequisites(body))
	}
	return ls.links
}

func (c *Crawler) discoverXML(rs *runState, e Entry, finalURL string, body []byte) ([]Entry, error) {
	_, items, err := parseXMLLinks(body, c.cfg.MaxBodyBytes)
	if len(items) == 0 {
		if err == nil {
			return nil, nil
		}
		return nil, err
	}
	base, perr := url.Parse(finalURL)
	if perr != nil {
		return nil, perr
	}
	ls := linkSet{crawler: c, rs: rs, from: e}
	for _, it := range items {
		ls.add(base, it.loc, it.kind, e.Depth, it.lastMod)
	}
	for i := range ls.links {
		ls.links[i].Listed = true
	}
	c.traps.markListed(ls.links)
	return ls.links, nil
}

// linkSet collects the in-scope, de-duplicated links of one document.
type linkSet struct {
	crawler *Crawler
	rs      *runState
	from    Entry
	links   []Entry
	index   map[string]int
	// resolved caches href → canonical URL ("" when unusable) and the
	// linked form when it differs: pages repeat the same hrefs (navigation,
	// related stories).
	resolved map[string][2]string
}

func (ls *linkSet) add(base *url.URL, href string, kind Kind, depth int, lastMod time.Time) {
	if ls.resolved == nil {
		ls.resolved = make(map[string][2]string, 128)
	}
	forms, seen := ls.resolved[href]
	if !seen {
		forms[0], forms[1], _ = resolveLinkForms(base, href)
		ls.resolved[href] = forms
	}
	s, req := forms[0], forms[1]
	if s == "" || s == ls.from.URL {
		return
	}
	if i, dup := ls.index[s]; dup {
		if depth < ls.links[i].Depth {
			ls.links[i].Depth = depth
		}
		return
	}
	if !ls.crawler.scope.allows(s, kind, depth, false) {
		ls.rs.outScope.Add(1)
		return
	}
	if ls.index == nil {
		ls.index = make(map[string]int, 64)
	}
	ls.index[s] = len(ls.links)
	ls.links = append(ls.links, Entry{URL: s, Request: req, Depth: depth, Kind: kind, Via: ls.from.URL, LastMod: lastMod})
}

// retryOrFail makes r a retry (State Queued, NotBefore set) while attempts
// remain, else a failure. The wait is exponential backoff with full jitter,
// never shorter than a Retry-After (capped by MaxRetryAfter).
func (c *Crawler) retryOrFail(r *Result, reason, detail string, retryAfter time.Duration, hasRA bool) {
	r.Reason, r.Detail = reason, detail
	if r.Entry.Attempts > c.cfg.MaxRetries {
		r.State = StateFailed
		r.Detail = fmt.Sprintf("%s (after %d attempts)", detail, r.Entry.Attempts)
		return
	}
	wait := c.backoff(r.Entry.Attempts)
	if hasRA {
		wait = max(wait, min(retryAfter, c.cfg.MaxRetryAfter))
	}
	r.State = StateQueued
	r.Entry.NotBefore = time.Now().Add(wait)
}

// backoff returns a random wait in [0, min(RetryMaxDelay, RetryBaseDelay·2^(attempt-1))).
func (c *Crawler) backoff(attempt int) time.Duration {
	ceil := c.cfg.RetryBaseDelay
	for i := 1; i < attempt && ceil < c.cfg.RetryMaxDelay; i++ {
		ceil *= 2
	}
	ceil = min(ceil, c.cfg.RetryMaxDelay)
	if ceil <= 0 {
		return 0
	}
	return rand.N(ceil)
}

// classifyErr maps a request error to a reason code and whether it is
// worth retrying.
func classifyErr(err error) (reason string, retry bool) {
	switch {
	case errors.Is(err, ErrRedirectLimit), errors.Is(err, ErrRedirectLoop):
		return ReasonRedirectLimit, false
	case errors.Is(err, ErrIdleTimeout), errors.Is(err, context.DeadlineExceeded):
		return ReasonTimeout, true
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return ReasonTimeout, true
	}
	if errors.Is(err, ErrInvalidURL) || errors.Is(err, ErrUnsupportedScheme) {
		return ReasonNetwork, false
	}
	return ReasonNetwork, true
}

// finish commits r and accounts for it. A failing sink stops the run.
func (c *Crawler) finish(rs *runState, r *Result) {
	defer rs.poke()
	defer rs.inMem.Add(-1)
	if err := c.sink.Commit(rs.hard, r); err != nil {
		if rs.hard.Err() != nil {
			rs.aborted.Store(true)
			return
		}
		rs.stop("error", fmt.Errorf("commit %s: %w", r.Entry.URL, err))
		return
	}
	released := r.State == StateQueued && (r.Reason == ReasonInterrupted || r.Reason == ReasonMaxPages)
	rs.mu.Lock()
	rs.byState[r.State]++
	if r.Reason != "" {
		rs.byReason[r.Reason]++
	}
	switch {
	case released:
		rs.released++
	case r.State == StateQueued:
		rs.retries++
	}
	rs.mu.Unlock()

	e := r.Entry
	if r.Template != "" && c.traps.fetched(r.Template, r.Yield || r.Article) {
		c.log.Info("trap template cut", "template", r.Template, logURL, e.URL,
			"budget", budgetFor(shapeOf(r.Template), c.cfg.TemplateBudget))
	}
	switch r.State {
	case StateDone:
		c.prog.done.Add(1)
		if r.Response != nil {
			msg := "page fetched"
			if r.Response.NotModified {
				msg = "page not modified"
			}
			c.log.Debug(msg, logURL, e.URL, logStatus, r.Response.Status,
				logBytes, len(r.Response.Body), logLinks, len(r.Links))
		}
		if r.Reason == ReasonTooLarge {
			c.log.Info("page truncated", logURL, e.URL, logReason, r.Reason, logDetail, r.Detail)
		}
	case StateSkipped:
		c.prog.skipped.Add(1)
		if r.Reason == ReasonRobots {
			c.log.Info("robots disallowed", logURL, e.URL, logReason, r.Reason)
		} else {
			c.log.Info("page skipped", logURL, e.URL, logReason, r.Reason, logDetail, r.Detail)
		}
	case StateFailed:
		c.prog.failed.Add(1)
		c.prog.errors.Add(1)
		c.log.Warn("page failed", logURL, e.URL, logReason, r.Reason, logDetail, r.Detail, logAttempt, e.Attempts)
	case StateQueued:
		if released {
			c.log.Debug("entry released", logURL, e.URL, logReason, r.Reason)
			break
		}
		c.prog.retries.Add(1)
		c.prog.errors.Add(1)
		c.log.Info("retry scheduled", logURL, e.URL, logReason, r.Reason, logDetail, r.Detail,
			logAttempt, e.Attempts, logWait, time.Until(e.NotBefore).Round(time.Millisecond))
	}
}
