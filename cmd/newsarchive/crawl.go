package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/frontier"
	"github.com/newsarchive/newsarchive/ingest"
	"github.com/newsarchive/newsarchive/scraper"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// crawlOptions are the crawl command's settings after flag parsing.
type crawlOptions struct {
	db       string
	seeds    []string
	cfg      scraper.Config
	quiet    bool
	verbose  bool // per-page logs (debug level)
	json     bool
	progress bool
	// warcDir, when set, also writes every exchange to WARC files there
	// (ingest.WARCRecorder), rotated at warcMaxSize bytes.
	warcDir     string
	warcMaxSize int64
	// maxParse caps the bytes of a page parsed into a DOM for extraction
	// (--max-parse); the page is archived whole.
	maxParse int64
	// noOptimize keeps the run's finish from merging the search index
	// after a large crawl (--no-optimize).
	noOptimize bool
	// worker names this process in a PostgreSQL fleet (--worker), and
	// leaseTTL is how long its host leases last unless renewed.
	worker   string
	leaseTTL time.Duration
	// fleetCounts, set on PostgreSQL, gives the fleet's totals for the
	// progress line and the summary.
	fleetCounts func(context.Context) (map[frontier.State]int, error)
}

// defaultMaxParse is --max-parse by default: a 4 MiB prefix holds the
// article of any real news page, and its DOM stays near 100 MB.
const defaultMaxParse = 4 << 20

// crawlMemoryLimit is the soft Go heap limit of a crawl (see crawl).
const crawlMemoryLimit = 160 << 20

const crawlExamples = `  newsarchive crawl https://www.tesmanian.com/blogs/tesmanian-blog
  newsarchive crawl --db tesmanian.db --contact mailto:me@example.org --max-pages 500 https://www.tesmanian.com/
  newsarchive crawl --json --quiet --delay 0 http://127.0.0.1:8080/   # loopback copy, no delay
  newsarchive crawl --db postgres://archive@db.example.org/news --worker crawler-3 https://www.example.org/
Run the same command again to resume an interrupted crawl; once a crawl has
finished, running it again re-crawls with conditional requests (ETag /
If-Modified-Since) and stores a new version of each article that changed.

With --db postgres://… (or NEWSARCHIVE_DB) the crawl is a worker of a fleet:
the same command on several machines joins one run and shares one frontier;
a host is fetched by one worker at a time (--parallelism and --delay hold
across the fleet). A worker exits when the fleet has nothing queued or in
flight. On a finished fleet archive a new crawl queues the seeds, sitemaps and
feeds again to find new links; URLs already archived are not fetched again.
`

func runCrawl(ctx context.Context, e *env, args []string) error {
	opts, err := parseCrawlFlags(e, args)
	if err != nil {
		return err
	}
	if len(opts.seeds) == 0 {
		return usagef("crawl needs at least one URL")
	}
	logger := newLogger(e, opts.quiet, opts.json)
	if opts.verbose && !opts.quiet {
		logger = newLevelLogger(e, slog.LevelDebug, opts.json)
	}
	if e.getenv("GOMEMLIMIT") == "" {
		// A soft heap limit: huge pages leave tens of megabytes of garbage
		// each (the body read, the DOM of its prefix, the record's JSON),
		// and with the default GOGC the heap may grow to twice what is live
		// before a collection. The limit makes the collector run sooner
		// instead; it costs CPU only near the limit. GOMEMLIMIT overrides.
		prev := debug.SetMemoryLimit(crawlMemoryLimit)
		defer debug.SetMemoryLimit(prev)
	}
	sum, err := crawl(ctx, e, logger, opts)
	if sum != nil {
		printCrawlSummary(e.stdout, sum, opts.json)
	}
	if err != nil {
		return err
	}
	if sum.Interrupted {
		return errInterrupted
	}
	return nil
}

