package export

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wparchive/wparchive/archive/markdown"
)

// coreMediaClient returns a client that sends every request to a loopback
// server instead of the host in its URL (no network in tests): the server
// answers any path ending in cup.jpg with 404 and others with bytes made
// from the path. It counts the requests.
func coreMediaClient(t *testing.T) (*http.Client, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if strings.HasSuffix(r.URL.Path, "cup.jpg") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("JPEG of " + r.URL.Path))
	}))
	t.Cleanup(srv.Close)
	target, _ := url.Parse(srv.URL)
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = target.Scheme, target.Host
		return http.DefaultTransport.RoundTrip(r)
	})}, &n
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestMediaDownload exports the hard cases with --media download: the
// images of the classic post (the featured image among them) are copied
// beside it (Hugo bundle) or into the shared media folder, the links and
// the front matter point at the copies, the image the server does not
// have keeps its remote link and is listed, and a second export takes
// everything from the cache and writes the same tree.
func TestMediaDownload(t *testing.T) {
	a := coreArchive(t, coreHard)
	ctx := context.Background()
	const remote = "https://hard.example.com/wp-content/uploads/2023/03/"
	for _, c := range []struct {
		flavor, layout string
		post, kettle   string // the classic post's file; where kettle.jpg goes
		link           string // how the post links to it
	}{
		{markdown.Hugo, LayoutBundle, "content/posts/classic-paragraphs-caption-nested-shortcodes/index.md",
			"content/posts/classic-paragraphs-caption-nested-shortcodes/kettle.jpg", "kettle.jpg"},
		{markdown.Hugo, LayoutFlat, "content/posts/classic-paragraphs-caption-nested-shortcodes.md",
			"static/media/kettle.jpg", "/media/kettle.jpg"},
		{markdown.Jekyll, LayoutBundle, "_posts/2023-03-01-classic-paragraphs-caption-nested-shortcodes.md",
			"assets/media/kettle.jpg", "/assets/media/kettle.jpg"},
	} {
		t.Run(c.flavor+"-"+c.layout, func(t *testing.T) {
			client, requests := coreMediaClient(t)
			cache := t.TempDir()
			out := filepath.Join(t.TempDir(), "out")
			opt := Options{Out: out, Flavor: c.flavor, Layout: c.layout, Media: MediaDownload, MediaCache: cache, MediaClient: client, NoSkeleton: true}
			sum, err := Markdown(ctx, a, opt)
			if err != nil {
				t.Fatal(err)
			}
			tree := coreTree(t, out)
			if got := string(tree[c.kettle]); got != "JPEG of /wp-content/uploads/2023/03/kettle.jpg" {
				t.Errorf("%s = %q", c.kettle, got)
			}
			post := string(tree[c.post])
			if strings.Contains(post, remote+"kettle") {
				t.Errorf("the post still links the remote kettle:\n%s", post)
			}
			if !strings.Contains(post, "("+c.link+")") && !strings.Contains(post, `"`+c.link+`"`) {
				t.Errorf("the post does not link %s:\n%s", c.link, post)
			}
			featured := "image: "
			if c.flavor == markdown.Hugo {
				featured = "images:\n  - "
			}
			if !strings.Contains(post, featured+c.link+"\n") && !strings.Contains(post, featured+"'"+c.link+"'\n") {
				t.Errorf("the featured image is not the copy (%s%s):\n%s", featured, c.link, post)
			}
			if !strings.Contains(post, remote+"cup.jpg") {
				t.Errorf("the image that failed lost its remote link:\n%s", post)
			}
			if len(sum.Media.Failed) != 1 || sum.Media.Failed[0].URL != remote+"cup.jpg" || !strings.Contains(sum.Media.Failed[0].Error, "404") {
				t.Errorf("failed: %+v", sum.Media.Failed)
			}
			if sum.Media.Fetched < 2 || sum.Media.URLs != sum.Media.Fetched+1 || sum.Media.Cached != 0 {
				t.Errorf("media summary: %+v", sum.Media)
			}
			// Again: from the cache, the same tree.
			before := requests.Load()
			sum2, err := Markdown(ctx, a, opt)
			if err != nil {
				t.Fatal(err)
			}
			if sum2.Media.Cached != sum.Media.Fetched || sum2.Written != 0 {
				t.Errorf("second export: %+v, %d written", sum2.Media, sum2.Written)
			}
			if n := requests.Load() - before; n != 1 { // only the 404 again
				t.Errorf("second export made %d requests, want 1", n)
			}
			compareTrees(t, tree, coreTree(t, out))
		})
	}
}

