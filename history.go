package klaxon

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// The values of HistoryItemType.
const (
	HistoryConfigurationUpdate = "ConfigurationUpdate"
	HistoryStateUpdate         = "StateUpdate"
	HistoryAction              = "Action"
)

type itemKind uint8

const (
	itemState itemKind = iota
	itemConfiguration
	itemAction
)

var itemTypes = [...]string{HistoryStateUpdate, HistoryConfigurationUpdate, HistoryAction}

// A historyEntry is what a history item shows: a state record (a
// StateUpdate item), a configuration change or an action's outcome.
type historyEntry interface {
	itemKind() itemKind
	itemTime() nanos
}

// A historyItem is one stored history item: its entry, its time (the
// entry's, kept so that a query does not render it) and its sequence
// number, which orders items of the same time.
type historyItem struct {
	seq uint64
	at  nanos
	e   historyEntry
}

// An alarmHistory is one alarm's history items, oldest first, in a ring:
// appending and dropping the oldest are O(1) (amortised: the ring doubles
// when full and is reused).
type alarmHistory struct {
	items      []historyItem
	head, size int32
}

// A deletedHistory is the history of a deleted alarm: it stays until its
// last item expires.
type deletedHistory struct {
	alarmHistory
	at        int32 // index in Engine.histories
	name, typ string
}

// A histRef is a history the sweep visits: a live alarm's or a deleted
// one's (exactly one is set).
type histRef struct {
	a *alarmBase
	d *deletedHistory
}

func (r histRef) hist() *alarmHistory {
	if r.a != nil {
		return &r.a.hist
	}
	return &r.d.alarmHistory
}

func (r histRef) setAt(at int32) {
	if r.a != nil {
		r.a.histAt = at
	} else {
		r.d.at = at
	}
}

func (h *alarmHistory) push(it historyItem) {
	if int(h.size) == len(h.items) {
		n := max(1, 2*len(h.items))
		items := make([]historyItem, n)
		for i := range h.size {
			items[i] = h.items[(int(h.head)+int(i))%len(h.items)]
		}
		h.items, h.head = items, 0
	}
	h.items[(int(h.head)+int(h.size))%len(h.items)] = it
	h.size++
}

func (h *alarmHistory) front() historyItem { return h.items[h.head] }

// pop drops the oldest item. A StateUpdate item's record keeps its link to
// the state before only while the item exists: the link goes with it, so
// that the chain of older states is freed.
func (h *alarmHistory) pop() {
	if r, ok := h.items[h.head].e.(record); ok {
		r.setBefore(nil)
	}
	h.items[h.head] = historyItem{}
	h.head = int32((int(h.head) + 1) % len(h.items))
	h.size--
	if h.size == 0 {
		h.head = 0
		if len(h.items) > 64 {
			h.items = nil // a burst is over: give the storage back
		}
	}
}

func (h *alarmHistory) each(f func(historyItem)) {
	for i := range int(h.size) {
		f(h.items[(int(h.head)+i)%len(h.items)])
	}
}

// cutoff returns the time before which history items are dropped: the
// engine clock's time less HistoryRetention (math.MinInt64 when nothing
// is dropped).
func (e *Engine) cutoff() nanos {
	now := e.clk.Now()
	if !inRange(now) || e.opts.HistoryRetention >= KeepHistory {
		return minNanos
	}
	c := stamp(now) - nanos(e.opts.HistoryRetention)
	if c < stamp(MinTime) {
		return minNanos
	}
	return c
}

const (
	minNanos = nanos(-1 << 63)
	maxNanos = nanos(1<<63 - 1)
)

// appendHistory stores an item of h, then drops h's items that are older
// than the retention (by the engine's clock, not by the item's time: an
// evaluation ahead of the clock drops nothing) or beyond HistoryPerAlarm.
func (e *Engine) appendHistory(h *alarmHistory, entry historyEntry) {
	e.seq++
	h.push(historyItem{seq: e.seq, at: entry.itemTime(), e: entry})
	e.prune(h, e.cutoff())
}

func (e *Engine) prune(h *alarmHistory, cutoff nanos) {
	for h.size > 0 && h.front().at < cutoff {
		h.pop()
	}
	for max := e.opts.HistoryPerAlarm; max > 0 && int(h.size) > max; {
		h.pop()
	}
}

