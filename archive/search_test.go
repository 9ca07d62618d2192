package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/schema"
)

// searchSite is one site of the search fixture and its posts.
type searchSite struct {
	site    Site
	authors []Author
	posts   []*Post
}

func searchPost(id, typ, title, text, lang, date string) *Post {
	p := &Post{
		WPID: id, Title: title, Content: "<p>" + text + "</p>", PostType: typ, Status: "publish",
		Creator: "jonas", Link: "https://steppe.example.org/?p=" + id,
		Derived: PostDerived{DateAt: date, Text: SearchText(text), SearchTitle: SearchText(title), Lang: lang},
	}
	p.RawHash = []byte(id + title + text)
	return p
}

func searchComment(id, author, text, kind, status string) Comment {
	return Comment{
		WPID: id, Author: author, AuthorEmail: strings.ToLower(author) + "@example.com", AuthorIP: "192.0.2." + id,
		Content: text, TypeRaw: kind, ApprovedRaw: "1",
		Derived: CommentDerived{DateAt: "2023-03-11T10:00:00Z", Kind: kind, Status: status, Text: SearchText(text), Provider: "guest"},
	}
}

func searchQuote(ord int, lang, text string) Quote {
	return Quote{Ord: ord, Kind: "block", Tag: "blockquote", Lang: lang, Raw: text, Normalized: text, TranslationOf: -1, RepeatOf: -1}
}

// searchFixture is two sites in English, Chinese, Japanese, Russian and
// mixed text, with comments, passages, a revision and a spam comment.
func searchFixture() []searchSite {
	steppe := searchPost("10", "post", "Sanctions on the steppe",
		"Kazakhstan and the sanctions regime, seen from a café in Almaty. Kazakhstan again; write us by e-mail.", "en", "2023-03-10T08:00:00Z")
	steppe.Comments = []Comment{
		searchComment("1", "Aigerim", "Kazakhstan will not help anyone dodge a sanction.", "comment", "approved"),
		searchComment("2", "Cheap Flights", "cheap flights to Kazakhstan", "comment", "spam"),
		searchComment("3", "Weekend Reading", "Weekend reading: sanctions and the steppe", "trackback", "approved"),
		searchComment("4", "cheap@example.com", "Kazakhstan visa help", "comment", "approved"),
		searchComment("5", "192.0.2.5", "Kazakhstan border news", "comment", "approved"),
	}
	steppe.Derived.Quotes = []Quote{
		searchQuote(0, "zh-Hans", "哈官方承诺不会成为帮助俄罗斯规避西方制裁的工具"),
		searchQuote(1, "zh-Hant", "停止侵略行為"),
		searchQuote(2, "ru", "санкции против России"),
	}
	zh := searchPost("11", "post", "上合组织", "俄罗斯应停止侵略行为。西方的制裁。", "zh-Hans", "2022-05-01T00:00:00Z")
	ja := searchPost("12", "post", "日本語の記事", "制裁についての記事です", "ja", "2021-01-01T00:00:00Z")
	rev := searchPost("13", "revision", "Sanctions on the steppe (draft)", "Kazakhstan draft text", "en", "2023-03-09T00:00:00Z")
	about := searchPost("2", "page", "About", "A naïve résumé of this blog.", "", "2012-01-01T00:00:00Z")
	about.Creator = "mkarimova"
	other := searchPost("5", "post", "Mixed", "中国 和 Kazakhstan 关系。"+strings.Repeat("A long post about many other things. ", 20), "", "2024-01-01T00:00:00Z")
	other.Creator = "li"
	return []searchSite{
		{
			site: Site{Key: "steppe.example.org", Title: "Steppe Watch", Link: "https://steppe.example.org", Language: "en", WXRVersion: "1.2"},
			authors: []Author{
				{WPID: "1", Login: "jonas", DisplayName: "Jonas Reinholt", Email: "jonas@example.org"},
				{WPID: "2", Login: "mkarimova", DisplayName: "Malika Karimova"},
			},
			posts: []*Post{steppe, zh, ja, rev, about},
		},
		{
			site:    Site{Key: "other.example.net", Title: "Other Blog", Link: "https://other.example.net", Language: "zh_CN", WXRVersion: "1.2"},
			authors: []Author{{WPID: "1", Login: "li", DisplayName: "Li Wei"}},
			posts:   []*Post{other},
		},
	}
}

