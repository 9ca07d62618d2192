package quotes

import (
	"bytes"
	"math/bits"
	"sort"
	"strings"
	"sync"

	"golang.org/x/net/html"
)

// seg maps a stretch of a block's text to the raw content it came from.
// An exact stretch was copied byte for byte; any other (an entity, a run of
// white space, a <br>) maps as a whole.
type seg struct {
	text   int // offset in block text
	raw    int // raw start
	rawEnd int // raw end
	exact  bool
	depth  int // inline elements open around the stretch
	low    int // fewest inline elements open since the previous stretch
}

// block is one paragraph, blockquote, list item, heading or table cell:
// the unit of language and pairing.
type block struct {
	tag     string // element holding the text (p for bare paragraphs)
	holder  int    // index in elems of that element, -1 when none
	quoted  bool   // inside a <blockquote>
	code    bool   // preformatted or source code: not language text
	text    string // decoded, white space collapsed, <br> as "\n"
	textAt  int    // text's range in the post's text (parser.all)
	textEnd int
	segs    []seg
	// lang is text with inline code (<code>, <kbd> …) blanked out to
	// spaces: the same offsets, only language letters.
	langText string
	mask     [][2]int // text ranges of inline code

	// Filled by the analysis.
	ev     *evidence
	lang   string
	script string
	units  float64
	dom    group // the leading group of ev
	ord    int

	hintChecked, hintOK bool // the hint's function words were counted; they confirm it
}

// element is a block-level element of the content, or a shortcode that
// acts as one.
type element struct {
	tag     string
	attrAt  int // raw offset where an attribute can be inserted, -1 for shortcodes
	hasLang bool
	parent  int
	first   int // blocks [first, end) lie inside
	end     int
	code    bool // holds code (codeTags, shortcodeCode): parser.code counts it
}

// blockTags are the elements that start and end paragraphs.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "center": true,
	"dd": true, "details": true, "dialog": true, "dir": true, "div": true, "dl": true,
	"dt": true, "fieldset": true, "figcaption": true, "figure": true, "footer": true,
	"form": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hgroup": true, "hr": true, "li": true, "main": true, "menu": true,
	"nav": true, "ol": true, "p": true, "pre": true, "section": true, "summary": true,
	"table": true, "tbody": true, "td": true, "tfoot": true, "th": true, "thead": true,
	"tr": true, "ul": true, "caption": true, "legend": true, "select": true, "option": true,
	"video": true, "audio": true, "object": true, "iframe": true,
}

// voidTags have no end tag.
var voidTags = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "param": true, "source": true,
	"track": true, "wbr": true,
}

// skipTags hold no reader-visible text.
var skipTags = map[string]bool{
	"script": true, "style": true, "template": true, "textarea": true, "title": true,
	"noscript": true, "xmp": true, "noembed": true, "noframes": true,
}

// codeTags hold text that is code, not language.
var codeTags = map[string]bool{"pre": true, "video": true, "audio": true, "object": true, "iframe": true}

// inlineCodeTags hold code inside a paragraph: kept in its text, left out
// of its language.
var inlineCodeTags = map[string]bool{"code": true, "kbd": true, "samp": true, "tt": true, "var": true}

// tagFlags holds, per tag name, which of the sets above it is in: the
// parser asks once per tag instead of once per set.
var tagFlags = func() map[string]uint8 {
	m := map[string]uint8{}
	for f, set := range map[uint8]map[string]bool{tagBlock: blockTags, tagVoid: voidTags, tagSkip: skipTags, tagCode: codeTags, tagInlineCode: inlineCodeTags} {
		for k := range set {
			m[k] |= f
		}
	}
	return m
}()

const (
	tagBlock uint8 = 1 << iota
	tagVoid
	tagSkip
	tagCode
	tagInlineCode
)

