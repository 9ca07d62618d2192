package markdown

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// HasBlocks reports whether content holds block-editor delimiters
// (<!-- wp:name -->), like WordPress's has_blocks().
func HasBlocks(content string) bool {
	return strings.Contains(content, "<!-- wp:")
}

// Render returns the HTML WordPress shows for content, as far as it can be
// known without the site: the_content's shortcode embeds, wpautop and
// shortcode_unautop for classic content, the blocks rendered for block
// content, then the shortcodes this package knows turned into HTML (caption
// and gallery as figures, YouTube and Vimeo as players, audio and video as
// media elements, code as <pre><code>). Text filters that only change
// typography (wptexturize, convert_smilies) are not applied. This is the
// reference the Markdown is checked against (see Fidelity); unknown
// shortcodes stay as text and dynamic blocks render as nothing.
func Render(content string, opt Options) string {
	var rep Report
	return newState(opt, &rep).render(content)
}

type state struct {
	opt   Options
	rep   *Report
	depth int
}

func newState(opt Options, rep *Report) *state {
	return &state{opt: opt, rep: rep}
}

func (st *state) render(content string) string {
	classic := st.opt.Classic || !HasBlocks(content)
	st.rep.Classic = classic
	s := content
	if classic {
		s = st.codeShortcodes(s)
		s = st.embedShortcodes(s)
		s = autoembed(s, st.rep)
		s = Wpautop(s)
		s = ShortcodeUnautop(s, isRegistered)
	} else {
		s = st.renderBlocks(s)
		s = st.codeShortcodes(s)
		s = st.embedShortcodes(s)
		s = autoembed(s, st.rep)
		// the_content keeps shortcode_unautop for block content (the
		// shortcode block is wpautop'd).
		s = ShortcodeUnautop(s, isRegistered)
	}
	return st.doShortcodes(s)
}

// Shortcode names this package converts.
var convertedShortcodes = map[string]bool{
	"caption": true, "wp_caption": true, "gallery": true, "embed": true,
	"youtube": true, "vimeo": true, "audio": true, "video": true,
}

// Shortcode names of the SyntaxHighlighter family: [code], [sourcecode] and
// one shortcode per language. The value is the implied language.
var codeShortcodes = map[string]string{
	"code": "", "sourcecode": "",
	"as3": "actionscript3", "actionscript3": "actionscript3", "bash": "bash", "shell": "shell",
	"cf": "cfm", "coldfusion": "cfm", "clojure": "clojure", "clj": "clojure",
	"cpp": "cpp", "c": "c", "c-sharp": "csharp", "csharp": "csharp", "css": "css",
	"delphi": "delphi", "pas": "pascal", "pascal": "pascal", "diff": "diff", "patch": "diff",
	"erl": "erlang", "erlang": "erlang", "fsharp": "fsharp", "go": "go", "golang": "go",
	"groovy": "groovy", "haskell": "haskell", "java": "java", "jfx": "javafx", "javafx": "javafx",
	"js": "javascript", "jscript": "javascript", "javascript": "javascript",
	"latex": "latex", "tex": "latex", "matlab": "matlab", "matlabkey": "matlab",
	"objc": "objectivec", "obj-c": "objectivec", "perl": "perl", "pl": "perl", "php": "php",
	"plain": "text", "text": "text", "ps": "powershell", "powershell": "powershell",
	"py": "python", "python": "python", "r": "r", "splus": "r",
	"rails": "ruby", "rb": "ruby", "ror": "ruby", "ruby": "ruby", "scala": "scala",
	"sql": "sql", "swift": "swift", "vb": "vbnet", "vbnet": "vbnet",
	"xml": "xml", "xhtml": "xml", "xslt": "xml", "html": "html", "yaml": "yaml", "yml": "yaml",
}

