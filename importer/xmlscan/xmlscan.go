// Package xmlscan is a streaming XML tokenizer that gives the tokens,
// errors, offsets and lines of encoding/xml's Decoder.Token in strict mode,
// several times faster: it scans a buffer in spans instead of reading
// through an io.ByteReader one byte at a time, returns character data
// that needs no decoding as a slice of that buffer, counts lines only when
// asked, checks character ranges a word at a time, and keeps what it
// learnt of each element name: split, translated, and which name came
// next last time, which it compares before reading one.
//
// What it gives is what importer.Reader uses of encoding/xml: start and
// end elements with their names translated by the prefix bindings in scope
// (xmlns and xmlns:p attributes; an undeclared prefix stays as the space),
// attributes, character data with CDATA sections and entities decoded
// (the five XML entities, numeric references and a caller's Entity map),
// comments, processing instructions (an XML declaration naming another
// encoding switches the input through CharsetReader), directives,
// InputOffset and InputPos; and the same well-formedness errors, as
// *xml.SyntaxError with the same message and line: mismatched and
// unexpected end tags, unexpected EOF, "]]>" outside CDATA, "--" in
// comments, invalid names, unquoted attribute values, unknown entities,
// invalid UTF-8 and characters outside XML's range. A differential test
// holds it to encoding/xml over the corpus, generated exports and a fuzz
// target.
//
// Not provided: non-strict mode, AutoClose, DefaultSpace, RawToken,
// Unmarshal.
package xmlscan

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// readSize is how much the Decoder asks its reader for at a time, the
// read-ahead of encoding/xml's bufio.Reader: callers that watch the reader
// (importer's tap) rely on the Decoder holding no more than that unread.
const readSize = 4096

// Decoder reads XML tokens from a stream. Set Entity and CharsetReader
// before the first Token.
type Decoder struct {
	// Entity maps entity names to their text, besides the five XML
	// predefines (as xml.Decoder.Entity; xml.HTMLEntity for HTML's).
	Entity map[string]string
	// CharsetReader, if set, is called for an XML declaration that names
	// an encoding other than UTF-8 and returns a reader of UTF-8.
	CharsetReader func(charset string, input io.Reader) (io.Reader, error)
	// Checked says the input is valid UTF-8 holding only characters XML
	// allows, as clean.Reader yields it: text and CDATA taken from it as
	// they are are then not checked again (checking them was 7% of the
	// importer's parsing of the cleaned 10 MB benchmark export). Text with
	// character references, which may decode to any character, still is.
	// An XML declaration that switches to another encoding clears it.
	Checked bool

	src   io.Reader
	buf   []byte
	r, w  int   // buf[r:w] is read but not yet consumed
	base  int64 // stream offset of buf[0]
	rerr  error // the reader's error, once buf is drained
	err   error // sticky: returned by every Token from now on
	line  int   // lines up to buf[lpos]
	lpos  int
	lnpos int64 // stream offset where the current line starts
	// tok and mark are offsets whose lines are found only when asked
	// (TokenLine, MarkLine), or before fill drops them from buf.
	tokLine, markLine lazyLine

	needClose bool
	toClose   xml.Name
	// tok is the token Next read last; rawToken leaves elements and text
	// in it (see startMark).
	tok Tok

	stk  []frame
	ns   map[string]string
	undo []nsUndo

	out   []byte
	names map[string]string
	infos map[string]*nameInfo
	// cache holds names seen before in front of infos, by a hash of a
	// few of their bytes: a slot compared is cheaper than a map lookup.
	cache [256]*nameInfo
	info  *nameInfo // of the last start element
	prev  *nameInfo // of the element that ended last at the current depth, or nil
	gen   uint64    // generation of the bindings, counted up when they change
	// pfx holds prefixes translated with the bindings in scope (npfx of
	// them, none after a binding changed; WXR uses six or seven).
	pfx  [8]binding
	npfx int
}

// Kind is the kind of a token Next read.
type Kind uint8

// The kinds of token.
const (
	KindStart Kind = iota + 1 // a start element, in Tok.Start
	KindEnd                   // an end element, in Tok.End
	KindText                  // character data (text, CDATA), in Tok.Text
	KindOther                 // a comment, processing instruction or directive, in Tok.Other
)

// Tok is a token as Next returns it: its kind and, in the field of that
// kind, the token as Token would return it.
type Tok struct {
	Kind  Kind
	Start xml.StartElement
	End   xml.EndElement
	Text  []byte    // valid until the next call, as xml.CharData from Token
	Other xml.Token // xml.Comment, xml.ProcInst or xml.Directive
}

// startMark, endMark and textMark are what rawToken returns for a token
// it left in Decoder.tok: values of size zero, so returning one in an
// xml.Token allocates nothing. Boxing every element in rawToken and again
// in Token cost two allocations per element (0.25 s of the 4 s xmlscan
// took on the 200 MB benchmark export); Next boxes nothing, Token once.
type (
	startMark struct{}
	endMark   struct{}
	textMark  struct{}
)

type frame struct {
	info *nameInfo
	tr   xml.Name // name translated, as its end element's will be
	undo int      // len(undo) before this element's bindings
}

// nameInfo is what the Decoder knows of a name: as written, split at its
// colon, translated, and which element names followed it. WXR repeats
// the same elements in the same order, so the name of a start tag is
// first compared with the one that came at that place last time (after
// the same sibling, or first in the same parent), which costs less than
// reading and looking it up.
type nameInfo struct {
	raw   string    // as written, prefix and colon included
	name  xml.Name  // split (prefix in Space)
	tr    xml.Name  // name translated as an element's with the bindings of generation gen
	gen   uint64    // 0: not translated yet
	first *nameInfo // the first child of the last element of this name
	next  *nameInfo // the element that followed the last one of this name
}

