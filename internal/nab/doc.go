// Package nab scores anomaly detections the way the Numenta Anomaly
// Benchmark (NAB, https://github.com/numenta/NAB, MIT licence) does, and
// reads NAB's data and label files. Klaxon uses it as the quality measure
// of its anomaly-detection bands.
//
//	s, _ := nab.ReadCSV(dataFile)             // timestamp,value
//	windows, _ := nab.ReadWindows(labelsFile) // combined_windows.json
//	rows, _ := nab.Rows(s.Timestamps, windows["realAWSCloudwatch/grok_asg_anomaly.csv"], nab.Standard)
//	res, _ := nab.Score(rows, detected, nab.Standard)
//	pct, _ := nab.Normalize(res.Score, res.Windows, nab.Standard)
//
// # Scoring
//
// Positions are row numbers; wall-clock time plays no part. The first
// min(floor(0.15 n), 750) rows of a file of n rows are probation: nothing
// detected there counts. A detection on a row weighs, by [Rows]:
//
//   - inside a window of W rows ending at row b: σ(-(b-i+1)/W)·A_TP/σ(-1),
//     so the first row of a window is worth A_TP and later rows less;
//   - outside every window, before any window has ended: -A_FP;
//   - after a window [a', b'] ended: σ(|b'-i|/(b'-a'))·A_FP, cheap just
//     after the window and -A_FP far from it;
//
// with σ(y) = 2/(1+e^(5y)) - 1, and -1 from y = 3 on ([ScaledSigmoid]).
// A file's score ([Score]) adds, per window, its best detected weight
// (-A_FN when nothing in it is detected), and the weights of all detected
// rows outside windows. [Normalize] maps a sum over W windows to NAB's
// scale: 100·(S + A_FN·W)/((A_TP + A_FN)·W), 0 for the detector that never
// fires and 100 for the one that fires on the first row of every window.
// [Sweep] is NAB's threshold optimisation for detectors with graded
// scores: the threshold that maximises the summed score of a set of files.
//
// The profiles ([Standard], [RewardLowFP], [RewardLowFN]) weigh
// (A_TP, A_FN, A_FP) as (1, 1, 0.11), (1, 1, 0.22) and (1, 2, 0.11).
//
// # Caveats
//
//   - NAB normalises over its whole corpus (58 files, 116 windows). Klaxon
//     has three of its categories; per-category figures normalise over the
//     category's own windows (30 for realAWSCloudwatch, 6 for
//     artificialWithAnomaly), as NAB's published per-category tables do.
//     artificialNoAnomaly has no window: its raw score (the false-positive
//     penalty, 0 at best) is reported instead.
//   - Where NAB's code and its prose differ, the code wins: the sigmoid is
//     -1 from y = 3 included, a window ends at the first row carrying its
//     End timestamp, and a window with no row after probation is not
//     scored at all.
//   - Windows whose ends are not rows of the file, or that overlap, are
//     errors here; NAB would silently skip them.
package nab
