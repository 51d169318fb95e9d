package klaxontest

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/internal/series"
	"github.com/klaxon-go/klaxon/metric"
	"github.com/klaxon-go/klaxon/replay"
)

// A Scenario is an Engine on a Clock, with the alarms, the metric data
// and the expectations of one test. Its methods are meant for the test's
// goroutine: input they cannot use (a bad series, an unknown alarm, an
// alarm the engine refuses) ends the test with t.Fatalf, and an
// expectation that does not hold reports with t.Errorf. Scenarios share
// nothing, so tests that each make their own run in parallel.
type Scenario struct {
	tb     testing.TB
	clk    *Clock
	e      *klaxon.Engine
	start  time.Time
	region string // the engine's

	alarms map[string]*entry
	names  []string // the alarms, in the order they were put

	pending []event   // data not yet sent, by time
	end     time.Time // the evaluation that first sees the last datapoint given
	ran     bool      // Run or Advance was called

	mu          sync.Mutex // guards what the engine's callbacks record
	transitions []klaxon.Transition
	actions     []klaxon.Action
}

// entry is an alarm of the scenario.
type entry struct {
	metric    *alarm.Config // a metric alarm's configuration, or nil
	composite bool
	created   time.Time
}

// event is one datum to send at its time.
type event struct {
	at  time.Time
	ns  string
	d   metric.Datum
	src origin
}

// origin is where a datum came from: the n-th datapoint of a series'
// item run, or of a file at line:col.
type origin struct {
	call      string // `Series("p99", ...)`, or the file's name
	run       *series.Run
	n         int
	line, col int
}

// where names the event's origin for a message.
func (ev *event) where() string {
	o := ev.src
	if o.run == nil {
		return fmt.Sprintf("SeriesFile: %s:%d:%d: datapoint %d (%s at %s)", o.call, o.line, o.col, o.n, ev.d.MetricName, ev.at.Format(time.RFC3339))
	}
	return fmt.Sprintf("%s: series:%d:%d: %q (datapoint %d)", o.call, o.run.Line, o.run.Col, o.run.Text, o.n)
}

// An Option configures a Scenario.
type Option func(*options)

type options struct {
	start  time.Time
	engine klaxon.Options
}

// StartAt starts the scenario's clock at t, a whole minute (default
// 2024-05-01T00:00:00Z, so that times in the timeline read as the time
// since the start). A test of data from a file (SeriesFile) starts where
// the data begins.
func StartAt(t time.Time) Option { return func(o *options) { o.start = t } }

// EngineOptions configures the scenario's engine: Region, AccountID,
// Evaluation and the rest. Clock is replaced by the scenario's Clock.
// Actions, when set, runs each action after the scenario has recorded it,
// and its error is the action's outcome (a test of retries makes it
// fail).
func EngineOptions(o klaxon.Options) Option { return func(s *options) { s.engine = o } }

// New returns a Scenario whose engine has no alarms, on a Clock at the
// start. It starts no goroutine and needs no cleanup.
func New(tb testing.TB, opts ...Option) *Scenario {
	tb.Helper()
	o := options{start: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}
	for _, f := range opts {
		f(&o)
	}
	if !o.start.Equal(o.start.Truncate(time.Minute)) {
		tb.Fatalf("klaxontest.New: the start %s is not a whole minute; CloudWatch evaluates at whole minutes", o.start.Format(time.RFC3339Nano))
	}
	s := &Scenario{tb: tb, clk: NewClock(o.start.UTC()), start: o.start.UTC(), alarms: make(map[string]*entry)}
	eo := o.engine
	eo.Clock = s.clk
	user := eo.Actions
	eo.Actions = klaxon.ActionRunnerFunc(func(ctx context.Context, a klaxon.Action) error {
		s.mu.Lock()
		s.actions = append(s.actions, a)
		s.mu.Unlock()
		if user != nil {
			return user.RunAction(ctx, a)
		}
		return nil
	})
	e, err := klaxon.New(eo)
	if err != nil {
		tb.Fatalf("klaxontest.New: %v", err)
	}
	e.Subscribe(func(t klaxon.Transition) {
		s.mu.Lock()
		s.transitions = append(s.transitions, t)
		s.mu.Unlock()
	})
	s.e = e
	s.region = cmp.Or(eo.Region, "us-east-1")
	return s
}

