package scraper

import (
	"context"
	"sync"
	"time"
)

// The per-host scheduler is colly's LimitRule (Parallelism, Delay per
// domain) made dynamic: colly's rule cannot pause a host for a Retry-After,
// take a robots.txt Crawl-delay learnt mid-crawl, slow a failing host down,
// and it sleeps the delay after a response while holding a parallelism slot.
// Here the delay is measured between request starts, slots are released as
// soon as a response is read, and a worker never waits on one host while
// another host has work ready.

// hostSlowdownAfter is the number of consecutive retryable errors after which
// a host's delay is doubled (starting from minSlowdownDelay when it was 0).
const (
	hostSlowdownAfter = 3
	minSlowdownDelay  = 250 * time.Millisecond
)

// task is one request waiting for its host's turn: a frontier entry, or the
// robots.txt of an origin.
type task struct {
	entry  Entry
	host   string // politeness key: host[:port]
	origin string // robots key: scheme://host[:port]
	robots bool   // fetch origin/robots.txt instead of entry
}

type hostState struct {
	queue       []*task
	active      int
	nextStart   time.Time
	pausedUntil time.Time
	delay       time.Duration // current delay between starts
	base        time.Duration // configured delay, or the Crawl-delay when larger
	errStreak   int
}

// scheduler hands tasks to workers, at most parallelism at a time per host
// and no two starts on a host closer than its delay.
type scheduler struct {
	mu    sync.Mutex
	hosts map[string]*hostState
	order []string // round-robin order of hosts
	rr    int
	// changed holds a wake-up token (capacity 1): a change wakes one waiting
	// worker, not all of them; a worker that takes a task passes the token on
	// while tasks remain queued. Waking every idle worker on every change (a
	// broadcast) cost more scheduler time than the fetches at 64 workers.
	changed     chan struct{}
	queued      int
	parallelism int
	delay       time.Duration
	maxDelay    time.Duration
	now         func() time.Time
}

func newScheduler(parallelism int, delay, maxDelay time.Duration) *scheduler {
	return &scheduler{
		hosts:       make(map[string]*hostState),
		changed:     make(chan struct{}, 1),
		parallelism: parallelism,
		delay:       delay,
		maxDelay:    maxDelay,
		now:         time.Now,
	}
}

func (s *scheduler) hostLocked(h string) *hostState {
	hs := s.hosts[h]
	if hs == nil {
		hs = &hostState{delay: s.delay, base: s.delay}
		s.hosts[h] = hs
		s.order = append(s.order, h)
	}
	return hs
}

func (s *scheduler) signalLocked() {
	select {
	case s.changed <- struct{}{}:
	default: // a token is already pending
	}
}

// add queues t; robots tasks go first in their host's queue.
func (s *scheduler) add(t *task) {
	s.mu.Lock()
	hs := s.hostLocked(t.host)
	if t.robots {
		hs.queue = append([]*task{t}, hs.queue...)
	} else {
		hs.queue = append(hs.queue, t)
	}
	s.queued++
	s.signalLocked()
	s.mu.Unlock()
}

// next blocks until a task may start, marks its host busy and returns it. It
// returns ctx's error when ctx ends first.
func (s *scheduler) next(ctx context.Context) (*task, error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s.mu.Lock()
		now := s.now()
		var wake time.Time
		n := len(s.order)
		for i := 0; i < n; i++ {
			h := s.order[(s.rr+i)%n]
			hs := s.hosts[h]
			if len(hs.queue) == 0 || hs.active >= s.parallelism {
				continue
			}
			at := hs.nextStart
			if hs.pausedUntil.After(at) {
				at = hs.pausedUntil
			}
			if at.After(now) {
				if wake.IsZero() || at.Before(wake) {
					wake = at
				}
				continue
			}
			t := hs.queue[0]
			hs.queue[0] = nil
			hs.queue = hs.queue[1:]
			hs.active++
			hs.nextStart = now.Add(hs.delay)
			s.queued--
			s.rr = (s.rr + i + 1) % n
			if s.queued > 0 {
				s.signalLocked() // another task may be ready: wake the next worker
			}
			s.mu.Unlock()
			return t, nil
		}
		s.mu.Unlock()

		var tc <-chan time.Time
		if !wake.IsZero() {
			d := wake.Sub(now)
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			tc = timer.C
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.changed:
		case <-tc:
		}
	}
}

// hostFeedback is what a finished request tells the scheduler about its host.
type hostFeedback struct {
	pauseUntil time.Time // Retry-After on 429/503: the whole host waits
	failed     bool      // a retryable error (network, timeout, 5xx, 429)
	noRequest  bool      // the task made no request: give its start slot back
}

// done releases t's slot and adapts the host's pace. It reports whether the
// host was just slowed down.
func (s *scheduler) done(t *task, fb hostFeedback) (slowed bool) {
	s.mu.Lock()
	hs := s.hostLocked(t.host)
	hs.active--
	if fb.noRequest {
		hs.nextStart = s.now()
	}
	if fb.pauseUntil.After(hs.pausedUntil) {
		hs.pausedUntil = fb.pauseUntil
	}
	if fb.failed {
		hs.errStreak++
		if hs.errStreak >= hostSlowdownAfter {
			hs.errStreak = 0
			d := min(max(2*hs.delay, minSlowdownDelay), max(s.maxDelay, hs.base))
			slowed = d > hs.delay
			hs.delay = d
		}
	} else if !fb.noRequest {
		hs.errStreak = 0
	}
	s.signalLocked()
	s.mu.Unlock()
	return slowed
}

// setCrawlDelay raises host's delay to a robots.txt Crawl-delay (capped).
func (s *scheduler) setCrawlDelay(host string, d time.Duration) {
	s.mu.Lock()
	hs := s.hostLocked(host)
	base := max(s.delay, min(d, s.maxDelay))
	hs.base = base
	hs.delay = max(hs.delay, base)
	s.signalLocked()
	s.mu.Unlock()
}

// restart marks that host's running task makes its request only now
// (after a lookup that took time): the next start waits a full delay from
// now, not from when the task was handed out.
func (s *scheduler) restart(host string) {
	s.mu.Lock()
	hs := s.hostLocked(host)
	hs.nextStart = later(hs.nextStart, s.now().Add(hs.delay))
	s.mu.Unlock()
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// hostDelay returns host's current delay.
func (s *scheduler) hostDelay(host string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hostLocked(host).delay
}

// drain removes and returns every queued task.
func (s *scheduler) drain() []*task {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*task
	for _, hs := range s.hosts {
		out = append(out, hs.queue...)
		hs.queue = nil
	}
	s.queued = 0
	s.signalLocked()
	return out
}

// len returns the number of queued tasks.
func (s *scheduler) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}
