package replay

// This file reads metrics JSON: put-metric-data input, streamed a datum
// at a time, and the output of get-metric-data and get-metric-statistics,
// read whole.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// jsonReader tells the shape of a JSON metrics file from its first key.
// For put-metric-data input it returns a reader that streams the file;
// for API output it reads the whole file and returns its points (nil and
// a problem in ps when it cannot).
func jsonReader(name string, br *bufio.Reader, opts ReadOptions, m *Metrics, ps *problems) (string, func(io.Reader, *problems, func(*point) bool), []point) {
	head, _ := br.Peek(4096)
	switch firstKey(head) {
	case "MetricDataResults", "Messages":
		return "get-metric-data", nil, readWhole(name, br, ps, func(d *decoder, v *jval) []point { return d.getMetricData(v, opts, m) })
	case "Datapoints", "Label":
		return "get-metric-statistics", nil, readWhole(name, br, ps, func(d *decoder, v *jval) []point { return d.getMetricStatistics(v, opts, m) })
	}
	return "put-metric-data", putMetricDataReader(name, m), nil
}

// firstKey returns the first key of the object that b starts with (after
// white space), when it has no escapes.
func firstKey(b []byte) string {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\uFEFF")), " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return ""
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if len(b) == 0 || b[0] != '"' {
		return ""
	}
	end := bytes.IndexAny(b[1:], "\"\\")
	if end < 0 || b[1+end] != '"' {
		return ""
	}
	return string(b[1 : 1+end])
}

// readWhole parses the whole file and decodes it with f.
func readWhole(name string, r io.Reader, ps *problems, f func(*decoder, *jval) []point) []point {
	data, err := readInput(name, r)
	if err != nil {
		ps.list = append(ps.list, err)
		return nil
	}
	root, err := parseJSONFile(name, data)
	if err != nil {
		ps.list = append(ps.list, err)
		return nil
	}
	d := newDecoder(name, data)
	d.probs = ps
	pts := f(d, root)
	if ps.count() > 0 {
		return nil
	}
	if pts == nil {
		pts = []point{}
	}
	return pts
}

// ---- put-metric-data, streamed ----

var (
	batchKeys  = []string{"Namespace", "MetricData", "EntityMetricData", "StrictEntityValidation"}
	entityKeys = []string{"Entity", "MetricData"}
	datumKeys  = []string{"MetricName", "Dimensions", "Timestamp", "Value", "StatisticValues", "Values", "Counts", "Unit", "StorageResolution"}
)

// pmd is one reading of a put-metric-data file.
type pmd struct {
	s      *jstream
	ps     *problems
	m      *Metrics
	yield  func(*point) bool
	ns     string
	buf    []point // datums of an object whose Namespace comes after them
	stop   bool    // yield said stop, or a syntax error
	notes  map[string]bool
	record bool // record notes (the first reading)
}

// putMetricDataReader returns the streaming reader of put-metric-data
// input: one object or an array of them, each read a datum at a time.
func putMetricDataReader(name string, m *Metrics) func(io.Reader, *problems, func(*point) bool) {
	first := true
	return func(r io.Reader, ps *problems, yield func(*point) bool) {
		s := newJStream(name, r)
		s.skipBOM()
		pr := &pmd{s: s, ps: ps, m: m, yield: yield, record: first}
		first = false
		c, ok := s.ws()
		if !ok {
			if err := s.readErr(); err != nil {
				pr.fatal(fmt.Errorf("replay: %s: %w", name, err))
				return
			}
			ps.add(place{}, "the file is empty")
			return
		}
		switch c {
		case '{':
			pr.object(nil)
		case '[':
			pr.array(nil, func(i int) { pr.object(&jpath{index: i}) })
		default:
			v, line, col, err := s.value()
			if err != nil {
				pr.fatal(err)
				return
			}
			ps.add(place{line: line, col: col}, `the file holds %s, want an object {"Namespace":...,"MetricData":[...]} or an array of them`, v.describe())
		}
		if !pr.stop {
			if err := s.end(); err != nil {
				pr.fatal(err)
			}
		}
	}
}

