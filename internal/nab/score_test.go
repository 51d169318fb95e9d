package nab_test

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon/internal/nab"
)

var t0 = time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)

// stamps returns n timestamps five minutes apart from t0.
func stamps(n int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = t0.Add(time.Duration(i) * 5 * time.Minute)
	}
	return ts
}

func TestScaledSigmoid(t *testing.T) {
	tests := []struct {
		y, want float64
		why     string
	}{
		{-1, 0.98661, "NAB: the first row of a window"},
		{-0.5, 0.84828, "NAB: halfway into a window"},
		{0, 0, "NAB: the right edge of a window"},
		{1, -0.98661, "NAB: one window width after the window"},
		{2.999, -0.99999939, "just before 3 the formula still applies"},
		{3, -1, "NAB's code returns -1 from y >= 3"},
		{50, -1, "far from any window; no overflow"},
	}
	for _, tt := range tests {
		if got := nab.ScaledSigmoid(tt.y); math.Abs(got-tt.want) > 5e-6 {
			t.Errorf("ScaledSigmoid(%v) = %v, want %v (%s)", tt.y, got, tt.want, tt.why)
		}
	}
}

func TestProbationLength(t *testing.T) {
	tests := []struct {
		n, want int
		why     string
	}{
		{4032, 604, "floor(0.15 x 4032) = floor(604.8)"},
		{4730, 709, "floor(709.5)"},
		{1243, 186, "floor(186.45): the shortest file"},
		{5000, 750, "0.15 x 5000 = 750, the cap"},
		{22695, 750, "longer files are capped at 750"},
		{0, 0, "an empty file"},
	}
	for _, tt := range tests {
		if got := nab.ProbationLength(tt.n); got != tt.want {
			t.Errorf("ProbationLength(%d) = %d, want %d (%s)", tt.n, got, tt.want, tt.why)
		}
	}
}

// A 20-row file with one window on rows 10..13 (W = 4); rows 0..2 are
// probation (floor(0.15 x 20) = 3). The expected weights were computed by
// hand from NAB's formulas.
func TestRowsWeights(t *testing.T) {
	ts := stamps(20)
	win := []nab.Window{{Start: ts[10], End: ts[13]}}
	tests := []struct {
		row     int
		profile nab.Profile
		want    nab.Row
		why     string
	}{
		{0, nab.Standard, nab.Row{Weight: -0.11, Window: -1, Probation: true}, "probation rows still carry a weight, but never count"},
		{5, nab.Standard, nab.Row{Weight: -0.11, Window: -1}, "before any window: -A_FP"},
		{5, nab.RewardLowFP, nab.Row{Weight: -0.22, Window: -1}, "before any window: -A_FP of the profile"},
		{10, nab.Standard, nab.Row{Weight: 1, Window: 0}, "the window's first row is worth exactly A_TP"},
		{11, nab.Standard, nab.Row{Weight: 0.9669890878000605, Window: 0}, "y = -3/4"},
		{12, nab.RewardLowFN, nab.Row{Weight: 0.8597925669097837, Window: 0}, "y = -2/4; A_TP is 1 in every profile"},
		{13, nab.Standard, nab.Row{Weight: 0.5621241486044827, Window: 0}, "the last row: y = -1/4, never 0"},
		{14, nab.Standard, nab.Row{Weight: -0.07504879692619866, Window: -1}, "just after the window: y = 1/(W-1)"},
		{15, nab.RewardLowFP, nab.Row{Weight: -0.20484411390686708, Window: -1}, "y = 2/3 with A_FP = 0.22"},
		{19, nab.Standard, nab.Row{Weight: -0.10999001246888546, Window: -1}, "y = 2: almost -A_FP"},
	}
	for _, tt := range tests {
		rows, err := nab.Rows(ts, win, tt.profile)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, rows[tt.row], cmpopts.EquateApprox(0, 1e-15)); diff != "" {
			t.Errorf("row %d, %s (%s) (-want +got):\n%s", tt.row, tt.profile.Name, tt.why, diff)
		}
	}
}

func TestRowsErrors(t *testing.T) {
	ts := stamps(10)
	tests := []struct {
		windows []nab.Window
		want    string
		why     string
	}{
		{[]nab.Window{{Start: ts[2].Add(time.Minute), End: ts[4]}}, "nab: window 1 start 2014-04-01 00:11:00.000000 is not a timestamp of the file", "ends must be rows"},
		{[]nab.Window{{Start: ts[2], End: ts[9].Add(time.Hour)}}, "nab: window 1 end 2014-04-01 01:45:00.000000 is not a timestamp of the file", "ends must be rows"},
		{[]nab.Window{{Start: ts[4], End: ts[2]}}, "nab: window 1 ends (2014-04-01 00:10:00.000000) before it starts (2014-04-01 00:20:00.000000)", "reversed window"},
		{[]nab.Window{{Start: ts[2], End: ts[5]}, {Start: ts[5], End: ts[7]}}, "nab: window 2 (from 2014-04-01 00:25:00.000000) starts before window 1 ends", "overlapping windows"},
	}
	for _, tt := range tests {
		_, err := nab.Rows(ts, tt.windows, nab.Standard)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Rows: error %v, want %q (%s)", err, tt.want, tt.why)
		}
	}
}

