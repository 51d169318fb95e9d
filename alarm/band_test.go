package alarm_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
)

func TestParseBandExpression(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    alarm.BandExpression
		wantErr string
		why     string
	}{
		{"ANOMALY_DETECTION_BAND(m1, 2)", alarm.BandExpression{Id: "m1", Width: 2}, "", "the console's form"},
		{"ANOMALY_DETECTION_BAND(m1)", alarm.BandExpression{Id: "m1", Width: 2}, "", "the width defaults to 2"},
		{"ANOMALY_DETECTION_BAND(m1,3.5)", alarm.BandExpression{Id: "m1", Width: 3.5}, "", "a width need not be an integer; no space needed"},
		{"  ANOMALY_DETECTION_BAND ( cpu_Avg , 1e0 )  ", alarm.BandExpression{Id: "cpu_Avg", Width: 1}, "", "spaces between tokens"},
		{"ANOMALY_DETECTION_BAND(m1, 0)", alarm.BandExpression{}, "the band width (the second argument) must be a number above 0 (at character 28", "a zero width"},
		{"ANOMALY_DETECTION_BAND(m1, -1)", alarm.BandExpression{}, "must be a number above 0", "a negative width"},
		{"ANOMALY_DETECTION_BAND(m1, 1e999)", alarm.BandExpression{}, "must be a number above 0", "an infinite width"},
		{"ANOMALY_DETECTION_BAND(m1, two)", alarm.BandExpression{}, "must be a number above 0", "a word for a width"},
		{"ANOMALY_DETECTION_BAND(M1)", alarm.BandExpression{}, "expected the Id of a query", "Ids start with a lower-case letter"},
		{"ANOMALY_DETECTION_BAND()", alarm.BandExpression{}, "expected the Id of a query", "no argument"},
		{"ANOMALY_DETECTION_BAND(m1, 2, 3)", alarm.BandExpression{}, "expected ) after the band width: the call takes at most two arguments (at character 29", "three arguments"},
		{"ANOMALY_DETECTION_BAND(m1 * 2)", alarm.BandExpression{}, "expected , or ) after the Id", "an expression as the argument"},
		{"ANOMALY_DETECTION_BAND(m1", alarm.BandExpression{}, "expected , or )", "no closing parenthesis"},
		{"ANOMALY_DETECTION_BAND(m1) * 2", alarm.BandExpression{}, "unexpected text after the call", "arithmetic on the band"},
		{"anomaly_detection_band(m1)", alarm.BandExpression{}, "the expression must be a call of ANOMALY_DETECTION_BAND", "the function name is upper case"},
		{"", alarm.BandExpression{}, "must be a call of ANOMALY_DETECTION_BAND (at character 1 of \"\")", "empty"},
	} {
		got, err := alarm.ParseBandExpression(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: ParseBandExpression(%q) = %v, %v; want an error containing %q", tt.why, tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: ParseBandExpression(%q): %v", tt.why, tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: ParseBandExpression(%q) (-want +got):\n%s", tt.why, tt.in, diff)
		}
	}
}

// FuzzParseBandExpression: the parser never panics, and what it accepts
// prints in a canonical form that parses back to the same value.
func FuzzParseBandExpression(f *testing.F) {
	for _, s := range []string{"ANOMALY_DETECTION_BAND(m1, 2)", "ANOMALY_DETECTION_BAND(m1)", "ANOMALY_DETECTION_BAND ( a_1 , 0.5 )", "ANOMALY_DETECTION_BAND(m1, 1e-300)", "ANOMALY_DETECTION_BAND(m1) + 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := alarm.ParseBandExpression(s)
		if err != nil {
			return
		}
		if !(b.Width > 0) || b.Id == "" {
			t.Fatalf("ParseBandExpression(%q) = %+v: accepted a bad value", s, b)
		}
		again, err := alarm.ParseBandExpression(b.String())
		if err != nil || again != b {
			t.Fatalf("%q parsed to %+v, printed as %q, which parses to %+v, %v", s, b, b.String(), again, err)
		}
	})
}

func TestBandValidation(t *testing.T) {
	yes := true
	band := func(expr string, period int, stat *alarm.MetricStat) alarm.Config {
		if stat == nil {
			stat = &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "App", MetricName: "Latency"}, Period: period, Stat: "Average"}
		}
		return alarm.Config{
			AlarmName: "latency-band", EvaluationPeriods: 3, ComparisonOperator: alarm.GreaterThanUpperThreshold,
			ThresholdMetricId: "ad1",
			Metrics: []alarm.MetricDataQuery{
				{Id: "m1", ReturnData: &yes, MetricStat: stat},
				{Id: "ad1", ReturnData: &yes, Expression: expr},
			},
		}
	}
	for _, tt := range []struct {
		cfg     alarm.Config
		wantErr string
		why     string
	}{
		{band("ANOMALY_DETECTION_BAND(m1, 2)", 300, nil), "", "the console's anomaly alarm"},
		{band("ANOMALY_DETECTION_BAND(m1, 2)", 60, nil), "", "a one-minute period is the shortest"},
		{band("ANOMALY_DETECTION_BAND(m1, 2)", 30, nil), "The value 30 for parameter Metrics.member.1.MetricStat.Period is invalid: an anomaly detection alarm's period must be at least 60 seconds.", "high-resolution periods"},
		{band("ANOMALY_DETECTION_BAND(m2, 2)", 300, nil), `no entry of Metrics has the Id "m2" that the band is computed on`, "the band of an unknown query"},
		{band("ANOMALY_DETECTION_BAND(m1, 0)", 300, nil), `parameter Metrics.member.2.Expression is invalid: the band width (the second argument) must be a number above 0`, "a zero width"},
		{band("ANOMALY_DETECTION_BAND(ad1, 2)", 300, nil), `the band must be computed on a MetricStat query, and Metrics.member.2 ("ad1") is an expression`, "a band of itself"},
	} {
		err := tt.cfg.Validate()
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.why, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: got %v, want an error containing %q", tt.why, err, tt.wantErr)
		}
		if err == nil {
			b, q, ok := tt.cfg.Band()
			if !ok || q.Id != "m1" || b.Id != "m1" {
				t.Errorf("%s: Band() = %+v, %+v, %v", tt.why, b, q, ok)
			}
		}
	}
}
