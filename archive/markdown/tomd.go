package markdown

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// mdState is what one conversion's renderers share; it travels in the
// converter's context.
type mdState struct {
	flavor    string
	footnotes map[string]int // data-fn id → number, in order of first reference
	rep       *Report
	// raw, when set, receives the converter's output before its
	// post-processing (which is then skipped): the fast path assembles
	// the document and post-processes it once.
	raw *[]byte
}

type stateKey struct{}

func getState(ctx converter.Context) *mdState {
	st, _ := ctx.Value(stateKey{}).(*mdState)
	return st
}

var (
	convOnce sync.Once
	conv     *converter.Converter
)

// theConverter returns the html-to-markdown converter with the WordPress
// renderers added. It is built once and safe for concurrent use; the
// flavor and per-post state travel in the context.
func theConverter() *converter.Converter {
	convOnce.Do(func() {
		conv = converter.NewConverter(converter.WithPlugins(
			base.NewBasePlugin(),
			commonmark.NewCommonmarkPlugin(
				commonmark.WithHeadingStyle(commonmark.HeadingStyleATX),
				commonmark.WithCodeBlockFence("```"),
				commonmark.WithBulletListMarker("-"),
				commonmark.WithHorizontalRule("---"),
			),
			table.NewTablePlugin(
				table.WithHeaderPromotion(true),
				table.WithSpanCellBehavior(table.SpanBehaviorMirror),
				table.WithPresentationTables(true),
			),
			strikethrough.NewStrikethroughPlugin(),
		))
		for _, tag := range []string{"iframe", "audio", "video", "object", "embed", "sup", "wp-raw"} {
			conv.Register.TagType(tag, converter.TagTypeInline, converter.PriorityEarly)
		}
		for _, tag := range []string{"wp-more", "figure", "figcaption", "script"} {
			conv.Register.TagType(tag, converter.TagTypeBlock, converter.PriorityEarly)
		}
		conv.Register.PreRenderer(prepareDOM, converter.PriorityEarly)
		conv.Register.PostRenderer(func(ctx converter.Context, result []byte) []byte {
			if st := getState(ctx); st != nil && st.raw != nil {
				*st.raw = append(*st.raw, result...)
				return nil
			}
			return result
		}, converter.PriorityEarly)
		conv.Register.Renderer(renderWP, converter.PriorityEarly)
		// Tables the table plugin cannot express stay HTML.
		conv.Register.Renderer(func(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
			if n.Type == html.ElementNode && n.DataAtom == atom.Table {
				writeRawBlock(w, n)
				return converter.RenderSuccess
			}
			return converter.RenderTryNext
		}, converter.PriorityLate)
	})
	return conv
}

// replaceMoreComments replaces the summary divider
// <!--more(?:\s[^>]*?)?--> by <wp-more></wp-more> (setting rep.More) and
// drops <!--nextpage-->, matching left to right as the regexp would.
func replaceMoreComments(h string, rep *Report) string {
	s, _ := replaceMoreCommentsIn(nil, h, rep)
	return s
}

// replaceMoreCommentsIn is replaceMoreComments writing into buf, grown
// perhaps and returned: the string it returns (unless it is h) shares
// buf's bytes, valid as long as buf is not written to again.
func replaceMoreCommentsIn(buf []byte, h string, rep *Report) (string, []byte) {
	b := buf[:0]
	changed := false
	last := 0
	for i := 0; i < len(h); {
		j := strings.Index(h[i:], "<!--")
		if j < 0 {
			break
		}
		start := i + j
		end, repl := moreCommentEnd(h, start)
		if end < 0 {
			i = start + 1
			continue
		}
		if !changed {
			changed = true
			b = slices.Grow(b, len(h)+len("<wp-more></wp-more>"))
		}
		b = append(b, h[last:start]...)
		if repl {
			rep.More = true
			b = append(b, "<wp-more></wp-more>"...)
		}
		last = end
		i = end
	}
	if !changed {
		return h, buf
	}
	b = append(b, h[last:]...)
	return unsafe.String(unsafe.SliceData(b), len(b)), b
}

