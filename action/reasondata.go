package action

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A child is one entry of a composite alarm's TriggeringChildren: a child
// alarm's ARN, its state and when it entered that state, as the
// composite's reason data gives them.
type child struct {
	ARN, Value, Timestamp string
}

// maxDepth bounds the nesting of the JSON that parseTriggeringAlarms
// reads (it recurses once per level).
const maxDepth = 64

// parseTriggeringAlarms reads a composite alarm's StateReasonData,
// CloudWatch's
//
//	{"triggeringAlarms":[{"arn":"...","state":{"value":"ALARM","timestamp":"..."}}]}
//
// and appends its entries to dst. The text must be one JSON value (RFC
// 8259) and nothing else but white space; keys may come in any order,
// other keys are skipped, and of a repeated key the last counts. The
// strings are decoded (escapes, and invalid UTF-8 as U+FFFD); the
// timestamp is kept as written. The error names the position and the rule
// broken; dst is then returned as it was.
func parseTriggeringAlarms(data string, dst []child) ([]child, error) {
	r := jsonReader{s: data}
	n := len(dst)
	found := false
	// The shape problem of the last triggeringAlarms read, if any: a
	// repeated key replaces the earlier value, problems included, as in
	// encoding/json.
	var shape *syntaxError
	err := r.object(0, func(key string) error {
		if key != "triggeringAlarms" {
			return r.skip(1)
		}
		found, shape = true, nil
		dst = dst[:n]
		bad := func(at int, msg string) {
			if shape == nil {
				shape = &syntaxError{at, msg}
			}
		}
		if !r.peek('[') {
			bad(r.i, "\"triggeringAlarms\" is not an array")
			return r.skip(1)
		}
		return r.array(1, func() error {
			at := r.i
			if !r.peek('{') {
				bad(at, "a triggering alarm is not an object")
				return r.skip(2)
			}
			var c child
			var arnOK, stateOK, valueOK, timeOK bool
			err := r.object(2, func(key string) error {
				var err error
				switch key {
				case "arn":
					c.ARN, arnOK, err = r.maybeStr(3)
				case "state":
					valueOK, timeOK = false, false
					if stateOK = r.peek('{'); !stateOK {
						return r.skip(3)
					}
					err = r.object(3, func(key string) error {
						var err error
						switch key {
						case "value":
							c.Value, valueOK, err = r.maybeStr(4)
						case "timestamp":
							c.Timestamp, timeOK, err = r.maybeStr(4)
						default:
							err = r.skip(4)
						}
						return err
					})
				default:
					err = r.skip(3)
				}
				return err
			})
			if !(arnOK && stateOK && valueOK && timeOK) {
				bad(at, "a triggering alarm needs a string \"arn\" and a \"state\" object with the strings \"value\" and \"timestamp\"")
			}
			dst = append(dst, c)
			return err
		})
	})
	if err == nil {
		r.ws()
		switch {
		case r.i < len(r.s):
			err = r.fail("text after the JSON value")
		case !found:
			err = r.fail("no \"triggeringAlarms\" key")
		case shape != nil:
			err = shape
		}
	}
	if err != nil {
		return dst[:n], &payloadError{"the reason data " + quoteShort(data) + " is not a composite alarm's ({\"triggeringAlarms\":[{\"arn\":...,\"state\":{\"value\":...,\"timestamp\":...}}]}): " + err.Error()}
	}
	return dst, nil
}

// quoteShort quotes s, cut to 80 bytes.
func quoteShort(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:80]) + "..."
	}
	return strconv.Quote(s)
}

// jsonReader reads JSON text from s at i. Each method reads one value, or
// reports where and why it cannot.
type jsonReader struct {
	s string
	i int
}

type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return "at offset " + strconv.Itoa(e.off) + ": " + e.msg }

func (r *jsonReader) fail(msg string) error { return &syntaxError{r.i, msg} }

// ws skips white space.
func (r *jsonReader) ws() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek skips white space and reports whether the next byte is c.
func (r *jsonReader) peek(c byte) bool {
	r.ws()
	return r.i < len(r.s) && r.s[r.i] == c
}

// maybeStr reads a value: a string, returned with true, or any other
// value, skipped and returned as "" and false.
func (r *jsonReader) maybeStr(depth int) (string, bool, error) {
	if !r.peek('"') {
		return "", false, r.skip(depth)
	}
	s, err := r.str()
	return s, err == nil, err
}

// expect skips white space and the byte c.
func (r *jsonReader) expect(c byte, what string) error {
	r.ws()
	if r.i >= len(r.s) || r.s[r.i] != c {
		return r.fail("expected " + what)
	}
	r.i++
	return nil
}

