package markdown

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html/atom"

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
	// Lists: simple ones take the fast path between paragraphs, headings
	// and rules; adjacent lists, nested or loose ones, attributes (but
	// the block editor's class) and lists inside other blocks stay with
	// the library.
	"<p>a</p>\n<ul>\n<li>one</li>\n<li>two <em>em</em> and <a href=\"x\">link</a></li>\n</ul>\n<p>b</p>",
	"<h2>h</h2><ol><li>one</li><li>two</li></ol><hr /><ol><li>1. starts like a list</li><li>- dash</li><li># hash</li><li>+ plus</li><li>&gt; quote</li></ol><p>z</p>",
	"<p>x</p><ol>\n<li>1</li><li>2</li><li>3</li><li>4</li><li>5</li><li>6</li><li>7</li><li>8</li><li>9</li><li>10</li><li>11</li>\n</ol><p>y</p>",
	"<p>x</p><ul><li>line one<br />\nline two<br />\n</li><li><br />after a break</li><li>  spaced   out  </li></ul><p>y</p>",
	"<p>x</p><ol><li>first<br>second<br>third</li><li><strong>bold</strong><br /><code>code</code></li></ol><p>y</p>",
	"<p>x</p><ul><li>a</li></ul><ul><li>b</li></ul><p>y</p>",
	"<p>x</p><ul><li>a</li></ul>\n<ol><li>b</li></ol>\n<p>y</p><ul><li>c</li></ul>",
	"<p>x</p><ul><li>a</li></ul><p><br /></p><ul><li>b</li></ul><p>y</p>",
	"<p>x</p><ul><li>a</li></ul><p><!--more--></p><ul><li>b</li></ul><p>y</p>",
	"<p>x</p><ul><li>a</li></ul><!--more--><ul><li>b</li></ul><p>y</p>",
	"<p>x</p><ul><li>a</li></ul><blockquote><p>q</p></blockquote><ul><li>b</li></ul><p>y</p>",
	"<p>x</p><ul><li>a</li></ul><h3> </h3><ul><li>b</li></ul><h3>y</h3>",
	"<ul><li>first in the post</li></ul><p>then</p><ul><li>last in the post</li></ul>",
	"<p>x</p><ul><li>outer<ul><li>nested</li></ul></li></ul><p>y</p>",
	"<p>x</p><ul><li><p>loose</p></li><li><p>items</p></li></ul><p>y</p>",
	"<p>x</p><ul><li>unclosed<li>items</ul><p>y</p>",
	"<p>x</p><ul><li></li><li> </li><li>&nbsp;</li><li>text</li></ul><p>y</p><ol><li><br /></li><li>a</li></ol><p>z</p>",
	"<p>x</p><ul class=\"wp-block-list\"><li>class</li></ul><p>y</p><ol start=\"3\"><li>start</li></ol><p>z</p><ol reversed><li>r</li></ol><p>w</p>",
	"<p>x</p><ul><li class=\"c\">li class</li><li lang=\"ru\">Пункт</li></ul><p>y</p><ul lang=\"ru\"><li>Пункт</li></ul><p>z</p>",
	"<p>x</p><ul class=\"blocks-gallery-grid\"><li>gallery</li></ul><p>y</p><ol class=\"wp-block-footnotes\"><li>note</li></ol><p>z</p>",
	"<blockquote><ul><li>in a quote</li></ul></blockquote><p>y</p><div><ul><li>in a div</li></ul></div><p>z</p>",
	"<p>x</p><ul>text<li>stray text</li></ul><p>y</p><ul><!-- c --><li>comment</li></ul><p>z</p>",
	"<p>x</p><ul><li><em>a</em><em>b</em></li><li><code>x</code><code>y</code></li><li><span lang=\"zh\">中文</span></li></ul><p>y</p>",
	"<p>x</p><ul><li>*stars* _under_ [br] `tick` ![i](x) a\\b</li><li>AT&amp;T &lt;tag&gt; &copy;</li></ul><p>y</p>",
	"<p>x</p><UL><LI>upper</LI></UL><p>y</p><ul ><li >spaced tags</li ></ul ><p>z</p>",
	"<p>x</p><ul><li><a href=\"u\">link<br />two lines</a></li><li><strong>bold<br />two</strong></li></ul><p>y</p>",
	// Captioned images: written here for Hugo when the figure is just
	// an image (linked or not) and a simple caption.
	"<figure class=\"wp-caption alignright\"><a href=\"https://e.x/a.jpg\"><img class=\"size-medium\" src=\"https://e.x/a-300.jpg\" alt=\"A card\" width=\"300\" /></a><figcaption class=\"wp-caption-text\">A card from 1985</figcaption></figure>\n<p>x</p>",
	"<p>x</p><figure><img src=\" https://e.x/b.jpg \" alt=\"  spaced \n alt &quot;q&quot; \\\"/><figcaption>Caption with <em>em</em>, <a href=\"u\">link</a>, <code>code</code>, *stars* and \"quotes\" \\</figcaption></figure><figure><img src=\"c.jpg\"><figcaption>line<br />break &amp; &lt;b&gt;</figcaption></figure>",
	"<ul><li>a</li></ul><figure><img src=\"a.jpg\" /><figcaption>between lists</figcaption></figure><ul><li>b</li></ul>",
	"<figure><img src=\"a.jpg\" /><figcaption> </figcaption></figure><figure><img src=\"\" /><figcaption>no src</figcaption></figure><figure><img src=\"a.jpg\" /></figure><p>x</p>",
	"<figure lang=\"ru\"><img src=\"a.jpg\" /><figcaption>lang</figcaption></figure><figure><img src=\"a.jpg\" /><figcaption lang=\"ru\">Подпись</figcaption></figure><figure><a href=\"x\"><img src=\"a.jpg\" /> text</a><figcaption>c</figcaption></figure>",
	"<figure>\n<img src=\"a.jpg\" />\n<figcaption>spaced figure</figcaption>\n</figure><figure><img src=\"a.jpg\" /><img src=\"b.jpg\" /><figcaption>two</figcaption></figure><figure><figcaption>first</figcaption><img src=\"a.jpg\" /></figure>",
	"[caption id=\"attachment_1\" align=\"alignleft\" width=\"300\"]<a href=\"https://e.x/1.jpg\"><img class=\"wp-image-1\" src=\"https://e.x/1-300.jpg\" alt=\"one\" width=\"300\" height=\"200\" /></a> The caption[/caption]\n\nAfter.",
	"[caption width=\"300\"]<img src=\"https://e.x/2.jpg\" alt=\"\" /> Caption with <em>emphasis</em> and a {{< shortcode >}}[/caption]",
	// Galleries of the block editor: figures of an image (linked or
	// not) with or without a caption, written here for Hugo. These are
	// block content (wp:html, whose HTML stays as it is): wpautop would
	// space the figures out.
	"<!-- wp:html --><p>x</p><figure class=\"wp-block-gallery\"><figure class=\"wp-block-image\"><a href=\"https://e.x/a.jpg\"><img src=\"https://e.x/a.jpg\" alt=\"The [market] \\[opens\\] at six\"></a></figure><figure class=\"wp-block-image\"><img src=\" https://e.x/b c.jpg \" alt=\"\" title=\"A &quot;title&quot;\"></figure><figure class=\"wp-block-image\"><a href=\"https://e.x/c.jpg\"><img src=\"https://e.x/c.jpg\" alt=\"two\nlines\"></a><figcaption>Odesa <em>port</em></figcaption></figure></figure>\n<p>y</p><!-- /wp:html -->",
	"<!-- wp:html --><figure class=\"wp-block-gallery has-nested-images columns-2\"><figure class=\"wp-block-image\"><img src=\"a.jpg\" alt=\"*a*\"/></figure><figure class=\"wp-block-image\"><a href=\"\"><img src=\"b.jpg\" alt=\"b\" /></a></figure></figure><figure class=\"wp-block-gallery\"><figure><img src=\"c.jpg\"><figcaption>读书笔记 / Irkutsk</figcaption></figure></figure><!-- /wp:html -->",
	"<!-- wp:html --><ul><li>a</li></ul><figure class=\"wp-block-gallery\"><figure><img src=\"a.jpg\"></figure></figure><ul><li>b</li></ul><figure class=\"wp-block-gallery\"><figure><img src=\"a.jpg\"><figcaption>c</figcaption></figure></figure><ul><li>c</li></ul><!-- /wp:html -->",
	"<!-- wp:html --><figure class=\"wp-block-gallery\">\n<figure><img src=\"a.jpg\"></figure>\n</figure><figure class=\"wp-block-gallery\"><figure><img src=\"a.jpg\"></figure><figcaption>gallery caption</figcaption></figure><figure class=\"wp-block-gallery\"><figure><img src=\" \"></figure></figure><figure lang=\"ru\"><figure><img src=\"a.jpg\"></figure></figure><figure><figure><img src=\"a.jpg\" lang=\"ru\"></figure></figure><figure class=\"wp-block-gallery\"><figure><img src=\"a.jpg\"><figcaption> </figcaption></figure></figure><p>z</p><!-- /wp:html -->",
	"<!-- wp:html --><figure class=\"wp-block-gallery\"><figure><a href=\"https://e.x/(x)?a=b c\" title=\"t\"><img src=\"https://e.x/a.jpg?x=1&amp;y=[2]\" alt=\"a\\\" title=\"it's &quot;q&quot;\"></a></figure><figure><img src=\"data:image/png;base64,AAA=\" alt=\"]\"></figure></figure><!-- /wp:html -->",
	// Uncaptioned images and embeds of the block editor.
	"<!-- wp:html --><p>x</p><figure class=\"wp-block-image size-large\"><img src=\"https://e.x/a-1024x682.jpg\" alt=\"\" class=\"wp-image-42602\"/></figure><figure class=\"wp-block-image\"><a href=\"https://e.x/b.jpg\"><img src=\"https://e.x/b.jpg\" alt=\"b [1]\" title=\"t\"></a></figure><h2>h</h2><!-- /wp:html -->",
	"<!-- wp:html --><figure class=\"wp-block-embed\"><iframe class=\"wp-embed-youtube\" src=\"https://www.youtube.com/embed/yDrSwgQNTFZ\" width=\"560\" height=\"315\" frameborder=\"0\" allowfullscreen></iframe></figure><p>x</p><figure class=\"wp-block-embed\"><iframe src=\"https://e.x/map\"></iframe></figure><figure class=\"wp-block-embed\"><iframe src=\"https://e.x/map\"></iframe><figcaption>c</figcaption></figure><figure><iframe src=\"https://e.x/map\"></iframe> </figure><!-- /wp:html -->",
	"<!-- wp:html --><p>x</p><ul class=\"wp-block-list\">\n<li>block</li>\n\n<li>editor <em>list</em></li>\n</ul><p>y</p><ol class=\"wp-block-list\"><li>one</li></ol><h3>z</h3><ul class=\"wp-block-list x\"><li>other class</li></ul><p>w</p><ul class='wp-block-list'><li>quoted</li></ul><p>v</p><!-- /wp:html -->",
	// Players: an iframe alone in its paragraph, or alone between
	// blocks; a video shortcode for Hugo where it is YouTube or Vimeo.
	"<!-- wp:html --><p>x</p>\n<p><iframe class=\"wp-embed-youtube\" src=\"https://www.youtube.com/embed/oIGyJZeCrLw\" width=\"560\" height=\"315\" frameborder=\"0\" allowfullscreen></iframe></p>\n<p>y</p><!-- /wp:html -->",
	"<!-- wp:html --><p>x</p>\n<iframe class=\"wp-embed-youtube\" src=\"https://www.youtube.com/embed/H5UdvioE8b9\" width=\"560\" height=\"315\" frameborder=\"0\" allowfullscreen></iframe>\n<h2>y</h2><iframe src=\"https://player.vimeo.com/video/12345\" allowfullscreen mozallowfullscreen></iframe><ul><li>after</li></ul><iframe src=\"https://e.x/map?a=1&amp;b=2\" title=\"A &lt;map&gt;\"></iframe><!-- /wp:html -->",
	"<!-- wp:html --><p><iframe src=\"https://e.x/embed\" width=560 allowfullscreen></iframe></p><p>text <iframe src=\"https://www.youtube.com/embed/abc\"></iframe> around</p>text <iframe src=\"https://www.youtube.com/embed/abc\"></iframe>\n<p>x</p><iframe src=\"https://www.youtube.com/embed/abc\"></iframe> tail<!-- /wp:html -->",
	// Code blocks: <pre> alone or around one <code>, with a language in
	// a class, line breaks, entities, backticks, leading newlines; and
	// the shapes the library keeps otherwise (links, formatting, empty
	// or two code elements).
	"<p>x</p>\n<pre><code>if (arr[idx[0]]]>5) {\n    return arr[0];\n}</code></pre>\n<p>y</p>",
	"<pre class=\"wp-block-code\"><code>for i := range items {<br>    fmt.Println(items[i].Title)<br>}</code></pre><pre>plain &lt;b&gt; &amp;amp; &copy;\n\n\ntext\n</pre><p>x</p>",
	"<pre class=\"language-go\"><code class=\"lang-js\">x</code></pre><pre><code class=\"foo language-python bar\">y</code></pre><pre class=\"brush: php; title: ;\">$x = 1;</pre><pre class=\"language-language-lang-x\">z</pre>",
	"<pre>\nfirst newline dropped</pre><pre>\n\ntwo</pre><pre><code>\nkept</code></pre><pre>&#10;entity newline</pre><pre>\n</pre><pre></pre><pre><code></code></pre><pre><code> </code></pre>",
	"<pre>`one` ``two`` ```three``` ````</pre><pre>```\ncode\n```</pre><pre>x`</pre><pre>~~~</pre><pre>trailing\n\n</pre>",
	"<pre>a<br />b<br/>c<br>\nd</pre><pre>x<code>y</code>z</pre><pre><code>a</code><code>b</code></pre><pre><code>a<br>b</code>\n</pre><pre><code><br></code></pre>",
	"<pre><a href=\"u\">link</a></pre><pre><code>x <em>em</em></code></pre><pre><span>s</span></pre><pre data-wpmd-html=\"1\">d</pre><pre lang=\"ru\">код</pre><pre class=\"a\" class=\"language-x\">dup</pre><pre id=x>unquoted</pre>",
	"<ul><li>a</li></ul><pre>between lists</pre><ul><li>b</li></ul><pre>x</pre><ol><li>c</li></ol><p>t</p><pre>y</pre><table><tr><td>t</td></tr></table><pre>z</pre>",
	"<pre>a\r\nb</pre><pre>nul\x00</pre><pre>\uF002marker</pre><pre>tab\tand  spaces   </pre><pre> <code>x</code> </pre><pre><code>x</code></pre >",
	"<blockquote><pre>in a quote</pre></blockquote><pre>x</pre><p>* <code>after</code></p><pre>{{< shortcode >}} {% raw %} $x$</pre>",
	"<!-- wp:html --><iframe src=\"https://www.youtube.com/embed/abc\"></iframe><iframe src=\"https://www.youtube.com/embed/def\"></iframe><p><iframe src=\"a\" allowfullscreen = \"x\"></iframe></p><p><iframe SRC=\"a\"></iframe></p><p><iframe src=\"a\" lang=\"ru\"></iframe></p><p><iframe src=\"a\">inner</iframe></p><p><iframe src=\"a\" src=\"b\"></iframe></p><p><iframe src=\"a\"/></p><p> <iframe src=\"a\"></iframe></p><!-- /wp:html -->",
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
	files := []string{filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"), generatedExport(t)}
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

// generatedExport writes 300 posts of the benchmark generator
// (cmd/wxrgen, seed 1) to a temporary file and returns its path.
func generatedExport(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "generated.xml")
	cmd := exec.Command("go", "run", "../../cmd/wxrgen", "-posts", "300", "-seed", "1", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wxrgen: %v\n%s", err, b)
	}
	return out
}

