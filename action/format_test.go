package action

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
)

func TestSubject(t *testing.T) {
	const virginia = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"
	long := strings.Repeat("n", 200)
	tests := []struct {
		to   alarm.State
		name string
		arn  string
		want string
		why  string
	}{
		{alarm.StateAlarm, "cpu-high", virginia, `ALARM: "cpu-high" in US East (N. Virginia)`, "the state, the quoted name and the Region's display name"},
		{alarm.StateOK, "cpu-high", virginia, `OK: "cpu-high" in US East (N. Virginia)`, "OK"},
		{alarm.StateInsufficientData, "cpu-high", virginia, `INSUFFICIENT_DATA: "cpu-high" in US East (N. Virginia)`, "INSUFFICIENT_DATA"},
		{alarm.StateAlarm, "Inicio de Sesión", "arn:aws:cloudwatch:sa-east-1:123456789012:alarm:x", `ALARM: "Inicio de Sesi_n" in South America (Sao Paulo)`, "a non-ASCII character becomes one '_' (a real subject)"},
		{alarm.StateAlarm, "メモリ使用率", "arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:x", `ALARM: "______" in Asia Pacific (Tokyo)`, "one '_' per character, not per byte"},
		{alarm.StateAlarm, "fire 🔥", virginia, `ALARM: "fire _" in US East (N. Virginia)`, "a character outside the BMP is one '_' too"},
		{alarm.StateAlarm, "bad\xffbyte", virginia, `ALARM: "bad_byte" in US East (N. Virginia)`, "a byte that is not UTF-8 becomes '_'"},
		{alarm.StateAlarm, "tab\there\x7f", virginia, `ALARM: "tab_here_" in US East (N. Virginia)`, "control characters and DEL are not printable ASCII either"},
		{alarm.StateAlarm, `say "hi"`, virginia, `ALARM: "say "hi"" in US East (N. Virginia)`, "quotes are kept as they are"},
		{alarm.StateAlarm, long[:100-len(`ALARM: "" in US East (N. Virginia)`)], virginia,
			`ALARM: "` + long[:100-len(`ALARM: "" in US East (N. Virginia)`)] + `" in US East (N. Virginia)`, "exactly 100 characters: kept whole"},
		{alarm.StateAlarm, long[:101-len(`ALARM: "" in US East (N. Virginia)`)], virginia,
			`ALARM: "` + long[:100-len(`ALARM: "..." in US East (N. Virginia)`)] + `..." in US East (N. Virginia)`, "101 characters: the name is cut and ends with ..., 100 in all"},
		{alarm.StateInsufficientData, "é" + long, "arn:aws:cloudwatch:ap-southeast-6:123456789012:alarm:x",
			`INSUFFICIENT_DATA: "_` + long[:100-len(`INSUFFICIENT_DATA: "_..." in Asia Pacific (New Zealand)`)] + `..." in Asia Pacific (New Zealand)`, "the cut counts the characters after the replacement"},
		{alarm.StateAlarm, "cpu", "arn:aws:cloudwatch:xx-moon-1:123456789012:alarm:x", `ALARM: "cpu" in xx-moon-1`, "an unknown Region is named by its code"},
		{alarm.StateAlarm, "cpu", "not an arn", `ALARM: "cpu" in `, "no Region when the ARN is not an alarm's"},
	}
	for _, tt := range tests {
		got := Format{}.Subject(klaxon.Transition{To: tt.to, AlarmName: tt.name, AlarmArn: tt.arn})
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Subject(%q) (-want +got):\n%s", tt.why, tt.name, diff)
		}
		if len(got) > maxSubject {
			t.Errorf("%s: Subject(%q) has %d characters, more than %d", tt.why, tt.name, len(got), maxSubject)
		}
	}
}

