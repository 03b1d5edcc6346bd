package main

// The query benchmarks of issue 5. They are benchmarks, not timed tests: run
// them explicitly,
//
//	go test -run '^$' -bench 'BenchmarkSearch|BenchmarkExport|BenchmarkServe' -benchtime 1x -timeout 30m ./cmd/newsarchive
//
// They share one archive of 100,000 generated articles (benchCorpusSize), built
// through archive.Commit on first use and cached in
// $TMPDIR/newsarchive-bench-<benchCorpusVersion>/archive.db; delete that folder
// (or bump benchCorpusVersion when the generator changes) to rebuild it.
// NEWSARCHIVE_BENCH_ARTICLES overrides the size (its own cache file).
//
// The corpus: article bodies of 150–900 words drawn from a Zipf(1.07) vocabulary
// of 30,000 synthetic words, so a few words are in nearly every article (like
// "the"), words of rank ~100 are in about half of them, and words past rank
// 5,000 in under 1%. Queries are two words from three classes: common (each word
// in 40–60% of the articles), mixed (one common, one rare) and rare (each word
// in 0.2–1%).

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/internal/web"
)

const (
	benchCorpusVersion = "v2" // v2: records stored once, publication-day index (migration 0003)
	benchCorpusSize    = 100_000
	benchVocabulary    = 30_000
)

// benchCorpus describes the generated archive.
type benchCorpus struct {
	path  string
	words []string // vocabulary by Zipf rank
}

func benchCorpusArticles() int {
	if v, err := strconv.Atoi(os.Getenv("NEWSARCHIVE_BENCH_ARTICLES")); err == nil && v > 0 {
		return v
	}
	return benchCorpusSize
}

