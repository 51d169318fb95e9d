package alarm

import (
	"slices"

	"github.com/klaxon-go/klaxon/metric"
)

// Config is a metric alarm's configuration: the fields of CloudWatch's
// PutMetricAlarm, with CloudWatch's JSON names, so that the input of
// `aws cloudwatch put-metric-alarm --cli-input-json` and the MetricAlarms of
// `aws cloudwatch describe-alarms` decode into it. Zero fields mean
// CloudWatch's defaults: DatapointsToAlarm 0 means "not set" (M = N, and the
// legacy reason wording), an empty TreatMissingData means "missing", a nil
// ActionsEnabled means true.
//
// Threshold 0 is a threshold of zero; readers of JSON report a missing
// Threshold themselves (see replay), because a float64 cannot tell.
type Config struct {
	AlarmName                        string             `json:"AlarmName"`
	AlarmDescription                 string             `json:"AlarmDescription,omitempty"`
	ActionsEnabled                   *bool              `json:"ActionsEnabled,omitempty"`
	OKActions                        []string           `json:"OKActions,omitempty"`
	AlarmActions                     []string           `json:"AlarmActions,omitempty"`
	InsufficientDataActions          []string           `json:"InsufficientDataActions,omitempty"`
	MetricName                       string             `json:"MetricName,omitempty"`
	Namespace                        string             `json:"Namespace,omitempty"`
	Statistic                        string             `json:"Statistic,omitempty"`
	ExtendedStatistic                string             `json:"ExtendedStatistic,omitempty"`
	Dimensions                       []metric.Dimension `json:"Dimensions,omitempty"`
	Period                           int                `json:"Period,omitempty"`
	Unit                             string             `json:"Unit,omitempty"`
	EvaluationPeriods                int                `json:"EvaluationPeriods"`
	DatapointsToAlarm                int                `json:"DatapointsToAlarm,omitempty"`
	Threshold                        float64            `json:"Threshold"`
	ComparisonOperator               string             `json:"ComparisonOperator"`
	TreatMissingData                 string             `json:"TreatMissingData,omitempty"`
	EvaluateLowSampleCountPercentile string             `json:"EvaluateLowSampleCountPercentile,omitempty"`
	Metrics                          []MetricDataQuery  `json:"Metrics,omitempty"`
	ThresholdMetricId                string             `json:"ThresholdMetricId,omitempty"`
	Tags                             []Tag              `json:"Tags,omitempty"`
}

// A Tag is a key/value label of an alarm. Tags given on an update are
// ignored, as CloudWatch ignores them.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// A MetricDataQuery is one entry of a metric-math alarm's Metrics: a
// MetricStat or an Expression.
type MetricDataQuery struct {
	Id         string      `json:"Id"`
	MetricStat *MetricStat `json:"MetricStat,omitempty"`
	Expression string      `json:"Expression,omitempty"`
	Label      string      `json:"Label,omitempty"`
	ReturnData *bool       `json:"ReturnData,omitempty"`
	Period     int         `json:"Period,omitempty"`
	AccountId  string      `json:"AccountId,omitempty"`
}

// A MetricStat names a metric, a period and a statistic.
type MetricStat struct {
	Metric MetricRef `json:"Metric"`
	Period int       `json:"Period"`
	Stat   string    `json:"Stat"`
	Unit   string    `json:"Unit,omitempty"`
}

// A MetricRef identifies a metric inside a MetricStat.
type MetricRef struct {
	Namespace  string             `json:"Namespace,omitempty"`
	MetricName string             `json:"MetricName,omitempty"`
	Dimensions []metric.Dimension `json:"Dimensions,omitempty"`
}

// The values of TreatMissingData.
const (
	MissingDataMissing      = "missing"
	MissingDataIgnore       = "ignore"
	MissingDataBreaching    = "breaching"
	MissingDataNotBreaching = "notBreaching"
)

// The values of ComparisonOperator.
const (
	GreaterThanOrEqualToThreshold            = "GreaterThanOrEqualToThreshold"
	GreaterThanThreshold                     = "GreaterThanThreshold"
	LessThanThreshold                        = "LessThanThreshold"
	LessThanOrEqualToThreshold               = "LessThanOrEqualToThreshold"
	LessThanLowerOrGreaterThanUpperThreshold = "LessThanLowerOrGreaterThanUpperThreshold"
	LessThanLowerThreshold                   = "LessThanLowerThreshold"
	GreaterThanUpperThreshold                = "GreaterThanUpperThreshold"
)

// ActionsOn reports whether actions run for this alarm (ActionsEnabled, which
// defaults to true).
func (c *Config) ActionsOn() bool { return c.ActionsEnabled == nil || *c.ActionsEnabled }

// M returns the number of breaching datapoints that puts the alarm in ALARM:
// DatapointsToAlarm, or EvaluationPeriods when it is not set.
func (c *Config) M() int {
	if c.DatapointsToAlarm > 0 {
		return c.DatapointsToAlarm
	}
	return c.EvaluationPeriods
}

// IsMath reports whether the alarm is a metric-math (or anomaly-band) alarm.
func (c *Config) IsMath() bool { return len(c.Metrics) > 0 }

// Clone returns a deep copy of c: no slice or pointer is shared with c.
func (c *Config) Clone() Config {
	d := *c
	if c.ActionsEnabled != nil {
		on := *c.ActionsEnabled
		d.ActionsEnabled = &on
	}
	d.OKActions = slices.Clone(c.OKActions)
	d.AlarmActions = slices.Clone(c.AlarmActions)
	d.InsufficientDataActions = slices.Clone(c.InsufficientDataActions)
	d.Dimensions = slices.Clone(c.Dimensions)
	d.Tags = slices.Clone(c.Tags)
	if c.Metrics != nil {
		d.Metrics = make([]MetricDataQuery, len(c.Metrics))
		for i, q := range c.Metrics {
			if q.MetricStat != nil {
				ms := *q.MetricStat
				ms.Metric.Dimensions = slices.Clone(ms.Metric.Dimensions)
				q.MetricStat = &ms
			}
			if q.ReturnData != nil {
				r := *q.ReturnData
				q.ReturnData = &r
			}
			d.Metrics[i] = q
		}
	}
	return d
}
