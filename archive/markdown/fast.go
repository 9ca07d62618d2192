package markdown

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/collapse"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The fast path of toMarkdown.
//
// Most of a post is paragraphs of text with a few links and some emphasis.
// html-to-markdown spends most of a conversion's time on its generic
// machinery (a DOM, a dispatch per node, escape markers resolved by a
// dozen handlers per character), so the paragraphs that only hold text,
// <a>, <em>, <strong>, <b>, <i>, <code>, <br> and <span lang> are written
// here directly, the way the library writes them, and so are headings,
// rules, quotes of such paragraphs and lists of such items (between
// blocks that end a list); everything else (figures, tables, nested or
// adjacent lists …) still goes through the library, one run of such
// blocks at a time. The output is the library's
// byte for byte: TestFastPathMatchesLibrary converts the corpus, the
// golden inputs and generated posts both ways. The text escaping,
// emphasis, link, code and post-processing rules below are ports of
// html-to-markdown v2's (MIT licence, © Johannes Kaufmann), with the
// same DOM clean-ups applied to the paragraph's small tree first.

// fastPart is one piece of a document on the fast path: a paragraph to
// write here, or HTML for the library. h[start:end] is its HTML.
type fastPart struct {
	p          *html.Node
	html       string
	start, end int
}

// splitFast cuts rendered post HTML into top-level simple paragraphs and
// the HTML between them. A paragraph counts only where the HTML parser
// would see it at the top level: the tags before it are tracked, and
// anything the tracking does not follow exactly (a tag closed out of
// order, foreign content, <plaintext> …) leaves the rest of the document
// to the library in one piece. A list is written here only between
// blocks that end a list for html-to-markdown (separatesLists), so the
// library never sees it as one of two adjacent lists; otherwise it joins
// the HTML around it. ok is false when no paragraph was found.
func splitFast(h string) (parts []fastPart, ok bool) {
	return splitFastWith(nil, nil, h)
}

// splitFastWith is splitFast with the nodes from na and the parts
// appended to parts.
func splitFastWith(na *nodeArena, parts []fastPart, h string) (_ []fastPart, ok bool) {
	var stack []string
	seg, pos := 0, 0
	for pos < len(h) {
		// A list is only parsed where it may stay on the fast path.
		if len(stack) == 0 && h[pos] == '<' && (!startsList(h[pos:]) ||
			isHTMLBlank(h[seg:pos]) && (len(parts) == 0 || separatesLists(parts[len(parts)-1]))) {
			if p, end, good := parseFastBlock(na, h, pos); good &&
				// An iframe is inline: only alone between blocks.
				(p.DataAtom != atom.Iframe || isHTMLBlank(h[seg:pos]) && blockFollows(h, end)) {
				if !isHTMLBlank(h[seg:pos]) {
					parts = append(parts, fastPart{html: h[seg:pos], start: seg, end: pos})
				}
				parts = append(parts, fastPart{p: p, start: pos, end: end})
				pos, seg = end, end
				continue
			}
		}
		next, good := skipToken(h, pos, &stack)
		if !good {
			break
		}
		pos = next
	}
	if seg < len(h) && !isHTMLBlank(h[seg:]) {
		parts = append(parts, fastPart{html: h[seg:], start: seg, end: len(h)})
	}
	// Lists without a separating block on each side go back to the
	// library, joined with the HTML next to them.
	demoted := false
	for i := range parts {
		if isFastList(parts[i].p) &&
			!((i == 0 || separatesLists(parts[i-1])) && (i == len(parts)-1 || separatesLists(parts[i+1]))) {
			parts[i].html = h[parts[i].start:parts[i].end]
			demoted = true
		}
	}
	// So do blocks that do not end a list (a summary divider, a
	// paragraph without text …) between two pieces of HTML: a list at
	// the end of the first would see one at the start of the second.
	fastBetween := func(part fastPart) bool {
		// Written here, and not a list (which has separators around it).
		return part.p != nil && part.html == "" && !separatesLists(part) && !isFastList(part.p)
	}
	for i := 0; i < len(parts); {
		if !fastBetween(parts[i]) {
			i++
			continue
		}
		j := i
		for j < len(parts) && fastBetween(parts[j]) {
			j++
		}
		library := func(part fastPart) bool { return part.p == nil || part.html != "" }
		if i > 0 && j < len(parts) && library(parts[i-1]) && library(parts[j]) {
			for k := i; k < j; k++ {
				parts[k].html = h[parts[k].start:parts[k].end]
				demoted = true
			}
		}
		i = j
	}
	out := parts[:0]
	for i := range parts {
		part := parts[i]
		if demoted && part.p != nil && part.html != "" {
			part.p = nil
		}
		if part.p == nil {
			if n := len(out); n > 0 && out[n-1].p == nil {
				out[n-1].end = part.end
				out[n-1].html = h[out[n-1].start:part.end]
				continue
			}
		} else {
			ok = true
		}
		out = append(out, part)
	}
	return out, ok
}

// nodeArena hands out the nodes of the fast path's small trees from
// chunks that mdScratch keeps for the next conversion: a post's blocks
// are some hundreds of nodes, each allocated on its own before. A nil
// arena allocates each node.
type nodeArena struct {
	chunks [][]html.Node
	cur    int // chunks[cur] is the one being filled
}

const (
	arenaChunk = 128 // nodes in a chunk
	arenaKept  = 16  // chunks kept by reset
)

func (a *nodeArena) node(n html.Node) *html.Node {
	if a == nil {
		p := new(html.Node) // not &n: n would escape on every path
		*p = n
		return p
	}
	if len(a.chunks) == 0 {
		a.chunks = append(a.chunks, make([]html.Node, 0, arenaChunk))
	}
	c := a.chunks[a.cur]
	if len(c) == cap(c) {
		a.cur++
		if a.cur == len(a.chunks) {
			a.chunks = append(a.chunks, make([]html.Node, 0, arenaChunk))
		}
		c = a.chunks[a.cur]
	}
	c = append(c, n)
	a.chunks[a.cur] = c
	return &c[len(c)-1]
}

// reset makes all the nodes free again (after the conversion that used
// them), zeroed so that they keep nothing alive.
func (a *nodeArena) reset() {
	for i := 0; i <= a.cur && i < len(a.chunks); i++ {
		clear(a.chunks[i])
		a.chunks[i] = a.chunks[i][:0]
	}
	a.cur = 0
	if len(a.chunks) > arenaKept {
		a.chunks = a.chunks[:arenaKept]
	}
}

func isHTMLBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\f', '\r':
		default:
			return false
		}
	}
	return true
}

// voidElements never have an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "keygen": true, "link": true, "meta": true, "param": true, "source": true,
	"track": true, "wbr": true,
}

// rawTextElements hold text up to their end tag, whatever it looks like.
var rawTextElements = map[string]bool{
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true, "iframe": true,
	"noembed": true, "noframes": true, "noscript": true,
}

// untracked are elements after which the parser's state is not followed
// here: the rest of the document goes to the library.
var untracked = map[string]bool{
	"plaintext": true, "svg": true, "math": true, "template": true, "html": true, "head": true,
	"body": true, "frameset": true, "frame": true, "image": true,
}

// skipToken moves past the token at h[i] (text, a comment, a tag),
// keeping stack as the open elements. false when the token is one whose
// effect on the parser is not tracked.
func skipToken(h string, i int, stack *[]string) (int, bool) {
	if h[i] != '<' {
		if k := strings.IndexByte(h[i:], '<'); k >= 0 {
			return i + k, true
		}
		return len(h), true
	}
	rest := h[i:]
	switch {
	case strings.HasPrefix(rest, "<!--"):
		if strings.HasPrefix(rest, "<!-->") || strings.HasPrefix(rest, "<!--->") {
			return 0, false
		}
		k := strings.Index(rest[4:], "-->")
		if k < 0 {
			return 0, false
		}
		return i + 4 + k + 3, true
	case len(rest) > 2 && rest[1] == '/':
		name, end, ok := tagName(h, i+2)
		if !ok {
			return 0, false
		}
		if end, ok = skipAttrs(h, end); !ok {
			return 0, false
		}
		s := *stack
		if len(s) == 0 || s[len(s)-1] != name {
			return 0, false
		}
		*stack = s[:len(s)-1]
		return end, true
	case len(rest) > 1 && isASCIILetter(rest[1]):
		name, end, ok := tagName(h, i+1)
		if !ok || untracked[name] {
			return 0, false
		}
		end, ok = skipAttrs(h, end)
		if !ok {
			return 0, false
		}
		if voidElements[name] {
			return end, true
		}
		if rawTextElements[name] {
			// The text runs to the first "</name" followed by a space,
			// "/" or ">"; a script holding "<!--" has subtler rules.
			body := h[end:]
			if name == "script" && strings.Contains(body, "<!--") {
				return 0, false
			}
			for off := 0; ; {
				k := indexFold(body[off:], "</"+name)
				if k < 0 {
					return 0, false
				}
				after := off + k + 2 + len(name)
				if after < len(body) && (body[after] == '>' || body[after] == '/' || isHTMLBlank(body[after:after+1])) {
					j := strings.IndexByte(body[after:], '>')
					if j < 0 {
						return 0, false
					}
					return end + after + j + 1, true
				}
				off = after
			}
		}
		*stack = append(*stack, name)
		return end, true
	case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?' || rest[1] == '/'):
		// Doctypes, bogus comments, "</" not followed by a letter.
		return 0, false
	}
	// A "<" that starts no tag is text.
	return i + 1, true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// indexFold is strings.Index ignoring ASCII case of s (sub is lower case).
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return i
		}
	}
	return -1
}

