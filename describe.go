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
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/metric"
)

// DescribeAlarmsOutput is what DescribeAlarms returns, in CloudWatch's
// JSON shape (`aws cloudwatch describe-alarms`): both lists are always
// present, empty rather than null.
type DescribeAlarmsOutput struct {
	MetricAlarms    []MetricAlarm    `json:"MetricAlarms"`
	CompositeAlarms []CompositeAlarm `json:"CompositeAlarms"`
}

// A MetricAlarm is one metric alarm as DescribeAlarms returns it, in
// CloudWatch's JSON shape.
type MetricAlarm struct {
	AlarmName                          string                  `json:"AlarmName"`
	AlarmArn                           string                  `json:"AlarmArn"`
	AlarmDescription                   string                  `json:"AlarmDescription,omitempty"`
	AlarmConfigurationUpdatedTimestamp Timestamp               `json:"AlarmConfigurationUpdatedTimestamp"`
	ActionsEnabled                     bool                    `json:"ActionsEnabled"`
	OKActions                          []string                `json:"OKActions"`
	AlarmActions                       []string                `json:"AlarmActions"`
	InsufficientDataActions            []string                `json:"InsufficientDataActions"`
	StateValue                         alarm.State             `json:"StateValue"`
	StateReason                        string                  `json:"StateReason"`
	StateReasonData                    string                  `json:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              Timestamp               `json:"StateUpdatedTimestamp"`
	MetricName                         string                  `json:"MetricName,omitempty"`
	Namespace                          string                  `json:"Namespace,omitempty"`
	Statistic                          string                  `json:"Statistic,omitempty"`
	ExtendedStatistic                  string                  `json:"ExtendedStatistic,omitempty"`
	Dimensions                         []metric.Dimension      `json:"Dimensions"`
	Period                             int                     `json:"Period,omitempty"`
	Unit                               string                  `json:"Unit,omitempty"`
	EvaluationPeriods                  int                     `json:"EvaluationPeriods"`
	DatapointsToAlarm                  int                     `json:"DatapointsToAlarm,omitempty"`
	Threshold                          float64                 `json:"Threshold"`
	ComparisonOperator                 string                  `json:"ComparisonOperator"`
	TreatMissingData                   string                  `json:"TreatMissingData,omitempty"`
	EvaluateLowSampleCountPercentile   string                  `json:"EvaluateLowSampleCountPercentile,omitempty"`
	Metrics                            []alarm.MetricDataQuery `json:"Metrics,omitempty"`
	ThresholdMetricId                  string                  `json:"ThresholdMetricId,omitempty"`
	StateTransitionedTimestamp         Timestamp               `json:"StateTransitionedTimestamp"`
}

// A CompositeAlarm is one composite alarm as DescribeAlarms returns it, in
// CloudWatch's JSON shape.
type CompositeAlarm struct {
	ActionsEnabled                     bool        `json:"ActionsEnabled"`
	AlarmActions                       []string    `json:"AlarmActions"`
	AlarmArn                           string      `json:"AlarmArn"`
	AlarmConfigurationUpdatedTimestamp Timestamp   `json:"AlarmConfigurationUpdatedTimestamp"`
	AlarmDescription                   string      `json:"AlarmDescription,omitempty"`
	AlarmName                          string      `json:"AlarmName"`
	AlarmRule                          string      `json:"AlarmRule"`
	InsufficientDataActions            []string    `json:"InsufficientDataActions"`
	OKActions                          []string    `json:"OKActions"`
	StateReason                        string      `json:"StateReason"`
	StateReasonData                    string      `json:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              Timestamp   `json:"StateUpdatedTimestamp"`
	StateValue                         alarm.State `json:"StateValue"`
	StateTransitionedTimestamp         Timestamp   `json:"StateTransitionedTimestamp"`
	ActionsSuppressedBy                string      `json:"ActionsSuppressedBy,omitempty"`
	ActionsSuppressedReason            string      `json:"ActionsSuppressedReason,omitempty"`
	ActionsSuppressor                  string      `json:"ActionsSuppressor,omitempty"`
	ActionsSuppressorWaitPeriod        *int        `json:"ActionsSuppressorWaitPeriod,omitempty"`
	ActionsSuppressorExtensionPeriod   *int        `json:"ActionsSuppressorExtensionPeriod,omitempty"`
}

// described holds the fields that every kind's describe form shares.
type described struct {
	Arn               string
	ConfigUpdated     time.Time
	Enabled           bool
	State             alarm.State
	StateReason       string
	StateReasonData   string
	StateUpdated      time.Time
	StateTransitioned time.Time
	SuppressedBy      composite.SuppressedBy // composite alarms with an ActionsSuppressor
}

