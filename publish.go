package klaxon

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// A Transition is one change of an alarm's state. It is a value of its
// own: it shares nothing with the engine, so it may be kept, compared and
// sent elsewhere. The subscribers and actions of one transition receive
// the same value; treat its configuration copy as read-only.
type Transition struct {
	AlarmName string
	AlarmArn  string
	AlarmType string // "MetricAlarm" or "CompositeAlarm"
	From, To  alarm.State
	// At is the time of the new state (StateChangeTime); Reason and
	// ReasonData its StateReason and StateReasonData ("" when none).
	At         time.Time
	Reason     string
	ReasonData string
	// The state before: its time, reason and reason data.
	PreviousAt         time.Time
	PreviousReason     string
	PreviousReasonData string
	// ConfigUpdated is AlarmConfigurationUpdatedTimestamp and
	// ActionsEnabled the alarm's action switch at the time.
	ConfigUpdated  time.Time
	ActionsEnabled bool
	// MetricAlarm is a copy of a metric alarm's configuration at the
	// time, CompositeAlarm of a composite alarm's; the other is nil.
	MetricAlarm    *alarm.Config
	CompositeAlarm *composite.Config
	// For a composite alarm with an ActionsSuppressor: what holds the
	// actions after the change ("WaitPeriod", "ExtensionPeriod", "Alarm";
	// "" when they run) and the reason, and the same before it. When a
	// WaitPeriod or ExtensionPeriod ends and the held actions run, their
	// Action carries a Transition from the current state to itself, at
	// the period's end, with PreviousSuppressedBy the period.
	SuppressedBy             string
	SuppressedReason         string
	PreviousSuppressedBy     string
	PreviousSuppressedReason string
}

// An Action is one action to run for a transition: the action's ARN and
// the transition, with an idempotency key (the alarm's ARN, the state
// change's time and the action's ARN) that is the same each time the same
// action of the same transition is delivered, so that a receiver can drop
// duplicates.
type Action struct {
	ARN        string
	Key        string
	Transition Transition
}

// An ActionRunner runs one alarm action. The engine calls it for each ARN
// of the new state's action list after a transition of an alarm whose
// actions are enabled, outside the engine's lock and never on the
// goroutine of Run's evaluations (Run delivers actions on a goroutine of
// its own; without Run, the call that caused the transition runs them
// before it returns). Its result becomes an Action history item.
type ActionRunner interface {
	RunAction(ctx context.Context, a Action) error
}

// actionKey returns the idempotency key of an action of a transition.
func actionKey(alarmArn string, at time.Time, arn string) string {
	return alarmArn + "/" + string(cwfmt.AppendTime(nil, at, cwfmt.JSONTime)) + "/" + arn
}

// pending is a transition recorded under the lock and published after it,
// with the context of the call that caused it (its actions run with it).
type pending struct {
	ctx           context.Context
	sp            spec // the configuration at the time of the transition
	from, to      record
	configUpdated nanos
	enabled       bool
	// A composite with an ActionsSuppressor: the transition's actions are
	// held (hold), and why (by); or the pending is no transition but the
	// release of held actions (release) at time at, held by heldBy.
	hold    bool
	by      composite.SuppressedBy
	release bool
	at      nanos
	heldBy  composite.SuppressedBy
}

// A suppressible alarm may hold the actions of its transitions (a
// composite alarm with an ActionsSuppressor).
type suppressible interface {
	suppress(e *Engine, at nanos) (hold bool, by composite.SuppressedBy)
}

// transition makes next the alarm's state when its value differs from the
// current one, records the history item and queues the publication. It is
// the one place where an alarm's state changes. A record of the same value
// (SetAlarmState to the current state) replaces the reason: the state is
// updated (StateUpdatedTimestamp) without a transition.
func (e *Engine) transition(ctx context.Context, a alarmObj, next record) bool {
	b := a.base()
	prev := b.current()
	b.notBefore = max(b.notBefore, next.time())
	if next.value() == prev.value() {
		b.cur = next
		return false
	}
	next.setBefore(prev)
	b.cur, b.state = next, next.value()
	b.transitioned = next.time()
	e.appendHistory(&b.hist, next)
	p := pending{ctx: ctx, sp: a.spec(), from: prev, to: next, configUpdated: b.configUpdated, enabled: b.enabled}
	if s, ok := a.(suppressible); ok {
		p.hold, p.by = s.suppress(e, next.time())
	}
	e.queue = append(e.queue, p)
	e.changed = append(e.changed, change{ctx: ctx, a: a, rec: next})
	return true
}

