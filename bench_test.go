package klaxon

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/metric"
)

// The benchmark fixture: 1,000,000 metrics, each watched by one standard
// alarm (Period 60, N = 5) and holding the 7 minutes of data its
// evaluation range reads, all evaluated once (INSUFFICIENT_DATA -> OK).
const benchAlarms = 1_000_000

var benchT0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type benchFixture struct {
	e        *Engine
	clk      *clock.Mock
	now      time.Time
	alarmB   float64 // heap bytes per alarm after PutMetricAlarm
	totalB   float64 // heap bytes per alarm after data and the first evaluation
	datums   [][]metric.Datum
	setupDur time.Duration
}

var (
	fixtureOnce sync.Once
	fixture     *benchFixture
)

func benchDims(i int) []metric.Dimension {
	return []metric.Dimension{{Name: "InstanceId", Value: fmt.Sprintf("i-%08x", i)}}
}

func getFixture(b *testing.B) *benchFixture {
	fixtureOnce.Do(func() {
		start := time.Now()
		ctx := context.Background()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)

		e := benchEngine(benchAlarms)
		clk := e.clk.(*clock.Mock)
		runtime.GC()
		var created runtime.MemStats
		runtime.ReadMemStats(&created)
		// 7 minutes of data: the evaluation range of N = 5 is 7 periods.
		batch := make([]metric.Datum, 0, 1000)
		for m := range 7 {
			ts := benchT0.Add(time.Duration(m) * time.Minute)
			clk.Set(ts)
			for i := range benchAlarms {
				batch = append(batch, metric.Datum{MetricName: "CPUUtilization", Dimensions: benchDims(i), Timestamp: ts, Value: 50})
				if len(batch) == cap(batch) {
					if err := e.PutMetricData(ctx, "AWS/EC2", batch); err != nil {
						panic(err)
					}
					batch = batch[:0]
				}
			}
		}
		now := benchT0.Add(7 * time.Minute)
		clk.Set(now)
		e.EvaluateAt(ctx, now)
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		f := &benchFixture{e: e, clk: clk, now: now,
			alarmB: float64(created.HeapAlloc-before.HeapAlloc) / benchAlarms,
			totalB: float64(after.HeapAlloc-before.HeapAlloc) / benchAlarms}
		// Ingest input: batches of 1000 datums for random metrics, at the
		// current minute.
		rng := rand.New(rand.NewPCG(1, 2))
		for range 1000 {
			bt := make([]metric.Datum, 1000)
			for j := range bt {
				bt[j] = metric.Datum{MetricName: "CPUUtilization", Dimensions: benchDims(rng.IntN(benchAlarms)), Timestamp: now.Add(-30 * time.Second), Value: 40}
			}
			f.datums = append(f.datums, bt)
		}
		f.setupDur = time.Since(start)
		fixture = f
	})
	// Nothing allocates while the benchmarks run: a collection that the
	// setup's allocations started would otherwise mark the 2 GB heap on
	// the other core during the timed loop.
	runtime.GC()
	return fixture
}

