package metric

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// ErrValidation matches, with errors.Is, every error this package returns for
// input that CloudWatch would reject.
var ErrValidation = cwerr.ErrValidation

// Limits that PutMetricData enforces.
const (
	MaxDatumsPerCall = 1000                // MetricDatum items in one PutMetricData call
	MaxValuesPerCall = 150                 // entries of Values (and Counts) in one call
	MaxDimensions    = 30                  // dimensions of one metric
	MaxPast          = 14 * 24 * time.Hour // oldest accepted Timestamp, before the clock
	MaxFuture        = 2 * time.Hour       // newest accepted Timestamp, after the clock
)

// maxMagnitude is 2^360: CloudWatch rejects values outside [-2^360, 2^360].
var maxMagnitude = math.Ldexp(1, 360)

// A Dimension is one name/value pair of a metric's identity.
type Dimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// A StatisticSet is a pre-aggregated set of samples, as PutMetricData's
// StatisticValues carries it. Statistic sets combine additively.
type StatisticSet struct {
	SampleCount float64 `json:"SampleCount"`
	Sum         float64 `json:"Sum"`
	Minimum     float64 `json:"Minimum"`
	Maximum     float64 `json:"Maximum"`
}

// Add merges o into s: counts and sums add, minimum of minimums, maximum of
// maximums. An empty set (SampleCount 0) adds nothing.
func (s *StatisticSet) Add(o StatisticSet) {
	if o.SampleCount == 0 {
		return
	}
	if s.SampleCount == 0 {
		*s = o
		return
	}
	s.SampleCount += o.SampleCount
	s.Sum += o.Sum
	s.Minimum = min(s.Minimum, o.Minimum)
	s.Maximum = max(s.Maximum, o.Maximum)
}

// A Datum is one MetricDatum of PutMetricData. Exactly one of its three
// forms carries the data: StatisticValues, Values (with optional Counts), or
// Value, which is used when the other two are empty. A zero Timestamp means
// "the time the datum is received"; a zero StorageResolution means 60.
type Datum struct {
	MetricName        string        `json:"MetricName"`
	Dimensions        []Dimension   `json:"Dimensions,omitempty"`
	Timestamp         time.Time     `json:"Timestamp,omitzero"`
	Value             float64       `json:"Value,omitempty"`
	StatisticValues   *StatisticSet `json:"StatisticValues,omitempty"`
	Values            []float64     `json:"Values,omitempty"`
	Counts            []float64     `json:"Counts,omitempty"`
	Unit              string        `json:"Unit,omitempty"`
	StorageResolution int           `json:"StorageResolution,omitempty"`
}

// Set returns the datum's samples as a statistic set.
func (d *Datum) Set() StatisticSet {
	switch {
	case d.StatisticValues != nil:
		return *d.StatisticValues
	case len(d.Values) > 0:
		var s StatisticSet
		for i, v := range d.Values {
			c := 1.0
			if i < len(d.Counts) {
				c = d.Counts[i]
			}
			if c == 0 {
				continue
			}
			s.Add(StatisticSet{SampleCount: c, Sum: v * c, Minimum: v, Maximum: v})
		}
		return s
	default:
		return StatisticSet{SampleCount: 1, Sum: d.Value, Minimum: d.Value, Maximum: d.Value}
	}
}

// Units is CloudWatch's StandardUnit enumeration, in the API's order.
var Units = []string{
	"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
	"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
	"Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
	"Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
	"Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
}

// ValidUnit reports whether u is one of Units.
func ValidUnit(u string) bool { return slices.Contains(Units, u) }

// UnitError is CloudWatch's message for a Unit outside the StandardUnit set.
func UnitError(param string) string {
	return "The parameter " + param + " must be a value in the set [ " + strings.Join(Units, ", ") + " ]."
}

