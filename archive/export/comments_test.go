package export

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	nethtml "golang.org/x/net/html"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/importer"
	"github.com/wparchive/wparchive/internal/corpus"
	"github.com/wparchive/wparchive/schema"
)

const (
	seedFile    = "../../testdata/seed/central-asia.xml"
	threadsFile = "../../testdata/export-comments/threads.xml"
)

// importFile imports a WXR file into a new archive and returns its
// database and the id of its one site.
func importFile(tb testing.TB, path string) (*sql.DB, int64) {
	tb.Helper()
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(tb.TempDir(), "a.sqlite"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	src := importer.Source{Name: filepath.Base(path), Open: func() (io.ReadCloser, error) { return os.Open(path) }}
	if _, err := importer.Import(ctx, a, []importer.Source{src}, importer.Options{}); err != nil {
		tb.Fatalf("import %s: %v", path, err)
	}
	var site int64
	if err := a.DB().QueryRow(`SELECT id FROM sites`).Scan(&site); err != nil {
		tb.Fatal(err)
	}
	return a.DB(), site
}

// threadOf returns the thread of the post with WordPress id wpID.
func threadOf(t *testing.T, db *sql.DB, threads map[int64]*Thread, site, wpID int64) *Thread {
	t.Helper()
	var id int64
	if err := db.QueryRow(`SELECT id FROM posts WHERE site_id = ? AND wp_id = ?`, site, wpID).Scan(&id); err != nil {
		t.Fatalf("post %d: %v", wpID, err)
	}
	return threads[id]
}

func load(t *testing.T, db *sql.DB, site int64, opt CommentOptions) map[int64]*Thread {
	t.Helper()
	threads, err := LoadComments(context.Background(), db, site, opt)
	if err != nil {
		t.Fatal(err)
	}
	return threads
}

// shape is a comment's place in its thread: "id/parent/depth".
type shape struct {
	ID, Parent, ReplyTo int64
	Depth               int
	Orphan              bool
}

func shapes(cs []Comment) []shape {
	var out []shape
	for _, c := range cs {
		out = append(out, shape{c.ID, c.Parent, c.ReplyTo, c.Depth, c.Orphan})
	}
	return out
}

func TestLoadCommentsSeed(t *testing.T) {
	db, site := importFile(t, seedFile)
	threads := load(t, db, site, CommentOptions{})
	if len(threads) != 2 {
		t.Errorf("%d posts with comments, want 2 (the Central Asia post and the QSL post)", len(threads))
	}
	th := threadOf(t, db, threads, site, 21873)
	if th == nil {
		t.Fatal("no thread for post 21873")
	}
	// 1201 → 1202 → 1203 → 1204 is a chain of replies; 1205 and 1207 are
	// top level; 1210 (pending) and 1211 (trash) are left out.
	want := []shape{
		{ID: 1201}, {ID: 1202, Parent: 1201, Depth: 1}, {ID: 1203, Parent: 1202, Depth: 2},
		{ID: 1204, Parent: 1203, Depth: 3}, {ID: 1205}, {ID: 1207},
	}
	if got := shapes(th.Comments); !reflect.DeepEqual(got, want) {
		t.Errorf("thread\n got %+v\nwant %+v", got, want)
	}
	if len(th.Pings) != 2 || th.Pings[0].ID != 1206 || th.Pings[0].Type != "trackback" || th.Pings[1].ID != 1208 || th.Pings[1].Type != "pingback" {
		t.Fatalf("pings %+v, want trackback 1206 then pingback 1208", th.Pings)
	}
	if th.Len() != 8 {
		t.Errorf("Len %d, want 8", th.Len())
	}
	tb := th.Pings[0]
	if tb.Author != "Kettles & Caravans" || tb.BlogName != "Kettles & Caravans" ||
		tb.URL != "https://caravans.example.net/2022/05/03/weekend-reading-sanctions-and-the-steppe/" ||
		tb.Title != "Weekend reading: sanctions and the steppe" || tb.Domain != "caravans.example.net" {
		t.Errorf("trackback %+v", tb)
	}
	if !strings.HasPrefix(tb.Content, "**Weekend reading: sanctions and the steppe**\n\nSteppe Watch has translated") {
		t.Errorf("trackback content %q", tb.Content)
	}
	pb := th.Pings[1]
	if pb.Author != "Shortwave memories: when Radio Tashkent went silent – Steppe Watch" || pb.BlogName != "" ||
		pb.URL != "https://steppewatch.example.org/2022/05/09/shortwave-memories-when-radio-tashkent-went-silent/" || pb.Title == "" {
		t.Errorf("pingback %+v", pb)
	}
	byID := map[int64]Comment{}
	for _, c := range th.Comments {
		byID[c.ID] = c
	}
	for id, p := range map[int64]string{1201: "twitter", 1202: "jetpack", 1203: "twitter", 1204: "wordpress", 1205: "facebook", 1207: ""} {
		if byID[id].Provider != p {
			t.Errorf("comment %d provider %q, want %q", id, byID[id].Provider, p)
		}
	}
	if a := byID[1201].Avatar; !strings.HasPrefix(a, "https://pbs.twimg.com/") {
		t.Errorf("twitter avatar %q", a)
	}
	if a := byID[1205].Avatar; !strings.HasPrefix(a, "https://graph.facebook.com/") {
		t.Errorf("facebook avatar %q", a)
	}
	c := byID[1201]
	if c.Date != "2022-05-01T23:06:17+02:00" || c.Author != "Aigerim Bekova" || c.URL != "https://twitter.com/aigerim_b_example" || c.Type != "comment" || c.Status != "" {
		t.Errorf("comment 1201 %+v", c)
	}
	if got := byID[1202].Content; got != "True. Though Pengpai is careful to *quote* him rather than to comment, which is a kind of comment in itself." {
		t.Errorf("comment 1202 content %q", got)
	}
	// Two paragraphs stay two.
	if got := byID[1204].Content; !strings.Contains(got, "first hit.\n\nAnd Jonas") {
		t.Errorf("comment 1204 content %q", got)
	}
	if qsl := threadOf(t, db, threads, site, 21911); qsl == nil || len(qsl.Comments) != 1 || qsl.Comments[0].ID != 1209 {
		t.Errorf("QSL post thread %+v", qsl)
	}
}

func TestLoadCommentsStatuses(t *testing.T) {
	db, site := importFile(t, seedFile)
	th := threadOf(t, db, load(t, db, site, CommentOptions{Statuses: []string{"approved", "pending"}}), site, 21873)
	var ids []int64
	for _, c := range th.Comments {
		ids = append(ids, c.ID)
		if c.ID == 1210 && c.Status != "pending" {
			t.Errorf("1210 status %q, want pending", c.Status)
		}
		if c.ID != 1210 && c.Status != "" {
			t.Errorf("%d status %q, want none (approved)", c.ID, c.Status)
		}
	}
	if want := []int64{1201, 1202, 1203, 1204, 1205, 1207, 1210}; !reflect.DeepEqual(ids, want) {
		t.Errorf("with pending: %v, want %v", ids, want)
	}
	// Pending only: the approved ones are gone, pings too.
	th = threadOf(t, db, load(t, db, site, CommentOptions{Statuses: []string{"Pending"}}), site, 21873)
	if th.Len() != 1 || th.Comments[0].ID != 1210 {
		t.Errorf("pending only: %+v", th)
	}
	th = threadOf(t, db, load(t, db, site, CommentOptions{Statuses: []string{"trash"}}), site, 21873)
	if th.Len() != 1 || th.Comments[0].ID != 1211 || th.Comments[0].Status != "trash" {
		t.Errorf("trash only: %+v", th)
	}
}

func TestLoadCommentsHardCases(t *testing.T) {
	db, site := importFile(t, threadsFile)
	threads := load(t, db, site, CommentOptions{})
	if threadOf(t, db, threads, site, 101) != nil || threadOf(t, db, threads, site, 102) != nil {
		t.Error("a post without approved comments has a thread")
	}
	th := threadOf(t, db, threads, site, 100)
	// 302 replied to pending 301: top level, ReplyTo 301; 303 stays under
	// 302. 306 replied to spam 305 under 304: shown under 304. 307 is an
	// orphan. 312 replied to pingback 311: top level. 314 and 315 name
	// each other; both kept. 318 and 319 share a date: by id.
	want := []shape{
		{ID: 302, ReplyTo: 301}, {ID: 303, Parent: 302, Depth: 1},
		{ID: 304}, {ID: 306, Parent: 304, ReplyTo: 305, Depth: 1}, {ID: 318, Parent: 304, Depth: 1}, {ID: 319, Parent: 304, Depth: 1},
		{ID: 307, ReplyTo: 999, Orphan: true},
		{ID: 308}, {ID: 309}, {ID: 310},
		{ID: 312, ReplyTo: 311},
		{ID: 313},
		{ID: 314, ReplyTo: 315}, {ID: 315, Parent: 314, Depth: 1},
	}
	if got := shapes(th.Comments); !reflect.DeepEqual(got, want) {
		t.Errorf("thread\n got %+v\nwant %+v", got, want)
	}
	if len(th.Pings) != 1 || th.Pings[0].ID != 311 || th.Pings[0].Author != "Linking Page – Other Blog" {
		t.Errorf("pings %+v", th.Pings)
	}
	byID := map[int64]Comment{}
	for _, c := range th.Comments {
		byID[c.ID] = c
	}
	if c := byID[313]; c.Type != "webmention" || c.Provider != "" {
		t.Errorf("webmention %+v", c)
	}
	if c := byID[304]; c.Provider != "twitter" || c.Avatar != "https://pbs.twimg.com/a.png" ||
		c.Content != "First line  \nsecond line\n\nSecond paragraph with [https://example.com/page?a=1&b=2](https://example.com/page?a=1&b=2) and [www.example.org](http://www.example.org)." {
		t.Errorf("304 %+v", c)
	}
	if c := byID[310]; c.Author != "Tom & Jerry *stars* [x]" || c.URL != "https://tj.example.net/a b(c)" {
		t.Errorf("310 name and URL %+v", c)
	}
	// comment_text runs no shortcodes and no embeds: the text stays.
	c := byID[310].Content
	rendered, err := markdown.RenderMarkdown(c)
	if err != nil {
		t.Fatal(err)
	}
	text := html.UnescapeString(rendered)
	for _, s := range []string{"[code]x := 1[/code]", "{{< youtube abc >}}", "{% include x %}", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "After the divider."} {
		if !strings.Contains(text, s) {
			t.Errorf("310 content lost %q:\n%s\n%s", s, c, text)
		}
	}
	if strings.Contains(c, "<iframe") || strings.Contains(c, "```") || strings.Contains(c, "<!--") {
		t.Errorf("310 content was rendered as a post:\n%s", c)
	}
	// Everything, with every status.
	all := threadOf(t, db, load(t, db, site, CommentOptions{Statuses: CommentStatuses}), site, 100)
	want = []shape{
		{ID: 301}, {ID: 302, Parent: 301, Depth: 1}, {ID: 303, Parent: 302, Depth: 2},
		{ID: 304}, {ID: 305, Parent: 304, Depth: 1}, {ID: 306, Parent: 305, Depth: 2}, {ID: 316, Parent: 304, Depth: 1},
		{ID: 318, Parent: 304, Depth: 1}, {ID: 319, Parent: 304, Depth: 1},
		{ID: 307, ReplyTo: 999, Orphan: true},
		{ID: 308}, {ID: 309}, {ID: 310},
		{ID: 312, ReplyTo: 311},
		{ID: 313},
		{ID: 314, ReplyTo: 315}, {ID: 315, Parent: 314, Depth: 1},
	}
	if got := shapes(all.Comments); !reflect.DeepEqual(got, want) {
		t.Errorf("every status\n got %+v\nwant %+v", got, want)
	}
}

// storedPrivate returns every e-mail and IP address the archive holds.
func storedPrivate(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT author_email FROM comments UNION SELECT author_ip FROM comments
		UNION SELECT email FROM commenters UNION SELECT email FROM authors`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s.String != "" {
			out = append(out, strings.ToLower(s.String))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var anyEmail = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+`)

func TestCommentsPrivacy(t *testing.T) {
	for _, file := range []string{seedFile, threadsFile} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			db, site := importFile(t, file)
			private := storedPrivate(t, db)
			if len(private) < 10 {
				t.Fatalf("only %d addresses stored: %v", len(private), private)
			}
			for _, opt := range []CommentOptions{{Statuses: CommentStatuses}, {Statuses: CommentStatuses, Private: true}} {
				threads := load(t, db, site, opt)
				for id, th := range threads {
					for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
						data, err := th.Data(flavor)
						if err != nil {
							t.Fatal(err)
						}
						out := map[string]string{"data": string(data), "inline": th.Inline(flavor)}
						rendered, err := markdown.RenderMarkdown(out["inline"])
						if err != nil {
							t.Fatal(err)
						}
						out["rendered"] = rendered
						for kind, s := range out {
							low := strings.ToLower(s)
							for _, p := range private {
								if strings.Contains(low, p) {
									t.Errorf("post %d %s %s (private %v) holds %q", id, flavor, kind, opt.Private, p)
								}
							}
							if m := anyEmail.FindString(s); m != "" {
								t.Errorf("post %d %s %s holds an e-mail address %q", id, flavor, kind, m)
							}
						}
					}
				}
			}
		})
	}
	// The masks are where the addresses were.
	db, site := importFile(t, threadsFile)
	th := threadOf(t, db, load(t, db, site, CommentOptions{}), site, 100)
	for _, c := range th.Comments {
		switch c.ID {
		case 308:
			if c.Author != hiddenEmail || c.URL != "" || strings.Contains(c.Content, "mailto") {
				t.Errorf("308 author %q URL %q", c.Author, c.URL)
			}
			if !strings.Contains(c.Content, "Write to "+hiddenEmail+" or me;") || !strings.Contains(c.Content, "my address is "+hiddenIP+", and ::ffff:"+hiddenIP+" too") {
				t.Errorf("308 content %q", c.Content)
			}
		case 309:
			if c.Author != hiddenIP {
				t.Errorf("309 author %q", c.Author)
			}
		}
	}
}

