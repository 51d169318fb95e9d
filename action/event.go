package action

import (
	"crypto/sha1"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
	"github.com/klaxon-go/klaxon/metric"
)

// eventTime is the layout of an EventBridge event's time: seconds, UTC.
const eventTime = "2006-01-02T15:04:05Z"

// Event returns the EventBridge event CloudWatch emits for transition t,
// "CloudWatch Alarm State Change", as compact JSON:
//
//	{"version":"0","id":"...","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
//	"account":"123456789012","time":"2019-10-02T17:04:40Z","region":"us-east-1",
//	"resources":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"],
//	"detail":{"alarmName":"ServerCpuTooHigh","configuration":{...},"previousState":{...},"state":{...}}}
//
// The time is the state change's, cut to the second; the account and the
// Region code come from the alarm's ARN. The detail has CloudWatch's key
// order, which differs between metric and composite alarms. A metric
// alarm's detail gives its description and its metrics in camelCase (a
// single metric as a MetricStat query with a synthetic id, its dimensions
// as an object); each state gives its reason, reasonData (as a JSON
// string; left out when there is none, as for the initial state),
// timestamp and value. A composite alarm's detail gives each state's
// actionsSuppressedBy and actionsSuppressedReason when its actions are
// held, and the rule and the suppressor's configuration.
//
// The id and the synthetic metric id are name-based UUIDs (RFC 9562
// version 5): the id of the alarm's ARN and the state change's time (the
// transition's part of the actions' idempotency key), the metric id of
// the alarm's ARN. A replay of the same transition gives the same event,
// byte for byte, where CloudWatch's ids are random.
//
// CloudWatch emits this event for every state change, whatever the
// alarm's actions: build it from the transitions that Engine.Subscribe
// reports rather than from actions.
func (f Format) Event(t klaxon.Transition) (string, error) {
	s, err := newSource(&t)
	if err != nil {
		return "", err
	}
	return build(func(b []byte) []byte { return appendEvent(b, &s) }), nil
}

// A state is a state or previousState of an event or a Lambda payload.
type state struct {
	value            alarm.State
	reason, data     string
	at               time.Time
	by, suppressedBy string // actionsSuppressedBy and actionsSuppressedReason
}

func newState(t *klaxon.Transition) state {
	return state{t.To, t.Reason, t.ReasonData, t.At, t.SuppressedBy, t.SuppressedReason}
}

func previousState(t *klaxon.Transition) state {
	return state{t.From, t.PreviousReason, t.PreviousReasonData, t.PreviousAt, t.PreviousSuppressedBy, t.PreviousSuppressedReason}
}

func appendEvent(b []byte, s *source) []byte {
	t := s.t
	w := cwjson.NewWriter(b)
	w.BeginObject()
	w.Key("version")
	w.String("0")
	w.Key("id")
	var idBuf [36]byte
	w.String(bytesString(eventID(idBuf[:0], t)))
	w.Key("detail-type")
	w.String("CloudWatch Alarm State Change")
	w.Key("source")
	w.String("aws.cloudwatch")
	w.Key("account")
	w.String(s.arn.Account)
	w.Key("time")
	w.Time(t.At, eventTime)
	w.Key("region")
	w.String(s.arn.Region)
	w.Key("resources")
	w.BeginArray()
	w.String(t.AlarmArn)
	w.EndArray()
	w.Key("detail")
	w.BeginObject()
	w.Key("alarmName")
	w.String(t.AlarmName)
	if c := t.MetricAlarm; c != nil {
		w.Key("configuration")
		w.BeginObject()
		if c.AlarmDescription != "" {
			w.Key("description")
			w.String(c.AlarmDescription)
		}
		metrics(&w, t.AlarmArn, c, false)
		w.EndObject()
		w.Key("previousState")
		sortedState(&w, previousState(t))
		w.Key("state")
		sortedState(&w, newState(t))
	} else {
		w.Key("state")
		suppressedFirstState(&w, newState(t))
		w.Key("previousState")
		suppressedFirstState(&w, previousState(t))
		w.Key("configuration")
		compositeConfiguration(&w, t.CompositeAlarm)
	}
	w.EndObject()
	w.EndObject()
	return w.Bytes()
}

// sortedState writes a metric alarm's state in an event: keys in
// alphabetical order.
func sortedState(w *cwjson.Writer, st state) {
	w.BeginObject()
	if st.by != "" {
		w.Key("actionsSuppressedBy")
		w.String(st.by)
		w.Key("actionsSuppressedReason")
		w.String(st.suppressedBy)
	}
	w.Key("reason")
	w.String(st.reason)
	if st.data != "" {
		w.Key("reasonData")
		w.String(st.data)
	}
	w.Key("timestamp")
	w.Time(st.at, cwfmt.JSONTime)
	w.Key("value")
	w.String(st.value.String())
	w.EndObject()
}

