package composite

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// Limits of an AlarmRule. MaxRuleLength, MaxChildren and MaxElements are
// CloudWatch's; MaxDepth is Klaxon's (CloudWatch documents none).
const (
	MaxRuleLength = 10240 // characters (Unicode code points) of the rule text
	MaxChildren   = 100   // distinct alarm references
	MaxElements   = 500   // alarm references, TRUE, FALSE and grouping parentheses (see Parse)
	MaxDepth      = 100   // grouping parentheses and NOT operators open at any point
)

// ErrValidation matches, with errors.Is, every error of this package: a
// rule or a Config that CloudWatch would reject.
var ErrValidation = cwerr.ErrValidation

// A RuleError is an AlarmRule that CloudWatch would reject. Message is
// CloudWatch's text, "Error in AlarmRule [Unsupported token ')' at char
// 1]" for a syntax error, or the "1 validation error detected: ..." form
// for a rule that is empty or too long. Its code is ValidationError.
type RuleError struct {
	// Char is the 0-based character (code point) offset of Token in the
	// rule: the N of "at char N". It is -1 when the whole rule is at fault
	// (its length).
	Char int
	// Token is the offending token exactly as written; "" at the end of the
	// rule and when Char is -1.
	Token string
	// Message is CloudWatch's message, without the package and code.
	Message string
}

func (e *RuleError) Error() string { return e.Unwrap().Error() }

// Unwrap returns the error as a *cwerr.Error with code ValidationError, so
// that errors.Is(err, ErrValidation) holds.
func (e *RuleError) Unwrap() error { return cwerr.New("composite", cwerr.ValidationError, e.Message) }

// Parse parses an AlarmRule and checks CloudWatch's limits: 1 to 10240
// characters, at most 100 distinct alarms, at most 500 elements and at
// most 100 levels of nesting. The error, when there is one, is a
// *RuleError that gives the offending token and its offset.
//
// Elements are counted as follows: every alarm reference (each time it
// appears, in state functions and in AT_LEAST lists), every TRUE and
// FALSE, and every grouping parenthesis, "(" and ")" each counting one.
// The parentheses that belong to ALARM(...), OK(...),
// INSUFFICIENT_DATA(...) and AT_LEAST(..., (...)) are not counted.
// Nesting counts the grouping parentheses and NOT operators around a
// point of the rule.
//
// Distinct alarms are distinct references after unquoting: "a" and a are
// the same alarm; a name and an ARN of the same alarm count as two.
func Parse(rule string) (*Rule, error) {
	switch n := utf8.RuneCountInString(rule); {
	case n == 0:
		return nil, lengthError(rule, "have length greater than or equal to 1")
	case n > MaxRuleLength:
		return nil, lengthError(rule, "have length less than or equal to "+strconv.Itoa(MaxRuleLength))
	}
	return parse(rule)
}

// lengthError reports a rule whose length is out of bounds, in
// CloudWatch's format for a failed shape constraint.
func lengthError(rule, constraint string) *RuleError {
	return &RuleError{Char: -1, Message: "1 validation error detected: Value " + quoteToken(rule) +
		" at 'alarmRule' failed to satisfy constraint: Member must " + constraint}
}

