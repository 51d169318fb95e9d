package klaxon

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/anomaly"
	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/metric"
)

// An AnomalyDetector is an anomaly detection model of one metric and
// statistic, in the shape of CloudWatch's PutAnomalyDetector input and
// DescribeAnomalyDetectors output. The metric is named either by
// SingleMetricAnomalyDetector or by the older top-level fields
// (Namespace, MetricName, Dimensions, Stat), not both; DescribeAnomalyDetectors
// fills both, as CloudWatch does. StateValue is output only.
type AnomalyDetector struct {
	Namespace                   string                        `json:"Namespace,omitempty"`
	MetricName                  string                        `json:"MetricName,omitempty"`
	Dimensions                  []metric.Dimension            `json:"Dimensions,omitempty"`
	Stat                        string                        `json:"Stat,omitempty"`
	Configuration               *AnomalyDetectorConfiguration `json:"Configuration,omitempty"`
	StateValue                  string                        `json:"StateValue,omitempty"`
	SingleMetricAnomalyDetector *SingleMetricAnomalyDetector  `json:"SingleMetricAnomalyDetector,omitempty"`
	MetricMathAnomalyDetector   *MetricMathAnomalyDetector    `json:"MetricMathAnomalyDetector,omitempty"`
	MetricCharacteristics       *MetricCharacteristics        `json:"MetricCharacteristics,omitempty"`
}

// A SingleMetricAnomalyDetector names the metric and statistic of a
// detector.
type SingleMetricAnomalyDetector struct {
	AccountId  string             `json:"AccountId,omitempty"`
	Namespace  string             `json:"Namespace"`
	MetricName string             `json:"MetricName"`
	Dimensions []metric.Dimension `json:"Dimensions,omitempty"`
	Stat       string             `json:"Stat"`
}

// A MetricMathAnomalyDetector is a detector on a metric-math expression.
// The engine does not model expressions: PutAnomalyDetector refuses it.
type MetricMathAnomalyDetector struct {
	MetricDataQueries []alarm.MetricDataQuery `json:"MetricDataQueries"`
}

// AnomalyDetectorConfiguration is how a detector trains: the time ranges
// left out of training (at most 10) and the time zone whose wall clock
// the metric's daily and weekly patterns follow (a tz database name;
// empty means UTC).
type AnomalyDetectorConfiguration struct {
	ExcludedTimeRanges []anomaly.Range `json:"ExcludedTimeRanges"`
	MetricTimezone     string          `json:"MetricTimezone,omitempty"`
}

// MetricCharacteristics describe the metric to the model. PeriodicSpikes
// says that spikes which recur during training are normal; the engine's
// model always treats spikes that recur at a time of day as normal, so
// the setting is kept and shown, and changes nothing.
type MetricCharacteristics struct {
	PeriodicSpikes *bool `json:"PeriodicSpikes,omitempty"`
}

// DescribeAnomalyDetectorsOutput is DescribeAnomalyDetectors' result, in
// CloudWatch's shape.
type DescribeAnomalyDetectorsOutput struct {
	AnomalyDetectors []AnomalyDetector `json:"AnomalyDetectors"`
}

// An AnomalyDetectorFilter selects detectors, as DescribeAnomalyDetectors'
// input does: zero fields select everything. AnomalyDetectorTypes takes
// "SINGLE_METRIC" and "METRIC_MATH" (the engine has only the first kind).
type AnomalyDetectorFilter struct {
	Namespace            string
	MetricName           string
	Dimensions           []metric.Dimension
	AnomalyDetectorTypes []string
	// MaxResults limits the detectors returned (0: all of them; the
	// engine does not paginate).
	MaxResults int
}

// The quota on anomaly detection models per account and Region.
const maxDetectors = 500

// The default period of a detector's model when no alarm uses it: five
// minutes, the period CloudWatch's console graphs a band with.
const detectorPeriod = 300

// A detector is an anomaly detection model of one metric and statistic:
// its configuration and one band model per period that something uses
// (its own five-minute model, and each period of the alarms that band
// with it). A detector is explicit when PutAnomalyDetector created it;
// otherwise an alarm did, and it goes with its last alarm.
type detector struct {
	key      string
	ns, name string
	dims     []metric.Dimension
	stat     string
	conf     AnomalyDetectorConfiguration
	chars    *MetricCharacteristics
	explicit bool
	models   []*bandModel
}

