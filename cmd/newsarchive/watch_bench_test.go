//go:build unix

package main

// BenchmarkWatchSteadyState: the cost of watching a site in steady state
// (issue 16). Run it explicitly:
//
//	go test -run '^$' -bench BenchmarkWatchSteadyState -benchtime 1x ./cmd/newsarchive
//
// 10,000 article URLs are under watch, first seen over the last 40 days and
// scheduled as a watch would have left them (default revisits +1h … +30d),
// and 50 sources: 5 busy listing pages that list every new article, 45
// quiet ones that each list one in 45. The site publishes an article every
// 10 simulated minutes; every URL answers 304 to its ETag. Each iteration
// simulates 24 hours on a fake clock (the watch jumps to its next wake-up)
// and reports requests per simulated hour (polls + revisits + first
// fetches), the share answered 304, and the process's CPU (user+system, by
// getrusage; the loopback server runs in this process too, so it is an upper
// bound) per simulated hour. Then the watch idles for two real seconds on
// the real clock with nothing due, and the CPU of that idle is reported.
// Asserted: most requests are conditional (304 share > 0.5), and idle CPU is
// under 2% of one core.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/ingest"
	"github.com/newsarchive/newsarchive/watch"
)

// steadySite serves the benchmark's sources and articles; new article k
// (k >= base) is published at t0 + (k-base)·every.
type steadySite struct {
	t0    time.Time
	every time.Duration
	base  int
	now   func() time.Time

	requests, notModified atomic.Int64
}

func (s *steadySite) latest(now time.Time) int { return s.base + int(now.Sub(s.t0)/s.every) }

