// Package frontiertest is the contract every frontier.Fleet passes: exact
// dedup, exclusive host claims under concurrent claimers, the host's rest held
// between leases, lease expiry and reaping, fencing of stale leases, and the
// robots.txt cache. Each backend's tests call Run with a constructor.
package frontiertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/frontier"
)

// Open returns a new, empty fleet for t, closed when t ends.
type Open func(t *testing.T) frontier.Fleet

// Run runs the contract's subtests, in parallel, each on its own fleet.
func Run(t *testing.T, open Open) {
	for _, tc := range []struct {
		name string
		f    func(*testing.T, frontier.Fleet)
	}{
		{"Dedup", testDedup},
		{"ExclusiveClaims", testExclusiveClaims},
		{"HostRest", testHostRest},
		{"LeaseExpiryAndReaping", testLeaseExpiry},
		{"Fencing", testFencing},
		{"Retry", testRetry},
		{"Robots", testRobots},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.f(t, open(t))
		})
	}
}

func page(host, path string) frontier.Entry {
	return frontier.Entry{URL: "http://" + host + path, Kind: frontier.KindPage}
}

func enqueue(t *testing.T, f frontier.Fleet, want int, es ...frontier.Entry) {
	t.Helper()
	n, err := f.Enqueue(context.Background(), es)
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	if n != want {
		t.Fatalf("enqueue %d entries: %d added, want %d", len(es), n, want)
	}
}

func claim(t *testing.T, f frontier.Fleet, worker string, max int, ttl time.Duration) (frontier.Lease, bool) {
	t.Helper()
	l, ok, err := f.ClaimHost(context.Background(), worker, max, ttl)
	if err != nil {
		t.Fatalf("claim by %s: %v", worker, err)
	}
	return l, ok
}

func mustClaim(t *testing.T, f frontier.Fleet, worker string, max int, ttl time.Duration) frontier.Lease {
	t.Helper()
	l, ok := claim(t, f, worker, max, ttl)
	if !ok {
		t.Fatalf("claim by %s: no host ready", worker)
	}
	if l.Worker != worker || l.Host == "" || len(l.Entries) == 0 || !l.Expires.After(time.Now().Add(-time.Second)) {
		t.Fatalf("claim by %s: lease %+v", worker, l)
	}
	return l
}

func noClaim(t *testing.T, f frontier.Fleet, why string) {
	t.Helper()
	if l, ok := claim(t, f, "nobody", 10, time.Minute); ok {
		t.Fatalf("%s, yet host %s was claimed with %d URLs", why, l.Host, len(l.Entries))
	}
}

func state(t *testing.T, f frontier.Fleet, u string) (frontier.State, frontier.Reason) {
	t.Helper()
	s, r, ok, err := f.State(context.Background(), u)
	if err != nil || !ok {
		t.Fatalf("state of %s: ok=%v err=%v", u, ok, err)
	}
	return s, r
}

func done(l frontier.Lease, links ...frontier.Entry) []frontier.Result {
	var rs []frontier.Result
	for i, e := range l.Entries {
		r := frontier.Result{URL: e.URL, State: frontier.StateDone}
		if i == 0 {
			r.Links = links
		}
		rs = append(rs, r)
	}
	return rs
}

func counts(t *testing.T, f frontier.Fleet) map[frontier.State]int {
	t.Helper()
	c, err := f.Counts(context.Background())
	if err != nil {
		t.Fatalf("counts: %v", err)
	}
	return c
}

