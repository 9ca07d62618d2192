package export

import (
	"bytes"
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/internal/kramdowntest"
	"go.yaml.in/yaml/v3"
	nethtml "golang.org/x/net/html"
)

// elementCounts counts the elements whose number tells how Markdown was
// read (tables, lists, items, headings, quotes, code blocks, and what only
// kramdown makes: abbreviations, math).
func elementCounts(h string) map[string]int {
	counts := map[string]int{}
	z := nethtml.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			return counts
		}
		if tt != nethtml.StartTagToken && tt != nethtml.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		switch n := string(name); n {
		case "table", "ul", "ol", "dl", "li", "dt", "dd", "blockquote", "pre", "hr", "abbr":
			counts[n]++
		case "h1", "h2", "h3", "h4", "h5", "h6":
			counts["h"]++
		}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if string(k) == "class" && string(v) == "kdmath" {
				counts["kdmath"]++
			}
		}
	}
}

// kramdownDiffers compares kramdown's HTML for md with goldmark's: the
// visible text, links and images as markdown.Fidelity compares them, and
// the element counts. It returns "" when they agree.
func kramdownDiffers(kramdownHTML, md string) string {
	var parts []string
	if d := markdown.Fidelity(kramdownHTML, md); !d.OK() {
		parts = append(parts, strings.NewReplacer("want", "kramdown", "have", "goldmark").Replace(d.String()))
	}
	gh, err := markdown.RenderMarkdown(md)
	if err != nil {
		return err.Error()
	}
	parts = append(parts, kramdowntest.CountDiffs(elementCounts(kramdownHTML), elementCounts(gh))...)
	return strings.Join(parts, "; ")
}

// testdataComments returns the comment texts of WXR files of testdata.
func testdataComments(t *testing.T, files ...string) []string {
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(raw))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "comment_content" {
				var s string
				if d.DecodeElement(&s, &se) == nil {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// kramdownComments are comments with markup, which take the converter's
// path (markdown.Convert), holding text kramdown reads as its own syntax.
var kramdownComments = []string{
	"<em>Term</em>\n: a definition",
	"<em>x</em> | y\nz | w",
	"<b>cost</b>: $$5$$ or $$6$$",
	"<i>see</i>\n{: .klass}\nthis",
	"<b>line</b>\n^\nafter",
	"<strong>Note</strong> *[HTML]: Hyper Text\n\n*[HTML]: Hyper Text\n\nHTML",
	"<em>a</em> &lt;&lt; b &gt;&gt; and << c >>",
	"<b>2019</b>\n2020. was a year",
	"<a href=\"https://example.com/\">a | b</a>",
	"<table><tr><td>one | row</td><td>only</td></tr></table>",
}

// TestCommentsKramdown renders every comment of the test exports, the
// plain-text cases, kramdownComments and the public corpus as Jekyll gets it, with kramdown
// and with goldmark, and compares what the reader sees: the content of the
// data file (Data, rendered by markdownify) and the inline section
// (Inline), at depth 0 and as a reply two levels deep.
func TestCommentsKramdown(t *testing.T) {
	texts := append([]string{}, plainCases...)
	texts = append(texts, kramdownComments...)
	texts = append(texts, testdataComments(t, seedFile, threadsFile, coreHard)...)
	fromCorpus := commentContents(t)
	if fromCorpus == nil {
		t.Log("the public corpus is not there: only the test exports' comments are checked")
	}
	texts = append(texts, fromCorpus...)

	type doc struct{ kind, text, md string }
	var docs []doc
	for _, s := range texts {
		md := commentMarkdown(s)
		if md == "" {
			continue
		}
		th := &Thread{Comments: []Comment{{ID: 1, Type: "comment", Author: "A reader", Date: "2020-01-02T03:04:05Z", Content: md}}}
		data, err := th.Data(markdown.Jekyll)
		if err != nil {
			t.Fatal(err)
		}
		var back Thread
		if err := yaml.Unmarshal(data, &back); err != nil || len(back.Comments) != 1 {
			t.Fatalf("data file does not decode: %v\n%s", err, data)
		}
		docs = append(docs, doc{"data", s, back.Comments[0].Content})
		docs = append(docs, doc{"inline", s, th.Inline(markdown.Jekyll)})
		reply := &Thread{Comments: []Comment{th.Comments[0], th.Comments[0], th.Comments[0]}}
		reply.Comments[1].Depth, reply.Comments[2].Depth = 1, 2
		docs = append(docs, doc{"inline reply", s, reply.Inline(markdown.Jekyll)})
	}
	mds := make([]string, len(docs))
	for i, d := range docs {
		mds[i] = d.md
	}
	in := make([]string, len(mds))
	for i, md := range mds {
		in[i] = kramdowntest.JekyllInput(md)
	}
	out := kramdowntest.Render(t, in)
	bad := map[string]int{}
	for i, d := range docs {
		if diff := kramdownDiffers(out[i], d.md); diff != "" {
			bad[d.kind]++
			t.Errorf("%s: kramdown reads the comment differently: %s\n text: %q\n   md: %q", d.kind, diff, d.text, d.md)
		}
	}
	t.Logf("%d comments (%d from the corpus): kramdown reads differently %d data files, %d inline sections, %d inline replies",
		len(docs)/3, len(fromCorpus), bad["data"], bad["inline"], bad["inline reply"])
}

// TestDataInlineKramdown: the Jekyll data file and inline section escape
// a comment's Markdown for kramdown (here one that was not converted by
// this package), Hugo's do not, and the thread itself is left as it was.
func TestDataInlineKramdown(t *testing.T) {
	const md = "Term\n: a | b"
	const escaped = "Term\n\\: a \\| b"
	th := &Thread{
		Comments: []Comment{{ID: 1, Type: "comment", Author: "A", Content: "fine"}, {ID: 2, Type: "comment", Author: "B", Content: md}},
		Pings:    []Comment{{ID: 3, Type: "pingback", Author: "C", Content: md}},
	}
	for _, flavor := range []string{markdown.Jekyll, markdown.Hugo} {
		data, err := th.Data(flavor)
		if err != nil {
			t.Fatal(err)
		}
		var back Thread
		if err := yaml.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		want := md
		if flavor == markdown.Jekyll {
			want = escaped
		}
		if back.Comments[0].Content != "fine" || back.Comments[1].Content != want || back.Pings[0].Content != want {
			t.Errorf("%s data file: contents %q, %q, %q; want %q", flavor, back.Comments[0].Content, back.Comments[1].Content, back.Pings[0].Content, want)
		}
		if in := th.Inline(flavor); !strings.Contains(in, want) {
			t.Errorf("%s inline section lacks %q:\n%s", flavor, want, in)
		}
	}
	if th.Comments[1].Content != md || th.Pings[0].Content != md {
		t.Errorf("Data changed the thread: %q, %q", th.Comments[1].Content, th.Pings[0].Content)
	}
}
