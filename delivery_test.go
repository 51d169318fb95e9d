package klaxon_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
)

// flakySink fails its first failures calls for each key, then succeeds.
type flakySink struct {
	mu       sync.Mutex
	failures int
	calls    map[string]int
	ok       map[string]int
	times    []time.Time
	clk      clock.Clock
}

func (s *flakySink) RunAction(ctx context.Context, a klaxon.Action) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls, s.ok = map[string]int{}, map[string]int{}
	}
	s.calls[a.Key]++
	s.times = append(s.times, s.clk.Now())
	if s.calls[a.Key] <= s.failures {
		return errors.New("503 Service Unavailable")
	}
	s.ok[a.Key]++
	return nil
}

// TestRetriesDeliverOnce: a sink that fails twice and then succeeds gets
// each action three times, with backoff on the engine's clock, and the
// action is recorded once, as a success; a sink that always fails ends in
// one Failed history item per action.
func TestRetriesDeliverOnce(t *testing.T) {
	for _, tt := range []struct {
		failures int
		summary  string
		why      string
	}{
		{2, "Successfully executed action arn:aws:sns:us-east-1:123456789012:pager", "two failures, then the third attempt succeeds"},
		{99, `Failed to execute action arn:aws:sns:us-east-1:123456789012:pager. Received error: "503 Service Unavailable"`, "every attempt fails: one Failed item after the last"},
	} {
		ctx := context.Background()
		clk := clock.NewMock()
		clk.Set(t0)
		sink := &flakySink{failures: tt.failures, clk: clk}
		e, err := klaxon.New(klaxon.Options{Clock: clk, Actions: sink,
			ActionRetry: klaxon.RetryPolicy{Attempts: 3, Backoff: 10 * time.Second, MaxBackoff: time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		e.PutMetricAlarm(ctx, cpuAlarm())
		e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "test", "")
		e.Advance(ctx, 2*time.Minute)
		if len(sink.calls) != 1 {
			t.Fatalf("%s: %d keys, want 1", tt.why, len(sink.calls))
		}
		for key, n := range sink.calls {
			if n != 3 || tt.failures < 3 && sink.ok[key] != 1 {
				t.Errorf("%s: %d attempts and %d successes for %s", tt.why, n, sink.ok[key], key)
			}
		}
		// Attempts at 12:00:00, then after 10 s and 20 s of backoff, plus
		// at most a quarter of jitter each; Advance runs each at its time.
		if len(sink.times) != 3 {
			t.Fatalf("%s: attempts at %v", tt.why, sink.times)
		}
		gap1, gap2 := sink.times[1].Sub(sink.times[0]), sink.times[2].Sub(sink.times[1])
		if !sink.times[0].Equal(t0) || gap1 < 10*time.Second || gap1 > 12500*time.Millisecond || gap2 < 20*time.Second || gap2 > 25*time.Second {
			t.Errorf("%s: attempts at %v, gaps %v and %v", tt.why, sink.times, gap1, gap2)
		}
		items := history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction})
		if len(items) != 1 || items[0].HistorySummary != tt.summary {
			t.Errorf("%s: Action items %+v", tt.why, items)
		}
	}
}

// blockingSink blocks every delivery until released, recording the keys
// and signalling each on delivered.
type blockingSink struct {
	release   chan struct{}
	delivered chan string
	mu        sync.Mutex
	keys      []string
}

