package klaxon

import (
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
)

// A record is one state of an alarm: its value, when it was set, and what
// its StateReason and StateReasonData are rendered from. Records are plain
// data (no pointer into a window or an evaluator that can change), and
// never change but for the link to the state before, which is cut when the
// history item that shows both is dropped. A record that is a transition
// is also its alarm's StateUpdate history item.
type record interface {
	historyEntry
	value() alarm.State
	time() nanos
	// before is the state this one replaced (its StateUpdate item's
	// oldState); nil once that item is dropped, or for the initial state.
	before() record
	setBefore(record)
	appendReason(b []byte) []byte
	// appendReasonData appends the reason data, at most max bytes of it
	// (shortened where the kind knows how, else left out).
	appendReasonData(b []byte, max int) []byte
}

// A textRecord is a state whose reason is text given to the engine: the
// initial state and SetAlarmState.
type textRecord struct {
	val    alarm.State
	at     nanos
	prev   record
	reason string
	data   string
}

func (r *textRecord) value() alarm.State           { return r.val }
func (r *textRecord) time() nanos                  { return r.at }
func (r *textRecord) before() record               { return r.prev }
func (r *textRecord) setBefore(p record)           { r.prev = p }
func (r *textRecord) appendReason(b []byte) []byte { return append(b, r.reason...) }
func (r *textRecord) appendReasonData(b []byte, max int) []byte {
	if len(r.data) > max {
		return b // reason data given to SetAlarmState cannot be shortened
	}
	return append(b, r.data...)
}
func (r *textRecord) itemKind() itemKind { return itemState }
func (r *textRecord) itemTime() nanos    { return r.at }

// A metricRecord is a state a metric alarm's evaluation decided.
type metricRecord struct {
	prev record
	res  alarm.Result
}

func (r *metricRecord) value() alarm.State           { return r.res.State }
func (r *metricRecord) time() nanos                  { return stamp(r.res.QueryDate()) }
func (r *metricRecord) before() record               { return r.prev }
func (r *metricRecord) setBefore(p record)           { r.prev = p }
func (r *metricRecord) appendReason(b []byte) []byte { return r.res.AppendReason(b) }
func (r *metricRecord) appendReasonData(b []byte, max int) []byte {
	return r.res.AppendReasonDataMax(b, max)
}
func (r *metricRecord) itemKind() itemKind { return itemState }
func (r *metricRecord) itemTime() nanos    { return r.time() }

func reasonOf(r record) string { return string(r.appendReason(nil)) }

func reasonDataOf(r record) string { return string(r.appendReasonData(nil, alarm.MaxReasonData)) }

// A compositeRecord is a state a composite alarm's evaluation decided,
// kept as the values its reason is rendered from: the child whose
// transition caused it (its ARN, new state and transition time), or, on
// the composite's creation or update, its own ARN and every child.
type compositeRecord struct {
	val      alarm.State
	at       nanos
	prev     record
	cause    compositeCause
	arn      string                      // the child's ARN, or the composite's own
	state    alarm.State                 // the child's new state
	when     nanos                       // the child's transition time
	children []composite.TriggeringAlarm // on creation and update
}

// compositeCause is what made a composite alarm change state.
type compositeCause uint8

const (
	causeChild compositeCause = iota
	causeCreated
	causeUpdated
)

func (r *compositeRecord) value() alarm.State { return r.val }
func (r *compositeRecord) time() nanos        { return r.at }
func (r *compositeRecord) before() record     { return r.prev }
func (r *compositeRecord) setBefore(p record) { r.prev = p }
func (r *compositeRecord) itemKind() itemKind { return itemState }
func (r *compositeRecord) itemTime() nanos    { return r.at }

func (r *compositeRecord) appendReason(b []byte) []byte {
	switch r.cause {
	case causeCreated:
		return append(b, composite.CreatedReason(r.arn, r.val)...)
	case causeUpdated:
		return append(b, composite.UpdatedReason(r.arn, r.val)...)
	}
	return append(b, composite.ChildReason(r.arn, r.state, r.when.time())...)
}

func (r *compositeRecord) appendReasonData(b []byte, max int) []byte {
	var d string
	if r.cause == causeChild {
		d = composite.ReasonData(composite.TriggeringAlarm{ARN: r.arn, State: r.state, Timestamp: r.when.time()})
	} else {
		d = composite.ReasonData(r.children...)
	}
	if len(d) > max {
		return b
	}
	return append(b, d...)
}
