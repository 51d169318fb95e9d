package replay

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The fuzz targets fail on a panic, on an error without the "replay: <file>"
// prefix, and on a broken invariant of a successful read.

func FuzzReadAlarms(f *testing.F) {
	for _, name := range []string{"describe-alarms.json", "put-metric-alarm.json", "alarms-array.json"} {
		f.Add(readTestdata(f, name))
	}
	for _, tt := range alarmErrorTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkParser(t, in)
		got, err := ReadAlarms("alarms.json", bytes.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "replay: alarms.json") {
				t.Fatalf("error without the file prefix: %v", err)
			}
			return
		}
		if len(got.Metric)+len(got.Composite) == 0 {
			t.Fatal("no error, and no alarms")
		}
		for _, c := range got.Composite {
			if _, err := json.Marshal(c); err != nil {
				t.Fatalf("composite %+v does not marshal: %v", c, err)
			}
		}
	})
}

// checkParser compares the JSON parser with encoding/json: both accept the
// same documents (but for the parser's stricter rules: UTF-8 and a nesting
// limit), and give the same values (the last of duplicate keys winning, as
// in encoding/json).
func checkParser(t *testing.T, in []byte) {
	v, err := parseJSONFile("f.json", in)
	body := bytes.TrimPrefix(in, []byte("\uFEFF"))
	valid := json.Valid(body)
	switch {
	case err == nil && !valid:
		t.Fatalf("parser accepts what encoding/json rejects")
	case err != nil && valid && utf8.Valid(body) && len(bytes.TrimSpace(body)) > 0 &&
		!strings.Contains(err.Error(), "nested more than"):
		t.Fatalf("parser rejects what encoding/json accepts: %v", err)
	case err != nil:
		if !strings.HasPrefix(err.Error(), "replay: f.json") {
			t.Fatalf("error without the file prefix: %v", err)
		}
		return
	}
	var want any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	if diff := cmp.Diff(want, toAny(v)); diff != "" {
		t.Fatalf("parsed value differs from encoding/json's (-want +got):\n%s", diff)
	}
	if v.start < 0 || v.end > len(in) || v.start > v.end || !json.Valid(in[v.start:v.end]) {
		t.Fatalf("root value's span [%d,%d) is not the value", v.start, v.end)
	}
}

func toAny(v *jval) any {
	switch v.kind {
	case jNull:
		return nil
	case jBool:
		return v.b
	case jNum:
		return json.Number(v.text)
	case jStr:
		return v.text
	case jArr:
		a := []any{}
		for _, e := range v.elems {
			a = append(a, toAny(e))
		}
		return a
	}
	m := map[string]any{}
	for i, k := range v.keys {
		m[k] = toAny(v.elems[i])
	}
	return m
}

func FuzzReadMetricsJSON(f *testing.F) {
	for _, name := range []string{"metrics.json", "metrics-array.json"} {
		f.Add(readTestdata(f, name))
	}
	for _, tt := range metricsJSONErrorTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := readMetrics("m.json", bytes.NewReader(in), nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "replay: m.json") {
				t.Fatalf("error without the file prefix: %v", err)
			}
			return
		}
		checkBatches(t, got, false)
	})
}

func FuzzReadMetricsCSV(f *testing.F) {
	for _, name := range []string{"metrics.csv", "nab.csv"} {
		f.Add(readTestdata(f, name))
	}
	for _, tt := range csvErrorTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, def := range []*MetricRef{nil, nabCPU} {
			got, err := readMetrics("m.csv", bytes.NewReader(in), def)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "replay: m.csv") {
					t.Fatalf("error without the file prefix: %v", err)
				}
				continue
			}
			checkBatches(t, got, true)
		}
	})
}

// checkBatches checks the invariants of a successful read: data, every
// batch with a namespace, every datum with a metric name and a UTC
// timestamp; for CSV, at most MaxCSVBatch datums a batch, a timestamp and
// a finite value on every datum.
func checkBatches(t *testing.T, got []Batch, csv bool) {
	n := 0
	for i, b := range got {
		n += len(b.MetricData)
		if b.Namespace == "" {
			t.Fatalf("batch %d has no namespace", i)
		}
		if csv && (len(b.MetricData) == 0) {
			t.Fatalf("batch %d has %d datums", i, len(b.MetricData))
		}
		for j, d := range b.MetricData {
			switch {
			case d.MetricName == "":
				t.Fatalf("batch %d datum %d has no MetricName", i, j)
			case !d.Timestamp.IsZero() && d.Timestamp.Location() != time.UTC:
				t.Fatalf("batch %d datum %d: timestamp %v is not in UTC", i, j, d.Timestamp)
			case csv && d.Timestamp.IsZero():
				t.Fatalf("batch %d datum %d has no timestamp", i, j)
			case csv && (math.IsNaN(d.Value) || math.IsInf(d.Value, 0)):
				t.Fatalf("batch %d datum %d has value %v", i, j, d.Value)
			}
		}
	}
	if n == 0 {
		t.Fatal("no error, and no datapoints")
	}
}
