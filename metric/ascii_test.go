package metric

import (
	"strings"
	"testing"
	"time"
)

// plainASCII's word-at-a-time test must agree with the byte-at-a-time one.
func TestPlainASCII(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		why  string
	}{
		{"CPUUtilization", true, "printable ASCII, longer than a word"},
		{"a", true, "one byte"},
		{"", false, "empty"},
		{"        ", false, "a word of spaces"},
		{"         ", false, "more than a word of spaces"},
		{"       x", true, "one non-space in the word"},
		{"abcdefg\x7f", false, "DEL in the word"},
		{"abcdefgh\x7f", false, "DEL in the tail"},
		{"abc\x1fdefgh", false, "a control character in the word"},
		{"abcdefgh\x00", false, "NUL in the tail"},
		{"abcdéfgh", false, "non-ASCII in the word"},
		{"~~~~~~~~!", true, "the highest and a low printable byte"},
		{" !\"#$%&'()*+,-./", true, "printable bytes next to the space"},
		{strings.Repeat("x", 256), false, "too long"},
	}
	for _, tt := range tests {
		if got := plainASCII(tt.in, 255); got != tt.want {
			t.Errorf("plainASCII(%q) = %v, want %v (%s)", tt.in, got, tt.want, tt.why)
		}
	}
}

func FuzzPlainASCII(f *testing.F) {
	for _, s := range []string{"CPUUtilization", "        ", "abcdefg\x7f", "abc\x1fdefgh", "abcdéfgh", "~~~~~~~~!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 255 {
			return
		}
		want := s != "" && plainASCIISlow(s)
		if got := plainASCII(s, 255); got != want {
			t.Errorf("plainASCII(%q) = %v, the byte-at-a-time check says %v", s, got, want)
		}
	})
}

// A dimension value may be spaces alone (the non-whitespace rule is for
// names); a name may not.
func TestBlankDimensionValue(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	ok := []Datum{{MetricName: "m", Dimensions: []Dimension{{Name: "Host", Value: "  "}}, Value: 1}}
	if err := ValidateData("App", ok, now); err != nil {
		t.Errorf("a value of spaces: %v", err)
	}
	bad := []Datum{{MetricName: "m", Dimensions: []Dimension{{Name: "  ", Value: "x"}}, Value: 1}}
	err := ValidateData("App", bad, now)
	want := `metric: InvalidParameterValue: The value "  " for parameter MetricData.member.1.Dimensions.member.1.Name is invalid: it must contain a non-whitespace character.`
	if err == nil || err.Error() != want {
		t.Errorf("a name of spaces: got %v, want %s", err, want)
	}
}
