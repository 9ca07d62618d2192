package markdown

import (
	"strings"
	"testing"
	"time"
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

// typicalFields returns front matter like the benchmark archive's: ASCII
// and CJK terms, a title with a colon, an author, a plain-text summary,
// a language and two aliases.
func typicalFields(i int) Fields {
	titles := []string{"Back to Tashkent, again", "The road: a reader's question", "读书笔记：旅行", "10 things about the Silk Road", "Заметки о переводе"}
	return Fields{
		Title:      titles[i%len(titles)],
		Date:       time.Date(2024, 12, 1, 5, 51, 29, 0, time.FixedZone("", 6*3600)),
		Modified:   time.Date(2025, 1, 3, 10, 0, 0, 0, time.FixedZone("", 6*3600)),
		Slug:       "back-to-tashkent-again-2",
		Categories: []string{"Travel", "Central Asia", "读书"},
		Tags:       []string{"China trips", "second-hand-bookshops-26", "Books", "上合组织"},
		Author:     "Mei Lin",
		Summary:    "A short summary of the post, with a comma and a reader's apostrophe, that goes on for a line or two.",
		Lang:       "en",
		Aliases:    []string{"/2024/12/01/back-to-tashkent-again-2/", "/?p=35325"},
		WPID:       35325,
	}
}

func BenchmarkFrontMatter(b *testing.B) {
	fs := make([]Fields, 5)
	for i := range fs {
		fs[i] = typicalFields(i)
	}
	for _, flavor := range []string{Hugo, Jekyll} {
		b.Run(flavor, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := FrontMatter(fs[i%len(fs)], flavor); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkLinkPath(b *testing.B) {
	links := []string{"https://teaintashkent.example.net/2008/03/05/a-short-history-of-tbilisi/", "https://teaintashkent.example.net/?p=35325", "https://e.x/2024/%D0%B0/"}
	i := 0
	for b.Loop() {
		LinkPath(links[i%len(links)])
		i++
	}
}
