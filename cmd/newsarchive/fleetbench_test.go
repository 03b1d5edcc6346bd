package main

// BenchmarkFleetScaling, issue 15's worker-scaling benchmark:
//
//	go test -run '^$' -bench BenchmarkFleetScaling -benchtime 1x -timeout 30m ./cmd/newsarchive
//
// A news site on 20 loopback hosts (127.0.0.1 … 127.0.0.20, each its own
// server) answers every request after 100 ms. It is crawled, each time from
// scratch, by one SQLite crawler and by 1, 2 and 4 PostgreSQL workers
// (`newsarchive crawl --db postgres://… --worker NAME`, child processes of
// this test binary on one fresh database). Targets (printed as ratios of the
// same run): 2 workers >= 1.8x and 4 workers >= 3x the pages/s of 1 worker;
// one PostgreSQL worker >= 0.7x the SQLite crawler. Archive bytes per article
// are printed for both backends next to the compressed raw page per article.
//
// A worker's own capacity is what limits it on a real machine; here every
// process gets --workers 4 (4 requests at once over all hosts: 40 pages/s at
// 100 ms), so one worker cannot take the whole site's politeness budget (20
// hosts x --parallelism 2 / 100 ms = 400 pages/s) by itself, and four stay
// below what two shared cores can extract and commit (about 200 pages/s
// measured with uncapped workers).
//
// Environment:
//
//	NEWSARCHIVE_FLEET_BENCH_ARTICLES  articles on the site (default 2000)
//	NEWSARCHIVE_FLEET_BENCH_WORKERS   --workers of every process (default 4)
//	NEWSARCHIVE_FLEET_BENCH_PARALLELISM  --parallelism (default 2)
//	NEWSARCHIVE_FLEET_BENCH_PAGE_KB   pad each article to this many KB, as
//	                                  real pages are (default 0: pages of
//	                                  about 6 KB, 2.3 KB compressed)

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/newsarchive/newsarchive/internal/pgtest"
	"github.com/newsarchive/newsarchive/internal/testsite"
)

const (
	fleetBenchHosts   = 20
	fleetBenchLatency = 100 * time.Millisecond
)

// fleetBenchRun is one crawl of the benchmark.
type fleetBenchRun struct {
	label     string
	articles  int           // article fetches in the site's log
	requests  int           // all requests in the site's log
	window    time.Duration // first request's start to the last one's end
	wall      time.Duration // first process start to the last exit
	cpu       time.Duration // user+system CPU of the crawl processes
	archive   int64         // bytes of the whole archive (file, or all relations)
	frontier  int64         // of which the frontier (PostgreSQL fleet_* relations)
	raw       int64         // compressed raw bytes of the article pages
	stored    int           // articles in the archive
	perWorker map[string]int
	timeline  []int    // requests started in each second of the window
	spans     []string // per User-Agent: first and last request start in the window
}

func (r fleetBenchRun) pagesPerSec() float64 {
	if r.window <= 0 {
		return 0
	}
	return float64(r.requests) / r.window.Seconds()
}

func (r fleetBenchRun) String() string {
	per := func(n int64) float64 { return float64(n) / float64(max(r.stored, 1)) / 1024 }
	s := fmt.Sprintf("%-9s %5d requests (%d articles) in %6.2fs (wall %6.2fs): %6.1f pages/s, %.2f ms CPU/page; archive %.1f KB/article",
		r.label, r.requests, r.articles, r.window.Seconds(), r.wall.Seconds(), r.pagesPerSec(),
		float64(r.cpu)/float64(time.Millisecond)/float64(max(r.requests, 1)), per(r.archive))
	if r.frontier > 0 {
		s += fmt.Sprintf(" (%.1f KB without the fleet frontier)", per(r.archive-r.frontier))
	}
	s += fmt.Sprintf(", raw page zstd %.1f KB/article", per(r.raw))
	if len(r.perWorker) > 1 {
		s += fmt.Sprintf(", articles per worker %v", r.perWorker)
	}
	return s + fmt.Sprintf("; requests per second %v; per process first-last request %v", r.timeline, r.spans)
}

