package export

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestReadTerms checks the terms the front matter gets: display names in
// the export's order, each once per post whatever its case (the first
// spelling kept, per post), tags under post_tag whichever domain the
// export used, entities decoded, WordPress's own taxonomies and empty
// names left out, custom taxonomies by name.
func TestReadTerms(t *testing.T) {
	const wxr = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>t</title><link>https://example.org</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://example.org</wp:base_site_url><wp:base_blog_url>https://example.org</wp:base_blog_url>
<item><title>one</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_name>one</wp:post_name>
<category domain="category" nicename="news"><![CDATA[News]]></category>
<category domain="category" nicename="news"><![CDATA[news]]></category>
<category domain="post_tag" nicename="news"><![CDATA[News]]></category>
<category domain="tag" nicename="tea"><![CDATA[tea]]></category>
<category domain="post_tag" nicename="tea"><![CDATA[Tea]]></category>
<category domain="genre" nicename="b"><![CDATA[Rock &amp; Roll]]></category>
<category domain="author_box" nicename="a"><![CDATA[Ann]]></category>
<category domain="nav_menu" nicename="main"><![CDATA[Main]]></category>
<category domain="post_format" nicename="post-format-aside"><![CDATA[Aside]]></category>
<category domain="category" nicename="empty"><![CDATA[]]></category>
</item>
<item><title>two</title><wp:post_id>2</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_name>two</wp:post_name>
<category domain="category" nicename="news-caps"><![CDATA[NEWS]]></category>
<category domain="category" nicename="news"><![CDATA[news]]></category>
<category domain="post_tag" nicename="tea"><![CDATA[Tea]]></category>
</item>
</channel></rss>`
	f := filepath.Join(t.TempDir(), "terms.xml")
	if err := os.WriteFile(f, []byte(wxr), 0o644); err != nil {
		t.Fatal(err)
	}
	a := coreArchive(t, f)
	ctx := context.Background()
	var siteID, one, two int64
	if err := a.DB().QueryRowContext(ctx, `SELECT site_id, id FROM posts WHERE wp_id = 1`).Scan(&siteID, &one); err != nil {
		t.Fatal(err)
	}
	if err := a.DB().QueryRowContext(ctx, `SELECT id FROM posts WHERE wp_id = 2`).Scan(&two); err != nil {
		t.Fatal(err)
	}
	byPost, err := readTerms(ctx, a.DB(), siteID)
	if err != nil {
		t.Fatal(err)
	}
	got := func(id int64) [3]any {
		p := byPost[id]
		if p == nil {
			return [3]any{}
		}
		tx := map[string][]string{}
		for _, x := range p.taxonomies {
			tx[x.Name] = x.Terms
		}
		return [3]any{p.categories, p.tags, tx}
	}
	want1 := [3]any{[]string{"News"}, []string{"News", "tea"}, map[string][]string{"author_box": {"Ann"}, "genre": {"Rock & Roll"}}}
	if g := got(one); !reflect.DeepEqual(g, want1) {
		t.Errorf("post one: %#v\nwant %#v", g, want1)
	}
	// Terms are named by the archive's terms table when the export
	// defines them or an earlier item named them (taxonomy and slug):
	// "news" is News, "tea" is tea, "news-caps" is NEWS, which comes first.
	want2 := [3]any{[]string{"NEWS"}, []string{"tea"}, map[string][]string{}}
	if g := got(two); !reflect.DeepEqual(g, want2) {
		t.Errorf("post two: %#v\nwant %#v", g, want2)
	}
	if p := byPost[one]; p != nil && len(p.taxonomies) == 2 && p.taxonomies[0].Name != "author_box" {
		t.Errorf("custom taxonomies not sorted by name: %v", p.taxonomies)
	}
}
