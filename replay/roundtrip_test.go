package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
	"github.com/klaxon-go/klaxon/replay"
)

// TestDescribeAlarmsRoundTrip: what the engine's DescribeAlarms prints, in
// the shape of `aws cloudwatch describe-alarms`, reads back as the same
// configurations.
func TestDescribeAlarmsRoundTrip(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	e := klaxon.New(klaxon.Options{Clock: clk})
	off := false
	cfgs := []alarm.Config{
		{AlarmName: "a-latency", AlarmDescription: "p99 over 250 ms", Namespace: "App", MetricName: "Latency",
			ExtendedStatistic: "p99", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}, Period: 60, Unit: "Milliseconds",
			EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 250, ComparisonOperator: alarm.GreaterThanOrEqualToThreshold,
			TreatMissingData: "notBreaching", EvaluateLowSampleCountPercentile: "ignore",
			AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"}},
		{AlarmName: "b-errors", ActionsEnabled: &off, Namespace: "App", MetricName: "Errors", Statistic: "Sum",
			Period: 300, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: alarm.GreaterThanThreshold},
	}
	for _, c := range cfgs {
		if err := e.PutMetricAlarm(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(map[string]any{"MetricAlarms": e.DescribeAlarms(ctx, klaxon.AlarmFilter{}), "CompositeAlarms": []any{}}); err != nil {
		t.Fatal(err)
	}
	got, err := replay.ReadAlarms("describe.json", &buf)
	if err != nil {
		t.Fatalf("reading DescribeAlarms output back: %v", err)
	}
	// DescribeAlarms prints ActionsEnabled true and empty action lists
	// explicitly; the configurations mean the same.
	on := true
	want := []alarm.Config{cfgs[0], cfgs[1]}
	want[0].ActionsEnabled = &on
	if diff := cmp.Diff(want, got.Metric, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
