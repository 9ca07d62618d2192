package quotes

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/wparchive/wparchive/internal/corpus"
)

// tokRec is what parse takes from a token.
type tokRec struct {
	tt               html.TokenType
	start, end       int
	name             string
	hasAttr, hasLang bool
	comment          string
}

// netTokens returns the tokens x/net/html's tokenizer gives for s.
func netTokens(s string) []tokRec {
	var out []tokRec
	z := html.NewTokenizerFragment(strings.NewReader(s), "div")
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		r := tokRec{tt: tt, start: off, end: off + len(z.Raw())}
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, more := z.TagName()
			r.name = string(name)
			r.hasAttr = more && tt != html.EndTagToken
			for more && tt != html.EndTagToken {
				var k []byte
				k, _, more = z.TagAttr()
				if string(k) == "lang" || string(k) == "xml:lang" {
					r.hasLang = true
				}
			}
		case html.CommentToken:
			r.comment = string(z.Text())
		}
		off = r.end
		out = append(out, r)
	}
}

// fastTokens returns the tokens tokenizer gives for s and whether it read
// all of s.
func fastTokens(s string) ([]tokRec, bool) {
	var out []tokRec
	z := &tokenizer{s: s}
	for {
		if !z.next() {
			return out, false
		}
		if z.tt == html.ErrorToken {
			return out, true
		}
		r := tokRec{tt: z.tt, start: z.start, end: z.pos}
		switch z.tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			r.name, r.hasAttr, r.hasLang = z.name, z.hasAttr, z.hasLang
		case html.EndTagToken:
			r.name = z.name
		case html.CommentToken:
			r.comment = z.comment
		}
		out = append(out, r)
	}
}

// checkTokenizer compares tokenizer with x/net/html on s: the tokens
// tokenizer gives before it gives up must be x/net/html's, all of them
// when it does not give up; and parse's two paths must agree.
func checkTokenizer(t *testing.T, s string) bool {
	t.Helper()
	if strings.IndexByte(s, 0) >= 0 {
		return false
	}
	want := netTokens(s)
	got, whole := fastTokens(s)
	if whole && len(got) != len(want) {
		t.Fatalf("%q: %d tokens, x/net/html gives %d\n got %+v\nwant %+v", s, len(got), len(want), got, want)
	}
	for i := range got {
		if i >= len(want) || got[i] != want[i] {
			var w tokRec
			if i < len(want) {
				w = want[i]
			}
			t.Fatalf("%q: token %d is %+v, x/net/html gives %+v", s, i, got[i], w)
		}
	}
	if whole {
		fb, fe, ft, ok := parseFast(s, &scratch{})
		sb, se, st := parseSlow(s, &scratch{})
		if !ok || !reflect.DeepEqual(fb, sb) || !reflect.DeepEqual(fe, se) || ft != st {
			t.Fatalf("%q: parseFast gives %+v %+v %q, parseSlow %+v %+v %q", s, fb, fe, ft, sb, se, st)
		}
	}
	return whole
}

func TestTokenizerCases(t *testing.T) {
	for _, s := range []string{
		"", "plain", "<", "a <", "a < b", "<p>x</p>", "<P CLASS=x>y</P>", "<br/>", "<br />", "<p a=/>x", "<p a/>x", "<img src=a.png/>",
		`<p lang="ru">x</p>`, `<p LANG=ru>`, `<div xml:lang='zh' class="a>b">x</div>`, "<p lang=en lang=fr>", "<p =x lang>y",
		"<p a = b c='d' e>", "<p\tid=x\n>", "<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->", "<!---->", "<!-->", "<!--->",
		"<!-- a --!> b", "<!-- a --!-> b -->", "<!--more-->", "<!-- &#119;p:x -->", "<iframe src=x>inner <b>tag</b></iframe>after",
		"<iframe/>x</iframe >y", "<style>p{}</STYLE>z", "<textarea>a</textareax></textarea>", "<title></title>t",
		"<script>x</script>", "<!DOCTYPE html>", "<?xml?>", "</>", "</ p>", "a</", "<p", "<p a='x", "<!-- x", "x<3 y", "<a\u00e9>x</a\u00e9>",
		"<ThisIsAVeryLongTagName>x</ThisIsAVeryLongTagName>", "[caption id=x]<img/>text[/caption]", "a\r\nb<!--\r\n-->",
	} {
		checkTokenizer(t, s)
	}
}

