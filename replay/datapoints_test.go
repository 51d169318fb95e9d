package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/metric"
)

// Datapoints gives each datapoint with its namespace and place: a
// streamed file read again, and data held in memory.
func TestDatapoints(t *testing.T) {
	type dp struct {
		NS        string
		Name      string
		Value     float64
		At        time.Time
		Line, Col int
	}
	collect := func(m *Metrics, max int) []dp {
		var out []dp
		err := m.Datapoints(func(ns string, d metric.Datum, line, col int) bool {
			out = append(out, dp{ns, d.MetricName, d.Value, d.Timestamp.UTC(), line, col})
			return len(out) < max
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	csv := "timestamp,value\n2024-05-01T12:00:00Z,1\n2024-05-01T12:01:00Z,2\n2024-05-01T12:02:00Z,3\n"
	m, err := OpenMetrics("cpu.csv", strings.NewReader(csv), ReadOptions{Default: &MetricRef{Namespace: "App", MetricName: "CPU"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []dp{
		{"App", "CPU", 1, t0, 2, 1},
		{"App", "CPU", 2, t0.Add(time.Minute), 3, 1},
		{"App", "CPU", 3, t0.Add(2 * time.Minute), 4, 1},
	}
	if diff := cmp.Diff(want, collect(m, 10)); diff != "" {
		t.Errorf("a CSV's datapoints, with their lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:2], collect(m, 2)); diff != "" {
		t.Errorf("read again, stopping after two (-want +got):\n%s", diff)
	}
	mem, err := NewMetrics("mem", []Batch{{Namespace: "App", MetricData: []metric.Datum{{MetricName: "CPU", Value: 7, Timestamp: t0}}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dp{{"App", "CPU", 7, t0, 1, 1}}, collect(mem, 10)); diff != "" {
		t.Errorf("data in memory: batch and datum as line and column (-want +got):\n%s", diff)
	}
}
