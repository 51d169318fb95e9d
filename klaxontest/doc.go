// Package klaxontest tests CloudWatch alarms in a few lines of a Go test:
// these alarms, this metric data per period, expect these states. It runs
// the alarms on Klaxon's engine, which evaluates them exactly as
// CloudWatch does, on a test clock, and prints a failure as a -want +got
// timeline of transitions (time, alarm, old -> new state, reason).
//
//	func TestCPUAlarm(t *testing.T) {
//		s := klaxontest.New(t)
//		s.PutMetricAlarm(alarm.Config{AlarmName: "cpu", Namespace: "App", MetricName: "CPU", Statistic: "Maximum",
//			Period: 60, EvaluationPeriods: 2, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold})
//		s.Series("cpu", "50x2 | 50 95 96 40 41") // two minutes of history, then one value a minute
//		s.Run()
//		s.ExpectTransitions(
//			"00:01 cpu INSUFFICIENT_DATA -> OK",
//			"00:03 cpu OK -> ALARM",
//			"00:04 cpu ALARM -> OK",
//		)
//	}
//
// A [Scenario] holds one test's engine, on a [Clock] that starts at
// 2024-05-01T00:00:00Z (see [StartAt]), so that the times of the
// timeline read as the time since the start. Alarms come as Go values
// ([Scenario.PutMetricAlarm], [Scenario.PutCompositeAlarm]) or from
// describe-alarms JSON ([Scenario.AlarmsFile]); data as series in the
// notation below ([Scenario.Series]) or from the files `klaxon replay`
// reads: CSV, put-metric-data JSON, get-metric-data and
// get-metric-statistics output ([Scenario.SeriesFile]). [Scenario.Run] sends the data and evaluates
// until the data ends; [Scenario.Advance] lets more time pass. Then:
//
//   - [Scenario.ExpectTransitions]: every transition, in order, as lines
//     "00:03 cpu OK -> ALARM", with or without the quoted reason;
//   - [Scenario.ExpectStates]: the states one alarm went through, "OK ALARM OK";
//   - [Scenario.ExpectStatesAt]: states at times, "00:02 cpu OK";
//   - [Scenario.NeverEntersAlarm]: alarms that must stay out of ALARM;
//   - [Scenario.ExpectActions]: the actions that would have fired, as
//     "00:03 cpu ALARM arn:aws:sns:us-east-1:123456789012:pager";
//   - [Scenario.Transitions], [Scenario.Actions], [Scenario.StateAt] and
//     [Scenario.Timeline] for checks of one's own, and [Scenario.Engine]
//     for the rest of the engine's API.
//
// # Series
//
// A series is one value per period of the alarm it names, oldest first:
//
//	"200x5 | 210 480 _ 510 _ _ 530 210x4  # the incident of 2 May"
//
// A value is a decimal number, or _ for a period with no data; xN after
// it repeats it N times (80x3 is three values); # comments to the end of
// the line, so that a long series can be a raw string with a comment per
// line. The values before the one | are the history: the periods before
// the clock's time, which the alarm finds when it is first evaluated
// (without them, those periods are missing data, as for a metric that
// has just begun). The first value after | is the period that starts at
// the clock's time: the start, or where Run or Advance stopped, so that a
// series given after Run continues it.
//
// Each value is sent as one sample of the alarm's metric (its namespace,
// name, dimensions and unit) in the last minute of its period (the last
// 10 seconds, as high-resolution data, for an alarm of Period 10, 20 or
// 30), at that time: the evaluation at the period's end is the first to
// see it, and its reason stamps it with the period's start. A period's
// Sum, Average, Minimum, Maximum and percentiles are then the value, and
// its SampleCount 1. The series of one alarm feeds every alarm on the same
// metric.
//
// A metric-math alarm's series feeds the metric of its MetricStat; an
// anomaly-band alarm's (ANOMALY_DETECTION_BAND(m1, 2)), m1. With several
// metrics, [Scenario.MetricSeries] names one by its query id. A composite
// alarm reads alarms: give series to its children.
//
// # Timing
//
// The engine evaluates on CloudWatch's schedule: every whole minute,
// every 10 seconds for high-resolution alarms, every hour for alarms
// whose Period x EvaluationPeriods exceeds a day. A new alarm is first
// evaluated at the next tick: at 00:01 for a minute alarm put at the
// start. An alarm with five-minute periods is evaluated every minute over
// windows that slide with the evaluation; since each value is stamped in
// its period's last minute, its state changes at the periods' ends.
//
// Times in lines are 15:04 (15:04:05 off the minute): the first such time
// at or after the start. A day or more after the start, the date is
// written too: 2006-01-02T15:04.
//
// # Coming from promtool test rules
//
// A promtool test is a YAML file of input_series, an interval, and
// alert_rule_test cases of eval_time and exp_alerts; a klaxontest test is
// a Go test, so one alarm meets many series in an ordinary table (see
// the examples). input_series become [Scenario.Series], whose spacing is
// the alarm's Period rather than one interval. The notation is
// promtool's, with _ for a missing sample, but repeats count differently:
// promtool's 1x3 and 1+0x3 are four values (the first, then three more),
// klaxontest's 1x3 is three, and there is no a+bxN ramp (write the
// values) or stale marker (write _). eval_time and exp_alerts become
// lines such as "00:05 cpu ALARM" for [Scenario.ExpectStatesAt]; since an
// alarm has one state rather than a set of firing alerts, the usual check
// is of its transitions, times and reasons included, or of the states it
// goes through. The "for:" of an alerting rule is CloudWatch's M out of N
// (DatapointsToAlarm of EvaluationPeriods), with CloudWatch's
// missing-data rules, which is what is worth testing.
//
// # Concurrency
//
// A Scenario starts no goroutine and never sleeps: [Scenario.Run] and
// [Scenario.Advance] drive the engine with Engine.Advance, which
// evaluates and runs every action before it returns, on a [Clock] whose
// Set takes no time (clock.Mock's sleeps a millisecond per call).
// Scenarios share nothing: tests that each make their own may call
// t.Parallel and run under -race. A Scenario's own methods are for the
// test's goroutine.
//
// # Caveats
//
//   - A series value is one sample stamped in its period's last minute.
//     Data from files keeps its own timestamps, which CloudWatch exports
//     stamp at the period's start: with periods longer than a minute, an
//     alarm then sees a period's value from the minute after its start
//     (as it would in CloudWatch, and as `klaxon replay` shows).
//   - Run stops at the first evaluation that sees the last datapoint, so
//     that no alarm judges the silence after the data; Advance to see it.
//   - Actions always succeed, unless EngineOptions gives an Actions runner
//     whose error decides; each attempt is recorded.
//   - An anomaly detection alarm's model learns each period when it is
//     evaluated, from the data that arrives (the engine keeps no raw
//     history to train on), and gives no band for its first three hours
//     (PENDING_TRAINING): its training data belongs after |, as ordinary
//     values, not before it as history. Other metric-math alarms are
//     refused by the engine's PutMetricAlarm, which fails the test with
//     the engine's error; Series and MetricSeries already choose their
//     metric.
//   - The history before | reaches back at most two weeks, the oldest
//     timestamp PutMetricData accepts; the engine keeps of it what its
//     alarms' evaluation ranges read (and Options.MetricRetention).
package klaxontest