// A bandModel is a detector's model for one period, learning from a watch
// of the metric: each period once, at the first evaluation time at or after
// its end plus Options.AnomalyLearningDelay.
type bandModel struct {
	det    *detector
	period time.Duration
	m      *anomaly.Model
	watch  metric.Watch
	next   nanos // the start of the next period to learn
	users  int   // alarms banding with it (and 1 for an explicit detector's own model)
}

// detectorKey identifies a detector by its metric (dimensions in any
// order) and statistic.
func detectorKey(ns, name string, dims []metric.Dimension, stat string) string {
	d := slices.Clone(dims)
	slices.SortFunc(d, func(a, b metric.Dimension) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Value, b.Value))
	})
	var b strings.Builder
	b.WriteString(ns)
	b.WriteByte(0)
	b.WriteString(name)
	for _, x := range d {
		b.WriteByte(0)
		b.WriteString(x.Name)
		b.WriteByte(1)
		b.WriteString(x.Value)
	}
	b.WriteByte(0)
	b.WriteString(stat)
	return b.String()
}

// modelConfig is the anomaly package's configuration of d's model for a
// period.
func (d *detector) modelConfig(period time.Duration) anomaly.Config {
	return anomaly.Config{Period: int(period / time.Second), ExcludedTimeRanges: d.conf.ExcludedTimeRanges, MetricTimezone: d.conf.MetricTimezone}
}

// model returns d's model for period, creating it (with one user more).
func (e *Engine) model(d *detector, period time.Duration) (*bandModel, error) {
	for _, bm := range d.models {
		if bm.period == period {
			bm.users++
			return bm, nil
		}
	}
	m, err := anomaly.New(d.modelConfig(period))
	if err != nil {
		return nil, err
	}
	bm := &bandModel{det: d, period: period, m: m, users: 1}
	st, _ := parseStat(d.stat)
	e.agg.WatchInto(&bm.watch, metric.Query{Namespace: d.ns, MetricName: d.name, Dimensions: d.dims, Stat: st, Period: period, Periods: 2})
	if !e.last.IsZero() {
		bm.next = stamp(epochPeriod(e.last, period))
	}
	d.models = append(d.models, bm)
	e.bandModels = append(e.bandModels, bm)
	return bm, nil
}

// releaseModel gives back one use of bm, dropping it when nothing uses it, and
// its detector when that was an alarm's and has no model left.
func (e *Engine) releaseModel(bm *bandModel) {
	if bm.users--; bm.users > 0 {
		return
	}
	e.agg.Unwatch(&bm.watch)
	d := bm.det
	d.models = slices.DeleteFunc(d.models, func(x *bandModel) bool { return x == bm })
	e.bandModels = slices.DeleteFunc(e.bandModels, func(x *bandModel) bool { return x == bm })
	if !d.explicit && len(d.models) == 0 {
		delete(e.detectors, d.key)
	}
}

// epochPeriod returns the start of the period of length p that contains
// t, periods starting at multiples of p since the Unix epoch (as the
// anomaly package's do; time.Truncate counts from year 1).
func epochPeriod(t time.Time, p time.Duration) time.Time {
	s, ps := t.Unix(), int64(p/time.Second)
	q := s / ps
	if s%ps < 0 {
		q--
	}
	return time.Unix(q*ps, 0).UTC()
}

func parseStat(s string) (metric.Statistic, error) {
	if st, err := metric.ParseStatistic(s); err == nil {
		return st, nil
	}
	return metric.ParseExtendedStatistic(s)
}

