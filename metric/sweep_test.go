package metric

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Reference vectors: with a seed, identity hashes are the same in every
// process and on every machine. A change to the hash changes these (and
// breaks state persisted or partitioned by identity): it must be
// deliberate.
func TestSeededHashVectors(t *testing.T) {
	a := NewSeededAggregator(time.Minute, 42)
	b := NewSeededAggregator(time.Minute, 42)
	c := NewSeededAggregator(time.Minute, 43)
	tests := []struct {
		ns, name string
		dims     []Dimension
		h, id    uint64
	}{
		{"AWS/EC2", "CPUUtilization", []Dimension{{Name: "InstanceId", Value: "i-0123456789abcdef0"}}, 0xdaf6f0e3297ba15f, 0x671d7e9244eaf582},
		{"App", "Latency", nil, 0xeb5d33668f34c956, 0xfa375ca4ad234750},
		{"App", "Latency", []Dimension{{Name: "b", Value: "2"}, {Name: "a", Value: "1"}}, 0x612780d40f03d908, 0xd1bcde1f6e02a412},
	}
	for _, tt := range tests {
		h, id := a.hash(tt.ns, tt.name, tt.dims)
		if h2, id2 := b.hash(tt.ns, tt.name, tt.dims); h2 != h || id2 != id {
			t.Errorf("%s %s: two Aggregators with seed 42 disagree", tt.ns, tt.name)
		}
		if h3, _ := c.hash(tt.ns, tt.name, tt.dims); h3 == h {
			t.Errorf("%s %s: seeds 42 and 43 hash alike", tt.ns, tt.name)
		}
		if h != tt.h || id != tt.id {
			t.Errorf("%s %s %v: hashes %#x, %#x; the reference vector is %#x, %#x", tt.ns, tt.name, tt.dims, h, id, tt.h, tt.id)
		}
	}
}

// TestIndexRemoveModel: random inserts and frees against a map, so that
// the backward-shift deletion of the index never loses or finds a wrong
// entry, whatever the collisions.
func TestIndexRemoveModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	a := NewAggregator(time.Minute)
	live := map[[2]uint64]*entry{}
	var keys [][2]uint64
	for step := range 20000 {
		if len(keys) > 0 && rng.IntN(3) == 0 {
			i := rng.IntN(len(keys))
			k := keys[i]
			keys = slices.Delete(keys, i, i+1)
			a.release(live[k])
			delete(live, k)
		} else {
			// Few distinct low bits: long probe sequences and wraps.
			k := [2]uint64{rng.Uint64()&^0xffff | uint64(rng.IntN(64)), rng.Uint64()}
			if _, ok := live[k]; ok {
				continue
			}
			live[k] = a.lookup(k[0], k[1])
			keys = append(keys, k)
		}
		if step%997 == 0 || step == 19999 {
			for k, e := range live {
				if got := a.find(k[0], k[1]); got != e {
					t.Fatalf("step %d: find(%x) = %p, want %p", step, k, got, e)
				}
			}
		}
	}
	if a.Len() != len(live) {
		t.Errorf("Len = %d, want %d", a.Len(), len(live))
	}
}

// TestSweepFreesUnwatchedMetrics: a metric that no alarm watches is freed
// once its newest data is older than Retention, with its name; a watched
// one, or one with recent data, is kept; a freed entry is reused.
func TestSweepFreesUnwatchedMetrics(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	a := NewAggregator(15 * time.Minute)
	sum, _ := ParseStatistic("Sum")
	w := a.Watch(Query{Namespace: "App", MetricName: "watched", Dimensions: []Dimension{{Name: "Host", Value: "h1"}}, Stat: sum, Period: time.Minute, Periods: 3})
	for _, name := range []string{"watched", "old", "recent"} {
		ts := now.Add(-20 * time.Minute)
		if name == "recent" {
			ts = now.Add(-5 * time.Minute)
		}
		a.Add("App", &Datum{MetricName: name, Dimensions: []Dimension{{Name: "Host", Value: "h1"}}, Timestamp: ts, Value: 1}, ts)
	}
	listed := func() []string {
		var out []string
		a.Metrics(func(id Identity) bool {
			out = append(out, id.MetricName)
			return true
		})
		slices.Sort(out)
		return out
	}
	if diff := cmp.Diff([]string{"old", "recent", "watched"}, listed()); diff != "" {
		t.Errorf("metrics before the sweep (-want +got):\n%s", diff)
	}
	if n := a.Sweep(now, 100); n != 1 {
		t.Errorf("Sweep freed %d metrics, want 1 (old)", n)
	}
	if diff := cmp.Diff([]string{"recent", "watched"}, listed()); diff != "" {
		t.Errorf("metrics after the sweep (-want +got):\n%s", diff)
	}
	// The freed entry is reused, and the new metric is found.
	a.Add("App", &Datum{MetricName: "new", Timestamp: now, Value: 2}, now)
	if a.Len() != 3 || a.count != 3 {
		t.Errorf("Len %d, entries ever %d; want 3 and 3 (the new metric reuses the freed entry)", a.Len(), a.count)
	}
	out := make([]Period, 3)
	w.Read(now.Add(-19*time.Minute), out)
	if out[2].Missing || out[2].Value != 1 {
		t.Errorf("the watched metric's data = %+v, want 1 at the newest period", out[2])
	}
	a.Unwatch(w)
	if n := a.Sweep(now.Add(time.Hour), 100); n != 3 {
		t.Errorf("after Unwatch, an hour later: Sweep freed %d, want all 3", n)
	}
	if a.Len() != 0 || len(listed()) != 0 {
		t.Errorf("after freeing everything: Len %d, %d listed", a.Len(), len(listed()))
	}
}

// TestChurnHeapIsFlat: metrics that come and go (instance IDs) do not grow
// the heap: each hour 2,000 new metrics report for an hour, then stop; with
// the engine's sweeping, the heap after ten such hours is about what it
// was after two.
func TestChurnHeapIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the churn soak takes a few seconds")
	}
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	a := NewAggregator(15 * time.Minute)
	const perHour = 2000
	batch := make([]Datum, 0, 1000)
	flush := func(now time.Time) {
		if len(batch) > 0 {
			a.AddBatch("Churn", batch, now)
			batch = batch[:0]
		}
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var after2 uint64
	for hour := range 10 {
		for minute := range 60 {
			now := start.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
			for i := range perHour {
				batch = append(batch, Datum{MetricName: "CPU", Dimensions: []Dimension{{Name: "InstanceId", Value: fmt.Sprintf("i-%d-%d", hour, i)}}, Timestamp: now, Value: 1})
				if len(batch) == cap(batch) {
					flush(now)
				}
			}
			flush(now)
			a.Sweep(now, 1000)
		}
		if hour == 1 {
			after2 = heap()
		}
	}
	after10 := heap()
	if a.Len() > 3*perHour {
		t.Errorf("%d metrics held after 10 hours of churn, want at most about %d (the last hour's and the expiring ones)", a.Len(), 2*perHour)
	}
	if after10 > after2+after2/4 {
		t.Errorf("heap %d KiB after 10 hours, %d KiB after 2: it grows with every metric ever seen", after10>>10, after2>>10)
	}
	t.Logf("heap after 2 hours %d KiB, after 10 hours %d KiB; %d metrics held", after2>>10, after10>>10, a.Len())
}
