package export

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wparchive/wparchive/archive/markdown"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("静", 80) // 240 bytes
	for _, c := range []struct{ in, want string }{
		{"hello-world", "hello-world"},
		{"静夜思", "静夜思"},
		{"CON", "CON_"},
		{"con", "con_"},
		{"nul.txt", "nul.txt_"},
		{"com1", "com1_"},
		{"LPT9", "LPT9_"},
		{"com¹", "com¹_"},
		{"console", "console"},
		{"a:b", "a-b"},
		{`a<b>c"d|e?f*g\h/i`, "a-b-c-d-e-f-g-h-i"},
		{"trailing...", "trailing"},
		{"trailing. . ", "trailing"},
		{"..", ""},
		{"../../etc", "etc"},
		{".hidden", "hidden"},
		{"_index", "index"},
		{"tab\there", "tab-here"},
		{"ctl\x00\x1f\x7fx", "ctlx"},
		{"bad\xffutf8", "bad-utf8"},
		{"e\u0301", "é"}, // NFC
		{"", ""},
	} {
		if got := SafeName(c.in); got != c.want {
			t.Errorf("SafeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	got := SafeName(long)
	if len(got) > maxNameBytes || !utf8.ValidString(got) || !strings.HasPrefix(long, got) {
		t.Errorf("SafeName(long) = %q (%d bytes), want a valid prefix of at most %d bytes", got, len(got), maxNameBytes)
	}
}

func TestClaimSuffixes(t *testing.T) {
	n := newNamespace()
	natural := map[string]bool{nameKey("a"): true, nameKey("a-2"): true}
	var got []string
	for _, name := range []string{"a", "A", "a", "a-2"} {
		s, _ := n.claim("dir", "", name, natural)
		got = append(got, s)
	}
	// "A" clashes with "a" (case-insensitive file systems); suffixes skip
	// "a-2", which is a post's own slug, so that post keeps it.
	if want := []string{"a", "A-3", "a-4", "a-2"}; !slices.Equal(got, want) {
		t.Errorf("claims = %q, want %q", got, want)
	}
	if s, _ := n.claim("other", "", "a", natural); s != "a" {
		t.Errorf("claim in another folder = %q, want a", s)
	}
	long := strings.Repeat("x", maxNameBytes)
	s, renamed := n.claim("dir", "2023-01-01-", long, nil)
	s2, renamed2 := n.claim("dir", "2023-01-01-", long, nil)
	if renamed || !renamed2 || len("2023-01-01-"+s2) > maxNameBytes || s == s2 {
		t.Errorf("long names: %q %v, %q %v", s, renamed, s2, renamed2)
	}
}

func TestLocalPath(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"content/posts/a/index.md", true},
		{"a.md", true},
		{"", false},
		{".", false},
		{"../a", false},
		{"a/../../b", false},
		{"/etc/passwd", false},
		{"a//b", false},
		{"a/./b", false},
		{`a\..\b`, false},
		{"a/", false},
	} {
		if got := localPath(c.in); got != c.ok {
			t.Errorf("localPath(%q) = %v, want %v", c.in, got, c.ok)
		}
	}
}

// TestNothingOutside exports the hard cases (slugs like ../../../../tmp/escape
// and %2e%2e%2f) into a folder inside an empty one: the empty one holds
// nothing else afterwards, and every name in the tree is valid on Linux,
// macOS and Windows.
func TestNothingOutside(t *testing.T) {
	a := coreArchive(t, coreHard)
	for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
		for _, layout := range []string{LayoutBundle, LayoutFlat, LayoutDated} {
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			_, err := Markdown(context.Background(), a, Options{Out: out, Flavor: flavor, Layout: layout, Drafts: true, IncludePrivate: true,
				Types: []string{"post", "page", "portfolio"}, Comments: CommentsData})
			if err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(parent)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != "out" {
				t.Errorf("%s %s: the parent folder holds %v", flavor, layout, entries)
			}
			seen := map[string]string{}
			for _, f := range sortedFiles(coreTree(t, out)) {
				for _, seg := range strings.Split(f, "/") {
					if !portable(seg) {
						t.Errorf("%s %s: %s: %q is not a portable name", flavor, layout, f, seg)
					}
				}
				if prev, ok := seen[nameKey(f)]; ok {
					t.Errorf("%s %s: %s and %s are one file on macOS and Windows", flavor, layout, prev, f)
				}
				seen[nameKey(f)] = f
			}
		}
	}
}

// portable reports whether name is a valid file name on Linux, macOS and
// Windows.
func portable(name string) bool {
	if name == "" || len(name) > 255 || !utf8.ValidString(name) || isWindowsDevice(name) ||
		strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") || name == "." || name == ".." {
		return false
	}
	return !strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"/\|?*`, r) })
}

