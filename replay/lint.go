package replay

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/metric"
)

// A Finding is a lint warning about an alarm: a valid configuration that
// probably does not do what its author meant.
type Finding struct {
	At      Location
	Rule    string // a short name: never-fires, no-matching-metric, ...
	Message string
}

// String prints the finding as klaxon prints warnings: alarms.json:12:9:
// MetricAlarms[0] ("cpu"): MESSAGE [RULE].
func (f Finding) String() string { return f.At.String() + " " + f.Message + " [" + f.Rule + "]" }

// The lint rules.
const (
	RuleNeverFires       = "never-fires"
	RulePercentileOne    = "percentile-single-period"
	RuleBelowResolution  = "period-below-resolution"
	RuleDynamoDB         = "dynamodb-missing-data"
	RuleHeartbeat        = "heartbeat-delay"
	RuleNoMatchingMetric = "no-matching-metric"
)

// heartbeatMaxPeriods is the most evaluation periods of an alarm that the
// heartbeat rule calls a heartbeat.
const heartbeatMaxPeriods = 3

// Lint returns the findings about the metric alarms of a file, in file
// order, and, when data is given, about how they meet the data: alarms
// whose metric is not in it (with the nearest metric that is), and alarms
// whose Period is shorter than the spacing of their data. opts are the
// evaluation options the alarms will run with (StrictDynamoDB changes a
// rule). Alarms that do not validate are left out.
func Lint(alarms Alarms, data []*Metrics, opts alarm.Options) []Finding {
	var out []Finding
	var infos []MetricInfo
	for _, m := range data {
		infos = append(infos, m.Identities...)
	}
	for i := range alarms.Metric {
		c := &alarms.Metric[i]
		if c.Validate() != nil {
			continue
		}
		at := alarms.metricAt(i)
		add := func(rule, format string, args ...any) {
			out = append(out, Finding{At: at, Rule: rule, Message: fmt.Sprintf(format, args...)})
		}
		lintConfig(c, opts, add)
		if len(data) > 0 && !c.IsMath() {
			lintData(c, infos, add)
		}
	}
	return out
}

func lintConfig(c *alarm.Config, opts alarm.Options, add func(rule, format string, args ...any)) {
	policy := c.TreatMissingData
	if policy == "" {
		policy = alarm.MissingDataMissing
	}
	period := time.Duration(c.Period) * time.Second

	// A SampleCount below a threshold of at most 1: no period with data
	// has fewer than one sample, so only missing data can breach.
	if c.Statistic == "SampleCount" && policy != alarm.MissingDataBreaching &&
		(c.ComparisonOperator == alarm.LessThanThreshold && c.Threshold <= 1 || c.ComparisonOperator == alarm.LessThanOrEqualToThreshold && c.Threshold < 1) &&
		!(c.Namespace == "AWS/DynamoDB") {
		add(RuleNeverFires, "can never fire: a period with data has a SampleCount of at least 1, so only missing data could be %s the threshold (%s), and TreatMissingData %q does not count missing data as breaching; use \"breaching\" for an alarm on missing data",
			map[string]string{alarm.LessThanThreshold: "below", alarm.LessThanOrEqualToThreshold: "at or below"}[c.ComparisonOperator], formatNumber(c.Threshold), policy)
	}

	if p := c.ExtendedStatistic; p != "" && strings.HasPrefix(p, "p") && c.M() == 1 {
		add(RulePercentileOne, "DatapointsToAlarm 1 on a percentile (%s): one period's %s, which a few slow samples decide, puts the alarm in ALARM; ask for M out of N (such as 3 out of 5)", p, p)
	}

	if c.Namespace == "AWS/DynamoDB" {
		switch {
		case c.TreatMissingData == "":
			add(RuleDynamoDB, "TreatMissingData is not set, and alarms on AWS/DynamoDB then ignore missing data: the alarm keeps its state through gaps instead of going to INSUFFICIENT_DATA; set TreatMissingData to say what a gap means")
		case opts.StrictDynamoDB && c.TreatMissingData != alarm.MissingDataIgnore:
			add(RuleDynamoDB, "TreatMissingData %q is ignored: with StrictDynamoDB, alarms on AWS/DynamoDB always ignore missing data", c.TreatMissingData)
		}
	}

	if policy == alarm.MissingDataBreaching && c.EvaluationPeriods <= heartbeatMaxPeriods && period > 0 && c.Namespace != "AWS/DynamoDB" {
		m := c.M()
		add(RuleHeartbeat, "heartbeat-style alarm (missing data breaching, %s): it fires %s after the metric stops, once %d of the newest periods are missing (evaluations see whole periods only, a minute or so after the last datapoint's minute ends); a datapoint that arrives late fires it too",
			plural(c.EvaluationPeriods, "evaluation period", "evaluation periods"), time.Duration(m)*period, m)
	}
}

func lintData(c *alarm.Config, infos []MetricInfo, add func(rule, format string, args ...any)) {
	want := sortedDims(c.Dimensions)
	for _, mi := range infos {
		if mi.Namespace == c.Namespace && mi.MetricName == c.MetricName && sameDimsSorted(mi.Dimensions, want) {
			if period := time.Duration(c.Period) * time.Second; mi.Spacing > period {
				add(RuleBelowResolution, "Period %d is shorter than the data's resolution: the datapoints of %s are at least %s apart, so most periods have no datapoint (they are missing data)",
					c.Period, mi, mi.Spacing)
			}
			return
		}
	}
	self := metricString(c.Namespace, c.MetricName, want)
	if len(infos) == 0 {
		return
	}
	best, bestD := "", -1
	for _, mi := range infos {
		s := mi.String()
		if d := editDistanceLong(self, s); bestD < 0 || d < bestD {
			best, bestD = s, d
		}
	}
	add(RuleNoMatchingMetric, "matches no metric of the data: the alarm reads %s; the nearest metric in the data is %s (names and dimensions are case-sensitive)", self, best)
}

// editDistanceLong is editDistance for strings of any length (metric
// identities), by runes of bytes.
func editDistanceLong(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func sameDimsSorted(a, b []metric.Dimension) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
