package composite

import (
	"strconv"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/alarm"
)

// A Node is an element of a parsed rule's syntax tree: *StateNode,
// *BoolNode, *NotNode, *AndNode, *OrNode or *AtLeastNode. The set is
// closed; a type switch over these six covers every rule. Nodes belong to
// their Rule and must not be modified.
type Node interface {
	// String returns the node as canonical rule text (see Rule.String).
	String() string
	// Position returns the character offset of the node's first token in
	// the rule it was parsed from.
	Position() Pos
	// print writes the node's tokens, wrapping it in parentheses when it
	// binds more loosely than prec.
	print(p *printer, prec int)
}

// Pos is a 0-based character (Unicode code point) offset in a rule's text,
// the "char N" of CloudWatch's syntax errors.
type Pos int

// Position returns p. Embedding Pos gives a node its Position method.
func (p Pos) Position() Pos { return p }

// Binding strength of the operators, loosest first.
const (
	precOr = iota
	precAnd
	precNot
)

// StateNode is a state function: ALARM(x), OK(x) or INSUFFICIENT_DATA(x).
// It is true when the alarm x is in State.
type StateNode struct {
	Pos
	State alarm.State // alarm.StateAlarm, alarm.StateOK or alarm.StateInsufficientData
	Alarm string      // the reference x as written, unquoted: an alarm name or ARN
	child int         // index of Alarm in Rule.Children
}

// BoolNode is the constant TRUE or FALSE.
type BoolNode struct {
	Pos
	Value bool
}

// NotNode is NOT X.
type NotNode struct {
	Pos
	X Node
}

// AndNode is Operands[0] AND Operands[1] AND ...; it has at least two
// operands.
type AndNode struct {
	Pos
	Operands []Node
}

// OrNode is Operands[0] OR Operands[1] OR ...; it has at least two
// operands.
type OrNode struct {
	Pos
	Operands []Node
}

// AtLeastNode is AT_LEAST(M, [NOT] STATE, (a, b, ...)): true when at least
// M of the listed alarms (M percent of them when Percent is set) are in
// State, or, with Not, are not in State.
type AtLeastNode struct {
	Pos
	M       int  // 1..len(Alarms), or 1..100 when Percent
	Percent bool // M is a percentage of len(Alarms)
	Not     bool
	State   alarm.State
	Alarms  []string // the references as written, unquoted, in order (repeats are kept)
	// MPos is the character offset of the threshold M.
	MPos     Pos
	children []int // index of each of Alarms in Rule.Children
}

// Need returns how many of the listed alarms must meet the condition:
// M, or for a percentage the smallest count whose share of len(Alarms) is
// at least M percent.
func (n *AtLeastNode) Need() int {
	if !n.Percent {
		return n.M
	}
	return (n.M*len(n.Alarms) + 99) / 100
}

func (n *StateNode) String() string   { return nodeString(n) }
func (n *BoolNode) String() string    { return nodeString(n) }
func (n *NotNode) String() string     { return nodeString(n) }
func (n *AndNode) String() string     { return nodeString(n) }
func (n *OrNode) String() string      { return nodeString(n) }
func (n *AtLeastNode) String() string { return nodeString(n) }

func nodeString(n Node) string {
	p := printer{}
	n.print(&p, precOr)
	return string(p.b)
}

func (n *StateNode) print(p *printer, _ int) {
	p.emit(tokWord, n.State.String())
	p.emit(tokOpen, "(")
	p.ref(n.Alarm)
	p.emit(tokClose, ")")
}

func (n *BoolNode) print(p *printer, _ int) {
	if n.Value {
		p.emit(tokWord, "TRUE")
	} else {
		p.emit(tokWord, "FALSE")
	}
}

func (n *NotNode) print(p *printer, _ int) {
	p.emit(tokNot, "NOT")
	n.X.print(p, precNot)
}

func (n *AndNode) print(p *printer, prec int) { p.chain(n.Operands, "AND", precAnd, prec) }

func (n *OrNode) print(p *printer, prec int) { p.chain(n.Operands, "OR", precOr, prec) }

func (n *AtLeastNode) print(p *printer, _ int) {
	p.emit(tokWord, "AT_LEAST")
	p.emit(tokOpen, "(")
	m := strconv.Itoa(n.M)
	if n.Percent {
		m += "%"
	}
	p.emit(tokWord, m)
	p.emit(tokComma, ",")
	if n.Not {
		p.emit(tokNot, "NOT")
	}
	p.emit(tokWord, n.State.String())
	p.emit(tokComma, ",")
	p.emit(tokOpen, "(")
	for i, a := range n.Alarms {
		if i > 0 {
			p.emit(tokComma, ",")
		}
		p.ref(a)
	}
	p.emit(tokClose, ")")
	p.emit(tokClose, ")")
}

// The kinds of token the printer writes.
type tokKind uint8

const (
	tokNone   tokKind = iota // nothing written yet
	tokWord                  // a keyword, a bare reference or a number
	tokQuoted                // a quoted reference
	tokOpen                  // (
	tokClose                 // )
	tokComma                 // ,
	tokOp                    // AND, OR
	tokNot                   // NOT
)

// wordy reports whether a token of kind k starts and ends with a word
// character, so that two of them in a row need a space between them.
func (k tokKind) wordy() bool { return k == tokWord || k == tokOp || k == tokNot }

// A printer writes canonical rule text. The readable form puts one space
// around AND and OR and after NOT and commas, and nothing elsewhere; the
// compact form puts a space only between two words.
type printer struct {
	b       []byte
	compact bool
	last    tokKind
}

func (p *printer) emit(k tokKind, s string) {
	if p.compact {
		if k.wordy() && p.last.wordy() {
			p.b = append(p.b, ' ')
		}
	} else if k == tokOp || p.last == tokOp || p.last == tokNot || p.last == tokComma {
		p.b = append(p.b, ' ')
	}
	p.b = append(p.b, s...)
	p.last = k
}

// chain prints operands joined by op, in parentheses when the operator
// (of strength own) binds more loosely than its context (prec).
func (p *printer) chain(operands []Node, op string, own, prec int) {
	if own < prec {
		p.emit(tokOpen, "(")
	}
	for i, x := range operands {
		if i > 0 {
			p.emit(tokOp, op)
		}
		x.print(p, own)
	}
	if own < prec {
		p.emit(tokClose, ")")
	}
}

// ref prints a reference: bare when it can be (non-empty, without white
// space, round brackets, commas or double quotes), else quoted with " and \
// escaped.
func (p *printer) ref(s string) {
	if bare(s) {
		p.emit(tokWord, s)
		return
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	b = append(b, '"')
	p.emit(tokQuoted, string(b))
}

// bare reports whether the reference s can be written without quotes.
func bare(s string) bool {
	for i := 0; i < len(s); i++ {
		if isSeparator(s[i]) {
			return false
		}
	}
	return s != ""
}

// canonical returns the canonical text of root: the readable form, or the
// compact form when the readable one is longer than MaxRuleLength
// characters. The compact form is never longer than the text root was
// parsed from, so it always parses again.
func canonical(root Node) string {
	p := printer{}
	root.print(&p, precOr)
	if len(p.b) <= MaxRuleLength || utf8.RuneCount(p.b) <= MaxRuleLength {
		return string(p.b)
	}
	p = printer{compact: true}
	root.print(&p, precOr)
	return string(p.b)
}
