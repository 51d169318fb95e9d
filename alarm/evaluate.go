package alarm

import (
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
	rule      rule
	cfg       Config
	stat      metric.Statistic
	lowSample float64 // with EvaluateLowSampleCountPercentile "ignore": the minimum sample count
}

// rule is what a reason is rendered from besides the datapoints: the parts
// of an alarm's configuration that StateReason and StateReasonData show
// (with cfg's threshold, statistic and unit). It never changes; a Result
// keeps a pointer to its evaluator's rule, which stays when the alarm is
// updated (the update compiles a new evaluator).
type rule struct {
	cfg    *Config // the evaluator's own: Threshold, Statistic, ExtendedStatistic, Unit
	n, m   int32
	period int32 // seconds
	op     operator
	policy policy
	legacy bool // DatapointsToAlarm not set: the legacy wording
	math   bool // a metric-math (or anomaly-band) alarm
}

func (r *rule) threshold() float64 { return r.cfg.Threshold }
func (r *rule) unit() string       { return r.cfg.Unit }

// statistic is the statistic's text ("Average", "p99"); "" for math alarms.
func (r *rule) statistic() string {
	if r.cfg.Statistic != "" {
		return r.cfg.Statistic
	}
	return r.cfg.ExtendedStatistic
}

// NewEvaluator validates cfg (see Config.Validate) and compiles it.
func NewEvaluator(cfg Config, opts Options) (*Evaluator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &Evaluator{cfg: cfg.Clone()}
	c := &e.cfg
	e.rule = rule{
		cfg: c, n: int32(c.EvaluationPeriods), m: int32(c.M()), op: operators[c.ComparisonOperator],
		legacy: c.DatapointsToAlarm == 0, math: c.IsMath(),
	}
	switch {
	case c.Statistic != "":
		e.stat, _ = metric.ParseStatistic(c.Statistic)
	case c.ExtendedStatistic != "":
		e.stat, _ = metric.ParseExtendedStatistic(c.ExtendedStatistic)
	}
	e.rule.period = int32(e.Period() / time.Second)
	switch c.TreatMissingData {
	case MissingDataIgnore:
		e.rule.policy = policyIgnore
	case MissingDataBreaching:
		e.rule.policy = policyBreaching
	case MissingDataNotBreaching:
		e.rule.policy = policyNotBreaching
	}
	if c.Namespace == "AWS/DynamoDB" && (c.TreatMissingData == "" || opts.StrictDynamoDB) {
		e.rule.policy = policyIgnore
	}
	if c.EvaluateLowSampleCountPercentile == "ignore" {
		if n, ok := e.stat.LowSampleMinimum(); ok {
			e.lowSample = n
		}
	}
	return e, nil
}

// Config returns the configuration the evaluator was compiled from. It is
// the evaluator's own: callers must not modify it (Config.Clone gives a
// copy).
func (e *Evaluator) Config() *Config { return &e.cfg }

// Statistic returns the alarm's parsed statistic (zero for math alarms).
func (e *Evaluator) Statistic() metric.Statistic { return e.stat }

// Range returns the number of periods of the evaluation range: N + 2.
// CloudWatch documents one value (3 periods evaluated, range 5); N + 2 is
// the project's choice for the others (see the package Caveats).
func (e *Evaluator) Range() int { return int(e.rule.n) + 2 }

// Period returns the alarm's period: Period, or the period of a metric-math
// alarm's MetricStat (or, for an alarm of expressions only, of its
// queries).
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
	if p == 0 {
		for _, q := range e.cfg.Metrics {
			if q.Period != 0 {
				p = q.Period
				break
			}
		}
	}
	return time.Duration(p) * time.Second
}

// Breaching reports whether the real datapoint d is on the alarm side of the
// threshold (or outside the band).
func (e *Evaluator) Breaching(d Datapoint) bool { return e.rule.breaching(&d) }

