// Package clean repairs the byte-level damage found in real WordPress
// exports before an XML decoder sees them. Its Reader wraps the raw export
// and yields UTF-8 that Go's encoding/xml can read with Strict set:
//
//   - a UTF-8 byte order mark and any text before <?xml (or before <rss
//     when there is no declaration: blank lines, PHP warnings) are dropped;
//   - a declared encoding other than UTF-8 is converted and the
//     declaration rewritten (see Reader for how single-byte encodings are
//     read);
//   - characters XML 1.0 forbids (C0 controls other than tab, LF and CR,
//     U+FFFE, U+FFFF) are removed, in CDATA too;
//   - each run of invalid UTF-8 is read as Windows-1252 when it looks like
//     text (a lone 0xE9 between letters is é) or replaced with U+FFFD;
//   - outside CDATA and comments, HTML named entities XML does not define
//     become numeric references and a bare & becomes &amp;;
//   - a ]]> inside CDATA that old WordPress left unescaped is kept as data
//     (rewritten ]]]]><![CDATA[> unless white space and then </ or
//     <![CDATA[ follow it); a ]]> in text becomes ]]&gt;.
//
// Every repair is counted by kind with the input lines of the first five;
// well-formed UTF-8 input passes through byte for byte.
package clean

import (
	"bytes"
	"encoding/binary"
	"html"
	"io"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

const (
	// chunkSize is the size of the input window in the steady state.
	chunkSize = 64 << 10
	// prologLimit bounds the text searched for the start of the document.
	prologLimit = 1 << 20
	// spaceLimit bounds the white space looked at after a ]]> in CDATA.
	spaceLimit = 4 << 10
	// maxRef bounds the length of an entity reference, & and ; included.
	maxRef = 40
	// maxLatinRun is the longest run of invalid bytes read as Windows-1252.
	maxLatinRun = 3
)

// state is where in the XML text the Reader is.
type state uint8

const (
	stText    state = iota // character data between tags
	stTag                  // inside <name ...> or </name>
	stAttr                 // inside a quoted attribute value
	stCDATA                // inside <![CDATA[ ... ]]>
	stComment              // inside <!-- ... -->
	stPI                   // inside <? ... ?>
	stDecl                 // inside <!DOCTYPE ...> or another <! declaration
)

// Reader repairs a WXR byte stream; see the package comment. It reads its
// source in chunks and holds a bounded window of it (64 KiB, up to 1 MiB
// while looking for the start of the document), whatever the input size.
//
// A declared single-byte encoding (ISO-8859-1, windows-1252, …) is not
// applied to the bytes that already form valid UTF-8: WordPress writes
// CDATA through utf8_encode() when a value is not UTF-8, so such exports
// mix UTF-8 CDATA with raw single-byte text. Only the invalid runs are read
// in the declared encoding. Multi-byte encodings (GBK, Big5, Shift_JIS, …)
// and UTF-16 are converted as a whole.
type Reader struct {
	src    io.Reader
	in     []byte // input window; in[r:w] is not processed yet
	r, w   int
	eof    bool  // src is exhausted (or failed with srcErr)
	srcErr error // error other than io.EOF from src
	zeros  int   // consecutive empty reads
	force  bool  // the window is full: decide with what is there

	out  []byte // repaired bytes; out[o:] not returned yet
	o    int
	done bool

	started bool
	st      state
	pend    int  // in[pend:] is not copied to out yet (process)
	quote   byte // quote of the attribute value (stAttr) or 0 (stDecl)
	depth   int  // [ ] nesting in stDecl

	line   int   // line number of in[lineAt]
	lineAt int   //
	base   int64 // input offset of in[0]

	ctlEnd     int64 // input offset just after the last removed control
	garbageEnd int64 // input offset just after the last garbage run

	latin *[256]rune // declared single-byte encoding, or nil
	utf16 bool       // the source is converted from UTF-16

	ents map[string][]byte // HTML entity name → numeric references
	rep  [numKinds]Repair
	enc  string
	drop int
}

// NewReader returns a Reader that repairs what it reads from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{src: r, line: 1, ctlEnd: -1, garbageEnd: -1}
}

