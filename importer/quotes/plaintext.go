package quotes

import (
	"strings"

	"golang.org/x/net/html"
)

// plainBlockTags end a line in PlainText.
var plainBlockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "blockquote": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "tr": true, "pre": true, "figure": true,
	"figcaption": true, "table": true, "ul": true, "ol": true, "hr": true, "section": true,
}

// PlainText strips HTML from s, decodes entities and drops scripts and
// styles; the start and end tags of block elements (p, div, br, li,
// blockquote, h1–h6, tr, pre, figure, figcaption, table, ul, ol, hr,
// section) become line breaks. The text is the text of x/net/html's
// tokens; s comes back as it is when it holds no "<" or "&".
func PlainText(s string) string {
	// Two IndexByte calls, not ContainsAny's byte-by-byte set look-up.
	if strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '&') < 0 {
		return s
	}
	if strings.IndexByte(s, 0) < 0 {
		if out, ok := plainFast(s); ok {
			return out
		}
	}
	return plainSlow(s)
}

// plainFast is PlainText with tokenizer; false when s needs x/net/html.
func plainFast(s string) (string, bool) {
	z := &tokenizer{s: s}
	var b strings.Builder
	b.Grow(len(s))
	skip := 0
	for {
		if !z.next() {
			return "", false
		}
		switch z.tt {
		case html.ErrorToken:
			return b.String(), true
		case html.TextToken:
			if skip == 0 {
				// As the Tokenizer's Text: CR LF and CR as LF, then
				// entities decoded, except in raw text.
				t := s[z.start:z.pos]
				if strings.IndexByte(t, '\r') >= 0 {
					t = strings.ReplaceAll(strings.ReplaceAll(t, "\r\n", "\n"), "\r", "\n")
				}
				if z.rawText == "" || z.rawText == "textarea" || z.rawText == "title" {
					t = html.UnescapeString(t)
				}
				b.WriteString(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			switch z.name {
			case "script", "style":
				if z.tt != html.EndTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			default:
				if plainBlockTags[z.name] {
					b.WriteByte('\n')
				}
			}
		}
	}
}

// plainSlow is PlainText with x/net/html's tokenizer.
func plainSlow(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			default:
				if plainBlockTags[string(name)] {
					b.WriteByte('\n')
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if skip > 0 {
					skip--
				}
			default:
				if plainBlockTags[string(name)] {
					b.WriteByte('\n')
				}
			}
		}
	}
}
