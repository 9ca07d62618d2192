package markdown

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Diff is what Fidelity found different between the HTML WordPress shows
// and the HTML the Markdown renders to.
type Diff struct {
	TextDiffers bool   // the visible text differs
	Want, Have  string // the visible text around the first difference
	WantLinks   int    // links (<a href>) in the WordPress HTML
	HaveLinks   int    // links in the rendered Markdown
	WantImages  int    // images (<img src>) in the WordPress HTML
	HaveImages  int    // images in the rendered Markdown
}

// OK reports whether nothing differs.
func (d Diff) OK() bool {
	return !d.TextDiffers && d.WantLinks == d.HaveLinks && d.WantImages == d.HaveImages
}

// String describes the differences on one line; "" when OK.
func (d Diff) String() string {
	var parts []string
	if d.TextDiffers {
		parts = append(parts, fmt.Sprintf("text differs: want …%s… have …%s…", d.Want, d.Have))
	}
	if d.WantLinks != d.HaveLinks {
		parts = append(parts, fmt.Sprintf("links %d → %d", d.WantLinks, d.HaveLinks))
	}
	if d.WantImages != d.HaveImages {
		parts = append(parts, fmt.Sprintf("images %d → %d", d.WantImages, d.HaveImages))
	}
	return strings.Join(parts, "; ")
}

var (
	gmOnce sync.Once
	gm     goldmark.Markdown
)

func theGoldmark() goldmark.Markdown {
	gmOnce.Do(func() {
		gm = goldmark.New(
			goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Footnote),
			goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
		)
	})
	return gm
}

// RenderMarkdown renders Markdown written by Convert to HTML with goldmark
// (GFM tables, strikethrough, footnotes, raw HTML allowed), expanding the
// Hugo shortcodes Convert writes (figure, youtube, vimeo) the way Hugo's
// built-in ones do and dropping Jekyll's {% raw %} wrapper.
func RenderMarkdown(md string) (string, error) {
	md = expandHugoShortcodes(md)
	// Hugo prints its comment form of a shortcode literally.
	md = strings.ReplaceAll(md, "{{</*", "{{<")
	md = strings.ReplaceAll(md, "*/>}}", ">}}")
	md = strings.ReplaceAll(md, "{{%/*", "{{%")
	md = strings.ReplaceAll(md, "*/%}}", "%}}")
	md = strings.ReplaceAll(md, "{% raw %}\n", "")
	md = strings.ReplaceAll(md, "{% endraw %}\n", "")
	var buf bytes.Buffer
	if err := theGoldmark().Convert([]byte(md), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return buf.String(), nil
}

var reHugoShortcode = regexp.MustCompile(`\{\{<\s*(figure|youtube|vimeo)\s((?:[^>"]|"(?:[^"\\]|\\.)*")*?)\s*>\}\}`)
var reHugoParam = regexp.MustCompile(`([\w-]+)=("(?:[^"\\]|\\.)*"|\S+)|("(?:[^"\\]|\\.)*"|\S+)`)

func expandHugoShortcodes(md string) string {
	if !strings.Contains(md, "{{<") {
		return md
	}
	return reHugoShortcode.ReplaceAllStringFunc(md, func(m string) string {
		sub := reHugoShortcode.FindStringSubmatch(m)
		named := map[string]string{}
		var pos []string
		for _, p := range reHugoParam.FindAllStringSubmatch(sub[2], -1) {
			if p[1] != "" {
				named[p[1]] = unquoteHugo(p[2])
			} else {
				pos = append(pos, unquoteHugo(p[3]))
			}
		}
		switch sub[1] {
		case "youtube", "vimeo":
			id := named["id"]
			if id == "" && len(pos) > 0 {
				id = pos[0]
			}
			return `<iframe src="` + html.EscapeString(id) + `"></iframe>`
		}
		var b strings.Builder
		b.WriteString("<figure>")
		img := `<img src="` + html.EscapeString(named["src"]) + `" alt="` + html.EscapeString(named["alt"]) + `">`
		if l := named["link"]; l != "" {
			b.WriteString(`<a href="` + html.EscapeString(l) + `">` + img + `</a>`)
		} else {
			b.WriteString(img)
		}
		if c := named["caption"]; c != "" {
			var buf bytes.Buffer
			_ = theGoldmark().Convert([]byte(c), &buf)
			inner := strings.TrimSpace(buf.String())
			inner = strings.TrimSuffix(strings.TrimPrefix(inner, "<p>"), "</p>")
			b.WriteString("<figcaption>" + inner + "</figcaption>")
		}
		b.WriteString("</figure>")
		return b.String()
	})
}

func unquoteHugo(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return s
}

// Fidelity compares the HTML WordPress shows for a post (Render's output)
// with the Markdown written for it, rendered back to HTML by
// RenderMarkdown: the visible text (white space ignored, as block
// boundaries render differently; footnote back-link arrows ignored), the
// number of links and the number of images. Content of script, style,
// iframe, audio, video and object elements is not visible text.
func Fidelity(wpHTML, md string) Diff {
	var d Diff
	wantText, wl, wi := visible(wpHTML)
	d.WantLinks, d.WantImages = wl, wi
	got, err := RenderMarkdown(md)
	if err != nil {
		d.TextDiffers = true
		d.Have = err.Error()
		return d
	}
	haveText, hl, hi := visible(got)
	d.HaveLinks, d.HaveImages = hl, hi
	if wantText != haveText {
		d.TextDiffers = true
		d.Want, d.Have = around(wantText, haveText)
	}
	return d
}

// visible returns the visible text of an HTML fragment without white
// space, and its numbers of links and images.
func visible(h string) (string, int, int) {
	body := &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := nethtml.ParseFragment(strings.NewReader(h), body)
	if err != nil {
		return "", 0, 0
	}
	var b strings.Builder
	links, images := 0, 0
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.TextNode:
			for _, r := range n.Data {
				if unicode.IsSpace(r) || r == '\u21a9' || r == '\ufe0e' || r == '\ufe0f' || r == '\u200b' {
					continue
				}
				b.WriteRune(r)
			}
			return
		case nethtml.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Iframe, atom.Audio, atom.Video, atom.Object, atom.Embed, atom.Noscript, atom.Template, atom.Head:
				return
			case atom.A:
				if attr(n, "href") != "" {
					links++
				}
			case atom.Img:
				if attr(n, "src") != "" {
					images++
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String(), links, images
}

// around returns excerpts of a and b starting a little before their first
// difference.
func around(a, b string) (string, string) {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	start := i - 30
	if start < 0 {
		start = 0
	}
	for start > 0 && !utf8.RuneStart(a[start]) {
		start--
	}
	cut := func(s string) string {
		if start >= len(s) {
			return ""
		}
		e := start + 80
		if e > len(s) {
			e = len(s)
		}
		for e < len(s) && !utf8.RuneStart(s[e]) {
			e++
		}
		return s[start:e]
	}
	return cut(a), cut(b)
}
