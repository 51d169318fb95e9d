package replay

// This file reads metrics CSV.

import (
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

// csvReader returns the reader of a metrics CSV: the header row first,
// then a datum per row, in file order. A problem with the header stops
// the reading; a problem with a row is recorded and the next row read.
func csvReader(name string, def *MetricRef) func(io.Reader, *problems, func(*point) bool) {
	return func(r io.Reader, ps *problems, yield func(*point) bool) {
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1 // checked below, with a better message
		cr.ReuseRecord = true
		at := func(field int) place {
			line, col := cr.FieldPos(field)
			return place{line: line, col: col}
		}
		csvErr := func(err error) {
			if pe, ok := errors.AsType[*csv.ParseError](err); ok {
				ps.add(place{line: pe.Line, col: max(pe.Column, 1)}, "%v", pe.Err)
				return
			}
			ps.list = append(ps.list, fmt.Errorf("replay: %s: %w", name, err))
		}

		header, err := cr.Read()
		if err == io.EOF {
			ps.add(place{}, "the file is empty, want a header row naming the columns (timestamp,value[,namespace,metric_name,dimensions,unit])")
			return
		}
		if err != nil {
			csvErr(err)
			return
		}
		header = slices.Clone(header)
		var col [numCols]int
		for i := range col {
			col[i] = -1
		}
		bad := false
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
				ps.add(at(i), "unknown column %s in the header row%s%s; want timestamp, value, namespace, metric_name, dimensions, unit", quoteShort(header[i]), hint(h, csvColumns[:]), looks)
				bad = true
				continue
			}
			if col[c] >= 0 {
				ps.add(at(i), "column %q appears twice in the header row", h)
				bad = true
			}
			col[c] = i
		}
		if bad {
			return
		}
		var missing []string
		for _, c := range []int{colTimestamp, colValue} {
			if col[c] < 0 {
				missing = append(missing, csvColumns[c])
			}
		}
		if len(missing) > 0 {
			ps.add(at(0), "the header row has no %s column (a header row naming the columns is required)", strings.Join(missing, " or "))
			return
		}
		switch hasNS, hasName := col[colNamespace] >= 0, col[colMetricName] >= 0; {
		case hasNS && !hasName:
			ps.add(at(col[colNamespace]), "the header row has a namespace column but no metric_name column (give both or neither)")
			return
		case hasName && !hasNS:
			ps.add(at(col[colMetricName]), "the header row has a metric_name column but no namespace column (give both or neither)")
			return
		case !hasNS && def == nil:
			ps.add(at(0), "the header row has no namespace and metric_name columns, and there is no default metric for the file to feed (the alarms watch more than one metric)")
			return
		case !hasNS && col[colDimensions] >= 0:
			ps.add(at(col[colDimensions]), "a dimensions column needs namespace and metric_name columns")
			return
		case !hasNS && (def.Namespace == "" || def.MetricName == ""):
			ps.add(place{}, "the default metric needs a namespace and a metric name (got namespace %q, metric name %q)", def.Namespace, def.MetricName)
			return
		}

		var (
			pt     point
			prevNS string
		)
		rows := 0
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				csvErr(err)
				rows++
				if _, ok := errors.AsType[*csv.ParseError](err); ok && ps.count() < MaxProblems {
					continue
				}
				return
			}
			rows++
			if len(rec) != len(header) {
				ps.add(at(0), "the row has %s, the header row %d", plural(len(rec), "field", "fields"), len(header))
				continue
			}
			cell := func(c int) string { return strings.TrimSpace(rec[col[c]]) }
			line, _ := cr.FieldPos(0)
			pt = point{line: line, col: 1}
			dt := &pt.d
			ok := true
			ts := cell(colTimestamp)
			t, err := parseTime(ts)
			if err != nil {
				ps.add(at(col[colTimestamp]), "timestamp %s %v", quoteShort(ts), err)
				ok = false
			}
			dt.Timestamp = t
			vs := cell(colValue)
			if dt.Value, err = parseValue(vs); err != nil {
				ps.add(at(col[colValue]), "value %s %v", quoteShort(vs), err)
				ok = false
			}
			if col[colNamespace] >= 0 {
				ns := cell(colNamespace)
				if ns == "" {
					ps.add(at(col[colNamespace]), "the namespace is empty")
					ok = false
				}
				if ns != prevNS { // keep one string per run of rows
					prevNS = strings.Clone(ns)
				}
				pt.ns = prevNS
				if dt.MetricName = strings.Clone(cell(colMetricName)); dt.MetricName == "" {
					ps.add(at(col[colMetricName]), "the metric_name is empty")
					ok = false
				}
				if col[colDimensions] >= 0 {
					if dt.Dimensions, err = parseDimensions(cell(colDimensions)); err != nil {
						ps.add(at(col[colDimensions]), "%v", err)
						ok = false
					}
				}
			} else {
				pt.ns = def.Namespace
				dt.MetricName = def.MetricName
				dt.Dimensions = def.Dimensions
				dt.Unit = def.Unit
			}
			if col[colUnit] >= 0 {
				if u := cell(colUnit); u != "" {
					if !metric.ValidUnit(u) {
						ps.add(at(col[colUnit]), "unit %s is not one of CloudWatch's units%s (%s)", quoteShort(u), hint(u, metric.Units), strings.Join(metric.Units, ", "))
						ok = false
					}
					dt.Unit = strings.Clone(u)
				}
			}
			if ok && !yield(&pt) {
				return
			}
		}
		if rows == 0 {
			ps.add(place{}, "the file has a header row but no data rows")
		}
	}
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
