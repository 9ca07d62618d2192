package quotes

import (
	"math/bits"
	"strings"
	"sync"

	"github.com/pemistahl/lingua-go"
)

// latinLangs are the Latin-script languages a passage can be detected as
// (ISO 639-1). Restricting the detector to them keeps it fast and small
// and stops it from naming rare languages for short English phrases.
var latinLangs = []string{
	"en", "de", "fr", "es", "pt", "it", "nl", "pl", "sv", "da", "nb", "fi", "cs",
	"hu", "ro", "tr", "id", "vi", "hr", "lt", "lv", "et", "sl", "az", "tl",
}

// latinDetector names the language of a text written in Latin script.
// reliable is false when the detector could not tell.
type latinDetector interface {
	detect(text string) (lang string, reliable bool)
}

// detector is the Latin-script detector Analyze uses.
var detector latinDetector = &linguaDetector{}

// linguaDetector uses lingua-go in low-accuracy mode (trigram models only),
// restricted to latinLangs. Its models load on first use (about a second,
// 26 MB of heap); lingua-go keeps them in package-level sync.Maps, so one
// detector serves all goroutines.
//
// It was chosen over whatlanggo on the labelled set's 81 Latin-script
// paragraphs: 0.988 against 0.963 detector accuracy, and 1.000 against
// 0.925 language accuracy of the whole analysis (whatlanggo rarely calls
// its answer reliable on one paragraph, so quotes went unnoticed); about
// 2 ms against 0.7 ms per paragraph, which the function-word fast path
// keeps off ordinary paragraphs. High-accuracy mode would hold 510 MB.
//
// A call takes about 2 ms, so answers are remembered: blogs repeat
// paragraphs (a signature, a disclaimer, a standard introduction) from
// post to post. The cache holds at most detectCacheSize texts of at most
// detectCacheText bytes and is emptied when full.
type linguaDetector struct {
	once sync.Once
	d    lingua.LanguageDetector

	mu    sync.Mutex
	cache map[string]detection
}

type detection struct {
	lang     string
	reliable bool
}

const (
	detectCacheSize = 512
	detectCacheText = 2048
)

func (l *linguaDetector) init() {
	var codes []lingua.IsoCode639_1
	for _, c := range latinLangs {
		codes = append(codes, lingua.GetIsoCode639_1FromValue(c))
	}
	l.d = lingua.NewLanguageDetectorBuilder().
		FromIsoCodes639_1(codes...).
		WithLowAccuracyMode().
		Build()
}

func (l *linguaDetector) detect(text string) (string, bool) {
	if len(text) > detectCacheText {
		return l.compute(text)
	}
	l.mu.Lock()
	d, ok := l.cache[text]
	l.mu.Unlock()
	if ok {
		return d.lang, d.reliable
	}
	d.lang, d.reliable = l.compute(text)
	l.mu.Lock()
	if l.cache == nil || len(l.cache) >= detectCacheSize {
		l.cache = make(map[string]detection)
	}
	l.cache[strings.Clone(text)] = d
	l.mu.Unlock()
	return d.lang, d.reliable
}

// compute asks lingua.
func (l *linguaDetector) compute(text string) (string, bool) {
	l.once.Do(l.init)
	vals := l.d.ComputeLanguageConfidenceValues(text)
	if len(vals) == 0 || vals[0].Value() == 0 {
		return "", false
	}
	lang := strings.ToLower(vals[0].Language().IsoCode639_1().String())
	second := 0.0
	if len(vals) > 1 {
		second = vals[1].Value()
	}
	return lang, vals[0].Value() >= 0.5 && vals[0].Value()-second >= 0.2
}

// latinLang names the language of Latin-script text: expect (the language
// the text is expected in) or English when the function words say so,
// otherwise the detector's answer.
func latinLang(text, expect string) (string, bool) {
	if expect != "" && looksLike(text, expect) {
		return expect, true
	}
	return latinLangNot(text, expect)
}

