package markdown

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// Block is one block of block-editor content, as WordPress's
// parse_blocks() returns it. Name is "" for freeform HTML between blocks.
type Block struct {
	Name  string          // "core/paragraph"; names without a namespace get "core/"
	Attrs json.RawMessage // the delimiter's JSON attributes, nil when absent
	// Inner holds the block's inner HTML and inner blocks in order: a part
	// with Block set is an inner block, otherwise HTML.
	Inner []BlockPart
}

// BlockPart is a piece of a block's inner content.
type BlockPart struct {
	HTML  string
	Block *Block
}

// InnerHTML returns the block's own HTML with inner blocks left out.
func (b *Block) InnerHTML() string {
	var s strings.Builder
	for _, p := range b.Inner {
		if p.Block == nil {
			s.WriteString(p.HTML)
		}
	}
	return s.String()
}

// attr returns one attribute of the block as a string ("" if absent; numbers
// are formatted).
func (b *Block) attr(name string) string {
	if len(b.Attrs) == 0 {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(b.Attrs, &m) != nil {
		return ""
	}
	switch v := m[name].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

type delimiter struct {
	start, end int
	closer     bool
	void       bool
	name       string
	attrs      json.RawMessage
}

// delimName matches ^([a-z][a-z0-9_-]*/)?([a-z][a-z0-9_-]*) at the start
// of s: the namespace with its slash, the name, and the length of the
// match (0 when there is none).
func delimName(s string) (ns, name string, n int) {
	word := func(i int) int { // end of [a-z][a-z0-9_-]* at i, or -1
		if i >= len(s) || s[i] < 'a' || s[i] > 'z' {
			return -1
		}
		j := i + 1
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9' || s[j] == '_' || s[j] == '-') {
			j++
		}
		return j
	}
	e := word(0)
	if e < 0 {
		return "", "", 0
	}
	if e < len(s) && s[e] == '/' {
		if e2 := word(e + 1); e2 >= 0 {
			return s[:e+1], s[e+1 : e2], e2
		}
	}
	return "", s[:e], e
}

// nextDelimiter finds the next block delimiter at or after s[from:],
// following the grammar of WP_Block_Parser::next_token().
func nextDelimiter(s string, from int) (delimiter, bool) {
	for {
		i := strings.Index(s[from:], "<!--")
		if i < 0 {
			return delimiter{}, false
		}
		start := from + i
		if d, ok := parseDelimiter(s, start); ok {
			return d, true
		}
		from = start + 4
	}
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func parseDelimiter(s string, start int) (delimiter, bool) {
	d := delimiter{start: start}
	p := start + 4
	q := p
	for q < len(s) && isJSONSpace(s[q]) {
		q++
	}
	if q == p {
		return d, false
	}
	p = q
	if p < len(s) && s[p] == '/' {
		d.closer = true
		p++
	}
	if !strings.HasPrefix(s[p:], "wp:") {
		return d, false
	}
	p += 3
	ns, name, n := delimName(s[p:])
	if n == 0 {
		return d, false
	}
	if ns == "" {
		ns = "core/"
	}
	d.name = ns + name
	p += n
	q = p
	for q < len(s) && isJSONSpace(s[q]) {
		q++
	}
	if q == p {
		return d, false
	}
	p = q
	if p < len(s) && s[p] == '{' {
		// The attributes end at the first '}' followed by white space and
		// an optional '/' before '-->'.
		for k := p + 1; k < len(s); k++ {
			if s[k] != '}' {
				continue
			}
			r := k + 1
			for r < len(s) && isJSONSpace(s[r]) {
				r++
			}
			if r == k+1 {
				continue
			}
			if strings.HasPrefix(s[r:], "-->") || strings.HasPrefix(s[r:], "/-->") {
				d.attrs = json.RawMessage(s[p : k+1])
				p = r
				break
			}
		}
		if d.attrs == nil {
			return d, false
		}
	}
	if strings.HasPrefix(s[p:], "/-->") {
		d.void = true
		p++
	}
	if !strings.HasPrefix(s[p:], "-->") {
		return d, false
	}
	d.end = p + 3
	if d.attrs != nil && !json.Valid(d.attrs) {
		d.attrs = nil
	}
	return d, true
}

// ParseBlocks splits block-editor content into blocks like parse_blocks():
// HTML outside any block becomes freeform blocks (Name ""), void blocks
// have no inner content, and a closing delimiter closes the innermost open
// block whatever its name. Blocks left open at the end are closed there.
func ParseBlocks(s string) []*Block {
	var top []*Block
	var stack []*Block
	addHTML := func(h string) {
		if h == "" {
			return
		}
		if len(stack) == 0 {
			top = append(top, &Block{Inner: []BlockPart{{HTML: h}}})
			return
		}
		b := stack[len(stack)-1]
		b.Inner = append(b.Inner, BlockPart{HTML: h})
	}
	addBlock := func(nb *Block) {
		if len(stack) == 0 {
			top = append(top, nb)
			return
		}
		b := stack[len(stack)-1]
		b.Inner = append(b.Inner, BlockPart{Block: nb})
	}
	pos := 0
	for {
		d, ok := nextDelimiter(s, pos)
		if !ok {
			addHTML(s[pos:])
			break
		}
		addHTML(s[pos:d.start])
		pos = d.end
		switch {
		case d.void:
			addBlock(&Block{Name: d.name, Attrs: d.attrs})
		case d.closer:
			if len(stack) == 0 {
				continue // a stray closer is dropped, as WordPress does
			}
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			addBlock(b)
		default:
			stack = append(stack, &Block{Name: d.name, Attrs: d.attrs})
		}
	}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		addBlock(b)
	}
	return top
}

// Blocks whose saved HTML is what WordPress shows: they are converted from
// their inner HTML.
var staticBlocks = map[string]bool{
	"core/paragraph": true, "core/heading": true, "core/list": true, "core/list-item": true,
	"core/quote": true, "core/image": true, "core/gallery": true, "core/code": true,
	"core/preformatted": true, "core/table": true, "core/separator": true, "core/columns": true,
	"core/column": true, "core/group": true, "core/pullquote": true, "core/verse": true,
	"core/buttons": true, "core/button": true, "core/cover": true, "core/media-text": true,
	"core/file": true, "core/audio": true, "core/video": true, "core/spacer": true,
	"core/details": true, "core/html": true, "core/more": true, "core/nextpage": true,
	"core/freeform": true, "core/missing": true, "core/text-columns": true, "core/subhead": true,
	"core/row": true, "core/stack": true,
}

func (st *state) renderBlocks(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, bl := range ParseBlocks(s) {
		st.writeBlock(&b, bl)
	}
	return b.String()
}

// writeBlock writes renderBlock(bl) to b: straight into b for the blocks
// whose HTML stays as it is (most of them), without the string of each
// block's inner HTML that renderBlock builds.
func (st *state) writeBlock(b *strings.Builder, bl *Block) {
	name := bl.Name
	switch {
	case name == "":
		// InnerHTML.
		for _, p := range bl.Inner {
			if p.Block == nil {
				b.WriteString(p.HTML)
			}
		}
		return
	case name == "core/embed" || strings.HasPrefix(name, "core-embed/") || name == "core/footnotes" ||
		name == "core/shortcode" || name == "core/block" || name == "core/code" || name == "core/preformatted":
		b.WriteString(st.renderBlock(bl))
		return
	}
	for _, p := range bl.Inner {
		if p.Block != nil {
			st.writeBlock(b, p.Block)
		} else {
			b.WriteString(p.HTML)
		}
	}
	if staticBlocks[name] {
		st.rep.count(&st.rep.Blocks, name)
	} else {
		st.rep.count(&st.rep.UnknownBlocks, name)
	}
}

var reFigcaption = regexp.MustCompile(`(?is)<figcaption[^>]*>.*?</figcaption>`)
var reCodeOpen = regexp.MustCompile(`<code(\s[^>]*)?>`)

func (st *state) renderBlock(bl *Block) string {
	if bl.Name == "" {
		return bl.InnerHTML()
	}
	var inner strings.Builder
	for _, p := range bl.Inner {
		if p.Block != nil {
			inner.WriteString(st.renderBlock(p.Block))
		} else {
			inner.WriteString(p.HTML)
		}
	}
	out := inner.String()
	name := bl.Name
	switch {
	case name == "core/embed" || strings.HasPrefix(name, "core-embed/"):
		u := bl.attr("url")
		if u == "" {
			break
		}
		cap := reFigcaption.FindString(out)
		out = `<figure class="wp-block-embed">` + embedHTML(u) + cap + `</figure>`
	case name == "core/footnotes":
		out = st.footnotes()
	case name == "core/shortcode":
		out = Wpautop(out)
	case name == "core/block":
		ref, _ := strconv.Atoi(bl.attr("ref"))
		if st.opt.ReusableBlock == nil || ref == 0 || st.depth > 8 {
			st.rep.count(&st.rep.UnknownBlocks, name)
			return out
		}
		content, ok := st.opt.ReusableBlock(ref)
		if !ok {
			st.rep.problem("reusable block %d not found", ref)
			return out
		}
		st.depth++
		out = st.renderBlocks(content)
		st.depth--
	case name == "core/code" || name == "core/preformatted":
		lang := bl.attr("language")
		if lang == "" {
			lang = bl.attr("lang")
		}
		if lang != "" && !strings.Contains(out, "language-") {
			out = reCodeOpen.ReplaceAllStringFunc(out, func(m string) string {
				return `<code class="language-` + strings.ToLower(lang) + `"` + strings.TrimPrefix(m, "<code")
			})
		}
	case staticBlocks[name]:
	default:
		st.rep.count(&st.rep.UnknownBlocks, name)
		return out
	}
	st.rep.count(&st.rep.Blocks, name)
	return out
}
