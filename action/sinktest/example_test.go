package sinktest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/action/sinktest"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// A Recorder as the SNS sink of an engine: what the alarm's action
// published, as CloudWatch would have.
func ExampleRecorder() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	rec := &sinktest.Recorder{}
	e, _ := klaxon.New(klaxon.Options{Clock: clk, Region: "eu-west-1", Actions: &action.Router{SNS: rec}})
	e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "cpu-high", Namespace: "App", MetricName: "CPU", Statistic: "Average",
		Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold,
		AlarmActions: []string{"arn:aws:sns:eu-west-1:123456789012:ops"}})
	e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: 95}})
	e.Advance(ctx, time.Minute)

	for _, d := range rec.Received() {
		var m struct{ SMS string }
		json.Unmarshal([]byte(d.Payload), &m)
		fmt.Println(m.SMS)
	}
	// Output:
	// ALARM: "cpu-high" in EU (Ireland)
}