func TestMaskEmails(t *testing.T) {
	p := newPrivacy()
	p.addEmail("odd@localhost")
	p.addIP("192.0.2.1")
	p.addIP("2001:db8::2a")
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "a.b@example.org", hiddenEmail},
		{"sentence", "Mail a.b@example.org.", "Mail " + hiddenEmail + "."},
		{"markdown escape", `john\_doe@example.org`, hiddenEmail},
		{"angle", "<x@example.org>", "<" + hiddenEmail + ">"},
		{"unicode", "пётр@пример.рф", hiddenEmail},
		{"stored without dot", "odd@localhost", hiddenEmail},
		{"mention", "@Aigerim: yes", "@Aigerim: yes"},
		{"handle in URL", "https://medium.com/@someone", "https://medium.com/@someone"},
		{"no dot", "me@home", "me@home"},
		{"ip", "from 192.0.2.1.", "from " + hiddenIP + "."},
		{"ip not stored", "version 192.0.2.10", "version 192.0.2.10"},
		{"ipv6", "at [2001:db8::2a]", "at [" + hiddenIP + "]"},
		{"mapped", "::ffff:192.0.2.1", "::ffff:" + hiddenIP},
		{"in URL", "http://192.0.2.1/x", "http://" + hiddenIP + "/x"},
	} {
		if got := p.scrub(tc.in); got != tc.want {
			t.Errorf("%s: scrub(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestCommentsDataRoundTrip(t *testing.T) {
	for _, file := range []string{seedFile, threadsFile} {
		db, site := importFile(t, file)
		for _, opt := range []CommentOptions{{}, {Statuses: CommentStatuses}} {
			for id, th := range load(t, db, site, opt) {
				for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
					data, err := th.Data(flavor)
					if err != nil {
						t.Fatal(err)
					}
					var back Thread
					if err := yaml.Unmarshal(data, &back); err != nil {
						t.Fatalf("post %d: %v\n%s", id, err, data)
					}
					if !reflect.DeepEqual(&back, th) {
						t.Errorf("post %d %s: round trip differs\n got %+v\nwant %+v\n%s", id, flavor, back, *th, data)
					}
					// Layouts read plain values: every key is a string,
					// dates are strings (not YAML timestamps).
					var generic map[string]any
					if err := yaml.Unmarshal(data, &generic); err != nil {
						t.Fatal(err)
					}
					for _, c := range generic["comments"].([]any) {
						if _, ok := c.(map[string]any)["date"].(string); !ok {
							t.Errorf("post %d: date is not a string: %#v", id, c)
						}
					}
					again, _ := th.Data(flavor)
					if string(again) != string(data) {
						t.Errorf("post %d: Data is not deterministic", id)
					}
				}
			}
		}
	}
	if _, err := (&Thread{}).Data("pelican"); err == nil {
		t.Error("unknown flavor accepted")
	}
}

func TestCommentsDataKeys(t *testing.T) {
	db, site := importFile(t, seedFile)
	th := threadOf(t, db, load(t, db, site, CommentOptions{}), site, 21873)
	data, err := th.Data(markdown.Hugo)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.HasPrefix(s, "comments:\n  - id: 1201\n    depth: 0\n    type: comment\n    author: Aigerim Bekova\n    url: https://twitter.com/aigerim_b_example\n    provider: twitter\n") {
		t.Errorf("data file starts\n%s", s[:min(len(s), 400)])
	}
	if !strings.Contains(s, "\npings:\n  - id: 1206\n") {
		t.Errorf("no pings list:\n%s", s)
	}
	empty, _ := (&Thread{}).Data(markdown.Jekyll)
	if string(empty) != "comments: []\n" {
		t.Errorf("empty thread %q", empty)
	}
}

// blockquoteDepth returns, for each paragraph of rendered HTML that holds
// marker, how many blockquotes enclose it.
func blockquoteDepth(h, marker string) int {
	i := strings.Index(h, marker)
	if i < 0 {
		return -1
	}
	before := h[:i]
	return strings.Count(before, "<blockquote>") - strings.Count(before, "</blockquote>")
}

func TestCommentsInline(t *testing.T) {
	db, site := importFile(t, seedFile)
	th := threadOf(t, db, load(t, db, site, CommentOptions{}), site, 21873)
	md := th.Inline(markdown.Hugo)
	if !strings.HasPrefix(md, "## Comments\n\n[**Aigerim Bekova**](https://twitter.com/aigerim_b_example) via Twitter · 2022-05-01 23:06\n\nThe Suleimenov quote") {
		t.Errorf("inline starts\n%s", md[:min(len(md), 300)])
	}
	if !strings.Contains(md, "\n## Trackbacks and pingbacks\n\nTrackback: [**Weekend reading: sanctions and the steppe**](https://caravans.example.net/2022/05/03/weekend-reading-sanctions-and-the-steppe/) (Kettles &amp; Caravans) · 2022-05-03 08:20\n") {
		t.Errorf("no trackback line:\n%s", md)
	}
	h, err := markdown.RenderMarkdown(md)
	if err != nil {
		t.Fatal(err)
	}
	// Each reply sits one blockquote deeper than its parent, and the
	// thread after it is back at the top.
	for marker, want := range map[string]int{
		"The Suleimenov quote": 0, "Pengpai is careful": 1, "Do you have a link": 2,
		"same QSL card": 3, "Интересно": 0, "People remember January": 0, "Weekend reading": 0,
	} {
		if got := blockquoteDepth(h, marker); got != want {
			t.Errorf("%q at blockquote depth %d, want %d", marker, got, want)
		}
	}
	if blockquoteDepth(h, "<h2") != 0 || !strings.Contains(h, "<h2>Trackbacks and pingbacks</h2>") {
		t.Errorf("headings:\n%s", h)
	}
	if md != th.Inline(markdown.Jekyll) {
		t.Error("Hugo and Jekyll differ on a thread without template delimiters")
	}
	if (&Thread{}).Inline(markdown.Hugo) != "" || (*Thread)(nil).Inline(markdown.Hugo) != "" {
		t.Error("an empty thread gives a section")
	}
}

func TestCommentsInlineEscapes(t *testing.T) {
	db, site := importFile(t, threadsFile)
	th := threadOf(t, db, load(t, db, site, CommentOptions{}), site, 100)
	hugo, jekyll := th.Inline(markdown.Hugo), th.Inline(markdown.Jekyll)
	if strings.Contains(hugo, "{{<") || strings.Contains(hugo, "{{%") {
		t.Errorf("Hugo section holds a shortcode delimiter:\n%s", hugo)
	}
	if !strings.HasPrefix(jekyll, "{% raw %}\n## Comments\n") || !strings.HasSuffix(jekyll, "{% endraw %}\n") {
		t.Errorf("Jekyll section not in raw:\n%s", jekyll)
	}
	if !strings.Contains(hugo, `**Tom &amp; Jerry \*stars\* \[x\]**`) || !strings.Contains(hugo, "](https://tj.example.net/a%20b%28c%29)") {
		t.Errorf("name or link not escaped:\n%s", hugo)
	}
	if !strings.Contains(hugo, "**Orphan Reply** · 2020-06-04 10:00 · in reply to a comment missing from the archive") {
		t.Errorf("orphan not marked:\n%s", hugo)
	}
	h, err := markdown.RenderMarkdown(hugo)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "<strong>Tom &amp; Jerry *stars* [x]</strong>") {
		t.Errorf("name renders wrong:\n%s", h)
	}
	if blockquoteDepth(h, "A reply to the reply.") != 1 || blockquoteDepth(h, "Replying to the spam.") != 1 || blockquoteDepth(h, "Loop B.") != 1 {
		t.Errorf("depths wrong:\n%s", h)
	}
}

