package klaxontest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/klaxontest"
)

// printT stands for a test's *testing.T in these examples: it prints what
// the test would report. In a test, pass the test's t.
type printT struct{ testing.TB }

func (printT) Helper() {}

func (printT) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

func (printT) Fatalf(format string, args ...any) {
	fmt.Printf(format+"\n", args...)
	panic("the test stops here")
}

// A p99 latency alarm, 3 of 5 minutes above 450 ms, on the data of an
// incident: five normal minutes of history before |, then the incident,
// minute by minute, with the minutes the service sent nothing as _.
func Example() {
	t := printT{} // in a test: the test's t
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "p99", Namespace: "Shop", MetricName: "Latency", ExtendedStatistic: "p99",
		Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 450,
		ComparisonOperator: alarm.GreaterThanThreshold})
	s.Series("p99", `
		200x5 |     # history: normal
		210 480 _   # 00:00 the deploy; 00:02 no data
		510 _ _ 530 # 00:06 the last slow minute
		210x4       # the rollback`)
	s.Run()
	s.ExpectStates("p99", "OK ALARM OK")
	s.ExpectTransitions(
		"00:01 p99 INSUFFICIENT_DATA -> OK",
		"00:07 p99 OK -> ALARM",
		"00:09 p99 ALARM -> OK",
	)
	s.NeverEntersAlarm() // reports the ALARM of 00:07
	// Output:
	// transitions to ALARM of p99 (-want +got):
	// + 00:07 p99 OK -> ALARM "Threshold Crossed: 3 out of the last 5 datapoints [530.0 (01/05/24 00:06:00), 510.0 (01/05/24 00:03:00), 480.0 (01/05/24 00:01:00)] were greater than the threshold (450.0) (minimum 3 datapoints for OK -> ALARM transition)."
}

// A failed expectation prints a -want +got timeline: here the test
// expected the alarm a minute early, and the got line's reason says why
// it came at 00:03: two breaching minutes were needed.
func ExampleScenario_ExpectTransitions() {
	t := printT{}
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "cpu", Namespace: "App", MetricName: "CPU", Statistic: "Maximum",
		Period: 60, EvaluationPeriods: 2, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold})
	s.Series("cpu", "50x2 | 50 95 96 40 41")
	s.Run()
	s.ExpectTransitions(
		"00:01 cpu INSUFFICIENT_DATA -> OK",
		"00:02 cpu OK -> ALARM",
		"00:04 cpu ALARM -> OK",
	)
	// Output:
	// transitions (-want +got):
	//   00:01 cpu INSUFFICIENT_DATA -> OK
	// - 00:02 cpu OK -> ALARM
	// + 00:03 cpu OK -> ALARM "Threshold Crossed: 2 datapoints [96.0 (01/05/24 00:02:00), 95.0 (01/05/24 00:01:00)] were greater than the threshold (90.0)."
	//   00:04 cpu ALARM -> OK
}

// A composite alarm pages when the service is slow and no deployment is
// running; its children get the series. ExpectActions checks the page.
func ExampleScenario_PutCompositeAlarm() {
	t := printT{}
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "slow", Namespace: "App", MetricName: "Latency", ExtendedStatistic: "p99",
		Period: 60, EvaluationPeriods: 1, Threshold: 250, ComparisonOperator: alarm.GreaterThanThreshold})
	s.PutMetricAlarm(alarm.Config{AlarmName: "deploying", Namespace: "App", MetricName: "Deploying", Statistic: "Maximum",
		Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: alarm.GreaterThanThreshold})
	s.PutCompositeAlarm(composite.Config{AlarmName: "page", AlarmRule: "ALARM(slow) AND NOT ALARM(deploying)",
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"}})
	s.Series("slow", "400 400 400 90")
	s.Series("deploying", "1 1 0 0")
	s.Run()
	s.ExpectActions("00:03 page ALARM arn:aws:sns:us-east-1:123456789012:pager")
	fmt.Print(s.Timeline())
	// Output:
	// 00:00 page INSUFFICIENT_DATA -> OK "arn:aws:cloudwatch:us-east-1:123456789012:alarm:page was created and its alarm rule evaluates to OK"
	// 00:01 slow INSUFFICIENT_DATA -> ALARM "Threshold Crossed: 1 datapoint [400.0 (01/05/24 00:00:00)] was greater than the threshold (250.0)."
	// 00:01 deploying INSUFFICIENT_DATA -> ALARM "Threshold Crossed: 1 datapoint [1.0 (01/05/24 00:00:00)] was greater than the threshold (0.0)."
	// 00:03 deploying ALARM -> OK "Threshold Crossed: 1 datapoint [0.0 (01/05/24 00:02:00)] was not greater than the threshold (0.0)."
	// 00:03 page OK -> ALARM "arn:aws:cloudwatch:us-east-1:123456789012:alarm:deploying transitioned to OK at Wednesday 01 May, 2024 00:03:00 UTC"
	// 00:04 slow ALARM -> OK "Threshold Crossed: 1 datapoint [90.0 (01/05/24 00:03:00)] was not greater than the threshold (250.0)."
	// 00:04 page ALARM -> OK "arn:aws:cloudwatch:us-east-1:123456789012:alarm:slow transitioned to OK at Wednesday 01 May, 2024 00:04:00 UTC"
}

// The alarms of a describe-alarms file and the data of a CSV: the
// README's replay, as a test. StartAt puts the clock where the data
// begins.
func ExampleScenario_SeriesFile() {
	t := printT{}
	s := klaxontest.New(t, klaxontest.StartAt(time.Date(2014, 2, 26, 18, 0, 0, 0, time.UTC)))
	s.AlarmsFile("../examples/testdata/alarms.json")
	s.SeriesFile("cpu-spike", "../examples/testdata/cpu.csv") // a CSV of timestamp,value feeds the alarm's metric
	s.Run()
	s.ExpectStatesAt("22:10 cpu-spike ALARM", "03:45 cpu-spike ALARM") // 03:45: the first after the start, the next day
	for _, line := range strings.Split(s.Timeline(), "\n") {
		if strings.Contains(line, "cpu-spike OK -> ALARM") {
			fmt.Println(line[:strings.Index(line, " \"")])
		}
	}
	// Output:
	// 22:06 cpu-spike OK -> ALARM
	// 03:41 cpu-spike OK -> ALARM
}
