package export

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestTreeOpenFolders writes files the way the layouts do (one file per
// bundle folder, many in one folder) and checks that every file holds its
// bytes, that the folders kept open stay within maxOpenDirs, that a
// second tree over the same folder replaces and keeps files as it should,
// and that a link where a file goes is refused there.
func TestTreeOpenFolders(t *testing.T) {
	dir := t.TempDir()
	write := func(tr *tree, n int, tag string) {
		t.Helper()
		for i := range n {
			for _, rel := range []string{
				fmt.Sprintf("content/posts/p%d/index.md", i),
				fmt.Sprintf("data/comments/p%d.yaml", i),
			} {
				if err := tr.write(rel, []byte(tag+rel)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	check := func(n int, tag string) {
		t.Helper()
		for i := range n {
			rel := fmt.Sprintf("content/posts/p%d/index.md", i)
			b, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil || string(b) != tag+rel {
				t.Fatalf("%s: %q, %v; want %q", rel, b, err, tag+rel)
			}
		}
	}
	const n = 2 * maxOpenDirs
	tr, err := openTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	write(tr, n, "one ")
	if len(tr.open) > maxOpenDirs {
		t.Errorf("%d folders kept open, want at most %d", len(tr.open), maxOpenDirs)
	}
	if tr.changed != 2*n {
		t.Errorf("changed = %d, want %d", tr.changed, 2*n)
	}
	if err := tr.close(); err != nil {
		t.Fatal(err)
	}
	check(n, "one ")

	// Again: the folders exist now, so files are compared, then replaced
	// through a temporary name.
	tr, err = openTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	write(tr, n/2, "one ")
	if tr.changed != 0 {
		t.Errorf("unchanged files rewritten: %d", tr.changed)
	}
	write(tr, n, "two ")
	check(n, "two ")
	if tmp, _ := filepath.Glob(filepath.Join(dir, "content/posts/*/*.wparchive-tmp")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}

	// A link where a file goes is refused, in a folder kept open or not.
	outside := filepath.Join(t.TempDir(), "outside")
	os.WriteFile(outside, []byte("keep"), 0o644)
	for _, rel := range []string{"data/comments/link.yaml", "content/posts/p3/index.md"} {
		os.Remove(filepath.Join(dir, rel))
		if err := os.Symlink(outside, filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
		if err := tr.write(rel, []byte("x")); err == nil {
			t.Errorf("%s: written through a link", rel)
		}
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep" {
		t.Errorf("file outside changed: %q", b)
	}
}