// TestTokenizerCorpus compares the two on the posts of the shared corpus,
// the labelled set and bench/10mb.xml, and says how often tokenizer gave
// up.
func TestTokenizerCorpus(t *testing.T) {
	var files []string
	if d := corpus.Dir(); d != "" {
		files, _ = filepath.Glob(filepath.Join(d, "public", "*.xml"))
	}
	files = append(files, filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"))
	if _, err := os.Stat(filepath.Join("..", "..", "bench", "10mb.xml")); err == nil {
		files = append(files, filepath.Join("..", "..", "bench", "10mb.xml"))
	}
	labelled, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "quotes", "labelled", "*.post"))
	posts, whole := 0, 0
	for _, f := range append(files, labelled...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range contents(string(data)) {
			posts++
			if checkTokenizer(t, c) {
				whole++
			}
		}
	}
	t.Logf("%d posts, %d read by tokenizer alone", posts, whole)
	if posts > 1000 && whole*10 < posts*9 {
		t.Errorf("tokenizer gave up on %d of %d posts", posts-whole, posts)
	}
}

// contents cuts the CDATA of every <content:encoded> out of an export,
// or returns a label file's content.
func contents(s string) []string {
	if _, c, ok := strings.Cut(s, "\n===\n"); ok && !strings.HasPrefix(s, "<?xml") {
		return []string{c}
	}
	var out []string
	const open, end = "<content:encoded><![CDATA[", "]]></content:encoded>"
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return out
		}
		s = s[i+len(open):]
		j := strings.Index(s, end)
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j:]
	}
}

func FuzzTokenizer(f *testing.F) {
	for _, s := range []string{"<p lang=ru>x</p>", "<!-- wp:x -->", "<iframe>a</iframe>", "<p a=/>", "<br/>", "x<3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTokenizer(t, s) })
}

// checkPlain compares PlainText's two paths on s.
func checkPlain(t *testing.T, s string) bool {
	t.Helper()
	if strings.IndexByte(s, 0) >= 0 {
		return false
	}
	got, ok := plainFast(s)
	if want := plainSlow(s); ok && got != want {
		t.Fatalf("PlainText(%q) = %q, x/net/html gives %q", s, got, want)
	}
	return ok
}

func TestPlainTextCases(t *testing.T) {
	for _, s := range []string{"a &amp; b", "<p>a</p>b<br/>c", "x<style>p{}</style>y", "<textarea>&lt;</textarea>", "<iframe>&lt;</iframe>",
		"a\r\nb\rc", "<b>Bold</b> &#8220;q&#8221;", "<strong>t</strong>\n\nexcerpt", "<script>x</script>y", "<ul><li>1<li>2</ul>"} {
		checkPlain(t, s)
	}
	if got := PlainText("<p>Tom &amp; Jerry</p><script>x()</script>"); got != "\nTom & Jerry\n" {
		t.Errorf("PlainText = %q", got)
	}
}

// TestPlainTextCorpus compares the two paths on every comment and post
// of the corpus and bench/10mb.xml.
func TestPlainTextCorpus(t *testing.T) {
	var files []string
	if d := corpus.Dir(); d != "" {
		files, _ = filepath.Glob(filepath.Join(d, "public", "*.xml"))
	}
	if _, err := os.Stat(filepath.Join("..", "..", "bench", "10mb.xml")); err == nil {
		files = append(files, filepath.Join("..", "..", "bench", "10mb.xml"))
	}
	n, fast := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		texts := contents(s)
		for _, tag := range []string{"wp:comment_content", "title"} {
			open, end := "<"+tag+"><![CDATA[", "]]></"+tag+">"
			for rest := s; ; {
				i := strings.Index(rest, open)
				if i < 0 {
					break
				}
				rest = rest[i+len(open):]
				j := strings.Index(rest, end)
				if j < 0 {
					break
				}
				texts = append(texts, rest[:j])
				rest = rest[j:]
			}
		}
		for _, c := range texts {
			if strings.ContainsAny(c, "<&") {
				n++
				if checkPlain(t, c) {
					fast++
				}
			}
		}
	}
	t.Logf("%d texts with markup, %d read by tokenizer alone", n, fast)
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"a &amp; b", "<p>a</p>b<br/>c", "x<style>p{}</style>y", "<textarea>&lt;</textarea>", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPlain(t, s) })
}
