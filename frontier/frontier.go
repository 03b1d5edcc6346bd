// Package frontier holds the frontier's shared vocabulary (an entry, its
// state, the reason it ended) and the Fleet interface: a frontier that
// several crawler processes, on several machines, share.
//
// A fleet leases a host, not a URL. A worker claims one ready host with up to
// k of its queued URLs, fetches them, commits each outcome, and releases the
// host with the gap to keep before anyone fetches from it again. So politeness
// per host holds across the whole fleet, whoever fetches. Every lease carries
// an expiry (renewed while the worker is alive; an expired lease is reaped and
// its URLs are queued again) and a fencing token (a worker that comes back
// after its lease was reaped and given to another cannot commit: ErrStaleLease).
//
// The package imports nothing of ours; archive (SQLite) and archive/pgarchive
// (PostgreSQL) implement Fleet, and frontiertest is the contract both pass.
package frontier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Kind says what an entry is expected to be, which decides how its response is
// parsed for further URLs.
type Kind string

// Entry kinds.
const (
	KindPage    Kind = "page"    // an HTML page: links are followed
	KindSitemap Kind = "sitemap" // sitemap.xml, sitemap index or child sitemap
	KindFeed    Kind = "feed"    // Atom or RSS feed
	KindRobots  Kind = "robots"  // robots.txt: claimed first on its host
)

// Priority orders claims within a host: robots.txt first (it gates everything
// on its host), then sitemaps and feeds (they discover the most), then pages.
func (k Kind) Priority() int {
	switch k {
	case KindRobots:
		return 0
	case KindSitemap:
		return 1
	case KindFeed:
		return 2
	}
	return 3
}

// State is the state of a frontier entry.
type State string

// Frontier states. Queued and InFlight are live; the rest are terminal.
const (
	StateQueued   State = "queued"
	StateInFlight State = "in_flight"
	StateDone     State = "done"
	StateFailed   State = "failed"
	StateSkipped  State = "skipped"
)

// Terminal reports whether s ends an entry (done, failed or skipped).
func (s State) Terminal() bool {
	return s == StateDone || s == StateFailed || s == StateSkipped
}

// Reason is the stable code of why an entry failed, was skipped or was
// requeued. The archive stores it and `stats` groups by it.
type Reason string

// Reason codes.
const (
	ReasonRobots         Reason = "robots"             // disallowed by robots.txt
	ReasonRobotsUnavail  Reason = "robots_unavailable" // robots.txt answered 5xx or was unreachable
	ReasonOutOfScope     Reason = "out_of_scope"       // host, pattern or depth limits
	ReasonMaxPages       Reason = "max_pages"          // page budget reached
	ReasonHTTPStatus     Reason = "http_status"        // a 4xx/5xx answer (the detail carries the code)
	ReasonTimeout        Reason = "timeout"            // connect, header or overall deadline
	ReasonNetwork        Reason = "network"            // connection refused, reset, DNS …
	ReasonTooLarge       Reason = "too_large"          // body cap reached
	ReasonRedirectLimit  Reason = "redirect_limit"     // too many redirects or a loop
	ReasonNotHTML        Reason = "not_html"           // content that is not parsed
	ReasonTrap           Reason = "trap"               // URL too long, repeating segments …
	ReasonTrapTemplate   Reason = "trap_template"      // the URL's path template kept producing pages without yield
	ReasonInterrupted    Reason = "interrupted"        // claimed but not fetched when the worker stopped; requeued
	ReasonRedirectTarget Reason = "redirect_target"    // another entry's request was redirected here and archived
	ReasonLeaseExpired   Reason = "lease_expired"      // its worker's lease expired; requeued by the reaper
)

// Entry is one URL in the frontier. URL is canonical and is the frontier's key:
// a fleet never holds the same URL twice.
type Entry struct {
	URL       string
	Depth     int       // link hops from a seed
	Kind      Kind      // what the URL is expected to be ("" means page)
	Via       string    // the page the URL was discovered on ("" for seeds)
	Attempts  int       // fetch attempts made so far
	NotBefore time.Time // zero, or the earliest time of the next attempt (retries)
	LastMod   time.Time // zero, or the <lastmod> a sitemap gave for the URL
	// Request is the URL as the site linked it when it differs from URL: the
	// request goes there. Empty means URL.
	Request string
	// Listed is set for URLs a sitemap or feed listed.
	Listed bool
}

// Host returns the politeness key of e: its URL's host and port, lowercased.
func (e Entry) Host() (string, error) { return HostOf(e.URL) }

// RequestURL returns the URL to request for e: Request, or URL when empty.
func (e Entry) RequestURL() string {
	if e.Request != "" {
		return e.Request
	}
	return e.URL
}

// HostOf returns the politeness key of a URL: host[:port], lowercased. Two
// servers on one address but different ports are different hosts.
func HostOf(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("frontier: host of %q: %w", rawURL, err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("frontier: host of %q: %w", rawURL, ErrNoHost)
	}
	return strings.ToLower(u.Host), nil
}

