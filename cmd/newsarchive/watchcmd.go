package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/ingest"
	"github.com/newsarchive/newsarchive/watch"
)

// testClockEnv, when set (by tests only), runs the watch schedule on a
// scaled clock: "START_UNIX_NANO,ORIGIN_UNIX_NANO,FACTOR" (see watch.ScaledClock).
const testClockEnv = "NEWSARCHIVE_TEST_CLOCK"

// watchOptions are the watch command's settings after flag parsing.
type watchOptions struct {
	db       string
	cfg      watch.Config
	quiet    bool
	verbose  bool
	json     bool
	progress bool
	maxParse int64
	// statusEvery is how often the status is logged when stderr is no terminal.
	statusEvery time.Duration
}

const watchExamples = `  newsarchive watch --contact mailto:me@example.org https://www.example-news.com/
  newsarchive watch --db news.db https://www.example-news.com/ https://www.example-news.com/feed.xml
  newsarchive watch --revisit 30m,2h,12h,2d --min-interval 5m https://www.example-news.com/politics/
Seeds are discovery sources: listing pages (front page, sections), feeds and
sitemaps; each site's /sitemap.xml and robots.txt Sitemap: lines are added.
The watch runs until Ctrl-C or SIGTERM; its schedule is kept in the archive,
so running the same command again resumes it.
`

func runWatch(ctx context.Context, e *env, args []string) error {
	opts, err := parseWatchFlags(e, args)
	if err != nil {
		return err
	}
	if len(opts.cfg.Seeds) == 0 {
		return usagef("watch needs at least one URL")
	}
	if v := e.getenv(testClockEnv); v != "" {
		c, err := parseTestClock(v)
		if err != nil {
			return fmt.Errorf("%s: %w", testClockEnv, err)
		}
		opts.cfg.Clock = c
	}
	logger := newLogger(e, opts.quiet, opts.json)
	if opts.verbose && !opts.quiet {
		logger = newLevelLogger(e, slog.LevelDebug, opts.json)
	}
	sum, err := watchSite(ctx, e, logger, opts)
	if sum != nil {
		printWatchSummary(e.stdout, sum, opts.json)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: watch stopped; run the same command again to resume it", errInterrupted)
}

func parseWatchFlags(e *env, args []string) (*watchOptions, error) {
	wc := watch.DefaultConfig()
	cfg := wc.Scraper
	fs := newFlagSet(e, "watch", "watch [flags] URL...", watchExamples)
	ff := addFetchFlags(fs, &cfg)
	fs.DurationVar(&wc.MinInterval, "min-interval", wc.MinInterval, "poll a discovery source at most this often (its interval halves when it changed)")
	fs.DurationVar(&wc.MaxInterval, "max-interval", wc.MaxInterval, "poll a discovery source at least this often (its interval grows ×1.5 when unchanged)")
	revisit := fs.String("revisit", "1h,6h,1d,3d,7d,30d", "check each article again this long after it was first seen (units s, m, h, d)")
	statusEvery := fs.Duration("status-every", time.Minute, "log the watch status this often when stderr is not a terminal")
	if err := parseFlags(e, fs, args); err != nil {
		return nil, err
	}
	if err := ff.apply(); err != nil {
		return nil, err
	}
	var err error
	if wc.Revisit, err = parseRevisit(*revisit); err != nil {
		return nil, usagef("--revisit: %v", err)
	}
	if *statusEvery <= 0 {
		return nil, usagef("--status-every must be > 0")
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = userAgent(cfg.Contact)
	}
	if err := cfg.Validate(); err != nil {
		return nil, usagef("%v", err)
	}
	wc.Scraper = cfg
	wc.Seeds = fs.Args()
	if err := wc.Validate(); err != nil {
		return nil, usagef("%v", err)
	}
	return &watchOptions{
		db: dbPath(e, *ff.db), cfg: wc,
		quiet: *ff.quiet, verbose: *ff.verbose, json: *ff.asJSON, progress: e.isTTY && !*ff.quiet,
		maxParse: *ff.maxParse, statusEvery: *statusEvery,
	}, nil
}

// parseRevisit reads "1h,6h,1d": durations, with d for days.
func parseRevisit(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		var d time.Duration
		if n, ok := strings.CutSuffix(p, "d"); ok {
			f, err := strconv.ParseFloat(n, 64)
			if err != nil {
				return nil, fmt.Errorf("bad duration %q", p)
			}
			d = time.Duration(f * float64(24*time.Hour))
		} else {
			var err error
			if d, err = time.ParseDuration(p); err != nil {
				return nil, fmt.Errorf("bad duration %q", p)
			}
		}
		if d <= 0 || (len(out) > 0 && d <= out[len(out)-1]) {
			return nil, fmt.Errorf("offsets must be positive and increasing (%q)", p)
		}
		out = append(out, d)
	}
	return out, nil
}

