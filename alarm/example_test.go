package alarm_test

import (
	"fmt"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
)

// Evaluating a window without an engine: the decision, its reason and the
// reason data, as CloudWatch writes them.
func ExampleEvaluator_Evaluate() {
	ev, err := alarm.NewEvaluator(alarm.Config{
		AlarmName: "latency", Namespace: "App", MetricName: "Latency", ExtendedStatistic: "p99",
		Period: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 250,
		ComparisonOperator: alarm.GreaterThanOrEqualToThreshold,
	}, alarm.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2024, 5, 1, 12, 3, 0, 0, time.UTC)
	window := make([]alarm.Datapoint, ev.Range()) // 3 periods, oldest first, ending at now
	for i := range window {
		window[i] = alarm.Datapoint{Start: now.Add(time.Duration(i-len(window)) * time.Minute), Missing: true}
	}
	window[2].Missing, window[2].Value, window[2].SampleCount = false, 312.5, 1200
	r := ev.Evaluate(alarm.StateOK, window, now)
	fmt.Println(r.State)
	fmt.Println(r.Reason())
	fmt.Println(r.ReasonData())
	// Output:
	// ALARM
	// Threshold Crossed: 1 out of the last 1 datapoints [312.5 (01/05/24 12:02:00)] was greater than or equal to the threshold (250.0) (minimum 1 datapoint for OK -> ALARM transition).
	// {"version":"1.0","queryDate":"2024-05-01T12:03:00.000+0000","startDate":"2024-05-01T12:02:00.000+0000","statistic":"p99","period":60,"recentDatapoints":[312.5],"threshold":250.0,"evaluatedDatapoints":[{"timestamp":"2024-05-01T12:02:00.000+0000","sampleCount":1200.0,"value":312.5}]}
}

// Validation reports every problem together, in CloudWatch's words.
func ExampleConfig_Validate() {
	cfg := alarm.Config{
		AlarmName: "bad", Namespace: "App", MetricName: "Errors", Statistic: "Sum",
		Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 5, Threshold: 1,
		ComparisonOperator: "GreaterThan", TreatMissingData: "missing",
	}
	fmt.Println(cfg.Validate())
	// Output:
	// alarm: ValidationError: DatapointsToAlarm must be less than or equal to EvaluationPeriods
	// alarm: ValidationError: 1 validation error detected: Value 'GreaterThan' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold]
}
