package alarm_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
)

func ptrBool(b bool) *bool { return &b }

func bandConfig(op string) alarm.Config {
	return alarm.Config{
		AlarmName: "band", EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: op,
		ThresholdMetricId: "ad1",
		Metrics: []alarm.MetricDataQuery{
			{Id: "m1", ReturnData: ptrBool(true), MetricStat: &alarm.MetricStat{
				Metric: alarm.MetricRef{Namespace: "AWS/EC2", MetricName: "CPUUtilization"}, Period: 60, Stat: "Average"}},
			{Id: "ad1", ReturnData: ptrBool(true), Expression: "ANOMALY_DETECTION_BAND(m1, 2)"},
		},
	}
}

// at returns a time from a "2006-01-02T15:04:05.000" literal in UTC.
func at(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04:05.000", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestRealReasons reproduces, byte for byte, every StateReason and
// StateReasonData that AWS produced and that the spec quotes (§6, §8.4,
// §8.4a, §8.5; composite-and-actions.md §7.1).
func TestRealReasons(t *testing.T) {
	tests := []struct {
		name       string
		cfg        alarm.Config
		window     []alarm.Datapoint
		now        time.Time
		wantState  string
		wantReason string
		wantData   string // "" means not checked
		why        string
	}{
		{
			name: "legacy ALARM, Period 30, N 1 (LS-snap)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Average", Period: 30,
				EvaluationPeriods: 1, Threshold: 2, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     []alarm.Datapoint{{Start: at("2023-10-26T16:41:00.000"), Missing: true}, {Start: at("2023-10-26T16:41:30.000"), Missing: true}, {Start: at("2023-10-26T16:42:00.000"), Value: 21.5, SampleCount: 1}},
			now:        at("2023-10-26T16:42:30.000"),
			wantState:  "ALARM",
			wantReason: "Threshold Crossed: 1 datapoint [21.5 (26/10/23 16:42:00)] was greater than the threshold (2.0).",
			why:        "legacy wording: no DatapointsToAlarm, no minimum clause",
		},
		{
			name: "legacy all missing treated as breaching, N 2 (LS-snap)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Average", Period: 60,
				EvaluationPeriods: 2, Threshold: 2, ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: "breaching"},
			window:     window("_ _ _ _", at("2023-10-26T16:40:00.000"), time.Minute),
			now:        at("2023-10-26T16:44:00.000"),
			wantState:  "ALARM",
			wantReason: "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].",
			why:        "N = 2 fills, counted in periods",
		},
		{
			name: "INSUFFICIENT_DATA, N 1 (real SNS message, 2021)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "AWS/S3", MetricName: "NumberOfObjects", Statistic: "Maximum", Period: 60,
				EvaluationPeriods: 1, Threshold: 2, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     window("_ _ _", at("2021-10-21T10:17:00.000"), time.Minute),
			now:        at("2021-10-21T10:20:00.000"),
			wantState:  "INSUFFICIENT_DATA",
			wantReason: "Insufficient Data: 1 datapoint was unknown.",
			why:        "the unknown count is N (1), not the range (3)",
		},
		{
			name: "INSUFFICIENT_DATA, 5 unknown, with reason data (2021)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Maximum", Period: 300,
				EvaluationPeriods: 5, Threshold: 10, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     window("_ _ _ _ _ _ _", at("2021-10-14T14:19:00.000"), 5*time.Minute),
			now:        at("2021-10-14T14:49:54.786"),
			wantState:  "INSUFFICIENT_DATA",
			wantReason: "Insufficient Data: 5 datapoints were unknown.",
			wantData:   `{"version":"1.0","queryDate":"2021-10-14T14:49:54.786+0000","statistic":"Maximum","period":300,"recentDatapoints":[],"threshold":10.0,"evaluatedDatapoints":[{"timestamp":"2021-10-14T14:49:00.000+0000"},{"timestamp":"2021-10-14T14:44:00.000+0000"},{"timestamp":"2021-10-14T14:39:00.000+0000"},{"timestamp":"2021-10-14T14:34:00.000+0000"},{"timestamp":"2021-10-14T14:29:00.000+0000"}]}`,
			why:        "N = 5 timestamp-only entries, newest first, no startDate",
		},
		{
			name: "M-of-N ALARM 1 of 1 (2019)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Average", Period: 300,
				EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 50, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     []alarm.Datapoint{{Start: at("2019-10-02T16:49:00.000"), Missing: true}, {Start: at("2019-10-02T16:54:00.000"), Missing: true}, {Start: at("2019-10-02T16:59:00.000"), Value: 99.50160229693434, SampleCount: 5}},
			now:        at("2019-10-02T17:04:40.985"),
			wantState:  "ALARM",
			wantReason: "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).",
			// The 2019 reason data, plus the evaluatedDatapoints key that
			// CloudWatch has added since (see TestReasonData2019).
			wantData: `{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0,"evaluatedDatapoints":[{"timestamp":"2019-10-02T16:59:00.000+0000","sampleCount":5.0,"value":99.50160229693434}]}`,
			why:      "M-of-N wording with the minimum clause",
		},
		{
			name: "M-of-N OK 1 of 1 (2019)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Average", Period: 60,
				EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 50, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     window("_ _ 0.0666851903306472", at("2019-10-01T13:44:00.000"), time.Minute),
			now:        at("2019-10-01T13:47:00.000"),
			wantState:  "OK",
			wantReason: "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
			why:        "OK lists the good datapoints and negates the comparison",
		},
		{
			name: "long form, 30 of 30 (2024)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Maximum", Period: 60,
				EvaluationPeriods: 30, DatapointsToAlarm: 30, Threshold: 20, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     window("_ _ 50x25 59 59 59 60 60", at("2024-12-06T05:03:00.000"), time.Minute),
			now:        at("2024-12-06T05:35:00.000"),
			wantState:  "ALARM",
			wantReason: "Threshold Crossed: 30 out of the last 30 datapoints were greater than the threshold (20.0). The most recent datapoints which crossed the threshold: [60.0 (06/12/24 05:34:00), 60.0 (06/12/24 05:33:00), 59.0 (06/12/24 05:32:00), 59.0 (06/12/24 05:31:00), 59.0 (06/12/24 05:30:00)] (minimum 30 datapoints for OK -> ALARM transition).",
			why:        "5 or more listed datapoints move to the second sentence, five newest",
		},
		{
			name: "1 out of the last 50 (2024)",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Maximum", Period: 60,
				EvaluationPeriods: 50, DatapointsToAlarm: 50, Threshold: 50, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     window("_ _ 51x49 48", at("2024-12-03T23:43:00.000"), time.Minute),
			now:        at("2024-12-04T00:35:00.000"),
			wantState:  "OK",
			wantReason: "Threshold Crossed: 1 out of the last 50 datapoints [48.0 (04/12/24 00:34:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
			why:        "one good datapoint of 50 is enough for OK when M = N",
		},
		{
			name: "LS-snap StateUpdate with unit and sample count",
			cfg: alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Average", Period: 10, Unit: "Seconds",
				EvaluationPeriods: 1, Threshold: 21, ComparisonOperator: alarm.GreaterThanThreshold},
			window:     window("_ _ 21.5", at("2026-02-10T09:00:00.000"), 10*time.Second),
			now:        at("2026-02-10T09:00:30.000"),
			wantState:  "ALARM",
			wantReason: "Threshold Crossed: 1 datapoint [21.5 (10/02/26 09:00:20)] was greater than the threshold (21.0).",
			wantData:   `{"version":"1.0","queryDate":"2026-02-10T09:00:30.000+0000","startDate":"2026-02-10T09:00:20.000+0000","unit":"Seconds","statistic":"Average","period":10,"recentDatapoints":[21.5],"threshold":21.0,"evaluatedDatapoints":[{"timestamp":"2026-02-10T09:00:20.000+0000","sampleCount":1.0,"value":21.5}]}`,
			why:        "key order version, queryDate, startDate, unit, statistic, period, recentDatapoints, threshold, evaluatedDatapoints",
		},
		{
			name:       "anomaly band, upper (2024)",
			cfg:        bandConfig(alarm.GreaterThanUpperThreshold),
			window:     []alarm.Datapoint{{Start: at("2024-07-25T07:19:00.000"), Missing: true}, {Start: at("2024-07-25T07:20:00.000"), Missing: true}, {Start: at("2024-07-25T07:21:00.000"), Value: 239, SampleCount: 1, Lower: 100, Upper: 225.71426732099445}},
			now:        at("2024-07-25T07:22:32.386"),
			wantState:  "ALARM",
			wantReason: "Thresholds Crossed: 1 out of the last 1 datapoints [239.0 (25/07/24 07:21:00)] was greater than the upper thresholds [225.71426732099445] (minimum 1 datapoint for OK -> ALARM transition).",
			wantData:   `{"version":"1.0","queryDate":"2024-07-25T07:22:32.386+0000","startDate":"2024-07-25T07:21:00.000+0000","period":60,"recentDatapoints":[239.0],"recentUpperThresholds":[225.71426732099445],"evaluatedDatapoints":[{"timestamp":"2024-07-25T07:21:00.000+0000","value":239.0,"threshold":225.71426732099445}]}`,
			why:        "band alarms: Thresholds (plural), no statistic or threshold keys, per-datapoint threshold",
		},
		{
			name:       "anomaly band, upper (2023)",
			cfg:        bandConfig(alarm.GreaterThanUpperThreshold),
			window:     []alarm.Datapoint{{Start: at("2023-05-24T11:13:00.000"), Missing: true}, {Start: at("2023-05-24T11:14:00.000"), Missing: true}, {Start: at("2023-05-24T11:15:00.000"), Value: 17, SampleCount: 1, Lower: 3, Upper: 15.981390464586445}},
			now:        at("2023-05-24T11:16:00.000"),
			wantState:  "ALARM",
			wantReason: "Thresholds Crossed: 1 out of the last 1 datapoints [17.0 (24/05/23 11:15:00)] was greater than the upper thresholds [15.981390464586445] (minimum 1 datapoint for OK -> ALARM transition).",
			why:        "the other observed band reason",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustEvaluator(t, tt.cfg)
			r := e.Evaluate(alarm.StateInsufficientData, tt.window, tt.now)
			if diff := cmp.Diff(tt.wantState, r.State.String()); diff != "" {
				t.Errorf("state (%s) (-want +got):\n%s", tt.why, diff)
			}
			if diff := cmp.Diff(tt.wantReason, r.Reason()); diff != "" {
				t.Errorf("reason (%s) (-want +got):\n%s", tt.why, diff)
			}
			data := r.ReasonData()
			checkDetached(t, r, tt.window)
			if !json.Valid([]byte(data)) {
				t.Errorf("reason data is not valid JSON: %s", data)
			}
			if tt.wantData != "" {
				if diff := cmp.Diff(tt.wantData, data); diff != "" {
					t.Errorf("reason data (%s) (-want +got):\n%s", tt.why, diff)
				}
			}
		})
	}
}