// moreCommentEnd returns the end of <!--more…--> (repl true) or
// <!--nextpage--> (repl false) at h[start:], or -1.
func moreCommentEnd(h string, start int) (end int, repl bool) {
	rest := h[start:]
	if strings.HasPrefix(rest, "<!--nextpage-->") {
		return start + len("<!--nextpage-->"), false
	}
	if !strings.HasPrefix(rest, "<!--more") {
		return -1, false
	}
	p := len("<!--more")
	if strings.HasPrefix(rest[p:], "-->") {
		return start + p + 3, true
	}
	if p >= len(rest) || !isRE2Space(rest[p]) {
		return -1, false
	}
	// [^>]*? stops at the first '>', which must close "-->" after the
	// white space.
	g := strings.IndexByte(rest[p+1:], '>')
	if g < 0 {
		return -1, false
	}
	g += p + 1
	if g-2 < p+1 || rest[g-2:g] != "--" {
		return -1, false
	}
	return start + g + 1, true
}

// toMarkdown converts rendered post HTML to Markdown of the flavor. With
// fast, simple paragraphs are written directly (see splitFast) and the
// rest goes through html-to-markdown; without, all of it does. The
// Markdown is trimmed and ends in one newline; "" when empty.
func toMarkdown(h string, flavor string, rep *Report, fast bool) string {
	if !fast {
		h = replaceMoreComments(h, rep)
		md := strings.TrimSpace(libraryMarkdown(h, flavor, rep, nil))
		if md != "" {
			md += "\n"
		}
		return md
	}
	// The paragraphs and the rest are rendered apart, then post-processed
	// as one document. Footnote numbers run through the whole document:
	// a post with footnotes is rendered in one piece.
	sc := scratchPool.Get().(*mdScratch)
	defer sc.release()
	// h shares sc.more's bytes until sc is released: nothing made of it
	// outlives this call (the nodes go back to the arena, the library
	// copies what it parses, the result is a new string).
	h, sc.more = replaceMoreCommentsIn(sc.more, h, rep)
	raw := sc.raw[:0]
	var parts []fastPart
	ok := false
	if !containsFrom(h, "data-fn", 4) && !containsFrom(h, "wp-block-footnotes", 8) {
		parts, ok = splitFastWith(&sc.nodes, sc.parts[:0], h)
		sc.parts = parts
	}
	if ok {
		for _, part := range parts {
			switch {
			case part.p != nil && part.p.DataAtom == atom.Figure && flavor != Hugo:
				// Written as an image and its caption: the library's.
				libraryMarkdown(h[part.start:part.end], flavor, rep, &raw)
			case part.p != nil && part.p.DataAtom == atom.Pre:
				raw = fastPre(raw, part.p)
			case part.p != nil && iframeOf(part.p) != nil:
				raw = fastIframe(raw, part.p, flavor)
			case part.p != nil:
				raw = fastParagraph(&sc.nodes, raw, part.p, &sc.text)
			default:
				libraryMarkdown(part.html, flavor, rep, &raw)
			}
		}
	} else {
		libraryMarkdown(h, flavor, rep, &raw)
	}
	sc.raw = raw
	return postProcessDoc(raw)
}

// mdScratch are the buffers of one toMarkdown call, kept in scratchPool
// for the next: the Markdown before post-processing (which copies it
// into the result), the HTML with its summary divider replaced,
// fixEmphasis's text, the parts of splitFast and the nodes of their
// trees.
type mdScratch struct {
	raw, text []byte
	more      []byte // replaceMoreComments's result
	parts     []fastPart
	nodes     nodeArena
}

var scratchPool = sync.Pool{New: func() any { return new(mdScratch) }}

