package klaxontest

import (
	"testing"

	"github.com/klaxon-go/klaxon/alarm"
)

// FuzzTransitionLine fails on a panic, on an error that names no line,
// and when the canonical form of a line it reads does not read back the
// same.
func FuzzTransitionLine(f *testing.F) {
	s := New(f)
	for _, name := range []string{"cpu", "latency high", `say "hi"`} {
		s.PutMetricAlarm(alarm.Config{AlarmName: name, Namespace: "App", MetricName: "CPU", Statistic: "Maximum",
			Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold})
	}
	for _, seed := range []string{
		"00:01 cpu INSUFFICIENT_DATA -> OK",
		`00:03 "latency high" OK -> ALARM "Threshold Crossed: 2 datapoints [96.0 (01/05/24 00:02:00)]"`,
		"2024-05-02T00:00:10 cpu ALARM -> OK `raw`",
		`23:59:59.5 "say \"hi\"" OK -> OK ""`,
		"00:03 cpu OK => ALARM",
		`00:01 cpu OK -> ALARM "unterminated`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		w, err := s.parseTransition(1, line)
		if err != nil {
			if _, ok := err.(*lineError); !ok {
				t.Fatalf("parseTransition(%q): %T %v, want a *lineError", line, err, err)
			}
			return
		}
		canon := s.wantTransitionText(&w)
		again, err := s.parseTransition(1, canon)
		if err != nil {
			t.Fatalf("the canonical form %q of %q does not read back: %v", canon, line, err)
		}
		if got := s.wantTransitionText(&again); got != canon {
			t.Fatalf("%q -> %q -> %q", line, canon, got)
		}
	})
}