// TestFastListsRandom compares the two paths on documents of random
// lists (of items from listPieces, some of them nested, loose or with
// attributes) between random blocks: byte for byte, and at least one
// list in fifteen (one in ten with this seed: a list takes the fast path
// only with a paragraph, heading, quote or rule on each side) must take
// the fast path.
func TestFastListsRandom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	items := []string{
		"plain", "two words", "  spaced  out ", "<em>em</em> text", "<strong>bold</strong>", "<a href=\"https://e.x/a?b=1&amp;c\">link</a>",
		"<a href=\"u\" title=\"t\">titled <em>em</em></a>", "<code>code</code> x", "a<br />b", "a<br />\n<br />b", "<br />lead", "trail<br />",
		"1. number", "- dash", "+ plus", "* star", "# hash", "&gt; quote", "===", "---", "`tick`", "[x]", "a\\b", "*a* _b_",
		"&amp; &lt;b&gt; &copy; &nbsp;", "<span lang=\"ru\">слово</span>", "中文<strong>“粗”</strong>。", "x<em> y </em>z", "\n line \n",
		// Items the fast path leaves to the library.
		"", " ", "<em>a</em><em>b</em>", "<p>loose</p>", "nested<ul><li>inner</li></ul>", "<img src=\"i.png\" alt=\"i\" />",
	}
	simpleItems := 29
	list := func() string {
		tag := "ul"
		if r.Intn(2) == 0 {
			tag = "ol"
		}
		open := "<" + tag + ">"
		switch r.Intn(12) {
		case 0:
			open = "<" + tag + " class=\"wp-block-list\">"
		case 1:
			open = "<" + tag + " start=\"4\">"
		}
		pool := items
		if r.Intn(2) == 0 {
			pool = items[:simpleItems] // a list the fast path may take
		}
		var b strings.Builder
		b.WriteString(open + pick(r, []string{"", "\n"}))
		for n := 1 + r.Intn(12); n > 0; n-- {
			li := "<li>"
			if r.Intn(25) == 0 {
				li = "<li class=\"x\">"
			}
			b.WriteString(li + pick(r, pool) + "</li>" + pick(r, []string{"", "\n", " "}))
		}
		b.WriteString("</" + tag + ">")
		return b.String()
	}
	blocks := []string{"<p>para <em>x</em></p>", "<h2>Head</h2>", "<hr />", "<blockquote><p>q</p></blockquote>",
		"<p><br /></p>", "<h3> </h3>", "<!--more-->", "<div>div</div>", "<pre>pre</pre>", "text", "<p></p>", "<figure><img src=\"a.png\" /></figure>"}
	fastLists, lists := 0, 0
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := 1 + r.Intn(6); n > 0; n-- {
			if r.Intn(2) == 0 {
				b.WriteString(list())
				lists++
			} else if r.Intn(3) > 0 {
				b.WriteString(pick(r, blocks[:4])) // blocks that end a list
			} else {
				b.WriteString(pick(r, blocks[4:]))
			}
			b.WriteString(pick(r, []string{"", "\n", "\n\n"}))
		}
		content := b.String()
		for _, flavor := range []string{Hugo, Jekyll} {
			opt := Options{Flavor: flavor}
			fast, _ := convert(content, opt, true)
			slow, _ := convert(content, opt, false)
			if fast != slow {
				t.Fatalf("%s differs:\n--- content\n%s\n--- library\n%s\n--- fast\n%s", flavor, content, slow, fast)
			}
		}
		if parts, ok := splitFast(replaceMoreComments(Render(content, Options{}), &Report{})); ok {
			for _, p := range parts {
				if p.p != nil && isFastList(p.p) {
					fastLists++
				}
			}
		}
	}
	t.Logf("%d lists, %d on the fast path", lists, fastLists)
	if fastLists*15 < lists {
		t.Errorf("only %d of %d lists took the fast path", fastLists, lists)
	}
}

