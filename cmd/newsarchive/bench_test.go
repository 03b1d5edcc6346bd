package main

// The crawl benchmark of issue 3 (and, with NEWSARCHIVE_BENCH_PAGES=50000, the
// memory benchmark of issue 4). It is a benchmark, not a timed test: run it
// explicitly,
//
//	go test -run '^$' -bench BenchmarkCrawl -benchtime 1x -timeout 60m ./cmd/newsarchive
//
// Knobs (environment):
//
//	NEWSARCHIVE_BENCH_PAGES       article pages of the generated site (default 10000;
//	                              50000 is issue 4's memory benchmark: peak RSS < 300 MB)
//	NEWSARCHIVE_BENCH_LATENCY     server latency per request, e.g. 100ms (default 0;
//	                              100ms is issue 3's latency variant)
//	NEWSARCHIVE_BENCH_PARALLELISM concurrent requests of every crawler (default 32)
//	NEWSARCHIVE_BENCH_MODES       modes to run, comma-separated (default pipeline,colly,nethttp)
//	NEWSARCHIVE_BENCH_CPUPROFILE  write each mode's CPU profile to this path, with the
//	                              mode inserted before the extension (cpu.prof →
//	                              cpu.pipeline.prof); read it with go tool pprof -top
//	NEWSARCHIVE_BENCH_TRACE       likewise, an execution trace (go tool trace; e.g.
//	                              go tool trace -pprof=sync FILE for where goroutines wait)
//	NEWSARCHIVE_BENCH_DB          keep the pipeline's archive in this (new) file instead
//	                              of a temporary one, to inspect it afterwards
//
// The generated site is served on 127.0.0.1 by this (parent) process; each mode
// crawls it in a child process (crawlbench.RunChild) so that the CPU time and peak
// memory reported are the crawler's alone. The server's own counters give the
// requests and duplicate fetches of each mode (reset between modes); unique
// pages are the distinct URLs a crawler got a response for, as it counts them.
// Every mode gets the same page budget (the site's article count) and
// parallelism, and starts from the home page; the pipeline's Delay is 0
// (loopback). Run each mode once (-benchtime 1x); take medians with -count.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/newsarchive/newsarchive/ingest"
	"github.com/newsarchive/newsarchive/internal/crawlbench"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/scraper"
)

// benchArgDB is the pipeline mode's argument naming the archive file to keep.
const benchArgDB = "db"

// benchModePipeline is the full newsarchive pipeline: fetch, store raw, extract,
// store record, index.
const benchModePipeline = "pipeline"

// TestCrawlBenchChild is the child side of BenchmarkCrawl (crawlbench.RunChild
// re-executes this test binary to run one mode); it skips itself otherwise.
func TestCrawlBenchChild(t *testing.T) {
	if _, ok := crawlbench.ChildMode(); !ok {
		t.Skip("run by BenchmarkCrawl in a child process only")
	}
	modes := crawlbench.BaselineModes()
	modes[benchModePipeline] = benchPipeline
	modes[benchModePipelineWARC] = benchPipelineWARC // warc_bench_test.go
	modes[benchModeImportBomb] = benchImportBomb     // import_mem_bench_test.go
	if err := crawlbench.ServeChild(context.Background(), os.Stdout, modes); err != nil {
		t.Fatal(err)
	}
}