// sweep is the engine's housekeeping at each evaluation: it prunes a
// share of the alarms' histories (every history is visited within 360
// evaluations, an hour of 10-second ticks: items outlive the retention by
// at most that) and frees a share of the metrics that stopped reporting.
func (e *Engine) sweep(t time.Time) {
	if n := len(e.histories); n > 0 {
		cutoff := e.cutoff()
		for range min(n, max(16, n/360+1)) {
			if e.sweepAt >= len(e.histories) {
				e.sweepAt = 0
			}
			ref := e.histories[e.sweepAt]
			e.prune(ref.hist(), cutoff)
			if ref.d != nil && ref.d.size == 0 {
				e.dropDeleted(ref.d) // a deleted alarm's history, expired
				continue
			}
			e.sweepAt++
		}
	}
	if now := e.clk.Now(); inRange(now) {
		e.agg.Sweep(now, max(64, e.agg.Len()/360+1))
	}
}

// dropDeleted forgets the (empty) history of a deleted alarm.
func (e *Engine) dropDeleted(d *deletedHistory) {
	last := int32(len(e.histories) - 1)
	e.histories[d.at] = e.histories[last]
	e.histories[d.at].setAt(d.at)
	e.histories = e.histories[:last]
	hs := e.deleted[d.name]
	if i := slices.Index(hs, d); i >= 0 {
		hs = slices.Delete(hs, i, i+1)
	}
	if len(hs) == 0 {
		delete(e.deleted, d.name)
	} else {
		e.deleted[d.name] = hs
	}
}

// An AlarmHistoryItem is one item of DescribeAlarmHistory, in CloudWatch's
// JSON shape; HistoryData is the JSON string CloudWatch writes.
type AlarmHistoryItem struct {
	AlarmName       string    `json:"AlarmName"`
	AlarmType       string    `json:"AlarmType"`
	Timestamp       Timestamp `json:"Timestamp"`
	HistoryItemType string    `json:"HistoryItemType"`
	HistorySummary  string    `json:"HistorySummary"`
	HistoryData     string    `json:"HistoryData"`
}

// A Timestamp is a time that marshals to JSON as the AWS API writes it:
// "2024-01-02T03:04:05.678Z".
type Timestamp struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	b := append([]byte{'"'}, cwfmt.AppendTime(nil, t.Time, cwfmt.APITime)...)
	return append(b, '"'), nil
}

// UnmarshalJSON implements json.Unmarshaler; it accepts RFC 3339.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil {
		return err
	}
	t.Time, err = time.Parse(time.RFC3339Nano, s)
	return err
}

// HistoryFilter selects history items, as DescribeAlarmHistory's input
// does; zero fields select everything, but for AlarmTypes.
type HistoryFilter struct {
	AlarmName string
	// AlarmTypes selects the kinds of alarm: "MetricAlarm",
	// "CompositeAlarm". As in CloudWatch, none means metric alarms only.
	AlarmTypes      []string
	HistoryItemType string    // one of the History* constants
	StartDate       time.Time // inclusive
	EndDate         time.Time // inclusive
	// ScanBy is "TimestampDescending" (the default, as in CloudWatch) or
	// "TimestampAscending".
	ScanBy string
	// MaxRecords limits the items returned (0: all of them; the engine
	// does not paginate).
	MaxRecords int
}

// The values of ScanBy.
const (
	TimestampDescending = "TimestampDescending"
	TimestampAscending  = "TimestampAscending"
)

func (f *HistoryFilter) validate() error {
	var probs []error
	if utf8.RuneCountInString(f.AlarmName) > 255 {
		probs = append(probs, invalid("AlarmName", f.AlarmName, "1 validation error detected: Value '"+f.AlarmName+"' at 'alarmName' failed to satisfy constraint: Member must have length less than or equal to 255"))
	}
	for i, t := range f.AlarmTypes {
		if t != MetricAlarmType && t != CompositeAlarmType && t != "LogAlarm" {
			probs = append(probs, enumError("AlarmTypes.member."+strconv.Itoa(i+1), "alarmTypes."+strconv.Itoa(i+1)+".member", t, "CompositeAlarm, MetricAlarm, LogAlarm"))
		}
	}
	switch f.HistoryItemType {
	case "", HistoryConfigurationUpdate, HistoryStateUpdate, HistoryAction, "AlarmContributorStateUpdate", "AlarmContributorAction":
	default:
		probs = append(probs, enumError("HistoryItemType", "historyItemType", f.HistoryItemType, "ConfigurationUpdate, StateUpdate, Action, AlarmContributorStateUpdate, AlarmContributorAction"))
	}
	switch f.ScanBy {
	case "", TimestampDescending, TimestampAscending:
	default:
		probs = append(probs, enumError("ScanBy", "scanBy", f.ScanBy, "TimestampDescending, TimestampAscending"))
	}
	if f.MaxRecords < 0 {
		probs = append(probs, rangeError("MaxRecords", "maxRecords", f.MaxRecords, 1, 100))
	}
	if !f.StartDate.IsZero() && !f.EndDate.IsZero() && f.EndDate.Before(f.StartDate) {
		probs = append(probs, invalid("EndDate", f.EndDate.UTC().Format(time.RFC3339Nano),
			"The parameter EndDate ("+f.EndDate.UTC().Format(time.RFC3339Nano)+") must not be before StartDate ("+f.StartDate.UTC().Format(time.RFC3339Nano)+")."))
	}
	return errors.Join(probs...)
}

