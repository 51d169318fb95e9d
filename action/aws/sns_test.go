package aws_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	klaxonaws "github.com/klaxon-go/klaxon/action/aws"
)

func hexSHA256(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestSNSPublish(t *testing.T) {
	f := newFake(t)
	s := klaxonaws.NewSNS(f.config(), fast)
	s.Message = testMessage
	if err := s.Deliver(context.Background(), notification(t, topicARN)); err != nil {
		t.Fatal(err)
	}
	// The topic's Region (eu-west-1), not the configuration's; the
	// message, subject and structure from Message; a standard topic takes
	// no group or deduplication id.
	diffRequests(t, []summary{{"sns", "eu-west-1", "Publish", form(
		"TopicArn", topicARN,
		"Message", `{"default":"test message for cpu-high"}`,
		"Subject", "test: ALARM",
		"MessageStructure", "json",
	), true}}, f.got())
	if got := f.got()[0].Attempt; !strings.HasPrefix(got, "attempt=1;") {
		t.Errorf("amz-sdk-request %q, want the first attempt", got)
	}
}

func TestSNSFIFO(t *testing.T) {
	f := newFake(t)
	s := klaxonaws.NewSNS(f.config(), fast)
	s.Message = func(action.Notification) (klaxonaws.Message, error) { return klaxonaws.Message{Body: "m"}, nil }
	n := notification(t, fifoARN)
	for range 2 { // the same delivery twice: the same ids, so SNS drops the second
		if err := s.Deliver(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	other := notification(t, fifoARN)
	other.Transition.AlarmArn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:disk-full"
	other.Key = other.Transition.AlarmArn + "/2024-05-01T12:03:00.000+0000/" + fifoARN
	if err := s.Deliver(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	// One message group per alarm (the SHA-256 of its ARN, as CloudWatch
	// groups by a hash of the alarm ARN); one deduplication id per
	// idempotency key.
	fifo := func(alarmARN, key string) summary {
		return summary{"sns", "eu-west-1", "Publish", form("TopicArn", fifoARN, "Message", "m",
			"MessageGroupId", hexSHA256(alarmARN), "MessageDeduplicationId", hexSHA256(key)), true}
	}
	diffRequests(t, []summary{fifo(alarmARN, n.Key), fifo(alarmARN, n.Key), fifo(other.Transition.AlarmArn, other.Key)}, f.got())
}

// TestSNSDefaultMessage: without a Message function the sink publishes
// CloudWatch's message: the JSON-structured body the engine's history
// quotes, MessageStructure json, and CloudWatch's subject.
func TestSNSDefaultMessage(t *testing.T) {
	f := newFake(t)
	s := klaxonaws.NewSNS(f.config(), fast)
	n := notification(t, topicARN)
	if err := s.Deliver(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	body, err := n.PublishedMessage()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(body, `{"default":"{\"AlarmName\":\"cpu-high\"`) {
		t.Errorf("published message %.80s..., want CloudWatch's JSON-structured message", body)
	}
	diffRequests(t, []summary{{"sns", "eu-west-1", "Publish", form("TopicArn", topicARN, "Message", body,
		"Subject", `ALARM: "cpu-high" in EU (Ireland)`, "MessageStructure", "json"), true}}, f.got())
}

func TestSNSRefusesWithoutCalling(t *testing.T) {
	f := newFake(t)
	build := errors.New("no template for composite alarms")
	tests := []struct {
		name    string
		message func(action.Notification) (klaxonaws.Message, error)
		arn     string
		want    string
	}{
		{"Message's error fails the action", func(action.Notification) (klaxonaws.Message, error) { return klaxonaws.Message{}, build }, topicARN,
			"aws: building the message for " + topicARN + ": no template for composite alarms"},
		{"an action of another kind is refused", testMessage, stopARN,
			"aws: the SNS sink got a EC2 action: " + stopARN},
	}
	for _, tt := range tests {
		s := klaxonaws.NewSNS(f.config(), fast)
		s.Message = tt.message
		err := s.Deliver(context.Background(), notification(t, tt.arn))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
	if got := f.got(); len(got) != 0 {
		t.Errorf("%d requests, want none", len(got))
	}
}

// TestSNSErrorNamesARNAndCode: AWS's code and message, the ARN and the
// operation are in the error's text, and the SDK's error stays reachable.
func TestSNSErrorNamesARNAndCode(t *testing.T) {
	f := newFake(t)
	f.fail("Publish", reply{status: 403, code: "AuthorizationError",
		message: "User: arn:aws:iam::123456789012:user/klaxon is not authorized to perform: SNS:Publish on resource: " + topicARN})
	s := klaxonaws.NewSNS(f.config(), fast)
	s.Message = testMessage
	err := s.Deliver(context.Background(), notification(t, topicARN))
	want := "aws: SNS Publish for " + topicARN + ": AuthorizationError: User: arn:aws:iam::123456789012:user/klaxon is not authorized to perform: SNS:Publish on resource: " + topicARN
	if err == nil || err.Error() != want {
		t.Fatalf("error %v,\nwant %s", err, want)
	}
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "AuthorizationError" {
		t.Errorf("errors.As(%v, smithy.APIError) = %v", err, api)
	}
	var ae *klaxonaws.Error
	if !errors.As(err, &ae) || ae.ARN != topicARN || ae.Op != "SNS Publish" {
		t.Errorf("errors.As(%v, *aws.Error) = %+v", err, ae)
	}
	if n := len(f.got()); n != 1 {
		t.Errorf("%d requests, want 1 (a 403 is not retried)", n)
	}
	if !errors.Is(err, klaxon.ErrPermanent) {
		t.Errorf("errors.Is(%v, klaxon.ErrPermanent) = false: the engine would retry a refusal", err)
	}
}

// TestRetries: the SDK retries throttling, which never acted, and nothing
// else, so that a failed delivery acts at most once per call; the engine
// decides whether to deliver again.
func TestRetries(t *testing.T) {
	throttle := reply{status: 400, code: "Throttling", message: "Rate exceeded"}
	tests := []struct {
		name     string
		opts     klaxonaws.Options
		replies  []reply
		timeout  time.Duration
		requests int    // requests the fake receives
		acted    int    // of which acted
		err      string // part of the error, "" for none
	}{
		{"throttled, then published: retried, acts once", fast,
			[]reply{throttle}, time.Second, 2, 1, ""},
		{"SNS's own throttling code is retried too", fast,
			[]reply{{status: 400, code: "Throttled", message: "Rate exceeded"}}, time.Second, 2, 1, ""},
		{"throttled three times: gives up after MaxAttempts (3)", fast,
			[]reply{throttle, throttle, throttle, throttle}, time.Second, 3, 0, "Throttling: Rate exceeded (after 3 attempts)"},
		{"MaxAttempts 1: the SDK never retries", klaxonaws.Options{MaxAttempts: 1},
			[]reply{throttle}, time.Second, 1, 0, "Throttling: Rate exceeded"},
		{"500 after acting: not retried, so not published twice", fast,
			[]reply{{status: 500, code: "InternalError", message: "Internal error", act: true}}, time.Second, 1, 1, "InternalError: Internal error"},
		{"503 before acting: not retried either (the SDK cannot tell)", fast,
			[]reply{{status: 503, code: "ServiceUnavailable", message: "Service is unavailable"}}, time.Second, 1, 0, "ServiceUnavailable"},
		{"no answer before the deadline: one request, the deadline's error", fast,
			[]reply{{status: 200, act: true, delay: 10 * time.Second}}, 100 * time.Millisecond, 1, 1, "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.fail("Publish", tt.replies...)
			s := klaxonaws.NewSNS(f.config(), tt.opts)
			s.Message = testMessage
			start := time.Now()
			err := s.Deliver(ctxTimeout(t, tt.timeout), notification(t, topicARN))
			if err != nil && errors.Is(err, klaxon.ErrPermanent) {
				t.Errorf("errors.Is(%v, klaxon.ErrPermanent): the engine would not retry what may heal", err)
			}
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "aws: SNS Publish for "+topicARN+": ")):
				t.Errorf("error %v, want one naming the ARN and %q", err, tt.err)
			}
			got := f.got()
			if len(got) != tt.requests || len(f.acted()) != tt.acted {
				t.Errorf("%d requests of which %d acted, want %d and %d", len(got), len(f.acted()), tt.requests, tt.acted)
			}
			for i, r := range got {
				if r.Invocation != got[0].Invocation || !strings.HasPrefix(r.Attempt, "attempt="+string(rune('1'+i))+";") {
					t.Errorf("request %d: invocation %s attempt %q: want the attempts of one call", i, r.Invocation, r.Attempt)
				}
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestSDKDefaultRetriesDoubleAct shows why the sinks replace the SDK's
// retry policy: with the SDK's default one, a 500 returned after SNS
// published makes the client publish again, twice.
func TestSDKDefaultRetriesDoubleAct(t *testing.T) {
	f := newFake(t)
	after := reply{status: 500, code: "InternalError", message: "Internal error", act: true}
	f.fail("Publish", after, after)
	cfg := f.config()
	s := &klaxonaws.SNS{Client: snsWithDefaultRetries(cfg), Message: testMessage}
	if err := s.Deliver(context.Background(), notification(t, topicARN)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.acted()); n != 3 {
		t.Errorf("the SDK's default retries published %d times, want 3", n)
	}
}

// snsWithDefaultRetries returns an SNS client with the SDK's default
// retry rules, without the waits.
func snsWithDefaultRetries(cfg sdkaws.Config) *sns.Client {
	return sns.NewFromConfig(cfg, func(o *sns.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	})
}
