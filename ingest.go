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
func (e *Engine) PutMetricData(ctx context.Context, namespace string, data []metric.Datum) error {
	now := e.clk.Now()
	if err := metric.ValidateData(namespace, data, now); err != nil {
		return err
	}
	e.mu.Lock()
	e.agg.AddBatch(namespace, data, now)
	e.mu.Unlock()
	return nil
}
