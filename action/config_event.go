package action

import (
	"strconv"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// The operations of a ConfigurationChange.
const (
	OperationCreate = "create"
	OperationUpdate = "update"
	OperationDelete = "delete"
)

// A ConfigurationChange is the creation, update or deletion of an alarm:
// what a "CloudWatch Alarm Configuration Change" event is built from. The
// engine reports state changes only (Engine.Subscribe); a caller that
// puts and deletes alarms builds this value itself.
type ConfigurationChange struct {
	Operation string // OperationCreate, OperationUpdate or OperationDelete
	AlarmArn  string
	// At is when the configuration changed: the configuration's
	// timestamp (AlarmConfigurationUpdatedTimestamp).
	At time.Time
	// The alarm's state at the change: its value, when it was entered,
	// and what holds a composite alarm's actions ("" when nothing does).
	State        alarm.State
	StateAt      time.Time
	SuppressedBy string
	// The configuration after the change (the last one for a deletion):
	// MetricAlarm or CompositeAlarm, and its ActionsEnabled.
	ActionsEnabled bool
	MetricAlarm    *alarm.Config
	CompositeAlarm *composite.Config
	// For an update, the configuration before it, its timestamp and its
	// ActionsEnabled.
	PreviousAt             time.Time
	PreviousActionsEnabled bool
	PreviousMetricAlarm    *alarm.Config
	PreviousCompositeAlarm *composite.Config
}

// ConfigurationEvent returns the EventBridge event CloudWatch emits when
// an alarm is created, updated or deleted, "CloudWatch Alarm Configuration
// Change", as compact JSON. Its detail gives the operation, the state
// (value and timestamp, and a composite's actionsSuppressedBy), the
// configuration, and for an update the previousConfiguration:
//
//	"detail":{"alarmName":"ServiceAggregatedAlarm","operation":"create",
//	"state":{"value":"INSUFFICIENT_DATA","timestamp":"2022-03-03T17:06:22.289+0000"},
//	"configuration":{"alarmRule":"...","alarmName":"ServiceAggregatedAlarm",
//	"description":"...","actionsEnabled":true,"timestamp":"2022-03-03T17:06:22.289+0000",
//	"okActions":[],"alarmActions":[],"insufficientDataActions":[]}}
//
// A metric alarm's configuration starts with its evaluation
// (evaluationPeriods, threshold, comparisonOperator, treatMissingData)
// and its metrics (as in Event). The id is a name-based UUID of the
// alarm's ARN, the operation and At, as Event's is.
func (f Format) ConfigurationEvent(c ConfigurationChange) (string, error) {
	a, err := parseAlarmARN(c.AlarmArn)
	if err != nil {
		return "", err
	}
	switch c.Operation {
	case OperationCreate, OperationUpdate, OperationDelete:
	default:
		return "", &payloadError{"the operation " + strconv.Quote(c.Operation) + " of the configuration change of " + strconv.Quote(c.AlarmArn) + " is not create, update or delete"}
	}
	if (c.MetricAlarm == nil) == (c.CompositeAlarm == nil) {
		return "", &payloadError{"the configuration change of " + strconv.Quote(c.AlarmArn) + " needs exactly one of MetricAlarm and CompositeAlarm"}
	}
	if c.Operation == OperationUpdate && (c.PreviousMetricAlarm == nil) == (c.PreviousCompositeAlarm == nil) {
		return "", &payloadError{"the update of " + strconv.Quote(c.AlarmArn) + " needs exactly one of PreviousMetricAlarm and PreviousCompositeAlarm"}
	}
	p := getBuffer()
	w := cwjson.NewWriter((*p)[:0])
	w.BeginObject()
	w.Key("version")
	w.String("0")
	w.Key("id")
	var buf [512]byte
	name := append(append(append(append(append(buf[:0], eventSpace[:]...), c.AlarmArn...), '/'), c.Operation...), '/')
	name = cwfmt.AppendTime(name, c.At, cwfmt.JSONTime)
	var id [36]byte
	w.String(bytesString(appendUUIDOf(id[:0], name)))
	w.Key("detail-type")
	w.String("CloudWatch Alarm Configuration Change")
	w.Key("source")
	w.String("aws.cloudwatch")
	w.Key("account")
	w.String(a.Account)
	w.Key("time")
	w.Time(c.At, eventTime)
	w.Key("region")
	w.String(a.Region)
	w.Key("resources")
	w.Strings([]string{c.AlarmArn})
	w.Key("detail")
	w.BeginObject()
	w.Key("alarmName")
	if c.MetricAlarm != nil {
		w.String(c.MetricAlarm.AlarmName)
	} else {
		w.String(c.CompositeAlarm.AlarmName)
	}
	w.Key("operation")
	w.String(c.Operation)
	w.Key("state")
	w.BeginObject()
	if c.SuppressedBy != "" {
		w.Key("actionsSuppressedBy")
		w.String(c.SuppressedBy)
	}
	w.Key("value")
	w.String(c.State.String())
	w.Key("timestamp")
	w.Time(c.StateAt, cwfmt.JSONTime)
	w.EndObject()
	w.Key("configuration")
	fullConfiguration(&w, c.AlarmArn, c.At, c.ActionsEnabled, c.MetricAlarm, c.CompositeAlarm)
	if c.Operation == OperationUpdate {
		w.Key("previousConfiguration")
		fullConfiguration(&w, c.AlarmArn, c.PreviousAt, c.PreviousActionsEnabled, c.PreviousMetricAlarm, c.PreviousCompositeAlarm)
	}
	w.EndObject()
	w.EndObject()
	out := string(w.Bytes())
	putBuffer(p, w.Bytes())
	return out, nil
}

// fullConfiguration writes the configuration of a configuration change.
func fullConfiguration(w *cwjson.Writer, arn string, at time.Time, enabled bool, m *alarm.Config, c *composite.Config) {
	w.BeginObject()
	var name, description string
	var ok, al, insufficient []string
	if m != nil {
		name, description = m.AlarmName, m.AlarmDescription
		ok, al, insufficient = m.OKActions, m.AlarmActions, m.InsufficientDataActions
		w.Key("evaluationPeriods")
		w.Int(int64(m.EvaluationPeriods))
		if m.DatapointsToAlarm > 0 {
			w.Key("datapointsToAlarm")
			w.Int(int64(m.DatapointsToAlarm))
		}
		if m.ThresholdMetricId != "" {
			w.Key("thresholdMetricId")
			w.String(m.ThresholdMetricId)
		} else {
			w.Key("threshold")
			// An integral threshold is written as an integer ("80").
			if m.Threshold == float64(int64(m.Threshold)) && m.Threshold < 1<<53 && m.Threshold > -(1<<53) {
				w.Int(int64(m.Threshold))
			} else {
				w.Double(m.Threshold)
			}
		}
		w.Key("comparisonOperator")
		w.String(m.ComparisonOperator)
		if m.TreatMissingData != "" {
			w.Key("treatMissingData")
			w.String(m.TreatMissingData)
		}
		metrics(w, arn, m, false)
	} else {
		name, description = c.AlarmName, c.AlarmDescription
		ok, al, insufficient = c.OKActions, c.AlarmActions, c.InsufficientDataActions
		w.Key("alarmRule")
		w.String(c.AlarmRule)
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
	}
	w.Key("alarmName")
	w.String(name)
	if description != "" {
		w.Key("description")
		w.String(description)
	}
	w.Key("actionsEnabled")
	w.Bool(enabled)
	w.Key("timestamp")
	w.Time(at, cwfmt.JSONTime)
	w.Key("okActions")
	w.Strings(ok)
	w.Key("alarmActions")
	w.Strings(al)
	w.Key("insufficientDataActions")
	w.Strings(insufficient)
	w.EndObject()
}
