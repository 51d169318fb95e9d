package klaxon_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

var stressLong = flag.Bool("stress.long", false, "run TestStress for a minute instead of a second")

// TestStress drives every entry point at once while Run follows a mock
// clock that another goroutine moves in steps of 10 s and in jumps of up
// to a day, and checks what must hold whatever the interleaving: no race
// (run it with -race), every alarm's history in time order and chained,
// transitions published in order for each alarm, the clock never reading
// an earlier time, every HistoryData and reason data JSON. The short form
// runs in CI; `go test -race -run TestStress -stress.long .` runs it for a
// minute.
func TestStress(t *testing.T) {
	d := time.Second
	if *stressLong {
		d = time.Minute
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := clock.NewMock()
	clk.Set(t0)
	runner := &countingRunner{}
	e, err := klaxon.New(klaxon.Options{Clock: clk, Actions: runner, HistoryPerAlarm: 200})
	if err != nil {
		t.Fatal(err)
	}
	const alarms = 12
	name := func(i int) string { return fmt.Sprintf("a%02d", i) }
	config := func(i int, threshold float64) alarm.Config {
		c := cpuAlarm()
		c.AlarmName = name(i)
		c.Threshold = threshold
		c.Dimensions = []metric.Dimension{{Name: "Host", Value: fmt.Sprint("h", i%4)}}
		c.TreatMissingData = []string{"", alarm.MissingDataBreaching, alarm.MissingDataNotBreaching, alarm.MissingDataIgnore}[i%4]
		if i%3 == 0 {
			c.Period, c.EvaluationPeriods, c.DatapointsToAlarm = 10, 3, 2 // high resolution
		}
		return c
	}
	for i := range alarms {
		if err := e.PutMetricAlarm(ctx, config(i, 50)); err != nil {
			t.Fatal(err)
		}
	}
	// Per alarm, the state after the last transition published.
	var pubMu sync.Mutex
	last := map[string]klaxon.Transition{}
	var problems []string
	report := func(format string, args ...any) {
		pubMu.Lock()
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
		pubMu.Unlock()
	}
	e.Subscribe(func(tr klaxon.Transition) {
		pubMu.Lock()
		defer pubMu.Unlock()
		if strings.HasPrefix(tr.AlarmName, "churn") {
			return // deleted and re-created: a chain per incarnation
		}
		if p, ok := last[tr.AlarmName]; ok {
			if p.To != tr.From {
				problems = append(problems, fmt.Sprintf("%s: published %v->%v after a transition to %v", tr.AlarmName, tr.From, tr.To, p.To))
			}
			if tr.At.Before(p.At) {
				problems = append(problems, fmt.Sprintf("%s: published a transition at %v after one at %v", tr.AlarmName, tr.At, p.At))
			}
		}
		last[tr.AlarmName] = tr
		if tr.ReasonData != "" && !json.Valid([]byte(tr.ReasonData)) {
			problems = append(problems, fmt.Sprintf("%s: reason data is not JSON: %s", tr.AlarmName, tr.ReasonData))
		}
	})
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	worker := func(seed uint64, f func(rng *rand.Rand)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 99))
			for {
				select {
				case <-stop:
					return
				default:
				}
				f(rng)
			}
		}()
	}
	var backwards atomic.Int64
	worker(1, func(rng *rand.Rand) { // the clock: steps and jumps
		before := clk.Now()
		if rng.IntN(50) == 0 {
			clk.Add(time.Duration(1+rng.IntN(24*60)) * time.Minute)
		} else {
			clk.Add(10 * time.Second)
		}
		if clk.Now().Before(before) {
			backwards.Add(1)
		}
	})
	worker(2, func(rng *rand.Rand) { // ingest at the clock's time
		host := fmt.Sprint("h", rng.IntN(4))
		err := e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Dimensions: []metric.Dimension{{Name: "Host", Value: host}},
			Timestamp: clk.Now(), Value: float64(rng.IntN(100)), StorageResolution: 1}})
		if err != nil {
			report("PutMetricData at the clock's time: %v", err)
		}
	})
	worker(3, func(rng *rand.Rand) { // forced states and configuration churn
		i := rng.IntN(alarms)
		switch rng.IntN(6) {
		case 0:
			if err := e.PutMetricAlarm(ctx, config(i, float64(rng.IntN(100)))); err != nil {
				report("PutMetricAlarm: %v", err)
			}
		case 1:
			e.DisableAlarmActions(ctx, name(i))
			e.EnableAlarmActions(ctx, name(i))
		case 2:
			c := config(i, 50)
			c.AlarmName = "churn-" + name(i%3)
			_ = e.DeleteAlarms(ctx, c.AlarmName)
			if err := e.PutMetricAlarm(ctx, c); err != nil {
				report("re-creating %s: %v", c.AlarmName, err)
			}
		default:
			err := e.SetAlarmState(ctx, name(i), alarm.State(rng.IntN(3)), "stress", `{"stress":true}`)
			if err != nil && !errors.Is(err, klaxon.ErrNotFound) {
				report("SetAlarmState: %v", err)
			}
		}
	})
	worker(4, func(rng *rand.Rand) { // readers
		if _, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{StateValue: []string{"", "OK", "ALARM"}[rng.IntN(3)]}); err != nil {
			report("DescribeAlarms: %v", err)
		}
		items, err := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{AlarmName: name(rng.IntN(alarms)), MaxRecords: 50})
		if err != nil {
			report("DescribeAlarmHistory: %v", err)
		}
		for _, it := range items {
			if !json.Valid([]byte(it.HistoryData)) {
				report("%s: HistoryData is not JSON: %s", it.AlarmName, it.HistoryData)
			}
		}
		if _, err := e.ListMetrics(ctx, klaxon.MetricFilter{Namespace: "App"}); err != nil {
			report("ListMetrics: %v", err)
		}
	})
	worker(5, func(rng *rand.Rand) { // explicit evaluations beside Run's
		err := e.EvaluateAt(ctx, clk.Now())
		if err != nil && !errors.Is(err, klaxon.ErrValidation) {
			report("EvaluateAt: %v", err)
		}
	})
	timer := time.NewTimer(d)
	<-timer.C
	close(stop)
	wg.Wait()
	cancel()
	waitFor(t, done, "Run's return")

	for _, p := range problems {
		t.Error(p)
	}
	if n := backwards.Load(); n != 0 {
		t.Errorf("the clock read an earlier time %d times", n)
	}
	for i := range alarms {
		chained(t, history(t, e, klaxon.HistoryFilter{AlarmName: name(i), ScanBy: klaxon.TimestampAscending}))
	}
	pubMu.Lock()
	n := len(last)
	pubMu.Unlock()
	if n == 0 {
		t.Error("no transition was published: the test exercised nothing")
	}
	t.Logf("%s of stress: clock at %v, %d actions run", d, clk.Now().Format(time.RFC3339), runner.n.Load())
}

type countingRunner struct{ n atomic.Int64 }

func (r *countingRunner) RunAction(ctx context.Context, a klaxon.Action) error {
	r.n.Add(1)
	return nil
}