func pick(r *rand.Rand, s []string) string { return s[r.Intn(len(s))] }

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

// FuzzFastPath converts arbitrary content with and without the fast
// path, seeded from fastCases: the Markdown must be the same.
func FuzzFastPath(f *testing.F) {
	for _, c := range fastCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, content string) {
		for _, flavor := range []string{Hugo, Jekyll} {
			opt := Options{Flavor: flavor}
			fast, _ := convert(content, opt, true)
			slow, _ := convert(content, opt, false)
			if fast != slow {
				t.Errorf("%s differs:\n--- content\n%q\n--- library\n%q\n--- fast\n%q", flavor, content, slow, fast)
			}
		}
	})
}

// Galleries and players take the fast path where their shape allows,
// and only there (TestFastPathMatchesLibrary checks the Markdown).
func TestFastGalleriesAndPlayers(t *testing.T) {
	yt := `<iframe src="https://www.youtube.com/embed/abc" allowfullscreen></iframe>`
	img := `<figure class="wp-block-image"><img src="a.jpg" alt="a"></figure>`
	captioned := `<figure class="wp-block-image"><a href="b.jpg"><img src="b.jpg" alt=""></a><figcaption>b</figcaption></figure>`
	gallery := `<figure class="wp-block-gallery">` + img + captioned + `</figure>`
	cases := []struct {
		name               string
		in                 string
		galleries, iframes int
	}{
		{"gallery", "<p>x</p>" + gallery + "<p>y</p>", 1, 0},
		{"gallery of one", `<figure class="wp-block-gallery">` + img + `</figure>`, 1, 0},
		{"spaced gallery", `<figure class="wp-block-gallery">` + "\n" + img + "\n</figure>", 0, 0},
		{"gallery with its caption", `<figure class="wp-block-gallery">` + img + `<figcaption>c</figcaption></figure>`, 0, 0},
		{"gallery of a text", `<figure class="wp-block-gallery"><figure>text</figure></figure>`, 0, 0},
		{"player in a paragraph", "<p>x</p><p>" + yt + "</p><p>y</p>", 0, 1},
		{"player between blocks", "<p>x</p>\n" + yt + "\n<h2>y</h2>" + yt, 0, 2},
		{"player in text", "<p>x " + yt + "</p>", 0, 0},
		{"player before text", "<p>x</p>" + yt + " tail", 0, 0},
		{"player after text", "head " + yt + "<p>x</p>", 0, 0},
		{"player with content", `<p><iframe src="a">x</iframe></p>`, 0, 0},
		{"embed", `<figure class="wp-block-embed">` + yt + `</figure>`, 0, 1},
		{"embed with a caption", `<figure class="wp-block-embed">` + yt + `<figcaption>c</figcaption></figure>`, 0, 0},
	}
	for _, c := range cases {
		parts, _ := splitFast(c.in)
		galleries, iframes := 0, 0
		for _, p := range parts {
			switch {
			case p.p == nil:
			case isGallery(p.p):
				galleries++
			case iframeOf(p.p) != nil:
				iframes++
			}
		}
		if galleries != c.galleries || iframes != c.iframes {
			t.Errorf("%s: %d galleries and %d players on the fast path, want %d and %d", c.name, galleries, iframes, c.galleries, c.iframes)
		}
	}
	// Uncaptioned images and the block editor's lists, between two
	// paragraphs.
	for _, c := range []struct {
		block string
		fast  bool
	}{
		{img, true},
		{`<figure><a href="b.jpg"><img src="b.jpg"></a></figure>`, true},
		{`<figure><img src=" "></figure>`, false},
		{`<ul class="wp-block-list"><li>a</li></ul>`, true},
		{`<ol class="wp-block-list"><li>a</li></ol>`, true},
		{`<ul class="wp-block-list x"><li>a</li></ul>`, false},
		{`<ul id="wp-block-list"><li>a</li></ul>`, false},
	} {
		parts, _ := splitFast("<p>x</p>" + c.block + "<p>y</p>")
		if fast := len(parts) == 3 && parts[1].p != nil; fast != c.fast {
			t.Errorf("%s on the fast path: %v, want %v", c.block, fast, c.fast)
		}
	}
}

