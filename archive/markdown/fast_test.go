package markdown

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/internal/corpus"
)

// fastCases are paragraphs on the edge of the fast path: characters
// Markdown reads as syntax where they stand, entities, emphasis Markdown
// would not close, links with brackets and titles, code with backticks,
// line breaks, languages, and shapes the fast path must leave to the
// library.
var fastCases = []string{
	"<p>Plain text.</p>",
	"<p># not a heading</p>\n<p>1. not a list</p>\n<p>- nor this</p>\n<p>+ or this</p>\n<p>&gt; nor a quote</p>",
	"<p>---</p>\n<p>***</p>\n<p>___</p>\n<p>===</p>\n<p>a<br />\n===</p><p>a<br />---</p>",
	"<p>```go</p>\n<p>~~~</p>\n<p>`tick` and ``two``</p>",
	"<p>*stars* and _under_ and **bold** and ~~strike~~ and ~ alone * alone _</p>",
	"<p>[brackets] and [half and ]half and ![img](x) and a\\b and \\*</p>",
	"<p>AT&amp;T &lt;tag&gt; &copy; &nbsp;x&nbsp; &#169; &#x263a; &amp;amp; &notit; &ampx</p>",
	"<p>Tom &amp; Jerry 1) two 3. three #tag</p>\n<p>12) twelve</p>\n<p>1.5 million</p>",
	"<p>See <a href=\"https://example.com/a?b=1&amp;c=2 3\">a [link]</a> and <a href=\"https://example.com/(x)\" title=\"T &quot;q&quot;\">another</a>.</p>",
	"<p><a href=\"https://example.com/\" title=\"it's &quot;both&quot;\">both quotes</a> <a href=\"\">no href</a> <a href=\"#\">hash</a> <a href=\"  https://example.com/x  \">  spaced  </a></p>",
	"<p><a href=\"https://example.com/?q=a+b&amp;r=%zz&amp;s\">query</a> <a href=\"mailto:a@example.com\">mail</a> <a href=\"data:text/plain,hi there\">data</a></p>",
	"<p><a href=\"x\"><em>em link</em></a> <a href=\"y\"><code>code link</code></a> <a href=\"z\">line<br />break</a></p>",
	"<p><em>one</em> <strong>two</strong> <b>three</b> <i>four</i> <em> spaced </em>out</p>",
	"<p><em>a</em><strong>b</strong></p>",
	"<p>小镇<strong>“晓起”</strong>，很美。<em>「引用」</em>的<strong>好</strong>地方。</p>",
	"<p>word<em>.dot</em>word <strong>x.</strong>y (<em>a</em>) \"<em>q</em>\"</p>",
	"<p><em>line one<br />\nline two</em> and <strong><br />x</strong></p>",
	"<p>one<br />\ntwo<br>three<br/>\n\nfour</p>",
	"<p>trailing break<br /></p>\n<p><br />leading break</p>",
	"<p><code>a  b\tc\nd</code> <code>`tick`</code> <code>``</code> <code> </code> <code>&lt;b&gt;</code></p>",
	"<p><code>x</code><code>y</code></p>",
	"<p>Written by <span lang=\"zh-Hans\">林梅</span> and <span lang=\"ru\">Саша</span>, <em><span lang=\"ru\">курсив</span></em> <a href=\"u\"><span lang=\"zh\">链接</span></a>.</p>",
	"<p><span lang=\"x y\">bad lang</span> <span lang=\"en\"></span> <span>no lang</span></p>",
	"<p lang=\"ru\">Весь абзац</p>\n<p class=\"has-text-align-center\" id=\"p1\">centred</p>",
	"<p>   lots   of\n\n  white   space  \t </p>",
	"<p>Text {{< not a shortcode >}} and {{% this %}} and {% liquid %}</p>",
	"<p>unclosed <em>emphasis</p>\n<p>after</p>",
	"<div>block <p>inner</p></div>\n<p>after the div</p>",
	"<blockquote>\n<p>quoted</p>\n</blockquote>\n<p>after the quote</p>",
	"<ul>\n<li>item</li>\n</ul>\n<p>after the list</p>\n<ul><li>second</li></ul>",
	"<p>before</p><!--more--><p>after</p>",
	"<p>a</p>\n<script>document.write('<p>not a paragraph</p>')</script>\n<p>b</p>",
	"<p>a</p>\n<pre><code>code\n  block</code></pre>\n<p>b</p>\n<table><tr><td><p>cell</p></td></tr></table><p>c</p>",
	"text before <p>para</p> text after",
	"<p>a</p></p><p>b</p>",
	"<p>x <img src=\"a.png\" alt=\"a\" /> y</p><p>z</p>",
	"<p>1.</p><p>-</p><p>#</p><p>*</p><p>&gt;</p><p>[x]</p><p>!</p>",
	"<p>a <!-- comment --> b</p><p>c</p>",
	"<p>tab\tand\u00a0nbsp and\u2003em space</p>",
	"<p><EM>upper</EM></p><p><em class=\"x\">class</em></p>",
	"<h2>Heading</h2>\n<p>para</p>\n<h3>Another</h3>\n<p>para <em>two</em></p>",
	"<h2 class=\"wp-block-heading\">Title with # and *stars*</h2>\n<p>x</p>",
	"<h3>Ends with #</h3><h3>#</h3><h4> </h4><h5><em>em</em> heading</h5><h6>a<br />b</h6><h2>  spaced   out  </h2><h1 lang=\"ru\">Заголовок</h1>",
	"<blockquote><p>quoted <em>text</em></p>\n<p>second</p></blockquote>\n<p>after</p>",
	"<blockquote lang=\"ru\"><p>Зима &amp; <em>«снег»</em> &lt;b&gt; \"q\" 'a'</p></blockquote>\n<blockquote><p>Translation.</p></blockquote>",
	"<blockquote class=\"wp-block-quote\"><p lang=\"zh-Hans\">中文</p>\n<p>English</p></blockquote>",
	"<blockquote></blockquote><blockquote> </blockquote><blockquote><p>x</p><cite>Source</cite></blockquote>",
	"<hr /><hr class=\"wp-block-separator\"/><p>x</p><hr>",
	"<p><!--more--></p><p>after</p><!--more--><p>z</p>",
	"<ul><li>a</li></ul><p></p><ul><li>b</li></ul>",
	"<ol><li>a</li></ol>\n<hr />\n<ol><li>b</li></ol>\n<h3>h</h3>\n<ul><li>c</li></ul>",
	"<p lang=\"ru\">Абзац <em>курсив</em> и <a href=\"x\">ссылка</a></p><p lang=\"ru \">пробел</p>",
}

