package klaxon_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// chained checks that an alarm's StateUpdate items, oldest first, are in
// time order and chain: each one's old state is the previous one's new
// state (a creation, after a delete, starts a new chain).
func chained(t *testing.T, items []klaxon.AlarmHistoryItem) {
	t.Helper()
	var last time.Time
	prevNew := ""
	for i, it := range items {
		if it.HistoryItemType == klaxon.HistoryConfigurationUpdate && strings.HasSuffix(it.HistorySummary, " created") {
			prevNew = ""
		}
		if it.HistoryItemType != klaxon.HistoryStateUpdate {
			continue
		}
		var d struct {
			OldState, NewState struct{ StateValue string }
		}
		if err := json.Unmarshal([]byte(it.HistoryData), &d); err != nil {
			t.Fatalf("item %d: HistoryData is not JSON: %v", i, err)
		}
		if it.Timestamp.Before(last) {
			t.Errorf("item %d at %v comes after one at %v", i, it.Timestamp.Time, last)
		}
		if prevNew != "" && d.OldState.StateValue != prevNew {
			t.Errorf("item %d: from %s, but the item before went to %s", i, d.OldState.StateValue, prevNew)
		}
		last, prevNew = it.Timestamp.Time, d.NewState.StateValue
	}
}

// TestHistoryStaysInOrder: SetAlarmState at 12:01:05 and then the 12:01:00
// evaluation (a late tick) leave a history that is in order and chains:
// the evaluation skips the alarm, whose state was set after it. (It used
// to record 12:01:00 OK->ALARM after 12:01:05 INSUFFICIENT_DATA->OK.)
func TestHistoryStaysInOrder(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	cfg := cpuAlarm()
	cfg.TreatMissingData = alarm.MissingDataBreaching
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	clk.Set(t0.Add(65 * time.Second))
	if err := e.SetAlarmState(ctx, "cpu-high", alarm.StateOK, "forced", ""); err != nil {
		t.Fatal(err)
	}
	evalAt(t, e, t0.Add(time.Minute)) // the 12:01:00 tick, late
	items := history(t, e, klaxon.HistoryFilter{ScanBy: klaxon.TimestampAscending})
	chained(t, items)
	if s, _ := e.State("cpu-high"); s != alarm.StateOK {
		t.Errorf("state %v, want the forced OK: the 12:01:00 evaluation came before it", s)
	}
	evalAt(t, e, t0.Add(2*time.Minute))
	if s, _ := e.State("cpu-high"); s != alarm.StateAlarm {
		t.Errorf("state %v after 12:02:00, want ALARM (missing data breaching)", s)
	}
	chained(t, history(t, e, klaxon.HistoryFilter{ScanBy: klaxon.TimestampAscending}))
}

// TestEvaluateAtMovesForward: an evaluation older than the newest one is
// refused with an error; the newer result stays.
func TestEvaluateAtMovesForward(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	cfg := cpuAlarm()
	cfg.TreatMissingData = alarm.MissingDataBreaching
	e.PutMetricAlarm(ctx, cfg)
	clk.Set(t0.Add(5 * time.Minute))
	evalAt(t, e, t0.Add(5*time.Minute))
	err := e.EvaluateAt(ctx, t0.Add(2*time.Minute))
	want := "klaxon: InvalidParameterValue: The evaluation time 2024-05-01T12:02:00Z is before the engine's newest evaluation, at 2024-05-01T12:05:00Z: evaluations only move forward."
	if err == nil || err.Error() != want || !errors.Is(err, klaxon.ErrValidation) {
		t.Errorf("EvaluateAt(12:02) after 12:05: %v, want %q", err, want)
	}
	if err := e.EvaluateAt(ctx, t0.Add(5*time.Minute)); err != nil {
		t.Errorf("EvaluateAt of the newest time again: %v, want it accepted", err)
	}
	items := history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryStateUpdate})
	if len(items) != 1 || !items[0].Timestamp.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("history: %+v, want the one transition at 12:05", items)
	}
}

