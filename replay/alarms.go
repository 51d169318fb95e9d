package replay

import (
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
)

// This file reads alarms files: describe-alarms output, PutMetricAlarm
// and PutCompositeAlarm input objects, or arrays of them.

// Alarms is what an alarms file holds.
type Alarms struct {
	File      string             // the file's name, as given to ReadAlarms
	Metric    []alarm.Config     // metric alarms (single-metric, math and anomaly-band), in file order
	Composite []composite.Config // composite alarms (objects with an "AlarmRule" key), in file order
	// MetricAt and CompositeAt are where each alarm is in the file
	// (parallel to Metric and Composite).
	MetricAt    []Location
	CompositeAt []Location
	// Region and AccountID are those of the alarms' ARNs (describe-alarms'
	// AlarmArn, or else the first action ARN that names them); empty when
	// the file names none.
	Region, AccountID string
}

// A Location is where an alarm is in its file: the line and byte column
// of its object, and its JSON path (empty for a file of one object).
type Location struct {
	File      string
	Line, Col int
	Path      string // MetricAlarms[2], [0], or ""
	Name      string // the alarm's name, when it has one
}

// String prints the location as messages start: alarms.json:12:9:
// MetricAlarms[2] ("cpu-high").
func (l Location) String() string {
	s := l.File
	if l.Line > 0 {
		s += ":" + strconv.Itoa(l.Line) + ":" + strconv.Itoa(l.Col)
	}
	s += ":"
	switch {
	case l.Path != "" && l.Name != "":
		s += " " + l.Path + " (" + strconv.Quote(l.Name) + ")"
	case l.Path != "":
		s += " " + l.Path
	case l.Name != "":
		s += " alarm " + strconv.Quote(l.Name)
	}
	return s
}

// ReadAlarms reads an alarms file: the output of `aws cloudwatch
// describe-alarms` ({"MetricAlarms":[...],"CompositeAlarms":[...]}), one
// PutMetricAlarm / PutCompositeAlarm input object, or a JSON array of such
// objects. An object with an "AlarmRule" key is a composite alarm. name is
// the file name used in error messages.
//
// Metric alarm objects are decoded strictly: keys match the field names of
// alarm.Config exactly (as the AWS CLI matches them), and an unknown key is
// an error naming its place and the nearest valid key. The keys that
// describe-alarms adds to a metric alarm (AlarmArn, StateValue,
// StateReason, ...) are accepted and ignored; composite alarm objects are
// kept as they are in the file. A static alarm (no ThresholdMetricId)
// without a "Threshold" key is an error, since a float64 cannot tell a
// missing threshold from a threshold of zero; so is an alarm name used
// twice (by alarms of either kind).
//
// Every problem is reported, up to MaxProblems, each as "replay: FILE:LINE:
// COL: PATH: what is wrong" (a syntax error stops the reading at once).
// ReadAlarms does not validate the configurations against CloudWatch's
// rules: Alarms.Validate does.
func ReadAlarms(name string, r io.Reader) (Alarms, error) {
	data, err := readInput(name, r)
	if err != nil {
		return Alarms{}, err
	}
	root, err := parseJSONFile(name, data)
	if err != nil {
		return Alarms{}, err
	}
	out := Alarms{File: name}
	d := newDecoder(name, data)
	switch root.kind {
	case jObj:
		if isDescribeOutput(root) {
			d.describeOutput(root, &out)
		} else {
			d.alarm(nil, root, &out)
		}
	case jArr:
		for i, e := range root.elems {
			p := &jpath{index: i}
			if e.kind != jObj {
				d.problem(p, e, "got %s, want an alarm object", e.describe())
				continue
			}
			d.alarm(p, e, &out)
		}
	default:
		d.problem(nil, nil, "the file holds %s, want an object or an array of alarms", root.describe())
	}
	if d.probs.count() == 0 {
		if len(out.Metric)+len(out.Composite) == 0 {
			d.problem(nil, nil, "the file holds no alarms")
		}
		d.duplicates(&out)
	}
	if err := d.probs.err(); err != nil {
		return Alarms{}, err
	}
	return out, nil
}

