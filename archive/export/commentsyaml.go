package export

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wparchive/wparchive/archive/markdown"
)

// appendYAML appends the YAML data file of t as Data's encoder writes it
// (keys in the order of Comment's fields, omitempty fields left out),
// with the scalars written by hand (markdown.AppendYAMLString): the
// encoder took most of the comments' share of an export. ok is false when
// a value is one the hand-written scalars do not cover; Data uses the
// encoder then. TestThreadDataByHand compares the two.
func (t *Thread) appendYAML(b []byte) ([]byte, bool) {
	var ok bool
	if len(t.Comments) == 0 {
		b = append(b, "comments: []\n"...)
	} else {
		b = append(b, "comments:\n"...)
		for i := range t.Comments {
			if b, ok = appendCommentYAML(b, &t.Comments[i]); !ok {
				return nil, false
			}
		}
	}
	if len(t.Pings) > 0 {
		b = append(b, "pings:\n"...)
		for i := range t.Pings {
			if b, ok = appendCommentYAML(b, &t.Pings[i]); !ok {
				return nil, false
			}
		}
	}
	return b, true
}

// appendCommentYAML appends c as an item of a block sequence at column 2.
func appendCommentYAML(b []byte, c *Comment) ([]byte, bool) {
	ok := true
	str := func(key, v string, omitEmpty bool) {
		if !ok || omitEmpty && v == "" {
			return
		}
		b = append(b, "    "...)
		b = append(b, key...)
		b = append(b, ": "...)
		if b, ok = appendYAMLValue(b, v); ok {
			b = append(b, '\n')
		}
	}
	num := func(key string, v int64, omitEmpty bool) {
		if omitEmpty && v == 0 {
			return
		}
		b = append(b, "    "...)
		b = append(b, key...)
		b = append(b, ": "...)
		b = strconv.AppendInt(b, v, 10)
		b = append(b, '\n')
	}
	b = append(b, "  - id: "...)
	b = strconv.AppendInt(b, c.ID, 10)
	b = append(b, '\n')
	num("parent", c.Parent, true)
	num("reply_to", c.ReplyTo, true)
	num("depth", int64(c.Depth), false)
	str("type", c.Type, false)
	str("status", c.Status, true)
	str("author", c.Author, false)
	str("url", c.URL, true)
	str("title", c.Title, true)
	str("blog_name", c.BlogName, true)
	str("domain", c.Domain, true)
	str("provider", c.Provider, true)
	str("avatar", c.Avatar, true)
	str("date", c.Date, false)
	str("content", c.Content, false)
	if ok && c.Orphan {
		b = append(b, "    orphan: true\n"...)
	}
	return b, ok
}

// appendYAMLValue appends v as markdown.AppendYAMLString(b, v, 4) does,
// deciding the commonest cases without its analysis (UTF-8 validation,
// scanning for every kind of character, the resolver's number and
// timestamp parsing): an RFC 3339 date as the comments have them, which
// reads back as a timestamp and so is double-quoted (yamlDate); a line
// of printable characters that starts with a letter and is no word the
// resolver reads otherwise, plain or single-quoted (yamlLine); several
// lines, most comment bodies, as the literal blocks the encoder makes of
// them (yamlLiteral). Anything else goes through AppendYAMLString.
// TestAppendYAMLValue compares them with it.
func appendYAMLValue(b []byte, v string) ([]byte, bool) {
	if yamlDate(v) {
		b = append(b, '"')
		b = append(b, v...)
		return append(b, '"'), true
	}
	if quoted, ok := yamlLine(v); ok {
		if quoted {
			return appendYAMLSingle(b, v), true
		}
		return append(b, v...), true
	}
	if chomp, ok := yamlLiteral(v); ok {
		return appendYAMLLiteral(b, v, chomp), true
	}
	return markdown.AppendYAMLString(b, v, 4)
}

// yamlLiteral reports whether v is surely written as a literal block
// with no indentation indicator, and its chomping indicator: "-" (strip)
// when v does not end with a line break, "" (clip) when it ends with one.
// v holds a line break "\n" and otherwise only printable ASCII, tabs and
// the characters yamlPlain takes from U+00A1 (no other line break, no
// character the encoder escapes); it starts with no space, tab or break
// (the encoder would add an indentation indicator), has no space or tab
// before a break or at its end (the encoder double-quotes a space there),
// and does not end with two breaks (the encoder keeps them with "+" and
// may end the document with "...").
func yamlLiteral(v string) (string, bool) {
	n := len(v)
	if n < 2 || v[0] == ' ' || v[0] == '\t' || v[0] == '\n' {
		return "", false
	}
	breaks := false
	for i := 0; i < n; i++ {
		switch literalClass[v[i]] {
		case plainOK:
		case literalBreak:
			if c := v[i-1]; c == ' ' || c == '\t' || c == '\n' && i == n-1 {
				return "", false
			}
			breaks = true
		case plainLead:
			r, w := utf8.DecodeRuneInString(v[i:])
			if r < 0xA1 || r == utf8.RuneError || r == 0x2028 || r == 0x2029 || r >= 0xD800 && r < 0xE000 || r == 0xFEFF || r > 0xFFFD {
				return "", false
			}
			i += w - 1
		default:
			return "", false
		}
	}
	switch v[n-1] {
	case ' ', '\t':
		return "", false
	case '\n':
		return "", breaks
	}
	return "-", breaks
}

