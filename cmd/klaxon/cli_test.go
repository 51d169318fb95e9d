package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCLIBasics: help, version, errors printed once, plural forms, and
// duplicate alarm names in both commands.
func TestCLIBasics(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", tableAlarm(3, "missing"))
	csv := writeFile(t, dir, "m.csv", tableCSV(t, "0 - X - X"))
	dup := writeFile(t, dir, "dup.json", `[`+tableAlarm(3, "missing")+`,`+tableAlarm(2, "missing")+`]`)
	typo := writeFile(t, dir, "typo.json", `[{"AlarmName":"a","Treshold":1,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold","Perod":60}]`)
	svc := writeFile(t, dir, "svc.json", `{"AlarmName":"svc","Namespace":"Svc","MetricName":"Errors","Statistic":"Sum","Period":60,
"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Dimensions":[{"Name":"service","Value":"api"}]}`)
	svcData := writeFile(t, dir, "svc.csv", "timestamp,value,namespace,metric_name,dimensions\n2024-05-01T12:00:00Z,1,Svc,Errors,Service=api\n2024-05-01T12:01:00Z,1,Svc,Errors,Service=api\n")
	tests := []struct {
		args           []string
		code           int
		stdout, stderr string // exact, or "" for empty; a trailing "..." means "starts with"
		why            string
	}{
		{[]string{"--help"}, 0, "usage:...", "", "--help succeeds, on stdout"},
		{[]string{"replay", "--help"}, 0, "usage of klaxon replay:...", "", "a command's --help prints its flags and succeeds"},
		{[]string{"validate", "-h"}, 0, "usage of klaxon validate:...", "", "-h too"},
		{[]string{"version"}, 0, "klaxon ...", "", "klaxon version names the build"},
		{[]string{"replay", "--alarms", good, "--metrics", csv, "--from", "noon"}, 2, "",
			"klaxon replay: invalid value \"noon\" for flag -from: \"noon\" is not an RFC 3339 time such as 2024-05-01T12:00:00Z (run 'klaxon replay --help' for the flags)\n",
			"a bad flag value is said once, without the usage around it"},
		{[]string{"replay", "--alarms", dup, "--metrics", csv}, 2, "",
			"klaxon replay: replay: " + dup + ":13:2: [1] (\"table\"): the alarm name \"table\" is already used by [0] (line 1): alarm names are unique (CloudWatch would replace the first alarm with this one)\n",
			"duplicate names are an error in replay"},
		{[]string{"validate", "--alarms", dup}, 2, "",
			"klaxon validate: replay: " + dup + ":13:2: [1] (\"table\"): the alarm name \"table\" is already used by [0] (line 1): alarm names are unique (CloudWatch would replace the first alarm with this one)\n",
			"and in validate"},
		{[]string{"validate", "--alarms", typo}, 2, "",
			"klaxon validate: replay: " + typo + ":1:30: [0].Treshold: unknown field \"Treshold\" (did you mean \"Threshold\"?)\n" +
				"klaxon validate: replay: " + typo + ":1:106: [0].Perod: unknown field \"Perod\" (did you mean \"Period\"?)\n",
			"every decoding problem, each with its place and the nearest key"},
		{[]string{"validate", "--alarms", good}, 0, good + ": 1 metric alarm valid\n", "", "plural forms: 1 alarm"},
		{[]string{"replay", "--alarms", svc, "--metrics", svcData}, 0, "Replay from 2024-05-01T12:01:00Z to 2024-05-01T12:02:00Z, every 1m0s: 1 alarm, 0 transitions, 0 actions that would run (a replay runs none).\n...",
			"klaxon replay: warning: " + svc + ":1:1: alarm \"svc\" matches no metric of the data: the alarm reads Svc Errors {service=api}; the nearest metric in the data is Svc Errors {Service=api} (names and dimensions are case-sensitive) [no-matching-metric]\n",
			"an alarm whose dimensions match nothing is replayed, with a warning naming the nearest metric"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tt.args, &out, &errb)
		if code != tt.code {
			t.Errorf("run %q: exit %d, want %d (%s)\nstderr: %s", tt.args, code, tt.code, tt.why, errb.String())
		}
		for _, c := range []struct{ name, want, got string }{{"stdout", tt.stdout, out.String()}, {"stderr", tt.stderr, errb.String()}} {
			if prefix, ok := strings.CutSuffix(c.want, "..."); ok {
				if !strings.HasPrefix(c.got, prefix) {
					t.Errorf("run %q: %s %q, want it to start with %q (%s)", tt.args, c.name, c.got, prefix, tt.why)
				}
				continue
			}
			if diff := cmp.Diff(c.want, c.got); diff != "" {
				t.Errorf("run %q: %s (-want +got):\n%s\nwhy: %s", tt.args, c.name, diff, tt.why)
			}
		}
	}
}

// TestValidateLint: warnings by default (exit 0), errors with --strict,
// and the JSON report.
func TestValidateLint(t *testing.T) {
	dir := t.TempDir()
	hb := writeFile(t, dir, "hb.json", tableAlarm(2, "breaching"))
	warning := "alarm \"table\" heartbeat-style alarm (missing data breaching, 3 evaluation periods): it fires 10m0s after the metric stops, once 2 of the newest periods are missing (evaluations see whole periods only, a minute or so after the last datapoint's minute ends); a datapoint that arrives late fires it too [heartbeat-delay]"
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"validate", "--alarms", hb}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, want 0 (a warning is not an error): %s", code, errb.String())
	}
	want := "klaxon validate: warning: " + hb + ":1:1: " + warning + "\n" + hb + ": 1 metric alarm valid, 1 warning\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"validate", "--strict", "--alarms", hb}, &out, &errb); code != 2 {
		t.Errorf("--strict: exit %d, want 2", code)
	}
	if diff := cmp.Diff("klaxon validate: error: "+hb+":1:1: "+warning+"\n", errb.String()); diff != "" {
		t.Errorf("--strict stderr (-want +got):\n%s", diff)
	}
	out.Reset()
	if code := run(context.Background(), []string{"validate", "--format", "json", "--alarms", hb}, &out, &errb); code != 0 {
		t.Errorf("--format json: exit %d, want 0", code)
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("--format json: %v\n%s", err, out.String())
	}
	wantRep := report{Alarms: 1, Errors: []problemJSON{}, Warnings: []findingJSON{{File: hb, Line: 1, Column: 1, Alarm: "table", Rule: "heartbeat-delay",
		Message: strings.TrimSuffix(strings.TrimPrefix(warning, "alarm \"table\" "), " [heartbeat-delay]"), Text: hb + ":1:1: " + warning}}}
	if diff := cmp.Diff(wantRep, rep); diff != "" {
		t.Errorf("--format json (-want +got):\n%s", diff)
	}
}