// tagName reads a tag name of ASCII letters, digits and "-" at h[i],
// lower-cased; it must end at white space, "/" or ">".
func tagName(h string, i int) (string, int, bool) {
	j := i
	lower := true
	for j < len(h) && (isASCIILetter(h[j]) || j > i && (h[j] >= '0' && h[j] <= '9' || h[j] == '-')) {
		if h[j] >= 'A' && h[j] <= 'Z' {
			lower = false
		}
		j++
	}
	if j == i || j >= len(h) || !(h[j] == '>' || h[j] == '/' || h[j] == ' ' || h[j] == '\t' || h[j] == '\n' || h[j] == '\f') {
		return "", 0, false
	}
	if lower {
		return h[i:j], j, true
	}
	return strings.ToLower(h[i:j]), j, true
}

// skipAttrs moves past the attributes of a tag and its ">", as the
// tokenizer reads them (values quoted or not, names without values).
func skipAttrs(h string, i int) (int, bool) {
	space := func(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }
	skipSpace := func() {
		for i < len(h) && space(h[i]) {
			i++
		}
	}
	for {
		skipSpace()
		if i >= len(h) {
			return 0, false
		}
		if h[i] == '>' {
			return i + 1, true
		}
		// The name: up to white space, "/", ">" or a "=" that is not
		// its first character.
		start := i
		for i < len(h) && !space(h[i]) && h[i] != '/' && h[i] != '>' && (h[i] != '=' || i == start) {
			i++
		}
		// The value, if any.
		skipSpace()
		if i >= len(h) {
			return 0, false
		}
		switch h[i] {
		case '/':
			i++
			continue
		case '=':
		default:
			continue
		}
		i++
		skipSpace()
		if i >= len(h) {
			return 0, false
		}
		switch q := h[i]; q {
		case '>':
		case '"', '\'':
			k := strings.IndexByte(h[i+1:], q)
			if k < 0 {
				return 0, false
			}
			i += k + 2
		default:
			for i < len(h) && !space(h[i]) && h[i] != '>' {
				i++
			}
		}
	}
}

// parseAttrs reads attributes (name="value" or name='value', names of
// lower-case letters, digits, "-", "_" and ":") up to the tag's ">"; with
// keep it returns them decoded as the tokenizer does. selfClosing reports
// a "/>" end. Anything else (unquoted values, a value-less attribute, an
// entity whose decoding differs in attributes) is not ok.
func parseAttrs(h string, i int, keep bool) (attrs []html.Attribute, end int, selfClosing, ok bool) {
	return parseAttrsOf(h, i, keep, false)
}

// parseAttrsOf is parseAttrs, taking attributes without a value as well
// (allowfullscreen) with valueless set: each followed by '>' or by white
// space and then not '=', with the value "" the parser gives them.
func parseAttrsOf(h string, i int, keep, valueless bool) (attrs []html.Attribute, end int, selfClosing, ok bool) {
	for {
		start := i
		i = skipBlank(h, i)
		if i >= len(h) {
			return nil, 0, false, false
		}
		switch h[i] {
		case '>':
			return attrs, i + 1, false, true
		case '/':
			if i+1 < len(h) && h[i+1] == '>' {
				return attrs, i + 2, true, true
			}
			return nil, 0, false, false
		}
		if i == start {
			return nil, 0, false, false // no space before the name
		}
		n := i
		for n < len(h) && (h[n] >= 'a' && h[n] <= 'z' || h[n] >= '0' && h[n] <= '9' || h[n] == '-' || h[n] == '_' || h[n] == ':') {
			n++
		}
		if valueless && n > i && n < len(h) && (h[n] == '>' || isHTMLBlank(h[n:n+1]) && h[n] != '\r') {
			if k := skipBlank(h, n); k < len(h) && h[k] != '=' {
				if keep {
					attrs = append(attrs, html.Attribute{Key: h[i:n]})
				}
				i = n
				continue
			}
		}
		if n == i || n+1 >= len(h) || h[n] != '=' || (h[n+1] != '"' && h[n+1] != '\'') {
			return nil, 0, false, false
		}
		q := h[n+1]
		k := strings.IndexByte(h[n+2:], q)
		if k < 0 {
			return nil, 0, false, false
		}
		raw := h[n+2 : n+2+k]
		if strings.IndexByte(raw, '\r') >= 0 || strings.IndexByte(raw, 0) >= 0 {
			return nil, 0, false, false
		}
		if keep {
			if strings.IndexByte(raw, '&') >= 0 {
				if !sameInAttribute(raw) {
					return nil, 0, false, false
				}
				raw = html.UnescapeString(raw)
			}
			attrs = append(attrs, html.Attribute{Key: h[i:n], Val: raw})
		}
		i = n + 2 + k + 1
	}
}

// sameInAttribute reports whether the character references of s decode
// in an attribute value as in text: each "&" starts "#…" or a name ended
// by ";" (the two differ only for names without ";").
func sameInAttribute(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		j := i + 1
		if j < len(s) && s[j] == '#' {
			continue
		}
		for j < len(s) && (isASCIILetter(s[j]) || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			continue // a lone "&"
		}
		if j >= len(s) || s[j] != ';' {
			return false
		}
	}
	return true
}

// Elements of a simple paragraph.
var fastAtoms = map[string]atom.Atom{
	"em": atom.Em, "i": atom.I, "strong": atom.Strong, "b": atom.B, "code": atom.Code,
	"a": atom.A, "span": atom.Span, "br": atom.Br,
}

func isEmphasisName(s string) bool { return s == "em" || s == "i" || s == "strong" || s == "b" }

// fastChildOK says which elements a simple paragraph allows inside
// which: no emphasis inside emphasis and no link inside a link (the
// library removes those), no code, link or emphasis inside emphasis (it
// moves spaces and swaps tags around those), only text in code and spans.
func fastChildOK(parent, child string) bool {
	switch parent {
	case "p":
		return true
	case "a":
		return child != "a"
	case "em", "i", "strong", "b":
		return child == "br" || child == "span"
	}
	return false
}

// headingAtoms are the headings a simple block may be.
var headingAtoms = map[string]atom.Atom{"h1": atom.H1, "h2": atom.H2, "h3": atom.H3, "h4": atom.H4, "h5": atom.H5, "h6": atom.H6}

// parseFastBlock parses the top-level block at h[i] when the fast path
// writes it: a simple paragraph or heading (parseFastInline), a <hr>, the
// summary divider (<wp-more></wp-more>, alone or as a paragraph), or a
// blockquote of simple paragraphs (with a language: kept as HTML).
func parseFastBlock(na *nodeArena, h string, i int) (n *html.Node, end int, ok bool) {
	rest := h[i:]
	switch {
	case strings.HasPrefix(rest, "<p><iframe"):
		// A player alone in its paragraph.
		f, e, ok := parseFastIframe(na, h, i+len("<p>"))
		if !ok || !strings.HasPrefix(h[e:], "</p>") {
			return nil, 0, false
		}
		p := na.node(html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P})
		p.AppendChild(f)
		return p, e + len("</p>"), true
	case strings.HasPrefix(rest, "<iframe"):
		return parseFastIframe(na, h, i)
	case strings.HasPrefix(rest, "<pre"):
		return parseFastPre(na, h, i)
	case strings.HasPrefix(rest, "<p"):
		if strings.HasPrefix(rest, "<p><wp-more></wp-more></p>") {
			p := na.node(html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P})
			p.AppendChild(na.node(html.Node{Type: html.ElementNode, Data: "wp-more"}))
			return p, i + len("<p><wp-more></wp-more></p>"), true
		}
		return parseFastInline(na, h, i, "p", atom.P)
	case strings.HasPrefix(rest, "<wp-more></wp-more>"):
		return na.node(html.Node{Type: html.ElementNode, Data: "wp-more"}), i + len("<wp-more></wp-more>"), true
	case len(rest) > 3 && rest[1] == 'h' && rest[2] >= '1' && rest[2] <= '6':
		name := rest[1:3]
		return parseFastInline(na, h, i, name, headingAtoms[name])
	case strings.HasPrefix(rest, "<hr"):
		name, e, ok := tagName(h, i+1)
		if !ok || name != "hr" {
			return nil, 0, false
		}
		attrs, e, _, ok := parseAttrs(h, e, true)
		if !ok {
			return nil, 0, false
		}
		for _, a := range attrs {
			if a.Key == "lang" || a.Key == "data-wpmd-html" {
				return nil, 0, false
			}
		}
		return na.node(html.Node{Type: html.ElementNode, Data: "hr", DataAtom: atom.Hr, Attr: attrs}), e, true
	case strings.HasPrefix(rest, "<blockquote"):
		return parseFastQuote(na, h, i)
	case strings.HasPrefix(rest, "<figure"):
		if n, end, ok := parseFastFigure(na, h, i, true); ok {
			return n, end, ok
		}
		if n, end, ok := parseFastGallery(na, h, i); ok {
			return n, end, ok
		}
		return parseFastEmbed(na, h, i)
	case startsList(rest):
		if rest[1] == 'u' {
			return parseFastList(na, h, i, "ul", atom.Ul)
		}
		return parseFastList(na, h, i, "ol", atom.Ol)
	}
	return nil, 0, false
}