func parseCrawlFlags(e *env, args []string) (*crawlOptions, error) {
	cfg := scraper.DefaultConfig()
	fs := newFlagSet(e, "crawl", "crawl [flags] URL...", crawlExamples)
	ff := addFetchFlags(fs, &cfg)
	fs.IntVar(&cfg.MaxPages, "max-pages", cfg.MaxPages, "stop after fetching this many pages (0 = no limit)")
	fs.IntVar(&cfg.MaxDepth, "max-depth", cfg.MaxDepth, "follow links at most this many hops from a seed; pagination, sitemaps and feeds add none (0 = no limit)")
	fs.IntVar(&cfg.PerHostPageBudget, "host-budget", cfg.PerHostPageBudget, "fetch at most this many pages per host in one run (0 = no limit)")
	fs.IntVar(&cfg.TemplateBudget, "trap-budget", cfg.TemplateBudget, "cut a URL pattern after this many pages in a row without an article or a new link (calendars, pagination: half; 0 = off)")
	warcDir := fs.String("warc", "", "also write every request and response, as they crossed the wire, to WARC/1.1 files in this directory (HTTP/1.1 only)")
	warcMax := fs.Int64("warc-max-size", ingest.DefaultWARCMaxSize, "start a new WARC file before one would grow past this many bytes")
	var requisites optionalBool
	fs.Var(&requisites, "page-requisites", "also fetch the stylesheets, images, icons and fonts of every page, from any host (default: on with --warc; --page-requisites=false turns them off)")
	noOptimize := fs.Bool("no-optimize", false, "do not merge the search index after a large crawl (it rewrites the whole index: minutes at a million articles)")
	worker := fs.String("worker", "", "PostgreSQL only: this worker's name in leases, pages, runs and logs (default host-pid)")
	leaseTTL := fs.Duration("lease-ttl", defaultLeaseTTL, "PostgreSQL only: a host lease lapses this long after its last renewal (renewed every third of it); a dead worker's hosts go back to the fleet then")
	if err := parseFlags(e, fs, args); err != nil {
		return nil, err
	}
	if *leaseTTL < 300*time.Millisecond {
		return nil, usagef("--lease-ttl must be at least 300ms")
	}
	if *warcMax <= 0 {
		return nil, usagef("--warc-max-size must be > 0")
	}
	cfg.PageRequisites = *warcDir != ""
	if requisites.set {
		cfg.PageRequisites = requisites.v
	}
	if err := ff.apply(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, usagef("%v", err)
	}
	return &crawlOptions{
		db:       dbPath(e, *ff.db),
		seeds:    fs.Args(),
		cfg:      cfg,
		quiet:    *ff.quiet,
		verbose:  *ff.verbose,
		json:     *ff.asJSON,
		progress: e.isTTY && !*ff.quiet,

		warcDir: *warcDir, warcMaxSize: *warcMax,
		maxParse: *ff.maxParse, noOptimize: *noOptimize,
		worker: cmp.Or(*worker, defaultWorker()), leaseTTL: *leaseTTL,
	}, nil
}

