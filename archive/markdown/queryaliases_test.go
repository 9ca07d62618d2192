package markdown

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitAliases(t *testing.T) {
	in := []string{"/2024/07/01/new-name/", "/?p=12", "/old/", "/?page_id=12", "/index.php?p=12&lang=en"}
	paths, queries := SplitAliases(in)
	if want := []string{"/2024/07/01/new-name/", "/old/"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
	if want := []string{"/?p=12", "/?page_id=12", "/index.php?p=12&lang=en"}; !reflect.DeepEqual(queries, want) {
		t.Errorf("queries = %q, want %q", queries, want)
	}
	if p, q := SplitAliases(nil); p != nil || q != nil {
		t.Errorf("SplitAliases(nil) = %q, %q", p, q)
	}
}

// TestFrontMatterQueryAliases: both flavors write QueryAliases as
// query_aliases, after the aliases the generator reads, by hand and by
// the encoder alike.
func TestFrontMatterQueryAliases(t *testing.T) {
	fm := Fields{Title: "T", Slug: "t", Aliases: []string{"/old/"}, QueryAliases: []string{"/?p=12", "/?page_id=12"}, Permalink: "/t/", More: true}
	for flavor, want := range map[string]string{
		Hugo:   "slug: t\naliases:\n  - /old/\nquery_aliases:\n  - /?p=12\n  - /?page_id=12\n---\n",
		Jekyll: "permalink: /t/\nredirect_from:\n  - /old/\nquery_aliases:\n  - /?p=12\n  - /?page_id=12\nexcerpt_separator: <!--more-->\n---\n",
	} {
		b, err := FrontMatter(fm, flavor)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(b), want) {
			t.Errorf("%s:\n%s\nwant it to end with:\n%s", flavor, b, want)
		}
		enc, err := encodeYAML(frontEntries(fm, flavor))
		if err != nil {
			t.Fatal(err)
		}
		if string(enc) != string(b) {
			t.Errorf("%s: the encoder writes\n%s\nby hand:\n%s", flavor, enc, b)
		}
	}
}
