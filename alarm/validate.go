package alarm

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/klaxon-go/klaxon/internal/cwerr"
	"github.com/klaxon-go/klaxon/metric"
)

// Limits that PutMetricAlarm enforces.
const (
	maxAlarmNameLen    = 255    // runes of AlarmName
	maxDescriptionLen  = 1024   // runes of AlarmDescription
	maxActions         = 5      // entries of each action list
	maxARNLen          = 1024   // runes of one action ARN
	maxTags            = 50     // tags of one alarm
	maxTagKeyLen       = 128    // runes of a tag key
	maxTagValueLen     = 256    // runes of a tag value
	maxMetrics         = 20     // entries of Metrics
	maxMetricStats     = 10     // entries of Metrics with a MetricStat
	maxExpressions     = 10     // entries of Metrics with an Expression
	maxIdLen           = 255    // runes of a MetricDataQuery Id and of ThresholdMetricId
	maxExpressionLen   = 2048   // runes of an Expression
	maxEvaluationSpan  = 604800 // seconds of Period × EvaluationPeriods (7 days)
	maxShortPeriodSpan = 86400  // the same when Period < shortPeriodLimit (1 day)
	shortPeriodLimit   = 3600   // periods below this have the 1-day span limit
	anomalyBandCall    = "ANOMALY_DETECTION_BAND("
	minBandPeriod      = 60 // seconds: anomaly detection alarms have periods of a minute or more
)

// The enumerations that Validate checks, in the order CloudWatch's API lists
// them.
var (
	comparisonOperators = []string{
		GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold,
		LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold,
	}
	missingDataPolicies = []string{MissingDataBreaching, MissingDataNotBreaching, MissingDataIgnore, MissingDataMissing}
	lowSampleCountModes = []string{"evaluate", "ignore"}
)

// ValidPeriod reports whether p is a period CloudWatch accepts for an alarm:
// 10, 20, 30 or a positive multiple of 60 seconds.
func ValidPeriod(p int) bool {
	return p == 10 || p == 20 || p == 30 || (p > 0 && p%60 == 0)
}

// isBandOperator reports whether op is one of the three anomaly-detection
// operators, which compare against a band rather than a Threshold.
func isBandOperator(op string) bool {
	return op == LessThanLowerOrGreaterThanUpperThreshold || op == LessThanLowerThreshold || op == GreaterThanUpperThreshold
}

// Validate checks c as CloudWatch's PutMetricAlarm does and reports every
// problem together (errors.Join of *cwerr.Error values, Pkg "alarm"), nil
// when CloudWatch would accept c. Each message names the field, the value and
// the rule. Every error matches cwerr.ErrValidation with errors.Is.
//
// Where CloudWatch's wording is known it is used (for enumerations and
// lengths, CloudWatch's "1 validation error detected: ..." form, with its
// camelCase member paths); elsewhere the message follows the same pattern as
// the metric package ("The value X for parameter Y is invalid: rule.").
// Codes: MissingParameter for a required field left out,
// InvalidParameterCombination for fields that exclude each other,
// ValidationError for every other rule.
//
// Choices where CloudWatch's behaviour is undocumented: a NaN or infinite
// Threshold is rejected; a query's own Period, when set, follows the Period
// rule; an alarm of expressions only takes the Period × EvaluationPeriods
// limit from its queries' Period; when ThresholdMetricId names no query the
// ReturnData rule is not checked (it depends on that query); ARNs, Threshold
// on anomaly alarms, and whether an expression returns one series are not
// checked.
func (c *Config) Validate() error {
	if c == nil {
		c = &Config{}
	}
	var v configValidator
	v.alarmName(c.AlarmName)
	v.maxLen("alarmDescription", c.AlarmDescription, maxDescriptionLen)
	for _, l := range []struct {
		param, member string
		arns          []string
		alarm         bool
	}{
		{"OKActions", "oKActions", c.OKActions, false},
		{"AlarmActions", "alarmActions", c.AlarmActions, true},
		{"InsufficientDataActions", "insufficientDataActions", c.InsufficientDataActions, false},
	} {
		v.actions(l.param, l.member, l.arns)
		v.actionRules(c, l.param, l.arns, l.alarm)
	}

	period, periodParam := 0, "Period"
	if c.IsMath() {
		period, periodParam = v.math(c)
	} else {
		v.single(c)
		if ValidPeriod(c.Period) {
			period = c.Period
		}
	}

	v.counts(c, period, periodParam)
	v.operator(c)
	if math.IsNaN(c.Threshold) || math.IsInf(c.Threshold, 0) {
		v.add(cwerr.ValidationError, "Threshold", strconv.FormatFloat(c.Threshold, 'g', -1, 64), "The value "+strconv.FormatFloat(c.Threshold, 'g', -1, 64)+" for parameter Threshold is invalid: it must be a finite number.")
	}
	if c.TreatMissingData != "" {
		v.enum("treatMissingData", c.TreatMissingData, missingDataPolicies)
	}
	if c.EvaluateLowSampleCountPercentile != "" {
		v.enum("evaluateLowSampleCountPercentile", c.EvaluateLowSampleCountPercentile, lowSampleCountModes)
	}
	v.tags(c.Tags)
	return errors.Join(v.errs...)
}

