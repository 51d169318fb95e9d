package replay

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

var (
	cpuRef  = MetricRef{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-1"}}}
	cpuMath = alarm.Config{AlarmName: "math", EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: alarm.GreaterThanThreshold,
		Metrics: []alarm.MetricDataQuery{{Id: "cpu", MetricStat: &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "AWS/EC2", MetricName: "CPUUtilization",
			Dimensions: cpuRef.Dimensions}, Period: 300, Stat: "Average"}}}}
)

const getMetricDataOut = `{
    "MetricDataResults": [
        {
            "Id": "cpu",
            "Label": "CPUUtilization",
            "Timestamps": ["2024-05-01T12:10:00+00:00", "2024-05-01T12:05:00+00:00"],
            "Values": [2.5, 1.5],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}`

const getMetricStatisticsOut = `{
    "Label": "CPUUtilization",
    "Datapoints": [
        {"Timestamp": "2024-05-01T12:10:00+00:00", "SampleCount": 5.0, "Sum": 10.0, "Minimum": 1.0, "Maximum": 3.0, "Unit": "Percent"},
        {"Timestamp": "2024-05-01T12:05:00+00:00", "Average": 1.5, "Unit": "Percent"}
    ]
}`

func TestReadAPIOutput(t *testing.T) {
	at := func(s string) time.Time { return mustUTC(s) }
	cpu := func(ts string, v float64) metric.Datum {
		return metric.Datum{MetricName: "CPUUtilization", Dimensions: cpuRef.Dimensions, Timestamp: at(ts), Value: v}
	}
	gmdMap := &MetricMap{ByID: map[string]MetricRef{"cpu": cpuRef}}
	tests := []struct {
		name string
		in   string
		opts ReadOptions
		want []Batch
		why  string
	}{
		{"get-metric-data by --metric-map", getMetricDataOut, ReadOptions{Map: gmdMap},
			[]Batch{{Namespace: "AWS/EC2", MetricData: []metric.Datum{cpu("2024-05-01T12:05:00Z", 1.5), cpu("2024-05-01T12:10:00Z", 2.5)}}},
			"the query input ties Id cpu to its metric; the newest-first timestamps are sorted"},
		{"get-metric-data by an alarm's query Id", getMetricDataOut, ReadOptions{Alarms: []alarm.Config{cpuMath}},
			[]Batch{{Namespace: "AWS/EC2", MetricData: []metric.Datum{cpu("2024-05-01T12:05:00Z", 1.5), cpu("2024-05-01T12:10:00Z", 2.5)}}},
			"a metric-math alarm's query of the same Id names the metric"},
		{"get-metric-data by label", strings.Replace(getMetricDataOut, `"cpu"`, `"m1"`, 1), ReadOptions{Alarms: []alarm.Config{lintAlarm(func(c *alarm.Config) {
			c.Namespace, c.MetricName, c.Dimensions = "AWS/EC2", "CPUUtilization", cpuRef.Dimensions
		})}},
			[]Batch{{Namespace: "AWS/EC2", MetricData: []metric.Datum{cpu("2024-05-01T12:05:00Z", 1.5), cpu("2024-05-01T12:10:00Z", 2.5)}}},
			"the default label is the metric name, which one alarm metric has"},
		{"get-metric-statistics", getMetricStatisticsOut, ReadOptions{Default: &cpuRef},
			[]Batch{{Namespace: "AWS/EC2", MetricData: []metric.Datum{
				{MetricName: "CPUUtilization", Dimensions: cpuRef.Dimensions, Timestamp: at("2024-05-01T12:05:00Z"), Value: 1.5, Unit: "Percent"},
				{MetricName: "CPUUtilization", Dimensions: cpuRef.Dimensions, Timestamp: at("2024-05-01T12:10:00Z"), Unit: "Percent",
					StatisticValues: &metric.StatisticSet{SampleCount: 5, Sum: 10, Minimum: 1, Maximum: 3}},
			}}},
			"a datapoint with the four statistics is a statistic set; one with Average alone one sample"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMetricsOpts("data.json", strings.NewReader(tt.in), tt.opts)
			if err != nil {
				t.Fatalf("%v (%s)", err, tt.why)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

func TestReadPutMetricDataCurrentShape(t *testing.T) {
	in := `{
  "MetricData": [{"MetricName": "M", "Timestamp": "2024-05-01T12:00:00Z", "Value": 1}],
  "Namespace": "N",
  "EntityMetricData": [{"Entity": {"KeyAttributes": {"Type": "Service", "Name": "api"}, "Attributes": {}},
                        "MetricData": [{"MetricName": "M", "Timestamp": "2024-05-01T12:00:30Z", "Value": 2}]}],
  "StrictEntityValidation": false
}`
	m, err := OpenMetrics("e.json", strings.NewReader(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantNotes := []string{
		"EntityMetricData: each Entity is ignored (Klaxon keeps no entities); its MetricData are read as MetricData",
		"StrictEntityValidation is ignored (Klaxon keeps no entities)",
	}
	if diff := cmp.Diff(wantNotes, m.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s\nwhy: each ignored field is said once", diff)
	}
	got, err := readMetrics("e.json", strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Batch{{Namespace: "N", MetricData: []metric.Datum{
		{MetricName: "M", Timestamp: mustUTC("2024-05-01T12:00:00Z"), Value: 1},
		{MetricName: "M", Timestamp: mustUTC("2024-05-01T12:00:30Z"), Value: 2},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s\nwhy: a Namespace after MetricData still names it; EntityMetricData's datums are read", diff)
	}
}

// TestErrorPlaces: one row per kind of error of the new readers, each with
// its place.
func TestErrorPlaces(t *testing.T) {
	tests := []struct {
		name, file, in string
		opts           ReadOptions
		want           string
		why            string
	}{
		{"gmd: no metric", "d.json", getMetricDataOut, ReadOptions{},
			`replay: d.json:3:9: MetricDataResults[0]: no metric for the result (Id "cpu", Label "CPUUtilization"): give --metric-map the get-metric-data input whose MetricDataQueries tie each Id to its metric`,
			"nothing ties the result to a metric"},
		{"gmd: lengths", "d.json", strings.Replace(getMetricDataOut, "[2.5, 1.5]", "[2.5]", 1), ReadOptions{Default: &cpuRef},
			`replay: d.json:3:9: MetricDataResults[0]: 2 Timestamps but 1 Values: each timestamp needs its value`,
			"Timestamps and Values are parallel"},
		{"gmd: unknown key", "d.json", strings.Replace(getMetricDataOut, `"StatusCode"`, `"Status"`, 1), ReadOptions{Default: &cpuRef},
			`replay: d.json:8:23: MetricDataResults[0].Status: unknown field "Status" (did you mean "StatusCode"?)`,
			"the output is decoded strictly, with the nearest key"},
		{"gms: no metric", "s.json", getMetricStatisticsOut, ReadOptions{},
			`replay: s.json:2:14: Label: no metric for the label "CPUUtilization": give --metric-map the get-metric-statistics input (Namespace, MetricName, Dimensions)`,
			"a label alone names no namespace"},
		{"gms: bad timestamp", "s.json", strings.Replace(getMetricStatisticsOut, "2024-05-01T12:05:00+00:00", "noon", 1), ReadOptions{Default: &cpuRef},
			`replay: s.json:5:23: Datapoints[1].Timestamp: "noon" is not a time; ` + timeRuleText,
			"the place of the bad value"},
		{"pmd: datum rule", "p.json", `{"Namespace":"N","MetricData":[{"MetricName":"M","Timestamp":0,"Value":1,"StorageResolution":5}]}`, ReadOptions{},
			`replay: p.json:1:32: metric: InvalidParameterValue: The value 5 for parameter StorageResolution is invalid: it must be 1 or 60.`,
			"PutMetricData's own rules, at the datum's line:column"},
		{"pmd: many problems", "p.json", `{"Namespace":"N","MetricData":[` + strings.Repeat(`{"MetricName":"M","Valu":1},`, 25) + `{"MetricName":"M","Valu":1}]}`, ReadOptions{},
			"", "every problem is listed up to 20, then counted"},
		{"pmd: syntax mid-stream", "p.json", "[{\"Namespace\":\"N\",\"MetricData\":[\n{\"MetricName\":\"M\",\"Timestamp\":0,\"Value\":1},\n{\"MetricName\":\"M\" \"Value\":1}]}]", ReadOptions{},
			`replay: p.json:3:19: unexpected '"' after an object member, want ',' or '}'`,
			"a syntax error inside a captured datum gives the file's line:column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readMetricsOpts(tt.file, strings.NewReader(tt.in), tt.opts)
			if err == nil {
				t.Fatalf("no error, want %q (%s)", tt.want, tt.why)
			}
			if tt.name == "pmd: many problems" {
				lines := strings.Split(err.Error(), "\n")
				if len(lines) != MaxProblems+1 || lines[MaxProblems] != "replay: p.json: and 6 more problems" ||
					lines[0] != `replay: p.json:1:57: MetricData[0].Valu: unknown field "Valu" (did you mean "Value"?)` {
					t.Errorf("got %d lines, first %q, last %q: want %d problems, then \"and 6 more problems\" (%s)", len(lines), lines[0], lines[len(lines)-1], MaxProblems, tt.why)
				}
				return
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

func TestReadMetricMap(t *testing.T) {
	mm, err := ReadMetricMap("q.json", strings.NewReader(`{"MetricDataQueries":[{"Id":"cpu","MetricStat":{"Metric":{"Namespace":"AWS/EC2","MetricName":"CPUUtilization",
		"Dimensions":[{"Name":"InstanceId","Value":"i-1"}]},"Period":300,"Stat":"Average"}},{"Id":"e","Expression":"cpu*2"}],
		"StartTime":"2024-05-01T00:00:00Z","EndTime":"2024-05-02T00:00:00Z","ScanBy":"TimestampAscending"}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]MetricRef{"cpu": cpuRef}, mm.ByID); diff != "" {
		t.Errorf("ByID (-want +got):\n%s\nwhy: MetricStat queries map their Id; expressions have no metric", diff)
	}
	_, err = ReadMetricMap("q.json", strings.NewReader(`{"Queries":[]}`))
	want := `replay: q.json:1:1: want the input of get-metric-data (an object with MetricDataQueries) or of get-metric-statistics (an object with Namespace and MetricName)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// TestDefaultRange: From and Until default to the first evaluation that
// sees the first and the last datapoint: the end of its slot (its minute,
// or its 10 seconds at StorageResolution 1), rounded up to the step.
func TestDefaultRange(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	std := lintAlarm(func(c *alarm.Config) { c.Period = 60 })
	hi := lintAlarm(func(c *alarm.Config) { c.AlarmName, c.Period = "hi", 10 })
	tests := []struct {
		name        string
		alarms      []alarm.Config
		first, last metric.Datum
		from, until time.Time
		why         string
	}{
		{"standard, on the minute", []alarm.Config{std}, metric.Datum{Timestamp: t0}, metric.Datum{Timestamp: t0.Add(time.Hour)},
			t0.Add(time.Minute), t0.Add(time.Hour + time.Minute), "a datapoint at 12:00:00 is in [12:00, 12:01), which the evaluation at 12:01 reads first"},
		{"standard, mid-minute", []alarm.Config{std}, metric.Datum{Timestamp: t0.Add(30 * time.Second)}, metric.Datum{Timestamp: t0.Add(time.Hour + 59*time.Second)},
			t0.Add(time.Minute), t0.Add(time.Hour + time.Minute), "12:00:30 is in the same minute as 12:00:00"},
		{"high-resolution data, minute step", []alarm.Config{std}, metric.Datum{Timestamp: t0.Add(5 * time.Second), StorageResolution: 1}, metric.Datum{Timestamp: t0.Add(time.Hour + 5*time.Second), StorageResolution: 1},
			t0.Add(time.Minute), t0.Add(time.Hour + time.Minute), "its slot [12:00:00, 12:00:10) ends at 12:00:10; evaluations come every minute"},
		{"high-resolution data and alarm", []alarm.Config{std, hi}, metric.Datum{Timestamp: t0.Add(5 * time.Second), StorageResolution: 1}, metric.Datum{Timestamp: t0.Add(time.Hour + 5*time.Second), StorageResolution: 1},
			t0.Add(10 * time.Second), t0.Add(time.Hour + 10*time.Second), "a 10-second alarm makes the step 10 seconds"},
		{"standard data, 10-second step", []alarm.Config{std, hi}, metric.Datum{Timestamp: t0.Add(5 * time.Second)}, metric.Datum{Timestamp: t0.Add(time.Hour + 5*time.Second)},
			t0.Add(time.Minute), t0.Add(time.Hour + time.Minute), "standard data is stamped to its minute, whatever the step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, d := range []*metric.Datum{&tt.first, &tt.last} {
				d.MetricName, d.Dimensions, d.Value = "CPU", std.Dimensions, 1
			}
			m, err := NewMetrics("m", []Batch{{Namespace: "App", MetricData: []metric.Datum{tt.first, tt.last}}})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(t.Context(), Alarms{Metric: tt.alarms}, []*Metrics{m}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]time.Time{tt.from, tt.until}, []time.Time{res.From, res.Until}); diff != "" {
				t.Errorf("From, Until (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}
