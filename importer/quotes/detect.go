package quotes

import (
	"math/bits"
	"strings"
	"unicode/utf8"
)

// Han character classes, from hantables.go.
const (
	hanSimp = 1 + iota
	hanTrad
	hanJa
)

// hanLow covers CJK extension A and the unified ideographs
// (U+3400–U+9FFF), where nearly every character of the tables lies;
// hanHigh holds the rest.
var (
	hanLow  [0xA000 - 0x3400]uint8
	hanHigh = map[rune]uint8{}
)

func init() {
	for class, s := range map[uint8]string{hanSimp: simplifiedOnly, hanTrad: traditionalOnly, hanJa: japaneseOnly} {
		for _, r := range s {
			if r >= 0x3400 && r < 0xA000 {
				hanLow[r-0x3400] = class
			} else {
				hanHigh[r] = class
			}
		}
	}
}

func hanClass(r rune) uint8 {
	if r >= 0x3400 && r < 0xA000 {
		return hanLow[r-0x3400]
	}
	if r < 0x3400 {
		return 0
	}
	return hanHigh[r]
}

// evidence is what one scan of a text learns about its language: letters
// per script group and the letters that tell languages of one script
// apart.
type evidence struct {
	n [nGroups]int

	kana, simp, trad, ja int // within gCJK

	// Cyrillic letters that only some languages use.
	cyrUK, cyrI, cyrBE, cyrKK, cyrMN, cyrSR, cyrSRMK, cyrMK, cyrRU, cyrHard int

	// Arabic-script letters.
	arabUR, arabFA, arabFaYK, arabArYK, arabTaMarbuta int
}

// scan adds the letters of s to e. Web addresses are skipped: their
// letters say nothing about the language around them.
func (e *evidence) scan(s string) {
	latin := 0 // ASCII letters, counted here and added at the end
	// Without "://" or "www." no address can start anywhere (urlLen):
	// ASCII text is then counted eight bytes at a time.
	words := !hasWeb(s)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if words && i+8 <= len(s) {
				if w := le64(s[i:]); w&hiBits == 0 {
					latin += bits.OnesCount64(asciiLetters(w))
					i += 8
					continue
				}
			}
			k := asciiClass[c]
			if k == asciiURL && !words && (i == 0 || !isASCIILetter(s[i-1])) {
				if n := urlLen(s[i:]); n > 0 {
					i += n
					continue
				}
			}
			latin += int(k & 1)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		g := groupOf(r)
		e.n[g]++
		switch g {
		case gCJK:
			if isKana(r) {
				e.kana++
				continue
			}
			switch hanClass(r) {
			case hanSimp:
				e.simp++
			case hanTrad:
				e.trad++
			case hanJa:
				e.ja++
			}
		case gCyrillic:
			e.cyrillic(r)
		case gArabic:
			e.arabic(r)
		}
	}
	e.n[gLatin] += latin
}

// hasWeb reports whether s holds "://" or "www.", without which no web
// address starts in it (urlLen). "www." is looked for from its '.': prose
// has fewer full stops than w's, where strings.Contains would start.
func hasWeb(s string) bool {
	if strings.Contains(s, "://") {
		return true
	}
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], '.')
		if j < 0 {
			return false
		}
		i += j
		if i >= 3 && s[i-3:i] == "www" {
			return true
		}
	}
}

const (
	loBits = 0x0101010101010101
	hiBits = 0x8080808080808080
)

// le64 returns the first eight bytes of s (at least eight) as a
// little-endian word.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiLetters returns the high bit of each byte of w, eight ASCII bytes,
// that is an ASCII letter.
func asciiLetters(w uint64) uint64 {
	x := (w | 0x20*loBits) &^ hiBits         // lowercased, high bits clear
	ge := (x + (0x80-'a')*loBits) & hiBits   // x >= 'a'
	gt := (x + (0x80-'z'-1)*loBits) & hiBits // x > 'z'
	return ge &^ gt
}

