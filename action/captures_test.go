package action

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// TestCapturedSNSMessages builds the SNS message (and, where captured, the
// subject, the email and the published message) of each captured
// transition and compares it with the capture, byte for byte, and with its
// golden file.
func TestCapturedSNSMessages(t *testing.T) {
	// The 2022 record's console link names the alarm "Dummy composite
	// alarm" where everything else says "some-alarm-name": the capture was
	// anonymised by hand, but not its link.
	unanonymise := strings.NewReplacer("alarm/Dummy%20composite%20alarm", "alarm/some-alarm-name")
	tests := []struct {
		name      string
		t         klaxon.Transition
		layout    Layout
		message   string // capture of SNSMessage
		subject   string // capture of Subject, if any
		email     string // capture of Email, if any
		published string // capture of PublishedMessage, if any
		why       string
	}{
		{"metric-2025", metric2025(), LayoutDocumented, "sns-metric-2025.json", "", "", "",
			"the documented layout: configuration timestamp, action lists, DatapointsToAlarm, upper-case statistic, null Unit, dimensions value first, Threshold 580.0, a description with backslashes"},
		{"metric-2024-long-name", metric2024(), LayoutDocumented, "sns-metric-2024-long-name.json", "subject-2024-long-name.txt", "", "",
			"no DatapointsToAlarm when unset, TreatMissingData \"\" when unset, and a subject cut to 100 characters"},
		{"anomaly-2023", anomaly2023(), LayoutDocumented, "sns-anomaly-2023.json", "", "", "",
			"an anomaly-band alarm: Metrics with capitalised keys in alphabetical order, ThresholdMetricId instead of Threshold"},
		{"anomaly-2021", anomaly2021(), Layout2021, "sns-anomaly-2021.json", "", "", "",
			"Layout2021: no configuration timestamp, no action lists, no DatapointsToAlarm, TreatMissingData as the email's line"},
		{"composite-2021", composite2021(), Layout2021, "sns-composite-2021.json", "", "", "",
			"Layout2021 of a composite: no action lists, \"\" description, TriggeringChildren from the reason data"},
		{"composite-2022", composite2022(), LayoutDocumented, "sns-composite-2022.json", "", "email-composite-2022.txt", "published-composite-2022.json",
			"the documented composite layout (action lists before OldStateValue), TriggeringChildren [] after SetAlarmState, the email verbatim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Format{Layout: tt.layout}
			msg, err := f.SNSMessage(tt.t)
			if err != nil {
				t.Fatal(err)
			}
			sameBytes(t, "SNSMessage ("+tt.why+")", capture(t, tt.message), msg)
			if !json.Valid([]byte(msg)) {
				t.Errorf("SNSMessage is not JSON: %s", msg)
			}
			golden(t, "sns-"+tt.name, msg)

			subject := f.Subject(tt.t)
			if tt.subject != "" {
				sameBytes(t, "Subject", capture(t, tt.subject), subject)
			}
			email, err := f.Email(tt.t)
			if err != nil {
				t.Fatal(err)
			}
			if tt.email != "" {
				sameBytes(t, "Email", unanonymise.Replace(capture(t, tt.email)), email)
			}
			golden(t, "email-"+tt.name, email)
			pub, err := f.PublishedMessage(tt.t)
			if err != nil {
				t.Fatal(err)
			}
			if tt.published != "" {
				sameBytes(t, "PublishedMessage", unanonymise.Replace(capture(t, tt.published)), pub)
			}
			var parts struct{ Default, SMS, Email string }
			if err := json.Unmarshal([]byte(pub), &parts); err != nil {
				t.Fatalf("PublishedMessage is not JSON: %v", err)
			}
			if parts.Default != msg || parts.SMS != subject || parts.Email != email {
				t.Errorf("PublishedMessage's parts are not SNSMessage, Subject and Email:\n%s", pub)
			}
		})
	}
}

