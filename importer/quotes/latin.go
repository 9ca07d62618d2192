package quotes

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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

// ModelsLoading, if set, is called once, just before the Latin-script
// detector first asks lingua-go, which then loads its language models:
// about 26 MB of heap that stay for the life of the process. The importer
// raises its memory limit there. Set it before any Analyze runs.
var ModelsLoading func()

// modelsLoaded is set when the detector is about to load the models.
var modelsLoaded atomic.Bool

// ModelsLoaded reports whether the detector has loaded lingua-go's
// language models (or is loading them).
func ModelsLoaded() bool { return modelsLoaded.Load() }

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
	modelsLoaded.Store(true)
	if ModelsLoading != nil {
		ModelsLoading()
	}
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

// stopIndex maps a function word to a bit per language of stopLangs, and
// stopLen is the longest function word in bytes.
var (
	stopLangs = []string{"en", "de", "fr", "es", "pt", "it", "nl", "pl"}
	stopIndex = map[string]uint16{}
	stopLen   int
)

// stopTable is stopIndex packed for stopScore, which looks up every word
// of every post: a word of at most 8 bytes, little-endian in a uint64,
// has one slot in stopKeys, found by hash and displacement (its group's
// seed in stopSeed, chosen so that no two words share a slot), and its
// languages are at the same slot of stopBitsOf. Every look-up is two
// multiplications, three loads and one comparison.
var (
	stopKeys   [1 << stopSlotBits]uint64
	stopBitsOf [1 << stopSlotBits]uint8
	stopSeed   [1 << stopGroupBits]uint64
)

const (
	stopSlotBits  = 10 // 1024 slots (8 KB) for about 350 words
	stopGroupBits = 7
)

// stopBitsMine is stopBitsOf for each language of stopLangs (and last for
// any other): a word that is a function word of it counts for it only.
var stopBitsMine [9][1 << stopSlotBits]uint8

// stopKeep keeps the bytes of a word of n bytes (n up to 8) of a packed
// word; stopKeep[9], for longer words, keeps none.
var stopKeep = [10]uint64{0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xff_ffffffff, 0xffff_ffffffff, 0xffffff_ffffffff, 0xffffffff_ffffffff, 0}

// stopLangIndex returns lang's index in stopLangs, len(stopLangs) when it
// has none.
func stopLangIndex(lang string) int {
	for i, l := range stopLangs {
		if l == lang {
			return i
		}
	}
	return len(stopLangs)
}

// stopSpread turns languages (a bit per language of stopLangs) into
// counts to add: one per language, in 16-bit lanes of two words.
var stopSpread [256][2]uint64

func init() {
	for i, l := range stopLangs {
		for _, w := range strings.Fields(stopwords[l]) {
			stopIndex[w] |= 1 << i
			stopLen = max(stopLen, len(w))
		}
	}
	if stopLen > 8 || len(stopLangs) > 8 {
		panic("quotes: stopScore packs function words of at most 8 bytes and 8 languages")
	}
	stopFill()
	for i := range stopBitsMine {
		for slot, langs := range stopBitsOf {
			if mine := uint8(1) << i; i < len(stopLangs) && langs&mine != 0 {
				langs = mine
			}
			stopBitsMine[i][slot] = langs
		}
	}
	for langs := range stopSpread {
		for i := range 8 {
			if langs&(1<<i) != 0 {
				stopSpread[langs][i/4] += 1 << (16 * (i % 4))
			}
		}
	}
}

// stopFill places the function words in stopKeys: the largest groups
// first, each with the first seed that gives its words free slots of
// their own.
func stopFill() {
	groups := make([][]string, len(stopSeed))
	for w := range stopIndex {
		g := stopGroup(stopKeyOf(w))
		groups[g] = append(groups[g], w)
	}
	order := make([]int, len(groups))
	for g := range order {
		order[g] = g
		slices.Sort(groups[g]) // the same table on every run
	}
	slices.SortStableFunc(order, func(x, y int) int { return len(groups[y]) - len(groups[x]) })
	seed := uint64(0x9E3779B97F4A7C15)
	for _, g := range order {
	try:
		for {
			seed = seed*6364136223846793005 + 1442695040888963407
			taken := map[uint64]bool{}
			for _, w := range groups[g] {
				slot := stopSlot(stopKeyOf(w), seed)
				if stopKeys[slot] != 0 || taken[slot] {
					continue try
				}
				taken[slot] = true
			}
			break
		}
		stopSeed[g] = seed
		for _, w := range groups[g] {
			k := stopKeyOf(w)
			slot := stopSlot(k, seed)
			stopKeys[slot], stopBitsOf[slot] = k, uint8(stopIndex[w])
		}
	}
}

