package composite

import (
	"strconv"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
)

// SuppressedBy says why a composite alarm's actions are held: CloudWatch's
// ActionsSuppressedBy. Its zero value, NotSuppressed, means they are not.
type SuppressedBy uint8

const (
	NotSuppressed               SuppressedBy = iota // actions run; CloudWatch leaves ActionsSuppressedBy out
	SuppressedByWaitPeriod                          // the composite changed state; the suppressor may still reach ALARM
	SuppressedByExtensionPeriod                     // the suppressor left ALARM; the composite may still return to OK
	SuppressedByAlarm                               // the suppressor is in ALARM
)

var suppressedByNames = [...]string{"", "WaitPeriod", "ExtensionPeriod", "Alarm"}

// String returns CloudWatch's value of ActionsSuppressedBy: "WaitPeriod",
// "ExtensionPeriod" or "Alarm"; "" for NotSuppressed.
func (s SuppressedBy) String() string {
	if int(s) < len(suppressedByNames) {
		return suppressedByNames[s]
	}
	return "SuppressedBy(" + strconv.Itoa(int(s)) + ")"
}

// Reason returns ActionsSuppressedReason: "Actions suppressed by " followed
// by String ("Actions suppressed by WaitPeriod"); "" for NotSuppressed.
func (s SuppressedBy) Reason() string {
	if s == NotSuppressed {
		return ""
	}
	return "Actions suppressed by " + s.String()
}

// A Suppression is the action-suppression state of one composite alarm
// that has an ActionsSuppressor. It is a pure state machine: every event
// takes the time at which it happens, and nothing reads a clock or starts
// a goroutine. A Suppression is not safe for concurrent use.
//
// The events are CompositeChanged (the composite alarm changed state),
// SuppressorChanged (the suppressor alarm changed state), Advance (time
// passed) and Replace (a configuration update replaced the suppressor).
// The first three return whether the actions for the composite's current
// state must run now, and when the running WaitPeriod or ExtensionPeriod
// ends (zero when none runs): the caller calls Advance at that time.
// Events must come in time order, and Advance must be called at each end
// before any later event.
//
// The rules:
//   - A composite transition holds its actions. With the suppressor in
//     ALARM they are suppressed by Alarm; otherwise a WaitPeriod starts (a
//     running WaitPeriod or ExtensionPeriod is discarded). With a
//     WaitPeriod of zero the actions run at once.
//   - The suppressor entering ALARM discards any WaitPeriod or
//     ExtensionPeriod: actions are suppressed by Alarm.
//   - The suppressor leaving ALARM (to OK or INSUFFICIENT_DATA) starts an
//     ExtensionPeriod; with an ExtensionPeriod of zero, suppression ends at
//     once.
//   - When a WaitPeriod or ExtensionPeriod ends, suppression ends, and if a
//     composite transition's actions were held, the actions for the
//     composite's current state run (once, however many transitions there
//     were).
//   - Replacing the suppressor discards any WaitPeriod or ExtensionPeriod
//     and the actions they held.
type Suppression struct {
	wait, extension time.Duration
	by              SuppressedBy
	end             time.Time // end of the WaitPeriod or ExtensionPeriod; zero otherwise
	pending         bool      // actions of a composite transition are held
}

// NewSuppression returns the state of a composite alarm with a suppressor
// and the given WaitPeriod and ExtensionPeriod (a negative one counts as
// zero), whose suppressor is in state suppressor: suppressed by Alarm when
// it is in ALARM, else not suppressed.
func NewSuppression(wait, extension time.Duration, suppressor alarm.State) *Suppression {
	s := &Suppression{}
	s.Replace(wait, extension, suppressor)
	return s
}

// By returns why actions are held (CloudWatch's ActionsSuppressedBy);
// By().Reason() is ActionsSuppressedReason.
func (s *Suppression) By() SuppressedBy { return s.by }

// End returns when the running WaitPeriod or ExtensionPeriod ends; zero
// when none runs.
func (s *Suppression) End() time.Time { return s.end }

// Pending reports whether a composite transition's actions are held.
func (s *Suppression) Pending() bool { return s.pending }

// CompositeChanged records that the composite alarm changed state at now,
// while its suppressor was in state suppressor.
func (s *Suppression) CompositeChanged(now time.Time, suppressor alarm.State) (act bool, next time.Time) {
	switch {
	case suppressor == alarm.StateAlarm:
		s.set(SuppressedByAlarm, time.Time{}, true)
	case s.wait <= 0:
		s.set(NotSuppressed, time.Time{}, false)
		return true, time.Time{}
	default:
		s.set(SuppressedByWaitPeriod, now.Add(s.wait), true)
	}
	return false, s.end
}

// SuppressorChanged records that the suppressor alarm entered state
// suppressor at now.
func (s *Suppression) SuppressorChanged(now time.Time, suppressor alarm.State) (act bool, next time.Time) {
	switch {
	case suppressor == alarm.StateAlarm:
		s.set(SuppressedByAlarm, time.Time{}, s.pending)
	case s.by != SuppressedByAlarm:
		// A change between OK and INSUFFICIENT_DATA changes nothing.
	case s.extension <= 0:
		act = s.pending
		s.set(NotSuppressed, time.Time{}, false)
	default:
		s.set(SuppressedByExtensionPeriod, now.Add(s.extension), s.pending)
	}
	return act, s.end
}

// Advance lets time pass until now. If the running WaitPeriod or
// ExtensionPeriod ends at or before now, suppression ends and act reports
// whether actions were held: the caller then runs the actions for the
// composite's current state.
func (s *Suppression) Advance(now time.Time) (act bool, next time.Time) {
	if (s.by == SuppressedByWaitPeriod || s.by == SuppressedByExtensionPeriod) && !now.Before(s.end) {
		act = s.pending
		s.set(NotSuppressed, time.Time{}, false)
	}
	return act, s.end
}

// Replace records a configuration update that replaced the suppressor (or
// its periods): any WaitPeriod or ExtensionPeriod is discarded with the
// actions it held, and the new suppressor, in state suppressor, applies
// with the new periods.
func (s *Suppression) Replace(wait, extension time.Duration, suppressor alarm.State) {
	s.wait, s.extension = max(wait, 0), max(extension, 0)
	if suppressor == alarm.StateAlarm {
		s.set(SuppressedByAlarm, time.Time{}, false)
	} else {
		s.set(NotSuppressed, time.Time{}, false)
	}
}

// set performs every change of the suppression state.
func (s *Suppression) set(by SuppressedBy, end time.Time, pending bool) {
	s.by, s.end, s.pending = by, end, pending
}
