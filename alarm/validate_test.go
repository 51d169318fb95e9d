package alarm

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/metric"
)

// validSingleConfig is a valid single-metric alarm: EC2 CPU above 80 % in 2 of 3
// five-minute periods.
func validSingleConfig() Config {
	return Config{
		AlarmName:          "cpu-high",
		AlarmDescription:   "CPU above 80 %",
		AlarmActions:       []string{"arn:aws:sns:us-east-1:123456789012:ops"},
		Namespace:          "AWS/EC2",
		MetricName:         "CPUUtilization",
		Dimensions:         []metric.Dimension{{Name: "InstanceId", Value: "i-0123456789abcdef0"}},
		Statistic:          "Average",
		Period:             300,
		Unit:               "Percent",
		EvaluationPeriods:  3,
		DatapointsToAlarm:  2,
		Threshold:          80,
		ComparisonOperator: GreaterThanThreshold,
		TreatMissingData:   MissingDataMissing,
		Tags:               []Tag{{Key: "team", Value: "ops"}},
	}
}

// rd returns a ReturnData value.
func rd(b bool) *bool { return &b }

// metricStatQuery is a query of an AWS/EC2 metric of one instance.
func metricStatQuery(id, name, stat string, period int, returnData *bool) MetricDataQuery {
	return MetricDataQuery{
		Id: id,
		MetricStat: &MetricStat{
			Metric: MetricRef{Namespace: "AWS/EC2", MetricName: name,
				Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-0123456789abcdef0"}}},
			Period: period,
			Stat:   stat,
		},
		ReturnData: returnData,
	}
}

// validMathConfig is a valid metric-math alarm: two MetricStats that return no
// data and one expression whose ReturnData is left out (true).
func validMathConfig() Config {
	return Config{
		AlarmName: "network-total",
		Metrics: []MetricDataQuery{
			metricStatQuery("m1", "NetworkIn", "Sum", 300, rd(false)),
			metricStatQuery("m2", "NetworkOut", "p99", 300, rd(false)),
			{Id: "e1", Expression: "m1 + m2", Label: "total"},
		},
		EvaluationPeriods:  3,
		Threshold:          1e9,
		ComparisonOperator: GreaterThanOrEqualToThreshold,
	}
}

// validBandConfig is a valid anomaly-detection alarm: the metric and its band both
// return data, and ThresholdMetricId names the band.
func validBandConfig() Config {
	return Config{
		AlarmName: "cpu-anomaly",
		Metrics: []MetricDataQuery{
			metricStatQuery("m1", "CPUUtilization", "Average", 300, rd(true)),
			{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", ReturnData: rd(true)},
		},
		ThresholdMetricId:  "ad1",
		EvaluationPeriods:  2,
		ComparisonOperator: LessThanLowerOrGreaterThanUpperThreshold,
	}
}

// validationProblems splits the error returned by Validate into its parts.
func validationProblems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var out []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ce *cwerr.Error
		if !errors.As(err, &ce) {
			t.Errorf("problem %q (%T) is not a *cwerr.Error", err, err)
			out = append(out, err.Error())
			return
		}
		if ce.Pkg != "alarm" {
			t.Errorf("problem %q has Pkg %q, want \"alarm\"", err, ce.Pkg)
		}
		out = append(out, ce.Error())
	}
	walk(err)
	return out
}

