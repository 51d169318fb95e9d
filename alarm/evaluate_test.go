package alarm_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/series"
	"github.com/klaxon-go/klaxon/internal/spectables"
)

var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// specWindow turns the spec's notation ("0 - X - X", oldest first: 0 not
// breaching, X breaching, - missing) into a window for an alarm with
// threshold 2 and GreaterThanThreshold: 0 is the value 1, X the value 3.
func specWindow(s string, period time.Duration) []alarm.Datapoint {
	var w []alarm.Datapoint
	for i, f := range strings.Fields(s) {
		d := alarm.Datapoint{Start: t0.Add(time.Duration(i) * period), SampleCount: 1}
		switch f {
		case "0":
			d.Value = 1
		case "X":
			d.Value = 3
		case "-":
			d.Missing = true
		default:
			panic("bad spec notation " + f)
		}
		w = append(w, d)
	}
	return w
}

// window turns series notation into a window starting at start.
func window(s string, start time.Time, period time.Duration) []alarm.Datapoint {
	var w []alarm.Datapoint
	for i, p := range series.MustParse(s) {
		d := alarm.Datapoint{Start: start.Add(time.Duration(i) * period), Value: p.Value, Missing: p.Missing}
		if !p.Missing {
			d.SampleCount = 1
		}
		w = append(w, d)
	}
	return w
}

func staticConfig(m, n int, policy string) alarm.Config {
	return alarm.Config{
		AlarmName: "a", Namespace: "Test", MetricName: "m", Statistic: "Average",
		Period: 300, EvaluationPeriods: n, DatapointsToAlarm: m, Threshold: 2,
		ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: policy,
	}
}

func mustEvaluator(t testing.TB, cfg alarm.Config) *alarm.Evaluator {
	t.Helper()
	e, err := alarm.NewEvaluator(cfg, alarm.Options{})
	if err != nil {
		t.Fatalf("NewEvaluator: %v", err)
	}
	return e
}

// keep marks a "retain current state" cell of the published tables.
const keep = spectables.Keep

var policies = spectables.Policies

func TestMissingDataTables(t *testing.T) {
	for _, row := range spectables.MissingData {
		for col, pol := range policies {
			e := mustEvaluator(t, staticConfig(row.M, 3, pol))
			w := specWindow(row.Points, 5*time.Minute)
			now := t0.Add(25 * time.Minute)
			for _, prev := range []alarm.State{alarm.StateInsufficientData, alarm.StateOK, alarm.StateAlarm} {
				r := e.Evaluate(prev, w, now)
				want := row.Want[col]
				if want == keep {
					want = prev.String()
					if !r.Retained() {
						t.Errorf("M=%d %q %s prev %v: not retained (%s)", row.M, row.Points, pol, prev, row.Why)
					}
				}
				if diff := cmp.Diff(want, r.State.String()); diff != "" {
					t.Errorf("M=%d %q %s prev %v (%s) (-want +got):\n%s", row.M, row.Points, pol, prev, row.Why, diff)
				}
			}
		}
	}
}

// TestPrematureAlarmProse covers the cases of the User Guide's prose on
// premature alarm states (spec §3.5) and the model's edges (§3.6).
func TestPrematureAlarmProse(t *testing.T) {
	tests := []struct {
		m, n   int
		points string
		policy string
		want   string
		why    string
	}{
		{3, 3, "- - - - X", "missing", "INSUFFICIENT_DATA", "the X is too recent: the next datapoint may be good"},
		{3, 3, "- - - X -", "missing", "INSUFFICIENT_DATA", "X at age 2 < M = 3"},
		{3, 3, "- - - X 0", "missing", "OK", "the good datapoint the prose expects next"},
		{3, 3, "- - X - 0", "missing", "OK", "a good datapoint after the X blocks the premature rule"},
		{3, 3, "X - - - -", "missing", "ALARM", "caveat (b): a breaching datapoint older than N periods still counts (the range, not N, is read)"},
		{3, 3, "- - - - X", "ignore", keep, "ignore keeps the state where missing would say INSUFFICIENT_DATA"},
		{1, 3, "- - - - X", "missing", "ALARM", "M = 1: one breach is enough"},
		{2, 3, "- - - X X", "missing", "ALARM", "two real breaches reach M = 2 without the premature rule"},
		{3, 3, "0 0 0 0 X", "breaching", "OK", "policy unused with N real datapoints: 1 of the newest 3 breaches"},
		{3, 5, "X X X X - - -", "missing", "ALARM", "4 real breaching datapoints with M = 3 of N = 5"},
		{3, 5, "0 0 X - - - X", "missing", "OK", "real good datapoints keep it OK: 2 < 3"},
	}
	for _, tt := range tests {
		e := mustEvaluator(t, staticConfig(tt.m, tt.n, tt.policy))
		r := e.Evaluate(alarm.StateOK, specWindow(tt.points, 5*time.Minute), t0.Add(time.Hour))
		want := tt.want
		if want == keep {
			want = "OK"
		}
		if diff := cmp.Diff(want, r.State.String()); diff != "" {
			t.Errorf("M=%d N=%d %q %s (%s) (-want +got):\n%s", tt.m, tt.n, tt.points, tt.policy, tt.why, diff)
		}
	}
}

