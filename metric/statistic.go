package metric

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// A Statistic is a parsed statistic: one of the five simple statistics
// (SampleCount, Average, Sum, Minimum, Maximum) or an extended one (pNN, TM,
// WM, TC, TS, PR, IQM). The zero value is invalid. Statistics are small,
// comparable values: two are equal when they were written in the same form
// with the same numbers ("p99.50" and "p99.5" are equal). Forms that compute
// the same values are not equal when they are written differently: tm90 and
// TM(:90%), IQM and TM(25%:75%) compute alike, but String gives back the form
// that was parsed, and AlarmProblem judges the forms differently.
type Statistic struct {
	kind  statKind
	form  statForm
	flags uint8   // hasLo, hasHi, percent
	lo    float64 // lower bound; 0 when absent
	hi    float64 // upper bound, or the percentile of pNN; 0 when absent
}

type statKind uint8

const (
	kindInvalid statKind = iota
	kindSampleCount
	kindAverage
	kindSum
	kindMinimum
	kindMaximum
	kindPercentile // first extended kind
	kindTM
	kindWM
	kindTC
	kindTS
	kindPR
)

// statForm says how an extended statistic other than pNN was written.
type statForm uint8

const (
	formPlain  statForm = iota // simple statistics and pNN
	formSingle                 // tm90: a percentage upper bound
	formRange                  // TM(a:b)
	formIQM                    // IQM, that is TM(25%:75%)
)

const (
	hasLo   uint8 = 1 << iota // the range has a lower bound
	hasHi                     // the range has an upper bound
	percent                   // the bounds are percentages (of the weight), not values
)

var simpleNames = [...]string{
	kindSampleCount: "SampleCount",
	kindAverage:     "Average",
	kindSum:         "Sum",
	kindMinimum:     "Minimum",
	kindMaximum:     "Maximum",
}

// rangeNames are the upper-case names of the families written with bounds.
var rangeNames = [...]string{kindTM: "TM", kindWM: "WM", kindTC: "TC", kindTS: "TS", kindPR: "PR"}

// ParseStatistic parses a simple statistic, as PutMetricAlarm's Statistic
// takes it: SampleCount, Average, Sum, Minimum or Maximum, spelled exactly.
// Any other text gives a *cwerr.Error with code ValidationError and
// CloudWatch's enum message.
func ParseStatistic(name string) (Statistic, error) {
	for k := kindSampleCount; k <= kindMaximum; k++ {
		if simpleNames[k] == name {
			return Statistic{kind: k}, nil
		}
	}
	msg := "1 validation error detected: Value '" + name +
		"' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]"
	if _, problem := parseExtended(name); problem == "" {
		// The likely mistake: a percentile (or another extended
		// statistic) in the wrong field.
		msg += " (" + name + " is an extended statistic: give it as ExtendedStatistic)"
	}
	return Statistic{}, &cwerr.Error{Pkg: "metric", Code: cwerr.ValidationError, Field: "Statistic", Value: name, Message: msg}
}

// simpleStatistic reports whether name is one of the simple statistics.
func simpleStatistic(name string) bool {
	for k := kindSampleCount; k <= kindMaximum; k++ {
		if simpleNames[k] == name {
			return true
		}
	}
	return false
}

// ParseExtendedStatistic parses an extended statistic, as PutMetricAlarm's
// ExtendedStatistic and a MetricStat's Stat take it. The grammar:
//
//	extended   = percentile | single | "IQM" | range
//	percentile = "p" number                        p0 .. p100
//	single     = ("tm" | "wm" | "tc" | "ts") number   a percentage upper bound: tm90 = TM(:90%)
//	range      = ("TM" | "WM" | "TC" | "TS" | "PR") "(" [bound] ":" [bound] ")"
//	bound      = number ["%"]
//	number     = digit {digit} ["." digit {digit}]   at most 10 digits after the point
//
// Percentages lie in 0..100. The bounds of a range are both percentages or
// both absolute values, at least one is given, and when both are given the
// lower one is less than the upper one (a range with equal bounds holds
// nothing and is rejected). PR takes absolute bounds only. Abbreviations are
// lower case in the single-number form and upper case in the range form.
// An absolute bound is at most 2^360, the largest value a metric can have.
// The forms without parentheses that the User Guide shows (TM2:98, PR:300,
// TS80:) are not accepted: CloudWatch's acceptance of them is unverified, and
// the error suggests the parenthesised form. Simple statistics are rejected
// (use ParseStatistic).
//
// Errors are *cwerr.Error with code InvalidParameterValue and a message
// "The value 'X' for parameter ExtendedStatistic is invalid: <rule>."
// naming the part of X that broke the rule.
func ParseExtendedStatistic(name string) (Statistic, error) {
	s, problem := parseExtended(name)
	if problem != "" {
		return Statistic{}, newError(cwerr.InvalidParameterValue,
			"The value '"+name+"' for parameter ExtendedStatistic is invalid: "+problem+".")
	}
	return s, nil
}

