// Package metric is CloudWatch's metric data: the datums PutMetricData
// takes and CloudWatch's checks of them, the statistics alarms compute,
// and the per-period aggregation that alarms read.
//
// # Sending data
//
// Most programs only build [Datum] values and give them to
// Engine.PutMetricData, one call of up to [MaxDatumsPerCall] datums at a
// time. [ValidateData] answers as that call would, with CloudWatch's
// error codes and messages, without sending anything:
//
//	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
//	data := []metric.Datum{
//		{MetricName: "Latency", Unit: "Milliseconds", Values: []float64{12, 80, 95}, Counts: []float64{10, 2, 1}},
//		{MetricName: "Requests", Dimensions: []metric.Dimension{{Name: "Service", Value: "checkout"}}, Value: 1},
//	}
//	fmt.Println(metric.ValidateData("App", data, now))
//
// A Datum holds one of three forms: Value (one sample), Values with
// optional Counts (samples and their weights, at most [MaxValuesPerCall]
// in a call), or StatisticValues (a [StatisticSet]: SampleCount, Sum,
// Minimum and Maximum of many samples). A zero Timestamp means the time
// of the call; timestamps reach back [MaxPast] and forward [MaxFuture].
// StorageResolution 1 makes high-resolution data, kept in 10-second
// slots; the default keeps minutes.
//
// What it costs: a datapoint allocates nothing once its metric has been
// seen, and takes about 35 ns when the metric's data is in the CPU's
// cache, 77 to 100 ns with a million metrics resident (validation,
// hashing and aggregation, through the engine: BenchmarkEnginePutMetricData
// of the root package; BENCHMARKS.md has the figures and the command).
// A metric costs about 150 bytes, plus 40 bytes for each slot kept: as
// long as an alarm's evaluation range reads it, and at least the
// retention (the engine's MetricRetention, 15 minutes by default). Raw
// samples, which percentiles and the other extended statistics need, are
// kept only for the metrics that such an alarm watches, at 16 bytes a
// sample: the memory of every other metric does not grow with its data
// rate.
//
// # Statistics
//
// [ParseStatistic] reads the five statistics (SampleCount, Average, Sum,
// Minimum, Maximum), [ParseExtendedStatistic] the extended ones (p99,
// tm90, TM(10%:90%), WM, TC, TS, PR, IQM), both with CloudWatch's errors.
// A [Statistic] computes itself from a statistic set (FromSet) or from
// raw samples sorted by value (FromSamples), allocating nothing:
//
//	p99, err := metric.ParseExtendedStatistic("p99")
//	if err != nil {
//		panic(err)
//	}
//	samples := []metric.Sample{{Value: 12, Count: 97}, {Value: 80, Count: 2}, {Value: 950, Count: 1}} // sorted by Value
//	v, ok := p99.FromSamples(samples)
//	fmt.Println(v, ok)
//
// # The aggregation
//
// An [Aggregator] is the engine's store of metric data, usable alone by a
// program that answers PutMetricData itself. An alarm registers what it
// reads ([Aggregator.Watch]), calls are validated and hashed
// ([Aggregator.Prepare], outside any lock, concurrently) and aggregated
// ([Aggregator.Apply], serialised), and the alarm reads its window
// ([Watch.Read]):
//
//	now := time.Date(2024, 5, 1, 12, 5, 0, 0, time.UTC)
//	agg := metric.NewAggregator(15 * time.Minute)
//	p99, err := metric.ParseExtendedStatistic("p99")
//	if err != nil {
//		panic(err)
//	}
//	w := agg.Watch(metric.Query{Namespace: "App", MetricName: "Latency", Stat: p99, Period: time.Minute, Periods: 5})
//	var b metric.Batch // reused from call to call: no allocation
//	for i, v := range []float64{120, 95, 310, 88, 140} {
//		at := now.Add(time.Duration(i-5) * time.Minute)
//		data := []metric.Datum{{MetricName: "Latency", Values: []float64{v, v / 2}, Timestamp: at}}
//		if err := agg.Prepare(&b, "App", data, now); err != nil {
//			panic(err) // CloudWatch's error; b holds nothing to apply
//		}
//		agg.Apply(&b) // under the caller's lock when calls are concurrent
//	}
//	window := make([]metric.Period, 5)
//	w.Read(now, window) // the five minutes before now, oldest first
//	for _, p := range window {
//		fmt.Println(p.Start.Format("15:04"), p.Value, p.SampleCount)
//	}
//
// Prepare reads nothing that the Aggregator changes, so a server prepares
// concurrent calls in parallel and serialises only Apply; every other
// method is serialised by the caller too.
//
// # Inside the aggregation
//
// Each metric is one 128-byte entry whose first cache line holds what a
// datum of the newest period needs (the identity check, the unit, the
// horizon and that period's statistic set), found through an 8-byte index
// position; older periods are in a slot array behind it. Apply loads the
// index positions and entries of many datums in passes, so that their
// memory latencies overlap. With a million metrics, ingest is bound by
// that memory latency rather than by its work.
//
// # How statistics are computed
//
// Percentiles are nearest-rank over the weighted samples: pX is the
// smallest sample whose cumulative weight reaches ceil(X/100 x W), an
// observed value, never interpolated (CloudWatch's docs say p99 is "the
// maximum value of the remaining 99%"). TM, WM, TC and TS with percentage
// bounds are rank-based on the same ranks (tm90 of 1..10 averages 1..9);
// with absolute bounds a value v is inside when lower < v <= upper (the
// documented rule). PR(a:b) is the percentage of weight in (a, b].
//
// Extended statistics need the raw samples. The aggregation keeps them only
// for metrics that an alarm with an extended statistic watches; a statistic
// set stands for samples only when it is one value (SampleCount 1 and
// Minimum = Maximum = Sum, or Minimum = Maximum and Sum = Minimum x
// SampleCount). A period with any other statistic set, with data received
// before an alarm needed samples, or with a negative value has no extended
// statistic (the datapoint is missing), as CloudWatch documents.
//
// # Caveats
//
//   - The percentile method (nearest rank) and the rank rule of TM, WM, TC
//     and TS are the project's choice: CloudWatch does not publish its own.
//   - TM and WM of an empty range are undefined (missing); TC and TS of an
//     empty range are 0; PR of no sample in range is 0.
//   - WM with absolute bounds clamps values <= lower to lower and values >
//     upper to upper.
//   - The forms without parentheses that one documentation table shows
//     (TM2:98, PR:300, TS80:) are rejected with a hint: they are
//     unverified, and read inconsistently as percentages or values.
//   - Equal bounds (TM(10%:10%)) are rejected.
//   - A Datum's Value 0 cannot be told from "no Value", so a Go caller's
//     Value 0 next to StatisticValues is accepted; the JSON readers of
//     package replay report CloudWatch's "At least one of the parameters
//     ... must be specified." and detect both.
//   - At most 150 Values per PutMetricData call, as the API reference says
//     (not per datum).
//   - The aggregation identifies a metric by two 64-bit hashes of its
//     namespace, name and sorted dimensions (two lanes of wyhash, the Go
//     runtime's fallback map hash, with keys drawn at random for each
//     Aggregator), not by comparing the strings: ingest then reads no
//     string of the identity. A lookup compares 96 of the 128 bits (the
//     index keeps 32 bits of the first hash, the entry the second): two
//     metrics would be merged only if those collided, about a 10^-17
//     chance among a million metrics.
//   - Slots are 10 seconds wide for high-resolution data and one minute for
//     standard-resolution data, whose timestamps are truncated to the
//     minute; 1-second resolution is not kept (no alarm period is shorter
//     than 10 seconds).
package metric
