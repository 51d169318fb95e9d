package metric_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/metric"
)

// FuzzPrepare checks Prepare's contract on arbitrary datums: it accepts
// exactly what ValidateData accepts, with the same error, and what it
// accepts Apply aggregates under the datum's own metric.
func FuzzPrepare(f *testing.F) {
	f.Add("CPUUtilization", "InstanceId", "i-0123", "InstanceId", "", 50.0, int64(-30), 0)
	f.Add("Latenz-ü", "Host", "a", "Host", "Milliseconds", 1.0, int64(0), 1)
	f.Add(" ", ":x", "", "", "Furlongs", 1e300, int64(-15*24*3600), 60)
	f.Add("m", "a", "\x7f", "b", "None", math.Copysign(0, -1), int64(7201), 5)
	now := time.Date(2024, 5, 1, 12, 0, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, name, dim1, val, dim2, unit string, v float64, offset int64, res int) {
		ts := now.Add(time.Duration(offset%(30*24*3600)) * time.Second)
		dims := []metric.Dimension{{Name: dim1, Value: val}}
		if dim2 != "" {
			dims = append(dims, metric.Dimension{Name: dim2, Value: val})
		}
		data := []metric.Datum{
			{MetricName: name, Dimensions: dims, Timestamp: ts, Value: v, Unit: unit, StorageResolution: res},
			{MetricName: name, Dimensions: dims, Value: v, Unit: unit, StorageResolution: res},
		}
		want := metric.ValidateData("App", data, now)
		agg := metric.NewAggregator(30 * 24 * time.Hour)
		var b metric.Batch
		got := agg.Prepare(&b, "App", data, now)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Prepare = %v\nValidateData = %v", got, want)
		}
		agg.Apply(&b)
		if want != nil {
			return
		}
		count, _ := metric.ParseStatistic("SampleCount")
		w := agg.Watch(metric.Query{Namespace: "App", MetricName: name, Dimensions: dims, Stat: count, Period: 60 * 24 * time.Hour, Periods: 1})
		out := make([]metric.Period, 1)
		w.Read(now.Add(3*time.Hour), out)
		if out[0].SampleCount != 2 {
			t.Fatalf("the two accepted datums read back as %+v, want SampleCount 2", out[0])
		}
	})
}
