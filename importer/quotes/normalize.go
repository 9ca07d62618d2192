package quotes

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Names of the normalisation rules, the keys of Fixes and of the map
// Normalize returns.
const (
	FixNFC       = "nfc"        // text put in Unicode NFC (count: segments changed)
	FixInvisible = "invisible"  // zero-width characters, BOMs and soft hyphens removed
	FixFullwidth = "fullwidth"  // full-width Latin letters and digits folded to ASCII
	FixCJKPunct  = "cjk-punct"  // ASCII , ; : ? ! ( ) in CJK text made full-width
	FixCJKQuotes = "cjk-quotes" // straight double quotes around CJK text made “ ”
	FixCJKSpace  = "cjk-space"  // spaces and line breaks between two CJK characters removed
)

// Normalize repairs the damage scrapes and old editors do to a passage of
// text (not HTML) and says which rules changed it and how often. It never
// fails; text that needs no repair is returned unchanged with a nil map.
//
// The rules, in the order they run:
//   - nfc: Unicode NFC.
//   - invisible: U+200B, U+2060–U+2064, U+FEFF (BOM) and U+00AD (soft hyphen)
//     removed; U+200C and U+200D (ZWNJ, ZWJ) too, except where they carry
//     meaning: next to Arabic-script, Brahmic or Hebrew letters and inside
//     emoji sequences.
//   - fullwidth: Ａ–Ｚ, ａ–ｚ, ０–９ folded to ASCII.
//   - cjk-quotes: a pair of straight double quotes around text that starts or
//     ends with a CJK character becomes “ ”.
//   - cjk-punct: an ASCII , ; : ? ! between CJK characters (ignoring spaces;
//     the end of the text counts as CJK after a Han or kana character)
//     becomes ， ； ： ？ ！; a pair of ASCII parentheses around text with Han
//     or kana, next to CJK on either side, becomes （ ）.
//   - cjk-space: white space (including line breaks and U+00A0) between two
//     CJK characters is removed.
//
// Here a CJK character is a Han ideograph, kana, or CJK punctuation
// (、。「」（），…, and curly quotes next to Han or kana). Hangul is not:
// Korean separates words with spaces and writes ASCII punctuation.
func Normalize(s string) (string, map[string]int) {
	var fixes map[string]int
	add := func(rule string, n int) {
		if n == 0 {
			return
		}
		if fixes == nil {
			fixes = make(map[string]int)
		}
		fixes[rule] += n
	}
	if !nfcStable(s) && !norm.NFC.IsNormalString(s) {
		n := 0
		for i := 0; i < len(s); {
			j := i + norm.NFC.NextBoundaryInString(s[i:], true)
			if j <= i {
				j = len(s)
			}
			if !norm.NFC.IsNormalString(s[i:j]) {
				n++
			}
			i = j
		}
		s = norm.NFC.String(s)
		add(FixNFC, n)
	}
	if !needsRunePass(s) {
		return s, fixes
	}
	rs := []rune(s)
	rs, n := removeInvisible(rs)
	add(FixInvisible, n)
	n = foldFullwidth(rs)
	add(FixFullwidth, n)
	if hasHanKana(rs) {
		n = cjkQuotes(rs)
		add(FixCJKQuotes, n)
		n = cjkPunct(rs)
		add(FixCJKPunct, n)
		rs, n = cjkSpace(rs)
		add(FixCJKSpace, n)
	}
	if fixes == nil || (len(fixes) == 1 && fixes[FixNFC] > 0) {
		return s, fixes
	}
	return string(rs), fixes
}

// nfcStable reports whether every rune of s is one NFC never changes nor
// combines with what precedes it: below U+0300 (no combining marks), a
// letter or sign of U+0300–U+2E7F that nfcStableMid marks (Greek,
// Cyrillic, Arabic … without their combining marks), or CJK radicals,
// symbols, kana and unified ideographs (U+2E80–U+9FFF) except the
// combining voicing marks U+3099 and U+309A. Most passages pass without
// norm's look-ups.
func nfcStable(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x300:
		case r < 0x2E80:
			if x := r - 0x300; nfcStableMid[x>>6]&(1<<(x&63)) == 0 {
				return false
			}
		case r >= 0xA000 || r == 0x3099 || r == 0x309A:
			return false
		}
	}
	return true
}

// nfcStableMid has a bit for each rune of U+0300–U+2E7F that is NFC
// (quick check Yes), of combining class 0, and combines with nothing
// before it: a string of such runes is in NFC.
var nfcStableMid = func() (t [(0x2E80 - 0x300 + 63) / 64]uint64) {
	for r := rune(0x300); r < 0x2E80; r++ {
		s := string(r)
		if p := norm.NFC.PropertiesString(s); p.CCC() == 0 && p.BoundaryBefore() && norm.NFC.IsNormalString(s) {
			x := r - 0x300
			t[x>>6] |= 1 << (x & 63)
		}
	}
	return t
}()

