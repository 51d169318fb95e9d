package composite

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwerr"
)

func ptr[T any](v T) *T { return &v }

// sns is an SNS action ARN (an SNS topic
// name is at most 256: a long ARN is an OpsItem's, in AlarmActions).
func sns(topic string) string { return "arn:aws:sns:us-east-1:123456789012:" + topic }

// validConfig is a composite with every field set and valid: the
// EventBridge documentation's ServiceAggregatedAlarm with its suppressor.
func validConfig() Config {
	return Config{
		AlarmName:                        "ServiceAggregatedAlarm",
		AlarmDescription:                 "Aggregated monitor for instance",
		AlarmRule:                        "ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)",
		ActionsEnabled:                   ptr(true),
		OKActions:                        []string{"arn:aws:sns:us-east-1:123456789012:ops"},
		AlarmActions:                     []string{"arn:aws:sns:us-east-1:123456789012:ops", "arn:aws:sns:us-east-1:123456789012:pager"},
		InsufficientDataActions:          []string{"arn:aws:sns:us-east-1:123456789012:ops"},
		ActionsSuppressor:                "ServiceMaintenanceAlarm",
		ActionsSuppressorWaitPeriod:      ptr(120),
		ActionsSuppressorExtensionPeriod: ptr(180),
		Tags:                             []alarm.Tag{{Key: "team", Value: "ops"}},
	}
}