func (r *rule) breaching(d *Datapoint) bool {
	v, t := d.Value, r.cfg.Threshold
	switch r.op {
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

// band reports whether the alarm compares against an anomaly band.
func (r *rule) band() bool { return r.op >= opOutsideBand }

// outcome is how a decision came about.
type outcome uint8

const (
	outcomeDecided  outcome = iota // the datapoints (and fills) decided OK or ALARM
	outcomeUnknown                 // INSUFFICIENT_DATA: not enough data
	outcomeRetained                // the current state is kept (ignore, low samples)
)

// decision is what Decide computes: the state and, for the reason, which
// datapoints decided it. Indexes are window indexes.
type decision struct {
	state   State
	outcome outcome
	fillBad bool // fills count as breaching
	from    int  // real datapoints at index >= from were evaluated
	fills   int  // missing slots filled with the policy's value
	fillAt  int  // the filled slots are the missing ones at index >= fillAt
	listed  int  // real datapoints listed in the reason (breaching for ALARM, not for OK)
	unknown int  // for INSUFFICIENT_DATA: the datapoints that were unknown
}

// Decide decides the alarm's state from window, the evaluation range oldest
// first (normally Range() periods, the newest ending at the evaluation
// time), and prev, the current state (used only when missing data is
// ignored). It returns the new state and false when the evaluation keeps
// the state without deciding (TreatMissingData "ignore", low-sample
// percentiles): nothing is then to be recorded. Decide keeps no reference
// to window and does not allocate; Evaluate gives the same decision with
// its reason.
//
// The decision follows the single model of CloudWatch's missing-data tables
// that the package documentation describes.
func (e *Evaluator) Decide(prev State, window []Datapoint) (State, bool) {
	var d decision
	e.decide(&d, prev, window)
	return d.state, d.outcome != outcomeRetained
}

// Evaluate decides as Decide does and returns the decision with what its
// StateReason and StateReasonData are rendered from: a self-contained
// value that copies the part of window its reason shows (one allocation)
// and keeps nothing of window or of the Evaluator, so that it can be kept,
// compared (Equal), encoded (MarshalJSON) and rendered after window is
// reused or the alarm updated. now is the evaluation time (queryDate).
func (e *Evaluator) Evaluate(prev State, window []Datapoint, now time.Time) Result {
	var d decision
	e.decide(&d, prev, window)
	r := Result{State: d.state, rule: &e.rule, nowSec: now.Unix(), nowNsec: int32(now.Nanosecond()), outcome: d.outcome,
		fillBad: d.fillBad, fills: int32(d.fills), listed: int32(d.listed), unknown: int32(d.unknown)}
	if d.outcome == outcomeRetained {
		return r
	}
	// Keep the periods from the oldest one the reason shows: every
	// evaluated (or filled) period, and for INSUFFICIENT_DATA the N newest.
	lo := min(d.from, d.fillAt, max(0, len(window)-int(e.rule.n)))
	r.from, r.fillAt = int32(d.from-lo), int32(d.fillAt-lo)
	r.pack(window[lo:], e.rule.band())
	return r
}

func (e *Evaluator) decide(r *decision, prev State, window []Datapoint) {
	*r = decision{state: prev, from: len(window), fillAt: len(window)}
	n, m := int(e.rule.n), int(e.rule.m)
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
		b := e.rule.breaching(d)
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
		switch e.rule.policy {
		case policyMissing:
			r.state, r.outcome, r.unknown = StateInsufficientData, outcomeUnknown, n
			return
		case policyIgnore:
			r.outcome = outcomeRetained
			return
		}
		r.fill(window, n, e.rule.policy == policyBreaching)
		r.decide(0, 0, e.rule.policy == policyBreaching)
		return
	case real >= n:
		// The N most recent real datapoints; the policy is not used.
		r.from = from
		if e.lowSamples(window, from) {
			r.outcome = outcomeRetained
			return
		}
		r.decide(badN, n, badN >= m)
		return
	}
	// Fewer real datapoints than N: all of them are evaluated.
	r.from = oldest
	if e.lowSamples(window, oldest) {
		r.outcome = outcomeRetained
		return
	}
	k := n - real
	switch e.rule.policy {
	case policyBreaching:
		r.fill(window, k, true)
		r.decide(bad, real, bad+k >= m)
	case policyNotBreaching:
		r.fill(window, k, false)
		r.decide(bad, real, bad >= m)
	default: // missing, ignore
		switch {
		case bad >= m:
			r.decide(bad, real, true)
		case bad == real && len(window)-oldest >= m:
			// Premature alarm state: the oldest breaching datapoint is at
			// least M periods old and nothing newer is good.
			if e.rule.policy == policyIgnore {
				r.outcome = outcomeRetained
				return
			}
			r.decide(bad, real, true)
		case bad < real:
			r.decide(bad, real, false)
		case e.rule.policy == policyIgnore:
			r.outcome = outcomeRetained
		default:
			r.state, r.outcome, r.unknown = StateInsufficientData, outcomeUnknown, k
		}
	}
}

// fill records that the k most recent missing slots take the policy's value.
func (r *decision) fill(window []Datapoint, k int, breaching bool) {
	r.fills, r.fillBad = k, breaching
	left := k
	for i := len(window) - 1; i >= 0 && left > 0; i-- {
		if window[i].Missing {
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
func (r *decision) decide(bad, real int, alarm bool) {
	r.outcome = outcomeDecided
	if alarm {
		r.state, r.listed = StateAlarm, bad
		return
	}
	r.state, r.listed = StateOK, real-bad
}

// lowSamples reports whether an evaluated datapoint (index >= from) has
// fewer samples than a percentile alarm with
// EvaluateLowSampleCountPercentile "ignore" needs.
func (e *Evaluator) lowSamples(window []Datapoint, from int) bool {
	if e.lowSample == 0 {
		return false
	}
	for i := from; i < len(window); i++ {
		if !window[i].Missing && window[i].SampleCount < e.lowSample {
			return true
		}
	}
	return false
}
