package klaxon_test

import (
	"context"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// The README's tour: an alarm whose missing data counts as breaching, one
// datapoint, one evaluation, and the alarm as DescribeAlarms returns it.
func ExampleEngine() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	e, err := klaxon.New(klaxon.Options{Clock: clk, Region: "eu-west-1", AccountID: "123456789012"})
	if err != nil {
		panic(err)
	}
	e.Subscribe(func(t klaxon.Transition) { fmt.Println(t.AlarmName, t.From, "->", t.To, t.Reason) })

	err = e.PutMetricAlarm(ctx, alarm.Config{
		AlarmName: "cpu-high", Namespace: "App", MetricName: "CPU", Statistic: "Average",
		Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 90,
		ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataBreaching,
	})
	if err != nil {
		panic(err)
	}
	if err := e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: 95}}); err != nil {
		panic(err)
	}
	if err := e.Advance(ctx, time.Minute); err != nil { // evaluates 12:00:10 ... 12:01:00
		panic(err)
	}
	out, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{})
	if err != nil {
		panic(err)
	}
	a := out.MetricAlarms[0]
	fmt.Println(a.AlarmArn, a.StateValue)
	// Output:
	// cpu-high INSUFFICIENT_DATA -> ALARM Threshold Crossed: 1 out of the last 3 datapoints [95.0 (01/05/24 12:00:00)] was greater than the threshold (90.0) and 2 missing datapoints were treated as [Breaching] (minimum 2 datapoints for OK -> ALARM transition).
	// arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu-high ALARM
}
