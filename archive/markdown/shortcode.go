package markdown

import (
	"regexp"
	"strings"
)

// Shortcode is one WordPress shortcode found in content, matched the way
// get_shortcode_regex() matches it.
type Shortcode struct {
	Name string
	// Attrs holds named attributes, names lower-cased, as
	// shortcode_parse_atts() returns them.
	Attrs map[string]string
	// Args holds positional attributes in order ([youtube URL] has one).
	Args []string
	// AttrText is the raw text between the name and the closing bracket.
	AttrText string
	// Content is the text between [name] and [/name]; Enclosing tells
	// whether there was a closing tag at all.
	Content   string
	Enclosing bool
	// SelfClosing is set for the [name /] form.
	SelfClosing bool
	// Raw is the whole match, including the doubled brackets of an escaped
	// shortcode.
	Raw string
	// Start is the byte offset of Raw in the content it was found in.
	Start int

	escOpen, escClose bool
}

// Escaped reports whether the shortcode was written [[name]]: WordPress then
// prints it literally, without the outer brackets.
func (sc Shortcode) Escaped() bool { return sc.escOpen && sc.escClose }

// Literal returns the text WordPress prints for an escaped shortcode: Raw
// without its outer brackets.
func (sc Shortcode) Literal() string { return sc.Raw[1 : len(sc.Raw)-1] }

// isNameByte reports whether c may follow a shortcode name in
// get_shortcode_regex (the name must not be followed by [\w-]).
func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// matchShortcode matches one shortcode at s[i] (which must be '['), like
// get_shortcode_regex with the registered names given by isTag (nil: every
// name). With escapes set it also takes the optional extra '[' and ']' of
// the [[name]] form, as do_shortcode does; shortcode_unautop does not.
func matchShortcode(s string, i int, isTag func(string) bool, escapes bool) (Shortcode, bool) {
	sc, ok := matchShortcodeSpan(s, i, isTag, escapes)
	if ok {
		sc.Attrs, sc.Args = ParseShortcodeAttrs(sc.AttrText)
	}
	return sc, ok
}

// matchShortcodeSpan is matchShortcode without the parse of the
// attributes (Attrs and Args stay nil), for callers that only need where
// the shortcode is.
func matchShortcodeSpan(s string, i int, isTag func(string) bool, escapes bool) (Shortcode, bool) {
	var sc Shortcode
	if i >= len(s) || s[i] != '[' {
		return sc, false
	}
	p := i + 1
	if escapes && p < len(s) && s[p] == '[' {
		sc.escOpen = true
		p++
	}
	n := p
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	if n == p {
		return sc, false
	}
	sc.Name = s[p:n]
	if isTag != nil && !isTag(sc.Name) {
		return sc, false
	}
	// Attributes run to the first ']'; a '/' just before it makes the
	// shortcode self-closing.
	close := strings.IndexByte(s[n:], ']')
	if close < 0 {
		return sc, false
	}
	close += n
	attrEnd := close
	if close > n && s[close-1] == '/' {
		sc.SelfClosing = true
		attrEnd = close - 1
	}
	sc.AttrText = s[n:attrEnd]
	end := close + 1
	if !sc.SelfClosing {
		closing := "[/" + sc.Name + "]"
		if c := strings.Index(s[end:], closing); c >= 0 {
			sc.Enclosing = true
			sc.Content = s[end : end+c]
			end += c + len(closing)
		}
	}
	if escapes && end < len(s) && s[end] == ']' {
		sc.escClose = true
		end++
	}
	sc.Raw = s[i:end]
	sc.Start = i
	return sc, true
}

// FindShortcodes returns the shortcodes of content whose names isTag
// accepts (nil: any name), left to right and not nested, as do_shortcode
// would find them. Escaped shortcodes are returned too; see Escaped.
func FindShortcodes(content string, isTag func(string) bool) []Shortcode {
	var out []Shortcode
	for i := 0; i < len(content); {
		j := strings.IndexByte(content[i:], '[')
		if j < 0 {
			break
		}
		i += j
		sc, ok := matchShortcode(content, i, isTag, true)
		if !ok {
			i++
			continue
		}
		out = append(out, sc)
		i += len(sc.Raw)
	}
	return out
}

