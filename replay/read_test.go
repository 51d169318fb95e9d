package replay

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/klaxon-go/klaxon/alarm"
	"github.com/klaxon-go/klaxon/composite"
	"github.com/klaxon-go/klaxon/metric"
)

func refOf[T any](v T) *T { return &v }

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var opsTopic = []string{"arn:aws:sns:us-east-1:123456789012:ops"}

// anomalyAlarmConfig is the anomaly-band alarm of testdata/describe-alarms.json:
// the MetricStat m1 and the band expression, both with ReturnData true, and
// ThresholdMetricId naming the band (and no Threshold).
var anomalyAlarmConfig = alarm.Config{
	AlarmName:          "api-latency-anomaly",
	ActionsEnabled:     refOf(true),
	AlarmActions:       opsTopic,
	EvaluationPeriods:  3,
	DatapointsToAlarm:  2,
	ComparisonOperator: alarm.LessThanLowerOrGreaterThanUpperThreshold,
	TreatMissingData:   alarm.MissingDataNotBreaching,
	Metrics: []alarm.MetricDataQuery{
		{
			Id: "m1",
			MetricStat: &alarm.MetricStat{
				Metric: alarm.MetricRef{
					Namespace:  "AWS/ApplicationELB",
					MetricName: "TargetResponseTime",
					Dimensions: []metric.Dimension{{Name: "LoadBalancer", Value: "app/web/0123456789abcdef"}},
				},
				Period: 300,
				Stat:   "Average",
			},
			ReturnData: refOf(true),
		},
		{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", Label: "TargetResponseTime (expected)", ReturnData: refOf(true)},
	},
	ThresholdMetricId: "ad1",
}

func TestReadAlarms(t *testing.T) {
	tests := []struct {
		file      string
		why       string
		metric    []alarm.Config
		composite []composite.Config
	}{
		{
			file: "describe-alarms.json",
			why: "describe-alarms output: the extra keys it adds (AlarmArn, State*, EvaluationState, ...) are ignored; " +
				"empty action lists read as nil; the anomaly alarm has no Threshold but a ThresholdMetricId; the composite's describe-only keys are ignored",
			metric: []alarm.Config{
				{
					AlarmName:          "web-cpu-high",
					AlarmDescription:   "CPU at or above 80% for 3 of the last 5 minutes",
					ActionsEnabled:     refOf(true),
					OKActions:          opsTopic,
					AlarmActions:       opsTopic,
					MetricName:         "CPUUtilization",
					Namespace:          "AWS/EC2",
					Statistic:          "Average",
					Dimensions:         []metric.Dimension{{Name: "InstanceId", Value: "i-0123456789abcdef0"}},
					Period:             60,
					EvaluationPeriods:  5,
					DatapointsToAlarm:  3,
					Threshold:          80,
					ComparisonOperator: alarm.GreaterThanOrEqualToThreshold,
					TreatMissingData:   alarm.MissingDataMissing,
				},
				anomalyAlarmConfig,
			},
			composite: []composite.Config{{
				ActionsEnabled: refOf(true), AlarmActions: []string{"arn:aws:sns:us-east-1:123456789012:pager"},
				AlarmDescription: "CPU high and latency anomalous", AlarmName: "web-unhealthy",
				AlarmRule: `ALARM("web-cpu-high") AND ALARM("api-latency-anomaly")`,
			}},
		},
		{
			file: "put-metric-alarm.json",
			why:  "one PutMetricAlarm input; Threshold 0 is given, so it is a threshold of zero; ActionsEnabled false is kept",
			metric: []alarm.Config{{
				AlarmName:          "queue-backlog",
				AlarmDescription:   "Messages waiting in the orders queue",
				ActionsEnabled:     refOf(false),
				AlarmActions:       opsTopic,
				MetricName:         "ApproximateNumberOfMessagesVisible",
				Namespace:          "AWS/SQS",
				Statistic:          "Maximum",
				Dimensions:         []metric.Dimension{{Name: "QueueName", Value: "orders"}},
				Period:             300,
				EvaluationPeriods:  2,
				ComparisonOperator: alarm.GreaterThanThreshold,
				TreatMissingData:   alarm.MissingDataBreaching,
				Tags:               []alarm.Tag{{Key: "team", Value: "payments"}},
			}},
		},
		{
			file: "alarms-array.json",
			why:  "an array of inputs: a percentile alarm, a metric-math alarm (one ReturnData), and a PutCompositeAlarm input, told apart by AlarmRule",
			metric: []alarm.Config{
				{
					AlarmName:                        "p99-latency",
					Namespace:                        "MyApp",
					MetricName:                       "Latency",
					ExtendedStatistic:                "p99",
					Unit:                             "Milliseconds",
					Period:                           10,
					EvaluationPeriods:                6,
					DatapointsToAlarm:                4,
					Threshold:                        250.5,
					ComparisonOperator:               alarm.GreaterThanThreshold,
					EvaluateLowSampleCountPercentile: "ignore",
				},
				{
					AlarmName:          "error-rate",
					EvaluationPeriods:  1,
					Threshold:          5,
					ComparisonOperator: alarm.GreaterThanThreshold,
					Metrics: []alarm.MetricDataQuery{
						{Id: "e", Expression: "100 * errors / requests", Label: "Error rate", ReturnData: refOf(true)},
						{Id: "errors", MetricStat: &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "MyApp", MetricName: "Errors"}, Period: 60, Stat: "Sum"}, ReturnData: refOf(false)},
						{Id: "requests", MetricStat: &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "MyApp", MetricName: "Requests"}, Period: 60, Stat: "Sum", Unit: "Count"}, ReturnData: refOf(false)},
					},
				},
			},
			composite: []composite.Config{{AlarmName: "myapp-down", AlarmRule: "ALARM(p99-latency) OR ALARM(error-rate)",
				ActionsSuppressor: "maintenance", ActionsSuppressorWaitPeriod: refOf(120), ActionsSuppressorExtensionPeriod: refOf(60)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ReadAlarms(tt.file, bytes.NewReader(readTestdata(t, tt.file)))
			if err != nil {
				t.Fatalf("ReadAlarms: %v (%s)", err, tt.why)
			}
			if diff := cmp.Diff(tt.metric, got.Metric); diff != "" {
				t.Errorf("Metric (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
			if diff := cmp.Diff(tt.composite, got.Composite); diff != "" {
				t.Errorf("Composite (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

func TestReadAlarmsShapes(t *testing.T) {
	tests := []struct {
		name, in string
		why      string
		want     Alarms
		wantErr  string
	}{
		{
			name: "single anomaly alarm", why: "the anomaly-band shape needs no Threshold key",
			in: `{"AlarmName":"a","EvaluationPeriods":1,"ComparisonOperator":"GreaterThanUpperThreshold","ThresholdMetricId":"ad1",
				"Metrics":[{"Id":"m1","MetricStat":{"Metric":{"Namespace":"N","MetricName":"M"},"Period":60,"Stat":"Average"},"ReturnData":true},
				{"Id":"ad1","Expression":"ANOMALY_DETECTION_BAND(m1, 2)","ReturnData":true}]}`,
			want: Alarms{Metric: []alarm.Config{{
				AlarmName: "a", EvaluationPeriods: 1, ComparisonOperator: alarm.GreaterThanUpperThreshold, ThresholdMetricId: "ad1",
				Metrics: []alarm.MetricDataQuery{
					{Id: "m1", MetricStat: &alarm.MetricStat{Metric: alarm.MetricRef{Namespace: "N", MetricName: "M"}, Period: 60, Stat: "Average"}, ReturnData: refOf(true)},
					{Id: "ad1", Expression: "ANOMALY_DETECTION_BAND(m1, 2)", ReturnData: refOf(true)},
				},
			}}},
		},
		{
			name: "single composite", why: "an object with AlarmRule is a PutCompositeAlarm input",
			in:   `{"AlarmName":"c", "AlarmRule":"TRUE", "ActionsSuppressorWaitPeriod": 60}`,
			want: Alarms{Composite: []composite.Config{{AlarmName: "c", AlarmRule: "TRUE", ActionsSuppressorWaitPeriod: refOf(60)}}},
		},
		{
			name: "only composites", why: "describe-alarms output with composites only is a valid alarms file; its Region comes from AlarmArn",
			in:   "\uFEFF" + `{"CompositeAlarms":[{"AlarmName":"c","AlarmRule":"FALSE","AlarmArn":"arn:aws:cloudwatch:eu-west-1:111122223333:alarm:c","ActionsSuppressedBy":"None"}],"NextToken":"abc"}`,
			want: Alarms{Composite: []composite.Config{{AlarmName: "c", AlarmRule: "FALSE"}}, Region: "eu-west-1", AccountID: "111122223333"},
		},
		{
			name: "region from an action", why: "without AlarmArn, the first action ARN gives the Region and account",
			in: `{"AlarmName":"a","Threshold":1,"EvaluationPeriods":1,"ComparisonOperator":"LessThanThreshold","AlarmActions":["arn:aws:sns:ap-southeast-2:444455556666:ops"]}`,
			want: Alarms{Metric: []alarm.Config{{AlarmName: "a", Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: "LessThanThreshold",
				AlarmActions: []string{"arn:aws:sns:ap-southeast-2:444455556666:ops"}}}, Region: "ap-southeast-2", AccountID: "444455556666"},
		},
		{
			name: "unknown composite key", why: "composites are decoded strictly, as metric alarms are",
			in:      `{"AlarmName":"c", "AlarmRule":"TRUE", "Whatever":1}`,
			wantErr: `replay: alarms.json:1:50: Whatever: unknown field "Whatever"`,
		},
		{
			name: "escapes", why: "string escapes, including a surrogate pair, decode as in encoding/json",
			in:   `[{"AlarmName":"a\u00e9\ud83d\ude00\n\"\/","Threshold":-1.5e2,"EvaluationPeriods":1,"ComparisonOperator":"LessThanThreshold"}]`,
			want: Alarms{Metric: []alarm.Config{{AlarmName: "aé😀\n\"/", Threshold: -150, EvaluationPeriods: 1, ComparisonOperator: "LessThanThreshold"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadAlarms("alarms.json", strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("ReadAlarms: %v, want an error starting %q (%s)", err, tt.wantErr, tt.why)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadAlarms: %v (%s)", err, tt.why)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Alarms{}, "File", "MetricAt", "CompositeAt")); diff != "" {
				t.Errorf("ReadAlarms (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

// okAlarmJSON is a valid static alarm object for error tests to sit next to.
const okAlarmJSON = `{"AlarmName":"ok","Threshold":1,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold"}`

var alarmErrorTests = []struct {
	name, in, want string
	why            string
}{

	{"unknown field", `{"MetricAlarms":[` + okAlarmJSON + `,` + okAlarmJSON + `,{"AlarmName":"x","Treshold":1}]}`,
		`replay: alarms.json:1:244: MetricAlarms[2].Treshold: unknown field "Treshold" (did you mean "Threshold"?)`,
		"keys are matched strictly; the position is the JSON path"},

	{"unknown field case", `[{"AlarmName":"x","threshold":1}]`,
		`replay: alarms.json:1:31: [0].threshold: unknown field "threshold" (did you mean "Threshold"? keys are case-sensitive)`,
		"the AWS CLI matches keys case-sensitively; a key that differs only in case gets a hint"},

	{"unknown nested field", `{"MetricAlarms":[{"AlarmName":"x","ThresholdMetricId":"e","Metrics":[{"Id":"m","MetricStat":{"Metric":{"Dimension":[]}}}]}]}`,
		`replay: alarms.json:1:116: MetricAlarms[0].Metrics[0].MetricStat.Metric.Dimension: unknown field "Dimension" (did you mean "Dimensions"?)`,
		"strictness reaches nested objects, and the path names them"},

	{"describe extras only on metric alarms", `{"MetricAlarms":[],"StateValue":"OK"}`,
		`replay: alarms.json:1:33: StateValue: unknown field "StateValue" (describe-alarms output holds MetricAlarms, CompositeAlarms and NextToken)`,
		"the top level of describe-alarms output has only its own keys"},

	{"missing threshold", `{"MetricAlarms":[{"AlarmName":"name","EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold"}]}`,
		`replay: alarms.json:1:18: MetricAlarms[0] ("name"): Threshold is required for a static-threshold alarm`,
		"a float64 cannot tell a missing threshold from 0, so the reader checks the key"},

	{"missing threshold single", `{"AlarmName":"cpu","EvaluationPeriods":1}`,
		`replay: alarms.json:1:1: alarm "cpu": Threshold is required for a static-threshold alarm`,
		"a file of one alarm has no path; the alarm's name places the error"},

	{"missing threshold array unnamed", `[` + okAlarmJSON + `,{"EvaluationPeriods":1}]`,
		`replay: alarms.json:1:101: [1]: Threshold is required for a static-threshold alarm`,
		"an alarm without a name is placed by its index"},

	{"wrong type", `[` + okAlarmJSON + `,{"AlarmName":"b","Threshold":"80"}]`,
		`replay: alarms.json:1:130: [1].Threshold: got the string "80", want a number`,
		"a wrong type names the field path, the value and the type wanted"},

	{"wrong type nested", `{"MetricAlarms":[{"AlarmName":"x","Threshold":1,"Dimensions":[{"Name":"a","Value":7}]}]}`,
		`replay: alarms.json:1:83: MetricAlarms[0].Dimensions[0].Value: got the number 7, want a string`,
		"paths go through arrays"},

	{"not an integer", `[{"AlarmName":"x","Threshold":1,"Period":60.0}]`,
		`replay: alarms.json:1:42: [0].Period: got the number 60.0, want an integer`,
		"Period is an integer in the API; the AWS CLI rejects 60.0 too"},

	{"integer out of range", `[{"AlarmName":"x","Threshold":1,"Period":99999999999999999999}]`,
		`replay: alarms.json:1:42: [0].Period: the number 99999999999999999999 is out of range for an integer`,
		"too large for an int"},

	{"float out of range", `[{"AlarmName":"x","Threshold":1e999}]`,
		`replay: alarms.json:1:31: [0].Threshold: the number 1e999 is out of the range of a float64`,
		"JSON allows numbers that float64 does not"},

	{"null", `[{"AlarmName":"x","Threshold":1,"ActionsEnabled":null}]`,
		`replay: alarms.json:1:50: [0].ActionsEnabled: got null, want true or false`,
		"null is no value of any field"},

	{"duplicate key", `{"MetricAlarms":[{"AlarmName":"x","Threshold":1,"Threshold":2}]}`,
		`replay: alarms.json:1:61: MetricAlarms[0].Threshold: duplicate field "Threshold" (JSON readers disagree on which value wins)`,
		"encoding/json would silently keep the last one"},

	{"duplicate key in a large object", `[{` + manyKeys(20) + `,"k3":true}]`,
		"replay: alarms.json:1:168: [0].k3: duplicate field \"k3\" (JSON readers disagree on which value wins)\nreplay: alarms.json:1:8: [0].k0: unknown field \"k0\"\nreplay: alarms.json:1:15: [0].k1: unknown field \"k1\"\nreplay: alarms.json:1:22: [0].k2: unknown field \"k2\"\nreplay: alarms.json:1:29: [0].k3: unknown field \"k3\"\nreplay: alarms.json:1:36: [0].k4: unknown field \"k4\"\nreplay: alarms.json:1:43: [0].k5: unknown field \"k5\"\nreplay: alarms.json:1:50: [0].k6: unknown field \"k6\"\nreplay: alarms.json:1:57: [0].k7: unknown field \"k7\"\nreplay: alarms.json:1:64: [0].k8: unknown field \"k8\"\nreplay: alarms.json:1:71: [0].k9: unknown field \"k9\"\nreplay: alarms.json:1:79: [0].k10: unknown field \"k10\"\nreplay: alarms.json:1:88: [0].k11: unknown field \"k11\"\nreplay: alarms.json:1:97: [0].k12: unknown field \"k12\"\nreplay: alarms.json:1:106: [0].k13: unknown field \"k13\"\nreplay: alarms.json:1:115: [0].k14: unknown field \"k14\"\nreplay: alarms.json:1:124: [0].k15: unknown field \"k15\"\nreplay: alarms.json:1:133: [0].k16: unknown field \"k16\"\nreplay: alarms.json:1:142: [0].k17: unknown field \"k17\"\nreplay: alarms.json:1:151: [0].k18: unknown field \"k18\"\nreplay: alarms.json: and 2 more problems",
		"a large object is checked for duplicates through a map; duplicates are found before unknown keys"},

	{"metric alarms not an array", `{"MetricAlarms":{}}`,
		`replay: alarms.json:1:17: MetricAlarms: got an object, want an array`,
		"describe-alarms holds a list"},

	{"array element not an object", `[` + okAlarmJSON + `, 1]`,
		`replay: alarms.json:1:102: [1]: got the number 1, want an alarm object`,
		"an array of alarms holds objects"},

	{"composite not an object", `{"CompositeAlarms":["x"]}`,
		`replay: alarms.json:1:21: CompositeAlarms[0]: got the string "x", want an alarm object`,
		"composites must be objects"},

	{"top-level string", `"alarms"`,
		`replay: alarms.json: the file holds the string "alarms", want an object or an array of alarms`,
		"none of the three shapes"},

	{"empty", ``, `replay: alarms.json: the file is empty`, "no JSON at all"},

	{"blank", " \n\t ", `replay: alarms.json: the file is empty`, "whitespace only"},

	{"empty object", `{}`, `replay: alarms.json: the file holds no alarms`, "{} is describe-alarms output without alarms"},

	{"empty array", `[]`, `replay: alarms.json: the file holds no alarms`, "an empty array of alarms"},

	{"empty lists", `{"MetricAlarms":[],"CompositeAlarms":[]}`, `replay: alarms.json: the file holds no alarms`, "what describe-alarms prints for an account without alarms"},

	{"syntax: trailing comma", "{\n  \"MetricAlarms\": [\n    {\"AlarmName\": \"a\",}\n  ]\n}",
		`replay: alarms.json:3:23: unexpected '}' where an object key (a string) should be`,
		"syntax errors give line:column of the offending byte"},

	{"syntax: truncated", `{"MetricAlarms": [`,
		`replay: alarms.json:1:19: unexpected end of input where a value should be`,
		"the position of the end of input"},

	{"syntax: missing colon", `{"MetricAlarms" []}`,
		`replay: alarms.json:1:17: unexpected '[' after an object key, want ':'`,
		"a key needs a colon"},

	{"syntax: missing comma", `[{"AlarmName":"a"} {"AlarmName":"b"}]`,
		`replay: alarms.json:1:20: unexpected '{' after an array element, want ',' or ']'`,
		"array elements are separated by commas"},

	{"syntax: trailing data", `{} x`,
		`replay: alarms.json:1:4: unexpected 'x' after the top-level value`,
		"one JSON value per file"},

	{"syntax: bad literal", `[tru]`,
		`replay: alarms.json:1:2: unexpected 't' where a value should be`,
		"true, false and null only"},

	{"syntax: leading zero", `[01]`,
		`replay: alarms.json:1:3: unexpected '1' after an array element, want ',' or ']'`,
		"JSON numbers have no leading zeros"},

	{"syntax: bad number", `[-]`,
		`replay: alarms.json:1:3: unexpected ']' in a number, want a digit`,
		"a minus sign needs digits"},

	{"syntax: control character", "[\"a\tb\"]",
		`replay: alarms.json:1:4: control character U+0009 in a string (write it as an escape)`,
		"JSON strings cannot hold raw control characters"},

	{"syntax: invalid UTF-8", "[\"a\xffb\"]",
		`replay: alarms.json:1:4: invalid UTF-8 (byte 0xff) in a string`,
		"the file must be UTF-8"},

	{"syntax: bad escape", `["a\x"]`,
		`replay: alarms.json:1:4: invalid escape "\\x" in a string`,
		"only JSON's escapes"},

	{"syntax: bad unicode escape", `["\u12"]`,
		`replay: alarms.json:1:3: invalid \u escape in a string (want four hex digits)`,
		"\\u needs four hex digits"},

	{"syntax: unterminated string", `["abc`,
		`replay: alarms.json:1:6: unexpected end of input in a string`,
		"a string needs its closing quote"},

	{"syntax: too deep", strings.Repeat("[", 101),
		`replay: alarms.json:1:101: arrays and objects nested more than 100 deep`,
		"nesting is bounded"},

	{"syntax: line and column", "[\n" + okAlarmJSON + ",\n\n  ?]",
		`replay: alarms.json:4:3: unexpected '?' where a value should be`,
		"lines count newlines; columns count bytes from 1"},
}

// manyKeys returns n distinct object members "k0":0,"k1":1,...
func manyKeys(n int) string {
	var m []string
	for i := range n {
		m = append(m, fmt.Sprintf(`"k%d":%d`, i, i))
	}
	return strings.Join(m, ",")
}

func TestReadAlarmsErrors(t *testing.T) {
	for _, tt := range alarmErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadAlarms("alarms.json", strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("ReadAlarms = %+v, want error %q (%s)", got, tt.want, tt.why)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

// timeRuleText is the rule that a bad timestamp's message states.
const timeRuleText = `want RFC 3339 (2006-01-02T15:04:05Z; fractional seconds optional; Z, ±hh:mm or no zone, meaning UTC), "2006-01-02 15:04:05" (UTC) or epoch seconds`

func mustUTC(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestReadMetricsJSON(t *testing.T) {
	lat := func(ts string, v float64) metric.Datum {
		return metric.Datum{MetricName: "Latency", Timestamp: mustUTC(ts), Value: v}
	}
	withUnit := lat("2024-01-02T03:04:05Z", 1.5)
	withUnit.Unit = "Milliseconds"
	tests := []struct {
		file string
		why  string
		want []Batch
	}{
		{
			file: "metrics.json",
			why: "one put-metric-data input; every timestamp form: RFC 3339 with Z, a fraction, an offset with and without a colon, " +
				"no zone (UTC, as the AWS CLI reads it), a space for the T, epoch seconds as a number (also fractional) and as a string; " +
				"datums a second apart in one minute are in time order to the step, however they are ordered within it",
			want: []Batch{{Namespace: "MyApp", MetricData: []metric.Datum{
				withUnit,
				lat("2024-01-02T03:04:05.25Z", 2),
				lat("2024-01-02T03:04:05Z", 3),
				lat("2024-01-02T03:04:05.5Z", 4),
				lat("2024-01-02T03:04:05Z", 5),
				lat("2024-01-02T03:04:05.125Z", 6),
				lat("2024-01-02T03:04:05Z", 7),
				lat("2024-01-02T03:04:05Z", 8),
				lat("2024-01-02T03:04:05.75Z", 9),
				lat("2024-01-02T03:04:05Z", 10),
				{MetricName: "Latency", Timestamp: mustUTC("2024-01-02T03:04:06Z"), Value: 11, StorageResolution: 1,
					Dimensions: []metric.Dimension{{Name: "Host", Value: "web-1"}, {Name: "AZ", Value: "us-east-1a"}}},
			}}},
		},
		{
			file: "metrics-array.json",
			why:  "an array of inputs stays one Batch per input; StatisticValues and Values+Counts are read as given",
			want: []Batch{
				{Namespace: "MyApp", MetricData: []metric.Datum{{
					MetricName: "Latency", Timestamp: mustUTC("2024-01-02T03:04:00Z"), Unit: "Milliseconds",
					StatisticValues: &metric.StatisticSet{SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4},
				}}},
				{Namespace: "Other/Service", MetricData: []metric.Datum{
					{MetricName: "Size", Timestamp: mustUTC("2024-01-02T03:05:00Z"), Values: []float64{10, 20, 30}, Counts: []float64{1, 2, 0.5}},
					{MetricName: "Size", Timestamp: mustUTC("2024-01-02T03:06:00Z"), Values: []float64{7}},
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := readMetrics(tt.file, bytes.NewReader(readTestdata(t, tt.file)), nil)
			if err != nil {
				t.Fatalf("ReadMetrics: %v (%s)", err, tt.why)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadMetrics (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

func TestReadMetricsJSONTimestamps(t *testing.T) {
	tests := []struct {
		ts   string // JSON
		why  string
		want time.Time
	}{
		{`"2024-01-02T03:04:05Z"`, "RFC 3339", mustUTC("2024-01-02T03:04:05Z")},
		{`"2024-01-02T03:04:05.123456789Z"`, "nanoseconds", mustUTC("2024-01-02T03:04:05.123456789Z")},
		{`"2024-01-01T22:04:05-05:00"`, "a negative offset, converted to UTC", mustUTC("2024-01-02T03:04:05Z")},
		{`"2024-01-02T03:04:05.000+0000"`, "the form CloudWatch writes in reason data", mustUTC("2024-01-02T03:04:05Z")},
		{`"2024-01-02T03:04:05"`, "no zone means UTC", mustUTC("2024-01-02T03:04:05Z")},
		{`"2024-01-02 03:04:05"`, "NAB's form", mustUTC("2024-01-02T03:04:05Z")},
		{`1704164645`, "epoch seconds", mustUTC("2024-01-02T03:04:05Z")},
		{`1704164645.000000001`, "epoch seconds are read exactly, to the nanosecond", mustUTC("2024-01-02T03:04:05.000000001Z")},
		{`1.704164645e9`, "a number with an exponent goes through float64", mustUTC("2024-01-02T03:04:05Z")},
		{`"1704164645.5"`, "epoch seconds in a string", mustUTC("2024-01-02T03:04:05.5Z")},
		{`0`, "the epoch itself", mustUTC("1970-01-01T00:00:00Z")},
	}
	for _, tt := range tests {
		in := `{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":` + tt.ts + `}]}`
		got, err := readMetrics("m.json", strings.NewReader(in), nil)
		if err != nil {
			t.Errorf("Timestamp %s: %v (%s)", tt.ts, err, tt.why)
			continue
		}
		if diff := cmp.Diff(tt.want, got[0].MetricData[0].Timestamp); diff != "" {
			t.Errorf("Timestamp %s (-want +got):\n%s\nwhy: %s", tt.ts, diff, tt.why)
		}
		if loc := got[0].MetricData[0].Timestamp.Location(); loc != time.UTC {
			t.Errorf("Timestamp %s: location %v, want UTC", tt.ts, loc)
		}
	}
}

var metricsJSONErrorTests = []struct {
	name, in, want string
	why            string
}{

	{"no value", `{"Namespace":"N","MetricData":[{"MetricName":"M"}]}`,
		`replay: m.json:1:32: MetricData[0]: At least one of the parameters Value, Values and StatisticValues must be specified.`,
		"CloudWatch's wording; a file of one input has no batch index"},

	{"no value in second batch", `[{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":0}]},` +
		`{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":0},{"MetricName":"M","Timestamp":0}]}]`,
		`replay: m.json:1:152: [1].MetricData[1]: At least one of the parameters Value, Values and StatisticValues must be specified.`,
		"the batch index prefixes CloudWatch's message, which numbers members from 1"},

	{"empty values", `{"Namespace":"N","MetricData":[{"MetricName":"M","Values":[],"Counts":[]}]}`,
		`replay: m.json:1:32: MetricData[0]: At least one of the parameters Value, Values and StatisticValues must be specified.`,
		"an empty Values list is not sent by the CLI, so it counts as absent"},

	{"no metric name", `{"Namespace":"N","MetricData":[{"Value":1}]}`,
		`replay: m.json:1:32: MetricData[0]: The parameter MetricName is required.`,
		"every datum names its metric"},

	{"no namespace", `[{"MetricData":[{"MetricName":"M","Value":1}]}]`,
		`replay: m.json:1:2: [0]: The parameter Namespace is required.`,
		"every batch has a namespace"},
	{"no namespace, after spaces", "[\n   {\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1}]}]",
		`replay: m.json:2:4: [0]: The parameter Namespace is required.`,
		"the place is the object's brace, not the white space before it"},

	{"unknown datum key", `{"Namespace":"N","MetricData":[{"MetricName":"M","Valu":1}]}`,
		`replay: m.json:1:57: MetricData[0].Valu: unknown field "Valu" (did you mean "Value"?)`,
		"datums are decoded strictly"},

	{"unknown batch key", `[{"Namespace":"N","metricData":[]}]`,
		`replay: m.json:1:19: [0].metricData: unknown field "metricData" (did you mean "MetricData"? keys are case-sensitive)`,
		"batches are decoded strictly"},

	{"bad timestamp", `{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":"yesterday"}]}`,
		`replay: m.json:1:72: MetricData[0].Timestamp: "yesterday" is not a time; ` + timeRuleText,
		"the rule lists the accepted forms"},

	{"invalid date", `{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":"2024-02-30T00:00:00Z"}]}`,
		`replay: m.json:1:72: MetricData[0].Timestamp: "2024-02-30T00:00:00Z" is not a time; ` + timeRuleText,
		"February has no 30th"},

	{"negative epoch", `{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":-1}]}`,
		`replay: m.json:1:72: MetricData[0].Timestamp: -1 is out of range: epoch seconds go from 0 to 253402300799 (9999-12-31T23:59:59Z)`,
		"epoch seconds before 1970 are not CloudWatch timestamps"},

	{"huge epoch", `{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":1e300}]}`,
		`replay: m.json:1:72: MetricData[0].Timestamp: 1e300 is out of range: epoch seconds go from 0 to 253402300799 (9999-12-31T23:59:59Z)`,
		"beyond year 9999"},

	{"timestamp type", `{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":true}]}`,
		`replay: m.json:1:72: MetricData[0].Timestamp: got true, want a timestamp (an RFC 3339 string or epoch seconds)`,
		"a timestamp is a string or a number"},

	{"value type", `{"Namespace":"N","MetricData":[{"MetricName":"M","Value":"1"}]}`,
		`replay: m.json:1:58: MetricData[0].Value: got the string "1", want a number`,
		"Value is a number"},

	{"statistic values type", `{"Namespace":"N","MetricData":[{"MetricName":"M","StatisticValues":{"SampleCount":1,"Sum":1,"Minimum":1,"Maximum":[1]}}]}`,
		`replay: m.json:1:115: MetricData[0].StatisticValues.Maximum: got an array, want a number`,
		"the path reaches into StatisticValues"},

	{"metric data not array", `{"Namespace":"N","MetricData":{}}`,
		`replay: m.json:1:31: MetricData: got an object, want an array`,
		"MetricData is a list"},

	{"batch not object", `[{"Namespace":"N","MetricData":[{"MetricName":"M","Value":1,"Timestamp":0}]}, []]`,
		`replay: m.json:1:79: [1]: got an array, want an object {"Namespace":...,"MetricData":[...]}`,
		"an array of inputs holds objects"},

	{"no datapoints", `[]`, `replay: m.json: the file holds no datapoints`, "an empty metrics file is a mistake"},

	{"no datapoints object", `{"Namespace":"N","MetricData":[]}`, `replay: m.json: the file holds no datapoints`, "no datums in the only batch"},

	{"top-level number", `42`,
		`replay: m.json:1:1: the file holds the number 42, want an object {"Namespace":...,"MetricData":[...]} or an array of them`,
		"none of the shapes"},

	{"empty", ``, `replay: m.json: the file is empty`, "the .json extension chooses JSON even for an empty file"},

	{"syntax", "{\"Namespace\":\"N\",\n\"MetricData\":[{\"MetricName\":\"M\",\"Value\":NaN}]}",
		`replay: m.json:2:41: unexpected 'N' where a value should be`,
		"JSON has no NaN"},
}

func TestReadMetricsJSONErrors(t *testing.T) {
	for _, tt := range metricsJSONErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMetrics("m.json", strings.NewReader(tt.in), nil)
			if err == nil {
				t.Fatalf("ReadMetrics = %+v, want error %q (%s)", got, tt.want, tt.why)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

var nabCPU = &MetricRef{
	Namespace:  "AWS/EC2",
	MetricName: "CPUUtilization",
	Dimensions: []metric.Dimension{{Name: "InstanceId", Value: "i-24ae8d"}},
	Unit:       "Percent",
}

func TestReadMetricsCSV(t *testing.T) {
	cpuDatum := func(ts string, v float64) metric.Datum {
		return metric.Datum{MetricName: "CPUUtilization", Dimensions: nabCPU.Dimensions, Timestamp: mustUTC(ts), Value: v, Unit: "Percent"}
	}
	web := []metric.Dimension{{Name: "Host", Value: "web-1"}, {Name: "AZ", Value: "us-east-1a"}}
	tests := []struct {
		file string
		in   string // used when file is not in testdata
		def  *MetricRef
		why  string
		want []Batch
	}{
		{
			file: "metrics.csv",
			def:  nabCPU,
			why: "metric columns (header names in any case, with spaces; CRLF line ends; quoted cells); dimensions parsed with spaces trimmed " +
				"and a trailing ';' allowed; def is not used; the Errors row is an hour early, so the file is read whole and sorted " +
				"by the evaluation that first sees each row (stable within one)",
			want: []Batch{
				{Namespace: "MyApp", MetricData: []metric.Datum{
					{MetricName: "Errors", Timestamp: mustUTC("2024-01-02T02:04:00.5Z"), Value: 0},
					{MetricName: "Latency", Dimensions: web, Timestamp: mustUTC("2024-01-02T03:04:05Z"), Value: 1.5, Unit: "Milliseconds"},
					{MetricName: "Latency", Dimensions: web, Timestamp: mustUTC("2024-01-02T03:05:00Z"), Value: 2},
				}},
				{Namespace: "Other/Service", MetricData: []metric.Datum{
					{MetricName: "Queue Depth", Timestamp: mustUTC("2024-01-02T03:06:00Z"), Value: -300, Unit: "Count"},
				}},
			},
		},
		{
			file: "nab.csv",
			def:  nabCPU,
			why:  "NAB's format: no metric columns, so def names the metric; 'YYYY-MM-DD hh:mm:ss' is UTC; rows out of order are sorted by time",
			want: []Batch{{Namespace: "AWS/EC2", MetricData: []metric.Datum{
				cpuDatum("2014-02-14T14:25:00Z", 0.5),
				cpuDatum("2014-02-14T14:30:00Z", 0.132),
				cpuDatum("2014-02-14T14:35:00Z", 0.134),
			}}},
		},
		{
			file: "units.data",
			in:   "timestamp,value,unit\n1392388200,1,\n1392388200.25,2,Count\n",
			def:  &MetricRef{Namespace: "N", MetricName: "M"},
			why:  "an unknown extension and text that is not JSON: CSV; epoch seconds; a unit cell sets the unit, an empty one leaves def's",
			want: []Batch{{Namespace: "N", MetricData: []metric.Datum{
				{MetricName: "M", Timestamp: mustUTC("2014-02-14T14:30:00Z"), Value: 1},
				{MetricName: "M", Timestamp: mustUTC("2014-02-14T14:30:00.25Z"), Value: 2, Unit: "Count"},
			}}},
		},
		{
			file: "-",
			in:   "  \n[{\"Namespace\":\"N\",\"MetricData\":[{\"MetricName\":\"M\",\"Value\":1,\"Timestamp\":60}]}]",
			why:  "no extension (standard input): the first non-space byte '[' chooses JSON",
			want: []Batch{{Namespace: "N", MetricData: []metric.Datum{{MetricName: "M", Value: 1, Timestamp: mustUTC("1970-01-01T00:01:00Z")}}}},
		},
		{
			file: "bom.csv",
			in:   "\uFEFFtimestamp,value,namespace,metric_name,dimensions\n2024-01-02T03:04:05Z,1,N,M,\n",
			why:  "a byte order mark before the header is skipped; an empty dimensions cell is no dimensions",
			want: []Batch{{Namespace: "N", MetricData: []metric.Datum{{MetricName: "M", Timestamp: mustUTC("2024-01-02T03:04:05Z"), Value: 1}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in := []byte(tt.in)
			if tt.in == "" {
				in = readTestdata(t, tt.file)
			}
			got, err := readMetrics(tt.file, bytes.NewReader(in), tt.def)
			if err != nil {
				t.Fatalf("ReadMetrics: %v (%s)", err, tt.why)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadMetrics (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

func TestReadMetricsOrder(t *testing.T) {
	// 2501 rows of namespace A a minute apart, with 3 rows of B stamped
	// at the first minute among them: the file is out of order, so it is
	// read whole and sorted by the evaluation that first sees each row.
	var b strings.Builder
	b.WriteString("timestamp,value,namespace,metric_name\n")
	t0 := mustUTC("2024-01-02T00:00:00Z")
	for i := range 2501 {
		fmt.Fprintf(&b, "%d,%d,A,M\n", t0.Unix()+int64(i)*60, i)
		if i%1000 == 500 {
			fmt.Fprintf(&b, "%d,%d,B,M\n", t0.Unix(), -i)
		}
	}
	m, err := OpenMetrics("big.csv", strings.NewReader(b.String()), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Sorted || m.OutOfOrder != "big.csv:503:1: 2024-01-02T00:00:00Z comes after 2024-01-02T08:20:00Z (line 502)" {
		t.Errorf("Sorted %v, OutOfOrder %q: want the first row of B (line 503) reported", m.Sorted, m.OutOfOrder)
	}
	got, err := readMetrics("big.csv", strings.NewReader(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	type shape struct {
		Namespace   string
		Len         int
		First, Last float64 // values of the first and last datum
	}
	var gotShape []shape
	for _, bt := range got {
		md := bt.MetricData
		gotShape = append(gotShape, shape{bt.Namespace, len(md), md[0].Value, md[len(md)-1].Value})
	}
	want := []shape{
		{"A", 1, 0, 0},
		{"B", 3, -500, -2500},
		{"A", 2500, 1, 2500},
	}
	if diff := cmp.Diff(want, gotShape); diff != "" {
		t.Errorf("order (-want +got):\n%s\nwhy: the rows of B belong to the first minute, with A's first row; within one minute the file's order stays", diff)
	}
}

func TestReadMetricsNAB(t *testing.T) {
	// The shared data sits beside the module: ../shared relative to the
	// module root, which is the parent of this package's directory.
	const file = "../../shared/data/nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv"
	f, err := os.Open(file)
	if err != nil {
		t.Skipf("skipping: the NAB data is not beside the module (%v)", err)
	}
	defer f.Close()
	got, err := readMetrics(filepath.Base(file), f, nabCPU)
	if err != nil {
		t.Fatal(err)
	}
	var all []metric.Datum
	for _, b := range got {
		if b.Namespace != "AWS/EC2" {
			t.Errorf("namespace %q, want AWS/EC2", b.Namespace)
		}
		all = append(all, b.MetricData...)
	}
	// The file has 4033 lines: the header and 4032 rows at 5-minute steps,
	// 2014-02-14 14:30 to 2014-02-28 14:25 (14 days = 4032 five-minute periods).
	if len(all) != 4032 {
		t.Errorf("%d datapoints, want 4032", len(all))
	}
	first := metric.Datum{MetricName: "CPUUtilization", Dimensions: nabCPU.Dimensions, Timestamp: mustUTC("2014-02-14T14:30:00Z"), Value: 0.132, Unit: "Percent"}
	last := metric.Datum{MetricName: "CPUUtilization", Dimensions: nabCPU.Dimensions, Timestamp: mustUTC("2014-02-28T14:25:00Z"), Value: 0.134, Unit: "Percent"}
	if diff := cmp.Diff([]metric.Datum{first, last}, []metric.Datum{all[0], all[len(all)-1]}); diff != "" {
		t.Errorf("first and last datum (-want +got):\n%s", diff)
	}
	for i := 1; i < len(all); i++ {
		if d := all[i].Timestamp.Sub(all[i-1].Timestamp); d != 5*time.Minute {
			t.Fatalf("row %d: step %v from the previous row, want 5m", i+2, d)
		}
	}
}

const (
	csvHdr = "timestamp,value,namespace,metric_name,dimensions,unit\n"
	csvTS  = "2024-01-02T03:04:05Z"
)

var csvErrorTests = []struct {
	name, in string
	def      *MetricRef
	want     string
	why      string
}{

	{"empty", "", nabCPU,
		`replay: m.csv: the file is empty, want a header row naming the columns (timestamp,value[,namespace,metric_name,dimensions,unit])`,
		"a header row is required"},

	{"header only", csvHdr, nabCPU, `replay: m.csv: the file has a header row but no data rows`, "an empty metrics file is a mistake"},

	{"no header", "2014-02-14 14:30:00,0.132\n", nabCPU,
		"replay: m.csv:1:1: unknown column \"2014-02-14 14:30:00\" in the header row (is the header row missing? it is required); want timestamp, value, namespace, metric_name, dimensions, unit\nreplay: m.csv:1:21: unknown column \"0.132\" in the header row (is the header row missing? it is required); want timestamp, value, namespace, metric_name, dimensions, unit",
		"a file without a header row starts with data"},

	{"missing columns", "time,value\n", nabCPU,
		`replay: m.csv:1:1: unknown column "time" in the header row (did you mean "timestamp"?); want timestamp, value, namespace, metric_name, dimensions, unit`,
		"column names are exact"},

	{"missing value column", "timestamp\n" + csvTS + "\n", nabCPU,
		`replay: m.csv:1:1: the header row has no value column (a header row naming the columns is required)`,
		"value is required"},

	{"missing both", "unit\nCount\n", nabCPU,
		`replay: m.csv:1:1: the header row has no timestamp or value column (a header row naming the columns is required)`,
		"all missing required columns are named"},

	{"duplicate column", "timestamp,value, Value\n", nabCPU,
		`replay: m.csv:1:17: column "value" appears twice in the header row`,
		"names are case-insensitive, so this is value twice"},

	{"namespace only", "timestamp,value,namespace\n", nabCPU,
		`replay: m.csv:1:17: the header row has a namespace column but no metric_name column (give both or neither)`,
		"a metric needs both"},

	{"metric name only", "timestamp,value,metric_name\n", nabCPU,
		`replay: m.csv:1:17: the header row has a metric_name column but no namespace column (give both or neither)`,
		"a metric needs both"},

	{"no metric columns, no default", "timestamp,value\n" + csvTS + ",1\n", nil,
		`replay: m.csv:1:1: the header row has no namespace and metric_name columns, and there is no default metric for the file to feed (the alarms watch more than one metric)`,
		"nil def: the missing columns are named"},

	{"dimensions without metric", "timestamp,value,dimensions\n", nabCPU,
		`replay: m.csv:1:17: a dimensions column needs namespace and metric_name columns`,
		"def's dimensions are part of its identity"},

	{"default without name", "timestamp,value\n" + csvTS + ",1\n", &MetricRef{Namespace: "N"},
		`replay: m.csv: the default metric needs a namespace and a metric name (got namespace "N", metric name "")`,
		"every datum needs a MetricName"},

	{"NaN", csvHdr + csvTS + ",NaN,N,M,,\n", nabCPU,
		`replay: m.csv:2:22: value "NaN" is not a finite number (CloudWatch accepts only finite values)`,
		"ParseFloat accepts NaN; CloudWatch does not"},

	{"Inf", "timestamp,value\n" + csvTS + ",-Inf\n", nabCPU,
		`replay: m.csv:2:22: value "-Inf" is not a finite number (CloudWatch accepts only finite values)`,
		"nor infinities"},

	{"out of range", "timestamp,value\n" + csvTS + ",1e400\n", nabCPU,
		`replay: m.csv:2:22: value "1e400" is out of the range of a float64`,
		"ParseFloat's range error"},

	{"not a number", "timestamp,value\n" + csvTS + ",12%\n", nabCPU,
		`replay: m.csv:2:22: value "12%" is not a number`,
		"values are plain numbers"},

	{"empty value", "timestamp,value\n" + csvTS + ", \n", nabCPU,
		`replay: m.csv:2:22: value "" is empty (leave the row out for a missing datapoint)`,
		"a missing datapoint is a missing row"},

	{"bad timestamp", "timestamp,value\n2024/01/02 03:04:05,1\n", nabCPU,
		`replay: m.csv:2:1: timestamp "2024/01/02 03:04:05" is not a time; ` + timeRuleText,
		"the rule lists the accepted forms"},

	{"empty timestamp", "timestamp,value\n,1\n", nabCPU,
		`replay: m.csv:2:1: timestamp "" is empty; ` + timeRuleText,
		"every row has a time"},

	{"empty namespace", csvHdr + csvTS + ",1,,M,,\n", nabCPU,
		`replay: m.csv:2:24: the namespace is empty`,
		"the namespace column names each row's metric"},

	{"empty metric name", csvHdr + csvTS + ",1,N,,,\n", nabCPU,
		`replay: m.csv:2:26: the metric_name is empty`,
		"the metric_name column names each row's metric"},

	{"dimension without =", csvHdr + csvTS + ",1,N,M,Host=a;AZ,\n", nabCPU,
		`replay: m.csv:2:28: dimension "AZ" has no '=' (want Name=Value;Name2=Value2)`,
		"dimensions are Name=Value pairs"},

	{"dimension without name", csvHdr + csvTS + ",1,N,M,=a,\n", nabCPU,
		`replay: m.csv:2:28: dimension "=a" has an empty name (want Name=Value;Name2=Value2)`,
		"a dimension has a name"},

	{"dimension without value", csvHdr + csvTS + ",1,N,M,Host=,\n", nabCPU,
		`replay: m.csv:2:28: dimension "Host=" has an empty value (want Name=Value;Name2=Value2)`,
		"a dimension has a value"},

	{"bad unit", csvHdr + csvTS + ",1,N,M,,Percents\n", nabCPU,
		`replay: m.csv:2:29: unit "Percents" is not one of CloudWatch's units (did you mean "Percent"?) (Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits, Kilobits, Megabits, Gigabits, Terabits, Percent, Count, Bytes/Second, Kilobytes/Second, Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, Gigabits/Second, Terabits/Second, Count/Second, None)`,
		"units are CloudWatch's StandardUnit set"},

	{"short row", "timestamp,value\n" + csvTS + ",1\n" + csvTS + "\n", nabCPU,
		`replay: m.csv:3:1: the row has 1 field, the header row 2`,
		"every row has the header's columns"},

	{"csv syntax", "timestamp,value\n" + csvTS + ",1\"2\n", nabCPU,
		`replay: m.csv:2:23: bare " in non-quoted-field`,
		"encoding/csv's error, with its position"},

	{"later line", "timestamp,value\n" + csvTS + ",1\n\n" + csvTS + ",x\n", nabCPU,
		`replay: m.csv:4:22: value "x" is not a number`,
		"blank lines are skipped but counted"},
}

func TestReadMetricsCSVErrors(t *testing.T) {
	for _, tt := range csvErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMetrics("m.csv", strings.NewReader(tt.in), tt.def)
			if err == nil {
				t.Fatalf("ReadMetrics = %+v, want error %q (%s)", got, tt.want, tt.why)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s\nwhy: %s", diff, tt.why)
			}
		})
	}
}

type brokenReader struct{}

func (brokenReader) Read([]byte) (int, error) { return 0, fmt.Errorf("disk on fire") }

func TestReadErrorsFromReader(t *testing.T) {
	if _, err := ReadAlarms("a.json", brokenReader{}); err == nil || err.Error() != "replay: a.json: disk on fire" {
		t.Errorf("ReadAlarms error = %v, want %q", err, "replay: a.json: disk on fire")
	}
	if _, err := readMetrics("m.csv", brokenReader{}, nil); err == nil || err.Error() != "replay: m.csv: disk on fire" {
		t.Errorf("ReadMetrics error = %v, want %q", err, "replay: m.csv: disk on fire")
	}
}
