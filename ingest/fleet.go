package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/frontier"
	"github.com/newsarchive/newsarchive/scraper"
)

// FleetArchive is what a FleetStore needs of a shared archive besides its
// frontier: runs that several workers join, a per-page commit under a lease
// (and one without, for imports), the lookups of earlier captures, and how
// to tell a lost database connection from a refused statement.
// *pgarchive.DB implements it.
type FleetArchive interface {
	// StartRun starts or joins a run for worker (kind "crawl" joins the
	// latest unfinished crawl; "import" always starts one). A new crawl
	// queues again the URLs of requeue that are done or failed, and the
	// frontier's sitemaps and feeds.
	StartRun(ctx context.Context, worker, kind string, seeds, requeue []string, settings any) (runID int64, joined bool, err error)
	// FinishRun records worker's end of a run, adding counts to its own.
	FinishRun(ctx context.Context, runID int64, worker, status string, counts map[string]int) error
	// Runs lists the archive's runs, oldest first.
	Runs(ctx context.Context) ([]archive.Run, error)
	// Pending counts the whole fleet frontier's queued and in-flight URLs.
	Pending(ctx context.Context) (queued, inFlight int, err error)
	// CommitLeased stores one capture of run runID in one transaction
	// under lease l, with its URL's new state and links and trap defence's
	// counts of the run (the result's TemplateCount: the capture's
	// template's counts after it); frontier.ErrStaleLease, storing
	// nothing, when l is no longer the host's current lease.
	CommitLeased(ctx context.Context, runID int64, l frontier.Lease, c archive.Capture) (archive.CommitResult, error)
	// CommitUnleased stores a capture that no lease covers (imports),
	// touching no frontier row.
	CommitUnleased(ctx context.Context, worker string, c archive.Capture) (archive.CommitResult, error)
	// TemplateStats returns trap defence's counts of run runID, shared by
	// its workers: those of host's templates, or all when host is "".
	TemplateStats(ctx context.Context, runID int64, host string) ([]archive.TemplateStat, error)
	// TrapTemplateCounts is Store's, for the whole fleet.
	TrapTemplateCounts(ctx context.Context, runID int64) ([]archive.Count, error)
	// Previous and PreviousCapture are Store's.
	Previous(ctx context.Context, url string) (*archive.Previous, bool, error)
	PreviousCapture(ctx context.Context, url string) (archive.CaptureRef, bool, error)
	// Retryable reports whether err means the database could not be
	// reached (the operation may be tried again), not that it refused.
	Retryable(err error) bool
}

// FleetOptions configures a FleetStore.
type FleetOptions struct {
	// Fleet is the shared frontier; Archive the shared archive.
	Fleet   frontier.Fleet
	Archive FleetArchive
	// Worker names this process in leases, pages, runs and logs.
	Worker string
	// Import makes the store's runs imports: each Start creates a run of
	// its own, and captures are committed without a lease.
	Import bool
	// LeaseTTL is how long a lease lasts unless renewed (default 30s); it
	// is renewed every LeaseTTL/3 while its URLs are being fetched, so a
	// worker that dies loses its hosts to the fleet after at most LeaseTTL.
	LeaseTTL time.Duration
	// PerLease caps the URLs claimed with one host's lease (default 16).
	PerLease int
	// MaxLeases caps the hosts this worker holds at once (0: no cap; the
	// crawler's own queue bounds them).
	MaxLeases int
	// Delay is the crawl's gap between requests to one host: a host rests
	// at least this long after its lease is released, whoever claims it next.
	Delay time.Duration
	// CommitConcurrency is how many page transactions one Commit runs at
	// once (default 1). Commits under one lease share its host row's lock.
	// More did not help on a 2-core machine running the server too (its
	// CPU bounds the commits): one worker crawling six loopback hosts
	// (20 ms latency, --delay 0) stored 158–171 pages/s with 1 and 164–193
	// with 4.
	CommitConcurrency int
	// RetryFor bounds how long an operation is retried while the database
	// is unreachable (default 2 minutes); then the error stops the run.
	RetryFor time.Duration
	// Logger receives the store's logs (nil: discarded).
	Logger *slog.Logger
}

