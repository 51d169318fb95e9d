package replay

// This file is a small JSON parser of its own (rather than encoding/json),
// so that a syntax error reports an exact line:column, an object keeps its
// keys in file order (the first unknown key is the one reported, every
// time), a duplicate key is caught, and a missing key can be told from a
// zero value (a static alarm without "Threshold").

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// ---- a JSON parser that keeps positions and key order ----

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNum
	jStr
	jArr
	jObj
)

// A jval is one parsed JSON value.
type jval struct {
	kind       jkind
	start, end int      // the value's bytes in the input
	text       string   // jStr: the decoded string; jNum: the number as written
	b          bool     // jBool
	keys       []string // jObj: member keys, in file order
	elems      []*jval  // jObj: member values (parallel to keys); jArr: elements
}

func (v *jval) get(key string) *jval {
	if i := slices.Index(v.keys, key); i >= 0 {
		return v.elems[i]
	}
	return nil
}

func (v *jval) has(key string) bool { return slices.Contains(v.keys, key) }

// dupKeys returns the indexes of the keys of an object that repeat an
// earlier key.
func (v *jval) dupKeys() []int {
	var dups []int
	if len(v.keys) <= 16 {
		for i, k := range v.keys {
			if slices.Contains(v.keys[:i], k) {
				dups = append(dups, i)
			}
		}
		return dups
	}
	seen := make(map[string]bool, len(v.keys))
	for i, k := range v.keys {
		if seen[k] {
			dups = append(dups, i)
		}
		seen[k] = true
	}
	return dups
}

// describe names the value for "got ..." in a message.
func (v *jval) describe() string {
	switch v.kind {
	case jNull:
		return "null"
	case jBool:
		return strconv.FormatBool(v.b)
	case jNum:
		return "the number " + v.text
	case jStr:
		return "the string " + quoteShort(v.text)
	case jArr:
		return "an array"
	}
	return "an object"
}

// short prints a string or number value for a message.
func (v *jval) short() string {
	if v.kind == jStr {
		return quoteShort(v.text)
	}
	return v.text
}

// maxDepth bounds the nesting of arrays and objects. The deepest real input
// (a metric-math alarm) nests six levels.
const maxDepth = 100

type jparser struct {
	data  []byte
	i     int
	depth int
}

type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// parseJSONFile parses one JSON document. Syntax errors report line:column
// (columns count bytes). The input may start with a UTF-8 byte order mark.
func parseJSONFile(name string, data []byte) (*jval, error) {
	p := &jparser{data: data}
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		p.i = 3
	}
	p.ws()
	if p.i == len(data) {
		return nil, fmt.Errorf("replay: %s: the file is empty", name)
	}
	v, err := p.value()
	if err == nil {
		p.ws()
		if p.i < len(data) {
			err = p.unexpected("after the top-level value")
		}
	}
	if err != nil {
		se := err.(*syntaxError)
		line := 1 + bytes.Count(data[:se.off], []byte("\n"))
		col := se.off - bytes.LastIndexByte(data[:se.off], '\n')
		return nil, fmt.Errorf("replay: %s:%d:%d: %s", name, line, col, se.msg)
	}
	return v, nil
}

// parseJSONPart parses one JSON value captured from a stream, whose
// first byte is at line:col of the file; syntax errors give the file's
// line:column.
func parseJSONPart(name string, data []byte, line, col int) (*jval, error) {
	p := &jparser{data: data}
	v, err := p.value()
	if err == nil {
		p.ws()
		if p.i < len(data) {
			err = p.unexpected("after the value")
		}
	}
	if err != nil {
		se := err.(*syntaxError)
		l, c := offsetLineCol(data, se.off, line, col)
		return nil, fmt.Errorf("replay: %s:%d:%d: %s", name, l, c, se.msg)
	}
	return v, nil
}

// offsetLineCol returns the line and column of data[off], data starting
// at line:col.
func offsetLineCol(data []byte, off, line, col int) (int, int) {
	nl := bytes.Count(data[:off], []byte("\n"))
	if nl == 0 {
		return line, col + off
	}
	return line + nl, off - bytes.LastIndexByte(data[:off], '\n')
}

func (p *jparser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) fail(msg string) error { return &syntaxError{p.i, msg} }

// unexpected reports the byte at p.i (or the end of input) as unexpected;
// ctx says where, or what was wanted.
func (p *jparser) unexpected(ctx string) error {
	if p.i >= len(p.data) {
		return p.fail("unexpected end of input " + ctx)
	}
	c := p.data[p.i]
	what := fmt.Sprintf("byte %#02x", c)
	if r, _ := utf8.DecodeRune(p.data[p.i:]); r != utf8.RuneError {
		what = strconv.QuoteRune(r)
	}
	return p.fail("unexpected " + what + " " + ctx)
}

// value parses: value = object | array | string | number | "true" | "false" | "null".
func (p *jparser) value() (*jval, error) {
	p.ws()
	if p.i >= len(p.data) {
		return nil, p.unexpected("where a value should be")
	}
	v := &jval{start: p.i}
	var err error
	switch c := p.data[p.i]; {
	case c == '{':
		err = p.object(v)
	case c == '[':
		err = p.array(v)
	case c == '"':
		v.kind = jStr
		v.text, err = p.str()
	case c == '-' || c >= '0' && c <= '9':
		v.kind = jNum
		err = p.number(v)
	case bytes.HasPrefix(p.data[p.i:], []byte("true")):
		v.kind, v.b = jBool, true
		p.i += 4
	case bytes.HasPrefix(p.data[p.i:], []byte("false")):
		v.kind = jBool
		p.i += 5
	case bytes.HasPrefix(p.data[p.i:], []byte("null")):
		v.kind = jNull
		p.i += 4
	default:
		err = p.unexpected("where a value should be")
	}
	v.end = p.i
	return v, err
}

