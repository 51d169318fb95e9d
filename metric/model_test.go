package metric_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon/metric"
)

// TestAggregatorModel checks the Aggregator against a naive model (every
// datum kept in a list) over random sequences of Add and AddBatch calls:
// several metrics and units, dimensions in any order, standard and high
// resolution, late data, and windows of every period ending at every
// 10-second boundary. Simple statistics only (the model sums statistic
// sets).
func TestAggregatorModel(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	type kept struct {
		metric, unit int
		sec          int64 // slot start
		v            float64
	}
	units := []string{"", "Count", "Seconds"}
	dims := func(m int, rev bool) []metric.Dimension {
		d := []metric.Dimension{{Name: "Host", Value: fmt.Sprint("h", m%3)}, {Name: "AZ", Value: fmt.Sprint("z", m/3)}}
		if rev {
			slices.Reverse(d)
		}
		return d
	}
	for seed := range 40 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		agg := metric.NewAggregator(time.Hour) // nothing expires within a run
		var model []kept
		now := t0
		sum, _ := metric.ParseStatistic("Sum")
		count, _ := metric.ParseStatistic("SampleCount")
		for step := range 200 {
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
				model = append(model, kept{m, u, sec, d.Value})
			}
			if rng.IntN(2) == 0 {
				agg.AddBatch("App", batch, now)
			} else {
				for i := range batch {
					agg.Add("App", &batch[i], now)
				}
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
			for _, st := range []metric.Statistic{sum, count} {
				w := agg.Watch(metric.Query{Namespace: "App", MetricName: "m", Dimensions: dims(m, false), Unit: unit, Stat: st, Period: time.Duration(period) * time.Second, Periods: n})
				got := make([]metric.Period, n)
				w.Read(end, got)
				agg.Unwatch(w)
				want := make([]metric.Period, n)
				first := end.Unix() - int64(n)*period
				for i := range want {
					want[i] = metric.Period{Start: time.Unix(first+int64(i)*period, 0).UTC(), Missing: true}
				}
				for _, k := range model {
					if k.metric != m || u < len(units) && k.unit != u || k.sec < first || k.sec >= end.Unix() {
						continue
					}
					p := &want[(k.sec-first)/period]
					p.Missing = false
					p.SampleCount++
					if st == sum {
						p.Value += k.v
					} else {
						p.Value++
					}
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
					t.Fatalf("seed %d step %d: metric %d unit %q %s, period %d x %d ending %s (-want +got):\n%s",
						seed, step, m, unit, st, period, n, end.Format("15:04:05"), diff)
				}
			}
		}
	}
}
