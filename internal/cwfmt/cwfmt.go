// Package cwfmt formats values the way CloudWatch's (Java) services print
// them: doubles as Java's Double.toString, timestamps in CloudWatch's
// layouts, and JSON strings as Jackson escapes them.
package cwfmt

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"time"
)

// Timestamp layouts CloudWatch uses.
const (
	// ReasonTime is the layout of datapoint times inside StateReason.
	ReasonTime = "02/01/06 15:04:05"
	// JSONTime is the layout of times inside StateReasonData, HistoryData
	// and notification payloads.
	JSONTime = "2006-01-02T15:04:05.000-0700"
	// HumanTime is the layout of times in notification emails and in
	// composite alarms' reasons: "Friday 22 July, 2022 15:57:45 UTC".
	HumanTime = "Monday 02 January, 2006 15:04:05 UTC"
	// APITime is the layout of timestamps in API responses
	// (DescribeAlarms, DescribeAlarmHistory) as the AWS CLI prints them.
	APITime = "2006-01-02T15:04:05.000Z07:00"
)

// AppendTime appends t in UTC with the given layout. JSONTime, ReasonTime
// and HumanTime, the layouts of every reason and payload, are written
// directly (see BenchmarkAppendTime); other layouts, and years beyond
// 0 – 9999, go through AppendFormat.
func AppendTime(b []byte, t time.Time, layout string) []byte {
	t = t.UTC()
	if y := t.Year(); y >= 0 && y <= 9999 {
		switch layout {
		case JSONTime: // 2006-01-02T15:04:05.000-0700
			year, month, day := t.Date()
			hour, min, sec := t.Clock()
			b = append4(b, year)
			b = append(b, '-')
			b = append2(b, int(month))
			b = append(b, '-')
			b = append2(b, day)
			b = append(b, 'T')
			b = appendTwoDigits(b, hour, min, sec, ':')
			ms := t.Nanosecond() / 1e6
			return append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), '+', '0', '0', '0', '0')
		case ReasonTime: // 02/01/06 15:04:05
			year, month, day := t.Date()
			hour, min, sec := t.Clock()
			b = appendTwoDigits(b, day, int(month), year%100, '/')
			b = append(b, ' ')
			return appendTwoDigits(b, hour, min, sec, ':')
		case HumanTime: // Monday 02 January, 2006 15:04:05 UTC
			year, month, day := t.Date()
			hour, min, sec := t.Clock()
			b = append(b, t.Weekday().String()...)
			b = append(b, ' ')
			b = append2(b, day)
			b = append(b, ' ')
			b = append(b, month.String()...)
			b = append(b, ',', ' ')
			b = append4(b, year)
			b = append(b, ' ')
			b = appendTwoDigits(b, hour, min, sec, ':')
			return append(b, " UTC"...)
		}
	}
	return t.AppendFormat(b, layout)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// appendTwoDigits appends x, y and z with two digits each, sep between.
func appendTwoDigits(b []byte, x, y, z int, sep byte) []byte {
	b = append2(b, x)
	b = append(b, sep)
	b = append2(b, y)
	b = append(b, sep)
	return append2(b, z)
}

// Double returns v as Java's Double.toString prints it: "2.0", "21.5",
// "0.0666851903306472", "1.0E7", "1.0E-4".
func Double(v float64) string { return string(AppendDouble(nil, v)) }

