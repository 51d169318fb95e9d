package klaxon_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// TestCadence: which evaluation times evaluate which alarms. Each alarm
// has all its data missing and TreatMissingData breaching, so its first
// evaluation makes it ALARM: the time of that transition is the time of its
// first evaluation.
func TestCadence(t *testing.T) {
	tests := []struct {
		name   string
		period int
		n      int
		want   string // time of the first evaluation after 12:00:00
		why    string
	}{
		{"ten-seconds", 10, 3, "12:00:10", "high resolution: every 10 seconds"},
		{"thirty-seconds", 30, 2, "12:00:10", "Period 30 is high resolution too"},
		{"minute", 60, 5, "12:01:00", "standard: every whole minute"},
		{"five-minutes", 300, 3, "12:01:00", "a 300 s alarm is evaluated every minute, not every 5"},
		{"one-day", 3600, 24, "12:01:00", "Period x N of exactly one day is not multi-day"},
		{"two-days", 3600, 48, "13:00:00", "Period x N over a day: hourly, at whole hours"},
	}
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	clk.Set(t0.Add(-5 * time.Minute))
	first := make(map[string]string)
	e.Subscribe(func(tr klaxon.Transition) {
		if _, ok := first[tr.AlarmName]; !ok {
			first[tr.AlarmName] = tr.At.Format("15:04:05")
		}
	})
	for _, tt := range tests {
		err := e.PutMetricAlarm(ctx, alarm.Config{AlarmName: tt.name, Namespace: "App", MetricName: "m", Statistic: "Sum",
			Period: tt.period, EvaluationPeriods: tt.n, Threshold: 1, ComparisonOperator: alarm.GreaterThanThreshold,
			TreatMissingData: alarm.MissingDataBreaching})
		if err != nil {
			t.Fatal(err)
		}
	}
	for at := t0.Add(10 * time.Second); !at.After(t0.Add(time.Hour)); at = at.Add(10 * time.Second) {
		clk.Set(at)
		evalAt(t, e, at)
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, first[tt.name]); diff != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", tt.name, tt.why, diff)
		}
	}
}

// TestTimestampsAndHistory covers StateUpdatedTimestamp against
// StateTransitionedTimestamp, updates that keep the state, actions
// switched off and on, deletion, and history retention.
func TestTimestampsAndHistory(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	e, clk := newEngine(t, rec)
	cfg := cpuAlarm()
	cfg.TreatMissingData = alarm.MissingDataBreaching
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	clk.Set(t0.Add(time.Minute))
	e.EvaluateAt(ctx, clk.Now()) // all missing, breaching: ALARM
	one := func() klaxon.MetricAlarm { return describe(t, e, klaxon.AlarmFilter{})[0] }
	a := one()
	if a.StateValue != alarm.StateAlarm || !a.StateTransitionedTimestamp.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after the first evaluation: %v at %v", a.StateValue, a.StateTransitionedTimestamp)
	}

	// SetAlarmState to the same state: StateUpdatedTimestamp moves,
	// StateTransitionedTimestamp does not, no action runs.
	clk.Add(10 * time.Second)
	if err := e.SetAlarmState(ctx, cfg.AlarmName, alarm.StateAlarm, "still bad", ""); err != nil {
		t.Fatal(err)
	}
	a = one()
	if !a.StateUpdatedTimestamp.Equal(t0.Add(70*time.Second)) || !a.StateTransitionedTimestamp.Equal(t0.Add(time.Minute)) || a.StateReason != "still bad" {
		t.Errorf("SetAlarmState to the same state: updated %v, transitioned %v, reason %q", a.StateUpdatedTimestamp, a.StateTransitionedTimestamp, a.StateReason)
	}

	// An update keeps the state and writes a ConfigurationUpdate item.
	cfg.Threshold = 80
	cfg.Tags = []alarm.Tag{{Key: "team", Value: "ops"}}
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if a = one(); a.StateValue != alarm.StateAlarm || a.Threshold != 80 {
		t.Errorf("after an update: %v, threshold %v; want ALARM kept, 80", a.StateValue, a.Threshold)
	}

	// Disabled actions: the state changes, no action runs.
	e.DisableAlarmActions(ctx, cfg.AlarmName)
	if one().ActionsEnabled {
		t.Error("ActionsEnabled after DisableAlarmActions")
	}
	e.SetAlarmState(ctx, cfg.AlarmName, alarm.StateOK, "manual", "")
	e.SetAlarmState(ctx, cfg.AlarmName, alarm.StateAlarm, "manual", "")
	e.EnableAlarmActions(ctx, cfg.AlarmName)
	e.SetAlarmState(ctx, cfg.AlarmName, alarm.StateOK, "manual", "")
	e.SetAlarmState(ctx, cfg.AlarmName, alarm.StateAlarm, "manual again", "")
	want := []string{"arn:aws:sns:us-east-1:123456789012:pager ALARM", "arn:aws:sns:us-east-1:123456789012:pager ALARM"}
	if diff := cmp.Diff(want, rec.arns); diff != "" {
		t.Errorf("actions: the first ALARM and the last, not the one while disabled (-want +got):\n%s", diff)
	}

	if err := e.DeleteAlarms(ctx, cfg.AlarmName); err != nil {
		t.Fatal(err)
	}
	if n := len(describe(t, e, klaxon.AlarmFilter{})); n != 0 {
		t.Errorf("%d alarms after DeleteAlarms", n)
	}
	var summaries []string
	for _, h := range history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryConfigurationUpdate, ScanBy: "TimestampAscending"}) {
		summaries = append(summaries, h.HistorySummary+" "+strings.SplitN(h.HistoryData, ",", 3)[1])
	}
	wantSummaries := []string{`Alarm "cpu-high" created "type":"Create"`, `Alarm "cpu-high" updated "type":"Update"`, `Alarm "cpu-high" deleted "type":"Delete"`}
	if diff := cmp.Diff(wantSummaries, summaries); diff != "" {
		t.Errorf("configuration history survives deletion (-want +got):\n%s", diff)
	}

	// Retention: 30 days by default. An item written 30 days and a minute
	// later drops every item older than 30 days.
	before := len(history(t, e, klaxon.HistoryFilter{}))
	clk.Set(t0.Add(30*24*time.Hour + 2*time.Minute))
	other := cpuAlarm()
	other.AlarmName = "other"
	e.PutMetricAlarm(ctx, other)
	after := history(t, e, klaxon.HistoryFilter{})
	if before < 5 || len(after) != 1 || after[0].AlarmName != "other" {
		t.Errorf("retention: %d items before, %d after (want only the new one)", before, len(after))
	}
}

