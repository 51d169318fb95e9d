package klaxon

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// A compositeAlarm is an alarm of PutCompositeAlarm: a rule over other
// alarms. It is not on the schedule: it is evaluated when it is created or
// updated and whenever one of its children changes state.
type compositeAlarm struct {
	alarmBase
	sp     *compositeSpec
	kids   []alarmObj    // the children, in the rule's order (kept current by relink)
	states []alarm.State // scratch for one evaluation
	supp   *composite.Suppression
	heldBy composite.SuppressedBy // what held the actions being released
	depth  int                    // 1 + the deepest child's (metric alarms are 0)
}

// suppress applies the suppressor to a transition of c at time at: it
// reports whether the transition's actions are held, and what suppresses
// them.
func (c *compositeAlarm) suppress(e *Engine, at nanos) (hold bool, by composite.SuppressedBy) {
	if c.supp == nil {
		return false, composite.NotSuppressed
	}
	act, _ := c.supp.CompositeChanged(at.time(), e.alarms[c.sp.suppressor].base().state)
	return !act, c.supp.By()
}

// suppressedBy returns why c's actions are held now.
func (c *compositeAlarm) suppressedBy() composite.SuppressedBy {
	if c.supp == nil {
		return composite.NotSuppressed
	}
	return c.supp.By()
}

// compositeSpec is a composite alarm's configuration, with its rule parsed
// and its references resolved to alarm names.
type compositeSpec struct {
	cfg        composite.Config
	rule       *composite.Rule
	names      []string // the children's names, in the rule's order
	suppressor string   // the suppressor's name, or ""
}

func (c *compositeAlarm) base() *alarmBase       { return &c.alarmBase }
func (c *compositeAlarm) spec() spec             { return c.sp }
func (c *compositeAlarm) cadence() time.Duration { return 0 }
func (c *compositeAlarm) children() []string     { return c.sp.names }

// attach registers the composite as a parent of its children and a user
// of its suppressor.
func (c *compositeAlarm) attach(e *Engine, old alarmObj) {
	if old != nil {
		old.detach(e)
	}
	name := c.sp.name()
	for _, ch := range c.sp.names {
		if !slices.Contains(e.parents[ch], name) {
			e.parents[ch] = append(e.parents[ch], name)
		}
	}
	if c.sp.suppressor != "" {
		e.suppressors[c.sp.suppressor] = append(e.suppressors[c.sp.suppressor], name)
	}
}

func (c *compositeAlarm) detach(e *Engine) {
	name := c.sp.name()
	for _, ch := range c.sp.names {
		e.parents[ch] = remove(e.parents[ch], name)
		if len(e.parents[ch]) == 0 {
			delete(e.parents, ch)
		}
	}
	if s := c.sp.suppressor; s != "" {
		e.suppressors[s] = remove(e.suppressors[s], name)
		if len(e.suppressors[s]) == 0 {
			delete(e.suppressors, s)
		}
	}
}

func remove(l []string, s string) []string {
	if i := slices.Index(l, s); i >= 0 {
		return slices.Delete(l, i, i+1)
	}
	return l
}

// evaluate is not called by the scheduler (cadence 0); the engine calls
// decide with what caused the evaluation.
func (c *compositeAlarm) evaluate(e *Engine, t time.Time) record { return nil }

// decide evaluates the rule on the children's current states.
func (c *compositeAlarm) decide() alarm.State {
	for i, ch := range c.kids {
		c.states[i] = ch.base().state
	}
	return c.sp.rule.State(c.states)
}

// triggering returns the reason data entry of a child: its ARN, state and
// state-transition time.
func (e *Engine) triggering(ch alarmObj) composite.TriggeringAlarm {
	b := ch.base()
	return composite.TriggeringAlarm{ARN: e.arn(ch.spec().name()), State: b.state, Timestamp: b.transitioned.time()}
}

