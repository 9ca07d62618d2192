package quotes

import (
	"unicode"
	"unicode/utf8"
)

// group is a writing system as far as language detection cares: scripts
// that mix inside one language's text share a group (Han and kana in
// Japanese are both gCJK; Hanja inside Korean is handled by the caller).
type group uint8

const (
	gNone group = iota // not a letter: digits, punctuation, symbols, space
	gLatin
	gCJK // Han, kana, bopomofo
	gHangul
	gCyrillic
	gArabic
	gHebrew
	gGreek
	gThai
	gLao
	gKhmer
	gMyanmar
	gTibetan
	gDevanagari
	gBengali
	gGurmukhi
	gGujarati
	gOriya
	gTamil
	gTelugu
	gKannada
	gMalayalam
	gSinhala
	gGeorgian
	gArmenian
	gEthiopic
	gOther
	nGroups
)

// groupInfo gives each group's ISO 15924 code, the language it implies
// when the script alone decides ("" when more work is needed), and how many
// letters make one unit of text, so that counts in different scripts
// compare: a Han character carries about as much as three Latin letters.
var groupInfo = [nGroups]struct {
	code    string
	lang    string
	perUnit float64
}{
	gNone:       {"Zyyy", "", 1},
	gLatin:      {"Latn", "", 3},
	gCJK:        {"Hani", "", 1},
	gHangul:     {"Hang", "ko", 1.3},
	gCyrillic:   {"Cyrl", "", 3},
	gArabic:     {"Arab", "", 3},
	gHebrew:     {"Hebr", "he", 2.5},
	gGreek:      {"Grek", "el", 3},
	gThai:       {"Thai", "th", 3},
	gLao:        {"Laoo", "lo", 3},
	gKhmer:      {"Khmr", "km", 3},
	gMyanmar:    {"Mymr", "my", 3},
	gTibetan:    {"Tibt", "bo", 3},
	gDevanagari: {"Deva", "hi", 2.5},
	gBengali:    {"Beng", "bn", 2.5},
	gGurmukhi:   {"Guru", "pa", 2.5},
	gGujarati:   {"Gujr", "gu", 2.5},
	gOriya:      {"Orya", "or", 2.5},
	gTamil:      {"Taml", "ta", 2.5},
	gTelugu:     {"Telu", "te", 2.5},
	gKannada:    {"Knda", "kn", 2.5},
	gMalayalam:  {"Mlym", "ml", 2.5},
	gSinhala:    {"Sinh", "si", 2.5},
	gGeorgian:   {"Geor", "ka", 3},
	gArmenian:   {"Armn", "hy", 3},
	gEthiopic:   {"Ethi", "am", 2},
	gOther:      {"Zzzz", "und", 3},
}

// groupOf returns the group of a letter, gNone for anything that is not a
// letter of some script. Below U+0590 (ASCII, the Latin letters with
// diacritics, Greek, Cyrillic, Armenian) it reads groupTable, where
// unicode.IsLetter would search a range table for every letter.
func groupOf(r rune) group {
	if uint32(r) < uint32(len(groupTable)) {
		return groupTable[r]
	}
	return groupOfRune(r)
}

// groupTable holds groupOfRune of the runes below U+0590 (1.4 KB).
var groupTable = func() (t [0x0590]group) {
	for r := range t {
		t[r] = groupOfRune(rune(r))
	}
	return t
}()

