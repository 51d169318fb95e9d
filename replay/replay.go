package replay

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// Options tune a replay. The zero value replays the whole data with the
// engine's defaults.
type Options struct {
	// From is the time of the first evaluation. Zero: the first
	// datapoint's timestamp rounded up to the next whole minute.
	// Datapoints timestamped before it count as already received.
	From time.Time
	// Until is the time of the last evaluation, inclusive. Zero: the last
	// datapoint's timestamp plus the longest alarm's Period x
	// EvaluationPeriods.
	Until time.Time
	// Engine configures the engine the replay runs (account, Region,
	// evaluation options). Its Clock and Actions are replaced by the
	// replay's own.
	Engine klaxon.Options
}

// A Result is what a replay produced.
type Result struct {
	From, Until time.Time
	// History holds the StateUpdate and Action items of the replayed
	// alarms, oldest first, as describe-alarm-history with
	// --scan-by TimestampAscending prints them.
	History []klaxon.AlarmHistoryItem
	// Transitions are the same state changes as values.
	Transitions []klaxon.Transition
	// Actions are the actions that would have run, in order.
	Actions []klaxon.Action
	// Alarms is the alarms' final state.
	Alarms []klaxon.MetricAlarm
}

// event is one datum with its namespace, in time order.
type event struct {
	ns string
	d  *metric.Datum
}

// Run replays data through alarms on a mock clock: alarms start in
// INSUFFICIENT_DATA, each datapoint becomes visible at its own timestamp,
// and the engine evaluates on CloudWatch's schedule (every whole minute,
// every 10 seconds for high-resolution alarms, every hour for alarms longer
// than a day) from opts.From to opts.Until. The same inputs always give the
// same result.
func Run(ctx context.Context, alarms []alarm.Config, data []Batch, opts Options) (*Result, error) {
	if len(alarms) == 0 {
		return nil, fmt.Errorf("replay: no alarms to replay")
	}
	var events []event
	for bi := range data {
		b := &data[bi]
		for di := range b.MetricData {
			d := &b.MetricData[di]
			if d.Timestamp.IsZero() {
				return nil, fmt.Errorf("replay: batch %d (namespace %q), MetricData[%d] (%s): no Timestamp; a replay needs the time of every datapoint", bi, b.Namespace, di, d.MetricName)
			}
			events = append(events, event{ns: b.Namespace, d: d})
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].d.Timestamp.Before(events[j].d.Timestamp) })

	from, until := opts.From, opts.Until
	if from.IsZero() {
		if len(events) == 0 {
			return nil, fmt.Errorf("replay: no datapoints, and no From time to start at")
		}
		from = ceilTo(events[0].d.Timestamp, time.Minute)
	}
	// The step and the longest window come from each alarm's evaluator,
	// whose period is the alarm's Period or, for a metric-math alarm, its
	// queries'.
	step, longest := time.Minute, time.Duration(0)
	for i := range alarms {
		ev, err := alarm.NewEvaluator(alarms[i], opts.Engine.Evaluation)
		if err != nil {
			return nil, fmt.Errorf("replay: alarm %q: %w", alarms[i].AlarmName, err)
		}
		if ev.Period() < time.Minute {
			step = 10 * time.Second
		}
		longest = max(longest, ev.Period()*time.Duration(alarms[i].EvaluationPeriods))
	}
	if until.IsZero() {
		last := from
		if len(events) > 0 {
			last = events[len(events)-1].d.Timestamp
		}
		until = last.Add(longest)
	}
	from = from.UTC()
	until = until.UTC()
	if until.Before(from) {
		return nil, fmt.Errorf("replay: Until %s is before From %s", until.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	first := ceilTo(from, step) // the first evaluation at or after From
	if first.After(until) {
		return nil, fmt.Errorf("replay: no evaluation between From %s and Until %s: evaluations happen every %v, the first at %s",
			from.Format(time.RFC3339), until.Format(time.RFC3339), step, first.Format(time.RFC3339))
	}
	from = first

	clk := &manualClock{Clock: clock.NewMock()}
	start := from
	if len(events) > 0 && events[0].d.Timestamp.Before(start) {
		start = events[0].d.Timestamp
	}
	clk.Set(start)
	res := &Result{From: from, Until: until}
	eopts := opts.Engine
	eopts.Clock = clk
	eopts.Actions = runner{res}
	eopts.HistoryRetention = klaxon.KeepHistory // a replay keeps its whole history
	e, err := klaxon.New(eopts)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	e.Subscribe(func(t klaxon.Transition) { res.Transitions = append(res.Transitions, t) })
	names := make(map[string]bool)
	for _, c := range alarms {
		if names[c.AlarmName] {
			return nil, fmt.Errorf("replay: alarm %q is defined twice", c.AlarmName)
		}
		names[c.AlarmName] = true
		if err := e.PutMetricAlarm(ctx, c); err != nil {
			return nil, fmt.Errorf("replay: alarm %q: %w", c.AlarmName, err)
		}
	}

	next := 0
	for t := from; !t.After(until); t = t.Add(step) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var err error
		if next, err = ingest(ctx, e, clk, events, next, t); err != nil {
			return nil, err
		}
		clk.Set(t)
		if err := e.EvaluateAt(ctx, t); err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
	}
	hist, err := e.DescribeAlarmHistory(ctx, klaxon.HistoryFilter{ScanBy: klaxon.TimestampAscending,
		AlarmTypes: []string{klaxon.MetricAlarmType, klaxon.CompositeAlarmType}})
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	for _, h := range hist {
		if h.HistoryItemType == klaxon.HistoryConfigurationUpdate || !names[h.AlarmName] {
			continue
		}
		res.History = append(res.History, h)
	}
	if res.History == nil {
		res.History = []klaxon.AlarmHistoryItem{}
	}
	described, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{AlarmTypes: []string{klaxon.MetricAlarmType, klaxon.CompositeAlarmType}})
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	res.Alarms = described.MetricAlarms
	return res, nil
}