// release puts sc back in scratchPool, without buffers so large that
// keeping them would hold memory few posts need.
func (sc *mdScratch) release() {
	if cap(sc.raw) > 1<<20 {
		sc.raw = nil
	}
	if cap(sc.text) > 1<<20 {
		sc.text = nil
	}
	if cap(sc.more) > 1<<20 {
		sc.more = nil
	}
	clear(sc.parts[:cap(sc.parts)]) // the parts point into the nodes and the HTML
	if cap(sc.parts) > 1<<12 {
		sc.parts = nil
	}
	sc.nodes.reset()
	scratchPool.Put(sc)
}

// containsFrom is strings.Contains(s, needle), searching for
// needle[k:] (which starts with a rarer byte than needle) and looking
// back for needle[:k].
func containsFrom(s, needle string, k int) bool {
	head, tail := needle[:k], needle[k:]
	for i := 0; ; {
		j := strings.Index(s[i:], tail)
		if j < 0 {
			return false
		}
		if strings.HasSuffix(s[:i+j], head) {
			return true
		}
		i += j + 1
	}
}

// libraryMarkdown converts HTML to Markdown with html-to-markdown. With
// raw set, it appends the converter's output before post-processing to
// *raw instead (see postProcess) and returns "".
func libraryMarkdown(h string, flavor string, rep *Report, raw *[]byte) string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(h), body)
	if err != nil { // only on a reader error, impossible with a string
		rep.problem("parse HTML: %v", err)
		return ""
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	st := &mdState{flavor: flavor, rep: rep, raw: raw}
	out, err := theConverter().ConvertNode(body, converter.WithContext(context.WithValue(context.Background(), stateKey{}, st)))
	if err != nil {
		rep.problem("convert HTML: %v", err)
		return ""
	}
	return string(out)
}

// Elements whose lang attribute survives on a span wrapping their content,
// so the Markdown structure (heading, list item, cell) stays.
var langWrapInner = map[atom.Atom]bool{
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Td: true, atom.Th: true, atom.Dt: true, atom.Dd: true,
	atom.Figcaption: true, atom.Caption: true, atom.Summary: true, atom.Legend: true,
}

// Elements kept whole as an HTML block when they carry a lang attribute.
var langRawBlock = map[atom.Atom]bool{
	atom.P: true, atom.Blockquote: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Aside: true, atom.Figure: true, atom.Ul: true, atom.Ol: true, atom.Dl: true,
	atom.Table: true, atom.Details: true, atom.Header: true, atom.Footer: true, atom.Address: true,
	atom.Main: true, atom.Nav: true,
}

