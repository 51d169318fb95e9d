package aws_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	klaxonaws "github.com/klaxon-go/klaxon/action/aws"
	"github.com/klaxon-go/klaxon/metric"
)

// TestEngine runs the sinks as a klaxon engine's actions through
// action.Router: every outcome becomes the Action history item CloudWatch
// writes, a failure with AWS's error.
func TestEngine(t *testing.T) {
	const simple = "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:9d3c0b4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e:autoScalingGroupName/web:policyName/scale-out-simple"
	f := newFake(t)
	f.addPolicy("web", "scale-out", "StepScaling", policy)
	f.addPolicy("web", "scale-out-simple", "SimpleScaling", simple)
	f.fail("Publish", reply{status: 403, code: "AuthorizationError", message: "CloudWatch Alarms is not authorized to perform: SNS:Publish on resource: " + topicARN})
	f.fail("ExecutePolicy", reply{}, reply{status: 400, code: "ScalingActivityInProgress", message: "Scaling activity 1b2c is in progress and blocks this action"})

	sinks := klaxonaws.New(f.config(), fast)
	sinks.SNS.Message = testMessage
	clk := clock.NewMock()
	clk.Set(t0)
	e, err := klaxon.New(klaxon.Options{Clock: clk, AccountID: "123456789012", Region: "eu-west-1", Actions: sinks.Router()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cfg := *cpuAlarm()
	cfg.EvaluationPeriods, cfg.DatapointsToAlarm = 1, 0
	cfg.AlarmActions = []string{topicARN, stopARN, policy, simple}
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	clk.Add(30 * time.Second)
	if err := e.PutMetricData(ctx, "AWS/EC2", []metric.Datum{{MetricName: "CPUUtilization", Dimensions: cfg.Dimensions, Value: 97.5}}); err != nil {
		t.Fatal(err)
	}
	clk.Add(30 * time.Second)
	e.EvaluateAt(ctx, clk.Now())

	items, err := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{AlarmName: "cpu-high", HistoryItemType: klaxon.HistoryAction, ScanBy: "TimestampAscending"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.HistorySummary)
	}
	want := []string{
		"Failed to execute action " + topicARN + `. Received error: "aws: SNS Publish for ` + topicARN + ": AuthorizationError: CloudWatch Alarms is not authorized to perform: SNS:Publish on resource: " + topicARN + `"`,
		"Successfully executed action " + stopARN,
		"Successfully executed action " + policy,
		"Did not execute action " + simple + `. Reason: "aws: Auto Scaling ExecutePolicy for ` + simple + `: ScalingActivityInProgress: Scaling activity 1b2c is in progress and blocks this action"`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Action history (-want +got):\n%s", diff)
	}
	// The step policy got the datapoint that crossed the threshold.
	diffRequests(t, []summary{
		{"sns", "eu-west-1", "Publish", form("TopicArn", topicARN, "Message", `{"default":"test message for cpu-high"}`, "Subject", "test: ALARM", "MessageStructure", "json"), false},
		{"ec2", "eu-west-1", "StopInstances", form("InstanceId.1", "i-0123456789abcdef0"), true},
		describe,
		{"autoscaling", "eu-west-1", "ExecutePolicy", form("AutoScalingGroupName", "web", "PolicyName", "scale-out", "BreachThreshold", "80", "MetricValue", "97.5"), true},
		{"autoscaling", "eu-west-1", "DescribePolicies", form("AutoScalingGroupName", "web", "PolicyNames.member.1", "scale-out-simple"), true},
		{"autoscaling", "eu-west-1", "ExecutePolicy", form("AutoScalingGroupName", "web", "PolicyName", "scale-out-simple", "HonorCooldown", "true"), false},
	}, f.got())
}

// TestLoadDefaultEndpoints: LoadDefault takes credentials and endpoints
// from the SDK's default chain, so AWS_ENDPOINT_URL points every client at
// a compatible endpoint, and AWS_ENDPOINT_URL_<SERVICE> one service.
func TestLoadDefaultEndpoints(t *testing.T) {
	all, snsOnly := newFake(t), newFake(t)
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            all.srv.URL,
		"AWS_ENDPOINT_URL_SNS":        snsOnly.srv.URL,
		"AWS_ACCESS_KEY_ID":           testKeyID,
		"AWS_SECRET_ACCESS_KEY":       testSecret,
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  "us-west-2",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             none,
		"AWS_SHARED_CREDENTIALS_FILE": none,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_MAX_ATTEMPTS":            "7", // not the sinks' policy: ignored
	} {
		t.Setenv(k, v)
	}
	if _, ok := os.LookupEnv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"); ok {
		t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")
	}
	ctx := context.Background()
	sinks, err := klaxonaws.LoadDefault(ctx, fast)
	if err != nil {
		t.Fatal(err)
	}
	sinks.SNS.Message = testMessage
	all.fail("StopInstances", reply{status: 503, code: "RequestLimitExceeded", message: "Request limit exceeded."},
		reply{status: 503, code: "RequestLimitExceeded", message: "Request limit exceeded."},
		reply{status: 503, code: "RequestLimitExceeded", message: "Request limit exceeded."})
	r := sinks.Router()
	if err := r.RunAction(ctx, notification(t, topicARN).Action); err != nil {
		t.Error(err)
	}
	err = r.RunAction(ctx, notification(t, stopARN).Action)
	if want := "aws: EC2 StopInstances for " + stopARN + ": RequestLimitExceeded: Request limit exceeded. (after 3 attempts)"; err == nil || err.Error() != want {
		t.Errorf("error %v,\nwant %s", err, want)
	}
	if got := summaries(snsOnly.got()); len(got) != 1 || got[0].Action != "Publish" {
		t.Errorf("the SNS endpoint got %v, want the Publish", got)
	}
	// Three attempts, the sinks' bound, not AWS_MAX_ATTEMPTS' seven.
	if got := summaries(all.got()); len(got) != 3 || got[0].Action != "StopInstances" {
		t.Errorf("the general endpoint got %v, want StopInstances three times", got)
	}
}

// TestRouterWithoutSinks: Router leaves out the sinks that are nil, so
// their actions fail as actions without a sink rather than panicking.
func TestRouterWithoutSinks(t *testing.T) {
	r := (&klaxonaws.Sinks{}).Router()
	err := r.RunAction(context.Background(), notification(t, topicARN).Action)
	if err == nil || err.Error() != "no sink for this kind of action: sns actions ("+topicARN+")" {
		t.Errorf("error %v", err)
	}
}