// binding is an entry of Decoder.pfx: what a prefix translates to.
type binding struct {
	prefix, uri string
	ok          bool
}

type nsUndo struct {
	prefix, old string
	ok          bool
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{
		src:   r,
		buf:   make([]byte, 0, 2*readSize),
		line:  1,
		ns:    map[string]string{},
		names: map[string]string{},
		infos: map[string]*nameInfo{},
		gen:   1,
	}
}

// InputOffset returns the stream offset of the end of the token last
// returned and the start of the next.
func (d *Decoder) InputOffset() int64 { return d.base + int64(d.r) }

// lazyLine is the stream offset off, and its line once known (0 before).
type lazyLine struct {
	off  int64
	line int
}

// TokenLine returns the line (1-based) where the token Next read last
// starts, which is the line of InputOffset before that Next; while Next
// is reading (from inside the Decoder's reader), that of the token being
// read. It costs little until asked: a reader that wants a token's line
// only when something is wrong with it can ask for it then, instead of
// asking InputPos before every token.
func (d *Decoder) TokenLine() int { return d.lineOf(&d.tokLine) }

// Mark remembers InputOffset, whose line MarkLine returns until the next
// Mark, however far the Decoder has read since.
func (d *Decoder) Mark() { d.markLine = lazyLine{off: d.InputOffset()} }

// MarkLine returns the line (1-based) of the offset Mark remembered.
func (d *Decoder) MarkLine() int { return d.lineOf(&d.markLine) }

func (d *Decoder) lineOf(l *lazyLine) int {
	if l.line == 0 {
		l.line = d.lineAt(int(l.off - d.base))
	}
	return l.line
}

// lineAt returns the line of buf[k], counting from lpos either way.
func (d *Decoder) lineAt(k int) int {
	if k >= d.lpos {
		return d.line + bytes.Count(d.buf[d.lpos:k], nl)
	}
	return d.line - bytes.Count(d.buf[k:d.lpos], nl)
}

// InputPos returns the line (1-based) and column of InputOffset.
func (d *Decoder) InputPos() (line, column int) {
	d.countLines()
	return d.line, int(d.InputOffset()-d.lnpos) + 1
}

var nl = []byte{'\n'}

// countLines brings line up to buf[r]. A reader that asks for the line of
// every token asks over a few bytes each time: those are counted in a
// loop, which costs less than bytes.Count's call for them.
func (d *Decoder) countLines() {
	if d.lpos >= d.r {
		return
	}
	seg := d.buf[d.lpos:d.r]
	n, last := 0, -1
	if len(seg) <= 32 {
		for i, c := range seg {
			if c == '\n' {
				n++
				last = i
			}
		}
	} else if n = bytes.Count(seg, nl); n > 0 {
		last = bytes.LastIndexByte(seg, '\n')
	}
	if n > 0 {
		d.line += n
		d.lnpos = d.base + int64(d.lpos+last+1)
	}
	d.lpos = d.r
}

// dropLines counts the lines of buf[:r], which fill is about to drop, and
// finds the lines of the token's start and the mark if they are there.
func (d *Decoder) dropLines() {
	for _, l := range []*lazyLine{&d.tokLine, &d.markLine} {
		if l.line == 0 && l.off-d.base <= int64(d.r) {
			d.lineOf(l)
		}
	}
	d.countLines()
}

func (d *Decoder) syntaxError(msg string) error {
	d.countLines()
	return &xml.SyntaxError{Msg: msg, Line: d.line}
}

// fill reads more input after buf[r:w], keeping it. It returns false with
// d.err set (io.EOF or the reader's error) when there is no more.
func (d *Decoder) fill() bool {
	if d.err != nil {
		return false
	}
	if d.rerr != nil {
		d.err = d.rerr
		return false
	}
	if d.r > 0 {
		d.dropLines()
		n := copy(d.buf[:cap(d.buf)], d.buf[d.r:d.w])
		d.base += int64(d.r)
		d.lpos -= d.r
		d.w = n
		d.r = 0
		d.buf = d.buf[:n]
	}
	if cap(d.buf) > 4<<20 && d.w <= readSize {
		// Do not keep a giant token's buffer.
		d.buf = append(make([]byte, 0, 2*readSize), d.buf[:d.w]...)
	}
	if cap(d.buf)-d.w < readSize {
		nb := make([]byte, d.w, 2*cap(d.buf)+readSize)
		copy(nb, d.buf[:d.w])
		d.buf = nb
	}
	for empty := 0; ; empty++ {
		n, err := d.src.Read(d.buf[d.w : d.w+readSize])
		if n < 0 || n > readSize {
			n, err = 0, errors.New("xmlscan: reader returned an invalid count")
		}
		d.w += n
		d.buf = d.buf[:d.w]
		if err != nil {
			d.rerr = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			d.err = err
			return false
		}
		if empty > 100 {
			d.err = io.ErrNoProgress
			return false
		}
	}
}

func (d *Decoder) getc() (byte, bool) {
	if d.r >= d.w && !d.fill() {
		return 0, false
	}
	b := d.buf[d.r]
	d.r++
	return b, true
}

func (d *Decoder) mustgetc() (byte, bool) {
	b, ok := d.getc()
	if !ok && d.err == io.EOF {
		d.err = d.syntaxError("unexpected EOF")
	}
	return b, ok
}

