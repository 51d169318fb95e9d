package main

import (
	"github.com/klaxon-go/klaxon/internal/spectables"

	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// keep marks a "retain current state" cell of the published tables.
const keep = spectables.Keep

var policies = spectables.Policies

// tableEval is the evaluation the tables describe: its five periods are
// [12:00 + 5i min, 12:05 + 5i min), i = 0..4, oldest first.
var tableEval = time.Date(2024, 5, 1, 12, 25, 0, 0, time.UTC)

const rfc = time.RFC3339

// tableAlarm is the PutMetricAlarm input of the tables' alarm.
func tableAlarm(m int, policy string) string {
	return fmt.Sprintf(`{
    "AlarmName": "table",
    "Namespace": "Test",
    "MetricName": "m",
    "Statistic": "Maximum",
    "Period": 300,
    "EvaluationPeriods": 3,
    "DatapointsToAlarm": %d,
    "Threshold": 2,
    "ComparisonOperator": "GreaterThanThreshold",
    "TreatMissingData": %q
}
`, m, policy)
}

// tableCSV writes the row's datapoints: for slot i (oldest first) one
// datapoint two minutes into period i of tableEval, 1 (not breaching) for a
// 0 and 3 (breaching) for an X; a - writes nothing. extra are more rows.
func tableCSV(t *testing.T, points string, extra ...string) string {
	t.Helper()
	slots := strings.Fields(points)
	if len(slots) != 5 {
		t.Fatalf("row %q: %d slots, want 5", points, len(slots))
	}
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	start := tableEval.Add(-5 * 5 * time.Minute)
	for i, s := range slots {
		ts := start.Add(time.Duration(5*i+2) * time.Minute).Format(rfc)
		switch s {
		case "0":
			fmt.Fprintf(&b, "%s,1\n", ts)
		case "X":
			fmt.Fprintf(&b, "%s,3\n", ts)
		case "-":
		default:
			t.Fatalf("row %q: slot %q", points, s)
		}
	}
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// historyJSON is the shape of `--format json`.
type historyJSON struct {
	AlarmHistoryItems []historyItemJSON
}

type historyItemJSON struct {
	AlarmName       string
	AlarmType       string
	Timestamp       string
	HistoryItemType string
	HistorySummary  string
	HistoryData     string
}

// stateData is the part of a StateUpdate's HistoryData the tests read.
type stateData struct {
	Version  string `json:"version"`
	OldState struct {
		StateValue string `json:"stateValue"`
	} `json:"oldState"`
	NewState struct {
		StateValue string `json:"stateValue"`
	} `json:"newState"`
}

// step is one StateUpdate: when, from, to.
type step struct{ At, From, To string }

// replayJSON runs `klaxon replay ... --format json` and returns the
// decoded history; it fails the test unless the exit status is 0.
func replayJSON(t *testing.T, alarms, metrics string, from, until time.Time) historyJSON {
	t.Helper()
	var out, errb bytes.Buffer
	args := []string{"replay", "--alarms", alarms, "--metrics", metrics,
		"--from", from.Format(rfc), "--until", until.Format(rfc), "--format", "json"}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("run %q: exit %d, want 0; stderr:\n%s", args, code, errb.String())
	}
	var h historyJSON
	if err := json.Unmarshal(out.Bytes(), &h); err != nil {
		t.Fatalf("run %q: stdout is not JSON: %v\n%s", args, err, out.String())
	}
	return h
}

// stateSteps returns the StateUpdate items of h as steps, oldest first.
func stateSteps(t *testing.T, h historyJSON) []step {
	t.Helper()
	var steps []step
	for _, it := range h.AlarmHistoryItems {
		if it.HistoryItemType != "StateUpdate" {
			continue
		}
		var d stateData
		if err := json.Unmarshal([]byte(it.HistoryData), &d); err != nil {
			t.Fatalf("HistoryData of %+v does not parse: %v", it, err)
		}
		steps = append(steps, step{it.Timestamp, d.OldState.StateValue, d.NewState.StateValue})
	}
	return steps
}

// finalState is the state after the replay: the newState of the last
// StateUpdate, or INSUFFICIENT_DATA (the initial state) when there is none.
func finalState(steps []step) string {
	if len(steps) == 0 {
		return "INSUFFICIENT_DATA"
	}
	return steps[len(steps)-1].To
}

// TestMissingDataTablesThroughReplay replays every cell of the spec's two
// missing-data tables through the command line: one evaluation at 12:25,
// whose evaluation range is exactly the row's five periods.
func TestMissingDataTablesThroughReplay(t *testing.T) {
	// The padding datapoint at 11:00 lies 85 minutes before the evaluation,
	// far outside its range (12:00 to 12:25), and before --from, so it is
	// ingested before the first (and only) evaluation and seen by none: it
	// cannot change the result. It is what lets an all-missing row have a
	// CSV with a data row (ReadMetrics rejects a CSV without data rows).
	// Every row is run with it and without it (for the all-missing rows,
	// "without" means with a datapoint after --until instead, which is never
	// ingested), and both runs must give the table's answer.
	pad := tableEval.Add(-85*time.Minute).Format(rfc) + ",3"
	late := tableEval.Add(20*time.Minute).Format(rfc) + ",3"
	for _, row := range spectables.MissingData {
		for col, pol := range policies {
			want := row.Want[col]
			wantSteps := []step{{tableEval.Format("2006-01-02T15:04:05.000Z"), "INSUFFICIENT_DATA", want}}
			if want == keep || want == "INSUFFICIENT_DATA" {
				// Retained, or unchanged from the initial state: no
				// StateUpdate item, the alarm stays INSUFFICIENT_DATA.
				want, wantSteps = "INSUFFICIENT_DATA", nil
			}
			without := []string(nil)
			if strings.Trim(row.Points, "- ") == "" {
				without = []string{late}
			}
			for _, v := range []struct {
				name  string
				extra []string
			}{
				{"padded at 11:00", []string{pad}},
				{"only the row's datapoints", without},
			} {
				name := fmt.Sprintf("M=%d %q %s, %s", row.M, row.Points, pol, v.name)
				dir := t.TempDir()
				a := writeFile(t, dir, "alarms.json", tableAlarm(row.M, pol))
				m := writeFile(t, dir, "metrics.csv", tableCSV(t, row.Points, v.extra...))
				steps := stateSteps(t, replayJSON(t, a, m, tableEval, tableEval))
				if diff := cmp.Diff(want, finalState(steps)); diff != "" {
					t.Errorf("%s: state after one evaluation (%s; table says %s) (-want +got):\n%s", name, row.Why, row.Want[col], diff)
					continue
				}
				if diff := cmp.Diff(wantSteps, steps); diff != "" {
					t.Errorf("%s: StateUpdate items (%s) (-want +got):\n%s", name, row.Why, diff)
				}
			}
		}
	}
}

// TestMissingDataNextEvaluation follows the rows whose later evaluations the
// spec explains.
func TestMissingDataNextEvaluation(t *testing.T) {
	tests := []struct {
		m      int
		points string
		policy string
		until  time.Time
		want   []step
		why    string
	}{
		{3, "0 - - - -", "breaching", tableEval.Add(5 * time.Minute), []step{
			{"2024-05-01T12:25:00.000Z", "INSUFFICIENT_DATA", "OK"},
			{"2024-05-01T12:28:00.000Z", "OK", "ALARM"},
		}, "Table A row 2 explained: OK at 12:25 (0 + 2 fills < 3); once the 0 has left the range the " +
			"range is all missing and three breaching fills give ALARM, so the state at 12:30 is ALARM. Windows " +
			"slide every minute: the 0 is at 12:02, and 12:28 is the first evaluation whose range [12:03, 12:28) " +
			"no longer holds it"},
		{3, "0 - - - -", "breaching", tableEval.Add(2 * time.Minute), []step{
			{"2024-05-01T12:25:00.000Z", "INSUFFICIENT_DATA", "OK"},
		}, "Table A row 2 up to 12:27: the range [12:02, 12:27) still holds the 0 (at 12:02, start inclusive)"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		a := writeFile(t, dir, "alarms.json", tableAlarm(tt.m, tt.policy))
		m := writeFile(t, dir, "metrics.csv", tableCSV(t, tt.points))
		got := stateSteps(t, replayJSON(t, a, m, tableEval, tt.until))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("M=%d %q %s until %s (%s) (-want +got):\n%s", tt.m, tt.points, tt.policy, tt.until.Format(rfc), tt.why, diff)
		}
	}
}

// TestReplayGolden runs the README's command on the bundled example and
// compares stdout with golden files (go test -update rewrites them).
func TestReplayGolden(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := []string{"replay", "--alarms", "../../examples/testdata/alarms.json",
				"--metrics", "../../examples/testdata/cpu.csv", "--format", format}
			if code := run(context.Background(), args, &out, &errb); code != 0 {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, errb.String())
			}
			if errb.Len() > 0 {
				t.Errorf("stderr not empty:\n%s", errb.String())
			}
			ext := map[string]string{"json": "json", "text": "txt"}[format]
			golden := filepath.Join("testdata", "replay."+ext+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), out.String()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
			if format == "json" {
				checkHistoryJSON(t, out.Bytes())
				// The data runs from 18:00:00 to 05:55:00: the first
				// evaluation that sees a datapoint is 18:01, the last one
				// 05:56. Nothing happens before, or after (the silence
				// after the file ends is not judged).
				for _, s := range stateSteps(t, historyJSONOf(t, out.Bytes())) {
					if s.At < "2014-02-26T18:01:00.000Z" || s.At > "2014-02-27T05:56:00.000Z" {
						t.Errorf("transition %+v outside [18:01, 05:56], the evaluations that see the data", s)
					}
				}
			}
			if format == "text" && strings.Contains(out.String(), "18:00:00Z  cpu-heartbeat") {
				t.Errorf("the heartbeat pages at 18:00, before the first datapoint is seen")
			}
		})
	}
}