// FleetStore is the pipeline's Store over a fleet frontier shared by
// several worker processes (crawl --db postgres://…). Claim leases ready
// hosts (frontier.Fleet.ClaimHost) and hands their URLs to the crawler; a
// background loop renews the live leases; Commit stores each capture in its
// own transaction under its lease and, once every URL of a lease is
// committed, releases the host with the crawl's pace (--delay, Retry-After,
// back-off after errors). Only the lease holder fetches a host, and its
// crawler keeps --delay and --parallelism within the lease, so the per-host
// gap and concurrency hold across the fleet.
//
// A capture whose lease was lost (it expired and another worker took the
// host over) is dropped, logged, not stored: fencing refuses it, so a late
// worker never stores a duplicate. Operations are retried while the
// database is unreachable (a restart), for up to RetryFor.
//
// Trap defence's template counters are the run's, shared by its workers:
// each commit counts its page's template in the archive (CommitLeased), and
// the store hands the crawler the shared counts of a host's templates when
// it leases the host and of a template after each commit
// (TemplateUpdates), so a template is cut at the same count whichever
// worker fetches its host.
type FleetStore struct {
	fleet frontier.Fleet
	arch  FleetArchive
	opts  FleetOptions
	log   *slog.Logger

	mu       sync.Mutex
	byURL    map[string]*heldLease
	byHost   map[string]*heldLease
	lastReap time.Time
	dropped  int64
	tmpl     []archive.TemplateStat // shared template counts not yet taken (TemplateUpdates)

	hostDelay func(host string) time.Duration // the crawler's per-host gap; nil: Delay

	stopRenew chan struct{}
	renewDone chan struct{}
	closeOnce sync.Once
}

// heldLease is a lease this worker holds and the URLs of it not committed.
type heldLease struct {
	l    frontier.Lease
	left int
	pace frontier.Pace
	lost bool
}

var (
	_ Store               = (*FleetStore)(nil)
	_ scraper.RobotsShare = (*FleetStore)(nil)
)

