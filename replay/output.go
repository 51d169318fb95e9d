package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
)

// WriteJSON writes the history as `aws cloudwatch describe-alarm-history
// --scan-by TimestampAscending` prints it: {"AlarmHistoryItems":[...]},
// indented by four spaces like the AWS CLI, with no HTML escaping ("->"
// stays as it is). Items are written as they are rendered (see
// Result.EachHistory); an empty history is [] (never null).
func WriteJSON(w io.Writer, res *Result) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	enc.SetEscapeHTML(false)
	enc.SetIndent("        ", "    ")
	n := 0
	bw.WriteString("{\n    \"AlarmHistoryItems\": [")
	err := res.EachHistory(context.Background(), func(h klaxon.AlarmHistoryItem) error {
		item.Reset()
		if err := enc.Encode(h); err != nil {
			return err
		}
		if n > 0 {
			bw.WriteString(",")
		}
		n++
		bw.WriteString("\n        ")
		_, err := bw.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
		return err
	})
	if err != nil {
		return err
	}
	if n > 0 {
		bw.WriteString("\n    ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(res.Transitions) > 0 {
		fmt.Fprintln(tw, "TIME\tALARM\tCHANGE\tREASON")
	}
	steps := 0
	for _, t := range res.Transitions {
		fmt.Fprintf(tw, "%s\t%s\t%s -> %s\t%s\n", t.At.UTC().Format(time.RFC3339), t.AlarmName, t.From, t.To, t.Reason)
		for ; steps < len(res.Actions) && res.Actions[steps].Transition.At.Equal(t.At) && res.Actions[steps].Transition.AlarmName == t.AlarmName; steps++ {
			fmt.Fprintf(tw, "\t\twould run\t%s\n", res.Actions[steps].ARN)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(res.Transitions) > 0 {
		fmt.Fprintln(w)
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
