package replay

// This file decodes a parsed JSON tree into Go values by reflection,
// strictly: keys match the fields' JSON names exactly (as the AWS CLI
// matches them), and every problem names its JSON path.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ---- decoding a parsed JSON tree into Go values ----

// A decoder decodes parsed JSON into Go values by reflection, strictly.
type decoder struct {
	name   string
	data   []byte
	fields map[reflect.Type]map[string]int // JSON key -> field index, by struct type
}

func newDecoder(name string, data []byte) *decoder {
	return &decoder{name: name, data: data, fields: map[reflect.Type]map[string]int{}}
}

// A jpath is the JSON path of a value, built on the stack as the decoder
// descends and printed only for an error: MetricAlarms[2].Metrics[0].Id.
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

func (d *decoder) errorf(p *jpath, format string, args ...any) error {
	return d.placef(p.String(), format, args...)
}

func (d *decoder) placef(place, format string, args ...any) error {
	if place != "" {
		place += ": "
	}
	return fmt.Errorf("replay: %s: %s%s", d.name, place, fmt.Sprintf(format, args...))
}

func (d *decoder) raw(v *jval) json.RawMessage { return bytes.Clone(d.data[v.start:v.end]) }

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// value decodes v into dst. An empty array leaves a slice nil.
func (d *decoder) value(p *jpath, v *jval, dst reflect.Value) error {
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
			return d.errorf(p, "got %s, want %s", v.describe(), want(t))
		}
		if err != nil {
			return d.errorf(p, "%s %v", v.short(), err)
		}
		dst.Set(reflect.ValueOf(ts))
		return nil
	case rawType:
		dst.SetBytes(d.raw(v))
		return nil
	}
	bad := func() error { return d.errorf(p, "got %s, want %s", v.describe(), want(t)) }
	switch t.Kind() {
	case reflect.Pointer:
		if v.kind == jNull {
			return bad()
		}
		e := reflect.New(t.Elem())
		if err := d.value(p, v, e.Elem()); err != nil {
			return err
		}
		dst.Set(e)
	case reflect.Struct:
		return d.object(p, v, dst, nil)
	case reflect.Slice:
		if v.kind != jArr {
			return bad()
		}
		if len(v.elems) == 0 {
			return nil
		}
		s := reflect.MakeSlice(t, len(v.elems), len(v.elems))
		for i, e := range v.elems {
			if err := d.value(&jpath{up: p, index: i}, e, s.Index(i)); err != nil {
				return err
			}
		}
		dst.Set(s)
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
			return d.errorf(p, "the number %s is out of range for an integer", v.text)
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
			return d.errorf(p, "the number %s is out of the range of a float%d", v.text, t.Bits())
		}
		dst.SetFloat(f)
	default:
		return d.errorf(p, "cannot decode into a Go %v (a bug in package replay)", t)
	}
	return nil
}

// object decodes the object v into the struct dst, matching keys to the
// fields' JSON names exactly. Keys for which ignore (if not nil) returns true
// are skipped.
func (d *decoder) object(p *jpath, v *jval, dst reflect.Value, ignore func(string) bool) error {
	if v.kind != jObj {
		return d.errorf(p, "got %s, want an object", v.describe())
	}
	if k, ok := v.dupKey(); ok {
		return d.errorf(p, "duplicate field %q", k)
	}
	fields := d.fieldsOf(dst.Type())
	for i, k := range v.keys {
		if ignore != nil && ignore(k) {
			continue
		}
		f, ok := fields[k]
		if !ok {
			return d.errorf(p, "unknown field %q%s", k, hint(k, mapKeys(fields)))
		}
		if err := d.value(&jpath{up: p, key: k}, v.elems[i], dst.Field(f)); err != nil {
			return err
		}
	}
	return nil
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
	return keys
}

// hint suggests the known key that k differs from only in case.
func hint(k string, known []string) string {
	for _, n := range known {
		if strings.EqualFold(n, k) {
			return fmt.Sprintf(" (did you mean %q? keys are case-sensitive)", n)
		}
	}
	return ""
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
	case reflect.Struct:
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
