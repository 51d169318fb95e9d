package klaxon

import (
	"context"

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
	now := e.clk.Now()
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