// TestCapturedEvents builds the EventBridge events and the Lambda payload
// of the User Guide's examples and compares them with the examples
// (compacted; CloudWatch's ids, random, are replaced by ours), and with
// their golden files.
func TestCapturedEvents(t *testing.T) {
	tests := []struct {
		name    string
		t       klaxon.Transition
		capture string
		ids     []string // the example's ids: the event's, then the metric's
		// detailOnly: the example is the detail alone; the envelope is
		// checked against envelope.
		detailOnly bool
		envelope   string
		why        string
	}{
		{name: "metric", t: eventMetric(), capture: "event-metric.json",
			ids: []string{"c4c1c1c9-6542-e61b-6ef0-8c4d36933a92", "30b6c6b2-a864-43a2-4877-c09a1afc3b87"},
			why: "a single metric as one query with a synthetic id, dimensions as an object, states with keys in alphabetical order"},
		{name: "math", t: eventMath(), capture: "event-math-detail.json", detailOnly: true,
			envelope: `{"version":"0","id":"2dde0eb1-528b-d2d5-9ca6-6d590caf2329","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch","account":"123456789012","time":"2019-10-02T17:20:48Z","region":"us-east-1","resources":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh"]}`,
			ids:      []string{"2dde0eb1-528b-d2d5-9ca6-6d590caf2329"},
			why:      "metric math: the queries as given; the initial previousState without reasonData"},
		{name: "composite", t: eventComposite(), capture: "event-composite.json",
			ids: []string{"d3dfc86d-384d-24c8-0345-9f7986db0b80"},
			why: "a composite: state first, the suppression first in it, the suppressor's configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format{}.Event(tt.t)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "event-"+tt.name, got)
			var env struct {
				ID     string          `json:"id"`
				Detail json.RawMessage `json:"detail"`
			}
			if err := json.Unmarshal([]byte(got), &env); err != nil {
				t.Fatalf("Event is not JSON: %v\n%s", err, got)
			}
			ours := []string{env.ID}
			if tt.t.MetricAlarm != nil && !tt.t.MetricAlarm.IsMath() {
				ours = append(ours, string(appendUUID(nil, &metricSpace, tt.t.AlarmArn)))
			}
			var pairs []string
			for i, id := range tt.ids {
				pairs = append(pairs, id, ours[i])
			}
			ids := strings.NewReplacer(pairs...)
			if tt.detailOnly {
				want := compact(t, "{"+capture(t, tt.capture)+"}")
				sameBytes(t, "Event's detail ("+tt.why+")", want, `{"detail":`+string(env.Detail)+`}`)
				withoutDetail := strings.Replace(got, `,"detail":`+string(env.Detail), "", 1)
				sameBytes(t, "Event's envelope", ids.Replace(tt.envelope), withoutDetail)
				return
			}
			sameBytes(t, "Event ("+tt.why+")", ids.Replace(compact(t, capture(t, tt.capture))), got)
		})
	}
	t.Run("lambda", func(t *testing.T) {
		got, err := Format{}.LambdaPayload(lambdaComposite())
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "lambda-composite", got)
		sameBytes(t, "LambdaPayload (a release of actions held by a WaitPeriod: previousState carries the suppression, last)",
			capture(t, "lambda-composite.json"), got)
	})
}

