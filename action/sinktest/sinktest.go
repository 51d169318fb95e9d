// Package sinktest checks that an [action.Sink] does what the engine
// relies on, in the manner of testing/slogtest: the author of a sink gives
// the kit a fresh sink and a view of what its backend received, and the
// kit delivers notifications and checks the outcome.
//
//	func TestSNSSink(t *testing.T) {
//		sinktest.Run(t, func(t *testing.T) sinktest.Harness {
//			backend := newFakeSNS(t)                 // an httptest server, say
//			sink := mysns.NewSink(backend.Client())
//			return sinktest.Harness{Sink: sink, Received: backend.Published,
//				Idempotent: true, Fail: backend.FailWith, Stall: backend.Stall}
//		})
//	}
//
// # The contract
//
// What every Sink must do, and what Run checks:
//
//   - Deliver: deliver exactly the notification's payload, once: the
//     backend receives one request per delivered notification, whose
//     payload is Harness.Payload's (by default the JSON-structured message
//     for SNS actions, the Lambda payload for Lambda actions), and whose
//     idempotency key, if the backend sees one, is the notification's.
//   - Context: give up promptly (within Prompt) with an error when the
//     context is done: with an error that matches context.Canceled or
//     context.DeadlineExceeded (errors.Is), so that the engine can tell
//     an abandoned delivery from a failed one; and send nothing when the
//     context is done before Deliver is called.
//   - Concurrency: be safe for concurrent use: concurrent deliveries of
//     distinct notifications each reach the backend once (run the kit
//     with -race).
//   - Errors: report an error, never panic: for a notification it cannot
//     deliver (a zero Notification, one whose payload cannot be built),
//     and for a failure of its backend; a delivery retried after a
//     failure then succeeds.
//   - Idempotency, when the sink promises it (Harness.Idempotent): the
//     backend receives each idempotency key once, however many times and
//     from however many goroutines it is delivered.
//
// The kit knows nothing of the backend: the checks that need to make it
// fail or stall run only when the harness gives Fail or Stall, and are
// skipped otherwise.
//
// [Recorder] is an in-memory Sink that meets the contract: the sink the
// kit's own tests run against, and a sink for tests of alarms, to see
// what their actions sent.
package sinktest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/metric"
)

// Prompt is how soon a sink must return once its context is done.
const Prompt = time.Second

// A Harness is one sink under test and a view of its backend.
type Harness struct {
	// Sink is the sink under test, fresh: its backend has received
	// nothing yet.
	Sink action.Sink
	// Received returns what the backend has accepted so far (not the
	// requests it failed), in the order it accepted them. Required.
	Received func() []Delivery
	// ARN is the action ARN the sink serves; the kit's notifications are
	// for it. Default: an SNS topic, arn:aws:sns:us-east-1:123456789012:sinktest.
	ARN string
	// Payload returns what the backend must receive for n. Default: for
	// an SNS action n.PublishedMessage(), for a Lambda action
	// n.LambdaPayload(); required for the other kinds. When it fails for
	// a notification, the sink must fail to deliver it.
	Payload func(n action.Notification) (string, error)
	// Idempotent says that the sink promises that the backend receives
	// each idempotency key once.
	Idempotent bool
	// Fail, when set, makes the backend fail every request with err, or,
	// with nil, accept them again. Without it, the checks of backend
	// errors are skipped.
	Fail func(err error)
	// Stall, when set, makes the backend hold every request until resume
	// is called (and resume is called once). Without it, the check of a
	// deadline that expires during a request is skipped.
	Stall func() (resume func())
}

// A Delivery is one request as the backend accepted it.
type Delivery struct {
	// Key is the idempotency key the backend saw, "" when its requests
	// carry none.
	Key string
	// Payload is what the backend received, in the form of
	// Harness.Payload.
	Payload string
}

// DefaultARN is the action ARN of a Harness that gives none.
const DefaultARN = "arn:aws:sns:us-east-1:123456789012:sinktest"

// A check is one part of the contract.
type check struct {
	name string
	// skip says why the check cannot run with h ("" when it can).
	skip func(h *Harness) string
	run  func(h *Harness) error
}

