package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
)

// A Notification is one action to deliver: the engine's Action (the
// action's ARN, the idempotency key and the Transition it is for) with the
// ARN parsed. Sinks build what they send from it: SNSMessage, Subject,
// PublishedMessage, Email, Event, LambdaPayload, in the Format of the
// Router that made it (the zero Format for a Notification made by hand).
// The published message of an SNS notification is built once, for the
// sink and the engine's history item; treat the Action as read-only.
type Notification struct {
	klaxon.Action
	Target alarm.ActionARN

	format    Format
	published *published // an SNS action's, shared with its Router
}

// A Sink delivers notifications of one kind of action (SNS topics, EC2
// instance actions, Auto Scaling policies, ...). Deliver is called once
// per attempt; an error makes the engine retry with backoff, up to its
// retry policy, and then records the failure. A Sink must be safe for
// concurrent use and should honour ctx's deadline. Receivers can drop
// duplicates by n.Key: a retried delivery, or one repeated after a
// restart, carries the same key.
type Sink interface {
	Deliver(ctx context.Context, n Notification) error
}

// A SinkFunc is a function that is a Sink.
type SinkFunc func(ctx context.Context, n Notification) error

// Deliver calls f.
func (f SinkFunc) Deliver(ctx context.Context, n Notification) error { return f(ctx, n) }

// A Router is the engine's ActionRunner that sends each action to the
// Sink of its kind, by the form of its ARN. A kind without a Sink is an
// error of the action (recorded as a failed action), so that a missing
// sink is visible in history rather than silent.
type Router struct {
	SNS           Sink // arn:aws:sns:...
	EC2           Sink // arn:aws:automate:...:ec2:... and the swf AWS_EC2 forms
	AutoScaling   Sink // arn:aws:autoscaling:...:scalingPolicy:...
	Lambda        Sink // arn:aws:lambda:...:function:...
	SSM           Sink // arn:aws:ssm:...:opsitem:... and arn:aws:ssm-incidents::...
	Investigation Sink // arn:aws:aiops:...

	// Format is the format of the payloads that the notifications build
	// (the zero Format: the forms CloudWatch documents today).
	Format Format

	// last is the published message of the last SNS action, built once
	// for its sink and for the engine's history item.
	last atomic.Pointer[published]
}

// published is the published message of one SNS action, built on first
// use.
type published struct {
	key    string
	arn    string
	format Format
	once   sync.Once
	msg    string
	err    error
}

func (p *published) get(t klaxon.Transition) (string, error) {
	p.once.Do(func() { p.msg, p.err = p.format.PublishedMessage(t) })
	return p.msg, p.err
}

// publishedFor returns the published message of SNS action a: the last
// one if it is a's, else a new one, which becomes the last. An action
// without an idempotency key (made by hand) shares nothing.
func (r *Router) publishedFor(a *klaxon.Action) *published {
	if p := r.lastFor(a); p != nil {
		return p
	}
	p := &published{key: a.Key, arn: a.ARN, format: r.Format}
	if a.Key != "" {
		r.last.Store(p)
	}
	return p
}

// lastFor returns the last SNS action's published message if it is a's
// (the same key and ARN), else nil.
func (r *Router) lastFor(a *klaxon.Action) *published {
	if p := r.last.Load(); p != nil && a.Key != "" && p.key == a.Key && p.arn == a.ARN && p.format == r.Format {
		return p
	}
	return nil
}

// ErrNoSink is the error of an action whose kind has no Sink in the
// Router.
var ErrNoSink = errors.New("no sink for this kind of action")

// RunAction implements klaxon.ActionRunner.
func (r *Router) RunAction(ctx context.Context, a klaxon.Action) error {
	t, err := alarm.ParseActionARN(a.ARN)
	if err != nil {
		return err
	}
	s := r.sink(t.Kind)
	if s == nil {
		return fmt.Errorf("%w: %s actions (%s)", ErrNoSink, strings.ToLower(t.Kind.String()), a.ARN)
	}
	n := Notification{Action: a, Target: t, format: r.Format}
	if t.Kind == alarm.ActionSNS {
		n.published = r.publishedFor(&a)
	}
	return s.Deliver(ctx, n)
}

// PublishedMessage returns the JSON-structured message that an SNS action
// publishes (Format.PublishedMessage), which the engine records as the
// publishedMessage of the action's history item; "" for an action of any
// other kind, or whose transition the message cannot be built from. The
// message of an action is built once for it and for its notification's
// PublishedMessage, whichever asks first, when they ask one after the
// other.
func (r *Router) PublishedMessage(a klaxon.Action) string {
	p := r.lastFor(&a) // the action just run: its ARN was parsed then
	if p == nil {
		t, err := alarm.ParseActionARN(a.ARN)
		if err != nil || t.Kind != alarm.ActionSNS {
			return ""
		}
		p = r.publishedFor(&a)
	}
	m, err := p.get(a.Transition)
	if err != nil {
		return ""
	}
	return m
}

func (r *Router) sink(k alarm.ActionKind) Sink {
	switch k {
	case alarm.ActionSNS:
		return r.SNS
	case alarm.ActionEC2:
		return r.EC2
	case alarm.ActionAutoScaling:
		return r.AutoScaling
	case alarm.ActionLambda:
		return r.Lambda
	case alarm.ActionSSMOpsItem, alarm.ActionSSMIncident:
		return r.SSM
	case alarm.ActionInvestigation:
		return r.Investigation
	}
	return nil
}
