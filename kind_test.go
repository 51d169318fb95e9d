package klaxon

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwjson"
	"github.com/klaxon-go/klaxon/metric"
)

// oddMinute is an alarm kind that exists only in this test: it reads
// nothing, is evaluated every minute, and is ALARM at odd minutes and OK
// at even ones. It plugs in through the same interface as metric and
// composite alarms, with no change to the scheduler.
type oddMinute struct {
	alarmBase
	sp        *oddSpec
	evaluated []time.Time
}

type oddSpec struct {
	alarmName string
	actionArn string
}

func (o *oddMinute) base() *alarmBase               { return &o.alarmBase }
func (o *oddMinute) spec() spec                     { return o.sp }
func (o *oddMinute) cadence() time.Duration         { return time.Minute }
func (o *oddMinute) attach(e *Engine, old alarmObj) {}
func (o *oddMinute) detach(e *Engine)               {}
func (o *oddMinute) children() []string             { return nil }
func (s *oddSpec) name() string                     { return s.alarmName }
func (s *oddSpec) alarmType() string                { return CompositeAlarmType }
func (s *oddSpec) actionsEnabled() bool             { return true }
func (s *oddSpec) transition(t *Transition)         {}
func (s *oddSpec) actions(st alarm.State) []string {
	if st == alarm.StateAlarm {
		return []string{s.actionArn}
	}
	return nil
}

func (o *oddMinute) evaluate(e *Engine, t time.Time) record {
	o.evaluated = append(o.evaluated, t)
	want := alarm.StateOK
	if t.Minute()%2 == 1 {
		want = alarm.StateAlarm
	}
	if want == o.state {
		return nil
	}
	return &textRecord{val: want, at: stamp(t), reason: "minute " + t.Format("04")}
}

func (s *oddSpec) describe(out *DescribeAlarmsOutput, d described) {
	out.CompositeAlarms = append(out.CompositeAlarms, CompositeAlarm{
		AlarmName: s.alarmName, AlarmArn: d.Arn, AlarmRule: "odd minutes", StateValue: d.State, StateReason: d.StateReason,
		ActionsEnabled: d.Enabled, AlarmActions: []string{s.actionArn}, OKActions: []string{}, InsufficientDataActions: []string{},
	})
}

func (s *oddSpec) writeHistoryAlarm(w *cwjson.Writer, d described) {
	w.BeginObject()
	w.Key("alarmName")
	w.String(s.alarmName)
	w.Key("alarmRule")
	w.String("odd minutes")
	w.Key("stateValue")
	w.String(d.State.String())
	w.EndObject()
}

type recordedActions struct{ got []string }

func (r *recordedActions) RunAction(ctx context.Context, a Action) error {
	r.got = append(r.got, a.Transition.At.Format("15:04:05")+" "+a.Transition.AlarmType+" "+a.ARN)
	return nil
}

