package alarm

import (
	"sort"
	"strconv"

	"github.com/klaxon-go/klaxon/internal/cwfmt"
	"github.com/klaxon-go/klaxon/internal/cwjson"
)

// longFormAt is the number of listed datapoints from which the reason moves
// the list into a second sentence holding the five newest (CloudWatch prints
// 30 of 30 that way, and 1 to 3 inline; 4 is the project's choice).
const longFormAt = 5

// Reason returns the StateReason CloudWatch writes for this result, e.g.
// "Threshold Crossed: 1 out of the last 1 datapoints [99.5 (02/10/19
// 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for
// OK -> ALARM transition)." It is "" for a retained state.
func (r *Result) Reason() string { return string(r.AppendReason(nil)) }

// AppendReason appends Reason to b.
func (r *Result) AppendReason(b []byte) []byte {
	switch r.outcome {
	case outcomeRetained:
		return b
	case outcomeUnknown:
		b = append(b, "Insufficient Data: "...)
		b = strconv.AppendInt(b, int64(r.unknown), 10)
		if r.unknown == 1 {
			return append(b, " datapoint was unknown."...)
		}
		return append(b, " datapoints were unknown."...)
	}
	e := r.rule
	if e == nil {
		return b // the zero Result
	}
	alarm := r.State == StateAlarm
	if e.band() {
		b = append(b, "Thresholds Crossed: "...)
	} else {
		b = append(b, "Threshold Crossed: "...)
	}
	k := int(r.listed)
	long := k >= longFormAt
	switch {
	case k == 0 && r.evaluatedReal() == 0:
		b = append(b, "no datapoints were received for "...)
		b = strconv.AppendInt(b, int64(r.fills), 10)
		b = append(b, " period"...)
		if r.fills != 1 {
			b = append(b, 's')
		}
	default:
		b = strconv.AppendInt(b, int64(k), 10)
		if e.legacy {
			b = append(b, " datapoint"...)
			if k != 1 {
				b = append(b, 's')
			}
		} else {
			b = append(b, " out of the last "...)
			b = strconv.AppendInt(b, int64(e.n), 10)
			b = append(b, " datapoints"...)
		}
		if !long && k > 0 {
			b = append(b, ' ')
			b = r.appendList(b, alarm, k, true)
		}
		if k == 1 {
			b = append(b, " was "...)
		} else {
			b = append(b, " were "...)
		}
		b = r.appendComparison(b, alarm, k)
		if long {
			b = append(b, ". The most recent datapoints which crossed the threshold: "...)
			b = r.appendList(b, alarm, longFormAt, true)
		}
	}
	if r.fills > 0 {
		b = append(b, " and "...)
		b = strconv.AppendInt(b, int64(r.fills), 10)
		if r.fills == 1 {
			b = append(b, " missing datapoint was treated as ["...)
		} else {
			b = append(b, " missing datapoints were treated as ["...)
		}
		if r.fillBad {
			b = append(b, "Breaching]"...)
		} else {
			b = append(b, "NonBreaching]"...)
		}
	}
	if !e.legacy {
		var need int
		var dir string
		if alarm {
			need, dir = int(e.m), " for OK -> ALARM transition)"
		} else {
			need, dir = int(e.n-e.m+1), " for ALARM -> OK transition)"
		}
		b = append(b, " (minimum "...)
		b = strconv.AppendInt(b, int64(need), 10)
		if need == 1 {
			b = append(b, " datapoint"...)
		} else {
			b = append(b, " datapoints"...)
		}
		b = append(b, dir...)
	}
	return append(b, '.')
}

// evaluatedReal returns the number of real datapoints evaluated.
func (r *Result) evaluatedReal() int {
	n := 0
	for i := int(r.from); i < r.len(); i++ {
		if !r.at(i).Missing {
			n++
		}
	}
	return n
}

// listedAt calls f for the listed datapoints, newest first, at most max of
// them: the breaching ones for ALARM, the others for OK.
func (r *Result) listedAt(alarm bool, max int, f func(d *Datapoint)) {
	for i := r.len() - 1; i >= int(r.from) && max > 0; i-- {
		dp := r.at(i)
		d := &dp
		if d.Missing || r.rule.breaching(d) != alarm {
			continue
		}
		f(d)
		max--
	}
}

