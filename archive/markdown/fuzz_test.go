package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzConvert feeds arbitrary content to Convert and Render, seeded from
// the golden inputs: no panic, valid UTF-8 out for valid UTF-8 in, and
// never a hang (each input must convert within a few seconds).
func FuzzConvert(f *testing.F) {
	inputs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "markdown", "*", "input.html"))
	for _, p := range inputs {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b), false)
		}
	}
	f.Add("[caption width=1][gallery][/caption] [[x]] [/y] [code]<[/code] <!-- wp:x {\"a\":1} -->", true)
	f.Add("<!-- wp:list --><ul><!-- wp:list-item --><li>a<!-- /wp:list --></ul>", false)
	f.Add("<pre><pre></pre>\n\n<p>a<br>\n<br/>b</p><blockquote lang=\"zh\"></blockquote>{{< x", true)
	f.Fuzz(func(t *testing.T, content string, classic bool) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			for _, flavor := range []string{Hugo, Jekyll} {
				md, rep := Convert(content, Options{Flavor: flavor, Classic: classic, Check: true,
					Footnotes: `[{"id":"x","content":"n"}]`,
					Attachments: func(id int) (Attachment, bool) {
						return Attachment{URL: "https://e.x/" + strings.Repeat("a", id%5) + ".jpg"}, id%2 == 0
					}})
				if utf8.ValidString(content) && !utf8.ValidString(md) {
					t.Errorf("%s: invalid UTF-8 out of valid input %q", flavor, content)
				}
				if rep.Fidelity == nil {
					t.Errorf("no fidelity result")
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Convert hangs on %q", content)
		}
	})
}
