package action

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/klaxon-go/klaxon"
)

func TestRouterFormat(t *testing.T) {
	var got Notification
	r := &Router{SNS: SinkFunc(func(ctx context.Context, n Notification) error { got = n; return nil }), Format: Format{Layout: Layout2021}}
	if err := r.RunAction(context.Background(), klaxon.Action{ARN: "arn:aws:sns:us-east-1:308535385114:alerting-dev-alerts", Key: "k", Transition: metric2025()}); err != nil {
		t.Fatal(err)
	}
	msg, err := got.SNSMessage()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(msg, "OKActions") || !strings.Contains(msg, "- TreatMissingData:") {
		t.Errorf("the notification of a Router with Layout2021 builds another layout:\n%s", msg)
	}
	// A Notification made by hand builds the documented layout.
	msg, _ = Notification{Action: got.Action}.SNSMessage()
	if !strings.Contains(msg, `"OKActions":[]`) {
		t.Errorf("a Notification made by hand does not build the documented layout:\n%s", msg)
	}
}

func TestRouterPublishedMessage(t *testing.T) {
	r := &Router{}
	tr := metric2025()
	want, err := Format{}.PublishedMessage(tr)
	if err != nil {
		t.Fatal(err)
	}
	broken := tr
	broken.MetricAlarm = nil
	tests := []struct {
		arn  string
		t    klaxon.Transition
		want string
		why  string
	}{
		{"arn:aws:sns:us-east-1:308535385114:alerting-dev-alerts", tr, want, "an SNS action publishes the JSON-structured message"},
		{"arn:aws:sns:us-east-1:308535385114:alerts.fifo", tr, want, "a FIFO topic too"},
		{"arn:aws:lambda:us-east-1:308535385114:function:f", tr, "", "a Lambda action publishes nothing"},
		{"arn:aws:automate:us-east-1:ec2:stop", tr, "", "nor does an EC2 action"},
		{"arn:aws:ssm:us-east-1:308535385114:opsitem:1", tr, "", "nor an OpsItem action"},
		{"not an arn", tr, "", "an ARN that does not parse: nothing"},
		{"arn:aws:sns:us-east-1:308535385114:alerting-dev-alerts", broken, "", "a transition without configuration: nothing"},
	}
	for _, tt := range tests {
		if got := r.PublishedMessage(klaxon.Action{ARN: tt.arn, Transition: tt.t}); got != tt.want {
			t.Errorf("%s: PublishedMessage(%s) = %.60q..., want %.60q...", tt.why, tt.arn, got, tt.want)
		}
	}
}

func TestRouterNoSink(t *testing.T) {
	err := (&Router{}).RunAction(context.Background(), klaxon.Action{ARN: "arn:aws:sns:us-east-1:308535385114:t", Transition: metric2025()})
	if !errors.Is(err, ErrNoSink) || !strings.Contains(err.Error(), "arn:aws:sns:us-east-1:308535385114:t") {
		t.Errorf("RunAction without an SNS sink: %v, want ErrNoSink naming the ARN", err)
	}
}

// The engine asks its ActionRunner for the published message through an
// optional interface of this shape.
var _ interface {
	klaxon.ActionRunner
	PublishedMessage(klaxon.Action) string
} = (*Router)(nil)

// The published message of an SNS action is built once for its sink and
// for the engine's history item, in either order.
func TestRouterBuildsPublishedOnce(t *testing.T) {
	var fromSink string
	r := &Router{SNS: SinkFunc(func(ctx context.Context, n Notification) error {
		var err error
		fromSink, err = n.PublishedMessage()
		return err
	})}
	a := klaxon.Action{ARN: "arn:aws:sns:us-east-1:308535385114:alerting-dev-alerts", Key: "k1", Transition: metric2025()}
	if err := r.RunAction(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	first := r.last.Load()
	if got := r.PublishedMessage(a); got != fromSink || got == "" || r.last.Load() != first {
		t.Errorf("PublishedMessage after RunAction built the message again or another one")
	}
	b := a
	b.Key, b.Transition = "k2", composite2022()
	want, _ := Format{}.PublishedMessage(b.Transition)
	if got := r.PublishedMessage(b); got != want { // asked first this time
		t.Errorf("PublishedMessage of another action = %.50q..., want %.50q...", got, want)
	}
	if err := r.RunAction(context.Background(), b); err != nil || fromSink != want {
		t.Errorf("the sink of the second action got %.50q... (%v), want %.50q...", fromSink, err, want)
	}
	lambda := b
	lambda.ARN = "arn:aws:lambda:us-east-1:308535385114:function:f"
	if got := r.PublishedMessage(lambda); got != "" {
		t.Errorf("a Lambda action made by hand with the key of the last SNS action: %.50q..., want nothing", got)
	}
	r.Format.Layout = Layout2021
	if got := r.PublishedMessage(b); got == want {
		t.Error("a change of the Router's Format did not rebuild the message")
	}
}
