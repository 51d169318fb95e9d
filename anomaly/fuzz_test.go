package anomaly_test

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/klaxon-go/klaxon/anomaly"
)

// FuzzModel feeds a model arbitrary sequences of observations (any value,
// gaps of any length, repeated and late periods, excluded ranges,
// time zones) and checks that nothing panics, that refused observations
// say why, and that every band is ordered and free of NaN.
func FuzzModel(f *testing.F) {
	f.Add(uint8(5), uint8(0), []byte{1, 0, 0, 0, 0, 0, 0, 240, 63, 1, 0, 0, 0, 0, 0, 0, 0, 64})
	f.Add(uint8(1), uint8(2), []byte{0, 255, 255, 255, 255, 255, 255, 239, 127, 0, 255, 255, 255, 255, 255, 255, 239, 255})
	f.Add(uint8(60), uint8(1), []byte{200, 0, 0, 0, 0, 0, 0, 0, 0})
	zones := []string{"", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"}
	f.Fuzz(func(t *testing.T, minutes uint8, zone uint8, data []byte) {
		period := 60 * (int(minutes)%60 + 1)
		start := time.Date(2024, 3, 29, 0, 0, 0, 0, time.UTC)
		m, err := anomaly.New(anomaly.Config{
			Period: period, MetricTimezone: zones[int(zone)%len(zones)], Clamp: anomaly.Clamp(zone % 3),
			ExcludedTimeRanges: []anomaly.Range{{StartTime: start.Add(6 * time.Hour), EndTime: start.Add(7 * time.Hour)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		step := time.Duration(period) * time.Second
		ts := start
		for len(data) >= 9 {
			gap, bits := data[0], binary.LittleEndian.Uint64(data[1:9])
			data = data[9:]
			v := math.Float64frombits(bits)
			switch {
			case gap == 255:
				ts = ts.Add(-step) // a late period
			case gap >= 200:
				ts = ts.Add(time.Duration(gap) * 24 * time.Hour) // a long silence
			default:
				ts = ts.Add(time.Duration(gap%4) * step)
			}
			err := m.Observe(ts, v)
			switch {
			case err == nil:
			case errors.Is(err, anomaly.ErrBadValue) && !(math.Abs(v) <= math.Ldexp(1, 360)):
			case errors.Is(err, anomaly.ErrOutOfOrder):
			default:
				t.Fatalf("Observe(%v, %v): %v", ts, v, err)
			}
			for _, at := range []time.Time{ts, ts.Add(step), ts.Add(-3 * step)} {
				b, err := m.Band(at, 2.5)
				if err != nil {
					if !errors.Is(err, anomaly.ErrPendingTraining) && !errors.Is(err, anomaly.ErrTooOld) {
						t.Fatalf("Band(%v): %v", at, err)
					}
					continue
				}
				if math.IsNaN(b.Lower) || math.IsNaN(b.Expected) || math.IsNaN(b.Upper) || b.Lower > b.Expected || b.Expected > b.Upper {
					t.Fatalf("Band(%v) = %+v after observing %v", at, b, v)
				}
			}
			_ = m.State()
		}
	})
}
