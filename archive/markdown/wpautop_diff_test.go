package markdown

import (
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The regular expressions of wpautop() that are hand-written in
// wpautop.go, as WordPress writes them (RE2 accepts these ones as they
// are, with \v added where PCRE's \s has it and RE2's lacks it). The
// hand-written versions must give the same results.
var (
	refBlockOpen       = regexp.MustCompile(`(<` + allBlocks + `[\s\v/>])`)
	refBlockClose      = regexp.MustCompile(`(</` + allBlocks + `>)`)
	refParaAroundBlock = regexp.MustCompile(`<p>[\s\v]*(</?` + allBlocks + `[^>]*>)[\s\v]*</p>`)
	refParaBeforeBlock = regexp.MustCompile(`<p>[\s\v]*(</?` + allBlocks + `[^>]*>)`)
	refParaAfterBlock  = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)[\s\v]*</p>`)
	refBrAfterBlock    = regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)[\s\v]*<br />`)
	refBrBeforeBlock   = regexp.MustCompile(`<br />([\s\v]*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	refUnclosedDiv     = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	refParaBlockquote  = regexp.MustCompile(`<p><blockquote([^>]*)>`)
	refManyNewlines    = regexp.MustCompile(`\n\n+`)
	refParaSplit       = regexp.MustCompile(`\n\s*\n`)
	refEmptyPara       = regexp.MustCompile(`<p>\s*</p>`)
	refParaLi          = regexp.MustCompile(`<p>(<li.+?)</p>`)
)

// refNewlinesToBr is preg_replace('|(?<!<br />)\s*\n|', "<br />\n", $s)
// written out character by character (RE2 has no look-behind).
func refNewlinesToBr(s string) string {
	var b strings.Builder
	for p := 0; p < len(s); {
		c := s[p]
		if !isPCRESpace(c) {
			b.WriteByte(c)
			p++
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

// refParagraphs is Wpautop's split into paragraphs as WordPress writes
// it: newline runs collapsed, then preg_split('/\n\s*\n/', …,
// PREG_SPLIT_NO_EMPTY); the pieces joined by NUL.
func refParagraphs(s string) string {
	var kept []string
	for _, piece := range refParaSplit.Split(refManyNewlines.ReplaceAllString(s, "\n\n"), -1) {
		if piece != "" {
			kept = append(kept, piece)
		}
	}
	return strings.Join(kept, "\x00")
}

func handParagraphs(s string) string {
	var kept []string
	forEachParagraph(s, func(piece string) { kept = append(kept, piece) })
	return strings.Join(kept, "\x00")
}

// randomHTML strings together tags and text likely to hit the patterns.
func randomHTML(r *rand.Rand) string {
	pieces := []string{
		"<p>", "</p>", "<p> ", " </p>", "<div>", "</div>", "<div class=\"x\">", "<pre>", "</pre>", "<param name=a>",
		"<link>", "<li>", "</li>", "<ul>", "</ul>", "<h2>", "</h2>", "<hr>", "<hr/>", "<br />", "<br>", "\n", "\n\n", "\n\n\n",
		" ", "\t", "text", "a<b", "<span>", "</span>", "<blockquote>", "<blockquote cite=\"y\">", "</blockquote>",
		"<address>", "</address>", "<form>", "</form>", "<table>", "<thead>", "<tr>", "<th>", "<td>", "<colgroup>",
		"<figure>", "<figcaption>", "<summary>", "<sup>", "<style>", "<section/>", "<p/>", "<pre\n>", "<tbody x>", "<em>", ">",
		"<p><li>", "<p><li", "<li></p>", "\v", "\f", "\r", "\n \n", " \n\t", "\t\n\v\n ", "<br />\n", "<br />", "é",
	}
	var b strings.Builder
	for n := r.Intn(30); n >= 0; n-- {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	return b.String()
}

func TestWpautopScannersMatchRegexps(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	checks := []struct {
		name string
		hand func(*passBufs, string) string
		ref  func(string) string
	}{
		{"block open/close", spaceAroundBlocks, func(s string) string {
			return refBlockClose.ReplaceAllString(refBlockOpen.ReplaceAllString(s, "\n\n$1"), "$1\n\n")
		}},
		{"p around block", unwrapParaAroundBlock, func(s string) string { return refParaAroundBlock.ReplaceAllString(s, "$1") }},
		{"p before block", dropParaBeforeBlock, func(s string) string { return refParaBeforeBlock.ReplaceAllString(s, "$1") }},
		{"/p after block", func(pb *passBufs, s string) string { return dropAfterBlockTag(pb, s, "</p>") }, func(s string) string { return refParaAfterBlock.ReplaceAllString(s, "$1") }},
		{"br after block", func(pb *passBufs, s string) string { return dropAfterBlockTag(pb, s, "<br />") }, func(s string) string { return refBrAfterBlock.ReplaceAllString(s, "$1") }},
		{"br before block", dropBrBeforeBlock, func(s string) string { return refBrBeforeBlock.ReplaceAllString(s, "$1") }},
		{"unclosed div", closeParaInDiv, func(s string) string { return refUnclosedDiv.ReplaceAllString(s, "<p>$1</p></$2>") }},
		{"p blockquote", moveParaIntoBlockquote, func(s string) string { return refParaBlockquote.ReplaceAllString(s, "<blockquote$1><p>") }},
		{"paragraph split", func(_ *passBufs, s string) string { return handParagraphs(s) }, refParagraphs},
		{"empty p", dropEmptyParagraphs, func(s string) string { return refEmptyPara.ReplaceAllString(s, "") }},
		{"p li", unwrapParaLi, func(s string) string { return refParaLi.ReplaceAllString(s, "$1") }},
		{"newlines to br", newlinesToBr, refNewlinesToBr},
	}
	// The passes write into one pair of buffers, as in Wpautop, and
	// into buffers of their own.
	pb := new(passBufs)
	for i := 0; i < 20000; i++ {
		in := randomHTML(r)
		for k, c := range checks {
			bufs := pb
			if k%2 == 1 {
				bufs = nil
			}
			if got, want := c.hand(bufs, in), c.ref(in); got != want {
				t.Fatalf("%s(%q)\n got %q\nwant %q", c.name, in, got, want)
			}
		}
	}
}

// wpautopContains is Wpautop as it was before scanAutop: strings.Contains
// at each optional pass. TestScanAutop compares the two.
func wpautopContains(s string) string {
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
	if strings.Contains(s, "<br") {
		s = replaceRe(reDoubleBr, s, "\n\n")
	}
	s = spaceAroundBlocks(pb, s)
	if strings.Contains(s, "<hr") {
		s = replaceRe(reHr, s, "$1\n\n")
	}
	if strings.Contains(s, "\r") {
		s = replaceAll(pb, s, "\r\n", "\n")
		s = replaceAll(pb, s, "\r", "\n")
	}
	s = replaceNewlinesInTags(pb, s, " <!-- wpnl --> ")

	if strings.Contains(s, "<option") {
		s = replaceRe(reOptionBefore, s, "<option")
		s = replaceRe(reOptionAfter, s, "</option>")
	}
	if strings.Contains(s, "</object>") {
		s = replaceRe(reObjectOpen, s, "$1")
		s = replaceRe(reObjectClose, s, "</object>")
		s = replaceRe(reParamEmbed, s, "$1")
	}
	if strings.Contains(s, "<source") || strings.Contains(s, "<track") {
		s = replaceRe(reMediaOpen, s, "$1")
		s = replaceRe(reMediaClose, s, "$1")
		s = replaceRe(reSourceTrack, s, "$1")
	}
	if strings.Contains(s, "<figcaption") {
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
	s = replaceAll(pb, s, "</blockquote></p>", "</p></blockquote>")
	s = dropAfterBlockTag(pb, dropParaBeforeBlock(pb, s), "</p>")

	// Line breaks ($br = true).
	s = preserveNewlinesIn(pb, s, "<WPPreserveNewline />")
	s = replaceAll(pb, s, "<br>", "<br />")
	s = replaceAll(pb, s, "<br/>", "<br />")
	s = newlinesToBr(pb, s)
	s = replaceAll(pb, s, "<WPPreserveNewline />", "\n")

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

// autopPieces are randomHTML's pieces with the tags and shortcodes the
// optional passes of Wpautop look at.
var autopPieces = []string{
	"<br", "<br>", "<br />", "<br/>", "<hr", "<hr>", "<hr />", "\r", "\r\n", "<option", "<option>", "</option>", "<select>",
	"<object", "<object data=\"x\">", "</object>", "</object", "<param name=\"a\">", "<embed src=\"x\">", "<source src=\"a\">",
	"<source", "<track", "<track kind=\"x\">", "<audio>", "</audio>", "[audio src=\"x\"]", "[/audio]", "[video]", "[/video]",
	"<video controls>", "</video>", "<figcaption", "<figcaption>", "</figcaption>", "<figure>", "</figure>", "<pre>", "</pre>",
	"<p>", "</p>", "\n", "\n\n", " ", "\t", "text", "<", ">", "<b", "r", "h", "<tag\n>", "<div\nclass=\"x\">", "</div>",
	"<blockquote>", "</blockquote>", "</blockquote></p>", "<WPPreserveNewline />", "<script>", "</script>", "<style>", "</style>",
	"<svg>", "</svg>", "<s", "<br>\n", "<br/>", "x<br>y",
}

// TestScanAutop: scanAutop's flags are strings.Contains's, and Wpautop,
// which scans once, gives what it gave with a strings.Contains at each
// optional pass, on random HTML of the tags those passes look for and
// on every input of the fast path's comparison (cases, goldens, seed,
// corpus).
func TestScanAutop(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	var inputs []string
	for range 10000 {
		var b strings.Builder
		for n := r.Intn(25); n >= 0; n-- {
			if r.Intn(3) == 0 {
				b.WriteString(randomHTML(r))
			} else {
				b.WriteString(autopPieces[r.Intn(len(autopPieces))])
			}
		}
		inputs = append(inputs, b.String())
	}
	inputs = append(inputs, fastInputs(t)...)
	for _, in := range inputs {
		has := scanAutop(in)
		want := autopHas{strings.Contains(in, "<br"), strings.Contains(in, "<hr"), strings.Contains(in, "\r"), strings.Contains(in, "<option"),
			strings.Contains(in, "</object>"), strings.Contains(in, "<source") || strings.Contains(in, "<track"), strings.Contains(in, "<figcaption"),
			strings.Contains(in, "</blockquote>"), strings.Contains(in, "<WPPreserveNewline />")}
		if has != want {
			t.Fatalf("scanAutop(%q) = %+v, strings.Contains says %+v", in, has, want)
		}
		if got, want := Wpautop(in), wpautopContains(in); got != want {
			t.Fatalf("Wpautop(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