// Engine returns the scenario's engine, for what the Scenario does not
// wrap (DescribeAlarmHistory, SetAlarmState, ...). Move time with the
// Scenario's Run and Advance, not the engine's: they also send the data.
func (s *Scenario) Engine() *klaxon.Engine { return s.e }

// Clock returns the scenario's clock.
func (s *Scenario) Clock() *Clock { return s.clk }

// Start returns the time the scenario started at.
func (s *Scenario) Start() time.Time { return s.start }

// PutMetricAlarm creates or updates a metric alarm, as
// Engine.PutMetricAlarm does, at the clock's time.
func (s *Scenario) PutMetricAlarm(cfg alarm.Config) {
	s.tb.Helper()
	if err := s.e.PutMetricAlarm(context.Background(), cfg); err != nil {
		s.tb.Fatalf("PutMetricAlarm(%q): %v", cfg.AlarmName, err)
	}
	s.add(cfg.AlarmName, &entry{metric: new(cfg.Clone())})
}

// PutCompositeAlarm creates or updates a composite alarm, as
// Engine.PutCompositeAlarm does: its children must exist.
func (s *Scenario) PutCompositeAlarm(cfg composite.Config) {
	s.tb.Helper()
	if err := s.e.PutCompositeAlarm(context.Background(), cfg); err != nil {
		s.tb.Fatalf("PutCompositeAlarm(%q): %v", cfg.AlarmName, err)
	}
	s.add(cfg.AlarmName, &entry{composite: true})
}

func (s *Scenario) add(name string, a *entry) {
	a.created = s.clk.Now()
	if _, ok := s.alarms[name]; !ok {
		s.names = append(s.names, name)
	}
	s.alarms[name] = a
}

// AlarmsFile puts the alarms of a file: the output of `aws cloudwatch
// describe-alarms` (MetricAlarms and CompositeAlarms), one
// put-metric-alarm or put-composite-alarm input object, or an array of
// them. Metric alarms go first, in file order, then the composites, each
// after the composites it reads.
func (s *Scenario) AlarmsFile(path string) {
	s.tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		s.tb.Fatalf("AlarmsFile: %v", err)
	}
	defer f.Close()
	as, err := replay.ReadAlarms(path, f)
	if err != nil {
		s.tb.Fatalf("AlarmsFile: %v", err)
	}
	hint := ""
	if as.Region != "" && as.Region != s.region {
		hint = fmt.Sprintf(" (the file's alarms are in %s: klaxontest.EngineOptions(klaxon.Options{Region: %q, AccountID: %q}) makes the scenario's engine so)",
			as.Region, as.Region, as.AccountID)
	}
	for i, c := range as.Metric {
		if err := s.e.PutMetricAlarm(context.Background(), c); err != nil {
			s.tb.Fatalf("AlarmsFile: %s %v%s", as.MetricAt[i], err, hint)
		}
		s.add(c.AlarmName, &entry{metric: new(c.Clone())})
	}
	if err := as.PutComposites(context.Background(), s.e); err != nil {
		s.tb.Fatalf("AlarmsFile: %v%s", err, hint)
	}
	for _, c := range as.Composite {
		s.add(c.AlarmName, &entry{composite: true})
	}
}