// Shortcodes seen in WordPress exports that this package keeps verbatim:
// they are counted as unknown even without attributes or a closing tag.
var otherShortcodes = map[string]bool{
	"playlist": true, "wpvideo": true, "videopress": true, "soundcloud": true, "googlemaps": true,
	"tweet": true, "twitter-timeline": true, "slideshare": true, "gist": true, "polldaddy": true,
	"crowdsignal": true, "recipe": true, "archives": true, "contact-form": true,
	"contact-field": true, "contact-form-7": true, "instagram": true, "twitch": true, "ted": true,
	"dailymotion": true, "flickr": true, "spotify": true, "bandcamp": true, "scribd": true,
	"kickstarter": true, "mixcloud": true, "googleapps": true, "presentation": true,
	"slide": true, "blip.tv": true, "digg": true, "facebook": true, "pinterest": true,
	"wufoo": true, "sitemap": true, "latex": true, "portfolio": true, "testimonials": true,
	"embed-pdf": true, "pdf-embedder": true, "fusion_builder_container": true, "vc_row": true,
	"vc_column": true, "vc_column_text": true, "et_pb_section": true, "et_pb_row": true,
	"et_pb_column": true, "et_pb_text": true, "ngg": true, "nggallery": true, "wpforms": true,
	"ninja_form": true, "gravityform": true, "mailpoet_form": true, "product": true,
	"products": true, "woocommerce_cart": true, "woocommerce_checkout": true, "toc": true,
	"su_note": true, "su_box": true, "su_button": true, "wp-svg-icons": true, "bloginfo": true,
	"private": true, "fb_app": true, "listsubpages": true, "subpages": true, "children": true,
}

// isRegistered is the set of shortcode names WordPress would have had
// registered on the exporting site, as far as this package can know.
func isRegistered(name string) bool {
	if convertedShortcodes[name] || otherShortcodes[name] {
		return true
	}
	_, ok := codeShortcodes[name]
	return ok
}

func isCodeShortcode(name string) bool {
	_, ok := codeShortcodes[name]
	return ok
}

var reShortcodeName = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// codeShortcodes renders [code], [sourcecode] and the language shortcodes
// before anything else touches their content, as SyntaxHighlighter does
// (it runs ahead of wpautop). The content is HTML-escaped in the database
// when it holds no raw '<' or '>'; raw code is escaped here.
func (st *state) codeShortcodes(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	return replaceShortcodes(s, isCodeShortcode, func(sc Shortcode) string {
		if !sc.Enclosing {
			return sc.Raw
		}
		lang := codeShortcodes[sc.Name]
		for _, k := range []string{"language", "lang"} {
			if v := sc.Attrs[k]; v != "" {
				lang = v
			}
		}
		if lang == "" && len(sc.Args) > 0 && reShortcodeName.MatchString(sc.Args[0]) {
			lang = sc.Args[0]
		}
		code := strings.Trim(sc.Content, "\r\n")
		code = strings.ReplaceAll(code, "\r\n", "\n")
		if strings.ContainsAny(code, "<>") {
			code = html.EscapeString(code)
		}
		st.rep.count(&st.rep.Shortcodes, sc.Name)
		cls := ""
		if lang != "" {
			cls = ` class="language-` + html.EscapeString(strings.ToLower(lang)) + `"`
		}
		return "\n\n<pre class=\"wp-code-shortcode\"><code" + cls + ">" + code + "</code></pre>\n\n"
	})
}

// embedShortcodes renders [embed]URL[/embed] (WP_Embed runs it before
// wpautop).
func (st *state) embedShortcodes(s string) string {
	if !strings.Contains(s, "[embed") {
		return s
	}
	return replaceShortcodes(s, func(n string) bool { return n == "embed" }, func(sc Shortcode) string {
		u := sc.Content
		if u == "" {
			u = sc.Attrs["src"]
		}
		if u == "" && len(sc.Args) > 0 {
			u = sc.Args[0]
		}
		if strings.TrimSpace(u) == "" {
			return sc.Raw
		}
		st.rep.count(&st.rep.Shortcodes, "embed")
		return embedHTML(u)
	})
}