// crawlSummary is the final report of a crawl (also its --json form).
type crawlSummary struct {
	DB          string `json:"db"`
	RunID       int64  `json:"run_id"`
	Resumed     bool   `json:"resumed"`
	Interrupted bool   `json:"interrupted"`
	Pages       int64  `json:"pages_archived"`
	Requisites  int64  `json:"requisites_archived"` // --page-requisites: stylesheets, images, fonts (not in Pages)
	Articles    int64  `json:"articles"`
	NewArticles int64  `json:"new_articles"`
	NewVersions int64  `json:"new_versions"`
	Unchanged   int64  `json:"unchanged_articles"`
	NotModified int64  `json:"not_modified"`
	ExtractFail int64  `json:"extract_failures"`
	// Outcomes counts the entries that reached a final state in this run (done,
	// failed, skipped); Reasons counts their reason codes. Retries are counted
	// apart, and entries left queued by an interruption are in neither.
	Outcomes map[string]int `json:"outcomes"`
	Reasons  map[string]int `json:"reasons"`
	Retries  int64          `json:"retries"`
	// StoppedAtMaxPages is set when --max-pages ended the run with URLs still
	// queued; running the same command again continues it.
	StoppedAtMaxPages bool `json:"stopped_at_max_pages"`
	// TrapTemplates are the URL patterns trap defence cut in this run, with
	// the URLs skipped for each (reason trap_template).
	TrapTemplates []trapTemplate `json:"trap_templates"`
	Seconds       float64        `json:"seconds"`
	PagesPerSec   float64        `json:"pages_per_second"`
	// Worker, Fleet and DroppedStale are set on PostgreSQL: this worker's
	// name, the fleet frontier's totals at the end, and the pages this
	// worker fetched but did not store because its lease had been taken
	// over (another worker stores them).
	Worker       string       `json:"worker,omitempty"`
	Fleet        *fleetTotals `json:"fleet,omitempty"`
	DroppedStale int64        `json:"dropped_stale_lease,omitempty"`
}

// trapTemplate is a URL pattern trap defence cut, with its skipped URLs.
type trapTemplate struct {
	Template string `json:"template"`
	Skipped  int    `json:"skipped"`
}

// openForFetching loads the extraction rules (parsing at most maxParse
// bytes of a page) and opens the archive at db for writing, holding its
// lock: what crawl and watch both start with. closeArchive closes the
// store and releases the lock.
func openForFetching(ctx context.Context, db string, maxParse int64) (ex *extract.Extractor, store *archive.Store, closeArchive func(), err error) {
	if isPostgres(db) {
		return nil, nil, nil, errors.New("watch does not run on PostgreSQL yet: crawl and import do (watch a SQLite archive, then newsarchive copy it)")
	}
	if ex, err = loadExtractor(maxParse); err != nil {
		return nil, nil, nil, err
	}
	unlock, err := lockArchive(db)
	if err != nil {
		return nil, nil, nil, err
	}
	store, err = archive.Open(ctx, db)
	if err != nil {
		unlock()
		return nil, nil, nil, fmt.Errorf("open archive: %w", err)
	}
	return ex, store, func() { store.Close(); unlock() }, nil
}

// perLease is how many URLs a worker claims with one host's lease: 16, so
// that handing a host over (commit, release, claim) is paid once per 16
// fetches. How many hosts a worker holds is maxLeases'.
func perLease(scraper.Config) int { return 16 }

// maxLeases is how many hosts a worker holds at once: as many as its
// requests can serve (--workers over --parallelism, rounded up). A worker
// holding more would keep hosts it cannot fetch yet from the rest of the
// fleet (three workers on three hosts: one of them got none).
func maxLeases(cfg scraper.Config) int {
	if cfg.Workers <= 0 || cfg.Parallelism <= 0 {
		return 0
	}
	return (cfg.Workers + cfg.Parallelism - 1) / cfg.Parallelism
}

// loadExtractor loads the extraction rules, parsing at most maxParse bytes
// of a page.
func loadExtractor(maxParse int64) (*extract.Extractor, error) {
	ex, err := extract.Default()
	if err != nil {
		return nil, fmt.Errorf("load extraction rules: %w", err)
	}
	return ex.WithMaxParse(int(min(maxParse, math.MaxInt32))), nil
}

