package metric

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
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
//
// Ingest is split in two: [Aggregator.Prepare] validates and hashes a
// PutMetricData call and may run concurrently with anything;
// [Aggregator.Apply] aggregates it. Every other method, Apply included,
// must be serialised by the caller (the engine holds its lock).
type Aggregator struct {
	// Retention is how long every metric's slots are kept at least.
	Retention time.Duration

	keys     hashKeys
	index    *index
	chunks   [][]entry // chunk k has chunkSize(k) entries
	hashes   []uint64  // by entry number: the hash that places the entry in index
	count    int       // entries
	capacity int       // entries the chunks hold
	more     map[*entry]*[]*series
	idents   []*Identity // by entry number: the names of a metric that has received data
	free     []uint32    // numbers + 1 of freed entries, for reuse
	sweep    uint32      // the next entry number Sweep visits
	interned map[string]string
	sets     []StatisticSet // scratch for Read: the statistic sets of the last window read
	samples  []Sample       // scratch for extended statistics
	batch    Batch          // for AddBatch
	found    [applyChunk]*entry
	sink     uint64 // keeps Apply's early loads

	// Alarms on one metric read the same periods at an evaluation: Read
	// keeps the last window's statistic sets (in sets, the longest window
	// any of them reads: Watch.span) and, apart, the last extended
	// statistic's values, and reuses them while no data changed (gen
	// counts the changes).
	gen    uint64
	last   readKey
	lastN  int
	ext    readKey
	extSt  Statistic
	extN   int
	extVal []float64
	extOK  []bool
}

// A readKey names what a Read computed: the metric (and unit), the period
// width and the end, at a generation of the data.
type readKey struct {
	e     *entry
	unit  uint16
	width int32
	end   int64
	gen   uint64
}

// NewAggregator returns an empty Aggregator whose identity hashes are
// keyed at random (see the package Caveats).
func NewAggregator(retention time.Duration) *Aggregator {
	a := &Aggregator{Retention: retention, keys: newHashKeys()}
	a.index = newIndex(1024)
	return a
}

// NewSeededAggregator returns an empty Aggregator whose identity hashes
// are keyed by seed, so that every Aggregator with the same seed, in any
// process, hashes a metric identity alike: for state that is persisted or
// partitioned by metric identity. A seed known to an adversary lets them
// choose identities that collide; keep it secret where input is untrusted.
func NewSeededAggregator(retention time.Duration, seed uint64) *Aggregator {
	a := &Aggregator{Retention: retention, keys: seededKeys(seed)}
	a.index = newIndex(1024)
	return a
}

// An Identity names a metric: its namespace, name and dimensions, as
// ListMetrics returns them.
type Identity struct {
	Namespace  string      `json:"Namespace"`
	MetricName string      `json:"MetricName"`
	Dimensions []Dimension `json:"Dimensions"`
}

// An index maps the identity hashes to entries: open addressing, linear
// probing, at most 70% full; it is replaced by one twice as large when it
// fills.
type index struct {
	refs []ref
	mask uint64
}

func newIndex(n int) *index { return &index{refs: make([]ref, n), mask: uint64(n - 1)} }

// A metric is identified by two 64-bit hashes of its namespace, name and
// sorted dimensions (the two lanes of hashKeys, keyed at random per
// Aggregator), not by comparing the strings: ingest reads no string of the
// identity. The index holds the upper 32 bits of the first hash beside the
// entry's number, the entry the whole second hash: a lookup compares 96
// bits, and two of a million metrics would be taken for one with a chance
// of about 10^-17.
//
// Entries live in chunks that never move, so that a Watch can point at its
// entry and the index can stay small (8 bytes a position; 16 MB for a
// million metrics), which keeps it mostly in the processor's last-level
// cache.
type ref struct {
	tag uint32 // the upper half of the hash
	n   uint32 // the entry's number + 1; 0 marks a free position
}

// Chunks of entries: the first of minChunk entries of 128 bytes (64 KiB),
// each next one twice as large up to maxChunk entries (2 MiB), then all
// of maxChunk. Every chunk is a large object, which the Go allocator
// aligns to a page, so that every entry is aligned to its 128 bytes. Large
// chunks keep a million metrics' entries in a few address ranges: the
// processor's page walks then find the page tables in its caches, which
// takes a tenth off ingest with a million metrics; small first chunks
// keep a small Aggregator small.
const (
	minChunk   = 512
	maxChunk   = 16384
	chunkSteps = 6                              // chunks of minChunk << k, k < chunkSteps
	geometric  = minChunk * (1<<chunkSteps - 1) // entries in those chunks
)