// parse parses rule without checking its length (which bounds the work;
// the other limits are checked as the parser meets them).
func parse(rule string) (*Rule, error) {
	if !utf8.ValidString(rule) {
		i, char := 0, 0
		for {
			r, n := utf8.DecodeRuneInString(rule[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
			char++
		}
		return nil, &RuleError{Char: char, Token: rule[i : i+1],
			Message: "Error in AlarmRule [Invalid UTF-8 byte " + quoteToken(rule[i:i+1]) + " at char " + strconv.Itoa(char) + "]"}
	}
	p := parser{lex: lexer{input: rule}, index: map[string]int{}}
	p.advance()
	root, err := p.rule()
	if err != nil {
		return nil, err
	}
	r := &Rule{root: root, children: p.children}
	r.compile()
	return r, nil
}

// A parser is a recursive-descent parser with one token of lookahead,
// one method per production of the grammar (see the package
// documentation). It counts elements, distinct children and depth as it
// goes, so that it stops at the first token beyond a limit.
type parser struct {
	lex      lexer
	tok      item // the current token, not yet consumed
	children []string
	index    map[string]int // children[index[ref]] == ref
	elements int
	depth    int
}

// advance consumes the current token.
func (p *parser) advance() { p.tok = p.lex.next() }

// rule = [ WS ] or_expr [ WS ] EOF ;
func (p *parser) rule() (Node, error) {
	x, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	if p.tok.typ != itemEOF {
		return nil, p.unexpected("'AND', 'OR' or the end of the rule")
	}
	return x, nil
}

// or_expr = and_expr { "OR" and_expr } ;
func (p *parser) orExpr() (Node, error) {
	pos := Pos(p.tok.char)
	x, err := p.andExpr()
	if err != nil || p.tok.typ != itemOr {
		return x, err
	}
	ops := []Node{x}
	for p.tok.typ == itemOr {
		p.advance()
		y, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		ops = append(ops, y)
	}
	return &OrNode{Pos: pos, Operands: ops}, nil
}

// and_expr = unary { "AND" unary } ;
func (p *parser) andExpr() (Node, error) {
	pos := Pos(p.tok.char)
	x, err := p.unary()
	if err != nil || p.tok.typ != itemAnd {
		return x, err
	}
	ops := []Node{x}
	for p.tok.typ == itemAnd {
		p.advance()
		y, err := p.unary()
		if err != nil {
			return nil, err
		}
		ops = append(ops, y)
	}
	return &AndNode{Pos: pos, Operands: ops}, nil
}

// unary = "NOT" unary | primary ;
func (p *parser) unary() (Node, error) {
	if p.tok.typ != itemNot {
		return p.primary()
	}
	not := p.tok
	if err := p.enter(not); err != nil {
		return nil, err
	}
	p.advance()
	x, err := p.unary()
	p.depth--
	if err != nil {
		return nil, err
	}
	return &NotNode{Pos: Pos(not.char), X: x}, nil
}

// primary = "(" or_expr ")" | state_fn | "TRUE" | "FALSE" | at_least ;
func (p *parser) primary() (Node, error) {
	switch t := p.tok; t.typ {
	case itemLeftParen:
		if err := p.enter(t); err != nil {
			return nil, err
		}
		if err := p.element(t); err != nil {
			return nil, err
		}
		p.advance()
		x, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		if p.tok.typ != itemRightParen {
			return nil, p.unexpected("'AND', 'OR' or ')'")
		}
		if err := p.element(p.tok); err != nil {
			return nil, err
		}
		p.advance()
		p.depth--
		return x, nil
	case itemAlarm, itemOK, itemInsufficientData:
		return p.stateFn()
	case itemTrue, itemFalse:
		if err := p.element(t); err != nil {
			return nil, err
		}
		p.advance()
		return &BoolNode{Pos: Pos(t.char), Value: t.typ == itemTrue}, nil
	case itemAtLeast:
		return p.atLeast()
	}
	// CloudWatch lists no expected tokens here: "Unsupported token ')' at
	// char 1" for the rule "()".
	return nil, p.unexpected("")
}

// state_fn = state [ WS ] "(" alarm_ref ")" ;
// state    = "ALARM" | "OK" | "INSUFFICIENT_DATA" ;
func (p *parser) stateFn() (Node, error) {
	fn := p.tok
	p.advance()
	if err := p.expect(itemLeftParen, "'('"); err != nil {
		return nil, err
	}
	ref, child, err := p.alarmRef()
	if err != nil {
		return nil, err
	}
	if err := p.expect(itemRightParen, "')'"); err != nil {
		return nil, err
	}
	return &StateNode{Pos: Pos(fn.char), State: stateOf(fn.typ), Alarm: ref, child: child}, nil
}

// at_least = "AT_LEAST" "(" threshold "," at_state "," "(" alarm_list ")" ")" ;
func (p *parser) atLeast() (Node, error) {
	n := &AtLeastNode{Pos: Pos(p.tok.char)}
	p.advance()
	if err := p.expect(itemLeftParen, "'('"); err != nil {
		return nil, err
	}
	m := p.tok
	if err := p.threshold(n); err != nil {
		return nil, err
	}
	if err := p.expect(itemComma, "','"); err != nil {
		return nil, err
	}
	if err := p.atState(n); err != nil {
		return nil, err
	}
	if err := p.expect(itemComma, "','"); err != nil {
		return nil, err
	}
	if err := p.expect(itemLeftParen, "'('"); err != nil {
		return nil, err
	}
	if err := p.alarmList(n); err != nil {
		return nil, err
	}
	if err := p.expect(itemRightParen, "',' or ')'"); err != nil {
		return nil, err
	}
	if err := p.expect(itemRightParen, "')'"); err != nil {
		return nil, err
	}
	// M is checked against the list once the list is known.
	switch {
	case n.Percent && (n.M < 1 || n.M > 100):
		return nil, p.errorAt(m, "Unsupported AT_LEAST threshold "+quoteToken(m.val)+" at char "+strconv.Itoa(m.char)+", must be: a percentage from 1% to 100%")
	case !n.Percent && (n.M < 1 || n.M > len(n.Alarms)):
		return nil, p.errorAt(m, fmt.Sprintf("Unsupported AT_LEAST threshold %s at char %d, must be: a count from 1 to %d (the number of alarms listed) or a percentage", quoteToken(m.val), m.char, len(n.Alarms)))
	}
	return n, nil
}

// threshold = DIGITS [ "%" ] ;
func (p *parser) threshold(n *AtLeastNode) error {
	t := p.tok
	s, percent := strings.CutSuffix(t.val, "%")
	if t.typ != itemWord || s == "" || strings.Trim(s, "0123456789") != "" {
		return p.unexpected("a count or a percentage, such as 2 or 50%")
	}
	m := 0
	for i := 0; i < len(s); i++ {
		m = min(m*10+int(s[i]-'0'), 1<<20) // saturates: anything this large is out of range
	}
	n.M, n.Percent, n.MPos = m, percent, Pos(t.char)
	p.advance()
	return nil
}

// at_state = [ "NOT" WS ] state ;
func (p *parser) atState(n *AtLeastNode) error {
	want := "'ALARM', 'OK', 'INSUFFICIENT_DATA' or 'NOT'"
	if p.tok.typ == itemNot {
		n.Not = true
		p.advance()
		want = "'ALARM', 'OK' or 'INSUFFICIENT_DATA'"
	}
	switch p.tok.typ {
	case itemAlarm, itemOK, itemInsufficientData:
		n.State = stateOf(p.tok.typ)
		p.advance()
		return nil
	}
	return p.unexpected(want)
}

// alarm_list = alarm_ref { "," alarm_ref } ;
func (p *parser) alarmList(n *AtLeastNode) error {
	for {
		ref, child, err := p.alarmRef()
		if err != nil {
			return err
		}
		n.Alarms = append(n.Alarms, ref)
		n.children = append(n.children, child)
		if p.tok.typ != itemComma {
			return nil
		}
		p.advance()
	}
}

// alarm_ref  = quoted_ref | bare_ref ;
// quoted_ref = '"' { char - ( '"' | '\' ) | '\"' | '\\' } '"' ;
// bare_ref   = word ;   (* keywords included: ALARM(OK) names the alarm "OK" *)
//
// alarmRef returns the reference, unquoted, and its index among the
// distinct children.
func (p *parser) alarmRef() (string, int, error) {
	t := p.tok
	var ref string
	switch {
	case t.typ == itemQuoted:
		ref = unquote(t.val)
	case t.typ.isWord():
		ref = t.val
	default:
		return "", 0, p.unexpected("an alarm name or ARN")
	}
	if ref == "" {
		return "", 0, p.unexpected("an alarm name or ARN")
	}
	if err := p.element(t); err != nil {
		return "", 0, err
	}
	child, ok := p.index[ref]
	if !ok {
		child = len(p.children)
		if child == MaxChildren {
			return "", 0, p.errorAt(t, fmt.Sprintf("Too many alarms at char %d: %s is distinct alarm %d, must be at most %d", t.char, quoteToken(t.val), child+1, MaxChildren))
		}
		p.index[ref] = child
		p.children = append(p.children, ref)
	}
	p.advance()
	return ref, child, nil
}

// expect consumes a token of type typ, or reports the current token as
// unexpected, with want as what must come instead.
func (p *parser) expect(typ itemType, want string) error {
	if p.tok.typ != typ {
		return p.unexpected(want)
	}
	p.advance()
	return nil
}

// enter opens a level of nesting at the token t (a grouping parenthesis or
// a NOT).
func (p *parser) enter(t item) error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errorAt(t, fmt.Sprintf("Nesting too deep at char %d: %s opens level %d, must be at most %d (grouping parentheses and NOT each open a level)", t.char, quoteToken(t.val), p.depth, MaxDepth))
	}
	return nil
}