func envInt(tb testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// crawlHasFlag reports whether `crawl --help` lists flag.
func crawlHasFlag(tb testing.TB, flag string) bool {
	w := startChild(tb, "help", []string{"crawl", "--help"})
	<-w.done
	return strings.Contains(w.stderr.String()+w.stdout.String(), "-"+flag+" ")
}

func BenchmarkFleetScaling(b *testing.B) {
	articles := envInt(b, "NEWSARCHIVE_FLEET_BENCH_ARTICLES", 2000)
	capacity := envInt(b, "NEWSARCHIVE_FLEET_BENCH_WORKERS", 4)
	padKB := 0
	if os.Getenv("NEWSARCHIVE_FLEET_BENCH_PAGE_KB") != "" {
		padKB = envInt(b, "NEWSARCHIVE_FLEET_BENCH_PAGE_KB", 0)
	}
	pgtest.DB(b) // skips now (or fails under REQUIRE) without a server
	site := testsite.StartMultiHost(b, testsite.MultiOptions{Hosts: fleetBenchHosts, Articles: articles,
		Latency: fleetBenchLatency, PerPage: 50, Paragraphs: 8, PadTo: padKB << 10})
	par := envInt(b, "NEWSARCHIVE_FLEET_BENCH_PARALLELISM", 2)
	common := []string{"--delay", "0", "--parallelism", strconv.Itoa(par), "--quiet"}
	if crawlHasFlag(b, "workers") {
		common = append(common, "--workers", strconv.Itoa(capacity))
	} else {
		b.Logf("crawl has no --workers flag: every process runs its default concurrency (the scaling ratios then measure the site's budget, not the workers)")
	}
	fleet := crawlHasFlag(b, "worker")
	for range b.N {
		var runs []fleetBenchRun
		sqliteRun := func() fleetBenchRun {
			site.Reset()
			db := filepath.Join(b.TempDir(), "bench.db")
			r := runFleetProcs(b, site, "sqlite", []string{"w"}, func(string) []string {
				return append(append([]string{"crawl", "--db", db}, common...), site.Seeds()...)
			})
			sqliteSizes(b, db, &r)
			return r
		}
		pgRun := func(n int) fleetBenchRun {
			site.Reset()
			db := pgtest.DB(b)
			var names []string
			for k := range n {
				names = append(names, fmt.Sprintf("w%d", k+1))
			}
			r := runFleetProcs(b, site, fmt.Sprintf("pg x%d", n), names, func(name string) []string {
				args := append([]string{"crawl", "--db", db, "--worker", name, "--contact", name + "@fleet.test"}, common...)
				return append(args, site.Seeds()...)
			})
			r.perWorker = articleFetchesBy(site, site.Requests(), names)
			pgSizes(b, db, &r)
			if n == 1 {
				// Printed, not logged: a benchmark's log keeps 10 lines.
				fmt.Printf("PostgreSQL archive, one worker, table by table (as BenchmarkArchiveSize):\n%s", pgArchiveSizes(b, db).breakdown())
			}
			return r
		}
		runs = append(runs, sqliteRun())
		if !fleet {
			b.Log(runs[0].String())
			b.Fatalf("crawl has no --worker flag: no fleet to measure")
		}
		runs = append(runs, pgRun(1), pgRun(2), pgRun(4))
		for _, r := range runs {
			b.Log(r.String())
		}
		sq, p1, p2, p4 := runs[0].pagesPerSec(), runs[1].pagesPerSec(), runs[2].pagesPerSec(), runs[3].pagesPerSec()
		b.Logf("ratios: 2 workers / 1 = %.2fx (target >= 1.8), 4 workers / 1 = %.2fx (target >= 3), 1 PG worker / SQLite = %.2fx (target >= 0.7)",
			p2/p1, p4/p1, p1/sq)
		raw := func(r fleetBenchRun) float64 { return float64(r.raw) / float64(max(r.stored, 1)) }
		b.Logf("archive bytes per article / compressed raw page: SQLite %.2fx, PostgreSQL %.2fx (target <= 1.5)",
			float64(runs[0].archive)/float64(max(runs[0].stored, 1))/raw(runs[0]),
			float64(runs[1].archive)/float64(max(runs[1].stored, 1))/raw(runs[1]))
		b.ReportMetric(p1, "pg1_pages/s")
		b.ReportMetric(p2/p1, "x2/x1")
		b.ReportMetric(p4/p1, "x4/x1")
		b.ReportMetric(p1/sq, "pg1/sqlite")
		for _, r := range runs {
			if r.articles != articles || r.stored != articles {
				b.Errorf("%s: %d article fetches and %d articles archived, want %d", r.label, r.articles, r.stored, articles)
			}
		}
	}
}

// runFleetProcs runs one crawl process per name, all at once, to the end.
func runFleetProcs(b *testing.B, site *testsite.MultiSite, label string, names []string, args func(name string) []string) fleetBenchRun {
	b.Helper()
	start := time.Now()
	var procs []*fleetWorker
	for _, n := range names {
		procs = append(procs, startChild(b, n, args(n)))
	}
	r := fleetBenchRun{label: label}
	for _, p := range procs {
		if code := p.wait(b, start.Add(20*time.Minute)); code != 0 {
			b.Fatalf("%s: worker %s exited %d:\n%s", label, p.name, code, tailLines(p.stderr.String(), 30))
		}
		r.cpu += p.cmd.ProcessState.UserTime() + p.cmd.ProcessState.SystemTime()
	}
	r.wall = time.Since(start)
	log := site.Requests()
	var first, last time.Time
	for k, q := range log {
		if k == 0 || q.Start.Before(first) {
			first = q.Start
		}
		if q.End.After(last) {
			last = q.End
		}
		if q.Method == http.MethodGet && q.Status == http.StatusOK {
			r.requests++
			if site.IsArticle(q.Path) {
				r.articles++
			}
		}
	}
	r.window = last.Sub(first)
	r.timeline = make([]int, int(r.window/time.Second)+1)
	firstBy, lastBy := map[string]time.Duration{}, map[string]time.Duration{}
	var uas []string
	for _, q := range log {
		at := q.Start.Sub(first)
		r.timeline[int(at/time.Second)]++
		if f, ok := firstBy[q.UserAgent]; !ok || at < f {
			if !ok {
				uas = append(uas, q.UserAgent)
			}
			firstBy[q.UserAgent] = at
		}
		lastBy[q.UserAgent] = max(lastBy[q.UserAgent], at)
	}
	slices.Sort(uas)
	for _, ua := range uas {
		name := ua
		if _, c, ok := strings.Cut(ua, "(+"); ok {
			name = strings.TrimSuffix(strings.TrimSuffix(c, ")"), "@fleet.test")
		}
		r.spans = append(r.spans, fmt.Sprintf("%s %.1f-%.1fs", name, firstBy[ua].Seconds(), lastBy[ua].Seconds()))
	}
	return r
}

func sqliteSizes(b *testing.B, path string, r *fleetBenchRun) {
	b.Helper()
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			r.archive += fi.Size()
		}
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FROM articles`).Scan(&r.stored); err != nil {
		b.Fatal(err)
	}
	if err := db.QueryRow(`SELECT coalesce(sum(length(p.body)), 0) FROM pages p JOIN versions v ON v.page_id = p.id`).Scan(&r.raw); err != nil {
		b.Fatal(err)
	}
}

func pgSizes(b *testing.B, url string, r *fleetBenchRun) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	// Every table with its indexes and TOAST; the frontier's apart.
	const q = `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0),
		coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'fleet\_%'), 0)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')`
	if err := conn.QueryRow(ctx, q).Scan(&r.archive, &r.frontier); err != nil {
		b.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&r.stored); err != nil {
		b.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT coalesce(sum(octet_length(p.body)), 0) FROM pages p JOIN versions v ON v.page_id = p.id`).Scan(&r.raw); err != nil {
		b.Fatal(err)
	}
}
