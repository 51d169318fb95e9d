package klaxon

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/metric"
)

// Sentinels for errors.Is: every input CloudWatch would reject matches
// ErrValidation, every unknown alarm ErrNotFound.
var (
	ErrValidation = cwerr.ErrValidation
	ErrNotFound   = cwerr.ErrNotFound
)

// Options configure an Engine. The zero value is a working configuration:
// the real clock, account 123456789012 in us-east-1, 30 days of history.
type Options struct {
	// Clock is the engine's clock; nil means the real clock. Tests pass
	// clock.NewMock().
	Clock clock.Clock
	// AccountID and Region make the alarms' ARNs
	// (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME).
	AccountID string
	Region    string
	// HistoryRetention is how long history items are kept (default 30
	// days, the current User Guide's figure).
	HistoryRetention time.Duration
	// MetricRetention is how long every metric's data is kept at least
	// (default 15 minutes); data is kept longer when an alarm's evaluation
	// range reads it. An alarm created later sees that much of the
	// metric's past.
	MetricRetention time.Duration
	// Evaluation tunes the alarm evaluation (see alarm.Options).
	Evaluation alarm.Options
	// Actions runs alarm actions. nil means actions are not run and no
	// Action history items are written.
	Actions ActionRunner
}

// An ActionRunner runs one alarm action: it is called, outside the
// engine's lock, for each ARN of the new state's action list after a
// transition of an alarm whose actions are enabled. Its result becomes an
// Action history item.
type ActionRunner interface {
	RunAction(ctx context.Context, a Action) error
}

// An Action is one action to run for a transition.
type Action struct {
	ARN        string
	Transition Transition
}

// A Transition is one change of an alarm's state.
type Transition struct {
	AlarmName  string
	AlarmArn   string
	From, To   alarm.State
	At         time.Time
	Reason     string
	ReasonData string // "" when there is none
	// Config is the alarm's configuration at the time; it must not be
	// modified.
	Config *alarm.Config
}

// An Engine evaluates metric alarms on the data it is given, on
// CloudWatch's schedule. An Engine is safe for concurrent use.
type Engine struct {
	clk  clock.Clock
	opts Options

	mu         sync.Mutex
	alarms     map[string]*alarmRec
	agg        *metric.Aggregator
	batches    sync.Pool // of *metric.Batch, for PutMetricData
	history    []historyItem
	subs       []*subscription
	queue      []pending // transitions recorded, not yet published
	publishing bool      // a goroutine is publishing the queue (see drain)

	// Evaluation lists: high-resolution, standard and multi-day alarms.
	classes [3][]*alarmRec
	// scratch for evaluations
	window []alarm.Datapoint
}

// New returns an Engine with no alarms, or an error naming each option
// that is out of range. It starts no goroutine; call Run to evaluate on the
// clock, or EvaluateAt to evaluate at chosen times.
func New(opts Options) (*Engine, error) {
	var probs []error
	bad := func(msg string) { probs = append(probs, cwerr.New("klaxon", cwerr.InvalidParameterValue, msg)) }
	if opts.AccountID != "" && !accountID(opts.AccountID) {
		bad("Options.AccountID " + strconv.Quote(opts.AccountID) + " is not an AWS account ID (12 digits).")
	}
	if opts.Region != "" && !region(opts.Region) {
		bad("Options.Region " + strconv.Quote(opts.Region) + " is not an AWS Region name such as us-east-1.")
	}
	if opts.HistoryRetention < 0 {
		bad("Options.HistoryRetention " + opts.HistoryRetention.String() + " is negative.")
	}
	if opts.MetricRetention < 0 {
		bad("Options.MetricRetention " + opts.MetricRetention.String() + " is negative.")
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	if opts.Clock == nil {
		opts.Clock = clock.New()
	}
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.HistoryRetention == 0 {
		opts.HistoryRetention = 30 * 24 * time.Hour
	}
	if opts.MetricRetention == 0 {
		opts.MetricRetention = 15 * time.Minute
	}
	return &Engine{
		clk:    opts.Clock,
		opts:   opts,
		alarms: make(map[string]*alarmRec),
		agg:    metric.NewAggregator(opts.MetricRetention),
	}, nil
}

func accountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// region reports whether s has the shape of a Region name: lower-case
// words and a number joined by dashes (us-east-1, us-gov-west-1,
// ap-southeast-4).
func region(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		for _, c := range p {
			digit := c >= '0' && c <= '9'
			if i == len(parts)-1 && !digit || i < len(parts)-1 && !(c >= 'a' && c <= 'z') {
				return false
			}
		}
	}
	return true
}