// appendList appends "[v (time), v (time)]", newest first.
func (r *Result) appendList(b []byte, alarm bool, max int, times bool) []byte {
	b = append(b, '[')
	first := true
	r.listedAt(alarm, max, func(d *Datapoint) {
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = cwfmt.AppendDouble(b, d.Value)
		if times {
			b = append(b, " ("...)
			b = cwfmt.AppendTime(b, d.Start, cwfmt.ReasonTime)
			b = append(b, ')')
		}
	})
	return append(b, ']')
}

// appendComparison appends "[not ]greater than the threshold (T)" or, for
// band alarms, the band form with the listed datapoints' band edges.
func (r *Result) appendComparison(b []byte, alarm bool, k int) []byte {
	not := ""
	if !alarm {
		not = "not "
	}
	edges := func(b []byte, upper bool) []byte {
		b = append(b, '[')
		first := true
		r.listedAt(alarm, min(k, longFormAt), func(d *Datapoint) {
			if !first {
				b = append(b, ", "...)
			}
			first = false
			if upper {
				b = cwfmt.AppendDouble(b, d.Upper)
			} else {
				b = cwfmt.AppendDouble(b, d.Lower)
			}
		})
		return append(b, ']')
	}
	switch r.rule.op {
	case opOutsideBand:
		b = append(b, not...)
		b = append(b, "less than the lower thresholds "...)
		b = edges(b, false)
		b = append(b, " or "...)
		b = append(b, not...)
		b = append(b, "greater than the upper thresholds "...)
		return edges(b, true)
	case opBelowBand:
		b = append(b, not...)
		b = append(b, "less than the lower thresholds "...)
		return edges(b, false)
	case opAboveBand:
		b = append(b, not...)
		b = append(b, "greater than the upper thresholds "...)
		return edges(b, true)
	}
	b = append(b, not...)
	switch r.rule.op {
	case opGT:
		b = append(b, "greater than"...)
	case opGE:
		b = append(b, "greater than or equal to"...)
	case opLT:
		b = append(b, "less than"...)
	case opLE:
		b = append(b, "less than or equal to"...)
	}
	b = append(b, " the threshold ("...)
	b = cwfmt.AppendDouble(b, r.rule.threshold())
	return append(b, ')')
}

// MaxReasonData is the longest StateReasonData CloudWatch stores.
const MaxReasonData = 4000

// ReasonData returns the StateReasonData JSON CloudWatch writes for this
// result, with CloudWatch's keys in CloudWatch's order, at most
// MaxReasonData bytes long. It is "" for a retained state.
func (r *Result) ReasonData() string { return string(r.AppendReasonData(nil)) }

// AppendReasonData appends ReasonData to b.
func (r *Result) AppendReasonData(b []byte) []byte { return r.AppendReasonDataMax(b, MaxReasonData) }

// AppendReasonDataMax appends the reason data, shortened to at most max
// bytes where it is longer: evaluatedDatapoints keeps its newest entries
// (CloudWatch often lists only the newest), then recentDatapoints and the
// threshold lists keep their newest values (startDate follows). When even
// the shortest form is longer than max, the shortest form is appended.
func (r *Result) AppendReasonDataMax(b []byte, max int) []byte {
	if r.outcome == outcomeRetained || r.rule == nil {
		return b
	}
	start := len(b)
	fits := func(l dataLimits) bool {
		w := cwjson.NewWriter(b[:start])
		r.writeReasonData(&w, l)
		b = w.Bytes()
		return len(b)-start <= max
	}
	full := dataLimits{recentFrom: int(r.from), evaluated: r.evaluatedCount()}
	if fits(full) {
		return b
	}
	// The most evaluated entries that fit, with every recent value.
	lim := full
	lim.evaluated = sort.Search(full.evaluated+1, func(k int) bool {
		return !fits(dataLimits{recentFrom: int(r.from), evaluated: k})
	}) - 1
	if lim.evaluated < 0 {
		// Not even without entries: the fewest recent values to drop.
		lim.evaluated = 0
		lim.recentFrom = int(r.from) + sort.Search(r.len()-int(r.from)+1, func(k int) bool {
			return fits(dataLimits{recentFrom: int(r.from) + k})
		})
	}
	fits(lim)
	return b
}

