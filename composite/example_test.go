package composite_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
)

// Parse a rule once, then evaluate it whenever a child changes state.
func ExampleParse() {
	r, err := composite.Parse(`AT_LEAST(2, ALARM, (web-1, web-2, web-3)) AND NOT ALARM("maintenance window")`)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Children())

	states := map[string]alarm.State{"web-1": alarm.StateAlarm, "web-2": alarm.StateAlarm, "web-3": alarm.StateOK}
	eval := func() alarm.State {
		s := make([]alarm.State, 0, 4)
		for _, c := range r.Children() {
			s = append(s, states[c]) // a child not in the map is INSUFFICIENT_DATA
		}
		return r.State(s)
	}
	fmt.Println(eval())
	states["maintenance window"] = alarm.StateAlarm
	fmt.Println(eval())
	// Output:
	// [web-1 web-2 web-3 maintenance window]
	// ALARM
	// OK
}

// A syntax error carries CloudWatch's message, the offset and the token.
func ExampleParse_error() {
	_, err := composite.Parse("(ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:SampleQueue Oldest Age Alarm))")
	fmt.Println(err)
	var re *composite.RuleError
	if errors.As(err, &re) {
		fmt.Println(re.Char, re.Token, errors.Is(err, composite.ErrValidation))
	}
	// Output:
	// composite: ValidationError: Error in AlarmRule [Unsupported token 'Oldest' at char 67, must be: ')']
	// 67 Oldest true
}

// String prints a rule in canonical form.
func ExampleRule_String() {
	r, _ := composite.Parse("((ALARM(\"cpu\")  OR\n ALARM(disk))) AND (NOT(OK(net)))")
	fmt.Println(r)
	// Output:
	// (ALARM(cpu) OR ALARM(disk)) AND NOT OK(net)
}

// A composite with a suppressor (WaitPeriod 120 s, ExtensionPeriod 180 s)
// goes to ALARM while the suppressor is OK; the suppressor reaches ALARM
// within the WaitPeriod, and the actions wait until 180 s after it
// recovers.
func ExampleSuppression() {
	t0 := time.Date(2022, 7, 22, 15, 57, 45, 0, time.UTC)
	s := composite.NewSuppression(120*time.Second, 180*time.Second, alarm.StateOK)
	show := func(event string, act bool, next time.Time) {
		end := "-"
		if !next.IsZero() {
			end = next.Format("15:04:05")
		}
		fmt.Printf("%-20s act=%-5v until=%-8s reason=%q\n", event, act, end, s.By().Reason())
	}

	act, next := s.CompositeChanged(t0, alarm.StateOK)
	show("composite -> ALARM", act, next)
	act, next = s.SuppressorChanged(t0.Add(time.Minute), alarm.StateAlarm)
	show("suppressor -> ALARM", act, next)
	act, next = s.SuppressorChanged(t0.Add(10*time.Minute), alarm.StateOK)
	show("suppressor -> OK", act, next)
	act, next = s.Advance(next)
	show("extension ends", act, next)
	// Output:
	// composite -> ALARM   act=false until=15:59:45 reason="Actions suppressed by WaitPeriod"
	// suppressor -> ALARM  act=false until=-        reason="Actions suppressed by Alarm"
	// suppressor -> OK     act=false until=16:10:45 reason="Actions suppressed by ExtensionPeriod"
	// extension ends       act=true  until=-        reason=""
}

// The reason and reason data of a transition caused by a child.
func ExampleReasonData() {
	child := "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"
	at := time.Date(2022, 7, 22, 15, 57, 45, 394e6, time.UTC)
	fmt.Println(composite.ChildReason(child, alarm.StateAlarm, at))
	fmt.Println(composite.ReasonData(composite.TriggeringAlarm{ARN: child, State: alarm.StateAlarm, Timestamp: at}))
	// Output:
	// arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC
	// {"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}
}