// NewFleetStore returns a store over o.Fleet and o.Archive and starts its
// lease renewal; Close stops it.
func NewFleetStore(o FleetOptions) (*FleetStore, error) {
	if o.Fleet == nil || o.Archive == nil {
		return nil, errors.New("ingest: a fleet store needs a fleet frontier and an archive")
	}
	if o.Worker == "" {
		return nil, errors.New("ingest: a fleet store needs a worker name")
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 30 * time.Second
	}
	if o.PerLease <= 0 {
		o.PerLease = 16
	}
	if o.CommitConcurrency <= 0 {
		o.CommitConcurrency = 1
	}
	if o.RetryFor <= 0 {
		o.RetryFor = 2 * time.Minute
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &FleetStore{
		fleet: o.Fleet, arch: o.Archive, opts: o, log: log.With("worker", o.Worker),
		byURL: map[string]*heldLease{}, byHost: map[string]*heldLease{},
		stopRenew: make(chan struct{}), renewDone: make(chan struct{}),
	}
	go s.renewLoop()
	return s, nil
}

// setHostDelay makes releases rest a host for the crawler's own gap to it
// (Crawl-delay, slowing down after errors), not only Delay.
func (s *FleetStore) setHostDelay(f func(host string) time.Duration) {
	s.mu.Lock()
	s.hostDelay = f
	s.mu.Unlock()
}

// Worker returns the worker's name.
func (s *FleetStore) Worker() string { return s.opts.Worker }

// Dropped returns how many captures were dropped because their lease was
// lost.
func (s *FleetStore) Dropped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// FleetCounts returns how many URLs of the whole fleet frontier are in each
// state.
func (s *FleetStore) FleetCounts(ctx context.Context) (map[frontier.State]int, error) {
	var c map[frontier.State]int
	err := s.retry(ctx, "fleet counts", func() error {
		var err error
		c, err = s.fleet.Counts(ctx)
		return err
	})
	return c, err
}

// Close stops renewing leases. It does not release them: FinishRun does
// (a crawl that ends hands back what it holds); a store closed without it
// behaves as a worker that died, whose leases expire.
func (s *FleetStore) Close() {
	s.closeOnce.Do(func() {
		close(s.stopRenew)
		<-s.renewDone
	})
}

// retry runs fn until it succeeds, fails with an error that is not a lost
// database, RetryFor has passed or ctx ends.
func (s *FleetStore) retry(ctx context.Context, op string, fn func() error) error {
	deadline := time.Now().Add(s.opts.RetryFor)
	wait := 100 * time.Millisecond
	for {
		err := fn()
		if err == nil || !s.arch.Retryable(err) || time.Now().After(deadline) {
			return err
		}
		s.log.Warn("database unreachable; retrying", "op", op, "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (s *FleetStore) kind() string {
	if s.opts.Import {
		return "import"
	}
	return "crawl"
}

// StartRun implements Store: a crawl joins the fleet's unfinished crawl run
// (resumed is then true) or starts one, queueing the seeds again when they
// were crawled before.
func (s *FleetStore) StartRun(ctx context.Context, seeds []string, settings any) (int64, bool, error) {
	var requeue []string
	if !s.opts.Import {
		for _, raw := range seeds {
			if u, err := scraper.Canonicalize(raw); err == nil {
				requeue = append(requeue, u)
			}
		}
	}
	var (
		id     int64
		joined bool
	)
	err := s.retry(ctx, "start run", func() error {
		var err error
		id, joined, err = s.arch.StartRun(ctx, s.opts.Worker, s.kind(), seeds, requeue, settings)
		return err
	})
	return id, joined, err
}

// FinishRun implements Store: it hands back every lease still held (their
// unfetched URLs queued again), then records the worker's status and
// counts.
func (s *FleetStore) FinishRun(ctx context.Context, runID int64, status string, counts map[string]int) error {
	s.releaseAll(ctx)
	return s.retry(ctx, "finish run", func() error {
		return s.arch.FinishRun(ctx, runID, s.opts.Worker, status, counts)
	})
}

// releaseAll releases the leases still held (a crawl that failed or was
// stopped hard leaves URLs in flight under them).
func (s *FleetStore) releaseAll(ctx context.Context) {
	s.mu.Lock()
	var held []*heldLease
	for _, h := range s.byHost {
		held = append(held, h)
	}
	s.byHost, s.byURL = map[string]*heldLease{}, map[string]*heldLease{}
	s.mu.Unlock()
	for _, h := range held {
		if h.lost {
			continue
		}
		s.release(ctx, h)
	}
}

func (s *FleetStore) release(ctx context.Context, h *heldLease) {
	err := s.retry(ctx, "release", func() error { return s.fleet.Release(ctx, h.l, h.pace) })
	switch {
	case errors.Is(err, frontier.ErrStaleLease):
		s.log.Warn("lease lost before release", "host", h.l.Host, "token", h.l.Token)
	case err != nil:
		// The lease expires by itself; its URLs are queued again then.
		s.log.Warn("release failed; the lease will expire", "host", h.l.Host, "err", err)
	}
}

// Runs implements Store.
func (s *FleetStore) Runs(ctx context.Context) ([]archive.Run, error) {
	var runs []archive.Run
	err := s.retry(ctx, "runs", func() error {
		var err error
		runs, err = s.arch.Runs(ctx)
		return err
	})
	return runs, err
}

// Enqueue implements Store: entries go into the fleet frontier, where a URL
// is held once whatever its state.
func (s *FleetStore) Enqueue(ctx context.Context, _ int64, entries []archive.QueueEntry) (int, error) {
	var n int
	err := s.retry(ctx, "enqueue", func() error {
		var err error
		n, err = s.fleet.Enqueue(ctx, entries)
		return err
	})
	return n, err
}

// Claim implements Store: it leases ready hosts, up to PerLease URLs each,
// until it has n URLs or no host is ready. When none is, it reaps expired
// leases (at most every LeaseTTL/3).
func (s *FleetStore) Claim(ctx context.Context, runID int64, n int, _ time.Time) ([]archive.QueueEntry, error) {
	var out []archive.QueueEntry
	for len(out) < n {
		if s.opts.MaxLeases > 0 {
			s.mu.Lock()
			held := len(s.byHost)
			s.mu.Unlock()
			if held >= s.opts.MaxLeases {
				break
			}
		}
		var (
			l  frontier.Lease
			ok bool
		)
		err := s.retry(ctx, "claim", func() error {
			var err error
			l, ok, err = s.fleet.ClaimHost(ctx, s.opts.Worker, min(n-len(out), s.opts.PerLease), s.opts.LeaseTTL)
			return err
		})
		if err != nil {
			if len(out) > 0 {
				return out, nil // hand over what is leased; the error comes back next time
			}
			return nil, err
		}
		if !ok {
			break
		}
		// The host's templates as the fleet counted them: all its earlier
		// leases are committed (a lease is released after its last commit).
		var stats []archive.TemplateStat
		if !s.opts.Import {
			err = s.retry(ctx, "template stats", func() error {
				var err error
				stats, err = s.arch.TemplateStats(ctx, runID, l.Host)
				return err
			})
			if err != nil {
				// The lease is used all the same: trap defence then goes
				// on from this worker's own counts of the host.
				s.log.Warn("trap template counts of a leased host not read", "host", l.Host, "err", err)
			}
		}
		h := &heldLease{l: l, left: len(l.Entries), pace: frontier.Pace{Delay: s.opts.Delay}}
		s.mu.Lock()
		s.byHost[l.Host] = h
		for _, e := range l.Entries {
			s.byURL[e.URL] = h
		}
		s.tmpl = append(s.tmpl, stats...)
		s.mu.Unlock()
		s.log.Debug("host leased", "host", l.Host, "token", l.Token, "urls", len(l.Entries))
		out = append(out, l.Entries...)
	}
	if len(out) == 0 {
		s.mu.Lock()
		reap := time.Since(s.lastReap) >= s.opts.LeaseTTL/3
		if reap {
			s.lastReap = time.Now()
		}
		s.mu.Unlock()
		if reap {
			if n, err := s.fleet.Reap(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("reap expired leases", "err", err)
			} else if n > 0 {
				s.log.Info("expired leases reaped", "urls_requeued", n)
			}
		}
	}
	return out, nil
}

// PendingCount implements Store: the whole fleet's queued and in-flight
// URLs, so a worker does not stop while another's leases may still add
// links or expire.
func (s *FleetStore) PendingCount(ctx context.Context, _ int64) (int, int, error) {
	var q, f int
	err := s.retry(ctx, "pending", func() error {
		var err error
		q, f, err = s.arch.Pending(ctx)
		return err
	})
	return q, f, err
}

// TemplateStats implements Store: trap defence's counters of the run,
// shared by its workers.
func (s *FleetStore) TemplateStats(ctx context.Context, runID int64) ([]archive.TemplateStat, error) {
	var stats []archive.TemplateStat
	err := s.retry(ctx, "template stats", func() error {
		var err error
		stats, err = s.arch.TemplateStats(ctx, runID, "")
		return err
	})
	return stats, err
}

// TrapTemplateCounts implements Store: the URLs every worker of the run
// skipped, per template.
func (s *FleetStore) TrapTemplateCounts(ctx context.Context, runID int64) ([]archive.Count, error) {
	var c []archive.Count
	err := s.retry(ctx, "trap templates", func() error {
		var err error
		c, err = s.arch.TrapTemplateCounts(ctx, runID)
		return err
	})
	return c, err
}

// TemplateUpdates returns, oldest first, the shared template counts read
// or written since the last call: a leased host's templates, and a
// template's counts after each commit of a page under it (see
// scraper.TemplateFeed).
func (s *FleetStore) TemplateUpdates() []archive.TemplateStat {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.tmpl
	s.tmpl = nil
	return u
}

// Commit implements Store: each capture is one transaction under the lease
// its URL was claimed with (a capture no lease covers, such as an imported
// response, is stored without one); up to CommitConcurrency of them run at
// once. A capture whose lease was lost is dropped (logged, its result zero).
// Once a lease's last URL is committed, the host is released with the
// crawl's pace. A failed commit returns its error: the other captures may be
// stored; the rest stay in flight under their lease until it is released or
// expires.
func (s *FleetStore) Commit(ctx context.Context, runID int64, caps []archive.Capture) ([]archive.CommitResult, error) {
	results := make([]archive.CommitResult, len(caps))
	errs := make([]error, len(caps))
	sem := make(chan struct{}, s.opts.CommitConcurrency)
	var wg sync.WaitGroup
	for i := range caps {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i], errs[i] = s.commitOne(ctx, runID, caps[i])
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("commit %s: %w", caps[i].Entry.URL, err)
		}
	}
	return results, nil
}

// commitOne commits one capture (see Commit).
func (s *FleetStore) commitOne(ctx context.Context, runID int64, c archive.Capture) (archive.CommitResult, error) {
	s.mu.Lock()
	h := s.byURL[c.Entry.URL]
	lost := h != nil && h.lost
	s.mu.Unlock()
	var (
		r   archive.CommitResult
		err error
	)
	switch {
	case h == nil:
		err = s.retry(ctx, "commit", func() error {
			var err error
			r, err = s.arch.CommitUnleased(ctx, s.opts.Worker, c)
			return err
		})
	case lost:
		err = frontier.ErrStaleLease
	default:
		err = s.retry(ctx, "commit", func() error {
			var err error
			r, err = s.arch.CommitLeased(ctx, runID, h.l, c)
			return err
		})
	}
	if h != nil && errors.Is(err, frontier.ErrStaleLease) {
		s.log.Warn("lease lost: fetched page dropped, another worker has the host", "url", c.Entry.URL,
			"host", h.l.Host, "token", h.l.Token)
		r = archive.CommitResult{}
		s.mu.Lock()
		h.lost = true
		s.dropped++
		s.mu.Unlock()
		err = nil
	}
	if err != nil {
		return r, err
	}
	if h != nil {
		s.committed(ctx, h, c, r.TemplateCount)
	}
	return r, nil
}

// committed accounts for one committed (or dropped) URL of h and releases
// the host once all of them are.
func (s *FleetStore) committed(ctx context.Context, h *heldLease, c archive.Capture, tc archive.TemplateStat) {
	s.mu.Lock()
	if tc.Template != "" {
		s.tmpl = append(s.tmpl, tc)
	}
	delete(s.byURL, c.Entry.URL)
	paceOf(&h.pace, c)
	h.left--
	done := h.left <= 0
	if done && s.byHost[h.l.Host] == h {
		delete(s.byHost, h.l.Host)
	}
	lost := h.lost
	if done && s.hostDelay != nil {
		h.pace.CrawlDelay = s.hostDelay(h.l.Host)
	}
	s.mu.Unlock()
	if done && !lost {
		s.release(ctx, h)
		s.log.Debug("host released", "host", h.l.Host, "token", h.l.Token)
	}
}

// paceOf folds one capture's response into a lease's pace: the last
// Retry-After, and whether the lease failed (a 5xx, a timeout, a network
// error).
func paceOf(p *frontier.Pace, c archive.Capture) {
	switch frontier.Reason(c.Reason) {
	case frontier.ReasonTimeout, frontier.ReasonNetwork:
		p.Failed = true
	}
	if c.Page == nil {
		return
	}
	if c.Page.Status >= 500 {
		p.Failed = true
	}
	if c.Page.Status == http.StatusTooManyRequests || c.Page.Status == http.StatusServiceUnavailable {
		if d := retryAfter(c.Page.Header.Get("Retry-After"), c.Page.FetchedAt); d > 0 {
			p.RetryAfter = min(d, frontier.MaxBackoff)
		}
	}
}

// retryAfter reads a Retry-After value: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && !now.IsZero() {
		return t.Sub(now)
	}
	return 0
}

