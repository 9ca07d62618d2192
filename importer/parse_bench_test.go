package importer

import (
	"bytes"
	"crypto/sha256"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/wparchive/wparchive/importer/clean"
)

// BenchmarkParseSource is what the parsing goroutine of Import does before
// it normalises: the file hashed as it is read, the cleaning reader, and
// the Reader over the generated 10 MB export. Besides wall time it reports
// the process's CPU time per op (cpu-ms/op, the garbage collector's
// included), the steadier figure on the shared machine.
func BenchmarkParseSource(b *testing.B) {
	in := benchInput(b, "10MB")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	cpu0 := processCPU()
	defer func() {
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}()
	for b.Loop() {
		h := sha256.New()
		r := NewReader(clean.NewReader(io.TeeReader(bytes.NewReader(in), h)), "bench.xml")
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		h.Sum(nil)
	}
}

// processCPU returns the user and system CPU time of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