func TestValidate(t *testing.T) {
	const (
		valErr  = "alarm: ValidationError: "
		missing = "alarm: MissingParameter: "
		combo   = "alarm: InvalidParameterCombination: "
	)
	long := func(n int) string { return strings.Repeat("x", n) }
	sns := func(topic string) string { return "arn:aws:sns:us-east-1:123456789012:" + topic }
	// An action ARN of exactly n characters (an OpsItem's category may be long).
	longARN := func(n int) string {
		p := "arn:aws:ssm:us-east-1:123456789012:opsitem:3#CATEGORY="
		return p + long(n-len(p))
	}
	tests := []struct {
		name string
		why  string
		base func() Config
		edit func(c *Config)
		want []string
	}{
		// Valid alarms.
		{name: "single", why: "the base single-metric alarm uses only valid values",
			base: validSingleConfig, edit: func(c *Config) {}},
		{name: "math", why: "three queries, exactly one (e1, ReturnData left out) returns data; p99 is a valid Stat",
			base: validMathConfig, edit: func(c *Config) {}},
		{name: "anomaly band", why: "with ThresholdMetricId the metric and the band both return data; no Threshold is needed",
			base: validBandConfig, edit: func(c *Config) {}},
		{name: "percentile", why: "ExtendedStatistic p99 alone (no Statistic) with EvaluateLowSampleCountPercentile ignore",
			base: validSingleConfig, edit: func(c *Config) {
				c.Statistic, c.ExtendedStatistic, c.EvaluateLowSampleCountPercentile = "", "p99", "ignore"
			}},
		{name: "low sample count without percentile", why: "EvaluateLowSampleCountPercentile is only meaningful for percentiles, but CloudWatch accepts it with Average",
			base: validSingleConfig, edit: func(c *Config) { c.EvaluateLowSampleCountPercentile = "evaluate" }},
		{name: "period 10 for one day", why: "10 is a valid period and 10 × 8640 is exactly the 86400-second limit",
			base: validSingleConfig, edit: func(c *Config) { c.Period, c.EvaluationPeriods, c.DatapointsToAlarm = 10, 8640, 0 }},
		{name: "period 3600 for seven days", why: "3600 × 168 is exactly the 604800-second limit, allowed for periods of an hour or more",
			base: validSingleConfig, edit: func(c *Config) { c.Period, c.EvaluationPeriods = 3600, 168 }},
		{name: "unicode name", why: "255 runes of 3 bytes each: the limit counts characters, not bytes",
			base: validSingleConfig, edit: func(c *Config) { c.AlarmName = strings.Repeat("ア", 255) }},
		{name: "full lists", why: "five actions per list and 50 tags are the limits, not over them",
			base: validSingleConfig, edit: func(c *Config) {
				c.OKActions = []string{sns("a"), sns("b"), sns("c"), sns("d"), longARN(1024)}
				c.Tags = make([]Tag, 50)
				for i := range c.Tags {
					c.Tags[i] = Tag{Key: fmt.Sprint("k", i)}
				}
			}},
		{name: "M equals N", why: "DatapointsToAlarm may equal EvaluationPeriods",
			base: validSingleConfig, edit: func(c *Config) { c.DatapointsToAlarm = 3 }},

		// AlarmName, description, actions.
		{name: "no name", why: "AlarmName is required",
			base: validSingleConfig, edit: func(c *Config) { c.AlarmName = "" },
			want: []string{missing + "The parameter AlarmName is required."}},
		{name: "long name", why: "AlarmName has at most 255 characters",
			base: validSingleConfig, edit: func(c *Config) { c.AlarmName = long(256) },
			want: []string{valErr + "1 validation error detected: Value '" + long(256) + "' at 'alarmName' failed to satisfy constraint: Member must have length less than or equal to 255"}},
		{name: "name not UTF-8", why: "AlarmName must be valid UTF-8",
			base: validSingleConfig, edit: func(c *Config) { c.AlarmName = "cpu\xff" },
			want: []string{valErr + `The value "cpu\xff" for parameter AlarmName is invalid: it is not valid UTF-8.`}},
		{name: "name with control character", why: "AlarmName must not contain ASCII control characters; the message stays on one line",
			base: validSingleConfig, edit: func(c *Config) { c.AlarmName = "cpu\nhigh" },
			want: []string{valErr + `The value "cpu\nhigh" for parameter AlarmName is invalid: it contains the ASCII control character U+000A.`}},
		{name: "long description", why: "AlarmDescription has at most 1024 characters",
			base: validSingleConfig, edit: func(c *Config) { c.AlarmDescription = long(1025) },
			want: []string{valErr + "1 validation error detected: Value '" + long(1025) + "' at 'alarmDescription' failed to satisfy constraint: Member must have length less than or equal to 1024"}},
		{name: "six alarm actions", why: "each action list has at most 5 entries",
			base: validSingleConfig, edit: func(c *Config) {
				c.AlarmActions = []string{sns("a"), sns("b"), sns("c"), sns("d"), sns("e"), sns("f")}
			},
			want: []string{valErr + "The collection AlarmActions must not have a size greater than 5 (got 6)."}},
		{name: "empty OK action", why: "an action ARN has at least 1 character",
			base: validSingleConfig, edit: func(c *Config) { c.OKActions = []string{"arn:aws:sns:us-east-1:123456789012:ok", ""} },
			want: []string{valErr + "1 validation error detected: Value '' at 'oKActions.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
		{name: "long insufficient-data action", why: "an action ARN has at most 1024 characters",
			base: validSingleConfig, edit: func(c *Config) { c.InsufficientDataActions = []string{long(1025)} },
			want: []string{valErr + "1 validation error detected: Value '" + long(1025) + "' at 'insufficientDataActions.1.member' failed to satisfy constraint: Member must have length less than or equal to 1024"}},

		// Single-metric fields.
		{name: "no metric", why: "an alarm needs MetricName or Metrics",
			base: validSingleConfig, edit: func(c *Config) { c.MetricName = "" },
			want: []string{missing + "The parameter MetricName or Metrics is required: an alarm watches either one metric or a metric-math expression."}},
		{name: "no namespace", why: "Namespace is required with MetricName",
			base: validSingleConfig, edit: func(c *Config) { c.Namespace = "" },
			want: []string{missing + "The parameter Namespace is required."}},
		{name: "namespace with colon", why: "a namespace must not start with ':'",
			base: validSingleConfig, edit: func(c *Config) { c.Namespace = ":EC2" },
			want: []string{valErr + `The value ":EC2" for parameter Namespace is invalid: it must not start with ':'.`}},
		{name: "metric name with control character", why: "MetricName has no control characters",
			base: validSingleConfig, edit: func(c *Config) { c.MetricName = "CPU\tUtilization" },
			want: []string{valErr + `The value "CPU\tUtilization" for parameter MetricName is invalid: it contains the control character U+0009.`}},
		{name: "dimension without name", why: "a dimension's Name is required; the prefix is Dimensions",
			base: validSingleConfig, edit: func(c *Config) { c.Dimensions = []metric.Dimension{{Value: "i-1"}} },
			want: []string{missing + "The parameter Dimensions.member.1.Name is required."}},
		{name: "31 dimensions", why: "a metric has at most 30 dimensions",
			base: validSingleConfig, edit: func(c *Config) {
				c.Dimensions = nil
				for i := range 31 {
					c.Dimensions = append(c.Dimensions, metric.Dimension{Name: fmt.Sprint("d", i), Value: "v"})
				}
			},
			want: []string{valErr + "The collection Dimensions must not have a size greater than 30 (got 31)."}},
		{name: "both statistics", why: "Statistic and ExtendedStatistic are mutually exclusive",
			base: validSingleConfig, edit: func(c *Config) { c.ExtendedStatistic = "p99" },
			want: []string{combo + "The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both."}},
		{name: "no statistic", why: "with MetricName one of Statistic and ExtendedStatistic is required",
			base: validSingleConfig, edit: func(c *Config) { c.Statistic = "" },
			want: []string{missing + "The parameter Statistic or ExtendedStatistic is required: an alarm on MetricName needs exactly one of them."}},
		{name: "unknown statistic", why: "Statistic is CloudWatch's enumeration",
			base: validSingleConfig, edit: func(c *Config) { c.Statistic = "Avg" },
			want: []string{valErr + "1 validation error detected: Value 'Avg' at 'statistic' failed to satisfy constraint: Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]"}},
		{name: "bad extended statistic", why: "p101 is not a percentile",
			base: validSingleConfig, edit: func(c *Config) { c.Statistic, c.ExtendedStatistic = "", "p101" },
			want: []string{valErr + parseMessage(t, "p101")}},
		{name: "extended statistic not for alarms", why: "in an alarm the bounds of TM(X%:X%) lie between 10 and 90",
			base: validSingleConfig, edit: func(c *Config) { c.Statistic, c.ExtendedStatistic = "", "TM(5%:95%)" },
			want: []string{valErr + "The value 'TM(5%:95%)' for parameter ExtendedStatistic is invalid: " + alarmRule(t, "TM(5%:95%)") + "."}},
		{name: "no period", why: "Period is required for a single-metric alarm",
			base: validSingleConfig, edit: func(c *Config) { c.Period = 0 },
			want: []string{missing + "The parameter Period is required."}},
		{name: "period 45", why: "valid periods are 10, 20, 30 and multiples of 60",
			base: validSingleConfig, edit: func(c *Config) { c.Period = 45 },
			want: []string{valErr + "The value 45 for parameter Period is invalid: valid values are 10, 20, 30 and any multiple of 60."}},
		{name: "negative period", why: "a negative multiple of 60 is not a period",
			base: validSingleConfig, edit: func(c *Config) { c.Period = -60 },
			want: []string{valErr + "The value -60 for parameter Period is invalid: valid values are 10, 20, 30 and any multiple of 60."}},
		{name: "unknown unit", why: "Unit is a StandardUnit",
			base: validSingleConfig, edit: func(c *Config) { c.Unit = "Percentage" },
			want: []string{valErr + metric.UnitError("Unit")}},
		{name: "threshold metric on single metric", why: "ThresholdMetricId names a query of Metrics, so it needs Metrics",
			base: validSingleConfig, edit: func(c *Config) {
				c.ThresholdMetricId, c.ComparisonOperator = "ad1", GreaterThanUpperThreshold
			},
			want: []string{combo + `The parameter ThresholdMetricId can be used only with Metrics (got "ad1" with MetricName).`}},

		// Counts and the evaluation span.
		{name: "no evaluation periods", why: "EvaluationPeriods is required",
			base: validSingleConfig, edit: func(c *Config) { c.EvaluationPeriods, c.DatapointsToAlarm = 0, 0 },
			want: []string{missing + "The parameter EvaluationPeriods is required."}},
		{name: "negative evaluation periods", why: "EvaluationPeriods is at least 1; M is not compared with an invalid N",
			base: validSingleConfig, edit: func(c *Config) { c.EvaluationPeriods = -1 },
			want: []string{valErr + "1 validation error detected: Value '-1' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1"}},
		{name: "M greater than N", why: "CloudWatch's own message (hashicorp/terraform#24070)",
			base: validSingleConfig, edit: func(c *Config) { c.DatapointsToAlarm = 4 },
			want: []string{valErr + "DatapointsToAlarm must be less than or equal to EvaluationPeriods"}},
		{name: "negative M", why: "DatapointsToAlarm is at least 1 when set",
			base: validSingleConfig, edit: func(c *Config) { c.DatapointsToAlarm = -2 },
			want: []string{valErr + "1 validation error detected: Value '-2' at 'datapointsToAlarm' failed to satisfy constraint: Member must have value greater than or equal to 1"}},
		{name: "more than a day of short periods", why: "Period < 3600 limits Period × EvaluationPeriods to 86400",
			base: validSingleConfig, edit: func(c *Config) { c.EvaluationPeriods = 300 },
			want: []string{valErr + "The product of Period (300) and EvaluationPeriods (300) is 90000 seconds; it must not exceed 86400 seconds (1 day) when Period is less than 3600 seconds."}},
		{name: "more than seven days", why: "Period × EvaluationPeriods is at most 604800 even with hour periods",
			base: validSingleConfig, edit: func(c *Config) { c.Period, c.EvaluationPeriods = 3600, 169 },
			want: []string{valErr + "The product of Period (3600) and EvaluationPeriods (169) is 608400 seconds; it must not exceed 604800 seconds (7 days)."}},
		{name: "huge evaluation periods", why: "the product is computed without overflow",
			base: validSingleConfig, edit: func(c *Config) { c.Period, c.EvaluationPeriods = 86400, math.MaxInt64 },
			want: []string{valErr + "The product of Period (86400) and EvaluationPeriods (9223372036854775807) is 796899343984252629724800 seconds; it must not exceed 604800 seconds (7 days)."}},

		// Enumerations.
		{name: "no operator", why: "ComparisonOperator is required",
			base: validSingleConfig, edit: func(c *Config) { c.ComparisonOperator = "" },
			want: []string{missing + "The parameter ComparisonOperator is required."}},
		{name: "unknown operator", why: "ComparisonOperator is one of seven values",
			base: validSingleConfig, edit: func(c *Config) { c.ComparisonOperator = "GreaterThan" },
			want: []string{valErr + "1 validation error detected: Value 'GreaterThan' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold]"}},
		{name: "band operator without band", why: "the three band operators need ThresholdMetricId",
			base: validSingleConfig, edit: func(c *Config) { c.ComparisonOperator = LessThanLowerThreshold },
			want: []string{valErr + `The value "LessThanLowerThreshold" for parameter ComparisonOperator is invalid: LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold and GreaterThanUpperThreshold are only for anomaly detection alarms, which set ThresholdMetricId.`}},
		{name: "static operator with band", why: "an alarm with ThresholdMetricId compares against the band",
			base: validBandConfig, edit: func(c *Config) { c.ComparisonOperator = GreaterThanThreshold },
			want: []string{valErr + `The value "GreaterThanThreshold" for parameter ComparisonOperator is invalid: an alarm with ThresholdMetricId must use LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold or GreaterThanUpperThreshold.`}},
		{name: "unknown missing-data policy", why: "TreatMissingData values are case-sensitive",
			base: validSingleConfig, edit: func(c *Config) { c.TreatMissingData = "Missing" },
			want: []string{valErr + "1 validation error detected: Value 'Missing' at 'treatMissingData' failed to satisfy constraint: Member must satisfy enum value set: [breaching, notBreaching, ignore, missing]"}},
		{name: "unknown low-sample mode", why: "EvaluateLowSampleCountPercentile is evaluate or ignore",
			base: validSingleConfig, edit: func(c *Config) { c.EvaluateLowSampleCountPercentile = "skip" },
			want: []string{valErr + "1 validation error detected: Value 'skip' at 'evaluateLowSampleCountPercentile' failed to satisfy constraint: Member must satisfy enum value set: [evaluate, ignore]"}},
		{name: "NaN threshold", why: "a NaN threshold never compares; we reject it (see the doc of Validate)",
			base: validSingleConfig, edit: func(c *Config) { c.Threshold = math.NaN() },
			want: []string{valErr + "The value NaN for parameter Threshold is invalid: it must be a finite number."}},

		// Tags.
		{name: "51 tags", why: "an alarm has at most 50 tags",
			base: validSingleConfig, edit: func(c *Config) {
				c.Tags = make([]Tag, 51)
				for i := range c.Tags {
					c.Tags[i] = Tag{Key: fmt.Sprint("k", i), Value: "v"}
				}
			},
			want: []string{valErr + "The collection Tags must not have a size greater than 50 (got 51)."}},
		{name: "tag without key", why: "a tag's Key is required; its Value may be empty",
			base: validSingleConfig, edit: func(c *Config) { c.Tags = []Tag{{Key: "a"}, {Value: "v"}} },
			want: []string{missing + "The parameter Tags.member.2.Key is required."}},
		{name: "long tag key and value", why: "Key has at most 128 characters and Value at most 256",
			base: validSingleConfig, edit: func(c *Config) { c.Tags = []Tag{{Key: long(129), Value: long(257)}} },
			want: []string{
				valErr + "1 validation error detected: Value '" + long(129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
				valErr + "1 validation error detected: Value '" + long(257) + "' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
			}},

		// Metric-math alarms.
		{name: "math with single-metric fields", why: "Metrics cannot be combined with any of the seven single-metric fields; one problem each",
			base: validMathConfig, edit: func(c *Config) {
				s := validSingleConfig()
				c.Namespace, c.MetricName, c.Dimensions, c.Period, c.Unit = s.Namespace, s.MetricName, s.Dimensions, s.Period, s.Unit
				c.Statistic, c.ExtendedStatistic = "Average", "p99"
			},
			want: []string{
				combo + "The parameters Metrics and Namespace are mutually exclusive and you have specified both.",
				combo + "The parameters Metrics and MetricName are mutually exclusive and you have specified both.",
				combo + "The parameters Metrics and Dimensions are mutually exclusive and you have specified both.",
				combo + "The parameters Metrics and Period are mutually exclusive and you have specified both.",
				combo + "The parameters Metrics and Unit are mutually exclusive and you have specified both.",
				combo + "The parameters Metrics and Statistic are mutually exclusive and you have specified both.",
				combo + "The parameters Metrics and ExtendedStatistic are mutually exclusive and you have specified both.",
			}},
		{name: "21 queries", why: "at most 20 queries, of which at most 10 MetricStats",
			base: validMathConfig, edit: func(c *Config) {
				c.Metrics = nil
				for i := range 11 {
					c.Metrics = append(c.Metrics, metricStatQuery(fmt.Sprint("m", i), "NetworkIn", "Sum", 300, rd(false)))
				}
				for i := range 10 {
					c.Metrics = append(c.Metrics, MetricDataQuery{Id: fmt.Sprint("e", i), Expression: "m1 * 2", ReturnData: rd(i == 9)})
				}
			},
			want: []string{
				valErr + "The collection Metrics must not have a size greater than 20 (got 21).",
				valErr + "The collection Metrics must not have more than 10 entries with a MetricStat (got 11).",
			}},
		{name: "11 expressions", why: "at most 10 queries with an Expression",
			base: validMathConfig, edit: func(c *Config) {
				for i := range 10 {
					c.Metrics = append(c.Metrics, MetricDataQuery{Id: fmt.Sprint("x", i), Expression: "e1 / 2", ReturnData: rd(false)})
				}
			},
			want: []string{valErr + "The collection Metrics must not have more than 10 entries with an Expression (got 11)."}},
		{name: "query with both", why: "a query has exactly one of MetricStat and Expression",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[2].MetricStat = c.Metrics[0].MetricStat },
			want: []string{combo + "The parameters Metrics.member.3.MetricStat and Metrics.member.3.Expression are mutually exclusive and you have specified both."}},
		{name: "query with neither", why: "a query has exactly one of MetricStat and Expression",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[1].MetricStat = nil },
			want: []string{missing + "The parameter Metrics.member.2.MetricStat or Metrics.member.2.Expression is required: each query needs exactly one of them."}},
		{name: "query without Id", why: "Id is required",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[0].Id = "" },
			want: []string{missing + "The parameter Metrics.member.1.Id is required."}},
		{name: "bad Ids", why: "an Id starts with a lower-case letter and has only letters, digits and underscores",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[0].Id, c.Metrics[1].Id = "M1", "m-2" },
			want: []string{
				valErr + `The value "M1" for parameter Metrics.member.1.Id is invalid: it must contain only letters, digits and underscores, and start with a lower-case letter.`,
				valErr + `The value "m-2" for parameter Metrics.member.2.Id is invalid: it must contain only letters, digits and underscores, and start with a lower-case letter.`,
			}},
		{name: "long Id", why: "an Id has at most 255 characters",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[0].Id = "m" + long(255) },
			want: []string{valErr + "1 validation error detected: Value 'm" + long(255) + "' at 'metrics.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 255"}},
		{name: "duplicate Id", why: "Ids are unique within Metrics",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[1].Id = "m1" },
			want: []string{valErr + `The value "m1" for parameter Metrics.member.2.Id is invalid: Metrics.member.1 has the same Id; Ids must be unique.`}},
		{name: "long expression", why: "an Expression has at most 2048 characters",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[2].Expression = long(2049) },
			want: []string{valErr + "1 validation error detected: Value '" + long(2049) + "' at 'metrics.3.member.expression' failed to satisfy constraint: Member must have length less than or equal to 2048"}},
		{name: "MetricStat periods", why: "a MetricStat's Period is required and valid",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[0].MetricStat.Period, c.Metrics[1].MetricStat.Period = 0, 45 },
			want: []string{
				missing + "The parameter Metrics.member.1.MetricStat.Period is required.",
				valErr + "The value 45 for parameter Metrics.member.2.MetricStat.Period is invalid: valid values are 10, 20, 30 and any multiple of 60.",
			}},
		{name: "different periods", why: "all MetricStats of an alarm have the same period",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[1].MetricStat.Period = 60 },
			want: []string{valErr + "The value 60 for parameter Metrics.member.2.MetricStat.Period is invalid: all MetricStats of an alarm must have the same period, and Metrics.member.1.MetricStat.Period is 300."}},
		{name: "query period", why: "a query's own Period follows the same rule",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[2].Period = 90 },
			want: []string{valErr + "The value 90 for parameter Metrics.member.3.Period is invalid: valid values are 10, 20, 30 and any multiple of 60."}},
		{name: "bad stats", why: "Stat is required and is a simple or an extended statistic",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[0].MetricStat.Stat, c.Metrics[1].MetricStat.Stat = "", "Avg" },
			want: []string{
				missing + "The parameter Metrics.member.1.MetricStat.Stat is required.",
				valErr + "The value 'Avg' for parameter Metrics.member.2.MetricStat.Stat is invalid: it is neither a simple statistic (SampleCount, Average, Sum, Minimum, Maximum) nor an extended one: " + parseRule(t, "Avg"),
			}},
		{name: "bad metric in MetricStat", why: "the metric of a MetricStat is checked like a single metric, and its Unit too",
			base: validMathConfig, edit: func(c *Config) {
				ms := c.Metrics[0].MetricStat
				ms.Metric.Namespace, ms.Metric.MetricName = "", ""
				ms.Metric.Dimensions = []metric.Dimension{{Name: ":x", Value: "v"}}
				ms.Unit = "bogus"
			},
			want: []string{
				missing + "The parameter Metrics.member.1.MetricStat.Metric.Namespace is required.",
				missing + "The parameter Metrics.member.1.MetricStat.Metric.MetricName is required.",
				valErr + `The value ":x" for parameter Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name is invalid: it must not start with ':'.`,
				valErr + metric.UnitError("Metrics.member.1.MetricStat.Unit"),
			}},
		{name: "no query returns data", why: "exactly one query returns data",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[2].ReturnData = rd(false) },
			want: []string{valErr + "Exactly one entry of Metrics must have ReturnData true (a missing ReturnData counts as true), but none has."}},
		{name: "two queries return data", why: "a ReturnData left out counts as true, so m2 and e1 both return data",
			base: validMathConfig, edit: func(c *Config) { c.Metrics[1].ReturnData = nil },
			want: []string{valErr + `Exactly one entry of Metrics must have ReturnData true (a missing ReturnData counts as true), but 2 have: "m2", "e1".`}},
		{name: "math span", why: "the Period × EvaluationPeriods limit uses the MetricStat period",
			base: validMathConfig, edit: func(c *Config) {
				c.Metrics[0].MetricStat.Period, c.Metrics[1].MetricStat.Period, c.EvaluationPeriods = 60, 60, 1441
			},
			want: []string{valErr + "The product of Metrics.member.1.MetricStat.Period (60) and EvaluationPeriods (1441) is 86460 seconds; it must not exceed 86400 seconds (1 day) when Metrics.member.1.MetricStat.Period is less than 3600 seconds."}},

		// Anomaly-band alarms.
		{name: "unknown threshold metric", why: "ThresholdMetricId names a query; the ReturnData rule cannot be applied without it",
			base: validBandConfig, edit: func(c *Config) { c.ThresholdMetricId = "ad2" },
			want: []string{valErr + `The value "ad2" for parameter ThresholdMetricId is invalid: no entry of Metrics has this Id; it must name the ANOMALY_DETECTION_BAND expression.`}},
		{name: "threshold metric not a band", why: "ThresholdMetricId names an ANOMALY_DETECTION_BAND expression, not the metric",
			base: validBandConfig, edit: func(c *Config) { c.ThresholdMetricId = "m1" },
			want: []string{valErr + `The value "m1" for parameter ThresholdMetricId is invalid: Metrics.member.1 ("m1") is not an ANOMALY_DETECTION_BAND expression.`}},
		{name: "long threshold metric", why: "ThresholdMetricId has at most 255 characters",
			base: validBandConfig, edit: func(c *Config) { c.ThresholdMetricId = long(256) },
			want: []string{valErr + "1 validation error detected: Value '" + long(256) + "' at 'thresholdMetricId' failed to satisfy constraint: Member must have length less than or equal to 255"}},
		{name: "band without data", why: "the band named by ThresholdMetricId must return data",
			base: validBandConfig, edit: func(c *Config) { c.Metrics[1].ReturnData = rd(false) },
			want: []string{valErr + `The value false for parameter Metrics.member.2.ReturnData is invalid: the query named by ThresholdMetricId ("ad1") must return data.`}},
		{name: "band metric without data", why: "besides the band, exactly one query (the metric) returns data",
			base: validBandConfig, edit: func(c *Config) { c.Metrics[0].ReturnData = rd(false) },
			want: []string{valErr + `Besides the ThresholdMetricId query "ad1", exactly one entry of Metrics must have ReturnData true (a missing ReturnData counts as true), but none has.`}},
		{name: "band with two metrics returning", why: "a second metric returning data makes the series ambiguous",
			base: validBandConfig, edit: func(c *Config) {
				c.Metrics = append(c.Metrics, metricStatQuery("m2", "NetworkIn", "Sum", 300, nil))
			},
			want: []string{valErr + `Besides the ThresholdMetricId query "ad1", exactly one entry of Metrics must have ReturnData true (a missing ReturnData counts as true), but 2 have: "m1", "m2".`}},

		// Several problems at once.
		{name: "many problems", why: "every problem is reported together, in field order",
			base: validSingleConfig, edit: func(c *Config) {
				c.AlarmName, c.Period, c.EvaluationPeriods, c.DatapointsToAlarm, c.TreatMissingData = "", 45, 0, 0, "never"
			},
			want: []string{
				missing + "The parameter AlarmName is required.",
				valErr + "The value 45 for parameter Period is invalid: valid values are 10, 20, 30 and any multiple of 60.",
				missing + "The parameter EvaluationPeriods is required.",
				valErr + "1 validation error detected: Value 'never' at 'treatMissingData' failed to satisfy constraint: Member must satisfy enum value set: [breaching, notBreaching, ignore, missing]",
			}},
		{name: "empty config", why: "the zero Config lacks every required field",
			base: func() Config { return Config{} }, edit: func(c *Config) {},
			want: []string{
				missing + "The parameter AlarmName is required.",
				missing + "The parameter MetricName or Metrics is required: an alarm watches either one metric or a metric-math expression.",
				missing + "The parameter Namespace is required.",
				missing + "The parameter Statistic or ExtendedStatistic is required: an alarm on MetricName needs exactly one of them.",
				missing + "The parameter Period is required.",
				missing + "The parameter EvaluationPeriods is required.",
				missing + "The parameter ComparisonOperator is required.",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.base()
			tt.edit(&c)
			err := c.Validate()
			got := validationProblems(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() problems mismatch (%s) (-want +got):\n%s", tt.why, diff)
			}
			if err != nil && !errors.Is(err, cwerr.ErrValidation) {
				t.Errorf("errors.Is(%v, cwerr.ErrValidation) = false, want true", err)
			}
			for _, p := range got {
				if strings.ContainsAny(p, "\n\r") {
					t.Errorf("problem %q is not a single line", p)
				}
			}
		})
	}
}

