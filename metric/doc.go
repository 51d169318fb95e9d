// Package metric holds CloudWatch metric data: identities (namespace,
// name, dimensions), datums as PutMetricData takes them ([Datum]: a Value,
// Values with Counts, or a [StatisticSet]), their validation
// ([ValidateData], CloudWatch's rules and error wording), statistics
// ([ParseStatistic], [ParseExtendedStatistic]: SampleCount, Average, Sum,
// Minimum, Maximum, pNN, TM, WM, TC, TS, PR, IQM) and the in-memory
// per-period aggregation ([Aggregator]) that alarms read windows from.
//
//	agg := metric.NewAggregator(time.Hour)
//	w := agg.Watch(metric.Query{Namespace: "App", MetricName: "Latency", Stat: p99, Period: time.Minute, Periods: 5})
//	agg.Add("App", &metric.Datum{MetricName: "Latency", Values: []float64{12, 80}, Timestamp: t}, now)
//	w.Read(now, window) // window: []metric.Period, oldest first
//
// # Ingest
//
// A PutMetricData call goes through [Aggregator.Prepare], which validates
// it exactly as [ValidateData] does and hashes every datum's identity into
// a [Batch], and [Aggregator.Apply], which aggregates it. Prepare reads
// nothing that the Aggregator changes, so a server prepares concurrent
// calls in parallel and serialises only Apply:
//
//	var b metric.Batch // reused from call to call: no allocation
//	if err := agg.Prepare(&b, "App", data, now); err != nil {
//		return err // CloudWatch's error; nothing was aggregated
//	}
//	mu.Lock()
//	agg.Apply(&b)
//	mu.Unlock()
//
// Each metric is one 128-byte entry whose first cache line holds what a
// datum of the newest period needs (the identity check, the unit, the
// horizon and that period's statistic set), found through an 8-byte index
// position; older periods are in a slot array behind it. Apply loads the
// index positions and entries of many datums in passes, so that their
// memory latencies overlap.
//
// # Statistics
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