const expected = "expected pNN, tmNN, wmNN, tcNN, tsNN, IQM, or TM, WM, TC, TS or PR with a range, such as p99, tm90 or TM(10%:90%)"

// parseExtended returns the statistic, or the rule that name breaks.
func parseExtended(name string) (Statistic, string) {
	if name == "" {
		return Statistic{}, "it is empty; " + expected
	}
	pos := 0
	for _, r := range name {
		pos++
		if r <= ' ' || r >= 0x7f {
			return Statistic{}, fmt.Sprintf("unexpected character %q at position %d (white space, control and non-ASCII characters are not allowed)", r, pos)
		}
	}
	if simpleStatistic(name) {
		return Statistic{}, name + " is a simple statistic, not an extended one"
	}
	if name == "IQM" {
		return Statistic{kind: kindTM, form: formIQM, flags: hasLo | hasHi | percent, lo: 25, hi: 75}, ""
	}
	if strings.EqualFold(name, "IQM") {
		return Statistic{}, "'" + name + "' is written in upper case: 'IQM'"
	}
	i := 0
	for i < len(name) && (name[i] >= 'a' && name[i] <= 'z' || name[i] >= 'A' && name[i] <= 'Z') {
		i++
	}
	prefix, rest := name[:i], name[i:]
	switch prefix {
	case "":
		return Statistic{}, "it must start with the name of a statistic; " + expected
	case "p":
		if rest == "" {
			return Statistic{}, "'p' must be followed by a percentile from 0 to 100, such as p99"
		}
		v, problem := parseNumber(rest)
		if problem != "" {
			return Statistic{}, problem
		}
		if v > 100 {
			return Statistic{}, "the percentile " + rest + " is greater than 100"
		}
		return Statistic{kind: kindPercentile, hi: v}, ""
	case "P":
		return Statistic{}, "percentiles are written with a lower-case p: 'p" + rest + "'"
	}
	up := strings.ToUpper(prefix)
	k := kindTM
	for k <= kindPR && rangeNames[k] != up {
		k++
	}
	if k > kindPR {
		return Statistic{}, "'" + prefix + "' is not the name of a statistic; " + expected
	}
	switch {
	case strings.HasPrefix(rest, "("):
		if prefix != up {
			return Statistic{}, "the range form is written in upper case: '" + up + rest + "'"
		}
		return parseRange(k, rest)
	case strings.Contains(rest, ":"):
		return Statistic{}, aliasProblem(k, rest)
	case k == kindPR:
		return Statistic{}, "PR takes absolute bounds in parentheses, such as PR(:300) or PR(100:2000)"
	case prefix == up && rest == "":
		return Statistic{}, "'" + up + "' must be followed by a range in parentheses, such as " + up +
			"(10%:90%), or be written in lower case with a percentage, such as " + strings.ToLower(up) + "90"
	case rest == "":
		return Statistic{}, "'" + prefix + "' must be followed by a percentage, such as " + prefix + "90"
	case prefix != strings.ToLower(up):
		return Statistic{}, "the single-number form is written in lower case: '" + strings.ToLower(up) + rest + "'"
	}
	v, problem := parseNumber(rest)
	if problem != "" {
		return Statistic{}, problem
	}
	if v > 100 {
		return Statistic{}, "the percentage " + rest + " is greater than 100"
	}
	return Statistic{kind: k, form: formSingle, flags: hasHi | percent, hi: v}, ""
}

