package aws_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	klaxonaws "github.com/klaxon-go/klaxon/action/aws"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

const (
	alarmARN = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu-high"
	topicARN = "arn:aws:sns:eu-west-1:123456789012:pager"
	fifoARN  = "arn:aws:sns:eu-west-1:123456789012:pager.fifo"
	stopARN  = "arn:aws:automate:eu-west-1:ec2:stop"
	policy   = "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:0ce7a750-7fa1-46fc-a316-d2647013aa3f:autoScalingGroupName/web:policyName/scale-out"
)

var t0 = time.Date(2024, 5, 1, 12, 3, 0, 0, time.UTC)

// cpuAlarm is the configuration of the alarm the notifications are for:
// CPU of one instance above 80.
func cpuAlarm() *alarm.Config {
	return &alarm.Config{
		AlarmName: "cpu-high", Namespace: "AWS/EC2", MetricName: "CPUUtilization", Statistic: "Average",
		Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-0123456789abcdef0"}},
		Period:     60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 80,
		ComparisonOperator: alarm.GreaterThanThreshold,
	}
}

// notification returns the notification of the action arn for cpu-high's
// change from OK to ALARM at t0.
func notification(t *testing.T, arn string) action.Notification {
	t.Helper()
	target, err := alarm.ParseActionARN(arn)
	if err != nil {
		t.Fatal(err)
	}
	return action.Notification{
		Action: klaxon.Action{
			ARN: arn,
			Key: alarmARN + "/2024-05-01T12:03:00.000+0000/" + arn,
			Transition: klaxon.Transition{
				AlarmName: "cpu-high", AlarmArn: alarmARN, AlarmType: "MetricAlarm",
				From: alarm.StateOK, To: alarm.StateAlarm, At: t0,
				Reason:         "Threshold Crossed: 2 out of the last 3 datapoints [97.5 (01/05/24 12:02:00), 91.0 (01/05/24 12:01:00)] were greater than the threshold (80.0) (minimum 2 datapoints for OK -> ALARM transition).",
				ReasonData:     `{"version":"1.0","queryDate":"2024-05-01T12:03:00.000+0000","startDate":"2024-05-01T12:00:00.000+0000","statistic":"Average","period":60,"recentDatapoints":[40.0,91.0,97.5],"threshold":80.0,"evaluatedDatapoints":[{"timestamp":"2024-05-01T12:02:00.000+0000","sampleCount":1.0,"value":97.5}]}`,
				ActionsEnabled: true,
				MetricAlarm:    cpuAlarm(),
			},
		},
		Target: target,
	}
}

// testMessage is the tests' own SNS message: a fixed text, not
// CloudWatch's message.
func testMessage(n action.Notification) (klaxonaws.Message, error) {
	return klaxonaws.Message{
		Body:      `{"default":"test message for ` + n.Transition.AlarmName + `"}`,
		Subject:   "test: " + n.Transition.To.String(),
		Structure: "json",
	}, nil
}

// fast are options with short backoffs, so that retries take
// milliseconds.
var fast = klaxonaws.Options{MaxBackoff: time.Millisecond}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// form builds url.Values from name, value pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// summary is what a test checks of a request: what it asked of which
// service where, and whether it acted.
type summary struct {
	Service, Region, Action string
	Params                  url.Values
	Acted                   bool
}

func summaries(rs []request) []summary {
	out := []summary{}
	for _, r := range rs {
		out = append(out, summary{r.Service, r.Region, r.Action, r.Params, r.Acted})
	}
	return out
}

func diffRequests(t *testing.T, want []summary, got []request) {
	t.Helper()
	if diff := cmp.Diff(want, summaries(got)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}