// Series gives the metric that an alarm reads one value per period of
// the alarm, in the notation "200x5 | 91 95 _ 97 80x3": numbers, _ for a
// period with no data, xN to repeat the item before it N times, # to
// comment to the end of the line, and one optional | between the past
// and now. The first value after | (or the first value, without |) is
// the metric's datapoint for the period that starts at the clock's time
// (the start, or where Run or Advance left it), and the values before |
// are the periods before it: the history an alarm finds, sent before its
// first evaluation. A value is sent, as one sample, in its period's last
// minute (last 10 seconds for a high-resolution alarm), so that the
// evaluation at the period's end is the first to see it. Every alarm on
// the same metric sees it. Run sends the data and evaluates.
//
// A metric-math alarm's series feeds the metric it reads (an
// ANOMALY_DETECTION_BAND alarm's, the metric of its band); MetricSeries
// names one of several.
func (s *Scenario) Series(alarmName, values string) {
	s.tb.Helper()
	s.series("Series", alarmName, "", values)
}

// MetricSeries is Series for the metric of a metric-math alarm's query
// id (a MetricStat of its Metrics), spaced by that query's period.
func (s *Scenario) MetricSeries(alarmName, id, values string) {
	s.tb.Helper()
	s.series("MetricSeries", alarmName, id, values)
}

func (s *Scenario) series(fn, alarmName, id, values string) {
	s.tb.Helper()
	call := fn + "(" + strconv.Quote(alarmName)
	if id != "" {
		call += ", " + strconv.Quote(id)
	}
	call += ", ...)"
	m, err := s.target(alarmName, id)
	if err != nil {
		s.tb.Fatalf("%s: %v", call, err)
	}
	runs, err := series.ParseRuns(values)
	if err != nil {
		s.tb.Fatalf("%s: %v", call, err)
	}
	if len(runs) == 0 {
		s.tb.Fatalf("%s: the series is empty; give one value (or _) per period", call)
	}
	step, slot, res := time.Minute, time.Minute, 0
	if m.period < time.Minute {
		step, slot, res = 10*time.Second, 10*time.Second, 1
	}
	// Point i's period ends at from + (i+1-past) periods: the past ends
	// at from.
	from := ceil(s.clk.Now(), step)
	past := 0
	for _, r := range runs {
		if r.Past {
			past += r.N
		}
	}
	i := 0
	for ri := range runs {
		r := &runs[ri]
		for range r.N {
			end := from.Add(time.Duration(i+1-past) * m.period)
			i++
			if r.Missing {
				continue
			}
			s.pending = append(s.pending, event{
				at: end.Add(-slot), ns: m.ns,
				d: metric.Datum{MetricName: m.name, Dimensions: m.dims, Unit: m.unit, Value: r.Value,
					Timestamp: end.Add(-slot), StorageResolution: res},
				src: origin{call: call, run: r, n: i},
			})
		}
	}
	s.end = later(s.end, from.Add(time.Duration(i-past)*m.period))
	s.sortPending()
}

// SeriesFile gives metric data from a file, each datapoint sent at its
// own timestamp: CSV with the columns timestamp and value (and
// optionally namespace, metric_name, dimensions and unit), the JSON of
// `aws cloudwatch put-metric-data --cli-input-json` (or an array of it),
// or the output of `aws cloudwatch get-metric-data` or
// `get-metric-statistics`, as `klaxon replay` reads them. A CSV without
// metric columns, and API output that names no metric, feed the metric of
// alarmName ("" when the file names its metrics). Run runs until the first
// evaluation that sees the last datapoint; datapoints before the clock's
// time are sent at once (the scenario's start must then be less than two
// weeks after them: see StartAt).
func (s *Scenario) SeriesFile(alarmName, path string) {
	s.tb.Helper()
	opts := replay.ReadOptions{}
	if alarmName != "" {
		m, err := s.target(alarmName, "")
		if err != nil {
			s.tb.Fatalf("SeriesFile(%q, %q): %v", alarmName, path, err)
		}
		opts.Default = &replay.MetricRef{Namespace: m.ns, MetricName: m.name, Dimensions: m.dims, Unit: m.unit}
	}
	for _, n := range s.names {
		if c := s.alarms[n].metric; c != nil {
			opts.Alarms = append(opts.Alarms, *c) // get-metric-data results find their metric through the alarms' queries
		}
	}
	f, err := os.Open(path)
	if err != nil {
		s.tb.Fatalf("SeriesFile: %v", err)
	}
	defer f.Close()
	data, err := replay.OpenMetrics(path, f, opts)
	if err != nil {
		s.tb.Fatalf("SeriesFile: %v", err)
	}
	n := 0
	err = data.Datapoints(func(ns string, d metric.Datum, line, col int) bool {
		n++
		at := d.Timestamp.UTC()
		s.pending = append(s.pending, event{at: at, ns: ns, d: d, src: origin{call: path, n: n, line: line, col: col}})
		s.end = later(s.end, at.Truncate(time.Minute).Add(time.Minute))
		return true
	})
	if err != nil {
		s.tb.Fatalf("SeriesFile: %v", err)
	}
	s.sortPending()
}

