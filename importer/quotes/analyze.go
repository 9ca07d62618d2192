package quotes

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/wparchive/wparchive/archive"
)

// Result is what Analyze finds in one post.
type Result struct {
	// Lang is the main language of the post (BCP 47: en, zh-Hans, ru …),
	// "" when the post has no text and no hint.
	Lang string
	// Quotes are the foreign passages in document order.
	Quotes []archive.Quote
	// HTML is the content with lang="…" on foreign blocks and <span
	// lang="…"> around foreign inline runs and around foreign paragraphs
	// that have no element of their own; "" when nothing is foreign.
	HTML string
	// Text is the whole content as plain text: tags and shortcodes removed,
	// entities decoded, one block per line.
	Text string
}

// Thresholds of the analysis.
const (
	// minBlockUnits is the least text (in units, about one Han character
	// or three Latin letters) a block needs to get a language of its own;
	// shorter ones take the post's.
	minBlockUnits = 3
	// mixedShare: a block in which the main language's script has at least
	// this share is in the main language, its other parts are inline runs.
	mixedShare = 0.25
	// hintShare: the hint's script is the main one when it has at least
	// this share of the leading script's units.
	hintShare = 0.9
	// shortLatin: Latin text with fewer letters than this is too short for
	// a detector; it takes the language around it.
	shortLatin = 20
	// foreignLatin: a Latin-script block of a Latin-script post needs this
	// many letters to be called another language ("Gazeta Wyborcza,
	// Warsaw:" is a name, not Polish).
	foreignLatin = 40
)

// Analyze finds the blocks and foreign passages of one post's content
// (WordPress post_content: classic editor text with blank-line paragraphs,
// or block editor HTML). hint is the channel's <language> ("en-US",
// "zh-CN", "" …); the text decides, the hint breaks near ties. Analyze
// never fails and never changes content; it is safe for concurrent use.
func Analyze(content, hint string) Result {
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	blocks, elems, text := parseWith(content, sc)
	a := &analysis{content: content, blocks: blocks, elems: elems, hint: parseHint(hint), sc: sc}
	res := Result{Text: text}
	a.detect()
	res.Lang = a.main
	if !a.foreign {
		return res
	}
	a.inlines()
	a.pair()
	res.Quotes = a.quotes()
	if len(res.Quotes) > 0 {
		res.HTML = a.html()
	}
	return res
}

// analysis carries the state of one Analyze call.
type analysis struct {
	content string
	sc      *scratch
	blocks  []block
	elems   []element
	hint    string

	post      evidence // all non-code text
	main      string
	mainGroup group
	foreign   bool // some block or run may be foreign

	runs  [][]run // per block
	pairs []int   // per block: index of the paired block, -1
}

// run is an inline stretch of another script inside a block.
type run struct {
	from, to int // offsets in the block's text
	g        group
	lang     string
	ev       evidence
	ord      int
}

// parseHint turns a channel language into the form Analyze reports:
// "en-US" → en, "zh-CN" → zh-Hans, "zh-TW" → zh-Hant; "" when unusable.
func parseHint(hint string) string {
	// Every post of a site has the same hint: remember the answers.
	if v, ok := hints.Load(hint); ok {
		return v.(string)
	}
	h := parseHintOnce(hint)
	if hintCount.Load() < maxHints {
		hintCount.Add(1)
		hints.Store(hint, h)
	}
	return h
}

// hints holds parseHint's answers, for at most maxHints hints.
var (
	hints     sync.Map
	hintCount atomic.Int32
)

const maxHints = 64

func parseHintOnce(hint string) string {
	hint = strings.TrimSpace(hint)
	if hint == "" {
		return ""
	}
	t, err := language.Parse(hint)
	if err != nil {
		return ""
	}
	base, conf := t.Base()
	if conf == language.No {
		return ""
	}
	b := base.String()
	if b == "zh" {
		if s, _ := t.Script(); s.String() == "Hant" {
			return "zh-Hant"
		}
		return "zh-Hans"
	}
	return b
}

