package importer

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// plainTextRef is plainText as first written here, with x/net/html's
// tokenizer; quotes.PlainText replaced it.
func plainTextRef(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
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
				if refBlockTags[string(name)] {
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
				if refBlockTags[string(name)] {
					b.WriteByte('\n')
				}
			}
		}
	}
}

var refBlockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "blockquote": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "tr": true, "pre": true, "figure": true,
	"figcaption": true, "table": true, "ul": true, "ol": true, "hr": true, "section": true,
}

func TestPlainTextEquivalent(t *testing.T) {
	for _, s := range []string{"", "plain", "a &amp; b &#8217;", "<p>a</p>b<br/>c", "<strong>Title</strong>\n\nexcerpt",
		"x<style>p{}</style>y<script>z</script>w", "<textarea>&lt;</textarea>", "a\r\nb&amp;\r", "<P>A</P><DIV>b</DIV>",
		"<a href=\"x\">link</a> &nbsp;", "<!-- c -->t", "a\x00b<b>", "<ul><li>1</li><li>2</ul>", "<"} {
		if got, want := plainText(s), plainTextRef(s); got != want {
			t.Errorf("plainText(%q) = %q, the reference gives %q", s, got, want)
		}
	}
}

func FuzzPlainTextImporter(f *testing.F) {
	f.Add("<p>a &amp; b</p>")
	f.Add("<strong>t</strong>\n\nx<br />")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := plainText(s), plainTextRef(s); got != want {
			t.Errorf("plainText(%q) = %q, the reference gives %q", s, got, want)
		}
	})
}

var strongRe = regexp.MustCompile(`(?s)^\s*<strong>(.*?)</strong>\s*(.*)$`)

// checkStrong compares strongParts with the regular expression it
// replaced.
func checkStrong(t *testing.T, s string) {
	m := strongRe.FindStringSubmatch(s)
	title, rest, ok := strongParts(s)
	if ok != (m != nil) || ok && (title != m[1] || rest != m[2]) {
		t.Errorf("strongParts(%q) = %q %q %v, the expression gives %q", s, title, rest, ok, m)
	}
}

func TestStrongPartsEquivalent(t *testing.T) {
	for _, s := range []string{"", "<strong>t</strong>\n\nx", " \t\r\n\f<strong>a</strong></strong> b", "\v<strong>a</strong>",
		"<strong>a", "<STRONG>a</STRONG>b", "x<strong>a</strong>", "<strong></strong>", "<strong>\xff</strong>\xfe \x00",
		"<strong>a\nb</strong>\u00a0c"} {
		checkStrong(t, s)
	}
}

func FuzzStrongParts(f *testing.F) {
	f.Add("<strong>t</strong>\n\nx")
	f.Add(" <strong>a</strong></strong> b")
	f.Fuzz(checkStrong)
}
