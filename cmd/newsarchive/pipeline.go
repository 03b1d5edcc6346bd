package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/scraper"
)

// frontier adapts the archive's run-scoped frontier table to scraper.Frontier.
type frontier struct {
	store *archive.Store
	runID int64
}

func (f *frontier) Add(ctx context.Context, entries []scraper.Entry) (int, error) {
	return f.store.Enqueue(ctx, f.runID, toQueueEntries(entries))
}

func (f *frontier) Claim(ctx context.Context, n int) ([]scraper.Entry, error) {
	qs, err := f.store.Claim(ctx, f.runID, n, time.Now())
	if err != nil {
		return nil, err
	}
	out := make([]scraper.Entry, len(qs))
	for i, q := range qs {
		out[i] = scraper.Entry{
			URL: q.URL, Depth: q.Depth, Kind: scraper.Kind(q.Kind), Via: q.Via,
			Attempts: q.Attempts, NotBefore: q.NotBefore, Request: q.Request, Listed: q.Listed,
		}
	}
	return out, nil
}

// TemplateStats implements scraper.TemplateSource: trap defence resumes
// from the run's trap_templates rows.
func (f *frontier) TemplateStats(ctx context.Context) ([]scraper.TemplateStat, error) {
	ts, err := f.store.TemplateStats(ctx, f.runID)
	if err != nil {
		return nil, err
	}
	out := make([]scraper.TemplateStat, len(ts))
	for i, t := range ts {
		out[i] = scraper.TemplateStat{Template: t.Template, Fetches: t.Fetches, SinceYield: t.SinceYield}
	}
	return out, nil
}

func (f *frontier) Pending(ctx context.Context) (int, error) {
	queued, inFlight, err := f.store.PendingCount(ctx, f.runID)
	return queued + inFlight, err
}

// history adapts the archive's latest-capture lookup to scraper.History.
type history struct {
	store *archive.Store

	once sync.Once
	none bool // the archive holds no run before the current one
}

func (h *history) Previous(ctx context.Context, url string) (scraper.Previous, bool, error) {
	// The first crawl into an archive (also when resumed) has no earlier
	// capture to revalidate: skip the lookup the scraper makes before every
	// request. The current run is the latest one (StartRun comes first).
	h.once.Do(func() {
		// On error, look up every time (and let that report it).
		runs, err := h.store.Runs(ctx)
		h.none = err == nil && len(runs) <= 1
	})
	if h.none {
		return scraper.Previous{}, false, nil
	}
	p, ok, err := h.store.Previous(ctx, url)
	if err != nil || !ok || p == nil {
		return scraper.Previous{}, false, err
	}
	return scraper.Previous{ETag: p.ETag, LastModified: p.LastModified, Body: p.Body, ContentType: p.ContentType}, true, nil
}

func toQueueEntries(es []scraper.Entry) []archive.QueueEntry {
	out := make([]archive.QueueEntry, len(es))
	for i, e := range es {
		out[i] = archive.QueueEntry{
			URL: e.URL, Depth: e.Depth, Kind: string(e.Kind), Via: e.Via,
			Attempts: e.Attempts, NotBefore: e.NotBefore, Request: e.Request, Listed: e.Listed,
		}
	}
	return out
}

// pipelineCounts are the archive-side outcomes of a crawl.
type pipelineCounts struct {
	pages        atomic.Int64 // raw pages stored (requisites excepted)
	requisites   atomic.Int64 // page requisites stored (stylesheets, images, fonts)
	articles     atomic.Int64 // article pages extracted and committed
	newArticles  atomic.Int64 // articles seen for the first time
	newVersions  atomic.Int64 // changed articles that gained a version
	unchanged    atomic.Int64 // articles whose content was already archived
	extractFails atomic.Int64 // pages whose extraction failed (raw page kept)
	notModified  atomic.Int64 // 304 answers

	mu       sync.Mutex
	outcomes map[string]int // final state of each entry: done, failed, skipped
	reasons  map[string]int // reason codes of final states (retries excluded)
}

// final records an entry's final state and reason; retries and entries handed
// back unfetched (state queued) are not final.
func (pc *pipelineCounts) final(state, reason string) {
	if state == string(scraper.StateQueued) {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.outcomes == nil {
		pc.outcomes, pc.reasons = map[string]int{}, map[string]int{}
	}
	pc.outcomes[state]++
	if reason != "" {
		pc.reasons[reason]++
	}
}

// finals returns copies of the final-state and reason counts.
func (pc *pipelineCounts) finals() (outcomes, reasons map[string]int) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	outcomes, reasons = map[string]int{}, map[string]int{}
	for k, v := range pc.outcomes {
		outcomes[k] = v
	}
	for k, v := range pc.reasons {
		reasons[k] = v
	}
	return outcomes, reasons
}

