package action

import (
	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/metric"
)

// The transitions of the captured payloads in testdata/captures, built by
// hand from what each capture shows.

func ptr[T any](v T) *T { return &v }

func dims(kv ...string) []metric.Dimension {
	var d []metric.Dimension
	for i := 0; i+1 < len(kv); i += 2 {
		d = append(d, metric.Dimension{Name: kv[i], Value: kv[i+1]})
	}
	return d
}

// metric2025 is the metric alarm of the 2025 SNS message (OK -> ALARM).
func metric2025() klaxon.Transition {
	const name = "[TITLE-TEST-ALARM] Title of Broken Alarm"
	return klaxon.Transition{
		AlarmName: name, AlarmArn: "arn:aws:cloudwatch:us-east-1:308535385114:alarm:" + name, AlarmType: klaxon.MetricAlarmType,
		From: alarm.StateOK, To: alarm.StateAlarm,
		At:            ms("2025-09-16T16:59:17.131+0000"),
		Reason:        "Threshold Crossed: 1 out of the last 1 datapoints [596.3636363636364 (16/09/25 16:58:00)] was greater than the threshold (580.0) (minimum 1 datapoint for OK -> ALARM transition).",
		ConfigUpdated: ms("2025-09-16T16:54:41.676+0000"), ActionsEnabled: true,
		MetricAlarm: &alarm.Config{
			AlarmName: name, AlarmDescription: `Body of alarm.\nStats:\nTEAM=foobar\nPriority=P1`,
			AlarmActions: []string{"arn:aws:sns:us-east-1:308535385114:alerting-dev-alerts"},
			MetricName:   "run.ghrunners.perOrg.perRunnerType.busy", Namespace: "gh-ci-scaleUp-dim", Statistic: "Average",
			Dimensions: dims("Org", "pytorch", "RunnerType", "linux.2xlarge"),
			Period:     60, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 580,
			ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataNotBreaching,
		},
	}
}

// metric2024 is the metric alarm with a long name of the 2024 SNS message.
func metric2024() klaxon.Transition {
	const name = "SharedInfra-Alpha-Database-DatabaseInstanceObservabilityHighDatabaseConnectionsAlarm5CD1334F-FetIEoRn5hgP"
	return klaxon.Transition{
		AlarmName: name, AlarmArn: "arn:aws:cloudwatch:eu-south-1:975050211138:alarm:" + name, AlarmType: klaxon.MetricAlarmType,
		From: alarm.StateOK, To: alarm.StateAlarm,
		At:            ms("2024-07-05T15:20:44.959+0000"),
		Reason:        "Threshold Crossed: 1 datapoint [8.0 (05/07/24 15:19:00)] was greater than or equal to the threshold (5.0).",
		ConfigUpdated: ms("2024-07-05T15:19:31.960+0000"), ActionsEnabled: true,
		MetricAlarm: &alarm.Config{
			AlarmName: name, AlarmActions: []string{"arn:aws:sns:eu-south-1:975050211138:condense-alarms-topic"},
			MetricName: "DatabaseConnections", Namespace: "AWS/RDS", Statistic: "Average",
			Dimensions: dims("DBInstanceIdentifier", "sharedinfra-alpha-databas-databaseinstance24d16791-o3f70cahozc6"),
			Period:     60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: alarm.GreaterThanOrEqualToThreshold,
		},
	}
}

