package klaxon_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/anomaly"
	"github.com/klaxon-go/klaxon/metric"
)

// latencyBand is an anomaly detection alarm in CloudWatch's shape: the
// metric as m1, its band as ad1, both returning data.
func latencyBand(expr string) alarm.Config {
	yes := true
	return alarm.Config{
		AlarmName: "latency-band", EvaluationPeriods: 1, DatapointsToAlarm: 1,
		ComparisonOperator: alarm.LessThanLowerOrGreaterThanUpperThreshold, ThresholdMetricId: "ad1",
		TreatMissingData: alarm.MissingDataMissing,
		AlarmActions:     []string{"arn:aws:sns:us-east-1:123456789012:pager"},
		Metrics: []alarm.MetricDataQuery{
			{Id: "m1", ReturnData: &yes, MetricStat: &alarm.MetricStat{
				Metric: alarm.MetricRef{Namespace: "App", MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}},
				Period: 300, Stat: "Average"}},
			{Id: "ad1", ReturnData: &yes, Expression: expr, Label: "Latency (expected)"},
		},
	}
}

// daily is a metric with a daily cycle and a little noise.
func daily(t time.Time, rng *rand.Rand) float64 {
	tod := float64(t.Unix()%86400) / 86400
	return 100 + 30*math.Sin(2*math.Pi*tod) + rng.NormFloat64()*2
}