// parseFastList parses a list (<ul> or <ol>, name) without attributes
// but the block editor's class="wp-block-list" (see startsList), whose
// items are simple inline content (parseFastInline) without
// attributes, each closed by its end tag and holding some text that is
// not white space, separated by white space only.
func parseFastList(na *nodeArena, h string, i int, name string, a atom.Atom) (*html.Node, int, bool) {
	list := na.node(html.Node{Type: html.ElementNode, Data: name, DataAtom: a})
	j := i + len("<ul>")
	if h[i+3] != '>' {
		list.Attr = []html.Attribute{{Key: "class", Val: "wp-block-list"}}
		j = i + len(`<ul class="wp-block-list">`)
	}
	for {
		j = appendBlank(na, list, h, j)
		switch {
		case strings.HasPrefix(h[j:], "</"+name+">"):
			if list.FirstChild == nil {
				return nil, 0, false
			}
			return list, j + len("</ul>"), true
		case strings.HasPrefix(h[j:], "<li>"):
			li, e, ok := parseFastInline(na, h, j, "li", atom.Li)
			if !ok || !hasText(li) {
				return nil, 0, false
			}
			list.AppendChild(li)
			j = e
		default:
			return nil, 0, false
		}
	}
}

// parseFastFigure parses a captioned image as the classic [caption]
// shortcode renders it: <figure> holding <img> (alone or as the only
// child of <a>) then a <figcaption> of simple inline content with some
// text, nothing between them, no lang or data-wpmd-html attribute and
// no attribute twice. The fast path writes it for Hugo only (toMarkdown
// gives it to the library for Jekyll).
func parseFastFigure(na *nodeArena, h string, i int, uncaptioned bool) (*html.Node, int, bool) {
	open := func(j int, name string, a atom.Atom, void bool) (*html.Node, int, bool) {
		return openFastTag(na, h, j, name, a, void, false)
	}
	fig, j, ok := open(i, "figure", atom.Figure, false)
	if !ok || j >= len(h) {
		return nil, 0, false
	}
	parent := fig
	if strings.HasPrefix(h[j:], "<a") {
		a, e, ok := open(j, "a", atom.A, false)
		if !ok || e >= len(h) {
			return nil, 0, false
		}
		fig.AppendChild(a)
		parent, j = a, e
	}
	img, j, ok := open(j, "img", atom.Img, true)
	if !ok || attr(img, "src") == "" || j >= len(h) {
		return nil, 0, false
	}
	parent.AppendChild(img)
	if parent != fig {
		if !strings.HasPrefix(h[j:], "</a>") {
			return nil, 0, false
		}
		j += len("</a>")
	}
	if uncaptioned && strings.HasPrefix(h[j:], "</figure>") {
		// renderImage passes an image whose src is white space on.
		if strings.TrimSpace(attr(img, "src")) == "" {
			return nil, 0, false
		}
		return fig, j + len("</figure>"), true
	}
	if !strings.HasPrefix(h[j:], "<figcaption") {
		return nil, 0, false
	}
	tagEnd := j + len("<figcaption")
	if tagEnd >= len(h) || h[tagEnd] != '>' && h[tagEnd] != ' ' {
		return nil, 0, false
	}
	// parseFastInline with the attributes checked here.
	if _, _, ok := open(j, "figcaption", atom.Figcaption, false); !ok {
		return nil, 0, false
	}
	caption, j, ok := parseFastInline(na, h, j, "figcaption", atom.Figcaption)
	if !ok || !hasText(caption) || !strings.HasPrefix(h[j:], "</figure>") {
		return nil, 0, false
	}
	fig.AppendChild(caption)
	return fig, j + len("</figure>"), true
}

// openFastTag parses the start tag of an element name at h[j]: its
// attributes (all different, no lang, no data-wpmd-html; valueless ones
// allowed with valueless), void or not.
func openFastTag(na *nodeArena, h string, j int, name string, a atom.Atom, void, valueless bool) (*html.Node, int, bool) {
	if j >= len(h) || h[j] != '<' {
		return nil, 0, false
	}
	tag, e, ok := tagName(h, j+1)
	if !ok || tag != name {
		return nil, 0, false
	}
	attrs, e, selfClosing, ok := parseAttrsOf(h, e, true, valueless)
	if !ok || selfClosing && !void {
		return nil, 0, false
	}
	for k, at := range attrs {
		if at.Key == "lang" || at.Key == "data-wpmd-html" {
			return nil, 0, false
		}
		for _, before := range attrs[:k] {
			if before.Key == at.Key {
				return nil, 0, false
			}
		}
	}
	return na.node(html.Node{Type: html.ElementNode, Data: name, DataAtom: a, Attr: attrs}), e, true
}

// parseFastGallery parses a gallery as the block editor saves it: a
// figure holding only figures of parseFastFigure, with or without a
// caption, nothing between them.
func parseFastGallery(na *nodeArena, h string, i int) (*html.Node, int, bool) {
	gallery, j, ok := openFastTag(na, h, i, "figure", atom.Figure, false, false)
	if !ok {
		return nil, 0, false
	}
	for strings.HasPrefix(h[j:], "<figure") {
		fig, e, ok := parseFastFigure(na, h, j, true)
		if !ok {
			return nil, 0, false
		}
		gallery.AppendChild(fig)
		j = e
	}
	if gallery.FirstChild == nil || !strings.HasPrefix(h[j:], "</figure>") {
		return nil, 0, false
	}
	return gallery, j + len("</figure>"), true
}

// parseFastEmbed parses an embed as the block editor saves it (and
// renderBlock writes core/embed without a caption): a figure holding
// only an empty iframe.
func parseFastEmbed(na *nodeArena, h string, i int) (*html.Node, int, bool) {
	fig, j, ok := openFastTag(na, h, i, "figure", atom.Figure, false, false)
	if !ok {
		return nil, 0, false
	}
	f, j, ok := parseFastIframe(na, h, j)
	if !ok || !strings.HasPrefix(h[j:], "</figure>") {
		return nil, 0, false
	}
	fig.AppendChild(f)
	return fig, j + len("</figure>"), true
}

// isGallery reports whether n is a figure of parseFastGallery.
func isGallery(n *html.Node) bool {
	return n.DataAtom == atom.Figure && n.FirstChild != nil && n.FirstChild.DataAtom == atom.Figure
}

// parseFastIframe parses an empty iframe, <iframe …></iframe>.
func parseFastIframe(na *nodeArena, h string, i int) (*html.Node, int, bool) {
	f, j, ok := openFastTag(na, h, i, "iframe", atom.Iframe, false, true)
	if !ok || !strings.HasPrefix(h[j:], "</iframe>") {
		return nil, 0, false
	}
	return f, j + len("</iframe>"), true
}

// parseFastPre parses a <pre> that html-to-markdown writes as a fenced
// code block (renderBlockCode): text, line breaks (<br>) and at most one
// <code> of text and line breaks, with attributes (a class gives the
// language) but not data-wpmd-html nor one twice; anything else (links or
// formatting, which renderWP keeps as HTML, a code element the library
// would drop or merge, a tag it does not know) is not ok. As the parser
// does, a newline just after the start tag is dropped.
func parseFastPre(na *nodeArena, h string, i int) (*html.Node, int, bool) {
	name, j, ok := tagName(h, i+1)
	if !ok || name != "pre" {
		return nil, 0, false
	}
	attrs, j, selfClosing, ok := parseAttrs(h, j, true)
	if !ok || selfClosing || !codeAttrsOK(attrs) {
		return nil, 0, false
	}
	pre := na.node(html.Node{Type: html.ElementNode, Data: "pre", DataAtom: atom.Pre, Attr: attrs})
	cur := pre
	for {
		if j >= len(h) {
			return nil, 0, false
		}
		if h[j] != '<' {
			k := strings.IndexByte(h[j:], '<')
			if k < 0 {
				return nil, 0, false
			}
			t, ok := preText(h[j : j+k])
			if !ok {
				return nil, 0, false
			}
			if cur == pre && pre.FirstChild == nil && t != "" && t[0] == '\n' {
				t = t[1:]
			}
			if t != "" {
				cur.AppendChild(na.node(html.Node{Type: html.TextNode, Data: t}))
			}
			j += k
			continue
		}
		if j+1 < len(h) && h[j+1] == '/' {
			name, e, ok := tagName(h, j+2)
			if !ok || e >= len(h) || h[e] != '>' || name != cur.Data {
				return nil, 0, false
			}
			j = e + 1
			if cur == pre {
				return pre, j, true
			}
			// RemoveEmptyCode drops a code element without text.
			if !hasTextNode(cur) {
				return nil, 0, false
			}
			cur = pre
			continue
		}
		name, e, ok := tagName(h, j+1)
		if !ok || name != "br" && (name != "code" || cur != pre || containsElement(pre, atom.Code)) {
			return nil, 0, false
		}
		attrs, e, selfClosing, ok := parseAttrs(h, e, true)
		if !ok {
			return nil, 0, false
		}
		if name == "br" {
			if len(attrs) > 0 {
				return nil, 0, false
			}
			cur.AppendChild(na.node(html.Node{Type: html.ElementNode, Data: "br", DataAtom: atom.Br}))
			j = e
			continue
		}
		if selfClosing || !codeAttrsOK(attrs) {
			return nil, 0, false
		}
		code := na.node(html.Node{Type: html.ElementNode, Data: "code", DataAtom: atom.Code, Attr: attrs})
		cur.AppendChild(code)
		cur, j = code, e
	}
}

