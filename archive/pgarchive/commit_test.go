package pgarchive

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

func (b pgBackend) Search(ctx context.Context, q string) ([]archive.SearchHit, error) {
	return b.db.Search(ctx, q, 0)
}

func (b pgBackend) PageBody(ctx context.Context, id int64) ([]byte, error) {
	return b.db.PageBody(ctx, id)
}

// TestPageContract runs the per-page commit contract on PostgreSQL.
func TestPageContract(t *testing.T) {
	archivetest.Run(t, func(t *testing.T) archivetest.Backend { return pgBackend{openTest(t)} })
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
