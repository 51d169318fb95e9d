package composite

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
)

const (
	A = alarm.StateAlarm
	O = alarm.StateOK
	I = alarm.StateInsufficientData
)

// statesFor returns the states of r's children from a map by reference;
// a child missing from the map is INSUFFICIENT_DATA.
func statesFor(r *Rule, m map[string]alarm.State) []alarm.State {
	var out []alarm.State
	for _, c := range r.Children() {
		out = append(out, m[c])
	}
	return out
}

// evalTree is a reference evaluator that walks the syntax tree, to check
// the compiled program against.
func evalTree(n Node, st map[string]alarm.State) bool {
	switch n := n.(type) {
	case *BoolNode:
		return n.Value
	case *StateNode:
		return st[n.Alarm] == n.State
	case *NotNode:
		return !evalTree(n.X, st)
	case *AndNode:
		for _, x := range n.Operands {
			if !evalTree(x, st) {
				return false
			}
		}
		return true
	case *OrNode:
		for _, x := range n.Operands {
			if evalTree(x, st) {
				return true
			}
		}
		return false
	case *AtLeastNode:
		count := 0
		for _, a := range n.Alarms {
			if (st[a] == n.State) != n.Not {
				count++
			}
		}
		if n.Percent {
			return count*100 >= n.M*len(n.Alarms)
		}
		return count >= n.M
	}
	panic("unknown node")
}

var evalTests = []struct {
	rule   string
	states map[string]alarm.State
	want   bool
	why    string
}{
	{"ALARM(a)", map[string]alarm.State{"a": A}, true, "a is in ALARM"},
	{"ALARM(a)", map[string]alarm.State{"a": O}, false, "a is in OK"},
	{"ALARM(a)", map[string]alarm.State{"a": I}, false, "INSUFFICIENT_DATA makes ALARM(x) false"},
	{"OK(a)", map[string]alarm.State{"a": I}, false, "INSUFFICIENT_DATA makes OK(x) false"},
	{"INSUFFICIENT_DATA(a)", map[string]alarm.State{"a": I}, true, "INSUFFICIENT_DATA(x) is true for a child in INSUFFICIENT_DATA"},
	{"INSUFFICIENT_DATA(a)", map[string]alarm.State{"a": O}, false, "a is in OK"},
	{"TRUE", nil, true, "constant"},
	{"FALSE", nil, false, "constant"},
	{"NOT ALARM(a)", map[string]alarm.State{"a": I}, true, "a child in INSUFFICIENT_DATA is not in ALARM"},
	{"ALARM(a) OR ALARM(b) AND ALARM(c)", map[string]alarm.State{"a": A, "b": O, "c": O}, true,
		"AND binds tighter: a OR (b AND c); with OR tighter it would be false"},
	{"NOT ALARM(a) AND ALARM(b)", map[string]alarm.State{"a": O, "b": O}, false,
		"NOT binds tighter: (NOT a) AND b; NOT (a AND b) would be true"},
	{"ALARM(a) AND ALARM(b)", map[string]alarm.State{"a": A, "b": A}, true, "both in ALARM"},
	{"ALARM(a) AND ALARM(b)", map[string]alarm.State{"a": O, "b": A}, false, "the first operand decides"},
	{"(ALARM(a) OR ALARM(b)) AND NOT (OK(c) OR INSUFFICIENT_DATA(c))", map[string]alarm.State{"b": A, "c": A}, true,
		"b is in ALARM and c neither OK nor INSUFFICIENT_DATA"},
	{"(ALARM(a) OR ALARM(b)) AND NOT (OK(c) OR INSUFFICIENT_DATA(c))", map[string]alarm.State{"b": A}, false,
		"c is missing, so INSUFFICIENT_DATA"},
	{"AT_LEAST(2, ALARM, (a, b, c))", map[string]alarm.State{"a": A, "b": O, "c": I}, false, "one of three in ALARM"},
	{"AT_LEAST(2, ALARM, (a, b, c))", map[string]alarm.State{"a": A, "b": O, "c": A}, true, "two of three in ALARM"},
	{"AT_LEAST(50%, OK, (a, b, c, d))", map[string]alarm.State{"a": O, "b": O}, true, "2 of 4 is 50%"},
	{"AT_LEAST(50%, OK, (a, b, c, d))", map[string]alarm.State{"a": O}, false, "1 of 4 is 25%"},
	{"AT_LEAST(50%, OK, (a, b, c))", map[string]alarm.State{"a": O}, false, "1 of 3 is 33%, below 50%"},
	{"AT_LEAST(50%, OK, (a, b, c))", map[string]alarm.State{"a": O, "c": O}, true, "2 of 3 is 67%"},
	{"AT_LEAST(1%, ALARM, (a, b, c))", map[string]alarm.State{"c": A}, true, "any one of them is at least 1%"},
	{"AT_LEAST(100%, ALARM, (a, b))", map[string]alarm.State{"a": A, "b": O}, false, "100% is all of them"},
	{"AT_LEAST(2, NOT ALARM, (a, b, c))", map[string]alarm.State{"a": A, "b": I, "c": O}, true,
		"INSUFFICIENT_DATA and OK are both NOT ALARM"},
	{"AT_LEAST(3, NOT OK, (a, b, c))", map[string]alarm.State{"a": A, "b": I, "c": O}, false, "c is OK"},
	{"AT_LEAST(2, ALARM, (a, a))", map[string]alarm.State{"a": A}, true, "a listed twice counts twice"},
	{"AT_LEAST(1, INSUFFICIENT_DATA, (a, b)) OR FALSE", map[string]alarm.State{"a": O, "b": A}, false, "neither is INSUFFICIENT_DATA"},
	{`ALARM("x y") AND OK(x\y)`, map[string]alarm.State{"x y": A, `x\y`: O}, true, "references are matched unquoted"},
}