// TestReasonData2019 checks that the real 2019 reason data, which predates
// evaluatedDatapoints, is ours with that key removed, byte for byte.
func TestReasonData2019(t *testing.T) {
	const real2019 = `{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0}`
	e := mustEvaluator(t, alarm.Config{AlarmName: "a", Namespace: "n", MetricName: "m", Statistic: "Average", Period: 300,
		EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 50, ComparisonOperator: alarm.GreaterThanThreshold})
	r := e.Evaluate(alarm.StateOK, window("_ _ 99.50160229693434", at("2019-10-02T16:49:00.000"), 5*time.Minute), at("2019-10-02T17:04:40.985"))
	got := r.ReasonData()
	if i := len(`,"evaluatedDatapoints":`); len(got) > i {
		if j := indexOf(got, `,"evaluatedDatapoints":`); j >= 0 {
			got = got[:j] + "}"
		}
	}
	if diff := cmp.Diff(real2019, got); diff != "" {
		t.Errorf("2019 reason data (-want +got):\n%s", diff)
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestReasonForms covers the wording choices for cases AWS has not been
// seen to print (package Caveats).
func TestReasonForms(t *testing.T) {
	base := func(m, n int, policy string) alarm.Config {
		c := staticConfig(m, n, policy)
		c.Period = 60
		return c
	}
	start := at("2024-01-01T00:00:00.000")
	tests := []struct {
		cfg        alarm.Config
		points     string
		wantReason string
		why        string
	}{
		{base(3, 3, "breaching"), "1 _ _ _ _", "Threshold Crossed: 1 out of the last 3 datapoints [1.0 (01/01/24 00:00:00)] was not greater than the threshold (2.0) and 2 missing datapoints were treated as [Breaching] (minimum 1 datapoint for ALARM -> OK transition).", "Table A row 2 under breaching: the fill clause goes before the minimum clause"},
		{base(2, 3, "breaching"), "1 _ 3 _ _", "Threshold Crossed: 1 out of the last 3 datapoints [3.0 (01/01/24 00:02:00)] was greater than the threshold (2.0) and 1 missing datapoint was treated as [Breaching] (minimum 2 datapoints for OK -> ALARM transition).", "Table B row 3 under breaching: singular fill clause"},
		{base(2, 3, "breaching"), "_ _ _ _ 1", "Threshold Crossed: 0 out of the last 3 datapoints were greater than the threshold (2.0) and 2 missing datapoints were treated as [Breaching] (minimum 2 datapoints for OK -> ALARM transition).", "Table B row 4: ALARM made by the fills; the real datapoint is good, so none is listed"},
		{base(3, 3, "notBreaching"), "_ _ 3 _ _", "Threshold Crossed: 0 out of the last 3 datapoints were not greater than the threshold (2.0) and 2 missing datapoints were treated as [NonBreaching] (minimum 1 datapoint for ALARM -> OK transition).", "Table A row 5 under notBreaching: OK made by the fills"},
		{base(0, 3, "notBreaching"), "_ _ 3 _ _", "Threshold Crossed: 0 datapoints were not greater than the threshold (2.0) and 2 missing datapoints were treated as [NonBreaching].", "the same in the legacy wording"},
		{base(3, 3, "notBreaching"), "_ _ _ _ _", "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [NonBreaching] (minimum 1 datapoint for ALARM -> OK transition).", "all missing under notBreaching"},
		{base(3, 3, "missing"), "_ _ 3 _ _", "Threshold Crossed: 1 out of the last 3 datapoints [3.0 (01/01/24 00:02:00)] was greater than the threshold (2.0) (minimum 3 datapoints for OK -> ALARM transition).", "premature alarm: one listed datapoint, no fills"},
		{base(3, 3, "missing"), "_ _ _ _ 3", "Insufficient Data: 2 datapoints were unknown.", "too-recent breach: the shortfall N - |R| is unknown"},
		{base(2, 4, ""), "3 1 3 3 1 3", "Threshold Crossed: 3 out of the last 4 datapoints [3.0 (01/01/24 00:05:00), 3.0 (01/01/24 00:03:00), 3.0 (01/01/24 00:02:00)] were greater than the threshold (2.0) (minimum 2 datapoints for OK -> ALARM transition).", "plural 'were' for 2-4 listed datapoints, newest first"},
		{base(1, 4, ""), "1 1 1 1 1 1", "Threshold Crossed: 4 out of the last 4 datapoints [1.0 (01/01/24 00:05:00), 1.0 (01/01/24 00:04:00), 1.0 (01/01/24 00:03:00), 1.0 (01/01/24 00:02:00)] were not greater than the threshold (2.0) (minimum 4 datapoints for ALARM -> OK transition).", "4 listed datapoints still inline (cut-off choice)"},
		{base(0, 2, ""), "_ _ 3 3", "Threshold Crossed: 2 datapoints [3.0 (01/01/24 00:03:00), 3.0 (01/01/24 00:02:00)] were greater than the threshold (2.0).", "legacy plural"},
		{base(0, 5, ""), "_ _ 3x5", "Threshold Crossed: 5 datapoints were greater than the threshold (2.0). The most recent datapoints which crossed the threshold: [3.0 (01/01/24 00:06:00), 3.0 (01/01/24 00:05:00), 3.0 (01/01/24 00:04:00), 3.0 (01/01/24 00:03:00), 3.0 (01/01/24 00:02:00)].", "legacy long form"},
		{base(0, 3, "breaching"), "_ _ _ 3 _", "Threshold Crossed: 1 datapoint [3.0 (01/01/24 00:03:00)] was greater than the threshold (2.0) and 2 missing datapoints were treated as [Breaching].", "legacy with fills"},
	}
	for _, tt := range tests {
		e := mustEvaluator(t, tt.cfg)
		w := window(tt.points, start, time.Minute)
		r := e.Evaluate(alarm.StateOK, w, start.Add(time.Duration(len(w))*time.Minute))
		if diff := cmp.Diff(tt.wantReason, r.Reason()); diff != "" {
			t.Errorf("%q (%s) (-want +got):\n%s", tt.points, tt.why, diff)
		}
		if d := r.ReasonData(); !json.Valid([]byte(d)) {
			t.Errorf("%q: invalid reason data %s", tt.points, d)
		}
		checkDetached(t, r, w)
	}
}

func TestBandForms(t *testing.T) {
	start := at("2024-01-01T00:00:00.000")
	w := []alarm.Datapoint{{Start: start, Missing: true}, {Start: start.Add(time.Minute), Missing: true}, {Start: start.Add(2 * time.Minute), Value: 5, SampleCount: 1, Lower: 10, Upper: 20}}
	tests := []struct {
		op, value, reason, data string
		why                     string
	}{
		{alarm.LessThanLowerOrGreaterThanUpperThreshold, "5",
			"Thresholds Crossed: 1 out of the last 1 datapoints [5.0 (01/01/24 00:02:00)] was less than the lower thresholds [10.0] or greater than the upper thresholds [20.0] (minimum 1 datapoint for OK -> ALARM transition).",
			`"recentDatapoints":[5.0],"recentUpperThresholds":[20.0],"recentLowerThresholds":[10.0],"evaluatedDatapoints":[{"timestamp":"2024-01-01T00:02:00.000+0000","value":5.0,"threshold":10.0}]}`,
			"two-sided: both edge lists, the crossed edge per datapoint"},
		{alarm.LessThanLowerThreshold, "5",
			"Thresholds Crossed: 1 out of the last 1 datapoints [5.0 (01/01/24 00:02:00)] was less than the lower thresholds [10.0] (minimum 1 datapoint for OK -> ALARM transition).",
			`"recentDatapoints":[5.0],"recentLowerThresholds":[10.0],"evaluatedDatapoints":[{"timestamp":"2024-01-01T00:02:00.000+0000","value":5.0,"threshold":10.0}]}`,
			"lower edge only"},
		{alarm.GreaterThanUpperThreshold, "5",
			"Thresholds Crossed: 1 out of the last 1 datapoints [5.0 (01/01/24 00:02:00)] was not greater than the upper thresholds [20.0] (minimum 1 datapoint for ALARM -> OK transition).",
			`"recentDatapoints":[5.0],"recentUpperThresholds":[20.0],"evaluatedDatapoints":[{"timestamp":"2024-01-01T00:02:00.000+0000","value":5.0,"threshold":20.0}]}`,
			"OK direction negates"},
	}
	for _, tt := range tests {
		e := mustEvaluator(t, bandConfig(tt.op))
		r := e.Evaluate(alarm.StateOK, w, start.Add(3*time.Minute))
		if diff := cmp.Diff(tt.reason, r.Reason()); diff != "" {
			t.Errorf("%s reason (%s) (-want +got):\n%s", tt.op, tt.why, diff)
		}
		d := r.ReasonData()
		if i := indexOf(d, `"recentDatapoints"`); i < 0 || d[i:] != tt.data {
			t.Errorf("%s reason data (%s):\n got %s\nwant ...%s", tt.op, tt.why, d, tt.data)
		}
	}
	// All missing: "recentUpperThresholds":[] as observed.
	missing := []alarm.Datapoint{{Start: start, Missing: true}, {Start: start.Add(time.Minute), Missing: true}, {Start: start.Add(2 * time.Minute), Missing: true}}
	r0 := mustEvaluator(t, bandConfig(alarm.GreaterThanUpperThreshold)).Evaluate(alarm.StateOK, missing, start.Add(3*time.Minute))
	if want := `{"version":"1.0","queryDate":"2024-01-01T00:03:00.000+0000","period":60,"recentDatapoints":[],"recentUpperThresholds":[],"evaluatedDatapoints":[{"timestamp":"2024-01-01T00:02:00.000+0000"}]}`; r0.ReasonData() != want {
		t.Errorf("all-missing band reason data:\n got %s\nwant %s", r0.ReasonData(), want)
	}

	// Two-sided OK: both parts negated.
	w[2].Value = 15
	e := mustEvaluator(t, bandConfig(alarm.LessThanLowerOrGreaterThanUpperThreshold))
	r := e.Evaluate(alarm.StateAlarm, w, start.Add(3*time.Minute))
	want := "Thresholds Crossed: 1 out of the last 1 datapoints [15.0 (01/01/24 00:02:00)] was not less than the lower thresholds [10.0] or not greater than the upper thresholds [20.0] (minimum 1 datapoint for ALARM -> OK transition)."
	if diff := cmp.Diff(want, r.Reason()); diff != "" {
		t.Errorf("two-sided OK (-want +got):\n%s", diff)
	}
}

// checkDetached checks that a result is plain data: it renders the same
// after the window it was evaluated from is overwritten, after a deep copy,
// and after a round trip through its JSON form (which gives an Equal
// result).
func checkDetached(t *testing.T, r alarm.Result, window []alarm.Datapoint) {
	t.Helper()
	reason, data := r.Reason(), r.ReasonData()
	for i := range window {
		window[i] = alarm.Datapoint{Start: window[i].Start.Add(time.Hour), Value: -1e9, SampleCount: 7, Lower: 1, Upper: 2}
	}
	if diff := cmp.Diff(reason, r.Reason()); diff != "" {
		t.Errorf("reason after the window was overwritten (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(data, r.ReasonData()); diff != "" {
		t.Errorf("reason data after the window was overwritten (-want +got):\n%s", diff)
	}
	c := r.Clone()
	if diff := cmp.Diff(reason, c.Reason()); diff != "" {
		t.Errorf("cloned reason (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	var back alarm.Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("UnmarshalJSON(%s): %v", b, err)
	}
	if !back.Equal(r) {
		t.Errorf("the JSON form %s reads back as a different result", b)
	}
	if diff := cmp.Diff(reason+"\n"+data, back.Reason()+"\n"+back.ReasonData()); diff != "" {
		t.Errorf("reason and data after a JSON round trip (-want +got):\n%s", diff)
	}
}

// TestReasonDataLimit: StateReasonData stays within CloudWatch's 4000
// characters: evaluatedDatapoints keeps its newest entries first, then
// recentDatapoints its newest values.
func TestReasonDataLimit(t *testing.T) {
	start := at("2024-01-01T00:00:00.000")
	tests := []struct {
		n            int
		wantEval     int // entries left in evaluatedDatapoints
		wantRecent   int // values left in recentDatapoints
		wantStartIdx int // window index of startDate
		why          string
	}{
		{40, 40, 40, 2, "40 entries fit: nothing is cut"},
		{60, 43, 60, 2, "60 entries do not fit: the newest entries that do, every recent value"},
		{1440, 0, 543, 1442 - 543, "1440 values do not fit even without entries: the newest values that do"},
	}
	for _, tt := range tests {
		cfg := staticConfig(0, tt.n, "")
		cfg.Period = 60
		e := mustEvaluator(t, cfg)
		w := window("_ _ 12.345x"+fmt.Sprint(tt.n), start, time.Minute)
		r := e.Evaluate(alarm.StateOK, w, start.Add(time.Duration(len(w))*time.Minute))
		data := r.ReasonData()
		var got struct {
			StartDate string
			Recent    []float64                    `json:"recentDatapoints"`
			Evaluated []struct{ Timestamp string } `json:"evaluatedDatapoints"`
		}
		if err := json.Unmarshal([]byte(data), &got); err != nil {
			t.Fatalf("N=%d: %v", tt.n, err)
		}
		if len(data) > alarm.MaxReasonData {
			t.Errorf("N=%d: %d bytes", tt.n, len(data))
		}
		wantStart := w[tt.wantStartIdx].Start.Format("2006-01-02T15:04:05.000+0000")
		if len(got.Evaluated) != tt.wantEval || len(got.Recent) != tt.wantRecent || got.StartDate != wantStart {
			t.Errorf("N=%d (%s): %d entries, %d recent values, startDate %s; want %d, %d, %s",
				tt.n, tt.why, len(got.Evaluated), len(got.Recent), got.StartDate, tt.wantEval, tt.wantRecent, wantStart)
		}
		if len(got.Evaluated) > 0 && got.Evaluated[0].Timestamp != w[len(w)-1].Start.Format("2006-01-02T15:04:05.000+0000") {
			t.Errorf("N=%d: the first entry is not the newest period", tt.n)
		}
	}
}