// BenchmarkLoadComments loads every comment of the archive of cmd/wxrgen's
// 20,000-post export (seed 1: 138,436 comments and pings, 4,234 of them
// pending, 2,209 trash, 1,591 post-trashed) with the default options, as
// export markdown does once per site. The export is written to bench/ and
// imported into the temporary folder once (a minute or more), and both are kept
// between runs (wparchive-comments-bench-v<schema>.sqlite; delete it to
// import again). WPARCHIVE_BENCH_ARCHIVE=FILE runs on an archive you made
// instead, like the search benchmarks:
//
//	go run ./cmd/wxrgen -posts 20000 -seed 1 -o /tmp/20k.xml
//	go run -tags sqlite_fts5 ./cmd/wparchive import -q --db /tmp/20k.sqlite /tmp/20k.xml
//	WPARCHIVE_BENCH_ARCHIVE=/tmp/20k.sqlite go test -tags sqlite_fts5 -run '^$' -bench LoadComments -benchmem ./archive/export
//
// Besides wall time it reports the process's CPU time per load (cpu-ms/op,
// Linux only), which says more on a shared machine, and the comments and
// posts loaded.
func BenchmarkLoadComments(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("WPARCHIVE_BENCH_ARCHIVE")
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("wparchive-comments-bench-v%d.sqlite", schema.Version()))
		if _, err := os.Stat(path); err != nil {
			buildCommentsBench(b, path)
		}
		// Our own copy: bring its schema up to date.
		a, err := archive.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
	a, err := archive.OpenReadOnly(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	var site int64
	if err := a.DB().QueryRow(`SELECT site_id FROM posts GROUP BY site_id ORDER BY count(*) DESC LIMIT 1`).Scan(&site); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := processCPU()
	var comments, posts int
	for b.Loop() {
		threads, err := LoadComments(ctx, a.DB(), site, CommentOptions{})
		if err != nil {
			b.Fatal(err)
		}
		comments, posts = 0, len(threads)
		for _, t := range threads {
			comments += t.Len()
		}
	}
	if cpu := processCPU() - cpu0; cpu0 >= 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(comments), "comments/op")
	b.ReportMetric(float64(posts), "posts/op")
}

