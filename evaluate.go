package klaxon

import (
	"context"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
)

// EvaluateAt evaluates the alarms that CloudWatch's schedule evaluates at
// t, truncated to 10 seconds: high-resolution alarms (Period 10, 20, 30)
// at every 10 seconds, standard alarms at every whole minute, and alarms
// whose Period x EvaluationPeriods exceeds a day at every whole hour. Each
// evaluation reads the periods that end at t. Transitions are recorded,
// then published to subscribers and actions in order, before EvaluateAt
// returns (unless another goroutine is publishing at that moment: it then
// publishes them too, right after its own).
func (e *Engine) EvaluateAt(ctx context.Context, t time.Time) {
	t = t.Truncate(10 * time.Second)
	e.mu.Lock()
	e.evaluateLocked(ctx, t)
	e.mu.Unlock()
	e.drain()
}

func (e *Engine) evaluateLocked(ctx context.Context, t time.Time) {
	sec := t.Unix()
	for c, list := range e.classes {
		switch class(c) {
		case classStandard:
			if sec%60 != 0 {
				continue
			}
		case classMultiDay:
			if sec%3600 != 0 {
				continue
			}
		}
		e.evaluateList(ctx, list, t)
	}
}

// evaluateList evaluates the alarms of list at t.
func (e *Engine) evaluateList(ctx context.Context, list []*alarmRec, t time.Time) {
	for _, rec := range list {
		e.evaluate(ctx, rec, t)
	}
}

// evaluate evaluates one alarm at t. It does not allocate unless the state
// changes.
func (e *Engine) evaluate(ctx context.Context, rec *alarmRec, t time.Time) {
	n := rec.ev.Range()
	if cap(e.window) < n {
		e.window = make([]alarm.Datapoint, n)
	}
	win := e.window[:n]
	rec.watch.Read(t, win)
	res := rec.ev.Evaluate(rec.state, win, t)
	if res.Retained() || res.State == rec.state {
		return
	}
	e.transition(ctx, rec, newEvaluatedRecord(t, res.Clone()))
}

// Run evaluates alarms on the engine's clock until ctx ends: it wakes at
// every 10-second boundary and calls EvaluateAt for each boundary that has
// passed since the last one, so that a clock that jumps (a mock clock
// moved by an hour) still gets every evaluation, in order.
func (e *Engine) Run(ctx context.Context) error {
	next := e.clk.Now().Truncate(10 * time.Second).Add(10 * time.Second)
	timer := e.clk.Timer(next.Sub(e.clk.Now()))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		now := e.clk.Now()
		for ; !next.After(now); next = next.Add(10 * time.Second) {
			e.EvaluateAt(ctx, next)
		}
		timer.Reset(next.Sub(e.clk.Now()))
	}
}

// pending is a transition recorded under the lock and published after it,
// with the context of the call that caused it (its actions run with it).
type pending struct {
	ctx     context.Context
	ev      *alarm.Evaluator // the configuration at the time of the transition
	name    string
	from    *stateRecord
	to      *stateRecord
	actions []string
}

// transition makes next the alarm's state when its value differs from the
// current one, records the history item and queues the publication. It is
// the one place where an alarm's state changes.
func (e *Engine) transition(ctx context.Context, rec *alarmRec, next *stateRecord) bool {
	prev := rec.current()
	cfg := rec.ev.Config()
	if next.value == prev.value {
		if next.res == nil {
			// SetAlarmState to the current state: the reason is replaced
			// (StateUpdatedTimestamp moves), nothing else happens.
			rec.cur = next
		}
		return false
	}
	rec.cur, rec.state = next, next.value
	rec.transitioned = next.at
	e.appendHistory(historyItem{name: cfg.AlarmName, at: int64(next.at), kind: itemState, from: prev, to: next})
	p := pending{ctx: ctx, ev: rec.ev, name: cfg.AlarmName, from: prev, to: next}
	if rec.enabled {
		switch next.value {
		case alarm.StateOK:
			p.actions = cfg.OKActions
		case alarm.StateAlarm:
			p.actions = cfg.AlarmActions
		default:
			p.actions = cfg.InsufficientDataActions
		}
	}
	e.queue = append(e.queue, p)
	return true
}

// drain publishes the queued transitions in the order they were recorded:
// subscribers first, then actions, whose outcomes become history items.
// One goroutine publishes at a time; a drain that finds another one at work
// leaves its transitions to it, so that a subscriber or an action may call
// the engine (its own transitions are published after the current ones).
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
			e.publishing = false
			e.mu.Unlock()
			return
		}
		e.mu.Unlock()
		e.publish(q, subs)
		e.mu.Lock()
	}
}

// publish tells subscribers and runs actions for q, outside the lock. When
// a subscriber or an action panics, the transitions after the one being
// published go back to the head of the queue, the publishing flag is
// cleared, and the panic goes on: no later transition is lost.
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

// publishOne tells subscribers and runs actions for one transition.
func (e *Engine) publishOne(p *pending, subs []*subscription) {
	if len(subs) == 0 && (e.opts.Actions == nil || len(p.actions) == 0) {
		return // nobody to tell: do not render the reason
	}
	tr := Transition{
		AlarmName: p.name, AlarmArn: e.arn(p.name), From: p.from.value, To: p.to.value, At: p.to.at.time(),
		Reason: p.to.Reason(), ReasonData: p.to.ReasonData(), Config: p.ev.Config(),
	}
	for _, s := range subs {
		s.f(tr)
	}
	if e.opts.Actions == nil {
		return
	}
	for _, arn := range p.actions {
		err := e.opts.Actions.RunAction(p.ctx, Action{ARN: arn, Transition: tr})
		e.mu.Lock()
		e.appendHistory(actionItem(p.name, e.clk.Now(), arn, tr.At, err))
		e.mu.Unlock()
	}
}

// actionItem builds the Action history item of one action's outcome.
func actionItem(name string, at time.Time, arn string, changed time.Time, err error) historyItem {
	it := historyItem{name: name, at: at.UnixNano(), kind: itemAction, action: &actionText{}}
	b := []byte(`{"actionState":`)
	if err == nil {
		it.action.summary = "Successfully executed action " + arn
		b = append(b, `"Succeeded"`...)
	} else {
		it.action.summary = "Failed to execute action " + arn + `. Received error: "` + err.Error() + `"`
		b = append(b, `"Failed"`...)
	}
	b = append(b, `,"stateUpdateTimestamp":`...)
	b = appendInt(b, changed.UnixMilli())
	b = append(b, `,"notificationResource":`...)
	b = cwfmt.AppendString(b, arn)
	b = append(b, `,"error":`...)
	if err == nil {
		b = append(b, "null"...)
	} else {
		b = cwfmt.AppendString(b, err.Error())
	}
	it.action.data = string(append(b, '}'))
	return it
}

// Subscribe calls f with every transition of every alarm, in order, never
// under the engine's lock, so f may call the engine. f runs on the
// goroutine that caused the transition, or on the one publishing at that
// moment (see EvaluateAt). The returned function ends the subscription.
func (e *Engine) Subscribe(f func(Transition)) (cancel func()) {
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