// ValidateNamespace checks a namespace as PutMetricData and PutMetricAlarm
// do: 1 to 255 ASCII characters from 0-9A-Za-z.-_/#: and space, not starting
// with a colon, with at least one non-space character. It returns the
// problem's message, or "" when ns is valid.
func ValidateNamespace(param, ns string) string {
	switch {
	case ns == "":
		return "The parameter " + param + " is required."
	case len(ns) > 255:
		return fmt.Sprintf("The parameter %s must be at most 255 characters long (got %d).", param, len(ns))
	case ns[0] == ':':
		return "The value " + strconv.Quote(ns) + " for parameter " + param + " is invalid: it must not start with ':'."
	case strings.TrimSpace(ns) == "":
		return "The value " + strconv.Quote(ns) + " for parameter " + param + " is invalid: it must contain a non-whitespace character."
	}
	for _, r := range ns {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune(".-_/#: ", r)) {
			return fmt.Sprintf("The value %s for parameter %s is invalid: character %q is not one of 0-9A-Za-z.-_/#: and space.", strconv.Quote(ns), param, r)
		}
	}
	return ""
}

// ValidateName checks a MetricName: 1 to 255 characters, no control
// characters.
func ValidateName(param, name string) string {
	return checkText(param, name, 255, false)
}

// ValidateDimensions checks a dimension list: at most 30, names 1-255 ASCII
// characters not starting with ':', values 1-1024 ASCII characters, no
// control characters, no name twice. prefix is the parameter path, e.g.
// "MetricData.member.1.Dimensions".
func ValidateDimensions(prefix string, dims []Dimension) []string {
	var probs []string
	if len(dims) > MaxDimensions {
		probs = append(probs, fmt.Sprintf("The collection %s must not have a size greater than %d (got %d).", prefix, MaxDimensions, len(dims)))
	}
	for i, d := range dims {
		p := fmt.Sprintf("%s.member.%d", prefix, i+1)
		if m := checkText(p+".Name", d.Name, 255, true); m != "" {
			probs = append(probs, m)
		} else if d.Name[0] == ':' {
			probs = append(probs, "The value "+strconv.Quote(d.Name)+" for parameter "+p+".Name is invalid: it must not start with ':'.")
		}
		if m := checkValue(p+".Value", d.Value); m != "" {
			probs = append(probs, m)
		}
		for j := range i {
			if dims[j].Name == d.Name {
				probs = append(probs, "The value "+strconv.Quote(d.Name)+" for parameter "+p+".Name is invalid: the dimension name is given twice.")
				break
			}
		}
	}
	return probs
}

// checkValue checks a dimension value: like a name, 1 to 1024 ASCII
// characters without control characters, but spaces alone are allowed (the
// non-whitespace rule is the names').
func checkValue(param, s string) string {
	if s != "" && strings.TrimLeft(s, " ") == "" && len(s) <= 1024 {
		return ""
	}
	return checkText(param, s, 1024, true)
}

func checkText(param, s string, maxLen int, ascii bool) string {
	switch {
	case s == "":
		return "The parameter " + param + " is required."
	case utf8.RuneCountInString(s) > maxLen:
		return fmt.Sprintf("The parameter %s must be at most %d characters long (got %d).", param, maxLen, utf8.RuneCountInString(s))
	case !utf8.ValidString(s):
		return "The value for parameter " + param + " is invalid: it is not valid UTF-8."
	case strings.TrimSpace(s) == "":
		return "The value " + strconv.Quote(s) + " for parameter " + param + " is invalid: it must contain a non-whitespace character."
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Sprintf("The value %s for parameter %s is invalid: it contains the control character %U.", strconv.Quote(s), param, r)
		}
		if ascii && r > 0x7e {
			return fmt.Sprintf("The value %s for parameter %s is invalid: it contains the non-ASCII character %q.", strconv.Quote(s), param, r)
		}
	}
	return ""
}

