package alarm

import (
	"math"
	"time"

	"github.com/klaxon-go/klaxon/metric"
)

// A Datapoint is one period of an evaluation range: the alarm's statistic
// over [Start, Start+Period). Missing marks a period without data (or whose
// statistic cannot be computed); its other fields are then meaningless.
// Lower and Upper are the band edges of that period for anomaly-band
// alarms. It is the type metric's aggregation reads windows into, so that
// the engine evaluates them without a copy.
type Datapoint = metric.Period

// Options tune the evaluation where CloudWatch's documentation disagrees
// with itself. The zero value is the project's default reading.
type Options struct {
	// StrictDynamoDB makes alarms on AWS/DynamoDB metrics ignore missing data
	// whatever TreatMissingData says (the older documentation and the API
	// reference). By default they ignore missing data only when
	// TreatMissingData is not set (the current User Guide).
	StrictDynamoDB bool
}

type operator uint8

const (
	opGT operator = iota
	opGE
	opLT
	opLE
	opOutsideBand
	opBelowBand
	opAboveBand
)

var operators = map[string]operator{
	GreaterThanThreshold:                     opGT,
	GreaterThanOrEqualToThreshold:            opGE,
	LessThanThreshold:                        opLT,
	LessThanOrEqualToThreshold:               opLE,
	LessThanLowerOrGreaterThanUpperThreshold: opOutsideBand,
	LessThanLowerThreshold:                   opBelowBand,
	GreaterThanUpperThreshold:                opAboveBand,
}

type policy uint8

const (
	policyMissing policy = iota
	policyIgnore
	policyBreaching
	policyNotBreaching
)

// An Evaluator is a validated, compiled Config: it decides the state of the
// alarm from an evaluation range. It holds no state of its own and is safe
// for concurrent use.
type Evaluator struct {
	cfg       Config
	stat      metric.Statistic
	n, m      int
	op        operator
	policy    policy
	lowSample float64 // with EvaluateLowSampleCountPercentile "ignore": the minimum sample count
}

// NewEvaluator validates cfg (see Config.Validate) and compiles it.
func NewEvaluator(cfg Config, opts Options) (*Evaluator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Evaluator{cfg: cfg.Clone(), n: cfg.EvaluationPeriods, m: cfg.M(), op: operators[cfg.ComparisonOperator]}
	switch {
	case cfg.Statistic != "":
		e.stat, _ = metric.ParseStatistic(cfg.Statistic)
	case cfg.ExtendedStatistic != "":
		e.stat, _ = metric.ParseExtendedStatistic(cfg.ExtendedStatistic)
	}
	switch cfg.TreatMissingData {
	case MissingDataIgnore:
		e.policy = policyIgnore
	case MissingDataBreaching:
		e.policy = policyBreaching
	case MissingDataNotBreaching:
		e.policy = policyNotBreaching
	}
	if cfg.Namespace == "AWS/DynamoDB" && (cfg.TreatMissingData == "" || opts.StrictDynamoDB) {
		e.policy = policyIgnore
	}
	if cfg.EvaluateLowSampleCountPercentile == "ignore" {
		if n, ok := e.stat.LowSampleMinimum(); ok {
			e.lowSample = n
		}
	}
	return e, nil
}

// Config returns the configuration the evaluator was compiled from.
func (e *Evaluator) Config() *Config { return &e.cfg }

// Statistic returns the alarm's parsed statistic (zero for math alarms).
func (e *Evaluator) Statistic() metric.Statistic { return e.stat }

// Range returns the number of periods of the evaluation range: N + 2.
// CloudWatch documents one value (3 periods evaluated, range 5); N + 2 is
// the project's choice for the others (see the package Caveats).
func (e *Evaluator) Range() int { return e.n + 2 }

// Period returns the alarm's period.
func (e *Evaluator) Period() time.Duration {
	p := e.cfg.Period
	if p == 0 {
		for _, q := range e.cfg.Metrics {
			if q.MetricStat != nil {
				p = q.MetricStat.Period
				break
			}
		}
	}
	return time.Duration(p) * time.Second
}