// ungetc puts back the byte getc just returned.
func (d *Decoder) ungetc() {
	d.r--
	if d.lpos > d.r {
		// Lines were counted past the byte put back.
		if d.buf[d.r] == '\n' {
			d.line--
		}
		d.lpos = d.r
	}
}

func (d *Decoder) space() {
	for {
		if d.r >= d.w && !d.fill() {
			return
		}
		switch d.buf[d.r] {
		case ' ', '\r', '\n', '\t':
			d.r++
		default:
			return
		}
	}
}

// SkipSpace consumes the character data before the next token if it is
// only white space and the buffer already shows the '<' after it: the
// text token Next would return next, which a reader that ignores the text
// between elements has no use for (WXR has one between every two
// elements). Such a token can be no error. SkipSpace does nothing
// otherwise, or while an empty element's end is pending.
func (d *Decoder) SkipSpace() {
	if d.err != nil || d.needClose {
		return
	}
	for i := d.r; i < d.w; i++ {
		switch d.buf[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case '<':
			d.r = i
		}
		return
	}
}

// Token returns the next token, as encoding/xml's Decoder.Token does in
// strict mode: io.EOF at the end of input after the last element closed,
// an *xml.SyntaxError for malformed input, or the reader's error.
func (d *Decoder) Token() (xml.Token, error) {
	t, err := d.Next()
	if err != nil {
		return nil, err
	}
	switch t.Kind {
	case KindStart:
		return t.Start, nil
	case KindEnd:
		return t.End, nil
	case KindText:
		return xml.CharData(t.Text), nil
	}
	return t.Other, nil
}

// Next reads the next token as Token does, with the same errors, and
// returns it without boxing it in an xml.Token: a reader that switches on
// the kind allocates nothing per token. The Tok is the Decoder's, valid
// until the next call.
func (d *Decoder) Next() (*Tok, error) {
	d.tokLine = lazyLine{off: d.InputOffset()}
	if cap(d.out) > 4<<20 {
		d.out = nil // do not keep a giant token's buffer
	}
	t, err := d.rawToken()
	if t == nil && err != nil {
		if err == io.EOF && len(d.stk) > 0 {
			err = d.syntaxError("unexpected EOF")
		}
		return nil, err
	}
	tok := &d.tok
	switch t.(type) {
	case startMark:
		tok.Kind = KindStart
		t1 := &tok.Start
		mark := len(d.undo)
		for _, a := range t1.Attr {
			if a.Name.Space == "xmlns" {
				v, ok := d.ns[a.Name.Local]
				d.undo = append(d.undo, nsUndo{a.Name.Local, v, ok})
				d.ns[a.Name.Local] = a.Value
			}
			if a.Name.Space == "" && a.Name.Local == "xmlns" {
				v, ok := d.ns[""]
				d.undo = append(d.undo, nsUndo{"", v, ok})
				d.ns[""] = a.Value
			}
		}
		if len(d.undo) > mark {
			d.npfx = 0
			d.gen++
		}
		if info := d.info; info.gen == d.gen {
			t1.Name = info.tr
		} else {
			d.translate(&t1.Name, true)
			info.tr, info.gen = t1.Name, d.gen
		}
		// The frame's fields are stored one by one: a frame built whole
		// is written to the stack word by word and copied from there in
		// 16-byte loads, which cannot take the words from the stores
		// still on their way (a stall at every start element).
		d.stk = append(d.stk, frame{})
		f := &d.stk[len(d.stk)-1]
		f.info, f.tr, f.undo = d.info, t1.Name, mark
		d.prev = nil
		for i := range t1.Attr {
			d.translate(&t1.Attr[i].Name, false)
		}
		return tok, nil
	case endMark:
		tok.Kind = KindEnd
		if !d.popElement(&tok.End) {
			return nil, d.err
		}
		return tok, nil
	case textMark:
		tok.Kind = KindText
		return tok, nil
	}
	tok.Kind, tok.Other = KindOther, t
	return tok, nil
}

const xmlURL = "http://www.w3.org/XML/1998/namespace"

func (d *Decoder) translate(n *xml.Name, isElementName bool) {
	switch {
	case n.Space == "xmlns":
		return
	case n.Space == "" && !isElementName:
		return
	case n.Space == "xml":
		n.Space = xmlURL
	case n.Space == "" && n.Local == "xmlns":
		return
	}
	for i := range d.npfx {
		if b := &d.pfx[i]; b.prefix == n.Space {
			if b.ok {
				n.Space = b.uri
			}
			return
		}
	}
	v, ok := d.ns[n.Space]
	if d.npfx == len(d.pfx) {
		d.npfx = 0 // more prefixes than a WXR file uses: start again
	}
	d.pfx[d.npfx] = binding{n.Space, v, ok}
	d.npfx++
	if ok {
		n.Space = v
	}
}

func (d *Decoder) popElement(t *xml.EndElement) bool {
	name := t.Name
	if len(d.stk) == 0 {
		d.err = d.syntaxError("unexpected end element </" + name.Local + ">")
		return false
	}
	s := d.stk[len(d.stk)-1]
	d.stk = d.stk[:len(d.stk)-1]
	sname := s.info.name
	switch {
	case sname.Local != name.Local:
		d.err = d.syntaxError("element <" + sname.Local + "> closed by </" + name.Local + ">")
		return false
	case sname.Space != name.Space:
		ns := name.Space
		if name.Space == "" {
			ns = `""`
		}
		d.err = d.syntaxError("element <" + sname.Local + "> in space " + sname.Space +
			" closed by </" + name.Local + "> in space " + ns)
		return false
	}
	// The bindings are those its start element was translated with.
	t.Name = s.tr
	d.closed(s)
	return true
}

