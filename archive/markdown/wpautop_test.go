package markdown

import (
	"strings"
	"testing"
)

// Cases from WordPress's tests/phpunit/tests/formatting/Autop.php (expected
// values as WordPress asserts them; trim means the test trims the output).
func TestWpautop(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		trim bool
	}{
		{"empty", "", "", false},
		{"blank", " \n\t ", "", false},
		{"paragraphs and br", "Para one.\nLine two.\n\nPara two.", "<p>Para one.<br />\nLine two.</p>\n<p>Para two.</p>\n", false},
		{"skip pre", "Look at this code\n\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n\nCool, huh?",
			"<p>Look at this code</p>\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>\n<p>Cool, huh?</p>", true},
		{"pre alone", "<pre>a\n\nb &lt;c&gt;</pre>", "<pre>a\n\nb &lt;c&gt;</pre>", true},
		{"input elements", `Username: <input type="text" id="username" name="username" /><br />Password: <input type="password" id="password1" name="password1" />`,
			`<p>Username: <input type="text" id="username" name="username" /><br />Password: <input type="password" id="password1" name="password1" /></p>`, true},
		{"select option", `Country: <select id="state" name="state"><option value="1">Alabama</option><option value="2">Alaska</option></select>`,
			`<p>Country: <select id="state" name="state"><option value="1">Alabama</option><option value="2">Alaska</option></select></p>`, true},
		{"blockquote content", "<blockquote>foo</blockquote>", "<blockquote><p>foo</p></blockquote>", true},
		{"element sanity a", "Hello <a\nhref='world'>", "<p>Hello <a\nhref='world'></p>\n", false},
		{"element sanity comment", "Hello <!-- a\nhref='world' -->", "<p>Hello <!-- a\nhref='world' --></p>\n", false},
		{"element sanity object in comment", "Hello <!-- <object>\n<param>\n<param>\n<embed>\n</embed>\n</object>\n -->",
			"<p>Hello <!-- <object>\n<param>\n<param>\n<embed>\n</embed>\n</object>\n --></p>\n", false},
		{"element sanity cdata", "Hello <![CDATA[ a\nhttps://youtu.be/jgz0uSaOZbE\n ]]>", "<p>Hello <![CDATA[ a\nhttps://youtu.be/jgz0uSaOZbE\n ]]></p>\n", false},
		{"element sanity cdata comment", "Hello <![CDATA[ <!-- a\nhttps://youtu.be/jgz0uSaOZbE\n a\n9 ]]> -->",
			"<p>Hello <![CDATA[ <!-- a\nhttps://youtu.be/jgz0uSaOZbE\n a\n9 ]]> --></p>\n", false},
		{"line breaks after br", "\nline 1<br>\nline 2<br/>\nline 3<br />\nline 4\nline 5\n",
			"<p>line 1<br />\nline 2<br />\nline 3<br />\nline 4<br />\nline 5</p>", true},
		{"paragraph after multiple br", "\nline 1<br>\n<br/>\nline 2<br/>\n<br />\n", "<p>line 1</p>\n<p>line 2</p>", true},
		{"text before blocks", "a<div>b</div>", "<p>a</p>\n<div>b</div>", true},
		{"figure unchanged", `<figure><img src="example.jpg" /><figcaption>Caption</figcaption></figure>`,
			`<figure><img src="example.jpg" /><figcaption>Caption</figcaption></figure>`, true},
		{"figure newlines", "<figure>\n<img src=\"example.jpg\" />\n<figcaption>Caption</figcaption>\n</figure>",
			"<figure>\n<img src=\"example.jpg\" /><figcaption>Caption</figcaption></figure>", true},
		{"hr", "paragraph1<hr>paragraph2", "<p>paragraph1</p>\n<hr>\n<p>paragraph2</p>", true},
		{"inline svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n\t<circle cx=\"50\" cy=\"50\" r=\"30\" fill=\"blue\">\n\t</circle>\n</svg>",
			"<p><svg xmlns=\"http://www.w3.org/2000/svg\">\n\t<circle cx=\"50\" cy=\"50\" r=\"30\" fill=\"blue\">\n\t</circle>\n</svg></p>", true},
		{"inline script", "<script type=\"text/javascript\">\n\t\t\t\tvar dummy = 1;\n\t\t\t</script>",
			"<p><script type=\"text/javascript\">\n\t\t\t\tvar dummy = 1;\n\t\t\t</script></p>", true},
		{"video source track", "Paragraph one.\n\n<video class=\"v\" controls=\"controls\">\n\t<source type=\"video/mp4\" src=\"x.mp4\" />\n\t<track kind=\"subtitles\" src=\"s.srt\" />\n</video>\n\nParagraph two.",
			"<p>Paragraph one.</p>\n<p><video class=\"v\" controls=\"controls\"><source type=\"video/mp4\" src=\"x.mp4\" /><track kind=\"subtitles\" src=\"s.srt\" /></video></p>\n<p>Paragraph two.</p>", true},
		{"object param embed", "\nParagraph one.\n\n<object width=\"400\">\n\t<param name=\"src\" value=\"x.swf\" />\n\n\t<embed width=\"400\" src=\"x.swf\" />\n</object>\n\nParagraph two.",
			"<p>Paragraph one.</p>\n<p><object width=\"400\"><param name=\"src\" value=\"x.swf\" /><embed width=\"400\" src=\"x.swf\" /></object></p>\n<p>Paragraph two.</p>", true},
		{"list", "First things first:\n<ul>\n<li><a href=\"x\">Subscribe</a></li>\n</ul>\nAs a subscriber.\nWhen a new version.",
			"<p>First things first:</p>\n<ul>\n<li><a href=\"x\">Subscribe</a></li>\n</ul>\n<p>As a subscriber.<br />\nWhen a new version.</p>", true},
		{"crlf", "a\r\nb\r\n\r\nc", "<p>a<br />\nb</p>\n<p>c</p>", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wpautop(tt.in)
			if tt.trim {
				got = strings.TrimSpace(got)
			}
			if got != tt.want {
				t.Errorf("Wpautop(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// WordPress's test_that_wpautop_treats_block_level_elements_as_blocks and
// test_that_wpautop_treats_inline_elements_as_inline.
func TestWpautopBlockAndInlineElements(t *testing.T) {
	blocks := strings.Fields("table thead tfoot caption col colgroup tbody tr td th div dl dd dt ul ol li pre form map area address math style p h1 h2 h3 h4 h5 h6 fieldset legend section article aside hgroup header footer nav figure details menu summary")
	var content, selfClosing, withAttr []string
	for _, b := range blocks {
		content = append(content, "<"+b+">foo</"+b+">")
		selfClosing = append(selfClosing, "<"+b+"/>")
		withAttr = append(withAttr, "<"+b+" attr='value'>foo</"+b+">")
	}
	check := func(name, in, want string) {
		t.Helper()
		if got := strings.TrimSpace(Wpautop(in)); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	check("blank lines", strings.Join(content, "\n\n"), strings.Join(content, "\n"))
	check("run together", strings.Join(content, ""), strings.Join(content, "\n"))
	check("self-closing", strings.Join(selfClosing, ""), strings.Join(selfClosing, "\n"))
	check("attributes", strings.Join(withAttr, ""), strings.Join(withAttr, "\n"))

	inlines := strings.Fields("a em strong small s cite q dfn abbr data time code var samp kbd sub sup i b u mark span del ins noscript select")
	var in, want []string
	for _, e := range inlines {
		in = append(in, "<"+e+">foo</"+e+">")
		want = append(want, "<p><"+e+">foo</"+e+"></p>")
	}
	check("inline", strings.Join(in, "\n\n"), strings.Join(want, "\n"))
}

func TestShortcodeUnautop(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"alone", "<p>[gallery ids=\"1,2\"]</p>\n", "[gallery ids=\"1,2\"]\n"},
		{"spaces and nbsp", "<p> &nbsp;[gallery]\u00a0</p>", "[gallery]"},
		{"enclosing", "<p>[caption width=\"300\"]<img src=\"a.jpg\" /> Cap[/caption]</p>", "[caption width=\"300\"]<img src=\"a.jpg\" /> Cap[/caption]"},
		{"self-closing", "<p>[audio src=\"a.mp3\" /]</p>", "[audio src=\"a.mp3\" /]"},
		{"with text", "<p>See [gallery] here</p>", "<p>See [gallery] here</p>"},
		{"unregistered", "<p>[sic]</p>", "<p>[sic]</p>"},
		{"escaped", "<p>[[gallery]]</p>", "<p>[[gallery]]</p>"},
		{"two paragraphs", "<p>[embed]http://x[/embed]</p>\n<p>text</p>", "[embed]http://x[/embed]\n<p>text</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShortcodeUnautop(tt.in, isRegistered); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}
