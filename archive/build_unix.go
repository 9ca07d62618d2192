//go:build unix

package archive

import (
	"os"

	"golang.org/x/sys/unix"
)

// canTellStale: flock tells a build that a running process holds from one
// a killed process left behind.
const canTellStale = true

// lockBuild takes an exclusive flock on a build's file without waiting; it
// fails while another open file holds one. The lock goes with the last
// descriptor of the file, so it outlives nothing but the process.
func lockBuild(f *os.File) error {
	return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
}
