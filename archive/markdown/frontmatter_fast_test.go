package markdown

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wparchive/wparchive/internal/corpus"
)

// yamlCases are strings on the edges of the encoder's scalar styles.
var yamlCases = []string{
	"Back to Tashkent, again", "Заметки о переводе", "林梅 (Mei Lin)", "central-asia", "https://example.com/a?b=c#d",
	"/2024/12/01/back-to-tashkent-again-2/", "/?p=35325", "The road: a reader's question", "a'b: c",
	"yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "NULL", "~", "<<", "<tag>", "<!--more-->",
	"1.5", "2024-01-01", "2024", "-x", "- x", "+1", ".inf", ".5", "0x1F", "1_000", "1:20", "x", "Y2K", "Tom", "o'clock",
	"x: y", "x:y", "x:", ":x", ": x", "?x", "? x", "#x", "x #y", "x#y", "x # y", " lead", "trail ", "  ", "it's",
	"---x", "--- x", "...", "...x", "@x", "`x", "%x", "!x", "&x", "*x", "|x", ">x", "\"x", "'x", "[x", "]x", "{x", "}x", ",x",
	"x, y", "x[0]", "a{b}", "x|y", "tab\tx", "new\nline", "cr\rx", "nbsp\u00a0x", "nel\u0085x", "ls\u2028x", "ps\u2029x",
	"emoji 😀", "\ufeffbom", "x\ufffe", "private \ue000", "surrogate-ish \ud7ff", "é", "中文: 标题", "中文：标题", "«quote»",
	"\x7f", "\x01ctl", "a\\b", "a\"b", "C:\\path", "50% off", "@user", "1st", "x y z",
	strings.Repeat("long title ", 20), strings.Repeat("k", 129),
}

// checkFrontMatterByHand compares the hand-written YAML with the
// encoder's for the entries, when the hand-written path takes them.
func checkFrontMatterByHand(t *testing.T, entries []fmEntry) bool {
	t.Helper()
	for _, e := range entries {
		checkYAMLShortcuts(t, e.key)
		checkYAMLShortcuts(t, e.value)
		for _, v := range e.list {
			checkYAMLShortcuts(t, v)
		}
	}
	hand, ok := writeYAML(nil, entries)
	want, err := encodeYAML(entries)
	if err != nil {
		// Invalid UTF-8: the encoder refuses it, and so must the hand.
		if ok {
			t.Errorf("entries %q: written by hand, but the encoder says %v", entries, err)
		}
		return false
	}
	if !ok {
		return false
	}
	if !bytes.Equal(hand, want) {
		t.Errorf("entries %q:\nby hand:\n%s\nencoder:\n%s", entries, hand, want)
	}
	// And it reads back.
	var back map[string]any
	if err := yaml.Unmarshal(bytes.Trim(hand, "-\n"), &back); err != nil {
		t.Errorf("entries %q: written YAML does not read back: %v", entries, err)
	}
	return true
}

func yamlCaseEntries(v string) []fmEntry {
	return []fmEntry{
		{key: "title", tag: "!!str", value: v},
		{key: "date", tag: "!!timestamp", value: time.Date(2024, 12, 1, 5, 51, 29, 0, time.FixedZone("", 6*3600)).Format(time.RFC3339)},
		{key: "author", tag: "!!str", value: v},
		{key: "categories", list: []string{v, "plain"}},
		{key: "wp_id", tag: "!!int", value: "12"},
	}
}

// yamlKeyEntries has v as a key (a custom taxonomy's name).
func yamlKeyEntries(v string) []fmEntry {
	return []fmEntry{{key: "title", tag: "!!str", value: "x"}, {key: v, list: []string{"x", "y"}}}
}

// TestFrontMatterByHand: the front matter written by hand is the
// encoder's byte for byte, for edge cases, and the usual values take
// that path.
func TestFrontMatterByHand(t *testing.T) {
	hand := 0
	for _, v := range yamlCases {
		if checkFrontMatterByHand(t, yamlCaseEntries(v)) {
			hand++
		}
		if checkFrontMatterByHand(t, yamlKeyEntries(v)) {
			hand++
		}
	}
	for _, v := range []string{"Back to Tashkent, again", "Заметки о переводе", "The road: a reader's question", "中文: 标题"} {
		if _, ok := writeYAML(nil, yamlCaseEntries(v)); !ok {
			t.Errorf("%q: not written by hand", v)
		}
	}
	for _, d := range []time.Time{time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(12024, 1, 1, 0, 0, 0, 0, time.UTC)} {
		checkFrontMatterByHand(t, []fmEntry{{key: "date", tag: "!!timestamp", value: d.Format(time.RFC3339)}})
	}
	t.Logf("%d of %d cases written by hand", hand, 2*len(yamlCases))
}