var checks = []check{
	{"Deliver", nil, checkDeliver},
	{"CanceledContext", nil, checkCanceled},
	{"DeadlineDuringRequest", func(h *Harness) string {
		if h.Stall == nil {
			return "the harness has no Stall"
		}
		return ""
	}, checkDeadline},
	{"Concurrent", nil, checkConcurrent},
	{"Malformed", nil, checkMalformed},
	{"BackendError", func(h *Harness) string {
		if h.Fail == nil {
			return "the harness has no Fail"
		}
		return ""
	}, checkBackendError},
	{"Idempotent", func(h *Harness) string {
		if !h.Idempotent {
			return "the sink does not promise idempotency"
		}
		return ""
	}, checkIdempotent},
}

// Run checks the sink of each harness that newHarness returns against the
// contract, one subtest per part, each with a fresh harness.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			if err := prepare(&h); err != nil {
				t.Fatal(err)
			}
			if c.skip != nil {
				if why := c.skip(&h); why != "" {
					t.Skip(why)
				}
			}
			if err := c.run(&h); err != nil {
				t.Error(err)
			}
		})
	}
}

// Check is Run outside a test: it checks the sink of each harness that
// newHarness returns, one harness per part of the contract, and returns
// every problem found (errors.Join), nil when there is none. The parts
// that the harness cannot run are left out.
func Check(newHarness func() Harness) error {
	var errs []error
	for _, c := range checks {
		h := newHarness()
		if err := prepare(&h); err != nil {
			return err
		}
		if c.skip != nil && c.skip(&h) != "" {
			continue
		}
		if err := c.run(&h); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

// prepare checks a harness and fills its defaults.
func prepare(h *Harness) error {
	if h.Sink == nil || h.Received == nil {
		return errors.New("sinktest: the harness needs a Sink and Received")
	}
	if h.ARN == "" {
		h.ARN = DefaultARN
	}
	target, err := alarm.ParseActionARN(h.ARN)
	if err != nil {
		return fmt.Errorf("sinktest: the harness's ARN: %w", err)
	}
	if h.Payload == nil {
		h.Payload = DefaultPayload(target.Kind)
		if h.Payload == nil {
			return fmt.Errorf("sinktest: the harness needs a Payload for %s actions (%s)", target.Kind, h.ARN)
		}
	}
	return nil
}

// DefaultPayload returns the payload function of a Harness without one,
// by the kind of action: the JSON-structured message for SNS, the Lambda
// payload for Lambda; nil for the other kinds.
func DefaultPayload(k alarm.ActionKind) func(n action.Notification) (string, error) {
	switch k {
	case alarm.ActionSNS:
		return action.Notification.PublishedMessage
	case alarm.ActionLambda:
		return action.Notification.LambdaPayload
	}
	return nil
}

// deliver calls the sink, turning a panic into an error.
func deliver(ctx context.Context, s action.Sink, n action.Notification) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Deliver panicked: %v", r)
		}
	}()
	return s.Deliver(ctx, n)
}

// expected is one notification and the payload the backend must receive
// for it.
type expected struct {
	n       action.Notification
	payload string
}

func expect(h *Harness, ns []action.Notification) ([]expected, error) {
	out := make([]expected, len(ns))
	for i, n := range ns {
		p, err := h.Payload(n)
		if err != nil {
			return nil, fmt.Errorf("sinktest: the harness's Payload fails for the notification of %q: %w", n.Transition.AlarmName, err)
		}
		out[i] = expected{n, p}
	}
	return out, nil
}