// class of an alarm: which ticks evaluate it.
type class uint8

const (
	classHighRes  class = iota // Period 10, 20 or 30: every 10 seconds
	classStandard              // every minute
	classMultiDay              // Period x EvaluationPeriods > 1 day: every hour
)

// alarmRec is an alarm with its state.
type alarmRec struct {
	ev      *alarm.Evaluator
	state   alarm.State // cur.value, kept here for the evaluation loop
	watch   metric.Watch
	class   class
	enabled bool         // ActionsEnabled, changed by Enable/DisableAlarmActions
	cur     *stateRecord // nil until the first change: the initial state, since transitioned
	// configUpdated and transitioned are the alarm's timestamps
	// (StateUpdatedTimestamp is cur.at).
	configUpdated nanos
	transitioned  nanos
}

// stateRecord is one state of an alarm, shared by the alarm and its
// history; it is immutable. Reasons are rendered from res when needed.
type stateRecord struct {
	value      alarm.State
	at         nanos
	res        *alarm.Result // nil for the initial state and SetAlarmState
	reason     string        // when res is nil
	reasonData string        // when res is nil
}

// current returns the alarm's state record; for a new alarm, a record of
// its initial state.
func (r *alarmRec) current() *stateRecord {
	if r.cur == nil {
		return &stateRecord{value: alarm.StateInsufficientData, at: r.transitioned, reason: InitialReason}
	}
	return r.cur
}

// stateAt returns StateUpdatedTimestamp.
func (r *alarmRec) stateAt() nanos {
	if r.cur == nil {
		return r.transitioned
	}
	return r.cur.at
}

// nanos is a time as Unix nanoseconds: a third of a time.Time's size, for
// the timestamps every alarm keeps.
type nanos int64

func stamp(t time.Time) nanos { return nanos(t.UnixNano()) }

func (n nanos) time() time.Time { return time.Unix(0, int64(n)).UTC() }

// evaluatedRecord allocates a state record with its result in one piece.
type evaluatedRecord struct {
	stateRecord
	result alarm.Result
}

func newEvaluatedRecord(at time.Time, res alarm.Result) *stateRecord {
	r := &evaluatedRecord{stateRecord: stateRecord{value: res.State, at: stamp(at)}, result: res}
	r.res = &r.result
	return &r.stateRecord
}

func (s *stateRecord) Reason() string {
	if s.res != nil {
		return s.res.Reason()
	}
	return s.reason
}

func (s *stateRecord) ReasonData() string {
	if s.res != nil {
		return s.res.ReasonData()
	}
	return s.reasonData
}

// reasonDataMax returns the reason data shortened to at most max bytes
// (reason data given to SetAlarmState cannot be shortened: it is left out
// when it is longer).
func (s *stateRecord) reasonDataMax(max int) string {
	if s.res != nil {
		b := s.res.AppendReasonDataMax(nil, max)
		if len(b) > max {
			return ""
		}
		return string(b)
	}
	if len(s.reasonData) > max {
		return ""
	}
	return s.reasonData
}

// arn returns the ARN of the alarm name.
func (e *Engine) arn(name string) string {
	return "arn:aws:cloudwatch:" + e.opts.Region + ":" + e.opts.AccountID + ":alarm:" + name
}

// InitialReason is the StateReason of a newly created alarm.
const InitialReason = "Unchecked: Initial alarm creation"

// PutMetricAlarm creates an alarm, or replaces the configuration of an
// existing one (keeping its state, as CloudWatch does). A new alarm starts
// in INSUFFICIENT_DATA with the reason "Unchecked: Initial alarm creation"
// and is evaluated at the next tick of its schedule. Tags on an update are
// ignored.
func (e *Engine) PutMetricAlarm(ctx context.Context, cfg alarm.Config) error {
	ev, err := alarm.NewEvaluator(cfg, e.opts.Evaluation)
	if err != nil {
		return err
	}
	if cfg.IsMath() {
		return cwerr.New("klaxon", cwerr.ValidationError, "metric math alarms (Metrics) are not evaluated by this version of the engine; alarm "+cfg.AlarmName+" was not created")
	}
	now := e.clk.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	c := ev.Config()
	q := metric.Query{
		Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions, Unit: c.Unit,
		Stat: ev.Statistic(), Period: ev.Period(), Periods: ev.Range(),
	}
	rec, update := e.alarms[cfg.AlarmName]
	if update {
		// Tags given on an update are ignored: the alarm keeps its own.
		c.Tags = rec.ev.Config().Tags
		e.unschedule(rec)
		// The new watch is registered before the old one goes, so that
		// the metric keeps its data (and its raw samples) throughout.
		guard := e.agg.Watch(q)
		e.agg.Unwatch(&rec.watch)
		defer e.agg.Unwatch(guard)
	} else {
		rec = &alarmRec{transitioned: stamp(now)} // cur nil: the initial state
		e.alarms[cfg.AlarmName] = rec
	}
	rec.ev = ev
	rec.enabled = cfg.ActionsOn()
	rec.configUpdated = stamp(now)
	e.agg.WatchInto(&rec.watch, q)
	rec.class = classOf(&cfg)
	e.classes[rec.class] = append(e.classes[rec.class], rec)
	kind := "Create"
	if update {
		kind = "Update"
	}
	e.appendHistory(e.configItem(rec, kind, now))
	return nil
}