// splitPre calls fn on the parts of s outside <pre>…</pre> and keeps the
// <pre> elements as they are.
func splitPre(s string, fn func(string) string) string {
	if !strings.Contains(s, "<pre") {
		return fn(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		i := strings.Index(s, "<pre")
		if i < 0 {
			b.WriteString(fn(s))
			break
		}
		b.WriteString(fn(s[:i]))
		j := strings.Index(s[i:], "</pre>")
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j+6])
		s = s[i+j+6:]
	}
	return b.String()
}

// doShortcodes renders the shortcodes this package converts, outside
// <pre>, counts the others, and marks what stays verbatim so that the
// Markdown keeps it unescaped.
func (st *state) doShortcodes(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	return splitPre(s, func(part string) string {
		if !strings.Contains(part, "[") {
			return part
		}
		unknown := st.countUnknown(part)
		part = st.convertShortcodes(part)
		return protectShortcodes(part, func(n string) bool { return unknown[n] || convertedShortcodes[n] })
	})
}

func (st *state) convertShortcodes(s string) string {
	return replaceShortcodes(s, func(n string) bool { return convertedShortcodes[n] }, st.shortcode)
}

// countUnknown counts the shortcodes of s that stay verbatim: names this
// package does not convert that are known shortcodes, or look like one
// (lower-case name with attributes or a closing tag). It returns their
// names.
func (st *state) countUnknown(s string) map[string]bool {
	names := map[string]bool{}
	st.countUnknownIn(s, names, 0)
	return names
}

func (st *state) countUnknownIn(s string, names map[string]bool, depth int) {
	for _, sc := range FindShortcodes(s, func(n string) bool { return !convertedShortcodes[n] && !isCodeShortcode(n) }) {
		if sc.Escaped() || !reShortcodeName.MatchString(sc.Name) {
			continue
		}
		if otherShortcodes[sc.Name] || sc.Enclosing || len(sc.Attrs) > 0 {
			st.rep.count(&st.rep.Unknown, sc.Name)
			names[sc.Name] = true
		}
		// Shortcodes nest when their names differ: look inside.
		if sc.Enclosing && depth < 8 && strings.Contains(sc.Content, "[") {
			st.countUnknownIn(sc.Content, names, depth+1)
		}
	}
}

// protectShortcodes wraps the opening and closing tags of the shortcodes
// named by isName, in text outside HTML tags, in <wp-raw> so that the
// Markdown writer copies them verbatim instead of escaping their brackets.
func protectShortcodes(s string, isName func(string) bool) string {
	out := spliced{s: s}
	text := func(start, end int) {
		for i := start; i < end; i++ {
			if s[i] != '[' {
				continue
			}
			p := i + 1
			if p < end && s[p] == '/' {
				p++
			}
			n := p
			for n < end && isNameByte(s[n]) {
				n++
			}
			if n == p || n >= end || !isName(s[p:n]) {
				continue
			}
			if c := s[n]; c != ']' && c != '/' && c != '=' && !isPCRESpace(c) {
				continue
			}
			close := strings.IndexByte(s[n:end], ']')
			if close < 0 {
				continue
			}
			tokEnd := n + close + 1
			out.replace(i, tokEnd, "<wp-raw>", s[i:tokEnd], "</wp-raw>")
			i = tokEnd - 1
		}
	}
	pos := 0
	for pos < len(s) {
		j := strings.IndexByte(s[pos:], '<')
		if j < 0 {
			text(pos, len(s))
			break
		}
		text(pos, pos+j)
		pos = htmlTokenEnd(s, pos+j)
	}
	return out.String()
}