// TestSNSOut: --sns-out writes each SNS message of the README's replay to
// its own file, named so that a listing sorts in publish order, holding
// CloudWatch's message; the first is compared with a golden file.
func TestSNSOut(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"replay", "--alarms", "../../examples/testdata/alarms.json",
		"--metrics", "../../examples/testdata/cpu.csv", "--format", "json", "--sns-out", dir}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errb.String())
	}
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		t.Fatal(err)
	}
	// The Action items of SNS actions, in publish order.
	var want []string
	for _, h := range historyJSONOf(t, out.Bytes()).AlarmHistoryItems {
		if h.HistoryItemType == "Action" && strings.Contains(h.HistorySummary, "arn:aws:sns:") {
			want = append(want, h.AlarmName)
		}
	}
	var got []string
	for i, e := range entries {
		name := e.Name()
		var seq int
		var stamp, alarm string
		if _, err := fmt.Sscanf(strings.ReplaceAll(strings.TrimSuffix(name, ".json"), "-", " "), "%d %s", &seq, &stamp); err != nil || seq != i+1 {
			t.Errorf("file %d is %s: want NNNNNNNN-TIME-ALARM.json numbered from 1", i+1, name)
		}
		alarm = strings.TrimSuffix(name[len("00000001-20140226T220600Z-"):], ".json")
		got = append(got, alarm)
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var msg struct{ AlarmName, NewStateValue string }
		if err := json.Unmarshal(b, &msg); err != nil || msg.AlarmName != alarm {
			t.Errorf("%s: %v; AlarmName %q", name, err, msg.AlarmName)
		}
		if i == 0 {
			golden := filepath.Join("testdata", "sns-out-first.json.golden")
			if *update {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			w, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(w), string(b)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("the example's replay publishes nothing to SNS")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files by alarm, in order (-want: the SNS Action items +got):\n%s", diff)
	}
}

// checkHistoryJSON checks the shape of --format json output: exactly the
// keys of describe-alarm-history, HistoryData that parses as JSON, and
// StateUpdate summaries that agree with their HistoryData.
func checkHistoryJSON(t *testing.T, out []byte) {
	t.Helper()
	if bytes.Contains(out, []byte(`\u003e`)) || bytes.Contains(out, []byte(`\u003c`)) || bytes.Contains(out, []byte(`\u0026`)) {
		t.Errorf("output has HTML-escaped characters (want -> as it is)")
	}
	var raw map[string][]map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(out))
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("output is not {\"AlarmHistoryItems\":[{...}]}: %v", err)
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	if diff := cmp.Diff([]string{"AlarmHistoryItems"}, keys); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
	if len(raw["AlarmHistoryItems"]) == 0 {
		t.Errorf("the example's history is empty; the example should change state")
	}
	itemKeys := []string{"AlarmName", "AlarmType", "Timestamp", "HistoryItemType", "HistorySummary", "HistoryData"}
	for i, it := range raw["AlarmHistoryItems"] {
		for _, k := range itemKeys {
			if _, ok := it[k]; !ok {
				t.Errorf("item %d has no %s", i, k)
			}
		}
		if len(it) != len(itemKeys) {
			t.Errorf("item %d has %d keys, want exactly %q", i, len(it), itemKeys)
		}
	}
	var h historyJSON
	if err := json.Unmarshal(out, &h); err != nil {
		t.Fatal(err)
	}
	prev := ""
	for i, it := range h.AlarmHistoryItems {
		if !json.Valid([]byte(it.HistoryData)) {
			t.Errorf("item %d (%s %s): HistoryData is not JSON: %s", i, it.AlarmName, it.HistoryItemType, it.HistoryData)
			continue
		}
		if it.Timestamp < prev {
			t.Errorf("item %d at %s comes after an item at %s: want oldest first", i, it.Timestamp, prev)
		}
		prev = it.Timestamp
		switch it.HistoryItemType {
		case "StateUpdate":
			var d stateData
			if err := json.Unmarshal([]byte(it.HistoryData), &d); err != nil {
				t.Errorf("item %d: %v", i, err)
				continue
			}
			want := fmt.Sprintf("Alarm updated from %s to %s", d.OldState.StateValue, d.NewState.StateValue)
			if diff := cmp.Diff(want, it.HistorySummary); diff != "" {
				t.Errorf("item %d (%s at %s): HistorySummary against HistoryData (-want +got):\n%s", i, it.AlarmName, it.Timestamp, diff)
			}
		case "Action":
		default:
			t.Errorf("item %d: HistoryItemType %q, want StateUpdate or Action", i, it.HistoryItemType)
		}
	}
}