// configValidator collects the problems of one Validate call.
type configValidator struct{ errs []error }

// add records one problem: CloudWatch's code, the parameter it is about
// (its path, "Metrics.member.2.Id"), the offending value as text ("" when
// there is none to show) and the message.
func (v *configValidator) add(code, field, value, msg string) {
	v.errs = append(v.errs, &cwerr.Error{Pkg: "alarm", Code: code, Field: field, Value: value, Message: msg})
}

// fromMetric adds the problems that the metric package's checks of names
// and dimensions report, under PutMetricAlarm's codes: a broken constraint
// is a ValidationError there (PutMetricData says InvalidParameterValue).
func (v *configValidator) fromMetric(errs ...error) {
	for _, err := range errs {
		var ce *cwerr.Error
		if !errors.As(err, &ce) {
			continue
		}
		code := ce.Code
		if code == cwerr.InvalidParameterValue {
			code = cwerr.ValidationError
		}
		v.errs = append(v.errs, ce.Under("alarm", code))
	}
}

func (v *configValidator) required(param string) {
	v.add(cwerr.MissingParameter, param, "", "The parameter "+param+" is required.")
}

func (v *configValidator) exclusive(a, b string) {
	v.add(cwerr.InvalidParameterCombination, a, "", "The parameters "+a+" and "+b+" are mutually exclusive and you have specified both.")
}

// awsConstraint is CloudWatch's own format for a failed shape constraint;
// member is the camelCase path ("alarmName", "metrics.2.member.id").
func (v *configValidator) awsConstraint(member, value, constraint string) {
	v.add(cwerr.ValidationError, memberField(member), value, "1 validation error detected: Value '"+escapeValue(value)+"' at '"+member+"' failed to satisfy constraint: Member must "+constraint)
}

// memberField turns CloudWatch's camelCase member path into the
// parameter's path: "metrics.2.member.id" is "Metrics.member.2.Id".
func memberField(member string) string {
	parts := strings.Split(member, ".")
	var out []string
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if i+2 < len(parts) && parts[i+2] == "member" {
			out = append(out, upperFirst(p), "member", parts[i+1])
			i += 2
			continue
		}
		if i+1 < len(parts) && parts[i+1] == "member" && p != "" && p[0] >= '0' && p[0] <= '9' {
			continue
		}
		out = append(out, upperFirst(p))
	}
	return strings.Join(out, ".")
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// maxLen checks that s has at most n runes.
func (v *configValidator) maxLen(member, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		v.awsConstraint(member, s, "have length less than or equal to "+strconv.Itoa(n))
	}
}

// length checks that s has 1 to n runes.
func (v *configValidator) length(member, s string, n int) {
	if s == "" {
		v.awsConstraint(member, s, "have length greater than or equal to 1")
	}
	v.maxLen(member, s, n)
}

func (v *configValidator) enum(member, value string, set []string) {
	if slices.Contains(set, value) {
		return
	}
	v.awsConstraint(member, value, "satisfy enum value set: ["+strings.Join(set, ", ")+"]")
}

func (v *configValidator) size(param string, n, limit int) {
	if n > limit {
		v.add(cwerr.ValidationError, param, strconv.Itoa(n), fmt.Sprintf("The collection %s must not have a size greater than %d (got %d).", param, limit, n))
	}
}

