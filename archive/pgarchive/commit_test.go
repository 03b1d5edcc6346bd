package pgarchive

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/archivetest"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/frontier"
)

// pgBackend commits each capture as a crawler worker does: the entry's host
// is leased, the page committed under the lease, the lease released.
type pgBackend struct{ db *DB }

func fleetEntry(e archive.QueueEntry) frontier.Entry {
	return frontier.Entry{URL: e.URL, Depth: e.Depth, Kind: frontier.Kind(e.Kind), Via: e.Via, Request: e.Request, Listed: e.Listed}
}

func (b pgBackend) Commit(ctx context.Context, c archive.Capture) (archive.CommitResult, error) {
	f := b.db.Fleet()
	if _, err := f.Enqueue(ctx, []frontier.Entry{fleetEntry(c.Entry)}); err != nil {
		return archive.CommitResult{}, err
	}
	// A refetch of a finished URL: queue it again (a new crawl would).
	if _, err := b.db.pool.Exec(ctx, `UPDATE fleet_urls SET state = 'queued' WHERE url = $1`, c.Entry.URL); err != nil {
		return archive.CommitResult{}, err
	}
	l, ok, err := f.ClaimHost(ctx, "contract", 1000, time.Minute)
	if err != nil || !ok {
		return archive.CommitResult{}, fmt.Errorf("claim: ok=%v err=%v", ok, err)
	}
	if !slices.ContainsFunc(l.Entries, func(e frontier.Entry) bool { return e.URL == c.Entry.URL }) {
		return archive.CommitResult{}, fmt.Errorf("lease of %s lacks %s", l.Host, c.Entry.URL)
	}
	pc := PageCommit{Result: frontier.Result{URL: c.Entry.URL, State: frontier.State(c.State), Reason: frontier.Reason(c.Reason),
		Detail: c.Detail}, Page: c.Page, Article: c.Article, ExtractError: c.ExtractError}
	for _, e := range c.Links {
		pc.Result.Links = append(pc.Result.Links, fleetEntry(e))
	}
	r, err := b.db.CommitPage(ctx, l, pc)
	if err != nil {
		return r, err
	}
	return r, f.Release(ctx, l, frontier.Pace{})
}

func (b pgBackend) ArticleByURL(ctx context.Context, url string) (*archive.ArticleRecord, error) {
	return b.db.ArticleByURL(ctx, url)
}

func (b pgBackend) Search(ctx context.Context, q string, opts archive.SearchOptions) ([]archive.SearchHit, error) {
	return b.db.Search(ctx, q, opts)
}

func (b pgBackend) PageBody(ctx context.Context, id int64) ([]byte, error) {
	return b.db.PageBody(ctx, id)
}

// TestPageContract runs the per-page commit contract on PostgreSQL.
func TestPageContract(t *testing.T) {
	archivetest.Run(t, func(t *testing.T) archivetest.Backend { return pgBackend{openTest(t)} })
}

// TestSearchContract runs the search filters' contract on PostgreSQL.
func TestSearchContract(t *testing.T) {
	archivetest.RunSearch(t, func(t *testing.T) archivetest.Backend { return pgBackend{openTest(t)} })
}