// suppressedFirstState writes a composite alarm's state in an event: the
// suppression first, then value, reason, reasonData, timestamp.
func suppressedFirstState(w *cwjson.Writer, st state) {
	w.BeginObject()
	if st.by != "" {
		w.Key("actionsSuppressedBy")
		w.String(st.by)
		w.Key("actionsSuppressedReason")
		w.String(st.suppressedBy)
	}
	valueReasonTime(w, st)
	w.EndObject()
}

// suppressedLastState writes a state in a Lambda payload: value, reason,
// reasonData, timestamp, then the suppression.
func suppressedLastState(w *cwjson.Writer, st state) {
	w.BeginObject()
	valueReasonTime(w, st)
	if st.by != "" {
		w.Key("actionsSuppressedBy")
		w.String(st.by)
		w.Key("actionsSuppressedReason")
		w.String(st.suppressedBy)
	}
	w.EndObject()
}

func valueReasonTime(w *cwjson.Writer, st state) {
	w.Key("value")
	w.String(st.value.String())
	w.Key("reason")
	w.String(st.reason)
	if st.data != "" {
		w.Key("reasonData")
		w.String(st.data)
	}
	w.Key("timestamp")
	w.Time(st.at, cwfmt.JSONTime)
}

// compositeConfiguration writes a composite alarm's configuration in an
// event or a Lambda payload: the rule, the description when there is one,
// and the suppressor with its periods when there is one.
func compositeConfiguration(w *cwjson.Writer, c *composite.Config) {
	w.BeginObject()
	w.Key("alarmRule")
	w.String(c.AlarmRule)
	if c.AlarmDescription != "" {
		w.Key("description")
		w.String(c.AlarmDescription)
	}
	if c.ActionsSuppressor != "" {
		w.Key("actionsSuppressor")
		w.String(c.ActionsSuppressor)
		if p := c.ActionsSuppressorWaitPeriod; p != nil {
			w.Key("actionsSuppressorWaitPeriod")
			w.Int(int64(*p))
		}
		if p := c.ActionsSuppressorExtensionPeriod; p != nil {
			w.Key("actionsSuppressorExtensionPeriod")
			w.Int(int64(*p))
		}
	}
	w.EndObject()
}

// metrics writes a metric alarm's "metrics": its queries in camelCase,
// keys in alphabetical order (a single metric as one MetricStat query with
// a synthetic id). Inside a metric, an event's keys are dimensions, name,
// namespace; a Lambda payload's (lambda) namespace, name, dimensions.
func metrics(w *cwjson.Writer, alarmArn string, c *alarm.Config, lambda bool) {
	w.Key("metrics")
	w.BeginArray()
	if !c.IsMath() {
		stat := c.Statistic
		if c.ExtendedStatistic != "" {
			stat = c.ExtendedStatistic
		}
		w.BeginObject()
		w.Key("id")
		var idBuf [36]byte
		w.String(bytesString(appendUUID(idBuf[:0], &metricSpace, alarmArn)))
		metricStat(w, c.Namespace, c.MetricName, c.Dimensions, c.Period, stat, c.Unit, lambda)
		w.Key("returnData")
		w.Bool(true)
		w.EndObject()
	}
	for i := range c.Metrics {
		q := &c.Metrics[i]
		w.BeginObject()
		if q.AccountId != "" {
			w.Key("accountId")
			w.String(q.AccountId)
		}
		if q.Expression != "" {
			w.Key("expression")
			w.String(q.Expression)
		}
		w.Key("id")
		w.String(q.Id)
		if q.Label != "" {
			w.Key("label")
			w.String(q.Label)
		}
		if ms := q.MetricStat; ms != nil {
			metricStat(w, ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions, ms.Period, ms.Stat, ms.Unit, lambda)
		}
		if q.Period != 0 {
			w.Key("period")
			w.Int(int64(q.Period))
		}
		w.Key("returnData")
		w.Bool(q.ReturnData == nil || *q.ReturnData)
		w.EndObject()
	}
	w.EndArray()
}

// metricStat writes the key metricStat and its object.
func metricStat(w *cwjson.Writer, namespace, name string, dims []metric.Dimension, period int, stat, unit string, lambda bool) {
	w.Key("metricStat")
	w.BeginObject()
	w.Key("metric")
	w.BeginObject()
	if lambda {
		w.Key("namespace")
		w.String(namespace)
		w.Key("name")
		w.String(name)
		dimensionMap(w, dims)
	} else {
		dimensionMap(w, dims)
		w.Key("name")
		w.String(name)
		w.Key("namespace")
		w.String(namespace)
	}
	w.EndObject()
	w.Key("period")
	w.Int(int64(period))
	w.Key("stat")
	w.String(stat)
	if unit != "" {
		w.Key("unit")
		w.String(unit)
	}
	w.EndObject()
}

