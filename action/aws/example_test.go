package aws_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	klaxonaws "github.com/klaxon-go/klaxon/action/aws"
	"github.com/klaxon-go/klaxon/alarm"
)

// The sinks on the SDK's default configuration (credentials and endpoints
// from the environment, the shared files or the instance role), as a
// klaxon engine's actions. It needs AWS, so it is not run.
func ExampleLoadDefault() {
	ctx := context.Background()
	sinks, err := klaxonaws.LoadDefault(ctx, klaxonaws.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// SNS actions publish CloudWatch's message; to publish your own:
	sinks.SNS.Message = func(n action.Notification) (klaxonaws.Message, error) {
		t := n.Transition
		return klaxonaws.Message{
			Subject: t.To.String() + ": " + t.AlarmName,
			Body:    t.AlarmName + " is " + t.To.String() + ": " + t.Reason,
		}, nil
	}
	e, err := klaxon.New(klaxon.Options{Region: "us-east-1", AccountID: "123456789012", Actions: sinks.Router()})
	if err != nil {
		log.Fatal(err)
	}
	go e.Run(ctx)
}

// The SNS sink on a configuration that points at another endpoint (here
// an in-process stand-in for SNS that prints what it receives), driven by
// an engine on a mock clock.
func ExampleNew() {
	sns := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		fmt.Printf("%s %s\n  Subject: %s\n  MessageStructure: %s\n  Message: %.60s...\n", r.Form.Get("Action"), r.Form.Get("TopicArn"),
			r.Form.Get("Subject"), r.Form.Get("MessageStructure"), r.Form.Get("Message"))
		fmt.Fprint(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>1</MessageId></PublishResult></PublishResponse>`)
	}))
	defer sns.Close()

	cfg := sdkaws.Config{
		BaseEndpoint: sdkaws.String(sns.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "example-secret", ""),
	}
	sinks := klaxonaws.New(cfg, klaxonaws.Options{}) // SNS publishes CloudWatch's message

	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	e, _ := klaxon.New(klaxon.Options{Clock: clk, Region: "us-east-1", AccountID: "123456789012", Actions: sinks.Router()})
	e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "heartbeat", Namespace: "App", MetricName: "Beat", Statistic: "Sum",
		Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: alarm.LessThanThreshold,
		TreatMissingData: alarm.MissingDataBreaching, AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"}})
	e.Advance(ctx, time.Minute)

	items, _ := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{AlarmName: "heartbeat", HistoryItemType: klaxon.HistoryAction})
	fmt.Println(items[0].HistorySummary)
	// Output:
	// Publish arn:aws:sns:us-east-1:123456789012:pager
	//   Subject: ALARM: "heartbeat" in US East (N. Virginia)
	//   MessageStructure: json
	//   Message: {"default":"{\"AlarmName\":\"heartbeat\",\"AlarmDescription\...
	// Successfully executed action arn:aws:sns:us-east-1:123456789012:pager
}