// isNaturalLang reports whether s looks like a language tag:
// ^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$.
func isNaturalLang(s string) bool {
	i := 0
	for i < len(s) && isASCIILetter(s[i]) {
		i++
	}
	if i < 2 || i > 3 {
		return false
	}
	for i < len(s) {
		if s[i] != '-' {
			return false
		}
		i++
		j := i
		for j < len(s) && (isASCIILetter(s[j]) || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i || j-i > 8 {
			return false
		}
		i = j
	}
	return true
}

// naturalLang returns the lang attribute of n when it names a human
// language on an element where it means one (code highlighters put
// programming languages in lang on <pre> and <code>).
func naturalLang(n *html.Node) string {
	if n.Type != html.ElementNode {
		return ""
	}
	switch n.DataAtom {
	case atom.Pre, atom.Code, atom.Html, atom.Body, atom.Kbd, atom.Samp:
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == "lang" && a.Namespace == "" {
			v := strings.TrimSpace(a.Val)
			if isNaturalLang(v) {
				return v
			}
			return ""
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// prepareDOM numbers the footnote references and moves the lang of
// headings, list items and cells onto a span around their content.
func prepareDOM(ctx converter.Context, doc *html.Node) {
	st := getState(ctx)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Sup && st != nil {
				if id := attr(n, "data-fn"); id != "" {
					if st.footnotes == nil {
						st.footnotes = map[string]int{}
					}
					if _, ok := st.footnotes[id]; !ok {
						st.footnotes[id] = len(st.footnotes) + 1
					}
				}
			}
			if langWrapInner[n.DataAtom] {
				if l := naturalLang(n); l != "" && n.FirstChild != nil {
					span := &html.Node{Type: html.ElementNode, Data: "span", DataAtom: atom.Span, Attr: []html.Attribute{{Key: "lang", Val: l}}}
					for c := n.FirstChild; c != nil; {
						next := c.NextSibling
						n.RemoveChild(c)
						span.AppendChild(c)
						c = next
					}
					n.AppendChild(span)
					removeAttr(n, "lang")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	fixCodeLinks(doc)
	fixCaptions(doc)
	fixEmphasis(doc)
}

// codeLike are the elements html-to-markdown writes as code spans, which
// keep only their text.
var codeLike = map[atom.Atom]bool{atom.Code: true, atom.Tt: true, atom.Kbd: true, atom.Samp: true}

// fixCodeLinks turns <code><a href>x</a></code> into <a href><code>x</code></a>
// (and splits code mixing text and links into pieces) so the links survive
// the code span. Code inside <pre> is left alone.
func fixCodeLinks(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch {
			case c.DataAtom == atom.Pre:
				// code blocks: see renderWP
			case codeLike[c.DataAtom] && containsElement(c, atom.A):
				splitCodeAroundLinks(c)
			default:
				fixCodeLinks(c)
			}
		}
		c = next
	}
}

func containsElement(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == a || containsElement(c, a)) {
			return true
		}
	}
	return false
}

// splitCodeAroundLinks replaces code (which holds links) by a sequence of
// code elements and links whose text is code.
func splitCodeAroundLinks(code *html.Node) {
	parent := code.Parent
	wrap := func(kids ...*html.Node) *html.Node {
		w := &html.Node{Type: html.ElementNode, Data: code.Data, DataAtom: code.DataAtom}
		for _, k := range kids {
			w.AppendChild(k)
		}
		return w
	}
	for c := code.FirstChild; c != nil; {
		next := c.NextSibling
		code.RemoveChild(c)
		switch {
		case c.Type == html.TextNode:
			// White space at the edges goes outside the code span.
			t := c.Data
			core := strings.TrimSpace(t)
			if core == "" {
				parent.InsertBefore(c, code)
				break
			}
			i := strings.Index(t, core)
			if i > 0 {
				parent.InsertBefore(&html.Node{Type: html.TextNode, Data: t[:i]}, code)
			}
			parent.InsertBefore(wrap(&html.Node{Type: html.TextNode, Data: core}), code)
			if rest := t[i+len(core):]; rest != "" {
				parent.InsertBefore(&html.Node{Type: html.TextNode, Data: rest}, code)
			}
		case c.Type == html.ElementNode && c.DataAtom == atom.A:
			var kids []*html.Node
			for k := c.FirstChild; k != nil; {
				kn := k.NextSibling
				c.RemoveChild(k)
				kids = append(kids, k)
				k = kn
			}
			c.AppendChild(wrap(kids...))
			parent.InsertBefore(c, code)
		default:
			parent.InsertBefore(wrap(c), code)
		}
		c = next
	}
	parent.RemoveChild(code)
}

// fixCaptions moves a table's <caption> before the table as a paragraph,
// where browsers show it (the table plugin would write it after).
func fixCaptions(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Table {
			for k := c.FirstChild; k != nil; k = k.NextSibling {
				if k.Type == html.ElementNode && k.DataAtom == atom.Caption {
					c.RemoveChild(k)
					k.Data, k.DataAtom = "p", atom.P
					c.Parent.InsertBefore(k, c)
					break
				}
			}
		}
		fixCaptions(c)
	}
}

// Elements html-to-markdown writes with * or ~~ delimiters.
var emphasis = map[atom.Atom]bool{
	atom.Em: true, atom.I: true, atom.Strong: true, atom.B: true,
	atom.Del: true, atom.S: true, atom.Strike: true,
}

// isPunct is CommonMark's punctuation for flanking rules (Unicode P and S).
func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// fixEmphasis unwraps emphasis around no text (an image in <strong>, an
// empty <strong></strong>) and marks emphasis whose delimiters CommonMark
// would not recognise (content starting or ending with punctuation next
// to a letter, common in Chinese: 小镇<strong>“晓起”</strong>，) to be
// written as HTML tags.
func fixEmphasis(doc *html.Node) {
	fixEmphasisWith(doc, nil)
}

// fixEmphasisWith is fixEmphasis writing the text of doc into text, which
// it returns (grown perhaps) for the next call.
func fixEmphasisWith(doc *html.Node, text []byte) []byte {
	// The text of the document in order, with "\n" at block boundaries,
	// and where each emphasis element starts and ends in it.
	type span struct {
		n          *html.Node
		start, end int
	}
	var spans []span
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			text = append(text, n.Data...)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Img || n.DataAtom == atom.Br {
				text = append(text, ' ')
				return
			}
		}
		em := n.Type == html.ElementNode && emphasis[n.DataAtom]
		block := n.Type == html.ElementNode && !em && isBlockElement(n.DataAtom)
		if block {
			text = append(text, '\n')
		}
		start := len(text)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if em {
			spans = append(spans, span{n, start, len(text)})
		}
		if block {
			text = append(text, '\n')
		}
	}
	walk(doc)
	for _, sp := range spans {
		inner := text[sp.start:sp.end]
		trimmed := bytes.TrimFunc(inner, unicode.IsSpace)
		if len(trimmed) == 0 {
			unwrap(sp.n)
			continue
		}
		prev, next := ' ', ' '
		if len(bytes.TrimLeftFunc(inner, unicode.IsSpace)) == len(inner) && sp.start > 0 {
			prev, _ = utf8.DecodeLastRune(text[:sp.start])
		}
		if len(bytes.TrimRightFunc(inner, unicode.IsSpace)) == len(inner) && sp.end < len(text) {
			next, _ = utf8.DecodeRune(text[sp.end:])
		}
		first, _ := utf8.DecodeRune(trimmed)
		last, _ := utf8.DecodeLastRune(trimmed)
		openOK := !isPunct(first) || unicode.IsSpace(prev) || isPunct(prev)
		closeOK := !isPunct(last) || unicode.IsSpace(next) || isPunct(next)
		if !openOK || !closeOK {
			sp.n.Attr = append(sp.n.Attr, html.Attribute{Key: "data-wpmd-html", Val: "1"})
		}
	}
	return text
}

