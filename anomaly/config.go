package anomaly

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limits of a Config.
const (
	// MaxExcludedTimeRanges is CloudWatch's limit on ExcludedTimeRanges.
	MaxExcludedTimeRanges = 10
	// MaxTimezoneLen is CloudWatch's limit on MetricTimezone, in characters.
	MaxTimezoneLen = 50
	// MinPeriod and MaxPeriod bound Config.Period, in seconds: anomaly
	// alarms need periods of at least a minute, and a model of a daily
	// statistic is the coarsest that still sees a weekly pattern.
	MinPeriod = 60
	MaxPeriod = 86400
)

// ErrInvalidConfig is matched (errors.Is) by every error of
// [Config.Validate], [New] and [ParseConfiguration] about the content of a
// configuration.
var ErrInvalidConfig = errors.New("anomaly: invalid configuration")

// A FieldError is one problem of a Config: the field (a path such as
// "ExcludedTimeRanges[2].EndTime"), its value as text, and the rule it
// breaks.
type FieldError struct {
	Field string
	Value string
	Rule  string
}

func (e *FieldError) Error() string {
	return "anomaly: " + e.Field + " " + e.Value + ": " + e.Rule
}

// Is makes every FieldError match ErrInvalidConfig.
func (e *FieldError) Is(target error) bool { return target == ErrInvalidConfig }

// A Range is a time range left out of training, as in CloudWatch's
// AnomalyDetectorConfiguration: the periods that overlap [StartTime,
// EndTime) are not learned from.
type Range struct {
	StartTime time.Time `json:"StartTime"`
	EndTime   time.Time `json:"EndTime"`
}

// Clamp keeps a band within the values a metric can take.
type Clamp uint8

const (
	// ClampNone (the zero value) leaves the band as computed.
	ClampNone Clamp = iota
	// ClampNonNegative keeps the expected value and both edges at 0 or
	// above, for statistics that cannot be negative (counts, bytes,
	// latencies).
	ClampNonNegative
	// ClampPercent keeps them within 0..100, for percentages such as
	// CPUUtilization.
	ClampPercent
)

var clampNames = [...]string{"None", "NonNegative", "Percent"}

// String returns "None", "NonNegative", "Percent" or "Clamp(n)".
func (c Clamp) String() string {
	if int(c) < len(clampNames) {
		return clampNames[c]
	}
	return "Clamp(" + strconv.Itoa(int(c)) + ")"
}