// BenchmarkEnginePutMetricData: one op is one datapoint ingested, in calls
// of 1000 datums (CloudWatch's maximum), into a random one of 1,000,000
// metrics.
func BenchmarkEnginePutMetricData(b *testing.B) {
	f := getFixture(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	k := 0
	for done := 0; done < b.N; {
		batch := f.datums[k%len(f.datums)]
		if n := b.N - done; n < len(batch) {
			batch = batch[:n]
		}
		// A call's datums were just decoded from the request: bring them
		// into the cache, untimed, as decoding would have.
		b.StopTimer()
		warm(batch)
		b.StartTimer()
		if err := f.e.PutMetricData(ctx, "AWS/EC2", batch); err != nil {
			b.Fatal(err)
		}
		done += len(batch)
		k++
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "datapoints/s")
}

// BenchmarkEngineEvaluate: one op is one alarm evaluated with no
// transition, in the scheduler's order, with 1,000,000 alarms resident
// (N = 5, Period 60). It also reports the heap bytes per alarm of the
// fixture: B/alarm after PutMetricAlarm (configuration, compiled
// evaluator, state, schedule, metric registration, creation history item),
// and B/alarm+data+history once each metric holds its 7 minutes of data
// and each alarm has made its first transition (stored reason and
// history item).
func BenchmarkEngineEvaluate(b *testing.B) {
	f := getFixture(b)
	e := f.e
	e.mu.Lock()
	defer e.mu.Unlock()
	list := e.minuteList()
	b.ReportAllocs()
	b.ResetTimer()
	before := e.seq
	at := stamp(f.now)
	for done := 0; done < b.N; {
		n := min(len(list), b.N-done)
		e.evaluateAlarms(context.Background(), list[:n], f.now, at)
		done += n
	}
	if e.seq != before {
		b.Fatal("a transition happened")
	}
	b.StopTimer()
	b.ReportMetric(f.alarmB, "B/alarm")
	b.ReportMetric(f.totalB, "B/alarm+data+history")
}

var warmSink int

// warm reads every byte a datum refers to.
func warm(batch []metric.Datum) {
	for i := range batch {
		d := &batch[i]
		warmSink += len(d.MetricName) + int(d.MetricName[0])
		for _, dim := range d.Dimensions {
			warmSink += int(dim.Name[0]) + int(dim.Value[0]) + int(dim.Value[len(dim.Value)-1])
		}
	}
}

// BenchmarkEnginePutMetricDataHot: like BenchmarkEnginePutMetricData, but
// over 1,000 metrics, whose state stays in the processor's caches: the
// cost of the work itself (validation, hashing, aggregation) without the
// memory latency of a million-metric working set.
func BenchmarkEnginePutMetricDataHot(b *testing.B) {
	ctx := context.Background()
	const metrics = 1000
	e := benchEngine(metrics)
	rng := rand.New(rand.NewPCG(3, 4))
	batch := make([]metric.Datum, 1000)
	for j := range batch {
		batch[j] = metric.Datum{MetricName: "CPUUtilization", Dimensions: benchDims(rng.IntN(metrics)), Timestamp: benchT0, Value: 40}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += len(batch) {
		n := min(len(batch), b.N-done)
		if err := e.PutMetricData(ctx, "AWS/EC2", batch[:n]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "datapoints/s")
}

// BenchmarkEngineEvaluateHot: like BenchmarkEngineEvaluate, with 1,000
// alarms whose state stays in the processor's caches: the cost of the work
// without the memory latency of a million alarms.
func BenchmarkEngineEvaluateHot(b *testing.B) {
	ctx := context.Background()
	const n = 1000
	e := benchEngine(n)
	for m := range 7 {
		ts := benchT0.Add(time.Duration(m) * time.Minute)
		batch := make([]metric.Datum, n)
		for i := range batch {
			batch[i] = metric.Datum{MetricName: "CPUUtilization", Dimensions: benchDims(i), Timestamp: ts, Value: 50}
		}
		if err := e.PutMetricData(ctx, "AWS/EC2", batch); err != nil {
			b.Fatal(err)
		}
	}
	now := benchT0.Add(7 * time.Minute)
	e.EvaluateAt(ctx, now)
	e.mu.Lock()
	defer e.mu.Unlock()
	list := e.minuteList()
	before := e.seq
	at := stamp(now)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		k := min(len(list), b.N-done)
		e.evaluateAlarms(ctx, list[:k], now, at)
		done += k
	}
	if e.seq != before {
		b.Fatal("a transition happened")
	}
}

// minuteList returns the alarms evaluated every minute.
func (e *Engine) minuteList() []alarmObj {
	for _, l := range e.sched {
		if l.every == time.Minute {
			return l.alarms
		}
	}
	return nil
}

func mustNew(opts Options) *Engine {
	e, err := New(opts)
	if err != nil {
		panic(err)
	}
	return e
}

// benchEngine returns an engine on a mock clock set to benchT0, with n
// standard alarms (Average, Period 60, N = 5), each on its own metric.
func benchEngine(n int) *Engine {
	clk := clock.NewMock()
	clk.Set(benchT0)
	e := mustNew(Options{Clock: clk})
	for i := range n {
		err := e.PutMetricAlarm(context.Background(), alarm.Config{
			AlarmName: fmt.Sprintf("cpu-%07d", i), Namespace: "AWS/EC2", MetricName: "CPUUtilization",
			Dimensions: benchDims(i), Statistic: "Average", Period: 60, EvaluationPeriods: 5,
			Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold,
		})
		if err != nil {
			panic(err)
		}
	}
	return e
}

// BenchmarkHistoryAppend: one op appends a history item to an alarm that
// is at its HistoryPerAlarm cap (the oldest item goes): amortised, it
// allocates nothing (the ring is reused).
func BenchmarkHistoryAppend(b *testing.B) {
	e := mustNew(Options{Clock: clockAt(benchT0), HistoryPerAlarm: 1000})
	var h alarmHistory
	r := &textRecord{val: alarm.StateOK, at: stamp(benchT0), reason: "x"}
	for range 1000 {
		e.appendHistory(&h, r)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		e.appendHistory(&h, r)
	}
}

// BenchmarkHistoryItemBytes: the heap bytes a StateUpdate item costs (its
// state record, the stored datapoints its reason shows, and its place in
// the alarm's history), for alarms with N = 1 that flip at every
// evaluation: 2,000 alarms, 100 evaluations.
func BenchmarkHistoryItemBytes(b *testing.B) {
	for range b.N {
		ctx := context.Background()
		clk := clock.NewMock()
		clk.Set(benchT0)
		e := mustNew(Options{Clock: clk, HistoryRetention: KeepHistory})
		const n = 2000
		for i := range n {
			e.PutMetricAlarm(ctx, alarm.Config{AlarmName: fmt.Sprintf("a%d", i), Namespace: "App", MetricName: "m",
				Dimensions: benchDims(i), Statistic: "Average", Period: 60, EvaluationPeriods: 1, Threshold: 50,
				ComparisonOperator: alarm.GreaterThanThreshold})
		}
		batch := make([]metric.Datum, 1000)
		step := func(m int) {
			ts := benchT0.Add(time.Duration(m) * time.Minute)
			clk.Set(ts.Add(30 * time.Second))
			v := float64(10 + 80*(m%2))
			for k := 0; k < n; k += len(batch) {
				for i := range batch {
					batch[i] = metric.Datum{MetricName: "m", Dimensions: benchDims(k + i), Timestamp: ts, Value: v}
				}
				if err := e.PutMetricData(ctx, "App", batch); err != nil {
					b.Fatal(err)
				}
			}
			if err := e.EvaluateAt(ctx, ts.Add(time.Minute)); err != nil {
				b.Fatal(err)
			}
		}
		for m := range 5 {
			step(m)
		}
		before := heapAlloc()
		items := e.seq
		for m := 5; m < 105; m++ {
			step(m)
		}
		b.ReportMetric(float64(heapAlloc()-before)/float64(e.seq-items), "B/item")
	}
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func clockAt(t time.Time) *clock.Mock {
	c := clock.NewMock()
	c.Set(t)
	return c
}

// BenchmarkEvaluateWithHistory: evaluating 100,000 alarms (no transition)
// costs the same with 30 days of history in place (20 items per alarm,
// two million in all, spread over the 30 days) as without: history is
// stored per alarm and never scanned by an evaluation. One op is one alarm
// evaluated.
func BenchmarkEvaluateWithHistory(b *testing.B) {
	for _, withHistory := range []bool{false, true} {
		name := "none"
		if withHistory {
			name = "30days"
		}
		b.Run(name, func(b *testing.B) {
			const n = 100_000
			e := benchEngine(n)
			ctx := context.Background()
			clk := e.clk.(*clock.Mock)
			now := benchT0.Add(30 * 24 * time.Hour)
			for m := range 7 {
				ts := now.Add(time.Duration(m-7) * time.Minute)
				clk.Set(ts)
				for k := 0; k < n; k += 1000 {
					batch := make([]metric.Datum, 1000)
					for i := range batch {
						batch[i] = metric.Datum{MetricName: "CPUUtilization", Dimensions: benchDims(k + i), Timestamp: ts, Value: 50}
					}
					if err := e.PutMetricData(ctx, "AWS/EC2", batch); err != nil {
						b.Fatal(err)
					}
				}
			}
			clk.Set(now)
			if err := e.EvaluateAt(ctx, now); err != nil {
				b.Fatal(err)
			}
			e.mu.Lock()
			if withHistory {
				for _, a := range e.minuteList() {
					for k := range 20 {
						at := benchT0.Add(time.Duration(k) * 36 * time.Hour)
						e.appendHistory(&a.base().hist, &textRecord{val: alarm.State(k % 3), at: stamp(at), reason: "history"})
					}
				}
			}
			list := e.minuteList()
			e.mu.Unlock()
			runtime.GC()
			e.mu.Lock()
			defer e.mu.Unlock()
			before := e.seq
			at := stamp(now)
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; {
				k := min(len(list), b.N-done)
				e.evaluateAlarms(ctx, list[:k], now, at)
				done += k
			}
			b.StopTimer()
			if e.seq != before {
				b.Fatal("a transition happened")
			}
		})
	}
}

// BenchmarkCompositeParents: what a child's transition adds per composite
// parent. One op is one transition of the child (SetAlarmState flipping
// it); the child has 0 or 100 composite parents, whose rules either keep
// their state ("ALARM(child) AND FALSE") or follow the child (each parent
// then transitions too). Reported: ns per parent, the difference to 0
// parents divided by 100.
func BenchmarkCompositeParents(b *testing.B) {
	run := func(b *testing.B, parents int, rule string) float64 {
		ctx := context.Background()
		e := mustNew(Options{Clock: clockAt(benchT0), HistoryPerAlarm: 100})
		e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "child", Namespace: "App", MetricName: "m", Statistic: "Sum",
			Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: alarm.GreaterThanThreshold})
		for i := range parents {
			if err := e.PutCompositeAlarm(ctx, composite.Config{AlarmName: fmt.Sprintf("p%03d", i), AlarmRule: rule}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			e.SetAlarmState(ctx, "child", alarm.State(1+i%2), "flip", "")
		}
		return float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	}
	var base float64
	b.Run("none", func(b *testing.B) { base = run(b, 0, "") })
	for _, c := range []struct{ name, rule string }{{"steady", "ALARM(child) AND FALSE"}, {"following", "ALARM(child)"}} {
		b.Run(c.name+"100", func(b *testing.B) {
			per := (run(b, 100, c.rule) - base) / 100
			b.ReportMetric(per, "ns/parent")
		})
	}
}
