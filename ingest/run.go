package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/scraper"
)

// Pipeline joins an archive store and an extractor; it starts runs.
type Pipeline struct {
	Store     Store
	Extractor *extract.Extractor
	// Logger receives the pipeline's logs (nil: discarded).
	Logger *slog.Logger
	// Optimize decides when Finish merges the full-text index after a
	// large run (the zero value: the default policy).
	Optimize OptimizePolicy
}

// Run is one run of the pipeline: started (or resumed) by Pipeline.Start,
// fed by Crawl or Submit, ended by Finish.
type Run struct {
	// ID is the run's id in the archive.
	ID int64
	// Resumed is set when Start resumed an unfinished run.
	Resumed bool

	p      *Pipeline
	log    *slog.Logger
	counts counts
	warc   *WARCRecorder

	mu   sync.Mutex
	sink *Sink // the run's sink, made on first use

	finishOnce sync.Once
	finishErr  error
}

// Start starts a run with seeds and settings (recorded with it), or resumes
// the archive's latest run when it did not finish: its in-flight entries are
// queued again.
func (p *Pipeline) Start(ctx context.Context, seeds []string, settings any) (*Run, error) {
	if p.Store == nil || p.Extractor == nil {
		return nil, errors.New("ingest: a pipeline needs a store and an extractor")
	}
	id, resumed, err := p.Store.StartRun(ctx, seeds, settings)
	if err != nil {
		return nil, fmt.Errorf("start run: %w", err)
	}
	log := p.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Run{ID: id, Resumed: resumed, p: p, log: log}, nil
}

// LatestUnfinished returns the archive's latest run when it did not finish.
// A command that must not take over another's run (import, watch) checks
// it before Start.
func LatestUnfinished(ctx context.Context, store Store) (archive.Run, bool, error) {
	runs, err := store.Runs(ctx)
	if err != nil {
		return archive.Run{}, false, fmt.Errorf("list runs: %w", err)
	}
	if n := len(runs); n > 0 && runs[n-1].Status != archive.RunFinished {
		return runs[n-1], true, nil
	}
	return archive.Run{}, false, nil
}

// RecordWARC makes the run's sink write every exchange to rec before it is
// archived (crawl --warc). Call it before the first Crawl or Submit.
func (r *Run) RecordWARC(rec *WARCRecorder) { r.warc = rec }

// Counts returns the run's archive-side outcomes so far.
func (r *Run) Counts() Counts { return r.counts.snapshot() }

// Sink returns the run's sink, which Crawl uses and Submit feeds.
func (r *Run) Sink() *Sink {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sink == nil {
		r.sink = r.NewSink()
	}
	return r.sink
}

// NewSink returns another sink of the run, counted with it, with its own
// writer (a watch uses one per round). The caller closes it.
func (r *Run) NewSink() *Sink {
	return newSink(r.p.Store, r.ID, r.p.Extractor, r.log, &r.counts, r.warc)
}

// Submit queues a result that did not come from the run's crawler (a
// response read from a WARC file, at loc in it when loc.File is set): it is
// extracted in the calling goroutine and committed with the others.
func (r *Run) Submit(res *scraper.Result, loc archive.WARCLocation) error {
	return r.Sink().Submit(res, loc)
}

// Crawler returns a scraper over the run's frontier, storing through the
// run's sink, and revalidating earlier captures of the archive.
func (r *Run) Crawler(cfg scraper.Config, logger *slog.Logger) (*scraper.Crawler, error) {
	if r.warc != nil {
		cfg.RecordWire = true
	}
	sk := r.Sink()
	if rs, ok := r.p.Store.(scraper.RobotsShare); ok && cfg.SharedRobots == nil {
		cfg.SharedRobots = rs // a FleetStore: robots.txt fetched once for the fleet
	}
	if cfg.ParseHTML == nil {
		cfg.ParseHTML = sk.ParseHTML // parse each page once
	}
	c, err := scraper.New(cfg, newRunFrontier(r.p.Store, r.ID), sk, &history{store: r.p.Store}, logger)
	if err != nil {
		return nil, fmt.Errorf("new crawler: %w", err)
	}
	if fs, ok := r.p.Store.(interface {
		setHostDelay(func(string) time.Duration)
	}); ok {
		fs.setHostDelay(c.HostDelay) // a FleetStore: Crawl-delay and slow-downs outlive the lease
	}
	return c, nil
}

