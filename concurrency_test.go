package klaxon_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// TestConcurrentUse exercises every entry point from several goroutines
// at once (run it with -race): ingest, evaluation, configuration,
// SetAlarmState, Describe*, and a subscriber that calls back into the
// engine. It checks that every transition is delivered once, in order per
// alarm.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	e, clk := newEngine(t, rec)
	const alarms = 8
	var mu sync.Mutex
	last := map[string]alarm.State{}
	delivered := 0
	e.Subscribe(func(tr klaxon.Transition) {
		// A callback may call the engine: it runs outside the lock.
		_ = describe(t, e, klaxon.AlarmFilter{AlarmNames: []string{tr.AlarmName}})
		mu.Lock()
		defer mu.Unlock()
		if prev, ok := last[tr.AlarmName]; ok && prev != tr.From {
			t.Errorf("%s: transition from %v after a transition to %v", tr.AlarmName, tr.From, prev)
		}
		last[tr.AlarmName] = tr.To
		delivered++
	})
	for i := range alarms {
		cfg := cpuAlarm()
		cfg.AlarmName = fmt.Sprintf("a%d", i)
		cfg.TreatMissingData = alarm.MissingDataBreaching
		if err := e.PutMetricAlarm(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	work := func(f func(i int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				f(i)
			}
		}()
	}
	work(func(i int) {
		v := float64(i % 200)
		e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Dimensions: []metric.Dimension{{Name: "Host", Value: "a"}}, Timestamp: t0, Value: v}})
	})
	work(func(i int) { e.EvaluateAt(ctx, t0.Add(time.Duration(i)*time.Minute)) })
	work(func(i int) {
		e.SetAlarmState(ctx, fmt.Sprintf("a%d", i%alarms), alarm.State(i%3), "test", "")
	})
	work(func(i int) {
		cfg := cpuAlarm()
		cfg.AlarmName = fmt.Sprintf("a%d", i%alarms)
		cfg.Threshold = float64(i)
		cfg.TreatMissingData = alarm.MissingDataBreaching
		if err := e.PutMetricAlarm(ctx, cfg); err != nil {
			t.Error(err)
		}
	})
	work(func(i int) {
		describe(t, e, klaxon.AlarmFilter{})
		history(t, e, klaxon.HistoryFilter{MaxRecords: 10})
		if i%50 == 0 {
			e.DisableAlarmActions(ctx, "a1")
			e.EnableAlarmActions(ctx, "a1")
		}
	})
	wg.Wait()
	_ = clk
	states := 0
	for _, h := range history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryStateUpdate}) {
		_ = h
		states++
	}
	mu.Lock()
	defer mu.Unlock()
	if delivered != states {
		t.Errorf("%d transitions delivered to the subscriber, %d StateUpdate items in history", delivered, states)
	}
	if delivered == 0 {
		t.Error("no transition happened: the test exercised nothing")
	}
}
