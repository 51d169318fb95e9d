package nab

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Layouts of NAB's timestamps: data files write "2014-04-10 07:15:00" and
// label files "2014-04-10 07:15:00.000000". Both are naive; they are read
// as UTC.
const (
	csvLayout    = "2006-01-02 15:04:05"
	windowLayout = "2006-01-02 15:04:05.000000"
)

// A Series is the content of a NAB data file: one timestamp and one value
// per row, in file order.
type Series struct {
	Timestamps []time.Time
	Values     []float64
}

// ReadCSV reads a NAB data file: the header "timestamp,value", then one row
// per line with a timestamp "YYYY-MM-DD HH:MM:SS" (read as UTC) and a
// finite number. Timestamps may repeat but must not go backwards. Errors
// name the line.
func ReadCSV(r io.Reader) (Series, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return Series{}, errors.New("nab: csv: empty input: want the header \"timestamp,value\"")
		}
		return Series{}, fmt.Errorf("nab: csv: %w", err)
	}
	if head[0] != "timestamp" || head[1] != "value" {
		return Series{}, fmt.Errorf("nab: csv: line 1: header %q,%q: want \"timestamp,value\"", head[0], head[1])
	}
	var s Series
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return Series{}, fmt.Errorf("nab: csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		t, err := time.Parse(csvLayout, rec[0])
		if err != nil {
			return Series{}, fmt.Errorf("nab: csv: line %d: timestamp %q: want YYYY-MM-DD HH:MM:SS", line, rec[0])
		}
		v, err := strconv.ParseFloat(rec[1], 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return Series{}, fmt.Errorf("nab: csv: line %d: value %q: want a finite number", line, rec[1])
		}
		if n := len(s.Timestamps); n > 0 && t.Before(s.Timestamps[n-1]) {
			return Series{}, fmt.Errorf("nab: csv: line %d: timestamp %s is before the previous row's %s", line, rec[0], s.Timestamps[n-1].Format(csvLayout))
		}
		s.Timestamps = append(s.Timestamps, t)
		s.Values = append(s.Values, v)
	}
}

// ReadWindows reads NAB's combined_windows.json: an object mapping a file's
// key ("realAWSCloudwatch/grok_asg_anomaly.csv") to its windows, each a
// pair [start, end] of timestamps "YYYY-MM-DD HH:MM:SS.ffffff" (read as
// UTC). A file's windows must be in time order and must not overlap; each
// must end at or after its start.
func ReadWindows(r io.Reader) (map[string][]Window, error) {
	var raw map[string][][]string
	if err := decodeJSON(r, &raw, "windows"); err != nil {
		return nil, err
	}
	out := make(map[string][]Window, len(raw))
	for key, pairs := range raw {
		ws := make([]Window, 0, len(pairs))
		for i, p := range pairs {
			if len(p) != 2 {
				return nil, fmt.Errorf("nab: windows: %s: window %d has %d timestamps, want 2 (start, end)", key, i+1, len(p))
			}
			start, err := parseLabelTime(p[0])
			if err != nil {
				return nil, fmt.Errorf("nab: windows: %s: window %d start: %w", key, i+1, err)
			}
			end, err := parseLabelTime(p[1])
			if err != nil {
				return nil, fmt.Errorf("nab: windows: %s: window %d end: %w", key, i+1, err)
			}
			if end.Before(start) {
				return nil, fmt.Errorf("nab: windows: %s: window %d ends (%s) before it starts (%s)", key, i+1, p[1], p[0])
			}
			if i > 0 && !start.After(ws[i-1].End) {
				return nil, fmt.Errorf("nab: windows: %s: window %d starts (%s) before window %d ends", key, i+1, p[0], i)
			}
			ws = append(ws, Window{Start: start, End: end})
		}
		out[key] = ws
	}
	return out, nil
}

// ReadLabels reads NAB's combined_labels.json: an object mapping a file's
// key to its anomaly timestamps ("YYYY-MM-DD HH:MM:SS.ffffff", read as
// UTC), in time order.
func ReadLabels(r io.Reader) (map[string][]time.Time, error) {
	var raw map[string][]string
	if err := decodeJSON(r, &raw, "labels"); err != nil {
		return nil, err
	}
	out := make(map[string][]time.Time, len(raw))
	for key, stamps := range raw {
		ts := make([]time.Time, 0, len(stamps))
		for i, s := range stamps {
			t, err := parseLabelTime(s)
			if err != nil {
				return nil, fmt.Errorf("nab: labels: %s: label %d: %w", key, i+1, err)
			}
			if i > 0 && t.Before(ts[i-1]) {
				return nil, fmt.Errorf("nab: labels: %s: label %d (%s) is before label %d", key, i+1, s, i)
			}
			ts = append(ts, t)
		}
		out[key] = ts
	}
	return out, nil
}

func decodeJSON(r io.Reader, v any, what string) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("nab: %s: %w", what, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("nab: %s: unexpected data after the JSON object", what)
	}
	return nil
}

// parseLabelTime parses a label file's timestamp. The fraction is optional,
// as time.Parse allows, but the rest must be exact.
func parseLabelTime(s string) (time.Time, error) {
	t, err := time.Parse(csvLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("timestamp %q: want YYYY-MM-DD HH:MM:SS.ffffff", s)
	}
	return t, nil
}

// DataDir returns the benchmark's data folder, ../shared/data/nab beside
// the module whose go.mod is at or above the working directory (a test's
// package folder). When the data is absent the error matches
// os.ErrNotExist, and tests skip.
func DataDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("nab: no go.mod at or above the working directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data", "nab")
	if _, err := os.Stat(filepath.Join(data, "labels", "combined_windows.json")); err != nil {
		return data, fmt.Errorf("nab: the data is not at %s (../shared/data/nab beside the module): %w", data, err)
	}
	return data, nil
}
