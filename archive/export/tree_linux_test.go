package export

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestFastCreate checks Linux's openat2 path for new files: it writes a
// new file, and leaves to os.Root (ok false, nothing written) a file that
// exists, a link where the file goes, a link to a folder on the way, and
// a path that leaves the folder.
func TestFastCreate(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "a", "taken"), []byte("old"), 0o644))
	must(t, os.Symlink(filepath.Join(outside, "f"), filepath.Join(dir, "a", "link")))
	must(t, os.Symlink(outside, filepath.Join(dir, "a", "dirlink")))
	must(t, os.Symlink("b", filepath.Join(dir, "a", "inside")))
	root, err := os.OpenRoot(dir)
	must(t, err)
	defer root.Close()
	var f fastCreate
	f.open(root)
	defer f.close()

	ok, err := f.create("a/b/new.md", []byte("new"))
	if !ok || err != nil {
		t.Fatalf("new file: ok %v, %v (openat2 is in every kernel since 5.6)", ok, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a", "b", "new.md")); string(b) != "new" {
		t.Errorf("new file holds %q", b)
	}
	for _, rel := range []string{"a/taken", "a/link", "a/dirlink/f", "a/inside/g", "../escape", "a/missing/h"} {
		if ok, err := f.create(rel, []byte("x")); ok || err != nil {
			t.Errorf("%s: ok %v, %v; want it left to os.Root", rel, ok, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a", "taken")); string(b) != "old" {
		t.Errorf("existing file changed: %q", b)
	}
	if ents, _ := os.ReadDir(outside); len(ents) > 0 {
		t.Errorf("written outside the folder: %v", ents)
	}
	if _, err := os.Lstat(filepath.Join(dir, "a", "b", "g")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("written through a link inside the folder: %v", err)
	}
	if f.off.Load() {
		t.Error("fast path turned off")
	}
}

// TestFreshFolderSwapped replaces folders the tree made with links (to a
// folder outside, to a file outside) after it made them: the writes fail
// and nothing is written outside.
func TestFreshFolderSwapped(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	tr, err := openTree(dir)
	must(t, err)
	defer tr.close()
	must(t, tr.write("content/posts/a/index.md", []byte("a")))
	must(t, tr.write("content/posts/b/index.md", []byte("b")))
	if !tr.fresh["content/posts/a"] || !tr.fresh["content/posts/b"] {
		t.Fatal("folders not marked as made by the export")
	}
	must(t, os.RemoveAll(filepath.Join(dir, "content/posts/a")))
	must(t, os.Symlink(outside, filepath.Join(dir, "content/posts/a")))
	must(t, os.Remove(filepath.Join(dir, "content/posts/b/index.md")))
	must(t, os.Symlink(filepath.Join(outside, "f"), filepath.Join(dir, "content/posts/b/index.md")))
	for _, rel := range []string{"content/posts/a/other.md", "content/posts/b/index.md"} {
		if err := tr.write(rel, []byte("x")); err == nil {
			t.Errorf("%s: written through a link", rel)
		}
	}
	if ents, _ := os.ReadDir(outside); len(ents) > 0 {
		t.Errorf("written outside the folder: %v", ents)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