// codeAttrsOK reports whether the attributes of a <pre> or its <code>
// leave the code block to html-to-markdown's renderer: no
// data-wpmd-html (renderWP keeps those as HTML), no name twice.
func codeAttrsOK(attrs []html.Attribute) bool {
	for k, a := range attrs {
		if a.Key == "data-wpmd-html" {
			return false
		}
		for _, b := range attrs[:k] {
			if b.Key == a.Key {
				return false
			}
		}
	}
	return true
}

// preText returns the text raw of a <pre> decoded as the parser does,
// when it holds nothing the parser or the library treat specially
// (see fastText).
func preText(raw string) (string, bool) {
	t := raw
	if strings.IndexByte(raw, '&') >= 0 {
		t = html.UnescapeString(raw)
	}
	if holdsSpecial(t) {
		return "", false
	}
	return t, true
}

// hasTextNode reports whether n holds a text node that is not empty.
func hasTextNode(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && c.Data != "" || hasTextNode(c) {
			return true
		}
	}
	return false
}

// fastPre appends a <pre> of parseFastPre to raw as html-to-markdown's
// renderBlockCode writes it: its text with "\n" for each <br>, less one
// final newline, between fences of backticks one longer than the longest
// run inside (three at least), the first opening one followed by the
// language of the first of the pre and the code whose class names one,
// the newlines inside as the library's markers (postProcess puts them
// back).
func fastPre(raw []byte, pre *html.Node) []byte {
	info := codeLanguage(pre)
	start := len(raw) + 2 // where the code will be: after "\n\n"
	raw = append(raw, "\n\n"...)
	var code *html.Node
	for c := pre.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Code {
			code = c
		}
	}
	if info == "" && code != nil {
		info = codeLanguage(code)
	}
	// The code is gathered first at start, then moved after its fence.
	var text func(n *html.Node)
	text = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				raw = append(raw, c.Data...)
			case c.DataAtom == atom.Br:
				raw = append(raw, '\n')
			default:
				text(c)
			}
		}
	}
	text(pre)
	if len(raw) > start && raw[len(raw)-1] == '\n' {
		raw = raw[:len(raw)-1]
	}
	longest, run := 0, 0
	newlines := 0
	for _, c := range raw[start:] {
		if c == '`' {
			run++
			longest = max(longest, run)
			continue
		}
		run = 0
		if c == '\n' {
			newlines++
		}
	}
	fence := max(longest+1, 3)
	codeLen := len(raw) - start
	head := fence + len(info) + 1
	extra := newlines * (len(marker.BytesMarkerCodeBlockNewline) - 1)
	// Room for the fences, the language and the wider newlines.
	raw = append(raw, make([]byte, head+extra+1+fence+2)...)
	// Move the code to its place (from the end, the regions overlap),
	// widening its newlines into markers.
	src, dst := start+codeLen, start+head+codeLen+extra
	for src > start {
		src--
		if c := raw[src]; c == '\n' {
			dst -= len(marker.BytesMarkerCodeBlockNewline)
			copy(raw[dst:], marker.BytesMarkerCodeBlockNewline)
		} else {
			dst--
			raw[dst] = c
		}
	}
	k := start
	for range fence {
		raw[k] = '`'
		k++
	}
	k += copy(raw[k:], info)
	raw[k] = '\n'
	k = start + head + codeLen + extra
	raw[k] = '\n'
	k++
	for range fence {
		raw[k] = '`'
		k++
	}
	raw[k], raw[k+1] = '\n', '\n'
	return raw
}

// codeLanguage is html-to-markdown's getCodeLanguage: the first word of
// the class that holds "language-" or "lang-", without the first of
// each.
func codeLanguage(n *html.Node) string {
	for _, part := range strings.Split(attr(n, "class"), " ") {
		if !strings.Contains(part, "language-") && !strings.Contains(part, "lang-") {
			continue
		}
		part = strings.Replace(part, "language-", "", 1)
		return strings.Replace(part, "lang-", "", 1)
	}
	return ""
}

// iframeOf returns the iframe of a block of parseFastBlock that is one
// (alone, in a paragraph or in a figure), or nil.
func iframeOf(n *html.Node) *html.Node {
	if (n.DataAtom == atom.P || n.DataAtom == atom.Figure) && n.FirstChild != nil && n.FirstChild.DataAtom == atom.Iframe {
		return n.FirstChild
	}
	if n.DataAtom == atom.Iframe {
		return n
	}
	return nil
}

// blockFollows reports whether h[i:] is white space and then the end of
// h or the start tag of an element html-to-markdown writes as a block,
// so that an inline element before i (an iframe) is written the same
// alone as in its document.
func blockFollows(h string, i int) bool {
	for i < len(h) && isHTMLBlank(h[i:i+1]) {
		i++
	}
	if i == len(h) {
		return true
	}
	if h[i] != '<' {
		return false
	}
	name, _, ok := tagName(h, i+1)
	if !ok {
		return false
	}
	switch name {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "hr", "pre", "figure", "div", "table":
		return true
	}
	return false
}

// fastIframe appends the iframe of a block (see iframeOf) to raw as
// renderWP writes it: a video shortcode for Hugo when the iframe plays
// a YouTube or Vimeo video, else its HTML on one line; on lines of its
// own, in its paragraph's or figure's (renderFigure passes a figure
// without an image on to the fallback of a block element).
func fastIframe(raw []byte, n *html.Node, flavor string) []byte {
	f := iframeOf(n)
	if f != n {
		raw = append(raw, "\n\n"...)
	}
	raw = append(raw, "\n\n"...)
	if kind, id := embedFromIframe(attr(f, "src")); kind != "" && flavor == Hugo {
		raw = append(raw, hugoOpen+" "+kind+" "+id+" >}}"...)
	} else {
		var buf bytes.Buffer
		_ = html.Render(&buf, f)
		raw = append(raw, strings.Join(strings.Fields(buf.String()), " ")...)
	}
	raw = append(raw, "\n\n"...)
	if f != n {
		raw = append(raw, "\n\n"...)
	}
	return raw
}

// hasText reports whether n holds text that is not white space.
func hasText(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimFunc(c.Data, unicode.IsSpace) != "" || hasText(c) {
			return true
		}
	}
	return false
}

// startsList reports whether s starts with a list's start tag that
// parseFastList reads: <ul>, <ol>, or either with only the class the
// block editor gives lists (which html-to-markdown does not look at).
func startsList(s string) bool {
	if len(s) < 4 || s[0] != '<' || s[1] != 'u' && s[1] != 'o' || s[2] != 'l' {
		return false
	}
	return s[3] == '>' || strings.HasPrefix(s[3:], ` class="wp-block-list">`)
}

func isFastList(n *html.Node) bool {
	return n != nil && (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol)
}

// separatesLists reports whether a fast block stands between two lists
// for html-to-markdown's list end comments (AddListEndComments): a rule,
// or a paragraph, heading or quote with text, which its search for a
// following list stops at.
func separatesLists(part fastPart) bool {
	if part.p == nil {
		return false
	}
	switch part.p.Data {
	case "hr":
		return true
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote":
		return hasText(part.p)
	case "figure":
		// A gallery is left out, to be sure.
		return hasText(part.p) && !isGallery(part.p)
	}
	return false
}

// parseFastQuote parses a blockquote that holds only simple paragraphs
// (and white space).
func parseFastQuote(na *nodeArena, h string, i int) (*html.Node, int, bool) {
	name, j, ok := tagName(h, i+1)
	if !ok || name != "blockquote" {
		return nil, 0, false
	}
	attrs, j, selfClosing, ok := parseAttrs(h, j, true)
	if !ok || selfClosing {
		return nil, 0, false
	}
	for _, a := range attrs {
		switch {
		case a.Key == "data-wpmd-html":
			return nil, 0, false
		case a.Key == "lang" && !isNaturalLang(a.Val):
			// renderWP trims it; the fast path only takes clean ones.
			return nil, 0, false
		}
	}
	q := na.node(html.Node{Type: html.ElementNode, Data: "blockquote", DataAtom: atom.Blockquote, Attr: attrs})
	paras := 0
	for {
		j = appendBlank(na, q, h, j)
		switch {
		case strings.HasPrefix(h[j:], "</blockquote>"):
			if paras == 0 {
				return nil, 0, false
			}
			return q, j + len("</blockquote>"), true
		case strings.HasPrefix(h[j:], "<p"):
			p, e, ok := parseFastInline(na, h, j, "p", atom.P)
			if !ok {
				return nil, 0, false
			}
			q.AppendChild(p)
			paras++
			j = e
		default:
			return nil, 0, false
		}
	}
}

