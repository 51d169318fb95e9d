package klaxon_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/nab"
	"github.com/klaxon-go/klaxon/metric"
)

// quickClock is a mock clock whose time is set directly, without the
// millisecond sleep of clock.Mock's Set.
type quickClock struct {
	*clock.Mock
	now time.Time
}

func (c *quickClock) Now() time.Time { return c.now }

// nabEngineDetections replays a NAB file through an engine as a service
// would run it: each row sent at its timestamp, an anomaly detection
// alarm (ANOMALY_DETECTION_BAND(m1, 3) on the 5-minute Average, outside
// the band, 1 of 12) evaluated every minute. A transition into ALARM at t
// is a detection at the newest row before t.
func nabEngineDetections(t *testing.T, s nab.Series) []bool {
	ctx := context.Background()
	clk := &quickClock{Mock: clock.NewMock(), now: s.Timestamps[0].Truncate(time.Minute)}
	e, err := klaxon.New(klaxon.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	err = e.PutMetricAlarm(ctx, alarm.Config{ // the anomaly package's NAB alarm
		AlarmName: "nab", EvaluationPeriods: 12, DatapointsToAlarm: 1, ThresholdMetricId: "ad1",
		ComparisonOperator: alarm.LessThanLowerOrGreaterThanUpperThreshold,
		Metrics: []alarm.MetricDataQuery{
			{Id: "m1", ReturnData: &yes, MetricStat: &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "NAB", MetricName: "value"}, Period: 300, Stat: "Average"}},
			{Id: "ad1", ReturnData: &yes, Expression: "ANOMALY_DETECTION_BAND(m1, 3)"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	detected := make([]bool, len(s.Timestamps))
	row := -1 // the newest row sent
	e.Subscribe(func(tr klaxon.Transition) {
		if tr.To == alarm.StateAlarm && row >= 0 {
			detected[row] = true
		}
	})
	next := clk.now.Add(time.Minute)
	end := s.Timestamps[len(s.Timestamps)-1].Add(time.Minute)
	for i := 0; next.Before(end) || next.Equal(end); next = next.Add(time.Minute) {
		for ; i < len(s.Timestamps) && s.Timestamps[i].Before(next); i++ {
			clk.now = s.Timestamps[i]
			err := e.PutMetricData(ctx, "NAB", []metric.Datum{{MetricName: "value", Timestamp: s.Timestamps[i], Value: s.Values[i]}})
			if err != nil {
				t.Fatal(err)
			}
			row = i
		}
		clk.now = next
		if err := e.EvaluateAt(ctx, next); err != nil {
			t.Fatal(err)
		}
	}
	return detected
}

// TestNABThroughTheEngine scores the engine's anomaly detection alarm on
// the Numenta Anomaly Benchmark's real CloudWatch files, with one
// configuration for every file (the anomaly package's NAB alarm), through
// the engine's whole path (ingest, aggregation, learning, evaluation every
// minute, transitions); its scores are the anomaly package's own harness's:
//
//	go test -run TestNABThroughTheEngine -v .
//
// prints the per-category scores of NAB's three profiles. It skips in
// -short mode and when ../shared/data/nab (beside the module) is absent.
func TestNABThroughTheEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the NAB files through the engine: skipped in -short mode")
	}
	data, err := nab.DataDir()
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%v: skipped", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(data, "labels", "combined_windows.json"))
	if err != nil {
		t.Fatal(err)
	}
	windows, err := nab.ReadWindows(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, cat := range []string{"realAWSCloudwatch", "artificialWithAnomaly"} {
		paths, _ := filepath.Glob(filepath.Join(data, cat, "*.csv"))
		slices.Sort(paths)
		var sums [3]nab.Result
		for _, path := range paths {
			r, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := nab.ReadCSV(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			detected := nabEngineDetections(t, s)
			key := cat + "/" + filepath.Base(path)
			for pi, p := range nab.Profiles() {
				rows, err := nab.Rows(s.Timestamps, windows[key], p)
				if err != nil {
					t.Fatal(err)
				}
				res, err := nab.Score(rows, detected, p)
				if err != nil {
					t.Fatal(err)
				}
				sums[pi] = sums[pi].Add(res)
			}
		}
		fmt.Fprintf(&b, "%-24s", cat)
		for pi, p := range nab.Profiles() {
			n, _ := nab.Normalize(sums[pi].Score, sums[pi].Windows, p)
			fmt.Fprintf(&b, " %8.2f", n)
			if cat == "realAWSCloudwatch" && pi == 0 && n < 60 {
				t.Errorf("realAWSCloudwatch standard score %.2f through the engine, want at least 60", n)
			}
		}
		b.WriteString("\n")
	}
	t.Log("category                 standard    lowFP    lowFN\n" + b.String())
}
