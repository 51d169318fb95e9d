package klaxon

import (
	"context"
	"errors"
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
// before it returns). An error is retried as Options.ActionRetry says,
// unless it matches ErrNotRun or ErrPermanent; the final outcome becomes one Action
// history item. A retried action keeps its Key, so a receiver that drops
// duplicates by Key sees it once. A panic in RunAction fails that action
// and nothing else.
//
// A runner that reads only what Transition.Brief keeps (a replay's, which
// records actions and runs none) says so with a method
// BriefActions() bool that returns true: its actions then carry brief
// transitions, and the engine renders no reason data for them.
type ActionRunner interface {
	RunAction(ctx context.Context, a Action) error
}

// ActionRunnerFunc lets an ordinary function be an ActionRunner.
type ActionRunnerFunc func(ctx context.Context, a Action) error

// RunAction calls f(ctx, a).
func (f ActionRunnerFunc) RunAction(ctx context.Context, a Action) error { return f(ctx, a) }

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
	if p.enabled && hasScaling(p.sp.actions(next.value())) {
		e.scaling[p.sp.name()] = struct{}{}
	}
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
			deliver := e.running == 0 && !e.delivering && e.queued.size+e.spilled > 0
			e.publishing = false
			e.mu.Unlock()
			if deliver {
				e.deliver(context.Background(), false, false)
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
		arns = runnable(p.sp.actions(p.to.value()), p.to.value())
	}
	if p.release {
		subs = nil // a release of held actions is not a state change
	}
	if len(subs) == 0 && len(arns) == 0 {
		return // nobody to tell: do not render the reason
	}
	full := len(arns) > 0 && !e.briefActions
	for _, s := range subs {
		full = full || !s.brief
	}
	tr := e.transitionValue(p, full)
	for _, s := range subs {
		if s.brief && full {
			s.f(tr.Brief())
		} else {
			s.f(tr)
		}
	}
	if len(arns) == 0 {
		return
	}
	e.mu.Lock()
	for _, arn := range arns {
		e.enqueue(queuedAction{ctx: p.ctx, a: Action{ARN: arn, Key: actionKey(tr.AlarmArn, tr.At, arn), Transition: tr}})
	}
	e.mu.Unlock()
}

// runnable returns the actions of a state's list that run on entering it:
// SSM OpsItem, Incident Manager and investigation actions run only on
// entering ALARM.
func runnable(arns []string, to alarm.State) []string {
	if to == alarm.StateAlarm {
		return arns
	}
	var out []string
	for _, s := range arns {
		a, err := alarm.ParseActionARN(s)
		if err == nil && (a.Kind == alarm.ActionSSMOpsItem || a.Kind == alarm.ActionSSMIncident || a.Kind == alarm.ActionInvestigation) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// transitionValue renders a pending transition into a Transition.
func (e *Engine) transitionValue(p *pending, full bool) Transition {
	name := p.sp.name()
	t := Transition{
		AlarmName: name, AlarmArn: e.arn(name), AlarmType: p.sp.alarmType(),
		From: p.from.value(), To: p.to.value(),
		At: p.to.time().time(), Reason: reasonOf(p.to),
		PreviousAt:    p.from.time().time(),
		ConfigUpdated: p.configUpdated.time(), ActionsEnabled: p.enabled,
	}
	if full {
		t.ReasonData, t.PreviousReason, t.PreviousReasonData = reasonDataOf(p.to), reasonOf(p.from), reasonDataOf(p.from)
	}
	t.SuppressedBy, t.SuppressedReason = p.by.String(), p.by.Reason()
	if p.release {
		// Held actions released: the state is the same, now; before, the
		// state was held by the period that just ended.
		t.At = p.at.time()
		t.PreviousSuppressedBy, t.PreviousSuppressedReason = p.heldBy.String(), p.heldBy.Reason()
		t.SuppressedBy, t.SuppressedReason = "", ""
	}
	if full {
		p.sp.transition(&t)
	}
	return t
}

// ErrNotRun is what an ActionRunner returns (wrapped, with the reason)
// for an action it deliberately does not run, such as a replay's: the
// Action history item then says so ("Did not execute action <arn>.
// Reason: ...", actionState "NotRun") instead of reporting a failure.
var ErrNotRun = errors.New("the action was not run")

// ErrPermanent marks an action's error as one that retrying cannot fix (a
// refusal for missing permissions, an action the target cannot do): an
// error that matches it with errors.Is fails the action at once, without
// the retries of Options.ActionRetry. A runner wraps it
// (fmt.Errorf("...: %w", klaxon.ErrPermanent)) or gives its error type an
// Is method that matches it.
var ErrPermanent = errors.New("the action cannot succeed")

// newActionItem builds the Action history item of one action's outcome.
// The success and failure forms are CloudWatch's; the not-run form is the
// project's.
func newActionItem(at nanos, a Action, err error, published string) *actionItem {
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
	if published != "" {
		w.Key("publishedMessage")
		w.String(published)
	}
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
	return e.subscribe(&subscription{f: f})
}

// SubscribeBrief is Subscribe for a consumer that keeps many transitions
// (a replay, a dashboard's timeline): f receives each transition without
// its ReasonData, PreviousReason, PreviousReasonData and configuration
// copy (MetricAlarm, CompositeAlarm), which are then not rendered at all
// unless another subscriber or an action needs them. The history items
// keep them.
func (e *Engine) SubscribeBrief(f func(Transition)) (cancel func()) {
	if f == nil {
		panic("klaxon: SubscribeBrief(nil): SubscribeBrief needs a function to call with each transition")
	}
	return e.subscribe(&subscription{f: f, brief: true})
}

func (e *Engine) subscribe(s *subscription) (cancel func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
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

type subscription struct {
	f     func(Transition)
	brief bool // SubscribeBrief's
}

// Brief returns t without what SubscribeBrief leaves out: its reason
// data, previous reason and configuration copy.
func (t Transition) Brief() Transition {
	t.ReasonData, t.PreviousReason, t.PreviousReasonData = "", "", ""
	t.MetricAlarm, t.CompositeAlarm = nil, nil
	return t
}

// hasScaling reports whether a list has an Auto Scaling action.
func hasScaling(arns []string) bool {
	for _, s := range arns {
		if a, err := alarm.ParseActionARN(s); err == nil && a.Kind == alarm.ActionAutoScaling {
			return true
		}
	}
	return false
}

// An actionItem is an Action history item: the outcome of one action.
type actionItem struct {
	at      nanos
	summary string
	data    string
}

func (a *actionItem) itemKind() itemKind { return itemAction }
func (a *actionItem) itemTime() nanos    { return a.at }