// The class of a line break for yamlLiteral; its other bytes are
// plainClass's with ":", "#" and tab plainOK.
const literalBreak = plainLead + 1

var literalClass = func() (t [256]uint8) {
	t = plainClass
	t[':'], t['#'], t['\t'], t['\n'] = plainOK, plainOK, plainOK, literalBreak
	return t
}()

// appendYAMLLiteral appends v as a literal block with chomping indicator
// chomp, as the value of a key at column 4: its lines at column 6, an
// empty line with no indentation, a final break left to the indicator.
func appendYAMLLiteral(b []byte, v, chomp string) []byte {
	if chomp == "" {
		v = v[:len(v)-1]
	}
	b = append(b, '|')
	b = append(b, chomp...)
	for {
		line, rest, more := strings.Cut(v, "\n")
		b = append(b, '\n')
		if line != "" {
			b = append(b, "      "...)
			b = append(b, line...)
		}
		if !more {
			return b
		}
		v = rest
	}
}

// yamlLine reports whether v is surely written plain or single-quoted
// (quoted), on one line: a lowercase ASCII word of up to five letters
// that is none the resolver reads as a boolean or null (plain); or longer
// than those words (at most five bytes), starting with an ASCII letter or
// a printable non-ASCII character (no indicator, number, date or
// sexagesimal), then printable ASCII or printable characters of the Basic
// Multilingual Plane from U+00A1 (no tab, NEL, no-break space, line or
// paragraph separator, byte order mark; none astral). Such a value is
// plain unless it holds ": ", " #" or ends with ":" or a space (the
// emitter's indicators and trailing space), then single-quoted.
func yamlLine(v string) (quoted, ok bool) {
	if len(v) <= 5 {
		return false, yamlWord(v)
	}
	if c := v[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80) {
		return false, false
	}
	for i := 0; i < len(v); i++ {
		switch plainClass[v[i]] {
		case plainOK:
		case plainColon:
			if i+1 == len(v) || v[i+1] == ' ' {
				quoted = true
			}
		case plainHash:
			if v[i-1] == ' ' {
				quoted = true
			}
		case plainLead:
			r, w := utf8.DecodeRuneInString(v[i:])
			if r < 0xA1 || r == utf8.RuneError || r == 0x2028 || r == 0x2029 || r >= 0xD800 && r < 0xE000 || r == 0xFEFF || r > 0xFFFD {
				return false, false
			}
			i += w - 1
		default:
			return false, false
		}
	}
	return quoted || v[len(v)-1] == ' ', true
}

// yamlWord reports whether v is a word of one to five lowercase ASCII
// letters that the resolver reads as a string, not as a YAML 1.2
// boolean or null or a YAML 1.1 boolean the encoder quotes.
func yamlWord(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 'a' || v[i] > 'z' {
			return false
		}
	}
	switch v {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return false
	}
	return true
}

// appendYAMLSingle appends v single-quoted, its quotes doubled.
func appendYAMLSingle(b []byte, v string) []byte {
	b = append(b, '\'')
	for {
		k := strings.IndexByte(v, '\'')
		if k < 0 {
			break
		}
		b = append(b, v[:k+1]...)
		b = append(b, '\'')
		v = v[k+1:]
	}
	b = append(b, v...)
	return append(b, '\'')
}

// The classes of bytes for yamlLine.
const (
	plainNo    = iota // control, tab, DEL, a continuation or a 4-byte lead
	plainOK           // printable ASCII but ":" and "#"
	plainColon        // ":"
	plainHash         // "#"
	plainLead         // the lead byte of a 2- or 3-byte character
)

var plainClass = func() (t [256]uint8) {
	for c := ' '; c <= '~'; c++ {
		t[c] = plainOK
	}
	t[':'], t['#'] = plainColon, plainHash
	for c := 0xC2; c < 0xF0; c++ {
		t[c] = plainLead
	}
	return t
}()

// yamlDate reports whether v is a date as commentDate writes it,
// YYYY-MM-DDThh:mm:ss then Z or ±hh:mm, with every field in a range that
// Go's time.Parse, which the resolver uses, accepts (the days of the
// month in the Gregorian calendar, offsets up to 14 hours); a date it
// refuses is no timestamp and written plain.
func yamlDate(v string) bool {
	if len(v) != 20 && len(v) != 25 {
		return false
	}
	for i := 0; i < 19; i++ {
		switch i {
		case 4, 7:
			if v[i] != '-' {
				return false
			}
		case 10:
			if v[i] != 'T' {
				return false
			}
		case 13, 16:
			if v[i] != ':' {
				return false
			}
		default:
			if v[i] < '0' || v[i] > '9' {
				return false
			}
		}
	}
	two := func(i int) int { return int(v[i]-'0')*10 + int(v[i+1]-'0') }
	if m, d := two(5), two(8); m < 1 || m > 12 || d < 1 || d > daysIn(two(0)*100+two(2), m) || two(11) > 23 || two(14) > 59 || two(17) > 59 {
		return false
	}
	if len(v) == 20 {
		return v[19] == 'Z'
	}
	if v[19] != '+' && v[19] != '-' || v[22] != ':' {
		return false
	}
	for _, i := range []int{20, 21, 23, 24} {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return two(20) <= 14 && two(23) <= 59
}

// daysIn returns the number of days of month m (1 to 12) of year y in
// the proleptic Gregorian calendar, as time.Parse checks a day.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
