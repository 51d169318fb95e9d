package replay

// This file holds the readers of replay's input files: the alarms file and
// the metrics files (JSON or CSV). They check the shape of the input and
// nothing more; alarm.Config.Validate and the engine check the values, with
// CloudWatch's own messages.
//
// JSON is parsed by a small parser of its own (jparser) rather than
// encoding/json, so that a syntax error reports an exact line:column, an
// object keeps its keys in file order (the first unknown key is the one
// reported, every time), a duplicate key is caught, and a missing key can be
// told from a zero value (a static alarm without "Threshold"). The parsed
// tree is then decoded by reflection into the types of package alarm and
// metric, matching keys exactly as the AWS CLI does (case-sensitive) and
// naming the JSON path of every problem.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// Alarms is what an alarms file holds.
type Alarms struct {
	Metric    []alarm.Config    // metric alarms (single-metric, math and anomaly-band), in file order
	Composite []json.RawMessage // composite alarm objects (those with an "AlarmRule" key), kept raw, in file order
}

// ReadAlarms reads an alarms file: the output of `aws cloudwatch
// describe-alarms` ({"MetricAlarms":[...],"CompositeAlarms":[...]}), one
// PutMetricAlarm / PutCompositeAlarm input object, or a JSON array of such
// objects. An object with an "AlarmRule" key is a composite alarm. name is
// the file name used in error messages.
//
// Metric alarm objects are decoded strictly: keys match the field names of
// alarm.Config exactly (as the AWS CLI matches them), and an unknown key is an
// error naming its JSON path. The keys that describe-alarms adds to a metric
// alarm (AlarmArn, StateValue, StateReason, ...) are accepted and ignored;
// composite alarm objects are kept as they are in the file. A static alarm
// (no ThresholdMetricId) without a "Threshold" key is an error, since a
// float64 cannot tell a missing threshold from a threshold of zero.
// ReadAlarms does not call Config.Validate; the caller does. It stops at the
// first problem.
func ReadAlarms(name string, r io.Reader) (Alarms, error) {
	data, err := readInput(name, r)
	if err != nil {
		return Alarms{}, err
	}
	root, err := parseJSONFile(name, data)
	if err != nil {
		return Alarms{}, err
	}
	var out Alarms
	d := newDecoder(name, data)
	switch root.kind {
	case jObj:
		if !isDescribeOutput(root) {
			err = d.alarm(nil, root, &out)
			break
		}
		err = d.describeOutput(root, &out)
	case jArr:
		for i, e := range root.elems {
			p := &jpath{index: i}
			if e.kind != jObj {
				err = d.errorf(p, "got %s, want an alarm object", e.describe())
			} else {
				err = d.alarm(p, e, &out)
			}
			if err != nil {
				break
			}
		}
	default:
		err = d.errorf(nil, "the file holds %s, want an object or an array of alarms", root.describe())
	}
	if err == nil && len(out.Metric)+len(out.Composite) == 0 {
		err = d.errorf(nil, "the file holds no alarms")
	}
	if err != nil {
		return Alarms{}, err
	}
	return out, nil
}

// isDescribeOutput reports whether an object is describe-alarms output
// rather than one alarm. {} counts as describe-alarms output (with no
// alarms), so that it is reported as such.
func isDescribeOutput(v *jval) bool {
	return len(v.keys) == 0 || v.has("MetricAlarms") || v.has("CompositeAlarms") || v.has("NextToken")
}

func (d *decoder) describeOutput(root *jval, out *Alarms) error {
	if k, ok := root.dupKey(); ok {
		return d.errorf(nil, "duplicate field %q", k)
	}
	for i, k := range root.keys {
		v := root.elems[i]
		p := &jpath{key: k}
		switch k {
		case "MetricAlarms", "CompositeAlarms":
			if v.kind != jArr {
				return d.errorf(p, "got %s, want an array", v.describe())
			}
			for j, e := range v.elems {
				ep := &jpath{up: p, index: j}
				if e.kind != jObj {
					return d.errorf(ep, "got %s, want an alarm object", e.describe())
				}
				if k == "CompositeAlarms" {
					out.Composite = append(out.Composite, d.raw(e))
					continue
				}
				if err := d.metricAlarm(ep, e, out); err != nil {
					return err
				}
			}
		case "NextToken":
			// Pagination of describe-alarms; nothing to read.
		default:
			return d.errorf(nil, "unknown field %q (describe-alarms output holds MetricAlarms, CompositeAlarms and NextToken)", k)
		}
	}
	return nil
}

