package export

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// skTree returns every file under dir (slash paths) with its bytes.
func skTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// skWriteFile writes a file, making its folders.
func skWriteFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// skEmbedded lists the skeleton's files of a flavor.
func skEmbedded(t *testing.T, flavor string) []string {
	t.Helper()
	var names []string
	base := "skeleton/" + flavor
	err := fs.WalkDir(skeletonFiles, base, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, strings.TrimPrefix(p, base+"/"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

func TestWriteSkeletonFiles(t *testing.T) {
	want := map[string][]string{
		"hugo": {".gitignore", "hugo.yaml", "layouts/_default/baseof.html", "layouts/_default/list.html",
			"layouts/_default/single.html", "layouts/index.html", "layouts/index.redirects", "layouts/index.wpids.json",
			"layouts/partials/comments.html", "layouts/partials/pagelist.html", "layouts/partials/pager.html",
			"layouts/partials/taxonomies.html", "layouts/partials/wpid-redirect.html"},
		"jekyll": {".gitignore", "_config.yml", "_includes/comments.html", "_layouts/default.html",
			"_layouts/page.html", "_layouts/post.html", "index.html", "netlify-redirects", "wp-ids.json"},
	}
	for flavor, names := range want {
		t.Run(flavor, func(t *testing.T) {
			if got := skEmbedded(t, flavor); !reflect.DeepEqual(got, names) {
				t.Fatalf("embedded files %q, want %q", got, names)
			}
			dir := t.TempDir()
			got, err := WriteSkeleton(dir, flavor, SiteInfo{Title: "T", BaseURL: "https://example.org/", Language: "en"})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, names) {
				t.Errorf("wrote %q, want %q", got, names)
			}
			tree := skTree(t, dir)
			if len(tree) != len(names) {
				t.Errorf("%d files in the folder, want %d", len(tree), len(names))
			}
			for _, n := range names {
				emb, _ := skeletonFiles.ReadFile("skeleton/" + flavor + "/" + n)
				if n != configFile[flavor] && tree[n] != string(emb) {
					t.Errorf("%s differs from the embedded file", n)
				}
			}
		})
	}
}

// TestWriteSkeletonConfig checks that the site's values survive in the
// config as the generators' YAML parsers read it, whatever they hold.
// siteInfo is a SiteInfo of title, base URL and language.
func siteInfo(title, baseURL, lang string) SiteInfo {
	return SiteInfo{Title: title, BaseURL: baseURL, Language: lang}
}

func TestWriteSkeletonConfig(t *testing.T) {
	cases := []struct {
		name                  string
		site                  SiteInfo
		hugoBase              string
		jekyllURL, jekyllBase string
		lang                  string
	}{
		{"plain", siteInfo("Steppe Watch", "https://steppe.example/", "en-US"), "https://steppe.example/", "https://steppe.example", "", "en-US"},
		{"quotes colon hash", siteInfo(`He said "hi": #1 'x' \ yes`, "https://example.org/blog", "fr"), "https://example.org/blog/", "https://example.org", "/blog", "fr"},
		{"yaml words", siteInfo("yes", "", "no"), "/", "", "", "no"},
		{"emoji chinese newline", siteInfo("中文博客 🎉\nsecond line\t \\U0001F389 \\\\U0001F389 \x01", "http://例子.example:8080/路径/", ""), "http://例子.example:8080/路径/", "http://例子.example:8080", "/%E8%B7%AF%E5%BE%84", "en"},
		{"template-ish", siteInfo("{{ .Title }} {% raw %} @title@ ---", "/sub/", "zh-Hans"), "/sub/", "", "/sub", "zh-Hans"},
		{"invalid utf-8", siteInfo("a\xffb", "", ""), "/", "", "", "en"},
		{"long", siteInfo(strings.Repeat("long title ", 30), "", ""), "/", "", "", "en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			title := strings.ToValidUTF8(c.site.Title, "\uFFFD")
			h := t.TempDir()
			if _, err := WriteSkeleton(h, "hugo", c.site); err != nil {
				t.Fatal(err)
			}
			var hc map[string]any
			b, _ := os.ReadFile(filepath.Join(h, "hugo.yaml"))
			if err := yaml.Unmarshal(b, &hc); err != nil {
				t.Fatalf("hugo.yaml: %v\n%s", err, b)
			}
			if hc["title"] != title || hc["baseURL"] != c.hugoBase || hc["languageCode"] != c.lang {
				t.Errorf("hugo.yaml: title %q baseURL %q languageCode %q; want %q %q %q", hc["title"], hc["baseURL"], hc["languageCode"], title, c.hugoBase, c.lang)
			}
			if strings.Contains(title, "🎉") && !bytes.Contains(b, []byte("🎉")) {
				t.Errorf("hugo.yaml: the emoji is escaped:\n%s", b)
			}
			if u, _ := hc["markup"].(map[string]any)["goldmark"].(map[string]any)["renderer"].(map[string]any)["unsafe"]; u != true {
				t.Errorf("hugo.yaml: markup.goldmark.renderer.unsafe is %v", u)
			}
			if hc["buildFuture"] != true {
				t.Errorf("hugo.yaml: buildFuture is %v", hc["buildFuture"])
			}

			j := t.TempDir()
			if _, err := WriteSkeleton(j, "jekyll", c.site); err != nil {
				t.Fatal(err)
			}
			var jc map[string]any
			b, _ = os.ReadFile(filepath.Join(j, "_config.yml"))
			if err := yaml.Unmarshal(b, &jc); err != nil {
				t.Fatalf("_config.yml: %v\n%s", err, b)
			}
			if jc["title"] != title || jc["url"] != c.jekyllURL || jc["baseurl"] != c.jekyllBase || jc["lang"] != c.lang {
				t.Errorf("_config.yml: title %q url %q baseurl %q lang %q; want %q %q %q %q", jc["title"], jc["url"], jc["baseurl"], jc["lang"], title, c.jekyllURL, c.jekyllBase, c.lang)
			}
			if !reflect.DeepEqual(jc["plugins"], []any{"jekyll-redirect-from"}) || jc["future"] != true {
				t.Errorf("_config.yml: plugins %v future %v", jc["plugins"], jc["future"])
			}
		})
	}
}

// TestWriteSkeletonKeepsUserFiles checks that existing files, and a config
// in any name the generator reads, are left alone, and that a second run
// writes nothing.
func TestWriteSkeletonKeepsUserFiles(t *testing.T) {
	for _, c := range []struct{ flavor, config, layout string }{
		{"hugo", "config.toml", "layouts/_default/single.html"},
		{"hugo", "hugo.toml", "layouts/partials/comments.html"},
		{"hugo", "config/_default/hugo.toml", "layouts/index.html"},
		{"hugo", "hugo.yaml", "layouts/_default/baseof.html"},
		{"jekyll", "_config.yml", "_layouts/post.html"},
		{"jekyll", "_config.toml", "_includes/comments.html"},
	} {
		t.Run(c.flavor+" "+c.config, func(t *testing.T) {
			dir := t.TempDir()
			mine := map[string]string{c.config: "# mine\n", c.layout: "<p>mine</p>\n"}
			for p, s := range mine {
				skWriteFile(t, filepath.Join(dir, p), []byte(s))
			}
			got, err := WriteSkeleton(dir, c.flavor, SiteInfo{Title: "T"})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range got {
				if n == c.layout || n == configFile[c.flavor] {
					t.Errorf("wrote %s", n)
				}
			}
			if len(got) != len(skEmbedded(t, c.flavor))-2 {
				t.Errorf("wrote %d files, want all but the config and the layout: %q", len(got), got)
			}
			tree := skTree(t, dir)
			for p, s := range mine {
				if tree[p] != s {
					t.Errorf("%s changed: %q", p, tree[p])
				}
			}
			if _, ok := tree[configFile[c.flavor]]; ok && configFile[c.flavor] != c.config {
				t.Errorf("wrote %s beside the user's %s", configFile[c.flavor], c.config)
			}
			again, err := WriteSkeleton(dir, c.flavor, SiteInfo{Title: "other"})
			if err != nil || len(again) != 0 {
				t.Errorf("second run wrote %q, %v; want nothing", again, err)
			}
			if !reflect.DeepEqual(skTree(t, dir), tree) {
				t.Error("second run changed the folder")
			}
		})
	}
}

// TestWriteSkeletonDeterministic writes the skeleton twice and compares.
func TestWriteSkeletonDeterministic(t *testing.T) {
	for _, flavor := range []string{"hugo", "jekyll"} {
		site := SiteInfo{Title: "Ünïcode \"t\"", BaseURL: "https://example.org/x/", Language: "de-CH"}
		a, b := t.TempDir(), t.TempDir()
		for _, d := range []string{a, b} {
			if flavor == "jekyll" {
				for _, sub := range []string{"_portfolio", "_book", "_posts", "_data"} {
					if err := os.MkdirAll(filepath.Join(d, sub), 0o755); err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := WriteSkeleton(d, flavor, site); err != nil {
				t.Fatal(err)
			}
		}
		if ta, tb := skTree(t, a), skTree(t, b); !reflect.DeepEqual(ta, tb) {
			t.Errorf("%s: two runs differ", flavor)
		}
	}
}

// TestWriteSkeletonCollections checks that Jekyll gets a collection with
// pages for each custom post type folder, and none for its own folders.
func TestWriteSkeletonCollections(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"_portfolio", "_book", "_posts", "_data", "_layouts", "_drafts", "plain", "_x"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	skWriteFile(t, filepath.Join(dir, "_file"), []byte("not a folder"))
	if _, err := WriteSkeleton(dir, "jekyll", SiteInfo{}); err != nil {
		t.Fatal(err)
	}
	var c struct {
		Collections map[string]struct {
			Output bool `yaml:"output"`
		} `yaml:"collections"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "_config.yml"))
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	var got []string
	for k, v := range c.Collections {
		if !v.Output {
			t.Errorf("collection %s without output", k)
		}
		got = append(got, k)
	}
	sort.Strings(got)
	if want := []string{"book", "portfolio", "x"}; !reflect.DeepEqual(got, want) {
		t.Errorf("collections %q, want %q", got, want)
	}

	// No custom type folders: no collections key.
	dir = t.TempDir()
	if _, err := WriteSkeleton(dir, "jekyll", SiteInfo{}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "_config.yml"))
	if bytes.Contains(b, []byte("collections:")) {
		t.Errorf("collections without custom type folders:\n%s", b)
	}
}

// TestWriteSkeletonStaysInside puts symbolic links in the way, to a folder
// outside and to a file outside, and checks that nothing is written there,
// that the error names the file, and that the other files are written.
func TestWriteSkeletonStaysInside(t *testing.T) {
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim.yaml")
	skWriteFile(t, victim, []byte("keep\n"))
	dir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "layouts")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(dir, "hugo.yaml")); err != nil {
		t.Fatal(err)
	}
	got, err := WriteSkeleton(dir, "hugo", SiteInfo{Title: "T"})
	if err == nil || !strings.Contains(err.Error(), "layouts") {
		t.Errorf("error %v, want one naming the layouts in the way", err)
	}
	if want := []string{".gitignore"}; !reflect.DeepEqual(got, want) {
		t.Errorf("wrote %q, want %q", got, want)
	}
	if tree := skTree(t, outside); len(tree) != 1 || tree["victim.yaml"] != "keep\n" {
		t.Errorf("the folder outside changed: %q", tree)
	}

	// A link to a folder inside dir is followed: it stays inside.
	dir = t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(dir, "_layouts")); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteSkeleton(dir, "jekyll", SiteInfo{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "real", "post.html")); err != nil {
		t.Errorf("the layout was not written through the link inside: %v", err)
	}
}

func TestWriteSkeletonFlavor(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteSkeleton(dir, "gatsby", SiteInfo{}); err == nil || !strings.Contains(err.Error(), "gatsby") {
		t.Errorf("error %v for an unknown flavor", err)
	}
	if tree := skTree(t, dir); len(tree) != 0 {
		t.Errorf("wrote %q for an unknown flavor", tree)
	}
	got, err := WriteSkeleton(dir, "", SiteInfo{})
	if err != nil || !reflect.DeepEqual(got, skEmbedded(t, "hugo")) {
		t.Errorf("flavor \"\": wrote %q, %v; want Hugo's files", got, err)
	}
	// dir is made when missing.
	sub := filepath.Join(t.TempDir(), "a", "b")
	if _, err := WriteSkeleton(sub, "jekyll", SiteInfo{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(sub, "_config.yml")); err != nil {
		t.Error(err)
	}
}