// isDescribeOutput reports whether an object is describe-alarms output
// rather than one alarm. {} counts as describe-alarms output (with no
// alarms), so that it is reported as such.
func isDescribeOutput(v *jval) bool {
	return len(v.keys) == 0 || v.has("MetricAlarms") || v.has("CompositeAlarms") || v.has("NextToken")
}

var describeKeys = []string{"MetricAlarms", "CompositeAlarms", "NextToken"}

func (d *decoder) describeOutput(root *jval, out *Alarms) {
	d.noDuplicates(nil, root)
	for i, k := range root.keys {
		v := root.elems[i]
		p := &jpath{key: k}
		switch k {
		case "MetricAlarms", "CompositeAlarms":
			if v.kind != jArr {
				d.problem(p, v, "got %s, want an array", v.describe())
				continue
			}
			for j, e := range v.elems {
				ep := &jpath{up: p, index: j}
				if e.kind != jObj {
					d.problem(ep, e, "got %s, want an alarm object", e.describe())
					continue
				}
				if k == "CompositeAlarms" {
					d.composite(ep, e, out)
					continue
				}
				d.metricAlarm(ep, e, out)
			}
		case "NextToken":
			// Pagination of describe-alarms; nothing to read.
		default:
			d.problem(p, v, "unknown field %q%s (describe-alarms output holds MetricAlarms, CompositeAlarms and NextToken)", k, hint(k, describeKeys))
		}
	}
}

// alarm reads one alarm object of the single-object or array shape.
func (d *decoder) alarm(p *jpath, v *jval, out *Alarms) {
	if v.has("AlarmRule") {
		d.composite(p, v, out)
		return
	}
	d.metricAlarm(p, v, out)
}

func (d *decoder) location(p *jpath, v *jval, name string) Location {
	line, col := d.lineCol(v.start)
	return Location{File: d.name, Line: line, Col: col, Path: p.String(), Name: name}
}

func (d *decoder) composite(p *jpath, v *jval, out *Alarms) {
	var c composite.Config
	if d.object(p, v, reflect.ValueOf(&c).Elem(), describeExtraComposite) {
		out.Composite = append(out.Composite, c)
		out.CompositeAt = append(out.CompositeAt, d.location(p, v, c.AlarmName))
		d.place(out, v, c.OKActions, c.AlarmActions, c.InsufficientDataActions)
	}
}

// place takes the Region and account of the alarms from the first alarm
// that names them: its AlarmArn, or else an action ARN.
func (d *decoder) place(out *Alarms, v *jval, lists ...[]string) {
	if out.Region != "" {
		return
	}
	if a := v.get("AlarmArn"); a != nil && a.kind == jStr {
		// arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:NAME
		if f := strings.SplitN(a.text, ":", 6); len(f) == 6 && f[3] != "" {
			out.Region, out.AccountID = f[3], f[4]
			return
		}
	}
	for _, l := range lists {
		for _, arn := range l {
			if t, err := alarm.ParseActionARN(arn); err == nil && t.Region != "" && t.Account != "" {
				out.Region, out.AccountID = t.Region, t.Account
				return
			}
		}
	}
}

func (d *decoder) metricAlarm(p *jpath, v *jval, out *Alarms) {
	var c alarm.Config
	ok := d.object(p, v, reflect.ValueOf(&c).Elem(), describeExtra)
	if ok && c.ThresholdMetricId == "" && !v.has("Threshold") {
		loc := d.location(p, v, c.AlarmName)
		d.probs.add(place{line: loc.Line, col: loc.Col, path: loc.describe()}, "Threshold is required for a static-threshold alarm")
		ok = false
	}
	if ok {
		out.Metric = append(out.Metric, c)
		out.MetricAt = append(out.MetricAt, d.location(p, v, c.AlarmName))
		d.place(out, v, c.OKActions, c.AlarmActions, c.InsufficientDataActions)
	}
}

// describe names the alarm for a problem's path: MetricAlarms[2]
// ("cpu"), [1], or alarm "cpu" in a file of one alarm.
func (l Location) describe() string {
	switch {
	case l.Path != "" && l.Name != "":
		return l.Path + " (" + strconv.Quote(l.Name) + ")"
	case l.Path != "":
		return l.Path
	case l.Name != "":
		return "alarm " + strconv.Quote(l.Name)
	}
	return ""
}

