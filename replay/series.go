package replay

import (
	"math"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/anomaly"
	"github.com/klaxon-go/klaxon/metric"
)

// MaxSeriesPoints is the most points a Series holds: a longer replay
// groups consecutive evaluations into one point (its Min and Max keep the
// extremes).
const MaxSeriesPoints = 4000

// A Series is what a plot of one alarm shows: the alarm's newest period
// at each evaluation (the statistic over [t - Period, t), drawn at t), its
// threshold, and, for an anomaly-band alarm, the band.
type Series struct {
	Alarm     string
	Statistic string
	Period    time.Duration
	// Threshold is the static threshold; Band reports that the alarm
	// compares with a band instead, whose edges are in the points' Lower
	// and Upper (the anomaly detection alarm's periods are its model's:
	// aligned to the epoch, the newest the last that ended).
	Threshold float64
	Band      bool
	Points    []SeriesPoint
}

// A SeriesPoint is the newest period of one evaluation, or of a group of
// consecutive evaluations (At the last of them).
type SeriesPoint struct {
	At time.Time
	// Value is the newest period's statistic at At; Min and Max the least
	// and greatest over the group.
	Value, Min, Max float64
	// Missing marks a period without data (for a group: every period of
	// it); Value, Min and Max are then meaningless.
	Missing bool
	// Lower and Upper are the band's edges at At (band alarms only); NaN
	// where the model had no band (while it trains), which the alarm
	// treats as missing data.
	Lower, Upper float64
}

// recorder computes the series of a replay with an aggregation of its
// own (the engine's code, metric.Aggregator), fed the same data; the
// bands of anomaly detection alarms come from the engine (band).
type recorder struct {
	agg     *metric.Aggregator
	watches []*metric.Watch
	out     []Series
	group   int // evaluations per point
	n       int // evaluations in the current point
	win     [1]metric.Period
	band    func(alarm string, periodStart time.Time) (anomaly.Band, error)
}

func newRecorder(alarms []alarm.Config, first, until time.Time, step time.Duration, opts alarm.Options) *recorder {
	r := &recorder{agg: metric.NewAggregator(15 * time.Minute)}
	evals := int(until.Sub(first)/step) + 1
	r.group = (evals + MaxSeriesPoints - 1) / MaxSeriesPoints
	for _, c := range alarms {
		ev, err := alarm.NewEvaluator(c, opts)
		if err != nil {
			continue
		}
		stat := c.Statistic
		if stat == "" {
			stat = c.ExtendedStatistic
		}
		q := metric.Query{
			Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions, Unit: c.Unit,
			Stat: ev.Statistic(), Period: ev.Period(), Periods: 1,
		}
		band := false
		if _, in, ok := c.Band(); ok {
			ms := in.MetricStat
			stat, band = ms.Stat, true
			q.Namespace, q.MetricName, q.Dimensions, q.Unit = ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions, ms.Unit
			if st, err := metric.ParseStatistic(ms.Stat); err == nil {
				q.Stat = st
			} else if st, err := metric.ParseExtendedStatistic(ms.Stat); err == nil {
				q.Stat = st
			}
		} else if c.IsMath() {
			continue // a metric-math alarm the engine does not evaluate
		}
		r.out = append(r.out, Series{Alarm: c.AlarmName, Statistic: stat, Period: ev.Period(), Threshold: c.Threshold, Band: band})
		r.watches = append(r.watches, r.agg.Watch(q))
	}
	return r
}

func (r *recorder) add(ns string, data []metric.Datum) {
	for i := range data {
		r.agg.Add(ns, &data[i], data[i].Timestamp)
	}
}

// evaluate records the newest period of every alarm at t.
func (r *recorder) evaluate(t time.Time) {
	fresh := r.n == 0
	r.n++
	for i, w := range r.watches {
		s := &r.out[i]
		end := t
		if s.Band {
			// An anomaly detection alarm reads its model's periods:
			// aligned to the epoch, the newest the last that ended.
			p := int64(s.Period / time.Second)
			end = time.Unix(t.Unix()/p*p, 0)
		}
		w.Read(end, r.win[:])
		p := r.win[0]
		var lower, upper float64
		if s.Band {
			lower, upper = math.NaN(), math.NaN() // no band (yet)
			if r.band != nil {
				if b, err := r.band(s.Alarm, p.Start); err == nil {
					lower, upper = b.Lower, b.Upper
				}
			}
		}
		if fresh {
			s.Points = append(s.Points, SeriesPoint{At: t, Value: p.Value, Min: p.Value, Max: p.Value, Missing: p.Missing, Lower: lower, Upper: upper})
			continue
		}
		sp := &s.Points[len(s.Points)-1]
		sp.At = t
		if p.Missing {
			continue
		}
		sp.Lower, sp.Upper = lower, upper
		if sp.Missing {
			sp.Min, sp.Max, sp.Missing = p.Value, p.Value, false
		}
		sp.Value, sp.Min, sp.Max = p.Value, min(sp.Min, p.Value), max(sp.Max, p.Value)
	}
	if r.n == r.group {
		r.n = 0
	}
}

func (r *recorder) series() []Series { return r.out }