// buildCommentsBench writes the 20,000-post export to bench/ (kept there,
// git-ignored) unless it is there, and imports it into path through a
// temporary file, so an interrupted build leaves nothing.
func buildCommentsBench(b *testing.B, path string) {
	b.Helper()
	xml := filepath.Join("..", "..", "bench", "posts20000-seed1.xml")
	if _, err := os.Stat(xml); err != nil {
		if err := os.MkdirAll(filepath.Dir(xml), 0o755); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command("go", "run", "./cmd/wxrgen", "-q", "-posts", "20000", "-seed", "1", "-o", filepath.Join("bench", filepath.Base(xml)))
		cmd.Dir = filepath.Join("..", "..")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("generate the 20,000-post export: %v", err)
		}
	}
	ctx := context.Background()
	tmp := path + ".building"
	os.Remove(tmp)
	a, err := archive.Open(ctx, tmp)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	src := importer.Source{Name: filepath.Base(xml), Open: func() (io.ReadCloser, error) { return os.Open(xml) }}
	if _, err := importer.Import(ctx, a, []importer.Source{src}, importer.Options{}); err != nil {
		a.Close()
		b.Fatalf("import %s: %v", xml, err)
	}
	if err := a.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	os.Remove(tmp + "-wal")
	os.Remove(tmp + "-shm")
	fmt.Fprintf(os.Stderr, "built %s in %s\n", path, time.Since(start).Round(time.Second))
}

