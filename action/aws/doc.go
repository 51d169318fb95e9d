// Package aws delivers Klaxon's alarm actions to AWS, as CloudWatch
// does: it publishes to SNS topics, stops, terminates and reboots EC2
// instances, and executes Auto Scaling policies, with aws-sdk-go-v2. It is
// a module of its own (github.com/klaxon-go/klaxon/action/aws), so that
// Klaxon itself never imports the AWS SDK.
//
// The sinks are [SNS], [EC2] and [AutoScaling], each an action.Sink;
// [Sinks] holds the three, and its Router is the engine's ActionRunner:
//
//	sinks, err := aws.LoadDefault(ctx, aws.Options{})
//	e, err := klaxon.New(klaxon.Options{Actions: sinks.Router()})
//
// Lambda, Systems Manager and investigation actions have no sink here;
// the engine records them as failed (no sink) unless the Router is given
// one.
//
// # What each sink sends
//
// Every call goes to the Region of the action's ARN, whatever the
// configuration's Region.
//
//   - SNS: Publish to the topic of the ARN, with CloudWatch's message and
//     subject (or the Message function's body, subject and structure); to a FIFO topic, MessageGroupId the
//     SHA-256 of the alarm's ARN and MessageDeduplicationId the SHA-256 of
//     the idempotency key.
//   - EC2: StopInstances, TerminateInstances or RebootInstances of the
//     instance in the alarm's InstanceId dimension.
//   - Auto Scaling: DescribePolicies for the policy's type, then
//     ExecutePolicy with the policy and group names of the ARN:
//     HonorCooldown for a simple policy, MetricValue and BreachThreshold
//     for a step policy.
//
// A failure is an [Error] whose text names the operation, the action's ARN
// and AWS's error code and message, which the engine's Action history
// item quotes: Failed to execute action ARN. Received error: "aws: SNS
// Publish for ARN: AuthorizationError: ...".
//
// # Credentials and endpoints
//
// [New] takes an aws.Config, so credentials, endpoints, the HTTP client
// and logging are the SDK's. [LoadDefault] loads the SDK's default chain
// (config.LoadDefaultConfig): environment variables, the shared config
// and credentials files, SSO, web identity, the container and instance
// roles. AWS_ENDPOINT_URL points every client at another endpoint (a
// compatible emulator, a VPC endpoint), AWS_ENDPOINT_URL_SNS,
// AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL_AUTO_SCALING one service; in
// code, set the Config's BaseEndpoint.
//
// # Retries
//
// The engine owns delivery: under the action.Sink contract, Deliver is
// one attempt, retrying a failure is the engine's, and every retry
// carries the same idempotency key. So the sinks replace the SDK's
// retry policy (the Config's Retryer, AWS_MAX_ATTEMPTS and
// AWS_RETRY_MODE are not used) with one that retries only throttling
// (Throttling, Throttled, RequestLimitExceeded, ...): a throttled request
// was refused before it acted, so retrying it cannot act twice. It makes
// at most [Options].MaxAttempts requests (default 3) with jittered waits
// of at most MaxBackoff (default 1 s), within the delivery's context. A
// 5xx, a timeout or a broken connection is returned at once: AWS may
// have acted, and the SDK's default policy, which retries those, would
// publish or scale again (the tests show it). The engine then retries it
// after its backoff (klaxon.Options.ActionRetry), with the same key:
// delivery is at least once. A refusal that a retry cannot fix (a 4xx
// other than throttling, such as AuthorizationError; a recover action;
// a policy that does not exist) matches klaxon.ErrPermanent, and the
// engine records it as failed at once.
//
// # Caveats
//
//   - SNS message: by default the sink publishes what CloudWatch does, a
//     JSON message with a body per protocol (MessageStructure "json":
//     the alarm's JSON message by default, its email text for email
//     subscriptions) and the subject `ALARM: "name" in EU (Ireland)`
//     (CloudWatchMessage); SNS.Message replaces it.
//   - Idempotency: only FIFO topics take a deduplication id (SNS drops a
//     duplicate within five minutes). EC2 and Auto Scaling take no client
//     token for these calls, so an engine retry after a lost answer may
//     act twice: stopping or terminating twice has the effect of once,
//     but rebooting twice may reboot twice, and executing a policy twice
//     scales twice (for a simple policy, HonorCooldown lets Auto Scaling
//     decline the second while the first's activity or cooldown lasts).
//     A standard topic may get a message twice, as CloudWatch says its
//     own notifications may.
//   - FIFO topics: the group id is one per alarm, so one alarm's
//     notifications are ordered; CloudWatch uses "a hash of the alarm
//     ARN", whose function is not published: SHA-256 here.
//   - Recover: CloudWatch's recover moves the instance to healthy hardware
//     keeping its ID, addresses and metadata. EC2's public API has no
//     call that does this on demand (an instance's own automatic recovery
//     is a setting, ModifyInstanceMaintenanceOptions; stop and start
//     changes the public IP address and loses instance store data), so a
//     recover action fails with an error wrapping errors.ErrUnsupported.
//   - HonorCooldown: an alarm's invocation of a simple scaling policy
//     waits for the cooldown, so the sink sends HonorCooldown true; when
//     Auto Scaling declines because of a scaling activity or cooldown
//     (ScalingActivityInProgress), the error wraps klaxon.ErrNotRun and
//     the engine records "Did not execute action" rather than a failure.
//     What CloudWatch records in that case is unpublished.
//   - Step scaling: ExecutePolicy needs the metric value to pick the step.
//     The sink sends the newest datapoint of the state change's reason
//     data (recentDatapoints) and the alarm's Threshold; a state change
//     without datapoints (SetAlarmState, missing data treated as
//     breaching) fails. CloudWatch's own choice is unpublished.
//   - The policy's type costs a DescribePolicies call per delivery (no
//     cache to go stale); its ID must match the ARN's, so that the ARN of
//     a deleted policy does not execute a new one of the same name.
package aws