func (st *state) shortcode(sc Shortcode) string {
	var out string
	switch sc.Name {
	case "caption", "wp_caption":
		out = st.caption(sc)
	case "gallery":
		out = st.gallery(sc)
	case "embed":
		out = sc.Raw
		if u := strings.TrimSpace(sc.Content); u != "" {
			out = embedHTML(u)
		}
	case "youtube":
		out = st.video(sc, youtubeID, "https://www.youtube.com/embed/")
	case "vimeo":
		out = st.video(sc, vimeoID, "https://player.vimeo.com/video/")
	case "audio":
		out = st.media(sc, "audio", []string{"src", "mp3", "ogg", "m4a", "wav", "wma", "flac"})
	case "video":
		out = st.media(sc, "video", []string{"src", "mp4", "m4v", "webm", "ogv", "wmv", "flv"})
	default:
		return sc.Raw
	}
	if out == sc.Raw {
		st.rep.problem("[%s] at byte %d could not be converted and is kept verbatim", sc.Name, sc.Start)
	} else {
		st.rep.count(&st.rep.Shortcodes, sc.Name)
	}
	return out
}

// captionImage splits a caption's content into its image (possibly
// linked) and the rest, as
// (?is)^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)$ does; false
// when the content does not start with one.
func captionImage(content string) (img, rest string, ok bool) {
	start := skipRE2Space(content, 0)
	// tagEnd is the end of <prefix[^>]+> at i, or -1.
	tagEnd := func(i int, prefix string) int {
		if len(content)-i < len(prefix) || !strings.EqualFold(content[i:i+len(prefix)], prefix) {
			return -1
		}
		e := strings.IndexByte(content[i+len(prefix):], '>')
		if e < 1 {
			return -1
		}
		return i + len(prefix) + e + 1
	}
	i := start
	if a := tagEnd(i, "<a "); a >= 0 {
		i = skipRE2Space(content, a)
	}
	end := tagEnd(i, "<img ")
	if end < 0 {
		return "", "", false
	}
	if c := skipRE2Space(content, end); len(content)-c >= 4 && strings.EqualFold(content[c:c+4], "</a>") {
		end = c + 4
	}
	return content[start:end], content[end:], true
}

func skipRE2Space(s string, i int) int {
	for i < len(s) && isRE2Space(s[i]) {
		i++
	}
	return i
}

// caption renders [caption] like img_caption_shortcode() with HTML5
// captions: a figure around the image and a figcaption. As in WordPress, a
// caption without a width or without text renders as its content alone.
func (st *state) caption(sc Shortcode) string {
	content := sc.Content
	capText := sc.Attrs["caption"]
	if capText == "" {
		if img, rest, ok := captionImage(content); ok {
			content = img
			capText = strings.TrimSpace(rest)
		}
	}
	content = st.convertShortcodes(content)
	w, _ := strconv.Atoi(strings.TrimSpace(sc.Attrs["width"]))
	if w < 1 || capText == "" {
		return content
	}
	cls := "wp-caption"
	if a := sc.Attrs["align"]; a != "" {
		cls += " " + html.EscapeString(a)
	}
	return `<figure class="` + cls + `">` + strings.TrimSpace(content) + `<figcaption class="wp-caption-text">` + capText + `</figcaption></figure>`
}

