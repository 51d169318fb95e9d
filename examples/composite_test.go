package examples_test

import (
	"context"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/metric"
)

// A composite alarm pages only when the service is slow and no deployment
// is running: the rule reads two metric alarms, and CloudWatch's reasons
// name the child whose transition changed the composite.
func Example_composite() {
	ctx := context.Background()
	clk := clock.NewMock()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	clk.Set(t0)
	e, err := klaxon.New(klaxon.Options{Clock: clk})
	if err != nil {
		panic(err)
	}
	e.Subscribe(func(t klaxon.Transition) {
		if t.AlarmType == klaxon.CompositeAlarmType {
			fmt.Printf("%s %s %s -> %s: %s\n", t.At.Format("15:04"), t.AlarmName, t.From, t.To, t.Reason)
		}
	})
	for _, c := range []alarm.Config{
		{AlarmName: "latency-high", Namespace: "App", MetricName: "Latency", ExtendedStatistic: "p99", Period: 60,
			EvaluationPeriods: 1, Threshold: 250, ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataNotBreaching},
		{AlarmName: "deploying", Namespace: "App", MetricName: "Deploying", Statistic: "Maximum", Period: 60,
			EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataNotBreaching},
	} {
		if err := e.PutMetricAlarm(ctx, c); err != nil {
			panic(err)
		}
	}
	err = e.PutCompositeAlarm(ctx, composite.Config{
		AlarmName:    "page-oncall",
		AlarmRule:    "ALARM(latency-high) AND NOT ALARM(deploying)",
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"},
	})
	if err != nil {
		panic(err)
	}
	// Minute by minute: slow during a deployment (no page), then slow
	// after it (page), then fast again.
	for i, m := range []struct{ latency, deploying float64 }{{400, 1}, {400, 0}, {90, 0}} {
		at := t0.Add(time.Duration(i)*time.Minute + 10*time.Second)
		e.PutMetricData(ctx, "App", []metric.Datum{
			{MetricName: "Latency", Values: []float64{m.latency}, Timestamp: at},
			{MetricName: "Deploying", Value: m.deploying, Timestamp: at},
		})
		e.Advance(ctx, time.Minute)
	}
	// Output:
	// 12:00 page-oncall INSUFFICIENT_DATA -> OK: arn:aws:cloudwatch:us-east-1:123456789012:alarm:page-oncall was created and its alarm rule evaluates to OK
	// 12:02 page-oncall OK -> ALARM: arn:aws:cloudwatch:us-east-1:123456789012:alarm:deploying transitioned to OK at Wednesday 01 May, 2024 12:02:00 UTC
	// 12:03 page-oncall ALARM -> OK: arn:aws:cloudwatch:us-east-1:123456789012:alarm:latency-high transitioned to OK at Wednesday 01 May, 2024 12:03:00 UTC
}