func (s *Scenario) sortPending() {
	slices.SortStableFunc(s.pending, func(a, b event) int { return a.at.Compare(b.at) })
}

// metricTarget is the metric a series feeds.
type metricTarget struct {
	ns, name string
	dims     []metric.Dimension
	unit     string
	period   time.Duration
}

// target returns the metric that alarmName reads (its query id, for a
// metric-math alarm with several).
func (s *Scenario) target(alarmName, id string) (metricTarget, error) {
	a, ok := s.alarms[alarmName]
	if !ok {
		return metricTarget{}, fmt.Errorf("no alarm %q in the scenario (%s); put the alarm before its series", alarmName, s.alarmList())
	}
	if a.composite {
		return metricTarget{}, fmt.Errorf("%q is a composite alarm, which reads alarms, not metrics: give series to the metric alarms of its rule", alarmName)
	}
	c := a.metric
	if !c.IsMath() {
		if id != "" {
			return metricTarget{}, fmt.Errorf("%q reads one metric (%s), not metric math: use Series", alarmName, c.MetricName)
		}
		return metricTarget{ns: c.Namespace, name: c.MetricName, dims: c.Dimensions, unit: c.Unit, period: time.Duration(c.Period) * time.Second}, nil
	}
	var stats []alarm.MetricDataQuery
	for _, q := range c.Metrics {
		if q.MetricStat != nil {
			stats = append(stats, q)
		}
	}
	ids := func() string {
		var l []string
		for _, q := range stats {
			l = append(l, q.Id)
		}
		return strings.Join(l, ", ")
	}
	var q *alarm.MetricDataQuery
	switch {
	case id != "":
		for i := range c.Metrics {
			if c.Metrics[i].Id == id {
				q = &c.Metrics[i]
			}
		}
		if q == nil || q.MetricStat == nil {
			return metricTarget{}, fmt.Errorf("%q has no metric of id %q (its metrics: %s)", alarmName, id, ids())
		}
	case len(stats) == 1:
		q = &stats[0]
	case len(stats) == 0:
		return metricTarget{}, fmt.Errorf("%q reads no metric (no MetricStat in its Metrics) that a series could feed", alarmName)
	default:
		return metricTarget{}, fmt.Errorf("%q reads %d metrics (%s): name one with MetricSeries", alarmName, len(stats), ids())
	}
	ms := q.MetricStat
	return metricTarget{ns: ms.Metric.Namespace, name: ms.Metric.MetricName, dims: ms.Metric.Dimensions, unit: ms.Unit,
		period: time.Duration(ms.Period) * time.Second}, nil
}

// alarmList names the scenario's alarms for a message.
func (s *Scenario) alarmList() string {
	if len(s.names) == 0 {
		return "it has no alarms"
	}
	return "its alarms: " + strings.Join(s.names, ", ")
}

// Run sends the data given so far, each datapoint at its time, and
// evaluates the alarms on CloudWatch's schedule, up to the evaluation
// that first sees the last datapoint (the end of a series' last period).
// Every transition is published and every action run before Run returns.
func (s *Scenario) Run() {
	s.tb.Helper()
	s.ran = true
	s.advanceTo("Run", s.end)
}