// TestFrontMatterByHandCorpus: the titles, excerpts, names and terms of
// the corpus and the seed, written by hand where the hand-written path
// takes them, are what the encoder writes.
func TestFrontMatterByHandCorpus(t *testing.T) {
	files := []string{filepath.Join("..", "..", "testdata", "seed", "central-asia.xml")}
	if dir := corpus.Dir(); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
		files = append(files, more...)
	}
	n, hand := 0, 0
	for _, f := range files {
		items, _ := readCorpusItems(f)
		for _, it := range items {
			for _, v := range []string{PlainText(it.Title), PlainText(it.Excerpt), it.AttachmentURL, SafeSlug(it.ID)} {
				if v == "" {
					continue
				}
				n++
				if checkFrontMatterByHand(t, yamlCaseEntries(v)) {
					hand++
				}
				checkFrontMatterByHand(t, yamlKeyEntries(v))
			}
		}
	}
	t.Logf("%d corpus values, %d written by hand", n, hand)
}

func FuzzFrontMatterByHand(f *testing.F) {
	for _, v := range yamlCases {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkFrontMatterByHand(t, yamlCaseEntries(v))
		checkFrontMatterByHand(t, yamlKeyEntries(v))
	})
}

var reYAML11Number = regexp.MustCompile(`^[-+]?(?:\.?[0-9][0-9a-fA-FxXoO_:.,eE+-]*|\.(?:inf|Inf|INF|nan|NaN|NAN))$`)

// yaml11SpecialRegexp is yaml11Special as it was written first, with
// strings.ToLower and a regular expression.
func yaml11SpecialRegexp(v string) bool {
	switch strings.ToLower(v) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "":
		return true
	}
	return reYAML11Number.MatchString(v)
}

// checkYAMLShortcuts compares the hand-written yaml11Special with the
// regular expression, and yamlStyleOf's shortcut for plain words with the
// full analysis, for v as a node and as a Go string field.
func checkYAMLShortcuts(t *testing.T, v string) {
	t.Helper()
	if got, want := yaml11Special(v), yaml11SpecialRegexp(v); got != want {
		t.Errorf("yaml11Special(%q) = %v, the regular expression says %v", v, got, want)
	}
	if !utf8.ValidString(v) || !yamlPlainWord(v) {
		return
	}
	for _, node := range []bool{true, false} {
		if style, a := yamlStyleSlow(v, node); style != 'p' || a != yamlPlainScalar {
			t.Errorf("%q (node %v) taken as a plain word, but the analysis says style %q, %+v", v, node, style, a)
		}
	}
}

// yamlRandomPieces are what randomYAMLString strings together: the
// characters the analysis and the resolver look at, and some that they
// do not.
var yamlRandomPieces = []string{
	"a", "Z", "y", "e", "s", "N", "o", "O", "f", "T", "r", "u", "l", "x", "b", "0", "1", "9", "_", "-", "+", ".", ",", ":", "#", " ", " ", "\t", "\n", "\r",
	"/", "(", ")", "'", "\"", "\\", "~", "!", "&", "*", "?", "|", ">", "<", "%", "@", "`", "[", "]", "{", "}", "=",
	"é", "ж", "中", "文", "：", "\u00a0", "\u0085", "\u2028", "\u2029", "\u2026", "\ufeff", "\uffff", "\ue000", "😀", "\x7f", "\x01",
	"İ", "\u212a", "ſ", "inf", "nan", "Inf", "NaN", "---", "...", "yes", "No", "true", "null", "0x", "1e5", "2024-01-01",
}

func randomYAMLString(r *rand.Rand) string {
	var b strings.Builder
	for n := r.IntN(8); n >= 0; n-- {
		b.WriteString(yamlRandomPieces[r.IntN(len(yamlRandomPieces))])
	}
	return b.String()
}

