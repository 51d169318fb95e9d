package metric_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon/metric"
)

// aggT0 is the start of every aggregator scenario: 2024-05-01 12:00:00 UTC.
var aggT0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

const aggNS = "Klaxon/Test"

// at returns aggT0 + d.
func at(d time.Duration) time.Time { return aggT0.Add(d) }

// hostA is the dimension list of the metric most scenarios use.
var hostA = []metric.Dimension{{Name: "Host", Value: "a"}}

// mustStatistic parses a simple or an extended statistic.
func mustStatistic(t testing.TB, name string) metric.Statistic {
	t.Helper()
	if s, err := metric.ParseStatistic(name); err == nil {
		return s
	}
	s, err := metric.ParseExtendedStatistic(name)
	if err != nil {
		t.Fatalf("statistic %q: %v", name, err)
	}
	return s
}

// latencyQuery is a query of Latency{Host=a} in aggNS, of every unit.
func latencyQuery(t testing.TB, stat string, period time.Duration, periods int) metric.Query {
	return metric.Query{
		Namespace:  aggNS,
		MetricName: "Latency",
		Dimensions: hostA,
		Stat:       mustStatistic(t, stat),
		Period:     period,
		Periods:    periods,
	}
}

// value returns a Value datum of Latency{Host=a} stamped ts.
func value(ts time.Time, v float64) metric.Datum {
	return metric.Datum{MetricName: "Latency", Dimensions: hostA, Timestamp: ts, Value: v}
}

// read returns the window of n periods of w that ends at end.
func read(w *metric.Watch, end time.Time, n int) []metric.Period {
	out := make([]metric.Period, n)
	w.Read(end, out)
	return out
}

// notation writes a window in the series notation of the style guide: the
// values, oldest first, with _ for a Missing period.
func notation(out []metric.Period) string {
	parts := make([]string, len(out))
	for i, p := range out {
		if p.Missing {
			parts[i] = "_"
		} else {
			parts[i] = strconv.FormatFloat(p.Value, 'g', -1, 64)
		}
	}
	return strings.Join(parts, " ")
}

// points lists the periods that have data as "15:04:05=value", for long
// windows where most periods are missing.
func points(out []metric.Period) string {
	var parts []string
	for _, p := range out {
		if !p.Missing {
			parts = append(parts, p.Start.Format("15:04:05")+"="+strconv.FormatFloat(p.Value, 'g', -1, 64))
		}
	}
	return strings.Join(parts, " ")
}

// simpleStats are the five simple statistics of one period.
type simpleStats struct {
	SampleCount, Sum, Average, Minimum, Maximum float64
}

