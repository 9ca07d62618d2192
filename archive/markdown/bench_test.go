package markdown

import (
	"strings"
	"testing"
)

// typicalClassicPost returns a classic-editor post of about 5 KB: paragraphs
// separated by blank lines with links and emphasis, a list, a captioned
// image, a quote and a code block, no <p> tags.
func typicalClassicPost() string {
	para := "Lorem ipsum dolor sit amet, <a href=\"https://example.com/some/path?x=1&amp;y=2\">consectetur adipiscing</a> elit, sed do <em>eiusmod tempor</em> incididunt ut labore et dolore magna aliqua.\nUt enim ad minim veniam, quis <strong>nostrud exercitation</strong> ullamco laboris nisi ut aliquip ex ea commodo consequat.\n\n"
	var b strings.Builder
	b.WriteString("<em>A short introduction to the topic of the day.</em>\n\n")
	for i := 0; i < 6; i++ {
		b.WriteString(para)
	}
	b.WriteString("<!--more-->\n\n")
	b.WriteString("[caption id=\"attachment_21875\" align=\"alignright\" width=\"300\"]<a href=\"https://example.com/wp-content/uploads/2024/03/card.jpg\"><img class=\"size-medium wp-image-21875\" src=\"https://example.com/wp-content/uploads/2024/03/card-300x200.jpg\" alt=\"A QSL card\" width=\"300\" height=\"200\" /></a> A QSL card from 1985[/caption]\n\n")
	b.WriteString("<ul>\n<li>First point with <a href=\"https://example.org/\">a link</a></li>\n<li>Second point</li>\n<li>Third point</li>\n</ul>\n\n")
	b.WriteString("<blockquote>A quoted passage that goes on for a while, with a <a href=\"https://en.wikipedia.org/wiki/Example\">reference</a>.\n\nAnd a second paragraph inside the quote.</blockquote>\n\n")
	for i := 0; i < 5; i++ {
		b.WriteString(para)
	}
	b.WriteString("<pre>func main() {\n\tfmt.Println(\"hello\")\n}</pre>\n\nThe end.")
	return b.String()
}

func BenchmarkConvert(b *testing.B) {
	in := typicalClassicPost()
	b.SetBytes(int64(len(in)))
	for _, flavor := range []string{Hugo, Jekyll} {
		b.Run(flavor, func(b *testing.B) {
			opt := Options{Flavor: flavor}
			for b.Loop() {
				Convert(in, opt)
			}
		})
	}
}

func BenchmarkRender(b *testing.B) {
	in := typicalClassicPost()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Render(in, Options{})
	}
}

func BenchmarkWpautop(b *testing.B) {
	in := typicalClassicPost()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Wpautop(in)
	}
}

func BenchmarkConvertChecked(b *testing.B) {
	in := typicalClassicPost()
	b.SetBytes(int64(len(in)))
	opt := Options{Check: true}
	for b.Loop() {
		Convert(in, opt)
	}
}
