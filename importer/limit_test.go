package importer

import (
	"math"
	"os"
	"runtime/debug"
	"testing"

	"github.com/wparchive/wparchive/importer/quotes"
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
	// Another test of the package may have loaded lingua-go's models.
	want := int64(memLimit)
	if quotes.ModelsLoaded() {
		want = memLimitModels
	}
	first := limitMemory()
	second := limitMemory()
	if p, l := gcSettings(); p != gcPercent || l != want {
		t.Errorf("during two imports: GC percent %d, limit %d; want %d, %d", p, l, gcPercent, want)
	}
	first()
	if p, l := gcSettings(); p != gcPercent || l != want {
		t.Errorf("after the first of two ended: GC percent %d, limit %d; want %d, %d", p, l, gcPercent, want)
	}
	// The models loading during an import raise its limit, through the
	// hook quotes calls.
	if quotes.ModelsLoading == nil {
		t.Fatal("the importer did not set quotes.ModelsLoading")
	}
	quotes.ModelsLoading()
	if _, l := gcSettings(); l != memLimitModels {
		t.Errorf("after the models loaded: limit %d, want %d", l, memLimitModels)
	}
	// Its items stored, an import lowers the GC percent for its tail.
	tailMemory()
	if p, l := gcSettings(); p != gcPercentTail || l != memLimitModels {
		t.Errorf("in the tail: GC percent %d, limit %d; want %d, %d", p, l, gcPercentTail, memLimitModels)
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
	tailMemory()
	if p, _ := gcSettings(); p != 60 {
		t.Errorf("in the tail: the process's GC percent 60 became %d", p)
	}
	restore()
	if p, _ := gcSettings(); p != 60 {
		t.Errorf("after the import: GC percent %d, want 60", p)
	}
	// Models loading with no import running leave the limit alone.
	modelsLoading()
	if _, l := gcSettings(); l != math.MaxInt64 {
		t.Errorf("models loaded outside an import: limit %d, want none", l)
	}
}