// parseMessage is the message of ParseExtendedStatistic's error for s,
// which Validate passes on: the parser's wording is tested in package metric.
func parseMessage(t *testing.T, s string) string {
	t.Helper()
	_, err := metric.ParseExtendedStatistic(s)
	var ce *cwerr.Error
	if !errors.As(err, &ce) {
		t.Fatalf("ParseExtendedStatistic(%q) error = %v, want a *cwerr.Error", s, err)
	}
	return ce.Message
}

// parseRule is the rule part of ParseExtendedStatistic's message for s.
func parseRule(t *testing.T, s string) string {
	t.Helper()
	_, rule, ok := strings.Cut(parseMessage(t, s), " is invalid: ")
	if !ok {
		t.Fatalf("ParseExtendedStatistic(%q) message has no rule part", s)
	}
	return rule
}

// alarmRule is AlarmProblem's reason for s.
func alarmRule(t *testing.T, s string) string {
	t.Helper()
	st, err := metric.ParseExtendedStatistic(s)
	if err != nil {
		t.Fatalf("ParseExtendedStatistic(%q): %v", s, err)
	}
	why := st.AlarmProblem()
	if why == "" {
		t.Fatalf("%q.AlarmProblem() = \"\", want a reason", s)
	}
	return why
}

func TestValidateNil(t *testing.T) {
	var c *Config
	err := c.Validate()
	if err == nil || !errors.Is(err, cwerr.ErrValidation) {
		t.Errorf("(*Config)(nil).Validate() = %v, want validation errors", err)
	}
}

