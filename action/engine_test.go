package action_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/metric"
)

// These tests drive a real Engine on a mock clock to the state of a
// captured payload, take the notification the Router hands its sink, and
// compare the payload with the capture, after substituting what the
// engine cannot reproduce (the times of its own schedule, the anonymised
// account of a capture): the Transition carries everything a payload is
// built from.

// notifications is a Sink that keeps what it is given.
type notifications struct {
	mu   sync.Mutex
	list []action.Notification
}

func (s *notifications) Deliver(ctx context.Context, n action.Notification) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, n)
	return nil
}

func (s *notifications) last(t *testing.T) action.Notification {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.list) == 0 {
		t.Fatal("no notification was delivered")
	}
	return s.list[len(s.list)-1]
}

func readCapture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "captures", name))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".json") {
		return strings.TrimSuffix(string(b), "\n")
	}
	return string(b)
}

func stamp(t time.Time) string { return string(cwfmt.AppendTime(nil, t, cwfmt.JSONTime)) }

func mustTime(s string) time.Time {
	t, err := time.Parse(cwfmt.JSONTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newEngine(t *testing.T, at time.Time, account, region string, f action.Format) (*klaxon.Engine, *clock.Mock, *notifications) {
	t.Helper()
	clk := clock.NewMock()
	clk.Set(at)
	sink := &notifications{}
	e, err := klaxon.New(klaxon.Options{Clock: clk, AccountID: account, Region: region,
		Actions: &action.Router{SNS: sink, Lambda: sink, Format: f}})
	if err != nil {
		t.Fatal(err)
	}
	return e, clk, sink
}

func check(t *testing.T, what, want, got string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s is not the captured payload (-want +got):\n%s", what, diff)
	}
}

// The 2025 metric alarm: OK with no data (notBreaching), then one
// datapoint above the threshold. The engine evaluates on its own
// schedule, so the capture's StateChangeTime is replaced by the engine's.
func TestEngineMetric2025(t *testing.T) {
	ctx := context.Background()
	const name = "[TITLE-TEST-ALARM] Title of Broken Alarm"
	e, clk, sink := newEngine(t, mustTime("2025-09-16T16:54:41.676+0000"), "308535385114", "us-east-1", action.Format{})
	err := e.PutMetricAlarm(ctx, alarm.Config{
		AlarmName: name, AlarmDescription: `Body of alarm.\nStats:\nTEAM=foobar\nPriority=P1`,
		AlarmActions: []string{"arn:aws:sns:us-east-1:308535385114:alerting-dev-alerts"},
		MetricName:   "run.ghrunners.perOrg.perRunnerType.busy", Namespace: "gh-ci-scaleUp-dim", Statistic: "Average",
		Dimensions: []metric.Dimension{{Name: "Org", Value: "pytorch"}, {Name: "RunnerType", Value: "linux.2xlarge"}},
		Period:     60, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 580,
		ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataNotBreaching,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Advance(ctx, mustTime("2025-09-16T16:58:30.000+0000").Sub(clk.Now())); err != nil {
		t.Fatal(err)
	}
	if s, _ := e.State(name); s != alarm.StateOK {
		t.Fatalf("before the datapoint the alarm is %v, want OK (missing data is not breaching)", s)
	}
	if err := e.PutMetricData(ctx, "gh-ci-scaleUp-dim", []metric.Datum{{MetricName: "run.ghrunners.perOrg.perRunnerType.busy",
		Dimensions: []metric.Dimension{{Name: "Org", Value: "pytorch"}, {Name: "RunnerType", Value: "linux.2xlarge"}},
		Timestamp:  mustTime("2025-09-16T16:58:10.000+0000"), Value: 596.3636363636364}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Advance(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	n := sink.last(t)
	got, err := n.SNSMessage()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(readCapture(t, "sns-metric-2025.json"), "2025-09-16T16:59:17.131+0000", stamp(n.Transition.At), 1)
	check(t, "the engine's SNS message", want, got)
}

// The 2021 composite alarm: two children, the composite OK at creation,
// then the first child set to ALARM at the capture's very millisecond:
// nothing is substituted.
func TestEngineComposite2021(t *testing.T) {
	ctx := context.Background()
	const prefix = "arn:aws:cloudwatch:us-east-1:427809481713:alarm:"
	e, clk, sink := newEngine(t, mustTime("2021-11-10T02:00:00.000+0000"), "427809481713", "us-east-1", action.Format{Layout: action.Layout2021})
	children := []string{"if-sim-app_427809481713_us-east-1-metric_emitting_node_failure", "if-sim-app_427809481713_us-east-1-metric_emitting_long_execution"}
	for _, c := range children {
		if err := e.PutMetricAlarm(ctx, alarm.Config{AlarmName: c, Namespace: "App", MetricName: c, Statistic: "Sum",
			Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: alarm.GreaterThanThreshold,
			TreatMissingData: alarm.MissingDataNotBreaching}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "if-sim-app_427809481713_us-east-1-test_node_monitor",
		AlarmRule:    "ALARM(" + prefix + children[0] + ") OR ALARM(" + prefix + children[1] + ")",
		AlarmActions: []string{"arn:aws:sns:us-east-1:427809481713:if-sim-app"}}); err != nil {
		t.Fatal(err)
	}
	clk.Set(mustTime("2021-11-10T02:45:55.640+0000"))
	if err := e.SetAlarmState(ctx, children[0], alarm.StateAlarm, "test", ""); err != nil {
		t.Fatal(err)
	}
	n := sink.last(t)
	got, err := n.SNSMessage()
	if err != nil {
		t.Fatal(err)
	}
	check(t, "the engine's SNS message", readCapture(t, "sns-composite-2021.json"), got)
	check(t, "the engine's subject", `ALARM: "if-sim-app_427809481713_us-east-1-test_node_monitor" in US East (N. Virginia)`, n.Subject())
}

// The 2022 composite alarm set to ALARM with SetAlarmState, at the
// capture's millisecond. The capture's account (123456) is not an account
// the engine takes: it is replaced by 123456789012; and the capture's
// console link names the alarm as its anonymiser forgot to.
func TestEngineComposite2022(t *testing.T) {
	ctx := context.Background()
	e, clk, sink := newEngine(t, mustTime("2022-11-06T17:00:00.000+0000"), "123456789012", "eu-west-1", action.Format{})
	for _, c := range []string{"dummy-function-DummyErrorAlarm-1LWOKJ2U4UZ2U", "dummy-function-DummyErrorPercentageAlarm-PM5CG7X05G4P"} {
		if err := e.PutMetricAlarm(ctx, alarm.Config{AlarmName: c, Namespace: "App", MetricName: c, Statistic: "Sum",
			Period: 60, EvaluationPeriods: 1, ComparisonOperator: alarm.GreaterThanThreshold}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "some-alarm-name", AlarmDescription: "Test dummy alarm",
		AlarmRule:    "ALARM(dummy-function-DummyErrorAlarm-1LWOKJ2U4UZ2U) OR ALARM(dummy-function-DummyErrorPercentageAlarm-PM5CG7X05G4P)",
		AlarmActions: []string{"arn:aws:sns:eu-west-1:123456789012:some-topic-name"}}); err != nil {
		t.Fatal(err)
	}
	clk.Set(mustTime("2022-11-06T17:43:53.496+0000"))
	if err := e.SetAlarmState(ctx, "some-alarm-name", alarm.StateAlarm, "forced test reason", ""); err != nil {
		t.Fatal(err)
	}
	n := sink.last(t)
	account := strings.NewReplacer(":123456:", ":123456789012:", `"AWSAccountId":"123456"`, `"AWSAccountId":"123456789012"`,
		"AWS Account:                123456\n", "AWS Account:                123456789012\n",
		"alarm/Dummy%20composite%20alarm", "alarm/some-alarm-name")
	router := &action.Router{}
	var parts struct{ Default, SMS, Email string }
	if err := json.Unmarshal([]byte(router.PublishedMessage(n.Action)), &parts); err != nil {
		t.Fatalf("Router.PublishedMessage: %v", err)
	}
	check(t, "the default of the engine's published message", account.Replace(readCapture(t, "sns-composite-2022.json")), parts.Default)
	check(t, "the sms of the engine's published message", `ALARM: "some-alarm-name" in EU (Ireland)`, parts.SMS)
	check(t, "the email of the engine's published message", account.Replace(readCapture(t, "email-composite-2022.txt")), parts.Email)
}

// transitions is a subscriber that keeps the transitions of one alarm.
type transitions struct {
	mu   sync.Mutex
	name string
	list []klaxon.Transition
}

func (s *transitions) add(t klaxon.Transition) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.AlarmName == s.name {
		s.list = append(s.list, t)
	}
}

// The User Guide's composite event: a composite with a suppressor, OK at
// its creation, then ALARM when a child enters ALARM, its actions held by
// the WaitPeriod. The example's id is random, and its reasons name alarms
// other than those of its reason data and rule (an editing slip of the
// example): those are substituted.
func TestEngineCompositeEvent(t *testing.T) {
	ctx := context.Background()
	e, clk, _ := newEngine(t, mustTime("2022-07-14T16:28:00.000+0000"), "123456789012", "us-east-1", action.Format{})
	for _, c := range []string{"ServerCpuTooHigh", "TotalNetworkTrafficTooHigh", "ServiceMaintenanceAlarm"} {
		if err := e.PutMetricAlarm(ctx, alarm.Config{AlarmName: c, Namespace: "App", MetricName: c, Statistic: "Sum",
			Period: 60, EvaluationPeriods: 1, ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataIgnore}); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []struct{ name, at string }{
		{"ServerCpuTooHigh", "2022-07-14T16:28:54.191+0000"}, {"TotalNetworkTrafficTooHigh", "2022-07-14T16:28:57.770+0000"},
		{"ServiceMaintenanceAlarm", "2022-07-14T16:29:00.000+0000"},
	} {
		clk.Set(mustTime(s.at))
		if err := e.SetAlarmState(ctx, s.name, alarm.StateOK, "test", ""); err != nil {
			t.Fatal(err)
		}
	}
	got := &transitions{name: "ServiceAggregatedAlarm"}
	e.Subscribe(got.add)
	clk.Set(mustTime("2022-07-22T15:56:14.552+0000"))
	if err := e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "ServiceAggregatedAlarm",
		AlarmRule:         "ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)",
		ActionsSuppressor: "ServiceMaintenanceAlarm", ActionsSuppressorWaitPeriod: ptr(120), ActionsSuppressorExtensionPeriod: ptr(180)}); err != nil {
		t.Fatal(err)
	}
	clk.Set(mustTime("2022-07-22T15:57:45.394+0000"))
	if err := e.SetAlarmState(ctx, "ServerCpuTooHigh", alarm.StateAlarm, "test", ""); err != nil {
		t.Fatal(err)
	}
	if len(got.list) != 2 {
		t.Fatalf("%d transitions of the composite, want 2 (created OK, then ALARM): %+v", len(got.list), got.list)
	}
	event, err := action.Format{}.Event(got.list[1])
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ ID string }
	if err := json.Unmarshal([]byte(event), &env); err != nil {
		t.Fatal(err)
	}
	// The example lists the children of the creation reason data newest
	// state first; the engine lists them in the rule's order (the order of
	// CloudWatch's list is unpublished): the two entries are swapped.
	const (
		cpu     = `{\"arn\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh\",\"state\":{\"value\":\"OK\",\"timestamp\":\"2022-07-14T16:28:54.191+0000\"}}`
		network = `{\"arn\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh\",\"state\":{\"value\":\"OK\",\"timestamp\":\"2022-07-14T16:28:57.770+0000\"}}`
	)
	slips := strings.NewReplacer("d3dfc86d-384d-24c8-0345-9f7986db0b80", env.ID, network+","+cpu, cpu+","+network,
		"alarm:SuppressionDemo.EventBridge.FirstChild transitioned", "alarm:ServerCpuTooHigh transitioned",
		"alarm:SuppressionDemo.EventBridge.Main was created", "alarm:ServiceAggregatedAlarm was created")
	check(t, "the engine's event", slips.Replace(compactJSON(t, readCapture(t, "event-composite.json"))), event)
}

// The User Guide's Lambda payload: a composite with a suppressor enters
// ALARM, its actions are held by the WaitPeriod, and run when it ends,
// two minutes later. The example's alarmArn names another alarm than its
// alarmName: that is substituted.
func TestEngineLambdaRelease(t *testing.T) {
	ctx := context.Background()
	e, clk, sink := newEngine(t, mustTime("2023-08-04T12:50:00.000+0000"), "111122223333", "us-east-1", action.Format{})
	for _, c := range []string{"CompositeDemo.FirstChild", "CompositeDemo.SecondChild", "CompositeDemo.ActionsSuppressor"} {
		if err := e.PutMetricAlarm(ctx, alarm.Config{AlarmName: c, Namespace: "App", MetricName: c, Statistic: "Sum",
			Period: 60, EvaluationPeriods: 1, ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataIgnore}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "CompositeDemo.Main",
		AlarmRule:         "ALARM(CompositeDemo.FirstChild) OR ALARM(CompositeDemo.SecondChild)",
		AlarmActions:      []string{"arn:aws:lambda:us-east-1:111122223333:function:on-alarm"},
		ActionsSuppressor: "CompositeDemo.ActionsSuppressor", ActionsSuppressorWaitPeriod: ptr(120), ActionsSuppressorExtensionPeriod: ptr(180)}); err != nil {
		t.Fatal(err)
	}
	clk.Set(mustTime("2023-08-04T12:54:46.138+0000"))
	if err := e.SetAlarmState(ctx, "CompositeDemo.FirstChild", alarm.StateAlarm, "test", ""); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	held := len(sink.list)
	sink.mu.Unlock()
	if held != 0 {
		t.Fatalf("%d notifications during the WaitPeriod, want none", held)
	}
	if err := e.Advance(ctx, 3*time.Minute); err != nil {
		t.Fatal(err)
	}
	n := sink.last(t)
	got, err := n.LambdaPayload()
	if err != nil {
		t.Fatal(err)
	}
	slip := strings.NewReplacer("alarm:SuppressionDemo.Main", "alarm:CompositeDemo.Main")
	check(t, "the engine's Lambda payload", slip.Replace(readCapture(t, "lambda-composite.json")), got)
}

func ptr[T any](v T) *T { return &v }

func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
