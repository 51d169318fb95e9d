package metric_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/metric"
)

// validateNow is the clock of the ValidateData tests.
var validateNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// clockHint is the sentence a timestamp problem ends with.
const clockHint = " Timestamps are checked against the engine's clock, which reads 2024-05-01T12:00:00Z."

// okNamespace is a valid namespace.
const okNamespace = "Klaxon/Test"

// m1 is the parameter path of the first datum of a call.
const m1 = "MetricData.member.1"

// A cwProblem is one *cwerr.Error of a joined validation error, flattened
// so that rows can spell it out.
type cwProblem struct{ Pkg, Code, Message string }

func invalidValue(msg string) cwProblem {
	return cwProblem{"metric", cwerr.InvalidParameterValue, msg}
}

func missingParam(msg string) cwProblem {
	return cwProblem{"metric", cwerr.MissingParameter, msg}
}

func paramCombination(msg string) cwProblem {
	return cwProblem{"metric", cwerr.InvalidParameterCombination, msg}
}

// cwProblems flattens err, which ValidateData builds with errors.Join, into
// its *cwerr.Error leaves, in order. A leaf of another type is reported as
// such, so that the diff shows it.
func cwProblems(err error) []cwProblem {
	var out []cwProblem
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if ce, ok := e.(*cwerr.Error); ok {
			out = append(out, cwProblem{ce.Pkg, ce.Code, ce.Message})
			return
		}
		out = append(out, cwProblem{Message: fmt.Sprintf("%T is not a *cwerr.Error: %v", e, e)})
	}
	if err != nil {
		walk(err)
	}
	return out
}

// goodDatum returns a datum that CloudWatch accepts at validateNow.
func goodDatum() metric.Datum {
	return metric.Datum{
		MetricName: "Latency",
		Dimensions: []metric.Dimension{{Name: "Host", Value: "web-1"}},
		Timestamp:  validateNow.Add(-time.Minute),
		Value:      12.5,
		Unit:       "Milliseconds",
	}
}

// one returns a call of one good datum changed by edit.
func one(edit func(d *metric.Datum)) []metric.Datum {
	d := goodDatum()
	edit(&d)
	return []metric.Datum{d}
}

// many returns n good datums, each changed by edit(i, d).
func many(n int, edit func(i int, d *metric.Datum)) []metric.Datum {
	data := make([]metric.Datum, n)
	for i := range data {
		data[i] = goodDatum()
		if edit != nil {
			edit(i, &data[i])
		}
	}
	return data
}

// dims returns n dimensions Dim1=v1 ... DimN=vN.
func dims(n int) []metric.Dimension {
	ds := make([]metric.Dimension, n)
	for i := range ds {
		ds[i] = metric.Dimension{Name: fmt.Sprintf("Dim%d", i+1), Value: fmt.Sprintf("v%d", i+1)}
	}
	return ds
}

func floats(n int) []float64 {
	vs := make([]float64, n)
	for i := range vs {
		vs[i] = float64(i)
	}
	return vs
}

var (
	two360 = math.Ldexp(1, 360) // the largest magnitude CloudWatch accepts
	two361 = math.Ldexp(1, 361)
)

const unitSet = "[ Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, " +
	"Bits, Kilobits, Megabits, Gigabits, Terabits, Percent, Count, Bytes/Second, Kilobytes/Second, " +
	"Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, " +
	"Gigabits/Second, Terabits/Second, Count/Second, None ]"

type validateCase struct {
	name string
	ns   string
	data []metric.Datum
	want []cwProblem // nil: the call is valid
	why  string
}