func TestAggregatorSimpleStatistics(t *testing.T) {
	tests := []struct {
		name string
		data []metric.Datum
		want simpleStats
		why  string
	}{
		{
			name: "one Value",
			data: []metric.Datum{value(at(10*time.Second), 7)},
			want: simpleStats{SampleCount: 1, Sum: 7, Average: 7, Minimum: 7, Maximum: 7},
			why:  "a Value is one sample",
		},
		{
			name: "Values and Counts",
			data: []metric.Datum{{MetricName: "Latency", Dimensions: hostA, Timestamp: at(10 * time.Second),
				Values: []float64{1, 10}, Counts: []float64{2, 4}}},
			want: simpleStats{SampleCount: 6, Sum: 42, Average: 7, Minimum: 1, Maximum: 10},
			why:  "each value counts Counts[i] times: 2×1 + 4×10 = 42 over 6 samples, the real AWS check's Maximum 10, SampleCount 6, Sum 42",
		},
		{
			name: "Values without Counts",
			data: []metric.Datum{{MetricName: "Latency", Dimensions: hostA, Timestamp: at(10 * time.Second),
				Values: []float64{3, 1, 2}}},
			want: simpleStats{SampleCount: 3, Sum: 6, Average: 2, Minimum: 1, Maximum: 3},
			why:  "Counts default to 1 each",
		},
		{
			name: "a Count of 0",
			data: []metric.Datum{{MetricName: "Latency", Dimensions: hostA, Timestamp: at(10 * time.Second),
				Values: []float64{5, 100}, Counts: []float64{3, 0}}},
			want: simpleStats{SampleCount: 3, Sum: 15, Average: 5, Minimum: 5, Maximum: 5},
			why:  "a value that occurred 0 times is no sample, not even for Maximum",
		},
		{
			name: "one StatisticValues",
			data: []metric.Datum{{MetricName: "Latency", Dimensions: hostA, Timestamp: at(10 * time.Second),
				StatisticValues: &metric.StatisticSet{SampleCount: 3, Sum: 30, Minimum: 5, Maximum: 20}}},
			want: simpleStats{SampleCount: 3, Sum: 30, Average: 10, Minimum: 5, Maximum: 20},
			why:  "a statistic set gives the simple statistics directly",
		},
		{
			name: "StatisticValues merge",
			data: []metric.Datum{
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(10 * time.Second),
					StatisticValues: &metric.StatisticSet{SampleCount: 3, Sum: 30, Minimum: 5, Maximum: 20}},
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(40 * time.Second),
					StatisticValues: &metric.StatisticSet{SampleCount: 2, Sum: 5, Minimum: 1, Maximum: 4}},
			},
			want: simpleStats{SampleCount: 5, Sum: 35, Average: 7, Minimum: 1, Maximum: 20},
			why:  "statistic sets combine additively: counts and sums add, minimum of minimums, maximum of maximums",
		},
		{
			name: "all three forms in one period",
			data: []metric.Datum{
				value(at(5*time.Second), 58),
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(20 * time.Second),
					Values: []float64{1, 10}, Counts: []float64{2, 4}},
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(50 * time.Second),
					StatisticValues: &metric.StatisticSet{SampleCount: 2, Sum: 8, Minimum: 3, Maximum: 5}},
			},
			want: simpleStats{SampleCount: 9, Sum: 108, Average: 12, Minimum: 1, Maximum: 58},
			why:  "1 + 6 + 2 samples summing to 58 + 42 + 8",
		},
		{
			name: "KC example: four samples in one minute",
			data: []metric.Datum{
				value(at(7*time.Second), 60),
				value(at(11*time.Second), 70),
				value(at(19*time.Second), 67.736),
				value(at(35*time.Second), 70),
			},
			want: simpleStats{SampleCount: 4, Sum: 267.736, Average: 66.934, Minimum: 60, Maximum: 70},
			why:  "samples at 12:00:07, :11, :19 and :35 share the 60 s period; their average is 267.736 / 4 = 66.934",
		},
	}
	stats := []string{"SampleCount", "Sum", "Average", "Minimum", "Maximum"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agg := metric.NewAggregator(3 * time.Hour)
			watches := make([]*metric.Watch, len(stats))
			for i, s := range stats {
				watches[i] = agg.Watch(latencyQuery(t, s, time.Minute, 1))
			}
			for i := range tt.data {
				agg.Add(aggNS, &tt.data[i], at(time.Minute))
			}
			var got simpleStats
			for i, field := range []*float64{&got.SampleCount, &got.Sum, &got.Average, &got.Minimum, &got.Maximum} {
				p := read(watches[i], at(time.Minute), 1)[0]
				if p.Missing || !p.Start.Equal(aggT0) || p.SampleCount != tt.want.SampleCount {
					t.Errorf("%s: period = %+v, want Start %v, SampleCount %v, not Missing", stats[i], p, aggT0, tt.want.SampleCount)
				}
				*field = p.Value
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("statistics of [12:00, 12:01) (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

// TestAggregatorWindow checks the layout of a window: out[i] covers
// [end-(n-i)×Period, end-(n-i-1)×Period), a period includes its start and
// excludes its end.
func TestAggregatorWindow(t *testing.T) {
	agg := metric.NewAggregator(3 * time.Hour)
	w := agg.Watch(latencyQuery(t, "Maximum", 5*time.Minute, 5))
	end := at(30 * time.Minute)
	for _, d := range []metric.Datum{
		value(at(4*time.Minute+59*time.Second), 200), // stamped 12:04:00: before the window
		value(at(10*time.Minute), 1),                 // the start of out[1]
		value(at(14*time.Minute+59*time.Second), 3),  // the last second of out[1]
		value(at(20*time.Minute+30*time.Second), 4),  // inside out[3]
		value(at(29*time.Minute+59*time.Second), 2),  // the last second of the window
		value(end, 100), // the window's end: no period of it
	} {
		agg.Add(aggNS, &d, at(31*time.Minute))
	}
	got := read(w, end, 5)
	want := []metric.Period{
		{Start: at(5 * time.Minute), Missing: true},
		{Start: at(10 * time.Minute), Value: 3, SampleCount: 2},
		{Start: at(15 * time.Minute), Missing: true},
		{Start: at(20 * time.Minute), Value: 4, SampleCount: 1},
		{Start: at(25 * time.Minute), Value: 2, SampleCount: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Read(12:30, 5 × 300 s) (-want +got):\n%s", diff)
	}
}

func TestAggregatorResolution(t *testing.T) {
	tests := []struct {
		name       string
		resolution int
		ts         time.Time
		want       string // 6 periods of 10 s, [12:00:00, 12:01:00)
		why        string
	}{
		{"standard (0)", 0, at(45 * time.Second), "7 _ _ _ _ _",
			"standard-resolution data is stamped to its minute, 12:00:00, so a 10 s period sees it only in [12:00:00, 12:00:10)"},
		{"standard (60)", 60, at(45 * time.Second), "7 _ _ _ _ _",
			"StorageResolution 60 is the default, standard resolution"},
		{"standard, last instant of the minute", 0, at(59*time.Second + 999*time.Millisecond), "7 _ _ _ _ _",
			"12:00:59.999 still belongs to the minute 12:00"},
		{"high (1)", 1, at(45 * time.Second), "_ _ _ _ 7 _",
			"high-resolution data keeps its second: 12:00:45 lands in [12:00:40, 12:00:50)"},
		{"high, at a period start", 1, at(40 * time.Second), "_ _ _ _ 7 _",
			"12:00:40 is the start of [12:00:40, 12:00:50)"},
		{"high, just before a period start", 1, at(39*time.Second + 999*time.Millisecond), "_ _ _ 7 _ _",
			"12:00:39.999 belongs to [12:00:30, 12:00:40)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agg := metric.NewAggregator(3 * time.Hour)
			w := agg.Watch(latencyQuery(t, "Sum", 10*time.Second, 6))
			d := value(tt.ts, 7)
			d.StorageResolution = tt.resolution
			agg.Add(aggNS, &d, at(time.Minute))
			if got := notation(read(w, at(time.Minute), 6)); got != tt.want {
				t.Errorf("window = %q, want %q\nwhy: %s", got, tt.want, tt.why)
			}
		})
	}
}

// TestAggregatorLateData: data for an earlier period, arriving after data
// for a later one, updates the earlier period.
func TestAggregatorLateData(t *testing.T) {
	agg := metric.NewAggregator(3 * time.Hour)
	w := agg.Watch(latencyQuery(t, "Sum", time.Minute, 5))
	now := at(5 * time.Minute)
	steps := []struct {
		ts   time.Duration
		v    float64
		want string // [12:00, 12:05)
		why  string
	}{
		{4*time.Minute + 10*time.Second, 1, "_ _ _ _ 1", "the newest period gets data first"},
		{time.Minute + 30*time.Second, 5, "_ 5 _ _ 1", "late data for 12:01 fills an earlier period"},
		{time.Minute + 50*time.Second, 2, "_ 7 _ _ 1", "more late data for 12:01 changes its Sum"},
		{2 * time.Minute, 3, "_ 7 3 _ 1", "late data between two periods with data"},
		{0, 4, "4 7 3 _ 1", "late data for the oldest period of the window"},
		{4 * time.Minute, 10, "4 7 3 _ 11", "on-time data again, after the late data"},
	}
	for _, s := range steps {
		d := value(at(s.ts), s.v)
		agg.Add(aggNS, &d, now)
		if got := notation(read(w, now, 5)); got != s.want {
			t.Errorf("after %v at %v: window = %q, want %q\nwhy: %s", s.v, at(s.ts).Format("15:04:05"), got, s.want, s.why)
		}
	}
}

func TestAggregatorUnits(t *testing.T) {
	agg := metric.NewAggregator(3 * time.Hour)
	for _, u := range []struct {
		unit string
		v    float64
	}{{"Percent", 50}, {"Percent", 30}, {"Count", 3}, {"", 7}} {
		d := value(at(10*time.Second), u.v)
		d.Unit = u.unit
		agg.Add(aggNS, &d, at(time.Minute))
	}
	tests := []struct {
		unit        string
		sum, sample float64 // sum 0: Missing
		why         string
	}{
		{"", 90, 4, "a watch without a unit sees the data of every unit, and data without one"},
		{"Percent", 80, 2, "a watch with a unit sees only the data of that unit"},
		{"Count", 3, 1, "units are aggregated separately"},
		{"Seconds", 0, 0, "a unit that was never published gives no data"},
	}
	for _, tt := range tests {
		t.Run("unit="+tt.unit, func(t *testing.T) {
			q := latencyQuery(t, "Sum", time.Minute, 1)
			q.Unit = tt.unit
			got := read(agg.Watch(q), at(time.Minute), 1)[0]
			want := metric.Period{Start: aggT0, Value: tt.sum, SampleCount: tt.sample, Missing: tt.sum == 0}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("period (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

func TestAggregatorDimensions(t *testing.T) {
	dim := func(kv ...string) []metric.Dimension {
		var ds []metric.Dimension
		for i := 0; i < len(kv); i += 2 {
			ds = append(ds, metric.Dimension{Name: kv[i], Value: kv[i+1]})
		}
		return ds
	}
	agg := metric.NewAggregator(3 * time.Hour)
	for _, d := range []struct {
		ns, name string
		dims     []metric.Dimension
		v        float64
	}{
		{aggNS, "Latency", dim("Host", "a", "AZ", "x"), 1},
		{aggNS, "Latency", dim("AZ", "x", "Host", "a"), 2},
		{aggNS, "Latency", dim("Host", "b", "AZ", "x"), 4},
		{aggNS, "Latency", dim("Host", "a"), 8},
		{aggNS, "Latency", nil, 16},
		{"Other", "Latency", dim("Host", "a", "AZ", "x"), 32},
		{aggNS, "Errors", dim("Host", "a", "AZ", "x"), 64},
		{aggNS, "Latency", dim("Host", "A", "AZ", "x"), 128},
	} {
		datum := metric.Datum{MetricName: d.name, Dimensions: d.dims, Timestamp: at(10 * time.Second), Value: d.v}
		agg.Add(d.ns, &datum, at(time.Minute))
	}
	tests := []struct {
		dims []metric.Dimension
		want string
		why  string
	}{
		{dim("Host", "a", "AZ", "x"), "3", "dimensions in any order identify the same metric: 1 + 2"},
		{dim("AZ", "x", "Host", "a"), "3", "the watch's order does not matter either"},
		{dim("Host", "b", "AZ", "x"), "4", "another dimension value is another metric"},
		{dim("Host", "A", "AZ", "x"), "128", "dimension values are case-sensitive"},
		{dim("Host", "a"), "8", "a subset of the dimensions is another metric, not an aggregate"},
		{nil, "16", "no dimensions is a metric of its own"},
		{dim("AZ", "x"), "_", "a combination that was never published has no data"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.dims), func(t *testing.T) {
			q := latencyQuery(t, "Sum", time.Minute, 1)
			q.Dimensions = tt.dims
			if got := notation(read(agg.Watch(q), at(time.Minute), 1)); got != tt.want {
				t.Errorf("Sum = %s, want %s\nwhy: %s", got, tt.want, tt.why)
			}
		})
	}
}

// TestAggregatorExtended reads a p90 and an Average watch over two periods,
// [12:00, 12:01) and [12:01, 12:02). Each datum is received at its
// timestamp. The p90 watch is made at watchAt, between the datums of
// before and those of after.
//
// Where nothing comes before the watch, the first datum is stamped 12:00:00
// exactly: see TestAggregatorExtendedAfterWatch for what goes wrong when
// the first datum of a metric is received after the start of its minute.
func TestAggregatorExtended(t *testing.T) {
	tests := []struct {
		name         string
		before       []metric.Datum
		watchAt      time.Duration
		after        []metric.Datum
		p90, average string
		why          string
	}{
		{
			name: "p90 of raw values",
			after: []metric.Datum{
				value(aggT0, 20),
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(65 * time.Second), Values: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
			},
			p90: "20 9", average: "20 5.5",
			why: "a watch with p90 keeps the raw samples; the nearest rank of 1..10 is ceil(0.9 × 10) = 9",
		},
		{
			name: "Counts weigh the samples",
			after: []metric.Datum{
				value(aggT0, 20),
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(65 * time.Second), Values: []float64{1, 100}, Counts: []float64{9, 1}},
			},
			p90: "20 1", average: "20 10.9",
			why: "1 occurs 9 times out of 10, so the 9th sample, p90, is 1",
		},
		{
			name: "a statistic set of one repeated value",
			after: []metric.Datum{
				{MetricName: "Latency", Dimensions: hostA, Timestamp: aggT0,
					StatisticValues: &metric.StatisticSet{SampleCount: 9, Sum: 45, Minimum: 5, Maximum: 5}},
				value(at(30*time.Second), 15),
			},
			p90: "5 _", average: "6 _",
			why: "Min = Max and Sum = Min × SampleCount: the set is 9 samples of 5, which p90 can use",
		},
		{
			name: "a statistic set that is not one sample",
			after: []metric.Datum{
				value(aggT0, 8),
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(60 * time.Second),
					StatisticValues: &metric.StatisticSet{SampleCount: 2, Sum: 4, Minimum: 1, Maximum: 3}},
				value(at(90*time.Second), 5),
			},
			p90: "8 _", average: "8 3",
			why: "with Min != Max the set's samples are unknown: p90 of that period is Missing, its Average is not",
		},
		{
			name:    "data before the first extended watch",
			before:  []metric.Datum{value(at(10*time.Second), 1)},
			watchAt: 30 * time.Second,
			after:   []metric.Datum{value(at(40*time.Second), 3), value(at(70*time.Second), 5)},
			p90:     "_ 5", average: "2 5",
			why: "the sample of 12:00:10 was not kept, so p90 of [12:00, 12:01) cannot be computed; the next period is whole",
		},
		{
			name: "negative values",
			after: []metric.Datum{
				value(aggT0, 4),
				{MetricName: "Latency", Dimensions: hostA, Timestamp: at(70 * time.Second), Values: []float64{-1, 5}},
			},
			p90: "4 _", average: "4 2",
			why: "extended statistics are not available when any value is negative",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agg := metric.NewAggregator(3 * time.Hour)
			avg := agg.Watch(latencyQuery(t, "Average", time.Minute, 2))
			for i := range tt.before {
				agg.Add(aggNS, &tt.before[i], tt.before[i].Timestamp)
			}
			p90 := agg.Watch(latencyQuery(t, "p90", time.Minute, 2))
			for i := range tt.after {
				agg.Add(aggNS, &tt.after[i], tt.after[i].Timestamp)
			}
			end := at(2 * time.Minute)
			if got := notation(read(p90, end, 2)); got != tt.p90 {
				t.Errorf("p90 = %q, want %q\nwhy: %s", got, tt.p90, tt.why)
			}
			if got := notation(read(avg, end, 2)); got != tt.average {
				t.Errorf("Average = %q, want %q\nwhy: %s", got, tt.average, tt.why)
			}
		})
	}
}

// TestAggregatorExtendedAfterWatch: samples that arrive after the first
// extended watch are all kept, so every period they alone fill has its
// extended statistic, whatever its start is relative to the watch or to
// the first Add of the metric.
func TestAggregatorExtendedAfterWatch(t *testing.T) {
	tests := []struct {
		name   string
		before []metric.Datum // received at their timestamp, before the watch
		adds   []metric.Datum // received at now, after the watch
		now    time.Duration
		want   string // p90 of [11:59, 12:00) and [12:00, 12:01)
		why    string
	}{
		{
			name: "first datum of the metric, received mid-minute",
			adds: []metric.Datum{{MetricName: "Latency", Dimensions: hostA, Value: 7}},
			now:  45 * time.Second,
			want: "_ 7",
			why: "the watch exists since 12:00:00; the datum received at 12:00:45 without a timestamp is stamped 12:00:00 " +
				"(standard resolution) and is the only sample of that minute, all kept",
		},
		{
			name: "first datum of the metric, stamped before its receipt",
			adds: []metric.Datum{value(at(10*time.Second), 7)},
			now:  50 * time.Second,
			want: "_ 7",
			why:  "a timestamp before the receive time is normal; the sample arrived after the watch and was kept",
		},
		{
			name:   "late data for a new period before the watch",
			before: []metric.Datum{value(at(-30*time.Minute), 1)},
			adds:   []metric.Datum{value(at(-30*time.Second), 7)},
			now:    30 * time.Second,
			want:   "7 _",
			why: "the metric existed before the watch, but [11:59, 12:00) had no data until this datum, which arrived " +
				"after the watch: its only sample was kept",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agg := metric.NewAggregator(3 * time.Hour)
			for i := range tt.before {
				agg.Add(aggNS, &tt.before[i], tt.before[i].Timestamp)
			}
			w := agg.Watch(latencyQuery(t, "p90", time.Minute, 2))
			for i := range tt.adds {
				agg.Add(aggNS, &tt.adds[i], at(tt.now))
			}
			if got := notation(read(w, at(time.Minute), 2)); got != tt.want {
				t.Errorf("p90 = %q, want %q\nwhy: %s", got, tt.want, tt.why)
			}
		})
	}
}

// TestAggregatorRewatch: when the last extended watch goes, the raw samples
// go; a new extended watch cannot compute the periods that had data before
// it.
func TestAggregatorRewatch(t *testing.T) {
	agg := metric.NewAggregator(3 * time.Hour)
	avg := agg.Watch(latencyQuery(t, "Average", time.Minute, 3))
	p90 := agg.Watch(latencyQuery(t, "p90", time.Minute, 3))
	for _, d := range []metric.Datum{value(aggT0, 1), value(at(time.Minute), 2)} {
		agg.Add(aggNS, &d, d.Timestamp)
	}
	if got, want := notation(read(p90, at(3*time.Minute), 3)), "1 2 _"; got != want {
		t.Fatalf("p90 before Unwatch = %q, want %q", got, want)
	}
	agg.Unwatch(p90)
	p90 = agg.Watch(latencyQuery(t, "p90", time.Minute, 3))
	d := value(at(2*time.Minute), 3)
	agg.Add(aggNS, &d, d.Timestamp)
	if got, want := notation(read(p90, at(3*time.Minute), 3)), "_ _ 3"; got != want {
		t.Errorf("p90 after a new watch = %q, want %q: the samples of 12:00 and 12:01 were dropped with the last extended watch", got, want)
	}
	if got, want := notation(read(avg, at(3*time.Minute), 3)), "1 2 3"; got != want {
		t.Errorf("Average = %q, want %q: the statistic sets stay", got, want)
	}
}

// TestAggregatorRetention: a datum older than the watches' horizon (or,
// for a metric no alarm watches, Retention) is dropped on Add, and Add
// prunes the slots that became that old; a watch of Period P and N periods
// keeps (N+1) × P.
func TestAggregatorRetention(t *testing.T) {
	agg := metric.NewAggregator(10 * time.Minute)
	small := agg.Watch(latencyQuery(t, "Sum", time.Minute, 1)) // keeps 2 min
	big := agg.Watch(latencyQuery(t, "Sum", 5*time.Minute, 5)) // keeps 30 min
	now := at(time.Hour)                                       // 13:00
	steps := []struct {
		unwatch bool
		ts      time.Duration
		v       float64
		want    string // periods with data among 41 minutes up to 13:00:59
		why     string
	}{
		{ts: 29 * time.Minute, v: 1, want: "",
			why: "12:29 is 31 min old, beyond the big watch's 30 min (Retention is 10 min): dropped"},
		{ts: 30 * time.Minute, v: 2, want: "12:30:00=2",
			why: "12:30 is exactly 30 min old: kept"},
		{ts: 45 * time.Minute, v: 4, want: "12:30:00=2 12:45:00=4",
			why: "within the horizon"},
		{unwatch: true, ts: time.Hour, v: 8, want: "13:00:00=8",
			why: "once no watch is left the metric keeps Retention, 10 min: this Add prunes 12:30 and 12:45"},
		{ts: 49 * time.Minute, v: 16, want: "13:00:00=8",
			why: "12:49 is 11 min old, beyond Retention: dropped"},
		{ts: 50 * time.Minute, v: 32, want: "12:50:00=32 13:00:00=8",
			why: "12:50 is exactly Retention old: kept"},
	}
	for _, s := range steps {
		if s.unwatch {
			agg.Unwatch(big)
			agg.Unwatch(small) // small still reads the group's slots
		}
		d := value(at(s.ts), s.v)
		agg.Add(aggNS, &d, now)
		if got := points(read(small, now.Add(time.Minute), 41)); got != s.want {
			t.Errorf("after %v at %v: data = %q, want %q\nwhy: %s", s.v, at(s.ts).Format("15:04"), got, s.want, s.why)
		}
	}
}

func TestAggregatorDoesNotAllocate(t *testing.T) {
	twoDims := []metric.Dimension{{Name: "Host", Value: "a"}, {Name: "AZ", Value: "x"}}

	t.Run("Add into an existing period", func(t *testing.T) {
		agg := metric.NewAggregator(3 * time.Hour)
		q := latencyQuery(t, "Average", time.Minute, 5)
		q.Dimensions = twoDims
		agg.Watch(q)
		d := metric.Datum{MetricName: "Latency", Dimensions: twoDims, Timestamp: at(10 * time.Second), Value: 1}
		agg.Add(aggNS, &d, at(20*time.Second))
		allocs := testing.AllocsPerRun(100, func() { agg.Add(aggNS, &d, at(20*time.Second)) })
		if allocs != 0 {
			t.Errorf("Add allocates %v times per run, want 0: it runs for every datum", allocs)
		}
	})

	for _, tt := range []struct {
		stat string
		want float64 // of every period
	}{
		{"Average", 10.5},
		{"p90", 18}, // nearest rank of 1..20: the 18th
	} {
		t.Run("Read "+tt.stat, func(t *testing.T) {
			agg := metric.NewAggregator(3 * time.Hour)
			w := agg.Watch(latencyQuery(t, tt.stat, time.Minute, 7))
			values := make([]float64, 20)
			for i := range values {
				values[i] = float64(i + 1)
			}
			for i := range 7 {
				d := metric.Datum{MetricName: "Latency", Dimensions: hostA, Timestamp: at(time.Duration(i) * time.Minute), Values: values}
				agg.Add(aggNS, &d, d.Timestamp)
			}
			out := make([]metric.Period, 7)
			w.Read(at(7*time.Minute), out) // warm-up: grows the scratch space
			for _, p := range out {
				if p.Missing || p.Value != tt.want {
					t.Fatalf("period %v = %+v, want %v: the allocation check must read real data", p.Start, p, tt.want)
				}
			}
			allocs := testing.AllocsPerRun(100, func() { w.Read(at(7*time.Minute), out) })
			if allocs != 0 {
				t.Errorf("Read of 7 periods of %s allocates %v times per run, want 0: it runs at every evaluation", tt.stat, allocs)
			}
		})
	}
}

func BenchmarkAggregatorAdd(b *testing.B) {
	const metrics = 10000
	agg := metric.NewAggregator(3 * time.Hour)
	data := make([]metric.Datum, metrics)
	for i := range data {
		data[i] = metric.Datum{
			MetricName: "Latency",
			Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}, {Name: "Host", Value: fmt.Sprintf("host-%05d", i)}},
			Timestamp:  at(10 * time.Second),
			Value:      float64(i),
		}
		agg.Add(aggNS, &data[i], at(20*time.Second)) // every metric and slot exists
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		agg.Add(aggNS, &data[i%metrics], at(20*time.Second))
	}
}

// TestAggregatorSharedReads: alarms on one metric read the same window at
// an evaluation, and the Aggregator reuses what the first read computed;
// a read after new data, or of another window, statistic, unit or period,
// sees its own values.
func TestAggregatorSharedReads(t *testing.T) {
	agg := metric.NewAggregator(3 * time.Hour)
	end := at(5 * time.Minute)
	watch := func(stat string, period time.Duration, n int) *metric.Watch {
		return agg.Watch(latencyQuery(t, stat, period, n))
	}
	maxW, avgW, p50W, p90W, longW := watch("Maximum", time.Minute, 5), watch("Average", time.Minute, 3), watch("p50", time.Minute, 5), watch("p90", time.Minute, 3), watch("Sum", 5*time.Minute, 1)
	ms := agg.Watch(metric.Query{Namespace: aggNS, MetricName: "Latency", Dimensions: hostA, Unit: "Milliseconds", Stat: mustStatistic(t, "Sum"), Period: time.Minute, Periods: 5})
	for i, v := range []float64{1, 2, 3, 4, 5} {
		d := value(at(time.Duration(i)*time.Minute), v)
		agg.Add(aggNS, &d, end)
		d.Values, d.Value = []float64{v * 10, v * 100}, 0
		agg.Add(aggNS, &d, end)
	}
	for _, tt := range []struct {
		w    *metric.Watch
		n    int
		want string
		why  string
	}{
		{maxW, 5, "100 200 300 400 500", "the first read of the window"},
		{avgW, 3, "111 148 185", "a shorter window of another statistic, from the same sums"},
		{maxW, 5, "100 200 300 400 500", "the same window again"},
		{p50W, 5, "10 20 30 40 50", "an extended statistic over the samples"},
		{p90W, 3, "300 400 500", "another percentile of the same samples"},
		{p50W, 3, "30 40 50", "a shorter window of the first percentile"},
		{longW, 1, "1665", "another period"},
		{ms, 5, "_ _ _ _ _", "another unit: nothing was sent with Milliseconds"},
	} {
		if got := notation(read(tt.w, end, tt.n)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.why, got, tt.want)
		}
	}
	d := value(at(4*time.Minute+30*time.Second), 1000)
	agg.Add(aggNS, &d, end)
	if got := notation(read(maxW, end, 5)); got != "100 200 300 400 1000" {
		t.Errorf("after new data: %s, want the new maximum", got)
	}
	if got := notation(read(p90W, end, 3)); got != "300 400 1000" {
		t.Errorf("a percentile after new data: %s, want the new sample", got)
	}
}

