package markdown

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// allBlocks is wpautop's list of block-level elements, as a regexp group.
const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

// The regular expressions of wpautop(), in the order WordPress applies them.
// PCRE features RE2 lacks (look-behind, back-references) are done by hand
// in the functions below.
var (
	reDoubleBr        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	reHr              = regexp.MustCompile(`(<hr\s*?/?>)`)
	reOptionBefore    = regexp.MustCompile(`\s*<option`)
	reOptionAfter     = regexp.MustCompile(`</option>\s*`)
	reObjectOpen      = regexp.MustCompile(`(<object[^>]*>)\s*`)
	reObjectClose     = regexp.MustCompile(`\s*</object>`)
	reParamEmbed      = regexp.MustCompile(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	reMediaOpen       = regexp.MustCompile(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	reMediaClose      = regexp.MustCompile(`\s*([<\[]/(?:audio|video)[>\]])`)
	reSourceTrack     = regexp.MustCompile(`\s*(<(?:source|track)[^>]*>)\s*`)
	reFigcaptionOpen  = regexp.MustCompile(`\s*(<figcaption[^>]*>)`)
	reFigcaptionClose = regexp.MustCompile(`</figcaption>\s*`)
)

// Wpautop returns s with double line breaks turned into paragraphs and the
// remaining single line breaks into <br />, as WordPress's wpautop($s, true)
// does when it renders classic-editor content. It is a port of the function
// in wp-includes/formatting.php: the same block-element list, <pre> contents
// left untouched, newlines inside tags and comments preserved, no <br />
// inside <script>, <style> and <svg>. Blank input gives "".
func Wpautop(s string) string {
	if strings.Trim(s, " \t\n\r\x00\x0B") == "" {
		return ""
	}

	// <pre> elements are replaced by placeholders and restored at the end.
	var preNames, preBodies []string
	hasPre := strings.Contains(s, "<pre")
	if hasPre {
		parts := strings.Split(s+"\n", "</pre>")
		last := parts[len(parts)-1]
		var b strings.Builder
		for _, part := range parts[:len(parts)-1] {
			start := strings.Index(part, "<pre")
			if start < 0 { // malformed HTML
				b.WriteString(part)
				continue
			}
			name := "<pre wp-pre-tag-" + strconv.Itoa(len(preNames)) + "></pre>"
			preNames = append(preNames, name)
			preBodies = append(preBodies, part[start:]+"</pre>")
			b.WriteString(part[:start])
			b.WriteString(name)
		}
		b.WriteString(last)
		s = b.String()
	}

	pb := bufPool.Get().(*passBufs)
	if !hasPre {
		// s += "\n", into a buffer.
		b := append(pb.begin(s), s...)
		s = pb.end(append(b, '\n'))
	}
	has := scanAutop(s)
	if has.br {
		s = replaceRe(reDoubleBr, s, "\n\n")
	}
	s = spaceAroundBlocks(pb, s)
	if has.hr {
		s = replaceRe(reHr, s, "$1\n\n")
	}
	if has.cr {
		s = replaceAll(pb, s, "\r\n", "\n")
		s = replaceAll(pb, s, "\r", "\n")
	}
	s = replaceNewlinesInTags(pb, s, " <!-- wpnl --> ")

	if has.option {
		s = replaceRe(reOptionBefore, s, "<option")
		s = replaceRe(reOptionAfter, s, "</option>")
	}
	if has.objectEnd {
		s = replaceRe(reObjectOpen, s, "$1")
		s = replaceRe(reObjectClose, s, "</object>")
		s = replaceRe(reParamEmbed, s, "$1")
	}
	if has.sourceTrack {
		s = replaceRe(reMediaOpen, s, "$1")
		s = replaceRe(reMediaClose, s, "$1")
		s = replaceRe(reSourceTrack, s, "$1")
	}
	if has.figcaption {
		s = replaceRe(reFigcaptionOpen, s, "$1")
		s = replaceRe(reFigcaptionClose, s, "</figcaption>")
	}

	// preg_replace("/\n\n+/", "\n\n") comes here in WordPress; every
	// "\n\n" lies inside a separator of the split below, so it changes
	// nothing that is kept.
	b := pb.begin(s)
	forEachParagraph(s, func(piece string) {
		b = append(b, "<p>"...)
		b = append(b, strings.Trim(piece, "\n")...)
		b = append(b, "</p>\n"...)
	})
	s = pb.end(b)

	s = dropEmptyParagraphs(pb, s)
	s = closeParaInDiv(pb, s)
	s = unwrapParaAroundBlock(pb, s)
	s = unwrapParaLi(pb, s)
	s = moveParaIntoBlockquote(pb, s)
	if has.blockquoteEnd {
		s = replaceAll(pb, s, "</blockquote></p>", "</p></blockquote>")
	}
	s = dropAfterBlockTag(pb, dropParaBeforeBlock(pb, s), "</p>")

	// Line breaks ($br = true).
	preserved := preserveNewlinesIn(pb, s, "<WPPreserveNewline />")
	preserving := has.preserve || preserved != s
	s = preserved
	if has.br {
		s = replaceAll(pb, s, "<br>", "<br />")
		s = replaceAll(pb, s, "<br/>", "<br />")
	}
	s = newlinesToBr(pb, s)
	if preserving {
		s = replaceAll(pb, s, "<WPPreserveNewline />", "\n")
	}

	s = dropAfterBlockTag(pb, s, "<br />")
	s = dropBrBeforeBlock(pb, s)
	// PCRE's $ also matches before a final newline.
	if strings.HasSuffix(s, "\n</p>") {
		s = s[:len(s)-len("\n</p>")] + "</p>"
	} else if strings.HasSuffix(s, "\n</p>\n") {
		s = s[:len(s)-len("\n</p>\n")] + "</p>\n"
	}

	for i, name := range preNames {
		s = replaceAll(pb, s, name, preBodies[i])
	}
	if strings.Contains(s, "<!-- wpnl -->") {
		s = replaceAll(pb, s, " <!-- wpnl --> ", "\n")
		s = replaceAll(pb, s, "<!-- wpnl -->", "\n")
	}
	if holds(pb.b[0], s) || holds(pb.b[1], s) {
		s = strings.Clone(s)
	}
	pb.release()
	return s
}

// autopHas says which strings Wpautop's optional passes look for are in
// its input: "<br", "<hr", "\r", "<option", "</object>", "<source" or
// "<track", "<figcaption", "</blockquote>", "<WPPreserveNewline />".
type autopHas struct {
	br, hr, cr, option, objectEnd, sourceTrack, figcaption, blockquoteEnd, preserve bool
}

// scanAutop finds the strings of autopHas in s in one pass over its
// "<"s, where strings.Contains made one pass for each. Wpautop scans
// its input once, before the passes that each flag gates: the passes in
// between only insert white space next to tags, put "\n" for "\r",
// replace newlines inside tags by " <!-- wpnl --> ", or drop white space
// next to tags (or a pair of <br>), which neither makes nor removes any
// of those strings, so each flag is what strings.Contains said at its
// check (TestScanAutop compares them). Until the line breaks are made,
// no pass makes "<br>" or "<br/>" without a "<br" in the input, nor
// "</blockquote></p>" without a "</blockquote>" (the paragraphs add
// "<p>" and "</p>" only), nor "<WPPreserveNewline />" but
// preserveNewlinesIn.
func scanAutop(s string) (has autopHas) {
	has.cr = strings.IndexByte(s, '\r') >= 0
	for i := 0; ; {
		k := strings.IndexByte(s[i:], '<')
		if k < 0 {
			return has
		}
		i += k + 1
		switch rest := s[i:]; {
		case strings.HasPrefix(rest, "br"):
			has.br = true
		case strings.HasPrefix(rest, "hr"):
			has.hr = true
		case strings.HasPrefix(rest, "option"):
			has.option = true
		case strings.HasPrefix(rest, "/object>"):
			has.objectEnd = true
		case strings.HasPrefix(rest, "source"), strings.HasPrefix(rest, "track"):
			has.sourceTrack = true
		case strings.HasPrefix(rest, "figcaption"):
			has.figcaption = true
		case strings.HasPrefix(rest, "/blockquote>"):
			has.blockquoteEnd = true
		case strings.HasPrefix(rest, "WPPreserveNewline />"):
			has.preserve = true
		}
	}
}

// release puts pb back in bufPool, without buffers so large that
// keeping them would hold memory few posts need.
func (pb *passBufs) release() {
	for i := range pb.b {
		if cap(pb.b[i]) > 1<<20 {
			pb.b[i] = nil
		}
	}
	bufPool.Put(pb)
}

// replaceRe is re.ReplaceAllString(s, repl) without its copy of s when
// nothing matches, the usual case.
func replaceRe(re *regexp.Regexp, s, repl string) string {
	if re.FindStringIndex(s) == nil {
		return s
	}
	return re.ReplaceAllString(s, repl)
}

// replaceReFunc is re.ReplaceAllStringFunc(s, fn) without its copy of s
// when nothing matches.
func replaceReFunc(re *regexp.Regexp, s string, fn func(string) string) string {
	if re.FindStringIndex(s) == nil {
		return s
	}
	return re.ReplaceAllStringFunc(s, fn)
}

// The block elements of allBlocks. The regular expressions using them are
// done by hand below: RE2 runs alternations of forty names slowly on every
// '<'.
var (
	blockNames = strings.Fields("table thead tfoot caption col colgroup tbody tr td th div dl dd dt ul ol li pre form map area blockquote address math style p h1 h2 h3 h4 h5 h6 hr fieldset legend section article aside hgroup header footer nav figure figcaption details menu summary")
	blockSet   = map[string]bool{}
	// blockByLetter lists the block names by first letter, shortest
	// prefixes only ("p" covers "pre", "col" covers "colgroup").
	blockByLetter [26][]string
)

func init() {
	for _, n := range blockNames {
		blockSet[n] = true
	}
	for _, n := range blockNames {
		covered := false
		for _, m := range blockNames {
			if m != n && strings.HasPrefix(n, m) {
				covered = true
			}
		}
		if !covered {
			blockByLetter[n[0]-'a'] = append(blockByLetter[n[0]-'a'], n)
		}
	}
}

// startsBlockName reports whether s starts with a name of allBlocks.
func startsBlockName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, n := range blockByLetter[s[0]-'a'] {
		if strings.HasPrefix(s, n) {
			return true
		}
	}
	return false
}

// startsBrName reports whether s starts with p, li, div, dl, dd, dt, th,
// pre, td, ul or ol.
func startsBrName(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case 'p':
		return true
	case 'l':
		return strings.HasPrefix(s, "li")
	case 'd':
		return strings.HasPrefix(s, "div") || strings.HasPrefix(s, "dl") || strings.HasPrefix(s, "dd") || strings.HasPrefix(s, "dt")
	case 't':
		return strings.HasPrefix(s, "th") || strings.HasPrefix(s, "td")
	case 'u':
		return strings.HasPrefix(s, "ul")
	case 'o':
		return strings.HasPrefix(s, "ol")
	}
	return false
}