// closed undoes the bindings of the element of s, just popped.
func (d *Decoder) closed(s frame) {
	if len(d.undo) > s.undo {
		d.npfx = 0
		d.gen++
	}
	d.prev = s.info
	for i := len(d.undo) - 1; i >= s.undo; i-- {
		u := d.undo[i]
		if u.ok {
			d.ns[u.prefix] = u.old
		} else {
			delete(d.ns, u.prefix)
		}
	}
	d.undo = d.undo[:s.undo]
}

// SimpleText reads at once what most elements of WXR hold after their
// start tag: one piece of character data that needs no decoding (text
// without '&' or '\r', or one CDATA section without '\r') and the end tag
// of the element, written as its start tag's name and '>'. When the
// buffer holds all of that and the characters are valid, it consumes it
// and returns the data (valid until the next call, empty when there is
// none) and true, as if Next had returned the data as a text token (none
// when empty) and then the end element, which Tok then holds. Otherwise
// it consumes nothing and returns false, and Next reads on as always.
func (d *Decoder) SimpleText() ([]byte, bool) {
	n := len(d.stk)
	if d.err != nil || d.needClose || n == 0 {
		return nil, false
	}
	s := d.stk[n-1]
	seg := d.buf[d.r:d.w]
	var data []byte
	i := 0
	if len(seg) > 9 && seg[1] == '!' && string(seg[:9]) == "<![CDATA[" {
		k := indexCDATAEnd(seg[9:])
		if k < 0 {
			return nil, false
		}
		data, i = seg[9:9+k], 9+k+len(cdataEnd)
	} else {
		for i < len(seg) && class[seg[i]]&cText == 0 {
			i++
		}
		data = seg[:i]
	}
	raw := s.info.raw
	end := i + 2 + len(raw)
	if end >= len(seg) || seg[end] != '>' || seg[i] != '<' || seg[i+1] != '/' || string(seg[i+2:end]) != raw ||
		bytes.IndexByte(data, '\r') >= 0 || !d.Checked && checkChars(data) != "" {
		return nil, false
	}
	d.tokLine = lazyLine{off: d.InputOffset() + int64(i)} // the end tag's
	d.r += end + 1
	d.stk = d.stk[:n-1]
	d.closed(s)
	d.tok.Kind, d.tok.End = KindEnd, xml.EndElement{Name: s.tr}
	return data, true
}

func (d *Decoder) rawToken() (xml.Token, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.needClose {
		d.needClose = false
		d.tok.End = xml.EndElement{Name: d.toClose}
		return endMark{}, nil
	}
	b, ok := d.getc()
	if !ok {
		return nil, d.err
	}
	if b != '<' {
		d.ungetc()
		data := d.text(-1, false)
		if data == nil {
			return nil, d.err
		}
		d.tok.Text = data
		return textMark{}, nil
	}
	if b, ok = d.mustgetc(); !ok {
		return nil, d.err
	}
	switch b {
	case '/':
		var name xml.Name
		if n := len(d.stk); n > 0 && d.closes(d.stk[n-1].info.raw) {
			// The end tag of the open element, as it should be.
			name = d.stk[n-1].info.name
		} else if info := d.nsname(); info != nil {
			name = info.name
		} else {
			if d.err == nil {
				d.err = d.syntaxError("expected element name after </")
			}
			return nil, d.err
		}
		d.space()
		if b, ok = d.mustgetc(); !ok {
			return nil, d.err
		}
		if b != '>' {
			d.err = d.syntaxError("invalid characters between </" + name.Local + " and >")
			return nil, d.err
		}
		d.tok.End = xml.EndElement{Name: name}
		return endMark{}, nil
	case '?':
		return d.procInst()
	case '!':
		if b, ok = d.mustgetc(); !ok {
			return nil, d.err
		}
		switch b {
		case '-':
			return d.comment()
		case '[':
			if d.w-d.r >= 6 && string(d.buf[d.r:d.r+6]) == "CDATA[" {
				d.r += 6
			} else {
				for i := 0; i < 6; i++ {
					if b, ok = d.mustgetc(); !ok {
						return nil, d.err
					}
					if b != "CDATA["[i] {
						d.err = d.syntaxError("invalid <![ sequence")
						return nil, d.err
					}
				}
			}
			data := d.text(-1, true)
			if data == nil {
				return nil, d.err
			}
			d.tok.Text = data
			return textMark{}, nil
		}
		return d.directive(b)
	}
	d.ungetc()
	// The name that came after the previous sibling last time, or first
	// in the parent; else the name read.
	var pred *nameInfo
	if d.prev != nil {
		pred = d.prev.next
	} else if n := len(d.stk); n > 0 {
		pred = d.stk[n-1].info.first
	}
	info := pred
	if info == nil || !d.closes(info.raw) {
		if info = d.nsname(); info != nil {
			if d.prev != nil {
				d.prev.next = info
			} else if n := len(d.stk); n > 0 {
				d.stk[n-1].info.first = info
			}
		}
	}
	if info == nil {
		if d.err == nil {
			d.err = d.syntaxError("expected element name after <")
		}
		return nil, d.err
	}
	name := info.name
	attr := []xml.Attr{}
	empty := false
	for {
		if d.r < d.w && d.buf[d.r] == '>' {
			d.r++ // the common case: the end of the tag, at once
			break
		}
		d.space()
		if b, ok = d.mustgetc(); !ok {
			return nil, d.err
		}
		if b == '/' {
			empty = true
			if b, ok = d.mustgetc(); !ok {
				return nil, d.err
			}
			if b != '>' {
				d.err = d.syntaxError("expected /> in element")
				return nil, d.err
			}
			break
		}
		if b == '>' {
			break
		}
		d.ungetc()
		var a xml.Attr
		ai := d.nsname()
		if ai == nil {
			if d.err == nil {
				d.err = d.syntaxError("expected attribute name in element")
			}
			return nil, d.err
		}
		a.Name = ai.name
		d.space()
		if b, ok = d.mustgetc(); !ok {
			return nil, d.err
		}
		if b != '=' {
			d.err = d.syntaxError("attribute name without = in element")
			return nil, d.err
		}
		d.space()
		if b, ok = d.mustgetc(); !ok {
			return nil, d.err
		}
		if b != '"' && b != '\'' {
			d.err = d.syntaxError("unquoted or missing attribute value in element")
			return nil, d.err
		}
		data := d.text(int(b), false)
		if data == nil {
			return nil, d.err
		}
		a.Value = string(data)
		attr = append(attr, a)
	}
	if empty {
		d.needClose = true
		d.toClose = name
	}
	d.tok.Start.Name, d.tok.Start.Attr = name, attr // one by one, as the frame in Next
	d.info = info
	return startMark{}, nil
}