// TestSymlinkInTheWay: a link where the export writes a folder or a file
// is refused, and what it points to is left alone.
func TestSymlinkInTheWay(t *testing.T) {
	a := coreArchive(t, coreSeed)
	ctx := context.Background()
	outside := t.TempDir()
	victim := filepath.Join(outside, "index.md")
	if err := os.WriteFile(victim, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// A folder on the way is a link to a folder outside.
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(filepath.Join(out, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(out, "content", "posts")); err != nil {
		t.Fatal(err)
	}
	_, err := Markdown(ctx, a, Options{Out: out, NoSkeleton: true})
	if !errors.Is(err, ErrUnsafePath) {
		t.Errorf("folder link: err = %v, want ErrUnsafePath", err)
	}
	// The file itself is a link (to a file outside): tried at every file
	// a clean export writes under content/. The posts are converted two
	// at a time, so which files are written before the refusal depends
	// on timing; whatever they are, every one is in the manifest, so the
	// next export can clean up after this one.
	clean := filepath.Join(t.TempDir(), "clean")
	if _, err := Markdown(ctx, a, Options{Out: clean, NoSkeleton: true}); err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, f := range sortedFiles(coreTree(t, clean)) {
		if strings.HasPrefix(f, "content/") {
			targets = append(targets, f)
		}
	}
	if len(targets) < 3 {
		t.Fatalf("the clean export wrote %d content files: %v", len(targets), targets)
	}
	listedBefore := 0
	for _, target := range targets {
		out2 := filepath.Join(t.TempDir(), "out")
		link := filepath.Join(out2, filepath.FromSlash(target))
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
		_, err = Markdown(ctx, a, Options{Out: out2, NoSkeleton: true})
		if !errors.Is(err, ErrUnsafePath) {
			t.Errorf("file link at %s: err = %v, want ErrUnsafePath", target, err)
		}
		if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me\n" {
			t.Fatalf("link at %s: the file outside: %q, %v", target, b, err)
		}
		b, err := os.ReadFile(filepath.Join(out2, ManifestName))
		if err != nil {
			t.Fatalf("link at %s: no manifest after a failed export: %v", target, err)
		}
		var m manifest
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		listed := map[string]fileEntry{}
		for _, e := range m.Files {
			listed[e.Path] = e
		}
		filepath.WalkDir(out2, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !d.Type().IsRegular() {
				return err
			}
			rel, _ := filepath.Rel(out2, p)
			rel = filepath.ToSlash(rel)
			if rel == ManifestName {
				return nil
			}
			data, _ := os.ReadFile(p)
			if e, ok := listed[rel]; !ok || e.Size != int64(len(data)) || e.CRC32C != sum(data) {
				t.Errorf("link at %s: %s was written but the manifest has %+v", target, rel, e)
			}
			return nil
		})
		listedBefore += len(m.Files)
		if _, ok := listed[target]; ok {
			t.Errorf("link at %s: the manifest lists the refused file", target)
		}
	}
	if listedBefore == 0 {
		t.Error("no export wrote a file before its refusal: the manifest check checked nothing")
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Errorf("the folder outside holds %d entries, want 1", len(entries))
	}
}

// TestReexportRemovesOnlyItsOwn: a re-export with fewer posts removes the
// files of the previous export it no longer writes, but not a file the
// user added, not one the user changed since, and not what a tampered
// manifest names outside the folder or through a link.
func TestReexportRemovesOnlyItsOwn(t *testing.T) {
	a := coreArchive(t, coreHard)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "out")
	all := Options{Out: out, Drafts: true, IncludePrivate: true, NoSkeleton: true}
	s1, err := Markdown(ctx, a, all)
	if err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(out, "content", "posts", "mine.md")
	if err := os.WriteFile(mine, []byte("my own post\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The user edits a draft's file that the next export will not write.
	edited := filepath.Join(out, "content", "posts", "awaiting-review", "index.md")
	if err := os.WriteFile(edited, []byte("---\ntitle: mine now\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Someone adds paths outside the folder to the manifest.
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim.md")
	os.WriteFile(victim, []byte("x"), 0o644)
	var m manifest
	mb, _ := os.ReadFile(filepath.Join(out, ManifestName))
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(out, victim)
	os.Symlink(outside, filepath.Join(out, "link"))
	m.Files = append(m.Files, fileEntry{Path: filepath.ToSlash(rel), Size: 1, CRC32C: sum([]byte("x"))},
		fileEntry{Path: victim, Size: 1, CRC32C: sum([]byte("x"))},
		fileEntry{Path: "link/victim.md", Size: 1, CRC32C: sum([]byte("x"))})
	mb, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(out, ManifestName), mb, 0o644)

	s2, err := Markdown(ctx, a, Options{Out: out, NoSkeleton: true})
	if err != nil {
		t.Fatal(err)
	}
	if s2.Exported() >= s1.Exported() {
		t.Fatalf("second export %d posts, first %d", s2.Exported(), s1.Exported())
	}
	if len(s2.Removed) == 0 || !slices.Contains(s2.Removed, "content/posts/private-thoughts/index.md") {
		t.Errorf("removed %q, want the private post's file among them", s2.Removed)
	}
	// The path through a link is listed as kept, not followed.
	if !slices.Equal(s2.Kept, []string{"content/posts/awaiting-review/index.md", "link/victim.md"}) {
		t.Errorf("kept %q, want the edited draft and the path through a link", s2.Kept)
	}
	for _, f := range []string{mine, edited, victim} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "content", "posts", "private-thoughts")); !os.IsNotExist(err) {
		t.Errorf("the emptied folder is still there: %v", err)
	}
	os.Remove(filepath.Join(out, "link"))
	have := coreTree(t, out)
	for _, f := range s2.Removed {
		if _, ok := have[f]; ok {
			t.Errorf("%s still there", f)
		}
	}
	// The new manifest lists exactly what this export wrote.
	var m2 manifest
	mb, _ = os.ReadFile(filepath.Join(out, ManifestName))
	if err := json.Unmarshal(mb, &m2); err != nil {
		t.Fatal(err)
	}
	if len(m2.Files) != s2.Files {
		t.Errorf("manifest lists %d files, summary says %d", len(m2.Files), s2.Files)
	}
}

