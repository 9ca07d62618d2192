package quotes

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file keeps the straightforward versions of functions that were
// rewritten for speed, and checks that the rewrites give the same answers
// on the labelled set, the test files and fuzzed input.

// stopScoreRef is stopScore as first written: a byte loop that copies
// each word and looks it up in stopIndex when it ends.
func stopScoreRef(text, lang string) (words int, hits [8]int) {
	mineBit := stopBit(lang)
	var buf [16]byte
	n := 0
	long := false
	flush := func() {
		if n > 0 || long {
			words++
		}
		if n > 0 && !long {
			if bits := stopIndex[string(buf[:n])]; bits != 0 {
				if bits&mineBit != 0 {
					bits = mineBit
				}
				for i := range stopLangs {
					if bits&(1<<i) != 0 {
						hits[i]++
					}
				}
			}
		}
		n, long = 0, false
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 0x80:
		default:
			flush()
			continue
		}
		if n < len(buf) {
			buf[n] = c
			n++
		} else {
			long = true
		}
	}
	flush()
	return words, hits
}

// equivTexts returns texts to compare the versions on: every block of
// the labelled set and the benchmark post, whole and cut at odd places,
// and a few made-up edge cases.
func equivTexts(t testing.TB) []string {
	t.Helper()
	texts := []string{"", " ", "a", "THE", "The.", "éé", "x" + strings.Repeat("é", 20), strings.Repeat("abcdefgh", 3),
		"también también", "który która które", "http://example.com/the/and www.the.com of", "the\u00a0of\tand\nto",
		// Words at and across stopScore's 64-byte blocks, and of 8 and 9 bytes.
		strings.Repeat("the ", 16), strings.Repeat("The ", 16) + "and", strings.Repeat("x", 63) + " of",
		strings.Repeat("x", 62) + " of the", strings.Repeat("of", 32), strings.Repeat("y", 64) + "to",
		"tambiénx también durante duranteX durant", strings.Repeat("é ", 40) + "die",
		strings.Repeat("z", 200) + " the " + strings.Repeat("q", 64) + " of " + strings.Repeat("r", 65),
		strings.Repeat("ab ", 30) + strings.Repeat("w", 70) + " and", strings.Repeat("the and ", 20)}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "quotes", "labelled", "*.post"))
	files = append(files, filepath.Join("..", "..", "testdata", "quotes", "bench-english.html"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		content := string(data)
		if _, c, ok := strings.Cut(content, "\n===\n"); ok {
			content = c
		}
		texts = append(texts, content)
		blocks, _ := parse(content)
		for _, b := range blocks {
			texts = append(texts, b.text, b.langText)
			for _, cut := range []int{1, 7, 13} {
				if cut < len(b.text) {
					texts = append(texts, b.text[cut:], b.text[:len(b.text)-cut])
				}
			}
		}
	}
	return texts
}

func TestStopScoreEquivalent(t *testing.T) {
	for _, s := range equivTexts(t) {
		for _, lang := range []string{"en", "de", "pl", "", "ru"} {
			w1, h1 := stopScore(s, lang)
			w2, h2 := stopScoreRef(s, lang)
			if w1 != w2 || h1 != h2 {
				t.Fatalf("stopScore(%.60q, %q) = %d %v, the reference gives %d %v", s, lang, w1, h1, w2, h2)
			}
		}
	}
}

func FuzzStopScore(f *testing.F) {
	for _, s := range equivTexts(f)[:40] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"en", "fr", ""} {
			w1, h1 := stopScore(s, lang)
			w2, h2 := stopScoreRef(s, lang)
			if w1 != w2 || h1 != h2 {
				t.Fatalf("stopScore(%q, %q) = %d %v, the reference gives %d %v", s, lang, w1, h1, w2, h2)
			}
		}
	})
}

// BenchmarkStopScore compares stopScore with its reference on the
// benchmark post's blocks.
func BenchmarkStopScore(b *testing.B) {
	blocks, _ := parse(benchFile(b, "bench-english.html"))
	for _, v := range []struct {
		name string
		fn   func(string, string) (int, [8]int)
	}{{"new", stopScore}, {"ref", stopScoreRef}} {
		b.Run(v.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, blk := range blocks {
					v.fn(blk.text, "en")
				}
			}
		})
	}
}

