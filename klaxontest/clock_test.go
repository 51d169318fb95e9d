package klaxontest_test

import (
	"context"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/klaxontest"
)

func TestClock(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c := klaxontest.NewClock(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Errorf("NewClock(t0).Now() = %v, want t0", got)
	}
	c.Add(90 * time.Second)
	if got, want := c.Since(t0), 90*time.Second; got != want {
		t.Errorf("Since(t0) after Add(90s) = %v, want %v", got, want)
	}
	if got, want := c.Until(t0.Add(time.Hour)), 58*time.Minute+30*time.Second; got != want {
		t.Errorf("Until(t0+1h) = %v, want %v", got, want)
	}
	// A timer made on the clock fires when Set passes its time, as
	// clock.Mock's do, and not before.
	timer := c.Timer(time.Minute)
	c.Set(t0.Add(2 * time.Minute))
	select {
	case <-timer.C:
		t.Fatal("the timer fired 30 s early")
	default:
	}
	c.Set(t0.Add(3 * time.Minute))
	if got := <-timer.C; !got.Equal(t0.Add(150 * time.Second)) {
		t.Errorf("the timer fired at %v, want %v", got, t0.Add(150*time.Second))
	}
}

// An engine on a Clock also runs with Run, on the caller's goroutine:
// the first timer Run makes hands the clock's timers to a clock.Mock,
// which Set then moves.
func TestClockRun(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	c := klaxontest.NewClock(t0)
	e, err := klaxon.New(klaxon.Options{Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	changed := make(chan klaxon.Transition, 1)
	e.Subscribe(func(tr klaxon.Transition) { changed <- tr })
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "beat", Namespace: "App", MetricName: "Beat", Statistic: "Sum",
		Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: alarm.LessThanThreshold,
		TreatMissingData: alarm.MissingDataBreaching}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- e.Run(ctx) }()
	c.Set(t0.Add(time.Minute))
	tr := <-changed
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if tr.To != alarm.StateAlarm || !tr.At.Equal(t0.Add(time.Minute)) {
		t.Errorf("Run's transition: %v -> %v at %v, want INSUFFICIENT_DATA -> ALARM at 12:01", tr.From, tr.To, tr.At)
	}
}
