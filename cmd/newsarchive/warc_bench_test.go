package main

// The WARC benchmarks of issue 6:
//
//	go test -run '^$' -bench 'BenchmarkWARC|BenchmarkImport' -benchtime 1x -timeout 30m ./cmd/newsarchive
//
// BenchmarkWARC crawls the generated 2,000-page site (NEWSARCHIVE_BENCH_PAGES)
// with the full pipeline, with and without --warc, each in its own child
// process (crawlbench.RunChild), alternating the two NEWSARCHIVE_BENCH_ROUNDS
// times (default 5; which mode runs first alternates too), and reports the
// median throughput of each, the cost of WARC writing from those medians, and
// the median of each round's paired cost (1 - with/without in adjacent runs:
// robust to the machine's speed drifting between rounds). Target: at most
// 15 %. BenchmarkImport imports the WARC files of
// such a crawl into a fresh archive in process and reports pages/s (target: at
// least 500).

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/internal/crawlbench"
)

// benchModePipelineWARC is the full pipeline with crawl --warc.
const benchModePipelineWARC = "pipeline-warc"

// benchArgWARC is the pipeline mode's argument naming the WARC directory.
const benchArgWARC = "warc"

// benchPipelineWARC is benchPipeline writing WARC files to a temporary
// directory (or args[benchArgWARC]).
func benchPipelineWARC(ctx context.Context, args map[string]string) (crawlbench.Result, error) {
	if args[benchArgWARC] == "" {
		dir, err := os.MkdirTemp("", "newsarchive-bench-warc-")
		if err != nil {
			return crawlbench.Result{}, err
		}
		defer os.RemoveAll(dir)
		args[benchArgWARC] = dir
	}
	return benchPipeline(ctx, args)
}

func BenchmarkWARC(b *testing.B) {
	pages := benchEnvInt(b, "NEWSARCHIVE_BENCH_PAGES", 2000)
	par := benchEnvInt(b, "NEWSARCHIVE_BENCH_PARALLELISM", 32)
	rounds := benchEnvInt(b, "NEWSARCHIVE_BENCH_ROUNDS", 5)
	site := startBenchSite(b, pages, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	b.ResetTimer()
	for range b.N {
		rates := map[string][]float64{}
		cpu := map[string][]float64{}
		var paired []float64 // each round's cost: adjacent runs share the machine's state
		for round := range rounds {
			modes := []string{benchModePipeline, benchModePipelineWARC}
			if round%2 == 1 {
				modes[0], modes[1] = modes[1], modes[0] // neither mode always runs first
			}
			for _, mode := range modes {
				site.reset()
				res, err := crawlbench.RunChild(ctx, mode, map[string]string{
					crawlbench.ArgURL:         site.url,
					crawlbench.ArgParallelism: strconv.Itoa(par),
					crawlbench.ArgMaxPages:    strconv.Itoa(pages),
				})
				if err != nil {
					b.Fatalf("%s: %v", mode, err)
				}
				rates[mode] = append(rates[mode], res.PagesPerSec())
				cpu[mode] = append(cpu[mode], float64(res.CPUPerPage())/float64(time.Millisecond))
				fmt.Printf("%-14s %s\n", mode, res)
			}
			n := len(rates[benchModePipeline])
			paired = append(paired, 1-rates[benchModePipelineWARC][n-1]/rates[benchModePipeline][n-1])
		}
		plain, withWARC := median(rates[benchModePipeline]), median(rates[benchModePipelineWARC])
		cost := 1 - withWARC/plain
		fmt.Printf("WARC benchmark: %d pages, parallelism %d, %d rounds: pipeline %.1f pages/s (%.2f ms CPU/page), with --warc %.1f pages/s (%.2f ms CPU/page): WARC costs %.1f %% of throughput (target ≤ 15 %%); median of the rounds' paired costs %.1f %%\n",
			pages, par, rounds, plain, median(cpu[benchModePipeline]), withWARC, median(cpu[benchModePipelineWARC]), 100*cost, 100*median(paired))
		b.ReportMetric(plain, "pipeline_pages/s")
		b.ReportMetric(withWARC, "warc_pages/s")
		b.ReportMetric(100*cost, "warc_cost_%")
		b.ReportMetric(100*median(paired), "warc_paired_cost_%")
	}
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func BenchmarkImport(b *testing.B) {
	pages := benchEnvInt(b, "NEWSARCHIVE_BENCH_PAGES", 2000)
	site := startBenchSite(b, pages, 0)
	dir := b.TempDir()
	wdir := filepath.Join(dir, "warc")
	res, err := benchPipelineWARC(context.Background(), map[string]string{
		crawlbench.ArgURL: site.url, crawlbench.ArgParallelism: "32", crawlbench.ArgMaxPages: strconv.Itoa(pages),
		benchArgDB: filepath.Join(dir, "crawl.db"), benchArgWARC: wdir,
	})
	if err != nil {
		b.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(wdir, "*.warc.gz"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no WARC files (%v)", err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	b.ResetTimer()
	for i := range b.N {
		sum, err := importWARCs(context.Background(), logger, filepath.Join(dir, fmt.Sprintf("import-%d.db", i)), files, 2*runtime.GOMAXPROCS(0), 16<<20, false, "")
		if err != nil {
			b.Fatal(err)
		}
		fmt.Printf("import benchmark: %d WARC files of a %d-page crawl (%d responses): %d pages, %d articles in %.2fs: %.0f pages/s (target ≥ 500)\n",
			len(files), res.Pages, sum.Responses, sum.Pages, sum.Articles, sum.Seconds, sum.PagesPerSec)
		b.ReportMetric(sum.PagesPerSec, "import_pages/s")
	}
}
