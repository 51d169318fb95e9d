// Package plot draws a replay: one panel per alarm, with the alarm's
// newest period at each evaluation, its threshold (or, for an
// anomaly-band alarm, the band as a shaded area), the periods without
// data marked below the line, and the alarm's state as coloured spans
// behind it, on a UTC time axis. It uses gonum.org/v1/plot, which no other
// package of Klaxon imports.
//
//	res, _ := replay.Run(ctx, alarms, data, replay.Options{Series: true})
//	err := plot.Write(f, "replay.svg", res) // or .png
package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/replay"
)

// The colours of the states, the line and the marks.
var (
	StateColors = map[alarm.State]color.NRGBA{
		alarm.StateOK:               {R: 0x2c, G: 0xa0, B: 0x2c, A: 0x38},
		alarm.StateAlarm:            {R: 0xd6, G: 0x27, B: 0x28, A: 0x48},
		alarm.StateInsufficientData: {R: 0x7f, G: 0x7f, B: 0x7f, A: 0x30},
	}
	lineColor      = color.NRGBA{R: 0x1f, G: 0x3b, B: 0x73, A: 0xff}
	thresholdColor = color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	bandColor      = color.NRGBA{R: 0x9e, G: 0xc5, B: 0xe8, A: 0x80}
	missingColor   = color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
)

// Size of one panel.
var (
	Width       = 26 * vg.Centimeter
	PanelHeight = 7 * vg.Centimeter
)

// FormatOf returns the image format of a file name: "svg" or "png".
func FormatOf(name string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".svg":
		return "svg", nil
	case ".png":
		return "png", nil
	default:
		return "", fmt.Errorf("%q: want a file name ending in .svg or .png", name)
	}
}

// Write draws res into w in the format of name's extension (.svg or
// .png). res must have been replayed with Options.Series.
func Write(w io.Writer, name string, res *replay.Result) error {
	format, err := FormatOf(name)
	if err != nil {
		return err
	}
	if len(res.Series) == 0 {
		return errors.New("plot: the replay recorded no series (replay with Options.Series)")
	}
	plots := make([][]*plot.Plot, len(res.Series))
	for i := range res.Series {
		plots[i] = []*plot.Plot{Panel(res, &res.Series[i])}
	}
	height := PanelHeight * vg.Length(len(plots))
	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		c = vgsvg.New(Width, height)
	default:
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(Width, height), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))}
	}
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4, PadY: vg.Millimeter * 4}
	canvases := plot.Align(plots, tiles, draw.New(c))
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	_, err = c.WriteTo(w)
	return err
}

// Panel returns the plot of one alarm's series.
func Panel(res *replay.Result, s *replay.Series) *plot.Plot {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s — %s per %s", s.Alarm, s.Statistic, s.Period)
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Min, p.X.Max = unix(res.From), unix(res.Until)
	p.X.Tick.Marker = utcTicks{span: res.Until.Sub(res.From)}
	p.X.Label.Text = "UTC"
	p.Y.Label.Text = s.Statistic

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range s.Points {
		if !pt.Missing {
			lo, hi = min(lo, pt.Min), max(hi, pt.Max)
		}
		if s.Band && !math.IsNaN(pt.Lower) && !math.IsNaN(pt.Upper) {
			lo, hi = min(lo, pt.Lower), max(hi, pt.Upper)
		}
	}
	if !s.Band {
		lo, hi = min(lo, s.Threshold), max(hi, s.Threshold)
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1)
	}
	p.Y.Min, p.Y.Max = lo-pad, hi+pad

	p.Add(states{spans: Spans(res, s.Alarm)})
	if s.Band {
		p.Add(band{pts: s.Points})
	} else {
		p.Add(threshold{y: s.Threshold})
	}
	p.Add(values{pts: s.Points}, missing{pts: s.Points})
	return p
}

// A Span is a time in one state.
type Span struct {
	From, To time.Time
	State    alarm.State
}

// Spans returns the states of the alarm from res.From to res.Until, from
// its transitions; it starts INSUFFICIENT_DATA.
func Spans(res *replay.Result, name string) []Span {
	cur := Span{From: res.From, State: alarm.StateInsufficientData}
	var out []Span
	for _, t := range res.Transitions {
		if t.AlarmName != name {
			continue
		}
		cur.To = t.At
		if cur.To.After(cur.From) {
			out = append(out, cur)
		}
		cur = Span{From: t.At, State: t.To}
	}
	cur.To = res.Until
	if !cur.To.Before(cur.From) {
		out = append(out, cur)
	}
	return out
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

// states draws the state spans across the panel's height.
type states struct{ spans []Span }

func (s states) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, sp := range s.spans {
		x0, x1 := trX(unix(sp.From)), trX(unix(sp.To))
		if x1 <= x0 {
			x1 = x0 + vg.Points(0.5)
		}
		c.FillPolygon(StateColors[sp.State], c.ClipPolygonXY([]vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}}))
	}
}

