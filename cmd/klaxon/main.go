// Command klaxon replays metric history through CloudWatch alarms and
// validates alarm definitions.
//
//	klaxon replay --alarms ALARMS.json --metrics DATA[.json|.csv] [--metrics ...]
//	              [--from RFC3339] [--until RFC3339] [--format text|json] [--plot OUT.svg]
//	              [--metric-map QUERY.json]
//	klaxon validate --alarms ALARMS.json [--metrics DATA ...] [--strict] [--format text|json]
//	klaxon version
//
// ALARMS.json is the output of `aws cloudwatch describe-alarms`, one
// PutMetricAlarm input object, or an array of them. DATA is the input of
// `aws cloudwatch put-metric-data --cli-input-json` (or an array of them),
// the output of `aws cloudwatch get-metric-data` or `get-metric-statistics`,
// or CSV with the columns timestamp and value, and optionally namespace,
// metric_name, dimensions (Name=Value;Name2=Value2) and unit.
//
// The exit status is 0 on success, 2 on invalid input (with every problem
// on stderr, once), 1 on any other failure.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/klaxon-go/klaxon"
	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/replay"
	"github.com/klaxon-go/klaxon/replay/plot"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  klaxon replay --alarms ALARMS.json --metrics DATA[.json|.csv] [--metrics ...]
                [--from RFC3339] [--until RFC3339] [--format text|json] [--plot OUT.svg|OUT.png]
                [--metric-map QUERY.json ...]
  klaxon validate --alarms ALARMS.json [--metrics DATA ...] [--strict] [--format text|json]
  klaxon version

