// Package cwerr holds the error type shared by Klaxon's packages: an error
// that carries CloudWatch's error code (ValidationError,
// InvalidParameterValue, ResourceNotFound, ...) and CloudWatch's message.
package cwerr

import "errors"

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
	InvalidFormat               = "InvalidFormat"
	LimitExceeded               = "LimitExceeded"
)

// Error is one CloudWatch-style error: Pkg names the Klaxon package that
// raised it, Code is CloudWatch's error code and Message CloudWatch's text
// (naming the field, the value and the rule).
type Error struct {
	Pkg     string
	Code    string
	Message string
}

// New returns an *Error.
func New(pkg, code, msg string) *Error { return &Error{Pkg: pkg, Code: code, Message: msg} }

func (e *Error) Error() string { return e.Pkg + ": " + e.Code + ": " + e.Message }

// Is reports whether the error belongs to the class named by target:
// ErrNotFound for ResourceNotFound, ErrValidation for every other code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Code == ResourceNotFound
	case ErrValidation:
		return e.Code != ResourceNotFound
	}
	return false
}
