package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/ingest"
	"github.com/newsarchive/newsarchive/scraper"
)

// startProgress reports crawl progress until the returned stop function is
// called: a live line on a terminal, a log line every 10 s otherwise, nothing with
// --quiet.
func startProgress(e *env, logger *slog.Logger, opts *crawlOptions, c *scraper.Crawler, run *ingest.Run, start time.Time) (stop func()) {
	if opts.quiet {
		return func() {}
	}
	interval := 10 * time.Second
	if opts.progress && e.term == nil {
		opts.progress = false // no terminal to draw on
	}
	if opts.progress {
		interval = 500 * time.Millisecond
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		var (
			fleet   fleetTotals
			fleetAt time.Time
		)
		for {
			select {
			case <-done:
				if opts.progress {
					e.term.setStatus("")
				}
				return
			case <-t.C:
				p := c.Progress()
				el := time.Since(start).Seconds()
				rate := 0.0
				if el > 0 {
					rate = float64(p.Fetched) / el
				}
				if opts.fleetCounts != nil && (!opts.progress || time.Since(fleetAt) >= 2*time.Second) {
					// The fleet's totals (PostgreSQL): one query every
					// two seconds at most.
					qctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
					if c, err := opts.fleetCounts(qctx); err == nil {
						fleet, fleetAt = fleetTotalsOf(c), time.Now()
					}
					cancel()
				}
				switch {
				case opts.progress && opts.fleetCounts != nil:
					e.term.setStatus(fmt.Sprintf("%s fetched %d · articles %d · errors %d · %.1f pages/s · fleet done %d · queued %d · in flight %d",
						spinner(el), p.Fetched, run.Counts().Articles, p.Failed, rate, fleet.Done, fleet.Queued, fleet.InFlight))
				case opts.progress:
					e.term.setStatus(fmt.Sprintf("%s fetched %d · articles %d · queue %d · errors %d · %.1f pages/s",
						spinner(el), p.Fetched, run.Counts().Articles, p.Queued, p.Failed, rate))
				case opts.fleetCounts != nil:
					logger.Info("crawl progress", "fetched", p.Fetched, "articles", run.Counts().Articles,
						"errors", p.Failed, "pages_per_second", fmt.Sprintf("%.1f", rate),
						"fleet_done", fleet.Done, "fleet_queued", fleet.Queued, "fleet_in_flight", fleet.InFlight)
				default:
					logger.Info("crawl progress", "fetched", p.Fetched, "articles", run.Counts().Articles,
						"queue", p.Queued, "errors", p.Failed, "pages_per_second", fmt.Sprintf("%.1f", rate))
				}
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

func spinner(seconds float64) string {
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	return frames[int(seconds*2)%len(frames)]
}

// formatCounts renders a count map as "a=1 b=2", largest first.
func formatCounts(m map[string]int) string {
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range m {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	parts := make([]string, len(kvs))
	for i, x := range kvs {
		parts[i] = fmt.Sprintf("%s=%d", x.k, x.v)
	}
	return strings.Join(parts, " ")
}
