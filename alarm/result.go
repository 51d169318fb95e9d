package alarm

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// A Result is the outcome of one evaluation: the new State, and what its
// StateReason and StateReasonData are rendered from (Reason, ReasonData).
// It is plain data: it holds the evaluated values, sample counts and
// period starts that its reason shows, and the parts of the alarm's
// configuration that the reason names (threshold, N, M, statistic, unit,
// period), so it renders the same text after the window it was evaluated
// from is reused and after the alarm is updated. Results compare with
// Equal and encode to JSON (MarshalJSON) for persistence.
//
// The zero Result is an INSUFFICIENT_DATA result with no reason.
type Result struct {
	State State

	rule    *rule
	now     time.Time
	outcome outcome
	fillBad bool  // fills count as breaching
	from    int32 // real datapoints at window index >= from were evaluated
	fillAt  int32 // the filled slots are the missing ones at index >= fillAt
	fills   int32 // missing slots filled with the policy's value
	listed  int32 // real datapoints listed in the reason
	unknown int32 // for INSUFFICIENT_DATA: the datapoints that were unknown
	w       packed
}

// packed is the part of an evaluation range that a reason shows, stored
// compactly: per period the value and the sample count (NaN for a missing
// period) and, for band alarms, the band edges. Periods are evenly spaced
// from start by step, unless starts is set.
type packed struct {
	start  time.Time
	step   time.Duration
	band   bool
	vals   []float64
	starts []time.Time // the starts of unevenly spaced periods (a caller's window)
}

func packWindow(w []Datapoint, band bool) packed {
	p := packed{band: band}
	if len(w) == 0 {
		return p
	}
	p.start = w[0].Start
	if len(w) > 1 {
		p.step = w[1].Start.Sub(w[0].Start)
	}
	stride := p.stride()
	p.vals = make([]float64, 0, stride*len(w))
	even := true
	for i, d := range w {
		if even && !d.Start.Equal(p.start.Add(time.Duration(i)*p.step)) {
			even = false
		}
		count := d.SampleCount
		if d.Missing {
			count = math.NaN()
		}
		p.vals = append(p.vals, d.Value, count)
		if band {
			p.vals = append(p.vals, d.Lower, d.Upper)
		}
	}
	if !even {
		p.starts = make([]time.Time, len(w))
		for i, d := range w {
			p.starts[i] = d.Start
		}
	}
	return p
}

func (p *packed) stride() int {
	if p.band {
		return 4
	}
	return 2
}

// len returns the number of periods of the result's window.
func (r *Result) len() int { return len(r.w.vals) / r.w.stride() }

// at returns period i of the result's window.
func (r *Result) at(i int) Datapoint {
	p := &r.w
	v := p.vals[i*p.stride():]
	d := Datapoint{Value: v[0], SampleCount: v[1], Missing: math.IsNaN(v[1])}
	if p.starts != nil {
		d.Start = p.starts[i]
	} else {
		d.Start = p.start.Add(time.Duration(i) * p.step)
	}
	if d.Missing {
		d.SampleCount = 0
	}
	if p.band {
		d.Lower, d.Upper = v[2], v[3]
	}
	return d
}

// Retained reports whether the evaluation kept the previous state without
// deciding (TreatMissingData "ignore", low-sample percentiles), so that
// nothing is to be recorded.
func (r *Result) Retained() bool { return r.outcome == outcomeRetained }

// QueryDate returns the evaluation time.
func (r *Result) QueryDate() time.Time { return r.now }

// Clone returns a deep copy of r.
func (r Result) Clone() Result {
	r.w.vals = slices.Clone(r.w.vals)
	r.w.starts = slices.Clone(r.w.starts)
	return r
}

// Equal reports whether r and o are the same result: the same state, the
// same decision, the same configuration parts and the same datapoints
// (missing periods compare equal whatever their values). Results that are
// Equal render the same reason and reason data.
func (r Result) Equal(o Result) bool {
	if r.State != o.State || !r.now.Equal(o.now) || r.outcome != o.outcome || r.fillBad != o.fillBad ||
		r.from != o.from || r.fillAt != o.fillAt || r.fills != o.fills || r.listed != o.listed || r.unknown != o.unknown {
		return false
	}
	if (r.rule == nil) != (o.rule == nil) || r.rule != nil && *r.rule != *o.rule {
		return false
	}
	p, q := &r.w, &o.w
	if p.band != q.band || len(p.vals) != len(q.vals) || (p.starts == nil) != (q.starts == nil) {
		return false
	}
	if len(p.vals) == 0 {
		return true
	}
	if p.starts == nil && (!p.start.Equal(q.start) || p.step != q.step) {
		return false
	}
	for i := range p.starts {
		if !p.starts[i].Equal(q.starts[i]) {
			return false
		}
	}
	for i := range p.vals {
		a, b := p.vals[i], q.vals[i]
		if a != b && !(math.IsNaN(a) && math.IsNaN(b)) && !missingValue(p, i) {
			return false
		}
	}
	return true
}

// missingValue reports whether vals[i] belongs to a missing period (whose
// value and edges mean nothing).
func missingValue(p *packed, i int) bool {
	s := p.stride()
	return i%s != 1 && math.IsNaN(p.vals[i-i%s+1])
}