// testDedup: a URL is in the frontier once, whatever its state, and an entry
// round-trips its fields.
func testDedup(t *testing.T, f frontier.Fleet) {
	ctx := context.Background()
	a, b, c := page("a.test", "/1"), page("a.test", "/2"), page("b.test:8080", "/1")
	a.Depth, a.Via, a.Request, a.Listed = 2, "http://a.test/", "http://a.test/1?x=1", true
	a.LastMod = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a.Kind = frontier.KindSitemap
	enqueue(t, f, 2, a, b, a)
	enqueue(t, f, 0, b, a)
	enqueue(t, f, 0)
	if _, err := f.Enqueue(ctx, []frontier.Entry{{URL: "no-host"}}); !errors.Is(err, frontier.ErrNoHost) {
		t.Fatalf("enqueue without host: %v, want ErrNoHost", err)
	}
	if got := counts(t, f); got[frontier.StateQueued] != 2 || got[frontier.StateInFlight]+got[frontier.StateDone] != 0 {
		t.Fatalf("counts %v, want 2 queued", got)
	}
	// Claim a.test: the sitemap comes first, with its fields.
	l := mustClaim(t, f, "w1", 10, time.Minute)
	if l.Host != "a.test" || len(l.Entries) != 2 {
		t.Fatalf("lease %s with %d entries, want a.test with 2", l.Host, len(l.Entries))
	}
	got := l.Entries[0]
	if got.URL != a.URL || got.Depth != 2 || got.Via != a.Via || got.Request != a.Request || !got.Listed ||
		!got.LastMod.Equal(a.LastMod) || got.Kind != frontier.KindSitemap || got.Attempts != 1 {
		t.Fatalf("claimed entry %+v, want %+v with one attempt", got, a)
	}
	if err := f.Complete(ctx, l, done(l)); err != nil {
		t.Fatal(err)
	}
	if err := f.Release(ctx, l, frontier.Pace{}); err != nil {
		t.Fatal(err)
	}
	// Finished URLs are not queued again.
	enqueue(t, f, 1, a, b, c)
	if s, _ := state(t, f, a.URL); s != frontier.StateDone {
		t.Fatalf("state of %s = %s after enqueueing it again, want done", a.URL, s)
	}
	if _, _, ok, err := f.State(ctx, "http://a.test/none"); ok || err != nil {
		t.Fatalf("state of an unknown URL: ok=%v err=%v", ok, err)
	}
	if got := counts(t, f); got[frontier.StateDone] != 2 || got[frontier.StateQueued] != 1 {
		t.Fatalf("counts %v, want 2 done and 1 queued", got)
	}
}