// groupOfRune is groupOf, computed.
func groupOfRune(r rune) group {
	if r < utf8.RuneSelf {
		if (r|0x20) >= 'a' && (r|0x20) <= 'z' {
			return gLatin
		}
		return gNone
	}
	switch {
	case r < 0x0250:
		if unicode.IsLetter(r) {
			return gLatin
		}
		return gNone
	case r < 0x0370:
		if r < 0x02B0 {
			return gLatin
		}
		return gNone // modifier letters and combining marks
	case r < 0x0400:
		return letterOr(r, gGreek)
	case r < 0x0530:
		return letterOr(r, gCyrillic)
	case r < 0x0590:
		return letterOr(r, gArmenian)
	case r < 0x0600:
		return letterOr(r, gHebrew)
	case r < 0x0700:
		return letterOr(r, gArabic)
	case r < 0x0750:
		return letterOr(r, gOther) // Syriac
	case r < 0x0780:
		return letterOr(r, gArabic)
	case r < 0x0900:
		if r >= 0x08A0 {
			return letterOr(r, gArabic)
		}
		return letterOr(r, gOther)
	case r < 0x0D80:
		g := [...]group{gDevanagari, gBengali, gGurmukhi, gGujarati, gOriya, gTamil, gTelugu, gKannada, gMalayalam}[(r-0x0900)>>7]
		return letterOr(r, g)
	case r < 0x0E00:
		return letterOr(r, gSinhala)
	case r < 0x0E80:
		return letterOr(r, gThai)
	case r < 0x0F00:
		return letterOr(r, gLao)
	case r < 0x1000:
		return letterOr(r, gTibetan)
	case r < 0x10A0:
		return letterOr(r, gMyanmar)
	case r < 0x1100:
		return letterOr(r, gGeorgian)
	case r < 0x1200:
		return letterOr(r, gHangul)
	case r < 0x13A0:
		return letterOr(r, gEthiopic)
	case r < 0x1780:
		return letterOr(r, gOther)
	case r < 0x1800:
		return letterOr(r, gKhmer)
	case r < 0x1C80:
		return letterOr(r, gOther)
	case r < 0x1C90:
		return letterOr(r, gCyrillic)
	case r < 0x1CC0:
		return letterOr(r, gGeorgian)
	case r < 0x1E00:
		return letterOr(r, gOther)
	case r < 0x1F00:
		return letterOr(r, gLatin)
	case r < 0x2000:
		return letterOr(r, gGreek)
	case r < 0x2C00:
		return gNone // punctuation, symbols, letterlike symbols
	case r >= 0x2C60 && r < 0x2C80:
		return letterOr(r, gLatin)
	case r >= 0x2DE0 && r < 0x2E00:
		return gNone // combining Cyrillic
	case r < 0x2E80:
		return letterOr(r, gOther)
	case r < 0x3040:
		if r == 0x3005 || r == 0x3007 || r == 0x303B || (r >= 0x3021 && r <= 0x3029) || (r >= 0x2E80 && r < 0x3000) {
			return gCJK // iteration marks, 〇, Hangzhou numerals, radicals
		}
		return gNone
	case r < 0x3130:
		if r == 0x30FB || r == 0x309B || r == 0x309C || r == 0x30A0 {
			return gNone // ・ and the detached voicing marks
		}
		return gCJK // hiragana, katakana, bopomofo
	case r < 0x3190:
		return gHangul
	case r < 0x3400:
		if r >= 0x31A0 && r < 0x3200 {
			return gCJK
		}
		return gNone // enclosed and compatibility forms
	case r < 0xA000:
		return gCJK // CJK extension A, unified ideographs
	case r >= 0xA640 && r < 0xA6A0:
		return letterOr(r, gCyrillic)
	case r >= 0xA720 && r < 0xA800:
		return letterOr(r, gLatin)
	case r >= 0xA960 && r < 0xA980:
		return gHangul
	case r >= 0xAB30 && r < 0xAB70:
		return letterOr(r, gLatin)
	case r >= 0xAC00 && r < 0xD7FC:
		return gHangul
	case r >= 0xF900 && r < 0xFB00:
		return gCJK
	case r >= 0xFB00 && r < 0xFB07:
		return gLatin
	case r >= 0xFB1D && r < 0xFB50:
		return letterOr(r, gHebrew)
	case r >= 0xFB50 && r < 0xFE00:
		return letterOr(r, gArabic)
	case r >= 0xFE70 && r < 0xFEFF:
		return letterOr(r, gArabic)
	case r >= 0xFF21 && r <= 0xFF3A, r >= 0xFF41 && r <= 0xFF5A:
		return gLatin
	case r >= 0xFF66 && r < 0xFFA0:
		return gCJK // half-width katakana
	case r >= 0xFFA0 && r < 0xFFDD:
		return gHangul
	case r >= 0x20000 && r < 0x40000:
		return gCJK
	}
	if unicode.IsLetter(r) {
		return gOther
	}
	return gNone
}

func letterOr(r rune, g group) group {
	if unicode.IsLetter(r) {
		return g
	}
	return gNone
}

// isKana reports whether r is hiragana or katakana (full or half width),
// including the prolonged sound mark.
func isKana(r rune) bool {
	return (r >= 0x3041 && r <= 0x30FF && r != 0x30FB && r != 0x30A0) || (r >= 0x31F0 && r <= 0x31FF) || (r >= 0xFF66 && r <= 0xFF9F)
}
