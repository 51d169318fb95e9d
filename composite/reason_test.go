package composite

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
)

// ms returns a UTC time with milliseconds.
func ms(year int, month time.Month, day, hour, min, sec, milli int) time.Time {
	return time.Date(year, month, day, hour, min, sec, milli*int(time.Millisecond), time.UTC)
}

// TestReasons renders every composite StateReason and StateReasonData
// quoted from real CloudWatch output.
func TestReasons(t *testing.T) {
	tests := []struct {
		name       string
		reason     string
		wantReason string
		data       string
		wantData   string
		why        string
	}{
		{
			name:       "describe-alarms 2022",
			reason:     ChildReason("arn:aws:cloudwatch:us-east-2:672774589314:alarm:-Task-ImageQueueScalingAlarm846F1F23-19LPTQIB9ANUQ", alarm.StateAlarm, ms(2022, 10, 30, 20, 47, 35, 671)),
			wantReason: "arn:aws:cloudwatch:us-east-2:672774589314:alarm:-Task-ImageQueueScalingAlarm846F1F23-19LPTQIB9ANUQ transitioned to ALARM at Sunday 30 October, 2022 20:47:35 UTC",
			data: ReasonData(TriggeringAlarm{"arn:aws:cloudwatch:us-east-2:672774589314:alarm:-Task-ImageQueueScalingAlarm846F1F23-19LPTQIB9ANUQ",
				alarm.StateAlarm, ms(2022, 10, 30, 20, 47, 35, 671)}),
			wantData: `{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-2:672774589314:alarm:-Task-ImageQueueScalingAlarm846F1F23-19LPTQIB9ANUQ","state":{"value":"ALARM","timestamp":"2022-10-30T20:47:35.671+0000"}}]}`,
			why:      "a real DescribeAlarms record: the reason drops the milliseconds the data keeps",
		},
		{
			name:       "sns 2021",
			reason:     ChildReason("arn:aws:cloudwatch:us-east-1:427809481713:alarm:if-sim-app_427809481713_us-east-1-metric_emitting_node_failure", alarm.StateAlarm, ms(2021, 11, 10, 2, 45, 55, 640)),
			wantReason: "arn:aws:cloudwatch:us-east-1:427809481713:alarm:if-sim-app_427809481713_us-east-1-metric_emitting_node_failure transitioned to ALARM at Wednesday 10 November, 2021 02:45:55 UTC",
			why:        "NewStateReason of a real SNS message; hours are zero-padded",
		},
		{
			name:       "eventbridge state change",
			reason:     ChildReason("arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.FirstChild", alarm.StateAlarm, ms(2022, 7, 22, 15, 57, 45, 394)),
			wantReason: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.FirstChild transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC",
			data:       ReasonData(TriggeringAlarm{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh", alarm.StateAlarm, ms(2022, 7, 22, 15, 57, 45, 394)}),
			wantData:   `{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}`,
			why:        "EventBridge documentation sample (whose reason and data name different children, an editing slip)",
		},
		{
			name:       "eventbridge creation",
			reason:     CreatedReason("arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.Main", alarm.StateOK),
			wantReason: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.Main was created and its alarm rule evaluates to OK",
			data: ReasonData(
				TriggeringAlarm{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh", alarm.StateOK, ms(2022, 7, 14, 16, 28, 57, 770)},
				TriggeringAlarm{"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh", alarm.StateOK, ms(2022, 7, 14, 16, 28, 54, 191)},
			),
			wantData: `{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh","state":{"value":"OK","timestamp":"2022-07-14T16:28:57.770+0000"}},{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"OK","timestamp":"2022-07-14T16:28:54.191+0000"}}]}`,
			why:      "previousState of the EventBridge sample: after creation the data lists every child",
		},
		{
			name:       "lambda payload",
			reason:     ChildReason("arn:aws:cloudwatch:us-east-1:111122223333:alarm:CompositeDemo.FirstChild", alarm.StateAlarm, ms(2023, 8, 4, 12, 54, 46, 138)),
			wantReason: "arn:aws:cloudwatch:us-east-1:111122223333:alarm:CompositeDemo.FirstChild transitioned to ALARM at Friday 04 August, 2023 12:54:46 UTC",
			data:       ReasonData(TriggeringAlarm{"arn:aws:cloudwatch:us-east-1:111122223333:alarm:CompositeDemo.FirstChild", alarm.StateAlarm, ms(2023, 8, 4, 12, 54, 46, 138)}),
			wantData:   `{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:111122223333:alarm:CompositeDemo.FirstChild","state":{"value":"ALARM","timestamp":"2023-08-04T12:54:46.138+0000"}}]}`,
			why:        "Lambda documentation sample: the day is zero-padded (04)",
		},
		{
			name:       "other zone",
			reason:     ChildReason("arn:x", alarm.StateOK, time.Date(2022, 11, 6, 18, 43, 53, 999999999, time.FixedZone("CET", 3600))),
			wantReason: "arn:x transitioned to OK at Sunday 06 November, 2022 17:43:53 UTC",
			data:       ReasonData(TriggeringAlarm{"arn:x", alarm.StateInsufficientData, time.Date(2022, 11, 6, 18, 43, 53, 999999999, time.FixedZone("CET", 3600))}),
			wantData:   `{"triggeringAlarms":[{"arn":"arn:x","state":{"value":"INSUFFICIENT_DATA","timestamp":"2022-11-06T17:43:53.999+0000"}}]}`,
			why:        "times are printed in UTC; milliseconds are truncated, not rounded",
		},
		{
			name:     "escaping",
			data:     ReasonData(TriggeringAlarm{"arn:aws:cloudwatch:us-east-1:1:alarm:a \"b\" \\ <c>&\n", alarm.StateAlarm, ms(2022, 1, 2, 3, 4, 5, 6)}),
			wantData: `{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:1:alarm:a \"b\" \\ <c>&\n","state":{"value":"ALARM","timestamp":"2022-01-02T03:04:05.006+0000"}}]}`,
			why:      "Jackson escapes quotes, backslashes and control characters, but not <, > and &",
		},
		{
			name:     "no children",
			data:     ReasonData(),
			wantData: `{"triggeringAlarms":[]}`,
			why:      "an empty list stays a list",
		},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.wantReason, tc.reason); diff != "" {
			t.Errorf("%s: reason mismatch (-want +got):\n%s\nwhy: %s", tc.name, diff, tc.why)
		}
		if diff := cmp.Diff(tc.wantData, tc.data); diff != "" {
			t.Errorf("%s: reason data mismatch (-want +got):\n%s\nwhy: %s", tc.name, diff, tc.why)
		}
		if tc.data != "" && !json.Valid([]byte(tc.data)) {
			t.Errorf("%s: reason data is not valid JSON: %s", tc.name, tc.data)
		}
	}
}
