package markdown

import (
	"regexp"
	"strconv"
	"strings"
)

// allBlocks is wpautop's list of block-level elements, as a regexp group.
const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

// The regular expressions of wpautop(), in the order WordPress applies them.
// PCRE features RE2 lacks (look-behind, back-references) are done by hand
// in the functions below.
var (
	reDoubleBr        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	reBlockOpen       = regexp.MustCompile(`(<` + allBlocks + `[\s/>])`)
	reBlockClose      = regexp.MustCompile(`(</` + allBlocks + `>)`)
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
	reManyNewlines    = regexp.MustCompile(`\n\n+`)
	reParaSplit       = regexp.MustCompile(`\n\s*\n`)
	reEmptyPara       = regexp.MustCompile(`<p>\s*</p>`)
	reUnclosedDiv     = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	reParaAroundBlock = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	reParaLi          = regexp.MustCompile(`<p>(<li.+?)</p>`)
	reParaBlockquote  = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	reParaBeforeBlock = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	reParaAfterBlock  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	reBrAfterBlock    = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
	reBrBeforeBlock   = regexp.MustCompile(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
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
	s += "\n"

	// <pre> elements are replaced by placeholders and restored at the end.
	var preNames, preBodies []string
	if strings.Contains(s, "<pre") {
		parts := strings.Split(s, "</pre>")
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

	s = reDoubleBr.ReplaceAllString(s, "\n\n")
	s = reBlockOpen.ReplaceAllString(s, "\n\n$1")
	s = reBlockClose.ReplaceAllString(s, "$1\n\n")
	s = reHr.ReplaceAllString(s, "$1\n\n")
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	s = replaceNewlinesInTags(s, " <!-- wpnl --> ")

	if strings.Contains(s, "<option") {
		s = reOptionBefore.ReplaceAllString(s, "<option")
		s = reOptionAfter.ReplaceAllString(s, "</option>")
	}
	if strings.Contains(s, "</object>") {
		s = reObjectOpen.ReplaceAllString(s, "$1")
		s = reObjectClose.ReplaceAllString(s, "</object>")
		s = reParamEmbed.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "<source") || strings.Contains(s, "<track") {
		s = reMediaOpen.ReplaceAllString(s, "$1")
		s = reMediaClose.ReplaceAllString(s, "$1")
		s = reSourceTrack.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "<figcaption") {
		s = reFigcaptionOpen.ReplaceAllString(s, "$1")
		s = reFigcaptionClose.ReplaceAllString(s, "</figcaption>")
	}

	s = reManyNewlines.ReplaceAllString(s, "\n\n")

	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for _, piece := range reParaSplit.Split(s, -1) {
		if piece == "" { // PREG_SPLIT_NO_EMPTY
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(piece, "\n"))
		b.WriteString("</p>\n")
	}
	s = b.String()

	s = reEmptyPara.ReplaceAllString(s, "")
	s = reUnclosedDiv.ReplaceAllString(s, "<p>$1</p></$2>")
	s = reParaAroundBlock.ReplaceAllString(s, "$1")
	s = reParaLi.ReplaceAllString(s, "$1")
	s = reParaBlockquote.ReplaceAllString(s, "<blockquote$1><p>")
	s = strings.ReplaceAll(s, "</blockquote></p>", "</p></blockquote>")
	s = reParaBeforeBlock.ReplaceAllString(s, "$1")
	s = reParaAfterBlock.ReplaceAllString(s, "$1")

	// Line breaks ($br = true).
	s = preserveNewlinesIn(s, "<WPPreserveNewline />")
	s = strings.ReplaceAll(s, "<br>", "<br />")
	s = strings.ReplaceAll(s, "<br/>", "<br />")
	s = newlinesToBr(s)
	s = strings.ReplaceAll(s, "<WPPreserveNewline />", "\n")

	s = reBrAfterBlock.ReplaceAllString(s, "$1")
	s = reBrBeforeBlock.ReplaceAllString(s, "$1")
	// PCRE's $ also matches before a final newline.
	if strings.HasSuffix(s, "\n</p>") {
		s = s[:len(s)-len("\n</p>")] + "</p>"
	} else if strings.HasSuffix(s, "\n</p>\n") {
		s = s[:len(s)-len("\n</p>\n")] + "</p>\n"
	}

	for i, name := range preNames {
		s = strings.ReplaceAll(s, name, preBodies[i])
	}
	if strings.Contains(s, "<!-- wpnl -->") {
		s = strings.ReplaceAll(s, " <!-- wpnl --> ", "\n")
		s = strings.ReplaceAll(s, "<!-- wpnl -->", "\n")
	}
	return s
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
func replaceNewlinesInTags(s, repl string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	changed := false
	last := 0
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		start := i + j
		end := htmlTokenEnd(s, start)
		if strings.Contains(s[start:end], "\n") {
			if !changed {
				b.Grow(len(s) + 64)
				changed = true
			}
			b.WriteString(s[last:start])
			b.WriteString(strings.ReplaceAll(s[start:end], "\n", repl))
			last = end
		}
		i = end
	}
	if !changed {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// preserveNewlinesIn replaces the newlines of every <script>, <style> and
// <svg> element by placeholder, like
// preg_replace_callback('/<(script|style|svg).*?<\/\1>/s', …).
func preserveNewlinesIn(s, placeholder string) string {
	if !strings.Contains(s, "<s") {
		return s
	}
	var b strings.Builder
	last := 0
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
		b.WriteString(s[last:start])
		b.WriteString(strings.ReplaceAll(s[start:end], "\n", placeholder))
		last = end
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// isPCRESpace reports whether c is in PCRE's \s class (non-UTF mode).
func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// newlinesToBr is preg_replace('|(?<!<br />)\s*\n|', "<br />\n", $s): every
// run of white space that ends in a newline becomes "<br />\n" unless it
// directly follows "<br />".
func newlinesToBr(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/16)
	for p := 0; p < len(s); {
		c := s[p]
		if !isPCRESpace(c) {
			// Copy up to the next white space in one go.
			q := p + 1
			for q < len(s) && !isPCRESpace(s[q]) {
				q++
			}
			b.WriteString(s[p:q])
			p = q
			continue
		}
		if strings.HasSuffix(s[:p], "<br />") {
			b.WriteByte(c)
			p++
			continue
		}
		e, lastNL := p, -1
		for e < len(s) && isPCRESpace(s[e]) {
			if s[e] == '\n' {
				lastNL = e
			}
			e++
		}
		if lastNL < 0 {
			b.WriteString(s[p:e])
			p = e
			continue
		}
		b.WriteString("<br />\n")
		p = lastNL + 1
	}
	return b.String()
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
	if !strings.Contains(s, "<p>[") && !strings.Contains(s, "<p> ") && !strings.Contains(s, "<p>\u00a0") && !strings.Contains(s, "<p>&nbsp;") && !strings.Contains(s, "<p>\t") && !strings.Contains(s, "<p>\n") && !strings.Contains(s, "<p>\r") {
		return s
	}
	var b strings.Builder
	last := 0
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
		sc, ok := matchShortcode(s, k, isTag, false)
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
		b.WriteString(s[last:start])
		b.WriteString(sc.Raw)
		last = e + 4
		i = last
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
