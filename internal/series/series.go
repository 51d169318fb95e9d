// Package series parses the test notation for metric series:
//
//	"91 95 _ 97 80x3"
//
// is seven datapoints, oldest first: 91, 95, a missing one, 97, then 80
// three times. A "|" divides the past from the present: in
// "200x5 | 480 510" the five 200s are the periods before now (the history
// an alarm finds when it is created) and 480 is the first period from now.
// The grammar, one production per parsing function:
//
//	series  = [ items "|" ] items .
//	items   = { item | space | comment } .   // items are separated by spaces or comments
//	item    = value [ "x" count ] .
//	value   = "_" | number .
//	number  = [ "+" | "-" ] ( digits [ "." { digit } ] | "." digits ) [ exp ] .
//	exp     = ( "e" | "E" ) [ "+" | "-" ] digits .
//	count   = digits .                       // 1 or more; MaxPoints in all
//	comment = "#" { any but newline } .
//	space   = " " | "\t" | "\r" | "\n" .
//
// Numbers are decimal and finite (no NaN, Inf or hexadecimal: the "x" of
// 0x10 would read as a repeat). A series may span lines, so that a long
// scenario is a raw string with a comment on each step. Errors name the
// line and column (in bytes, 1-based) and the rule:
//
//	series:1:9: "8o": want a number or _ (a missing datapoint), optionally followed by xN
package series

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxPoints bounds the datapoints of one series, repeats included, so
// that a typo such as 1x100000000 fails instead of filling the memory.
const MaxPoints = 1 << 20

// A Point is one datapoint of a series; Missing marks "_".
type Point struct {
	Value   float64
	Missing bool
}

// A Run is one item of a series: a Point repeated N times, written at a
// position of the text; Past marks the items before "|".
type Run struct {
	Point
	N         int
	Past      bool
	Line, Col int // of the item's first byte, 1-based; Col counts bytes
	Text      string
}

// An Error is a syntax error at a position of the text.
type Error struct {
	Line, Col int
	Text      string // the item in error
	Msg       string
}

func (e *Error) Error() string {
	return fmt.Sprintf("series:%d:%d: %q: %s", e.Line, e.Col, e.Text, e.Msg)
}

// Parse parses s and returns its datapoints, oldest first, the past
// included.
func Parse(s string) ([]Point, error) {
	runs, err := ParseRuns(s)
	if err != nil {
		return nil, err
	}
	var out []Point
	for _, r := range runs {
		for range r.N {
			out = append(out, r.Point)
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

// ParseRuns parses s into its items, unexpanded: "50x10000" is one Run.
func ParseRuns(s string) ([]Run, error) {
	p := parser{src: s, line: 1, lineStart: 0}
	var runs []Run
	total := 0
	divided := false
	for {
		p.skip()
		if p.pos == len(s) {
			return runs, nil
		}
		if s[p.pos] == '|' {
			if divided {
				return nil, errorAt(p.line, p.pos-p.lineStart+1, "|", "a series has one | (between the past and now)")
			}
			divided = true
			for i := range runs {
				runs[i].Past = true
			}
			p.pos++
			continue
		}
		r, err := p.item()
		if err != nil {
			return nil, err
		}
		total += r.N
		if total > MaxPoints {
			return nil, errorAt(r.Line, r.Col, r.Text, fmt.Sprintf("the series would hold more than %d datapoints", MaxPoints))
		}
		runs = append(runs, r)
	}
}

type parser struct {
	src       string
	pos       int
	line      int
	lineStart int // offset of the current line's first byte
}

// skip skips spaces and comments.
func (p *parser) skip() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; c {
		case '\n':
			p.pos++
			p.line, p.lineStart = p.line+1, p.pos
		case ' ', '\t', '\r':
			p.pos++
		case '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func isSep(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#' || c == '|'
}

// item parses item = value [ "x" count ] at p.pos, up to the next
// separator.
func (p *parser) item() (Run, error) {
	start := p.pos
	end := start
	for end < len(p.src) && !isSep(p.src[end]) {
		end++
	}
	p.pos = end
	text := p.src[start:end]
	r := Run{N: 1, Line: p.line, Col: start - p.lineStart + 1, Text: text}
	body := text
	if i := strings.IndexByte(text, 'x'); i >= 0 {
		body = text[:i]
		n, msg := count(text[i+1:])
		if msg != "" {
			return Run{}, errorAt(r.Line, r.Col, text, msg)
		}
		r.N = n
	}
	pt, msg := value(body)
	if msg != "" {
		return Run{}, errorAt(r.Line, r.Col, text, msg)
	}
	r.Point = pt
	return r, nil
}

const want = "want a number or _ (a missing datapoint), optionally followed by xN"

// value parses value = "_" | number.
func value(s string) (Point, string) {
	if s == "_" {
		return Point{Missing: true}, ""
	}
	if !isNumber(s) {
		return Point{}, want
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return Point{}, "the number is beyond the range of a float64"
	}
	return Point{Value: v}, ""
}

// isNumber reports whether s is a number of the grammar.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	intDigits := digits(s[i:])
	i += intDigits
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		fracDigits = digits(s[i:])
		i += fracDigits
	}
	if intDigits == 0 && fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		n := digits(s[i:])
		if n == 0 {
			return false
		}
		i += n
	}
	return i == len(s)
}

// digits returns the number of ASCII digits at the start of s.
func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// count parses count = digits, at least 1.
func count(s string) (int, string) {
	if s == "" || digits(s) != len(s) {
		return 0, "want a repeat count after x: xN, N a whole number of 1 or more"
	}
	if len(s) > 9 {
		return 0, fmt.Sprintf("the repeat count %s is more than a series holds (%d datapoints)", s, MaxPoints)
	}
	n, _ := strconv.Atoi(s)
	if n < 1 {
		return 0, "the repeat count must be 1 or more"
	}
	return n, ""
}

func errorAt(line, col int, text, msg string) error {
	return &Error{Line: line, Col: col, Text: text, Msg: msg}
}

// Format returns the canonical notation of runs: one item per run of
// equal points on the same side of "|" ("80x3"), numbers in their
// shortest form, missing points as "_", and " | " after the past when
// there is one. ParseRuns(Format(r)) gives back the same points.
func Format(runs []Run) string {
	var b strings.Builder
	for i := 0; i < len(runs); {
		r := runs[i]
		i++
		for i < len(runs) && runs[i].Past == r.Past && same(runs[i].Point, r.Point) {
			r.N += runs[i].N
			i++
		}
		if r.N == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if r.Missing {
			b.WriteByte('_')
		} else {
			b.WriteString(strconv.FormatFloat(r.Value, 'g', -1, 64))
		}
		if r.N > 1 {
			b.WriteByte('x')
			b.WriteString(strconv.Itoa(r.N))
		}
		if r.Past && (i == len(runs) || !runs[i].Past) {
			b.WriteString(" |")
		}
	}
	return b.String()
}

// same reports whether two points are the same datapoint (0 and -0
// differ, so that Format keeps the sign).
func same(a, b Point) bool {
	if a.Missing || b.Missing {
		return a.Missing == b.Missing
	}
	return math.Float64bits(a.Value) == math.Float64bits(b.Value)
}