// errorMessages returns the Error() of each error joined in err, and
// checks that each matches ErrValidation.
func errorMessages(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []string
	for _, e := range errs {
		if !errors.Is(e, ErrValidation) {
			t.Errorf("errors.Is(%v, ErrValidation) = false", e)
		}
		out = append(out, e.Error())
	}
	return out
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
		want   []string
		why    string
	}{
		{"valid", func(c *Config) {}, nil, "every field set within its limits"},
		{"minimal", func(c *Config) { *c = Config{AlarmName: "a", AlarmRule: "FALSE"} }, nil,
			"only AlarmName and AlarmRule are required"},
		{"zero periods", func(c *Config) { c.ActionsSuppressorWaitPeriod, c.ActionsSuppressorExtensionPeriod = ptr(0), ptr(0) }, nil,
			"any integer number of seconds is accepted, 0 included"},
		{"limits met", func(c *Config) {
			c.AlarmName = strings.Repeat("n", 255)
			c.AlarmDescription = strings.Repeat("é", 1024)
			c.OKActions = []string{sns("a"), sns("b"), sns("c"), sns("d"), sns("e")}
			c.AlarmActions = []string{"arn:aws:ssm:us-east-1:123456789012:opsitem:3#CATEGORY=" + strings.Repeat("e", 1024-len("arn:aws:ssm:us-east-1:123456789012:opsitem:3#CATEGORY="))}
			c.ActionsSuppressor = strings.Repeat("s", 1600)
			c.ActionsSuppressorWaitPeriod = ptr(math.MaxInt32)
			c.Tags = make([]alarm.Tag, 50)
			for i := range c.Tags {
				c.Tags[i] = alarm.Tag{Key: strings.Repeat("k", 128), Value: strings.Repeat("v", 256)}
			}
		}, nil, "every limit is inclusive, and lengths count characters, not bytes"},
		{"empty", func(c *Config) { *c = Config{} }, []string{
			"composite: MissingParameter: The parameter AlarmName is required.",
			"composite: MissingParameter: The parameter AlarmRule is required.",
		}, "AlarmName and AlarmRule are required"},
		{"long name", func(c *Config) { c.AlarmName = strings.Repeat("n", 256) }, []string{
			"composite: ValidationError: 1 validation error detected: Value '" + strings.Repeat("n", 256) + "' at 'alarmName' failed to satisfy constraint: Member must have length less than or equal to 255",
		}, "AlarmName has at most 255 characters"},
		{"control character in name", func(c *Config) { c.AlarmName = "a\nb" }, []string{
			`composite: ValidationError: The value "a\nb" for parameter AlarmName is invalid: it contains the ASCII control character U+000A.`,
		}, "alarm names have no ASCII control characters"},
		{"name not utf-8", func(c *Config) { c.AlarmName = "caf\xe9" }, []string{
			`composite: ValidationError: The value "caf\xe9" for parameter AlarmName is invalid: it is not valid UTF-8.`,
		}, "alarm names are UTF-8"},
		{"long description", func(c *Config) { c.AlarmDescription = strings.Repeat("d", 1025) }, []string{
			"composite: ValidationError: 1 validation error detected: Value '" + strings.Repeat("d", 1025) + "' at 'alarmDescription' failed to satisfy constraint: Member must have length less than or equal to 1024",
		}, "AlarmDescription has at most 1024 characters"},
		{"rule syntax", func(c *Config) { c.AlarmRule = "()" }, []string{
			"composite: ValidationError: Error in AlarmRule [Unsupported token ')' at char 1]",
		}, "the rule must parse; CloudWatch's own message"},
		{"rule too long", func(c *Config) { c.AlarmRule = "ALARM(" + strings.Repeat("a", MaxRuleLength) + ")" }, []string{
			"composite: ValidationError: 1 validation error detected: Value 'ALARM(" + strings.Repeat("a", MaxRuleLength) + ")' at 'alarmRule' failed to satisfy constraint: Member must have length less than or equal to 10240",
		}, "the rule has at most 10240 characters"},
		{"six actions", func(c *Config) { c.AlarmActions = []string{sns("a"), sns("b"), sns("c"), sns("d"), sns("e"), sns("f")} }, []string{
			"composite: ValidationError: The collection AlarmActions must not have a size greater than 5 (got 6).",
		}, "at most 5 actions per state"},
		{"bad action lengths", func(c *Config) { c.OKActions = []string{"", strings.Repeat("x", 1025)} }, []string{
			"composite: ValidationError: 1 validation error detected: Value '' at 'oKActions.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1",
			"composite: ValidationError: 1 validation error detected: Value '" + strings.Repeat("x", 1025) + "' at 'oKActions.2.member' failed to satisfy constraint: Member must have length less than or equal to 1024",
		}, "each ARN has 1 to 1024 characters; CloudWatch's member path is oKActions"},
		{"long insufficient data action", func(c *Config) { c.InsufficientDataActions = []string{strings.Repeat("x", 1025)} }, []string{
			"composite: ValidationError: 1 validation error detected: Value '" + strings.Repeat("x", 1025) + "' at 'insufficientDataActions.1.member' failed to satisfy constraint: Member must have length less than or equal to 1024",
		}, "the third action list has the same rule"},
		{"long suppressor", func(c *Config) { c.ActionsSuppressor = strings.Repeat("s", 1601) }, []string{
			"composite: ValidationError: 1 validation error detected: Value '" + strings.Repeat("s", 1601) + "' at 'actionsSuppressor' failed to satisfy constraint: Member must have length less than or equal to 1600",
		}, "ActionsSuppressor has at most 1600 characters"},
		{"suppressor without periods", func(c *Config) {
			c.ActionsSuppressorWaitPeriod, c.ActionsSuppressorExtensionPeriod = nil, nil
		}, []string{
			"composite: MissingParameter: The parameter ActionsSuppressorWaitPeriod is required when ActionsSuppressor is set (got ActionsSuppressor 'ServiceMaintenanceAlarm').",
			"composite: MissingParameter: The parameter ActionsSuppressorExtensionPeriod is required when ActionsSuppressor is set (got ActionsSuppressor 'ServiceMaintenanceAlarm').",
		}, "W and E are required when a suppressor is set"},
		{"negative wait", func(c *Config) { c.ActionsSuppressorWaitPeriod = ptr(-1) }, []string{
			"composite: ValidationError: 1 validation error detected: Value '-1' at 'actionsSuppressorWaitPeriod' failed to satisfy constraint: Member must have value greater than or equal to 0",
		}, "a period is not negative"},
		{"huge extension", func(c *Config) { c.ActionsSuppressorExtensionPeriod = ptr(math.MaxInt32 + 1) }, []string{
			"composite: ValidationError: 1 validation error detected: Value '2147483648' at 'actionsSuppressorExtensionPeriod' failed to satisfy constraint: Member must have value less than or equal to 2147483647",
		}, "a period is a 32-bit integer in the API"},
		{"periods without suppressor", func(c *Config) { c.ActionsSuppressor = "" }, []string{
			"composite: InvalidParameterCombination: The parameter ActionsSuppressorWaitPeriod can be used only with ActionsSuppressor (got 120 without ActionsSuppressor).",
			"composite: InvalidParameterCombination: The parameter ActionsSuppressorExtensionPeriod can be used only with ActionsSuppressor (got 180 without ActionsSuppressor).",
		}, "a period without a suppressor has no meaning; Klaxon rejects it"},
		{"tags", func(c *Config) {
			c.Tags = make([]alarm.Tag, 51)
			for i := range c.Tags {
				c.Tags[i] = alarm.Tag{Key: "k", Value: "v"}
			}
			c.Tags[0] = alarm.Tag{Key: "", Value: strings.Repeat("v", 257)}
			c.Tags[1] = alarm.Tag{Key: strings.Repeat("k", 129)}
		}, []string{
			"composite: ValidationError: The collection Tags must not have a size greater than 50 (got 51).",
			"composite: MissingParameter: The parameter Tags.member.1.Key is required.",
			"composite: ValidationError: 1 validation error detected: Value '" + strings.Repeat("v", 257) + "' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
			"composite: ValidationError: 1 validation error detected: Value '" + strings.Repeat("k", 129) + "' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
		}, "at most 50 tags; keys 1 to 128 characters, values at most 256"},
		{"everything at once", func(c *Config) {
			c.AlarmName = ""
			c.AlarmRule = "alarm(x)"
			c.AlarmActions = []string{""}
			c.ActionsSuppressorWaitPeriod = nil
		}, []string{
			"composite: MissingParameter: The parameter AlarmName is required.",
			"composite: ValidationError: Error in AlarmRule [Unsupported token 'alarm' at char 0 (keywords are upper case)]",
			"composite: ValidationError: 1 validation error detected: Value '' at 'alarmActions.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1",
			"composite: MissingParameter: The parameter ActionsSuppressorWaitPeriod is required when ActionsSuppressor is set (got ActionsSuppressor 'ServiceMaintenanceAlarm').",
		}, "every problem is reported, in field order"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.change(&c)
			got := errorMessages(t, c.Validate())
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Validate() mismatch (-want +got):\n%s\nwhy: %s", diff, tc.why)
			}
		})
	}
}

