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

// envelope is, per daily slot, a weighted mean over past days of the
// day's largest absolute residual within envWidth of the slot's time of
// day, scaled to a standard deviation by the largest |z| expected of that
// many normal residuals. It widens the band at the times of day when the
// metric has spiked on previous days (a nightly job), even if the spike
// drifts by up to envWidth, and hardly elsewhere.
type envelope struct {
	mean  []float64 // per slot: the weighted mean of past days' maxima
	n     []uint32  // ... how many days it has
	day   []int64   // the day whose maximum cur holds (noWeek: none)
	cur   []float64
	slot  int64 // seconds per slot
	j     int64 // slots on each side that a slot covers
	norm  float64
	minWt float64
}

func (e *envelope) init(slots int, slot, period int64, p params) {
	e.mean = make([]float64, slots)
	e.n = make([]uint32, slots)
	e.day = make([]int64, slots)
	e.cur = make([]float64, slots)
	e.slot = slot
	e.j = min(int64(math.Ceil(p.envWidth/float64(slot))), int64(slots-1)/2)
	samples := float64(2*e.j+1) * float64(slot) / float64(period)
	e.norm = math.Sqrt(2 * math.Log(max(samples, 2)))
	e.minWt = p.envMin
	e.reset()
}

func (e *envelope) reset() {
	clear(e.mean)
	clear(e.n)
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
// days before l's, and whether it has any.
func (e *envelope) at(d, l int64) (float64, bool) {
	mean, n := e.mean[d], e.n[d]
	if cur := e.day[d]; cur != noWeek && cur < e.occurrence(d, l) {
		// The day being accumulated is over: it counts.
		g := max(1/float64(n+1), e.minWt)
		mean += g * (e.cur[d] - mean)
		n++
	}
	return mean / e.norm, n > 0
}

// add records the absolute residual a of the period at local second l,
// in slot d0, in the slots whose time of day it is close to.
func (e *envelope) add(d0, l int64, a float64) {
	slots := int64(len(e.mean))
	for o := -e.j; o <= e.j; o++ {
		d := floorMod(d0+o, slots)
		occ := e.occurrence(d, l)
		if cur := e.day[d]; cur != occ {
			if cur != noWeek && cur < occ {
				n := e.n[d]
				g := max(1/float64(n+1), e.minWt)
				e.mean[d] += g * (e.cur[d] - e.mean[d])
				if n < math.MaxUint32 {
					e.n[d] = n + 1
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
	tailMinCount      = 64 // residuals before the quantile is used
)

// sigma returns the spread the quantile stands for, q over the quantile of
// |Z| at p for a standard normal Z, or 0 before tailMinCount residuals.
func (t *tail) sigma(p float64) float64 {
	if t.n < tailMinCount {
		return 0
	}
	return t.q / (math.Sqrt2 * math.Erfinv(p))
}

func (t *tail) bin(a float64) *float64 {
	switch b := math.Floor((math.Log10(a) - tailMinExp) * tailBinsPerDecade); {
	case a == 0 || b < 0:
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
