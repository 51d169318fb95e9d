package klaxon_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// within fails the test when f does not return in time: a deadlock.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return: deadlock", what)
	}
}

// TestCallbacksMayCallTheEngine: a subscriber that resets an alarm with
// SetAlarmState, and an action that evaluates, do not deadlock, and their
// transitions are published after the one that caused them.
func TestCallbacksMayCallTheEngine(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	cfg := cpuAlarm()
	cfg.TreatMissingData = alarm.MissingDataBreaching
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	var got []string
	e.Subscribe(func(tr klaxon.Transition) {
		got = append(got, tr.From.String()+"->"+tr.To.String())
		if tr.To == alarm.StateAlarm {
			if err := e.SetAlarmState(ctx, tr.AlarmName, alarm.StateOK, "acknowledged", ""); err != nil {
				t.Error(err)
			}
		}
	})
	clk.Set(t0.Add(time.Minute))
	within(t, "EvaluateAt with a subscriber calling SetAlarmState", func() { e.EvaluateAt(ctx, clk.Now()) })
	if diff := cmp.Diff([]string{"INSUFFICIENT_DATA->ALARM", "ALARM->OK"}, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
}

type evaluatingRunner struct{ e **klaxon.Engine }

func (r evaluatingRunner) RunAction(ctx context.Context, a klaxon.Action) error {
	(*r.e).EvaluateAt(ctx, a.Transition.At.Add(time.Minute))
	return nil
}

func TestActionMayCallTheEngine(t *testing.T) {
	ctx := context.Background()
	var e *klaxon.Engine
	e, clk := newEngine(t, evaluatingRunner{&e})
	cfg := cpuAlarm()
	cfg.TreatMissingData = alarm.MissingDataBreaching
	e.PutMetricAlarm(ctx, cfg)
	clk.Set(t0.Add(time.Minute))
	within(t, "EvaluateAt with an action calling EvaluateAt", func() { e.EvaluateAt(ctx, clk.Now()) })
	if n := len(history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction})); n != 1 {
		t.Errorf("%d Action items, want 1", n)
	}
}

// TestConfigIsCopied: the engine keeps its own copy of a configuration,
// and DescribeAlarms hands out copies.
func TestConfigIsCopied(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	cfg := cpuAlarm()
	e.PutMetricAlarm(ctx, cfg)
	cfg.AlarmActions[0] = "changed by the caller"
	cfg.Dimensions[0].Value = "changed"
	a := describe(t, e, klaxon.AlarmFilter{})[0]
	if a.AlarmActions[0] != "arn:aws:sns:us-east-1:123456789012:pager" || a.Dimensions[0].Value != "a" {
		t.Errorf("the caller's slices reached the engine: %v %v", a.AlarmActions, a.Dimensions)
	}
	a.AlarmActions[0] = "changed by a reader"
	if b := describe(t, e, klaxon.AlarmFilter{})[0]; b.AlarmActions[0] != "arn:aws:sns:us-east-1:123456789012:pager" {
		t.Errorf("DescribeAlarms handed out the engine's slice")
	}
}

// TestPercentileAlarmKeepsItsSamples: a percentile alarm created on a
// metric that already has data sees the periods before it as missing (raw
// samples are kept only for metrics a percentile alarm watches: package
// doc, Caveats), reads its own periods, and keeps them across an update.
func TestPercentileAlarmKeepsItsSamples(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	cfg := alarm.Config{AlarmName: "p90", Namespace: "App", MetricName: "Latency", ExtendedStatistic: "p90",
		Period: 60, EvaluationPeriods: 3, Threshold: 50, ComparisonOperator: alarm.GreaterThanThreshold,
		TreatMissingData: alarm.MissingDataBreaching}
	// Ten minutes of data before the alarm exists.
	for m := range 10 {
		clk.Set(t0.Add(time.Duration(m)*time.Minute + 30*time.Second))
		e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "Latency", Values: []float64{10, 20, 30}}})
	}
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	clk.Set(t0.Add(10 * time.Minute))
	evalAt(t, e, clk.Now())
	state := func() string { return describe(t, e, klaxon.AlarmFilter{})[0].StateValue.String() }
	if s := state(); s != "ALARM" {
		t.Errorf("a new p90 alarm on 10 minutes of data, missing data breaching: %s, want ALARM (the periods before it have no samples)", s)
	}
	for m := 10; m < 13; m++ {
		e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "Latency", Values: []float64{10, 20, 30}, Timestamp: t0.Add(time.Duration(m) * time.Minute)}})
		clk.Set(t0.Add(time.Duration(m+1) * time.Minute))
		evalAt(t, e, clk.Now())
	}
	if s := state(); s != "OK" {
		t.Errorf("after three periods of its own: %s, want OK", s)
	}
	cfg.AlarmDescription = "an update"
	e.PutMetricAlarm(ctx, cfg)
	clk.Add(time.Minute)
	e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "Latency", Values: []float64{10, 20, 30}, Timestamp: t0.Add(13 * time.Minute)}})
	evalAt(t, e, clk.Now())
	if s := state(); s != "OK" {
		t.Errorf("after an update: %s, want OK (the update keeps the samples)", s)
	}
}

