package metric

import (
	"testing"
	"time"
	"unsafe"
)

// The group's size keeps it in the allocator's 128-byte class, whose
// objects are 64-byte aligned, and its hot fields in the first 64 bytes.
func TestGroupLayout(t *testing.T) {
	var g group
	if size := unsafe.Sizeof(g); size <= 112 || size > 128 {
		t.Errorf("group is %d bytes, want 113 to 128 (the 128-byte size class)", size)
	}
	for name, end := range map[string]uintptr{
		"id":      unsafe.Offsetof(g.id) + unsafe.Sizeof(g.id),
		"oldest":  unsafe.Offsetof(g.series) + unsafe.Offsetof(g.series.oldest) + unsafe.Sizeof(g.series.oldest),
		"horizon": unsafe.Offsetof(g.horizon) + unsafe.Sizeof(g.horizon),
		"raw":     unsafe.Offsetof(g.raw) + unsafe.Sizeof(g.raw),
		"multi":   unsafe.Offsetof(g.multi) + unsafe.Sizeof(g.multi),
		"slots":   unsafe.Offsetof(g.series) + unsafe.Offsetof(g.series.slots) + unsafe.Sizeof(g.series.slots),
		"unit":    unsafe.Offsetof(g.series) + unsafe.Offsetof(g.series.unit) + unsafe.Sizeof(g.series.unit),
	} {
		if end > 64 {
			t.Errorf("%s ends at byte %d, past the first cache line", name, end)
		}
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
