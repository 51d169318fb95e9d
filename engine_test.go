package klaxon_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func cpuAlarm() alarm.Config {
	return alarm.Config{
		AlarmName: "cpu-high", Namespace: "App", MetricName: "CPU", Statistic: "Average",
		Dimensions: []metric.Dimension{{Name: "Host", Value: "a"}},
		Period:     60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 90,
		ComparisonOperator: alarm.GreaterThanThreshold, AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"},
	}
}

func newEngine(t *testing.T, runner klaxon.ActionRunner) (*klaxon.Engine, *clock.Mock) {
	t.Helper()
	clk := clock.NewMock()
	clk.Set(t0)
	e, err := klaxon.New(klaxon.Options{Clock: clk, Actions: runner})
	if err != nil {
		t.Fatal(err)
	}
	return e, clk
}

func put(t *testing.T, e *klaxon.Engine, at time.Time, v float64) {
	t.Helper()
	err := e.PutMetricData(context.Background(), "App", []metric.Datum{{
		MetricName: "CPU", Dimensions: []metric.Dimension{{Name: "Host", Value: "a"}}, Timestamp: at, Value: v}})
	if err != nil {
		t.Fatal(err)
	}
}

type recorder struct {
	mu   sync.Mutex
	arns []string
	fail error
}

func (r *recorder) RunAction(ctx context.Context, a klaxon.Action) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.arns = append(r.arns, a.ARN+" "+a.Transition.To.String())
	return r.fail
}

// TestEngineSteps drives one alarm through a step table: at each minute
// the datapoint of the minute before arrives, then the engine evaluates.
func TestEngineSteps(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	e, clk := newEngine(t, rec)
	var got []string
	e.Subscribe(func(tr klaxon.Transition) {
		got = append(got, tr.At.Format("15:04")+" "+tr.From.String()+"->"+tr.To.String())
	})
	if err := e.PutMetricAlarm(ctx, cpuAlarm()); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		value float64 // datapoint for the minute that just ended; -1: none
		want  string  // state after the evaluation at the end of the minute
		why   string
	}{
		{50, "OK", "1 real good datapoint, 2 missing: missing policy, a good point decides OK"},
		{95, "OK", "1 of 2 breaching < M = 2"},
		{96, "ALARM", "2 of the last 3 breach"},
		{-1, "ALARM", "one missing minute: 2 of the 3 newest real datapoints (95, 96 and 50 is older) breach"},
		{40, "ALARM", "the 3 newest real datapoints are 95 96 40: 2 breach"},
		{41, "OK", "96 40 41: 1 breaches"},
	}
	for i, s := range steps {
		minute := t0.Add(time.Duration(i) * time.Minute)
		clk.Set(minute.Add(30 * time.Second))
		if s.value >= 0 {
			put(t, e, minute.Add(15*time.Second), s.value)
		}
		clk.Set(minute.Add(time.Minute))
		evalAt(t, e, minute.Add(time.Minute))
		a := describe(t, e, klaxon.AlarmFilter{AlarmNames: []string{"cpu-high"}})
		if diff := cmp.Diff(s.want, a[0].StateValue.String()); diff != "" {
			t.Errorf("step %d (%s) (-want +got):\n%s", i, s.why, diff)
		}
	}
	want := []string{"12:01 INSUFFICIENT_DATA->OK", "12:03 OK->ALARM", "12:06 ALARM->OK"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"arn:aws:sns:us-east-1:123456789012:pager ALARM"}, rec.arns); diff != "" {
		t.Errorf("actions: only ALARM has an action (-want +got):\n%s", diff)
	}
	hist := history(t, e, klaxon.HistoryFilter{ScanBy: "TimestampAscending"})
	var kinds []string
	for _, h := range hist {
		kinds = append(kinds, h.HistoryItemType+": "+h.HistorySummary)
		if !json.Valid([]byte(h.HistoryData)) {
			t.Errorf("invalid HistoryData: %s", h.HistoryData)
		}
	}
	wantKinds := []string{
		`ConfigurationUpdate: Alarm "cpu-high" created`,
		"StateUpdate: Alarm updated from INSUFFICIENT_DATA to OK",
		"StateUpdate: Alarm updated from OK to ALARM",
		"Action: Successfully executed action arn:aws:sns:us-east-1:123456789012:pager",
		"StateUpdate: Alarm updated from ALARM to OK",
	}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	wantData := `{"version":"1.0","oldState":{"stateValue":"INSUFFICIENT_DATA","stateReason":"Unchecked: Initial alarm creation"},"newState":{"stateValue":"OK","stateReason":"Threshold Crossed: 1 out of the last 3 datapoints [50.0 (01/05/24 12:00:00)] was not greater than the threshold (90.0) (minimum 2 datapoints for ALARM -> OK transition).","stateReasonData":{"version":"1.0","queryDate":"2024-05-01T12:01:00.000+0000","startDate":"2024-05-01T12:00:00.000+0000","statistic":"Average","period":60,"recentDatapoints":[50.0],"threshold":90.0,"evaluatedDatapoints":[{"timestamp":"2024-05-01T12:00:00.000+0000","sampleCount":1.0,"value":50.0}]}}}`
	if diff := cmp.Diff(wantData, hist[1].HistoryData); diff != "" {
		t.Errorf("first StateUpdate HistoryData (-want +got):\n%s", diff)
	}
}

