package pgarchive

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/frontier"
)

// TestCommitLeasedTemplates: CommitLeased counts trap defence's templates
// of the run in the page's transaction. A fetch yields for an article, or
// for a link that is new to the fleet frontier (one another worker already
// enqueued does not count); since_yield counts the fetches after the last
// yield, across leases and workers; skips count per template; TemplateStats
// reads one host's templates or all; another run starts from zero.
func TestCommitLeasedTemplates(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	f := db.Fleet()
	run, _, err := db.StartRun(ctx, "w1", RunCrawl, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	const (
		host  = "cal.example"
		day   = host + "/calendar/{n}/{n}/{n}"
		month = host + "/calendar/{n}/{n}"
	)
	dayURL := func(d int) string { return "https://cal.example/calendar/2021/01/" + string(rune('a'+d)) }
	var urls []frontier.Entry
	for d := range 6 {
		urls = append(urls, frontier.Entry{URL: dayURL(d)})
	}
	// The month page is in the frontier already (done): another worker
	// found and fetched it.
	const knownMonth = "https://cal.example/calendar/2021/01"
	if _, err := f.Enqueue(ctx, append(urls, frontier.Entry{URL: knownMonth})); err != nil {
		t.Fatal(err)
	}
	if _, err := db.pool.Exec(ctx, `UPDATE fleet_urls SET state = 'done' WHERE url = $1`, knownMonth); err != nil {
		t.Fatal(err)
	}
	// commit commits c as the next day's page under a new lease of worker
	// w: the host changes hands between pages.
	commit := func(w string, c archive.Capture) archive.CommitResult {
		t.Helper()
		l, ok, err := f.ClaimHost(ctx, w, 1, time.Minute)
		if err != nil || !ok || l.Host != host {
			t.Fatalf("claim: %+v %v %v", l, ok, err)
		}
		c.Entry = l.Entries[0]
		if c.State == "" {
			c.State = archive.StateDone
		}
		r, err := db.CommitLeased(ctx, run, l, c)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Release(ctx, l, frontier.Pace{}); err != nil {
			t.Fatal(err)
		}
		return r
	}
	page := func(yield bool, links ...string) archive.Capture {
		c := archive.Capture{Template: day, TemplateYield: yield, YieldLinks: links}
		for _, u := range links {
			c.Links = append(c.Links, frontier.Entry{URL: u})
		}
		return c
	}
	steps := []struct {
		worker string
		c      archive.Capture
		since  int
	}{
		{"w1", page(false), 1},
		{"w2", page(false), 2},
		// New to w1, not to the fleet: no yield.
		{"w1", page(true, knownMonth), 3},
		// New to the fleet: a yield.
		{"w3", page(true, "https://cal.example/calendar/2021/02"), 0},
		{"w2", page(false), 1},
		// An article yields whatever its links.
		{"w1", archive.Capture{Template: day, Article: archivetestCapture(dayURL(5)).Article,
			Page: archivetestCapture(dayURL(5)).Page}, 0},
	}
	for i, s := range steps {
		if s.c.Page != nil {
			s.c.Page.URL, s.c.Page.FinalURL = dayURL(i), dayURL(i)
		}
		r := commit(s.worker, s.c)
		if r.TemplateCount.Template != day || r.TemplateCount.Fetches != i+1 || r.TemplateCount.SinceYield != s.since {
			t.Errorf("step %d: counts %+v, want %s fetched %d, %d since a yield", i, r.TemplateCount, day, i+1, s.since)
		}
	}
	// Two skips under the month template, by two workers.
	for range 2 {
		if _, err := f.Enqueue(ctx, []frontier.Entry{{URL: "https://cal.example/calendar/2022/0" + string(rune('1'+len(urls)))}}); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, frontier.Entry{}) // the next month
		l, ok, err := f.ClaimHost(ctx, "w1", 1, time.Minute)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if _, err := db.CommitLeased(ctx, run, l, archive.Capture{Entry: l.Entries[0], State: archive.StateSkipped,
			Reason: string(frontier.ReasonTrapTemplate), Detail: month}); err != nil {
			t.Fatal(err)
		}
		if err := f.Release(ctx, l, frontier.Pace{}); err != nil {
			t.Fatal(err)
		}
	}
	cuts, err := db.TrapTemplateCounts(ctx, run)
	if err != nil || !slices.Equal(cuts, []archive.Count{{Key: month, N: 2}}) {
		t.Errorf("trap template counts %+v, %v; want %s skipped twice", cuts, err, month)
	}
	want := []archive.TemplateStat{{Template: day, Fetches: 6, SinceYield: 0}}
	for _, h := range []string{host, ""} {
		got, err := db.TemplateStats(ctx, run, h)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("template stats of host %q: %+v, %v; want %+v (skips only: not listed)", h, got, err, want)
		}
	}
	if got, err := db.TemplateStats(ctx, run, "other.example"); err != nil || len(got) != 0 {
		t.Errorf("template stats of another host: %+v, %v", got, err)
	}
	if got, err := db.TemplateStats(ctx, run+1, ""); err != nil || len(got) != 0 {
		t.Errorf("template stats of another run: %+v, %v", got, err)
	}
}