// fatal records a problem after which the file cannot be read on.
func (pr *pmd) fatal(err error) {
	pr.ps.list = append(pr.ps.list, err)
	pr.stop = true
}

func (pr *pmd) note(n string) {
	if pr.record && !pr.notes[n] {
		if pr.notes == nil {
			pr.notes = map[string]bool{}
		}
		pr.notes[n] = true
		pr.m.Notes = append(pr.m.Notes, n)
	}
}

// object reads one put-metric-data input object at path p.
func (pr *pmd) object(p *jpath) {
	s := pr.s
	s.ws() // the place of the object is its '{'
	line, col := s.line, s.col
	pr.ns, pr.buf = "", pr.buf[:0]
	var seen []string
	ok := pr.members(p, `an object {"Namespace":...,"MetricData":[...]}`, func(k string, kl, kc int) {
		kp := &jpath{up: p, key: k}
		if slices.Contains(seen, k) {
			pr.ps.add(place{line: kl, col: kc, path: kp.String()}, "duplicate field %q (JSON readers disagree on which value wins)", k)
		}
		seen = append(seen, k)
		switch k {
		case "Namespace":
			if v := pr.want(kp, jStr, "a string"); v != nil {
				pr.ns = v.text
				pr.flush()
			}
		case "MetricData":
			pr.datums(kp)
		case "EntityMetricData":
			pr.entities(kp)
		case "StrictEntityValidation":
			pr.want(kp, jBool, "true or false")
			pr.note("StrictEntityValidation is ignored (Klaxon keeps no entities)")
		default:
			pr.unknown(k, kl, kc, kp, batchKeys)
		}
	})
	if ok && !pr.stop && pr.ns == "" {
		pr.ps.add(place{line: line, col: col, path: p.String()}, "The parameter Namespace is required.")
		pr.buf = pr.buf[:0]
	}
}

// array reads an array at p, calling each with the index of each element
// (which each reads), until the array ends or the reading stops. A value
// that is not an array is a problem.
func (pr *pmd) array(p *jpath, each func(i int)) {
	s := pr.s
	if c, ok := s.ws(); !ok || c != '[' {
		pr.wrong(p, "an array")
		return
	}
	s.advance('[')
	if s.empty(']') {
		return
	}
	for i := 0; !pr.stop; i++ {
		if each(i); pr.stop {
			return
		}
		more, err := s.more(']', "after an array element, want ',' or ']'")
		if err != nil {
			pr.fatal(err)
			return
		}
		if !more {
			return
		}
	}
}

// members reads an object at p, calling each with each key and its place
// (each reads the value), until the object ends or the reading stops. A
// value that is not an object is a problem, wanted says what was wanted,
// and members reports false.
func (pr *pmd) members(p *jpath, wanted string, each func(k string, kl, kc int)) bool {
	s := pr.s
	if c, ok := s.ws(); !ok || c != '{' {
		pr.wrong(p, wanted)
		return false
	}
	s.advance('{')
	if s.empty('}') {
		return true
	}
	for !pr.stop {
		k, kl, kc, err := s.key()
		if err != nil {
			pr.fatal(err)
			return true
		}
		if each(k, kl, kc); pr.stop {
			return true
		}
		more, err := s.more('}', "after an object member, want ',' or '}'")
		if err != nil {
			pr.fatal(err)
			return true
		}
		if !more {
			break
		}
	}
	return true
}

// wrong reads a value at p that is not what is wanted, and says so.
func (pr *pmd) wrong(p *jpath, wanted string) {
	v, line, col, err := pr.s.value()
	if err != nil {
		pr.fatal(err)
		return
	}
	pr.ps.add(place{line: line, col: col, path: p.String()}, "got %s, want %s", v.describe(), wanted)
}

// want reads a value at p and returns it when it is of kind k; otherwise
// it says so (wanted says what was wanted) and returns nil.
func (pr *pmd) want(p *jpath, k jkind, wanted string) *jval {
	v, line, col, err := pr.s.value()
	if err != nil {
		pr.fatal(err)
		return nil
	}
	if v.kind != k {
		pr.ps.add(place{line: line, col: col, path: p.String()}, "got %s, want %s", v.describe(), wanted)
		return nil
	}
	return v
}

