package watch

import (
	"context"
	"sync"
	"time"
)

// Clock is the time the watch schedule runs on. The real clock is the
// default; tests inject one that runs faster so hours pass in seconds.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// SleepUntil returns when the clock reaches t (at once when it has) or
	// ctx ends, whichever comes first; then it returns ctx's error.
	SleepUntil(ctx context.Context, t time.Time) error
}

// RealClock returns the wall clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// FakeClock is a clock that stands still while work is done and jumps to the
// wake-up time when the watch sleeps, so a test watches simulated hours in
// seconds and its outcome does not depend on the machine's speed.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock reading start.
func NewFakeClock(start time.Time) *FakeClock { return &FakeClock{now: start} }

// Now implements Clock.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// SleepUntil implements Clock: the clock jumps to t when t is later.
func (c *FakeClock) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
	return nil
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// ScaledClock runs factor times faster than the wall clock: it reads origin
// at the wall time start. Two processes given the same start, origin and
// factor agree on the time, which lets a test site and a watch in a child
// process share a simulated day.
type ScaledClock struct {
	start, origin time.Time
	factor        float64
}

// NewScaledClock returns a ScaledClock (factor > 0).
func NewScaledClock(start, origin time.Time, factor float64) *ScaledClock {
	return &ScaledClock{start: start, origin: origin, factor: factor}
}

// Now implements Clock.
func (c *ScaledClock) Now() time.Time {
	return c.origin.Add(time.Duration(float64(time.Since(c.start)) * c.factor))
}

// SleepUntil implements Clock.
func (c *ScaledClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := t.Sub(c.Now())
	if d <= 0 {
		return ctx.Err()
	}
	return realClock{}.SleepUntil(ctx, time.Now().Add(time.Duration(float64(d)/c.factor)))
}