// Shortcodes the parser knows. Any other [word …] is text: posts write
// editorial brackets such as "[in Central Asia]".
var (
	shortcodeCaption = map[string]bool{"caption": true, "wp_caption": true}
	shortcodeCode    = map[string]bool{
		"sourcecode": true, "source": true, "code": true, "php": true, "html": true, "css": true,
		"js": true, "javascript": true, "python": true, "bash": true, "shell": true, "sql": true,
		"xml": true, "java": true, "cpp": true, "c": true, "ruby": true, "text": true, "plain": true,
		"cc": true, "cci": true, "cc_php": true, "cc_python": true, "cc_js": true, "cc_html": true,
		"cc_css": true, "cc_sql": true, "cc_bash": true, "syntax": true, "codesyntax": true,
		"latex": true, "embed": true, "audio": true, "video": true, "playlist": true, "gallery": true,
		"youtube": true, "vimeo": true, "dailymotion": true, "googlemaps": true, "tweet": true,
		"twitter": true, "instagram": true, "soundcloud": true, "slideshow": true, "gist": true,
		"wpvideo": true, "flickr": true, "scribd": true, "spotify": true, "ted": true,
		"archives": true, "polldaddy": true, "contact-form": true, "contact-field": true,
	}
)

// parser splits WordPress post content into blocks.
type parser struct {
	src    string
	blocks []block
	elems  []element
	stack  []int // open elements
	depth  int   // open inline elements
	low    int   // fewest open inline elements since the last text
	skip   int   // inside script, style …
	code   int   // inside pre or a code shortcode
	icode  int   // inside inline code

	cur      *block // the open block (&blk), nil when none
	blk      block
	buf      []byte // text of the open block
	all      []byte // text of the blocks so far, one a line: the post's text
	segs     []seg  // segments of all blocks; the open block's from segStart
	segStart int
	pending  [2]int // raw range of white space not yet written, {-1,-1} when none
}

