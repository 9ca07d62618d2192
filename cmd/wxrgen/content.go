package main

import (
	"strconv"
	"strings"
)

// sentence returns one English sentence: mostly stock, sometimes assembled.
func (g *gen) sentence() string {
	if g.chance(0.3) {
		return pick(g, sentenceSubjects) + " " + pick(g, sentenceVerbs) + " " + pick(g, sentenceTails) + "."
	}
	return pick(g, englishSentences)
}

// paragraph writes 3–7 sentences of inline HTML: links, emphasis, foreign phrases.
func (g *gen) paragraph(b *strings.Builder) {
	n := g.between(3, 7)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch r := g.intn(100); {
		case r < 6 && len(g.recent) > 0:
			l := pick(g, g.recent)
			b.WriteString("I wrote about this before, in <a href=\"" + l.url + "\">" + htmlEscapeText(l.title) + "</a>.")
		case r < 12:
			b.WriteString("See <a href=\"https://" + pick(g, []string{"www.example.com", "news.example.net", "archive.example.org"}) +
				"/" + strconv.Itoa(2000+g.intn(25)) + "/" + slugify(pick(g, sentenceTails)) + "\">" +
				pick(g, []string{"the original article", "this report", "the full interview", "a map of the area"}) + "</a>.")
		case r < 17:
			b.WriteString("<em>" + g.sentence() + "</em>")
		case r < 20:
			b.WriteString("<strong>" + g.sentence() + "</strong>")
		case r < 23:
			ph := pick(g, inlinePhrases)
			b.WriteString("As the saying goes, <em>" + ph.phrase + "</em> (\"" + ph.gloss + "\").")
		default:
			b.WriteString(g.sentence())
		}
	}
}

func (g *gen) quotePairs() []foreignQuote {
	src := chineseQuotes
	if g.chance(0.45) {
		src = russianQuotes
	}
	n := g.between(1, 3)
	qs := make([]foreignQuote, n)
	start := g.intn(len(src)) // consecutive, so one post never repeats a quote
	for i := range qs {
		qs[i] = src[(start+i)%len(src)]
	}
	return qs
}

func (g *gen) youtubeID() string { return g.alnum(11) }

func (g *gen) codeSnippet() string {
	if g.chance(0.3) {
		// Contains the CDATA terminator, which the writer must split.
		return "if (arr[idx[0]]]>5) {\n    return arr[0];\n}"
	}
	return "for i := range items {\n    fmt.Println(items[i].Title)\n}"
}

// classicContent writes classic-editor content: no <p> tags, blank-line paragraphs,
// shortcodes, blockquotes, lists and <!--more-->.
func (g *gen) classicContent(b *strings.Builder, p *post, atts []attachment, quoting bool) {
	paras := g.between(4, 14)
	quoteAt := -1
	if quoting {
		quoteAt = g.between(1, paras-1)
	}
	for i := 0; i < paras; i++ {
		if i > 0 {
			b.WriteString("\n\n")
		}
		g.paragraph(b)
		switch {
		case i == quoteAt:
			qs := g.quotePairs()
			b.WriteString("\n\n" + capitalize(pick(g, quoteSources[qs[0].lang])) + " wrote:")
			origFirst := g.chance(0.4)
			for _, q := range qs {
				if origFirst {
					b.WriteString("\n\n<blockquote>" + q.orig + "</blockquote>\n\n<blockquote>" + q.trans + "</blockquote>")
				} else {
					b.WriteString("\n\n<blockquote>" + q.trans + "</blockquote>\n\n<blockquote>" + q.orig + "</blockquote>")
				}
			}
		case i == 0 && len(atts) > 0 && g.chance(0.6):
			a := atts[0]
			w := 300 + 340*g.intn(2)
			h := w * a.height / a.width
			b.WriteString("\n\n[caption id=\"attachment_" + strconv.FormatInt(a.id, 10) + "\" align=\"" +
				pick(g, []string{"aligncenter", "alignright", "alignnone"}) + "\" width=\"" + strconv.Itoa(w) + "\"]")
			b.WriteString("<a href=\"" + g.uploadURL(a, "") + "\"><img class=\"size-medium wp-image-" + strconv.FormatInt(a.id, 10) +
				"\" src=\"" + g.uploadURL(a, strconv.Itoa(w)+"x"+strconv.Itoa(h)) + "\" alt=\"" + htmlEscapeText(a.alt) +
				"\" width=\"" + strconv.Itoa(w) + "\" height=\"" + strconv.Itoa(h) + "\" /></a> ")
			if a.caption != "" {
				b.WriteString(a.caption)
			} else {
				b.WriteString(pick(g, titleTopics))
			}
			b.WriteString("[/caption]")
		case i == 1 && g.chance(0.4):
			b.WriteString("\n\n<!--more-->")
		case g.chance(0.04):
			b.WriteString("\n\n<h3>" + pick(g, titleOpeners) + " " + pick(g, titleTopics) + "</h3>")
		case g.chance(0.03):
			b.WriteString("\n\n<ul>")
			for k := g.between(2, 5); k > 0; k-- {
				b.WriteString("\n \t<li>" + pick(g, sentenceTails) + "</li>")
			}
			b.WriteString("\n</ul>")
		case g.chance(0.02):
			if g.chance(0.5) {
				b.WriteString("\n\n[youtube https://www.youtube.com/watch?v=" + g.youtubeID() + "]")
			} else {
				b.WriteString("\n\nhttps://www.youtube.com/watch?v=" + g.youtubeID())
			}
		case g.chance(0.01):
			b.WriteString("\n\n<pre><code>" + g.codeSnippet() + "</code></pre>")
		}
	}
	if len(atts) > 1 && g.chance(0.5) {
		b.WriteString("\n\n[gallery ids=\"")
		for i, a := range atts {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(a.id, 10))
		}
		b.WriteString("\" columns=\"" + strconv.Itoa(min(len(atts), 3)) + "\" link=\"file\"]")
	}
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// Block-editor serialisation helpers.

