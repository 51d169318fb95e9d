package action

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/klaxon-go/klaxon"
)

// A Layout is a version of the SNS message's layout. CloudWatch has added
// keys to its SNS message over the years; a Layout picks the set and
// order of one period, so that a consumer written against older messages
// can be tested against them.
type Layout uint8

const (
	// LayoutDocumented, the zero Layout, is the layout the User Guide
	// documents and CloudWatch sends from 2022: the three action lists in
	// every message, AlarmConfigurationUpdatedTimestamp and
	// DatapointsToAlarm in a metric alarm's, TreatMissingData as its plain
	// value.
	LayoutDocumented Layout = iota
	// Layout2021 is the layout of the messages sent until 2021: no action
	// lists, no AlarmConfigurationUpdatedTimestamp, no DatapointsToAlarm;
	// TreatMissingData as the line of the email body
	// ("- TreatMissingData:                    missing"), "" when not set;
	// and a composite alarm's empty description as "" rather than null.
	Layout2021
	// Layout2026 is LayoutDocumented with the key
	// ActionExecutedAfterMuteWindow (alarm mute rules, 2026) right after
	// OldStateValue. Its value is always false: Klaxon has no mute rules.
	Layout2026
)

var layoutNames = [...]string{"LayoutDocumented", "Layout2021", "Layout2026"}

func (l Layout) String() string {
	if int(l) < len(layoutNames) {
		return layoutNames[l]
	}
	return "Layout(" + strconv.Itoa(int(l)) + ")"
}

// A Format builds the payloads CloudWatch sends for a transition: the SNS
// message and its subject, the JSON-structured message with its email and
// SMS variants, the EventBridge event and the Lambda action's payload. The
// zero Format builds the forms CloudWatch documents today. A Format is a
// plain value, safe for concurrent use; each method builds its payload
// from the Transition alone, so a replay can build the payloads of
// transitions that no Router ever saw.
type Format struct {
	// Layout is the SNS message's layout (LayoutDocumented by default).
	Layout Layout
}

// ErrPayload is matched (errors.Is) by every error of a payload that
// cannot be built from a Transition: a Transition with neither a
// MetricAlarm nor a CompositeAlarm configuration, or whose AlarmArn is not
// a CloudWatch alarm ARN.
var ErrPayload = errors.New("action: cannot build the payload")

// payloadError is an error of a payload: it names the alarm, the value
// and the rule.
type payloadError struct{ msg string }

func (e *payloadError) Error() string { return "action: " + e.msg }
func (e *payloadError) Is(target error) bool {
	return target == ErrPayload
}

// alarmARN is the parsed ARN of an alarm.
type alarmARN struct {
	Partition, Region, Account, Name string
}

// parseAlarmARN parses arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:NAME.
// The account is taken as it is (captured messages are often anonymised
// to fewer than 12 digits); the name may hold colons.
func parseAlarmARN(s string) (alarmARN, error) {
	bad := func(why string) (alarmARN, error) {
		return alarmARN{}, &payloadError{"the alarm ARN " + strconv.Quote(s) + " is not arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:NAME: " + why}
	}
	var parts [7]string // split at the first 6 colons, without allocating
	n, rest := 0, s
	for ; n < 6; n++ {
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			break
		}
		parts[n], rest = rest[:i], rest[i+1:]
	}
	parts[n] = rest
	switch {
	case n < 6 || parts[0] != "arn":
		return bad("it has fewer than 7 colon-separated parts")
	case parts[1] == "":
		return bad("the partition is empty")
	case parts[2] != "cloudwatch":
		return bad("the service is " + strconv.Quote(parts[2]) + ", not cloudwatch")
	case parts[3] == "":
		return bad("the Region is empty")
	case parts[4] == "":
		return bad("the account is empty")
	case parts[5] != "alarm":
		return bad("the resource type is " + strconv.Quote(parts[5]) + ", not alarm")
	case parts[6] == "":
		return bad("the alarm name is empty")
	}
	return alarmARN{Partition: parts[1], Region: parts[3], Account: parts[4], Name: parts[6]}, nil
}

// source is what every payload is built from: the Transition, which
// carries one of MetricAlarm and CompositeAlarm, and its alarm's ARN,
// parsed.
type source struct {
	t   *klaxon.Transition
	arn alarmARN
}

// newSource checks that a payload can be built from t.
func newSource(t *klaxon.Transition) (source, error) {
	s := source{t: t}
	if t.MetricAlarm == nil && t.CompositeAlarm == nil {
		return s, &payloadError{"the transition of alarm " + strconv.Quote(t.AlarmName) + " carries no configuration (MetricAlarm or CompositeAlarm): a payload is built from it"}
	}
	a, err := parseAlarmARN(t.AlarmArn)
	if err != nil {
		return s, &payloadError{"the transition of alarm " + strconv.Quote(t.AlarmName) + ": " + strings.TrimPrefix(err.Error(), "action: ")}
	}
	s.arn = a
	return s, nil
}

// description returns the alarm's AlarmDescription ("" when not set).
func (s *source) description() string {
	if c := s.t.MetricAlarm; c != nil {
		return c.AlarmDescription
	}
	return s.t.CompositeAlarm.AlarmDescription
}

// actions returns the alarm's three action lists: OK, ALARM,
// INSUFFICIENT_DATA.
func (s *source) actions() (ok, alarm, insufficient []string) {
	if c := s.t.MetricAlarm; c != nil {
		return c.OKActions, c.AlarmActions, c.InsufficientDataActions
	}
	c := s.t.CompositeAlarm
	return c.OKActions, c.AlarmActions, c.InsufficientDataActions
}

// buffers holds the buffers that payloads are built in, so that building
// one allocates its string only.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// maxPooled is the largest buffer put back in the pool.
const maxPooled = 64 << 10

func getBuffer() *[]byte { return buffers.Get().(*[]byte) }

func putBuffer(p *[]byte, b []byte) {
	if cap(b) <= maxPooled {
		*p = b[:0]
		buffers.Put(p)
	}
}

// build returns what appendTo appends to an empty pooled buffer, as a
// string.
func build(appendTo func(b []byte) []byte) string {
	p := getBuffer()
	b := appendTo((*p)[:0])
	s := string(b)
	putBuffer(p, b)
	return s
}

// SNSMessage returns the SNS message CloudWatch publishes for the
// notification's transition (see Format.SNSMessage), in the Layout of the
// Router that made the notification.
func (n Notification) SNSMessage() (string, error) { return n.format.SNSMessage(n.Transition) }

// Subject returns the SNS subject of the notification's transition (see
// Format.Subject).
func (n Notification) Subject() string { return n.format.Subject(n.Transition) }

// Email returns the body of the email CloudWatch sends for the
// notification's transition (see Format.Email).
func (n Notification) Email() (string, error) { return n.format.Email(n.Transition) }

// PublishedMessage returns the JSON-structured SNS message of the
// notification's transition (see Format.PublishedMessage).
func (n Notification) PublishedMessage() (string, error) {
	if n.published != nil {
		return n.published.get(n.Transition)
	}
	return n.format.PublishedMessage(n.Transition)
}

// Event returns the EventBridge event of the notification's transition
// (see Format.Event).
func (n Notification) Event() (string, error) { return n.format.Event(n.Transition) }

// LambdaPayload returns the payload CloudWatch invokes a Lambda action
// with for the notification's transition (see Format.LambdaPayload).
func (n Notification) LambdaPayload() (string, error) { return n.format.LambdaPayload(n.Transition) }

// bytesString returns b as a string without a copy, for a call that only
// reads it (a Writer's String copies it) while b is not modified.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
