package anomaly

import "math"

// The model's three estimates of spread. None keeps past residuals: each
// is a fixed-size summary updated in O(1) (the tail in O(bins)). gonum's
// stat functions work on a whole sample, which the model does not keep,
// so these are written here.

// tracker is an exponentially weighted mean of a candidate's squared
// forecast errors; once it has minN errors, each new one is clipped at
// clip times the current root mean square (a Huber-type estimate, so that
// one outlier moves it by a bounded amount).
type tracker struct {
	e2 float64
	n  int
}

func (t *tracker) add(e, rate, clip float64, minN int) {
	e *= e
	if t.n >= minN && t.e2 > 0 {
		e = min(e, clip*clip*t.e2)
	}
	t.n++
	a := max(1/float64(t.n), rate)
	t.e2 += a * (e - t.e2)
}

// envelope is, per daily slot, the median over the last envDays days of
// the day's largest absolute residual within envWidth of the slot's time
// of day, scaled to a standard deviation by the largest |z| expected of
// that many normal residuals. It widens the band at the times of day when
// the metric spiked on most recent days (a nightly job), even if the spike
// drifts by up to envWidth, and not where a spike came once.
type envelope struct {
	max  [][envDays]float32 // per slot: the maxima of the last days, a ring
	n    []uint8            // ... how many it holds
	pos  []uint8            // ... where the next goes once it is full
	day  []int64            // the day whose maximum cur holds (noWeek: none)
	cur  []float64
	slot int64 // seconds per slot
	j    int64 // slots on each side that a slot covers
	norm float64
}

const envDays = 5

func (e *envelope) init(slots int, slot, period int64, p params) {
	e.max = make([][envDays]float32, slots)
	e.n = make([]uint8, slots)
	e.pos = make([]uint8, slots)
	e.day = make([]int64, slots)
	e.cur = make([]float64, slots)
	e.slot = slot
	e.j = min(int64(math.Ceil(p.envWidth/float64(slot))), int64(slots-1)/2)
	samples := float64(2*e.j+1) * float64(slot) / float64(period)
	e.norm = math.Sqrt(2 * math.Log(max(samples, 2)))
	e.reset()
}

func (e *envelope) reset() {
	clear(e.max)
	clear(e.n)
	clear(e.pos)
	clear(e.cur)
	for i := range e.day {
		e.day[i] = noWeek
	}
}

// occurrence returns the local day of the occurrence of slot d's middle
// nearest to local second l.
func (e *envelope) occurrence(d, l int64) int64 {
	mid := d*e.slot + e.slot/2
	return floorDiv(l-mid+day/2, day)
}

// at returns the spread slot d stands for at local second l, from the
// days before l's, and whether it has any: the lower median of their
// maxima (the middle one of 3 or 5, the smaller of 2, the second of 4).
func (e *envelope) at(d, l int64) (float64, bool) {
	var buf [envDays + 1]float64
	n := int(e.n[d])
	for k := range n {
		buf[k] = float64(e.max[d][k])
	}
	if cur := e.day[d]; cur != noWeek && cur < e.occurrence(d, l) {
		// The day being accumulated is over: it counts, in place of the
		// oldest when the ring is full.
		if n == envDays {
			buf[e.oldest(d, n)] = e.cur[d]
		} else {
			buf[n] = e.cur[d]
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	v := buf[:n]
	for i := 1; i < n; i++ { // insertion sort: at most 6 values
		for k := i; k > 0 && v[k] < v[k-1]; k-- {
			v[k], v[k-1] = v[k-1], v[k]
		}
	}
	return v[(n-1)/2] / e.norm, true
}

// oldest returns the ring index of slot d's oldest maximum when the ring
// is full: the next one to be overwritten.
func (e *envelope) oldest(d int64, n int) int { return e.next(d, n) }

// next returns the ring index slot d's next maximum goes to.
func (e *envelope) next(d int64, n int) int {
	if n < envDays {
		return n
	}
	return int(e.pos[d])
}

// add records the absolute residual a of the period at local second l,
// in slot d0, in the slots whose time of day it is close to.
func (e *envelope) add(d0, l int64, a float64) {
	slots := int64(len(e.max))
	for o := -e.j; o <= e.j; o++ {
		d := floorMod(d0+o, slots)
		occ := e.occurrence(d, l)
		if cur := e.day[d]; cur != occ {
			if cur != noWeek && cur < occ {
				n := int(e.n[d])
				e.max[d][e.next(d, n)] = float32(e.cur[d])
				if n < envDays {
					e.n[d]++
				} else {
					e.pos[d] = (e.pos[d] + 1) % envDays
				}
			}
			e.day[d], e.cur[d] = occ, 0
		}
		e.cur[d] = max(e.cur[d], a)
	}
}

// tail estimates a high quantile of the banding forecast's absolute
// residuals, each weighted by e^(-age/tailTau): a forgetting histogram over
// log10 |r| (tailBinsPerDecade bins per decade from 1e-12 to 1e12, one bin
// for 0). However large, an outlier adds the weight of one residual, so
// the quantile moves as it would for any residual above it.
type tail struct {
	bins  [tailBins]float64
	zero  float64
	total float64
	w     float64 // the weight of the next residual (it grows; rescaled)
	n     int
	q     float64 // the quantile
}

const (
	tailBinsPerDecade = 8
	tailMinExp        = -12
	tailBins          = 24 * tailBinsPerDecade
	tailMinCount      = 200 // residuals before the quantile is used
)

// sigma returns the spread the quantile stands for, q over z (the
// quantile of |Z| at p for a standard normal Z), or 0 before tailMinCount
// residuals.
func (t *tail) sigma(z float64) float64 {
	if t.n < tailMinCount {
		return 0
	}
	return t.q / z
}

// zOfAbs returns the quantile of |Z| at p for a standard normal Z.
func zOfAbs(p float64) float64 { return math.Sqrt2 * math.Erfinv(p) }

func (t *tail) bin(a float64) *float64 {
	switch b := math.Floor((math.Log10(a) - tailMinExp) * tailBinsPerDecade); {
	case !(b >= 0): // 0, tiny, or NaN (which the value limit rules out)
		return &t.zero
	case b >= tailBins:
		return &t.bins[tailBins-1]
	default:
		return &t.bins[int(b)]
	}
}

// add records the absolute residual a and returns the weight it got.
func (t *tail) add(a, p, growth float64) float64 {
	if t.w == 0 {
		t.w = 1
	}
	w := t.w
	*t.bin(a) += w
	t.total += w
	t.n++
	t.w *= growth
	if t.w > 1e100 {
		for i := range t.bins {
			t.bins[i] *= 1e-100
		}
		t.zero *= 1e-100
		t.total *= 1e-100
		t.w *= 1e-100
		w *= 1e-100
	}
	t.refresh(p)
	return w
}

// remove takes back a residual that add recorded with weight w.
func (t *tail) remove(a, w, p float64) {
	b := t.bin(a)
	*b = max(0, *b-w)
	t.total = max(0, t.total-w)
	t.n--
	t.refresh(p)
}

// refresh recomputes the quantile: it walks down from the top bin until
// the weight above reaches 1-p of the total, interpolating within the bin
// on the log scale.
func (t *tail) refresh(p float64) {
	above := (1 - p) * t.total
	t.q = 0
	for i := tailBins - 1; i >= 0; i-- {
		c := t.bins[i]
		if c >= above && c > 0 {
			t.q = math.Pow(10, tailMinExp+(float64(i)+1-above/c)/tailBinsPerDecade)
			return
		}
		above -= c
	}
}
