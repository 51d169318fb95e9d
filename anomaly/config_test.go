package anomaly_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests name tz database zones: do not depend on the host's copy

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/anomaly"
)

func TestConfigValidate(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 5, d, 0, 0, 0, 0, time.UTC) }
	eleven := make([]anomaly.Range, 11)
	for i := range eleven {
		eleven[i] = anomaly.Range{StartTime: day(i + 1), EndTime: day(i + 2)}
	}
	tests := []struct {
		cfg  anomaly.Config
		want []string // one message per problem; none: valid
		why  string
	}{
		{anomaly.Config{Period: 300}, nil, "the minimum: a period"},
		{anomaly.Config{Period: 60, MetricTimezone: "Europe/Paris", Clamp: anomaly.ClampPercent,
			ExcludedTimeRanges: []anomaly.Range{{StartTime: day(1), EndTime: day(2)}}}, nil, "every field set"},
		{anomaly.Config{Period: 86400, ExcludedTimeRanges: eleven[:10]}, nil, "10 ranges is the limit"},
		{anomaly.Config{}, []string{"anomaly: Period 0: must be from 60 to 86400 seconds"}, "Period is required"},
		{anomaly.Config{Period: 30}, []string{"anomaly: Period 30: must be from 60 to 86400 seconds"}, "anomaly alarms need a minute at least"},
		{anomaly.Config{Period: 90}, []string{"anomaly: Period 90: must be a multiple of 60 seconds"}, "CloudWatch periods are whole minutes"},
		{anomaly.Config{Period: 604800}, []string{"anomaly: Period 604800: must be from 60 to 86400 seconds"}, "at most a day"},
		{anomaly.Config{Period: 300, ExcludedTimeRanges: eleven}, []string{"anomaly: ExcludedTimeRanges 11 ranges: must have at most 10 ranges"}, "CloudWatch's limit"},
		{anomaly.Config{Period: 300, ExcludedTimeRanges: []anomaly.Range{{EndTime: day(2)}}},
			[]string{"anomaly: ExcludedTimeRanges[0].StartTime (not set): is required"}, "a range needs both ends"},
		{anomaly.Config{Period: 300, ExcludedTimeRanges: []anomaly.Range{{StartTime: day(1)}}},
			[]string{"anomaly: ExcludedTimeRanges[0].EndTime (not set): is required"}, "a range needs both ends"},
		{anomaly.Config{Period: 300, ExcludedTimeRanges: []anomaly.Range{{StartTime: day(1), EndTime: day(2)}, {StartTime: day(3), EndTime: day(3)}}},
			[]string{"anomaly: ExcludedTimeRanges[1].EndTime 2024-05-03T00:00:00Z: must be after StartTime 2024-05-03T00:00:00Z"}, "an empty range"},
		{anomaly.Config{Period: 300, MetricTimezone: strings.Repeat("A", 51)},
			[]string{`anomaly: MetricTimezone "` + strings.Repeat("A", 51) + `": must be at most 50 characters (it has 51)`}, "CloudWatch's limit"},
		{anomaly.Config{Period: 300, MetricTimezone: "Europe/Paris!"},
			[]string{`anomaly: MetricTimezone "Europe/Paris!": must hold only letters, digits and /_+- (character 13 is '!')`}, "not a zone name"},
		{anomaly.Config{Period: 300, MetricTimezone: "Local"},
			[]string{`anomaly: MetricTimezone "Local": must be a time zone name of the tz database`}, "the host's zone is not a metric's"},
		{anomaly.Config{Period: 300, MetricTimezone: "Mars/Olympus_Mons"},
			[]string{`anomaly: MetricTimezone "Mars/Olympus_Mons": must be a time zone name of the tz database (unknown time zone Mars/Olympus_Mons)`}, "no such zone"},
		{anomaly.Config{Period: 300, Clamp: 9}, []string{"anomaly: Clamp 9: must be None, NonNegative or Percent"}, "no such clamp"},
		{anomaly.Config{Period: 45, MetricTimezone: "Local", Clamp: 3},
			[]string{"anomaly: Period 45: must be from 60 to 86400 seconds", "anomaly: Clamp 3: must be None, NonNegative or Percent", `anomaly: MetricTimezone "Local": must be a time zone name of the tz database`},
			"every problem is reported, not only the first"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		var got []string
		if err != nil {
			got = strings.Split(err.Error(), "\n")
			if !errors.Is(err, anomaly.ErrInvalidConfig) {
				t.Errorf("%+v: %v does not match ErrInvalidConfig", tt.cfg, err)
			}
			var fe *anomaly.FieldError
			if !errors.As(err, &fe) {
				t.Errorf("%+v: %v holds no *FieldError", tt.cfg, err)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Validate(%+v) (%s) (-want +got):\n%s", tt.cfg, tt.why, diff)
		}
		if _, err := anomaly.New(tt.cfg); (err == nil) != (tt.want == nil) {
			t.Errorf("New(%+v): %v, want the same verdict as Validate", tt.cfg, err)
		}
	}
}

func TestParseConfiguration(t *testing.T) {
	tests := []struct {
		in      string
		want    anomaly.Config
		wantErr string
		why     string
	}{
		{
			in: `{"Period": 300, "MetricTimezone": "America/New_York", "Clamp": "NonNegative",
			      "ExcludedTimeRanges": [{"StartTime": "2024-05-01T00:00:00Z", "EndTime": "2024-05-01T06:00:00.000+02:00"}]}`,
			want: anomaly.Config{Period: 300, MetricTimezone: "America/New_York", Clamp: anomaly.ClampNonNegative,
				ExcludedTimeRanges: []anomaly.Range{{StartTime: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), EndTime: time.Date(2024, 5, 1, 4, 0, 0, 0, time.UTC)}}},
			why: "every field, times with offsets as the AWS CLI prints them",
		},
		{in: `{"Period": 60}`, want: anomaly.Config{Period: 60}, why: "defaults"},
		{in: `{"Period": 60, "Stat": "Average"}`, wantErr: `anomaly: invalid configuration: json: unknown field "Stat"`, why: "unknown fields are refused"},
		{in: `{"Period": 60, "Clamp": "Positive"}`, wantErr: `anomaly: Clamp "Positive": must be None, NonNegative or Percent`, why: "clamp names"},
		{in: `{"Period": 60, "ExcludedTimeRanges": [{"StartTime": "yesterday", "EndTime": "2024-05-01T00:00:00Z"}]}`,
			wantErr: `anomaly: ExcludedTimeRanges[0].StartTime "yesterday": must be an RFC 3339 time (2024-05-01T00:00:00Z)`, why: "RFC 3339 times"},
		{in: `{"Period": 60, "ExcludedTimeRanges": [{"StartTime": "2024-05-01T00:00:00Z"}]}`,
			wantErr: "anomaly: ExcludedTimeRanges[0].EndTime (not set): is required", why: "both ends"},
		{in: `{"Period": 60} {}`, wantErr: "anomaly: invalid configuration: unexpected data after the JSON object", why: "one object"},
		{in: `{"Period": 61}`, wantErr: "anomaly: Period 61: must be a multiple of 60 seconds", why: "the result is validated"},
	}
	for _, tt := range tests {
		got, err := anomaly.ParseConfiguration([]byte(tt.in))
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr || !errors.Is(err, anomaly.ErrInvalidConfig) {
				t.Errorf("ParseConfiguration(%s): %v, want %q matching ErrInvalidConfig (%s)", tt.in, err, tt.wantErr, tt.why)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseConfiguration(%s): %v (%s)", tt.in, err, tt.why)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("ParseConfiguration(%s) (%s) (-want +got):\n%s", tt.in, tt.why, diff)
		}
	}
}