// dimensionMap writes the key dimensions and the dimensions as an object,
// in the alarm's order.
func dimensionMap(w *cwjson.Writer, dims []metric.Dimension) {
	w.Key("dimensions")
	w.BeginObject()
	for _, d := range dims {
		w.Key(d.Name)
		w.String(d.Value)
	}
	w.EndObject()
}

// LambdaPayload returns the payload CloudWatch invokes a Lambda action
// with for transition t, as compact JSON:
//
//	{"source":"aws.cloudwatch","alarmArn":"...","accountId":"111122223333",
//	"time":"2023-08-04T12:56:46.138+0000","region":"us-east-1",
//	"alarmData":{"alarmName":"...","state":{...},"previousState":{...},"configuration":{...}}}
//
// Unlike an event, its time is the state change's with milliseconds; each
// state gives value, reason, reasonData (left out when there is none) and
// timestamp, then a composite alarm's actionsSuppressedBy and
// actionsSuppressedReason when its actions were held; the configuration
// is a composite alarm's rule and suppressor, or a metric alarm's
// description and metrics (as in Event, with each metric's namespace,
// name and dimensions in that order, and the same synthetic id).
func (f Format) LambdaPayload(t klaxon.Transition) (string, error) {
	s, err := newSource(&t)
	if err != nil {
		return "", err
	}
	return build(func(b []byte) []byte { return appendLambda(b, &s) }), nil
}

func appendLambda(b []byte, s *source) []byte {
	t := s.t
	w := cwjson.NewWriter(b)
	w.BeginObject()
	w.Key("source")
	w.String("aws.cloudwatch")
	w.Key("alarmArn")
	w.String(t.AlarmArn)
	w.Key("accountId")
	w.String(s.arn.Account)
	w.Key("time")
	w.Time(t.At, cwfmt.JSONTime)
	w.Key("region")
	w.String(s.arn.Region)
	w.Key("alarmData")
	w.BeginObject()
	w.Key("alarmName")
	w.String(t.AlarmName)
	w.Key("state")
	suppressedLastState(&w, newState(t))
	w.Key("previousState")
	suppressedLastState(&w, previousState(t))
	w.Key("configuration")
	if c := t.MetricAlarm; c != nil {
		w.BeginObject()
		if c.AlarmDescription != "" {
			w.Key("description")
			w.String(c.AlarmDescription)
		}
		metrics(&w, t.AlarmArn, c, true)
		w.EndObject()
	} else {
		compositeConfiguration(&w, t.CompositeAlarm)
	}
	w.EndObject()
	w.EndObject()
	return w.Bytes()
}

// The namespaces of the name-based UUIDs: one for event ids, one for the
// synthetic ids of single-metric alarms' metrics. They are fixed, so that
// the ids are the same in every process and version.
var (
	eventSpace  = [16]byte{0x6b, 0x6c, 0x61, 0x78, 0x6f, 0x6e, 0x2d, 0x65, 0x76, 0x65, 0x6e, 0x74, 0x2d, 0x69, 0x64, 0x73} // "klaxon-event-ids"
	metricSpace = [16]byte{0x6b, 0x6c, 0x61, 0x78, 0x6f, 0x6e, 0x2d, 0x6d, 0x65, 0x74, 0x72, 0x69, 0x63, 0x2d, 0x69, 0x64} // "klaxon-metric-id"
)

// eventID appends the id of transition t's event: the UUID of the alarm's
// ARN, '/' and the state change's time (as in the idempotency key).
func eventID(b []byte, t *klaxon.Transition) []byte {
	var buf [512]byte
	name := append(append(append(buf[:0], eventSpace[:]...), t.AlarmArn...), '/')
	name = cwfmt.AppendTime(name, t.At, cwfmt.JSONTime)
	return appendUUIDOf(b, name)
}

// appendUUID appends the name-based UUID (RFC 9562 version 5: SHA-1) of
// name in namespace ns, in its 36-character text form.
func appendUUID(b []byte, ns *[16]byte, name string) []byte {
	var buf [512]byte
	return appendUUIDOf(b, append(append(buf[:0], ns[:]...), name...))
}

// appendUUIDOf appends the version 5 UUID of nsName, a namespace followed
// by a name.
func appendUUIDOf(b, nsName []byte) []byte {
	sum := sha1.Sum(nsName)
	sum[6] = sum[6]&0x0f | 0x50 // version 5
	sum[8] = sum[8]&0x3f | 0x80 // variant 10
	const hex = "0123456789abcdef"
	for i, c := range sum[:16] {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hex[c>>4], hex[c&0xf])
	}
	return b
}