// TestUnitNone: data sent without a unit is stored as None, as CloudWatch
// stores it; an alarm with Unit None reads it, an alarm with another unit
// does not.
func TestUnitNone(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	for _, u := range []string{"None", "Percent"} {
		cfg := cpuAlarm()
		cfg.AlarmName, cfg.Unit = "unit-"+u, u
		e.PutMetricAlarm(ctx, cfg)
	}
	put(t, e, t0.Add(10*time.Second), 10)
	clk.Set(t0.Add(time.Minute))
	evalAt(t, e, clk.Now())
	var got []string
	for _, a := range describe(t, e, klaxon.AlarmFilter{}) {
		got = append(got, a.AlarmName+" "+a.StateValue.String())
	}
	want := []string{"unit-None OK", "unit-Percent INSUFFICIENT_DATA"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestPanickingSubscriber: a subscriber that panics does not stop the
// publication of later transitions.
func TestPanickingSubscriber(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	e.PutMetricAlarm(ctx, cpuAlarm())
	var seen []string
	first := true
	e.Subscribe(func(tr klaxon.Transition) {
		if first {
			first = false
			panic("subscriber bug")
		}
		seen = append(seen, tr.To.String())
	})
	func() {
		defer func() {
			if r := recover(); r != "subscriber bug" {
				t.Errorf("recovered %v, want the subscriber's panic", r)
			}
		}()
		e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "one", "")
	}()
	e.SetAlarmState(ctx, "cpu-high", alarm.StateOK, "two", "")
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "three", "")
	if diff := cmp.Diff([]string{"OK", "ALARM"}, seen); diff != "" {
		t.Errorf("transitions after the panic (-want +got):\n%s", diff)
	}
}

type ctxKey struct{}

type ctxRecorder struct{ got []string }

func (r *ctxRecorder) RunAction(ctx context.Context, a klaxon.Action) error {
	r.got = append(r.got, ctx.Value(ctxKey{}).(string))
	return nil
}

// TestActionContext: an action runs with the context of the call that
// caused its transition.
func TestActionContext(t *testing.T) {
	rec := &ctxRecorder{}
	e, _ := newEngine(t, rec)
	cfg := cpuAlarm()
	cfg.OKActions = []string{"arn:aws:sns:us-east-1:123456789012:ok"}
	e.PutMetricAlarm(context.Background(), cfg)
	e.SetAlarmState(context.WithValue(context.Background(), ctxKey{}, "a"), "cpu-high", alarm.StateAlarm, "a", "")
	e.SetAlarmState(context.WithValue(context.Background(), ctxKey{}, "b"), "cpu-high", alarm.StateOK, "b", "")
	if diff := cmp.Diff([]string{"a", "b"}, rec.got); diff != "" {
		t.Errorf("contexts the actions ran with (-want +got):\n%s", diff)
	}
}

// TestLongReasonsInHistory: two SetAlarmState reasons of 1023 characters
// that JSON escapes to two bytes each still give HistoryData within 4095
// bytes, cut on character boundaries.
func TestLongReasonsInHistory(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	e.PutMetricAlarm(ctx, cpuAlarm())
	long := strings.Repeat(`"`, 1023)
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, long, "")
	e.SetAlarmState(ctx, "cpu-high", alarm.StateOK, strings.Repeat("€", 1023), "")
	for _, h := range history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryStateUpdate}) {
		if len(h.HistoryData) > klaxon.MaxHistoryData || !json.Valid([]byte(h.HistoryData)) || !utf8.ValidString(h.HistoryData) {
			t.Errorf("%s: %d bytes (max %d), valid JSON %v", h.HistorySummary, len(h.HistoryData), klaxon.MaxHistoryData, json.Valid([]byte(h.HistoryData)))
		}
	}
}
