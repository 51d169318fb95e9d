package klaxon_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
)

const arnPrefix = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"

func ptr[T any](v T) *T { return &v }

// childAlarm is a metric alarm that tests set with SetAlarmState: it has
// no data and ignores missing data, so its evaluations keep the state it
// was set to.
func childAlarm(name string) alarm.Config {
	c := cpuAlarm()
	c.AlarmName = name
	c.AlarmActions = nil
	c.TreatMissingData = alarm.MissingDataIgnore
	return c
}

// actionLog records the actions run, as "time state arn".
type actionLog struct {
	mu  sync.Mutex
	got []string
}

func (l *actionLog) RunAction(ctx context.Context, a klaxon.Action) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := a.Transition
	s := t.At.Format("15:04:05") + " " + t.To.String() + " " + strings.TrimPrefix(a.ARN, "arn:aws:sns:us-east-1:123456789012:")
	if t.PreviousSuppressedBy != "" {
		s += " (held by " + t.PreviousSuppressedBy + ")"
	}
	l.got = append(l.got, s)
	return nil
}

func (l *actionLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.got
	l.got = nil
	return g
}

// TestCompositeLifecycle: creation (evaluated at once, with CloudWatch's
// creation reason listing every child), a child's transition (the reason
// names the child and its time), composites of composites, describe and
// history, and SetAlarmState lasting until a child changes.
func TestCompositeLifecycle(t *testing.T) {
	ctx := context.Background()
	acts := &actionLog{}
	e, clk := newEngine(t, acts)
	for _, n := range []string{"cpu", "disk"} {
		if err := e.PutMetricAlarm(ctx, childAlarm(n)); err != nil {
			t.Fatal(err)
		}
	}
	e.SetAlarmState(ctx, "cpu", alarm.StateOK, "fine", "")
	var got []string
	e.Subscribe(func(tr klaxon.Transition) {
		got = append(got, tr.At.Format("15:04:05")+" "+tr.AlarmType+" "+tr.AlarmName+" "+tr.From.String()+"->"+tr.To.String()+": "+tr.Reason+" "+tr.ReasonData)
	})
	clk.Add(5 * time.Second)
	cfg := composite.Config{AlarmName: "service", AlarmRule: `ALARM(cpu) OR ALARM("` + arnPrefix + `disk")`,
		AlarmDescription: "either",
		OKActions:        []string{"arn:aws:sns:us-east-1:123456789012:ok"}, AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:page"}}
	if err := e.PutCompositeAlarm(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if err := e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "top", AlarmRule: "ALARM(service) AND NOT OK(disk)"}); err != nil {
		t.Fatal(err)
	}
	clk.Add(25 * time.Second)
	e.SetAlarmState(ctx, "disk", alarm.StateAlarm, "full", "")
	want := []string{
		`12:00:05 CompositeAlarm service INSUFFICIENT_DATA->OK: ` + arnPrefix + `service was created and its alarm rule evaluates to OK {"triggeringAlarms":[{"arn":"` + arnPrefix + `cpu","state":{"value":"OK","timestamp":"2024-05-01T12:00:00.000+0000"}},{"arn":"` + arnPrefix + `disk","state":{"value":"INSUFFICIENT_DATA","timestamp":"2024-05-01T12:00:00.000+0000"}}]}`,
		`12:00:05 CompositeAlarm top INSUFFICIENT_DATA->OK: ` + arnPrefix + `top was created and its alarm rule evaluates to OK {"triggeringAlarms":[{"arn":"` + arnPrefix + `service","state":{"value":"OK","timestamp":"2024-05-01T12:00:05.000+0000"}},{"arn":"` + arnPrefix + `disk","state":{"value":"INSUFFICIENT_DATA","timestamp":"2024-05-01T12:00:00.000+0000"}}]}`,
		`12:00:30 MetricAlarm disk INSUFFICIENT_DATA->ALARM: full `,
		`12:00:30 CompositeAlarm service OK->ALARM: ` + arnPrefix + `disk transitioned to ALARM at Wednesday 01 May, 2024 12:00:30 UTC {"triggeringAlarms":[{"arn":"` + arnPrefix + `disk","state":{"value":"ALARM","timestamp":"2024-05-01T12:00:30.000+0000"}}]}`,
		// top reads disk and service: both changed, disk first, and its
		// reason names the first.
		`12:00:30 CompositeAlarm top OK->ALARM: ` + arnPrefix + `disk transitioned to ALARM at Wednesday 01 May, 2024 12:00:30 UTC {"triggeringAlarms":[{"arn":"` + arnPrefix + `disk","state":{"value":"ALARM","timestamp":"2024-05-01T12:00:30.000+0000"}}]}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"12:00:05 OK ok", "12:00:30 ALARM page"}, acts.take()); diff != "" {
		t.Errorf("actions: the creation runs the new state's (OK) actions (-want +got):\n%s", diff)
	}

	// A forced state on a composite lasts until a child changes.
	e.SetAlarmState(ctx, "service", alarm.StateOK, "maintenance", "")
	e.Advance(ctx, 3*time.Minute)
	if s, _ := e.State("service"); s != alarm.StateOK {
		t.Errorf("service after SetAlarmState and three minutes: %v, want OK (no child changed)", s)
	}
	e.SetAlarmState(ctx, "cpu", alarm.StateAlarm, "hot", "")
	if s, _ := e.State("service"); s != alarm.StateAlarm {
		t.Errorf("service after a child changed: %v, want ALARM", s)
	}

	out, err := e.DescribeAlarms(ctx, klaxon.AlarmFilter{AlarmTypes: []string{klaxon.CompositeAlarmType}, AlarmNames: []string{"service"}})
	if err != nil || len(out.CompositeAlarms) != 1 {
		t.Fatalf("DescribeAlarms: %v %+v", err, out)
	}
	c := out.CompositeAlarms[0]
	if c.AlarmRule != cfg.AlarmRule || c.AlarmDescription != "either" || c.AlarmArn != arnPrefix+"service" || !c.ActionsEnabled ||
		c.StateValue != alarm.StateAlarm || !strings.HasSuffix(c.StateReason, "transitioned to ALARM at Wednesday 01 May, 2024 12:03:30 UTC") {
		t.Errorf("the composite as described: %+v", c)
	}
	for _, q := range []struct {
		f    klaxon.AlarmFilter
		want []string
	}{
		{klaxon.AlarmFilter{ChildrenOfAlarmName: "top"}, []string{"disk", "service"}},
		{klaxon.AlarmFilter{ParentsOfAlarmName: "disk"}, []string{"service", "top"}},
		{klaxon.AlarmFilter{ParentsOfAlarmName: "service"}, []string{"top"}},
	} {
		out, err := e.DescribeAlarms(ctx, q.f)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range out.MetricAlarms {
			names = append(names, m.AlarmName)
		}
		for _, c := range out.CompositeAlarms {
			names = append(names, c.AlarmName)
		}
		slicesSort(names)
		if diff := cmp.Diff(q.want, names); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", q.f, diff)
		}
	}
	items := history(t, e, klaxon.HistoryFilter{AlarmName: "service", AlarmTypes: []string{klaxon.CompositeAlarmType}, ScanBy: klaxon.TimestampAscending})
	if len(items) < 4 || items[0].AlarmType != "CompositeAlarm" || items[0].HistorySummary != `Alarm "service" created` {
		t.Fatalf("composite history: %+v", items)
	}
	wantCreated := `{"version":"1.0","type":"Create","createdAlarm":{"alarmName":"service","alarmDescription":"either","alarmArn":"` + arnPrefix + `service","alarmConfigurationUpdatedTimestamp":"2024-05-01T12:00:05.000+0000","alarmRule":"ALARM(cpu) OR ALARM(\"` + arnPrefix + `disk\")","stateValue":"INSUFFICIENT_DATA","stateUpdatedTimestamp":"2024-05-01T12:00:05.000+0000","actionsEnabled":true,"alarmActions":["arn:aws:sns:us-east-1:123456789012:page"],"insufficientDataActions":[],"okactions":["arn:aws:sns:us-east-1:123456789012:ok"]}}`
	if diff := cmp.Diff(wantCreated, items[0].HistoryData); diff != "" {
		t.Errorf("ConfigurationUpdate HistoryData (-want +got):\n%s", diff)
	}
	if n := len(history(t, e, klaxon.HistoryFilter{AlarmName: "service"})); n != 0 {
		t.Errorf("DescribeAlarmHistory without AlarmTypes returned %d composite items, want none (metric alarms only)", n)
	}
}

func slicesSort(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestCompositeRejections: what PutCompositeAlarm and DeleteAlarms refuse,
// with CloudWatch's messages where they are known.
func TestCompositeRejections(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t, nil)
	for _, n := range []string{"a", "b"} {
		e.PutMetricAlarm(ctx, childAlarm(n))
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c1", AlarmRule: "ALARM(a)"}))
	must(e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c2", AlarmRule: "ALARM(c1) OR ALARM(b)"}))
	deep := strings.Repeat("(", 100_000) + "ALARM(a)" + strings.Repeat(")", 100_000)
	tests := []struct {
		err  error
		want string
		why  string
	}{
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c3", AlarmRule: "ALARM(nope) OR OK(gone) OR ALARM(a)"}),
			"klaxon: ValidationError: Could not save the composite alarm as alarms [nope, gone] in the alarm rule do not exist", "unknown children"},
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c1", AlarmRule: "ALARM(c2)"}),
			"klaxon: ValidationError: The alarm rule of c1 makes a cycle of composite alarms: c1 -> c2 -> c1. Klaxon refuses cycles (CloudWatch accepts them, then stops evaluating the alarms in them).", "a cycle through an update"},
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "self", AlarmRule: "ALARM(self)"}),
			"klaxon: ValidationError: The alarm rule of self makes a cycle of composite alarms: self -> self. Klaxon refuses cycles (CloudWatch accepts them, then stops evaluating the alarms in them).", "a rule on itself"},
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c4", AlarmRule: "()"}),
			"composite: ValidationError: Error in AlarmRule [Unsupported token ')' at char 1]", "CloudWatch's syntax error"},
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c5", AlarmRule: deep}),
			"composite: ValidationError: 1 validation error detected: Value '" + deep[:200], "100,000 nested parentheses: an error, not a crash"},
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c6", AlarmRule: "ALARM(a)", AlarmActions: []string{"arn:aws:automate:us-east-1:ec2:stop"}}),
			"composite: ValidationError: The value 'arn:aws:automate:us-east-1:ec2:stop' for parameter AlarmActions.member.1 is invalid: composite alarms cannot take EC2 actions.", "no EC2 actions"},
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "a", AlarmRule: "ALARM(b)"}),
			"klaxon: ValidationError: The alarm a is a MetricAlarm: PutCompositeAlarm cannot replace it (delete it first).", "a metric alarm's name"},
		{e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "c7", AlarmRule: "ALARM(a)", ActionsSuppressor: "maint", ActionsSuppressorWaitPeriod: ptr(60), ActionsSuppressorExtensionPeriod: ptr(60)}),
			"klaxon: ValidationError: The ActionsSuppressor maint does not exist: it must name another existing alarm (by name or ARN).", "an unknown suppressor"},
		{e.DeleteAlarms(ctx, "a"), "klaxon: ValidationError: Cannot delete a as there are composite alarm(s) depending on it.", "a child in use"},
		{e.DeleteAlarms(ctx, "a", "b"), "klaxon: ValidationError: Cannot delete a,b as there are composite alarm(s) depending on them.", "CloudWatch's plural"},
		{e.DeleteAlarms(ctx, "c1", "c2"), "klaxon: ValidationError: DeleteAlarms deletes at most one composite alarm per call (got 2: c1, c2).", "one composite per call"},
	}
	for _, tt := range tests {
		got := ""
		if tt.err != nil {
			got = tt.err.Error()
		}
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s:\n got %.300s\nwant %.300s", tt.why, got, tt.want)
		}
	}
	must(e.DeleteAlarms(ctx, "c2"))
	must(e.DeleteAlarms(ctx, "c1", "a")) // a composite and its child together
	if s, err := e.State("b"); err != nil || s != alarm.StateInsufficientData {
		t.Errorf("b: %v %v", s, err)
	}
}

// TestSuppressionTimelines: the User Guide's six timelines (WaitPeriod 2,
// ExtensionPeriod 3 units; a unit is a minute here), on a mock clock
// through the engine: when the composite's actions run, and for which
// state.
func TestSuppressionTimelines(t *testing.T) {
	type event struct {
		at    int    // minute
		alarm string // "child" drives the composite, "sup" the suppressor
		to    alarm.State
	}
	const (
		ok  = alarm.StateOK
		alm = alarm.StateAlarm
	)
	// Minute t of the timelines is 12:1t: the composite's creation (an
	// INSUFFICIENT_DATA -> OK transition, itself held for a WaitPeriod) is
	// over by 12:10.
	tests := []struct {
		name   string
		events []event
		want   []string
		why    string
	}{
		{"1: suppressor stays OK", []event{{2, "child", alm}},
			[]string{"12:14:00 ALARM page (held by WaitPeriod)"}, "W runs t2–t4; at t4 the actions for ALARM run"},
		{"2: suppressor reaches ALARM within W", []event{{2, "child", alm}, {3, "sup", alm}},
			nil, "W discarded at t3: suppressed by Alarm"},
		{"3: composite back to OK within W", []event{{2, "child", alm}, {3, "child", ok}},
			[]string{"12:15:00 OK ok (held by WaitPeriod)"}, "a new W t3–t5; at t5 the actions for the current state (OK) run"},
		{"4: suppressor already in ALARM", []event{{1, "sup", alm}, {2, "child", alm}},
			nil, "suppressed by Alarm at once, no W"},
		{"5: suppressor recovers", []event{{2, "child", alm}, {3, "sup", alm}, {6, "sup", ok}},
			[]string{"12:19:00 ALARM page (held by ExtensionPeriod)"}, "E runs t6–t9; after E the actions run"},
		{"6: composite recovers during E", []event{{2, "child", alm}, {3, "sup", alm}, {6, "sup", ok}, {7, "child", ok}},
			[]string{"12:19:00 OK ok (held by WaitPeriod)"}, "E discarded at t7; a new W t7–t9; after W the actions for OK run (the current User Guide)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			acts := &actionLog{}
			e, _ := newEngine(t, acts)
			for _, n := range []string{"child", "sup"} {
				e.PutMetricAlarm(ctx, childAlarm(n))
				e.SetAlarmState(ctx, n, ok, "start", "")
			}
			err := e.PutCompositeAlarm(ctx, composite.Config{AlarmName: "svc", AlarmRule: "ALARM(child)",
				OKActions: []string{"arn:aws:sns:us-east-1:123456789012:ok"}, AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:page"},
				ActionsSuppressor: "sup", ActionsSuppressorWaitPeriod: ptr(120), ActionsSuppressorExtensionPeriod: ptr(180)})
			if err != nil {
				t.Fatal(err)
			}
			e.Advance(ctx, 10*time.Minute)
			if diff := cmp.Diff([]string{"12:02:00 OK ok (held by WaitPeriod)"}, acts.take()); diff != "" {
				t.Errorf("the creation's OK actions, held for a WaitPeriod (-want +got):\n%s", diff)
			}
			minute := 0
			for _, ev := range tt.events {
				e.Advance(ctx, time.Duration(ev.at-minute)*time.Minute)
				minute = ev.at
				if err := e.SetAlarmState(ctx, ev.alarm, ev.to, "event", ""); err != nil {
					t.Fatal(err)
				}
			}
			e.Advance(ctx, 10*time.Minute)
			if diff := cmp.Diff(tt.want, acts.take()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.why, diff)
			}
			out, _ := e.DescribeAlarms(ctx, klaxon.AlarmFilter{AlarmTypes: []string{klaxon.CompositeAlarmType}})
			c := out.CompositeAlarms[0]
			wantBy := ""
			if sup, _ := e.State("sup"); sup == alm {
				wantBy = "Alarm"
			}
			if c.ActionsSuppressedBy != wantBy || wantBy != "" && c.ActionsSuppressedReason != "Actions suppressed by Alarm" ||
				c.ActionsSuppressor != "sup" || *c.ActionsSuppressorWaitPeriod != 120 || *c.ActionsSuppressorExtensionPeriod != 180 {
				t.Errorf("described: suppressed by %q (%q), suppressor %q %v %v", c.ActionsSuppressedBy, c.ActionsSuppressedReason,
					c.ActionsSuppressor, *c.ActionsSuppressorWaitPeriod, *c.ActionsSuppressorExtensionPeriod)
			}
		})
	}
}
