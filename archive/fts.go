package archive

import (
	"strings"
	"unicode"
)

// zwsp separates CJK characters in the text the search index reads.
// SQLite's unicode61 tokenizer treats U+200B (category Cf) as a separator,
// so every Han or kana character becomes a token of its own and a one- or
// two-character word is found as a phrase ("制 裁"), with the stock tokenizer
// that Debian's sqlite3 and Datasette already have. U+200B is invisible, so
// snippets still read as the original text.
const zwsp = '\u200b'

// isCJK reports whether r is written without spaces between words: Han
// ideographs and Japanese kana.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// SearchText returns s with U+200B between every two adjacent CJK
// characters. Text without CJK characters is returned unchanged.
func SearchText(s string) string {
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