func putLatency(t testing.TB, e *klaxon.Engine, at time.Time, v float64) {
	t.Helper()
	err := e.PutMetricData(context.Background(), "App", []metric.Datum{{
		MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}, Timestamp: at, Value: v}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAnomalyAlarm runs an anomaly detection alarm over three days of a
// daily cycle, then a spike: the alarm waits in INSUFFICIENT_DATA while
// its model trains, is OK once it has a band, and goes to ALARM on the
// spike with CloudWatch's band reason and reason data; its detector shows
// in DescribeAnomalyDetectors. The spike, sent at 00:01, is in the model
// period from 00:00, which the evaluation at 00:05 reads first.
func TestAnomalyAlarm(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	clk.Set(start)
	e, err := klaxon.New(klaxon.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.PutMetricAlarm(ctx, latencyBand("ANOMALY_DETECTION_BAND(m1, 3)")); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var got []string
	e.Subscribe(func(tr klaxon.Transition) {
		got = append(got, tr.At.Format("01-02 15:04")+" "+tr.From.String()+" -> "+tr.To.String())
	})
	const days = 3
	for at := start; at.Before(start.Add(days * 24 * time.Hour)); at = at.Add(5 * time.Minute) {
		putLatency(t, e, at.Add(time.Minute), daily(at, rng))
		if err := e.Advance(ctx, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	// Training: no band for the first 3 hours (12 periods spanning 3
	// hours), then OK for the rest of the clean data.
	if len(got) != 1 || !strings.HasSuffix(got[0], "INSUFFICIENT_DATA -> OK") || got[0] < "05-01 03:00" || got[0] > "05-01 04:00" {
		t.Fatalf("transitions over clean data: %v; want one, to OK a little after 3 hours", got)
	}
	spike := clk.Now()
	putLatency(t, e, spike.Add(time.Minute), 400)
	e.Advance(ctx, 5*time.Minute)
	if len(got) != 2 || !strings.HasSuffix(got[1], "OK -> ALARM") {
		t.Fatalf("transitions after the spike: %v", got)
	}
	out, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{AlarmNames: []string{"latency-band"}})
	if err != nil {
		t.Fatal(err)
	}
	a := out.MetricAlarms[0]
	reason := regexp.MustCompile(`^Thresholds Crossed: 1 out of the last 1 datapoints \[400\.0 \(04/05/24 00:00:00\)\] was less than the lower thresholds \[([0-9.]+)\] or greater than the upper thresholds \[([0-9.]+)\] \(minimum 1 datapoint for OK -> ALARM transition\)\.$`)
	if !reason.MatchString(a.StateReason) {
		t.Errorf("StateReason %q does not match %s", a.StateReason, reason)
	}
	data := regexp.MustCompile(`^\{"version":"1\.0","queryDate":"2024-05-04T00:05:00\.000\+0000","startDate":"2024-05-04T00:00:00\.000\+0000","period":300,"recentDatapoints":\[400\.0\],"recentUpperThresholds":\[[0-9.]+\],"recentLowerThresholds":\[[0-9.]+\],"evaluatedDatapoints":\[\{"timestamp":"2024-05-04T00:00:00\.000\+0000","value":400\.0,"threshold":[0-9.]+\}\]\}$`)
	if !data.MatchString(a.StateReasonData) {
		t.Errorf("StateReasonData %s does not match %s", a.StateReasonData, data)
	}
	if m := reason.FindStringSubmatch(a.StateReason); m != nil {
		// The band of k = 3 around midnight's expected 100.
		lo, _ := strconv.ParseFloat(m[1], 64)
		hi, _ := strconv.ParseFloat(m[2], 64)
		if !(lo > 70 && lo < 95 && hi > 105 && hi < 130) {
			t.Errorf("band [%v, %v] at midnight; want it around 100, within ±30", lo, hi)
		}
	}
	dets, err := e.DescribeAnomalyDetectors(ctx, klaxon.AnomalyDetectorFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []klaxon.AnomalyDetector{{
		Namespace: "App", MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}, Stat: "Average",
		Configuration: &klaxon.AnomalyDetectorConfiguration{ExcludedTimeRanges: []anomaly.Range{}},
		StateValue:    "TRAINED_INSUFFICIENT_DATA",
		SingleMetricAnomalyDetector: &klaxon.SingleMetricAnomalyDetector{AccountId: "123456789012", Namespace: "App", MetricName: "Latency",
			Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}, Stat: "Average"},
	}}
	if diff := cmp.Diff(want, dets.AnomalyDetectors); diff != "" {
		t.Errorf("DescribeAnomalyDetectors (-want +got):\n%s", diff)
	}
	// The detector goes with its last alarm.
	e.DeleteAlarms(ctx, "latency-band")
	if dets, _ := e.DescribeAnomalyDetectors(ctx, klaxon.AnomalyDetectorFilter{}); len(dets.AnomalyDetectors) != 0 {
		t.Errorf("detectors after the alarm was deleted: %+v", dets.AnomalyDetectors)
	}
}

// TestAnomalyModelNeverReadsTheFuture: an alarm's band at an evaluation is
// the same whether or not later data has arrived, in the engine as in the
// model: two engines fed the same past, one of them also a later spike
// (sent early), decide the same at each evaluation before the spike.
func TestAnomalyModelNeverReadsTheFuture(t *testing.T) {
	ctx := context.Background()
	run := func(future bool) []string {
		clk := clock.NewMock()
		start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		clk.Set(start)
		e, _ := klaxon.New(klaxon.Options{Clock: clk})
		e.PutMetricAlarm(ctx, latencyBand("ANOMALY_DETECTION_BAND(m1, 2)"))
		rng := rand.New(rand.NewPCG(7, 7))
		for at := start; at.Before(start.Add(8 * time.Hour)); at = at.Add(5 * time.Minute) {
			putLatency(t, e, at.Add(time.Minute), daily(at, rng))
			if future && at.Equal(start.Add(6*time.Hour)) {
				putLatency(t, e, at.Add(90*time.Minute), 1e6) // arrives early: two hours ahead of the clock
			}
			e.Advance(ctx, 5*time.Minute)
		}
		var reasons []string
		items := history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryStateUpdate})
		for _, it := range items {
			if it.Timestamp.Time.Before(start.Add(7*time.Hour + 30*time.Minute)) {
				reasons = append(reasons, it.HistorySummary+" "+it.HistoryData)
			}
		}
		return reasons
	}
	a, b := run(false), run(true)
	if len(a) == 0 {
		t.Fatal("no transition at all")
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("a datapoint of the future changed earlier evaluations (-without +with):\n%s", diff)
	}
}

// TestAnomalyAlarmValidation: the alarms the engine refuses, with the
// rule in the message.
func TestAnomalyAlarmValidation(t *testing.T) {
	yes := true
	withQuery := latencyBand("ANOMALY_DETECTION_BAND(m1, 2)")
	withQuery.Metrics = append(withQuery.Metrics, alarm.MetricDataQuery{Id: "e1", Expression: "m1 * 2", ReturnData: new(bool)})
	math := latencyBand("ANOMALY_DETECTION_BAND(m1, 2)")
	math.ThresholdMetricId, math.ComparisonOperator, math.Threshold = "", alarm.GreaterThanThreshold, 10
	math.Metrics = []alarm.MetricDataQuery{math.Metrics[0], {Id: "e1", Expression: "m1 * 2", ReturnData: &yes}}
	math.Metrics[0].ReturnData = new(bool)
	weekly := latencyBand("ANOMALY_DETECTION_BAND(m1, 2)")
	weekly.Metrics[0].MetricStat.Period = 7 * 86400
	scaling := latencyBand("ANOMALY_DETECTION_BAND(m1, 2)")
	scaling.AlarmActions = []string{"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:id:autoScalingGroupName/web:policyName/out"}
	for _, tt := range []struct {
		cfg  alarm.Config
		want string
		why  string
	}{
		{math, "Metric math alarms are evaluated only in the anomaly detection form", "other metric math"},
		{withQuery, `The query "e1" (Metrics.member.3) is not evaluated`, "an extra expression"},
		{weekly, "the engine's anomaly model bands periods of at most 86400 seconds", "periods beyond a day"},
		{scaling, "anomaly detection alarms cannot take Auto Scaling actions", "Auto Scaling actions"},
	} {
		e, _ := newEngine(t, nil)
		err := e.PutMetricAlarm(context.Background(), tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, klaxon.ErrValidation) {
			t.Errorf("%s: got %v, want a validation error containing %q", tt.why, err, tt.want)
		}
	}
}

// TestAnomalyDetectors: PutAnomalyDetector, DescribeAnomalyDetectors and
// DeleteAnomalyDetector, and their refusals.
func TestAnomalyDetectors(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	single := func(stat string) *klaxon.SingleMetricAnomalyDetector {
		return &klaxon.SingleMetricAnomalyDetector{Namespace: "App", MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}, Stat: stat}
	}
	ranges := func(n int) []anomaly.Range {
		var r []anomaly.Range
		for i := range n {
			r = append(r, anomaly.Range{StartTime: t0.Add(time.Duration(i) * time.Hour), EndTime: t0.Add(time.Duration(i)*time.Hour + time.Minute)})
		}
		return r
	}
	for _, tt := range []struct {
		d    klaxon.AnomalyDetector
		want string
		why  string
	}{
		{klaxon.AnomalyDetector{SingleMetricAnomalyDetector: single("Average"), Namespace: "App"}, "InvalidParameterCombination: The parameters SingleMetricAnomalyDetector and Namespace, MetricName, Dimensions, Stat are mutually exclusive", "both forms"},
		{klaxon.AnomalyDetector{MetricMathAnomalyDetector: &klaxon.MetricMathAnomalyDetector{}}, "MetricMathAnomalyDetector) are not supported", "metric math"},
		{klaxon.AnomalyDetector{SingleMetricAnomalyDetector: single("")}, "MissingParameter: The parameter SingleMetricAnomalyDetector.Stat is required.", "no statistic"},
		{klaxon.AnomalyDetector{SingleMetricAnomalyDetector: single("p101")}, "The value 'p101' for parameter SingleMetricAnomalyDetector.Stat is invalid", "a bad statistic"},
		{klaxon.AnomalyDetector{Namespace: "App", MetricName: "Latency", Stat: "Average", Configuration: &klaxon.AnomalyDetectorConfiguration{MetricTimezone: "Mars/Olympus"}}, "parameter Configuration.MetricTimezone is invalid", "an unknown time zone"},
		{klaxon.AnomalyDetector{Namespace: "App", MetricName: "Latency", Stat: "Average", Configuration: &klaxon.AnomalyDetectorConfiguration{ExcludedTimeRanges: ranges(11)}}, "parameter Configuration.ExcludedTimeRanges is invalid: it must have at most 10 ranges", "eleven excluded ranges"},
		{klaxon.AnomalyDetector{Namespace: "App", MetricName: "Latency", Stat: "Average", Configuration: &klaxon.AnomalyDetectorConfiguration{ExcludedTimeRanges: []anomaly.Range{{StartTime: t0, EndTime: t0}}}}, "The value 2024-05-01T12:00:00Z for parameter Configuration.ExcludedTimeRanges.member.1.EndTime is invalid: it must be after StartTime 2024-05-01T12:00:00Z.", "an empty range"},
	} {
		err := e.PutAnomalyDetector(ctx, tt.d)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.why, err, tt.want)
		}
	}

	// A detector of its own learns at five minutes; the configuration shows.
	conf := &klaxon.AnomalyDetectorConfiguration{ExcludedTimeRanges: ranges(1), MetricTimezone: "Europe/Paris"}
	if err := e.PutAnomalyDetector(ctx, klaxon.AnomalyDetector{SingleMetricAnomalyDetector: single("p99"), Configuration: conf}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 48 { // four hours
		putLatency(t, e, clk.Now().Add(time.Minute), daily(clk.Now(), rng))
		e.Advance(ctx, 5*time.Minute)
	}
	out, err := e.DescribeAnomalyDetectors(ctx, klaxon.AnomalyDetectorFilter{Namespace: "App", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.AnomalyDetectors) != 1 || out.AnomalyDetectors[0].StateValue != "TRAINED_INSUFFICIENT_DATA" || out.AnomalyDetectors[0].Stat != "p99" ||
		!cmp.Equal(out.AnomalyDetectors[0].Configuration, conf) {
		t.Errorf("DescribeAnomalyDetectors: %+v", out.AnomalyDetectors)
	}
	if out, _ := e.DescribeAnomalyDetectors(ctx, klaxon.AnomalyDetectorFilter{MetricName: "Other"}); len(out.AnomalyDetectors) != 0 {
		t.Errorf("a filter on another metric name selected %+v", out.AnomalyDetectors)
	}
	if _, err := e.DescribeAnomalyDetectors(ctx, klaxon.AnomalyDetectorFilter{AnomalyDetectorTypes: []string{"SINGLE"}}); err == nil || !strings.Contains(err.Error(), "SINGLE_METRIC, METRIC_MATH") {
		t.Errorf("a bad detector type: %v", err)
	}

	// Deleting: the detector goes; deleting it again is not found.
	del := klaxon.AnomalyDetector{SingleMetricAnomalyDetector: single("p99")}
	if err := e.DeleteAnomalyDetector(ctx, del); err != nil {
		t.Fatal(err)
	}
	err = e.DeleteAnomalyDetector(ctx, del)
	if !errors.Is(err, klaxon.ErrNotFound) || !strings.Contains(err.Error(), "ResourceNotFoundException: No anomaly detection model exists for the metric App/Latency with the statistic p99.") {
		t.Errorf("deleting twice: %v", err)
	}
	if out, _ := e.DescribeAnomalyDetectors(ctx, klaxon.AnomalyDetectorFilter{}); len(out.AnomalyDetectors) != 0 {
		t.Errorf("after the delete: %+v", out.AnomalyDetectors)
	}
}

// TestDeleteDetectorOfAnAlarm: deleting the detector an alarm bands with
// starts its model over, as CloudWatch remakes it at the alarm's next
// evaluation; the alarm keeps working.
func TestDeleteDetectorOfAnAlarm(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	if err := e.PutAnomalyDetector(ctx, klaxon.AnomalyDetector{Namespace: "App", MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}, Stat: "Average"}); err != nil {
		t.Fatal(err)
	}
	e.PutMetricAlarm(ctx, latencyBand("ANOMALY_DETECTION_BAND(m1)"))
	rng := rand.New(rand.NewPCG(5, 6))
	state := func() string {
		out, _ := e.DescribeAnomalyDetectors(ctx, klaxon.AnomalyDetectorFilter{})
		if len(out.AnomalyDetectors) != 1 {
			return "none"
		}
		return out.AnomalyDetectors[0].StateValue
	}
	for range 48 {
		putLatency(t, e, clk.Now().Add(time.Minute), daily(clk.Now(), rng))
		e.Advance(ctx, 5*time.Minute)
	}
	if s := state(); s != "TRAINED_INSUFFICIENT_DATA" {
		t.Fatalf("state before the delete: %s", s)
	}
	if err := e.DeleteAnomalyDetector(ctx, klaxon.AnomalyDetector{Namespace: "App", MetricName: "Latency", Dimensions: []metric.Dimension{{Name: "Service", Value: "api"}}, Stat: "Average"}); err != nil {
		t.Fatal(err)
	}
	if s := state(); s != "PENDING_TRAINING" {
		t.Errorf("state after the delete: %s; want the alarm's model started over", s)
	}
}