// drain publishes the queued transitions in the order they were recorded:
// subscribers first, then the actions go to the outbox; without Run, the
// actions are then delivered on this goroutine. One goroutine publishes at
// a time; a drain that finds another one at work leaves its transitions to
// it, so that a subscriber or an action may call the engine (its own
// transitions are published after the current ones).
func (e *Engine) drain() {
	e.mu.Lock()
	if e.publishing {
		e.mu.Unlock()
		return
	}
	e.publishing = true
	for {
		q := e.queue
		e.queue = nil
		subs := e.subs
		if len(q) == 0 {
			deliver := e.running == 0 && !e.delivering && e.outbox.len() > 0
			e.publishing = false
			e.mu.Unlock()
			if deliver {
				e.deliver(context.Background(), false)
			}
			return
		}
		e.mu.Unlock()
		e.publish(q, subs)
		e.mu.Lock()
	}
}

// publish tells subscribers and queues actions for q, outside the lock.
// When a subscriber panics, the transitions after the one being published
// go back to the head of the queue, the publishing flag is cleared, and
// the panic goes on: no later transition is lost.
func (e *Engine) publish(q []pending, subs []*subscription) {
	at := 0
	defer func() {
		if r := recover(); r != nil {
			e.mu.Lock()
			e.queue = append(append([]pending(nil), q[at+1:]...), e.queue...)
			e.publishing = false
			e.mu.Unlock()
			panic(r)
		}
	}()
	for i := range q {
		at = i
		e.publishOne(&q[i], subs)
	}
}

// publishOne tells subscribers and queues the actions of one transition.
func (e *Engine) publishOne(p *pending, subs []*subscription) {
	var arns []string
	if p.enabled && !p.hold && e.opts.Actions != nil {
		arns = p.sp.actions(p.to.value())
	}
	if p.release {
		subs = nil // a release of held actions is not a state change
	}
	if len(subs) == 0 && len(arns) == 0 {
		return // nobody to tell: do not render the reason
	}
	tr := e.transitionValue(p)
	for _, s := range subs {
		s.f(tr)
	}
	if len(arns) == 0 {
		return
	}
	e.mu.Lock()
	for _, arn := range arns {
		e.outbox.push(queuedAction{ctx: p.ctx, a: Action{ARN: arn, Key: actionKey(tr.AlarmArn, tr.At, arn), Transition: tr}})
	}
	running := e.running > 0
	e.mu.Unlock()
	if running {
		select {
		case e.wake <- struct{}{}:
		default:
		}
	}
}

// transitionValue renders a pending transition into a Transition.
func (e *Engine) transitionValue(p *pending) Transition {
	name := p.sp.name()
	t := Transition{
		AlarmName: name, AlarmArn: e.arn(name), AlarmType: p.sp.alarmType(),
		From: p.from.value(), To: p.to.value(),
		At: p.to.time().time(), Reason: reasonOf(p.to), ReasonData: reasonDataOf(p.to),
		PreviousAt: p.from.time().time(), PreviousReason: reasonOf(p.from), PreviousReasonData: reasonDataOf(p.from),
		ConfigUpdated: p.configUpdated.time(), ActionsEnabled: p.enabled,
	}
	t.SuppressedBy, t.SuppressedReason = p.by.String(), p.by.Reason()
	if p.release {
		// Held actions released: the state is the same, now; before, the
		// state was held by the period that just ended.
		t.At = p.at.time()
		t.PreviousSuppressedBy, t.PreviousSuppressedReason = p.heldBy.String(), p.heldBy.Reason()
		t.SuppressedBy, t.SuppressedReason = "", ""
	}
	p.sp.transition(&t)
	return t
}

// A queuedAction is an action waiting in the outbox, with the context of
// the call whose transition caused it.
type queuedAction struct {
	ctx context.Context
	a   Action
}

// outbox is the queue of actions to deliver, first in first out. It is a
// ring, so that taking an action and adding one are O(1) and the storage
// is reused; it grows only while actions are added faster than they are
// delivered.
type outbox struct {
	buf        []queuedAction
	head, size int
}

func (o *outbox) len() int { return o.size }

func (o *outbox) push(a queuedAction) {
	if o.size == len(o.buf) {
		n := max(8, 2*len(o.buf))
		buf := make([]queuedAction, n)
		for i := range o.size {
			buf[i] = o.buf[(o.head+i)%len(o.buf)]
		}
		o.buf, o.head = buf, 0
	}
	o.buf[(o.head+o.size)%len(o.buf)] = a
	o.size++
}