// closes reports whether buf[r:] starts with raw and a byte no name has,
// and consumes raw if so.
func (d *Decoder) closes(raw string) bool {
	seg := d.buf[d.r:d.w]
	if len(seg) > len(raw) && string(seg[:len(raw)]) == raw && !nameByte[seg[len(raw)]] {
		d.r += len(raw)
		return true
	}
	return false
}

func (d *Decoder) procInst() (xml.Token, error) {
	target, ok := d.name()
	if !ok {
		if d.err == nil {
			d.err = d.syntaxError("expected target name after <?")
		}
		return nil, d.err
	}
	d.space()
	out := d.out[:0]
	var b0 byte
	for {
		b, ok := d.mustgetc()
		if !ok {
			return nil, d.err
		}
		out = append(out, b)
		if b0 == '?' && b == '>' {
			break
		}
		b0 = b
	}
	d.out = out
	data := out[:len(out)-2]
	if target == "xml" {
		content := string(data)
		ver := procInstParam("version", content)
		if ver != "" && ver != "1.0" {
			d.err = fmt.Errorf("xml: unsupported version %q; only version 1.0 is supported", ver)
			return nil, d.err
		}
		enc := procInstParam("encoding", content)
		if enc != "" && enc != "utf-8" && enc != "UTF-8" && !strings.EqualFold(enc, "utf-8") {
			if d.CharsetReader == nil {
				d.err = fmt.Errorf("xml: encoding %q declared but Decoder.CharsetReader is nil", enc)
				return nil, d.err
			}
			d.dropLines()
			rest := io.MultiReader(bytes.NewReader(bytes.Clone(d.buf[d.r:d.w])), d.src)
			if d.rerr != nil && d.rerr != io.EOF {
				rest = io.MultiReader(bytes.NewReader(bytes.Clone(d.buf[d.r:d.w])), errReader{d.rerr})
			}
			newr, err := d.CharsetReader(enc, rest)
			if err != nil {
				d.err = fmt.Errorf("xml: opening charset %q: %w", enc, err)
				return nil, d.err
			}
			if newr == nil {
				panic("CharsetReader returned a nil Reader for charset " + enc)
			}
			data = bytes.Clone(data)
			d.src, d.rerr = newr, nil
			d.Checked = false // the converted input is not what was checked
			d.base += int64(d.r)
			d.lpos, d.w, d.r = 0, 0, 0
			d.buf = d.buf[:0]
		}
	}
	return xml.ProcInst{Target: target, Inst: data}, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func (d *Decoder) comment() (xml.Token, error) {
	b, ok := d.mustgetc()
	if !ok {
		return nil, d.err
	}
	if b != '-' {
		d.err = d.syntaxError("invalid sequence <!- not part of <!--")
		return nil, d.err
	}
	out := d.out[:0]
	var b0, b1 byte
	for {
		// Copy up to the next '-' at once.
		if d.r < d.w && b1 != '-' {
			seg := d.buf[d.r:d.w]
			i := bytes.IndexByte(seg, '-')
			if i < 0 {
				i = len(seg)
			}
			if i > 0 {
				out = append(out, seg[:i]...)
				d.r += i
				b0, b1 = 0, seg[i-1]
				if i >= 2 {
					b0 = seg[i-2]
				}
				continue
			}
		}
		if b, ok = d.mustgetc(); !ok {
			d.out = out
			return nil, d.err
		}
		out = append(out, b)
		if b0 == '-' && b1 == '-' {
			if b != '>' {
				d.out = out
				d.err = d.syntaxError(`invalid sequence "--" not allowed in comments`)
				return nil, d.err
			}
			break
		}
		b0, b1 = b1, b
	}
	d.out = out
	return xml.Comment(out[:len(out)-3]), nil
}

func (d *Decoder) directive(b byte) (xml.Token, error) {
	out := append(d.out[:0], b)
	defer func() { d.out = out }()
	inquote := byte(0)
	depth := 0
	var ok bool
	for {
		if b, ok = d.mustgetc(); !ok {
			return nil, d.err
		}
		if inquote == 0 && b == '>' && depth == 0 {
			break
		}
	HandleB:
		out = append(out, b)
		switch {
		case b == inquote:
			inquote = 0
		case inquote != 0:
		case b == '\'' || b == '"':
			inquote = b
		case b == '>' && inquote == 0:
			depth--
		case b == '<' && inquote == 0:
			s := "!--"
			for i := 0; i < len(s); i++ {
				if b, ok = d.mustgetc(); !ok {
					return nil, d.err
				}
				if b != s[i] {
					for j := 0; j < i; j++ {
						out = append(out, s[j])
					}
					depth++
					goto HandleB
				}
			}
			out = out[:len(out)-1]
			var b0, b1 byte
			for {
				if b, ok = d.mustgetc(); !ok {
					return nil, d.err
				}
				if b0 == '-' && b1 == '-' && b == '>' {
					break
				}
				b0, b1 = b1, b
			}
			out = append(out, ' ')
		}
	}
	return xml.Directive(out), nil
}

// Byte classes that stop the span copy in text.
const (
	cText      = 1 << iota // '<' '&' '\r' '>' in text
	cQuote                 // '<' '&' '\r' in quoted values (and the quote)
	cQuoteChar             // '"' '\''
)

var class = func() (t [256]uint8) {
	for _, c := range "<&\r>" {
		t[c] |= cText
	}
	for _, c := range "<&\r" {
		t[c] |= cQuote
	}
	t['"'] |= cQuoteChar
	t['\''] |= cQuoteChar
	return t
}()

// text reads character data up to '<' (quote < 0, not cdata), the closing
// quote of an attribute value (quote >= 0), or "]]>" (cdata), as
// encoding/xml does: entities decoded (not in CDATA), "\r\n" and "\r" made
// "\n", the characters checked. It returns nil with d.err set on error.
//
// Data that needs no decoding (a CDATA section, text without '&' or
// '\r') is returned as a slice of buf, found with bytes.Index or a table
// scan and not copied: r stays at the start of the token while it is
// scanned, so fill keeps the whole token in buf.
func (d *Decoder) text(quote int, cdata bool) []byte {
	var data []byte
	if cdata {
		if data = d.cdata(); data == nil {
			return nil
		}
	} else {
		n, done := d.plain(quote)
		if !done {
			return d.decode(quote, n)
		}
		data = d.buf[d.r : d.r+n]
		d.r += n
		if quote >= 0 && d.r < d.w {
			d.r++ // the closing quote
		}
	}
	if d.Checked {
		return data
	}
	if msg := checkChars(data); msg != "" {
		d.err = d.syntaxError(msg)
		return nil
	}
	return data
}

var cdataEnd = []byte("]]>")

// indexCDATAEnd is bytes.Index(b, cdataEnd), which on a buffer of more
// than 64 bytes costs about twice as much for the usual CDATA section
// (its first ']' begins "]]>"): bytes.IndexByte finds each ']'.
func indexCDATAEnd(b []byte) int {
	for i := 0; ; i++ {
		k := bytes.IndexByte(b[i:], ']')
		if k < 0 {
			return -1
		}
		i += k
		if i+2 < len(b) && b[i+1] == ']' && b[i+2] == '>' {
			return i
		}
	}
}

// cdata reads a CDATA section's data up to "]]>" and consumes that.
func (d *Decoder) cdata() []byte {
	i := 0 // buf[r:r+i] holds no "]]>"
	for {
		if k := indexCDATAEnd(d.buf[d.r+i : d.w]); k >= 0 {
			data := d.buf[d.r : d.r+i+k]
			d.r += i + k + len(cdataEnd)
			if bytes.IndexByte(data, '\r') >= 0 {
				data = d.newlines(data)
			}
			return data
		}
		i = max(i, d.w-d.r-(len(cdataEnd)-1))
		if !d.fill() {
			d.r = d.w
			if d.err == io.EOF {
				d.err = d.syntaxError("unexpected EOF in CDATA section")
			}
			return nil
		}
	}
}

// newlines returns data with "\r\n" and "\r" made "\n", in d.out.
func (d *Decoder) newlines(data []byte) []byte {
	out := d.out[:0]
	for {
		k := bytes.IndexByte(data, '\r')
		if k < 0 {
			out = append(out, data...)
			break
		}
		out = append(out, data[:k]...)
		out = append(out, '\n')
		data = data[k+1:]
		if len(data) > 0 && data[0] == '\n' {
			data = data[1:]
		}
	}
	d.out = out[:0]
	return out
}

// plain scans text (quote < 0) or a quoted value that needs no decoding.
// It returns the length n of the data at buf[r:] and done when the data
// ends there: at '<' in text, at the closing quote (still in buf), or at
// the end of the input. Otherwise it stopped at n, before a byte decode
// must see: '&', '\r', "]]>" in text or '<' in a value. It consumes
// nothing.
func (d *Decoder) plain(quote int) (n int, done bool) {
	mask := uint8(cText)
	if quote >= 0 {
		mask = cQuote | cQuoteChar
	}
	i := 0
	for {
		seg := d.buf[d.r+i : d.w]
		j := 0
		for j < len(seg) && class[seg[j]]&mask == 0 {
			j++
		}
		i += j
		if j == len(seg) {
			if !d.fill() {
				return i, true
			}
			continue
		}
		switch c := seg[j]; {
		case quote < 0 && c == '<':
			return i, true
		case quote < 0 && c == '>':
			if i >= 2 && d.buf[d.r+i-1] == ']' && d.buf[d.r+i-2] == ']' {
				return i, false
			}
			i++
		case quote >= 0 && c == byte(quote):
			return i, true
		case c == '"' || c == '\'':
			i++ // the other quote
		default:
			return i, false
		}
	}
}

// decode reads what plain could not: text or a quoted value from buf[r:],
// whose first n bytes need no decoding, with entities and newlines.
func (d *Decoder) decode(quote, n int) []byte {
	mask := uint8(cText)
	if quote >= 0 {
		mask = cQuote
	}
	out := append(d.out[:0], d.buf[d.r:d.r+n]...)
	defer func() { d.out = out[:0] }()
	var b0, b1 byte // the last two bytes of input
	if n >= 2 {
		b0 = d.buf[d.r+n-2]
	}
	if n >= 1 {
		b1 = d.buf[d.r+n-1]
	}
	d.r += n
Input:
	for {
		if d.r >= d.w && !d.fill() {
			break Input
		}
		if b1 == '\r' && d.buf[d.r] == '\n' {
			// "\r\n": the "\n" was written for the "\r".
			d.r++
			b0, b1 = b1, '\n'
			continue
		}
		seg := d.buf[d.r:d.w]
		i := 0
		for i < len(seg) && class[seg[i]]&mask == 0 && (quote < 0 || seg[i] != byte(quote)) {
			i++
		}
		if i > 0 {
			out = append(out, seg[:i]...)
			d.r += i
			if i >= 2 {
				b0, b1 = seg[i-2], seg[i-1]
			} else {
				b0, b1 = b1, seg[0]
			}
			continue
		}
		b := seg[0]
		d.r++
		if quote < 0 && b0 == ']' && b1 == ']' && b == '>' {
			d.err = d.syntaxError("unescaped ]]> not in CDATA section")
			return nil
		}
		if b == '<' {
			if quote >= 0 {
				d.err = d.syntaxError("unescaped < inside quoted string")
				return nil
			}
			d.ungetc()
			break Input
		}
		if quote >= 0 && b == byte(quote) {
			break Input
		}
		if b == '&' {
			var ok bool
			if out, ok = d.entity(out); !ok {
				return nil
			}
			b0, b1 = 0, 0
			continue Input
		}
		if b == '\r' {
			out = append(out, '\n')
		} else {
			out = append(out, b)
		}
		b0, b1 = b1, b
	}
	data := out
	if msg := checkChars(data); msg != "" {
		d.err = d.syntaxError(msg)
		return nil
	}
	if data == nil {
		data = []byte{}
	}
	return data
}

// entity decodes the reference after a '&' into out. It returns false with
// d.err set for an invalid one.
func (d *Decoder) entity(out []byte) ([]byte, bool) {
	before := len(out)
	out = append(out, '&')
	var (
		text     string
		haveText bool
	)
	b, ok := d.mustgetc()
	if !ok {
		return out, false
	}
	if b == '#' {
		out = append(out, b)
		if b, ok = d.mustgetc(); !ok {
			return out, false
		}
		base := 10
		if b == 'x' {
			base = 16
			out = append(out, b)
			if b, ok = d.mustgetc(); !ok {
				return out, false
			}
		}
		start := len(out)
		for '0' <= b && b <= '9' ||
			base == 16 && 'a' <= b && b <= 'f' ||
			base == 16 && 'A' <= b && b <= 'F' {
			out = append(out, b)
			if b, ok = d.mustgetc(); !ok {
				return out, false
			}
		}
		if b != ';' {
			d.ungetc()
		} else {
			s := string(out[start:])
			out = append(out, ';')
			n, err := strconv.ParseUint(s, base, 64)
			if err == nil && n <= utf8.MaxRune {
				text = string(rune(n))
				haveText = true
			}
		}
	} else {
		d.ungetc()
		var nameOK bool
		out, nameOK = d.readName(out)
		if !nameOK && d.err != nil {
			return out, false
		}
		if b, ok = d.mustgetc(); !ok {
			return out, false
		}
		if b != ';' {
			d.ungetc()
		} else {
			name := out[before+1:]
			out = append(out, ';')
			if isName(name) {
				switch string(name) {
				case "lt":
					text, haveText = "<", true
				case "gt":
					text, haveText = ">", true
				case "amp":
					text, haveText = "&", true
				case "apos":
					text, haveText = "'", true
				case "quot":
					text, haveText = `"`, true
				default:
					if d.Entity != nil {
						text, haveText = d.Entity[string(name)]
					}
				}
			}
		}
	}
	if haveText {
		return append(out[:before], text...), true
	}
	ent := string(out[before:])
	if ent[len(ent)-1] != ';' {
		ent += " (no semicolon)"
	}
	d.err = d.syntaxError("invalid character entity " + ent)
	return out, false
}

// checkChars returns encoding/xml's message for the first invalid UTF-8
// sequence or character outside XML's range in s, or "".
func checkChars(s []byte) string {
	const (
		hi8 = 0x8080808080808080
		lo7 = 0x7F7F7F7F7F7F7F7F
		add = 0x6060606060606060 // b + 0x60 has its high bit set when b >= 0x20 (b < 0x80)
	)
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			// Eight bytes at a time: m marks exactly the bytes of 0x80 or
			// more and those under 0x20; the first one marked is looked at
			// below, and the words go on after it.
			x := binary.LittleEndian.Uint64(s[i:])
			m := (x | ^((x & lo7) + add)) & hi8
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return fmt.Sprintf("illegal character code %U", rune(c))
			}
			i++
			continue
		}
		// The common well-formed sequences of two and three bytes are
		// checked here, the others by utf8.DecodeRune.
		if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2 // U+0080-U+07FF
			continue
		}
		if c >= 0xE1 && c < 0xF0 && c != 0xED && c != 0xEF && i+2 < len(s) &&
			s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3 // U+1000-U+CFFF, U+E000-U+EFFF
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "invalid UTF-8"
		}
		if !isInCharacterRange(r) {
			return fmt.Sprintf("illegal character code %U", r)
		}
		i += size
	}
	return ""
}