// ValidateData checks one PutMetricData call as CloudWatch does, against
// the time now (the engine's clock), and reports every problem together.
// It returns nil when CloudWatch would accept the whole call; CloudWatch
// accepts or rejects a call as a whole.
func ValidateData(namespace string, data []Datum, now time.Time) error {
	var probs []error
	if m := ValidateNamespace("Namespace", namespace); m != "" {
		probs = append(probs, textError(m))
	}
	if len(data) == 0 {
		probs = append(probs, newError(cwerr.MissingParameter, "The parameter MetricData is required."))
	}
	if len(data) > MaxDatumsPerCall {
		probs = append(probs, invalid(fmt.Sprintf("The collection MetricData must not have a size greater than %d.", MaxDatumsPerCall)))
	}
	values := 0
	w := newWindow(now)
	var seen seen
	for i := range data {
		probs = data[i].problems(probs, i+1, &w, &seen)
		values += len(data[i].Values)
	}
	if values > MaxValuesPerCall {
		probs = append(probs, invalid(fmt.Sprintf("The MetricData of one call must not hold more than %d values in Values arrays (got %d).", MaxValuesPerCall, values)))
	}
	return errors.Join(probs...)
}

// textError turns a message of the Validate* helpers into an error:
// MissingParameter for "... is required.", InvalidParameterValue otherwise.
func textError(m string) error {
	if strings.HasSuffix(m, " is required.") {
		return newError(cwerr.MissingParameter, m)
	}
	return invalid(m)
}

func invalid(m string) error { return newError(cwerr.InvalidParameterValue, m) }

func combination(m string) error { return newError(cwerr.InvalidParameterCombination, m) }

func newError(code, msg string) *cwerr.Error { return cwerr.New("metric", code, msg) }

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

// seen remembers the metric name and the first dimension names that the
// fast check accepted last: in one call they repeat from datum to datum.
type seen struct {
	name string
	dims [4]string
}

// valid is the allocation-free check used on ingest: it reports whether
// CloudWatch would accept d, so that the check that builds messages runs
// only on bad input. A false result for a datum that CloudWatch accepts
// is allowed (a metric name with non-ASCII letters): the full check then
// decides.
func (d *Datum) valid(w *window, seen *seen) bool {
	if d.MetricName != seen.name || seen.name == "" {
		// Names may be UTF-8: checkText accepts them without allocating.
		if !plainText(d.MetricName, 255) && checkText("", d.MetricName, 255, false) != "" {
			return false
		}
		seen.name = d.MetricName
	}
	if len(d.Dimensions) > MaxDimensions {
		return false
	}
	if !d.Timestamp.IsZero() && (w.tooOld(d.Timestamp) || w.tooNew(d.Timestamp)) {
		return false
	}
	if d.StorageResolution != 0 && d.StorageResolution != 1 && d.StorageResolution != 60 {
		return false
	}
	if d.Unit != "" && !ValidUnit(d.Unit) {
		return false
	}
	for i, dim := range d.Dimensions {
		if i >= len(seen.dims) || dim.Name != seen.dims[i] || dim.Name == "" {
			if !plainASCII(dim.Name, 255) || dim.Name[0] == ':' {
				return false
			}
			if i < len(seen.dims) {
				seen.dims[i] = dim.Name
			}
		}
		if !plainASCII(dim.Value, 1024) && checkValue("", dim.Value) != "" {
			return false
		}
		for j := range i {
			if d.Dimensions[j].Name == dim.Name {
				return false
			}
		}
	}
	switch {
	case d.StatisticValues != nil:
		s := d.StatisticValues
		return d.Value == 0 && len(d.Values) == 0 && len(d.Counts) == 0 &&
			okValue(s.SampleCount) && s.SampleCount > 0 && okValue(s.Sum) && okValue(s.Minimum) && okValue(s.Maximum) &&
			s.Minimum <= s.Maximum
	case len(d.Values) > 0:
		if d.Value != 0 || len(d.Values) > MaxValuesPerCall || (len(d.Counts) != 0 && len(d.Counts) != len(d.Values)) {
			return false
		}
		for _, v := range d.Values {
			if !okValue(v) {
				return false
			}
		}
		for _, c := range d.Counts {
			if !okValue(c) || c < 0 {
				return false
			}
		}
		return true
	default:
		return len(d.Counts) == 0 && okValue(d.Value)
	}
}

// plainText is the fast check of a name: 1 to maxLen bytes of printable
// ASCII, not all spaces. Names outside it go through checkText, which
// also accepts non-ASCII UTF-8 where CloudWatch does.
func plainText(s string, maxLen int) bool { return plainASCII(s, maxLen) }

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

func okValue(v float64) bool { return !math.IsNaN(v) && math.Abs(v) <= maxMagnitude }

