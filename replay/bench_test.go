package replay_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
	"github.com/klaxon-go/klaxon/replay"
)

// BenchmarkReplayMonth: one op replays 30 days of one-minute data (43,200
// datapoints, a daily sine with spikes) through 10 alarms with Period 60
// to 900 s, evaluating every minute: 43,200 x 10 evaluations.
func BenchmarkReplayMonth(b *testing.B) {
	t0 := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	const minutes = 30 * 24 * 60
	data := make([]metric.Datum, minutes)
	for i := range data {
		v := 50 + 30*math.Sin(2*math.Pi*float64(i)/1440)
		if i%997 == 0 {
			v = 99
		}
		data[i] = metric.Datum{MetricName: "CPU", Timestamp: t0.Add(time.Duration(i) * time.Minute), Value: v}
	}
	batches := memMetrics(b, replay.Batch{Namespace: "App", MetricData: data})
	var alarms []alarm.Config
	for i := range 10 {
		alarms = append(alarms, alarm.Config{
			AlarmName: fmt.Sprintf("a%d", i), Namespace: "App", MetricName: "CPU", Statistic: "Average",
			Period: 60 * (1 + i%3*7), EvaluationPeriods: 3 + i%3, DatapointsToAlarm: 2, Threshold: 70 + float64(i),
			ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: "breaching",
		})
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := replay.Run(ctx, replay.Alarms{Metric: alarms}, batches, replay.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(minutes*10)*float64(b.N)/b.Elapsed().Seconds(), "evaluations/s")
}