// unknown skips the value of an unknown key k and says so, with the
// nearest of the known keys.
func (pr *pmd) unknown(k string, kl, kc int, kp *jpath, known []string) {
	if _, _, _, err := pr.s.value(); err != nil {
		pr.fatal(err)
		return
	}
	pr.ps.add(place{line: kl, col: kc, path: kp.String()}, "unknown field %q%s", k, hint(k, known))
}

// flush yields the datums read before the object's Namespace.
func (pr *pmd) flush() {
	for i := range pr.buf {
		if pr.stop {
			return
		}
		pr.buf[i].ns = pr.ns
		if !pr.yield(&pr.buf[i]) {
			pr.stop = true
		}
	}
	pr.buf = pr.buf[:0]
}

// datums reads a MetricData array at p, a datum at a time.
func (pr *pmd) datums(p *jpath) {
	s := pr.s
	var pt point
	pr.array(p, func(i int) {
		v, line, col, err := s.value()
		if err != nil {
			pr.fatal(err)
			return
		}
		d := s.partDecoder(pr.ps, line, col)
		pt = point{ns: pr.ns, line: line, col: col}
		if d.datum(&jpath{up: p, index: i}, v, &pt.d) {
			if pr.ns == "" {
				pr.buf = append(pr.buf, pt)
			} else if !pr.yield(&pt) {
				pr.stop = true
			}
		}
	})
}

// entities reads an EntityMetricData array at p: each element's
// MetricData is read as MetricData; its Entity is ignored.
func (pr *pmd) entities(p *jpath) {
	pr.array(p, func(i int) {
		ep := &jpath{up: p, index: i}
		pr.members(ep, `an object {"Entity":...,"MetricData":[...]}`, func(k string, kl, kc int) {
			kp := &jpath{up: ep, key: k}
			switch k {
			case "MetricData":
				pr.datums(kp)
			case "Entity":
				pr.want(kp, jObj, "an object")
				pr.note("EntityMetricData: each Entity is ignored (Klaxon keeps no entities); its MetricData are read as MetricData")
			default:
				pr.unknown(k, kl, kc, kp, entityKeys)
			}
		})
	})
}

// datum decodes one MetricDatum object into out, strictly, and reports
// whether it could.
func (d *decoder) datum(p *jpath, v *jval, out *metric.Datum) bool {
	if v.kind != jObj {
		return d.problem(p, v, `got %s, want a datum object {"MetricName":...}`, v.describe())
	}
	ok := d.noDuplicates(p, v)
	hasValue := false
	for i, k := range v.keys {
		e := v.elems[i]
		kp := &jpath{up: p, key: k}
		switch k {
		case "MetricName":
			ok = d.value(kp, e, reflect.ValueOf(&out.MetricName).Elem()) && ok
		case "Unit":
			ok = d.value(kp, e, reflect.ValueOf(&out.Unit).Elem()) && ok
		case "Timestamp":
			ok = d.value(kp, e, reflect.ValueOf(&out.Timestamp).Elem()) && ok
		case "Value":
			hasValue = true
			if e.kind != jNum {
				ok = d.problem(kp, e, "got %s, want a number", e.describe())
				continue
			}
			f, err := strconv.ParseFloat(e.text, 64)
			if err != nil {
				ok = d.problem(kp, e, "the number %s is out of the range of a float64", e.text)
				continue
			}
			out.Value = f
		case "Dimensions":
			ok = d.value(kp, e, reflect.ValueOf(&out.Dimensions).Elem()) && ok
		case "StatisticValues":
			ok = d.value(kp, e, reflect.ValueOf(&out.StatisticValues).Elem()) && ok
		case "Values":
			ok = d.value(kp, e, reflect.ValueOf(&out.Values).Elem()) && ok
		case "Counts":
			ok = d.value(kp, e, reflect.ValueOf(&out.Counts).Elem()) && ok
		case "StorageResolution":
			ok = d.value(kp, e, reflect.ValueOf(&out.StorageResolution).Elem()) && ok
		default:
			ok = d.problem(kp, e, "unknown field %q%s", k, hint(k, datumKeys))
		}
	}
	if !ok {
		return false
	}
	if out.MetricName == "" {
		return d.problem(p, v, "The parameter MetricName is required.")
	}
	if !hasValue && out.StatisticValues == nil && len(out.Values) == 0 {
		return d.problem(p, v, "At least one of the parameters Value, Values and StatisticValues must be specified.")
	}
	return true
}