// alarm reads one alarm object of the single-object or array shape.
func (d *decoder) alarm(p *jpath, v *jval, out *Alarms) error {
	if v.has("AlarmRule") {
		out.Composite = append(out.Composite, d.raw(v))
		return nil
	}
	return d.metricAlarm(p, v, out)
}

func (d *decoder) metricAlarm(p *jpath, v *jval, out *Alarms) error {
	var c alarm.Config
	if err := d.object(p, v, reflect.ValueOf(&c).Elem(), describeExtra); err != nil {
		return err
	}
	if c.ThresholdMetricId == "" && !v.has("Threshold") {
		place := p.String()
		switch {
		case c.AlarmName == "":
		case place == "":
			place = "alarm " + strconv.Quote(c.AlarmName)
		default:
			place += " (" + strconv.Quote(c.AlarmName) + ")"
		}
		return d.placef(place, "Threshold is required for a static-threshold alarm")
	}
	out.Metric = append(out.Metric, c)
	return nil
}

// describeExtra reports whether key is one of the keys that describe-alarms
// adds to a metric alarm, which a reader accepts and ignores.
func describeExtra(key string) bool {
	switch key {
	case "AlarmArn", "AlarmConfigurationUpdatedTimestamp", "StateValue", "StateReason",
		"StateReasonData", "StateUpdatedTimestamp", "StateTransitionedTimestamp", "EvaluationState":
		return true
	}
	return false
}

// A Batch is one PutMetricData call's worth of input.
type Batch struct {
	Namespace  string
	MetricData []metric.Datum
}

// MetricRef names the metric a CSV without metric columns feeds.
type MetricRef struct {
	Namespace, MetricName string
	Dimensions            []metric.Dimension
	Unit                  string
}

// MaxCSVBatch is the most datums ReadMetrics puts in one Batch read from CSV:
// PutMetricData's per-call limit.
const MaxCSVBatch = metric.MaxDatumsPerCall

// ReadMetrics reads a metrics file: JSON in the `aws cloudwatch
// put-metric-data --cli-input-json` shape ({"Namespace":...,"MetricData":[...]})
// or an array of those, or CSV. The format is chosen by the file name's
// extension (.json / .csv, any case); for another extension, by the first
// non-space byte ('{' or '[' → JSON, else CSV). name is the file name used in
// error messages.
//
// JSON batches are returned as they are in the file. A datum's Timestamp is an
// RFC 3339 string (fractional seconds optional; Z, an offset, or no zone
// meaning UTC, as the AWS CLI reads it), "2006-01-02 15:04:05" (UTC), or
// epoch seconds as a number or a string of digits. Keys are matched exactly
// and unknown keys are errors; a batch needs a Namespace, a datum a MetricName
// and one of Value, Values or StatisticValues. Other values are left to the
// engine, which checks them as CloudWatch does.
//
// A CSV file starts with a header row naming its columns (case-insensitive):
// timestamp and value, and optionally namespace and metric_name (both or
// neither), dimensions (Name=Value;Name2=Value2) and unit. Rows may come in any
// order; a missing datapoint is a missing row. def is the metric a CSV without
// namespace and metric_name columns feeds (nil: such a CSV is an error). The
// rows are grouped into Batches by namespace, in the order the namespaces
// first appear, each Batch holding at most MaxCSVBatch datums in file order.
//
// Every error starts with "replay: " and the file name, and names the place
// (line:column for CSV and for JSON syntax, the JSON path for JSON structure),
// the value and the rule. Columns count bytes, as encoding/csv does.
func ReadMetrics(name string, r io.Reader, def *MetricRef) ([]Batch, error) {
	data, err := readInput(name, r)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return readMetricsJSON(name, data)
	case ".csv":
		return readMetricsCSV(name, data, def)
	}
	if i := bytes.IndexFunc(data, func(r rune) bool { return !isSpace(r) }); i >= 0 && (data[i] == '{' || data[i] == '[') {
		return readMetricsJSON(name, data)
	}
	return readMetricsCSV(name, data, def)
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\uFEFF' }

func readInput(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("replay: %s: %w", name, err)
	}
	return data, nil
}

// ---- metrics, JSON ----

