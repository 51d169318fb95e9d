package anomaly

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Forecast candidates: the model keeps each one's forecast error and
// bands with the one whose error is smallest.
const (
	candFast        = iota // fast exponential smoothing of the value: no seasonality
	candDaily              // level + trend + daily profile
	candDailyShort         // ... + short-term offset
	candWeekly             // level + trend + daily profile + weekly offsets
	candWeeklyShort        // ... + short-term offset
	nCand
)

// params are the model's constants. They are set once for every metric;
// the package documentation says how they were chosen.
type params struct {
	levelTau  float64 // s: time constant of the level
	trendWt   float64 // weight of a new day's level change in the trend
	trendTau  float64 // s: damping of the trend over a forecast's horizon
	shortTau  float64 // s: time constant of the short-term offset
	fastTau   float64 // s: time constant of the fast smoother
	seasonMin float64 // smallest weight of a new day in the daily profile
	errTau    float64 // s: time constant of the forecast error estimates
	minErrN   int     // forecasts a candidate needs before it can band
	clip      float64 // residuals are clipped at clip σ before the forecasts learn from them
	errClip   float64 // ... and at errClip σ before they enter an error estimate
	shiftZ    float64 // a residual beyond shiftZ band spreads counts for a regime change
	shiftTime float64 // s: a regime change needs residuals that far out for this long
	shiftMin  int     // ... and for at least this many periods
	envWidth  float64 // s: the envelope of a time of day covers residuals this close to it
	tailP     float64 // the quantile of |residual| the band's spread follows
	tailTau   float64 // s: age at which a residual's weight in the tail has fallen by e
}

var defaultParams = params{
	levelTau:  6 * 3600,
	trendWt:   0.3,
	trendTau:  2 * day,
	shortTau:  3 * 3600,
	fastTau:   3 * 3600,
	seasonMin: 0.25,
	errTau:    day,
	minErrN:   12,
	clip:      3,
	errClip:   3,
	shiftZ:    4,
	shiftTime: 3600,
	shiftMin:  4,
	envWidth:  3600,
	tailP:     0.995,
	tailTau:   2 * day,
}

// maxRun bounds the length of a regime-change run.
const maxRun = 64

// rates are params turned into per-period weights for one period length.
type rates struct {
	level, trendDamp, short, fast, err, tailGrowth, tailZ float64
}

func (p params) rates(period int64) rates {
	fp := float64(period)
	rate := func(tau float64) float64 { return 1 - math.Exp(-fp/tau) }
	return rates{
		level:      rate(p.levelTau),
		trendDamp:  math.Exp(-fp / p.trendTau),
		short:      rate(p.shortTau),
		fast:       rate(p.fastTau),
		err:        rate(p.errTau),
		tailGrowth: math.Exp(fp / p.tailTau),
		tailZ:      zOfAbs(p.tailP),
	}
}

// forecasts are the candidates' forecasts for one period; ok[c] is false
// for a candidate that has none.
type forecasts struct {
	v  [nCand]float64
	ok [nCand]bool
	l  int64 // local wall-clock second of the period's start
	d  int64 // daily slot
	w  int64 // weekly slot
	wk int64 // local week number
}

// best returns the candidate with the smallest error among those that
// forecast and have enough history; the fast smoother when none has.
func (f *forecasts) best(m *Model) int {
	b := candFast
	for c := candDaily; c < nCand; c++ {
		if f.ok[c] && m.errs[c].n >= m.p.minErrN && m.errs[c].e2 < m.errs[b].e2 {
			b = c
		}
	}
	return b
}

// slots returns the daily slot, the weekly slot and the local week number
// of local wall-clock second l. Weeks start on Sunday.
func (m *Model) slots(l int64) (d, w, wk int64) {
	days := floorDiv(l, day)
	sod := l - days*day
	dow := floorMod(days+4, 7) // 1970-01-01 was a Thursday
	wk = floorDiv(days+4, 7)
	return sod / m.dailyPeriod, (dow*day + sod) / m.weeklyPeriod, wk
}