// The spec's analytic checks: never detecting gives -A_FN per window,
// detecting only each window's first row gives +A_TP per window (100 once
// normalised), and detecting every row gives +A_TP per window plus the FP
// weights of every row outside the windows after probation.
func TestScoreAnalytic(t *testing.T) {
	ts := stamps(200)
	wins := []nab.Window{{Start: ts[40], End: ts[59]}, {Start: ts[100], End: ts[119]}, {Start: ts[150], End: ts[151]}}
	for _, p := range nab.Profiles() {
		rows, err := nab.Rows(ts, wins, p)
		if err != nil {
			t.Fatal(err)
		}
		none := make([]bool, len(ts))
		first := make([]bool, len(ts))
		all := make([]bool, len(ts))
		fpSum := 0.0
		for i, r := range rows {
			all[i] = true
			if r.Window < 0 && !r.Probation {
				fpSum += r.Weight
			}
		}
		for _, i := range []int{40, 100, 150} {
			first[i] = true
		}
		tests := []struct {
			detected []bool
			want     nab.Result
			norm     float64
			why      string
		}{
			{none, nab.Result{Score: -3 * p.FN, TN: 128, FN: 42, Windows: 3}, 0, "the null detector"},
			{first, nab.Result{Score: 3 * p.TP, TP: 3, TN: 128, FN: 39, Windows: 3}, 100, "the perfect detector"},
			{all, nab.Result{Score: 3*p.TP + fpSum, TP: 42, FP: 128, Windows: 3}, 100 * (3*p.TP + fpSum + 3*p.FN) / (3 * (p.TP + p.FN)), "every row detected"},
		}
		for _, tt := range tests {
			got, err := nab.Score(rows, tt.detected, p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("%s, %s (-want +got):\n%s", p.Name, tt.why, diff)
			}
			norm, err := nab.Normalize(got.Score, got.Windows, p)
			if err != nil || math.Abs(norm-tt.norm) > 1e-9 {
				t.Errorf("%s, %s: normalised %v (%v), want %v", p.Name, tt.why, norm, err, tt.norm)
			}
		}
	}
}

// Only the earliest detection of a window counts, detections in probation
// count for nothing, and a false positive just after a window is cheap.
func TestScoreRules(t *testing.T) {
	ts := stamps(20) // probation: rows 0..2
	win := []nab.Window{{Start: ts[10], End: ts[13]}}
	rows, err := nab.Rows(ts, win, nab.Standard)
	if err != nil {
		t.Fatal(err)
	}
	detect := func(is ...int) []bool {
		d := make([]bool, len(ts))
		for _, i := range is {
			d[i] = true
		}
		return d
	}
	tests := []struct {
		detected []bool
		want     float64
		why      string
	}{
		{detect(0, 1, 2), -1, "probation detections count for nothing"},
		{detect(11, 12, 13), 0.9669890878000605, "the window's best (earliest) detection only"},
		{detect(5), -1.11, "a false positive before the window costs A_FP"},
		{detect(10, 14), 1 - 0.07504879692619866, "a false positive just after the window costs less"},
	}
	for _, tt := range tests {
		got, err := nab.Score(rows, tt.detected, nab.Standard)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got.Score-tt.want) > 1e-12 {
			t.Errorf("score %v, want %v (%s)", got.Score, tt.want, tt.why)
		}
	}
	if _, err := nab.Score(rows, make([]bool, 3), nab.Standard); err == nil || err.Error() != "nab: 3 detection flags for 20 rows" {
		t.Errorf("Score with too few flags: error %v", err)
	}
}

func TestNormalizeNoWindows(t *testing.T) {
	if _, err := nab.Normalize(-0.44, 0, nab.Standard); err == nil || err.Error() != "nab: cannot normalise a score over no windows" {
		t.Errorf("Normalize over no windows: error %v", err)
	}
}