// unwrap replaces n by its children.
func unwrap(n *html.Node) {
	p := n.Parent
	if p == nil {
		return
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		p.InsertBefore(c, n)
		c = next
	}
	p.RemoveChild(n)
}

func isBlockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Blockquote, atom.Pre, atom.Ul, atom.Ol, atom.Li, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Tr, atom.Td, atom.Th,
		atom.Caption, atom.Figure, atom.Figcaption, atom.Section, atom.Article, atom.Aside, atom.Header,
		atom.Footer, atom.Nav, atom.Hr, atom.Address, atom.Details, atom.Summary, atom.Body, atom.Form, atom.Fieldset:
		return true
	}
	return false
}

func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}

// renderWP renders what WordPress content needs beyond CommonMark.
func renderWP(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if n.Type != html.ElementNode {
		return converter.RenderTryNext
	}
	st := getState(ctx)
	if st == nil {
		return converter.RenderTryNext
	}
	if l := naturalLang(n); l != "" {
		if langRawBlock[n.DataAtom] {
			writeRawBlock(w, n)
			return converter.RenderSuccess
		}
		if !langWrapInner[n.DataAtom] {
			// Inline element: raw tags around Markdown content.
			var open bytes.Buffer
			shallow := &html.Node{Type: html.ElementNode, Data: n.Data, DataAtom: n.DataAtom, Attr: n.Attr}
			_ = html.Render(&open, shallow)
			tag := open.String()
			closeTag := "</" + n.Data + ">"
			w.WriteString(strings.TrimSuffix(tag, closeTag))
			ctx.RenderChildNodes(ctx, w, n)
			w.WriteString(closeTag)
			return converter.RenderSuccess
		}
	}
	if attr(n, "data-wpmd-html") != "" {
		removeAttr(n, "data-wpmd-html")
		w.WriteString("<" + n.Data + ">")
		ctx.RenderChildNodes(ctx, w, n)
		w.WriteString("</" + n.Data + ">")
		return converter.RenderSuccess
	}
	switch n.Data {
	case "blockquote":
		renderBlockquote(ctx, w, n)
		return converter.RenderSuccess
	case "pre":
		// A <pre> with links or formatting stays HTML: a code block would
		// keep only its text.
		if hasMarkup(n) {
			var buf bytes.Buffer
			_ = html.Render(&buf, n)
			w.WriteString("\n\n")
			w.Write(bytes.ReplaceAll(buf.Bytes(), []byte("\n"), marker.BytesMarkerCodeBlockNewline))
			w.WriteString("\n\n")
			return converter.RenderSuccess
		}
	case "wp-more":
		w.WriteString("\n\n<!--more-->\n\n")
		return converter.RenderSuccess
	case "iframe":
		if kind, id := embedFromIframe(attr(n, "src")); kind != "" && st.flavor == Hugo {
			w.WriteString("\n\n" + hugoOpen + " " + kind + " " + id + " >}}\n\n")
			return converter.RenderSuccess
		}
		// Players stand on their own, as WordPress displays them.
		w.WriteString("\n\n")
		writeRawInline(w, n)
		w.WriteString("\n\n")
		return converter.RenderSuccess
	case "audio", "video":
		w.WriteString("\n\n")
		writeRawInline(w, n)
		w.WriteString("\n\n")
		return converter.RenderSuccess
	case "script":
		// Embeds (gists, widgets) are scripts: kept as they are.
		writeRawBlock(w, n)
		return converter.RenderSuccess
	case "object", "embed":
		writeRawInline(w, n)
		return converter.RenderSuccess
	case "wp-raw":
		// A shortcode kept verbatim: its text, unescaped.
		w.WriteString(textContent(n))
		return converter.RenderSuccess
	case "sup":
		if id := attr(n, "data-fn"); id != "" {
			if num, ok := st.footnotes[id]; ok {
				w.WriteString("[^" + strconv.Itoa(num) + "]")
				return converter.RenderSuccess
			}
		}
	case "ol":
		if hasClass(n, "wp-block-footnotes") {
			renderFootnoteList(ctx, w, n, st)
			return converter.RenderSuccess
		}
	case "ul":
		if hasClass(n, "blocks-gallery-grid") || hasClass(n, "wp-block-gallery") {
			for li := n.FirstChild; li != nil; li = li.NextSibling {
				if li.Type == html.ElementNode {
					w.WriteString("\n\n")
					ctx.RenderChildNodes(ctx, w, li)
					w.WriteString("\n\n")
				}
			}
			return converter.RenderSuccess
		}
	case "figure":
		return renderFigure(ctx, w, n, st)
	}
	return converter.RenderTryNext
}