// chunkSize returns the number of entries of chunk k.
func chunkSize(k int) int { return minChunk << min(k, chunkSteps-1) }

// chunkOf returns the chunk and the index in it of entry number m.
func chunkOf(m uint32) (k, i int) {
	if m < geometric {
		q := m/minChunk + 1
		k = bits.Len32(q) - 1
		return k, int(m - minChunk*(1<<k-1))
	}
	m -= geometric
	return chunkSteps + int(m/maxChunk), int(m % maxChunk)
}

// An entry is one metric identity (namespace, name, dimensions): the
// series of the first unit it was published with, inline, and the watches
// on it. Its first 64 bytes (the identity check and the first series' unit,
// horizon, newest period and oldest slot start) are all that ingest reads
// for a datum of the newest period, so that such a datum costs one cache
// line; the slots of older periods are behind a pointer in the second
// line. The metrics published with several units keep the other units'
// series in Aggregator.more.
type entry struct {
	id      uint64 // the second hash of the identity
	series         // the first unit's
	watches []*Watch
	multi   bool // more holds other units' series
	named   bool // its Identity is recorded (it has received data)
	_       [2]byte
	num     uint32 // the entry's number + 1 (its ref's n)
}

// A series is one unit's data of a metric: the newest period with data
// (the head) and the older slots, oldest first. Keeping the head apart
// means that the data of the current period, which is most data, is
// aggregated without reading the slots.
type series struct {
	unit      uint16 // unit code (see unitCode); 0 until the first datum
	hasHead   bool
	raw       bool  // keeps raw samples: then every period is in slots, none in the head
	keep      int32 // seconds of slots the watches read (at most 8 x 7 days)
	headStart int64 // unix seconds
	head      StatisticSet
	oldest    int64 // slots[0].start, kept beside the head for pruning
	slots     []slot
	samples   *[]rawSlot // parallel to slots while raw
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
	e       *entry
	a       *Aggregator
	stat    Statistic
	width   int32 // period in seconds (at most 7 days)
	periods int32
	unit    uint16 // 0: every unit
	// span is the most periods that a watch of the metric with the same
	// width and unit reads (its own included): a Read that computes a
	// window computes this many periods, so that the other alarms' reads
	// of the same evaluation find theirs in it, whatever their order.
	span int32
}

// slotWidth is the finest period an alarm can have, in seconds.
const slotWidth = 10

// A Batch is one PutMetricData call that [Aggregator.Prepare] validated
// and hashed, for [Aggregator.Apply]. Its storage is reused from call to
// call; the zero Batch is ready to use.
type Batch struct {
	agg       *Aggregator // whose hash keys keys are
	namespace string
	data      []Datum
	now       time.Time
	keys      []key
}

// key is what Prepare computes of a datum.
type key struct {
	h, id uint64 // the identity's hashes
	sec   int64  // start of the datum's slot, unix seconds
	unit  uint16 // unit code
}

// Prepare validates one PutMetricData call as [ValidateData] does, against
// the time now, and hashes its datums into b for Apply. It returns
// ValidateData's error, and b holds nothing to apply, when CloudWatch
// would reject the call. Prepare reads nothing that the other methods
// change: calls for different Batches may run concurrently with each
// other and with the Aggregator's other methods. It does not allocate
// once b has held a call as large.
func (a *Aggregator) Prepare(b *Batch, namespace string, data []Datum, now time.Time) error {
	b.data, b.now = nil, now
	if len(data) == 0 || len(data) > MaxDatumsPerCall || !namespaceOK(namespace) {
		// A call-level rule is broken: the full check reports it.
		return a.prepareFull(b, namespace, data, now)
	}
	if cap(b.keys) < len(data) {
		b.keys = make([]key, len(data))
	}
	keys := b.keys[:len(data)]
	w := newWindow(now)
	var (
		seen   seen
		hashes hashCache
		values int
	)
	r := report{quick: true}
	ns := a.pair(namespace)
	for i := range data {
		d := &data[i]
		d.check(i+1, &w, &seen, &r)
		if r.bad {
			return a.prepareFull(b, namespace, data, now)
		}
		values += len(d.Values)
		keys[i] = a.keyOf(&hashes, ns, d, now)
	}
	if values > MaxValuesPerCall {
		return a.prepareFull(b, namespace, data, now)
	}
	b.agg, b.namespace, b.data = a, namespace, data
	return nil
}

// prepareFull is Prepare for a call that the quick check refused: the
// full check collects every problem with its message. (The two modes run
// the same rules, so it always finds one; a call it accepts is hashed all
// the same.)
func (a *Aggregator) prepareFull(b *Batch, namespace string, data []Datum, now time.Time) error {
	if err := ValidateData(namespace, data, now); err != nil {
		return err
	}
	a.hashBatch(b, namespace, data, now)
	return nil
}

