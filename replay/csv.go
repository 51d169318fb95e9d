package replay

// This file reads metrics CSV.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/klaxon-go/klaxon/metric"
)

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
