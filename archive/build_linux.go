package archive

import (
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// writeBack starts the disk writes of f's dirty pages every quarter
// second until stop (which may be called again) is called, without waiting for them. A build writes
// with synchronous=OFF, so the kernel would otherwise keep the whole file
// in memory until Publish's sync; this way the disk writes run during the
// import, and the sync waits only for the last ones: what the import's
// last second wrote (the 200 MB benchmark export's publish: 0.47-0.54 s
// in `wparchive import --timings`, of a 288 MB file).
func writeBack(f *os.File) (stop func()) {
	done := make(chan struct{})
	fd := int(f.Fd())
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				unix.SyncFileRange(fd, 0, 0, unix.SYNC_FILE_RANGE_WRITE)
			}
		}
	}()
	return sync.OnceFunc(func() { close(done) })
}
