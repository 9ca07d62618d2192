package main

// A small, independent WXR checker used by the tests: it reads a whole export with
// encoding/xml in Strict mode and records what the assertions need. It deliberately does not
// use the project's importer, so the generator and the seed file are checked against the
// format itself.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	nsWP      = "http://wordpress.org/export/1.2/"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsExcerpt = "http://wordpress.org/export/1.2/excerpt/"
)

type wxrMeta struct{ key, value string }

type wxrComment struct {
	id, parent, userID     int64
	author, email, url, ip string
	date, dateGMT          string
	content, approved, typ string
	meta                   []wxrMeta
}

func (c *wxrComment) metaValues(key string) []string {
	var vs []string
	for _, m := range c.meta {
		if m.key == key {
			vs = append(vs, m.value)
		}
	}
	return vs
}

func (c *wxrComment) metaValue(key string) string {
	if vs := c.metaValues(key); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

type wxrTerm struct{ domain, nicename, name string }

type wxrItem struct {
	title, link, pubDate, creator, guid string
	content, excerpt                    string
	id, parent                          int64
	date, dateGMT, modified, modGMT     string
	commentStatus, pingStatus           string
	name, status, typ, password         string
	sticky                              string
	attachmentURL                       string
	terms                               []wxrTerm
	meta                                []wxrMeta
	comments                            []*wxrComment
}

func (it *wxrItem) metaValue(key string) string {
	for _, m := range it.meta {
		if m.key == key {
			return m.value
		}
	}
	return ""
}

type wxrChannel struct {
	title, link, language, version string
	baseSite, baseBlog             string
	authors                        []string // logins
	categories                     []wxrTerm
	categoryParents                map[string]string
	tags                           []wxrTerm
}

type wxrFile struct {
	channel wxrChannel
	items   []*wxrItem
}

// readWXR parses r with a strict decoder. Every item is kept, so it is for test-sized input.
func readWXR(r io.Reader) (*wxrFile, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	f := &wxrFile{}
	f.channel.categoryParents = map[string]string{}
	var (
		stack   []xml.Name
		text    strings.Builder
		item    *wxrItem
		cmt     *wxrComment
		meta    *wxrMeta
		inCat   bool
		catTerm wxrTerm
		catPar  string
		inTag   bool
		tagTerm wxrTerm
		attrs   []xml.Attr
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, col := d.InputPos()
			return nil, fmt.Errorf("line %d col %d: %w", line, col, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name)
			text.Reset()
			attrs = t.Attr
			switch {
			case t.Name.Local == "item" && t.Name.Space == "":
				item = &wxrItem{}
			case t.Name.Space == nsWP && t.Name.Local == "comment" && item != nil:
				cmt = &wxrComment{}
			case t.Name.Space == nsWP && (t.Name.Local == "postmeta" || t.Name.Local == "commentmeta"):
				meta = &wxrMeta{}
			case t.Name.Space == nsWP && t.Name.Local == "category" && item == nil:
				inCat, catTerm, catPar = true, wxrTerm{domain: "category"}, ""
			case t.Name.Space == nsWP && t.Name.Local == "tag" && item == nil:
				inTag, tagTerm = true, wxrTerm{domain: "post_tag"}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := t.Name
			stack = stack[:len(stack)-1]
			s := text.String()
			text.Reset()
			trim := strings.TrimSpace(s)
			num := func() int64 {
				n, err := strconv.ParseInt(trim, 10, 64)
				if err != nil {
					return -1
				}
				return n
			}
			switch {
			case meta != nil && name.Space == nsWP && name.Local == "meta_key":
				meta.key = s
			case meta != nil && name.Space == nsWP && name.Local == "meta_value":
				meta.value = s
			case meta != nil && name.Space == nsWP && (name.Local == "postmeta" || name.Local == "commentmeta"):
				if cmt != nil {
					cmt.meta = append(cmt.meta, *meta)
				} else if item != nil {
					item.meta = append(item.meta, *meta)
				}
				meta = nil
			case cmt != nil && name.Space == nsWP:
				switch name.Local {
				case "comment_id":
					cmt.id = num()
				case "comment_parent":
					cmt.parent = num()
				case "comment_user_id":
					cmt.userID = num()
				case "comment_author":
					cmt.author = s
				case "comment_author_email":
					cmt.email = s
				case "comment_author_url":
					cmt.url = trim
				case "comment_author_IP":
					cmt.ip = trim
				case "comment_date":
					cmt.date = trim
				case "comment_date_gmt":
					cmt.dateGMT = trim
				case "comment_content":
					cmt.content = s
				case "comment_approved":
					cmt.approved = trim
				case "comment_type":
					cmt.typ = trim
				case "comment":
					item.comments = append(item.comments, cmt)
					cmt = nil
				}
			case item != nil && name.Space == "" && name.Local == "category":
				var term wxrTerm
				for _, a := range attrs {
					switch a.Name.Local {
					case "domain":
						term.domain = a.Value
					case "nicename":
						term.nicename = a.Value
					}
				}
				term.name = s
				item.terms = append(item.terms, term)
			case item != nil && name.Space == "" && name.Local == "item":
				f.items = append(f.items, item)
				item = nil
			case item != nil:
				switch name.Space + " " + name.Local {
				case " title":
					item.title = s
				case " link":
					item.link = trim
				case " pubDate":
					item.pubDate = trim
				case " guid":
					item.guid = trim
				case "http://purl.org/dc/elements/1.1/ creator":
					item.creator = s
				case nsContent + " encoded":
					item.content = s
				case nsExcerpt + " encoded":
					item.excerpt = s
				case nsWP + " post_id":
					item.id = num()
				case nsWP + " post_parent":
					item.parent = num()
				case nsWP + " post_date":
					item.date = trim
				case nsWP + " post_date_gmt":
					item.dateGMT = trim
				case nsWP + " post_modified":
					item.modified = trim
				case nsWP + " post_modified_gmt":
					item.modGMT = trim
				case nsWP + " comment_status":
					item.commentStatus = trim
				case nsWP + " ping_status":
					item.pingStatus = trim
				case nsWP + " post_name":
					item.name = trim
				case nsWP + " status":
					item.status = trim
				case nsWP + " post_type":
					item.typ = trim
				case nsWP + " post_password":
					item.password = s
				case nsWP + " is_sticky":
					item.sticky = trim
				case nsWP + " attachment_url":
					item.attachmentURL = trim
				}
			case inCat && name.Space == nsWP:
				switch name.Local {
				case "category_nicename":
					catTerm.nicename = trim
				case "category_parent":
					catPar = trim
				case "cat_name":
					catTerm.name = s
				case "category":
					f.channel.categories = append(f.channel.categories, catTerm)
					f.channel.categoryParents[catTerm.nicename] = catPar
					inCat = false
				}
			case inTag && name.Space == nsWP:
				switch name.Local {
				case "tag_slug":
					tagTerm.nicename = trim
				case "tag_name":
					tagTerm.name = s
				case "tag":
					f.channel.tags = append(f.channel.tags, tagTerm)
					inTag = false
				}
			case len(stack) == 2 && name.Space == "" && name.Local == "title":
				f.channel.title = s
			case len(stack) == 2 && name.Space == "" && name.Local == "link":
				f.channel.link = trim
			case len(stack) == 2 && name.Space == "" && name.Local == "language":
				f.channel.language = trim
			case name.Space == nsWP && name.Local == "wxr_version":
				f.channel.version = trim
			case name.Space == nsWP && name.Local == "base_site_url":
				f.channel.baseSite = trim
			case name.Space == nsWP && name.Local == "base_blog_url":
				f.channel.baseBlog = trim
			case name.Space == nsWP && name.Local == "author_login":
				f.channel.authors = append(f.channel.authors, s)
			}
		}
	}
	if len(stack) != 0 {
		return nil, errors.New("unclosed elements at end of input")
	}
	return f, nil
}

// checkPHP reports whether s is one complete PHP serialize() value with byte-exact lengths.
func checkPHP(s string) error {
	rest, err := phpValue(s)
	if err != nil {
		return err
	}
	if rest != "" {
		return fmt.Errorf("trailing data %q", rest)
	}
	return nil
}

func phpValue(s string) (string, error) {
	if s == "" {
		return "", errors.New("unexpected end")
	}
	switch s[0] {
	case 'N':
		if !strings.HasPrefix(s, "N;") {
			return "", fmt.Errorf("bad null at %q", s)
		}
		return s[2:], nil
	case 'b', 'i', 'd':
		if len(s) < 2 || s[1] != ':' {
			return "", fmt.Errorf("bad scalar at %q", s)
		}
		end := strings.IndexByte(s, ';')
		if end < 0 {
			return "", errors.New("unterminated scalar")
		}
		v := s[2:end]
		var err error
		switch s[0] {
		case 'b':
			if v != "0" && v != "1" {
				err = fmt.Errorf("bad bool %q", v)
			}
		case 'i':
			_, err = strconv.ParseInt(v, 10, 64)
		case 'd':
			_, err = strconv.ParseFloat(v, 64)
		}
		return s[end+1:], err
	case 's':
		colon := strings.IndexByte(s[2:], ':')
		if !strings.HasPrefix(s, "s:") || colon < 0 {
			return "", fmt.Errorf("bad string at %.30q", s)
		}
		n, err := strconv.Atoi(s[2 : 2+colon])
		if err != nil {
			return "", err
		}
		body := s[2+colon+1:]
		if len(body) < n+3 || body[0] != '"' || body[n+1:n+3] != "\";" {
			return "", fmt.Errorf("string length %d does not match at %.40q", n, s)
		}
		return body[n+3:], nil
	case 'a':
		colon := strings.IndexByte(s[2:], ':')
		if !strings.HasPrefix(s, "a:") || colon < 0 {
			return "", fmt.Errorf("bad array at %.30q", s)
		}
		n, err := strconv.Atoi(s[2 : 2+colon])
		if err != nil {
			return "", err
		}
		rest := s[2+colon+1:]
		if !strings.HasPrefix(rest, "{") {
			return "", errors.New("array without {")
		}
		rest = rest[1:]
		for i := 0; i < 2*n; i++ {
			if i%2 == 0 && rest != "" && rest[0] != 'i' && rest[0] != 's' {
				return "", fmt.Errorf("bad array key at %.30q", rest)
			}
			if rest, err = phpValue(rest); err != nil {
				return "", err
			}
		}
		if !strings.HasPrefix(rest, "}") {
			return "", fmt.Errorf("array of %d has more elements: %.30q", n, rest)
		}
		return rest[1:], nil
	}
	return "", fmt.Errorf("unknown type at %.30q", s)
}

var (
	reSerialized = regexp.MustCompile(`^(a:\d+:\{|s:\d+:"|[bid]:)`)
	reSlug       = regexp.MustCompile(`^[a-z0-9_%-]*$`)
	reHex40      = regexp.MustCompile(`^[0-9a-f]{40}$`)
	reDigits     = regexp.MustCompile(`^[0-9]+$`)
	reMySQLDate  = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)
	reEmail      = regexp.MustCompile(`^[a-z0-9._+-]+@([a-z0-9-]+\.)*example\.(com|net|org)$`)
)

