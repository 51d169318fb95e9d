package replay

import (
	"bytes"
	"fmt"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
)

// TestTimelineMatchesTabwriter: the timeline, written as it goes, is
// aligned byte for byte as text/tabwriter aligns it, with names of
// several widths and of characters beyond ASCII, and actions under a
// transition.
func TestTimelineMatchesTabwriter(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tr := func(min int, name string, from, to alarm.State, reason string) klaxon.Transition {
		return klaxon.Transition{AlarmName: name, At: t0.Add(time.Duration(min) * time.Minute), From: from, To: to, Reason: reason}
	}
	res := &Result{Transitions: []klaxon.Transition{
		tr(1, "a", alarm.StateInsufficientData, alarm.StateOK, "first"),
		tr(2, "größe-ü", alarm.StateOK, alarm.StateAlarm, "wide name of runes"),
		tr(3, "a-much-longer-alarm-name", alarm.StateAlarm, alarm.StateOK, ""),
		tr(4, "größe-ü", alarm.StateAlarm, alarm.StateInsufficientData, "last"),
	}}
	res.Actions = []klaxon.Action{
		{ARN: "arn:aws:sns:us-east-1:123456789012:ops", Transition: res.Transitions[1]},
		{ARN: "arn:aws:sns:us-east-1:123456789012:pager", Transition: res.Transitions[1]},
	}
	var want bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tALARM\tCHANGE\tREASON")
	for i, t := range res.Transitions {
		fmt.Fprintf(tw, "%s\t%s\t%s -> %s\t%s\n", t.At.Format(time.RFC3339), t.AlarmName, t.From, t.To, t.Reason)
		if i == 1 {
			for _, a := range res.Actions {
				fmt.Fprintf(tw, "\t\twould run\t%s\n", a.ARN)
			}
		}
	}
	tw.Flush()
	var got bytes.Buffer
	if err := writeTimeline(&got, res); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.String(), got.String()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}
