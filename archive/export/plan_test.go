package export

import (
	"fmt"
	"reflect"
	"runtime"
	"testing"

	"github.com/wparchive/wparchive/archive/markdown"
)

// planPosts returns n posts whose slugs, permalinks and old slugs clash
// in many ways (repeated slugs, a slug another post had, links to
// another post's new path), pages nested under pages, drafts without a
// GMT date.
func planPosts(n int) []*post {
	var posts []*post
	for i := 0; i < n; i++ {
		p := &post{id: int64(i + 1), wpID: int64(100 + i), typ: "post", status: "publish",
			slugRaw:  fmt.Sprintf("slug-%d", i%37),
			title:    fmt.Sprintf("Title %d", i),
			link:     fmt.Sprintf("https://x.example/%d/%02d/slug-%d/", 2000+i%20, 1+i%12, i%41),
			dateRaw:  fmt.Sprintf("%d-%02d-%02d 10:00:00", 2000+i%20, 1+i%12, 1+i%28),
			dateGMT:  fmt.Sprintf("%d-%02d-%02d 04:00:00", 2000+i%20, 1+i%12, 1+i%28),
			oldSlugs: []string{fmt.Sprintf("slug-%d", (i+5)%37), "Ünïcode-Slug"},
		}
		switch i % 7 {
		case 1:
			p.typ = "page"
			if i > 7 {
				p.parentID = int64(i - 6)
			}
		case 2:
			p.status, p.dateGMT = "draft", "0000-00-00 00:00:00"
		case 3:
			p.slugRaw = "%c3%84rger" // one name for file systems that fold case
		case 4:
			p.slugRaw = "ärger"
		case 5:
			p.slugRaw, p.link = "", ""
		}
		posts = append(posts, p)
	}
	return posts
}

// TestPlanParallel: the plan and the aliases worked out on several CPUs
// are those of one CPU, for both flavours and all layouts.
func TestPlanParallel(t *testing.T) {
	type placed struct {
		Slug, Key, Rel, URL string
		Renamed, Draft      bool
		Date, Modified      string
		Aliases             []string
	}
	run := func(procs int, opt Options) []placed {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		posts := planPosts(1500)
		d := &archiveData{site: &site{id: 1}, posts: posts, byID: map[int64]*post{}}
		for _, p := range posts {
			d.byID[p.id] = p
		}
		exportOrder(posts)
		plan(posts, &opt, d)
		aliases := assignAliases(posts, opt.Flavor)
		out := make([]placed, len(posts))
		for i, p := range posts {
			out[i] = placed{p.slug, p.key, p.rel, p.url, p.renamed, p.draft,
				p.date.String(), p.modified.String(), aliases[p]}
		}
		return out
	}
	for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
		for _, layout := range []string{LayoutBundle, LayoutFlat, LayoutDated} {
			opt := Options{Flavor: flavor, Layout: layout}
			one, many := run(1, opt), run(4, opt)
			renamed := 0
			for i := range one {
				if one[i].Renamed {
					renamed++
				}
				if !reflect.DeepEqual(one[i], many[i]) {
					t.Fatalf("%s %s: post %d planned on 4 CPUs as %+v, on one as %+v", flavor, layout, i, many[i], one[i])
				}
			}
			if renamed == 0 {
				t.Fatalf("%s %s: no slug clashed; the test posts do not test the claiming", flavor, layout)
			}
		}
	}
}
