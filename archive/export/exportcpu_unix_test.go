//go:build unix

package export

import (
	"syscall"
	"time"
)

// processRusage returns the user and system CPU time of this process.
func processRusage() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