// processCPU returns the user and system CPU time of this process so far,
// from /proc/self/stat (clock ticks of 10 ms), or -1 where there is none.
func processCPU() time.Duration {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return -1
	}
	// The fields after the parenthesised command name; utime and stime
	// are the 14th and 15th of the line.
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return -1
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// plainCases are plain-text comments with what Markdown could misread.
var plainCases = []string{
	"Great post, as always.",
	"First line\nsecond line\n\n\nThird paragraph.\r\nWith CRLF.",
	"  leading and   inner\tspace  ",
	"# not a heading\n- not a list\n+ nor this\n* nor this\n1. not ordered\n2015) a year\n> not a quote\n= not setext\n: not a definition",
	"Title\n---\nmore\n===",
	"*stars* and _underscores_ and __double__ and snake_case_name",
	"[not a link](http) and ![not an image] and [^1] and *[HTML]: abbr",
	"`code` and ``double`` and \\backslash\\ at the end\\",
	"<not a tag> and a < b > c and x<y",
	"{{< youtube abc >}} and {{% x %}} and {% include x %} and {{ .Title }} and {: .class}",
	"$$ math $$ and $5 and 5$",
	"a | b | c\n--|--\n1 | 2",
	"Tom &amp; Jerry, &copy; 2020, AT&T, &#8220;quoted&#8221;, &lt;b&gt;not bold&lt;/b&gt;, &amp;amp; and &nbsp;nbsp",
	"&#8230; ellipsis and [&#8230;] pingback style [&#8230;]",
	"Ends with two spaces  \nand a line",
	"100. Line that starts with a number and a dot.\n3.14 is pi",
	"    four spaces are not code here",
	"-- dashes --- and ... and << guillemets >> and 'quotes' \"double\"",
	"Emoji 😀 and Chinese 谢谢你的翻译！ and Russian Спасибо за перевод!",
	"A line with a trailing backslash\\\nnext",
	"!important and a#hash and 50% and a+b=c and ~tilde~",
	"(e-mail hidden) and (IP hidden)",
	"\u00a0nbsp at the start and end\u00a0",
	"<strong>Weekend reading: sanctions and the steppe</strong>\n\nSteppe Watch has translated a long article [&#8230;]",
	"<strong>\"Quoted\" title, with *stars* &amp; 1. numbers</strong>\n\n# excerpt\nwith a break",
	"<strong>#1 of 10</strong>",
	"<strong>Ends with a backslash\\</strong>\n\nx",
	"<strong>Title</strong>\r\n\r\nCRLF excerpt",
	"<strong> spaced </strong>\n\nnot taken",
	"<strong>Title</strong>\nnot taken: one newline",
}