func isInCharacterRange(r rune) bool {
	return r == 0x09 ||
		r == 0x0A ||
		r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// nsname reads a name and splits it at its colon, as encoding/xml does,
// and returns what is known of it, or nil for no name or an invalid one.
// Names seen before come from the cache or a map, checked and split
// already.
func (d *Decoder) nsname() *nameInfo {
	if d.r < d.w {
		seg := d.buf[d.r:d.w]
		i := 0
		for i < len(seg) && nameByte[seg[i]] {
			i++
		}
		if i > 0 && i < len(seg) {
			c := &d.cache[nameSlot(seg[:i])]
			if *c != nil && (*c).raw == string(seg[:i]) {
				d.r += i
				return *c
			}
			if info, ok := d.infos[string(seg[:i])]; ok {
				*c = info
				d.r += i
				return info
			}
		}
	}
	s, ok := d.name()
	if !ok {
		return nil
	}
	if info, ok := d.infos[s]; ok {
		return info
	}
	info := &nameInfo{raw: s}
	if strings.Count(s, ":") > 1 {
		return nil
	} else if space, local, ok := strings.Cut(s, ":"); !ok || space == "" || local == "" {
		info.name.Local = s
	} else {
		info.name.Space = space
		info.name.Local = local
	}
	if len(d.infos) < 4096 {
		d.infos[s] = info
	}
	return info
}

// nameSlot returns the slot of Decoder.cache for the name b: a hash of
// its length and four of its bytes (WXR's names differ in their ends:
// wp:post_date, wp:post_name, wp:post_type).
func nameSlot(b []byte) uint8 {
	n := len(b)
	h := uint32(n)*0x9E3779B1 ^ uint32(b[n-1]) ^ uint32(b[(n-1)/2])<<8 ^
		uint32(b[(n-1)*3/4])<<16 ^ uint32(b[(n-1)*7/8])<<24
	h *= 0x85EBCA6B
	return uint8(h >> 24)
}

// name reads a name; it sets d.err only for an invalid one or at EOF.
func (d *Decoder) name() (string, bool) {
	// Fast path: the whole name in the buffer.
	if d.r < d.w {
		seg := d.buf[d.r:d.w]
		i := 0
		for i < len(seg) && nameByte[seg[i]] {
			i++
		}
		if i < len(seg) && i > 0 && seg[i] < utf8.RuneSelf {
			b := seg[:i]
			if !isName(b) {
				d.r += i
				d.err = d.syntaxError("invalid XML name: " + string(b))
				return "", false
			}
			d.r += i
			return d.internBytes(b), true
		}
	}
	out, ok := d.readName(d.out[:0])
	d.out = out[:0]
	if !ok {
		return "", false
	}
	if !isName(out) {
		d.err = d.syntaxError("invalid XML name: " + string(out))
		return "", false
	}
	return d.intern(string(out)), true
}

// internBytes is intern(string(b)) without allocating for a name seen
// before.
func (d *Decoder) internBytes(b []byte) string {
	if v, ok := d.names[string(b)]; ok {
		return v
	}
	return d.intern(string(b))
}

// intern returns s, sharing the string of an equal name seen before.
func (d *Decoder) intern(s string) string {
	if v, ok := d.names[s]; ok {
		return v
	}
	if len(d.names) < 4096 {
		s = strings.Clone(s)
		d.names[s] = s
	}
	return s
}

// readName appends a name's bytes to out: name bytes and every byte of a
// multi-byte character, up to any other single-byte character.
func (d *Decoder) readName(out []byte) ([]byte, bool) {
	b, ok := d.mustgetc()
	if !ok {
		return out, false
	}
	if b < utf8.RuneSelf && !isNameByte(b) {
		d.ungetc()
		return out, false
	}
	out = append(out, b)
	for {
		if b, ok = d.mustgetc(); !ok {
			return out, false
		}
		if b < utf8.RuneSelf && !isNameByte(b) {
			d.ungetc()
			break
		}
		out = append(out, b)
	}
	return out, true
}

// nameByte: bytes a name may hold (ASCII name bytes and every byte of a
// multi-byte character).
var nameByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= utf8.RuneSelf || isNameByte(byte(c))
	}
	return t
}()

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' ||
		'a' <= c && c <= 'z' ||
		'0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isName reports whether s is an XML name by encoding/xml's rules. ASCII
// names are checked here; a name with other characters is asked of
// encoding/xml itself (its character tables are unexported), once.
func isName(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	ascii := true
	for _, c := range s {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		c := s[0]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
			return false
		}
		for _, c := range s[1:] {
			if !isNameByte(c) {
				return false
			}
		}
		return true
	}
	return stdIsName(string(s))
}

var stdNames struct {
	sync.Mutex
	m map[string]bool
}

// stdIsName asks encoding/xml whether a non-ASCII s is a name: "<s>"
// parses unless s is not.
func stdIsName(s string) bool {
	stdNames.Lock()
	defer stdNames.Unlock()
	if v, ok := stdNames.m[s]; ok {
		return v
	}
	dec := xml.NewDecoder(strings.NewReader("<" + s + ">"))
	_, err := dec.RawToken()
	var se *xml.SyntaxError
	v := !(errors.As(err, &se) && strings.HasPrefix(se.Msg, "invalid XML name"))
	if stdNames.m == nil {
		stdNames.m = map[string]bool{}
	}
	if len(stdNames.m) < 1024 {
		stdNames.m[s] = v
	}
	return v
}

func procInstParam(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