// hashBatch fills b with the keys of data, which must be valid.
func (a *Aggregator) hashBatch(b *Batch, namespace string, data []Datum, now time.Time) {
	if cap(b.keys) < len(data) {
		b.keys = make([]key, len(data))
	}
	keys := b.keys[:len(data)]
	var hashes hashCache
	ns := a.pair(namespace)
	for i := range data {
		keys[i] = a.keyOf(&hashes, ns, &data[i], now)
	}
	b.agg, b.namespace, b.data, b.now = a, namespace, data, now
}

// Apply aggregates the call that Prepare accepted into b, once: a second
// Apply of the same preparation does nothing. A Batch that another
// Aggregator prepared is hashed again. It does not allocate once
// the metrics and their slots exist.
//
// With a million metrics, ingest is bound by memory latency: each datum
// needs its index position and its entry, two cache lines that no other
// datum shares. Apply therefore works in passes over chunks of the call:
// one loads every datum's index position, one finds the entries, one
// loads every entry, and the last aggregates. The loads of a pass do not
// depend on each other, so they overlap; taking one datum after the other,
// each load would wait for the previous one.
func (a *Aggregator) Apply(b *Batch) {
	if b.agg != a && b.data != nil {
		// Prepared by another Aggregator, whose hashes differ.
		a.hashBatch(b, b.namespace, b.data, b.now)
	}
	data, keys := b.data, b.keys[:len(b.data)]
	b.data = nil
	a.gen++
	now := b.now.Unix()
	ret := retentionSeconds(a.Retention)
	for len(data) > 0 {
		n := min(len(data), applyChunk)
		a.apply(b.namespace, data[:n], keys[:n], now, ret)
		data, keys = data[n:], keys[n:]
	}
}

// applyChunk datums are in flight at once: enough to overlap many loads,
// few enough that what the first pass brings into the cache is still
// there for the last.
const applyChunk = 64

func (a *Aggregator) apply(namespace string, data []Datum, keys []key, now, ret int64) {
	found := a.found[:len(data)]
	x := a.index
	var sink uint64
	for i := range keys {
		sink += uint64(x.refs[keys[i].h&x.mask].n)
	}
	for i := range keys {
		// The first position with the hash's tag, usually in the cache
		// line of the hash's home position; an id that does not match
		// sends the datum to lookup, which probes on.
		found[i] = nil
		h := keys[i].h
		for j, tag := h&x.mask, uint32(h>>32); x.refs[j].n != 0; j = (j + 1) & x.mask {
			if r := x.refs[j]; r.tag == tag {
				e := a.entry(r.n)
				found[i] = e
				break
			}
		}
	}
	for _, e := range found {
		if e != nil {
			sink += e.id
		}
	}
	a.sink = sink
	for i := range data {
		k := &keys[i]
		e := found[i]
		if e == nil || e.id != k.id {
			e = a.lookup(k.h, k.id)
		}
		a.add(e, namespace, &data[i], k, now, ret)
	}
}

// Add aggregates one datum of namespace, received at now. The datum must be
// valid (ValidateData); its zero Timestamp means now. Add does not allocate
// once the metric's slot exists.
func (a *Aggregator) Add(namespace string, d *Datum, now time.Time) {
	var hashes hashCache
	a.gen++
	k := a.keyOf(&hashes, a.pair(namespace), d, now)
	a.add(a.lookup(k.h, k.id), namespace, d, &k, now.Unix(), retentionSeconds(a.Retention))
}

// AddBatch aggregates the datums of one PutMetricData call, which must be
// valid (ValidateData): Prepare and Apply without the validation.
func (a *Aggregator) AddBatch(namespace string, data []Datum, now time.Time) {
	a.hashBatch(&a.batch, namespace, data, now)
	a.Apply(&a.batch)
}

// keyOf returns the key of d, of the namespace whose hashes are ns,
// received at now.
func (a *Aggregator) keyOf(hashes *hashCache, ns pair, d *Datum, now time.Time) key {
	h, id := hashes.hash(a, ns, d.MetricName, d.Dimensions)
	return key{h: h, id: id, sec: slotStart(d, now), unit: unitCode(d.Unit)}
}

func retentionSeconds(d time.Duration) int64 { return int64(d / time.Second) }

// slotStart returns the start of the slot of d, received at now: its
// timestamp truncated to 10 seconds for high-resolution data, to the
// minute otherwise.
func slotStart(d *Datum, now time.Time) int64 {
	ts := d.Timestamp
	if ts.IsZero() {
		ts = now
	}
	sec := ts.Unix()
	if d.StorageResolution == 1 {
		return sec - mod(sec, slotWidth)
	}
	return sec - mod(sec, 60)
}

