package importer

import (
	"testing"

	"github.com/wparchive/wparchive/archive"
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
	kinds := map[string]string{"": "comment", "comment": "comment", "pingback": "pingback", "Trackback": "trackback", "webmention": "webmention"}
	for in, want := range kinds {
		if got := commentKind(in); got != want {
			t.Errorf("commentKind(%q) = %q, want %q", in, got, want)
		}
	}
	statuses := map[string]string{"1": "approved", "0": "pending", "spam": "spam", "trash": "trash", "post-trashed": "post-trashed", "": ""}
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
	if pb.Derived.PingTitle != "Ping 1 « What’s a tellyworth?" || pb.Derived.PingExcerpt != "[…] context around the link […]" {
		t.Errorf("pingback: %+v", pb.Derived)
	}
}

func TestIdentify(t *testing.T) {
	n := &normalizer{}
	mk := func(uid string, meta ...string) *archive.Comment {
		c := &archive.Comment{Author: "Mei", AuthorEmail: "Mei@Example.com", UserIDRaw: uid}
		for i := 0; i+1 < len(meta); i += 2 {
			c.Meta = append(c.Meta, archive.Meta{Key: meta[i], Value: meta[i+1]})
		}
		return c
	}
	cases := []struct {
		name          string
		c             *archive.Comment
		provider, key string
		signed        bool
	}{
		{"wordpress.com", mk("0", "hc_post_as", "wordpress", "hc_avatar", "https://0.gravatar.com/avatar/x", "hc_foreign_user_id", "13230220", "hc_wpcom_id_sig", "0a6f"), "wordpress", "wordpress:13230220", true},
		{"twitter", mk("0", "hc_post_as", "twitter", "hc_foreign_user_id", "40793201"), "twitter", "twitter:40793201", false},
		{"old jetpack facebook by avatar", mk("0", "hc_avatar", "https://graph.facebook.com/123/picture", "hc_foreign_user_id", "123"), "facebook", "facebook:123", false},
		{"jetpack identity", mk("0", "jetpack_comment_identity_id", "abc", "jetpack_comment_identity_provider", "wordpress"), "wordpress", "jetpack-identity:abc", false},
		{"disqus", mk("0", "dsq_post_id", "99"), "disqus", "disqus:email:mei@example.com", false},
		{"local user", mk("3"), "local-user", "local-user:3", false},
		{"guest", mk("0"), "guest", "guest:email:mei@example.com", false},
	}
	for _, c := range cases {
		n.identify(c.c)
		d := c.c.Derived
		if d.Provider != c.provider || d.IdentityKey != c.key || d.WPcomSigned != c.signed {
			t.Errorf("%s: got provider %q key %q signed %v", c.name, d.Provider, d.IdentityKey, d.WPcomSigned)
		}
	}
}

func TestRedact(t *testing.T) {
	n := &normalizer{redact: true, salt: []byte("s")}
	a := archive.Comment{AuthorEmail: "Mei@Example.com", AuthorIP: "192.0.2.7"}
	b := archive.Comment{AuthorEmail: "mei@example.com", AuthorIP: "192.0.2.7"}
	n.comment(&a)
	n.comment(&b)
	if a.AuthorEmail == "" || a.AuthorEmail == "mei@example.com" || a.AuthorIP == "192.0.2.7" {
		t.Fatalf("not redacted: %q %q", a.AuthorEmail, a.AuthorIP)
	}
	if a.Derived.IdentityKey != b.Derived.IdentityKey {
		t.Errorf("the same person got two identities: %q %q", a.Derived.IdentityKey, b.Derived.IdentityKey)
	}
}
