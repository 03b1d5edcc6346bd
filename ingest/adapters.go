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
	return f.store.Enqueue(ctx, f.runID, toQueueEntries(entries))
}

func (f *runFrontier) Claim(ctx context.Context, n int) ([]scraper.Entry, error) {
	qs, err := f.store.Claim(ctx, f.runID, n, time.Now())
	if err != nil {
		return nil, err
	}
	out := make([]scraper.Entry, len(qs))
	for i, q := range qs {
		out[i] = fromQueueEntry(q)
	}
	return out, nil
}

// TemplateStats implements scraper.TemplateSource.
func (f *runFrontier) TemplateStats(ctx context.Context) ([]scraper.TemplateStat, error) {
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

func toQueueEntry(e scraper.Entry) archive.QueueEntry {
	return archive.QueueEntry{
		URL: e.URL, Depth: e.Depth, Kind: string(e.Kind), Via: e.Via,
		Attempts: e.Attempts, NotBefore: e.NotBefore, Request: e.Request, Listed: e.Listed,
	}
}

func fromQueueEntry(q archive.QueueEntry) scraper.Entry {
	return scraper.Entry{
		URL: q.URL, Depth: q.Depth, Kind: scraper.Kind(q.Kind), Via: q.Via,
		Attempts: q.Attempts, NotBefore: q.NotBefore, Request: q.Request, Listed: q.Listed,
	}
}

func toQueueEntries(es []scraper.Entry) []archive.QueueEntry {
	out := make([]archive.QueueEntry, len(es))
	for i, e := range es {
		out[i] = toQueueEntry(e)
	}
	return out
}