// period checks a period parameter: required (0 means not set) and valid.
func (v *configValidator) period(param string, p int) {
	switch {
	case p == 0:
		v.required(param)
	case !ValidPeriod(p):
		v.add(cwerr.ValidationError, param, strconv.Itoa(p), fmt.Sprintf("The value %d for parameter %s is invalid: valid values are 10, 20, 30 and any multiple of 60.", p, param))
	}
}

func (v *configValidator) alarmName(name string) {
	if name == "" {
		v.required("AlarmName")
		return
	}
	v.maxLen("alarmName", name, maxAlarmNameLen)
	if !utf8.ValidString(name) {
		v.add(cwerr.ValidationError, "AlarmName", name, "The value "+strconv.Quote(name)+" for parameter AlarmName is invalid: it is not valid UTF-8.")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			v.add(cwerr.ValidationError, "AlarmName", name, fmt.Sprintf("The value %s for parameter AlarmName is invalid: it contains the ASCII control character %U.", strconv.Quote(name), r))
			break
		}
	}
}

func (v *configValidator) actions(param, member string, arns []string) {
	v.size(param, len(arns), maxActions)
	for i, arn := range arns {
		v.length(fmt.Sprintf("%s.%d.member", member, i+1), arn, maxARNLen)
	}
}

// actionRules checks the action ARNs of one list: their form, and the
// kinds a metric alarm may take there. EC2 actions need the alarm's metric
// to have an InstanceId dimension (the instance they act on); metric-math
// alarms cannot take EC2 actions, anomaly-detection alarms no Auto Scaling
// actions; investigation actions go in AlarmActions only.
func (v *configValidator) actionRules(c *Config, param string, arns []string, alarmList bool) {
	for i, s := range arns {
		if s == "" || utf8.RuneCountInString(s) > maxARNLen {
			continue // the length rule reports it
		}
		field := fmt.Sprintf("%s.member.%d", param, i+1)
		a, err := ParseActionARN(s)
		if err != nil {
			var ce *cwerr.Error
			errors.As(err, &ce)
			v.add(cwerr.ValidationError, field, s, "The value '"+escapeValue(s)+"' for parameter "+field+" is invalid: "+strings.TrimPrefix(ce.Message, "The value '"+escapeValue(s)+"' is not an alarm action ARN CloudWatch accepts: "))
			continue
		}
		switch {
		case a.Kind == ActionEC2 && c.IsMath():
			v.add(cwerr.ValidationError, field, s, "The value '"+escapeValue(s)+"' for parameter "+field+" is invalid: metric math alarms cannot take EC2 actions.")
		case a.Kind == ActionEC2 && !hasDimension(c.Dimensions, "InstanceId"):
			v.add(cwerr.ValidationError, field, s, "The value '"+escapeValue(s)+"' for parameter "+field+" is invalid: EC2 actions act on the instance in the metric's InstanceId dimension, and the alarm's metric has none.")
		case a.Kind == ActionAutoScaling && c.ThresholdMetricId != "":
			v.add(cwerr.ValidationError, field, s, "The value '"+escapeValue(s)+"' for parameter "+field+" is invalid: anomaly detection alarms cannot take Auto Scaling actions.")
		case a.Kind == ActionInvestigation && !alarmList:
			v.add(cwerr.ValidationError, field, s, "The value '"+escapeValue(s)+"' for parameter "+field+" is invalid: investigation actions go in AlarmActions only.")
		}
	}
}

func hasDimension(dims []metric.Dimension, name string) bool {
	for _, d := range dims {
		if d.Name == name {
			return true
		}
	}
	return false
}