func importSites(t testing.TB, a *Archive, sites []searchSite) {
	t.Helper()
	ctx := context.Background()
	for _, s := range sites {
		w, err := a.BeginImport(ctx, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		addSite(t, w, s)
		if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
			t.Fatal(err)
		}
	}
}

// addSite adds s's site, authors and posts in w.
func addSite(t testing.TB, w *Writer, s searchSite) {
	t.Helper()
	ctx := context.Background()
	if err := w.SetSite(ctx, &s.site); err != nil {
		t.Fatal(err)
	}
	for i := range s.authors {
		if err := w.AddAuthor(ctx, &s.authors[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range s.posts {
		if _, err := w.AddPost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
}

func searchArchive(t testing.TB) *Archive {
	t.Helper()
	a, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	importSites(t, a, searchFixture())
	return a
}

func search(t *testing.T, a *Archive, o SearchOptions) []Hit {
	t.Helper()
	hits, err := a.Search(context.Background(), o)
	if err != nil {
		t.Fatalf("Search(%+v): %v", o, err)
	}
	return hits
}

// label names a hit for comparisons: "post:Sanctions on the steppe",
// "comment:Aigerim", "quote:zh-Hans".
func label(h Hit) string {
	switch h.Type {
	case "comment":
		return "comment:" + h.Author
	case "quote":
		return "quote:" + h.Lang
	}
	return h.Type + ":" + h.Title
}

func labels(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = label(h)
	}
	return out
}

func TestSearchLanguages(t *testing.T) {
	a := searchArchive(t)
	for _, tc := range []struct {
		name, query string
		want        []string // each must be found
		not         []string // none may be
	}{
		{"stemming", "sanction", []string{"post:Sanctions on the steppe", "comment:Aigerim", "comment:Weekend Reading"}, nil},
		{"stemming the other way", "sanctions", []string{"comment:Aigerim"}, nil},
		{"accents fold", "cafe", []string{"post:Sanctions on the steppe"}, nil},
		{"accents fold twice", "naive resume", []string{"page:About"}, nil},
		{"accents in the query", "café", []string{"post:Sanctions on the steppe"}, nil},
		{"Chinese two characters", "制裁", []string{"post:上合组织", "quote:zh-Hans", "post:日本語の記事"}, []string{"quote:zh-Hant"}},
		{"Chinese word in a sentence", "侵略", []string{"post:上合组织", "quote:zh-Hant"}, []string{"post:日本語の記事"}},
		{"Traditional characters", "侵略行為", []string{"quote:zh-Hant"}, []string{"post:上合组织"}},
		{"Chinese one character", "俄", []string{"post:上合组织", "quote:zh-Hans"}, []string{"post:日本語の記事"}},
		{"Chinese title", "上合", []string{"post:上合组织"}, nil},
		{"Japanese", "記事", []string{"post:日本語の記事"}, []string{"post:上合组织"}},
		{"Russian", "санкции", []string{"quote:ru"}, nil},
		{"mixed text", "中国 Kazakhstan", []string{"post:Mixed"}, []string{"post:Sanctions on the steppe"}},
		{"phrase", `"sanctions regime"`, []string{"post:Sanctions on the steppe"}, []string{"comment:Aigerim"}},
		{"prefix", "sanc*", []string{"post:Sanctions on the steppe", "comment:Aigerim"}, nil},
		{"OR", "almaty OR résumé", []string{"post:Sanctions on the steppe", "page:About"}, nil},
		{"NOT", "kazakhstan NOT cafe", []string{"comment:Aigerim", "post:Mixed"}, []string{"post:Sanctions on the steppe"}},
		{"commenter's name", "cheap", []string{"comment:(e-mail hidden)"}, []string{"comment:Cheap Flights"}},
		{"punctuation in a word", "e-mail", []string{"post:Sanctions on the steppe"}, nil},
		{"title column", "title:steppe", []string{"post:Sanctions on the steppe"}, []string{"comment:Weekend Reading"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := labels(search(t, a, SearchOptions{Query: tc.query}))
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q: %s not found in %q", tc.query, w, got)
				}
			}
			for _, n := range tc.not {
				if slices.Contains(got, n) {
					t.Errorf("%q: %s found in %q", tc.query, n, got)
				}
			}
		})
	}
}

func TestSearchHitFields(t *testing.T) {
	a := searchArchive(t)
	hits := search(t, a, SearchOptions{Query: "Kazakhstan", Mark: [2]string{"<", ">"}})
	if len(hits) == 0 || label(hits[0]) != "post:Sanctions on the steppe" {
		t.Fatalf("first hit for Kazakhstan: %q", labels(hits))
	}
	h := hits[0]
	if h.Type != "post" || h.Date != "2023-03-10T08:00:00Z" || h.Link != "https://steppe.example.org/?p=10" ||
		h.Author != "Jonas Reinholt" || h.Site != "steppe.example.org" || h.Lang != "en" || h.Rank >= 0 {
		t.Errorf("hit: %+v", h)
	}
	if !strings.Contains(h.Snippet, "<Kazakhstan>") {
		t.Errorf("snippet not marked: %q", h.Snippet)
	}
	for _, h := range hits {
		if h.Type == "comment" && h.Author == "Aigerim" {
			if h.Link != "https://steppe.example.org/?p=10#comment-1" || h.Kind != "comment" || h.Title != "Sanctions on the steppe" {
				t.Errorf("comment hit: %+v", h)
			}
		}
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Rank < hits[i-1].Rank {
			t.Errorf("not in rank order: %v after %v", hits[i].Rank, hits[i-1].Rank)
		}
	}

	// Snippets and titles read as the original: no U+200B between CJK
	// characters, no line breaks.
	zh := search(t, a, SearchOptions{Query: "侵略", Types: []string{"post"}})
	if len(zh) != 1 || zh[0].Title != "上合组织" || !strings.Contains(zh[0].Snippet, "停止**侵略**行为") {
		t.Errorf("Chinese hit: %+v", zh)
	}
}

func TestSearchFilters(t *testing.T) {
	a := searchArchive(t)
	for _, tc := range []struct {
		name string
		o    SearchOptions
		want []string // exactly these, in any order
	}{
		{"comments only", SearchOptions{Query: "kazakhstan", Types: []string{"comment"}}, []string{"comment:Aigerim", "comment:(e-mail hidden)", "comment:(IP hidden)"}},
		{"trackbacks only", SearchOptions{Query: "sanction", Types: []string{"trackback"}}, []string{"comment:Weekend Reading"}},
		{"quotes only", SearchOptions{Query: "制裁", Types: []string{"quote"}}, []string{"quote:zh-Hans"}},
		{"pages only", SearchOptions{Query: "blog", Types: []string{"page"}}, []string{"page:About"}},
		{"posts and quotes", SearchOptions{Query: "制裁", Types: []string{"post", "quote"}}, []string{"post:上合组织", "post:日本語の記事", "quote:zh-Hans"}},
		{"lang zh matches zh-Hans, zh-Hant and the zh_CN site", SearchOptions{Query: "侵略 OR 制裁 OR 中国", Lang: "zh"},
			[]string{"post:上合组织", "quote:zh-Hans", "quote:zh-Hant", "post:Mixed"}},
		{"lang zh-Hant", SearchOptions{Query: "侵略", Lang: "zh-hant"}, []string{"quote:zh-Hant"}},
		{"lang does not match a longer tag", SearchOptions{Query: "kazakhstan OR sanction", Lang: "e"}, nil},
		{"site by name", SearchOptions{Query: "kazakhstan", Site: "other"}, []string{"post:Mixed"}},
		{"since", SearchOptions{Query: "制裁", Since: "2022-01-01"}, []string{"post:上合组织", "quote:zh-Hans"}},
		{"until", SearchOptions{Query: "制裁", Until: "2022-01-01"}, []string{"post:日本語の記事"}},
		{"post author", SearchOptions{Query: "blog", Author: "malika karimova"}, []string{"page:About"}},
		{"commenter", SearchOptions{Query: "kazakhstan", Author: "AIGERIM"}, []string{"comment:Aigerim"}},
		{"spam and revisions with All", SearchOptions{Query: "kazakhstan", Types: []string{"comment", "revision"}, All: true},
			[]string{"comment:Aigerim", "comment:Cheap Flights", "comment:(e-mail hidden)", "comment:(IP hidden)", "revision:Sanctions on the steppe (draft)"}},
		{"no query lists newest first", SearchOptions{Types: []string{"comment"}}, []string{"comment:Aigerim", "comment:Weekend Reading", "comment:(e-mail hidden)", "comment:(IP hidden)"}},
		{"no match", SearchOptions{Query: "xylophone"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := labels(search(t, a, tc.o))
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}

	// By default revisions and spam are left out.
	for _, h := range search(t, a, SearchOptions{Query: "kazakhstan"}) {
		if h.Type == "revision" || h.Status == "spam" {
			t.Errorf("left-out row found: %+v", h)
		}
	}
	if got := search(t, a, SearchOptions{Query: "kazakhstan OR 制裁 OR sanction", Limit: 2}); len(got) != 2 {
		t.Errorf("Limit 2: %d hits", len(got))
	}
	if got := search(t, a, SearchOptions{Query: "nothing-here"}); got == nil || len(got) != 0 {
		t.Errorf("no hits: %#v", got)
	}
}

func TestSearchNeverShowsEmailOrIP(t *testing.T) {
	a := searchArchive(t)
	hits := search(t, a, SearchOptions{Query: "kazakhstan OR sanction OR cheap", All: true, Limit: 100})
	b, err := json.Marshal(hits)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) < 3 {
		t.Fatalf("too few hits to check: %s", b)
	}
	for _, secret := range []string{"@example.com", "192.0.2.", "jonas@example.org"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("hits show %q: %s", secret, b)
		}
	}
}

func TestSearchSyntaxErrors(t *testing.T) {
	a := searchArchive(t)
	for _, q := range []string{`"unclosed`, `kazakhstan AND`, `(kazakhstan`, `nosuchcolumn:word`, `NEAR(a b`, `AND`} {
		t.Run(q, func(t *testing.T) {
			_, err := a.Search(context.Background(), SearchOptions{Query: q})
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("got %v, want a *QueryError", err)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, q) || strings.Contains(msg, "SQL logic error") {
				t.Errorf("message: %q", msg)
			}
		})
	}
}

func TestMatchQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"kazakhstan", "kazakhstan"},
		{"sanc*", "sanc*"},
		{`"sanctions regime" OR café`, `"sanctions regime" OR café`},
		{"e-mail", `"e-mail"`},
		{"don't stop*", `"don't" stop*`},
		{"U.S.", `"U.S."`},
		{"a - b", "a  b"},
		{"title:steppe", "search_title:steppe"},
		{"-title:steppe", "-search_title:steppe"},
		{"text:e-mail", `text:"e-mail"`},
		{"{text excerpt}:x", "{text excerpt}:x"},
		{"Kazakhstan, Uzbekistan", "Kazakhstan  Uzbekistan"},
		{"NEAR(sanctions steppe, 5)", "NEAR(sanctions steppe, 5)"},
		{"^first", "^first"},
		{"制裁", `"制 裁"`},
		{"俄", `"俄"`},
		{"中国-俄罗斯", `"中 国-俄 罗 斯"`},
		{`"制裁 的"`, `"制 裁 的"`},
		{"制裁 OR sanction", `"制 裁" OR sanction`},
	} {
		if got := MatchQuery(tc.in); got != tc.want {
			t.Errorf("MatchQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSearchIndexFollowsReimport: a changed post replaces its words in the
// index, its replaced comments go, an unchanged re-import changes nothing,
// and the index matches its tables throughout.
func TestSearchIndexFollowsReimport(t *testing.T) {
	a := searchArchive(t)
	ctx := context.Background()
	check := func(when string) {
		t.Helper()
		if err := a.CheckSearchIndex(ctx); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
	}
	check("after import")
	importSites(t, a, searchFixture())
	check("after the same import again")
	if n := len(search(t, a, SearchOptions{Query: "kazakhstan", Types: []string{"post"}})); n != 2 {
		t.Errorf("after re-import: %d posts for kazakhstan, want 2", n)
	}

	sites := searchFixture()
	p := sites[0].posts[0]
	p.Title = "Tariffs on the steppe"
	p.Derived.SearchTitle = p.Title
	p.Derived.Text = "Uzbekistan and the tariffs regime."
	p.Content = p.Derived.Text
	p.Comments = p.Comments[:1]
	p.Comments[0].Derived.Text = "Uzbekistan will not help."
	p.Derived.Quotes = p.Derived.Quotes[2:]
	p.RawHash = []byte("changed")
	importSites(t, a, sites)
	check("after an import that changed a post")

	if got := labels(search(t, a, SearchOptions{Query: "almaty OR cafe OR 哈官方 OR weekend"})); len(got) != 0 {
		t.Errorf("old words still found: %q", got)
	}
	got := labels(search(t, a, SearchOptions{Query: "uzbekistan"}))
	slices.Sort(got)
	if want := []string{"comment:Aigerim", "post:Tariffs on the steppe"}; !slices.Equal(got, want) {
		t.Errorf("new words: %q, want %q", got, want)
	}
}

// TestDeferredSearchIndex: rows added under deferSearchIndex are found
// after flushSearchIndex, rows older than the mark stay in step through the
// triggers, and a row added and deleted within the import leaves no trace.
func TestDeferredSearchIndex(t *testing.T) {
	a := searchArchive(t)
	ctx := context.Background()
	tx, err := a.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := deferSearchIndex(ctx, tx); err != nil {
		t.Fatal(err)
	}
	var site int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM sites WHERE site_key = 'steppe.example.org'`).Scan(&site); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) int64 {
		t.Helper()
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		id, _ := r.LastInsertId()
		return id
	}
	// New rows: one stays, one is changed, one is deleted again.
	keep := exec(`INSERT INTO posts (site_id, wp_key, post_type, status, title, search_title, text) VALUES (?, '900', 'post', 'publish', 'Deferred', 'Deferred', 'zebra crossing')`, site)
	exec(`UPDATE posts SET text = 'zebra finch' WHERE id = ?`, keep)
	gone := exec(`INSERT INTO posts (site_id, wp_key, post_type, status, title, search_title, text) VALUES (?, '901', 'post', 'publish', 'Gone', 'Gone', 'walrus')`, site)
	exec(`INSERT INTO comments (post_id, wp_key, kind, status, author, text) VALUES (?, '9', 'comment', 'approved', 'Zed', 'walrus comment')`, gone)
	exec(`INSERT INTO quotes (post_id, ord, kind, lang, raw, normalized, search_text) VALUES (?, 0, 'block', 'de', 'Walross', 'Walross', 'Walross')`, gone)
	exec(`DELETE FROM posts WHERE id = ?`, gone)
	exec(`INSERT INTO comments (post_id, wp_key, kind, status, author, text) VALUES (?, '10', 'comment', 'approved', 'Zed', 'zebra comment')`, keep)
	// An old row changes under the triggers.
	exec(`UPDATE posts SET search_title = 'Renamed', text = 'okapi' WHERE wp_key = '10'`)
	if err := flushSearchIndex(ctx, tx, false, false); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := a.CheckSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	var marks int
	a.DB().QueryRow(`SELECT count(*) FROM _settings WHERE key LIKE 'fts_deferred_%'`).Scan(&marks)
	if marks != 0 {
		t.Errorf("%d marks left in _settings", marks)
	}
	for q, want := range map[string]int{"zebra": 2, "finch": 1, "crossing": 0, "walrus OR walross": 0, "okapi": 1, "almaty": 0} {
		if got := len(search(t, a, SearchOptions{Query: q})); got != want {
			t.Errorf("%s: %d hits, want %d", q, got, want)
		}
	}
}

// TestSearchIndexBuiltForOlderArchive: an archive made before the search
// migration has its rows indexed when it is opened and migrated.
func TestSearchIndexBuiltForOlderArchive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.sqlite")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := schema.Migrations()
	for _, m := range ms {
		if strings.Contains(m.SQL, "posts_fts") {
			break
		}
		if _, err := db.Exec(m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", m.Version, schema.ApplicationID)); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO sites (id, site_key) VALUES (1, 'old.example.org')`,
		`INSERT INTO posts (id, site_id, wp_key, post_type, status, title, search_title, text) VALUES (1, 1, '1', 'post', 'publish', 'Old', 'Old', 'Kazakhstan before search')`,
		`INSERT INTO comments (post_id, wp_key, kind, status, author, text) VALUES (1, '1', 'comment', 'approved', 'Reader', 'an older sanction')`,
		`INSERT INTO quotes (post_id, ord, kind, lang, raw, normalized, search_text) VALUES (1, 0, 'block', 'zh', '制裁', '制裁', '制` + "\u200b" + `裁')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	got := labels(search(t, a, SearchOptions{Query: "kazakhstan OR sanction OR 制裁"}))
	slices.Sort(got)
	if want := []string{"comment:Reader", "post:Old", "quote:zh"}; !slices.Equal(got, want) {
		t.Errorf("after migration: %q, want %q", got, want)
	}
	if err := a.CheckSearchIndex(ctx); err != nil {
		t.Error(err)
	}
}

// TestSearchRanksAllMatches: with more matches than the first step reads,
// the best hits are the same as when every match is read, and a filter
// that leaves none of the first candidates still finds what it selects.
func TestSearchRanksAllMatches(t *testing.T) {
	a := searchArchive(t)
	site := searchFixture()[0]
	site.posts = nil
	for i := 0; i < 300; i++ {
		text := strings.Repeat("zebra ", 1+i%7) + strings.Repeat("filler words here ", 1+i%13)
		site.posts = append(site.posts, searchPost(fmt.Sprint(1000+i), "post", fmt.Sprintf("Post %d", i), text, "en", "2020-01-01T00:00:00Z"))
	}
	page := searchPost("2000", "page", "A page", "zebra "+strings.Repeat("long page text ", 200), "en", "2020-01-01T00:00:00Z")
	site.posts = append(site.posts, page)
	importSites(t, a, []searchSite{site})

	all := search(t, a, SearchOptions{Query: "zebra", Limit: 400})
	if len(all) != 301 {
		t.Fatalf("%d hits, want 301", len(all))
	}
	if label(all[len(all)-1]) != "page:A page" {
		t.Fatalf("the page is not last: %q", label(all[len(all)-1]))
	}
	top := search(t, a, SearchOptions{Query: "zebra", Limit: 5})
	for i, h := range top {
		if h.ID != all[i].ID || h.Rank != all[i].Rank || h.Snippet == "" {
			t.Errorf("hit %d: %+v, reading every match gives %+v", i, h, all[i])
		}
	}
	pages := search(t, a, SearchOptions{Query: "zebra", Types: []string{"page"}, Limit: 1})
	if len(pages) != 1 || label(pages[0]) != "page:A page" || !strings.Contains(pages[0].Snippet, "**zebra**") {
		t.Errorf("page: %+v", pages)
	}
}

// TestDatasetteFindsIndexes: Datasette decides that a table has full-text
// search when sqlite_master holds a virtual table whose SQL matches
// '%VIRTUAL TABLE%USING FTS%content="<table>"%' (datasette/utils
// detect_fts_sql), and then searches with rowid IN (SELECT rowid FROM
// <fts> WHERE <fts> MATCH ?). Both are run here as it runs them.
func TestDatasetteFindsIndexes(t *testing.T) {
	a := searchArchive(t)
	db := a.DB()
	for table, word := range map[string]string{"posts": "almaty", "comments": "dodge", "quotes": `"侵 略"`} {
		var fts string
		err := db.QueryRow(`SELECT name FROM sqlite_master WHERE rootpage = 0
			AND sql LIKE '%VIRTUAL TABLE%USING FTS%content="` + table + `"%'`).Scan(&fts)
		if err != nil || fts != table+"_fts" {
			t.Errorf("%s: Datasette would find %q (%v)", table, fts, err)
			continue
		}
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM `+table+` WHERE rowid IN (SELECT rowid FROM `+fts+` WHERE `+fts+` MATCH ?)`, word).Scan(&n); err != nil || n == 0 {
			t.Errorf("%s: Datasette's search for %s: %d rows, %v", table, word, n, err)
		}
		for _, trig := range []string{"_ai", "_ad", "_au"} {
			var name string
			if err := db.QueryRow(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = ?`, table+trig, table).Scan(&name); err != nil {
				t.Errorf("trigger %s%s on %s: %v", table, trig, table, err)
			}
		}
	}
}
