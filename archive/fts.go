package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwsp separates CJK characters in the text the search index reads.
// SQLite's unicode61 tokenizer treats U+200B (category Cf) as a separator,
// so every Han or kana character becomes a token of its own and a one- or
// two-character word is found as a phrase ("制 裁"), with the stock tokenizer
// that Debian's sqlite3 and Datasette already have. U+200B is invisible, so
// snippets still read as the original text.
const zwsp = '\u200b'

// isCJK reports whether r is written without spaces between words: Han
// ideographs and Japanese kana. Every rune below U+2E80 (the first Han
// radical) is neither, and U+4E00–U+9FFF (CJK Unified Ideographs, most of
// any Chinese or Japanese text) are all Han: those answer without a
// search of the Unicode tables (TestIsCJKTables checks every rune).
func isCJK(r rune) bool {
	if r < 0x2e80 {
		return false
	}
	if r >= 0x4e00 && r <= 0x9fff {
		return true
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// SearchText returns s with U+200B between every two adjacent CJK
// characters. Text without CJK characters is returned unchanged, without
// a copy. ASCII bytes are skipped without decoding, and the text between
// two insertions is copied in one piece.
func SearchText(s string) string {
	var b strings.Builder
	last := 0 // s[:last] is in b
	prevCJK := false
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			prevCJK = false
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return searchTextInvalid(s)
		}
		c := isCJK(r)
		if c && prevCJK {
			if b.Cap() == 0 {
				b.Grow(len(s) + len(s)/2)
			}
			b.WriteString(s[last:i])
			b.WriteRune(zwsp)
			last = i
		}
		prevCJK = c
		i += size
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// searchTextInvalid is SearchText of a string that is not valid UTF-8:
// when it inserts anything, every invalid byte becomes U+FFFD, as the
// rune-by-rune copy it has always made does.
func searchTextInvalid(s string) string {
	prevCJK := false
	need := false
	for _, r := range s {
		c := isCJK(r)
		if c && prevCJK {
			need = true
			break
		}
		prevCJK = c
	}
	if !need {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	prevCJK = false
	for _, r := range s {
		c := isCJK(r)
		if c && prevCJK {
			b.WriteRune(zwsp)
		}
		b.WriteRune(r)
		prevCJK = c
	}
	return b.String()
}

// SearchQuery rewrites a user's full-text query so that runs of CJK
// characters match the way SearchText indexed them: each run becomes a
// quoted phrase of single characters ("制裁" → "制 裁"). Everything else is
// passed through for FTS5 to parse.
func SearchQuery(q string) string {
	var b strings.Builder
	rs := []rune(q)
	inQuote := false
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '"' {
			inQuote = !inQuote
			b.WriteRune(r)
			continue
		}
		if !isCJK(r) {
			b.WriteRune(r)
			continue
		}
		j := i
		for j < len(rs) && isCJK(rs[j]) {
			j++
		}
		if !inQuote {
			b.WriteByte('"')
		}
		for k := i; k < j; k++ {
			if k > i {
				b.WriteByte(' ')
			}
			b.WriteRune(rs[k])
		}
		if !inQuote {
			b.WriteByte('"')
		}
		i = j - 1
	}
	return b.String()
}