// TestCreatedAlarmHistoryData checks the ConfigurationUpdate HistoryData
// of a creation against the key order of a real 2022 item.
func TestCreatedAlarmHistoryData(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	cfg := alarm.Config{
		AlarmName: "API_Write", AlarmDescription: "API Alarm", Namespace: "AWS/DynamoDB", MetricName: "WriteThrottleEvents",
		Statistic: "Sum", Period: 60, Dimensions: []metric.Dimension{{Name: "TableName", Value: "t"}}, Threshold: 1,
		ComparisonOperator: alarm.GreaterThanOrEqualToThreshold, EvaluationPeriods: 1,
		AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:t"},
	}
	if err := e.PutMetricAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	h := history(t, e, klaxon.HistoryFilter{})[0]
	want := `{"version":"1.0","type":"Create","createdAlarm":{"alarmName":"API_Write","alarmDescription":"API Alarm","alarmArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:API_Write","alarmConfigurationUpdatedTimestamp":"2024-05-01T12:00:00.000+0000","namespace":"AWS/DynamoDB","metricName":"WriteThrottleEvents","statistic":"Sum","period":60,"dimensions":[{"value":"t","name":"TableName"}],"threshold":1.0,"comparisonOperator":"GreaterThanOrEqualToThreshold","evaluationPeriods":1,"stateValue":"INSUFFICIENT_DATA","stateUpdatedTimestamp":"2024-05-01T12:00:00.000+0000","actionsEnabled":true,"alarmActions":["arn:aws:sns:us-east-1:123456789012:t"],"insufficientDataActions":[],"okactions":[]}}`
	if diff := cmp.Diff(want, h.HistoryData); diff != "" {
		t.Errorf("HistoryData (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(`Alarm "API_Write" created`, h.HistorySummary); diff != "" {
		t.Errorf("HistorySummary (-want +got):\n%s", diff)
	}
}

// TestHistoryDataLimit: a long alarm's StateUpdate HistoryData stays within
// CloudWatch's 4095 characters and remains JSON.
func TestHistoryDataLimit(t *testing.T) {
	ctx := context.Background()
	e, clk := newEngine(t, nil)
	cfg := cpuAlarm()
	cfg.EvaluationPeriods, cfg.DatapointsToAlarm = 60, 1
	e.PutMetricAlarm(ctx, cfg)
	for m := range 62 {
		put(t, e, t0.Add(time.Duration(m)*time.Minute), 95)
	}
	clk.Set(t0.Add(62 * time.Minute))
	e.EvaluateAt(ctx, clk.Now()) // ALARM
	for m := 62; m < 64; m++ {
		put(t, e, t0.Add(time.Duration(m)*time.Minute), 10)
	}
	cfg2 := cfg
	cfg2.DatapointsToAlarm = 60 // one good datapoint is enough for OK now
	e.PutMetricAlarm(ctx, cfg2)
	clk.Set(t0.Add(64 * time.Minute))
	evalAt(t, e, clk.Now())
	items := history(t, e, klaxon.HistoryFilter{HistoryItemType: klaxon.HistoryStateUpdate})
	if len(items) != 2 {
		t.Fatalf("%d StateUpdate items, want 2", len(items))
	}
	for _, h := range items {
		if len(h.HistoryData) > klaxon.MaxHistoryData || !json.Valid([]byte(h.HistoryData)) {
			t.Errorf("%s: %d bytes, valid JSON %v", h.HistorySummary, len(h.HistoryData), json.Valid([]byte(h.HistoryData)))
		}
	}
}
