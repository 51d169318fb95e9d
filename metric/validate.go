package metric

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// This file holds PutMetricData's validation. Each rule is written once,
// as a condition followed by the problem it reports. The same code runs in
// two modes (see report): quick, on ingest, where the first broken rule
// stops the check and no message is built, so that valid data costs no
// allocation; and full, for a call that the quick check refused, where
// every problem is collected with CloudWatch's code and message.

// report collects the problems of one check. In quick mode it keeps only
// the fact that a rule is broken.
type report struct {
	quick bool
	bad   bool
	errs  []error
}

// fail records that a rule is broken. It returns true when the check
// stops there (quick mode); otherwise the caller adds the problem.
func (r *report) fail() bool {
	r.bad = true
	return r.quick
}

func (r *report) add(e *cwerr.Error) { r.errs = append(r.errs, e) }

// problem builds a problem of this package: the code, the parameter it is
// about, its value as text, and CloudWatch's message.
func problem(code, field, value, msg string) *cwerr.Error {
	return &cwerr.Error{Pkg: "metric", Code: code, Field: field, Value: value, Message: msg}
}

func required(field string) *cwerr.Error {
	return problem(cwerr.MissingParameter, field, "", "The parameter "+field+" is required.")
}

func invalid(field, value, msg string) *cwerr.Error {
	return problem(cwerr.InvalidParameterValue, field, value, msg)
}

func exclusive(a, b string) *cwerr.Error {
	return problem(cwerr.InvalidParameterCombination, a, "",
		"The parameters "+a+" and "+b+" are mutually exclusive and you have specified both.")
}

func newError(code, msg string) *cwerr.Error { return cwerr.New("metric", code, msg) }

// UnitError is CloudWatch's message for a Unit outside the StandardUnit set.
func UnitError(param string) string {
	return "The parameter " + param + " must be a value in the set [ " + strings.Join(Units, ", ") + " ]."
}

func unitProblem(field, unit string) *cwerr.Error {
	return invalid(field, unit, UnitError(field))
}

// ValidateNamespace checks a namespace as PutMetricData and PutMetricAlarm
// do: 1 to 255 ASCII characters from 0-9A-Za-z.-_/#: and space, not starting
// with a colon, with at least one non-space character. It returns nil or
// the problem, an *Error naming param (the parameter's path) and the value.
func ValidateNamespace(param, ns string) error {
	if namespaceOK(ns) {
		return nil
	}
	return namespaceProblem(param, ns)
}

// namespaceOK reports whether ns is a valid namespace, allocating nothing.
func namespaceOK(ns string) bool {
	if ns == "" || len(ns) > 255 || ns[0] == ':' {
		return false
	}
	other := false
	for i := 0; i < len(ns); i++ {
		c := ns[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-' || c == '_' || c == '/' || c == '#' || c == ':' || c == ' ') {
			return false
		}
		other = other || c != ' '
	}
	return other
}

func namespaceProblem(param, ns string) *cwerr.Error {
	switch {
	case ns == "":
		return required(param)
	case len(ns) > 255:
		return invalid(param, ns, fmt.Sprintf("The parameter %s must be at most 255 characters long (got %d).", param, len(ns)))
	case ns[0] == ':':
		return invalid(param, ns, "The value "+strconv.Quote(ns)+" for parameter "+param+" is invalid: it must not start with ':'.")
	case strings.TrimSpace(ns) == "":
		return invalid(param, ns, "The value "+strconv.Quote(ns)+" for parameter "+param+" is invalid: it must contain a non-whitespace character.")
	}
	for _, r := range ns {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune(".-_/#: ", r)) {
			return invalid(param, ns, fmt.Sprintf("The value %s for parameter %s is invalid: character %q is not one of 0-9A-Za-z.-_/#: and space.", strconv.Quote(ns), param, r))
		}
	}
	return nil
}

// ValidateName checks a MetricName: 1 to 255 characters, no control
// characters. It returns nil or the problem.
func ValidateName(param, name string) error {
	if p := textRule(name, 255, false); p.kind != textOK {
		return p.err(param, name)
	}
	return nil
}