// anomaly2021 is the anomaly-band alarm of the 2021 SNS message (ALARM ->
// OK), in Layout2021.
func anomaly2021() klaxon.Transition {
	const name = "ContainerInsight-pod_cpu_utilization"
	return klaxon.Transition{
		AlarmName: name, AlarmArn: "arn:aws:cloudwatch:ap-northeast-2:257706363616:alarm:" + name, AlarmType: klaxon.MetricAlarmType,
		From: alarm.StateAlarm, To: alarm.StateOK,
		At:     ms("2021-06-27T13:53:39.351+0000"),
		Reason: "Thresholds Crossed: 1 out of the last 1 datapoints [0.46522264287069004 (27/06/21 13:52:00)] was not less than the lower thresholds [0.4129373661576242] or not greater than the upper thresholds [0.4700330400585261] (minimum 1 datapoint for ALARM -> OK transition).",
		MetricAlarm: &alarm.Config{
			AlarmName: name, EvaluationPeriods: 1, DatapointsToAlarm: 1,
			ComparisonOperator: alarm.LessThanLowerOrGreaterThanUpperThreshold, ThresholdMetricId: "ad1",
			TreatMissingData: alarm.MissingDataMissing,
			Metrics: []alarm.MetricDataQuery{
				{Id: "m1", ReturnData: ptr(true), MetricStat: &alarm.MetricStat{Period: 60, Stat: "Average",
					Metric: alarm.MetricRef{Namespace: "ContainerInsights", MetricName: "pod_cpu_utilization", Dimensions: dims("ClusterName", "cloudone-dev-v1-eks-cluster")}}},
				{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 0.592)", Label: "pod_cpu_utilization (expected)", ReturnData: ptr(true)},
			},
		},
	}
}

// anomaly2023 is the anomaly-band alarm of the 2023 SNS message (ALARM ->
// OK).
func anomaly2023() klaxon.Transition {
	const name = "RDS Prod - CPU Util"
	topic := "arn:aws:sns:us-west-1:12341234:ops-us-west-1"
	return klaxon.Transition{
		AlarmName: name, AlarmArn: "arn:aws:cloudwatch:us-west-1:12341234:alarm:" + name, AlarmType: klaxon.MetricAlarmType,
		From: alarm.StateAlarm, To: alarm.StateOK,
		At:            ms("2023-09-08T15:47:04.677+0000"),
		Reason:        "Thresholds Crossed: 1 out of the last 3 datapoints [40.609605060341245 (08/09/23 15:36:00)] was not greater than the upper thresholds [44.47595391472755] (minimum 1 datapoint for ALARM -> OK transition).",
		ConfigUpdated: ms("2023-08-31T13:00:37.714+0000"), ActionsEnabled: true,
		MetricAlarm: &alarm.Config{
			AlarmName: name, AlarmDescription: "## RDS Prod - CPU Util %",
			OKActions: []string{topic}, AlarmActions: []string{topic},
			EvaluationPeriods: 3, DatapointsToAlarm: 3,
			ComparisonOperator: alarm.GreaterThanUpperThreshold, ThresholdMetricId: "ad1",
			TreatMissingData: alarm.MissingDataMissing,
			Metrics: []alarm.MetricDataQuery{
				{Id: "m1", ReturnData: ptr(true), MetricStat: &alarm.MetricStat{Period: 300, Stat: "Average",
					Metric: alarm.MetricRef{Namespace: "AWS/RDS", MetricName: "CPUUtilization", Dimensions: dims("DBInstanceIdentifier", "trailsoffroad-prod-v3")}}},
				{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 12)", Label: "CPUUtilization (expected)", ReturnData: ptr(true)},
			},
		},
	}
}

// composite2021 is the composite alarm of the 2021 SNS message (OK ->
// ALARM, a child entered ALARM), in Layout2021.
func composite2021() klaxon.Transition {
	const (
		prefix = "arn:aws:cloudwatch:us-east-1:427809481713:alarm:"
		name   = "if-sim-app_427809481713_us-east-1-test_node_monitor"
		child  = prefix + "if-sim-app_427809481713_us-east-1-metric_emitting_node_failure"
		other  = prefix + "if-sim-app_427809481713_us-east-1-metric_emitting_long_execution"
	)
	at := ms("2021-11-10T02:45:55.640+0000")
	return klaxon.Transition{
		AlarmName: name, AlarmArn: prefix + name, AlarmType: klaxon.CompositeAlarmType,
		From: alarm.StateOK, To: alarm.StateAlarm, At: at,
		Reason:     composite.ChildReason(child, alarm.StateAlarm, at),
		ReasonData: composite.ReasonData(composite.TriggeringAlarm{ARN: child, State: alarm.StateAlarm, Timestamp: at}),
		CompositeAlarm: &composite.Config{
			AlarmName: name, AlarmRule: "ALARM(" + child + ") OR ALARM(" + other + ")",
		},
	}
}

