// Package cwerr holds the error type shared by Klaxon's packages: an error
// that carries CloudWatch's error code (ValidationError,
// InvalidParameterValue, ResourceNotFound, ...), CloudWatch's message, and
// the parameter and value it is about. Package klaxon exports it as
// klaxon.Error.
package cwerr

import (
	"errors"

	"github.com/aws/smithy-go"
)

// Sentinels that callers branch on with errors.Is. They are re-exported by
// the public packages (klaxon.ErrValidation, metric.ErrValidation, ...), so
// every package's validation errors match the same value.
var (
	ErrValidation = errors.New("validation error")
	ErrNotFound   = errors.New("resource not found")
)

// Codes used by CloudWatch's API for client errors.
const (
	ValidationError             = "ValidationError"
	InvalidParameterValue       = "InvalidParameterValue"
	InvalidParameterCombination = "InvalidParameterCombination"
	MissingParameter            = "MissingParameter"
	ResourceNotFound            = "ResourceNotFound"
	ResourceNotFoundException   = "ResourceNotFoundException" // the anomaly detector APIs' spelling
	InvalidFormat               = "InvalidFormat"
	LimitExceeded               = "LimitExceeded"
)

// Error is one problem with a request, as CloudWatch reports it: Code is
// CloudWatch's error code and Message CloudWatch's text, which names the
// field, the value and the rule. Field is the parameter's path
// ("MetricData.member.1.Value", "Threshold") and Value the offending value
// as text, when the problem is about one; Pkg names the Klaxon package that
// raised it.
//
// Error has the methods of the AWS SDK for Go's smithy.APIError
// (ErrorCode, ErrorMessage, ErrorFault), so that code written against the
// SDK handles Klaxon's errors the same way, and it matches ErrValidation or
// ErrNotFound with errors.Is.
type Error struct {
	Pkg     string
	Code    string
	Message string
	Field   string
	Value   string
}

// New returns an *Error.
func New(pkg, code, msg string) *Error { return &Error{Pkg: pkg, Code: code, Message: msg} }

func (e *Error) Error() string { return e.Pkg + ": " + e.Code + ": " + e.Message }

// ErrorCode returns CloudWatch's error code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns CloudWatch's message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault returns smithy.FaultClient: every error Klaxon reports is
// about the caller's input.
func (e *Error) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// Is reports whether the error belongs to the class named by target:
// ErrNotFound for ResourceNotFound (and ResourceNotFoundException),
// ErrValidation for every other code.
func (e *Error) Is(target error) bool {
	notFound := e.Code == ResourceNotFound || e.Code == ResourceNotFoundException
	switch target {
	case ErrNotFound:
		return notFound
	case ErrValidation:
		return !notFound
	}
	return false
}

// Under returns a copy of e raised by package pkg with code (a package that
// reports another package's problem under its own rules: PutMetricAlarm
// reports constraint failures as ValidationError where PutMetricData says
// InvalidParameterValue).
func (e *Error) Under(pkg, code string) *Error {
	c := *e
	c.Pkg, c.Code = pkg, code
	return &c
}

var _ smithy.APIError = (*Error)(nil)
