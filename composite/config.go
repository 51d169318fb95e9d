package composite

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// Config is a composite alarm's configuration: the fields of CloudWatch's
// PutCompositeAlarm, with CloudWatch's JSON names, so that the input of
// `aws cloudwatch put-composite-alarm --cli-input-json` decodes into it.
// A nil ActionsEnabled means true. ActionsSuppressorWaitPeriod and
// ActionsSuppressorExtensionPeriod are in seconds; nil means not set,
// which differs from 0 (no wait).
type Config struct {
	AlarmName                        string      `json:"AlarmName"`
	AlarmDescription                 string      `json:"AlarmDescription,omitempty"`
	AlarmRule                        string      `json:"AlarmRule"`
	ActionsEnabled                   *bool       `json:"ActionsEnabled,omitempty"`
	OKActions                        []string    `json:"OKActions,omitempty"`
	AlarmActions                     []string    `json:"AlarmActions,omitempty"`
	InsufficientDataActions          []string    `json:"InsufficientDataActions,omitempty"`
	ActionsSuppressor                string      `json:"ActionsSuppressor,omitempty"`
	ActionsSuppressorWaitPeriod      *int        `json:"ActionsSuppressorWaitPeriod,omitempty"`
	ActionsSuppressorExtensionPeriod *int        `json:"ActionsSuppressorExtensionPeriod,omitempty"`
	Tags                             []alarm.Tag `json:"Tags,omitempty"`
}

// Limits of PutCompositeAlarm's fields.
const (
	maxAlarmNameLen   = 255  // runes of AlarmName
	maxDescriptionLen = 1024 // runes of AlarmDescription
	maxActions        = 5    // entries of each action list
	maxARNLen         = 1024 // runes of one action ARN
	maxSuppressorLen  = 1600 // runes of ActionsSuppressor
	maxTags           = 50   // tags of one alarm
	maxTagKeyLen      = 128  // runes of a tag key
	maxTagValueLen    = 256  // runes of a tag value
	maxPeriod         = math.MaxInt32
)

// ActionsOn reports whether actions run for this alarm (ActionsEnabled,
// which defaults to true).
func (c *Config) ActionsOn() bool { return c.ActionsEnabled == nil || *c.ActionsEnabled }

// Clone returns a deep copy of c: no slice or pointer is shared with c.
func (c *Config) Clone() Config {
	d := *c
	d.ActionsEnabled = clonePtr(c.ActionsEnabled)
	d.ActionsSuppressorWaitPeriod = clonePtr(c.ActionsSuppressorWaitPeriod)
	d.ActionsSuppressorExtensionPeriod = clonePtr(c.ActionsSuppressorExtensionPeriod)
	d.OKActions = slices.Clone(c.OKActions)
	d.AlarmActions = slices.Clone(c.AlarmActions)
	d.InsufficientDataActions = slices.Clone(c.InsufficientDataActions)
	d.Tags = slices.Clone(c.Tags)
	return d
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Validate checks c as PutCompositeAlarm does and reports every problem
// together (errors.Join), nil when CloudWatch would accept c. Each message
// names the field, the value and the rule; every error matches
// ErrValidation with errors.Is. A rule that does not parse gives Parse's
// *RuleError.
//
// The checks: AlarmName 1 to 255 characters of UTF-8 without ASCII control
// characters; AlarmDescription at most 1024 characters; AlarmRule required
// and valid (see Parse); at most 5 ARNs in each action list, each 1 to
// 1024 characters; ActionsSuppressor at most 1600 characters; when
// ActionsSuppressor is set, both periods are required, and when it is not,
// neither may be set; periods from 0 to 2147483647 seconds; at most 50
// tags, keys 1 to 128 characters, values at most 256.
//
// Where CloudWatch's wording is known it is used (the "1 validation error
// detected: ..." form for lengths and ranges, with CloudWatch's camelCase
// member paths); elsewhere the wording follows package alarm. Codes:
// MissingParameter for a required field left out,
// InvalidParameterCombination for a period without a suppressor,
// ValidationError for the rest. Validate does not look up names (whether
// the children and the suppressor exist is the engine's check).
func (c *Config) Validate() error {
	if c == nil {
		c = &Config{}
	}
	var v validator
	v.alarmName(c.AlarmName)
	v.maxLen("alarmDescription", c.AlarmDescription, maxDescriptionLen)
	if c.AlarmRule == "" {
		v.required("AlarmRule")
	} else if _, err := Parse(c.AlarmRule); err != nil {
		v.errs = append(v.errs, err)
	}
	v.actions("OKActions", "oKActions", c.OKActions)
	v.actions("AlarmActions", "alarmActions", c.AlarmActions)
	v.actions("InsufficientDataActions", "insufficientDataActions", c.InsufficientDataActions)
	v.suppressor(c)
	v.tags(c.Tags)
	return errors.Join(v.errs...)
}

// validator collects the problems of one Validate call.
type validator struct{ errs []error }

func (v *validator) add(code, msg string) {
	v.errs = append(v.errs, cwerr.New("composite", code, msg))
}

func (v *validator) required(param string) {
	v.add(cwerr.MissingParameter, "The parameter "+param+" is required.")
}

// awsConstraint is CloudWatch's own format for a failed shape constraint;
// member is the camelCase path ("alarmName", "oKActions.2.member").
func (v *validator) awsConstraint(member, value, constraint string) {
	v.add(cwerr.ValidationError, "1 validation error detected: Value "+quoteToken(value)+" at '"+member+"' failed to satisfy constraint: Member must "+constraint)
}

// maxLen checks that s has at most n runes.
func (v *validator) maxLen(member, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		v.awsConstraint(member, s, "have length less than or equal to "+strconv.Itoa(n))
	}
}

