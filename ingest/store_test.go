package ingest

// The durability protocol, tested against the Store interface on a real
// SQLite file, on a real PostgreSQL database (FleetStore) and a real crawl of the fixture site on loopback: a failed
// commit loses nothing and the rerun resumes; a crash between batches
// leaves the uncommitted entries in flight, and the resume queues them
// again; Finish drains the writer.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/internal/testsite"
	"github.com/newsarchive/newsarchive/scraper"
)

// The tests run on every backend (backends_test.go): a SQLite file, and a
// FleetStore on a PostgreSQL database.

var errInjected = errors.New("injected commit failure")

// faultyStore is a real store whose Commit fails (without writing) from the
// failAt-th batch on, once or every time; it can also hold each commit.
type faultyStore struct {
	Store
	failAt  int64 // 1-based batch number; 0: never
	always  bool  // every batch from failAt on fails, not only that one
	delay   time.Duration
	batches atomic.Int64
	// failed holds the entry URLs of the batches that failed.
	mu     sync.Mutex
	failed []string
}

func (f *faultyStore) Commit(ctx context.Context, runID int64, caps []archive.Capture) ([]archive.CommitResult, error) {
	n := f.batches.Add(1)
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if f.failAt > 0 && (n == f.failAt || (f.always && n > f.failAt)) {
		f.mu.Lock()
		for _, c := range caps {
			f.failed = append(f.failed, c.Entry.URL)
		}
		f.mu.Unlock()
		return nil, errInjected
	}
	return f.Store.Commit(ctx, runID, caps)
}

