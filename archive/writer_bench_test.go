package archive

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// benchPost is a heavy post: 4 KB of content (and 4 KB of derived text),
// 8 meta rows, 4 terms, 4 comments with 2 meta rows each (one a reply),
// 1 quote. That is about three times the rows of an average item of the
// shared corpus (0.75 comments, 0.1 comment meta, 2.7 post meta per item).
func benchPost(i int) *Post {
	id := strconv.Itoa(i + 1)
	p := &Post{
		WPID: id, Title: "A post about things " + id, Link: "https://example.org/?p=" + id, Creator: "admin",
		Content: strings.Repeat("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. 上海合作组织.</p>\n", 55),
		DateRaw: "2024-01-02 03:04:05", DateGMTRaw: "2024-01-02 01:04:05", Status: "publish", PostType: "post",
		Slug: "a-post-" + id, ParentRaw: "0", MenuOrderRaw: "0", IsStickyRaw: "0", CommentStatus: "open", PingStatus: "open",
		Terms: []PostTerm{
			{Domain: "category", Nicename: "news", Name: "News"}, {Domain: "category", Nicename: "cat" + strconv.Itoa(i%20), Name: "Cat"},
			{Domain: "post_tag", Nicename: "tag" + strconv.Itoa(i%200), Name: "Tag"}, {Domain: "post_tag", Nicename: "common", Name: "Common"},
		},
		Line: i * 100, File: "export.xml",
		Derived: PostDerived{DateAt: "2024-01-02T01:04:05Z", Lang: "en", SlugDecoded: "a-post-" + id,
			Text:   strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. 上\u200b海.\n", 55),
			Quotes: []Quote{{Ord: 0, Kind: "inline", Tag: "p", Lang: "zh", Raw: "上海合作组织", Normalized: "上海合作组织", TranslationOf: -1, RepeatOf: -1}}},
	}
	for k := range 8 {
		p.Meta = append(p.Meta, Meta{Key: fmt.Sprintf("_key%d", k), Value: strings.Repeat("v", 40)})
	}
	for k := range 4 {
		c := comment(strconv.Itoa(i*10+k+1), "0")
		if k == 3 {
			c.ParentRaw = strconv.Itoa(i*10 + 1)
		}
		c.Content = strings.Repeat("Nice post, thank you. ", 15)
		c.Meta = []Meta{{Key: "akismet_result", Value: "false"}, {Key: "akismet_history", Value: `a:2:{s:4:"time";d:1;s:5:"event";s:10:"check-ham";}`, JSON: `{"time":1,"event":"check-ham"}`}}
		c.Derived.IdentityKey = "email:" + strconv.Itoa((i*10+k)%5000)
		p.Comments = append(p.Comments, c)
	}
	p.RawHash = hash(id + p.Title)
	return p
}

// benchPosts hands out posts made from a few templates, as a streaming
// importer does: holding b.N whole posts in memory would make the garbage
// collector, not the archive, the thing measured.
type benchPosts struct {
	tmpl []*Post
	cur  Post
}

func newBenchPosts() *benchPosts {
	bp := &benchPosts{}
	for i := range 64 {
		bp.tmpl = append(bp.tmpl, benchPost(i))
	}
	return bp
}

// newTypicalPosts makes posts shaped like the shared corpus's average
// item: 3 meta rows, 2 terms, and 3 comments on every 4th post (0.75 a
// post, one with a meta row).
func newTypicalPosts() *benchPosts {
	bp := &benchPosts{}
	for i := range 64 {
		p := benchPost(i)
		p.Meta = p.Meta[:3]
		p.Terms = p.Terms[:2]
		p.Derived.Quotes = nil
		if i%4 == 0 {
			p.Comments = p.Comments[:3]
			for k := range p.Comments {
				p.Comments[k].Meta = p.Comments[k].Meta[:k%2]
			}
		} else {
			p.Comments = nil
		}
		bp.tmpl = append(bp.tmpl, p)
	}
	return bp
}

