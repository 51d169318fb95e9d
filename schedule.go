package klaxon

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// tick is the finest evaluation cadence: every evaluation time is a
// multiple of it.
const tick = 10 * time.Second

// batch is the most alarms evaluated under one hold of the engine's lock:
// a boundary with more alarms releases the lock between batches, so that
// ingest and queries go on during a long evaluation or catch-up.
const batch = 4096

// A cadenceList is the alarms the scheduler evaluates at every multiple of
// every (10 s, a minute, an hour), in the order they were scheduled.
type cadenceList struct {
	every  time.Duration
	alarms []alarmObj
}

// schedule adds a to the list of its cadence.
func (e *Engine) schedule(a alarmObj) {
	c := a.cadence()
	if c <= 0 {
		return // evaluated when what it reads changes
	}
	for i := range e.sched {
		if e.sched[i].every == c {
			e.sched[i].alarms = append(e.sched[i].alarms, a)
			return
		}
	}
	e.sched = append(e.sched, cadenceList{every: c, alarms: []alarmObj{a}})
	slices.SortFunc(e.sched, func(x, y cadenceList) int { return int(x.every - y.every) })
}

func (e *Engine) unschedule(a alarmObj) {
	for i := range e.sched {
		l := e.sched[i].alarms
		if k := slices.Index(l, a); k >= 0 {
			e.sched[i].alarms = slices.Delete(l, k, k+1)
			return
		}
	}
}

// due reports whether an evaluation at t evaluates the alarms of cadence
// every.
func due(t time.Time, every time.Duration) bool {
	return t.Unix()%int64(every/time.Second) == 0
}

// EvaluateAt evaluates the alarms that CloudWatch's schedule evaluates at
// t, truncated to 10 seconds: high-resolution alarms (Period 10, 20, 30)
// at every 10 seconds, standard alarms at every whole minute, and alarms
// whose Period x EvaluationPeriods exceeds a day at every whole hour. Each
// evaluation reads the periods that end at t. Transitions are recorded,
// then published to subscribers (and, unless Run is delivering them,
// actions run) before EvaluateAt returns (or, when another goroutine is
// publishing at that moment, right after its own).
//
// Evaluations only move forward: EvaluateAt refuses a time before the
// newest evaluation (an error matching ErrValidation), so that every
// alarm's history stays in order; an alarm whose state was set or whose
// configuration changed after t is left out of the evaluation at t. t must
// lie in [MinTime, MaxTime).
func (e *Engine) EvaluateAt(ctx context.Context, t time.Time) error {
	if !inRange(t) {
		return timeError("EvaluateAt's time", t)
	}
	t = t.UTC().Truncate(tick)
	e.mu.Lock()
	if t.Before(e.last) {
		last := e.last
		e.mu.Unlock()
		return &Error{Pkg: "klaxon", Code: cwerr.InvalidParameterValue, Field: "EvaluateAt's time", Value: t.Format(time.RFC3339),
			Message: "The evaluation time " + t.Format(time.RFC3339) + " is before the engine's newest evaluation, at " + last.Format(time.RFC3339) + ": evaluations only move forward."}
	}
	e.evaluateLocked(ctx, t)
	e.mu.Unlock()
	e.drain()
	return nil
}

// evaluateLocked evaluates at t every alarm due then, releasing the lock
// between batches. The lock is held on entry and on return.
func (e *Engine) evaluateLocked(ctx context.Context, t time.Time) {
	e.last = t
	e.learn(t)
	e.suppressionsDue(ctx, t)
	at := stamp(t)
	for c := 0; c < len(e.sched); c++ {
		if !due(t, e.sched[c].every) {
			continue
		}
		for i := 0; i < len(e.sched[c].alarms); {
			l := e.sched[c].alarms
			end := min(len(l), i+batch)
			e.evaluateAlarms(ctx, l[i:end], t, at)
			i = end
			if i < len(e.sched[c].alarms) {
				// Let others in. The lists may change meanwhile: the
				// index goes on from where it was, so an alarm added at
				// the end is evaluated and one removed is not.
				e.mu.Unlock()
				e.mu.Lock()
			}
		}
	}
	e.flush()
	if t.Unix()%60 == 0 {
		e.repeats(ctx, t)
	}
	e.sweep(t)
}

// evaluateAlarms evaluates the alarms of l at t. It does not allocate
// unless a state changes.
func (e *Engine) evaluateAlarms(ctx context.Context, l []alarmObj, t time.Time, at nanos) {
	for _, a := range l {
		if at < a.base().notBefore {
			continue // its state was set, or it was configured, after t
		}
		if r := a.evaluate(e, t); r != nil {
			e.transition(ctx, a, r)
		}
	}
}

// next returns the first evaluation time after the newest evaluation (or
// after the engine's creation).
func (e *Engine) next() time.Time {
	last := e.last
	if last.Before(e.created) {
		last = e.created
	}
	return last.Add(tick)
}

