//go:build unix

package tui

import (
	"syscall"
	"time"
)

// cpuTime is the CPU this process used so far: on a machine shared with
// other work, it says what a benchmark costs better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
