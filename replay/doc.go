// Package replay runs metric history through alarms, deterministically, on
// a mock clock: "would this alarm have fired last month, and how often?".
// It reads CloudWatch's own JSON shapes and CSV, and writes the history in
// the shape of `aws cloudwatch describe-alarm-history`.
//
//	alarms, _ := replay.ReadAlarms("alarms.json", f)           // describe-alarms output, PutMetricAlarm input(s)
//	data, _ := replay.ReadMetrics("cpu.csv", g, &replay.MetricRef{...}) // put-metric-data JSON, or CSV
//	res, _ := replay.Run(ctx, alarms.Metric, data, replay.Options{})
//	replay.WriteJSON(os.Stdout, res)                          // {"AlarmHistoryItems":[...]}
//
// # Timing
//
// Alarms start in INSUFFICIENT_DATA. The engine evaluates every whole
// minute (every 10 seconds when an alarm is high-resolution, every hour
// for alarms longer than a day) from Options.From to Options.Until
// inclusive. From defaults to the first datapoint's timestamp rounded up to
// the next whole minute, and datapoints before it count as already
// received; Until defaults to the last datapoint plus the longest alarm's
// Period x EvaluationPeriods. A datapoint becomes visible at its own
// timestamp. An evaluation at t sees the periods that end at t.
//
// # Caveats
//
//   - The history holds StateUpdate and Action items; the ConfigurationUpdate
//     items of creating the alarms are left out (they are the replay's
//     setup, not its outcome).
//   - Every action "would have run": its Action item says it succeeded.
//   - Composite, metric-math and anomaly-band alarms are read but not
//     replayed by this version: the command line says so on stderr and
//     replays the others.
//   - Data is validated as PutMetricData does, against the replay's clock
//     set to each datapoint's own time, so history of any age replays.
package replay
