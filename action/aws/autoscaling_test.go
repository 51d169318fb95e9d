package aws_test

import (
	"context"
	"errors"
	"testing"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
	klaxonaws "github.com/klaxon-go/klaxon/action/aws"
)

// describe is the DescribePolicies request for the policy of the
// constant policy.
var describe = summary{"autoscaling", "eu-west-1", "DescribePolicies",
	form("AutoScalingGroupName", "web", "PolicyNames.member.1", "scale-out"), true}

func TestAutoScalingPolicyTypes(t *testing.T) {
	noData := notification(t, policy)
	noData.Transition.ReasonData = "" // SetAlarmState without reason data
	tests := []struct {
		name, policyType string
		n                action.Notification
		execute          []string // ExecutePolicy's parameters beyond the names; nil: not called
		err              string
	}{
		{"simple: honours the cooldown, as an alarm's invocation does", "SimpleScaling", notification(t, policy),
			[]string{"HonorCooldown", "true"}, ""},
		{"a policy without a type is a simple one", "", notification(t, policy),
			[]string{"HonorCooldown", "true"}, ""},
		{"step: the newest datapoint of the reason data against the alarm's threshold", "StepScaling", notification(t, policy),
			[]string{"BreachThreshold", "80", "MetricValue", "97.5"}, ""},
		{"target tracking: the names alone, Auto Scaling answers", "TargetTrackingScaling", notification(t, policy),
			[]string{}, ""},
		{"step without a datapoint: no step to choose, not executed", "StepScaling", noData, nil,
			"aws: " + policy + ": a step scaling policy needs the metric value that crossed the threshold, and the state change's reason data has none (no recentDatapoints)"},
	}
	for _, tt := range tests {
		f := newFake(t)
		f.addPolicy("web", "scale-out", tt.policyType, policy)
		s := klaxonaws.NewAutoScaling(f.config(), fast)
		err := s.Deliver(context.Background(), tt.n)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || err.Error() != tt.err) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
		}
		want := []summary{describe}
		if tt.execute != nil {
			want = append(want, summary{"autoscaling", "eu-west-1", "ExecutePolicy",
				form(append([]string{"AutoScalingGroupName", "web", "PolicyName", "scale-out"}, tt.execute...)...), true})
		}
		diffRequests(t, want, f.got())
	}
}

func TestAutoScalingPolicyLookup(t *testing.T) {
	tests := []struct {
		name      string
		policyARN string // the policy the group has under the name; "" for none
		want      string
	}{
		{"no such policy", "", "aws: " + policy + ": Auto Scaling has no policy scale-out in the group web"},
		{"the name is another policy's now (deleted and created again)",
			"arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:11111111-2222-3333-4444-555555555555:autoScalingGroupName/web:policyName/scale-out",
			"aws: " + policy + ": the policy scale-out of the group web is now arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:11111111-2222-3333-4444-555555555555:autoScalingGroupName/web:policyName/scale-out, another policy than the action's (policy ID 0ce7a750-7fa1-46fc-a316-d2647013aa3f)"},
	}
	for _, tt := range tests {
		f := newFake(t)
		if tt.policyARN != "" {
			f.addPolicy("web", "scale-out", "SimpleScaling", tt.policyARN)
		}
		err := klaxonaws.NewAutoScaling(f.config(), fast).Deliver(context.Background(), notification(t, policy))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v,\nwant %s", tt.name, err, tt.want)
		}
		diffRequests(t, []summary{describe}, f.got())
	}
}

func TestAutoScalingErrors(t *testing.T) {
	tests := []struct {
		name    string
		reply   reply
		want    string
		notRun  bool
		execute int // ExecutePolicy requests
	}{
		{"in a scaling activity or cooldown: declined, recorded as not run",
			reply{status: 400, code: "ScalingActivityInProgress", message: "Scaling activity 1b2c is in progress and blocks this action"},
			"aws: Auto Scaling ExecutePolicy for " + policy + ": ScalingActivityInProgress: Scaling activity 1b2c is in progress and blocks this action", true, 1},
		{"resource contention (a 500): a failure, not retried by the SDK",
			reply{status: 500, code: "ResourceContention", message: "You already have a pending update to an Auto Scaling resource."},
			"aws: Auto Scaling ExecutePolicy for " + policy + ": ResourceContention: You already have a pending update to an Auto Scaling resource.", false, 1},
	}
	for _, tt := range tests {
		f := newFake(t)
		f.addPolicy("web", "scale-out", "SimpleScaling", policy)
		f.fail("ExecutePolicy", tt.reply)
		err := klaxonaws.NewAutoScaling(f.config(), fast).Deliver(context.Background(), notification(t, policy))
		if err == nil || err.Error() != tt.want || errors.Is(err, klaxon.ErrNotRun) != tt.notRun {
			t.Errorf("%s: error %v (not run: %v),\nwant %s (not run: %v)", tt.name, err, errors.Is(err, klaxon.ErrNotRun), tt.want, tt.notRun)
		}
		execute := 0
		for _, r := range f.got() {
			if r.Action == "ExecutePolicy" {
				execute++
			}
		}
		if execute != tt.execute {
			t.Errorf("%s: %d ExecutePolicy requests, want %d", tt.name, execute, tt.execute)
		}
	}
	// DescribePolicies' failure is the action's, named as such.
	f := newFake(t)
	f.fail("DescribePolicies", reply{status: 403, code: "AccessDenied", message: "User is not authorized to perform: autoscaling:DescribePolicies"})
	err := klaxonaws.NewAutoScaling(f.config(), fast).Deliver(context.Background(), notification(t, policy))
	if want := "aws: Auto Scaling DescribePolicies for " + policy + ": AccessDenied: User is not authorized to perform: autoscaling:DescribePolicies"; err == nil || err.Error() != want {
		t.Errorf("error %v,\nwant %s", err, want)
	}
}
