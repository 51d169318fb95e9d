package replay

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// lintAlarm is a valid alarm that no rule flags; rows change it.
func lintAlarm(change func(c *alarm.Config)) alarm.Config {
	c := alarm.Config{AlarmName: "a", Namespace: "App", MetricName: "CPU", Statistic: "Average",
		Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-1"}},
		Period:     60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 90,
		ComparisonOperator: alarm.GreaterThanThreshold}
	if change != nil {
		change(&c)
	}
	return c
}

func TestLint(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	every5 := func(ns, name string, dims ...metric.Dimension) Batch {
		var data []metric.Datum
		for i := range 4 {
			data = append(data, metric.Datum{MetricName: name, Dimensions: dims, Timestamp: t0.Add(time.Duration(i) * 5 * time.Minute), Value: 1})
		}
		return Batch{Namespace: ns, MetricData: data}
	}
	inst := metric.Dimension{Name: "InstanceId", Value: "i-1"}
	tests := []struct {
		name  string
		alarm alarm.Config
		opts  alarm.Options
		data  []Batch // nil: lint without data
		want  []string
		why   string
	}{
		{"clean", lintAlarm(nil), alarm.Options{}, nil, nil, "a plain 3-of-5 alarm with an InstanceId: nothing to say"},
		{"never fires", lintAlarm(func(c *alarm.Config) {
			c.Statistic, c.ComparisonOperator, c.Threshold, c.EvaluationPeriods, c.DatapointsToAlarm = "SampleCount", alarm.LessThanThreshold, 1, 3, 0
		}), alarm.Options{}, nil, []string{
			`a.json: alarm "a" can never fire: a period with data has a SampleCount of at least 1, so only missing data could be below the threshold (1), and TreatMissingData "missing" does not count missing data as breaching; use "breaching" for an alarm on missing data [never-fires]`,
		}, "SampleCount < 1 is only ever true of missing periods, which \"missing\" leaves out"},
		{"never fires, breaching", lintAlarm(func(c *alarm.Config) {
			c.Statistic, c.ComparisonOperator, c.Threshold, c.EvaluationPeriods, c.DatapointsToAlarm, c.TreatMissingData = "SampleCount", alarm.LessThanThreshold, 1, 5, 0, "breaching"
		}), alarm.Options{}, nil, nil, "the same heartbeat with breaching fires; N = 5 is not 'small'"},
		{"percentile M = 1", lintAlarm(func(c *alarm.Config) {
			c.Statistic, c.ExtendedStatistic, c.DatapointsToAlarm = "", "p99", 1
		}), alarm.Options{}, nil, []string{
			`a.json: alarm "a" DatapointsToAlarm 1 on a percentile (p99): one period's p99, which a few slow samples decide, puts the alarm in ALARM; ask for M out of N (such as 3 out of 5) [percentile-single-period]`,
		}, "one noisy period of a percentile is enough"},
		{"percentile M = 3", lintAlarm(func(c *alarm.Config) { c.Statistic, c.ExtendedStatistic = "", "p99" }), alarm.Options{}, nil, nil, "3 of 5 percentiles is the advice itself"},
		{"DynamoDB without policy", lintAlarm(func(c *alarm.Config) { c.Namespace, c.Dimensions = "AWS/DynamoDB", nil }), alarm.Options{}, nil, []string{
			`a.json: alarm "a" TreatMissingData is not set, and alarms on AWS/DynamoDB then ignore missing data: the alarm keeps its state through gaps instead of going to INSUFFICIENT_DATA; set TreatMissingData to say what a gap means [dynamodb-missing-data]`,
		}, "the User Guide's DynamoDB exception"},
		{"DynamoDB strict", lintAlarm(func(c *alarm.Config) {
			c.Namespace, c.Dimensions, c.TreatMissingData = "AWS/DynamoDB", nil, "notBreaching"
		}),
			alarm.Options{StrictDynamoDB: true}, nil, []string{
				`a.json: alarm "a" TreatMissingData "notBreaching" is ignored: with StrictDynamoDB, alarms on AWS/DynamoDB always ignore missing data [dynamodb-missing-data]`,
			}, "the API reference's reading ignores the policy"},
		{"DynamoDB with policy", lintAlarm(func(c *alarm.Config) {
			c.Namespace, c.Dimensions, c.TreatMissingData = "AWS/DynamoDB", nil, "notBreaching"
		}),
			alarm.Options{}, nil, nil, "a set policy is used"},
		{"heartbeat", lintAlarm(func(c *alarm.Config) {
			c.Period, c.EvaluationPeriods, c.DatapointsToAlarm, c.TreatMissingData = 300, 3, 2, "breaching"
		}), alarm.Options{}, nil, []string{
			`a.json: alarm "a" heartbeat-style alarm (missing data breaching, 3 evaluation periods): it fires 10m0s after the metric stops, once 2 of the newest periods are missing (evaluations see whole periods only, a minute or so after the last datapoint's minute ends); a datapoint that arrives late fires it too [heartbeat-delay]`,
		}, "breaching with N <= 3: the delay is M x Period"},
		{"no matching metric", lintAlarm(func(c *alarm.Config) { c.Dimensions = []metric.Dimension{{Name: "instanceId", Value: "i-1"}} }), alarm.Options{},
			[]Batch{every5("App", "CPU", inst), every5("App", "Memory", inst)}, []string{
				`a.json: alarm "a" matches no metric of the data: the alarm reads App CPU {instanceId=i-1}; the nearest metric in the data is App CPU {InstanceId=i-1} (names and dimensions are case-sensitive) [no-matching-metric]`,
			}, "dimension names are case-sensitive; the nearest identity is named"},
		{"period below resolution", lintAlarm(nil), alarm.Options{}, []Batch{every5("App", "CPU", inst)}, []string{
			`a.json: alarm "a" Period 60 is shorter than the data's resolution: the datapoints of App CPU {InstanceId=i-1} are at least 5m0s apart, so most periods have no datapoint (they are missing data) [period-below-resolution]`,
		}, "one-minute periods over five-minute data"},
		{"period at resolution", lintAlarm(func(c *alarm.Config) { c.Period = 300 }), alarm.Options{}, []Batch{every5("App", "CPU", inst)}, nil, "five-minute periods over five-minute data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Alarms{File: "a.json", Metric: []alarm.Config{tt.alarm}, MetricAt: []Location{{File: "a.json", Name: "a"}}}
			var data []*Metrics
			if tt.data != nil {
				m, err := NewMetrics("m", tt.data)
				if err != nil {
					t.Fatal(err)
				}
				data = []*Metrics{m}
			}
			var got []string
			for _, f := range Lint(a, data, tt.opts) {
				got = append(got, f.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}