// langGroup returns the script group a language is written in.
func langGroup(lang string) group {
	switch lang {
	case "":
		return gNone
	case "en", "de", "fr", "es", "pt", "it", "nl", "pl":
		// The commonest answers (stopLangs), before the loop below.
		return gLatin
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

// detect finds the main language and the language of every block.
func (a *analysis) detect() {
	evs := a.sc.evidence(len(a.blocks))
	for i := range a.blocks {
		b := &a.blocks[i]
		b.ev = &evs[i]
		if b.code {
			continue
		}
		b.ev.scan(b.langText)
		b.units = b.ev.total()
		b.dom = b.ev.dominant()
		a.post.add(b.ev)
	}
	a.mainGroup = a.post.dominant()
	if hg := langGroup(a.hint); hg != gNone && hg != a.mainGroup && a.mainGroup != gNone {
		best := a.post.units(a.mainGroup)
		if a.post.units(hg) >= hintShare*best {
			a.mainGroup = hg
		}
	}
	if a.mainGroup == gNone {
		a.main = a.hint
		return
	}
	if a.mainGroup == gLatin && a.hintReads() {
		// The common case: the hint's function words confirm most of the
		// Latin text, block by block, and no detector runs.
		a.main = a.hint
	} else {
		a.main = a.groupLang(a.mainGroup, &a.post, a.allText(a.mainGroup), a.hint)
	}
	for i := range a.blocks {
		b := &a.blocks[i]
		if b.code {
			continue
		}
		b.lang, b.script = a.blockLang(b)
		if b.lang != a.main {
			a.foreign = true
		}
	}
	if !a.foreign {
		// Inline runs: only a block with letters of another group can
		// have one.
		for g := gLatin; g < nGroups; g++ {
			if g != a.mainGroup && a.post.n[g] > 0 && !(a.mainGroup == gHangul && g == gCJK) {
				a.foreign = true
			}
		}
	}
}

// hintReads reports whether the hint is a Latin-script language whose
// function words confirm at least half of the post's Latin-script text.
// It notes the answer per block for blockLang.
func (a *analysis) hintReads() bool {
	if langGroup(a.hint) != gLatin || stopBit(a.hint) == 0 {
		return false
	}
	var ok, all float64
	for i := range a.blocks {
		b := &a.blocks[i]
		if b.code || b.dom != gLatin {
			continue
		}
		b.hintChecked = true
		b.hintOK = looksLike(b.langText, a.hint)
		u := b.ev.units(gLatin)
		all += u
		if b.hintOK {
			ok += u
		}
	}
	return all > 0 && ok >= all/2
}

// allText returns the text of the blocks whose leading group is g, at most
// about 4 KB of it: enough for a detector, bounded for long posts.
func (a *analysis) allText(g group) string {
	var s strings.Builder
	for i := range a.blocks {
		b := &a.blocks[i]
		if !b.code && b.dom == g {
			if s.Len() > 0 {
				s.WriteByte('\n')
			}
			s.WriteString(b.langText)
			if s.Len() > 4096 {
				break
			}
		}
	}
	return s.String()
}

// groupLang names the language of text whose letters are mostly in group
// g, from the evidence ev; fall is the language to assume when nothing
// tells (the hint, or the post's language).
func (a *analysis) groupLang(g group, ev *evidence, text, fall string) string {
	fallIn := func(def string) string {
		if langGroup(fall) == g {
			return fall
		}
		return def
	}
	switch g {
	case gLatin:
		if langGroup(fall) == gLatin && ev.n[gLatin] < shortLatin {
			return fall
		}
		lang, reliable := latinLang(text, fall)
		switch {
		case lang == "":
			return fallIn("en")
		case !reliable && langGroup(fall) == gLatin:
			return fall
		}
		return lang
	case gCJK:
		return ev.hanLang(fallIn(a.postHan()))
	case gHangul:
		return "ko"
	case gCyrillic:
		return ev.cyrLang(text, fallIn("ru"))
	case gArabic:
		return ev.arabLang()
	}
	return groupInfo[g].lang
}

// postHan is the Chinese variant the post as a whole writes, for Han text
// too short to tell by itself.
func (a *analysis) postHan() string {
	if l := a.post.hanLang(""); l == "zh-Hant" || l == "zh-Hans" {
		return l
	}
	if a.hint == "zh-Hant" {
		return "zh-Hant"
	}
	return "zh-Hans"
}

// blockLang names a block's language and script.
func (a *analysis) blockLang(b *block) (string, string) {
	g := b.dom
	if g == gNone || b.units < minBlockUnits {
		return a.main, scriptCode(a.mainGroup, a.main)
	}
	if g != a.mainGroup {
		mu := b.ev.units(a.mainGroup)
		if a.mainGroup == gHangul {
			mu += b.ev.units(gCJK)
		}
		if mu >= mixedShare*b.units {
			return a.main, scriptCode(a.mainGroup, a.main)
		}
		l := a.foreignLang(g, b.ev, b.langText)
		return l, scriptCode(g, l)
	}
	lang := a.main
	switch g {
	case gLatin:
		if b.ev.n[gLatin] >= foreignLatin && !(b.hintChecked && b.hintOK && a.main == a.hint) {
			var l string
			var reliable bool
			if b.hintChecked && a.main == a.hint {
				// hintReads found that the text does not look like
				// the hint.
				l, reliable = latinLangNot(b.langText, a.main)
			} else {
				l, reliable = latinLang(b.langText, a.main)
			}
			if reliable {
				lang = l
			}
		}
	case gCJK:
		// Another form of Chinese, or Japanese, only on clear evidence:
		// one traditional character in a simplified post is a quotation
		// of a name, not a passage.
		l := b.ev.hanLang(a.main)
		switch {
		case l == "ja" || l == a.main:
			lang = l
		case l == "zh-Hant" && b.ev.trad >= 3 && b.ev.trad >= 3*b.ev.simp:
			lang = l
		case l == "zh-Hans" && b.ev.simp >= 3 && b.ev.simp >= 3*b.ev.trad:
			lang = l
		}
	case gCyrillic:
		if l := b.ev.cyrLang(b.langText, a.main); l != a.main && a.strongCyr(b.ev, l) {
			lang = l
		}
	case gArabic:
		lang = b.ev.arabLang()
	}
	return lang, scriptCode(g, lang)
}

// strongCyr reports whether the letters that made ev read as lang are
// enough to call a block of a post in another Cyrillic language foreign.
func (a *analysis) strongCyr(ev *evidence, lang string) bool {
	n := 0
	switch lang {
	case "uk":
		n = ev.cyrUK + ev.cyrI
	case "be":
		n = ev.cyrBE + ev.cyrI
	case "kk":
		n = ev.cyrKK
	case "sr":
		n = ev.cyrSR + ev.cyrSRMK
	case "mk":
		n = ev.cyrMK
	case "mn":
		n = ev.cyrMN
	case "ru":
		n = ev.cyrRU
	case "bg":
		n = ev.cyrHard
	}
	return n >= 2
}

// foreignLang names the language of text in group g of a post whose main
// group is another: the text's own letters first, then the rest of the
// post's text in g, then the hint.
func (a *analysis) foreignLang(g group, ev *evidence, text string) string {
	switch g {
	case gLatin:
		// Latin-script text in a post in another script is English unless
		// a detector is sure.
		if ev.n[gLatin] < shortLatin/2 {
			return "en"
		}
		if l, reliable := latinLang(text, "en"); reliable {
			return l
		}
		return "en"
	case gCJK:
		return ev.hanLang(a.postHan())
	case gCyrillic:
		fall := "ru"
		if langGroup(a.hint) == gCyrillic {
			fall = a.hint
		}
		return ev.cyrLang(text, a.post.cyrLang(a.allText(gCyrillic), fall))
	}
	return a.groupLang(g, ev, text, "")
}

// minRun is the least a run of another script needs to count as an inline
// passage: a Han character or two Cyrillic letters are names and symbols,
// and in Latin script a phrase has three words (two inside quotation
// marks), most of its tokens are words (not file names or commands), and
// one is not capitalised (product names and titles are not passages).
func minRun(g group, text string, letters int, quoted bool) bool {
	switch g {
	case gCJK, gHangul, gArabic, gHebrew, gThai:
		return letters >= 2
	case gLatin:
		if letters < 12 && !(quoted && letters >= 8) {
			return false
		}
		words, tokens, lower := 0, 0, false
		for _, t := range strings.Fields(text) {
			tokens++
			t = strings.Trim(t, ",.;:!?\"'“”‘’«»()")
			if t == "" {
				continue
			}
			word := true
			for _, r := range t {
				if groupOf(r) != gLatin && r != '\'' && r != '’' && r != '-' {
					word = false
					break
				}
			}
			if word {
				words++
				if t[0] >= 'a' && t[0] <= 'z' {
					lower = true
				}
			}
		}
		return (words >= 3 || words == 2 && quoted) && words*5 >= tokens*3 && lower
	}
	return letters >= 3
}

// inlines finds the runs of other scripts inside blocks.
func (a *analysis) inlines() {
	a.runs = make([][]run, len(a.blocks))
	for i := range a.blocks {
		b := &a.blocks[i]
		if b.code || b.lang == "" {
			continue
		}
		home := langGroup(b.lang)
		if home == gNone {
			home = a.mainGroup
		}
		a.runs[i] = a.blockRuns(b, home)
	}
}

func (a *analysis) blockRuns(b *block, home group) []run {
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
	// An address needs "://", "www." or "@" (addressLen); without them,
	// and with no run open, ASCII in a Latin-script block is skipped
	// eight bytes at a time: its letters are home, the rest no break.
	addrs := hasWeb(s) || strings.IndexByte(s, '@') >= 0
	skipASCII := home == gLatin && !addrs
	prev := ' '
	for i := 0; i < len(s); {
		if skipASCII && cur.from < 0 {
			for i+8 <= len(s) && le64(s[i:])&hiBits == 0 {
				i += 8
			}
			for i < len(s) && s[i] < utf8.RuneSelf {
				i++
			}
			if i == len(s) {
				break
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if addrs && !isAlnum(prev) {
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
			if cur.from >= 0 {
				finish()
			}
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

// quotedAt reports whether s[from:to] stands between quotation marks.
func quotedAt(s string, from, to int) bool {
	before, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s[:from], " "))
	after, _ := utf8.DecodeRuneInString(strings.TrimLeft(s[to:], " "))
	switch before {
	case '"':
		return after == '"'
	case '“':
		return after == '”'
	case '「':
		return after == '」'
	case '『':
		return after == '』'
	case '«':
		return after == '»'
	case '‘':
		return after == '’'
	}
	return false
}

func isAlnum(r rune) bool {
	return r < utf8.RuneSelf && (isASCIILetter(byte(r)) || r >= '0' && r <= '9')
}

// addressLen returns the length of the web or mail address at the start of
// s, or 0. The address ends at white space or at a CJK character.
func addressLen(s string) int {
	// A word of ASCII letters without ':' or '@' that does not start
	// with "www." is no address: say so without finding its exact end.
	if !strings.HasPrefix(s, "www.") {
		i := 0
	scan:
		for ; i < len(s); i++ {
			switch c := s[i]; c {
			case ':', '@':
				break scan
			case ' ', '\n', '\t', '<', '"':
				return 0
			default:
				if c >= utf8.RuneSelf {
					break scan
				}
			}
		}
		if i == len(s) {
			return 0
		}
	}
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

// isBreak reports whether r ends an inline run of group g: sentence ends
// and brackets of the surrounding text do, and for a Latin-script run CJK
// punctuation and the + of "Windows+Apache"; the punctuation inside a
// quoted phrase does not.
func isBreak(r rune, g group) bool {
	switch r {
	case '\n', '(', ')', '[', ']', '（', '）', '|', '/':
		return true
	case '.', '!', '?', ';':
		return g != gLatin && g != gCyrillic && g != gGreek
	case '+', '&':
		return g == gLatin
	}
	if g != gCJK && (isCJKPunct(r) || r == 0x3000) {
		return true
	}
	return false
}

func (a *analysis) runLang(r *run, text string) string {
	switch r.g {
	case gLatin:
		// Latin-script phrases in other scripts' text are English unless a
		// detector is sure.
		def := "en"
		if langGroup(a.main) == gLatin {
			def = a.main
		}
		if r.ev.n[gLatin] < shortLatin {
			return def
		}
		if l, reliable := latinLang(text, def); reliable {
			return l
		}
		return def
	}
	return a.foreignLang(r.g, &r.ev, text)
}

// Output.

// quotes numbers blocks and runs in document order and returns the
// foreign passages.
func (a *analysis) quotes() []archive.Quote {
	ord := 0
	for i := range a.blocks {
		a.blocks[i].ord = ord
		ord++
		for k := range a.runs[i] {
			a.runs[i][k].ord = ord
			ord++
		}
	}
	n := 0 // the passages below, to allocate once
	for i := range a.blocks {
		b := &a.blocks[i]
		if !b.code && b.lang != a.main && b.lang != "" {
			n++
		}
		for _, r := range a.runs[i] {
			if r.lang != a.main && r.lang != b.lang {
				n++
			}
		}
	}
	var qs []archive.Quote // nil when there is none, as before
	var keys []string
	var keyOrds []int
	if n > 0 {
		qs, keys, keyOrds = make([]archive.Quote, 0, n), make([]string, 0, n), make([]int, 0, n)
	}
	add := func(q archive.Quote) {
		q.RepeatOf = -1
		if k := repeatKey(q.Normalized); utf8.RuneCountInString(k) >= 4 {
			for x, prev := range keys {
				if strings.Contains(prev, k) {
					q.RepeatOf = keyOrds[x]
					break
				}
			}
			keys = append(keys, k)
			keyOrds = append(keyOrds, q.Ord)
		}
		qs = append(qs, q)
	}
	for i := range a.blocks {
		b := &a.blocks[i]
		if !b.code && b.lang != a.main && b.lang != "" {
			from, to := b.rawRange(0, len(b.text))
			q := archive.Quote{Ord: b.ord, Kind: "block", Tag: b.tag, Lang: b.lang, Script: b.script,
				Raw: a.content[from:to], TranslationOf: -1}
			q.Normalized, q.Fixes = Normalize(b.text)
			if j := a.pairs[i]; j >= 0 {
				q.TranslationOf = a.blocks[j].ord
				q.Translation = a.blocks[j].text
			}
			add(q)
		}
		for _, r := range a.runs[i] {
			if r.lang == a.main || r.lang == b.lang {
				continue
			}
			from, to := b.rawRange(r.from, r.to)
			q := archive.Quote{Ord: r.ord, Kind: "inline", Tag: b.tag, Lang: r.lang, Script: scriptCode(r.g, r.lang),
				Raw: a.content[from:to], TranslationOf: b.ord, Translation: sentence(b.text, r.from, r.to)}
			q.Normalized, q.Fixes = Normalize(b.text[r.from:r.to])
			add(q)
		}
	}
	return qs
}

// repeatKey reduces a passage to its letters and digits, lower-cased, so
// that a repeat is found whatever quotes, spaces or punctuation surround it.
func repeatKey(s string) string {
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
		case r >= 0x0410 && r <= 0x044F: // Russian's А–я, without a table look-up
			if r < 0x0430 {
				r += 0x20
			}
			b.WriteRune(r)
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

// sentence returns the sentence of text that holds text[from:to].
func sentence(text string, from, to int) string {
	start := sentenceStart(text, from)
	end := len(text)
	for i := to; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			end = i
			break
		}
		if isSentenceEnd(text, i, r) {
			end = i + n
			break
		}
		i += n
	}
	return strings.TrimSpace(text[start:end])
}

// sentenceStart returns where the sentence that holds text[from] starts:
// after the last line break or sentence end that starts before from, or
// 0. It reads back from from, not forward from the start as sentenceRef
// (equiv_test.go) does, which gives the same answer because the runes
// that end a sentence are ASCII bytes or valid three-byte sequences
// starting with a byte that no rune continues with: wherever their bytes
// stand, a forward decoding starts a rune there too.
func sentenceStart(text string, from int) int {
	for i := from - 1; i >= 0; i-- {
		switch c := text[i]; c {
		case '\n':
			return i + 1
		case '.', '!', '?':
			if isSentenceEnd(text, i, rune(c)) {
				return i + 1
			}
		case 0xE3, 0xEF: // 。 is E3 80 82; ！ and ？ are EF BC 81, EF BC 9F
			if r, n := utf8.DecodeRuneInString(text[i:]); n == 3 && isSentenceEnd(text, i, r) {
				return i + n
			}
		}
	}
	return 0
}

// isSentenceEnd reports whether r at text[i] ends a sentence: a CJK full
// stop always, a Western one when a space or the end follows and it does
// not close a one-letter abbreviation (i.e., e.g.).
func isSentenceEnd(text string, i int, r rune) bool {
	switch r {
	case '。', '！', '？':
		return true
	case '.', '!', '?':
		next := i + 1
		for next < len(text) && (text[next] == '"' || text[next] == ')' || text[next] == '\'') {
			next++
		}
		if next < len(text) && text[next] != ' ' && text[next] != '\n' && !strings.HasPrefix(text[next:], "”") && !strings.HasPrefix(text[next:], "’") {
			return false
		}
		if r == '.' && i >= 2 && isASCIILetter(text[i-1]) && !isASCIILetter(text[i-2]) {
			return false
		}
		return true
	}
	return false
}

// insertion is text added to the raw content at off: s, and when lang is
// not "", lang and `">` (the strings are not put together for every
// passage).
type insertion struct {
	off  int
	prio int // at one offset: closing tags (inner first), then opening (outer first)
	s    string
	lang string
}

// html returns the content with lang attributes and spans added, or ""
// when there is nothing to add.
func (a *analysis) html() string {
	var ins []insertion
	// Blocks: on the element holding them when it holds nothing else, on
	// an enclosing blockquote when all of it is in that language; a span
	// otherwise.
	marked := make(map[int]bool)
	for i := range a.blocks {
		b := &a.blocks[i]
		if b.code || b.lang == a.main || b.lang == "" {
			continue
		}
		if e := b.holder; e >= 0 && a.elems[e].attrAt >= 0 && a.allIn(e, b.lang) {
			if p := a.elems[e].parent; p >= 0 && a.elems[p].tag == "blockquote" && a.elems[p].attrAt >= 0 && a.allIn(p, b.lang) {
				e = p
			}
			if !marked[e] && !a.elems[e].hasLang {
				ins = append(ins, insertion{a.elems[e].attrAt, 2, ` lang="`, b.lang})
			}
			marked[e] = true
			continue
		}
		if e := b.holder; e >= 0 && a.elems[e].hasLang && a.allIn(e, b.lang) {
			continue
		}
		if b.balanced(0, len(b.text)) {
			from, to := b.rawRange(0, len(b.text))
			ins = append(ins, insertion{from, 3, `<span lang="`, b.lang}, insertion{to, 1, "</span>", ""})
		}
	}
	for i := range a.blocks {
		b := &a.blocks[i]
		for _, r := range a.runs[i] {
			if r.lang == a.main || r.lang == b.lang || !b.balanced(r.from, r.to) {
				continue
			}
			from, to := b.rawRange(r.from, r.to)
			ins = append(ins, insertion{from, 4, `<span lang="`, r.lang}, insertion{to, 0, "</span>", ""})
		}
	}
	if len(ins) == 0 {
		// Foreign passages the author already marked: the content is
		// the normalised HTML.
		return a.content
	}
	slices.SortStableFunc(ins, func(x, y insertion) int {
		if x.off != y.off {
			return cmp.Compare(x.off, y.off)
		}
		return cmp.Compare(x.prio, y.prio)
	})
	var out strings.Builder
	out.Grow(len(a.content) + 24*len(ins))
	prev := 0
	for _, in := range ins {
		out.WriteString(a.content[prev:in.off])
		out.WriteString(in.s)
		if in.lang != "" {
			out.WriteString(in.lang)
			if in.prio == 2 {
				out.WriteByte('"') // an attribute
			} else {
				out.WriteString(`">`) // a span
			}
		}
		prev = in.off
	}
	out.WriteString(a.content[prev:])
	return out.String()
}

// allIn reports whether every block inside element e is foreign text in
// lang.
func (a *analysis) allIn(e int, lang string) bool {
	el := a.elems[e]
	if el.first >= el.end {
		return false
	}
	for i := el.first; i < el.end; i++ {
		if b := &a.blocks[i]; !b.code && b.lang != lang {
			return false
		}
	}
	return true
}
