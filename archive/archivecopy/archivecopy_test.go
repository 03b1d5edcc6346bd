package archivecopy

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/archive/pgarchive"
	"github.com/newsarchive/newsarchive/extract"
	"github.com/newsarchive/newsarchive/internal/pgtest"
)

// Both backends are sources and destinations.
var (
	_ Source      = (*archive.Store)(nil)
	_ Destination = (*archive.Store)(nil)
	_ Source      = (*pgarchive.DB)(nil)
	_ Destination = (*pgarchive.DB)(nil)
)

func openSQLite(t *testing.T, name string) *archive.Store {
	t.Helper()
	s, err := archive.Open(context.Background(), filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPG(t *testing.T) *pgarchive.DB {
	t.Helper()
	db, err := pgarchive.Open(context.Background(), pgtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

func record(url, title, body string, authors ...string) *extract.Article {
	a := &extract.Article{URL: url, CanonicalURL: url, SiteName: "Example", Language: "en", Title: title,
		PublishedAt: "2021-02-10T09:00:00Z", BodyText: body, BodyHTML: "<p>" + body + "</p>", WordCount: 5,
		ExtractorVersion: extract.Version, IsArticle: true, Tags: []string{"Port"},
		Editors: []extract.Editor{{Name: "Ann Lee", Handle: "@annlee"}},
		Related: []extract.Link{{URL: "https://example.com/rel", Title: "Related"}}}
	for _, n := range authors {
		a.Authors = append(a.Authors, extract.Author{Name: n, Bio: "bio of " + n})
	}
	return a
}

// fill writes an archive with what a copy must carry: versions of one
// article, an older capture that is a version of its own without becoming
// the latest, an unchanged refetch, a 304, a redirect, a page without
// article, one held twice (a capture in two imported WARC files), one
// whose extraction failed, and bodies that are not UTF-8.
func fill(t *testing.T, s *archive.Store) {
	t.Helper()
	ctx := context.Background()
	run, _, err := s.StartRun(ctx, []string{"https://example.com/"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 123_000_000, time.UTC)
	page := func(url string, body string, at time.Duration) *archive.Page {
		return &archive.Page{URL: url, FinalURL: url, Status: 200, FetchedAt: t0.Add(at), Duration: 42 * time.Millisecond,
			Header: http.Header{"Content-Type": {"text/html"}, "Etag": {`"x"`}}, ContentType: "text/html", Body: []byte(body)}
	}
	const a, b = "https://example.com/a", "https://example.com/b"
	caps := []archive.Capture{
		{Page: page(a, "<p>one</p>", 0), Article: record(a, "Alpha café", "first text about the harbour", "Jörg Müller")},
		{Page: page(a, "<p>one again</p>", time.Hour), Article: record(a, "Alpha café", "first text about the harbour", "Jörg Müller")},
		{Page: page(a, "<p>two</p>", 2*time.Hour), Article: record(a, "Alpha café", "second text about prices", "Jörg Müller", "Eva Fox")},
		{Page: page(a, "<p>old</p>", -time.Hour), Article: record(a, "Alpha old", "an older text about okapis")},
		{Page: &archive.Page{URL: a, FinalURL: a, Status: 304, FetchedAt: t0.Add(3 * time.Hour), NotModified: true}},
		{Page: func() *archive.Page {
			p := page("https://example.com/b-old", "<p>beta</p>", time.Minute)
			p.FinalURL, p.Redirects = b, []string{"https://example.com/b-old"}
			return p
		}(), Article: record(b, "Beta", "beta text about the harbour", "Eva Fox")},
		{Page: page("https://example.com/", "<a href=a>a</a>", 0)},
		{Page: page("https://example.com/", "<a href=a>a</a>", 0)}, // one capture imported twice
		{Page: page("https://example.com/bin", "\xff\xfe\x00binary\x80", time.Minute), ExtractError: "not HTML"},
	}
	for i := range caps {
		caps[i].Entry = archive.QueueEntry{URL: caps[i].Page.URL, Kind: "page"}
		caps[i].State = archive.StateDone
		if _, err := s.Commit(ctx, run, caps[i:i+1]); err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
	}
	rec, err := s.ArticleByURL(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []archive.Event{
		{URL: a, ArticleID: rec.ID, Kind: archive.EventUnpublished, Status: 410, At: t0.Add(4 * time.Hour), RunID: run},
		{URL: "https://example.com/gone", Kind: archive.EventMoved, Status: 301, Detail: "https://example.com/", At: t0.Add(5 * time.Hour)},
	} {
		if _, err := s.RecordEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCopyRoundTrip copies a SQLite archive to PostgreSQL and back: the
// pages, bodies and records are the same in all three, a second run copies
// nothing, and search finds the same articles on each.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openSQLite(t, "src.db")
	fill(t, src)
	pg := openPG(t)
	back := openSQLite(t, "back.db")

	s1, err := Copy(ctx, src, pg, Options{Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s1.Pages != 9 || s1.PagesCopied != 9 || s1.Versions != 4 || s1.VersionsCopied != 4 || s1.ArticlesNew != 2 ||
		s1.Events != 2 || s1.EventsCopied != 2 {
		t.Errorf("SQLite → PostgreSQL: %+v, want 9 pages, 4 versions, 2 articles, 2 events copied", s1)
	}
	if err := Compare(ctx, src, pg); err != nil {
		t.Fatalf("SQLite → PostgreSQL: %v", err)
	}
	s2, err := Copy(ctx, pg, back, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s2.PagesCopied != 9 || s2.VersionsCopied != 4 || s2.EventsCopied != 2 {
		t.Errorf("PostgreSQL → SQLite: %+v", s2)
	}
	if err := Compare(ctx, src, back); err != nil {
		t.Fatalf("SQLite → PostgreSQL → SQLite: %v", err)
	}
	// Idempotent: a second run copies nothing, in both directions.
	for _, c := range []struct {
		name string
		src  Source
		dst  Destination
	}{{"SQLite → PostgreSQL", src, pg}, {"PostgreSQL → SQLite", pg, back}} {
		s, err := Copy(ctx, c.src, c.dst, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.PagesCopied != 0 || s.VersionsCopied != 0 || s.ArticlesNew != 0 || s.EventsCopied != 0 || s.Pages != 9 ||
			s.Versions != 4 || s.Events != 2 {
			t.Errorf("%s, second run: %+v, want nothing copied", c.name, s)
		}
	}
	// The latest version is the same: the older capture did not displace it.
	for _, r := range []interface {
		ArticleByURL(context.Context, string) (*archive.ArticleRecord, error)
	}{src, pg, back} {
		rec, err := r.ArticleByURL(ctx, "https://example.com/a")
		if err != nil {
			t.Fatal(err)
		}
		if rec.Record.BodyText != "second text about prices" || len(rec.Versions) != 3 {
			t.Errorf("%T: latest %q, %d versions; want the second text of 3 versions", r, rec.Record.BodyText, len(rec.Versions))
		}
	}
	// Search: the same hits on the three archives (filters and folding
	// included: the credits tables were filled by the copy).
	queries := []struct {
		q    string
		opts archive.SearchOptions
	}{{"harbour", archive.SearchOptions{}}, {"cafe", archive.SearchOptions{}}, {"", archive.SearchOptions{Author: "eva fox"}},
		{"", archive.SearchOptions{Editor: "@annlee", Tag: "port"}}, {"okapis", archive.SearchOptions{}}}
	for _, q := range queries {
		var sets [][]string
		for _, s := range []interface {
			Search(context.Context, string, archive.SearchOptions) ([]archive.SearchHit, error)
		}{src, pg, back} {
			hits, err := s.Search(ctx, q.q, q.opts)
			if err != nil {
				t.Fatal(err)
			}
			var urls []string
			for _, h := range hits {
				urls = append(urls, h.CanonicalURL)
			}
			slices.Sort(urls)
			sets = append(sets, urls)
		}
		if !slices.Equal(sets[0], sets[1]) || !slices.Equal(sets[0], sets[2]) {
			t.Errorf("search %q %+v: SQLite %v, PostgreSQL %v, back %v", q.q, q.opts, sets[0], sets[1], sets[2])
		}
		if q.q == "harbour" && len(sets[0]) != 1 {
			t.Errorf("search harbour: %v, want only beta (a's latest version speaks of prices)", sets[0])
		}
	}
}

// TestCopyInterrupted cancels a copy midway, in the pages and then in the
// versions; the run that follows completes it, with the same result as a
// copy that was never stopped.
func TestCopyInterrupted(t *testing.T) {
	ctx := context.Background()
	src := openSQLite(t, "src.db")
	fill(t, src)
	for _, stopAt := range []string{"pages", "versions", "events"} {
		t.Run(stopAt, func(t *testing.T) {
			pg := openPG(t)
			cctx, cancel := context.WithCancel(ctx)
			batches := 0
			_, err := Copy(cctx, src, pg, Options{Batch: 1, Progress: func(s Summary) {
				// The first events batch (of two), the second of the others.
				if s.Phase == stopAt {
					if batches++; batches == 2 || (stopAt == "events" && batches == 1) {
						cancel()
					}
				}
			}})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("interrupted copy: %v, want context.Canceled", err)
			}
			if err := Compare(ctx, src, pg); err == nil {
				t.Fatal("the interrupted copy is already complete: it was not interrupted midway")
			}
			s, err := Copy(ctx, src, pg, Options{Batch: 2})
			if err != nil {
				t.Fatal(err)
			}
			if s.PagesCopied+s.VersionsCopied+s.EventsCopied == 0 {
				t.Errorf("resumed copy copied nothing: %+v", s)
			}
			if err := Compare(ctx, src, pg); err != nil {
				t.Fatalf("resumed copy: %v", err)
			}
			back := openSQLite(t, "back.db")
			if _, err := Copy(ctx, pg, back, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := Compare(ctx, src, back); err != nil {
				t.Fatalf("resumed copy, back to SQLite: %v", err)
			}
		})
	}
}
