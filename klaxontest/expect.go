package klaxontest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
)

// The expectations compare what happened so far with what the test
// wants. Each reports a mismatch with t.Errorf, as a -want +got diff of
// timeline lines, and returns whether it held; a want line it cannot read
// ends the test with t.Fatalf, naming the line, the column and the form.

// ExpectTransitions checks every transition so far, in order, against
// want lines of the form
//
//	TIME ALARM OLD -> NEW ["REASON"]
//
// such as `00:05 p99 OK -> ALARM`. TIME is the transition's time: 15:04
// (15:04:05 off the minute) for the first such time at or after the
// start, or 2006-01-02T15:04. A reason, in Go quotes, must match exactly;
// without one, any reason matches. Timeline prints the lines with their
// reasons, ready to paste.
func (s *Scenario) ExpectTransitions(want ...string) bool {
	s.tb.Helper()
	ws := make([]wantTransition, len(want))
	for i, l := range want {
		w, err := s.parseTransition(i+1, l)
		if err != nil {
			s.tb.Fatalf("ExpectTransitions: %v", err)
		}
		ws[i] = w
	}
	got := s.Transitions()
	pairs := align(len(ws), len(got), func(i, j int) bool {
		w, g := &ws[i], &got[j]
		return w.at.Equal(g.At) && w.name == g.AlarmName && w.from == g.From && w.to == g.To && (!w.hasReason || w.reason == g.Reason)
	})
	if matched(pairs) {
		return true
	}
	byTime(pairs, func(side, i int) time.Time {
		if side == 0 {
			return ws[i].at
		}
		return got[i].At
	})
	var b strings.Builder
	b.WriteString("transitions (-want +got):\n")
	for _, p := range pairs {
		switch {
		case p[0] >= 0 && p[1] >= 0:
			b.WriteString("  " + s.transitionText(&got[p[1]], ws[p[0]].hasReason) + "\n")
		case p[0] >= 0:
			b.WriteString("- " + s.wantTransitionText(&ws[p[0]]) + "\n")
		default:
			b.WriteString("+ " + s.transitionText(&got[p[1]], true) + "\n")
		}
	}
	s.report(&b)
	return false
}

