package archive

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSearchDateRangeScattered checks the date-range paths of Search against
// the reference on an archive whose publication dates are NOT in archive
// order (an import of older pages): scattered dates and blocks with holes
// (the range's ids are matched against the publication-day index), a block
// of dates in id order (the id bounds alone), ranges holding nothing, and published_at values
// the index cannot hold ("now", any case) or julianday cannot read.
func TestSearchDateRangeScattered(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	run := startRun(t, s)
	vocab := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
	r := rand.New(rand.NewPCG(5, 5))
	text := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[min(r.IntN(len(vocab)), r.IntN(len(vocab)))]
		}
		return strings.Join(ws, " ")
	}
	const n = 600
	var caps []Capture
	for i := range n {
		u := fmt.Sprintf("https://news.example.com/a/%d", i)
		var published string
		switch {
		case i < 400: // scattered over 2000–2019
			pub := time.Date(2000+r.IntN(20), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
			published = pub.Format(time.RFC3339)
			if i%5 == 0 {
				published = pub.Format("2006-01-02T15:04:05") + "+09:00"
			}
		default: // in id order, 2022
			published = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i-400) * 40 * time.Hour).Format(time.RFC3339)
		}
		switch i % 50 {
		case 7:
			published = "now"
		case 17:
			published = " NOW"
		case 27:
			published = "not a date"
		case 37:
			published = ""
		}
		a := newArticle(u, text(5), withBody(text(30+r.IntN(100))), withPublished(published),
			withAuthors([]string{"Eva Fox", "Omar Said"}[i%2]))
		caps = append(caps, captureOf(u, a))
		if len(caps) == 100 {
			commit(t, s, run, caps...)
			caps = caps[:0]
		}
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	thisYear := day(time.Now().Year(), 1, 1)
	ranges := []struct {
		name            string
		opts            SearchOptions
		ok, exact, empt bool
	}{
		{"scattered year", SearchOptions{Since: day(2010, 1, 1), Until: day(2011, 1, 1)}, true, false, false},
		{"scattered decade", SearchOptions{Since: day(2005, 1, 1), Until: day(2015, 1, 1)}, true, false, false},
		{"ordered block with holes", SearchOptions{Since: day(2022, 2, 1), Until: day(2022, 6, 1)}, true, false, false},
		{"ordered block", SearchOptions{Since: day(2022, 1, 2), Until: day(2022, 1, 11)}, true, true, false},
		{"since only", SearchOptions{Since: day(2021, 6, 1)}, true, false, false},
		{"until only", SearchOptions{Until: day(2001, 1, 1), Author: "Eva Fox"}, true, false, false},
		{"now included", SearchOptions{Since: thisYear, Until: thisYear.AddDate(1, 0, 0)}, true, false, false},
		{"nothing", SearchOptions{Since: day(1990, 1, 1), Until: day(1991, 1, 1)}, true, true, true},
		{"unknown author", SearchOptions{Since: day(2010, 1, 1), Until: day(2011, 1, 1), Author: "Nobody Here"}, true, false, false},
		{"with site", SearchOptions{Since: day(2010, 1, 1), Until: day(2013, 1, 1), Site: "news.example.com"}, true, false, false},
	}
	for _, window := range []int{0, 15} {
		s.testRankWindow = window
		for _, rg := range ranges {
			d, err := s.dateRange(ctx, rg.opts)
			if err != nil {
				t.Fatal(err)
			}
			if d.ok != rg.ok || d.exact != rg.exact || d.empty != rg.empt {
				t.Errorf("%s: dateRange = %+v, want ok %v exact %v empty %v", rg.name, d, rg.ok, rg.exact, rg.empt)
			}
			for _, q := range []string{"alpha", "alpha beta", "theta", "eta OR zeta", `"alpha alpha"`, "alpha AND", "nosuchcol:alpha"} {
				for _, page := range []SearchOptions{{}, {Limit: 7, Offset: 5}} {
					o := rg.opts
					o.Limit, o.Offset = page.Limit, page.Offset
					got, gerr := s.Search(ctx, q, o)
					want, werr := s.searchReference(ctx, q, o)
					if fmt.Sprint(gerr) != fmt.Sprint(werr) {
						t.Fatalf("%s, %q: error %v, reference %v", rg.name, q, gerr, werr)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("window %d, %s, %q %+v:\n got %s\nwant %s", window, rg.name, q, o, hitList(got), hitList(want))
					}
					if rg.name == "now included" && q == "alpha" && page.Limit == 0 && len(want) == 0 {
						t.Errorf("now included: the reference finds no 'now' article; the test checks nothing")
					}
				}
			}
		}
	}
}

