package composite

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
)

// Timelines are in units of one minute from t0, with the documentation's
// WaitPeriod of 2 units and ExtensionPeriod of 3.
var (
	t0   = time.Date(2022, 7, 22, 15, 0, 0, 0, time.UTC)
	unit = time.Minute
)

func at(u int) time.Time { return t0.Add(time.Duration(u) * unit) }

// The events of a timeline.
type event uint8

const (
	composite  event = iota // the composite changes state; sup is the suppressor's state
	suppressor              // the suppressor enters state sup
	advance                 // time passes
	replace                 // the suppressor is replaced by one in state sup
)

// step is one event of a timeline and what must follow it.
type step struct {
	at      int
	ev      event
	sup     alarm.State
	act     bool // the actions for the composite's current state run now
	next    int  // when the running period ends; -1 when none
	by      SuppressedBy
	pending bool
}

// outcome is what a step produced, for cmp.
type outcome struct {
	Act     bool
	Next    int
	End     int
	By      string
	Pending bool
}

func units(t time.Time) int {
	if t.IsZero() {
		return -1
	}
	return int(t.Sub(t0) / unit)
}

var suppressionTests = []struct {
	name       string
	wait, ext  int // in units
	initial    alarm.State
	steps      []step
	why        string
	documented bool
}{
	{name: "1 wait period runs out", wait: 2, ext: 3, initial: O, documented: true, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: advance, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 4, ev: advance, act: true, next: -1},
	}, why: "composite OK->ALARM at t2, suppressor stays OK: W runs t2-t4, at t4 the ALARM actions run"},
	{name: "2 suppressor alarms during wait", wait: 2, ext: 3, initial: O, documented: true, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: suppressor, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 4, ev: advance, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 20, ev: advance, next: -1, by: SuppressedByAlarm, pending: true},
	}, why: "suppressor OK->ALARM at t3: W is discarded, actions are suppressed by Alarm"},
	{name: "3 composite changes again during wait", wait: 2, ext: 3, initial: O, documented: true, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: composite, sup: O, next: 5, by: SuppressedByWaitPeriod, pending: true},
		{at: 4, ev: advance, next: 5, by: SuppressedByWaitPeriod, pending: true},
		{at: 5, ev: advance, act: true, next: -1},
	}, why: "composite ALARM->OK at t3: the first W is discarded, a new one runs t3-t5, then the actions for the current state (OK) run once"},
	{name: "4 suppressor already in alarm", wait: 2, ext: 3, initial: A, documented: true, steps: []step{
		{at: 0, ev: advance, next: -1, by: SuppressedByAlarm},
		{at: 2, ev: composite, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 4, ev: advance, next: -1, by: SuppressedByAlarm, pending: true},
	}, why: "composite OK->ALARM at t2 with the suppressor in ALARM: suppressed by Alarm at once, no W"},
	{name: "5 extension period after the suppressor recovers", wait: 2, ext: 3, initial: O, documented: true, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: suppressor, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 6, ev: suppressor, sup: O, next: 9, by: SuppressedByExtensionPeriod, pending: true},
		{at: 8, ev: advance, next: 9, by: SuppressedByExtensionPeriod, pending: true},
		{at: 9, ev: advance, act: true, next: -1},
	}, why: "suppressor ALARM at t3 (W discarded), OK at t6: E runs t6-t9, after E the actions run"},
	{name: "6 composite changes during extension", wait: 2, ext: 3, initial: O, documented: true, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: suppressor, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 6, ev: suppressor, sup: O, next: 9, by: SuppressedByExtensionPeriod, pending: true},
		{at: 7, ev: composite, sup: O, next: 9, by: SuppressedByWaitPeriod, pending: true},
		{at: 9, ev: advance, act: true, next: -1},
	}, why: "composite ALARM->OK at t7: E is discarded, a new W runs t7-t9, after W the actions (for OK) run (current doc; the 2023 text had E t6-t8)"},

	// Inferred rules (no documented timeline).
	{name: "extension with nothing held", wait: 2, ext: 3, initial: O, steps: []step{
		{at: 1, ev: suppressor, sup: A, next: -1, by: SuppressedByAlarm},
		{at: 2, ev: suppressor, sup: O, next: 5, by: SuppressedByExtensionPeriod},
		{at: 5, ev: advance, next: -1},
	}, why: "the composite did not change state during suppression: no action when E ends"},
	{name: "zero wait period", wait: 0, ext: 3, initial: O, steps: []step{
		{at: 2, ev: composite, sup: O, act: true, next: -1},
	}, why: "a WaitPeriod of 0 holds nothing"},
	{name: "zero extension period", wait: 2, ext: 0, initial: A, steps: []step{
		{at: 2, ev: composite, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 3, ev: suppressor, sup: O, act: true, next: -1},
	}, why: "an ExtensionPeriod of 0 ends suppression as the suppressor leaves ALARM"},
	{name: "suppressor to insufficient data", wait: 2, ext: 3, initial: A, steps: []step{
		{at: 2, ev: composite, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 3, ev: suppressor, sup: I, next: 6, by: SuppressedByExtensionPeriod, pending: true},
		{at: 4, ev: suppressor, sup: O, next: 6, by: SuppressedByExtensionPeriod, pending: true},
		{at: 6, ev: advance, act: true, next: -1},
	}, why: "leaving ALARM for INSUFFICIENT_DATA starts E; INSUFFICIENT_DATA -> OK changes nothing"},
	{name: "suppressor between ok and insufficient data during wait", wait: 2, ext: 3, initial: O, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: suppressor, sup: I, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 4, ev: advance, act: true, next: -1},
	}, why: "only ALARM suppresses"},
	{name: "suppressor alarms during extension", wait: 2, ext: 3, initial: A, steps: []step{
		{at: 2, ev: composite, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 3, ev: suppressor, sup: O, next: 6, by: SuppressedByExtensionPeriod, pending: true},
		{at: 4, ev: suppressor, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
		{at: 6, ev: advance, next: -1, by: SuppressedByAlarm, pending: true},
	}, why: "entering ALARM discards E as it discards W"},
	{name: "replaced during wait", wait: 2, ext: 3, initial: O, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: replace, sup: O, next: -1},
		{at: 4, ev: advance, next: -1},
	}, why: "replacing the suppressor discards W and the actions it held"},
	{name: "replaced by a suppressor in alarm", wait: 2, ext: 3, initial: O, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 3, ev: replace, sup: A, next: -1, by: SuppressedByAlarm},
		{at: 4, ev: composite, sup: A, next: -1, by: SuppressedByAlarm, pending: true},
	}, why: "the new suppressor is in ALARM"},
	{name: "advance early and late", wait: 2, ext: 3, initial: O, steps: []step{
		{at: 2, ev: composite, sup: O, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 1, ev: advance, next: 4, by: SuppressedByWaitPeriod, pending: true},
		{at: 30, ev: advance, act: true, next: -1},
		{at: 31, ev: advance, next: -1},
	}, why: "a time before the end changes nothing; a late Advance ends the period once"},
}

