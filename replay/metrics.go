package replay

// This file opens metrics files: it chooses the format, checks the whole
// file once (every problem, the time range, the metrics, the order), and
// reads it again, a datapoint at a time, when Run asks.

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// A Batch is one PutMetricData call's worth of data (see NewMetrics).
type Batch struct {
	Namespace  string
	MetricData []metric.Datum
}

// MetricRef names a metric: the metric a CSV without metric columns feeds,
// or the one an API output's result stands for.
type MetricRef struct {
	Namespace, MetricName string
	Dimensions            []metric.Dimension
	Unit                  string
}

// ReadOptions tell OpenMetrics how to read a metrics file.
type ReadOptions struct {
	// Default is the metric of a CSV without namespace and metric_name
	// columns, and of API output that names no metric otherwise (nil: such
	// input is an error).
	Default *MetricRef
	// Map ties the results of get-metric-data and get-metric-statistics
	// output to metrics (see ReadMetricMap); nil: none.
	Map *MetricMap
	// Alarms, when set, tie get-metric-data results to metrics through
	// their metric queries' Ids and their metric names (see OpenMetrics).
	Alarms []alarm.Config
	// Step is the replay's evaluation step (a minute, or 10 seconds with
	// high-resolution alarms), to which a file's datapoints must be in time
	// order to be streamed (see Metrics.Sorted). Zero means a minute.
	Step time.Duration
}

// A Metrics is a metrics file, checked: its datapoints are valid, and
// their range, metrics and order are known. Run reads it again, a
// datapoint at a time.
type Metrics struct {
	Name   string
	Format string // "csv", "put-metric-data", "get-metric-data" or "get-metric-statistics"
	// Count is the number of datapoints; First and Last the earliest and
	// the latest timestamps.
	Count       int
	First, Last time.Time
	// Sorted reports whether the datapoints are in time order to the
	// replay's step: each one in the same step as the one before or a
	// later one. A sorted file is read again as a stream; another is read
	// whole and sorted in memory (OutOfOrder says where its order breaks).
	Sorted     bool
	OutOfOrder string
	// Identities are the metrics of the file, sorted, with the finest
	// spacing of each one's datapoints.
	Identities []MetricInfo
	// Notes say, once each, what of the input was read but ignored.
	Notes []string

	firstEnd, lastEnd int64 // the earliest and latest slot ends, unix seconds
	step              time.Duration
	reopen            func() (io.Reader, error) // nil: the points are in mem
	read              func(r io.Reader, ps *problems, yield func(*point) bool)
	mem               []point // the points, sorted by visibility (read-whole formats, NewMetrics)
}

// A MetricInfo is one metric of a metrics file.
type MetricInfo struct {
	Namespace  string
	MetricName string
	Dimensions []metric.Dimension // sorted by name
	Count      int
	// Spacing is the shortest time between two of its datapoints that are
	// not at the same time (0: one timestamp only).
	Spacing time.Duration
	last    time.Time
}

// A point is one datum of a metrics file, with its namespace and where it
// is in the file.
type point struct {
	ns        string
	d         metric.Datum
	line, col int
}