// commentContents returns the comment texts of the public corpus exports
// (nil without the corpus), read with encoding/xml.
func commentContents(t *testing.T) []string {
	dir := corpus.Dir()
	if dir == "" {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	var out []string
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(r)
		d.Strict = false
		for {
			tok, err := d.Token()
			if err != nil {
				break // the end, or a malformed export: what was read is enough
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "comment_content" {
				var s string
				if d.DecodeElement(&s, &se) == nil {
					out = append(out, s)
				}
			}
		}
		r.Close()
	}
	return out
}

// TestPlainMarkdown checks the fast path for plain-text comments and
// trackbacks: where fastMarkdown takes a comment, goldmark (Hugo) and kramdown (Jekyll,
// when Ruby and kramdown are installed) render its Markdown to the
// paragraphs, line breaks and text of WordPress's wpautop HTML, and to
// nothing else.
func TestPlainMarkdown(t *testing.T) {
	inputs := append([]string{}, plainCases...)
	for _, f := range []string{seedFile, threadsFile} {
		db, _ := importFile(t, f)
		rows, err := db.Query(`SELECT coalesce(content, '') FROM comments`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, s)
		}
		rows.Close()
	}
	fromCorpus := commentContents(t)
	inputs = append(inputs, fromCorpus...)
	var ins, fast []string
	for _, in := range inputs {
		md, ok := fastMarkdown(in)
		if !ok {
			continue
		}
		want := htmlShape(markdown.Wpautop(in))
		h, err := markdown.RenderMarkdown(md)
		if err != nil {
			t.Fatal(err)
		}
		if got := htmlShape(h); got != want {
			t.Errorf("goldmark renders the fast path differently\n  in: %q\nfast: %q\n got: %q\nwant: %q", in, md, got, want)
		}
		ins, fast = append(ins, in), append(fast, md)
	}
	t.Logf("%d of %d comments on the fast path (%d from the corpus)", len(fast), len(inputs), len(fromCorpus))
	if len(fast) < len(plainCases)-1 {
		t.Errorf("only %d comments on the fast path", len(fast))
	}
	hs, err := kramdownHTML(fast)
	if err != nil {
		t.Logf("kramdown not checked: %v", err)
		return
	}
	for i := range fast {
		if got, want := htmlShape(hs[i]), htmlShape(markdown.Wpautop(ins[i])); got != want {
			t.Errorf("kramdown renders the fast path differently\n  in: %q\nfast: %q\n got: %q\nwant: %q", ins[i], fast[i], got, want)
		}
	}
}

