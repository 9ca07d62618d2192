package archive

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// showComment is a comment of the show fixture: id, parent, GMT date.
func showComment(id, parent, gmt string) Comment {
	c := comment(id, parent)
	c.DateRaw, c.DateGMTRaw = gmt, gmt
	c.Derived.DateAt = strings.Replace(gmt, " ", "T", 1) + "Z"
	c.Derived.IdentityKey = "guest:email:r" + id
	return c
}

// showFixture: site A with a threaded post (replies in file order before
// their parents, an orphan, a reply to a pingback), a page sharing the
// post's slug with an attachment, and a repeated post id; site B reuses
// the threaded post's WordPress id.
func showFixture() (fixture, fixture) {
	a := baseFixture()
	// File order is not reading order: 33 (a reply to 31) comes first,
	// 32 is dated before 31, 35 replies to 33.
	cs := []Comment{
		showComment("33", "31", "2024-01-05 10:00:00"),
		showComment("31", "0", "2024-01-03 10:00:00"),
		showComment("32", "0", "2024-01-02 10:00:00"),
		showComment("35", "33", "2024-01-06 10:00:00"),
		showComment("34", "31", "2024-01-04 10:00:00"),
		showComment("36", "777", "2024-01-01 10:00:00"), // parent not in the export
		showComment("38", "37", "2024-01-08 10:00:00"),  // a reply to the pingback
	}
	pb := showComment("37", "0", "2024-01-07 10:00:00")
	pb.TypeRaw, pb.AuthorEmail, pb.Author = "pingback", "", "Linking page"
	pb.Derived = CommentDerived{Kind: "pingback", Status: "approved", DateAt: "2024-01-07T10:00:00Z",
		PingURL: "https://other.example/x", PingDomain: "other.example", PingTitle: "Linking page"}
	cs = append(cs, pb)
	cs[2].Author = "mail me: r32@example.com" // an address typed as a name
	cs[4].ApprovedRaw, cs[4].Derived.Status = "0", "pending"
	thread := simplePost("100", "post", "0")
	thread.Title = "Threads &amp; replies"
	thread.Slug, thread.Link, thread.GUID = "%e7%ba%bf%e7%a8%8b", "https://example.org/2024/01/%e7%ba%bf%e7%a8%8b/", "https://example.org/?p=100"
	thread.Derived.SlugDecoded = "线程"
	thread.Comments = cs
	withHash(thread)

	page := simplePost("200", "page", "0")
	page.Slug, page.Link = "about", "https://example.org/about/"
	att := simplePost("201", "attachment", "200")
	att.Slug, att.Link = "about", "https://example.org/about/about-2/"
	dup1 := simplePost("300", "post", "0")
	dup1.Slug = "first"
	dup2 := simplePost("300", "post", "0")
	dup2.Slug = "second"
	upper := simplePost("400", "post", "0") // escapes in upper case, as some plugins write them
	upper.Slug, upper.Derived.SlugDecoded = "%E5%94%90-tang", "唐-tang"
	a.posts = []*Post{thread, page, att, dup1, dup2, upper}

	b := fixture{site: Site{Key: "other.example", Title: "Other", Link: "https://other.example"}}
	other := simplePost("100", "post", "0")
	other.Slug, other.Link = "elsewhere", "https://other.example/elsewhere/"
	b.posts = []*Post{other}
	return a, b
}