// testExclusiveClaims: 8 workers claim at once until the frontier is empty.
// No host is ever held by two, no URL is claimed twice, links discovered by
// many workers at once are enqueued once, and every URL ends done.
func testExclusiveClaims(t *testing.T, f frontier.Fleet) {
	ctx := context.Background()
	const hosts, perHost, workers, shared = 12, 10, 8, 20
	var seeds []frontier.Entry
	for h := range hosts {
		for i := range perHost {
			seeds = append(seeds, page(fmt.Sprintf("h%d.test", h), fmt.Sprintf("/%d", i)))
		}
	}
	enqueue(t, f, len(seeds), seeds...)
	// Every completion links to the same shared URLs on one more host.
	var links []frontier.Entry
	for i := range shared {
		links = append(links, page("shared.test", fmt.Sprintf("/s%d", i)))
	}

	var (
		mu      sync.Mutex
		active  = map[string]string{} // host → worker holding it
		claimed = map[string]int{}
		leases  int
	)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		worker := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			// Idle while another worker holds the last hosts; stuck if
			// nothing is claimable for 10 s while URLs are pending.
			progress := time.Now()
			for time.Since(progress) < 10*time.Second {
				l, ok, err := f.ClaimHost(ctx, worker, 3, time.Minute)
				if err != nil {
					errs <- fmt.Errorf("%s: claim: %w", worker, err)
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
				mu.Lock()
				if other, busy := active[l.Host]; busy {
					mu.Unlock()
					errs <- fmt.Errorf("host %s claimed by %s while %s holds it", l.Host, worker, other)
					return
				}
				active[l.Host] = worker
				leases++
				for _, e := range l.Entries {
					claimed[e.URL]++
				}
				mu.Unlock()
				time.Sleep(time.Millisecond) // "fetch"
				if err := f.Complete(ctx, l, done(l, links...)); err != nil {
					errs <- fmt.Errorf("%s: complete: %w", worker, err)
					return
				}
				mu.Lock()
				delete(active, l.Host)
				mu.Unlock()
				if err := f.Release(ctx, l, frontier.Pace{}); err != nil {
					errs <- fmt.Errorf("%s: release: %w", worker, err)
					return
				}
			}
			errs <- fmt.Errorf("%s: no host ready for 10 s while URLs were pending", worker)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := hosts*perHost + shared
	if len(claimed) != total {
		t.Errorf("%d URLs claimed, want %d", len(claimed), total)
	}
	for u, n := range claimed {
		if n != 1 {
			t.Errorf("%s claimed %d times", u, n)
		}
	}
	if got := counts(t, f); got[frontier.StateDone] != total || got[frontier.StateQueued]+got[frontier.StateInFlight] != 0 {
		t.Errorf("counts %v, want %d done", got, total)
	}
	t.Logf("%d leases by %d workers", leases, workers)
}

// testHostRest: a leased host is not claimable; a released one rests for its
// pace's gap (the delay, or a longer Retry-After) while other hosts are served.
func testHostRest(t *testing.T, f frontier.Fleet) {
	ctx := context.Background()
	enqueue(t, f, 3, page("slow.test", "/1"), page("slow.test", "/2"), page("slow.test", "/3"))
	l := mustClaim(t, f, "w1", 1, time.Minute)
	for i, p := range []frontier.Pace{{Delay: 300 * time.Millisecond}, {Delay: 10 * time.Millisecond, RetryAfter: 400 * time.Millisecond}} {
		noClaim(t, f, "slow.test is leased and no other host has URLs")
		if err := f.Complete(ctx, l, done(l)); err != nil {
			t.Fatal(err)
		}
		released := time.Now()
		if err := f.Release(ctx, l, p); err != nil {
			t.Fatal(err)
		}
		want := p.Gap(0)
		if i == 0 {
			// Another host is served while slow.test rests.
			enqueue(t, f, 1, page("other.test", "/1"))
			if o := mustClaim(t, f, "w3", 1, time.Minute); o.Host != "other.test" {
				t.Fatalf("claimed %s while slow.test rests, want other.test", o.Host)
			}
		}
		for {
			var ok bool
			l, ok = claim(t, f, "w2", 1, time.Minute)
			if ok {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if waited := time.Since(released); waited < want {
			t.Fatalf("slow.test claimed again %v after release, want ≥ %v", waited, want)
		} else if waited > want+5*time.Second {
			t.Fatalf("slow.test claimed again only after %v, want about %v", waited, want)
		}
		if l.Host != "slow.test" {
			t.Fatalf("claimed %s, want slow.test", l.Host)
		}
	}
}

// testLeaseExpiry: a renewed lease outlives its first expiry; an expired one
// is reaped (its URLs queued again, reason lease_expired) or taken over by the
// next claim.
func testLeaseExpiry(t *testing.T, f frontier.Fleet) {
	ctx := context.Background()
	// Long enough for the steps between claim and check on a loaded
	// machine under -race: each check has a third of it to spare.
	const ttl = 1500 * time.Millisecond
	enqueue(t, f, 2, page("a.test", "/1"), page("a.test", "/2"))
	l := mustClaim(t, f, "w1", 10, ttl)
	if n, err := f.Reap(ctx); err != nil || n != 0 {
		t.Fatalf("reap of a live lease: %d, %v", n, err)
	}
	time.Sleep(ttl / 2)
	exp, err := f.Renew(ctx, l, ttl)
	if err != nil {
		t.Fatalf("renew: %v", err)
	}
	if !exp.After(l.Expires) {
		t.Fatalf("renewed expiry %v not after %v", exp, l.Expires)
	}
	time.Sleep(ttl * 2 / 3) // past the first expiry, before the renewed one
	if n, err := f.Reap(ctx); err != nil || n != 0 {
		t.Fatalf("reap of a renewed lease: %d, %v", n, err)
	}
	noClaim(t, f, "a.test's lease was renewed")
	time.Sleep(time.Until(exp) + 50*time.Millisecond)
	if n, err := f.Reap(ctx); err != nil || n != 2 {
		t.Fatalf("reap of an expired lease: %d, %v; want 2", n, err)
	}
	if s, r := state(t, f, "http://a.test/1"); s != frontier.StateQueued || r != frontier.ReasonLeaseExpired {
		t.Fatalf("reaped URL: %s %s, want queued lease_expired", s, r)
	}
	l2 := mustClaim(t, f, "w2", 10, ttl)
	if len(l2.Entries) != 2 || l2.Entries[0].Attempts != 2 || l2.Token <= l.Token {
		t.Fatalf("claim after reap: %+v (first token %d)", l2, l.Token)
	}
	// Without a reaper: the next claim takes an expired lease over.
	time.Sleep(ttl + 50*time.Millisecond)
	l3 := mustClaim(t, f, "w3", 10, time.Minute)
	if l3.Host != "a.test" || len(l3.Entries) != 2 || l3.Token <= l2.Token {
		t.Fatalf("claim over an expired lease: %+v", l3)
	}
	if err := f.Complete(ctx, l3, done(l3)); err != nil {
		t.Fatal(err)
	}
	if err := f.Release(ctx, l3, frontier.Pace{}); err != nil {
		t.Fatal(err)
	}
	if got := counts(t, f); got[frontier.StateDone] != 2 {
		t.Fatalf("counts %v, want 2 done", got)
	}
}

// testFencing: a worker whose lease was taken over cannot commit, renew or
// release, and its refused commit leaves nothing behind (not even its links).
func testFencing(t *testing.T, f frontier.Fleet) {
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	enqueue(t, f, 2, page("a.test", "/1"), page("a.test", "/2"))
	stale := mustClaim(t, f, "late", 10, ttl)
	time.Sleep(ttl + 50*time.Millisecond)
	if _, err := f.Reap(ctx); err != nil {
		t.Fatal(err)
	}
	// Reaped, not yet claimed again: already stale.
	if err := f.Complete(ctx, stale, done(stale)); !errors.Is(err, frontier.ErrStaleLease) {
		t.Fatalf("complete under a reaped lease: %v, want ErrStaleLease", err)
	}
	cur := mustClaim(t, f, "current", 10, time.Minute)
	link := page("a.test", "/from-stale")
	if err := f.Complete(ctx, stale, done(stale, link)); !errors.Is(err, frontier.ErrStaleLease) {
		t.Fatalf("complete under a taken-over lease: %v, want ErrStaleLease", err)
	}
	if _, err := f.Renew(ctx, stale, time.Minute); !errors.Is(err, frontier.ErrStaleLease) {
		t.Fatalf("renew of a stale lease: %v, want ErrStaleLease", err)
	}
	if err := f.Release(ctx, stale, frontier.Pace{}); !errors.Is(err, frontier.ErrStaleLease) {
		t.Fatalf("release of a stale lease: %v, want ErrStaleLease", err)
	}
	if _, _, ok, err := f.State(ctx, link.URL); ok || err != nil {
		t.Fatalf("a refused commit enqueued its link: ok=%v err=%v", ok, err)
	}
	if s, _ := state(t, f, "http://a.test/1"); s != frontier.StateInFlight {
		t.Fatalf("state after refused commit: %s, want in_flight under the current lease", s)
	}
	// A URL outside the lease is refused too, and nothing of the batch commits.
	enqueue(t, f, 1, page("b.test", "/1"))
	bad := append(done(cur), frontier.Result{URL: "http://b.test/1", State: frontier.StateDone})
	if err := f.Complete(ctx, cur, bad); !errors.Is(err, frontier.ErrStaleLease) {
		t.Fatalf("complete of a URL outside the lease: %v, want ErrStaleLease", err)
	}
	if s, _ := state(t, f, "http://a.test/1"); s != frontier.StateInFlight {
		t.Fatalf("a refused batch committed part of itself: %s", s)
	}
	if err := f.Complete(ctx, cur, done(cur, link)); err != nil {
		t.Fatalf("complete under the current lease: %v", err)
	}
	if s, _ := state(t, f, link.URL); s != frontier.StateQueued {
		t.Fatalf("link of the current commit: %s, want queued", s)
	}
	if err := f.Release(ctx, cur, frontier.Pace{}); err != nil {
		t.Fatal(err)
	}
	// A released lease is over: its token commits nothing more.
	if err := f.Complete(ctx, cur, done(cur)); !errors.Is(err, frontier.ErrStaleLease) {
		t.Fatalf("complete after release: %v, want ErrStaleLease", err)
	}
}

// testRetry: a result queued for a retry waits for its NotBefore; URLs the
// lease did not finish are queued again at release.
func testRetry(t *testing.T, f frontier.Fleet) {
	ctx := context.Background()
	enqueue(t, f, 2, page("a.test", "/1"), page("a.test", "/2"))
	l := mustClaim(t, f, "w1", 10, time.Minute)
	retry := time.Now().Add(2 * time.Second)
	err := f.Complete(ctx, l, []frontier.Result{{URL: l.Entries[0].URL, State: frontier.StateQueued,
		Reason: frontier.ReasonHTTPStatus, Detail: "HTTP 503", NotBefore: retry}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Release(ctx, l, frontier.Pace{}); err != nil {
		t.Fatal(err)
	}
	if s, r := state(t, f, l.Entries[1].URL); s != frontier.StateQueued || r != frontier.ReasonInterrupted {
		t.Fatalf("unfinished URL after release: %s %s, want queued interrupted", s, r)
	}
	l2 := mustClaim(t, f, "w1", 10, time.Minute)
	if len(l2.Entries) != 1 || l2.Entries[0].URL != l.Entries[1].URL {
		t.Fatalf("claim before the retry time: %+v, want only %s", l2.Entries, l.Entries[1].URL)
	}
	if err := f.Complete(ctx, l2, done(l2)); err != nil {
		t.Fatal(err)
	}
	if err := f.Release(ctx, l2, frontier.Pace{}); err != nil {
		t.Fatal(err)
	}
	// A claim that returns before the retry time ran before it: it must
	// find nothing. One that returns later proves nothing (a loaded machine)
	// and may take the retry.
	l3, ok := claim(t, f, "w2", 10, time.Minute)
	if time.Now().Before(retry) {
		if ok {
			t.Fatalf("the only queued URL waits for its retry time, yet %s was claimed with %d URLs", l3.Host, len(l3.Entries))
		}
	} else {
		t.Logf("the check returned after the retry time (loaded machine): not conclusive")
	}
	if !ok {
		time.Sleep(time.Until(retry) + 20*time.Millisecond)
		l3 = mustClaim(t, f, "w1", 10, time.Minute)
	}
	if len(l3.Entries) != 1 || l3.Entries[0].URL != l.Entries[0].URL || l3.Entries[0].Attempts != 2 {
		t.Fatalf("retry claim: %+v", l3.Entries)
	}
}

// testRobots: robots.txt is cached per host and replaced by a newer copy.
func testRobots(t *testing.T, f frontier.Fleet) {
	ctx := context.Background()
	if _, ok, err := f.Robots(ctx, "a.test"); ok || err != nil {
		t.Fatalf("robots before any put: ok=%v err=%v", ok, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	r1 := frontier.Robots{Status: 200, Body: []byte("User-agent: *\nDisallow: /private\n"), FetchedAt: now, Expires: now.Add(time.Hour)}
	if err := f.PutRobots(ctx, "a.test", r1); err != nil {
		t.Fatal(err)
	}
	r2 := frontier.Robots{Status: 503, FetchedAt: now, Expires: now.Add(-time.Minute)}
	if err := f.PutRobots(ctx, "b.test:8080", r2); err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]frontier.Robots{"a.test": r1, "b.test:8080": r2} {
		got, ok, err := f.Robots(ctx, host)
		if err != nil || !ok || got.Status != want.Status || !bytes.Equal(got.Body, want.Body) ||
			!got.FetchedAt.Equal(want.FetchedAt) || !got.Expires.Equal(want.Expires) {
			t.Fatalf("robots of %s: %+v ok=%v err=%v, want %+v", host, got, ok, err, want)
		}
	}
	if got, _, _ := f.Robots(ctx, "b.test:8080"); got.Fresh(now) {
		t.Fatalf("an expired robots.txt is fresh")
	}
	r3 := frontier.Robots{Status: 200, Body: []byte("User-agent: *\nAllow: /\n"), FetchedAt: now.Add(time.Hour), Expires: now.Add(2 * time.Hour)}
	if err := f.PutRobots(ctx, "a.test", r3); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := f.Robots(ctx, "a.test"); err != nil || !ok || !bytes.Equal(got.Body, r3.Body) || !got.Fresh(now) {
		t.Fatalf("robots after replacement: %+v ok=%v err=%v", got, ok, err)
	}
	if _, ok, _ := f.Robots(ctx, "c.test"); ok {
		t.Fatalf("robots of a host never put")
	}
}
