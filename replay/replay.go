package replay

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/metric"
)

// Options tune a replay. The zero value replays the whole data with the
// engine's defaults.
type Options struct {
	// From is the time of the first evaluation, rounded up to the replay's
	// step. Zero: the first evaluation that sees the first datapoint (see
	// the package doc). Datapoints before it count as already received.
	From time.Time
	// Until is the time of the last evaluation, inclusive. Zero: the first
	// evaluation that sees the last datapoint.
	Until time.Time
	// Engine configures the engine the replay runs (account, Region,
	// evaluation options). Its Clock, Actions and HistoryRetention are
	// replaced by the replay's own.
	Engine klaxon.Options
	// Series records, for each metric alarm, its newest period's value at
	// every evaluation (Result.Series), for plots.
	Series bool
	// Progress, when not nil, is called from time to time during the
	// replay with the evaluations done and the total.
	Progress func(done, total int)
	// SNS, when not nil, is called for every SNS action that would have
	// run, in publish order, with the message CloudWatch would have
	// published to the topic (the alarm's JSON message, package action's
	// Notification.SNSMessage); its error stops the replay.
	SNS func(a klaxon.Action, message string) error
	// History, when not nil, is called with every item EachHistory gives,
	// in the same order, while the replay runs: each day's items once the
	// replay has passed the day, rendered and handed over on a goroutine
	// of Run's own, so that on two cores it overlaps the replay (a
	// JSONWriter's Item writes them as WriteJSON does). Its error stops
	// the replay, and Run returns it wrapped ("replay: the history: ...").
	// Run returns once History has had the last item.
	History func(klaxon.AlarmHistoryItem) error
}

// A Result is what a replay produced.
type Result struct {
	// From and Until are the first and the last evaluation; Step the time
	// between two (10 seconds when an alarm is high-resolution, else a
	// minute).
	From, Until time.Time
	Step        time.Duration
	// Datapoints is the number of datapoints read, First and Last the
	// earliest and the latest timestamps among them.
	Datapoints  int
	First, Last time.Time
	// Transitions are the state changes, oldest first, as values without
	// their reason data, previous reason and configuration copy (the
	// history items, see EachHistory, hold those): a replay's memory grows
	// with its transitions, and these keep it small.
	Transitions []klaxon.Transition
	// Actions are the actions that would have run, in order; none ran.
	// Their Transition is brief, as Transitions are (klaxon.Transition.Brief).
	Actions []klaxon.Action
	// Alarms is the alarms' final state, as DescribeAlarms describes them.
	Alarms klaxon.DescribeAlarmsOutput
	// Skipped are the alarms of the file that the replay could not
	// evaluate, with the reason.
	Skipped []Skipped
	// Series holds each replayed metric alarm's values, when
	// Options.Series asked for them.
	Series []Series

	engine    *klaxon.Engine  // holds the history
	names     map[string]bool // the replayed alarms
	actionErr error           // Options.SNS's error
}

// EachHistory calls f with every StateUpdate and Action item of the
// replayed alarms, oldest first, as describe-alarm-history with --scan-by
// TimestampAscending lists them, and stops at f's first error. The items
// are rendered a day of replay at a time, so that a long replay's history
// is never all in memory as text. The ConfigurationUpdate items of
// creating the alarms are left out (they are the replay's setup).
func (r *Result) EachHistory(ctx context.Context, f func(klaxon.AlarmHistoryItem) error) error {
	if r.engine == nil {
		return nil
	}
	for d := r.From.Truncate(day); !d.After(r.Until); d = d.Add(day) {
		if err := r.eachOfDay(ctx, d, f); err != nil {
			return err
		}
	}
	return nil
}

// day is how much history EachHistory renders at a time.
const day = 24 * time.Hour

// eachOfDay calls f with the items of the day from d.
func (r *Result) eachOfDay(ctx context.Context, d time.Time, f func(klaxon.AlarmHistoryItem) error) error {
	items, err := r.engine.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{ScanBy: klaxon.TimestampAscending,
		AlarmTypes: []string{klaxon.MetricAlarmType, klaxon.CompositeAlarmType},
		StartDate:  d, EndDate: d.Add(day - time.Nanosecond)})
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	for _, h := range items {
		if h.HistoryItemType == klaxon.HistoryConfigurationUpdate || !r.names[h.AlarmName] {
			continue
		}
		if err := f(h); err != nil {
			return err
		}
	}
	return nil
}