// threshold draws the static threshold as a dashed line.
type threshold struct{ y float64 }

func (t threshold) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(t.y)
	c.StrokeLine2(draw.LineStyle{Color: thresholdColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, c.Min.X, y, c.Max.X, y)
}

// band draws an anomaly band (Lower to Upper of each point) as a shaded
// area: the seam for anomaly-band alarms, whose series carry the band.
type band struct{ pts []replay.SeriesPoint }

func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	// One polygon per run of points with a band (a model in training has
	// none: NaN edges).
	for i := 0; i < len(b.pts); {
		if math.IsNaN(b.pts[i].Lower) || math.IsNaN(b.pts[i].Upper) {
			i++
			continue
		}
		j := i
		for j < len(b.pts) && !math.IsNaN(b.pts[j].Lower) && !math.IsNaN(b.pts[j].Upper) {
			j++
		}
		run := b.pts[i:j]
		var poly []vg.Point
		for _, pt := range run {
			poly = append(poly, vg.Point{X: trX(unix(pt.At)), Y: trY(pt.Upper)})
		}
		for k := len(run) - 1; k >= 0; k-- {
			poly = append(poly, vg.Point{X: trX(unix(run[k].At)), Y: trY(run[k].Lower)})
		}
		if len(poly) >= 3 {
			c.FillPolygon(bandColor, c.ClipPolygonXY(poly))
		}
		i = j
	}
}

// values draws the newest period's value as a line, broken where a period
// has no data; a point that stands for several evaluations also draws
// its extremes as a vertical stroke.
type values struct{ pts []replay.SeriesPoint }

func (v values) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var run []vg.Point
	flush := func() {
		if len(run) == 1 {
			run = append(run, vg.Point{X: run[0].X + vg.Points(0.5), Y: run[0].Y})
		}
		if len(run) > 1 {
			c.StrokeLines(draw.LineStyle{Color: lineColor, Width: vg.Points(1)}, c.ClipLinesXY(run)...)
		}
		run = run[:0]
	}
	for _, pt := range v.pts {
		if pt.Missing {
			flush()
			continue
		}
		x := trX(unix(pt.At))
		run = append(run, vg.Point{X: x, Y: trY(pt.Value)})
		if pt.Max > pt.Min {
			c.StrokeLines(draw.LineStyle{Color: lineColor, Width: vg.Points(0.6)}, c.ClipLinesXY([]vg.Point{{X: x, Y: trY(pt.Min)}, {X: x, Y: trY(pt.Max)}})...)
		}
	}
	flush()
}

// missing marks the evaluations whose newest period has no data: a short
// grey tick at the foot of the panel.
type missing struct{ pts []replay.SeriesPoint }

func (m missing) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	ls := draw.LineStyle{Color: missingColor, Width: vg.Points(1.2)}
	var x0, x1 vg.Length
	open := false
	flush := func() {
		if open {
			c.StrokeLine2(ls, x0, c.Min.Y+vg.Points(2), max(x1, x0+vg.Points(1)), c.Min.Y+vg.Points(2))
		}
		open = false
	}
	for _, pt := range m.pts {
		if !pt.Missing {
			flush()
			continue
		}
		x := trX(unix(pt.At))
		if !open {
			x0, open = x, true
		}
		x1 = x
	}
	flush()
}

// utcTicks puts readable UTC times on the time axis: whole hours, days
// or months, as the span allows.
type utcTicks struct{ span time.Duration }

func (u utcTicks) Ticks(lo, hi float64) []plot.Tick {
	steps := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour,
		3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour,
		30 * 24 * time.Hour, 61 * 24 * time.Hour, 91 * 24 * time.Hour}
	span := time.Duration(hi-lo) * time.Second
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= 8 {
			step = s
			break
		}
	}
	format := "15:04"
	switch {
	case step >= 24*time.Hour:
		format = "2006-01-02"
	case span > 24*time.Hour:
		format = "01-02 15:04"
	}
	var ticks []plot.Tick
	start := time.Unix(int64(lo), 0).UTC()
	t := start.Truncate(step)
	if step >= 30*24*time.Hour { // months: the first of each
		t = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	for ; unix(t) <= hi; t = next(t, step) {
		if unix(t) >= lo {
			ticks = append(ticks, plot.Tick{Value: unix(t), Label: t.Format(format)})
		}
	}
	return ticks
}

func next(t time.Time, step time.Duration) time.Time {
	if step >= 30*24*time.Hour {
		return t.AddDate(0, int(step/(30*24*time.Hour)), 0)
	}
	return t.Add(step)
}
