package klaxon

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// anomalyFixture returns an engine with n anomaly detection alarms (one
// per metric, Period 300, N = 3), trained on a day of a daily cycle, all
// OK at the returned time.
func anomalyFixture(tb testing.TB, n int) (*Engine, time.Time) {
	ctx := context.Background()
	clk := clock.NewMock()
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	clk.Set(start)
	e := mustNew(Options{Clock: clk})
	yes := true
	for i := range n {
		err := e.PutMetricAlarm(ctx, alarm.Config{
			AlarmName: "band-" + strconv.Itoa(i), EvaluationPeriods: 3, ComparisonOperator: alarm.GreaterThanUpperThreshold, ThresholdMetricId: "ad1",
			Metrics: []alarm.MetricDataQuery{
				{Id: "m1", ReturnData: &yes, MetricStat: &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "App", MetricName: "Latency",
					Dimensions: []metric.Dimension{{Name: "Host", Value: strconv.Itoa(i)}}}, Period: 300, Stat: "Average"}},
				{Id: "ad1", ReturnData: &yes, Expression: "ANOMALY_DETECTION_BAND(m1, 3)"},
			}})
		if err != nil {
			tb.Fatal(err)
		}
	}
	batch := make([]metric.Datum, n)
	for at := start; at.Before(start.Add(24 * time.Hour)); at = at.Add(5 * time.Minute) {
		v := 100 + 30*math.Sin(2*math.Pi*float64(at.Unix()%86400)/86400)
		for i := range batch {
			batch[i] = metric.Datum{MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Host", Value: strconv.Itoa(i)}}, Timestamp: at.Add(time.Minute), Value: v + float64(i%7)}
		}
		if err := e.PutMetricData(ctx, "App", batch); err != nil {
			tb.Fatal(err)
		}
		if err := e.Advance(ctx, 5*time.Minute); err != nil {
			tb.Fatal(err)
		}
	}
	for _, a := range e.alarms {
		if a.base().state != alarm.StateOK {
			tb.Fatalf("%s is %s after a day of training", a.spec().name(), a.base().state)
		}
	}
	return e, clk.Now()
}

// BenchmarkEvaluateAnomaly: the evaluation of an anomaly detection alarm
// that stays OK (reading its window and the band of each period), per
// alarm; it allocates nothing.
func BenchmarkEvaluateAnomaly(b *testing.B) {
	e, now := anomalyFixture(b, 100)
	e.mu.Lock()
	defer e.mu.Unlock()
	list := e.minuteList()
	before := e.seq
	at := stamp(now)
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(len(list), b.N-done)
		e.evaluateAlarms(context.Background(), list[:n], now, at)
		done += n
	}
	b.StopTimer()
	if e.seq != before {
		b.Fatal("a transition happened")
	}
}

// nowClock is a mock clock whose time is set without the millisecond
// sleep of clock.Mock's Set.
type nowClock struct {
	*clock.Mock
	now time.Time
}

func (c *nowClock) Now() time.Time { return c.now }

// BenchmarkLearn: a model learning one period at an evaluation time (the
// read of the period from the metric and the model's update), per model;
// it allocates nothing. Each round sends the next five minutes' data
// (outside the timer), then times learn at their end.
func BenchmarkLearn(b *testing.B) {
	e, now := anomalyFixture(b, 100)
	clk := &nowClock{Mock: clock.NewMock(), now: now}
	e.clk = clk
	models := len(e.bandModels)
	batch := make([]metric.Datum, models)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += models {
		b.StopTimer()
		at := now.Add(time.Duration(i/models) * 5 * time.Minute)
		v := 100 + 30*math.Sin(2*math.Pi*float64(at.Unix()%86400)/86400)
		for j := range batch {
			batch[j] = metric.Datum{MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Host", Value: strconv.Itoa(j)}}, Timestamp: at.Add(time.Minute), Value: v + float64(j%7)}
		}
		clk.now = at.Add(time.Minute)
		if err := e.PutMetricData(context.Background(), "App", batch); err != nil {
			b.Fatal(err)
		}
		e.mu.Lock()
		b.StartTimer()
		e.learn(at.Add(5 * time.Minute))
		b.StopTimer()
		e.mu.Unlock()
		b.StartTimer()
	}
	b.StopTimer()
	if n, ok := e.bandModels[0].m.Newest(); !ok || n.Before(now) {
		b.Fatalf("the models learned nothing: newest %v", n)
	}
}
