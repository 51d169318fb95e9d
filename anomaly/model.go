package anomaly

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// State is a model's training state, with CloudWatch's spellings. Its zero
// value is the initial state.
type State uint8

const (
	// PendingTraining: the model has too little history for a band.
	PendingTraining State = iota
	// TrainedInsufficientData: the model gives bands, but has learned
	// from less than a week.
	TrainedInsufficientData
	// Trained: the model has learned from a week or more.
	Trained
)

var stateNames = [...]string{"PENDING_TRAINING", "TRAINED_INSUFFICIENT_DATA", "TRAINED"}

// String returns "PENDING_TRAINING", "TRAINED_INSUFFICIENT_DATA", "TRAINED"
// or "State(n)".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// A Band is the model's expectation for one period: the expected value and
// the edges of the band of normal values around it.
type Band struct {
	Expected, Lower, Upper float64
}

// Errors of Observe and Band; the errors they return match them
// (errors.Is).
var (
	// ErrPendingTraining: the model had no band when the period started
	// (too little history, or nothing learned in the two weeks before).
	ErrPendingTraining = errors.New("anomaly: PENDING_TRAINING: no band for this period")
	// ErrTooOld: the period is older than the bands the model keeps.
	ErrTooOld = errors.New("anomaly: period older than the band history the model keeps")
	// ErrOutOfOrder: Observe was given a period at or before the newest
	// one it learned from.
	ErrOutOfOrder = errors.New("anomaly: period not after the newest learned period")
	// ErrBadValue: Observe was given NaN, an infinity, or a value beyond
	// ±2^360, the range CloudWatch accepts for metric data.
	ErrBadValue = errors.New("anomaly: value must be a finite number within ±2^360")
	// ErrBadWidth: Band was given a width k that is not a finite number
	// above 0.
	ErrBadWidth = errors.New("anomaly: band width k must be a finite number above 0")
	// ErrTimeRange: a time outside the years 1 to 9999.
	ErrTimeRange = errors.New("anomaly: time outside the years 1 to 9999")
)

// maxValue is the largest magnitude of a value: 2^360, CloudWatch's limit.
var maxValue = math.Ldexp(1, 360)

// The times a model accepts, as Unix seconds: the years 1 to 9999.
const (
	minUnix = -62135596800
	maxUnix = 253402300799
)

// Training rules, in seconds of history.
const (
	// minLearned and minSpan: a band needs 12 learned periods spanning at
	// least 3 hours.
	minLearned = 12
	minSpan    = 3 * 3600
	// trainedSpan: TRAINED once the learned history spans a week.
	trainedSpan = week
	// horizon: after two weeks without a learned period the model forgets
	// everything.
	horizon = 2 * week
	day     = 86400
	week    = 7 * day
)

// A Model is the anomaly-detection model of one metric, statistic and
// period. It learns from the periods it observes, in time order, and gives
// the band of normal values of a period from what it learned before that
// period started.
//
// Its memory does not grow: about 48 KiB for 1-minute periods, 32 KiB for
// 5-minute periods, 17 KiB for hourly ones.
//
// A Model is not safe for concurrent use, except for concurrent calls of
// its read-only methods (Band, State, Newest, Period, Config).
type Model struct {
	cfg    Config
	loc    *time.Location
	p      params
	r      rates
	period int64
	excl   [][2]int64 // excluded ranges, Unix seconds [start, end)

	// The zone cache: the local offset in effect over [zoneFrom, zoneTo).
	zoneFrom, zoneTo, zoneOff int64

	// History.
	learned int64 // periods learned since the last reset
	first   int64 // index of the first learned period
	last    int64 // index of the newest learned period

	// Level, trend, short-term offset and the fast smoother.
	level, trend, short, fast float64

	// The daily profile: during the first day the raw mean value per slot,
	// afterwards each slot's deviation from the level.
	seasonal    bool
	daily       []float64
	dailyN      []uint32
	dailyPeriod int64 // seconds per daily slot
	sinceCenter int64 // periods learned since the profile was re-centred
	centerLevel float64
	centerAt    int64 // the level and period at the last re-centring

	// The weekly offsets, one slot per hour of the week.
	weekly       []weekBin
	weeklyPeriod int64

	// Spread: forecast errors per candidate, the daily envelope of the
	// residuals, their tail.
	errs [nCand]tracker
	env  envelope
	tail tail

	// The current run of residuals far outside the band on one side.
	run      int
	runSigma float64         // the band's spread when the run started
	runBuf   [maxRun]float64 // the run's residuals
	runAbs   [maxRun]float64 // ... their absolute values and
	runW     [maxRun]float64 // ... the weights they entered the tail with

	ring []frozen // bands of the latest periods, by period index modulo len
}

// frozen holds the band of a period, computed before the period was
// observed; sigma is NaN when the model had no band then.
type frozen struct {
	expected, sigma float64
}

// New returns a model for cfg, which it validates (see Config.Validate).
func New(cfg Config) (*Model, error) {
	loc, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	return newModel(cfg, loc, defaultParams), nil
}

func newModel(cfg Config, loc *time.Location, p params) *Model {
	cfg.ExcludedTimeRanges = slices.Clone(cfg.ExcludedTimeRanges)
	per := int64(cfg.Period)
	m := &Model{cfg: cfg, loc: loc, p: p, period: per, r: p.rates(per)}
	for _, r := range cfg.ExcludedTimeRanges {
		m.excl = append(m.excl, [2]int64{r.StartTime.Unix(), ceilUnix(r.EndTime)})
	}
	m.dailyPeriod = max(per, 300)
	m.daily = make([]float64, ceilDiv(day, m.dailyPeriod))
	m.dailyN = make([]uint32, len(m.daily))
	m.env.init(len(m.daily), m.dailyPeriod, per, p)
	m.weeklyPeriod = max(per, 3600)
	m.weekly = make([]weekBin, ceilDiv(week, m.weeklyPeriod))
	// The band history covers an alarm's longest evaluation range: a day
	// (a week for periods of an hour or more) and two periods.
	span := int64(day)
	if per >= 3600 {
		span = week
	}
	m.ring = make([]frozen, ceilDiv(span, per)+2)
	m.reset()
	return m
}

// reset forgets everything learned.
func (m *Model) reset() {
	m.learned, m.first, m.last = 0, 0, math.MinInt64
	m.level, m.trend, m.short, m.fast = 0, 0, 0, 0
	m.seasonal, m.sinceCenter = false, 0
	clear(m.daily)
	clear(m.dailyN)
	for i := range m.weekly {
		m.weekly[i] = weekBin{week: noWeek, week1: noWeek, week2: noWeek}
	}
	m.errs = [nCand]tracker{}
	m.env.reset()
	m.tail = tail{}
	m.run = 0
	for i := range m.ring {
		m.ring[i] = frozen{sigma: math.NaN()}
	}
}

// SetExcludedTimeRanges replaces the model's excluded time ranges (see
// Config.ExcludedTimeRanges), keeping what it learned: the new ranges
// apply to the periods it observes from now on; what it learned from a
// period that a new range covers stays learned. It returns the
// validation error of the ranges, leaving the model unchanged.
func (m *Model) SetExcludedTimeRanges(r []Range) error {
	c := m.cfg
	c.ExcludedTimeRanges = r
	if _, err := c.compile(); err != nil {
		return err
	}
	m.cfg.ExcludedTimeRanges = slices.Clone(r)
	m.excl = m.excl[:0]
	for _, r := range r {
		m.excl = append(m.excl, [2]int64{r.StartTime.Unix(), ceilUnix(r.EndTime)})
	}
	return nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config {
	c := m.cfg
	c.ExcludedTimeRanges = slices.Clone(c.ExcludedTimeRanges)
	return c
}

// Period returns the start of the model period that contains t: periods
// start at multiples of Config.Period seconds since the Unix epoch.
func (m *Model) Period(t time.Time) time.Time {
	return time.Unix(floorDiv(t.Unix(), m.period)*m.period, 0).UTC()
}

// Newest returns the start of the newest period the model learned from,
// and false when it has learned nothing since it was created or since it
// forgot everything.
func (m *Model) Newest() (time.Time, bool) {
	if m.learned == 0 {
		return time.Time{}, false
	}
	return time.Unix(m.last*m.period, 0).UTC(), true
}

// State returns the training state:
//
//   - PENDING_TRAINING until the model has learned from 12 periods whose
//     starts span at least 3 hours (from the first to the newest);
//   - TRAINED_INSUFFICIENT_DATA until they span a week;
//   - TRAINED afterwards.
//
// A model that learns nothing for two weeks forgets everything, and is
// PENDING_TRAINING again from its next observation.
func (m *Model) State() State {
	span := (m.last - m.first) * m.period
	switch {
	case m.learned < minLearned || span < minSpan:
		return PendingTraining
	case span < trainedSpan:
		return TrainedInsufficientData
	}
	return Trained
}

// Observe learns the value of the model period that contains periodStart.
// Periods must come in time order, each at most once; missing periods are
// simply not observed. A period that overlaps an excluded range is
// ignored: the model is exactly as if it had not been observed.
//
// It returns ErrBadValue for NaN, infinities and values beyond ±2^360
// (CloudWatch's range for metric data, which keeps every sum the model
// makes finite), ErrTimeRange, and ErrOutOfOrder (wrapped, naming both
// periods) for a period at or before the newest one learned: a late value
// cannot be learned without changing bands already given, so it is
// refused. The model is then unchanged.
//
// Before learning, the model records the band of the period, and of the
// periods skipped since the newest learned one (at most the band history),
// so that Band answers for them later as it did before. Observe does not
// allocate, except for the error of a refused period.
func (m *Model) Observe(periodStart time.Time, value float64) error {
	if !(math.Abs(value) <= maxValue) {
		return ErrBadValue
	}
	s := periodStart.Unix()
	if s < minUnix || s > maxUnix {
		return ErrTimeRange
	}
	i := floorDiv(s, m.period)
	if m.learned > 0 && i <= m.last {
		return fmt.Errorf("%w: period %s, newest %s", ErrOutOfOrder,
			time.Unix(i*m.period, 0).UTC().Format(time.RFC3339), time.Unix(m.last*m.period, 0).UTC().Format(time.RFC3339))
	}
	if m.excluded(i * m.period) {
		return nil
	}
	if m.learned > 0 && (i-m.last)*m.period > horizon {
		m.reset()
	}
	if m.learned > 0 {
		for j := max(m.last+1, i-int64(len(m.ring))+1); j < i; j++ {
			m.freeze(j)
		}
	}
	f, fr := m.freeze(i)
	m.learn(i, value, &f, fr)
	return nil
}

// excluded reports whether the period starting at Unix second s overlaps
// an excluded range.
func (m *Model) excluded(s int64) bool {
	for _, r := range m.excl {
		if s < r[1] && s+m.period > r[0] {
			return true
		}
	}
	return false
}

// freeze records the band of period i (after the newest learned one) from
// the current state, and returns the forecasts and the band.
func (m *Model) freeze(i int64) (forecasts, frozen) {
	f := m.forecastAt(i, m.local(i*m.period))
	fr := frozen{sigma: math.NaN()}
	if m.bandable(i) {
		fr = m.bandOf(&f)
	}
	m.ring[floorMod(i, int64(len(m.ring)))] = fr
	return f, fr
}

// bandable reports whether the current state gives a band for period i,
// after the newest learned one.
func (m *Model) bandable(i int64) bool {
	return m.State() != PendingTraining && (i-m.last)*m.period <= horizon
}

// Band returns the band of k standard deviations (k > 0, not necessarily a
// whole number; CloudWatch's default is 2) for the model period that
// contains t: the expected value and the band's edges, from what the model
// had learned before that period started. Bands of periods up to the
// newest learned one were recorded as those periods passed; later ones are
// forecast from the current state. So the band of a period never depends
// on its own value or on later ones. The band is clamped as the
// configuration says.
//
// It returns ErrPendingTraining when the model had no band then, ErrTooOld
// for a period before the band history (the newest learned period and the
// day and one period before it; the week and one period for periods of an
// hour or more), ErrBadWidth and ErrTimeRange. It does not allocate.
func (m *Model) Band(t time.Time, k float64) (Band, error) {
	if !(k > 0) || math.IsInf(k, 1) {
		return Band{}, ErrBadWidth
	}
	s := t.Unix()
	if s < minUnix || s > maxUnix {
		return Band{}, ErrTimeRange
	}
	if m.learned == 0 {
		return Band{}, ErrPendingTraining
	}
	i := floorDiv(s, m.period)
	var fr frozen
	switch {
	case i <= m.last-int64(len(m.ring)):
		return Band{}, ErrTooOld
	case i <= m.last:
		fr = m.ring[floorMod(i, int64(len(m.ring)))]
	case !m.bandable(i):
		return Band{}, ErrPendingTraining
	default:
		f := m.forecastAt(i, m.localRO(i*m.period))
		fr = m.bandOf(&f)
	}
	if math.IsNaN(fr.sigma) {
		return Band{}, ErrPendingTraining
	}
	b := Band{Expected: fr.expected, Lower: fr.expected - k*fr.sigma, Upper: fr.expected + k*fr.sigma}
	switch m.cfg.Clamp {
	case ClampNonNegative:
		b.Expected, b.Lower, b.Upper = max(b.Expected, 0), max(b.Lower, 0), max(b.Upper, 0)
	case ClampPercent:
		b.Expected, b.Lower, b.Upper = min(max(b.Expected, 0), 100), min(max(b.Lower, 0), 100), min(max(b.Upper, 0), 100)
	}
	return b, nil
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// ceilUnix returns t's Unix second, rounded up.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// local returns the local wall-clock second of Unix second s (Unix
// seconds plus the zone's offset), caching the zone in effect.
func (m *Model) local(s int64) int64 {
	if s >= m.zoneFrom && s < m.zoneTo {
		return s + m.zoneOff
	}
	off, from, to := zoneAt(m.loc, s)
	m.zoneFrom, m.zoneTo, m.zoneOff = from, to, off
	return s + off
}

// localRO is local without updating the cache, for read-only methods.
func (m *Model) localRO(s int64) int64 {
	if s >= m.zoneFrom && s < m.zoneTo {
		return s + m.zoneOff
	}
	off, _, _ := zoneAt(m.loc, s)
	return s + off
}

// zoneAt returns the offset of loc at Unix second s and the Unix seconds
// [from, to) over which it holds.
func zoneAt(loc *time.Location, s int64) (off, from, to int64) {
	t := time.Unix(s, 0).In(loc)
	_, o := t.Zone()
	start, end := t.ZoneBounds()
	from, to = math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		from = start.Unix()
	}
	if !end.IsZero() {
		to = end.Unix()
	}
	return int64(o), from, to
}