// learn feeds every band model the periods that ended at or before
// t - Options.AnomalyLearningDelay and that it has not learned yet, oldest
// first (under the lock, before the alarms are evaluated at t). A model
// that fell far behind (the engine's clock jumped) skips to the periods
// its metric still holds.
func (e *Engine) learn(t time.Time) {
	horizon := t.Add(-e.opts.AnomalyLearningDelay)
	for _, bm := range e.bandModels {
		p := bm.period
		end := epochPeriod(horizon, p) // periods ending at or before the horizon
		if stamp(end) <= bm.next {
			continue
		}
		// At most the periods the metric may still hold: a model that
		// fell behind (the clock jumped) skips the older ones.
		n := min(int((stamp(end)-bm.next)/nanos(p)), max(2, int(e.opts.MetricRetention/p)+1))
		win := e.scratch(n)
		bm.watch.Read(end, win)
		for i := range win {
			if !win[i].Missing {
				bm.m.Observe(win[i].Start, win[i].Value) // errors: excluded or out of range, nothing learned
			}
		}
		bm.next = stamp(end)
	}
}

// bandUse is an anomaly alarm's band: its detector's model for the
// alarm's period, and the band width.
type bandUse struct {
	bm    *bandModel
	width float64
}

// fill sets the band edges of each real datapoint of win; a datapoint the
// model has no band for (it is PENDING_TRAINING) becomes missing, and the
// alarm's missing-data treatment applies to it.
func (b *bandUse) fill(win []alarm.Datapoint) {
	for i := range win {
		d := &win[i]
		if d.Missing {
			continue
		}
		band, err := b.bm.m.Band(d.Start, b.width)
		if err != nil {
			d.Missing = true
			continue
		}
		d.Lower, d.Upper = band.Lower, band.Upper
	}
}

// bandFor returns the band of an anomaly alarm's configuration: its
// detector's model for the alarm's period (creating the detector, as
// CloudWatch does, when the metric and statistic have none yet). Under
// the lock.
func (e *Engine) bandFor(cfg *alarm.Config) (*bandUse, error) {
	b, q, ok := cfg.Band()
	if !ok {
		return nil, nil
	}
	ms := q.MetricStat
	key := detectorKey(ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions, ms.Stat)
	d := e.detectors[key]
	if d == nil {
		if len(e.detectors) >= maxDetectors {
			return nil, detectorLimit()
		}
		d = &detector{key: key, ns: ms.Metric.Namespace, name: ms.Metric.MetricName, dims: slices.Clone(ms.Metric.Dimensions), stat: ms.Stat}
		e.detectors[key] = d
	}
	bm, err := e.model(d, time.Duration(ms.Period)*time.Second)
	if err != nil {
		if len(d.models) == 0 && !d.explicit {
			delete(e.detectors, key)
		}
		return nil, err
	}
	return &bandUse{bm: bm, width: b.Width}, nil
}

func detectorLimit() error {
	return &Error{Pkg: "klaxon", Code: cwerr.LimitExceeded, Field: "AnomalyDetector",
		Message: "The maximum number of anomaly detection models (" + strconv.Itoa(maxDetectors) + ") has been reached."}
}

// checkAnomalyAlarm refuses the metric-math alarms that the engine does
// not evaluate: every alarm with Metrics but an anomaly-detection alarm of
// one MetricStat and its band, and bands of periods beyond a day.
func checkAnomalyAlarm(cfg *alarm.Config) error {
	if !cfg.IsMath() {
		return nil
	}
	b, q, ok := cfg.Band()
	if !ok {
		return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "Metrics",
			Message: "Metric math alarms are evaluated only in the anomaly detection form (one MetricStat query and an ANOMALY_DETECTION_BAND expression on it, named by ThresholdMetricId); alarm " + cfg.AlarmName + " was not created."}
	}
	for i, x := range cfg.Metrics {
		if x.Id != q.Id && x.Id != cfg.ThresholdMetricId {
			f := "Metrics.member." + strconv.Itoa(i+1)
			return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: f, Value: x.Id,
				Message: "The query " + strconv.Quote(x.Id) + " (" + f + ") is not evaluated: an anomaly detection alarm has one MetricStat query (" + strconv.Quote(b.Id) + ") and its ANOMALY_DETECTION_BAND expression; alarm " + cfg.AlarmName + " was not created."}
		}
	}
	if p := q.MetricStat.Period; p > anomaly.MaxPeriod {
		return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "MetricStat.Period", Value: strconv.Itoa(p),
			Message: "The value " + strconv.Itoa(p) + " for parameter MetricStat.Period is invalid: the engine's anomaly model bands periods of at most " + strconv.Itoa(anomaly.MaxPeriod) + " seconds (a day)."}
	}
	return nil
}

