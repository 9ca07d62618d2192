package markdown

import (
	"math/rand"
	"regexp"
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
