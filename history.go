package klaxon

import (
	"context"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
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

// historyItem is one stored history item. StateUpdate items refer to the
// alarm's state records and are rendered when described; the others are
// rendered when written.
type historyItem struct {
	name     string
	at       int64 // unix nanoseconds
	kind     itemKind
	from, to *stateRecord // StateUpdate
	config   *configSnap  // ConfigurationUpdate
	action   *actionText  // Action
}

// actionText is an Action item's summary and HistoryData.
type actionText struct{ summary, data string }

func (it *historyItem) time() time.Time { return time.Unix(0, it.at).UTC() }

// configSnap is what a ConfigurationUpdate item shows of the alarm.
type configSnap struct {
	kind    string // "Create", "Update" or "Delete"
	ev      *alarm.Evaluator
	updated nanos
	stateAt nanos
	state   alarm.State
	enabled bool
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

// HistoryFilter selects history items; zero fields select everything.
type HistoryFilter struct {
	AlarmName       string
	HistoryItemType string    // one of the History* constants
	StartDate       time.Time // inclusive
	EndDate         time.Time // inclusive
	// ScanBy is "TimestampDescending" (the default, as in CloudWatch) or
	// "TimestampAscending".
	ScanBy     string
	MaxRecords int // 0: no limit
}

// DescribeAlarmHistory returns the history items that f selects, newest
// first unless f.ScanBy is "TimestampAscending". History is kept for
// Options.HistoryRetention and survives the alarm's deletion.
func (e *Engine) DescribeAlarmHistory(ctx context.Context, f HistoryFilter) []AlarmHistoryItem {
	e.mu.Lock()
	var sel []historyItem
	for _, it := range e.history {
		if f.AlarmName != "" && it.name != f.AlarmName ||
			f.HistoryItemType != "" && itemTypes[it.kind] != f.HistoryItemType ||
			!f.StartDate.IsZero() && it.at < f.StartDate.UnixNano() ||
			!f.EndDate.IsZero() && it.at > f.EndDate.UnixNano() {
			continue
		}
		sel = append(sel, it)
	}
	e.mu.Unlock()
	// Items are appended in time order, except that an Action item can be
	// written after later transitions of other alarms: sort stably.
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].at < sel[j].at })
	if f.ScanBy != "TimestampAscending" {
		for i, j := 0, len(sel)-1; i < j; i, j = i+1, j-1 {
			sel[i], sel[j] = sel[j], sel[i]
		}
	}
	if f.MaxRecords > 0 && len(sel) > f.MaxRecords {
		sel = sel[:f.MaxRecords]
	}
	out := make([]AlarmHistoryItem, len(sel))
	for i, it := range sel {
		out[i] = e.render(&it)
	}
	return out
}

func (e *Engine) render(it *historyItem) AlarmHistoryItem {
	h := AlarmHistoryItem{AlarmName: it.name, AlarmType: "MetricAlarm", Timestamp: Timestamp{it.time()},
		HistoryItemType: itemTypes[it.kind]}
	switch it.kind {
	case itemConfiguration:
		h.HistorySummary, h.HistoryData = it.config.render(e.arn(it.name))
	case itemAction:
		h.HistorySummary, h.HistoryData = it.action.summary, it.action.data
	}
	if it.kind == itemState {
		h.HistorySummary = "Alarm updated from " + it.from.value.String() + " to " + it.to.value.String()
		h.HistoryData = stateUpdateData(it.from, it.to)
	}
	return h
}

// MaxHistoryData is the longest HistoryData CloudWatch stores.
const MaxHistoryData = 4095

// stateUpdateData returns the HistoryData of a StateUpdate item, at most
// MaxHistoryData bytes: when both states' reason data do not fit, the old
// state's is left out (the item before carries it), then the new state's
// is shortened (see alarm.Result.AppendReasonDataMax), then left out; when
// the reasons alone do not fit (SetAlarmState takes 1023 characters each),
// the old state's reason is cut short, then the new state's.
func stateUpdateData(from, to *stateRecord) string {
	fromReason, toReason := from.Reason(), to.Reason()
	build := func(fromData, toData string) []byte {
		b := []byte(`{"version":"1.0","oldState":`)
		b = appendState(b, from, fromReason, fromData)
		b = append(b, `,"newState":`...)
		b = appendState(b, to, toReason, toData)
		return append(b, '}')
	}
	toData := to.ReasonData()
	if b := build(from.ReasonData(), toData); len(b) <= MaxHistoryData {
		return string(b)
	}
	b := build("", toData)
	if len(b) <= MaxHistoryData {
		return string(b)
	}
	toData = to.reasonDataMax(max(0, MaxHistoryData-(len(b)-len(toData))))
	if b = build("", toData); len(b) <= MaxHistoryData {
		return string(b)
	}
	toData = ""
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
		over -= len(cwfmt.AppendString(nil, s[len(s)-size:])) - 2 // the character's JSON form
		s = s[:len(s)-size]
	}
	return s, over
}