func TestRegionName(t *testing.T) {
	tests := []struct{ code, want, why string }{
		{"us-east-1", "US East (N. Virginia)", "seen in real messages"},
		{"us-east-2", "US East (Ohio)", "seen"},
		{"us-west-1", "US West (N. California)", "seen"},
		{"us-west-2", "US West (Oregon)", "seen"},
		{"eu-west-1", "EU (Ireland)", "seen: EU, not Europe"},
		{"eu-west-2", "EU (London)", "seen"},
		{"eu-west-3", "EU (Paris)", "seen"},
		{"eu-central-1", "EU (Frankfurt)", "seen"},
		{"eu-south-1", "EU (Milan)", "seen"},
		{"eu-north-1", "EU (Stockholm)", "seen"},
		{"eu-central-2", "EU (Zurich)", "inferred: the EU pattern"},
		{"eu-south-2", "EU (Spain)", "inferred: the EU pattern"},
		{"ap-northeast-1", "Asia Pacific (Tokyo)", "seen"},
		{"ap-northeast-2", "Asia Pacific (Seoul)", "seen"},
		{"ap-northeast-3", "Asia Pacific (Osaka)", "inferred"},
		{"ap-southeast-1", "Asia Pacific (Singapore)", "seen"},
		{"ap-southeast-2", "Asia Pacific (Sydney)", "seen"},
		{"ap-south-1", "Asia Pacific (Mumbai)", "seen"},
		{"ca-central-1", "Canada (Central)", "seen"},
		{"ca-west-1", "Canada West (Calgary)", "inferred"},
		{"sa-east-1", "South America (Sao Paulo)", "seen: ASCII, as a subject needs"},
		{"me-central-1", "Middle East (UAE)", "inferred"},
		{"il-central-1", "Israel (Tel Aviv)", "inferred"},
		{"mx-central-1", "Mexico (Central)", "inferred"},
		{"af-south-1", "Africa (Cape Town)", "inferred"},
		{"us-gov-west-1", "AWS GovCloud (US-West)", "outside the commercial partition"},
		{"xx-moon-1", "xx-moon-1", "an unknown code is returned as it is"},
		{"", "", "nothing for nothing"},
	}
	for _, tt := range tests {
		if got := RegionName(tt.code); got != tt.want {
			t.Errorf("%s: RegionName(%q) = %q, want %q", tt.why, tt.code, got, tt.want)
		}
	}
	for code, name := range regionNames {
		if !isPrintableASCII(name) || strings.HasPrefix(name, "Europe") {
			t.Errorf("RegionName(%q) = %q: a display name is printable ASCII and says EU, not Europe", code, name)
		}
	}
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func TestStatisticName(t *testing.T) {
	tests := []struct{ stat, want, why string }{
		{"Average", "AVERAGE", "seen in real messages"},
		{"Sum", "SUM", "seen"},
		{"Minimum", "MINIMUM", "seen"},
		{"Maximum", "MAXIMUM", "seen"},
		{"SampleCount", "SAMPLE_COUNT", "a Java enum constant's name: an underscore between words"},
		{"FooBar", "FOO_BAR", "any other statistic by the same rule (never reached: Put validates)"},
	}
	for _, tt := range tests {
		if got := statisticName(tt.stat); got != tt.want {
			t.Errorf("%s: statisticName(%q) = %q, want %q", tt.why, tt.stat, got, tt.want)
		}
	}
}

// TestSNSMessageFields checks the rules for each field of the SNS message
// that the captures do not all show: what null, "", [] and absent keys
// stand for, and the forms of statistics and thresholds.
func TestSNSMessageFields(t *testing.T) {
	tests := []struct {
		name   string
		base   func() klaxon.Transition
		change func(t *klaxon.Transition)
		layout Layout
		has    []string // fragments the message contains
		hasNot []string // fragments it does not
		why    string
	}{
		{"description unset", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.AlarmDescription = "" }, LayoutDocumented,
			[]string{`"AlarmDescription":null,`}, nil, "an unset description is null"},
		{"composite description unset", composite2022, func(t *klaxon.Transition) { t.CompositeAlarm.AlarmDescription = "" }, LayoutDocumented,
			[]string{`"AlarmDescription":null,`}, nil, "null for composites too in the documented layout"},
		{"composite description unset, 2021", composite2022, func(t *klaxon.Transition) { t.CompositeAlarm.AlarmDescription = "" }, Layout2021,
			[]string{`"AlarmDescription":"",`}, []string{`"OKActions"`}, "\"\" in the 2021 layout, which has no action lists"},
		{"unit", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.Unit = "Seconds" }, LayoutDocumented,
			[]string{`"Unit":"Seconds",`}, nil, "a unit is a string, null only when unset"},
		{"extended statistic", metric2025, func(t *klaxon.Transition) {
			t.MetricAlarm.Statistic, t.MetricAlarm.ExtendedStatistic = "", "p99"
		}, LayoutDocumented,
			[]string{`"StatisticType":"ExtendedStatistic","ExtendedStatistic":"p99","Unit"`}, []string{`"Statistic":`}, "ExtendedStatistic takes Statistic's place"},
		{"sample count", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.Statistic = "SampleCount" }, LayoutDocumented,
			[]string{`"StatisticType":"Statistic","Statistic":"SAMPLE_COUNT"`}, nil, "upper case with an underscore"},
		{"no dimensions", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.Dimensions = nil }, LayoutDocumented,
			[]string{`"Dimensions":[],`}, nil, "no dimensions: an empty list"},
		{"threshold zero", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.Threshold = 0 }, LayoutDocumented,
			[]string{`"Threshold":0.0,`}, nil, "a Java double always has a decimal"},
		{"threshold large", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.Threshold = 1e7 }, LayoutDocumented,
			[]string{`"Threshold":1.0E7,`}, nil, "Java's notation from 10^7 on"},
		{"threshold small", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.Threshold = 0.004 }, LayoutDocumented,
			[]string{`"Threshold":0.004,`}, nil, "as seen in a real message"},
		{"missing data unset", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.TreatMissingData = "" }, LayoutDocumented,
			[]string{`"TreatMissingData":"",`}, nil, "\"\" when unset, as real messages show"},
		{"missing data 2021", metric2025, nil, Layout2021,
			[]string{`"TreatMissingData":"- TreatMissingData:                    notBreaching",`}, []string{`"DatapointsToAlarm"`, `"AlarmConfigurationUpdatedTimestamp"`, `"AlarmActions"`},
			"the 2021 layout: the email's line, no DatapointsToAlarm, no configuration time, no action lists"},
		{"missing data unset 2021", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.TreatMissingData = "" }, Layout2021,
			[]string{`"TreatMissingData":"",`}, nil, "\"\" when unset in 2021 too"},
		{"low sample count", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.EvaluateLowSampleCountPercentile = "ignore" }, LayoutDocumented,
			[]string{`"EvaluateLowSampleCountPercentile":"ignore"}`}, nil, "the value when set"},
		{"datapoints to alarm unset", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.DatapointsToAlarm = 0 }, LayoutDocumented,
			[]string{`"EvaluationPeriods":1,"ComparisonOperator"`}, []string{"DatapointsToAlarm"}, "absent when unset"},
		{"no actions", metric2025, func(t *klaxon.Transition) { t.MetricAlarm.AlarmActions = nil }, LayoutDocumented,
			[]string{`"OKActions":[],"AlarmActions":[],"InsufficientDataActions":[],"Trigger"`}, nil, "empty lists, never null"},
		{"mute window, metric", metric2025, nil, Layout2026,
			[]string{`"OldStateValue":"OK","ActionExecutedAfterMuteWindow":false,"OKActions"`}, nil, "Layout2026: right after OldStateValue"},
		{"mute window, composite", composite2022, nil, Layout2026,
			[]string{`"OldStateValue":"OK","ActionExecutedAfterMuteWindow":false,"AlarmRule"`}, nil, "Layout2026: after OldStateValue, which follows the lists"},
		{"no mute window by default", metric2025, nil, LayoutDocumented, nil, []string{"ActionExecutedAfterMuteWindow"}, "undocumented: only in Layout2026"},
		{"triggering children", composite2021, nil, LayoutDocumented,
			[]string{`"TriggeringChildren":[{"Arn":"arn:aws:cloudwatch:us-east-1:427809481713:alarm:if-sim-app_427809481713_us-east-1-metric_emitting_node_failure","State":{"Value":"ALARM","Timestamp":"2021-11-10T02:45:55.640+0000"}}]}`},
			nil, "objects, not strings as the docs say"},
		{"reason data of SetAlarmState", composite2021, func(t *klaxon.Transition) { t.ReasonData = `{"note":"set by hand"}` }, LayoutDocumented,
			[]string{`"TriggeringChildren":[]}`}, nil, "reason data that is not CloudWatch's gives no children"},
		{"escaped strings", metric2025, func(t *klaxon.Transition) { t.Reason = "a \"quoted\" <reason>\n" }, LayoutDocumented,
			[]string{`"NewStateReason":"a \"quoted\" <reason>\n",`}, nil, "Jackson escapes quotes and control characters, not < or >"},
	}
	for _, tt := range tests {
		tr := tt.base()
		if tt.change != nil {
			tt.change(&tr)
		}
		msg, err := Format{Layout: tt.layout}.SNSMessage(tr)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for _, h := range tt.has {
			if !strings.Contains(msg, h) {
				t.Errorf("%s (%s): the message has no %s:\n%s", tt.name, tt.why, h, msg)
			}
		}
		for _, h := range tt.hasNot {
			if strings.Contains(msg, h) {
				t.Errorf("%s (%s): the message has %s:\n%s", tt.name, tt.why, h, msg)
			}
		}
	}
}