// hasMarkup reports whether a <pre> holds links, images or text formatting.
func hasMarkup(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.A, atom.Img, atom.Em, atom.Strong, atom.B, atom.I, atom.U, atom.S, atom.Del, atom.Ins, atom.Mark, atom.Sub, atom.Sup, atom.Strike:
			return true
		}
		if hasMarkup(c) {
			return true
		}
	}
	return false
}

// renderBlockquote is html-to-markdown's blockquote with code blocks that
// keep their "> " prefix on every line (the library prefixes only lines
// it already split, and code block newlines are still markers then).
func renderBlockquote(ctx converter.Context, w converter.Writer, n *html.Node) {
	var buf bytes.Buffer
	ctx.RenderChildNodes(ctx, &buf, n)
	writeBlockquote(w, buf.Bytes())
}

// writeBlockquote writes the rendered children of a block quote as one.
func writeBlockquote(w converter.Writer, content []byte) {
	content = bytes.TrimSpace(content)
	if len(content) == 0 {
		return
	}
	content = reManyBlankLines.ReplaceAll(content, []byte("\n\n"))
	content = bytes.ReplaceAll(content, marker.BytesMarkerCodeBlockNewline, []byte("\n"))
	w.WriteString("\n\n> ")
	w.Write(bytes.ReplaceAll(content, []byte("\n"), []byte("\n> ")))
	w.WriteString("\n\n")
}