// TestFastPre: code blocks take the fast path in the shapes the library
// writes as fenced code, and only those (TestFastPathMatchesLibrary and
// FuzzFastPath check the Markdown).
func TestFastPre(t *testing.T) {
	for _, c := range []struct {
		in   string
		fast bool
	}{
		{"<pre><code>x := 1\n</code></pre>", true},
		{"<pre class=\"wp-block-code\"><code>a<br>b</code></pre>", true},
		{"<pre class=\"brush: go\">x</pre>", true},
		{"<pre>\nx</pre>", true},
		{"<pre><code></code></pre>", false},
		{"<pre><code>a</code><code>b</code></pre>", false},
		{"<pre><a href=\"u\">x</a></pre>", false},
		{"<pre><code><em>x</em></code></pre>", false},
		{"<pre data-wpmd-html=\"1\">x</pre>", false},
		{"<pre class=\"a\" class=\"b\">x</pre>", false},
		{"<pre>a\r\nb</pre>", false},
		{"<pre>x", false},
	} {
		parts, _ := splitFast("<p>before</p>" + c.in + "<p>after</p>")
		fast := false
		for _, p := range parts {
			fast = fast || p.p != nil && p.p.DataAtom == atom.Pre
		}
		if fast != c.fast {
			t.Errorf("%q: on the fast path %v, want %v", c.in, fast, c.fast)
		}
	}
}
