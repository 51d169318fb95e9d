package alarm

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/metric"
)

func TestParseActionARN(t *testing.T) {
	tests := []struct {
		in   string
		want ActionARN // ARN is filled in from in
		err  string    // the rule of the message, after the colon
		why  string
	}{
		{in: "arn:aws:sns:us-east-1:123456789012:ops-pager", want: ActionARN{Kind: ActionSNS, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "ops-pager"}, why: "an SNS topic"},
		{in: "arn:aws:sns:us-east-1:123456789012:alerts.fifo", want: ActionARN{Kind: ActionSNS, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "alerts.fifo"}, why: "a FIFO topic"},
		{in: "arn:aws-cn:sns:cn-north-1:123456789012:t", want: ActionARN{Kind: ActionSNS, Partition: "aws-cn", Region: "cn-north-1", Account: "123456789012", Resource: "t"}, why: "another partition"},
		{in: "arn:aws:automate:us-east-1:ec2:recover", want: ActionARN{Kind: ActionEC2, Partition: "aws", Region: "us-east-1", Resource: "recover", EC2Action: "recover"}, why: "the automate form of EC2 actions has no account"},
		{in: "arn:aws:automate:us-east-1:ec2:reboot", want: ActionARN{Kind: ActionEC2, Partition: "aws", Region: "us-east-1", Resource: "reboot", EC2Action: "reboot"}, why: "reboot is an EC2 action too"},
		{in: "arn:aws:swf:us-east-1:123456789012:action/actions/AWS_EC2.InstanceId.Terminate/1.0", want: ActionARN{Kind: ActionEC2, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "action/actions/AWS_EC2.InstanceId.Terminate/1.0", EC2Action: "terminate"}, why: "the swf form"},
		{in: "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0ce7a750-7fa1:autoScalingGroupName/web:policyName/scale-out",
			want: ActionARN{Kind: ActionAutoScaling, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "scalingPolicy:0ce7a750-7fa1:autoScalingGroupName/web:policyName/scale-out", PolicyID: "0ce7a750-7fa1", AutoScalingGroup: "web", PolicyName: "scale-out"}, why: "an Auto Scaling policy"},
		{in: "arn:aws:lambda:us-east-1:123456789012:function:notify:live", want: ActionARN{Kind: ActionLambda, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "function:notify:live"}, why: "a Lambda function with an alias"},
		{in: "arn:aws:ssm:us-east-1:123456789012:opsitem:2#CATEGORY=Availability", want: ActionARN{Kind: ActionSSMOpsItem, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "opsitem:2#CATEGORY=Availability"}, why: "an OpsItem with a category"},
		{in: "arn:aws:ssm-incidents::123456789012:responseplan/db-down", want: ActionARN{Kind: ActionSSMIncident, Partition: "aws", Account: "123456789012", Resource: "responseplan/db-down"}, why: "an Incident Manager response plan has no Region"},
		{in: "arn:aws:aiops:us-east-1:123456789012:investigation-group:abc123", want: ActionARN{Kind: ActionInvestigation, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "investigation-group:abc123"}, why: "an investigation group"},

		{in: "not-an-arn", err: "an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE", why: "not an ARN at all"},
		{in: "arn:aws:sns:us-east-1:123456789012", err: "an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE", why: "no resource"},
		{in: "arn:aws:sns:US East:123456789012:t", err: "the Region 'US East' is not a Region name such as us-east-1", why: "the display name is not the Region"},
		{in: "arn:aws:sns:us-east-1:12345:t", err: "the account '12345' is not a 12-digit account ID", why: "accounts have 12 digits"},
		{in: "arn:azure:sns:us-east-1:123456789012:t", err: "the partition 'azure' is not one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc", why: "a partition AWS does not have"},
		{in: "arn:aws:sns:us-east-1:123456789012:a/b", err: "an SNS topic name has 1 to 256 letters, digits, hyphens and underscores, a FIFO topic's ending in .fifo", why: "a slash in a topic name"},
		{in: "arn:aws:automate:us-east-1:ec2:start", err: "an EC2 action is arn:aws:automate:REGION:ec2:stop, terminate, reboot or recover", why: "there is no start action"},
		{in: "arn:aws:swf:us-east-1:123456789012:action/actions/AWS_EC2.InstanceId.Stop/2.0", err: "an EC2 action in the swf form is arn:aws:swf:REGION:ACCOUNT:action/actions/AWS_EC2.InstanceId.Stop/1.0 (or Terminate, Reboot, Recover)", why: "only version 1.0"},
		{in: "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:id:autoScalingGroupName/web", err: "an Auto Scaling action is arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:ID:autoScalingGroupName/GROUP:policyName/POLICY", why: "no policy name"},
		{in: "arn:aws:lambda:us-east-1:123456789012:function:", err: "a Lambda action is arn:aws:lambda:REGION:ACCOUNT:function:NAME, with an optional :VERSION or :ALIAS", why: "no function name"},
		{in: "arn:aws:ssm:us-east-1:123456789012:opsitem:5", err: "an OpsItem action is arn:aws:ssm:REGION:ACCOUNT:opsitem:SEVERITY (1 to 4), with an optional #CATEGORY=NAME", why: "severities are 1 to 4"},
		{in: "arn:aws:ssm-incidents:us-east-1:123456789012:responseplan/p", err: "an Incident Manager action is arn:aws:ssm-incidents::ACCOUNT:responseplan/NAME (no Region)", why: "response plans are global"},
		{in: "arn:aws:sqs:us-east-1:123456789012:queue", err: "the service 'sqs' takes no alarm actions (sns, automate, swf, autoscaling, lambda, ssm, ssm-incidents and aiops do)", why: "SQS is not an alarm action"},
	}
	for _, tt := range tests {
		got, err := ParseActionARN(tt.in)
		if tt.err != "" {
			want := "alarm: ValidationError: The value '" + tt.in + "' is not an alarm action ARN CloudWatch accepts: " + tt.err + "."
			if err == nil || err.Error() != want {
				t.Errorf("%q (%s): error %v, want %q", tt.in, tt.why, err, want)
			}
			continue
		}
		tt.want.ARN = tt.in
		if err != nil {
			t.Errorf("%q (%s): %v", tt.in, tt.why, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

// TestActionRules: which kinds of action an alarm may take, with the
// message for each rule.
func TestActionRules(t *testing.T) {
	const stop = "arn:aws:automate:us-east-1:ec2:stop"
	const policy = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:id:autoScalingGroupName/web:policyName/out"
	const investigate = "arn:aws:aiops:us-east-1:123456789012:investigation-group:g1"
	tests := []struct {
		edit func(c *Config)
		want string
		why  string
	}{
		{func(c *Config) { c.AlarmActions = []string{stop} }, "", "an EC2 action on a metric with an InstanceId dimension"},
		{func(c *Config) {
			c.AlarmActions = []string{stop}
			c.Dimensions = []metric.Dimension{{Name: "AutoScalingGroupName", Value: "web"}}
		},
			"alarm: ValidationError: The value '" + stop + "' for parameter AlarmActions.member.1 is invalid: EC2 actions act on the instance in the metric's InstanceId dimension, and the alarm's metric has none.",
			"EC2 actions need an instance"},
		{func(c *Config) { c.OKActions = []string{"not-an-arn"} },
			"alarm: ValidationError: The value 'not-an-arn' for parameter OKActions.member.1 is invalid: an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.",
			"a malformed ARN, with its list and position"},
		{func(c *Config) { c.OKActions = []string{investigate} },
			"alarm: ValidationError: The value '" + investigate + "' for parameter OKActions.member.1 is invalid: investigation actions go in AlarmActions only.",
			"investigations start on ALARM only"},
		{func(c *Config) { c.AlarmActions = []string{policy} }, "", "an Auto Scaling action on a static alarm"},
	}
	for _, tt := range tests {
		c := validSingleConfig()
		tt.edit(&c)
		got := ""
		if err := c.Validate(); err != nil {
			got = err.Error()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.why, diff)
		}
	}
	band := validBandConfig()
	band.AlarmActions = []string{policy}
	if err := band.Validate(); err == nil || !strings.Contains(err.Error(), "anomaly detection alarms cannot take Auto Scaling actions.") {
		t.Errorf("anomaly alarm with an Auto Scaling action: %v", err)
	}
	math := validMathConfig()
	math.AlarmActions = []string{stop}
	if err := math.Validate(); err == nil || !strings.Contains(err.Error(), "metric math alarms cannot take EC2 actions.") {
		t.Errorf("metric math alarm with an EC2 action: %v", err)
	}
}

func TestValidRegion(t *testing.T) {
	tests := []struct {
		region string
		want   bool
		why    string
	}{
		{"us-east-1", true, "two words and a number"},
		{"us-gov-west-1", true, "three words and a number"},
		{"ap-southeast-14", true, "a number of two digits"},
		{"us-east", false, "no number"},
		{"east-1", false, "one word"},
		{"us--1", false, "an empty word"},
		{"us-east-", false, "an empty number"},
		{"-us-east-1", false, "an empty first word"},
		{"US-east-1", false, "upper case"},
		{"us-east-1a", false, "an Availability Zone, not a Region"},
		{"us-e4st-1", false, "a digit in a word"},
		{"us-éast-1", false, "a letter that is not ASCII"},
		{"", false, "empty"},
	}
	for _, tt := range tests {
		if got := ValidRegion(tt.region); got != tt.want {
			t.Errorf("%s: ValidRegion(%q) = %v, want %v", tt.why, tt.region, got, tt.want)
		}
	}
}

// FuzzParseActionARN: an ARN is parsed or refused with the rule it breaks,
// never accepted without its parts; its colon-separated parts are
// strings.SplitN's.
func FuzzParseActionARN(f *testing.F) {
	for _, s := range []string{"arn:aws:sns:us-east-1:123456789012:t", "arn:aws:automate:us-east-1:ec2:stop", "arn:aws:ssm-incidents::123456789012:responseplan/p",
		"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:id:autoScalingGroupName/web:policyName/out", "arn:aws:lambda:us-east-1:123456789012:function:f:1", "::::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf [6]string
		if got, want := splitN(s, ':', buf[:0]), strings.SplitN(s, ":", 6); !slices.Equal(got, want) {
			t.Fatalf("splitN(%q) = %q, strings.SplitN %q", s, got, want)
		}
		a, err := ParseActionARN(s)
		if err != nil {
			if !strings.Contains(err.Error(), "is not an alarm action ARN CloudWatch accepts") {
				t.Fatalf("error without the rule: %v", err)
			}
			return
		}
		if a.ARN != s || a.Kind == 0 || a.Partition == "" {
			t.Fatalf("accepted %q as %+v", s, a)
		}
		if a.Kind == ActionEC2 && a.EC2Action == "" || a.Kind == ActionAutoScaling && (a.PolicyName == "" || a.AutoScalingGroup == "") {
			t.Fatalf("accepted %q without its parts: %+v", s, a)
		}
	})
}