// duplicates records every alarm whose name an earlier alarm (of either
// kind) of the file already has: CloudWatch would replace the first
// with the second.
func (d *decoder) duplicates(out *Alarms) {
	seen := map[string]Location{}
	check := func(at Location) {
		if at.Name == "" {
			return
		}
		if first, dup := seen[at.Name]; dup {
			firstAt := first.Path
			if first.Line > 0 {
				firstAt += " (line " + strconv.Itoa(first.Line) + ")"
			}
			d.probs.add(place{line: at.Line, col: at.Col, path: at.describe()},
				"the alarm name %q is already used by %s: alarm names are unique (CloudWatch would replace the first alarm with this one)", at.Name, firstAt)
			return
		}
		seen[at.Name] = at
	}
	// In file order, whichever the kind.
	i, j := 0, 0
	for i < len(out.MetricAt) || j < len(out.CompositeAt) {
		if j == len(out.CompositeAt) || i < len(out.MetricAt) && before(out.MetricAt[i], out.CompositeAt[j]) {
			check(out.MetricAt[i])
			i++
		} else {
			check(out.CompositeAt[j])
			j++
		}
	}
}

func before(a, b Location) bool { return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col }

// describeExtra reports whether key is one of the keys that describe-alarms
// adds to a metric alarm, which a reader accepts and ignores.
func describeExtra(key string) bool {
	switch key {
	case "AlarmArn", "AlarmConfigurationUpdatedTimestamp", "StateValue", "StateReason",
		"StateReasonData", "StateUpdatedTimestamp", "StateTransitionedTimestamp", "EvaluationState":
		return true
	}
	return false
}

// describeExtraComposite reports whether key is one of the keys that
// describe-alarms adds to a composite alarm, which a reader accepts and
// ignores.
func describeExtraComposite(key string) bool {
	switch key {
	case "ActionsSuppressedBy", "ActionsSuppressedReason":
		return true
	}
	return describeExtra(key)
}

// Validate checks every alarm as PutMetricAlarm and PutCompositeAlarm do
// and returns all problems together (up to MaxProblems), each starting
// with the alarm's place: "replay: alarms.json:14:9: MetricAlarms[1]
// ("cpu"): alarm: ValidationError: ...". A composite's rule must name
// alarms of the file (an alarm outside it cannot be replayed).
func (a *Alarms) Validate() error {
	ps := &problems{file: a.File}
	report := func(at Location, err error) {
		for _, e := range unjoin(err) {
			ps.add(place{line: at.Line, col: at.Col, path: at.describe()}, "%v", e)
		}
	}
	names := map[string]bool{}
	for i := range a.Metric {
		names[a.Metric[i].AlarmName] = true
		if err := a.Metric[i].Validate(); err != nil {
			report(a.MetricAt[i], err)
		}
	}
	for i := range a.Composite {
		names[a.Composite[i].AlarmName] = true
	}
	for i := range a.Composite {
		c := &a.Composite[i]
		if err := c.Validate(); err != nil {
			report(a.compositeAt(i), err)
			continue
		}
		r, err := composite.Parse(c.AlarmRule)
		if err != nil {
			report(a.compositeAt(i), err)
			continue
		}
		for _, child := range r.Children() {
			if !names[childName(child)] {
				ps.add(place{line: a.compositeAt(i).Line, col: a.compositeAt(i).Col, path: a.compositeAt(i).describe()},
					"the AlarmRule names the alarm %q, which is not in the file: a replay needs every alarm a composite reads", child)
			}
		}
	}
	return ps.err()
}

// childName returns the name of an alarm a rule names by name or ARN.
func childName(s string) string {
	if rest, ok := strings.CutPrefix(s, "arn:"); ok {
		if i := strings.Index(rest, ":alarm:"); i >= 0 {
			return rest[i+len(":alarm:"):]
		}
	}
	return s
}

// unjoin returns the errors joined in err, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}