// single checks the fields of a single-metric alarm.
func (v *configValidator) single(c *Config) {
	if c.MetricName == "" {
		v.add(cwerr.MissingParameter, "MetricName", "", "The parameter MetricName or Metrics is required: an alarm watches either one metric or a metric-math expression.")
	} else {
		v.fromMetric(metric.ValidateName("MetricName", c.MetricName))
	}
	v.fromMetric(metric.ValidateNamespace("Namespace", c.Namespace))
	v.fromMetric(metric.ValidateDimensions("Dimensions", c.Dimensions)...)

	switch {
	case c.Statistic == "" && c.ExtendedStatistic == "":
		v.add(cwerr.MissingParameter, "Statistic", "", "The parameter Statistic or ExtendedStatistic is required: an alarm on MetricName needs exactly one of them.")
	case c.Statistic != "" && c.ExtendedStatistic != "":
		v.exclusive("Statistic", "ExtendedStatistic")
	case c.Statistic != "":
		// ParseStatistic's message is CloudWatch's enum message for 'statistic'.
		if _, err := metric.ParseStatistic(c.Statistic); err != nil {
			v.add(cwerr.ValidationError, "Statistic", c.Statistic, errorMessage(err))
		}
	default:
		// ParseExtendedStatistic's message names ExtendedStatistic, its
		// value and the rule; AlarmProblem's reason gets the same frame.
		s, err := metric.ParseExtendedStatistic(c.ExtendedStatistic)
		if err != nil {
			v.add(cwerr.ValidationError, "ExtendedStatistic", c.ExtendedStatistic, errorMessage(err))
		} else if why := s.AlarmProblem(); why != "" {
			v.add(cwerr.ValidationError, "ExtendedStatistic", c.ExtendedStatistic, "The value '"+escapeValue(c.ExtendedStatistic)+"' for parameter ExtendedStatistic is invalid: "+escapeValue(why)+".")
		}
	}

	v.period("Period", c.Period)
	if c.Unit != "" && !metric.ValidUnit(c.Unit) {
		v.add(cwerr.ValidationError, "Unit", c.Unit, metric.UnitError("Unit"))
	}
	if c.ThresholdMetricId != "" {
		v.add(cwerr.InvalidParameterCombination, "ThresholdMetricId", c.ThresholdMetricId, "The parameter ThresholdMetricId can be used only with Metrics (got "+strconv.Quote(c.ThresholdMetricId)+" with MetricName).")
	}
}

// math checks the fields of a metric-math alarm and returns the alarm's
// period (0 when none is valid) and the parameter it comes from.
func (v *configValidator) math(c *Config) (period int, periodParam string) {
	// The single-metric fields cannot be combined with Metrics.
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"Namespace", c.Namespace != ""},
		{"MetricName", c.MetricName != ""},
		{"Dimensions", len(c.Dimensions) > 0},
		{"Period", c.Period != 0},
		{"Unit", c.Unit != ""},
		{"Statistic", c.Statistic != ""},
		{"ExtendedStatistic", c.ExtendedStatistic != ""},
	} {
		if f.set {
			v.exclusive("Metrics", f.name)
		}
	}

	v.size("Metrics", len(c.Metrics), maxMetrics)
	stats, exprs := 0, 0
	for _, q := range c.Metrics {
		if q.MetricStat != nil {
			stats++
		}
		if q.Expression != "" {
			exprs++
		}
	}
	if stats > maxMetricStats {
		v.add(cwerr.ValidationError, "Metrics", strconv.Itoa(stats), fmt.Sprintf("The collection Metrics must not have more than %d entries with a MetricStat (got %d).", maxMetricStats, stats))
	}
	if exprs > maxExpressions {
		v.add(cwerr.ValidationError, "Metrics", strconv.Itoa(exprs), fmt.Sprintf("The collection Metrics must not have more than %d entries with an Expression (got %d).", maxExpressions, exprs))
	}

	firstId := map[string]int{} // Id -> index of its first query
	for i := range c.Metrics {
		q := &c.Metrics[i]
		p := fmt.Sprintf("Metrics.member.%d", i+1)
		member := fmt.Sprintf("metrics.%d.member", i+1)

		switch {
		case q.Id == "":
			v.required(p + ".Id")
		case utf8.RuneCountInString(q.Id) > maxIdLen:
			v.maxLen(member+".id", q.Id, maxIdLen)
		case !isQueryId(q.Id):
			v.add(cwerr.ValidationError, p+".Id", q.Id, "The value "+strconv.Quote(q.Id)+" for parameter "+p+".Id is invalid: it must contain only letters, digits and underscores, and start with a lower-case letter.")
		}
		if q.Id != "" {
			if j, dup := firstId[q.Id]; dup {
				v.add(cwerr.ValidationError, p+".Id", q.Id, fmt.Sprintf("The value %s for parameter %s.Id is invalid: Metrics.member.%d has the same Id; Ids must be unique.", strconv.Quote(q.Id), p, j+1))
			} else {
				firstId[q.Id] = i
			}
		}

		switch {
		case q.MetricStat == nil && q.Expression == "":
			v.add(cwerr.MissingParameter, p+".MetricStat", "", "The parameter "+p+".MetricStat or "+p+".Expression is required: each query needs exactly one of them.")
		case q.MetricStat != nil && q.Expression != "":
			v.exclusive(p+".MetricStat", p+".Expression")
		}
		v.maxLen(member+".expression", q.Expression, maxExpressionLen)
		if q.Period != 0 && !ValidPeriod(q.Period) {
			v.period(p+".Period", q.Period)
		}

		if ms := q.MetricStat; ms != nil {
			sp := p + ".MetricStat"
			v.fromMetric(metric.ValidateNamespace(sp+".Metric.Namespace", ms.Metric.Namespace))
			v.fromMetric(metric.ValidateName(sp+".Metric.MetricName", ms.Metric.MetricName))
			v.fromMetric(metric.ValidateDimensions(sp+".Metric.Dimensions", ms.Metric.Dimensions)...)
			v.period(sp+".Period", ms.Period)
			if ValidPeriod(ms.Period) {
				if period == 0 {
					period, periodParam = ms.Period, sp+".Period"
				} else if ms.Period != period {
					v.add(cwerr.ValidationError, sp+".Period", strconv.Itoa(ms.Period), fmt.Sprintf("The value %d for parameter %s.Period is invalid: all MetricStats of an alarm must have the same period, and %s is %d.", ms.Period, sp, periodParam, period))
				}
			}
			v.stat(sp+".Stat", ms.Stat)
			if ms.Unit != "" && !metric.ValidUnit(ms.Unit) {
				v.add(cwerr.ValidationError, sp+".Unit", ms.Unit, metric.UnitError(sp+".Unit"))
			}
		}
	}
	if period == 0 {
		// An alarm of expressions only (e.g. a Metrics Insights query)
		// takes its period from the queries.
		for i, q := range c.Metrics {
			if ValidPeriod(q.Period) {
				period, periodParam = q.Period, fmt.Sprintf("Metrics.member.%d.Period", i+1)
				break
			}
		}
	}

	if band, ok := v.thresholdMetric(c, firstId); ok {
		v.returnData(c, band)
	}
	return period, periodParam
}

