package replay_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/replay"
)

// kindsAlarms is an alarms file with every kind the engine evaluates: a
// static alarm on errors, an anomaly detection alarm on latency, and a
// composite over both, in eu-west-1 (the Region the replay takes from the
// ARNs).
const kindsAlarms = `{"MetricAlarms":[
 {"AlarmName":"errors-high","AlarmArn":"arn:aws:cloudwatch:eu-west-1:111122223333:alarm:errors-high",
  "Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":300,"EvaluationPeriods":1,
  "Threshold":10,"ComparisonOperator":"GreaterThanThreshold","TreatMissingData":"notBreaching"},
 {"AlarmName":"latency-unusual","ComparisonOperator":"GreaterThanUpperThreshold","EvaluationPeriods":1,"ThresholdMetricId":"ad1",
  "Metrics":[{"Id":"m1","ReturnData":true,"MetricStat":{"Metric":{"Namespace":"App","MetricName":"Latency"},"Period":300,"Stat":"Average"}},
             {"Id":"ad1","ReturnData":true,"Expression":"ANOMALY_DETECTION_BAND(m1, 3)"}]}],
 "CompositeAlarms":[
 {"AlarmName":"page","AlarmRule":"ALARM(\"errors-high\") OR ALARM(\"latency-unusual\")",
  "AlarmActions":["arn:aws:sns:eu-west-1:111122223333:pager"]}]}`

// kindsData is eight hours of both metrics every five minutes: latency
// follows a slow cycle, errors stay low; at 06:00 latency spikes, at
// 07:00 errors do.
func kindsData() string {
	var b strings.Builder
	b.WriteString("timestamp,namespace,metric_name,value\n")
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range 96 {
		at := t0.Add(time.Duration(i) * 5 * time.Minute)
		latency := 200 + 20*math.Sin(float64(i)/10) + float64(i%3)
		errors := 1.0
		if at.Equal(t0.Add(6 * time.Hour)) {
			latency = 900
		}
		if at.Equal(t0.Add(7 * time.Hour)) {
			errors = 50
		}
		fmt.Fprintf(&b, "%s,App,Latency,%g\n%s,App,Errors,%g\n", at.Format(time.RFC3339), latency, at.Format(time.RFC3339), errors)
	}
	return b.String()
}

// TestReplayEveryKind: a replay evaluates composite and anomaly detection
// alarms with the metric alarms they read, in the alarms' Region; the
// composite's SNS action is handed to Options.SNS with CloudWatch's
// message; the plot series carries the band.
var errWrite = errors.New("disk full")

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.after {
		return w.after, errWrite
	}
	w.after -= len(p)
	return len(p), nil
}

func TestReplayEveryKind(t *testing.T) {
	ctx := context.Background()
	alarms, err := replay.ReadAlarms("alarms.json", strings.NewReader(kindsAlarms))
	if err != nil {
		t.Fatal(err)
	}
	if err := alarms.Validate(); err != nil {
		t.Fatal(err)
	}
	m, err := replay.OpenMetrics("data.csv", strings.NewReader(kindsData()), replay.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sns []string
	res, err := replay.Run(ctx, alarms, []*replay.Metrics{m}, replay.Options{Series: true,
		SNS: func(a klaxon.Action, msg string) error {
			sns = append(sns, a.Transition.At.Format("15:04")+" "+a.Transition.AlarmName+" "+a.Transition.To.String()+" "+msg[:strings.Index(msg, ",")])
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) > 0 {
		t.Errorf("skipped: %+v", res.Skipped)
	}
	var got []string
	for _, tr := range res.Transitions {
		got = append(got, tr.At.Format("15:04")+" "+tr.AlarmName+" "+tr.From.String()+" -> "+tr.To.String())
	}
	want := []string{
		"00:00 page INSUFFICIENT_DATA -> OK", // at its creation: neither child is in ALARM
		"00:01 errors-high INSUFFICIENT_DATA -> OK",
		// The model trains for three hours (to the period from 03:00);
		// the next period is the first with a band.
		"03:10 latency-unusual INSUFFICIENT_DATA -> OK",
		// The spike's period, [06:00, 06:05), ends at 06:05.
		"06:05 latency-unusual OK -> ALARM",
		"06:05 page OK -> ALARM",
		"06:10 latency-unusual ALARM -> OK",
		"06:10 page ALARM -> OK",
		// A static alarm's window slides: the 07:00 datapoint is seen at
		// 07:01 and leaves it at 07:06.
		"07:01 errors-high OK -> ALARM",
		"07:01 page OK -> ALARM",
		"07:06 errors-high ALARM -> OK",
		"07:06 page ALARM -> OK",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
	wantSNS := []string{`06:05 page ALARM {"AlarmName":"page"`, `07:01 page ALARM {"AlarmName":"page"`}
	if diff := cmp.Diff(wantSNS, sns); diff != "" {
		t.Errorf("SNS messages (-want +got):\n%s", diff)
	}
	for _, tr := range res.Transitions {
		if !strings.HasPrefix(tr.AlarmArn, "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:") {
			t.Errorf("%s: ARN %s, want the file's Region and account", tr.AlarmName, tr.AlarmArn)
		}
	}
	// The summary counts time from the first evaluation: the composite's
	// change at its creation, a minute before, takes none.
	var text strings.Builder
	if err := replay.WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^page +OK +5 +2 +7h45m0s +10m0s +0s +5m0s$`).MatchString(text.String()) {
		t.Errorf("summary of the composite; want 7h45m0s OK, 10m0s ALARM, 0s INSUFFICIENT_DATA:\n%s", text.String())
	}
	// A writer that fails stops WriteJSON with its error, whichever batch
	// it fails in.
	for _, after := range []int{0, 100, 5000} {
		w := &failingWriter{after: after}
		if err := replay.WriteJSON(w, res); !errors.Is(err, errWrite) {
			t.Errorf("WriteJSON to a writer that fails after %d bytes: %v, want its error", after, err)
		}
	}
	banded := 0
	for _, s := range res.Series {
		if s.Alarm != "latency-unusual" {
			continue
		}
		if !s.Band {
			t.Errorf("the anomaly alarm's series has no band")
		}
		for _, p := range s.Points {
			if !p.Missing && p.Upper > p.Lower && p.Lower > 0 {
				banded++
			}
		}
	}
	if banded < 50 {
		t.Errorf("%d points of the anomaly alarm have a band; want the hours after training", banded)
	}
}
