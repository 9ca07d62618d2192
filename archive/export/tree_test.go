package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
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

// TestManifestJSON compares the hand-written manifest with what
// json.MarshalIndent writes, on no files, an empty list, and random
// paths with every kind of character the encoder escapes or replaces.
func TestManifestJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	pieces := []string{"a", "Z", "post", "/", "-", "_", ".", " ", "é", "中文", "\"", "\\", "<", ">", "&", "\t", "\n", "\x00", "\x7f", "\xff", "\u2028", "\u2029", "😀", "index.md"}
	check := func(m manifest) {
		t.Helper()
		want, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		if got := m.appendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("manifest differs from the encoder's:\n%s\nwant\n%s", got, want)
		}
	}
	check(manifest{Generator: "wparchive export markdown", Version: 1})
	check(manifest{Generator: "wparchive export markdown", Version: 1, Files: []fileEntry{}})
	for range 2000 {
		m := manifest{Generator: "wparchive export markdown", Version: 1}
		for range rng.IntN(4) + 1 {
			var p strings.Builder
			for range rng.IntN(6) + 1 {
				p.WriteString(pieces[rng.IntN(len(pieces))])
			}
			m.Files = append(m.Files, fileEntry{Path: p.String(), Size: rng.Int64N(1 << 40), CRC32C: sum([]byte(p.String()))})
		}
		check(m)
	}
}

// TestRemoveStaleFolded: a file of the last export that this one wrote
// again under another case or Unicode form ("Foo" for "foo", as macOS
// and Windows see one file) is not removed; one it did not write again
// is.
func TestRemoveStaleFolded(t *testing.T) {
	dir := t.TempDir()
	tr, err := openTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"content/Foo/index.md", "content/cafe\u0301/index.md", "content/bar/index.md"} {
		if err := tr.write(rel, []byte(rel)); err != nil {
			t.Fatal(err)
		}
	}
	old := make([]fileEntry, 0, len(tr.written))
	for _, e := range tr.written {
		old = append(old, e)
	}
	tr.close()

	tr, err = openTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	for _, rel := range []string{"content/foo/index.md", "content/caf\u00e9/index.md"} {
		if err := tr.write(rel, []byte(rel)); err != nil {
			t.Fatal(err)
		}
	}
	removed, kept, err := tr.removeStale(old)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != "content/bar/index.md" || len(kept) != 0 {
		t.Errorf("removed %q, kept %q; want only content/bar/index.md removed", removed, kept)
	}
	for _, rel := range []string{"content/Foo/index.md", "content/cafe\u0301/index.md"} {
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
	}
}

// TestFoldKeyASCII compares foldKey's ASCII shortcut with case folding
// and NFC on every ASCII byte and on random ASCII strings.
func TestFoldKeyASCII(t *testing.T) {
	c := cases.Fold()
	full := func(s string) string { return c.String(norm.NFC.String(s)) }
	rng := rand.New(rand.NewPCG(5, 5))
	for i := 0; i < 0x80; i++ {
		s := "a" + string(rune(i)) + "Z"
		if got, want := foldKey(c, s), full(s); got != want {
			t.Fatalf("foldKey(%q) = %q, want %q", s, got, want)
		}
	}
	for range 20000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(0x80))
		}
		if got, want := foldKey(c, string(b)), full(string(b)); got != want {
			t.Fatalf("foldKey(%q) = %q, want %q", b, got, want)
		}
	}
	if got := foldKey(c, "Ǆemal-STRASSE-ß"); got != full("Ǆemal-STRASSE-ß") {
		t.Errorf("non-ASCII: %q", got)
	}
}