func TestOperators(t *testing.T) {
	tests := []struct {
		op    string
		value float64
		want  string
		why   string
	}{
		{alarm.GreaterThanThreshold, 2, "OK", "equal is not greater"},
		{alarm.GreaterThanThreshold, 2.0001, "ALARM", "just above"},
		{alarm.GreaterThanOrEqualToThreshold, 2, "ALARM", "equal counts"},
		{alarm.GreaterThanOrEqualToThreshold, 1.9, "OK", "below"},
		{alarm.LessThanThreshold, 2, "OK", "equal is not less"},
		{alarm.LessThanThreshold, -5, "ALARM", "below"},
		{alarm.LessThanOrEqualToThreshold, 2, "ALARM", "equal counts"},
		{alarm.LessThanOrEqualToThreshold, 2.5, "OK", "above"},
	}
	for _, tt := range tests {
		cfg := staticConfig(0, 1, "")
		cfg.ComparisonOperator = tt.op
		e := mustEvaluator(t, cfg)
		w := window(fmt.Sprint(tt.value), t0, 5*time.Minute)
		r := e.Evaluate(alarm.StateInsufficientData, w, t0.Add(5*time.Minute))
		if diff := cmp.Diff(tt.want, r.State.String()); diff != "" {
			t.Errorf("%s %v (%s) (-want +got):\n%s", tt.op, tt.value, tt.why, diff)
		}
	}
}

func TestDynamoDB(t *testing.T) {
	tests := []struct {
		policy string
		strict bool
		want   string
		why    string
	}{
		{"", false, "OK", "unset policy: AWS/DynamoDB ignores missing data and keeps OK"},
		{"breaching", false, "ALARM", "current User Guide: an explicit policy overrides the DynamoDB default"},
		{"breaching", true, "OK", "StrictDynamoDB: the API reference's 'always ignore'"},
		{"missing", true, "OK", "StrictDynamoDB ignores even an explicit missing"},
	}
	for _, tt := range tests {
		cfg := staticConfig(0, 1, tt.policy)
		cfg.Namespace = "AWS/DynamoDB"
		e, err := alarm.NewEvaluator(cfg, alarm.Options{StrictDynamoDB: tt.strict})
		if err != nil {
			t.Fatal(err)
		}
		r := e.Evaluate(alarm.StateOK, window("_ _ _", t0, time.Minute), t0.Add(3*time.Minute))
		if diff := cmp.Diff(tt.want, r.State.String()); diff != "" {
			t.Errorf("policy %q strict %v (%s) (-want +got):\n%s", tt.policy, tt.strict, tt.why, diff)
		}
	}
}

func TestLowSamplePercentile(t *testing.T) {
	cfg := staticConfig(0, 1, "")
	cfg.Statistic = ""
	cfg.ExtendedStatistic = "p90" // too few below 100 samples
	tests := []struct {
		setting string
		count   float64
		want    string
		why     string
	}{
		{"ignore", 99, "OK", "99 < 100 samples: the state does not change"},
		{"ignore", 100, "ALARM", "100 samples are enough for p90"},
		{"evaluate", 5, "ALARM", "evaluate: always evaluated"},
		{"", 5, "ALARM", "unset means evaluate"},
	}
	for _, tt := range tests {
		c := cfg
		c.EvaluateLowSampleCountPercentile = tt.setting
		e := mustEvaluator(t, c)
		w := []alarm.Datapoint{{Start: t0, Missing: true}, {Start: t0.Add(5 * time.Minute), Missing: true}, {Start: t0.Add(10 * time.Minute), Value: 9, SampleCount: tt.count}}
		r := e.Evaluate(alarm.StateOK, w, t0.Add(15*time.Minute))
		if diff := cmp.Diff(tt.want, r.State.String()); diff != "" {
			t.Errorf("%q with %v samples (%s) (-want +got):\n%s", tt.setting, tt.count, tt.why, diff)
		}
	}
}

