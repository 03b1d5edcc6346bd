package archivecopy

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
)

// TestSearchWindowBothBackends: above 1,000 matches both backends rank the
// same candidates (the 1,000 most recently archived matches and the recent
// title matches below them, filters first), so on an archive where every
// body-only match scores the same under bm25 and ts_rank_cd, the first page
// is the same on SQLite and on its PostgreSQL copy: the old title matches,
// then the oldest articles of the window (not of the archive); Exhaustive
// reaches the archive's oldest.
func TestSearchWindowBothBackends(t *testing.T) {
	if testing.Short() {
		t.Skip("1,300 articles on both backends")
	}
	ctx := context.Background()
	src := openSQLite(t, "window.db")
	run, _, err := src.StartRun(ctx, []string{"https://example.com/"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1300
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	var caps []archive.Capture
	for i := range n {
		u := fmt.Sprintf("https://example.com/n/%d", i)
		title := fmt.Sprintf("Report %d", i)
		if i == 10 || i == 20 || i == 30 {
			title = fmt.Sprintf("Battery %d", i) // old title matches
		}
		author := []string{"Eva Fox", "Bob Roe"}[i%2]
		a := record(u, title, "The battery story about cells.", author)
		caps = append(caps, archive.Capture{Entry: archive.QueueEntry{URL: u, Kind: "page", Attempts: 1}, State: archive.StateDone,
			Page: &archive.Page{URL: u, FinalURL: u, Status: 200, FetchedAt: t0.Add(time.Duration(i) * time.Minute),
				Header: http.Header{"Content-Type": {"text/html"}}, ContentType: "text/html", Body: []byte(u)},
			Article: a})
	}
	for c := range slices.Chunk(caps, 200) {
		if _, err := src.Commit(ctx, run, c); err != nil {
			t.Fatal(err)
		}
	}
	pg := openPG(t)
	if _, err := Copy(ctx, src, pg, Options{Batch: 200}); err != nil {
		t.Fatal(err)
	}
	type searcher interface {
		Search(ctx context.Context, q string, opts archive.SearchOptions) ([]archive.SearchHit, error)
	}
	page := func(s searcher, q string, opts archive.SearchOptions) []string {
		t.Helper()
		hits, err := s.Search(ctx, q, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range hits {
			out = append(out, h.Title)
		}
		return out
	}
	for _, c := range []struct {
		q     string
		opts  archive.SearchOptions
		first []string // the page's first titles
	}{
		// Window: articles 300–1299; then the title matches below it.
		{"battery", archive.SearchOptions{Limit: 5}, []string{"Battery 10", "Battery 20", "Battery 30", "Report 300", "Report 301"}},
		{"cells", archive.SearchOptions{Limit: 3}, []string{"Report 300", "Report 301", "Report 302"}},
		{"cells", archive.SearchOptions{Limit: 3, Exhaustive: true}, []string{"Report 0", "Report 1", "Report 2"}},
		// Bob Roe's (odd) newest 1,000 of 650: all of them.
		{"cells", archive.SearchOptions{Limit: 2, Author: "Bob Roe"}, []string{"Report 1", "Report 3"}},
		// A deep page widens the window to 4 × (300 + 2) = 1,208 matches:
		// articles 92–1299, the 301st of them first.
		{"cells", archive.SearchOptions{Limit: 2, Offset: 300}, []string{"Report 392", "Report 393"}},
	} {
		s, p := page(src, c.q, c.opts), page(pg, c.q, c.opts)
		if !slices.Equal(s, p) {
			t.Errorf("%q %+v: SQLite %v, PostgreSQL %v", c.q, c.opts, s, p)
		}
		if len(p) < len(c.first) || !slices.Equal(p[:len(c.first)], c.first) {
			t.Errorf("%q %+v: PostgreSQL %v, want %v first", c.q, c.opts, p, c.first)
		}
	}
}