// get returns post i; it is valid until the next call.
func (bp *benchPosts) get(i int) *Post {
	bp.cur = *bp.tmpl[i%len(bp.tmpl)]
	bp.cur.WPID = strconv.Itoa(i + 1)
	bp.cur.Slug = "a-post-" + bp.cur.WPID
	bp.cur.RawHash = hash(bp.cur.WPID)
	return &bp.cur
}

// BenchmarkAddPost measures the import hot path: a new archive, one
// transaction, b.N posts (with their terms, meta, comments and quotes), and
// the Commit that links parents. Run:
//
//	go test -tags sqlite_fts5 -run '^$' -bench AddPost -benchtime 20000x ./archive/
func BenchmarkAddPost(b *testing.B) {
	b.Run("heavy", func(b *testing.B) { benchAdd(b, newBenchPosts(), ftsTriggers) })
	b.Run("typical", func(b *testing.B) { benchAdd(b, newTypicalPosts(), ftsTriggers) })
	// As the importer writes: the full-text index in chunks
	// (DeferSearchIndex, indexSearchChunk, FlushSearchIndex).
	b.Run("heavy-deferred", func(b *testing.B) { benchAdd(b, newBenchPosts(), ftsDeferred) })
	b.Run("typical-deferred", func(b *testing.B) { benchAdd(b, newTypicalPosts(), ftsDeferred) })
	// As a first import writes: into a new archive that Create builds
	// without a journal, with the importer's 4 MiB page cache.
	b.Run("heavy-build", func(b *testing.B) { benchAdd(b, newBenchPosts(), ftsBuild) })
	b.Run("typical-build", func(b *testing.B) { benchAdd(b, newTypicalPosts(), ftsBuild) })
	// The same without the full-text index's triggers: the cost of the
	// archive's own writes.
	b.Run("heavy-nofts", func(b *testing.B) { benchAdd(b, newBenchPosts(), ftsNone) })
	b.Run("typical-nofts", func(b *testing.B) { benchAdd(b, newTypicalPosts(), ftsNone) })
}

// How benchAdd indexes the posts for search.
const (
	ftsTriggers = iota // by the schema's triggers, row by row
	ftsDeferred        // in chunks, as the importer does
	ftsBuild           // ftsDeferred in an archive Create builds
	ftsNone            // not at all: the triggers dropped
)