// received compares what the backend accepted with want, in order or not.
func received(h *Harness, want []expected, ordered bool) error {
	got := h.Received()
	var errs []error
	if len(got) != len(want) {
		errs = append(errs, fmt.Errorf("the backend accepted %d requests, want %d (one per notification)", len(got), len(want)))
	}
	if !ordered {
		// Match each wanted payload to one delivery.
		left := slices.Clone(got)
		for _, w := range want {
			i := slices.IndexFunc(left, func(d Delivery) bool { return d.Payload == w.payload && (d.Key == "" || d.Key == w.n.Key) })
			if i < 0 {
				errs = append(errs, fmt.Errorf("the backend never received the payload of key %q", w.n.Key))
				continue
			}
			left = slices.Delete(left, i, i+1)
		}
		return joinFew(errs)
	}
	for i := range min(len(got), len(want)) {
		if got[i].Payload != want[i].payload {
			errs = append(errs, fmt.Errorf("request %d: the backend received %s, want the notification's payload %s", i+1, short(got[i].Payload), short(want[i].payload)))
		}
		if got[i].Key != "" && got[i].Key != want[i].n.Key {
			errs = append(errs, fmt.Errorf("request %d: the backend saw the idempotency key %q, want %q", i+1, got[i].Key, want[i].n.Key))
		}
	}
	return joinFew(errs)
}

// joinFew joins the first few errors and says how many more there are.
func joinFew(errs []error) error {
	const few = 5
	if len(errs) > few+1 {
		errs = append(errs[:few:few], fmt.Errorf("and %d more", len(errs)-few))
	}
	return errors.Join(errs...)
}