// TestDetectCache: the remembered answers are lingua's, for texts met
// again, texts met once, and texts too long to remember.
func TestDetectCache(t *testing.T) {
	l := &linguaDetector{}
	texts := []string{
		"The library received several thousand books from a private collection as a gift.",
		"Der Kanzler betonte am Montag, dass die Gespräche fortgesetzt würden.",
		strings.Repeat("Il gasdotto attraversa il paese da nord a sud. ", 60),
	}
	for round := 0; round < 2; round++ {
		for _, s := range texts {
			wl, wr := l.compute(s)
			if gl, gr := l.detect(s); gl != wl || gr != wr {
				t.Errorf("round %d: detect(%.40q) = %s %v, lingua says %s %v", round, s, gl, gr, wl, wr)
			}
		}
	}
	if len(l.cache) != 2 {
		t.Errorf("%d texts remembered, want 2 (the long one is not)", len(l.cache))
	}
}

// addressLenRef is addressLen without its shortcut for plain words.
func addressLenRef(s string) int {
	end := len(s)
	for i, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '<' || r == '"' || r >= 0x2E80 || r == '（' || r == '）' {
			end = i
			break
		}
	}
	tok := s[:end]
	if urlLen(tok) > 0 || strings.Contains(tok, "://") {
		return end
	}
	if at := strings.IndexByte(tok, '@'); at > 0 && strings.Contains(tok[at:], ".") {
		return end
	}
	return 0
}

// textRunRef is textRun as a switch.
func textRunRef(raw string, i int) int {
	for ; i < len(raw); i++ {
		switch d := raw[i]; d {
		case '&', '[', '\t', '\n', '\r', '\f':
			return i
		case ' ':
			if i+1 == len(raw) || isWhite(raw[i+1]) {
				return i
			}
		}
	}
	return i
}

// scanRef is evidence.scan's ASCII branch as first written.
func scanRef(e *evidence, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c == 'h' || c == 'w') && (i == 0 || !isASCIILetter(s[i-1])) {
				if n := urlLen(s[i:]); n > 0 {
					i += n
					continue
				}
			}
			if isASCIILetter(c) {
				e.n[gLatin]++
			}
			i++
			continue
		}
		var one evidence
		r, size := utf8.DecodeRuneInString(s[i:])
		one.scan(s[i : i+size])
		e.add(&one)
		_ = r
		i += size
	}
}

// checkScanners compares the rewritten scanners with their references
// at every offset of s.
func checkScanners(t *testing.T, s string) {
	t.Helper()
	var e1, e2 evidence
	e1.scan(s)
	scanRef(&e2, s)
	if e1 != e2 {
		t.Fatalf("scan(%.60q) = %+v, the reference gives %+v", s, e1, e2)
	}
	for i := 0; i <= len(s); i++ {
		if a, b := hasWeb(s[i:]), strings.Contains(s[i:], "://") || strings.Contains(s[i:], "www."); a != b {
			t.Fatalf("hasWeb(%.60q) = %v, want %v", s[i:], a, b)
		}
		if a, b := addressLen(s[i:]), addressLenRef(s[i:]); a != b {
			t.Fatalf("addressLen(%.60q) = %d, the reference gives %d", s[i:], a, b)
		}
		if a, b := textRun(s, i), textRunRef(s, i); a != b {
			t.Fatalf("textRun(%.60q, %d) = %d, the reference gives %d", s, i, a, b)
		}
	}
}

func TestScannersEquivalent(t *testing.T) {
	extra := []string{"see www.example.com/a?b now", "mail me@example.org.", "ftp://x", "a@b", "@x.y", "http://例え.jp/パス 文",
		"中文http://x.cn/a（注）", "www.", "w", "h", "x: y", "\"www.a.b\"", "naïve café@ex.com", "[caption]&amp; \t\n\r\f  x"}
	for _, s := range append(equivTexts(t), extra...) {
		checkScanners(t, s)
	}
}

func FuzzScanners(f *testing.F) {
	for _, s := range []string{"see www.example.com/a now", "mail me@example.org.", "中文http://x.cn/a（注）", "a&amp; [b] \t c"} {
		f.Add(s)
	}
	f.Fuzz(checkScanners)
}

// BenchmarkScan compares evidence.scan with its reference on the
// benchmark post's blocks.
func BenchmarkScan(b *testing.B) {
	blocks, _ := parse(benchFile(b, "bench-english.html"))
	for _, v := range []struct {
		name string
		fn   func(*evidence, string)
	}{{"new", (*evidence).scan}, {"ref", scanRef}} {
		b.Run(v.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, blk := range blocks {
					var e evidence
					v.fn(&e, blk.langText)
				}
			}
		})
	}
}