// latinLangNot is latinLang for text known not to look like expect.
func latinLangNot(text, expect string) (string, bool) {
	if expect == "en" && plainEnglish(text) {
		return "en", true
	}
	if expect != "en" && looksLike(text, "en") {
		return "en", true
	}
	return detector.detect(text)
}

// stopwords are frequent function words of the Latin-script languages the
// fast path knows. A paragraph whose words are largely the expected
// language's function words needs no detector.
var stopwords = map[string]string{
	"en": "the of and to in is that it for was on are with as be at by this have from or an not but had his they you which were all their has been we there one would more will can if about also its who into than them only other when what some these could may after so any our out most he she her him",
	"de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei ich wir",
	"fr": "le la les de des et à un une en du que est pour qui dans par sur au pas plus ne se il ce avec son sont sa aux ont ses mais comme été cette elle nous vous leur ou être fait très tout aussi deux ces",
	"es": "el la de que y en los del se las por un para con no una su al es lo como más pero sus le ya o fue este ha sí porque esta son entre cuando muy sin sobre también me hasta hay donde han quien desde todo nos durante todos uno les ni contra otros",
	"pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem mesmo aos ter seus",
	"it": "di e il la che per un in è a non del una le si con da al sono della ha i più lo dei nel gli alla anche come ma questo ci se ne delle o essere dal ho sua suo",
	"nl": "de van het een en in is dat op te zijn voor met die niet aan er om ook als bij of uit door naar worden maar dan nog wel werd wordt ze hij tot kan heeft over deze dit",
	"pl": "w i na z do się nie to że jest o jak po a od za co ale przez jego tak dla są czy już jej tym ich był była może tylko także oraz gdy który która które bardzo jako",
}

// stopIndex maps a function word to a bit per language of stopLangs.
// stopLen is the longest function word in bytes, and stopStart marks the
// first bytes function words start with: most words are ruled out before
// the map is asked.
var (
	stopLangs = []string{"en", "de", "fr", "es", "pt", "it", "nl", "pl"}
	stopIndex = map[string]uint16{}
	stopLen   int
	stopStart [256]bool
	// stopTable is stopIndex for words of up to 8 bytes, packed into a
	// uint64 and hashed into an open-addressing table: the look-up the
	// fast path makes for every word of every post.
	stopTable [1 << stopBits]struct {
		key  uint64
		bits uint16
	}
)

func init() {
	for i, l := range stopLangs {
		for _, w := range strings.Fields(stopwords[l]) {
			stopIndex[w] |= 1 << i
			stopLen = max(stopLen, len(w))
			stopStart[w[0]] = true
		}
	}
	for w, bits := range stopIndex {
		if len(w) > 8 {
			continue
		}
		k := pack([]byte(w))
		for h := stopHash(k); ; h = (h + 1) & (len(stopTable) - 1) {
			if stopTable[h].key == 0 {
				stopTable[h].key, stopTable[h].bits = k, bits
				break
			}
		}
	}
}

// stopBits sizes stopTable: 1024 slots (16 KB, which stays in the
// first-level cache) for the about 450 function words.
const stopBits = 10

func pack(w []byte) uint64 {
	var k uint64
	for _, c := range w {
		k = k<<8 | uint64(c)
	}
	return k
}

func stopHash(k uint64) int {
	return int((k * 0x9E3779B97F4A7C15) >> (64 - stopBits))
}

// stopTableBits returns the languages the word packed into k (at most 8
// bytes) is a function word of.
func stopTableBits(k uint64) uint16 {
	for h := stopHash(k); ; h = (h + 1) & (len(stopTable) - 1) {
		switch stopTable[h].key {
		case k:
			return stopTable[h].bits
		case 0:
			return 0
		}
	}
}

// stopSample is how much of a text looksLike reads: a paragraph's first
// few hundred bytes tell its language as well as all of it.
const stopSample = 600