// forecastAt returns the candidates' forecasts for period i, after the
// newest learned one, which starts at local second local.
func (m *Model) forecastAt(i, local int64) forecasts {
	var f forecasts
	f.l = local
	f.d, f.w, f.wk = m.slots(local)
	if m.learned == 0 {
		return f
	}
	h := float64(i - m.last)
	f.v[candFast], f.ok[candFast] = m.fast, true
	if !m.seasonal || m.dailyN[f.d] == 0 {
		return f
	}
	base := m.level + m.trend*math.Pow(m.r.trendDamp, h)*h + m.daily[f.d]
	short := m.short * math.Pow(1-m.r.short, h-1)
	f.v[candDaily], f.ok[candDaily] = base, true
	f.v[candDailyShort], f.ok[candDailyShort] = base+short, true
	if w, ok := m.weekly[f.w].offset(f.wk); ok {
		f.v[candWeekly], f.ok[candWeekly] = base+w, true
		f.v[candWeeklyShort], f.ok[candWeeklyShort] = base+w+short, true
	}
	return f
}

// bandOf returns the band of the best candidate of f. Its spread is the
// largest of: the candidate's root mean squared error, the envelope of the
// period's time of day, and the tail of the residuals; and at least a
// billionth of the expected value (or of the recent level), so that
// rounding never takes a constant or exactly periodic series out of its
// band.
func (m *Model) bandOf(f *forecasts) frozen {
	c := f.best(m)
	e := f.v[c]
	v := m.errs[c].e2
	if s, ok := m.env.at(f.d, f.l); ok {
		v = max(v, s*s)
	}
	if t := m.tail.sigma(m.r.tailZ); t*t > v {
		v = t * t
	}
	floor := 1e-9 * max(math.Abs(e), math.Abs(m.fast))
	return frozen{expected: e, sigma: max(math.Sqrt(v), floor)}
}

// learn updates the model with the value x of period i, whose forecasts
// were f and band fr.
func (m *Model) learn(i int64, x float64, f *forecasts, fr frozen) {
	if m.learned == 0 {
		m.first, m.last, m.learned = i, i, 1
		m.level, m.fast, m.trend, m.short = x, x, 0, 0
		m.daily[f.d], m.dailyN[f.d] = x, 1
		return
	}
	h := float64(i - m.last)
	// The banding forecast and its error estimate, as they were when the
	// band was frozen, bound what the model learns from x.
	sel := f.best(m)
	r := x - f.v[sel]
	sigma := math.Sqrt(m.errs[sel].e2)
	robust := m.errs[sel].n >= m.p.minErrN
	for c := range nCand {
		if f.ok[c] {
			m.errs[c].add(x-f.v[c], m.r.err, m.p.errClip, m.p.minErrN)
		}
	}
	m.env.add(f.d, f.l, math.Abs(r))
	tailW := m.tail.add(math.Abs(r), m.p.tailP, m.r.tailGrowth)

	m.fast += m.r.fast * m.clip(x-m.fast, sigma, robust)

	// The level and the short-term offset follow the time passed.
	m.level += m.trend * math.Pow(m.r.trendDamp, h) * h
	m.short *= math.Pow(1-m.r.short, h-1)
	m.last = i
	m.learned++
	if !m.seasonal {
		// The first day: the level is the running mean, the profile the
		// mean value per slot.
		a := max(1/float64(m.learned), m.r.level)
		m.level += a * (x - m.level)
		n := m.dailyN[f.d] + 1
		m.daily[f.d] += (x - m.daily[f.d]) / float64(n)
		m.dailyN[f.d] = n
		if (m.last-m.first)*m.period >= day {
			m.startSeasonal()
		}
		m.shiftCheck(x, r, fr.sigma, tailW, robust)
		return
	}
	w := 0.0
	if f.ok[candWeekly] {
		w = f.v[candWeekly] - f.v[candDaily]
	}
	if m.dailyN[f.d] == 0 {
		// A slot seen for the first time starts at the deviation.
		m.daily[f.d] = x - m.level - w
	}
	psi := m.clip(x-(m.level+m.daily[f.d]+w), sigma, robust)
	m.level += m.r.level * psi
	n := m.dailyN[f.d]
	g := max(1/float64(n+1), m.p.seasonMin*float64(m.period)/float64(m.dailyPeriod))
	m.daily[f.d] += g * (1 - m.r.level) * psi
	if n < math.MaxUint32 {
		m.dailyN[f.d] = n + 1
	}
	m.short += m.r.short * (psi - m.short)
	m.weekly[f.w].add(f.wk, w+psi)
	m.sinceCenter++
	if m.sinceCenter*m.period >= day {
		m.center(i)
	}
	m.shiftCheck(x, r, fr.sigma, tailW, robust)
}