// ValidateDimensions checks a dimension list: at most 30, names 1-255 ASCII
// characters not starting with ':', values 1-1024 ASCII characters, no
// control characters, no name twice. prefix is the parameter path, e.g.
// "MetricData.member.1.Dimensions". It returns every problem.
func ValidateDimensions(prefix string, dims []Dimension) []error {
	r := report{}
	checkDimensions(prefix, 0, dims, nil, &r)
	return r.errs
}

// checkDimensions applies the dimension rules. seen (when not nil) holds
// the names the quick check accepted last. The parameter paths start with
// prefix, or when it is "" with datum number n's Dimensions; they are
// built only for a problem.
func checkDimensions(prefix string, n int, dims []Dimension, seen *seen, r *report) {
	if len(dims) > MaxDimensions {
		if r.fail() {
			return
		}
		p := dimsPrefix(prefix, n)
		r.add(invalid(p, strconv.Itoa(len(dims)), fmt.Sprintf("The collection %s must not have a size greater than %d (got %d).", p, MaxDimensions, len(dims))))
	}
	for i := range dims {
		d := &dims[i]
		if seen == nil || i >= len(seen.dims) || d.Name != seen.dims[i] || d.Name == "" {
			// Names are ASCII: the word-at-a-time test decides.
			if !plainASCII(d.Name, 255) || d.Name[0] == ':' {
				if r.fail() {
					return
				}
				p := dimsPrefix(prefix, n) + ".member." + strconv.Itoa(i+1) + ".Name"
				if tp := textRule(d.Name, 255, true); tp.kind != textOK {
					r.add(tp.err(p, d.Name))
				} else {
					r.add(invalid(p, d.Name, "The value "+strconv.Quote(d.Name)+" for parameter "+p+" is invalid: it must not start with ':'."))
				}
			} else if seen != nil && i < len(seen.dims) {
				seen.dims[i] = d.Name
			}
		}
		if !plainASCII(d.Value, 1024) && !blankValue(d.Value) {
			if tp := textRule(d.Value, 1024, true); tp.kind != textOK {
				if r.fail() {
					return
				}
				r.add(tp.err(dimsPrefix(prefix, n)+".member."+strconv.Itoa(i+1)+".Value", d.Value))
			}
		}
		for j := range i {
			if dims[j].Name == d.Name {
				if r.fail() {
					return
				}
				p := dimsPrefix(prefix, n) + ".member." + strconv.Itoa(i+1) + ".Name"
				r.add(invalid(p, d.Name, "The value "+strconv.Quote(d.Name)+" for parameter "+p+" is invalid: the dimension name is given twice."))
				break
			}
		}
	}
}

func dimsPrefix(prefix string, n int) string {
	if prefix == "" {
		return member(n, ".Dimensions")
	}
	return prefix
}

// blankValue reports whether a dimension value is spaces only, which
// values (unlike names) may be.
func blankValue(s string) bool {
	return s != "" && len(s) <= 1024 && strings.TrimLeft(s, " ") == ""
}

// textKind names the rule a name or value breaks.
type textKind uint8

const (
	textOK textKind = iota
	textEmpty
	textTooLong
	textNotUTF8
	textBlank
	textControl
	textNonASCII
)

// textProblem is the first rule of textRule that a string breaks.
type textProblem struct {
	kind textKind
	max  int  // textTooLong: the limit
	r    rune // textControl, textNonASCII: the character
}

// textRule checks a name or value: 1 to max characters, valid UTF-8, not
// all whitespace, no control characters, and with ascii only printable
// ASCII. It allocates nothing.
func textRule(s string, max int, ascii bool) textProblem {
	switch {
	case s == "":
		return textProblem{kind: textEmpty}
	case utf8.RuneCountInString(s) > max:
		return textProblem{kind: textTooLong, max: max}
	case !utf8.ValidString(s):
		return textProblem{kind: textNotUTF8}
	case strings.TrimSpace(s) == "":
		return textProblem{kind: textBlank}
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return textProblem{kind: textControl, r: r}
		}
		if ascii && r > 0x7e {
			return textProblem{kind: textNonASCII, r: r}
		}
	}
	return textProblem{}
}