// PutAnomalyDetector creates the anomaly detection model of a metric and
// statistic, or changes its configuration. The model starts learning at
// once, from the data that arrives (the engine keeps no raw history to
// train on): a five-minute model of its own, and one per period of the
// alarms that band with it. A change of MetricTimezone starts the models
// over; a change of ExcludedTimeRanges applies to the periods they learn
// from then on.
func (e *Engine) PutAnomalyDetector(ctx context.Context, d AnomalyDetector) error {
	s, err := e.checkDetector(d, true)
	if err != nil {
		return err
	}
	conf := AnomalyDetectorConfiguration{}
	if d.Configuration != nil {
		conf = *d.Configuration
		conf.ExcludedTimeRanges = slices.Clone(conf.ExcludedTimeRanges)
	}
	if err := checkConfiguration(conf); err != nil {
		return err
	}
	if _, err := e.now(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	key := detectorKey(s.Namespace, s.MetricName, s.Dimensions, s.Stat)
	det := e.detectors[key]
	if det == nil {
		if len(e.detectors) >= maxDetectors {
			return detectorLimit()
		}
		det = &detector{key: key, ns: s.Namespace, name: s.MetricName, dims: slices.Clone(s.Dimensions), stat: s.Stat}
		e.detectors[key] = det
	}
	restart := det.conf.MetricTimezone != conf.MetricTimezone
	old := det.conf
	det.conf = conf
	fresh := make([]*anomaly.Model, len(det.models))
	for i, bm := range det.models {
		var err error
		if restart {
			fresh[i], err = anomaly.New(det.modelConfig(bm.period))
		} else {
			err = bm.m.SetExcludedTimeRanges(conf.ExcludedTimeRanges)
		}
		if err != nil {
			det.conf = old
			return err
		}
	}
	if restart {
		for i, bm := range det.models {
			bm.m = fresh[i]
		}
	}
	if d.MetricCharacteristics != nil {
		c := *d.MetricCharacteristics
		det.chars = &c
	}
	if !det.explicit {
		if _, err := e.model(det, detectorPeriod*time.Second); err != nil {
			return err
		}
		det.explicit = true
	}
	return nil
}

// DeleteAnomalyDetector deletes a metric's anomaly detection model. As in
// CloudWatch, an alarm that still bands with it makes it anew: its models
// start over, with the default configuration.
func (e *Engine) DeleteAnomalyDetector(ctx context.Context, d AnomalyDetector) error {
	s, err := e.checkDetector(d, false)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	key := detectorKey(s.Namespace, s.MetricName, s.Dimensions, s.Stat)
	det := e.detectors[key]
	if det == nil || !det.explicit {
		return &Error{Pkg: "klaxon", Code: cwerr.ResourceNotFoundException, Field: "AnomalyDetector", Value: s.Namespace + " " + s.MetricName + " " + s.Stat,
			Message: "No anomaly detection model exists for the metric " + s.Namespace + "/" + s.MetricName + " with the statistic " + s.Stat + "."}
	}
	det.explicit = false
	det.conf = AnomalyDetectorConfiguration{}
	det.chars = nil
	for _, bm := range slices.Clone(det.models) {
		if bm.period == detectorPeriod*time.Second {
			e.releaseModel(bm) // the detector's own use
		}
	}
	for _, bm := range det.models {
		if m, err := anomaly.New(det.modelConfig(bm.period)); err == nil {
			bm.m = m
		}
	}
	if len(det.models) == 0 {
		delete(e.detectors, key)
	}
	return nil
}

// checkDetector validates the metric of a PutAnomalyDetector or
// DeleteAnomalyDetector input and returns it in the single-metric form.
func (e *Engine) checkDetector(d AnomalyDetector, put bool) (SingleMetricAnomalyDetector, error) {
	var probs []error
	top := d.Namespace != "" || d.MetricName != "" || len(d.Dimensions) > 0 || d.Stat != ""
	s := SingleMetricAnomalyDetector{Namespace: d.Namespace, MetricName: d.MetricName, Dimensions: d.Dimensions, Stat: d.Stat}
	prefix := ""
	switch {
	case d.MetricMathAnomalyDetector != nil:
		return s, &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: "MetricMathAnomalyDetector",
			Message: "Anomaly detection models of metric math expressions (MetricMathAnomalyDetector) are not supported by this version of the engine; use SingleMetricAnomalyDetector."}
	case d.SingleMetricAnomalyDetector != nil && top:
		return s, &Error{Pkg: "klaxon", Code: cwerr.InvalidParameterCombination, Field: "SingleMetricAnomalyDetector",
			Message: "The parameters SingleMetricAnomalyDetector and Namespace, MetricName, Dimensions, Stat are mutually exclusive and you have specified both."}
	case d.SingleMetricAnomalyDetector != nil:
		s = *d.SingleMetricAnomalyDetector
		prefix = "SingleMetricAnomalyDetector."
		if s.AccountId != "" && s.AccountId != e.opts.AccountID {
			probs = append(probs, invalid(prefix+"AccountId", s.AccountId, "The value "+s.AccountId+" for parameter "+prefix+"AccountId is invalid: the engine holds account "+e.opts.AccountID+" only."))
		}
	}
	for _, err := range []error{metric.ValidateNamespace(prefix+"Namespace", s.Namespace), metric.ValidateName(prefix+"MetricName", s.MetricName)} {
		if err != nil {
			probs = append(probs, err)
		}
	}
	probs = append(probs, metric.ValidateDimensions(prefix+"Dimensions", s.Dimensions)...)
	switch _, err := parseStat(s.Stat); {
	case s.Stat == "":
		probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.MissingParameter, Field: prefix + "Stat", Message: "The parameter " + prefix + "Stat is required."})
	case err != nil:
		probs = append(probs, invalid(prefix+"Stat", s.Stat, "The value '"+s.Stat+"' for parameter "+prefix+"Stat is invalid: it is neither a simple statistic (SampleCount, Average, Sum, Minimum, Maximum) nor an extended one (p99, tm90, ...)."))
	}
	if !put && (d.Configuration != nil || d.MetricCharacteristics != nil) {
		probs = append(probs, invalid("Configuration", "", "DeleteAnomalyDetector takes the metric and statistic only, not Configuration or MetricCharacteristics."))
	}
	return s, errors.Join(probs...)
}

