package action

import (
	"strings"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
	"github.com/klaxon-go/klaxon/metric"
)

// SNSMessage returns the message CloudWatch publishes to an SNS topic for
// transition t: the JSON that subscribers of the SQS, Lambda, HTTP and
// email-json protocols receive (the "default" of PublishedMessage). It is
// compact, with CloudWatch's key order:
//
//	{"AlarmName":"cpu-high","AlarmDescription":null,"AWSAccountId":"123456789012",
//	"AlarmConfigurationUpdatedTimestamp":"2025-09-16T16:54:41.676+0000","NewStateValue":"ALARM",
//	"NewStateReason":"Threshold Crossed: ...","StateChangeTime":"2025-09-16T16:59:17.131+0000",
//	"Region":"US East (N. Virginia)","AlarmArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high",
//	"OldStateValue":"OK","OKActions":[],"AlarmActions":["arn:aws:sns:..."],"InsufficientDataActions":[],
//	"Trigger":{"MetricName":"CPU","Namespace":"App","StatisticType":"Statistic","Statistic":"AVERAGE",
//	"Unit":null,"Dimensions":[{"value":"i-1","name":"InstanceId"}],"Period":60,"EvaluationPeriods":1,
//	"DatapointsToAlarm":1,"ComparisonOperator":"GreaterThanThreshold","Threshold":90.0,
//	"TreatMissingData":"notBreaching","EvaluateLowSampleCountPercentile":""}}
//
// (one line on the wire). AlarmDescription and Unit are null when not set;
// Statistic is upper case (SAMPLE_COUNT, AVERAGE, SUM, MINIMUM, MAXIMUM),
// or, for a percentile, StatisticType "ExtendedStatistic" and an
// ExtendedStatistic key in its place; Threshold is a Java double (580.0);
// dimensions are {"value","name"}; TreatMissingData and
// EvaluateLowSampleCountPercentile are "" when not set; the account and
// the Region come from the alarm's ARN, the Region as its display name
// (RegionName). A metric-math or anomaly-band alarm's Trigger carries its
// Metrics (capitalised keys) instead of the single metric's fields, and an
// anomaly-band alarm's ThresholdMetricId instead of Threshold. A composite
// alarm's message carries its AlarmRule and its TriggeringChildren,
// {"Arn","State":{"Value","Timestamp"}} each, read from the transition's
// reason data ([] when the reason data is not CloudWatch's, as after
// SetAlarmState).
func (f Format) SNSMessage(t klaxon.Transition) (string, error) {
	s, err := newSource(&t)
	if err != nil {
		return "", err
	}
	return build(func(b []byte) []byte { return f.appendSNSMessage(b, &s) }), nil
}

func (f Format) appendSNSMessage(b []byte, s *source) []byte {
	w := cwjson.NewWriter(b)
	f.writeSNSMessage(&w, s)
	return w.Bytes()
}

// writeSNSMessage writes the SNS message with w (a plain Writer, or a
// nested one for the message inside the published one).
func (f Format) writeSNSMessage(w *cwjson.Writer, s *source) {
	t := s.t
	w.BeginObject()
	w.Key("AlarmName")
	w.String(t.AlarmName)
	w.Key("AlarmDescription")
	switch d := s.description(); {
	case d != "":
		w.String(d)
	case f.Layout == Layout2021 && t.CompositeAlarm != nil:
		w.String("")
	default:
		w.Null()
	}
	w.Key("AWSAccountId")
	w.String(s.arn.Account)
	if t.MetricAlarm != nil && f.Layout != Layout2021 {
		w.Key("AlarmConfigurationUpdatedTimestamp")
		w.Time(t.ConfigUpdated, cwfmt.JSONTime)
	}
	w.Key("NewStateValue")
	w.String(t.To.String())
	w.Key("NewStateReason")
	w.String(t.Reason)
	w.Key("StateChangeTime")
	w.Time(t.At, cwfmt.JSONTime)
	w.Key("Region")
	w.String(RegionName(s.arn.Region))
	w.Key("AlarmArn")
	w.String(t.AlarmArn)
	ok, al, insufficient := s.actions()
	if t.MetricAlarm != nil {
		f.oldState(w, t)
		if f.Layout != Layout2021 {
			actionLists(w, ok, al, insufficient)
		}
		f.trigger(w, t.MetricAlarm)
	} else {
		if f.Layout != Layout2021 {
			actionLists(w, ok, al, insufficient)
		}
		f.oldState(w, t)
		w.Key("AlarmRule")
		w.String(t.CompositeAlarm.AlarmRule)
		w.Key("TriggeringChildren")
		w.BeginArray()
		var buf [4]child
		children, _ := parseTriggeringAlarms(t.ReasonData, buf[:0])
		for _, c := range children {
			w.BeginObject()
			w.Key("Arn")
			w.String(c.ARN)
			w.Key("State")
			w.BeginObject()
			w.Key("Value")
			w.String(c.Value)
			w.Key("Timestamp")
			w.String(c.Timestamp)
			w.EndObject()
			w.EndObject()
		}
		w.EndArray()
	}
	w.EndObject()
}

