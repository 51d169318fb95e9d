module github.com/klaxon-go/klaxon

go 1.26

require (
	github.com/aws/smithy-go v1.28.9
	github.com/benbjohnson/clock v1.3.5
	github.com/google/go-cmp v0.7.0
	gonum.org/v1/gonum v0.17.0
)
