package alarm

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/klaxon-go/klaxon/metric"
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
	rule     *rule
	vals     []float64 // per period shown: value, count (NaN: missing)[, lower, upper]
	starts   *[]time.Time
	nowSec   int64 // the evaluation time (queryDate)
	startSec int64 // the first period's start; the others follow by step, unless starts is set
	step     time.Duration
	nowNsec  int32
	startNs  int32
	from     int32 // real datapoints at window index >= from were evaluated
	fillAt   int32 // the filled slots are the missing ones at index >= fillAt
	fills    int32 // missing slots filled with the policy's value
	listed   int32 // real datapoints listed in the reason
	unknown  int32 // for INSUFFICIENT_DATA: the datapoints that were unknown
	State    State
	outcome  outcome
	fillBad  bool // fills count as breaching
	band     bool // vals carry the band edges
}

// pack stores the periods of w that the reason shows, compactly: per period
// the value and the sample count (NaN for a missing period) and, for band
// alarms, the band edges; the starts as the first one and a step, or one by
// one for unevenly spaced periods (a caller's window).
func (r *Result) pack(w []Datapoint, band bool) {
	r.band = band
	if len(w) == 0 {
		return
	}
	r.startSec, r.startNs = w[0].Start.Unix(), int32(w[0].Start.Nanosecond())
	if len(w) > 1 {
		r.step = w[1].Start.Sub(w[0].Start)
	}
	stride := r.stride()
	r.vals = make([]float64, 0, stride*len(w))
	even := true
	first := w[0].Start
	for i, d := range w {
		if even && !d.Start.Equal(first.Add(time.Duration(i)*r.step)) {
			even = false
		}
		count := d.SampleCount
		if d.Missing {
			count = math.NaN()
		}
		r.vals = append(r.vals, d.Value, count)
		if band {
			r.vals = append(r.vals, d.Lower, d.Upper)
		}
	}
	if !even {
		starts := make([]time.Time, len(w))
		for i, d := range w {
			starts[i] = d.Start.UTC()
		}
		r.starts = &starts
	}
}

func (r *Result) stride() int {
	if r.band {
		return 4
	}
	return 2
}

// len returns the number of periods of the result's window.
func (r *Result) len() int { return len(r.vals) / r.stride() }

// at returns period i of the result's window.
func (r *Result) at(i int) Datapoint {
	v := r.vals[i*r.stride():]
	d := Datapoint{Value: v[0], SampleCount: v[1], Missing: math.IsNaN(v[1])}
	if r.starts != nil {
		d.Start = (*r.starts)[i]
	} else {
		d.Start = time.Unix(r.startSec, int64(r.startNs)).UTC().Add(time.Duration(i) * r.step)
	}
	if d.Missing {
		d.SampleCount = 0
	}
	if r.band {
		d.Lower, d.Upper = v[2], v[3]
	}
	return d
}

// Retained reports whether the evaluation kept the previous state without
// deciding (TreatMissingData "ignore", low-sample percentiles), so that
// nothing is to be recorded.
func (r *Result) Retained() bool { return r.outcome == outcomeRetained }

// QueryDate returns the evaluation time.
func (r *Result) QueryDate() time.Time { return time.Unix(r.nowSec, int64(r.nowNsec)).UTC() }

// Clone returns a deep copy of r.
func (r Result) Clone() Result {
	r.vals = slices.Clone(r.vals)
	if r.starts != nil {
		s := slices.Clone(*r.starts)
		r.starts = &s
	}
	return r
}

// Equal reports whether r and o are the same result: the same state, the
// same decision, the same configuration parts and the same datapoints
// (missing periods compare equal whatever their values). Results that are
// Equal render the same reason and reason data.
func (r Result) Equal(o Result) bool {
	if r.State != o.State || r.nowSec != o.nowSec || r.nowNsec != o.nowNsec || r.outcome != o.outcome || r.fillBad != o.fillBad ||
		r.from != o.from || r.fillAt != o.fillAt || r.fills != o.fills || r.listed != o.listed || r.unknown != o.unknown {
		return false
	}
	if (r.rule == nil) != (o.rule == nil) || r.rule != nil && !r.rule.same(o.rule) {
		return false
	}
	if r.band != o.band || len(r.vals) != len(o.vals) || (r.starts == nil) != (o.starts == nil) {
		return false
	}
	if len(r.vals) == 0 {
		return true
	}
	if r.starts == nil && (r.startSec != o.startSec || r.startNs != o.startNs || r.step != o.step) {
		return false
	}
	if r.starts != nil && !slices.EqualFunc(*r.starts, *o.starts, time.Time.Equal) {
		return false
	}
	for i := range r.vals {
		a, b := r.vals[i], o.vals[i]
		if a != b && !(math.IsNaN(a) && math.IsNaN(b)) && !r.missingValue(i) {
			return false
		}
	}
	return true
}