// TestTimesOutsideTheRange: times the engine cannot store are refused with
// an error where they are given, instead of wrapping around; history
// filters work with any time.
func TestTimesOutsideTheRange(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	e.PutMetricAlarm(ctx, cpuAlarm())
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"EvaluateAt(1500)", e.EvaluateAt(ctx, time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)),
			"klaxon: InvalidParameterValue: The value 1500-01-01T00:00:00Z for EvaluateAt's time is invalid: Klaxon works with times from 1900-01-01 to 2200-01-01."},
		{"EvaluateAt(zero)", e.EvaluateAt(ctx, time.Time{}),
			"klaxon: InvalidParameterValue: The value 0001-01-01T00:00:00Z for EvaluateAt's time is invalid: Klaxon works with times from 1900-01-01 to 2200-01-01."},
		{"EvaluateAt(2262)", e.EvaluateAt(ctx, time.Date(2262, 6, 1, 0, 0, 0, 0, time.UTC)),
			"klaxon: InvalidParameterValue: The value 2262-06-01T00:00:00Z for EvaluateAt's time is invalid: Klaxon works with times from 1900-01-01 to 2200-01-01."},
		{"New with a clock at year 1", func() error {
			c := clock.NewMock()
			c.Set(time.Time{})
			_, err := klaxon.New(klaxon.Options{Clock: c})
			return err
		}(), "klaxon: InvalidParameterValue: The engine's clock reads 0001-01-01T00:00:00Z, outside the times Klaxon works with (1900-01-01 to 2200-01-01); set the clock first (a new clock.Mock reads 1970-01-01)."},
		{"PutMetricData with the clock moved to 2300", func() error {
			clk.Set(time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC))
			defer clk.Set(t0)
			return e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: 1}})
		}(), "klaxon: InvalidParameterValue: The engine's clock reads 2300-01-01T00:00:00Z, outside the times Klaxon works with (1900-01-01 to 2200-01-01); set the clock first (a new clock.Mock reads 1970-01-01)."},
	}
	for _, tt := range tests {
		got := ""
		if tt.err != nil {
			got = tt.err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// Filters: any time works, and none wraps around; both bounds are
	// inclusive.
	items := history(t, e, klaxon.HistoryFilter{})
	all, first := len(items), items[len(items)-1].Timestamp.Time
	for _, f := range []struct {
		f    klaxon.HistoryFilter
		want int
		why  string
	}{
		{klaxon.HistoryFilter{StartDate: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, 0, "nothing happened after 3000"},
		{klaxon.HistoryFilter{EndDate: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, all, "everything happened before 9999"},
		{klaxon.HistoryFilter{StartDate: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)}, all, "everything happened after year 1"},
		{klaxon.HistoryFilter{EndDate: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)}, 0, "nothing happened before 1500"},
		{klaxon.HistoryFilter{StartDate: first, EndDate: first}, 1, "the first item is at its own time"},
		{klaxon.HistoryFilter{StartDate: first.Add(-time.Nanosecond), EndDate: first.Add(-time.Nanosecond)}, 0, "nothing a nanosecond before the first"},
	} {
		if n := len(history(t, e, f.f)); n != f.want {
			t.Errorf("%s: %d items, want %d", f.why, n, f.want)
		}
	}
}

// TestRetentionFollowsTheClock: an evaluation ahead of the clock (31 days)
// drops nothing: retention counts from the engine's clock, not from the
// newest item.
func TestRetentionFollowsTheClock(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	cfg := cpuAlarm()
	cfg.TreatMissingData = alarm.MissingDataBreaching
	e.PutMetricAlarm(ctx, cfg)
	e.SetAlarmState(ctx, "cpu-high", alarm.StateOK, "forced", "")
	evalAt(t, e, t0.Add(31*24*time.Hour))
	if n := len(history(t, e, klaxon.HistoryFilter{})); n != 3 {
		t.Errorf("%d items, want 3 (creation, SetAlarmState, the evaluation 31 days ahead)", n)
	}
	chained(t, history(t, e, klaxon.HistoryFilter{ScanBy: klaxon.TimestampAscending}))
}

// TestHistoryPerAlarm: with a cap, an alarm that flaps keeps its newest
// items only; the others keep theirs.
func TestHistoryPerAlarm(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(t0)
	e, err := klaxon.New(klaxon.Options{Clock: clk, HistoryPerAlarm: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"flapping", "calm"} {
		cfg := cpuAlarm()
		cfg.AlarmName = n
		e.PutMetricAlarm(ctx, cfg)
	}
	for i := range 20 {
		e.SetAlarmState(ctx, "flapping", alarm.State(1+i%2), "flap "+string(rune('a'+i)), "")
	}
	e.SetAlarmState(ctx, "calm", alarm.StateOK, "once", "")
	flap := history(t, e, klaxon.HistoryFilter{AlarmName: "flapping", ScanBy: klaxon.TimestampAscending})
	if len(flap) != 5 || flap[4].HistorySummary != "Alarm updated from OK to ALARM" || !strings.Contains(flap[4].HistoryData, "flap t") {
		t.Errorf("flapping: %d items, the newest %q", len(flap), flap[len(flap)-1].HistoryData)
	}
	if calm := history(t, e, klaxon.HistoryFilter{AlarmName: "calm"}); len(calm) != 2 {
		t.Errorf("calm: %d items, want 2", len(calm))
	}
}

// TestValidatedArguments: filters and arguments outside their enums or
// ranges are errors, not silent empty or unlimited answers; nil callbacks
// are refused where they are passed.
func TestValidatedArguments(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	e.PutMetricAlarm(ctx, cpuAlarm())
	_, histScan := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{ScanBy: "ascending"})
	_, histType := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{HistoryItemType: "State"})
	_, histMax := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{MaxRecords: -1})
	_, histDates := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{StartDate: t0, EndDate: t0.Add(-time.Second)})
	_, state := e.DescribeAlarms(ctx, klaxon.AlarmFilter{StateValue: "alarm"})
	_, types := e.DescribeAlarms(ctx, klaxon.AlarmFilter{AlarmTypes: []string{"Metric"}})
	_, both := e.DescribeAlarms(ctx, klaxon.AlarmFilter{AlarmNames: []string{"a"}, AlarmNamePrefix: "a"})
	_, parents := e.DescribeAlarms(ctx, klaxon.AlarmFilter{ParentsOfAlarmName: "a", StateValue: "OK"})
	_, maxr := e.DescribeAlarms(ctx, klaxon.AlarmFilter{MaxRecords: 101})
	_, dims := e.ListMetrics(ctx, klaxon.MetricFilter{Dimensions: []klaxon.DimensionFilter{{Value: "x"}}})
	tests := []struct {
		err  error
		want string
	}{
		{histScan, "klaxon: ValidationError: 1 validation error detected: Value 'ascending' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [TimestampDescending, TimestampAscending]"},
		{histType, "klaxon: ValidationError: 1 validation error detected: Value 'State' at 'historyItemType' failed to satisfy constraint: Member must satisfy enum value set: [ConfigurationUpdate, StateUpdate, Action, AlarmContributorStateUpdate, AlarmContributorAction]"},
		{histMax, "klaxon: ValidationError: 1 validation error detected: Value '-1' at 'maxRecords' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{histDates, "klaxon: InvalidParameterValue: The parameter EndDate (2024-05-01T11:59:59Z) must not be before StartDate (2024-05-01T12:00:00Z)."},
		{state, "klaxon: ValidationError: 1 validation error detected: Value 'alarm' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [OK, ALARM, INSUFFICIENT_DATA]"},
		{types, "klaxon: ValidationError: 1 validation error detected: Value 'Metric' at 'alarmTypes.1.member' failed to satisfy constraint: Member must satisfy enum value set: [CompositeAlarm, MetricAlarm, LogAlarm]"},
		{both, "klaxon: ValidationError: The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both."},
		{parents, "klaxon: ValidationError: With ParentsOfAlarmName, no other parameter but MaxRecords may be given (got StateValue)."},
		{maxr, "klaxon: ValidationError: 1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{dims, "klaxon: MissingParameter: The parameter Dimensions.member.1.Name is required."},
		{e.DeleteAlarms(ctx), "klaxon: MissingParameter: The parameter AlarmNames is required."},
		{e.DeleteAlarms(ctx, ""), "klaxon: ValidationError: 1 validation error detected: Value '' at 'alarmNames.1.member' failed to satisfy constraint: Member must have length between 1 and 255"},
		{e.Run(nil), "klaxon: Run needs a context (context.Background() runs until the process ends)"}, //lint:ignore SA1012 the nil context is the point
	}
	for _, tt := range tests {
		got := ""
		if tt.err != nil {
			got = tt.err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "Subscribe(nil)") {
				t.Errorf("Subscribe(nil): recovered %v, want a panic at the call that names it", r)
			}
		}()
		e.Subscribe(nil)
	}()
}