// fastInputs returns post contents to compare the two paths on: the
// cases above, a typical post, the golden inputs, the seed, and every
// item of the corpus when it is there.
func fastInputs(t *testing.T) []string {
	t.Helper()
	in := append([]string{typicalClassicPost()}, fastCases...)
	for _, c := range fastCases {
		// The same shapes as classic content (wpautop'd) too.
		in = append(in, strings.NewReplacer("<p>", "", "</p>", "\n\n").Replace(c))
	}
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "markdown", "*", "input.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, string(b))
	}
	files := []string{filepath.Join("..", "..", "testdata", "seed", "central-asia.xml")}
	if dir := corpus.Dir(); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
		files = append(files, more...)
		files = append(files, filepath.Join(dir, "synthetic", "sample-everything.xml"))
	} else {
		t.Log("corpus not found: comparing on the cases, the golden inputs and the seed only")
	}
	for _, f := range files {
		items, err := readCorpusItems(f)
		if err != nil && len(items) == 0 {
			t.Logf("%s: %v", filepath.Base(f), err)
		}
		for _, it := range items {
			if it.Type != "attachment" && it.Type != "nav_menu_item" && strings.TrimSpace(it.Content) != "" {
				in = append(in, it.Content)
			}
		}
	}
	return in
}

// TestFastPathMatchesLibrary converts every input with and without the
// fast path: the Markdown must be the same byte for byte (or, where it
// is not, render to the same HTML with goldmark, and that is listed).
// It also checks the fast path is taken: most paragraphs of the typical
// post and of the corpus go through it.
func TestFastPathMatchesLibrary(t *testing.T) {
	inputs := fastInputs(t)
	same, equivalent, fastParas, allParas := 0, 0, 0, 0
	for i, content := range inputs {
		for _, flavor := range []string{Hugo, Jekyll} {
			opt := Options{Flavor: flavor}
			fast, frep := convert(content, opt, true)
			slow, srep := convert(content, opt, false)
			if frep.String() != srep.String() || frep.More != srep.More {
				t.Errorf("input %d (%s): reports differ: fast %q, library %q", i, flavor, frep.String(), srep.String())
			}
			if fast == slow {
				same++
				continue
			}
			fh, ferr := RenderMarkdown(fast)
			sh, serr := RenderMarkdown(slow)
			if ferr != nil || serr != nil || fh != sh {
				t.Errorf("input %d (%s) differs:\n--- content\n%s\n--- library\n%s\n--- fast\n%s", i, flavor, clip(content), slow, fast)
				continue
			}
			equivalent++
			t.Logf("input %d (%s): other Markdown, same HTML:\n--- library\n%s\n--- fast\n%s", i, flavor, clip(slow), clip(fast))
		}
		h := Render(content, Options{})
		allParas += strings.Count(h, "<p>") + strings.Count(h, "<p ")
		if parts, ok := splitFast(h); ok {
			for _, p := range parts {
				if p.p != nil {
					fastParas++
				}
			}
		}
	}
	t.Logf("%d inputs × 2 flavors: %d identical, %d equivalent; %d blocks on the fast path, for %d paragraphs", len(inputs), same, equivalent, fastParas, allParas)
	if fastParas*2 < allParas {
		t.Errorf("only %d of %d paragraphs took the fast path", fastParas, allParas)
	}
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…(" + strconv.Itoa(len(s)) + " bytes)"
	}
	return s
}

// The typical post's paragraphs all take the fast path, and give what the
// library gives.
func TestFastPathTypicalPost(t *testing.T) {
	h := Render(typicalClassicPost(), Options{})
	parts, ok := splitFast(h)
	if !ok {
		t.Fatal("no paragraph of the typical post took the fast path")
	}
	n := 0
	for _, p := range parts {
		if p.p != nil {
			n++
		}
	}
	if n < 12 {
		t.Errorf("%d paragraphs on the fast path, want the 12 plain ones at least", n)
	}
}