// blockRunsRef is blockRuns before its shortcuts for blocks without
// addresses and for ASCII in Latin-script blocks.
func (a *analysis) blockRunsRef(b *block, home group) []run {
	var out []run
	s := b.langText
	// Cheap test first: no letter outside home, no run.
	other := false
	for g := gLatin; g < nGroups; g++ {
		if g != home && b.ev.n[g] > 0 && !(home == gHangul && g == gCJK) {
			other = true
		}
	}
	if !other {
		return nil
	}
	cur := run{from: -1}
	lastEnd := -1
	letters := 0
	finish := func() {
		if cur.from < 0 {
			return // nothing open (cur is as reset: run is large)
		}
		if minRun(cur.g, s[cur.from:lastEnd], letters, quotedAt(s, cur.from, lastEnd)) {
			cur.to = lastEnd
			out = append(out, cur)
		}
		cur = run{from: -1}
		letters = 0
	}
	prev := ' '
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isAlnum(prev) {
			if n := addressLen(s[i:]); n > 0 {
				// Web and mail addresses are neither language nor passage.
				finish()
				i += n
				prev = ' '
				continue
			}
		}
		prev = r
		g := groupOf(r)
		if g == gNone {
			if cur.from >= 0 && isBreak(r, cur.g) {
				finish()
			}
			i += size
			continue
		}
		if g == home || (home == gHangul && g == gCJK) {
			finish()
			i += size
			continue
		}
		if cur.from >= 0 && g != cur.g {
			finish()
		}
		if cur.from < 0 {
			cur = run{from: i, g: g}
		}
		letters++
		i += size
		lastEnd = i
	}
	finish()
	for k := range out {
		r := &out[k]
		r.ev.scan(s[r.from:r.to])
		r.lang = a.runLang(r, s[r.from:r.to])
	}
	return out
}

// checkBlockRuns compares blockRuns with blockRunsRef on every block of
// content, for each home group a block can have.
func checkBlockRuns(t *testing.T, content string) {
	t.Helper()
	blocks, elems, _ := parseWith(content, &scratch{})
	a := &analysis{content: content, blocks: blocks, elems: elems, hint: "en", sc: &scratch{}}
	a.detect()
	for i := range a.blocks {
		b := &a.blocks[i]
		if b.code {
			continue
		}
		for _, home := range []group{gLatin, gCJK, gCyrillic, gHangul} {
			got, want := a.blockRuns(b, home), a.blockRunsRef(b, home)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("blockRuns(%.60q, %d) = %+v, the reference gives %+v", b.langText, home, got, want)
			}
		}
	}
}

func TestBlockRunsEquivalent(t *testing.T) {
	extra := []string{"see www.example.com/a?b now and Москва тоже", "mail me@example.org. 中文 and more",
		"English text with a Russian phrase «как дела у вас» inside it", "中文http://x.cn/a（注）更多中文 and English words here",
		"naïve café@ex.com ещё", "abcdefgh\u00e9ijklmnop русский", "Hello 你好 world 世界 again"}
	for _, s := range append(equivTexts(t), extra...) {
		checkBlockRuns(t, s)
	}
}

func FuzzBlockRuns(f *testing.F) {
	for _, s := range []string{"see www.example.com/a now Москва тоже", "mail me@example.org. 中文", "English «как дела у вас» here", "中文 and English words 中文"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		checkBlockRuns(t, s)
	})
}

