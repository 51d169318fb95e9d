// Package klaxon evaluates Amazon CloudWatch metric alarms in-process,
// exactly as CloudWatch does: the same states, the same M-out-of-N and
// missing-data rules, the same StateReason and StateReasonData text, byte
// for byte, and CloudWatch's own JSON shapes for alarms, metric data and
// history.
//
// An [Engine] holds alarms and metric data and evaluates the alarms on
// CloudWatch's schedule:
//
//	e, err := klaxon.New(klaxon.Options{Clock: clk}) // clk: clock.NewMock() in tests, nil for real time
//	err = e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "cpu-high", Namespace: "AWS/EC2",
//		MetricName: "CPUUtilization", Statistic: "Average", Period: 60, EvaluationPeriods: 3,
//		DatapointsToAlarm: 2, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold})
//	err = e.PutMetricData(ctx, "AWS/EC2", []metric.Datum{{MetricName: "CPUUtilization", Value: 95}})
//	e.EvaluateAt(ctx, clk.Now()) // or go e.Run(ctx) to follow the clock
//	alarms := e.DescribeAlarms(ctx, klaxon.AlarmFilter{})
//
// The decision itself is the pure function [alarm.Evaluator.Evaluate]
// (package alarm), usable without an Engine; package metric holds metric
// data, statistics and the per-period aggregation; package replay replays
// metric history through alarms, as `klaxon replay` does.
//
// # Evaluation timing
//
// [Engine.EvaluateAt] evaluates, at a time t (truncated to 10 seconds),
// every alarm that CloudWatch evaluates then: alarms with a Period of 10, 20
// or 30 seconds every 10 seconds, standard alarms at every whole minute,
// and alarms whose Period x EvaluationPeriods exceeds one day at every
// whole hour. An evaluation at t reads the periods that end at t: the k-th
// newest is [t - k*Period, t - (k-1)*Period), and reasons stamp each
// datapoint with its period's start. [Engine.Run] calls EvaluateAt at every
// 10-second boundary of the engine's clock, catching up when the clock
// jumps, so a mock clock moved by an hour still gets each evaluation in
// order. A new alarm is INSUFFICIENT_DATA ("Unchecked: Initial alarm
// creation") until its first evaluation.
//
// # Missing data
//
// Each evaluation reads an evaluation range of N + 2 periods and applies
// the alarm's TreatMissingData (missing, ignore, breaching, notBreaching)
// as package alarm documents. Alarms on AWS/DynamoDB ignore missing data
// when TreatMissingData is not set (Options.Evaluation.StrictDynamoDB makes
// them always ignore it).
//
// # Transitions and actions
//
// A change of state is a [Transition]. It is recorded as a StateUpdate
// history item, passed to every [Engine.Subscribe] callback and, when the
// alarm's actions are enabled, turned into one [Action] per ARN of the new
// state's action list, which Options.Actions runs; each outcome becomes an
// Action history item. Callbacks and actions run after the engine's lock is
// released, in the order the transitions happened.
//
// # Caveats
//
// Where CloudWatch's behaviour is undocumented, Klaxon chooses; where it
// deliberately differs, it says so:
//
//   - Evaluations happen at whole minutes (or 10-second boundaries) and see
//     every datapoint received by then: there is no ingestion delay. The
//     phase of CloudWatch's own tick is unpublished; one real 2021 reason
//     stamps the newest period at the query minute itself, which suggests
//     CloudWatch also reads the period still being filled. Klaxon reads
//     only complete periods (the design's sliding-window rule).
//   - queryDate in reason data is the evaluation time t, a whole minute
//     (CloudWatch shows the time of its query, with milliseconds).
//   - A new alarm is evaluated at the next tick, not at once.
//   - SetAlarmState to the alarm's current state replaces the reason (and
//     StateUpdatedTimestamp) without a history item or actions. The forced
//     state lasts until the next evaluation that decides otherwise.
//   - History is kept for 30 days (Options.HistoryRetention); the older User
//     Guide said two weeks. History survives DeleteAlarms.
//   - ConfigurationUpdate items for updates and deletes ("Alarm "x"
//     updated", type "Update", key "updatedAlarm"; "deleted", "Delete",
//     "deletedAlarm") are the project's choice: only the Create form was
//     seen. Fields the real item did not show (unit, datapointsToAlarm,
//     treatMissingData, evaluateLowSampleCountPercentile,
//     extendedStatistic) are placed beside their neighbours and left out
//     when unset.
//   - Action items' HistoryData holds actionState, stateUpdateTimestamp,
//     notificationResource and error; the publishedMessage of SNS actions
//     comes with the SNS payloads (a separate issue).
//   - Every metric keeps Options.MetricRetention of data (default 15
//     minutes), and as much as its alarms' evaluation ranges read. Older
//     data is accepted but not stored: it cannot change an evaluation, but
//     an alarm created later does not see it. CloudWatch keeps 15 days of
//     minute data. Raw samples (for percentiles and the other extended
//     statistics) are kept only for metrics that such an alarm watches, so
//     that ingest allocates nothing and memory does not grow with the data
//     rate: a percentile alarm created on a metric that already has data
//     sees the periods before its creation as missing (an update keeps the
//     samples). Create percentile alarms before their data, as a replay
//     does, or give them a TreatMissingData other than breaching.
//   - Data sent without a Unit is stored with the unit None, as CloudWatch
//     stores it: an alarm with Unit None reads it.
//   - StateReasonData is at most 4000 characters and HistoryData 4095, as
//     CloudWatch stores them: longer reason data keeps the newest
//     evaluatedDatapoints entries, then the newest recentDatapoints; a
//     StateUpdate item that is still too long leaves out the old state's
//     reason data, then shortens the new state's.
//   - One goroutine publishes transitions at a time. A subscriber or an
//     action may call the engine; the transitions it causes are published
//     right after the current ones, by the same goroutine.
//   - Standard-resolution data (StorageResolution 60) is stamped to its
//     minute, so a 10-second alarm sees it in one period of six, as
//     CloudWatch's documentation warns.
//   - An alarm without Unit reads the data of every unit together
//     (CloudWatch calls this undefined); an alarm with a Unit reads only
//     data of that unit.
//   - PutMetricData accepts namespaces that start with "AWS/": the engine
//     stands in for the AWS services that publish them.
//   - Metric-math and anomaly-band alarms are validated but not yet
//     evaluated: PutMetricAlarm rejects them with an error that says so.
//   - DeleteAlarms deletes nothing when one of the names does not exist.
//
// An Engine is safe for concurrent use. It has no package-level state:
// several engines in one process are independent.
package klaxon