func TestFindPost(t *testing.T) {
	a := openTemp(t)
	fa, fb := showFixture()
	importFixture(t, a, fa)
	importFixture(t, a, fb)
	ctx := context.Background()
	rowOf := func(site, wpKey string, dup int) int64 {
		return one[int64](t, a.DB(), `SELECT p.id FROM posts p JOIN sites s ON s.id = p.site_id
			WHERE s.site_key = ? AND p.wp_key = ? AND p.dup_ordinal = ?`, site, wpKey, dup)
	}
	thread := rowOf("example.org", "100", 0)
	cases := []struct {
		name, ref, site string
		want            int64
	}{
		{"wp id, one site", "100", "example.org", thread},
		{"wp id, site by URL", "100", "https://www.example.org/", thread},
		{"other site", "100", "other.example", rowOf("other.example", "100", 0)},
		{"raw slug", "%e7%ba%bf%e7%a8%8b", "", thread},
		{"raw slug, upper-case escapes", "%E7%BA%BF%E7%A8%8B", "", thread},
		{"decoded slug", "线程", "", thread},
		{"permalink", "https://example.org/2024/01/%e7%ba%bf%e7%a8%8b/", "", thread},
		{"permalink, http, www, no slash, decoded", "http://www.example.org/2024/01/线程", "", thread},
		{"guid", "https://example.org/?p=100", "", thread},
		{"moved domain, same path", "https://new.example.net/2024/01/%e7%ba%bf%e7%a8%8b/", "", thread},
		{"?p= link not stored", "https://example.org/?p=200", "", rowOf("example.org", "200", 0)},
		{"slug of a page and an attachment: the page", "about", "", rowOf("example.org", "200", 0)},
		{"attachment by its own URL", "https://example.org/about/about-2/", "", rowOf("example.org", "201", 0)},
		{"repeated id told apart by slug", "second", "", rowOf("example.org", "300", 1)},
		{"decoded slug of upper-case escapes", "唐-tang", "", rowOf("example.org", "400", 0)},
		{"upper-case escapes as exported", "%E5%94%90-tang", "", rowOf("example.org", "400", 0)},
	}
	for _, c := range cases {
		got, err := a.FindPost(ctx, c.ref, FindOptions{Site: c.site})
		if err != nil || got != c.want {
			t.Errorf("%s: FindPost(%q) = %d, %v; want %d", c.name, c.ref, got, err, c.want)
		}
	}
	var amb *AmbiguousError
	if _, err := a.FindPost(ctx, "100", FindOptions{}); !errors.As(err, &amb) || len(amb.Matches) != 2 {
		t.Errorf("an id of two sites: %v", err)
	}
	if _, err := a.FindPost(ctx, "300", FindOptions{}); !errors.As(err, &amb) || len(amb.Matches) != 2 {
		t.Errorf("an id repeated in one export: %v", err)
	}
	for _, ref := range []string{"nothing-like-this", "4242", "https://example.org/2024/01/gone/"} {
		if _, err := a.FindPost(ctx, ref, FindOptions{}); !errors.Is(err, ErrPostNotFound) {
			t.Errorf("%q: %v, want ErrPostNotFound", ref, err)
		}
	}
	if _, err := a.FindPost(ctx, "100", FindOptions{Site: "nowhere.example"}); !errors.Is(err, ErrPostNotFound) {
		t.Errorf("unknown site: %v", err)
	}
}

