package markdown

import (
	"bytes"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// EscapeKramdown returns md, Markdown as Convert writes it (CommonMark with
// GFM tables, strikethrough and footnotes, as goldmark reads it), written
// so that kramdown, Jekyll's Markdown converter (GFM input, its default),
// reads it the same way. kramdown has syntax of its own that CommonMark
// reads as text:
//
//   - a line with a "|" outside code is a table row (a paragraph whose
//     lines all hold one is a table);
//   - a line starting with ": " is a definition, of the paragraph before;
//   - "$$…$$" is math, inline or as a block;
//   - "{:" starts an attribute list, an extension or a reference, and
//     "{#id}" at the end of a heading is its id;
//   - a line "^" ends a block and shows nothing;
//   - "*[abbr]: text" defines an abbreviation;
//   - "<<" and ">>" are « and »;
//   - a line starting with "2019. " or "- " after a paragraph line starts
//     a list (CommonMark interrupts a paragraph only with "1." and non-empty
//     items);
//   - "\\" at a line's end is a line break;
//   - a table row of "-", "=", ":" and "+" only is a separator line.
//
// Only text is escaped, with backslashes both read the same (or an entity,
// for "^" and a backslash, which kramdown cannot escape, and for an
// escaped backtick on a line with a "|", which kramdown's search for
// tables takes for the start of a code span): code spans and
// blocks, raw HTML, link destinations, tables and their delimiters stay as
// they are. One construct is rewritten: a table with a header and no body
// rows, which kramdown does not read as a table, becomes the HTML table
// goldmark renders for it. Markdown holding nothing kramdown could misread
// is returned as it is, without being parsed. The result reads the same
// in goldmark as md, and EscapeKramdown of it changes nothing.
func EscapeKramdown(md string) string {
	if !kramdownRisk(md) {
		return md
	}
	src := []byte(md)
	doc := theGoldmark().Parser().Parse(text.NewReader(src))
	e := kdEscaper{src: src}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if _, ok := n.(*ast.Heading); ok {
				e.heading--
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.AutoLink:
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			e.heading++
		case *east.Table:
			if n.ChildCount() == 1 {
				e.headerOnlyTable(n)
				return ast.WalkSkipChildren, nil
			}
		case *east.TableHeader, *east.TableRow:
			e.tableRow(n)
		case *ast.Text:
			if !e.leftoverDelimiter(n) {
				e.text(n.Segment)
			}
		}
		return ast.WalkContinue, nil
	})
	if len(e.edits) == 0 {
		return md
	}
	sort.SliceStable(e.edits, func(i, j int) bool { return e.edits[i].pos < e.edits[j].pos })
	if e.groups == 0 {
		return e.apply(md, nil)
	}
	// Some edits can change how goldmark reads the text around them:
	// escaping a delimiter changes the length of its run, which can pair
	// emphasis differently; an escape at a line's start or a table
	// rewritten can change the blocks around ("=" under a table is text,
	// "\=" one more row: make fuzz). Each such group of edits is kept
	// only when goldmark reads the result as it reads md.
	orig, ok := kdShape(md)
	if !ok {
		return e.apply(md, map[int]bool{})
	}
	if have, ok := kdShape(e.apply(md, nil)); ok && have == orig {
		return e.apply(md, nil)
	}
	keep := map[int]bool{}
	for g := 1; g <= e.groups; g++ {
		keep[g] = true
		if have, ok := kdShape(e.apply(md, keep)); !ok || have != orig {
			delete(keep, g)
		}
	}
	return e.apply(md, keep)
}

// kdShape is goldmark's HTML for md with the newlines between tags
// dropped (a header-only table becomes an HTML table on one line).
func kdShape(md string) (string, bool) {
	var b bytes.Buffer
	if theGoldmark().Convert([]byte(md), &b) != nil {
		return "", false
	}
	return strings.ReplaceAll(b.String(), ">\n<", "><"), true
}

