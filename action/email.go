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

// humanTime is the layout of the times in emails (and in composite
// alarms' reasons): "Sunday 06 November, 2022 17:43:53 UTC".
const humanTime = "Monday 02 January, 2006 15:04:05 UTC"

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
	return build(func(b []byte) []byte { return appendEmail(b, &s) }), nil
}

func appendEmail(b []byte, s *source) []byte {
	t := s.t
	region := RegionName(s.arn.Region)
	b = append(b, "You are receiving this email because your Amazon CloudWatch Alarm \""...)
	b = append(b, t.AlarmName...)
	b = append(b, "\" in the "...)
	b = append(b, region...)
	if t.CompositeAlarm != nil {
		b = append(b, " region has transitioned to "...)
		b = append(b, t.To.String()...)
		b = append(b, " state on "...)
		b = cwfmt.AppendTime(b, t.At, humanTime)
		b = append(b, ", because \""...)
		b = append(b, t.Reason...)
		b = append(b, "\".\n\n"...)
	} else {
		b = append(b, " region has entered the "...)
		b = append(b, t.To.String()...)
		b = append(b, " state, because \""...)
		b = append(b, t.Reason...)
		b = append(b, "\" at \""...)
		b = cwfmt.AppendTime(b, t.At, humanTime)
		b = append(b, "\".\n\n"...)
	}
	b = append(b, "View this alarm in the AWS Management Console:\n"...)
	b = appendConsoleURL(b, s.arn, t.AlarmName)
	b = append(b, "\n\nAlarm Details:\n"...)
	b = line(b, "- Name:", detailWidth, t.AlarmName)
	b = line(b, "- Description:", detailWidth, s.description())
	b = label(b, "- State Change:", detailWidth)
	b = append(b, t.From.String()...)
	b = append(b, " -> "...)
	b = append(b, t.To.String()...)
	b = append(b, '\n')
	if c := t.CompositeAlarm; c != nil {
		b = line(b, "- Alarm Rule:", detailWidth, c.AlarmRule)
	}
	b = line(b, "- Reason for State Change:", detailWidth, t.Reason)
	b = label(b, "- Timestamp:", detailWidth)
	b = cwfmt.AppendTime(b, t.At, humanTime)
	b = append(b, '\n')
	b = line(b, "- AWS Account:", detailWidth, s.arn.Account)
	b = line(b, "- Alarm Arn:", detailWidth, t.AlarmArn)
	if t.CompositeAlarm != nil {
		b = append(b, "\nTriggering children (max. 10):\n"...)
		var buf [4]child
		children, _ := parseTriggeringAlarms(t.ReasonData, buf[:0])
		for i, c := range children {
			if i == maxChildren {
				break
			}
			b = append(b, "- "...)
			b = append(b, c.ARN...)
			b = append(b, " transitioned to "...)
			b = append(b, c.Value...)
			b = append(b, " at "...)
			if at, err := time.Parse(cwfmt.JSONTime, c.Timestamp); err == nil {
				b = cwfmt.AppendTime(b, at, humanTime)
			} else {
				b = append(b, c.Timestamp...)
			}
			b = append(b, '\n')
		}
	} else {
		b = appendMetricSections(b, t.MetricAlarm)
	}
	ok, al, insufficient := s.actions()
	b = append(b, "\nState Change Actions:\n"...)
	b = actionLine(b, "- OK: ", ok)
	b = actionLine(b, "- ALARM: ", al)
	b = actionLine(b, "- INSUFFICIENT_DATA: ", insufficient)
	return b
}

