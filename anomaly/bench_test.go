package anomaly_test

import (
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/anomaly"
)

// benchSeries returns n values of a noisy daily pattern with a weekly
// dip, one per period of p seconds, from a fixed seed.
func benchSeries(n int, p int) []float64 {
	v := make([]float64, n)
	seed := uint64(1)
	for i := range v {
		seed = seed*6364136223846793005 + 1442695040888963407
		noise := float64(seed>>11)/float64(1<<53) - 0.5
		t := float64(i * p)
		v[i] = 100 + 30*math.Sin(2*math.Pi*t/86400) + 10*math.Cos(2*math.Pi*t/604800) + 5*noise
	}
	return v
}

var benchStart = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

// trained returns a model of period p that has learned two weeks.
func trained(tb testing.TB, p int, tz string) (*anomaly.Model, []float64, int) {
	tb.Helper()
	m, err := anomaly.New(anomaly.Config{Period: p, MetricTimezone: tz})
	if err != nil {
		tb.Fatal(err)
	}
	n := 14 * 86400 / p
	vals := benchSeries(n+1<<16, p)
	for i := range n {
		if err := m.Observe(benchStart.Add(time.Duration(i*p)*time.Second), vals[i]); err != nil {
			tb.Fatal(err)
		}
	}
	return m, vals, n
}

// BenchmarkObserve: learning one period of a trained model (5-minute and
// 1-minute periods; UTC and a zone with daylight saving).
func BenchmarkObserve(b *testing.B) {
	for _, c := range []struct {
		name string
		p    int
		tz   string
	}{{"300s", 300, ""}, {"60s", 60, ""}, {"300s-Europe/Paris", 300, "Europe/Paris"}} {
		b.Run(c.name, func(b *testing.B) {
			m, vals, n := trained(b, c.p, c.tz)
			step := time.Duration(c.p) * time.Second
			t := benchStart.Add(time.Duration(n) * step)
			b.ReportAllocs()
			i := n
			for b.Loop() {
				if err := m.Observe(t, vals[i%len(vals)]); err != nil {
					b.Fatal(err)
				}
				t = t.Add(step)
				i++
			}
		})
	}
}

// BenchmarkBand: the band of a period of the last evaluation range (a
// recorded one) and of the next period (forecast).
func BenchmarkBand(b *testing.B) {
	m, _, n := trained(b, 300, "Europe/Paris")
	newest := benchStart.Add(time.Duration(n-1) * 5 * time.Minute)
	for _, c := range []struct {
		name string
		t    time.Time
	}{{"recorded", newest.Add(-10 * time.Minute)}, {"next", newest.Add(5 * time.Minute)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Band(c.t, 2.5); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// modelBytes returns the heap a trained model of period p holds, averaged
// over several models.
func modelBytes(tb testing.TB, p int) float64 {
	tb.Helper()
	const count = 8
	vals := benchSeries(14*86400/p, p)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	models := make([]*anomaly.Model, count)
	for k := range models {
		m, err := anomaly.New(anomaly.Config{Period: p, MetricTimezone: "Europe/Paris"})
		if err != nil {
			tb.Fatal(err)
		}
		for i, v := range vals {
			if err := m.Observe(benchStart.Add(time.Duration(i*p)*time.Second), v); err != nil {
				tb.Fatal(err)
			}
		}
		models[k] = m
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(models)
	runtime.KeepAlive(vals)
	return float64(after.HeapAlloc-before.HeapAlloc) / count
}

// TestModelMemory: a trained model holds at most 64 KiB, whatever its
// period; the figures are logged (go test -run TestModelMemory -v).
func TestModelMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("trains models over two weeks: skipped in -short mode")
	}
	for _, p := range []int{60, 300, 3600} {
		got := modelBytes(t, p)
		t.Logf("period %4d s: %.0f bytes per trained model (%.1f KiB)", p, got, got/1024)
		if got > 64*1024 {
			t.Errorf("period %d s: %.0f bytes per model, want at most 64 KiB", p, got)
		}
	}
}
