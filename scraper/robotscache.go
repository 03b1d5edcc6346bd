package scraper

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/newsarchive/newsarchive/frontier"
)

type robotsDecision int

const (
	robotsAllow   robotsDecision = iota
	robotsDeny                   // disallowed: skip with reason robots
	robotsPark                   // robots.txt not known yet: wait for it
	robotsUnavail                // robots.txt unavailable: disallow all for now
)

type robotsStatus int

const (
	robotsUnknown robotsStatus = iota
	robotsFetching
	robotsReady
	robotsDown
)

// robotsEntry is the cached robots.txt of one origin.
type robotsEntry struct {
	status   robotsStatus
	policy   *Robots // nil allows everything
	expires  time.Time
	failures int
	parked   []*task // entries waiting for the file
}

// robotsCache holds one entry per origin (scheme://host[:port]), each valid
// until it expires: Config.RobotsTTL after a successful fetch, a backoff
// after a failure (5xx, 429, timeout, unreachable), during which the origin
// is treated as disallowed (RFC 9309 §2.3.1.4).
type robotsCache struct {
	mu sync.Mutex
	m  map[string]*robotsEntry
}

// admit decides for t (path and query pq) at now. With robotsPark, t is
// parked; fetch is true for the first parked task of a stale origin, whose
// caller must schedule the robots.txt fetch. With robotsUnavail, until is
// when the origin may be tried again.
// linked, when not "", is the path and query as the site linked them: both
// forms must be allowed.
func (rc *robotsCache) admit(t *task, pq, linked string, now time.Time) (d robotsDecision, until time.Time, fetch bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.m[t.origin]
	if e == nil {
		e = &robotsEntry{}
		rc.m[t.origin] = e
	}
	fresh := now.Before(e.expires)
	switch {
	case e.status == robotsFetching:
		e.parked = append(e.parked, t)
		return robotsPark, time.Time{}, false
	case e.status == robotsReady && fresh:
		if e.policy.Allowed(pq) && (linked == "" || e.policy.Allowed(linked)) {
			return robotsAllow, time.Time{}, false
		}
		return robotsDeny, time.Time{}, false
	case e.status == robotsDown && fresh:
		return robotsUnavail, e.expires, false
	}
	e.status = robotsFetching
	e.parked = append(e.parked, t)
	return robotsPark, time.Time{}, true
}

// allowed reports whether a fresh cached robots.txt allows pq on origin;
// known is false when there is none.
func (rc *robotsCache) allowed(origin, pq string, now time.Time) (ok, known bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.m[origin]
	if e == nil || e.status != robotsReady || !now.Before(e.expires) {
		return false, false
	}
	return e.policy.Allowed(pq), true
}

// set stores the outcome of a robots.txt fetch and returns the parked tasks
// to dispatch again. down marks a failed fetch; its expiry comes from
// backoff(failures).
func (rc *robotsCache) set(origin string, policy *Robots, down bool, ttl time.Duration,
	backoff func(failures int) time.Duration, now time.Time) (parked []*task, retryIn time.Duration) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.m[origin]
	if e == nil {
		e = &robotsEntry{}
		rc.m[origin] = e
	}
	parked, e.parked = e.parked, nil
	if down {
		e.failures++
		retryIn = backoff(e.failures)
		e.status, e.policy, e.expires = robotsDown, nil, now.Add(retryIn)
		return parked, retryIn
	}
	e.failures = 0
	e.status, e.policy, e.expires = robotsReady, policy, now.Add(ttl)
	return parked, 0
}

// drainParked returns every parked task and forgets fetches in progress.
func (rc *robotsCache) drainParked() []*task {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []*task
	for _, e := range rc.m {
		out = append(out, e.parked...)
		e.parked = nil
		if e.status == robotsFetching {
			e.status = robotsUnknown
		}
	}
	return out
}

