package markdown

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	nethtml "golang.org/x/net/html"
)

// Fields is the front matter of one exported post.
type Fields struct {
	Title      string    // plain text (see PlainText)
	Date       time.Time // publication time with the site's offset (see WPTime); zero: none
	Modified   time.Time // last modification; zero: none
	Slug       string    // decoded and safe (see SafeSlug)
	Draft      bool
	Categories []string
	Tags       []string
	Taxonomies []Taxonomy // custom taxonomies, in the order to write them
	Author     string     // the author's display name
	Summary    string     // from the excerpt, plain text
	Image      string     // featured image URL (from _thumbnail_id)
	WPID       int        // WordPress post id; 0: none
	Lang       string     // the post's main language (BCP 47)
	Aliases    []string   // old paths that must keep working (see Aliases), none with a query (see SplitAliases)
	// QueryAliases are the old addresses with a query string (/?p=ID),
	// which no redirect page can answer: written as query_aliases, which
	// a redirect rule of the server can use (the export's skeleton writes
	// Netlify's _redirects from them).
	QueryAliases []string
	Permalink    string // Jekyll: the post's path, kept from the old permalink
	More         bool   // the body has a <!--more--> divider (Report.More)
}

// Taxonomy is a custom taxonomy's terms on one post.
type Taxonomy struct {
	Name  string
	Terms []string
}

// FrontMatter returns the YAML front matter block for a post, between
// "---" lines, with keys in a fixed order and the names each flavor reads:
// Hugo gets draft, lastmod, summary, images and aliases; Jekyll gets
// published: false, last_modified_at, excerpt, image, permalink,
// redirect_from and excerpt_separator; both get query_aliases. Empty
// fields are left out. Dates are RFC 3339 with their offset. The error
// comes from the YAML encoder.
func FrontMatter(fm Fields, flavor string) ([]byte, error) {
	if flavor == "" {
		flavor = Hugo
	}
	if flavor != Hugo && flavor != Jekyll {
		return nil, fmt.Errorf("markdown: unknown flavor %q", flavor)
	}
	entries := frontEntries(fm, flavor)
	if b, ok := writeYAML(make([]byte, 0, 512), entries); ok {
		return b, nil
	}
	return encodeYAML(entries)
}

// fmEntry is one key of the front matter: a string (or date, bool, int:
// written as they are) or a list of strings.
type fmEntry struct {
	key   string
	tag   string // "!!str", "!!timestamp", "!!bool" or "!!int" for a scalar; "" for a list
	value string
	list  []string
}

// frontEntries lists the front matter of fm for flavor, in order.
func frontEntries(fm Fields, flavor string) []fmEntry {
	es := make([]fmEntry, 0, 16)
	str := func(k, v string) {
		if v != "" {
			es = append(es, fmEntry{key: k, tag: "!!str", value: v})
		}
	}
	list := func(k string, vs []string) {
		if len(vs) > 0 {
			es = append(es, fmEntry{key: k, list: vs})
		}
	}
	date := func(k string, t time.Time) {
		if !t.IsZero() {
			es = append(es, fmEntry{key: k, tag: "!!timestamp", value: t.Format(time.RFC3339)})
		}
	}
	str("title", fm.Title)
	date("date", fm.Date)
	if flavor == Hugo {
		date("lastmod", fm.Modified)
	} else {
		date("last_modified_at", fm.Modified)
	}
	str("slug", fm.Slug)
	if fm.Draft {
		if flavor == Hugo {
			es = append(es, fmEntry{key: "draft", tag: "!!bool", value: "true"})
		} else {
			es = append(es, fmEntry{key: "published", tag: "!!bool", value: "false"})
		}
	}
	str("author", fm.Author)
	list("categories", fm.Categories)
	list("tags", fm.Tags)
	for _, tx := range fm.Taxonomies {
		if tx.Name == "" || tx.Name == "categories" || tx.Name == "tags" {
			continue
		}
		list(tx.Name, tx.Terms)
	}
	if flavor == Hugo {
		str("summary", fm.Summary)
		if fm.Image != "" {
			list("images", []string{fm.Image})
		}
	} else {
		str("excerpt", fm.Summary)
		str("image", fm.Image)
	}
	str("lang", fm.Lang)
	if fm.WPID != 0 {
		es = append(es, fmEntry{key: "wp_id", tag: "!!int", value: strconv.Itoa(fm.WPID)})
	}
	if flavor == Hugo {
		list("aliases", fm.Aliases)
	} else {
		str("permalink", fm.Permalink)
		list("redirect_from", fm.Aliases)
	}
	list("query_aliases", fm.QueryAliases)
	if flavor == Jekyll && fm.More {
		str("excerpt_separator", "<!--more-->")
	}
	return es
}

