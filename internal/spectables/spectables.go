// Package spectables holds the published tables of CloudWatch's behaviour
// that several test suites check (the pure evaluation, the engine, the
// command line), so that each checks the same rows.
package spectables

// Keep marks a "retain current state" cell.
const Keep = "retain current state"

// Policies are the TreatMissingData values, in the order of the columns of
// MissingData.
var Policies = [4]string{"missing", "ignore", "breaching", "notBreaching"}

// A Row is one row of a missing-data table: M (DatapointsToAlarm, with
// N = 3), the datapoints of the evaluation range oldest first (0 not
// breaching, X breaching, - missing) and the state for each policy.
type Row struct {
	M      int
	Points string
	Want   [4]string
	Why    string
}

// MissingData are the two tables of the User Guide's "Configuring how
// CloudWatch alarms treat missing data":
// N = 3, evaluation range 5, Period 5 minutes. Table A has M = 3, Table B
// M = 2.
var MissingData = []Row{
	{3, "0 - X - X", [4]string{"OK", "OK", "OK", "OK"}, "Table A row 1: three real datapoints, one good; the policy is not used"},
	{3, "0 - - - -", [4]string{"OK", "OK", "OK", "OK"}, "Table A row 2: one good datapoint plus two breaching fills is 2 < 3"},
	{3, "- - - - -", [4]string{"INSUFFICIENT_DATA", Keep, "ALARM", "OK"}, "Table A row 3: everything missing, the policy decides"},
	{3, "0 X X - X", [4]string{"ALARM", "ALARM", "ALARM", "ALARM"}, "Table A row 4: the three most recent real datapoints breach; the gap does not matter"},
	{3, "- - X - -", [4]string{"ALARM", Keep, "ALARM", "OK"}, "Table A row 5: premature alarm state, the X is 3 = M periods old"},
	{2, "0 - X - X", [4]string{"ALARM", "ALARM", "ALARM", "ALARM"}, "Table B row 1: 2 of the 3 most recent real datapoints breach"},
	{2, "0 0 X 0 X", [4]string{"ALARM", "ALARM", "ALARM", "ALARM"}, "Table B row 2: 2 of the 3 most recent real datapoints breach"},
	{2, "0 - X - -", [4]string{"OK", "OK", "ALARM", "OK"}, "Table B row 3: the real 0 blocks the premature rule; only a breaching fill makes 2 = M"},
	{2, "- - - - 0", [4]string{"OK", "OK", "ALARM", "OK"}, "Table B row 4: only two breaching fills make 2 = M"},
	{2, "- - - X -", [4]string{"ALARM", Keep, "ALARM", "OK"}, "Table B row 5: premature alarm state, X at age 2 = M"},
}