// allChildren returns the reason data entries of every child.
func (e *Engine) allChildren(c *compositeAlarm) []composite.TriggeringAlarm {
	out := make([]composite.TriggeringAlarm, len(c.kids))
	for i, ch := range c.kids {
		out[i] = e.triggering(ch)
	}
	return out
}

func (s *compositeSpec) name() string         { return s.cfg.AlarmName }
func (s *compositeSpec) alarmType() string    { return CompositeAlarmType }
func (s *compositeSpec) actionsEnabled() bool { return s.cfg.ActionsOn() }

func (s *compositeSpec) actions(st alarm.State) []string {
	switch st {
	case alarm.StateOK:
		return s.cfg.OKActions
	case alarm.StateAlarm:
		return s.cfg.AlarmActions
	}
	return s.cfg.InsufficientDataActions
}

func (s *compositeSpec) transition(t *Transition) {
	c := s.cfg.Clone()
	t.CompositeAlarm = &c
}

func (s *compositeSpec) describe(out *DescribeAlarmsOutput, d described) {
	c := &s.cfg
	out.CompositeAlarms = append(out.CompositeAlarms, CompositeAlarm{
		ActionsEnabled: d.Enabled, AlarmActions: clone(c.AlarmActions), AlarmArn: d.Arn,
		AlarmConfigurationUpdatedTimestamp: Timestamp{d.ConfigUpdated}, AlarmDescription: c.AlarmDescription,
		AlarmName: c.AlarmName, AlarmRule: c.AlarmRule, InsufficientDataActions: clone(c.InsufficientDataActions),
		OKActions: clone(c.OKActions), StateReason: d.StateReason, StateReasonData: d.StateReasonData,
		StateUpdatedTimestamp: Timestamp{d.StateUpdated}, StateValue: d.State, StateTransitionedTimestamp: Timestamp{d.StateTransitioned},
		ActionsSuppressedBy: d.SuppressedBy.String(), ActionsSuppressedReason: d.SuppressedBy.Reason(),
		ActionsSuppressor: c.ActionsSuppressor, ActionsSuppressorWaitPeriod: clonePtr(c.ActionsSuppressorWaitPeriod),
		ActionsSuppressorExtensionPeriod: clonePtr(c.ActionsSuppressorExtensionPeriod),
	})
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// writeHistoryAlarm writes the alarm object of a composite's
// ConfigurationUpdate items, in the key style of the metric alarm's real
// item (CloudWatch's composite form is unpublished).
func (s *compositeSpec) writeHistoryAlarm(w *cwjson.Writer, d described) {
	c := &s.cfg
	str := func(key, v string) {
		w.Key(key)
		w.String(v)
	}
	writeAlarmHead(w, c.AlarmName, c.AlarmDescription, d)
	str("alarmRule", c.AlarmRule)
	if c.ActionsSuppressor != "" {
		str("actionsSuppressor", c.ActionsSuppressor)
		w.Key("actionsSuppressorWaitPeriod")
		w.Int(int64(*c.ActionsSuppressorWaitPeriod))
		w.Key("actionsSuppressorExtensionPeriod")
		w.Int(int64(*c.ActionsSuppressorExtensionPeriod))
	}
	writeAlarmTail(w, d, c.AlarmActions, c.InsufficientDataActions, c.OKActions)
}

// maxParents is the most composite alarms that may reference one alarm.
const maxParents = 150

// PutCompositeAlarm creates a composite alarm, or replaces the
// configuration of an existing one, as CloudWatch's PutCompositeAlarm
// does. Every alarm the rule references (by name or by ARN) and the
// ActionsSuppressor must exist. A new composite starts in
// INSUFFICIENT_DATA and is evaluated at once ("<ARN> was created and its
// alarm rule evaluates to OK"); an updated one keeps its state and is
// evaluated again. From then on it is evaluated whenever a child changes
// state: the rule true makes it ALARM, false OK. A rule that would make a
// cycle of composites is refused with an error that names the cycle
// (CloudWatch accepts cycles and then stops evaluating them). Tags on an
// update are ignored.
func (e *Engine) PutCompositeAlarm(ctx context.Context, cfg composite.Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := e.checkActionPlaces(cfg.OKActions, cfg.AlarmActions, cfg.InsufficientDataActions); err != nil {
		return err
	}
	rule, err := composite.Parse(cfg.AlarmRule)
	if err != nil {
		return err
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	e.mu.Lock()
	name := cfg.AlarmName
	old := e.alarms[name]
	if old != nil {
		if _, ok := old.(*compositeAlarm); !ok {
			e.mu.Unlock()
			return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "AlarmName", Value: name,
				Message: "The alarm " + name + " is a " + old.spec().alarmType() + ": PutCompositeAlarm cannot replace it (delete it first)."}
		}
	}
	sp := &compositeSpec{cfg: cfg.Clone(), rule: rule}
	c := &compositeAlarm{sp: sp}
	if err := e.resolve(c); err != nil {
		e.mu.Unlock()
		return err
	}
	if oc, ok := old.(*compositeAlarm); ok {
		// Tags given on an update are ignored: the alarm keeps its own.
		sp.cfg.Tags = oc.sp.cfg.Tags
		c.supp = oc.supp
	}
	e.setSuppression(c, old, now)
	e.put(c, old, now)
	e.setDepths()
	// Evaluate at once: on creation the state leaves INSUFFICIENT_DATA.
	next := c.decide()
	cause := causeCreated
	if old != nil {
		cause = causeUpdated
	}
	if next != c.state {
		e.transition(ctx, c, &compositeRecord{val: next, at: max(stamp(now), c.current().time()), cause: cause,
			arn: e.arn(name), children: e.allChildren(c)})
	}
	e.flush()
	e.mu.Unlock()
	e.drain()
	return nil
}

// resolve finds c's children and suppressor, and refuses a rule that is
// too large for its children's parents, or that would make a cycle.
func (e *Engine) resolve(c *compositeAlarm) error {
	sp := c.sp
	name := sp.cfg.AlarmName
	refs := sp.rule.Children()
	var missing []string
	for _, ref := range refs {
		n := e.alarmNameOf(ref)
		a, ok := e.alarms[n]
		if !ok && n != name {
			missing = append(missing, ref)
			continue
		}
		sp.names = append(sp.names, n)
		c.kids = append(c.kids, a)
	}
	if len(missing) > 0 {
		return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "AlarmRule", Value: strings.Join(missing, ", "),
			Message: "Could not save the composite alarm as alarms [" + strings.Join(missing, ", ") + "] in the alarm rule do not exist"}
	}
	if path := e.cycle(name, sp.names); path != nil {
		return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "AlarmRule", Value: sp.cfg.AlarmRule,
			Message: "The alarm rule of " + name + " makes a cycle of composite alarms: " + strings.Join(path, " -> ") +
				". Klaxon refuses cycles (CloudWatch accepts them, then stops evaluating the alarms in them)."}
	}
	var full []string
	for _, n := range sp.names {
		if l := e.parents[n]; len(l) >= maxParents && !slices.Contains(l, name) {
			full = append(full, n)
		}
	}
	if len(full) > 0 {
		return &Error{Pkg: "klaxon", Code: cwerr.LimitExceeded, Field: "AlarmRule", Value: strings.Join(full, ", "),
			Message: "The alarms [" + strings.Join(full, ", ") + "] are already referenced by " + strconv.Itoa(maxParents) + " composite alarms, the most one alarm may have."}
	}
	if s := sp.cfg.ActionsSuppressor; s != "" {
		n := e.alarmNameOf(s)
		if _, ok := e.alarms[n]; !ok || n == name {
			why := "does not exist"
			if n == name {
				why = "is the composite alarm itself"
			}
			return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "ActionsSuppressor", Value: s,
				Message: "The ActionsSuppressor " + s + " " + why + ": it must name another existing alarm (by name or ARN)."}
		}
		sp.suppressor = n
	}
	c.states = make([]alarm.State, len(c.kids))
	return nil
}

