package metric

import (
	"cmp"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"time"
)

// A Query names what an alarm reads from the aggregation: one metric (Unit
// "" means every unit the metric was published with), a statistic and a
// period, over an evaluation range of Periods periods.
type Query struct {
	Namespace  string
	MetricName string
	Dimensions []Dimension
	Unit       string
	Stat       Statistic
	Period     time.Duration
	Periods    int
}

// A Period is one period of a window: the statistic over [Start,
// Start+period). Missing marks a period without data, or one whose
// statistic cannot be computed (an extended statistic of samples that were
// not kept, or of negative values); its other fields are then meaningless.
// Lower and Upper are the band edges of the period for anomaly-band
// alarms; the aggregation leaves them zero. Package alarm evaluates
// windows of Periods (alarm.Datapoint is this type).
type Period struct {
	Start       time.Time
	Value       float64
	SampleCount float64
	Missing     bool
	Lower       float64
	Upper       float64
}

// An Aggregator is the in-memory per-period aggregation of metric data: it
// keeps, per metric and unit, one statistic set per 10-second slot (per
// minute for standard-resolution data) and, only for metrics that an alarm
// with an extended statistic watches, the raw samples.
//
// A metric keeps a slot while a watching alarm's evaluation range may
// still read it, and at least Retention, so that an alarm created later
// finds its recent past. Older slots are dropped when data arrives. Raw
// samples are kept only for metrics that an alarm with an extended
// statistic watches: their number grows with the data rate, statistic sets
// do not.
// An Aggregator is not safe for concurrent use; the engine serialises it.
type Aggregator struct {
	// Retention is how long every metric's slots are kept at least.
	Retention time.Duration

	seed    maphash.Seed
	seed2   maphash.Seed   // for the identity's second hash
	table   []entry        // open addressing, linear probing, at most half full
	count   int            // groups in table
	sets    []StatisticSet // scratch for Read
	samples []Sample       // scratch for extended statistics
	hashes  []uint64       // scratch for AddBatch
	found   []*group       // scratch for AddBatch
	sink    uint64         // keeps AddBatch's early loads
}

// NewAggregator returns an empty Aggregator.
func NewAggregator(retention time.Duration) *Aggregator {
	return &Aggregator{Retention: retention, seed: maphash.MakeSeed(), seed2: maphash.MakeSeed(), table: make([]entry, 1024)}
}

// An entry of the group table. The table is a flat array rather than a Go
// map so that AddBatch can issue the loads of many lookups at once.
type entry struct {
	hash uint64
	g    *group
}

