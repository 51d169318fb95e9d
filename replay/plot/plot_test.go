package plot_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/replay"
	"github.com/klaxon-go/klaxon/replay/plot"
)

// replayExample replays the bundled example with series, as
// `klaxon replay --plot` does.
func replayExample(t *testing.T) *replay.Result {
	t.Helper()
	af, err := os.Open("../../examples/testdata/alarms.json")
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	alarms, err := replay.ReadAlarms("alarms.json", af)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := replay.SingleMetric(alarms.Metric)
	mf, err := os.Open("../../examples/testdata/cpu.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close()
	data, err := replay.OpenMetrics("cpu.csv", mf, replay.ReadOptions{Default: &ref})
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Run(t.Context(), alarms, []*replay.Metrics{data}, replay.Options{Series: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// svgShape is what the test reads of an SVG: the text of every <text>,
// and the number of <path> elements of each style.
type svgShape struct {
	Texts  []string
	Styles map[string]int
}

func readSVG(t *testing.T, b []byte) svgShape {
	t.Helper()
	s := svgShape{Styles: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "path":
				for _, a := range tok.Attr {
					if a.Name.Local == "style" {
						s.Styles[a.Value]++
					}
				}
			case "text":
				inText = true
			}
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				s.Texts = append(s.Texts, strings.TrimSpace(string(tok)))
			}
		}
	}
	return s
}

// TestSVGStructure pins the elements of the README's plot: a panel per
// alarm (its title and axes), the state spans of each alarm's replay as
// filled rectangles of the state's colour, one dashed threshold line per
// panel, the value line broken by the 30-minute gap, and the gap marked.
func TestSVGStructure(t *testing.T) {
	res := replayExample(t)
	var buf bytes.Buffer
	if err := plot.Write(&buf, "replay.svg", res); err != nil {
		t.Fatal(err)
	}
	got := readSVG(t, buf.Bytes())

	var titles []string
	for _, text := range got.Texts {
		if strings.Contains(text, " — ") {
			titles = append(titles, text)
		}
	}
	wantTitles := []string{"cpu-spike — Maximum per 5m0s", "cpu-sustained — Average per 15m0s", "cpu-heartbeat — SampleCount per 5m0s"}
	if diff := cmp.Diff(wantTitles, titles); diff != "" {
		t.Errorf("panel titles (-want +got):\n%s\nwhy: one panel per alarm, in the alarms file's order", diff)
	}
	if n := strings.Count(strings.Join(got.Texts, "\n"), "UTC"); n != 3 {
		t.Errorf("%d UTC axis labels, want 3 (one time axis per panel)", n)
	}
	if !strings.Contains(strings.Join(got.Texts, " "), "20:00 22:00 00:00 02:00 04:00") {
		t.Errorf("tick labels %q: want whole hours every two hours (a 12-hour replay)", got.Texts)
	}

	// The spans of every alarm, by state, from the transitions.
	spans := map[alarm.State]int{}
	for _, s := range res.Series {
		for _, sp := range plot.Spans(res, s.Alarm) {
			spans[sp.State]++
		}
	}
	wantSpans := map[alarm.State]int{alarm.StateOK: 9, alarm.StateAlarm: 5, alarm.StateInsufficientData: 1}
	if diff := cmp.Diff(wantSpans, spans); diff != "" {
		t.Errorf("spans (-want +got):\n%s\nwhy: cpu-spike OK ALARM OK INSUFFICIENT_DATA OK ALARM OK, cpu-sustained OK ALARM OK ALARM OK, cpu-heartbeat OK ALARM OK", diff)
	}
	count := func(prefix string) int {
		n := 0
		for style, k := range got.Styles {
			if strings.HasPrefix(style, prefix) {
				n += k
			}
		}
		return n
	}
	for state, n := range wantSpans {
		opacity := fmt.Sprintf("fill-opacity:%.5g", float64(plot.StateColors[state].A)/255)
		k := 0
		for style, m := range got.Styles {
			if strings.HasPrefix(style, "fill:#") && strings.HasSuffix(style, opacity) {
				k += m
			}
		}
		if k != n {
			t.Errorf("%d filled rectangles of %s's colour, want %d (one per span)", k, state, n)
		}
	}
	if n := count("fill:none;stroke:#D62728;stroke-dasharray:4,3"); n != 3 {
		t.Errorf("%d dashed threshold lines, want 3 (one per static alarm)", n)
	}
	if n := count("fill:none;stroke:#1F3B73"); n != 6 {
		t.Errorf("%d value line runs, want 6 (each panel's line broken once, by the gap)", n)
	}
	if n := count("fill:none;stroke:#555555;stroke-width:1.2"); n != 3 {
		t.Errorf("%d missing-data marks, want 3 (the gap, in each panel)", n)
	}
}

// TestPNG: the same plot as PNG is a PNG.
func TestPNG(t *testing.T) {
	var buf bytes.Buffer
	if err := plot.Write(&buf, "replay.png", replayExample(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("not a PNG: % x", buf.Bytes()[:8])
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]string{"a.svg": "svg", "B.PNG": "png", "c.gif": ""} {
		got, err := plot.FormatOf(name)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

// TestBandRuns: the band is drawn where the model had one, and a point
// without one (NaN edges, while the model trains) neither stretches the
// axis nor joins the band to zero.
func TestBandRuns(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2024, 5, 1, 0, m, 0, 0, time.UTC) }
	nan := math.NaN()
	res := &replay.Result{From: at(0), Until: at(4)}
	s := &replay.Series{Alarm: "a", Statistic: "Average", Period: time.Minute, Band: true, Points: []replay.SeriesPoint{
		{At: at(0), Value: 100, Min: 100, Max: 100, Lower: nan, Upper: nan},
		{At: at(1), Value: 101, Min: 101, Max: 101, Lower: 90, Upper: 110},
		{At: at(2), Value: 102, Min: 102, Max: 102, Lower: 91, Upper: 111},
		{At: at(3), Value: 103, Min: 103, Max: 103, Lower: nan, Upper: nan},
		{At: at(4), Value: 104, Min: 104, Max: 104, Lower: 92, Upper: 112},
	}}
	p := plot.Panel(res, s)
	if !(p.Y.Min >= 80 && p.Y.Max <= 125) {
		t.Errorf("y axis [%v, %v]; want it around the values and bands (90 to 112), not 0", p.Y.Min, p.Y.Max)
	}
}
