package nab

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// A Profile is one of NAB's application profiles: the weights of a true
// positive (A_TP), a false positive (A_FP) and a false negative (A_FN).
// NAB also defines A_TN = 1, which no score uses.
type Profile struct {
	Name string
	TP   float64
	FP   float64
	FN   float64
}

// NAB's three profiles (config/profiles.json).
var (
	Standard    = Profile{Name: "standard", TP: 1, FP: 0.11, FN: 1}
	RewardLowFP = Profile{Name: "reward_low_FP_rate", TP: 1, FP: 0.22, FN: 1}
	RewardLowFN = Profile{Name: "reward_low_FN_rate", TP: 1, FP: 0.11, FN: 2}
)

// Profiles returns NAB's three profiles, standard first.
func Profiles() []Profile { return []Profile{Standard, RewardLowFP, RewardLowFN} }

// ScaledSigmoid is NAB's weighting curve of a relative position y:
// 2/(1+e^(5y)) - 1, and -1 from y = 3 on. It is 0.98661 at y = -1 (the
// first row of a window), 0 at y = 0 and -0.98661 at y = 1. NAB's code
// switches to -1 at y >= 3 (the formula gives -0.9999997 at 3 itself).
func ScaledSigmoid(y float64) float64 {
	if y >= 3 {
		return -1
	}
	return 2/(1+math.Exp(5*y)) - 1
}

// ProbationLength returns the number of leading rows of a file of n rows
// that NAB never scores: min(floor(0.15 n), 750).
func ProbationLength(n int) int {
	return int(math.Min(math.Floor(0.15*float64(n)), 0.15*5000))
}

// A Window is a labelled anomaly window: the rows whose timestamps lie
// between Start and End, both included. Both are timestamps of the file.
type Window struct {
	Start, End time.Time
}

// A Row is NAB's view of one row of a file for one profile: the weight a
// detection on it earns (its "sweep score"), the index of the window it
// lies in (-1 outside every window) and whether it is in the probation
// period, where nothing counts.
type Row struct {
	Weight    float64
	Window    int
	Probation bool
}

// Rows computes, for every row of a file with timestamps ts (in file
// order) and anomaly windows (in time order, not overlapping), the weight
// of a detection on that row under profile p:
//
//   - inside a window of W rows ending at row b, row i weighs
//     ScaledSigmoid(-(b-i+1)/W) * A_TP / ScaledSigmoid(-1): exactly A_TP on
//     the window's first row, less after;
//   - outside every window with no window ended before it, -A_FP;
//   - after a window of W rows that ended at row b,
//     ScaledSigmoid(|b-i|/(W-1)) * A_FP, which grows from about 0 just
//     after the window to -A_FP far from it.
//
// A window starts at the first row whose timestamp is its Start and ends
// at the first row whose timestamp is its End, as in NAB's code. An error
// names a window whose ends are not timestamps of the file, or windows out
// of order.
func Rows(ts []time.Time, windows []Window, p Profile) ([]Row, error) {
	type span struct{ a, b int }
	spans := make([]span, len(windows))
	for k, w := range windows {
		a := slices.IndexFunc(ts, w.Start.Equal)
		b := slices.IndexFunc(ts, w.End.Equal)
		switch {
		case a < 0:
			return nil, fmt.Errorf("nab: window %d start %s is not a timestamp of the file", k+1, w.Start.Format(windowLayout))
		case b < 0:
			return nil, fmt.Errorf("nab: window %d end %s is not a timestamp of the file", k+1, w.End.Format(windowLayout))
		case b < a:
			return nil, fmt.Errorf("nab: window %d ends (%s) before it starts (%s)", k+1, w.End.Format(windowLayout), w.Start.Format(windowLayout))
		case k > 0 && a <= spans[k-1].b:
			return nil, fmt.Errorf("nab: window %d (from %s) starts before window %d ends", k+1, w.Start.Format(windowLayout), k)
		}
		spans[k] = span{a, b}
	}
	maxTP := ScaledSigmoid(-1)
	probation := ProbationLength(len(ts))
	rows := make([]Row, len(ts))
	cur, prev := -1, -1 // the window the row is in; the last window that ended
	next := 0
	for i := range ts {
		if next < len(spans) && i == spans[next].a {
			cur, next = next, next+1
		}
		r := Row{Window: cur, Probation: i < probation}
		if cur >= 0 {
			s := spans[cur]
			width := float64(s.b - s.a + 1)
			r.Weight = ScaledSigmoid(-float64(s.b-i+1)/width) * p.TP / maxTP
		} else {
			y := 3.0
			if prev >= 0 {
				s := spans[prev]
				y = math.Abs(float64(s.b-i)) / float64(s.b-s.a)
			}
			r.Weight = ScaledSigmoid(y) * p.FP
		}
		rows[i] = r
		if cur >= 0 && i == spans[cur].b {
			prev, cur = cur, -1
		}
	}
	return rows, nil
}

// A Result is a file's (or a sum of files') NAB score with the row counts
// NAB reports beside it. The counts cover the rows after probation: TP and
// FN are detected and undetected rows inside windows, FP and TN outside.
// They play no part in the score.
type Result struct {
	Score          float64
	TP, TN, FP, FN int
	// Windows is the number of windows that have a row after probation:
	// the windows the score gives -A_FN or more.
	Windows int
}

