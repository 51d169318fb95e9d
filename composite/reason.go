package composite

import (
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// ChildReason returns the StateReason of a composite alarm whose state
// changed because the child alarm childARN entered state at t:
//
//	arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC
func ChildReason(childARN string, state alarm.State, t time.Time) string {
	b := make([]byte, 0, len(childARN)+64)
	b = append(b, childARN...)
	b = append(b, " transitioned to "...)
	b = append(b, state.String()...)
	b = append(b, " at "...)
	b = cwfmt.AppendTime(b, t, cwfmt.HumanTime)
	return string(b)
}

// CreatedReason returns the StateReason of a composite alarm arn right
// after its creation, when its rule first evaluates to state:
//
//	arn:aws:cloudwatch:us-east-1:123456789012:alarm:service was created and its alarm rule evaluates to OK
func CreatedReason(arn string, state alarm.State) string {
	return arn + " was created and its alarm rule evaluates to " + state.String()
}

// A TriggeringAlarm is one entry of a composite alarm's StateReasonData:
// a child alarm, its state, and when it entered that state.
type TriggeringAlarm struct {
	ARN       string
	State     alarm.State
	Timestamp time.Time
}

// ReasonData returns the StateReasonData of a composite alarm: compact JSON
// with CloudWatch's key order, strings escaped as Jackson escapes them,
// and times in UTC with milliseconds. CloudWatch lists the child that
// caused the transition, or all the children right after creation:
//
//	{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}
func ReasonData(alarms ...TriggeringAlarm) string {
	w := cwjson.NewWriter(make([]byte, 0, 32+len(alarms)*128))
	w.BeginObject()
	w.Key("triggeringAlarms")
	w.BeginArray()
	for _, a := range alarms {
		w.BeginObject()
		w.Key("arn")
		w.String(a.ARN)
		w.Key("state")
		w.BeginObject()
		w.Key("value")
		w.String(a.State.String())
		w.Key("timestamp")
		w.Time(a.Timestamp, cwfmt.JSONTime)
		w.EndObject()
		w.EndObject()
	}
	w.EndArray()
	w.EndObject()
	return string(w.Bytes())
}

// UpdatedReason returns the StateReason of a composite alarm arn whose
// state changed when its configuration was updated:
//
//	arn:aws:cloudwatch:us-east-1:123456789012:alarm:service was updated and its alarm rule evaluates to ALARM
//
// CloudWatch re-evaluates a composite on an update, but its reason then is
// unpublished; this wording follows the creation reason's.
func UpdatedReason(arn string, state alarm.State) string {
	return arn + " was updated and its alarm rule evaluates to " + state.String()
}
