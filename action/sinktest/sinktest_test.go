package sinktest_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/action/sinktest"
)

// The Recorder meets the contract, for each kind of action it can keep.
func TestRecorder(t *testing.T) {
	for _, tc := range []struct {
		arn     string
		payload func(action.Notification) (string, error)
		why     string
	}{
		{"", nil, "an SNS topic: the published message"},
		{"arn:aws:sns:eu-west-1:123456789012:alerts.fifo", nil, "a FIFO topic in another Region"},
		{"arn:aws:lambda:us-east-1:123456789012:function:on-alarm:live", nil, "a Lambda function: its payload"},
		{"arn:aws:automate:us-east-1:ec2:stop", func(n action.Notification) (string, error) {
			return n.Target.EC2Action + " for " + n.Transition.AlarmName, nil
		}, "an EC2 action, with a payload of the harness's own"},
		{"arn:aws:ssm-incidents::123456789012:responseplan/oncall", func(n action.Notification) (string, error) {
			return n.Subject(), nil
		}, "an incident, without a Region"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			sinktest.Run(t, func(t *testing.T) sinktest.Harness {
				r := &sinktest.Recorder{Payload: tc.payload}
				return r.Harness(tc.arn)
			})
		})
	}
}

// The checks that need no backend hooks run without them.
func TestMinimalHarness(t *testing.T) {
	sinktest.Run(t, func(t *testing.T) sinktest.Harness {
		r := &sinktest.Recorder{}
		return sinktest.Harness{Sink: r, Received: r.Received}
	})
}

// flawed is a sink with one flaw, over a Recorder as its backend.
type flawed struct {
	rec  *sinktest.Recorder
	flaw string
	mu   sync.Mutex
	last map[string]string
}

func (f *flawed) Deliver(ctx context.Context, n action.Notification) error {
	switch f.flaw {
	case "ignores context":
		return f.rec.Deliver(context.WithoutCancel(ctx), n)
	case "nil on error":
		f.rec.Deliver(ctx, n)
		return nil
	case "unwrapped context error":
		if ctx.Err() != nil {
			return errors.New("gave up")
		}
	case "panics":
		if n.Transition.MetricAlarm == nil && n.Transition.CompositeAlarm == nil {
			panic("a flawed sink reads a configuration that is not there")
		}
	case "delivers twice":
		f.rec.Deliver(ctx, n)
		n.Key += "/again"
	case "one per alarm":
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.last == nil {
			f.last = map[string]string{}
		}
		if _, ok := f.last[n.Transition.AlarmName]; ok {
			return nil
		}
		f.last[n.Transition.AlarmName] = n.Key
	}
	return f.rec.Deliver(ctx, n)
}

// Check finds each flaw, and says which part of the contract it breaks.
func TestCheckFindsFlaws(t *testing.T) {
	tests := []struct {
		flaw string
		want []string // parts of the error
		why  string
	}{
		{"ignores context", []string{"CanceledContext: Deliver with a canceled context returned nil", "the backend received 1 requests from a delivery whose context was canceled"},
			"a sink must not send once its context is done"},
		{"unwrapped context error", []string{`CanceledContext: Deliver with a canceled context returned "gave up", which does not match context.Canceled`},
			"the engine tells an abandoned delivery by errors.Is"},
		{"nil on error", []string{"BackendError: Deliver returned nil while the backend failed every request", "Malformed: Deliver of a zero Notification returned nil"},
			"a sink reports its backend's failures"},
		{"panics", []string{"Malformed: Deliver of a zero Notification: Deliver panicked: a flawed sink reads a configuration that is not there"}, "a sink never panics"},
		{"sends the SNS message", []string{"Deliver: request 1: the backend received \"{\\\"AlarmName\\\"", "want the notification's payload \"{\\\"default\\\""},
			"a sink delivers the payload, not another"},
		{"delivers twice", []string{"Idempotent: the backend accepted 4 requests, want 2", "Deliver: the backend accepted 16 requests, want 8"},
			"a sink delivers each notification once"},
		{"one per alarm", []string{"Concurrent: the backend accepted 6 requests, want 32", "Idempotent: the backend accepted 1 requests, want 2"},
			"a sink drops duplicates by the key, nothing coarser"},
	}
	for _, tt := range tests {
		err := sinktest.Check(func() sinktest.Harness {
			rec := &sinktest.Recorder{}
			if tt.flaw == "sends the SNS message" {
				rec.Payload = action.Notification.SNSMessage // what the backend gets
			}
			h := rec.Harness("")
			h.Payload = nil // what it must get: the published message
			h.Sink = &flawed{rec: rec, flaw: tt.flaw}
			return h
		})
		if err == nil {
			t.Errorf("%s (%s): Check found nothing", tt.flaw, tt.why)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s (%s): Check's error does not say %q:\n%v", tt.flaw, tt.why, w, err)
			}
		}
	}
}

// A sink that waits on a slow backend past its deadline is caught,
// promptly.
func TestCheckFindsDeadlineIgnored(t *testing.T) {
	start := time.Now()
	release := make(chan struct{}) // the stalled backend answers when the test ends
	defer close(release)
	err := sinktest.Check(func() sinktest.Harness {
		rec := &sinktest.Recorder{}
		h := rec.Harness("")
		var slow atomic.Bool
		h.Stall = func() func() {
			slow.Store(true)
			return func() { slow.Store(false) }
		}
		h.Sink = action.SinkFunc(func(ctx context.Context, n action.Notification) error {
			if slow.Load() {
				<-release // and never looks at ctx
			}
			return rec.Deliver(context.WithoutCancel(ctx), n)
		})
		return h
	})
	if err == nil || !strings.Contains(err.Error(), "DeadlineDuringRequest: Deliver had not returned") {
		t.Errorf("Check of a sink that ignores its deadline: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Check took %v", d)
	}
}

func TestHarnessErrors(t *testing.T) {
	rec := &sinktest.Recorder{}
	for _, tc := range []struct {
		h    sinktest.Harness
		want string
	}{
		{sinktest.Harness{}, "the harness needs a Sink and Received"},
		{sinktest.Harness{Sink: rec, Received: rec.Received, ARN: "arn:aws:automate:us-east-1:ec2:stop"}, "the harness needs a Payload for EC2 actions"},
		{sinktest.Harness{Sink: rec, Received: rec.Received, ARN: "nope"}, "the harness's ARN"},
	} {
		if err := sinktest.Check(func() sinktest.Harness { return tc.h }); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%+v) = %v, want an error saying %q", tc.h, err, tc.want)
		}
	}
}

func TestNotifications(t *testing.T) {
	ns := sinktest.Notifications(sinktest.DefaultARN)
	keys := map[string]bool{}
	for _, n := range ns {
		if keys[n.Key] {
			t.Errorf("two notifications with the key %q", n.Key)
		}
		keys[n.Key] = true
		for name, build := range map[string]func() (string, error){"PublishedMessage": n.PublishedMessage, "Event": n.Event, "LambdaPayload": n.LambdaPayload} {
			if _, err := build(); err != nil {
				t.Errorf("%s of the notification of %q: %v", name, n.Transition.AlarmName, err)
			}
		}
	}
	if len(ns) != 8 {
		t.Errorf("%d notifications, want 8", len(ns))
	}
	if sinktest.Notifications("nope") != nil {
		t.Error("notifications for an ARN that does not parse")
	}
}