func (p textProblem) err(param, s string) *cwerr.Error {
	switch p.kind {
	case textEmpty:
		return required(param)
	case textTooLong:
		return invalid(param, s, fmt.Sprintf("The parameter %s must be at most %d characters long (got %d).", param, p.max, utf8.RuneCountInString(s)))
	case textNotUTF8:
		return invalid(param, s, "The value for parameter "+param+" is invalid: it is not valid UTF-8.")
	case textBlank:
		return invalid(param, s, "The value "+strconv.Quote(s)+" for parameter "+param+" is invalid: it must contain a non-whitespace character.")
	case textControl:
		return invalid(param, s, fmt.Sprintf("The value %s for parameter %s is invalid: it contains the control character %U.", strconv.Quote(s), param, p.r))
	default:
		return invalid(param, s, fmt.Sprintf("The value %s for parameter %s is invalid: it contains the non-ASCII character %q.", strconv.Quote(s), param, p.r))
	}
}

// ValidateData checks one PutMetricData call as CloudWatch does, against
// the time now (the engine's clock), and reports every problem together
// (errors.Join of *Error values). It returns nil when CloudWatch would
// accept the whole call; CloudWatch accepts or rejects a call as a whole.
func ValidateData(namespace string, data []Datum, now time.Time) error {
	r := report{}
	checkCall(namespace, data, now, &r)
	return errors.Join(r.errs...)
}

// checkCall applies every rule of a PutMetricData call.
func checkCall(namespace string, data []Datum, now time.Time, r *report) {
	if !namespaceOK(namespace) {
		if r.fail() {
			return
		}
		r.add(namespaceProblem("Namespace", namespace))
	}
	if len(data) == 0 {
		if r.fail() {
			return
		}
		r.add(required("MetricData"))
	}
	if len(data) > MaxDatumsPerCall {
		if r.fail() {
			return
		}
		r.add(invalid("MetricData", strconv.Itoa(len(data)), fmt.Sprintf("The collection MetricData must not have a size greater than %d.", MaxDatumsPerCall)))
	}
	values := 0
	w := newWindow(now)
	var seen seen
	for i := range data {
		data[i].check(i+1, &w, &seen, r)
		if r.bad && r.quick {
			return
		}
		values += len(data[i].Values)
	}
	if values > MaxValuesPerCall {
		if r.fail() {
			return
		}
		r.add(invalid("MetricData", strconv.Itoa(values), fmt.Sprintf("The MetricData of one call must not hold more than %d values in Values arrays (got %d).", MaxValuesPerCall, values)))
	}
}

// window is the time a call is checked at, with the bounds of its
// timestamps, computed once per call.
type window struct {
	now             time.Time
	oldSec, oldNsec int64 // now - MaxPast
	newSec, newNsec int64 // now + MaxFuture
}

func newWindow(now time.Time) window {
	old, new := now.Add(-MaxPast), now.Add(MaxFuture)
	return window{now: now, oldSec: old.Unix(), oldNsec: int64(old.Nanosecond()), newSec: new.Unix(), newNsec: int64(new.Nanosecond())}
}

func (w *window) tooOld(t time.Time) bool {
	sec := t.Unix()
	return sec < w.oldSec || sec == w.oldSec && int64(t.Nanosecond()) < w.oldNsec
}

func (w *window) tooNew(t time.Time) bool {
	sec := t.Unix()
	return sec > w.newSec || sec == w.newSec && int64(t.Nanosecond()) > w.newNsec
}

// clockHint is said after a timestamp problem: the usual cause is a
// clock other than the one the data was stamped with (a test's mock
// clock, data from another time).
func (w *window) clockHint() string {
	return " Timestamps are checked against the engine's clock, which reads " + w.now.UTC().Format(time.RFC3339) + "."
}

// seen remembers the metric name and the first dimension names that the
// quick check accepted last: in one call they repeat from datum to datum.
type seen struct {
	name string
	dims [4]string
}