// composite2022 is the composite alarm of the 2022 alarm-history record,
// set to ALARM with SetAlarmState.
func composite2022() klaxon.Transition {
	const name = "some-alarm-name"
	return klaxon.Transition{
		AlarmName: name, AlarmArn: "arn:aws:cloudwatch:eu-west-1:123456:alarm:" + name, AlarmType: klaxon.CompositeAlarmType,
		From: alarm.StateOK, To: alarm.StateAlarm, At: ms("2022-11-06T17:43:53.496+0000"),
		Reason: "forced test reason", ActionsEnabled: true,
		CompositeAlarm: &composite.Config{
			AlarmName: name, AlarmDescription: "Test dummy alarm",
			AlarmRule:    "ALARM(dummy-function-DummyErrorAlarm-1LWOKJ2U4UZ2U) OR ALARM(dummy-function-DummyErrorPercentageAlarm-PM5CG7X05G4P)",
			AlarmActions: []string{"arn:aws:sns:eu-west-1:123456:some-topic-name"},
		},
	}
}

// eventMetric is the single-metric alarm of the User Guide's EventBridge
// example (OK -> ALARM).
func eventMetric() klaxon.Transition {
	const name = "ServerCpuTooHigh"
	return klaxon.Transition{
		AlarmName: name, AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + name, AlarmType: klaxon.MetricAlarmType,
		From: alarm.StateOK, To: alarm.StateAlarm,
		At:                 ms("2019-10-02T17:04:40.989+0000"),
		Reason:             "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).",
		ReasonData:         `{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0}`,
		PreviousAt:         ms("2019-10-01T13:56:40.987+0000"),
		PreviousReason:     "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
		PreviousReasonData: `{"version":"1.0","queryDate":"2019-10-01T13:56:40.985+0000","startDate":"2019-10-01T13:46:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[0.0666851903306472],"threshold":50.0}`,
		ActionsEnabled:     true,
		MetricAlarm: &alarm.Config{
			AlarmName: name, AlarmDescription: "Goes into alarm when server CPU utilization is too high!",
			MetricName: "CPUUtilization", Namespace: "AWS/EC2", Statistic: "Average",
			Dimensions: dims("InstanceId", "i-12345678901234567"),
			Period:     300, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 50,
			ComparisonOperator: alarm.GreaterThanThreshold,
		},
	}
}

// eventMath is the metric-math alarm of the User Guide's EventBridge
// example (INSUFFICIENT_DATA -> ALARM, its first evaluation).
func eventMath() klaxon.Transition {
	const name = "TotalNetworkTrafficTooHigh"
	stat := func(id, metricName string) alarm.MetricDataQuery {
		return alarm.MetricDataQuery{Id: id, ReturnData: ptr(false), MetricStat: &alarm.MetricStat{Period: 300, Stat: "Maximum",
			Metric: alarm.MetricRef{Namespace: "AWS/EC2", MetricName: metricName, Dimensions: dims("InstanceId", "i-12345678901234567")}}}
	}
	return klaxon.Transition{
		AlarmName: name, AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + name, AlarmType: klaxon.MetricAlarmType,
		From: alarm.StateInsufficientData, To: alarm.StateAlarm,
		At:             ms("2019-10-02T17:20:48.554+0000"),
		Reason:         "Threshold Crossed: 1 out of the last 1 datapoints [45628.0 (02/10/19 17:10:00)] was greater than the threshold (10000.0) (minimum 1 datapoint for OK -> ALARM transition).",
		ReasonData:     `{"version":"1.0","queryDate":"2019-10-02T17:20:48.551+0000","startDate":"2019-10-02T17:10:00.000+0000","period":300,"recentDatapoints":[45628.0],"threshold":10000.0}`,
		PreviousAt:     ms("2019-10-02T17:20:03.642+0000"),
		PreviousReason: klaxon.InitialReason,
		ConfigUpdated:  ms("2019-10-02T17:20:03.642+0000"), ActionsEnabled: true,
		MetricAlarm: &alarm.Config{
			AlarmName: name, AlarmDescription: "Goes into alarm if total network traffic exceeds 10Kb",
			EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 10000, ComparisonOperator: alarm.GreaterThanThreshold,
			Metrics: []alarm.MetricDataQuery{
				{Id: "e1", Expression: "SUM(METRICS())", Label: "Total Network Traffic", ReturnData: ptr(true)},
				stat("m1", "NetworkIn"), stat("m2", "NetworkOut"),
			},
		},
	}
}