// benchPipeline crawls args[url] with the crawl command's code path (crawl) into
// a fresh archive: args[db], or a file in a temporary directory removed after.
func benchPipeline(ctx context.Context, args map[string]string) (crawlbench.Result, error) {
	par, err := crawlbench.IntArg(args, crawlbench.ArgParallelism, 32)
	if err != nil {
		return crawlbench.Result{}, err
	}
	maxPages, err := crawlbench.IntArg(args, crawlbench.ArgMaxPages, 0)
	if err != nil {
		return crawlbench.Result{}, err
	}
	db := args[benchArgDB]
	if db == "" {
		dir, err := os.MkdirTemp("", "newsarchive-bench-")
		if err != nil {
			return crawlbench.Result{}, err
		}
		defer os.RemoveAll(dir)
		db = filepath.Join(dir, "bench.db")
	} else if _, err := os.Stat(db); err == nil {
		return crawlbench.Result{}, fmt.Errorf("%s exists; the benchmark needs a fresh archive", db)
	}

	cfg := scraper.DefaultConfig()
	cfg.Parallelism = par
	cfg.Delay = 0
	cfg.MaxPages = maxPages
	opts := &crawlOptions{
		db:    db,
		seeds: []string{args[crawlbench.ArgURL]},
		cfg:   cfg,
		quiet: true,
		// crawl --warc DIR (benchPipelineWARC)
		warcDir: args[benchArgWARC], warcMaxSize: ingest.DefaultWARCMaxSize,
	}
	e := &env{
		stdout:   io.Discard,
		stderr:   io.Discard,
		getenv:   func(string) string { return "" },
		hardStop: ctx,
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	m := crawlbench.StartMeter()
	sum, err := crawl(ctx, e, logger, opts)
	if err != nil {
		return crawlbench.Result{}, err
	}
	if sum.Interrupted {
		return crawlbench.Result{}, fmt.Errorf("pipeline crawl interrupted")
	}
	// Pages counts the raw pages archived; Unique the frontier entries done,
	// each a distinct URL of this run.
	unique := sum.Outcomes[string(scraper.StateDone)]
	if unique == 0 {
		unique = int(sum.Pages)
	}
	return m.Stop(crawlbench.Result{Pages: int(sum.Pages), Unique: unique}), nil
}

// benchRow is one mode's line of the table.
type benchRow struct {
	mode     string
	res      crawlbench.Result
	requests int64 // requests the server received (cancelled ones included)
	dups     int64 // requests for a URL the server had already been asked for
}

// pagesPerSec is unique pages per second: distinct URLs the crawler got a
// response for (requests it cancelled at its page budget do not count).
func (r benchRow) pagesPerSec() float64 { return r.res.PagesPerSec() }

func (r benchRow) cpuMsPerPage() float64 {
	return float64(r.res.CPUPerPage()) / float64(time.Millisecond)
}

func (r benchRow) peakMB() float64 { return float64(r.res.MaxRSS) / (1 << 20) }

// BenchmarkCrawl crawls a generated news site with the full pipeline, a bare
// colly collector and a raw net/http worker pool, each in its own child process,
// and prints a table and the pipeline's ratios to the baselines. See the top of
// this file for how to run it.
func BenchmarkCrawl(b *testing.B) {
	pages := benchEnvInt(b, "NEWSARCHIVE_BENCH_PAGES", 10000)
	par := benchEnvInt(b, "NEWSARCHIVE_BENCH_PARALLELISM", 32)
	latency := time.Duration(0)
	if s := os.Getenv("NEWSARCHIVE_BENCH_LATENCY"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatalf("NEWSARCHIVE_BENCH_LATENCY: %v", err)
		}
		latency = d
	}
	modes := []string{benchModePipeline, crawlbench.ModeColly, crawlbench.ModeNetHTTP}
	if s := os.Getenv("NEWSARCHIVE_BENCH_MODES"); s != "" {
		modes = strings.Split(s, ",")
	}
	profile := os.Getenv("NEWSARCHIVE_BENCH_CPUPROFILE")
	tracePath := os.Getenv("NEWSARCHIVE_BENCH_TRACE")

	site := startBenchSite(b, pages, latency)
	ctx, cancel := context.WithTimeout(context.Background(), 55*time.Minute)
	defer cancel()

	b.ResetTimer()
	for range b.N {
		var rows []benchRow
		for _, mode := range modes {
			site.reset()
			args := map[string]string{
				crawlbench.ArgURL:         site.url,
				crawlbench.ArgParallelism: strconv.Itoa(par),
				crawlbench.ArgMaxPages:    strconv.Itoa(pages),
			}
			if profile != "" {
				args[crawlbench.ArgCPUProfile] = benchModeFile(profile, mode)
			}
			if db := os.Getenv("NEWSARCHIVE_BENCH_DB"); db != "" && mode == benchModePipeline {
				args[benchArgDB] = db
			}
			if tracePath != "" {
				args[crawlbench.ArgTrace] = benchModeFile(tracePath, mode)
			}
			res, err := crawlbench.RunChild(ctx, mode, args)
			if err != nil {
				b.Fatalf("%s: %v", mode, err)
			}
			rows = append(rows, benchRow{mode: mode, res: res,
				requests: int64(site.site.TotalRequests()), dups: int64(site.site.DuplicateFetches())})
		}
		benchReport(b, pages, par, latency, rows)
	}
}