// checkConfiguration validates a detector's configuration with the
// anomaly package's rules, naming the fields as CloudWatch's parameters.
func checkConfiguration(c AnomalyDetectorConfiguration) error {
	mc := anomaly.Config{Period: detectorPeriod, ExcludedTimeRanges: c.ExcludedTimeRanges, MetricTimezone: c.MetricTimezone}
	err := mc.Validate()
	if err == nil {
		return nil
	}
	var probs []error
	for _, e := range flatten(err) {
		var fe *anomaly.FieldError
		if !errors.As(e, &fe) {
			probs = append(probs, e)
			continue
		}
		field := "Configuration." + memberPath(fe.Field)
		probs = append(probs, invalid(field, fe.Value, "The value "+fe.Value+" for parameter "+field+" is invalid: it "+fe.Rule+"."))
	}
	return errors.Join(probs...)
}

// memberPath turns "ExcludedTimeRanges[2].EndTime" into CloudWatch's
// "ExcludedTimeRanges.member.3.EndTime".
func memberPath(f string) string {
	i := strings.IndexByte(f, '[')
	j := strings.IndexByte(f, ']')
	if i < 0 || j < i {
		return f
	}
	n, err := strconv.Atoi(f[i+1 : j])
	if err != nil {
		return f
	}
	return f[:i] + ".member." + strconv.Itoa(n+1) + f[j+1:]
}