// problems appends the messages for every problem of datum number n
// (1-based, as CloudWatch's "member.N").
func (d *Datum) problems(probs []error, n int, w *window, seen *seen) []error {
	if d.valid(w, seen) {
		return probs
	}
	p := fmt.Sprintf("MetricData.member.%d", n)
	if m := ValidateName(p+".MetricName", d.MetricName); m != "" {
		probs = append(probs, textError(m))
	}
	for _, m := range ValidateDimensions(p+".Dimensions", d.Dimensions) {
		probs = append(probs, textError(m))
	}
	if !d.Timestamp.IsZero() {
		if w.tooOld(d.Timestamp) {
			probs = append(probs, invalid("The parameter "+p+".Timestamp must specify a time within the past two weeks."))
		}
		if w.tooNew(d.Timestamp) {
			probs = append(probs, invalid("The parameter "+p+".Timestamp must specify a time no more than two hours in the future."))
		}
	}
	if d.StorageResolution != 0 && d.StorageResolution != 1 && d.StorageResolution != 60 {
		probs = append(probs, invalid(fmt.Sprintf("The value %d for parameter %s.StorageResolution is invalid: it must be 1 or 60.", d.StorageResolution, p)))
	}
	if d.Unit != "" && !ValidUnit(d.Unit) {
		probs = append(probs, invalid(UnitError(p+".Unit")))
	}
	badValue := func(param string, v float64) {
		if !okValue(v) {
			probs = append(probs, invalid("The value "+formatFloat(v)+" for parameter "+param+" is invalid: values must be finite and within -2^360 to 2^360."))
		}
	}
	switch {
	case d.StatisticValues != nil:
		if d.Value != 0 {
			probs = append(probs, combination("The parameters "+p+".Value and "+p+".StatisticValues are mutually exclusive and you have specified both."))
		}
		if len(d.Values) > 0 || len(d.Counts) > 0 {
			probs = append(probs, combination("The parameters "+p+".Values and "+p+".StatisticValues are mutually exclusive and you have specified both."))
		}
		s := d.StatisticValues
		badValue(p+".StatisticValues.SampleCount", s.SampleCount)
		badValue(p+".StatisticValues.Sum", s.Sum)
		badValue(p+".StatisticValues.Minimum", s.Minimum)
		badValue(p+".StatisticValues.Maximum", s.Maximum)
		if okValue(s.SampleCount) && s.SampleCount <= 0 {
			probs = append(probs, invalid("The value "+formatFloat(s.SampleCount)+" for parameter "+p+".StatisticValues.SampleCount is invalid: it must be greater than 0."))
		}
		if okValue(s.Minimum) && okValue(s.Maximum) && s.Minimum > s.Maximum {
			probs = append(probs, invalid("The parameter "+p+".StatisticValues.Minimum ("+formatFloat(s.Minimum)+") must be less than or equal to "+p+".StatisticValues.Maximum ("+formatFloat(s.Maximum)+")."))
		}
	case len(d.Values) > 0:
		if d.Value != 0 {
			probs = append(probs, combination("The parameters "+p+".Value and "+p+".Values are mutually exclusive and you have specified both."))
		}
		if len(d.Counts) != 0 && len(d.Counts) != len(d.Values) {
			probs = append(probs, invalid(fmt.Sprintf("The parameters %s.Values and %s.Counts must be of the same size (got %d and %d).", p, p, len(d.Values), len(d.Counts))))
		}
		for i, v := range d.Values {
			badValue(fmt.Sprintf("%s.Values.member.%d", p, i+1), v)
		}
		for i, c := range d.Counts {
			param := fmt.Sprintf("%s.Counts.member.%d", p, i+1)
			badValue(param, c)
			if okValue(c) && c < 0 {
				probs = append(probs, invalid("The value "+formatFloat(c)+" for parameter "+param+" is invalid: counts must not be negative."))
			}
		}
	default:
		if len(d.Counts) > 0 {
			probs = append(probs, combination("The parameter "+p+".Counts requires "+p+".Values."))
		}
		badValue(p+".Value", d.Value)
	}
	return probs
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