// blockName returns the length of the block element name at s[i:] when it
// is followed by one of the bytes in follow (the exact-name patterns
// <allblocks[\s/>] and </allblocks>), else 0.
func blockName(s string, i int, follow string) int {
	j := i
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j == i || j >= len(s) || !blockSet[s[i:j]] || strings.IndexByte(follow, s[j]) < 0 {
		return 0
	}
	return j - i
}

// prefixTagEnd matches </?(?:names)[^>]*> at s[i] (which is '<'): a tag
// whose name starts with one of names, as the PCRE alternation matches it.
// It returns the end of the tag, or -1.
func prefixTagEnd(s string, i int, set func(string) bool) int {
	j := i + 1
	if j < len(s) && s[j] == '/' {
		j++
	}
	if !set(s[j:]) {
		return -1
	}
	e := strings.IndexByte(s[j:], '>')
	if e < 0 {
		return -1
	}
	return j + e + 1
}

func skipPCRESpace(s string, i int) int {
	for i < len(s) && isPCRESpace(s[i]) {
		i++
	}
	return i
}

// spaceAroundBlocks adds a blank line before every block-level opening
// tag and after every block-level closing tag:
// preg_replace('!(<allblocks[\s/>])!', "\n\n$1") then
// preg_replace('!(</allblocks>)!', "$1\n\n").
func spaceAroundBlocks(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(s[i:], '<')
		if k < 0 {
			break
		}
		i += k
		if i+1 >= len(s) {
			continue
		}
		if s[i+1] == '/' {
			if n := blockName(s, i+2, ">"); n > 0 {
				end := i + 2 + n + 1
				out.replace(end, end, "\n\n")
				i = end - 1
			}
			continue
		}
		if n := blockName(s, i+1, " \t\n\v\f\r/>"); n > 0 {
			out.replace(i, i, "\n\n")
			// The regexp consumes the following character too.
			i += n + 1
		}
	}
	return out.String()
}

