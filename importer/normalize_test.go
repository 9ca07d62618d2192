package importer

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/schema"
)

func TestIsoUTC(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"gmt", "2024-05-21 09:02:40", "2024-05-21T09:02:40Z"},
		{"zero", "0000-00-00 00:00:00", ""},
		{"empty", "", ""},
		{"garbage", "Mon, 30 Nov -0001", ""},
	}
	for _, c := range cases {
		if got := isoUTC(c.in); got != c.want {
			t.Errorf("%s: isoUTC(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestDecodeSlug(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"chinese", "%e9%9d%99%e5%a4%9c%e6%80%9d", "静夜思"},
		{"ascii", "hello-world", "hello-world"},
		{"encoded slash", "wp-global-styles-pub%2ftwentytwentyfour", "wp-global-styles-pub/twentytwentyfour"},
		{"broken", "100%-sure", "100%-sure"},
	}
	for _, c := range cases {
		if got := decodeSlug(c.in); got != c.want {
			t.Errorf("%s: decodeSlug(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestSiteKey(t *testing.T) {
	cases := []struct {
		name string
		site archive.Site
		want string
	}{
		{"blog url", archive.Site{BaseBlogURL: "https://www.Example.org/blog/", BaseSiteURL: "http://wordpress.com/"}, "example.org/blog"},
		{"http and https agree", archive.Site{BaseBlogURL: "http://example.org"}, "example.org"},
		{"wordpress.com network url skipped", archive.Site{Link: "https://demo.wordpress.com", BaseSiteURL: "http://wordpress.com/"}, "demo.wordpress.com"},
		{"nothing", archive.Site{}, "file:x.xml"},
	}
	for _, c := range cases {
		if got := SiteKey(&c.site, "dir/x.xml"); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestCommentKindAndStatus(t *testing.T) {
	kinds := map[string]string{"": "comment", "comment": "comment", " comment ": "comment", "pingback": "pingback",
		"Trackback": "trackback", "webmention": "webmention", "review": "review", "order_note": "order_note"}
	for in, want := range kinds {
		if got := commentKind(in); got != want {
			t.Errorf("commentKind(%q) = %q, want %q", in, got, want)
		}
	}
	statuses := map[string]string{"1": "approved", "0": "pending", " 1 ": "approved", "spam": "spam", "SPAM": "spam",
		"trash": "trash", "post-trashed": "post-trashed", "": "", "hold": "hold"}
	for in, want := range statuses {
		if got := commentStatus(in); got != want {
			t.Errorf("commentStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPing(t *testing.T) {
	tb := archive.Comment{Author: "Lanterns &amp; Lanes", AuthorURL: "https://www.example.net/2022/05/central-asia/?a=1&amp;b=2",
		Content: "<strong>Central Asia &#8211; a reading</strong>\n\nThe Pengpai article says [&#8230;]", Derived: archive.CommentDerived{Kind: "trackback"}}
	ping(&tb)
	d := tb.Derived
	if d.PingURL != "https://www.example.net/2022/05/central-asia/?a=1&b=2" || d.PingDomain != "example.net" ||
		d.PingTitle != "Central Asia – a reading" || d.PingExcerpt != "The Pengpai article says […]" {
		t.Errorf("trackback: %+v", d)
	}
	pb := archive.Comment{Author: "Ping 1 &laquo; What&#8217;s a tellyworth?", AuthorURL: "http://example.com/ping1/",
		Content: "[&#8230;] context around the link [&#8230;]", Derived: archive.CommentDerived{Kind: "pingback"}}
	ping(&pb)
	if pb.Derived.PingTitle != "Ping 1 « What’s a tellyworth?" || pb.Derived.PingExcerpt != "[…] context around the link […]" || pb.Derived.PingDomain != "example.com" {
		t.Errorf("pingback: %+v", pb.Derived)
	}
	// A trackback without the <strong> title: the blog name stands in.
	bare := archive.Comment{Author: "Kettles", AuthorURL: "Blog.Example.org:8080/x", Content: "just an excerpt",
		Derived: archive.CommentDerived{Kind: "trackback"}}
	ping(&bare)
	if bare.Derived.PingTitle != "Kettles" || bare.Derived.PingExcerpt != "just an excerpt" || bare.Derived.PingDomain != "blog.example.org" {
		t.Errorf("bare trackback: %+v", bare.Derived)
	}
}

func TestIdentify(t *testing.T) {
	mk := func(uid string, meta ...string) *archive.Comment {
		c := &archive.Comment{Author: "Mei", AuthorEmail: "Mei@Example.com", UserIDRaw: uid}
		for i := 0; i+1 < len(meta); i += 2 {
			c.Meta = append(c.Meta, archive.Meta{Key: meta[i], Value: meta[i+1]})
		}
		return c
	}
	noEmail := mk("0", "hc_avatar", "https://example.com/a.png", "hc_foreign_user_id", "77")
	noEmail.AuthorEmail, noEmail.AuthorURL = "", "https://www.facebook.com/mei"
	guestNoEmail := mk("0")
	guestNoEmail.Author, guestNoEmail.AuthorEmail, guestNoEmail.AuthorURL = "Mei &amp; Co", "", "https://Mei.example"
	cases := []struct {
		name          string
		wpcom         bool
		c             *archive.Comment
		provider, key string
		signed        bool
		avatar        string
	}{
		{"wordpress.com", false, mk("0", "hc_post_as", "wordpress", "hc_avatar", "https://0.gravatar.com/avatar/x", "hc_foreign_user_id", "13230220", "hc_wpcom_id_sig", "0a6f"), "wordpress", "wpcom:13230220", true, "https://0.gravatar.com/avatar/x"},
		{"twitter", false, mk("0", "hc_post_as", "twitter", "hc_foreign_user_id", "40793201"), "twitter", "twitter:40793201", false, ""},
		{"googleplus", false, mk("0", "hc_post_as", "GooglePlus", "hc_foreign_user_id", " 1077 "), "googleplus", "googleplus:1077", false, ""},
		{"facebook without id", false, mk("0", "hc_post_as", "facebook"), "facebook", "facebook:email:mei@example.com", false, ""},
		{"jetpack: a local user", false, mk("5", "hc_post_as", "jetpack", "hc_foreign_user_id", "5"), "jetpack", "user:5", false, ""},
		{"jetpack on wordpress.com: an account", true, mk("18423771", "hc_post_as", "jetpack", "hc_foreign_user_id", "18423771"), "jetpack", "wpcom:18423771", false, ""},
		{"old jetpack facebook by avatar", false, mk("0", "hc_avatar", "https://graph.facebook.com/123/picture", "hc_foreign_user_id", "123"), "facebook", "facebook:123", false, "https://graph.facebook.com/123/picture"},
		{"old jetpack twitter by avatar", false, mk("0", "hc_avatar", "http://a0.twimg.com/x_normal.png"), "twitter", "twitter:email:mei@example.com", false, "http://a0.twimg.com/x_normal.png"},
		{"old jetpack facebook by url", false, noEmail, "facebook", "facebook:77", false, "https://example.com/a.png"},
		{"jetpack identity", false, mk("0", "jetpack_comment_identity_id", "abc", "jetpack_comment_identity_provider", "wordpress"), "wordpress", "jetpack-identity:abc", false, ""},
		{"disqus", false, mk("0", "dsq_post_id", "99"), "disqus", "disqus:email:mei@example.com", false, ""},
		{"local user", false, mk("3"), "local-user", "user:3", false, ""},
		{"wordpress.com user", true, mk("3"), "wpcom-user", "wpcom:3", false, ""},
		{"guest", false, mk("0"), "guest", "guest:email:mei@example.com", false, ""},
		{"guest without e-mail", false, guestNoEmail, "guest", "guest:name:mei & co|https://mei.example", false, ""},
		{"user id not a number", false, mk("x"), "guest", "guest:email:mei@example.com", false, ""},
	}
	for _, c := range cases {
		n := &normalizer{wpcom: c.wpcom}
		n.identify(c.c)
		d := c.c.Derived
		if d.Provider != c.provider || d.IdentityKey != c.key || d.WPcomSigned != c.signed || d.Avatar != c.avatar {
			t.Errorf("%s: got provider %q key %q signed %v avatar %q", c.name, d.Provider, d.IdentityKey, d.WPcomSigned, d.Avatar)
		}
	}
}

// TestOneAccountOneIdentity: the same account reached by different routes
// (hc_post_as, comment_user_id) is one identity.
func TestOneAccountOneIdentity(t *testing.T) {
	for _, wpcom := range []bool{false, true} {
		n := &normalizer{wpcom: wpcom}
		a := &archive.Comment{Author: "Jonas", UserIDRaw: "42", Meta: []archive.Meta{{Key: "hc_post_as", Value: "jetpack"}, {Key: "hc_foreign_user_id", Value: "42"}}}
		b := &archive.Comment{Author: "Jonas", AuthorEmail: "j@example.org", UserIDRaw: "42"}
		n.identify(a)
		n.identify(b)
		if a.Derived.IdentityKey != b.Derived.IdentityKey {
			t.Errorf("wpcom=%v: %q and %q", wpcom, a.Derived.IdentityKey, b.Derived.IdentityKey)
		}
	}
	n := &normalizer{wpcom: true}
	a := &archive.Comment{Meta: []archive.Meta{{Key: "hc_post_as", Value: "wordpress"}, {Key: "hc_foreign_user_id", Value: "7"}}}
	b := &archive.Comment{UserIDRaw: "7"}
	n.identify(a)
	n.identify(b)
	if a.Derived.IdentityKey != b.Derived.IdentityKey {
		t.Errorf("wordpress.com account: %q and %q", a.Derived.IdentityKey, b.Derived.IdentityKey)
	}
}

func TestRedact(t *testing.T) {
	n := &normalizer{redact: true, salt: []byte("s")}
	submitted := `a:3:{s:20:"comment_author_email";s:15:"Mei@Example.com";s:7:"user_ip";s:9:"192.0.2.7";s:10:"user_agent";s:11:"Mozilla/5.0";}`
	a := archive.Comment{Author: "mei@example.com", AuthorEmail: "Mei@Example.com", AuthorIP: "192.0.2.7",
		AuthorURL: "mailto:mei@example.com", Meta: []archive.Meta{{Key: "akismet_as_submitted", Value: submitted}}}
	b := archive.Comment{AuthorEmail: " mei@example.com", AuthorIP: "192.0.2.7"}
	six := archive.Comment{AuthorEmail: "x@y.org", AuthorIP: "2001:db8::7",
		Meta: []archive.Meta{{Key: "akismet_as_submitted", Value: `a:1:{s:7:"user_ip";s:11:"2001:db8::7";}`}}}
	n.comment(&a)
	n.comment(&b)
	n.comment(&six)
	if a.AuthorEmail == "" || a.AuthorEmail == "mei@example.com" || a.AuthorIP == "192.0.2.7" || six.AuthorIP == "2001:db8::7" {
		t.Fatalf("not redacted: %q %q %q", a.AuthorEmail, a.AuthorIP, six.AuthorIP)
	}
	if a.AuthorEmail != b.AuthorEmail || a.AuthorIP != b.AuthorIP {
		t.Errorf("one address got two hashes: %q %q, %q %q", a.AuthorEmail, b.AuthorEmail, a.AuthorIP, b.AuthorIP)
	}
	if a.Derived.IdentityKey != b.Derived.IdentityKey || !strings.Contains(a.Derived.IdentityKey, a.AuthorEmail) {
		t.Errorf("the same person got two identities: %q %q", a.Derived.IdentityKey, b.Derived.IdentityKey)
	}
	if a.Derived.EmailHash != a.AuthorEmail {
		t.Errorf("EmailHash %q, stored e-mail %q", a.Derived.EmailHash, a.AuthorEmail)
	}
	for _, s := range []string{a.Author, a.AuthorURL, a.Meta[0].Value, six.Meta[0].Value} {
		if strings.Contains(strings.ToLower(s), "mei@example.com") || strings.Contains(s, "192.0.2.7") || strings.Contains(s, "2001:db8::7") {
			t.Errorf("an address is left in %q", s)
		}
	}
	// Serialized lengths still hold: every s:N:"…" string is N bytes, and
	// the addresses have the hashes of the comment's columns.
	if !strings.Contains(a.Meta[0].Value, `s:29:"`+a.AuthorEmail+`"`) || !strings.Contains(a.Meta[0].Value, `s:29:"`+a.AuthorIP+`"`) {
		t.Errorf("akismet_as_submitted: %q", a.Meta[0].Value)
	}
	for _, v := range []string{a.Meta[0].Value, six.Meta[0].Value} {
		for _, m := range serialStr.FindAllStringSubmatch(v, -1) {
			if n, _ := strconv.Atoi(m[1]); n != len(m[2]) {
				t.Errorf("s:%s:%q is %d bytes", m[1], m[2], len(m[2]))
			}
		}
	}
	if !strings.Contains(a.Meta[0].Value, "Mozilla/5.0") {
		t.Errorf("more than the addresses changed: %q", a.Meta[0].Value)
	}
	// A ping's URL at an IP address is redacted too; one with a name stays.
	p := archive.Comment{Author: "Blog", AuthorURL: "http://203.0.113.9/post", AuthorIP: "203.0.113.9", TypeRaw: "pingback"}
	n.comment(&p)
	if want := "http://" + p.AuthorIP + "/post"; p.Derived.PingURL != want || p.AuthorIP == "203.0.113.9" {
		t.Errorf("ping: url %q ip %q, want url %q", p.Derived.PingURL, p.AuthorIP, want)
	}
	named := archive.Comment{Author: "Blog", AuthorURL: "http://blog.example.net/post", AuthorIP: "203.0.113.9", TypeRaw: "pingback"}
	n.comment(&named)
	if named.Derived.PingURL != "http://blog.example.net/post" || named.Derived.PingDomain != "blog.example.net" {
		t.Errorf("ping: url %q", named.Derived.PingURL)
	}
}

var serialStr = regexp.MustCompile(`s:(\d+):"([^"]*)";`)

// excerptWXR has a Chinese word (侵略) only in a post's excerpt, and a
// trackback whose sending blog's name is HTML-escaped as WordPress stores
// it.
const excerptWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Excerpts</title>
	<link>https://excerpts.example.org</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://excerpts.example.org</wp:base_site_url>
	<wp:base_blog_url>https://excerpts.example.org</wp:base_blog_url>
	<item>
		<title>Notes</title>
		<link>https://excerpts.example.org/notes/</link>
		<dc:creator><![CDATA[owner]]></dc:creator>
		<content:encoded><![CDATA[Nothing about it here.]]></content:encoded>
		<excerpt:encoded><![CDATA[EXCERPT]]></excerpt:encoded>
		<wp:post_id>7</wp:post_id>
		<wp:post_date><![CDATA[2023-03-01 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2023-03-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[notes]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:comment>
			<wp:comment_id>71</wp:comment_id>
			<wp:comment_author><![CDATA[Lanterns &amp; Lanes &#8211; Mei&#8217;s blog]]></wp:comment_author>
			<wp:comment_author_url>https://lanterns.example.net/2023/03/notes/</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[203.0.113.71]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2023-03-02 10:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2023-03-02 09:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[<strong>On notes</strong>

A reply to the notes.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[trackback]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>
	</item>
</channel>
</rss>
`

// importString imports the export text into the archive at path.
func importString(t *testing.T, a *archive.Archive, name, wxr string, opt Options) *Summary {
	t.Helper()
	src := Source{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(wxr)), nil }}
	sum, err := Import(context.Background(), a, []Source{src}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestExcerptSearchedLikeText: a two-character Chinese word that only the
// excerpt holds is found, after the first import, after an import that
// changes the excerpt (the row is updated in place) and after one that
// changes it back; the index matches the table each time.
func TestExcerptSearchedLikeText(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	find := func(q string) int {
		t.Helper()
		hits, err := a.Search(ctx, archive.SearchOptions{Query: q, Types: []string{"post"}})
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	for i, step := range []struct {
		excerpt    string
		found, not string
	}{
		{"这篇笔记谈侵略和制裁。", "侵略", "和平"},
		{"这篇笔记谈和平。", "和平", "侵略"},
		{"Plain words only.", "plain", "和平"},
		{"这篇笔记谈侵略和制裁。", "制裁", "plain"},
	} {
		importString(t, a, "excerpt.xml", strings.Replace(excerptWXR, "EXCERPT", step.excerpt, 1), Options{})
		if err := a.CheckSearchIndex(ctx); err != nil {
			t.Fatalf("import %d: %v", i+1, err)
		}
		if n := find(step.found); n != 1 {
			t.Errorf("import %d (excerpt %q): search %s finds %d posts, want 1", i+1, step.excerpt, step.found, n)
		}
		if n := find(step.not); n != 0 {
			t.Errorf("import %d (excerpt %q): search %s finds %d posts, want 0", i+1, step.excerpt, step.not, n)
		}
	}
	// A column filter names the excerpt as users know it.
	if n := find("excerpt:侵略"); n != 1 {
		t.Errorf("excerpt:侵略 finds %d posts, want 1", n)
	}
	// The excerpt itself is stored as exported.
	var raw string
	if err := a.DB().QueryRow(`SELECT excerpt FROM posts`).Scan(&raw); err != nil || raw != "这篇笔记谈侵略和制裁。" {
		t.Errorf("excerpt %q, %v", raw, err)
	}
}

// TestPingsViewBlogName: the pings view gives a trackback's blog name with
// its HTML entities decoded, as show and search print it.
func TestPingsViewBlogName(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	importString(t, a, "excerpt.xml", excerptWXR, Options{})
	var name, title string
	if err := a.DB().QueryRow(`SELECT blog_name, ping_title FROM pings`).Scan(&name, &title); err != nil {
		t.Fatal(err)
	}
	if name != "Lanterns & Lanes – Mei’s blog" || title != "On notes" {
		t.Errorf("pings: blog_name %q, ping_title %q", name, title)
	}
}

// TestDerivedPreparedForOlderArchive: an archive made before excerpts were
// prepared for search has its CJK excerpts found and its blog names
// decoded after the next import, whatever that import holds.
func TestDerivedPreparedForOlderArchive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.sqlite")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, m := range schema.Migrations() {
		if m.Version > 4 {
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
		`INSERT INTO posts (id, site_id, wp_key, post_type, status, title, search_title, text, excerpt) VALUES (1, 1, '1', 'post', 'publish', 'Old', 'Old', 'text', '旧文谈侵略。')`,
		`INSERT INTO comments (post_id, wp_key, kind, status, author, text) VALUES (1, '1', 'trackback', 'approved', 'Q&amp;A &#8211; weekly', 'a ping')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	a, err := archive.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	importString(t, a, "excerpt.xml", strings.Replace(excerptWXR, "EXCERPT", "nothing Chinese", 1), Options{})
	if err := a.CheckSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	hits, err := a.Search(ctx, archive.SearchOptions{Query: "侵略"})
	if err != nil || len(hits) != 1 || hits[0].Title != "Old" {
		t.Errorf("search 侵略 in the older archive's post: %+v, %v", hits, err)
	}
	var name string
	if err := a.DB().QueryRow(`SELECT blog_name FROM pings WHERE post_id = 1`).Scan(&name); err != nil || name != "Q&A – weekly" {
		t.Errorf("older trackback's blog_name %q, %v", name, err)
	}
	var left int
	a.DB().QueryRow(`SELECT count(*) FROM _settings WHERE key = 'prepare_all_derived'`).Scan(&left)
	if left != 0 {
		t.Error("prepare_all_derived is still set after an import")
	}
}
