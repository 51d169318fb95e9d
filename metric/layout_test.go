package metric

import (
	"testing"
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
