package klaxontest_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/klaxontest"
	"github.com/klaxon-go/klaxon/replay"
)

// A value is the datapoint of its period: the evaluation at the period's
// end is the first to see it, and the reason stamps it with the period's
// start. With five-minute periods, the alarm changes only at those ends,
// though it is evaluated every minute.
func TestSeriesPeriods(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "errors", Namespace: "App", MetricName: "Errors", Statistic: "Sum",
		Period: 300, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: alarm.GreaterThanThreshold})
	s.Series("errors", "1 9 _ 2")
	s.Run()
	s.ExpectTransitions(
		`00:05 errors INSUFFICIENT_DATA -> OK "Threshold Crossed: 1 datapoint [1.0 (01/05/24 00:00:00)] was not greater than the threshold (5.0)."`,
		`00:10 errors OK -> ALARM "Threshold Crossed: 1 datapoint [9.0 (01/05/24 00:05:00)] was greater than the threshold (5.0)."`,
		// 00:15: the period without data leaves the state as it is
		// (TreatMissingData missing, a datapoint in the evaluation range).
		`00:20 errors ALARM -> OK "Threshold Crossed: 1 datapoint [2.0 (01/05/24 00:15:00)] was not greater than the threshold (5.0)."`,
	)
	if got, want := s.Clock().Now(), s.Start().Add(20*time.Minute); !got.Equal(want) {
		t.Errorf("Run stopped at %v, want %v: the end of the last period", got, want)
	}
}

// A high-resolution alarm's values are 10-second periods, sent as
// high-resolution data; the timeline shows the seconds.
func TestSeriesHighResolution(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "queue", Namespace: "App", MetricName: "Depth", Statistic: "Maximum",
		Period: 10, EvaluationPeriods: 1, Threshold: 100, ComparisonOperator: alarm.GreaterThanOrEqualToThreshold})
	s.Series("queue", "5 150 7")
	s.Run()
	s.ExpectTransitions("00:00:10 queue INSUFFICIENT_DATA -> OK", "00:00:20 queue OK -> ALARM", "00:00:30 queue ALARM -> OK")
}

// A series given after Run starts where Run stopped; Advance lets time
// pass after the data, where missing data decides.
func TestSeriesContinues(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "beat", Namespace: "App", MetricName: "Beat", Statistic: "Sum",
		Period: 60, EvaluationPeriods: 2, Threshold: 1, ComparisonOperator: alarm.LessThanThreshold,
		TreatMissingData: alarm.MissingDataBreaching})
	s.Series("beat", "1x2 | 1 1")
	s.Run()
	s.Series("beat", "0 1")
	s.Run()
	s.Advance(4 * time.Minute)
	// The first series ends at 00:02, where the second begins: 0 at
	// 00:02, 1 at 00:03. The 0 alone does not make 2 of 2. The silence
	// from 00:04 on counts as breaching only once the evaluation range
	// (4 periods) holds fewer than 2 datapoints: at 00:08.
	s.ExpectTransitions("00:01 beat INSUFFICIENT_DATA -> OK", "00:08 beat OK -> ALARM")
	s.ExpectStatesAt("00:03 beat OK", "00:07 beat OK", "00:08 beat ALARM")
	if got := s.StateAt("beat", s.Start()); got != alarm.StateInsufficientData {
		t.Errorf("StateAt(start) = %v, want INSUFFICIENT_DATA: a new alarm", got)
	}
}