// spliced is s with some of its spans replaced, built left to right by
// the hand-written preg_replace passes below: s is copied only from the
// first replacement on, since most posts need none. With bufs set it is
// written into whichever of Wpautop's two buffers does not hold s.
type spliced struct {
	s       string
	bufs    *passBufs
	out     []byte
	last    int // s[last:] is still to be written
	changed bool
}

// replace writes s up to from, then with in place of s[from:to].
func (p *spliced) replace(from, to int, with ...string) {
	if !p.changed {
		p.out = p.bufs.begin(p.s)
		p.changed = true
	}
	p.out = append(p.out, p.s[p.last:from]...)
	for _, w := range with {
		p.out = append(p.out, w...)
	}
	p.last = to
}

// String returns the result: s itself when nothing was replaced.
func (p *spliced) String() string {
	if !p.changed {
		return p.s
	}
	p.out = append(p.out, p.s[p.last:]...)
	return p.bufs.end(p.out)
}

// passBufs are the two buffers the passes of one Wpautop call write
// their results into in turn, each pass reading the other's result:
// a post goes through some twenty passes, and a new string for each
// was most of what converting it allocated. The strings the passes
// return are views of these buffers (see end), valid until the pass
// after next; Wpautop copies its result out before putting the
// buffers back in bufPool.
type passBufs struct {
	b    [2][]byte
	next int // the buffer begin handed out, which end takes back
}