// apply returns md with the edits made, those of a group only for the
// groups in keep (all when keep is nil). An edit the same as the last one
// made is made once.
func (e *kdEscaper) apply(md string, keep map[int]bool) string {
	var b strings.Builder
	b.Grow(len(md) + 2*len(e.edits))
	last := 0
	var prev *kdEdit
	for i := range e.edits {
		ed := &e.edits[i]
		if ed.pos < last || prev != nil && ed.pos == prev.pos && ed.del == prev.del && ed.ins == prev.ins ||
			ed.group > 0 && keep != nil && !keep[ed.group] {
			continue // inside a span already replaced, the same escape twice, or a group left out
		}
		prev = ed
		b.WriteString(md[last:ed.pos])
		b.WriteString(ed.ins)
		last = ed.pos + ed.del
	}
	b.WriteString(md[last:])
	return b.String()
}

// kdEdit replaces del bytes at pos with ins.
type kdEdit struct {
	pos, del int
	ins      string
	// group > 0: one of the edits goldmark must confirm, kept or left
	// out together (see EscapeKramdown): the escapes of one run of
	// emphasis delimiters left as text by goldmark, an escape at a line's
	// start, a header-only table rewritten.
	group int
}

type kdEscaper struct {
	src     []byte
	edits   []kdEdit
	groups  int // the groups of edits (kdEdit.group)
	heading int // inside a heading
}

func (e *kdEscaper) add(pos, del int, ins string) {
	e.edits = append(e.edits, kdEdit{pos: pos, del: del, ins: ins})
}

// addGroup adds an edit that is a group of its own.
func (e *kdEscaper) addGroup(pos, del int, ins string) {
	e.groups++
	e.edits = append(e.edits, kdEdit{pos, del, ins, e.groups})
}