// needsRunePass reports whether s holds anything a rule after NFC could
// change: an invisible character, a full-width letter or digit, or Han or
// kana (the CJK rules run only then). Plain ASCII text, the common case,
// returns false after one byte scan; Cyrillic, Greek or accented Latin
// text after one decoding, without the []rune copy and the passes.
func needsRunePass(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0x00AD || r >= 0x200B && (r <= 0x200D || r >= 0x2060 && r <= 0x2064 || r == 0xFEFF ||
			r >= 0xFF10 && r <= 0xFF5A || isHanKana(r)) {
			return true
		}
		i += size
	}
	return false
}

func hasHanKana(rs []rune) bool {
	for _, r := range rs {
		if isHanKana(r) {
			return true
		}
	}
	return false
}

// isHanKana reports whether r is a Han ideograph or a kana (including the
// prolonged sound mark ー and the iteration marks 々 〻).
func isHanKana(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	switch r {
	case 0x30FC, 0x3005, 0x303B, 0xFF70:
		return true
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// isCJKPunct reports whether r is punctuation that belongs to CJK text:
// the CJK Symbols and Punctuation block, full-width and half-width forms
// that are not letters or digits, the middle dot of transliterated names,
// and the ellipsis and dash that Chinese doubles (…… ——).
func isCJKPunct(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F:
		return r != 0x3000 // the ideographic space is space, not punctuation
	case r >= 0xFF01 && r <= 0xFF65:
		return !(r >= 0xFF10 && r <= 0xFF19) && !(r >= 0xFF21 && r <= 0xFF3A) && !(r >= 0xFF41 && r <= 0xFF5A)
	case r == 0x00B7 || r == 0x2026 || r == 0x2014:
		return true
	}
	return false
}

// isCurly reports whether r is a curly quotation mark, which Chinese and
// Japanese text share with Western text.
func isCurly(r rune) bool {
	return r == '“' || r == '”' || r == '‘' || r == '’'
}

// cjkAt reports whether rs[i] counts as a CJK character for the rules:
// Han, kana and CJK punctuation always, a curly quote when the nearest
// letter on either side of it (past spaces and punctuation) is Han or kana.
func cjkAt(rs []rune, i int) bool {
	if i < 0 || i >= len(rs) {
		return false
	}
	r := rs[i]
	if isHanKana(r) || isCJKPunct(r) {
		return true
	}
	if !isCurly(r) {
		return false
	}
	for j := i - 1; j >= 0; j-- {
		if !isSpace(rs[j]) && !unicode.IsPunct(rs[j]) {
			if isHanKana(rs[j]) {
				return true
			}
			break
		}
	}
	for j := i + 1; j < len(rs); j++ {
		if !isSpace(rs[j]) && !unicode.IsPunct(rs[j]) {
			return isHanKana(rs[j])
		}
	}
	return false
}

// removeInvisible returns rs without its invisible characters and how
// many were removed.
func removeInvisible(rs []rune) ([]rune, int) {
	out := make([]rune, 0, len(rs))
	n := 0
	for i, r := range rs {
		drop := false
		switch {
		case r == 0x200B || r == 0xFEFF || r == 0x00AD || (r >= 0x2060 && r <= 0x2064):
			drop = true
		case r == 0x200C || r == 0x200D:
			drop = !joinerMatters(rs, i)
		}
		if drop {
			n++
			continue
		}
		out = append(out, r)
	}
	return out, n
}

// joinerMatters reports whether the ZWNJ or ZWJ at rs[i] shapes its
// neighbours: Persian and Urdu write ZWNJ inside words, Indic scripts use
// both to pick conjunct forms, and emoji sequences are glued with ZWJ.
func joinerMatters(rs []rune, i int) bool {
	for _, j := range [2]int{i - 1, i + 1} {
		if j < 0 || j >= len(rs) {
			continue
		}
		r := rs[j]
		if unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Devanagari, unicode.Bengali,
			unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya, unicode.Tamil, unicode.Telugu, unicode.Kannada,
			unicode.Malayalam, unicode.Sinhala, unicode.Myanmar, unicode.Khmer) {
			return true
		}
		if unicode.Is(unicode.So, r) || (r >= 0xFE00 && r <= 0xFE0F) || (r >= 0x1F3FB && r <= 0x1F3FF) {
			return true
		}
	}
	return false
}

