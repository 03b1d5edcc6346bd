package scraper

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestRobotsClock: robots.txt expires after RobotsTTL measured on
// Config.RobotsClock, across runs of one Crawler (a long watch).
func TestRobotsClock(t *testing.T) {
	srv := newRecServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.Write([]byte("User-agent: *\nDisallow: /private/\n"))
			return
		}
		writePage(w)
	}))
	var (
		mu  sync.Mutex
		now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	)
	advance := func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
	cfg := testConfig()
	cfg.RobotsTTL = time.Hour
	cfg.RobotsClock = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	store := newMemStore()
	c, err := New(cfg, store, store, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Seed(t.Context(), []string{srv.u("/a")}); err != nil {
		t.Fatal(err)
	}
	for i, step := range []struct {
		advance time.Duration
		path    string
		want    int // robots.txt requests so far
	}{
		{0, "", 1},
		{30 * time.Minute, "/b", 1},
		{31 * time.Minute, "/c", 2}, // 61 min after the first fetch: expired
		{59 * time.Minute, "/d", 2},
	} {
		advance(step.advance)
		if step.path != "" {
			if _, err := store.Add(t.Context(), []Entry{{URL: srv.u(step.path), Kind: KindPage}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.Run(t.Context(), RunOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := srv.count("/robots.txt"); got != step.want {
			t.Errorf("run %d: robots.txt fetched %d times, want %d", i, got, step.want)
		}
		if step.path != "" && srv.count(step.path) != 1 {
			t.Errorf("run %d: %s fetched %d times, want 1", i, step.path, srv.count(step.path))
		}
	}
}
