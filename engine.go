package klaxon

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
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

// Options configure an Engine. The zero value is a working configuration:
// the real clock, account 123456789012 in us-east-1, 30 days of history.
type Options struct {
	// Clock is the engine's clock; nil means the real clock. Tests pass
	// klaxontest.NewClock (or clock.NewMock(), whose Set sleeps a
	// millisecond) and move it with Advance.
	Clock clock.Clock
	// AccountID and Region make the alarms' ARNs
	// (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME).
	AccountID string
	Region    string
	// HistoryRetention is how long history items are kept, by the
	// engine's clock (default 30 days, the current User Guide's figure);
	// KeepHistory keeps everything.
	HistoryRetention time.Duration
	// HistoryPerAlarm caps the history items kept for one alarm (0: no
	// cap): an alarm that flaps then keeps its newest items only. With it,
	// history memory is at most alarms x HistoryPerAlarm x the bytes of an
	// item (see BENCHMARKS.md).
	HistoryPerAlarm int
	// MetricRetention is how long every metric's data is kept at least
	// (default 15 minutes); data is kept longer when an alarm's evaluation
	// range reads it. An alarm created later sees that much of the
	// metric's past. A metric that no alarm watches is freed once its
	// newest data is older than MetricRetention.
	MetricRetention time.Duration
	// HashSeed, when not zero, keys the hashes of metric identities, so
	// that engines with the same seed (in any process) hash a metric
	// alike; zero draws random keys.
	HashSeed uint64
	// Evaluation tunes the alarm evaluation (see alarm.Options).
	Evaluation alarm.Options
	// Actions runs alarm actions. nil means actions are not run and no
	// Action history items are written. package action's Router sends
	// each action to a sink of its kind.
	Actions ActionRunner
	// ActionRetry says how an action that fails is retried (default: 3
	// attempts, backoff 1 s doubling up to a minute, with jitter).
	ActionRetry RetryPolicy
	// ActionQueue bounds the actions the engine holds for delivery
	// (default 10,000); beyond it they wait in Outbox.
	ActionQueue int
	// Outbox holds the actions beyond ActionQueue until the engine takes
	// them back (default: a MemoryOutbox). No action is ever dropped. The
	// engine first delivers what an Outbox given here already holds (the
	// actions a previous engine left in a durable one), then the new
	// ones. Push is called with the engine's lock held: it should be quick
	// (an append to a local file, not a network round trip).
	Outbox Outbox
	// AnomalyLearningDelay is how long after a period ends its anomaly
	// detection models learn it (default 0: at the first evaluation time
	// at or after its end). Data that arrives later still counts in the
	// alarms' evaluations, but not in the models: a service whose metrics
	// arrive late sets the usual delay here.
	AnomalyLearningDelay time.Duration
}

// KeepHistory is the HistoryRetention that keeps every history item (a
// replay keeps its whole history).
const KeepHistory = time.Duration(math.MaxInt64)

// An Engine holds alarms and metric data and evaluates the alarms on
// CloudWatch's schedule. An Engine is safe for concurrent use.
type Engine struct {
	clk     clock.Clock
	opts    Options
	created time.Time // the clock's time at New, truncated to 10 s: Run and Advance evaluate every boundary after it
	// briefActions: the ActionRunner reads only brief transitions (see
	// ActionRunner).
	briefActions bool

	mu      sync.Mutex
	alarms  map[string]alarmObj
	agg     *metric.Aggregator
	batches sync.Pool // of *metric.Batch, for PutMetricData
	sched   []cadenceList
	last    time.Time // the newest evaluation time (zero: none yet)
	window  []alarm.Datapoint

	// Anomaly detection: the detectors by metric and statistic, and every
	// band model, in the order they learn.
	detectors  map[string]*detector
	bandModels []*bandModel

	// History: every alarm's items, and those of deleted alarms.
	histories []histRef // every history, for the sweep
	deleted   map[string][]*deletedHistory
	seq       uint64 // the sequence number of the last history item
	sweepAt   int    // the next history the sweep visits

	// Publication and actions.
	// Composite alarms: the composites that read each alarm, and those
	// that use each alarm as their ActionsSuppressor.
	parents     map[string][]string
	suppressors map[string][]string
	changed     []change // transitions whose parents are not yet re-evaluated (see flush)
	trigger     map[*compositeAlarm]int
	todo        []*compositeAlarm

	subs       []*subscription
	queue      []pending          // transitions recorded, not yet published
	publishing bool               // a goroutine is publishing the queue (see drain)
	queued     ring[queuedAction] // actions to deliver, at most ActionQueue
	spilled    int                // actions pushed to the Outbox, not yet taken back
	retry      RetryPolicy
	rng        *rand.Rand          // jitter
	scaling    map[string]struct{} // alarms whose current state has Auto Scaling actions (repeated every minute)
	delivering bool                // a goroutine is delivering the outbox
	idle       chan struct{}       // closed when that goroutine stops
	running    int                 // Run loops that deliver actions themselves
	wake       chan struct{}
}

