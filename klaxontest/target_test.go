package klaxontest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// target chooses the metric a series feeds. The engine refuses
// metric-math alarms other than the anomaly detection form at
// PutMetricAlarm, so this test gives the scenario their configurations
// directly.
func TestTarget(t *testing.T) {
	t.Parallel()
	yes := true
	stat := func(id, name string, period int) alarm.MetricDataQuery {
		return alarm.MetricDataQuery{Id: id, MetricStat: &alarm.MetricStat{
			Metric: alarm.MetricRef{Namespace: "App", MetricName: name, Dimensions: []metric.Dimension{{Name: "Service", Value: "checkout"}}},
			Period: period, Stat: "Average", Unit: "Milliseconds"}}
	}
	band := alarm.Config{AlarmName: "band", EvaluationPeriods: 3, ComparisonOperator: alarm.LessThanLowerOrGreaterThanUpperThreshold,
		ThresholdMetricId: "ad1", Metrics: []alarm.MetricDataQuery{
			stat("m1", "Latency", 300),
			{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", ReturnData: &yes},
		}}
	ratio := alarm.Config{AlarmName: "ratio", EvaluationPeriods: 3, Threshold: 5, ComparisonOperator: alarm.GreaterThanThreshold,
		Metrics: []alarm.MetricDataQuery{
			stat("errors", "Errors", 60), stat("requests", "Requests", 60),
			{Id: "e1", Expression: "100 * errors / requests", ReturnData: &yes},
		}}
	plain := alarm.Config{AlarmName: "plain", Namespace: "App", MetricName: "CPU", Statistic: "Average", Period: 60,
		EvaluationPeriods: 1, ComparisonOperator: alarm.GreaterThanThreshold}
	s := New(t)
	for _, c := range []alarm.Config{band, ratio, plain} {
		s.add(c.AlarmName, &entry{metric: &c})
	}
	s.add("page", &entry{composite: true})

	dims := []metric.Dimension{{Name: "Service", Value: "checkout"}}
	tests := []struct {
		alarm, id string
		want      metricTarget
		err       string
		why       string
	}{
		{"band", "", metricTarget{ns: "App", name: "Latency", dims: dims, unit: "Milliseconds", period: 5 * time.Minute}, "",
			"an anomaly-band alarm's series feeds the metric its band is built on, at that query's period"},
		{"ratio", "requests", metricTarget{ns: "App", name: "Requests", dims: dims, unit: "Milliseconds", period: time.Minute}, "",
			"MetricSeries names one metric of several"},
		{"ratio", "", metricTarget{}, `"ratio" reads 2 metrics (errors, requests): name one with MetricSeries`,
			"with several metrics, Series cannot choose"},
		{"ratio", "e1", metricTarget{}, `"ratio" has no metric of id "e1" (its metrics: errors, requests)`,
			"an expression is computed, not fed"},
		{"plain", "m1", metricTarget{}, `"plain" reads one metric (CPU), not metric math: use Series`,
			"an id means nothing to a single-metric alarm"},
		{"page", "", metricTarget{}, `"page" is a composite alarm, which reads alarms, not metrics: give series to the metric alarms of its rule`,
			"a composite reads no metric"},
	}
	for _, tt := range tests {
		got, err := s.target(tt.alarm, tt.id)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if diff := cmp.Diff(tt.err, gotErr); diff != "" {
			t.Errorf("target(%q, %q) error (%s) (-want +got):\n%s", tt.alarm, tt.id, tt.why, diff)
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(metricTarget{})); diff != "" {
			t.Errorf("target(%q, %q) (%s) (-want +got):\n%s", tt.alarm, tt.id, tt.why, diff)
		}
	}
}
