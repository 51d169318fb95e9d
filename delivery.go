package klaxon

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
)

// A RetryPolicy says how the engine retries an action that failed: up to
// Attempts attempts in all, the n-th retry Backoff x 2^(n-1) after the
// failure (at most MaxBackoff), plus a random jitter of up to a quarter of
// that, so that many actions failing together do not retry in step. The
// zero value means 3 attempts, 1 second, 1 minute.
type RetryPolicy struct {
	Attempts   int
	Backoff    time.Duration
	MaxBackoff time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 3
	}
	if p.Backoff <= 0 {
		p.Backoff = time.Second
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = time.Minute
	}
	return p
}

// delay returns the wait before retry number n (1 for the first retry).
func (p RetryPolicy) delay(n int, rng *rand.Rand) time.Duration {
	d := p.Backoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	if j := int64(d / 4); j > 0 {
		d += time.Duration(rng.Int64N(j + 1))
	}
	return d
}

// An Outbox holds the actions that wait for delivery when the engine's own
// queue is full (Options.ActionQueue), so that a backlog behind a slow or
// failing sink never stalls an evaluation and never drops an action. The
// engine takes them back, oldest first, as its queue empties. The default
// Outbox keeps them in memory; a durable one (a file, a database) also
// keeps them across a restart.
type Outbox interface {
	// Push adds an action at the end.
	Push(ctx context.Context, a Action) error
	// Pop removes and returns the oldest action; ok is false when the
	// Outbox is empty.
	Pop(ctx context.Context) (a Action, ok bool, err error)
}

// MemoryOutbox is an Outbox in memory: a ring that grows as needed. It is
// safe for concurrent use.
type MemoryOutbox struct {
	mu sync.Mutex
	q  ring[Action]
}

// Push implements Outbox.
func (o *MemoryOutbox) Push(ctx context.Context, a Action) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.q.push(a)
	return nil
}

// Pop implements Outbox.
func (o *MemoryOutbox) Pop(ctx context.Context) (Action, bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	a, ok := o.q.pop()
	return a, ok, nil
}

// Len returns the number of actions waiting.
func (o *MemoryOutbox) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.q.size
}

// A queuedAction is an action in the engine's queue: the context of the
// call whose transition caused it, the attempts made, and when the next
// may be made.
type queuedAction struct {
	ctx       context.Context
	a         Action
	attempts  int
	notBefore nanos
}

// deliver runs the queued actions that are due by the engine's clock, one
// at a time, oldest first, and writes an Action history item for each
// final outcome (a success, the last failed attempt, or a deliberate
// ErrNotRun); an action that fails with attempts left waits for its
// backoff in the queue while the others go on. With all, every queued
// action is due (DeliverPending). One goroutine delivers at a time. With
// background (Run's delivery goroutine), actions run with Run's context
// for cancellation and their own context's values. It returns the time of
// the earliest action still waiting for its backoff (zero if none).
func (e *Engine) deliver(ctx context.Context, background, all bool) (next nanos) {
	e.mu.Lock()
	if e.delivering || e.opts.Actions == nil {
		e.mu.Unlock()
		return 0
	}
	e.delivering = true
	idle := make(chan struct{})
	e.idle = idle
	defer func() {
		e.mu.Lock()
		e.delivering = false
		e.mu.Unlock()
		close(idle)
	}()
	for {
		e.refill(ctx)
		now := e.clk.Now()
		qa, ok := e.takeDue(stamp(now), all)
		if !ok {
			next = e.earliest()
			e.mu.Unlock()
			return next
		}
		e.mu.Unlock()
		actx := qa.ctx
		if background {
			actx = joinContext(ctx, qa.ctx)
		}
		err := e.runAction(actx, qa.a)
		qa.attempts++
		now = e.clk.Now()
		e.mu.Lock()
		if err != nil && !errors.Is(err, ErrNotRun) && !errors.Is(err, ErrPermanent) && qa.attempts < e.retry.Attempts && ctx.Err() == nil {
			qa.notBefore = max(stamp(now), stamp(qa.a.Transition.At)) + nanos(e.retry.delay(qa.attempts, e.rng))
			e.queued.push(qa)
			continue
		}
		at := max(stamp(now), stamp(qa.a.Transition.At))
		if !inRange(now) {
			at = stamp(qa.a.Transition.At)
		}
		item := newActionItem(at, qa.a, err, e.published(qa.a, err))
		if a, ok := e.alarms[qa.a.Transition.AlarmName]; ok {
			e.appendHistory(&a.base().hist, item)
		} else if l := e.deleted[qa.a.Transition.AlarmName]; len(l) > 0 {
			e.appendHistory(&l[len(l)-1].alarmHistory, item)
		}
	}
}