// Add returns the sum of r and s.
func (r Result) Add(s Result) Result {
	return Result{
		Score: r.Score + s.Score,
		TP:    r.TP + s.TP, TN: r.TN + s.TN, FP: r.FP + s.FP, FN: r.FN + s.FN,
		Windows: r.Windows + s.Windows,
	}
}

// Score returns the NAB score of a file whose rows (from Rows) have the
// detections detected (one flag per row):
//
//   - each window that has a row after probation counts the largest
//     weight of its detected rows after probation, or -A_FN when it has
//     none (so only its earliest detection matters);
//   - every detected row after probation outside the windows adds its
//     (negative) weight.
func Score(rows []Row, detected []bool, p Profile) (Result, error) {
	if len(rows) != len(detected) {
		return Result{}, fmt.Errorf("nab: %d detection flags for %d rows", len(detected), len(rows))
	}
	var r Result
	nw := 0
	for _, row := range rows {
		nw = max(nw, row.Window+1)
	}
	best := make([]float64, nw)
	scored := make([]bool, nw) // the window has a row after probation
	for i, row := range rows {
		if row.Probation {
			continue
		}
		if row.Window >= 0 {
			if !scored[row.Window] {
				scored[row.Window] = true
				best[row.Window] = -p.FN
			}
			if detected[i] {
				r.TP++
				best[row.Window] = max(best[row.Window], row.Weight)
			} else {
				r.FN++
			}
			continue
		}
		if detected[i] {
			r.FP++
			r.Score += row.Weight
		} else {
			r.TN++
		}
	}
	for w, b := range best {
		if scored[w] {
			r.Score += b
			r.Windows++
		}
	}
	return r, nil
}

// Normalize scales a raw score S over W windows to NAB's reported scale,
// where the null detector (never detecting: S = -A_FN W) scores 0 and the
// perfect one (detecting the first row of every window: S = A_TP W)
// scores 100: 100 (S + A_FN W) / ((A_TP + A_FN) W). With no windows
// nothing can be normalised and it returns an error.
func Normalize(score float64, windows int, p Profile) (float64, error) {
	if windows <= 0 {
		return 0, errors.New("nab: cannot normalise a score over no windows")
	}
	w := float64(windows)
	null, perfect := -p.FN*w, p.TP*w
	return 100 * (score - null) / (perfect - null), nil
}

// A File is one file's rows and per-row anomaly scores, for Sweep.
type File struct {
	Rows   []Row
	Scores []float64
}

// A Threshold is one step of a threshold sweep: the summed Result of all
// files when rows scoring at least Threshold are detections.
type Threshold struct {
	Threshold float64
	Result
}

// Sweep is NAB's threshold optimisation: it scores the files at every
// distinct anomaly score (highest first), starting at 1.1 where nothing is
// detected, and returns the threshold with the highest summed score (the
// first, i.e. highest, threshold among equals) and every step. All files
// must be scored with the same profile p.
func Sweep(files []File, p Profile) (best Threshold, steps []Threshold, err error) {
	type point struct {
		score, weight float64
		window        int // global window index, -1 outside
	}
	var pts []point
	var base Result
	windowBase := 0
	for fi, f := range files {
		if len(f.Rows) != len(f.Scores) {
			return Threshold{}, nil, fmt.Errorf("nab: file %d: %d scores for %d rows", fi+1, len(f.Scores), len(f.Rows))
		}
		nw := 0
		for i, row := range f.Rows {
			if row.Window >= nw {
				nw = row.Window + 1
			}
			if row.Probation {
				continue
			}
			w := -1
			if row.Window >= 0 {
				w = windowBase + row.Window
			}
			pts = append(pts, point{f.Scores[i], row.Weight, w})
		}
		r, _ := Score(f.Rows, make([]bool, len(f.Rows)), p)
		base = base.Add(r)
		windowBase += nw
	}
	slices.SortStableFunc(pts, func(a, b point) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	// The score at a threshold, as NAB sums it: the false positives, then
	// every window's best weight (-A_FN while undetected).
	bestOf := make([]float64, windowBase)
	seen := make([]bool, windowBase)
	for _, pt := range pts {
		if pt.window >= 0 && !seen[pt.window] {
			seen[pt.window] = true
			bestOf[pt.window] = -p.FN
		}
	}
	fp := 0.0
	total := func() float64 {
		s := fp
		for w, b := range bestOf {
			if seen[w] {
				s += b
			}
		}
		return s
	}
	cur := base
	theta := 1.1
	for _, pt := range pts {
		if pt.score != theta {
			cur.Score = total()
			steps = append(steps, Threshold{Threshold: theta, Result: cur})
			theta = pt.score
		}
		if pt.window >= 0 {
			cur.TP++
			cur.FN--
			bestOf[pt.window] = max(bestOf[pt.window], pt.weight)
		} else {
			cur.FP++
			cur.TN--
			fp += pt.weight
		}
	}
	cur.Score = total()
	steps = append(steps, Threshold{Threshold: theta, Result: cur})
	best = steps[0]
	for _, s := range steps[1:] {
		if s.Score > best.Score {
			best = s
		}
	}
	return best, steps, nil
}