// crawl runs one crawl (or resumes one) into opts.db: a SQLite file, or a
// PostgreSQL database as a worker of the fleet.
func crawl(ctx context.Context, e *env, logger *slog.Logger, opts *crawlOptions) (*crawlSummary, error) {
	if opts.cfg.UserAgent == "" {
		opts.cfg.UserAgent = userAgent(opts.cfg.Contact)
	}
	var (
		ex    *extract.Extractor
		store ingest.Store
		fleet *ingest.FleetStore
		err   error
	)
	if isPostgres(opts.db) {
		if ex, err = loadExtractor(opts.maxParse); err != nil {
			return nil, err
		}
		logger = logger.With("worker", opts.worker)
		var closeStore func()
		fleet, closeStore, err = openFleetStore(ctx, opts.db, fleetSettings{
			worker: opts.worker, leaseTTL: opts.leaseTTL, delay: opts.cfg.Delay,
			perLease: perLease(opts.cfg), maxLeases: maxLeases(opts.cfg),
		}, logger)
		if err != nil {
			return nil, err
		}
		defer closeStore()
		store = fleet
		opts.fleetCounts = fleet.FleetCounts
	} else {
		var (
			sqlite       *archive.Store
			closeArchive func()
		)
		ex, sqlite, closeArchive, err = openForFetching(ctx, opts.db, opts.maxParse)
		if err != nil {
			return nil, err
		}
		defer closeArchive()
		store = sqlite
	}
	dbName := redactURL(opts.db)

	settings := map[string]any{
		"parallelism": opts.cfg.Parallelism, "delay": opts.cfg.Delay.String(),
		"max_pages": opts.cfg.MaxPages, "max_depth": opts.cfg.MaxDepth,
		"domains": opts.cfg.AllowedDomains, "include": patterns(opts.cfg.Include), "exclude": patterns(opts.cfg.Exclude),
		"ignore_robots": opts.cfg.IgnoreRobots, "user_agent": opts.cfg.UserAgent, "version": version,
		"trap_budget": opts.cfg.TemplateBudget, "max_parse": opts.maxParse,
	}
	pl := &ingest.Pipeline{Store: store, Extractor: ex, Logger: logger, Optimize: ingest.OptimizePolicy{Disabled: opts.noOptimize}}
	run, err := pl.Start(ctx, opts.seeds, settings)
	if err != nil {
		return nil, err
	}
	switch {
	case fleet != nil && run.Resumed:
		logger.Info("joined the fleet's crawl", "run", run.ID, "db", dbName)
	case run.Resumed:
		logger.Info("resuming interrupted crawl", "run", run.ID)
	default:
		logger.Info("crawl started", "run", run.ID, "db", dbName)
	}
	if opts.warcDir != "" { // crawl --warc
		rec, err := ingest.NewWARCRecorder(ingest.WARCOptions{
			Dir: opts.warcDir, MaxSize: max(opts.warcMaxSize, 0), Software: "newsarchive/" + version,
			UserAgent: opts.cfg.UserAgent, Robots: !opts.cfg.IgnoreRobots, Settings: settings,
		})
		if err != nil {
			return nil, err
		}
		defer rec.Close()
		run.RecordWARC(rec)
	}
	c, err := run.Crawler(opts.cfg, logger)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	stopProgress := func() {}
	res, runErr := run.Crawl(ctx, c, opts.seeds, scraper.RunOptions{HardStop: e.hardStop}, func() {
		stopProgress = startProgress(e, logger, opts, c, run, start)
	})
	stopProgress()
	if res.Status == "" { // seeding failed: the run stays as it is
		return nil, runErr
	}

	elapsed := time.Since(start)
	counts := run.Counts()
	sum := &crawlSummary{
		Outcomes: counts.Outcomes, Reasons: counts.Reasons,
		DB: dbName, RunID: run.ID, Resumed: run.Resumed,
		Interrupted: res.Interrupted || ctx.Err() != nil,
		Pages:       counts.Pages, Requisites: counts.Requisites, Articles: counts.Articles,
		NewArticles: counts.NewArticles, NewVersions: counts.NewVersions,
		Unchanged: counts.Unchanged, NotModified: counts.NotModified,
		ExtractFail:       counts.ExtractFails,
		Retries:           res.Retries,
		StoppedAtMaxPages: res.StoppedAtMaxPages,
		Seconds:           elapsed.Seconds(),
	}
	if elapsed > 0 {
		sum.PagesPerSec = float64(sum.Pages) / elapsed.Seconds()
	}
	for _, c := range res.TrapTemplates {
		sum.TrapTemplates = append(sum.TrapTemplates, trapTemplate{Template: c.Key, Skipped: c.N})
	}
	// Record the outcome even when interrupted: the run stays resumable.
	// On PostgreSQL, Finish first hands back the leases still held.
	if ferr := run.Finish(ctx, res.Status, counts.RunCounts()); ferr != nil && runErr == nil {
		runErr = ferr
	}
	if fleet != nil {
		sum.Worker, sum.DroppedStale = opts.worker, fleet.Dropped()
		if c, err := fleet.FleetCounts(context.WithoutCancel(ctx)); err == nil {
			t := fleetTotalsOf(c)
			sum.Fleet = &t
			logger.Info("worker finished", "status", res.Status, "pages", counts.Pages, "articles", counts.Articles,
				"fleet_done", t.Done, "fleet_queued", t.Queued, "fleet_in_flight", t.InFlight, "fleet_failed", t.Failed)
		} else {
			logger.Warn("fleet totals", "err", err)
		}
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		return sum, runErr
	}
	return sum, nil
}

