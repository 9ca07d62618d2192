package export

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
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
