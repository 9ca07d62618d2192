package markdown

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/internal/corpus"
	"github.com/wparchive/wparchive/internal/kramdowntest"
	nethtml "golang.org/x/net/html"
)

// structure counts the elements of rendered HTML whose number tells how
// the Markdown was read: tables, lists and their items, headings, quotes,
// code blocks, rules, and the elements only kramdown makes (abbreviations,
// math, footnote lists).
func structure(h string) map[string]int {
	counts := map[string]int{}
	footnotes := false // the last tag opened the footnotes
	z := nethtml.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			break
		}
		if tt != nethtml.StartTagToken && tt != nethtml.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		n := string(name)
		if n == "hr" && footnotes {
			continue // goldmark draws a rule above the footnotes, kramdown does not
		}
		footnotes = false
		switch n {
		case "table", "ul", "ol", "dl", "li", "dt", "dd", "blockquote", "pre", "hr", "abbr":
			counts[n]++
		case "h1", "h2", "h3", "h4", "h5", "h6":
			counts["h"]++
		}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if string(k) == "class" && (string(v) == "kdmath" || string(v) == "footnotes") {
				counts[string(v)]++
				footnotes = string(v) == "footnotes"
			}
		}
	}
	return counts
}

// kramdownDiff compares kramdown's HTML for md with goldmark's (the
// visible text, links and images as Fidelity compares them, and the
// structure counts) and returns the differences, "" when none.
func kramdownDiff(kramdownHTML, md string) string {
	var parts []string
	d := Fidelity(kramdownHTML, md)
	if !d.OK() {
		parts = append(parts, strings.NewReplacer("want", "kramdown", "have", "goldmark").Replace(d.String()))
	}
	gh, err := RenderMarkdown(md)
	if err != nil {
		return err.Error()
	}
	parts = append(parts, kramdowntest.CountDiffs(structure(kramdownHTML), structure(gh))...)
	return strings.Join(parts, "; ")
}

// kramdownCase is one converted document of the differential test.
type kramdownCase struct {
	name, md string
}

