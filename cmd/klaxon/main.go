// Command klaxon replays metric history through CloudWatch alarms and
// validates alarm definitions.
//
//	klaxon replay --alarms ALARMS.json --metrics DATA[.json|.csv] [--metrics ...]
//	              [--from RFC3339] [--until RFC3339] [--format text|json]
//	klaxon validate --alarms ALARMS.json
//
// ALARMS.json is the output of `aws cloudwatch describe-alarms`, one
// PutMetricAlarm input object, or an array of them. DATA is the input of
// `aws cloudwatch put-metric-data --cli-input-json` (or an array of them),
// or CSV with the columns timestamp and value, and optionally namespace,
// metric_name, dimensions (Name=Value;Name2=Value2) and unit.
//
// The exit status is 0 on success, 2 on invalid input (with the error on
// stderr), 1 on any other failure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/replay"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  klaxon replay --alarms ALARMS.json --metrics DATA[.json|.csv] [--metrics ...]
                [--from RFC3339] [--until RFC3339] [--format text|json]
  klaxon validate --alarms ALARMS.json

(--plot and --sns-out are not available in this version.)
`

// inputError marks errors caused by the user's input: exit status 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "replay":
		err = replayCmd(ctx, args[1:], stdout, stderr)
	case "validate":
		err = validateCmd(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = inputError{fmt.Errorf("unknown command %q", args[0])}
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "klaxon %s: %v\n", args[0], err)
	var ie inputError
	if errors.As(err, &ie) {
		return 2
	}
	return 1
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

type timeFlag struct{ t time.Time }

func (f *timeFlag) String() string {
	if f.t.IsZero() {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *timeFlag) Set(s string) error {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("%q is not an RFC 3339 time such as 2024-05-01T12:00:00Z", s)
	}
	f.t = t
	return nil
}

func replayCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	alarmsPath := fs.String("alarms", "", "alarms `file` (describe-alarms output, PutMetricAlarm input, or an array)")
	var metrics multi
	fs.Var(&metrics, "metrics", "metric data `file` (.json put-metric-data input, or .csv); repeatable")
	var from, until timeFlag
	fs.Var(&from, "from", "time of the first evaluation (RFC 3339); default: the first datapoint, rounded up to the minute")
	fs.Var(&until, "until", "time of the last evaluation, inclusive (RFC 3339); default: the last datapoint plus the longest alarm window")
	format := fs.String("format", "text", "output `format`: text or json (describe-alarm-history --scan-by TimestampAscending)")
	plot := fs.String("plot", "", "SVG `file` of the replay (not in this version)")
	snsOut := fs.String("sns-out", "", "`directory` for the SNS messages (not in this version)")
	if err := fs.Parse(args); err != nil {
		return inputError{err}
	}
	// The design's contract names these two; they come with the
	// backtesting-plots and action-payload work. Say so rather than
	// "flag provided but not defined".
	if *plot != "" {
		return inputError{errors.New("--plot: plots are not available in this version of klaxon")}
	}
	if *snsOut != "" {
		return inputError{errors.New("--sns-out: SNS message bodies are not available in this version of klaxon")}
	}
	if fs.NArg() > 0 {
		return inputError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if *alarmsPath == "" {
		return inputError{errors.New("--alarms is required")}
	}
	if len(metrics) == 0 {
		return inputError{errors.New("--metrics is required (at least once)")}
	}
	if !from.t.IsZero() && !until.t.IsZero() && until.t.Before(from.t) {
		return inputError{fmt.Errorf("--until %s is before --from %s", until.t.UTC().Format(time.RFC3339), from.t.UTC().Format(time.RFC3339))}
	}
	if *format != "text" && *format != "json" {
		return inputError{fmt.Errorf("--format %q: must be text or json", *format)}
	}
	alarms, err := loadAlarms(*alarmsPath, stderr)
	if err != nil {
		return err
	}
	var def *replay.MetricRef
	if ref, ok := replay.SingleMetric(alarms); ok {
		def = &ref
	}
	var data []replay.Batch
	for _, p := range metrics {
		f, err := os.Open(p)
		if err != nil {
			return inputError{err}
		}
		b, err := replay.ReadMetrics(p, f, def)
		f.Close()
		if err != nil {
			return inputError{err}
		}
		data = append(data, b...)
	}
	res, err := replay.Run(ctx, alarms, data, replay.Options{From: from.t, Until: until.t})
	if err != nil {
		return inputError{err}
	}
	if *format == "json" {
		return replay.WriteJSON(stdout, res)
	}
	return replay.WriteText(stdout, res)
}

// loadAlarms reads and validates an alarms file. Alarms this version does
// not evaluate (composite and metric-math alarms) are reported on stderr
// and left out.
func loadAlarms(path string, stderr io.Writer) ([]alarm.Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputError{err}
	}
	defer f.Close()
	a, err := replay.ReadAlarms(path, f)
	if err != nil {
		return nil, inputError{err}
	}
	var errs []error
	var out []alarm.Config
	for i := range a.Metric {
		c := a.Metric[i]
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: alarm %q:\n%w", path, c.AlarmName, err))
			continue
		}
		if c.IsMath() {
			fmt.Fprintf(stderr, "klaxon: %s: skipping alarm %q: metric-math and anomaly-band alarms are not evaluated by this version\n", path, c.AlarmName)
			continue
		}
		out = append(out, c)
	}
	if len(a.Composite) > 0 {
		fmt.Fprintf(stderr, "klaxon: %s: skipping %d composite alarm(s): composite alarms are not evaluated by this version\n", path, len(a.Composite))
	}
	if len(errs) > 0 {
		return nil, inputError{errors.Join(errs...)}
	}
	if len(out) == 0 {
		return nil, inputError{fmt.Errorf("%s: no metric alarm this version can evaluate", path)}
	}
	return out, nil
}

func validateCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	alarmsPath := fs.String("alarms", "", "alarms `file` to validate")
	if err := fs.Parse(args); err != nil {
		return inputError{err}
	}
	if *alarmsPath == "" {
		return inputError{errors.New("--alarms is required")}
	}
	f, err := os.Open(*alarmsPath)
	if err != nil {
		return inputError{err}
	}
	defer f.Close()
	a, err := replay.ReadAlarms(*alarmsPath, f)
	if err != nil {
		return inputError{err}
	}
	var errs []error
	for i := range a.Metric {
		if err := a.Metric[i].Validate(); err != nil {
			errs = append(errs, fmt.Errorf("alarm %q:\n%w", a.Metric[i].AlarmName, err))
		}
	}
	if len(errs) > 0 {
		return inputError{errors.Join(errs...)}
	}
	fmt.Fprintf(stdout, "%s: %d metric alarm(s) valid", *alarmsPath, len(a.Metric))
	if len(a.Composite) > 0 {
		fmt.Fprintf(stdout, "; %d composite alarm(s) not checked (composite alarms are not supported by this version)", len(a.Composite))
	}
	fmt.Fprintln(stdout)
	return nil
}