func readMetricsJSON(name string, data []byte) ([]Batch, error) {
	root, err := parseJSONFile(name, data)
	if err != nil {
		return nil, err
	}
	d := newDecoder(name, data)
	var out []Batch
	switch root.kind {
	case jObj:
		b, err := d.batch(nil, root)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	case jArr:
		for i, e := range root.elems {
			b, err := d.batch(&jpath{index: i}, e)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
	default:
		return nil, d.errorf(nil, "the file holds %s, want an object {\"Namespace\":...,\"MetricData\":[...]} or an array of them", root.describe())
	}
	n := 0
	for _, b := range out {
		n += len(b.MetricData)
	}
	if n == 0 {
		return nil, d.errorf(nil, "the file holds no datapoints")
	}
	return out, nil
}

// batch reads one put-metric-data input object. p is nil for a file of one
// object, and the batch's index for an array.
func (d *decoder) batch(p *jpath, v *jval) (Batch, error) {
	var b Batch
	if v.kind != jObj {
		return b, d.errorf(p, "got %s, want an object {\"Namespace\":...,\"MetricData\":[...]}", v.describe())
	}
	if k, ok := v.dupKey(); ok {
		return b, d.errorf(p, "duplicate field %q", k)
	}
	for i, k := range v.keys {
		e := v.elems[i]
		kp := &jpath{up: p, key: k}
		var err error
		switch k {
		case "Namespace":
			err = d.value(kp, e, reflect.ValueOf(&b.Namespace).Elem())
		case "MetricData":
			err = d.value(kp, e, reflect.ValueOf(&b.MetricData).Elem())
		case "StrictEntityValidation":
			// Part of PutMetricData's input (it governs EntityMetricData,
			// which is not read here); checked for type and ignored.
			var strict bool
			err = d.value(kp, e, reflect.ValueOf(&strict).Elem())
		default:
			err = d.errorf(p, "unknown field %q%s", k, hint(k, []string{"Namespace", "MetricData", "StrictEntityValidation"}))
		}
		if err != nil {
			return b, err
		}
	}
	if b.Namespace == "" {
		return b, d.errorf(p, "The parameter Namespace is required.")
	}
	md := v.get("MetricData")
	for i := range b.MetricData {
		dv := md.elems[i]
		if b.MetricData[i].MetricName == "" {
			return b, d.errorf(p, "The parameter MetricData.member.%d.MetricName is required.", i+1)
		}
		if !dv.has("Value") && !dv.has("StatisticValues") && len(b.MetricData[i].Values) == 0 {
			return b, d.errorf(p, "At least one of the parameters MetricData.member.%[1]d.Value and MetricData.member.%[1]d.StatisticValues must be specified.", i+1)
		}
	}
	return b, nil
}

// ---- metrics, CSV ----

// The columns of a metrics CSV.
const (
	colTimestamp = iota
	colValue
	colNamespace
	colMetricName
	colDimensions
	colUnit
	numCols
)

var csvColumns = [numCols]string{"timestamp", "value", "namespace", "metric_name", "dimensions", "unit"}

func readMetricsCSV(name string, data []byte, def *MetricRef) ([]Batch, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // checked below, with a better message
	cr.ReuseRecord = true
	at := func(field int, format string, args ...any) error {
		line, col := cr.FieldPos(field)
		return fmt.Errorf("replay: %s:%d:%d: %s", name, line, col, fmt.Sprintf(format, args...))
	}
	csvErr := func(err error) error {
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			return fmt.Errorf("replay: %s:%d:%d: %v", name, pe.Line, pe.Column, pe.Err)
		}
		return fmt.Errorf("replay: %s: %w", name, err)
	}

	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("replay: %s: the file is empty, want a header row naming the columns (timestamp,value[,namespace,metric_name,dimensions,unit])", name)
	}
	if err != nil {
		return nil, csvErr(err)
	}
	var col [numCols]int
	for i := range col {
		col[i] = -1
	}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		c := slices.Index(csvColumns[:], h)
		if c < 0 {
			looks := ""
			if _, err := parseTime(strings.TrimSpace(header[i])); err == nil {
				looks = " (is the header row missing? it is required)"
			}
			return nil, at(i, "unknown column %s in the header row%s; want timestamp, value, namespace, metric_name, dimensions, unit", quoteShort(header[i]), looks)
		}
		if col[c] >= 0 {
			return nil, at(i, "column %q appears twice in the header row", h)
		}
		col[c] = i
	}
	var missing []string
	for _, c := range []int{colTimestamp, colValue} {
		if col[c] < 0 {
			missing = append(missing, csvColumns[c])
		}
	}
	if len(missing) > 0 {
		return nil, at(0, "the header row has no %s column (a header row naming the columns is required)", strings.Join(missing, " or "))
	}
	switch hasNS, hasName := col[colNamespace] >= 0, col[colMetricName] >= 0; {
	case hasNS && !hasName:
		return nil, at(col[colNamespace], "the header row has a namespace column but no metric_name column (give both or neither)")
	case hasName && !hasNS:
		return nil, at(col[colMetricName], "the header row has a metric_name column but no namespace column (give both or neither)")
	case !hasNS && def == nil:
		return nil, at(0, "the header row has no namespace and metric_name columns, and there is no default metric for the file to feed")
	case !hasNS && col[colDimensions] >= 0:
		return nil, at(col[colDimensions], "a dimensions column needs namespace and metric_name columns")
	case !hasNS && (def.Namespace == "" || def.MetricName == ""):
		return nil, fmt.Errorf("replay: %s: the default metric needs a namespace and a metric name (got namespace %q, metric name %q)", name, def.Namespace, def.MetricName)
	}

	var (
		groups [][]metric.Datum // datums by namespace, in order of first appearance
		nsOf   []string
		group  = map[string]int{}
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(err)
		}
		if len(rec) != len(header) {
			fields := "fields"
			if len(rec) == 1 {
				fields = "field"
			}
			return nil, at(0, "the row has %d %s, the header row %d", len(rec), fields, len(header))
		}
		cell := func(c int) string { return strings.TrimSpace(rec[col[c]]) }

		var dt metric.Datum
		ts := cell(colTimestamp)
		t, err := parseTime(ts)
		if err != nil {
			return nil, at(col[colTimestamp], "timestamp %s %v", quoteShort(ts), err)
		}
		dt.Timestamp = t
		vs := cell(colValue)
		if dt.Value, err = parseValue(vs); err != nil {
			return nil, at(col[colValue], "value %s %v", quoteShort(vs), err)
		}
		ns := ""
		if col[colNamespace] >= 0 {
			ns = cell(colNamespace)
			if ns == "" {
				return nil, at(col[colNamespace], "the namespace is empty")
			}
			if dt.MetricName = cell(colMetricName); dt.MetricName == "" {
				return nil, at(col[colMetricName], "the metric_name is empty")
			}
			if col[colDimensions] >= 0 {
				if dt.Dimensions, err = parseDimensions(cell(colDimensions)); err != nil {
					return nil, at(col[colDimensions], "%v", err)
				}
			}
		} else {
			ns = def.Namespace
			dt.MetricName = def.MetricName
			dt.Dimensions = slices.Clone(def.Dimensions)
			dt.Unit = def.Unit
		}
		if col[colUnit] >= 0 {
			if u := cell(colUnit); u != "" {
				if !metric.ValidUnit(u) {
					return nil, at(col[colUnit], "unit %s is not one of CloudWatch's units (%s)", quoteShort(u), strings.Join(metric.Units, ", "))
				}
				dt.Unit = u
			}
		}
		g, ok := group[ns]
		if !ok {
			g = len(groups)
			group[ns] = g
			groups = append(groups, nil)
			nsOf = append(nsOf, ns)
		}
		groups[g] = append(groups[g], dt)
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("replay: %s: the file has a header row but no data rows", name)
	}
	var out []Batch
	for g, data := range groups {
		for chunk := range slices.Chunk(data, MaxCSVBatch) {
			out = append(out, Batch{Namespace: nsOf[g], MetricData: chunk})
		}
	}
	return out, nil
}