// flatten returns the errors joined in err (err itself when it joins
// none).
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// DescribeAnomalyDetectors returns the anomaly detection models f
// selects, sorted by namespace, metric name, dimensions and statistic:
// those PutAnomalyDetector created and those that anomaly detection alarms
// made. A detector's StateValue is its most trained model's.
func (e *Engine) DescribeAnomalyDetectors(ctx context.Context, f AnomalyDetectorFilter) (DescribeAnomalyDetectorsOutput, error) {
	var probs []error
	for i, t := range f.AnomalyDetectorTypes {
		if t != "SINGLE_METRIC" && t != "METRIC_MATH" {
			probs = append(probs, enumError("AnomalyDetectorTypes.member."+strconv.Itoa(i+1), "anomalyDetectorTypes."+strconv.Itoa(i+1)+".member", t, "SINGLE_METRIC, METRIC_MATH"))
		}
	}
	if f.MaxResults < 0 {
		probs = append(probs, rangeError("MaxResults", "maxResults", f.MaxResults, 1, 100))
	}
	if f.Namespace != "" {
		if err := metric.ValidateNamespace("Namespace", f.Namespace); err != nil {
			probs = append(probs, err)
		}
	}
	if f.MetricName != "" {
		if err := metric.ValidateName("MetricName", f.MetricName); err != nil {
			probs = append(probs, err)
		}
	}
	probs = append(probs, metric.ValidateDimensions("Dimensions", f.Dimensions)...)
	if len(probs) > 0 {
		return DescribeAnomalyDetectorsOutput{}, errors.Join(probs...)
	}
	out := DescribeAnomalyDetectorsOutput{AnomalyDetectors: []AnomalyDetector{}}
	if len(f.AnomalyDetectorTypes) > 0 && !slices.Contains(f.AnomalyDetectorTypes, "SINGLE_METRIC") {
		return out, nil
	}
	e.mu.Lock()
	dets := make([]*detector, 0, len(e.detectors))
	for _, d := range e.detectors {
		if f.Namespace != "" && d.ns != f.Namespace || f.MetricName != "" && d.name != f.MetricName || !hasDimensions(d.dims, f.Dimensions) {
			continue
		}
		dets = append(dets, d)
	}
	slices.SortFunc(dets, func(a, b *detector) int { return strings.Compare(a.key, b.key) })
	for _, d := range dets {
		state := anomaly.PendingTraining
		for _, bm := range d.models {
			state = max(state, bm.m.State())
		}
		conf := d.conf
		conf.ExcludedTimeRanges = slices.Clone(conf.ExcludedTimeRanges)
		if conf.ExcludedTimeRanges == nil {
			conf.ExcludedTimeRanges = []anomaly.Range{}
		}
		var chars *MetricCharacteristics
		if d.chars != nil {
			c := *d.chars
			chars = &c
		}
		out.AnomalyDetectors = append(out.AnomalyDetectors, AnomalyDetector{
			Namespace: d.ns, MetricName: d.name, Dimensions: slices.Clone(d.dims), Stat: d.stat,
			Configuration: &conf, StateValue: state.String(), MetricCharacteristics: chars,
			SingleMetricAnomalyDetector: &SingleMetricAnomalyDetector{AccountId: e.opts.AccountID, Namespace: d.ns, MetricName: d.name, Dimensions: slices.Clone(d.dims), Stat: d.stat},
		})
	}
	e.mu.Unlock()
	if f.MaxResults > 0 && len(out.AnomalyDetectors) > f.MaxResults {
		out.AnomalyDetectors = out.AnomalyDetectors[:f.MaxResults]
	}
	return out, nil
}

// hasDimensions reports whether have includes every dimension of want.
func hasDimensions(have, want []metric.Dimension) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// AnomalyBand returns the band of expected values that the anomaly
// detection alarm name compares the period starting at t with: the band of
// its model's period that contains t, with the alarm's width, as its
// evaluations see it. It returns an error matching ErrNotFound when there
// is no such alarm, ErrValidation when the alarm compares with a static
// threshold, and the anomaly package's error when the model has no band
// for t (anomaly.ErrPendingTraining while it trains; anomaly.ErrTooOld
// before the bands it keeps, a day of periods back).
func (e *Engine) AnomalyBand(name string, t time.Time) (anomaly.Band, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.alarms[name]
	if !ok {
		return anomaly.Band{}, notFound("Alarm " + name + " not found")
	}
	m, ok := a.(*metricAlarm)
	if !ok || m.band == nil {
		return anomaly.Band{}, invalid("AlarmName", name, "The alarm "+name+" is not an anomaly detection alarm: it has no band.")
	}
	return m.band.bm.m.Band(t, m.band.width)
}
