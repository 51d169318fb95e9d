package metric

import (
	"math/bits"
	"math/rand/v2"
)

// hashKeys are the random keys of a two-lane string hash: wyhash, the hash
// the Go runtime uses for maps on processors without AES instructions,
// computed with two independent key sets over the same loads. Both lanes
// together take about a third of the time of two hash/maphash calls on
// the short strings that metric identities are made of.
type hashKeys struct {
	k1, k2, s1, s2 uint64 // lane 1: k1 and seed s1; lane 2: k2 and s2
}

func newHashKeys() hashKeys {
	// Random per Aggregator (math/rand/v2's generator is seeded from the
	// operating system): an outsider cannot choose identities that
	// collide.
	return hashKeys{k1: rand.Uint64() | 1, k2: rand.Uint64() | 1, s1: rand.Uint64(), s2: rand.Uint64()}
}

// seededKeys derives the keys from seed with splitmix64, so that every
// Aggregator made with the same seed hashes identities alike (across
// processes: persisted state, partitioning by metric identity).
func seededKeys(seed uint64) hashKeys {
	next := func() uint64 {
		seed += 0x9e3779b97f4a7c15
		z := seed
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		return z ^ z>>31
	}
	return hashKeys{k1: next() | 1, k2: next() | 1, s1: next(), s2: next()}
}

const wyM5 = 0x1d8e4e27c47d124f

// mum is wyhash's mixing step: the two halves of the 128-bit product,
// folded.
func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// str returns the two hashes of s.
func (k *hashKeys) str(s string) pair {
	n := len(s)
	var a, b uint64
	seed1, seed2 := k.s1, k.s2
	switch {
	case n == 0:
	case n < 4:
		a = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
	case n <= 8:
		a, b = r4(s), r4(s[n-4:])
	case n <= 16:
		a, b = r8(s), r8(s[n-8:])
	default:
		p := s
		for len(p) > 16 {
			x, y := r8(p), r8(p[8:])
			seed1 = mum(x^k.k1, y^seed1)
			seed2 = mum(x^k.k2, y^seed2)
			p = p[16:]
		}
		// The last 16 bytes of s (overlapping what the loop took when
		// fewer than 16 are left).
		a, b = r8(s[n-16:]), r8(s[n-8:])
	}
	return pair{
		h:  mum(wyM5^uint64(n), mum(a^k.k1, b^seed1)),
		id: mum(wyM5^uint64(n)^k.s2, mum(a^k.k2, b^seed2)),
	}
}

func r4(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

func r8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
