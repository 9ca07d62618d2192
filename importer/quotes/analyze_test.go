package quotes_test

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer"
	"github.com/wparchive/wparchive/importer/quotes"
)

// post is one item of an export with the channel language it came with.
type post struct {
	ID, Title, Content, Hint string
}

// readPosts returns the posts, pages and other items with content of a WXR
// file read through the importer's reader.
func readPosts(t testing.TB, r io.Reader, name string) []post {
	t.Helper()
	rd := importer.NewReader(r, name)
	var out []post
	hint := ""
	for {
		e, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if e.Site != nil {
			hint = e.Site.Language
		}
		if e.Post != nil && e.Post.Content != "" {
			out = append(out, post{e.Post.WPID, e.Post.Title, e.Post.Content, hint})
		}
	}
}

func seedPost(t testing.TB, id string) post {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range readPosts(t, f, "central-asia.xml") {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("post %s not in the seed export", id)
	return post{}
}

// added matches what Analyze may add to content: lang attributes and spans.
var added = regexp.MustCompile(` lang="[A-Za-z-]+"|<span lang="[A-Za-z-]+">|</span>`)

// checkInvariants checks what must hold for any content: Raw is the
// content's own bytes, ords grow, references point backwards or to blocks
// that exist, and the HTML differs from the content only by added lang
// attributes and spans.
func checkInvariants(t *testing.T, content string, res quotes.Result) {
	t.Helper()
	last := -1
	for _, q := range res.Quotes {
		if !strings.Contains(content, q.Raw) {
			t.Errorf("quote %d: Raw %q is not part of the content", q.Ord, q.Raw)
		}
		if q.Ord <= last {
			t.Errorf("quote ords not increasing: %d after %d", q.Ord, last)
		}
		last = q.Ord
		if q.RepeatOf >= q.Ord {
			t.Errorf("quote %d repeats a later passage %d", q.Ord, q.RepeatOf)
		}
		if q.Kind != "block" && q.Kind != "inline" {
			t.Errorf("quote %d: kind %q", q.Ord, q.Kind)
		}
		if (q.TranslationOf >= 0) != (q.Translation != "") {
			t.Errorf("quote %d: TranslationOf %d with translation %q", q.Ord, q.TranslationOf, q.Translation)
		}
		if !utf8.ValidString(q.Normalized) {
			t.Errorf("quote %d: invalid UTF-8 in %q", q.Ord, q.Normalized)
		}
	}
	if (len(res.Quotes) == 0) != (res.HTML == "") {
		t.Errorf("%d quotes but HTML %q…", len(res.Quotes), trunc(res.HTML))
	}
	if res.HTML != "" && res.HTML != content {
		// Removing what was added must give the content back; an author's
		// own lang attributes and spans are removed from both sides.
		if got, want := added.ReplaceAllString(res.HTML, ""), added.ReplaceAllString(content, ""); got != want {
			t.Errorf("HTML changes more than lang attributes and spans:\n%s", firstDiff(got, want))
		}
	}
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60]
	}
	return s
}

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-40)
	return "got  …" + a[lo:min(len(a), i+40)] + "…\nwant …" + b[lo:min(len(b), i+40)] + "…"
}

