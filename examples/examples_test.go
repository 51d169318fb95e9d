package examples_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
	"github.com/klaxon-go/klaxon/replay"
)

// A static threshold alarm, 2 out of 3 one-minute datapoints above 90,
// driven on a mock clock.
func Example_threshold() {
	ctx := context.Background()
	clk := clock.NewMock()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	clk.Set(t0)
	e, err := klaxon.New(klaxon.Options{Clock: clk})
	if err != nil {
		panic(err)
	}
	e.Subscribe(func(t klaxon.Transition) {
		fmt.Printf("%s %s -> %s: %s\n", t.At.Format("15:04"), t.From, t.To, t.Reason)
	})
	err = e.PutMetricAlarm(ctx, alarm.Config{
		AlarmName: "cpu-high", Namespace: "App", MetricName: "CPU", Statistic: "Average",
		Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 90,
		ComparisonOperator: alarm.GreaterThanThreshold,
	})
	if err != nil {
		panic(err)
	}
	for i, v := range []float64{50, 95, 97, 40, 41} {
		minute := t0.Add(time.Duration(i) * time.Minute)
		clk.Set(minute.Add(30 * time.Second))
		if err := e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: v}}); err != nil {
			panic(err)
		}
		clk.Set(minute.Add(time.Minute))
		e.EvaluateAt(ctx, clk.Now())
	}
	// Output:
	// 12:01 INSUFFICIENT_DATA -> OK: Threshold Crossed: 1 out of the last 3 datapoints [50.0 (01/05/24 12:00:00)] was not greater than the threshold (90.0) (minimum 2 datapoints for ALARM -> OK transition).
	// 12:03 OK -> ALARM: Threshold Crossed: 2 out of the last 3 datapoints [97.0 (01/05/24 12:02:00), 95.0 (01/05/24 12:01:00)] were greater than the threshold (90.0) (minimum 2 datapoints for OK -> ALARM transition).
	// 12:05 ALARM -> OK: Threshold Crossed: 2 out of the last 3 datapoints [41.0 (01/05/24 12:04:00), 40.0 (01/05/24 12:03:00)] were not greater than the threshold (90.0) (minimum 2 datapoints for ALARM -> OK transition).
}

// The four missing-data policies on the same evaluation range: the User
// Guide's Table A row 5, "- - X - -" with M = N = 3 (a premature alarm).
func Example_missingData() {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	window := make([]alarm.Datapoint, 5)
	for i := range window {
		window[i] = alarm.Datapoint{Start: t0.Add(time.Duration(i) * 5 * time.Minute), Missing: true}
	}
	window[2] = alarm.Datapoint{Start: window[2].Start, Value: 99, SampleCount: 1}
	for _, policy := range []string{"missing", "ignore", "breaching", "notBreaching"} {
		ev, err := alarm.NewEvaluator(alarm.Config{
			AlarmName: "a", Namespace: "App", MetricName: "Errors", Statistic: "Sum", Period: 300,
			EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: 10,
			ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: policy,
		}, alarm.Options{})
		if err != nil {
			panic(err)
		}
		r := ev.Evaluate(alarm.StateOK, window, t0.Add(25*time.Minute))
		if r.Retained() {
			fmt.Printf("%-12s keeps %s\n", policy, r.State)
			continue
		}
		fmt.Printf("%-12s %-5s %s\n", policy, r.State, r.Reason())
	}
	// Output:
	// missing      ALARM Threshold Crossed: 1 out of the last 3 datapoints [99.0 (01/05/24 12:10:00)] was greater than the threshold (10.0) (minimum 3 datapoints for OK -> ALARM transition).
	// ignore       keeps OK
	// breaching    ALARM Threshold Crossed: 1 out of the last 3 datapoints [99.0 (01/05/24 12:10:00)] was greater than the threshold (10.0) and 2 missing datapoints were treated as [Breaching] (minimum 3 datapoints for OK -> ALARM transition).
	// notBreaching OK    Threshold Crossed: 0 out of the last 3 datapoints were not greater than the threshold (10.0) and 2 missing datapoints were treated as [NonBreaching] (minimum 1 datapoint for ALARM -> OK transition).
}

// Replaying the bundled example (real EC2 CPUUtilization from the Numenta
// Anomaly Benchmark) through three alarms, as `klaxon replay` does.
func Example_replay() {
	ctx := context.Background()
	af, err := os.Open("testdata/alarms.json")
	if err != nil {
		panic(err)
	}
	defer af.Close()
	alarms, err := replay.ReadAlarms("alarms.json", af)
	if err != nil {
		panic(err)
	}
	ref, _ := replay.SingleMetric(alarms.Metric)
	mf, err := os.Open("testdata/cpu.csv")
	if err != nil {
		panic(err)
	}
	defer mf.Close()
	data, err := replay.OpenMetrics("cpu.csv", mf, replay.ReadOptions{Default: &ref})
	if err != nil {
		panic(err)
	}
	res, err := replay.Run(ctx, alarms, []*replay.Metrics{data}, replay.Options{})
	if err != nil {
		panic(err)
	}
	for _, t := range res.Transitions {
		if t.AlarmName == "cpu-spike" {
			fmt.Println(t.At.Format(time.RFC3339), t.From, "->", t.To)
		}
	}
	hist, err := res.History(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(hist), "history items")
	// Output:
	// 2014-02-26T18:01:00Z INSUFFICIENT_DATA -> OK
	// 2014-02-26T22:06:00Z OK -> ALARM
	// 2014-02-26T22:11:00Z ALARM -> OK
	// 2014-02-27T00:41:00Z OK -> INSUFFICIENT_DATA
	// 2014-02-27T01:01:00Z INSUFFICIENT_DATA -> OK
	// 2014-02-27T03:41:00Z OK -> ALARM
	// 2014-02-27T03:46:00Z ALARM -> OK
	// 23 history items
}
