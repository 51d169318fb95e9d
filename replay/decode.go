package replay

// This file decodes a parsed JSON tree into Go values by reflection,
// strictly: keys match the fields' JSON names exactly (as the AWS CLI
// matches them), and every problem names its JSON path.

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ---- decoding a parsed JSON tree into Go values ----

// A decoder decodes parsed JSON into Go values by reflection, strictly,
// recording every problem it finds and going on with the next value.
type decoder struct {
	name   string
	data   []byte // the file, for line:column and raw values
	probs  *problems
	fields map[reflect.Type]map[string]int // JSON key -> field index, by struct type
	lines  []int                           // offsets of line starts, built on the first problem
	// baseLine and baseCol, when not zero, are where data starts in the
	// file (data is a value captured from a stream).
	baseLine, baseCol int
}

func newDecoder(name string, data []byte) *decoder {
	return &decoder{name: name, data: data, probs: &problems{file: name}, fields: map[reflect.Type]map[string]int{}}
}

// A jpath is the JSON path of a value, built on the stack as the decoder
// descends and printed only for a problem: MetricAlarms[2].Metrics[0].Id.
// The nil *jpath is the root.
type jpath struct {
	up    *jpath
	key   string // object member; "" for an array element
	index int    // array element
}

func (p *jpath) String() string {
	if p == nil {
		return ""
	}
	s := p.up.String()
	if p.key == "" {
		return s + "[" + strconv.Itoa(p.index) + "]"
	}
	if s == "" {
		return p.key
	}
	return s + "." + p.key
}

// at returns the place of v (nil: the whole file) at path p.
func (d *decoder) at(p *jpath, v *jval) place {
	pl := place{path: p.String()}
	if v != nil {
		pl.line, pl.col = d.lineCol(v.start)
	}
	return pl
}

// lineCol returns the 1-based line and byte column of offset off.
func (d *decoder) lineCol(off int) (int, int) {
	if d.baseLine > 0 {
		return offsetLineCol(d.data, off, d.baseLine, d.baseCol)
	}
	if d.lines == nil {
		d.lines = []int{0}
		for i, c := range d.data {
			if c == '\n' {
				d.lines = append(d.lines, i+1)
			}
		}
	}
	i, _ := slices.BinarySearch(d.lines, off+1)
	return i, off - d.lines[i-1] + 1
}

// problem records a problem with v at p; it returns false, for "not ok".
func (d *decoder) problem(p *jpath, v *jval, format string, args ...any) bool {
	d.probs.add(d.at(p, v), format, args...)
	return false
}

