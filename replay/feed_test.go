package replay

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestHistoryFeedDays: a day of history is handed over once the replay has
// evaluated the day's end (an item at midnight is the next day's), and
// finish hands over the rest up to the last evaluation's day.
func TestHistoryFeedDays(t *testing.T) {
	d0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	h := &historyFeed{days: make(chan time.Time, 10), next: d0}
	handed := func() (out []string) {
		for {
			select {
			case d := <-h.days:
				out = append(out, d.Format("01-02"))
			default:
				return out
			}
		}
	}
	for _, tt := range []struct {
		t    time.Time
		want []string
		why  string
	}{
		{d0.Add(23*time.Hour + 59*time.Minute), nil, "the first day is not over"},
		{d0.Add(24 * time.Hour), []string{"05-01"}, "the evaluation at midnight ends it"},
		{d0.Add(24*time.Hour + time.Minute), nil, "each day once"},
		{d0.Add(72*time.Hour + time.Minute), []string{"05-02", "05-03"}, "two days passed in one step"},
	} {
		h.passed(tt.t)
		if diff := cmp.Diff(tt.want, handed()); diff != "" {
			t.Errorf("%s: days handed over at %s (-want +got):\n%s", tt.why, tt.t.Format(time.RFC3339), diff)
		}
	}
	h.done = make(chan error, 1)
	h.cancel = func() {}
	go func() {
		var got []string
		for d := range h.days {
			got = append(got, d.Format("01-02"))
		}
		if diff := cmp.Diff([]string{"05-04", "05-05"}, got); diff != "" {
			t.Errorf("finish handed over (-want +got):\n%s", diff)
		}
		h.done <- nil
	}()
	if err := h.finish(d0.Add(4*24*time.Hour+time.Hour), nil); err != nil {
		t.Fatal(err)
	}
}

// TestBlocks: values collected across several blocks come back in order,
// in one slice; none is nil.
func TestBlocks(t *testing.T) {
	var b blocks[int]
	if got := b.all(); got != nil {
		t.Errorf("no values: %v, want nil", got)
	}
	var want []int
	for i := range 2*blockSize + 5 {
		b.add(i)
		want = append(want, i)
	}
	if diff := cmp.Diff(want, b.all()); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if got := b.all(); got != nil {
		t.Errorf("after all: %v, want nothing left", got)
	}
}
