package ingest

import (
	"context"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/scraper"
)

// runFrontier adapts a store's run-scoped frontier to scraper.Frontier (and
// scraper.TemplateSource: trap defence resumes from the run's counters).
type runFrontier struct {
	store Store
	runID int64
}

func (f *runFrontier) Add(ctx context.Context, entries []scraper.Entry) (int, error) {
	// scraper.Entry and archive.QueueEntry are both frontier.Entry.
	return f.store.Enqueue(ctx, f.runID, entries)
}

func (f *runFrontier) Claim(ctx context.Context, n int) ([]scraper.Entry, error) {
	return f.store.Claim(ctx, f.runID, n, time.Now())
}

// TemplateStats implements scraper.TemplateSource.
func (f *runFrontier) TemplateStats(ctx context.Context) ([]scraper.TemplateStat, error) {
	ts, err := f.store.TemplateStats(ctx, f.runID)
	if err != nil {
		return nil, err
	}
	return scraperStats(ts), nil
}

// templateFeed is a Store whose trap-defence counts other crawlers share
// (FleetStore).
type templateFeed interface {
	TemplateUpdates() []archive.TemplateStat
}

// sharedFrontier is a runFrontier over a templateFeed store: it is also a
// scraper.TemplateFeed.
type sharedFrontier struct {
	*runFrontier
	feed templateFeed
}

// TemplateUpdates implements scraper.TemplateFeed.
func (f sharedFrontier) TemplateUpdates() []scraper.TemplateStat {
	return scraperStats(f.feed.TemplateUpdates())
}

// newRunFrontier returns the scraper's frontier over store's run runID.
func newRunFrontier(store Store, runID int64) scraper.Frontier {
	f := &runFrontier{store: store, runID: runID}
	if tf, ok := store.(templateFeed); ok {
		return sharedFrontier{runFrontier: f, feed: tf}
	}
	return f
}

func scraperStats(ts []archive.TemplateStat) []scraper.TemplateStat {
	if len(ts) == 0 {
		return nil
	}
	out := make([]scraper.TemplateStat, len(ts))
	for i, t := range ts {
		out[i] = scraper.TemplateStat{Template: t.Template, Fetches: t.Fetches, SinceYield: t.SinceYield}
	}
	return out
}

func (f *runFrontier) Pending(ctx context.Context) (int, error) {
	queued, inFlight, err := f.store.PendingCount(ctx, f.runID)
	return queued + inFlight, err
}

// history adapts the store's latest-capture lookup to scraper.History.
type history struct {
	store Store

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
