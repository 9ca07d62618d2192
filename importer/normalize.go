package importer

import (
	"html"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/quotes"
)

// wpTime is the layout of every date WordPress exports.
const wpTime = "2006-01-02 15:04:05"

// isoUTC turns a WordPress GMT date into ISO 8601 UTC; zero dates
// ("0000-00-00 00:00:00"), empty and unparsable values give "".
func isoUTC(gmt string) string {
	if gmt == "" || strings.HasPrefix(gmt, "0000-00-00") {
		return ""
	}
	if iso, ok := plainISO(gmt); ok {
		return iso
	}
	t, err := time.Parse(wpTime, gmt)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// plainISO is isoUTC for the usual "YYYY-MM-DD hh:mm:ss" with fields in
// range, without time.Parse and Format; false for anything else.
func plainISO(s string) (string, bool) {
	if _, ok := archive.ParseWPDate(s); !ok {
		return "", false
	}
	var b [20]byte // one allocation, without concatstrings' loops
	copy(b[:], s[:10])
	b[10] = 'T'
	copy(b[11:], s[11:19])
	b[19] = 'Z'
	return string(b[:]), true
}

// decodeSlug percent-decodes a slug for display; a slug that does not
// decode is returned as it is.
func decodeSlug(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	d, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return d
}

// SiteKey returns the identity of the site an export came from: its blog
// URL without scheme, "www." or trailing slash, lower-cased host (so http and
// https exports of one blog are one site). WordPress.com's network URL
// (http://wordpress.com/) identifies nothing, so the channel link is used
// before it; file is the last resort.
func SiteKey(s *archive.Site, file string) string {
	for _, u := range []string{s.BaseBlogURL, s.Link, s.BaseSiteURL} {
		if k := urlKey(u); k != "" && k != "wordpress.com" {
			return k
		}
	}
	if s.Title != "" {
		return "title:" + s.Title
	}
	return "file:" + path.Base(file)
}

func urlKey(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return strings.TrimRight(strings.ToLower(raw), "/")
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	return host + strings.TrimRight(u.Path, "/")
}

// normalizer fills the derived fields of the records of one import.
type normalizer struct {
	site   *archive.Site
	redact bool
	salt   []byte
	wpcom  bool // the site is hosted on WordPress.com
	stats  *QuoteStats

	// --redact's caches: how each key is read, and the hash of each
	// address (one person's address recurs in every comment and meta row).
	fields map[string]field
	hashes map[string]string
}

func (n *normalizer) setSite(s *archive.Site, file string) {
	if n.redact {
		n.redactSite(s)
	}
	s.Key = SiteKey(s, file)
	n.site = s
	n.wpcom = urlKey(s.BaseSiteURL) == "wordpress.com" || strings.HasPrefix(s.Generator, "WordPress.com")
}

// author redacts a channel-level author under --redact; nothing else is
// derived for it.
func (n *normalizer) author(a *archive.Author) {
	if n.redact {
		n.redactAuthor(a)
	}
}

func (n *normalizer) term(t *archive.Term) {
	if n.redact {
		n.redactTerm(t)
	}
	for i := range t.Meta {
		t.Meta[i].JSON = metaJSON(t.Meta[i].Value)
	}
}

func (n *normalizer) post(p *archive.Post) {
	if n.redact {
		n.redactPost(p)
	}
	d := &p.Derived
	d.DateAt = isoUTC(p.DateGMTRaw)
	d.ModifiedAt = d.DateAt
	if p.ModifiedGMTRaw != p.DateGMTRaw { // most posts were never edited
		d.ModifiedAt = isoUTC(p.ModifiedGMTRaw)
	}
	d.SlugDecoded = decodeSlug(p.Slug)
	d.SearchTitle = archive.SearchText(plainText(p.Title))
	hint := ""
	if n.site != nil {
		hint = n.site.Language
	}
	analyzePost(p, hint, n.stats)
	for i := range p.Meta {
		p.Meta[i].JSON = metaJSON(p.Meta[i].Value)
	}
	for i := range p.Comments {
		n.comment(&p.Comments[i])
	}
}

func (n *normalizer) comment(c *archive.Comment) {
	if n.redact {
		n.redactComment(c)
	}
	d := &c.Derived
	d.DateAt = isoUTC(c.DateGMTRaw)
	d.Kind = commentKind(c.TypeRaw)
	d.Status = commentStatus(c.ApprovedRaw)
	plain := plainText(c.Content)
	d.Text = archive.SearchText(plain)
	for i := range c.Meta {
		c.Meta[i].JSON = metaJSON(c.Meta[i].Value)
	}
	if d.Kind == "trackback" || d.Kind == "pingback" {
		pingPlain(c, plain)
	} else {
		n.identify(c)
	}
}

// commentKind maps wp:comment_type: empty and "comment" are ordinary
// comments, everything else (trackback, pingback, a plugin's webmention,
// review, order_note …) is kept as written, trimmed and lower-cased; the
// raw value stays in type_raw.
func commentKind(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "" {
		return "comment"
	}
	return t
}

// commentStatus maps wp:comment_approved to a word: 1 approved, 0 pending,
// and spam, trash and post-trashed as they are (in any case). Other values
// are kept as written and a missing value gives "".
func commentStatus(a string) string {
	a = strings.TrimSpace(a)
	switch l := strings.ToLower(a); l {
	case "1":
		return "approved"
	case "0":
		return "pending"
	case "spam", "trash", "post-trashed", "approved", "pending":
		return l
	}
	return a
}

func firstMeta(ms []archive.Meta, key string) (string, bool) {
	for _, m := range ms {
		if m.Key == key {
			return m.Value, true
		}
	}
	return "", false
}

// identify decides who wrote a comment (wxr-format.md §10): the Jetpack and
// WordPress.com sign-in meta first, then the newer Jetpack identity keys,
// older Jetpack's Facebook and Twitter comments (hc_* meta without
// hc_post_as: the avatar's host or the author URL tells), Disqus, a
// registered user id, and otherwise a guest known by e-mail, or by name and
// URL when there is no e-mail.
//
// One person has one identity key, whichever way the comment recorded them:
// a WordPress.com account is "wpcom:ID" whether it came as hc_post_as
// wordpress, or, on a site hosted on WordPress.com, as comment_user_id or
// hc_post_as jetpack (a user of the site is a WordPress.com account there);
// a user of a self-hosted site is "user:ID" as comment_user_id or as
// hc_post_as jetpack. The e-mail is the stored one, already hashed by
// --redact.
func (n *normalizer) identify(c *archive.Comment) {
	d := &c.Derived
	// Under --redact the identity is made of redacted values, whether the
	// comment was redacted already (post) or not (known): redacting is
	// idempotent.
	author, authorURL, ownIP := c.Author, c.AuthorURL, ""
	if n.redact {
		if ip := strings.TrimSpace(c.AuthorIP); isIP(ip) {
			ownIP = ip
		}
		author = n.redactText(author, textField, ownIP, false)
		authorURL = n.redactText(authorURL, textField, ownIP, false)
	}
	meta := func(key string) (string, bool) {
		v, ok := firstMeta(c.Meta, key)
		if ok && n.redact {
			v = n.redactValue(key, v, ownIP)
		}
		return strings.TrimSpace(v), ok
	}
	email := normEmail(c.AuthorEmail)
	if n.redact && email != "" && !strings.HasPrefix(email, "redacted:") {
		email = n.hashEmail(email)
	}
	guestKey := func() string {
		if email != "" {
			return "email:" + email
		}
		return "name:" + strings.ToLower(strings.TrimSpace(html.UnescapeString(author))) + "|" + strings.ToLower(strings.TrimSpace(authorURL))
	}
	userID := ""
	if uid, err := strconv.ParseInt(strings.TrimSpace(c.UserIDRaw), 10, 64); err == nil && uid > 0 {
		userID = strconv.FormatInt(uid, 10)
	}
	// account is the identity key of a user of this site.
	account := func(id string) string {
		if n.wpcom {
			return "wpcom:" + id
		}
		return "user:" + id
	}
	if as, ok := meta("hc_post_as"); ok && as != "" {
		d.Provider = strings.ToLower(as)
		d.Avatar, _ = meta("hc_avatar")
		d.ForeignUserID, _ = meta("hc_foreign_user_id")
		_, d.WPcomSigned = meta("hc_wpcom_id_sig")
		switch {
		case d.Provider == "guest":
			d.IdentityKey = "guest:" + guestKey()
		case d.Provider == "wordpress" && d.ForeignUserID != "":
			d.IdentityKey = "wpcom:" + d.ForeignUserID
		case d.Provider == "jetpack" && or(d.ForeignUserID, userID) != "":
			d.IdentityKey = account(or(d.ForeignUserID, userID))
		case d.ForeignUserID != "":
			d.IdentityKey = d.Provider + ":" + d.ForeignUserID
		default:
			d.IdentityKey = d.Provider + ":" + guestKey()
		}
		return
	}
	if id, ok := meta("jetpack_comment_identity_id"); ok && id != "" {
		d.Provider, _ = meta("jetpack_comment_identity_provider")
		d.Provider = strings.ToLower(or(d.Provider, "wordpress"))
		d.Avatar, _ = meta("jetpack_comment_identity_avatar")
		d.ForeignUserID = id
		d.IdentityKey = "jetpack-identity:" + id
		return
	}
	av, hasAv := meta("hc_avatar")
	fid, hasFid := meta("hc_foreign_user_id")
	if hasAv || hasFid {
		// Older Jetpack: no hc_post_as; the avatar's host tells, or the
		// author URL as Jetpack itself once checked.
		url := strings.ToLower(authorURL)
		switch {
		case strings.Contains(av, "graph.facebook.com") || strings.Contains(av, "fbcdn") || strings.Contains(url, "facebook.com/"):
			d.Provider = "facebook"
		case strings.Contains(av, "twimg.com") || strings.Contains(url, "//twitter.com/") || strings.Contains(url, ".twitter.com/"):
			d.Provider = "twitter"
		}
		d.Avatar = av
		if d.Provider != "" {
			d.ForeignUserID = fid
			d.IdentityKey = d.Provider + ":" + or(d.ForeignUserID, guestKey())
			return
		}
	}
	for _, x := range c.Meta {
		if strings.HasPrefix(x.Key, "dsq_") {
			d.Provider = "disqus"
			d.IdentityKey = "disqus:" + guestKey()
			return
		}
	}
	if userID != "" {
		d.Provider = "local-user"
		if n.wpcom {
			d.Provider = "wpcom-user"
		}
		d.ForeignUserID = userID
		d.IdentityKey = account(userID)
		return
	}
	d.Provider = "guest"
	d.IdentityKey = "guest:" + guestKey()
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// strongParts splits a trackback's content as the regular expression
// (?s)^\s*<strong>(.*?)</strong>\s*(.*)$ does, without one: the title
// inside the first <strong>…</strong> at the start, and the rest.
func strongParts(s string) (title, rest string, ok bool) {
	const space = "\t\n\f\r " // \s of regexp
	t, found := strings.CutPrefix(strings.TrimLeft(s, space), "<strong>")
	if !found {
		return "", "", false
	}
	title, rest, found = strings.Cut(t, "</strong>")
	if !found {
		return "", "", false
	}
	return title, strings.TrimLeft(rest, space), true
}

// ping extracts the linking page of a trackback or pingback (wxr-format.md
// §9): a trackback's content is "<strong>title</strong>\n\nexcerpt" and its
// author the sending blog's name; a pingback's author is the linking page's
// title and its content the context around the link.
func ping(c *archive.Comment) {
	pingPlain(c, plainText(c.Content))
}

// pingPlain is ping for a comment whose content's plain text is known.
func pingPlain(c *archive.Comment, plain string) {
	d := &c.Derived
	d.PingURL = html.UnescapeString(strings.TrimSpace(c.AuthorURL))
	d.PingDomain = pingDomain(d.PingURL)
	author := strings.TrimSpace(html.UnescapeString(c.Author))
	if d.Kind == "trackback" {
		if title, rest, ok := strongParts(c.Content); ok {
			d.PingTitle = strings.TrimSpace(plainText(title))
			d.PingExcerpt = strings.TrimSpace(plainText(rest))
		} else {
			d.PingExcerpt = strings.TrimSpace(plain)
		}
		if d.PingTitle == "" {
			d.PingTitle = author
		}
		return
	}
	d.PingTitle = author
	d.PingExcerpt = strings.TrimSpace(plain)
}

// pingDomain is the host of a linking page's URL, lower-cased, without
// "www." and port; a URL written without a scheme ("example.com/post")
// still gives its host.
func pingDomain(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err == nil && u.Host == "" && !strings.Contains(raw, "://") && !strings.HasPrefix(raw, "/") {
		u, err = url.Parse("http://" + raw)
	}
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// plainText strips HTML from s, decodes entities and drops scripts and
// styles; block elements end lines (quotes.PlainText).
func plainText(s string) string {
	return quotes.PlainText(s)
}
