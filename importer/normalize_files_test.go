package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNormalizeFiles derives the exports named in WPARCHIVE_DERIVED_FILES
// (comma-separated paths, each optionally followed by =<derived hash>)
// as TestNormalizeGolden does, logs "<items> <input hash> <derived hash>"
// for each and fails when a given hash differs. It proves a change to the
// normaliser on large exports that are not kept in the repository, such
// as bench/200mb.xml:
//
//	WPARCHIVE_DERIVED_FILES=../bench/200mb.xml go test -tags sqlite_fts5 -run TestNormalizeFiles -v ./importer/
func TestNormalizeFiles(t *testing.T) {
	spec := os.Getenv("WPARCHIVE_DERIVED_FILES")
	if spec == "" {
		t.Skip("WPARCHIVE_DERIVED_FILES names no export")
	}
	for _, f := range strings.Split(spec, ",") {
		path, want, _ := strings.Cut(f, "=")
		line := deriveHashes(t, filepath.Base(path), path)
		t.Logf("%s %s", path, line)
		if got := strings.Fields(line)[2]; want != "" && got != want {
			t.Errorf("%s: derived hash %s, want %s", path, got, want)
		}
	}
}