func TestValidatePeriod(t *testing.T) {
	for p, want := range map[int]bool{
		-60: false, 0: false, 1: false, 5: false, 10: true, 20: true, 30: true, 40: false,
		45: false, 60: true, 90: false, 120: true, 300: true, 3600: true, 86400: true,
	} {
		if got := ValidPeriod(p); got != want {
			t.Errorf("ValidPeriod(%d) = %v, want %v", p, got, want)
		}
	}
}

// FuzzValidate checks that Validate never panics and that every problem is
// one line of the alarm package.
func FuzzValidate(f *testing.F) {
	f.Add("cpu", "AWS/EC2", "CPUUtilization", "Average", "p99", 300, 3, 2, "GreaterThanThreshold", "m1 + m2", "ad1")
	f.Add("", ":x", "", "", "TM(5%:95%)", 45, 0, -1, "", "ANOMALY_DETECTION_BAND(m1)", "e1")
	f.Fuzz(func(t *testing.T, name, ns, metricName, statistic, ext string, period, n, m int, op, expr, tid string) {
		for _, c := range []Config{
			{AlarmName: name, Namespace: ns, MetricName: metricName, Statistic: statistic, ExtendedStatistic: ext,
				Period: period, EvaluationPeriods: n, DatapointsToAlarm: m, ComparisonOperator: op, ThresholdMetricId: tid,
				Dimensions: []metric.Dimension{{Name: name, Value: ns}}, Tags: []Tag{{Key: name, Value: op}}},
			{AlarmName: name, EvaluationPeriods: n, DatapointsToAlarm: m, ComparisonOperator: op, ThresholdMetricId: tid,
				Metrics: []MetricDataQuery{
					{Id: tid, Expression: expr},
					{Id: name, MetricStat: &MetricStat{Metric: MetricRef{Namespace: ns, MetricName: metricName}, Period: period, Stat: ext}},
					{Id: ns},
				}},
		} {
			for _, p := range validationProblems(t, c.Validate()) {
				if strings.ContainsAny(p, "\n\r") || !strings.HasPrefix(p, "alarm: ") {
					t.Errorf("bad problem %q", p)
				}
			}
		}
	})
}