// oldState writes OldStateValue, and in Layout2026 the mute-window flag
// after it.
func (f Format) oldState(w *cwjson.Writer, t *klaxon.Transition) {
	w.Key("OldStateValue")
	w.String(t.From.String())
	if f.Layout == Layout2026 {
		w.Key("ActionExecutedAfterMuteWindow")
		w.Bool(false)
	}
}

func actionLists(w *cwjson.Writer, ok, alarm, insufficient []string) {
	w.Key("OKActions")
	w.Strings(ok)
	w.Key("AlarmActions")
	w.Strings(alarm)
	w.Key("InsufficientDataActions")
	w.Strings(insufficient)
}

// trigger writes a metric alarm's Trigger.
func (f Format) trigger(w *cwjson.Writer, c *alarm.Config) {
	w.Key("Trigger")
	w.BeginObject()
	if c.IsMath() {
		w.Key("Period")
		w.Int(int64(mathPeriod(c)))
		f.evaluation(w, c)
		w.Key("Metrics")
		w.BeginArray()
		for i := range c.Metrics {
			q := &c.Metrics[i]
			// Keys in alphabetical order, as in real messages.
			w.BeginObject()
			if q.AccountId != "" {
				w.Key("AccountId")
				w.String(q.AccountId)
			}
			if q.Expression != "" {
				w.Key("Expression")
				w.String(q.Expression)
			}
			w.Key("Id")
			w.String(q.Id)
			if q.Label != "" {
				w.Key("Label")
				w.String(q.Label)
			}
			if ms := q.MetricStat; ms != nil {
				w.Key("MetricStat")
				w.BeginObject()
				w.Key("Metric")
				w.BeginObject()
				w.Key("Dimensions")
				snsDimensions(w, ms.Metric.Dimensions)
				w.Key("MetricName")
				w.String(ms.Metric.MetricName)
				w.Key("Namespace")
				w.String(ms.Metric.Namespace)
				w.EndObject()
				w.Key("Period")
				w.Int(int64(ms.Period))
				w.Key("Stat")
				w.String(ms.Stat)
				if ms.Unit != "" {
					w.Key("Unit")
					w.String(ms.Unit)
				}
				w.EndObject()
			}
			if q.Period != 0 {
				w.Key("Period")
				w.Int(int64(q.Period))
			}
			w.Key("ReturnData")
			w.Bool(q.ReturnData == nil || *q.ReturnData)
			w.EndObject()
		}
		w.EndArray()
	} else {
		w.Key("MetricName")
		w.String(c.MetricName)
		w.Key("Namespace")
		w.String(c.Namespace)
		w.Key("StatisticType")
		if c.ExtendedStatistic != "" {
			w.String("ExtendedStatistic")
			w.Key("ExtendedStatistic")
			w.String(c.ExtendedStatistic)
		} else {
			w.String("Statistic")
			w.Key("Statistic")
			w.String(statisticName(c.Statistic))
		}
		w.Key("Unit")
		if c.Unit == "" {
			w.Null()
		} else {
			w.String(c.Unit)
		}
		w.Key("Dimensions")
		snsDimensions(w, c.Dimensions)
		w.Key("Period")
		w.Int(int64(c.Period))
		f.evaluation(w, c)
	}
	w.EndObject()
}