// parseFastInline parses the element name (a paragraph or heading) at
// h[i] holding simple inline content: only the elements of fastAtoms,
// nested as fastChildOK allows, no lang attribute but on a span, no
// adjacent emphasis or code elements (the library merges those), no
// empty emphasis, code or span, not empty. end is just after its end tag.
func parseFastInline(na *nodeArena, h string, i int, name string, a atom.Atom) (p *html.Node, end int, ok bool) {
	if n := i + 1 + len(name); len(h) <= n || !(h[n] == '>' || h[n] == ' ') || h[i+1:n] != name {
		return nil, 0, false
	}
	attrs, j, selfClosing, ok := parseAttrs(h, i+1+len(name), true)
	if !ok || selfClosing {
		return nil, 0, false
	}
	for _, at := range attrs {
		// A paragraph in another language is kept as HTML (renderWP); the
		// fast path takes clean language tags only.
		if at.Key == "data-wpmd-html" || at.Key == "lang" && (name != "p" || !isNaturalLang(at.Val)) {
			return nil, 0, false
		}
	}
	p = na.node(html.Node{Type: html.ElementNode, Data: name, DataAtom: a, Attr: attrs})
	cur := p
	for {
		if j >= len(h) {
			return nil, 0, false
		}
		if h[j] != '<' {
			k := strings.IndexByte(h[j:], '<')
			if k < 0 {
				return nil, 0, false
			}
			if !fastText(na, cur, h[j:j+k]) {
				return nil, 0, false
			}
			j += k
			continue
		}
		if j+1 < len(h) && h[j+1] == '/' {
			name, e, ok := tagName(h, j+2)
			if !ok || e >= len(h) || h[e] != '>' || name != cur.Data || !fastClosed(cur) {
				return nil, 0, false
			}
			j = e + 1
			if cur == p {
				// An empty paragraph stays with the library: between two
				// lists it is where it marks the first one's end.
				if p.FirstChild == nil {
					return nil, 0, false
				}
				return p, j, true
			}
			cur = cur.Parent
			continue
		}
		name, e, ok := tagName(h, j+1)
		if !ok {
			return nil, 0, false
		}
		a, isFast := fastAtoms[name]
		if !isFast || !fastChildOK(inlineRole(cur.Data), name) {
			return nil, 0, false
		}
		attrs, e, selfClosing, ok := parseAttrs(h, e, name == "a" || name == "span")
		if !ok || selfClosing && name != "br" {
			return nil, 0, false
		}
		n := na.node(html.Node{Type: html.ElementNode, Data: name, DataAtom: a, Attr: attrs})
		switch name {
		case "br":
			if len(attrs) > 0 {
				return nil, 0, false
			}
		case "a":
			seen := map[string]bool{}
			for _, at := range attrs {
				if seen[at.Key] || at.Key == "lang" || at.Key == "data-wpmd-html" {
					return nil, 0, false
				}
				seen[at.Key] = true
			}
		case "span":
			if len(attrs) != 1 || attrs[0].Key != "lang" || !isNaturalLang(attrs[0].Val) {
				return nil, 0, false
			}
		}
		if prev := cur.LastChild; prev != nil && prev.Type == html.ElementNode &&
			(isEmphasisName(prev.Data) && isEmphasisName(name) || prev.Data == "code" && name == "code") {
			return nil, 0, false
		}
		cur.AppendChild(n)
		j = e
		if name != "br" {
			cur = n
		}
	}
}

// inlineRole is the element whose children rules (fastChildOK) apply
// inside name: a heading holds what a paragraph holds.
func inlineRole(name string) string {
	if _, ok := headingAtoms[name]; ok || name == "li" || name == "figcaption" {
		return "p"
	}
	return name
}

// fastText adds the text raw (as in the HTML) to n, when it holds
// nothing the parser or the library treat specially.
func fastText(na *nodeArena, n *html.Node, raw string) bool {
	if raw == "" {
		return true
	}
	if n.Data == "code" && n.FirstChild != nil {
		return false
	}
	t := raw
	if strings.IndexByte(raw, '&') >= 0 {
		t = html.UnescapeString(raw)
	}
	if holdsSpecial(t) {
		return false
	}
	n.AppendChild(na.node(html.Node{Type: html.TextNode, Data: t}))
	return true
}

// holdsSpecial reports whether t holds a character the parser or the
// library treat specially in text: NUL, "\r", "\a" (the library's escape
// marker) or U+F002 (its code block newline marker). Four scans with
// IndexByte are several times quicker than one loop over the bytes.
func holdsSpecial(t string) bool {
	if strings.IndexByte(t, 0) >= 0 || strings.IndexByte(t, '\r') >= 0 || strings.IndexByte(t, '\a') >= 0 {
		return true
	}
	return strings.IndexByte(t, 0xef) >= 0 && strings.Contains(t, "\uF002")
}

// fastClosed checks an element at its end tag: emphasis around some text
// (the converter unwraps empty emphasis), code and spans not empty.
func fastClosed(n *html.Node) bool {
	switch n.Data {
	case "em", "i", "strong", "b":
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && strings.TrimFunc(c.Data, unicode.IsSpace) != "" ||
				c.Type == html.ElementNode && c.Data == "span" && c.FirstChild != nil && strings.TrimFunc(c.FirstChild.Data, unicode.IsSpace) != "" {
				return true
			}
		}
		return false
	case "code", "span":
		return n.FirstChild != nil && n.FirstChild.Data != ""
	}
	return true
}

// fastCollapse gives collapse.Collapse the fast path's block elements,
// and the library's own void and preformatted elements without its
// linear searches through name lists.
var fastCollapse = &collapse.DomFuncs{
	IsBlockNode: func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return false
		}
		switch n.Data {
		case "p", "blockquote", "hr", "wp-more", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "figure", "figcaption":
			return true
		}
		return false
	},
	// collapse's defaultIsVoidNode: its list (which leaves out "source")
	// against dom.NodeName, which is Data for elements and doctypes.
	IsVoidNode: func(n *html.Node) bool {
		if n.Type != html.ElementNode && n.Type != html.DoctypeNode {
			return false
		}
		switch n.Data {
		case "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "track", "wbr":
			return true
		}
		return false
	},
	// collapse's defaultIsPreformattedNode.
	IsPreformattedNode: func(n *html.Node) bool {
		return (n.Type == html.ElementNode || n.Type == html.DoctypeNode) && (n.Data == "pre" || n.Data == "code")
	},
}

// collapseFast is collapse.Collapse(element, fastCollapse) (a port of
// it): white space collapsed as a browser shows it, spaces at the edges
// of blocks dropped. Its text nodes are rewritten only when they hold
// white space other than single spaces.
func collapseFast(element *html.Node) {
	isBlock, isVoid, isPre := fastCollapse.IsBlockNode, fastCollapse.IsVoidNode, fastCollapse.IsPreformattedNode
	if element.FirstChild == nil || isPre(element) {
		return
	}
	next := func(prev, current *html.Node) *html.Node {
		if prev != nil && prev.Parent == current || isPre(current) {
			if current.NextSibling != nil {
				return current.NextSibling
			}
			return current.Parent
		}
		if current.FirstChild != nil {
			return current.FirstChild
		}
		if current.NextSibling != nil {
			return current.NextSibling
		}
		return current.Parent
	}
	remove := func(n *html.Node) *html.Node {
		nx := n.NextSibling
		if nx == nil {
			nx = n.Parent
		}
		n.Parent.RemoveChild(n)
		return nx
	}
	var prevText, prev *html.Node
	keepLeadingWs := false
	node := next(nil, element)
	for node != element {
		switch node.Type {
		case html.TextNode:
			text := collapseSpace(node.Data)
			if (prevText == nil || strings.HasSuffix(prevText.Data, " ")) && !keepLeadingWs && text != "" && text[0] == ' ' {
				text = text[1:]
			}
			if text == "" {
				node = remove(node)
				continue
			}
			node.Data = text
			prevText = node
		case html.ElementNode:
			switch {
			case isBlock(node) || node.Data == "br":
				if prevText != nil {
					prevText.Data = strings.TrimSuffix(prevText.Data, " ")
				}
				prevText = nil
				keepLeadingWs = false
			case isVoid(node) || isPre(node) || node.Data == "code":
				prevText = nil
				keepLeadingWs = true
			case prevText != nil:
				keepLeadingWs = false
			}
		case html.CommentNode:
		default:
			node = remove(node)
			continue
		}
		nx := next(prev, node)
		prev = node
		node = nx
	}
	if prevText != nil {
		prevText.Data = strings.TrimSuffix(prevText.Data, " ")
		if prevText.Data == "" {
			remove(prevText)
		}
	}
}

func isCollapseSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// collapseSpace replaces every run of spaces, tabs and line breaks by one
// space, as the library's replaceAnyWhitespaceWithSpace; s itself when
// that changes nothing.
func collapseSpace(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > ' ' {
			continue
		}
		if c == '\n' || c == '\r' || c == '\t' || c == ' ' && i+1 < len(s) && isCollapseSpace(s[i+1]) {
			// s[i] starts the first run to rewrite.
			out := make([]byte, 0, len(s))
			out = append(out, s[:i]...)
			for j := i; j < len(s); {
				if !isCollapseSpace(s[j]) {
					out = append(out, s[j])
					j++
					continue
				}
				for j < len(s) && isCollapseSpace(s[j]) {
					j++
				}
				out = append(out, ' ')
			}
			return string(out)
		}
	}
	return s
}

