//go:build unix

package action

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used (user and system).
// Benchmarks report it per operation beside the wall time, which a loaded
// machine inflates.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