func TestEval(t *testing.T) {
	for _, tc := range evalTests {
		r, err := Parse(tc.rule)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.rule, err)
		}
		states := statesFor(r, tc.states)
		if got := r.Eval(states); got != tc.want {
			t.Errorf("Parse(%q).Eval(%v) = %v, want %v: %s", tc.rule, tc.states, got, tc.want, tc.why)
		}
		if got := evalTree(r.Root(), tc.states); got != tc.want {
			t.Errorf("evalTree(%q, %v) = %v, want %v: %s", tc.rule, tc.states, got, tc.want, tc.why)
		}
		want := alarm.StateOK
		if tc.want {
			want = alarm.StateAlarm
		}
		if got := r.State(states); got != want {
			t.Errorf("Parse(%q).State(%v) = %v, want %v (TRUE is ALARM, FALSE is OK)", tc.rule, tc.states, got, want)
		}
	}
}

// TestEvalAllStates checks the compiled program against the tree walker
// for every combination of the children's states.
func TestEvalAllStates(t *testing.T) {
	rules := []string{
		"ALARM(a) OR OK(b) AND NOT INSUFFICIENT_DATA(c)",
		"NOT (ALARM(a) OR OK(b)) AND (INSUFFICIENT_DATA(c) OR NOT NOT ALARM(d))",
		"(ALARM(a) AND (OK(b) OR (ALARM(c) AND NOT OK(d)))) OR (INSUFFICIENT_DATA(a) AND ALARM(d))",
		"AT_LEAST(2, NOT OK, (a, b, c, d)) AND NOT AT_LEAST(75%, ALARM, (a, b, c, d)) OR AT_LEAST(1, INSUFFICIENT_DATA, (b))",
		"TRUE AND (FALSE OR ALARM(a)) AND NOT (FALSE AND OK(b)) OR (TRUE AND FALSE AND OK(c)) OR AT_LEAST(34%, OK, (a, b, c))",
	}
	for _, rule := range rules {
		r, err := Parse(rule)
		if err != nil {
			t.Fatalf("Parse(%q): %v", rule, err)
		}
		children := r.Children()
		states := make([]alarm.State, len(children))
		combos := 1
		for range children {
			combos *= 3
		}
		for k := 0; k < combos; k++ {
			m := map[string]alarm.State{}
			for i, x := 0, k; i < len(children); i, x = i+1, x/3 {
				states[i] = alarm.State(x % 3)
				m[children[i]] = states[i]
			}
			if got, want := r.Eval(states), evalTree(r.Root(), m); got != want {
				t.Errorf("Parse(%q).Eval(%v) = %v, the tree says %v", rule, m, got, want)
			}
		}
	}
}