// appendState appends {"stateValue":..,"stateReason":..[,"stateReasonData":{..}]}.
func appendState(b []byte, s *stateRecord, reason, data string) []byte {
	b = append(b, `{"stateValue":`...)
	b = cwfmt.AppendString(b, s.value.String())
	b = append(b, `,"stateReason":`...)
	b = cwfmt.AppendString(b, reason)
	if data != "" {
		b = append(b, `,"stateReasonData":`...)
		b = append(b, data...)
	}
	return append(b, '}')
}

// appendHistory stores an item and drops the items older than the
// retention.
func (e *Engine) appendHistory(it historyItem) {
	e.history = append(e.history, it)
	cut := it.at - int64(e.opts.HistoryRetention)
	k := 0
	for k < len(e.history) && e.history[k].at < cut {
		k++
	}
	if k > 0 {
		e.history = append(e.history[:0], e.history[k:]...)
	}
}

// configItem builds the ConfigurationUpdate item of a create, update or
// delete: kind is "Create", "Update" or "Delete".
func (e *Engine) configItem(rec *alarmRec, kind string, at time.Time) historyItem {
	name := rec.ev.Config().AlarmName
	return historyItem{name: name, at: at.UnixNano(), kind: itemConfiguration, config: &configSnap{
		kind: kind, ev: rec.ev, updated: rec.configUpdated, state: rec.state, stateAt: rec.stateAt(), enabled: rec.enabled}}
}

// render returns the item's summary and HistoryData. The Create form is a
// real 2022 item's; Update and Delete are the project's choice.
func (c *configSnap) render(arn string) (summary, data string) {
	name := c.ev.Config().AlarmName
	var key string
	switch c.kind {
	case "Create":
		summary, key = `Alarm "`+name+`" created`, "createdAlarm"
	case "Update":
		summary, key = `Alarm "`+name+`" updated`, "updatedAlarm"
	default:
		summary, key = `Alarm "`+name+`" deleted`, "deletedAlarm"
	}
	b := []byte(`{"version":"1.0","type":"` + c.kind + `","` + key + `":`)
	b = c.appendAlarm(b, arn)
	return summary, string(append(b, '}'))
}

// appendAlarm appends the alarm object of ConfigurationUpdate items, in
// the key order of a real 2022 item (fields it did not show are placed
// beside their neighbours and left out when unset).
func (cs *configSnap) appendAlarm(b []byte, arn string) []byte {
	c := cs.ev.Config()
	str := func(key, v string) {
		b = append(b, `,"`+key+`":`...)
		b = cwfmt.AppendString(b, v)
	}
	list := func(key string, l []string) {
		b = append(b, `,"`+key+`":[`...)
		for i, s := range l {
			if i > 0 {
				b = append(b, ',')
			}
			b = cwfmt.AppendString(b, s)
		}
		b = append(b, ']')
	}
	b = append(b, `{"alarmName":`...)
	b = cwfmt.AppendString(b, c.AlarmName)
	if c.AlarmDescription != "" {
		str("alarmDescription", c.AlarmDescription)
	}
	str("alarmArn", arn)
	str("alarmConfigurationUpdatedTimestamp", string(cwfmt.AppendTime(nil, cs.updated.time(), cwfmt.JSONTime)))
	str("namespace", c.Namespace)
	str("metricName", c.MetricName)
	if c.Statistic != "" {
		str("statistic", c.Statistic)
	} else {
		str("extendedStatistic", c.ExtendedStatistic)
	}
	b = append(b, `,"period":`...)
	b = strconv.AppendInt(b, int64(c.Period), 10)
	if c.Unit != "" {
		str("unit", c.Unit)
	}
	b = append(b, `,"dimensions":[`...)
	for i, d := range c.Dimensions {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"value":`...)
		b = cwfmt.AppendString(b, d.Value)
		b = append(b, `,"name":`...)
		b = cwfmt.AppendString(b, d.Name)
		b = append(b, '}')
	}
	b = append(b, `],"threshold":`...)
	b = cwfmt.AppendDouble(b, c.Threshold)
	str("comparisonOperator", c.ComparisonOperator)
	b = append(b, `,"evaluationPeriods":`...)
	b = strconv.AppendInt(b, int64(c.EvaluationPeriods), 10)
	if c.DatapointsToAlarm != 0 {
		b = append(b, `,"datapointsToAlarm":`...)
		b = strconv.AppendInt(b, int64(c.DatapointsToAlarm), 10)
	}
	if c.TreatMissingData != "" {
		str("treatMissingData", c.TreatMissingData)
	}
	if c.EvaluateLowSampleCountPercentile != "" {
		str("evaluateLowSampleCountPercentile", c.EvaluateLowSampleCountPercentile)
	}
	str("stateValue", cs.state.String())
	str("stateUpdatedTimestamp", string(cwfmt.AppendTime(nil, cs.stateAt.time(), cwfmt.JSONTime)))
	b = append(b, `,"actionsEnabled":`...)
	b = strconv.AppendBool(b, cs.enabled)
	list("alarmActions", c.AlarmActions)
	list("insufficientDataActions", c.InsufficientDataActions)
	list("okactions", c.OKActions)
	return append(b, '}')
}

func appendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }
