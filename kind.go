package klaxon

import (
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwjson"
	"github.com/klaxon-go/klaxon/metric"
)

// How an alarm kind plugs in (see the package documentation): an
// alarmObj is one alarm the engine holds. Its kind decides what it reads
// and how it evaluates; everything else (state, schedule, transitions,
// history, actions, description) is the engine's, through these methods.
// Metric alarms are the first kind; composite alarms and the test kind of
// kind_test.go use the same interface.
type alarmObj interface {
	// base returns the state the engine keeps for every alarm.
	base() *alarmBase
	// spec returns the alarm's configuration: immutable, kept by the
	// history items and transitions written under it.
	spec() spec
	// cadence is how often the scheduler evaluates the alarm (10 s, a
	// minute, an hour); 0 means only when something it reads changes.
	cadence() time.Duration
	// attach registers what the alarm reads (metric watches) when it
	// enters the engine; old is the alarm it replaces, or nil. detach
	// gives it back when the alarm is deleted or replaced.
	attach(e *Engine, old alarmObj)
	detach(e *Engine)
	// evaluate decides the alarm's state at t. It returns the record of a
	// new state, or nil when the state stays as it is; it must not
	// allocate when it returns nil.
	evaluate(e *Engine, t time.Time) record
	// children returns the names of the alarms it reads (a composite's
	// children); nil for alarms that read metrics.
	children() []string
}

// A spec is an alarm's configuration as the engine shows it: in
// DescribeAlarms, in ConfigurationUpdate history items and in
// transitions. A spec never changes; an update makes a new one.
type spec interface {
	name() string
	// alarmType is "MetricAlarm" or "CompositeAlarm".
	alarmType() string
	// actionsEnabled is the configuration's ActionsEnabled.
	actionsEnabled() bool
	// actions returns the action list of a state.
	actions(s alarm.State) []string
	// describe adds the alarm's describe form, with the common fields c,
	// to out.
	describe(out *DescribeAlarmsOutput, c described)
	// writeHistoryAlarm writes the alarm object of a ConfigurationUpdate
	// item's HistoryData.
	writeHistoryAlarm(w *cwjson.Writer, c described)
	// transition fills the kind's part of a Transition: a copy of the
	// configuration.
	transition(t *Transition)
}

// alarmBase is the state the engine keeps for every alarm, whatever its
// kind. It is embedded in each kind's alarmObj.
type alarmBase struct {
	cur record // nil until the first change: the initial state
	// configUpdated and transitioned are the alarm's timestamps
	// (StateUpdatedTimestamp is cur's time).
	configUpdated nanos
	transitioned  nanos
	hist          alarmHistory
	// Last, next to what each kind's evaluation reads after its base
	// (metricAlarm's spec and watch), what the evaluation loop reads.
	state     alarm.State // cur's value
	enabled   bool        // ActionsEnabled, changed by Enable/DisableAlarmActions
	histAt    int32       // index of hist in Engine.histories
	notBefore nanos       // evaluations before this time are skipped: the last state change or configuration update
}

// current returns the alarm's state record; for a new alarm, a record of
// its initial state.
func (b *alarmBase) current() record {
	if b.cur == nil {
		return &textRecord{val: alarm.StateInsufficientData, at: b.transitioned, reason: InitialReason}
	}
	return b.cur
}

// nanos is a time as Unix nanoseconds, for the timestamps every alarm
// keeps: a third of a time.Time's size. Every time the engine stores lies
// in [MinTime, MaxTime), which nanos holds exactly.
type nanos int64

func stamp(t time.Time) nanos { return nanos(t.UnixNano()) }

func (n nanos) time() time.Time { return time.Unix(0, int64(n)).UTC() }

// boundNanos returns t as nanos for comparing with stored times: a time
// before or after what nanos holds becomes its least or greatest value,
// which orders the same against every stored time.
func boundNanos(t time.Time) nanos {
	switch {
	case t.Before(time.Unix(0, int64(minNanos))):
		return minNanos
	case t.After(time.Unix(0, int64(maxNanos))):
		return maxNanos
	}
	return stamp(t)
}

// ---- metric alarms ----

// A metricAlarm is an alarm of PutMetricAlarm: one metric and a static
// threshold.
type metricAlarm struct {
	alarmBase
	sp    *metricSpec
	watch metric.Watch
	band  *bandUse // an anomaly detection alarm's band; nil for a static threshold
}

// metricSpec is a metric alarm's compiled configuration: its evaluator,
// as a type of the engine's (a conversion, not a copy).
type metricSpec alarm.Evaluator

func (s *metricSpec) ev() *alarm.Evaluator { return (*alarm.Evaluator)(s) }

func (m *metricAlarm) base() *alarmBase { return &m.alarmBase }
func (m *metricAlarm) spec() spec       { return m.sp }

// cadence: alarms with a Period of 10, 20 or 30 seconds are evaluated
// every 10 seconds, those whose Period x EvaluationPeriods exceeds a day
// every hour, the others every minute. The period is the evaluator's, which
// metric-math alarms take from their queries.
func (m *metricAlarm) cadence() time.Duration {
	p := m.sp.ev().Period()
	switch {
	case p < time.Minute:
		return 10 * time.Second
	case p*time.Duration(m.sp.ev().Config().EvaluationPeriods) > 24*time.Hour:
		return time.Hour
	}
	return time.Minute
}

func (m *metricAlarm) attach(e *Engine, old alarmObj) {
	ev := m.sp.ev()
	c := ev.Config()
	q := metric.Query{
		Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions, Unit: c.Unit,
		Stat: ev.Statistic(), Period: ev.Period(), Periods: ev.Range(),
	}
	if _, in, ok := c.Band(); ok {
		ms := in.MetricStat
		q.Namespace, q.MetricName, q.Dimensions, q.Unit = ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions, ms.Unit
		q.Stat, _ = parseStat(ms.Stat)
	}
	// The new watch is registered before the old one goes, so that the
	// metric keeps its data (and its raw samples) throughout.
	e.agg.WatchInto(&m.watch, q)
	if old != nil {
		old.detach(e)
	}
}

func (m *metricAlarm) detach(e *Engine) {
	e.agg.Unwatch(&m.watch)
	if m.band != nil {
		e.releaseModel(m.band.bm)
	}
}

func (m *metricAlarm) children() []string { return nil }

func (m *metricAlarm) evaluate(e *Engine, t time.Time) record {
	ev := m.sp.ev()
	win := e.scratch(ev.Range())
	if m.band == nil {
		// The decision needs the values; a transition's reason, the
		// periods' times too (read again below).
		m.watch.ReadValues(t, win)
	} else {
		// An anomaly detection alarm reads its model's periods: aligned
		// to the Unix epoch, the newest the last one that ended.
		m.watch.Read(epochPeriod(t, m.band.bm.period), win)
		m.band.fill(win)
	}
	s, decided := ev.Decide(m.state, win)
	if !decided || s == m.state {
		return nil
	}
	if m.band == nil {
		m.watch.Read(t, win)
	}
	return &metricRecord{res: ev.Evaluate(m.state, win, t)}
}

// scratch returns the engine's window of n periods (under the lock).
func (e *Engine) scratch(n int) []alarm.Datapoint {
	if cap(e.window) < n {
		e.window = make([]alarm.Datapoint, n)
	}
	return e.window[:n]
}

func (s *metricSpec) name() string         { return s.ev().Config().AlarmName }
func (s *metricSpec) alarmType() string    { return MetricAlarmType }
func (s *metricSpec) actionsEnabled() bool { return s.ev().Config().ActionsOn() }

func (s *metricSpec) actions(st alarm.State) []string {
	c := s.ev().Config()
	switch st {
	case alarm.StateOK:
		return c.OKActions
	case alarm.StateAlarm:
		return c.AlarmActions
	}
	return c.InsufficientDataActions
}

func (s *metricSpec) transition(t *Transition) {
	c := s.ev().Config().Clone()
	t.MetricAlarm = &c
}

// The values of AlarmType.
const (
	MetricAlarmType    = "MetricAlarm"
	CompositeAlarmType = "CompositeAlarm"
)
