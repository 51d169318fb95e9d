package composite

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// joinChildren returns "ALARM(c001) OR ALARM(c002) OR ..." for children
// first..last.
func joinChildren(first, last int) string {
	parts := make([]string, 0, last-first+1)
	for i := first; i <= last; i++ {
		parts = append(parts, fmt.Sprintf("ALARM(c%03d)", i))
	}
	return strings.Join(parts, " OR ")
}

// repeatJoin returns n copies of s joined by sep.
func repeatJoin(s, sep string, n int) string {
	return strings.Repeat(s+sep, n-1) + s
}

// nested returns x inside n pairs of parentheses.
func nested(x string, n int) string {
	return strings.Repeat("(", n) + x + strings.Repeat(")", n)
}

// compactLimitRule is a rule of exactly MaxRuleLength characters written
// without optional spaces, whose readable canonical form (one more space
// per OR) would be too long: its canonical form is itself.
var compactLimitRule = func() string {
	parts := make([]string, 100)
	for i := range parts {
		name := fmt.Sprintf("c%03d-", i) + strings.Repeat("x", 87) // 92 characters
		if i == 0 {
			name += strings.Repeat("y", MaxRuleLength-(100*(7+92)+99*3))
		}
		parts[i] = "ALARM(" + name + ")"
	}
	return strings.Join(parts, "OR ")
}()

const oldestRule = "(ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:SampleQueue Oldest Age Alarm) OR ALARM(other))"

