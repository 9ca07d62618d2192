package archive

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// TestIsCJKTables checks isCJK's shortcuts against the Unicode tables for
// every rune.
func TestIsCJKTables(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
		if got := isCJK(r); got != want {
			t.Fatalf("isCJK(%U) = %v, the tables say %v", r, got, want)
		}
	}
}

// searchTextRef is SearchText as one rune-by-rune copy, the reference the
// fast one must agree with.
func searchTextRef(s string) string {
	var b strings.Builder
	prev := false
	changed := false
	for _, r := range s {
		c := isCJK(r)
		if c && prev {
			b.WriteRune(zwsp)
			changed = true
		}
		b.WriteRune(r)
		prev = c
	}
	if !changed {
		return s
	}
	return b.String()
}

func TestSearchText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"ascii", "plain words", "plain words"},
		{"one han", "a 制 b", "a 制 b"},
		{"two han", "制裁", "制\u200b裁"},
		{"mixed", "the 制裁 of 東京タワー ok", "the 制\u200b裁 of 東\u200b京\u200bタ\u200bワー ok"}, // ー is Common, not Katakana
		{"cyrillic", "Привет мир", "Привет мир"},
		{"han ext b", "\U00020000\U00020001", "\U00020000\u200b\U00020001"},
		{"invalid, nothing to insert", "a\xffb", "a\xffb"},
		{"invalid with insertion", "\xff制裁", "\ufffd制\u200b裁"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SearchText(tc.in); got != tc.want {
				t.Errorf("SearchText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	// Random mixtures of ASCII, Latin, Cyrillic, kana, Han and bytes
	// that are not UTF-8.
	pieces := []string{"a", " ", "é", "Ж", "か", "カ", "ー", "制", "裁", "\U00020000", "\xe2", "\xff", "·", "、", "𝄞"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.IntN(12); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := SearchText(s), searchTextRef(s); got != want {
			t.Fatalf("SearchText(%q) = %q, want %q", s, got, want)
		}
	}
}

func BenchmarkSearchText(b *testing.B) {
	en := strings.Repeat("The railway reached the valley in the spring of that year, and the town grew. ", 40)
	zh := strings.Repeat("铁路在那年春天到达山谷，城镇随之发展。", 40)
	for _, c := range []struct{ name, s string }{{"en", en}, {"zh", zh}, {"mixed", en + zh}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.s)))
			for b.Loop() {
				SearchText(c.s)
			}
		})
	}
}