func benchAdd(b *testing.B, posts *benchPosts, fts int) {
	ctx := context.Background()
	open := Open
	if fts == ftsBuild {
		open = Create
	}
	a, err := open(ctx, filepath.Join(b.TempDir(), "bench.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if fts == ftsNone {
		rows, err := a.DB().Query(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name GLOB '*_a[idu]'`)
		if err != nil {
			b.Fatal(err)
		}
		var triggers []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			triggers = append(triggers, n)
		}
		rows.Close()
		for _, n := range triggers {
			if _, err := a.DB().Exec(`DROP TRIGGER "` + n + `"`); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if fts == ftsBuild {
		if err := w.SetCacheSize(ctx, 4<<10); err != nil {
			b.Fatal(err)
		}
	}
	if fts == ftsDeferred || fts == ftsBuild {
		if err := w.DeferSearchIndex(ctx); err != nil {
			b.Fatal(err)
		}
	}
	w.SetSite(ctx, &Site{Key: "example.org"})
	w.AddAuthor(ctx, &Author{Login: "admin"})
	for i := range b.N {
		if _, err := w.AddPost(ctx, posts.get(i)); err != nil {
			b.Fatal(err)
		}
	}
	if fts == ftsDeferred || fts == ftsBuild {
		if err := w.FlushSearchIndex(ctx); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	// The process's CPU time per post (user and system), which a busy
	// machine disturbs less than the wall time.
	if c := cpuTime() - cpu0; c > 0 {
		b.ReportMetric(float64(c.Nanoseconds())/1000/float64(b.N), "cpu-us/op")
	}
}

// BenchmarkReimportUnchanged measures a re-import of an unchanged export:
// every post is found by key and skipped by its hash.
func BenchmarkReimportUnchanged(b *testing.B) {
	posts := newBenchPosts()
	ctx := context.Background()
	a, err := Open(ctx, filepath.Join(b.TempDir(), "bench.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	run := func() {
		w, err := a.BeginImport(ctx, ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		w.SetSite(ctx, &Site{Key: "example.org"})
		for i := range b.N {
			if _, err := w.AddPost(ctx, posts.get(i)); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
			b.Fatal(err)
		}
	}
	run()
	b.ResetTimer()
	run()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// indexesAndTriggers lists the archive's indexes and triggers with their
// SQL, in name order.
func indexesAndTriggers(t testing.TB, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), `SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema
		WHERE type IN ('index', 'trigger') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, tbl, q string
		if err := rows.Scan(&typ, &name, &tbl, &q); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s on %s: %s\n", typ, name, tbl, q)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestBulkImportKeepsSchema: an import into an archive without posts
// writes without the secondary indexes and the full-text insert triggers
// (deferIndexes); a rollback leaves them as they were, and
// FlushSearchIndex (or Commit) builds them again from the rows, so that the archive afterwards has the same
// schema, passes integrity_check (every index entry matches its row) and
// indexes the next import's rows by trigger.
func TestBulkImportKeepsSchema(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	before := indexesAndTriggers(t, a.DB())
	posts := newBenchPosts()
	bulk := func() *Writer {
		t.Helper()
		w, err := a.BeginImport(ctx, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.DeferSearchIndex(ctx); err != nil {
			t.Fatal(err)
		}
		if err := w.SetSite(ctx, &Site{Key: "example.org"}); err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			if _, err := w.AddPost(ctx, posts.get(i)); err != nil {
				t.Fatal(err)
			}
		}
		return w
	}

	w := bulk()
	during := indexesAndTriggers(t, w.tx)
	for _, gone := range []string{"index comments_kind", "index postmeta_key", "trigger posts_ai", "trigger comments_ai"} {
		if strings.Contains(during, gone+" ") {
			t.Errorf("%s is still there during an import into an empty archive", gone)
		}
	}
	for _, kept := range []string{"index posts_wp_id", "index sqlite_autoindex_comments_1", "trigger posts_ad"} {
		if !strings.Contains(during, kept+" ") {
			t.Errorf("%s was dropped during the import; it must stay", kept)
		}
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := indexesAndTriggers(t, a.DB()); got != before {
		t.Fatalf("a rolled back import changed the schema:\n%s\nwant\n%s", got, before)
	}

	w = bulk()
	if err := w.FlushSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	// Built again before the statements that end an import, which may
	// need them.
	if got := indexesAndTriggers(t, w.tx); got != before {
		t.Errorf("after FlushSearchIndex the schema is\n%s\nwant\n%s", got, before)
	}
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		t.Fatal(err)
	}
	if got := indexesAndTriggers(t, a.DB()); got != before {
		t.Fatalf("after a bulk import the schema is\n%s\nwant\n%s", got, before)
	}
	if got := one[string](t, a.DB(), "PRAGMA integrity_check"); got != "ok" {
		t.Errorf("integrity_check: %s", got)
	}
	if n := one[int](t, a.DB(), `SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'lorem'`); n != 50 {
		t.Errorf("%d posts of the bulk import found by the index, want 50", n)
	}

	// The next import is not a bulk one: its rows are indexed by the
	// triggers Commit created again.
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w.bulk {
		t.Error("an import into an archive with posts is a bulk import")
	}
	w.SetSite(ctx, &Site{Key: "example.org"})
	p := posts.get(50)
	p.Derived.Text = "zebrafinch"
	if _, err := w.AddPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		t.Fatal(err)
	}
	if n := one[int](t, a.DB(), `SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'zebrafinch'`); n != 1 {
		t.Errorf("the post of the second import found %d times, want 1", n)
	}
}
