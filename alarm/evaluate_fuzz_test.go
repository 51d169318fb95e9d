package alarm_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
)

// FuzzEvaluate evaluates arbitrary windows under every policy and
// operator. It fails when the evaluation panics, when a decided state has
// an empty reason, when the reason data is not JSON, or when a stored
// (cloned) result renders differently.
func FuzzEvaluate(f *testing.F) {
	f.Add(uint8(3), uint8(3), uint8(0), uint8(0), []byte{0, 255, 1, 255, 1})
	f.Add(uint8(2), uint8(3), uint8(2), uint8(1), []byte{255, 255, 1, 255, 255})
	f.Add(uint8(1), uint8(1), uint8(3), uint8(4), []byte{7})
	f.Fuzz(func(t *testing.T, m, n, policy, op uint8, points []byte) {
		n = 1 + n%12
		m = 1 + m%n
		if len(points) > 20 {
			points = points[:20]
		}
		policies := []string{"missing", "ignore", "breaching", "notBreaching"}
		ops := []string{alarm.GreaterThanThreshold, alarm.GreaterThanOrEqualToThreshold, alarm.LessThanThreshold,
			alarm.LessThanOrEqualToThreshold, alarm.GreaterThanUpperThreshold, alarm.LessThanLowerThreshold,
			alarm.LessThanLowerOrGreaterThanUpperThreshold}
		opName := ops[int(op)%len(ops)]
		var cfg alarm.Config
		if int(op)%len(ops) >= 4 {
			cfg = bandConfig(opName)
			cfg.EvaluationPeriods, cfg.DatapointsToAlarm = int(n), int(m)
		} else {
			cfg = staticConfig(int(m), int(n), policies[int(policy)%len(policies)])
			cfg.ComparisonOperator = opName
			cfg.Period = 60
		}
		cfg.TreatMissingData = policies[int(policy)%len(policies)]
		e, err := alarm.NewEvaluator(cfg, alarm.Options{})
		if err != nil {
			t.Fatalf("config: %v", err)
		}
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		w := make([]alarm.Datapoint, len(points))
		for i, p := range points {
			w[i] = alarm.Datapoint{Start: start.Add(time.Duration(i) * time.Minute), Value: float64(p) / 50, SampleCount: 1, Lower: 1, Upper: 3}
			if p == 255 {
				w[i].Missing = true
			}
		}
		for _, prev := range []alarm.State{alarm.StateInsufficientData, alarm.StateOK, alarm.StateAlarm} {
			r := e.Evaluate(prev, w, start.Add(time.Duration(len(w))*time.Minute))
			if r.Retained() {
				if r.State != prev || r.Reason() != "" {
					t.Fatalf("retained result changed the state or has a reason: %v %q", r.State, r.Reason())
				}
				continue
			}
			reason, data := r.Reason(), r.ReasonData()
			if reason == "" || !json.Valid([]byte(data)) {
				t.Fatalf("reason %q, reason data %s", reason, data)
			}
			if s, ok := e.Decide(prev, w); s != r.State || !ok {
				t.Fatalf("Decide = %v, %v; Evaluate = %v", s, ok, r.State)
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			var c alarm.Result
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatalf("UnmarshalJSON(%s): %v", b, err)
			}
			if !c.Equal(r) || c.Reason() != reason || c.ReasonData() != data {
				t.Fatalf("the JSON form renders differently:\n%s\n%s", c.Reason(), reason)
			}
		}
	})
}