// add aggregates d into e. A datum of the head period of the first unit
// takes the fast path, which reads only the entry's first cache line.
func (a *Aggregator) add(e *entry, namespace string, d *Datum, k *key, now, ret int64) {
	if s := &e.series; s.hasHead && s.headStart == k.sec && s.unit == k.unit {
		if k.sec >= now-max(int64(s.keep), ret) {
			s.head.Add(d.Set())
		}
		return
	}
	a.addSlow(e, namespace, d, k, now, ret)
}

// addSlow is add for every datum but one of the head period. A metric's
// first datum always comes here: it records the metric's names.
func (a *Aggregator) addSlow(e *entry, namespace string, d *Datum, k *key, now, ret int64) {
	if !e.named {
		a.name(e, namespace, d)
	}
	s := a.seriesOf(e, k.unit)
	limit := now - max(int64(s.keep), ret)
	if k.sec < limit {
		return // older than anything an evaluation reads
	}
	// Prune first: the slot for the new period then takes the place of
	// one that expired, and the slice does not grow.
	s.prune(limit)
	set := d.Set()
	switch n := len(s.slots); {
	case s.raw:
		i := s.slotIndex(k.sec)
		s.slots[i].set.Add(set)
		s.addRaw(i, d)
	case s.hasHead && k.sec == s.headStart:
		s.head.Add(set)
	case s.hasHead && k.sec > s.headStart:
		s.push()
		s.headStart, s.head, s.hasHead = k.sec, set, true
	case !s.hasHead && (n == 0 || s.slots[n-1].start < k.sec):
		s.headStart, s.head, s.hasHead = k.sec, set, true
	default: // an older period than the newest
		i := s.slotIndex(k.sec)
		s.slots[i].set.Add(set)
	}
}

