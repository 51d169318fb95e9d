// Package series parses the test notation for metric series:
//
//	"91 95 _ 97 80x3"
//
// is five datapoints, oldest first: 91, 95, a missing one, 97, then 80 three
// times. A token is a number, "_" for a missing datapoint, or either of
// them followed by "xN" for N repetitions.
package series

import (
	"fmt"
	"strconv"
	"strings"
)

// A Point is one datapoint of a series; Missing marks "_".
type Point struct {
	Value   float64
	Missing bool
}

// Parse parses s.
func Parse(s string) ([]Point, error) {
	var out []Point
	for i, tok := range strings.Fields(s) {
		rep := 1
		body := tok
		if j := strings.LastIndexByte(tok, 'x'); j > 0 {
			n, err := strconv.Atoi(tok[j+1:])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("series: token %d %q: bad repeat count %q", i+1, tok, tok[j+1:])
			}
			rep, body = n, tok[:j]
		}
		var p Point
		if body == "_" {
			p.Missing = true
		} else {
			v, err := strconv.ParseFloat(body, 64)
			if err != nil {
				return nil, fmt.Errorf("series: token %d %q: not a number or _", i+1, tok)
			}
			p.Value = v
		}
		for range rep {
			out = append(out, p)
		}
	}
	return out, nil
}

// MustParse is Parse for literals in tests; it panics on a bad literal.
func MustParse(s string) []Point {
	p, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}
