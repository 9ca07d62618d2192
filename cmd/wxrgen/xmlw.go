package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// countWriter counts the bytes that reach the destination and keeps the first write error,
// so the generator can stop early instead of producing gigabytes into a closed pipe.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil {
		c.err = err
	}
	return n, err
}

// xw writes WXR fragments to a buffered stream.
type xw struct {
	*bufio.Writer
	cw *countWriter
}

func newXW(w io.Writer) *xw {
	cw := &countWriter{w: w}
	return &xw{Writer: bufio.NewWriterSize(cw, 256<<10), cw: cw}
}

// written is the number of bytes produced so far, buffered or not.
func (x *xw) written() int64 { return x.cw.n + int64(x.Buffered()) }

// cdata writes s as one CDATA section, splitting any "]]>" the way wxr_cdata() does.
func (x *xw) cdata(s string) {
	x.WriteString("<![CDATA[")
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			break
		}
		x.WriteString(s[:i])
		x.WriteString("]]]]><![CDATA[>")
		s = s[i+3:]
	}
	x.WriteString(s)
	x.WriteString("]]>")
}

// elemCDATA writes <name><![CDATA[s]]></name> with the given indentation.
func (x *xw) elemCDATA(indent, name, s string) {
	x.WriteString(indent)
	x.WriteByte('<')
	x.WriteString(name)
	x.WriteByte('>')
	x.cdata(s)
	x.WriteString("</")
	x.WriteString(name)
	x.WriteString(">\n")
}

// elemText writes <name>escaped s</name>; used for the fields core writes without CDATA.
func (x *xw) elemText(indent, name, s string) {
	x.WriteString(indent)
	x.WriteByte('<')
	x.WriteString(name)
	x.WriteByte('>')
	x.escape(s)
	x.WriteString("</")
	x.WriteString(name)
	x.WriteString(">\n")
}

func (x *xw) elemInt(indent, name string, n int64) {
	x.WriteString(indent)
	x.WriteByte('<')
	x.WriteString(name)
	x.WriteByte('>')
	var b [20]byte
	x.Write(strconv.AppendInt(b[:0], n, 10))
	x.WriteString("</")
	x.WriteString(name)
	x.WriteString(">\n")
}

// escape writes s with XML's five special characters escaped.
func (x *xw) escape(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&quot;"
		case '\'':
			rep = "&apos;"
		default:
			continue
		}
		x.WriteString(s[last:i])
		x.WriteString(rep)
		last = i + 1
	}
	x.WriteString(s[last:])
}

func (x *xw) meta(kind, key, value string) {
	x.WriteString("\t\t<wp:")
	x.WriteString(kind)
	x.WriteString(">\n")
	x.elemCDATA("\t\t\t", "wp:meta_key", key)
	x.elemCDATA("\t\t\t", "wp:meta_value", value)
	x.WriteString("\t\t</wp:")
	x.WriteString(kind)
	x.WriteString(">\n")
}

// Dates as WordPress stores and exports them.
const (
	mysqlDate = "2006-01-02 15:04:05"
	rssDate   = "Mon, 02 Jan 2006 15:04:05 +0000"
	zeroDate  = "0000-00-00 00:00:00"
	zeroRSS   = "Mon, 30 Nov -0001 00:00:00 +0000"
)

// slugify follows sanitize_title_with_dashes() in its "save" context: entities removed,
// lower-cased, non-ASCII UTF-8 percent-encoded with lower-case hex (at most 200 bytes,
// never cutting a character), no-break spaces and en/em dashes turned into dashes, curly
// quotes, guillemets and ellipses dropped, dots and slashes turned into dashes, every other
// character outside [%a-z0-9 _-] removed, whitespace runs turned into one dash, dashes
// collapsed and trimmed.
func slugify(title string) string {
	s := strings.ToLower(title)
	var enc strings.Builder
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); {
		c := s[i]
		if c == '&' { // kill entities such as &amp; and &#8217;
			if j := strings.IndexByte(s[i:], ';'); j > 0 && j < 10 {
				i += j + 1
				continue
			}
		}
		if c < 0x80 {
			if enc.Len() >= 200 {
				break
			}
			enc.WriteByte(c)
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		if enc.Len()+3*size > 200 {
			break
		}
		for k := 0; k < size; k++ {
			b := s[i+k]
			enc.WriteByte('%')
			enc.WriteByte(hex[b>>4])
			enc.WriteByte(hex[b&15])
		}
		i += size
	}
	e := slugReplacer.Replace(enc.String())
	var b strings.Builder
	dash := false
	for i := 0; i < len(e); i++ {
		c := e[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '%':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteByte(c)
		case c == ' ', c == '\t', c == '\n', c == '-':
			dash = true
		}
	}
	return b.String()
}

var slugReplacer = strings.NewReplacer(
	"%c2%a0", "-", "%e2%80%93", "-", "%e2%80%94", "-", // nbsp, en dash, em dash
	"%e2%80%98", "", "%e2%80%99", "", "%e2%80%9c", "", "%e2%80%9d", "", // curly quotes
	"%c2%ab", "", "%c2%bb", "", "%e2%80%b9", "", "%e2%80%ba", "", "%e2%80%a6", "", // guillemets, ellipsis
	".", "-", "/", "-",
)

// php builds PHP serialize() output; string lengths are counted in bytes.
type php struct{ strings.Builder }

func (p *php) str(s string) *php {
	p.WriteString("s:")
	p.WriteString(strconv.Itoa(len(s)))
	p.WriteString(":\"")
	p.WriteString(s)
	p.WriteString("\";")
	return p
}

func (p *php) int(n int64) *php {
	p.WriteString("i:")
	p.WriteString(strconv.FormatInt(n, 10))
	p.WriteByte(';')
	return p
}

// float writes d:<shortest repr>; as PHP ≥ 7.1 does with serialize_precision = -1.
func (p *php) float(f float64) *php {
	p.WriteString("d:")
	p.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
	p.WriteByte(';')
	return p
}

func (p *php) arr(n int) *php {
	p.WriteString("a:")
	p.WriteString(strconv.Itoa(n))
	p.WriteString(":{")
	return p
}

func (p *php) end() *php { p.WriteByte('}'); return p }

func (p *php) kv(k, v string) *php { return p.str(k).str(v) }

func (p *php) ki(k string, n int64) *php { return p.str(k).int(n) }

// htmlEscapeText escapes text for HTML content the way esc_html would for our vocabulary.
func htmlEscapeText(s string) string {
	if !strings.ContainsAny(s, "&<>\"") {
		return s
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;")
	return r.Replace(s)
}

func fmtDate(t time.Time) string { return t.Format(mysqlDate) }