// A historyFeed hands each day of history to Options.History as the
// replay passes it, on a goroutine of its own.
type historyFeed struct {
	days   chan time.Time
	done   chan error
	next   time.Time // the first day not handed over
	cancel context.CancelFunc
}

// newHistoryFeed starts the feed of res's history to f from res.From's
// day. The replay's context, which the returned one replaces, is
// cancelled when f fails.
func newHistoryFeed(ctx context.Context, res *Result, f func(klaxon.AlarmHistoryItem) error) (*historyFeed, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	h := &historyFeed{days: make(chan time.Time, 2), done: make(chan error, 1), next: res.From.Truncate(day), cancel: cancel}
	go func() {
		var err error
		give := func(it klaxon.AlarmHistoryItem) error {
			if err := f(it); err != nil {
				return fmt.Errorf("replay: the history: %w", err)
			}
			return nil
		}
		for d := range h.days {
			if err == nil {
				if err = res.eachOfDay(ctx, d, give); err != nil {
					cancel()
				}
			}
		}
		h.done <- err
	}()
	return h, ctx
}

// passed hands over the days that end at or before t (the replay has
// evaluated t: every item of those days exists).
func (h *historyFeed) passed(t time.Time) {
	for !h.next.Add(day).After(t) {
		h.days <- h.next
		h.next = h.next.Add(day)
	}
}

// finish hands over the days up to until's, when the replay completed
// (err nil), waits for the feed, and returns its error, or err.
func (h *historyFeed) finish(until time.Time, err error) error {
	if err == nil {
		for ; !h.next.After(until); h.next = h.next.Add(day) {
			h.days <- h.next
		}
	}
	close(h.days)
	ferr := <-h.done
	h.cancel()
	if ferr != nil {
		return ferr // the replay's error, if any, is then the cancellation
	}
	return err
}

// History returns every item EachHistory gives, in one list (never nil).
func (r *Result) History(ctx context.Context) ([]klaxon.AlarmHistoryItem, error) {
	out := []klaxon.AlarmHistoryItem{}
	err := r.EachHistory(ctx, func(h klaxon.AlarmHistoryItem) error {
		out = append(out, h)
		return nil
	})
	return out, err
}

// A Skipped alarm is one the replay left out.
type Skipped struct {
	At     Location
	Reason string
}

// ErrNoAction is the error a replay's ActionRunner returns for every
// action: it matches klaxon.ErrNotRun, so that the Action history item
// says the action did not run ("Did not execute action ARN. Reason: "a
// replay runs no action"", actionState "NotRun").
var ErrNoAction error = notRun{}

type notRun struct{}

func (notRun) Error() string        { return "a replay runs no action" }
func (notRun) Is(target error) bool { return target == klaxon.ErrNotRun }

// Step returns the evaluation step of a replay of alarms: 10 seconds when
// one of them is high-resolution (Period 10, 20 or 30), else a minute.
// Alarms evaluated hourly are evaluated at the whole hours among the steps.
func Step(alarms Alarms) time.Duration {
	for i := range alarms.Metric {
		c := &alarms.Metric[i]
		if ev, err := alarm.NewEvaluator(*c, alarm.Options{}); err == nil && ev.Period() < time.Minute {
			return 10 * time.Second
		}
	}
	return time.Minute
}

