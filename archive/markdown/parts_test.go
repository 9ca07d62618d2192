package markdown

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestFindShortcodes(t *testing.T) {
	type sc struct {
		Name      string
		Attrs     map[string]string
		Args      []string
		Content   string
		Enclosing bool
		Self      bool
		Escaped   bool
		Raw       string
	}
	tests := []struct {
		name string
		in   string
		want []sc
	}{
		{"quoted and unquoted", `x [gallery ids="1,2" link='file' columns=3 size = "large"] y`, []sc{{
			Name: "gallery", Attrs: map[string]string{"ids": "1,2", "link": "file", "columns": "3", "size": "large"},
			Raw: `[gallery ids="1,2" link='file' columns=3 size = "large"]`}}},
		{"positional", `[youtube https://www.youtube.com/watch?v=abc "two words" 'x']`, []sc{{
			Name: "youtube", Args: []string{"https://www.youtube.com/watch?v=abc", "two words", "x"},
			Raw: `[youtube https://www.youtube.com/watch?v=abc "two words" 'x']`}}},
		{"equals form", `[youtube=http://www.youtube.com/watch?v=abc&w=640]`, []sc{{
			Name: "youtube", Args: []string{"=http://www.youtube.com/watch?v=abc&w=640"}, Raw: `[youtube=http://www.youtube.com/watch?v=abc&w=640]`}}},
		{"self-closing", `[audio src="a.mp3" /]`, []sc{{Name: "audio", Attrs: map[string]string{"src": "a.mp3"}, Self: true, Raw: `[audio src="a.mp3" /]`}}},
		{"enclosing", `[caption width="3"]<img src="a.jpg"/> Cap[/caption] after`, []sc{{
			Name: "caption", Attrs: map[string]string{"width": "3"}, Content: `<img src="a.jpg"/> Cap`, Enclosing: true,
			Raw: `[caption width="3"]<img src="a.jpg"/> Cap[/caption]`}}},
		{"escaped", `[[gallery]] and [[caption]x[/caption]]`, []sc{
			{Name: "gallery", Escaped: true, Raw: `[[gallery]]`},
			{Name: "caption", Content: "x", Enclosing: true, Escaped: true, Raw: `[[caption]x[/caption]]`}}},
		{"different tags nest", `[a][b]in[/b][/a]`, []sc{{Name: "a", Content: "[b]in[/b]", Enclosing: true, Raw: `[a][b]in[/b][/a]`}}},
		{"same tag does not nest", `[a]1[a]2[/a]3[/a]`, []sc{
			{Name: "a", Content: "1[a]2", Enclosing: true, Raw: `[a]1[a]2[/a]`}}},
		{"name boundary", `[gallery-x] [gallery_y] [galleryz]`, []sc{}},
		{"case of attribute names", `[x ID="1" Src=2]`, []sc{{Name: "x", Attrs: map[string]string{"id": "1", "src": "2"}, Raw: `[x ID="1" Src=2]`}}},
		{"no closing bracket", `[gallery ids="1"`, []sc{}},
		{"unclosed html in attribute", `[x title="a<b" ok="<b>c</b>"]`, []sc{{Name: "x", Attrs: map[string]string{"title": "", "ok": "<b>c</b>"}, Raw: `[x title="a<b" ok="<b>c</b>"]`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isTag := func(n string) bool {
				return n == "gallery" || n == "youtube" || n == "audio" || n == "caption" || n == "a" || n == "x"
			}
			got := []sc{}
			for _, s := range FindShortcodes(tt.in, isTag) {
				got = append(got, sc{s.Name, s.Attrs, s.Args, s.Content, s.Enclosing, s.SelfClosing, s.Escaped(), s.Raw})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseShortcodeAttrsSlashes(t *testing.T) {
	// As in WordPress, a backslash-escaped quote does not protect a
	// quoted value: the pieces become positional attributes.
	named, pos := ParseShortcodeAttrs(`title="a \"quoted\" word" path='C:\\dir' nbsp` + "\u00a0" + `x=1 t=a\tb`)
	want := map[string]string{"path": `C:\dir`, "x": "1", "t": "a\tb"}
	wantPos := []string{`title="a`, `"quoted"`, `word"`, "nbsp"}
	if !reflect.DeepEqual(named, want) || !reflect.DeepEqual(pos, wantPos) {
		t.Errorf("got %q %q", named, pos)
	}
}

func TestParseBlocks(t *testing.T) {
	in := "intro <!-- wp:paragraph {\"className\":\"x\\u002d\\u002dy\",\"t\":\"\\u003cb\\u003e\"} --><p>a</p><!-- /wp:paragraph -->\n" +
		"<!-- wp:columns --><div><!-- wp:column --><div>c</div><!-- /wp:column --></div><!-- /wp:columns -->" +
		"<!-- wp:latest-posts {\"postsToShow\":3} /--><!-- wp:jetpack/tiled-gallery --><x/><!-- /wp:jetpack/tiled-gallery -->" +
		"<!-- not a block --><!-- wp:Upper -->"
	blocks := ParseBlocks(in)
	var names []string
	for _, b := range blocks {
		names = append(names, b.Name)
	}
	want := []string{"", "core/paragraph", "", "core/columns", "core/latest-posts", "core/jetpack/tiled-gallery"}
	// "jetpack/" is a namespace: the name is jetpack/tiled-gallery.
	want[5] = "jetpack/tiled-gallery"
	want = append(want, "")
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("names %q, want %q", names, want)
	}
	if got := blocks[1].attr("className"); got != "x--y" {
		t.Errorf("className attr = %q (JSON \\u escapes must decode)", got)
	}
	if got := blocks[1].attr("t"); got != "<b>" {
		t.Errorf("t attr = %q", got)
	}
	if got := blocks[4].attr("postsToShow"); got != "3" {
		t.Errorf("postsToShow = %q", got)
	}
	cols := blocks[3]
	if len(cols.Inner) != 3 || cols.Inner[1].Block == nil || cols.Inner[1].Block.Name != "core/column" || cols.InnerHTML() != "<div></div>" {
		t.Errorf("columns inner = %+v", cols.Inner)
	}
	if blocks[6].InnerHTML() != "<!-- not a block --><!-- wp:Upper -->" {
		t.Errorf("freeform tail = %q", blocks[6].InnerHTML())
	}
}

func TestVideoIDs(t *testing.T) {
	yt := map[string]string{
		"https://www.youtube.com/watch?v=dQw4w9WgXcQ":              "dQw4w9WgXcQ",
		"http://youtube.com/watch?v=dQw4w9WgXcQ&amp;w=640&amp;h=1": "dQw4w9WgXcQ",
		"https://youtu.be/dQw4w9WgXcQ?t=4":                         "dQw4w9WgXcQ",
		"https://www.youtube.com/embed/dQw4w9WgXcQ":                "dQw4w9WgXcQ",
		"//www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0":       "dQw4w9WgXcQ",
		"https://www.youtube.com/shorts/dQw4w9WgXcQ":               "dQw4w9WgXcQ",
		"dQw4w9WgXcQ":                "dQw4w9WgXcQ",
		"https://example.com/?v=abc": "",
		"":                           "",
	}
	for in, want := range yt {
		if got, _ := youtubeID(in); got != want {
			t.Errorf("youtubeID(%q) = %q, want %q", in, got, want)
		}
	}
	vm := map[string]string{
		"76979871":                   "76979871",
		"https://vimeo.com/76979871": "76979871",
		"https://player.vimeo.com/video/76979871?h": "76979871",
		"https://vimeo.com/channels/staffpicks/123": "123",
		"https://example.com/76979871":              "",
	}
	for in, want := range vm {
		if got, _ := vimeoID(in); got != want {
			t.Errorf("vimeoID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWPTime(t *testing.T) {
	tests := []struct {
		local, gmt string
		want       string
		ok         bool
	}{
		{"2024-07-01 10:48:39", "2024-07-01 08:48:39", "2024-07-01T10:48:39+02:00", true},
		{"2024-01-01 00:30:00", "2023-12-31 19:00:00", "2024-01-01T00:30:00+05:30", true},
		{"2020-02-29 23:30:00", "2020-03-01 04:30:00", "2020-02-29T23:30:00-05:00", true},
		{"2024-03-02 11:12:13", "0000-00-00 00:00:00", "2024-03-02T11:12:13+01:00", true},
		{"0000-00-00 00:00:00", "0000-00-00 00:00:00", "", false},
		{"", "", "", false},
		{"garbage", "", "", false},
	}
	fallback := time.FixedZone("", 3600)
	for _, tt := range tests {
		got, ok := WPTime(tt.local, tt.gmt, fallback)
		if ok != tt.ok || (ok && got.Format(time.RFC3339) != tt.want) {
			t.Errorf("WPTime(%q, %q) = %v, %v; want %s, %v", tt.local, tt.gmt, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSafeSlug(t *testing.T) {
	tests := map[string]string{
		"%e4%b8%ad%e6%96%87":     "中文",
		"hello-world":            "hello-world",
		"..%2f..%2fetc%2fpasswd": "etc-passwd",
		"../../x":                "x",
		"..":                     "",
		"a%2fb":                  "a-b",
		"%ff%fe":                 "%ff%fe",
		" spaced. ":              "spaced",
		"tab%09here":             "tabhere",
		"":                       "",
	}
	for in, want := range tests {
		if got := SafeSlug(in); got != want {
			t.Errorf("SafeSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAliases(t *testing.T) {
	got := Aliases(AliasInput{
		Link: "https://example.com/2024/07/01/new-name/", ID: 12, Slug: "new-name",
		OldSlugs: []string{"old-name", "new-name", "", "../up", "%e6%97%a7"},
	})
	want := []string{"/2024/07/01/new-name/", "/?p=12", "/2024/07/01/old-name/", "/2024/07/01/旧/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dated: got %q, want %q", got, want)
	}
	got = Aliases(AliasInput{Link: "https://example.com/about/", ID: 2, Page: true, Slug: "about", Keep: "/about"})
	if want := []string{"/?p=2", "/?page_id=2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("page kept: got %q, want %q", got, want)
	}
	got = Aliases(AliasInput{Link: "https://example.com/?p=77", ID: 77, OldSlugs: []string{"draft-name"}})
	if want := []string{"/?p=77", "/draft-name/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("query link: got %q, want %q", got, want)
	}
}

// TestFrontMatterRoundTrip decodes the front matter again: every value
// comes back as the same string, whatever quoting it needed.
func TestFrontMatterRoundTrip(t *testing.T) {
	hard := []string{
		`"Quoted": colons, #hash & emoji 🎉 — 中文标题`, "yes", "No", "on", "null", "~", "123", "1:20", "0x1F", "1_000",
		"2024-07-01", "- dash", "? question", "@at", "`tick", "|pipe", "> gt", "%percent", "!bang", "*star", "&amp",
		"tab\there", "line\nbreak", "trailing space ", " leading", "'single'", `back\slash`, "😀😀", "\u202eRTL\u202c", ".inf", "-.5",
	}
	for _, flavor := range []string{Hugo, Jekyll} {
		for _, v := range hard {
			fm, err := FrontMatter(Fields{Title: v, Tags: []string{v}, Author: v, Draft: true, WPID: 5}, flavor)
			if err != nil {
				t.Fatal(err)
			}
			s := string(fm)
			if !strings.HasPrefix(s, "---\n") || !strings.HasSuffix(s, "---\n") {
				t.Fatalf("no delimiters: %q", s)
			}
			var m map[string]any
			if err := yaml.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(s, "---\n"), "---\n")), &m); err != nil {
				t.Fatalf("%s: %q does not parse: %v\n%s", flavor, v, err, s)
			}
			if m["title"] != v || m["author"] != v {
				t.Errorf("%s: title %q came back as %#v\n%s", flavor, v, m["title"], s)
			}
			if tags, _ := m["tags"].([]any); len(tags) != 1 || tags[0] != v {
				t.Errorf("%s: tag %q came back as %#v", flavor, v, m["tags"])
			}
			if yaml11Special(v) && !strings.Contains(s, `title: "`) {
				t.Errorf("%s: %q must be double-quoted for YAML 1.1 readers:\n%s", flavor, v, s)
			}
			if strings.Contains(v, "🎉") && !strings.Contains(s, "🎉") {
				t.Errorf("emoji escaped:\n%s", s)
			}
		}
	}
}

func TestFrontMatterKeys(t *testing.T) {
	f := Fields{
		Title: "T", Date: time.Date(2024, 7, 1, 10, 0, 0, 0, time.FixedZone("", 7200)), Slug: "s", Draft: true,
		Categories: []string{"c"}, Tags: []string{"t"}, Taxonomies: []Taxonomy{{"series", []string{"x"}}, {"tags", []string{"dup"}}},
		Author: "A", Summary: "S", Image: "i.jpg", WPID: 3, Lang: "de", Aliases: []string{"/old/"}, Permalink: "/p/", More: true,
	}
	keys := func(flavor string) []string {
		fm, err := FrontMatter(f, flavor)
		if err != nil {
			t.Fatal(err)
		}
		var node yaml.Node
		if err := yaml.Unmarshal([]byte(strings.Trim(string(fm), "-\n")), &node); err != nil {
			t.Fatal(err)
		}
		var ks []string
		for i := 0; i < len(node.Content[0].Content); i += 2 {
			ks = append(ks, node.Content[0].Content[i].Value)
		}
		return ks
	}
	if got, want := keys(Hugo), []string{"title", "date", "slug", "draft", "author", "categories", "tags", "series", "summary", "images", "lang", "wp_id", "aliases"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hugo keys %q, want %q", got, want)
	}
	if got, want := keys(Jekyll), []string{"title", "date", "slug", "published", "author", "categories", "tags", "series", "excerpt", "image", "lang", "wp_id", "permalink", "redirect_from", "excerpt_separator"}; !reflect.DeepEqual(got, want) {
		t.Errorf("jekyll keys %q, want %q", got, want)
	}
	if _, err := FrontMatter(f, "gatsby"); err == nil {
		t.Error("unknown flavor accepted")
	}
}

func TestFidelityFindsDifferences(t *testing.T) {
	wp := `<p>Hello <a href="https://a">world</a> <img src="x.jpg"></p>`
	tests := []struct {
		name, md string
		ok       bool
		what     string
	}{
		{"same", "Hello [world](https://a) ![](x.jpg)\n", true, ""},
		{"white space only", "Hello\n[world](https://a)\n\n![](x.jpg)\n", true, ""},
		{"lost link", "Hello world ![](x.jpg)\n", false, "links 1 → 0"},
		{"lost image", "Hello [world](https://a)\n", false, "images 1 → 0"},
		{"lost word", "[world](https://a) ![](x.jpg)\n", false, "text differs"},
		{"hugo figure", "Hello [world](https://a)\n\n{{< figure src=\"x.jpg\" >}}\n", true, ""},
		{"emphasis not parsed", "Hello [world](https://a) ![](x.jpg) **“x”**，\n", false, "text differs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Fidelity(wp, tt.md)
			if d.OK() != tt.ok || !strings.Contains(d.String(), tt.what) {
				t.Errorf("Fidelity = %q (ok %v), want ok %v and %q", d.String(), d.OK(), tt.ok, tt.what)
			}
		})
	}
	// Hugo's figure shortcode with a link and a Markdown caption.
	d := Fidelity(`<figure><a href="big.jpg"><img src="s.jpg"></a><figcaption>A <em>cap</em> "q"</figcaption></figure>`,
		`{{< figure src="s.jpg" link="big.jpg" caption="A *cap* \"q\"" >}}`+"\n")
	if !d.OK() {
		t.Errorf("figure: %s", d)
	}
}

func TestPlainText(t *testing.T) {
	tests := map[string]string{
		"A &amp; B":                         "A & B",
		"<p>An <em>excerpt</em>\n here</p>": "An excerpt here",
		"What&#8217;s new":                  "What’s new",
		"  plain  ":                         "plain",
		"a < b":                             "a < b",
	}
	for in, want := range tests {
		if got := PlainText(in); got != want {
			t.Errorf("PlainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHugoDelimitersInText(t *testing.T) {
	// In text, html-to-markdown writes "<" as "&lt;", which Hugo leaves
	// alone; "{{%" and code need the escape.
	in := "<p>Use {{< youtube id >}} in Hugo, or {{% notice %}}.</p><pre>{{< figure src=\"x\" >}}\na lone {{< here</pre>"
	md, rep := Convert(in, Options{Flavor: Hugo, Check: true})
	for _, want := range []string{"{{&lt; youtube id &gt;}}", "{{%/* notice */%}}", "{{\u200b< here", "{{</* figure src=\"x\" */>}}"} {
		if !strings.Contains(md, want) {
			t.Errorf("Hugo Markdown lacks %q:\n%s", want, md)
		}
	}
	if !rep.Fidelity.OK() {
		t.Errorf("fidelity: %s", rep.Fidelity)
	}
	md, _ = Convert(in, Options{Flavor: Jekyll})
	if !strings.HasPrefix(md, "{% raw %}\n") || !strings.HasSuffix(md, "{% endraw %}\n") || !strings.Contains(md, "{{< figure src=\"x\" >}}") {
		t.Errorf("Jekyll Markdown not wrapped in raw:\n%s", md)
	}
}

func TestRawHTMLKept(t *testing.T) {
	in := `<p>Look:</p><script src="https://gist.github.com/u/1.js"></script><style>p{color:red}</style>` +
		`<table><tr><td><ul><li>a</li><li>b</li></ul></td></tr></table>`
	md, rep := Convert(in, Options{Check: true})
	for _, want := range []string{`<script src="https://gist.github.com/u/1.js"></script>`, "<table><tbody><tr><td><ul><li>a</li><li>b</li></ul></td></tr></tbody></table>"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "color:red") {
		t.Errorf("style kept:\n%s", md)
	}
	if !rep.Fidelity.OK() {
		t.Errorf("fidelity: %s", rep.Fidelity)
	}
}