// ingest puts the events from index next that are visible at t (timestamp
// at or before t), in calls of at most 1000 datums of one namespace, with
// the clock at the newest timestamp of each call. It returns the index of
// the first event not yet visible.
func ingest(ctx context.Context, e *klaxon.Engine, clk *manualClock, events []event, next int, t time.Time) (int, error) {
	var buf []metric.Datum
	for next < len(events) && !events[next].d.Timestamp.After(t) {
		ns := events[next].ns
		buf = buf[:0]
		first := next
		// One call: one namespace, CloudWatch's limits, and timestamps
		// within two weeks of each other (the clock is set to the newest).
		for next < len(events) && len(buf) < metric.MaxDatumsPerCall && events[next].ns == ns &&
			!events[next].d.Timestamp.After(t) && values(buf)+len(events[next].d.Values) <= metric.MaxValuesPerCall &&
			(len(buf) == 0 || events[next].d.Timestamp.Sub(buf[0].Timestamp) < metric.MaxPast) {
			buf = append(buf, *events[next].d)
			next++
		}
		if len(buf) == 0 { // a datum with more Values than one call takes
			buf = append(buf, *events[next].d)
			next++
		}
		if now := buf[len(buf)-1].Timestamp; now.After(clk.Now()) {
			clk.Set(now)
		}
		if err := e.PutMetricData(ctx, ns, buf); err != nil {
			return next, fmt.Errorf("replay: datapoints %d to %d (namespace %q, from %s): %w",
				first+1, next, ns, buf[0].Timestamp.Format(time.RFC3339), err)
		}
	}
	return next, nil
}

// manualClock is the replay's clock: Now is whatever Set made it. It does
// what clock.Mock does for the engine's use (the engine reads only Now
// during a replay), without the millisecond sleep with which Mock.Set
// yields to timer goroutines: a month of one-minute evaluations would
// spend 90 seconds asleep.
type manualClock struct {
	clock.Clock // the methods the replay never calls
	now         time.Time
}

func (c *manualClock) Now() time.Time                  { return c.now }
func (c *manualClock) Set(t time.Time)                 { c.now = t }
func (c *manualClock) Since(t time.Time) time.Duration { return c.now.Sub(t) }
func (c *manualClock) Until(t time.Time) time.Duration { return t.Sub(c.now) }

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

// runner records the actions a replay would run; they all succeed.
type runner struct{ res *Result }

func (r runner) RunAction(ctx context.Context, a klaxon.Action) error {
	r.res.Actions = append(r.res.Actions, a)
	return nil
}

// SingleMetric returns the one metric all the alarms watch, for a CSV
// without metric columns; ok is false when they watch more than one.
func SingleMetric(alarms []alarm.Config) (ref MetricRef, ok bool) {
	for i, c := range alarms {
		r := MetricRef{Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions, Unit: c.Unit}
		if i == 0 {
			ref = r
			continue
		}
		if r.Namespace != ref.Namespace || r.MetricName != ref.MetricName || !sameDims(r.Dimensions, ref.Dimensions) {
			return MetricRef{}, false
		}
		if r.Unit != ref.Unit {
			ref.Unit = ""
		}
	}
	return ref, len(alarms) > 0 && ref.MetricName != ""
}

func sameDims(a, b []metric.Dimension) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	less := func(x, y metric.Dimension) int { return strings.Compare(x.Name, y.Name) }
	slices.SortFunc(a, less)
	slices.SortFunc(b, less)
	return slices.Equal(a, b)
}
