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

// shmDMS is the byte of a -shm file that every connection to a WAL
// database holds a shared lock on while it is open (SQLite's unix VFS:
// UNIX_SHM_DMS, (22+8)*4+8), and the first one to open takes exclusively.
const shmDMS = 128

// shmInUse reports whether a process has the -shm file f open for a
// connection: whether the lock SQLite's connections hold on its
// dead-man-switch byte is held. While it returns false the caller holds
// that byte exclusively, until f is closed.
func shmInUse(f *os.File) bool {
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: shmDMS, Len: 1}
	return unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk) != nil
}