// asciiClass tells scan which ASCII bytes are letters (odd values) and
// which letters may start a web address (asciiURL).
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = 1, 1
	}
	t['h'], t['w'] = asciiURL, asciiURL
	return t
}()

const asciiURL = 3

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// urlLen returns the length of the web address at the start of s
// (http://…, https://…, www.…) up to the next space, or 0.
func urlLen(s string) int {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "www.") {
		return 0
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '"', '<', '>':
			return i
		}
	}
	return len(s)
}

func (e *evidence) cyrillic(r rune) {
	switch r {
	case 'ї', 'Ї', 'є', 'Є', 'ґ', 'Ґ':
		e.cyrUK++
	case 'і', 'І':
		e.cyrI++
	case 'ў', 'Ў':
		e.cyrBE++
	case 'ә', 'Ә', 'ғ', 'Ғ', 'қ', 'Қ', 'ң', 'Ң', 'ұ', 'Ұ':
		e.cyrKK++
	case 'ө', 'Ө', 'ү', 'Ү':
		e.cyrMN++
	case 'ђ', 'Ђ', 'ћ', 'Ћ':
		e.cyrSR++
	case 'ј', 'Ј', 'љ', 'Љ', 'њ', 'Њ', 'џ', 'Џ':
		e.cyrSRMK++
	case 'ѓ', 'Ѓ', 'ќ', 'Ќ', 'ѕ', 'Ѕ':
		e.cyrMK++
	case 'ы', 'Ы', 'э', 'Э', 'ё', 'Ё':
		e.cyrRU++
	case 'ъ', 'Ъ':
		e.cyrHard++
	}
}

func (e *evidence) arabic(r rune) {
	switch r {
	case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ۓ':
		e.arabUR++
	case 'پ', 'چ', 'ژ', 'گ':
		e.arabFA++
	case 'ی', 'ک':
		e.arabFaYK++
	case 'ي', 'ك':
		e.arabArYK++
	case 'ة':
		e.arabTaMarbuta++
	}
}

func (e *evidence) add(o *evidence) {
	for g := range e.n {
		e.n[g] += o.n[g]
	}
	e.kana += o.kana
	e.simp += o.simp
	e.trad += o.trad
	e.ja += o.ja
	e.cyrUK += o.cyrUK
	e.cyrI += o.cyrI
	e.cyrBE += o.cyrBE
	e.cyrKK += o.cyrKK
	e.cyrMN += o.cyrMN
	e.cyrSR += o.cyrSR
	e.cyrSRMK += o.cyrSRMK
	e.cyrMK += o.cyrMK
	e.cyrRU += o.cyrRU
	e.cyrHard += o.cyrHard
	e.arabUR += o.arabUR
	e.arabFA += o.arabFA
	e.arabFaYK += o.arabFaYK
	e.arabArYK += o.arabArYK
	e.arabTaMarbuta += o.arabTaMarbuta
}

// units returns the amount of text in group g, in units comparable across
// scripts (about one Han character, or three Latin letters).
func (e *evidence) units(g group) float64 {
	if g == gCJK && e.kana > 0 {
		// Kana spell syllables: a Japanese sentence needs more of them
		// than of Han characters for the same content.
		return float64(e.n[g]-e.kana) + float64(e.kana)/kanaPerUnit
	}
	return float64(e.n[g]) / groupInfo[g].perUnit
}

// kanaPerUnit is how many kana carry about what one Han character does.
const kanaPerUnit = 1.6

// total returns the units of all letters.
func (e *evidence) total() float64 {
	t := 0.0
	for g := gLatin; g < nGroups; g++ {
		if e.n[g] != 0 { // adding 0 changes nothing
			t += e.units(g)
		}
	}
	return t
}

