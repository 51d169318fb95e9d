package composite

import (
	"strconv"
	"unicode/utf8"
)

// itemType identifies the type of a lexical item.
type itemType uint8

const (
	itemError      itemType = iota // a lexical error; the lexer's msg says what
	itemEOF                        // the end of the rule
	itemLeftParen                  // (
	itemRightParen                 // )
	itemComma                      // ,
	itemQuoted                     // a quoted reference: "..." with \" and \\ escapes
	itemWord                       // any other run of non-separator characters: a bare reference or a number
	// Keywords are words with a meaning of their own; where a reference is
	// expected they are references like any other word (ALARM(OK) names the
	// alarm "OK").
	itemAlarm            // ALARM
	itemOK               // OK
	itemInsufficientData // INSUFFICIENT_DATA
	itemTrue             // TRUE
	itemFalse            // FALSE
	itemAnd              // AND
	itemOr               // OR
	itemNot              // NOT
	itemAtLeast          // AT_LEAST
)

// keyword returns the item type of the word s: a keyword's type, or
// itemWord. Keywords are upper case only.
func keyword(s string) itemType {
	switch s {
	case "ALARM":
		return itemAlarm
	case "OK":
		return itemOK
	case "INSUFFICIENT_DATA":
		return itemInsufficientData
	case "TRUE":
		return itemTrue
	case "FALSE":
		return itemFalse
	case "AND":
		return itemAnd
	case "OR":
		return itemOr
	case "NOT":
		return itemNot
	case "AT_LEAST":
		return itemAtLeast
	}
	return itemWord
}

// isWord reports whether the item is a word: a keyword or a bare word.
func (t itemType) isWord() bool { return t >= itemWord }

// An item is one token of the rule.
type item struct {
	typ  itemType
	pos  int    // byte offset of val in the rule
	char int    // character (code point) offset of val: CloudWatch's "at char N"
	val  string // the token as written (a quoted reference keeps its quotes)
}

// isSpace reports whether c separates tokens: space, tab, line feed and
// carriage return.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isSeparator reports whether c ends a word: white space, a round bracket,
// a comma or a double quote.
func isSeparator(c byte) bool {
	return isSpace(c) || c == '(' || c == ')' || c == ',' || c == '"'
}

// A lexer splits a rule into items, one per call of next. It runs in the
// caller's goroutine (text/template's lexer once ran in its own). The input
// must be valid UTF-8.
type lexer struct {
	input string
	pos   int    // byte offset of the next character
	char  int    // character offset of the next character
	msg   string // after an itemError: the message inside "Error in AlarmRule [...]"
}

// advance moves past n bytes that hold exactly one character.
func (l *lexer) advance(n int) {
	l.pos += n
	l.char++
}

// next returns the next item of the rule; at the end, itemEOF (again and
// again).
func (l *lexer) next() item {
	for l.pos < len(l.input) && isSpace(l.input[l.pos]) {
		l.advance(1)
	}
	start, startChar := l.pos, l.char
	if l.pos >= len(l.input) {
		return item{typ: itemEOF, pos: start, char: startChar}
	}
	var typ itemType
	switch l.input[l.pos] {
	case '(':
		typ = itemLeftParen
	case ')':
		typ = itemRightParen
	case ',':
		typ = itemComma
	case '"':
		return l.quoted()
	default:
		return l.word()
	}
	l.advance(1)
	return item{typ: typ, pos: start, char: startChar, val: l.input[start:l.pos]}
}

// word scans a run of characters up to the next separator.
func (l *lexer) word() item {
	start, startChar := l.pos, l.char
	for l.pos < len(l.input) {
		c := l.input[l.pos]
		if c < utf8.RuneSelf {
			if isSeparator(c) {
				break
			}
			l.advance(1)
			continue
		}
		_, n := utf8.DecodeRuneInString(l.input[l.pos:])
		l.advance(n)
	}
	val := l.input[start:l.pos]
	return item{typ: keyword(val), pos: start, char: startChar, val: val}
}

// quoted scans a quoted reference: '"' { char | '\"' | '\\' } '"'. Any
// other backslash sequence, and a missing closing quote, are errors.
func (l *lexer) quoted() item {
	start, startChar := l.pos, l.char
	l.advance(1)
	for l.pos < len(l.input) {
		switch c := l.input[l.pos]; {
		case c == '"':
			l.advance(1)
			return item{typ: itemQuoted, pos: start, char: startChar, val: l.input[start:l.pos]}
		case c == '\\':
			if l.pos+1 < len(l.input) && (l.input[l.pos+1] == '"' || l.input[l.pos+1] == '\\') {
				l.advance(1)
				l.advance(1)
				continue
			}
			// The bad escape is the backslash and the character after it.
			escPos, escChar := l.pos, l.char
			end := escPos + 1
			if end < len(l.input) {
				_, n := utf8.DecodeRuneInString(l.input[end:])
				end += n
			}
			it := item{typ: itemError, pos: escPos, char: escChar, val: l.input[escPos:end]}
			l.msg = "Unsupported escape " + quoteToken(it.val) + " at char " + strconv.Itoa(escChar) + `, must be: '\"' or '\\'`
			return it
		case c < utf8.RuneSelf:
			l.advance(1)
		default:
			_, n := utf8.DecodeRuneInString(l.input[l.pos:])
			l.advance(n)
		}
	}
	it := item{typ: itemError, pos: start, char: startChar, val: l.input[start:]}
	l.msg = "Unterminated quoted alarm name " + quoteToken(it.val) + " at char " + strconv.Itoa(startChar) + `, must end with '"'`
	return it
}

// unquote returns the reference that a quoted item (with its quotes)
// stands for.
func unquote(q string) string {
	s := q[1 : len(q)-1]
	i := 0
	for i < len(s) && s[i] != '\\' {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++ // the lexer only lets \" and \\ through
		}
		b = append(b, s[i])
	}
	return string(b)
}