// length checks that s has 1 to n runes.
func (v *validator) length(member, s string, n int) {
	if s == "" {
		v.awsConstraint(member, s, "have length greater than or equal to 1")
	}
	v.maxLen(member, s, n)
}

func (v *validator) size(param string, n, limit int) {
	if n > limit {
		v.add(cwerr.ValidationError, fmt.Sprintf("The collection %s must not have a size greater than %d (got %d).", param, limit, n))
	}
}

func (v *validator) alarmName(name string) {
	if name == "" {
		v.required("AlarmName")
		return
	}
	v.maxLen("alarmName", name, maxAlarmNameLen)
	if !utf8.ValidString(name) {
		v.add(cwerr.ValidationError, "The value "+strconv.Quote(name)+" for parameter AlarmName is invalid: it is not valid UTF-8.")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			v.add(cwerr.ValidationError, fmt.Sprintf("The value %s for parameter AlarmName is invalid: it contains the ASCII control character %U.", strconv.Quote(name), r))
			break
		}
	}
}

// actions checks one action list: its size, each ARN's length and form,
// and the kinds a composite alarm may take there. A composite takes no EC2
// and no Auto Scaling actions; in OKActions and InsufficientDataActions,
// SNS and Lambda actions only (the others act on entering ALARM).
func (v *validator) actions(param, member string, arns []string) {
	v.size(param, len(arns), maxActions)
	for i, arn := range arns {
		v.length(fmt.Sprintf("%s.%d.member", member, i+1), arn, maxARNLen)
		if arn == "" || utf8.RuneCountInString(arn) > maxARNLen {
			continue
		}
		field := fmt.Sprintf("%s.member.%d", param, i+1)
		a, err := alarm.ParseActionARN(arn)
		switch {
		case err != nil:
			var ce *cwerr.Error
			errors.As(err, &ce)
			v.add(cwerr.ValidationError, "The value "+quoteToken(arn)+" for parameter "+field+" is invalid: "+
				strings.TrimPrefix(ce.Message, "The value "+quoteToken(arn)+" is not an alarm action ARN CloudWatch accepts: "))
		case a.Kind == alarm.ActionEC2 || a.Kind == alarm.ActionAutoScaling:
			kind := "EC2"
			if a.Kind == alarm.ActionAutoScaling {
				kind = "Auto Scaling"
			}
			v.add(cwerr.ValidationError, "The value "+quoteToken(arn)+" for parameter "+field+" is invalid: composite alarms cannot take "+kind+" actions.")
		case param != "AlarmActions" && a.Kind != alarm.ActionSNS && a.Kind != alarm.ActionLambda:
			v.add(cwerr.ValidationError, "The value "+quoteToken(arn)+" for parameter "+field+" is invalid: a composite alarm's "+param+" take SNS and Lambda actions only.")
		}
	}
}

// suppressor checks ActionsSuppressor and its two periods, which go
// together.
func (v *validator) suppressor(c *Config) {
	periods := []struct {
		param, member string
		p             *int
	}{
		{"ActionsSuppressorWaitPeriod", "actionsSuppressorWaitPeriod", c.ActionsSuppressorWaitPeriod},
		{"ActionsSuppressorExtensionPeriod", "actionsSuppressorExtensionPeriod", c.ActionsSuppressorExtensionPeriod},
	}
	if c.ActionsSuppressor == "" {
		for _, f := range periods {
			if f.p != nil {
				v.add(cwerr.InvalidParameterCombination, fmt.Sprintf("The parameter %s can be used only with ActionsSuppressor (got %d without ActionsSuppressor).", f.param, *f.p))
			}
		}
		return
	}
	v.maxLen("actionsSuppressor", c.ActionsSuppressor, maxSuppressorLen)
	for _, f := range periods {
		switch {
		case f.p == nil:
			v.add(cwerr.MissingParameter, "The parameter "+f.param+" is required when ActionsSuppressor is set (got ActionsSuppressor "+quoteToken(c.ActionsSuppressor)+").")
		case *f.p < 0:
			v.awsConstraint(f.member, strconv.Itoa(*f.p), "have value greater than or equal to 0")
		case *f.p > maxPeriod:
			v.awsConstraint(f.member, strconv.Itoa(*f.p), "have value less than or equal to "+strconv.Itoa(maxPeriod))
		}
	}
}

func (v *validator) tags(tags []alarm.Tag) {
	v.size("Tags", len(tags), maxTags)
	for i, t := range tags {
		member := fmt.Sprintf("tags.%d.member", i+1)
		if t.Key == "" {
			v.required(fmt.Sprintf("Tags.member.%d.Key", i+1))
		} else {
			v.maxLen(member+".key", t.Key, maxTagKeyLen)
		}
		v.maxLen(member+".value", t.Value, maxTagValueLen)
	}
}