// parseTests is the parser's table: every construct and every error. A row
// with err == "" must parse and print canonical; a row with err must fail
// with that message (RuleError.Message).
var parseTests = []struct {
	name      string
	in        string
	canonical string
	err       string
	why       string
}{
	// The documented examples.
	{name: "doc and", in: "ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh)",
		canonical: "ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh)",
		why:       "first example of the API reference; already canonical"},
	{name: "doc and not", in: "ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)",
		canonical: "ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)",
		why:       "NOT binds tighter than AND, so no parentheses are needed"},
	{name: "doc grouping", in: "(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)",
		canonical: "(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)",
		why:       "an OR inside an AND keeps its parentheses"},
	{name: "doc at_least count", in: "AT_LEAST(2, ALARM, (WebServer1CPU, WebServer2CPU, WebServer3CPU, WebServer4CPU))",
		canonical: "AT_LEAST(2, ALARM, (WebServer1CPU, WebServer2CPU, WebServer3CPU, WebServer4CPU))",
		why:       "User Guide example: absolute count"},
	{name: "doc at_least percent", in: "AT_LEAST(50%, OK, (DatabaseConnection1, DatabaseConnection2, DatabaseConnection3, DatabaseConnection4))",
		canonical: "AT_LEAST(50%, OK, (DatabaseConnection1, DatabaseConnection2, DatabaseConnection3, DatabaseConnection4))",
		why:       "User Guide example: percentage"},
	{name: "doc at_least and not", in: "AT_LEAST(2, ALARM, (AZ1Health, AZ2Health, AZ3Health)) AND NOT ALARM(MaintenanceWindow)",
		canonical: "AT_LEAST(2, ALARM, (AZ1Health, AZ2Health, AZ3Health)) AND NOT ALARM(MaintenanceWindow)",
		why:       "User Guide example: AT_LEAST is an operand like any other"},
	{name: "doc multi-line", in: "(ALARM(\"CPUUtilizationTooHigh\") OR \nALARM(\"DiskReadOpsTooHigh\")) AND \nOK(\"NetworkOutTooHigh\")",
		canonical: "(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)",
		why:       "User Guide example over three lines: line ends are white space, and quotes that are not needed go"},

	// Literals, functions, operators.
	{name: "true", in: "TRUE", canonical: "TRUE", why: "a literal alone is a rule"},
	{name: "false", in: "FALSE", canonical: "FALSE", why: "the rule CDK emits for an empty anyOf/allOf"},
	{name: "ok and insufficient", in: "OK(a) OR INSUFFICIENT_DATA(b)", canonical: "OK(a) OR INSUFFICIENT_DATA(b)",
		why: "the other two state functions"},
	{name: "and binds tighter than or", in: "ALARM(a) OR ALARM(b) AND ALARM(c)", canonical: "ALARM(a) OR ALARM(b) AND ALARM(c)",
		why: "parsed as a OR (b AND c), which needs no parentheses"},
	{name: "or in and keeps parentheses", in: "(ALARM(a) OR ALARM(b)) AND ALARM(c)", canonical: "(ALARM(a) OR ALARM(b)) AND ALARM(c)",
		why: "without them the rule would mean a OR (b AND c)"},
	{name: "not binds tighter than and", in: "NOT ALARM(a) AND OK(b)", canonical: "NOT ALARM(a) AND OK(b)",
		why: "parsed as (NOT a) AND b"},
	{name: "not of a group", in: "NOT (ALARM(a) AND OK(b))", canonical: "NOT (ALARM(a) AND OK(b))",
		why: "NOT of an AND needs the parentheses; CDK writes (NOT (x))"},
	{name: "not without space", in: "NOT(ALARM(a))", canonical: "NOT ALARM(a)",
		why: "a parenthesis ends the word NOT; the group around one function is redundant"},
	{name: "double not", in: "NOT NOT TRUE", canonical: "NOT NOT TRUE", why: "NOT applies to a NOT"},
	{name: "redundant parentheses", in: "((ALARM(a)))", canonical: "ALARM(a)", why: "grouping one operand changes nothing"},
	{name: "associative groups flatten", in: "(ALARM(a) AND ALARM(b)) AND (ALARM(c) AND ALARM(d))",
		canonical: "ALARM(a) AND ALARM(b) AND ALARM(c) AND ALARM(d)", why: "AND is associative; canonical text drops the groups"},
	{name: "cdk shape", in: "((ALARM(a) OR ALARM(b) OR ALARM(c)) AND (NOT (OK(d))))",
		canonical: "(ALARM(a) OR ALARM(b) OR ALARM(c)) AND NOT OK(d)", why: "CDK wraps every group; only the OR inside AND needs it"},
	{name: "operators next to parentheses", in: "(TRUE)AND(FALSE)OR(TRUE)", canonical: "TRUE AND FALSE OR TRUE",
		why: "white space is needed only between two words"},
	{name: "white space everywhere", in: " \tALARM ( a )\r\n  OR\n\nOK(\tb\t) \n", canonical: "ALARM(a) OR OK(b)",
		why: "spaces, tabs and line ends may surround any token, also at both ends of the rule"},

	// References.
	{name: "arn", in: "ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high)",
		canonical: "ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high)", why: "an ARN is a bare reference"},
	{name: "quoted arns as cdk writes them", in: `ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:a") OR ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:b")`,
		canonical: "ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:a) OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:b)",
		why:       "quotes around a reference that needs none are dropped"},
	{name: "quoted with spaces", in: `ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:SampleQueue Oldest Age Alarm")`,
		canonical: `ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:SampleQueue Oldest Age Alarm")`,
		why:       "the fix for the aws-cdk#13953 error: a name with spaces must stay quoted"},
	{name: "quoted with escapes", in: `OK("say \"hi\" \\ (now), ok")`, canonical: `OK("say \"hi\" \\ (now), ok")`,
		why: `\" and \\ are the escapes; brackets and commas are plain characters inside quotes`},
	{name: "backslash in bare reference", in: `ALARM(a\b) OR ALARM("c\\d")`, canonical: `ALARM(a\b) OR ALARM(c\d)`,
		why: "a backslash is an ordinary character outside quotes, so c\\d needs no quotes"},
	{name: "keywords as names", in: `ALARM(OK) AND OK(ALARM) AND ALARM("AND") AND ALARM(NOT)`, canonical: "ALARM(OK) AND OK(ALARM) AND ALARM(AND) AND ALARM(NOT)",
		why: "where a reference is expected, any word is a reference"},
	{name: "unicode names", in: `ALARM(café-€) OR ALARM("日本 アラーム")`, canonical: `ALARM(café-€) OR ALARM("日本 アラーム")`,
		why: "alarm names are UTF-8; only the space forces quotes"},
	{name: "percent sign in name", in: "ALARM(50%)", canonical: "ALARM(50%)", why: "a reference may look like a threshold"},

	// AT_LEAST.
	{name: "at_least not state", in: "AT_LEAST(50%, NOT OK, (a, b))", canonical: "AT_LEAST(50%, NOT OK, (a, b))",
		why: "NOT STATE is one of the six documented conditions"},
	{name: "at_least compact", in: `AT_LEAST(2,ALARM,(a,"b c",d))`, canonical: `AT_LEAST(2, ALARM, (a, "b c", d))`,
		why: "the canonical form puts a space after each comma"},
	{name: "at_least white space", in: "AT_LEAST ( 2 ,\n NOT\n  INSUFFICIENT_DATA , ( a , b ) )",
		canonical: "AT_LEAST(2, NOT INSUFFICIENT_DATA, (a, b))", why: "white space is allowed between all tokens"},
	{name: "at_least count equals list", in: "AT_LEAST(3, ALARM, (a, b, c))", canonical: "AT_LEAST(3, ALARM, (a, b, c))",
		why: "M may be the length of the list (all of them)"},
	{name: "at_least leading zeros", in: "AT_LEAST(002, ALARM, (a, b))", canonical: "AT_LEAST(2, ALARM, (a, b))",
		why: "M is a decimal number; canonical text drops leading zeros"},
	{name: "at_least percent bounds", in: "AT_LEAST(1%, ALARM, (a)) AND AT_LEAST(100%, OK, (a, b))",
		canonical: "AT_LEAST(1%, ALARM, (a)) AND AT_LEAST(100%, OK, (a, b))", why: "1% and 100% are the bounds"},
	{name: "at_least repeated alarm", in: "AT_LEAST(2, ALARM, (a, a))", canonical: "AT_LEAST(2, ALARM, (a, a))",
		why: "each listed entry counts, also a repeated one"},
	{name: "not at_least", in: "NOT AT_LEAST(1, ALARM, (a, b)) OR TRUE", canonical: "NOT AT_LEAST(1, ALARM, (a, b)) OR TRUE",
		why: "AT_LEAST is a primary: NOT and OR apply to it"},
	{name: "at_least keywords as names", in: "AT_LEAST(1, ALARM, (ALARM, NOT))", canonical: "AT_LEAST(1, ALARM, (ALARM, NOT))",
		why: "list entries are references, whatever they spell"},

	// Limits that are met exactly.
	{name: "100 children", in: joinChildren(1, 100) + " OR OK(c001)", canonical: joinChildren(1, 100) + " OR OK(c001)",
		why: "100 distinct alarms are allowed; a repeated one does not count again"},
	{name: "500 elements", in: repeatJoin("TRUE", " OR ", 500), canonical: repeatJoin("TRUE", " OR ", 500),
		why: "500 elements are allowed"},
	{name: "500 elements with parentheses", in: repeatJoin("(TRUE OR FALSE)", " AND ", 125), canonical: repeatJoin("(TRUE OR FALSE)", " AND ", 125),
		why: "125 groups of two parentheses and two literals are 500 elements"},
	{name: "depth 100", in: nested("TRUE", 100), canonical: "TRUE", why: "100 levels of parentheses are allowed"},
	{name: "100 nots", in: strings.Repeat("NOT ", 100) + "TRUE", canonical: strings.Repeat("NOT ", 100) + "TRUE",
		why: "NOT opens a level too; 100 are allowed"},
	{name: "10240 characters", in: "ALARM(" + strings.Repeat("a", MaxRuleLength-7) + ")",
		canonical: "ALARM(" + strings.Repeat("a", MaxRuleLength-7) + ")", why: "the longest rule allowed"},
	{name: "10240 characters compact", in: compactLimitRule, canonical: compactLimitRule,
		why: "its readable form would have 10339 characters, so String keeps the compact one, which parses again"},

	// CloudWatch's own errors.
	{name: "empty parentheses", in: "()", err: "Error in AlarmRule [Unsupported token ')' at char 1]",
		why: "real CloudWatch error for the rule CDK emitted for an empty anyOf (aws-cdk#34662)"},
	{name: "unquoted name with spaces", in: oldestRule,
		err: "Error in AlarmRule [Unsupported token 'Oldest' at char 67, must be: ')']",
		why: "real CloudWatch error (aws-cdk#13953): the reference ends at the space, and a ')' must follow; 0-based offset"},
	{name: "empty", in: "",
		err: "1 validation error detected: Value '' at 'alarmRule' failed to satisfy constraint: Member must have length greater than or equal to 1",
		why: "AlarmRule has a minimum length of 1"},
	{name: "10241 characters", in: "ALARM(" + strings.Repeat("a", MaxRuleLength-6) + ")",
		err: "1 validation error detected: Value 'ALARM(" + strings.Repeat("a", MaxRuleLength-6) + ")' at 'alarmRule' failed to satisfy constraint: Member must have length less than or equal to 10240",
		why: "AlarmRule has a maximum length of 10240"},
	{name: "100000 nested parentheses", in: nested("TRUE", 100000),
		err: "1 validation error detected: Value '" + nested("TRUE", 100000) + "' at 'alarmRule' failed to satisfy constraint: Member must have length less than or equal to 10240",
		why: "the length limit stops it before any parsing (TestDeepNestingWithoutLengthLimit checks the parser alone)"},

	// Syntax errors.
	{name: "white space only", in: " \n", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 2]",
		why: "an expression is missing; at the end there is no token to name"},
	{name: "unclosed group", in: "(ALARM(a)", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 9, must be: 'AND', 'OR' or ')']",
		why: "unbalanced: the group is not closed"},
	{name: "extra closing parenthesis", in: "ALARM(a))", err: "Error in AlarmRule [Unsupported token ')' at char 8, must be: 'AND', 'OR' or the end of the rule]",
		why: "unbalanced: nothing is open"},
	{name: "closing parenthesis first", in: ")", err: "Error in AlarmRule [Unsupported token ')' at char 0]",
		why: "an expression must come first; like CloudWatch, nothing is listed"},
	{name: "unclosed function", in: "ALARM(a", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 7, must be: ')']",
		why: "a state function needs its ')'"},
	{name: "missing operand at end", in: "ALARM(a) AND", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 12]",
		why: "AND needs a right operand"},
	{name: "missing operand at start", in: "OR ALARM(a)", err: "Error in AlarmRule [Unsupported token 'OR' at char 0]",
		why: "OR needs a left operand"},
	{name: "two operators", in: "ALARM(a) OR AND ALARM(b)", err: "Error in AlarmRule [Unsupported token 'AND' at char 12]",
		why: "an operand must follow OR"},
	{name: "juxtaposed functions", in: "ALARM(a) ALARM(b)", err: "Error in AlarmRule [Unsupported token 'ALARM' at char 9, must be: 'AND', 'OR' or the end of the rule]",
		why: "two operands need an operator"},
	{name: "not at end", in: "TRUE AND NOT", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 12]",
		why: "NOT needs an operand"},
	{name: "bare name alone", in: "cpu-high", err: "Error in AlarmRule [Unsupported token 'cpu-high' at char 0]",
		why: "a reference alone is not a rule: it needs a state function"},
	{name: "function without parentheses", in: "ALARM cpu-high", err: "Error in AlarmRule [Unsupported token 'cpu-high' at char 6, must be: '(']",
		why: "a state function takes its reference in parentheses"},
	{name: "function at end", in: "OK", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 2, must be: '(']",
		why: "OK alone is a function without its argument"},
	{name: "empty function", in: "ALARM()", err: "Error in AlarmRule [Unsupported token ')' at char 6, must be: an alarm name or ARN]",
		why: "a state function needs a reference"},
	{name: "empty quoted reference", in: `ALARM("")`, err: `Error in AlarmRule [Unsupported token '""' at char 6, must be: an alarm name or ARN]`,
		why: "an alarm name has at least one character"},
	{name: "two references", in: "ALARM(a, b)", err: "Error in AlarmRule [Unsupported token ',' at char 7, must be: ')']",
		why: "a state function takes one reference"},
	{name: "nested function", in: "ALARM(OK(a))", err: "Error in AlarmRule [Unsupported token '(' at char 8, must be: ')']",
		why: "the reference is OK; a '(' cannot follow it"},
	{name: "quote inside bare reference", in: `ALARM(a"b")`, err: `Error in AlarmRule [Unsupported token '"b"' at char 7, must be: ')']`,
		why: "a double quote ends a bare reference"},
	{name: "unterminated quote", in: `ALARM("abc) OR TRUE`, err: `Error in AlarmRule [Unterminated quoted alarm name '"abc) OR TRUE' at char 6, must end with '"']`,
		why: "the quoted reference runs to the end of the rule"},
	{name: "bad escape", in: `ALARM("a\nb")`, err: `Error in AlarmRule [Unsupported escape '\n' at char 8, must be: '\"' or '\\']`,
		why: `only \" and \\ are escapes`},
	{name: "backslash at end", in: `ALARM("a\`, err: `Error in AlarmRule [Unsupported escape '\' at char 8, must be: '\"' or '\\']`,
		why: "a backslash needs a character after it"},
	{name: "line end in token is escaped in message", in: "\"a\nb\"", err: `Error in AlarmRule [Unsupported token '"a\u000ab"' at char 0]`,
		why: "the message stays on one line; Token keeps the line end"},
	{name: "invalid utf-8", in: "ALARM(caf\xe9)", err: `Error in AlarmRule [Invalid UTF-8 byte '\xe9' at char 9]`,
		why: "the rule must be UTF-8 text"},

	// Keyword case.
	{name: "lower-case function", in: "alarm(cpu)", err: "Error in AlarmRule [Unsupported token 'alarm' at char 0 (keywords are upper case)]",
		why: "keywords are upper case only; the message says so"},
	{name: "lower-case operator", in: "ALARM(a) and ALARM(b)", err: "Error in AlarmRule [Unsupported token 'and' at char 9, must be: 'AND', 'OR' or the end of the rule (keywords are upper case)]",
		why: "keywords are upper case only"},
	{name: "mixed-case literal", in: "False", err: "Error in AlarmRule [Unsupported token 'False' at char 0 (keywords are upper case)]",
		why: "the CLI docs' \"False\" is not accepted: keywords are upper case only"},
	{name: "lower-case not", in: "not ALARM(a)", err: "Error in AlarmRule [Unsupported token 'not' at char 0 (keywords are upper case)]",
		why: "keywords are upper case only"},
	{name: "lower-case at_least", in: "at_least(1, ALARM, (a))", err: "Error in AlarmRule [Unsupported token 'at_least' at char 0 (keywords are upper case)]",
		why: "keywords are upper case only"},
	{name: "lower-case at_least state", in: "AT_LEAST(1, alarm, (a))", err: "Error in AlarmRule [Unsupported token 'alarm' at char 12, must be: 'ALARM', 'OK', 'INSUFFICIENT_DATA' or 'NOT' (keywords are upper case)]",
		why: "keywords are upper case only"},

	// AT_LEAST errors.
	{name: "at_least zero", in: "AT_LEAST(0, ALARM, (a, b))", err: "Error in AlarmRule [Unsupported AT_LEAST threshold '0' at char 9, must be: a count from 1 to 2 (the number of alarms listed) or a percentage]",
		why: "a count of 0 is always true; CDK rejects it"},
	{name: "at_least above list", in: "AT_LEAST(3, ALARM, (a, b))", err: "Error in AlarmRule [Unsupported AT_LEAST threshold '3' at char 9, must be: a count from 1 to 2 (the number of alarms listed) or a percentage]",
		why: "a count above the list's length is never true; CDK rejects it"},
	{name: "at_least huge", in: "AT_LEAST(99999999999999999999, ALARM, (a))", err: "Error in AlarmRule [Unsupported AT_LEAST threshold '99999999999999999999' at char 9, must be: a count from 1 to 1 (the number of alarms listed) or a percentage]",
		why: "a count that overflows is out of range, not wrapped"},
	{name: "at_least zero percent", in: "AT_LEAST(0%, OK, (a))", err: "Error in AlarmRule [Unsupported AT_LEAST threshold '0%' at char 9, must be: a percentage from 1% to 100%]",
		why: "0% is always true; CDK rejects it"},
	{name: "at_least above 100 percent", in: "AT_LEAST(101%, OK, (a))", err: "Error in AlarmRule [Unsupported AT_LEAST threshold '101%' at char 9, must be: a percentage from 1% to 100%]",
		why: "more than all of them is never true"},
	{name: "at_least word threshold", in: "AT_LEAST(two, OK, (a, b))", err: "Error in AlarmRule [Unsupported token 'two' at char 9, must be: a count or a percentage, such as 2 or 50%]",
		why: "M is digits, optionally followed by %"},
	{name: "at_least negative", in: "AT_LEAST(-1, OK, (a))", err: "Error in AlarmRule [Unsupported token '-1' at char 9, must be: a count or a percentage, such as 2 or 50%]",
		why: "M has no sign"},
	{name: "at_least fraction", in: "AT_LEAST(1.5, OK, (a, b))", err: "Error in AlarmRule [Unsupported token '1.5' at char 9, must be: a count or a percentage, such as 2 or 50%]",
		why: "M is an integer"},
	{name: "at_least bare percent", in: "AT_LEAST(%, OK, (a, b))", err: "Error in AlarmRule [Unsupported token '%' at char 9, must be: a count or a percentage, such as 2 or 50%]",
		why: "a percentage needs digits"},
	{name: "at_least spaced percent", in: "AT_LEAST(50 %, OK, (a, b))", err: "Error in AlarmRule [Unsupported token '%' at char 12, must be: ',']",
		why: "the % sign belongs to the number, without a space"},
	{name: "at_least missing threshold", in: "AT_LEAST(ALARM, (a, b))", err: "Error in AlarmRule [Unsupported token 'ALARM' at char 9, must be: a count or a percentage, such as 2 or 50%]",
		why: "M comes first"},
	{name: "at_least bad state", in: "AT_LEAST(1, BREACHING, (a))", err: "Error in AlarmRule [Unsupported token 'BREACHING' at char 12, must be: 'ALARM', 'OK', 'INSUFFICIENT_DATA' or 'NOT']",
		why: "the condition is one of the three states, optionally negated"},
	{name: "at_least not without state", in: "AT_LEAST(1, NOT, (a))", err: "Error in AlarmRule [Unsupported token ',' at char 15, must be: 'ALARM', 'OK' or 'INSUFFICIENT_DATA']",
		why: "NOT must be followed by a state"},
	{name: "at_least double not", in: "AT_LEAST(1, NOT NOT OK, (a))", err: "Error in AlarmRule [Unsupported token 'NOT' at char 16, must be: 'ALARM', 'OK' or 'INSUFFICIENT_DATA']",
		why: "the condition allows one NOT"},
	{name: "at_least empty list", in: "AT_LEAST(1, ALARM, ())", err: "Error in AlarmRule [Unsupported token ')' at char 20, must be: an alarm name or ARN]",
		why: "the list has at least one alarm"},
	{name: "at_least trailing comma", in: "AT_LEAST(1, ALARM, (a,))", err: "Error in AlarmRule [Unsupported token ')' at char 22, must be: an alarm name or ARN]",
		why: "a comma must be followed by a reference"},
	{name: "at_least list without parentheses", in: "AT_LEAST(1, ALARM, a, b)", err: "Error in AlarmRule [Unsupported token 'a' at char 19, must be: '(']",
		why: "the list is in parentheses"},
	{name: "at_least unclosed list", in: "AT_LEAST(1, ALARM, (a, b)", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 25, must be: ')']",
		why: "AT_LEAST needs its closing parenthesis"},
	{name: "at_least list missing comma", in: "AT_LEAST(1, ALARM, (a b))", err: "Error in AlarmRule [Unsupported token 'b' at char 22, must be: ',' or ')']",
		why: "entries are separated by commas"},
	{name: "at_least without arguments", in: "AT_LEAST", err: "Error in AlarmRule [Unexpected end of AlarmRule at char 8, must be: '(']",
		why: "AT_LEAST is a function"},
	{name: "at_least missing state", in: "AT_LEAST(1, (a))", err: "Error in AlarmRule [Unsupported token '(' at char 12, must be: 'ALARM', 'OK', 'INSUFFICIENT_DATA' or 'NOT']",
		why: "the condition is required"},

	// Limits exceeded.
	{name: "101 children", in: joinChildren(1, 101), err: "Error in AlarmRule [Too many alarms at char 1506: 'c101' is distinct alarm 101, must be at most 100]",
		why: "at most 100 child alarms; the 101st is at 100*15+6"},
	{name: "101 children in at_least", in: "AT_LEAST(1, ALARM, (" + strings.Join(func() []string {
		s := make([]string, 101)
		for i := range s {
			s[i] = fmt.Sprintf("c%03d", i+1)
		}
		return s
	}(), ",") + "))", err: "Error in AlarmRule [Too many alarms at char 520: 'c101' is distinct alarm 101, must be at most 100]",
		why: "AT_LEAST entries are children too"},
	{name: "501 elements", in: repeatJoin("TRUE", " OR ", 501), err: "Error in AlarmRule [Too many elements at char 4000: 'TRUE' is element 501, must be at most 500 (alarm references, TRUE, FALSE and grouping parentheses each count)]",
		why: "at most 500 elements; the 501st literal starts at 500*8"},
	{name: "501 elements with parentheses", in: repeatJoin("(TRUE OR FALSE)", " AND ", 125) + " AND (TRUE)",
		err: "Error in AlarmRule [Too many elements at char 2500: '(' is element 501, must be at most 500 (alarm references, TRUE, FALSE and grouping parentheses each count)]",
		why: "125 groups of four elements are 500; the next '(' (at 125*15+124*5+5) is element 501"},
	{name: "501 elements with references", in: repeatJoin("ALARM(a)", " OR ", 501),
		err: "Error in AlarmRule [Too many elements at char 6006: 'a' is element 501, must be at most 500 (alarm references, TRUE, FALSE and grouping parentheses each count)]",
		why: "every reference counts, also a repeated one"},
	{name: "depth 101", in: nested("TRUE", 101), err: "Error in AlarmRule [Nesting too deep at char 100: '(' opens level 101, must be at most 100 (grouping parentheses and NOT each open a level)]",
		why: "at most 100 levels"},
	{name: "101 nots", in: strings.Repeat("NOT ", 101) + "TRUE", err: "Error in AlarmRule [Nesting too deep at char 400: 'NOT' opens level 101, must be at most 100 (grouping parentheses and NOT each open a level)]",
		why: "NOT opens a level"},
	{name: "depth mixing not and parentheses", in: strings.Repeat("NOT (", 51) + "TRUE" + strings.Repeat(")", 51),
		err: "Error in AlarmRule [Nesting too deep at char 250: 'NOT' opens level 101, must be at most 100 (grouping parentheses and NOT each open a level)]",
		why: "each \"NOT (\" opens two levels: 50 of them are 100, and the 51st NOT (at 50*5) is level 101"},
}