var reManyBlankLines = regexp.MustCompile(`\n(?:[ \t]*\n){2,}`)

// renderFootnoteList writes the footnotes block as Markdown footnote
// definitions, numbered like their references.
func renderFootnoteList(ctx converter.Context, w converter.Writer, n *html.Node, st *mdState) {
	next := len(st.footnotes) + 1
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		id := attr(li, "id")
		num, ok := st.footnotes[id]
		if !ok {
			num = next
			next++
		}
		// Drop the link back to the reference: Markdown makes its own.
		for c := li.LastChild; c != nil; c = c.PrevSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.A && strings.HasSuffix(attr(c, "href"), "-link") {
				li.RemoveChild(c)
				break
			}
		}
		var buf bytes.Buffer
		ctx.RenderChildNodes(ctx, &buf, li)
		text := strings.TrimSpace(buf.String())
		text = strings.ReplaceAll(text, "\n", "\n    ")
		w.WriteString("\n\n[^" + strconv.Itoa(num) + "]: " + text + "\n\n")
	}
}

// significant returns the element and non-blank text children of n.
func significant(n *html.Node) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.ElementNode:
			if c.DataAtom == atom.Br {
				continue
			}
			out = append(out, c)
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// figureParts recognises a figure holding one image (optionally linked)
// and an optional caption.
func figureParts(n *html.Node) (img, link, caption *html.Node, ok bool) {
	kids := significant(n)
	for len(kids) == 1 && kids[0].Type == html.ElementNode && (kids[0].DataAtom == atom.Div || kids[0].DataAtom == atom.P) {
		kids = significant(kids[0])
	}
	for _, k := range kids {
		if k.Type != html.ElementNode {
			return nil, nil, nil, false
		}
		switch k.DataAtom {
		case atom.Img:
			if img != nil {
				return nil, nil, nil, false
			}
			img = k
		case atom.A:
			inner := significant(k)
			if img != nil || len(inner) != 1 || inner[0].DataAtom != atom.Img {
				return nil, nil, nil, false
			}
			img, link = inner[0], k
		case atom.Figcaption:
			if caption != nil {
				return nil, nil, nil, false
			}
			caption = k
		default:
			return nil, nil, nil, false
		}
	}
	return img, link, caption, img != nil && attr(img, "src") != ""
}

