package aws

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/smithy-go"

	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
)

// AutoScalingAPI is the part of *autoscaling.Client the Auto Scaling sink
// calls.
type AutoScalingAPI interface {
	DescribePolicies(ctx context.Context, in *autoscaling.DescribePoliciesInput, optFns ...func(*autoscaling.Options)) (*autoscaling.DescribePoliciesOutput, error)
	ExecutePolicy(ctx context.Context, in *autoscaling.ExecutePolicyInput, optFns ...func(*autoscaling.Options)) (*autoscaling.ExecutePolicyOutput, error)
}

// AutoScaling is the Sink of Auto Scaling actions: it executes the policy
// of the action's ARN (its PolicyName in its AutoScalingGroupName, in the
// ARN's Region) with ExecutePolicy, after DescribePolicies has told the
// policy's type, because ExecutePolicy takes different parameters for
// each:
//
//   - SimpleScaling: HonorCooldown true, as an alarm's invocation waits
//     for the cooldown. When Auto Scaling refuses because of a scaling
//     activity or cooldown (ScalingActivityInProgress), the error wraps
//     klaxon.ErrNotRun: the engine records that the action did not run,
//     not a failure.
//   - StepScaling: MetricValue, the newest datapoint of the state
//     change's reason data (recentDatapoints), and BreachThreshold, the
//     alarm's Threshold, from which Auto Scaling picks the step.
//   - any other type: the names alone; Auto Scaling answers.
//
// The policy's ID in the ARN must be that of the policy found, so that a
// policy deleted and created again under the same name is not executed by
// the old one's ARN. An AutoScaling is safe for concurrent use.
type AutoScaling struct {
	Client AutoScalingAPI
}

// NewAutoScaling returns an Auto Scaling sink whose client is
// autoscaling.NewFromConfig(cfg) with opts' retry policy.
func NewAutoScaling(cfg sdkaws.Config, opts Options) *AutoScaling {
	return &AutoScaling{Client: autoscaling.NewFromConfig(cfg, func(o *autoscaling.Options) {
		o.Retryer, o.RetryMaxAttempts, o.RetryMode = opts.retryer(), 0, ""
	})}
}

// Deliver executes n's scaling policy.
func (s *AutoScaling) Deliver(ctx context.Context, n action.Notification) error {
	t := n.Target
	if t.Kind != alarm.ActionAutoScaling {
		return refusal("aws: the Auto Scaling sink got a " + t.Kind.String() + " action: " + n.ARN)
	}
	region := func(o *autoscaling.Options) { o.Region = t.Region }
	out, err := s.Client.DescribePolicies(ctx, &autoscaling.DescribePoliciesInput{
		AutoScalingGroupName: &t.AutoScalingGroup, PolicyNames: []string{t.PolicyName},
	}, region)
	if err != nil {
		return callError(n, "Auto Scaling DescribePolicies", err)
	}
	in := &autoscaling.ExecutePolicyInput{AutoScalingGroupName: &t.AutoScalingGroup, PolicyName: &t.PolicyName}
	var policyType string
	found := false
	for _, p := range out.ScalingPolicies {
		if sdkaws.ToString(p.PolicyName) != t.PolicyName {
			continue
		}
		if arn := sdkaws.ToString(p.PolicyARN); arn != "" && !strings.Contains(arn, ":scalingPolicy:"+t.PolicyID+":") {
			return refusal("aws: " + n.ARN + ": the policy " + t.PolicyName + " of the group " + t.AutoScalingGroup +
				" is now " + arn + ", another policy than the action's (policy ID " + t.PolicyID + ")")
		}
		found, policyType = true, sdkaws.ToString(p.PolicyType)
	}
	if !found {
		return refusal("aws: " + n.ARN + ": Auto Scaling has no policy " + t.PolicyName + " in the group " + t.AutoScalingGroup)
	}
	switch policyType {
	case "SimpleScaling", "": // a policy without a type is a simple one
		in.HonorCooldown = sdkaws.Bool(true)
	case "StepScaling":
		v, err := metricValue(n)
		if err != nil {
			return err
		}
		in.MetricValue, in.BreachThreshold = &v, &n.Transition.MetricAlarm.Threshold
	}
	_, err = s.Client.ExecutePolicy(ctx, in, region)
	if err != nil {
		var api smithy.APIError
		if in.HonorCooldown != nil && errors.As(err, &api) && api.ErrorCode() == "ScalingActivityInProgress" {
			return &Error{ARN: n.ARN, Op: "Auto Scaling ExecutePolicy", Err: err, notRun: true}
		}
	}
	return callError(n, "Auto Scaling ExecutePolicy", err)
}

// metricValue returns the value ExecutePolicy compares with the threshold
// for a step scaling policy: the newest datapoint of the state change's
// reason data.
func metricValue(n action.Notification) (float64, error) {
	if n.Transition.MetricAlarm == nil {
		return 0, refusal("aws: " + n.ARN + ": Auto Scaling actions need a metric alarm, and " +
			n.Transition.AlarmName + " is not one")
	}
	var data struct {
		RecentDatapoints []float64 `json:"recentDatapoints"`
	}
	if n.Transition.ReasonData != "" {
		if err := json.Unmarshal([]byte(n.Transition.ReasonData), &data); err != nil {
			return 0, refusal("aws: " + n.ARN + ": reading the state change's reason data: " + err.Error())
		}
	}
	if len(data.RecentDatapoints) == 0 {
		return 0, refusal("aws: " + n.ARN + ": a step scaling policy needs the metric value that crossed the threshold, " +
			"and the state change's reason data has none (no recentDatapoints)")
	}
	return data.RecentDatapoints[len(data.RecentDatapoints)-1], nil
}