// FuzzParseConfiguration: no input panics, what is accepted is valid, and
// it reads back the same once written as JSON.
func FuzzParseConfiguration(f *testing.F) {
	f.Add([]byte(`{"Period": 300, "MetricTimezone": "America/New_York", "Clamp": "NonNegative", "ExcludedTimeRanges": [{"StartTime": "2024-05-01T00:00:00Z", "EndTime": "2024-05-01T06:00:00+02:00"}]}`))
	f.Add([]byte(`{"Period": 60}`))
	f.Add([]byte(`{"Period": 86400, "Clamp": "Percent", "MetricTimezone": "Etc/GMT+5"}`))
	f.Add([]byte(`{"Period": 300, "ExcludedTimeRanges": null}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := anomaly.ParseConfiguration(in)
		if err != nil {
			if !errors.Is(err, anomaly.ErrInvalidConfig) || !strings.HasPrefix(err.Error(), "anomaly: ") {
				t.Fatalf("error %q: want an ErrInvalidConfig starting with \"anomaly: \"", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted an invalid configuration: %v", err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", c, err)
		}
		again, err := anomaly.ParseConfiguration(out)
		if err != nil {
			t.Fatalf("%s does not read back: %v", out, err)
		}
		if diff := cmp.Diff(c, again, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Fatalf("round trip through %s (-first +second):\n%s", out, diff)
		}
		if _, err := anomaly.New(c); err != nil {
			t.Fatalf("New(%+v): %v", c, err)
		}
	})
}

// FuzzLoadTimezone: no name panics; an accepted name is at most 50
// characters of the allowed set, and loads the same zone again.
func FuzzLoadTimezone(f *testing.F) {
	for _, s := range []string{"", "UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Local", "../../etc/passwd", "Europe//Paris", "/UTC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		loc, err := anomaly.LoadTimezone(name)
		if err != nil {
			var fe *anomaly.FieldError
			if !errors.As(err, &fe) || fe.Field != "MetricTimezone" || !errors.Is(err, anomaly.ErrInvalidConfig) {
				t.Fatalf("error %v: want a *FieldError for MetricTimezone", err)
			}
			return
		}
		if len(name) > anomaly.MaxTimezoneLen || name == "Local" || strings.Contains(name, "..") {
			t.Fatalf("accepted %q", name)
		}
		again, err := anomaly.LoadTimezone(name)
		if err != nil || again.String() != loc.String() {
			t.Fatalf("%q: loaded %v, then %v (%v)", name, loc, again, err)
		}
	})
}