// same reports whether two rules render alike.
func (r *rule) same(o *rule) bool {
	return r.n == o.n && r.m == o.m && r.period == o.period && r.op == o.op && r.legacy == o.legacy && r.math == o.math &&
		r.threshold() == o.threshold() && r.statistic() == o.statistic() && r.unit() == o.unit()
}

// missingValue reports whether vals[i] belongs to a missing period (whose
// value and edges mean nothing).
func (r *Result) missingValue(i int) bool {
	s := r.stride()
	return i%s != 1 && math.IsNaN(r.vals[i-i%s+1])
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
	j := resultJSON{Version: 1, State: r.State, QueryDate: r.QueryDate(), Outcome: outcomeNames[r.outcome],
		From: r.from, FillAt: r.fillAt, Fills: r.fills, FillBad: r.fillBad, Listed: r.listed, Unknown: r.unknown,
		Step: int64(r.step), Band: r.band}
	if len(r.vals) > 0 {
		j.Start = time.Unix(r.startSec, int64(r.startNs)).UTC()
	}
	if r.starts != nil {
		j.Starts = *r.starts
	}
	if u := r.rule; u != nil {
		j.Rule = &ruleJSON{Threshold: u.threshold(), N: int(u.n), M: int(u.m), Period: int(u.period), Comparison: operatorName(u.op),
			Legacy: u.legacy, Math: u.math, Statistic: u.statistic(), Unit: u.unit()}
	}
	s := r.stride()
	for i := 0; i+s <= len(r.vals); i += s {
		row := make([]*float64, s)
		missing := math.IsNaN(r.vals[i+1])
		for k := range s {
			if missing && k > 0 {
				continue
			}
			v := r.vals[i+k]
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
	out := Result{State: j.State, nowSec: j.QueryDate.Unix(), nowNsec: int32(j.QueryDate.Nanosecond()), from: j.From,
		fillAt: j.FillAt, fills: j.Fills, fillBad: j.FillBad, listed: j.Listed, unknown: j.Unknown}
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
		c := &Config{Threshold: u.Threshold, ExtendedStatistic: u.Statistic, Unit: u.Unit}
		if _, err := metric.ParseStatistic(u.Statistic); err == nil {
			c.Statistic, c.ExtendedStatistic = u.Statistic, ""
		}
		out.rule = &rule{cfg: c, n: int32(u.N), m: int32(u.M), period: int32(u.Period), op: op, legacy: u.Legacy, math: u.Math}
	} else if out.outcome != outcomeRetained && (j.Periods != nil || out.outcome == outcomeDecided) {
		return errors.New("alarm: decoding a Result: a decided result needs its rule")
	}
	out.startSec, out.startNs, out.step, out.band = j.Start.Unix(), int32(j.Start.Nanosecond()), time.Duration(j.Step), j.Band
	if j.Starts != nil {
		starts := j.Starts
		out.starts = &starts
	}
	s := out.stride()
	for i, row := range j.Periods {
		if len(row) != s || row[0] == nil {
			return fmt.Errorf("alarm: decoding a Result: period %d has %d values, want %d", i, len(row), s)
		}
		if row[1] == nil {
			out.vals = append(out.vals, 0, math.NaN())
			if s == 4 {
				out.vals = append(out.vals, 0, 0)
			}
			continue
		}
		for _, v := range row {
			if v == nil {
				return fmt.Errorf("alarm: decoding a Result: period %d has a null value", i)
			}
			out.vals = append(out.vals, *v)
		}
	}
	if j.Starts != nil && len(j.Starts) != len(j.Periods) {
		return fmt.Errorf("alarm: decoding a Result: %d starts for %d periods", len(j.Starts), len(j.Periods))
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
