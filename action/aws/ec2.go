package aws

import (
	"context"
	"errors"
	"fmt"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/klaxon-go/klaxon/action"
	"github.com/klaxon-go/klaxon/alarm"
)

// EC2API is the part of *ec2.Client the EC2 sink calls.
type EC2API interface {
	StopInstances(ctx context.Context, in *ec2.StopInstancesInput, optFns ...func(*ec2.Options)) (*ec2.StopInstancesOutput, error)
	TerminateInstances(ctx context.Context, in *ec2.TerminateInstancesInput, optFns ...func(*ec2.Options)) (*ec2.TerminateInstancesOutput, error)
	RebootInstances(ctx context.Context, in *ec2.RebootInstancesInput, optFns ...func(*ec2.Options)) (*ec2.RebootInstancesOutput, error)
}

// EC2 is the Sink of EC2 actions (arn:aws:automate:REGION:ec2:ACTION and
// the swf AWS_EC2 forms): it stops, terminates or reboots the instance of
// the alarm's InstanceId dimension, in the ARN's Region, with
// StopInstances, TerminateInstances or RebootInstances (a plain stop: no
// Force, no Hibernate). Recover is not possible through EC2's public API
// and fails with an error that wraps errors.ErrUnsupported. An EC2 is
// safe for concurrent use.
type EC2 struct {
	Client EC2API
}

// NewEC2 returns an EC2 sink whose client is ec2.NewFromConfig(cfg) with
// opts' retry policy.
func NewEC2(cfg sdkaws.Config, opts Options) *EC2 {
	return &EC2{Client: ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.Retryer, o.RetryMaxAttempts, o.RetryMode = opts.retryer(), 0, ""
	})}
}

// Deliver acts on the instance of n's alarm.
func (s *EC2) Deliver(ctx context.Context, n action.Notification) error {
	if n.Target.Kind != alarm.ActionEC2 {
		return errors.New("aws: the EC2 sink got a " + n.Target.Kind.String() + " action: " + n.ARN)
	}
	if n.Target.EC2Action == "recover" {
		// CloudWatch's recover migrates the instance to healthy hardware,
		// keeping its ID, IP addresses and metadata; EC2 offers no call
		// that does it on demand, only the instance's own automatic
		// recovery (ModifyInstanceMaintenanceOptions, AutoRecovery).
		return fmt.Errorf("aws: %s: EC2's public API has no call that recovers an instance (set the instance's automatic recovery with ModifyInstanceMaintenanceOptions instead): %w",
			n.ARN, errors.ErrUnsupported)
	}
	id, err := instanceID(n)
	if err != nil {
		return err
	}
	ids := []string{id}
	region := func(o *ec2.Options) { o.Region = n.Target.Region }
	switch n.Target.EC2Action {
	case "stop":
		_, err = s.Client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids}, region)
		return callError(n, "EC2 StopInstances", err)
	case "terminate":
		_, err = s.Client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}, region)
		return callError(n, "EC2 TerminateInstances", err)
	case "reboot":
		_, err = s.Client.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: ids}, region)
		return callError(n, "EC2 RebootInstances", err)
	}
	return errors.New("aws: " + n.ARN + ": unknown EC2 action " + n.Target.EC2Action)
}

// instanceID returns the value of the InstanceId dimension of n's metric
// alarm.
func instanceID(n action.Notification) (string, error) {
	a := n.Transition.MetricAlarm
	if a == nil {
		return "", errors.New("aws: " + n.ARN + ": EC2 actions need a metric alarm with an InstanceId dimension, and " +
			n.Transition.AlarmName + " is not a metric alarm")
	}
	for _, d := range a.Dimensions {
		if d.Name == "InstanceId" && d.Value != "" {
			return d.Value, nil
		}
	}
	return "", errors.New("aws: " + n.ARN + ": the alarm " + n.Transition.AlarmName +
		" has no InstanceId dimension, so there is no instance to act on")
}