// CrawlResult is how a crawl ended.
type CrawlResult struct {
	scraper.Summary
	// Status is the run status Finish should record: finished, failed, or
	// interrupted (also when the page budget ended it with URLs queued: the
	// next crawl resumes the run instead of starting a re-crawl). It is
	// empty when seeding failed: nothing was crawled and the run is left
	// resumable, without Finish.
	Status string
	// StoppedAtMaxPages is set when the page budget ended the run.
	StoppedAtMaxPages bool
	// TrapTemplates are the URL patterns trap defence cut, with the URLs
	// skipped for each.
	TrapTemplates []archive.Count
}

// Crawl seeds the run's frontier (seeds already known are ignored, so a
// resumed run goes on where it stopped), runs c until the frontier is empty
// or ctx ends, and drains the sink, so every fetched result is committed
// when it returns. c must come from r.Crawler. started, when set, is
// called once seeding is done and the crawl begins (a progress display).
func (r *Run) Crawl(ctx context.Context, c *scraper.Crawler, seeds []string, opts scraper.RunOptions, started func()) (CrawlResult, error) {
	var res CrawlResult
	if err := c.Seed(ctx, seeds); err != nil && ctx.Err() == nil {
		// Nothing was crawled: the run is left as it is (resumable).
		_ = r.Close()
		return res, fmt.Errorf("seed: %w", err)
	}
	if started != nil {
		started()
	}
	// A failed commit stops the crawl even when no later result reaches
	// the sink to be refused (the crawl's last pages): the entries of the
	// failed batch stay in flight, so the frontier would never drain.
	crawlCtx, stopCrawl := context.WithCancel(ctx)
	defer stopCrawl()
	stopOnFail := make(chan struct{})
	defer close(stopOnFail)
	go func(failed <-chan struct{}) {
		select {
		case <-failed:
			stopCrawl()
		case <-stopOnFail:
		}
	}(r.Sink().Failed())
	sum, runErr := c.Run(crawlCtx, opts)
	res.Summary = sum
	if cerr := r.Close(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	if cuts, err := r.p.Store.TrapTemplateCounts(context.WithoutCancel(ctx), r.ID); err == nil {
		res.TrapTemplates = cuts
	} else if runErr == nil {
		runErr = fmt.Errorf("trap templates: %w", err)
	}
	res.Status = archive.RunFinished
	switch {
	case runErr != nil:
		res.Status = archive.RunFailed
	case sum.Interrupted || ctx.Err() != nil:
		res.Status = archive.RunInterrupted
	case sum.StopReason == scraper.ReasonMaxPages:
		res.Status = archive.RunInterrupted
		res.StoppedAtMaxPages = true
	}
	return res, runErr
}

// Close drains the run's sink: every result submitted so far is committed
// (or the first failed batch's error returned). Finish calls it.
func (r *Run) Close() error {
	r.mu.Lock()
	sk := r.sink
	r.mu.Unlock()
	if sk == nil {
		return nil
	}
	return sk.Close()
}

// Finish drains the run's sink (callers that count the run's outcomes call
// Close first, then Finish with the counts) and records the run's status and counts,
// also when the run was interrupted (it stays resumable). It returns the
// first error of the two. Only the first call records anything.
//
// When the run was recorded and not failed, and ctx has not ended, Finish
// then merges the full-text index if the run added enough versions (see
// OptimizePolicy), logging it; a failed or interrupted optimize is logged as
// a warning, not returned: the index is left as it was, and sound.
func (r *Run) Finish(ctx context.Context, status string, counts map[string]int) error {
	r.finishOnce.Do(func() {
		cerr := r.Close()
		if cerr != nil && status == archive.RunFinished {
			status = archive.RunFailed
		}
		ferr := r.p.Store.FinishRun(context.WithoutCancel(ctx), r.ID, status, counts)
		if ferr != nil {
			ferr = fmt.Errorf("finish run: %w", ferr)
		}
		r.finishErr = ferr
		if cerr != nil {
			r.finishErr = cerr
			if ferr != nil {
				r.log.Warn("finish run", "err", ferr)
			}
		}
		if r.finishErr == nil && status != archive.RunFailed && ctx.Err() == nil {
			if err := r.optimize(ctx); err != nil {
				r.log.Warn("search index not optimized", "err", err)
			}
		}
	})
	return r.finishErr
}