func short(s string) string {
	if len(s) > 120 {
		return fmt.Sprintf("%q... (%d bytes)", s[:120], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// checkDeliver delivers each of the kit's notifications in turn.
func checkDeliver(h *Harness) error {
	want, err := expect(h, Notifications(h.ARN))
	if err != nil {
		return err
	}
	var errs []error
	for _, w := range want {
		if err := deliver(context.Background(), h.Sink, w.n); err != nil {
			errs = append(errs, fmt.Errorf("delivering the notification of %q: %w", w.n.Transition.AlarmName, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return received(h, want, true)
}

// checkCanceled delivers with a context canceled beforehand.
func checkCanceled(h *Harness) error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := Notifications(h.ARN)[0]
	start := time.Now()
	err := deliver(ctx, h.Sink, n)
	var errs []error
	switch {
	case err == nil:
		errs = append(errs, errors.New("Deliver with a canceled context returned nil, want an error"))
	case !errors.Is(err, context.Canceled):
		errs = append(errs, fmt.Errorf("Deliver with a canceled context returned %q, which does not match context.Canceled", err))
	}
	if d := time.Since(start); d > Prompt {
		errs = append(errs, fmt.Errorf("Deliver with a canceled context took %v, more than %v", d, Prompt))
	}
	if got := h.Received(); len(got) > 0 {
		errs = append(errs, fmt.Errorf("the backend received %d requests from a delivery whose context was canceled before it began, want none", len(got)))
	}
	return errors.Join(errs...)
}

// checkDeadline delivers with a deadline that expires while the backend
// holds the request.
func checkDeadline(h *Harness) error {
	resume := h.Stall()
	defer resume()
	const deadline = 50 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	n := Notifications(h.ARN)[0]
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- deliver(ctx, h.Sink, n) }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return errors.New("Deliver returned nil while the backend held the request past the deadline, want an error")
		case !errors.Is(err, context.DeadlineExceeded):
			return fmt.Errorf("Deliver past its deadline returned %q, which does not match context.DeadlineExceeded", err)
		}
		return nil
	case <-time.After(deadline + Prompt):
		return fmt.Errorf("Deliver had not returned %v after its deadline of %v, while the backend held the request", time.Since(start)-deadline, deadline)
	}
}

// checkConcurrent delivers distinct notifications from many goroutines.
func checkConcurrent(h *Harness) error {
	const goroutines, each = 8, 4
	base := Notifications(h.ARN)
	var ns []action.Notification
	for i := range goroutines * each {
		ns = append(ns, withKey(base[i%len(base)], fmt.Sprintf("%s/concurrent-%d", base[i%len(base)].Key, i)))
	}
	want, err := expect(h, ns)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(ns))
	for g := range goroutines {
		wg.Go(func() {
			for i := g; i < len(ns); i += goroutines {
				if err := deliver(context.Background(), h.Sink, ns[i]); err != nil {
					errc <- fmt.Errorf("delivering key %q: %w", ns[i].Key, err)
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return received(h, want, false)
}

// checkMalformed delivers notifications that cannot be delivered: the
// sink must report an error (never panic), and send nothing.
func checkMalformed(h *Harness) error {
	good := Notifications(h.ARN)[0]
	noConfig := good
	noConfig.Transition.MetricAlarm = nil
	badArn := good
	badArn.Transition.AlarmArn = "not an alarm ARN"
	var errs []error
	for _, c := range []struct {
		what string
		n    action.Notification
	}{
		{"a zero Notification", action.Notification{}},
		{"a transition without configuration", noConfig},
		{"a transition whose AlarmArn is not an alarm's", badArn},
	} {
		if _, perr := h.Payload(c.n); perr == nil {
			continue // the sink's payload does not depend on what is missing
		}
		if err := deliver(context.Background(), h.Sink, c.n); err == nil {
			errs = append(errs, fmt.Errorf("Deliver of %s returned nil, want an error (its payload cannot be built)", c.what))
		} else if strings.HasPrefix(err.Error(), "Deliver panicked") {
			errs = append(errs, fmt.Errorf("Deliver of %s: %w", c.what, err))
		}
	}
	if got := h.Received(); len(got) > 0 {
		errs = append(errs, fmt.Errorf("the backend received %d requests for notifications that cannot be delivered, want none", len(got)))
	}
	return errors.Join(errs...)
}

// errBackend is the failure the kit makes the backend return.
var errBackend = errors.New("sinktest: the backend is failing on purpose")

// checkBackendError makes the backend fail, then delivers again.
func checkBackendError(h *Harness) error {
	want, err := expect(h, Notifications(h.ARN)[:1])
	if err != nil {
		return err
	}
	h.Fail(errBackend)
	var errs []error
	if err := deliver(context.Background(), h.Sink, want[0].n); err == nil {
		errs = append(errs, errors.New("Deliver returned nil while the backend failed every request, want an error"))
	} else if strings.HasPrefix(err.Error(), "Deliver panicked") {
		errs = append(errs, err)
	}
	if got := h.Received(); len(got) > 0 {
		errs = append(errs, fmt.Errorf("the backend accepted %d requests while failing them all", len(got)))
	}
	h.Fail(nil)
	if err := deliver(context.Background(), h.Sink, want[0].n); err != nil {
		errs = append(errs, fmt.Errorf("a retry after the backend recovered: %w", err))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return received(h, want, true)
}

// checkIdempotent delivers one notification many times, in turn and
// concurrently, and another with the same payload under another key.
func checkIdempotent(h *Harness) error {
	n := Notifications(h.ARN)[0]
	other := withKey(n, n.Key+"/another-action")
	want, err := expect(h, []action.Notification{n, other})
	if err != nil {
		return err
	}
	var errs []error
	for range 3 {
		if err := deliver(context.Background(), h.Sink, n); err != nil {
			errs = append(errs, err)
		}
	}
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			if err := deliver(context.Background(), h.Sink, n); err != nil {
				errc <- err
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		errs = append(errs, fmt.Errorf("a repeated delivery: %w", err))
	}
	if err := deliver(context.Background(), h.Sink, other); err != nil {
		errs = append(errs, fmt.Errorf("the same payload under another key: %w", err))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return received(h, want, true)
}

func withKey(n action.Notification, key string) action.Notification {
	n.Key = key
	return n
}

// Notifications returns the notifications the kit delivers to a sink of
// the action arn: a metric alarm entering each state, a metric-math
// alarm, a composite alarm after a child's transition and after
// SetAlarmState, an alarm named in Japanese and one whose name is 255
// characters long. Their alarms are in arn's Region and account (or
// us-east-1 and 123456789012 when arn has none); their idempotency keys
// are the engine's.
func Notifications(arn string) []action.Notification {
	target, err := alarm.ParseActionARN(arn)
	if err != nil {
		return nil
	}
	region, account := target.Region, target.Account
	if region == "" {
		region = "us-east-1"
	}
	if account == "" {
		account = "123456789012"
	}
	prefix := "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:"
	at := time.Date(2025, 9, 16, 16, 59, 17, 131e6, time.UTC)
	metricAlarm := func(name string, from, to alarm.State, reason string) klaxon.Transition {
		return klaxon.Transition{
			AlarmName: name, AlarmArn: prefix + name, AlarmType: klaxon.MetricAlarmType, From: from, To: to,
			At: at, Reason: reason, PreviousAt: at.Add(-time.Hour), PreviousReason: klaxon.InitialReason,
			ConfigUpdated: at.Add(-2 * time.Hour), ActionsEnabled: true,
			MetricAlarm: &alarm.Config{AlarmName: name, AlarmDescription: "sinktest",
				OKActions: []string{arn}, AlarmActions: []string{arn}, InsufficientDataActions: []string{arn},
				Namespace: "App", MetricName: "Latency", Statistic: "Average",
				Dimensions: []metric.Dimension{{Name: "Service", Value: "checkout"}},
				Period:     60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 250, Unit: "Milliseconds",
				ComparisonOperator: alarm.GreaterThanThreshold, TreatMissingData: alarm.MissingDataBreaching},
		}
	}
	breach := "Threshold Crossed: 2 out of the last 3 datapoints [312.5 (16/09/25 16:58:00), 290.0 (16/09/25 16:57:00)] were greater than the threshold (250.0) (minimum 2 datapoints for OK -> ALARM transition)."
	long := strings.Repeat("long-alarm-name-", 16)[:255]
	math := metricAlarm("math", alarm.StateOK, alarm.StateAlarm, breach)
	math.MetricAlarm = &alarm.Config{AlarmName: "math", AlarmActions: []string{arn}, EvaluationPeriods: 1,
		ComparisonOperator: alarm.GreaterThanUpperThreshold, ThresholdMetricId: "ad1",
		Metrics: []alarm.MetricDataQuery{
			{Id: "m1", MetricStat: &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "App", MetricName: "Latency"}, Period: 60, Stat: "p99"}},
			{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)"},
		}}
	child := prefix + "latency"
	compositeAlarm := func(name string, reason, data string) klaxon.Transition {
		return klaxon.Transition{
			AlarmName: name, AlarmArn: prefix + name, AlarmType: klaxon.CompositeAlarmType,
			From: alarm.StateOK, To: alarm.StateAlarm, At: at, Reason: reason, ReasonData: data,
			PreviousAt: at.Add(-time.Hour), PreviousReason: composite.CreatedReason(prefix+name, alarm.StateOK),
			ActionsEnabled: true,
			CompositeAlarm: &composite.Config{AlarmName: name, AlarmRule: "ALARM(latency) OR ALARM(errors)",
				AlarmActions: []string{arn}, OKActions: []string{arn}},
		}
	}
	ts := []klaxon.Transition{
		metricAlarm("latency", alarm.StateOK, alarm.StateAlarm, breach),
		metricAlarm("latency", alarm.StateAlarm, alarm.StateOK, "Threshold Crossed: 2 out of the last 3 datapoints [120.0 (16/09/25 16:58:00), 110.0 (16/09/25 16:57:00)] were not greater than the threshold (250.0) (minimum 2 datapoints for ALARM -> OK transition)."),
		metricAlarm("latency", alarm.StateOK, alarm.StateInsufficientData, "Insufficient Data: 3 datapoints were unknown."),
		math,
		compositeAlarm("service", composite.ChildReason(child, alarm.StateAlarm, at),
			composite.ReasonData(composite.TriggeringAlarm{ARN: child, State: alarm.StateAlarm, Timestamp: at})),
		compositeAlarm("service-by-hand", "set by hand", ""),
		metricAlarm("レイテンシー \"高\"", alarm.StateOK, alarm.StateAlarm, breach),
		metricAlarm(long, alarm.StateOK, alarm.StateAlarm, breach),
	}
	ns := make([]action.Notification, len(ts))
	for i, t := range ts {
		t.At = t.At.Add(time.Duration(i) * time.Minute) // one alarm's transitions come at different times
		// The key as the engine makes it: alarm ARN, time, action ARN.
		key := t.AlarmArn + "/" + string(cwfmt.AppendTime(nil, t.At, cwfmt.JSONTime)) + "/" + arn
		ns[i] = action.Notification{Action: klaxon.Action{ARN: arn, Key: key, Transition: t}, Target: target}
	}
	return ns
}