// TestProblemFields: every problem names its parameter (Field, the
// parameter's path) and its value, so that callers can act on it without
// reading the message; the code follows PutMetricAlarm's rules.
func TestProblemFields(t *testing.T) {
	tests := []struct {
		edit func(c *Config)
		want []cwerr.Error // Field, Value and Code of each problem; Message ignored
		why  string
	}{
		{func(c *Config) { c.Threshold = math.Inf(1) }, []cwerr.Error{{Code: cwerr.ValidationError, Field: "Threshold", Value: "+Inf"}}, "a number"},
		{func(c *Config) { c.Dimensions[0].Value = "" }, []cwerr.Error{{Code: cwerr.MissingParameter, Field: "Dimensions.member.1.Value"}}, "the metric package's check, under PutMetricAlarm's code"},
		{func(c *Config) { c.Namespace = ":x" }, []cwerr.Error{{Code: cwerr.ValidationError, Field: "Namespace", Value: ":x"}}, "InvalidParameterValue becomes ValidationError"},
		{func(c *Config) { c.AlarmActions = []string{""} }, []cwerr.Error{{Code: cwerr.ValidationError, Field: "AlarmActions.member.1", Value: ""}}, "a camelCase member path becomes the parameter's path"},
		{func(c *Config) { c.TreatMissingData = "Breaching" }, []cwerr.Error{{Code: cwerr.ValidationError, Field: "TreatMissingData", Value: "Breaching"}}, "an enum"},
		{func(c *Config) { c.DatapointsToAlarm = 4 }, []cwerr.Error{{Code: cwerr.ValidationError, Field: "DatapointsToAlarm", Value: "4"}}, "AWS's own wording, with the field"},
		{func(c *Config) { c.Statistic = "p99" }, []cwerr.Error{{Code: cwerr.ValidationError, Field: "Statistic", Value: "p99"}}, "a percentile under Statistic"},
	}
	for _, tt := range tests {
		c := validSingleConfig()
		tt.edit(&c)
		var got []cwerr.Error
		for _, e := range flatten(c.Validate()) {
			var ce *cwerr.Error
			if !errors.As(e, &ce) {
				t.Fatalf("%s: %T is not a *cwerr.Error", tt.why, e)
			}
			got = append(got, cwerr.Error{Code: ce.Code, Field: ce.Field, Value: ce.Value})
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.why, diff)
		}
	}
}

func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestMemberField(t *testing.T) {
	for in, want := range map[string]string{
		"alarmName":                        "AlarmName",
		"metrics.2.member.id":              "Metrics.member.2.Id",
		"tags.1.member.key":                "Tags.member.1.Key",
		"alarmActions.3.member":            "AlarmActions.member.3",
		"evaluateLowSampleCountPercentile": "EvaluateLowSampleCountPercentile",
	} {
		if got := memberField(in); got != want {
			t.Errorf("memberField(%q) = %q, want %q", in, got, want)
		}
	}
}