// eventComposite is the composite alarm with a suppressor of the User
// Guide's EventBridge example (OK -> ALARM, actions held by the
// WaitPeriod). Its reason names one child and its reason data another, as
// in the example.
func eventComposite() klaxon.Transition {
	const (
		prefix = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"
		name   = "ServiceAggregatedAlarm"
	)
	return klaxon.Transition{
		AlarmName: name, AlarmArn: prefix + name, AlarmType: klaxon.CompositeAlarmType,
		From: alarm.StateOK, To: alarm.StateAlarm,
		At:     ms("2022-07-22T15:57:45.394+0000"),
		Reason: composite.ChildReason(prefix+"SuppressionDemo.EventBridge.FirstChild", alarm.StateAlarm, ms("2022-07-22T15:57:45.394+0000")),
		ReasonData: composite.ReasonData(
			composite.TriggeringAlarm{ARN: prefix + "ServerCpuTooHigh", State: alarm.StateAlarm, Timestamp: ms("2022-07-22T15:57:45.394+0000")}),
		PreviousAt:     ms("2022-07-22T15:56:14.552+0000"),
		PreviousReason: composite.CreatedReason(prefix+"SuppressionDemo.EventBridge.Main", alarm.StateOK),
		PreviousReasonData: composite.ReasonData(
			composite.TriggeringAlarm{ARN: prefix + "TotalNetworkTrafficTooHigh", State: alarm.StateOK, Timestamp: ms("2022-07-14T16:28:57.770+0000")},
			composite.TriggeringAlarm{ARN: prefix + "ServerCpuTooHigh", State: alarm.StateOK, Timestamp: ms("2022-07-14T16:28:54.191+0000")}),
		SuppressedBy: composite.SuppressedByWaitPeriod.String(), SuppressedReason: composite.SuppressedByWaitPeriod.Reason(),
		ActionsEnabled: true,
		CompositeAlarm: &composite.Config{
			AlarmName: name, AlarmRule: "ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)",
			ActionsSuppressor: "ServiceMaintenanceAlarm", ActionsSuppressorWaitPeriod: ptr(120), ActionsSuppressorExtensionPeriod: ptr(180),
		},
	}
}

// lambdaComposite is the composite alarm of the User Guide's Lambda
// example: its actions, held by the WaitPeriod, released when it ended
// (ALARM -> ALARM). The example's alarmArn and alarmName disagree; so do
// these.
func lambdaComposite() klaxon.Transition {
	const prefix = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:"
	child := prefix + "CompositeDemo.FirstChild"
	entered := ms("2023-08-04T12:54:46.138+0000")
	reason := composite.ChildReason(child, alarm.StateAlarm, entered)
	data := composite.ReasonData(composite.TriggeringAlarm{ARN: child, State: alarm.StateAlarm, Timestamp: entered})
	return klaxon.Transition{
		AlarmName: "CompositeDemo.Main", AlarmArn: prefix + "SuppressionDemo.Main", AlarmType: klaxon.CompositeAlarmType,
		From: alarm.StateAlarm, To: alarm.StateAlarm,
		At: ms("2023-08-04T12:56:46.138+0000"), Reason: reason, ReasonData: data,
		PreviousAt: entered, PreviousReason: reason, PreviousReasonData: data,
		PreviousSuppressedBy: "WaitPeriod", PreviousSuppressedReason: "Actions suppressed by WaitPeriod",
		ActionsEnabled: true,
		CompositeAlarm: &composite.Config{
			AlarmName: "CompositeDemo.Main", AlarmRule: "ALARM(CompositeDemo.FirstChild) OR ALARM(CompositeDemo.SecondChild)",
			ActionsSuppressor: "CompositeDemo.ActionsSuppressor", ActionsSuppressorWaitPeriod: ptr(120), ActionsSuppressorExtensionPeriod: ptr(180),
		},
	}
}