// find returns the group whose identity hashes to h and id, or nil.
//
// A metric is identified by two independent 64-bit hashes of its
// namespace, name and sorted dimensions (two seeds drawn at random per
// Aggregator), not by comparing the strings: the 128 bits make a
// collision among a million metrics about as likely as 10^-27, and ingest
// reads no string of the identity.
func (a *Aggregator) find(h, id uint64) *group {
	mask := uint64(len(a.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := &a.table[i]
		if e.g == nil {
			return nil
		}
		if e.hash == h && e.g.id == id {
			return e.g
		}
	}
}

// insert adds g with hash h, growing the table (doubling it) to stay at
// most 70% full: linear probing stays short, and a million metrics cost
// about 30 bytes of table each.
func (a *Aggregator) insert(h uint64, g *group) {
	if 10*(a.count+1) > 7*len(a.table) {
		old := a.table
		a.table = make([]entry, 2*len(old))
		for _, e := range old {
			if e.g != nil {
				a.place(e)
			}
		}
	}
	a.place(entry{hash: h, g: g})
	a.count++
}

func (a *Aggregator) place(e entry) {
	mask := uint64(len(a.table) - 1)
	i := e.hash & mask
	for a.table[i].g != nil {
		i = (i + 1) & mask
	}
	a.table[i] = e
}

// slotWidth is the finest period an alarm can have, in seconds.
const slotWidth = 10

// A group is one metric identity (namespace, name, dimensions) with the
// series of each unit it was published with and the watches on it. The
// first unit's series is inline, so that ingest touches few cache lines.
//
// The fields that ingest reads (id, horizon, raw, the first series' slots,
// unit and oldest) are the first 64 bytes, and a group is in the 128-byte
// size class, which the Go allocator aligns to 64: ingest touches one cache
// line of the group.
type group struct {
	id      uint64 // a second, independent hash of the identity (see find)
	horizon int32  // seconds of slots to keep (at most 8 x 7 days)
	raw     bool   // some watch needs raw samples
	multi   bool   // more is set: the metric was published with several units
	series         // the first unit's
	watches []*Watch
	more    *[]*series // the other units' series, rarely any
}

type series struct {
	slots  []slot
	unit   string
	oldest int64     // slots[0].start, kept beside the header for pruning
	raw    []rawSlot // parallel to slots while the group keeps samples
}

type slot struct {
	start int64 // unix seconds
	set   StatisticSet
}

type rawSlot struct {
	samples []Sample
	// lost marks a slot whose samples were not all kept: a statistic set
	// that stands for no single sample was merged, or the slot held data
	// before an alarm needed samples.
	lost bool
}

// A Watch is an alarm's registration on a metric: it keeps the data the
// alarm's evaluation range needs, and reads windows.
type Watch struct {
	g       *group
	a       *Aggregator
	unit    string
	stat    Statistic
	width   int64 // period in seconds
	periods int
}

// Add aggregates one datum of namespace, received at now. The datum must be
// valid (ValidateData); its zero Timestamp means now. Add does not allocate
// once the metric's slot exists.
func (a *Aggregator) Add(namespace string, d *Datum, now time.Time) {
	var order [MaxDimensions]uint8
	h, id := a.hash(namespace, d.MetricName, d.Dimensions, sortedOrder(d.Dimensions, &order))
	a.add(a.lookup(h, id), d, now)
}

// AddBatch aggregates the datums of one PutMetricData call. It does what
// Add does for each datum, in passes over the batch: each pass issues one
// memory load per datum (the table entry, the group, the group's slots),
// and the loads of different datums, which do not depend on each other,
// overlap. With a million metrics this is several times faster than one
// Add after the other, whose loads each wait for the previous one.
func (a *Aggregator) AddBatch(namespace string, data []Datum, now time.Time) {
	// Chunks small enough that what the passes bring into the cache is
	// still there for the last pass, large enough to overlap many loads.
	const chunk = 16
	for len(data) > chunk {
		a.addBatch(namespace, data[:chunk], now)
		data = data[chunk:]
	}
	a.addBatch(namespace, data, now)
}

func (a *Aggregator) addBatch(namespace string, data []Datum, now time.Time) {
	n := len(data)
	if cap(a.hashes) < 2*n {
		a.hashes = make([]uint64, 2*n)
		a.found = make([]*group, n)
	}
	hashes, ids, found := a.hashes[:n], a.hashes[n:2*n], a.found[:n]
	var order [MaxDimensions]uint8
	mask := uint64(len(a.table) - 1)
	var sink uint64
	var cache hashCache
	hNS := a.nsHash(namespace)
	for i := range data {
		hashes[i], ids[i] = cache.hash(a, hNS, data[i].MetricName, data[i].Dimensions, sortedOrder(data[i].Dimensions, &order))
	}
	for _, h := range hashes {
		sink += a.table[h&mask].hash
	}
	for i, h := range hashes {
		// The first entry with the hash; lookup checks the id.
		found[i] = nil
		for j := h & mask; a.table[j].g != nil; j = (j + 1) & mask {
			if a.table[j].hash == h {
				found[i] = a.table[j].g
				sink += uint64(found[i].horizon)
				break
			}
		}
	}
	for _, g := range found {
		if g != nil {
			if k := len(g.series.slots); k > 0 {
				// The newest slot, where most data goes: both ends, as a
				// slot may straddle two cache lines.
				last := &g.series.slots[k-1]
				sink += uint64(last.start) + math.Float64bits(last.set.Maximum)
			}
		}
	}
	a.sink = sink
	for i := range data {
		g := found[i]
		if g == nil || g.id != ids[i] {
			g = a.lookup(hashes[i], ids[i])
		}
		a.add(g, &data[i], now)
		found[i] = nil
	}
}

// lookup returns the group of the identity hashes, creating it.
func (a *Aggregator) lookup(h, id uint64) *group {
	if g := a.find(h, id); g != nil {
		return g
	}
	return a.newGroup(h, id)
}

func (a *Aggregator) add(g *group, d *Datum, now time.Time) {
	ts := d.Timestamp
	if ts.IsZero() {
		ts = now
	}
	sec := ts.Unix()
	if d.StorageResolution == 1 {
		sec -= mod(sec, slotWidth)
	} else {
		sec -= mod(sec, 60)
	}
	unit := d.Unit
	if unit == "" {
		unit = "None" // CloudWatch stores data sent without a unit as None
	}
	s := g.seriesOf(unit)
	keep := max(int64(g.horizon), int64(a.Retention/time.Second))
	if sec < now.Unix()-keep {
		return // older than anything an evaluation reads
	}
	// Prune first: the slot for the new minute then takes the place of
	// the one that expired, and the slice does not grow.
	s.prune(now.Unix()-keep, g.raw)
	i := s.slotIndex(sec, g.raw)
	s.slots[i].set.Add(d.Set())
	if g.raw {
		s.addRaw(i, d)
	}
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// sortedOrder returns the dimensions' indexes in name order, in order's
// storage (no allocation; at most MaxDimensions).
func sortedOrder(dims []Dimension, order *[MaxDimensions]uint8) []uint8 {
	n := min(len(dims), MaxDimensions)
	o := order[:n]
	for i := range o {
		o[i] = uint8(i)
	}
	for i := 1; i < n; i++ { // insertion sort: few dimensions, usually sorted
		for j := i; j > 0 && dims[o[j]].Name < dims[o[j-1]].Name; j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
	return o
}

// hash returns the two hashes of an identity (see find).
func (a *Aggregator) hash(ns, name string, dims []Dimension, order []uint8) (h, id uint64) {
	var c hashCache
	return c.hash(a, a.nsHash(ns), name, dims, order)
}

// pair is a string's hash under each of the two seeds.
type pair struct{ h, id uint64 }

func (a *Aggregator) pair(s string) pair {
	return pair{maphash.String(a.seed, s), maphash.String(a.seed2, s)}
}

func (a *Aggregator) nsHash(ns string) pair { return a.pair(ns) }

// hashCache remembers the hashes of the last metric name and of the last
// dimension name: in one PutMetricData call they repeat from datum to
// datum.
type hashCache struct {
	name, dim   string
	hName, hDim pair
}

func (c *hashCache) hash(a *Aggregator, ns pair, name string, dims []Dimension, order []uint8) (h, id uint64) {
	if name != c.name || c.name == "" {
		c.name, c.hName = name, a.pair(name)
	}
	h, id = mix(ns.h, c.hName.h), mix(ns.id, c.hName.id)
	for _, i := range order {
		if dims[i].Name != c.dim || c.dim == "" {
			c.dim, c.hDim = dims[i].Name, a.pair(dims[i].Name)
		}
		v := a.pair(dims[i].Value)
		h, id = mix(mix(h, c.hDim.h), v.h), mix(mix(id, c.hDim.id), v.id)
	}
	return h, id
}

// mix combines a running hash with the hash of the next part, in an
// order-sensitive way. Hashing the parts one by one keeps their
// boundaries: ("ab", "c") and ("a", "bc") hash apart.
func mix(h, x uint64) uint64 {
	return bits.RotateLeft64((h^x)*0x9e3779b97f4a7c15, 29) + x
}

func (a *Aggregator) newGroup(h, id uint64) *group {
	g := &group{id: id}
	g.series.unit = "\x00" // no unit seen yet
	a.insert(h, g)
	return g
}

// seriesOf returns the series of unit, creating it.
func (g *group) seriesOf(unit string) *series {
	if g.series.unit == unit {
		return &g.series
	}
	if g.series.unit == "\x00" {
		g.series.unit = unit
		return &g.series
	}
	if g.more != nil {
		for _, s := range *g.more {
			if s.unit == unit {
				return s
			}
		}
	} else {
		g.more, g.multi = new([]*series), true
	}
	s := &series{unit: unit}
	*g.more = append(*g.more, s)
	return s
}

// each calls f for the group's series of unit ("" for every unit).
func (g *group) each(unit string, f func(*series)) {
	if g.series.unit != "\x00" && (unit == "" || g.series.unit == unit) {
		f(&g.series)
	}
	if g.more == nil {
		return
	}
	for _, s := range *g.more {
		if unit == "" || s.unit == unit {
			f(s)
		}
	}
}

// slotIndex returns the index of the slot starting at sec, inserting it.
func (s *series) slotIndex(sec int64, raw bool) int {
	n := len(s.slots)
	if n > 0 && s.slots[n-1].start == sec {
		return n - 1
	}
	i := n
	if n > 0 && s.slots[n-1].start > sec {
		var found bool
		i, found = slices.BinarySearchFunc(s.slots, sec, func(x slot, t int64) int { return cmp.Compare(x.start, t) })
		if found {
			return i
		}
	}
	s.slots = slices.Insert(s.slots, i, slot{start: sec})
	if i == 0 {
		s.oldest = sec
	}
	if raw {
		s.raw = slices.Insert(s.raw, i, rawSlot{})
	}
	return i
}

func (s *series) addRaw(i int, d *Datum) {
	r := &s.raw[i]
	switch {
	case d.StatisticValues != nil:
		if smp, ok := d.StatisticValues.Sample(); ok {
			r.samples = append(r.samples, smp)
		} else {
			r.lost = true
		}
	case len(d.Values) > 0:
		for j, v := range d.Values {
			c := 1.0
			if j < len(d.Counts) {
				c = d.Counts[j]
			}
			if c > 0 {
				r.samples = append(r.samples, Sample{Value: v, Count: c})
			}
		}
	default:
		r.samples = append(r.samples, Sample{Value: d.Value, Count: 1})
	}
}

// prune drops the slots that start before oldest, reusing the storage.
func (s *series) prune(oldest int64, raw bool) {
	if len(s.slots) == 0 || s.oldest >= oldest {
		return // the common case, decided without reading the slots
	}
	k := 0
	for k < len(s.slots) && s.slots[k].start < oldest {
		k++
	}
	s.slots = append(s.slots[:0], s.slots[k:]...)
	if len(s.slots) > 0 {
		s.oldest = s.slots[0].start
	}
	if raw {
		for j := range k {
			s.raw[j] = rawSlot{}
		}
		s.raw = append(s.raw[:0], s.raw[k:]...)
	}
}

// Watch registers q: from now on the metric's data is kept as long as a
// window of q.Periods periods needs, with raw samples when q.Stat is an
// extended statistic.
func (a *Aggregator) Watch(q Query) *Watch {
	w := new(Watch)
	a.WatchInto(w, q)
	return w
}

// WatchInto is Watch with the caller's storage for the Watch (an engine
// embeds it in its alarm, so that evaluation touches one memory block
// less). w must not be in use.
func (a *Aggregator) WatchInto(w *Watch, q Query) {
	var order [MaxDimensions]uint8
	dims := sortedOrder(q.Dimensions, &order)
	h, id := a.hash(q.Namespace, q.MetricName, q.Dimensions, dims)
	g := a.lookup(h, id)
	*w = Watch{g: g, a: a, unit: q.Unit, stat: q.Stat, width: int64(q.Period / time.Second), periods: q.Periods}
	g.watches = append(g.watches, w)
	g.update()
}

// Unwatch removes w; the metric's data is then kept only as long as the
// remaining watches (and Retention) need.
func (a *Aggregator) Unwatch(w *Watch) {
	g := w.g
	if i := slices.Index(g.watches, w); i >= 0 {
		g.watches = slices.Delete(g.watches, i, i+1)
	}
	g.update()
}

// update recomputes what the group keeps after its watches changed. When
// raw samples become needed, the slots that already hold data are marked
// lost: their samples were not kept.
func (g *group) update() {
	g.horizon = 0
	raw := false
	for _, w := range g.watches {
		// Clamped: a Watch of the metric package may ask for more than the
		// 68 years an int32 of seconds holds; alarms ask for at most 8 x
		// 7 days.
		g.horizon = max(g.horizon, int32(min(w.width*int64(w.periods+1), math.MaxInt32)))
		raw = raw || w.stat.Extended()
	}
	switch {
	case raw && !g.raw:
		g.each("", func(s *series) {
			s.raw = make([]rawSlot, len(s.slots))
			for i := range s.raw {
				s.raw[i].lost = true
			}
		})
	case !raw && g.raw:
		g.each("", func(s *series) { s.raw = nil })
	}
	g.raw = raw
}

// Read fills out with the window of len(out) periods that ends at end, the
// oldest first: out[i] covers [end-(len(out)-i)*Period, end-(len(out)-i-1)*Period).
// It does not allocate once the Aggregator's scratch space has grown to
// the largest window.
func (w *Watch) Read(end time.Time, out []Period) {
	a, n := w.a, len(out)
	e := end.Unix()
	first := e - int64(n)*w.width
	if cap(a.sets) < n {
		a.sets = make([]StatisticSet, n)
	}
	sets := a.sets[:n]
	clear(sets)
	if s := &w.g.series; !w.g.multi && (w.unit == "" || s.unit == w.unit) {
		// One unit (the usual case): no closure call per series.
		s.accumulate(sets, first, w.width)
	} else {
		w.g.each(w.unit, func(s *series) { s.accumulate(sets, first, w.width) })
	}
	extended := w.stat.Extended()
	for i := range out {
		start := first + int64(i)*w.width
		p := &out[i]
		p.Start = time.Unix(start, 0).UTC()
		p.Value, p.SampleCount, p.Missing, p.Lower, p.Upper = 0, 0, true, 0, 0
		if set := &sets[i]; set.SampleCount != 0 {
			var ok bool
			if extended {
				p.Value, ok = w.fromSamples(start, start+w.width)
			} else {
				p.Value, ok = w.stat.FromSet(*set)
			}
			p.SampleCount, p.Missing = set.SampleCount, !ok
		}
	}
}

// accumulate adds the slots of the series to sets, the statistic sets of
// len(sets) periods of width seconds from first.
func (s *series) accumulate(sets []StatisticSet, first, width int64) {
	i, end := 0, first+width // the period being filled, and where it ends
	last := first + int64(len(sets))*width
	for j := s.search(first); j < len(s.slots) && s.slots[j].start < last; j++ {
		for s.slots[j].start >= end {
			i++
			end += width
		}
		sets[i].Add(s.slots[j].set)
	}
}

// search returns the index of the first slot starting at or after sec.
func (s *series) search(sec int64) int {
	if n := len(s.slots); n <= 16 {
		// Windows read the newest slots: scan back from the end.
		i := n
		for i > 0 && s.slots[i-1].start >= sec {
			i--
		}
		return i
	}
	i, _ := slices.BinarySearchFunc(s.slots, sec, func(x slot, t int64) int { return cmp.Compare(x.start, t) })
	return i
}

// fromSamples computes the watch's extended statistic over the raw samples
// of [from, to); ok is false when some of them were not kept.
func (w *Watch) fromSamples(from, to int64) (float64, bool) {
	a := w.a
	a.samples = a.samples[:0]
	lost := false
	w.g.each(w.unit, func(s *series) {
		for j := s.search(from); j < len(s.slots) && s.slots[j].start < to; j++ {
			if j >= len(s.raw) || s.raw[j].lost {
				lost = true
				return
			}
			a.samples = append(a.samples, s.raw[j].samples...)
		}
	})
	if lost {
		return 0, false
	}
	slices.SortFunc(a.samples, func(x, y Sample) int { return cmp.Compare(x.Value, y.Value) })
	return w.stat.FromSamples(a.samples)
}