// TestOptimizeIndex: after many small commits the index has several
// segments; OptimizeIndex leaves fewer index rows, the same answers, and a
// sound index. A read-only store refuses.
func TestOptimizeIndex(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	run := startRun(t, s)
	r := rand.New(rand.NewPCG(3, 3))
	for i := range 60 {
		u := fmt.Sprintf("https://news.example.com/o/%d", i)
		commit(t, s, run, captureOf(u, newArticle(u, genText(r, 5), withBody(genText(r, 80)))))
	}
	before := queryInt(t, s, `SELECT count(*) FROM articles_fts_data`)
	want, err := s.Search(ctx, "electric", SearchOptions{Limit: 50})
	if err != nil || len(want) == 0 {
		t.Fatalf("Search = %d hits, %v", len(want), err)
	}
	if err := s.OptimizeIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if after := queryInt(t, s, `SELECT count(*) FROM articles_fts_data`); after >= before {
		t.Errorf("articles_fts_data rows: %d before optimize, %d after; want fewer", before, after)
	}
	got, err := s.Search(ctx, "electric", SearchOptions{Limit: 50})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Search after optimize = %s, %v; want %s", hitList(got), err, hitList(want))
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("integrity-check: %v", err)
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.OptimizeIndex(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only OptimizeIndex = %v, want ErrReadOnly", err)
	}
}