// fastParagraph appends a block of parseFastBlock to raw as
// html-to-markdown renders it, before post-processing.
// text is fixEmphasis's buffer, kept from one paragraph to the next; na
// gives the body node.
func fastParagraph(na *nodeArena, raw []byte, p *html.Node, text *[]byte) []byte {
	body := na.node(html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	body.AppendChild(p)
	if hasEmphasis(p) {
		*text = fixEmphasisWith(body, (*text)[:0])
	}
	collapseFast(body)
	w := bytes.NewBuffer(raw)
	fastNode(w, p, false)
	return w.Bytes()
}

// nodeBufs holds the buffers fastNode renders children into.
var nodeBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// getBuf returns an empty buffer from nodeBufs; putBuf puts it back,
// when what was written into it has been copied out.
func getBuf() *bytes.Buffer { return nodeBufs.Get().(*bytes.Buffer) }

func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<16 {
		b.Reset()
		nodeBufs.Put(b)
	}
}

// hasEmphasis reports whether n holds an element fixEmphasis looks at.
func hasEmphasis(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (emphasis[c.DataAtom] || hasEmphasis(c)) {
			return true
		}
	}
	return false
}

// postProcess is the library's post-processing of a rendered document:
// trimmed, at most one blank line in a row, no hard break before a blank
// line, escape markers resolved, code block newlines restored. It
// reuses raw.
func postProcess(raw []byte) string {
	return unEscapeString(postProcessRaw(raw))
}

// postProcessRaw is postProcess before the escape markers are resolved.
func postProcessRaw(raw []byte) []byte {
	out := bytes.TrimSpace(raw)
	out = trimConsecutiveNewlines(out)
	return trimUnnecessaryHardLineBreaks(out)
}

// postProcessDoc is strings.TrimSpace(postProcess(raw)) followed by one
// newline, "" when that is empty: the Markdown of a document, in one
// copy where trimming finds nothing to trim (the usual case).
func postProcessDoc(raw []byte) string {
	out := postProcessRaw(raw)
	var b strings.Builder
	b.Grow(len(out) + 1)
	unEscapeTo(&b, out)
	s := b.String()
	end := len(strings.TrimRightFunc(s, unicode.IsSpace))
	start := end - len(strings.TrimLeftFunc(s[:end], unicode.IsSpace))
	switch {
	case start >= end:
		return ""
	case end == len(s):
		// Within the capacity grown above: s stays as it is.
		b.WriteByte('\n')
		return b.String()[start:]
	case s[end] == '\n':
		return s[start : end+1]
	}
	return s[start:end] + "\n"
}

// fastNode writes n and its children.
func fastNode(w *bytes.Buffer, n *html.Node, inLink bool) {
	if n.Type == html.TextNode {
		fastEscape(w, n.Data, inLink)
		return
	}
	children := func(w *bytes.Buffer, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			fastNode(w, c, inLink)
		}
	}
	if n.Data == "span" {
		// renderWP: an inline element with a language keeps its tags.
		w.WriteString(`<span lang="`)
		w.WriteString(n.Attr[0].Val)
		w.WriteString(`">`)
		children(w, inLink)
		w.WriteString("</span>")
		return
	}
	if len(n.Attr) > 0 && attr(n, "data-wpmd-html") != "" {
		// fixEmphasis: delimiters CommonMark would not see as such.
		w.WriteString("<" + n.Data + ">")
		children(w, inLink)
		w.WriteString("</" + n.Data + ">")
		return
	}
	if n.Data == "p" || n.Data == "blockquote" {
		if naturalLang(n) != "" {
			// renderWP: a passage in another language stays HTML.
			var buf bytes.Buffer
			_ = html.Render(&buf, n)
			w.WriteString("\n\n")
			w.WriteString(replaceRe(reBlankLines, strings.TrimSpace(buf.String()), "\n"))
			w.WriteString("\n\n")
			return
		}
	}
	switch n.Data {
	case "p":
		w.WriteString("\n\n")
		children(w, inLink)
		w.WriteString("\n\n")
	case "wp-more":
		w.WriteString("\n\n<!--more-->\n\n")
	case "hr":
		w.WriteString("\n\n---\n\n")
	case "h1", "h2", "h3", "h4", "h5", "h6":
		// commonmark's renderHeading, ATX style.
		buf := getBuf()
		defer putBuf(buf)
		children(buf, inLink)
		content := buf.Bytes()
		if len(bytes.TrimSpace(content)) == 0 {
			return
		}
		content = bytes.ReplaceAll(content, []byte("\n"), []byte(" "))
		content = bytes.ReplaceAll(content, []byte("\r"), []byte(" "))
		content = reMultipleSpaces.ReplaceAll(content, []byte(" "))
		content = bytes.TrimSpace(content)
		if n := len(content); n >= 2 && content[n-1] == '#' && !(n >= 3 && content[n-3] == '\\') {
			content[n-2] = '\\'
		}
		w.WriteString("\n\n")
		w.WriteString("######"[:n.Data[1]-'0'])
		w.WriteByte(' ')
		w.Write(content)
		w.WriteString("\n\n")
	case "blockquote":
		buf := getBuf()
		children(buf, inLink)
		writeBlockquote(w, buf.Bytes())
		putBuf(buf)
	case "ul", "ol":
		fastList(w, n)
	case "figure":
		switch {
		case isGallery(n):
			// The fallback of a block element: its children between
			// blank lines.
			w.WriteString("\n\n")
			children(w, inLink)
			w.WriteString("\n\n")
		case n.LastChild.DataAtom == atom.Figcaption:
			fastFigure(w, n)
		default:
			// renderFigure: the image, or its link, alone.
			w.WriteString("\n\n")
			fastNode(w, n.FirstChild, false)
			w.WriteString("\n\n")
		}
	case "img":
		// commonmark's renderImage.
		w.WriteString("![")
		w.WriteString(escapeAlt(strings.ReplaceAll(attr(n, "alt"), "\n", " ")))
		w.WriteString("](")
		w.WriteString(assembleURL(attr(n, "src")))
		if title := strings.ReplaceAll(attr(n, "title"), "\n", " "); title != "" {
			w.WriteByte(' ')
			w.Write(surroundByQuotes([]byte(title)))
		}
		w.WriteByte(')')
	case "br":
		w.WriteString("  \n")
	case "em", "i", "strong", "b":
		buf := getBuf()
		children(buf, inLink)
		delim := "*"
		if n.Data == "strong" || n.Data == "b" {
			delim = "**"
		}
		writeDelimiterForEveryLine(w, buf.Bytes(), delim)
		putBuf(buf)
	case "code":
		fastCode(w, n.FirstChild.Data)
	case "a":
		href := assembleURL(strings.TrimSpace(attr(n, "href")))
		title := strings.ReplaceAll(attr(n, "title"), "\n", " ")
		buf := getBuf()
		defer putBuf(buf)
		children(buf, true)
		if href == "" {
			title = ""
		}
		left, trimmed, right := surroundingSpaces(buf.Bytes())
		trimmed = trimConsecutiveNewlines(trimmed)
		trimmed = escapeMultiLine(trimmed)
		w.Write(left)
		w.WriteByte('[')
		w.Write(trimmed)
		w.WriteString("](")
		w.WriteString(href)
		if title != "" {
			w.WriteByte(' ')
			w.Write(surroundByQuotes([]byte(title)))
		}
		w.WriteByte(')')
		w.Write(right)
	}
}

// escapedChars are the characters html-to-markdown marks for escaping
// (commonmark, strikethrough and table plugins).
// reMultipleSpaces is renderHeading's.
var reMultipleSpaces = regexp.MustCompile(`  +`)

var escapedChars = func() (t [256]bool) {
	for _, c := range "\\*_-+.>|$#=[]()!~`\"'" {
		t[c] = true
	}
	return t
}()

// fastEscape writes text as the library's text transformers do: < and >
// as entities, an escape marker before each Markdown character, and "]"
// escaped outright inside a link.
func fastEscape(w *bytes.Buffer, s string, inLink bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '<':
			w.WriteString(s[last:i])
			w.WriteString("&lt;")
			last = i + 1
		case c == '>':
			w.WriteString(s[last:i])
			w.WriteString("&gt;")
			last = i + 1
		case escapedChars[c]:
			w.WriteString(s[last:i])
			if inLink && c == ']' {
				w.WriteString(`\]`)
			} else {
				w.WriteByte('\a')
				w.WriteByte(c)
			}
			last = i + 1
		}
	}
	w.WriteString(s[last:])
}