// text escapes one text segment.
func (e *kdEscaper) text(seg text.Segment) {
	src := e.src
	for i := seg.Start; i < seg.Stop; i++ {
		c := src[i]
		if c == '\\' {
			// An escape pair; an escaped backslash ending a line that
			// goes on is a line break for kramdown.
			if i+1 < seg.Stop && src[i+1] == '\\' && i+2 == seg.Stop && seg.Stop < len(src) && src[seg.Stop] == '\n' {
				e.add(i, 2, "&#92;")
			}
			// kramdown looks for tables with only the code span parser:
			// an escaped backtick would open a code span there.
			if i+1 < seg.Stop && src[i+1] == '`' && kdLineHasPipe(src, i) {
				e.add(i, 2, "&#96;")
			}
			i++
			continue
		}
		if (i == seg.Start || src[i-1] == '\n' || src[i-1] == ' ' || src[i-1] == '\t') && kdLineStart(src, i) {
			e.lineStart(i, seg.Stop)
		}
		switch c {
		case '|':
			e.add(i, 0, `\`)
		case '$', '<', '>':
			if i+1 < len(src) && src[i+1] == c || i > 0 && src[i-1] == c {
				e.add(i, 0, `\`)
			}
		case '{':
			if i+1 < len(src) && (src[i+1] == ':' || src[i+1] == '#' && e.heading > 0) {
				e.add(i, 0, `\`)
			}
		}
	}
}

// leftoverDelimiter escapes the "*" or "_" that goldmark left as text
// from a delimiter run closing an emphasis ("*a**"), which kramdown reads
// as part of the run (no emphasis), and reports whether t was such text.
// goldmark's segment for them may be any part of the run; the leftover of
// a closing run is its end.
func (e *kdEscaper) leftoverDelimiter(t *ast.Text) bool {
	src, seg := e.src, t.Segment
	if seg.Len() == 0 {
		return false
	}
	c := src[seg.Start]
	if c != '*' && c != '_' {
		return false
	}
	n := 0 // the leftover delimiters, at the segment's start
	for n < seg.Len() && src[seg.Start+n] == c {
		n++
	}
	start, end := seg.Start, seg.Start+n
	for start > 0 && src[start-1] == c {
		start--
	}
	for end < len(src) && src[end] == c {
		end++
	}
	if start > 0 && src[start-1] == '\\' {
		return false // the run starts with an escaped character: leave it
	}
	_, closing := t.PreviousSibling().(*ast.Emphasis)
	_, opening := t.NextSibling().(*ast.Emphasis)
	if !closing || opening {
		return false // kramdown reads "**a*" as goldmark does; "_a___b_" is left alone
	}
	e.groups++
	for i := end - n; i < end; i++ {
		e.edits = append(e.edits, kdEdit{i, 0, `\`, e.groups})
	}
	if n < seg.Len() {
		e.text(text.NewSegment(seg.Start+n, seg.Stop))
	}
	return true
}

// lineStart escapes what starts a block for kramdown at src[i], the first
// character of a line's text.
func (e *kdEscaper) lineStart(i, stop int) {
	src := e.src
	next := func(j int) byte {
		if j < len(src) {
			return src[j]
		}
		return '\n'
	}
	tail := func(c byte) bool { return c == ' ' || c == '\t' || c == '|' }
	switch c := src[i]; {
	case c == '-' || c == '=':
		// A line of "-" and "=" under a paragraph's first line makes
		// it a heading for kramdown, mixed ones too.
		j := i
		for j < len(src) && (src[j] == '-' || src[j] == '=') {
			j++
		}
		for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
			j++
		}
		if j == len(src) || src[j] == '\n' || c == '-' && tail(next(i+1)) {
			e.addGroup(i, 0, `\`)
		}
	case c == ':' || c == '+' || c == '*':
		if tail(next(i+1)) || c == '*' && next(i+1) == '[' {
			e.addGroup(i, 0, `\`)
		}
	case c == '^':
		j := i + 1
		for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
			j++
		}
		if j == len(src) || src[j] == '\n' {
			e.addGroup(i, 1, "&#94;")
		}
	case c >= '0' && c <= '9':
		j := i
		for j < stop && src[j] >= '0' && src[j] <= '9' {
			j++
		}
		if next(j) == '.' && tail(next(j+1)) {
			e.addGroup(j, 0, `\`)
		}
	}
}

// kdBlankLineAt reports whether the line starting at src[i] is blank
// after at most quotes quote markers (those of the block quotes around
// the line's block), or the end of src. A ">" more starts a block quote.
func kdBlankLineAt(src []byte, i, quotes int) bool {
	for ; i < len(src) && src[i] != '\n'; i++ {
		switch c := src[i]; {
		case c == '>' && quotes > 0:
			quotes--
		case c != ' ' && c != '\t' && c != '\r':
			return false
		}
	}
	return true
}

// kdLineHasPipe reports whether the line of src[i] holds a "|".
func kdLineHasPipe(src []byte, i int) bool {
	start := bytes.LastIndexByte(src[:i], '\n') + 1
	end := bytes.IndexByte(src[i:], '\n')
	if end < 0 {
		end = len(src) - i
	}
	return bytes.IndexByte(src[start:i+end], '|') >= 0
}

// kdLineStart reports whether src[i] is the first character of its line
// after the markers of the blocks that contain it (white space, ">", list
// markers), which goldmark has read.
func kdLineStart(src []byte, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch c := src[j]; {
		case c == '\n':
			return true
		case c == ' ' || c == '\t' || c == '>' || c == '-' || c == '+' || c == '*' || c == '.' || c == ')' || c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return true
}

// tableRow escapes the first character of a table row whose line holds
// only "|", "-", "=", ":", "+" and white space, which kramdown reads as a
// separator line (its text lost): a backslash is outside that set.
func (e *kdEscaper) tableRow(row ast.Node) {
	src := e.src
	start := row.Pos()
	if start < 0 || start >= len(src) {
		return
	}
	end := bytes.IndexByte(src[start:], '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += start
	}
	for _, c := range src[start:end] {
		if !strings.ContainsRune("|-=:+ \t\r", rune(c)) {
			return
		}
	}
	for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
		if t, ok := cell.FirstChild().(*ast.Text); ok && t.Segment.Len() > 0 {
			e.add(t.Segment.Start, 0, `\`)
			return
		}
	}
}

// headerOnlyTable replaces a table without body rows, which kramdown
// leaves as text, with the HTML goldmark renders for it, on the header
// row's line; the delimiter row's line goes. A table followed by a line
// that is not blank is left as it is (an empty block quote, ">" after a
// table outside one, is not blank).
func (e *kdEscaper) headerOnlyTable(t *east.Table) {
	src := e.src
	start := t.FirstChild().Pos()
	if start < 0 || start >= len(src) {
		return
	}
	headerEnd := bytes.IndexByte(src[start:], '\n')
	if headerEnd < 0 {
		return // a delimiter row follows the header: there is a newline
	}
	headerEnd += start
	delimEnd := len(src)
	if k := bytes.IndexByte(src[headerEnd+1:], '\n'); k >= 0 {
		delimEnd = headerEnd + 1 + k + 1
	}
	quotes := 0
	for p := t.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == ast.KindBlockquote {
			quotes++
		}
	}
	if !kdBlankLineAt(src, delimEnd, quotes) {
		// An HTML block would take in the next line: the converter
		// writes a blank line after a table, so this is rare Markdown
		// from elsewhere, left as it is.
		return
	}
	var buf bytes.Buffer
	if err := theGoldmark().Renderer().Render(&buf, src, t); err != nil {
		return
	}
	// goldmark writes a newline between the table's tags only.
	h := strings.ReplaceAll(strings.TrimSpace(buf.String()), "\n", "")
	e.addGroup(start, delimEnd-start, h+"\n")
}

// kdRiskByte are the bytes kramdownRisk looks at outside a line's start.
var kdRiskByte = func() (t [256]bool) {
	for _, c := range "\n|$<>{\\*_" {
		t[c] = true
	}
	return t
}()

// kramdownRisk reports whether md holds anything EscapeKramdown might
// change: a "|", "$$", "{:", "{#", "<<", ">>", "**" or "__", an escaped
// backslash ending a line, or a line whose text (after quote and list
// markers) starts with ":", "^", "*[", "=", "-" not followed by a space, a
// number, or a list marker kramdown would read. Most Markdown holds none.
func kramdownRisk(md string) bool {
	lineStart := true
	for i := 0; i < len(md); i++ {
		c := md[i]
		if !lineStart && !kdRiskByte[c] {
			continue
		}
		if lineStart {
			lineStart = false
			j := i
			for j < len(md) {
				switch md[j] {
				case ' ', '\t', '>':
					j++
					continue
				case '-', '+', '*':
					if j+1 < len(md) && (md[j+1] == ' ' || md[j+1] == '\t') {
						j += 2
						continue
					}
				}
				break
			}
			if j < len(md) {
				switch d := md[j]; {
				case d == ':' || d == '^':
					return true
				case d == '*' && j+1 < len(md) && md[j+1] == '[':
					return true
				case d == '=':
					return true
				case d == '-' || d == '+' || d == '*':
					if j+1 == len(md) || strings.IndexByte("|-=\n", md[j+1]) >= 0 {
						return true
					}
				case d >= '0' && d <= '9':
					return true
				}
			}
		}
		switch c {
		case '\n':
			lineStart = true
		case '|':
			return true
		case '$', '<', '>', '*', '_':
			if i+1 < len(md) && md[i+1] == c {
				return true
			}
		case '{':
			if i+1 < len(md) && (md[i+1] == ':' || md[i+1] == '#') {
				return true
			}
		case '\\':
			if i+2 < len(md) && md[i+1] == '\\' && md[i+2] == '\n' {
				return true
			}
		}
	}
	return false
}
