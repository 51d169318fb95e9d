package alarm

import (
	"strings"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// An ActionKind is what an alarm action does, by the form of its ARN.
type ActionKind uint8

// The kinds of alarm action.
const (
	ActionSNS           ActionKind = iota + 1 // arn:aws:sns:REGION:ACCOUNT:TOPIC
	ActionEC2                                 // arn:aws:automate:REGION:ec2:stop|terminate|reboot|recover, or the swf AWS_EC2 form
	ActionAutoScaling                         // arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:ID:autoScalingGroupName/GROUP:policyName/POLICY
	ActionLambda                              // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:VERSION|ALIAS]
	ActionSSMOpsItem                          // arn:aws:ssm:REGION:ACCOUNT:opsitem:SEVERITY[#CATEGORY=NAME]
	ActionSSMIncident                         // arn:aws:ssm-incidents::ACCOUNT:responseplan/NAME
	ActionInvestigation                       // arn:aws:aiops:REGION:ACCOUNT:investigation-group:ID
)

var actionKindNames = [...]string{"", "SNS", "EC2", "AutoScaling", "Lambda", "SSMOpsItem", "SSMIncident", "Investigation"}

func (k ActionKind) String() string {
	if int(k) < len(actionKindNames) && k != 0 {
		return actionKindNames[k]
	}
	return "ActionKind(0)"
}

// An ActionARN is a parsed alarm action ARN.
type ActionARN struct {
	ARN       string
	Kind      ActionKind
	Partition string // aws, aws-cn, aws-us-gov, ...
	Region    string // "" for Incident Manager response plans
	Account   string // "" for the automate form of EC2 actions
	// Resource is the part after the account: the topic, the function
	// (with its qualifier), the policy, the response plan, the
	// investigation group, the OpsItem severity and category.
	Resource string
	// EC2Action is stop, terminate, reboot or recover for EC2 actions.
	EC2Action string
	// For Auto Scaling actions: the policy's ID, group and name.
	PolicyID, AutoScalingGroup, PolicyName string
}

// ParseActionARN parses an alarm action ARN in one of the forms
// PutMetricAlarm and PutCompositeAlarm accept:
//
//	arn:aws:sns:REGION:ACCOUNT:TOPIC
//	arn:aws:automate:REGION:ec2:stop (terminate, reboot, recover)
//	arn:aws:swf:REGION:ACCOUNT:action/actions/AWS_EC2.InstanceId.Stop/1.0 (Terminate, Reboot, Recover)
//	arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:ID:autoScalingGroupName/GROUP:policyName/POLICY
//	arn:aws:lambda:REGION:ACCOUNT:function:NAME[:VERSION or ALIAS]
//	arn:aws:ssm:REGION:ACCOUNT:opsitem:SEVERITY[#CATEGORY=NAME]
//	arn:aws:ssm-incidents::ACCOUNT:responseplan/NAME
//	arn:aws:aiops:REGION:ACCOUNT:investigation-group:ID
//
// The partition may be any (aws, aws-cn, aws-us-gov); the Region and the
// account are checked for their shape only. The error names the value and
// the forms accepted.
func ParseActionARN(s string) (ActionARN, error) {
	a := ActionARN{ARN: s}
	bad := func(why string) (ActionARN, error) {
		return ActionARN{}, &cwerr.Error{Pkg: "alarm", Code: cwerr.ValidationError, Value: s,
			Message: "The value '" + escapeValue(s) + "' is not an alarm action ARN CloudWatch accepts: " + why + "."}
	}
	var buf [6]string
	parts := splitN(s, ':', buf[:0])
	if len(parts) < 6 || parts[0] != "arn" {
		return bad("an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE")
	}
	a.Partition, a.Region, a.Account, a.Resource = parts[1], parts[3], parts[4], parts[5]
	service := parts[2]
	if !isPartition(a.Partition) {
		return bad("the partition '" + escapeValue(a.Partition) + "' is not one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc")
	}
	if service != "ssm-incidents" && !ValidRegion(a.Region) {
		return bad("the Region '" + escapeValue(a.Region) + "' is not a Region name such as us-east-1")
	}
	if !(service == "automate" && a.Account == "ec2") && !ValidAccountID(a.Account) {
		return bad("the account '" + escapeValue(a.Account) + "' is not a 12-digit account ID")
	}
	switch service {
	case "sns":
		a.Kind = ActionSNS
		if topic := strings.TrimSuffix(a.Resource, ".fifo"); !isName(topic, 256-len(a.Resource)+len(topic), "-_") {
			return bad("an SNS topic name has 1 to 256 letters, digits, hyphens and underscores, a FIFO topic's ending in .fifo")
		}
	case "automate":
		a.Kind, a.Account = ActionEC2, ""
		if parts[4] != "ec2" || !oneOf(a.Resource, "stop", "terminate", "reboot", "recover") {
			return bad("an EC2 action is arn:aws:automate:REGION:ec2:stop, terminate, reboot or recover")
		}
		a.EC2Action = a.Resource
	case "swf":
		a.Kind = ActionEC2
		act, ok := strings.CutPrefix(a.Resource, "action/actions/AWS_EC2.InstanceId.")
		act, ok2 := strings.CutSuffix(act, "/1.0")
		if !ok || !ok2 || !oneOf(act, "Stop", "Terminate", "Reboot", "Recover") {
			return bad("an EC2 action in the swf form is arn:aws:swf:REGION:ACCOUNT:action/actions/AWS_EC2.InstanceId.Stop/1.0 (or Terminate, Reboot, Recover)")
		}
		a.EC2Action = strings.ToLower(act)
	case "autoscaling":
		a.Kind = ActionAutoScaling
		f := strings.SplitN(a.Resource, ":", 4)
		if len(f) != 4 || f[0] != "scalingPolicy" || f[1] == "" ||
			!strings.HasPrefix(f[2], "autoScalingGroupName/") || len(f[2]) == len("autoScalingGroupName/") ||
			!strings.HasPrefix(f[3], "policyName/") || len(f[3]) == len("policyName/") {
			return bad("an Auto Scaling action is arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:ID:autoScalingGroupName/GROUP:policyName/POLICY")
		}
		a.PolicyID, a.AutoScalingGroup, a.PolicyName = f[1], f[2][len("autoScalingGroupName/"):], f[3][len("policyName/"):]
	case "lambda":
		a.Kind = ActionLambda
		f := strings.Split(a.Resource, ":")
		if len(f) < 2 || len(f) > 3 || f[0] != "function" || !isName(f[1], 64, "-_") || len(f) == 3 && !isName(f[2], 128, "-_$") {
			return bad("a Lambda action is arn:aws:lambda:REGION:ACCOUNT:function:NAME, with an optional :VERSION or :ALIAS")
		}
	case "ssm":
		a.Kind = ActionSSMOpsItem
		sev, ok := strings.CutPrefix(a.Resource, "opsitem:")
		sev, category, hasCat := strings.Cut(sev, "#")
		if !ok || !oneOf(sev, "1", "2", "3", "4") || hasCat && (!strings.HasPrefix(category, "CATEGORY=") || len(category) == len("CATEGORY=")) {
			return bad("an OpsItem action is arn:aws:ssm:REGION:ACCOUNT:opsitem:SEVERITY (1 to 4), with an optional #CATEGORY=NAME")
		}
	case "ssm-incidents":
		a.Kind = ActionSSMIncident
		plan, ok := strings.CutPrefix(a.Resource, "responseplan/")
		if a.Region != "" || !ok || !isName(plan, 200, "-_") {
			return bad("an Incident Manager action is arn:aws:ssm-incidents::ACCOUNT:responseplan/NAME (no Region)")
		}
	case "aiops":
		a.Kind = ActionInvestigation
		id, ok := strings.CutPrefix(a.Resource, "investigation-group:")
		if !ok || !isName(id, 64, "-_") {
			return bad("an investigation action is arn:aws:aiops:REGION:ACCOUNT:investigation-group:ID")
		}
	default:
		return bad("the service '" + escapeValue(service) + "' takes no alarm actions (sns, automate, swf, autoscaling, lambda, ssm, ssm-incidents and aiops do)")
	}
	return a, nil
}

// splitN splits s at sep into at most cap(parts) parts, the last one
// holding the rest, like strings.SplitN but into parts' own array.
func splitN(s string, sep byte, parts []string) []string {
	for len(parts) < cap(parts)-1 {
		i := strings.IndexByte(s, sep)
		if i < 0 {
			break
		}
		parts = append(parts, s[:i])
		s = s[i+1:]
	}
	return append(parts, s)
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

func isPartition(p string) bool {
	return oneOf(p, "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
}

// ValidRegion reports whether s has the shape of a Region name: lower-case
// words and a number joined by dashes (us-east-1, us-gov-west-1,
// ap-southeast-4). It does not check that the Region exists.
func ValidRegion(s string) bool {
	words := 0 // the words before the number
	for {
		w, rest, more := strings.Cut(s, "-")
		if !more {
			return words >= 2 && w != "" && all(w, '0', '9')
		}
		if w == "" || !all(w, 'a', 'z') {
			return false
		}
		words++
		s = rest
	}
}

// all reports whether every byte of s is in [lo, hi].
func all(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return true
}

// ValidAccountID reports whether s is an AWS account ID: 12 digits.
func ValidAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isName reports whether s has 1 to max characters, each a letter, a digit
// or one of extra.
func isName(s string, max int, extra string) bool {
	if s == "" || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(extra, c)) {
			return false
		}
	}
	return true
}