// Run replays data through the alarms on a mock clock: alarms start in
// INSUFFICIENT_DATA, each datapoint is received before the first
// evaluation that can see it, and the engine evaluates on CloudWatch's
// schedule from opts.From to opts.Until (see the package doc). The same
// inputs always give the same result. Alarms the engine does not evaluate
// (metric math other than the anomaly detection form) are left out and
// listed in Result.Skipped.
func Run(ctx context.Context, alarms Alarms, data []*Metrics, opts Options) (*Result, error) {
	step := Step(alarms)
	res := &Result{Step: step}

	// The data's range.
	var firstEnd, lastEnd int64
	for _, m := range data {
		if m.Count == 0 {
			continue
		}
		if res.Datapoints == 0 || m.firstEnd < firstEnd {
			firstEnd = m.firstEnd
		}
		if res.Datapoints == 0 || m.lastEnd > lastEnd {
			lastEnd = m.lastEnd
		}
		if res.Datapoints == 0 || m.First.Before(res.First) {
			res.First = m.First
		}
		if res.Datapoints == 0 || m.Last.After(res.Last) {
			res.Last = m.Last
		}
		res.Datapoints += m.Count
	}
	stepSec := int64(step / time.Second)
	from, until := opts.From, opts.Until
	if from.IsZero() {
		if res.Datapoints == 0 {
			return nil, errors.New("replay: no datapoints, and no From time to start at")
		}
		from = time.Unix(ceilSec(firstEnd, stepSec), 0)
	}
	if until.IsZero() {
		last := from
		if res.Datapoints > 0 {
			last = time.Unix(ceilSec(lastEnd, stepSec), 0)
		}
		until = last
	}
	from, until = from.UTC(), until.UTC()
	if until.Before(from) {
		return nil, fmt.Errorf("replay: Until %s is before From %s", until.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	first := ceilTo(from, step) // the first evaluation at or after From
	if first.After(until) {
		return nil, fmt.Errorf("replay: no evaluation between From %s and Until %s: evaluations happen every %v, the first at %s",
			from.Format(time.RFC3339), until.Format(time.RFC3339), step, first.Format(time.RFC3339))
	}
	res.From, res.Until = first, until

	// The engine.
	clk := &manualClock{Clock: clock.NewMock()}
	clk.Set(first)
	if res.Datapoints > 0 && res.First.Before(first) {
		clk.Set(res.First)
	}
	eopts := opts.Engine
	eopts.Clock = clk
	if eopts.Region == "" && eopts.AccountID == "" {
		// The alarms' own, so that their ARNs and action ARNs are theirs.
		eopts.Region, eopts.AccountID = alarms.Region, alarms.AccountID
	}
	runner := &runner{res: res, sns: opts.SNS}
	eopts.Actions = runner
	eopts.HistoryRetention = klaxon.KeepHistory // a replay keeps its whole history
	e, err := klaxon.New(eopts)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	var transitions blocks[klaxon.Transition]
	e.SubscribeBrief(transitions.add)
	names := map[string]bool{}
	var replayed []alarm.Config
	for i, c := range alarms.Metric {
		at := alarms.metricAt(i)
		if names[c.AlarmName] {
			return nil, fmt.Errorf("replay: %s the alarm name %q is used twice", at, c.AlarmName)
		}
		if err := e.PutMetricAlarm(ctx, c); err != nil {
			var ke *klaxon.Error
			if c.IsMath() && errors.As(err, &ke) {
				// Metric math beyond the anomaly detection form.
				res.Skipped = append(res.Skipped, Skipped{At: at, Reason: ke.Message})
				continue
			}
			return nil, fmt.Errorf("replay: %s %w", at, err)
		}
		names[c.AlarmName] = true
		replayed = append(replayed, c)
	}
	if err := putComposites(ctx, e, alarms, names); err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("replay: no alarm to replay")
	}
	var rec *recorder
	if opts.Series {
		rec = newRecorder(replayed, first, until, step, eopts.Evaluation)
		rec.band = e.AnomalyBand
	}

	// The data, merged by the evaluation that first sees each datapoint.
	in, err := openSources(data, step)
	if err != nil {
		return nil, err
	}
	defer in.close()

	res.engine, res.names = e, names
	rctx := ctx
	var feed *historyFeed
	if opts.History != nil {
		feed, rctx = newHistoryFeed(ctx, res, opts.History)
	}
	err = evaluate(rctx, e, clk, in, rec, res, first, until, step, opts.Progress, feed)
	if feed != nil {
		err = feed.finish(until, err)
	}
	if err != nil {
		return nil, err
	}
	res.Transitions, res.Actions = transitions.all(), runner.actions.all()
	if res.Alarms, err = e.DescribeAlarms(ctx, klaxon.AlarmFilter{AlarmTypes: []string{klaxon.MetricAlarmType, klaxon.CompositeAlarmType}}); err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if rec != nil {
		res.Series = rec.series()
	}
	return res, nil
}

// evaluate runs the replay's evaluations from first to until, each after
// the datapoints it sees, and hands each day of history that it passed
// to feed (when not nil).
func evaluate(ctx context.Context, e *klaxon.Engine, clk *manualClock, in *sources, rec *recorder, res *Result,
	first, until time.Time, step time.Duration, progress func(done, total int), feed *historyFeed) error {
	total := int(until.Sub(first)/step) + 1
	done := 0
	for t := first; !t.After(until); t = t.Add(step) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := in.ingest(ctx, e, clk, rec, t.Unix()); err != nil {
			return err
		}
		clk.Set(t)
		if err := e.EvaluateAt(ctx, t); err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		if res.actionErr != nil {
			return res.actionErr
		}
		if rec != nil {
			rec.evaluate(t)
		}
		if feed != nil {
			feed.passed(t)
		}
		done++
		if progress != nil && done%1024 == 0 {
			progress(done, total)
		}
	}
	if progress != nil {
		progress(total, total)
	}
	return in.err()
}

