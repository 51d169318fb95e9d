package klaxontest

// This file writes and reads timeline lines:
//
//	TIME ALARM OLD -> NEW ["REASON"]   a transition
//	TIME ALARM STATE                   a state at a time
//	TIME ALARM STATE ARN               an action of a transition to STATE
//
// TIME is 15:04 (15:04:05 off the minute) within a day of the start, and
// 2006-01-02T15:04 otherwise; ALARM is the name, in Go quotes when it is
// empty or holds a space or a quote; REASON is in Go quotes.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
)

// clockText writes t as a timeline time.
func (s *Scenario) clockText(t time.Time) string {
	t = t.UTC()
	layout := "15:04"
	switch {
	case t.Nanosecond() != 0:
		layout = "15:04:05.999999999"
	case t.Second() != 0:
		layout = "15:04:05"
	}
	if d := t.Sub(s.start); d < 0 || d >= 24*time.Hour {
		layout = "2006-01-02T" + layout
	}
	return t.Format(layout)
}

// parseClock reads a timeline time: 15:04 or 15:04:05 is the first such
// time at or after the start; 2006-01-02T15:04[:05] and RFC 3339 are
// times of their own.
func (s *Scenario) parseClock(text string) (time.Time, bool) {
	for _, layout := range []string{"15:04", "15:04:05", "15:04:05.999999999"} {
		if c, err := time.Parse(layout, text); err == nil {
			y, m, d := s.start.Date()
			t := time.Date(y, m, d, c.Hour(), c.Minute(), c.Second(), c.Nanosecond(), time.UTC)
			if t.Before(s.start) {
				t = t.Add(24 * time.Hour)
			}
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(layout, text); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// nameText writes an alarm name as a timeline field.
func nameText(name string) string {
	if name == "" || strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '`' || !unicode.IsPrint(r) }) {
		return strconv.Quote(name)
	}
	return name
}

// transitionText writes a transition line, with its reason or without.
func (s *Scenario) transitionText(t *klaxon.Transition, reason bool) string {
	line := s.clockText(t.At) + " " + nameText(t.AlarmName) + " " + t.From.String() + " -> " + t.To.String()
	if reason {
		line += " " + strconv.Quote(t.Reason)
	}
	return line
}

// wantTransitionText writes a want line in its canonical form.
func (s *Scenario) wantTransitionText(w *wantTransition) string {
	line := s.clockText(w.at) + " " + nameText(w.name) + " " + w.from.String() + " -> " + w.to.String()
	if w.hasReason {
		line += " " + strconv.Quote(w.reason)
	}
	return line
}

// A field is one field of a line: a word, or a quoted string.
type field struct {
	text   string // unquoted
	col    int    // 1-based, in bytes
	quoted bool
}

// fields splits a line into fields: runs of non-space bytes, or Go
// quoted strings.
func fields(line string) ([]field, error) {
	var out []field
	for i := 0; i < len(line); {
		if line[i] == ' ' || line[i] == '\t' {
			i++
			continue
		}
		if line[i] == '"' || line[i] == '`' {
			q, err := strconv.QuotedPrefix(line[i:])
			if err != nil {
				return nil, fmt.Errorf("column %d: a quoted string that is not valid Go or does not end", i+1)
			}
			u, _ := strconv.Unquote(q)
			out = append(out, field{text: u, col: i + 1, quoted: true})
			i += len(q)
			continue
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		out = append(out, field{text: line[i:j], col: i + 1})
		i = j
	}
	return out, nil
}

// A wantTransition is a parsed transition line.
type wantTransition struct {
	at        time.Time
	name      string
	from, to  alarm.State
	reason    string
	hasReason bool
}

// A wantState is a parsed state line.
type wantState struct {
	at    time.Time
	name  string
	state alarm.State
}

// A wantAction is a parsed action line.
type wantAction struct {
	at    time.Time
	name  string
	state alarm.State
	arn   string
}

// The forms of the lines, for messages.
const (
	transitionForm = `TIME ALARM OLD -> NEW ["REASON"]`
	stateForm      = `TIME ALARM STATE`
	actionForm     = `TIME ALARM STATE ARN`
)

// lineError is the error of a want line.
type lineError struct {
	n    int
	line string
	col  int
	msg  string
}

func (e *lineError) Error() string {
	if e.col == 0 {
		return fmt.Sprintf("want line %d %q: %s", e.n, e.line, e.msg)
	}
	return fmt.Sprintf("want line %d %q: column %d: %s", e.n, e.line, e.col, e.msg)
}

// lineParser reads the fields of one want line, reporting the first
// problem with its column.
type lineParser struct {
	s    *Scenario
	n    int
	line string
	fs   []field
	form string
}

func (s *Scenario) newLineParser(n int, line, form string, min, max int) (*lineParser, error) {
	p := &lineParser{s: s, n: n, line: line, form: form}
	fs, err := fields(line)
	if err != nil {
		return nil, &lineError{n: n, line: line, msg: err.Error()}
	}
	if len(fs) < min || len(fs) > max {
		return nil, &lineError{n: n, line: line, msg: fmt.Sprintf("%d fields, want %d to %d: %s", len(fs), min, max, form)}
	}
	p.fs = fs
	return p, nil
}

// syntaxf reports a field that does not fit the line's form.
func (p *lineParser) syntaxf(i int, format string, args ...any) error {
	return &lineError{n: p.n, line: p.line, col: p.fs[i].col, msg: fmt.Sprintf(format, args...) + " (" + p.form + ")"}
}

// errorf reports a field that fits the form but not the scenario.
func (p *lineParser) errorf(i int, format string, args ...any) error {
	return &lineError{n: p.n, line: p.line, col: p.fs[i].col, msg: fmt.Sprintf(format, args...)}
}

func (p *lineParser) time(i int) (time.Time, error) {
	t, ok := p.s.parseClock(p.fs[i].text)
	if !ok || p.fs[i].quoted {
		return t, p.syntaxf(i, "%q is not a time: 15:04, 15:04:05 or 2006-01-02T15:04", p.fs[i].text)
	}
	return t, nil
}

func (p *lineParser) alarm(i int) (string, error) {
	name := p.fs[i].text
	if _, ok := p.s.alarms[name]; !ok {
		return "", p.errorf(i, "no alarm %q in the scenario (%s)", name, p.s.alarmList())
	}
	return name, nil
}

func (p *lineParser) state(i int) (alarm.State, error) {
	st, err := alarm.ParseState(p.fs[i].text)
	if err != nil || p.fs[i].quoted {
		return 0, p.syntaxf(i, "%q is not a state: OK, ALARM or INSUFFICIENT_DATA", p.fs[i].text)
	}
	return st, nil
}

// parseTransition reads TIME ALARM OLD -> NEW ["REASON"].
func (s *Scenario) parseTransition(n int, line string) (w wantTransition, err error) {
	p, err := s.newLineParser(n, line, transitionForm, 5, 6)
	if err != nil {
		return w, err
	}
	if w.at, err = p.time(0); err != nil {
		return w, err
	}
	if w.name, err = p.alarm(1); err != nil {
		return w, err
	}
	if w.from, err = p.state(2); err != nil {
		return w, err
	}
	if p.fs[3].text != "->" || p.fs[3].quoted {
		return w, p.syntaxf(3, "want -> between the old and the new state, got %q", p.fs[3].text)
	}
	if w.to, err = p.state(4); err != nil {
		return w, err
	}
	if len(p.fs) == 6 {
		if !p.fs[5].quoted {
			return w, p.syntaxf(5, "the reason is a quoted string")
		}
		w.reason, w.hasReason = p.fs[5].text, true
	}
	return w, nil
}

// parseStateLine reads TIME ALARM STATE.
func (s *Scenario) parseStateLine(n int, line string) (w wantState, err error) {
	p, err := s.newLineParser(n, line, stateForm, 3, 3)
	if err != nil {
		return w, err
	}
	if w.at, err = p.time(0); err != nil {
		return w, err
	}
	if w.name, err = p.alarm(1); err != nil {
		return w, err
	}
	w.state, err = p.state(2)
	return w, err
}

// parseAction reads TIME ALARM STATE ARN.
func (s *Scenario) parseAction(n int, line string) (w wantAction, err error) {
	p, err := s.newLineParser(n, line, actionForm, 4, 4)
	if err != nil {
		return w, err
	}
	if w.at, err = p.time(0); err != nil {
		return w, err
	}
	if w.name, err = p.alarm(1); err != nil {
		return w, err
	}
	if w.state, err = p.state(2); err != nil {
		return w, err
	}
	w.arn = p.fs[3].text
	return w, nil
}

// align pairs want[i] with got[j] along a longest common subsequence of
// matching entries, and returns the pairs in order, with -1 on the side
// that has no entry.
func align(nw, ng int, match func(i, j int) bool) [][2]int {
	// lcs[i][j]: the longest common subsequence of want[i:] and got[j:].
	lcs := make([][]int, nw+1)
	for i := range lcs {
		lcs[i] = make([]int, ng+1)
	}
	for i := nw - 1; i >= 0; i-- {
		for j := ng - 1; j >= 0; j-- {
			switch {
			case match(i, j):
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var out [][2]int
	i, j := 0, 0
	for i < nw || j < ng {
		switch {
		case i < nw && j < ng && match(i, j):
			out = append(out, [2]int{i, j})
			i, j = i+1, j+1
		case j == ng || i < nw && lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, [2]int{i, -1})
			i++
		default:
			out = append(out, [2]int{-1, j})
			j++
		}
	}
	return out
}

// byTime orders each gap of an alignment (the entries between two
// matches) by time, a want before a got of the same time, so that a
// diff of timelines reads as one timeline. at returns the time of want
// i (side 0) or got j (side 1).
func byTime(pairs [][2]int, at func(side, i int) time.Time) {
	key := func(p [2]int) (time.Time, int) {
		if p[0] >= 0 {
			return at(0, p[0]), 0
		}
		return at(1, p[1]), 1
	}
	orderGaps(pairs, func(a, b [2]int) bool {
		ta, sa := key(a)
		tb, sb := key(b)
		return ta.Before(tb) || ta.Equal(tb) && sa < sb
	})
}

// interleave orders each gap of an alignment as want, got, want, got,
// so that each want sits by the got in its place.
func interleave(pairs [][2]int) {
	rank := make(map[[2]int]int)
	var k [2]int // entries of each side seen in the gap
	for i, p := range pairs {
		if i > 0 && pairs[i-1][0] >= 0 && pairs[i-1][1] >= 0 {
			k = [2]int{}
		}
		side := 0
		if p[0] < 0 {
			side = 1
		}
		rank[p] = 2*k[side] + side
		k[side]++
	}
	orderGaps(pairs, func(a, b [2]int) bool { return rank[a] < rank[b] })
}

// orderGaps sorts each gap of an alignment with less.
func orderGaps(pairs [][2]int, less func(a, b [2]int) bool) {
	for i := 0; i < len(pairs); {
		if pairs[i][0] >= 0 && pairs[i][1] >= 0 {
			i++
			continue
		}
		j := i
		for j < len(pairs) && (pairs[j][0] < 0 || pairs[j][1] < 0) {
			j++
		}
		gap := pairs[i:j]
		sort.SliceStable(gap, func(x, y int) bool { return less(gap[x], gap[y]) })
		i = j
	}
}