func (p *jparser) nest() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail(fmt.Sprintf("arrays and objects nested more than %d deep", maxDepth))
	}
	return nil
}

// object parses: object = "{" [ string ":" value { "," string ":" value } ] "}".
func (p *jparser) object(v *jval) error {
	v.kind = jObj
	if err := p.nest(); err != nil {
		return err
	}
	p.i++ // {
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		p.depth--
		return nil
	}
	for {
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return p.unexpected("where an object key (a string) should be")
		}
		k, err := p.str()
		if err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return p.unexpected("after an object key, want ':'")
		}
		p.i++
		e, err := p.value()
		if err != nil {
			return err
		}
		v.keys = append(v.keys, k)
		v.elems = append(v.elems, e)
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			p.depth--
			return nil
		}
		return p.unexpected("after an object member, want ',' or '}'")
	}
}

// array parses: array = "[" [ value { "," value } ] "]".
func (p *jparser) array(v *jval) error {
	v.kind = jArr
	if err := p.nest(); err != nil {
		return err
	}
	p.i++ // [
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		p.depth--
		return nil
	}
	for {
		e, err := p.value()
		if err != nil {
			return err
		}
		v.elems = append(v.elems, e)
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			p.depth--
			return nil
		}
		return p.unexpected("after an array element, want ',' or ']'")
	}
}

// number parses: number = [ "-" ] ( "0" | digit1-9 { digit } ) [ "." digit { digit } ] [ ( "e" | "E" ) [ "+" | "-" ] digit { digit } ].
// It keeps the text; the decoder parses it for the Go type it fills.
func (p *jparser) number(v *jval) error {
	start := p.i
	digits := func() error {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		if n == 0 {
			return p.unexpected("in a number, want a digit")
		}
		return nil
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.data) && p.data[p.i] == '0' {
		p.i++
	} else if err := digits(); err != nil {
		return err
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if err := digits(); err != nil {
			return err
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if err := digits(); err != nil {
			return err
		}
	}
	v.text = string(p.data[start:p.i])
	return nil
}

// str parses a string at p.i (which holds the opening quote) and returns its
// decoded value. Invalid UTF-8 and raw control characters are errors; a lone
// UTF-16 surrogate escape decodes to U+FFFD, as encoding/json does.
func (p *jparser) str() (string, error) {
	p.i++ // "
	var buf []byte
	start := p.i
	for {
		if p.i >= len(p.data) {
			return "", p.fail("unexpected end of input in a string")
		}
		switch c := p.data[p.i]; {
		case c == '"':
			s := p.data[start:p.i]
			p.i++
			if buf != nil {
				return string(append(buf, s...)), nil
			}
			return string(s), nil
		case c == '\\':
			buf = append(buf, p.data[start:p.i]...)
			if buf == nil {
				buf = []byte{}
			}
			var err error
			if buf, err = p.escape(buf); err != nil {
				return "", err
			}
			start = p.i
		case c < 0x20:
			return "", p.fail(fmt.Sprintf("control character %U in a string (write it as an escape)", c))
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := utf8.DecodeRune(p.data[p.i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.fail(fmt.Sprintf("invalid UTF-8 (byte %#02x) in a string", c))
			}
			p.i += size
		}
	}
}

// escape decodes the escape sequence at p.i into buf.
func (p *jparser) escape(buf []byte) ([]byte, error) {
	if p.i+1 >= len(p.data) {
		return nil, p.fail("unexpected end of input in a string")
	}
	c := p.data[p.i+1]
	switch c {
	case '"', '\\', '/':
		buf = append(buf, c)
	case 'b':
		buf = append(buf, '\b')
	case 'f':
		buf = append(buf, '\f')
	case 'n':
		buf = append(buf, '\n')
	case 'r':
		buf = append(buf, '\r')
	case 't':
		buf = append(buf, '\t')
	case 'u':
		r, ok := p.hex4(p.i + 2)
		if !ok {
			return nil, p.fail(`invalid \u escape in a string (want four hex digits)`)
		}
		p.i += 6
		if r >= 0xD800 && r < 0xDC00 { // a high surrogate: a low one should follow
			if lo, ok := p.hex4(p.i + 2); ok && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' && lo >= 0xDC00 && lo < 0xE000 {
				p.i += 6
				return utf8.AppendRune(buf, 0x10000+(r-0xD800)<<10+(lo-0xDC00)), nil
			}
		}
		if r >= 0xD800 && r < 0xE000 {
			r = utf8.RuneError
		}
		return utf8.AppendRune(buf, r), nil
	default:
		return nil, p.fail(fmt.Sprintf("invalid escape %s in a string", strconv.Quote(`\`+string(rune(c)))))
	}
	p.i += 2
	return buf, nil
}

// hex4 decodes four hex digits at data[i:].
func (p *jparser) hex4(i int) (rune, bool) {
	if i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[i : i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
