package markdown

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// YAML scalars written by hand the way go.yaml.in/yaml/v3's encoder
// writes them (indent 2, no line width), for the front matter and the
// comments data files: the encoder costs ~100 µs per document, most of
// the export's time once the Markdown is fast. What follows is a port of
// the encoder's choices (encode.go's stringv and node, resolve.go's
// resolve, emitterc.go's yaml_emitter_analyze_scalar,
// yaml_emitter_select_scalar_style and the plain, single-quoted,
// double-quoted and literal writers) for the values it writes simply; for
// anything else the writers answer false and the caller uses the
// encoder. The tests compare both on edge cases, the corpus and fuzzed
// strings.

// yamlScalar is what the emitter's analysis of a scalar says.
type yamlScalar struct {
	multiline   bool
	blockPlain  bool // plain allowed in block context
	singleOK    bool // single-quoted allowed
	blockOK     bool // literal or folded allowed
	printable   bool // no character the double-quoted writer escapes (other than " and \)
	lineBreaks  bool // holds a break other than "\n" (CR, NEL, LS, PS)
	leadingWS   bool // starts with a space or a break
	astralOrCtl bool
}

func yamlWidth(b byte) int {
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xE0 == 0xC0:
		return 2
	case b&0xF0 == 0xE0:
		return 3
	case b&0xF8 == 0xF0:
		return 4
	}
	return 1
}

func yamlIsPrintable(v string, i int) bool {
	b := v[i]
	switch {
	case b == 0x0A, b >= 0x20 && b <= 0x7E:
		return true
	case b == 0xC2:
		return i+1 < len(v) && v[i+1] >= 0xA0
	case b > 0xC2 && b < 0xED, b == 0xEE:
		return true
	case b == 0xED:
		return i+1 < len(v) && v[i+1] < 0xA0
	case b == 0xEF:
		return i+2 < len(v) && !(v[i+1] == 0xBB && v[i+2] == 0xBF) && !(v[i+1] == 0xBF && (v[i+2] == 0xBE || v[i+2] == 0xBF))
	}
	return false
}

func yamlIsBreak(v string, i int) bool {
	switch v[i] {
	case '\r', '\n':
		return true
	case 0xC2:
		return i+1 < len(v) && v[i+1] == 0x85
	case 0xE2:
		return i+2 < len(v) && v[i+1] == 0x80 && (v[i+2] == 0xA8 || v[i+2] == 0xA9)
	}
	return false
}

// analyzeYAML is yaml_emitter_analyze_scalar for valid UTF-8.
func analyzeYAML(v string) yamlScalar {
	if v == "" {
		return yamlScalar{blockPlain: true, singleOK: true, printable: true}
	}
	var (
		blockIndicators, lineBreaks, special, tabs               bool
		leadingSpace, leadingBreak, trailingSpace, trailingBreak bool
		breakSpace, spaceBreak, prevSpace, prevBreak             bool
		otherBreaks                                              bool
	)
	if strings.HasPrefix(v, "---") || strings.HasPrefix(v, "...") {
		blockIndicators = true
	}
	precededByWS := true
	for i, w := 0, 0; i < len(v); i += w {
		// Most characters past the first only reset the space and break
		// state: printable, no space, break, tab, ":" or "#".
		if c := v[i]; i > 0 {
			w = 0
			switch {
			case c == ' ':
				trailingSpace = trailingSpace || i+1 == len(v)
				breakSpace = breakSpace || prevBreak
				prevSpace, prevBreak, precededByWS = true, false, true
				w = 1
				continue
			case c == '\n':
				lineBreaks = true
				trailingBreak = trailingBreak || i+1 == len(v)
				spaceBreak = spaceBreak || prevSpace
				prevSpace, prevBreak, precededByWS = false, true, true
				w = 1
				continue
			case c < 0x80:
				if yamlOrdinary[c] {
					w = 1
				}
			case c >= 0xC3 && c <= 0xDF:
				w = 2
			case c >= 0xE0 && c <= 0xEC && !(c == 0xE2 && i+2 < len(v) && v[i+1] == 0x80 && (v[i+2] == 0xA8 || v[i+2] == 0xA9)):
				w = 3
			}
			if w > 0 {
				prevSpace, prevBreak, precededByWS = false, false, false
				continue
			}
		}
		w = yamlWidth(v[i])
		followedByWS := i+w >= len(v) || v[i+w] == ' ' || v[i+w] == '\t'
		c := v[i]
		if i == 0 {
			switch c {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockIndicators = true
			case '?', ':', '-':
				if followedByWS {
					blockIndicators = true
				}
			}
		} else {
			switch c {
			case ':':
				if followedByWS {
					blockIndicators = true
				}
			case '#':
				if precededByWS {
					blockIndicators = true
				}
			}
		}
		if c == '\t' {
			tabs = true
		} else if !yamlIsPrintable(v, i) {
			special = true
		}
		switch {
		case c == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i+w == len(v) {
				trailingSpace = true
			}
			if prevBreak {
				breakSpace = true
			}
			prevSpace, prevBreak = true, false
		case yamlIsBreak(v, i):
			lineBreaks = true
			if c != '\n' {
				otherBreaks = true
			}
			if i == 0 {
				leadingBreak = true
			}
			if i+w == len(v) {
				trailingBreak = true
			}
			if prevSpace {
				spaceBreak = true
			}
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		precededByWS = c == ' ' || c == '\t' || c == 0 || yamlIsBreak(v, i)
	}
	a := yamlScalar{multiline: lineBreaks, blockPlain: true, singleOK: true, blockOK: true,
		printable: !special && !tabs && !lineBreaks, lineBreaks: otherBreaks, leadingWS: leadingSpace || leadingBreak}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
		a.blockPlain = false
	}
	if trailingSpace {
		a.blockOK = false
	}
	if breakSpace {
		a.blockPlain, a.singleOK = false, false
	}
	if spaceBreak || tabs || special {
		a.blockPlain, a.singleOK = false, false
	}
	if spaceBreak || special {
		a.blockOK = false
	}
	if lineBreaks || blockIndicators {
		a.blockPlain = false
	}
	a.astralOrCtl = special
	return a
}