// thresholdMetric checks ThresholdMetricId of a math alarm. It returns the
// index of the query it names (-1 when ThresholdMetricId is not set), and
// false when ThresholdMetricId names no query, so that the ReturnData rule,
// which depends on it, cannot be applied.
func (v *configValidator) thresholdMetric(c *Config, firstId map[string]int) (int, bool) {
	id := c.ThresholdMetricId
	if id == "" {
		return -1, true
	}
	if utf8.RuneCountInString(id) > maxIdLen {
		v.maxLen("thresholdMetricId", id, maxIdLen)
		return -1, false
	}
	i, ok := firstId[id]
	if !ok {
		v.add(cwerr.ValidationError, "ThresholdMetricId", id, "The value "+strconv.Quote(id)+" for parameter ThresholdMetricId is invalid: no entry of Metrics has this Id; it must name the ANOMALY_DETECTION_BAND expression.")
		return -1, false
	}
	if !strings.Contains(c.Metrics[i].Expression, anomalyBandCall) {
		v.add(cwerr.ValidationError, "ThresholdMetricId", id, fmt.Sprintf("The value %s for parameter ThresholdMetricId is invalid: Metrics.member.%d (%s) is not an ANOMALY_DETECTION_BAND expression.", strconv.Quote(id), i+1, strconv.Quote(id)))
		return i, true
	}
	param := fmt.Sprintf("Metrics.member.%d.Expression", i+1)
	b, err := ParseBandExpression(c.Metrics[i].Expression)
	if err != nil {
		v.add(cwerr.ValidationError, param, c.Metrics[i].Expression, "The value "+strconv.Quote(c.Metrics[i].Expression)+" for parameter "+param+" is invalid: "+err.Error()+".")
		return i, true
	}
	j, ok := firstId[b.Id]
	switch {
	case !ok:
		v.add(cwerr.ValidationError, param, c.Metrics[i].Expression, fmt.Sprintf("The value %s for parameter %s is invalid: no entry of Metrics has the Id %s that the band is computed on.", strconv.Quote(c.Metrics[i].Expression), param, strconv.Quote(b.Id)))
	case c.Metrics[j].MetricStat == nil:
		v.add(cwerr.ValidationError, param, c.Metrics[i].Expression, fmt.Sprintf("The value %s for parameter %s is invalid: the band must be computed on a MetricStat query, and Metrics.member.%d (%s) is an expression.", strconv.Quote(c.Metrics[i].Expression), param, j+1, strconv.Quote(b.Id)))
	case ValidPeriod(c.Metrics[j].MetricStat.Period) && c.Metrics[j].MetricStat.Period < minBandPeriod:
		pp := fmt.Sprintf("Metrics.member.%d.MetricStat.Period", j+1)
		v.add(cwerr.ValidationError, pp, strconv.Itoa(c.Metrics[j].MetricStat.Period), fmt.Sprintf("The value %d for parameter %s is invalid: an anomaly detection alarm's period must be at least %d seconds.", c.Metrics[j].MetricStat.Period, pp, minBandPeriod))
	}
	return i, true
}

