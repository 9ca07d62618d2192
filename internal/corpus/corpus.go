// Package corpus finds the shared WXR test corpus that lives beside the
// repository (../shared/corpus), for tests only. The real blog exports in it
// hold commenters' personal data and are never copied into the repository.
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus folder: $WPARCHIVE_CORPUS if set, else
// ../shared/corpus next to the module root. It returns "" when neither exists.
func Dir() string {
	if d := os.Getenv("WPARCHIVE_CORPUS"); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpus")
			if st, err := os.Stat(c); err == nil && st.IsDir() {
				return c
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Need returns the corpus folder or skips the test with a message saying
// where the corpus was looked for and how to point at it.
func Need(t testing.TB) string {
	t.Helper()
	d := Dir()
	if d == "" {
		t.Skip("shared WXR corpus not found: expected ../shared/corpus beside the repository, or set WPARCHIVE_CORPUS")
	}
	return d
}

// Public returns the path of one file of corpus/public, skipping the test
// when the corpus is absent.
func Public(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(Need(t), "public", name)
}