// renewLoop renews the live leases every LeaseTTL/3 until Close.
func (s *FleetStore) renewLoop() {
	defer close(s.renewDone)
	t := time.NewTicker(s.opts.LeaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-s.stopRenew:
			return
		case <-t.C:
		}
		s.mu.Lock()
		var held []*heldLease
		for _, h := range s.byHost {
			if !h.lost {
				held = append(held, h)
			}
		}
		s.mu.Unlock()
		for _, h := range held {
			ctx, cancel := context.WithTimeout(context.Background(), s.opts.LeaseTTL/3)
			_, err := s.fleet.Renew(ctx, h.l, s.opts.LeaseTTL)
			cancel()
			switch {
			case errors.Is(err, frontier.ErrStaleLease):
				s.mu.Lock()
				if !h.lost && s.byHost[h.l.Host] == h {
					h.lost = true
					s.log.Warn("lease lost: it expired and another worker took the host", "host", h.l.Host, "token", h.l.Token)
				}
				s.mu.Unlock()
			case err != nil:
				s.log.Warn("lease not renewed", "host", h.l.Host, "err", err)
			}
		}
	}
}

// Robots implements scraper.RobotsShare: the fleet's cached robots.txt of
// an origin.
func (s *FleetStore) Robots(ctx context.Context, origin string) (frontier.Robots, bool, error) {
	var (
		r  frontier.Robots
		ok bool
	)
	err := s.retry(ctx, "robots", func() error {
		var err error
		r, ok, err = s.fleet.Robots(ctx, origin)
		return err
	})
	return r, ok, err
}

// PutRobots implements scraper.RobotsShare.
func (s *FleetStore) PutRobots(ctx context.Context, origin string, r frontier.Robots) error {
	return s.retry(ctx, "put robots", func() error { return s.fleet.PutRobots(ctx, origin, r) })
}

// Previous implements Store.
func (s *FleetStore) Previous(ctx context.Context, u string) (*archive.Previous, bool, error) {
	var (
		p  *archive.Previous
		ok bool
	)
	err := s.retry(ctx, "previous", func() error {
		var err error
		p, ok, err = s.arch.Previous(ctx, u)
		return err
	})
	return p, ok, err
}

// PreviousCapture implements Store.
func (s *FleetStore) PreviousCapture(ctx context.Context, u string) (archive.CaptureRef, bool, error) {
	var (
		r  archive.CaptureRef
		ok bool
	)
	err := s.retry(ctx, "previous capture", func() error {
		var err error
		r, ok, err = s.arch.PreviousCapture(ctx, u)
		return err
	})
	return r, ok, err
}
