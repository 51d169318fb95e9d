package action

import (
	"strconv"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
	"github.com/klaxon-go/klaxon/metric"
)

// Widths of the labels of the email body, "- " included.
const (
	detailWidth = 30 // Alarm Details, State Change Actions
	metricWidth = 39 // Monitored Metric
)

// maxChildren is how many triggering children a composite alarm's email
// lists.
const maxChildren = 10

// Email returns the body of the email CloudWatch sends to the email
// subscribers of an SNS topic for transition t (the "email" of
// PublishedMessage). A composite alarm's is CloudWatch's, byte for byte:
//
//	You are receiving this email because your Amazon CloudWatch Alarm "service" in the EU (Ireland) region has transitioned to ALARM state on Sunday 06 November, 2022 17:43:53 UTC, because "forced test reason".
//
//	View this alarm in the AWS Management Console:
//	https://eu-west-1.console.aws.amazon.com/cloudwatch/deeplink.js?region=eu-west-1#alarmsV2:alarm/service
//
//	Alarm Details:
//	- Name:                       service
//	- Description:                Test dummy alarm
//	- State Change:               OK -> ALARM
//	- Alarm Rule:                 ALARM(cpu) OR ALARM(errors)
//	- Reason for State Change:    forced test reason
//	- Timestamp:                  Sunday 06 November, 2022 17:43:53 UTC
//	- AWS Account:                123456789012
//	- Alarm Arn:                  arn:aws:cloudwatch:eu-west-1:123456789012:alarm:service
//
//	Triggering children (max. 10):
//
//	State Change Actions:
//	- OK:
//	- ALARM: [arn:aws:sns:eu-west-1:123456789012:ops]
//	- INSUFFICIENT_DATA:
//
// (the labels are padded to 30 characters, "- OK: " keeps its space, and
// the body ends with a line feed). A metric alarm's email has "has
// entered the ALARM state" in its first line and, instead of the rule and
// the children, a "Threshold:" section and a "Monitored Metric:" section;
// its layout is reconstructed from delivered emails (see the package's
// Caveats).
func (f Format) Email(t klaxon.Transition) (string, error) {
	s, err := newSource(&t)
	if err != nil {
		return "", err
	}
	return build(func(b []byte) []byte {
		w := emailWriter{b: b}
		w.email(&s)
		return w.b
	}), nil
}

// An emailWriter appends an email's text to b: as it is (Email), or, with
// json set, as the content of a JSON string (the "email" of
// PublishedMessage), so that the published message is written in one
// pass. The email's own words and the numbers and times in it need no
// escaping (lit, nl, quote write them); what the alarm says (names,
// reasons, descriptions, metrics) goes through text.
type emailWriter struct {
	b    []byte
	json bool
}

// lit appends literal text, which holds nothing JSON escapes.
func (w *emailWriter) lit(s string) { w.b = append(w.b, s...) }

// text appends s, escaped in a JSON string.
func (w *emailWriter) text(s string) {
	if w.json {
		w.b = cwfmt.AppendStringContent(w.b, s)
	} else {
		w.b = append(w.b, s...)
	}
}

// nl appends a line feed.
func (w *emailWriter) nl() {
	if w.json {
		w.b = append(w.b, '\\', 'n')
	} else {
		w.b = append(w.b, '\n')
	}
}

// quote appends a double quote.
func (w *emailWriter) quote() {
	if w.json {
		w.b = append(w.b, '\\')
	}
	w.b = append(w.b, '"')
}

// time appends t as emails write times.
func (w *emailWriter) time(t time.Time) { w.b = cwfmt.AppendTime(w.b, t, cwfmt.HumanTime) }

// label appends l padded with spaces to width characters.
func (w *emailWriter) label(l string, width int) {
	w.lit(l)
	if pad := width - len(l); pad > 0 {
		w.lit(spaces[:pad])
	}
}

// spaces pads the labels (to metricWidth at most).
const spaces = "                                        "

// line appends a padded label, the value and a line feed.
func (w *emailWriter) line(l string, width int, value string) {
	w.label(l, width)
	w.text(value)
	w.nl()
}