// TestCapturedConfigurationEvents builds the User Guide's two
// configuration-change events of a composite alarm, its creation and an
// update of its ExtensionPeriod, and compares them with the examples.
func TestCapturedConfigurationEvents(t *testing.T) {
	const arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm"
	rule := "ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)"
	created := ms("2022-03-03T17:06:22.289+0000")
	create := ConfigurationChange{
		Operation: OperationCreate, AlarmArn: arn, At: created,
		State: alarm.StateInsufficientData, StateAt: created, ActionsEnabled: true,
		CompositeAlarm: &composite.Config{AlarmName: "ServiceAggregatedAlarm", AlarmRule: rule, AlarmDescription: "Aggregated monitor for instance"},
	}
	got, err := Format{}.ConfigurationEvent(create)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "event-composite-create", got)
	var env struct {
		ID     string          `json:"id"`
		Detail json.RawMessage `json:"detail"`
	}
	if err := json.Unmarshal([]byte(got), &env); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(compact(t, capture(t, "event-composite-create.json")), "91535fdd-1e9c-849d-624b-9a9f2b1d09d0", env.ID, 1)
	sameBytes(t, "ConfigurationEvent (create: the state without a reason, description after alarmName)", want, got)

	before := composite.Config{AlarmName: "ServiceAggregatedAlarm", AlarmRule: rule,
		ActionsSuppressor: "ServiceMaintenanceAlarm", ActionsSuppressorWaitPeriod: ptr(120), ActionsSuppressorExtensionPeriod: ptr(180)}
	after := before.Clone()
	after.ActionsSuppressorExtensionPeriod = ptr(360)
	update := ConfigurationChange{
		Operation: OperationUpdate, AlarmArn: arn, At: ms("2022-07-14T13:59:56.290+0000"),
		State: alarm.StateAlarm, StateAt: ms("2022-07-14T13:59:46.425+0000"), SuppressedBy: "WaitPeriod",
		ActionsEnabled: true, CompositeAlarm: &after,
		PreviousAt: ms("2022-07-14T13:59:46.425+0000"), PreviousActionsEnabled: true, PreviousCompositeAlarm: &before,
	}
	got, err = Format{}.ConfigurationEvent(update)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "event-composite-update", got)
	if err := json.Unmarshal([]byte(got), &env); err != nil {
		t.Fatal(err)
	}
	sameBytes(t, "ConfigurationEvent's detail (update: actionsSuppressedBy without a reason, the suppressor before alarmName, previousConfiguration)",
		compact(t, "{"+capture(t, "event-composite-update-detail.json")+"}"), `{"detail":`+string(env.Detail)+`}`)
}

// FuzzPublishedMessage: whatever the alarm's words (its name,
// description, reason, a dimension, a composite's rule, with quotes,
// backslashes, control characters or bytes that are not UTF-8), the
// published message's parts are SNSMessage, Subject and Email, for a metric alarm and for a composite one. The message and the
// email are escaped as they are built; this checks them byte for byte
// against escaping them afterwards.
func FuzzPublishedMessage(f *testing.F) {
	f.Add("cpu \"high\"", "line\nline\\n\ttab", "Threshold Crossed: \x00\x1f\x7f", "i-\"1\\", "ALARM(\"a\")")
	f.Add("é\xff", "", "", "", "TRUE")
	f.Fuzz(func(t *testing.T, name, description, reason, dim, rule string) {
		m := metric2025()
		m.AlarmName, m.AlarmArn, m.Reason = name, "arn:aws:cloudwatch:us-east-1:308535385114:alarm:"+name, reason
		m.MetricAlarm = ptr(m.MetricAlarm.Clone())
		m.MetricAlarm.AlarmDescription = description
		m.MetricAlarm.Dimensions = dims("Org", dim)
		c := composite2022()
		c.AlarmName, c.AlarmArn, c.Reason = name, "arn:aws:cloudwatch:eu-west-1:123456:alarm:"+name, reason
		c.CompositeAlarm = &composite.Config{AlarmName: name, AlarmDescription: description, AlarmRule: rule}
		for _, tr := range []klaxon.Transition{m, c} {
			f := Format{}
			pub, err := f.PublishedMessage(tr)
			if name == "" {
				if err == nil {
					t.Fatalf("PublishedMessage of an alarm without a name = %q, want an error", pub)
				}
				continue
			}
			if err != nil {
				t.Fatalf("PublishedMessage: %v", err)
			}
			msg, _ := f.SNSMessage(tr)
			email, _ := f.Email(tr)
			want := `{"default":` + string(cwjson.AppendString(nil, msg)) + `,"sms":` + string(cwjson.AppendString(nil, f.Subject(tr))) +
				`,"email":` + string(cwjson.AppendString(nil, email)) + `}`
			if diff := cmp.Diff(want, pub); diff != "" {
				t.Fatalf("PublishedMessage is not SNSMessage, Subject and Email, each escaped (-want +got):\n%s", diff)
			}
		}
	})
}