// TestDamagedManifest: an export refuses to go on with a manifest it
// cannot read rather than guess what to delete.
func TestDamagedManifest(t *testing.T) {
	a := coreArchive(t, coreSeed)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, ManifestName), []byte("{not json"), 0o644)
	if _, err := Markdown(context.Background(), a, Options{Out: out, NoSkeleton: true}); err == nil || !strings.Contains(err.Error(), ManifestName) {
		t.Errorf("err = %v, want one naming the manifest", err)
	}
}

func TestOptionsAndSites(t *testing.T) {
	a := coreArchive(t, coreSeed, coreHard)
	ctx := context.Background()
	out := t.TempDir()
	for _, opt := range []Options{
		{Out: out, Flavor: "gatsby"},
		{Out: out, Layout: "nested"},
		{Out: out, Comments: "some"},
		{Out: out, Media: "link"},
		{},
	} {
		if _, err := Markdown(ctx, a, opt); !errors.Is(err, ErrOption) {
			t.Errorf("%+v: err = %v, want ErrOption", opt, err)
		}
	}
	// Two sites, none named: a folder each.
	both, err := Markdown(ctx, a, Options{Out: out, NoSkeleton: true})
	if err != nil {
		t.Fatal(err)
	}
	if both.Site != "steppewatch.example.org, hard.example.com" || both.Posts["post"] != 3+12 {
		t.Errorf("two sites: %s, %v", both.Site, both.Posts)
	}
	for _, f := range []string{"steppewatch.example.org/content/about/index.md", "hard.example.com/content/about/_index.md",
		"steppewatch.example.org/" + ManifestName, "hard.example.com/" + ManifestName} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := Markdown(ctx, a, Options{Out: out, Site: "nowhere.example"}); !errors.Is(err, ErrNoSite) {
		t.Errorf("unknown site: err = %v", err)
	}
	for _, site := range []string{"hard.example.com", "https://hard.example.com/", "Hard Cases"} {
		s, err := Markdown(ctx, a, Options{Out: filepath.Join(t.TempDir(), "o"), Site: site, NoSkeleton: true})
		if err != nil || s.Site != "hard.example.com" {
			t.Errorf("--site %q: %v, %+v", site, err, s)
		}
	}
}

// TestAliasOwners: a path belongs first to the post it is the new path
// of, then to the post it was the permalink of, and only then to a post
// that lists it as an old slug's path; no path is listed twice.
func TestAliasOwners(t *testing.T) {
	a := &post{id: 1, wpID: 10, typ: "post", link: "https://x.example/2020/01/a/", slugRaw: "a", oldSlugs: []string{"b"}, url: "/posts/a/"}
	b := &post{id: 2, wpID: 11, typ: "post", link: "https://x.example/2020/01/b/", slugRaw: "b", url: "/posts/b/"}
	c := &post{id: 3, wpID: 12, typ: "post", link: "https://x.example/posts/a/", slugRaw: "c", url: "/posts/c/"}
	got := assignAliases([]*post{a, b, c}, markdown.Hugo)
	want := map[*post][]string{
		a: {"/2020/01/a/", "/?p=10"}, // not /2020/01/b/: b's permalink
		b: {"/2020/01/b/", "/?p=11"},
		c: {"/?p=12"}, // not /posts/a/: a's new path
	}
	for _, p := range []*post{a, b, c} {
		if !slices.Equal(got[p], want[p]) {
			t.Errorf("post %d: aliases %q, want %q", p.wpID, got[p], want[p])
		}
	}
}

// TestJekyllKey: Jekyll names a data file by its ASCII letters, digits,
// "_" and "-" only, so the comments key is made of those.
func TestJekyllKey(t *testing.T) {
	for _, c := range []struct {
		slug string
		id   int64
		want string
	}{
		{"hello-world", 1, "hello-world"},
		{"静夜思", 105, "post-105"},
		{"pythonchallenge专题－3", 7, "pythonchallenge-3"},
		{"归来2：后三天的课程", 8, "post-8"},
		{"a.b_c", 9, "a-b_c"},
		{"——", 0, "post-row42"},
	} {
		if got := jekyllKey(&post{slug: c.slug, wpID: c.id, id: 42, typ: "post"}); got != c.want {
			t.Errorf("jekyllKey(%q) = %q, want %q", c.slug, got, c.want)
		}
	}
}