// TestYAMLShortcuts: the hand-written yaml11Special and the plain-word
// shortcut agree with what they replace on edge cases and on random
// strings of the characters that matter, the front matter written with
// them is the encoder's, and the usual names take the shortcut.
func TestYAMLShortcuts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := append(append([]string{}, yamlCases...), yamlMultiline...)
	cases = append(cases, "", "Yes", "yEs", "nO", "oN", "NuLl", "fAlSe", "yeſ", "\u212aey", "-.inf", "+.NaN", ".inf", "-.5", "+1_0", "1:2", "-x", ".x", "+", "a:b", "a:", "a :b", "a#b", "a #b", "(a)", "/a/b/", "é: x", "éa", "中文#", "中 #x")
	for range 200000 {
		cases = append(cases, randomYAMLString(r))
	}
	plain := 0
	for _, v := range cases {
		checkYAMLShortcuts(t, v)
		if utf8.ValidString(v) && yamlPlainWord(v) {
			plain++
		}
	}
	for i, v := range cases {
		if i%50 == 0 {
			checkFrontMatterByHand(t, yamlCaseEntries(v))
		}
	}
	for _, v := range []string{"Travel", "Central Asia", "China trips", "second-hand-bookshops-26", "读书", "上合组织", "Заметки о переводе", "/2024/12/01/back-to-tashkent-again-2/", "/?p=35325", "https://example.com/a#b", "Mei Lin", "en", "A reader's question, again"} {
		if !yamlPlainWord(v) {
			t.Errorf("%q: not taken as a plain word", v)
		}
	}
	t.Logf("%d of %d strings taken as plain words", plain, len(cases))
}

// TestYAML11WordLowering: the only characters outside ASCII that
// strings.ToLower turns into ASCII are the two yaml11Word relies on.
func TestYAML11WordLowering(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if l := strings.ToLower(string(r)); l != "" && l[0] < 0x80 && r != '\u0130' && r != '\u212a' {
			t.Errorf("%U lowers to %q", r, l)
		}
	}
}

// linkCases are permalinks on the edges of plainLinkPath.
var linkCases = []string{
	"https://teaintashkent.example.net/2008/03/05/a-short-history/", "http://e.x/a", "https://e.x/", "https://e.x", "https://e.x//a/",
	"https://e.x/a//b", "https://e.x/./a/", "https://e.x/a/../b", "https://e.x/a/.../", "https://e.x/.a/b./", "https://e.x/~user/x_y",
	"https://e.x/?p=1", "https://e.x/a?b#c", "https://e.x/a#b", "https://e.x/%D0%B0/", "https://e.x/a%2Fb/", "https://e.x/a b/",
	"https://e.x:8080/a/", "https://user@e.x/a/", "HTTPS://E.X/A/", "https://E.X/A/", "ftp://e.x/a/", "//e.x/a/", "/a/b/", "a/b",
	"https://[::1]/a/", "https://e.x/a+b/", "https://e.x/a;b/", "https://e.x/a/\u00e9/", "https://-/a", "https://e..x/a", "https:///a",
}

// TestLinkPathShortcut: plainLinkPath gives what parsing the link gives,
// for edge cases, random links and the corpus's permalinks, and takes
// the usual ones.
func TestLinkPathShortcut(t *testing.T) {
	links := append([]string{}, linkCases...)
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"https://", "http://", "e.x", "E", "/", "/", "a", "Z", "0", "-", "_", ".", "..", "~", "%", "%20", "?", "#", ":", "@", " ", "é", "+", "[", "]"}
	for range 100000 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteString("https://e.x/")
		}
		for n := r.IntN(10); n >= 0; n-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		links = append(links, b.String())
	}
	if dir := corpus.Dir(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
		for _, f := range files {
			items, _ := readCorpusItems(f)
			for _, it := range items {
				links = append(links, it.Link)
			}
		}
	}
	plain := 0
	for _, l := range links {
		if checkLinkPath(t, l) {
			plain++
		}
	}
	for _, l := range []string{"https://teaintashkent.example.net/2008/03/05/a-short-history/", "http://e.x/~a/b_c.html", "https://e.x/"} {
		if _, ok := plainLinkPath(l); !ok {
			t.Errorf("%q: not taken by plainLinkPath", l)
		}
	}
	t.Logf("%d of %d links taken by plainLinkPath", plain, len(links))
}

func checkLinkPath(t *testing.T, link string) bool {
	t.Helper()
	l := strings.TrimSpace(link)
	p, ok := plainLinkPath(l)
	if !ok {
		return false
	}
	if want := parsedLinkPath(l); p != want {
		t.Errorf("plainLinkPath(%q) = %q, parsing gives %q", l, p, want)
	}
	return true
}

func FuzzLinkPath(f *testing.F) {
	for _, l := range linkCases {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, link string) { checkLinkPath(t, link) })
}