var bufPool = sync.Pool{New: func() any { return new(passBufs) }}

// holds reports whether s lies in b's array.
func holds(b []byte, s string) bool {
	if cap(b) == 0 || len(s) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b[:1])))
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return p >= start && p < start+uintptr(cap(b))
}

// begin returns an empty buffer with room for s and then some, that does
// not hold s; a new one when pb is nil.
func (pb *passBufs) begin(s string) []byte {
	want := len(s) + len(s)/8
	if pb == nil {
		return make([]byte, 0, want)
	}
	pb.next = 0
	if holds(pb.b[0], s) {
		pb.next = 1
	}
	b := pb.b[pb.next][:0]
	if cap(b) < want {
		b = make([]byte, 0, want)
	}
	return b
}

// end returns b, which begin handed out and the pass filled, as a
// string, keeping b (grown perhaps) for the pass after next. The string
// shares b's bytes: nothing writes to b again before the pass after
// next, or ever when pb is nil (b is then the pass's own).
func (pb *passBufs) end(b []byte) string {
	if pb != nil {
		pb.b[pb.next] = b
	}
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// replaceAll is strings.ReplaceAll(s, old, new) written into bufs.
func replaceAll(pb *passBufs, s, old, new string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; ; {
		j := strings.Index(s[i:], old)
		if j < 0 {
			break
		}
		out.replace(i+j, i+j+len(old), new)
		i += j + len(old)
	}
	return out.String()
}

// unwrapParaAroundBlock is
// preg_replace('!<p>\s*(</?allblocks[^>]*>)\s*</p>!', "$1").
func unwrapParaAroundBlock(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<p>")
		if j < 0 {
			break
		}
		start := i + j
		k := skipPCRESpace(s, start+3)
		if k < len(s) && s[k] == '<' {
			if e := prefixTagEnd(s, k, startsBlockName); e > 0 {
				f := skipPCRESpace(s, e)
				if strings.HasPrefix(s[f:], "</p>") {
					out.replace(start, f+4, s[k:e])
					i = f + 4
					continue
				}
			}
		}
		i = start + 3
	}
	return out.String()
}