// kramdownCases converts the golden inputs, the seed, the hard cases and,
// when it is there, every item of the public corpus with the Jekyll
// flavor.
func kramdownCases(t *testing.T) []kramdownCase {
	t.Helper()
	var cases []kramdownCase
	root := filepath.Join("..", "..", "testdata")
	dirs, err := filepath.Glob(filepath.Join(root, "markdown", "*", "input.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range dirs {
		dir := filepath.Dir(in)
		input, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		var meta goldenMeta
		if b, err := os.ReadFile(filepath.Join(dir, "meta.json")); err == nil {
			if err := json.Unmarshal(b, &meta); err != nil {
				t.Fatalf("%s: %v", dir, err)
			}
		}
		opt := Options{Flavor: Jekyll, Classic: meta.Classic, Footnotes: meta.Footnotes, Attached: meta.Attached}
		if meta.Attachments != nil {
			opt.Attachments = func(id int) (Attachment, bool) {
				a, ok := meta.Attachments[strconv.Itoa(id)]
				return a, ok
			}
		}
		md, _ := Convert(string(input), opt)
		cases = append(cases, kramdownCase{"testdata/markdown/" + filepath.Base(dir), md})
	}
	files := []string{filepath.Join(root, "seed", "central-asia.xml"), filepath.Join(root, "export", "hard-cases.xml")}
	if dir := corpus.Dir(); dir != "" {
		public, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
		files = append(files, public...)
	} else {
		t.Log("the public corpus is not there: only the golden inputs, the seed and the hard cases are checked")
	}
	for _, file := range files {
		items, err := readCorpusItems(file)
		if err != nil {
			t.Logf("%s: read stopped: %v (%d items kept)", filepath.Base(file), err, len(items))
		}
		cases = append(cases, convertItems(filepath.Base(file), items)...)
	}
	return cases
}

// convertItems converts the posts, pages and other content items of one
// export with the Jekyll flavor, as the export command does.
func convertItems(file string, items []corpusItem) []kramdownCase {
	attachments := map[int]Attachment{}
	children := map[int][]int{}
	for _, it := range items {
		if it.Type != "attachment" {
			continue
		}
		id, _ := strconv.Atoi(strings.TrimSpace(it.ID))
		attachments[id] = Attachment{URL: strings.TrimSpace(it.AttachmentURL), Alt: it.meta("_wp_attachment_image_alt"), Caption: it.Excerpt, Title: it.Title}
		if parent, _ := strconv.Atoi(strings.TrimSpace(it.Parent)); parent > 0 {
			children[parent] = append(children[parent], id)
		}
	}
	var cases []kramdownCase
	for i, it := range items {
		if it.Type == "attachment" || it.Type == "nav_menu_item" || strings.TrimSpace(it.Content) == "" {
			continue
		}
		id, _ := strconv.Atoi(strings.TrimSpace(it.ID))
		md, _ := Convert(it.Content, Options{
			Flavor:    Jekyll,
			Footnotes: it.meta("footnotes"),
			Attached:  children[id],
			Attachments: func(id int) (Attachment, bool) {
				a, ok := attachments[id]
				return a, ok
			},
		})
		cases = append(cases, kramdownCase{fmt.Sprintf("%s item %d (%s %s %q)", file, i, it.Type, it.ID, it.Title), md})
	}
	return cases
}

// TestKramdownDifferential renders the Jekyll Markdown of every document
// kramdownCases gathers with kramdown (in one Ruby process) and with
// goldmark, and compares what the reader sees.
func TestKramdownDifferential(t *testing.T) {
	cases := kramdownCases(t)
	docs := make([]string, len(cases))
	for i, c := range cases {
		docs[i] = kramdowntest.JekyllInput(c.md)
	}
	out := kramdowntest.Render(t, docs)
	bad := 0
	for i, c := range cases {
		if d := kramdownDiff(out[i], c.md); d != "" {
			bad++
			t.Errorf("%s: %s", c.name, d)
		}
	}
	t.Logf("%d documents, %d read differently by kramdown", len(cases), bad)
}

// kramdownEscapes are Markdown texts as the converter could write them
// and what EscapeKramdown makes of them; an input that changes is one
// that kramdown reads differently from goldmark.
var kramdownEscapes = []struct{ name, in, want string }{
	{"definition after a line break", "Term  \n: definition\n", "Term  \n\\: definition\n"},
	{"definition after a paragraph", "Term\n\n: definition\n", "Term\n\n\\: definition\n"},
	{"definition in a quote", "> Term\n> : definition\n", "> Term\n> \\: definition\n"},
	{"definition in a list item", "- Term  \n  : definition\n", "- Term  \n  \\: definition\n"},
	{"colon without a space", "Term\n:-)\n", "Term\n:-)\n"},
	{"colon inside a line", "Note: this\n", "Note: this\n"},
	{"pipe", "a | b\n", "a \\| b\n"},
	{"pipes in every line", "a | b  \nc | d\n", "a \\| b  \nc \\| d\n"},
	{"pipe in a list item", "- a | b\n- c\n", "- a \\| b\n- c\n"},
	{"pipe in link text", "[a|b](https://example.com/)\n", "[a\\|b](https://example.com/)\n"},
	{"pipe in an image's alt", "![a|b](https://example.com/a.png)\n", "![a\\|b](https://example.com/a.png)\n"},
	{"pipe escaped already", "a \\| b\n", "a \\| b\n"},
	{"pipe after an escaped backslash", "x \\\\| y | z\n", "x \\\\\\| y \\| z\n"},
	{"pipe in code", "`a | b`\n", "`a | b`\n"},
	{"pipe in a code block", "```\na | b\n```\n", "```\na | b\n```\n"},
	{"pipe in raw HTML", "<div title=\"a|b\">x</div>\n", "<div title=\"a|b\">x</div>\n"},
	{"table", "| a | b |\n|---|---|\n| 1 | c\\|d |\n", "| a | b |\n|---|---|\n| 1 | c\\|d |\n"},
	{"table without body", "| a | b\\|c |\n|---|---|\n", "<table><thead><tr><th>a</th><th>b|c</th></tr></thead></table>\n"},
	{"table without body in a quote", "x\n\n> | *a* | b |\n> |---|---|\n>\n> y\n", "x\n\n> <table><thead><tr><th><em>a</em></th><th>b</th></tr></thead></table>\n>\n> y\n"},
	{"table row of dashes", "| a | b |\n|---|---|\n| - | : |\n| 1 | 2 |\n", "| a | b |\n|---|---|\n| \\- | : |\n| 1 | 2 |\n"},
	{"table row of equals signs", "| a | b |\n|---|---|\n| = | + |\n| 1 | 2 |\n", "| a | b |\n|---|---|\n| \\= | + |\n| 1 | 2 |\n"},
	{"table header of dashes", "| - | - |\n|---|---|\n| 1 | 2 |\n", "| \\- | - |\n|---|---|\n| 1 | 2 |\n"},
	{"escaped backtick before code with a pipe", "@\\``c|d`\n", "@&#96;`c|d`\n"},
	{"escaped backtick without a pipe", "@\\``c`\n", "@\\``c`\n"},
	{"star after emphasis", "*Note**\n", "*Note*\\*\n"},
	{"star before emphasis", "**Note*\n", "**Note*\n"},
	{"underscore after emphasis", "_Note__ x\n", "_Note_\\_ x\n"},
	{"star after emphasis, text after", "*a** b\n", "*a*\\* b\n"},
	{"mixed underline", "Title  \n-=\n", "Title  \n\\-=\n"},
	{"inline math", "costs $$5$$ or $$6\n", "costs \\$\\$5\\$\\$ or \\$\\$6\n"},
	{"block math", "$$\nE=mc^2\n$$\n", "\\$\\$\nE=mc^2\n\\$\\$\n"},
	{"one dollar", "costs $5 or $6\n", "costs $5 or $6\n"},
	{"attribute list", "{: .klass}\npara\n", "\\{: .klass}\npara\n"},
	{"span attribute list", "*a*{: .klass} b\n", "*a*\\{: .klass} b\n"},
	{"extension", "a {::comment}x{:/} b\n", "a \\{::comment}x\\{:/} b\n"},
	{"heading id", "# Title {#id}\n", "# Title \\{#id}\n"},
	{"braces in a paragraph", "x {#id}\n", "x {#id}\n"},
	{"end of block", "line  \n^  \nafter\n", "line  \n&#94;  \nafter\n"},
	{"caret in a line", "x^2\n", "x^2\n"},
	{"abbreviation", "*[HTML]: Hyper Text\n\nHTML\n", "\\*[HTML]: Hyper Text\n\nHTML\n"},
	{"guillemets", "a &lt;&lt; b << c >> d\n", "a &lt;&lt; b \\<\\< c \\>\\> d\n"},
	{"numbered line", "para  \n2019. was\n", "para  \n2019\\. was\n"},
	{"escaped backslash at a line's end", "x\\\\\ny\n", "x&#92;\ny\n"},
	{"hard break", "x\\\ny\n", "x\\\ny\n"},
	{"footnote", "a[^1]\n\n[^1]: note | x\n", "a[^1]\n\n[^1]: note \\| x\n"},
	{"nothing", "Plain *text* and [a link](https://example.com/?a=1).\n", "Plain *text* and [a link](https://example.com/?a=1).\n"},
}

// TestEscapeKramdown checks each case: the escaped text, that goldmark
// reads it as it reads the input, that escaping again changes nothing,
// and (with Ruby) that kramdown reads the result as goldmark does and
// reads the changed inputs differently.
func TestEscapeKramdown(t *testing.T) {
	var docs []string
	for _, tc := range kramdownEscapes {
		got := EscapeKramdown(tc.in)
		if got != tc.want {
			t.Errorf("%s: EscapeKramdown(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
		if again := EscapeKramdown(got); again != got {
			t.Errorf("%s: escaping twice gives %q, once %q", tc.name, again, got)
		}
		if a, b := goldmarkShape(t, tc.in), goldmarkShape(t, got); a != b {
			t.Errorf("%s: goldmark reads the escaped text differently:\n in: %s\nout: %s", tc.name, a, b)
		}
		docs = append(docs, tc.in, got)
	}
	out := kramdowntest.Render(t, docs)
	for i, tc := range kramdownEscapes {
		if d := kramdownDiff(out[2*i+1], docs[2*i+1]); d != "" {
			t.Errorf("%s: kramdown reads %q differently: %s", tc.name, docs[2*i+1], d)
		}
		if d := kramdownDiff(out[2*i], tc.in); tc.in != tc.want && d == "" {
			t.Errorf("%s: kramdown reads the input %q as goldmark does: nothing to escape", tc.name, tc.in)
		}
	}
}

// goldmarkShape is goldmark's HTML for md with the newlines between tags
// dropped (EscapeKramdown writes a table on one line).
func goldmarkShape(t *testing.T, md string) string {
	t.Helper()
	h, err := RenderMarkdown(md)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(h, ">\n<", "><")
}

func TestKramdownRisk(t *testing.T) {
	for _, tc := range kramdownEscapes {
		if tc.in != tc.want && !kramdownRisk(tc.in) {
			t.Errorf("%s: kramdownRisk(%q) = false, but EscapeKramdown changes it", tc.name, tc.in)
		}
	}
	for _, s := range []string{"", "Plain text.\n", "- a list\n- of items\n", "> a quote: with a colon\n", "# Heading\n\nText, *em* and `code`.\n"} {
		if kramdownRisk(s) {
			t.Errorf("kramdownRisk(%q) = true", s)
		}
	}
}

// FuzzEscapeKramdown: goldmark reads the escaped text as the input, and
// escaping is idempotent.
func FuzzEscapeKramdown(f *testing.F) {
	for _, tc := range kramdownEscapes {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, md string) {
		got := EscapeKramdown(md)
		if again := EscapeKramdown(got); again != got {
			t.Fatalf("escaping twice gives %q, once %q", again, got)
		}
		if a, b := goldmarkShape(t, md), goldmarkShape(t, got); a != b {
			t.Fatalf("goldmark reads %q (escaped: %q) differently:\n in: %s\nout: %s", md, got, a, b)
		}
	})
}

// BenchmarkEscapeKramdown escapes the Jekyll Markdown of the typical post
// (nothing to escape: the quick scan) and of the kramdown-syntax golden
// case (parsed and escaped).
func BenchmarkEscapeKramdown(b *testing.B) {
	typical, _ := Convert(typicalClassicPost(), Options{Flavor: Jekyll})
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "markdown", "kramdown-syntax", "want.hugo.md"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, md string }{{"typical", typical}, {"syntax", string(raw)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.md)))
			for b.Loop() {
				EscapeKramdown(c.md)
			}
		})
	}
}