// SplitAliases returns the aliases that are paths, which Hugo's aliases
// and Jekyll's redirect_from turn into redirect pages, apart from those
// with a query string (/?p=123), which no page can be: both generators
// would write a file named "?p=123" (Hugo's targetPathAlias keeps the "?"
// and only warns outside Windows; jekyll-redirect-from writes
// "?p=123.html"), which no web server serves for /?p=123, the "?"
// starting the query. Those belong in Fields.QueryAliases. Order is kept
// in both.
func SplitAliases(aliases []string) (paths, queries []string) {
	for _, a := range aliases {
		if strings.ContainsRune(a, '?') {
			queries = append(queries, a)
		} else {
			paths = append(paths, a)
		}
	}
	return paths, queries
}

// encodeYAML writes the entries with the YAML encoder, between "---"
// lines.
func encodeYAML(entries []fmEntry) ([]byte, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, e := range entries {
		var v *yaml.Node
		switch {
		case e.tag == "!!str":
			v = strNode(e.value)
		case e.tag != "":
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: e.tag, Value: e.value}
		default:
			v = &yaml.Node{Kind: yaml.SequenceNode}
			for _, s := range e.list {
				v.Content = append(v.Content, strNode(s))
			}
		}
		addPair(m, e.key, v)
	}
	var buf bytes.Buffer
	buf.WriteString("---\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode front matter: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode front matter: %w", err)
	}
	buf.WriteString("---\n")
	return unescapeAstral(buf.Bytes()), nil
}

// writeYAML appends to b what encodeYAML writes for the entries, when
// the hand-written scalars of yaml.go can write every key and value (the
// usual titles, names, slugs, URLs and dates). ok is false otherwise (and
// for no entries), and encodeYAML must be used: TestFrontMatterByHand
// checks the two agree.
func writeYAML(b []byte, entries []fmEntry) ([]byte, bool) {
	if len(entries) == 0 {
		return nil, false
	}
	b = append(b, "---\n"...)
	for _, e := range entries {
		// Keys longer than 128 bytes are written as complex keys.
		if style, _ := yamlStyleOf(e.key, true); len(e.key) > 128 || style != yamlPlain {
			return nil, false
		}
		b = append(b, e.key...)
		b = append(b, ':')
		var ok bool
		switch e.tag {
		case "!!str":
			if b, ok = appendYAMLScalar(append(b, ' '), e.value, 0, true); !ok {
				return nil, false
			}
		case "!!timestamp":
			// RFC 3339 reads back as a timestamp, so the encoder writes
			// it plain, for four-digit years.
			if len(e.value) < 20 || e.value[4] != '-' || e.value[0] < '1' || e.value[0] > '9' {
				return nil, false
			}
			b = append(append(b, ' '), e.value...)
		case "!!bool", "!!int":
			b = append(append(b, ' '), e.value...)
		case "":
			for _, v := range e.list {
				// A block scalar in a sequence is indented otherwise.
				if strings.Contains(v, "\n") {
					return nil, false
				}
				if b, ok = appendYAMLScalar(append(b, "\n  - "...), v, 2, true); !ok {
					return nil, false
				}
			}
		default:
			return nil, false
		}
		b = append(b, '\n')
	}
	return append(b, "---\n"...), true
}