// resultJSON is the encoded form of a Result (version 1). Missing periods
// have a null count.
type resultJSON struct {
	Version   int          `json:"v"`
	State     State        `json:"state"`
	QueryDate time.Time    `json:"queryDate"`
	Outcome   string       `json:"outcome"`
	From      int32        `json:"from,omitempty"`
	FillAt    int32        `json:"fillAt,omitempty"`
	Fills     int32        `json:"fills,omitempty"`
	FillBad   bool         `json:"fillBreaching,omitempty"`
	Listed    int32        `json:"listed,omitempty"`
	Unknown   int32        `json:"unknown,omitempty"`
	Rule      *ruleJSON    `json:"rule,omitempty"`
	Start     time.Time    `json:"start,omitzero"`
	Step      int64        `json:"stepNanos,omitempty"`
	Starts    []time.Time  `json:"starts,omitempty"`
	Band      bool         `json:"band,omitempty"`
	Periods   [][]*float64 `json:"periods,omitempty"` // value, count[, lower, upper]; count null: missing
}

type ruleJSON struct {
	Threshold  float64 `json:"threshold"`
	N          int     `json:"evaluationPeriods"`
	M          int     `json:"datapointsToAlarm"`
	Period     int     `json:"period"`
	Comparison string  `json:"comparisonOperator"`
	Legacy     bool    `json:"legacyWording,omitempty"`
	Math       bool    `json:"math,omitempty"`
	Statistic  string  `json:"statistic,omitempty"`
	Unit       string  `json:"unit,omitempty"`
}

var outcomeNames = [...]string{"decided", "unknown", "retained"}

// MarshalJSON encodes r in a versioned form that UnmarshalJSON reads back
// into an Equal Result, for persistence and for sending results across
// processes.
func (r Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{Version: 1, State: r.State, QueryDate: r.now, Outcome: outcomeNames[r.outcome],
		From: r.from, FillAt: r.fillAt, Fills: r.fills, FillBad: r.fillBad, Listed: r.listed, Unknown: r.unknown,
		Start: r.w.start, Step: int64(r.w.step), Starts: r.w.starts, Band: r.w.band}
	if u := r.rule; u != nil {
		j.Rule = &ruleJSON{Threshold: u.threshold, N: u.n, M: u.m, Period: u.period, Comparison: operatorName(u.op),
			Legacy: u.legacy, Math: u.math, Statistic: u.statistic, Unit: u.unit}
	}
	s := r.w.stride()
	for i := 0; i+s <= len(r.w.vals); i += s {
		row := make([]*float64, s)
		missing := math.IsNaN(r.w.vals[i+1])
		for k := range s {
			if missing && k > 0 {
				continue
			}
			v := r.w.vals[i+k]
			if missing {
				v = 0
			}
			row[k] = &v
		}
		j.Periods = append(j.Periods, row)
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("alarm: decoding a Result: %w", err)
	}
	if j.Version != 1 {
		return fmt.Errorf("alarm: decoding a Result: version %d, want 1", j.Version)
	}
	out := Result{State: j.State, now: j.QueryDate, from: j.From, fillAt: j.FillAt, fills: j.Fills, fillBad: j.FillBad,
		listed: j.Listed, unknown: j.Unknown}
	o := slices.Index(outcomeNames[:], j.Outcome)
	if o < 0 {
		return fmt.Errorf("alarm: decoding a Result: outcome %q is not one of %v", j.Outcome, outcomeNames)
	}
	out.outcome = outcome(o)
	if u := j.Rule; u != nil {
		op, ok := operators[u.Comparison]
		if !ok {
			return fmt.Errorf("alarm: decoding a Result: comparisonOperator %q is not one of CloudWatch's", u.Comparison)
		}
		out.rule = &rule{threshold: u.Threshold, n: u.N, m: u.M, period: u.Period, op: op, legacy: u.Legacy,
			math: u.Math, statistic: u.Statistic, unit: u.Unit}
	} else if out.outcome != outcomeRetained && (j.Periods != nil || out.outcome == outcomeDecided) {
		return errors.New("alarm: decoding a Result: a decided result needs its rule")
	}
	out.w = packed{start: j.Start, step: time.Duration(j.Step), band: j.Band, starts: j.Starts}
	s := out.w.stride()
	for i, row := range j.Periods {
		if len(row) != s || row[0] == nil {
			return fmt.Errorf("alarm: decoding a Result: period %d has %d values, want %d", i, len(row), s)
		}
		if row[1] == nil {
			out.w.vals = append(out.w.vals, 0, math.NaN())
			if s == 4 {
				out.w.vals = append(out.w.vals, 0, 0)
			}
			continue
		}
		for _, v := range row {
			if v == nil {
				return fmt.Errorf("alarm: decoding a Result: period %d has a null value", i)
			}
			out.w.vals = append(out.w.vals, *v)
		}
	}
	if out.w.starts != nil && len(out.w.starts) != len(j.Periods) {
		return fmt.Errorf("alarm: decoding a Result: %d starts for %d periods", len(out.w.starts), len(j.Periods))
	}
	n := int32(len(j.Periods))
	if out.from < 0 || out.from > n || out.fillAt < 0 || out.fillAt > n {
		return fmt.Errorf("alarm: decoding a Result: indexes from %d and fillAt %d outside the %d periods", out.from, out.fillAt, n)
	}
	*r = out
	return nil
}

func operatorName(op operator) string {
	for name, o := range operators {
		if o == op {
			return name
		}
	}
	return ""
}
