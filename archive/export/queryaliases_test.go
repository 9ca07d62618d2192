package export

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/internal/corpus"
)

// queryFM is the part of an exported front matter about old addresses.
type queryFM struct {
	Aliases      []string `yaml:"aliases"`
	RedirectFrom []string `yaml:"redirect_from"`
	QueryAliases []string `yaml:"query_aliases"`
	WordPressID  int64    `yaml:"wordpress_id"`
}

// checkQueryAliases reads the front matter of every Markdown file of an
// exported tree and checks the old addresses: no alias the generator turns
// into a file (aliases, redirect_from) has a query string, every
// query_aliases entry has one, no address is listed by two files, and
// each exported id's /?p=ID is listed by one file. It returns the front
// matter by file.
func checkQueryAliases(t *testing.T, label string, tree map[string][]byte) map[string]queryFM {
	t.Helper()
	fms := map[string]queryFM{}
	owner := map[string]string{}
	ids := map[int64]bool{}
	for file, b := range tree {
		if !strings.HasSuffix(file, ".md") {
			continue
		}
		s := string(b)
		end := strings.Index(s, "\n---\n")
		if !strings.HasPrefix(s, "---\n") || end < 0 {
			t.Errorf("%s: %s: no front matter", label, file)
			continue
		}
		var fm queryFM
		if err := yaml.Unmarshal([]byte(s[4:end+1]), &fm); err != nil {
			t.Errorf("%s: %s: %v", label, file, err)
			continue
		}
		fms[file] = fm
		if fm.WordPressID > 0 {
			ids[fm.WordPressID] = true
		}
		for _, a := range append(append([]string{}, fm.Aliases...), fm.RedirectFrom...) {
			if strings.Contains(a, "?") {
				t.Errorf("%s: %s: alias %q has a query string: the generator would write a file named after it", label, file, a)
			}
		}
		for _, a := range fm.QueryAliases {
			if !strings.HasPrefix(a, "/") || !strings.Contains(a, "?") {
				t.Errorf("%s: %s: query alias %q is no path with a query", label, file, a)
			}
		}
		for _, a := range append(append(append([]string{}, fm.Aliases...), fm.RedirectFrom...), fm.QueryAliases...) {
			if o, ok := owner[strings.ToLower(a)]; ok && o != file {
				t.Errorf("%s: %s and %s both list %q", label, o, file, a)
			}
			owner[strings.ToLower(a)] = file
		}
	}
	for id := range ids {
		if _, ok := owner[fmt.Sprintf("/?p=%d", id)]; !ok {
			t.Errorf("%s: no file lists /?p=%d in its query_aliases", label, id)
		}
	}
	return fms
}

// TestQueryAliasesSeed: the seed's old addresses by id (/?p=ID, and
// /?page_id=ID for its page) are query_aliases, its old paths aliases or
// redirect_from, in both flavors.
func TestQueryAliasesSeed(t *testing.T) {
	a := coreArchive(t, filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"))
	for _, c := range []struct {
		flavor      string
		radio, page string
		pathKey     func(queryFM) []string
	}{
		{markdown.Hugo, "content/posts/shortwave-memories-when-radio-tashkent-went-silent/index.md", "content/about/index.md", func(f queryFM) []string { return f.Aliases }},
		{markdown.Jekyll, "_posts/2022-05-09-shortwave-memories-when-radio-tashkent-went-silent.md", "about/index.md", func(f queryFM) []string { return f.RedirectFrom }},
	} {
		out := t.TempDir()
		if _, err := Markdown(context.Background(), a, Options{Out: out, Flavor: c.flavor, NoSkeleton: true}); err != nil {
			t.Fatal(err)
		}
		fms := checkQueryAliases(t, c.flavor, coreTree(t, out))
		radio, page := fms[c.radio], fms[c.page]
		if !reflect.DeepEqual(radio.QueryAliases, []string{"/?p=21911"}) || radio.WordPressID != 21911 {
			t.Errorf("%s: %s: query_aliases %q, wordpress_id %d", c.flavor, c.radio, radio.QueryAliases, radio.WordPressID)
		}
		if !reflect.DeepEqual(page.QueryAliases, []string{"/?p=2", "/?page_id=2"}) {
			t.Errorf("%s: %s: query_aliases %q", c.flavor, c.page, page.QueryAliases)
		}
		if c.flavor == markdown.Hugo && !reflect.DeepEqual(c.pathKey(radio), []string{"/2022/05/09/shortwave-memories-when-radio-tashkent-went-silent/"}) {
			t.Errorf("%s: %s: aliases %q", c.flavor, c.radio, c.pathKey(radio))
		}
		if c.flavor == markdown.Jekyll && len(c.pathKey(radio)) != 0 {
			// Its old path is its permalink.
			t.Errorf("%s: %s: redirect_from %q", c.flavor, c.radio, c.pathKey(radio))
		}
	}
}

// TestQueryAliasesCorpus checks the old addresses of every public export
// of the corpus in both flavors (checkQueryAliases).
func TestQueryAliasesCorpus(t *testing.T) {
	dir := corpus.Need(t)
	files, err := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	queries := 0
	for _, file := range files {
		name := filepath.Base(file)
		a, err := coreImportCorpus(t, file)
		if err != nil {
			continue // refused on purpose; TestCorpus says which
		}
		for _, site := range coreSites(t, a.DB()) {
			for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
				out := t.TempDir()
				if _, err := Markdown(context.Background(), a, Options{Out: out, Flavor: flavor, Site: site, NoSkeleton: true, Comments: CommentsNone}); err != nil {
					t.Errorf("%s (%s, %s): %v", name, site, flavor, err)
					continue
				}
				label := fmt.Sprintf("%s (%s, %s)", name, site, flavor)
				for _, fm := range checkQueryAliases(t, label, coreTree(t, out)) {
					queries += len(fm.QueryAliases)
				}
			}
		}
	}
	if queries == 0 {
		t.Fatal("no query alias in the whole corpus")
	}
	t.Logf("%d query aliases over both flavors", queries)
}