// unescapeAstral turns the \UXXXXXXXX escapes the YAML encoder writes for
// characters outside the Basic Multilingual Plane (emoji) back into the
// characters: YAML double-quoted scalars may hold them as they are, and
// people read front matter.
func unescapeAstral(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\U`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'U' && i+10 <= len(b) {
			if v, err := strconv.ParseUint(string(b[i+2:i+10]), 16, 32); err == nil && v >= 0x10000 && v <= unicode.MaxRune && unicode.IsGraphic(rune(v)) {
				out = utf8.AppendRune(out, rune(v))
				i += 9
				continue
			}
		}
		// Any other escape, \\ included, is copied whole.
		out = append(out, b[i], b[i+1])
		i++
	}
	return out
}

func strNode(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	if yaml11Special(v) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// yaml11Special reports whether a plain scalar v would not read back as a
// string in YAML 1.1, which Jekyll's parser (Psych) speaks: yes/no/on/off
// booleans, sexagesimal and underscored numbers, dates. The YAML 1.2
// encoder leaves those unquoted. It is written out by hand (the regular
// expression and strings.ToLower it replaces are kept in
// frontmatter_fast_test.go, which compares the two): it runs on every
// value of every front matter.
func yaml11Special(v string) bool {
	if yaml11Word(v) {
		return true
	}
	return yaml11Number(v)
}

// yaml11Word reports whether strings.ToLower(v) is one of YAML 1.1's
// words for booleans and null (or empty). Outside ASCII only U+0130 and
// U+212A lower to ASCII letters (i and k, in none of the words), so a
// string holding any other byte past 0x7F is no word, and a word has
// five bytes at most.
func yaml11Word(v string) bool {
	if len(v) > 5 {
		return false
	}
	var low [5]byte
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 0x80 {
			return false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	switch string(low[:len(v)]) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "":
		return true
	}
	return false
}

// yaml11Number is the regular expression
// ^[-+]?(?:\.?[0-9][0-9a-fA-FxXoO_:.,eE+-]*|\.(?:inf|Inf|INF|nan|NaN|NAN))$
// written out.
func yaml11Number(v string) bool {
	if v != "" && (v[0] == '-' || v[0] == '+') {
		v = v[1:]
	}
	switch v {
	case ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN":
		return true
	}
	if v != "" && v[0] == '.' {
		v = v[1:]
	}
	if v == "" || v[0] < '0' || v[0] > '9' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if !yaml11NumberByte[v[i]] {
			return false
		}
	}
	return true
}

// yaml11NumberByte are the bytes of [0-9a-fA-FxXoO_:.,eE+-].
var yaml11NumberByte = func() (t [256]bool) {
	for _, c := range []byte("0123456789abcdefABCDEFxXoO_:.,eE+-") {
		t[c] = true
	}
	return t
}()

func addPair(m *yaml.Node, k string, v *yaml.Node) {
	m.Content = append(m.Content, strNode(k), v)
}

const wpDateLayout = "2006-01-02 15:04:05"

// WPTime returns the moment of a WordPress date pair (post_date and
// post_date_gmt) in the site's offset at that moment, computed from the
// difference of the two. When the GMT date is missing or zero (drafts),
// the local date is read in fallback (UTC when nil). ok is false when the
// local date is missing, zero (0000-00-00 00:00:00) or unreadable.
func WPTime(local, gmt string, fallback *time.Location) (t time.Time, ok bool) {
	lt, err := time.Parse(wpDateLayout, strings.TrimSpace(local))
	if err != nil || strings.HasPrefix(strings.TrimSpace(local), "0000") {
		return time.Time{}, false
	}
	if gt, err := time.Parse(wpDateLayout, strings.TrimSpace(gmt)); err == nil && !strings.HasPrefix(strings.TrimSpace(gmt), "0000") {
		off := lt.Sub(gt)
		if off >= -14*time.Hour && off <= 14*time.Hour {
			secs := int(off.Round(time.Minute) / time.Second)
			return gt.In(time.FixedZone("", secs)), true
		}
	}
	if fallback == nil {
		fallback = time.UTC
	}
	return time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), lt.Second(), 0, fallback), true
}

// PlainText returns the text of an HTML fragment (a title, an excerpt):
// tags dropped, entities decoded, white space collapsed to single spaces.
func PlainText(h string) string {
	if !strings.ContainsAny(h, "<&") {
		return strings.Join(strings.Fields(h), " ")
	}
	z := nethtml.NewTokenizer(strings.NewReader(h))
	var b strings.Builder
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break
		}
		if tt == nethtml.TextToken {
			b.Write(z.Text())
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// SafeSlug returns a WordPress slug (percent-encoded, as exported) decoded
// to Unicode and made safe as one path segment: no "/" or "\", no "." or
// ".." segments, no control characters. A slug that is not valid UTF-8
// once decoded stays encoded. "" when nothing is left.
func SafeSlug(raw string) string {
	s := strings.TrimSpace(raw)
	if d, err := url.PathUnescape(s); err == nil && utf8.ValidString(d) {
		s = d
	}
	var segs []string
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '\\' }) {
		seg = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, seg)
		seg = strings.Trim(seg, " .")
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	return strings.Join(segs, "-")
}

// AliasInput is what Aliases needs to know about one post.
type AliasInput struct {
	Link     string   // the item's <link>: its old permalink
	ID       int      // WordPress post id; 0: none
	Page     bool     // the post is a page (also reachable as /?page_id=ID)
	Slug     string   // the current slug, as exported (percent-encoded)
	OldSlugs []string // _wp_old_slug values, as exported
	Keep     string   // the post's new path, never listed as an alias
}

// Aliases returns the old paths of a post that should redirect to its new
// page, so no old link breaks: the path of its old permalink, /?p=ID (and
// /?page_id=ID for pages), and the old permalink with each _wp_old_slug in
// place of the slug (dated permalink structures keep their date part;
// when the slug is not in the path, /old-slug/). Paths start with "/",
// "." and ".." segments are dropped, duplicates and Keep are left out.
// SplitAliases tells the paths from the addresses with a query string.
func Aliases(in AliasInput) []string {
	var out []string
	seen := map[string]bool{normPath(in.Keep): true, "/": true, "": true}
	add := func(p string) {
		if p == "" {
			return
		}
		if k := normPath(p); !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	old := linkPath(in.Link)
	add(old)
	if in.ID > 0 {
		add("/?p=" + strconv.Itoa(in.ID))
		if in.Page {
			add("/?page_id=" + strconv.Itoa(in.ID))
		}
	}
	slug := strings.ToLower(decodeSegment(strings.TrimSpace(in.Slug)))
	for _, os := range in.OldSlugs {
		os = decodeSegment(strings.TrimSpace(os))
		if os == "" || strings.ContainsAny(os, "/\\?#") || os == "." || os == ".." {
			continue
		}
		if old != "" && slug != "" && !strings.Contains(old, "?") {
			segs := strings.Split(old, "/")
			replaced := false
			for i, s := range segs {
				if strings.ToLower(s) == slug {
					segs[i] = os
					replaced = true
				}
			}
			if replaced {
				add(strings.Join(segs, "/"))
				continue
			}
		}
		add("/" + os + "/")
	}
	return out
}

// LinkPath returns the path of an old permalink, decoded where that is
// safe and with "." and ".." segments dropped, for Jekyll's permalink
// (so the post keeps its URL). A link with a query (?p=123, the default
// permalink structure) or without a path gives "".
func LinkPath(link string) string {
	p := linkPath(link)
	if strings.Contains(p, "?") {
		return ""
	}
	return p
}

// linkPath returns the path (and query) of a permalink with "." and ".."
// segments dropped, "" when there is none.
func linkPath(link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	if p, ok := plainLinkPath(link); ok {
		return p
	}
	return parsedLinkPath(link)
}

// plainLinkPath is linkPath for the usual permalink without parsing
// it: http(s)://, a host of letters, digits, "." and "-", and a path of
// unreserved characters and "/" with no empty, "." or ".." segment
// (nothing to escape, decode or drop), which is then the answer as it
// is. ok is false for any other link.
func plainLinkPath(link string) (string, bool) {
	rest, ok := strings.CutPrefix(link, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(link, "http://"); !ok {
			return "", false
		}
	}
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 {
		return "", false
	}
	for i := 0; i < slash; i++ {
		if c := rest[i]; !(isASCIILetter(c) || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return "", false
		}
	}
	path := rest[slash:]
	if path == "/" {
		return "", true
	}
	seg := 0 // where the current segment starts
	for i := 1; i <= len(path); i++ {
		if i < len(path) && path[i] != '/' {
			if c := path[i]; !(isASCIILetter(c) || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == '~') {
				return "", false
			}
			continue
		}
		switch path[seg+1 : i] {
		case "":
			// An empty segment, but for the one after a final "/".
			if i < len(path) {
				return "", false
			}
		case ".", "..":
			return "", false
		}
		seg = i
	}
	return path, true
}

// parsedLinkPath is linkPath for any link, parsed.
func parsedLinkPath(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	var segs []string
	for _, s := range strings.Split(u.EscapedPath(), "/") {
		d, _ := url.PathUnescape(s)
		if s == "" || d == "." || d == ".." {
			continue
		}
		segs = append(segs, decodeSegment(s))
	}
	p := "/" + strings.Join(segs, "/")
	if len(segs) > 0 && strings.HasSuffix(u.EscapedPath(), "/") {
		p += "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if p == "/" {
		return ""
	}
	return p
}

// decodeSegment decodes a percent-encoded path segment when that gives
// plain text (valid UTF-8, no separators, no control characters): web
// servers decode the path before they look for the file, so aliases are
// written decoded.
func decodeSegment(s string) string {
	d, err := url.PathUnescape(s)
	if err != nil || !utf8.ValidString(d) || strings.ContainsAny(d, "/\\?#%") || strings.ContainsFunc(d, unicode.IsControl) {
		return s
	}
	return d
}

func normPath(p string) string {
	p = strings.TrimSpace(p)
	if i := strings.IndexAny(p, "?#"); i < 0 {
		p = strings.TrimSuffix(p, "/")
	}
	return strings.ToLower(p)
}