Run 'klaxon replay --help' or 'klaxon validate --help' for the flags.
`

// inputError marks errors caused by the user's input: exit status 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// errShown is an error already printed (exit status 2, nothing more).
var errShown = errors.New("shown")

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
	case "version", "--version":
		fmt.Fprintln(stdout, versionText())
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = inputError{fmt.Errorf("unknown command %q (want replay, validate, version or help)", args[0])}
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errShown):
		return 2
	}
	fmt.Fprintf(stderr, "klaxon %s: %v\n", args[0], strings.ReplaceAll(err.Error(), "\n", "\n  "))
	if _, ok := errors.AsType[inputError](err); ok {
		return 2
	}
	return 1
}

// versionText is "klaxon VERSION (REVISION, GOVERSION)" from the build.
func versionText() string {
	v, rev, goVersion := "(devel)", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = s.Value[:12]
			}
			if s.Key == "vcs.modified" && s.Value == "true" {
				rev += "+dirty"
			}
		}
	}
	parts := []string{}
	if rev != "" {
		parts = append(parts, rev)
	}
	if goVersion != "" {
		parts = append(parts, goVersion)
	}
	if len(parts) == 0 {
		return "klaxon " + v
	}
	return "klaxon " + v + " (" + strings.Join(parts, ", ") + ")"
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

// parse parses a command's flags. Errors are returned (and printed once by
// run); --help prints the flags on stdout and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "usage of klaxon %s:\n", fs.Name())
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return inputError{fmt.Errorf("%w (run 'klaxon %s --help' for the flags)", err, fs.Name())}
	}
	if fs.NArg() > 0 {
		return inputError{fmt.Errorf("unexpected argument %q (run 'klaxon %s --help' for the flags)", fs.Arg(0), fs.Name())}
	}
	return nil
}

func replayCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	alarmsPath := fs.String("alarms", "", "alarms `file` (describe-alarms output, PutMetricAlarm input, or an array)")
	var metrics, maps multi
	fs.Var(&metrics, "metrics", "metric data `file` (put-metric-data input, get-metric-data or get-metric-statistics output, or CSV); repeatable")
	fs.Var(&maps, "metric-map", "the get-metric-data or get-metric-statistics input `file` that ties API output to its metrics; repeatable")
	var from, until timeFlag
	fs.Var(&from, "from", "time of the first evaluation (RFC 3339); default: the first evaluation that sees the first datapoint")
	fs.Var(&until, "until", "time of the last evaluation, inclusive (RFC 3339); default: the first evaluation that sees the last datapoint")
	format := fs.String("format", "text", "output `format`: text, or json (describe-alarm-history --scan-by TimestampAscending)")
	plotPath := fs.String("plot", "", "write a plot of each alarm to `file` (.svg or .png)")
	snsOut := fs.String("sns-out", "", "write each SNS message that would have been published to `directory`, one file per message, in publish order")
	if err := parse(fs, args, stdout); err != nil {
		return err
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
	if *plotPath != "" {
		if _, err := plot.FormatOf(*plotPath); err != nil {
			return inputError{fmt.Errorf("--plot: %w", err)}
		}
	}
	alarms, err := loadAlarms(*alarmsPath)
	if err != nil {
		return err
	}
	data, err := loadMetrics(metrics, maps, alarms, stderr)
	if err != nil {
		return err
	}
	for _, f := range replay.Lint(alarms, data, alarm.Options{}) {
		if f.Rule == replay.RuleNoMatchingMetric || f.Rule == replay.RuleBelowResolution {
			fmt.Fprintf(stderr, "klaxon replay: warning: %s\n", f)
		}
	}
	opts := replay.Options{From: from.t, Until: until.t, Series: *plotPath != ""}
	if *snsOut != "" {
		if err := os.MkdirAll(*snsOut, 0o755); err != nil {
			return inputError{fmt.Errorf("--sns-out: %w", err)}
		}
		opts.SNS = snsWriter(*snsOut)
	}
	var jw *replay.JSONWriter
	if *format == "json" {
		// The history is written as the replay goes, each day once the
		// replay has passed it.
		jw = replay.NewJSONWriter(stdout)
		opts.History = jw.Item
	}
	bar := newProgress(stderr)
	opts.Progress = bar.update
	res, err := replay.Run(ctx, alarms, data, opts)
	bar.finish()
	if err != nil {
		return inputError{err}
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(stderr, "klaxon replay: skipped %s %s\n", s.At, s.Reason)
	}
	if *plotPath != "" {
		if err := writePlot(*plotPath, res); err != nil {
			return err
		}
	}
	if jw != nil {
		return jw.Close()
	}
	return replay.WriteText(stdout, res)
}

// snsWriter returns a replay's SNS hook that writes each message to its
// own file of dir: NNNNNNNN-TIME-ALARM.json (the sequence number first, so
// that a listing sorts in publish order; TIME the state change's, in UTC;
// the alarm's name with characters other than letters, digits, '.', '_'
// and '-' replaced by '_'), holding the message exactly as published.
func snsWriter(dir string) func(klaxon.Action, string) error {
	n := 0
	return func(a klaxon.Action, msg string) error {
		n++
		name := fmt.Sprintf("%08d-%s-%s.json", n, a.Transition.At.UTC().Format("20060102T150405Z"), fileSafe(a.Transition.AlarmName))
		return os.WriteFile(filepath.Join(dir, name), []byte(msg), 0o644)
	}
}

// fileSafe returns s with every character but ASCII letters, digits, '.',
// '_' and '-' replaced by '_', cut to 100 bytes.
func fileSafe(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) > 100 {
		b = b[:100]
	}
	return string(b)
}

func writePlot(path string, res *replay.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := plot.Write(f, path, res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadAlarms reads an alarms file and validates it.
func loadAlarms(path string) (replay.Alarms, error) {
	f, err := os.Open(path)
	if err != nil {
		return replay.Alarms{}, inputError{err}
	}
	defer f.Close()
	a, err := replay.ReadAlarms(path, f)
	if err != nil {
		return replay.Alarms{}, inputError{err}
	}
	if err := a.Validate(); err != nil {
		return replay.Alarms{}, inputError{err}
	}
	return a, nil
}

// loadMetrics opens and checks every metrics file; the notes of each are
// said on stderr once.
func loadMetrics(paths, maps []string, alarms replay.Alarms, stderr io.Writer) ([]*replay.Metrics, error) {
	opts := replay.ReadOptions{Alarms: alarms.Metric, Step: replay.Step(alarms)}
	if ref, ok := replay.SingleMetric(alarms.Metric); ok {
		opts.Default = &ref
	}
	for _, p := range maps {
		f, err := os.Open(p)
		if err != nil {
			return nil, inputError{err}
		}
		mm, err := replay.ReadMetricMap(p, f)
		f.Close()
		if err != nil {
			return nil, inputError{err}
		}
		if opts.Map == nil {
			opts.Map = mm
		} else {
			opts.Map.Add(mm)
		}
	}
	var out []*replay.Metrics
	var errs []error
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		m, err := replay.OpenMetrics(p, f, opts)
		if err != nil {
			f.Close()
			errs = append(errs, err)
			continue
		}
		// The file stays open: Run reads it again. The process ends soon
		// after.
		for _, n := range m.Notes {
			fmt.Fprintf(stderr, "klaxon: %s: note: %s\n", p, n)
		}
		if !m.Sorted {
			fmt.Fprintf(stderr, "klaxon: %s: note: the file is not in time order (%s): it is read whole and sorted in memory; a file in time order is streamed\n", p, m.OutOfOrder)
		}
		out = append(out, m)
	}
	if len(errs) > 0 {
		return nil, inputError{errors.Join(errs...)}
	}
	return out, nil
}

func validateCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	alarmsPath := fs.String("alarms", "", "alarms `file` to validate")
	var metrics multi
	fs.Var(&metrics, "metrics", "metric data `file` to check the alarms against (optional; repeatable)")
	strict := fs.Bool("strict", false, "treat warnings as errors (exit status 2)")
	format := fs.String("format", "text", "output `format`: text, or json ({\"Alarms\":N,\"Errors\":[...],\"Warnings\":[...]})")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *alarmsPath == "" {
		return inputError{errors.New("--alarms is required")}
	}
	if *format != "text" && *format != "json" {
		return inputError{fmt.Errorf("--format %q: must be text or json", *format)}
	}
	rep := report{Errors: []problemJSON{}, Warnings: []findingJSON{}}
	var a replay.Alarms
	f, err := os.Open(*alarmsPath)
	if err != nil {
		return inputError{err}
	}
	a, err = replay.ReadAlarms(*alarmsPath, f)
	f.Close()
	if err == nil {
		err = a.Validate()
	}
	var data []*replay.Metrics
	if err == nil && len(metrics) > 0 {
		data, err = loadMetrics(metrics, nil, a, io.Discard)
	}
	if err != nil {
		for _, e := range unjoin(err) {
			rep.Errors = append(rep.Errors, problemJSON{Message: e.Error()})
		}
	} else {
		rep.Alarms, rep.CompositeAlarms = len(a.Metric), len(a.Composite)
		for _, fd := range replay.Lint(a, data, alarm.Options{}) {
			rep.Warnings = append(rep.Warnings, findingJSON{File: fd.At.File, Line: fd.At.Line, Column: fd.At.Col, Path: fd.At.Path,
				Alarm: fd.At.Name, Rule: fd.Rule, Message: fd.Message, Text: fd.String()})
		}
	}
	failed := len(rep.Errors) > 0 || *strict && len(rep.Warnings) > 0
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "    ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
		if failed {
			return errShown
		}
		return nil
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "klaxon validate: %s\n", e.Message)
	}
	kind := "warning"
	if *strict {
		kind = "error"
	}
	out := stdout
	if failed {
		out = stderr
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(out, "klaxon validate: %s: %s\n", kind, w.Text)
	}
	if failed {
		return errShown
	}
	fmt.Fprintf(stdout, "%s: %s", *alarmsPath, plural(len(a.Metric), "metric alarm", "metric alarms"))
	if len(a.Composite) > 0 {
		fmt.Fprintf(stdout, " and %s", plural(len(a.Composite), "composite alarm", "composite alarms"))
	}
	fmt.Fprint(stdout, " valid")
	if len(rep.Warnings) > 0 {
		fmt.Fprintf(stdout, ", %s", plural(len(rep.Warnings), "warning", "warnings"))
	}
	fmt.Fprintln(stdout)
	return nil
}

// report is validate's --format json output.
type report struct {
	Alarms          int           `json:"Alarms"`
	CompositeAlarms int           `json:"CompositeAlarms"`
	Errors          []problemJSON `json:"Errors"`
	Warnings        []findingJSON `json:"Warnings"`
}

type problemJSON struct {
	Message string `json:"Message"`
}

type findingJSON struct {
	File    string `json:"File"`
	Line    int    `json:"Line"`
	Column  int    `json:"Column"`
	Path    string `json:"Path"`
	Alarm   string `json:"Alarm"`
	Rule    string `json:"Rule"`
	Message string `json:"Message"`
	Text    string `json:"Text"`
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	if ie, ok := err.(inputError); ok {
		return unjoin(ie.err)
	}
	return []error{err}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprint(n) + " " + many
}

// progress shows a progress bar on a terminal for a replay that takes
// longer than a second; elsewhere it is silent.
type progress struct {
	w     io.Writer
	start time.Time
	tty   bool
	bar   *progressbar.ProgressBar
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, start: time.Now(), tty: isTerminal(w)}
}

func (p *progress) update(done, total int) {
	if !p.tty {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < time.Second || done >= total {
			return
		}
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription("replay"),
			progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionFullWidth())
	}
	p.bar.Set(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Exit()
	}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