// returnData checks the ReturnData flags (nil counts as true). Without a
// threshold metric exactly one query returns data; with one (at index band)
// that query and exactly one other return data.
func (v *configValidator) returnData(c *Config, band int) {
	var returning []string
	for i, q := range c.Metrics {
		if i != band && (q.ReturnData == nil || *q.ReturnData) {
			returning = append(returning, queryName(q, i))
		}
	}
	if band >= 0 {
		if rd := c.Metrics[band].ReturnData; rd != nil && !*rd {
			v.add(cwerr.ValidationError, fmt.Sprintf("Metrics.member.%d.ReturnData", band+1), "false", fmt.Sprintf("The value false for parameter Metrics.member.%d.ReturnData is invalid: the query named by ThresholdMetricId (%s) must return data.", band+1, strconv.Quote(c.ThresholdMetricId)))
		}
		if len(returning) != 1 {
			v.add(cwerr.ValidationError, "Metrics", "", fmt.Sprintf("Besides the ThresholdMetricId query %s, exactly one entry of Metrics must have ReturnData true (a missing ReturnData counts as true), but %s.", strconv.Quote(c.ThresholdMetricId), describeReturning(returning)))
		}
		return
	}
	if len(returning) != 1 {
		v.add(cwerr.ValidationError, "Metrics", "", fmt.Sprintf("Exactly one entry of Metrics must have ReturnData true (a missing ReturnData counts as true), but %s.", describeReturning(returning)))
	}
}

func describeReturning(ids []string) string {
	switch len(ids) {
	case 0:
		return "none has"
	default:
		return fmt.Sprintf("%d have: %s", len(ids), strings.Join(ids, ", "))
	}
}

// queryName names query number i for a message: its Id, or its position
// when the Id is empty.
func queryName(q MetricDataQuery, i int) string {
	if q.Id == "" {
		return fmt.Sprintf("Metrics.member.%d", i+1)
	}
	return strconv.Quote(q.Id)
}

// stat checks a MetricStat's Stat: a simple statistic or an extended one.
func (v *configValidator) stat(param, s string) {
	if s == "" {
		v.required(param)
		return
	}
	if _, err := metric.ParseStatistic(s); err == nil {
		return
	}
	if _, err := metric.ParseExtendedStatistic(s); err != nil {
		v.add(cwerr.ValidationError, param, s, "The value '"+escapeValue(s)+"' for parameter "+param+" is invalid: it is neither a simple statistic (SampleCount, Average, Sum, Minimum, Maximum) nor an extended one: "+errorRule(err))
	}
}

