package klaxontest_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/klaxontest"
)

// p99 is the alarm of the thousand-row table: 3 of 5 minutes above 450.
func p99(missing string) alarm.Config {
	return alarm.Config{AlarmName: "p99", Namespace: "Shop", MetricName: "Latency", ExtendedStatistic: "p99",
		Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 450,
		ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: missing}
}

type spikeRow struct {
	name, series, missing, want string
}

// spikeRows returns n rows: a spike of k minutes above the threshold
// after some normal minutes, under each missing-data policy. The alarm
// fires, and recovers once the spike has passed, when k is 3 or more;
// the data has no gap, so that the policy never decides.
func spikeRows(n int) []spikeRow {
	policies := []string{"missing", "ignore", "breaching", "notBreaching"}
	rows := make([]spikeRow, 0, n)
	for i := 0; len(rows) < n; i++ {
		k, before, spike, policy := i%8, i/8%10, 451+i/80%13*100, policies[i%4]
		series := "200x5 | 210"
		if before > 0 {
			series += " 200x" + strconv.Itoa(before)
		}
		if k > 0 {
			series += " " + strconv.Itoa(spike) + "x" + strconv.Itoa(k)
		}
		series += " 190x5"
		want := "OK"
		if k >= 3 {
			want = "OK ALARM OK"
		}
		rows = append(rows, spikeRow{fmt.Sprintf("%d/%s", i, series), series, policy, want})
	}
	return rows
}

// A thousand rows over one alarm, each its own scenario in parallel, as
// a user's table test runs them. `go test -run TestThousandRows -v`
// prints the time it takes.
func TestThousandRows(t *testing.T) {
	for _, r := range spikeRows(1000) {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			s := klaxontest.New(t)
			s.PutMetricAlarm(p99(r.missing))
			s.Series("p99", r.series)
			s.Run()
			s.ExpectStates("p99", r.want)
		})
	}
}

// One row of the table: a scenario made, run and checked.
func BenchmarkScenario(b *testing.B) {
	r := spikeRows(8)[5] // a five-minute spike: OK ALARM OK
	for b.Loop() {
		s := klaxontest.New(b)
		s.PutMetricAlarm(p99(r.missing))
		s.Series("p99", r.series)
		s.Run()
		s.ExpectStates("p99", r.want)
	}
}

// The expectation alone, on a scenario run once.
func BenchmarkExpectTransitions(b *testing.B) {
	s := klaxontest.New(b)
	s.PutMetricAlarm(p99("missing"))
	s.Series("p99", "200x5 | 210 600x5 190x5")
	s.Run()
	for b.Loop() {
		s.ExpectTransitions("00:01 p99 INSUFFICIENT_DATA -> OK", "00:04 p99 OK -> ALARM", "00:09 p99 ALARM -> OK")
	}
}