// TestParse runs the parser table.
func TestParse(t *testing.T) {
	for _, tc := range parseTests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.in)
			if tc.err != "" {
				if err == nil {
					t.Fatalf("Parse(%.80q) = %q, want error %q\nwhy: %s", tc.in, r.String(), tc.err, tc.why)
				}
				var re *RuleError
				if !errors.As(err, &re) {
					t.Fatalf("Parse(%.80q) error %T %v, want a *RuleError", tc.in, err, err)
				}
				if diff := cmp.Diff(tc.err, re.Message); diff != "" {
					t.Errorf("Parse(%.80q) message mismatch (-want +got):\n%s\nwhy: %s", tc.in, diff, tc.why)
				}
				checkRuleError(t, tc.in, re)
				return
			}
			if err != nil {
				t.Fatalf("Parse(%.80q): %v\nwhy: %s", tc.in, err, tc.why)
			}
			got := r.String()
			if diff := cmp.Diff(tc.canonical, got); diff != "" {
				t.Errorf("Parse(%.80q).String() mismatch (-want +got):\n%s\nwhy: %s", tc.in, diff, tc.why)
			}
			r2, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse(canonical %.80q): %v", got, err)
			}
			if diff := cmp.Diff(got, r2.String()); diff != "" {
				t.Errorf("canonical text does not round-trip (-want +got):\n%s", diff)
			}
		})
	}
}