// dropParaBeforeBlock is preg_replace('!<p>\s*(</?allblocks[^>]*>)!', "$1").
func dropParaBeforeBlock(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<p>")
		if j < 0 {
			break
		}
		start := i + j
		k := skipPCRESpace(s, start+3)
		if k < len(s) && s[k] == '<' {
			if e := prefixTagEnd(s, k, startsBlockName); e > 0 {
				out.replace(start, e, s[k:e])
				i = e
				continue
			}
		}
		i = start + 3
	}
	return out.String()
}

// dropAfterBlockTag is preg_replace('!(</?allblocks[^>]*>)\s*WHAT!', "$1")
// for WHAT "</p>" or "<br />". It looks for WHAT rather than for the
// tags (every '<'): WHAT goes when only white space stands between it
// and the '>' of a tag that starts with a block name, after the last
// match. Which '<' starts that tag does not matter, only that one
// does: what goes is the white space and WHAT.
func dropAfterBlockTag(pb *passBufs, s, what string) string {
	out := spliced{s: s, bufs: pb}
	done := 0 // the end of the last match: a tag starts here or later
	for i := 0; ; {
		j := strings.Index(s[i:], what)
		if j < 0 {
			break
		}
		w := i + j
		i = w + len(what)
		e := w
		for e > done && isPCRESpace(s[e-1]) {
			e--
		}
		if e > done && s[e-1] == '>' && blockTagEndsAt(s, done, e) {
			out.replace(e, i)
			done = i
		}
	}
	return out.String()
}

// blockTagEndsAt reports whether a tag </?allblocks[^>]*> starting at
// lo or later ends at s[e-1] ('>'): whether one of the '<' after the
// '>' before it (and after lo) starts one.
func blockTagEndsAt(s string, lo, e int) bool {
	if g := strings.LastIndexByte(s[lo:e-1], '>'); g >= 0 {
		lo += g + 1
	}
	for q := lo; q < e-1; q++ {
		k := strings.IndexByte(s[q:e-1], '<')
		if k < 0 {
			return false
		}
		q += k
		if prefixTagEnd(s, q, startsBlockName) > 0 {
			return true
		}
	}
	return false
}

// dropBrBeforeBlock is
// preg_replace('!<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)!', "$1").
func dropBrBeforeBlock(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<br />")
		if j < 0 {
			break
		}
		start := i + j
		k := skipPCRESpace(s, start+6)
		if k < len(s) && s[k] == '<' && prefixTagEnd(s, k, startsBrName) > 0 {
			out.replace(start, start+6)
		}
		i = start + 6
	}
	return out.String()
}

// moveParaIntoBlockquote is
// preg_replace('|<p><blockquote([^>]*)>|i', "<blockquote$1><p>").
func moveParaIntoBlockquote(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<p><")
		if j < 0 {
			break
		}
		start := i + j
		k := start + 4
		if k+10 <= len(s) && strings.EqualFold(s[k:k+10], "blockquote") {
			if e := strings.IndexByte(s[k+10:], '>'); e >= 0 {
				end := k + 10 + e + 1
				out.replace(start, end, s[start+3:end], "<p>")
				i = end
				continue
			}
		}
		i = start + 3
	}
	return out.String()
}

