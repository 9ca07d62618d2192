package importer

import (
	"syscall"
	"testing"
)

// BenchmarkNormalizePosts measures the normalising goroutine's work alone:
// the posts of the 10 MB benchmark export are read once, then each
// iteration derives all of them (text, language, passages, comments).
// cpu-ns/op is the process's CPU time, which other processes on the
// machine do not disturb as they do wall time:
//
//	go test -tags sqlite_fts5 -run '^$' -bench NormalizePosts -count 5 ./importer/
func BenchmarkNormalizePosts(b *testing.B) {
	in := benchInput(b, "10MB")
	site, posts := benchPosts(b, in)
	n := &normalizer{stats: &QuoteStats{ByLang: map[string]int{}}}
	n.setSite(site, "bench.xml")
	for _, p := range posts { // detector models load outside the timing
		n.post(p)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := normCPU()
	for i := 0; i < b.N; i++ {
		for _, p := range posts {
			n.post(p)
		}
	}
	b.ReportMetric(float64(normCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

// normCPU returns the process's user and system CPU time in nanoseconds.
func normCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