// Sweep finds NAB's best threshold over several files: here a graded
// detector whose scores rise inside the windows.
func TestSweep(t *testing.T) {
	ts := stamps(40) // probation: rows 0..5
	winA := []nab.Window{{Start: ts[20], End: ts[29]}}
	rowsA, err := nab.Rows(ts, winA, nab.Standard)
	if err != nil {
		t.Fatal(err)
	}
	rowsB, err := nab.Rows(ts, nil, nab.Standard)
	if err != nil {
		t.Fatal(err)
	}
	scoresA := make([]float64, 40)
	scoresB := make([]float64, 40)
	scoresA[2] = 1    // probation: ignored at every threshold
	scoresA[22] = 0.9 // third row of the window
	scoresA[8] = 0.7  // a false positive
	scoresB[30] = 0.8 // a false positive in a file without windows
	scoresA[25] = 0.6 // a later row of the window: no gain
	files := []nab.File{{Rows: rowsA, Scores: scoresA}, {Rows: rowsB, Scores: scoresB}}
	best, steps, err := nab.Sweep(files, nab.Standard)
	if err != nil {
		t.Fatal(err)
	}
	w22 := rowsA[22].Weight
	want := []nab.Threshold{
		{Threshold: 1.1, Result: nab.Result{Score: -1, TN: 58, FN: 10, Windows: 1}},
		{Threshold: 0.9, Result: nab.Result{Score: w22, TP: 1, TN: 58, FN: 9, Windows: 1}},
		{Threshold: 0.8, Result: nab.Result{Score: w22 - 0.11, TP: 1, FP: 1, TN: 57, FN: 9, Windows: 1}},
		{Threshold: 0.7, Result: nab.Result{Score: w22 - 0.22, TP: 1, FP: 2, TN: 56, FN: 9, Windows: 1}},
		{Threshold: 0.6, Result: nab.Result{Score: w22 - 0.22, TP: 2, FP: 2, TN: 56, FN: 8, Windows: 1}},
		{},
	}
	// The last step detects every row: every FP weight counts.
	all := 0.0
	for _, f := range files {
		for _, r := range f.Rows {
			if !r.Probation && r.Window < 0 {
				all += r.Weight
			}
		}
	}
	want[5] = nab.Threshold{Threshold: 0, Result: nab.Result{Score: rowsA[20].Weight + all, TP: 10, FP: 58, Windows: 1}}
	if diff := cmp.Diff(want, steps, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Sweep steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[1], best, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Sweep best (-want +got):\n%s", diff)
	}
}

// numentaRow is one row of testdata/numenta_scores.csv: NAB's committed
// per-file score of its HTM detector.
type numentaRow struct {
	profile, file string
	score         float64
	fp            int
}

func readNumenta(t *testing.T) []numentaRow {
	t.Helper()
	f, err := os.Open("testdata/numenta_scores.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []numentaRow
	for _, r := range recs[1:] {
		s, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			t.Fatal(err)
		}
		fp, err := strconv.Atoi(r[7])
		if err != nil {
			t.Fatal(err)
		}
		file := r[2]
		if r[0] == "Totals" {
			file = "Totals"
		}
		out = append(out, numentaRow{profile: r[1], file: file, score: s, fp: fp})
	}
	return out
}

func profileNamed(name string) nab.Profile {
	for _, p := range nab.Profiles() {
		if p.Name == name {
			return p
		}
	}
	panic("no profile " + name)
}

// Normalising NAB's own committed raw scores gives NAB's published
// figures: the benchmark-wide totals (116 windows) give
// results/final_results.json's 70.10 / 63.12 / 74.32, and the per-category
// sums give the numenta row of the per-category table (30 windows in
// realAWSCloudwatch, 6 in artificialWithAnomaly; artificialNoAnomaly has
// none, so its raw false-positive penalty is reported).
func TestNormalizeNumentaFigures(t *testing.T) {
	rows := readNumenta(t)
	type key struct{ profile, what string }
	got := map[key]float64{}
	sums := map[key]float64{}
	for _, r := range rows {
		switch {
		case r.file == "Totals":
			n, err := nab.Normalize(r.score, 116, profileNamed(r.profile))
			if err != nil {
				t.Fatal(err)
			}
			got[key{r.profile, "Totals"}] = math.Round(n*100) / 100
		default:
			cat, _, _ := strings.Cut(r.file, "/")
			sums[key{r.profile, cat}] += r.score
		}
	}
	windows := map[string]int{"realAWSCloudwatch": 30, "artificialWithAnomaly": 6}
	for k, s := range sums {
		if w, ok := windows[k.what]; ok {
			n, err := nab.Normalize(s, w, profileNamed(k.profile))
			if err != nil {
				t.Fatal(err)
			}
			got[k] = math.Round(n*10) / 10
			continue
		}
		got[k] = math.Round(s*100) / 100
	}
	want := map[key]float64{
		{"standard", "Totals"}:                          70.10,
		{"reward_low_FP_rate", "Totals"}:                63.12,
		{"reward_low_FN_rate", "Totals"}:                74.32,
		{"standard", "realAWSCloudwatch"}:               73.4,
		{"reward_low_FP_rate", "realAWSCloudwatch"}:     65.8,
		{"reward_low_FN_rate", "realAWSCloudwatch"}:     76.7,
		{"standard", "artificialWithAnomaly"}:           70.2,
		{"reward_low_FP_rate", "artificialWithAnomaly"}: 68.4,
		{"reward_low_FN_rate", "artificialWithAnomaly"}: 74.6,
		{"standard", "artificialNoAnomaly"}:             -0.44,
		{"reward_low_FP_rate", "artificialNoAnomaly"}:   -0.44,
		{"reward_low_FN_rate", "artificialNoAnomaly"}:   -0.44,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("normalised numenta figures (-want +got):\n%s", diff)
	}
}