// takeDue removes and returns the oldest queued action that is due at now
// (any, with all), under the lock.
func (e *Engine) takeDue(now nanos, all bool) (queuedAction, bool) {
	for i := range e.queued.size {
		qa := e.queued.at(i)
		if all || qa.notBefore <= now {
			e.queued.removeAt(i)
			return qa, true
		}
	}
	return queuedAction{}, false
}

// earliest returns when the first queued action waiting for its backoff
// is due (zero if none), under the lock.
func (e *Engine) earliest() nanos {
	var next nanos
	for i := range e.queued.size {
		if nb := e.queued.at(i).notBefore; next == 0 || nb < next {
			next = nb
		}
	}
	return next
}

// enqueue adds an action for delivery, under the lock: to the engine's
// queue, or, when it is full (Options.ActionQueue), to the Outbox. It never
// blocks and never drops an action: an Outbox that fails to take one
// leaves it in the queue, over its bound.
func (e *Engine) enqueue(qa queuedAction) {
	defer e.wakeDeliverer()
	if e.queued.size < e.opts.ActionQueue && e.spilled == 0 {
		e.queued.push(qa)
		return
	}
	if err := e.opts.Outbox.Push(context.WithoutCancel(qa.ctx), qa.a); err != nil {
		e.queued.push(qa)
		return
	}
	e.spilled++
}

// wakeDeliverer tells Run's delivery goroutine that actions are queued.
func (e *Engine) wakeDeliverer() {
	if e.running > 0 {
		select {
		case e.wake <- struct{}{}:
		default:
		}
	}
}

// refill takes actions back from the Outbox, oldest first, while the
// queue has room, under the lock.
func (e *Engine) refill(ctx context.Context) {
	for e.spilled > 0 && e.queued.size < e.opts.ActionQueue {
		a, ok, err := e.opts.Outbox.Pop(ctx)
		if err != nil || !ok {
			if !ok && err == nil {
				// The Outbox is empty: it lost count, or it is a durable
				// Outbox drained of what a previous engine left in it.
				e.spilled = 0
			}
			return
		}
		e.spilled--
		e.queued.push(queuedAction{ctx: context.Background(), a: a})
	}
}

// published returns the message an action published, for its history
// item, when the runner knows it (action.Router does for SNS actions).
func (e *Engine) published(a Action, err error) string {
	if err != nil {
		return ""
	}
	if p, ok := e.opts.Actions.(interface{ PublishedMessage(Action) string }); ok {
		return p.PublishedMessage(a)
	}
	return ""
}

// runAction runs one action; a panic in the runner becomes its error, so
// that one bad action cannot stop the delivery of the others.
func (e *Engine) runAction(ctx context.Context, a Action) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("the action runner panicked: " + panicText(r))
		}
	}()
	return e.opts.Actions.RunAction(ctx, a)
}

func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "a value of another type"
}

// deliverLoop delivers actions whenever some are queued and due, until ctx
// ends (Run's delivery goroutine). It sleeps on the engine's clock until
// the earliest backoff ends, or until a new action wakes it.
func (e *Engine) deliverLoop(ctx context.Context) {
	timer := e.clk.Timer(time.Hour)
	defer timer.Stop()
	for {
		next := e.deliver(ctx, true, false)
		var wait <-chan time.Time
		if next != 0 {
			if d := next.time().Sub(e.clk.Now()); d > 0 {
				if !timer.Stop() {
					select {
					case <-timer.C:
					default:
					}
				}
				timer.Reset(d)
				wait = timer.C
			} else {
				continue
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
		case <-wait:
		}
	}
}

// DeliverPending delivers every action waiting in the engine's queue and
// Outbox now, retrying failures at once rather than after their backoff,
// until none is left or ctx ends: what a service calls before it stops
// when it wants its queue drained (Run leaves the queue as it is when it
// returns; the next Run, or the next call that publishes, delivers it). It
// returns ctx's error if ctx ended first.
func (e *Engine) DeliverPending(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.deliver(ctx, false, true)
		e.mu.Lock()
		left := e.queued.size + e.spilled
		busy, idle := e.delivering, e.idle
		e.mu.Unlock()
		if left == 0 && !busy {
			return nil
		}
		if busy {
			select { // another goroutine is delivering: wait for it to stop
			case <-ctx.Done():
			case <-idle:
			}
		}
	}
}