// TestAggregatorSharedReadsAnyOrder: the first read of a window computes
// the longest one of its width for the others; whatever order the alarms
// read in, each gets what it reads on an Aggregator of its own.
func TestAggregatorSharedReadsAnyOrder(t *testing.T) {
	type spec struct {
		stat   string
		period time.Duration
		n      int
	}
	specs := []spec{
		{"Average", time.Minute, 1}, {"Maximum", time.Minute, 3}, {"Sum", time.Minute, 7},
		{"p90", time.Minute, 2}, {"p50", time.Minute, 7}, {"SampleCount", 5 * time.Minute, 2}, {"Minimum", 5 * time.Minute, 4},
	}
	end := at(40 * time.Minute)
	fill := func(agg *metric.Aggregator) {
		for i := range 40 {
			d := value(at(time.Duration(i)*time.Minute+7*time.Second), float64(i%9))
			d.Values, d.Value = []float64{float64(i % 9), float64(i * 3 % 11)}, 0
			agg.Add(aggNS, &d, end)
		}
	}
	// What each reads alone.
	want := make([]string, len(specs))
	for i, sp := range specs {
		agg := metric.NewAggregator(3 * time.Hour)
		w := agg.Watch(latencyQuery(t, sp.stat, sp.period, sp.n))
		fill(agg)
		want[i] = notation(read(w, end, sp.n))
	}
	for _, tt := range []struct {
		order []int
		why   string
	}{
		{[]int{0, 1, 2, 3, 4, 5, 6}, "shortest first: the first read computes the longest window"},
		{[]int{4, 3, 2, 1, 0, 6, 5}, "longest first"},
		{[]int{5, 0, 6, 3, 1, 4, 2}, "the two widths and the percentiles interleaved"},
	} {
		agg := metric.NewAggregator(3 * time.Hour)
		ws := make([]*metric.Watch, len(specs))
		for i, sp := range specs {
			ws[i] = agg.Watch(latencyQuery(t, sp.stat, sp.period, sp.n))
		}
		fill(agg)
		for _, i := range tt.order {
			if got := notation(read(ws[i], end, specs[i].n)); got != want[i] {
				t.Errorf("%s: %s over %d periods reads %s, alone %s", tt.why, specs[i].stat, specs[i].n, got, want[i])
			}
		}
	}
}

// TestReadValues: ReadValues reads what Read reads but the periods' Start
// times, which it leaves as they were.
func TestReadValues(t *testing.T) {
	agg := metric.NewAggregator(3 * time.Hour)
	end := at(10 * time.Minute)
	for _, stat := range []string{"Average", "p90"} {
		w := agg.Watch(latencyQuery(t, stat, time.Minute, 7))
		for i := range 10 {
			if i == 4 {
				continue
			}
			d := value(at(time.Duration(i)*time.Minute), float64(i))
			agg.Add(aggNS, &d, end)
		}
		want := read(w, end, 7)
		marked := time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
		got := make([]metric.Period, 7)
		for i := range got {
			got[i].Start = marked
		}
		w.ReadValues(end, got)
		for i := range got {
			if !got[i].Start.Equal(marked) {
				t.Fatalf("%s: ReadValues set period %d's Start to %v", stat, i, got[i].Start)
			}
			got[i].Start = want[i].Start
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: ReadValues (-Read +ReadValues):\n%s", stat, diff)
		}
	}
}
