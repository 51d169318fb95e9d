package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// WriteJSON writes the history as `aws cloudwatch describe-alarm-history
// --scan-by TimestampAscending` prints it: {"AlarmHistoryItems":[...]},
// indented by four spaces like the AWS CLI, with no HTML escaping ("->"
// stays as it is). Items are written as they are rendered (see
// Result.EachHistory); an empty history is [] (never null). A replay can
// write the same as it runs instead: Options.History with a JSONWriter.
func WriteJSON(w io.Writer, res *Result) error {
	// The items are rendered in one goroutine and written in this one, in
	// batches: on two cores the two halves of the work overlap.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := make(chan []klaxon.AlarmHistoryItem, 1)
	done := make(chan error, 1)
	go func() {
		defer close(batches)
		var batch []klaxon.AlarmHistoryItem
		err := res.EachHistory(ctx, func(h klaxon.AlarmHistoryItem) error {
			if batch = append(batch, h); len(batch) == 128 {
				select {
				case batches <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = nil
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			select {
			case batches <- batch:
			case <-ctx.Done():
			}
		}
		done <- err
	}()
	jw := NewJSONWriter(w)
	for batch := range batches {
		for _, h := range batch {
			if err := jw.Item(h); err != nil {
				cancel()
				return err
			}
		}
	}
	if err := <-done; err != nil {
		return err
	}
	return jw.Close()
}

// A JSONWriter writes history items as WriteJSON does, one at a time:
// Item for each, in order, then Close. The first error of the writer is
// kept and returned by every later call.
type JSONWriter struct {
	bw   *bufio.Writer
	item []byte
	n    int
	err  error
}

// jsonHead opens the document, before the first item.
const jsonHead = "{\n    \"AlarmHistoryItems\": ["

// NewJSONWriter returns a JSONWriter that writes to w.
func NewJSONWriter(w io.Writer) *JSONWriter {
	return &JSONWriter{bw: bufio.NewWriterSize(w, 64<<10)}
}

// Item writes one history item.
func (j *JSONWriter) Item(h klaxon.AlarmHistoryItem) error {
	if j.err != nil {
		return j.err
	}
	if j.n == 0 {
		j.bw.WriteString(jsonHead)
	} else {
		j.bw.WriteString(",")
	}
	j.n++
	j.bw.WriteString("\n        ")
	j.item = appendItem(j.item[:0], &h)
	_, j.err = j.bw.Write(j.item)
	return j.err
}

// Close ends the document (an empty history is []) and flushes it.
func (j *JSONWriter) Close() error {
	if j.err != nil {
		return j.err
	}
	if j.n == 0 {
		j.bw.WriteString(jsonHead)
	} else {
		j.bw.WriteString("\n    ")
	}
	j.bw.WriteString("]\n}\n")
	j.err = j.bw.Flush()
	return j.err
}

// appendItem appends h as encoding/json writes it with WriteJSON's
// indentation (an Encoder with SetIndent("        ", "    ") and
// SetEscapeHTML(false)), without the reflection and the second pass that
// indenting takes.
func appendItem(b []byte, h *klaxon.AlarmHistoryItem) []byte {
	const member = ",\n            "
	b = append(b, "{\n            \"AlarmName\": "...)
	b = appendJSONString(b, h.AlarmName)
	b = append(b, member+`"AlarmType": `...)
	b = appendJSONString(b, h.AlarmType)
	b = append(b, member+`"Timestamp": `...)
	ts, _ := h.Timestamp.MarshalJSON() // never fails
	b = append(b, ts...)
	b = append(b, member+`"HistoryItemType": `...)
	b = appendJSONString(b, h.HistoryItemType)
	b = append(b, member+`"HistorySummary": `...)
	b = appendJSONString(b, h.HistorySummary)
	b = append(b, member+`"HistoryData": `...)
	b = appendJSONString(b, h.HistoryData)
	return append(b, "\n        }"...)
}

// appendJSONString appends s as encoding/json writes a string without
// HTML escaping. That is Jackson's escaping (cwjson.AppendString) except
// for bytes that are not UTF-8 (encoding/json writes U+FFFD) and the line
// and paragraph separators U+2028 and U+2029 (escaped), which
// encoding/json itself writes.
func appendJSONString(b []byte, s string) []byte {
	if strings.IndexByte(s, 0xE2) < 0 && utf8.ValidString(s) { // U+2028 and U+2029 begin with 0xE2
		return cwjson.AppendString(b, s)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // never fails for a string
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// alarmNames returns the names of every alarm the engine described,
// metric alarms first, in its order.
func alarmNames(res *Result) (names []string, states []alarm.State) {
	for _, a := range res.Alarms.MetricAlarms {
		names, states = append(names, a.AlarmName), append(states, a.StateValue)
	}
	for _, a := range res.Alarms.CompositeAlarms {
		names, states = append(names, a.AlarmName), append(states, a.StateValue)
	}
	return names, states
}

// WriteText writes a timeline a person can read: where the data starts
// and ends, one line per transition (time, alarm, old -> new, reason) with
// the actions that would have run under it, then a summary per alarm.
func WriteText(w io.Writer, res *Result) error {
	names, states := alarmNames(res)
	fmt.Fprintf(w, "Replay from %s to %s, every %s: %s, %s, %s that would run (a replay runs none).\n",
		res.From.Format(time.RFC3339), res.Until.Format(time.RFC3339), res.Step,
		plural(len(names), "alarm", "alarms"), plural(len(res.Transitions), "transition", "transitions"),
		plural(len(res.Actions), "action", "actions"))
	if res.Datapoints > 0 {
		fmt.Fprintf(w, "Data: %s from %s to %s.\n", plural(res.Datapoints, "datapoint", "datapoints"),
			res.First.Format(time.RFC3339), res.Last.Format(time.RFC3339))
	}
	fmt.Fprintln(w)
	if err := writeTimeline(w, res); err != nil {
		return err
	}
	if len(res.Transitions) > 0 {
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ALARM\tFINAL STATE\tTRANSITIONS\tACTIONS\tTIME IN OK\tIN ALARM\tIN INSUFFICIENT_DATA\tLONGEST ALARM")
	for i, name := range names {
		var in [3]time.Duration
		var longest time.Duration
		state, since := alarm.StateInsufficientData, res.From
		n, acts := 0, 0
		account := func(until time.Time) {
			// A composite changes state at its creation, before the first
			// evaluation: time counts from res.From.
			d := max(until.Sub(since), 0)
			in[state] += d
			if state == alarm.StateAlarm {
				longest = max(longest, d)
			}
		}
		for _, t := range res.Transitions {
			if t.AlarmName != name {
				continue
			}
			n++
			account(t.At)
			state, since = t.To, maxTime(t.At, res.From)
		}
		account(res.Until)
		for _, x := range res.Actions {
			if x.Transition.AlarmName == name {
				acts++
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", name, states[i], n, acts,
			in[alarm.StateOK], in[alarm.StateAlarm], in[alarm.StateInsufficientData], longest)
	}
	return tw.Flush()
}

// writeTimeline writes WriteText's timeline: a line per transition and one
// per action under it, in columns aligned as text/tabwriter aligns them
// (each cell padded to its column's widest, in runes, plus two spaces).
// The widths are found in a first pass, so that the lines are written as
// they go: a year's timeline is never held whole.
func writeTimeline(w io.Writer, res *Result) error {
	if len(res.Transitions) == 0 {
		return nil
	}
	var width [3]int
	var change []byte
	each := func(line func(at, name string, change []byte, last string)) {
		line("TIME", "ALARM", []byte("CHANGE"), "REASON")
		steps := 0
		for _, t := range res.Transitions {
			change = append(append(append(change[:0], t.From.String()...), " -> "...), t.To.String()...)
			line(t.At.UTC().Format(time.RFC3339), t.AlarmName, change, t.Reason)
			for ; steps < len(res.Actions) && res.Actions[steps].Transition.At.Equal(t.At) && res.Actions[steps].Transition.AlarmName == t.AlarmName; steps++ {
				line("", "", []byte("would run"), res.Actions[steps].ARN)
			}
		}
	}
	each(func(at, name string, change []byte, _ string) {
		width[0] = max(width[0], utf8.RuneCountInString(at))
		width[1] = max(width[1], utf8.RuneCountInString(name))
		width[2] = max(width[2], utf8.RuneCount(change))
	})
	bw := bufio.NewWriterSize(w, 64<<10)
	pad := func(n int) {
		for range n {
			bw.WriteByte(' ')
		}
	}
	each(func(at, name string, change []byte, last string) {
		bw.WriteString(at)
		pad(width[0] + 2 - utf8.RuneCountInString(at))
		bw.WriteString(name)
		pad(width[1] + 2 - utf8.RuneCountInString(name))
		bw.Write(change)
		pad(width[2] + 2 - utf8.RuneCount(change))
		bw.WriteString(last)
		bw.WriteByte('\n')
	})
	return bw.Flush()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
