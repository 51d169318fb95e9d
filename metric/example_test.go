package metric_test

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/klaxon-go/klaxon/metric"
)

func ExampleParseExtendedStatistic() {
	// Ten latencies, sorted ascending; the last one has weight 2. tm90
	// keeps the lowest 9 of the weight 10: 110..180 and one of the two 900s,
	// (1160 + 900) / 9. TM(10%:90%) also drops the 110: (1050 + 900) / 8.
	samples := []metric.Sample{
		{Value: 110, Count: 1}, {Value: 120, Count: 1}, {Value: 130, Count: 1},
		{Value: 140, Count: 1}, {Value: 150, Count: 1}, {Value: 160, Count: 1},
		{Value: 170, Count: 1}, {Value: 180, Count: 1}, {Value: 900, Count: 2},
	}
	for _, text := range []string{"p90", "tm90", "TM(10%:90%)", "PR(:200)", "TM2:98"} {
		s, err := metric.ParseExtendedStatistic(text)
		if err != nil {
			fmt.Println(err)
			continue
		}
		v, ok := s.FromSamples(samples)
		fmt.Println(s, v, ok)
	}
	// Output:
	// p90 900 true
	// tm90 228.88888888888889 true
	// TM(10%:90%) 243.75 true
	// PR(:200) 80 true
	// metric: InvalidParameterValue: The value 'TM2:98' for parameter ExtendedStatistic is invalid: the form without parentheses 'TM2:98' is not supported; write the range in parentheses: 'TM(2:98)' for absolute bounds or 'TM(2%:98%)' for percentages.
}

// A server validates and hashes each PutMetricData call outside its lock
// (Prepare) and aggregates under it (Apply). A rejected call reports
// CloudWatch's error and leaves nothing to aggregate.
func ExampleAggregator_Prepare() {
	now := time.Date(2024, 5, 1, 12, 0, 30, 0, time.UTC)
	agg := metric.NewAggregator(15 * time.Minute)
	sum, _ := metric.ParseStatistic("Sum")
	w := agg.Watch(metric.Query{Namespace: "App", MetricName: "Requests", Stat: sum, Period: time.Minute, Periods: 1})

	var mu sync.Mutex
	var b metric.Batch
	for _, data := range [][]metric.Datum{
		{{MetricName: "Requests", Value: 3}, {MetricName: "Requests", Value: 4}},
		{{MetricName: "Requests", Value: math.NaN()}},
	} {
		if err := agg.Prepare(&b, "App", data, now); err != nil {
			fmt.Println(err)
			continue
		}
		mu.Lock()
		agg.Apply(&b)
		mu.Unlock()
	}
	out := make([]metric.Period, 1)
	w.Read(now.Truncate(time.Minute).Add(time.Minute), out)
	fmt.Println(out[0].Start.Format(time.TimeOnly), out[0].Value)
	// Output:
	// metric: InvalidParameterValue: The value NaN for parameter MetricData.member.1.Value is invalid: values must be finite and within -2^360 to 2^360.
	// 12:00:00 7
}

// A PutMetricData call of two datums: a latency distribution (values with
// their counts) and one request. ValidateData answers as CloudWatch (and
// Engine.PutMetricData) would, without sending anything.
func ExampleValidateData() {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	data := []metric.Datum{
		{MetricName: "Latency", Unit: "Milliseconds", Values: []float64{12, 80, 95}, Counts: []float64{10, 2, 1}},
		{MetricName: "Requests", Dimensions: []metric.Dimension{{Name: "Service", Value: "checkout"}}, Value: 1},
	}
	fmt.Println(metric.ValidateData("App", data, now))
	data[0].Counts = data[0].Counts[:2]
	fmt.Println(metric.ValidateData("App", data, now))
	// Output:
	// <nil>
	// metric: InvalidParameterValue: The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size (got 3 and 2).
}

// The statistics of raw samples, as an alarm computes them for a period.
func ExampleStatistic_FromSamples() {
	p99, err := metric.ParseExtendedStatistic("p99")
	if err != nil {
		panic(err)
	}
	samples := []metric.Sample{{Value: 12, Count: 97}, {Value: 80, Count: 2}, {Value: 950, Count: 1}} // sorted by Value
	v, ok := p99.FromSamples(samples)
	fmt.Println(v, ok)
	// Output:
	// 80 true
}

// The aggregation alone, as a server that answers PutMetricData itself
// would use it: an alarm's watch, five calls, and the window the alarm
// reads.
func ExampleAggregator() {
	now := time.Date(2024, 5, 1, 12, 5, 0, 0, time.UTC)
	agg := metric.NewAggregator(15 * time.Minute)
	p99, err := metric.ParseExtendedStatistic("p99")
	if err != nil {
		panic(err)
	}
	w := agg.Watch(metric.Query{Namespace: "App", MetricName: "Latency", Stat: p99, Period: time.Minute, Periods: 5})
	var b metric.Batch // reused from call to call: no allocation
	for i, v := range []float64{120, 95, 310, 88, 140} {
		at := now.Add(time.Duration(i-5) * time.Minute)
		data := []metric.Datum{{MetricName: "Latency", Values: []float64{v, v / 2}, Timestamp: at}}
		if err := agg.Prepare(&b, "App", data, now); err != nil {
			panic(err) // CloudWatch's error; b holds nothing to apply
		}
		agg.Apply(&b) // under the caller's lock when calls are concurrent
	}
	window := make([]metric.Period, 5)
	w.Read(now, window) // the five minutes before now, oldest first
	for _, p := range window {
		fmt.Println(p.Start.Format("15:04"), p.Value, p.SampleCount)
	}
	// Output:
	// 12:00 120 2
	// 12:01 95 2
	// 12:02 310 2
	// 12:03 88 2
	// 12:04 140 2
}
