package klaxon_test

import (
	"context"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon"
)

// describe returns the metric alarms f selects, failing the test on an
// error.
func describe(t testing.TB, e *klaxon.Engine, f klaxon.AlarmFilter) []klaxon.MetricAlarm {
	t.Helper()
	out, err := e.DescribeAlarms(context.Background(), f)
	if err != nil {
		t.Fatalf("DescribeAlarms: %v", err)
	}
	return out.MetricAlarms
}

// history returns the history items f selects, failing the test on an
// error.
func history(t testing.TB, e *klaxon.Engine, f klaxon.HistoryFilter) []klaxon.AlarmHistoryItem {
	t.Helper()
	items, err := e.DescribeAlarmHistory(context.Background(), f)
	if err != nil {
		t.Fatalf("DescribeAlarmHistory: %v", err)
	}
	return items
}

// evalAt evaluates at, failing the test on an error.
func evalAt(t testing.TB, e *klaxon.Engine, at time.Time) {
	t.Helper()
	if err := e.EvaluateAt(context.Background(), at); err != nil {
		t.Fatalf("EvaluateAt(%v): %v", at, err)
	}
}