func (a *Alarms) metricAt(i int) Location {
	if i < len(a.MetricAt) {
		return a.MetricAt[i]
	}
	return Location{File: a.File, Path: fmt.Sprintf("alarm %d", i+1), Name: a.Metric[i].AlarmName}
}

func (a *Alarms) compositeAt(i int) Location {
	if i < len(a.CompositeAt) {
		return a.CompositeAt[i]
	}
	return Location{File: a.File, Path: fmt.Sprintf("composite alarm %d", i+1)}
}

// ---- the data, merged ----

// source is one metrics file being read, with its next datapoint.
type source struct {
	m     *Metrics
	next  func() (*point, bool)
	stop  func()
	ps    *problems
	head  *point
	vis   int64 // when head is seen
	mem   []point
	i     int
	step  int64
	lastV int64
}

func (s *source) advance() {
	if s.mem != nil {
		if s.i < len(s.mem) {
			s.head = &s.mem[s.i]
			s.i++
		} else {
			s.head = nil
		}
	} else if p, ok := s.next(); ok {
		s.head = p
	} else {
		s.head = nil
	}
	if s.head != nil {
		s.vis = ceilSec(slotEnd(&s.head.d), s.step)
	}
}

type sources struct {
	list []*source
	buf  []metric.Datum
	fail error
}

// openSources opens every file for its second reading: a sorted file is
// streamed; another is read whole and sorted.
func openSources(data []*Metrics, step time.Duration) (*sources, error) {
	in := &sources{}
	for _, m := range data {
		s := &source{m: m, ps: &problems{file: m.Name}, step: int64(step / time.Second)}
		switch {
		case m.reopen == nil:
			if m.step != step || m.Format == "memory" {
				m.mem = sortPoints(m.mem, step)
				m.step = step
			}
			s.mem = m.mem
		default:
			r, err := m.reopen()
			if err != nil {
				in.close()
				return nil, err
			}
			if m.Sorted && m.step <= step {
				s.next, s.stop = readAhead(func(yield func(*point) bool) { m.read(r, s.ps, yield) })
			} else {
				var pts []point
				m.read(r, s.ps, func(p *point) bool { pts = append(pts, *p); return true })
				s.mem = sortPoints(pts, step)
			}
		}
		s.advance()
		in.list = append(in.list, s)
	}
	return in, nil
}

// readAhead runs read in a goroutine of its own, up to a few chunks of
// points ahead of next: on two cores, parsing a file and replaying it
// overlap. next returns the points in read's order; stop ends read (its
// yield returns false) and waits for the goroutine, so that what read
// recorded (its problems) can be read once stop has returned. Each chunk
// is new, so that a point next returned stays valid after later calls.
func readAhead(read func(yield func(*point) bool)) (next func() (*point, bool), stop func()) {
	const chunk = 256
	chunks := make(chan []point, 4)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		defer close(chunks)
		buf := make([]point, 0, chunk)
		send := func() bool {
			select {
			case chunks <- buf:
				buf = make([]point, 0, chunk)
				return true
			case <-quit:
				return false
			}
		}
		read(func(p *point) bool {
			buf = append(buf, *p)
			return len(buf) < chunk || send()
		})
		if len(buf) > 0 {
			send()
		}
	}()
	var cur []point
	next = func() (*point, bool) {
		if len(cur) == 0 {
			var ok bool
			if cur, ok = <-chunks; !ok {
				return nil, false
			}
		}
		p := &cur[0]
		cur = cur[1:]
		return p, true
	}
	var once sync.Once
	stop = func() {
		once.Do(func() { close(quit) })
		<-done
	}
	return next, stop
}

