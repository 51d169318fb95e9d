package action

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
)

// A Notification is one action to deliver: the engine's Action (the
// action's ARN, the idempotency key and the Transition it is for) with the
// ARN parsed. Sinks build what they send from it: SNSMessage, Subject,
// PublishedMessage, Email, Event, LambdaPayload, in the Format of the
// Router that made it (the zero Format for a Notification made by hand).
type Notification struct {
	klaxon.Action
	Target alarm.ActionARN

	format Format
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
	return s.Deliver(ctx, Notification{Action: a, Target: t, format: r.Format})
}

// PublishedMessage returns the JSON-structured message that an SNS action
// publishes (Format.PublishedMessage), which the engine records as the
// publishedMessage of the action's history item; "" for an action of any
// other kind, or whose transition the message cannot be built from.
func (r *Router) PublishedMessage(a klaxon.Action) string {
	t, err := alarm.ParseActionARN(a.ARN)
	if err != nil || t.Kind != alarm.ActionSNS {
		return ""
	}
	m, err := r.Format.PublishedMessage(a.Transition)
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