// TestCommitPageFenced: a worker whose lease was taken over stores nothing,
// not even the raw page; the current holder's commit is stored once.
func TestCommitPageFenced(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	f := db.Fleet()
	const u = "https://example.com/story"
	if _, err := f.Enqueue(ctx, []frontier.Entry{{URL: u}}); err != nil {
		t.Fatal(err)
	}
	late, ok, err := f.ClaimHost(ctx, "late", 10, 100*time.Millisecond)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	time.Sleep(150 * time.Millisecond)
	cur, ok, err := f.ClaimHost(ctx, "current", 10, time.Minute)
	if err != nil || !ok || cur.Token <= late.Token {
		t.Fatalf("take over: %+v %v %v", cur, ok, err)
	}
	pageOf := func(l frontier.Lease) PageCommit {
		c := archivetestCapture(u)
		return PageCommit{Result: frontier.Result{URL: u, State: frontier.StateDone,
			Links: []frontier.Entry{{URL: "https://example.com/next-" + l.Worker}}}, Page: c.Page, Article: c.Article}
	}
	if _, err := db.CommitPage(ctx, late, pageOf(late)); !errors.Is(err, frontier.ErrStaleLease) {
		t.Fatalf("commit under a stale lease: %v, want ErrStaleLease", err)
	}
	r, err := db.CommitPage(ctx, cur, pageOf(cur))
	if err != nil || !r.NewArticle {
		t.Fatalf("commit under the current lease: %+v, %v", r, err)
	}
	var pages, versions, links int
	if err := db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM versions),
		(SELECT count(*) FROM fleet_urls WHERE url LIKE '%/next-%')`).Scan(&pages, &versions, &links); err != nil {
		t.Fatal(err)
	}
	if pages != 1 || versions != 1 || links != 1 {
		t.Fatalf("pages %d, versions %d, links %d; want 1 each (the current lease's)", pages, versions, links)
	}
	if s, _, _, _ := f.State(ctx, u); s != frontier.StateDone {
		t.Fatalf("state %s, want done", s)
	}
	var worker string
	if err := db.pool.QueryRow(ctx, `SELECT worker FROM pages`).Scan(&worker); err != nil || worker != "current" {
		t.Fatalf("page stored by %q (%v), want current", worker, err)
	}
}

// archivetestCapture is an article capture of url.
func archivetestCapture(url string) archive.Capture {
	return archive.Capture{Entry: archive.QueueEntry{URL: url}, State: archive.StateDone,
		Page:    &archive.Page{URL: url, FinalURL: url, Status: 200, FetchedAt: time.Now(), Body: []byte("<p>story</p>")},
		Article: &extract.Article{URL: url, Title: "Story", BodyText: "story", IsArticle: true}}
}

// TestCommitPageConcurrent: 8 workers crawl 6 hosts whose pages are copies of
// the same 10 stories (one canonical URL each, on another host). Commits of
// one story race across hosts, yet each story is one article with one version
// and every fetched URL is one of its aliases.
func TestCommitPageConcurrent(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	f := db.Fleet()
	const hosts, stories, workers = 6, 10, 8
	var seeds []frontier.Entry
	for h := range hosts {
		for s := range stories {
			seeds = append(seeds, frontier.Entry{URL: fmt.Sprintf("http://h%d.test/story-%d", h, s)})
		}
	}
	if _, err := f.Enqueue(ctx, seeds); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for progress := time.Now(); time.Since(progress) < 10*time.Second; {
				l, ok, err := f.ClaimHost(ctx, fmt.Sprintf("w%d", w), 2, time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if !ok {
					c, err := f.Counts(ctx)
					if err != nil {
						errs <- err
						return
					}
					if c[frontier.StateQueued]+c[frontier.StateInFlight] == 0 {
						return
					}
					time.Sleep(5 * time.Millisecond)
					continue
				}
				progress = time.Now()
				for _, e := range l.Entries {
					var s int
					fmt.Sscanf(e.URL[strings.LastIndexByte(e.URL, '-')+1:], "%d", &s)
					canon := fmt.Sprintf("https://canon.test/story-%d", s)
					a := &extract.Article{URL: e.URL, CanonicalURL: canon, Title: fmt.Sprintf("Story %d", s),
						BodyText: fmt.Sprintf("Text of story %d.", s), IsArticle: true}
					pc := PageCommit{Result: frontier.Result{URL: e.URL, State: frontier.StateDone},
						Page:    &archive.Page{URL: e.URL, FinalURL: e.URL, Status: 200, FetchedAt: time.Now(), Body: []byte(a.BodyText)},
						Article: a}
					if _, err := db.CommitPage(ctx, l, pc); err != nil {
						errs <- err
						return
					}
				}
				if err := f.Release(ctx, l, frontier.Pace{}); err != nil {
					errs <- err
					return
				}
			}
			errs <- fmt.Errorf("worker %d: no host ready for 10 s while URLs were pending", w)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var pages, articles, versions, aliases, searchRows int
	if err := db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM articles),
		(SELECT count(*) FROM versions), (SELECT count(*) FROM aliases), (SELECT count(*) FROM article_search)`).
		Scan(&pages, &articles, &versions, &aliases, &searchRows); err != nil {
		t.Fatal(err)
	}
	if pages != hosts*stories || articles != stories || versions != stories || aliases != stories*(hosts+1) || searchRows != stories {
		t.Fatalf("pages %d articles %d versions %d aliases %d search rows %d; want %d, %d, %d, %d, %d",
			pages, articles, versions, aliases, searchRows, hosts*stories, stories, stories, stories*(hosts+1), stories)
	}
}