func printCrawlSummary(w io.Writer, s *crawlSummary, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(s)
		return
	}
	verb := "finished"
	switch {
	case s.Interrupted:
		verb = "interrupted (run the same command again to resume)"
	case s.StoppedAtMaxPages:
		verb = "stopped at --max-pages (run the same command again to continue)"
	}
	fmt.Fprintf(w, "crawl %s in %.1fs: %d pages archived (%.1f pages/s), %d articles (%d new, %d changed, %d unchanged), %d not modified\n",
		verb, s.Seconds, s.Pages, s.PagesPerSec, s.Articles, s.NewArticles, s.NewVersions, s.Unchanged, s.NotModified)
	if s.Requisites > 0 {
		fmt.Fprintf(w, "  page requisites: %d archived (stylesheets, images, fonts)\n", s.Requisites)
	}
	if len(s.Outcomes) > 0 {
		fmt.Fprintf(w, "  by state:  %s\n", formatCounts(s.Outcomes))
	}
	if len(s.Reasons) > 0 {
		fmt.Fprintf(w, "  by reason: %s\n", formatCounts(s.Reasons))
	}
	if s.Retries > 0 {
		fmt.Fprintf(w, "  retries:   %d\n", s.Retries)
	}
	for _, t := range s.TrapTemplates {
		fmt.Fprintf(w, "  trap cut:  %s (%d URLs skipped)\n", t.Template, t.Skipped)
	}
	if s.ExtractFail > 0 {
		fmt.Fprintf(w, "  extraction failures: %d (raw pages kept)\n", s.ExtractFail)
	}
	if s.Fleet != nil {
		fmt.Fprintf(w, "  worker:    %s; %s\n", s.Worker, s.Fleet)
	}
	if s.DroppedStale > 0 {
		fmt.Fprintf(w, "  dropped:   %d fetched pages whose lease another worker had taken over\n", s.DroppedStale)
	}
	fmt.Fprintf(w, "  archive:   %s (run %d)\n", s.DB, s.RunID)
}

// optionalBool is a boolean flag that knows whether it was given.
type optionalBool struct{ set, v bool }

func (b *optionalBool) String() string {
	if b == nil {
		return "false"
	}
	return strconv.FormatBool(b.v)
}

func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	b.set, b.v = true, v
	return nil
}

// IsBoolFlag lets the flag be given without a value.
func (b *optionalBool) IsBoolFlag() bool { return true }

// userAgent names the tool, its version and how to reach whoever runs the crawl.
func userAgent(contact string) string {
	if contact == "" {
		return "newsarchive/" + version
	}
	return "newsarchive/" + version + " (+" + contact + ")"
}

func patterns(res []*regexp.Regexp) []string {
	out := make([]string, len(res))
	for i, re := range res {
		out[i] = re.String()
	}
	return out
}
