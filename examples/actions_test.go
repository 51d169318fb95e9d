package examples_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// Alarm actions go through an action.Router to a sink per kind: here an
// SNS sink that prints what CloudWatch would publish (subject and JSON
// message; github.com/klaxon-go/klaxon/action/aws publishes it to SNS)
// and an EC2 sink that fails once. The engine retries the failure with
// backoff on its clock (10 s here, plus up to a quarter of jitter),
// keeping the action's idempotency key, and records each final outcome as
// CloudWatch's Action history item.
func Example_actions() {
	ctx := context.Background()
	clk := clock.NewMock()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	clk.Set(t0)
	ec2Calls := 0
	router := &action.Router{
		SNS: action.SinkFunc(func(ctx context.Context, n action.Notification) error {
			msg, err := n.SNSMessage()
			if err != nil {
				return err
			}
			fmt.Printf("%s SNS %s\n  Subject: %s\n  Message: %.70s...\n", clk.Now().Format("15:04:05"), n.Target.Resource, n.Subject(), msg)
			return nil
		}),
		EC2: action.SinkFunc(func(ctx context.Context, n action.Notification) error {
			ec2Calls++
			fmt.Printf("%s EC2 %s, attempt %d\n", clk.Now().Format("15:04:05"), n.Target.Resource, ec2Calls)
			if ec2Calls == 1 {
				return errors.New("RequestLimitExceeded: Request limit exceeded.")
			}
			return nil
		}),
	}
	e, err := klaxon.New(klaxon.Options{Clock: clk, Actions: router,
		ActionRetry: klaxon.RetryPolicy{Attempts: 3, Backoff: 10 * time.Second}})
	if err != nil {
		panic(err)
	}
	err = e.PutMetricAlarm(ctx, alarm.Config{
		AlarmName: "web-1-stuck", Namespace: "AWS/EC2", MetricName: "CPUUtilization", Statistic: "Average",
		Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-0123456789abcdef0"}},
		Period:     60, EvaluationPeriods: 1, Threshold: 99, ComparisonOperator: alarm.GreaterThanOrEqualToThreshold,
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:ops", "arn:aws:automate:us-east-1:ec2:reboot"},
	})
	if err != nil {
		panic(err)
	}
	e.PutMetricData(ctx, "AWS/EC2", []metric.Datum{{MetricName: "CPUUtilization",
		Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-0123456789abcdef0"}}, Value: 100, Timestamp: t0.Add(30 * time.Second)}})
	e.Advance(ctx, 2*time.Minute)

	items, _ := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{AlarmName: "web-1-stuck", HistoryItemType: klaxon.HistoryAction, ScanBy: klaxon.TimestampAscending})
	for _, it := range items {
		fmt.Println(it.Timestamp.Time.Format("15:04:05"), it.HistorySummary)
	}
	// Output:
	// 12:01:00 SNS ops
	//   Subject: ALARM: "web-1-stuck" in US East (N. Virginia)
	//   Message: {"AlarmName":"web-1-stuck","AlarmDescription":null,"AWSAccountId":"123...
	// 12:01:00 EC2 reboot, attempt 1
	// 12:01:11 EC2 reboot, attempt 2
	// 12:01:00 Successfully executed action arn:aws:sns:us-east-1:123456789012:ops
	// 12:01:11 Successfully executed action arn:aws:automate:us-east-1:ec2:reboot
}