// yamlOrdinary are the ASCII characters the scalar analysis does nothing
// with past the first: printable, not a space, ":" or "#".
var yamlOrdinary = func() (t [128]bool) {
	for c := 0x21; c <= 0x7E; c++ {
		t[c] = c != ':' && c != '#'
	}
	return t
}()

var (
	yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	yamlBase60     = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)
)

// yamlIsString reports whether the plain scalar v reads back as a
// string: the encoder's resolve("", v) == "!!str".
func yamlIsString(v string) bool {
	if v == "" {
		return false // null
	}
	switch v {
	case "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL",
		".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<":
		return false
	}
	switch c := v[0]; {
	case c == '.':
		_, err := strconv.ParseFloat(v, 64)
		return err != nil
	case c == '+' || c == '-' || c >= '0' && c <= '9':
	default:
		return true
	}
	if yamlTimestamp(v) {
		return false
	}
	plain := strings.ReplaceAll(v, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return false
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return false
	}
	if yamlStyleFloat.MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return false
		}
	}
	for _, p := range []struct {
		prefix string
		base   int
	}{{"0b", 2}, {"-0b", 2}, {"0o", 8}, {"-0o", 8}} {
		if !strings.HasPrefix(plain, p.prefix) {
			continue
		}
		digits := plain[len(p.prefix):]
		if p.prefix[0] == '-' {
			digits = "-" + digits
		}
		if _, err := strconv.ParseInt(digits, p.base, 64); err == nil {
			return false
		}
		if p.prefix[0] != '-' {
			if _, err := strconv.ParseUint(digits, p.base, 64); err == nil {
				return false
			}
		}
	}
	return true
}

var yamlTimestampLayouts = []string{"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"}

func yamlTimestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, l := range yamlTimestampLayouts {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

// The styles a scalar is written in.
const (
	yamlPlain   = 'p'
	yamlSingle  = '\''
	yamlDouble  = '"'
	yamlLiteral = '|'
)

// yamlStyleOf returns the style the encoder writes v in: for a string
// node made by strNode (node) or for a Go string field (!node). 0 when
// v is not valid UTF-8 (the encoder refuses it or writes it as binary).
func yamlStyleOf(v string, node bool) (byte, yamlScalar) {
	if !utf8.ValidString(v) {
		return 0, yamlScalar{}
	}
	if yamlPlainWord(v) {
		return yamlPlain, yamlPlainScalar
	}
	return yamlStyleSlow(v, node)
}

// yamlStyleSlow is yamlStyleOf for valid UTF-8, every check made.
func yamlStyleSlow(v string, node bool) (byte, yamlScalar) {
	a := analyzeYAML(v)
	var style byte
	switch {
	case node && yaml11Special(v):
		style = yamlDouble
	case strings.Contains(v, "\n"):
		style = yamlLiteral
	case !yamlIsString(v), !node && (isOldBool(v) || yamlIsBase60(v)):
		style = yamlDouble
	default:
		style = yamlPlain
	}
	switch style {
	case yamlPlain:
		if !a.blockPlain {
			style = yamlSingle
		}
		if style == yamlSingle && !a.singleOK {
			style = yamlDouble
		}
	case yamlLiteral:
		if !a.blockOK {
			style = yamlDouble
		}
	}
	return style, a
}

// yamlPlainScalar is what analyzeYAML says of the strings yamlPlainWord
// takes.
var yamlPlainScalar = yamlScalar{blockPlain: true, singleOK: true, blockOK: true, printable: true}

// yamlPlainWord reports, for valid UTF-8, whether v is one of the usual
// names, terms, slugs, paths and titles that the encoder writes plain
// whatever it is made for (node or not): it starts with a letter, "/" or
// "(", or a character of the two- and three-byte ranges that are printable
// and no break; then holds only printable ASCII, spaces and such
// characters, with no ":" before a space or at the end, no "#" after a
// space, no trailing space; and is not a YAML 1.1 boolean or null word.
// Such a string reads back as a string in both YAML versions (no number
// starts that way) and the scalar analysis finds no indicator, break,
// special character or leading or trailing white space in it. It answers
// false for anything else, which yamlStyleSlow then works out.
func yamlPlainWord(v string) bool {
	if v == "" || !yamlWordStart[v[0]] {
		return false
	}
	var high byte
	for i := 0; i < len(v); {
		c := v[i]
		switch yamlWordByte[c] {
		case yamlWordOrdinary:
			i++
			continue
		case yamlWordSpace:
			if i+1 == len(v) {
				return false
			}
		case yamlWordColon:
			if i+1 == len(v) || v[i+1] == ' ' {
				return false
			}
		case yamlWordHash:
			if v[i-1] == ' ' {
				return false
			}
		case yamlWordLead2:
			high = c
			i += 2
			continue
		case yamlWordLead3:
			// Printable and no break but for E2 80 A8 and E2 80 A9 (line
			// and paragraph separators); the string is valid UTF-8.
			if c == 0xE2 && v[i+1] == 0x80 && (v[i+2] == 0xA8 || v[i+2] == 0xA9) {
				return false
			}
			high = c
			i += 3
			continue
		default:
			return false
		}
		i++
	}
	return high != 0 || !yaml11Word(v)
}

// The classes of bytes yamlPlainWord tells apart.
const (
	yamlWordOther    = iota // ends the shortcut
	yamlWordOrdinary        // printable ASCII but for " ", ":" and "#"
	yamlWordSpace
	yamlWordColon
	yamlWordHash
	yamlWordLead2 // C3-DF: starts a printable two-byte character, no break
	yamlWordLead3 // E0-EC: starts a three-byte character, printable
)

var (
	yamlWordByte = func() (t [256]byte) {
		for c := 0x21; c <= 0x7E; c++ {
			t[c] = yamlWordOrdinary
		}
		t[' '], t[':'], t['#'] = yamlWordSpace, yamlWordColon, yamlWordHash
		for c := 0xC3; c <= 0xDF; c++ {
			t[c] = yamlWordLead2
		}
		for c := 0xE0; c <= 0xEC; c++ {
			t[c] = yamlWordLead3
		}
		return t
	}()
	// yamlWordStart are the bytes a plain word may start with.
	yamlWordStart = func() (t [256]bool) {
		for c := 0; c < 256; c++ {
			t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '(' || yamlWordByte[c] >= yamlWordLead2
		}
		return t
	}()
)

func isOldBool(s string) bool {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return true
	}
	return false
}

func yamlIsBase60(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if !(c == '+' || c == '-' || c >= '0' && c <= '9') || strings.IndexByte(s, ':') < 0 {
		return false
	}
	return yamlBase60.MatchString(s)
}

// appendYAMLScalar appends v in the style the encoder chooses, as the
// value of a block mapping key at column indent (a literal block's lines
// are indented two more). ok is false where the writers here are not
// sure to match the encoder: escapes in double quotes, single quotes or
// literal blocks over other line breaks, a literal block that starts with
// white space or keeps several final newlines.
func appendYAMLScalar(b []byte, v string, indent int, node bool) ([]byte, bool) {
	style, a := yamlStyleOf(v, node)
	switch style {
	case yamlPlain:
		return append(b, v...), true
	case yamlSingle:
		if a.multiline {
			return b, false
		}
		b = append(b, '\'')
		for i := 0; i < len(v); i++ {
			if v[i] == '\'' {
				b = append(b, '\'')
			}
			b = append(b, v[i])
		}
		return append(b, '\''), true
	case yamlDouble:
		if !a.printable || strings.ContainsAny(v, "\"\\") {
			return b, false
		}
		b = append(b, '"')
		b = append(b, v...)
		return append(b, '"'), true
	case yamlLiteral:
		if a.lineBreaks || a.leadingWS {
			return b, false
		}
		chomp := "-"
		if strings.HasSuffix(v, "\n") {
			if strings.HasSuffix(v, "\n\n") {
				return b, false // "+": keeps them, and may end the document with "..."
			}
			chomp = ""
			v = v[:len(v)-1]
		}
		b = append(b, '|')
		b = append(b, chomp...)
		for len(v) >= 0 {
			line := v
			k := strings.IndexByte(v, '\n')
			if k >= 0 {
				line = v[:k]
			}
			b = append(b, '\n')
			if line != "" {
				for j := 0; j < indent+2; j++ {
					b = append(b, ' ')
				}
				b = append(b, line...)
			}
			if k < 0 {
				break
			}
			v = v[k+1:]
		}
		return b, true
	}
	return b, false
}

// AppendYAMLString appends the string v as go.yaml.in/yaml/v3 encodes a
// Go string field that is the value of a block mapping key at column
// indent (with the encoder's indent of 2 and no line width): plain,
// single-quoted, double-quoted when it holds nothing to escape, or a
// literal block. ok is false, and b unchanged in meaning, when it is not
// one of those cases: encode the document with the encoder then.
func AppendYAMLString(b []byte, v string, indent int) ([]byte, bool) {
	return appendYAMLScalar(b, v, indent, false)
}
