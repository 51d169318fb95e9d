package replay

// This file reads JSON from a stream, a value at a time: the metrics
// readers walk the outer structure (arrays of objects, MetricData arrays)
// token by token and capture each inner value (one datum) whole, so that
// memory holds one datum, not the file. Positions are kept as line:column
// as the bytes go by.

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// jstream reads JSON bytes from r, keeping the line and column of the
// next unread byte.
type jstream struct {
	name      string
	r         io.Reader
	buf       []byte
	i, n      int // buf[i:n] is unread
	line, col int // of buf[i]
	rerr      error
	capture   []byte   // the bytes of the last captured value
	dec       *decoder // reused for each captured value
}

func newJStream(name string, r io.Reader) *jstream {
	return &jstream{name: name, r: r, buf: make([]byte, 64<<10), line: 1, col: 1}
}

// fill reads more bytes when none are unread; it reports whether there
// are some.
func (s *jstream) fill() bool {
	if s.i < s.n {
		return true
	}
	if s.rerr != nil {
		return false
	}
	s.i, s.n = 0, 0
	for s.n == 0 && s.rerr == nil {
		s.n, s.rerr = s.r.Read(s.buf)
	}
	return s.n > 0
}

// readErr is the error of the reader, when it failed (rather than ended).
func (s *jstream) readErr() error {
	if s.rerr != nil && s.rerr != io.EOF {
		return s.rerr
	}
	return nil
}

// advance consumes c, which is buf[i].
func (s *jstream) advance(c byte) {
	s.i++
	if c == '\n' {
		s.line, s.col = s.line+1, 1
	} else {
		s.col++
	}
}

// ws skips whitespace (and a byte order mark at the very start) and
// returns the next byte, or false at the end of the input.
func (s *jstream) ws() (byte, bool) {
	for s.fill() {
		c := s.buf[s.i]
		switch c {
		case ' ', '\t', '\n', '\r':
			s.advance(c)
			continue
		}
		return c, true
	}
	return 0, false
}

// skipBOM skips a UTF-8 byte order mark at the start.
func (s *jstream) skipBOM() {
	if !s.fill() {
		return
	}
	for s.n-s.i < 3 && s.rerr == nil { // make sure three bytes are there to look at
		m, err := s.r.Read(s.buf[s.n:])
		s.n += m
		s.rerr = err
	}
	if bytes.HasPrefix(s.buf[s.i:s.n], []byte("\uFEFF")) {
		s.i += 3
	}
}

// syntax returns a syntax error at the next unread byte.
func (s *jstream) syntax(msg string) error {
	return fmt.Errorf("replay: %s:%d:%d: %s", s.name, s.line, s.col, msg)
}

// unexpected reports the next byte (or the end of input) as unexpected.
func (s *jstream) unexpected(ctx string) error {
	if err := s.readErr(); err != nil {
		return fmt.Errorf("replay: %s: %w", s.name, err)
	}
	if !s.fill() {
		return s.syntax("unexpected end of input " + ctx)
	}
	// Have the whole rune at hand, however the reads fell.
	if s.n-s.i < utf8.UTFMax && s.rerr == nil {
		copy(s.buf, s.buf[s.i:s.n])
		s.n -= s.i
		s.i = 0
		for s.n < utf8.UTFMax && s.rerr == nil {
			m, err := s.r.Read(s.buf[s.n:])
			s.n += m
			s.rerr = err
		}
	}
	c := s.buf[s.i]
	what := fmt.Sprintf("byte %#02x", c)
	if r, _ := utf8.DecodeRune(s.buf[s.i:s.n]); r != utf8.RuneError {
		what = strconv.QuoteRune(r)
	}
	return s.syntax("unexpected " + what + " " + ctx)
}

// expect consumes the structural byte c (after whitespace).
func (s *jstream) expect(c byte, ctx string) error {
	if b, ok := s.ws(); ok && b == c {
		s.advance(c)
		return nil
	}
	return s.unexpected(ctx)
}

// more reads the separator after an element of an array or a member of
// an object: true after ',' (another follows), false after the closing
// byte.
func (s *jstream) more(closing byte, ctx string) (bool, error) {
	c, ok := s.ws()
	switch {
	case ok && c == ',':
		s.advance(c)
		return true, nil
	case ok && c == closing:
		s.advance(c)
		return false, nil
	}
	return false, s.unexpected(ctx)
}

// empty consumes the closing byte of an empty array or object, if it is
// next.
func (s *jstream) empty(closing byte) bool {
	if c, ok := s.ws(); ok && c == closing {
		s.advance(c)
		return true
	}
	return false
}

// maxCapture bounds one captured value: a datum, or a whole API output
// that is read whole (see readWhole).
const maxCapture = 1 << 30

// value captures the next value whole and parses it; line and col are
// where it starts.
func (s *jstream) value() (v *jval, line, col int, err error) {
	if _, ok := s.ws(); !ok {
		return nil, s.line, s.col, s.unexpected("where a value should be")
	}
	line, col = s.line, s.col
	s.capture = s.capture[:0]
	depth, inStr, esc := 0, false, false
	for s.fill() {
		c := s.buf[s.i]
		if !inStr && depth == 0 && len(s.capture) > 0 {
			first := s.capture[0]
			if first == '{' || first == '[' || first == '"' {
				break // the value ended with its closing byte
			}
			if c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' {
				break // the end of a scalar
			}
		}
		s.capture = append(s.capture, c)
		s.advance(c)
		switch {
		case inStr && esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case inStr && c == '"':
			inStr = false
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
		if len(s.capture) > maxCapture {
			return nil, line, col, fmt.Errorf("replay: %s:%d:%d: a value longer than %d bytes", s.name, line, col, maxCapture)
		}
	}
	if err := s.readErr(); err != nil {
		return nil, line, col, fmt.Errorf("replay: %s: %w", s.name, err)
	}
	v, err = parseJSONPart(s.name, s.capture, line, col)
	return v, line, col, err
}

// key reads an object key and its colon.
func (s *jstream) key() (string, int, int, error) {
	c, ok := s.ws()
	if !ok || c != '"' {
		return "", s.line, s.col, s.unexpected("where an object key (a string) should be")
	}
	v, line, col, err := s.value()
	if err != nil {
		return "", line, col, err
	}
	if err := s.expect(':', "after an object key, want ':'"); err != nil {
		return "", line, col, err
	}
	return v.text, line, col, nil
}

// end checks that nothing but whitespace follows the top-level value.
func (s *jstream) end() error {
	if _, ok := s.ws(); ok {
		return s.unexpected("after the top-level value")
	}
	if err := s.readErr(); err != nil {
		return fmt.Errorf("replay: %s: %w", s.name, err)
	}
	return nil
}

// partDecoder returns a decoder for the value last captured, which
// starts at line:col, recording problems in ps.
func (s *jstream) partDecoder(ps *problems, line, col int) *decoder {
	if s.dec == nil {
		s.dec = newDecoder(s.name, nil)
	}
	d := s.dec
	d.data, d.probs, d.lines = s.capture, ps, nil
	d.baseLine, d.baseCol = line, col
	return d
}