// benchWords returns a deterministic vocabulary of pronounceable words.
func benchWords() []string {
	r := rand.New(rand.NewPCG(7, 7))
	cons := []string{"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "st", "tr", "ch", "sh", "gr", "pl"}
	vows := []string{"a", "e", "i", "o", "u", "ai", "ea", "io", "ou"}
	seen := map[string]bool{}
	words := make([]string, 0, benchVocabulary)
	for len(words) < benchVocabulary {
		n := 1 + r.IntN(3)
		if len(words) > 200 {
			n = 2 + r.IntN(3)
		}
		var b strings.Builder
		for range n {
			b.WriteString(cons[r.IntN(len(cons))])
			b.WriteString(vows[r.IntN(len(vows))])
		}
		if r.IntN(3) == 0 {
			b.WriteString(cons[r.IntN(len(cons))])
		}
		w := b.String()
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

var benchAuthors = []string{"Eva Fox", "Alex Harmon", "Johan Nilsen", "Lena Brandt", "Marcus Hale", "Nina Caldwell",
	"Kristen Chen", "Omar Said", "Petra Novak", "Sam Okafor"}

// openBenchCorpus returns the cached benchmark archive, building it first when
// it is missing.
func openBenchCorpus(b *testing.B) *benchCorpus {
	b.Helper()
	n := benchCorpusArticles()
	dir := filepath.Join(os.TempDir(), "newsarchive-bench-"+benchCorpusVersion)
	name := "archive.db"
	if n != benchCorpusSize {
		name = fmt.Sprintf("archive-%d.db", n)
	}
	c := &benchCorpus{path: filepath.Join(dir, name), words: benchWords()}
	if _, err := os.Stat(c.path); err == nil {
		ensureTermDocs(b, c.path)
		return c
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tmp := c.path + ".building"
	for _, suf := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suf)
	}
	if err := buildBenchCorpus(context.Background(), tmp, n, c.words); err != nil {
		b.Fatalf("build benchmark archive: %v", err)
	}
	if err := os.Rename(tmp, c.path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d-article benchmark archive %s in %s", n, c.path, time.Since(start).Round(time.Second))
	return c
}

func buildBenchCorpus(ctx context.Context, path string, n int, words []string) error {
	s, err := archive.Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	runID, _, err := s.StartRun(ctx, []string{"https://bench.example/"}, nil)
	if err != nil {
		return err
	}
	const batch = 256
	type job struct {
		start int
		caps  []archive.Capture
	}
	// Generation (text, HTML) is spread over the cores; commits stay in order.
	jobs := make(chan int)
	done := make([]chan []archive.Capture, (n+batch-1)/batch)
	for i := range done {
		done[i] = make(chan []archive.Capture, 1)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for start := range jobs {
				caps := make([]archive.Capture, 0, batch)
				for i := start; i < min(start+batch, n); i++ {
					caps = append(caps, benchCapture(i, words))
				}
				done[start/batch] <- caps
			}
		})
	}
	// At most a few batches are generated ahead of the commits: unbounded,
	// the generators outran the writer and held most of a 1M corpus in memory.
	ahead := make(chan struct{}, 8)
	stop := make(chan struct{})
	go func() {
		defer close(jobs)
		for start := 0; start < n; start += batch {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			jobs <- start
		}
	}()
	for i := range done {
		caps := <-done[i]
		<-ahead
		if _, err := s.Commit(ctx, runID, caps); err != nil {
			close(stop)
			return err
		}
	}
	wg.Wait()
	if err := s.FinishRun(ctx, runID, archive.RunFinished, map[string]int{"pages": n}); err != nil {
		return err
	}
	// What ingest's Run.Finish does after a run this large.
	return s.OptimizeIndex(ctx)
}

// ensureTermDocs brings a corpus cached by an earlier version to the state
// a fresh build leaves: the index in one segment (a corpus built before the
// builder optimized had 21, which made every search seek each word 21
// times) and the term counts (migration 0006) built.
func ensureTermDocs(b *testing.B, path string) {
	b.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	var segments int
	err = db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM articles_fts_idx`).Scan(&segments)
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	s, err := archive.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	if segments > 1 {
		if err := s.OptimizeIndex(ctx); err != nil {
			b.Fatal(err)
		}
		b.Logf("optimized the index of %s (%d segments) in %s", path, segments, time.Since(start).Round(time.Second))
		return
	}
	if _, _, ok, err := s.TermDocsState(ctx); err != nil {
		b.Fatal(err)
	} else if !ok {
		if err := s.RefreshTermDocs(ctx); err != nil {
			b.Fatal(err)
		}
		b.Logf("built the term counts of %s in %s", path, time.Since(start).Round(time.Second))
	}
}

// benchCapture generates article i: deterministic in i.
func benchCapture(i int, words []string) archive.Capture {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	z := rand.NewZipf(r, 1.07, 1, uint64(len(words)-1))
	sentence := func(n int) string {
		var b strings.Builder
		for j := range n {
			if j > 0 {
				b.WriteByte(' ')
			}
			w := words[z.Uint64()]
			if j == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
		}
		b.WriteByte('.')
		return b.String()
	}
	nwords := 150 + int(750*math.Pow(r.Float64(), 2))
	var paras []string
	for left := nwords; left > 0; {
		var p []string
		for range 2 + r.IntN(4) {
			k := min(left, 8+r.IntN(18))
			if k <= 0 {
				break
			}
			p = append(p, sentence(k))
			left -= k
		}
		paras = append(paras, strings.Join(p, " "))
	}
	body := strings.Join(paras, "\n\n")
	title := strings.TrimSuffix(sentence(6+r.IntN(6)), ".")
	u := fmt.Sprintf("https://bench.example/blogs/news/article-%d", i)
	pub := benchPublished(i)
	a := &extract.Article{
		URL: u, CanonicalURL: u, SiteName: "Bench News", Language: "en", Title: title,
		Authors:     []extract.Author{{Name: benchAuthors[i%len(benchAuthors)], Bio: "Writes for Bench News."}},
		Editors:     []extract.Editor{{Handle: fmt.Sprintf("editor%d", i%7)}},
		PublishedAt: pub.Format(time.RFC3339), ModifiedAt: pub.Format(time.RFC3339),
		Tags:        []string{words[50+i%40], words[300+i%200]},
		Description: strings.TrimSuffix(sentence(20), "."),
		BodyText:    body,
		BodyHTML:    "<p>" + strings.ReplaceAll(body, "\n\n", "</p>\n<p>") + "</p>",
		Related: []extract.Link{
			{Title: "Previous", URL: fmt.Sprintf("https://bench.example/blogs/news/article-%d", max(i-1, 0))},
			{Title: "Random", URL: fmt.Sprintf("https://bench.example/blogs/news/article-%d", r.IntN(max(i, 1)))},
		},
		WordCount: nwords, ExtractorVersion: "bench", IsArticle: true,
	}
	html := "<!doctype html><html><head><title>" + title + "</title></head><body><article><h1>" + title +
		"</h1>" + a.BodyHTML + "</article></body></html>"
	return archive.Capture{
		Entry: archive.QueueEntry{URL: u, Depth: 1, Kind: "page", Attempts: 1},
		State: archive.StateDone,
		Page: &archive.Page{URL: u, FinalURL: u, Status: 200, FetchedAt: pub,
			Header:      http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			ContentType: "text/html; charset=utf-8", Body: []byte(html)},
		Article: a,
	}
}

// benchPublished is the publication time of article i: one every 47 minutes
// from 2015.
func benchPublished(i int) time.Time {
	return time.Date(2015, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 47 * time.Minute)
}

// benchQueries picks two-word queries of each class from the archive's
// actual document frequencies.
func benchQueries(b *testing.B, s *archive.Store, c *benchCorpus) map[string][]string {
	b.Helper()
	ctx := context.Background()
	total, err := s.CountArticles(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return benchQueriesFrom(b, c.words, total, func(w string) (int, error) { return s.MatchCount(ctx, w) })
}

// benchQueriesFrom picks the queries of benchQueries from words by their
// document frequency: matches(w) articles of total.
func benchQueriesFrom(b *testing.B, words []string, total int, matches func(w string) (int, error)) map[string][]string {
	b.Helper()
	df := func(w string) float64 {
		n, err := matches(w)
		if err != nil {
			b.Fatal(err)
		}
		return float64(n) / float64(total)
	}
	var common, rare []string
	for rank := 20; rank < 2000 && len(common) < 8; rank++ {
		if f := df(words[rank]); f >= 0.4 && f <= 0.6 {
			common = append(common, words[rank])
		}
	}
	for rank := 3000; rank < len(words) && len(rare) < 8; rank += 97 {
		if f := df(words[rank]); f >= 0.002 && f <= 0.01 {
			rare = append(rare, words[rank])
		}
	}
	if len(common) < 4 || len(rare) < 4 {
		b.Fatalf("corpus lacks query words: common %v rare %v", common, rare)
	}
	qs := map[string][]string{}
	for i := range 4 {
		qs["common"] = append(qs["common"], common[2*i%len(common)]+" "+common[(2*i+1)%len(common)])
		qs["rare"] = append(qs["rare"], rare[2*i%len(rare)]+" "+rare[(2*i+1)%len(rare)])
		qs["mixed"] = append(qs["mixed"], common[i]+" "+rare[i])
	}
	return qs
}

// BenchmarkSearch reports p50 and p95 latency of two-word searches (first
// page of 20 hits, with snippets) per query class, alone ("rare"), with an
// author filter ("rare-author": one author in ten articles) and with a
// one-year date range ("rare-year": the year of the middle article); and
// "first", the first search after opening the archive (the operating
// system's page cache is not dropped: on a freshly booted machine it is
// slower).
func BenchmarkSearch(b *testing.B) {
	c := openBenchCorpus(b)
	ctx := context.Background()
	s, err := archive.OpenReadOnly(ctx, c.path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	qs := benchQueries(b, s, c)
	mid := benchPublished(benchCorpusArticles() / 2)
	year := time.Date(mid.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	type variant struct {
		name string
		opts archive.SearchOptions
	}
	variants := []variant{
		{"", archive.SearchOptions{Limit: 20}},
		{"-author", archive.SearchOptions{Limit: 20, Author: benchAuthors[3]}},
		{"-year", archive.SearchOptions{Limit: 20, Since: year, Until: year.AddDate(1, 0, 0)}},
	}
	search := func(v variant) {
		for _, class := range []string{"rare", "mixed", "common"} {
			b.Run(class+v.name, func(b *testing.B) {
				var lat []time.Duration
				for b.Loop() {
					for _, q := range qs[class] {
						t0 := time.Now()
						hits, err := s.Search(ctx, q, v.opts)
						if err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t0))
						if len(hits) == 0 && v.name == "" {
							b.Fatalf("query %q: no hits", q)
						}
					}
				}
				reportLatency(b, class+v.name+" queries "+fmt.Sprintf("%q", qs[class]), lat)
			})
		}
	}
	search(variants[0])
	search(variants[1])
	b.Run("first", func(b *testing.B) {
		var lat []time.Duration
		i := 0
		for b.Loop() {
			q := qs[[]string{"common", "mixed", "rare"}[i%3]][i%4]
			i++
			t0 := time.Now()
			s, err := archive.OpenReadOnly(ctx, c.path)
			if err != nil {
				b.Fatal(err)
			}
			_, err = s.Search(ctx, q, archive.SearchOptions{Limit: 20})
			lat = append(lat, time.Since(t0))
			s.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
		reportLatency(b, "first search after opening (open included)", lat)
	})
	// Last: a date range is the slowest (see docs/search-scale.md).
	search(variants[2])
}

// reportLatency reports the p50 and p95 of lat (sorted in place) and
// returns the p95 in milliseconds.
func reportLatency(b *testing.B, what string, lat []time.Duration) float64 {
	b.Helper()
	slices.Sort(lat)
	p := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
	b.ReportMetric(0, "ns/op")
	b.Logf("%s: n=%d p50 %.1f ms p95 %.1f ms max %.1f ms", what, len(lat), p(0.5), p(0.95), p(1))
	if os.Getenv("NEWSARCHIVE_BENCH_VERBOSE") != "" {
		b.Logf("latencies: %v", lat)
	}
	return p(0.95)
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n, lines atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	for _, c := range p {
		if c == '\n' {
			w.lines.Add(1)
		}
	}
	return len(p), nil
}

// BenchmarkExport exports every article as JSONL in a child process (this
// test binary acting as newsarchive) and reports its peak RSS, which must not
// grow with the archive.
func BenchmarkExport(b *testing.B) {
	c := openBenchCorpus(b)
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var out countingWriter
		var stderr strings.Builder
		cmd := exec.Command(exe, "export", "--db", c.path, "--format", "jsonl")
		cmd.Env = append(os.Environ(), "NEWSARCHIVE_TEST_MAIN=1")
		cmd.Stdout, cmd.Stderr = &out, &stderr
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		// The child's own high-water mark, read from /proc while it runs:
		// rusage's ru_maxrss of a child also counts the parent's RSS at the
		// vfork before exec, which here includes a freshly built corpus.
		var hwm atomic.Int64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for {
				if kb := vmHWM(cmd.Process.Pid); kb > 0 {
					hwm.Store(kb)
				}
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		}()
		err := cmd.Wait()
		close(stop)
		<-sampled
		if err != nil {
			b.Fatalf("export: %v\n%s", err, stderr.String())
		}
		el := time.Since(t0)
		rss := float64(hwm.Load()) / 1024
		b.ReportMetric(rss, "peak-RSS-MiB")
		b.ReportMetric(float64(out.lines.Load())/el.Seconds(), "articles/s")
		b.ReportMetric(0, "ns/op")
		b.Logf("exported %d articles, %.0f MiB of JSONL in %s; peak RSS %.1f MiB",
			out.lines.Load(), float64(out.n.Load())/(1<<20), el.Round(time.Millisecond), rss)
		if out.lines.Load() != int64(benchCorpusArticles()) {
			b.Errorf("exported %d lines, want %d", out.lines.Load(), benchCorpusArticles())
		}
	}
}

// vmHWM returns the peak resident set of process pid in KiB (0 when gone).
func vmHWM(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// BenchmarkServe sends rounds of 200 concurrent /api/search and search-page
// requests (rare, mixed and common queries) to the UI on loopback and reports
// requests/s; any error or non-200 answer fails it.
func BenchmarkServe(b *testing.B) {
	c := openBenchCorpus(b)
	ctx := context.Background()
	s, err := archive.OpenReadOnly(ctx, c.path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	qs := benchQueries(b, s, c)
	var all []string
	for _, class := range []string{"rare", "mixed", "common"} {
		all = append(all, qs[class]...)
	}
	h, err := web.New(s, nil, web.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}, Timeout: time.Minute}
	const concurrent = 200
	var requests, failures atomic.Int64
	var lat []time.Duration
	var mu sync.Mutex
	start := time.Now()
	for b.Loop() {
		var wg sync.WaitGroup
		for i := range concurrent {
			wg.Go(func() {
				u := srv.URL + "/api/search?q=" + url.QueryEscape(all[i%len(all)])
				if i%2 == 1 {
					u = srv.URL + "/?q=" + url.QueryEscape(all[i%len(all)])
				}
				t0 := time.Now()
				resp, err := client.Get(u)
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					b.Errorf("GET %s: %v", u, err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
				if resp.StatusCode != http.StatusOK {
					failures.Add(1)
					b.Errorf("GET %s: %s %s", u, resp.Status, body)
					return
				}
				if i%2 == 0 {
					var r struct{ Hits []json.RawMessage }
					if err := json.Unmarshal(body, &r); err != nil || len(r.Hits) == 0 {
						failures.Add(1)
						b.Errorf("GET %s: %d hits, %v", u, len(r.Hits), err)
					}
				}
			})
		}
		wg.Wait()
	}
	el := time.Since(start)
	slices.Sort(lat)
	rps := float64(requests.Load()) / el.Seconds()
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(failures.Load()), "errors")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d requests in rounds of %d concurrent, %d errors, %.0f req/s; latency p50 %s p95 %s max %s",
		requests.Load(), concurrent, failures.Load(), rps, lat[len(lat)/2].Round(time.Millisecond),
		lat[len(lat)*95/100].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
}