// Read reads repaired bytes into p. At the end of the input it returns
// io.EOF; an error from the source is returned once everything read
// before it has been delivered.
func (z *Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for z.o == len(z.out) {
		if z.done {
			if z.srcErr != nil {
				return 0, z.srcErr
			}
			return 0, io.EOF
		}
		z.out, z.o = z.out[:0], 0
		z.fill()
	}
	n := copy(p, z.out[z.o:])
	z.o += n
	return n, nil
}

// Report returns the repairs made so far. It is complete once Read has
// returned io.EOF.
func (z *Reader) Report() Report {
	var r Report
	for k := range numKinds {
		f := r.field(k)
		f.Count = z.rep[k].Count
		f.Lines = append([]int(nil), z.rep[k].Lines...)
	}
	r.DeclaredEncoding = z.enc
	r.LineOffset = z.drop
	return r
}

// fill repairs the next part of the input into z.out, or sets z.done.
func (z *Reader) fill() {
	if !z.started {
		z.started = true
		z.in = make([]byte, chunkSize)
		z.prolog()
	}
	for len(z.out) == 0 {
		if z.r < z.w {
			z.process()
			if len(z.out) > 0 {
				return
			}
		}
		if z.eof && z.r == z.w {
			z.done = true
			return
		}
		z.read()
	}
}

// read moves the unprocessed input to the front of the window and reads
// once from the source.
func (z *Reader) read() {
	if z.r > 0 {
		z.line += bytes.Count(z.in[z.lineAt:z.r], nl)
		z.lineAt = 0
		z.base += int64(z.r)
		z.w = copy(z.in, z.in[z.r:z.w])
		z.r = 0
	}
	if z.w == len(z.in) {
		// Cannot happen: no lookahead is longer than a few KiB. Decide
		// with what is there rather than stall.
		z.force = true
		return
	}
	z.more()
}

var nl = []byte{'\n'}

// mark counts a repair of kind k at in[i].
func (z *Reader) mark(k kind, i int) {
	rep := &z.rep[k]
	rep.Count++
	if len(rep.Lines) < maxLines {
		z.line += bytes.Count(z.in[z.lineAt:i], nl)
		z.lineAt = i
		rep.Lines = append(rep.Lines, z.line)
	}
}

// process repairs as much of in[r:w] as can be decided.
func (z *Reader) process() {
	in := z.in[:z.w]
	final := z.eof || z.force
	z.force = false
	i := z.r
	z.pend = i
	for i < len(in) {
		var stop bool
		switch z.st {
		case stText:
			i, stop = z.text(in, i, final)
		case stTag:
			i, stop = z.tag(in, i, final)
		case stAttr:
			i, stop = z.attr(in, i, final)
		case stCDATA:
			i, stop = z.cdata(in, i, final)
		case stComment:
			i, stop = z.delimited(in, i, final, commentSpecial, "-->")
		case stPI:
			i, stop = z.delimited(in, i, final, piSpecial, "?>")
		case stDecl:
			i, stop = z.decl(in, i, final)
		}
		if stop {
			break
		}
	}
	z.cut(i)
	z.pend = i
	z.r = i
}

// cut copies the input from z.pend, which needed no repair, up to in[i]
// to the output. The state functions move z.pend past what they replace.
func (z *Reader) cut(i int) {
	z.out = append(z.out, z.in[z.pend:i]...)
}

// Byte classes: a true entry stops the fast scan of that state. Every
// class holds the C0 controls (tab, LF and CR excepted) and the bytes
// 0x80-0xFF, which are checked for UTF-8.
var (
	textSpecial    = class("<&]")
	tagSpecial     = class("\"'>")
	attrSpecial    = class("\"'&")
	cdataSpecial   = class("]")
	commentSpecial = class("-")
	piSpecial      = class("?")
	declSpecial    = class("\"'[]>")
)

