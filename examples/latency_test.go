package examples_test

import (
	"testing"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/klaxontest"
)

// Does the checkout's p99 latency alarm (3 of 5 minutes above 450 ms) fire
// on the incident's data, and stay quiet on last week's and on a deploy's
// two slow minutes? Each series starts with five normal minutes of history
// (before |); _ is a minute with no data. The want column is the states the
// alarm goes through: last week's gaps page only if missing data counts as
// breaching.
func TestCheckoutLatencyAlarm(t *testing.T) {
	incident, lastWeek := "200x5 | 210 480 _ 510 _ _ 530 210x4", "200x5 | 180 210 _ _ 650 _ 190 640 _ 185 200x3"
	for _, c := range []struct{ name, data, missing, want string }{
		{"incident", incident, "missing", "OK ALARM OK"},
		{"incident", incident, "ignore", "OK ALARM OK"},
		{"incident", incident, "breaching", "OK ALARM OK"},
		{"incident", incident, "notBreaching", "OK ALARM OK"},
		{"last week", lastWeek, "missing", "OK"},
		{"last week", lastWeek, "ignore", "OK"},
		{"last week", lastWeek, "breaching", "OK ALARM OK"},
		{"last week", lastWeek, "notBreaching", "OK"},
		{"deploy", "200x5 | 200 900 900 210x5", "breaching", "OK"},
	} {
		t.Run(c.name+"/"+c.missing, func(t *testing.T) {
			t.Parallel()
			s := klaxontest.New(t)
			s.PutMetricAlarm(alarm.Config{AlarmName: "p99", Namespace: "Shop", MetricName: "Latency", ExtendedStatistic: "p99",
				Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 450,
				ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: c.missing})
			s.Series("p99", c.data)
			s.Run()
			s.ExpectStates("p99", c.want)
		})
	}
}
