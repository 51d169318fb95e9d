package klaxon

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/metric"
)

// PutMetricData ingests data of one namespace as CloudWatch's PutMetricData
// does: it validates the whole call first against the engine's clock
// (timestamps at most two weeks old and two hours ahead, no NaN or
// infinity, at most 1000 datums, ...) and rejects it whole with
// CloudWatch's error, or aggregates every datum into its metric's period.
// A datum without Timestamp is stamped with the clock's time. Data that
// arrives late updates the period it belongs to.
//
// The validation and the hashing of the metric identities run before the
// engine's lock is taken, so that concurrent callers do that part in
// parallel. PutMetricData does not allocate once the metrics exist.
func (e *Engine) PutMetricData(ctx context.Context, namespace string, data []metric.Datum) error {
	now, err := e.now()
	if err != nil {
		return err
	}
	b, _ := e.batches.Get().(*metric.Batch)
	if b == nil {
		b = new(metric.Batch)
	}
	defer e.batches.Put(b)
	if err := e.agg.Prepare(b, namespace, data, now); err != nil {
		return err
	}
	e.mu.Lock()
	e.agg.Apply(b)
	e.mu.Unlock()
	return nil
}

// A MetricFilter selects metrics, as ListMetrics's input does; zero fields
// select everything.
type MetricFilter struct {
	Namespace  string
	MetricName string
	// Dimensions selects metrics that have each of these dimensions (and
	// maybe others), with the given value when Value is set.
	Dimensions []DimensionFilter
}

// A DimensionFilter names a dimension, and optionally its value.
type DimensionFilter struct {
	Name  string `json:"Name"`
	Value string `json:"Value,omitempty"`
}

// A Metric is one metric as ListMetrics returns it.
type Metric = metric.Identity

// ListMetrics returns the metrics f selects, as CloudWatch's ListMetrics
// does: metrics that have received data and are still kept (a metric that
// no alarm watches is forgotten once its newest data is older than
// MetricRetention), sorted by namespace, name and dimensions. It returns
// the problems of f instead when f is not valid (at most 10 dimension
// filters, each with a name).
func (e *Engine) ListMetrics(ctx context.Context, f MetricFilter) ([]Metric, error) {
	var probs []error
	bad := func(field, value, msg string) {
		probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.InvalidParameterValue, Field: field, Value: value, Message: msg})
	}
	if len(f.Dimensions) > 10 {
		bad("Dimensions", strconv.Itoa(len(f.Dimensions)), "The collection Dimensions must not have a size greater than 10.")
	}
	for i, d := range f.Dimensions {
		p := "Dimensions.member." + strconv.Itoa(i+1)
		if d.Name == "" {
			probs = append(probs, &Error{Pkg: "klaxon", Code: cwerr.MissingParameter, Field: p + ".Name", Message: "The parameter " + p + ".Name is required."})
		} else if utf8.RuneCountInString(d.Name) > 255 {
			bad(p+".Name", d.Name, "The parameter "+p+".Name must be at most 255 characters long.")
		}
		if utf8.RuneCountInString(d.Value) > 1024 {
			bad(p+".Value", d.Value, "The parameter "+p+".Value must be at most 1024 characters long.")
		}
	}
	if utf8.RuneCountInString(f.Namespace) > 255 {
		bad("Namespace", f.Namespace, "The parameter Namespace must be at most 255 characters long.")
	}
	if utf8.RuneCountInString(f.MetricName) > 255 {
		bad("MetricName", f.MetricName, "The parameter MetricName must be at most 255 characters long.")
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	var out []Metric
	e.mu.Lock()
	e.agg.Metrics(func(id metric.Identity) bool {
		if f.Namespace != "" && id.Namespace != f.Namespace || f.MetricName != "" && id.MetricName != f.MetricName {
			return true
		}
		for _, df := range f.Dimensions {
			i := slices.IndexFunc(id.Dimensions, func(d metric.Dimension) bool { return d.Name == df.Name })
			if i < 0 || df.Value != "" && id.Dimensions[i].Value != df.Value {
				return true
			}
		}
		id.Dimensions = clone(id.Dimensions)
		out = append(out, id)
		return true
	})
	e.mu.Unlock()
	slices.SortFunc(out, func(a, b Metric) int {
		if c := cmp.Compare(a.Namespace, b.Namespace); c != 0 {
			return c
		}
		if c := cmp.Compare(a.MetricName, b.MetricName); c != 0 {
			return c
		}
		return slices.CompareFunc(a.Dimensions, b.Dimensions, func(x, y metric.Dimension) int {
			return cmp.Or(strings.Compare(x.Name, y.Name), strings.Compare(x.Value, y.Value))
		})
	})
	if out == nil {
		out = []Metric{}
	}
	return out, nil
}
