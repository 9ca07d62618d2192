package quotes

import (
	"strings"

	"golang.org/x/net/html"
)

// tokenizer splits post content into the tokens parse needs exactly as
// golang.org/x/net/html's Tokenizer (as NewTokenizerFragment(r, "div")
// makes it) does, but on the string itself: text is found with
// strings.IndexByte instead of a buffered read of every byte, and nothing
// is copied. It knows text, start, end and self-closing tags (with their
// attribute names as far as lang goes), <!-- comments --> and the raw text
// of iframe, style, textarea and their kind. On anything else (<!DOCTYPE>,
// <?…>, </>, bogus comments, <script>, <plaintext>, input that ends inside
// a tag or comment, a NUL byte) it gives up, and parse starts over with
// x/net/html: the outcome is the same either way.
type tokenizer struct {
	s   string
	pos int
	raw string // the raw-text element just opened, "" when none

	tt         html.TokenType
	start      int    // the token is s[start:pos]
	rawText    string // for text tokens: the raw-text element holding it, "" for ordinary text
	name       string // lower-cased tag name of tag tokens
	hasAttr    bool   // a start tag has attributes
	hasLang    bool   // one of them is lang or xml:lang
	comment    string // text of a comment token
	keys       [][2]int
	lastValEnd int // end of the value of the last attribute kept
}

// next reads the next token into z; at the end of s z.tt is ErrorToken.
// It returns false when the input needs x/net/html.
func (z *tokenizer) next() bool {
	s := z.s
	z.start = z.pos
	z.rawText = ""
	if z.pos >= len(s) {
		z.tt = html.ErrorToken
		return true
	}
	if z.raw != "" {
		end := rawTextEnd(s, z.pos, z.raw)
		tag := z.raw
		z.raw = ""
		if end > z.pos {
			z.pos = end
			z.tt = html.TextToken
			z.rawText = tag
			return true
		}
	}
	i := z.pos
	for {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 || i+j+1 >= len(s) {
			// Text to the end ("<" as the last byte is text too).
			z.pos = len(s)
			z.tt = html.TextToken
			return true
		}
		j += i
		if c := s[j+1]; isASCIILetter(c) || c == '/' || c == '!' || c == '?' {
			if j > z.pos {
				z.pos = j
				z.tt = html.TextToken
				return true
			}
			break
		}
		i = j + 1
	}
	p := z.pos
	switch c := s[p+1]; {
	case isASCIILetter(c):
		end, ok := z.tag(p+1, true)
		if !ok {
			return false
		}
		z.pos = end
		switch z.name {
		case "iframe", "noembed", "noframes", "noscript", "style", "textarea", "title", "xmp":
			z.raw = z.name
		case "script", "plaintext":
			return false
		}
		z.tt = html.StartTagToken
		if s[end-2] == '/' && (len(z.keys) == 0 || end-2 != z.lastValEnd-1) {
			z.tt = html.SelfClosingTagToken
		}
		return true
	case c == '/':
		if p+2 >= len(s) || !isASCIILetter(s[p+2]) {
			return false // "</>", a bogus comment, or the end
		}
		end, ok := z.tag(p+2, false)
		if !ok {
			return false
		}
		z.pos = end
		z.tt = html.EndTagToken
		return true
	case c == '!':
		if !strings.HasPrefix(s[p:], "<!--") {
			return false
		}
		ds, de, end, ok := readComment(s, p+4)
		if !ok {
			return false
		}
		text := s[ds:de]
		if strings.IndexByte(text, '\r') >= 0 {
			return false
		}
		z.comment = html.UnescapeString(text)
		z.pos = end
		z.tt = html.CommentToken
		return true
	}
	return false // "<?"
}

// rawTextEnd returns where the raw text of element tag that starts at
// s[i] ends: at "</tag" followed by white space, "/" or ">", in any
// case, or at the end of s.
func rawTextEnd(s string, i int, tag string) int {
	for {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return len(s)
		}
		j += i
		k := j + 2
		if k+len(tag) < len(s) && asciiEqualFold(s[k:k+len(tag)], tag) {
			switch s[k+len(tag)] {
			case ' ', '\n', '\r', '\t', '\f', '/', '>':
				return j
			}
		}
		i = j + 1
	}
}