// element counts the token t as an element of the rule.
func (p *parser) element(t item) error {
	p.elements++
	if p.elements > MaxElements {
		return p.errorAt(t, fmt.Sprintf("Too many elements at char %d: %s is element %d, must be at most %d (alarm references, TRUE, FALSE and grouping parentheses each count)", t.char, quoteToken(t.val), p.elements, MaxElements))
	}
	return nil
}

// unexpected reports the current token where it does not fit; want says
// what must come instead ("" for an expression, where CloudWatch lists
// nothing).
func (p *parser) unexpected(want string) *RuleError {
	t := p.tok
	var msg string
	switch t.typ {
	case itemError:
		return p.errorAt(t, p.lex.msg)
	case itemEOF:
		msg = "Unexpected end of AlarmRule at char " + strconv.Itoa(t.char)
	default:
		msg = "Unsupported token " + quoteToken(t.val) + " at char " + strconv.Itoa(t.char)
	}
	if want != "" {
		msg += ", must be: " + want
	}
	if t.typ == itemWord && keyword(strings.ToUpper(t.val)) != itemWord {
		msg += " (keywords are upper case)"
	}
	return p.errorAt(t, msg)
}

// errorAt returns the error at token t with the message inside CloudWatch's
// "Error in AlarmRule [...]".
func (p *parser) errorAt(t item, msg string) *RuleError {
	return &RuleError{Char: t.char, Token: t.val, Message: "Error in AlarmRule [" + msg + "]"}
}

// stateOf returns the state that a state keyword names.
func stateOf(t itemType) alarm.State {
	switch t {
	case itemAlarm:
		return alarm.StateAlarm
	case itemOK:
		return alarm.StateOK
	}
	return alarm.StateInsufficientData
}

// quoteToken returns s in single quotes for a message, with what would
// break the message's single line escaped: control characters, line and
// paragraph separators, and bytes that are not UTF-8.
func quoteToken(s string) string { return "'" + escapeValue(s) + "'" }

// escapeValue escapes control characters, line and paragraph separators
// and invalid UTF-8 bytes (as \u000a and \xff); the rest is kept.
func escapeValue(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}
