// Package markdown turns the content of one WordPress post into Markdown
// that Hugo or Jekyll builds, with its front matter. It is pure: no SQL, no
// files; the export command feeds it what the archive holds.
//
// Conversion runs in two stages. Render does what WordPress does when it
// shows a post, as far as that can be known offline: wpautop and
// shortcode_unautop for classic content (Wpautop, ShortcodeUnautop), the
// blocks of block-editor content (ParseBlocks), and the shortcodes it knows
// (FindShortcodes) turned into HTML. Convert then turns that HTML into
// Markdown with github.com/JohannesKaufmann/html-to-markdown/v2, adding the
// WordPress-specific parts: the flavor's shortcodes for figures and videos,
// footnotes, the summary divider, and raw HTML where a lang attribute
// marks a passage in another language. Fidelity checks the result against
// the rendered HTML.
//
// The Markdown holds raw HTML where Markdown has no equivalent: passages
// with a lang attribute, audio, video and iframes (Jekyll), scripts of
// embeds, tables with block content, <pre> with links. Hugo drops raw HTML
// unless the site sets markup.goldmark.renderer.unsafe = true; kramdown
// (Jekyll) keeps it.
package markdown

import (
	"fmt"
	"sort"
	"strings"
)

// The flavors Convert and FrontMatter write.
const (
	Hugo   = "hugo"
	Jekyll = "jekyll"
)

// Attachment is what a gallery needs to know about one attachment post.
type Attachment struct {
	URL     string // the file (wp:attachment_url)
	Alt     string // _wp_attachment_image_alt
	Caption string // the attachment's excerpt, HTML
	Title   string
}

// Options controls Convert and Render.
type Options struct {
	// Flavor is Hugo or Jekyll; "" means Hugo.
	Flavor string
	// Classic forces classic-editor treatment (wpautop). When false the
	// editor is detected: content without block delimiters is classic,
	// as WordPress decides.
	Classic bool
	// Footnotes is the post's footnotes meta value (block-editor JSON).
	Footnotes string
	// Attachments resolves an attachment post id for [gallery]; nil leaves
	// galleries verbatim.
	Attachments func(id int) (Attachment, bool)
	// Attached lists the ids of the attachments whose parent is this post,
	// in menu order: what [gallery] without ids shows.
	Attached []int
	// ReusableBlock returns the content of a wp_block post for
	// <!-- wp:block {"ref":id} /-->; nil leaves such blocks empty.
	ReusableBlock func(id int) (string, bool)
	// Check runs Fidelity on the result and stores it in Report.Fidelity.
	Check bool
}

// Report says what Convert did with one post.
type Report struct {
	Classic       bool           // content was treated as classic (wpautop'd)
	Shortcodes    map[string]int // shortcodes converted, by name
	Unknown       map[string]int // shortcodes kept verbatim, by name
	Blocks        map[string]int // blocks converted, by name
	UnknownBlocks map[string]int // blocks kept as their inner HTML (dynamic ones render nothing)
	More          bool           // the content has a <!--more--> summary divider
	Problems      []string       // things that could not be converted
	Fidelity      *Diff          // set when Options.Check is set
}

// count adds one to name's count in *m. A new name is copied: the names
// are slices of the content being converted, and as map keys they kept
// each post's whole converted text alive until the export's summary
// (TestReportsDoNotHoldContent; the 20,000-post archive's export peaked
// at 323-332 MB before, 255-275 MB after, builds of b9e6c08 and its
// parent).
func (r *Report) count(m *map[string]int, name string) {
	if *m == nil {
		*m = map[string]int{}
	}
	if n, ok := (*m)[name]; ok {
		(*m)[name] = n + 1
		return
	}
	(*m)[strings.Clone(name)] = 1
}

func (r *Report) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// String summarises the report on one line.
func (r Report) String() string {
	var parts []string
	add := func(label string, m map[string]int) {
		if len(m) == 0 {
			return
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var kv []string
		for _, k := range keys {
			kv = append(kv, fmt.Sprintf("%s×%d", k, m[k]))
		}
		parts = append(parts, label+" "+strings.Join(kv, " "))
	}
	if r.Classic {
		parts = append(parts, "classic")
	} else {
		parts = append(parts, "blocks")
	}
	add("shortcodes", r.Shortcodes)
	add("unknown shortcodes", r.Unknown)
	add("blocks", r.Blocks)
	add("unknown blocks", r.UnknownBlocks)
	if len(r.Problems) > 0 {
		parts = append(parts, fmt.Sprintf("%d problems", len(r.Problems)))
	}
	if r.Fidelity != nil && !r.Fidelity.OK() {
		parts = append(parts, "fidelity: "+r.Fidelity.String())
	}
	return strings.Join(parts, "; ")
}

// Convert returns the Markdown body of a post whose content (post_content,
// as exported) is content, and a report of what it converted, kept and
// could not convert. It never fails: what it cannot convert stays as
// HTML or verbatim text and is listed in the report. The Markdown ends in
// one newline; empty content gives "".
func Convert(content string, opt Options) (string, Report) {
	return convert(content, opt, true)
}

// convert is Convert, with or without the fast path of toMarkdown.
func convert(content string, opt Options, fast bool) (string, Report) {
	var rep Report
	flavor := opt.Flavor
	if flavor == "" {
		flavor = Hugo
	}
	h := newState(opt, &rep).render(content)
	md := toMarkdown(h, flavor, &rep, fast)
	if flavor == Hugo {
		md = escapeHugo(md)
	} else if strings.Contains(md, hugoOpen) {
		md = strings.ReplaceAll(md, hugoOpen, "{{<")
	}
	if flavor == Jekyll {
		md = EscapeKramdown(md)
	}
	if flavor == Jekyll && (strings.Contains(md, "{{") || strings.Contains(md, "{%")) {
		// Liquid would read these as tags and break the build.
		md = "{% raw %}\n" + md + "{% endraw %}\n"
	}
	if opt.Check {
		d := Fidelity(h, md)
		rep.Fidelity = &d
	}
	return md, rep
}
