package action_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// An SNS sink builds its message and subject from the notification.
func ExampleNotification() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	sns := action.SinkFunc(func(ctx context.Context, n action.Notification) error {
		msg, err := n.SNSMessage()
		if err != nil {
			return err
		}
		fmt.Println(n.Subject())
		fmt.Println(msg[:strings.Index(msg, `,"Trigger"`)] + ",...}")
		return nil
	})
	e, _ := klaxon.New(klaxon.Options{Clock: clk, Region: "eu-west-1", Actions: &action.Router{SNS: sns}})
	e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "cpu-high", Namespace: "App", MetricName: "CPU", Statistic: "Average",
		Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold,
		AlarmActions: []string{"arn:aws:sns:eu-west-1:123456789012:ops"}})
	e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: 95}})
	e.Advance(ctx, time.Minute)
	// Output:
	// ALARM: "cpu-high" in EU (Ireland)
	// {"AlarmName":"cpu-high","AlarmDescription":null,"AWSAccountId":"123456789012","AlarmConfigurationUpdatedTimestamp":"2024-05-01T12:00:00.000+0000","NewStateValue":"ALARM","NewStateReason":"Threshold Crossed: 1 datapoint [95.0 (01/05/24 12:00:00)] was greater than the threshold (90.0).","StateChangeTime":"2024-05-01T12:01:00.000+0000","Region":"EU (Ireland)","AlarmArn":"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu-high","OldStateValue":"INSUFFICIENT_DATA","OKActions":[],"AlarmActions":["arn:aws:sns:eu-west-1:123456789012:ops"],"InsufficientDataActions":[],...}
}

// EventBridge events come with every state change: build them from the
// engine's transitions.
func ExampleFormat_Event() {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	e, _ := klaxon.New(klaxon.Options{Clock: clk})
	e.Subscribe(func(t klaxon.Transition) {
		event, err := action.Format{}.Event(t)
		if err != nil {
			panic(err)
		}
		fmt.Println(event[:strings.Index(event, `,"detail"`)] + ",...}")
	})
	e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "errors", Namespace: "App", MetricName: "Errors", Statistic: "Sum",
		Period: 60, EvaluationPeriods: 1, ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataNotBreaching})
	e.Advance(ctx, time.Minute)
	// Output:
	// {"version":"0","id":"aaea21a0-711b-5bfc-9229-fb52ac94c260","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch","account":"123456789012","time":"2024-05-01T12:01:00Z","region":"us-east-1","resources":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors"],...}
}

// Subjects are ASCII and at most 100 characters long.
func ExampleFormat_Subject() {
	fmt.Println(action.Format{}.Subject(klaxon.Transition{To: alarm.StateAlarm, AlarmName: "Inicio de Sesión",
		AlarmArn: "arn:aws:cloudwatch:sa-east-1:123456789012:alarm:Inicio de Sesión"}))
	// Output:
	// ALARM: "Inicio de Sesi_n" in South America (Sao Paulo)
}