// MarshalText implements encoding.TextMarshaler.
func (c Clamp) MarshalText() ([]byte, error) {
	if int(c) >= len(clampNames) {
		return nil, &FieldError{Field: "Clamp", Value: strconv.Itoa(int(c)), Rule: "must be None, NonNegative or Percent"}
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Clamp) UnmarshalText(b []byte) error {
	for i, n := range clampNames {
		if string(b) == n {
			*c = Clamp(i)
			return nil
		}
	}
	return &FieldError{Field: "Clamp", Value: strconv.Quote(string(b)), Rule: "must be None, NonNegative or Percent"}
}

// Config configures a Model. ExcludedTimeRanges and MetricTimezone are the
// fields of CloudWatch's AnomalyDetectorConfiguration, with its JSON
// names; Period and Clamp are what CloudWatch takes from the alarm and the
// metric. The zero value is not valid: Period is required. An empty
// MetricTimezone means UTC.
type Config struct {
	// Period is the length of the periods the model learns and bands, in
	// seconds: a multiple of 60 from 60 to 86400. Periods are aligned to
	// the Unix epoch (they start at multiples of Period).
	Period int `json:"Period"`
	// ExcludedTimeRanges are left out of training (at most 10; each
	// EndTime after its StartTime).
	ExcludedTimeRanges []Range `json:"ExcludedTimeRanges,omitempty"`
	// MetricTimezone is the tz database name of the time zone whose wall
	// clock the metric's daily and weekly patterns follow, so that they
	// follow daylight-saving changes ("Europe/Paris"); at most 50
	// characters. Empty means UTC.
	MetricTimezone string `json:"MetricTimezone,omitempty"`
	// Clamp keeps the band within the metric's possible values.
	Clamp Clamp `json:"Clamp,omitempty"`
}

// Validate reports every problem of c, joined (errors.Join); each is a
// *FieldError and matches ErrInvalidConfig.
func (c *Config) Validate() error {
	_, err := c.compile()
	return err
}

// compile validates c and resolves its time zone.
func (c *Config) compile() (*time.Location, error) {
	var errs []error
	add := func(field, value, rule string) {
		errs = append(errs, &FieldError{Field: field, Value: value, Rule: rule})
	}
	switch {
	case c.Period < MinPeriod || c.Period > MaxPeriod:
		add("Period", strconv.Itoa(c.Period), "must be from 60 to 86400 seconds")
	case c.Period%60 != 0:
		add("Period", strconv.Itoa(c.Period), "must be a multiple of 60 seconds")
	}
	if n := len(c.ExcludedTimeRanges); n > MaxExcludedTimeRanges {
		add("ExcludedTimeRanges", strconv.Itoa(n)+" ranges", "must have at most 10 ranges")
	}
	for i, r := range c.ExcludedTimeRanges {
		f := "ExcludedTimeRanges[" + strconv.Itoa(i) + "]"
		switch {
		case r.StartTime.IsZero():
			add(f+".StartTime", "(not set)", "is required")
		case r.EndTime.IsZero():
			add(f+".EndTime", "(not set)", "is required")
		case !r.EndTime.After(r.StartTime):
			add(f+".EndTime", formatTime(r.EndTime), "must be after StartTime "+formatTime(r.StartTime))
		}
	}
	if c.Clamp > ClampPercent {
		add("Clamp", strconv.Itoa(int(c.Clamp)), "must be None, NonNegative or Percent")
	}
	loc, err := LoadTimezone(c.MetricTimezone)
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	return loc, errors.Join(errs...)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// LoadTimezone returns the time zone named by a MetricTimezone: UTC for
// "", else a tz database name ("America/New_York", "Etc/GMT+5", "UTC") of
// at most 50 characters made of letters, digits and "/_+-", loaded with
// time.LoadLocation. "Local" is refused: it names the host's zone, not a
// metric's. The program needs the tz database (the system's, or the
// time/tzdata package linked in). Errors are *FieldError for the field
// "MetricTimezone".
func LoadTimezone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	bad := func(rule string) error {
		return &FieldError{Field: "MetricTimezone", Value: strconv.Quote(name), Rule: rule}
	}
	if n := len([]rune(name)); n > MaxTimezoneLen {
		return nil, bad("must be at most 50 characters (it has " + strconv.Itoa(n) + ")")
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)
		if !ok {
			return nil, bad(fmt.Sprintf("must hold only letters, digits and /_+- (character %d is %q)", i+1, r))
		}
	}
	if name == "Local" || name[0] == '/' || strings.HasSuffix(name, "/") || strings.Contains(name, "//") {
		return nil, bad("must be a time zone name of the tz database")
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, bad("must be a time zone name of the tz database (" + strings.TrimPrefix(err.Error(), "time: ") + ")")
	}
	// Models of the same zone share one Location (a few KiB each).
	actual, _ := zones.LoadOrStore(name, loc)
	return actual.(*time.Location), nil
}

// zones caches the loaded time zones by name. A *time.Location is safe for
// concurrent use; the cache grows with the distinct names loaded, at most
// the few hundred zones of the tz database.
var zones sync.Map

// ParseConfiguration reads a Config from JSON in the shape of CloudWatch's
// AnomalyDetectorConfiguration, plus Period and Clamp:
//
//	{"Period": 300, "MetricTimezone": "Europe/Paris", "Clamp": "NonNegative",
//	 "ExcludedTimeRanges": [{"StartTime": "2024-05-01T00:00:00Z", "EndTime": "2024-05-01T06:00:00Z"}]}
//
// Times are RFC 3339, as the AWS CLI prints them. Unknown fields and
// trailing data are errors, and the result is validated; every error
// matches ErrInvalidConfig.
func ParseConfiguration(data []byte) (Config, error) {
	var raw struct {
		Period             int
		ExcludedTimeRanges []struct{ StartTime, EndTime *string }
		MetricTimezone     string
		Clamp              Clamp
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			return Config{}, fe
		}
		return Config{}, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, fmt.Errorf("%w: unexpected data after the JSON object", ErrInvalidConfig)
	}
	c := Config{Period: raw.Period, MetricTimezone: raw.MetricTimezone, Clamp: raw.Clamp}
	var errs []error
	parse := func(field string, s *string) time.Time {
		if s == nil {
			return time.Time{} // reported by Validate
		}
		t, err := time.Parse(time.RFC3339, *s)
		if err != nil {
			errs = append(errs, &FieldError{Field: field, Value: strconv.Quote(*s), Rule: "must be an RFC 3339 time (2024-05-01T00:00:00Z)"})
		}
		return t
	}
	for i, r := range raw.ExcludedTimeRanges {
		f := "ExcludedTimeRanges[" + strconv.Itoa(i) + "]"
		c.ExcludedTimeRanges = append(c.ExcludedTimeRanges, Range{StartTime: parse(f+".StartTime", r.StartTime), EndTime: parse(f+".EndTime", r.EndTime)})
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}
