// Package alarm is CloudWatch's metric alarm as a pure function: a
// [Config] in PutMetricAlarm's shape, its validation, and an [Evaluator]
// that decides OK, ALARM or INSUFFICIENT_DATA from an evaluation range of
// datapoints and renders CloudWatch's StateReason and StateReasonData byte
// for byte. It reads no clock and does no I/O.
//
//	ev, err := alarm.NewEvaluator(cfg, alarm.Options{})
//	window := make([]alarm.Datapoint, ev.Range()) // oldest first, ending at now
//	if next, decided := ev.Decide(prev, window); decided && next != prev {
//		res := ev.Evaluate(prev, window, now) // the same decision, with its reason
//		fmt.Println(res.Reason(), res.ReasonData())
//	}
//
// [Evaluator.Decide] is the hot path: it allocates nothing and keeps
// nothing. [Evaluator.Evaluate] returns a [Result], plain data that holds
// the evaluated values, sample counts and period starts its reason shows
// and the configuration parts the reason names: it renders the same text
// after the window is reused or the alarm is updated, compares with
// [Result.Equal] and encodes to JSON for persistence. It costs one
// allocation.
//
// # M out of N
//
// With N = EvaluationPeriods real datapoints, the alarm is ALARM when at
// least M = DatapointsToAlarm (N when unset) of them breach, else OK. The
// breaching value is the first operand of ComparisonOperator, the
// threshold the second. Band operators compare with each datapoint's Lower
// and Upper edges.
//
// # Missing data
//
// Each evaluation reads an evaluation range of N + 2 periods ([Evaluator.Range]).
// Let R be its real datapoints:
//
//   - R empty: missing gives INSUFFICIENT_DATA, ignore keeps the state,
//     breaching and notBreaching fill N periods with their value.
//   - |R| >= N: the N most recent real datapoints decide; the policy is not
//     used.
//   - 0 < |R| < N: every real datapoint is evaluated, and the N - |R| most
//     recent missing periods are filled (breaching, notBreaching). Under
//     missing and ignore, M breaching datapoints give ALARM; the premature
//     alarm rule gives ALARM (ignore: keeps the state) when every real
//     datapoint breaches and the oldest is at least M periods old; a good
//     datapoint gives OK; otherwise missing gives INSUFFICIENT_DATA and
//     ignore keeps the state.
//
// This single model (an inference: AWS never states it) reproduces
// every row of the User Guide's two missing-data tables and its prose on
// premature alarms; the tests carry them.
//
// # Reasons
//
// Reason and ReasonData follow real AWS output: Java's number format (2.0,
// 1.0E7), times as dd/MM/yy HH:mm:ss in reasons, newest first; reason data
// keys in CloudWatch's order with recentDatapoints oldest first; the legacy
// wording ("1 datapoint [...] was greater than the threshold (2.0).") for
// alarms without DatapointsToAlarm, the M-of-N wording ("1 out of the last
// 1 datapoints [...] ... (minimum 1 datapoint for OK -> ALARM
// transition).") for alarms with it, and "Thresholds Crossed: ... the upper
// thresholds [...]" for band alarms.
//
// # Caveats
//
// Where CloudWatch's behaviour is undocumented, the package chooses:
//
//   - The evaluation range is N + 2 periods; AWS documents only N = 3 -> 5.
//   - The premature alarm rule needs every real datapoint of the range to
//     breach (read literally, the docs would make Table B row 3 ALARM,
//     against the published OK), and it counts a breaching datapoint older
//     than N periods but inside the range (X - - - - with M = N = 3 is
//     ALARM under missing).
//   - "Insufficient Data: K datapoints were unknown." counts K = N - |R|:
//     N when everything is missing (a real alarm with N = 1 printed "1
//     datapoint was unknown"), and its reason data lists the N newest
//     periods.
//   - evaluatedDatapoints lists every period from the oldest one evaluated
//     (real or filled) to the newest, newest first; CloudWatch sometimes
//     lists fewer.
//   - From 5 listed datapoints on, the list moves to a second sentence with
//     the five newest ("The most recent datapoints which crossed the
//     threshold: [...]"); AWS was seen inline with 1 to 3 and long with 5
//     and 30. The same sentence is used for OK and for the legacy wording.
//   - When the fills alone decide the state, the reason lists no
//     datapoint: "no datapoints were received for F periods and F missing
//     datapoints were treated as [Breaching]" when nothing real was
//     evaluated (AWS's own wording), and "0 out of the last N datapoints
//     were greater than the threshold (T) and F missing datapoints were
//     treated as [Breaching] ..." when real datapoints were evaluated but
//     none of them is on the side of the new state.
//   - The M-of-N minimum clause names "OK -> ALARM" for ALARM and "ALARM ->
//     OK" for OK whatever the previous state, as observed.
//   - With EvaluateLowSampleCountPercentile "ignore", the state is kept when
//     any evaluated datapoint has fewer samples than 10/(1-p) (p >= 0.5) or
//     10/p (p < 0.5); counts are per period; p0 and p100 are never
//     low-sample.
//   - Alarms on AWS/DynamoDB ignore missing data when TreatMissingData is
//     not set (current User Guide); [Options].StrictDynamoDB makes them
//     ignore it always (API reference).
//   - For an extended statistic, reason data carries "statistic" with the
//     statistic's text ("p99"); AWS was not seen doing it.
//   - Band alarms list, per listed datapoint, its band edge, and give each
//     evaluatedDatapoints entry the edge it is compared with (the lower one
//     when the value is below it).
//   - Numbers use the shortest decimal that reads back as the same double,
//     as Java prints them since JDK 19 (older JDKs sometimes printed more
//     digits).
//   - Validation messages follow AWS's wording where it is known
//     ("DatapointsToAlarm must be less than or equal to EvaluationPeriods",
//     the enum and length formats); for Period and the Period x
//     EvaluationPeriods limit, whose wording is unpublished, they are the
//     project's. ExtendedStatistic range forms TC/TM/TS/WM(X%:X%) need X in
//     10..90, as the API reference lists; absolute bounds are accepted.
//   - The 2014-era wording of the AWS CLI's example ("2 datapoints were not
//     greater than the threshold (70.0). The most recent datapoints:
//     [38.958, 40.292].") is not reproduced: CloudWatch replaced it with the
//     wording of the 2023 examples, which the tests reproduce.
//   - A Config cannot tell an unset Threshold from 0; readers of JSON
//     (package replay) report a missing Threshold.
package alarm