func TestEngineErrors(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	tests := []struct {
		name string
		err  error
		want string
		is   error
	}{
		{"DatapointsToAlarm > EvaluationPeriods", e.PutMetricAlarm(ctx, func() alarm.Config { c := cpuAlarm(); c.DatapointsToAlarm = 5; return c }()),
			"alarm: ValidationError: DatapointsToAlarm must be less than or equal to EvaluationPeriods", klaxon.ErrValidation},
		{"SetAlarmState of an unknown alarm", e.SetAlarmState(ctx, "nope", alarm.StateAlarm, "x", ""),
			"klaxon: ResourceNotFound: Alarm nope not found", klaxon.ErrNotFound},
		{"DeleteAlarms of an unknown alarm", e.DeleteAlarms(ctx, "nope"),
			"klaxon: ResourceNotFound: The following alarms were not found: [nope]", klaxon.ErrNotFound},
		{"NaN value", e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: nan()}}),
			"metric: InvalidParameterValue: The value NaN for parameter MetricData.member.1.Value is invalid: values must be finite and within -2^360 to 2^360.", klaxon.ErrValidation},
		{"timestamp too old", e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: 1, Timestamp: t0.Add(-15 * 24 * time.Hour)}}),
			"metric: InvalidParameterValue: The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks. Timestamps are checked against the engine's clock, which reads 2024-05-01T12:00:00Z.", klaxon.ErrValidation},
		{"timestamp too far ahead", e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: 1, Timestamp: t0.Add(2*time.Hour + time.Second)}}),
			"metric: InvalidParameterValue: The parameter MetricData.member.1.Timestamp must specify a time no more than two hours in the future. Timestamps are checked against the engine's clock, which reads 2024-05-01T12:00:00Z.", klaxon.ErrValidation},
		{"bad state reason data", func() error {
			e.PutMetricAlarm(ctx, cpuAlarm())
			return e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "test", "{nope")
		}(), "klaxon: InvalidFormat: Unable to parse the value of StateReasonData as JSON: {nope", klaxon.ErrValidation},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if !errors.Is(tt.err, tt.is) {
			t.Errorf("%s: errors.Is(%v) is false", tt.name, tt.is)
		}
	}
}

// TestSetAlarmState: a forced state lasts until the next evaluation.
func TestSetAlarmState(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	e, clk := newEngine(t, rec)
	e.PutMetricAlarm(ctx, cpuAlarm())
	put(t, e, t0.Add(10*time.Second), 10)
	clk.Set(t0.Add(time.Minute))
	evalAt(t, e, clk.Now())
	clk.Add(20 * time.Second)
	if err := e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "testing only", `{"a":1}`); err != nil {
		t.Fatal(err)
	}
	a := describe(t, e, klaxon.AlarmFilter{})[0]
	if a.StateValue != alarm.StateAlarm || a.StateReason != "testing only" || a.StateReasonData != `{"a":1}` {
		t.Errorf("after SetAlarmState: %v %q %q", a.StateValue, a.StateReason, a.StateReasonData)
	}
	clk.Set(t0.Add(2 * time.Minute))
	evalAt(t, e, clk.Now())
	a = describe(t, e, klaxon.AlarmFilter{})[0]
	if a.StateValue != alarm.StateOK {
		t.Errorf("after the next evaluation: %v, want OK (the forced state lasts one evaluation)", a.StateValue)
	}
	if diff := cmp.Diff([]string{"arn:aws:sns:us-east-1:123456789012:pager ALARM"}, rec.arns); diff != "" {
		t.Errorf("SetAlarmState runs the new state's actions (-want +got):\n%s", diff)
	}
}

func nan() float64 { var z float64; return z / z }

func TestNewOptions(t *testing.T) {
	tests := []struct {
		opts klaxon.Options
		want string
		why  string
	}{
		{klaxon.Options{}, "", "the zero value works"},
		{klaxon.Options{AccountID: "123456789012", Region: "us-gov-west-1"}, "", "a GovCloud Region"},
		{klaxon.Options{AccountID: "12345"}, `klaxon: InvalidParameterValue: Options.AccountID "12345" is not an AWS account ID (12 digits).`, "account IDs have 12 digits"},
		{klaxon.Options{Region: "US East"}, `klaxon: InvalidParameterValue: Options.Region "US East" is not an AWS Region name such as us-east-1.`, "the display name is not the Region name"},
		{klaxon.Options{HistoryRetention: -time.Hour}, `klaxon: InvalidParameterValue: Options.HistoryRetention -1h0m0s is negative.`, "retention cannot be negative"},
	}
	for _, tt := range tests {
		_, err := klaxon.New(tt.opts)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.why, diff)
		}
	}
}