// TestErrorsAreAPIErrors: every error is a *klaxon.Error and satisfies the
// AWS SDK's smithy.APIError, so SDK-style code reads its code and message.
func TestErrorsAreAPIErrors(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	bad := cpuAlarm()
	bad.Threshold = math.NaN()
	bad.Statistic = "p99"
	for _, tt := range []struct {
		err   error
		code  string
		field string
		is    error
	}{
		{e.PutMetricAlarm(ctx, bad), "ValidationError", "Statistic", klaxon.ErrValidation},
		{e.SetAlarmState(ctx, "nope", alarm.StateOK, "", ""), "ResourceNotFound", "", klaxon.ErrNotFound},
		{e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: math.Inf(1)}}), "InvalidParameterValue", "MetricData.member.1.Value", klaxon.ErrValidation},
	} {
		var api smithy.APIError
		if !errors.As(tt.err, &api) || api.ErrorCode() != tt.code || api.ErrorFault() != smithy.FaultClient || api.ErrorMessage() == "" {
			t.Errorf("%v: not a smithy.APIError with code %s", tt.err, tt.code)
		}
		var ke *klaxon.Error
		if !errors.As(tt.err, &ke) || ke.Field != tt.field {
			t.Errorf("%v: *klaxon.Error with Field %q, want %q", tt.err, fieldOf(ke), tt.field)
		}
		if !errors.Is(tt.err, tt.is) {
			t.Errorf("%v: errors.Is(%v) is false", tt.err, tt.is)
		}
	}
}

