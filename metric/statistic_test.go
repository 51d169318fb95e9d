package metric

import (
	"errors"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

var approx = cmpopts.EquateApprox(0, 1e-12)

// parse parses text as a simple statistic, else as an extended one.
func parse(text string) (Statistic, error) {
	if s, err := ParseStatistic(text); err == nil {
		return s, nil
	}
	return ParseExtendedStatistic(text)
}

func mustParse(t *testing.T, text string) Statistic {
	t.Helper()
	s, err := parse(text)
	if err != nil {
		t.Fatalf("parse(%q): %v", text, err)
	}
	return s
}

// ones returns unit-weight samples of the given (sorted) values.
func ones(values ...float64) []Sample {
	s := make([]Sample, len(values))
	for i, v := range values {
		s[i] = Sample{Value: v, Count: 1}
	}
	return s
}

// seq returns unit-weight samples of the values 1..n.
func seq(n int) []Sample {
	s := make([]Sample, n)
	for i := range s {
		s[i] = Sample{Value: float64(i + 1), Count: 1}
	}
	return s
}

var simpleTests = []struct {
	in  string
	why string
}{
	{"SampleCount", "the Statistic enum, spelled as BOTO spells it"},
	{"Average", "the Statistic enum"},
	{"Sum", "the Statistic enum"},
	{"Minimum", "the Statistic enum"},
	{"Maximum", "the Statistic enum"},
}

var acceptTests = []struct {
	in, canonical string
	why           string
}{
	{"p99", "p99", "percentile, whole number"},
	{"p99.5", "p99.5", "percentile with decimals"},
	{"p99.50", "p99.5", "trailing zeros after the point are dropped"},
	{"p99.0", "p99", "a zero fraction is dropped"},
	{"p095", "p95", "leading zeros are dropped"},
	{"p0", "p0", "lowest percentile: the minimum"},
	{"p0.0", "p0", "p0.0 is p0; the MetricAlarm doc says 'between p0.0 and p100'"},
	{"p100", "p100", "highest percentile: the maximum"},
	{"p100.0000000000", "p100", "10 decimals, all zero, is still 100"},
	{"p95.0123456789", "p95.0123456789", "the spec's example of 10 decimals"},
	{"p0.0000000001", "p0.0000000001", "smallest positive percentile with 10 decimals"},
	{"p99.9999999999", "p99.9999999999", "largest percentile below 100 with 10 decimals"},
	{"p33.3333333333", "p33.3333333333", "a fraction that is not exact in binary keeps its digits"},
	{"tm90", "tm90", "single-number trimmed mean = TM(:90%)"},
	{"tm99", "tm99", "the spec's example"},
	{"tm99.9", "tm99.9", "single-number form with decimals"},
	{"tm090", "tm90", "leading zero dropped"},
	{"tm0", "tm0", "0 is a percentage; TM of nothing is undefined at computation, not at parsing"},
	{"tm100", "tm100", "100 keeps everything"},
	{"wm98", "wm98", "the spec's winsorized example"},
	{"tc90", "tc90", "BOTO lists tc90"},
	{"ts90", "ts90", "BOTO lists ts90"},
	{"IQM", "IQM", "interquartile mean, = TM(25%:75%), keeps its name"},
	{"TM(10%:90%)", "TM(10%:90%)", "percentage range"},
	{"TM(2%:98%)", "TM(2%:98%)", "the spec's example"},
	{"TM(25%:75%)", "TM(25%:75%)", "the IQM range written out stays a range"},
	{"TM(:95%)", "TM(:95%)", "missing lower bound: from the lowest value to p95"},
	{"TM(10%:)", "TM(10%:)", "missing upper bound: drop the lowest 10%"},
	{"TM(0%:100%)", "TM(0%:100%)", "the widest percentage range"},
	{"TM(99.9999999999%:100%)", "TM(99.9999999999%:100%)", "the narrowest percentage range with 10 decimals"},
	{"TM(010.50%:90.00%)", "TM(10.5%:90%)", "numbers normalised inside a range"},
	{"TM(150:1000)", "TM(150:1000)", "absolute bounds: the spec's example"},
	{"TM(0.005:0.030)", "TM(0.005:0.03)", "absolute bounds with decimals; the trailing zero goes"},
	{"TM(0:1)", "TM(0:1)", "absolute bounds from 0"},
	{"WM(10%:90%)", "WM(10%:90%)", "winsorized range"},
	{"WM(:5)", "WM(:5)", "absolute upper bound only"},
	{"TC(0.005:0.030)", "TC(0.005:0.03)", "the spec's trimmed-count example"},
	{"TS(80%:)", "TS(80%:)", "the spec's trimmed-sum example"},
	{"PR(:300)", "PR(:300)", "percentile rank: % of values <= 300"},
	{"PR(100:2000)", "PR(100:2000)", "the spec's PR example"},
	{"PR(100:)", "PR(100:)", "PR with only a lower bound"},
	{"PR(0:0.0000000001)", "PR(0:0.0000000001)", "smallest absolute bound with 10 decimals"},
	{"PR(123456789012345678901234567890:)", "PR(123456789012345680000000000000:)",
		"30 digits exceed float64's 17: the canonical text has the shortest digits that read back as the same float64"},
	{"PR(:2.5)", "PR(:2.5)", "absolute bound with a fraction"},
}

func TestParseStatisticAccepts(t *testing.T) {
	for _, tt := range simpleTests {
		s, err := ParseStatistic(tt.in)
		if err != nil {
			t.Errorf("ParseStatistic(%q) (%s): %v", tt.in, tt.why, err)
			continue
		}
		if diff := cmp.Diff(tt.in, s.String()); diff != "" {
			t.Errorf("ParseStatistic(%q).String() (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
		if s.Extended() {
			t.Errorf("ParseStatistic(%q).Extended() = true, want false (%s)", tt.in, tt.why)
		}
		if _, err := ParseExtendedStatistic(tt.in); err == nil {
			t.Errorf("ParseExtendedStatistic(%q) succeeded, want an error: simple statistics are not extended", tt.in)
		}
	}
}

func TestParseExtendedStatisticAccepts(t *testing.T) {
	for _, tt := range acceptTests {
		s, err := ParseExtendedStatistic(tt.in)
		if err != nil {
			t.Errorf("ParseExtendedStatistic(%q) (%s): %v", tt.in, tt.why, err)
			continue
		}
		if diff := cmp.Diff(tt.canonical, s.String()); diff != "" {
			t.Errorf("ParseExtendedStatistic(%q).String() (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
		again, err := ParseExtendedStatistic(s.String())
		if err != nil {
			t.Errorf("ParseExtendedStatistic(%q) (canonical of %q): %v", s.String(), tt.in, err)
			continue
		}
		if again != s {
			t.Errorf("ParseExtendedStatistic(%q) = %#v, want %#v, the statistic parsed from %q", s.String(), again, s, tt.in)
		}
		if !s.Extended() {
			t.Errorf("ParseExtendedStatistic(%q).Extended() = false, want true", tt.in)
		}
		if _, err := ParseStatistic(tt.in); err == nil {
			t.Errorf("ParseStatistic(%q) succeeded, want an error: extended statistics are not simple", tt.in)
		}
	}
}

func TestEqualForms(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		equal bool
		why   string
	}{
		{"p99.50", "p99.5", true, "the same number written twice"},
		{"TM(0.005:0.030)", "TM(0.005:0.03)", true, "the same bounds"},
		{"tm90", "TM(:90%)", false, "same values, different forms: String and AlarmProblem keep them apart"},
		{"IQM", "TM(25%:75%)", false, "same values, different forms"},
		{"TM(10%:90%)", "TM(10:90)", false, "percentages are not absolute bounds"},
		{"TM(10%:90%)", "WM(10%:90%)", false, "different families"},
	} {
		a, b := mustParse(t, tt.a), mustParse(t, tt.b)
		if got := a == b; got != tt.equal {
			t.Errorf("%s == %s: got %v, want %v (%s)", tt.a, tt.b, got, tt.equal, tt.why)
		}
	}
}

const expectedText = "expected pNN, tmNN, wmNN, tcNN, tsNN, IQM, or TM, WM, TC, TS or PR with a range, such as p99, tm90 or TM(10%:90%)"

// hugeBound is 10^200, beyond 2^360 (about 2.3e108).
var hugeBound = "1" + strings.Repeat("0", 200)

var rejectTests = []struct {
	in   string
	rule string // the message after "The value 'X' for parameter ExtendedStatistic is invalid: ", without the final "."
	why  string
}{
	{"", "it is empty; " + expectedText, "nothing to parse"},
	{"P99", "percentiles are written with a lower-case p: 'p99'", "the p is lower case (spec §5.2)"},
	{"p101", "the percentile 101 is greater than 100", "percentiles lie in 0..100"},
	{"p100.0000000001", "the percentile 100.0000000001 is greater than 100", "just above 100"},
	{"p99.12345678901", "'99.12345678901' has more than 10 digits after the decimal point", "up to 10 decimal places (spec §5.2)"},
	{"p", "'p' must be followed by a percentile from 0 to 100, such as p99", "no number"},
	{"p-5", "'-5' is not a number: it must start with a digit", "numbers are unsigned"},
	{"p+5", "'+5' is not a number: it must start with a digit", "no sign either"},
	{"p99.", "'99.' is not a number: it needs digits after the decimal point", "a point needs digits after it"},
	{"p.5", "'.5' is not a number: it must start with a digit", "a point needs digits before it"},
	{"p1e2", "'1e2' is not a number: unexpected 'e'", "no exponents"},
	{"p99x", "'99x' is not a number: unexpected 'x'", "trailing garbage"},
	{"p9.9.9", "'9.9.9' is not a number: unexpected '.'", "two points"},
	{"p1" + strings.Repeat("0", 400), "'1" + strings.Repeat("0", 400) + "' is too large", "overflows float64"},
	{"tm", "'tm' must be followed by a percentage, such as tm90", "single-number form without its number"},
	{"tm101", "the percentage 101 is greater than 100", "the single number is a percentage"},
	{"tm90%", "'90%' is not a number: unexpected '%'", "the single-number form takes no %"},
	{"tm(10%:90%)", "the range form is written in upper case: 'TM(10%:90%)'", "upper case with a range (spec §5.2)"},
	{"Tm(10%:90%)", "the range form is written in upper case: 'TM(10%:90%)'", "mixed case"},
	{"TM90", "the single-number form is written in lower case: 'tm90'", "lower case for the single-number form (spec §5.2)"},
	{"Tm90", "the single-number form is written in lower case: 'tm90'", "mixed case"},
	{"TM", "'TM' must be followed by a range in parentheses, such as TM(10%:90%), or be written in lower case with a percentage, such as tm90", "the name alone"},
	{"pr90", "PR takes absolute bounds in parentheses, such as PR(:300) or PR(100:2000)", "PR has no single-number form"},
	{"iqm", "'iqm' is written in upper case: 'IQM'", "IQM is upper case"},
	{"Average", "Average is a simple statistic, not an extended one", "simple statistics go to Statistic"},
	{"Avg", "'Avg' is not the name of a statistic; " + expectedText, "not a statistic"},
	{"px99", "'px' is not the name of a statistic; " + expectedText, "unknown prefix"},
	{"xyz(1:2)", "'xyz' is not the name of a statistic; " + expectedText, "unknown family"},
	{"99", "it must start with the name of a statistic; " + expectedText, "a number alone"},
	{"(10%:90%)", "it must start with the name of a statistic; " + expectedText, "a range alone"},
	{" p99", "unexpected character ' ' at position 1 (white space, control and non-ASCII characters are not allowed)", "no trimming"},
	{"p99\t", "unexpected character '\\t' at position 4 (white space, control and non-ASCII characters are not allowed)", "control character"},
	{"TM(10%:90%\u00a0)", "unexpected character '\\u00a0' at position 11 (white space, control and non-ASCII characters are not allowed)", "non-ASCII space"},
	{"TM(5%:300)", "the bounds must be both percentages or both absolute values, but '5%' is a percentage and '300' is not", "mixed bounds"},
	{"TM(5:30%)", "the bounds must be both percentages or both absolute values, but '30%' is a percentage and '5' is not", "mixed bounds, the other way"},
	{"TM(:)", "the range '(:)' needs at least one bound", "both bounds missing"},
	{"TM()", "the range '()' needs a ':' between its bounds", "empty range"},
	{"TM(10%90%)", "the range '(10%90%)' needs a ':' between its bounds", "no colon"},
	{"TM(1:2:3)", "the range '(1:2:3)' has more than one ':'", "two colons"},
	{"TM(10%:90%", "the range '(10%:90%' has no closing ')'", "unclosed"},
	{"TM(10%:90%)x", "unexpected 'x' after the range '(10%:90%)'", "trailing text"},
	{"TM((10%:90%))", "unexpected ')' after the range '((10%:90%)'", "nested parentheses"},
	{"TM(90%:10%)", "the lower bound '90%' must be less than the upper bound '10%'", "reversed range"},
	{"TM(10%:10%)", "the lower bound '10%' must be less than the upper bound '10%'", "an empty range: our choice is to reject a == b"},
	{"PR(300:300)", "the lower bound '300' must be less than the upper bound '300'", "(300, 300] holds nothing"},
	{"PR(300:100)", "the lower bound '300' must be less than the upper bound '100'", "reversed absolute range"},
	{"TM(101%:)", "the percentage '101%' is greater than 100%", "percentages lie in 0..100"},
	{"TM(%:90%)", "the bound '%' has no number", "a bare %"},
	{"TM(10%%:90%)", "'10%' is not a number: unexpected '%'", "two %"},
	{"TM(-1:5)", "'-1' is not a number: it must start with a digit", "absolute bounds are unsigned too"},
	{"TM(1:0.12345678901)", "'0.12345678901' has more than 10 digits after the decimal point", "10 decimals for absolute bounds too"},
	{"PR(:" + hugeBound + ")", "the bound '" + hugeBound + "' is greater than 2^360, the largest value a metric can have", "no metric value exceeds 2^360"},
	{"PR(10%:90%)", "PR takes absolute bounds only, not the percentage '10%'", "PR has absolute bounds (spec §5.2)"},
	{"PR(:90%)", "PR takes absolute bounds only, not the percentage '90%'", "PR, percentage upper bound"},
	{"PR(90%:10%)", "PR takes absolute bounds only, not the percentage '90%'", "the PR rule is checked before the order of the bounds"},
	{"TM2:98", "the form without parentheses 'TM2:98' is not supported; write the range in parentheses: 'TM(2:98)' for absolute bounds or 'TM(2%:98%)' for percentages", "unverified alias (spec §5.2)"},
	{"WM10:90", "the form without parentheses 'WM10:90' is not supported; write the range in parentheses: 'WM(10:90)' for absolute bounds or 'WM(10%:90%)' for percentages", "unverified alias"},
	{"PR:300", "the form without parentheses 'PR:300' is not supported; write the range in parentheses: 'PR(:300)'", "unverified alias; PR is absolute only"},
	{"TC0.005:0.030", "the form without parentheses 'TC0.005:0.030' is not supported; write the range in parentheses: 'TC(0.005:0.030)' for absolute bounds or 'TC(0.005%:0.030%)' for percentages", "unverified alias"},
	{"TS80:", "the form without parentheses 'TS80:' is not supported; write the range in parentheses: 'TS(80:)' for absolute bounds or 'TS(80%:)' for percentages", "unverified alias"},
	{"tm10%:90%", "the form without parentheses 'TM10%:90%' is not supported; write the range in parentheses: 'TM(10%:90%)'", "alias with percentages, lower case"},
}

func TestParseExtendedStatisticRejects(t *testing.T) {
	for _, tt := range rejectTests {
		_, err := ParseExtendedStatistic(tt.in)
		var got *cwerr.Error
		if !errors.As(err, &got) {
			t.Errorf("ParseExtendedStatistic(%q) (%s): error %v, want a *cwerr.Error", tt.in, tt.why, err)
			continue
		}
		want := &cwerr.Error{
			Pkg:     "metric",
			Code:    cwerr.InvalidParameterValue,
			Message: "The value '" + tt.in + "' for parameter ExtendedStatistic is invalid: " + tt.rule + ".",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseExtendedStatistic(%q) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
		if !errors.Is(err, ErrValidation) {
			t.Errorf("ParseExtendedStatistic(%q): errors.Is(err, ErrValidation) = false", tt.in)
		}
	}
}

func TestParseStatisticRejects(t *testing.T) {
	for _, tt := range []struct {
		in   string
		hint string
		why  string
	}{
		{"", "", "empty"},
		{"average", "", "the enum is case sensitive"},
		{"AVERAGE", "", "the SNS payload's upper-case spelling is not the API's"},
		{"Avg", "", "not a statistic"},
		{"Average ", "", "no trimming"},
		{"p99", " (p99 is an extended statistic: give it as ExtendedStatistic)", "extended statistics go to ExtendedStatistic, and the message says so"},
		{"IQM", " (IQM is an extended statistic: give it as ExtendedStatistic)", "extended"},
	} {
		_, err := ParseStatistic(tt.in)
		var got *cwerr.Error
		if !errors.As(err, &got) {
			t.Errorf("ParseStatistic(%q) (%s): error %v, want a *cwerr.Error", tt.in, tt.why, err)
			continue
		}
		want := &cwerr.Error{
			Pkg:  "metric",
			Code: cwerr.ValidationError,
			Message: "1 validation error detected: Value '" + tt.in + "' at 'statistic' failed to satisfy constraint: " +
				"Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]" + tt.hint,
			Field: "Statistic",
			Value: tt.in,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseStatistic(%q) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
		if !errors.Is(err, ErrValidation) {
			t.Errorf("ParseStatistic(%q): errors.Is(err, ErrValidation) = false", tt.in)
		}
	}
}

func TestZeroStatistic(t *testing.T) {
	var s Statistic
	type result struct {
		String       string
		Extended     bool
		AlarmProblem string
		SetOK        bool
		SamplesOK    bool
		LowOK        bool
		PercentileOK bool
	}
	_, setOK := s.FromSet(StatisticSet{SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1})
	_, samplesOK := s.FromSamples(seq(3))
	_, lowOK := s.LowSampleMinimum()
	_, pOK := s.Percentile()
	got := result{s.String(), s.Extended(), s.AlarmProblem(), setOK, samplesOK, lowOK, pOK}
	want := result{String: "Statistic(invalid)", AlarmProblem: "Statistic(invalid) is not an extended statistic"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero Statistic: nothing is defined (-want +got):\n%s", diff)
	}
}

func TestPercentile(t *testing.T) {
	for _, tt := range []struct {
		in  string
		p   float64
		ok  bool
		why string
	}{
		{"p99", 99, true, "percent, not a fraction"},
		{"p99.5", 99.5, true, "decimals kept"},
		{"p0", 0, true, "p0 is a percentile"},
		{"tm99", 0, false, "a trimmed mean is not a percentile"},
		{"IQM", 0, false, "not a percentile"},
		{"Maximum", 0, false, "simple statistics are not percentiles"},
	} {
		p, ok := mustParse(t, tt.in).Percentile()
		if diff := cmp.Diff(struct {
			P  float64
			OK bool
		}{tt.p, tt.ok}, struct {
			P  float64
			OK bool
		}{p, ok}); diff != "" {
			t.Errorf("%s.Percentile() (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

type valueOK struct {
	V  float64
	OK bool
}

func TestFromSet(t *testing.T) {
	set := StatisticSet{SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4}
	for _, tt := range []struct {
		stat string
		set  StatisticSet
		want valueOK
		why  string
	}{
		{"SampleCount", set, valueOK{4, true}, "the set's SampleCount"},
		{"Sum", set, valueOK{10, true}, "the set's Sum"},
		{"Average", set, valueOK{2.5, true}, "10 / 4"},
		{"Minimum", set, valueOK{1, true}, "the set's Minimum"},
		{"Maximum", set, valueOK{4, true}, "the set's Maximum"},
		{"Average", StatisticSet{SampleCount: 0.5, Sum: 3, Minimum: 6, Maximum: 6}, valueOK{6, true}, "fractional counts: 3 / 0.5"},
		{"Average", StatisticSet{}, valueOK{0, false}, "an empty set has no statistics"},
		{"SampleCount", StatisticSet{}, valueOK{0, false}, "not even SampleCount: no datapoint"},
		{"p50", set, valueOK{0, false}, "extended statistics need samples"},
		{"TC(:5)", set, valueOK{0, false}, "extended statistics need samples"},
	} {
		v, ok := mustParse(t, tt.stat).FromSet(tt.set)
		if diff := cmp.Diff(tt.want, valueOK{v, ok}, approx); diff != "" {
			t.Errorf("%s.FromSet(%+v) (%s) (-want +got):\n%s", tt.stat, tt.set, tt.why, diff)
		}
	}
}

var samplesTests = []struct {
	stat    string
	samples []Sample
	want    valueOK
	why     string
}{
	// Simple statistics.
	{"SampleCount", seq(10), valueOK{10, true}, "10 samples of weight 1"},
	{"Sum", seq(10), valueOK{55, true}, "1+...+10 = 55"},
	{"Average", seq(10), valueOK{5.5, true}, "55 / 10"},
	{"Minimum", seq(10), valueOK{1, true}, "smallest"},
	{"Maximum", seq(10), valueOK{10, true}, "largest"},
	{"SampleCount", []Sample{{1, 5}, {2, 5}}, valueOK{10, true}, "weights add: 5 + 5"},
	{"Sum", []Sample{{1, 5}, {2, 5}}, valueOK{15, true}, "1×5 + 2×5"},
	{"Average", []Sample{{1, 5}, {2, 5}}, valueOK{1.5, true}, "15 / 10"},
	{"Sum", []Sample{{2, 1}, {4, 1}, {10, 4}}, valueOK{46, true}, "the spec's real check has Sum 42 with Maximum 10 and 6 samples; here 2+4+40 = 46"},
	{"Average", []Sample{{-3, 1}, {1, 1}}, valueOK{-1, true}, "simple statistics allow negative values: (-3+1)/2"},
	{"Minimum", []Sample{{-3, 1}, {1, 1}}, valueOK{-3, true}, "negative minimum"},
	{"Minimum", []Sample{{1, 0}, {5, 2}, {7, -1}}, valueOK{5, true}, "samples with Count <= 0 are ignored: only (5, 2) is left"},
	{"SampleCount", []Sample{{1, 0}, {5, 2}, {7, -1}}, valueOK{2, true}, "only the weight 2 counts"},
	{"Average", nil, valueOK{0, false}, "no samples: undefined"},
	{"SampleCount", nil, valueOK{0, false}, "no samples: no datapoint"},
	{"Sum", []Sample{{4, 0}}, valueOK{0, false}, "only a zero-weight sample: nothing"},

	// Percentiles: nearest rank, r = ceil(P/100 × W).
	{"p0", seq(10), valueOK{1, true}, "r = 0: the first sample, the minimum"},
	{"p10", seq(10), valueOK{1, true}, "r = ceil(1) = 1: the 1st value"},
	{"p10.5", seq(10), valueOK{2, true}, "r = ceil(1.05) = 2: the 2nd value"},
	{"p0.0000000001", seq(10), valueOK{1, true}, "r = ceil(1e-11) = 1"},
	{"p50", seq(10), valueOK{5, true}, "r = 5: nearest rank, not the interpolated 5.5"},
	{"p90", seq(10), valueOK{9, true}, "r = 9"},
	{"p95", seq(10), valueOK{10, true}, "r = ceil(9.5) = 10"},
	{"p99", seq(10), valueOK{10, true}, "r = ceil(9.9) = 10"},
	{"p100", seq(10), valueOK{10, true}, "r = 10: the maximum"},
	{"p50", ones(7), valueOK{7, true}, "one sample: every percentile is that value"},
	{"p7", seq(100), valueOK{7, true}, "r = 7 exactly; 0.07×100 is 7.000000000000001 in float64, whose ceiling would give 8"},
	{"p28", seq(25), valueOK{7, true}, "r = ceil(28×25/100) = 7; 0.28×25 rounds above 7 in float64"},
	{"p99.9", seq(1000), valueOK{999, true}, "r = 999"},
	{"p50", []Sample{{1, 5}, {2, 5}}, valueOK{1, true}, "W = 10, r = 5, reached by the first sample's weight 5"},
	{"p51", []Sample{{1, 5}, {2, 5}}, valueOK{2, true}, "r = ceil(5.1) = 6: past the first sample"},
	{"p25", []Sample{{2, 0.5}, {4, 1.5}}, valueOK{4, true}, "W = 2, r = ceil(0.5) = 1; the cumulative weight 0.5 < 1, then 2 >= 1"},
	{"p100", []Sample{{2, 0.5}, {4, 1}}, valueOK{4, true}, "W = 1.5, r = ceil(1.5) = 2 clamped to W = 1.5: the maximum"},
	{"p0", []Sample{{2, 0.5}, {4, 1}}, valueOK{2, true}, "r = 0: the minimum"},
	{"p50", []Sample{{0, 1}, {3, 1}}, valueOK{0, true}, "zero is not negative"},
	{"p50", []Sample{{-1, 1}, {3, 1}}, valueOK{0, false}, "a negative value: extended statistics are unavailable"},
	{"p50", nil, valueOK{0, false}, "no samples"},

	// Percentage bounds: rank based, lo = ceil(a/100×W), hi = ceil(b/100×W), weight in [lo, hi).
	{"tm90", seq(10), valueOK{5, true}, "hi = 9: mean(1..9) = 45/9"},
	{"TM(:90%)", seq(10), valueOK{5, true}, "same as tm90"},
	{"TM(10%:)", seq(10), valueOK{6, true}, "lo = 1: mean(2..10) = 54/9"},
	{"TM(10%:90%)", seq(10), valueOK{5.5, true}, "[1, 9): mean(2..9) = 44/8"},
	{"IQM", seq(8), valueOK{4.5, true}, "W = 8, [2, 6): mean(3..6) = 18/4"},
	{"IQM", seq(10), valueOK{6, true}, "W = 10, lo = ceil(2.5) = 3, hi = ceil(7.5) = 8: [3, 8) holds 4..8, mean 30/5"},
	{"TM(0%:100%)", seq(10), valueOK{5.5, true}, "everything: the average"},
	{"tm100", seq(10), valueOK{5.5, true}, "everything"},
	{"tm0", seq(10), valueOK{0, false}, "hi = 0: nothing inside, TM undefined"},
	{"TM(:0%)", seq(10), valueOK{0, false}, "nothing inside"},
	{"TM(100%:)", seq(10), valueOK{0, false}, "lo = hi = 10: nothing inside"},
	{"TM(99.9999999999%:100%)", seq(10), valueOK{0, false}, "lo = ceil(9.999999999999) = 10 = hi: nothing inside"},
	{"tm90", []Sample{{1, 5}, {2, 5}}, valueOK{13.0 / 9, true}, "W = 10, hi = 9: weight 5 of 1 and 4 of 2 (the cut splits the second sample): 13/9"},
	{"tc90", []Sample{{1, 5}, {2, 5}}, valueOK{9, true}, "weight in [0, 9)"},
	{"TC(10%:90%)", []Sample{{1, 5}, {2, 5}}, valueOK{8, true}, "[1, 9): 4 of 1 and 4 of 2"},
	{"TS(10%:90%)", []Sample{{1, 5}, {2, 5}}, valueOK{12, true}, "4×1 + 4×2"},
	{"WM(10%:90%)", []Sample{{1, 5}, {2, 5}}, valueOK{1.5, true}, "inside 12; below weight 1 takes 1 (lower cut), above weight 1 takes 2 (upper cut): 15/10"},
	{"tm50", []Sample{{2, 0.5}, {4, 1}}, valueOK{3, true}, "W = 1.5, hi = ceil(0.75) = 1: 0.5 of 2 and 0.5 of 4: 3/1"},
	{"tc90", seq(10), valueOK{9, true}, "weight in [0, 9)"},
	{"ts90", seq(10), valueOK{45, true}, "1+...+9"},
	{"TC(10%:90%)", seq(10), valueOK{8, true}, "2..9"},
	{"TS(10%:90%)", seq(10), valueOK{44, true}, "2+...+9"},
	{"TS(80%:)", seq(10), valueOK{19, true}, "lo = 8: 9 + 10, all but the lowest 80%"},
	{"tc0", seq(10), valueOK{0, true}, "TC of nothing is 0"},
	{"ts0", seq(10), valueOK{0, true}, "TS of nothing is 0"},
	{"wm90", seq(10), valueOK{5.4, true}, "1..9 kept (45), the top weight 1 takes p90 = 9: 54/10"},
	{"wm98", seq(10), valueOK{5.5, true}, "hi = ceil(9.8) = 10: nothing clamped"},
	{"WM(10%:90%)", seq(10), valueOK{5.5, true}, "1 -> 2, 10 -> 9: (2 + 44 + 9)/10"},
	{"WM(20%:70%)", seq(10), valueOK{5.2, true}, "[2, 7): 3..7 kept (25), 1,2 -> 3 (6), 8,9,10 -> 7 (21): 52/10"},
	{"wm0", seq(10), valueOK{0, false}, "nothing inside: WM undefined"},
	{"tm90", []Sample{{-1, 1}, {3, 1}}, valueOK{0, false}, "negative value"},
	{"tc90", nil, valueOK{0, false}, "no samples: undefined, not 0"},

	// Absolute bounds: a < v <= b.
	{"TM(2:8)", seq(10), valueOK{5.5, true}, "3..8: 33/6 (2 is excluded, 8 included)"},
	{"TC(2:8)", seq(10), valueOK{6, true}, "3..8"},
	{"TS(2:8)", seq(10), valueOK{33, true}, "3+...+8"},
	{"PR(2:8)", seq(10), valueOK{60, true}, "6 of 10"},
	{"PR(:3)", seq(10), valueOK{30, true}, "1, 2, 3: upper bound inclusive"},
	{"PR(3:)", seq(10), valueOK{70, true}, "4..10: lower bound exclusive"},
	{"PR(10:)", seq(10), valueOK{0, true}, "nothing above 10: 0"},
	{"PR(:0.5)", []Sample{{0, 3}, {1, 1}}, valueOK{75, true}, "0 <= 0.5: weight 3 of 4"},
	{"TC(0.005:0.030)", ones(0.001, 0.005, 0.01, 0.03, 0.04), valueOK{2, true}, "0.01 and 0.03 lie in (0.005, 0.030]"},
	{"TM(10:)", seq(10), valueOK{0, false}, "nothing above 10: TM undefined"},
	{"TC(10:)", seq(10), valueOK{0, true}, "TC of nothing: 0"},
	{"TS(10:)", seq(10), valueOK{0, true}, "TS of nothing: 0"},
	{"WM(2:8)", seq(10), valueOK{5.3, true}, "1,2 -> 2 (4), 3..8 (33), 9,10 -> 8 (16): 53/10"},
	{"WM(:5)", seq(10), valueOK{4, true}, "1..5 (15), 6..10 -> 5 (25): 40/10"},
	{"WM(10:)", seq(10), valueOK{0, false}, "nothing inside: WM undefined"},
	{"TM(:5)", []Sample{{1, 2}, {5, 2}, {6, 4}}, valueOK{3, true}, "weights: 2×1 + 2×5 over 4"},
	{"PR(:5)", []Sample{{1, 2}, {5, 2}, {6, 4}}, valueOK{50, true}, "weight 4 of 8"},
	{"PR(:5)", []Sample{{-1, 1}, {5, 1}}, valueOK{0, false}, "negative value: unavailable"},
	{"PR(:5)", nil, valueOK{0, false}, "no samples"},
}

func TestFromSamples(t *testing.T) {
	for _, tt := range samplesTests {
		s := mustParse(t, tt.stat)
		v, ok := s.FromSamples(tt.samples)
		if diff := cmp.Diff(tt.want, valueOK{v, ok}, approx); diff != "" {
			t.Errorf("%s.FromSamples(%v) (%s) (-want +got):\n%s", tt.stat, tt.samples, tt.why, diff)
		}
	}
}

func TestRank(t *testing.T) {
	for _, tt := range []struct {
		p, w, want float64
		why        string
	}{
		{28, 25, 7, "28×25/100 = 7 exactly; 0.28×25 in float64 is above 7"},
		{7, 100, 7, "0.07×100 in float64 is 7.000000000000001"},
		{0, 5, 0, "p0: rank 0, the first sample"},
		{50, 3, 2, "ceil(1.5)"},
		{100, 10, 10, "the whole weight"},
		{99.9999999999, 1e12, 999999999999, "ceil(999999999999) with no rounding error at 12 digits"},
		{0.0000000001, 1e12, 1, "1e-12 × 1e12 = 1 exactly"},
		{0.0000000001, 1e12 + 1, 2, "just over 1: ceil gives 2"},
		{50, 1 << 53, 1 << 52, "the largest whole weight computed in integers"},
		{100, 2.5, 2.5, "a fractional weight: ceil(2.5) = 3 is clamped to W"},
		{50, 2.5, 2, "ceil(1.25)"},
	} {
		if diff := cmp.Diff(tt.want, rank(tt.p, tt.w)); diff != "" {
			t.Errorf("rank(%v, %v) (%s) (-want +got):\n%s", tt.p, tt.w, tt.why, diff)
		}
	}
}

func TestFromSamplesAgreesWithFromSet(t *testing.T) {
	samples := []Sample{{2, 1}, {4, 1}, {10, 4}}
	set := StatisticSet{SampleCount: 6, Sum: 46, Minimum: 2, Maximum: 10}
	for _, tt := range simpleTests {
		s := mustParse(t, tt.in)
		fromSamples, ok1 := s.FromSamples(samples)
		fromSet, ok2 := s.FromSet(set)
		if diff := cmp.Diff(valueOK{fromSet, ok2}, valueOK{fromSamples, ok1}, approx); diff != "" {
			t.Errorf("%s: FromSamples and FromSet of the same data differ (-set +samples):\n%s", tt.in, diff)
		}
	}
}

func TestFromSamplesDoesNotAllocate(t *testing.T) {
	samples := seq(100)
	var stats []Statistic
	for _, tt := range samplesTests {
		stats = append(stats, mustParse(t, tt.stat))
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, s := range stats {
			s.FromSamples(samples)
		}
	})
	if allocs != 0 {
		t.Errorf("FromSamples allocates %v times per run, want 0: it runs on the evaluation hot path", allocs)
	}
}

func TestStatisticSetSample(t *testing.T) {
	type result struct {
		S  Sample
		OK bool
	}
	for _, tt := range []struct {
		set  StatisticSet
		want result
		why  string
	}{
		{StatisticSet{SampleCount: 1, Sum: 5, Minimum: 5, Maximum: 5}, result{Sample{5, 1}, true}, "case (a): one sample, Min = Max = Sum"},
		{StatisticSet{SampleCount: 3, Sum: 15, Minimum: 5, Maximum: 5}, result{Sample{5, 3}, true}, "case (b): Min = Max, Sum = 5×3"},
		{StatisticSet{SampleCount: 4, Sum: 0, Minimum: 0, Maximum: 0}, result{Sample{0, 4}, true}, "case (b) with zeros"},
		{StatisticSet{SampleCount: 2, Sum: -6, Minimum: -3, Maximum: -3}, result{Sample{-3, 2}, true}, "negative values make a sample too; FromSamples then refuses extended statistics"},
		{StatisticSet{SampleCount: 10, Sum: 0.9999999999999999, Minimum: 0.1, Maximum: 0.1}, result{Sample{0.1, 10}, true}, "0.1 added ten times in float64 is 0.9999999999999999, not 0.1×10 = 1: rounding is allowed"},
		{StatisticSet{SampleCount: 0.5, Sum: 1, Minimum: 2, Maximum: 2}, result{Sample{2, 0.5}, true}, "a fractional count is a weight"},
		{StatisticSet{SampleCount: 1, Sum: 7, Minimum: 5, Maximum: 5}, result{}, "one sample whose Sum is not its value: inconsistent"},
		{StatisticSet{SampleCount: 3, Sum: 14, Minimum: 5, Maximum: 5}, result{}, "Sum != Min×SampleCount"},
		{StatisticSet{SampleCount: 3, Sum: 15.000001, Minimum: 5, Maximum: 5}, result{}, "a difference far beyond rounding"},
		{StatisticSet{SampleCount: 2, Sum: 5, Minimum: 1, Maximum: 4}, result{}, "Min != Max: several values, raw samples unknown"},
		{StatisticSet{}, result{}, "empty set"},
		{StatisticSet{SampleCount: -1, Sum: -5, Minimum: 5, Maximum: 5}, result{}, "no positive count"},
	} {
		s, ok := tt.set.Sample()
		if diff := cmp.Diff(tt.want, result{s, ok}); diff != "" {
			t.Errorf("%+v.Sample() (%s) (-want +got):\n%s", tt.set, tt.why, diff)
		}
	}
}

func TestLowSampleMinimum(t *testing.T) {
	for _, tt := range []struct {
		stat string
		want valueOK
		why  string
	}{
		{"p99", valueOK{1000, true}, "10/(1-0.99), spec §4"},
		{"p90", valueOK{100, true}, "10/(1-0.9), spec §4"},
		{"p50", valueOK{20, true}, "10/(1-0.5), spec §4: p = 0.5 uses the upper formula"},
		{"p25", valueOK{40, true}, "10/0.25, spec §4"},
		{"p10", valueOK{100, true}, "10/0.1, spec §4"},
		{"p75", valueOK{40, true}, "10/0.25"},
		{"p99.9", valueOK{10000, true}, "10/0.001, computed exactly from the decimal digits"},
		{"p49.9999999999", valueOK{1000 / 49.9999999999, true}, "just below 50: the lower formula 1000/P"},
		{"p0.0000000001", valueOK{1e13, true}, "1000/1e-10"},
		{"p99.9999999999", valueOK{1e13, true}, "1000/(100-99.9999999999)"},
		{"p0", valueOK{0, false}, "not covered by the docs: never low-sample"},
		{"p100", valueOK{0, false}, "not covered by the docs: never low-sample"},
		{"tm99", valueOK{0, false}, "only percentiles"},
		{"Average", valueOK{0, false}, "only percentiles"},
	} {
		n, ok := mustParse(t, tt.stat).LowSampleMinimum()
		if diff := cmp.Diff(tt.want, valueOK{n, ok}, approx); diff != "" {
			t.Errorf("%s.LowSampleMinimum() (%s) (-want +got):\n%s", tt.stat, tt.why, diff)
		}
	}
}

func TestAlarmProblem(t *testing.T) {
	for _, tt := range []struct {
		stat string
		want string
		why  string
	}{
		{"p90", "", "BOTO lists p90"},
		{"p99.99", "", "any percentile"},
		{"p0", "", "any percentile"},
		{"tm90", "", "BOTO lists tm90"},
		{"tm99", "", "single-number forms are not restricted"},
		{"wm5", "", "single-number forms are not restricted"},
		{"tc90", "", "BOTO lists tc90"},
		{"ts90", "", "BOTO lists ts90"},
		{"IQM", "", "BOTO lists IQM"},
		{"PR(:300)", "", "BOTO lists PR(n:m)"},
		{"PR(100:2000)", "", "PR(n:m)"},
		{"TM(10%:90%)", "", "X between 10 and 90 inclusive: both ends"},
		{"TS(25.5%:75%)", "", "decimals inside 10..90"},
		{"TM(10%:)", "", "a missing bound is no problem"},
		{"TM(:90%)", "", "TM(:90%) is tm90"},
		{"TM(150:1000)", "", "absolute bounds are not restricted by BOTO's list"},
		{"TM(5%:95%)", "the bound 5% of TM(5%:95%) is outside 10%..90%; in an alarm, the percentage bounds of TM(X%:X%) must be between 10 and 90 inclusive", "the lower bound is checked first"},
		{"TM(:95%)", "the bound 95% of TM(:95%) is outside 10%..90%; in an alarm, the percentage bounds of TM(X%:X%) must be between 10 and 90 inclusive", "a range form, unlike tm95"},
		{"WM(10%:90.5%)", "the bound 90.5% of WM(10%:90.5%) is outside 10%..90%; in an alarm, the percentage bounds of WM(X%:X%) must be between 10 and 90 inclusive", "just above 90"},
		{"TC(9.9999999999%:)", "the bound 9.9999999999% of TC(9.9999999999%:) is outside 10%..90%; in an alarm, the percentage bounds of TC(X%:X%) must be between 10 and 90 inclusive", "just below 10"},
		{"TS(80%:100%)", "the bound 100% of TS(80%:100%) is outside 10%..90%; in an alarm, the percentage bounds of TS(X%:X%) must be between 10 and 90 inclusive", "100 is outside"},
		{"Average", "Average is not an extended statistic", "simple statistics go to Statistic"},
	} {
		if diff := cmp.Diff(tt.want, mustParse(t, tt.stat).AlarmProblem()); diff != "" {
			t.Errorf("%s.AlarmProblem() (%s) (-want +got):\n%s", tt.stat, tt.why, diff)
		}
	}
}

func TestStatisticIsSmall(t *testing.T) {
	// Statistic must stay a small comparable value: map keys, == and no
	// allocation when copied.
	m := map[Statistic]int{mustParse(t, "p99"): 1}
	if m[mustParse(t, "p99.0")] != 1 {
		t.Error("p99.0 should find the map entry of p99")
	}
	if size := unsafe.Sizeof(Statistic{}); size > 24 {
		t.Errorf("unsafe.Sizeof(Statistic{}) = %d, want at most 24", size)
	}
}