// gallery renders [gallery] as a figure of figures, one per attachment,
// resolved through Options.Attachments; without ids it shows the post's
// attached images (Options.Attached), minus exclude. Images link to their
// file unless link="none".
func (st *state) gallery(sc Shortcode) string {
	if st.opt.Attachments == nil {
		return sc.Raw
	}
	var ids []int
	list := sc.Attrs["ids"]
	if list == "" {
		list = sc.Attrs["include"]
	}
	if list != "" {
		ids = parseIDs(list)
	} else {
		excl := map[int]bool{}
		for _, id := range parseIDs(sc.Attrs["exclude"]) {
			excl[id] = true
		}
		for _, id := range st.opt.Attached {
			if !excl[id] {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return sc.Raw
	}
	link := sc.Attrs["link"] != "none"
	var b strings.Builder
	b.WriteString(`<figure class="wp-block-gallery">`)
	n := 0
	for _, id := range ids {
		a, ok := st.opt.Attachments(id)
		if !ok || a.URL == "" {
			st.rep.problem("[gallery]: attachment %d not found", id)
			continue
		}
		n++
		b.WriteString(`<figure class="wp-block-image">`)
		img := `<img src="` + html.EscapeString(a.URL) + `" alt="` + html.EscapeString(a.Alt) + `">`
		if link {
			b.WriteString(`<a href="` + html.EscapeString(a.URL) + `">` + img + `</a>`)
		} else {
			b.WriteString(img)
		}
		if c := strings.TrimSpace(a.Caption); c != "" {
			b.WriteString(`<figcaption>` + c + `</figcaption>`)
		}
		b.WriteString(`</figure>`)
	}
	b.WriteString(`</figure>`)
	if n == 0 {
		return sc.Raw
	}
	return b.String()
}

func parseIDs(s string) []int {
	var ids []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if id, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// video renders Jetpack's [youtube URL], [youtube=URL&w=…], [youtube id]
// and the same forms of [vimeo] as the player iframe.
func (st *state) video(sc Shortcode, idOf func(string) (string, bool), prefix string) string {
	cands := []string{sc.Attrs["id"], sc.Attrs["url"], sc.Content}
	if len(sc.Args) > 0 {
		cands = append([]string{strings.TrimPrefix(sc.Args[0], "=")}, cands...)
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if id, ok := idOf(c); ok {
			cls := "wp-embed-youtube"
			if sc.Name == "vimeo" {
				cls = "wp-embed-vimeo"
			}
			return `<iframe class="` + cls + `" src="` + prefix + id + `" width="560" height="315" frameborder="0" allowfullscreen></iframe>`
		}
	}
	return sc.Raw
}

// media renders [audio] and [video] as HTML5 media elements.
func (st *state) media(sc Shortcode, tag string, keys []string) string {
	src := ""
	for _, k := range keys {
		if v := strings.TrimSpace(sc.Attrs[k]); v != "" {
			src = v
			break
		}
	}
	if src == "" && len(sc.Args) > 0 {
		// WordPress.com's legacy [audio URL|titles=…|artists=…].
		src = strings.TrimPrefix(strings.SplitN(sc.Args[0], "|", 2)[0], "=")
	}
	if src == "" {
		return sc.Raw
	}
	var b strings.Builder
	b.WriteString("<" + tag + ` controls src="` + html.EscapeString(html.UnescapeString(src)) + `"`)
	if tag == "video" {
		for _, k := range []string{"poster", "width", "height"} {
			if v := sc.Attrs[k]; v != "" {
				b.WriteString(" " + k + `="` + html.EscapeString(html.UnescapeString(v)) + `"`)
			}
		}
	}
	b.WriteString("></" + tag + ">")
	return b.String()
}

// Footnote is one entry of the footnotes post meta of the block editor.
type Footnote struct {
	ID      string `json:"id"`
	Content string `json:"content"`
}

// ParseFootnotes decodes the footnotes post meta (a JSON array of
// {"id", "content"}); empty meta gives nil and no error.
func ParseFootnotes(meta string) ([]Footnote, error) {
	if strings.TrimSpace(meta) == "" {
		return nil, nil
	}
	var fns []Footnote
	if err := json.Unmarshal([]byte(meta), &fns); err != nil {
		return nil, fmt.Errorf("footnotes meta: %w", err)
	}
	return fns, nil
}

// footnotes renders the core/footnotes block the way WordPress does: an
// ordered list of the notes, each with a link back to its reference.
func (st *state) footnotes() string {
	fns, err := ParseFootnotes(st.opt.Footnotes)
	if err != nil {
		st.rep.problem("%v", err)
		return ""
	}
	if len(fns) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<ol class="wp-block-footnotes">`)
	for _, fn := range fns {
		id := html.EscapeString(fn.ID)
		b.WriteString(`<li id="` + id + `">` + fn.Content + ` <a href="#` + id + `-link">↩︎</a></li>`)
	}
	b.WriteString(`</ol>`)
	return b.String()
}