// aliasProblem explains why TM2:98 and the like are rejected, suggesting the
// parenthesised forms.
func aliasProblem(k statKind, rest string) string {
	name := rangeNames[k]
	msg := "the form without parentheses '" + name + rest + "' is not supported; write the range in parentheses: '" + name + "(" + rest + ")'"
	if k == kindPR || strings.Contains(rest, "%") {
		return msg
	}
	lo, hi, _ := strings.Cut(rest, ":")
	if lo != "" {
		lo += "%"
	}
	if hi != "" {
		hi += "%"
	}
	return msg + " for absolute bounds or '" + name + "(" + lo + ":" + hi + ")' for percentages"
}

// parseRange parses "(a:b)", the part of a range form after its name.
func parseRange(k statKind, rest string) (Statistic, string) {
	name := rangeNames[k]
	end := strings.IndexByte(rest, ')')
	if end < 0 {
		return Statistic{}, "the range '" + rest + "' has no closing ')'"
	}
	if end != len(rest)-1 {
		return Statistic{}, "unexpected '" + rest[end+1:] + "' after the range '" + rest[:end+1] + "'"
	}
	inner := rest[1:end]
	loText, hiText, found := strings.Cut(inner, ":")
	switch {
	case !found:
		return Statistic{}, "the range '" + rest + "' needs a ':' between its bounds"
	case strings.Contains(hiText, ":"):
		return Statistic{}, "the range '" + rest + "' has more than one ':'"
	case loText == "" && hiText == "":
		return Statistic{}, "the range '" + rest + "' needs at least one bound"
	}
	s := Statistic{kind: k, form: formRange}
	pctLo, pctHi := false, false
	if loText != "" {
		v, pct, problem := parseBound(loText)
		if problem != "" {
			return Statistic{}, problem
		}
		s.lo, pctLo = v, pct
		s.flags |= hasLo
	}
	if hiText != "" {
		v, pct, problem := parseBound(hiText)
		if problem != "" {
			return Statistic{}, problem
		}
		s.hi, pctHi = v, pct
		s.flags |= hasHi
	}
	if loText != "" && hiText != "" {
		if pctLo != pctHi {
			pctText, absText := loText, hiText
			if pctHi {
				pctText, absText = hiText, loText
			}
			return Statistic{}, "the bounds must be both percentages or both absolute values, but '" + pctText +
				"' is a percentage and '" + absText + "' is not"
		}
	}
	if pctLo || pctHi {
		if k == kindPR {
			text := loText
			if !pctLo {
				text = hiText
			}
			return Statistic{}, name + " takes absolute bounds only, not the percentage '" + text + "'"
		}
		s.flags |= percent
	}
	if loText != "" && hiText != "" && s.lo >= s.hi {
		return Statistic{}, "the lower bound '" + loText + "' must be less than the upper bound '" + hiText + "'"
	}
	return s, ""
}

// parseBound parses a bound of a range: a number, with "%" for a percentage.
func parseBound(text string) (v float64, pct bool, problem string) {
	num, pct := strings.CutSuffix(text, "%")
	if num == "" {
		return 0, false, "the bound '" + text + "' has no number"
	}
	v, problem = parseNumber(num)
	switch {
	case problem != "":
		return 0, false, problem
	case pct && v > 100:
		return 0, false, "the percentage '" + text + "' is greater than 100%"
	case !pct && v > maxMagnitude:
		return 0, false, "the bound '" + text + "' is greater than 2^360, the largest value a metric can have"
	}
	return v, pct, ""
}