func fieldOf(e *klaxon.Error) string {
	if e == nil {
		return "<none>"
	}
	return e.Field
}

// TestStatisticValuesThatWouldOverflow: a StatisticValues whose average
// would be infinite is rejected, so that no reason or history item ever
// carries Infinity (which is not JSON).
func TestStatisticValuesThatWouldOverflow(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	err := e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU",
		StatisticValues: &metric.StatisticSet{SampleCount: 1e-300, Sum: math.Ldexp(1, 360), Minimum: 1, Maximum: math.Ldexp(1, 360)}}})
	if err == nil || !strings.Contains(err.Error(), "must be finite and within -2^360 to 2^360") {
		t.Errorf("PutMetricData: %v, want the average rejected", err)
	}
}

// TestActionRegions: an alarm acts in its own Region and partition; an
// action ARN elsewhere is refused with CloudWatch's message.
func TestActionRegions(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil) // us-east-1
	for _, tt := range []struct {
		arn, want string
	}{
		{"arn:aws:sns:eu-west-1:123456789012:pager", "klaxon: ValidationError: Invalid region eu-west-1 specified. Only us-east-1 is supported."},
		{"arn:aws-us-gov:sns:us-gov-west-1:123456789012:pager", "klaxon: ValidationError: Invalid partition aws-us-gov specified. Only aws is supported."},
		{"arn:aws:automate:us-west-2:ec2:reboot", "klaxon: ValidationError: Invalid region us-west-2 specified. Only us-east-1 is supported."},
		{"arn:aws:ssm-incidents::123456789012:responseplan/p", ""},
	} {
		cfg := cpuAlarm()
		cfg.Dimensions = []metric.Dimension{{Name: "InstanceId", Value: "i-1"}}
		cfg.AlarmActions = []string{tt.arn}
		got := ""
		if err := e.PutMetricAlarm(ctx, cfg); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.arn, got, tt.want)
		}
	}
}