// fixtureSite serves the fixture site on loopback.
func fixtureSite(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func testExtractor(t *testing.T) *extract.Extractor {
	t.Helper()
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func crawlConfig() scraper.Config {
	cfg := scraper.DefaultConfig()
	cfg.Delay = 0
	cfg.Parallelism = 4
	cfg.UserAgent = "newsarchive-test"
	return cfg
}

// crawlOnce runs one crawl of seeds into store and finishes the run; it
// returns the crawl's result and error and whether the run was resumed.
func crawlOnce(t *testing.T, store Store, ex *extract.Extractor, seeds []string) (CrawlResult, bool, error) {
	t.Helper()
	ctx := context.Background()
	pl := &Pipeline{Store: store, Extractor: ex}
	run, err := pl.Start(ctx, seeds, map[string]any{"test": true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := run.Crawler(crawlConfig(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	res, runErr := run.Crawl(ctx, c, seeds, scraper.RunOptions{}, nil)
	if res.Status == "" {
		t.Fatalf("seeding failed: %v", runErr)
	}
	if err := run.Finish(ctx, res.Status, run.Counts().RunCounts()); err != nil && runErr == nil {
		runErr = err
	}
	return res, run.Resumed, runErr
}

// reference crawls the fixture site into a fresh archive of b in one go.
func reference(t *testing.T, b backend, ex *extract.Extractor, seeds []string) archiveShape {
	t.Helper()
	s := b.open(t, b.newArchive(t))
	defer s.close(t)
	res, _, err := crawlOnce(t, s, ex, seeds)
	if err != nil || res.Status != archive.RunFinished {
		t.Fatalf("reference crawl: %s, %v", res.Status, err)
	}
	sh := s.shape(t)
	if sh.Pages < 10 || sh.Articles < 5 {
		t.Fatalf("reference crawl archived too little to test with: %+v", sh)
	}
	return sh
}

func TestFailedCommitLosesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		origin := fixtureSite(t)
		seeds := []string{origin + "/"}
		ex := testExtractor(t)
		want := reference(t, b, ex, seeds)

		s := b.open(t, b.newArchive(t))
		defer s.close(t)
		fs := &faultyStore{Store: s, failAt: 2}
		res, resumed, err := crawlOnce(t, fs, ex, seeds)
		if !errors.Is(err, errInjected) || res.Status != archive.RunFailed || resumed {
			t.Fatalf("crawl with a failed commit: status %q, resumed %v, err %v; want failed, a new run, %v", res.Status, resumed, err, errInjected)
		}
		if len(fs.failed) == 0 {
			t.Fatal("no batch failed")
		}
		// Every entry of the failed batch is still in flight (SQLite), or
		// handed back to the fleet by the worker's release (PostgreSQL):
		// not done, not lost.
		for _, u := range fs.failed {
			if st := s.frontierState(t, u); st != b.failedState {
				t.Errorf("%s of the failed batch is %s, want %s", u, st, b.failedState)
			}
		}
		// The rerun resumes the failed run and ends with what one clean
		// crawl archives: nothing lost, nothing twice.
		res, resumed, err = crawlOnce(t, s, ex, seeds)
		if err != nil || res.Status != archive.RunFinished || !resumed {
			t.Fatalf("rerun: status %q, resumed %v, err %v; want a finished resume", res.Status, resumed, err)
		}
		for _, u := range fs.failed {
			if st := s.frontierState(t, u); st == "in_flight" || st == "queued" || st == "" {
				t.Errorf("%s after the rerun: %q", u, st)
			}
		}
		if got := s.shape(t); got != want {
			t.Errorf("after failure and rerun: %+v\nwant (one clean crawl):  %+v", got, want)
		}
	})
}

func TestCrashBetweenBatchesResumes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		origin := fixtureSite(t)
		seeds := []string{origin + "/"}
		ex := testExtractor(t)
		want := reference(t, b, ex, seeds)

		loc := b.newArchive(t)
		s := b.open(t, loc)
		// The process "dies" after the first batch committed: every later
		// batch fails, and the run is never finished (no FinishRun), as
		// after kill -9.
		fs := &faultyStore{Store: s, failAt: 2, always: true}
		ctx := context.Background()
		pl := &Pipeline{Store: fs, Extractor: ex}
		run, err := pl.Start(ctx, seeds, map[string]any{"test": true})
		if err != nil {
			t.Fatal(err)
		}
		c, err := run.Crawler(crawlConfig(), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := run.Crawl(ctx, c, seeds, scraper.RunOptions{}, nil); !errors.Is(err, errInjected) {
			t.Fatalf("crawl: %v, want %v", err, errInjected)
		}
		_, inFlight := s.pending(t, run.ID)
		if inFlight == 0 {
			t.Fatal("nothing left in flight by the crash")
		}
		s.close(t)

		// A new process opens the archive: the run resumes and its
		// in-flight entries are queued again before anything is claimed.
		s = b.open(t, loc)
		defer s.close(t)
		id, resumed, err := s.StartRun(ctx, seeds, map[string]any{"test": true})
		if err != nil || !resumed || id != run.ID {
			t.Fatalf("StartRun after the crash: run %d, resumed %v, %v; want run %d resumed", id, resumed, err, run.ID)
		}
		queued, inFlight2 := s.pending(t, id)
		if inFlight2 != 0 || queued < inFlight {
			t.Fatalf("after resume: %d queued, %d in flight; want the %d in-flight entries queued", queued, inFlight2, inFlight)
		}
		res, resumed, err := crawlOnce(t, s, ex, seeds)
		if err != nil || res.Status != archive.RunFinished || !resumed {
			t.Fatalf("resumed crawl: status %q, resumed %v, err %v", res.Status, resumed, err)
		}
		if got := s.shape(t); got != want {
			t.Errorf("after crash and resume: %+v\nwant (one clean crawl): %+v", got, want)
		}
	})
}

// TestFinishDrains feeds results faster than a slow store commits them:
// Finish returns only once every one is in the archive.
func TestFinishDrains(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, b.newArchive(t))
		defer s.close(t)
		fs := &faultyStore{Store: s, delay: 30 * time.Millisecond}
		pl := &Pipeline{Store: fs, Extractor: testExtractor(t)}
		run, err := pl.Start(ctx, []string{"test:feed"}, map[string]any{"test": true})
		if err != nil {
			t.Fatal(err)
		}
		const n = 300
		for i := range n {
			u := fmt.Sprintf("https://example.org/news/%d", i)
			body := fmt.Sprintf(`<html><head><title>Story %d</title></head><body><article><h1>Story %d</h1><p>Paragraph of story %d, long enough to count as text.</p></article></body></html>`, i, i, i)
			r := &scraper.Result{
				Entry: scraper.Entry{URL: u, Kind: scraper.KindPage, Attempts: 1},
				State: scraper.StateDone,
				Response: &scraper.Response{URL: u, FinalURL: u, Status: 200, Header: http.Header{"Content-Type": {"text/html"}},
					ContentType: "text/html; charset=utf-8", Body: []byte(body), FetchedAt: time.Now()},
			}
			if err := run.Submit(r, archive.WARCLocation{}); err != nil {
				t.Fatal(err)
			}
		}
		if got := run.Counts().Pages; got >= n {
			t.Fatalf("all %d pages committed before Finish: the store is not slow enough to test draining", got)
		}
		if err := run.Finish(ctx, archive.RunFinished, map[string]int{"pages": n}); err != nil {
			t.Fatal(err)
		}
		if got := run.Counts().Pages; got != n {
			t.Errorf("counted %d pages after Finish, want %d", got, n)
		}
		if got := s.shape(t).Pages; got != n {
			t.Errorf("archive holds %d pages after Finish, want %d", got, n)
		}
		if fs.batches.Load() >= n {
			t.Errorf("%d commits for %d results: no group commit", fs.batches.Load(), n)
		}
		runs, err := s.Runs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if last := runs[len(runs)-1]; last.Status != archive.RunFinished {
			t.Errorf("run status %q, want finished", last.Status)
		}
	})
}

