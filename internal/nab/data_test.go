package nab_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/klaxon-go/klaxon/internal/nab"
)

// dataDir returns the benchmark data folder, ../shared/data/nab beside
// the module, or skips the test when it is absent.
func dataDir(t testing.TB) string {
	t.Helper()
	data, err := nab.DataDir()
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%v: skipping", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readSeries(t testing.TB, path string) nab.Series {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := nab.ReadCSV(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}

func readWindows(t testing.TB, data string) map[string][]nab.Window {
	t.Helper()
	f, err := os.Open(filepath.Join(data, "labels", "combined_windows.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := nab.ReadWindows(f)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// The per-file scores NAB committed for its HTM detector must be reachable
// by this scorer on the real files: for files where HTM made no false
// positive, the score is a sum, over the windows, of the weight of one row
// after probation (the earliest detection) or -A_FN; for files without
// windows it is -A_FP per false positive. This checks the row weights
// (window widths, positions, probation) on the real timestamps, to NAB's
// 12 printed digits.
func TestNumentaScoresReachable(t *testing.T) {
	data := dataDir(t)
	windows := readWindows(t, data)
	checked := 0
	for _, r := range readNumenta(t) {
		if r.file == "Totals" {
			continue
		}
		p := profileNamed(r.profile)
		ws := windows[r.file]
		switch {
		case len(ws) == 0:
			if want := -float64(r.fp) * p.FP; math.Abs(r.score-want) > 1e-11 {
				t.Errorf("%s %s: NAB's score %v is not %d false positives at -A_FP", r.profile, r.file, r.score, r.fp)
			}
			checked++
			continue
		case r.fp != 0 || len(ws) > 2:
			continue
		}
		s := readSeries(t, filepath.Join(data, r.file))
		rows, err := nab.Rows(s.Timestamps, ws, p)
		if err != nil {
			t.Fatalf("%s: %v", r.file, err)
		}
		// The values each window can contribute.
		options := make([][]float64, len(ws))
		for w := range options {
			options[w] = []float64{-p.FN}
		}
		for _, row := range rows {
			if row.Window >= 0 && !row.Probation {
				options[row.Window] = append(options[row.Window], row.Weight)
			}
		}
		if !reachable(r.score, options) {
			t.Errorf("%s %s: NAB's score %v is not reachable from the row weights", r.profile, r.file, r.score)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("only %d NAB rows checked", checked)
	}
}

// reachable reports whether score is, within NAB's printing precision, a
// sum of one value from each of one or two option lists.
func reachable(score float64, options [][]float64) bool {
	const eps = 1e-11
	if len(options) == 1 {
		return slices.ContainsFunc(options[0], func(v float64) bool { return math.Abs(v-score) < eps })
	}
	second := slices.Clone(options[1])
	slices.Sort(second)
	for _, a := range options[0] {
		want := score - a
		i, _ := slices.BinarySearch(second, want-eps)
		if i < len(second) && math.Abs(second[i]-want) < eps {
			return true
		}
	}
	return false
}

// Every data file and the label files read without error and agree with
// the data's README: 28 files, 36 windows whose ends are rows.
func TestReadData(t *testing.T) {
	data := dataDir(t)
	windows := readWindows(t, data)
	files, total := 0, 0
	for key, ws := range windows {
		s := readSeries(t, filepath.Join(data, key))
		if _, err := nab.Rows(s.Timestamps, ws, nab.Standard); err != nil {
			t.Errorf("%s: %v", key, err)
		}
		files++
		total += len(ws)
	}
	if files != 28 || total != 36 {
		t.Errorf("%d files with %d windows, want 28 with 36", files, total)
	}
	f, err := os.Open(filepath.Join(data, "labels", "combined_labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	labels, err := nab.ReadLabels(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range labels {
		n += len(l)
	}
	if len(labels) != 28 || n != 37 {
		t.Errorf("%d files with %d labels, want 28 with 37", len(labels), n)
	}
}