// parseNumber parses an unsigned decimal number with at most 10 digits
// after the point.
func parseNumber(s string) (float64, string) {
	isDigit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	i := 0
	for isDigit(i) {
		i++
	}
	if i == 0 {
		return 0, "'" + s + "' is not a number: it must start with a digit"
	}
	if i < len(s) {
		if s[i] != '.' {
			return 0, "'" + s + "' is not a number: unexpected '" + s[i:i+1] + "'"
		}
		j := i + 1
		for isDigit(j) {
			j++
		}
		switch {
		case j == i+1:
			return 0, "'" + s + "' is not a number: it needs digits after the decimal point"
		case j < len(s):
			return 0, "'" + s + "' is not a number: unexpected '" + s[j:j+1] + "'"
		case j-i-1 > 10:
			return 0, "'" + s + "' has more than 10 digits after the decimal point"
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, "'" + s + "' is too large"
	}
	return v, ""
}

// String returns the statistic's canonical text: "Average", "p99",
// "p99.5", "tm90", "TM(10%:90%)", "PR(:300)", "IQM". Numbers are written
// without leading zeros and without trailing zeros after the point. Parsing
// the text gives back an equal Statistic. The zero value gives
// "Statistic(invalid)".
func (s Statistic) String() string {
	switch {
	case s.kind == kindInvalid || s.kind > kindPR:
		return "Statistic(invalid)"
	case s.kind < kindPercentile:
		return simpleNames[s.kind]
	case s.kind == kindPercentile:
		return "p" + formatPercent(s.hi)
	case s.form == formIQM:
		return "IQM"
	case s.form == formSingle:
		return strings.ToLower(rangeNames[s.kind]) + formatPercent(s.hi)
	}
	b := rangeNames[s.kind] + "("
	if s.flags&hasLo != 0 {
		b += s.formatBound(s.lo)
	}
	b += ":"
	if s.flags&hasHi != 0 {
		b += s.formatBound(s.hi)
	}
	return b + ")"
}

func (s Statistic) formatBound(v float64) string {
	if s.flags&percent != 0 {
		return formatPercent(v) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// formatPercent writes a number of 0..100 parsed with at most 10 decimals,
// exactly as its decimal digits.
func formatPercent(v float64) string {
	k := int64(math.Round(v * 1e10))
	whole, frac := k/1e10, k%1e10
	if frac == 0 {
		return strconv.FormatInt(whole, 10)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%010d", whole, frac), "0")
}

// Extended reports whether s is an extended statistic (false for the five
// simple statistics and for the zero value).
func (s Statistic) Extended() bool { return s.kind >= kindPercentile && s.kind <= kindPR }

// Percentile returns the percentile of a pNN statistic, in percent (99.5
// for p99.5); ok is false for every other statistic.
func (s Statistic) Percentile() (p float64, ok bool) {
	if s.kind != kindPercentile {
		return 0, false
	}
	return s.hi, true
}

// AlarmProblem returns "" when s may be an alarm's ExtendedStatistic, or the
// reason it may not. BOTO's PutMetricAlarm documentation lists p90, tm90,
// tc90, ts90, wm90, IQM, PR(n:m) and TC(X%:X%), TM(X%:X%), TS(X%:X%),
// WM(X%:X%) "where X is between 10 and 90 inclusive". So a percentage bound
// given in a range form must lie in [10, 90]. A missing bound is no problem
// (TM(:90%) is tm90), nor are the single-number forms (tm99), percentiles,
// and absolute bounds, which the list does not restrict. Simple statistics
// and the zero value are problems: they are not extended statistics.
func (s Statistic) AlarmProblem() string {
	switch {
	case !s.Extended():
		return s.String() + " is not an extended statistic"
	case s.form != formRange || s.flags&percent == 0:
		return ""
	}
	for _, b := range [2]struct {
		flag uint8
		v    float64
	}{{hasLo, s.lo}, {hasHi, s.hi}} {
		if s.flags&b.flag != 0 && (b.v < 10 || b.v > 90) {
			return "the bound " + formatPercent(b.v) + "% of " + s.String() + " is outside 10%..90%; in an alarm, the percentage bounds of " +
				rangeNames[s.kind] + "(X%:X%) must be between 10 and 90 inclusive"
		}
	}
	return ""
}

// FromSet computes a simple statistic from a statistic set: SampleCount,
// Sum, Average (Sum / SampleCount), Minimum, Maximum. ok is false when the
// set is empty (SampleCount 0) or s is not a simple statistic.
func (s Statistic) FromSet(set StatisticSet) (v float64, ok bool) {
	if set.SampleCount == 0 {
		return 0, false
	}
	switch s.kind {
	case kindSampleCount:
		return set.SampleCount, true
	case kindSum:
		return set.Sum, true
	case kindAverage:
		return set.Sum / set.SampleCount, true
	case kindMinimum:
		return set.Minimum, true
	case kindMaximum:
		return set.Maximum, true
	}
	return 0, false
}

// A Sample is a raw value with its weight, as PutMetricData's Values and
// Counts give them.
type Sample struct{ Value, Count float64 }

// Sample returns the single weighted sample a statistic set stands for,
// when CloudWatch can compute extended statistics from the set: (a)
// SampleCount = 1 and Minimum = Maximum = Sum, or (b) Minimum = Maximum and
// Sum = Minimum × SampleCount. (a) is a case of (b). As Minimum = Maximum
// means that every sample equals Minimum, Sum is compared with Minimum ×
// SampleCount allowing the rounding error of summing SampleCount equal
// values (relative SampleCount × 2^-52), so that a set built by adding
// 0.1 ten times still counts. ok is false for an empty set.
func (set StatisticSet) Sample() (Sample, bool) {
	if !(set.SampleCount > 0) || set.Minimum != set.Maximum {
		return Sample{}, false
	}
	want := set.Minimum * set.SampleCount
	if set.Sum != want && !(math.Abs(set.Sum-want) <= set.SampleCount*0x1p-52*math.Abs(want)) {
		return Sample{}, false
	}
	return Sample{Value: set.Minimum, Count: set.SampleCount}, true
}

// LowSampleMinimum returns, for a percentile statistic pP, the sample count
// below which CloudWatch calls a period "too few samples", with p
// = P/100: 10/(1-p) for 0.5 <= p < 1 and 10/p for 0 < p < 0.5. p99 gives
// 1000, p90 100, p50 20, p25 40, p10 100. ok is false for other statistics
// and for p0 and p100, which the documentation does not cover: the project
// never treats them as low-sample.
func (s Statistic) LowSampleMinimum() (n float64, ok bool) {
	if s.kind != kindPercentile || s.hi <= 0 || s.hi >= 100 {
		return 0, false
	}
	k := math.Round(s.hi * 1e10) // P × 10^10, exact: P has at most 10 decimals
	if k >= 50e10 {
		return 1e13 / (1e12 - k), true // 1000/(100-P)
	}
	return 1e13 / k, true // 1000/P
}

// FromSamples computes s from raw samples sorted by ascending Value.
// Samples whose Count is not positive are ignored. It does not allocate.
//
// ok is false when the statistic is undefined: there are no samples; s is
// extended and a value is negative (CloudWatch: extended statistics are not
// available when any value is negative); TM or WM and nothing lies inside
// the bounds. TC, TS and PR of nothing inside are 0.
//
// With W the total weight (the sum of the Counts):
//   - SampleCount = W, Sum = Σ Value×Count, Average = Sum/W, Minimum and
//     Maximum are the extreme values.
//   - pP is the nearest rank: r = ceil(P/100 × W), and pP is the value of the
//     first sample at which the cumulative weight reaches r (p0 is the
//     minimum, p100 the maximum). The rank is computed exactly when W is a
//     whole number.
//   - Percentage bounds TM(a%:b%), WM, TC, TS (and tmB = TM(:B%), IQM =
//     TM(25%:75%)) are rank based: lo = ceil(a/100 × W) (0 when a is
//     missing), hi = ceil(b/100 × W) (W when b is missing). Lined up in
//     order, sample i covers the cumulative weight [C(i-1), C(i)); the part
//     inside [lo, hi) is included, so a sample across a cut counts only with
//     the weight on the inside. For 1..10, tm90 = mean(1..9) = 5 and
//     TM(10%:) = mean(2..10) = 6.
//   - Absolute bounds TM(a:b) etc. and PR include the values v with
//     a < v <= b (lower exclusive, upper inclusive; a missing bound is
//     unbounded).
//   - TM is the mean of the included weight, TC the included weight, TS the
//     sum of included Value×weight (TM × TC), PR = 100 × included weight / W.
//     WM is the mean over all the weight where the weight below the range
//     takes the value at the lower cut (the first included sample; for
//     absolute bounds, a) and the weight above takes the value at the upper
//     cut (the last included sample; for absolute bounds, b).
func (s Statistic) FromSamples(sorted []Sample) (v float64, ok bool) {
	var w, sum float64
	minV, maxV := math.Inf(1), math.Inf(-1)
	for _, x := range sorted {
		if !(x.Count > 0) {
			continue
		}
		w += x.Count
		sum += x.Value * x.Count
		minV, maxV = min(minV, x.Value), max(maxV, x.Value)
	}
	if !(w > 0) {
		return 0, false
	}
	switch s.kind {
	case kindSampleCount:
		return w, true
	case kindSum:
		return sum, true
	case kindAverage:
		return sum / w, true
	case kindMinimum:
		return minV, true
	case kindMaximum:
		return maxV, true
	case kindInvalid:
		return 0, false
	}
	if minV < 0 || s.kind > kindPR {
		return 0, false
	}
	switch {
	case s.kind == kindPercentile:
		return percentile(sorted, rank(s.hi, w)), true
	case s.flags&percent != 0:
		return s.byRank(sorted, w)
	}
	return s.byValue(sorted, w)
}

// rank returns ceil(p/100 × w) within [0, w]. When w is a whole number up
// to 2^53 it is computed exactly in integers, from p × 10^10 (exact, since p
// has at most 10 decimals).
func rank(p, w float64) float64 {
	if w == math.Trunc(w) && w <= 1<<53 && p >= 0 && p <= 100 {
		hi, lo := bits.Mul64(uint64(math.Round(p*1e10)), uint64(w))
		q, r := bits.Div64(hi, lo, 1e12) // hi < 2^30 < 10^12: no overflow
		if r != 0 {
			q++
		}
		return float64(q)
	}
	r := math.Ceil(p * w / 100)
	if !(r >= 0) {
		return 0
	}
	return min(r, w)
}

// percentile returns the value of the first sample at which the cumulative
// weight reaches r (the last one if rounding keeps it from reaching r).
func percentile(sorted []Sample, r float64) float64 {
	var cum, last float64
	for _, x := range sorted {
		if !(x.Count > 0) {
			continue
		}
		cum += x.Count
		last = x.Value
		if cum >= r {
			break
		}
	}
	return last
}

// byRank computes TM, WM, TC and TS with percentage bounds.
func (s Statistic) byRank(sorted []Sample, w float64) (float64, bool) {
	lo, hi := 0.0, w
	if s.flags&hasLo != 0 {
		lo = rank(s.lo, w)
	}
	if s.flags&hasHi != 0 {
		hi = rank(s.hi, w)
	}
	var cum, in, inSum, atLo, atHi float64
	for _, x := range sorted {
		if !(x.Count > 0) {
			continue
		}
		start := cum
		cum += x.Count
		part := min(cum, hi) - max(start, lo)
		if !(part > 0) {
			continue
		}
		if in == 0 {
			atLo = x.Value
		}
		atHi = x.Value
		in += part
		inSum += part * x.Value
	}
	switch s.kind {
	case kindTC:
		return in, true
	case kindTS:
		return inSum, true
	}
	if in == 0 {
		return 0, false
	}
	if s.kind == kindTM {
		return inSum / in, true
	}
	return (inSum + lo*atLo + (w-hi)*atHi) / w, true // WM
}

// byValue computes TM, WM, TC, TS and PR with absolute bounds.
func (s Statistic) byValue(sorted []Sample, w float64) (float64, bool) {
	lo, hi := math.Inf(-1), math.Inf(1)
	if s.flags&hasLo != 0 {
		lo = s.lo
	}
	if s.flags&hasHi != 0 {
		hi = s.hi
	}
	var in, inSum, below, above float64
	for _, x := range sorted {
		switch {
		case !(x.Count > 0):
		case x.Value <= lo:
			below += x.Count
		case x.Value > hi:
			above += x.Count
		default:
			in += x.Count
			inSum += x.Count * x.Value
		}
	}
	switch s.kind {
	case kindTC:
		return in, true
	case kindTS:
		return inSum, true
	case kindPR:
		return 100 * in / w, true
	}
	if in == 0 {
		return 0, false
	}
	if s.kind == kindTM {
		return inSum / in, true
	}
	total := inSum // WM: values <= lo count as lo, values > hi as hi
	if below > 0 {
		total += below * lo
	}
	if above > 0 {
		total += above * hi
	}
	return total / w, true
}