var docPrefixes = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// validateWXR asserts the structural rules every export we produce must follow and returns
// the parsed file. name labels failures.
func validateWXR(t *testing.T, name string, data []byte) *wxrFile {
	t.Helper()
	if !utf8.Valid(data) {
		t.Fatalf("%s: not valid UTF-8", name)
	}
	f, err := readWXR(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: strict XML parse: %v", name, err)
	}
	ch := f.channel
	if ch.version != "1.2" {
		t.Errorf("%s: wp:wxr_version = %q, want 1.2", name, ch.version)
	}
	if ch.baseBlog == "" || ch.baseSite == "" || ch.link == "" {
		t.Errorf("%s: channel lacks link/base URLs: %+v", name, ch)
	}
	for slug, parent := range ch.categoryParents {
		if parent != "" {
			if _, ok := ch.categoryParents[parent]; !ok {
				t.Errorf("%s: category %q has unknown parent %q", name, slug, parent)
			}
		}
	}
	authors := map[string]bool{}
	for _, a := range ch.authors {
		authors[a] = true
	}

	ids := map[int64]*wxrItem{}
	commentIDs := map[int64]bool{}
	for _, it := range f.items {
		if it.id <= 0 {
			t.Errorf("%s: item %q has post_id %d", name, it.title, it.id)
		}
		if ids[it.id] != nil {
			t.Errorf("%s: post_id %d appears twice", name, it.id)
		}
		ids[it.id] = it
	}
	for _, it := range f.items {
		where := fmt.Sprintf("%s: item %d", name, it.id)
		if !authors[it.creator] {
			t.Errorf("%s: dc:creator %q not among the authors", where, it.creator)
		}
		if !reSlug.MatchString(it.name) {
			t.Errorf("%s: post_name %q is not a sanitised slug", where, it.name)
		}
		if dec, err := url.PathUnescape(it.name); err != nil || !utf8.ValidString(dec) {
			t.Errorf("%s: post_name %q does not decode to UTF-8", where, it.name)
		}
		if !reMySQLDate.MatchString(it.date) || !reMySQLDate.MatchString(it.dateGMT) {
			t.Errorf("%s: bad dates %q / %q", where, it.date, it.dateGMT)
		}
		if it.dateGMT == zeroDate && it.status == "publish" {
			t.Errorf("%s: published with a zero GMT date", where)
		}
		switch it.typ {
		case "attachment":
			if it.attachmentURL == "" || it.metaValue("_wp_attached_file") == "" {
				t.Errorf("%s: attachment without URL or file", where)
			}
			if it.parent != 0 && ids[it.parent] == nil {
				t.Errorf("%s: attachment parent %d missing", where, it.parent)
			}
		case "page":
			if it.parent != 0 && (ids[it.parent] == nil || ids[it.parent].typ != "page") {
				t.Errorf("%s: page parent %d is not a page in the file", where, it.parent)
			}
		case "post":
		default:
			t.Errorf("%s: unexpected post_type %q", where, it.typ)
		}
		for _, term := range it.terms {
			if term.domain != "category" && term.domain != "post_tag" || !reSlug.MatchString(term.nicename) {
				t.Errorf("%s: bad term %+v", where, term)
			}
		}
		for _, m := range it.meta {
			if reSerialized.MatchString(m.value) && strings.HasPrefix(m.value, "a:") {
				if err := checkPHP(m.value); err != nil {
					t.Errorf("%s: meta %s is not valid serialize() output: %v", where, m.key, err)
				}
			}
			if m.key == "_thumbnail_id" {
				n, _ := strconv.ParseInt(m.value, 10, 64)
				if ids[n] == nil || ids[n].typ != "attachment" {
					t.Errorf("%s: _thumbnail_id %s is not an attachment in the file", where, m.value)
				}
			}
		}
		seen := map[int64]bool{}
		for _, c := range it.comments {
			cw := fmt.Sprintf("%s comment %d", where, c.id)
			if commentIDs[c.id] {
				t.Errorf("%s: comment_id repeated in the site", cw)
			}
			commentIDs[c.id] = true
			if c.parent != 0 && !seen[c.parent] {
				t.Errorf("%s: parent %d is not an earlier comment of the same post", cw, c.parent)
			}
			seen[c.id] = true
			switch c.approved {
			case "1", "0", "trash", "post-trashed":
			default:
				t.Errorf("%s: comment_approved %q", cw, c.approved)
			}
			if !reMySQLDate.MatchString(c.date) || !reMySQLDate.MatchString(c.dateGMT) {
				t.Errorf("%s: bad dates", cw)
			}
			if c.email != "" && !reEmail.MatchString(c.email) {
				t.Errorf("%s: e-mail %q is not on a documentation domain", cw, c.email)
			}
			if c.ip != "" {
				a, err := netip.ParseAddr(c.ip)
				ok := err == nil
				if ok {
					ok = false
					for _, p := range docPrefixes {
						ok = ok || p.Contains(a)
					}
				}
				if !ok {
					t.Errorf("%s: IP %q is not in a documentation range", cw, c.ip)
				}
			}
			switch c.typ {
			case "trackback":
				if c.email != "" || c.parent != 0 || c.userID != 0 || !strings.HasPrefix(c.content, "<strong>") || !strings.Contains(c.content, "</strong>\n\n") {
					t.Errorf("%s: trackback not shaped like wp-trackback.php output: %q", cw, c.content)
				}
			case "pingback":
				if c.email != "" || c.parent != 0 || !strings.HasPrefix(c.content, "[&#8230;] ") || !strings.HasSuffix(c.content, " [&#8230;]") {
					t.Errorf("%s: pingback not shaped like pingback.ping output: %q", cw, c.content)
				}
			case "comment":
			default:
				t.Errorf("%s: comment_type %q", cw, c.typ)
			}
			for _, m := range c.meta {
				if strings.HasPrefix(m.value, "a:") {
					if err := checkPHP(m.value); err != nil {
						t.Errorf("%s: meta %s: %v", cw, m.key, err)
					}
				}
				if m.key == "akismet_history" && !strings.Contains(m.value, `s:5:"event";`) {
					t.Errorf("%s: akismet_history without event: %q", cw, m.value)
				}
			}
			checkHighlander(t, cw, c)
		}
	}
	return f
}