// TestFailedCommitStopsSubmit: after a failed batch, Submit and Finish
// report it, and the run is recorded failed, not finished.
func TestFailedCommitStopsSubmit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := b.open(t, b.newArchive(t))
		defer s.close(t)
		fs := &faultyStore{Store: s, failAt: 1}
		pl := &Pipeline{Store: fs, Extractor: testExtractor(t)}
		run, err := pl.Start(ctx, []string{"test:feed"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := &scraper.Result{Entry: scraper.Entry{URL: "https://example.org/x", Kind: scraper.KindPage}, State: scraper.StateSkipped, Reason: "not_html"}
		if err := run.Submit(r, archive.WARCLocation{}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for run.Sink().w.Err() == nil && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if err := run.Submit(r, archive.WARCLocation{}); !errors.Is(err, errInjected) {
			t.Errorf("Submit after a failed batch: %v, want %v", err, errInjected)
		}
		if err := run.Finish(ctx, archive.RunFinished, nil); !errors.Is(err, errInjected) {
			t.Errorf("Finish: %v, want %v", err, errInjected)
		}
		runs, err := s.Runs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if last := runs[len(runs)-1]; last.Status != archive.RunFailed {
			t.Errorf("run status %q, want failed", last.Status)
		}
	})
}

// TestFailedLastCommitEndsCrawl: when a commit fails after the crawl's last
// result was submitted (so no Submit reports the failure), the crawl still
// ends, failed, with its pages in flight for the next run. Before the sink's
// failure stopped the crawl it polled its frontier forever: the failed pages
// never leave the in-flight state, and the frontier counts them as pending.
func TestFailedLastCommitEndsCrawl(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><head><title>Only page</title></head><body><p>No links here.</p></body></html>`)
		}))
		t.Cleanup(srv.Close)
		seeds := []string{srv.URL + "/"}
		s := b.open(t, b.newArchive(t))
		defer s.close(t)
		// Slow failing commits: every result is submitted before the first
		// failure is known, so no Submit reports it.
		fs := &faultyStore{Store: s, failAt: 1, always: true, delay: 300 * time.Millisecond}

		ctx := context.Background()
		pl := &Pipeline{Store: fs, Extractor: testExtractor(t)}
		run, err := pl.Start(ctx, seeds, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := run.Crawler(crawlConfig(), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		type outcome struct {
			res CrawlResult
			err error
		}
		done := make(chan outcome, 1)
		go func() {
			res, err := run.Crawl(ctx, c, seeds, scraper.RunOptions{}, nil)
			done <- outcome{res, err}
		}()
		select {
		case o := <-done:
			if !errors.Is(o.err, errInjected) || o.res.Status != archive.RunFailed {
				t.Fatalf("crawl ended %q, %v; want failed, %v", o.res.Status, o.err, errInjected)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("the crawl did not end after its last commit failed")
		}
		_ = run.Finish(ctx, archive.RunFailed, run.Counts().RunCounts())
		fs.mu.Lock()
		failed := slices.Clone(fs.failed)
		fs.mu.Unlock()
		if !slices.Contains(failed, seeds[0]) {
			t.Errorf("failed batches held %v, want the seed", failed)
		}
	})
}