func validateCases() []validateCase {
	cases := []validateCase{
		// Valid calls.
		{
			name: "valid/all forms",
			ns:   okNamespace,
			data: []metric.Datum{
				goodDatum(),
				{MetricName: "Latency", Values: []float64{1, 10}, Counts: []float64{2, 4}, StorageResolution: 1},
				{MetricName: "Latency", StatisticValues: &metric.StatisticSet{SampleCount: 3, Sum: 30, Minimum: 5, Maximum: 20}, StorageResolution: 60},
				{MetricName: "Requests", Value: 0},
			},
			why: "a Value, a Values+Counts and a StatisticValues datum, and a datum with only a name (Value 0), are all accepted",
		},
		{
			name: "valid/namespace of every allowed character",
			ns:   "az.AZ-09_/#: x",
			data: one(func(*metric.Datum) {}),
			why:  "0-9A-Za-z.-_/#: and space are the namespace's characters; a colon is allowed after the first character",
		},
		{
			name: "valid/namespace of 255 characters",
			ns:   strings.Repeat("n", 255),
			data: one(func(*metric.Datum) {}),
			why:  "255 is the longest namespace",
		},
		{
			name: "valid/MetricName of 255 characters",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.MetricName = strings.Repeat("m", 255) }),
			why:  "255 is the longest MetricName",
		},
		{
			name: "valid/non-ASCII MetricName",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.MetricName = "Größe" }),
			why:  "MetricName is UTF-8 text without control characters; only dimensions are restricted to ASCII",
		},
		{
			name: "valid/30 dimensions",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = dims(30) }),
			why:  "a metric has at most 30 dimensions",
		},
		{
			name: "valid/longest dimension name and value, value starting with a colon",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Dimensions = []metric.Dimension{{Name: strings.Repeat("n", 255), Value: ":" + strings.Repeat("v", 1023)}}
			}),
			why: "names are at most 255 characters, values 1024; only a name may not start with ':'",
		},
		{
			name: "valid/2^360 everywhere",
			ns:   okNamespace,
			data: []metric.Datum{
				{MetricName: "M", Value: two360},
				{MetricName: "M", Value: -two360},
				{MetricName: "M", Values: []float64{-two360, two360}, Counts: []float64{two360, 0}},
				{MetricName: "M", StatisticValues: &metric.StatisticSet{SampleCount: two360, Sum: two360, Minimum: -two360, Maximum: two360}},
			},
			why: "values must lie within -2^360 .. 2^360, bounds included; a Count of 0 is not negative",
		},
		{
			name: "valid/timestamp exactly 14 days old",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Timestamp = validateNow.Add(-14 * 24 * time.Hour) }),
			why:  "timestamps up to two weeks in the past are accepted",
		},
		{
			name: "valid/timestamp exactly 2 hours ahead",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Timestamp = validateNow.Add(2 * time.Hour) }),
			why:  "timestamps up to two hours in the future are accepted",
		},
		{
			name: "valid/1000 datums",
			ns:   okNamespace,
			data: many(1000, nil),
			why:  "a call holds at most 1000 MetricDatum items",
		},
		{
			name: "valid/150 Values over the call",
			ns:   okNamespace,
			data: []metric.Datum{{MetricName: "M", Values: floats(75)}, {MetricName: "M", Values: floats(75)}},
			why:  "a call holds at most 150 entries of Values",
		},

		// Namespace.
		{
			name: "namespace/empty",
			ns:   "",
			data: one(func(*metric.Datum) {}),
			want: []cwProblem{missingParam("The parameter Namespace is required.")},
			why:  "Namespace is required",
		},
		{
			name: "namespace/too long",
			ns:   strings.Repeat("n", 256),
			data: one(func(*metric.Datum) {}),
			want: []cwProblem{invalidValue("The parameter Namespace must be at most 255 characters long (got 256).")},
			why:  "a namespace is 1 to 255 characters",
		},
		{
			name: "namespace/leading colon",
			ns:   ":Klaxon",
			data: one(func(*metric.Datum) {}),
			want: []cwProblem{invalidValue(`The value ":Klaxon" for parameter Namespace is invalid: it must not start with ':'.`)},
			why:  "the namespace pattern is [^:].*",
		},
		{
			name: "namespace/bad character",
			ns:   "Klaxon$Test",
			data: one(func(*metric.Datum) {}),
			want: []cwProblem{invalidValue(`The value "Klaxon$Test" for parameter Namespace is invalid: character '$' is not one of 0-9A-Za-z.-_/#: and space.`)},
			why:  "'$' is not one of the namespace's characters",
		},
		{
			name: "namespace/all spaces",
			ns:   "   ",
			data: one(func(*metric.Datum) {}),
			want: []cwProblem{invalidValue(`The value "   " for parameter Namespace is invalid: it must contain a non-whitespace character.`)},
			why:  "a namespace needs a non-whitespace character",
		},

		// MetricName.
		{
			name: "MetricName/empty",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.MetricName = "" }),
			want: []cwProblem{missingParam("The parameter " + m1 + ".MetricName is required.")},
			why:  "MetricName is required",
		},
		{
			name: "MetricName/too long",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.MetricName = strings.Repeat("m", 256) }),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".MetricName must be at most 255 characters long (got 256).")},
			why:  "MetricName is 1 to 255 characters",
		},
		{
			name: "MetricName/control character",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.MetricName = "Late\tncy" }),
			want: []cwProblem{invalidValue(`The value "Late\tncy" for parameter ` + m1 + `.MetricName is invalid: it contains the control character U+0009.`)},
			why:  "control characters are not allowed in a MetricName",
		},
		{
			name: "MetricName/only spaces",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.MetricName = "  " }),
			want: []cwProblem{invalidValue(`The value "  " for parameter ` + m1 + `.MetricName is invalid: it must contain a non-whitespace character.`)},
			why:  "a MetricName needs a non-whitespace character",
		},

		// Dimensions.
		{
			name: "dimensions/31",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = dims(31) }),
			want: []cwProblem{invalidValue("The collection " + m1 + ".Dimensions must not have a size greater than 30 (got 31).")},
			why:  "a metric has at most 30 dimensions",
		},
		{
			name: "dimensions/empty name",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: "", Value: "a"}} }),
			want: []cwProblem{missingParam("The parameter " + m1 + ".Dimensions.member.1.Name is required.")},
			why:  "a dimension name is 1 to 255 characters",
		},
		{
			name: "dimensions/empty value",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: "Host", Value: ""}} }),
			want: []cwProblem{missingParam("The parameter " + m1 + ".Dimensions.member.1.Value is required.")},
			why:  "a dimension value is 1 to 1024 characters",
		},
		{
			name: "dimensions/name too long",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: strings.Repeat("n", 256), Value: "a"}} }),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".Dimensions.member.1.Name must be at most 255 characters long (got 256).")},
			why:  "a dimension name is at most 255 characters",
		},
		{
			name: "dimensions/value too long",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Dimensions = []metric.Dimension{{Name: "Host", Value: strings.Repeat("v", 1025)}}
			}),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".Dimensions.member.1.Value must be at most 1024 characters long (got 1025).")},
			why:  "a dimension value is at most 1024 characters",
		},
		{
			name: "dimensions/non-ASCII name",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: "Höst", Value: "a"}} }),
			want: []cwProblem{invalidValue(`The value "Höst" for parameter ` + m1 + `.Dimensions.member.1.Name is invalid: it contains the non-ASCII character 'ö'.`)},
			why:  "dimension names must contain only ASCII characters",
		},
		{
			name: "dimensions/non-ASCII value",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: "Host", Value: "wéb"}} }),
			want: []cwProblem{invalidValue(`The value "wéb" for parameter ` + m1 + `.Dimensions.member.1.Value is invalid: it contains the non-ASCII character 'é'.`)},
			why:  "dimension values must contain only ASCII characters",
		},
		{
			name: "dimensions/control character in name",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: "Ho\x01st", Value: "a"}} }),
			want: []cwProblem{invalidValue(`The value "Ho\x01st" for parameter ` + m1 + `.Dimensions.member.1.Name is invalid: it contains the control character U+0001.`)},
			why:  "ASCII control characters are not supported in dimension names",
		},
		{
			name: "dimensions/control character in value",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: "Host", Value: "web\x7f"}} }),
			want: []cwProblem{invalidValue(`The value "web\x7f" for parameter ` + m1 + `.Dimensions.member.1.Value is invalid: it contains the control character U+007F.`)},
			why:  "DEL is an ASCII control character",
		},
		{
			name: "dimensions/leading colon in name",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Dimensions = []metric.Dimension{{Name: ":Host", Value: "a"}} }),
			want: []cwProblem{invalidValue(`The value ":Host" for parameter ` + m1 + `.Dimensions.member.1.Name is invalid: it must not start with ':'.`)},
			why:  "dimension names cannot start with a colon",
		},
		{
			name: "dimensions/duplicate name",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Dimensions = []metric.Dimension{{Name: "Host", Value: "a"}, {Name: "AZ", Value: "x"}, {Name: "Host", Value: "b"}}
			}),
			want: []cwProblem{invalidValue(`The value "Host" for parameter ` + m1 + `.Dimensions.member.3.Name is invalid: the dimension name is given twice.`)},
			why:  "a dimension name identifies one value of the metric; the second use is the one reported",
		},

		{
			name: "StatisticValues/average beyond 2^360",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 0
				d.StatisticValues = &metric.StatisticSet{SampleCount: 1e-300, Sum: 1e100, Minimum: 1e100, Maximum: 1e100}
			}),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".StatisticValues is invalid: its average " + m1 + ".StatisticValues.Sum / " + m1 + ".StatisticValues.SampleCount (+Inf) must be finite and within -2^360 to 2^360.")},
			why:  "a tiny SampleCount would make the Average infinite, which no reason or history item can carry",
		},
		{
			name: "StatisticValues/average just within 2^360",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 0
				d.StatisticValues = &metric.StatisticSet{SampleCount: 0.5, Sum: 1e108, Minimum: 1, Maximum: 2e108}
			}),
			why: "2e108 is below 2^360 (about 2.35e108): accepted",
		},

		// Timestamp, StorageResolution, Unit.
		{
			name: "timestamp/14 days and 1 s old",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Timestamp = validateNow.Add(-14*24*time.Hour - time.Second) }),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".Timestamp must specify a time within the past two weeks." + clockHint)},
			why:  "timestamps may be at most two weeks in the past",
		},
		{
			name: "timestamp/2 h and 1 s ahead",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Timestamp = validateNow.Add(2*time.Hour + time.Second) }),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".Timestamp must specify a time no more than two hours in the future." + clockHint)},
			why:  "timestamps may be at most two hours in the future",
		},
		{
			name: "StorageResolution/5",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.StorageResolution = 5 }),
			want: []cwProblem{invalidValue("The value 5 for parameter " + m1 + ".StorageResolution is invalid: it must be 1 or 60.")},
			why:  "StorageResolution is 1 or 60",
		},
		{
			name: "Unit/not a StandardUnit",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Unit = "ms" }),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".Unit must be a value in the set " + unitSet + ".")},
			why:  "Unit is one of the StandardUnit enumeration, which the message lists",
		},

		// Forms of the data.
		{
			name: "combination/Value with StatisticValues",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 3
				d.StatisticValues = &metric.StatisticSet{SampleCount: 1, Sum: 3, Minimum: 3, Maximum: 3}
			}),
			want: []cwProblem{paramCombination("The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.")},
			why:  "CloudWatch's own wording for giving both Value and StatisticValues",
		},
		{
			name: "combination/Values with StatisticValues",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 0
				d.Values = []float64{3}
				d.StatisticValues = &metric.StatisticSet{SampleCount: 1, Sum: 3, Minimum: 3, Maximum: 3}
			}),
			want: []cwProblem{paramCombination("The parameters " + m1 + ".Values and " + m1 + ".StatisticValues are mutually exclusive and you have specified both.")},
			why:  "a datum carries its data in exactly one form",
		},
		{
			name: "combination/Value with Values",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Values = []float64{3} }),
			want: []cwProblem{paramCombination("The parameters " + m1 + ".Value and " + m1 + ".Values are mutually exclusive and you have specified both.")},
			why:  "a datum carries its data in exactly one form",
		},
		{
			name: "combination/Counts without Values",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) { d.Counts = []float64{2} }),
			want: []cwProblem{paramCombination("The parameter " + m1 + ".Counts requires " + m1 + ".Values.")},
			why:  "Counts weigh the entries of Values and mean nothing alone",
		},
		{
			name: "Counts/length mismatch",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 0
				d.Values = []float64{1, 2}
				d.Counts = []float64{1}
			}),
			want: []cwProblem{invalidValue("The parameters " + m1 + ".Values and " + m1 + ".Counts must be of the same size (got 2 and 1).")},
			why:  "Counts has the same length as Values",
		},
		{
			name: "Counts/negative",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 0
				d.Values = []float64{1, 2}
				d.Counts = []float64{1, -1}
			}),
			want: []cwProblem{invalidValue("The value -1 for parameter " + m1 + ".Counts.member.2 is invalid: counts must not be negative.")},
			why:  "a value cannot occur a negative number of times",
		},
		{
			name: "StatisticValues/SampleCount 0",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 0
				d.StatisticValues = &metric.StatisticSet{SampleCount: 0, Sum: 0, Minimum: 0, Maximum: 0}
			}),
			want: []cwProblem{invalidValue("The value 0 for parameter " + m1 + ".StatisticValues.SampleCount is invalid: it must be greater than 0.")},
			why:  "a statistic set stands for at least one sample",
		},
		{
			name: "StatisticValues/Minimum above Maximum",
			ns:   okNamespace,
			data: one(func(d *metric.Datum) {
				d.Value = 0
				d.StatisticValues = &metric.StatisticSet{SampleCount: 2, Sum: 9, Minimum: 5, Maximum: 4}
			}),
			want: []cwProblem{invalidValue("The parameter " + m1 + ".StatisticValues.Minimum (5) must be less than or equal to " + m1 + ".StatisticValues.Maximum (4).")},
			why:  "the lowest sample cannot exceed the highest",
		},

		// Limits of the call.
		{
			name: "call/1001 datums",
			ns:   okNamespace,
			data: many(1001, nil),
			want: []cwProblem{invalidValue("The collection MetricData must not have a size greater than 1000.")},
			why:  "a call holds at most 1000 MetricDatum items",
		},
		{
			name: "call/151 Values across two datums",
			ns:   okNamespace,
			data: []metric.Datum{{MetricName: "M", Values: floats(100)}, {MetricName: "M", Values: floats(51)}},
			want: []cwProblem{invalidValue("The MetricData of one call must not hold more than 150 values in Values arrays (got 151).")},
			why:  "the 150-value limit is per PutMetricData call, not per datum",
		},
		{
			name: "call/151 Values in one datum",
			ns:   okNamespace,
			data: []metric.Datum{{MetricName: "M", Values: floats(151)}},
			want: []cwProblem{invalidValue("The MetricData of one call must not hold more than 150 values in Values arrays (got 151).")},
			why:  "one datum alone can break the call's limit",
		},
		{
			name: "call/empty MetricData",
			ns:   okNamespace,
			data: []metric.Datum{},
			want: []cwProblem{missingParam("The parameter MetricData is required.")},
			why:  "a call must carry data",
		},
		{
			name: "call/nil MetricData",
			ns:   okNamespace,
			data: nil,
			want: []cwProblem{missingParam("The parameter MetricData is required.")},
			why:  "nil and empty are the same missing list",
		},
		{
			name: "call/several problems",
			ns:   "",
			data: []metric.Datum{
				{MetricName: "", Value: math.NaN()},
				goodDatum(),
				{MetricName: "M", Unit: "ms", Timestamp: validateNow.Add(3 * time.Hour), Dimensions: []metric.Dimension{{Name: ":A", Value: ""}}},
			},
			want: []cwProblem{
				missingParam("The parameter Namespace is required."),
				missingParam("The parameter " + m1 + ".MetricName is required."),
				invalidValue("The value NaN for parameter " + m1 + ".Value is invalid: values must be finite and within -2^360 to 2^360."),
				invalidValue(`The value ":A" for parameter MetricData.member.3.Dimensions.member.1.Name is invalid: it must not start with ':'.`),
				missingParam("The parameter MetricData.member.3.Dimensions.member.1.Value is required."),
				invalidValue("The parameter MetricData.member.3.Timestamp must specify a time no more than two hours in the future." + clockHint),
				invalidValue("The parameter MetricData.member.3.Unit must be a value in the set " + unitSet + "."),
			},
			why: "every problem is reported, in the order of the call; a good datum among bad ones adds nothing",
		},
	}

	// Values outside [-2^360, 2^360], in every field that holds a value.
	bad := []struct {
		v    float64
		text string
	}{
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
		{two361, "4.6970851655476665e+108"},
		{-two361, "-4.6970851655476665e+108"},
	}
	fields := []struct {
		param string
		edit  func(d *metric.Datum, v float64)
	}{
		{"Value", func(d *metric.Datum, v float64) { d.Value = v }},
		{"Values.member.2", func(d *metric.Datum, v float64) { d.Value, d.Values = 0, []float64{1, v} }},
		{"Counts.member.1", func(d *metric.Datum, v float64) { d.Value, d.Values, d.Counts = 0, []float64{1, 2}, []float64{v, 1} }},
		{"StatisticValues.SampleCount", func(d *metric.Datum, v float64) {
			d.Value, d.StatisticValues = 0, &metric.StatisticSet{SampleCount: v, Sum: 2, Minimum: 1, Maximum: 1}
		}},
		{"StatisticValues.Sum", func(d *metric.Datum, v float64) {
			d.Value, d.StatisticValues = 0, &metric.StatisticSet{SampleCount: 2, Sum: v, Minimum: 1, Maximum: 1}
		}},
		{"StatisticValues.Minimum", func(d *metric.Datum, v float64) {
			d.Value, d.StatisticValues = 0, &metric.StatisticSet{SampleCount: 2, Sum: 2, Minimum: v, Maximum: 1}
		}},
		{"StatisticValues.Maximum", func(d *metric.Datum, v float64) {
			d.Value, d.StatisticValues = 0, &metric.StatisticSet{SampleCount: 2, Sum: 2, Minimum: 1, Maximum: v}
		}},
	}
	for _, f := range fields {
		for _, b := range bad {
			cases = append(cases, validateCase{
				name: "value/" + f.param + "=" + b.text,
				ns:   okNamespace,
				data: one(func(d *metric.Datum) { f.edit(d, b.v) }),
				want: []cwProblem{invalidValue("The value " + b.text + " for parameter " + m1 + "." + f.param +
					" is invalid: values must be finite and within -2^360 to 2^360.")},
				why: "NaN, ±Inf and magnitudes above 2^360 are rejected in every field; only this one problem is reported " +
					"(no negative-count, SampleCount or Minimum > Maximum message about a value that is already invalid)",
			})
		}
	}
	return cases
}