// ExpectStates checks the states an alarm entered so far, in order, from
// its initial INSUFFICIENT_DATA: "OK ALARM OK" is an alarm that became
// OK, then ALARM, then OK again ("OK -> ALARM -> OK" reads the same; ""
// is an alarm that never left INSUFFICIENT_DATA). It is the short form of
// ExpectTransitions for one alarm, without the times.
func (s *Scenario) ExpectStates(alarmName, states string) bool {
	s.tb.Helper()
	if _, ok := s.alarms[alarmName]; !ok {
		s.tb.Fatalf("ExpectStates(%q, %q): no alarm %q in the scenario (%s)", alarmName, states, alarmName, s.alarmList())
	}
	var want []alarm.State
	for _, f := range strings.Fields(states) {
		if f == "->" {
			continue
		}
		st, err := alarm.ParseState(f)
		if err != nil {
			s.tb.Fatalf("ExpectStates(%q, %q): %q is not a state: OK, ALARM or INSUFFICIENT_DATA", alarmName, states, f)
		}
		want = append(want, st)
	}
	var got []klaxon.Transition
	for _, t := range s.Transitions() {
		if t.AlarmName == alarmName {
			got = append(got, t)
		}
	}
	pairs := align(len(want), len(got), func(i, j int) bool { return want[i] == got[j].To })
	if matched(pairs) {
		return true
	}
	interleave(pairs)
	width := 0
	for _, p := range pairs {
		if p[0] >= 0 {
			width = max(width, len(want[p[0]].String()))
		} else {
			width = max(width, len(got[p[1]].To.String()))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "states of %s (-want +got):\n", nameText(alarmName))
	for _, p := range pairs {
		switch {
		case p[0] >= 0 && p[1] >= 0:
			fmt.Fprintf(&b, "  %-*s  %s\n", width, want[p[0]], s.changeText(&got[p[1]]))
		case p[0] >= 0:
			fmt.Fprintf(&b, "- %s\n", want[p[0]])
		default:
			fmt.Fprintf(&b, "+ %-*s  %s\n", width, got[p[1]].To, s.changeText(&got[p[1]]))
		}
	}
	s.report(&b)
	return false
}

// changeText writes a transition without its alarm's name.
func (s *Scenario) changeText(t *klaxon.Transition) string {
	return s.clockText(t.At) + " " + t.From.String() + " -> " + t.To.String() + " " + strconv.Quote(t.Reason)
}

// ExpectStatesAt checks the state of alarms at times the scenario has
// run to, with want lines of the form
//
//	TIME ALARM STATE
//
// such as `00:06 p99 ALARM`: the state after every evaluation at or
// before TIME (see StateAt).
func (s *Scenario) ExpectStatesAt(want ...string) bool {
	s.tb.Helper()
	ws := make([]wantState, len(want))
	for i, l := range want {
		w, err := s.parseStateLine(i+1, l)
		if err != nil {
			s.tb.Fatalf("ExpectStatesAt: %v", err)
		}
		ws[i] = w
	}
	ok := true
	var b strings.Builder
	b.WriteString("states (-want +got):\n")
	for i, w := range ws {
		st, t, err := s.stateAt(w.name, w.at)
		if err != nil {
			s.tb.Fatalf("ExpectStatesAt: want line %d %q: %v", i+1, want[i], err)
		}
		line := s.clockText(w.at) + " " + nameText(w.name) + " "
		if st == w.state {
			b.WriteString("  " + line + st.String() + "\n")
			continue
		}
		ok = false
		since := "since its creation at " + s.clockText(s.alarms[w.name].created)
		if t != nil {
			since = "since " + s.clockText(t.At) + ": " + strconv.Quote(t.Reason)
		}
		b.WriteString("- " + line + w.state.String() + "\n")
		b.WriteString("+ " + line + st.String() + " (" + since + ")\n")
	}
	if ok {
		return true
	}
	s.report(&b)
	return false
}

// NeverEntersAlarm checks that none of the named alarms (every alarm of
// the scenario, when none is named) entered ALARM so far; the diff shows
// each transition into ALARM as unwanted.
func (s *Scenario) NeverEntersAlarm(alarmNames ...string) bool {
	s.tb.Helper()
	names := alarmNames
	if len(names) == 0 {
		names = s.names
	}
	for _, n := range names {
		if _, ok := s.alarms[n]; !ok {
			s.tb.Fatalf("NeverEntersAlarm: no alarm %q in the scenario (%s)", n, s.alarmList())
		}
	}
	var b strings.Builder
	entered := false
	for _, t := range s.Transitions() {
		if t.To == alarm.StateAlarm && slices.Contains(names, t.AlarmName) {
			if !entered {
				quoted := make([]string, len(names))
				for i, n := range names {
					quoted[i] = nameText(n)
				}
				fmt.Fprintf(&b, "transitions to ALARM of %s (-want +got):\n", strings.Join(quoted, ", "))
				entered = true
			}
			b.WriteString("+ " + s.transitionText(&t, true) + "\n")
		}
	}
	if !entered {
		return true
	}
	s.report(&b)
	return false
}

// ExpectActions checks every action that ran so far, in order (see
// Actions), against want lines of the form
//
//	TIME ALARM STATE ARN
//
// such as `00:05 p99 ALARM arn:aws:sns:us-east-1:123456789012:pager`:
// the time and new state of the transition the action is for, and the
// action's ARN.
func (s *Scenario) ExpectActions(want ...string) bool {
	s.tb.Helper()
	ws := make([]wantAction, len(want))
	for i, l := range want {
		w, err := s.parseAction(i+1, l)
		if err != nil {
			s.tb.Fatalf("ExpectActions: %v", err)
		}
		ws[i] = w
	}
	got := s.Actions()
	pairs := align(len(ws), len(got), func(i, j int) bool {
		w, g := &ws[i], &got[j]
		return w.at.Equal(g.Transition.At) && w.name == g.Transition.AlarmName && w.state == g.Transition.To && w.arn == g.ARN
	})
	if matched(pairs) {
		return true
	}
	byTime(pairs, func(side, i int) time.Time {
		if side == 0 {
			return ws[i].at
		}
		return got[i].Transition.At
	})
	var b strings.Builder
	b.WriteString("actions (-want +got):\n")
	for _, p := range pairs {
		switch {
		case p[0] >= 0 && p[1] >= 0:
			b.WriteString("  " + s.actionText(&got[p[1]]) + "\n")
		case p[0] >= 0:
			w := ws[p[0]]
			b.WriteString("- " + s.clockText(w.at) + " " + nameText(w.name) + " " + w.state.String() + " " + w.arn + "\n")
		default:
			b.WriteString("+ " + s.actionText(&got[p[1]]) + "\n")
		}
	}
	s.report(&b)
	return false
}

func (s *Scenario) actionText(a *klaxon.Action) string {
	t := &a.Transition
	return s.clockText(t.At) + " " + nameText(t.AlarmName) + " " + t.To.String() + " " + a.ARN
}

// matched reports whether every pair of an alignment has both sides.
func matched(pairs [][2]int) bool {
	for _, p := range pairs {
		if p[0] < 0 || p[1] < 0 {
			return false
		}
	}
	return true
}

// report fails the test with the message in b.
func (s *Scenario) report(b *strings.Builder) {
	s.tb.Helper()
	if !s.ran {
		b.WriteString("(the scenario has not run: call Run or Advance before expecting)\n")
	}
	s.tb.Errorf("%s", strings.TrimSuffix(b.String(), "\n"))
}