func (o *outbox) pop() (queuedAction, bool) {
	if o.size == 0 {
		return queuedAction{}, false
	}
	a := o.buf[o.head]
	o.buf[o.head] = queuedAction{}
	o.head = (o.head + 1) % len(o.buf)
	o.size--
	return a, true
}

// deliver runs the outbox's actions, one at a time, in order, until it is
// empty, and writes an Action history item for each outcome. One goroutine
// delivers at a time. With background (Run's delivery goroutine), actions
// run with Run's context joined to their own; otherwise each runs with the
// context of the call that caused it.
func (e *Engine) deliver(ctx context.Context, background bool) {
	e.mu.Lock()
	if e.delivering {
		e.mu.Unlock()
		return
	}
	e.delivering = true
	defer func() {
		e.mu.Lock()
		e.delivering = false
		e.mu.Unlock()
	}()
	for {
		qa, ok := e.outbox.pop()
		e.mu.Unlock()
		if !ok {
			return
		}
		actx := qa.ctx
		if background {
			actx = joinContext(ctx, qa.ctx)
		}
		err := e.runAction(actx, qa.a)
		now := e.clk.Now()
		e.mu.Lock()
		at := max(stamp(now), stamp(qa.a.Transition.At))
		if !inRange(now) {
			at = stamp(qa.a.Transition.At)
		}
		if a, ok := e.alarms[qa.a.Transition.AlarmName]; ok {
			e.appendHistory(&a.base().hist, newActionItem(at, qa.a, err))
		} else if l := e.deleted[qa.a.Transition.AlarmName]; len(l) > 0 {
			e.appendHistory(&l[len(l)-1].alarmHistory, newActionItem(at, qa.a, err))
		}
	}
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
	return "a " + strconv.Quote(typeName(r)) + " value"
}

func typeName(v any) string {
	type namer interface{ String() string }
	if n, ok := v.(namer); ok {
		return n.String()
	}
	return "non-error"
}

// deliverLoop delivers actions whenever some are queued, until ctx ends
// (Run's delivery goroutine).
func (e *Engine) deliverLoop(ctx context.Context) {
	for {
		e.deliver(ctx, true)
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
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

// An actionItem is an Action history item: the outcome of one action.
type actionItem struct {
	at      nanos
	summary string
	data    string
}

func (a *actionItem) itemKind() itemKind { return itemAction }
func (a *actionItem) itemTime() nanos    { return a.at }

// ErrNotRun is what an ActionRunner returns (wrapped, with the reason)
// for an action it deliberately does not run, such as a replay's: the
// Action history item then says so ("Did not execute action <arn>.
// Reason: ...", actionState "NotRun") instead of reporting a failure.
var ErrNotRun = errors.New("the action was not run")

// newActionItem builds the Action history item of one action's outcome.
// The success and failure forms are CloudWatch's; the not-run form is the
// project's.
func newActionItem(at nanos, a Action, err error) *actionItem {
	it := &actionItem{at: at}
	w := cwjson.NewWriter(nil)
	w.BeginObject()
	w.Key("actionState")
	switch {
	case err == nil:
		it.summary = "Successfully executed action " + a.ARN
		w.String("Succeeded")
	case errors.Is(err, ErrNotRun):
		it.summary = "Did not execute action " + a.ARN + `. Reason: "` + err.Error() + `"`
		w.String("NotRun")
	default:
		it.summary = "Failed to execute action " + a.ARN + `. Received error: "` + err.Error() + `"`
		w.String("Failed")
	}
	w.Key("stateUpdateTimestamp")
	w.Int(a.Transition.At.UnixMilli())
	w.Key("notificationResource")
	w.String(a.ARN)
	w.Key("error")
	if err == nil {
		w.Null()
	} else {
		w.String(err.Error())
	}
	w.EndObject()
	it.data = string(w.Bytes())
	return it
}

// Subscribe calls f with every transition of every alarm, in order, never
// under the engine's lock, so f may call the engine. f runs on the
// goroutine that caused the transition, or on the one publishing at that
// moment (see EvaluateAt). The returned function ends the subscription.
// Subscribe panics at once when f is nil (rather than on whichever
// goroutine would publish next).
func (e *Engine) Subscribe(f func(Transition)) (cancel func()) {
	if f == nil {
		panic("klaxon: Subscribe(nil): Subscribe needs a function to call with each transition")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s := &subscription{f: f}
	e.subs = append(append([]*subscription(nil), e.subs...), s)
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		subs := make([]*subscription, 0, len(e.subs))
		for _, x := range e.subs {
			if x != s {
				subs = append(subs, x)
			}
		}
		e.subs = subs
	}
}

type subscription struct{ f func(Transition) }
