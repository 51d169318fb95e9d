package aws

import (
	"context"
	"errors"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
)

// SNSAPI is the part of *sns.Client the SNS sink calls.
type SNSAPI interface {
	Publish(ctx context.Context, in *sns.PublishInput, optFns ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// A Message is what the SNS sink publishes for a notification.
type Message struct {
	Body    string // the Message parameter
	Subject string // at most 100 printable ASCII characters (SNS's rule); "" for none
	// Structure is "json" when Body is a JSON object with a message per
	// protocol ({"default": ..., "sms": ..., "email": ...}), the form
	// CloudWatch publishes; "" when Body goes to every protocol as it is.
	Structure string
}

// SNS is the Sink of SNS actions: it publishes a message to the topic of
// the action's ARN, in the ARN's Region. To a FIFO topic (a name ending in
// .fifo) it publishes with MessageGroupId the SHA-256 of the alarm's ARN,
// as CloudWatch does (one group per alarm, so one alarm's notifications
// stay in order), and MessageDeduplicationId the SHA-256 of the
// notification's idempotency key, so that SNS drops a retried delivery
// within its five-minute deduplication window. An SNS is safe for
// concurrent use once its fields are set.
type SNS struct {
	Client SNSAPI
	// Message returns what to publish for a notification; its error
	// fails the action. nil means CloudWatch's message (CloudWatchMessage).
	Message func(action.Notification) (Message, error)
}

// CloudWatchMessage is what CloudWatch publishes for a notification: its
// JSON-structured message (a body per protocol: the alarm's JSON message
// by default, the email text for email subscriptions, the subject line for
// SMS; Notification.PublishedMessage), with MessageStructure "json" and
// the subject `ALARM: "name" in US East (N. Virginia)`
// (Notification.Subject). The engine's Action history item quotes the
// same message.
func CloudWatchMessage(n action.Notification) (Message, error) {
	body, err := n.PublishedMessage()
	if err != nil {
		return Message{}, err
	}
	return Message{Body: body, Subject: n.Subject(), Structure: "json"}, nil
}

// NewSNS returns an SNS sink whose client is sns.NewFromConfig(cfg) with
// opts' retry policy, publishing CloudWatch's message.
func NewSNS(cfg sdkaws.Config, opts Options) *SNS {
	return &SNS{Client: sns.NewFromConfig(cfg, func(o *sns.Options) {
		o.Retryer, o.RetryMaxAttempts, o.RetryMode = opts.retryer(), 0, ""
	})}
}

// Deliver publishes n's message to its topic.
func (s *SNS) Deliver(ctx context.Context, n action.Notification) error {
	if n.Target.Kind != alarm.ActionSNS {
		return errors.New("aws: the SNS sink got a " + n.Target.Kind.String() + " action: " + n.ARN)
	}
	message := s.Message
	if message == nil {
		message = CloudWatchMessage
	}
	m, err := message(n)
	if err != nil {
		return errors.New("aws: building the message for " + n.ARN + ": " + err.Error())
	}
	in := &sns.PublishInput{TopicArn: &n.ARN, Message: &m.Body}
	if m.Subject != "" {
		in.Subject = sdkaws.String(m.Subject)
	}
	if m.Structure != "" {
		in.MessageStructure = sdkaws.String(m.Structure)
	}
	if strings.HasSuffix(n.Target.Resource, ".fifo") {
		in.MessageGroupId = sdkaws.String(digest(n.Transition.AlarmArn))
		in.MessageDeduplicationId = sdkaws.String(digest(n.Key))
	}
	_, err = s.Client.Publish(ctx, in, func(o *sns.Options) { o.Region = n.Target.Region })
	return callError(n, "SNS Publish", err)
}