// scratch holds the slices one Analyze call works in. They live only
// as long as the call (what it returns is copied out of them), so they
// are pooled: a post's blocks, segments and evidence are not allocated
// anew for every post.
type scratch struct {
	buf    []byte // text of the open block
	all    []byte // text of the post
	blocks []block
	segs   []seg
	elems  []element
	stack  []int
	evs    []evidence
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// release clears what could keep strings alive and returns sc to the
// pool, unless a very large post has grown it.
func (sc *scratch) release() {
	clear(sc.blocks)
	clear(sc.elems)
	if cap(sc.blocks) > 1<<10 || cap(sc.segs) > 1<<13 || cap(sc.buf) > 1<<16 || cap(sc.all) > 1<<18 || cap(sc.evs) > 1<<10 {
		return
	}
	sc.blocks, sc.elems = sc.blocks[:0], sc.elems[:0]
	scratchPool.Put(sc)
}

// evidence returns n zeroed evidences.
func (sc *scratch) evidence(n int) []evidence {
	if cap(sc.evs) < n {
		sc.evs = make([]evidence, n)
	}
	sc.evs = sc.evs[:n]
	clear(sc.evs)
	return sc.evs
}

// parse returns the blocks and block-level elements of content.
func parse(content string) ([]block, []element) {
	blocks, elems, _ := parseWith(content, &scratch{})
	return blocks, elems
}

// parseWith is parse working in sc's slices; it also returns the text of
// the blocks, one a line (Result.Text), of which the blocks' texts are
// parts.
func parseWith(content string, sc *scratch) ([]block, []element, string) {
	if strings.IndexByte(content, 0) < 0 {
		if blocks, elems, text, ok := parseFast(content, sc); ok {
			return blocks, elems, text
		}
	}
	return parseSlow(content, sc)
}

func newParser(content string, sc *scratch) *parser {
	p := &parser{src: content, pending: [2]int{-1, -1}, buf: sc.buf[:0], all: sc.all[:0], segs: sc.segs[:0],
		blocks: sc.blocks[:0], elems: sc.elems[:0], stack: sc.stack[:0]}
	if p.buf == nil {
		p.buf = make([]byte, 0, 1024)
	}
	if cap(p.all) < len(content) {
		p.all = make([]byte, 0, len(content))
	}
	if p.segs == nil {
		p.segs = make([]seg, 0, 64)
	}
	if n := 16 + len(content)/400; cap(p.blocks) < n {
		p.blocks = make([]block, 0, n)
	}
	return p
}

// keep hands p's slices back to sc, grown as they are.
func (p *parser) keep(sc *scratch) {
	sc.buf, sc.all, sc.segs, sc.blocks, sc.elems, sc.stack = p.buf[:0], p.all[:0], p.segs[:0], p.blocks, p.elems, p.stack[:0]
}

// finish closes what is open and returns the blocks, the elements and
// the text; the blocks' texts are cut out of it, not copied one by one.
func (p *parser) finish(sc *scratch) ([]block, []element, string) {
	p.flush()
	for _, e := range p.stack {
		p.elems[e].end = len(p.blocks)
	}
	all := string(p.all)
	for i := range p.blocks {
		b := &p.blocks[i]
		b.text = all[b.textAt:b.textEnd]
		if len(b.mask) == 0 {
			b.langText = b.text
		}
	}
	p.keep(sc)
	return p.blocks, p.elems, all
}

// parseFast parses with tokenizer; false when the content needs
// x/net/html's tokenizer.
func parseFast(content string, sc *scratch) ([]block, []element, string, bool) {
	p := newParser(content, sc)
	z := &tokenizer{s: content}
	for {
		if !z.next() {
			clear(p.blocks)
			clear(p.elems)
			p.keep(sc)
			return nil, nil, "", false
		}
		off, n := z.start, z.pos-z.start
		switch z.tt {
		case html.ErrorToken:
			blocks, elems, text := p.finish(sc)
			return blocks, elems, text, true
		case html.TextToken:
			if p.skip == 0 {
				p.text(content[off:off+n], off)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if e := p.start(z.name, z.tt == html.SelfClosingTagToken, off, n); e >= 0 {
				p.elems[e].hasLang = z.hasLang
			}
		case html.EndTagToken:
			p.end(z.name, off, n)
		case html.CommentToken:
			p.comment(z.comment)
		}
	}
}

// parseSlow parses with x/net/html's tokenizer.
func parseSlow(content string, sc *scratch) ([]block, []element, string) {
	p := newParser(content, sc)
	z := html.NewTokenizerFragment(strings.NewReader(content), "div")
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		// Raw is the token's bytes as they stand in content: the text is
		// taken from content itself, without a copy.
		n := len(z.Raw())
		switch tt {
		case html.TextToken:
			if p.skip == 0 {
				p.text(content[off:off+n], off)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if e := p.start(tagName(name), tt == html.SelfClosingTagToken, off, n); e >= 0 {
				for hasAttr {
					var k []byte
					k, _, hasAttr = z.TagAttr()
					if string(k) == "lang" || string(k) == "xml:lang" {
						p.elems[e].hasLang = true
					}
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			p.end(tagName(name), off, n)
		case html.CommentToken:
			p.comment(string(z.Text()))
		}
		off += n
	}
	return p.finish(sc)
}

// comment ends the block at the block editor's comments and at <!--more-->
// and <!--nextpage-->.
func (p *parser) comment(text string) {
	c := strings.TrimSpace(text)
	if strings.HasPrefix(c, "wp:") || strings.HasPrefix(c, "/wp:") || strings.HasPrefix(c, "more") || c == "nextpage" {
		p.flush()
	}
}

// tagNames holds the names of the elements the parser knows, so that the
// name of a tag is not copied for every tag met.
var tagNames = func() map[string]string {
	m := map[string]string{}
	for _, set := range []map[string]bool{blockTags, voidTags, skipTags, codeTags, inlineCodeTags} {
		for k := range set {
			m[k] = k
		}
	}
	for _, k := range []string{"a", "b", "i", "em", "strong", "span", "sup", "sub", "u", "s", "small", "abbr", "cite", "q", "del", "ins", "mark", "font"} {
		m[k] = k
	}
	return m
}()

func tagName(b []byte) string {
	if s, ok := tagNames[string(b)]; ok {
		return s
	}
	return string(b)
}

// start handles a start tag and returns the index in p.elems of the
// element it opens, -1 when it opens none; the caller notes its lang.
func (p *parser) start(name string, selfClosing bool, off, n int) int {
	f := tagFlags[name]
	if f&tagSkip != 0 {
		if !selfClosing {
			p.skip++
		}
		return -1
	}
	if name == "br" {
		p.br(off, n)
		return -1
	}
	if f&tagBlock == 0 {
		if !selfClosing && f&tagVoid == 0 {
			p.depth++
			if f&tagInlineCode != 0 {
				p.icode++
			}
		}
		return -1
	}
	p.flush()
	p.implicitClose(name)
	if selfClosing || f&tagVoid != 0 {
		return -1
	}
	e := element{tag: name, attrAt: off + n - 1, parent: -1, first: len(p.blocks), end: -1, code: f&tagCode != 0}
	if strings.HasSuffix(p.src[off:off+n], "/>") {
		e.attrAt--
	}
	if len(p.stack) > 0 {
		e.parent = p.stack[len(p.stack)-1]
	}
	p.elems = append(p.elems, e)
	p.stack = append(p.stack, len(p.elems)-1)
	if e.code {
		p.code++
	}
	return len(p.elems) - 1
}

// implicitClose closes what HTML closes when name opens: a paragraph before
// any block, a list item before the next, a cell before the next.
func (p *parser) implicitClose(name string) {
	for len(p.stack) > 0 {
		top := p.elems[p.stack[len(p.stack)-1]].tag
		closeIt := top == "p" ||
			(name == "li" && top == "li") ||
			((name == "dt" || name == "dd") && (top == "dt" || top == "dd")) ||
			((name == "td" || name == "th" || name == "tr") && (top == "td" || top == "th")) ||
			(name == "tr" && top == "tr") ||
			(name == "option" && top == "option")
		if !closeIt {
			return
		}
		p.pop()
	}
}

func (p *parser) pop() {
	e := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	p.elems[e].end = len(p.blocks)
	if p.elems[e].code {
		p.code--
	}
}

func (p *parser) end(name string, off, n int) {
	f := tagFlags[name]
	if f&tagSkip != 0 {
		if p.skip > 0 {
			p.skip--
		}
		return
	}
	if name == "br" { // </br> is read as <br>
		p.br(off, n)
		return
	}
	if f&tagBlock == 0 {
		if f&tagVoid == 0 {
			p.depth--
			p.low = min(p.low, p.depth)
			if f&tagInlineCode != 0 && p.icode > 0 {
				p.icode--
			}
		}
		return
	}
	p.flush()
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.elems[p.stack[i]].tag == name && p.elems[p.stack[i]].attrAt >= 0 {
			for len(p.stack) > i {
				p.pop()
			}
			return
		}
	}
}

// br writes a line break into the current block.
func (p *parser) br(off, n int) {
	if p.cur == nil || p.skip > 0 {
		return
	}
	p.pending = [2]int{-1, -1}
	p.emit("\n", off, off+n, false)
}

// text adds a text token (raw bytes at off) to the current block, decoding
// entities, collapsing white space, splitting paragraphs at blank lines and
// reading shortcodes.
func (p *parser) text(raw string, off int) {
	pre := p.code > 0 && p.inPre()
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == ' ' && !pre && p.cur != nil && p.pending[0] < 0 && i+1 < len(raw) && !isWhite(raw[i+1]):
			// One space between words is text as it stands: copy the run.
			j := textRun(raw, i+1)
			p.emit(raw[i:j], off+i, off+j, true)
			i = j
		case isWhite(c):
			j, nl := i, 0
			for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r' || raw[j] == '\f') {
				if raw[j] == '\n' {
					nl++
				}
				j++
			}
			switch {
			case pre:
				if p.cur != nil {
					p.emit(raw[i:j], off+i, off+j, true)
				}
			case nl >= 2:
				p.flush()
			case p.cur != nil:
				if p.pending[0] < 0 {
					p.pending[0] = off + i
				}
				p.pending[1] = off + j
			}
			i = j
		case c == '&':
			j := i + 1
			for j < len(raw) && j-i < 40 && (isASCIILetter(raw[j]) || raw[j] >= '0' && raw[j] <= '9' || raw[j] == '#') {
				j++
			}
			if j < len(raw) && raw[j] == ';' {
				j++
			}
			dec := html.UnescapeString(raw[i:j])
			if dec == raw[i:j] {
				p.emit("&", off+i, off+i+1, true)
				i++
				continue
			}
			p.emit(dec, off+i, off+j, false)
			i = j
		case c == '[':
			if n := p.shortcode(raw[i:], off+i); n > 0 {
				i += n
				continue
			}
			p.emit("[", off+i, off+i+1, true)
			i++
		default:
			j := textRun(raw, i+1)
			p.emit(raw[i:j], off+i, off+j, true)
			i = j
		}
	}
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// textRun returns where the text that needs no decoding, starting at
// raw[i], ends: at an entity, a possible shortcode, or white space other
// than one space between words. It reads eight bytes at a time while
// none of them may stop it.
func textRun(raw string, i int) int {
	for i+9 <= len(raw) {
		// The bytes that may stop the run: '&', '[', bytes below 0x0E
		// (\t \n \f \r and other control bytes), and a space followed
		// by a space or such a byte (next is w moved on by one byte).
		w, next := le64(raw[i:]), le64(raw[i+1:])
		c := zeroBytes(w^('&'*loBits)) | zeroBytes(w^('['*loBits)) | below0E(w) |
			zeroBytes(w^(' '*loBits))&(zeroBytes(next^(' '*loBits))|below0E(next))
		if c == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(c) >> 3
		if textStop[raw[i]] && (raw[i] != ' ' || isWhite(raw[i+1])) {
			return i
		}
		i++ // a control byte that is not white space
	}
	for ; i < len(raw); i++ {
		if !textStop[raw[i]] {
			continue
		}
		if raw[i] != ' ' || i+1 == len(raw) || isWhite(raw[i+1]) {
			return i
		}
	}
	return i
}

// zeroBytes returns the high bit of each zero byte of w.
func zeroBytes(w uint64) uint64 {
	return ^(((w &^ hiBits) + 0x7F*loBits) | w) & hiBits
}

// below0E returns the high bit of each byte of w below 0x0E.
func below0E(w uint64) uint64 {
	return ^(((w &^ hiBits) + (0x80-0x0E)*loBits) | w) & hiBits
}

// textStop marks the bytes where textRun may stop.
var textStop = [256]bool{'&': true, '[': true, '\t': true, '\n': true, '\r': true, '\f': true, ' ': true}

func (p *parser) inPre() bool {
	for _, e := range p.stack {
		if p.elems[e].tag == "pre" {
			return true
		}
	}
	return false
}

// shortcode reads a known shortcode tag at the start of s ("[caption …]",
// "[/caption]") and returns its length, or 0 when s does not start with one.
func (p *parser) shortcode(s string, off int) int {
	closing := strings.HasPrefix(s, "[/")
	i := 1
	if closing {
		i = 2
	}
	j := i
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9' || s[j] == '_' || s[j] == '-') {
		j++
	}
	name := s[i:j]
	if !shortcodeCaption[name] && !shortcodeCode[name] {
		return 0
	}
	if j >= len(s) || (s[j] != ']' && s[j] != ' ' && s[j] != '/') {
		return 0
	}
	k := strings.IndexByte(s[j:], ']')
	if k < 0 {
		return 0
	}
	n := j + k + 1
	p.flush()
	switch {
	case closing:
		for d := len(p.stack) - 1; d >= 0; d-- {
			if e := p.elems[p.stack[d]]; e.tag == name && e.attrAt < 0 {
				for len(p.stack) > d {
					p.pop()
				}
				break
			}
		}
	case strings.HasSuffix(s[:n], "/]"):
		// Self-closing: nothing inside.
	default:
		e := element{tag: name, attrAt: -1, parent: -1, first: len(p.blocks), end: -1, code: shortcodeCode[name]}
		if len(p.stack) > 0 {
			e.parent = p.stack[len(p.stack)-1]
		}
		p.elems = append(p.elems, e)
		p.stack = append(p.stack, len(p.elems)-1)
		if e.code {
			p.code++
		}
	}
	return n
}

