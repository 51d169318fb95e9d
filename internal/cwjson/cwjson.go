// Package cwjson writes JSON the way CloudWatch's (Java) services write it:
// compact, keys in the order the caller writes them, strings escaped as
// Jackson escapes them (only '"', '\' and control characters), doubles as
// Java's Double.toString prints them ("2.0", "1.0E7"), and timestamps in
// CloudWatch's layouts. It is the one writer behind reasons' data, history
// data and notification payloads, so that they agree byte for byte.
//
//	w := cwjson.NewWriter(buf[:0])
//	w.BeginObject()
//	w.Key("version")
//	w.String("1.0")
//	w.Key("threshold")
//	w.Double(90)
//	w.EndObject()
//	b := w.Bytes() // {"version":"1.0","threshold":90.0}
//
// A Writer appends to its buffer and allocates only when the buffer grows.
// It does not check that the calls form valid JSON: callers write objects
// and arrays in pairs, and a Key before each member value.
package cwjson

import (
	"math"
	"strconv"
	"time"

	"github.com/klaxon-go/klaxon/internal/cwfmt"
)

// A Writer appends JSON values to a byte slice. The zero Writer writes to a
// new slice.
type Writer struct {
	b []byte
	// more: a value was written at the current level, so the next one
	// needs a comma.
	more bool
	// nested: the document is the content of a JSON string (see
	// NewNestedWriter).
	nested bool
}

// NewWriter returns a Writer that appends to b.
func NewWriter(b []byte) Writer { return Writer{b: b} }

// NewNestedWriter returns a Writer that appends to b the document it is
// given as the content of a JSON string, escaped, without the quotes
// around it: what AppendString of the plain Writer's document would hold
// between them, written in one pass (a JSON message inside a JSON
// message, as SNS's {"default":"{\"AlarmName\":...}"}).
func NewNestedWriter(b []byte) Writer { return Writer{b: b, nested: true} }

// str appends s as a JSON string, escaped once more when nested.
func (w *Writer) str(s string) {
	if !w.nested {
		w.b = AppendString(w.b, s)
		return
	}
	w.b = append(w.b, '\\', '"')
	w.b = cwfmt.AppendStringTwice(w.b, s)
	w.b = append(w.b, '\\', '"')
}

// quote appends the quote that opens or closes a string: \" when nested.
func (w *Writer) quote() {
	if w.nested {
		w.b = append(w.b, '\\')
	}
	w.b = append(w.b, '"')
}

// Bytes returns the buffer with everything written so far.
func (w *Writer) Bytes() []byte { return w.b }

func (w *Writer) sep() {
	if w.more {
		w.b = append(w.b, ',')
	}
}

// BeginObject writes '{'.
func (w *Writer) BeginObject() {
	w.sep()
	w.b = append(w.b, '{')
	w.more = false
}

// EndObject writes '}'.
func (w *Writer) EndObject() {
	w.b = append(w.b, '}')
	w.more = true
}

// BeginArray writes '['.
func (w *Writer) BeginArray() {
	w.sep()
	w.b = append(w.b, '[')
	w.more = false
}

// EndArray writes ']'.
func (w *Writer) EndArray() {
	w.b = append(w.b, ']')
	w.more = true
}

// Key writes an object member's key and the colon; the member's value
// follows. A key that needs no escaping, as CloudWatch's own keys, is
// copied as it is.
func (w *Writer) Key(k string) {
	w.sep()
	if cwfmt.NeedsEscape(k) {
		w.str(k)
		w.b = append(w.b, ':')
	} else if w.nested {
		w.b = append(w.b, '\\', '"')
		w.b = append(w.b, k...)
		w.b = append(w.b, '\\', '"', ':')
	} else {
		w.b = append(w.b, '"')
		w.b = append(w.b, k...)
		w.b = append(w.b, '"', ':')
	}
	w.more = false
}

// String writes s as a JSON string, escaped as Jackson escapes it.
func (w *Writer) String(s string) {
	w.sep()
	w.str(s)
	w.more = true
}

// Double writes v as Java's Double.toString prints it ("2.0", "1.0E7").
// NaN and the infinities, which JSON cannot carry, are written as null:
// the callers never pass them (CloudWatch rejects such data), and the
// output stays JSON if one slips through.
func (w *Writer) Double(v float64) {
	w.sep()
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.b = append(w.b, "null"...)
	} else {
		w.b = cwfmt.AppendDouble(w.b, v)
	}
	w.more = true
}

// Int writes an integer.
func (w *Writer) Int(v int64) {
	w.sep()
	w.b = strconv.AppendInt(w.b, v, 10)
	w.more = true
}

// Bool writes true or false.
func (w *Writer) Bool(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
	w.more = true
}

// Null writes null.
func (w *Writer) Null() {
	w.sep()
	w.b = append(w.b, "null"...)
	w.more = true
}

// Raw writes a value that is already JSON (a nested reason data object).
func (w *Writer) Raw(json string) {
	w.sep()
	if w.nested {
		w.b = cwfmt.AppendStringContent(w.b, json)
	} else {
		w.b = append(w.b, json...)
	}
	w.more = true
}

// Time writes t in UTC as a JSON string with layout, one of cwfmt's
// layouts (cwfmt.JSONTime: "2022-10-30T20:47:35.671+0000").
func (w *Writer) Time(t time.Time, layout string) {
	w.sep()
	w.quote()
	w.b = cwfmt.AppendTime(w.b, t, layout)
	w.quote()
	w.more = true
}

// Strings writes a list of strings as an array (an empty array for nil).
func (w *Writer) Strings(l []string) {
	w.BeginArray()
	for _, s := range l {
		w.String(s)
	}
	w.EndArray()
}

// AppendString appends s as a JSON string the way Jackson writes it: '"'
// and '\' and the control characters are escaped, nothing else is (unlike
// encoding/json, which also escapes <, > and &).
func AppendString(b []byte, s string) []byte { return cwfmt.AppendString(b, s) }