func class(s string) *[256]bool {
	var t [256]bool
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	for i := range len(s) {
		t[s[i]] = true
	}
	return &t
}

// next returns the index of the first byte at or after in[i] that t
// marks, or len(in). Unrolled: most bytes are plain text.
func next(t *[256]bool, in []byte, i int) int {
	for ; i+4 <= len(in); i += 4 {
		b := in[i : i+4 : i+4]
		if t[b[0]] {
			return i
		}
		if t[b[1]] {
			return i + 1
		}
		if t[b[2]] {
			return i + 2
		}
		if t[b[3]] {
			return i + 3
		}
	}
	for i < len(in) && !t[in[i]] {
		i++
	}
	return i
}

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// nextCDATA is next(cdataSpecial, in, i) for CDATA: it tests eight bytes
// at a time for a byte of 0x80 or more, one under 0x20 or a ']' (exact
// for a word of ASCII bytes, so a word that passes holds none), and goes
// to the lowest byte the test marks, which is one of those (a borrow only
// marks bytes above the byte that caused it) or a tab, LF or CR, which it
// passes. It used to look at the first 16 bytes one by one, for the short
// fields; going to the marked byte at once instead of looking through its
// word costs less on those too (BenchmarkReaderGenerated: in the commit).
func nextCDATA(in []byte, i int) int {
	for i+8 <= len(in) {
		x := binary.LittleEndian.Uint64(in[i:])
		y := x ^ (lo8 * ']')
		m := (x | (x-0x20*lo8)&^x | (y-lo8)&^y) & hi8
		if m == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(m) >> 3
		if c := in[i]; c != '\t' && c != '\n' && c != '\r' {
			return i
		}
		i++
	}
	return next(cdataSpecial, in, i)
}

// scalar returns the length of the valid UTF-8 sequence that starts at
// b[0] (>= 0x80) and encodes a character XML allows, or 0.
func scalar(b []byte) int {
	c := b[0]
	switch {
	case c < 0xC2:
	case c < 0xE0:
		if len(b) >= 2 && b[1]&0xC0 == 0x80 {
			return 2
		}
	case c < 0xF0:
		if len(b) >= 3 && b[1]&0xC0 == 0x80 && b[2]&0xC0 == 0x80 {
			switch {
			case c == 0xE0 && b[1] < 0xA0: // overlong
			case c == 0xED && b[1] >= 0xA0: // surrogate
			case c == 0xEF && b[1] == 0xBF && b[2] >= 0xBE: // U+FFFE, U+FFFF
			default:
				return 3
			}
		}
	case c < 0xF5:
		if len(b) >= 4 && b[1]&0xC0 == 0x80 && b[2]&0xC0 == 0x80 && b[3]&0xC0 == 0x80 {
			switch {
			case c == 0xF0 && b[1] < 0x90: // overlong
			case c == 0xF4 && b[1] >= 0x90: // beyond U+10FFFF
			default:
				return 4
			}
		}
	}
	return 0
}

// text scans character data from in[i]. It returns where it stopped and
// whether it needs more input to go on.
func (z *Reader) text(in []byte, i int, final bool) (int, bool) {
	for i < len(in) {
		if i = next(textSpecial, in, i); i == len(in) {
			break
		}
		c := in[i]
		if c >= 0x80 {
			if n := scalar(in[i:]); n > 0 {
				i += n
				continue
			}
		}
		if c == ']' {
			if i+2 >= len(in) {
				if !final {
					return i, true
				}
				i++
				continue
			}
			if in[i+1] != ']' || in[i+2] != '>' {
				i++
				continue
			}
			z.cut(i)
			z.out = append(z.out, "]]&gt;"...)
			z.mark(kStrayCDATAEnd, i)
			i += 3
			z.pend = i
			continue
		}
		var stop bool
		switch c {
		case '<':
			if n := plainTag(in[i:]); n > 0 {
				i += n // as the tag state would, without going there and back
				continue
			}
			if len(in)-i >= len(cdataOpen) && string(in[i:i+len(cdataOpen)]) == cdataOpen {
				z.st = stCDATA // what markup decides, for most fields
				return i + len(cdataOpen), false
			}
			n, stop := z.markup(in[i:], final)
			if stop {
				return i, true
			}
			return i + n, false
		case '&':
			i, stop = z.ref(in, i, final)
		default:
			i, stop = z.bad(in, i, final)
		}
		if stop {
			return i, true
		}
	}
	return i, false
}