// typography undoes what kramdown's and WordPress's typography change.
var typography = strings.NewReplacer("\u2013", "--", "\u2014", "---", "\u2026", "...", "\u00ab", "<<", "\u00bb", ">>",
	"\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`, "\u00a0", " ")

// htmlShape returns the text of rendered HTML with ¶ between paragraphs
// and ↵ for line breaks, white space collapsed, typography undone; any
// other element is written as <name>, so that it shows in a comparison.
func htmlShape(h string) string {
	z := nethtml.NewTokenizer(strings.NewReader(h))
	var b strings.Builder
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break
		}
		name, _ := z.TagName()
		switch tt {
		case nethtml.TextToken:
			b.WriteString(typography.Replace(string(z.Text())))
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			switch string(name) {
			case "p":
				b.WriteString(" ¶ ")
			case "br":
				b.WriteString(" ↵ ")
			default:
				b.WriteString("<" + string(name) + ">")
			}
		}
	}
	s := " " + strings.Join(strings.Fields(b.String()), " ") + " "
	s = strings.ReplaceAll(s, " ↵ ¶ ", " ¶ ") // a break at a paragraph's end shows nothing
	return strings.TrimSpace(s)
}

// kramdownHTML renders Markdown documents with kramdown as Jekyll does
// (GFM input, no hard wrap) in one Ruby process.
func kramdownHTML(docs []string) ([]string, error) {
	ruby, err := exec.LookPath("ruby")
	if err != nil {
		return nil, err
	}
	in, _ := json.Marshal(docs)
	cmd := exec.Command(ruby, "-rjson", "-rkramdown", "-e",
		`docs = JSON.parse(STDIN.read); puts JSON.generate(docs.map { |d| Kramdown::Document.new(d, input: "GFM", hard_wrap: false).to_html })`)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("ruby kramdown: %v", err)
	}
	var all []string
	if err := json.Unmarshal(out, &all); err != nil || len(all) != len(docs) {
		return nil, fmt.Errorf("ruby kramdown: %d documents back: %v", len(all), err)
	}
	return all, nil
}

// TestCommentsCorpus loads the comments of the public exports that have
// some, with every status: none is lost (each comment of the archive is in
// exactly one thread, as a comment or a ping), and no e-mail or IP address
// the archive holds, nor any e-mail address at all, is in a data file or
// an inline section.
func TestCommentsCorpus(t *testing.T) {
	dir := corpus.Need(t)
	for _, name := range []string{"MikeChristianson__wordpress.xml", "Roshanzheng__wordpress.xml", "cc-archive-labs__wordpress.xml",
		"ServiceStackV3-mythz_blog__wordpress-export.xml", "wptt__themeunittestdata.wordpress.xml", "charleso-blog__wordpress.xml"} {
		t.Run(name, func(t *testing.T) {
			db, site := importFile(t, filepath.Join(dir, "public", name))
			var stored int
			if err := db.QueryRow(`SELECT count(*) FROM comments`).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			private := storedPrivate(t, db)
			seen := 0
			for id, th := range load(t, db, site, CommentOptions{Statuses: CommentStatuses}) {
				seen += th.Len()
				for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
					data, err := th.Data(flavor)
					if err != nil {
						t.Fatal(err)
					}
					for kind, s := range map[string]string{"data": string(data), "inline": th.Inline(flavor)} {
						low := strings.ToLower(s)
						for _, p := range private {
							if strings.Contains(low, p) {
								t.Errorf("post %d %s %s holds %q", id, flavor, kind, p)
							}
						}
						if m := anyEmail.FindString(s); m != "" {
							t.Errorf("post %d %s %s holds an e-mail address %q", id, flavor, kind, m)
						}
					}
				}
			}
			if seen != stored {
				t.Errorf("%d comments and pings in threads, %d in the archive", seen, stored)
			}
		})
	}
}

func TestCommentDate(t *testing.T) {
	for _, tc := range []struct{ local, gmt, at, want string }{
		{"2022-05-01 23:06:17", "2022-05-01 21:06:17", "2022-05-01T21:06:17Z", "2022-05-01T23:06:17+02:00"},
		{"2022-05-01 23:06:17", "2022-05-01 23:06:17", "2022-05-01T23:06:17Z", "2022-05-01T23:06:17Z"},
		{"2021-12-31 19:30:00", "2022-01-01 01:00:00", "2022-01-01T01:00:00Z", "2021-12-31T19:30:00-05:30"},
		{"2022-05-01 23:06:17", "2022-05-01 21:06:00", "2022-05-01T21:06:00Z", "2022-05-01T23:06:00+02:00"}, // offset rounded by WPTime
		{"2022-05-01 23:06:17", "0000-00-00 00:00:00", "", "2022-05-01T23:06:17Z"},                          // no GMT date: read as UTC
		{"0000-00-00 00:00:00", "2022-05-01 21:06:17", "2022-05-01T21:06:17Z", "2022-05-01T21:06:17Z"},      // no local date: UTC
		{"", "", "", ""},
	} {
		if got := commentDate(tc.local, tc.gmt, tc.at); got != tc.want {
			t.Errorf("commentDate(%q, %q, %q) = %q, want %q", tc.local, tc.gmt, tc.at, got, tc.want)
		}
		if tm, ok := markdown.WPTime(tc.local, tc.gmt, nil); ok {
			if want := tm.Format(time.RFC3339); commentDate(tc.local, tc.gmt, tc.at) != want {
				t.Errorf("commentDate(%q, %q) differs from WPTime's %q", tc.local, tc.gmt, want)
			}
		}
	}
}