func TestValidateCodes(t *testing.T) {
	c := Config{AlarmRule: "TRUE", ActionsSuppressorWaitPeriod: ptr(1)}
	var codes []string
	for _, e := range c.Validate().(interface{ Unwrap() []error }).Unwrap() {
		var ce *cwerr.Error
		if !errors.As(e, &ce) {
			t.Fatalf("%v is not a *cwerr.Error", e)
		}
		codes = append(codes, ce.Code)
	}
	want := []string{cwerr.MissingParameter, cwerr.InvalidParameterCombination}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("codes mismatch (-want +got):\n%s", diff)
	}
	var nilConfig *Config
	if err := nilConfig.Validate(); err == nil {
		t.Errorf("(*Config)(nil).Validate() = nil, want the missing parameters")
	}
}

func TestActionsOn(t *testing.T) {
	for _, tc := range []struct {
		enabled *bool
		want    bool
	}{{nil, true}, {ptr(true), true}, {ptr(false), false}} {
		c := Config{ActionsEnabled: tc.enabled}
		if got := c.ActionsOn(); got != tc.want {
			t.Errorf("ActionsOn() with ActionsEnabled %v = %v, want %v (nil means true)", tc.enabled, got, tc.want)
		}
	}
}

func TestClone(t *testing.T) {
	c := validConfig()
	d := c.Clone()
	if diff := cmp.Diff(c, d); diff != "" {
		t.Fatalf("Clone() differs (-orig +clone):\n%s", diff)
	}
	*d.ActionsEnabled = false
	*d.ActionsSuppressorWaitPeriod = 1
	*d.ActionsSuppressorExtensionPeriod = 1
	d.OKActions[0] = "x"
	d.AlarmActions[0] = "x"
	d.InsufficientDataActions[0] = "x"
	d.Tags[0].Key = "x"
	if diff := cmp.Diff(validConfig(), c); diff != "" {
		t.Errorf("changing the clone changed the original (-want +got):\n%s", diff)
	}
}