// TestDateRangeCacheFollowsCommits: a date range searched before versions
// were added counts them afterwards (inside and outside the range, in and
// out of id order) exactly as a fresh count does, and Search still answers
// as the reference.
func TestDateRangeCacheFollowsCommits(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	run := startRun(t, s)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	add := func(from, to int, pub func(i int) string) {
		var caps []Capture
		for i := from; i < to; i++ {
			u := fmt.Sprintf("https://news.example.com/c/%d", i)
			caps = append(caps, captureOf(u, newArticle(u, "electric car "+itoa(i), withPublished(pub(i)))))
		}
		commit(t, s, run, caps...)
	}
	inOrder := func(i int) string { return day(2020, 1, 1).AddDate(0, 0, i).Format(time.RFC3339) }
	add(0, 100, inOrder)
	ranges := []SearchOptions{
		{Since: day(2020, 2, 1), Until: day(2020, 3, 1)},
		{Since: day(2020, 3, 1)},
		{Until: day(2020, 1, 20)},
		{Since: day(2019, 1, 1), Until: day(2019, 2, 1)}, // empty at first
	}
	check := func(stage string) {
		t.Helper()
		for _, o := range ranges {
			got, err := s.dateRange(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			s.dates.mu.Lock()
			saved := s.dates.m
			s.dates.m = nil
			s.dates.mu.Unlock()
			fresh, err := s.dateRange(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			s.dates.mu.Lock()
			s.dates.m = saved
			s.dates.mu.Unlock()
			if got != fresh {
				t.Errorf("%s, %v–%v: cached dateRange %+v, fresh %+v", stage, o.Since, o.Until, got, fresh)
			}
			o.Limit = 50
			hits, err := s.Search(ctx, "electric", o)
			want, werr := s.searchReference(ctx, "electric", o)
			if err != nil || werr != nil || !reflect.DeepEqual(hits, want) {
				t.Errorf("%s, %v–%v: Search %s (%v), reference %s (%v)", stage, o.Since, o.Until, hitList(hits), err, hitList(want), werr)
			}
		}
	}
	check("first")
	check("cached")
	add(100, 110, inOrder)                                                                // after the ranges, in order
	add(110, 120, func(i int) string { return day(2020, 2, 10).Format(time.RFC3339) })    // inside February, out of order
	add(120, 125, func(i int) string { return day(2019, 1, i-110).Format(time.RFC3339) }) // into the empty range
	add(125, 127, func(i int) string { return []string{"now", "garbage"}[i-125] })        // 'now' and unreadable
	check("after commits")
}

// TestDateRangeConcurrent: searches over date ranges from several
// goroutines while a writer commits (run with -race) answer without error
// and, once the writer is done, as the reference.
func TestDateRangeConcurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	run := startRun(t, s)
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range 10 {
			var caps []Capture
			for i := range 20 {
				n := b*20 + i
				u := fmt.Sprintf("https://news.example.com/p/%d", n)
				caps = append(caps, captureOf(u, newArticle(u, "electric "+itoa(n),
					withPublished(day.AddDate(0, 0, (n*37)%200).Format(time.RFC3339)))))
			}
			if _, err := s.Commit(ctx, run, caps); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			var err error
			for i := range 30 {
				o := SearchOptions{Since: day.AddDate(0, 0, g*10), Until: day.AddDate(0, 0, g*10+30+i%3)}
				if _, err = s.Search(ctx, "electric", o); err != nil {
					break
				}
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	<-done
	for g := range 4 {
		o := SearchOptions{Since: day.AddDate(0, 0, g*10), Until: day.AddDate(0, 0, g*10+30), Limit: 100}
		got, err := s.Search(ctx, "electric", o)
		want, werr := s.searchReference(ctx, "electric", o)
		if err != nil || werr != nil || !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Errorf("range %d: Search %s (%v), reference %s (%v)", g, hitList(got), err, hitList(want), werr)
		}
	}
}

// TestMergeIndex: the segments commits leave beside an optimized index are
// merged among themselves, the optimized one left as it was (its segment
// id kept), and searches answer as before; both indexes stay sound.
func TestMergeIndex(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	run := startRun(t, s)
	r := rand.New(rand.NewPCG(4, 4))
	add := func(from, n int) {
		for i := from; i < from+n; i++ {
			u := fmt.Sprintf("https://news.example.com/m/%d", i)
			commit(t, s, run, captureOf(u, newArticle(u, genText(r, 5), withBody(genText(r, 80)))))
		}
	}
	segments := func(tbl string) (n, largest int64) {
		t.Helper()
		err := s.r.QueryRowContext(ctx, `SELECT count(*), (SELECT segid FROM `+tbl+`_idx GROUP BY segid ORDER BY count(*) DESC, segid LIMIT 1)
			FROM (SELECT DISTINCT segid FROM `+tbl+`_idx)`).Scan(&n, &largest)
		if err != nil {
			t.Fatal(err)
		}
		return n, largest
	}
	add(0, 400)
	if err := s.OptimizeIndex(ctx); err != nil {
		t.Fatal(err)
	}
	_, big := segments("articles_fts")
	add(400, 40) // one commit each: one segment each, some automerged
	n, _ := segments("articles_fts")
	tn, _ := segments("articles_title_fts")
	if n < 4 || tn < 4 {
		t.Fatalf("%d and %d segments after 40 commits; the test needs more", n, tn)
	}
	var want [][]SearchHit
	queries := []string{"electric", "battery supply", "texas OR berlin", `"solar roof"`}
	for _, q := range queries {
		hits, err := s.Search(ctx, q, SearchOptions{Limit: 30})
		if err != nil || len(hits) == 0 {
			t.Fatalf("Search %q = %d hits, %v", q, len(hits), err)
		}
		want = append(want, hits)
	}
	if err := s.MergeIndex(ctx); err != nil {
		t.Fatal(err)
	}
	after, big2 := segments("articles_fts")
	tafter, _ := segments("articles_title_fts")
	if after >= n || tafter >= tn || after > 3 {
		t.Errorf("segments: articles_fts %d → %d, articles_title_fts %d → %d; want fewer (at most 3)", n, after, tn, tafter)
	}
	if big2 != big {
		t.Errorf("the optimized segment %d was rewritten (largest now %d)", big, big2)
	}
	for i, q := range queries {
		got, err := s.Search(ctx, q, SearchOptions{Limit: 30})
		if err != nil || !reflect.DeepEqual(got, want[i]) {
			t.Errorf("Search %q after merge = %s, %v; want %s", q, hitList(got), err, hitList(want[i]))
		}
	}
	for _, tbl := range []string{"articles_fts", "articles_title_fts"} {
		if _, err := s.w.ExecContext(ctx, `INSERT INTO `+tbl+` (`+tbl+`) VALUES ('integrity-check')`); err != nil {
			t.Errorf("%s integrity-check: %v", tbl, err)
		}
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.MergeIndex(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only MergeIndex = %v, want ErrReadOnly", err)
	}
}