// closeParaInDiv is
// preg_replace('!<p>([^<]+)</(div|address|form)>!', '<p>$1</p></$2>').
func closeParaInDiv(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<p>")
		if j < 0 {
			break
		}
		start := i + j
		k := strings.IndexByte(s[start+3:], '<')
		if k <= 0 {
			i = start + 3
			continue
		}
		k += start + 3
		for _, tag := range [...]string{"</div>", "</address>", "</form>"} {
			if strings.HasPrefix(s[k:], tag) {
				out.replace(k, k, "</p>")
				break
			}
		}
		i = k
	}
	return out.String()
}

// htmlTokenEnd returns the end of the HTML element, comment or CDATA section
// that starts with '<' at s[i], following get_html_split_regex(): a comment
// or CDATA section runs to its terminator or to the end of s, an element to
// the next '>' (inclusive) or to the end of s.
func htmlTokenEnd(s string, i int) int {
	rest := s[i+1:]
	switch {
	case strings.HasPrefix(rest, "!--"):
		if e := strings.Index(rest[3:], "-->"); e >= 0 {
			return i + 1 + 3 + e + 3
		}
		return len(s)
	case strings.HasPrefix(rest, "![CDATA["):
		if e := strings.Index(rest[8:], "]]>"); e >= 0 {
			return i + 1 + 8 + e + 3
		}
		return len(s)
	}
	if e := strings.IndexByte(rest, '>'); e >= 0 {
		return i + 1 + e + 1
	}
	return len(s)
}

// replaceNewlinesInTags replaces "\n" inside HTML elements and comments
// (not in text) by repl: wp_replace_in_html_tags($s, array("\n" => repl)).
func replaceNewlinesInTags(pb *passBufs, s, repl string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		start := i + j
		end := htmlTokenEnd(s, start)
		if strings.Contains(s[start:end], "\n") {
			out.replace(start, end, strings.ReplaceAll(s[start:end], "\n", repl))
		}
		i = end
	}
	return out.String()
}

// preserveNewlinesIn replaces the newlines of every <script>, <style> and
// <svg> element by placeholder, like
// preg_replace_callback('/<(script|style|svg).*?<\/\1>/s', …).
func preserveNewlinesIn(pb *passBufs, s, placeholder string) string {
	if !strings.Contains(s, "<s") {
		return s
	}
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<s")
		if j < 0 {
			break
		}
		start := i + j
		name := ""
		for _, n := range [...]string{"script", "style", "svg"} {
			if strings.HasPrefix(s[start+1:], n) {
				name = n
				break
			}
		}
		if name == "" {
			i = start + 1
			continue
		}
		e := strings.Index(s[start:], "</"+name+">")
		if e < 0 {
			i = start + 1
			continue
		}
		end := start + e + len(name) + 3
		out.replace(start, end, strings.ReplaceAll(s[start:end], "\n", placeholder))
		i = end
	}
	return out.String()
}

// isPCRESpace reports whether c is in PCRE's \s class (non-UTF mode).
func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// newlinesToBr is preg_replace('|(?<!<br />)\s*\n|', "<br />\n", $s): every
// run of white space that ends in a newline becomes "<br />\n" unless it
// directly follows "<br />". It jumps from newline to newline: white
// space without one is copied as it is.
func newlinesToBr(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '\n')
		if k < 0 {
			break
		}
		// The run of white space around the newline: [r, e), its last
		// newline at lastNL.
		nl := i + k
		r := nl
		for r > i && isPCRESpace(s[r-1]) {
			r--
		}
		e, lastNL := nl+1, nl
		for e < len(s) && isPCRESpace(s[e]) {
			if s[e] == '\n' {
				lastNL = e
			}
			e++
		}
		if strings.HasSuffix(s[:r], "<br />") {
			// The look-behind fails at r only: the match starts one later.
			r++
		}
		if r <= lastNL {
			out.replace(r, lastNL+1, "<br />\n")
		}
		i = e
	}
	return out.String()
}