// replaceShortcodes calls fn for every shortcode accepted by isTag and
// splices in what it returns; escaped ones become their literal text.
func replaceShortcodes(content string, isTag func(string) bool, fn func(sc Shortcode) string) string {
	if !strings.Contains(content, "[") {
		return content
	}
	out := spliced{s: content}
	for i := 0; i < len(content); {
		j := strings.IndexByte(content[i:], '[')
		if j < 0 {
			break
		}
		i += j
		sc, ok := matchShortcode(content, i, isTag, true)
		if !ok {
			i++
			continue
		}
		total := len(sc.Raw)
		switch {
		case sc.Escaped():
			out.replace(i, i+total, sc.Literal())
		case sc.escOpen:
			sc.Raw = sc.Raw[1:]
			sc.Start++
			out.replace(i, i+total, "[", fn(sc))
		case sc.escClose:
			sc.Raw = sc.Raw[:len(sc.Raw)-1]
			out.replace(i, i+total, fn(sc), "]")
		default:
			out.replace(i, i+total, fn(sc))
		}
		i += total
	}
	return out.String()
}

var reShortcodeAttr = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)`)

// attrSpaces are the characters shortcode_parse_atts() reads as spaces.
var attrSpaces = strings.NewReplacer("\u00a0", " ", "\u200b", " ")

// isRE2Blank reports whether s is empty or only RE2's \s characters.
func isRE2Blank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isRE2Space(s[i]) {
			return false
		}
	}
	return true
}

var reUnclosedTag = regexp.MustCompile(`^[^<]*(?:<[^>]*>[^<]*)*$`)

// ParseShortcodeAttrs splits a shortcode's attribute text like
// shortcode_parse_atts(): name="v", name='v' and name=v give named values
// (names lower-cased), "v", 'v' and bare words give positional ones.
// Backslash escapes are removed as stripcslashes does, and a value holding
// an unclosed HTML tag is emptied.
func ParseShortcodeAttrs(text string) (map[string]string, []string) {
	if isRE2Blank(text) { // nothing for reShortcodeAttr to match
		return nil, nil
	}
	text = attrSpaces.Replace(text)
	var named map[string]string
	var pos []string
	for _, m := range reShortcodeAttr.FindAllStringSubmatchIndex(text, -1) {
		g := func(k int) (string, bool) {
			if m[2*k] < 0 {
				return "", false
			}
			return text[m[2*k]:m[2*k+1]], true
		}
		set := func(k, v string) {
			if named == nil {
				named = map[string]string{}
			}
			named[strings.ToLower(k)] = cleanAttr(stripCSlashes(v))
		}
		if k, ok := g(1); ok && k != "" {
			v, _ := g(2)
			set(k, v)
		} else if k, ok := g(3); ok && k != "" {
			v, _ := g(4)
			set(k, v)
		} else if k, ok := g(5); ok && k != "" {
			v, _ := g(6)
			set(k, v)
		} else if v, ok := g(7); ok && v != "" {
			pos = append(pos, cleanAttr(stripCSlashes(v)))
		} else if v, ok := g(8); ok && v != "" {
			pos = append(pos, cleanAttr(stripCSlashes(v)))
		} else if v, ok := g(9); ok {
			pos = append(pos, cleanAttr(stripCSlashes(v)))
		}
	}
	return named, pos
}

func cleanAttr(v string) string {
	if strings.Contains(v, "<") && !reUnclosedTag.MatchString(v) {
		return ""
	}
	return v
}

// stripCSlashes undoes C-style backslash escapes like PHP's stripcslashes
// for the common cases (\n, \t, \\, \", \', octal and \x hex).
func stripCSlashes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch d := s[i]; d {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'v':
			b.WriteByte('\v')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'x':
			v, n := 0, 0
			for n < 2 && i+1 < len(s) && isHex(s[i+1]) {
				i++
				v = v*16 + hexVal(s[i])
				n++
			}
			if n == 0 {
				b.WriteByte('x')
			} else {
				b.WriteByte(byte(v))
			}
		default:
			if d >= '0' && d <= '7' {
				v := int(d - '0')
				for n := 1; n < 3 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; n++ {
					i++
					v = v*8 + int(s[i]-'0')
				}
				b.WriteByte(byte(v))
			} else {
				b.WriteByte(d)
			}
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}