func TestSuppression(t *testing.T) {
	documented := 0
	for _, tc := range suppressionTests {
		if tc.documented {
			documented++
		}
		t.Run(tc.name, func(t *testing.T) {
			w, e := time.Duration(tc.wait)*unit, time.Duration(tc.ext)*unit
			s := NewSuppression(w, e, tc.initial)
			for i, st := range tc.steps {
				now := at(st.at)
				var act bool
				var next time.Time
				switch st.ev {
				case composite:
					act, next = s.CompositeChanged(now, st.sup)
				case suppressor:
					act, next = s.SuppressorChanged(now, st.sup)
				case advance:
					act, next = s.Advance(now)
				case replace:
					s.Replace(w, e, st.sup)
					next = s.End()
				}
				want := outcome{Act: st.act, Next: st.next, End: st.next, By: st.by.String(), Pending: st.pending}
				got := outcome{Act: act, Next: units(next), End: units(s.End()), By: s.By().String(), Pending: s.Pending()}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("step %d (t%d) mismatch (-want +got):\n%s\nwhy: %s", i, st.at, diff, tc.why)
				}
			}
		})
	}
	if documented != 6 {
		t.Errorf("%d documented timelines, want the 6 of the User Guide", documented)
	}
}

func TestSuppressedBy(t *testing.T) {
	var got [][2]string
	for _, s := range []SuppressedBy{NotSuppressed, SuppressedByWaitPeriod, SuppressedByExtensionPeriod, SuppressedByAlarm, 9} {
		got = append(got, [2]string{s.String(), s.Reason()})
	}
	want := [][2]string{
		{"", ""},
		{"WaitPeriod", "Actions suppressed by WaitPeriod"}, // as observed in EventBridge and Lambda payloads
		{"ExtensionPeriod", "Actions suppressed by ExtensionPeriod"},
		{"Alarm", "Actions suppressed by Alarm"},
		{"SuppressedBy(9)", "Actions suppressed by SuppressedBy(9)"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SuppressedBy strings mismatch (-want +got):\n%s", diff)
	}
}

func TestNewSuppressionNegativePeriods(t *testing.T) {
	s := NewSuppression(-time.Minute, -time.Minute, O)
	if act, _ := s.CompositeChanged(t0, O); !act {
		t.Errorf("a negative WaitPeriod should count as zero: actions run at once")
	}
}
