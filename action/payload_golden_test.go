package action

import (
	"encoding/json"
	"testing"

	"github.com/klaxon-go/klaxon/alarm"
)

// TestGoldenPayloads keeps the payloads that no capture shows, whose
// layout is this package's choice (see the Caveats in doc.go), in golden
// files: a change to them is a change of a documented choice.
func TestGoldenPayloads(t *testing.T) {
	math := eventMath()
	tests := []struct {
		name  string
		build func() (string, error)
		why   string
	}{
		{"sns-metric-2026", func() (string, error) { return Format{Layout: Layout2026}.SNSMessage(metric2025()) }, "ActionExecutedAfterMuteWindow after OldStateValue"},
		{"sns-math", func() (string, error) { return Format{}.SNSMessage(math) }, "a metric-math alarm with a Threshold: its Metrics, Period from its MetricStats"},
		{"email-math", func() (string, error) { return Format{}.Email(math) }, "the metric-math email: Monitored Metrics, one block per query"},
		{"lambda-metric", func() (string, error) { return Format{}.LambdaPayload(eventMetric()) }, "a metric alarm's Lambda payload: namespace, name, dimensions"},
		{"lambda-math", func() (string, error) { return Format{}.LambdaPayload(math) }, "a metric-math alarm's: its queries; the initial previousState without reasonData"},
		{"config-metric-create", func() (string, error) {
			tr := eventMetric()
			return Format{}.ConfigurationEvent(ConfigurationChange{Operation: OperationCreate, AlarmArn: tr.AlarmArn, At: tr.PreviousAt,
				State: alarm.StateInsufficientData, StateAt: tr.PreviousAt, ActionsEnabled: true, MetricAlarm: tr.MetricAlarm})
		}, "a metric alarm's configuration: its evaluation first, an integral threshold as an integer"},
		{"config-metric-delete", func() (string, error) {
			tr := eventMetric()
			return Format{}.ConfigurationEvent(ConfigurationChange{Operation: OperationDelete, AlarmArn: tr.AlarmArn, At: tr.At,
				State: tr.To, StateAt: tr.At, ActionsEnabled: true, MetricAlarm: tr.MetricAlarm})
		}, "a deletion carries the last configuration"},
	}
	for _, tt := range tests {
		got, err := tt.build()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !json.Valid([]byte(got)) && tt.name[:5] != "email" {
			t.Errorf("%s (%s): not JSON: %s", tt.name, tt.why, got)
		}
		golden(t, tt.name, got)
	}
}