func (s *steadySite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	now := s.now()
	p := r.URL.Path
	var body, etag string
	switch {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		return
	case strings.HasPrefix(p, "/src/"):
		i, _ := strconv.Atoi(strings.TrimPrefix(p, "/src/"))
		var b strings.Builder
		b.WriteString("<!doctype html><html><head><title>Section</title></head><body><ul>")
		last, n := s.latest(now), 0
		for k := last; k >= s.base && n < 20; k-- {
			if i < 5 || k%45 == i-5 {
				fmt.Fprintf(&b, `<li><a href="/a/%d">Story %d</a></li>`, k, k)
				n++
			}
		}
		b.WriteString("</ul></body></html>")
		body = b.String()
		etag = fmt.Sprintf(`"s%d-%d"`, i, len(body)+n*7919+last)
	case strings.HasPrefix(p, "/a/"):
		k, err := strconv.Atoi(strings.TrimPrefix(p, "/a/"))
		if err != nil || k > s.latest(now) {
			http.NotFound(w, r)
			return
		}
		etag = fmt.Sprintf(`"a%d"`, k)
		body = fmt.Sprintf(`<!doctype html><html><head><title>Story %d</title><meta property="og:type" content="article"></head>
<body><article><h1>Story %d</h1><p>By Ada Reporter</p><p>The council met on Tuesday evening and voted on the new budget for roads, schools and the harbour after a long debate.</p>
<p>Residents who attended said the decision would shape the town for years, and several speakers asked for a second vote.</p></article></body></html>`, k, k)
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		s.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkWatchSteadyState(b *testing.B) {
	const (
		articles = 10_000
		sources  = 50
		simDay   = 24 * time.Hour
	)
	ctx := b.Context()
	// A year ahead of the wall clock, so that once the simulation is over
	// nothing is due on the real clock (the idle measurement).
	t0 := time.Now().UTC().Add(365 * 24 * time.Hour).Truncate(time.Hour)
	clock := watch.NewFakeClock(t0)
	site := &steadySite{t0: t0, every: 10 * time.Minute, base: articles, now: clock.Now}
	srv := httptest.NewServer(site)
	defer srv.Close()

	db := filepath.Join(b.TempDir(), "watch.db")
	store, err := archive.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	cfg := watch.DefaultConfig()
	// The schedule a watch leaves: each URL at the revisit slot its age is in.
	var urls []archive.WatchURL
	age := 40 * 24 * time.Hour
	for k := range articles {
		first := t0.Add(-age + time.Duration(k)*(age/articles))
		u := archive.WatchURL{URL: fmt.Sprintf("%s/a/%d", srv.URL, k), FirstSeenAt: first, ETag: fmt.Sprintf(`"a%d"`, k)}
		u.Step, u.NextCheckAt = len(cfg.Revisit)+1, time.Time{}
		for j, off := range cfg.Revisit {
			if first.Add(off).After(t0) {
				u.Step, u.NextCheckAt = j+1, first.Add(off)
				break
			}
		}
		u.FinalURL = u.URL
		urls = append(urls, u)
	}
	if _, err := store.AddWatchURLs(ctx, t0, urls); err != nil {
		b.Fatal(err)
	}
	if err := store.SaveWatchURLs(ctx, urls); err != nil {
		b.Fatal(err)
	}
	var srcs []archive.WatchSource
	for i := range sources {
		srcs = append(srcs, archive.WatchSource{URL: fmt.Sprintf("%s/src/%d", srv.URL, i), Kind: archive.SourceListing,
			Interval: time.Hour, NextCheckAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := store.AddWatchSources(ctx, t0, srcs); err != nil {
		b.Fatal(err)
	}

	if st, err := store.WatchStatusAt(ctx, t0); err == nil {
		b.Logf("before: %+v", st)
	}
	ex, err := extract.Default()
	if err != nil {
		b.Fatal(err)
	}
	pl := &ingest.Pipeline{Store: store, Extractor: ex, Logger: slog.New(slog.DiscardHandler)}
	run, err := pl.Start(ctx, []string{srv.URL + "/src/0"}, map[string]any{"command": "watch"})
	if err != nil {
		b.Fatal(err)
	}
	cfg.Scraper.Delay = 0
	cfg.Scraper.Parallelism = 8
	cfg.Scraper.UserAgent = userAgent("")
	cfg.Seeds = []string{srv.URL + "/src/0"}
	cfg.RunID = run.ID
	newW := func(c watch.Clock) *watch.Watcher {
		cfg.Clock = c
		w, err := watch.New(cfg, store, func() watch.BatchSink { return run.NewSink() })
		if err != nil {
			b.Fatal(err)
		}
		return w
	}

	var simulated time.Duration
	var cpu time.Duration
	site.requests.Store(0)
	b.ResetTimer()
	for range b.N {
		end := clock.Now().Add(simDay)
		runCtx, cancel := context.WithCancel(ctx)
		w := newW(&stopClock{FakeClock: clock, end: end, cancel: cancel})
		c0 := cpuTime(b)
		if err := w.Run(runCtx); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime(b) - c0
		cancel()
		simulated += simDay
	}
	b.StopTimer()
	hours := simulated.Hours()
	req, nm := site.requests.Load(), site.notModified.Load()
	share := float64(nm) / float64(max(req, 1))
	b.ReportMetric(float64(req)/hours, "requests/simh")
	b.ReportMetric(share, "share-304")
	b.ReportMetric(float64(cpu.Milliseconds())/hours, "cpu-ms/simh")
	b.ReportMetric(float64(run.Counts().NewArticles)/hours, "new-articles/simh")

	// Idle: the real clock, nothing due for longer than we wait.
	st, err := store.WatchStatusAt(ctx, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	idleCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	w := newW(watch.RealClock())
	c0 := cpuTime(b)
	start := time.Now()
	if err := w.Run(idleCtx); err != nil {
		b.Fatal(err)
	}
	idle := float64(cpuTime(b)-c0) / float64(time.Since(start))
	b.ReportMetric(idle*100, "idle-cpu-%")
	b.Logf("%.0f simulated hours: %d requests (%d answered 304), %d new articles, cpu %v; idle %.2f%% of a core (%d sources, %d urls scheduled)",
		hours, req, nm, run.Counts().NewArticles, cpu, idle*100, st.Sources, st.URLs)
	if share <= 0.5 {
		b.Errorf("share of 304 answers = %.2f, want > 0.5 (conditional requests should dominate)", share)
	}
	if idle > 0.02 {
		b.Errorf("idle CPU = %.1f%% of a core, want < 2%%", idle*100)
	}
}
