package metric

import (
	"fmt"
	"strings"
	"testing"
)

// Every byte of a string counts, in both lanes: changing any one byte of
// a string of any length up to 100 changes both hashes.
func TestHashReadsEveryByte(t *testing.T) {
	k := newHashKeys()
	for n := 0; n <= 100; n++ {
		b := []byte(strings.Repeat("x", n))
		base := k.str(string(b))
		for i := range b {
			for _, c := range []byte{'y', 0, 0x80} {
				b[i] = c
				got := k.str(string(b))
				if got.h == base.h || got.id == base.id {
					t.Errorf("length %d: byte %d set to %#x leaves a hash unchanged (%x -> %x)", n, i, c, base, got)
				}
				b[i] = 'x'
			}
		}
		if n > 0 && k.str(string(b[:n-1])) == base {
			t.Errorf("length %d hashes like its prefix of length %d", n, n-1)
		}
	}
}

// No two of 200,000 strings that differ as identities do (a counter in
// an instance ID; lengths across the 4-, 8- and 16-byte boundaries of the
// hash) share a hash in either lane.
func TestHashNoCollisions(t *testing.T) {
	k := newHashKeys()
	seenH := make(map[uint64]string)
	seenID := make(map[uint64]string)
	add := func(s string) {
		p := k.str(s)
		if o, ok := seenH[p.h]; ok && o != s {
			t.Fatalf("first lane: %q and %q collide", o, s)
		}
		if o, ok := seenID[p.id]; ok && o != s {
			t.Fatalf("second lane: %q and %q collide", o, s)
		}
		seenH[p.h], seenID[p.id] = s, s
	}
	for i := range 100_000 {
		add(fmt.Sprintf("i-%08x", i))                  // 10 bytes
		add(strings.Repeat("a", i%24) + fmt.Sprint(i)) // 1 to 28 bytes
	}
}

// The two lanes are independent: equal first hashes do not imply equal
// second ones, and keys differ from one Aggregator to the next.
func TestHashKeysDiffer(t *testing.T) {
	a, b := newHashKeys(), newHashKeys()
	if a == b {
		t.Fatal("two Aggregators drew the same hash keys")
	}
	if a.str("CPUUtilization") == b.str("CPUUtilization") {
		t.Error("the same string hashes alike under different keys")
	}
	if p := a.str("CPUUtilization"); p.h == p.id {
		t.Error("the two lanes give the same hash")
	}
}

func BenchmarkHash(b *testing.B) {
	k := newHashKeys()
	var sink uint64
	for b.Loop() {
		p := k.str("i-0123abcd")
		sink += p.h ^ p.id
	}
	_ = sink
}