// AppendDouble appends v as Java's Double.toString prints it, using the
// shortest decimal that reads back as v (as Java does since JDK 19).
func AppendDouble(b []byte, v float64) []byte {
	switch {
	case v != v:
		return append(b, "NaN"...)
	case v > 1.7976931348623157e308:
		return append(b, "Infinity"...)
	case v < -1.7976931348623157e308:
		return append(b, "-Infinity"...)
	case v == 0:
		if 1/v < 0 {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], v, 'e', -1, 64) // d.ddddde±XX
	mant, exp := e, 0
	for i, c := range e {
		if c == 'e' {
			mant = e[:i]
			x, _ := strconv.Atoi(string(e[i+1:]))
			exp = x
			break
		}
	}
	digits := make([]byte, 0, 20)
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	if v >= 1e-3 && v < 1e7 {
		// Plain notation: the decimal point sits after exp+1 digits.
		point := exp + 1
		switch {
		case point <= 0:
			b = append(b, "0."...)
			for range -point {
				b = append(b, '0')
			}
			return append(b, digits...)
		case point >= len(digits):
			b = append(b, digits...)
			for range point - len(digits) {
				b = append(b, '0')
			}
			return append(b, ".0"...)
		default:
			b = append(b, digits[:point]...)
			b = append(b, '.')
			return append(b, digits[point:]...)
		}
	}
	// Computerized scientific notation: d.dddE±n, at least one fraction digit.
	b = append(b, digits[0], '.')
	if len(digits) > 1 {
		b = append(b, digits[1:]...)
	} else {
		b = append(b, '0')
	}
	b = append(b, 'E')
	return strconv.AppendInt(b, int64(exp), 10)
}

// escapes[c] is how Jackson writes the byte c inside a JSON string: '"'
// and '\' and the control characters are escaped ("" for every other
// byte, which stands for itself); twice[c] is escapes[c] written inside a
// JSON string again (a JSON message inside a JSON message).
var escapes, twice = func() (once, twice [256]string) {
	const hex = "0123456789abcdef"
	short := map[byte]byte{'"': '"', '\\': '\\', '\n': 'n', '\r': 'r', '\t': 't', '\b': 'b', '\f': 'f'}
	for c := range 256 {
		switch r, ok := short[byte(c)]; {
		case ok:
			once[c] = string([]byte{'\\', r})
		case c < 0x20:
			once[c] = string([]byte{'\\', 'u', '0', '0', hex[c>>4], hex[c&0xf]})
		}
	}
	for c := range 256 {
		if once[c] != "" {
			twice[c] = string(appendEscaped(nil, once[c], &once))
		}
	}
	return once, twice
}()

// AppendString appends s as a JSON string the way Jackson writes it: '"'
// and '\' and the control characters are escaped, nothing else is (unlike
// encoding/json, which also escapes <, > and &).
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s, &escapes)
	return append(b, '"')
}

// AppendStringContent appends what AppendString puts between the quotes.
func AppendStringContent(b []byte, s string) []byte { return appendEscaped(b, s, &escapes) }

// NeedsEscape reports whether AppendString escapes a byte of s.
func NeedsEscape(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if special(binary.LittleEndian.Uint64([]byte(s[i:i+8]))) != 0 {
			return true
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			return true
		}
	}
	return false
}

// AppendStringTwice appends the content of AppendString's string as the
// content of a JSON string once more: '"' becomes \\\", a newline \\n.
func AppendStringTwice(b []byte, s string) []byte { return appendEscaped(b, s, &twice) }

// appendEscaped appends s with each byte that t escapes replaced, copying
// the runs of bytes between them at once. It looks at eight bytes at a
// time (special finds the first that may need escaping), then at the
// bytes of the tail one by one.
func appendEscaped(b []byte, s string, t *[256]string) []byte {
	start := 0 // the first byte not yet copied
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			m := special(binary.LittleEndian.Uint64([]byte(s[i : i+8])))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		}
		c := s[i]
		i++
		if c >= 0x20 && c != '"' && c != '\\' {
			continue // copied with its run
		}
		b = append(b, s[start:i-1]...)
		b = append(b, t[c]...)
		start = i
	}
	return append(b, s[start:]...)
}

// Masks for special: a one and a high bit in every byte of a word.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special returns x, eight bytes of a string in little-endian order, with
// the high bit of each byte set if the byte may be one that JSON escapes
// (a control character, '"' or '\\'). The lowest set bit is exact: it is
// the first such byte (a subtraction borrows only from a byte that
// matched, so only bytes after the first match can be flagged wrongly),
// and no such byte is missed before it.
func special(x uint64) uint64 {
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	control := (x - ones*0x20) &^ x // a byte below 0x20 wraps around
	quote = (quote - ones) &^ quote // a zero byte wraps around
	backslash = (backslash - ones) &^ backslash
	return (control | quote | backslash) & highs
}