func parseTestClock(v string) (watch.Clock, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 3 {
		return nil, fmt.Errorf("want START_UNIX_NANO,ORIGIN_UNIX_NANO,FACTOR, got %q", v)
	}
	start, err1 := strconv.ParseInt(parts[0], 10, 64)
	origin, err2 := strconv.ParseInt(parts[1], 10, 64)
	factor, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || factor <= 0 {
		return nil, fmt.Errorf("bad value %q", v)
	}
	return watch.NewScaledClock(time.Unix(0, start), time.Unix(0, origin), factor), nil
}

// watchSummary is the report printed when a watch stops (also its --json form).
type watchSummary struct {
	DB          string  `json:"db"`
	RunID       int64   `json:"run_id"`
	Rounds      int64   `json:"rounds"`
	Polls       int64   `json:"polls"`
	Fetches     int64   `json:"first_fetches"`
	Revisits    int64   `json:"revisits"`
	NotModified int64   `json:"not_modified"`
	NewArticles int64   `json:"new_articles"`
	NewVersions int64   `json:"new_versions"`
	Events      int64   `json:"events"`
	Failures    int64   `json:"failures"`
	Seconds     float64 `json:"seconds"`
}

// watchSite runs a watch into opts.db until ctx ends.
func watchSite(ctx context.Context, e *env, logger *slog.Logger, opts *watchOptions) (*watchSummary, error) {
	ex, store, closeArchive, err := openForFetching(ctx, opts.db, opts.maxParse)
	if err != nil {
		return nil, err
	}
	defer closeArchive()

	// StartRun resumes the latest unfinished run: a watch must not take
	// over (and then close) an interrupted crawl.
	if last, ok, err := ingest.LatestUnfinished(ctx, store); err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	} else if ok && !isWatchRun(last) {
		return nil, fmt.Errorf("run %d, a crawl, is unfinished: finish it (run the same crawl again) before watching", last.ID)
	}
	cfg := opts.cfg
	settings := map[string]any{
		"command": "watch", "parallelism": cfg.Scraper.Parallelism, "delay": cfg.Scraper.Delay.String(),
		"domains": cfg.Scraper.AllowedDomains, "include": patterns(cfg.Scraper.Include), "exclude": patterns(cfg.Scraper.Exclude),
		"ignore_robots": cfg.Scraper.IgnoreRobots, "user_agent": cfg.Scraper.UserAgent, "version": version,
		"min_interval": cfg.MinInterval.String(), "max_interval": cfg.MaxInterval.String(), "revisit": durations(cfg.Revisit),
		"max_parse": opts.maxParse,
	}
	pl := &ingest.Pipeline{Store: store, Extractor: ex, Logger: logger}
	run, err := pl.Start(ctx, cfg.Seeds, settings)
	if err != nil {
		return nil, err
	}
	runID := run.ID
	logger.Info("watch run", "run", runID, "resumed", run.Resumed, "db", opts.db)

	cfg.RunID, cfg.Logger = runID, logger
	w, err := watch.New(cfg, store, func() watch.BatchSink { return run.NewSink() })
	if err != nil {
		return nil, err
	}
	start := time.Now()
	stopStatus := startWatchStatus(e, logger, opts, w, store)
	runErr := w.Run(ctx)
	stopStatus()

	st := w.Stats()
	counts := run.Counts()
	sum := &watchSummary{
		DB: opts.db, RunID: runID, Rounds: st.Rounds, Polls: st.Polls, Fetches: st.Fetches, Revisits: st.Revisits,
		NotModified: st.NotModified, NewArticles: counts.NewArticles, NewVersions: counts.NewVersions,
		Events: st.Events, Failures: st.Failures, Seconds: time.Since(start).Seconds(),
	}
	// A stopped watch is finished: its state is the schedule, which the next
	// watch resumes; a crawl started meanwhile must not resume this run.
	status := archive.RunFinished
	if runErr != nil {
		status = archive.RunFailed
	}
	runCounts := map[string]int{
		"polls": int(st.Polls), "first_fetches": int(st.Fetches), "revisits": int(st.Revisits),
		"not_modified": int(st.NotModified), "new_articles": int(sum.NewArticles), "new_versions": int(sum.NewVersions),
		"events": int(st.Events), "failures": int(st.Failures),
	}
	if ferr := run.Finish(ctx, status, runCounts); ferr != nil && runErr == nil {
		runErr = ferr
	}
	return sum, runErr
}