// actionLine appends "- OK: " and the list of ARNs, each in brackets.
func (w *emailWriter) actionLine(l string, arns []string) {
	w.lit(l)
	for i, a := range arns {
		if i > 0 {
			w.lit(" ")
		}
		w.lit("[")
		w.text(a)
		w.lit("]")
	}
	w.nl()
}

func (w *emailWriter) email(s *source) {
	t := s.t
	w.lit("You are receiving this email because your Amazon CloudWatch Alarm ")
	w.quote()
	w.text(t.AlarmName)
	w.quote()
	w.lit(" in the ")
	w.text(RegionName(s.arn.Region))
	if t.CompositeAlarm != nil {
		w.lit(" region has transitioned to ")
		w.text(t.To.String())
		w.lit(" state on ")
		w.time(t.At)
		w.lit(", because ")
		w.quote()
		w.text(t.Reason)
		w.quote()
		w.lit(".")
	} else {
		w.lit(" region has entered the ")
		w.text(t.To.String())
		w.lit(" state, because ")
		w.quote()
		w.text(t.Reason)
		w.quote()
		w.lit(" at ")
		w.quote()
		w.time(t.At)
		w.quote()
		w.lit(".")
	}
	w.nl()
	w.nl()
	w.lit("View this alarm in the AWS Management Console:")
	w.nl()
	w.b = appendConsoleURL(w.b, s.arn, t.AlarmName)
	w.nl()
	w.nl()
	w.lit("Alarm Details:")
	w.nl()
	w.line("- Name:", detailWidth, t.AlarmName)
	w.line("- Description:", detailWidth, s.description())
	w.label("- State Change:", detailWidth)
	w.text(t.From.String())
	w.lit(" -> ")
	w.text(t.To.String())
	w.nl()
	if c := t.CompositeAlarm; c != nil {
		w.line("- Alarm Rule:", detailWidth, c.AlarmRule)
	}
	w.line("- Reason for State Change:", detailWidth, t.Reason)
	w.label("- Timestamp:", detailWidth)
	w.time(t.At)
	w.nl()
	w.line("- AWS Account:", detailWidth, s.arn.Account)
	w.line("- Alarm Arn:", detailWidth, t.AlarmArn)
	if t.CompositeAlarm != nil {
		w.nl()
		w.lit("Triggering children (max. 10):")
		w.nl()
		var buf [4]child
		children, _ := parseTriggeringAlarms(t.ReasonData, buf[:0])
		for i, c := range children {
			if i == maxChildren {
				break
			}
			w.lit("- ")
			w.text(c.ARN)
			w.lit(" transitioned to ")
			w.text(c.Value)
			w.lit(" at ")
			if at, err := time.Parse(cwfmt.JSONTime, c.Timestamp); err == nil {
				w.time(at)
			} else {
				w.text(c.Timestamp)
			}
			w.nl()
		}
	} else {
		w.metricSections(t.MetricAlarm)
	}
	ok, al, insufficient := s.actions()
	w.nl()
	w.lit("State Change Actions:")
	w.nl()
	w.actionLine("- OK: ", ok)
	w.actionLine("- ALARM: ", al)
	w.actionLine("- INSUFFICIENT_DATA: ", insufficient)
}

// metricSections appends a metric alarm's Threshold and Monitored Metric
// (or, for metric math, Monitored Metrics) sections, and the two blank
// lines after them.
func (w *emailWriter) metricSections(c *alarm.Config) {
	period := c.Period
	if c.IsMath() {
		period = mathPeriod(c)
	}
	w.nl()
	w.lit("Threshold:")
	w.nl()
	w.lit("- The alarm is in the ALARM state when the metric is ")
	w.text(c.ComparisonOperator)
	w.lit(" ")
	if c.ThresholdMetricId != "" {
		w.text(c.ThresholdMetricId)
	} else {
		w.b = cwfmt.AppendDouble(w.b, c.Threshold)
	}
	w.lit(" for at least ")
	w.b = strconv.AppendInt(w.b, int64(c.M()), 10)
	w.lit(" of the last ")
	w.b = strconv.AppendInt(w.b, int64(c.EvaluationPeriods), 10)
	w.lit(" period(s) of ")
	w.b = strconv.AppendInt(w.b, int64(period), 10)
	w.lit(" seconds.")
	w.nl()
	w.nl()
	if !c.IsMath() {
		w.lit("Monitored Metric:")
		w.nl()
		stat := c.Statistic
		if c.ExtendedStatistic != "" {
			stat = c.ExtendedStatistic
		}
		w.metricLines(c.Namespace, c.MetricName, c.Dimensions, c.Period, stat, c.Unit)
	} else {
		w.lit("Monitored Metrics:")
		w.nl()
		for _, q := range c.Metrics {
			w.line("- Id:", metricWidth, q.Id)
			if q.Expression != "" {
				w.line("- Expression:", metricWidth, q.Expression)
			}
			if q.Label != "" {
				w.line("- Label:", metricWidth, q.Label)
			}
			if ms := q.MetricStat; ms != nil {
				w.metricLines(ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions, ms.Period, ms.Stat, ms.Unit)
			}
		}
	}
	if c.TreatMissingData != "" {
		w.lit(legacyMissingData)
		w.text(c.TreatMissingData)
	}
	w.nl()
	w.nl()
}