// sink is the crawl's scraper.Sink: it extracts article records in the calling
// worker's goroutine (so extraction runs in parallel) and group-commits results to
// the archive through one writer goroutine: results that arrive together share
// one transaction.
//
// Commit returns once its result is queued for the writer, not once it is
// durable, so a worker goes on fetching while the batch is written (waiting cost
// each worker tens of milliseconds per page). This loses nothing: the entry's
// frontier row stays in_flight until the transaction that stores its page, its
// links and its new state commits, so a crash before that leaves it in_flight
// and the next run (StartRun) queues it again; Pending counts it, so the crawl
// does not end before the writer has caught up; and Close, which the crawl
// calls after every run (Ctrl-C included), writes everything queued before it
// returns. The in-memory queue is bounded (in's capacity), which bounds memory
// and throttles the workers to the writer's pace. A failed batch makes every
// later Commit, and Close, return its error, which stops the crawl.
type sink struct {
	store     *archive.Store
	runID     int64
	extractor *extract.Extractor
	logger    *slog.Logger
	counts    *pipelineCounts
	maxBatch  int
	// extracting bounds concurrent extractions: extraction is pure CPU, so
	// more of them than processors adds no speed, only parsed documents in
	// memory at once (a 100 KB page parses into about 1 MB of nodes).
	extracting chan struct{}

	in chan *pending
	// queued bounds the body bytes waiting in in (see queueBytes): with
	// huge pages, 64 queued results could otherwise hold a gigabyte.
	queued   *byteBudget
	closing  chan struct{}
	done     chan struct{}
	closeErr error // first failed batch; written by the writer goroutine only
	failed   atomic.Pointer[error]
	once     sync.Once

	warc *warcRecorder // crawl --warc: exchanges are written to WARC first (warccapture.go)
}

type pending struct {
	c     archive.Capture
	bytes int64 // body bytes held from sink.queued
}

// queueBytes is the most body bytes results waiting for the archive writer
// may hold; one result larger than that waits until the queue is empty.
const queueBytes = 32 << 20

// byteBudget is a counting semaphore over bytes.
type byteBudget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	used  int64
	limit int64
}