func (in *sources) close() {
	for _, s := range in.list {
		if s.stop != nil {
			s.stop()
		}
	}
}

// err returns the first error of the reading, once the readers have
// stopped.
func (in *sources) err() error {
	in.close()
	if in.fail != nil {
		return in.fail
	}
	for _, s := range in.list {
		if err := s.ps.err(); err != nil {
			return err
		}
	}
	return nil
}

// ingest puts every datapoint seen at t (unix seconds) into the engine,
// oldest first, in calls of one namespace within PutMetricData's limits,
// the clock at the newest timestamp of each call.
func (in *sources) ingest(ctx context.Context, e *klaxon.Engine, clk *manualClock, rec *recorder, t int64) error {
	buf := in.buf[:0]
	var (
		ns    string
		where *point
		from  *source
	)
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if now := buf[len(buf)-1].Timestamp; now.After(clk.Now()) {
			clk.Set(now)
		}
		if err := e.PutMetricData(ctx, ns, buf); err != nil {
			return fmt.Errorf("replay: %s:%d:%d: %w", from.m.Name, where.line, where.col, err)
		}
		if rec != nil {
			rec.add(ns, buf)
		}
		buf = buf[:0]
		return nil
	}
	for {
		// The source whose next datapoint is seen first.
		var s *source
		for _, x := range in.list {
			if x.head != nil && x.vis <= t && (s == nil || x.vis < s.vis) {
				s = x
			}
		}
		if s == nil {
			break
		}
		p := s.head
		if s.vis < s.lastV {
			in.fail = fmt.Errorf("replay: %s:%d:%d: the datapoint at %s is out of time order (the file changed since it was checked?)", s.m.Name, p.line, p.col, p.d.Timestamp.Format(time.RFC3339))
			return in.fail
		}
		s.lastV = s.vis
		if len(buf) > 0 && (p.ns != ns || len(buf) == metric.MaxDatumsPerCall || values(buf)+len(p.d.Values) > metric.MaxValuesPerCall ||
			p.d.Timestamp.Sub(buf[0].Timestamp) >= metric.MaxPast) {
			if err := flush(); err != nil {
				return err
			}
		}
		ns, where, from = p.ns, p, s
		buf = append(buf, p.d)
		s.advance()
	}
	err := flush()
	in.buf = buf[:0]
	return err
}

// manualClock is the replay's clock: Now is whatever Set made it. It does
// what clock.Mock does for the engine's use (the engine reads only Now
// during a replay), without the millisecond sleep with which Mock.Set
// yields to timer goroutines: a month of one-minute evaluations would
// spend 90 seconds asleep. It is safe for concurrent use: the history
// feed's queries read it while the replay sets it.
type manualClock struct {
	clock.Clock // the methods the replay never calls
	mu          sync.Mutex
	now         time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *manualClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }
