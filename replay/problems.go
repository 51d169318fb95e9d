package replay

// This file collects the problems of one input file, so that a reader
// reports all of them together, each with its place.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxProblems is the most problems of one file that an error lists; the
// others are counted ("and 12 more problems").
const MaxProblems = 20

// A place is where a problem is: line:column (1-based; columns count
// bytes), a JSON path, or both. The zero place is the whole file.
type place struct {
	line, col int
	path      string
}

func (p place) String() string {
	var b strings.Builder
	if p.line > 0 {
		b.WriteString(strconv.Itoa(p.line) + ":" + strconv.Itoa(p.col))
	}
	if p.path != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString(p.path)
	}
	return b.String()
}

// problems collects the problems of one file. The zero value with a file
// name is ready to use.
type problems struct {
	file string
	list []error
	more int
}

// add records a problem at p. Messages read "replay: FILE:LINE:COL: PATH:
// MESSAGE", leaving out what p does not have.
func (ps *problems) add(p place, format string, args ...any) {
	if len(ps.list) >= MaxProblems {
		ps.more++
		return
	}
	ps.list = append(ps.list, errors.New(ps.prefix(p)+fmt.Sprintf(format, args...)))
}

func (ps *problems) prefix(p place) string {
	s := "replay: " + ps.file
	if p.line > 0 {
		s += ":" + strconv.Itoa(p.line) + ":" + strconv.Itoa(p.col)
	}
	s += ": "
	if p.path != "" {
		s += p.path + ": "
	}
	return s
}

func (ps *problems) count() int { return len(ps.list) + ps.more }

// err returns every problem joined (nil when there is none), the last
// line counting those past MaxProblems.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	errs := ps.list
	if ps.more > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("replay: %s: and %s", ps.file, plural(ps.more, "more problem", "more problems")))
	}
	return errors.Join(errs...)
}

// plural writes n and the noun in the form n takes: "1 alarm", "2 alarms".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// hint suggests the known name nearest to k: one that differs only in
// case, or else the nearest by edit distance when it is close enough to
// be a typo (at most a third of the name's letters, and at most 3), or
// else one that k begins (Status for StatusCode).
func hint(k string, known []string) string {
	best, bestD := "", 1<<30
	for _, n := range known {
		if strings.EqualFold(n, k) {
			return fmt.Sprintf(" (did you mean %q? keys are case-sensitive)", n)
		}
		if d := editDistance(strings.ToLower(k), strings.ToLower(n)); d < bestD || d == bestD && n < best {
			best, bestD = n, d
		}
	}
	if best != "" && bestD <= min(3, max(1, len(k)/3)) {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	if len(k) >= 4 {
		for _, n := range known {
			if strings.HasPrefix(strings.ToLower(n), strings.ToLower(k)) {
				return fmt.Sprintf(" (did you mean %q?)", n)
			}
		}
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b, in bytes, with a
// transposition of neighbours counting 1 (Treshold, Threshlod).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	// Three rows of the optimal-string-alignment table.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
