package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Fixtures are built by hand: the archive never parses XML.

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func comment(id, parent string) Comment {
	return Comment{
		WPID: id, ParentRaw: parent, Author: "Reader " + id, AuthorEmail: "r" + id + "@example.com",
		AuthorIP: "192.0.2." + id, DateRaw: "2024-05-21 17:02:40", Content: "<p>comment " + id + "</p>",
		ApprovedRaw: "1", TypeRaw: "comment", UserIDRaw: "0",
		Derived: CommentDerived{Kind: "comment", Status: "approved", Text: "comment " + id, Provider: "guest"},
	}
}

// withHash sets the post's raw hash from its content, as the importer
// hashes the item's bytes.
func withHash(p *Post) *Post {
	p.RawHash = hash(p.WPID + "\x00" + p.Title + "\x00" + p.Content + "\x00" + p.ParentRaw + fmt.Sprint(len(p.Comments)))
	return p
}

func simplePost(id, typ, parent string) *Post {
	return withHash(&Post{
		WPID: id, Title: "Post " + id, Content: "<p>Body of " + id + "</p>", PostType: typ, Status: "publish",
		ParentRaw: parent, MenuOrderRaw: "0", IsStickyRaw: "0", Creator: "admin", Slug: "post-" + id,
		DateRaw: "2024-01-02 03:04:05", DateGMTRaw: "2024-01-02 01:04:05",
		Derived: PostDerived{DateAt: "2024-01-02T01:04:05Z", Text: "Body of " + id},
	})
}

// richPost exercises every kind of child row.
func richPost() *Post {
	c1 := comment("11", "0")
	c1.Meta = []Meta{{Key: "akismet_result", Value: "false"}, {Key: "hc_post_as", Value: "twitter"}}
	c1.Derived.IdentityKey = "twitter:42"
	c1.Derived.Provider = "twitter"
	c1.Derived.Avatar = "https://example.com/a.png"
	c1.Derived.ForeignUserID = "42"
	c2 := comment("12", "11")
	c2.Derived.IdentityKey = "email:r12"
	c3 := comment("13", "11")
	c3.Derived.IdentityKey = "twitter:42" // the same person again
	c3.Derived.Provider = "twitter"
	ping := comment("14", "")
	ping.TypeRaw, ping.AuthorEmail = "pingback", ""
	ping.Derived = CommentDerived{Kind: "pingback", Status: "approved", PingURL: "https://other.example/x", PingDomain: "other.example", PingTitle: "Other"}
	orphan := comment("15", "999")
	orphan.ApprovedRaw = "0"
	orphan.Derived.Status = "pending"
	return withHash(&Post{
		WPID: "7", Title: "上海合作组织 &amp; Russia", Link: "https://example.org/?p=7", PubDateRaw: "Tue, 02 Jan 2024 01:04:05 +0000",
		Creator: "admin", GUID: "https://example.org/?p=7", GUIDIsPermaLink: "false",
		Content: "<p>Hello</p><blockquote lang=\"zh\">上海合作组织</blockquote>", Excerpt: "ex",
		DateRaw: "2024-01-02 03:04:05", DateGMTRaw: "2024-01-02 01:04:05", ModifiedRaw: "2024-01-03 03:04:05",
		ModifiedGMTRaw: "2024-01-03 01:04:05", CommentStatus: "open", PingStatus: "open",
		Slug: "%e4%b8%8a%e6%b5%b7", Status: "publish", ParentRaw: "0", MenuOrderRaw: " 3 ", PostType: "post",
		Password: "", IsStickyRaw: "1",
		Terms: []PostTerm{
			{Domain: "category", Nicename: "news", Name: "News"},
			{Domain: "tag", Nicename: "q-a", Name: "Q&amp;A"}, // WXR 1.0 domain
			{Domain: "post_format", Nicename: "post-format-aside", Name: "Aside"},
			{Domain: "category", Name: "News"}, // WXR 1.0 bare duplicate
			{Domain: "category", Nicename: "news", Name: "News"},
		},
		Meta: []Meta{
			{Key: "_edit_last", Value: "1"},
			{Key: "_wp_old_slug", Value: "old"},
			{Key: "_wp_old_slug", Value: "older"},
			{Key: "_data", Value: `a:1:{s:1:"k";s:1:"v";}`, JSON: `{"k":"v"}`},
		},
		Comments: []Comment{c1, c2, c3, ping, orphan},
		Extra:    []Element{{Name: "{urn:x}thing", Text: "kept"}},
		Line:     120, File: "export.xml",
		Derived: PostDerived{
			DateAt: "2024-01-02T01:04:05Z", ModifiedAt: "2024-01-03T01:04:05Z", SlugDecoded: "上海",
			Text: "Hello 上\u200b海", SearchTitle: "上\u200b海 & Russia", Lang: "en", ContentNormal: "<p>Hello</p>",
			Quotes: []Quote{
				{Ord: 0, Kind: "block", Tag: "blockquote", Lang: "zh", Script: "Hans", Raw: "上海合作组织", Normalized: "上海合作组织",
					TranslationOf: -1, RepeatOf: -1, Fixes: map[string]int{"comma": 1}},
				{Ord: 1, Kind: "inline", Tag: "p", Lang: "zh", Raw: "上海", Normalized: "上海", TranslationOf: 0, Translation: "Shanghai", RepeatOf: 0},
			},
		},
	})
}

type fixture struct {
	site    Site
	authors []Author
	terms   []Term
	posts   []*Post
}