// stopKeyOf packs a word of at most 8 bytes little-endian.
func stopKeyOf(w string) uint64 {
	var buf [8]byte
	copy(buf[:], w)
	return binary.LittleEndian.Uint64(buf[:])
}

func stopGroup(k uint64) uint64 {
	return (k * 0x9E3779B97F4A7C15) >> (64 - stopGroupBits)
}

func stopSlot(k, seed uint64) uint64 {
	return ((k ^ seed) * 0xBF58476D1CE4E5B9) >> (64 - stopSlotBits)
}

// letterBits returns a bit per byte of the eight bytes w (little-endian:
// bit j for byte j) that stopScore reads as a letter: ASCII letters and
// every byte of a multi-byte character.
func letterBits(w uint64) uint64 {
	l := (w&hiBits | asciiLetters(w)) >> 7
	return l * 0x0102040810204080 >> 56
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
// ASCII-lowercased and looked up without allocating.
//
// It runs for every block of every post. The letters of 64 bytes at a
// time are found with eight-byte word arithmetic into a bit mask, whose
// word starts and ends are visited in pairs (no branch per byte); each
// word is looked up in its one slot of stopKeys, in a table of languages
// already made to count for lang only (stopBitsMine), and counted with
// table additions (stopSpread). The straightforward version is
// stopScoreRef in equiv_test.go.
func stopScore(text, lang string) (words int, hits [8]int) {
	// The languages of each slot, those of mine counting for mine only.
	mineBits := &stopBitsMine[stopLangIndex(lang)]
	var acc0, acc1 uint64 // hits, in the 16-bit lanes of stopSpread
	open := -1            // the start of a word still open at the end of the previous block
	// A block at len(text) (all no letters) ends a word open there.
	for base := 0; base <= len(text); base += 64 {
		var m uint64 // bit j: text[base+j] is a letter
		if base+64 <= len(text) {
			for c := 0; c < 64; c += 8 {
				m |= letterBits(le64(text[base+c:])) << c
			}
		} else {
			var buf [64]byte // zero bytes are no letters
			copy(buf[:], text[base:])
			for c := 0; c < 64; c += 8 {
				m |= letterBits(binary.LittleEndian.Uint64(buf[c:])) << c
			}
		}
		prev := m << 1
		if open >= 0 {
			prev |= 1
		}
		starts, ends := m&^prev, prev&^m
		for ; ends != 0; ends &= ends - 1 {
			start := open
			if open >= 0 {
				open = -1
			} else {
				start = base + bits.TrailingZeros64(starts)
				starts &= starts - 1
			}
			end := base + bits.TrailingZeros64(ends)
			words++
			// The word's languages: its bytes (at most eight of them,
			// little-endian) with ASCII letters (high bit clear)
			// lowercased by setting 0x20, looked up in its slot.
			var w uint64
			if start+8 <= len(text) {
				w = le64(text[start:])
			} else {
				var buf [8]byte
				copy(buf[:], text[start:end])
				w = binary.LittleEndian.Uint64(buf[:])
			}
			// A word longer than 8 bytes keeps none (stopKeep) and
			// finds an empty slot or another word's: no languages.
			k := (w | (^w&hiBits)>>2) & stopKeep[min(end-start, 9)]
			slot := stopSlot(k, stopSeed[stopGroup(k)])
			// A branch, not eqMask: predicted, it keeps the look-up's
			// loads off the chain of additions (measured faster).
			langs := uint64(0)
			if stopKeys[slot] == k {
				langs = uint64(mineBits[slot])
			}
			acc0 += stopSpread[langs][0]
			acc1 += stopSpread[langs][1]
		}
		if starts != 0 {
			open = base + bits.TrailingZeros64(starts)
		}
		if base&(stopFlush-1) == stopFlush-64 {
			stopFlushHits(&hits, &acc0, &acc1)
		}
	}
	stopFlushHits(&hits, &acc0, &acc1)
	return words, hits
}

// stopFlush: stopScore moves its packed counts into hits every stopFlush
// bytes, before a 16-bit lane can overflow (a word takes two bytes).
const stopFlush = 1 << 16

func stopFlushHits(hits *[8]int, acc0, acc1 *uint64) {
	for i := range 4 {
		hits[i] += int(*acc0 >> (16 * i) & 0xffff)
		hits[4+i] += int(*acc1 >> (16 * i) & 0xffff)
	}
	*acc0, *acc1 = 0, 0
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