// emit appends text that came from raw[from:to] to the current block,
// starting a block if none is open.
func (p *parser) emit(text string, from, to int, exact bool) {
	if p.cur == nil {
		p.begin()
	}
	if p.pending[0] >= 0 {
		if len(p.buf) > 0 {
			p.add(" ", p.pending[0], p.pending[1], p.pending[1]-p.pending[0] == 1 && p.src[p.pending[0]] == ' ')
		}
		p.pending = [2]int{-1, -1}
	}
	p.add(text, from, to, exact)
}

// add appends text and its segment, extending the last segment when both
// are exact and nothing (no tag) lies between them.
func (p *parser) add(text string, from, to int, exact bool) {
	if n := len(p.segs); exact && n > p.segStart {
		if last := &p.segs[n-1]; last.exact && last.rawEnd == from && last.depth == p.depth && p.low == p.depth {
			last.rawEnd = to
			p.write(text)
			return
		}
	}
	p.segs = append(p.segs, seg{text: len(p.buf), raw: from, rawEnd: to, exact: exact, depth: p.depth, low: p.low})
	p.low = p.depth
	p.write(text)
}

// write appends text to the block, noting it as code inside inline code.
func (p *parser) write(text string) {
	if p.icode > 0 {
		b, at := p.cur, len(p.buf)
		if n := len(b.mask); n > 0 && b.mask[n-1][1] == at {
			b.mask[n-1][1] = at + len(text)
		} else {
			b.mask = append(b.mask, [2]int{at, at + len(text)})
		}
	}
	p.buf = append(p.buf, text...)
}

