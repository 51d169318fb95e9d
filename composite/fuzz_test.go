package composite

import (
	"errors"
	"hash/fnv"
	"slices"
	"testing"

	"github.com/klaxon-go/klaxon/alarm"
)

// fuzzMaxLen is the longest input FuzzParse looks at.
const fuzzMaxLen = 1024

// FuzzParse fails on a panic, on an error that is not a well-formed
// *RuleError, and when the canonical text does not round-trip: Parse of
// r.String() must succeed and give back the same text, the same children
// and the same results, which must also match the tree walker.
//
// It looks at inputs of at most fuzzMaxLen bytes, and is seeded with the
// rows of the parser table that fit: the fuzzer minimises every new
// interesting input in O(n²) runs, so longer inputs stall it for its whole
// minimisation budget (a minute each). Within 1024 bytes every limit but
// the length can still be reached (101 distinct alarms or 501 elements in
// an AT_LEAST list, 101 levels of parentheses); TestParse covers the long
// rows.
func FuzzParse(f *testing.F) {
	for _, tc := range parseTests {
		if len(tc.in) <= fuzzMaxLen {
			f.Add(tc.in)
		}
	}
	for _, tc := range evalTests {
		f.Add(tc.rule)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		if len(rule) > fuzzMaxLen {
			return
		}
		r, err := Parse(rule)
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("Parse(%q) error %T %v, want a *RuleError", rule, err, err)
			}
			checkRuleError(t, rule, re)
			return
		}
		s := r.String()
		r2, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", rule, s, err)
		}
		if s2 := r2.String(); s2 != s {
			t.Fatalf("Parse(%q).String() = %q, but Parse of that prints %q", rule, s, s2)
		}
		children := r.Children()
		if c2 := r2.Children(); !slices.Equal(children, c2) {
			t.Fatalf("Parse(%q).Children() = %q, but the canonical %q has %q", rule, children, s, c2)
		}
		h := fnv.New32a()
		h.Write([]byte(rule))
		seed := h.Sum32()
		states := make([]alarm.State, len(children))
		m := make(map[string]alarm.State, len(children))
		for k := uint32(0); k < 8; k++ {
			for i := range states {
				states[i] = alarm.State((seed>>(i%16) + uint32(i)*7 + k*13) % 3)
				m[children[i]] = states[i]
			}
			got, got2, want := r.Eval(states), r2.Eval(states), evalTree(r.Root(), m)
			if got != want || got2 != want {
				t.Fatalf("Parse(%q) with states %v: Eval = %v, Eval of the canonical text = %v, the tree says %v", rule, m, got, got2, want)
			}
		}
	})
}
