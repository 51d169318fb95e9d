package composite

import (
	"slices"

	"github.com/klaxon-go/klaxon/alarm"
)

// A Rule is a parsed AlarmRule, ready to be evaluated against the states of
// its children. A Rule is immutable and safe for concurrent use.
type Rule struct {
	root     Node
	children []string
	code     []instr
	lists    []int32 // the child indexes of the AT_LEAST lists, one after another
}

// Children returns the distinct alarm references of the rule, unquoted, in
// the order of their first appearance: alarm names or ARNs, as written.
// Eval takes one state per child, in this order. The slice is a copy.
func (r *Rule) Children() []string { return slices.Clone(r.children) }

// Root returns the root of the rule's syntax tree.
func (r *Rule) Root() Node { return r.root }

// String returns the rule as canonical text: keywords in upper case,
// references bare when they can be and quoted otherwise, one space around
// AND and OR and after NOT and commas, and only the parentheses that
// precedence needs (NOT binds tighter than AND, AND than OR). If that text
// would be longer than MaxRuleLength characters, String returns the
// compact form instead, which has a space only between two words and is
// never longer than the text the rule was parsed from. Either way,
// Parse(r.String()) succeeds and its String is r.String().
func (r *Rule) String() string { return canonical(r.root) }

// Eval evaluates the rule: states[i] is the current state of
// Children()[i]. ALARM(x) is true when x is in ALARM, OK(x) when x is in
// OK, INSUFFICIENT_DATA(x) when x is in INSUFFICIENT_DATA. A state missing
// from states (states shorter than Children) counts as INSUFFICIENT_DATA,
// the zero State; extra states are ignored. Eval allocates nothing.
func (r *Rule) Eval(states []alarm.State) bool {
	if len(states) < len(r.children) {
		var pad [MaxChildren]alarm.State
		copy(pad[:], states)
		states = pad[:len(r.children)]
	}
	acc := false
	code := r.code
	for pc := 0; pc < len(code); pc++ {
		in := &code[pc]
		switch in.op {
		case opConst:
			acc = in.arg != 0
		case opState:
			acc = states[in.arg] == in.state
		case opNot:
			acc = !acc
		case opJumpFalse:
			if !acc {
				pc = int(in.arg) - 1
			}
		case opJumpTrue:
			if acc {
				pc = int(in.arg) - 1
			}
		case opAtLeast:
			acc = false
			count := int32(0)
			for _, c := range r.lists[in.arg : in.arg+in.n] {
				if (states[c] == in.state) != in.not {
					if count++; count >= in.need {
						acc = true
						break
					}
				}
			}
		}
	}
	return acc
}

// State returns the composite alarm's state for the children's states:
// ALARM when the rule is true, OK when it is false (see Eval).
func (r *Rule) State(states []alarm.State) alarm.State {
	if r.Eval(states) {
		return alarm.StateAlarm
	}
	return alarm.StateOK
}

// The rule is compiled to a flat program that works on one boolean
// accumulator: AND and OR short-circuit by jumping to the end of their
// operands.
type opcode uint8

const (
	opConst     opcode = iota // acc = arg != 0
	opState                   // acc = states[arg] == state
	opNot                     // acc = !acc
	opJumpFalse               // if !acc, go to instruction arg
	opJumpTrue                // if acc, go to instruction arg
	opAtLeast                 // acc = at least need of states[lists[arg:arg+n]] are (not, with not) in state
)

type instr struct {
	op    opcode
	state alarm.State
	not   bool
	arg   int32
	n     int32
	need  int32
}

// compile fills r.code and r.lists from r.root.
func (r *Rule) compile() { r.emit(r.root) }

func (r *Rule) emit(n Node) {
	switch n := n.(type) {
	case *BoolNode:
		in := instr{op: opConst}
		if n.Value {
			in.arg = 1
		}
		r.code = append(r.code, in)
	case *StateNode:
		r.code = append(r.code, instr{op: opState, state: n.State, arg: int32(n.child)})
	case *NotNode:
		r.emit(n.X)
		r.code = append(r.code, instr{op: opNot})
	case *AndNode:
		r.chain(n.Operands, opJumpFalse)
	case *OrNode:
		r.chain(n.Operands, opJumpTrue)
	case *AtLeastNode:
		start := len(r.lists)
		for _, c := range n.children {
			r.lists = append(r.lists, int32(c))
		}
		r.code = append(r.code, instr{op: opAtLeast, state: n.State, not: n.Not,
			arg: int32(start), n: int32(len(n.children)), need: int32(n.Need())})
	}
}

// chain compiles operands joined by AND (jump = opJumpFalse) or OR
// (opJumpTrue): after each operand but the last, a jump to the end when
// the accumulator already decides the result.
func (r *Rule) chain(operands []Node, jump opcode) {
	var jumps []int
	for i, x := range operands {
		r.emit(x)
		if i < len(operands)-1 {
			jumps = append(jumps, len(r.code))
			r.code = append(r.code, instr{op: jump})
		}
	}
	for _, j := range jumps {
		r.code[j].arg = int32(len(r.code))
	}
}