// Errors.
var (
	// ErrStaleLease refuses a commit, renewal or release under a lease that is
	// no longer the host's current one: it expired and was reaped, or another
	// worker holds the host now. The worker must drop what it fetched.
	ErrStaleLease = errors.New("frontier: stale lease")
	// ErrNoHost refuses an entry whose URL has no host.
	ErrNoHost = errors.New("no host in URL")
)

// Lease is a worker's hold on one host and the URLs claimed with it.
type Lease struct {
	Host    string
	Token   int64 // fencing token: increases with every claim of the host
	Worker  string
	Expires time.Time // the lease lapses then unless renewed
	Entries []Entry   // the claimed URLs, now in flight, in claim order
}

// Result is the outcome of one leased URL, committed with Complete.
type Result struct {
	URL    string // the entry's URL (one of the lease's)
	State  State  // Done, Failed, Skipped, or Queued for a retry
	Reason Reason // for Failed, Skipped and retries
	Detail string
	// NotBefore delays a retry (State Queued); zero means at once.
	NotBefore time.Time
	// Links are the URLs discovered in the response, enqueued in the same
	// transaction (exact dedup, as Enqueue).
	Links []Entry
}

// Pace says how long a host must rest after a lease, whoever fetches next.
type Pace struct {
	Delay      time.Duration // the crawl's gap between requests to one host
	CrawlDelay time.Duration // robots.txt Crawl-delay for the host; 0 if none
	RetryAfter time.Duration // the last response's Retry-After; 0 if none
	// Failed says the lease ended on a server error, timeout or network
	// failure: the host's error count grows and the gap doubles with it
	// (up to MaxBackoff). A lease that did not fail resets the count.
	Failed bool
}

// MaxBackoff caps the error back-off of a host.
const MaxBackoff = 10 * time.Minute

// Gap returns the rest a host needs after a lease with pace p, given the
// host's consecutive failed leases (counting this one): the largest of the
// delay, the Crawl-delay, the Retry-After and the back-off, which doubles the
// delay (at least one second) per failure up to MaxBackoff.
func (p Pace) Gap(failures int) time.Duration {
	gap := max(p.Delay, p.CrawlDelay, p.RetryAfter)
	if failures > 0 {
		b := max(p.Delay, time.Second)
		for i := 0; i < failures && b < MaxBackoff; i++ {
			b *= 2
		}
		gap = max(gap, min(b, MaxBackoff))
	}
	return gap
}

// Robots is a host's cached robots.txt answer, shared by the fleet.
type Robots struct {
	Status    int    // HTTP status; 0 when the host was unreachable
	Body      []byte // the file as fetched (empty unless 2xx)
	FetchedAt time.Time
	Expires   time.Time // refetch after this
}

// Fresh reports whether r may still be used at now.
func (r Robots) Fresh(now time.Time) bool { return now.Before(r.Expires) }

// Fleet is a frontier shared by several crawler processes. Implementations are
// safe for concurrent use, within a process and across processes.
type Fleet interface {
	// Enqueue adds entries as queued and returns how many were new. A URL
	// already present, in any state, is left as it is (exact dedup on the
	// canonical URL).
	Enqueue(ctx context.Context, entries []Entry) (int, error)
	// ClaimHost leases one ready host to worker for ttl: a host not leased
	// (or whose lease expired: its URLs are requeued first), whose rest has
	// passed and that has queued URLs whose NotBefore has passed. Up to max of
	// those URLs move to in flight under the lease. ok is false when no host
	// is ready.
	ClaimHost(ctx context.Context, worker string, max int, ttl time.Duration) (l Lease, ok bool, err error)
	// Renew extends a lease by ttl from now and returns the new expiry.
	Renew(ctx context.Context, l Lease, ttl time.Duration) (time.Time, error)
	// Complete commits the outcome of leased URLs, and enqueues their links,
	// in one transaction. It fails with ErrStaleLease, committing nothing, when
	// the lease is no longer the host's current one (reaped, released, or
	// taken over by a later claim) or a URL is not in flight under it. A lease
	// that expired but that nobody reaped or took over is still current.
	Complete(ctx context.Context, l Lease, results []Result) error
	// Release ends a lease: the lease's URLs still in flight are queued again
	// (reason interrupted), and the host rests for p's gap before any worker
	// may claim it. ErrStaleLease when the lease is no longer current.
	Release(ctx context.Context, l Lease, p Pace) error
	// Reap ends every expired lease as Release would with no rest, requeueing
	// its in-flight URLs (reason lease_expired); it returns how many URLs it
	// requeued.
	Reap(ctx context.Context) (int, error)
	// Robots returns the cached robots.txt of host; ok is false when none is
	// cached (a stale one is returned: see Robots.Fresh).
	Robots(ctx context.Context, host string) (r Robots, ok bool, err error)
	// PutRobots caches robots.txt for host, replacing any earlier copy.
	PutRobots(ctx context.Context, host string, r Robots) error
	// Counts returns how many URLs are in each state.
	Counts(ctx context.Context) (map[State]int, error)
	// State returns one URL's state and reason; ok is false when the URL is
	// not in the frontier.
	State(ctx context.Context, url string) (s State, r Reason, ok bool, err error)
}