// relativeExport writes a small export of a blog at link (a folder of its
// host) whose post links its media root-relative: an image, a [caption]
// figure, an image with a srcset (which the Markdown drops) and a PDF, as
// some blogs and plugins write them.
func relativeExport(t *testing.T, link string) string {
	t.Helper()
	x := `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Relative</title>
	<link>` + link + `</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_blog_url>` + link + `</wp:base_blog_url>
	<item>
		<title>Root-relative media</title>
		<link>` + link + `/2020/01/root-relative-media/</link>
		<dc:creator><![CDATA[ada]]></dc:creator>
		<content:encoded><![CDATA[An image: <img src="/blog/wp-content/uploads/2020/01/rel.png" alt="rel">

[caption id="attachment_7" align="alignnone" width="300"]<img src="/blog/wp-content/uploads/2020/01/fig.jpg" width="300" height="200"> A figure[/caption]

<img src="/blog/wp-content/uploads/2020/01/set.jpg" srcset="/blog/wp-content/uploads/2020/01/set-2x.jpg 2x">

The <a href="/blog/wp-content/uploads/2020/01/paper.pdf">paper</a>, the <a href="/blog/2019/12/older-post/">older post</a> and a <a href="//cdn.example.net/x.jpg">CDN picture</a>.]]></content:encoded>
		<wp:post_id>1</wp:post_id>
		<wp:post_date>2020-01-02 10:00:00</wp:post_date>
		<wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
		<wp:post_name>root-relative-media</wp:post_name>
		<wp:status>publish</wp:status>
		<wp:post_type>post</wp:post_type>
	</item>
</channel>
</rss>
`
	p := filepath.Join(t.TempDir(), "relative.xml")
	if err := os.WriteFile(p, []byte(x), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMediaDownloadRootRelative: media linked root-relative are fetched
// from the site's host (where WordPress showed them from), copied and
// linked like the others; a link to a post is left alone. Without a site
// address they stay as written and are listed as failed.
func TestMediaDownloadRootRelative(t *testing.T) {
	ctx := context.Background()
	a := coreArchive(t, relativeExport(t, "https://rel.example.org/blog"))
	client, _ := coreMediaClient(t)
	out := filepath.Join(t.TempDir(), "out")
	sum, err := Markdown(ctx, a, Options{Out: out, Flavor: markdown.Hugo, Layout: LayoutBundle, Media: MediaDownload,
		MediaCache: t.TempDir(), MediaClient: client, NoSkeleton: true})
	if err != nil {
		t.Fatal(err)
	}
	tree := coreTree(t, out)
	dir := "content/posts/root-relative-media/"
	post := string(tree[dir+"index.md"])
	for _, name := range []string{"rel.png", "fig.jpg", "set.jpg", "paper.pdf", "x.jpg"} {
		if _, ok := tree[dir+name]; !ok {
			t.Errorf("%s was not copied beside the post; the tree: %v", name, sortedKeysOf(tree))
		}
	}
	if got := string(tree[dir+"rel.png"]); got != "JPEG of /blog/wp-content/uploads/2020/01/rel.png" {
		t.Errorf("rel.png = %q: not fetched from the site's host at its path", got)
	}
	if strings.Contains(post, "/wp-content/") {
		t.Errorf("the post still links a root-relative media URL:\n%s", post)
	}
	if !strings.Contains(post, "/blog/2019/12/older-post/") {
		t.Errorf("the link to a post was changed:\n%s", post)
	}
	if len(sum.Media.Failed) != 0 || sum.Media.Fetched != 5 || sum.Media.URLs != 5 {
		t.Errorf("media summary: %+v", sum.Media)
	}

	// A site with no http(s) address: nothing to resolve against.
	b := coreArchive(t, relativeExport(t, "relative"))
	out2 := filepath.Join(t.TempDir(), "out")
	sum, err = Markdown(ctx, b, Options{Out: out2, Flavor: markdown.Hugo, Layout: LayoutBundle, Media: MediaDownload,
		MediaCache: t.TempDir(), MediaClient: client, NoSkeleton: true})
	if err != nil {
		t.Fatal(err)
	}
	post = string(coreTree(t, out2)[dir+"index.md"])
	if !strings.Contains(post, "/blog/wp-content/uploads/2020/01/rel.png") {
		t.Errorf("without a site address the root-relative link should stay:\n%s", post)
	}
	if len(sum.Media.Failed) != 4 || !strings.Contains(sum.Media.Failed[0].Error, "root-relative") || sum.Media.Fetched != 1 {
		t.Errorf("without a site address: failed %+v", sum.Media.Failed)
	}
}