// normalizeRef is Normalize with its first shortcuts only: nfcStableRef
// (below U+0300 and CJK) and needsRunePassRef (any non-ASCII byte).
func normalizeRef(s string) (string, map[string]int) {
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
	if !nfcStableRef(s) && !norm.NFC.IsNormalString(s) {
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
	if !needsRunePassRef(s) {
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

func nfcStableRef(s string) bool {
	for _, r := range s {
		if r >= 0x300 && (r < 0x2E80 || r >= 0xA000 || r == 0x3099 || r == 0x309A) {
			return false
		}
	}
	return true
}

func needsRunePassRef(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func checkNormalize(t *testing.T, s string) {
	t.Helper()
	got, gotFixes := Normalize(s)
	want, wantFixes := normalizeRef(s)
	if got != want || !reflect.DeepEqual(gotFixes, wantFixes) {
		t.Fatalf("Normalize(%.60q) = %q %v, the reference gives %q %v", s, got, gotFixes, want, wantFixes)
	}
}

func TestNormalizeEquivalent(t *testing.T) {
	extra := []string{"Москва", "е\u0308ж", "Ё", "ά", "α\u0301", "ا\u0654", "क\u093c", "\u1100\u1161", "ᄀ\u1161",
		"Мы\u200bписали", "soft\u00adhyphen", "ＡＢＣ", "中文", "ελληνικά", "\u0374", "\u0340", "a\u0483\u0301", "\xc3\xe2\x80\x8b"}
	for _, s := range append(equivTexts(t), extra...) {
		checkNormalize(t, s)
		for i := range s {
			checkNormalize(t, s[i:])
		}
	}
	// Every rune of U+0300–U+2E7F alone, after a letter and before one.
	for r := rune(0x300); r < 0x2E80; r++ {
		for _, s := range []string{string(r), "a" + string(r), "е" + string(r), string(r) + "a", "\u1100" + string(r), "क" + string(r)} {
			checkNormalize(t, s)
		}
	}
}

func FuzzNormalizeEquivalent(f *testing.F) {
	for _, s := range []string{"Москва ё", "α\u0301", "Мы\u200bписали", "中文 (x)", "ＡＢ"} {
		f.Add(s)
	}
	f.Fuzz(checkNormalize)
}

// repeatKeyRef is repeatKey without its shortcut for Russian letters.
func repeatKeyRef(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if c := byte(r); c >= '0' && c <= '9' || c >= 'a' && c <= 'z' {
				b.WriteByte(c)
			} else if c >= 'A' && c <= 'Z' {
				b.WriteByte(c + 'a' - 'A')
			}
		case r >= 0x2E80 && groupOf(r) != gNone:
			b.WriteRune(r) // CJK and Hangul have no case
		case groupOf(r) != gNone:
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestRepeatKeyEquivalent(t *testing.T) {
	var all []rune
	for r := rune(0); r < 0x3000; r++ {
		all = append(all, r)
	}
	for _, s := range append(equivTexts(t), string(all), "Москва ЁЖИК ѐЀ ӀӏѢ") {
		if a, b := repeatKey(s), repeatKeyRef(s); a != b {
			t.Fatalf("repeatKey(%.60q) = %.60q, the reference gives %.60q", s, a, b)
		}
	}
}

// sentenceStartRef is sentence's start as first written: every rune from
// the start of text, the last sentence end before from.
func sentenceStartRef(text string, from int) int {
	start := 0
	for i := 0; i < from; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == '\n' || isSentenceEnd(text, i, r) {
			start = i + n
		}
		i += n
	}
	return start
}

func checkSentenceStart(t *testing.T, s string) {
	t.Helper()
	for from := 0; from <= len(s); from++ {
		if got, want := sentenceStart(s, from), sentenceStartRef(s, from); got != want {
			t.Fatalf("sentenceStart(%q, %d) = %d, the reference gives %d", s, from, got, want)
		}
	}
}

func TestSentenceStartEquivalent(t *testing.T) {
	texts := append(equivTexts(t), "Hi. 你好。再见！好？ok", "e.g. i.e. A.B. x.\n\"y.\" z", "\xe3\x80\x82\xe3\x80", "\xef\xbc\x81\xef\xbc")
	for _, s := range texts {
		if len(s) > 3000 {
			s = s[:3000]
		}
		checkSentenceStart(t, s)
	}
}

func FuzzSentenceStart(f *testing.F) {
	for _, s := range equivTexts(f)[:40] {
		f.Add(s)
	}
	f.Add("再见！好？ok. Yes")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2000 {
			s = s[:2000]
		}
		checkSentenceStart(t, s)
	})
}

// langGroupRef is langGroup without its shortcut for stopLangs.
func langGroupRef(lang string) group {
	switch lang {
	case "":
		return gNone
	case "zh-Hans", "zh-Hant", "zh", "ja":
		return gCJK
	case "ko":
		return gHangul
	case "ru", "uk", "be", "bg", "sr", "mk", "kk", "mn", "ky", "tg", "tt":
		return gCyrillic
	case "ar", "fa", "ur", "ps":
		return gArabic
	case "mr", "ne":
		return gDevanagari
	}
	for g := gHangul; g < gOther; g++ {
		if groupInfo[g].lang == lang {
			return g
		}
	}
	return gLatin
}

func TestLangGroupEquivalent(t *testing.T) {
	langs := append([]string{"", "zh", "ko", "ru", "ar", "ne", "xx", "en-US"}, latinLangs...)
	langs = append(langs, stopLangs...)
	for _, g := range groupInfo {
		langs = append(langs, g.lang)
	}
	for _, l := range langs {
		if got, want := langGroup(l), langGroupRef(l); got != want {
			t.Errorf("langGroup(%q) = %v, the reference gives %v", l, got, want)
		}
	}
}
