package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
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
			Attempts: q.Attempts, NotBefore: q.NotBefore,
		}
	}
	return out, nil
}

func (f *frontier) Pending(ctx context.Context) (int, error) {
	queued, inFlight, err := f.store.PendingCount(ctx, f.runID)
	return queued + inFlight, err
}

// history adapts the archive's latest-capture lookup to scraper.History.
type history struct{ store *archive.Store }

func (h *history) Previous(ctx context.Context, url string) (scraper.Previous, bool, error) {
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
			Attempts: e.Attempts, NotBefore: e.NotBefore,
		}
	}
	return out
}

// pipelineCounts are the archive-side outcomes of a crawl.
type pipelineCounts struct {
	pages        atomic.Int64 // raw pages stored
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
// the archive: each Commit returns once its result is durable, and results that
// arrive together share one transaction.
type sink struct {
	store     *archive.Store
	runID     int64
	extractor *extract.Extractor
	logger    *slog.Logger
	counts    *pipelineCounts
	maxBatch  int

	in       chan *pending
	closing  chan struct{}
	done     chan struct{}
	closeErr error
	once     sync.Once
}

type pending struct {
	c    archive.Capture
	done chan error
}

func newSink(store *archive.Store, runID int64, ex *extract.Extractor, logger *slog.Logger, counts *pipelineCounts) *sink {
	s := &sink{
		store: store, runID: runID, extractor: ex, logger: logger, counts: counts,
		maxBatch: 64,
		in:       make(chan *pending, 256),
		closing:  make(chan struct{}),
		done:     make(chan struct{}),
	}
	go s.loop()
	return s
}

// Commit implements scraper.Sink.
func (s *sink) Commit(ctx context.Context, r *scraper.Result) error {
	c := s.capture(r)
	p := &pending{c: c, done: make(chan error, 1)}
	select {
	case s.in <- p:
	case <-s.closing:
		return errors.New("archive writer closed")
	}
	// Wait for durability even if ctx is cancelled: a Ctrl-C must not drop a
	// fetched page. The writer always answers.
	return <-p.done
}

// Close flushes pending results and stops the writer.
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
	for i, p := range batch {
		caps[i] = p.c
	}
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
	} else {
		for i, r := range res {
			s.count(caps[i], r)
		}
	}
	for _, p := range batch {
		p.done <- err
	}
}

func (s *sink) count(c archive.Capture, r archive.CommitResult) {
	s.counts.final(c.State, c.Reason)
	if c.Page != nil {
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
		s.logger.Info("article archived", "url", c.Entry.URL, "article", r.ArticleID)
	case r.NewVersion:
		s.counts.newVersions.Add(1)
		s.logger.Info("article changed", "url", c.Entry.URL, "article", r.ArticleID, "version", r.VersionID)
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
			Attempts: r.Entry.Attempts, NotBefore: r.Entry.NotBefore,
		},
		State:  string(r.State),
		Reason: r.Reason,
		Detail: r.Detail,
		Links:  toQueueEntries(r.Links),
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
	a, err := s.extractor.Extract(resp.FinalURL, resp.Header, resp.Body)
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
	return c
}

func isHTML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}