func (s *metricSpec) describe(out *DescribeAlarmsOutput, d described) {
	c := s.ev().Config()
	out.MetricAlarms = append(out.MetricAlarms, MetricAlarm{
		AlarmName: c.AlarmName, AlarmArn: d.Arn, AlarmDescription: c.AlarmDescription,
		AlarmConfigurationUpdatedTimestamp: Timestamp{d.ConfigUpdated},
		ActionsEnabled:                     d.Enabled,
		OKActions:                          clone(c.OKActions), AlarmActions: clone(c.AlarmActions),
		InsufficientDataActions: clone(c.InsufficientDataActions),
		StateValue:              d.State, StateReason: d.StateReason, StateReasonData: d.StateReasonData,
		StateUpdatedTimestamp: Timestamp{d.StateUpdated},
		MetricName:            c.MetricName, Namespace: c.Namespace, Statistic: c.Statistic,
		ExtendedStatistic: c.ExtendedStatistic, Dimensions: clone(c.Dimensions), Period: c.Period, Unit: c.Unit,
		EvaluationPeriods: c.EvaluationPeriods, DatapointsToAlarm: c.DatapointsToAlarm, Threshold: c.Threshold,
		ComparisonOperator: c.ComparisonOperator, TreatMissingData: c.TreatMissingData,
		EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile, Metrics: c.Clone().Metrics,
		ThresholdMetricId: c.ThresholdMetricId, StateTransitionedTimestamp: Timestamp{d.StateTransitioned},
	})
}

// clone copies a list for the caller; nil becomes [], as CloudWatch
// prints empty lists.
func clone[T any](l []T) []T {
	return append(make([]T, 0, len(l)), l...)
}

// AlarmFilter selects alarms, as DescribeAlarms's input does; zero fields
// select everything, but for AlarmTypes.
type AlarmFilter struct {
	// AlarmNames and AlarmNamePrefix (not both) select by name.
	AlarmNames      []string
	AlarmNamePrefix string
	// AlarmTypes selects the kinds of alarm: "MetricAlarm",
	// "CompositeAlarm". As in CloudWatch, none means metric alarms only.
	AlarmTypes []string
	// ChildrenOfAlarmName selects the alarms that the named composite
	// alarm's rule references; ParentsOfAlarmName the composite alarms
	// whose rules reference the named alarm. Either excludes every other
	// field but MaxRecords, as in CloudWatch.
	ChildrenOfAlarmName string
	ParentsOfAlarmName  string
	StateValue          string // "OK", "ALARM" or "INSUFFICIENT_DATA"
	ActionPrefix        string // alarms with an action ARN that starts with it
	// MaxRecords limits the alarms returned (0: all of them; the engine
	// does not paginate), 1 to 100 as in CloudWatch.
	MaxRecords int
}

func (f *AlarmFilter) validate() error {
	var probs []error
	bad := func(field, value, msg string) {
		probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: field, Value: value, Message: msg})
	}
	for i, t := range f.AlarmTypes {
		if t != MetricAlarmType && t != CompositeAlarmType && t != "LogAlarm" {
			probs = append(probs, enumError("AlarmTypes.member."+strconv.Itoa(i+1), "alarmTypes."+strconv.Itoa(i+1)+".member", t, "CompositeAlarm, MetricAlarm, LogAlarm"))
		}
	}
	switch f.StateValue {
	case "", "OK", "ALARM", "INSUFFICIENT_DATA":
	default:
		probs = append(probs, enumError("StateValue", "stateValue", f.StateValue, "OK, ALARM, INSUFFICIENT_DATA"))
	}
	if f.MaxRecords < 0 || f.MaxRecords > 100 {
		probs = append(probs, rangeError("MaxRecords", "maxRecords", f.MaxRecords, 1, 100))
	}
	if len(f.AlarmNames) > 0 && f.AlarmNamePrefix != "" {
		bad("AlarmNamePrefix", f.AlarmNamePrefix, "The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.")
	}
	if len(f.AlarmNames) > 100 {
		probs = append(probs, rangeError("AlarmNames", "alarmNames", len(f.AlarmNames), 0, 100))
	}
	for _, s := range []struct{ field, v string }{
		{"AlarmNamePrefix", f.AlarmNamePrefix}, {"ChildrenOfAlarmName", f.ChildrenOfAlarmName}, {"ParentsOfAlarmName", f.ParentsOfAlarmName},
	} {
		if utf8.RuneCountInString(s.v) > 255 {
			bad(s.field, s.v, "The value for parameter "+s.field+" must be at most 255 characters long.")
		}
	}
	if utf8.RuneCountInString(f.ActionPrefix) > 1024 {
		bad("ActionPrefix", f.ActionPrefix, "The value for parameter ActionPrefix must be at most 1024 characters long.")
	}
	for _, g := range []struct{ field, v string }{{"ChildrenOfAlarmName", f.ChildrenOfAlarmName}, {"ParentsOfAlarmName", f.ParentsOfAlarmName}} {
		if g.v == "" {
			continue
		}
		var others []string
		for _, o := range []struct {
			name string
			set  bool
		}{
			{"AlarmNames", len(f.AlarmNames) > 0}, {"AlarmNamePrefix", f.AlarmNamePrefix != ""}, {"AlarmTypes", len(f.AlarmTypes) > 0},
			{"ChildrenOfAlarmName", f.ChildrenOfAlarmName != "" && g.field != "ChildrenOfAlarmName"},
			{"ParentsOfAlarmName", f.ParentsOfAlarmName != "" && g.field != "ParentsOfAlarmName"},
			{"StateValue", f.StateValue != ""}, {"ActionPrefix", f.ActionPrefix != ""},
		} {
			if o.set {
				others = append(others, o.name)
			}
		}
		if len(others) > 0 {
			bad(g.field, g.v, "With "+g.field+", no other parameter but MaxRecords may be given (got "+strings.Join(others, ", ")+").")
		}
	}
	return errors.Join(probs...)
}

