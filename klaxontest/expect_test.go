package klaxontest_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/klaxontest"
)

// cpu is the scenario of most tests here: Maximum CPU above 90 for 2 of
// 2 minutes pages. After two normal minutes of history, its series
// 50 95 96 40 41 takes it to OK at 00:01 (the history and the 50), to
// ALARM at 00:03 (95 and 96) and back to OK at 00:04 (40).
func cpu(tb testing.TB) *klaxontest.Scenario {
	s := klaxontest.New(tb)
	s.PutMetricAlarm(alarm.Config{AlarmName: "cpu", Namespace: "App", MetricName: "CPU", Statistic: "Maximum",
		Period: 60, EvaluationPeriods: 2, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold,
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"}})
	s.Series("cpu", "50x2 | 50 95 96 40 41")
	return s
}

// The reasons of cpu's transitions.
const (
	okReason    = `"Threshold Crossed: 2 datapoints [50.0 (01/05/24 00:00:00), 50.0 (30/04/24 23:59:00)] were not greater than the threshold (90.0)."`
	alarmReason = `"Threshold Crossed: 2 datapoints [96.0 (01/05/24 00:02:00), 95.0 (01/05/24 00:01:00)] were greater than the threshold (90.0)."`
	backReason  = `"Threshold Crossed: 1 datapoint [40.0 (01/05/24 00:03:00)] was not greater than the threshold (90.0)."`
)

// TestMessages shows what each helper prints, through a fake testing.TB:
// nothing when the expectation holds, a -want +got timeline when it does
// not, and the line, column and form of input it cannot use.
func TestMessages(t *testing.T) {
	tests := []struct {
		name string
		body func(tb testing.TB)
		want []string
		why  string
	}{{
		name: "ExpectTransitions/holds",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectTransitions("00:01 cpu INSUFFICIENT_DATA -> OK", "00:03 cpu OK -> ALARM "+alarmReason, "00:04 cpu ALARM -> OK")
		},
		why: "the times, states and the one reason given match",
	}, {
		name: "ExpectTransitions/time",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectTransitions("00:01 cpu INSUFFICIENT_DATA -> OK", "00:02 cpu OK -> ALARM", "00:04 cpu ALARM -> OK")
		},
		want: []string{"Errorf: transitions (-want +got):\n" +
			"  00:01 cpu INSUFFICIENT_DATA -> OK\n" +
			"- 00:02 cpu OK -> ALARM\n" +
			"+ 00:03 cpu OK -> ALARM " + alarmReason + "\n" +
			"  00:04 cpu ALARM -> OK"},
		why: "95 arrives at 00:02, but two breaching minutes are needed: the got line carries its reason, which says why",
	}, {
		name: "ExpectTransitions/reason",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectTransitions("00:01 cpu INSUFFICIENT_DATA -> OK", `00:03 cpu OK -> ALARM "too hot"`, "00:05 cpu ALARM -> OK")
		},
		want: []string{"Errorf: transitions (-want +got):\n" +
			"  00:01 cpu INSUFFICIENT_DATA -> OK\n" +
			"- 00:03 cpu OK -> ALARM \"too hot\"\n" +
			"+ 00:03 cpu OK -> ALARM " + alarmReason + "\n" +
			"+ 00:04 cpu ALARM -> OK " + backReason + "\n" +
			"- 00:05 cpu ALARM -> OK"},
		why: "a reason given must match exactly; the lines between two matches read in time order",
	}, {
		name: "ExpectTransitions/syntax",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectTransitions("00:01 cpu INSUFFICIENT_DATA -> OK", "00:03 cpu OK => ALARM")
		},
		want: []string{`Fatalf: ExpectTransitions: want line 2 "00:03 cpu OK => ALARM": column 14: want -> between the old and the new state, got "=>" (TIME ALARM OLD -> NEW ["REASON"])`},
		why:  "a line that does not fit the form names its column and the form",
	}, {
		name: "ExpectTransitions/time syntax",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.ExpectTransitions("0:1 cpu INSUFFICIENT_DATA -> OK")
		},
		want: []string{`Fatalf: ExpectTransitions: want line 1 "0:1 cpu INSUFFICIENT_DATA -> OK": column 1: "0:1" is not a time: 15:04, 15:04:05 or 2006-01-02T15:04 (TIME ALARM OLD -> NEW ["REASON"])`},
		why:  "times have two-digit hours and minutes",
	}, {
		name: "ExpectTransitions/fields",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.ExpectTransitions("00:01 cpu OK")
		},
		want: []string{`Fatalf: ExpectTransitions: want line 1 "00:01 cpu OK": 3 fields, want 5 to 6: TIME ALARM OLD -> NEW ["REASON"]`},
		why:  "a state line given where a transition line is wanted",
	}, {
		name: "ExpectTransitions/unknown alarm",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectTransitions("00:01 cpux INSUFFICIENT_DATA -> OK")
		},
		want: []string{`Fatalf: ExpectTransitions: want line 1 "00:01 cpux INSUFFICIENT_DATA -> OK": column 7: no alarm "cpux" in the scenario (its alarms: cpu)`},
		why:  "a misspelt alarm would otherwise read as a transition that did not happen",
	}, {
		name: "ExpectStates/holds",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectStates("cpu", "OK -> ALARM -> OK")
		},
		why: "arrows read the same as spaces",
	}, {
		name: "ExpectStates/differs",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectStates("cpu", "OK ALARM")
		},
		want: []string{"Errorf: states of cpu (-want +got):\n" +
			"  OK     00:01 INSUFFICIENT_DATA -> OK " + okReason + "\n" +
			"  ALARM  00:03 OK -> ALARM " + alarmReason + "\n" +
			"+ OK     00:04 ALARM -> OK " + backReason},
		why: "each state the alarm entered comes with the transition that entered it",
	}, {
		name: "ExpectStates/not a state",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectStates("cpu", "OK ALRM")
		},
		want: []string{`Fatalf: ExpectStates("cpu", "OK ALRM"): "ALRM" is not a state: OK, ALARM or INSUFFICIENT_DATA`},
		why:  "states are spelt as CloudWatch spells them",
	}, {
		name: "ExpectStates/not run",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.ExpectStates("cpu", "OK ALARM OK")
		},
		want: []string{"Errorf: states of cpu (-want +got):\n" +
			"- OK\n" +
			"- ALARM\n" +
			"- OK\n" +
			"(the scenario has not run: call Run or Advance before expecting)"},
		why: "a forgotten Run is the likeliest reason for no transitions at all",
	}, {
		name: "ExpectStatesAt/differs",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectStatesAt("00:00 cpu INSUFFICIENT_DATA", "00:02 cpu ALARM", "00:03 cpu ALARM", "00:04 cpu ALARM")
		},
		want: []string{"Errorf: states (-want +got):\n" +
			"  00:00 cpu INSUFFICIENT_DATA\n" +
			"- 00:02 cpu ALARM\n" +
			"+ 00:02 cpu OK (since 00:01: " + okReason + ")\n" +
			"  00:03 cpu ALARM\n" +
			"- 00:04 cpu ALARM\n" +
			"+ 00:04 cpu OK (since 00:04: " + backReason + ")"},
		why: "a state at a time is the state after the evaluations at or before it; a wrong one shows since when, and why",
	}, {
		name: "ExpectStatesAt/future",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectStatesAt("00:09 cpu OK")
		},
		want: []string{`Fatalf: ExpectStatesAt: want line 1 "00:09 cpu OK": the scenario has run to 00:05 only: Run or Advance first`},
		why:  "the state at a time not yet evaluated is unknown, not the current one",
	}, {
		name: "NeverEntersAlarm/holds",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Advance(2 * time.Minute)
			s.NeverEntersAlarm("cpu")
		},
		why: "by 00:02 only 95 breached",
	}, {
		name: "NeverEntersAlarm/enters",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.NeverEntersAlarm()
		},
		want: []string{"Errorf: transitions to ALARM of cpu (-want +got):\n" +
			"+ 00:03 cpu OK -> ALARM " + alarmReason},
		why: "no name means every alarm; each entry into ALARM is an unwanted line",
	}, {
		name: "NeverEntersAlarm/unknown alarm",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.NeverEntersAlarm("cpu", "disk")
		},
		want: []string{`Fatalf: NeverEntersAlarm: no alarm "disk" in the scenario (its alarms: cpu)`},
		why:  "a misspelt alarm never enters ALARM: that must not pass",
	}, {
		name: "ExpectActions/holds",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectActions("00:03 cpu ALARM arn:aws:sns:us-east-1:123456789012:pager")
		},
		why: "the ALARM transition runs the one AlarmActions ARN",
	}, {
		name: "ExpectActions/differs",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.ExpectActions("00:03 cpu ALARM arn:aws:sns:us-east-1:123456789012:chat")
		},
		want: []string{"Errorf: actions (-want +got):\n" +
			"- 00:03 cpu ALARM arn:aws:sns:us-east-1:123456789012:chat\n" +
			"+ 00:03 cpu ALARM arn:aws:sns:us-east-1:123456789012:pager"},
		why: "an action is its transition's time and state and its ARN",
	}, {
		name: "StateAt/unknown alarm",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.StateAt("cpux", s.Start())
		},
		want: []string{`Fatalf: StateAt("cpux", 00:00): no alarm "cpux" in the scenario (its alarms: cpu)`},
		why:  "StateAt has no state to return for an alarm it does not know",
	}, {
		name: "Series/syntax",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Series("cpu", "1 2\n 3 4o")
		},
		want: []string{`Fatalf: Series("cpu", ...): series:2:4: "4o": want a number or _ (a missing datapoint), optionally followed by xN`},
		why:  "the line and column in the series, the item and the rule",
	}, {
		name: "Series/empty",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Series("cpu", " # nothing yet")
		},
		want: []string{`Fatalf: Series("cpu", ...): the series is empty; give one value (or _) per period`},
		why:  "an empty series is a mistake, not a silence (that is _)",
	}, {
		name: "Series/unknown alarm",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Series("cpux", "1 2")
		},
		want: []string{`Fatalf: Series("cpux", ...): no alarm "cpux" in the scenario (its alarms: cpu); put the alarm before its series`},
		why:  "a series feeds the metric of an alarm the scenario has",
	}, {
		name: "Series/composite",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.PutCompositeAlarm(composite.Config{AlarmName: "page", AlarmRule: "ALARM(cpu)"})
			s.Series("page", "1")
		},
		want: []string{`Fatalf: Series("page", ...): "page" is a composite alarm, which reads alarms, not metrics: give series to the metric alarms of its rule`},
		why:  "a composite reads no metric",
	}, {
		name: "Series/value refused",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.Run()
			s.Series("cpu", "1 2 1e300")
			s.Run()
		},
		want: []string{`Fatalf: Run: Series("cpu", ...): series:1:5: "1e300" (datapoint 3): metric: InvalidParameterValue: The value 1e+300 for parameter MetricData.member.1.Value is invalid: values must be finite and within -2^360 to 2^360.`},
		why:  "a value PutMetricData refuses is reported at its place in the series, with CloudWatch's error",
	}, {
		name: "SeriesFile/too old",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.SeriesFile("cpu", "testdata/old.csv")
			s.Run()
		},
		want: []string{"Fatalf: Run: SeriesFile: testdata/old.csv:2:1: datapoint 1 (CPU at 2024-04-01T00:00:00Z): metric: InvalidParameterValue: The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks. Timestamps are checked against the engine's clock, which reads 2024-05-01T00:00:00Z. (the file's data begins before the scenario's clock: StartAt can start it earlier)"},
		why:  "data older than PutMetricData accepts, with the datapoint's place in the file and the way out",
	}, {
		name: "MetricSeries/not math",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.MetricSeries("cpu", "m1", "1 2")
		},
		want: []string{`Fatalf: MetricSeries("cpu", "m1", ...): "cpu" reads one metric (CPU), not metric math: use Series`},
		why:  "a query id means nothing to a single-metric alarm",
	}, {
		name: "PutCompositeAlarm/rule",
		body: func(tb testing.TB) {
			s := cpu(tb)
			s.PutCompositeAlarm(composite.Config{AlarmName: "page", AlarmRule: "ALARM(cpu) AND"})
		},
		want: []string{`Fatalf: PutCompositeAlarm("page"): composite: ValidationError: Error in AlarmRule [Unexpected end of AlarmRule at char 14]`},
		why:  "CloudWatch's error for the rule",
	}, {
		name: "AlarmsFile/unknown child",
		body: func(tb testing.TB) {
			klaxontest.New(tb).AlarmsFile("testdata/unknown-child.json")
		},
		want: []string{`Fatalf: AlarmsFile: replay: testdata/unknown-child.json:2:5: [0] ("page") klaxon: ValidationError: Could not save the composite alarm as alarms [disk] in the alarm rule do not exist`},
		why:  "a composite whose child is nowhere in the file, at its place in the file, after its metric alarms were put",
	}, {
		name: "AlarmsFile/region",
		body: func(tb testing.TB) {
			klaxontest.New(tb).AlarmsFile("testdata/eu-west-1.json")
		},
		want: []string{`Fatalf: AlarmsFile: testdata/eu-west-1.json:3:9: MetricAlarms[0] ("cpu") klaxon: ValidationError: Invalid region eu-west-1 specified. Only us-east-1 is supported.` +
			` (the file's alarms are in eu-west-1: klaxontest.EngineOptions(klaxon.Options{Region: "eu-west-1", AccountID: "210987654321"}) makes the scenario's engine so)`},
		why: "the engine refuses actions of another Region, as CloudWatch does; the message says how to make the scenario's engine in the file's",
	}, {
		name: "PutMetricAlarm/invalid",
		body: func(tb testing.TB) {
			s := klaxontest.New(tb)
			s.PutMetricAlarm(alarm.Config{AlarmName: "x", Namespace: "App", MetricName: "CPU", Statistic: "Mean",
				Period: 61, EvaluationPeriods: 1, ComparisonOperator: alarm.GreaterThanThreshold})
		},
		want: []string{"Fatalf: PutMetricAlarm(\"x\"): alarm: ValidationError: 1 validation error detected: Value 'Mean' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]\n" +
			"alarm: ValidationError: The value 61 for parameter Period is invalid: valid values are 10, 20, 30 and any multiple of 60."},
		why: "every problem of the configuration, in CloudWatch's words",
	}, {
		name: "New/start",
		body: func(tb testing.TB) {
			klaxontest.New(tb, klaxontest.StartAt(time.Date(2024, 5, 1, 0, 0, 30, 0, time.UTC)))
		},
		want: []string{"Fatalf: klaxontest.New: the start 2024-05-01T00:00:30Z is not a whole minute; CloudWatch evaluates at whole minutes"},
		why:  "a start off the minute would put every series off the evaluations",
	}, {
		name: "Advance/backwards",
		body: func(tb testing.TB) {
			cpu(tb).Advance(-time.Minute)
		},
		want: []string{"Fatalf: Advance(-1m0s): the clock only moves forward"},
		why:  "evaluations only move forward",
	}, {
		name: "AlarmsFile/missing",
		body: func(tb testing.TB) {
			klaxontest.New(tb).AlarmsFile("testdata/none.json")
		},
		want: []string{"Fatalf: AlarmsFile: open testdata/none.json: no such file or directory"},
		why:  "the file's own error",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := capture(tt.body)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.why, diff)
			}
		})
	}
}
