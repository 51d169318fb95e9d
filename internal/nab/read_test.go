package nab_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/internal/nab"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		in      string
		want    nab.Series
		wantErr string
		why     string
	}{
		{
			in:   "timestamp,value\n2014-04-10 00:04:00,91.958\n2014-04-10 00:09:00,0\n",
			want: nab.Series{Timestamps: []time.Time{at("2014-04-10 00:04:00"), at("2014-04-10 00:09:00")}, Values: []float64{91.958, 0}},
			why:  "NAB's format",
		},
		{
			in:   "timestamp,value\n2014-03-09 03:00:00,42.0\n2014-03-09 03:00:00,103.2\n",
			want: nab.Series{Timestamps: []time.Time{at("2014-03-09 03:00:00"), at("2014-03-09 03:00:00")}, Values: []float64{42, 103.2}},
			why:  "repeated timestamps occur in two files (a daylight-saving change)",
		},
		{
			in:   "timestamp,value\n",
			want: nab.Series{},
			why:  "a header alone is an empty series",
		},
		{in: "", wantErr: `nab: csv: empty input: want the header "timestamp,value"`, why: "no header"},
		{in: "time,value\n", wantErr: `nab: csv: line 1: header "time","value": want "timestamp,value"`, why: "wrong header"},
		{in: "timestamp,value\n2014-04-10T00:04:00Z,1\n", wantErr: `nab: csv: line 2: timestamp "2014-04-10T00:04:00Z": want YYYY-MM-DD HH:MM:SS`, why: "RFC 3339 is not NAB's format"},
		{in: "timestamp,value\n2014-04-10 00:04:00,abc\n", wantErr: `nab: csv: line 2: value "abc": want a finite number`, why: "not a number"},
		{in: "timestamp,value\n2014-04-10 00:04:00,NaN\n", wantErr: `nab: csv: line 2: value "NaN": want a finite number`, why: "NaN is refused"},
		{in: "timestamp,value\n2014-04-10 00:04:00,1e999\n", wantErr: `nab: csv: line 2: value "1e999": want a finite number`, why: "overflow to infinity is refused"},
		{in: "timestamp,value\n2014-04-10 00:04:00,1\n2014-04-10 00:03:00,1\n", wantErr: "nab: csv: line 3: timestamp 2014-04-10 00:03:00 is before the previous row's 2014-04-10 00:04:00", why: "time goes backwards"},
		{in: "timestamp,value\n2014-04-10 00:04:00,1,2\n", wantErr: "nab: csv: record on line 2: wrong number of fields", why: "three fields"},
	}
	for _, tt := range tests {
		got, err := nab.ReadCSV(strings.NewReader(tt.in))
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ReadCSV(%q): error %v, want %q (%s)", tt.in, err, tt.wantErr, tt.why)
			}
			continue
		}
		if err != nil {
			t.Errorf("ReadCSV(%q): %v (%s)", tt.in, err, tt.why)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ReadCSV(%q) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

func TestReadWindows(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string][]nab.Window
		wantErr string
		why     string
	}{
		{
			in: `{"a/x.csv": [["2014-04-10 07:15:00.000000", "2014-04-11 16:45:00.000000"]], "a/y.csv": []}`,
			want: map[string][]nab.Window{
				"a/x.csv": {{Start: at("2014-04-10 07:15:00"), End: at("2014-04-11 16:45:00")}},
				"a/y.csv": {},
			},
			why: "NAB's format; a file may have no window",
		},
		{in: `{"a": [["2014-04-10 07:15:00.000000"]]}`, wantErr: "nab: windows: a: window 1 has 1 timestamps, want 2 (start, end)", why: "a pair is needed"},
		{in: `{"a": [["2014-04-10", "2014-04-11 16:45:00.000000"]]}`, wantErr: `nab: windows: a: window 1 start: timestamp "2014-04-10": want YYYY-MM-DD HH:MM:SS.ffffff`, why: "a date alone"},
		{in: `{"a": [["2014-04-12 00:00:00.000000", "2014-04-11 16:45:00.000000"]]}`, wantErr: "nab: windows: a: window 1 ends (2014-04-11 16:45:00.000000) before it starts (2014-04-12 00:00:00.000000)", why: "reversed"},
		{in: `{"a": [["2014-04-10 00:00:00", "2014-04-11 00:00:00"], ["2014-04-11 00:00:00", "2014-04-12 00:00:00"]]}`, wantErr: "nab: windows: a: window 2 starts (2014-04-11 00:00:00) before window 1 ends", why: "windows must not overlap"},
		{in: `{"a": [[1, 2]]}`, wantErr: "nab: windows: json: cannot unmarshal number into Go value of type string", why: "numbers are not timestamps"},
		{in: `{"a": []} {}`, wantErr: "nab: windows: unexpected data after the JSON object", why: "one object only"},
	}
	for _, tt := range tests {
		got, err := nab.ReadWindows(strings.NewReader(tt.in))
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ReadWindows(%s): error %v, want %q (%s)", tt.in, err, tt.wantErr, tt.why)
			}
			continue
		}
		if err != nil {
			t.Errorf("ReadWindows(%s): %v (%s)", tt.in, err, tt.why)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ReadWindows(%s) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

func TestReadLabels(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string][]time.Time
		wantErr string
		why     string
	}{
		{
			in:   `{"a/x.csv": ["2014-04-10 07:15:00.000000", "2014-04-11 00:00:00.000000"], "a/y.csv": []}`,
			want: map[string][]time.Time{"a/x.csv": {at("2014-04-10 07:15:00"), at("2014-04-11 00:00:00")}, "a/y.csv": {}},
			why:  "NAB's format",
		},
		{in: `{"a": ["2014-04-11 00:00:00.000000", "2014-04-10 00:00:00.000000"]}`, wantErr: "nab: labels: a: label 2 (2014-04-10 00:00:00.000000) is before label 1", why: "labels in time order"},
		{in: `{"a": ["yesterday"]}`, wantErr: `nab: labels: a: label 1: timestamp "yesterday": want YYYY-MM-DD HH:MM:SS.ffffff`, why: "not a timestamp"},
		{in: `["2014-04-10 07:15:00.000000"]`, wantErr: "nab: labels: json: cannot unmarshal array into Go value of type map[string][]string", why: "an object is needed"},
	}
	for _, tt := range tests {
		got, err := nab.ReadLabels(strings.NewReader(tt.in))
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ReadLabels(%s): error %v, want %q (%s)", tt.in, err, tt.wantErr, tt.why)
			}
			continue
		}
		if err != nil {
			t.Errorf("ReadLabels(%s): %v (%s)", tt.in, err, tt.why)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ReadLabels(%s) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

// FuzzReadCSV: no input panics, and what is accepted is a well-formed
// series that reads back the same once written out again.
func FuzzReadCSV(f *testing.F) {
	f.Add("timestamp,value\n2014-04-10 00:04:00,91.958\n2014-04-10 00:09:00,0\n")
	f.Add("timestamp,value\n2014-03-09 03:00:00,42.0\n2014-03-09 03:00:00,103.2\n")
	f.Add("timestamp,value\n\"2014-04-10 00:04:00\",-1e-300\n")
	f.Add("timestamp,value\n2014-04-10 00:04:00.5,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := nab.ReadCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		if len(s.Timestamps) != len(s.Values) {
			t.Fatalf("%d timestamps, %d values", len(s.Timestamps), len(s.Values))
		}
		var b bytes.Buffer
		b.WriteString("timestamp,value\n")
		for i, ts := range s.Timestamps {
			if i > 0 && ts.Before(s.Timestamps[i-1]) {
				t.Fatalf("row %d goes back in time", i)
			}
			if math.IsNaN(s.Values[i]) || math.IsInf(s.Values[i], 0) {
				t.Fatalf("row %d: value %v", i, s.Values[i])
			}
			b.WriteString(ts.Format("2006-01-02 15:04:05.999999999") + "," + formatFloat(s.Values[i]) + "\n")
		}
		again, err := nab.ReadCSV(&b)
		if err != nil {
			t.Fatalf("written series does not read back: %v\n%s", err, b.String())
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

func formatFloat(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// FuzzReadWindows: no input panics, and accepted windows are ordered,
// each ending at or after its start.
func FuzzReadWindows(f *testing.F) {
	f.Add(`{"a/x.csv": [["2014-04-10 07:15:00.000000", "2014-04-11 16:45:00.000000"]], "a/y.csv": []}`)
	f.Add(`{"a": [["2014-04-10 00:00:00", "2014-04-11 00:00:00"], ["2014-04-11 00:00:01", "2014-04-12 00:00:00"]]}`)
	f.Add(`{"a": null}`)
	f.Fuzz(func(t *testing.T, in string) {
		ws, err := nab.ReadWindows(strings.NewReader(in))
		if err != nil {
			return
		}
		for key, list := range ws {
			for i, w := range list {
				if w.End.Before(w.Start) || (i > 0 && !w.Start.After(list[i-1].End)) {
					t.Fatalf("%s: window %d (%v) accepted out of order", key, i, w)
				}
			}
		}
	})
}

// FuzzReadLabels: no input panics, and accepted labels are in time order.
func FuzzReadLabels(f *testing.F) {
	f.Add(`{"a/x.csv": ["2014-04-10 07:15:00.000000", "2014-04-11 00:00:00.000000"], "a/y.csv": []}`)
	f.Add(`{"a": ["2014-04-10 07:15:00"]}`)
	f.Fuzz(func(t *testing.T, in string) {
		ls, err := nab.ReadLabels(strings.NewReader(in))
		if err != nil {
			return
		}
		for key, list := range ls {
			for i := 1; i < len(list); i++ {
				if list[i].Before(list[i-1]) {
					t.Fatalf("%s: label %d accepted out of order", key, i)
				}
			}
		}
	})
}