// joinContext returns a context that carries the values of val and ends
// when ctx ends.
func joinContext(ctx, val context.Context) context.Context {
	return mergedContext{Context: context.WithoutCancel(val), done: ctx}
}

// mergedContext takes its values from the embedded context and its
// cancellation from done.
type mergedContext struct {
	context.Context
	done context.Context
}

func (m mergedContext) Done() <-chan struct{} { return m.done.Done() }
func (m mergedContext) Err() error            { return m.done.Err() }
func (m mergedContext) Deadline() (time.Time, bool) {
	return m.done.Deadline()
}

// repeats queues, at a whole minute t, the Auto Scaling actions of the
// alarms that stay in a state whose action list has some: CloudWatch
// invokes them again once a minute for as long as the alarm stays in the
// state. Each repeat's idempotency key adds the minute, so that a receiver
// does not take it for a duplicate.
func (e *Engine) repeats(ctx context.Context, t time.Time) {
	if e.opts.Actions == nil || len(e.scaling) == 0 {
		return
	}
	at := stamp(t)
	for name := range e.scaling {
		a, ok := e.alarms[name]
		if !ok {
			delete(e.scaling, name)
			continue
		}
		b := a.base()
		cur := b.current()
		if !b.enabled || at < b.transitioned+nanos(time.Minute) {
			continue
		}
		var arns []string
		for _, arn := range a.spec().actions(cur.value()) {
			if k, err := alarm.ParseActionARN(arn); err == nil && k.Kind == alarm.ActionAutoScaling {
				arns = append(arns, arn)
			}
		}
		if len(arns) == 0 {
			delete(e.scaling, name)
			continue
		}
		from := cur.before()
		if from == nil {
			from = &textRecord{val: cur.value(), at: cur.time()}
		}
		tr := e.transitionValue(&pending{ctx: ctx, sp: a.spec(), from: from, to: cur, configUpdated: b.configUpdated, enabled: true}, true)
		for _, arn := range arns {
			key := actionKey(tr.AlarmArn, tr.At, arn) + "/repeat/" + strconv.FormatInt(t.Unix(), 10)
			e.enqueue(queuedAction{ctx: ctx, a: Action{ARN: arn, Key: key, Transition: tr}})
		}
	}
}

// ring is a FIFO in a ring buffer that grows as needed and is reused.
type ring[T any] struct {
	buf        []T
	head, size int
}

func (r *ring[T]) push(v T) {
	if r.size == len(r.buf) {
		buf := make([]T, max(8, 2*len(r.buf)))
		for i := range r.size {
			buf[i] = r.buf[(r.head+i)%len(r.buf)]
		}
		r.buf, r.head = buf, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = v
	r.size++
}

func (r *ring[T]) pop() (T, bool) {
	var zero T
	if r.size == 0 {
		return zero, false
	}
	v := r.buf[r.head]
	r.buf[r.head] = zero
	r.head = (r.head + 1) % len(r.buf)
	r.size--
	return v, true
}

func (r *ring[T]) at(i int) T { return r.buf[(r.head+i)%len(r.buf)] }

// removeAt removes element i, keeping the order of the others.
func (r *ring[T]) removeAt(i int) {
	var zero T
	for k := i; k > 0; k-- {
		r.buf[(r.head+k)%len(r.buf)] = r.buf[(r.head+k-1)%len(r.buf)]
	}
	r.buf[r.head] = zero
	r.head = (r.head + 1) % len(r.buf)
	r.size--
}