// DescribeAlarmHistory returns the history items that f selects, newest
// first unless f.ScanBy is "TimestampAscending", or the problems of f.
// History is kept for Options.HistoryRetention and survives the alarm's
// deletion.
func (e *Engine) DescribeAlarmHistory(ctx context.Context, f HistoryFilter) ([]AlarmHistoryItem, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	types := f.AlarmTypes
	if len(types) == 0 {
		types = []string{MetricAlarmType}
	}
	type sel struct {
		it        historyItem
		name, typ string
		before    record // a record's state before, read under the lock
	}
	var out []sel
	e.mu.Lock()
	from, until := e.cutoff(), maxNanos
	if !f.StartDate.IsZero() {
		from = max(from, boundNanos(f.StartDate))
	}
	if !f.EndDate.IsZero() {
		until = boundNanos(f.EndDate)
	}
	add := func(h *alarmHistory, name, typ string) {
		if !slices.Contains(types, typ) {
			return
		}
		h.each(func(it historyItem) {
			if it.at < from || it.at > until ||
				f.HistoryItemType != "" && itemTypes[it.e.itemKind()] != f.HistoryItemType {
				return
			}
			out = append(out, sel{it: it, name: name, typ: typ})
		})
	}
	if f.AlarmName != "" {
		if a, ok := e.alarms[f.AlarmName]; ok {
			add(&a.base().hist, f.AlarmName, a.spec().alarmType())
		}
		for _, h := range e.deleted[f.AlarmName] {
			add(&h.alarmHistory, h.name, h.typ)
		}
	} else {
		for name, a := range e.alarms {
			add(&a.base().hist, name, a.spec().alarmType())
		}
		for _, l := range e.deleted {
			for _, h := range l {
				add(&h.alarmHistory, h.name, h.typ)
			}
		}
	}
	slices.SortFunc(out, func(x, y sel) int {
		if a, b := x.it.at, y.it.at; a != b {
			return cmpNanos(a, b)
		}
		return cmpNanos(nanos(x.it.seq), nanos(y.it.seq))
	})
	if f.ScanBy != TimestampAscending {
		slices.Reverse(out)
	}
	if f.MaxRecords > 0 && len(out) > f.MaxRecords {
		out = out[:f.MaxRecords]
	}
	// Under the lock, what can change: a configuration item reads the
	// engine, and a record's link to the state before is cut when its
	// item is dropped. Records themselves never change (and action items
	// are text): the rest is rendered after the lock is released, so that
	// a long history does not hold up evaluations.
	items := make([]AlarmHistoryItem, len(out))
	for i := range out {
		switch v := out[i].it.e.(type) {
		case *configItem:
			items[i] = itemHead(out[i].it, out[i].name, out[i].typ)
			items[i].HistorySummary, items[i].HistoryData = v.render(e)
		case record:
			out[i].before = v.before()
		}
	}
	e.mu.Unlock()
	memo := renderMemo{}
	for i, s := range out {
		switch v := s.it.e.(type) {
		case *actionItem:
			items[i] = itemHead(s.it, s.name, s.typ)
			items[i].HistorySummary, items[i].HistoryData = v.summary, v.data
		case record:
			items[i] = itemHead(s.it, s.name, s.typ)
			from, to := memo.texts(s.name, s.before), memo.texts(s.name, v)
			items[i].HistorySummary = "Alarm updated from " + s.before.value().String() + " to " + v.value().String()
			items[i].HistoryData = stateUpdateData(from, to)
			memo.keep(s.name, from, to)
		}
	}
	return items, nil
}

// itemHead returns the history item of an entry without its summary and
// data.
func itemHead(it historyItem, name, typ string) AlarmHistoryItem {
	return AlarmHistoryItem{AlarmName: name, AlarmType: typ, Timestamp: Timestamp{it.at.time()},
		HistoryItemType: itemTypes[it.e.itemKind()]}
}

