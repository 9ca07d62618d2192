package importer

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// gcSettings returns the GC percent and memory limit in force.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// TestLimitMemory: imports run with gcPercent and memLimit, the settings
// stay while any import runs, and the last one to end restores the
// process's own.
func TestLimitMemory(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: limitMemory leaves the GC percent alone")
	}
	if _, limit := gcSettings(); limit != math.MaxInt64 {
		t.Skip("the process has a memory limit (GOMEMLIMIT): limitMemory leaves it alone")
	}
	first := limitMemory()
	second := limitMemory()
	if p, l := gcSettings(); p != gcPercent || l != memLimit {
		t.Errorf("during two imports: GC percent %d, limit %d; want %d, %d", p, l, gcPercent, memLimit)
	}
	first()
	if p, l := gcSettings(); p != gcPercent || l != memLimit {
		t.Errorf("after the first of two ended: GC percent %d, limit %d; want %d, %d", p, l, gcPercent, memLimit)
	}
	second()
	if p, l := gcSettings(); p != 100 || l != math.MaxInt64 {
		t.Errorf("after both: GC percent %d, limit %d; want 100, no limit", p, l)
	}

	// A GC percent the process chose is kept.
	defer debug.SetGCPercent(debug.SetGCPercent(60))
	restore := limitMemory()
	if p, _ := gcSettings(); p != 60 {
		t.Errorf("the process's GC percent 60 became %d", p)
	}
	restore()
	if p, _ := gcSettings(); p != 60 {
		t.Errorf("after the import: GC percent %d, want 60", p)
	}
}