const cdataOpen = "<![CDATA["

// markup decides which construct the < at b[0] opens, sets the state and
// returns how many bytes of it to copy, or stop when b is too short.
func (z *Reader) markup(b []byte, final bool) (n int, stop bool) {
	if len(b) < 2 {
		if !final {
			return 0, true
		}
		return 1, false
	}
	switch b[1] {
	case '!':
		for _, p := range [...]struct {
			s  string
			st state
		}{{"<![CDATA[", stCDATA}, {"<!--", stComment}} {
			if len(b) < len(p.s) && !final && bytes.HasPrefix([]byte(p.s), b) {
				return 0, true
			}
			if bytes.HasPrefix(b, []byte(p.s)) {
				z.st = p.st
				return len(p.s), false
			}
		}
		z.st, z.quote, z.depth = stDecl, 0, 0
		return 2, false
	case '?':
		z.st = stPI
		return 2, false
	}
	z.st = stTag
	return 1, false
}

// plainTag returns the length of the start or end tag at b[0] (a '<')
// when the tag state would pass it through as it is and end at its '>':
// a tag without quotes, controls or bytes of 0x80 or more (most tags,
// <wp:post_id>, </item>), whole in b. It returns 0 for any other, and
// for a '<' that opens a comment, CDATA, a declaration or a processing
// instruction.
//
// It tests eight bytes at a time, as nextCDATA does, for a '>', a byte
// under 0x28 (the controls, space, and the quotes 0x22 and 0x27,
// in one test) or one of 0x80 or more: the lowest byte such a test marks
// is one of those (a borrow only marks bytes above the one that caused
// it), which the table then tells apart. A tag of WXR is two or three
// words. Looking its bytes up one by one was 6% of BenchmarkParseSource's
// profile; words that test for each quote apart cost a quarter more than
// these (microbenchmark over the tags of the 10 MB export: 3.9 ms one by
// one, 3.0 with each quote tested, 2.5 with the range).
func plainTag(b []byte) int {
	if len(b) < 2 || b[1] == '!' || b[1] == '?' {
		return 0
	}
	t := tagSpecial
	i := 1
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		g := x ^ (lo8 * '>')
		m := (x | (x-0x28*lo8)&^x | (g-lo8)&^g) & hi8
		if m == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(m) >> 3
		if c := b[i]; t[c] {
			if c == '>' {
				return i + 1
			}
			return 0
		}
		i++ // white space, '!', '#' … '&': go on
	}
	for ; i < len(b); i++ {
		if c := b[i]; t[c] {
			if c == '>' {
				return i + 1
			}
			return 0
		}
	}
	return 0
}

// tag scans the inside of a start or end tag.
func (z *Reader) tag(in []byte, i int, final bool) (int, bool) {
	for i < len(in) {
		if i = next(tagSpecial, in, i); i == len(in) {
			break
		}
		c := in[i]
		if c >= 0x80 {
			if n := scalar(in[i:]); n > 0 {
				i += n
				continue
			}
		}
		switch c {
		case '"', '\'':
			z.st, z.quote = stAttr, c
			return i + 1, false
		case '>':
			z.st = stText
			return i + 1, false
		}
		var stop bool
		if i, stop = z.bad(in, i, final); stop {
			return i, true
		}
	}
	return i, false
}