// parseValue parses a CSV value cell. The error completes the phrase
// `value "x" ...`.
func parseValue(s string) (float64, error) {
	if s == "" {
		return 0, errors.New("is empty (leave the row out for a missing datapoint)")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, errors.New("is out of the range of a float64")
	case err != nil:
		return 0, errors.New("is not a number")
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, errors.New("is not a finite number (CloudWatch accepts only finite values)")
	}
	return v, nil
}

// parseDimensions parses a dimensions cell: Name=Value pairs separated by
// ';'. Spaces around names and values are trimmed; empty pairs (as after a
// trailing ';') are skipped; an empty cell is no dimensions.
func parseDimensions(s string) ([]metric.Dimension, error) {
	var dims []metric.Dimension
	for pair := range strings.SplitSeq(s, ";") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		n, v, ok := strings.Cut(pair, "=")
		n, v = strings.TrimSpace(n), strings.TrimSpace(v)
		switch {
		case !ok:
			return nil, fmt.Errorf("dimension %s has no '=' (want Name=Value;Name2=Value2)", quoteShort(pair))
		case n == "":
			return nil, fmt.Errorf("dimension %s has an empty name (want Name=Value;Name2=Value2)", quoteShort(pair))
		case v == "":
			return nil, fmt.Errorf("dimension %s has an empty value (want Name=Value;Name2=Value2)", quoteShort(pair))
		}
		dims = append(dims, metric.Dimension{Name: n, Value: v})
	}
	return dims, nil
}