// isQueryId reports whether id is a MetricDataQuery Id: letters, digits and
// underscores, starting with a lower-case letter.
func isQueryId(id string) bool {
	for i := 0; i < len(id); i++ {
		b := id[i]
		switch {
		case b >= 'a' && b <= 'z':
		case i > 0 && (b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'):
		default:
			return false
		}
	}
	return id != ""
}

// counts checks EvaluationPeriods, DatapointsToAlarm and the evaluation
// span Period × EvaluationPeriods (period 0 means "no valid period").
func (v *configValidator) counts(c *Config, period int, periodParam string) {
	n := c.EvaluationPeriods
	switch {
	case n == 0:
		v.required("EvaluationPeriods")
	case n < 0:
		v.awsConstraint("evaluationPeriods", strconv.Itoa(n), "have value greater than or equal to 1")
	}
	switch m := c.DatapointsToAlarm; {
	case m < 0:
		v.awsConstraint("datapointsToAlarm", strconv.Itoa(m), "have value greater than or equal to 1")
	case n >= 1 && m > n:
		v.add(cwerr.ValidationError, "DatapointsToAlarm", strconv.Itoa(m), "DatapointsToAlarm must be less than or equal to EvaluationPeriods")
	}
	if period <= 0 || n < 1 {
		return
	}
	span := new(big.Int).Mul(big.NewInt(int64(period)), big.NewInt(int64(n)))
	switch {
	case period < shortPeriodLimit && span.Cmp(big.NewInt(maxShortPeriodSpan)) > 0:
		v.add(cwerr.ValidationError, "EvaluationPeriods", strconv.Itoa(n), fmt.Sprintf("The product of %s (%d) and EvaluationPeriods (%d) is %s seconds; it must not exceed %d seconds (1 day) when %s is less than %d seconds.", periodParam, period, n, span, maxShortPeriodSpan, periodParam, shortPeriodLimit))
	case span.Cmp(big.NewInt(maxEvaluationSpan)) > 0:
		v.add(cwerr.ValidationError, "EvaluationPeriods", strconv.Itoa(n), fmt.Sprintf("The product of %s (%d) and EvaluationPeriods (%d) is %s seconds; it must not exceed %d seconds (7 days).", periodParam, period, n, span, maxEvaluationSpan))
	}
}

// operator checks ComparisonOperator against the enumeration and against
// ThresholdMetricId: the band operators need it, the static ones forbid it.
func (v *configValidator) operator(c *Config) {
	op := c.ComparisonOperator
	if op == "" {
		v.required("ComparisonOperator")
		return
	}
	v.enum("comparisonOperator", op, comparisonOperators)
	switch {
	case isBandOperator(op) && c.ThresholdMetricId == "":
		v.add(cwerr.ValidationError, "ComparisonOperator", op, "The value "+strconv.Quote(op)+" for parameter ComparisonOperator is invalid: "+LessThanLowerOrGreaterThanUpperThreshold+", "+LessThanLowerThreshold+" and "+GreaterThanUpperThreshold+" are only for anomaly detection alarms, which set ThresholdMetricId.")
	case !isBandOperator(op) && c.ThresholdMetricId != "" && slices.Contains(comparisonOperators, op):
		v.add(cwerr.ValidationError, "ComparisonOperator", op, "The value "+strconv.Quote(op)+" for parameter ComparisonOperator is invalid: an alarm with ThresholdMetricId must use "+LessThanLowerOrGreaterThanUpperThreshold+", "+LessThanLowerThreshold+" or "+GreaterThanUpperThreshold+".")
	}
}

func (v *configValidator) tags(tags []Tag) {
	v.size("Tags", len(tags), maxTags)
	for i, t := range tags {
		member := fmt.Sprintf("tags.%d.member", i+1)
		if t.Key == "" {
			v.required(fmt.Sprintf("Tags.member.%d.Key", i+1))
		} else {
			v.maxLen(member+".key", t.Key, maxTagKeyLen)
		}
		v.maxLen(member+".value", t.Value, maxTagValueLen)
	}
}

// errorMessage returns the message of an error from the metric package (a
// *cwerr.Error), kept on one line.
func errorMessage(err error) string {
	var ce *cwerr.Error
	if errors.As(err, &ce) {
		return escapeValue(ce.Message)
	}
	return escapeValue(err.Error())
}

// errorRule returns the rule part of a message "The value 'X' for parameter
// Y is invalid: rule." from the metric package, or the whole message when it
// has another form.
func errorRule(err error) string {
	msg := errorMessage(err)
	if _, rule, ok := strings.Cut(msg, " is invalid: "); ok {
		return rule
	}
	return msg
}

// escapeValue escapes, for a '...' value in a message, what would break the
// message's single line or is not text: control characters, line and
// paragraph separators and invalid UTF-8 bytes.
func escapeValue(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}