func (s *blockingSink) RunAction(ctx context.Context, a klaxon.Action) error {
	select {
	case <-s.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	s.keys = append(s.keys, a.Key)
	s.mu.Unlock()
	s.delivered <- a.Key
	return nil
}

// recordingOutbox is a MemoryOutbox that counts what spills into it.
type recordingOutbox struct {
	klaxon.MemoryOutbox
	mu     sync.Mutex
	pushed int
}

func (o *recordingOutbox) Push(ctx context.Context, a klaxon.Action) error {
	o.mu.Lock()
	o.pushed++
	o.mu.Unlock()
	return o.MemoryOutbox.Push(ctx, a)
}

// TestSlowSinkNeverStallsEvaluation: under Run, a sink that blocks does
// not hold up evaluations or SetAlarmState; with a queue of 2, the actions
// beyond it spill into the Outbox; once the sink is released, every action
// is delivered, none lost, none twice.
func TestSlowSinkNeverStallsEvaluation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := clock.NewMock()
	clk.Set(t0)
	sink := &blockingSink{release: make(chan struct{}), delivered: make(chan string, 100)}
	ob := &recordingOutbox{}
	e, err := klaxon.New(klaxon.Options{Clock: clk, Actions: sink, ActionQueue: 2, Outbox: ob})
	if err != nil {
		t.Fatal(err)
	}
	cfg := cpuAlarm()
	cfg.OKActions = []string{"arn:aws:sns:us-east-1:123456789012:ok"}
	e.PutMetricAlarm(ctx, cfg)
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	const flips = 10
	for i := range flips {
		clk.Add(time.Second)
		state := alarm.StateAlarm
		if i%2 == 1 {
			state = alarm.StateOK
		}
		fin := make(chan error, 1)
		go func() { fin <- e.SetAlarmState(ctx, "cpu-high", state, fmt.Sprint("flip ", i), "") }()
		if err := waitFor(t, fin, "SetAlarmState while the sink blocks"); err != nil {
			t.Fatal(err)
		}
	}
	// An evaluation goes through while the sink still blocks.
	evaluated := make(chan error, 1)
	go func() { evaluated <- e.EvaluateAt(ctx, t0.Add(time.Minute)) }()
	if err := waitFor(t, evaluated, "an evaluation while the sink blocks"); err != nil {
		t.Fatal(err)
	}
	close(sink.release)
	for i := range flips {
		select {
		case <-sink.delivered:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d of %d actions delivered after the sink was released", i, flips)
		}
	}
	cancel()
	waitFor(t, done, "Run's return")
	if err := e.DeliverPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, k := range sink.keys {
		if seen[k] {
			t.Errorf("delivered twice: %s", k)
		}
		seen[k] = true
	}
	if len(seen) < flips {
		t.Errorf("%d actions delivered, want at least %d: %v", len(seen), flips, sink.keys)
	}
	if ob.pushed == 0 {
		t.Error("nothing spilled into the Outbox, although the queue holds 2")
	}
	if n := len(history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction})); n != len(sink.keys) {
		t.Errorf("%d Action items for %d deliveries", n, len(sink.keys))
	}
}

// TestAutoScalingRepeats: Auto Scaling actions run again once a minute
// while the alarm stays in the state, each with its own key; SNS actions
// do not; the repeats stop when the alarm leaves the state.
func TestAutoScalingRepeats(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(t0)
	rec := &keyRecorder{clk: clk}
	e, err := klaxon.New(klaxon.Options{Clock: clk, Actions: rec})
	if err != nil {
		t.Fatal(err)
	}
	const policy = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:id:autoScalingGroupName/web:policyName/out"
	cfg := cpuAlarm()
	cfg.AlarmActions = []string{policy, "arn:aws:sns:us-east-1:123456789012:pager"}
	cfg.TreatMissingData = alarm.MissingDataIgnore
	e.PutMetricAlarm(ctx, cfg)
	clk.Add(30 * time.Second)
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "scale", "")
	e.Advance(ctx, 3*time.Minute) // to 12:03:30
	e.SetAlarmState(ctx, "cpu-high", alarm.StateOK, "calm", "")
	e.Advance(ctx, 3*time.Minute)
	// The change at 12:00:30 runs both actions; the policy runs again at
	// the whole minutes at least a minute later (12:02, 12:03), and not
	// after the alarm left ALARM at 12:03:30.
	want := []string{
		"12:00:30 autoscaling:",
		"12:00:30 sns:",
		"12:02:00 autoscaling:/repeat/1714564920",
		"12:03:00 autoscaling:/repeat/1714564980",
	}
	if diff := cmp.Diff(want, rec.got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
}

// keyRecorder records each action as "time service:repeat-suffix".
type keyRecorder struct {
	clk  clock.Clock
	got  []string
	keys map[string]bool
}

func (r *keyRecorder) RunAction(ctx context.Context, a klaxon.Action) error {
	if r.keys == nil {
		r.keys = map[string]bool{}
	}
	if r.keys[a.Key] {
		return fmt.Errorf("key %s used twice", a.Key)
	}
	r.keys[a.Key] = true
	service := strings.Split(a.ARN, ":")[2]
	_, suffix, _ := strings.Cut(a.Key, "/repeat/")
	if suffix != "" {
		suffix = "/repeat/" + suffix
	}
	r.got = append(r.got, r.clk.Now().Format("15:04:05")+" "+service+":"+suffix)
	return nil
}

// TestSSMOnlyOnAlarm: OpsItem actions run only on entering ALARM.
func TestSSMOnlyOnAlarm(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	e, _ := newEngine(t, rec)
	const ops = "arn:aws:ssm:us-east-1:123456789012:opsitem:2"
	cfg := cpuAlarm()
	cfg.AlarmActions = []string{ops}
	cfg.OKActions = []string{ops, "arn:aws:sns:us-east-1:123456789012:ok"}
	e.PutMetricAlarm(ctx, cfg)
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "a", "")
	e.SetAlarmState(ctx, "cpu-high", alarm.StateOK, "b", "")
	want := []string{ops + " ALARM", "arn:aws:sns:us-east-1:123456789012:ok OK"}
	if diff := cmp.Diff(want, rec.arns); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// publishingRunner says what it published, as action.Router does for SNS.
