package klaxon_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/metric"
)

// manualClock is a settable clock that never sleeps (clock.Mock's Set
// sleeps a millisecond): for tests that move time thousands of times with
// Advance, which reads only Now.
type manualClock struct {
	clock.Clock // the methods Advance never calls
	now         time.Time
}

func (c *manualClock) Now() time.Time  { return c.now }
func (c *manualClock) Set(t time.Time) { c.now = t }

// TestChurnSoak: metrics that come and go (2,000 new instance IDs an hour,
// each reporting for an hour) and alarms that flap, for 24 hours: the heap
// after the last hour is about what it was after the eighth (once the
// history has reached its retention), because
// metrics that stop reporting are freed and history is bounded by its
// retention (here 6 hours). (Metrics used to be kept for ever: about 800
// bytes for every metric ever seen.)
func TestChurnSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the soak takes a few seconds")
	}
	ctx := context.Background()
	clk := &manualClock{now: t0}
	e, err := klaxon.New(klaxon.Options{Clock: clk, HistoryRetention: 6 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		cfg := cpuAlarm()
		cfg.AlarmName = fmt.Sprint("flap-", i)
		cfg.Dimensions = []metric.Dimension{{Name: "Host", Value: fmt.Sprint("stable-", i)}}
		cfg.EvaluationPeriods, cfg.DatapointsToAlarm = 1, 0
		if err := e.PutMetricAlarm(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	const perHour = 2000
	batch := make([]metric.Datum, 0, 1000)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var after8 uint64
	for hour := range 24 {
		for minute := range 60 {
			now := clk.Now()
			flush := func() {
				if err := e.PutMetricData(ctx, "App", batch); err != nil {
					t.Fatal(err)
				}
				batch = batch[:0]
			}
			for i := range 20 { // the alarms' metrics flip every minute
				batch = append(batch, metric.Datum{MetricName: "CPU", Dimensions: []metric.Dimension{{Name: "Host", Value: fmt.Sprint("stable-", i)}},
					Timestamp: now, Value: float64(10 + 89*(minute%2))})
			}
			for i := range perHour { // this hour's ephemeral instances
				batch = append(batch, metric.Datum{MetricName: "CPU", Dimensions: []metric.Dimension{{Name: "Host", Value: fmt.Sprintf("i-%d-%d", hour, i)}}, Timestamp: now, Value: 1})
				if len(batch) == cap(batch) {
					flush()
				}
			}
			flush()
			if err := e.Advance(ctx, time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		if hour == 7 {
			after8 = heap()
		}
	}
	after24 := heap()
	metrics, _ := e.ListMetrics(ctx, klaxon.MetricFilter{})
	items := history(t, e, klaxon.HistoryFilter{})
	t.Logf("heap after 8 hours %d KiB, after 24 hours %d KiB; %d metrics listed, %d history items", after8>>10, after24>>10, len(metrics), len(items))
	if after24 > after8+after8/4 {
		t.Errorf("heap %d KiB after 24 hours, %d KiB after 8: it grows with every metric or item ever seen", after24>>10, after8>>10)
	}
	if len(metrics) > 2*perHour+20 {
		t.Errorf("%d metrics listed after 24 hours of churn, want at most the last hour's and the expiring ones (about %d)", len(metrics), perHour+20)
	}
	// 20 alarms flipping every minute for the 6 hours of retention, plus
	// what the sweep has not reached yet (up to an hour more).
	if max := 20 * 60 * 7; len(items) > max {
		t.Errorf("%d history items, want at most %d (six hours of retention and one sweep cycle)", len(items), max)
	}
}
