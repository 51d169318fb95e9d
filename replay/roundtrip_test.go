package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
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

// TestHistoryStreamed: Options.History gets, while the replay runs, the
// items EachHistory gives after it, in the same order (days that end on
// an evaluation, a replay that ends mid-day, actions, composites); its
// error stops the replay and is Run's.
func TestHistoryStreamed(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var data []metric.Datum
	for m := range 3*24*60 + 7*60 {
		v := 1.0
		if m%(6*60+17) < 9 || m%(24*60) >= 24*60-5 || m%(24*60) < 3 { // a burst every 6 h 17 min, and one across each midnight
			v = 10
		}
		data = append(data, metric.Datum{MetricName: "m", Timestamp: t0.Add(time.Duration(m) * time.Minute), Value: v})
	}
	metricAlarm := func(name string, n int) alarm.Config {
		return alarm.Config{AlarmName: name, Namespace: "App", MetricName: "m", Statistic: "Maximum", Period: 60,
			EvaluationPeriods: n, Threshold: 5, ComparisonOperator: alarm.GreaterThanThreshold,
			AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:ops"}}
	}
	alarms := replay.Alarms{Metric: []alarm.Config{metricAlarm("fast", 1), metricAlarm("slow", 5)},
		Composite: []composite.Config{{AlarmName: "either", AlarmRule: "ALARM(fast) OR ALARM(slow)"}}}
	for _, until := range []time.Time{{}, t0.Add(2*24*time.Hour - time.Minute), t0.Add(2 * 24 * time.Hour)} {
		var streamed []klaxon.AlarmHistoryItem
		res, err := replay.Run(ctx, alarms, memMetrics(t, replay.Batch{Namespace: "App", MetricData: data}), replay.Options{Until: until,
			History: func(h klaxon.AlarmHistoryItem) error { streamed = append(streamed, h); return nil }})
		if err != nil {
			t.Fatal(err)
		}
		after, err := res.History(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) < 40 {
			t.Fatalf("until %v: %d items, want the bursts' transitions and actions", until, len(after))
		}
		if diff := cmp.Diff(after, streamed); diff != "" {
			t.Errorf("until %v: the items given while the replay ran (-after +during):\n%s", until, diff)
		}
	}
	errStop := errors.New("stop")
	n := 0
	_, err := replay.Run(ctx, alarms, memMetrics(t, replay.Batch{Namespace: "App", MetricData: data}), replay.Options{
		History: func(h klaxon.AlarmHistoryItem) error {
			if n++; n == 3 {
				return errStop
			}
			return nil
		}})
	if !errors.Is(err, errStop) || n != 3 {
		t.Errorf("a History that fails on its third item: Run's error %v after %d items, want %v after 3", err, n, errStop)
	}
}