// attr scans a quoted attribute value.
func (z *Reader) attr(in []byte, i int, final bool) (int, bool) {
	for i < len(in) {
		if i = next(attrSpecial, in, i); i == len(in) {
			break
		}
		c := in[i]
		if c >= 0x80 {
			if n := scalar(in[i:]); n > 0 {
				i += n
				continue
			}
		}
		if c == '"' || c == '\'' {
			i++
			if c == z.quote {
				z.st = stTag
				return i, false
			}
			continue
		}
		var stop bool
		if c == '&' {
			i, stop = z.ref(in, i, final)
		} else {
			i, stop = z.bad(in, i, final)
		}
		if stop {
			return i, true
		}
	}
	return i, false
}

// cdata scans a CDATA section. A ]]> ends it only when white space and
// then </ or <![CDATA[ (or the end of the input) follow; any other ]]> is
// data that old exporters did not escape, and is written as
// ]]]]><![CDATA[> so that the section goes on.
func (z *Reader) cdata(in []byte, i int, final bool) (int, bool) {
	for i < len(in) {
		if i = nextCDATA(in, i); i == len(in) {
			break
		}
		c := in[i]
		if c >= 0x80 {
			if n := scalar(in[i:]); n > 0 {
				i += n
				continue
			}
		}
		if c == ']' {
			if i+2 >= len(in) {
				if !final {
					return i, true
				}
				i++
				continue
			}
			if in[i+1] != ']' || in[i+2] != '>' {
				i++
				continue
			}
			end, stop := cdataCloses(in[i+3:], final)
			if stop {
				return i, true
			}
			if end {
				z.st = stText
				return i + 3, false
			}
			z.cut(i)
			z.out = append(z.out, "]]]]><![CDATA[>"...)
			z.mark(kCDATAEnd, i)
			i += 3
			z.pend = i
			continue
		}
		var stop bool
		if i, stop = z.bad(in, i, final); stop {
			return i, true
		}
	}
	return i, false
}