func TestChildren(t *testing.T) {
	for _, tc := range []struct {
		rule string
		want []string
		why  string
	}{
		{`ALARM(b) OR OK("a") OR ALARM(b) OR AT_LEAST(1, OK, (c, "a", arn:aws:cloudwatch:us-east-1:123456789012:alarm:b))`,
			[]string{"b", "a", "c", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:b"},
			"first appearance order; a quoted and a bare a are one child; a name and an ARN are two"},
		{"TRUE", nil, "no children"},
		{`ALARM("say \"hi\"")`, []string{`say "hi"`}, "children are unquoted"},
	} {
		r, err := Parse(tc.rule)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.rule, err)
		}
		if diff := cmp.Diff(tc.want, r.Children()); diff != "" {
			t.Errorf("Parse(%q).Children() mismatch (-want +got):\n%s\nwhy: %s", tc.rule, diff, tc.why)
		}
	}
	r, _ := Parse("ALARM(a)")
	r.Children()[0] = "changed"
	if got := r.Children()[0]; got != "a" {
		t.Errorf("Children() shares its slice with the Rule: got %q after changing the copy", got)
	}
}

// TestEvalShortStates checks that states shorter than Children count the
// missing ones as INSUFFICIENT_DATA, and that extra states are ignored.
func TestEvalShortStates(t *testing.T) {
	r, err := Parse("INSUFFICIENT_DATA(a) AND OK(b)")
	if err != nil {
		t.Fatal(err)
	}
	if r.Eval(nil) {
		t.Errorf("Eval(nil) = true: b should count as INSUFFICIENT_DATA, not OK")
	}
	if r.Eval([]alarm.State{O}) {
		t.Errorf("Eval([OK]) = true: a is OK")
	}
	if !r.Eval([]alarm.State{I, O, A, A}) {
		t.Errorf("Eval([INSUFFICIENT_DATA OK ALARM ALARM]) = false, want true: extra states are ignored")
	}
	r, _ = Parse("INSUFFICIENT_DATA(a)")
	if !r.Eval(nil) {
		t.Errorf("Eval(nil) of INSUFFICIENT_DATA(a) = false, want true")
	}
}

func TestNodes(t *testing.T) {
	r, err := Parse("ALARM(a) AND NOT (OK(b) OR AT_LEAST(50%, NOT ALARM, (c, d)))")
	if err != nil {
		t.Fatal(err)
	}
	and := r.Root().(*AndNode)
	not := and.Operands[1].(*NotNode)
	or := not.X.(*OrNode)
	al := or.Operands[1].(*AtLeastNode)
	for _, c := range []struct {
		got, want any
		why       string
	}{
		{and.Position(), Pos(0), "the AND starts with its first operand"},
		{not.Position(), Pos(13), "NOT is at char 13"},
		{or.Position(), Pos(18), "the OR starts at OK, inside the parenthesis"},
		{al.Position(), Pos(27), "AT_LEAST is at char 27"},
		{al.MPos, Pos(36), "the threshold is at char 36"},
		{al.Need(), 1, "50% of 2 is 1"},
		{not.String(), "NOT (OK(b) OR AT_LEAST(50%, NOT ALARM, (c, d)))", "a node prints its own subtree"},
		{or.Operands[0].(*StateNode).State, alarm.StateOK, "OK(b) is an OK state function"},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.why, diff)
		}
	}
}