// TestConfigJSON decodes PutCompositeAlarm's JSON input: the field names
// are CloudWatch's.
func TestConfigJSON(t *testing.T) {
	in := `{
		"AlarmName": "ServiceAggregatedAlarm",
		"AlarmDescription": "Aggregated monitor for instance",
		"AlarmRule": "ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)",
		"ActionsEnabled": true,
		"OKActions": ["arn:aws:sns:us-east-1:123456789012:ops"],
		"AlarmActions": ["arn:aws:sns:us-east-1:123456789012:ops", "arn:aws:sns:us-east-1:123456789012:pager"],
		"InsufficientDataActions": ["arn:aws:sns:us-east-1:123456789012:ops"],
		"ActionsSuppressor": "ServiceMaintenanceAlarm",
		"ActionsSuppressorWaitPeriod": 120,
		"ActionsSuppressorExtensionPeriod": 180,
		"Tags": [{"Key": "team", "Value": "ops"}]
	}`
	var got Config
	d := json.NewDecoder(strings.NewReader(in))
	d.DisallowUnknownFields()
	if err := d.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(validConfig(), got); diff != "" {
		t.Errorf("decoded Config mismatch (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(Config{AlarmName: "a", AlarmRule: "TRUE", ActionsSuppressor: "s",
		ActionsSuppressorWaitPeriod: ptr(0), ActionsSuppressorExtensionPeriod: ptr(0)})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"AlarmName":"a","AlarmRule":"TRUE","ActionsSuppressor":"s","ActionsSuppressorWaitPeriod":0,"ActionsSuppressorExtensionPeriod":0}`
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("encoded Config mismatch (-want +got):\n%s\nperiods of 0 are kept: they are set", diff)
	}
}

// TestCompositeActionKinds: a composite takes no EC2 or Auto Scaling
// action, and only SNS and Lambda actions outside AlarmActions.
func TestCompositeActionKinds(t *testing.T) {
	const (
		stop   = "arn:aws:automate:us-east-1:ec2:stop"
		policy = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:id:autoScalingGroupName/web:policyName/out"
		ops    = "arn:aws:ssm:us-east-1:123456789012:opsitem:2"
		fn     = "arn:aws:lambda:us-east-1:123456789012:function:notify"
	)
	tests := []struct {
		edit func(c *Config)
		want []string
		why  string
	}{
		{func(c *Config) { c.AlarmActions = []string{ops, fn} }, nil, "OpsItems and Lambda go in AlarmActions"},
		{func(c *Config) { c.OKActions = []string{fn} }, nil, "Lambda in OKActions"},
		{func(c *Config) { c.AlarmActions = []string{stop} }, []string{
			"composite: ValidationError: The value '" + stop + "' for parameter AlarmActions.member.1 is invalid: composite alarms cannot take EC2 actions."}, "no EC2 actions"},
		{func(c *Config) { c.InsufficientDataActions = []string{policy} }, []string{
			"composite: ValidationError: The value '" + policy + "' for parameter InsufficientDataActions.member.1 is invalid: composite alarms cannot take Auto Scaling actions."}, "no Auto Scaling actions"},
		{func(c *Config) { c.OKActions = []string{ops} }, []string{
			"composite: ValidationError: The value '" + ops + "' for parameter OKActions.member.1 is invalid: a composite alarm's OKActions take SNS and Lambda actions only."}, "OpsItems start on ALARM"},
		{func(c *Config) { c.OKActions = []string{"not-an-arn"} }, []string{
			"composite: ValidationError: The value 'not-an-arn' for parameter OKActions.member.1 is invalid: an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE."}, "a malformed ARN"},
	}
	for _, tt := range tests {
		c := validConfig()
		tt.edit(&c)
		var got []string
		if err := c.Validate(); err != nil {
			got = errorMessages(t, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.why, diff)
		}
	}
}