// ---- API output, read whole ----

// getMetricDataOutput is the output of get-metric-data.
type getMetricDataOutput struct {
	MetricDataResults []metricDataResult `json:"MetricDataResults"`
	Messages          []messageData      `json:"Messages"`
	NextToken         string             `json:"NextToken"`
}

type metricDataResult struct {
	Id         string        `json:"Id"`
	Label      string        `json:"Label"`
	Timestamps []time.Time   `json:"Timestamps"`
	Values     []float64     `json:"Values"`
	StatusCode string        `json:"StatusCode"`
	Messages   []messageData `json:"Messages"`
}

type messageData struct {
	Code  string `json:"Code"`
	Value string `json:"Value"`
}

func (d *decoder) getMetricData(root *jval, opts ReadOptions, m *Metrics) []point {
	var out getMetricDataOutput
	if !d.object(nil, root, reflect.ValueOf(&out).Elem(), nil) {
		return nil
	}
	results := root.get("MetricDataResults")
	var pts []point
	for i, r := range out.MetricDataResults {
		rp := &jpath{key: "MetricDataResults"}
		p := &jpath{up: rp, index: i}
		rv := results.elems[i]
		if len(r.Timestamps) != len(r.Values) {
			d.problem(p, rv, "%d Timestamps but %d Values: each timestamp needs its value", len(r.Timestamps), len(r.Values))
			continue
		}
		ref, ok := resultMetric(r.Id, r.Label, len(out.MetricDataResults), opts)
		if !ok {
			d.problem(p, rv, "no metric for the result (Id %q, Label %q): give --metric-map the get-metric-data input whose MetricDataQueries tie each Id to its metric", r.Id, r.Label)
			continue
		}
		if r.StatusCode != "" && r.StatusCode != "Complete" {
			m.Notes = append(m.Notes, fmt.Sprintf("MetricDataResults[%d] (Id %q) has StatusCode %s: its data may be incomplete", i, r.Id, r.StatusCode))
		}
		ts := rv.get("Timestamps")
		for j, t := range r.Timestamps {
			line, col := d.lineCol(ts.elems[j].start)
			pts = append(pts, point{ns: ref.Namespace, line: line, col: col, d: metric.Datum{
				MetricName: ref.MetricName, Dimensions: ref.Dimensions, Unit: ref.Unit, Timestamp: t, Value: r.Values[j]}})
		}
	}
	if len(out.MetricDataResults) > 0 && len(pts) > 0 {
		m.Notes = append(m.Notes, "get-metric-data gives one value per period (the query's statistic): each is read as one sample at its timestamp")
	}
	return pts
}

