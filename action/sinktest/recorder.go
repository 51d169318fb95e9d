package sinktest

import (
	"context"
	"fmt"
	"sync"

	"github.com/klaxon-go/klaxon/action"
)

// A Recorder is an in-memory Sink that meets the contract: it keeps the
// payload of each notification it is given, once per idempotency key. It
// is the sink the kit's own tests run against, and a sink for tests of
// alarms: route actions to it and look at what they sent.
//
//	rec := &sinktest.Recorder{}
//	e, _ := klaxon.New(klaxon.Options{Actions: &action.Router{SNS: rec}})
//	...
//	for _, d := range rec.Received() { ... d.Payload ... }
//
// A Recorder is safe for concurrent use. Its zero value keeps the payload
// of DefaultPayload for the notification's kind of action.
type Recorder struct {
	// Payload, when set, builds what is kept for a notification.
	Payload func(n action.Notification) (string, error)

	mu      sync.Mutex
	keys    map[string]bool
	list    []Delivery
	fail    error
	stalled chan struct{} // closed by resume; nil when not stalled
}

// Deliver keeps the payload of n, unless a notification with n's key was
// kept before. It fails when ctx is done (with ctx's error), when the
// payload cannot be built, and while Fail has set an error; while
// stalled, it waits for resume or for ctx.
func (r *Recorder) Deliver(ctx context.Context, n action.Notification) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sinktest: recorder: %w", err)
	}
	payload, err := r.payload(n)
	if err != nil {
		return fmt.Errorf("sinktest: recorder: %w", err)
	}
	r.mu.Lock()
	stalled := r.stalled
	r.mu.Unlock()
	if stalled != nil {
		select {
		case <-stalled:
		case <-ctx.Done():
			return fmt.Errorf("sinktest: recorder: %w", context.Cause(ctx))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return fmt.Errorf("sinktest: recorder: %w", r.fail)
	}
	if r.keys[n.Key] {
		return nil // delivered before: the backend has it
	}
	if r.keys == nil {
		r.keys = map[string]bool{}
	}
	r.keys[n.Key] = true
	r.list = append(r.list, Delivery{Key: n.Key, Payload: payload})
	return nil
}

func (r *Recorder) payload(n action.Notification) (string, error) {
	if r.Payload != nil {
		return r.Payload(n)
	}
	f := DefaultPayload(n.Target.Kind)
	if f == nil {
		return "", fmt.Errorf("no payload for %s actions (%q): give the Recorder a Payload", n.Target.Kind, n.ARN)
	}
	return f(n)
}

// Received returns what the Recorder has kept, in the order it kept it.
func (r *Recorder) Received() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.list...)
}

// Fail makes every delivery fail with err until Fail(nil).
func (r *Recorder) Fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = err
}

// Stall makes every delivery wait until resume is called (or its context
// ends).
func (r *Recorder) Stall() (resume func()) {
	ch := make(chan struct{})
	r.mu.Lock()
	r.stalled = ch
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			if r.stalled == ch {
				r.stalled = nil
			}
			r.mu.Unlock()
			close(ch)
		})
	}
}

// Harness returns a Harness of the Recorder for the action arn ("" for
// DefaultARN), idempotent, with Fail and Stall.
func (r *Recorder) Harness(arn string) Harness {
	return Harness{Sink: r, Received: r.Received, ARN: arn, Payload: r.Payload,
		Idempotent: true, Fail: r.Fail, Stall: r.Stall}
}