// checkRuleError checks what every *RuleError promises: the error code,
// errors.Is with ErrValidation, and Token found at Char in the rule.
func checkRuleError(t *testing.T, rule string, re *RuleError) {
	t.Helper()
	if !errors.Is(re, ErrValidation) {
		t.Errorf("errors.Is(%v, ErrValidation) = false", re)
	}
	var ce *cwerr.Error
	if !errors.As(re, &ce) || ce.Code != cwerr.ValidationError || ce.Pkg != "composite" {
		t.Errorf("error %v does not unwrap to a composite ValidationError", re)
	}
	if want := "composite: ValidationError: " + re.Message; re.Error() != want {
		t.Errorf("Error() = %q, want %q", re.Error(), want)
	}
	if re.Char == -1 {
		if re.Token != "" {
			t.Errorf("whole-rule error has Token %q", re.Token)
		}
		return
	}
	// Char counts characters; find its byte offset.
	pos, char := 0, 0
	for char < re.Char && pos < len(rule) {
		_, n := utf8.DecodeRuneInString(rule[pos:])
		pos += n
		char++
	}
	if char != re.Char || !strings.HasPrefix(rule[pos:], re.Token) {
		t.Errorf("Token %q is not at char %d of %.80q (found %.20q)", re.Token, re.Char, rule, rule[pos:])
	}
	if re.Token == "" && pos != len(rule) {
		t.Errorf("empty Token at char %d, before the end of %.80q", re.Char, rule)
	}
}

// TestDeepNestingWithoutLengthLimit parses 100,000 nested parentheses with
// the length limit out of the way: the depth limit stops the parser at the
// 101st, at once and without deep recursion.
func TestDeepNestingWithoutLengthLimit(t *testing.T) {
	for _, in := range []string{nested("TRUE", 100000), strings.Repeat("NOT ", 100000) + "TRUE", strings.Repeat("(NOT ", 100000)} {
		start := time.Now()
		_, err := parse(in)
		var re *RuleError
		if !errors.As(err, &re) || !strings.HasPrefix(re.Message, "Error in AlarmRule [Nesting too deep at char ") {
			t.Fatalf("parse(%.20q...) error = %v, want the nesting error", in, err)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("parse(%.20q...) took %v", in, d)
		}
	}
}