func classOf(c *alarm.Config) class {
	switch {
	case c.Period < 60:
		return classHighRes
	case c.Period*c.EvaluationPeriods > 86400:
		return classMultiDay
	}
	return classStandard
}

func (e *Engine) unschedule(rec *alarmRec) {
	l := e.classes[rec.class]
	if i := slices.Index(l, rec); i >= 0 {
		e.classes[rec.class] = slices.Delete(l, i, i+1)
	}
}

// DeleteAlarms deletes the named alarms. As CloudWatch does, it deletes
// nothing when one of them does not exist. Their history stays.
func (e *Engine) DeleteAlarms(ctx context.Context, names ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var missing []string
	for _, n := range names {
		if _, ok := e.alarms[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return cwerr.New("klaxon", cwerr.ResourceNotFound, "The following alarms were not found: ["+strings.Join(missing, ", ")+"]")
	}
	now := e.clk.Now()
	for _, n := range names {
		rec := e.alarms[n]
		if rec == nil {
			continue // named twice
		}
		e.appendHistory(e.configItem(rec, "Delete", now))
		e.unschedule(rec)
		e.agg.Unwatch(&rec.watch)
		delete(e.alarms, n)
	}
	return nil
}

// SetAlarmState sets an alarm's state until its next evaluation, as
// CloudWatch's SetAlarmState does; when the state changes, the new state's
// actions run. reasonData is "" or JSON of at most 4000 characters.
func (e *Engine) SetAlarmState(ctx context.Context, name string, state alarm.State, reason, reasonData string) error {
	var probs []error
	if state > alarm.StateAlarm {
		_, err := alarm.ParseState(state.String())
		probs = append(probs, err)
	}
	if utf8.RuneCountInString(reason) > 1023 {
		probs = append(probs, cwerr.New("klaxon", cwerr.ValidationError, "1 validation error detected: Value at 'stateReason' failed to satisfy constraint: Member must have length less than or equal to 1023"))
	}
	if utf8.RuneCountInString(reasonData) > 4000 {
		probs = append(probs, cwerr.New("klaxon", cwerr.ValidationError, "1 validation error detected: Value at 'stateReasonData' failed to satisfy constraint: Member must have length less than or equal to 4000"))
	} else if reasonData != "" && !json.Valid([]byte(reasonData)) {
		probs = append(probs, cwerr.New("klaxon", cwerr.InvalidFormat, "Unable to parse the value of StateReasonData as JSON: "+reasonData))
	}
	if len(probs) > 0 {
		return joinErrors(probs)
	}
	e.mu.Lock()
	rec, ok := e.alarms[name]
	if !ok {
		e.mu.Unlock()
		return cwerr.New("klaxon", cwerr.ResourceNotFound, "Alarm "+name+" not found")
	}
	e.transition(ctx, rec, &stateRecord{value: state, at: stamp(e.clk.Now()), reason: reason, reasonData: reasonData})
	e.mu.Unlock()
	e.drain()
	return nil
}

// EnableAlarmActions and DisableAlarmActions set ActionsEnabled of the
// named alarms; unknown names are ignored, as CloudWatch ignores them.
func (e *Engine) EnableAlarmActions(ctx context.Context, names ...string) {
	e.setActions(names, true)
}

// DisableAlarmActions: see EnableAlarmActions.
func (e *Engine) DisableAlarmActions(ctx context.Context, names ...string) {
	e.setActions(names, false)
}

func (e *Engine) setActions(names []string, on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range names {
		if rec, ok := e.alarms[n]; ok {
			rec.enabled = on
		}
	}
}