func cmpNanos(a, b nanos) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// recordTexts is a state record's reason and reason data, rendered.
type recordTexts struct {
	rec          record
	reason, data string
}

// A renderMemo keeps, for each alarm, the rendered texts of the two
// records of its last StateUpdate item: the alarm's next item in either
// scan order shares one of them (the new state of one item is the old
// state of the next), which is then rendered once for both.
type renderMemo map[string]*[2]recordTexts

// texts returns r's texts, rendered unless they are kept for the alarm.
func (m renderMemo) texts(name string, r record) recordTexts {
	if kept := m[name]; kept != nil {
		for _, t := range kept {
			if t.rec == r {
				return t
			}
		}
	}
	return recordTexts{rec: r, reason: reasonOf(r), data: reasonDataOf(r)}
}

// keep remembers the texts of an item's two records for the alarm's next
// item.
func (m renderMemo) keep(name string, from, to recordTexts) {
	kept := m[name]
	if kept == nil {
		kept = new([2]recordTexts)
		m[name] = kept
	}
	*kept = [2]recordTexts{from, to}
}

// MaxHistoryData is the longest HistoryData CloudWatch stores.
const MaxHistoryData = 4095

// stateUpdateData returns the HistoryData of a StateUpdate item, at most
// MaxHistoryData bytes: when both states' reason data do not fit, the old
// state's is left out (the item before carries it), then the new state's
// is shortened (see alarm.Result.AppendReasonDataMax), then left out; when
// the reasons alone do not fit (SetAlarmState takes 1023 characters each),
// the old state's reason is cut short, then the new state's.
func stateUpdateData(from, to recordTexts) string {
	fromReason, toReason := from.reason, to.reason
	build := func(fromData, toData string) []byte {
		w := cwjson.NewWriter(nil)
		w.BeginObject()
		w.Key("version")
		w.String("1.0")
		w.Key("oldState")
		writeState(&w, from.rec.value(), fromReason, fromData)
		w.Key("newState")
		writeState(&w, to.rec.value(), toReason, toData)
		w.EndObject()
		return w.Bytes()
	}
	toData := to.data
	if b := build(from.data, toData); len(b) <= MaxHistoryData {
		return string(b)
	}
	b := build("", toData)
	if len(b) <= MaxHistoryData {
		return string(b)
	}
	room := max(0, MaxHistoryData-(len(b)-len(toData)))
	if d := to.rec.appendReasonData(nil, room); len(d) <= room {
		toData = string(d)
	} else {
		toData = ""
	}
	if b = build("", toData); len(b) <= MaxHistoryData {
		return string(b)
	}
	over := len(build("", "")) - MaxHistoryData
	fromReason, over = cut(fromReason, over)
	toReason, _ = cut(toReason, over)
	return string(build("", ""))
}

// cut shortens s, on a character boundary, until its JSON form is over
// bytes shorter (or s is empty); it returns s and what is still over.
func cut(s string, over int) (string, int) {
	for over > 0 && s != "" {
		_, size := utf8.DecodeLastRuneInString(s)
		over -= len(cwjson.AppendString(nil, s[len(s)-size:])) - 2 // the character's JSON form
		s = s[:len(s)-size]
	}
	return s, over
}

// writeState writes {"stateValue":..,"stateReason":..[,"stateReasonData":{..}]}.
func writeState(w *cwjson.Writer, v alarm.State, reason, data string) {
	w.BeginObject()
	w.Key("stateValue")
	w.String(v.String())
	w.Key("stateReason")
	w.String(reason)
	if data != "" {
		w.Key("stateReasonData")
		w.Raw(data)
	}
	w.EndObject()
}

// A configItem is a ConfigurationUpdate history item: the alarm's
// configuration and state when it was created, updated or deleted.
type configItem struct {
	at      nanos
	sp      spec
	updated nanos // AlarmConfigurationUpdatedTimestamp
	stateAt nanos
	kind    configKind
	state   alarm.State
	enabled bool
}

// configKind is a configuration change: the type of ConfigurationUpdate
// HistoryData.
type configKind uint8

const (
	configCreate configKind = iota
	configUpdate
	configDelete
)

var configKinds = [...]string{"Create", "Update", "Delete"}

func (c *configItem) itemKind() itemKind { return itemConfiguration }
func (c *configItem) itemTime() nanos    { return c.at }

