package replay

import (
	"encoding/json"
	"io"
	"reflect"
	"strconv"

	"github.com/klaxon-go/klaxon/alarm"
)

// This file reads alarms files: describe-alarms output, PutMetricAlarm
// and PutCompositeAlarm input objects, or arrays of them.

// Alarms is what an alarms file holds.
type Alarms struct {
	Metric    []alarm.Config    // metric alarms (single-metric, math and anomaly-band), in file order
	Composite []json.RawMessage // composite alarm objects (those with an "AlarmRule" key), kept raw, in file order
}

// ReadAlarms reads an alarms file: the output of `aws cloudwatch
// describe-alarms` ({"MetricAlarms":[...],"CompositeAlarms":[...]}), one
// PutMetricAlarm / PutCompositeAlarm input object, or a JSON array of such
// objects. An object with an "AlarmRule" key is a composite alarm. name is
// the file name used in error messages.
//
// Metric alarm objects are decoded strictly: keys match the field names of
// alarm.Config exactly (as the AWS CLI matches them), and an unknown key is an
// error naming its JSON path. The keys that describe-alarms adds to a metric
// alarm (AlarmArn, StateValue, StateReason, ...) are accepted and ignored;
// composite alarm objects are kept as they are in the file. A static alarm
// (no ThresholdMetricId) without a "Threshold" key is an error, since a
// float64 cannot tell a missing threshold from a threshold of zero.
// ReadAlarms does not call Config.Validate; the caller does. It stops at the
// first problem.
func ReadAlarms(name string, r io.Reader) (Alarms, error) {
	data, err := readInput(name, r)
	if err != nil {
		return Alarms{}, err
	}
	root, err := parseJSONFile(name, data)
	if err != nil {
		return Alarms{}, err
	}
	var out Alarms
	d := newDecoder(name, data)
	switch root.kind {
	case jObj:
		if !isDescribeOutput(root) {
			err = d.alarm(nil, root, &out)
			break
		}
		err = d.describeOutput(root, &out)
	case jArr:
		for i, e := range root.elems {
			p := &jpath{index: i}
			if e.kind != jObj {
				err = d.errorf(p, "got %s, want an alarm object", e.describe())
			} else {
				err = d.alarm(p, e, &out)
			}
			if err != nil {
				break
			}
		}
	default:
		err = d.errorf(nil, "the file holds %s, want an object or an array of alarms", root.describe())
	}
	if err == nil && len(out.Metric)+len(out.Composite) == 0 {
		err = d.errorf(nil, "the file holds no alarms")
	}
	if err != nil {
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

func (d *decoder) describeOutput(root *jval, out *Alarms) error {
	if k, ok := root.dupKey(); ok {
		return d.errorf(nil, "duplicate field %q", k)
	}
	for i, k := range root.keys {
		v := root.elems[i]
		p := &jpath{key: k}
		switch k {
		case "MetricAlarms", "CompositeAlarms":
			if v.kind != jArr {
				return d.errorf(p, "got %s, want an array", v.describe())
			}
			for j, e := range v.elems {
				ep := &jpath{up: p, index: j}
				if e.kind != jObj {
					return d.errorf(ep, "got %s, want an alarm object", e.describe())
				}
				if k == "CompositeAlarms" {
					out.Composite = append(out.Composite, d.raw(e))
					continue
				}
				if err := d.metricAlarm(ep, e, out); err != nil {
					return err
				}
			}
		case "NextToken":
			// Pagination of describe-alarms; nothing to read.
		default:
			return d.errorf(nil, "unknown field %q (describe-alarms output holds MetricAlarms, CompositeAlarms and NextToken)", k)
		}
	}
	return nil
}

// alarm reads one alarm object of the single-object or array shape.
func (d *decoder) alarm(p *jpath, v *jval, out *Alarms) error {
	if v.has("AlarmRule") {
		out.Composite = append(out.Composite, d.raw(v))
		return nil
	}
	return d.metricAlarm(p, v, out)
}

func (d *decoder) metricAlarm(p *jpath, v *jval, out *Alarms) error {
	var c alarm.Config
	if err := d.object(p, v, reflect.ValueOf(&c).Elem(), describeExtra); err != nil {
		return err
	}
	if c.ThresholdMetricId == "" && !v.has("Threshold") {
		place := p.String()
		switch {
		case c.AlarmName == "":
		case place == "":
			place = "alarm " + strconv.Quote(c.AlarmName)
		default:
			place += " (" + strconv.Quote(c.AlarmName) + ")"
		}
		return d.placef(place, "Threshold is required for a static-threshold alarm")
	}
	out.Metric = append(out.Metric, c)
	return nil
}

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

// A Batch is one PutMetricData call's worth of input.
