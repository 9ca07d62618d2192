package clean

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxDecl bounds the length of the XML declaration looked at.
const maxDecl = 1 << 10

// prolog runs before the first repair: it converts UTF-16, strips a byte
// order mark, drops what comes before the document and handles the
// encoding the XML declaration names.
func (z *Reader) prolog() {
	for z.w < 4 && z.more() {
	}
	if z.detectUTF16() {
		for z.w < 4 && z.more() {
		}
	}
	if bytes.HasPrefix(z.in[:z.w], []byte("\xEF\xBB\xBF")) {
		z.mark(kBOM, 0)
		z.r = 3
	}
	k := z.findStart()
	if k < 0 {
		return // not a document: leave it to the XML parser to say so
	}
	if k > z.r {
		z.mark(kLeadingText, z.r)
		z.drop = bytes.Count(z.in[z.r:k], nl)
		z.r = k
	}
	if bytes.HasPrefix(z.in[k:z.w], []byte("<?xml")) {
		z.declaration(k)
	}
}

// more reads once more from the source into the window, growing it when
// it is full. It reports false at the end of the source.
func (z *Reader) more() bool {
	if z.eof {
		return false
	}
	if z.w == len(z.in) {
		in := make([]byte, 2*len(z.in))
		copy(in, z.in[:z.w])
		z.in = in
	}
	n, err := z.src.Read(z.in[z.w:])
	z.w += n
	switch {
	case err == io.EOF:
		z.eof = true
	case err != nil:
		z.eof, z.srcErr = true, err
	case n == 0:
		if z.zeros++; z.zeros > 100 {
			z.eof, z.srcErr = true, io.ErrNoProgress
		}
	default:
		z.zeros = 0
	}
	return true
}

// detectUTF16 puts a UTF-16 decoder in front of the source when the first
// bytes are a UTF-16 byte order mark or "<?" or "<r" in UTF-16.
func (z *Reader) detectUTF16() bool {
	b := z.in[:z.w]
	var e unicode.Endianness
	switch {
	case hasAnyPrefix(b, "\xFF\xFE", "<\x00?\x00", "<\x00r\x00"):
		e = unicode.LittleEndian
	case hasAnyPrefix(b, "\xFE\xFF", "\x00<\x00?", "\x00<\x00r"):
		e = unicode.BigEndian
	default:
		return false
	}
	if z.srcErr != nil {
		return false
	}
	z.transcode(0, unicode.UTF16(e, unicode.UseBOM))
	z.utf16 = true
	z.enc = "UTF-16"
	z.mark(kEncoding, 0)
	return true
}

func hasAnyPrefix(b []byte, prefixes ...string) bool {
	for _, p := range prefixes {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// transcode decodes everything from in[from] on with enc.
func (z *Reader) transcode(from int, enc encoding.Encoding) {
	rest := bytes.Clone(z.in[from:z.w])
	z.src = transform.NewReader(io.MultiReader(bytes.NewReader(rest), z.src), enc.NewDecoder())
	z.w = from
	z.eof = false
}

// findStart returns the index of the first "<?xml" or "<rss" in the
// window, reading up to prologLimit bytes, or -1. Each read searches only
// the new bytes and the few before them that may begin a match.
func (z *Reader) findStart() int {
	from := z.r
	for {
		if k, _ := docStart(z.in[from:z.w], z.eof); k >= 0 {
			return from + k
		}
		seen := max(from, z.w-len("<?xml "))
		if z.eof || z.w-z.r >= prologLimit || !z.more() {
			return -1
		}
		from = seen
	}
}

// docStart returns the index of the first "<?xml" or "<rss" start tag in
// b, or -1; stop means b ends in what may be the start of one.
func docStart(b []byte, final bool) (k int, stop bool) {
	for p := 0; p < len(b); {
		q := bytes.IndexByte(b[p:], '<')
		if q < 0 {
			return -1, false
		}
		p += q
		for _, s := range [...]string{"<?xml", "<rss"} {
			rest := b[p:]
			if len(rest) <= len(s) {
				if !final && strings.HasPrefix(s+" ", string(rest)) {
					return -1, true
				}
				continue
			}
			if string(rest[:len(s)]) == s && (isSpace(rest[len(s)]) || s == "<rss" && rest[len(s)] == '>') {
				return p, false
			}
		}
		p++
	}
	return -1, false
}

// declaration handles the encoding named by the XML declaration at in[k]:
// anything but UTF-8 is rewritten as UTF-8 and the input decoded.
func (z *Reader) declaration(k int) {
	end := -1
	for {
		if e := bytes.Index(z.in[k:z.w], []byte("?>")); e >= 0 {
			end = k + e + 2
			break
		}
		if z.w-k > maxDecl || !z.more() {
			return
		}
	}
	decl := z.in[k:end]
	for _, c := range decl {
		if c >= 0x80 || isControl(c) {
			return
		}
	}
	vs, ve := declEncoding(decl)
	if vs < 0 {
		return
	}
	name := string(decl[vs:ve])
	if strings.EqualFold(name, "utf-8") {
		return
	}
	if !z.utf16 {
		z.enc = name
		z.mark(kEncoding, k)
	}
	z.out = append(z.out, decl[:vs]...)
	z.out = append(z.out, "UTF-8"...)
	z.out = append(z.out, decl[ve:]...)
	z.r = end
	if z.utf16 {
		return
	}
	enc, err := htmlindex.Get(name)
	if err != nil || enc == encoding.Replacement {
		return // unknown: read as UTF-8, invalid runs as Windows-1252
	}
	if cm, ok := enc.(*charmap.Charmap); ok {
		var t [256]rune
		for b := range t {
			t[b] = cm.DecodeByte(byte(b))
		}
		z.latin = &t
		return
	}
	switch n, _ := htmlindex.Name(enc); n {
	case "utf-8", "utf-16le", "utf-16be":
		return // an 8-bit file cannot be UTF-16
	}
	if z.srcErr == nil {
		z.transcode(end, enc)
	}
}

// declEncoding returns the bounds of the value of the encoding pseudo-
// attribute in an XML declaration, or -1, -1.
func declEncoding(decl []byte) (int, int) {
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 || !isSpace(decl[i-1]) {
		return -1, -1
	}
	i += len("encoding")
	for i < len(decl) && isSpace(decl[i]) {
		i++
	}
	if i == len(decl) || decl[i] != '=' {
		return -1, -1
	}
	i++
	for i < len(decl) && isSpace(decl[i]) {
		i++
	}
	if i == len(decl) || decl[i] != '"' && decl[i] != '\'' {
		return -1, -1
	}
	q := decl[i]
	j := bytes.IndexByte(decl[i+1:], q)
	if j < 0 {
		return -1, -1
	}
	return i + 1, i + 1 + j
}