// alarmNameOf returns the alarm name a rule reference names: the name
// itself, or the name in an ARN of this engine's account and Region (an
// ARN of elsewhere names no alarm of the engine's).
func (e *Engine) alarmNameOf(ref string) string {
	prefix := e.arn("")
	if n, ok := strings.CutPrefix(ref, prefix); ok {
		return n
	}
	if strings.HasPrefix(ref, "arn:") {
		return "\x00" + ref // matches no alarm name (names have no control characters)
	}
	return ref
}

// cycle returns the path of a cycle that a composite named name with these
// children would close (name -> ... -> name), or nil.
func (e *Engine) cycle(name string, children []string) []string {
	var path []string
	seen := map[string]bool{}
	var visit func(n string) bool
	visit = func(n string) bool {
		path = append(path, n)
		if n == name {
			return true
		}
		if !seen[n] {
			seen[n] = true
			if c, ok := e.alarms[n].(*compositeAlarm); ok {
				for _, ch := range c.sp.names {
					if visit(ch) {
						return true
					}
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	for _, ch := range children {
		if visit(ch) {
			return append([]string{name}, path...)
		}
	}
	return nil
}

// relink points the composites that read old at its replacement a (an
// alarm updated under the same name is a new object).
func (e *Engine) relink(old, a alarmObj) {
	if old == nil {
		return
	}
	for _, p := range e.parents[a.spec().name()] {
		if c, ok := e.alarms[p].(*compositeAlarm); ok {
			for i, ch := range c.kids {
				if ch == old {
					c.kids[i] = a
				}
			}
		}
	}
}

// setSuppression gives c the suppression state its configuration asks for:
// kept across an update that keeps the suppressor and its periods, new
// otherwise (a replaced suppressor discards what the old one held).
func (e *Engine) setSuppression(c *compositeAlarm, old alarmObj, now time.Time) {
	cfg := &c.sp.cfg
	if c.sp.suppressor == "" {
		c.supp = nil
		return
	}
	sup := e.alarms[c.sp.suppressor].base().state
	wait := time.Duration(*cfg.ActionsSuppressorWaitPeriod) * time.Second
	ext := time.Duration(*cfg.ActionsSuppressorExtensionPeriod) * time.Second
	if oc, ok := old.(*compositeAlarm); ok && c.supp != nil {
		o := &oc.sp.cfg
		if oc.sp.suppressor == c.sp.suppressor && *o.ActionsSuppressorWaitPeriod == *cfg.ActionsSuppressorWaitPeriod &&
			*o.ActionsSuppressorExtensionPeriod == *cfg.ActionsSuppressorExtensionPeriod {
			return
		}
		c.supp.Replace(wait, ext, sup)
		return
	}
	c.supp = composite.NewSuppression(wait, ext, sup)
}

// A change is a transition whose composite parents and suppressed
// composites are still to be told.
type change struct {
	ctx context.Context
	a   alarmObj
	rec record
	arn string // the alarm's ARN, once a reason needs it
}

// flush re-evaluates the composite alarms whose children changed state
// since the last flush, and tells the composites whose suppressor changed.
// It runs under the lock at the end of each evaluation time, SetAlarmState
// and PutCompositeAlarm, so that a composite sees every child that changed
// at once: two children changing in the same evaluation make one decision,
// not a flap. Composites are evaluated once each, deepest last (a
// composite of composites after the composites it reads); a composite's
// reason names the first of its children that changed.
func (e *Engine) flush() {
	if len(e.changed) == 0 {
		return
	}
	if e.trigger == nil {
		e.trigger = map[*compositeAlarm]int{}
	}
	trigger := e.trigger // a composite's first changed child, as an index in e.changed
	todo := e.todo[:0]   // by depth, then order of arrival; todo[:next] are done
	next := 0
	for i := 0; ; {
		for ; i < len(e.changed); i++ {
			ch := e.changed[i]
			name := ch.a.spec().name()
			for _, p := range e.parents[name] {
				c, ok := e.alarms[p].(*compositeAlarm)
				if !ok {
					continue
				}
				if _, seen := trigger[c]; !seen {
					trigger[c] = i
					k := len(todo)
					for k > next && todo[k-1].depth > c.depth {
						k--
					}
					todo = slices.Insert(todo, k, c)
				}
			}
			for _, p := range e.suppressors[name] {
				if c, ok := e.alarms[p].(*compositeAlarm); ok && c.supp != nil {
					if act, _ := c.supp.SuppressorChanged(ch.rec.time().time(), ch.rec.value()); act {
						e.release(ch.ctx, c, ch.rec.time())
					}
				}
			}
		}
		if next == len(todo) {
			break
		}
		c := todo[next]
		next++
		state := c.decide()
		if state == c.state {
			continue // the composite stays: its reason names the child that made it change
		}
		t := &e.changed[trigger[c]]
		if t.arn == "" {
			t.arn = e.arn(t.a.spec().name())
		}
		b := t.a.base()
		e.transition(t.ctx, c, &compositeRecord{val: state, at: max(t.rec.time(), c.current().time()), cause: causeChild,
			arn: t.arn, state: b.state, when: b.transitioned})
	}
	clear(e.changed)
	e.changed = e.changed[:0]
	clear(trigger)
	clear(todo)
	e.todo = todo[:0]
}

// setDepths gives every composite its depth: 1 + the deepest of its
// children (metric alarms are 0), so that flush evaluates a composite after
// the composites it reads. The graph has no cycle (PutCompositeAlarm
// refuses them).
func (e *Engine) setDepths() {
	for changed := true; changed; {
		changed = false
		for _, a := range e.alarms {
			c, ok := a.(*compositeAlarm)
			if !ok {
				continue
			}
			d := 1
			for _, k := range c.kids {
				if kc, ok := k.(*compositeAlarm); ok {
					d = max(d, kc.depth+1)
				}
			}
			if d != c.depth {
				c.depth, changed = d, true
			}
		}
	}
}

// release queues the held actions of composite c, for its current state,
// at time at (a WaitPeriod or ExtensionPeriod ended, or the suppressor left
// ALARM with no ExtensionPeriod): a delivery, not a state change, so no
// history item or subscriber call comes with it.
func (e *Engine) release(ctx context.Context, c *compositeAlarm, at nanos) {
	cur := c.current()
	e.queue = append(e.queue, pending{ctx: ctx, sp: c.sp, from: cur, to: cur, configUpdated: c.configUpdated,
		enabled: c.enabled, release: true, at: max(at, cur.time()), heldBy: c.heldBy})
	c.heldBy = composite.NotSuppressed
}

// suppressionsDue lets time pass until t for every composite with a
// suppressor: WaitPeriods and ExtensionPeriods that end by t end, in time
// order, and release the actions they held.
func (e *Engine) suppressionsDue(ctx context.Context, t time.Time) {
	for {
		var first *compositeAlarm
		for _, names := range e.suppressors {
			for _, n := range names {
				c, ok := e.alarms[n].(*compositeAlarm)
				if !ok || c.supp == nil || c.supp.End().IsZero() || c.supp.End().After(t) {
					continue
				}
				if first == nil || c.supp.End().Before(first.supp.End()) {
					first = c
				}
			}
		}
		if first == nil {
			return
		}
		end := first.supp.End()
		by := first.supp.By()
		if act, _ := first.supp.Advance(end); act {
			first.heldBy = by
			e.release(ctx, first, stamp(end))
		}
	}
}