// generatedDocs returns n WordPress documents built from a fixed seed:
// paragraphs, lists, quotes, headings and tables whose text mixes what
// kramdown reads as syntax with line breaks, emphasis, code and links.
func generatedDocs(n int) []string {
	r := rand.New(rand.NewPCG(3, 4))
	atoms := []string{"a", "b", " ", " ", ":", ": ", "|", "$", "$$", "{", "}", "{:", "#", "^", "*", "[", "]", "(", ")", "!",
		"&lt;", "&gt;", "&lt;&lt;", "-", "--", "+", "=", "_", "~", "`", "\\", "1.", "2019. ", "&amp;", "\"", "'", ".",
		"<br />", "<br />: ", "<br />|", "<br />^", "<br />2019. ", "<br />-", "<br />+ ", "<br />*[A]: x", "<em>a</em>",
		"<strong>x</strong>", "<code>c|d</code>", "<a href=\"https://example.com/x\">l</a>", "[^1]", "*[A]: ", "{#id}", "x^2"}
	inline := func() string {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(atoms[r.IntN(len(atoms))])
		}
		return b.String()
	}
	var block func(depth int) string
	block = func(depth int) string {
		k := r.IntN(7)
		if depth > 2 {
			k = 0
		}
		switch k {
		case 1:
			return "<blockquote>" + block(depth+1) + block(depth+1) + "</blockquote>"
		case 2:
			return "<ul><li>" + inline() + "</li><li>" + block(depth+1) + "</li></ul>"
		case 3:
			return "<ol><li>" + inline() + "</li><li>" + inline() + "</li></ol>"
		case 4:
			return "<h2>" + inline() + "</h2>"
		case 5:
			var b strings.Builder
			b.WriteString("<table>")
			for range 1 + r.IntN(3) {
				b.WriteString("<tr><td>" + inline() + "</td><td>" + inline() + "</td></tr>")
			}
			return b.String() + "</table>"
		}
		return "<p>" + inline() + "</p>"
	}
	docs := make([]string, n)
	for i := range docs {
		docs[i] = block(0) + "\n" + block(0) + "\n" + block(0)
	}
	return docs
}

// TestKramdownGenerated converts generatedDocs with the Jekyll flavor and
// renders them with kramdown and goldmark: where goldmark shows what
// WordPress shows (Fidelity), kramdown must show the same. Where goldmark
// does not, the converter's Markdown is wrong for both and is only
// counted.
func TestKramdownGenerated(t *testing.T) {
	ins := generatedDocs(1500)
	mds := make([]string, len(ins))
	docs := make([]string, len(ins))
	for i, in := range ins {
		mds[i], _ = Convert(in, Options{Flavor: Jekyll, Classic: true})
		docs[i] = kramdowntest.JekyllInput(mds[i])
	}
	out := kramdowntest.Render(t, docs)
	bad, converter := 0, 0
	for i := range ins {
		d := kramdownDiff(out[i], mds[i])
		if d == "" {
			continue
		}
		if f := Fidelity(Render(ins[i], Options{Classic: true}), mds[i]); !f.OK() {
			converter++
			continue
		}
		bad++
		t.Errorf("kramdown reads the Markdown differently: %s\nhtml: %q\n  md: %q", d, ins[i], mds[i])
	}
	t.Logf("%d documents: %d read differently by kramdown; %d more where goldmark differs from WordPress too", len(ins), bad, converter)
}
