package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/frontier"
	"github.com/newsarchive/newsarchive/internal/pgtest"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/scraper"
)

// TestFleetThreeWorkers runs three crawls (three pipelines, three
// FleetStores named w1, w2, w3) on one PostgreSQL database over six
// generated sites on loopback: every article is requested once and
// archived once, all three workers did work, and they shared one run.
func TestFleetThreeWorkers(t *testing.T) {
	url := pgtest.DB(t)
	const hosts, pages = 6, 25
	var (
		sites []*testsite.GenSite
		seeds []string
	)
	for range hosts {
		g := testsite.NewGenerated(testsite.GenOptions{Pages: pages, Latency: 10 * time.Millisecond, PerPage: 10})
		srv := httptest.NewServer(g)
		t.Cleanup(srv.Close)
		sites = append(sites, g)
		seeds = append(seeds, srv.URL+"/")
	}
	ex := testExtractor(t)
	ctx := context.Background()
	workers := []string{"w1", "w2", "w3"}
	stores := make([]*fleetArchive, len(workers))
	for i, w := range workers {
		// Few URLs per lease: many leases, hosts change hands.
		// w1 commits three pages at a time.
		stores[i] = openFleetArchive(t, url, w, func(o *FleetOptions) {
			o.PerLease = 4
			o.MaxLeases = 1 // as crawl: --workers 2 / --parallelism 2
			if i == 0 {
				o.CommitConcurrency = 3
			}
		})
		defer stores[i].close(t)
	}
	type outcome struct {
		run    int64
		status string
		pages  int64
		err    error
	}
	outs := make([]outcome, len(workers))
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			pl := &Pipeline{Store: stores[i].FleetStore, Extractor: ex}
			run, err := pl.Start(ctx, seeds, map[string]any{"test": true})
			if err != nil {
				outs[i].err = err
				return
			}
			// Two fetch goroutines a worker: no worker can take every
			// host on its own.
			cfg := crawlConfig()
			cfg.Parallelism, cfg.Workers = 2, 2
			c, err := run.Crawler(cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				outs[i].err = err
				return
			}
			res, err := run.Crawl(ctx, c, seeds, scraper.RunOptions{}, nil)
			if ferr := run.Finish(ctx, res.Status, run.Counts().RunCounts()); ferr != nil && err == nil {
				err = ferr
			}
			outs[i] = outcome{run: run.ID, status: res.Status, pages: run.Counts().Pages, err: err}
		})
	}
	wg.Wait()
	t.Logf("pages archived per worker: w1 %d, w2 %d, w3 %d", outs[0].pages, outs[1].pages, outs[2].pages)
	for i, o := range outs {
		if o.err != nil || o.status != archive.RunFinished {
			t.Fatalf("worker %s: %s, %v", workers[i], o.status, o.err)
		}
		if o.run != outs[0].run {
			t.Errorf("worker %s in run %d, worker w1 in run %d: want one run", workers[i], o.run, outs[0].run)
		}
		if o.pages == 0 {
			t.Errorf("worker %s archived no page: %+v", workers[i], outs)
		}
	}
	for h, g := range sites {
		for i := range pages {
			if n := g.Requests(g.ArticlePath(i)); n != 1 {
				t.Errorf("site %d article %d requested %d times, want once", h, i, n)
			}
		}
	}
	s := stores[0]
	if got := s.count(t, "SELECT count(*) FROM articles"); got != hosts*pages {
		t.Errorf("%d articles archived, want %d", got, hosts*pages)
	}
	if got := s.count(t, "SELECT count(*) FROM versions"); got != hosts*pages {
		t.Errorf("%d versions, want %d (one per article)", got, hosts*pages)
	}
	if dup := s.shape(t).DuplicatePages; dup != 0 {
		t.Errorf("%d URLs stored more than once", dup)
	}
	if q, f := s.pending(t, 0); q+f != 0 {
		t.Errorf("frontier left with %d queued, %d in flight", q, f)
	}
	if got := s.count(t, "SELECT count(DISTINCT worker) FROM pages"); got != len(workers) {
		t.Errorf("pages stored by %d workers, want %d", got, len(workers))
	}
	runs, err := s.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Status != archive.RunFinished || runs[0].Counts["pages"] != int(outs[0].pages+outs[1].pages+outs[2].pages) {
		t.Errorf("runs %+v; want one finished run counting every worker's pages", runs)
	}
	ws, err := s.db.RunWorkers(ctx, runs[0].ID)
	if err != nil || len(ws) != len(workers) {
		t.Errorf("run workers %+v, %v; want %d", ws, err, len(workers))
	}

	// A new crawl of the finished archive queues the seeds (and sitemaps)
	// again, finds nothing new and fetches no article again.
	pl := &Pipeline{Store: stores[1].FleetStore, Extractor: ex}
	run, err := pl.Start(ctx, seeds, nil)
	if err != nil {
		t.Fatal(err)
	}
	if run.Resumed || run.ID == runs[0].ID {
		t.Fatalf("crawl of a finished fleet archive joined run %d", run.ID)
	}
	if q, _ := s.pending(t, 0); q < hosts {
		t.Errorf("new crawl: %d URLs queued, want at least the %d seeds", q, hosts)
	}
	c, err := run.Crawler(crawlConfig(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	res, err := run.Crawl(ctx, c, seeds, scraper.RunOptions{}, nil)
	if err != nil || res.Status != archive.RunFinished {
		t.Fatalf("second crawl: %s, %v", res.Status, err)
	}
	if err := run.Finish(ctx, res.Status, run.Counts().RunCounts()); err != nil {
		t.Fatal(err)
	}
	for h, g := range sites {
		// robots.txt is shared by the fleet (and still fresh for the
		// second crawl): one request per host in all.
		if n := g.Requests("/robots.txt"); n != 1 {
			t.Errorf("site %d robots.txt requested %d times, want once for the whole fleet", h, n)
		}
		if n := g.Requests("/"); n != 2 {
			t.Errorf("site %d home requested %d times, want twice (once per crawl)", h, n)
		}
		for i := range pages {
			if n := g.Requests(g.ArticlePath(i)); n != 1 {
				t.Errorf("site %d article %d requested %d times after the second crawl, want once", h, i, n)
			}
		}
	}
}

// TestFleetStaleLease: a worker whose lease expired and was taken over by
// another cannot commit what it fetched; the other's commit is the one
// stored.
func TestFleetStaleLease(t *testing.T) {
	url := pgtest.DB(t)
	ctx := context.Background()
	short := func(o *FleetOptions) { o.LeaseTTL = 500 * time.Millisecond }
	a := openFleetArchive(t, url, "late", short)
	defer a.close(t)
	b := openFleetArchive(t, url, "other", short)
	defer b.close(t)
	a.Close() // no renewal: a hangs, as a worker on a stalled machine

	u := "http://news.example/story"
	if _, err := a.Enqueue(ctx, 0, []archive.QueueEntry{{URL: u}}); err != nil {
		t.Fatal(err)
	}
	got, err := a.Claim(ctx, 0, 10, time.Now())
	if err != nil || len(got) != 1 {
		t.Fatalf("claim: %v, %v", got, err)
	}
	time.Sleep(700 * time.Millisecond) // a's lease expires
	got2, err := b.Claim(ctx, 0, 10, time.Now())
	if err != nil || len(got2) != 1 {
		t.Fatalf("takeover claim: %v, %v", got2, err)
	}
	capture := func(worker string) archive.Capture {
		body := fmt.Sprintf(`<html><head><title>Story</title></head><body><article><h1>Story</h1><p>Fetched by %s, long enough to be an article body for the extractor to keep.</p></article></body></html>`, worker)
		return archive.Capture{Entry: got[0], State: string(frontier.StateDone), Page: &archive.Page{
			URL: u, FinalURL: u, Status: 200, Header: http.Header{"Content-Type": {"text/html"}},
			ContentType: "text/html", Body: []byte(body), FetchedAt: time.Now(),
		}}
	}
	res, err := a.Commit(ctx, 0, []archive.Capture{capture("late")})
	if err != nil {
		t.Fatalf("late commit: %v (want it dropped, not an error)", err)
	}
	if res[0].PageID != 0 || a.Dropped() != 1 {
		t.Errorf("late commit stored page %d, dropped %d; want nothing stored, one dropped", res[0].PageID, a.Dropped())
	}
	if _, err := b.Commit(ctx, 0, []archive.Capture{capture("other")}); err != nil {
		t.Fatal(err)
	}
	if n := b.count(t, "SELECT count(*) FROM pages"); n != 1 {
		t.Errorf("%d pages stored, want 1", n)
	}
	var worker string
	if err := b.pool.QueryRow(ctx, "SELECT worker FROM pages").Scan(&worker); err != nil || worker != "other" {
		t.Errorf("page stored by %q (%v), want other", worker, err)
	}
	if st := b.frontierState(t, u); st != "done" {
		t.Errorf("%s is %s, want done", u, st)
	}
	// b's lease was released after its last commit: the host is free.
	var leased bool
	if err := b.pool.QueryRow(ctx, "SELECT lease_expires IS NOT NULL FROM fleet_hosts").Scan(&leased); err != nil || leased {
		t.Errorf("host still leased after the last commit (%v)", err)
	}
}

// TestFleetCrawlDelayOutlivesLease: a host whose robots.txt asks for a
// Crawl-delay rests that long after the worker releases it, though the
// crawl's --delay is 0: the next worker to claim it keeps the gap.
func TestFleetCrawlDelayOutlivesLease(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 3\n")
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><head><title>Home</title></head><body><p>Nothing to follow.</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	s := openFleetArchive(t, pgtest.DB(t), "w1")
	defer s.close(t)
	res, _, err := crawlOnce(t, s, testExtractor(t), []string{srv.URL + "/"})
	if err != nil || res.Status != archive.RunFinished {
		t.Fatalf("crawl: %s, %v", res.Status, err)
	}
	var rest float64
	if err := s.pool.QueryRow(context.Background(), `SELECT extract(epoch FROM max(next_fetch_at) - now()) FROM fleet_hosts`).Scan(&rest); err != nil {
		t.Fatal(err)
	}
	if rest < 1 {
		t.Errorf("host rests %.2fs after its last lease, want about the 3s Crawl-delay", rest)
	}
}

// politeSite wraps a handler and records, per host, the most requests
// running at once and the shortest gap between two request starts.
type politeSite struct {
	h       http.Handler
	mu      sync.Mutex
	running map[string]int
	most    map[string]int
	last    map[string]time.Time
	gap     map[string]time.Duration
	lastReq map[string]string
	gapReqs map[string]string // the two requests closest together
}

func (p *politeSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	p.mu.Lock()
	host := r.Host
	p.running[host]++
	p.most[host] = max(p.most[host], p.running[host])
	req := r.RemoteAddr + " " + r.URL.Path
	if l, ok := p.last[host]; ok {
		if g, seen := p.gap[host]; !seen || now.Sub(l) < g {
			p.gap[host] = now.Sub(l)
			p.gapReqs[host] = p.lastReq[host] + " then " + req
		}
	}
	p.last[host], p.lastReq[host] = now, req
	p.mu.Unlock()
	p.h.ServeHTTP(w, r)
	p.mu.Lock()
	p.running[host]--
	p.mu.Unlock()
}

// TestFleetPoliteness: three workers crawling two hosts with --delay 100ms
// and --parallelism 1 never request one host twice at once, and never start
// two requests to it less than the delay apart, whichever workers make them.
func TestFleetPoliteness(t *testing.T) {
	url := pgtest.DB(t)
	const delay = 100 * time.Millisecond
	var seeds []string
	var sites []*politeSite
	for range 2 {
		p := &politeSite{h: testsite.NewGenerated(testsite.GenOptions{Pages: 8, PerPage: 4, Latency: 5 * time.Millisecond}),
			running: map[string]int{}, most: map[string]int{}, last: map[string]time.Time{}, gap: map[string]time.Duration{},
			lastReq: map[string]string{}, gapReqs: map[string]string{}}
		srv := httptest.NewServer(p)
		t.Cleanup(srv.Close)
		sites = append(sites, p)
		seeds = append(seeds, srv.URL+"/")
	}
	ex := testExtractor(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	pages := make([]int64, 3)
	for i := range 3 {
		s := openFleetArchive(t, url, fmt.Sprintf("w%d", i+1), func(o *FleetOptions) {
			// One host at a time each: every worker gets turns.
			o.PerLease, o.MaxLeases, o.Delay = 3, 1, delay
		})
		defer s.close(t)
		wg.Go(func() {
			pl := &Pipeline{Store: s.FleetStore, Extractor: ex}
			run, err := pl.Start(ctx, seeds, nil)
			if err != nil {
				errs[i] = err
				return
			}
			cfg := crawlConfig()
			cfg.Delay, cfg.Parallelism = delay, 1
			c, err := run.Crawler(cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				errs[i] = err
				return
			}
			res, err := run.Crawl(ctx, c, seeds, scraper.RunOptions{}, nil)
			if ferr := run.Finish(ctx, res.Status, run.Counts().RunCounts()); err == nil {
				err = ferr
			}
			errs[i], pages[i] = err, run.Counts().Pages
		})
	}
	wg.Wait()
	t.Logf("pages per worker: %v", pages)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v", i+1, err)
		}
	}
	workersWithPages := 0
	for _, n := range pages {
		if n > 0 {
			workersWithPages++
		}
	}
	if workersWithPages < 2 {
		t.Errorf("only %d workers fetched: the test does not show politeness across workers", workersWithPages)
	}
	for _, p := range sites {
		for host, most := range p.most {
			if most > 1 {
				t.Errorf("%s: %d requests at once, want at most 1 (--parallelism)", host, most)
			}
			// A worker's scheduler spaces the starts of its tasks; the
			// server sees arrivals, each some time after its start, so a
			// late first arrival shortens the gap it sees (on a loaded CI
			// machine under -race, by 23 ms: 77 ms for one worker's two
			// requests). Allow half the delay: workers that did not share
			// the host's schedule would start requests at any moment, and
			// some of the ~30 gaps would fall well below it.
			if g := p.gap[host]; g < delay/2 {
				t.Errorf("%s: two requests %v apart (%s), want at least %v (--delay)", host, g, p.gapReqs[host], delay)
			}
		}
	}
}