// ---- timestamps ----

// timeRule is the rule a timestamp breaks.
const timeRule = `want RFC 3339 (2006-01-02T15:04:05Z; fractional seconds optional; Z, ±hh:mm or no zone, meaning UTC), "2006-01-02 15:04:05" (UTC) or epoch seconds`

// maxEpoch is 9999-12-31T23:59:59Z, the last second RFC 3339 can write.
const maxEpoch = 253402300799

var timeLayouts = []string{
	time.RFC3339,                // 2006-01-02T15:04:05Z07:00; the fraction is optional when parsing
	"2006-01-02T15:04:05Z0700",  // ISO 8601 offset without a colon
	"2006-01-02T15:04:05",       // no zone: UTC, as the AWS CLI reads it
	"2006-01-02 15:04:05",       // NAB's format, UTC
	"2006-01-02 15:04:05Z07:00", // a space for the T
}

// parseTime parses a timestamp written as text: RFC 3339 and the variants
// of timeLayouts, or epoch seconds. The result is in UTC. The error
// completes the phrase `timestamp "x" ...`.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("is empty; " + timeRule)
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-:") {
		return parseEpoch(s)
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("is not a time; " + timeRule)
}

// parseEpoch parses epoch seconds: digits with an optional fraction, exactly
// to the nanosecond, or any other JSON number, through float64. The error
// completes the phrase `timestamp "x" ...`.
func parseEpoch(s string) (time.Time, error) {
	ip, fp, _ := strings.Cut(s, ".")
	if allDigits(ip) && (fp == "" && !strings.HasSuffix(s, ".") || allDigits(fp)) {
		sec, err := strconv.ParseInt(ip, 10, 64)
		if err != nil || sec > maxEpoch {
			return time.Time{}, fmt.Errorf("is out of range: epoch seconds go from 0 to %d (9999-12-31T23:59:59Z)", maxEpoch)
		}
		fp = (fp + "000000000")[:9]
		ns, _ := strconv.ParseInt(fp, 10, 64) // nine digits: cannot fail
		return time.Unix(sec, ns).UTC(), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return time.Time{}, errors.New("is not a time; " + timeRule)
	}
	if !(f >= 0 && f <= maxEpoch) {
		return time.Time{}, fmt.Errorf("is out of range: epoch seconds go from 0 to %d (9999-12-31T23:59:59Z)", maxEpoch)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ---- decoding a parsed JSON tree into Go values ----

// A decoder decodes parsed JSON into Go values by reflection, strictly.
type decoder struct {
	name   string
	data   []byte
	fields map[reflect.Type]map[string]int // JSON key -> field index, by struct type
}

func newDecoder(name string, data []byte) *decoder {
	return &decoder{name: name, data: data, fields: map[reflect.Type]map[string]int{}}
}

// A jpath is the JSON path of a value, built on the stack as the decoder
// descends and printed only for an error: MetricAlarms[2].Metrics[0].Id.
// The nil *jpath is the root.
type jpath struct {
	up    *jpath
	key   string // object member; "" for an array element
	index int    // array element
}

func (p *jpath) String() string {
	if p == nil {
		return ""
	}
	s := p.up.String()
	if p.key == "" {
		return s + "[" + strconv.Itoa(p.index) + "]"
	}
	if s == "" {
		return p.key
	}
	return s + "." + p.key
}

func (d *decoder) errorf(p *jpath, format string, args ...any) error {
	return d.placef(p.String(), format, args...)
}

func (d *decoder) placef(place, format string, args ...any) error {
	if place != "" {
		place += ": "
	}
	return fmt.Errorf("replay: %s: %s%s", d.name, place, fmt.Sprintf(format, args...))
}

func (d *decoder) raw(v *jval) json.RawMessage { return bytes.Clone(d.data[v.start:v.end]) }

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// value decodes v into dst. An empty array leaves a slice nil.
func (d *decoder) value(p *jpath, v *jval, dst reflect.Value) error {
	t := dst.Type()
	switch t {
	case timeType:
		var (
			ts  time.Time
			err error
		)
		switch v.kind {
		case jStr:
			ts, err = parseTime(v.text)
		case jNum:
			ts, err = parseEpoch(v.text)
		default:
			return d.errorf(p, "got %s, want %s", v.describe(), want(t))
		}
		if err != nil {
			return d.errorf(p, "%s %v", v.short(), err)
		}
		dst.Set(reflect.ValueOf(ts))
		return nil
	case rawType:
		dst.SetBytes(d.raw(v))
		return nil
	}
	bad := func() error { return d.errorf(p, "got %s, want %s", v.describe(), want(t)) }
	switch t.Kind() {
	case reflect.Pointer:
		if v.kind == jNull {
			return bad()
		}
		e := reflect.New(t.Elem())
		if err := d.value(p, v, e.Elem()); err != nil {
			return err
		}
		dst.Set(e)
	case reflect.Struct:
		return d.object(p, v, dst, nil)
	case reflect.Slice:
		if v.kind != jArr {
			return bad()
		}
		if len(v.elems) == 0 {
			return nil
		}
		s := reflect.MakeSlice(t, len(v.elems), len(v.elems))
		for i, e := range v.elems {
			if err := d.value(&jpath{up: p, index: i}, e, s.Index(i)); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.String:
		if v.kind != jStr {
			return bad()
		}
		dst.SetString(v.text)
	case reflect.Bool:
		if v.kind != jBool {
			return bad()
		}
		dst.SetBool(v.b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.kind != jNum {
			return bad()
		}
		n, err := strconv.ParseInt(v.text, 10, t.Bits())
		if errors.Is(err, strconv.ErrRange) {
			return d.errorf(p, "the number %s is out of range for an integer", v.text)
		}
		if err != nil {
			return bad()
		}
		dst.SetInt(n)
	case reflect.Float32, reflect.Float64:
		if v.kind != jNum {
			return bad()
		}
		f, err := strconv.ParseFloat(v.text, t.Bits())
		if err != nil {
			return d.errorf(p, "the number %s is out of the range of a float%d", v.text, t.Bits())
		}
		dst.SetFloat(f)
	default:
		return d.errorf(p, "cannot decode into a Go %v (a bug in package replay)", t)
	}
	return nil
}

// object decodes the object v into the struct dst, matching keys to the
// fields' JSON names exactly. Keys for which ignore (if not nil) returns true
// are skipped.
func (d *decoder) object(p *jpath, v *jval, dst reflect.Value, ignore func(string) bool) error {
	if v.kind != jObj {
		return d.errorf(p, "got %s, want an object", v.describe())
	}
	if k, ok := v.dupKey(); ok {
		return d.errorf(p, "duplicate field %q", k)
	}
	fields := d.fieldsOf(dst.Type())
	for i, k := range v.keys {
		if ignore != nil && ignore(k) {
			continue
		}
		f, ok := fields[k]
		if !ok {
			return d.errorf(p, "unknown field %q%s", k, hint(k, mapKeys(fields)))
		}
		if err := d.value(&jpath{up: p, key: k}, v.elems[i], dst.Field(f)); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) fieldsOf(t reflect.Type) map[string]int {
	if m, ok := d.fields[t]; ok {
		return m
	}
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		m[name] = i
	}
	d.fields[t] = m
	return m
}

func mapKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// hint suggests the known key that k differs from only in case.
func hint(k string, known []string) string {
	for _, n := range known {
		if strings.EqualFold(n, k) {
			return fmt.Sprintf(" (did you mean %q? keys are case-sensitive)", n)
		}
	}
	return ""
}

// want describes the JSON a Go type is read from.
func want(t reflect.Type) string {
	switch t {
	case timeType:
		return "a timestamp (an RFC 3339 string or epoch seconds)"
	case rawType:
		return "a JSON value"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return want(t.Elem())
	case reflect.Struct:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a " + t.String()
}

// quoteShort quotes s for a message, cut to 40 runes.
func quoteShort(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == limit {
			return strconv.Quote(s[:i]) + "..."
		}
		n++
	}
	return strconv.Quote(s)
}

// ---- a JSON parser that keeps positions and key order ----

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNum
	jStr
	jArr
	jObj
)

// A jval is one parsed JSON value.
type jval struct {
	kind       jkind
	start, end int      // the value's bytes in the input
	text       string   // jStr: the decoded string; jNum: the number as written
	b          bool     // jBool
	keys       []string // jObj: member keys, in file order
	elems      []*jval  // jObj: member values (parallel to keys); jArr: elements
}

func (v *jval) get(key string) *jval {
	if i := slices.Index(v.keys, key); i >= 0 {
		return v.elems[i]
	}
	return nil
}

func (v *jval) has(key string) bool { return slices.Contains(v.keys, key) }

// dupKey returns the first key of an object that repeats an earlier key.
func (v *jval) dupKey() (string, bool) {
	if len(v.keys) <= 16 {
		for i, k := range v.keys {
			if slices.Contains(v.keys[:i], k) {
				return k, true
			}
		}
		return "", false
	}
	seen := make(map[string]bool, len(v.keys))
	for _, k := range v.keys {
		if seen[k] {
			return k, true
		}
		seen[k] = true
	}
	return "", false
}

// describe names the value for "got ..." in a message.
func (v *jval) describe() string {
	switch v.kind {
	case jNull:
		return "null"
	case jBool:
		return strconv.FormatBool(v.b)
	case jNum:
		return "the number " + v.text
	case jStr:
		return "the string " + quoteShort(v.text)
	case jArr:
		return "an array"
	}
	return "an object"
}

// short prints a string or number value for a message.
func (v *jval) short() string {
	if v.kind == jStr {
		return quoteShort(v.text)
	}
	return v.text
}

// maxDepth bounds the nesting of arrays and objects. The deepest real input
// (a metric-math alarm) nests six levels.
const maxDepth = 100

type jparser struct {
	data  []byte
	i     int
	depth int
}

type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// parseJSONFile parses one JSON document. Syntax errors report line:column
// (columns count bytes). The input may start with a UTF-8 byte order mark.
func parseJSONFile(name string, data []byte) (*jval, error) {
	p := &jparser{data: data}
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		p.i = 3
	}
	p.ws()
	if p.i == len(data) {
		return nil, fmt.Errorf("replay: %s: the file is empty", name)
	}
	v, err := p.value()
	if err == nil {
		p.ws()
		if p.i < len(data) {
			err = p.unexpected("after the top-level value")
		}
	}
	if err != nil {
		se := err.(*syntaxError)
		line := 1 + bytes.Count(data[:se.off], []byte("\n"))
		col := se.off - bytes.LastIndexByte(data[:se.off], '\n')
		return nil, fmt.Errorf("replay: %s:%d:%d: %s", name, line, col, se.msg)
	}
	return v, nil
}

func (p *jparser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) fail(msg string) error { return &syntaxError{p.i, msg} }

// unexpected reports the byte at p.i (or the end of input) as unexpected;
// ctx says where, or what was wanted.
func (p *jparser) unexpected(ctx string) error {
	if p.i >= len(p.data) {
		return p.fail("unexpected end of input " + ctx)
	}
	c := p.data[p.i]
	what := fmt.Sprintf("byte %#02x", c)
	if r, _ := utf8.DecodeRune(p.data[p.i:]); r != utf8.RuneError {
		what = strconv.QuoteRune(r)
	}
	return p.fail("unexpected " + what + " " + ctx)
}

// value parses: value = object | array | string | number | "true" | "false" | "null".
func (p *jparser) value() (*jval, error) {
	p.ws()
	if p.i >= len(p.data) {
		return nil, p.unexpected("where a value should be")
	}
	v := &jval{start: p.i}
	var err error
	switch c := p.data[p.i]; {
	case c == '{':
		err = p.object(v)
	case c == '[':
		err = p.array(v)
	case c == '"':
		v.kind = jStr
		v.text, err = p.str()
	case c == '-' || c >= '0' && c <= '9':
		v.kind = jNum
		err = p.number(v)
	case bytes.HasPrefix(p.data[p.i:], []byte("true")):
		v.kind, v.b = jBool, true
		p.i += 4
	case bytes.HasPrefix(p.data[p.i:], []byte("false")):
		v.kind = jBool
		p.i += 5
	case bytes.HasPrefix(p.data[p.i:], []byte("null")):
		v.kind = jNull
		p.i += 4
	default:
		err = p.unexpected("where a value should be")
	}
	v.end = p.i
	return v, err
}

func (p *jparser) nest() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail(fmt.Sprintf("arrays and objects nested more than %d deep", maxDepth))
	}
	return nil
}