// A composite and the actions of its transitions; the alarm names with a
// space are quoted in the lines.
func TestComposite(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "latency high", Namespace: "App", MetricName: "Latency", ExtendedStatistic: "p99",
		Period: 60, EvaluationPeriods: 1, Threshold: 250, ComparisonOperator: alarm.GreaterThanThreshold})
	s.PutMetricAlarm(alarm.Config{AlarmName: "deploying", Namespace: "App", MetricName: "Deploying", Statistic: "Maximum",
		Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: alarm.GreaterThanThreshold})
	s.PutCompositeAlarm(composite.Config{AlarmName: "page", AlarmRule: `ALARM("latency high") AND NOT ALARM(deploying)`,
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"}})
	s.Series("latency high", "400 400 90")
	s.Series("deploying", "1 0 0")
	s.Run()
	s.ExpectTransitions(
		`00:00 page INSUFFICIENT_DATA -> OK "arn:aws:cloudwatch:us-east-1:123456789012:alarm:page was created and its alarm rule evaluates to OK"`,
		`00:01 "latency high" INSUFFICIENT_DATA -> ALARM`,
		`00:01 deploying INSUFFICIENT_DATA -> ALARM`,
		`00:02 deploying ALARM -> OK`,
		`00:02 page OK -> ALARM "arn:aws:cloudwatch:us-east-1:123456789012:alarm:deploying transitioned to OK at Wednesday 01 May, 2024 00:02:00 UTC"`,
		`00:03 "latency high" ALARM -> OK`,
		`00:03 page ALARM -> OK`,
	)
	s.ExpectActions("00:02 page ALARM arn:aws:sns:us-east-1:123456789012:pager")
	// What the Scenario does not wrap goes through its engine.
	items, err := s.Engine().DescribeAlarmHistory(context.Background(), klaxon.HistoryFilter{AlarmName: "page",
		AlarmTypes: []string{klaxon.CompositeAlarmType}, HistoryItemType: klaxon.HistoryStateUpdate})
	if err != nil || len(items) != 3 {
		t.Errorf("the composite's StateUpdate items through Engine: %d, %v; want 3", len(items), err)
	}
}

// Options.Actions runs after the recording: a runner that fails makes
// the engine retry, on the scenario's clock, and each attempt is
// recorded.
func TestActionsRetried(t *testing.T) {
	t.Parallel()
	fail := klaxon.ActionRunnerFunc(func(ctx context.Context, a klaxon.Action) error { return errors.New("SNS is down") })
	s := klaxontest.New(t, klaxontest.EngineOptions(klaxon.Options{Actions: fail, ActionRetry: klaxon.RetryPolicy{Attempts: 3}}))
	s.PutMetricAlarm(alarm.Config{AlarmName: "cpu", Namespace: "App", MetricName: "CPU", Statistic: "Maximum",
		Period: 60, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold,
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"}})
	s.Series("cpu", "95")
	s.Run()
	s.Advance(time.Minute) // the retries' backoff: 1 s, then 2 s, plus jitter
	s.ExpectActions(
		"00:01 cpu ALARM arn:aws:sns:us-east-1:123456789012:pager",
		"00:01 cpu ALARM arn:aws:sns:us-east-1:123456789012:pager",
		"00:01 cpu ALARM arn:aws:sns:us-east-1:123456789012:pager",
	)
	keys := map[string]bool{}
	for _, a := range s.Actions() {
		keys[a.Key] = true
	}
	if len(keys) != 1 {
		t.Errorf("the attempts have %d idempotency keys, want 1: a retry keeps its key", len(keys))
	}
}

// The README's replay, as a scenario: the alarms and the CSV of
// examples/testdata give the transitions that replay.Run gives, and Run
// stops where the replay does, at the first evaluation that sees the last
// datapoint.
func TestFilesMatchReplay(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t, klaxontest.StartAt(time.Date(2014, 2, 26, 18, 0, 0, 0, time.UTC)))
	s.AlarmsFile("../examples/testdata/alarms.json")
	s.SeriesFile("cpu-spike", "../examples/testdata/cpu.csv")
	s.Run()
	got := s.Transitions()

	af, err := os.Open("../examples/testdata/alarms.json")
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	alarms, err := replay.ReadAlarms("alarms.json", af)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := replay.SingleMetric(alarms.Metric)
	mf, err := os.Open("../examples/testdata/cpu.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close()
	data, err := replay.OpenMetrics("cpu.csv", mf, replay.ReadOptions{Default: &ref})
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Run(context.Background(), alarms, []*replay.Metrics{data}, replay.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Until.Equal(s.Clock().Now()) {
		t.Errorf("Run stopped at %v, the replay at %v", s.Clock().Now(), res.Until)
	}
	type change struct {
		At       time.Time
		Alarm    string
		From, To alarm.State
		Reason   string
	}
	summary := func(ts []klaxon.Transition) (out []change) {
		for _, t := range ts {
			out = append(out, change{t.At, t.AlarmName, t.From, t.To, t.Reason})
		}
		return out
	}
	if len(got) < 10 {
		t.Errorf("the scenario has %d transitions; the data has more to show", len(got))
	}
	if diff := cmp.Diff(summary(res.Transitions), summary(got)); diff != "" {
		t.Errorf("transitions of the scenario against replay.Run's (-replay +scenario):\n%s", diff)
	}
}

// Timeline prints what the expectations print, with the reasons.
func TestTimeline(t *testing.T) {
	t.Parallel()
	s := cpu(t)
	s.Run()
	want := "00:01 cpu INSUFFICIENT_DATA -> OK " + okReason + "\n" +
		"00:03 cpu OK -> ALARM " + alarmReason + "\n" +
		"00:04 cpu ALARM -> OK " + backReason + "\n"
	if diff := cmp.Diff(want, s.Timeline()); diff != "" {
		t.Errorf("Timeline (-want +got):\n%s", diff)
	}
	// The lines paste back into ExpectTransitions.
	s.ExpectTransitions(
		"00:01 cpu INSUFFICIENT_DATA -> OK "+okReason,
		"00:03 cpu OK -> ALARM "+alarmReason,
		"00:04 cpu ALARM -> OK "+backReason,
	)
}

// Times a day or more after the start carry their date, and read back.
func TestTimelineDays(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t, klaxontest.StartAt(time.Date(2024, 5, 1, 23, 0, 0, 0, time.UTC)))
	s.PutMetricAlarm(alarm.Config{AlarmName: "daily", Namespace: "App", MetricName: "Orders", Statistic: "Sum",
		Period: 3600, EvaluationPeriods: 25, DatapointsToAlarm: 1, Threshold: 1000, ComparisonOperator: alarm.GreaterThanThreshold})
	s.Series("daily", "10x24 5000")
	s.Run()
	s.ExpectTransitions(
		"00:00 daily INSUFFICIENT_DATA -> OK", // the first hour's end: 15:04 is the first such time at or after the start, the next day here
		"2024-05-03T00:00 daily OK -> ALARM",  // 24 hours after the start and later, the date is written
	)
	if got, want := s.Clock().Now(), time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Run stopped at %v, want %v: the end of the 25th hour", got, want)
	}
}

// describe-alarms lists composites by name, so a composite may come
// before the composite it reads: AlarmsFile puts each after its children.
func TestAlarmsFileComposites(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t)
	s.AlarmsFile("testdata/composites.json")
	s.Series("cpu", "50 95 40")
	s.Run()
	s.ExpectTransitions(
		"00:00 b-hot INSUFFICIENT_DATA -> OK",
		"00:00 a-page INSUFFICIENT_DATA -> OK",
		"00:01 cpu INSUFFICIENT_DATA -> OK",
		"00:02 cpu OK -> ALARM",
		`00:02 b-hot OK -> ALARM "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu transitioned to ALARM at Wednesday 01 May, 2024 00:02:00 UTC"`,
		`00:02 a-page OK -> ALARM "arn:aws:cloudwatch:us-east-1:123456789012:alarm:b-hot transitioned to ALARM at Wednesday 01 May, 2024 00:02:00 UTC"`,
		"00:03 cpu ALARM -> OK",
		"00:03 b-hot ALARM -> OK",
		"00:03 a-page ALARM -> OK",
	)
	s.ExpectActions("00:02 a-page ALARM arn:aws:sns:us-east-1:123456789012:pager")
}

// An anomaly detection alarm's series feeds m1, the metric of its band.
// Its model learns each period as it is evaluated and gives no band for
// three hours; after that, a spike leaves the band.
func TestAnomalyBand(t *testing.T) {
	t.Parallel()
	yes := true
	s := klaxontest.New(t)
	s.PutMetricAlarm(alarm.Config{AlarmName: "latency band", EvaluationPeriods: 1,
		ComparisonOperator: alarm.LessThanLowerOrGreaterThanUpperThreshold, ThresholdMetricId: "ad1",
		Metrics: []alarm.MetricDataQuery{
			{Id: "m1", ReturnData: &yes, MetricStat: &alarm.MetricStat{
				Metric: alarm.MetricRef{Namespace: "App", MetricName: "Latency"}, Period: 300, Stat: "Average"}},
			{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", ReturnData: &yes},
		}})
	s.Series("latency band", `
		100 101 99 100 102 98 100x60 # 5.5 hours of five-minute periods: the model trains
		500                          # 05:30 a spike
		100x5`)
	s.Run()
	s.ExpectTransitions(
		`03:10 "latency band" INSUFFICIENT_DATA -> OK`, // the first period with a band
		`05:35 "latency band" OK -> ALARM`,
		`05:40 "latency band" ALARM -> OK`,
	)
}

// EngineOptions makes the scenario's engine in the Region and account of
// a file's alarms, whose actions the engine then accepts.
func TestEngineOptionsRegion(t *testing.T) {
	t.Parallel()
	s := klaxontest.New(t, klaxontest.EngineOptions(klaxon.Options{Region: "eu-west-1", AccountID: "210987654321"}))
	s.AlarmsFile("testdata/eu-west-1.json")
	s.Series("cpu", "50 95")
	s.Run()
	s.ExpectActions("00:02 cpu ALARM arn:aws:sns:eu-west-1:210987654321:pager")
	if arn := s.Transitions()[0].AlarmArn; arn != "arn:aws:cloudwatch:eu-west-1:210987654321:alarm:cpu" {
		t.Errorf("AlarmArn = %s, want the file's", arn)
	}
}