// TestCLIErrors checks that bad invocations exit 2 with the problem on
// stderr.
func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", tableAlarm(3, "missing"))
	bad := writeFile(t, dir, "bad.json", tableAlarm(5, "missing"))
	csv := writeFile(t, dir, "m.csv", tableCSV(t, "0 - X - X"))
	nan := writeFile(t, dir, "nan.csv", "timestamp,value\n2024-05-01T12:02:00Z,NaN\n")
	two := writeFile(t, dir, "two.json", `[
    {"AlarmName": "a", "Namespace": "Test", "MetricName": "m", "Statistic": "Maximum", "Period": 300,
     "EvaluationPeriods": 3, "Threshold": 2, "ComparisonOperator": "GreaterThanThreshold"},
    {"AlarmName": "b", "Namespace": "Test", "MetricName": "other", "Statistic": "Maximum", "Period": 300,
     "EvaluationPeriods": 3, "Threshold": 2, "ComparisonOperator": "GreaterThanThreshold"}
]`)
	deep := writeFile(t, dir, "deep.json", `{"MetricAlarms": [`+tableAlarm(3, "missing")+`], "CompositeAlarms": [
    {"AlarmName": "deep", "AlarmRule": "`+strings.Repeat("(", 100000)+"ALARM(table)"+strings.Repeat(")", 100000)+`"}]}`)
	missing := filepath.Join(dir, "no-such-file.json")
	replay := func(args ...string) []string { return append([]string{"replay"}, args...) }

	tests := []struct {
		args   []string
		code   int
		stderr string // a substring of stderr
		stdout string // a substring of stdout
		why    string
	}{
		{nil, 2, "usage:", "", "no command: print the usage"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`, "", "only replay, validate and help exist"},
		{replay("--metrics", csv), 2, "--alarms is required", "", "replay needs alarms"},
		{replay("--alarms", good), 2, "--metrics is required", "", "replay needs data"},
		{replay("--alarms", good, "--metrics", csv, "--format", "xml"), 2, `--format "xml": must be text or json`, "", "two formats only"},
		{replay("--alarms", good, "--metrics", csv, "--from", "2024-05-01 12:00"), 2, "is not an RFC 3339 time", "", "--from takes RFC 3339"},
		{replay("--alarms", missing, "--metrics", csv), 2, "no-such-file.json", "", "the alarms file does not exist"},
		{replay("--alarms", good, "--metrics", filepath.Join(dir, "no-such.csv")), 2, "no-such.csv", "", "a metrics file does not exist"},
		{replay("--alarms", bad, "--metrics", csv), 2, "DatapointsToAlarm must be less than or equal to EvaluationPeriods", "", "M = 5 > N = 3 is rejected as PutMetricAlarm rejects it"},
		{replay("--alarms", good, "--metrics", nan), 2, "is not a finite number", "", "CloudWatch accepts only finite values"},
		{replay("--alarms", two, "--metrics", csv), 2, "no namespace and metric_name columns", "", "a CSV without metric columns cannot feed two different metrics"},
		{replay("--alarms", good, "--metrics", csv, "--from", "2024-05-01T12:25:00Z", "--until", "2024-05-01T12:20:00Z"), 2, "is before --from", "", "the range of evaluations is empty"},
		{[]string{"validate", "--alarms", bad}, 2, "DatapointsToAlarm must be less than or equal to EvaluationPeriods", "", "validate reports the invalid alarm"},
		{[]string{"validate", "--alarms", good}, 0, "", "1 metric alarm valid", "a valid alarm, in the singular"},
		{[]string{"validate"}, 2, "--alarms is required", "", "validate needs a file"},
		{[]string{"validate", "--alarms", deep}, 2, "Member must have length less than or equal to 10240", "", "a rule of 100,000 nested parentheses is an error, not a crash"},
		{replay("--alarms", deep, "--metrics", csv), 2, "Member must have length less than or equal to 10240", "", "replay refuses the 100,000-deep rule too"},
		{[]string{"help"}, 0, "", "usage:", "help prints the usage on stdout and succeeds"},
		{replay("--alarms", good, "--metrics", csv, "--plot", filepath.Join(dir, "out.gif")), 2, `--plot: "` + filepath.Join(dir, "out.gif") + `": want a file name ending in .svg or .png`, "", "plots are SVG or PNG, and the flag is checked before any work"},
		{replay("--alarms", good, "--metrics", csv, "--sns-out", filepath.Join(good, "x")), 2, "--sns-out: mkdir " + good + ": not a directory", "", "--sns-out needs a directory it can make"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tt.args, &out, &errb)
		if code != tt.code {
			t.Errorf("run %q (%s): exit %d, want %d\nstdout:\n%s\nstderr:\n%s", tt.args, tt.why, code, tt.code, out.String(), errb.String())
		}
		if !strings.Contains(errb.String(), tt.stderr) {
			t.Errorf("run %q (%s): stderr does not contain %q:\n%s", tt.args, tt.why, tt.stderr, errb.String())
		}
		if !strings.Contains(out.String(), tt.stdout) {
			t.Errorf("run %q (%s): stdout does not contain %q:\n%s", tt.args, tt.why, tt.stdout, out.String())
		}
		if tt.code == 2 && out.Len() > 0 {
			t.Errorf("run %q (%s): stdout not empty on invalid input:\n%s", tt.args, tt.why, out.String())
		}
	}
}

// TestEmptyHistoryJSON checks that a replay with no state change prints an
// empty list, never null.
func TestEmptyHistoryJSON(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "alarms.json", tableAlarm(3, "missing"))
	// The only datapoint is at 12:30, after the last evaluation (12:10):
	// every evaluation from 11:50 to 12:10 sees an empty range, and with
	// "missing" the alarm stays INSUFFICIENT_DATA.
	m := writeFile(t, dir, "metrics.csv", "timestamp,value\n2024-05-01T12:30:00Z,3\n")
	var out, errb bytes.Buffer
	args := []string{"replay", "--alarms", a, "--metrics", m, "--from", "2024-05-01T11:50:00Z",
		"--until", "2024-05-01T12:10:00Z", "--format", "json"}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errb.String())
	}
	want := "{\n    \"AlarmHistoryItems\": []\n}\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("empty history (-want +got):\n%s", diff)
	}
}

func historyJSONOf(t *testing.T, b []byte) historyJSON {
	t.Helper()
	var h historyJSON
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h
}