// Breaching reports whether the real datapoint d is on the alarm side of the
// threshold (or outside the band).
func (e *Evaluator) Breaching(d Datapoint) bool { return e.breaching(&d) }

func (e *Evaluator) breaching(d *Datapoint) bool {
	v, t := d.Value, e.cfg.Threshold
	switch e.op {
	case opGT:
		return v > t
	case opGE:
		return v >= t
	case opLT:
		return v < t
	case opLE:
		return v <= t
	case opOutsideBand:
		return v < d.Lower || v > d.Upper
	case opBelowBand:
		return v < d.Lower
	default:
		return v > d.Upper
	}
}

// outcome is how a Result came about.
type outcome uint8

const (
	outcomeDecided  outcome = iota // the datapoints (and fills) decided OK or ALARM
	outcomeUnknown                 // INSUFFICIENT_DATA: not enough data
	outcomeRetained                // the current state is kept (ignore, low samples)
)

// A Result is the outcome of one evaluation: the new State, and what the
// reason and reason data are rendered from. It refers to the window it was
// computed from; Clone detaches it.
type Result struct {
	State State

	e       *Evaluator
	window  []Datapoint
	packed  *packedWindow // the window of a cloned result
	now     time.Time
	outcome outcome
	from    int  // real datapoints at window index >= from were evaluated
	fills   int  // missing slots filled with the policy's value
	fillAt  int  // the filled slots are the missing ones at index >= fillAt
	fillBad bool // fills count as breaching
	listed  int  // real datapoints listed in the reason (breaching for ALARM, not for OK)
	unknown int  // for INSUFFICIENT_DATA: the datapoints that were unknown
}

// Retained reports whether the evaluation kept the previous state without
// deciding (TreatMissingData "ignore", low-sample percentiles), so that
// nothing is to be recorded.
func (r *Result) Retained() bool { return r.outcome == outcomeRetained }

// Clone returns a copy of r that owns the part of its window that its
// reason and reason data show, to be kept after the caller reuses the
// window it evaluated. Evenly spaced windows are stored compactly (the
// values and sample counts only): a stored result costs about 200 bytes
// for N = 5.
func (r Result) Clone() Result {
	lo := min(r.from, r.fillAt, max(0, len(r.window)-r.e.n))
	w := r.window[lo:]
	r.from -= lo
	r.fillAt -= lo
	r.window = nil
	if p := pack(w, r.e.band()); p != nil {
		r.packed = p
	} else {
		r.window = append([]Datapoint(nil), w...)
	}
	return r
}

// packedWindow is a stored window of evenly spaced periods: per period the
// value and the sample count (NaN for a missing period), and the band
// edges for band alarms.
type packedWindow struct {
	start time.Time
	step  time.Duration
	band  bool
	vals  []float64
}

