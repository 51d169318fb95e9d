package replay

import (
	"io"
	"time"
)

// readMetrics opens a metrics file and reads all of its datapoints back,
// in the order Run receives them, grouped into batches of consecutive
// datums of one namespace.
func readMetrics(name string, r io.Reader, def *MetricRef) ([]Batch, error) {
	return readMetricsOpts(name, r, ReadOptions{Default: def})
}

func readMetricsOpts(name string, r io.Reader, opts ReadOptions) ([]Batch, error) {
	m, err := OpenMetrics(name, r, opts)
	if err != nil {
		return nil, err
	}
	step := opts.Step
	if step == 0 {
		step = time.Minute
	}
	in, err := openSources([]*Metrics{m}, step)
	if err != nil {
		return nil, err
	}
	defer in.close()
	var out []Batch
	s := in.list[0]
	for s.head != nil {
		p := s.head
		if len(out) == 0 || out[len(out)-1].Namespace != p.ns {
			out = append(out, Batch{Namespace: p.ns})
		}
		b := &out[len(out)-1]
		b.MetricData = append(b.MetricData, p.d)
		s.advance()
	}
	return out, in.err()
}