func TestLoadPostThread(t *testing.T) {
	a := openTemp(t)
	fa, _ := showFixture()
	importFixture(t, a, fa)
	ctx := context.Background()
	id, err := a.FindPost(ctx, "100", FindOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.LoadPost(ctx, id, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Title != "Threads & replies" || v.SlugDecoded != "线程" || v.Site.Key != "example.org" || *v.WPID != 100 {
		t.Errorf("post: %+v", v)
	}
	// Roots by date: 36 (orphan, Jan 1), 32 (Jan 2), 31 (Jan 3) with 34
	// (Jan 4) before 33 (Jan 5) and 35 under 33; 38, whose parent is the
	// pingback, starts a thread of its own.
	var got []string
	for _, c := range v.Comments {
		got = append(got, strings.Repeat(">", c.Level)+IDs(c.WPID))
	}
	want := "36 32 31 >34 >33 >>35 38"
	if strings.Join(got, " ") != want {
		t.Errorf("thread order %q, want %q", strings.Join(got, " "), want)
	}
	byID := map[string]CommentView{}
	for _, c := range v.Comments {
		byID[IDs(c.WPID)] = c
	}
	if c := byID["36"]; !c.Orphan || c.ReplyTo == nil || *c.ReplyTo != 777 {
		t.Errorf("orphan: %+v", c)
	}
	if c := byID["38"]; c.Orphan || c.ReplyTo == nil || *c.ReplyTo != 37 {
		t.Errorf("reply to a ping: %+v", c)
	}
	if c := byID["35"]; c.Depth != 2 || c.ReplyTo != nil {
		t.Errorf("35: %+v", c)
	}
	if byID["34"].Status != "pending" {
		t.Errorf("34: status %q", byID["34"].Status)
	}
	if len(v.Pings) != 1 || v.Pings[0].Kind != "pingback" || v.Pings[0].PingDomain != "other.example" {
		t.Errorf("pings: %+v", v.Pings)
	}
	if c := byID["31"]; c.Commenter == nil || c.Commenter.Provider != "guest" || c.Commenter.Comments != 1 {
		t.Errorf("commenter of 31: %+v", c.Commenter)
	}
}

// IDs renders a WordPress id for the tests.
func IDs(id *int64) string {
	if id == nil {
		return "?"
	}
	return strconv.FormatInt(*id, 10)
}

func TestLoadPostPrivacy(t *testing.T) {
	a := openTemp(t)
	fa, _ := showFixture()
	importFixture(t, a, fa)
	ctx := context.Background()
	id, err := a.FindPost(ctx, "100", FindOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hidden, err := a.LoadPost(ctx, id, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	shown, err := a.LoadPost(ctx, id, LoadOptions{Private: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range hidden.Comments {
		s := shown.Comments[i]
		if c.AuthorEmail != "" || c.AuthorIP != "" || (c.Commenter != nil && c.Commenter.Email != "") {
			t.Errorf("#%s: private values without Private: %q %q", IDs(c.WPID), c.AuthorEmail, c.AuthorIP)
		}
		if strings.Contains(c.Author, "@") {
			t.Errorf("#%s: an address in the name: %q", IDs(c.WPID), c.Author)
		}
		if s.AuthorEmail == "" || s.AuthorIP == "" || s.Commenter == nil || s.Commenter.Email == "" {
			t.Errorf("#%s: Private left out %q %q", IDs(s.WPID), s.AuthorEmail, s.AuthorIP)
		}
	}
	var masked string
	for _, c := range hidden.Comments {
		if IDs(c.WPID) == "32" {
			masked = c.Author
		}
	}
	if masked != "mail me: "+hiddenEmail {
		t.Errorf("name with an address: %q", masked)
	}
}

// TestCommentViews checks the views of migration 0004 on the show
// fixture: comment_threads agrees with LoadPost, pings lists the
// pingback, akismet and akismet_events decode akismet_history.
func TestCommentViews(t *testing.T) {
	a := openTemp(t)
	fa, _ := showFixture()
	c := &fa.posts[0].Comments[1] // 31
	c.Meta = []Meta{
		{Key: "akismet_result", Value: "false"},
		{Key: "akismet_history", Value: `a:2:{s:4:"time";d:1651439177.5;s:5:"event";s:9:"check-ham";}`,
			JSON: `{"time":1651439177.5,"event":"check-ham"}`},
		{Key: "akismet_history", Value: `a:3:{s:4:"time";s:15:"1651583422.5573";s:5:"event";s:15:"status-approved";s:4:"user";s:5:"admin";}`,
			JSON: `{"time":"1651583422.5573","event":"status-approved","user":"admin"}`},
		{Key: "akismet_history", Value: `a:1:{broken`}, // not decoded
	}
	withHash(fa.posts[0])
	importFixture(t, a, fa)
	ctx := context.Background()
	db := a.DB()

	id, err := a.FindPost(ctx, "100", FindOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.LoadPost(ctx, id, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range v.Comments {
		want = append(want, IDs(c.WPID)+"@"+strconv.Itoa(c.Level))
	}
	// comment_threads has the pingback too, as a root, and the reply to
	// it under it.
	got := one[string](t, db, `SELECT group_concat(x, ' ') FROM (SELECT comment_wp_id || '@' || level AS x
		FROM comment_threads WHERE post_id = ? AND kind = 'comment' AND comment_wp_id != 38 ORDER BY sort_key)`, id)
	if w := strings.Join(want, " "); got+" 38@0" != w {
		t.Errorf("comment_threads %q, LoadPost %q", got, w)
	}
	if got := one[string](t, db, `SELECT group_concat(comment_wp_id || '@' || level, ' ') FROM comment_threads WHERE comment_wp_id IN (37, 38)`); got != "37@0 38@1" && got != "38@1 37@0" {
		t.Errorf("reply to a pingback in comment_threads: %q", got)
	}
	if got := one[string](t, db, `SELECT kind || ' ' || ping_domain || ' ' || post_wp_id || ' ' || ping_title FROM pings`); got != "pingback other.example 100 Linking page" {
		t.Errorf("pings: %q", got)
	}
	if n := one[int](t, db, `SELECT count(*) FROM akismet`); n != 1 {
		t.Errorf("akismet: %d rows", n)
	}
	if got := one[string](t, db, `SELECT result || ' ' || event_count || ' ' || json_array_length(events) || ' ' ||
			json_extract(events, '$[1].event') || ' ' || json_type(events, '$[0]') || ' ' || json_type(events, '$[2]') FROM akismet`); got != "false 3 3 status-approved object text" {
		t.Errorf("akismet: %q", got)
	}
	if got := one[string](t, db, `SELECT group_concat(event || ' ' || time_at || ' ' || coalesce(user, '-'), '; ') FROM akismet_events`); got != "check-ham 2022-05-01T21:06:17Z -; status-approved 2022-05-03T13:10:22Z admin" {
		t.Errorf("akismet_events: %q", got)
	}
	if got := one[string](t, db, `SELECT group_concat(provider || ':' || comments, ' ') FROM commenter_activity WHERE comments > 0`); !strings.HasPrefix(got, "guest:1") {
		t.Errorf("commenter_activity: %q", got)
	}
}
