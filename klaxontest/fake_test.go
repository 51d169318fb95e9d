package klaxontest_test

import (
	"fmt"
	"testing"
)

// fakeTB is a testing.TB that records what a test would print. A method
// it does not define panics (the embedded TB is nil): the helpers use only
// these.
type fakeTB struct {
	testing.TB
	msgs []string
}

// fatal is the panic with which Fatalf stops the helper, as runtime.Goexit
// stops a real test.
type fatal struct{}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.msgs = append(f.msgs, "Errorf: "+fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.msgs = append(f.msgs, "Fatalf: "+fmt.Sprintf(format, args...))
	panic(fatal{})
}

// capture runs body with a fakeTB and returns what it printed, each
// message prefixed with the method that printed it.
func capture(body func(tb testing.TB)) (msgs []string) {
	f := &fakeTB{}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(fatal); !ok {
				panic(r)
			}
		}
		msgs = f.msgs
	}()
	body(f)
	return f.msgs
}