// runRobots fetches an origin's robots.txt (RFC 9309 §2.3.1: 2xx is parsed,
// redirects are followed up to five hops, 4xx allows all, 5xx, 429 and
// network errors disallow all until a retry), then dispatches the entries
// that waited for it.
func (c *Crawler) runRobots(rs *runState, t *task) {
	u := t.origin + "/robots.txt"
	out, shared := c.sharedRobots(rs, t.origin)
	if !shared {
		if c.cfg.SharedRobots != nil {
			c.sched.restart(t.host) // the lookup took time: space from the request
		}
		rs.robotsN.Add(1)
		c.prog.inFlight.Add(1)
		out = c.fetch.fetch(u, u, KindPage, t.origin, true, nil)
		c.prog.inFlight.Add(-1)
	}
	if rs.hard.Err() != nil {
		c.sched.done(t, hostFeedback{noRequest: true})
		return
	}
	now := time.Now()
	var (
		policy *Robots
		down   bool
		why    string
		fb     hostFeedback
		status int
	)
	if out.resp != nil {
		status = out.resp.Status
	}
	switch {
	case out.err != nil && (errors.Is(out.err, ErrRedirectLimit) || errors.Is(out.err, ErrRedirectLoop)):
		// §2.3.1.2: past five redirects the file MAY be taken as unavailable (allow all).
	case out.err != nil:
		down, why = true, out.err.Error()
	case status >= 200 && status <= 299:
		policy = ParseRobots(out.resp.Body, c.token)
	case status == http.StatusTooManyRequests || status >= 500:
		down, why = true, fmt.Sprintf("HTTP %d", status)
		if ra, ok := parseRetryAfter(out.resp.Header.Get("Retry-After"), now); ok {
			fb.pauseUntil = now.Add(min(ra, c.cfg.MaxRetryAfter))
		}
	default:
		// 3xx left unfollowed and 4xx: "unavailable", everything is allowed.
	}
	fb.failed = down
	fb.noRequest = shared
	parked, retryIn := c.robots.set(t.origin, policy, down, c.cfg.RobotsTTL, c.robotsBackoff, c.robotsNow())
	if sr := c.cfg.SharedRobots; sr != nil && !shared {
		r := frontier.Robots{Status: status, FetchedAt: now, Expires: now.Add(c.cfg.RobotsTTL)}
		switch {
		case down:
			r.Status, r.Expires = max(status, 0), now.Add(retryIn)
			if out.err != nil {
				r.Status = 0
			}
		case policy != nil:
			r.Body = out.resp.Body
		case out.err != nil: // past the redirect limit: allow all, as a 4xx
			r.Status = http.StatusNotFound
		}
		if err := sr.PutRobots(rs.hard, t.origin, r); err != nil {
			c.log.Warn("robots not shared", logURL, u, logError, err)
		}
	}
	if policy != nil {
		if d := policy.CrawlDelay(); d > 0 {
			c.sched.setCrawlDelay(t.host, d)
		}
	}
	c.sched.done(t, fb)
	switch {
	case shared && down:
		c.log.Info("robots unavailable (shared)", logURL, u, logDetail, why)
	case shared:
		c.log.Debug("robots from the fleet", logURL, u, logStatus, status, "crawl_delay", policy.CrawlDelay())
		c.addSitemaps(rs, u, policy.Sitemaps())
	case down:
		c.log.Warn("robots unavailable", logURL, u, logReason, ReasonRobotsUnavail, logDetail, why, logWait, retryIn)
	default:
		c.log.Info("robots fetched", logURL, u, logStatus, status, "rules", len(policy.rulesOrNil()),
			"crawl_delay", policy.CrawlDelay())
		c.addSitemaps(rs, u, policy.Sitemaps())
	}
	for _, p := range parked {
		c.dispatch(rs, p)
	}
}

// sharedRobots reads origin's robots.txt from Config.SharedRobots: a fresh
// copy stands for a fetch (a response with its status and body; status 0,
// an unreachable origin, a network error). ok is false when there is none
// to use.
func (c *Crawler) sharedRobots(rs *runState, origin string) (out fetchOutcome, ok bool) {
	sr := c.cfg.SharedRobots
	if sr == nil {
		return out, false
	}
	r, found, err := sr.Robots(rs.hard, origin)
	if err != nil {
		c.log.Warn("shared robots unreadable", logURL, origin+"/robots.txt", logError, err)
		return out, false
	}
	if !found || !r.Fresh(time.Now()) {
		return out, false
	}
	if r.Status == 0 {
		return fetchOutcome{err: errors.New("unreachable (shared robots.txt cache)")}, true
	}
	u := origin + "/robots.txt"
	return fetchOutcome{resp: &Response{URL: u, FinalURL: u, Status: r.Status, Body: r.Body, Header: http.Header{}}}, true
}

func (r *Robots) rulesOrNil() []robotsRule {
	if r == nil {
		return nil
	}
	return r.rules
}

// robotsBackoff is how long a failed robots.txt fetch is trusted: it
// doubles with each consecutive failure from RetryBaseDelay to RetryMaxDelay.
func (c *Crawler) robotsBackoff(failures int) time.Duration {
	d := c.cfg.RetryBaseDelay
	for i := 1; i < failures && d < c.cfg.RetryMaxDelay; i++ {
		d *= 2
	}
	return min(d, c.cfg.RetryMaxDelay)
}

// addSitemaps enqueues the in-scope Sitemap: URLs of a robots.txt.
func (c *Crawler) addSitemaps(rs *runState, robotsURL string, sitemaps []string) {
	var entries []Entry
	for _, raw := range sitemaps {
		s, err := Canonicalize(raw)
		if err != nil || !c.scope.hostAllowed(s) {
			continue
		}
		entries = append(entries, Entry{URL: s, Kind: KindSitemap, Via: robotsURL})
	}
	if len(entries) == 0 {
		return
	}
	if _, err := c.frontier.Add(rs.hard, entries); err != nil && rs.hard.Err() == nil {
		rs.stop("error", fmt.Errorf("add sitemaps of %s: %w", robotsURL, err))
		return
	}
	rs.poke()
}
