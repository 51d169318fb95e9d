package composite

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/alarm"
)

// refs returns n alarm ARNs.
func refs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("arn:aws:cloudwatch:us-east-1:123456789012:alarm:service-%03d-latency", i)
	}
	return out
}

// benchRules are rules over 100 children, and their children's states,
// chosen so that Eval reads every child (no early exit).
var benchRules = []struct {
	name string
	rule string
}{
	{"or100", "ALARM(" + strings.Join(refs(100), ") OR ALARM(") + ")"},
	{"at_least100", "AT_LEAST(60%, ALARM, (" + strings.Join(refs(100), ", ") + "))"},
	{"mixed100", "(ALARM(" + strings.Join(refs(100)[:50], ") OR ALARM(") + ")) AND NOT (OK(" +
		strings.Join(refs(100)[50:80], ") AND OK(") + ")) OR AT_LEAST(2, INSUFFICIENT_DATA, (" + strings.Join(refs(100)[80:], ", ") + "))"},
}

func BenchmarkEval(b *testing.B) {
	for _, br := range benchRules {
		b.Run(br.name, func(b *testing.B) {
			r, err := Parse(br.rule)
			if err != nil {
				b.Fatal(err)
			}
			if n := len(r.Children()); n != 100 {
				b.Fatalf("%d children, want 100", n)
			}
			states := make([]alarm.State, 100)
			for i := range states {
				states[i] = alarm.StateOK // no ALARM: the ORs and AT_LEASTs read every child
			}
			b.ReportAllocs()
			for b.Loop() {
				r.Eval(states)
			}
		})
	}
}

// rule10240 is a rule of exactly MaxRuleLength characters: 100 ARN
// references joined by OR and AND in groups, the last name padded.
var rule10240 = func() string {
	var parts []string
	for i, ref := range refs(100) {
		fn := "ALARM"
		if i%3 == 1 {
			fn = "OK"
		}
		parts = append(parts, fn+"("+ref+")")
	}
	var groups []string
	for i := 0; i < 100; i += 4 {
		groups = append(groups, "("+strings.Join(parts[i:i+4], " AND ")+")")
	}
	s := strings.Join(groups, " OR\n")
	pad := MaxRuleLength - utf8.RuneCountInString(s)
	return s[:len(s)-2] + strings.Repeat("x", pad) + "))"
}()

func BenchmarkParse(b *testing.B) {
	if n := utf8.RuneCountInString(rule10240); n != MaxRuleLength {
		b.Fatalf("rule of %d characters, want %d", n, MaxRuleLength)
	}
	b.SetBytes(int64(len(rule10240)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(rule10240); err != nil {
			b.Fatal(err)
		}
	}
}
