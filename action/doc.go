// Package action delivers alarm actions and builds what CloudWatch sends
// for them, byte for byte: a [Router] is the engine's ActionRunner that
// sends each action to the [Sink] of its kind (SNS, EC2, Auto Scaling,
// Lambda, SSM, investigations) by the form of its ARN, as a
// [Notification] that carries the engine's Action and the parsed ARN; a
// [Format] builds the payloads of a transition.
//
//	router := &action.Router{SNS: mySNSSink, EC2: myEC2Sink}
//	e, err := klaxon.New(klaxon.Options{Actions: router})
//
// The engine delivers each action at least once, retrying failures with
// backoff, and records every outcome as an Action history item; a sink
// drops duplicates by the Notification's idempotency key. The sinks that
// call AWS (SNS Publish, EC2 Stop/Terminate/Reboot, Auto Scaling
// ExecutePolicy) are in the separate module
// github.com/klaxon-go/klaxon/action/aws, so that importing Klaxon never
// imports the AWS SDK.
//
// # Payloads
//
// A sink builds what it sends from its Notification, whose methods build
// each payload in the Format of the Router that made it:
//
//   - SNSMessage: the JSON message of an SNS notification, the one SQS,
//     Lambda, HTTP and email-json subscribers receive, for metric alarms
//     (single metric, metric math, anomaly band) and composite alarms;
//   - Subject: the SNS subject, `ALARM: "cpu-high" in US East (N. Virginia)`,
//     also the text of the SMS;
//   - Email: the body of the email;
//   - PublishedMessage: the three as CloudWatch publishes them to a topic,
//     {"default":...,"sms":...,"email":...}, the publishedMessage of the
//     action's history item;
//   - LambdaPayload: the payload a Lambda action is invoked with;
//   - Event: the EventBridge event "CloudWatch Alarm State Change".
//
// The same methods of [Format] build them from a klaxon.Transition alone,
// for a replay or a subscriber that has no Router. EventBridge events come
// with every state change, not with actions: build them from the
// transitions of Engine.Subscribe. [Format.ConfigurationEvent] builds the
// "CloudWatch Alarm Configuration Change" event of a creation, update or
// deletion, which a caller describes itself (the engine reports state
// changes only). [Router.PublishedMessage] is how the engine asks for the
// published message of an SNS action, for its history item.
//
// A zero Format builds the forms CloudWatch documents today.
// Format.Layout picks another version of the SNS message: [Layout2021],
// the messages of 2019 to 2021, or [Layout2026], with the key of alarm
// mute rules. Every payload is compact JSON in CloudWatch's key order,
// with Jackson's escaping and Java's doubles (580.0, 1.0E7); building one
// allocates its string only.
//
// # Testing sinks
//
// Package [github.com/klaxon-go/klaxon/action/sinktest] is a conformance
// kit for Sink implementers, in the manner of testing/slogtest: it
// delivers notifications to a sink and checks, through a view of the
// sink's backend, that each is delivered once with exactly its payload,
// that a done context ends a delivery promptly with an error matching
// the context's, that concurrent deliveries are safe, that failures are
// errors and never panics, and that a sink that promises it drops
// duplicates by key. Its Recorder is an in-memory Sink for tests.
//
// # Caveats
//
// CloudWatch documents its payloads in part. Where it does not, these are
// the choices made, each tested:
//
//   - Layouts. The default is the documented schema, which messages follow
//     from 2022. A composite alarm's message of 2021 has no action lists,
//     unlike the documented one: Layout2021 reproduces it, and the other
//     messages of 2019 to 2021 (no AlarmConfigurationUpdatedTimestamp,
//     no DatapointsToAlarm, TreatMissingData as the email's line, its
//     label padded to 39 characters before the value). In Layout2021 a
//     composite alarm's empty description is "" as in the one capture
//     (a Config cannot tell an unset description from an empty one).
//   - ActionExecutedAfterMuteWindow (2026) has no documented place in the
//     key order. The default layout leaves it out; Layout2026 writes it
//     right after OldStateValue (where consumers' types put it for metric
//     alarms; for composite alarms by the same rule), always false, as
//     Klaxon has no mute rules.
//   - TreatMissingData and EvaluateLowSampleCountPercentile are "" when not
//     set, as real messages show. A metric-math or anomaly alarm's Trigger
//     has CloudWatch's order (Period, EvaluationPeriods, DatapointsToAlarm,
//     ComparisonOperator, Threshold or ThresholdMetricId,
//     TreatMissingData, EvaluateLowSampleCountPercentile, Metrics); its
//     Period is that of its MetricStats; its queries' keys are in
//     alphabetical order as in real messages, which places AccountId, a
//     query's Period and a MetricStat's Unit (never seen) by the same
//     rule; an unset ReturnData is written true, its meaning.
//   - Region names: CloudWatch writes the old names, "EU (Ireland)" rather
//     than "Europe (Ireland)", and "South America (Sao Paulo)" in ASCII.
//     The names of the Regions not seen in real messages (Zurich, Spain,
//     Osaka, Jakarta, Calgary, the UAE, Tel Aviv, Mexico and others) are
//     inferred by the same pattern; a Region code not in the table is
//     written as it is.
//   - Subjects: each character of the name that is not printable ASCII
//     becomes '_', as real subjects show for non-ASCII letters; control
//     characters and bytes that are not UTF-8 too (SNS refuses them). A
//     subject longer than SNS's 100 characters has its alarm name cut and
//     ended with "...", to 100 characters, as in a real subject; the
//     Region is never cut. The SMS text is the subject, as in the one
//     captured published message.
//   - Emails: a composite alarm's body is CloudWatch's, captured from a
//     composite set with SetAlarmState; the line of each triggering child
//     (at most 10), never captured, is this package's:
//     "- ARN transitioned to STATE at TIME". A metric alarm's body is
//     undocumented and reconstructed from delivered emails: the headline
//     "has entered the ALARM state, because "..." at "..."", the
//     Threshold section, the Monitored Metric section with labels padded
//     to 39 characters, and the TreatMissingData line left empty when not
//     set. A metric-math alarm's "Monitored Metrics" section (one block
//     per query) is this package's design. Several actions are written
//     "[a] [b]"; the body ends with a line feed. The console link keeps
//     letters, digits and "-_.~" of the name and percent-encodes the
//     rest; its host follows the partition (aws-cn, aws-us-gov).
//   - TriggeringChildren are read from the composite's reason data, and
//     are [] when the reason data is not CloudWatch's
//     {"triggeringAlarms":[...]} (after SetAlarmState); their timestamps
//     are copied as written.
//   - Event ids are random in CloudWatch. Here the id is a name-based UUID
//     (version 5) of the alarm's ARN and the state change's time (the
//     transition's part of the idempotency key), and the synthetic id of a
//     single metric a UUID of the alarm's ARN, so that a replay gives the
//     same events.
//   - Event details follow the User Guide's examples: a metric alarm's
//     states with keys in alphabetical order, a composite alarm's with
//     the suppression first (in previousState too, which no example
//     shows suppressed); reasonData left out when there is none; a
//     description left out when not set, and a composite alarm's placed
//     after alarmRule as in the configuration events; a MetricStat's unit
//     after its stat; dimensions in the alarm's order.
//   - Lambda payloads follow the User Guide's composite example: each
//     state's suppression after its timestamp. A metric alarm's metric is
//     written namespace, name, dimensions, as in the User Guide's metric
//     example.
//   - Configuration events: a metric alarm's configuration follows the
//     documented key list, with an integral threshold written as an
//     integer (80), and datapointsToAlarm and thresholdMetricId placed
//     beside evaluationPeriods and threshold; a deletion's state carries
//     no reason.
//   - A release of actions held by a composite's WaitPeriod or
//     ExtensionPeriod is a Transition from the current state to itself:
//     its SNS message has equal OldStateValue and NewStateValue, and the
//     release's time as StateChangeTime (CloudWatch's message for held
//     actions is unpublished; its Lambda example is reproduced).
//   - The account of an alarm's ARN is taken as it is, so that captured
//     messages with anonymised accounts can be rebuilt.
package action
