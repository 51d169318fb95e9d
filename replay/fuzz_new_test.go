package replay

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
)

// Fuzz targets of the readers added for API output and the metric map:
// they fail on a panic, on an error without the "replay: <file>" prefix,
// and on a successful read that breaks the invariants of checkBatches.

func FuzzReadGetMetricData(f *testing.F) {
	f.Add([]byte(getMetricDataOut))
	f.Add([]byte(strings.Replace(getMetricDataOut, "[2.5, 1.5]", "[2.5]", 1)))
	f.Add([]byte(`{"MetricDataResults":[],"Messages":[{"Code":"x","Value":"y"}],"NextToken":"t"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, opts := range []ReadOptions{{Default: &cpuRef}, {Alarms: []alarm.Config{cpuMath}}} {
			got, err := readMetricsOpts("d.json", bytes.NewReader(in), opts)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "replay: d.json") {
					t.Fatalf("error without the file prefix: %v", err)
				}
				continue
			}
			checkBatches(t, got, false)
		}
	})
}

func FuzzReadGetMetricStatistics(f *testing.F) {
	f.Add([]byte(getMetricStatisticsOut))
	f.Add([]byte(`{"Label":"CPUUtilization","Datapoints":[{"Timestamp":0,"Maximum":1,"ExtendedStatistics":{"p99":2}}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := readMetricsOpts("s.json", bytes.NewReader(in), ReadOptions{Default: &cpuRef})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "replay: s.json") {
				t.Fatalf("error without the file prefix: %v", err)
			}
			return
		}
		checkBatches(t, got, false)
	})
}

func FuzzReadMetricMap(f *testing.F) {
	f.Add([]byte(`{"MetricDataQueries":[{"Id":"cpu","MetricStat":{"Metric":{"Namespace":"N","MetricName":"M"},"Period":60,"Stat":"Average"}}]}`))
	f.Add([]byte(`{"Namespace":"N","MetricName":"M","Dimensions":[{"Name":"a","Value":"b"}],"Period":60,"Statistics":["Average"]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		mm, err := ReadMetricMap("q.json", bytes.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "replay: q.json") {
				t.Fatalf("error without the file prefix: %v", err)
			}
			return
		}
		if mm.ByID == nil {
			t.Fatal("ByID is nil")
		}
	})
}

// FuzzStreamVsWhole: the streaming put-metric-data reader reads the same
// datums, with the same problems, whatever sizes its reads return (here
// all at once, and one byte at a time): the capture of each value must
// not depend on buffering.
func FuzzStreamVsWhole(f *testing.F) {
	f.Add([]byte(`{"Namespace":"N","MetricData":[{"MetricName":"M","Timestamp":0,"Value":1},{"MetricName":"M","Timestamp":"1970-01-01 00:01:00","Values":[1,2],"Counts":[1,1]}]}`))
	f.Add([]byte("[{\"MetricData\":[{\"MetricName\":\"M\\u00e9\",\"Timestamp\":60,\"Value\":-1e3}],\"Namespace\":\"N\"}]"))
	read := func(r io.Reader) ([]point, string) {
		ps := &problems{file: "m.json"}
		var pts []point
		putMetricDataReader("m.json", &Metrics{})(r, ps, func(p *point) bool {
			pts = append(pts, *p)
			return true
		})
		return pts, fmt.Sprint(ps.err())
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		whole, errW := read(bytes.NewReader(in))
		bytewise, errB := read(oneByte{bytes.NewReader(in)})
		if errW != errB {
			t.Fatalf("problems differ:\n%s\n%s", errW, errB)
		}
		if diff := cmp.Diff(whole, bytewise, cmp.AllowUnexported(point{})); diff != "" {
			t.Fatalf("points differ (-whole +bytewise):\n%s", diff)
		}
	})
}

// oneByte reads one byte at a time.
type oneByte struct{ r *bytes.Reader }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}