// metricLines appends the lines that describe one metric.
func (w *emailWriter) metricLines(namespace, name string, dims []metric.Dimension, period int, stat, unit string) {
	w.line("- MetricNamespace:", metricWidth, namespace)
	w.line("- MetricName:", metricWidth, name)
	w.label("- Dimensions:", metricWidth)
	for i, d := range dims {
		if i > 0 {
			w.lit(" ")
		}
		w.lit("[")
		w.text(d.Name)
		w.lit(" = ")
		w.text(d.Value)
		w.lit("]")
	}
	w.nl()
	w.label("- Period:", metricWidth)
	w.b = strconv.AppendInt(w.b, int64(period), 10)
	w.lit(" seconds")
	w.nl()
	w.line("- Statistic:", metricWidth, stat)
	if unit == "" {
		unit = "not specified"
	}
	w.line("- Unit:", metricWidth, unit)
}

// appendConsoleURL appends the link to the alarm in the CloudWatch console
// of the alarm's partition, with the name percent-encoded (every byte but
// letters, digits and "-_.~").
func appendConsoleURL(b []byte, a alarmARN, name string) []byte {
	host := ".console.aws.amazon.com"
	switch a.Partition {
	case "aws-cn":
		host = ".console.amazonaws.cn"
	case "aws-us-gov":
		host = ".console.amazonaws-us-gov.com"
	}
	b = append(b, "https://"...)
	b = append(b, a.Region...)
	b = append(b, host...)
	b = append(b, "/cloudwatch/deeplink.js?region="...)
	b = append(b, a.Region...)
	b = append(b, "#alarmsV2:alarm/"...)
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&0xf])
		}
	}
	return b
}

// PublishedMessage returns the JSON-structured message CloudWatch
// publishes to an SNS topic for transition t (MessageStructure "json"),
// which Action history items carry as their publishedMessage:
//
//	{"default":"<SNSMessage>","sms":"<Subject>","email":"<Email>"}
//
// SNS delivers "default" to the SQS, Lambda, HTTP and email-json
// protocols, "sms" to SMS and "email" to email.
func (f Format) PublishedMessage(t klaxon.Transition) (string, error) {
	s, err := newSource(&t)
	if err != nil {
		return "", err
	}
	return build(func(b []byte) []byte { return f.appendPublished(b, &s) }), nil
}

func (f Format) appendPublished(b []byte, s *source) []byte {
	// {"default":<the SNS message as a string>,"sms":<the subject>,
	// "email":<the email>}: the SNS message and the email are written
	// escaped as they are built, in one pass each (escaping them
	// afterwards would read them twice).
	b = append(b, `{"default":"`...)
	msg := cwjson.NewNestedWriter(b)
	f.writeSNSMessage(&msg, s)
	b = append(msg.Bytes(), `","sms":`...)
	var subjBuf [256]byte
	b = cwjson.AppendString(b, bytesString(appendSubject(subjBuf[:0], s.t.To, s.t.AlarmName, RegionName(s.arn.Region))))
	b = append(b, `,"email":"`...)
	email := emailWriter{b: b, json: true}
	email.email(s)
	return append(email.b, '"', '}')
}
