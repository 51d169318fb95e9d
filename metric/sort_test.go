package metric

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortSamples: the insertion sort of short lists and the sort of long
// ones order samples by value, as slices.SortFunc does (equal values keep
// no particular order; their counts add up the same either way).
func TestSortSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 40 {
		samples := make([]Sample, n)
		for i := range samples {
			samples[i] = Sample{Value: float64(r.IntN(8) - 3), Count: float64(1 + r.IntN(3))}
		}
		want := slices.Clone(samples)
		slices.SortStableFunc(want, func(x, y Sample) int { return cmp.Compare(x.Value, y.Value) })
		sortSamples(samples)
		if !slices.IsSortedFunc(samples, func(x, y Sample) int { return cmp.Compare(x.Value, y.Value) }) {
			t.Fatalf("%d samples: not sorted: %v", n, samples)
		}
		for _, v := range []float64{-3, 0, 4} {
			if count(samples, v) != count(want, v) {
				t.Fatalf("%d samples: the samples of %v changed: %v, want %v", n, v, samples, want)
			}
		}
	}
}

func count(samples []Sample, v float64) (c float64) {
	for _, s := range samples {
		if s.Value == v {
			c += s.Count
		}
	}
	return c
}
