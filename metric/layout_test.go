package metric

import (
	"testing"
	"time"
	"unsafe"
)

// An entry is 128 bytes, so that the entries of a chunk (which the
// allocator aligns to a page) are aligned to 128, and what ingest reads for
// a datum of the newest period is in the first 64 bytes.
func TestEntryLayout(t *testing.T) {
	var e entry
	if size := unsafe.Sizeof(e); size != 128 {
		t.Errorf("entry is %d bytes, want 128", size)
	}
	for k := range chunkSteps + 2 {
		if size := uintptr(chunkSize(k)) * unsafe.Sizeof(e); size <= 32<<10 || size%4096 != 0 {
			t.Errorf("chunk %d is %d bytes, want a multiple of the 4 KiB page above the 32 KiB of small objects", k, size)
		}
	}
	s := unsafe.Offsetof(e.series)
	for name, end := range map[string]uintptr{
		"id":        unsafe.Offsetof(e.id) + unsafe.Sizeof(e.id),
		"unit":      s + unsafe.Offsetof(e.series.unit) + unsafe.Sizeof(e.unit),
		"hasHead":   s + unsafe.Offsetof(e.series.hasHead) + unsafe.Sizeof(e.hasHead),
		"keep":      s + unsafe.Offsetof(e.series.keep) + unsafe.Sizeof(e.keep),
		"headStart": s + unsafe.Offsetof(e.series.headStart) + unsafe.Sizeof(e.headStart),
		"head":      s + unsafe.Offsetof(e.series.head) + unsafe.Sizeof(e.head),
		"oldest":    s + unsafe.Offsetof(e.series.oldest) + unsafe.Sizeof(e.oldest),
	} {
		if end > 64 {
			t.Errorf("%s ends at byte %d, past the first cache line", name, end)
		}
	}
}

// Every unit has its own code, "" is None's, and a string outside Units
// has the code of no unit.
func TestUnitCodes(t *testing.T) {
	codes := map[uint16]string{}
	for _, u := range Units {
		c := unitCode(u)
		if c == 0 || c == otherUnit || codes[c] != "" {
			t.Errorf("unitCode(%q) = %d, want a code of its own", u, c)
		}
		codes[c] = u
	}
	if got := unitCode(""); got != noneCode || codes[got] != "None" {
		t.Errorf(`unitCode("") = %d, want None's code %d`, got, unitCode("None"))
	}
	if got := unitCode("Furlongs"); got != otherUnit {
		t.Errorf(`unitCode("Furlongs") = %d, want otherUnit`, got)
	}
}

// A Watch longer than an int32 of seconds keeps everything instead of
// wrapping around to a negative horizon.
func TestHugeHorizon(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	a := NewAggregator(15 * time.Minute)
	stat, _ := ParseStatistic("Sum")
	w := a.Watch(Query{Namespace: "App", MetricName: "m", Stat: stat, Period: 30 * 24 * time.Hour, Periods: 1000})
	d := Datum{MetricName: "m", Timestamp: now.Add(-time.Hour), Value: 1}
	a.Add("App", &d, now)
	out := make([]Period, 1)
	w.Read(now.Add(time.Minute), out)
	if out[0].Missing || out[0].Value != 1 {
		t.Errorf("period = %+v, want the datum of an hour ago", out[0])
	}
}

// chunkOf numbers the entries of the chunks one after the other, without
// gaps or overlaps.
func TestChunkOf(t *testing.T) {
	m := uint32(0)
	for k := range chunkSteps + 3 {
		for i := range chunkSize(k) {
			if gk, gi := chunkOf(m); gk != k || gi != i {
				t.Fatalf("chunkOf(%d) = %d, %d; want %d, %d", m, gk, gi, k, i)
			}
			m++
		}
	}
}