// configItem builds the ConfigurationUpdate item of a create, update or
// delete.
func (e *Engine) configItem(a alarmObj, kind configKind, at time.Time) *configItem {
	b := a.base()
	return &configItem{at: stamp(at), kind: kind, sp: a.spec(), updated: b.configUpdated,
		state: b.state, stateAt: b.current().time(), enabled: b.enabled}
}

// render returns the item's summary and HistoryData. The Create form is a
// real 2022 item's; Update and Delete are the project's choice.
func (c *configItem) render(e *Engine) (summary, data string) {
	name := c.sp.name()
	var key string
	switch c.kind {
	case configCreate:
		summary, key = `Alarm "`+name+`" created`, "createdAlarm"
	case configUpdate:
		summary, key = `Alarm "`+name+`" updated`, "updatedAlarm"
	default:
		summary, key = `Alarm "`+name+`" deleted`, "deletedAlarm"
	}
	w := cwjson.NewWriter(nil)
	w.BeginObject()
	w.Key("version")
	w.String("1.0")
	w.Key("type")
	w.String(configKinds[c.kind])
	w.Key(key)
	c.sp.writeHistoryAlarm(&w, described{Arn: e.arn(name), ConfigUpdated: c.updated.time(), Enabled: c.enabled,
		State: c.state, StateUpdated: c.stateAt.time()})
	w.EndObject()
	return summary, string(w.Bytes())
}

// writeAlarmHead opens the alarm object of a ConfigurationUpdate item and
// writes the keys that every kind begins with: name, description (when
// set), ARN and configuration time.
// writeAlarmTail ends the alarm object of a ConfigurationUpdate item of
// any kind: the state and the action lists.
func writeAlarmTail(w *cwjson.Writer, d described, alarmActions, insufficient, ok []string) {
	w.Key("stateValue")
	w.String(d.State.String())
	w.Key("stateUpdatedTimestamp")
	w.Time(d.StateUpdated, cwfmt.JSONTime)
	w.Key("actionsEnabled")
	w.Bool(d.Enabled)
	w.Key("alarmActions")
	w.Strings(alarmActions)
	w.Key("insufficientDataActions")
	w.Strings(insufficient)
	w.Key("okactions")
	w.Strings(ok)
	w.EndObject()
}

func writeAlarmHead(w *cwjson.Writer, name, description string, d described) {
	w.BeginObject()
	w.Key("alarmName")
	w.String(name)
	if description != "" {
		w.Key("alarmDescription")
		w.String(description)
	}
	w.Key("alarmArn")
	w.String(d.Arn)
	w.Key("alarmConfigurationUpdatedTimestamp")
	w.Time(d.ConfigUpdated, cwfmt.JSONTime)
}

// writeHistoryAlarm writes the alarm object of ConfigurationUpdate items,
// in the key order of a real 2022 item (fields it did not show are placed
// beside their neighbours and left out when unset).
func (s *metricSpec) writeHistoryAlarm(w *cwjson.Writer, d described) {
	c := s.ev().Config()
	str := func(key, v string) {
		w.Key(key)
		w.String(v)
	}
	writeAlarmHead(w, c.AlarmName, c.AlarmDescription, d)
	str("namespace", c.Namespace)
	str("metricName", c.MetricName)
	if c.Statistic != "" {
		str("statistic", c.Statistic)
	} else {
		str("extendedStatistic", c.ExtendedStatistic)
	}
	w.Key("period")
	w.Int(int64(c.Period))
	if c.Unit != "" {
		str("unit", c.Unit)
	}
	w.Key("dimensions")
	w.BeginArray()
	for _, dim := range c.Dimensions {
		w.BeginObject()
		str("value", dim.Value)
		str("name", dim.Name)
		w.EndObject()
	}
	w.EndArray()
	w.Key("threshold")
	w.Double(c.Threshold)
	str("comparisonOperator", c.ComparisonOperator)
	w.Key("evaluationPeriods")
	w.Int(int64(c.EvaluationPeriods))
	if c.DatapointsToAlarm != 0 {
		w.Key("datapointsToAlarm")
		w.Int(int64(c.DatapointsToAlarm))
	}
	if c.TreatMissingData != "" {
		str("treatMissingData", c.TreatMissingData)
	}
	if c.EvaluateLowSampleCountPercentile != "" {
		str("evaluateLowSampleCountPercentile", c.EvaluateLowSampleCountPercentile)
	}
	writeAlarmTail(w, d, c.AlarmActions, c.InsufficientDataActions, c.OKActions)
}

var _ = strings.Compare
