package metric_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/metric"
)

// Prepare accepts and rejects exactly what ValidateData does, with the same
// error, and a rejected call leaves nothing for Apply.
func TestPrepare(t *testing.T) {
	now := at(5 * time.Minute)
	for _, tt := range []struct {
		name string
		ns   string
		data []metric.Datum
		why  string
	}{
		{"valid", aggNS, []metric.Datum{value(now, 1), value(now, 2)}, "accepted: both datums land in the period"},
		{"non-ASCII name", aggNS, []metric.Datum{{MetricName: "Latenz-ü", Timestamp: now, Value: 1}}, "the fast check refuses it, ValidateData accepts it (names may be UTF-8)"},
		{"bad namespace", ":bad", []metric.Datum{value(now, 1)}, "checked before any datum"},
		{"no data", aggNS, nil, "MetricData is required"},
		{"NaN", aggNS, []metric.Datum{value(now, 1), value(now, math.NaN())}, "one bad datum rejects the whole call"},
		{"too old", aggNS, []metric.Datum{value(now.Add(-15*24*time.Hour), 1)}, "the two-week window"},
		{"too new", aggNS, []metric.Datum{value(now.Add(3*time.Hour), 1)}, "the two-hour window"},
		{"dimension twice", aggNS, []metric.Datum{{MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Host", Value: "a"}, {Name: "Host", Value: "b"}}, Timestamp: now, Value: 1}}, "the cached dimension names must not hide a repeat"},
		{"too many values", aggNS, []metric.Datum{{MetricName: "Latency", Timestamp: now, Values: make([]float64, 100)}, {MetricName: "Latency", Timestamp: now, Values: make([]float64, 51)}}, "150 Values per call"},
		{"bad unit", aggNS, []metric.Datum{{MetricName: "Latency", Timestamp: now, Value: 1, Unit: "Furlongs"}}, "the StandardUnit set"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := metric.ValidateData(tt.ns, tt.data, now)
			agg := metric.NewAggregator(time.Hour)
			var b metric.Batch
			got := agg.Prepare(&b, tt.ns, tt.data, now)
			if fmt.Sprint(got) != fmt.Sprint(want) || !errors.Is(got, metric.ErrValidation) != (want == nil) {
				t.Fatalf("Prepare = %v\nValidateData = %v\n(%s)", got, want, tt.why)
			}
			agg.Apply(&b)
			for _, d := range tt.data {
				w := agg.Watch(metric.Query{Namespace: tt.ns, MetricName: d.MetricName, Dimensions: d.Dimensions, Stat: mustStatistic(t, "SampleCount"), Period: time.Minute, Periods: 1})
				out := read(w, now.Add(time.Minute), 1)
				if applied := !out[0].Missing; applied != (want == nil) {
					t.Errorf("datum %s applied = %v, want %v (%s)", d.MetricName, applied, want == nil, tt.why)
				}
			}
		})
	}
}

// A prepared call is applied once: Apply again does nothing.
func TestApplyOnce(t *testing.T) {
	agg := metric.NewAggregator(time.Hour)
	w := agg.Watch(latencyQuery(t, "Sum", time.Minute, 1))
	var b metric.Batch
	data := []metric.Datum{value(at(0), 2), value(at(10*time.Second), 3)}
	if err := agg.Prepare(&b, aggNS, data, at(20*time.Second)); err != nil {
		t.Fatal(err)
	}
	agg.Apply(&b)
	agg.Apply(&b)
	if got := read(w, at(time.Minute), 1); got[0].Value != 5 {
		t.Errorf("Sum after Apply twice = %v, want 5", got[0].Value)
	}
}

// Ingest through Prepare and Apply allocates nothing once the metrics and
// their slots exist, for the shapes of datum CloudWatch takes.
func TestPrepareApplyDoNotAllocate(t *testing.T) {
	now := at(30 * time.Second)
	data := make([]metric.Datum, 100)
	for i := range data {
		dims := []metric.Dimension{{Name: "Service", Value: "api"}, {Name: "Host", Value: fmt.Sprintf("h-%03d", i)}}
		switch i % 4 {
		case 3: // a UTF-8 name: valid, and no slower path
			data[i] = metric.Datum{MetricName: "Latenz-ü", Dimensions: dims, Timestamp: now, Value: 1}
		case 0:
			data[i] = metric.Datum{MetricName: "Latency", Dimensions: dims, Timestamp: now, Value: 1}
		case 1:
			data[i] = metric.Datum{MetricName: "Latency", Dimensions: dims, Timestamp: now, Values: []float64{1, 2}, Counts: []float64{3, 4}, Unit: "Milliseconds"}
		default:
			data[i] = metric.Datum{MetricName: "Latency", Dimensions: dims, StatisticValues: &metric.StatisticSet{SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2}, StorageResolution: 1}
		}
	}
	agg := metric.NewAggregator(time.Hour)
	var b metric.Batch
	ingest := func() {
		if err := agg.Prepare(&b, aggNS, data, now); err != nil {
			t.Fatal(err)
		}
		agg.Apply(&b)
	}
	ingest()
	if allocs := testing.AllocsPerRun(50, ingest); allocs != 0 {
		t.Errorf("Prepare+Apply of %d datums allocates %v times per call, want 0", len(data), allocs)
	}
	w := agg.Watch(metric.Query{Namespace: aggNS, MetricName: "Latency", Dimensions: data[0].Dimensions, Stat: mustStatistic(t, "SampleCount"), Period: time.Minute, Periods: 1})
	if got, want := read(w, at(time.Minute), 1)[0].SampleCount, 52.0; got != want {
		t.Errorf("SampleCount of the first metric = %v, want %v (52 calls of one datum)", got, want)
	}
}

// Prepare runs outside the engine's lock: calls on different Batches may
// run while another goroutine applies (go test -race checks it).
func TestPrepareConcurrentWithApply(t *testing.T) {
	agg := metric.NewAggregator(time.Hour)
	w := agg.Watch(latencyQuery(t, "SampleCount", time.Minute, 1))
	const calls = 200
	prepared := make(chan *metric.Batch)
	go func() {
		defer close(prepared)
		for i := range calls {
			b := new(metric.Batch)
			// New metrics on every call make Apply grow the index while
			// the next Prepare runs.
			data := []metric.Datum{value(at(0), 1), {MetricName: "Other", Dimensions: []metric.Dimension{{Name: "N", Value: fmt.Sprint(i)}}, Timestamp: at(0), Value: 1}}
			if err := agg.Prepare(b, aggNS, data, at(30*time.Second)); err != nil {
				t.Error(err)
				return
			}
			prepared <- b
		}
	}()
	for b := range prepared {
		agg.Apply(b)
	}
	if got := read(w, at(time.Minute), 1)[0].SampleCount; got != calls {
		t.Errorf("SampleCount = %v, want %v", got, float64(calls))
	}
}

// A Batch prepared by one Aggregator and applied to another lands under
// the right metric: the second Aggregator hashes it with its own keys.
func TestApplyOtherAggregator(t *testing.T) {
	prep, agg := metric.NewAggregator(time.Hour), metric.NewAggregator(time.Hour)
	w := agg.Watch(latencyQuery(t, "Sum", time.Minute, 1))
	var b metric.Batch
	if err := prep.Prepare(&b, aggNS, []metric.Datum{value(at(0), 2)}, at(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	agg.Apply(&b)
	if got := read(w, at(time.Minute), 1); got[0].Missing || got[0].Value != 2 {
		t.Errorf("period = %+v, want Sum 2", got[0])
	}
}