func (d *decoder) raw(v *jval) json.RawMessage { return bytes.Clone(d.data[v.start:v.end]) }

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// value decodes v into dst and reports whether it could. An empty array
// leaves a slice nil.
func (d *decoder) value(p *jpath, v *jval, dst reflect.Value) bool {
	t := dst.Type()
	switch t {
	case timeType:
		var (
			ts  time.Time
			err error
		)
		switch v.kind {
		case jStr:
			ts, err = parseTime(v.text)
		case jNum:
			ts, err = parseEpoch(v.text)
		default:
			return d.problem(p, v, "got %s, want %s", v.describe(), want(t))
		}
		if err != nil {
			return d.problem(p, v, "%s %v", v.short(), err)
		}
		dst.Set(reflect.ValueOf(ts))
		return true
	case rawType:
		dst.SetBytes(d.raw(v))
		return true
	}
	bad := func() bool { return d.problem(p, v, "got %s, want %s", v.describe(), want(t)) }
	switch t.Kind() {
	case reflect.Pointer:
		if v.kind == jNull {
			return bad()
		}
		e := reflect.New(t.Elem())
		if !d.value(p, v, e.Elem()) {
			return false
		}
		dst.Set(e)
	case reflect.Struct:
		return d.object(p, v, dst, nil)
	case reflect.Slice:
		if v.kind != jArr {
			return bad()
		}
		if len(v.elems) == 0 {
			return true
		}
		s := reflect.MakeSlice(t, len(v.elems), len(v.elems))
		ok := true
		for i, e := range v.elems {
			ok = d.value(&jpath{up: p, index: i}, e, s.Index(i)) && ok
		}
		dst.Set(s)
		return ok
	case reflect.Map: // map[string]string (an entity's attributes)
		if v.kind != jObj || t.Key().Kind() != reflect.String {
			return bad()
		}
		m := reflect.MakeMapWithSize(t, len(v.keys))
		ok := true
		for i, k := range v.keys {
			e := reflect.New(t.Elem()).Elem()
			if d.value(&jpath{up: p, key: k}, v.elems[i], e) {
				m.SetMapIndex(reflect.ValueOf(k), e)
			} else {
				ok = false
			}
		}
		dst.Set(m)
		return ok
	case reflect.String:
		if v.kind != jStr {
			return bad()
		}
		dst.SetString(v.text)
	case reflect.Bool:
		if v.kind != jBool {
			return bad()
		}
		dst.SetBool(v.b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.kind != jNum {
			return bad()
		}
		n, err := strconv.ParseInt(v.text, 10, t.Bits())
		if errors.Is(err, strconv.ErrRange) {
			return d.problem(p, v, "the number %s is out of range for an integer", v.text)
		}
		if err != nil {
			return bad()
		}
		dst.SetInt(n)
	case reflect.Float32, reflect.Float64:
		if v.kind != jNum {
			return bad()
		}
		f, err := strconv.ParseFloat(v.text, t.Bits())
		if err != nil {
			return d.problem(p, v, "the number %s is out of the range of a float%d", v.text, t.Bits())
		}
		dst.SetFloat(f)
	default:
		return d.problem(p, v, "cannot decode into a Go %v (a bug in package replay)", t)
	}
	return true
}

// object decodes the object v into the struct dst, matching keys to the
// fields' JSON names exactly, and reports whether every member decoded.
// Keys for which ignore (if not nil) returns true are skipped. A problem
// with one member does not stop the others.
func (d *decoder) object(p *jpath, v *jval, dst reflect.Value, ignore func(string) bool) bool {
	if v.kind != jObj {
		return d.problem(p, v, "got %s, want an object", v.describe())
	}
	ok := d.noDuplicates(p, v)
	fields := d.fieldsOf(dst.Type())
	for i, k := range v.keys {
		if ignore != nil && ignore(k) {
			continue
		}
		f, known := fields[k]
		kp := &jpath{up: p, key: k}
		if !known {
			ok = d.problem(kp, v.elems[i], "unknown field %q%s", k, hint(k, mapKeys(fields)))
			continue
		}
		ok = d.value(kp, v.elems[i], dst.Field(f)) && ok
	}
	return ok
}

// noDuplicates records each key of v that repeats an earlier one.
func (d *decoder) noDuplicates(p *jpath, v *jval) bool {
	ok := true
	for _, i := range v.dupKeys() {
		ok = d.problem(&jpath{up: p, key: v.keys[i]}, v.elems[i], "duplicate field %q (JSON readers disagree on which value wins)", v.keys[i])
	}
	return ok
}

func (d *decoder) fieldsOf(t reflect.Type) map[string]int {
	if m, ok := d.fields[t]; ok {
		return m
	}
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		m[name] = i
	}
	d.fields[t] = m
	return m
}

func mapKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// want describes the JSON a Go type is read from.
func want(t reflect.Type) string {
	switch t {
	case timeType:
		return "a timestamp (an RFC 3339 string or epoch seconds)"
	case rawType:
		return "a JSON value"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return want(t.Elem())
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a " + t.String()
}

// quoteShort quotes s for a message, cut to 40 runes.
func quoteShort(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == limit {
			return strconv.Quote(s[:i]) + "..."
		}
		n++
	}
	return strconv.Quote(s)
}
