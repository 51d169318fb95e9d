package metric_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon/metric"
)

// TestAggregatorModel checks the Aggregator against a naive model (every
// datum kept in a list) over random sequences of Add, AddBatch and
// Prepare+Apply calls: several metrics and units, dimensions in any order,
// standard and high resolution, late data, a retention short enough that
// data expires, and windows of every period ending at every 10-second
// boundary. Sum and SampleCount everywhere; on metric 0, which a p50 alarm
// watches from the start or from step 100 on, p50 too (a period with data
// from before the watch has no p50).
func TestAggregatorModel(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	type kept struct {
		metric, unit int
		sec          int64 // slot start
		v            float64
		step         int
	}
	units := []string{"", "Count", "Seconds"}
	dims := func(m int, rev bool) []metric.Dimension {
		d := []metric.Dimension{{Name: "Host", Value: fmt.Sprint("h", m%3)}, {Name: "AZ", Value: fmt.Sprint("z", m/3)}}
		if rev {
			slices.Reverse(d)
		}
		return d
	}
	sum, _ := metric.ParseStatistic("Sum")
	count, _ := metric.ParseStatistic("SampleCount")
	p50, err := metric.ParseExtendedStatistic("p50")
	if err != nil {
		t.Fatal(err)
	}
	for seed := range 60 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		retention := []time.Duration{time.Hour, 5 * time.Minute}[seed%2]
		agg := metric.NewAggregator(retention)
		var model []kept
		now := t0
		// The p50 watch on metric 0: from the start, from step 100, or never.
		rawFrom := []int{0, 100, -1}[seed%3]
		var batchBuf metric.Batch
		for step := range 200 {
			if step == rawFrom {
				agg.Watch(metric.Query{Namespace: "App", MetricName: "m", Dimensions: dims(0, false), Stat: p50, Period: time.Minute, Periods: 1})
			}
			now = now.Add(time.Duration(rng.IntN(20)) * time.Second)
			var batch []metric.Datum
			for range 1 + rng.IntN(40) {
				m, u := rng.IntN(6), rng.IntN(len(units))
				ts := now.Add(-time.Duration(rng.IntN(600)) * time.Second)
				res := []int{0, 1, 60}[rng.IntN(3)]
				d := metric.Datum{MetricName: "m", Dimensions: dims(m, rng.IntN(2) == 0), Timestamp: ts, Value: float64(rng.IntN(100)), Unit: units[u], StorageResolution: res}
				batch = append(batch, d)
				sec := ts.Unix()
				if res == 1 {
					sec -= sec % 10
				} else {
					sec -= sec % 60
				}
				model = append(model, kept{m, u, sec, d.Value, step})
			}
			switch rng.IntN(3) {
			case 0:
				agg.AddBatch("App", batch, now)
			case 1:
				for i := range batch {
					agg.Add("App", &batch[i], now)
				}
			default:
				if err := agg.Prepare(&batchBuf, "App", batch, now); err != nil {
					t.Fatal(err)
				}
				agg.Apply(&batchBuf)
			}
			// Check one random window of one random metric, unit and period.
			m, u := rng.IntN(6), rng.IntN(len(units)+1) // len(units): every unit
			period := []int64{10, 30, 60, 120, 300}[rng.IntN(5)]
			unit := ""
			if u < len(units) {
				unit = units[u]
				if unit == "" {
					unit = "None"
				}
			}
			end := now.Truncate(10 * time.Second).Add(time.Duration(rng.IntN(3)) * 10 * time.Second)
			n := 1 + rng.IntN(8)
			if end.Unix()-int64(n)*period < now.Unix()-int64(retention/time.Second) {
				continue // (partly) expired: what is left depends on when slots were pruned
			}
			stats := []metric.Statistic{sum, count}
			if m == 0 && rawFrom >= 0 && step >= rawFrom {
				stats = append(stats, p50)
			}
			for _, st := range stats {
				w := agg.Watch(metric.Query{Namespace: "App", MetricName: "m", Dimensions: dims(m, false), Unit: unit, Stat: st, Period: time.Duration(period) * time.Second, Periods: n})
				got := make([]metric.Period, n)
				w.Read(end, got)
				agg.Unwatch(w)
				want := make([]metric.Period, n)
				first := end.Unix() - int64(n)*period
				for i := range want {
					want[i] = metric.Period{Start: time.Unix(first+int64(i)*period, 0).UTC(), Missing: true}
				}
				samples := make([][]metric.Sample, n)
				lost := make([]bool, n)
				for _, k := range model {
					if k.metric != m || u < len(units) && k.unit != u || k.sec < first || k.sec >= end.Unix() {
						continue
					}
					i := (k.sec - first) / period
					p := &want[i]
					p.Missing = false
					p.SampleCount++
					switch st {
					case sum:
						p.Value += k.v
					case count:
						p.Value++
					default:
						samples[i] = append(samples[i], metric.Sample{Value: k.v, Count: 1})
						lost[i] = lost[i] || k.step < rawFrom
					}
				}
				if st == p50 {
					for i := range want {
						if lost[i] {
							want[i].Missing = true
						} else if len(samples[i]) > 0 {
							want[i].Value = nearestRank(samples[i], 50)
						}
					}
				}
				if diff := gocmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
					t.Fatalf("seed %d step %d: metric %d unit %q %s, period %d x %d ending %s (-want +got):\n%s",
						seed, step, m, unit, st, period, n, end.Format("15:04:05"), diff)
				}
			}
		}
	}
}

// nearestRank is the model's percentile, computed here rather than by the
// package: the smallest sample whose cumulative count reaches
// ceil(p/100 x the total count).
func nearestRank(samples []metric.Sample, p float64) float64 {
	s := slices.Clone(samples)
	slices.SortFunc(s, func(x, y metric.Sample) int { return cmp.Compare(x.Value, y.Value) })
	total := 0.0
	for _, x := range s {
		total += x.Count
	}
	rank := math.Ceil(p / 100 * total)
	acc := 0.0
	for _, x := range s {
		acc += x.Count
		if acc >= rank {
			return x.Value
		}
	}
	return s[len(s)-1].Value
}