// cdataCloses reports whether the ]]> just before b ends its CDATA
// section, or stop when b is too short to tell.
func cdataCloses(b []byte, final bool) (end, stop bool) {
	j := 0
	for j < len(b) && j < spaceLimit && isSpace(b[j]) {
		j++
	}
	if j == spaceLimit {
		return true, false
	}
	b = b[j:]
	const open = "<![CDATA["
	switch {
	case len(b) == 0:
		return final, !final
	case b[0] != '<':
		return false, false
	case len(b) == 1:
		return final, !final
	case b[1] == '/':
		return true, false
	case b[1] != '!':
		return false, false
	case len(b) < len(open) && bytes.HasPrefix([]byte(open), b):
		return final, !final
	}
	return bytes.HasPrefix(b, []byte(open)), false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// delimited scans a comment or processing instruction up to end.
func (z *Reader) delimited(in []byte, i int, final bool, special *[256]bool, end string) (int, bool) {
	for i < len(in) {
		if i = next(special, in, i); i == len(in) {
			break
		}
		c := in[i]
		if c >= 0x80 {
			if n := scalar(in[i:]); n > 0 {
				i += n
				continue
			}
		}
		if c == end[0] {
			if i+len(end) > len(in) {
				if !final {
					return i, true
				}
				i++
				continue
			}
			if string(in[i:i+len(end)]) == end {
				i += len(end)
				z.st = stText
				return i, false
			}
			i++
			continue
		}
		var stop bool
		if i, stop = z.bad(in, i, final); stop {
			return i, true
		}
	}
	return i, false
}

// decl scans a <!DOCTYPE …> or other declaration up to the > that is
// outside quotes and brackets.
func (z *Reader) decl(in []byte, i int, final bool) (int, bool) {
	for i < len(in) {
		if i = next(declSpecial, in, i); i == len(in) {
			break
		}
		c := in[i]
		if c >= 0x80 {
			if n := scalar(in[i:]); n > 0 {
				i += n
				continue
			}
		}
		switch {
		case c == '"' || c == '\'':
			if z.quote == 0 {
				z.quote = c
			} else if z.quote == c {
				z.quote = 0
			}
			i++
			continue
		case z.quote != 0 && (c == '[' || c == ']' || c == '>'):
			i++
			continue
		case c == '[':
			z.depth++
			i++
			continue
		case c == ']':
			if z.depth > 0 {
				z.depth--
			}
			i++
			continue
		case c == '>':
			i++
			if z.depth == 0 {
				z.st = stText
				return i, false
			}
			continue
		}
		var stop bool
		if i, stop = z.bad(in, i, final); stop {
			return i, true
		}
	}
	return i, false
}

// bad repairs the control character or the bytes that are not valid
// UTF-8 (or are U+FFFE/U+FFFF) at in[i]. It returns where the input goes
// on, or stop when in is too short to decide.
func (z *Reader) bad(in []byte, i int, final bool) (int, bool) {
	c := in[i]
	if c < 0x80 {
		// A C0 control: drop it, and any that follow; a run of them is
		// one repair, also when it spans two windows.
		z.cut(i)
		if z.base+int64(i) != z.ctlEnd {
			z.mark(kIllegalChar, i)
		}
		for i < len(in) && in[i] < 0x20 && in[i] != '\t' && in[i] != '\n' && in[i] != '\r' {
			i++
		}
		z.ctlEnd = z.base + int64(i)
		z.pend = i
		return i, false
	}
	if !final && !utf8.FullRune(in[i:]) {
		return i, true
	}
	if _, n := utf8.DecodeRune(in[i:]); n > 1 {
		// Valid UTF-8 for a character XML forbids: U+FFFE or U+FFFF.
		z.cut(i)
		z.mark(kIllegalChar, i)
		z.pend = i + n
		return i + n, false
	}
	// A run of bytes that are not UTF-8.
	j := i
	for j < len(in) && j-i <= maxLatinRun && invalidAt(in[j:]) {
		if !final && !utf8.FullRune(in[j:]) {
			return i, true
		}
		j++
	}
	if j == len(in) && !final {
		return i, true // the run or the byte after it is not read yet
	}
	at := z.base + int64(i)
	z.cut(i)
	if z.latin != nil {
		// The declared single-byte encoding.
		for _, b := range in[i:j] {
			z.out = utf8.AppendRune(z.out, z.latin[b])
		}
		z.pend = j
		return j, false
	}
	if j-i <= maxLatinRun && at != z.garbageEnd && at != z.ctlEnd &&
		(j == len(in) || !isControl(in[j])) && latinRun(in[i:j]) {
		for _, b := range in[i:j] {
			z.out = utf8.AppendRune(z.out, windows1252[b])
		}
		z.mark(kWindows1252, i)
		z.pend = j
		return j, false
	}
	// Garbage: the whole run becomes one U+FFFD.
	for j < len(in) && invalidAt(in[j:]) && (final || utf8.FullRune(in[j:])) {
		j++
	}
	if at != z.garbageEnd {
		z.out = append(z.out, "\uFFFD"...)
		z.mark(kInvalidUTF8, i)
	}
	z.garbageEnd = z.base + int64(j)
	z.pend = j
	return j, false
}

// invalidAt reports whether b[0] starts no valid UTF-8 sequence.
func invalidAt(b []byte) bool {
	if b[0] < 0x80 {
		return false
	}
	r, n := utf8.DecodeRune(b)
	return r == utf8.RuneError && n == 1
}

func isControl(c byte) bool {
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r'
}

// latinRun reports whether a short run of invalid bytes reads as
// Windows-1252 text: no byte Windows-1252 leaves undefined, and not the
// start of a multi-byte UTF-8 sequence cut short.
func latinRun(run []byte) bool {
	if len(run) >= 2 && run[0] >= 0xC0 && run[0] <= 0xF4 && run[1]&0xC0 == 0x80 {
		return false
	}
	for _, b := range run {
		if windows1252[b] == utf8.RuneError {
			return false
		}
	}
	return true
}

// windows1252 maps each byte to its Windows-1252 character; the five
// bytes the code page leaves undefined map to U+FFFD.
var windows1252 = func() *[256]rune {
	var t [256]rune
	for i := range t {
		t[i] = rune(i)
	}
	high := []rune("€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ")
	copy(t[0x80:0xA0], high)
	return &t
}()

// ref repairs the entity or character reference that starts with the &
// at in[i]. It returns where the input goes on, or stop when in is too
// short to decide.
func (z *Reader) ref(in []byte, i int, final bool) (int, bool) {
	j := i + 1
	for j < len(in) && j-i < maxRef && isRefByte(in[j]) {
		j++
	}
	if j == len(in) && j-i < maxRef && !final {
		return i, true
	}
	if j == len(in) || in[j] != ';' || j == i+1 {
		return z.bareAmp(i), false
	}
	body := in[i+1 : j]
	end := j + 1
	if body[0] == '#' {
		digits, base, upper := body[1:], 10, false
		if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
			digits, base, upper = digits[1:], 16, digits[0] == 'X'
		}
		n, ok := parseRef(digits, base)
		switch {
		case !ok:
			return z.bareAmp(i), false
		case !isXMLChar(n):
			z.cut(i)
			z.mark(kIllegalChar, i)
			z.pend = end
		case upper:
			z.cut(i)
			z.out = append(z.out, "&#x"...)
			z.out = append(z.out, digits...)
			z.out = append(z.out, ';')
			z.mark(kHTMLEntity, i)
			z.pend = end
		}
		return end, false
	}
	switch string(body) {
	case "amp", "lt", "gt", "quot", "apos":
		return end, false
	}
	num, ok := z.ents[string(body)]
	if !ok {
		// Only hits are cached: HTML defines a bounded set of names.
		if num = htmlEntity(string(body)); num != nil {
			if z.ents == nil {
				z.ents = make(map[string][]byte)
			}
			z.ents[string(body)] = num
		}
	}
	if num == nil {
		return z.bareAmp(i), false
	}
	z.cut(i)
	z.out = append(z.out, num...)
	z.mark(kHTMLEntity, i)
	z.pend = end
	return end, false
}

