// Package composite is CloudWatch's composite alarm without the engine: it
// parses and evaluates an AlarmRule, validates a PutCompositeAlarm
// configuration, holds actions back as an ActionsSuppressor does, and
// renders the composite's StateReason and StateReasonData byte for byte.
//
// The main types: [Rule] (from [Parse]: the distinct children, Eval and
// canonical String), [Config] (PutCompositeAlarm's fields and Validate),
// [Suppression] (the suppression state machine; time is an argument) and
// the reason functions [ChildReason], [CreatedReason] and [ReasonData].
//
//	r, err := composite.Parse(`ALARM(cpu-high) AND NOT ALARM("deploy window")`) // once, at Put
//	names := r.Children()                                     // ["cpu-high" "deploy window"]: resolve them
//	states := []alarm.State{alarm.StateAlarm, alarm.StateOK} // one per child, in that order
//	st := r.State(states)                                     // ALARM: the rule is true
//	reason := composite.ChildReason(childARN, alarm.StateAlarm, changedAt)
//
// A Rule is immutable; Eval allocates nothing and reads the children's
// states in a flat compiled program, so a composite can be re-evaluated
// after every child transition.
//
// # Grammar
//
// The rule text is UTF-8. White space (space, tab, line feed, carriage
// return) may appear between any two tokens and must separate two words;
// it may also begin and end the rule. Keywords are upper case.
//
//	rule       = or_expr ;
//	or_expr    = and_expr { "OR" and_expr } ;
//	and_expr   = unary { "AND" unary } ;
//	unary      = "NOT" unary | primary ;
//	primary    = "(" or_expr ")" | state_fn | "TRUE" | "FALSE" | at_least ;
//	state_fn   = state "(" alarm_ref ")" ;
//	state      = "ALARM" | "OK" | "INSUFFICIENT_DATA" ;
//	at_least   = "AT_LEAST" "(" threshold "," at_state "," "(" alarm_list ")" ")" ;
//	threshold  = digit { digit } [ "%" ] ;
//	at_state   = [ "NOT" ] state ;
//	alarm_list = alarm_ref { "," alarm_ref } ;
//	alarm_ref  = quoted_ref | word ;
//	quoted_ref = '"' { char - ( '"' | '\' ) | '\"' | '\\' } '"' ;
//	word       = wordchar { wordchar } ;
//	wordchar   = char - ( ws | "(" | ")" | "," | '"' ) ;
//	ws         = " " | "\t" | "\n" | "\r" ;
//
// NOT binds tighter than AND, and AND tighter than OR: "ALARM(a) OR
// ALARM(b) AND NOT OK(c)" is "ALARM(a) OR (ALARM(b) AND (NOT OK(c)))".
// Where a reference is expected, any word is a reference, keywords
// included: ALARM(OK) watches the alarm named "OK". A reference is an
// alarm name or ARN; it may not be empty.
//
// ALARM(x), OK(x) and INSUFFICIENT_DATA(x) are true when x is in that
// state; a child in INSUFFICIENT_DATA makes ALARM(x) and OK(x) false.
// AT_LEAST(M, [NOT] STATE, (a, b, ...)) is true when at least M of the
// listed alarms meet the condition (is, or with NOT is not, in STATE); M%
// means at least M percent of them: count × 100 ≥ M × len(list). The
// composite is ALARM when the rule is true and OK when it is false.
//
// Limits: 1 to 10240 characters, at most 100 distinct child alarms, at most
// 500 elements and at most 100 levels of nesting ([MaxRuleLength],
// [MaxChildren], [MaxElements], [MaxDepth]; see Parse for what is counted).
//
// # Caveats
//
// CloudWatch leaves these undocumented; the package chooses:
//
//   - Precedence: NOT > AND > OR, and AND and OR may be mixed without
//     parentheses. Every AWS example that mixes them uses parentheses.
//   - Keywords are upper case only ("alarm(x)" and "False" are errors,
//     whose message says that keywords are upper case), since every
//     documented form is upper case; an old CLI text writes "False".
//   - White space: the four characters above, allowed before and after the
//     rule (some emulators reject that), needed only between two words:
//     "NOT(ALARM(a))" and "ALARM(a)AND(OK(b))" parse.
//   - Quoted references know only the escapes \" and \\; any other
//     backslash sequence is an error. In a bare reference a backslash is an
//     ordinary character. An empty reference ("") is an error.
//   - "char N" in errors and the 10240 limit count Unicode code points,
//     from 0. A Java service may count UTF-16 units; the two differ only
//     after a character outside the Basic Multilingual Plane.
//   - Nesting: at most 100 grouping parentheses and NOT operators may be
//     open at any point. CloudWatch documents no depth limit.
//   - Elements: every alarm reference (each time it appears, also in
//     AT_LEAST lists), every TRUE and FALSE, and every grouping "(" and
//     ")" count one; the brackets of ALARM(...), OK(...),
//     INSUFFICIENT_DATA(...) and AT_LEAST are not counted.
//   - Distinct children are compared after unquoting, as written: an
//     alarm's name and its ARN count as two children (resolving ARNs is the
//     engine's job).
//   - AT_LEAST: a count M is 1 to the number of alarms listed, a
//     percentage 1% to 100% (as CDK validates); leading zeros are allowed;
//     an alarm listed twice counts twice; white space is allowed after
//     AT_LEAST as after the state functions.
//   - Errors: CloudWatch's forms are kept ("Error in AlarmRule
//     [Unsupported token ')' at char 1]", "..., must be: ')']" and the
//     "1 validation error detected" form for the length). Where an
//     expression is expected the message lists nothing, as CloudWatch's
//     does; the other expected-token lists, "Unexpected end of AlarmRule
//     at char N", and the messages for the limits, escapes, unterminated
//     quotes and invalid UTF-8 are Klaxon's wording.
//   - String prints a canonical form (see [Rule.String]); when that is
//     longer than 10240 characters it prints a compact form instead, which
//     always parses again. CloudWatch itself returns a rule as submitted.
//   - Eval counts a child with no state given as INSUFFICIENT_DATA.
//   - Suppression: ActionsSuppressedReason is "Actions suppressed by "
//     and ActionsSuppressedBy; only "Actions suppressed by WaitPeriod" has
//     been observed. Held actions run once, for the composite's current
//     state, when a WaitPeriod or ExtensionPeriod ends; when one ends
//     without a composite transition held, no action runs. A composite
//     transition during an ExtensionPeriod starts a WaitPeriod (the
//     current User Guide; its 2023 text let the ExtensionPeriod run on).
//     The periods hold OK and INSUFFICIENT_DATA actions as they hold ALARM
//     ones. Replacing the suppressor (or its periods) discards the running
//     period and the actions it held. Periods of 0 hold nothing.
//   - Config: ActionsSuppressorWaitPeriod and
//     ActionsSuppressorExtensionPeriod are required when ActionsSuppressor
//     is set and rejected when it is not; each is 0 to 2147483647 seconds.
//   - ReasonData does not cut its output to StateReasonData's 4000
//     characters; right after creation a composite with many children
//     would exceed it, and CloudWatch's behaviour then is unknown.
package composite
