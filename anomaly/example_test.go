package anomaly_test

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/klaxon-go/klaxon/anomaly"
)

// An engine's use of a model: observe each completed period, then ask the
// band of the periods of an evaluation range.
func Example() {
	m, err := anomaly.New(anomaly.Config{Period: 300, MetricTimezone: "Europe/Paris", Clamp: anomaly.ClampNonNegative})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
	value := func(t time.Time) float64 { // a daily cycle with a little jitter
		h := float64(t.Hour()) + float64(t.Minute())/60
		return 50 + 20*math.Sin(2*math.Pi*h/24) + 2*math.Sin(float64(t.Unix()/300)*1.7)
	}
	t := start
	for ; t.Before(start.Add(3 * 24 * time.Hour)); t = t.Add(5 * time.Minute) {
		if err := m.Observe(t, value(t)); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(m.State())

	// The band of the next period, before it is observed.
	b, err := m.Band(t, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("expected %.1f, normal from %.1f to %.1f\n", b.Expected, b.Lower, b.Upper)
	spike := value(t) + 40
	fmt.Println("spike outside the band:", spike > b.Upper)

	// Learning the spike does not change the band recorded for its period.
	if err := m.Observe(t, spike); err != nil {
		fmt.Println(err)
		return
	}
	again, _ := m.Band(t, 2)
	fmt.Println("same band afterwards:", again == b)

	// A late value is refused.
	err = m.Observe(t.Add(-time.Hour), 50)
	fmt.Println(errors.Is(err, anomaly.ErrOutOfOrder))
	// Output:
	// TRAINED_INSUFFICIENT_DATA
	// expected 48.6, normal from 38.0 to 59.2
	// spike outside the band: true
	// same band afterwards: true
	// true
}

// Excluded time ranges and the time zone come in CloudWatch's
// AnomalyDetectorConfiguration shape.
func ExampleParseConfiguration() {
	c, err := anomaly.ParseConfiguration([]byte(`{
		"Period": 300,
		"MetricTimezone": "America/New_York",
		"ExcludedTimeRanges": [{"StartTime": "2024-05-01T00:00:00Z", "EndTime": "2024-05-01T06:00:00Z"}]
	}`))
	fmt.Println(c.Period, c.MetricTimezone, len(c.ExcludedTimeRanges), err)

	_, err = anomaly.ParseConfiguration([]byte(`{"Period": 300, "MetricTimezone": "Local"}`))
	fmt.Println(err)
	// Output:
	// 300 America/New_York 1 <nil>
	// anomaly: MetricTimezone "Local": must be a time zone name of the tz database
}