type notRunRunner struct{}

func (notRunRunner) RunAction(ctx context.Context, a klaxon.Action) error {
	return fmt.Errorf("%w: a replay runs no action", klaxon.ErrNotRun)
}

// TestActionNotRun: an action the runner deliberately does not run is
// recorded as such, not as a success or a failure.
func TestActionNotRun(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, notRunRunner{})
	e.PutMetricAlarm(ctx, cpuAlarm())
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "test", "")
	items := history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction})
	if len(items) != 1 {
		t.Fatalf("%d Action items, want 1", len(items))
	}
	want := klaxon.AlarmHistoryItem{AlarmName: "cpu-high", AlarmType: "MetricAlarm", Timestamp: klaxon.Timestamp{t0}, HistoryItemType: "Action",
		HistorySummary: `Did not execute action arn:aws:sns:us-east-1:123456789012:pager. Reason: "the action was not run: a replay runs no action"`,
		HistoryData:    `{"actionState":"NotRun","stateUpdateTimestamp":1714564800000,"notificationResource":"arn:aws:sns:us-east-1:123456789012:pager","error":"the action was not run: a replay runs no action"}`}
	if diff := cmp.Diff(want, items[0]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSubscribeBrief: a brief subscriber gets each transition without its
// reason data, previous reason and configuration copy, whether or not a
// full subscriber or an action makes the engine render them; the rest is
// the full subscriber's transition, field for field.
func TestSubscribeBrief(t *testing.T) {
	ctx := context.Background()
	omitted := func(tr klaxon.Transition) klaxon.Transition { // what Brief must leave
		tr.ReasonData, tr.PreviousReason, tr.PreviousReasonData, tr.MetricAlarm, tr.CompositeAlarm = "", "", "", nil, nil
		return tr
	}
	for _, c := range []struct {
		name                 string
		full, actions, brief bool
	}{
		{"brief alone", false, false, false},
		{"beside a full subscriber", true, false, false},
		{"with actions to run", false, true, false},
		{"with actions to a runner of brief transitions", false, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var runner klaxon.ActionRunner
			var ran []klaxon.Action
			run := klaxon.ActionRunnerFunc(func(ctx context.Context, a klaxon.Action) error { ran = append(ran, a); return nil })
			switch {
			case c.brief:
				runner = briefRunner{run}
			case c.actions:
				runner = run
			}
			e, _ := newEngine(t, runner)
			var brief, full []klaxon.Transition
			e.SubscribeBrief(func(tr klaxon.Transition) { brief = append(brief, tr) })
			if c.full {
				e.Subscribe(func(tr klaxon.Transition) { full = append(full, tr) })
			}
			if err := e.PutMetricAlarm(ctx, cpuAlarm()); err != nil {
				t.Fatal(err)
			}
			put(t, e, t0.Add(10*time.Second), 95)
			put(t, e, t0.Add(70*time.Second), 96)
			evalAt(t, e, t0.Add(2*time.Minute))
			if len(brief) != 1 {
				t.Fatalf("%d brief transitions, want 1", len(brief))
			}
			b := brief[0]
			if b.Reason == "" || b.AlarmArn == "" || b.To != alarm.StateAlarm || b.At.IsZero() || b.PreviousAt.IsZero() {
				t.Errorf("brief transition lacks what it keeps: %+v", b)
			}
			if diff := cmp.Diff(omitted(b), b); diff != "" {
				t.Errorf("brief transition has what it leaves out (-want +got):\n%s", diff)
			}
			if c.full {
				if full[0].ReasonData == "" || full[0].MetricAlarm == nil {
					t.Errorf("the full subscriber lost fields: %+v", full[0])
				}
				if diff := cmp.Diff(omitted(full[0]), b); diff != "" {
					t.Errorf("brief and full transitions differ beyond the omitted fields (-full +brief):\n%s", diff)
				}
			}
			if diff := cmp.Diff(omitted(b), b.Brief()); diff != "" {
				t.Errorf("Brief of a brief transition changed it (-want +got):\n%s", diff)
			}
			switch {
			case c.brief && (len(ran) != 1 || cmp.Diff(b, ran[0].Transition) != ""):
				t.Errorf("actions got %+v, want one with the brief transition %+v", ran, b)
			case !c.brief && c.actions && (len(ran) != 1 || ran[0].Transition.ReasonData == "" || ran[0].Transition.MetricAlarm == nil):
				t.Errorf("actions got %+v, want one with the whole transition", ran)
			}
			if c.actions {
				items, err := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction})
				if err != nil || len(items) != 1 || !strings.Contains(items[0].HistoryData, `"actionState":"Succeeded"`) {
					t.Errorf("the action's history item: %+v, %v", items, err)
				}
			}
		})
	}
}

// briefRunner is an ActionRunner that reads brief transitions only.
type briefRunner struct{ klaxon.ActionRunner }

func (briefRunner) BriefActions() bool { return true }
