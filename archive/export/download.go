package export

import (
	"context"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/wparchive/wparchive/archive/markdown"
)

// media fetches the media every converted post uses (its Markdown and its
// featured image), copies each file into the site and writes the posts
// with their links rewritten to the copies. Where a file goes: beside the
// post for Hugo's bundle layout, else static/media/ (Hugo) or
// assets/media/ (Jekyll), linked from the site's root. A failed download
// leaves its links remote and is counted in ms; it never stops the export.
//
// Media linked root-relative (src="/wp-content/uploads/a.jpg", as some
// blogs and plugins write them) are fetched from the site's host, where
// WordPress showed them from, and listed by that absolute URL; without a
// site address (http or https) to resolve them against they stay as
// written and are listed as failed.
func (x *exporter) media(ctx context.Context, posts []*post, results []result, ms *MediaSummary) error {
	urls := make([][]string, len(posts))
	var all []string
	base, err := url.Parse(strings.TrimSpace(x.siteURL))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		base = nil
	}
	abs := map[string]string{} // root-relative URL -> the one fetched; "": none
	for i := range posts {
		var rel []string
		urls[i], rel = mediaURLs(string(results[i].file))
		all = append(all, urls[i]...)
		for _, u := range rel {
			a, seen := abs[u]
			if !seen {
				a = rootRelativeURL(base, u, ms)
				abs[u] = a
				if a != "" {
					all = append(all, a)
				}
			}
			if a != "" {
				urls[i] = append(urls[i], u)
			}
		}
	}
	f, err := NewFetcher(MediaOptions{CacheDir: x.opt.MediaCache, Client: x.opt.MediaClient, AllowPrivate: x.opt.MediaAllowPrivate})
	if err != nil {
		return err
	}
	got := f.Fetch(ctx, all)
	if err := ctx.Err(); err != nil {
		return err
	}
	names := make([]string, 0, len(got))
	for u := range got {
		names = append(names, u)
	}
	sort.Strings(names)
	// One result per distinct file: the URLs of one file share its Name.
	done := map[string]bool{}
	for _, u := range names {
		r := got[u]
		if r.Err != nil || r.Path == "" {
			ms.Failed = append(ms.Failed, MediaFail{URL: u, Error: errString(r.Err)})
			continue
		}
		if done[r.Path] {
			continue
		}
		done[r.Path] = true
		ms.Fetched++
		if r.Cached {
			ms.Cached++
		}
	}
	ms.URLs = len(done) + len(ms.Failed)
	for u, a := range abs {
		if a != "" {
			got[u] = got[a]
		}
	}

	bundle := x.opt.Flavor == markdown.Hugo && x.opt.Layout == LayoutBundle
	shared := "static/media"
	sharedURL := "/media/"
	if x.opt.Flavor == markdown.Jekyll {
		shared, sharedURL = "assets/media", "/assets/media/"
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		copied   = map[string]bool{}
	)
	claim := func(rel string) bool {
		mu.Lock()
		defer mu.Unlock()
		if copied[rel] {
			return false
		}
		copied[rel] = true
		return true
	}
	jobs := make(chan int)
	for w := 0; w < x.opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := x.writeWithMedia(posts[i], results[i].file, urls[i], got, bundle, shared, sharedURL, claim); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
				results[i].file = nil
			}
		}()
	}
	for i := range posts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return firstErr
}

// rootRelativeURL returns the URL a root-relative media URL u is fetched
// from, resolved against the site's address base; "" when it cannot be,
// listed in ms as failed.
func rootRelativeURL(base *url.URL, u string, ms *MediaSummary) string {
	ref, err := url.Parse(u)
	switch {
	case err != nil:
		ms.Failed = append(ms.Failed, MediaFail{URL: u, Error: "not a valid URL: " + err.Error()})
	case base == nil:
		ms.Failed = append(ms.Failed, MediaFail{URL: u, Error: "a root-relative URL, and the site has no http(s) address to fetch it from"})
	default:
		return base.ResolveReference(ref).String()
	}
	return ""
}

// writeWithMedia copies the fetched media of one post and writes it with
// its links to them.
func (x *exporter) writeWithMedia(p *post, file []byte, urls []string, got map[string]MediaResult, bundle bool, shared, sharedURL string, claim func(string) bool) error {
	local := map[string]string{}
	for _, u := range urls {
		r, ok := got[u]
		if !ok || r.Err != nil || r.Path == "" || r.Name == "" || !localPath(r.Name) || path.Base(r.Name) != r.Name {
			continue
		}
		var rel string
		if bundle {
			rel = path.Join(path.Dir(p.rel), r.Name)
			local[u] = r.Name
		} else {
			rel = path.Join(shared, r.Name)
			local[u] = sharedURL + r.Name
		}
		if claim(rel) {
			if err := x.t.copyFrom(rel, r.Path); err != nil {
				return err
			}
		}
	}
	if len(local) > 0 {
		file = []byte(RewriteMedia(string(file), local))
	}
	return x.t.write(p.rel, file)
}

func errString(err error) string {
	if err == nil {
		return "no file"
	}
	return err.Error()
}