// isRE2Space reports whether c is in RE2's \s class, which lacks \v.
func isRE2Space(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// forEachParagraph calls fn with each non-empty piece of
// regexp.MustCompile(`\n\s*\n`).Split(s, -1), in order: the pieces
// between the runs of white space that hold two newlines or more (a
// separator runs from the first newline of such a run to its last).
func forEachParagraph(s string, fn func(piece string)) {
	beg := 0
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '\n')
		if k < 0 {
			break
		}
		nl := i + k
		e, lastNL := nl+1, nl
		for e < len(s) && isRE2Space(s[e]) {
			if s[e] == '\n' {
				lastNL = e
			}
			e++
		}
		if lastNL > nl {
			if nl > beg {
				fn(s[beg:nl])
			}
			beg = lastNL + 1
		}
		i = e
	}
	if beg < len(s) {
		fn(s[beg:])
	}
}

// dropEmptyParagraphs is preg_replace('/<p>\s*<\/p>/', ”) with RE2's \s.
func dropEmptyParagraphs(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<p>")
		if j < 0 {
			break
		}
		start := i + j
		k := start + 3
		for k < len(s) && isRE2Space(s[k]) {
			k++
		}
		if strings.HasPrefix(s[k:], "</p>") {
			out.replace(start, k+4)
			i = k + 4
			continue
		}
		i = start + 3
	}
	return out.String()
}

// unwrapParaLi is preg_replace('/<p>(<li.+?)<\/p>/', '$1'): the shortest
// run of at least one character other than a newline after "<p><li" up
// to a "</p>".
func unwrapParaLi(pb *passBufs, s string) string {
	out := spliced{s: s, bufs: pb}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<p><li")
		if j < 0 {
			break
		}
		start := i + j
		body := start + len("<p><li")
		if body < len(s) && s[body] != '\n' {
			if e := strings.Index(s[body+1:], "</p>"); e >= 0 {
				end := body + 1 + e
				if strings.IndexByte(s[body:end], '\n') < 0 {
					out.replace(start, end+4, s[start+3:end])
					i = end + 4
					continue
				}
			}
		}
		i = start + 3
	}
	return out.String()
}

// spaceAt returns the length of wp_spaces_regexp() ([\r\n\t ]|\xC2\xA0|&nbsp;)
// matched at s[i:], or 0.
func spaceAt(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r':
		return 1
	case strings.HasPrefix(s[i:], "\u00a0"):
		return 2
	case strings.HasPrefix(s[i:], "&nbsp;"):
		return 6
	}
	return 0
}

// ShortcodeUnautop returns s with the <p> that wpautop put around a
// shortcode standing alone in its paragraph removed, as WordPress's
// shortcode_unautop() does. isTag says which shortcode names are
// registered; nil means every name.
func ShortcodeUnautop(s string, isTag func(name string) bool) string {
	// One pass over the paragraphs: matchShortcodeSpan turns down at once
	// a paragraph that starts with neither white space nor '['. Only the
	// shortcode's extent matters here, not its attributes.
	out := spliced{s: s}
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "<p>")
		if j < 0 {
			break
		}
		start := i + j
		k := start + 3
		for n := spaceAt(s, k); n > 0; n = spaceAt(s, k) {
			k += n
		}
		sc, ok := matchShortcodeSpan(s, k, isTag, false)
		if !ok || sc.Escaped() {
			i = start + 3
			continue
		}
		e := k + len(sc.Raw)
		for n := spaceAt(s, e); n > 0; n = spaceAt(s, e) {
			e += n
		}
		if !strings.HasPrefix(s[e:], "</p>") {
			i = start + 3
			continue
		}
		out.replace(start, e+4, sc.Raw)
		i = e + 4
	}
	return out.String()
}
