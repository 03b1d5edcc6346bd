package watch

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/scraper"
)

type nopSink struct{}

func (nopSink) Commit(context.Context, *scraper.Result) error { return nil }
func (nopSink) Close() error                                  { return nil }

func newTestWatcher(t *testing.T, cfg Config) *Watcher {
	t.Helper()
	s, err := archive.Open(t.Context(), filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cfg.Scraper.UserAgent = "newsarchive-test"
	w, err := New(cfg, s, func() BatchSink { return nopSink{} })
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestNextRevisit(t *testing.T) {
	cfg := DefaultConfig()
	w := newTestWatcher(t, cfg)
	first := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		step     int
		now      time.Time
		wantStep int
		want     time.Time
	}{
		{"after the first fetch", 0, first, 1, first.Add(time.Hour)},
		{"at the first revisit", 1, first.Add(time.Hour), 2, first.Add(6 * time.Hour)},
		{"stopped for two days: past slots skipped", 1, first.Add(50 * time.Hour), 4, first.Add(72 * time.Hour)},
		{"last slot done", 6, first.Add(31 * 24 * time.Hour), 7, time.Time{}},
		{"past every slot", 2, first.Add(40 * 24 * time.Hour), 7, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step, next := w.next(first, tt.step, tt.now)
			if step != tt.wantStep || !next.Equal(tt.want) {
				t.Errorf("next(step %d, %v) = %d, %v; want %d, %v", tt.step, tt.now.Sub(first), step, next, tt.wantStep, tt.want)
			}
		})
	}
}

func TestSourceInterval(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MinInterval, cfg.MaxInterval = 2*time.Minute, 30*time.Minute
	w := newTestWatcher(t, cfg)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	ok := func(body string) *scraper.Result {
		return &scraper.Result{State: scraper.StateDone, Response: &scraper.Response{Status: 200, Body: []byte(body)}}
	}
	notMod := &scraper.Result{State: scraper.StateDone, Response: &scraper.Response{Status: 304, NotModified: true}}
	src := archive.WatchSource{URL: "https://example.com/", Kind: archive.SourceListing, Interval: 10 * time.Minute}
	steps := []struct {
		res  *scraper.Result
		sha  string
		want time.Duration
	}{
		{ok("a"), "a", 10 * time.Minute},        // first poll: interval kept
		{ok("b"), "b", 5 * time.Minute},         // changed: halved
		{ok("c"), "c", 150 * time.Second},       // changed
		{ok("d"), "d", 2 * time.Minute},         // changed, at the minimum
		{notMod, "", 3 * time.Minute},           // unchanged: ×1.5
		{ok("d"), "d", 270 * time.Second},       // same body: unchanged
		{notMod, "", 405 * time.Second},         //
		{notMod, "", 607500 * time.Millisecond}, //
	}
	for i, st := range steps {
		it := &item{src: &src, res: st.res, sha: st.sha}
		got, _, _ := w.settleSource(it, now)
		if got.Interval != st.want.Round(time.Second) && got.Interval != st.want {
			t.Fatalf("poll %d: interval %v, want %v", i, got.Interval, st.want)
		}
		if !got.NextCheckAt.Equal(now.Add(got.Interval)) {
			t.Errorf("poll %d: next check %v, want now + interval", i, got.NextCheckAt)
		}
		src = got
	}
	for range 20 {
		src, _, _ = w.settleSource(&item{src: &src, res: notMod}, now)
	}
	if src.Interval != 30*time.Minute || src.UnchangedCount != 24 || src.Changes != 4 {
		t.Errorf("after many unchanged polls: %+v, want the 30m maximum, 24 unchanged, 4 changes", src)
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.MinInterval = 0 },
		func(c *Config) { c.MaxInterval = c.MinInterval / 2 },
		func(c *Config) { c.Revisit = []time.Duration{time.Hour, time.Hour} },
		func(c *Config) { c.Batch = 0 },
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		if err := c.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("case %d: Validate = %v, want ErrInvalidConfig", i, err)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
}

func TestClocks(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	fc := NewFakeClock(t0)
	if err := fc.SleepUntil(t.Context(), t0.Add(time.Hour)); err != nil || !fc.Now().Equal(t0.Add(time.Hour)) {
		t.Errorf("fake clock after SleepUntil(+1h) = %v, %v", fc.Now(), err)
	}
	if err := fc.SleepUntil(t.Context(), t0); err != nil || !fc.Now().Equal(t0.Add(time.Hour)) {
		t.Errorf("fake clock went back to %v", fc.Now())
	}
	sc := NewScaledClock(time.Now(), t0, 3600) // an hour a second
	start := time.Now()
	if err := sc.SleepUntil(t.Context(), t0.Add(90*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < time.Second || el > 10*time.Second {
		t.Errorf("scaled clock slept %v for 90 simulated minutes, want about 1.5s", el)
	}
	if now := sc.Now(); now.Before(t0.Add(90 * time.Minute)) {
		t.Errorf("scaled clock reads %v after sleeping until +90m", now.Sub(t0))
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := RealClock().SleepUntil(ctx, time.Now().Add(time.Hour)); !errors.Is(err, context.Canceled) {
		t.Errorf("real clock with a cancelled ctx: %v", err)
	}
}

func TestLinkSetHash(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a := scraper.Entry{URL: "https://example.com/a", Kind: scraper.KindPage}
	b := scraper.Entry{URL: "https://example.com/b", Kind: scraper.KindPage, LastMod: at}
	base := linkSetHash([]scraper.Entry{a, b})
	if got := linkSetHash([]scraper.Entry{b, a, a}); got != base {
		t.Error("order or repetition of links changed the hash")
	}
	moved := b
	moved.LastMod = at.Add(time.Hour)
	if linkSetHash([]scraper.Entry{a, moved}) == base {
		t.Error("a moved lastmod left the hash unchanged")
	}
	if linkSetHash([]scraper.Entry{a}) == base {
		t.Error("a removed link left the hash unchanged")
	}
}
