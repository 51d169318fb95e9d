package alarm

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// A BandExpression is a parsed ANOMALY_DETECTION_BAND(id, k) expression:
// the band of expected values of the query named Id, Width standard
// deviations wide (2 when the expression leaves it out).
type BandExpression struct {
	Id    string
	Width float64
}

// DefaultBandWidth is the band width of ANOMALY_DETECTION_BAND(id) without
// a second argument: 2 standard deviations.
const DefaultBandWidth = 2

// String returns the expression in its canonical form,
// "ANOMALY_DETECTION_BAND(m1, 2)".
func (b BandExpression) String() string {
	return "ANOMALY_DETECTION_BAND(" + b.Id + ", " + strconv.FormatFloat(b.Width, 'g', -1, 64) + ")"
}

// ParseBandExpression parses an ANOMALY_DETECTION_BAND expression:
// ANOMALY_DETECTION_BAND(id) or ANOMALY_DETECTION_BAND(id, k), with spaces
// allowed between the tokens, where id is a query Id (a lower-case letter,
// then letters, digits and underscores) and k a number above 0 (it need
// not be an integer). Nothing may come before or after the call: the band
// of an expression of several metrics is not supported. The error says
// what is wrong and where.
func ParseBandExpression(s string) (BandExpression, error) {
	p := bandParser{s: s}
	p.space()
	if !p.word("ANOMALY_DETECTION_BAND") {
		return BandExpression{}, p.fail("the expression must be a call of ANOMALY_DETECTION_BAND")
	}
	p.space()
	if !p.byte('(') {
		return BandExpression{}, p.fail("expected ( after ANOMALY_DETECTION_BAND")
	}
	p.space()
	start := p.i
	for p.i < len(s) && (s[p.i] == '_' || s[p.i] >= 'a' && s[p.i] <= 'z' || s[p.i] >= 'A' && s[p.i] <= 'Z' || s[p.i] >= '0' && s[p.i] <= '9') {
		p.i++
	}
	b := BandExpression{Id: s[start:p.i], Width: DefaultBandWidth}
	if !isQueryId(b.Id) {
		p.i = start
		return BandExpression{}, p.fail("expected the Id of a query (a lower-case letter, then letters, digits and underscores) as the first argument")
	}
	p.space()
	if p.byte(',') {
		p.space()
		start = p.i
		for p.i < len(s) && strings.IndexByte("0123456789.eE+-", s[p.i]) >= 0 {
			p.i++
		}
		k, err := strconv.ParseFloat(s[start:p.i], 64)
		if err != nil || math.IsInf(k, 0) || !(k > 0) {
			p.i = start
			return BandExpression{}, p.fail("the band width (the second argument) must be a number above 0")
		}
		b.Width = k
		p.space()
		if !p.byte(')') {
			return BandExpression{}, p.fail("expected ) after the band width: the call takes at most two arguments")
		}
	} else if !p.byte(')') {
		return BandExpression{}, p.fail("expected , or ) after the Id")
	}
	p.space()
	if p.i != len(s) {
		return BandExpression{}, p.fail("unexpected text after the call")
	}
	return b, nil
}

type bandParser struct {
	s string
	i int
}

func (p *bandParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *bandParser) word(w string) bool {
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

func (p *bandParser) byte(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *bandParser) fail(rule string) error {
	return errors.New(rule + " (at character " + strconv.Itoa(p.i+1) + " of " + strconv.Quote(p.s) + ")")
}

// Band returns the parsed band expression of an anomaly-detection alarm
// (the query that ThresholdMetricId names) and the MetricStat query it
// bands. ok is false when c is not a valid anomaly-detection alarm.
func (c *Config) Band() (band BandExpression, input *MetricDataQuery, ok bool) {
	if c.ThresholdMetricId == "" {
		return BandExpression{}, nil, false
	}
	var expr string
	for i := range c.Metrics {
		if c.Metrics[i].Id == c.ThresholdMetricId {
			expr = c.Metrics[i].Expression
		}
	}
	b, err := ParseBandExpression(expr)
	if err != nil {
		return BandExpression{}, nil, false
	}
	for i := range c.Metrics {
		if q := &c.Metrics[i]; q.Id == b.Id && q.MetricStat != nil {
			return b, q, true
		}
	}
	return BandExpression{}, nil, false
}
