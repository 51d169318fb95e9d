package metric

import (
	"math"
	"slices"
	"time"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// ErrValidation matches, with errors.Is, every error this package returns for
// input that CloudWatch would reject.
var ErrValidation = cwerr.ErrValidation

// Limits that PutMetricData enforces.
const (
	MaxDatumsPerCall = 1000                // MetricDatum items in one PutMetricData call
	MaxValuesPerCall = 150                 // entries of Values (and Counts) in one call
	MaxDimensions    = 30                  // dimensions of one metric
	MaxPast          = 14 * 24 * time.Hour // oldest accepted Timestamp, before the clock
	MaxFuture        = 2 * time.Hour       // newest accepted Timestamp, after the clock
)

// maxMagnitude is 2^360: CloudWatch rejects values outside [-2^360, 2^360].
var maxMagnitude = math.Ldexp(1, 360)

// A Dimension is one name/value pair of a metric's identity.
type Dimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// A StatisticSet is a pre-aggregated set of samples, as PutMetricData's
// StatisticValues carries it. Statistic sets combine additively.
type StatisticSet struct {
	SampleCount float64 `json:"SampleCount"`
	Sum         float64 `json:"Sum"`
	Minimum     float64 `json:"Minimum"`
	Maximum     float64 `json:"Maximum"`
}

// Add merges o into s: counts and sums add, minimum of minimums, maximum of
// maximums. An empty set (SampleCount 0) adds nothing.
func (s *StatisticSet) Add(o StatisticSet) {
	if o.SampleCount == 0 {
		return
	}
	if s.SampleCount == 0 {
		*s = o
		return
	}
	s.SampleCount += o.SampleCount
	s.Sum += o.Sum
	s.Minimum = min(s.Minimum, o.Minimum)
	s.Maximum = max(s.Maximum, o.Maximum)
}

// A Datum is one MetricDatum of PutMetricData. Exactly one of its three
// forms carries the data: StatisticValues, Values (with optional Counts), or
// Value, which is used when the other two are empty. A zero Timestamp means
// "the time the datum is received"; a zero StorageResolution means 60.
type Datum struct {
	MetricName        string        `json:"MetricName"`
	Dimensions        []Dimension   `json:"Dimensions,omitempty"`
	Timestamp         time.Time     `json:"Timestamp,omitzero"`
	Value             float64       `json:"Value,omitempty"`
	StatisticValues   *StatisticSet `json:"StatisticValues,omitempty"`
	Values            []float64     `json:"Values,omitempty"`
	Counts            []float64     `json:"Counts,omitempty"`
	Unit              string        `json:"Unit,omitempty"`
	StorageResolution int           `json:"StorageResolution,omitempty"`
}

// Set returns the datum's samples as a statistic set.
func (d *Datum) Set() StatisticSet {
	switch {
	case d.StatisticValues != nil:
		return *d.StatisticValues
	case len(d.Values) > 0:
		var s StatisticSet
		for i, v := range d.Values {
			c := 1.0
			if i < len(d.Counts) {
				c = d.Counts[i]
			}
			if c == 0 {
				continue
			}
			s.Add(StatisticSet{SampleCount: c, Sum: v * c, Minimum: v, Maximum: v})
		}
		return s
	default:
		return StatisticSet{SampleCount: 1, Sum: d.Value, Minimum: d.Value, Maximum: d.Value}
	}
}

// Units is CloudWatch's StandardUnit enumeration, in the API's order.
var Units = []string{
	"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
	"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
	"Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
	"Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
	"Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
}

// ValidUnit reports whether u is one of Units.
func ValidUnit(u string) bool { return slices.Contains(Units, u) }
