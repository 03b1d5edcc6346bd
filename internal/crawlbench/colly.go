package crawlbench

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"

	"github.com/gocolly/colly/v2"
)

// BareColly crawls startURL with a colly v2 collector written the way colly's
// README and its parallel example show it: an asynchronous collector limited to
// the start URL's host, one LimitRule with the given parallelism, and an
// OnHTML("a[href]") callback that visits every link. Everything else is colly's
// default: the in-memory visited store, the default HTTP transport, no robots.txt,
// a 10 MiB body cap.
//
// It counts responses and stops (cancelling the requests still queued) once
// maxPages responses have arrived, or when the site is exhausted; maxPages <= 0
// means no limit. Colly's visited check (IsVisited, then Visited) is not atomic,
// so under Async the same URL can be fetched more than once, and it treats URLs
// that differ only in their fragment as different pages; every such response
// counts in Pages, once in Unique.
//
// The result has Elapsed and CPU measured in this process; MaxRSS is left 0 (see
// ServeChild).
func BareColly(ctx context.Context, startURL string, parallelism, maxPages int) (Result, error) {
	u, err := url.Parse(startURL)
	if err != nil {
		return Result{}, fmt.Errorf("bare colly: start URL: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	c := colly.NewCollector(
		colly.Async(true),
		colly.AllowedDomains(u.Hostname()),
		colly.StdlibContext(ctx),
	)
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: parallelism}); err != nil {
		return Result{}, fmt.Errorf("bare colly: limit: %w", err)
	}

	var (
		responses atomic.Int64
		errs      atomic.Int64
		mu        sync.Mutex
		seen      = make(map[string]struct{})
	)
	c.OnHTML("a[href]", func(e *colly.HTMLElement) {
		_ = e.Request.Visit(e.Attr("href")) // "already visited" and out-of-domain errors are expected
	})
	c.OnResponse(func(r *colly.Response) {
		key := pageKey(r.Request.URL)
		mu.Lock()
		seen[key] = struct{}{}
		mu.Unlock()
		if n := responses.Add(1); maxPages > 0 && n >= int64(maxPages) {
			cancel()
		}
	})
	c.OnError(func(r *colly.Response, err error) {
		if r != nil && r.StatusCode >= 203 {
			// An HTTP error status is still a response.
			key := pageKey(r.Request.URL)
			mu.Lock()
			seen[key] = struct{}{}
			mu.Unlock()
			responses.Add(1)
			return
		}
		if ctx.Err() == nil { // not the requests cancelled at maxPages
			errs.Add(1)
		}
	})

	m := StartMeter()
	if err := c.Visit(startURL); err != nil {
		return Result{}, fmt.Errorf("bare colly: visit %s: %w", startURL, err)
	}
	c.Wait()
	mu.Lock()
	unique := len(seen)
	mu.Unlock()
	return m.Stop(Result{Pages: int(responses.Load()), Unique: unique, Errors: int(errs.Load())}), nil
}

// pageKey is u without its fragment: the page a server actually sends. (Colly
// itself treats /a and /a#b as two URLs and fetches both.)
func pageKey(u *url.URL) string {
	if u.Fragment == "" && u.RawFragment == "" {
		return u.String()
	}
	v := *u
	v.Fragment, v.RawFragment = "", ""
	return v.String()
}