// renderFigure writes a captioned image figure as Hugo's figure shortcode,
// or for Jekyll as a Markdown image followed by its caption; without a
// caption it is a Markdown image (linked if it was). Other figures
// (tables, embeds, galleries) render their children.
func renderFigure(ctx converter.Context, w converter.Writer, n *html.Node, st *mdState) converter.RenderStatus {
	img, link, caption, ok := figureParts(n)
	if !ok {
		return converter.RenderTryNext
	}
	var capMD string
	if caption != nil {
		var buf bytes.Buffer
		ctx.RenderChildNodes(ctx, &buf, caption)
		// Resolve the converter's escape markers now: the caption is
		// quoted below and the markers must not see the added backslashes.
		capMD = strings.Join(strings.Fields(string(ctx.UnEscapeContent(buf.Bytes()))), " ")
	}
	src := strings.TrimSpace(attr(img, "src"))
	alt := strings.Join(strings.Fields(attr(img, "alt")), " ")
	href := ""
	if link != nil {
		href = strings.TrimSpace(attr(link, "href"))
	}
	if st.flavor == Hugo && capMD != "" {
		w.WriteString("\n\n" + hugoOpen + " figure src=" + hugoQuote(src))
		if alt != "" {
			w.WriteString(" alt=" + hugoQuote(alt))
		}
		if href != "" {
			w.WriteString(" link=" + hugoQuote(href))
		}
		if capMD != "" {
			w.WriteString(" caption=" + hugoQuote(capMD))
		}
		w.WriteString(" >}}\n\n")
		return converter.RenderSuccess
	}
	w.WriteString("\n\n")
	if link != nil {
		ctx.RenderNodes(ctx, w, link)
	} else {
		ctx.RenderNodes(ctx, w, img)
	}
	if capMD != "" {
		// The caption on the next line, emphasised unless that would nest
		// emphasis.
		if strings.ContainsAny(capMD, "*_") {
			w.WriteString("\n" + capMD)
		} else {
			w.WriteString("\n*" + capMD + "*")
		}
	}
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

// hugoOpen starts the shortcodes Convert writes; the private-use mark
// tells them from "{{<" in the post's own text (see escapeHugo) and is
// removed there.
const hugoOpen = "\uF8FF{{<"

var reHugoDelim = regexp.MustCompile(`\{\{[<%]`)

// escapeHugo keeps Hugo from reading "{{<" and "{{%" of the post's own
// text (a post about Hugo) as shortcodes: a complete one is written in
// Hugo's comment form {{</* … */>}}, which Hugo prints literally, a lone
// delimiter gets a zero-width space after its braces.
func escapeHugo(md string) string {
	if !strings.Contains(md, "{{<") && !strings.Contains(md, "{{%") {
		return md
	}
	var b strings.Builder
	b.Grow(len(md))
	last := 0
	for _, loc := range reHugoDelim.FindAllStringIndex(md, -1) {
		i := loc[0]
		if i < last {
			continue
		}
		if strings.HasSuffix(md[:i], "\uF8FF") {
			b.WriteString(md[last : i-len("\uF8FF")])
			last = i
			continue
		}
		closer := ">}}"
		if md[i+2] == '%' {
			closer = "%}}"
		}
		b.WriteString(md[last:i])
		rest := md[i+3:]
		end := strings.Index(rest, closer)
		if end >= 0 && end < 500 && !strings.Contains(rest[:end], "{{") && !strings.HasPrefix(rest, "/*") {
			b.WriteString(md[i:i+3] + "/*" + rest[:end] + "*/" + closer)
			last = i + 3 + end + len(closer)
			continue
		}
		b.WriteString("{{\u200b" + md[i+2:i+3])
		last = i + 3
	}
	b.WriteString(md[last:])
	// Marks skipped above, inside a delimiter written in comment form.
	return strings.ReplaceAll(b.String(), "\uF8FF{{<", "{{<")
}

// hugoQuote quotes a shortcode parameter value for Hugo: double quotes
// escaped with a backslash, no newline, no trailing backslash.
func hugoQuote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, `"`, `\"`)
	if strings.HasSuffix(s, `\`) {
		s += " "
	}
	return `"` + s + `"`
}

var reBlankLines = regexp.MustCompile(`\n[ \t]*\n+`)

// writeRawBlock writes n as an HTML block: on lines of its own, without
// blank lines inside (a blank line would end the HTML block).
func writeRawBlock(w converter.Writer, n *html.Node) {
	var buf bytes.Buffer
	_ = html.Render(&buf, n)
	s := replaceRe(reBlankLines, strings.TrimSpace(buf.String()), "\n")
	w.WriteString("\n\n")
	w.WriteString(s)
	w.WriteString("\n\n")
}

func textContent(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textContent(c))
	}
	return b.String()
}

// writeRawInline writes n as inline HTML on one line.
func writeRawInline(w converter.Writer, n *html.Node) {
	var buf bytes.Buffer
	_ = html.Render(&buf, n)
	w.WriteString(strings.Join(strings.Fields(buf.String()), " "))
}