// DescribeAlarms returns the alarms f selects, sorted by name as CloudWatch
// returns them, or the problems of f.
func (e *Engine) DescribeAlarms(ctx context.Context, f AlarmFilter) (DescribeAlarmsOutput, error) {
	out := DescribeAlarmsOutput{MetricAlarms: []MetricAlarm{}, CompositeAlarms: []CompositeAlarm{}}
	if err := f.validate(); err != nil {
		return out, err
	}
	types := f.AlarmTypes
	if len(types) == 0 {
		types = []string{MetricAlarmType}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var sel []alarmObj
	switch {
	case f.ChildrenOfAlarmName != "":
		if a, ok := e.alarms[f.ChildrenOfAlarmName]; ok {
			for _, c := range a.children() {
				if ca, ok := e.alarms[c]; ok && !slices.Contains(sel, ca) {
					sel = append(sel, ca)
				}
			}
		}
	case f.ParentsOfAlarmName != "":
		for _, a := range e.alarms {
			if slices.Contains(a.children(), f.ParentsOfAlarmName) {
				sel = append(sel, a)
			}
		}
	default:
		for name, a := range e.alarms {
			sp := a.spec()
			if !slices.Contains(types, sp.alarmType()) ||
				len(f.AlarmNames) > 0 && !slices.Contains(f.AlarmNames, name) ||
				f.AlarmNamePrefix != "" && !strings.HasPrefix(name, f.AlarmNamePrefix) ||
				f.StateValue != "" && a.base().state.String() != f.StateValue ||
				f.ActionPrefix != "" && !hasPrefixed(f.ActionPrefix, sp) {
				continue
			}
			sel = append(sel, a)
		}
	}
	slices.SortFunc(sel, func(x, y alarmObj) int { return strings.Compare(x.spec().name(), y.spec().name()) })
	if f.MaxRecords > 0 && len(sel) > f.MaxRecords {
		sel = sel[:f.MaxRecords]
	}
	for _, a := range sel {
		a.spec().describe(&out, e.described(a))
	}
	return out, nil
}

// described returns the common fields of a's describe form.
func (e *Engine) described(a alarmObj) described {
	b := a.base()
	cur := b.current()
	d := described{
		Arn: e.arn(a.spec().name()), ConfigUpdated: b.configUpdated.time(), Enabled: b.enabled,
		State: cur.value(), StateReason: reasonOf(cur), StateReasonData: reasonDataOf(cur),
		StateUpdated: cur.time().time(), StateTransitioned: b.transitioned.time(),
	}
	if c, ok := a.(*compositeAlarm); ok {
		d.SuppressedBy = c.suppressedBy()
	}
	return d
}

func hasPrefixed(prefix string, sp spec) bool {
	for _, s := range []alarm.State{alarm.StateOK, alarm.StateAlarm, alarm.StateInsufficientData} {
		for _, a := range sp.actions(s) {
			if strings.HasPrefix(a, prefix) {
				return true
			}
		}
	}
	return false
}

// State returns the state of the named alarm, or an error matching
// ErrNotFound: the one-alarm question tests ask most.
func (e *Engine) State(name string) (alarm.State, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.alarms[name]
	if !ok {
		return 0, notFound("Alarm " + name + " not found")
	}
	return a.base().state, nil
}