func isWatchRun(r archive.Run) bool {
	var s struct {
		Command string `json:"command"`
	}
	return json.Unmarshal(r.Settings, &s) == nil && s.Command == "watch"
}

func durations(ds []time.Duration) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// startWatchStatus reports the watch until the returned function is called:
// a live line on a terminal, a log line every opts.statusEvery otherwise,
// nothing with --quiet.
func startWatchStatus(e *env, logger *slog.Logger, opts *watchOptions, w *watch.Watcher, store *archive.Store) (stop func()) {
	if opts.quiet {
		return func() {}
	}
	live := opts.progress && e.term != nil
	interval := opts.statusEvery
	if live {
		interval = time.Second
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				if live {
					e.term.setStatus("")
				}
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			now := w.Now()
			st, err1 := store.WatchStatusAt(ctx, now)
			newToday, changedToday, err2 := store.ArticleActivity(ctx, startOfDay(now))
			cancel()
			if err1 != nil || err2 != nil {
				continue // the next tick tries again
			}
			next := "none"
			if !st.NextCheck.IsZero() {
				next = max(st.NextCheck.Sub(now), 0).Round(time.Second).String()
			}
			s := w.Stats()
			if live {
				e.term.setStatus(fmt.Sprintf("watching %d sources, %d articles · due %d sources, %d articles · today %d new, %d changed · next check in %s",
					st.Sources, st.URLs, st.SourcesDue, st.URLsDue, newToday, changedToday, next))
				continue
			}
			logger.Info("watch status", "sources", st.Sources, "sources_due", st.SourcesDue, "urls", st.URLs,
				"urls_due", st.URLsDue, "new_today", newToday, "changed_today", changedToday, "next_check_in", next,
				"polls", s.Polls, "revisits", s.Revisits, "not_modified", s.NotModified)
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

func printWatchSummary(w io.Writer, s *watchSummary, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(s)
		return
	}
	fmt.Fprintf(w, "watch stopped after %.1fs: %d polls, %d first fetches, %d revisits (%d not modified), %d new articles, %d changed, %d events, %d failures\n",
		s.Seconds, s.Polls, s.Fetches, s.Revisits, s.NotModified, s.NewArticles, s.NewVersions, s.Events, s.Failures)
	fmt.Fprintf(w, "  archive:   %s (run %d)\n", s.DB, s.RunID)
}

// startOfDay is the start of the UTC day of now (the watch's clock): the
// status line's "today".
func startOfDay(now time.Time) time.Time { return now.UTC().Truncate(24 * time.Hour) }