// resultMetric ties a get-metric-data result (or, with id "", a
// get-metric-statistics output) to a metric; see OpenMetrics.
func resultMetric(id, label string, results int, opts ReadOptions) (MetricRef, bool) {
	if opts.Map != nil {
		if id != "" {
			if ref, ok := opts.Map.ByID[id]; ok {
				return ref, true
			}
		} else if ref, ok := opts.Map.byName(label); ok {
			return ref, true
		}
	}
	refs := alarmMetrics(opts.Alarms)
	if id != "" {
		for _, r := range refs {
			if r.id == id {
				return r.ref, true
			}
		}
	}
	var found []MetricRef
	for _, r := range refs {
		if r.ref.MetricName == label && !slices.ContainsFunc(found, func(f MetricRef) bool { return sameRef(f, r.ref) }) {
			found = append(found, r.ref)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	if len(found) == 0 && opts.Default != nil && results == 1 {
		return *opts.Default, true
	}
	return MetricRef{}, false
}

func sameRef(a, b MetricRef) bool {
	return a.Namespace == b.Namespace && a.MetricName == b.MetricName && sameDims(a.Dimensions, b.Dimensions)
}

// alarmMetric is a metric an alarm reads, with the Id of its metric query
// ("" for a single-metric alarm).
type alarmMetric struct {
	id  string
	ref MetricRef
}

func alarmMetrics(alarms []alarm.Config) []alarmMetric {
	var out []alarmMetric
	for _, c := range alarms {
		if c.MetricName != "" {
			out = append(out, alarmMetric{ref: MetricRef{Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions, Unit: c.Unit}})
		}
		for _, q := range c.Metrics {
			if q.MetricStat != nil {
				mr := q.MetricStat.Metric
				out = append(out, alarmMetric{id: q.Id, ref: MetricRef{Namespace: mr.Namespace, MetricName: mr.MetricName, Dimensions: mr.Dimensions, Unit: q.MetricStat.Unit}})
			}
		}
	}
	return out
}

// getMetricStatisticsOutput is the output of get-metric-statistics.
type getMetricStatisticsOutput struct {
	Label      string                `json:"Label"`
	Datapoints []statisticsDatapoint `json:"Datapoints"`
}

type statisticsDatapoint struct {
	Timestamp          time.Time          `json:"Timestamp"`
	SampleCount        *float64           `json:"SampleCount"`
	Average            *float64           `json:"Average"`
	Sum                *float64           `json:"Sum"`
	Minimum            *float64           `json:"Minimum"`
	Maximum            *float64           `json:"Maximum"`
	Unit               string             `json:"Unit"`
	ExtendedStatistics map[string]float64 `json:"ExtendedStatistics"`
}

func (d *decoder) getMetricStatistics(root *jval, opts ReadOptions, m *Metrics) []point {
	var out getMetricStatisticsOutput
	if !d.object(nil, root, reflect.ValueOf(&out).Elem(), nil) {
		return nil
	}
	ref, ok := resultMetric("", out.Label, 1, opts)
	if !ok {
		d.problem(&jpath{key: "Label"}, root.get("Label"), "no metric for the label %q: give --metric-map the get-metric-statistics input (Namespace, MetricName, Dimensions)", out.Label)
		return nil
	}
	dps := root.get("Datapoints")
	var pts []point
	approx, ext := false, false
	for i, dp := range out.Datapoints {
		p := &jpath{up: &jpath{key: "Datapoints"}, index: i}
		dv := dps.elems[i]
		line, col := d.lineCol(dv.start)
		if dp.Timestamp.IsZero() {
			d.problem(p, dv, "the datapoint has no Timestamp")
			continue
		}
		datum := metric.Datum{MetricName: ref.MetricName, Dimensions: ref.Dimensions, Timestamp: dp.Timestamp, Unit: dp.Unit}
		if datum.Unit == "" {
			datum.Unit = ref.Unit
		}
		switch {
		case dp.SampleCount != nil && dp.Sum != nil && dp.Minimum != nil && dp.Maximum != nil:
			datum.StatisticValues = &metric.StatisticSet{SampleCount: *dp.SampleCount, Sum: *dp.Sum, Minimum: *dp.Minimum, Maximum: *dp.Maximum}
		case dp.SampleCount != nil && dp.Average != nil && *dp.SampleCount > 0:
			avg := *dp.Average
			datum.StatisticValues = &metric.StatisticSet{SampleCount: *dp.SampleCount, Sum: avg * *dp.SampleCount, Minimum: avg, Maximum: avg}
			approx = true
		default:
			v, ok := firstOf(dp.Average, dp.Sum, dp.Maximum, dp.Minimum, dp.SampleCount)
			if !ok {
				d.problem(p, dv, "the datapoint has no statistic (SampleCount, Average, Sum, Minimum or Maximum)")
				continue
			}
			datum.Value = v
			approx = true
		}
		if len(dp.ExtendedStatistics) > 0 {
			ext = true
		}
		pts = append(pts, point{ns: ref.Namespace, d: datum, line: line, col: col})
	}
	if approx {
		m.Notes = append(m.Notes, "some datapoints lack SampleCount, Sum, Minimum or Maximum: each is read as samples of the statistic it has")
	}
	if ext {
		m.Notes = append(m.Notes, "ExtendedStatistics are ignored (percentiles need the raw samples)")
	}
	return pts
}

func firstOf(vs ...*float64) (float64, bool) {
	for _, v := range vs {
		if v != nil {
			return *v, true
		}
	}
	return 0, false
}

// ---- --metric-map ----

// A MetricMap ties API output to metrics: the Ids of get-metric-data
// queries, and the metric names of get-metric-statistics calls.
type MetricMap struct {
	ByID  map[string]MetricRef
	Stats []MetricRef
}

func (mm *MetricMap) byName(name string) (MetricRef, bool) {
	var found []MetricRef
	for _, r := range mm.Stats {
		if r.MetricName == name {
			found = append(found, r)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return MetricRef{}, false
}

type getMetricDataInput struct {
	MetricDataQueries []alarm.MetricDataQuery `json:"MetricDataQueries"`
	StartTime         time.Time               `json:"StartTime"`
	EndTime           time.Time               `json:"EndTime"`
	NextToken         string                  `json:"NextToken"`
	ScanBy            string                  `json:"ScanBy"`
	MaxDatapoints     int                     `json:"MaxDatapoints"`
	LabelOptions      *struct {
		Timezone string `json:"Timezone"`
	} `json:"LabelOptions"`
}

type getMetricStatisticsInput struct {
	Namespace          string             `json:"Namespace"`
	MetricName         string             `json:"MetricName"`
	Dimensions         []metric.Dimension `json:"Dimensions"`
	StartTime          time.Time          `json:"StartTime"`
	EndTime            time.Time          `json:"EndTime"`
	Period             int                `json:"Period"`
	Statistics         []string           `json:"Statistics"`
	ExtendedStatistics []string           `json:"ExtendedStatistics"`
	Unit               string             `json:"Unit"`
}

// ReadMetricMap reads the input of the API call that produced metrics
// output, to tie the output to its metrics: the `--cli-input-json` of
// `aws cloudwatch get-metric-data` (its MetricDataQueries tie each Id to a
// metric) or of `get-metric-statistics` (Namespace, MetricName,
// Dimensions). Several maps can be merged with Add.
func ReadMetricMap(name string, r io.Reader) (*MetricMap, error) {
	data, err := readInput(name, r)
	if err != nil {
		return nil, err
	}
	root, err := parseJSONFile(name, data)
	if err != nil {
		return nil, err
	}
	d := newDecoder(name, data)
	mm := &MetricMap{ByID: map[string]MetricRef{}}
	switch {
	case root.kind == jObj && root.has("MetricDataQueries"):
		var in getMetricDataInput
		if d.object(nil, root, reflect.ValueOf(&in).Elem(), nil) {
			for _, q := range in.MetricDataQueries {
				if q.MetricStat != nil {
					mr := q.MetricStat.Metric
					mm.ByID[q.Id] = MetricRef{Namespace: mr.Namespace, MetricName: mr.MetricName, Dimensions: mr.Dimensions, Unit: q.MetricStat.Unit}
				}
			}
		}
	case root.kind == jObj && root.has("MetricName"):
		var in getMetricStatisticsInput
		if d.object(nil, root, reflect.ValueOf(&in).Elem(), nil) {
			mm.Stats = append(mm.Stats, MetricRef{Namespace: in.Namespace, MetricName: in.MetricName, Dimensions: in.Dimensions, Unit: in.Unit})
		}
	default:
		d.problem(nil, root, "want the input of get-metric-data (an object with MetricDataQueries) or of get-metric-statistics (an object with Namespace and MetricName)")
	}
	if err := d.probs.err(); err != nil {
		return nil, err
	}
	return mm, nil
}

// Add merges o into mm.
func (mm *MetricMap) Add(o *MetricMap) {
	for k, v := range o.ByID {
		mm.ByID[k] = v
	}
	mm.Stats = append(mm.Stats, o.Stats...)
}

func sameDims(a, b []metric.Dimension) bool {
	return slices.Equal(sortedDims(a), sortedDims(b))
}