func blockParagraph(b *strings.Builder, inner string) {
	b.WriteString("<!-- wp:paragraph -->\n<p>" + inner + "</p>\n<!-- /wp:paragraph -->")
}

func blockQuote(b *strings.Builder, text, lang string) {
	b.WriteString("<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p")
	if lang != "" {
		b.WriteString(" lang=\"" + lang + "\"")
	}
	b.WriteString(">" + text + "</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->")
}

// blockContent writes block-editor content with the serializer's delimiters and JSON
// attributes.
func (g *gen) blockContent(b *strings.Builder, p *post, atts []attachment, quoting bool) {
	paras := g.between(4, 14)
	quoteAt := -1
	if quoting {
		quoteAt = g.between(1, paras-1)
	}
	var pb strings.Builder
	for i := 0; i < paras; i++ {
		if i > 0 {
			b.WriteString("\n\n")
		}
		pb.Reset()
		g.paragraph(&pb)
		blockParagraph(b, pb.String())
		switch {
		case i == quoteAt:
			qs := g.quotePairs()
			b.WriteString("\n\n")
			blockParagraph(b, capitalize(pick(g, quoteSources[qs[0].lang]))+" wrote:")
			origFirst := g.chance(0.4)
			for _, q := range qs {
				b.WriteString("\n\n")
				if origFirst {
					blockQuote(b, q.orig, q.lang)
					b.WriteString("\n\n")
					blockQuote(b, q.trans, "")
				} else {
					blockQuote(b, q.trans, "")
					b.WriteString("\n\n")
					blockQuote(b, q.orig, q.lang)
				}
			}
		case i == 0 && len(atts) > 0 && g.chance(0.6):
			a := atts[0]
			id := strconv.FormatInt(a.id, 10)
			b.WriteString("\n\n<!-- wp:image {\"id\":" + id + ",\"sizeSlug\":\"large\",\"linkDestination\":\"none\"} -->\n")
			b.WriteString("<figure class=\"wp-block-image size-large\"><img src=\"" + g.uploadURL(a, "1024x"+strconv.Itoa(1024*a.height/a.width)) +
				"\" alt=\"" + htmlEscapeText(a.alt) + "\" class=\"wp-image-" + id + "\"/>")
			if a.caption != "" {
				b.WriteString("<figcaption class=\"wp-element-caption\">" + a.caption + "</figcaption>")
			}
			b.WriteString("</figure>\n<!-- /wp:image -->")
		case i == 1 && g.chance(0.4):
			b.WriteString("\n\n<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->")
		case g.chance(0.05):
			t := pick(g, titleOpeners) + " " + pick(g, titleTopics)
			if g.chance(0.5) {
				b.WriteString("\n\n<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">" + t + "</h2>\n<!-- /wp:heading -->")
			} else {
				b.WriteString("\n\n<!-- wp:heading {\"level\":3} -->\n<h3 class=\"wp-block-heading\">" + t + "</h3>\n<!-- /wp:heading -->")
			}
		case g.chance(0.03):
			b.WriteString("\n\n<!-- wp:list -->\n<ul class=\"wp-block-list\">")
			for k := g.between(2, 5); k > 0; k-- {
				b.WriteString("<!-- wp:list-item -->\n<li>" + pick(g, sentenceTails) + "</li>\n<!-- /wp:list-item -->")
			}
			b.WriteString("</ul>\n<!-- /wp:list -->")
		case g.chance(0.02):
			u := "https://www.youtube.com/watch?v=" + g.youtubeID()
			b.WriteString("\n\n<!-- wp:embed {\"url\":\"" + u + "\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true,\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"} -->\n")
			b.WriteString("<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\n" + u + "\n</div></figure>\n<!-- /wp:embed -->")
		case g.chance(0.02):
			b.WriteString("\n\n<!-- wp:separator -->\n<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n<!-- /wp:separator -->")
		case g.chance(0.01):
			b.WriteString("\n\n<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>" + strings.ReplaceAll(g.codeSnippet(), "\n", "<br>") + "</code></pre>\n<!-- /wp:code -->")
		}
	}
	if len(atts) > 1 && g.chance(0.5) {
		b.WriteString("\n\n<!-- wp:shortcode -->\n[gallery ids=\"")
		for i, a := range atts {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatInt(a.id, 10))
		}
		b.WriteString("\"]\n<!-- /wp:shortcode -->")
	}
	if g.chance(0.03) {
		b.WriteString("\n\n<!-- wp:latest-posts {\"postsToShow\":3} /-->")
	}
	if g.chance(0.01) {
		b.WriteString("\n\n<!-- wp:search {\"label\":\"Search \\u003cem\\u003eall\\u003c/em\\u003e posts\",\"buttonText\":\"Go \\u0026 find\"} /-->")
	}
}