// catchUp evaluates every evaluation time after the newest one up to end,
// in order, one time per hold of the lock (and in batches within one), and
// publishes what each caused. When set is not nil (Advance), the clock is
// set to an evaluation time that caused transitions before they are
// published, so that subscribers and actions see the clock at that time.
// It stops early when ctx ends.
func (e *Engine) catchUp(ctx context.Context, end time.Time, set func(time.Time)) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.mu.Lock()
		t := e.next()
		if set != nil && e.running == 0 {
			// Advance: a retry due before the next evaluation runs at its
			// time, on this goroutine.
			if r := e.earliest(); r > stamp(e.clk.Now()) && r < stamp(t) && r <= stamp(end) {
				e.mu.Unlock()
				set(r.time())
				e.deliver(ctx, false, false)
				continue
			}
		}
		if t.After(end) {
			e.mu.Unlock()
			return nil
		}
		e.evaluateLocked(ctx, t)
		changed := len(e.queue) > 0 || e.queued.size > 0
		e.mu.Unlock()
		if changed && set != nil {
			set(t)
		}
		e.drain()
	}
}

// Run evaluates alarms on the engine's clock until ctx ends, and delivers
// the alarms' actions on a goroutine of its own, so that a slow action
// never holds up an evaluation. It evaluates every 10-second boundary after
// the newest evaluation (or the engine's creation), in order, catching up
// when the clock jumps (a mock clock moved by an hour gets each
// evaluation), and never holds the engine's lock for a whole catch-up. It
// sleeps on a timer armed for the next boundary, never for a time that has
// passed (a mock clock would fire it at its next move and set itself back
// to it). Run returns ctx's error when ctx ends, or an error when the
// clock reads a time outside [MinTime, MaxTime).
//
// Tests that move a mock clock should call Advance instead of running Run
// beside the test: Run's goroutine sees the clock move at some later
// moment, Advance at once.
func (e *Engine) Run(ctx context.Context) error {
	if ctx == nil {
		return errors.New("klaxon: Run needs a context (context.Background() runs until the process ends)")
	}
	e.mu.Lock()
	e.running++
	e.mu.Unlock()
	deliverDone := make(chan struct{})
	dctx, stop := context.WithCancel(ctx)
	go func() {
		defer close(deliverDone)
		e.deliverLoop(dctx)
	}()
	defer func() {
		stop()
		<-deliverDone
		e.mu.Lock()
		e.running--
		e.mu.Unlock()
		// Actions queued as Run stopped are delivered by the next caller
		// that publishes, or the next Run.
	}()
	timer := e.clk.Timer(time.Hour)
	defer timer.Stop()
	for {
		now, err := e.now()
		if err != nil {
			return err
		}
		if err := e.catchUp(ctx, now, nil); err != nil {
			return err
		}
		// Sleep until the next boundary, measured from a fresh reading of
		// the clock: the catch-up took time.
		now, err = e.now()
		if err != nil {
			return err
		}
		e.mu.Lock()
		wait := e.next().Sub(now)
		e.mu.Unlock()
		if wait <= 0 {
			continue // a boundary passed during the catch-up
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		// The clock may have moved between the reading and the arming (a
		// test's mock clock, moved by another goroutine, then finds no
		// timer to fire, and the armed one lies after its new time): read
		// it again, and catch up now rather than wait.
		if now2, err := e.now(); err == nil && !now2.Before(now.Add(wait)) {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// A settableClock is a clock that Advance can move: clock.Mock and
// klaxontest's clock.
type settableClock interface {
	Set(time.Time)
}

// Advance moves the engine's clock forward by d and evaluates every
// evaluation time that the move passes, in order, as Run would, then
// returns once every transition is published and every action has run:
// the synchronous way to drive an engine in tests, with no goroutine and
// no sleep. The clock must be settable (a *clock.Mock, or klaxontest's
// clock). It is set to each evaluation time that changes a state before
// the change is published (subscribers and actions see that time), and to
// now+d at the end; clock.Mock's Set sleeps a millisecond each time.
func (e *Engine) Advance(ctx context.Context, d time.Duration) error {
	if d < 0 {
		return invalid("Advance's duration", d.String(), "Advance moves the clock forward: the duration "+d.String()+" is negative.")
	}
	c, ok := e.clk.(settableClock)
	if !ok {
		return invalid("Options.Clock", "", "Advance needs a clock it can set (a *clock.Mock, or klaxontest's clock); the engine's clock is not.")
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	end := now.Add(d)
	if !inRange(end) {
		return timeError("Advance's end time", end)
	}
	if err := e.catchUp(ctx, end, c.Set); err != nil {
		return err
	}
	c.Set(end)
	e.drain()
	return nil
}