// startSeasonal ends the first day: the level becomes the day's mean and
// the profile each slot's deviation from it.
func (m *Model) startSeasonal() {
	sum, n := 0.0, 0
	for d, c := range m.dailyN {
		if c > 0 {
			sum += m.daily[d]
			n++
		}
	}
	mean := sum / float64(n)
	for d, c := range m.dailyN {
		if c > 0 {
			m.daily[d] -= mean
		}
	}
	m.level, m.trend, m.short = mean, 0, 0
	m.seasonal = true
	m.sinceCenter = 0
	m.centerLevel, m.centerAt = mean, m.last
}

// center moves the daily profile's mean into the level, which leaves every
// forecast as it was, and updates the trend from the level's change since
// the last time. It runs once a day of learned periods, at period i.
func (m *Model) center(i int64) {
	sum, n := 0.0, 0
	for d, c := range m.dailyN {
		if c > 0 {
			sum += m.daily[d]
			n++
		}
	}
	if n > 0 {
		mean := sum / float64(n)
		for d, c := range m.dailyN {
			if c > 0 {
				m.daily[d] -= mean
			}
		}
		m.level += mean
	}
	m.sinceCenter = 0
	slope := (m.level - m.centerLevel) / float64(i-m.centerAt)
	m.trend += m.p.trendWt * (slope - m.trend)
	m.centerLevel, m.centerAt = m.level, i
}

// clip bounds a residual to ±clip σ once the error estimate is known.
func (m *Model) clip(r, sigma float64, robust bool) float64 {
	if !robust || sigma == 0 {
		return r
	}
	lim := m.p.clip * sigma
	return max(-lim, min(lim, r))
}

// shiftCheck watches for a regime change: when the residuals r of the
// banding forecast stay beyond shiftZ times the band's spread (as it was
// when they started) on one side for shiftTime (and shiftMin periods), the
// level moves by their median, the fast smoother restarts at the value x,
// the short-term offset at 0, and the run's residuals are taken back out
// of the tail: a new level is not a wider spread. w is the weight the
// tail gave r.
func (m *Model) shiftCheck(x, r, sigma, w float64, robust bool) {
	if !robust || math.IsNaN(sigma) {
		m.run = 0
		return
	}
	if m.run > 0 && ((r > 0) != (m.runBuf[0] > 0) || math.Abs(r) <= m.p.shiftZ*m.runSigma) {
		m.run = 0
	}
	if m.run == 0 {
		if math.Abs(r) <= m.p.shiftZ*sigma {
			return
		}
		m.runSigma = sigma
	}
	m.runBuf[m.run], m.runAbs[m.run], m.runW[m.run] = r, math.Abs(r), w
	m.run++
	need := max(m.p.shiftMin, int(math.Ceil(m.p.shiftTime/float64(m.period))))
	if m.run < min(need, maxRun) {
		return
	}
	for i := range m.run {
		m.tail.remove(m.runAbs[i], m.runW[i], m.p.tailP)
	}
	// gonum's Quantile wants sorted input; the run is at most maxRun long.
	buf := m.runBuf[:m.run]
	slices.Sort(buf)
	shift := stat.Quantile(0.5, stat.Empirical, buf, nil)
	m.level += shift
	m.fast = x
	m.short = 0
	m.run = 0
}

// weekBin is one hour-of-week slot: the mean seasonal residual of the
// visit being accumulated and of the two visits before it.
type weekBin struct {
	week         int64   // local week number of the visit being accumulated
	sum, count   float64 // ... its residuals
	prev, prev2  float64 // the means of the two visits before
	week1, week2 int64   // ... and their weeks (noWeek: none)
}

const noWeek = math.MinInt64 / 2

// offset returns the weekly offset for a period of week wk: the mean of
// the visits of the two weeks before it, when there are any.
func (b *weekBin) offset(wk int64) (float64, bool) {
	v1, w1, v2, w2 := b.prev, b.week1, b.prev2, b.week2
	if b.week != wk && b.count > 0 {
		// The accumulated visit is over: it is the newest previous one.
		v1, w1, v2, w2 = b.sum/b.count, b.week, v1, w1
	}
	sum, n := 0.0, 0
	if w1 >= wk-2 && w1 < wk {
		sum, n = sum+v1, n+1
	}
	if w2 >= wk-2 && w2 < wk {
		sum, n = sum+v2, n+1
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// add records a seasonal residual of week wk.
func (b *weekBin) add(wk int64, r float64) {
	if b.week != wk {
		if b.count > 0 {
			b.prev2, b.week2 = b.prev, b.week1
			b.prev, b.week1 = b.sum/b.count, b.week
		}
		b.week, b.sum, b.count = wk, 0, 0
	}
	b.sum += r
	b.count++
}