// TestTestKind: an alarm kind of a test is registered, evaluated on the
// schedule (whole minutes only), described, recorded in history and acted
// on, through the interface every kind uses.
func TestTestKind(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	clk.Set(t0)
	acts := &recordedActions{}
	e := mustNew(Options{Clock: clk, Actions: acts})
	o := &oddMinute{sp: &oddSpec{alarmName: "odd", actionArn: "arn:aws:sns:us-east-1:123456789012:odd"}}
	e.mu.Lock()
	e.put(o, nil, t0)
	e.mu.Unlock()
	var got []string
	e.Subscribe(func(tr Transition) {
		got = append(got, tr.At.Format("15:04:05")+" "+tr.AlarmType+" "+tr.From.String()+"->"+tr.To.String()+" "+tr.Reason)
	})
	if err := e.Advance(ctx, 3*time.Minute+30*time.Second); err != nil {
		t.Fatal(err)
	}
	var evaluated []string
	for _, at := range o.evaluated {
		evaluated = append(evaluated, at.Format("15:04:05"))
	}
	if diff := cmp.Diff([]string{"12:01:00", "12:02:00", "12:03:00"}, evaluated); diff != "" {
		t.Errorf("evaluation times: its cadence, a minute (-want +got):\n%s", diff)
	}
	want := []string{
		"12:01:00 CompositeAlarm INSUFFICIENT_DATA->ALARM minute 01",
		"12:02:00 CompositeAlarm ALARM->OK minute 02",
		"12:03:00 CompositeAlarm OK->ALARM minute 03",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"12:01:00 CompositeAlarm arn:aws:sns:us-east-1:123456789012:odd", "12:03:00 CompositeAlarm arn:aws:sns:us-east-1:123456789012:odd"}, acts.got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	out, err := e.DescribeAlarms(ctx, AlarmFilter{AlarmTypes: []string{CompositeAlarmType}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CompositeAlarms) != 1 || out.CompositeAlarms[0].StateValue != alarm.StateAlarm || out.CompositeAlarms[0].StateReason != "minute 03" {
		t.Errorf("DescribeAlarms: %+v", out)
	}
	if metricOnly, _ := e.DescribeAlarms(ctx, AlarmFilter{}); len(metricOnly.MetricAlarms)+len(metricOnly.CompositeAlarms) != 0 {
		t.Errorf("DescribeAlarms without AlarmTypes returns metric alarms only, got %+v", metricOnly)
	}
	items, err := e.DescribeAlarmHistory(ctx, HistoryFilter{AlarmTypes: []string{CompositeAlarmType}, ScanBy: TimestampAscending})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, it := range items {
		kinds = append(kinds, it.AlarmType+" "+it.HistoryItemType+" "+it.HistorySummary)
	}
	wantKinds := []string{
		`CompositeAlarm ConfigurationUpdate Alarm "odd" created`,
		"CompositeAlarm StateUpdate Alarm updated from INSUFFICIENT_DATA to ALARM",
		"CompositeAlarm Action Successfully executed action arn:aws:sns:us-east-1:123456789012:odd",
		"CompositeAlarm StateUpdate Alarm updated from ALARM to OK",
		"CompositeAlarm StateUpdate Alarm updated from OK to ALARM",
		"CompositeAlarm Action Successfully executed action arn:aws:sns:us-east-1:123456789012:odd",
	}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if want := `{"version":"1.0","type":"Create","createdAlarm":{"alarmName":"odd","alarmRule":"odd minutes","stateValue":"INSUFFICIENT_DATA"}}`; items[0].HistoryData != want {
		t.Errorf("ConfigurationUpdate HistoryData %s, want %s", items[0].HistoryData, want)
	}
}

// TestRecordsArePlainValues: every StateUpdate item of a replayed series is
// kept as plain values (its Result encoded to JSON and decoded again);
// rendered after the alarm was updated (its evaluator replaced), the
// values give the same HistoryData, byte for byte.
func TestRecordsArePlainValues(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewMock()
	t0 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	clk.Set(t0)
	e := mustNew(Options{Clock: clk})
	cfg := alarm.Config{AlarmName: "cpu", Namespace: "App", MetricName: "CPU", Statistic: "Average", Period: 60,
		EvaluationPeriods: 2, DatapointsToAlarm: 2, Threshold: 90, ComparisonOperator: alarm.GreaterThanThreshold,
		TreatMissingData: alarm.MissingDataBreaching, Unit: "Percent"}
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{95, 95, 10, 10, 95, 95, 10, 10, -1, -1, -1, -1, 30} {
		if v >= 0 {
			if err := e.PutMetricData(ctx, "App", []metric.Datum{{MetricName: "CPU", Value: v, Unit: "Percent", Timestamp: t0.Add(time.Duration(i)*time.Minute + 5*time.Second)}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.Advance(ctx, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	before, err := e.DescribeAlarmHistory(ctx, HistoryFilter{HistoryItemType: HistoryStateUpdate, ScanBy: TimestampAscending})
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != 6 {
		t.Fatalf("%d StateUpdate items, want 6: the series flaps", len(before))
	}
	// Keep every record as plain values: JSON.
	e.mu.Lock()
	var stored []string
	e.alarms["cpu"].base().hist.each(func(it historyItem) {
		r, ok := it.e.(*metricRecord)
		if !ok {
			return
		}
		b, err := json.Marshal(r.res)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, string(b))
	})
	e.mu.Unlock()
	if len(stored) != len(before) {
		t.Fatalf("%d stored records for %d items", len(stored), len(before))
	}
	// Replace the evaluator: another threshold, statistic and unit.
	cfg.Threshold, cfg.Statistic, cfg.Unit, cfg.AlarmDescription = 10, "Maximum", "Count", "updated"
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	after, err := e.DescribeAlarmHistory(ctx, HistoryFilter{HistoryItemType: HistoryStateUpdate, ScanBy: TimestampAscending})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("history after the update (-want +got):\n%s", diff)
	}
	// The other scan order renders the same items, newest first.
	desc, err := e.DescribeAlarmHistory(ctx, HistoryFilter{HistoryItemType: HistoryStateUpdate})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(desc)
	if diff := cmp.Diff(before, desc); diff != "" {
		t.Errorf("history newest first, reversed (-want +got):\n%s", diff)
	}
	// Render from the stored values alone.
	var prev record = &textRecord{val: alarm.StateInsufficientData, at: stamp(t0), reason: InitialReason}
	for i, js := range stored {
		var res alarm.Result
		if err := json.Unmarshal([]byte(js), &res); err != nil {
			t.Fatal(err)
		}
		r := &metricRecord{prev: prev, res: res}
		// Each record rendered on its own (DescribeAlarmHistory renders
		// the record two items share once).
		plain := func(r record) recordTexts { return renderMemo{}.texts(cfg.AlarmName, r) }
		if diff := cmp.Diff(before[i].HistoryData, stateUpdateData(plain(prev), plain(r))); diff != "" {
			t.Errorf("item %d rendered from its stored values (-want +got):\n%s", i, diff)
		}
		prev = r
	}
	if !strings.Contains(before[0].HistoryData, `"unit":"Percent"`) {
		t.Errorf("the first item lost the unit of its time: %s", before[0].HistoryData)
	}
}