// dominant returns the group with the most units, gNone for text without
// letters. Hanja inside Korean text counts as Korean.
func (e *evidence) dominant() group {
	best, bu := gNone, 0.0
	for g := gLatin; g < nGroups; g++ {
		if e.n[g] == 0 {
			// No units; Hangul's would be those of gCJK, which came
			// first and are not beaten by the same.
			continue
		}
		u := e.units(g)
		if g == gHangul {
			u += e.units(gCJK)
		}
		if u > bu {
			best, bu = g, u
		}
	}
	return best
}

// hanLang names the language of Han text: Japanese when it has kana (or
// shinjitai and no simplified characters), otherwise Simplified or
// Traditional Chinese by which form's characters are more frequent; fall
// is used when neither appears.
func (e *evidence) hanLang(fall string) string {
	cjk := e.n[gCJK]
	if e.kana > 0 && (e.kana*20 >= cjk || e.kana >= 3) {
		return "ja"
	}
	if e.ja > 0 && e.simp == 0 && e.ja >= e.trad {
		return "ja"
	}
	switch {
	case e.simp > e.trad:
		return "zh-Hans"
	case e.trad > e.simp:
		return "zh-Hant"
	}
	return fall
}

// cyrLang names the language of Cyrillic text from its letters (text is
// needed only when the letters leave Russian and Bulgarian open); fall is
// used when nothing tells.
func (e *evidence) cyrLang(text, fall string) string {
	switch {
	case e.cyrKK > 0:
		return "kk"
	case e.cyrBE > 0:
		return "be"
	case e.cyrUK > 0:
		return "uk"
	case e.cyrI > 0 && e.cyrRU > 0:
		return "be"
	case e.cyrI > 0:
		return "uk"
	case e.cyrMK > 0:
		return "mk"
	case e.cyrSR > 0 || e.cyrSRMK > 0:
		return "sr"
	case e.cyrMN > 0:
		return "mn"
	}
	ru, bg := e.cyrRU, 0
	if e.cyrHard > 0 || e.cyrRU == 0 {
		r, b := cyrWords(text)
		ru += r
		bg += b
		if e.cyrRU == 0 {
			// Bulgarian writes ъ inside words several times per
			// sentence; Russian only after a prefix, now and then.
			bg += e.cyrHard
		}
	}
	switch {
	case bg > ru:
		return "bg"
	case ru > bg:
		return "ru"
	}
	if fall == "bg" {
		return "bg"
	}
	return "ru"
}

var (
	ruWords = wordSet("что это как он его её был была были или также только если уже когда они она мы вы их ещё еще себя который которые которая этот эта эти так где чтобы может будет")
	bgWords = wordSet("това които който която което е са ще със във бе тази този тези няма може след още беше бил ние те той тя към")
)

func wordSet(s string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// cyrWords counts the Russian-only and Bulgarian-only function words of
// text.
func cyrWords(text string) (ru, bg int) {
	forWords(text, func(w string) {
		w = strings.ToLower(w)
		if ruWords[w] {
			ru++
		}
		if bgWords[w] {
			bg++
		}
	})
	return ru, bg
}

// forWords calls fn for every maximal run of letters in text.
func forWords(text string, fn func(string)) {
	start := -1
	for i, r := range text {
		letter := groupOf(r) != gNone || r == '\'' && start >= 0
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			fn(text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(text[start:])
	}
}

// arabLang names the language of Arabic-script text: Urdu by its
// retroflex letters and ے, Persian by پ چ ژ گ or by writing ی ک for ي ك.
func (e *evidence) arabLang() string {
	switch {
	case e.arabUR > 0:
		return "ur"
	case e.arabFA > 0 && e.arabTaMarbuta <= e.arabFA:
		return "fa"
	case e.arabFaYK > e.arabArYK && e.arabTaMarbuta == 0:
		return "fa"
	}
	return "ar"
}

// scriptCode returns the ISO 15924 code for a passage in lang written in
// group g.
func scriptCode(g group, lang string) string {
	switch lang {
	case "zh-Hans":
		return "Hans"
	case "zh-Hant":
		return "Hant"
	case "ja":
		return "Jpan"
	case "ko":
		return "Kore"
	}
	return groupInfo[g].code
}