func (p *parser) begin() {
	p.blk = block{holder: -1, tag: "p", code: p.code > 0}
	b := &p.blk
	if len(p.stack) > 0 {
		b.holder = p.stack[len(p.stack)-1]
		b.tag = p.elems[b.holder].tag
		if p.elems[b.holder].attrAt < 0 {
			b.tag = "p"
			if shortcodeCaption[p.elems[b.holder].tag] {
				b.tag = "figcaption"
			}
		}
	}
	for _, e := range p.stack {
		if p.elems[e].tag == "blockquote" {
			b.quoted = true
		}
	}
	if b.quoted && (b.tag == "p" || b.tag == "div") {
		b.tag = "blockquote"
	}
	p.cur = b
	p.buf = p.buf[:0]
	p.segStart = len(p.segs)
}

// flush ends the current block, keeping it when it has visible text.
func (p *parser) flush() {
	p.pending = [2]int{-1, -1}
	b := p.cur
	if b == nil {
		return
	}
	p.cur = nil
	t := bytes.TrimRight(p.buf, " \n\u00a0\u3000\t")
	if len(bytes.Trim(t, " \n\u00a0\u3000\t")) == 0 {
		p.segs = p.segs[:p.segStart]
		return
	}
	// A trailing <br> or &nbsp; is not part of the text.
	end := len(p.segs)
	for end > p.segStart && p.segs[end-1].text >= len(t) {
		end--
	}
	b.segs = p.segs[p.segStart:end:end]
	// The text goes into the post's text; finish cuts it out of that.
	if len(p.blocks) > 0 {
		p.all = append(p.all, '\n')
	}
	b.textAt = len(p.all)
	p.all = append(p.all, t...)
	b.textEnd = len(p.all)
	if len(b.mask) > 0 {
		lt := bytes.Clone(t)
		for _, m := range b.mask {
			for i := m[0]; i < m[1] && i < len(lt); i++ {
				lt[i] = ' '
			}
		}
		b.langText = string(lt)
	}
	p.blocks = append(p.blocks, *b)
}