func newByteBudget(limit int64) *byteBudget {
	b := &byteBudget{limit: limit}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes fit (or nothing is held) and takes them.
func (b *byteBudget) acquire(n int64) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.limit {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

func (b *byteBudget) release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

func newSink(store *archive.Store, runID int64, ex *extract.Extractor, logger *slog.Logger, counts *pipelineCounts) *sink {
	s := &sink{
		store: store, runID: runID, extractor: ex, logger: logger, counts: counts,
		maxBatch:   64,
		extracting: make(chan struct{}, runtime.GOMAXPROCS(0)),
		// One batch: the writer finds a full one waiting when it finishes the
		// last; each result holds a page body and its record, so a longer
		// queue costs memory and gains nothing.
		in:      make(chan *pending, 64),
		queued:  newByteBudget(queueBytes),
		closing: make(chan struct{}),
		done:    make(chan struct{}),
	}
	go s.loop()
	return s
}

// Commit implements scraper.Sink.
func (s *sink) Commit(ctx context.Context, r *scraper.Result) error {
	var loc archive.WARCLocation
	if s.warc != nil {
		var err error
		if loc, err = s.warc.record(r, s.original(ctx, r)); err != nil {
			return err
		}
	}
	return s.commitAt(r, loc)
}

// commitAt queues r, whose capture lies at loc in a WARC file (zero: none),
// for the writer and returns (see sink). It blocks while the queue is full,
// also when the crawl's ctx is cancelled: a Ctrl-C must not drop a fetched
// page. It returns the error of an earlier failed batch, if any.
func (s *sink) commitAt(r *scraper.Result, loc archive.WARCLocation) error {
	if err := s.err(); err != nil {
		return err
	}
	p := &pending{c: s.capture(r)}
	if p.c.Page != nil {
		if loc.File != "" {
			p.c.Page.WARCFile, p.c.Page.WARCOffset = loc.File, loc.Offset
		}
		p.bytes = int64(len(p.c.Page.Body))
		s.queued.acquire(p.bytes)
	}
	select {
	case s.in <- p:
		return nil
	case <-s.closing:
		s.queued.release(p.bytes)
		return errors.New("archive writer closed")
	}
}

// err returns the error of the first failed batch, or nil.
func (s *sink) err() error {
	if e := s.failed.Load(); e != nil {
		return *e
	}
	return nil
}

// Close writes every queued result, stops the writer and returns the error of
// the first failed batch, if any. Call it only after the last Commit returned.
func (s *sink) Close() error {
	s.once.Do(func() { close(s.closing) })
	<-s.done
	return s.closeErr
}

func (s *sink) loop() {
	defer close(s.done)
	batch := make([]*pending, 0, s.maxBatch)
	for {
		var first *pending
		select {
		case first = <-s.in:
		case <-s.closing:
			// Drain whatever is still queued, then stop.
			batch = batch[:0]
			for {
				select {
				case p := <-s.in:
					batch = append(batch, p)
					if len(batch) == s.maxBatch {
						s.flush(batch)
						batch = batch[:0]
					}
				default:
					if len(batch) > 0 {
						s.flush(batch)
					}
					return
				}
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < s.maxBatch {
			select {
			case p := <-s.in:
				batch = append(batch, p)
			default:
				break fill
			}
		}
		s.flush(batch)
	}
}

func (s *sink) flush(batch []*pending) {
	caps := make([]archive.Capture, len(batch))
	var held int64
	for i, p := range batch {
		caps[i] = p.c
		held += p.bytes
	}
	// The batch array is reused: drop its pointers so no body outlives its
	// commit.
	clear(batch)
	defer s.queued.release(held)
	// The commit uses its own context: results already fetched are written even
	// while the crawl is being interrupted.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	res, err := s.store.Commit(ctx, s.runID, caps)
	cancel()
	if err != nil {
		err = fmt.Errorf("commit %d results: %w", len(batch), err)
		if s.closeErr == nil {
			s.closeErr = err
		}
		s.failed.CompareAndSwap(nil, &err)
		return
	}
	for i, r := range res {
		s.count(caps[i], r)
	}
}

func (s *sink) count(c archive.Capture, r archive.CommitResult) {
	s.counts.final(c.State, c.Reason)
	if c.Page != nil && c.Entry.Kind == string(scraper.KindRequisite) {
		s.counts.requisites.Add(1)
	} else if c.Page != nil {
		s.counts.pages.Add(1)
		if c.Page.NotModified {
			s.counts.notModified.Add(1)
		}
	}
	if c.ExtractError != "" {
		s.counts.extractFails.Add(1)
	}
	if r.ArticleID == 0 {
		return
	}
	s.counts.articles.Add(1)
	switch {
	case r.NewArticle:
		s.counts.newArticles.Add(1)
		s.logger.Debug("article archived", "url", c.Entry.URL, "article", r.ArticleID)
	case r.NewVersion:
		s.counts.newVersions.Add(1)
		s.logger.Debug("article changed", "url", c.Entry.URL, "article", r.ArticleID, "version", r.VersionID)
	default:
		s.counts.unchanged.Add(1)
	}
}

// capture converts a scraper result into an archive capture, extracting the
// article record when the response is an HTML page.
func (s *sink) capture(r *scraper.Result) archive.Capture {
	c := archive.Capture{
		Entry: archive.QueueEntry{
			URL: r.Entry.URL, Depth: r.Entry.Depth, Kind: string(r.Entry.Kind), Via: r.Entry.Via,
			Attempts: r.Entry.Attempts, NotBefore: r.Entry.NotBefore, Request: r.Entry.Request, Listed: r.Entry.Listed,
		},
		State:         string(r.State),
		Reason:        r.Reason,
		Detail:        r.Detail,
		Links:         toQueueEntries(r.Links),
		Template:      r.Template,
		TemplateYield: r.Yield,
	}
	resp := r.Response
	if resp == nil {
		return c
	}
	c.Page = &archive.Page{
		URL: resp.URL, FinalURL: resp.FinalURL, Redirects: resp.Redirects, Status: resp.Status,
		Header: resp.Header, FetchedAt: resp.FetchedAt, Duration: resp.Duration,
		ContentType: resp.ContentType, Body: resp.Body, Truncated: resp.Truncated,
		NotModified: resp.NotModified,
	}
	if r.State != scraper.StateDone || resp.NotModified || r.Entry.Kind != scraper.KindPage || !isHTML(resp.ContentType) ||
		resp.Status < 200 || resp.Status > 299 || len(resp.Body) == 0 {
		return c
	}
	s.extracting <- struct{}{}
	a, err := s.extractor.Extract(resp.FinalURL, resp.Header, resp.Body)
	<-s.extracting
	if err != nil {
		c.ExtractError = err.Error()
		s.logger.Warn("extraction failed", "url", resp.FinalURL, "err", err)
		return c
	}
	if resp.Truncated {
		// A cut page is archived raw but never presented as a complete record.
		c.ExtractError = "page truncated at the size cap; record not stored"
		return c
	}
	c.Article = a
	r.Article = a != nil && a.IsArticle
	return c
}

func isHTML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}
