package aws

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/action"
)

// Options configure the sinks' AWS clients. The zero value is the
// defaults.
type Options struct {
	// MaxAttempts is the most requests one delivery makes for one API
	// call (0 means 3; 1 means the SDK never retries). Only errors that
	// show AWS refused the request before acting on it are retried:
	// throttling (Throttling, RequestLimitExceeded, ...). A 5xx, a
	// timeout or a broken connection is returned at once, because the
	// call may have acted; retrying those is the engine's business.
	MaxAttempts int
	// MaxBackoff caps the wait between two attempts (0 means 1 second).
	// The waits are jittered and end with the delivery's context.
	MaxBackoff time.Duration
}

func (o Options) maxAttempts() int {
	if o.MaxAttempts <= 0 {
		return 3
	}
	return o.MaxAttempts
}

func (o Options) maxBackoff() time.Duration {
	if o.MaxBackoff <= 0 {
		return time.Second
	}
	return o.MaxBackoff
}

// retryer returns the retry policy of the sinks' clients: throttling
// errors only, at most MaxAttempts, no client-side retry quota (a quota
// shared by every delivery would turn one busy minute into failures of
// unrelated actions).
func (o Options) retryer() sdkaws.Retryer {
	return retry.NewStandard(func(so *retry.StandardOptions) {
		so.MaxAttempts = o.maxAttempts()
		so.MaxBackoff = o.maxBackoff()
		so.Backoff = retry.NewExponentialJitterBackoff(o.maxBackoff())
		so.Retryables = []retry.IsErrorRetryable{
			retry.NoRetryCanceledError{},
			retry.RetryableErrorCode{Codes: throttleCodes},
		}
		so.RateLimiter = ratelimit.None
	})
}

// throttleCodes are the error codes of a request refused for its rate,
// which did not act: the SDK's throttling codes (Throttling,
// RequestLimitExceeded for EC2, ...) and SNS's own, which the SDK does not
// count as throttling.
var throttleCodes = func() map[string]struct{} {
	m := map[string]struct{}{"Throttled": {}, "KMSThrottling": {}}
	for c := range retry.DefaultThrottleErrorCodes {
		m[c] = struct{}{}
	}
	return m
}()

// Sinks are the SNS, EC2 and Auto Scaling sinks on one AWS configuration.
// Router puts them in an action.Router.
type Sinks struct {
	SNS         *SNS
	EC2         *EC2
	AutoScaling *AutoScaling
}

// New returns the three sinks on cfg: credentials, endpoints (BaseEndpoint,
// or the AWS_ENDPOINT_URL variables when cfg comes from
// config.LoadDefaultConfig), HTTP client and logging are cfg's; the
// retry policy is opts' (cfg's Retryer, RetryMaxAttempts and RetryMode
// are not used). The Region of each call is that of the action's ARN, so
// cfg needs none. The SNS sink still needs its Message function.
func New(cfg sdkaws.Config, opts Options) *Sinks {
	return &Sinks{SNS: NewSNS(cfg, opts), EC2: NewEC2(cfg, opts), AutoScaling: NewAutoScaling(cfg, opts)}
}

// LoadDefault loads the SDK's default configuration
// (config.LoadDefaultConfig with optFns: the environment, the shared
// config and credentials files, SSO, web identity, the container and
// instance roles) and returns New's sinks on it.
func LoadDefault(ctx context.Context, opts Options, optFns ...func(*config.LoadOptions) error) (*Sinks, error) {
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return nil, errors.New("aws: loading the default AWS configuration: " + err.Error())
	}
	return New(cfg, opts), nil
}

// Router returns an action.Router that sends SNS, EC2 and Auto Scaling
// actions to s's sinks (those that are not nil); other kinds of action
// have no sink, which the engine records as a failed action.
func (s *Sinks) Router() *action.Router {
	r := &action.Router{}
	if s.SNS != nil {
		r.SNS = s.SNS
	}
	if s.EC2 != nil {
		r.EC2 = s.EC2
	}
	if s.AutoScaling != nil {
		r.AutoScaling = s.AutoScaling
	}
	return r
}

// An Error is the error of an AWS call made for an action: its ARN, the
// API operation and the SDK's error, which errors.As reads as a
// smithy.APIError (ErrorCode, ErrorMessage) when AWS answered with one.
// Its text names the ARN, the operation, and AWS's code and message, or
// the SDK's error when AWS did not answer (a timeout, a refused
// connection).
type Error struct {
	ARN string // the action's ARN
	Op  string // the API operation: "SNS Publish", "EC2 StopInstances", ...
	Err error  // the SDK's error

	notRun bool // AWS declined the call on purpose (see AutoScaling)
}

// Is reports whether e is an action AWS declined on purpose rather than
// failed to run (klaxon.ErrNotRun), or one that a retry cannot fix
// (klaxon.ErrPermanent): AWS refused it as the caller's fault (a 4xx
// such as AuthorizationError or InvalidParameter, throttling aside), or
// it asks for what the API cannot do (errors.ErrUnsupported). The engine
// retries the others: a 5xx, a timeout, throttling that outlasted the
// sink's own retries.
func (e *Error) Is(target error) bool {
	switch target {
	case klaxon.ErrNotRun:
		return e.notRun
	case klaxon.ErrPermanent:
		return !e.notRun && permanent(e.Err)
	}
	return false
}

// refusal is an error of the sink's own that a retry cannot fix: it
// matches klaxon.ErrPermanent.
type refusal string

func (r refusal) Error() string        { return string(r) }
func (r refusal) Is(target error) bool { return target == klaxon.ErrPermanent }

// permanent reports whether err is a client fault that is not throttling,
// or an unsupported operation.
func permanent(err error) bool {
	if errors.Is(err, errors.ErrUnsupported) {
		return true
	}
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorFault() != smithy.FaultClient {
		return false
	}
	_, throttled := throttleCodes[api.ErrorCode()]
	return !throttled
}

func (e *Error) Error() string {
	msg := "aws: " + e.Op + " for " + e.ARN + ": "
	var api smithy.APIError
	switch {
	case errors.As(e.Err, &api):
		m := api.ErrorMessage()
		if m == "" {
			m = "(no message)"
		}
		msg += api.ErrorCode() + ": " + m
	case errors.Is(e.Err, context.DeadlineExceeded):
		msg += "no answer before the delivery's deadline (context deadline exceeded)"
	case errors.Is(e.Err, context.Canceled):
		msg += "the delivery was canceled before an answer (context canceled)"
	default:
		msg += e.Err.Error()
	}
	var max *retry.MaxAttemptsError
	if errors.As(e.Err, &max) && max.Attempt > 1 {
		msg += " (after " + strconv.Itoa(max.Attempt) + " attempts)"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// callError wraps the error of an SDK call, or returns nil.
func callError(n action.Notification, op string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{ARN: n.ARN, Op: op, Err: err}
}

// digest returns the hexadecimal SHA-256 of s: 64 characters, within
// every limit of the ids it fills (SNS's 128 for group and deduplication
// ids).
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
