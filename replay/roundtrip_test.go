package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
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
	e, err := klaxon.New(klaxon.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
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
	out, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewEncoder(&buf).Encode(out); err != nil {
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

// TestLongHistory: data older than two weeks before --from replays (it is
// put in calls whose timestamps are within two weeks of each other), and
// an unaligned --from starts at the next evaluation, not before.
func TestLongHistory(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var data []metric.Datum
	for h := range 20 * 24 {
		data = append(data, metric.Datum{MetricName: "m", Timestamp: t0.Add(time.Duration(h) * time.Hour), Value: 1})
	}
	cfg := alarm.Config{AlarmName: "a", Namespace: "App", MetricName: "m", Statistic: "Sum", Period: 3600,
		EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: alarm.GreaterThanThreshold}
	from := t0.Add(19*24*time.Hour + 5*time.Second)
	res, err := replay.Run(ctx, replay.Alarms{Metric: []alarm.Config{cfg}}, memMetrics(t, replay.Batch{Namespace: "App", MetricData: data}), replay.Options{From: from})
	if err != nil {
		t.Fatalf("replay with 19 days before --from: %v", err)
	}
	if want := t0.Add(19*24*time.Hour + time.Minute); !res.From.Equal(want) {
		t.Errorf("first evaluation at %v, want %v (the next whole minute after --from)", res.From, want)
	}
	if len(res.Transitions) == 0 || res.Transitions[0].To != alarm.StateOK {
		t.Errorf("transitions %v: want OK at the first evaluation, from data received before --from", res.Transitions)
	}
}

// TestNoEvaluation: a --from/--until range with no evaluation time in it is
// an error, not an empty replay.
func TestNoEvaluation(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	cfg := alarm.Config{AlarmName: "a", Namespace: "App", MetricName: "m", Statistic: "Sum", Period: 60,
		EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: alarm.GreaterThanThreshold}
	data := memMetrics(t, replay.Batch{Namespace: "App", MetricData: []metric.Datum{{MetricName: "m", Timestamp: t0, Value: 1}}})
	_, err := replay.Run(context.Background(), replay.Alarms{Metric: []alarm.Config{cfg}}, data, replay.Options{From: t0.Add(5 * time.Second), Until: t0.Add(30 * time.Second)})
	want := "replay: no evaluation between From 2024-05-01T12:00:05Z and Until 2024-05-01T12:00:30Z: evaluations happen every 1m0s, the first at 2024-05-01T12:01:00Z"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// memMetrics returns batches as the data of a replay.
func memMetrics(t testing.TB, batches ...replay.Batch) []*replay.Metrics {
	t.Helper()
	m, err := replay.NewMetrics("memory", batches)
	if err != nil {
		t.Fatal(err)
	}
	return []*replay.Metrics{m}
}

// TestHistoryKeptWhole: a replay longer than the engine's default history
// retention (30 days) keeps every item: the first transitions, 40 days
// before the end, are in the history.
func TestHistoryKeptWhole(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var data []metric.Datum
	for h := range 40 * 24 {
		v := 1.0
		if h == 0 {
			v = 10
		}
		data = append(data, metric.Datum{MetricName: "m", Timestamp: t0.Add(time.Duration(h) * time.Hour), Value: v})
	}
	cfg := alarm.Config{AlarmName: "a", Namespace: "App", MetricName: "m", Statistic: "Maximum", Period: 3600,
		EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: alarm.GreaterThanThreshold}
	res, err := replay.Run(context.Background(), replay.Alarms{Metric: []alarm.Config{cfg}}, memMetrics(t, replay.Batch{Namespace: "App", MetricData: data}), replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := res.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) < 2 || hist[0].Timestamp.Time != t0.Add(time.Minute) || !strings.Contains(hist[0].HistorySummary, "to ALARM") {
		t.Fatalf("history starts %v: want the ALARM of 00:01 on the first day, 40 days before the end (a replay keeps its whole history)", hist[:min(2, len(hist))])
	}
}
