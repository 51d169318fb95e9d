package replay

// This file reads metrics files: it chooses the format, and decodes the
// put-metric-data JSON shape.

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/klaxon-go/klaxon/metric"
)

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
