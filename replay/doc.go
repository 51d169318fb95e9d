// Package replay runs metric history through alarms, deterministically, on
// a mock clock: "would this alarm have fired last month, and how often?".
// It reads CloudWatch's own JSON shapes and CSV, streams the data, and
// writes the history in the shape of `aws cloudwatch describe-alarm-history`.
//
//	alarms, _ := replay.ReadAlarms("alarms.json", f) // describe-alarms output, PutMetricAlarm input(s)
//	_ = alarms.Validate()                            // every problem, each with its place
//	data, _ := replay.OpenMetrics("cpu.csv", g, replay.ReadOptions{Step: replay.Step(alarms)})
//	res, _ := replay.Run(ctx, alarms, []*replay.Metrics{data}, replay.Options{})
//	replay.WriteJSON(os.Stdout, res) // {"AlarmHistoryItems":[...]}
//
// # Timing
//
// Alarms start in INSUFFICIENT_DATA. The replay evaluates every step from
// Options.From to Options.Until inclusive; the step is 10 seconds when an
// alarm is high-resolution (Period 10, 20 or 30), else a minute, and the
// engine evaluates each alarm at the steps of its own schedule (every
// minute, or every hour for alarms longer than a day). An evaluation at t
// reads the periods that end at t.
//
// A datapoint is stored in its slot: its minute, or its 10 seconds for
// StorageResolution 1. An evaluation at t sees the slot once t is at or
// after the slot's end, so the first evaluation that sees a datapoint is
// the end of its slot rounded up to the step: 12:00:30 (standard) is seen
// at 12:01:00; 12:00:05 at StorageResolution 1 is seen at 12:00:10 with a
// 10-second step, at 12:01:00 with a minute step. From defaults to the
// first evaluation that sees the first datapoint, so that no alarm judges
// the time before the data begins; Until to the first evaluation that
// sees the last datapoint, so that no alarm judges the silence after the
// file ends. Given explicitly, From is rounded up to the step (datapoints
// seen before it count as already received) and Until is the last
// evaluation. Each datapoint is put into the engine before the first
// evaluation that sees it, with the engine's clock at its timestamp (or
// the newest of its call).
//
// # Streaming and order
//
// OpenMetrics reads a file once to check it (every problem is reported, with
// its place; the range, the metrics and their spacing are noted), and Run
// reads it again, a datapoint at a time: memory grows with the alarms'
// windows and the replay's transitions, not with the input. Files are merged
// by the evaluation that first sees each datapoint, and within one by their
// own order. A file streams when its datapoints are in time order to the
// step: each one seen by the same evaluation as the one before, or a later
// one (rows of several metrics stamped with the same minute may come in
// any order). A file that is not (an array of put-metric-data objects, one
// per metric, each covering the whole range, is the usual case) is read
// whole and sorted in memory, which Metrics.Sorted and Metrics.OutOfOrder
// say; split it into one file per metric to stream it. The output of
// get-metric-data and get-metric-statistics is read whole: its timestamps
// come newest first or in no order.
//
// The history is rendered and written a day of replay at a time
// (Result.EachHistory, WriteJSON), or, with Options.History, while the
// replay runs: each day once the replay has passed it, on a goroutine of
// its own (a JSONWriter then writes what WriteJSON writes, and the
// command line writes its JSON that way). Result.Transitions and
// Result.Actions keep each state change without its reason data.
//
// # Caveats
//
//   - The history holds StateUpdate and Action items; the ConfigurationUpdate
//     items of creating the alarms are left out (they are the replay's
//     setup, not its outcome).
//   - A replay runs no action: its ActionRunner returns ErrNoAction, which
//     matches klaxon.ErrNotRun, so each Action item keeps CloudWatch's shape
//     but says `Did not execute action ARN. Reason: "a replay runs no
//     action"` with actionState "NotRun" (a project form: CloudWatch has no
//     such item).
//   - Composite alarms are replayed with the alarms they read, which must
//     be in the file; each is created (and evaluated, as CloudWatch does
//     at creation) before the first evaluation, after the composites its
//     rule reads. Anomaly detection alarms are replayed: their models
//     learn from the replayed data as it comes (a replay of two weeks of
//     history trains them), and plots show their band. Metric-math
//     alarms other than the anomaly detection form are read but not
//     replayed: Result.Skipped lists them with the engine's reason.
//   - The engine takes the alarms' Region and account from their ARNs
//     (describe-alarms' AlarmArn, or else an action ARN) unless
//     Options.Engine sets them, so that action ARNs of the alarms' Region
//     are accepted.
//   - Options.SNS receives each SNS message that would have been
//     published, as CloudWatch builds it (the alarm's JSON message);
//     `klaxon replay --sns-out DIR` writes them to files.
//   - Data is validated as PutMetricData does, against the datapoint's own
//     time, so history of any age replays.
//   - get-metric-data output holds one value per period (its query's
//     statistic): each is read as one sample at its timestamp, so an alarm
//     reads it right when its Period and statistic are the query's.
//     get-metric-statistics datapoints with SampleCount, Sum, Minimum and
//     Maximum are read as statistic sets; others as samples of the
//     statistic they have. ExtendedStatistics and the entities of
//     EntityMetricData are ignored (Metrics.Notes says so).
//   - Lint (see Lint) is advice: its rules are the project's reading of
//     the User Guide, not CloudWatch's behaviour.
package replay
