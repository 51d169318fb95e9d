package replay_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
	"github.com/klaxon-go/klaxon/replay"
)

// The year: one metric, a datapoint a minute for 365 days (525,600), and
// 100 alarms on it. BenchmarkReplayYear replays it from a CSV file (read
// twice: checked, then streamed); -gen.year=DIR writes the same files for
// a run of the built command:
//
//	go test -run TestGenerateYear -gen.year=/tmp/year ./replay
//	go build -o /tmp/klaxon ./cmd/klaxon
//	/usr/bin/time -v /tmp/klaxon replay --alarms /tmp/year/alarms.json --metrics /tmp/year/year.csv --format json > /dev/null
var genYear = flag.String("gen.year", "", "write the year's alarms.json and year.csv into this directory")

var yearStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const yearMinutes = 365 * 24 * 60

// yearValue is the metric at minute i: a daily wave between 20 and 80, a
// spike to 99 every 997 minutes, and no data for the 20 minutes after
// every 10,007th.
func yearValue(i int) (float64, bool) {
	if i%10007 < 20 && i > 20 {
		return 0, false
	}
	if i%997 == 0 {
		return 99, true
	}
	return 50 + 30*math.Sin(2*math.Pi*float64(i)/1440), true
}

// yearAlarms are 100 alarms of the common shapes: Periods of 1 and 5
// minutes, N from 1 to 5, M up to N, the four missing-data policies, four
// statistics and a percentile every tenth alarm.
func yearAlarms() []alarm.Config {
	stats := []string{"Average", "Maximum", "Minimum", "Sum"}
	policies := []string{"missing", "breaching", "notBreaching", "ignore"}
	var out []alarm.Config
	for i := range 100 {
		n := 1 + i%5
		c := alarm.Config{
			AlarmName: fmt.Sprintf("cpu-%03d", i), Namespace: "App", MetricName: "CPU",
			Dimensions: []metric.Dimension{{Name: "Host", Value: "web-1"}},
			Period:     60 * (1 + 4*(i/50)), EvaluationPeriods: n, DatapointsToAlarm: 1 + i%n,
			Threshold: 75 + float64(i%20), ComparisonOperator: alarm.GreaterThanThreshold,
			TreatMissingData: policies[i%4],
			AlarmActions:     []string{"arn:aws:sns:us-east-1:123456789012:ops"},
		}
		if i%10 == 9 {
			c.ExtendedStatistic = "p90"
		} else {
			c.Statistic = stats[i%4]
		}
		out = append(out, c)
	}
	return out
}

func writeYear(t testing.TB, dir string) (alarmsPath, csvPath string) {
	alarmsPath, csvPath = filepath.Join(dir, "alarms.json"), filepath.Join(dir, "year.csv")
	b, err := json.MarshalIndent(yearAlarms(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alarmsPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("timestamp,value,namespace,metric_name,dimensions\n")
	var line []byte
	for i := range yearMinutes {
		v, ok := yearValue(i)
		if !ok {
			continue
		}
		line = strconv.AppendInt(line[:0], yearStart.Unix()+int64(i)*60, 10)
		line = append(line, ',')
		line = strconv.AppendFloat(line, v, 'f', 3, 64)
		line = append(line, ",App,CPU,Host=web-1\n"...)
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return alarmsPath, csvPath
}

func TestGenerateYear(t *testing.T) {
	if *genYear == "" {
		t.Skip("give -gen.year=DIR to write the year's files")
	}
	if err := os.MkdirAll(*genYear, 0o755); err != nil {
		t.Fatal(err)
	}
	a, c := writeYear(t, *genYear)
	t.Logf("wrote %s and %s", a, c)
}

// BenchmarkReplayYear: one op opens the year's CSV (the check reads it
// once) and replays it (reading it again) through the 100 alarms: 525,600
// evaluation times x 100 alarms.
func BenchmarkReplayYear(b *testing.B) {
	alarmsPath, csvPath := writeYear(b, b.TempDir())
	af, err := os.Open(alarmsPath)
	if err != nil {
		b.Fatal(err)
	}
	alarms, err := replay.ReadAlarms("alarms.json", af)
	af.Close()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(csvPath)
		if err != nil {
			b.Fatal(err)
		}
		m, err := replay.OpenMetrics("year.csv", f, replay.ReadOptions{Step: replay.Step(alarms)})
		if err != nil {
			b.Fatal(err)
		}
		res, err := replay.Run(ctx, alarms, []*replay.Metrics{m}, replay.Options{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Transitions)), "transitions")
	}
}
