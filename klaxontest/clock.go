package klaxontest

import (
	"context"
	"sync"
	"time"

	"github.com/benbjohnson/clock"
)

// A Clock is a test clock that reads whatever Set made it: an Engine on
// it is driven by Engine.Advance, which sets it. Unlike clock.Mock, whose
// Set sleeps a millisecond of real time on every call so that goroutines
// waiting on its timers can run, a Clock never sleeps: a test that
// advances through a thousand evaluations takes microseconds, not
// seconds.
//
// A Clock is a whole clock.Clock: the first timer, ticker or sleep made
// on it (Engine.Run makes them) hands timekeeping to a clock.Mock at the
// same time, and from then on Set moves the Mock, which fires the timers
// that are due and pauses as Mock does. A Clock is safe for concurrent
// use.
type Clock struct {
	set  sync.Mutex // serialises Set, so that the Mock moves in order
	mu   sync.Mutex // guards now and mock
	now  time.Time
	mock *clock.Mock // nil until a timer is made
}

var _ clock.Clock = (*Clock)(nil)

// NewClock returns a Clock that reads t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set sets the clock's time; it fires the timers that are due, if any
// were made.
func (c *Clock) Set(t time.Time) {
	c.set.Lock()
	defer c.set.Unlock()
	c.mu.Lock()
	c.now = t
	m := c.mock
	c.mu.Unlock()
	if m != nil {
		m.Set(t)
	}
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	t := c.now.Add(d)
	c.mu.Unlock()
	c.Set(t)
}

// Since returns the time elapsed since t, by the clock.
func (c *Clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until returns the time until t, by the clock.
func (c *Clock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// timers returns the clock.Mock that keeps the clock's timers, making it
// at the clock's time on first use.
func (c *Clock) timers() *clock.Mock {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mock == nil {
		c.mock = clock.NewMock()
		c.mock.Set(c.now)
	}
	return c.mock
}

// After is clock.Mock's After, on the clock's time.
func (c *Clock) After(d time.Duration) <-chan time.Time { return c.timers().After(d) }

// AfterFunc is clock.Mock's AfterFunc, on the clock's time.
func (c *Clock) AfterFunc(d time.Duration, f func()) *clock.Timer {
	return c.timers().AfterFunc(d, f)
}

// Sleep is clock.Mock's Sleep: it returns when Set passes now+d.
func (c *Clock) Sleep(d time.Duration) { c.timers().Sleep(d) }

// Tick is clock.Mock's Tick, on the clock's time.
func (c *Clock) Tick(d time.Duration) <-chan time.Time { return c.timers().Tick(d) }

// Ticker is clock.Mock's Ticker, on the clock's time.
func (c *Clock) Ticker(d time.Duration) *clock.Ticker { return c.timers().Ticker(d) }

// Timer is clock.Mock's Timer, on the clock's time.
func (c *Clock) Timer(d time.Duration) *clock.Timer { return c.timers().Timer(d) }

// WithDeadline is clock.Mock's WithDeadline, on the clock's time.
func (c *Clock) WithDeadline(parent context.Context, d time.Time) (context.Context, context.CancelFunc) {
	return c.timers().WithDeadline(parent, d)
}

// WithTimeout is clock.Mock's WithTimeout, on the clock's time.
func (c *Clock) WithTimeout(parent context.Context, t time.Duration) (context.Context, context.CancelFunc) {
	return c.timers().WithTimeout(parent, t)
}
