package alarm

import (
	"strconv"

	"github.com/klaxon-go/klaxon/internal/cwerr"
)

// State is an alarm's StateValue. Its zero value is the initial state.
type State uint8

const (
	StateInsufficientData State = iota // zero value: not evaluated yet
	StateOK
	StateAlarm
)

var stateNames = [...]string{"INSUFFICIENT_DATA", "OK", "ALARM"}

// String returns CloudWatch's spelling: "INSUFFICIENT_DATA", "OK", "ALARM".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// ParseState parses CloudWatch's spelling of a state. The error is
// CloudWatch's own for SetAlarmState.
func ParseState(s string) (State, error) {
	for i, n := range stateNames {
		if s == n {
			return State(i), nil
		}
	}
	return 0, cwerr.New("alarm", cwerr.ValidationError,
		"1 validation error detected: Value '"+s+"' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]")
}

// MarshalText implements encoding.TextMarshaler.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *State) UnmarshalText(b []byte) error {
	v, err := ParseState(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
