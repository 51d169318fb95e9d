package series

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []Point
		err  string
		why  string
	}{
		{"91 95 _ 97 80x3", []Point{{Value: 91}, {Value: 95}, {Missing: true}, {Value: 97}, {Value: 80}, {Value: 80}, {Value: 80}}, "", "the example of the package doc"},
		{"_x2 1.5", []Point{{Missing: true}, {Missing: true}, {Value: 1.5}}, "", "missing points repeat too"},
		{"", nil, "", "an empty series"},
		{"1 a", nil, `series: token 2 "a": not a number or _`, "a bad token is named"},
		{"1x0", nil, `series: token 1 "1x0": bad repeat count "0"`, "a repeat count is at least 1"},
	}
	for _, tt := range tests {
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
