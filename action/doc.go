// Package action delivers alarm actions: a [Router] is the engine's
// ActionRunner that sends each action to the [Sink] of its kind (SNS, EC2,
// Auto Scaling, Lambda, SSM, investigations) by the form of its ARN, as a
// [Notification] that carries the engine's Action and the parsed ARN.
//
//	router := &action.Router{SNS: mySNSSink, EC2: myEC2Sink}
//	e, err := klaxon.New(klaxon.Options{Actions: router})
//
// The engine delivers each action at least once, retrying failures with
// backoff, and records every outcome as an Action history item; a sink
// drops duplicates by the Notification's idempotency key. The sinks that
// call AWS (SNS Publish, EC2 Stop/Terminate/Reboot, Auto Scaling
// ExecutePolicy) are in the separate module
// github.com/klaxon-go/klaxon/action/aws, so that importing Klaxon never
// imports the AWS SDK.
package action
