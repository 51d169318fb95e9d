package klaxon

import (
	"strconv"
	"time"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// Error is the type of every error Klaxon reports about its input, in
// every package: CloudWatch's error code and message, the parameter the
// problem is about (Field, its path: "MetricData.member.1.Value") and the
// offending value. It has the methods of the AWS SDK for Go's
// smithy.APIError (ErrorCode, ErrorMessage, ErrorFault), so code written
// against the SDK handles Klaxon's errors the same way:
//
//	var apiErr smithy.APIError // or: var kerr *klaxon.Error
//	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "ResourceNotFound" { ... }
//
// Validation reports every problem of a call together (errors.Join of
// *Error values); errors.As finds the first.
type Error = cwerr.Error

// Sentinels for errors.Is: every input CloudWatch would reject matches
// ErrValidation, every unknown alarm ErrNotFound.
var (
	ErrValidation = cwerr.ErrValidation
	ErrNotFound   = cwerr.ErrNotFound
)

// The times an Engine works with: every time it is given (EvaluateAt,
// filters' dates excepted) and every time its clock reads must lie in
// [MinTime, MaxTime). Outside it, times would not survive the engine's
// compact storage (nanoseconds since 1970) and the retention arithmetic;
// the engine refuses them with an error instead of wrapping around.
var (
	MinTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func inRange(t time.Time) bool { return !t.Before(MinTime) && t.Before(MaxTime) }

// timeError is the error for a time outside [MinTime, MaxTime).
func timeError(field string, t time.Time) *Error {
	v := t.UTC().Format(time.RFC3339Nano)
	return &Error{Pkg: "klaxon", Code: cwerr.InvalidParameterValue, Field: field, Value: v,
		Message: "The value " + v + " for " + field + " is invalid: Klaxon works with times from " +
			MinTime.Format("2006-01-02") + " to " + MaxTime.Format("2006-01-02") + "."}
}

// clockError is the error for an engine clock outside the range.
func clockError(t time.Time) *Error {
	e := timeError("the engine's clock", t)
	e.Message = "The engine's clock reads " + e.Value + ", outside the times Klaxon works with (" +
		MinTime.Format("2006-01-02") + " to " + MaxTime.Format("2006-01-02") + "); set the clock first (a new clock.Mock reads 1970-01-01)."
	return e
}

// invalid returns a validation error of this package about field.
func invalid(field, value, msg string) *Error {
	return &Error{Pkg: "klaxon", Code: cwerr.InvalidParameterValue, Field: field, Value: value, Message: msg}
}

func notFound(msg string) *Error {
	return &Error{Pkg: "klaxon", Code: cwerr.ResourceNotFound, Message: msg}
}

// enumError is CloudWatch's message for a value outside an enumeration.
func enumError(field, member, value string, set string) *Error {
	return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: field, Value: value,
		Message: "1 validation error detected: Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must satisfy enum value set: [" + set + "]"}
}

func rangeError(field, member string, v, lo, hi int) *Error {
	msg := "1 validation error detected: Value '" + strconv.Itoa(v) + "' at '" + member + "' failed to satisfy constraint: Member must have value "
	if v < lo {
		msg += "greater than or equal to " + strconv.Itoa(lo)
	} else {
		msg += "less than or equal to " + strconv.Itoa(hi)
	}
	return &Error{Pkg: "klaxon", Code: cwerr.ValidationError, Field: field, Value: strconv.Itoa(v), Message: msg}
}