// benchReport prints the table and the ratios and reports them as metrics.
func benchReport(b *testing.B, pages, par int, latency time.Duration, rows []benchRow) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "\ncrawl benchmark: generated site of %d articles, parallelism %d, server latency %v\n", pages, par, latency)
	tw := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mode\trequests\tresponses\tunique\tdup fetches\tseconds\tunique pages/s\tCPU ms/page\tpeak RSS MB\t")
	byMode := map[string]benchRow{}
	for _, r := range rows {
		byMode[r.mode] = r
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.1f\t%.1f\t%.2f\t%.1f\t\n",
			r.mode, r.requests, r.res.Pages, r.res.Unique, r.dups, r.res.Elapsed.Seconds(), r.pagesPerSec(), r.cpuMsPerPage(), r.peakMB())
		b.ReportMetric(r.pagesPerSec(), r.mode+"_pages/s")
		b.ReportMetric(r.cpuMsPerPage(), r.mode+"_cpu_ms/page")
		b.ReportMetric(r.peakMB(), r.mode+"_peak_MB")
		b.ReportMetric(float64(r.dups), r.mode+"_dups")
	}
	tw.Flush()
	p, okP := byMode[benchModePipeline]
	if okP {
		fmt.Fprintf(&sb, "targets (pipeline): CPU %.2f ms/page (≤ 6), duplicate fetches %d (0), peak RSS %.1f MB (≤ 200; ≤ 300 at 50,000 pages)\n",
			p.cpuMsPerPage(), p.dups, p.peakMB())
	}
	for _, base := range []struct {
		mode, want string
	}{{crawlbench.ModeColly, "≥ 2 at 0 latency"}, {crawlbench.ModeNetHTTP, "≥ 0.85 at 100ms latency"}} {
		r, ok := byMode[base.mode]
		if !okP || !ok || r.pagesPerSec() == 0 {
			continue
		}
		ratio := p.pagesPerSec() / r.pagesPerSec()
		fmt.Fprintf(&sb, "ratio pipeline/%s (unique pages/s): %.2f (target %s)\n", base.mode, ratio, base.want)
		b.ReportMetric(ratio, "pipeline/"+base.mode)
	}
	fmt.Print(sb.String())
}

// benchModeFile inserts mode before path's extension: cpu.prof → cpu.pipeline.prof.
func benchModeFile(path, mode string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "." + mode + ext
}

func benchEnvInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// benchSite is the generated site served on loopback by the parent process.
type benchSite struct {
	url  string
	site *testsite.GenSite
}

func startBenchSite(b *testing.B, pages int, latency time.Duration) *benchSite {
	site := testsite.NewGenerated(testsite.GenOptions{Pages: pages, Latency: latency})
	srv := httptest.NewServer(site)
	b.Cleanup(srv.Close)
	return &benchSite{url: srv.URL + "/", site: site}
}

func (s *benchSite) reset() { s.site.ResetCounters() }