// checkHighlander asserts the Jetpack/WordPress.com sign-in meta follows wxr-format.md §10.
func checkHighlander(t *testing.T, where string, c *wxrComment) {
	t.Helper()
	as := c.metaValues("hc_post_as")
	if len(as) == 0 {
		for _, k := range []string{"hc_avatar", "hc_foreign_user_id", "hc_wpcom_id_sig"} {
			if c.metaValue(k) != "" {
				t.Errorf("%s: %s without hc_post_as", where, k)
			}
		}
		return
	}
	if len(as) > 1 {
		t.Errorf("%s: hc_post_as repeated", where)
	}
	avatar, foreign := c.metaValue("hc_avatar"), c.metaValue("hc_foreign_user_id")
	if !reDigits.MatchString(foreign) {
		t.Errorf("%s: hc_foreign_user_id %q is not numeric", where, foreign)
	}
	sig := c.metaValue("hc_wpcom_id_sig")
	switch as[0] {
	case "wordpress":
		if !strings.Contains(avatar, ".gravatar.com/avatar/") || !reHex40.MatchString(sig) {
			t.Errorf("%s: wordpress sign-in needs a gravatar and a 40-hex signature: %q %q", where, avatar, sig)
		}
	case "jetpack":
		if !strings.Contains(avatar, ".gravatar.com/avatar/") || sig != "" || strconv.FormatInt(c.userID, 10) != foreign {
			t.Errorf("%s: jetpack sign-in must be a local user with user_id = foreign id: %d vs %q", where, c.userID, foreign)
		}
	case "twitter":
		if !strings.Contains(avatar, "twimg.com/") || !strings.HasPrefix(c.url, "https://twitter.com/") || sig != "" {
			t.Errorf("%s: twitter sign-in shape: %q %q", where, avatar, c.url)
		}
	case "facebook":
		if !strings.HasPrefix(avatar, "https://graph.facebook.com/") || sig != "" {
			t.Errorf("%s: facebook sign-in shape: %q", where, avatar)
		}
	default:
		t.Errorf("%s: unknown hc_post_as %q", where, as[0])
	}
}

// threadDepth is the depth of the deepest reply chain in it (top level = 1).
func threadDepth(it *wxrItem) int {
	parent := map[int64]int64{}
	for _, c := range it.comments {
		parent[c.id] = c.parent
	}
	deepest := 0
	for _, c := range it.comments {
		d := 1
		for p := c.parent; p != 0 && d < 1000; p = parent[p] {
			d++
		}
		deepest = max(deepest, d)
	}
	return deepest
}