func member(n int, field string) string { return "MetricData.member." + strconv.Itoa(n) + field }

// check applies the rules of datum number n (1-based, as CloudWatch's
// "member.N"). The problems' messages are built by helpers, out of the way
// of the checks that pass.
func (d *Datum) check(n int, w *window, seen *seen, r *report) {
	if d.MetricName != seen.name || seen.name == "" {
		// Names may be UTF-8: textRule decides what the word-at-a-time
		// test does not accept.
		if !plainASCII(d.MetricName, 255) {
			if tp := textRule(d.MetricName, 255, false); tp.kind != textOK {
				if r.fail() {
					return
				}
				r.add(tp.err(member(n, ".MetricName"), d.MetricName))
			}
		}
		if !r.bad {
			seen.name = d.MetricName
		}
	}
	if len(d.Dimensions) > 0 {
		checkDimensions("", n, d.Dimensions, seen, r)
		if r.bad && r.quick {
			return
		}
	}
	if !d.Timestamp.IsZero() {
		if w.tooOld(d.Timestamp) {
			if r.fail() {
				return
			}
			r.add(timestampProblem(n, d, w, true))
		}
		if w.tooNew(d.Timestamp) {
			if r.fail() {
				return
			}
			r.add(timestampProblem(n, d, w, false))
		}
	}
	if d.StorageResolution != 0 && d.StorageResolution != 1 && d.StorageResolution != 60 {
		if r.fail() {
			return
		}
		r.add(resolutionProblem(n, d))
	}
	if d.Unit != "" && !ValidUnit(d.Unit) {
		if r.fail() {
			return
		}
		r.add(unitProblem(member(n, ".Unit"), d.Unit))
	}
	switch {
	case d.StatisticValues != nil:
		d.checkStatisticValues(n, r)
	case len(d.Values) > 0:
		d.checkValues(n, r)
	default:
		if len(d.Counts) > 0 {
			if r.fail() {
				return
			}
			p := member(n, "")
			r.add(problem(cwerr.InvalidParameterCombination, p+".Counts", "", "The parameter "+p+".Counts requires "+p+".Values."))
		}
		if !okValue(d.Value) {
			if r.fail() {
				return
			}
			r.add(valueProblem(member(n, ".Value"), d.Value))
		}
	}
}

func timestampProblem(n int, d *Datum, w *window, old bool) *cwerr.Error {
	p := member(n, ".Timestamp")
	rule := " must specify a time no more than two hours in the future."
	if old {
		rule = " must specify a time within the past two weeks."
	}
	return invalid(p, d.Timestamp.Format(time.RFC3339Nano), "The parameter "+p+rule+w.clockHint())
}

func resolutionProblem(n int, d *Datum) *cwerr.Error {
	p := member(n, ".StorageResolution")
	return invalid(p, strconv.Itoa(d.StorageResolution), fmt.Sprintf("The value %d for parameter %s is invalid: it must be 1 or 60.", d.StorageResolution, p))
}

