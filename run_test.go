package klaxon_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// waitFor returns the next value of ch, failing the test when none comes
// within 10 s of real time (a deadlock or a lost evaluation; the wait is a
// guard, not a sleep that the test relies on).
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: nothing within 10 s", what)
		panic("unreachable")
	}
}

// TestRunEvaluatesFromCreation: Run evaluates every boundary after the
// engine's creation, so a test that starts Run and moves the clock at once
// gets the evaluation, whether Run's goroutine started before the move or
// after it. (Run used to start its schedule from the clock when its
// goroutine started, and lost that tick 49 times in 50.)
func TestRunEvaluatesFromCreation(t *testing.T) {
	for i := range 30 {
		ctx, cancel := context.WithCancel(context.Background())
		e, clk := newEngine(t, nil)
		if err := e.PutMetricAlarm(ctx, cpuAlarm()); err != nil {
			t.Fatal(err)
		}
		for m := range 4 {
			put(t, e, t0.Add(time.Duration(m)*time.Minute), 99)
		}
		got := make(chan string, 16)
		e.Subscribe(func(tr klaxon.Transition) { got <- tr.At.Format("15:04:05") + " " + tr.To.String() })
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		clk.Add(5 * time.Minute)
		// 12:01 sees one breaching datapoint, too recent for M = 2: the
		// alarm stays INSUFFICIENT_DATA; 12:02 sees two.
		if diff := cmp.Diff("12:02:00 ALARM", waitFor(t, got, fmt.Sprintf("run %d: the first transition", i))); diff != "" {
			t.Fatalf("run %d (-want +got):\n%s", i, diff)
		}
		cancel()
		if err := waitFor(t, done, "Run's return"); err != context.Canceled {
			t.Fatalf("Run returned %v, want context.Canceled", err)
		}
		if n := clk.Now(); !n.Equal(t0.Add(5 * time.Minute)) {
			t.Fatalf("run %d: the clock reads %v after Add(5m) from %v", i, n, t0)
		}
	}
}

// TestRunNeverTurnsTheClockBack: while Run follows a mock clock that
// another goroutine moves 100 times by 10 s, with a slow subscriber, the
// clock never reads an earlier time than before, and data stamped with it
// is always accepted. (Run used to re-arm its timer for a time already
// past; the mock then set itself back to that time at its next move.)
func TestRunNeverTurnsTheClockBack(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, clk := newEngine(t, nil)
	for i := range 4 {
		cfg := cpuAlarm()
		cfg.AlarmName = fmt.Sprintf("hr-%d", i)
		cfg.Period, cfg.EvaluationPeriods, cfg.DatapointsToAlarm = 10, 1, 0
		cfg.TreatMissingData = alarm.MissingDataBreaching
		if err := e.PutMetricAlarm(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	var work atomic.Int64
	e.Subscribe(func(klaxon.Transition) {
		// A slow subscriber (a few milliseconds): work, not a sleep.
		x := 1.0
		for i := range 3_000_000 {
			x = x*1.0000001 + float64(i&1)
		}
		work.Add(int64(x) & 1)
	})
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var backwards atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the sampler
		defer wg.Done()
		last := clk.Now()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if n := clk.Now(); n.Before(last) {
				backwards.Add(1)
			} else {
				last = n
			}
		}
	}()
	const steps = 100
	for i := range steps {
		clk.Add(10 * time.Second)
		v := 10.0
		if i%2 == 0 {
			v = 99
		}
		err := e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Dimensions: []metric.Dimension{{Name: "Host", Value: "a"}},
			Timestamp: clk.Now(), Value: v, StorageResolution: 1}})
		if err != nil {
			t.Fatalf("step %d: data stamped with the clock's time: %v", i, err)
		}
	}
	close(stop)
	wg.Wait()
	cancel()
	waitFor(t, done, "Run's return")
	if n := backwards.Load(); n != 0 {
		t.Errorf("the clock read an earlier time %d times", n)
	}
	if want := t0.Add(steps * 10 * time.Second); !clk.Now().Equal(want) {
		t.Errorf("the clock reads %v, want %v", clk.Now(), want)
	}
}

// TestRunAfterAJump: a jump of the mock clock by two days is caught up
// boundary by boundary: an alarm whose data flips every minute for two
// hours transitions at every one of those minutes, in order, and the clock
// stays where the jump put it.
func TestRunAfterAJump(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, clk := newEngine(t, nil)
	cfg := cpuAlarm()
	cfg.EvaluationPeriods, cfg.DatapointsToAlarm = 1, 0
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	for m := range 120 {
		v := 10.0
		if m%2 == 0 {
			v = 99
		}
		put(t, e, t0.Add(time.Duration(m)*time.Minute), v)
	}
	got := make(chan klaxon.Transition, 200)
	e.Subscribe(func(tr klaxon.Transition) { got <- tr })
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	clk.Add(48 * time.Hour)
	var times []time.Time
	for {
		tr := waitFor(t, got, "a transition of the catch-up")
		times = append(times, tr.At)
		if tr.To == alarm.StateInsufficientData {
			break // the data has ended
		}
	}
	cancel()
	waitFor(t, done, "Run's return")
	if !clk.Now().Equal(t0.Add(48 * time.Hour)) {
		t.Errorf("the clock reads %v after the jump", clk.Now())
	}
	// One per minute from 12:01 (the 12:00 datapoint) to 14:00 (the
	// 13:59 one); then at 14:03 the evaluation range holds no data.
	if len(times) != 121 {
		t.Fatalf("%d transitions, want 121", len(times))
	}
	for i, at := range times {
		want := t0.Add(time.Duration(i+1) * time.Minute)
		if i == 120 {
			want = t0.Add(123 * time.Minute)
		}
		if !at.Equal(want) {
			t.Fatalf("transition %d at %v, want %v", i, at, want)
		}
	}
}