// fastCode writes inline code (renderInlineCode).
func fastCode(w *bytes.Buffer, text string) {
	if len(bytes.TrimSpace([]byte(text))) == 0 {
		w.WriteByte('`')
		w.WriteString(text)
		w.WriteByte('`')
		return
	}
	code := string(collapseInlineCodeContent([]byte(text)))
	longest, run := 0, 0
	for i := 0; i < len(code); i++ {
		if code[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(code, "`") {
		code = " " + code
	}
	if strings.HasSuffix(code, "`") {
		code += " "
	}
	w.WriteString(fence)
	w.WriteString(code)
	w.WriteString(fence)
}

func collapseInlineCodeContent(content []byte) []byte {
	content = bytes.ReplaceAll(content, []byte{'\n'}, []byte{' '})
	content = bytes.ReplaceAll(content, []byte{'\t'}, []byte{' '})
	content = bytes.TrimSpace(content)
	out := make([]byte, 0, len(content))
	count := 0
	for _, c := range content {
		if c == ' ' {
			count++
		} else {
			count = 0
		}
		if count > 1 {
			continue
		}
		out = append(out, c)
	}
	return out
}

// surroundingSpaces splits off the white space at both ends.
func surroundingSpaces(content []byte) (left, trimmed, right []byte) {
	rightTrimmed := bytes.TrimRightFunc(content, unicode.IsSpace)
	right = content[len(rightTrimmed):]
	trimmed = bytes.TrimLeftFunc(rightTrimmed, unicode.IsSpace)
	left = content[0 : len(rightTrimmed)-len(trimmed)]
	return left, trimmed, right
}

// writeDelimiterForEveryLine writes text to buf with the delimiter
// around every line's text.
func writeDelimiterForEveryLine(buf *bytes.Buffer, text []byte, delim string) {
	for {
		line := text
		k := bytes.IndexByte(text, '\n')
		if k >= 0 {
			line = text[:k]
		}
		left, trimmed, right := surroundingSpaces(line)
		buf.Write(left)
		if len(trimmed) > 0 {
			buf.WriteString(delim)
			buf.Write(trimmed)
			buf.WriteString(delim)
		}
		buf.Write(right)
		if k < 0 {
			return
		}
		buf.WriteByte('\n')
		text = text[k+1:]
	}
}

// escapeMultiLine keeps a link's text on its lines with hard breaks.
func escapeMultiLine(content []byte) []byte {
	parts := bytes.Split(content, []byte{'\n'})
	if len(parts) == 1 {
		return content
	}
	out := make([]byte, 0, len(content))
	for i := range parts {
		left := bytes.TrimLeftFunc(parts[i], unicode.IsSpace)
		if len(left) == 0 {
			out = append(out, '\\', '\n')
			continue
		}
		if i == len(parts)-1 {
			out = append(out, left...)
			continue
		}
		out = append(out, left...)
		if bytes.HasSuffix(left, []byte("  ")) {
			out = append(out, '\n')
		} else {
			out = append(out, ' ', ' ', '\n')
		}
	}
	return out
}

// escapeAlt escapes the brackets of an image's alt text, as renderImage
// does: each one not already after a backslash.
func escapeAlt(alt string) string {
	if strings.IndexByte(alt, '[') < 0 && strings.IndexByte(alt, ']') < 0 {
		return alt
	}
	var b strings.Builder
	for i := 0; i < len(alt); i++ {
		if (alt[i] == '[' || alt[i] == ']') && (i == 0 || alt[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(alt[i])
	}
	return b.String()
}

func surroundByQuotes(content []byte) []byte {
	if len(content) == 0 {
		return nil
	}
	dq := bytes.IndexByte(content, '"') >= 0
	sq := bytes.IndexByte(content, '\'') >= 0
	switch {
	case dq && sq:
		return []byte(`"` + strings.ReplaceAll(string(content), `"`, `\"`) + `"`)
	case dq:
		return []byte("'" + string(content) + "'")
	}
	return []byte(`"` + string(content) + `"`)
}

// trimConsecutiveNewlines keeps at most two newlines in a row (with the
// spaces before the kept ones), in place: in a run of spaces and newlines
// holding more than two newlines, what lies between its second newline
// and its last goes, the last newline too.
func trimConsecutiveNewlines(in []byte) []byte {
	out := in[:0] // writing never overtakes reading
	last := 0     // in[last:] is still to be written
	for i := 0; i < len(in); {
		k := bytes.IndexByte(in[i:], '\n')
		if k < 0 {
			break
		}
		nl := i + k
		n, second, lastNL := 1, -1, nl
		e := nl + 1
		for ; e < len(in) && (in[e] == '\n' || in[e] == ' '); e++ {
			if in[e] == '\n' {
				n++
				if n == 2 {
					second = e
				}
				lastNL = e
			}
		}
		if n > 2 {
			out = append(out, in[last:second+1]...)
			last = lastNL + 1
		}
		i = e
	}
	if last == 0 {
		return in
	}
	return append(out, in[last:]...)
}

func trimUnnecessaryHardLineBreaks(content []byte) []byte {
	if !bytes.Contains(content, []byte("  \n")) {
		return content
	}
	// bytes.ReplaceAll copies even when nothing matches.
	for _, old := range [...]string{"  \n\n", "  \n  \n", "  \n \n"} {
		if bytes.Contains(content, []byte(old)) {
			content = bytes.ReplaceAll(content, []byte(old), []byte("\n\n"))
		}
	}
	return content
}

var urlReplacer = strings.NewReplacer(" ", "%20", "[", "%5B", "]", "%5D", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")

// assembleURL is the library's link destination clean-up (without a base
// domain).
func assembleURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "#" || isPlainURL(raw) {
		return raw
	}
	return assembleParsedURL(raw)
}

// plainURLByte are the bytes of an http(s) URL that parsing and writing
// it again, query re-encoding and urlReplacer all leave as they are.
var plainURLByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-._~/" {
		t[c] = true
	}
	return t
}()

// isPlainURL reports whether assembleParsedURL would return raw as it
// is, by a test that is sure of it: http:// or https://, a host, then
// only unreserved characters and '/', and an optional query of
// unreserved characters in key=value pairs joined by '&' (at most one
// '=' in each, so that re-encoding changes nothing).
func isPlainURL(raw string) bool {
	var rest string
	switch {
	case strings.HasPrefix(raw, "https://"):
		rest = raw[len("https://"):]
	case strings.HasPrefix(raw, "http://"):
		rest = raw[len("http://"):]
	default:
		return false
	}
	if rest == "" || rest[0] == '/' || rest[0] == '?' { // no host
		return false
	}
	path, query, hasQuery := strings.Cut(rest, "?")
	for i := 0; i < len(path); i++ {
		if !plainURLByte[path[i]] {
			return false
		}
	}
	if !hasQuery {
		return true
	}
	if query == "" {
		return false
	}
	eq := 0
	for i := 0; i < len(query); i++ {
		switch c := query[i]; {
		case c == '&':
			eq = 0
		case c == '=':
			if eq++; eq > 1 {
				return false
			}
		case c == '/' || !plainURLByte[c]:
			return false
		}
	}
	return true
}

// assembleParsedURL is assembleURL for any URL: parsed, its query
// re-encoded, written again.
func assembleParsedURL(raw string) string {
	raw = strings.ReplaceAll(raw, "\n", "%0A")
	raw = strings.ReplaceAll(raw, "\t", "%09")
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "data" {
		return urlReplacer.Replace(raw)
	}
	if u.RawQuery != "" {
		u.RawQuery = strings.ReplaceAll(encodeQuery(u.RawQuery), "+", "%20")
	}
	return urlReplacer.Replace(u.String())
}

func encodeQuery(raw string) string {
	recode := func(s string) string {
		d, err := url.QueryUnescape(s)
		if err != nil {
			return s
		}
		return url.QueryEscape(d)
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		k, v, found := strings.Cut(part, "=")
		switch {
		case !found:
			parts[i] = recode(k)
		case v == "":
			parts[i] = recode(k) + "="
		default:
			parts[i] = recode(k) + "=" + recode(v)
		}
	}
	return strings.Join(parts, "&")
}

// unEscapeString turns the escape markers that precede a character
// Markdown would read as syntax where it stands into backslashes, drops
// the others, and turns code block newline markers into newlines, in one
// pass: the library's unEscapeContent (its handlers, in its order, see
// unEscapeAt) and code block post-renderer.
func unEscapeString(chars []byte) string {
	var b strings.Builder
	b.Grow(len(chars))
	unEscapeTo(&b, chars)
	return b.String()
}

// unEscapeTo is unEscapeString writing to b.
func unEscapeTo(b *strings.Builder, chars []byte) {
	skipUntil := 0 // markers before this index are not looked at: dropped
	last := 0      // chars[last:i] are still to be written
	// The next escape marker and the next byte that may start a code
	// block newline marker, found with IndexByte rather than byte by
	// byte; len(chars) when there is none.
	nextAt := func(from int, c byte) int {
		if k := bytes.IndexByte(chars[from:], c); k >= 0 {
			return from + k
		}
		return len(chars)
	}
	nextEsc := nextAt(0, '\a')
	nextNL := nextAt(0, marker.BytesMarkerCodeBlockNewline[0])
	for i := 0; i < len(chars); i++ {
		if i < nextEsc && i < nextNL {
			i = min(nextEsc, nextNL)
			if i >= len(chars) {
				break
			}
		}
		if i >= nextEsc {
			nextEsc = nextAt(i+1, '\a')
		}
		if i >= nextNL {
			nextNL = nextAt(i+1, marker.BytesMarkerCodeBlockNewline[0])
		}
		switch chars[i] {
		case '\a':
			b.Write(chars[last:i])
			last = i + 1
			if i < skipUntil || i+1 >= len(chars) {
				continue
			}
			if skip := unEscapeAt(chars, i+1); skip != -1 {
				b.WriteByte('\\')
				skipUntil = i + skip
			}
		case marker.BytesMarkerCodeBlockNewline[0]:
			if bytes.HasPrefix(chars[i:], marker.BytesMarkerCodeBlockNewline) {
				b.Write(chars[last:i])
				b.WriteByte('\n')
				last = i + 3
				i += 2
			}
		}
	}
	b.Write(chars[last:])
}

// unEscapeAt runs the library's unescape handlers that concern the
// character at index (the one after a marker), in the library's order
// (italic or bold, block quote, ATX heading, setext heading, divider,
// ordered list, unordered list, image or link, fenced code, inline code,
// backslash, strikethrough); -1 when none applies.
func unEscapeAt(chars []byte, index int) int {
	first := func(hs ...func([]byte, int) int) int {
		for _, h := range hs {
			if r := h(chars, index); r != -1 {
				return r
			}
		}
		return -1
	}
	switch chars[index] {
	case '*':
		return first(isItalicOrBold, isDivider, isUnorderedList)
	case '_':
		return first(isItalicOrBold, isDivider)
	case '>':
		return isBlockQuote(chars, index)
	case '#':
		return isAtxHeader(chars, index)
	case '=':
		return isSetextHeader(chars, index)
	case '-':
		return first(isSetextHeader, isDivider, isUnorderedList)
	case '.', ')':
		return isOrderedList(chars, index)
	case '+':
		return isUnorderedList(chars, index)
	case '!', '[':
		return isImageOrLink(chars, index)
	case '`':
		return first(isFencedCode, isInlineCode)
	case '~':
		return first(isFencedCode, isStrikethrough)
	case '\\':
		return isBackslash(chars, index)
	}
	return -1
}

func nextRune(chars []byte, index int) rune {
	for i := index + 1; i < len(chars); i++ {
		if chars[i] == '\a' {
			continue
		}
		r, _ := utf8.DecodeRune(chars[i:])
		return r
	}
	return 0
}

func prevRune(chars []byte, index int) rune {
	for i := index - 1; i >= 0; i-- {
		if chars[i] == '\a' {
			continue
		}
		r, _ := utf8.DecodeLastRune(chars[:i+1])
		return r
	}
	return 0
}

func nextByte(chars []byte, index int) byte {
	for i := index + 1; i < len(chars); i++ {
		if chars[i] != '\a' {
			return chars[i]
		}
	}
	return 0
}

// skipBlank returns the end of the run of HTML white space (space, tab,
// newline, form feed) at h[i:].
func skipBlank(h string, i int) int {
	for i < len(h) && (h[i] == ' ' || h[i] == '\t' || h[i] == '\n' || h[i] == '\f') {
		i++
	}
	return i
}

// appendBlank appends the run of HTML white space at h[j:], if any, to
// parent as a text node, as the parser keeps it between blocks, and
// returns its end.
func appendBlank(na *nodeArena, parent *html.Node, h string, j int) int {
	k := skipBlank(h, j)
	if k > j {
		parent.AppendChild(na.node(html.Node{Type: html.TextNode, Data: h[j:k]}))
	}
	return k
}

func isSpaceByte(b byte) bool {
	switch b {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x85, 0xA0:
		return true
	}
	return false
}

func isItalicOrBold(chars []byte, index int) int {
	if chars[index] != '*' && chars[index] != '_' {
		return -1
	}
	next := nextRune(chars, index)
	if unicode.IsSpace(next) || next == 0 {
		return -1
	}
	return 1
}

func isStrikethrough(chars []byte, index int) int {
	if chars[index] != '~' {
		return -1
	}
	next := nextRune(chars, index)
	if unicode.IsSpace(next) || next == 0 {
		return -1
	}
	return 1
}

// lineStartBefore reports whether only spaces and markers stand between
// index and the start of its line.
func lineStartBefore(chars []byte, index int) bool {
	for i := index - 1; i >= 0; i-- {
		switch chars[i] {
		case '\n':
			return true
		case '\a', ' ':
		default:
			return false
		}
	}
	return true
}

func isBlockQuote(chars []byte, index int) int {
	if chars[index] != '>' || !lineStartBefore(chars, index) {
		return -1
	}
	return 1
}

func isAtxHeader(chars []byte, index int) int {
	if chars[index] != '#' || !lineStartBefore(chars, index) {
		return -1
	}
	n := 1
	for i := index + 1; i < len(chars); i++ {
		if chars[i] == '#' {
			n++
			if n > 6 {
				return -1
			}
			continue
		}
		if chars[i] == '\a' {
			continue
		}
		if chars[i] == ' ' || chars[i] == '\t' || chars[i] == '\n' || chars[i] == '\r' {
			return i - index
		}
		return -1
	}
	return 1
}

func isSetextHeader(chars []byte, index int) int {
	if chars[index] != '=' && chars[index] != '-' {
		return -1
	}
	newlines := 0
	for i := index - 1; i >= 0; i-- {
		if chars[i] == '\a' || chars[i] == ' ' {
			continue
		}
		if chars[i] == '\n' {
			newlines++
			continue
		}
		if newlines == 1 {
			return 1
		}
		return -1
	}
	return -1
}

func isDivider(chars []byte, index int) int {
	c := chars[index]
	if c != '-' && c != '_' && c != '*' || !lineStartBefore(chars, index) {
		return -1
	}
	count := 1
	last := len(chars)
	for i := index + 1; i < len(chars); i++ {
		switch chars[i] {
		case '\a', ' ':
			continue
		case c:
			count++
			continue
		case '\n':
			last = i
		default:
			return -1
		}
		break
	}
	if count >= 3 {
		return last - index
	}
	return -1
}

func isOrderedList(chars []byte, index int) int {
	if chars[index] != '.' && chars[index] != ')' {
		return -1
	}
	if !unicode.IsDigit(prevRune(chars, index)) {
		return -1
	}
	for i := index - 1; i >= 0; i-- {
		c := chars[i]
		if c == '\n' {
			break
		}
		if c == ' ' || c == '\a' || c >= '0' && c <= '9' {
			continue
		}
		return -1
	}
	if next := nextByte(chars, index); isSpaceByte(next) || next == 0 {
		return 1
	}
	return -1
}

func isUnorderedList(chars []byte, index int) int {
	c := chars[index]
	if c != '-' && c != '*' && c != '+' || !lineStartBefore(chars, index) {
		return -1
	}
	if next := nextByte(chars, index); isSpaceByte(next) || next == 0 {
		return 1
	}
	return -1
}

func isImageOrLink(chars []byte, index int) int {
	switch chars[index] {
	case '!':
		if index+1 < len(chars) && chars[index+1] == '[' {
			return 1
		}
	case '[':
		for i := index + 1; i < len(chars); i++ {
			if chars[i] == '\n' {
				return -1
			}
			if chars[i] == ']' {
				return 1
			}
		}
	}
	return -1
}

func isFencedCode(chars []byte, index int) int {
	if chars[index] != '`' && chars[index] != '~' || !lineStartBefore(chars, index) {
		return -1
	}
	count := 1
	i := index + 1
	for ; i < len(chars); i++ {
		if chars[i] == '\a' {
			continue
		}
		if chars[i] == '`' || chars[i] == '~' {
			count++
			continue
		}
		break
	}
	if count < 3 {
		return -1
	}
	return i - index
}

func isInlineCode(chars []byte, index int) int {
	if chars[index] != '`' {
		return -1
	}
	return 1
}

func isBackslash(chars []byte, index int) int {
	if chars[index] != '\\' {
		return -1
	}
	return 1
}

// fastList writes a list of parseFastList as renderListContainer does:
// each item's content trimmed and post-processed on its own, prefixed by
// "- " or its number (padded to the widest, from 1), its further lines
// indented to the prefix's width.
func fastList(w *bytes.Buffer, n *html.Node) {
	var items [][]byte
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		var buf bytes.Buffer
		for c := li.FirstChild; c != nil; c = c.NextSibling {
			fastNode(&buf, c, false)
		}
		if item := postProcess(buf.Bytes()); item != "" {
			items = append(items, []byte(item))
		}
	}
	if len(items) == 0 {
		return
	}
	width := len(strconv.Itoa(len(items)))
	prefix := func(i int) string {
		if n.Data == "ul" {
			return "- "
		}
		num := strconv.Itoa(i + 1)
		return strings.Repeat("0", width-len(num)) + num + ". "
	}
	indent := strings.Repeat(" ", len(prefix(0)))
	w.WriteString("\n\n")
	for i, item := range items {
		w.WriteString(prefix(i))
		for k, line := range bytes.Split(item, []byte("\n")) {
			if k > 0 {
				w.WriteByte('\n')
				w.WriteString(indent)
			}
			w.Write(line)
		}
		if i < len(items)-1 {
			w.WriteByte('\n')
		}
	}
	w.WriteString("\n\n")
}

// fastFigure writes a figure of parseFastFigure as renderFigure does
// for Hugo: the figure shortcode with the image's source and alt text,
// the link and the caption (its Markdown, escape markers resolved, on
// one line).
func fastFigure(w *bytes.Buffer, n *html.Node) {
	var img, link, caption *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Data {
		case "a":
			link, img = c, c.FirstChild
		case "img":
			img = c
		case "figcaption":
			caption = c
		}
	}
	var buf bytes.Buffer
	for c := caption.FirstChild; c != nil; c = c.NextSibling {
		fastNode(&buf, c, false)
	}
	capMD := strings.Join(strings.Fields(unEscapeString(buf.Bytes())), " ")
	src := strings.TrimSpace(attr(img, "src"))
	alt := strings.Join(strings.Fields(attr(img, "alt")), " ")
	href := ""
	if link != nil {
		href = strings.TrimSpace(attr(link, "href"))
	}
	w.WriteString("\n\n" + hugoOpen + " figure src=" + hugoQuote(src))
	if alt != "" {
		w.WriteString(" alt=" + hugoQuote(alt))
	}
	if href != "" {
		w.WriteString(" link=" + hugoQuote(href))
	}
	w.WriteString(" caption=" + hugoQuote(capMD) + " >}}\n\n")
}