// New returns an Engine with no alarms, or an error naming each option
// that is out of range. It starts no goroutine; call Run to evaluate on the
// clock, Advance to move a test clock, or EvaluateAt to evaluate at chosen
// times.
func New(opts Options) (*Engine, error) {
	var probs []error
	bad := func(field, value, msg string) { probs = append(probs, invalid(field, value, msg)) }
	if opts.AccountID != "" && !alarm.ValidAccountID(opts.AccountID) {
		bad("Options.AccountID", opts.AccountID, "Options.AccountID "+strconv.Quote(opts.AccountID)+" is not an AWS account ID (12 digits).")
	}
	if opts.Region != "" && !alarm.ValidRegion(opts.Region) {
		bad("Options.Region", opts.Region, "Options.Region "+strconv.Quote(opts.Region)+" is not an AWS Region name such as us-east-1.")
	}
	if opts.HistoryRetention < 0 {
		bad("Options.HistoryRetention", opts.HistoryRetention.String(), "Options.HistoryRetention "+opts.HistoryRetention.String()+" is negative.")
	}
	if opts.HistoryPerAlarm < 0 {
		bad("Options.HistoryPerAlarm", strconv.Itoa(opts.HistoryPerAlarm), "Options.HistoryPerAlarm "+strconv.Itoa(opts.HistoryPerAlarm)+" is negative.")
	}
	if opts.ActionQueue < 0 {
		bad("Options.ActionQueue", strconv.Itoa(opts.ActionQueue), "Options.ActionQueue "+strconv.Itoa(opts.ActionQueue)+" is negative.")
	}
	if opts.ActionRetry.Attempts < 0 || opts.ActionRetry.Backoff < 0 || opts.ActionRetry.MaxBackoff < 0 {
		bad("Options.ActionRetry", "", "Options.ActionRetry has a negative field.")
	}
	if opts.MetricRetention < 0 {
		bad("Options.MetricRetention", opts.MetricRetention.String(), "Options.MetricRetention "+opts.MetricRetention.String()+" is negative.")
	}
	if opts.Clock == nil {
		opts.Clock = clock.New()
	}
	now := opts.Clock.Now()
	if !inRange(now) {
		probs = append(probs, clockError(now))
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
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
	if opts.ActionQueue == 0 {
		opts.ActionQueue = 10_000
	}
	durable := opts.Outbox != nil
	if !durable {
		opts.Outbox = &MemoryOutbox{}
	}
	brief, _ := opts.Actions.(interface{ BriefActions() bool })
	e := &Engine{
		briefActions: brief != nil && brief.BriefActions(),
		clk:          opts.Clock,
		opts:         opts,
		created:      now.UTC().Truncate(tick),
		alarms:       make(map[string]alarmObj),
		deleted:      make(map[string][]*deletedHistory),
		parents:      make(map[string][]string),
		suppressors:  make(map[string][]string),
		wake:         make(chan struct{}, 1),
		retry:        opts.ActionRetry.withDefaults(),
		rng:          rand.New(rand.NewPCG(uint64(now.UnixNano()), 0x6b6c61786f6e)),
		scaling:      make(map[string]struct{}),
		detectors:    make(map[string]*detector),
	}
	if durable {
		// The Outbox may hold what a previous engine left in it: take it
		// back first, and queue new actions behind it.
		e.spilled = 1
	}
	if opts.HashSeed != 0 {
		e.agg = metric.NewSeededAggregator(opts.MetricRetention, opts.HashSeed)
	} else {
		e.agg = metric.NewAggregator(opts.MetricRetention)
	}
	return e, nil
}

// now reads the engine's clock, refusing a time outside [MinTime,
// MaxTime).
func (e *Engine) now() (time.Time, error) {
	t := e.clk.Now()
	if !inRange(t) {
		return t, clockError(t)
	}
	return t.UTC(), nil
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
	if err := checkAnomalyAlarm(&cfg); err != nil {
		return err
	}
	if err := e.checkActionPlaces(cfg.OKActions, cfg.AlarmActions, cfg.InsufficientDataActions); err != nil {
		return err
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	sp := (*metricSpec)(ev)
	old := e.alarms[cfg.AlarmName]
	if om, ok := old.(*metricAlarm); ok {
		// Tags given on an update are ignored: the alarm keeps its own.
		sp.ev().Config().Tags = om.sp.ev().Config().Tags
	}
	band, err := e.bandFor(sp.ev().Config())
	if err != nil {
		return err
	}
	e.put(&metricAlarm{sp: sp, band: band}, old, now)
	return nil
}

// put makes a the alarm of its name, replacing old (nil for a new alarm):
// a takes old's state, history and action switch, registers what it
// reads, is scheduled, and a ConfigurationUpdate item is written. It is
// the one place where alarms of every kind enter the engine.
func (e *Engine) put(a alarmObj, old alarmObj, now time.Time) {
	b := a.base()
	kind := configCreate
	if old != nil {
		ob := old.base()
		b.state, b.cur, b.transitioned, b.notBefore = ob.state, ob.cur, ob.transitioned, ob.notBefore
		b.hist, b.histAt = ob.hist, ob.histAt
		e.histories[b.histAt] = histRef{a: b}
		e.unschedule(old)
		kind = configUpdate
	} else {
		b.transitioned = stamp(now) // cur nil: the initial state
		b.histAt = int32(len(e.histories))
		e.histories = append(e.histories, histRef{a: b})
	}
	b.enabled = a.spec().actionsEnabled()
	b.configUpdated = stamp(now)
	b.notBefore = max(b.notBefore, stamp(now))
	a.attach(e, old)
	e.alarms[a.spec().name()] = a
	e.relink(old, a)
	e.schedule(a)
	e.appendHistory(&b.hist, e.configItem(a, kind, now))
}

// DeleteAlarms deletes the named alarms: up to 100 names, each given
// once. As CloudWatch does, it deletes nothing when one of them does not
// exist. Their history stays.
func (e *Engine) DeleteAlarms(ctx context.Context, names ...string) error {
	var probs []error
	if len(names) == 0 {
		probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.MissingParameter, Field: "AlarmNames", Message: "The parameter AlarmNames is required."})
	}
	if len(names) > 100 {
		probs = append(probs, rangeError("AlarmNames", "alarmNames", len(names), 0, 100))
	}
	for i, n := range names {
		if n == "" || utf8.RuneCountInString(n) > 255 {
			probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "AlarmNames.member." + strconv.Itoa(i+1), Value: n,
				Message: "1 validation error detected: Value '" + n + "' at 'alarmNames." + strconv.Itoa(i+1) + ".member' failed to satisfy constraint: Member must have length between 1 and 255"})
		}
	}
	if len(probs) > 0 {
		return errors.Join(probs...)
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var missing []string
	for _, n := range names {
		if _, ok := e.alarms[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return notFound("The following alarms were not found: [" + strings.Join(missing, ", ") + "]")
	}
	if err := e.deletable(names); err != nil {
		return err
	}
	for _, n := range names {
		a := e.alarms[n]
		if a == nil {
			continue // named twice
		}
		b := a.base()
		e.appendHistory(&b.hist, e.configItem(a, configDelete, now))
		e.unschedule(a)
		a.detach(e)
		delete(e.alarms, n)
		// The history outlives the alarm.
		h := &deletedHistory{alarmHistory: b.hist, at: b.histAt, name: n, typ: a.spec().alarmType()}
		e.histories[h.at] = histRef{d: h}
		e.deleted[n] = append(e.deleted[n], h)
	}
	return nil
}

// deletable refuses to delete, as CloudWatch does, an alarm that a
// composite alarm's rule references (unless that composite goes in the
// same call), and more than one composite alarm in one call. Deleting an
// alarm that a composite uses as its ActionsSuppressor is refused too (a
// choice: CloudWatch's behaviour is unpublished).
func (e *Engine) deletable(names []string) error {
	going := map[string]bool{}
	var composites []string
	for _, n := range names {
		if !going[n] {
			if _, ok := e.alarms[n].(*compositeAlarm); ok {
				composites = append(composites, n)
			}
		}
		going[n] = true
	}
	if len(composites) > 1 {
		return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "AlarmNames", Value: strings.Join(composites, ", "),
			Message: "DeleteAlarms deletes at most one composite alarm per call (got " + strconv.Itoa(len(composites)) + ": " + strings.Join(composites, ", ") + ")."}
	}
	var held, suppressing []string
	for _, n := range names {
		if slices.ContainsFunc(e.parents[n], func(p string) bool { return !going[p] }) && !slices.Contains(held, n) {
			held = append(held, n)
		}
		if slices.ContainsFunc(e.suppressors[n], func(p string) bool { return !going[p] }) && !slices.Contains(suppressing, n) {
			suppressing = append(suppressing, n)
		}
	}
	if len(held) > 0 {
		them := "it"
		if len(held) > 1 {
			them = "them"
		}
		return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "AlarmNames", Value: strings.Join(held, ","),
			Message: "Cannot delete " + strings.Join(held, ",") + " as there are composite alarm(s) depending on " + them + "."}
	}
	if len(suppressing) > 0 {
		return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "AlarmNames", Value: strings.Join(suppressing, ","),
			Message: "Cannot delete " + strings.Join(suppressing, ",") + " as composite alarm(s) use it as their ActionsSuppressor."}
	}
	return nil
}