// TestThreadsIndex orders the same rows with row ids close together (a
// slice indexes them) and far apart (a map does): the threads are equal.
func TestThreadsIndex(t *testing.T) {
	rows := func(stride int64) []*cmtRow {
		id := func(n int64) int64 {
			if n == 0 {
				return 0
			}
			return 7 + n*stride
		}
		mk := func(n, post, parent int64, date string, included, ping bool) *cmtRow {
			return &cmtRow{post: post, id: id(n), wpID: 100 + n, parent: id(parent), parentWP: map[bool]int64{true: 100 + parent}[parent != 0],
				included: included, ping: ping, date: date, dateAt: date, c: Comment{ID: 100 + n}}
		}
		return []*cmtRow{
			mk(1, 1, 0, "2020-01-01", true, false),
			mk(2, 1, 1, "2020-01-03", false, false), // excluded reply
			mk(3, 1, 2, "2020-01-04", true, false),  // shown under 1
			mk(4, 1, 1, "2020-01-02", true, false),  // before 3 by date
			mk(5, 1, 0, "2020-01-05", true, true),   // a ping
			mk(6, 1, 5, "2020-01-06", true, false),  // reply to the ping: top level
			mk(7, 2, 0, "2020-01-01", true, false),  // another post
			mk(8, 2, 1, "2020-01-02", true, false),  // parent in another post: top level
		}
	}
	dense, sparse := threads(rows(1)), threads(rows(1_000_003))
	if !reflect.DeepEqual(dense, sparse) {
		t.Errorf("dense and sparse ids give different threads:\n%+v\n%+v", dense, sparse)
	}
	want := []shape{{ID: 101}, {ID: 104, Parent: 101, Depth: 1}, {ID: 103, Parent: 101, ReplyTo: 102, Depth: 1}, {ID: 106, ReplyTo: 105}}
	if got := shapes(dense[1].Comments); !reflect.DeepEqual(got, want) {
		t.Errorf("post 1\n got %+v\nwant %+v", got, want)
	}
	if len(dense[1].Pings) != 1 || dense[1].Pings[0].ID != 105 {
		t.Errorf("post 1 pings %+v", dense[1].Pings)
	}
	if got := shapes(dense[2].Comments); !reflect.DeepEqual(got, []shape{{ID: 107}, {ID: 108, ReplyTo: 101}}) {
		t.Errorf("post 2 %+v", got)
	}
}

// TestDateTimeSeconds compares dateTimeSeconds with time.Parse on every
// kind of date a comment can carry and on broken ones: the same dates
// accepted, and the same differences between two of them.
func TestDateTimeSeconds(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	fastHits := 0
	base, _ := time.Parse(time.DateTime, "0001-01-01 00:00:00")
	check := func(s string) {
		t.Helper()
		want, err := time.Parse(time.DateTime, s)
		got, ok := dateTimeSeconds(s)
		if _, fast := wpDateTimeSeconds(s); fast {
			fastHits++
		}
		if ok != (err == nil) {
			t.Fatalf("%q: accepted %v, time.Parse: %v", s, ok, err)
		}
		if ok && got != want.Unix()-base.Unix() {
			t.Fatalf("%q: %d s, time.Parse gives %d s", s, got, want.Unix()-base.Unix())
		}
	}
	for _, s := range []string{
		"2022-05-01 23:06:17", "2024-02-29 00:00:00", "2023-02-29 00:00:00", "2000-02-29 12:00:00",
		"1900-02-29 12:00:00", "2022-04-31 10:00:00", "2022-12-31 23:59:59", "2022-13-01 00:00:00",
		"2022-00-10 00:00:00", "2022-01-00 00:00:00", "2022-01-01 24:00:00", "2022-01-01 23:60:00",
		"2022-01-01 23:59:60", "2022-01-01T23:59:59", "2022/01/01 23:59:59", "2022-01-01 23:59:5x",
		"+022-01-01 23:59:59", "2022-1-01 23:59:590", "9999-12-31 23:59:59", "1000-01-01 00:00:00",
	} {
		check(s)
	}
	const chars = "0123456789-: T+x"
	for range 20000 {
		// A valid date, then the same with one byte changed.
		tm := time.Unix(base.Unix()+rng.Int64N(253402300799-base.Unix()), 0).UTC()
		s := tm.Format(time.DateTime)
		check(s)
		b := []byte(s)
		b[rng.IntN(len(b))] = chars[rng.IntN(len(chars))]
		check(string(b))
	}
	if fastHits < 20000 {
		t.Errorf("the hand-written reading took %d dates, want every valid one of the 20,000", fastHits)
	}
}