func (c *manualClock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

func values(ds []metric.Datum) int {
	n := 0
	for i := range ds {
		n += len(ds[i].Values)
	}
	return n
}

// ceilTo rounds t up to a multiple of d.
func ceilTo(t time.Time, d time.Duration) time.Time {
	m := t.Truncate(d)
	if m.Before(t) {
		m = m.Add(d)
	}
	return m
}

// runner records the actions a replay would run, and runs none.
// runner is a replay's ActionRunner: it records each action and runs
// none (ErrNoAction), handing SNS messages to Options.SNS.
type runner struct {
	res     *Result
	sns     func(klaxon.Action, string) error
	actions blocks[klaxon.Action]
}

// blocks collects values in blocks of a fixed size, so that a long list
// is copied once, into one slice at the end, instead of at every growth
// (a year's transitions are tens of megabytes).
type blocks[T any] struct {
	full [][]T
	cur  []T
	n    int
}

const blockSize = 1024

func (b *blocks[T]) add(v T) {
	if len(b.cur) == cap(b.cur) {
		if b.cur != nil {
			b.full = append(b.full, b.cur)
		}
		b.cur = make([]T, 0, blockSize)
	}
	b.cur = append(b.cur, v)
	b.n++
}

// all returns the values in order, in one slice (nil for none), and
// empties b.
func (b *blocks[T]) all() []T {
	if b.n == 0 {
		return nil
	}
	out := make([]T, 0, b.n)
	for _, f := range b.full {
		out = append(out, f...)
	}
	out = append(out, b.cur...)
	*b = blocks[T]{}
	return out
}

// BriefActions tells the engine that without an SNS hook the runner
// keeps brief transitions only, which then need no reason data.
func (r *runner) BriefActions() bool { return r.sns == nil }

func (r *runner) RunAction(ctx context.Context, a klaxon.Action) error {
	if r.sns != nil && r.res.actionErr == nil {
		if t, err := alarm.ParseActionARN(a.ARN); err == nil && t.Kind == alarm.ActionSNS {
			msg, err := action.Format{}.SNSMessage(a.Transition)
			if err == nil {
				err = r.sns(a, msg)
			}
			if err != nil {
				r.res.actionErr = fmt.Errorf("replay: the SNS message of %s for %s at %s: %w", a.ARN, a.Transition.AlarmName, a.Transition.At.Format(time.RFC3339), err)
			}
		}
	}
	a.Transition = a.Transition.Brief()
	a.Transition.Reason = ""
	r.actions.add(a)
	return ErrNoAction
}

// PutComposites puts the composite alarms of a into e, each after the
// composites its rule reads; the alarms they read otherwise must be in e
// already. An error names the alarm's place in the file. It is for
// callers that drive an engine themselves (package klaxontest).
func (a *Alarms) PutComposites(ctx context.Context, e *klaxon.Engine) error {
	return putComposites(ctx, e, *a, make(map[string]bool))
}

// putComposites puts the composite alarms of the file into e, each after
// the composites its rule reads (the engine needs a rule's alarms to
// exist), and adds their names to names.
func putComposites(ctx context.Context, e *klaxon.Engine, alarms Alarms, names map[string]bool) error {
	left := make([]int, len(alarms.Composite))
	for i := range left {
		left[i] = i
	}
	for len(left) > 0 {
		var later []int
		for _, i := range left {
			c := alarms.Composite[i]
			ready := true
			if r, err := composite.Parse(c.AlarmRule); err == nil {
				for _, child := range r.Children() {
					if !names[childName(child)] && isComposite(alarms, childName(child)) {
						ready = false
					}
				}
			}
			if !ready {
				later = append(later, i)
				continue
			}
			if err := e.PutCompositeAlarm(ctx, c); err != nil {
				return fmt.Errorf("replay: %s %w", alarms.compositeAt(i), err)
			}
			names[c.AlarmName] = true
		}
		if len(later) == len(left) {
			// A cycle: the engine names it.
			i := later[0]
			return fmt.Errorf("replay: %s %w", alarms.compositeAt(i), e.PutCompositeAlarm(ctx, alarms.Composite[i]))
		}
		left = later
	}
	return nil
}

func isComposite(alarms Alarms, name string) bool {
	for _, c := range alarms.Composite {
		if c.AlarmName == name {
			return true
		}
	}
	return false
}

// SingleMetric returns the one metric all the metric alarms watch, for a
// CSV without metric columns; ok is false when they watch more than one.
func SingleMetric(alarms []alarm.Config) (ref MetricRef, ok bool) {
	for i, am := range alarmMetrics(alarms) {
		if i == 0 {
			ref = am.ref
			continue
		}
		if !sameRef(am.ref, ref) {
			return MetricRef{}, false
		}
		if am.ref.Unit != ref.Unit {
			ref.Unit = ""
		}
	}
	return ref, ref.MetricName != ""
}