func (z *Reader) bareAmp(i int) int {
	z.cut(i)
	z.out = append(z.out, "&amp;"...)
	z.mark(kBareAmpersand, i)
	z.pend = i + 1
	return i + 1
}

func isRefByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '#'
}

// parseRef parses the digits of a character reference.
func parseRef(digits []byte, base int) (rune, bool) {
	if len(digits) == 0 {
		return 0, false
	}
	var n rune
	for _, c := range digits {
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, false
		}
		if n = n*rune(base) + d; n > utf8.MaxRune {
			return 0, false
		}
	}
	return n, true
}

// isXMLChar reports whether XML 1.0 allows the character r.
func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= utf8.MaxRune
}

// htmlEntity returns the numeric references for the HTML5 named entity
// name (without & and ;), or nil when HTML does not define it.
func htmlEntity(name string) []byte {
	ref := "&" + name + ";"
	s := html.UnescapeString(ref)
	// UnescapeString also decodes a known prefix ("&notit;" → "¬it;");
	// only an exact match leaves no ";" behind ("&semi;" is ";").
	if s == ref || (len(s) > 1 && s[len(s)-1] == ';') {
		return nil
	}
	var b []byte
	for _, r := range s {
		if !isXMLChar(r) {
			return nil
		}
		b = append(b, "&#"...)
		b = strconv.AppendInt(b, int64(r), 10)
		b = append(b, ';')
	}
	return b
}