// evaluation writes the Trigger's keys that every metric alarm has, from
// EvaluationPeriods to EvaluateLowSampleCountPercentile.
func (f Format) evaluation(w *cwjson.Writer, c *alarm.Config) {
	w.Key("EvaluationPeriods")
	w.Int(int64(c.EvaluationPeriods))
	if c.DatapointsToAlarm > 0 && f.Layout != Layout2021 {
		w.Key("DatapointsToAlarm")
		w.Int(int64(c.DatapointsToAlarm))
	}
	w.Key("ComparisonOperator")
	w.String(c.ComparisonOperator)
	if c.ThresholdMetricId != "" {
		w.Key("ThresholdMetricId")
		w.String(c.ThresholdMetricId)
	} else {
		w.Key("Threshold")
		w.Double(c.Threshold)
	}
	w.Key("TreatMissingData")
	switch {
	case c.TreatMissingData == "" || f.Layout != Layout2021:
		w.String(c.TreatMissingData)
	default:
		w.String(legacyMissingData + c.TreatMissingData)
	}
	w.Key("EvaluateLowSampleCountPercentile")
	w.String(c.EvaluateLowSampleCountPercentile)
}

// legacyMissingData is what came before the value of TreatMissingData in
// the SNS messages of 2019 to 2021: the email body's line.
const legacyMissingData = "- TreatMissingData:                    "

func snsDimensions(w *cwjson.Writer, dims []metric.Dimension) {
	w.BeginArray()
	for _, d := range dims {
		w.BeginObject()
		w.Key("value")
		w.String(d.Value)
		w.Key("name")
		w.String(d.Name)
		w.EndObject()
	}
	w.EndArray()
}

// mathPeriod returns a metric-math alarm's period: that of its MetricStats
// (which all have the same), else of its first query that has one.
func mathPeriod(c *alarm.Config) int {
	for _, q := range c.Metrics {
		if q.MetricStat != nil {
			return q.MetricStat.Period
		}
	}
	for _, q := range c.Metrics {
		if q.Period != 0 {
			return q.Period
		}
	}
	return 0
}

// statisticName returns a statistic as the SNS message spells it: the
// name of a Java enum constant, upper case with an underscore between
// words (SampleCount is SAMPLE_COUNT, Average AVERAGE).
func statisticName(s string) string {
	switch s {
	case "Average":
		return "AVERAGE"
	case "Sum":
		return "SUM"
	case "Minimum":
		return "MINIMUM"
	case "Maximum":
		return "MAXIMUM"
	case "SampleCount":
		return "SAMPLE_COUNT"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteString(strings.ToUpper(string(r)))
	}
	return b.String()
}

// maxSubject is the length limit of an SNS subject, in characters.
const maxSubject = 100

// Subject returns the subject CloudWatch gives the SNS message of
// transition t, and the text of its SMS:
//
//	ALARM: "cpu-high" in US East (N. Virginia)
//
// SNS takes ASCII subjects only: each character of the alarm name that is
// not printable ASCII becomes '_' ("Inicio de Sesi_n"). A subject longer
// than SNS's 100 characters has its alarm name cut and ended with "...",
// so that it is 100 characters long, as CloudWatch does:
//
//	ALARM: "SharedInfra-Alpha-Database-DatabaseInstanceObservabilityHighDatabaseConnec..." in EU (Milan)
//
// The Region comes from the alarm's ARN; when the ARN is not an alarm ARN
// the Region is left empty.
func (f Format) Subject(t klaxon.Transition) string {
	var region string
	if a, err := parseAlarmARN(t.AlarmArn); err == nil {
		region = RegionName(a.Region)
	}
	return string(appendSubject(nil, t.To, t.AlarmName, region))
}

func appendSubject(b []byte, to alarm.State, name, region string) []byte {
	start := len(b)
	b = append(b, to.String()...)
	b = append(b, `: "`...)
	nameAt := len(b)
	b = appendASCII(b, name)
	nameEnd := len(b)
	b = append(b, `" in `...)
	b = appendASCII(b, region)
	if tail := len(b) - nameEnd; len(b)-start > maxSubject {
		// Everything is ASCII now: bytes are characters. Cut the name to
		// leave room for "..." and the tail.
		cut := max(nameAt, start+maxSubject-tail-len("..."))
		b = append(append(b[:cut], "..."...), b[nameEnd:nameEnd+tail]...)
		if len(b)-start > maxSubject { // a Region too long for any subject
			b = b[:start+maxSubject]
		}
	}
	return b
}

// appendASCII appends s with each character that is not printable ASCII
// (a control character, DEL, a non-ASCII character or a byte that is not
// UTF-8) replaced by '_'.
func appendASCII(b []byte, s string) []byte {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f {
			r = '_'
		}
		b = append(b, byte(r))
	}
	return b
}