func TestSeedPost(t *testing.T) {
	p := seedPost(t, "21873")
	before := strings.Clone(p.Content)
	res := quotes.Analyze(p.Content, p.Hint)
	if p.Content != before {
		t.Fatal("Analyze changed the content")
	}
	checkInvariants(t, p.Content, res)
	if res.Lang != "en" {
		t.Errorf("main language %q, want en", res.Lang)
	}

	var blocks []archive.Quote
	var inline *archive.Quote
	for i, q := range res.Quotes {
		switch q.Kind {
		case "block":
			blocks = append(blocks, q)
		case "inline":
			if q.Normalized == "停止“侵略”行为" {
				inline = &res.Quotes[i]
			}
		}
	}
	// Every Chinese blockquote, each paired with the English blockquote
	// just before it (the seed's order: translation, then original).
	wantTranslations := []string{
		"Since Russia started its “special military operation” againly been upped further",
		"officially promised not to become a tool",
		"we are also a member of the international community.",
		"presented, in his State of the Nation address on March 16",
		"“We support the search for a peaceful solution",
	}
	if len(blocks) != len(wantTranslations) {
		t.Fatalf("%d foreign blocks, want %d: %+v", len(blocks), len(wantTranslations), blocks)
	}
	for i, q := range blocks {
		if q.Lang != "zh-Hans" || q.Script != "Hans" || q.Tag != "blockquote" {
			t.Errorf("block %d: lang %s script %s tag %s, want zh-Hans Hans blockquote", q.Ord, q.Lang, q.Script, q.Tag)
		}
		if q.TranslationOf != q.Ord-1 || !strings.HasPrefix(q.Translation, wantTranslations[i]) {
			t.Errorf("block %d (%.30s…) paired with %d %.60q, want %d %q", q.Ord, q.Normalized, q.TranslationOf, q.Translation, q.Ord-1, wantTranslations[i])
		}
		if strings.ContainsAny(q.Normalized, ",()") {
			t.Errorf("block %d: ASCII punctuation left in %q", q.Ord, q.Normalized)
		}
		if q.Fixes["cjk-punct"] == 0 {
			t.Errorf("block %d: no cjk-punct fix counted: %v", q.Ord, q.Fixes)
		}
		if !strings.Contains(p.Content, q.Raw) || !strings.Contains(q.Raw, ",") {
			t.Errorf("block %d: Raw %q is not the content's text with its ASCII commas", q.Ord, q.Raw)
		}
	}
	if !strings.Contains(blocks[0].Normalized, "哈萨克斯坦，从总统") {
		t.Errorf("first Chinese block not normalised: %q", blocks[0].Normalized)
	}
	if !strings.Contains(p.Content, "哈萨克斯坦,从总统") {
		t.Error("the raw content lost its ASCII comma")
	}
	// The repeated sentence.
	for i, q := range blocks {
		want := -1
		if i == 1 {
			want = blocks[0].Ord
		}
		if q.RepeatOf != want {
			t.Errorf("block %d: RepeatOf %d, want %d", q.Ord, q.RepeatOf, want)
		}
	}
	// The inline phrase and the sentence it sits in.
	if inline == nil {
		t.Fatalf("inline 停止“侵略”行为 not found in %+v", res.Quotes)
	}
	if inline.Lang != "zh-Hans" || inline.Raw != "停止“侵略”行为" || inline.RepeatOf != -1 {
		t.Errorf("inline quote %+v", *inline)
	}
	if !strings.HasPrefix(inline.Translation, "Uzbekistan is quoted as even telling Russia") || !strings.HasSuffix(inline.Translation, "behavior (停止“侵略”行为).") {
		t.Errorf("inline quote linked to %q, want its sentence", inline.Translation)
	}
	// The archived HTML.
	if n := strings.Count(res.HTML, `<blockquote lang="zh-Hans">`); n != 5 {
		t.Errorf("%d <blockquote lang=\"zh-Hans\"> in the HTML, want 5", n)
	}
	if !strings.Contains(res.HTML, `(<span lang="zh-Hans">停止“侵略”行为</span>)`) {
		t.Error(`HTML lacks (<span lang="zh-Hans">停止“侵略”行为</span>)`)
	}
	// The search text.
	if strings.Contains(res.Text, "<") || strings.Contains(res.Text, "[caption") || !strings.Contains(res.Text, "That was long ago: a QSL card\nfrom Radio Tashkent") {
		t.Errorf("Text is not plain text: %q…", trunc(res.Text))
	}
}

func TestSeedOtherPosts(t *testing.T) {
	// Post 21911 quotes Russian, translation first, in blockquotes its author
	// already marked lang="ru".
	p := seedPost(t, "21911")
	res := quotes.Analyze(p.Content, p.Hint)
	checkInvariants(t, p.Content, res)
	if len(res.Quotes) != 2 {
		t.Fatalf("%d quotes in 21911, want 2: %+v", len(res.Quotes), res.Quotes)
	}
	for _, q := range res.Quotes {
		if q.Kind != "block" || q.Lang != "ru" || q.Script != "Cyrl" || q.TranslationOf != q.Ord-1 {
			t.Errorf("21911 quote %+v", q)
		}
	}
	if strings.Contains(res.HTML, `lang="ru" lang="ru"`) {
		t.Error("a second lang attribute was added")
	}
	// The About page: inline Chinese and Russian words.
	p = seedPost(t, "2")
	res = quotes.Analyze(p.Content, p.Hint)
	checkInvariants(t, p.Content, res)
	var got []string
	for _, q := range res.Quotes {
		got = append(got, q.Kind+":"+q.Lang+":"+q.Normalized)
	}
	if strings.Join(got, " ") != "inline:zh-Hans:中文 inline:ru:русский" {
		t.Errorf("About page quotes %v", got)
	}
}

