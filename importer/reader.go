// Package importer reads WordPress eXtended RSS (WXR) exports. A Reader
// streams one export document item by item; Import drives Readers over every
// part of an export and hands the records to an archive.Writer. The package
// never opens files by name, prints, or runs SQL.
package importer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/importer/xmlscan"
	"github.com/zeebo/xxh3"
)

// ErrNotWXR is the sentinel wrapped by every error that says the input is
// not a WordPress export at all (an HTML page, an RSS feed, a WXR file
// without a valid wp:wxr_version).
var ErrNotWXR = errors.New("importer: not a WordPress export")

// parserVersion is mixed into every item's RawHash, so that a change in how
// items are read makes a re-import rewrite them instead of skipping them.
// Version 2: RawHash is XXH3-128, not SHA-256 (see readItem).
const parserVersion = "wparchive-reader-2"

// ParseError is an error at a known place in one input file.
type ParseError struct {
	File string // name of the input (part) as given to NewReader
	Line int    // 1-based line in the (cleaned) input, 0 when unknown
	Item int    // 1-based index of the item being read, 0 outside items
	Err  error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Item > 0 {
		fmt.Fprintf(&b, "item %d: ", e.Item)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// TruncatedError says the input ended in the middle of the document: a
// download cut short, an export killed by a PHP time limit.
type TruncatedError struct {
	File      string
	Line      int    // the line the input ended on
	Offset    int64  // bytes read when the input ended
	Complete  int    // items read completely
	LastTitle string // title of the last complete item
	LastID    string // its wp:post_id
	LastLine  int    // the line its <item> started on

	// PartialLine is the line where the item cut off by the end of the
	// input started, 0 when the input ended outside an item; PartialID and
	// PartialTitle are its wp:post_id and title when they were read.
	PartialLine  int
	PartialID    string
	PartialTitle string
}

func (e *TruncatedError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	fmt.Fprintf(&b, ": the file ends at byte %d in the middle of the export", e.Offset)
	if e.PartialLine > 0 {
		fmt.Fprintf(&b, ", inside %s", e.partial())
	}
	if e.Complete > 0 {
		fmt.Fprintf(&b, "; the last complete item is #%d (post_id %s, %q, line %d)", e.Complete, orDash(e.LastID), e.LastTitle, e.LastLine)
	} else {
		b.WriteString("; no item in it is complete")
	}
	b.WriteString(". It was probably cut off during download or export: download or export it again")
	if e.Complete > 0 {
		fmt.Fprintf(&b, ", or import the %d complete items with --salvage", e.Complete)
	}
	return b.String()
}

func (e *TruncatedError) partial() string {
	s := fmt.Sprintf("item #%d (line %d", e.Complete+1, e.PartialLine)
	if e.PartialID != "" {
		s += ", post_id " + e.PartialID
	}
	if e.PartialTitle != "" {
		s += fmt.Sprintf(", %q", e.PartialTitle)
	}
	return s + ")"
}

// LeftOut says what an import of the complete items leaves out: the item
// the input ends in, if any, and whatever followed it in the original.
func (e *TruncatedError) LeftOut() string {
	if e.PartialLine > 0 {
		return "the incomplete " + e.partial() + " and whatever followed it"
	}
	return fmt.Sprintf("whatever followed item #%d", e.Complete)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Default limits of a Reader. No real export comes near them; they are
// there so that hostile or damaged input ends with an error instead of
// exhausting memory or the stack.
const (
	// DefaultMaxDepth bounds how deep elements nest. WordPress writes at
	// most six or seven levels (rss, channel, item, wp:comment,
	// wp:commentmeta, wp:meta_value); unknown elements are read
	// recursively, so the bound also bounds the recursion.
	DefaultMaxDepth = 256
	// DefaultMaxFieldBytes bounds one text field (a post's content, a meta
	// value), one tag and one comment, in bytes of input. A post with
	// photographs pasted in as data: URIs can reach a few tens of MiB.
	DefaultMaxFieldBytes = 64 << 20
	// DefaultMaxItemBytes bounds one item with its comments and meta, and
	// one channel-level element, in bytes of input. The biggest real items
	// are posts with tens of thousands of comments.
	DefaultMaxItemBytes = 256 << 20
	// heldLimit is how many authors and terms are held back for the site
	// (see hold) before the site is sent without waiting for the first
	// item.
	heldLimit = 4096
)

// Entity is one record read from an export; exactly one field is set.
type Entity struct {
	Site   *archive.Site
	Author *archive.Author
	Term   *archive.Term
	Post   *archive.Post
}

// Reader reads one WXR document (or several concatenated ones) from a
// stream. It never holds more than one item in memory.
//
// The limits may be changed after NewReader and before the first Next.
type Reader struct {
	// MaxDepth bounds the nesting of elements (DefaultMaxDepth).
	MaxDepth int
	// MaxFieldBytes bounds one text field, tag or comment
	// (DefaultMaxFieldBytes), MaxItemBytes one item or channel-level
	// element and everything channel-level that is not a known field
	// together (DefaultMaxItemBytes). Past a limit Next returns a
	// *ParseError wrapping ErrTooLarge.
	MaxFieldBytes int64
	MaxItemBytes  int64

	name string
	src  io.Reader
	tap  *tap
	// itemHash hashes each item's bytes (readItem).
	itemHash xxh3.Hasher
	d        tokenizer
	nest     int   // element depth of the decoder
	off      int64 // offset where the last token started (after the one before)
	loff     int   // lines the cleaning reader dropped before the document
	err      error // the error Next returns from now on
	cur      *archive.Post
	ext      int64 // input bytes of the channel's unknown elements so far

	depth   int // 0 outside <rss>, 1 in <rss>, 2 in <channel>
	site    archive.Site
	version bool // a valid wp:wxr_version was seen in this document
	sent    bool // the site was emitted for this document
	dirty   bool // channel fields changed after the site was emitted
	held    []Entity
	queue   []Entity
	items   int
	last    *archive.Post
	done    bool
	sawRoot bool
	nsMemo  map[string]namespace // URIs this document uses, classified once
	nsLast  [4]nsSeen            // the last URIs classified, before nsMemo
	gen     string               // generator from the <!-- generator="…" --> comment

	// The item's terms, meta and comments and the comment's meta are
	// gathered here and copied into slices of their size at the end (see
	// take): appending to the record's own slices cost their doublings,
	// a third of the bytes the Reader allocated.
	terms    []archive.PostTerm
	meta     []archive.Meta
	comments []archive.Comment
	cmeta    []archive.Meta
}

// NewReader returns a Reader of the export document read from r. name is
// used in errors and on records (the file or zip part name).
func NewReader(r io.Reader, name string) *Reader {
	t := &tap{r: r}
	rd := &Reader{
		MaxDepth: DefaultMaxDepth, MaxFieldBytes: DefaultMaxFieldBytes, MaxItemBytes: DefaultMaxItemBytes,
		name: name, src: r, tap: t, d: newTokenizer(t),
	}
	t.tokLine = rd.tokLine
	if d, ok := rd.d.(*xmlscan.Decoder); ok {
		// What the cleaning reader yields is checked already.
		_, d.Checked = r.(*clean.Reader)
	}
	return rd
}

// tokenizer is what a Reader uses of an XML decoder in strict mode:
// encoding/xml's Decoder and xmlscan's give the same tokens, offsets,
// lines and errors (xmlscan's differential test). Next is xmlscan's: the
// token without an xml.Token box (an allocation per token, 12% of the
// Reader's time).
type tokenizer interface {
	Next() (*xmlscan.Tok, error)
	InputOffset() int64
	InputPos() (line, column int)
	TokenLine() int
	Mark()
	MarkLine() int
	SkipSpace()
	SimpleText() ([]byte, bool)
}

// newTokenizer is xmlscan, several times faster than encoding/xml;
// tests and benchmarks may swap in stdTokenizer.
var newTokenizer = func(r io.Reader) tokenizer {
	d := xmlscan.NewDecoder(r)
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	return d
}

func stdTokenizer(r io.Reader) tokenizer {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	return &stdTok{Decoder: d}
}

// stdTok gives encoding/xml's tokens as xmlscan's Next does.
type stdTok struct {
	*xml.Decoder
	tok  xmlscan.Tok
	line int // InputPos's line before the last Next
	mark int // InputPos's line at the last Mark
}

func (d *stdTok) TokenLine() int { return d.line }

func (d *stdTok) Mark()                      { d.mark, _ = d.InputPos() }
func (d *stdTok) MarkLine() int              { return d.mark }
func (d *stdTok) SkipSpace()                 {}
func (d *stdTok) SimpleText() ([]byte, bool) { return nil, false }

func (d *stdTok) Next() (*xmlscan.Tok, error) {
	d.line, _ = d.InputPos()
	t, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := t.(type) {
	case xml.StartElement:
		d.tok.Kind, d.tok.Start = xmlscan.KindStart, t
	case xml.EndElement:
		d.tok.Kind, d.tok.End = xmlscan.KindEnd, t
	case xml.CharData:
		d.tok.Kind, d.tok.Text = xmlscan.KindText, t
	default:
		d.tok.Kind, d.tok.Other = xmlscan.KindOther, t
	}
	return &d.tok, nil
}

// ErrTooLarge is wrapped by the *ParseError Next returns when the input
// goes past one of the Reader's limits: elements nested too deep, a field
// or an item too large.
var ErrTooLarge = errors.New("importer: input exceeds a limit")

// limitError is what the tap returns to the decoder past a byte limit.
type limitError struct {
	what  string // "one text field, tag or comment", "one item", …
	limit int64
	line  int // line where the field or item started
}

func (e *limitError) Error() string {
	return fmt.Sprintf("%s is larger than %s", e.what, size(e.limit))
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Items returns how many items have been read completely.
func (r *Reader) Items() int { return r.items }

// Offset returns the number of input bytes consumed by the XML decoder.
func (r *Reader) Offset() int64 { return r.d.InputOffset() }

// Next returns the next record of the export: the Site first (once per
// document, again if channel fields follow the items), then its authors and
// terms, then one Post per item. At the end of input it returns io.EOF. A
// document that is not WXR gives an error wrapping ErrNotWXR; one cut short
// gives a *TruncatedError; other damage a *ParseError.
//
// Before a *TruncatedError, Next returns every record that was complete:
// the site (if its wp:wxr_version was read), its authors and terms, and
// every complete item. Errors are final: once Next has returned one, it
// returns the same error again.
func (r *Reader) Next() (Entity, error) {
	for len(r.queue) == 0 {
		if r.err != nil {
			return Entity{}, r.err
		}
		if r.done {
			return Entity{}, io.EOF
		}
		if err := r.step(); err != nil {
			r.err = err
			var te *TruncatedError
			if errors.As(err, &te) && r.version && !r.sent {
				r.sendSite()
			}
		}
	}
	e := r.queue[0]
	r.queue = r.queue[1:]
	return e, nil
}

// line returns the input line the decoder is on.
func (r *Reader) line() int {
	l, _ := r.d.InputPos()
	return l + r.loff
}

// tokLine returns the input line where the token being read (or read
// last) starts. Asked only when something is wrong with the token: a line
// for every token cost 4% of the Reader's time.
func (r *Reader) tokLine() int { return r.d.TokenLine() + r.loff }

// token returns the decoder's next token. It keeps count of the nesting
// depth, failing past MaxDepth, and tells the tap where the token starts
// so that no single token can grow past MaxFieldBytes.
func (r *Reader) token() (*xmlscan.Tok, error) {
	r.off = r.d.InputOffset()
	r.tap.field(r.off, r.MaxFieldBytes)
	tok, err := r.d.Next()
	if err != nil {
		return nil, err
	}
	switch tok.Kind {
	case xmlscan.KindStart:
		r.nest++
		if r.nest > r.MaxDepth {
			return nil, &ParseError{File: r.name, Line: r.tokLine(), Err: fmt.Errorf("%w: elements nest more than %d deep; WordPress never writes that, so the file is damaged or was made to crash importers: export the site again", ErrTooLarge, r.MaxDepth)}
		}
	case xmlscan.KindEnd:
		r.nest--
	}
	return tok, nil
}

// skip consumes the rest of the element whose start tag was just read.
func (r *Reader) skip() error {
	for depth := 0; ; {
		tok, err := r.token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch tok.Kind {
		case xmlscan.KindStart:
			depth++
		case xmlscan.KindEnd:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// addText appends character data to a field, failing past MaxFieldBytes
// (a field may be made of many CDATA sections); line gives the line the
// field started on.
func (r *Reader) addText(b []byte, t []byte, line func() int) ([]byte, error) {
	if int64(len(b))+int64(len(t)) > r.MaxFieldBytes {
		return b, &limitError{what: "one text field", limit: r.MaxFieldBytes, line: line()}
	}
	return append(b, t...), nil
}

// markLine returns the input line of the decoder's Mark.
func (r *Reader) markLine() int { return r.d.MarkLine() + r.loff }

func (r *Reader) wrapErr(err error, item int) error {
	var pe *ParseError
	var te *TruncatedError
	if errors.As(err, &pe) {
		if pe.Item == 0 {
			pe.Item = item
		}
		return err
	}
	if errors.As(err, &te) {
		return err
	}
	var le *limitError
	if errors.As(err, &le) {
		what := "the file is damaged or not a WordPress export: export the site again"
		if item > 0 {
			what = "no real post comes near this, so the file is probably damaged: export the site again (if the item is genuine, remove it from the file and import the rest)"
		}
		return &ParseError{File: r.name, Line: le.line, Item: item, Err: fmt.Errorf("%w: %s; %s", ErrTooLarge, le, what)}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isSyntaxEOF(err) {
		if !r.sawRoot {
			return r.noDocument()
		}
		return r.truncated()
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &ParseError{File: r.name, Line: se.Line + r.loff, Item: item, Err: fmt.Errorf("XML syntax error: %s; the file is damaged: export it again, or report the line to us if WordPress wrote it this way", se.Msg)}
	}
	return &ParseError{File: r.name, Line: r.line(), Item: item, Err: err}
}

func (r *Reader) noDocument() error {
	return &ParseError{File: r.name, Err: fmt.Errorf("%w: the file holds no <rss> document; export your site from WordPress with Tools → Export", ErrNotWXR)}
}

func (r *Reader) truncated() error {
	te := &TruncatedError{File: r.name, Line: r.line(), Offset: r.d.InputOffset(), Complete: r.items}
	if r.last != nil {
		te.LastTitle, te.LastID, te.LastLine = r.last.Title, r.last.WPID, r.last.Line
	}
	if r.cur != nil {
		te.PartialLine, te.PartialID, te.PartialTitle = r.cur.Line, r.cur.WPID, r.cur.Title
	}
	return te
}

// isSyntaxEOF reports whether err is the decoder's "unexpected EOF" (or
// "unexpected EOF in CDATA section").
func isSyntaxEOF(err error) bool {
	var se *xml.SyntaxError
	return errors.As(err, &se) && strings.HasPrefix(se.Msg, "unexpected EOF")
}

// step reads tokens until at least one entity is queued or input ends.
func (r *Reader) step() error {
	if r.depth == 2 {
		// Everything at channel level counts against MaxItemBytes:
		// items and channel elements one at a time (see channelChild),
		// text between them here.
		r.tap.element(r.d.InputOffset(), r.MaxItemBytes, r.line())
	}
	tok, err := r.token()
	if err == io.EOF {
		return r.finish()
	}
	if err != nil {
		return r.wrapErr(err, 0)
	}
	switch tok.Kind {
	case xmlscan.KindOther:
		if c, ok := tok.Other.(xml.Comment); ok && r.gen == "" {
			if m := generatorRe.FindSubmatch(c); m != nil {
				r.gen = string(m[1])
			}
		}
	case xmlscan.KindStart:
		t := tok.Start
		switch r.depth {
		case 0:
			if t.Name.Local != "rss" {
				what := "<" + t.Name.Local + ">"
				if strings.EqualFold(t.Name.Local, "html") {
					what = "an HTML page"
				}
				return &ParseError{File: r.name, Line: r.line(), Err: fmt.Errorf("%w: the document is %s, not <rss>; export your site from WordPress with Tools → Export", ErrNotWXR, what)}
			}
			r.depth = 1
			if !r.sawRoot {
				r.loff = lineOffset(r.src)
			}
			r.sawRoot = true
			r.site = archive.Site{Generator: r.gen}
			r.version, r.sent, r.dirty = false, false, false
		case 1:
			if t.Name.Local == "channel" && t.Name.Space == "" {
				r.depth = 2
				return nil
			}
			if err := r.skip(); err != nil {
				return r.wrapErr(err, 0)
			}
		case 2:
			return r.channelChild(t)
		}
	case xmlscan.KindEnd:
		switch r.depth {
		case 2:
			if err := r.endDocument(); err != nil {
				return err
			}
			r.depth = 1
		case 1:
			r.depth = 0
		}
	}
	return nil
}

func (r *Reader) finish() error {
	if !r.sawRoot {
		return r.noDocument()
	}
	if r.depth != 0 {
		return r.truncated()
	}
	r.done = true
	return nil
}

// endDocument flushes what a finished <channel> still holds.
func (r *Reader) endDocument() error {
	if !r.sent {
		if err := r.sendSite(); err != nil {
			return err
		}
	} else if r.dirty {
		s := r.site
		r.queue = append(r.queue, Entity{Site: &s})
	}
	r.dirty = false
	return nil
}

var versionRe = regexp.MustCompile(`^\d+\.\d+$`)
var generatorRe = regexp.MustCompile(`generator="([^"]*)"`)

// sendSite queues the site and what was held back until it was complete.
func (r *Reader) sendSite() error {
	if !r.version {
		if r.site.WXRVersion == "" {
			return &ParseError{File: r.name, Line: r.line(), Err: fmt.Errorf("%w: <wp:wxr_version> is missing, so this looks like an RSS feed or a hand-made file rather than a WordPress export (Tools → Export in WordPress writes it)", ErrNotWXR)}
		}
		return &ParseError{File: r.name, Line: r.line(), Err: fmt.Errorf("%w: invalid WXR version %q (expected a number such as 1.2); export your site from WordPress with Tools → Export", ErrNotWXR, r.site.WXRVersion)}
	}
	s := r.site
	r.queue = append(r.queue, Entity{Site: &s})
	r.queue = append(r.queue, r.held...)
	r.held = nil
	r.sent = true
	return nil
}

func (r *Reader) channelChild(t xml.StartElement) error {
	ns := r.ns(t.Name.Space)
	local := t.Name.Local
	start := r.off // before the start tag: a self-closing element reads nothing more
	r.tap.element(start, r.MaxItemBytes, r.line())
	defer r.tap.element(-1, 0, 0)
	switch {
	case ns == nsRSS && local == "item":
		if !r.sent {
			if err := r.sendSite(); err != nil {
				return err
			}
		}
		p, err := r.readItem(t)
		if err != nil {
			return err
		}
		r.items++
		r.last = p
		r.queue = append(r.queue, Entity{Post: p})
		return nil
	case ns == nsWP && (local == "author" || local == "wp_author"):
		a, err := r.readAuthor(t)
		if err != nil {
			return err
		}
		r.hold(Entity{Author: a})
		return nil
	case ns == nsWP && (local == "category" || local == "tag" || local == "term"):
		tm, err := r.readTerm(t)
		if err != nil {
			return err
		}
		r.hold(Entity{Term: tm})
		return nil
	}
	var field *string
	switch {
	case ns == nsRSS && local == "title":
		field = &r.site.Title
	case ns == nsRSS && local == "link":
		field = &r.site.Link
	case ns == nsRSS && local == "description":
		field = &r.site.Description
	case ns == nsRSS && local == "pubDate":
		field = &r.site.PubDateRaw
	case ns == nsRSS && local == "language":
		field = &r.site.Language
	case ns == nsWP && local == "wxr_version":
		field = &r.site.WXRVersion
	case ns == nsWP && local == "base_site_url":
		field = &r.site.BaseSiteURL
	case ns == nsWP && local == "base_blog_url":
		field = &r.site.BaseBlogURL
	}
	if field == nil {
		el, err := r.readElement(t)
		if err != nil {
			return r.wrapErr(err, 0)
		}
		// The unknown elements are kept on the site, so together they
		// count as one item.
		r.ext += r.d.InputOffset() - start
		if r.ext > r.MaxItemBytes {
			return &ParseError{File: r.name, Line: r.line(), Err: fmt.Errorf("%w: the channel's unknown elements together are larger than %s; the file is damaged or not a WordPress export: export the site again", ErrTooLarge, size(r.MaxItemBytes))}
		}
		if ns == nsRSS && local == "generator" && r.site.Generator == "" {
			r.site.Generator = strings.TrimSpace(el.Text)
		}
		r.site.Extra = append(r.site.Extra, el)
		r.dirty = r.sent
		return nil
	}
	s, err := r.readText()
	if err != nil {
		return r.wrapErr(err, 0)
	}
	*field = strings.TrimSpace(s)
	if field == &r.site.WXRVersion {
		r.version = versionRe.MatchString(*field)
	}
	r.dirty = r.sent
	return nil
}

// nsSeen is a URI ns classified.
type nsSeen struct {
	space string
	ns    namespace
	ok    bool
}

// ns classifies an element's namespace, remembering each URI: the pattern
// match runs once per URI instead of once per element, and the last URIs
// are compared before the map is asked (the decoder gives the same string
// for a URI each time, so a comparison is a pointer's).
func (r *Reader) ns(space string) namespace {
	for i := range r.nsLast {
		if s := &r.nsLast[i]; s.space == space && s.ok {
			return s.ns
		}
	}
	n := r.nsSlow(space)
	copy(r.nsLast[1:], r.nsLast[:])
	r.nsLast[0] = nsSeen{space, n, true}
	return n
}

func (r *Reader) nsSlow(space string) namespace {
	if n, ok := r.nsMemo[space]; ok {
		return n
	}
	if r.nsMemo == nil {
		r.nsMemo = map[string]namespace{}
	}
	n := nsOf(space)
	r.nsMemo[space] = n
	return n
}

// hold keeps channel-level records until the site is complete (the first
// item or the end of the channel), so the Site comes first.
//
// Memory stays bounded: once heldLimit records are held and the version is
// known, the site is sent as it is. WordPress writes the site's fields
// before its authors and terms, so nothing is lost; a channel field that
// does come later is sent again with the site at the end of the channel.
func (r *Reader) hold(e Entity) {
	if !r.sent && r.version && len(r.held) >= heldLimit {
		r.sendSite()
	}
	if r.sent {
		r.queue = append(r.queue, e)
		return
	}
	r.held = append(r.held, e)
}

// readText returns the character data (text and CDATA, concatenated) of
// the element whose start tag was just read, and consumes its end tag.
func (r *Reader) readText() (string, error) {
	// Most fields are one chunk of character data: it becomes the string
	// directly (one copy); b gathers the chunks of one that has more.
	var (
		s      string
		b      []byte
		chunks int
	)
	depth := 0
	// The line the field starts on, for an error, is found only then:
	// asking for it for every field cost 1.5% of the Reader's time.
	r.d.Mark()
	if t, ok := r.d.SimpleText(); ok {
		// The usual field, one piece of text and the end tag, at once:
		// what the loop below does with its two tokens.
		if int64(len(t)) > r.MaxFieldBytes {
			return "", &limitError{what: "one text field", limit: r.MaxFieldBytes, line: r.markLine()}
		}
		r.nest--
		return string(t), nil
	}
	for {
		tok, err := r.token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
		switch tok.Kind {
		case xmlscan.KindText:
			switch chunks {
			case 0:
				// addText's check, without its copy.
				if int64(len(tok.Text)) > r.MaxFieldBytes {
					return "", &limitError{what: "one text field", limit: r.MaxFieldBytes, line: r.markLine()}
				}
				s = string(tok.Text)
			case 1:
				b = append(make([]byte, 0, len(s)+len(tok.Text)), s...)
				fallthrough
			default:
				if b, err = r.addText(b, tok.Text, r.markLine); err != nil {
					return "", err
				}
			}
			chunks++
		case xmlscan.KindStart:
			depth++
		case xmlscan.KindEnd:
			if depth == 0 {
				if chunks > 1 {
					return string(b), nil
				}
				return s, nil
			}
			depth--
		}
	}
}

// readElement reads the element whose start tag was just read into a
// generic tree, for elements the schema has no column for.
func (r *Reader) readElement(start xml.StartElement) (archive.Element, error) {
	el := archive.Element{Name: qname(start.Name)}
	for _, a := range start.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		if el.Attrs == nil {
			el.Attrs = map[string]string{}
		}
		el.Attrs[qname(a.Name)] = a.Value
	}
	var text []byte
	line := r.line()
	lineFn := func() int { return line }
	for {
		tok, err := r.token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return el, err
		}
		switch tok.Kind {
		case xmlscan.KindText:
			if text, err = r.addText(text, tok.Text, lineFn); err != nil {
				return el, err
			}
		case xmlscan.KindStart:
			c, err := r.readElement(tok.Start)
			if err != nil {
				return el, err
			}
			el.Children = append(el.Children, c)
		case xmlscan.KindEnd:
			if len(el.Children) > 0 && len(bytes.TrimSpace(text)) == 0 {
				text = nil
			}
			el.Text = string(text)
			return el, nil
		}
	}
}

func (r *Reader) readAuthor(start xml.StartElement) (*archive.Author, error) {
	a := &archive.Author{Line: r.line()}
	err := r.children(start, func(t xml.StartElement) error {
		if r.ns(t.Name.Space) != nsWP {
			return r.extra(t, &a.Extra)
		}
		var f *string
		switch t.Name.Local {
		case "author_id":
			f = &a.WPID
		case "author_login":
			f = &a.Login
		case "author_email":
			f = &a.Email
		case "author_display_name":
			f = &a.DisplayName
		case "author_first_name":
			f = &a.FirstName
		case "author_last_name":
			f = &a.LastName
		default:
			return r.extra(t, &a.Extra)
		}
		return r.text(f, true)
	})
	if err != nil {
		return nil, r.wrapErr(err, 0)
	}
	return a, nil
}

func (r *Reader) readTerm(start xml.StartElement) (*archive.Term, error) {
	tm := &archive.Term{Element: start.Name.Local, Line: r.line()}
	switch tm.Element {
	case "category":
		tm.Taxonomy = "category"
	case "tag":
		tm.Taxonomy = "post_tag"
	}
	err := r.children(start, func(t xml.StartElement) error {
		if r.ns(t.Name.Space) != nsWP {
			return r.extra(t, &tm.Extra)
		}
		switch t.Name.Local {
		case "term_id":
			return r.text(&tm.WPID, true)
		case "category_nicename", "tag_slug", "term_slug":
			return r.text(&tm.Slug, true)
		case "category_parent", "term_parent":
			return r.text(&tm.Parent, true)
		case "cat_name", "tag_name", "term_name":
			return r.text(&tm.Name, false)
		case "category_description", "tag_description", "term_description":
			return r.text(&tm.Description, false)
		case "term_taxonomy":
			return r.text(&tm.Taxonomy, true)
		case "termmeta":
			m, err := r.readMeta(t)
			if err != nil {
				return err
			}
			tm.Meta = append(tm.Meta, m)
			return nil
		}
		return r.extra(t, &tm.Extra)
	})
	if err != nil {
		return nil, r.wrapErr(err, 0)
	}
	return tm, nil
}

// children calls fn for each child element of the element whose start tag
// was just read; fn must consume the child whole. Text between children is
// ignored.
func (r *Reader) children(start xml.StartElement, fn func(xml.StartElement) error) error {
	for {
		r.d.SkipSpace() // the white space between the children, most of the tokens
		tok, err := r.token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch tok.Kind {
		case xmlscan.KindStart:
			if err := fn(tok.Start); err != nil {
				return err
			}
		case xmlscan.KindEnd:
			return nil
		}
	}
}

func (r *Reader) text(f *string, trim bool) error {
	s, err := r.readText()
	if err != nil {
		return err
	}
	if trim {
		s = trimSpace(s)
	}
	*f = s
	return nil
}

// trimSpace is strings.TrimSpace without its call for the usual field,
// which starts and ends with an ASCII character other than white space
// (white space is ASCII up to ' ' or starts with a byte of 0x80 or more).
func trimSpace(s string) string {
	if n := len(s); n > 0 && ' ' < s[0] && s[0] < 0x80 && ' ' < s[n-1] && s[n-1] < 0x80 {
		return s
	}
	return strings.TrimSpace(s)
}

func (r *Reader) extra(t xml.StartElement, into *[]archive.Element) error {
	el, err := r.readElement(t)
	if err != nil {
		return err
	}
	*into = append(*into, el)
	return nil
}

func (r *Reader) readMeta(start xml.StartElement) (archive.Meta, error) {
	var m archive.Meta
	err := r.children(start, func(t xml.StartElement) error {
		if r.ns(t.Name.Space) == nsWP {
			switch t.Name.Local {
			case "meta_key":
				return r.text(&m.Key, false)
			case "meta_value":
				return r.text(&m.Value, false)
			}
		}
		return r.skip()
	})
	return m, err
}

func (r *Reader) readItem(start xml.StartElement) (*archive.Post, error) {
	index := r.items + 1
	p := &archive.Post{Line: r.line(), File: r.name}
	r.cur = p
	r.terms, r.meta, r.comments = r.terms[:0], r.meta[:0], r.comments[:0]
	// XXH3-128 of the item's bytes: it tells an item changed from one
	// export to the next, which needs no cryptographic hash. SHA-256 was
	// 1.8% of the 200 MB export's import; BenchmarkParseSource took 10%
	// less CPU with XXH3.
	h := &r.itemHash
	h.Reset()
	h.WriteString(parserVersion)
	r.tap.mark(r.d.InputOffset(), h)
	err := r.children(start, func(t xml.StartElement) error {
		ns, local := r.ns(t.Name.Space), t.Name.Local
		switch ns {
		case nsRSS:
			switch local {
			case "title":
				return r.text(&p.Title, false)
			case "link":
				return r.text(&p.Link, true)
			case "pubDate":
				return r.text(&p.PubDateRaw, true)
			case "guid":
				for _, a := range t.Attr {
					if a.Name.Local == "isPermaLink" {
						p.GUIDIsPermaLink = a.Value
					}
				}
				return r.text(&p.GUID, true)
			case "description":
				return r.text(&p.Description, false)
			case "category":
				pt := archive.PostTerm{}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "domain":
						pt.Domain = trimSpace(a.Value)
					case "nicename":
						pt.Nicename = trimSpace(a.Value)
					}
				}
				if err := r.text(&pt.Name, false); err != nil {
					return err
				}
				r.terms = append(r.terms, pt)
				return nil
			}
		case nsContent:
			if local == "encoded" {
				return r.text(&p.Content, false)
			}
		case nsExcerpt:
			if local == "encoded" {
				return r.text(&p.Excerpt, false)
			}
		case nsDC:
			if local == "creator" {
				return r.text(&p.Creator, true)
			}
		case nsWP:
			if f := postField(p, local); f != nil {
				return r.text(f, true)
			}
			switch local {
			case "postmeta":
				m, err := r.readMeta(t)
				if err != nil {
					return err
				}
				r.meta = append(r.meta, m)
				return nil
			case "comment":
				// Read into its place: a Comment is some 600 bytes, and
				// one returned was copied there again.
				r.comments = append(r.comments, archive.Comment{})
				return r.readComment(t, &r.comments[len(r.comments)-1])
			}
		}
		return r.extra(t, &p.Extra)
	})
	if err != nil {
		return nil, r.wrapErr(err, index)
	}
	p.Terms, p.Meta, p.Comments = take(&r.terms), take(&r.meta), take(&r.comments)
	p.RawHash = r.tap.sum(r.d.InputOffset())
	r.cur = nil
	return p, nil
}

// take returns a copy of *scratch of its length (nil when it is empty)
// and empties *scratch for the next item, letting go of a large one.
func take[T any](scratch *[]T) []T {
	s := *scratch
	if len(s) == 0 {
		return nil
	}
	out := make([]T, len(s))
	copy(out, s)
	clear(s) // hold nothing of this item
	if cap(s) > 1024 {
		s = nil
	}
	*scratch = s[:0]
	return out
}

func postField(p *archive.Post, local string) *string {
	switch local {
	case "post_id":
		return &p.WPID
	case "post_date":
		return &p.DateRaw
	case "post_date_gmt":
		return &p.DateGMTRaw
	case "post_modified":
		return &p.ModifiedRaw
	case "post_modified_gmt":
		return &p.ModifiedGMTRaw
	case "comment_status":
		return &p.CommentStatus
	case "ping_status":
		return &p.PingStatus
	case "post_name":
		return &p.Slug
	case "status":
		return &p.Status
	case "post_parent":
		return &p.ParentRaw
	case "menu_order":
		return &p.MenuOrderRaw
	case "post_type":
		return &p.PostType
	case "post_password":
		return &p.Password
	case "is_sticky":
		return &p.IsStickyRaw
	case "attachment_url":
		return &p.AttachmentURL
	}
	return nil
}

// readComment reads the comment whose start tag was just read into c.
func (r *Reader) readComment(start xml.StartElement, c *archive.Comment) error {
	r.cmeta = r.cmeta[:0]
	err := r.children(start, func(t xml.StartElement) error {
		if r.ns(t.Name.Space) != nsWP {
			return r.extra(t, &c.Extra)
		}
		var f *string
		trim := true
		switch t.Name.Local {
		case "comment_id":
			f = &c.WPID
		case "comment_author":
			f, trim = &c.Author, false
		case "comment_author_email":
			f = &c.AuthorEmail
		case "comment_author_url":
			f = &c.AuthorURL
		case "comment_author_IP":
			f = &c.AuthorIP
		case "comment_date":
			f = &c.DateRaw
		case "comment_date_gmt":
			f = &c.DateGMTRaw
		case "comment_content":
			f, trim = &c.Content, false
		case "comment_approved":
			f = &c.ApprovedRaw
		case "comment_type":
			f = &c.TypeRaw
		case "comment_parent":
			f = &c.ParentRaw
		case "comment_user_id":
			f = &c.UserIDRaw
		case "commentmeta":
			m, err := r.readMeta(t)
			if err != nil {
				return err
			}
			r.cmeta = append(r.cmeta, m)
			return nil
		default:
			return r.extra(t, &c.Extra)
		}
		return r.text(f, trim)
	})
	c.Meta = take(&r.cmeta)
	return err
}

// lineOffset returns how many lines the cleaning reader src dropped before
// the document, so that lines of the decoder become lines of the input.
func lineOffset(src io.Reader) int {
	if c, ok := src.(*clean.Reader); ok {
		return c.Report().LineOffset
	}
	return 0
}

// tap sits between the cleaning reader and the XML decoder. It hashes the
// raw bytes of the item being read, so each item gets a hash of its bytes
// without holding them, and it enforces the byte limits: the decoder
// gathers a whole token before returning it, so a giant text node can
// only be stopped below it.
type tap struct {
	r    io.Reader
	buf  []byte // the last bytes read; buf[0] is at stream offset base
	base int64
	pos  int64        // stream offset after the last byte read
	h    *xxh3.Hasher // while recording: has hashed the item's bytes up to base
	tok  bound        // the token being read (MaxFieldBytes)
	el   bound        // the channel-level element being read (MaxItemBytes)
	err  error
	// tokLine returns the line of the token being read, for tok's error.
	tokLine func() int
}

// bound is a limit on the bytes read from offset start; off when limit is 0.
type bound struct {
	start, limit int64
	line         int
}

// slack covers the decoder's read-ahead (a 4 KiB bufio.Reader), so a
// limit is not hit by bytes that follow the token or element.
const slack = 8 << 10

func (t *tap) Read(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n, err := t.r.Read(p)
	if n <= 0 {
		return n, err
	}
	t.pos += int64(n)
	if b := t.tok; b.limit > 0 && t.pos-b.start > b.limit+slack {
		t.err = &limitError{what: "one text field, tag or comment", limit: b.limit, line: t.tokLine()}
	} else if b := t.el; b.limit > 0 && t.pos-b.start > b.limit+slack {
		t.err = &limitError{what: "one item (or channel element)", limit: b.limit, line: b.line}
	}
	if t.err != nil {
		return 0, t.err
	}
	if len(t.buf) > 64<<10 {
		// Keep a tail longer than the decoder's read-ahead, so the
		// offset of an item's start or end is always in buf.
		drop := len(t.buf) - 16<<10
		if t.h != nil {
			t.h.Write(t.buf[:drop])
		}
		t.base += int64(drop)
		t.buf = append(t.buf[:0], t.buf[drop:]...)
	}
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// field starts the byte limit of a token at stream offset off.
func (t *tap) field(off, limit int64) { t.tok = bound{start: off, limit: limit} }

// element starts the byte limit of a channel-level element at stream
// offset off; a negative off ends it.
func (t *tap) element(off, limit int64, line int) {
	if off < 0 {
		t.el = bound{}
		return
	}
	t.el = bound{off, limit, line}
}

// mark starts hashing into h at stream offset off (already read by the
// decoder).
func (t *tap) mark(off int64, h *xxh3.Hasher) {
	if d := off - t.base; d > 0 && d <= int64(len(t.buf)) {
		t.buf = append(t.buf[:0], t.buf[d:]...)
		t.base = off
	}
	t.h = h
}

// sum hashes the bytes from the mark up to stream offset off, stops
// recording and returns the hash.
func (t *tap) sum(off int64) []byte {
	h := t.h
	t.h = nil
	end := off - t.base
	if end < 0 || end > int64(len(t.buf)) {
		end = int64(len(t.buf))
	}
	h.Write(t.buf[:end])
	sum := h.Sum128().Bytes()
	return sum[:]
}