// tag reads a tag whose name starts at s[i] and returns where it ends.
// keep says whether attributes are read (start tags) or skipped (end tags).
func (z *tokenizer) tag(i int, keep bool) (int, bool) {
	s := z.s
	z.keys = z.keys[:0]
	z.hasAttr, z.hasLang, z.lastValEnd = false, false, 0
	// The name.
	ns, ne := i, 0
	for i++; ; i++ {
		if i >= len(s) {
			return 0, false
		}
		c := s[i]
		if isWhite(c) {
			ne = i
			i++
			break
		}
		if c == '/' || c == '>' {
			ne = i
			break
		}
	}
	z.name = lowerName(s[ns:ne])
	if i = skipWhite(s, i); i >= len(s) {
		return 0, false
	}
	for {
		c := s[i]
		if c == '>' {
			return i + 1, true
		}
		// The attribute's key.
		ks := i
		for ; ; i++ {
			if i >= len(s) {
				return 0, false
			}
			c := s[i]
			if c == '=' && i == ks {
				continue
			}
			if c == '=' || isWhite(c) || c == '/' || c == '>' {
				break
			}
		}
		ke := i
		// Its value.
		ve := i
		if i = skipWhite(s, i); i >= len(s) {
			return 0, false
		}
		switch c := s[i]; {
		case c == '/':
			i++
		case c != '=':
		default:
			if i = skipWhite(s, i+1); i >= len(s) {
				return 0, false
			}
			switch q := s[i]; q {
			case '>':
			case '\'', '"':
				k := strings.IndexByte(s[i+1:], q)
				if k < 0 {
					return 0, false
				}
				ve = i + 1 + k
				i = ve + 1
			default:
				for i++; ; i++ {
					if i >= len(s) {
						return 0, false
					}
					if c := s[i]; isWhite(c) {
						ve = i
						i++
						break
					} else if c == '>' {
						ve = i
						break
					}
				}
			}
		}
		if keep && ks != ke && !z.seen(s[ks:ke]) {
			z.keys = append(z.keys, [2]int{ks, ke})
			z.lastValEnd = ve
			z.hasAttr = true
			if k := s[ks:ke]; asciiEqualFold(k, "lang") || asciiEqualFold(k, "xml:lang") {
				z.hasLang = true
			}
		}
		if i = skipWhite(s, i); i >= len(s) {
			return 0, false
		}
	}
}

// seen reports whether the tag has an attribute named key already: only
// the first of a name counts, as in x/net/html.
func (z *tokenizer) seen(key string) bool {
	for _, k := range z.keys {
		if asciiEqualFold(z.s[k[0]:k[1]], key) {
			return true
		}
	}
	return false
}

func skipWhite(s string, i int) int {
	for i < len(s) && isWhite(s[i]) {
		i++
	}
	return i
}

// readComment reads a comment whose text starts at s[i] (after "<!--")
// and returns the text's range and the comment's end, following
// x/net/html's readComment; false when s ends inside the comment.
func readComment(s string, i int) (ds, de, end int, ok bool) {
	ds = i
	dashes, beginning := 0, true
	for {
		if i >= len(s) {
			return 0, 0, 0, false
		}
		c := s[i]
		i++
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return ds, max(ds, i-len("-->")), i, true
			}
		case '!':
			if dashes >= 2 {
				if i >= len(s) {
					return 0, 0, 0, false
				}
				c = s[i]
				i++
				if c == '>' {
					return ds, max(ds, i-len("--!>")), i, true
				} else if c == '-' {
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
}

// asciiEqualFold reports whether a and b are equal with ASCII letters
// compared without case.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// lowerName returns a tag name lower-cased (ASCII only, as x/net/html
// does): one of tagNames when it is one, else a copy.
func lowerName(b string) string {
	var buf [16]byte
	if len(b) > len(buf) {
		l := []byte(b)
		for i, c := range l {
			if 'A' <= c && c <= 'Z' {
				l[i] = c + 'a' - 'A'
			}
		}
		return string(l)
	}
	n := copy(buf[:], b)
	for i := 0; i < n; i++ {
		if c := buf[i]; 'A' <= c && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	return tagName(buf[:n])
}