// dataLimits shorten reason data: recentDatapoints (and the threshold
// lists) start at window index recentFrom, evaluatedDatapoints lists the
// evaluated newest entries.
type dataLimits struct {
	recentFrom int
	evaluated  int
}

func (r *Result) writeReasonData(w *cwjson.Writer, lim dataLimits) {
	e := r.rule
	w.BeginObject()
	w.Key("version")
	w.String("1.0")
	w.Key("queryDate")
	w.Time(r.QueryDate(), cwfmt.JSONTime)
	// The evaluated real datapoints, oldest first.
	for i := lim.recentFrom; i < r.len(); i++ {
		if d := r.at(i); !d.Missing {
			w.Key("startDate")
			w.Time(d.Start, cwfmt.JSONTime)
			break
		}
	}
	if e.unit() != "" {
		w.Key("unit")
		w.String(e.unit())
	}
	if !e.math {
		w.Key("statistic")
		w.String(e.statistic())
	}
	w.Key("period")
	w.Int(int64(e.period))
	w.Key("recentDatapoints")
	r.writeRecent(w, lim.recentFrom, func(d *Datapoint) float64 { return d.Value })
	if e.band() {
		if e.op != opBelowBand {
			w.Key("recentUpperThresholds")
			r.writeRecent(w, lim.recentFrom, func(d *Datapoint) float64 { return d.Upper })
		}
		if e.op != opAboveBand {
			w.Key("recentLowerThresholds")
			r.writeRecent(w, lim.recentFrom, func(d *Datapoint) float64 { return d.Lower })
		}
	} else {
		w.Key("threshold")
		w.Double(e.threshold())
	}
	w.Key("evaluatedDatapoints")
	r.writeEvaluated(w, lim.evaluated)
	w.EndObject()
}

// writeRecent writes the values f picks of the real datapoints from window
// index from, oldest first, as an array.
func (r *Result) writeRecent(w *cwjson.Writer, from int, f func(*Datapoint) float64) {
	w.BeginArray()
	for i := from; i < r.len(); i++ {
		d := r.at(i)
		if !d.Missing {
			w.Double(f(&d))
		}
	}
	w.EndArray()
}

// evaluatedStart returns the window index of the oldest
// evaluatedDatapoints entry: every period from the oldest one evaluated
// (real or filled) to the newest; for INSUFFICIENT_DATA, the N newest
// periods.
func (r *Result) evaluatedStart() int {
	start := int(min(r.from, r.fillAt))
	if r.outcome == outcomeUnknown {
		start = max(0, r.len()-int(r.rule.n))
		if int(r.from) < start {
			start = int(r.from)
		}
	}
	return start
}

func (r *Result) evaluatedCount() int { return r.len() - r.evaluatedStart() }

// writeEvaluated writes the newest n evaluatedDatapoints entries, newest
// first, as an array.
func (r *Result) writeEvaluated(w *cwjson.Writer, n int) {
	start := max(r.evaluatedStart(), r.len()-n)
	e := r.rule
	w.BeginArray()
	for i := r.len() - 1; i >= start; i-- {
		d := r.at(i)
		w.BeginObject()
		w.Key("timestamp")
		w.Time(d.Start, cwfmt.JSONTime)
		if !d.Missing {
			if !e.math {
				// Math and band alarms' entries carry no sample count.
				w.Key("sampleCount")
				w.Double(d.SampleCount)
			}
			w.Key("value")
			w.Double(d.Value)
			if e.band() {
				// The edge the datapoint is compared with: the lower one
				// when it is below it (and the alarm looks there).
				edge := d.Upper
				if e.op == opBelowBand || e.op == opOutsideBand && d.Value < d.Lower {
					edge = d.Lower
				}
				w.Key("threshold")
				w.Double(edge)
			}
		}
		w.EndObject()
	}
	w.EndArray()
}
