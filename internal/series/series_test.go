package series

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var parseTests = []struct {
	in   string
	want []Point
	err  string
	why  string
}{
	{"91 95 _ 97 80x3", []Point{{Value: 91}, {Value: 95}, {Missing: true}, {Value: 97}, {Value: 80}, {Value: 80}, {Value: 80}}, "", "the example of the package doc"},
	{"_x2 1.5", []Point{{Missing: true}, {Missing: true}, {Value: 1.5}}, "", "missing points repeat too"},
	{"", nil, "", "an empty series"},
	{"  \n\t ", nil, "", "only spaces: an empty series"},
	{"-1 +2 .5 3. 1e3 2.5E-1", []Point{{Value: -1}, {Value: 2}, {Value: .5}, {Value: 3}, {Value: 1000}, {Value: .25}}, "", "signs, a bare fraction, a trailing point and exponents are numbers"},
	{"1 # warm-up\n2x2 # the spike\n# a line of comment only\n_", []Point{{Value: 1}, {Value: 2}, {Value: 2}, {Missing: true}}, "", "comments run to the end of their line; items span lines"},
	{"1#no space\n2", []Point{{Value: 1}, {Value: 2}}, "", "a comment also separates items"},
	{"1 a", nil, `series:1:3: "a": want a number or _ (a missing datapoint), optionally followed by xN`, "a bad item is named with its column"},
	{"1\n  2 8o", nil, `series:2:5: "8o": want a number or _ (a missing datapoint), optionally followed by xN`, "the line and column of an item on a later line"},
	{"1x0", nil, `series:1:1: "1x0": the repeat count must be 1 or more`, "a repeat count is at least 1"},
	{"1x", nil, `series:1:1: "1x": want a repeat count after x: xN, N a whole number of 1 or more`, "x needs a count"},
	{"1x2x3", nil, `series:1:1: "1x2x3": want a repeat count after x: xN, N a whole number of 1 or more`, "one repeat per item"},
	{"x3", nil, `series:1:1: "x3": want a number or _ (a missing datapoint), optionally followed by xN`, "a repeat needs a value"},
	{"NaN", nil, `series:1:1: "NaN": want a number or _ (a missing datapoint), optionally followed by xN`, "NaN is not a number of the notation: metric values are finite"},
	{"inf", nil, `series:1:1: "inf": want a number or _ (a missing datapoint), optionally followed by xN`, "nor is an infinity"},
	{"0x10", make([]Point, 10), "", "no hexadecimal: 0x10 is 0 repeated ten times (the x is the repeat)"},
	{"1e400", nil, `series:1:1: "1e400": the number is beyond the range of a float64`, "an overflowing number is refused, not made infinite"},
	{"1_000", nil, `series:1:1: "1_000": want a number or _ (a missing datapoint), optionally followed by xN`, "no digit separators"},
	{"1 2x1048575 3", nil, `series:1:13: "3": the series would hold more than 1048576 datapoints`, "the total is bounded, repeats included"},
	{"5x9999999999", nil, `series:1:1: "5x9999999999": the repeat count 9999999999 is more than a series holds (1048576 datapoints)`, "a count too large for the bound is refused before it is converted"},
	{"1..2", nil, `series:1:1: "1..2": want a number or _ (a missing datapoint), optionally followed by xN`, "one decimal point"},
	{"200x2 | 480 _", []Point{{Value: 200}, {Value: 200}, {Value: 480}, {Missing: true}}, "", "Parse keeps the past: the points are the same with or without |"},
	{"1 | 2 | 3", nil, `series:1:7: "|": a series has one | (between the past and now)`, "one divider"},
	{"-", nil, `series:1:1: "-": want a number or _ (a missing datapoint), optionally followed by xN`, "a sign alone is not a number"},
	{"1e", nil, `series:1:1: "1e": want a number or _ (a missing datapoint), optionally followed by xN`, "an exponent needs digits"},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		got, err := Parse(tt.in)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if diff := cmp.Diff(tt.err, gotErr); diff != "" {
			t.Errorf("Parse(%q) error (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

func TestParseRuns(t *testing.T) {
	got, err := ParseRuns("91 _x2|\n  80x3")
	if err != nil {
		t.Fatal(err)
	}
	want := []Run{
		{Point: Point{Value: 91}, N: 1, Past: true, Line: 1, Col: 1, Text: "91"},
		{Point: Point{Missing: true}, N: 2, Past: true, Line: 1, Col: 4, Text: "_x2"},
		{Point: Point{Value: 80}, N: 3, Line: 2, Col: 3, Text: "80x3"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseRuns: items keep their count and position (-want +got):\n%s", diff)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in, want, why string
	}{
		{"91 95 _ 97 80 80 80", "91 95 _ 97 80x3", "runs of equal points are compressed"},
		{"_ _ 1.50 1e3 -0 0", "_x2 1.5 1000 -0 0", "numbers in their shortest form; -0 keeps its sign"},
		{"", "", "an empty series"},
		{"1e21 1e-7", "1e+21 1e-07", "Go's shortest form, which parses back"},
		{"5 5|5 5", "5x2 | 5x2", "runs do not merge across the divider"},
		{"| 1", "1", "an empty past is no past"},
		{"1 2 |", "1 2 |", "a past with nothing after it keeps its divider"},
	}
	for _, tt := range tests {
		runs, err := ParseRuns(tt.in)
		if err != nil {
			t.Fatalf("ParseRuns(%q): %v", tt.in, err)
		}
		if got := Format(runs); got != tt.want {
			t.Errorf("Format(ParseRuns(%q)) = %q, want %q (%s)", tt.in, got, tt.want, tt.why)
		}
	}
}

// FuzzParse fails on a panic, on an error that does not name its place,
// and when the canonical form does not parse back to itself.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	f.Add("1 # c\n_x3\t-2.5e+3x2")
	f.Add("200x5 | 480 510 _ 530")
	f.Fuzz(func(t *testing.T, s string) {
		runs, err := ParseRuns(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "series:") {
				t.Fatalf("ParseRuns(%q): the error %q does not start with series:line:col", s, err)
			}
			return
		}
		canon := Format(runs)
		again, err := ParseRuns(canon)
		if err != nil {
			t.Fatalf("ParseRuns(Format(ParseRuns(%q))) = ParseRuns(%q): %v", s, canon, err)
		}
		if Format(again) != canon {
			t.Fatalf("Format is not stable: %q -> %q -> %q", s, canon, Format(again))
		}
		if points(runs) != points(again) {
			t.Fatalf("%q has %d points, its canonical form %q %d", s, points(runs), canon, points(again))
		}
	})
}

func points(runs []Run) int {
	n := 0
	for _, r := range runs {
		n += r.N
	}
	return n
}