// rawRange returns the raw byte range of text[from:to] of b. A boundary
// inside an entity or a collapsed white-space run widens to the whole of it.
func (b *block) rawRange(from, to int) (int, int) {
	return b.rawAt(from, false), b.rawAt(to, true)
}

func (b *block) rawAt(pos int, end bool) int {
	i := sort.Search(len(b.segs), func(i int) bool { return b.segs[i].text > pos }) - 1
	if i < 0 {
		return b.segs[0].raw
	}
	s := b.segs[i]
	if end && pos == s.text && i > 0 {
		return b.segs[i-1].rawEnd
	}
	if s.exact {
		return s.raw + pos - s.text
	}
	if end && pos > s.text {
		return s.rawEnd
	}
	if pos == s.text {
		return s.raw
	}
	return s.rawEnd
}

// balanced reports whether the inline elements open at text offset from of
// b are the same at to and never fewer in between, so that a span around
// the raw range is well nested.
func (b *block) balanced(from, to int) bool {
	i := sort.Search(len(b.segs), func(i int) bool { return b.segs[i].text > from }) - 1
	j := sort.Search(len(b.segs), func(i int) bool { return b.segs[i].text >= to }) - 1
	if i < 0 || j < i {
		return false
	}
	d := b.segs[i].depth
	for k := i + 1; k <= j; k++ {
		if b.segs[k].low < d {
			return false
		}
	}
	return b.segs[j].depth == d
}
