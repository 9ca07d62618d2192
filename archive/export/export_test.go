package export

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/importer"
)

var update = flag.Bool("update", false, "rewrite the golden trees under testdata/export/golden")

const (
	coreSeed = "../../testdata/seed/central-asia.xml"
	coreHard = "../../testdata/export/hard-cases.xml"
)

// coreArchive imports the WXR files into a new archive in a temporary
// folder and returns it open.
func coreArchive(tb testing.TB, files ...string) *archive.Archive {
	tb.Helper()
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(tb.TempDir(), "a.sqlite"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	for _, f := range files {
		src := importer.Source{Name: filepath.Base(f), Open: func() (io.ReadCloser, error) { return os.Open(f) }}
		if _, err := importer.Import(ctx, a, []importer.Source{src}, importer.Options{}); err != nil {
			tb.Fatalf("import %s: %v", f, err)
		}
	}
	return a
}

// coreTree returns every file under dir (slash paths) with its bytes.
func coreTree(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			tb.Errorf("%s: a symbolic link in the exported tree", p)
			return nil
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func sortedFiles(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// goldenCases are the exports kept as golden trees under
// testdata/export/golden/<name>/, with the summary beside them as
// <name>.summary.json.
var goldenCases = []struct {
	name  string
	input string
	opt   Options
}{
	{"seed-hugo", coreSeed, Options{}},
	{"seed-jekyll", coreSeed, Options{Flavor: markdown.Jekyll}},
	{"hard-hugo-bundle", coreHard, Options{Drafts: true, IncludePrivate: true, Check: true, Types: []string{"post", "page", "portfolio"}}},
	{"hard-hugo-flat-inline", coreHard, Options{Layout: LayoutFlat, Comments: CommentsInline, Check: true}},
	{"hard-hugo-dated", coreHard, Options{Layout: LayoutDated, Drafts: true, Check: true, Comments: CommentsNone}},
	{"hard-jekyll-bundle", coreHard, Options{Flavor: markdown.Jekyll, Drafts: true, IncludePrivate: true, Check: true, Types: []string{"post", "page", "portfolio"}}},
	{"hard-jekyll-flat", coreHard, Options{Flavor: markdown.Jekyll, Layout: LayoutFlat, Comments: CommentsInline, CommentStatuses: []string{"approved", "pending"}, Check: true}},
}

// TestGolden exports the seed reconstruction and the hard cases
// (testdata/export/hard-cases.xml) with several flavors, layouts and
// options, and compares the trees and summaries with the golden ones;
// -update rewrites them.
func TestGolden(t *testing.T) {
	archives := map[string]*archive.Archive{}
	for _, c := range goldenCases {
		if archives[c.input] == nil {
			archives[c.input] = coreArchive(t, c.input)
		}
	}
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			a := archives[c.input]
			out := filepath.Join(t.TempDir(), "out")
			opt := c.opt
			opt.Out = out
			opt.NoSkeleton = true
			sum, err := Markdown(context.Background(), a, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Fidelity) > 0 {
				t.Errorf("fidelity: %+v", sum.Fidelity)
			}
			sum.Out = ""
			sj, err := json.MarshalIndent(sum, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			have := coreTree(t, out)
			dir := filepath.Join("..", "..", "testdata", "export", "golden", c.name)
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(dir, os.DirFS(out)); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(dir+".summary.json", append(sj, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := coreTree(t, dir)
			compareTrees(t, want, have)
			ws, err := os.ReadFile(dir + ".summary.json")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ws, append(sj, '\n')) {
				t.Errorf("summary differs from %s.summary.json (-update rewrites it):\n%s", dir, sj)
			}
		})
	}
}

// compareTrees reports files missing, extra and different.
func compareTrees(t *testing.T, want, have map[string][]byte) {
	t.Helper()
	for _, f := range sortedFiles(want) {
		h, ok := have[f]
		switch {
		case !ok:
			t.Errorf("missing %s", f)
		case !bytes.Equal(h, want[f]):
			t.Errorf("%s differs (-update rewrites the goldens):\n--- want\n%s\n--- have\n%s", f, want[f], h)
		}
	}
	for _, f := range sortedFiles(have) {
		if _, ok := want[f]; !ok {
			t.Errorf("unexpected %s:\n%s", f, have[f])
		}
	}
}

// TestDeterministic exports the hard cases twice into two folders with
// several workers (the tree must not depend on which worker finishes
// first), then a third time into the first folder: the same bytes, and
// the re-export writes nothing and removes nothing.
func TestDeterministic(t *testing.T) {
	a := coreArchive(t, coreHard, coreSeed)
	for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
		t.Run(flavor, func(t *testing.T) {
			ctx := context.Background()
			base := Options{Flavor: flavor, Site: "hard.example.com", Drafts: true, IncludePrivate: true, NoSkeleton: true,
				Types: []string{"post", "page", "portfolio"}, Check: true}
			one, two := filepath.Join(t.TempDir(), "one"), filepath.Join(t.TempDir(), "two")
			opt := base
			opt.Out, opt.Workers = one, 1
			s1, err := Markdown(ctx, a, opt)
			if err != nil {
				t.Fatal(err)
			}
			opt.Out, opt.Workers = two, 8
			s2, err := Markdown(ctx, a, opt)
			if err != nil {
				t.Fatal(err)
			}
			compareTrees(t, coreTree(t, one), coreTree(t, two))
			s1.Out, s2.Out = "", ""
			j1, _ := json.Marshal(s1)
			j2, _ := json.Marshal(s2)
			if !bytes.Equal(j1, j2) {
				t.Errorf("summaries differ:\n%s\n%s", j1, j2)
			}
			before := coreTree(t, one)
			opt.Out, opt.Workers = one, 3
			s3, err := Markdown(ctx, a, opt)
			if err != nil {
				t.Fatal(err)
			}
			if s3.Written != 0 || len(s3.Removed) != 0 || s3.Files != s1.Files {
				t.Errorf("re-export: %d written, %d removed, %d files (want 0, 0, %d)", s3.Written, len(s3.Removed), s3.Files, s1.Files)
			}
			compareTrees(t, before, coreTree(t, one))
		})
	}
}