// object reads an object, calling member after each key's colon to read
// its value.
func (r *jsonReader) object(depth int, member func(key string) error) error {
	if depth >= maxDepth {
		return r.fail("nested more than " + strconv.Itoa(maxDepth) + " levels")
	}
	if err := r.expect('{', "'{' (an object)"); err != nil {
		return err
	}
	r.ws()
	if r.i < len(r.s) && r.s[r.i] == '}' {
		r.i++
		return nil
	}
	for {
		r.ws()
		key, err := r.str()
		if err != nil {
			return err
		}
		if err := r.expect(':', "':' after an object key"); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		r.ws()
		if r.i >= len(r.s) {
			return r.fail("unterminated object")
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return r.fail("expected ',' or '}' in an object")
		}
	}
}

// array reads an array, calling elem to read each element.
func (r *jsonReader) array(depth int, elem func() error) error {
	if depth >= maxDepth {
		return r.fail("nested more than " + strconv.Itoa(maxDepth) + " levels")
	}
	if err := r.expect('[', "'[' (an array)"); err != nil {
		return err
	}
	r.ws()
	if r.i < len(r.s) && r.s[r.i] == ']' {
		r.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		r.ws()
		if r.i >= len(r.s) {
			return r.fail("unterminated array")
		}
		switch r.s[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return nil
		default:
			return r.fail("expected ',' or ']' in an array")
		}
	}
}

// skip reads any value and drops it.
func (r *jsonReader) skip(depth int) error {
	r.ws()
	if r.i >= len(r.s) {
		return r.fail("expected a value")
	}
	switch c := r.s[r.i]; {
	case c == '{':
		return r.object(depth, func(string) error { return r.skip(depth + 1) })
	case c == '[':
		return r.array(depth, func() error { return r.skip(depth + 1) })
	case c == '"':
		_, err := r.str()
		return err
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return r.number()
	}
	return r.fail("expected a value")
}

func (r *jsonReader) literal(lit string) error {
	if !strings.HasPrefix(r.s[r.i:], lit) {
		return r.fail("expected " + lit)
	}
	r.i += len(lit)
	return nil
}

// number reads a number: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
func (r *jsonReader) number() error {
	digits := func() int {
		n := 0
		for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.s[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.s) && r.s[r.i] == '0':
		r.i++
	case digits() == 0:
		return r.fail("expected a digit")
	}
	if r.i < len(r.s) && r.s[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return r.fail("expected a digit after '.'")
		}
	}
	if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		r.i++
		if r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return r.fail("expected a digit in the exponent")
		}
	}
	return nil
}

// str reads a string and returns it decoded. A string without escapes
// and of valid UTF-8 is returned without a copy.
func (r *jsonReader) str() (string, error) {
	r.ws()
	if r.i >= len(r.s) || r.s[r.i] != '"' {
		return "", r.fail("expected '\"' (a string)")
	}
	r.i++
	start := r.i
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return r.s[start : r.i-1], nil
		case c == '\\' || c >= utf8.RuneSelf:
			return r.strSlow(start)
		case c < 0x20:
			return "", r.fail("a control character in a string")
		}
		r.i++
	}
	return "", r.fail("unterminated string")
}

// strSlow decodes the rest of a string that holds escapes or non-ASCII
// bytes, from start.
func (r *jsonReader) strSlow(start int) (string, error) {
	b := make([]byte, 0, len(r.s)-start)
	b = append(b, r.s[start:r.i]...)
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return string(b), nil
		case c < 0x20:
			return "", r.fail("a control character in a string")
		case c >= utf8.RuneSelf:
			ru, size := utf8.DecodeRuneInString(r.s[r.i:])
			b = utf8.AppendRune(b, ru) // U+FFFD for an invalid byte
			r.i += size
		case c != '\\':
			b = append(b, c)
			r.i++
		default:
			r.i++
			if r.i >= len(r.s) {
				return "", r.fail("unterminated escape")
			}
			e := r.s[r.i]
			r.i++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				ru, ok := r.hex4()
				if !ok {
					return "", r.fail("expected 4 hexadecimal digits after \\u")
				}
				if utf16.IsSurrogate(ru) {
					// A pair gives one rune; a lone half gives U+FFFD.
					if strings.HasPrefix(r.s[r.i:], "\\u") {
						save := r.i
						r.i += 2
						lo, ok := r.hex4()
						if ok {
							if p := utf16.DecodeRune(ru, lo); p != utf8.RuneError {
								ru = p
							} else {
								r.i = save
								ru = utf8.RuneError
							}
						} else {
							r.i = save
							ru = utf8.RuneError
						}
					} else {
						ru = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, ru)
			default:
				return "", r.fail("an invalid escape \\" + string(rune(e)))
			}
		}
	}
	return "", r.fail("unterminated string")
}

func (r *jsonReader) hex4() (rune, bool) {
	if len(r.s)-r.i < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 16)
	if err != nil {
		return 0, false
	}
	r.i += 4
	return rune(v), true
}