func baseFixture() fixture {
	return fixture{
		site: Site{Key: "example.org", Title: "Example", Link: "https://example.org", Language: "en", WXRVersion: "1.2",
			BaseBlogURL: "https://example.org", Extra: []Element{{Name: "generator", Text: "x"}}},
		authors: []Author{{WPID: "1", Login: "admin", Email: "admin@example.org", DisplayName: "Admin"}},
		terms: []Term{
			// The child is defined before its parent on purpose.
			{Element: "category", WPID: "3", Taxonomy: "category", Slug: "local", Parent: "news", Name: "Local"},
			{Element: "category", WPID: "2", Taxonomy: "category", Slug: "news", Name: "News &amp; Views",
				Meta: []Meta{{Key: "color", Value: "red"}}},
			{Element: "tag", WPID: "4", Taxonomy: "tag", Slug: "%e5%94%90", Name: "唐"},
		},
		posts: []*Post{
			richPost(),
			simplePost("20", "page", "21"), // child before parent
			simplePost("21", "page", "0"),
			simplePost("5", "post", "0"),
			simplePost("5", "attachment", "21"), // a repeated post id
		},
	}
}

func importFixture(t testing.TB, a *Archive, f fixture) (ImportSummary, []PostResult) {
	t.Helper()
	ctx := context.Background()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	if err := w.SetSite(ctx, &f.site); err != nil {
		t.Fatal(err)
	}
	for i := range f.authors {
		if err := w.AddAuthor(ctx, &f.authors[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range f.terms {
		if err := w.AddTerm(ctx, &f.terms[i]); err != nil {
			t.Fatal(err)
		}
	}
	var res []PostResult
	for _, p := range f.posts {
		r, err := w.AddPost(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		res = append(res, r)
	}
	sum, err := w.Commit(ctx, ImportRecord{
		Sources: []Source{{Name: "export.xml", Bytes: 1234, SHA256: "ab"}}, SHA256: "ab", Bytes: 1234,
		Repairs: map[string]int{"control_chars": 2}, Options: map[string]bool{"redact": false},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sum, res
}

var tables = []string{"sites", "_imports", "authors", "terms", "termmeta", "posts", "post_terms", "postmeta",
	"commenters", "comments", "commentmeta", "quotes"}

func tableCounts(t testing.TB, db *sql.DB) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		m[tb] = n
	}
	return m
}

// dump returns every row of every table as text, in id order: equal dumps
// mean equal content.
func dump(t testing.TB, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		var ncol int
		if err := db.QueryRow("SELECT count(*) FROM pragma_table_info(?)", n).Scan(&ncol); err != nil {
			t.Fatal(err)
		}
		order := "1"
		for i := 2; i <= ncol; i++ {
			order += fmt.Sprintf(", %d", i)
		}
		rows, err := db.Query(`SELECT * FROM "` + n + `" ORDER BY ` + order)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "== %s %v\n", n, cols)
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q\n", vals)
		}
		rows.Close()
	}
	return b.String()
}

func one[T any](t testing.TB, db *sql.DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

func TestImportStoresEverything(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	sum, res := importFixture(t, a, baseFixture())
	for i, r := range res {
		if r != Inserted {
			t.Errorf("post %d: %v, want inserted", i, r)
		}
	}

	want := map[string]int{"sites": 1, "_imports": 1, "authors": 1, "terms": 5, "termmeta": 1, "posts": 5,
		"post_terms": 5, "postmeta": 4, "commenters": 2, "comments": 5, "commentmeta": 2, "quotes": 2}
	if got := tableCounts(t, db); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counts\n got %v\nwant %v", got, want)
	}

	// Raw and derived post columns.
	var (
		wpID, menuOrder, sticky, line                int64
		title, slug, slugDec, extra, text, file, lnk string
		author                                       sql.NullInt64
		hashCol                                      []byte
		first, last                                  int64
	)
	err := db.QueryRow(`SELECT wp_id, menu_order, is_sticky, title, slug, slug_decoded, extra_json, text, source_file,
			source_line, link, author_id, raw_hash, first_import_id, last_import_id FROM posts WHERE wp_key = '7'`).
		Scan(&wpID, &menuOrder, &sticky, &title, &slug, &slugDec, &extra, &text, &file, &line, &lnk, &author, &hashCol, &first, &last)
	if err != nil {
		t.Fatal(err)
	}
	p := richPost()
	if wpID != 7 || menuOrder != 3 || sticky != 1 || title != p.Title || slug != p.Slug || slugDec != "上海" ||
		!strings.Contains(extra, "kept") || text != p.Derived.Text || file != "export.xml" || line != 120 ||
		!author.Valid || string(hashCol) != string(p.RawHash) || first != sum.ImportID || last != sum.ImportID {
		t.Errorf("post 7 stored wrong: %d %d %d %q %q %q %q %q %q %d %q %v %d %d", wpID, menuOrder, sticky, title, slug,
			slugDec, extra, text, file, line, lnk, author, first, last)
	}
	if n := one[int](t, db, `SELECT count(*) FROM posts WHERE wp_key = '20' AND extra_json IS NULL AND lang IS NULL AND modified_at IS NULL`); n != 1 {
		t.Error("empty derived fields and Extra are not NULL")
	}

	// Terms: "tag" is post_tag, names unescaped, slugs decoded, the child
	// defined first still finds its parent.
	if got := one[string](t, db, `SELECT name || '|' || name_raw FROM terms WHERE slug = 'news'`); got != "News & Views|News &amp; Views" {
		t.Errorf("term name = %q", got)
	}
	if got := one[string](t, db, `SELECT taxonomy || '|' || slug_decoded FROM terms WHERE wp_id = 4`); got != "post_tag|唐" {
		t.Errorf("tag = %q", got)
	}
	if got := one[string](t, db, `SELECT p.slug FROM terms c JOIN terms p ON p.id = c.parent_id WHERE c.slug = 'local'`); got != "news" {
		t.Errorf("parent of local = %q", got)
	}
	// Terms the items named but the channel did not define are created.
	if got := one[string](t, db, `SELECT group_concat(taxonomy || ':' || slug || ':' || name, ' ') FROM (SELECT * FROM terms WHERE element = 'item' ORDER BY slug)`); got != "post_format:post-format-aside:Aside post_tag:q-a:Q&A" {
		t.Errorf("item terms = %q", got)
	}
	if sum.TermsCreated != 2 {
		t.Errorf("TermsCreated = %d", sum.TermsCreated)
	}
	// post_terms: every reference in order, duplicates kept, the bare one
	// without a term.
	rows, err := db.Query(`SELECT pt.ord, coalesce(t.taxonomy || '/' || t.slug, 'NULL'), pt.domain FROM post_terms pt
		LEFT JOIN terms t ON t.id = pt.term_id ORDER BY pt.ord`)
	if err != nil {
		t.Fatal(err)
	}
	var pts []string
	for rows.Next() {
		var ord int
		var term, domain string
		rows.Scan(&ord, &term, &domain)
		pts = append(pts, fmt.Sprintf("%d:%s:%s", ord, term, domain))
	}
	rows.Close()
	if got := strings.Join(pts, " "); got != "0:category/news:category 1:post_tag/q-a:tag 2:post_format/post-format-aside:post_format 3:NULL:category 4:category/news:category" {
		t.Errorf("post_terms = %s", got)
	}

	// Meta: order, repeated keys, JSON.
	if got := one[string](t, db, `SELECT group_concat(meta_key || '=' || coalesce(value_json, '-'), ' ') FROM (SELECT * FROM postmeta ORDER BY ord)`); got != `_edit_last=- _wp_old_slug=- _wp_old_slug=- _data={"k":"v"}` {
		t.Errorf("postmeta = %s", got)
	}

	// Comments: parents, depth, orphan, commenters, ping fields.
	rows, err = db.Query(`SELECT c.wp_key, coalesce(p.wp_key, '-'), c.depth, c.orphan, coalesce(cm.provider, '-'),
		coalesce(c.ping_domain, '-'), c.status FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
		LEFT JOIN commenters cm ON cm.id = c.commenter_id ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	var cs []string
	for rows.Next() {
		var k, pk, prov, dom, st string
		var depth, orphan int
		rows.Scan(&k, &pk, &depth, &orphan, &prov, &dom, &st)
		cs = append(cs, fmt.Sprintf("%s<%s d%d o%d %s %s %s", k, pk, depth, orphan, prov, dom, st))
	}
	rows.Close()
	want2 := "11<- d0 o0 twitter - approved|12<11 d1 o0 guest - approved|13<11 d1 o0 twitter - approved|14<- d0 o0 - other.example approved|15<- d0 o1 - - pending"
	if got := strings.Join(cs, "|"); got != want2 {
		t.Errorf("comments\n got %s\nwant %s", got, want2)
	}
	if got := one[string](t, db, `SELECT avatar || '|' || foreign_user_id || '|' || email FROM commenters WHERE identity_key = 'twitter:42'`); got != "https://example.com/a.png|42|r11@example.com" {
		t.Errorf("commenter = %q", got)
	}

	// Quotes.
	if got := one[string](t, db, `SELECT group_concat(ord || ':' || coalesce(translation_ord, 'N') || ':' || coalesce(repeat_of_ord, 'N') || ':' || coalesce(fixes_json, 'N') || ':' || search_text, '|') FROM (SELECT * FROM quotes ORDER BY ord)`); got != "0:N:N:{\"comma\":1}:上\u200b海\u200b合\u200b作\u200b组\u200b织|1:0:0:N:上\u200b海" {
		t.Errorf("quotes = %q", got)
	}

	// The summary counts what was read.
	if sum.Posts != 5 || sum.PostsByType["page"] != 2 || sum.PostsByType["post"] != 2 || sum.PostsByStatus["publish"] != 5 ||
		sum.Inserted != 5 || sum.Comments != 5 || sum.CommentsByKind["pingback"] != 1 || sum.CommentsByStatus["pending"] != 1 ||
		sum.Orphans != 1 || sum.Authors != 1 || sum.TermsByTaxonomy["post_tag"] != 1 || sum.TermsByTaxonomy["category"] != 2 ||
		sum.PostMeta != 4 || sum.CommentMeta != 2 || sum.TermMeta != 1 || sum.Commenters != 2 ||
		sum.CommentersByProvider["twitter"] != 1 || sum.CommentersByProvider["guest"] != 1 || sum.Site != "example.org" {
		t.Errorf("summary = %+v", sum)
	}
	// The _imports row.
	var sources, sha, counts, repairs, options, started, finished string
	var nbytes, site int64
	var warnings sql.NullString
	err = db.QueryRow(`SELECT sources, sha256, bytes, site_id, counts_json, repairs_json, warnings_json, options_json,
		started_at, finished_at FROM _imports`).Scan(&sources, &sha, &nbytes, &site, &counts, &repairs, &warnings, &options, &started, &finished)
	if err != nil {
		t.Fatal(err)
	}
	if sources != `[{"name":"export.xml","bytes":1234,"sha256":"ab"}]` || sha != "ab" || nbytes != 1234 || site == 0 ||
		!strings.Contains(counts, `"inserted":5`) || repairs != `{"control_chars":2}` || warnings.Valid ||
		options != `{"redact":false}` || !strings.HasSuffix(started, "Z") || !strings.HasSuffix(finished, "Z") {
		t.Errorf("_imports row: %s %s %d %d %s %s %v %s %s %s", sources, sha, nbytes, site, counts, repairs, warnings, options, started, finished)
	}
	if n := one[int](t, db, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("foreign_key_check: %d violations", n)
	}
}

func TestReimportIsIdempotent(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	sum1, _ := importFixture(t, a, baseFixture())
	before := tableCounts(t, db)
	beforeDump := dump(t, db)
	sum2, res := importFixture(t, a, baseFixture())
	for i, r := range res {
		if r != Unchanged {
			t.Errorf("post %d: %v, want unchanged", i, r)
		}
	}
	after := tableCounts(t, db)
	before["_imports"]++ // the only new row
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("counts changed:\n%v\n%v", before, after)
	}
	if sum2.Unchanged != 5 || sum2.Inserted != 0 || sum2.Updated != 0 {
		t.Errorf("second summary: %+v", sum2)
	}
	// Apart from the import's own bookkeeping, both summaries agree.
	sum1.ImportID, sum1.StartedAt, sum1.Finished, sum1.Inserted, sum1.Unchanged = 0, "", "", 0, 0
	sum2.ImportID, sum2.StartedAt, sum2.Finished, sum2.Inserted, sum2.Unchanged = 0, "", "", 0, 0
	sum1.TermsCreated = 0 // created the first time only
	if fmt.Sprint(sum1) != fmt.Sprint(sum2) {
		t.Errorf("summaries differ:\n%+v\n%+v", sum1, sum2)
	}
	// No post row changed at all; the site row records the latest import.
	afterDump := dump(t, db)
	for _, tb := range []string{"posts", "comments", "post_terms", "postmeta", "commentmeta", "quotes", "commenters"} {
		if section(beforeDump, tb) != section(afterDump, tb) {
			t.Errorf("table %s changed on re-import", tb)
		}
	}
}

// section returns one table's part of a dump.
func section(d, table string) string {
	i := strings.Index(d, "== "+table+" ")
	if i < 0 {
		return ""
	}
	rest := d[i+1:]
	if j := strings.Index(rest, "\n== "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func TestReimportUpdatesChangedPost(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	sum1, _ := importFixture(t, a, baseFixture())
	id := one[int64](t, db, `SELECT id FROM posts WHERE wp_key = '7'`)

	f := baseFixture()
	p := f.posts[0]
	p.Content = "<p>Edited</p>"
	p.Comments = p.Comments[:2] // two comments removed
	p.Meta = p.Meta[:1]
	p.Terms = p.Terms[:1]
	p.Derived.Quotes = nil
	withHash(p)
	sum2, res := importFixture(t, a, f)
	if res[0] != Updated {
		t.Errorf("changed post: %v", res[0])
	}
	for _, r := range res[1:] {
		if r != Unchanged {
			t.Errorf("other post: %v", r)
		}
	}
	if sum2.Updated != 1 || sum2.Unchanged != 4 {
		t.Errorf("summary %+v", sum2)
	}
	got := one[string](t, db, `SELECT content || '|' || first_import_id || '|' || last_import_id FROM posts WHERE id = ?`, id)
	if want := fmt.Sprintf("<p>Edited</p>|%d|%d", sum1.ImportID, sum2.ImportID); got != want {
		t.Errorf("updated post: %s, want %s", got, want)
	}
	for tb, want := range map[string]int{"comments": 2, "postmeta": 1, "post_terms": 1, "quotes": 0, "commentmeta": 2} {
		col := "post_id"
		q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s = ?", tb, col)
		if tb == "commentmeta" {
			q = "SELECT count(*) FROM commentmeta JOIN comments c ON c.id = comment_id WHERE c.post_id = ?"
		}
		if n := one[int](t, db, q, id); n != want {
			t.Errorf("%s rows of the updated post: %d, want %d", tb, n, want)
		}
	}
	if n := one[int](t, db, "SELECT count(*) FROM commentmeta"); n != 2 {
		t.Errorf("commentmeta rows in all: %d (old rows left behind?)", n)
	}
	if n := one[int](t, db, "SELECT count(*) FROM posts"); n != 5 {
		t.Errorf("posts: %d", n)
	}
}

func TestDuplicateIDsStayApart(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	f := baseFixture()
	importFixture(t, a, f)
	got := one[string](t, db, `SELECT group_concat(dup_ordinal || ':' || post_type, ' ') FROM (SELECT * FROM posts WHERE wp_key = '5' ORDER BY dup_ordinal)`)
	if got != "0:post 1:attachment" {
		t.Errorf("wp id 5: %s", got)
	}
	// Re-import with the second one changed: only it is updated.
	f = baseFixture()
	f.posts[4].Content = "changed"
	withHash(f.posts[4])
	_, res := importFixture(t, a, f)
	if res[3] != Unchanged || res[4] != Updated {
		t.Errorf("results %v", res)
	}
	if got := one[string](t, db, `SELECT content FROM posts WHERE wp_key = '5' AND dup_ordinal = 1`); got != "changed" {
		t.Errorf("content = %q", got)
	}
	// Items without a post id are keyed by "" and kept apart the same way.
	f = fixture{site: f.site, posts: []*Post{simplePost("", "post", ""), simplePost("", "post", "")}}
	f.posts[1].Title = "second"
	importFixture(t, a, f)
	if n := one[int](t, db, `SELECT count(*) FROM posts WHERE wp_key = '' AND wp_id IS NULL`); n != 2 {
		t.Errorf("posts without id: %d", n)
	}
}

func TestParentsResolvedAcrossOrderAndParts(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	ctx := context.Background()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	site := Site{Key: "example.org", Title: "Example"}
	add := func(ps ...*Post) {
		for _, p := range ps {
			if _, err := w.AddPost(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Part 1: a child whose parent comes later, and an author defined
	// only in part 2.
	w.SetSite(ctx, &site)
	child := simplePost("30", "page", "31")
	child.Creator = "late"
	add(child, simplePost("32", "attachment", "40"))
	// Part 2: the same site again, no title this time.
	if err := w.SetSite(ctx, &Site{Key: "example.org"}); err != nil {
		t.Fatal(err)
	}
	w.AddAuthor(ctx, &Author{Login: "late"})
	add(simplePost("31", "page", "0"), simplePost("33", "page", "999"))
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		t.Fatal(err)
	}
	if n := one[int](t, db, "SELECT count(*) FROM sites"); n != 1 {
		t.Errorf("sites: %d", n)
	}
	if got := one[string](t, db, "SELECT title FROM sites"); got != "Example" {
		t.Errorf("title lost by part 2: %q", got)
	}
	parent := func(wp string) string {
		var s sql.NullString
		db.QueryRow(`SELECT p.wp_key FROM posts c LEFT JOIN posts p ON p.id = c.parent_id WHERE c.wp_key = ?`, wp).Scan(&s)
		return s.String
	}
	if parent("30") != "31" || parent("32") != "" || parent("33") != "" {
		t.Errorf("parents: 30<%q 32<%q 33<%q", parent("30"), parent("32"), parent("33"))
	}
	if got := one[string](t, db, `SELECT a.login FROM posts p JOIN authors a ON a.id = p.author_id WHERE p.wp_key = '30'`); got != "late" {
		t.Errorf("author = %q", got)
	}
	// A later import brings the missing parent 40: the unchanged
	// attachment 32 is linked to it.
	importFixture(t, a, fixture{site: site, posts: []*Post{simplePost("40", "post", "0")}})
	if parent("32") != "40" {
		t.Errorf("32's parent after 40 arrived: %q", parent("32"))
	}
}

func TestCommentThreads(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	// A 9-deep chain given deepest first, so every reply comes before its
	// parent; a comment that answers itself; a loop of two; an orphan.
	p := simplePost("1", "post", "0")
	for i := 9; i >= 1; i-- {
		p.Comments = append(p.Comments, comment(fmt.Sprint(100+i), fmt.Sprint(100+i-1)))
	}
	p.Comments[len(p.Comments)-1].ParentRaw = "0" // 101 is the top
	p.Comments = append(p.Comments, comment("200", "200"), comment("201", "202"), comment("202", "201"),
		comment("300", "299"), comment("301", "300"), comment("302", " 301 "), comment("303", "x"),
		comment("400", "402"), comment("401", "402"), comment("402", "401"))
	withHash(p)
	sum, _ := importFixture(t, a, fixture{site: Site{Key: "s"}, posts: []*Post{p}})
	rows, err := db.Query(`SELECT c.wp_key, c.depth, c.orphan, coalesce(p.wp_key, '-') FROM comments c
		LEFT JOIN comments p ON p.id = c.parent_id ORDER BY c.wp_key`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var k, pk string
		var d, o int
		rows.Scan(&k, &d, &o, &pk)
		got = append(got, fmt.Sprintf("%s:%d:%d:%s", k, d, o, pk))
	}
	rows.Close()
	want := []string{
		"101:0:0:-", "102:1:0:101", "103:2:0:102", "104:3:0:103", "105:4:0:104", "106:5:0:105", "107:6:0:106",
		"108:7:0:107", "109:8:0:108",
		"200:0:0:-",                // answers itself: top level
		"201:0:0:-", "202:1:0:201", // the loop is broken at its first comment in the file
		"300:0:1:-", "301:1:0:300", "302:2:0:301", // a reply to a missing comment is kept, flagged, and its thread hangs below it
		"303:0:0:-",                               // a parent that is not a number
		"400:2:0:402", "401:0:0:-", "402:1:0:401", // a loop entered from a reply hanging off it
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("comments\n got %v\nwant %v", got, want)
	}
	if sum.Orphans != 1 {
		t.Errorf("orphans = %d", sum.Orphans)
	}
	// The recorded parents form no cycle: a recursive walk ends.
	if n := one[int](t, db, `WITH RECURSIVE up(id, n) AS (SELECT id, 0 FROM comments
		UNION ALL SELECT c.parent_id, n + 1 FROM up JOIN comments c ON c.id = up.id WHERE c.parent_id IS NOT NULL AND n < 100)
		SELECT max(n) FROM up`); n != 8 {
		t.Errorf("longest parent chain = %d, want 8", n)
	}
}

// TestParentsLinkedAtInsert: in a site new to the archive AddPost links
// a post to a parent stored before it, and Commit the others; either way
// every post gets the parent Commit's statement gives (parentOf), with
// repeated ids, a post naming itself, parents that come later or never,
// and post ids written unlike strconv.
func TestParentsLinkedAtInsert(t *testing.T) {
	for _, tc := range []struct {
		name     string
		posts    [][3]string // id, type, parent
		unlinked int         // posts left to Commit
	}{
		{"orders", [][3]string{
			{"1", "post", "0"},
			{"2", "attachment", "1"}, // parent before: linked at insert
			{"3", "attachment", "4"}, // parent after
			{"4", "page", "0"},
			{"5", "attachment", "99"}, // no such parent
			{"1", "post", "2"},        // a repeated id...
			{"6", "attachment", "1"},  // ...whose first item wins
			{"7", "page", "7"},        // itself, then a later 7
			{"7", "page", "0"},
			{"8", "page", "8"},         // itself, and no other 8
			{"", "attachment", "1"},    // an item without id
			{"9", "attachment", " 4 "}, // spaces around the parent's id
			{"10", "attachment", "x"},  // not a number
			{"11", "attachment", "-1"},
		}, 4},
		{"odd ids", [][3]string{
			{"1", "post", "0"},
			{"2", "attachment", "1"}, // before the odd id: linked at insert
			{"012", "post", "0"},
			{"12", "post", "0"},
			{"3", "attachment", "12"}, // 012 is the first with wp_id 12
			{"4", "attachment", "1"},
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := openTemp(t)
			db := a.DB()
			ctx := context.Background()
			w, err := a.BeginImport(ctx, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Rollback()
			if err := w.SetSite(ctx, &Site{Key: "example.org"}); err != nil {
				t.Fatal(err)
			}
			for _, p := range tc.posts {
				if _, err := w.AddPost(ctx, simplePost(p[0], p[1], p[2])); err != nil {
					t.Fatal(err)
				}
			}
			if len(w.unlinked) != tc.unlinked {
				t.Errorf("%d posts left to Commit, want %d", len(w.unlinked), tc.unlinked)
			}
			var atInsert int
			if err := w.tx.QueryRowContext(ctx, `SELECT count(*) FROM posts WHERE parent_id IS NOT NULL`).Scan(&atInsert); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
				t.Fatal(err)
			}
			if atInsert == 0 {
				t.Error("no post was linked at insert")
			}
			if n := one[int](t, db, `SELECT count(*) FROM posts WHERE parent_id IS NOT
				CASE WHEN parent_wp_id > 0 THEN `+parentOf+` END`); n != 0 {
				t.Errorf("%d posts with another parent than parentOf gives", n)
			}
			if n := one[int](t, db, `SELECT count(*) FROM posts WHERE parent_id IS NOT NULL`); n <= atInsert {
				t.Errorf("%d posts linked, %d of them at insert: Commit linked none", n, atInsert)
			}
		})
	}
}

func TestRollbackLeavesArchiveAsBefore(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	db := a.DB()
	importFixture(t, a, baseFixture())
	before := dump(t, db)

	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := baseFixture()
	f.site.Title = "Changed"
	w.SetSite(ctx, &f.site)
	w.AddTerm(ctx, &Term{Taxonomy: "category", Slug: "news", Name: "Renamed"})
	f.posts[0].Content = "changed"
	withHash(f.posts[0])
	for _, p := range append(f.posts, simplePost("77", "post", "0")) {
		if _, err := w.AddPost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := w.Rollback(); err != nil {
		t.Errorf("second Rollback: %v", err)
	}
	if _, err := w.AddPost(ctx, simplePost("78", "post", "0")); err != ErrClosed {
		t.Errorf("AddPost after Rollback = %v, want ErrClosed", err)
	}
	if after := dump(t, db); after != before {
		t.Error("content changed by a rolled-back import")
	}
	if got := one[string](t, db, "PRAGMA integrity_check"); got != "ok" {
		t.Errorf("integrity_check: %s", got)
	}
	// The archive still takes imports.
	importFixture(t, a, fixture{site: f.site, posts: []*Post{simplePost("79", "post", "0")}})
}

func TestConcurrentImportsWait(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	var handles []*Archive
	for range 2 {
		a, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		handles = append(handles, a)
	}
	first, err := handles[0].BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	first.SetSite(ctx, &Site{Key: "one.example"})
	first.AddPost(ctx, simplePost("1", "post", "0"))

	waited := make(chan struct{})
	var wg sync.WaitGroup
	var secondErr error
	var secondSum ImportSummary
	wg.Add(1)
	go func() {
		defer wg.Done()
		w, err := handles[1].BeginImport(ctx, ImportOptions{OnWait: func() { close(waited) }})
		if err != nil {
			secondErr = err
			return
		}
		w.SetSite(ctx, &Site{Key: "two.example"})
		for i := range 50 {
			if _, err := w.AddPost(ctx, simplePost(fmt.Sprint(i), "post", "0")); err != nil {
				secondErr = err
				w.Rollback()
				return
			}
		}
		secondSum, secondErr = w.Commit(ctx, ImportRecord{})
	}()
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		t.Fatal("second import did not report waiting")
	}
	// The first goes on writing while the second waits, then commits.
	for i := 2; i < 50; i++ {
		if _, err := first.AddPost(ctx, simplePost(fmt.Sprint(i), "post", "0")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := first.Commit(ctx, ImportRecord{}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if secondErr != nil {
		t.Fatalf("second import: %v", secondErr)
	}
	if secondSum.Inserted != 50 {
		t.Errorf("second import inserted %d", secondSum.Inserted)
	}
	got := one[string](t, handles[0].DB(), `SELECT group_concat(n, ' ') FROM (SELECT s.site_key || '=' || count(*) AS n FROM posts p JOIN sites s ON s.id = p.site_id GROUP BY s.site_key ORDER BY 1)`)
	if got != "one.example=49 two.example=50" {
		t.Errorf("posts per site: %s", got)
	}
}

func TestBeginImportGivesUpWhenCancelled(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	a, _ := Open(ctx, path)
	defer a.Close()
	b, _ := Open(ctx, path)
	defer b.Close()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = b.BeginImport(cctx, ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "waiting for another import") {
		t.Errorf("BeginImport while locked = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancellation noticed after %v", d)
	}
}

func TestAddBeforeSetSite(t *testing.T) {
	a := openTemp(t)
	w, err := a.BeginImport(context.Background(), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	if _, err := w.AddPost(context.Background(), simplePost("1", "post", "0")); err == nil {
		t.Error("AddPost before SetSite succeeded")
	}
}

// TestSummaryCountsDefinitionsOnce: every part of a multi-part export
// repeats the authors and terms, and WordPress 5+ defines a category again
// as a wp:term; each is one author or term in the summary and the archive.
func TestSummaryCountsDefinitionsOnce(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	for range 2 { // two parts
		if err := w.SetSite(ctx, &Site{Key: "example.org"}); err != nil {
			t.Fatal(err)
		}
		w.AddAuthor(ctx, &Author{Login: "admin"})
		w.AddAuthor(ctx, &Author{Login: "editor"})
		w.AddTerm(ctx, &Term{Element: "category", Taxonomy: "category", Slug: "news", Meta: []Meta{{Key: "a"}, {Key: "b"}}})
		w.AddTerm(ctx, &Term{Element: "term", Taxonomy: "category", Slug: "news", Meta: []Meta{{Key: "a"}}})
		w.AddTerm(ctx, &Term{Element: "tag", Taxonomy: "post_tag", Slug: "go"})
	}
	sum, err := w.Commit(ctx, ImportRecord{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Authors != 2 || sum.Terms != 2 || sum.TermsByTaxonomy["category"] != 1 || sum.TermMeta != 1 {
		t.Errorf("summary: authors %d terms %d %v termmeta %d", sum.Authors, sum.Terms, sum.TermsByTaxonomy, sum.TermMeta)
	}
	db := a.DB()
	if n := one[int](t, db, "SELECT count(*) FROM termmeta"); n != 1 {
		t.Errorf("termmeta rows: %d, want the last definition's 1", n)
	}
	if n := one[int](t, db, "SELECT count(*) FROM authors"); n != 2 {
		t.Errorf("authors: %d", n)
	}
}

// TestLongThreadInReverse: more comments than one INSERT statement takes,
// every reply before its parent in the file.
func TestLongThreadInReverse(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	const n = 100
	p := simplePost("1", "post", "0")
	for i := n; i >= 1; i-- {
		p.Comments = append(p.Comments, comment(fmt.Sprint(i), fmt.Sprint(i-1)))
	}
	withHash(p)
	importFixture(t, a, fixture{site: Site{Key: "s"}, posts: []*Post{p}})
	if got := one[int](t, db, "SELECT count(*) FROM comments"); got != n {
		t.Fatalf("comments: %d", got)
	}
	// Every comment i is the reply to i-1, at depth i-1.
	if bad := one[int](t, db, `SELECT count(*) FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
		WHERE c.depth != c.wp_id - 1 OR (c.wp_id > 1 AND (p.wp_id IS NULL OR p.wp_id != c.wp_id - 1)) OR (c.wp_id = 1 AND c.parent_id IS NOT NULL)`); bad != 0 {
		t.Errorf("%d comments with a wrong parent or depth", bad)
	}
	// Ids follow file order.
	if got := one[string](t, db, "SELECT group_concat(wp_id) FROM (SELECT wp_id FROM comments ORDER BY id LIMIT 3)"); got != "100,99,98" {
		t.Errorf("first ids hold %s", got)
	}
	// The next import's comments get new ids.
	q := simplePost("2", "post", "0")
	q.Comments = []Comment{comment("1", "0")}
	withHash(q)
	importFixture(t, a, fixture{site: Site{Key: "s"}, posts: []*Post{q}})
	if got := one[int](t, db, "SELECT max(id) FROM comments"); got != n+1 {
		t.Errorf("max comment id %d, want %d", got, n+1)
	}
}

// importDeferred imports sites as the importer does: with the search index
// deferred (DeferSearchIndex) and flushed before Commit. It returns the
// deferral mark of posts just before the flush.
func importDeferred(t *testing.T, a *Archive, sites []searchSite) (postsMark int64) {
	t.Helper()
	ctx := context.Background()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	if err := w.DeferSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		addSite(t, w, s)
	}
	if err := w.tx.QueryRowContext(ctx, `SELECT value FROM _settings WHERE key = 'fts_deferred_posts'`).Scan(&postsMark); err != nil {
		t.Fatal(err)
	}
	if err := w.FlushSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		t.Fatal(err)
	}
	return postsMark
}

// chunkFixture is the search fixture with what the index reads through
// derived columns: a Chinese excerpt (posts.excerpt_cjk) and a trackback
// whose blog name has entities (comments.ping_blog_name).
func chunkFixture() []searchSite {
	sites := searchFixture()
	sites[0].posts[1].Excerpt = "这篇笔记谈侵略和制裁。"
	sites[0].posts[0].Comments[2].Author = "Q&amp;A &#8211; weekly"
	return sites
}

// searchIndexContent lists every token instance of the three full-text
// indexes (fts5vocab 'instance': term, row, column, offset) and the derived
// columns they read, so that two archives built differently can be
// compared.
func searchIndexContent(t *testing.T, a *Archive) string {
	t.Helper()
	db := a.DB()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, excerpt_cjk FROM posts ORDER BY id`,
		`SELECT id, ping_blog_name FROM comments ORDER BY id`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var v sql.NullString
			rows.Scan(&id, &v)
			fmt.Fprintf(&b, "%d %q\n", id, v.String)
		}
		rows.Close()
	}
	for _, tb := range []string{"posts", "comments", "quotes"} {
		if _, err := db.Exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_` + tb + ` USING fts5vocab(main, ` + tb + `_fts, 'instance')`); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(`SELECT term, doc, col, offset FROM temp.v_` + tb + ` ORDER BY 1, 2, 3, 4`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var term, col string
			var doc, off int64
			rows.Scan(&term, &doc, &col, &off)
			fmt.Fprintf(&b, "%s %s %d %s %d\n", tb, term, doc, col, off)
			n++
		}
		rows.Close()
		if n == 0 {
			t.Errorf("%s_fts holds no token", tb)
		}
	}
	return b.String()
}

// TestSearchIndexInChunks: the full-text index the Writer fills as the
// import goes (indexSearchChunk, here after every post) holds the same
// tokens as one filled at the end, into an empty archive and into one
// that holds an earlier version of the export, and a rolled-back import
// that indexed chunks leaves the archive as it was.
func TestSearchIndexInChunks(t *testing.T) {
	ctx := context.Background()
	saved, savedSide := ftsChunkBytes, sideIndexes
	defer func() { ftsChunkBytes, sideIndexes = saved, savedSide }()
	sideIndexes = false
	changed := func() []searchSite {
		sites := chunkFixture()
		p := sites[0].posts[0]
		p.Derived.Text = "Uzbekistan and the tariffs regime."
		p.Excerpt = "新的摘要"
		p.Comments = p.Comments[:3]
		p.RawHash = []byte("changed")
		sites[1].posts = append(sites[1].posts, searchPost("6", "post", "Added", "Tajikistan 中文", "", "2024-02-01T00:00:00Z"))
		return sites
	}
	var content [2][2]string
	for i, chunk := range []int{1 << 40, 1} {
		ftsChunkBytes = chunk
		a := openTemp(t)
		for j, sites := range [][]searchSite{chunkFixture(), changed()} {
			before := one[int64](t, a.DB(), `SELECT coalesce(max(id), 0) FROM posts`)
			mark := importDeferred(t, a, sites)
			after := one[int64](t, a.DB(), `SELECT max(id) FROM posts`)
			if chunk == 1 && mark != after {
				t.Errorf("import %d in chunks: posts marked up to %d before the flush, want %d (every post)", j+1, mark, after)
			}
			if chunk > 1 && mark != before {
				t.Errorf("import %d without chunks: posts marked up to %d before the flush, want %d", j+1, mark, before)
			}
			if err := a.CheckSearchIndex(ctx); err != nil {
				t.Fatalf("chunk %d, import %d: %v", chunk, j+1, err)
			}
			if n := one[int](t, a.DB(), `SELECT count(*) FROM _settings WHERE key LIKE 'fts_deferred_%'`); n != 0 {
				t.Errorf("chunk %d, import %d: %d marks left", chunk, j+1, n)
			}
			content[i][j] = searchIndexContent(t, a)
		}
		for q, want := range map[string]int{"侵略": 2, "excerpt:侵略": 1, "摘要": 1, "uzbekistan": 1, "tajikistan": 1, "almaty": 0} {
			if got := len(search(t, a, SearchOptions{Query: q})); got != want {
				t.Errorf("chunk %d: search %s: %d hits, want %d", chunk, q, got, want)
			}
		}
		if chunk == 1 {
			// A rolled-back import that indexed chunks.
			before := dump(t, a.DB())
			w := beginDeferred(t, a)
			sites := changed()
			sites[0].posts = append(sites[0].posts, searchPost("99", "post", "Rolled back", "walrus", "", ""))
			for _, s := range sites {
				w.SetSite(ctx, &s.site)
				for _, p := range s.posts {
					p.RawHash = []byte("again")
					if _, err := w.AddPost(ctx, p); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := w.Rollback(); err != nil {
				t.Fatal(err)
			}
			if after := dump(t, a.DB()); after != before {
				t.Error("a rolled-back import that indexed chunks changed the archive")
			}
			if err := a.CheckSearchIndex(ctx); err != nil {
				t.Error(err)
			}
		}
	}
	for j := range 2 {
		if content[0][j] != content[1][j] {
			t.Errorf("import %d: the index filled in chunks differs from the one filled at the end", j+1)
		}
	}
}

// TestDerivedPreparedByWriter: an import into an empty archive, where
// prepareDerived trusts the Writer's derived columns (prepared), gives the
// rows the excerpt_cjk and ping_blog_name that one into an archive with
// another site's posts gives, where prepareDerived computes them again
// for every new row; and it leaves no migration mark behind.
func TestDerivedPreparedByWriter(t *testing.T) {
	derived := func(a *Archive) string {
		var b strings.Builder
		for _, q := range []string{
			`SELECT s.site_key, p.wp_key, coalesce(p.excerpt_cjk, '-') FROM posts p JOIN sites s ON s.id = p.site_id
				WHERE s.site_key != 'other.example.org' ORDER BY 1, 2`,
			`SELECT s.site_key, p.wp_key || '/' || c.wp_key, coalesce(c.ping_blog_name, '-') FROM comments c
				JOIN posts p ON p.id = c.post_id JOIN sites s ON s.id = p.site_id
				WHERE s.site_key != 'other.example.org' ORDER BY 1, 2`,
		} {
			rows, err := a.DB().Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var k1, k2, v string
				if err := rows.Scan(&k1, &k2, &v); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "%s %s %s\n", k1, k2, v)
			}
			rows.Close()
		}
		return b.String()
	}
	fresh := openTemp(t)
	importDeferred(t, fresh, chunkFixture())
	if n := one[int](t, fresh.DB(), `SELECT count(*) FROM _settings WHERE key = 'prepare_all_derived'`); n != 0 {
		t.Errorf("%d migration marks left", n)
	}
	got := derived(fresh)
	if !strings.Contains(got, "这​篇") || !strings.Contains(got, "Q&A – weekly") {
		t.Fatalf("the fixture's derived columns are missing:\n%s", got)
	}

	other := searchFixture()[:1]
	other[0].site.Key = "other.example.org"
	older := openTemp(t)
	importDeferred(t, older, other)
	importDeferred(t, older, chunkFixture())
	if want := derived(older); got != want {
		t.Errorf("into an empty archive:\n%s\ninto one with posts:\n%s", got, want)
	}
}