func TestValidateData(t *testing.T) {
	for _, tc := range validateCases() {
		t.Run(tc.name, func(t *testing.T) {
			err := metric.ValidateData(tc.ns, tc.data, validateNow)
			if diff := cmp.Diff(tc.want, cwProblems(err)); diff != "" {
				t.Errorf("ValidateData problems (-want +got):\n%s\nwhy: %s", diff, tc.why)
			}
			if tc.want == nil {
				if err != nil {
					t.Errorf("ValidateData = %v, want nil (%s)", err, tc.why)
				}
				return
			}
			if !errors.Is(err, metric.ErrValidation) {
				t.Errorf("errors.Is(%v, ErrValidation) = false, want true", err)
			}
			var ce *cwerr.Error
			if !errors.As(err, &ce) {
				t.Fatalf("errors.As(%v, *cwerr.Error) = false, want true", err)
			}
			if ce.Code != tc.want[0].Code {
				t.Errorf("errors.As gives code %s, want the first problem's %s", ce.Code, tc.want[0].Code)
			}
			if want := "metric: " + tc.want[0].Code + ": " + tc.want[0].Message; ce.Error() != want {
				t.Errorf("first error text = %q, want %q", ce.Error(), want)
			}
		})
	}
}

// TestValidateDataDoesNotAllocate: ValidateData runs on every
// PutMetricData call; on valid input it must not allocate.
func TestValidateDataDoesNotAllocate(t *testing.T) {
	data := many(10, func(i int, d *metric.Datum) {
		d.Dimensions = []metric.Dimension{
			{Name: "Host", Value: fmt.Sprintf("web-%d", i)},
			{Name: "AZ", Value: "eu-west-1a"},
			{Name: "Service", Value: "checkout"},
		}
		switch i % 3 {
		case 1:
			d.Value, d.Values, d.Counts = 0, []float64{1, 2, 3}, []float64{1, 1, 2}
		case 2:
			d.Value, d.StatisticValues = 0, &metric.StatisticSet{SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4}
			d.StorageResolution = 1
		}
	})
	if err := metric.ValidateData(okNamespace, data, validateNow); err != nil {
		t.Fatalf("ValidateData of the valid call: %v", err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		_ = metric.ValidateData(okNamespace, data, validateNow)
	})
	if allocs != 0 {
		t.Errorf("ValidateData of a valid 10-datum call allocates %v times per run, want 0", allocs)
	}
}
