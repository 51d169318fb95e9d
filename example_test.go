package klaxon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/klaxontest"
	"github.com/klaxon-go/klaxon/metric"
)

// The README's tour, word for word (TestREADME checks it): an alarm whose
// missing data counts as breaching, one datapoint, one Advance of the
// test clock, and the alarm as DescribeAlarms returns it.
func ExampleEngine() {
	ctx := context.Background()
	clk := klaxontest.NewClock(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)) // a test clock; nil in Options is the real clock
	e, err := klaxon.New(klaxon.Options{Clock: clk, Region: "eu-west-1", AccountID: "123456789012"})
	if err != nil {
		panic(err)
	}
	e.Subscribe(func(t klaxon.Transition) { fmt.Println(t.AlarmName, t.From, "->", t.To, t.Reason) })

	err = e.PutMetricAlarm(ctx, alarm.Config{ // the fields of PutMetricAlarm
		AlarmName: "cpu-high", Namespace: "App", MetricName: "CPU", Statistic: "Average",
		Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 90,
		ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataBreaching,
	})
	if err != nil {
		panic(err) // a *klaxon.Error: CloudWatch's code and message, the field, the value
	}
	if err := e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: 95}}); err != nil {
		panic(err)
	}
	// Tests move the clock: Advance evaluates every tick it passes, then returns.
	// Services call go e.Run(ctx), which follows the real clock.
	if err := e.Advance(ctx, time.Minute); err != nil {
		panic(err)
	}
	out, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{}) // {MetricAlarms, CompositeAlarms}, as describe-alarms prints them
	if err != nil {
		panic(err)
	}
	fmt.Println(out.MetricAlarms[0].AlarmArn, out.MetricAlarms[0].StateValue)
	// Output:
	// cpu-high INSUFFICIENT_DATA -> ALARM Threshold Crossed: 1 out of the last 3 datapoints [95.0 (01/05/24 12:00:00)] was greater than the threshold (90.0) and 2 missing datapoints were treated as [Breaching] (minimum 2 datapoints for OK -> ALARM transition).
	// arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu-high ALARM
}

// DescribeAlarms answers in CloudWatch's shape: metric alarms (and, with
// AlarmTypes, composite alarms), each as describe-alarms prints it.
func ExampleEngine_DescribeAlarms() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	e, _ := klaxon.New(klaxon.Options{Clock: clk})
	e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "errors", Namespace: "App", MetricName: "Errors", Statistic: "Sum",
		Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: alarm.GreaterThanThreshold,
		TreatMissingData: alarm.MissingDataNotBreaching})
	e.Advance(ctx, time.Minute)
	out, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{StateValue: "OK"})
	if err != nil {
		panic(err)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Println(string(b))
	// Output:
	// {
	//   "MetricAlarms": [
	//     {
	//       "AlarmName": "errors",
	//       "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors",
	//       "AlarmConfigurationUpdatedTimestamp": "2024-05-01T12:00:00.000Z",
	//       "ActionsEnabled": true,
	//       "OKActions": [],
	//       "AlarmActions": [],
	//       "InsufficientDataActions": [],
	//       "StateValue": "OK",
	//       "StateReason": "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
	//       "StateReasonData": "{\"version\":\"1.0\",\"queryDate\":\"2024-05-01T12:01:00.000+0000\",\"statistic\":\"Sum\",\"period\":60,\"recentDatapoints\":[],\"threshold\":0.0,\"evaluatedDatapoints\":[{\"timestamp\":\"2024-05-01T12:00:00.000+0000\"}]}",
	//       "StateUpdatedTimestamp": "2024-05-01T12:01:00.000Z",
	//       "MetricName": "Errors",
	//       "Namespace": "App",
	//       "Statistic": "Sum",
	//       "Dimensions": [],
	//       "Period": 60,
	//       "EvaluationPeriods": 1,
	//       "Threshold": 0,
	//       "ComparisonOperator": "GreaterThanThreshold",
	//       "TreatMissingData": "notBreaching",
	//       "StateTransitionedTimestamp": "2024-05-01T12:01:00.000Z"
	//     }
	//   ],
	//   "CompositeAlarms": []
	// }
}

// ListMetrics lists the metrics that have received data, with CloudWatch's
// filters.
func ExampleEngine_ListMetrics() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	e, _ := klaxon.New(klaxon.Options{Clock: clk})
	e.PutMetricData(ctx, "AWS/EC2", []metric.Datum{
		{MetricName: "CPUUtilization", Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-1"}}, Value: 12},
		{MetricName: "CPUUtilization", Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-2"}}, Value: 80},
		{MetricName: "NetworkIn", Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-1"}}, Value: 1e6},
	})
	metrics, err := e.ListMetrics(ctx, klaxon.MetricFilter{Dimensions: []klaxon.DimensionFilter{{Name: "InstanceId", Value: "i-1"}}})
	if err != nil {
		panic(err)
	}
	for _, m := range metrics {
		fmt.Println(m.Namespace, m.MetricName, m.Dimensions)
	}
	// Output:
	// AWS/EC2 CPUUtilization [{InstanceId i-1}]
	// AWS/EC2 NetworkIn [{InstanceId i-1}]
}

type printRunner struct{}

func (printRunner) RunAction(ctx context.Context, a klaxon.Action) error {
	t := a.Transition
	fmt.Println("action", a.ARN)
	fmt.Println("  key", a.Key)
	fmt.Println(" ", t.AlarmType, t.AlarmName, t.From, "->", t.To, "at", t.At.Format(time.RFC3339))
	fmt.Println("  previous reason:", t.PreviousReason)
	fmt.Println("  threshold of the alarm at the time:", t.MetricAlarm.Threshold)
	return nil
}

// A Transition is a value of its own, and each Action carries one with an
// idempotency key (the alarm's ARN, the time of the change, the action's
// ARN).
func ExampleAction() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	e, _ := klaxon.New(klaxon.Options{Clock: clk, Actions: printRunner{}})
	e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "heartbeat", Namespace: "App", MetricName: "Beat", Statistic: "Sum",
		Period: 60, EvaluationPeriods: 2, Threshold: 1, ComparisonOperator: alarm.LessThanThreshold,
		TreatMissingData: alarm.MissingDataBreaching, AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"}})
	e.Advance(ctx, time.Minute)
	// Output:
	// action arn:aws:sns:us-east-1:123456789012:pager
	//   key arn:aws:cloudwatch:us-east-1:123456789012:alarm:heartbeat/2024-05-01T12:01:00.000+0000/arn:aws:sns:us-east-1:123456789012:pager
	//   MetricAlarm heartbeat INSUFFICIENT_DATA -> ALARM at 2024-05-01T12:01:00Z
	//   previous reason: Unchecked: Initial alarm creation
	//   threshold of the alarm at the time: 1
}