func TestAnalyzeShapes(t *testing.T) {
	tests := []struct {
		name, content, hint string
		lang                string
		want                []string // kind:lang:tag:translationOf per quote
	}{
		{"empty", "", "en-US", "en", nil},
		{"english only", "<p>Just an English post about radios.</p>\n\n<p>Nothing else.</p>", "en-US", "en", nil},
		{"no hint", "A plain English paragraph about shortwave radio listening in the eighties.", "", "en", nil},
		{"classic chinese after english",
			"We will abide by the sanctions: Kazakhstan will not become a tool for evading them.\n\n我们将遵守制裁，哈萨克斯坦不会成为规避制裁的工具。",
			"en", "en", []string{"block:zh-Hans:p:0"}},
		{"block editor quote before translation",
			"<!-- wp:quote --><blockquote class=\"wp-block-quote\"><p>Мы писали рапорты от руки и ждали ответа два-три месяца.</p></blockquote><!-- /wp:quote -->\n\n" +
				"<!-- wp:quote --><blockquote class=\"wp-block-quote\"><p>We wrote our reports by hand and waited two or three months for an answer.</p></blockquote><!-- /wp:quote -->",
			"en-US", "en", []string{"block:ru:blockquote:1"}},
		{"table row",
			"<table><tr><td>Сегодня эти частоты молчат.</td><td>Today those frequencies are silent.</td></tr></table>",
			"en", "en", []string{"block:ru:td:1"}},
		{"chinese post quoting english",
			"他在文章里写道：\n\n<blockquote>We do not want America and the European Union to impose secondary sanctions on Kazakhstan.</blockquote>\n\n<blockquote>我们不希望美国和欧盟对哈萨克斯坦实施二级制裁。</blockquote>",
			"zh-CN", "zh-Hans", []string{"block:en:blockquote:2"}},
		{"mixed chinese with english words stays chinese",
			"经过debug，目前0 error, 0 warning\n\n不错的开始", "en", "zh-Hans", nil},
		{"code is not language",
			"<p>运行下面的命令：</p><pre>openssl pkcs12 -in cert.pfx -out cert.pem -nodes and then some more options</pre><p>然后就可以访问了。</p>",
			"en", "zh-Hans", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := quotes.Analyze(tc.content, tc.hint)
			checkInvariants(t, tc.content, res)
			if res.Lang != tc.lang {
				t.Errorf("main language %q, want %q", res.Lang, tc.lang)
			}
			var got []string
			for _, q := range res.Quotes {
				got = append(got, strings.Join([]string{q.Kind, q.Lang, q.Tag, itoa(q.TranslationOf)}, ":"))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("quotes %v, want %v", got, tc.want)
			}
		})
	}
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestAnalyzeConcurrent runs Analyze on several posts from several
// goroutines at once (run it with -race) and checks the results equal the
// sequential ones.
func TestAnalyzeConcurrent(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	posts := readPosts(t, f, "central-asia.xml")
	want := make([]quotes.Result, len(posts))
	for i, p := range posts {
		want[i] = quotes.Analyze(p.Content, p.Hint)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(posts))
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, p := range posts {
				got := quotes.Analyze(p.Content, p.Hint)
				if got.HTML != want[i].HTML || got.Lang != want[i].Lang || len(got.Quotes) != len(want[i].Quotes) || got.Text != want[i].Text {
					errs <- p.ID
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("post %s: concurrent result differs", id)
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add("<blockquote>在刚刚经历过“一月政变”的哈萨克斯坦,从总统</blockquote>", "en")
	f.Add("behavior (停止“侵略”行为). To <em>find</em>", "en-US")
	f.Add("[caption id=\"a\"]<img src=x> Мы писали &amp; ждали[/caption]\n\nText", "")
	f.Add("<p>a<em>b</p>c</em>中文中文<br>русский<!-- wp:x -->", "zh-CN")
	f.Fuzz(func(t *testing.T, content, hint string) {
		if !utf8.ValidString(content) {
			return
		}
		res := quotes.Analyze(content, hint)
		checkInvariants(t, content, res)
		if !utf8.ValidString(res.Text) || !utf8.ValidString(res.HTML) {
			t.Fatal("invalid UTF-8 out")
		}
	})
}
