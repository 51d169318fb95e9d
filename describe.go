package klaxon

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// A MetricAlarm is one alarm as DescribeAlarms returns it, in CloudWatch's
// JSON shape (the MetricAlarms of `aws cloudwatch describe-alarms`).
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

// AlarmFilter selects alarms; zero fields select everything.
type AlarmFilter struct {
	AlarmNames      []string
	AlarmNamePrefix string
	StateValue      string // "OK", "ALARM" or "INSUFFICIENT_DATA"
	ActionPrefix    string // alarms with an action ARN that starts with it
}

// DescribeAlarms returns the alarms f selects, sorted by name as CloudWatch
// returns them.
func (e *Engine) DescribeAlarms(ctx context.Context, f AlarmFilter) []MetricAlarm {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []MetricAlarm
	for name, rec := range e.alarms {
		c := rec.ev.Config()
		cur := rec.current()
		if len(f.AlarmNames) > 0 && !slices.Contains(f.AlarmNames, name) ||
			f.AlarmNamePrefix != "" && !strings.HasPrefix(name, f.AlarmNamePrefix) ||
			f.StateValue != "" && cur.value.String() != f.StateValue ||
			f.ActionPrefix != "" && !hasPrefixed(f.ActionPrefix, c.OKActions, c.AlarmActions, c.InsufficientDataActions) {
			continue
		}
		out = append(out, MetricAlarm{
			AlarmName: name, AlarmArn: e.arn(name), AlarmDescription: c.AlarmDescription,
			AlarmConfigurationUpdatedTimestamp: Timestamp{rec.configUpdated.time()},
			ActionsEnabled:                     rec.enabled,
			OKActions:                          clone(c.OKActions), AlarmActions: clone(c.AlarmActions),
			InsufficientDataActions: clone(c.InsufficientDataActions),
			StateValue:              cur.value, StateReason: cur.Reason(), StateReasonData: cur.ReasonData(),
			StateUpdatedTimestamp: Timestamp{cur.at.time()},
			MetricName:            c.MetricName, Namespace: c.Namespace, Statistic: c.Statistic,
			ExtendedStatistic: c.ExtendedStatistic, Dimensions: clone(c.Dimensions), Period: c.Period, Unit: c.Unit,
			EvaluationPeriods: c.EvaluationPeriods, DatapointsToAlarm: c.DatapointsToAlarm, Threshold: c.Threshold,
			ComparisonOperator: c.ComparisonOperator, TreatMissingData: c.TreatMissingData,
			EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile, Metrics: c.Clone().Metrics,
			ThresholdMetricId: c.ThresholdMetricId, StateTransitionedTimestamp: Timestamp{rec.transitioned.time()},
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AlarmName < out[j].AlarmName })
	return out
}

func hasPrefixed(prefix string, lists ...[]string) bool {
	for _, l := range lists {
		for _, a := range l {
			if strings.HasPrefix(a, prefix) {
				return true
			}
		}
	}
	return false
}

// clone copies a list for the caller; nil becomes [], as CloudWatch
// prints empty lists.
func clone[T any](l []T) []T {
	return append(make([]T, 0, len(l)), l...)
}

func joinErrors(errs []error) error { return errors.Join(errs...) }