// object parses: object = "{" [ string ":" value { "," string ":" value } ] "}".
func (p *jparser) object(v *jval) error {
	v.kind = jObj
	if err := p.nest(); err != nil {
		return err
	}
	p.i++ // {
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		p.depth--
		return nil
	}
	for {
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return p.unexpected("where an object key (a string) should be")
		}
		k, err := p.str()
		if err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return p.unexpected("after an object key, want ':'")
		}
		p.i++
		e, err := p.value()
		if err != nil {
			return err
		}
		v.keys = append(v.keys, k)
		v.elems = append(v.elems, e)
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			p.depth--
			return nil
		}
		return p.unexpected("after an object member, want ',' or '}'")
	}
}

// array parses: array = "[" [ value { "," value } ] "]".
func (p *jparser) array(v *jval) error {
	v.kind = jArr
	if err := p.nest(); err != nil {
		return err
	}
	p.i++ // [
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		p.depth--
		return nil
	}
	for {
		e, err := p.value()
		if err != nil {
			return err
		}
		v.elems = append(v.elems, e)
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			p.depth--
			return nil
		}
		return p.unexpected("after an array element, want ',' or ']'")
	}
}

// number parses: number = [ "-" ] ( "0" | digit1-9 { digit } ) [ "." digit { digit } ] [ ( "e" | "E" ) [ "+" | "-" ] digit { digit } ].
// It keeps the text; the decoder parses it for the Go type it fills.
func (p *jparser) number(v *jval) error {
	start := p.i
	digits := func() error {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		if n == 0 {
			return p.unexpected("in a number, want a digit")
		}
		return nil
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.data) && p.data[p.i] == '0' {
		p.i++
	} else if err := digits(); err != nil {
		return err
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if err := digits(); err != nil {
			return err
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if err := digits(); err != nil {
			return err
		}
	}
	v.text = string(p.data[start:p.i])
	return nil
}

// str parses a string at p.i (which holds the opening quote) and returns its
// decoded value. Invalid UTF-8 and raw control characters are errors; a lone
// UTF-16 surrogate escape decodes to U+FFFD, as encoding/json does.
func (p *jparser) str() (string, error) {
	p.i++ // "
	var buf []byte
	start := p.i
	for {
		if p.i >= len(p.data) {
			return "", p.fail("unexpected end of input in a string")
		}
		switch c := p.data[p.i]; {
		case c == '"':
			s := p.data[start:p.i]
			p.i++
			if buf != nil {
				return string(append(buf, s...)), nil
			}
			return string(s), nil
		case c == '\\':
			buf = append(buf, p.data[start:p.i]...)
			if buf == nil {
				buf = []byte{}
			}
			var err error
			if buf, err = p.escape(buf); err != nil {
				return "", err
			}
			start = p.i
		case c < 0x20:
			return "", p.fail(fmt.Sprintf("control character %U in a string (write it as an escape)", c))
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := utf8.DecodeRune(p.data[p.i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.fail(fmt.Sprintf("invalid UTF-8 (byte %#02x) in a string", c))
			}
			p.i += size
		}
	}
}

// escape decodes the escape sequence at p.i into buf.
func (p *jparser) escape(buf []byte) ([]byte, error) {
	if p.i+1 >= len(p.data) {
		return nil, p.fail("unexpected end of input in a string")
	}
	c := p.data[p.i+1]
	switch c {
	case '"', '\\', '/':
		buf = append(buf, c)
	case 'b':
		buf = append(buf, '\b')
	case 'f':
		buf = append(buf, '\f')
	case 'n':
		buf = append(buf, '\n')
	case 'r':
		buf = append(buf, '\r')
	case 't':
		buf = append(buf, '\t')
	case 'u':
		r, ok := p.hex4(p.i + 2)
		if !ok {
			return nil, p.fail(`invalid \u escape in a string (want four hex digits)`)
		}
		p.i += 6
		if r >= 0xD800 && r < 0xDC00 { // a high surrogate: a low one should follow
			if lo, ok := p.hex4(p.i + 2); ok && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' && lo >= 0xDC00 && lo < 0xE000 {
				p.i += 6
				return utf8.AppendRune(buf, 0x10000+(r-0xD800)<<10+(lo-0xDC00)), nil
			}
		}
		if r >= 0xD800 && r < 0xE000 {
			r = utf8.RuneError
		}
		return utf8.AppendRune(buf, r), nil
	default:
		return nil, p.fail(fmt.Sprintf("invalid escape %s in a string", strconv.Quote(`\`+string(rune(c)))))
	}
	p.i += 2
	return buf, nil
}

// hex4 decodes four hex digits at data[i:].
func (p *jparser) hex4(i int) (rune, bool) {
	if i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[i : i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
