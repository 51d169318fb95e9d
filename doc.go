// Package klaxon evaluates Amazon CloudWatch alarms in-process, exactly as
// CloudWatch does: the same states, the same M-out-of-N and missing-data
// rules, the same StateReason and StateReasonData text, byte for byte, and
// CloudWatch's own JSON shapes for alarms, metric data and history.
//
// An [Engine] holds alarms and metric data and evaluates the alarms on
// CloudWatch's schedule:
//
//	ctx := context.Background()
//	clk := klaxontest.NewClock(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)) // tests; nil in Options: real time
//	e, err := klaxon.New(klaxon.Options{Clock: clk})
//	err = e.PutMetricAlarm(ctx, alarm.Config{AlarmName: "cpu-high", Namespace: "AWS/EC2",
//		MetricName: "CPUUtilization", Statistic: "Average", Period: 60, EvaluationPeriods: 3,
//		DatapointsToAlarm: 2, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold})
//	err = e.PutMetricData(ctx, "AWS/EC2", []metric.Datum{{MetricName: "CPUUtilization", Value: 95}})
//	err = e.Advance(ctx, time.Minute) // tests: move the clock, evaluate, publish; services: go e.Run(ctx)
//	out, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{}) // {MetricAlarms, CompositeAlarms}
//
// The decision itself is the pure function [alarm.Evaluator.Evaluate]
// (package alarm), usable without an Engine; package metric holds metric
// data, statistics and the per-period aggregation; package replay replays
// metric history through alarms, as `klaxon replay` does; package
// klaxontest tests alarms in a few lines of a Go test (these alarms, this
// data per period, expect these transitions).
//
// # Evaluation timing
//
// Alarms are evaluated on CloudWatch's schedule: alarms with a Period of
// 10, 20 or 30 seconds every 10 seconds, standard alarms at every whole
// minute, and alarms whose Period x EvaluationPeriods exceeds one day at
// every whole hour. An evaluation at t reads the periods that end at t:
// the k-th newest is [t - k*Period, t - (k-1)*Period), and reasons stamp
// each datapoint with its period's start. A new alarm is INSUFFICIENT_DATA
// ("Unchecked: Initial alarm creation") until its first evaluation.
//
// Three ways drive the schedule. [Engine.Run] follows the engine's clock
// on a goroutine the caller starts, evaluating every boundary after the
// engine's creation (or its newest evaluation), in order, catching up when
// the clock jumps, in batches that let other calls in. [Engine.Advance]
// moves a test clock and evaluates every boundary it passes before it
// returns: no goroutine, no sleep. [Engine.EvaluateAt] evaluates one
// chosen time. Evaluations only move forward: a time before the newest
// evaluation is refused, so that every alarm's history stays in order.
//
// # Composite alarms
//
// [Engine.PutCompositeAlarm] takes a rule over other alarms (package
// composite: ALARM(x), OK(x), INSUFFICIENT_DATA(x), TRUE, FALSE, AND, OR,
// NOT, AT_LEAST). A composite is evaluated at once when it is created or
// updated, then after every evaluation time (or SetAlarmState, or
// PutCompositeAlarm) in which one of its children changed state: once,
// with every child's new state, composites of composites after the
// composites they read. Its reasons are CloudWatch's ("<child ARN>
// transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC", with
// {"triggeringAlarms":[...]}). With an ActionsSuppressor, its actions are
// held as CloudWatch holds them (WaitPeriod, ExtensionPeriod, Alarm) and
// run for its current state when a period ends.
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
// A change of state is a [Transition], a value that shares nothing with
// the engine. It is recorded as a StateUpdate history item, passed to every
// [Engine.Subscribe] callback ([Engine.SubscribeBrief] for a consumer
// that keeps many and needs no reason data) and, when the alarm's actions
// are enabled, turned into one [Action] per ARN of the new state's action
// list, with an idempotency key. Actions wait in a bounded queue and
// Options.Actions runs them, in order: on Run's own delivery goroutine
// while Run runs (an evaluation never waits for an action), otherwise on
// the goroutine of the call that caused the transition, before it returns. A failed action is
// retried with backoff on the engine's clock (Options.ActionRetry) while
// the others go on, keeping its key; its final outcome becomes one Action
// history item. When the queue is full (Options.ActionQueue), actions
// spill into an [Outbox] and come back in order: no action is dropped and
// none blocks an evaluation. [Engine.DeliverPending] drains the queue
// before a service stops.
//
// # Anomaly detection alarms
//
// An alarm in CloudWatch's anomaly detection form (a MetricStat query m1,
// an expression ANOMALY_DETECTION_BAND(m1, k) named by ThresholdMetricId,
// and one of the three band operators) compares each period's value with
// the band of expected values of its metric and statistic. The band comes
// from an anomaly detection model (package anomaly): one detector per
// metric and statistic, made by [Engine.PutAnomalyDetector] or by the
// first alarm that bands with it, with a model per period that learns
// each period once, at the first evaluation at or after its end
// (Options.AnomalyLearningDelay later for metrics that arrive late). A
// model keeps fixed-size summaries, not raw history: about 32 KiB for
// 5-minute periods, a microsecond per period learned. Such an alarm reads
// its model's periods (aligned to multiples of its period since the Unix
// epoch, the newest the last one that ended), so every period it
// evaluates has its own band. While its model is PENDING_TRAINING (the
// first three hours) a period has no band and counts as missing.
// [Engine.DescribeAnomalyDetectors] shows each detector's training state.
// Replayed through the engine, the Numenta Anomaly Benchmark's real
// CloudWatch series score 62.9 (standard profile) with one configuration
// for every file (go test -run TestNABThroughTheEngine -v).
//
// # History
//
// Each alarm keeps its own history items in a ring: appending and dropping
// the oldest cost O(1) amortised, and no evaluation reads them. Items older
// than Options.HistoryRetention by the engine's clock are dropped when the
// alarm writes its next item and by a sweep that visits every alarm within
// an hour of evaluations; Options.HistoryPerAlarm caps an alarm that
// flaps. History memory is about retention x transitions per alarm x 160
// bytes (a StateUpdate item of an alarm with N = 1; each period its reason
// shows adds 16 bytes). History survives DeleteAlarms until it expires.
//
// # Alarm kinds
//
// The engine holds alarms of several kinds behind one internal interface
// (kind.go): a kind says how often it is evaluated (its cadence, or only
// when what it reads changes), what it reads (metric watches, child
// alarms), how it evaluates at a time t (returning the record of a new
// state, as plain data that renders its reason), and its configuration's
// describe form, history form and transition copy. Scheduling, the state
// machine, history, publication and actions are the engine's, shared by
// every kind. Metric alarms are the first kind; a test in kind_test.go
// plugs in another through the same interface.
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
//     SetAlarmState is stamped with the clock's time, or with the alarm's
//     last change when that is later (EvaluateAt ahead of the clock), and
//     an evaluation at a time before an alarm's last state change or
//     configuration update leaves that alarm out: its history stays in
//     order even when a late tick is evaluated after a SetAlarmState.
//   - History is kept for 30 days by default (Options.HistoryRetention),
//     counted from the engine's clock; the older User Guide said two weeks.
//     Expired items can outlive the retention by up to an hour of
//     evaluations (the sweep), but are never returned.
//   - ConfigurationUpdate items for updates and deletes ("Alarm "x"
//     updated", type "Update", key "updatedAlarm"; "deleted", "Delete",
//     "deletedAlarm") are the project's choice: only the Create form was
//     seen. Fields the real item did not show (unit, datapointsToAlarm,
//     treatMissingData, evaluateLowSampleCountPercentile,
//     extendedStatistic) are placed beside their neighbours and left out
//     when unset.
//   - Action items' HistoryData holds actionState, stateUpdateTimestamp,
//     notificationResource and error; an action item is stamped with the
//     engine clock's time when the action ended (Advance sets the clock to
//     the transition's time first), and never before its transition.
//   - Every metric keeps Options.MetricRetention of data (default 15
//     minutes), and as much as its alarms' evaluation ranges read. Older
//     data is accepted but not stored: it cannot change an evaluation, but
//     an alarm created later does not see it. CloudWatch keeps 15 days of
//     minute data. A metric that no alarm watches is forgotten (ListMetrics
//     no longer lists it) once its newest data is older than
//     MetricRetention. Raw samples (for percentiles and the other extended
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
//     right after the current ones, by the same goroutine. Subscribe(nil)
//     panics at once; Run(nil) returns an error.
//   - Standard-resolution data (StorageResolution 60) is stamped to its
//     minute, so a 10-second alarm sees it in one period of six, as
//     CloudWatch's documentation warns.
//   - An alarm without Unit reads the data of every unit together
//     (CloudWatch calls this undefined); an alarm with a Unit reads only
//     data of that unit.
//   - PutMetricData accepts namespaces that start with "AWS/": the engine
//     stands in for the AWS services that publish them.
//   - A StatisticValues whose average (Sum / SampleCount) lies beyond
//     2^360 is rejected, so that no statistic, reason or history item is
//     ever infinite (CloudWatch's rule for it is unpublished).
//   - Metric-math alarms are evaluated only in the anomaly detection form
//     (one MetricStat and its ANOMALY_DETECTION_BAND); PutMetricAlarm
//     rejects other expressions with an error that says so, and bands of
//     periods longer than a day.
//   - Anomaly detection: CloudWatch's model is unpublished; the engine's
//     is package anomaly's (see its Caveats). A new model trains on the
//     data that arrives after it is made: the engine keeps no raw history
//     to train it on, where CloudWatch trains on up to two weeks of the
//     metric's past (a replay of that past trains it). An anomaly alarm's
//     periods are aligned to the epoch and it sees a period once it has
//     ended (CloudWatch's alignment for band alarms is unpublished;
//     static alarms keep CloudWatch's sliding periods). A period without
//     a band (PENDING_TRAINING) is treated as missing data (CloudWatch's
//     behaviour then is unpublished). A model learns each period once:
//     data for it that arrives later counts in the alarm's value but not
//     in the model. A detector that PutAnomalyDetector made learns at 5
//     minutes, the period of CloudWatch's console graphs; alarms add their
//     periods. DeleteAnomalyDetector on a detector that alarms use starts
//     their models over, with the default configuration (CloudWatch
//     remakes the model at the alarm's next evaluation). A change of
//     MetricTimezone starts the models over; a change of
//     ExcludedTimeRanges applies from then on. PeriodicSpikes is kept and
//     shown; the model always treats spikes that recur at a time of day
//     as normal. At most 500 detectors (CloudWatch's quota).
//   - Actions: a failed action is retried (3 attempts by default) and
//     recorded once, when it finally succeeds or fails; CloudWatch's retry
//     policy is unpublished. Auto Scaling actions run again once a minute
//     while the alarm stays in the state, each with a key of its own
//     ("/repeat/<unix time>" added), as CloudWatch re-invokes them.
//     Systems Manager OpsItem and incident actions run only on a change
//     to ALARM. An Action item of a published SNS notification carries
//     the message as publishedMessage when the runner can say it (package
//     action's Router does).
//   - DeleteAlarms deletes nothing when one of the names does not exist.
//   - DescribeAlarms and DescribeAlarmHistory return metric alarms only
//     unless AlarmTypes says otherwise, as CloudWatch does; MaxRecords
//     limits the answer, and there is no pagination (NextToken).
//     ChildrenOfAlarmName and ParentsOfAlarmName return the whole describe
//     form of each alarm (CloudWatch returns a few fields).
//   - The engine works with times from 1900 to 2200 (MinTime, MaxTime):
//     other times given to it, and a clock outside that range, are refused
//     with an error.
//   - A composite rule that would make a cycle of composites is refused at
//     PutCompositeAlarm with an error naming the cycle; CloudWatch accepts
//     it and then stops evaluating the composites in it, which nobody
//     wants.
//   - A composite is re-evaluated once per evaluation time, after every
//     alarm of that time was evaluated, rather than after each child's
//     change in turn: two children that change at the same tick make one
//     decision, and the reason names the first of them. CloudWatch's
//     order in that case is unpublished (a real trace kept naming the
//     first child).
//   - A composite's state change on an update of its configuration says
//     "<ARN> was updated and its alarm rule evaluates to <STATE>", with
//     every child in the reason data (CloudWatch's wording is
//     unpublished); its creation's and its children's reasons are
//     CloudWatch's. The ConfigurationUpdate HistoryData of a composite
//     follows the metric alarm's real form, with alarmRule and the
//     suppressor fields in place of the metric's.
//   - A composite's creation is a transition like any other: with an
//     ActionsSuppressor, its actions (usually the OK actions) are held for
//     a WaitPeriod too. A composite's actions held by a WaitPeriod or an
//     ExtensionPeriod run once when it ends, for the composite's current
//     state, as an Action whose Transition goes from that state to itself;
//     no actions run when a period ends with nothing held.
//   - DeleteAlarms refuses an alarm that a composite's rule references
//     (unless that composite goes in the same call), more than one
//     composite in one call (CloudWatch's rule; its message is
//     unpublished), and an alarm that a composite uses as its
//     ActionsSuppressor (unpublished; refused so that no composite is left
//     with a suppressor that does not exist).
//   - Every action ARN is parsed at Put (package alarm's ParseActionARN)
//     and must name the engine's Region and partition ("Invalid region
//     eu-west-1 specified. Only us-east-1 is supported.", CloudWatch's
//     message). EC2 actions need an InstanceId dimension; composites take
//     no EC2 or Auto Scaling actions.
//
// Errors are *[Error] values with CloudWatch's code and message, the field
// and the value; they satisfy the AWS SDK's smithy.APIError and match
// ErrValidation or ErrNotFound with errors.Is.
//
// An Engine is safe for concurrent use. It has no package-level state:
// several engines in one process are independent.
package klaxon
