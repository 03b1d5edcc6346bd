package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"runtime"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/scraper"
	"golang.org/x/net/html"
)

// queueBytes is the most body bytes results waiting for the archive writer
// may hold; one result larger than that waits until the queue is empty.
const queueBytes = 32 << 20

// commitTimeout bounds one batch's transaction.
const commitTimeout = 2 * time.Minute

// Sink is a run's scraper.Sink: it extracts article records in the calling
// goroutine (so extraction runs in parallel across the crawler's workers)
// and group-commits the results through one Writer: results that arrive
// together share one transaction.
//
// Commit returns once its result is queued for the writer, not once it is
// durable, so a worker goes on fetching while the batch is written. This
// loses nothing: the entry's frontier row stays in flight until the
// transaction that stores its page, its links and its new state commits, so
// a crash before that leaves it in flight and the next StartRun queues it
// again; Pending counts it, so a crawl does not end before the writer has
// caught up; and Close writes everything queued before it returns. A failed
// batch makes every later Commit, and Close, return its error.
type Sink struct {
	store     Store
	runID     int64
	extractor *extract.Extractor
	logger    *slog.Logger
	counts    *counts
	// extracting bounds concurrent extractions: extraction is pure CPU, so
	// more of them than processors adds no speed, only parsed documents in
	// memory at once (a 100 KB page parses into about 1 MB of nodes).
	extracting chan struct{}
	w          *Writer[archive.Capture]
	warc       *WARCRecorder // optional: exchanges written to WARC first
}

func newSink(store Store, runID int64, ex *extract.Extractor, logger *slog.Logger, c *counts, rec *WARCRecorder) *Sink {
	s := &Sink{
		store: store, runID: runID, extractor: ex, logger: logger, counts: c, warc: rec,
		extracting: make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	s.w = NewWriter(WriterOptions[archive.Capture]{
		MaxBatch: 64, MaxBytes: queueBytes,
		Size: func(c archive.Capture) int64 {
			if c.Page == nil {
				return 0
			}
			return int64(len(c.Page.Body))
		},
	}, s.flush)
	return s
}

// Commit implements scraper.Sink. It blocks while the writer's queue is
// full, also when ctx ended: a Ctrl-C must not drop a fetched page.
func (s *Sink) Commit(ctx context.Context, r *scraper.Result) error {
	var loc archive.WARCLocation
	if s.warc != nil {
		var err error
		if loc, err = s.warc.Record(r, s.original(ctx, r)); err != nil {
			return err
		}
	}
	return s.Submit(r, loc)
}

// Submit queues r, whose capture lies at loc in a WARC file (zero: none),
// for the writer, extracting its record first. It returns the error of an
// earlier failed batch, if any.
func (s *Sink) Submit(r *scraper.Result, loc archive.WARCLocation) error {
	if err := s.w.Err(); err != nil {
		return err
	}
	c := s.capture(r)
	if c.Page != nil && loc.File != "" {
		c.Page.WARCFile, c.Page.WARCOffset = loc.File, loc.Offset
	}
	return s.w.Submit(c)
}

// Close writes every queued result, stops the writer and returns the error
// of the first failed batch, if any. Call it after the last Commit returned.
func (s *Sink) Close() error { return s.w.Close() }

// Failed is closed when one of the sink's commits failed.
func (s *Sink) Failed() <-chan struct{} { return s.w.Failed() }

func (s *Sink) flush(caps []archive.Capture) error {
	// Its own context: results already fetched are written even while the
	// run is being interrupted.
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	res, err := s.store.Commit(ctx, s.runID, caps)
	cancel()
	if err != nil {
		return fmt.Errorf("commit %d results: %w", len(caps), err)
	}
	for i, r := range res {
		if caps[i].Page != nil && r.PageID == 0 {
			continue // dropped by a FleetStore: its lease was lost, another worker stores it
		}
		switch s.counts.add(caps[i], r) {
		case "archived":
			s.logger.Debug("article archived", "url", caps[i].Entry.URL, "article", r.ArticleID)
		case "changed":
			s.logger.Debug("article changed", "url", caps[i].Entry.URL, "article", r.ArticleID, "version", r.VersionID)
		}
	}
	return nil
}

// capture converts a scraper result into an archive capture, extracting the
// article record when the response is an HTML page.
func (s *Sink) capture(r *scraper.Result) archive.Capture {
	c := archive.Capture{
		Entry:         r.Entry,
		State:         string(r.State),
		Reason:        r.Reason,
		Detail:        r.Detail,
		Links:         r.Links,
		Template:      r.Template,
		TemplateYield: r.Yield,
		YieldLinks:    r.YieldLinks,
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
	if r.State != scraper.StateDone || resp.NotModified || r.Entry.Kind != scraper.KindPage || !IsHTML(resp.ContentType) ||
		resp.Status < 200 || resp.Status > 299 || len(resp.Body) == 0 {
		return c
	}
	var (
		a   *extract.Article
		err error
	)
	if pp, ok := r.Parsed.(*parsedPage); ok {
		a, err = pp.article, pp.err // extracted when the crawler parsed the page
	} else {
		s.extracting <- struct{}{}
		a, err = s.extractor.Extract(resp.FinalURL, resp.Header, resp.Body)
		<-s.extracting
	}
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

// parsedPage is what the sink's ParseHTML leaves in scraper.Result.Parsed:
// the record extracted from the tree link discovery read.
type parsedPage struct {
	article *extract.Article
	err     error
}

// ParseHTML is the sink's scraper.Config.ParseHTML: it parses a page once,
// extracts its record from the tree (kept for Commit) and hands the tree to
// link discovery when it holds the body's bytes as they are.
func (s *Sink) ParseHTML(e scraper.Entry, resp *scraper.Response) (*html.Node, any) {
	if resp.NotModified || !IsHTML(resp.ContentType) || resp.Status < 200 || resp.Status > 299 || len(resp.Body) == 0 {
		return nil, nil
	}
	// One semaphore slot from parse to record: as many trees at once as
	// there are processors, as when Commit extracted.
	s.extracting <- struct{}{}
	defer func() { <-s.extracting }()
	d, err := s.extractor.Parse(resp.FinalURL, resp.Header, resp.Body)
	if err != nil {
		return nil, &parsedPage{err: err}
	}
	pp := &parsedPage{article: s.extractor.ExtractDocument(d)}
	if !d.Verbatim() {
		return nil, pp
	}
	return d.Root(), pp
}

// IsHTML reports whether a Content-Type names an HTML page.
func IsHTML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}
