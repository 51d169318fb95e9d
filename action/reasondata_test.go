package action

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
)

const (
	childA = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a"
	childB = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:b"
)

var reasonDataTests = []struct {
	data string
	want []child // nil: an error
	err  string  // part of the error
	why  string
}{
	{composite.ReasonData(composite.TriggeringAlarm{ARN: childA, State: alarm.StateAlarm, Timestamp: time.Date(2022, 7, 22, 15, 57, 45, 394e6, time.UTC)}),
		[]child{{childA, "ALARM", "2022-07-22T15:57:45.394+0000"}}, "", "CloudWatch's form, as package composite writes it"},
	{`{"triggeringAlarms":[{"arn":"` + childA + `","state":{"value":"OK","timestamp":"t1"}},{"arn":"` + childB + `","state":{"value":"ALARM","timestamp":"t2"}}]}`,
		[]child{{childA, "OK", "t1"}, {childB, "ALARM", "t2"}}, "", "all the children after creation, in order"},
	{`{"triggeringAlarms":[]}`, []child{}, "", "no child"},
	{" {\n \"triggeringAlarms\" : [ { \"state\" : { \"timestamp\" : \"t\" , \"value\" : \"OK\" } , \"arn\" : \"a\" } ] } \n",
		[]child{{"a", "OK", "t"}}, "", "white space anywhere, keys in any order"},
	{`{"version":"1.0","triggeringAlarms":[{"arn":"a","x":[1,-2.5e+3,true,null,{"y":"z"}],"state":{"value":"OK","timestamp":"t","extra":false}}],"more":{}}`,
		[]child{{"a", "OK", "t"}}, "", "other keys are skipped, whatever their values"},
	{`{"triggeringAlarms":[{"arn":"a\"b\\c\/d\u00e9\ud83d\udd25","state":{"value":"OK","timestamp":"t"}}]}`,
		[]child{{"a\"b\\c/dé🔥", "OK", "t"}}, "", "escapes are decoded, a surrogate pair included"},
	{`{"triggeringAlarms":[{"arn":"\ud800x","state":{"value":"OK","timestamp":"t"}}]}`,
		[]child{{"\ufffdx", "OK", "t"}}, "", "a lone surrogate is U+FFFD, as encoding/json has it"},
	{`{"triggeringAlarms":[{"arn":"x","state":{"value":"OK","timestamp":"t"}}],"triggeringAlarms":[]}`,
		[]child{}, "", "of a repeated key, the last counts"},
	{"", nil, "at offset 0: expected '{' (an object)", "nothing: SetAlarmState without reason data"},
	{`{"note":"set by hand"}`, nil, `no "triggeringAlarms" key`, "SetAlarmState's own reason data"},
	{`[]`, nil, "expected '{'", "not an object"},
	{`{"triggeringAlarms":{}}`, nil, `at offset 20: "triggeringAlarms" is not an array`, "not an array"},
	{`{"triggeringAlarms":[{"arn":"a"}]}`, nil, `at offset 21: a triggering alarm needs a string "arn" and a "state" object`, "no state"},
	{`{"triggeringAlarms":[{"arn":"a","state":{"value":"OK"}}]}`, nil, `with the strings "value" and "timestamp"`, "no timestamp"},
	{`{"triggeringAlarms":[{"arn":1,"state":{"value":"OK","timestamp":"t"}}]}`, nil, `a triggering alarm needs a string "arn"`, "an ARN that is not a string"},
	{`{"triggeringAlarms":[]} x`, nil, "at offset 24: text after the JSON value", "text after the value"},
	{`{"triggeringAlarms":[}`, nil, "at offset 21: expected a value", "a broken array"},
	{`{"triggeringAlarms":[1]}`, nil, "at offset 21: a triggering alarm is not an object", "an element that is not an object"},
	{`{"triggeringAlarms":[{}],"triggeringAlarms":[]}`, []child{}, "", "a repeated key replaces the earlier value, problems included"},
	{`{"triggeringAlarms":[],"triggeringAlarms":[{}]}`, nil, "a triggering alarm needs", "and the last value's problems count"},
	{`{"triggeringAlarms":[{"arn":1,"arn":"a","state":{"value":"OK","timestamp":"t"}}]}`, []child{{"a", "OK", "t"}}, "", "of a repeated arn, the last counts"},
	{`{"triggeringAlarms":[{"arn":"a","state":{"value":"OK","timestamp":"t"},"state":{"value":"OK"}}]}`, nil, `"timestamp"`, "a repeated state replaces the whole object"},
	{`{"triggeringAlarms":[],}`, nil, `expected '"' (a string)`, "a trailing comma"},
	{`{"x":01,"triggeringAlarms":[]}`, nil, "expected ',' or '}'", "a leading zero"},
	{`{"x":1.,"triggeringAlarms":[]}`, nil, "expected a digit after '.'", "a number without fraction digits"},
	{`{"x":tru,"triggeringAlarms":[]}`, nil, "expected true", "a broken literal"},
	{`{"x":"a` + "\n" + `"}`, nil, "a control character in a string", "a raw line feed in a string"},
	{`{"x":"\q"}`, nil, `an invalid escape \q`, "an unknown escape"},
	{`{"x":"\u12"}`, nil, `expected 4 hexadecimal digits after \u`, "a short \\u escape"},
	{`{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, nil, "nested more than 64 levels", "deep nesting is refused, not recursed into"},
	{`{"triggeringAlarms":[{"arn":"a","state":{"value":"OK","timestamp":"t"}}`, nil, "unterminated", "cut short"},
}

func TestParseTriggeringAlarms(t *testing.T) {
	for _, tt := range reasonDataTests {
		got, err := parseTriggeringAlarms(tt.data, nil)
		if tt.want == nil {
			if err == nil || !errors.Is(err, ErrPayload) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: parseTriggeringAlarms(%q) error %v, want one saying %q", tt.why, tt.data, err, tt.err)
			}
			if len(got) != 0 {
				t.Errorf("%s: parseTriggeringAlarms(%q) = %v with an error, want nothing", tt.why, tt.data, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: parseTriggeringAlarms(%q): %v", tt.why, tt.data, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(child{})); diff != "" && !(len(tt.want) == 0 && len(got) == 0) {
			t.Errorf("%s: parseTriggeringAlarms(%q) (-want +got):\n%s", tt.why, tt.data, diff)
		}
	}
}

// referenceChildren decodes reason data with encoding/json: the reference
// the fuzz target holds parseTriggeringAlarms to. ok is false when the
// text is not JSON or not of CloudWatch's shape.
func referenceChildren(data string) (children []child, ok bool) {
	var v any
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		return nil, false
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	list, ok := top["triggeringAlarms"].([]any)
	if !ok {
		return nil, false
	}
	children = []child{}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		arn, ok1 := m["arn"].(string)
		st, ok2 := m["state"].(map[string]any)
		if !ok1 || !ok2 {
			return nil, false
		}
		value, ok1 := st["value"].(string)
		ts, ok2 := st["timestamp"].(string)
		if !ok1 || !ok2 {
			return nil, false
		}
		children = append(children, child{arn, value, ts})
	}
	return children, true
}

// FuzzParseTriggeringAlarms checks that parseTriggeringAlarms never
// panics, and agrees with encoding/json on what is CloudWatch's reason
// data and on the children it holds (but for nesting deeper than it
// reads).
func FuzzParseTriggeringAlarms(f *testing.F) {
	for _, tt := range reasonDataTests {
		f.Add(tt.data)
	}
	f.Fuzz(func(t *testing.T, data string) {
		got, err := parseTriggeringAlarms(data, nil)
		want, ok := referenceChildren(data)
		if err != nil {
			if !errors.Is(err, ErrPayload) {
				t.Fatalf("parseTriggeringAlarms(%q): an error that is not ErrPayload: %v", data, err)
			}
			if ok && !strings.Contains(err.Error(), "nested more than") {
				t.Fatalf("parseTriggeringAlarms(%q): %v; encoding/json reads %v", data, err, want)
			}
			return
		}
		if !ok {
			t.Fatalf("parseTriggeringAlarms(%q) = %v; encoding/json does not read it as reason data", data, got)
		}
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(child{})); diff != "" {
			t.Fatalf("parseTriggeringAlarms(%q) disagrees with encoding/json (-json +ours):\n%s", data, diff)
		}
	})
}

// FuzzAlarmARN checks that any alarm ARN, parsed or not, builds payloads
// or errors without panicking, that a parsed one gives back its parts,
// and that the subject is at most 100 printable ASCII characters.
func FuzzAlarmARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu",
		"arn:aws-cn:cloudwatch:cn-north-1:123456:alarm:a:b:c",
		"arn:aws:cloudwatch:eu-west-1:1:alarm:" + strings.Repeat("é", 120),
		"arn:aws:sns:us-east-1:123456789012:topic", "", ":::::::", "arn:a:cloudwatch:r:a:alarm:\xff",
	} {
		f.Add(s, "name")
	}
	f.Fuzz(func(t *testing.T, arn, name string) {
		a, err := parseAlarmARN(arn)
		if err == nil {
			if back := "arn:" + a.Partition + ":cloudwatch:" + a.Region + ":" + a.Account + ":alarm:" + a.Name; back != arn {
				t.Fatalf("parseAlarmARN(%q) = %+v, which makes %q", arn, a, back)
			}
		} else if !errors.Is(err, ErrPayload) || !strings.Contains(err.Error(), "arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:NAME") {
			t.Fatalf("parseAlarmARN(%q): the error does not say the rule: %v", arn, err)
		}
		tr := metric2025()
		tr.AlarmArn, tr.AlarmName = arn, name
		s := Format{}.Subject(tr)
		if len(s) > maxSubject || !isPrintableASCII(s) {
			t.Fatalf("Subject of %q in %q = %q: more than 100 characters or not printable ASCII", name, arn, s)
		}
		for _, build := range []func(Format, klaxon.Transition) (string, error){Format.SNSMessage, Format.PublishedMessage, Format.Event, Format.LambdaPayload} {
			out, err := build(Format{}, tr)
			if (err == nil) != (a.Name != "") || err == nil && !json.Valid([]byte(out)) {
				t.Fatalf("a payload of %q: %v, %q", arn, err, out)
			}
		}
	})
}