// Advance moves the clock by d, sending the data that falls due and
// evaluating every evaluation time passed: to see what alarms do after
// the data ends, or with no data at all.
func (s *Scenario) Advance(d time.Duration) {
	s.tb.Helper()
	if d < 0 {
		s.tb.Fatalf("Advance(%v): the clock only moves forward", d)
	}
	s.ran = true
	s.advanceTo("Advance", s.clk.Now().Add(d))
}

// advanceTo sends the data due and advances the engine, stopping at each
// datapoint's time, until the clock reads end.
func (s *Scenario) advanceTo(fn string, end time.Time) {
	s.tb.Helper()
	ctx := context.Background()
	for {
		now := s.clk.Now()
		i := 0
		for ; i < len(s.pending) && !s.pending[i].at.After(now); i++ {
			ev := &s.pending[i]
			if err := s.e.PutMetricData(ctx, ev.ns, []metric.Datum{ev.d}); err != nil {
				s.pending = s.pending[i+1:]
				hint := ""
				if ev.src.run == nil && ev.at.Before(now) {
					hint = " (the file's data begins before the scenario's clock: StartAt can start it earlier)"
				}
				s.tb.Fatalf("%s: %s: %v%s", fn, ev.where(), err, hint)
			}
		}
		s.pending = s.pending[i:]
		if !now.Before(end) {
			return
		}
		next := end
		if len(s.pending) > 0 && s.pending[0].at.Before(next) {
			next = s.pending[0].at
		}
		if err := s.e.Advance(ctx, next.Sub(now)); err != nil {
			s.tb.Fatalf("%s: %v", fn, err)
		}
	}
}

// Transitions returns every transition so far, in order.
func (s *Scenario) Transitions() []klaxon.Transition {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.transitions)
}

// Actions returns every action the engine ran so far, in order: the
// actions that would have fired. An action retried (EngineOptions with
// an Actions that fails) appears once per attempt.
func (s *Scenario) Actions() []klaxon.Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.actions)
}

// StateAt returns the state of an alarm at a time the scenario has run
// to: INSUFFICIENT_DATA from its creation until its first transition,
// then the state of its latest transition at or before t.
func (s *Scenario) StateAt(alarmName string, t time.Time) alarm.State {
	s.tb.Helper()
	st, _, err := s.stateAt(alarmName, t)
	if err != nil {
		s.tb.Fatalf("StateAt(%q, %s): %v", alarmName, s.clockText(t), err)
	}
	return st
}

// stateAt returns the state of an alarm at t and the transition that
// made it (nil for the initial state).
func (s *Scenario) stateAt(name string, t time.Time) (alarm.State, *klaxon.Transition, error) {
	a, ok := s.alarms[name]
	if !ok {
		return 0, nil, fmt.Errorf("no alarm %q in the scenario (%s)", name, s.alarmList())
	}
	if now := s.clk.Now(); t.After(now) {
		return 0, nil, fmt.Errorf("the scenario has run to %s only: Run or Advance first", s.clockText(now))
	}
	if t.Before(a.created) {
		return 0, nil, fmt.Errorf("%s did not exist yet (created at %s)", name, s.clockText(a.created))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var last *klaxon.Transition
	for i := range s.transitions {
		tr := &s.transitions[i]
		if tr.AlarmName == name && !tr.At.After(t) {
			c := *tr
			last = &c
		}
	}
	if last == nil {
		return alarm.StateInsufficientData, nil, nil
	}
	return last.To, last, nil
}

// Timeline returns every transition so far, one line each, as the
// expectations print them: time, alarm, old -> new state, reason.
func (s *Scenario) Timeline() string {
	var b strings.Builder
	for _, t := range s.Transitions() {
		b.WriteString(s.transitionText(&t, true))
		b.WriteByte('\n')
	}
	return b.String()
}

// ceil rounds t up to a multiple of d.
func ceil(t time.Time, d time.Duration) time.Time {
	c := t.Truncate(d)
	if c.Before(t) {
		c = c.Add(d)
	}
	return c
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
