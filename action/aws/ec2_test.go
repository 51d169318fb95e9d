package aws_test

import (
	"context"
	"errors"
	"testing"

	"github.com/klaxon-go/klaxon/action"
	klaxonaws "github.com/klaxon-go/klaxon/action/aws"
	"github.com/klaxon-go/klaxon/metric"
)

func TestEC2Actions(t *testing.T) {
	tests := []struct {
		arn, action string
	}{
		{"arn:aws:automate:eu-west-1:ec2:stop", "StopInstances"},
		{"arn:aws:automate:eu-west-1:ec2:terminate", "TerminateInstances"},
		{"arn:aws:automate:eu-west-1:ec2:reboot", "RebootInstances"},
		{"arn:aws:swf:eu-west-1:123456789012:action/actions/AWS_EC2.InstanceId.Stop/1.0", "StopInstances"},
		{"arn:aws:swf:eu-west-1:123456789012:action/actions/AWS_EC2.InstanceId.Terminate/1.0", "TerminateInstances"},
		{"arn:aws:swf:eu-west-1:123456789012:action/actions/AWS_EC2.InstanceId.Reboot/1.0", "RebootInstances"},
	}
	for _, tt := range tests {
		f := newFake(t)
		s := klaxonaws.NewEC2(f.config(), fast)
		if err := s.Deliver(context.Background(), notification(t, tt.arn)); err != nil {
			t.Errorf("%s: %v", tt.arn, err)
			continue
		}
		// The instance of the alarm's InstanceId dimension, in the ARN's
		// Region; a plain call (no Force, no Hibernate, no DryRun).
		diffRequests(t, []summary{{"ec2", "eu-west-1", tt.action, form("InstanceId.1", "i-0123456789abcdef0"), true}}, f.got())
	}
}

func TestEC2Refuses(t *testing.T) {
	f := newFake(t)
	s := klaxonaws.NewEC2(f.config(), fast)
	noDim := notification(t, stopARN)
	noDim.Transition.MetricAlarm.Dimensions = []metric.Dimension{{Name: "AutoScalingGroupName", Value: "web"}}
	composite := notification(t, stopARN)
	composite.Transition.MetricAlarm, composite.Transition.AlarmType = nil, "CompositeAlarm"
	tests := []struct {
		name string
		n    action.Notification
		want string
	}{
		{"recover: no public EC2 call", notification(t, "arn:aws:automate:eu-west-1:ec2:recover"),
			"aws: arn:aws:automate:eu-west-1:ec2:recover: EC2's public API has no call that recovers an instance (set the instance's automatic recovery with ModifyInstanceMaintenanceOptions instead): unsupported operation"},
		{"no InstanceId dimension: no instance", noDim,
			"aws: " + stopARN + ": the alarm cpu-high has no InstanceId dimension, so there is no instance to act on"},
		{"not a metric alarm", composite,
			"aws: " + stopARN + ": EC2 actions need a metric alarm with an InstanceId dimension, and cpu-high is not a metric alarm"},
		{"another kind of action", notification(t, topicARN), "aws: the EC2 sink got a SNS action: " + topicARN},
	}
	for _, tt := range tests {
		err := s.Deliver(context.Background(), tt.n)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v,\nwant %s", tt.name, err, tt.want)
		}
	}
	if err := s.Deliver(context.Background(), tests[0].n); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("recover: %v is not errors.ErrUnsupported", err)
	}
	if got := f.got(); len(got) != 0 {
		t.Errorf("%d requests, want none", len(got))
	}
}

func TestEC2Errors(t *testing.T) {
	f := newFake(t)
	// EC2's throttling code, in EC2's error XML: retried; then the
	// instance is gone: not retried, AWS's code and message in the error.
	f.fail("StopInstances",
		reply{status: 503, code: "RequestLimitExceeded", message: "Request limit exceeded."},
		reply{status: 400, code: "InvalidInstanceID.NotFound", message: "The instance ID 'i-0123456789abcdef0' does not exist"})
	s := klaxonaws.NewEC2(f.config(), fast)
	err := s.Deliver(context.Background(), notification(t, stopARN))
	want := "aws: EC2 StopInstances for " + stopARN + ": InvalidInstanceID.NotFound: The instance ID 'i-0123456789abcdef0' does not exist"
	if err == nil || err.Error() != want {
		t.Errorf("error %v,\nwant %s", err, want)
	}
	if got, acted := len(f.got()), len(f.acted()); got != 2 || acted != 0 {
		t.Errorf("%d requests of which %d acted, want 2 and 0", got, acted)
	}
}