// OpenMetrics checks a metrics file and returns it, ready for Run: JSON in
// the `aws cloudwatch put-metric-data --cli-input-json` shape
// ({"Namespace":...,"MetricData":[...]}, or an array of those), the output
// of `aws cloudwatch get-metric-data` or `get-metric-statistics`, or CSV.
// The format is chosen by the file name's extension (.json / .csv, any
// case), else by the first non-space byte ('{' or '[': JSON). name is the
// file name used in messages. r is read twice (Run seeks to its start), so
// it must be an io.ReadSeeker; otherwise OpenMetrics reads it whole.
//
// Every problem of the file is reported together (up to MaxProblems), each
// as "replay: FILE:LINE:COL: PATH: what is wrong". Every datum needs a
// timestamp, and is checked as PutMetricData checks it (at its own time).
//
// put-metric-data JSON: keys match exactly; a datum's Timestamp is an RFC
// 3339 string (fractional seconds optional; Z, an offset, or no zone
// meaning UTC), "2006-01-02 15:04:05" (UTC), or epoch seconds as a number
// or a string of digits. EntityMetricData's MetricData are read like
// MetricData; the entities themselves and StrictEntityValidation are
// ignored (Notes says so).
//
// get-metric-data output: each MetricDataResult (Timestamps and Values)
// becomes one datapoint per timestamp. Its metric is, in this order: the
// one opts.Map gives its Id; the MetricStat of an alarm's metric query of
// the same Id; the metric of the alarms whose MetricName is its Label (when
// one metric has it); opts.Default, for a file of one result.
// get-metric-statistics output: each datapoint becomes a StatisticValues
// datum when it has SampleCount, Sum, Minimum and Maximum, else one
// sample of the statistic it has; its metric is the one opts.Map gives
// its Label, or the alarms' metric of that name, or opts.Default.
// ExtendedStatistics are ignored. Both are read whole and sorted.
//
// CSV: a header row names the columns (case-insensitive): timestamp and
// value, and optionally namespace and metric_name (both or neither),
// dimensions (Name=Value;Name2=Value2) and unit. A CSV without metric
// columns feeds opts.Default. Timestamps are as in JSON; NAB's
// "2006-01-02 15:04:05" is UTC.
func OpenMetrics(name string, r io.Reader, opts ReadOptions) (*Metrics, error) {
	if opts.Step == 0 {
		opts.Step = time.Minute
	}
	rs, ok := r.(io.ReadSeeker)
	if ok {
		if _, err := rs.Seek(0, io.SeekCurrent); err != nil {
			ok = false // a pipe
		}
	}
	if !ok {
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("replay: %s: %w", name, err)
		}
		rs = bytes.NewReader(data)
	}
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("replay: %s: %w", name, err)
	}
	br := bufio.NewReaderSize(rs, 64<<10)
	m := &Metrics{Name: name, step: opts.Step}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		m.Format = "json"
	case ".csv":
		m.Format = "csv"
	default:
		m.Format = "csv"
		b, _ := br.Peek(4096)
		b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		if i := bytes.IndexFunc(b, func(r rune) bool { return !isSpace(r) }); i >= 0 && (b[i] == '{' || b[i] == '[') {
			m.Format = "json"
		}
	}
	ps := &problems{file: name}
	var read func(r io.Reader, ps *problems, yield func(*point) bool)
	if m.Format == "csv" {
		read = csvReader(name, opts.Default)
	} else {
		var whole []point
		m.Format, read, whole = jsonReader(name, br, opts, m, ps)
		if whole != nil || read == nil {
			// API output, read whole by jsonReader (or a problem).
			if err := ps.err(); err != nil {
				return nil, err
			}
			m.scan(whole, ps)
			if err := ps.err(); err != nil {
				return nil, err
			}
			m.mem = sortPoints(whole, opts.Step)
			return m, nil
		}
	}
	m.read = read
	m.reopen = func() (io.Reader, error) {
		if _, err := rs.Seek(start, io.SeekStart); err != nil {
			return nil, fmt.Errorf("replay: %s: %w", name, err)
		}
		return bufio.NewReaderSize(rs, 64<<10), nil
	}
	c := newChecker(m)
	read(br, ps, func(p *point) bool {
		c.add(p, ps)
		return true
	})
	c.finish()
	if err := ps.err(); err != nil {
		return nil, err
	}
	if m.Count == 0 {
		return nil, fmt.Errorf("replay: %s: the file holds no datapoints", name)
	}
	return m, nil
}

