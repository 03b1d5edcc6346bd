package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/scraper"
)

// fetchOne fetches a single URL through the crawler, so that it gets the same
// robots.txt, politeness, timeout, size-cap and retry handling as a crawl, and
// returns its response. Nothing is archived and no link is followed.
func fetchOne(ctx context.Context, cfg scraper.Config, rawURL string) (*scraper.Response, error) {
	canon, err := scraper.Canonicalize(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	f := &oneShot{url: canon}
	c, err := scraper.New(cfg, f, f, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	if err := c.Seed(ctx, []string{rawURL}); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if _, err := c.Run(ctx, scraper.RunOptions{}); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	r := f.final()
	switch {
	case r == nil:
		return nil, fmt.Errorf("fetch %s: no answer", rawURL)
	case r.Response == nil || r.State == scraper.StateSkipped && r.Reason == scraper.ReasonRobots:
		return nil, fmt.Errorf("fetch %s: %s %s", rawURL, r.Reason, r.Detail)
	}
	return r.Response, nil
}

// oneShot is a frontier and sink holding exactly one URL: the crawler fetches it
// (with retries) and nothing it discovers.
type oneShot struct {
	url string

	mu      sync.Mutex
	entry   *scraper.Entry
	claimed bool
	result  *scraper.Result
}

func (o *oneShot) Add(_ context.Context, es []scraper.Entry) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, e := range es {
		if e.URL == o.url && o.entry == nil {
			e := e
			o.entry = &e
			return 1, nil
		}
	}
	return 0, nil
}

func (o *oneShot) Claim(_ context.Context, n int) ([]scraper.Entry, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.entry == nil || o.claimed || n < 1 || time.Now().Before(o.entry.NotBefore) {
		return nil, nil
	}
	o.claimed = true
	return []scraper.Entry{*o.entry}, nil
}

func (o *oneShot) Pending(context.Context) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.entry == nil || (o.claimed && o.result != nil && o.result.State != scraper.StateQueued) {
		return 0, nil
	}
	return 1, nil
}

func (o *oneShot) Commit(_ context.Context, r *scraper.Result) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if r.Entry.URL != o.url {
		return nil
	}
	o.result = r
	if r.State == scraper.StateQueued { // a retry: hand it out again
		e := r.Entry
		o.entry = &e
		o.claimed = false
	}
	return nil
}

func (o *oneShot) final() *scraper.Result {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.result
}
