package metric

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// fuzzSamples are fixed sorted sample sets every parsed statistic is
// computed on.
var fuzzSamples = [][]Sample{
	nil,
	seq(10),
	seq(1000),
	{{1, 5}, {2, 5}},
	{{2, 0.5}, {4, 1}},
	{{3, 1}},
	{{0, 3}, {1e300, 2}},
	{{0.001, 1}, {0.005, 1}, {0.01, 1}, {0.03, 1}, {0.04, 1}},
	{{-1, 1}, {2, 1}},
	{{1, 0}, {5, 2}, {7, -1}},
}

// FuzzParseStatistic fails on a panic; on a parsed statistic, when its
// String does not parse back to an equal Statistic with the same String,
// and when a computed value breaks an invariant of its statistic.
func FuzzParseStatistic(f *testing.F) {
	for _, tt := range simpleTests {
		f.Add(tt.in)
	}
	for _, tt := range acceptTests {
		f.Add(tt.in)
		f.Add(tt.canonical)
	}
	for _, tt := range rejectTests {
		f.Add(tt.in)
	}
	for _, tt := range samplesTests {
		f.Add(tt.stat)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseStatistic(in)
		if err == nil {
			again, err := ParseStatistic(s.String())
			if err != nil || again != s || again.String() != s.String() {
				t.Fatalf("ParseStatistic(%q) = %v; ParseStatistic(%q) = %#v, %v", in, s, s.String(), again, err)
			}
		} else {
			var e *cwerr.Error
			if !errors.As(err, &e) || e.Code != cwerr.ValidationError || !errors.Is(err, ErrValidation) {
				t.Fatalf("ParseStatistic(%q): error %#v, want a ValidationError", in, err)
			}
			s, err = ParseExtendedStatistic(in)
			if err != nil {
				prefix := "The value '" + in + "' for parameter ExtendedStatistic is invalid: "
				if !errors.As(err, &e) || e.Code != cwerr.InvalidParameterValue || e.Pkg != "metric" ||
					!strings.HasPrefix(e.Message, prefix) || !strings.HasSuffix(e.Message, ".") || len(e.Message) == len(prefix)+1 {
					t.Fatalf("ParseExtendedStatistic(%q): error %#v, want an InvalidParameterValue with a rule", in, err)
				}
				return
			}
			again, err := ParseExtendedStatistic(s.String())
			if err != nil || again != s || again.String() != s.String() {
				t.Fatalf("ParseExtendedStatistic(%q) = %v; ParseExtendedStatistic(%q) = %#v, %v", in, s, s.String(), again, err)
			}
			if !s.Extended() {
				t.Fatalf("ParseExtendedStatistic(%q).Extended() = false", in)
			}
		}
		s.AlarmProblem()
		if v, ok := s.FromSet(StatisticSet{SampleCount: 3, Sum: 6, Minimum: 1, Maximum: 3}); ok && (v < 1 || v > 6) {
			t.Fatalf("%v.FromSet(1..3) = %v, outside [1, 6]", s, v)
		}
		if p, ok := s.Percentile(); ok && !(p >= 0 && p <= 100) {
			t.Fatalf("%v.Percentile() = %v", s, p)
		}
		if n, ok := s.LowSampleMinimum(); ok && !(n >= 10) {
			t.Fatalf("%v.LowSampleMinimum() = %v, want at least 10/(1-0.5) = 20 or 10/p >= 10", s, n)
		}
		for _, samples := range fuzzSamples {
			checkInvariants(t, s, samples)
		}
	})
}

// checkInvariants computes s on samples and checks what must hold whatever
// the bounds: means lie between the extremes, counts within the weight, PR
// within 0..100, TS = TM × TC.
func checkInvariants(t *testing.T, s Statistic, samples []Sample) {
	t.Helper()
	v, ok := s.FromSamples(samples)
	var w, lo, hi float64 = 0, math.Inf(1), math.Inf(-1)
	negative := false
	for _, x := range samples {
		if x.Count > 0 {
			w += x.Count
			lo, hi = min(lo, x.Value), max(hi, x.Value)
			negative = negative || x.Value < 0
		}
	}
	if w == 0 || s.Extended() && negative {
		if ok {
			t.Fatalf("%v.FromSamples(%v) = %v, true; want undefined", s, samples, v)
		}
		return
	}
	if !ok {
		if s.kind == kindTM || s.kind == kindWM {
			return // nothing inside the bounds
		}
		t.Fatalf("%v.FromSamples(%v) undefined, want a value", s, samples)
	}
	between := func(v, a, b float64) bool { return v >= a-1e-9*math.Abs(a) && v <= b+1e-9*math.Abs(b) }
	switch s.kind {
	case kindPercentile, kindTM, kindWM, kindAverage, kindMinimum, kindMaximum:
		if !between(v, lo, hi) {
			t.Fatalf("%v.FromSamples(%v) = %v, outside [%v, %v]", s, samples, v, lo, hi)
		}
	case kindTC:
		if !between(v, 0, w) {
			t.Fatalf("%v.FromSamples(%v) = %v, outside [0, %v]", s, samples, v, w)
		}
	case kindPR:
		if !between(v, 0, 100) {
			t.Fatalf("%v.FromSamples(%v) = %v, outside [0, 100]", s, samples, v)
		}
	case kindTS:
		tm, tc := s, s
		tm.kind, tc.kind = kindTM, kindTC
		mean, ok := tm.FromSamples(samples)
		count, _ := tc.FromSamples(samples)
		if !ok {
			mean = 0
		}
		if d := math.Abs(v - mean*count); d > 1e-9*math.Abs(v) {
			t.Fatalf("%v.FromSamples(%v) = %v, want TM × TC = %v × %v", s, samples, v, mean, count)
		}
	}
}