// TestDecideDoesNotAllocate: the decision alone, the engine's hot path,
// allocates nothing.
func TestDecideDoesNotAllocate(t *testing.T) {
	e := mustEvaluator(t, staticConfig(3, 5, "missing"))
	w := window("1 _ 3 4 5 1 1", t0, 5*time.Minute)
	allocs := testing.AllocsPerRun(100, func() {
		if s, ok := e.Decide(alarm.StateOK, w); !ok || s != alarm.StateAlarm {
			t.Fatalf("Decide = %v, %v; want ALARM, true", s, ok)
		}
	})
	if allocs != 0 {
		t.Errorf("Decide allocates %v times per run, want 0", allocs)
	}
}

// TestDecideAgreesWithEvaluate: Decide and Evaluate reach the same state
// on every row of the published tables.
func TestDecideAgreesWithEvaluate(t *testing.T) {
	for _, row := range spectables.MissingData {
		for _, pol := range policies {
			e := mustEvaluator(t, staticConfig(row.M, 3, pol))
			w := specWindow(row.Points, 5*time.Minute)
			for _, prev := range []alarm.State{alarm.StateInsufficientData, alarm.StateOK, alarm.StateAlarm} {
				r := e.Evaluate(prev, w, t0.Add(25*time.Minute))
				s, ok := e.Decide(prev, w)
				if s != r.State || ok == r.Retained() {
					t.Errorf("M=%d %q %s prev %v: Decide %v %v, Evaluate %v retained %v", row.M, row.Points, pol, prev, s, ok, r.State, r.Retained())
				}
			}
		}
	}
}

// BenchmarkDecide: the decision alone (the engine's evaluation without a
// transition).
func BenchmarkDecide(b *testing.B) {
	e := mustEvaluator(b, staticConfig(3, 5, "missing"))
	w := window("1 _ 3 4 5 1 1", t0, 5*time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		e.Decide(alarm.StateOK, w)
	}
}

// BenchmarkEvaluate: the decision and its self-contained Result (one
// allocation: the periods the reason shows).
func BenchmarkEvaluate(b *testing.B) {
	e := mustEvaluator(b, staticConfig(3, 5, "missing"))
	w := window("1 _ 3 4 5 1 1", t0, 5*time.Minute)
	now := t0.Add(35 * time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		r := e.Evaluate(alarm.StateOK, w, now)
		_ = r.State
	}
}

// TestResultEqual: Equal tells results apart by every part their reason
// shows, and ignores the values of missing periods.
func TestResultEqual(t *testing.T) {
	now := t0.Add(35 * time.Minute)
	base := mustEvaluator(t, staticConfig(3, 5, "missing"))
	r := base.Evaluate(alarm.StateOK, window("1 _ 3 4 5 1 1", t0, 5*time.Minute), now)
	otherThreshold := staticConfig(3, 5, "missing")
	otherThreshold.Threshold = 2.5
	missingValue := window("1 _ 3 4 5 1 1", t0, 5*time.Minute)
	missingValue[1].Value = 42
	tests := []struct {
		other alarm.Result
		want  bool
		why   string
	}{
		{base.Evaluate(alarm.StateOK, window("1 _ 3 4 5 1 1", t0, 5*time.Minute), now), true, "the same evaluation again"},
		{base.Evaluate(alarm.StateOK, missingValue, now), true, "a missing period's value means nothing"},
		{base.Evaluate(alarm.StateOK, window("1 _ 3 4 6 1 1", t0, 5*time.Minute), now), false, "one value differs"},
		{base.Evaluate(alarm.StateOK, window("1 _ 3 4 5 1 1", t0, 5*time.Minute), now.Add(time.Second)), false, "queryDate differs"},
		{base.Evaluate(alarm.StateOK, window("1 _ 3 4 5 1 1", t0.Add(time.Minute), 5*time.Minute), now), false, "the periods start elsewhere"},
		{mustEvaluator(t, otherThreshold).Evaluate(alarm.StateOK, window("1 _ 3 4 5 1 1", t0, 5*time.Minute), now), false, "the threshold in the reason differs"},
		{alarm.Result{}, false, "the zero Result"},
	}
	for _, tt := range tests {
		if got := r.Equal(tt.other); got != tt.want {
			t.Errorf("Equal = %v, want %v (%s)", got, tt.want, tt.why)
		}
	}
	var zero alarm.Result
	if zero.Reason() != "" || zero.ReasonData() != "" {
		t.Errorf("the zero Result renders %q, %q; want nothing", zero.Reason(), zero.ReasonData())
	}
}