func stopBit(lang string) uint16 {
	for i, l := range stopLangs {
		if l == lang {
			return 1 << i
		}
	}
	return 0
}

// stopScore counts the words of text and, per language of stopLangs, how
// many of them are its function words; a word that is also a function
// word of lang (one of stopLangs, or "") counts for lang only. Words are
// runs of ASCII letters and bytes of multi-byte letters (é, ü, ł …),
// ASCII-lowercased and looked up without allocating; longer than 15
// bytes, they are no function word.
func stopScore(text, lang string) (words int, hits [8]int) {
	mineBit := stopBit(lang)
	for i := 0; i < len(text); {
		if stopLower[text[i]] == 0 {
			i++
			continue
		}
		// A word: pack its bytes (the last 8 stay in k) and look it up
		// when it ends.
		start := i
		var k uint64
		for ; i < len(text); i++ {
			c := stopLower[text[i]]
			if c == 0 {
				break
			}
			k = k<<8 | uint64(c)
		}
		words++
		n := i - start
		if n > stopLen || !stopStart[stopLower[text[start]]] {
			continue
		}
		var langs uint16
		if n <= 8 {
			langs = stopTableBits(k)
		} else {
			var buf [16]byte
			for x := range n {
				buf[x] = stopLower[text[start+x]]
			}
			langs = stopIndex[string(buf[:n])]
		}
		if langs&mineBit != 0 {
			langs = mineBit
		}
		for ; langs != 0; langs &= langs - 1 {
			hits[bits.TrailingZeros16(langs)]++
		}
	}
	return words, hits
}

// stopLower maps a byte of a word to itself ASCII-lowercased, and any
// other byte to 0: stopScore's words are ASCII letters and the bytes of
// multi-byte characters.
var stopLower = func() (t [256]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = byte(c)
		t[c-'a'+'A'] = byte(c)
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = byte(c)
	}
	return t
}()

// looksLike reports whether Latin-script text reads as lang by its function
// words: at least a sixth of the words are lang's, and at least twice as
// many as those of any other language that are not lang's too. It returns
// false for languages it has no list for.
func looksLike(text, lang string) bool {
	if stopBit(lang) == 0 {
		return false
	}
	if len(text) > stopSample {
		text = text[:stopSample]
	}
	words, hits := stopScore(text, lang)
	if words == 0 {
		return false
	}
	var mine, other int
	for i, l := range stopLangs {
		if l == lang {
			mine = hits[i]
		} else if hits[i] > other {
			other = hits[i]
		}
	}
	return mine > 0 && mine*6 >= words && mine >= 2*other
}

// plainEnglish reports whether Latin-script text that failed looksLike is
// still not worth a detector in an English post: no other language's
// function words stand out and hardly any letter is accented (English
// writes almost none; German, French, Polish, Turkish, Czech, Vietnamese …
// write many).
func plainEnglish(text string) bool {
	words, hits := stopScore(text, "en")
	// "a" is a function word of Portuguese, Italian and Polish, and
	// English's most frequent article: here it counts for none of them.
	articles := countA(text)
	for i, l := range stopLangs {
		h := hits[i]
		if stopIndex["a"]&(1<<i) != 0 {
			h -= articles
		}
		if l != "en" && h*8 >= words && h >= 2 {
			return false
		}
	}
	ascii, other := 0, 0
	for _, r := range text {
		switch {
		case r < 0x80:
			if (r|0x20) >= 'a' && (r|0x20) <= 'z' {
				ascii++
			}
		case groupOf(r) == gLatin:
			other++
		}
	}
	return other*50 <= ascii+other
}

// countA counts the words of text (as stopScore splits them) that are
// "a" or "A".
func countA(text string) int {
	n := 0
	for i := 0; i < len(text); i++ {
		if text[i]|0x20 != 'a' {
			continue
		}
		if (i == 0 || stopLower[text[i-1]] == 0) && (i+1 == len(text) || stopLower[text[i+1]] == 0) {
			n++
		}
	}
	return n
}
