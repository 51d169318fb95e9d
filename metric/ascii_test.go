package metric

import (
	"strings"
	"testing"
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