// SetAlarmState sets an alarm's state until its next evaluation, as
// CloudWatch's SetAlarmState does; when the state changes, the new state's
// actions run. reasonData is "" or JSON of at most 4000 characters. The
// state is stamped with the engine clock's time, or with the alarm's last
// state change if that is later (an engine driven by EvaluateAt ahead of
// its clock), so that its history stays in order.
func (e *Engine) SetAlarmState(ctx context.Context, name string, state alarm.State, reason, reasonData string) error {
	var probs []error
	if state > alarm.StateAlarm {
		_, err := alarm.ParseState(state.String())
		probs = append(probs, err)
	}
	if utf8.RuneCountInString(reason) > 1023 {
		probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "StateReason", Message: "1 validation error detected: Value at 'stateReason' failed to satisfy constraint: Member must have length less than or equal to 1023"})
	}
	if utf8.RuneCountInString(reasonData) > 4000 {
		probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "StateReasonData", Message: "1 validation error detected: Value at 'stateReasonData' failed to satisfy constraint: Member must have length less than or equal to 4000"})
	} else if reasonData != "" && !json.Valid([]byte(reasonData)) {
		probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.InvalidFormat, Field: "StateReasonData", Value: reasonData, Message: "Unable to parse the value of StateReasonData as JSON: " + reasonData})
	}
	if len(probs) > 0 {
		return errors.Join(probs...)
	}
	now, err := e.now()
	if err != nil {
		return err
	}
	e.mu.Lock()
	a, ok := e.alarms[name]
	if !ok {
		e.mu.Unlock()
		return notFound("Alarm " + name + " not found")
	}
	b := a.base()
	at := max(stamp(now), b.current().time(), b.notBefore)
	e.transition(ctx, a, &textRecord{val: state, at: at, reason: reason, data: reasonData})
	e.flush()
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
		if a, ok := e.alarms[n]; ok {
			a.base().enabled = on
		}
	}
}

// checkActionPlaces checks that every action ARN names the engine's
// Region and partition, as CloudWatch does (an alarm acts in its own
// Region), with CloudWatch's messages. The lists are valid otherwise.
func (e *Engine) checkActionPlaces(lists ...[]string) error {
	var probs []error
	partition := partitionOf(e.opts.Region)
	for _, l := range lists {
		for _, s := range l {
			a, err := alarm.ParseActionARN(s)
			if err != nil {
				continue // validation reported it
			}
			switch {
			case a.Partition != partition:
				probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Value: s,
					Message: "Invalid partition " + a.Partition + " specified. Only " + partition + " is supported."})
			case a.Region != "" && a.Region != e.opts.Region:
				probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Value: s,
					Message: "Invalid region " + a.Region + " specified. Only " + e.opts.Region + " is supported."})
			}
		}
	}
	return errors.Join(probs...)
}

// partitionOf returns the partition of a Region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	return "aws"
}
