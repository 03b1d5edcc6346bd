package ingest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/internal/pgtest"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/scraper"
)

// calendarSites serves n hostile sites on loopback and returns them with a
// seed each at the entry of their calendar trap (months and days linking
// each other for ever; no article).
func calendarSites(t *testing.T, n int) ([]*testsite.Hostile, []string) {
	t.Helper()
	var (
		sites []*testsite.Hostile
		seeds []string
	)
	for range n {
		h := testsite.NewHostile(testsite.HostileOptions{TrapCap: 1000})
		srv := httptest.NewServer(h)
		t.Cleanup(func() {
			h.Close()
			srv.Close()
		})
		sites = append(sites, h)
		seeds = append(seeds, srv.URL+"/calendar/2021/01/")
	}
	return sites, seeds
}

// TestFleetTrapTemplatesShared crawls three calendar traps, first with one
// crawler into SQLite, then with three fleet workers on one PostgreSQL run
// whose hosts change hands every few URLs. Trap defence's counts are the
// run's, not a worker's: each calendar costs the fleet no more requests
// than the single crawler (plus what was in flight when a template was cut),
// not up to three times as many, and every worker's summary reports the
// templates cut with the URLs the whole fleet skipped.
func TestFleetTrapTemplatesShared(t *testing.T) {
	url := pgtest.DB(t)
	ex := testExtractor(t)
	ctx := context.Background()
	const hosts = 3

	// One crawler (SQLite): the budget as it was designed.
	single, singleSeeds := calendarSites(t, hosts)
	s := openStore(t, t.TempDir()+"/single.db")
	defer s.Close()
	res, _, err := crawlOnce(t, s, ex, singleSeeds)
	if err != nil || res.Status != archive.RunFinished {
		t.Fatalf("single crawl: %s, %v", res.Status, err)
	}
	var want []int
	for _, h := range single {
		want = append(want, h.TrapRequests(testsite.TrapCalendar))
	}
	wantSkips := map[string]int{}
	for _, c := range res.TrapTemplates {
		wantSkips[templateShape(c.Key)] += c.N
	}

	// Three workers, one run.
	sites, seeds := calendarSites(t, hosts)
	workers := []string{"w1", "w2", "w3"}
	stores := make([]*fleetArchive, len(workers))
	for i, w := range workers {
		stores[i] = openFleetArchive(t, url, w, func(o *FleetOptions) {
			o.PerLease = 4 // hosts change hands every 4 URLs
			o.MaxLeases = 1
		})
		defer stores[i].close(t)
	}
	type outcome struct {
		res   CrawlResult
		run   int64
		pages int64
		err   error
	}
	outs := make([]outcome, len(workers))
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			pl := &Pipeline{Store: stores[i].FleetStore, Extractor: ex}
			run, err := pl.Start(ctx, seeds, nil)
			if err != nil {
				outs[i].err = err
				return
			}
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
			outs[i] = outcome{res: res, run: run.ID, pages: run.Counts().Pages, err: err}
		})
	}
	wg.Wait()
	for i, o := range outs {
		if o.err != nil || o.res.Status != archive.RunFinished {
			t.Fatalf("worker %s: %s, %v", workers[i], o.res.Status, o.err)
		}
		if o.run != outs[0].run {
			t.Fatalf("worker %s in run %d, w1 in run %d", workers[i], o.run, outs[0].run)
		}
	}
	var got []int
	for _, h := range sites {
		got = append(got, h.TrapRequests(testsite.TrapCalendar))
	}
	t.Logf("calendar requests per host: one crawler %v, three fleet workers %v (pages per worker %d, %d, %d)",
		want, got, outs[0].pages, outs[1].pages, outs[2].pages)
	// What a worker had claimed or was fetching when a template was cut
	// may still be fetched: at most its parallelism per cut template (a
	// calendar has two).
	const inFlight = 2 * 2
	for i := range got {
		if got[i] > want[i]+inFlight {
			t.Errorf("host %d: the fleet requested %d calendar pages, one crawler %d: the budget is not the fleet's", i, got[i], want[i])
		}
	}
	ran := 0
	for _, o := range outs {
		if o.pages > 0 {
			ran++
		}
	}
	if ran < 2 {
		t.Errorf("only %d worker(s) fetched pages; want the hosts shared", ran)
	}

	// Every worker reports the fleet's skips, per template.
	gotSkips := map[string]int{}
	for _, c := range outs[0].res.TrapTemplates {
		gotSkips[templateShape(c.Key)] += c.N
	}
	t.Logf("URLs skipped per template shape: one crawler %v, fleet %v", wantSkips, gotSkips)
	if len(gotSkips) == 0 {
		t.Fatal("the fleet's summary reports no template cut")
	}
	for i, o := range outs {
		if !slices.Equal(o.res.TrapTemplates, outs[0].res.TrapTemplates) {
			t.Errorf("worker %s reports %v, w1 %v: want the run's counts", workers[i], o.res.TrapTemplates, outs[0].res.TrapTemplates)
		}
	}
	total := 0
	for _, c := range outs[0].res.TrapTemplates {
		total += c.N
	}
	if n := stores[0].count(t, "SELECT count(*) FROM fleet_urls WHERE reason = 'trap_template'"); n != total {
		t.Errorf("summary counts %d skipped URLs, the fleet frontier %d", total, n)
	}
	for shape := range wantSkips {
		if gotSkips[shape] == 0 {
			t.Errorf("template %s cut by one crawler, not by the fleet (%v)", shape, gotSkips)
		}
	}
}

// templateShape is a template without its host.
func templateShape(tmpl string) string {
	for i := range len(tmpl) {
		if tmpl[i] == '/' {
			return tmpl[i:]
		}
	}
	return tmpl
}