// push moves the head to the end of the slots.
func (s *series) push() {
	if len(s.slots) == 0 {
		s.oldest = s.headStart
	}
	s.slots = append(s.slots, slot{start: s.headStart, set: s.head})
	s.hasHead = false
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// Unit codes: 1 + the unit's index in units; "" is None (CloudWatch stores
// data sent without a unit as None), 0 is "no unit yet", and otherUnit
// stands for any string outside units, which validation rejects.
var units = slices.Clone(Units)

const otherUnit = math.MaxUint16

// noneCode is unitCode("None"): "None" is the 27th unit.
const noneCode = 27

func unitCode(u string) uint16 {
	if u == "" {
		return noneCode
	}
	if i := slices.Index(units, u); i >= 0 {
		return uint16(i + 1)
	}
	return otherUnit
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

// hash returns the two hashes of an identity (see ref).
func (a *Aggregator) hash(ns, name string, dims []Dimension) (h, id uint64) {
	var c hashCache
	return c.hash(a, a.pair(ns), name, dims)
}

// pair is a string's hash in each of the two lanes (see hashKeys).
type pair struct{ h, id uint64 }

func (a *Aggregator) pair(s string) pair { return a.keys.str(s) }

// hashCache remembers the hashes of the last metric name and of the last
// dimension name: in one PutMetricData call they repeat from datum to
// datum.
type hashCache struct {
	name, dimName string
	hName, hDim   pair
}

func (c *hashCache) hash(a *Aggregator, ns pair, name string, dims []Dimension) (h, id uint64) {
	if name != c.name || c.name == "" {
		c.name, c.hName = name, a.pair(name)
	}
	h, id = mix(ns.h, c.hName.h), mix(ns.id, c.hName.id)
	sorted := true
	for i := 1; i < len(dims) && sorted; i++ {
		sorted = dims[i-1].Name < dims[i].Name
	}
	if sorted { // usually: one dimension, or names already in order
		for i := range dims {
			h, id = c.dim(a, h, id, &dims[i])
		}
		return h, id
	}
	var order [MaxDimensions]uint8
	for _, i := range sortedOrder(dims, &order) {
		h, id = c.dim(a, h, id, &dims[i])
	}
	return h, id
}

// dim mixes one dimension into the running hashes.
func (c *hashCache) dim(a *Aggregator, h, id uint64, d *Dimension) (uint64, uint64) {
	if d.Name != c.dimName || c.dimName == "" {
		c.dimName, c.hDim = d.Name, a.pair(d.Name)
	}
	v := a.pair(d.Value)
	return mix(mix(h, c.hDim.h), v.h), mix(mix(id, c.hDim.id), v.id)
}

// mix combines a running hash with the hash of the next part, in an
// order-sensitive way. Hashing the parts one by one keeps their
// boundaries: ("ab", "c") and ("a", "bc") hash apart.
func mix(h, x uint64) uint64 {
	return bits.RotateLeft64((h^x)*0x9e3779b97f4a7c15, 29) + x
}

// entry returns the entry of ref number n (its number + 1).
func (a *Aggregator) entry(n uint32) *entry {
	k, i := chunkOf(n - 1)
	return &a.chunks[k][i]
}

// find returns the entry of the identity hashes, or nil.
func (a *Aggregator) find(h, id uint64) *entry {
	x, tag := a.index, uint32(h>>32)
	for i := h & x.mask; x.refs[i].n != 0; i = (i + 1) & x.mask {
		if r := x.refs[i]; r.tag == tag {
			if e := a.entry(r.n); e.id == id {
				return e
			}
		}
	}
	return nil
}

// lookup returns the entry of the identity hashes, creating it.
func (a *Aggregator) lookup(h, id uint64) *entry {
	if e := a.find(h, id); e != nil {
		return e
	}
	if k := len(a.free); k > 0 {
		// A freed entry: its number and chunk place are reused.
		num := a.free[k-1]
		a.free = a.free[:k-1]
		e := a.entry(num)
		e.id, e.num = id, num
		a.hashes[num-1] = h
		a.index.place(h, num)
		return e
	}
	n := a.count
	if n == a.capacity {
		size := chunkSize(len(a.chunks))
		a.chunks = append(a.chunks, make([]entry, size))
		a.capacity += size
	}
	a.count++
	e := a.entry(uint32(a.count))
	e.id, e.num = id, uint32(a.count)
	a.hashes = append(a.hashes, h)
	// The index doubles to stay at most 70% full: probes stay short, and
	// a million metrics cost 16 bytes of index each.
	x := a.index
	if 10*a.count > 7*len(x.refs) {
		x = newIndex(2 * len(x.refs))
		for m, h := range a.hashes[:n] {
			if a.entry(uint32(m+1)).num != 0 { // not a freed entry
				x.place(h, uint32(m+1))
			}
		}
		a.index = x
	}
	x.place(h, uint32(a.count))
	return e
}

func (x *index) place(h uint64, n uint32) {
	i := h & x.mask
	for x.refs[i].n != 0 {
		i = (i + 1) & x.mask
	}
	x.refs[i] = ref{tag: uint32(h >> 32), n: n}
}

// seriesOf returns e's series of unit, creating it.
func (a *Aggregator) seriesOf(e *entry, unit uint16) *series {
	if s := &e.series; s.unit == unit {
		return s
	} else if s.unit == 0 {
		s.unit = unit
		return s
	}
	more := a.more[e]
	if more != nil {
		for _, s := range *more {
			if s.unit == unit {
				return s
			}
		}
	} else {
		if a.more == nil {
			a.more = make(map[*entry]*[]*series)
		}
		more = new([]*series)
		a.more[e], e.multi = more, true
	}
	s := &series{unit: unit, keep: e.keep, raw: e.series.raw}
	if s.raw {
		s.samples = new([]rawSlot)
	}
	*more = append(*more, s)
	return s
}

// each calls f for e's series of unit (0 for every unit) that hold data,
// or, with all, for every series.
func (a *Aggregator) each(e *entry, unit uint16, all bool, f func(*series)) {
	if s := &e.series; all || s.unit != 0 && (unit == 0 || s.unit == unit) {
		f(s)
	}
	if !e.multi {
		return
	}
	for _, s := range *a.more[e] {
		if all || unit == 0 || s.unit == unit {
			f(s)
		}
	}
}

// slotIndex returns the index of the slot starting at sec, inserting it.
// The head, if any, is newer than sec.
func (s *series) slotIndex(sec int64) int {
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
	if s.raw {
		*s.samples = slices.Insert(*s.samples, i, rawSlot{})
	}
	return i
}

func (s *series) addRaw(i int, d *Datum) {
	r := &(*s.samples)[i]
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

// prune drops the periods that start before oldest, reusing the storage.
func (s *series) prune(oldest int64) {
	if s.hasHead && s.headStart < oldest {
		// The head is the newest period: everything expired.
		s.hasHead = false
		s.slots = s.slots[:0]
		return
	}
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
	if s.raw {
		raw := *s.samples
		for j := range k {
			raw[j] = rawSlot{}
		}
		*s.samples = append(raw[:0], raw[k:]...)
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
	h, id := a.hash(q.Namespace, q.MetricName, q.Dimensions)
	e := a.lookup(h, id)
	var unit uint16
	if q.Unit != "" {
		unit = unitCode(q.Unit)
	}
	*w = Watch{e: e, a: a, unit: unit, stat: q.Stat, width: int32(min(q.Period/time.Second, math.MaxInt32)), periods: int32(min(q.Periods, math.MaxInt32))}
	e.watches = append(e.watches, w)
	a.update(e)
}

// Unwatch removes w; the metric's data is then kept only as long as the
// remaining watches (and Retention) need.
func (a *Aggregator) Unwatch(w *Watch) {
	e := w.e
	if i := slices.Index(e.watches, w); i >= 0 {
		e.watches = slices.Delete(e.watches, i, i+1)
	}
	a.update(e)
}

// update recomputes what the metric keeps after its watches changed. When
// raw samples become needed, the periods that already hold data are marked
// lost: their samples were not kept.
func (a *Aggregator) update(e *entry) {
	a.gen++
	keep := int32(0)
	raw := false
	// The longest window of each width and unit (few of them: a search
	// of the short list, not a map).
	type group struct {
		width int32
		unit  uint16
		span  int32
	}
	var buf [4]group
	groups := buf[:0]
	for _, w := range e.watches {
		i := slices.IndexFunc(groups, func(g group) bool { return g.width == w.width && g.unit == w.unit })
		if i < 0 {
			i = len(groups)
			groups = append(groups, group{width: w.width, unit: w.unit})
		}
		groups[i].span = max(groups[i].span, w.periods)
	}
	for _, w := range e.watches {
		i := slices.IndexFunc(groups, func(g group) bool { return g.width == w.width && g.unit == w.unit })
		w.span = groups[i].span
		// Clamped: a Watch of the metric package may ask for more than the
		// 68 years an int32 of seconds holds; alarms ask for at most 8 x
		// 7 days.
		keep = max(keep, int32(min(int64(w.width)*(int64(w.periods)+1), math.MaxInt32)))
		raw = raw || w.stat.Extended()
	}
	a.each(e, 0, true, func(s *series) {
		s.keep = keep
		switch {
		case raw && !s.raw:
			if s.hasHead {
				s.push()
			}
			lost := make([]rawSlot, len(s.slots))
			for i := range lost {
				lost[i].lost = true
			}
			s.samples = &lost
		case !raw && s.raw:
			s.samples = nil
		}
		s.raw = raw
	})
}

// Read fills out with the window of len(out) periods that ends at end, the
// oldest first: out[i] covers [end-(len(out)-i)*Period, end-(len(out)-i-1)*Period).
// It does not allocate once the Aggregator's scratch space has grown to
// the largest window.
func (w *Watch) Read(end time.Time, out []Period) { w.read(end, out, true) }

// ReadValues is Read without the periods' Start times, which it leaves as
// they were: for deciding a state, which needs only the values (a
// transition's reason shows the times: Read again for it, which reuses
// what ReadValues computed).
func (w *Watch) ReadValues(end time.Time, out []Period) { w.read(end, out, false) }

func (w *Watch) read(end time.Time, out []Period, times bool) {
	a, n, width := w.a, len(out), int64(w.width)
	e := end.Unix()
	first := e - int64(n)*width
	key := readKey{e: w.e, unit: w.unit, width: w.width, end: e, gen: a.gen}
	if key != a.last || n > a.lastN {
		// The first read of this window: compute the longest one that a
		// watch of the same width reads, for all of them.
		m := max(n, w.shared())
		if cap(a.sets) < m {
			a.sets = make([]StatisticSet, m)
		}
		sets := a.sets[:m]
		clear(sets)
		from := e - int64(m)*width
		if s := &w.e.series; !w.e.multi && (w.unit == 0 || s.unit == w.unit) {
			// One unit (the usual case): no closure call per series.
			s.accumulate(sets, from, width)
		} else {
			a.each(w.e, w.unit, false, func(s *series) { s.accumulate(sets, from, width) })
		}
		a.last, a.lastN = key, m
	}
	sets := a.sets[a.lastN-n : a.lastN]
	if times {
		for i := range out {
			out[i].Start = time.Unix(first+int64(i)*width, 0).UTC()
		}
	}
	// Each field written once; a period without data has Value 0.
	if w.stat.Extended() {
		vals, oks := a.extended(w, key, n)
		for i := range out {
			p, sc := &out[i], sets[i].SampleCount
			v, ok := 0.0, false
			if sc != 0 {
				v, ok = vals[i], oks[i]
			}
			p.Value, p.SampleCount, p.Missing, p.Lower, p.Upper = v, sc, !ok, 0, 0
		}
		return
	}
	stat := w.stat
	for i := range out {
		p, set := &out[i], &sets[i]
		v, ok := stat.FromSet(*set) // (0, false) without data
		p.Value, p.SampleCount, p.Missing, p.Lower, p.Upper = v, set.SampleCount, !ok, 0, 0
	}
}

// maxShared bounds the periods that a read computes for other watches
// (Watch.span): a Watch of this package may ask for any number.
const maxShared = 4096

// shared returns the periods a read of w computes for the watches of its
// width and unit.
func (w *Watch) shared() int { return int(min(w.span, maxShared)) }

// extended returns the watch's extended statistic over each of the n
// periods of the window key names (and whether it could be computed),
// reusing the last computation when another alarm on the metric asked for
// the same statistic over the same window (or a longer one); like the
// statistic sets, it computes the longest window of the watch's width.
func (a *Aggregator) extended(w *Watch, key readKey, n int) ([]float64, []bool) {
	if key != a.ext || w.stat != a.extSt || n > a.extN {
		m := max(n, w.shared())
		if cap(a.extVal) < m {
			a.extVal, a.extOK = make([]float64, m), make([]bool, m)
		}
		vals, oks := a.extVal[:m], a.extOK[:m]
		width := int64(w.width)
		first := key.end - int64(m)*width
		if s := &w.e.series; !w.e.multi && (w.unit == 0 || s.unit == w.unit) {
			// One unit (the usual case): one walk through the window.
			w.walkSamples(s, vals, oks, first, width)
		} else {
			for i := range m {
				start := first + int64(i)*width
				vals[i], oks[i] = w.fromSamples(start, start+width)
			}
		}
		a.ext, a.extSt, a.extN = key, w.stat, m
	}
	return a.extVal[a.extN-n : a.extN], a.extOK[a.extN-n : a.extN]
}

// accumulate adds the slots and the head of the series to sets, the
// statistic sets of len(sets) periods of width seconds from first.
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
	if s.hasHead && s.headStart >= first && s.headStart < last {
		// The head is newer than every slot.
		for s.headStart >= end {
			i++
			end += width
		}
		sets[i].Add(s.head)
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

// walkSamples computes the watch's extended statistic over the raw
// samples of each of the len(vals) periods of width from first, as
// fromSamples does for each, in one walk through the slots of series s
// (the metric's only one).
func (w *Watch) walkSamples(s *series, vals []float64, oks []bool, first, width int64) {
	a := w.a
	j := s.search(first)
	for i := range vals {
		from := first + int64(i)*width
		var lost bool
		a.samples, j, lost = s.gather(a.samples[:0], j, from, from+width)
		vals[i], oks[i] = w.statOf(a.samples, lost)
	}
}

// gather appends to samples the raw samples of the slots from index j
// that start before to, and returns the index of the first slot after
// them; lost reports that some samples of [from, to) were not kept.
func (s *series) gather(samples []Sample, j int, from, to int64) (_ []Sample, next int, lost bool) {
	for ; j < len(s.slots) && s.slots[j].start < to; j++ {
		if !s.raw || j >= len(*s.samples) || (*s.samples)[j].lost {
			lost = true
			continue
		}
		samples = append(samples, (*s.samples)[j].samples...)
	}
	// A series that keeps samples has no head: a head in the period
	// holds data from before samples were kept.
	if s.hasHead && s.headStart >= from && s.headStart < to {
		lost = true
	}
	return samples, j, lost
}

// statOf returns the watch's extended statistic of samples, which it
// sorts (false when some were lost).
func (w *Watch) statOf(samples []Sample, lost bool) (float64, bool) {
	if lost {
		return 0, false
	}
	sortSamples(samples)
	return w.stat.FromSamples(samples)
}

// sortSamples sorts samples by value: by insertion for the few of most
// periods, else by slices.SortFunc.
func sortSamples(samples []Sample) {
	if len(samples) > 12 {
		slices.SortFunc(samples, func(x, y Sample) int { return cmp.Compare(x.Value, y.Value) })
		return
	}
	for i := 1; i < len(samples); i++ {
		for k := i; k > 0 && cmp.Less(samples[k].Value, samples[k-1].Value); k-- {
			samples[k], samples[k-1] = samples[k-1], samples[k]
		}
	}
}

// fromSamples computes the watch's extended statistic over the raw samples
// of [from, to); ok is false when some of them were not kept.
func (w *Watch) fromSamples(from, to int64) (float64, bool) {
	a := w.a
	a.samples = a.samples[:0]
	lost := false
	a.each(w.e, w.unit, false, func(s *series) {
		var l bool
		a.samples, _, l = s.gather(a.samples, s.search(from), from, to)
		lost = lost || l
	})
	return w.statOf(a.samples, lost)
}

// name records the identity of e from its first datum, of namespace. The
// strings that repeat from metric to metric (namespaces, metric names,
// dimension names) are kept once; dimension values are copied, so that
// the caller's memory is not retained.
func (a *Aggregator) name(e *entry, namespace string, d *Datum) {
	id := &Identity{Namespace: a.intern(namespace), MetricName: a.intern(d.MetricName)}
	if len(d.Dimensions) > 0 {
		id.Dimensions = make([]Dimension, len(d.Dimensions))
		for i, dim := range d.Dimensions {
			id.Dimensions[i] = Dimension{Name: a.intern(dim.Name), Value: strings.Clone(dim.Value)}
		}
		slices.SortFunc(id.Dimensions, func(x, y Dimension) int { return cmp.Compare(x.Name, y.Name) })
	}
	for int(e.num) > len(a.idents) {
		a.idents = append(a.idents, nil)
	}
	a.idents[e.num-1] = id
	e.named = true
}

func (a *Aggregator) intern(s string) string {
	if v, ok := a.interned[s]; ok {
		return v
	}
	if a.interned == nil {
		a.interned = make(map[string]string)
	}
	if len(a.interned) >= maxInterned {
		return strings.Clone(s) // a bounded table: many distinct names are copied
	}
	v := strings.Clone(s)
	a.interned[v] = v
	return v
}

// maxInterned bounds the table of shared names.
const maxInterned = 1 << 16

// Metrics calls f with the identity of every metric that has received
// data and is still kept, until f returns false. The order is unspecified.
// f must not keep the Identity's Dimensions slice or change it.
func (a *Aggregator) Metrics(f func(Identity) bool) {
	for _, id := range a.idents {
		if id != nil && !f(*id) {
			return
		}
	}
}

// Len returns the number of metrics the Aggregator holds (watched ones
// included, freed ones not).
func (a *Aggregator) Len() int { return a.count - len(a.free) }

// Sweep visits up to budget metrics, from where the last Sweep stopped,
// and frees those that no Watch reads and whose newest data is older than
// Retention before now: their slots and names are released, and their
// index position and entry are reused by the next new metric. It returns
// the number of metrics freed. Called regularly (the engine sweeps at
// every evaluation), it keeps memory proportional to the metrics that
// report (or are watched), not to every metric ever seen: a metric that
// stops reporting is freed within Retention plus one sweep cycle.
func (a *Aggregator) Sweep(now time.Time, budget int) int {
	if a.count == 0 {
		return 0
	}
	limit := now.Unix() - retentionSeconds(a.Retention)
	freed := 0
	for range min(budget, a.count) {
		if a.sweep >= uint32(a.count) {
			a.sweep = 0
		}
		a.sweep++
		e := a.entry(a.sweep)
		if e.num != 0 && len(e.watches) == 0 && a.newest(e) < limit {
			a.release(e)
			freed++
		}
	}
	return freed
}

// newest returns the start of e's newest period with data, over all its
// units (math.MinInt64 for none).
func (a *Aggregator) newest(e *entry) int64 {
	newest := int64(math.MinInt64)
	a.each(e, 0, true, func(s *series) {
		if s.hasHead {
			newest = max(newest, s.headStart)
		} else if n := len(s.slots); n > 0 {
			newest = max(newest, s.slots[n-1].start)
		}
	})
	return newest
}

// release frees e: it leaves the index, its storage is dropped and its
// number goes to the free list.
func (a *Aggregator) release(e *entry) {
	a.gen++
	num := e.num
	a.index.remove(a.hashes[num-1], num, a.hashes)
	if e.multi {
		delete(a.more, e)
	}
	if int(num) <= len(a.idents) {
		a.idents[num-1] = nil
	}
	*e = entry{}
	a.free = append(a.free, num)
}

// remove deletes the position of entry number n (+1) placed with hash h,
// shifting later positions of its probe sequence back (linear probing
// needs no tombstones that way); hashes holds every entry's hash, by
// number.
func (x *index) remove(h uint64, n uint32, hashes []uint64) {
	i := h & x.mask
	for x.refs[i].n != n {
		if x.refs[i].n == 0 {
			return // not placed
		}
		i = (i + 1) & x.mask
	}
	for j := i; ; {
		j = (j + 1) & x.mask
		if x.refs[j].n == 0 {
			break
		}
		k := hashes[x.refs[j].n-1] & x.mask // the home position of j's entry
		// j's entry may move to i unless its home lies cyclically in (i, j].
		if i <= j && i < k && k <= j || i > j && (i < k || k <= j) {
			continue
		}
		x.refs[i] = x.refs[j]
		i = j
	}
	x.refs[i] = ref{}
}