// checkStatisticValues applies the rules of a datum given as
// StatisticValues.
func (d *Datum) checkStatisticValues(n int, r *report) {
	if d.Value != 0 {
		if r.fail() {
			return
		}
		r.add(exclusive(member(n, ".Value"), member(n, ".StatisticValues")))
	}
	if len(d.Values) > 0 || len(d.Counts) > 0 {
		if r.fail() {
			return
		}
		r.add(exclusive(member(n, ".Values"), member(n, ".StatisticValues")))
	}
	s := d.StatisticValues
	for _, f := range [...]struct {
		name string
		v    float64
	}{{".StatisticValues.SampleCount", s.SampleCount}, {".StatisticValues.Sum", s.Sum}, {".StatisticValues.Minimum", s.Minimum}, {".StatisticValues.Maximum", s.Maximum}} {
		if !okValue(f.v) {
			if r.fail() {
				return
			}
			r.add(valueProblem(member(n, f.name), f.v))
		}
	}
	if okValue(s.SampleCount) && s.SampleCount <= 0 {
		if r.fail() {
			return
		}
		p := member(n, ".StatisticValues.SampleCount")
		r.add(invalid(p, formatFloat(s.SampleCount), "The value "+formatFloat(s.SampleCount)+" for parameter "+p+" is invalid: it must be greater than 0."))
	}
	if okValue(s.Minimum) && okValue(s.Maximum) && s.Minimum > s.Maximum {
		if r.fail() {
			return
		}
		p := member(n, ".StatisticValues")
		r.add(invalid(p+".Minimum", formatFloat(s.Minimum), "The parameter "+p+".Minimum ("+formatFloat(s.Minimum)+") must be less than or equal to "+p+".Maximum ("+formatFloat(s.Maximum)+")."))
	}
	// The average Sum / SampleCount is a statistic an alarm may read: it
	// must be a number CloudWatch accepts, which a tiny SampleCount would
	// break (2^360 / 1e-300 is +Inf). The average of merged sets stays
	// between their averages, so checking each set keeps every Average
	// finite.
	if okValue(s.SampleCount) && s.SampleCount > 0 && okValue(s.Sum) && !okValue(s.Sum/s.SampleCount) {
		if r.fail() {
			return
		}
		p := member(n, ".StatisticValues")
		avg := s.Sum / s.SampleCount
		r.add(invalid(p+".SampleCount", formatFloat(s.SampleCount), "The parameter "+p+" is invalid: its average "+p+".Sum / "+p+".SampleCount ("+formatFloat(avg)+") must be finite and within -2^360 to 2^360."))
	}
}

// checkValues applies the rules of a datum given as Values (and Counts).
func (d *Datum) checkValues(n int, r *report) {
	if d.Value != 0 {
		if r.fail() {
			return
		}
		r.add(exclusive(member(n, ".Value"), member(n, ".Values")))
	}
	if len(d.Counts) != 0 && len(d.Counts) != len(d.Values) {
		if r.fail() {
			return
		}
		p := member(n, "")
		r.add(invalid(p+".Counts", strconv.Itoa(len(d.Counts)), fmt.Sprintf("The parameters %s.Values and %s.Counts must be of the same size (got %d and %d).", p, p, len(d.Values), len(d.Counts))))
	}
	for i, v := range d.Values {
		if !okValue(v) {
			if r.fail() {
				return
			}
			r.add(valueProblem(fmt.Sprintf("%s.Values.member.%d", member(n, ""), i+1), v))
		}
	}
	for i, c := range d.Counts {
		if !okValue(c) || c < 0 {
			if r.fail() {
				return
			}
			p := fmt.Sprintf("%s.Counts.member.%d", member(n, ""), i+1)
			if !okValue(c) {
				r.add(valueProblem(p, c))
			} else {
				r.add(invalid(p, formatFloat(c), "The value "+formatFloat(c)+" for parameter "+p+" is invalid: counts must not be negative."))
			}
		}
	}
}

func valueProblem(param string, v float64) *cwerr.Error {
	return invalid(param, formatFloat(v), "The value "+formatFloat(v)+" for parameter "+param+" is invalid: values must be finite and within -2^360 to 2^360.")
}

// plainASCII is the quick test of a name or value: 1 to maxLen bytes of
// printable ASCII, not all spaces. A string it refuses may still be valid
// (UTF-8 names, blank values): textRule then decides.
func plainASCII(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	// Eight bytes at a time: a byte is bad when it is >= 0x80, < 0x20 or
	// 0x7f; the string is bad when every byte is a space.
	bad, other := uint64(0), uint64(0)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		bad |= x | (x - 0x20*ones) | ((x ^ 0x7f*ones) - ones)
		other |= x ^ 0x20*ones
	}
	if bad&highs != 0 {
		return plainASCIISlow(s)
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c != ' ' {
			other = 1
		}
	}
	return other != 0
}

// plainASCIISlow is plainASCII a byte at a time; the fast path calls it
// when a word looks suspicious (the word test has false positives).
func plainASCIISlow(s string) bool {
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c != ' ' {
			space = false
		}
	}
	return !space
}

func okValue(v float64) bool { return v == v && v <= maxMagnitude && v >= -maxMagnitude }

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