// foldFullwidth folds full-width Latin letters and digits to ASCII in place.
func foldFullwidth(rs []rune) int {
	n := 0
	for i, r := range rs {
		if (r >= 0xFF10 && r <= 0xFF19) || (r >= 0xFF21 && r <= 0xFF3A) || (r >= 0xFF41 && r <= 0xFF5A) {
			rs[i] = r - 0xFEE0
			n++
		}
	}
	return n
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == 0x00A0
}

// prevSolid returns the index of the last non-space rune before i, or -1.
func prevSolid(rs []rune, i int) int {
	for i--; i >= 0 && isSpace(rs[i]); i-- {
	}
	return i
}

// nextSolid returns the index of the first non-space rune after i, or
// len(rs).
func nextSolid(rs []rune, i int) int {
	for i++; i < len(rs) && isSpace(rs[i]); i++ {
	}
	return i
}

func fullPunct(r rune) rune {
	switch r {
	case ',':
		return '，'
	case ';':
		return '；'
	case ':':
		return '：'
	case '?':
		return '？'
	case '!':
		return '！'
	case '(':
		return '（'
	}
	return '）'
}

// cjkPunct makes ASCII punctuation in CJK text full-width, in place.
func cjkPunct(rs []rune) int {
	n := 0
	parens := false
	for i, r := range rs {
		switch r {
		case ',', ';', ':', '?', '!':
			p, q := prevSolid(rs, i), nextSolid(rs, i)
			if !cjkAt(rs, p) || (q < len(rs) && !cjkAt(rs, q)) {
				continue
			}
			rs[i] = fullPunct(r)
			n++
		case '(', ')':
			parens = true
		}
	}
	if !parens {
		return n
	}
	// Parentheses: match pairs first so that both halves change together.
	var stack []int
	partner := make([]int, len(rs))
	for i := range partner {
		partner[i] = -1
	}
	for i, r := range rs {
		switch r {
		case '(':
			stack = append(stack, i)
		case ')':
			if len(stack) > 0 {
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				partner[o], partner[i] = i, o
			}
		}
	}
	for o, r := range rs {
		c := partner[o]
		if r != '(' || c < 0 {
			continue
		}
		inner := false
		for _, r := range rs[o+1 : c] {
			if isHanKana(r) {
				inner = true
				break
			}
		}
		if !inner {
			continue
		}
		p, q := prevSolid(rs, o), nextSolid(rs, c)
		if p < 0 || q == len(rs) || cjkAt(rs, p) || cjkAt(rs, q) {
			rs[o], rs[c] = '（', '）'
			n += 2
		}
	}
	for i, r := range rs {
		if partner[i] >= 0 {
			continue
		}
		switch r {
		case '(':
			p := prevSolid(rs, i)
			if i+1 < len(rs) && isHanKana(rs[i+1]) && (p < 0 || cjkAt(rs, p)) {
				rs[i] = '（'
				n++
			}
		case ')':
			q := nextSolid(rs, i)
			if i > 0 && isHanKana(rs[i-1]) && (q == len(rs) || cjkAt(rs, q)) {
				rs[i] = '）'
				n++
			}
		}
	}
	return n
}

// cjkQuotes turns pairs of straight double quotes around CJK text into
// curly ones, in place. Quotes pair in order of appearance; an odd last
// one is left alone.
func cjkQuotes(rs []rune) int {
	n := 0
	open := -1
	for i, r := range rs {
		if r != '"' {
			continue
		}
		if open < 0 {
			open = i
			continue
		}
		inner := rs[open+1 : i]
		if len(inner) > 0 && hasHanKana(inner) {
			first, last := inner[0], inner[len(inner)-1]
			if isHanKana(first) || isCJKPunct(first) || isHanKana(last) || isCJKPunct(last) {
				rs[open], rs[i] = '“', '”'
				n += 2
			}
		}
		open = -1
	}
	return n
}

// cjkSpace returns rs without the white space between two CJK characters
// and how many runs of white space were removed.
func cjkSpace(rs []rune) ([]rune, int) {
	out := make([]rune, 0, len(rs))
	n := 0
	for i := 0; i < len(rs); i++ {
		if !isSpace(rs[i]) {
			out = append(out, rs[i])
			continue
		}
		j := i
		for j < len(rs) && isSpace(rs[j]) {
			j++
		}
		if i > 0 && j < len(rs) && cjkAt(rs, i-1) && cjkAt(rs, j) && (isHanKana(rs[i-1]) || isHanKana(rs[j]) || isCJKPunct(rs[i-1]) || isCJKPunct(rs[j])) {
			n++
			i = j - 1
			continue
		}
		out = append(out, rs[i:j]...)
		i = j - 1
	}
	return out, n
}
