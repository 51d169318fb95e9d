package metric_test

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// BenchmarkMemoryFloor measures what ingest's memory access costs on this
// machine before any work: one op is one random key of a million, handled
// as Apply handles a datum, in passes over chunks of 64 keys (the loads of
// a pass overlap). It does not use the Aggregator: it is the floor that
// the Aggregator's layout is measured against (see BENCHMARKS.md).
//
//   - line: one random 64-byte line per key (a table of 2^21 lines),
//     loaded, then written.
//   - index+entry: the Aggregator's layout: an 8-byte index position
//     (2^21 of them, half full, linear probing on a 32-bit tag), then a
//     128-byte entry of a million in one array, loaded, then written.
func BenchmarkMemoryFloor(b *testing.B) {
	f := memFloor()
	const chunk = 64
	b.Run("line", func(b *testing.B) {
		mask := uint64(len(f.lines) - 1)
		var sink uint64
		for done := 0; done < b.N; done += chunk {
			ks := f.keys[done&(len(f.keys)-1):][:chunk]
			for _, h := range ks {
				sink += f.lines[h&mask][0]
			}
			for _, h := range ks {
				f.lines[h&mask][1]++
			}
		}
		floorSink = sink
	})
	b.Run("index+entry", func(b *testing.B) {
		mask := uint64(len(f.index) - 1)
		var found [chunk]*[16]uint64
		var sink uint64
		for done := 0; done < b.N; done += chunk {
			ks := f.keys[done&(len(f.keys)-1):][:chunk]
			for _, h := range ks {
				sink += uint64(f.index[h&mask].n)
			}
			for i, h := range ks {
				found[i] = nil
				for j, tag := h&mask, uint32(h>>32); f.index[j].n != 0; j = (j + 1) & mask {
					if r := f.index[j]; r.tag == tag {
						found[i] = &f.entries[r.n-1]
						break
					}
				}
			}
			for _, e := range found {
				sink += e[0]
			}
			for _, e := range found {
				e[1]++
			}
		}
		floorSink = sink
	})
}

var floorSink uint64

type floorRef struct{ tag, n uint32 }

type floorData struct {
	lines   [][8]uint64
	index   []floorRef
	entries [][16]uint64
	keys    []uint64 // hashes of existing entries, in random order
}

var (
	floorOnce sync.Once
	floor     *floorData
)

func memFloor() *floorData {
	floorOnce.Do(func() {
		const n = 1_000_000
		r := rand.New(rand.NewPCG(1, 2))
		f := &floorData{lines: make([][8]uint64, 1<<21), index: make([]floorRef, 1<<21), entries: make([][16]uint64, n)}
		hashes := make([]uint64, n)
		mask := uint64(len(f.index) - 1)
		for i := range hashes {
			h := r.Uint64()
			hashes[i] = h
			j := h & mask
			for f.index[j].n != 0 {
				j = (j + 1) & mask
			}
			f.index[j] = floorRef{tag: uint32(h >> 32), n: uint32(i + 1)}
			f.entries[i][0] = h
		}
		for i := range f.lines { // fault the pages in before timing
			f.lines[i][0] = uint64(i)
		}
		f.keys = make([]uint64, 1<<20)
		for i := range f.keys {
			f.keys[i] = hashes[r.IntN(n)]
		}
		floor = f
	})
	runtime.GC()
	return floor
}