func pack(w []Datapoint, band bool) *packedWindow {
	if len(w) == 0 {
		return nil
	}
	p := &packedWindow{start: w[0].Start, band: band}
	if len(w) > 1 {
		p.step = w[1].Start.Sub(w[0].Start)
	}
	stride := 2
	if band {
		stride = 4
	}
	p.vals = make([]float64, 0, stride*len(w))
	for i, d := range w {
		if !d.Start.Equal(p.start.Add(time.Duration(i) * p.step)) {
			return nil
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
	return p
}

func (p *packedWindow) stride() int {
	if p.band {
		return 4
	}
	return 2
}

// len returns the number of periods of the result's window.
func (r *Result) len() int {
	if r.packed != nil {
		return len(r.packed.vals) / r.packed.stride()
	}
	return len(r.window)
}

// at returns period i of the result's window.
func (r *Result) at(i int) Datapoint {
	p := r.packed
	if p == nil {
		return r.window[i]
	}
	v := p.vals[i*p.stride():]
	d := Datapoint{Start: p.start.Add(time.Duration(i) * p.step), Value: v[0], SampleCount: v[1], Missing: math.IsNaN(v[1])}
	if p.band {
		d.Lower, d.Upper = v[2], v[3]
	}
	return d
}

// QueryDate returns the evaluation time.
func (r *Result) QueryDate() time.Time { return r.now }

// Evaluate decides the alarm's state at now from window, the evaluation
// range oldest first (normally Range() periods, the newest ending at now),
// and prev, the current state (used only when missing data is ignored).
// It does not allocate.
//
// The decision follows the project's single model of CloudWatch's missing
// data tables (spec metric-alarms.md §3.6); see the package documentation.
func (e *Evaluator) Evaluate(prev State, window []Datapoint, now time.Time) Result {
	r := Result{State: prev, e: e, window: window, now: now, from: len(window), fillAt: len(window)}
	n, m := e.n, e.m
	// One pass, newest first: every real datapoint (real, bad, oldest) and
	// the N most recent ones (from, badN).
	real, bad, badN, oldest, from := 0, 0, 0, -1, len(window)
	for i := len(window) - 1; i >= 0; i-- {
		d := &window[i]
		if d.Missing {
			continue
		}
		real++
		oldest = i
		b := e.breaching(d)
		if b {
			bad++
		}
		if real <= n {
			from = i
			if b {
				badN++
			}
		}
	}
	switch {
	case real == 0:
		switch e.policy {
		case policyMissing:
			r.State, r.outcome, r.unknown = StateInsufficientData, outcomeUnknown, n
			return r
		case policyIgnore:
			r.outcome = outcomeRetained
			return r
		}
		r.fill(n, e.policy == policyBreaching)
		r.decide(0, 0, e.policy == policyBreaching)
		return r
	case real >= n:
		// The N most recent real datapoints; the policy is not used.
		r.from = from
		if r.lowSamples() {
			r.outcome = outcomeRetained
			return r
		}
		r.decide(badN, n, badN >= m)
		return r
	}
	// Fewer real datapoints than N: all of them are evaluated.
	r.from = oldest
	if r.lowSamples() {
		r.outcome = outcomeRetained
		return r
	}
	k := n - real
	switch e.policy {
	case policyBreaching:
		r.fill(k, true)
		r.decide(bad, real, bad+k >= m)
	case policyNotBreaching:
		r.fill(k, false)
		r.decide(bad, real, bad >= m)
	default: // missing, ignore
		switch {
		case bad >= m:
			r.decide(bad, real, true)
		case bad == real && len(window)-oldest >= m:
			// Premature alarm state: the oldest breaching datapoint is at
			// least M periods old and nothing newer is good.
			if e.policy == policyIgnore {
				r.outcome = outcomeRetained
				return r
			}
			r.decide(bad, real, true)
		case bad < real:
			r.decide(bad, real, false)
		case e.policy == policyIgnore:
			r.outcome = outcomeRetained
		default:
			r.State, r.outcome, r.unknown = StateInsufficientData, outcomeUnknown, k
		}
	}
	return r
}

// fill records that the k most recent missing slots take the policy's value.
func (r *Result) fill(k int, breaching bool) {
	r.fills, r.fillBad = k, breaching
	left := k
	for i := len(r.window) - 1; i >= 0 && left > 0; i-- {
		if r.window[i].Missing {
			r.fillAt = i
			left--
		}
	}
	if left > 0 {
		// The window is shorter than N: the fills stand for periods
		// before it.
		r.fillAt = 0
	}
}

// decide sets the state to ALARM or OK; bad of the real datapoints
// evaluated breach.
func (r *Result) decide(bad, real int, alarm bool) {
	r.outcome = outcomeDecided
	if alarm {
		r.State, r.listed = StateAlarm, bad
		return
	}
	r.State, r.listed = StateOK, real-bad
}

// lowSamples reports whether an evaluated datapoint has fewer samples than
// a percentile alarm with EvaluateLowSampleCountPercentile "ignore" needs.
func (r *Result) lowSamples() bool {
	if r.e.lowSample == 0 {
		return false
	}
	for i := r.from; i < len(r.window); i++ {
		if !r.window[i].Missing && r.window[i].SampleCount < r.e.lowSample {
			return true
		}
	}
	return false
}
