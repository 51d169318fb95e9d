package anomaly_test

// The only use of package alarm by the NAB harness: alarm's Evaluate API
// is changing, and this is the one place to adapt.

import (
	"strconv"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
)

// An alarmSpec is an anomaly alarm's settings: the band width K, N of M,
// and the band operator.
type alarmSpec struct {
	K        float64
	N, M     int
	Operator string
}

// An alarmPeriod is one period of the metric with its band: Missing when
// the period has no value or the model no band.
type alarmPeriod struct {
	Start        time.Time
	Value        float64
	Lower, Upper float64
	Missing      bool
}

// alarmDetections runs the anomaly alarm a over periods (consecutive,
// oldest first, each period long), evaluating it at the end of every
// period over the evaluation range that ends there, and reports for each
// period whether that evaluation moved the alarm into ALARM.
func alarmDetections(t testing.TB, a alarmSpec, period time.Duration, periods []alarmPeriod) []bool {
	t.Helper()
	yes := true
	secs := int(period / time.Second)
	cfg := alarm.Config{
		AlarmName: "nab",
		Metrics: []alarm.MetricDataQuery{
			{Id: "m1", ReturnData: &yes, MetricStat: &alarm.MetricStat{
				Metric: alarm.MetricRef{Namespace: "NAB", MetricName: "value"}, Period: secs, Stat: "Average",
			}},
			{Id: "ad1", ReturnData: &yes, Expression: "ANOMALY_DETECTION_BAND(m1, " + strconv.FormatFloat(a.K, 'g', -1, 64) + ")"},
		},
		ThresholdMetricId:  "ad1",
		ComparisonOperator: a.Operator,
		EvaluationPeriods:  a.N,
		DatapointsToAlarm:  a.M,
		TreatMissingData:   alarm.MissingDataMissing,
	}
	ev, err := alarm.NewEvaluator(cfg, alarm.Options{})
	if err != nil {
		t.Fatalf("alarm: %v", err)
	}
	window := make([]alarm.Datapoint, ev.Range())
	state := alarm.StateInsufficientData
	out := make([]bool, len(periods))
	for j := range periods {
		now := periods[j].Start.Add(period)
		for w := range window {
			k := j - len(window) + 1 + w
			d := alarm.Datapoint{Start: now.Add(time.Duration(w-len(window)) * period), Missing: true}
			if k >= 0 && !periods[k].Missing {
				p := periods[k]
				d = alarm.Datapoint{Start: p.Start, Value: p.Value, SampleCount: 1, Lower: p.Lower, Upper: p.Upper}
			}
			window[w] = d
		}
		res := ev.Evaluate(state, window, now)
		out[j] = res.State == alarm.StateAlarm && state != alarm.StateAlarm
		state = res.State
	}
	return out
}
