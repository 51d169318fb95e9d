package anomaly_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/anomaly"
	"github.com/klaxon-go/klaxon/internal/nab"
)

// The one configuration used for every NAB file (see TestNAB): a model of
// 5-minute periods with no clamp, and an alarm with a band of 3 standard
// deviations on either side, in ALARM when 1 of the last 12 periods is
// outside it.
var (
	nabModel = anomaly.Config{Period: 300}
	nabAlarm = alarmSpec{K: 3, N: 12, M: 1, Operator: "LessThanLowerOrGreaterThanUpperThreshold"}
)

// nabCategories are the NAB categories of the project's data.
var nabCategories = []string{"realAWSCloudwatch", "artificialWithAnomaly", "artificialNoAnomaly"}

// nabDir returns the benchmark data folder, ../shared/data/nab beside the
// module, or skips the test when it is absent.
func nabDir(t testing.TB) string {
	t.Helper()
	data, err := nab.DataDir()
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%v: skipping the NAB harness", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// nabFile is one scored file.
type nabFile struct {
	key        string
	rows       int
	windows    int
	detections int // after probation
	results    [3]nab.Result
}

// detectNAB runs the anomaly alarm over a NAB series, causally: for each
// 5-minute period (aligned to the Unix epoch; rows sharing a period are
// averaged, as the Average statistic would), the band comes from the model
// before the period is observed, then the period's value is observed. The
// alarm is evaluated at the end of every period; each transition into
// ALARM is a detection on the period's first row.
func detectNAB(t testing.TB, s nab.Series, mc anomaly.Config, a alarmSpec) []bool {
	t.Helper()
	model, err := anomaly.New(mc)
	if err != nil {
		t.Fatal(err)
	}
	period := time.Duration(mc.Period) * time.Second
	// Group the rows by period.
	type slot struct {
		start    time.Time
		sum      float64
		count    int
		firstRow int
	}
	var slots []slot
	for i, ts := range s.Timestamps {
		start := model.Period(ts)
		if n := len(slots); n > 0 && slots[n-1].start.Equal(start) {
			slots[n-1].sum += s.Values[i]
			slots[n-1].count++
			continue
		}
		slots = append(slots, slot{start: start, sum: s.Values[i], count: 1, firstRow: i})
	}
	// Every period from the first to the last, missing ones included.
	first, last := slots[0].start, slots[len(slots)-1].start
	n := int(last.Sub(first)/period) + 1
	periods := make([]alarmPeriod, n)
	rowOf := make([]int, n)
	for j := range periods {
		periods[j] = alarmPeriod{Start: first.Add(time.Duration(j) * period), Missing: true}
		rowOf[j] = -1
	}
	for _, sl := range slots {
		j := int(sl.start.Sub(first) / period)
		periods[j].Value = sl.sum / float64(sl.count)
		periods[j].Missing = false
		rowOf[j] = sl.firstRow
	}
	for j := range periods {
		p := &periods[j]
		b, err := model.Band(p.Start, a.K)
		hasBand := err == nil
		if err != nil && !errors.Is(err, anomaly.ErrPendingTraining) {
			t.Fatalf("Band(%v): %v", p.Start, err)
		}
		if !p.Missing {
			if err := model.Observe(p.Start, p.Value); err != nil {
				t.Fatalf("Observe(%v): %v", p.Start, err)
			}
			// The band recorded for the period is the one given before it
			// was observed.
			again, err := model.Band(p.Start, a.K)
			if (err == nil) != hasBand || again != b {
				t.Fatalf("Band(%v) after observing it: %v, %v; before: %v, %v", p.Start, again, err, b, hasBand)
			}
		}
		p.Lower, p.Upper = b.Lower, b.Upper
		p.Missing = p.Missing || !hasBand
	}
	fired := alarmDetections(t, a, period, periods)
	detected := make([]bool, len(s.Timestamps))
	for j, f := range fired {
		if f && rowOf[j] >= 0 {
			detected[rowOf[j]] = true
		}
	}
	return detected
}

// scoreNAB runs the alarm over every file of the three categories and
// scores it with the three profiles.
func scoreNAB(t testing.TB, data string, mc anomaly.Config, a alarmSpec) map[string][]nabFile {
	t.Helper()
	f, err := os.Open(filepath.Join(data, "labels", "combined_windows.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	windows, err := nab.ReadWindows(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]nabFile{}
	for _, cat := range nabCategories {
		paths, err := filepath.Glob(filepath.Join(data, cat, "*.csv"))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(paths)
		for _, path := range paths {
			key := cat + "/" + filepath.Base(path)
			r, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := nab.ReadCSV(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			detected := detectNAB(t, s, mc, a)
			nf := nabFile{key: key, rows: len(s.Timestamps), windows: len(windows[key])}
			for pi, p := range nab.Profiles() {
				rows, err := nab.Rows(s.Timestamps, windows[key], p)
				if err != nil {
					t.Fatal(err)
				}
				res, err := nab.Score(rows, detected, p)
				if err != nil {
					t.Fatal(err)
				}
				nf.results[pi] = res
				if pi == 0 {
					nf.detections = res.TP + res.FP
				}
			}
			out[cat] = append(out[cat], nf)
		}
	}
	return out
}

// categoryScores returns, per profile, a category's normalised score (or
// its raw score when it has no window) and whether it was normalised.
func categoryScores(files []nabFile) (scores [3]float64, normalised bool) {
	for pi, p := range nab.Profiles() {
		var sum nab.Result
		for _, f := range files {
			sum = sum.Add(f.results[pi])
		}
		if sum.Windows == 0 {
			scores[pi] = sum.Score
			continue
		}
		n, _ := nab.Normalize(sum.Score, sum.Windows, p)
		scores[pi], normalised = n, true
	}
	return scores, normalised
}

// TestNAB scores the anomaly alarm on NAB's realAWSCloudwatch,
// artificialWithAnomaly and artificialNoAnomaly files, with one
// configuration for every file (nabModel, nabAlarm). Run
//
//	go test ./anomaly -run TestNAB -v
//
// for the per-file and per-category scores of the three profiles. The
// standard-profile score on realAWSCloudwatch must be at least 60.
func TestNAB(t *testing.T) {
	data := nabDir(t)
	if testing.Short() {
		t.Skip("the NAB harness takes a few seconds: skipped in -short mode")
	}
	res := scoreNAB(t, data, nabModel, nabAlarm)
	var b strings.Builder
	fmt.Fprintf(&b, "model %+v, alarm %+v\n", nabModel, nabAlarm)
	fmt.Fprintf(&b, "%-58s %5s %4s %4s %10s %10s %10s\n", "file", "rows", "win", "det", "standard", "lowFP", "lowFN")
	for _, cat := range nabCategories {
		for _, f := range res[cat] {
			fmt.Fprintf(&b, "%-58s %5d %4d %4d %10.4f %10.4f %10.4f\n", f.key, f.rows, f.windows, f.detections,
				f.results[0].Score, f.results[1].Score, f.results[2].Score)
		}
	}
	fmt.Fprintf(&b, "\n%-24s %10s %10s %10s\n", "category", "standard", "lowFP", "lowFN")
	for _, cat := range nabCategories {
		s, normalised := categoryScores(res[cat])
		unit := "normalised"
		if !normalised {
			unit = "raw (no window: false-positive penalty)"
		}
		fmt.Fprintf(&b, "%-24s %10.2f %10.2f %10.2f  %s\n", cat, s[0], s[1], s[2], unit)
	}
	t.Log("\n" + b.String())
	if s, _ := categoryScores(res["realAWSCloudwatch"]); s[0] < 60 {
		t.Errorf("realAWSCloudwatch standard score %.2f, want at least 60", s[0])
	}
}
