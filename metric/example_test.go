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