type publishingRunner struct{}

func (publishingRunner) RunAction(ctx context.Context, a klaxon.Action) error { return nil }
func (publishingRunner) PublishedMessage(a klaxon.Action) string {
	return `{"default":"` + a.Transition.To.String() + `"}`
}

// TestPublishedMessageInHistory: the Action item of a published
// notification carries the message, as CloudWatch's does.
func TestPublishedMessageInHistory(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, publishingRunner{})
	e.PutMetricAlarm(ctx, cpuAlarm())
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "a", "")
	items := history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction})
	want := `{"actionState":"Succeeded","stateUpdateTimestamp":1714564800000,"notificationResource":"arn:aws:sns:us-east-1:123456789012:pager","publishedMessage":"{\"default\":\"ALARM\"}","error":null}`
	if len(items) != 1 || items[0].HistoryData != want {
		t.Errorf("Action items %+v, want HistoryData %s", items, want)
	}
}

// TestDurableOutboxDeliveredFirst: an engine given an Outbox that already
// holds actions (left by a previous engine) delivers them before its own.
func TestDurableOutboxDeliveredFirst(t *testing.T) {
	ctx := context.Background()
	ob := &klaxon.MemoryOutbox{}
	left := klaxon.Action{ARN: "arn:aws:sns:us-east-1:123456789012:pager", Key: "left-over",
		Transition: klaxon.Transition{AlarmName: "cpu-high", To: alarm.StateAlarm, At: t0.Add(-time.Hour)}}
	ob.Push(ctx, left)
	clk := clock.NewMock()
	clk.Set(t0)
	rec := &keyRecorder{clk: clk}
	e, err := klaxon.New(klaxon.Options{Clock: clk, Actions: rec, Outbox: ob})
	if err != nil {
		t.Fatal(err)
	}
	e.PutMetricAlarm(ctx, cpuAlarm())
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "a", "")
	want := []string{"12:00:00 sns:", "12:00:00 sns:"}
	if diff := cmp.Diff(want, rec.got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
	if !rec.keys["left-over"] || ob.Len() != 0 {
		t.Errorf("keys %v, %d left in the Outbox; want the left-over action delivered", rec.keys, ob.Len())
	}
}

// TestPanickingRunner: a runner that panics fails that action, with the
// panic as its error; the engine and the other actions go on.
func TestPanickingRunner(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	clk.Set(t0)
	e, err := klaxon.New(klaxon.Options{Clock: clk, ActionRetry: klaxon.RetryPolicy{Attempts: 1},
		Actions: klaxon.ActionRunnerFunc(func(ctx context.Context, a klaxon.Action) error {
			if strings.HasSuffix(a.ARN, ":pager") {
				panic("nil map")
			}
			return nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	cfg := cpuAlarm()
	cfg.AlarmActions = append(cfg.AlarmActions, "arn:aws:sns:us-east-1:123456789012:ops")
	e.PutMetricAlarm(ctx, cfg)
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "a", "")
	var got []string
	for _, it := range history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction}) {
		got = append(got, it.HistorySummary)
	}
	want := []string{
		"Successfully executed action arn:aws:sns:us-east-1:123456789012:ops",
		`Failed to execute action arn:aws:sns:us-east-1:123456789012:pager. Received error: "the action runner panicked: nil map"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Action items, newest first (-want +got):\n%s", diff)
	}
}

// TestPermanentErrorsAreNotRetried: an error that matches ErrPermanent
// fails the action at its first attempt.
func TestPermanentErrorsAreNotRetried(t *testing.T) {
	ctx := context.Background()
	calls := 0
	e, _ := newEngine(t, klaxon.ActionRunnerFunc(func(ctx context.Context, a klaxon.Action) error {
		calls++
		return fmt.Errorf("AuthorizationError: not authorized: %w", klaxon.ErrPermanent)
	}))
	e.PutMetricAlarm(ctx, cpuAlarm())
	e.SetAlarmState(ctx, "cpu-high", alarm.StateAlarm, "a", "")
	e.Advance(ctx, time.Hour)
	items := history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryAction})
	want := `Failed to execute action arn:aws:sns:us-east-1:123456789012:pager. Received error: "AuthorizationError: not authorized: the action cannot succeed"`
	if calls != 1 || len(items) != 1 || items[0].HistorySummary != want {
		t.Errorf("%d calls, items %+v; want one call and one Failed item", calls, items)
	}
}