func TestPayloadErrors(t *testing.T) {
	good := metric2025()
	tests := []struct {
		name   string
		change func(t *klaxon.Transition)
		want   string
	}{
		{"no configuration", func(t *klaxon.Transition) { t.MetricAlarm = nil },
			`action: the transition of alarm "[TITLE-TEST-ALARM] Title of Broken Alarm" carries no configuration (MetricAlarm or CompositeAlarm): a payload is built from it`},
		{"empty ARN", func(t *klaxon.Transition) { t.AlarmArn = "" },
			`action: the transition of alarm "[TITLE-TEST-ALARM] Title of Broken Alarm": the alarm ARN "" is not arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:NAME: it has fewer than 7 colon-separated parts`},
		{"another service", func(t *klaxon.Transition) { t.AlarmArn = "arn:aws:sns:us-east-1:123456789012:alarm:x" },
			`the service is "sns", not cloudwatch`},
		{"no Region", func(t *klaxon.Transition) { t.AlarmArn = "arn:aws:cloudwatch::123456789012:alarm:x" }, `the Region is empty`},
		{"no account", func(t *klaxon.Transition) { t.AlarmArn = "arn:aws:cloudwatch:us-east-1::alarm:x" }, `the account is empty`},
		{"not an alarm", func(t *klaxon.Transition) { t.AlarmArn = "arn:aws:cloudwatch:us-east-1:123456789012:dashboard:x" },
			`the resource type is "dashboard", not alarm`},
		{"no name", func(t *klaxon.Transition) { t.AlarmArn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" }, `the alarm name is empty`},
		{"no partition", func(t *klaxon.Transition) { t.AlarmArn = "arn::cloudwatch:us-east-1:123456789012:alarm:x" }, `the partition is empty`},
	}
	builders := map[string]func(f Format, t klaxon.Transition) (string, error){
		"SNSMessage": Format.SNSMessage, "Email": Format.Email, "PublishedMessage": Format.PublishedMessage,
		"Event": Format.Event, "LambdaPayload": Format.LambdaPayload,
	}
	for _, tt := range tests {
		tr := good
		tr.MetricAlarm = ptr(good.MetricAlarm.Clone())
		tt.change(&tr)
		for name, build := range builders {
			got, err := build(Format{}, tr)
			if err == nil {
				t.Errorf("%s: %s = %q, want an error", tt.name, name, got)
				continue
			}
			if !errors.Is(err, ErrPayload) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: %s error %q, want one matching ErrPayload and saying %q", tt.name, name, err, tt.want)
			}
		}
	}
	// A name with colons is a name.
	if a, err := parseAlarmARN("arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:a:b:c"); err != nil || a.Name != "a:b:c" || a.Partition != "aws-cn" {
		t.Errorf("parseAlarmARN of a name with colons = %+v, %v", a, err)
	}
}

func TestConfigurationEventErrors(t *testing.T) {
	c := ConfigurationChange{Operation: OperationCreate, AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x",
		CompositeAlarm: &composite.Config{AlarmName: "x", AlarmRule: "TRUE"}}
	tests := []struct {
		name   string
		change func(c *ConfigurationChange)
		want   string
	}{
		{"operation", func(c *ConfigurationChange) { c.Operation = "rename" }, `the operation "rename" of the configuration change of "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x" is not create, update or delete`},
		{"no configuration", func(c *ConfigurationChange) { c.CompositeAlarm = nil }, "needs exactly one of MetricAlarm and CompositeAlarm"},
		{"two configurations", func(c *ConfigurationChange) { c.MetricAlarm = &alarm.Config{} }, "needs exactly one of MetricAlarm and CompositeAlarm"},
		{"update without the previous", func(c *ConfigurationChange) { c.Operation = OperationUpdate }, "needs exactly one of PreviousMetricAlarm and PreviousCompositeAlarm"},
		{"ARN", func(c *ConfigurationChange) { c.AlarmArn = "x" }, `the alarm ARN "x" is not`},
	}
	for _, tt := range tests {
		cc := c
		tt.change(&cc)
		_, err := Format{}.ConfigurationEvent(cc)
		if err == nil || !errors.Is(err, ErrPayload) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}

func TestLayoutString(t *testing.T) {
	for l, want := range map[Layout]string{LayoutDocumented: "LayoutDocumented", Layout2021: "Layout2021", Layout2026: "Layout2026", 9: "Layout(9)"} {
		if got := l.String(); got != want {
			t.Errorf("Layout(%d).String() = %q, want %q", l, got, want)
		}
	}
}