// NewMetrics returns data held in memory as a Metrics, for Run: the
// datums in the batches' order, checked as OpenMetrics checks a file's
// (every datum needs a Timestamp), each batch's datums placed by its index
// ("line" i+1, "column" j+1 for batch i, datum j).
func NewMetrics(name string, batches []Batch) (*Metrics, error) {
	m := &Metrics{Name: name, Format: "memory", step: time.Minute}
	n := 0
	for _, b := range batches {
		n += len(b.MetricData)
	}
	pts := make([]point, 0, n)
	for i, b := range batches {
		for j, d := range b.MetricData {
			pts = append(pts, point{ns: b.Namespace, d: d, line: i + 1, col: j + 1})
		}
	}
	ps := &problems{file: name}
	m.scan(pts, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	m.mem = pts // sorted by Run, whose step is known then
	return m, nil
}

// Datapoints calls yield with each datapoint of m, with its namespace and
// its place in the file (line and column; batch and datum for NewMetrics),
// in the file's order (API output: sorted by time), until yield returns
// false. A file is read again, as Run reads it; the error is the first
// problem of that reading. It is for callers that send the data
// themselves (package klaxontest).
func (m *Metrics) Datapoints(yield func(namespace string, d metric.Datum, line, col int) bool) error {
	if m.reopen == nil {
		for i := range m.mem {
			if p := &m.mem[i]; !yield(p.ns, p.d, p.line, p.col) {
				break
			}
		}
		return nil
	}
	r, err := m.reopen()
	if err != nil {
		return err
	}
	ps := &problems{file: m.Name}
	m.read(r, ps, func(p *point) bool { return yield(p.ns, p.d, p.line, p.col) })
	return ps.err()
}

// scan checks points held in memory.
func (m *Metrics) scan(pts []point, ps *problems) {
	c := newChecker(m)
	for i := range pts {
		c.add(&pts[i], ps)
	}
	c.finish()
	if m.Count == 0 && ps.count() == 0 {
		ps.add(place{}, "the file holds no datapoints")
	}
}

// sortPoints sorts points by the evaluation that first sees them, keeping
// the file's order within one.
func sortPoints(pts []point, step time.Duration) []point {
	slices.SortStableFunc(pts, func(a, b point) int {
		return cmp.Compare(visibleAt(&a.d, step), visibleAt(&b.d, step))
	})
	return pts
}

// slotEnd returns the end of the slot a datum is stored in (unix
// seconds): its minute, or its 10 seconds for StorageResolution 1.
func slotEnd(d *metric.Datum) int64 {
	w := int64(60)
	if d.StorageResolution == 1 {
		w = 10
	}
	sec := d.Timestamp.Unix()
	return sec - mod(sec, w) + w
}

// visibleAt returns the first evaluation time (unix seconds, a multiple
// of step) that sees the datum: the end of its slot, rounded up to step.
func visibleAt(d *metric.Datum, step time.Duration) int64 {
	return ceilSec(slotEnd(d), int64(step/time.Second))
}

func ceilSec(sec, step int64) int64 {
	if r := mod(sec, step); r != 0 {
		return sec - r + step
	}
	return sec
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// checker checks a file's points as they go by: each datum as
// PutMetricData would, the range, the order and the metrics.
type checker struct {
	m        *Metrics
	lastVis  int64
	lastLine int
	lastTime time.Time
	ids      map[string]*MetricInfo
	prev     *MetricInfo // the metric of the previous point, which the next one usually shares
	prevNS   string
	prevName string
	prevDims []metric.Dimension
	one      [1]metric.Datum
}

func newChecker(m *Metrics) *checker {
	m.Sorted = true
	return &checker{m: m, ids: map[string]*MetricInfo{}}
}

func (c *checker) add(p *point, ps *problems) {
	m := c.m
	d := &p.d
	at := place{line: p.line, col: p.col}
	if d.Timestamp.IsZero() {
		ps.add(at, "the datapoint has no Timestamp; a replay needs the time of every datapoint")
		return
	}
	c.one[0] = *d
	if err := metric.ValidateData(p.ns, c.one[:], d.Timestamp); err != nil {
		for _, e := range unjoin(err) {
			ps.add(at, "%s", strings.ReplaceAll(e.Error(), "MetricData.member.1.", ""))
		}
		return
	}
	m.Count++
	end := slotEnd(d)
	if m.Count == 1 || d.Timestamp.Before(m.First) {
		m.First = d.Timestamp
	}
	if m.Count == 1 || d.Timestamp.After(m.Last) {
		m.Last = d.Timestamp
	}
	if m.Count == 1 || end < m.firstEnd {
		m.firstEnd = end
	}
	if m.Count == 1 || end > m.lastEnd {
		m.lastEnd = end
	}
	vis := ceilSec(end, int64(m.step/time.Second))
	if m.Sorted && m.Count > 1 && vis < c.lastVis {
		m.Sorted = false
		m.OutOfOrder = fmt.Sprintf("%s:%d:%d: %s comes after %s (line %d)", m.Name, p.line, p.col,
			d.Timestamp.Format(time.RFC3339Nano), c.lastTime.Format(time.RFC3339Nano), c.lastLine)
	}
	if vis >= c.lastVis {
		c.lastVis, c.lastLine, c.lastTime = vis, p.line, d.Timestamp
	}
	info := c.prev
	if info == nil || p.ns != c.prevNS || d.MetricName != c.prevName || !slices.Equal(d.Dimensions, c.prevDims) {
		dims := sortedDims(d.Dimensions)
		key := identityKey(p.ns, d.MetricName, dims)
		info = c.ids[key]
		if info == nil {
			info = &MetricInfo{Namespace: p.ns, MetricName: d.MetricName, Dimensions: dims}
			c.ids[key] = info
		}
		c.prev, c.prevNS, c.prevName, c.prevDims = info, p.ns, d.MetricName, d.Dimensions
	}
	if info.Count > 0 {
		gap := d.Timestamp.Sub(info.last)
		if gap < 0 {
			gap = -gap
		}
		if gap > 0 && (info.Spacing == 0 || gap < info.Spacing) {
			info.Spacing = gap
		}
	}
	info.Count++
	info.last = d.Timestamp
}

func (c *checker) finish() {
	c.m.Identities = c.m.Identities[:0]
	for _, info := range c.ids {
		c.m.Identities = append(c.m.Identities, *info)
	}
	slices.SortFunc(c.m.Identities, func(a, b MetricInfo) int {
		return strings.Compare(identityKey(a.Namespace, a.MetricName, a.Dimensions), identityKey(b.Namespace, b.MetricName, b.Dimensions))
	})
}

// sortedDims returns dims sorted by name (a copy, when they are not).
func sortedDims(dims []metric.Dimension) []metric.Dimension {
	less := func(a, b metric.Dimension) int { return strings.Compare(a.Name, b.Name) }
	if slices.IsSortedFunc(dims, less) {
		return slices.Clip(dims)
	}
	dims = slices.Clone(dims)
	slices.SortFunc(dims, less)
	return dims
}

// identityKey is a metric's identity as one string; dims must be sorted.
func identityKey(ns, name string, dims []metric.Dimension) string {
	var b strings.Builder
	b.WriteString(ns)
	b.WriteByte(0)
	b.WriteString(name)
	for _, d := range dims {
		b.WriteByte(0)
		b.WriteString(d.Name)
		b.WriteByte('=')
		b.WriteString(d.Value)
	}
	return b.String()
}

// String prints a metric as messages name it: AWS/EC2 CPUUtilization
// {InstanceId=i-1}.
func (mi MetricInfo) String() string { return metricString(mi.Namespace, mi.MetricName, mi.Dimensions) }

func metricString(ns, name string, dims []metric.Dimension) string {
	s := ns + " " + name
	if len(dims) > 0 {
		var parts []string
		for _, d := range dims {
			parts = append(parts, d.Name+"="+d.Value)
		}
		s += " {" + strings.Join(parts, ", ") + "}"
	}
	return s
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\uFEFF' }

func readInput(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("replay: %s: %w", name, err)
	}
	return data, nil
}
