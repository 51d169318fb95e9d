package examples_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// An anomaly detection alarm learns a metric's daily cycle and fires on
// values far outside the band of expected values, with no threshold to
// choose: two and a half days of requests that rise by day and fall by
// night, then a drop at noon to a level that is normal at night, which a
// static threshold would miss. The alarm waits in INSUFFICIENT_DATA while
// its model trains (three hours), then compares each 5-minute period with
// its own band.
func Example_anomalyBand() {
	ctx := context.Background()
	clk := clock.NewMock()
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	clk.Set(t0)
	e, err := klaxon.New(klaxon.Options{Clock: clk})
	if err != nil {
		panic(err)
	}
	e.Subscribe(func(t klaxon.Transition) {
		fmt.Printf("%s %s -> %s\n", t.At.Format("Jan 2 15:04"), t.From, t.To)
		if t.To == alarm.StateAlarm {
			// The reason goes on with the band edges of each datapoint.
			reason, _, _ := strings.Cut(t.Reason, " [2")
			fmt.Println(reason, "...")
		}
	})
	yes := true
	err = e.PutMetricAlarm(ctx, alarm.Config{
		AlarmName:          "requests-unusual",
		ComparisonOperator: alarm.LessThanLowerOrGreaterThanUpperThreshold,
		EvaluationPeriods:  2, DatapointsToAlarm: 2,
		ThresholdMetricId: "ad1",
		Metrics: []alarm.MetricDataQuery{
			{Id: "m1", ReturnData: &yes, MetricStat: &alarm.MetricStat{
				Metric: alarm.MetricRef{Namespace: "App", MetricName: "Requests"}, Period: 300, Stat: "Sum"}},
			{Id: "ad1", ReturnData: &yes, Expression: "ANOMALY_DETECTION_BAND(m1, 3)"},
		},
	})
	if err != nil {
		panic(err)
	}
	requests := func(t time.Time) float64 { // 1,000 at night, 3,000 at noon
		return 2000 - 1000*math.Cos(2*math.Pi*float64(t.Unix()%86400)/86400)
	}
	outage := t0.Add(60 * time.Hour) // noon on the third day, for ten minutes
	for at := t0; at.Before(outage.Add(time.Hour)); at = at.Add(5 * time.Minute) {
		v := requests(at) + float64(at.Unix()/300%7) // a little jitter
		if !at.Before(outage) && at.Before(outage.Add(10*time.Minute)) {
			v = 1500
		}
		e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "Requests", Value: v, Timestamp: at.Add(time.Second)}})
		e.Advance(ctx, 5*time.Minute)
	}
	// Output:
	// May 1 03:10 INSUFFICIENT_DATA -> OK
	// May 3 12:10 OK -> ALARM
	// Thresholds Crossed: 2 out of the last 2 datapoints [1500.0 (03/05/24 12:05:00), 1500.0 (03/05/24 12:00:00)] were less than the lower thresholds ...
	// May 3 12:15 ALARM -> OK
}