// appendMetricSections appends a metric alarm's Threshold and Monitored
// Metric (or, for metric math, Monitored Metrics) sections, and the two
// blank lines after them.
func appendMetricSections(b []byte, c *alarm.Config) []byte {
	period := c.Period
	if c.IsMath() {
		period = mathPeriod(c)
	}
	b = append(b, "\nThreshold:\n- The alarm is in the ALARM state when the metric is "...)
	b = append(b, c.ComparisonOperator...)
	b = append(b, ' ')
	if c.ThresholdMetricId != "" {
		b = append(b, c.ThresholdMetricId...)
	} else {
		b = cwfmt.AppendDouble(b, c.Threshold)
	}
	b = append(b, " for at least "...)
	b = strconv.AppendInt(b, int64(c.M()), 10)
	b = append(b, " of the last "...)
	b = strconv.AppendInt(b, int64(c.EvaluationPeriods), 10)
	b = append(b, " period(s) of "...)
	b = strconv.AppendInt(b, int64(period), 10)
	b = append(b, " seconds.\n\n"...)
	if !c.IsMath() {
		b = append(b, "Monitored Metric:\n"...)
		stat := c.Statistic
		if c.ExtendedStatistic != "" {
			stat = c.ExtendedStatistic
		}
		b = appendMetricLines(b, c.Namespace, c.MetricName, c.Dimensions, c.Period, stat, c.Unit)
	} else {
		b = append(b, "Monitored Metrics:\n"...)
		for _, q := range c.Metrics {
			b = line(b, "- Id:", metricWidth, q.Id)
			if q.Expression != "" {
				b = line(b, "- Expression:", metricWidth, q.Expression)
			}
			if q.Label != "" {
				b = line(b, "- Label:", metricWidth, q.Label)
			}
			if ms := q.MetricStat; ms != nil {
				b = appendMetricLines(b, ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions, ms.Period, ms.Stat, ms.Unit)
			}
		}
	}
	if c.TreatMissingData != "" {
		b = append(b, legacyMissingData...)
		b = append(b, c.TreatMissingData...)
	}
	return append(b, "\n\n"...)
}

// appendMetricLines appends the lines that describe one metric.
func appendMetricLines(b []byte, namespace, name string, dims []metric.Dimension, period int, stat, unit string) []byte {
	b = line(b, "- MetricNamespace:", metricWidth, namespace)
	b = line(b, "- MetricName:", metricWidth, name)
	b = label(b, "- Dimensions:", metricWidth)
	for i, d := range dims {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, '[')
		b = append(b, d.Name...)
		b = append(b, " = "...)
		b = append(b, d.Value...)
		b = append(b, ']')
	}
	b = append(b, '\n')
	b = label(b, "- Period:", metricWidth)
	b = strconv.AppendInt(b, int64(period), 10)
	b = append(b, " seconds\n"...)
	b = line(b, "- Statistic:", metricWidth, stat)
	if unit == "" {
		unit = "not specified"
	}
	return line(b, "- Unit:", metricWidth, unit)
}

// label appends l padded with spaces to width characters.
func label(b []byte, l string, width int) []byte {
	b = append(b, l...)
	for i := len(l); i < width; i++ {
		b = append(b, ' ')
	}
	return b
}

// line appends a padded label, the value and a line feed.
func line(b []byte, l string, width int, value string) []byte {
	b = label(b, l, width)
	b = append(b, value...)
	return append(b, '\n')
}

// actionLine appends "- OK: " and the list of ARNs, each in brackets.
func actionLine(b []byte, l string, arns []string) []byte {
	b = append(b, l...)
	for i, a := range arns {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, '[')
		b = append(b, a...)
		b = append(b, ']')
	}
	return append(b, '\n')
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
	// "email":<the email>}: the SNS message is written escaped as it is
	// built, in one pass (it is mostly quotes, which escaping again would
	// cost a second pass).
	b = append(b, `{"default":"`...)
	w := cwjson.NewNestedWriter(b)
	f.writeSNSMessage(&w, s)
	b = append(w.Bytes(), `","sms":`...)
	var subjBuf [256]byte
	b = cwjson.AppendString(b, bytesString(appendSubject(subjBuf[:0], s.t.To, s.t.AlarmName, RegionName(s.arn.Region))))
	b = append(b, `,"email":`...)
	pe := getBuffer()
	email := appendEmail((*pe)[:0], s)
	b = cwjson.AppendString(b, bytesString(email))
	putBuffer(pe, email)
	return append(b, '}')
}
