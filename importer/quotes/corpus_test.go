package quotes_test

import (
	"os"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/importer/quotes"
	"github.com/wparchive/wparchive/internal/corpus"
)

// TestChineseExports runs Analyze on the two Chinese blogs of the shared
// corpus (their channels say <language>en</language>, wrongly): no Chinese
// paragraph may be marked foreign, and the posts written in Chinese must
// come out as Chinese.
func TestChineseExports(t *testing.T) {
	for _, name := range []string{"Roshanzheng__wordpress.xml", "assassingj__wordpress.xml"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(corpus.Public(t, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// assassingj is not well-formed; the cleaning reader repairs it.
			posts := readPosts(t, clean.NewReader(f), name)
			if len(posts) < 20 {
				t.Fatalf("only %d posts read", len(posts))
			}
			langs := map[string]int{}
			chinese, chineseMain := 0, 0
			for _, p := range posts {
				res := quotes.Analyze(p.Content, p.Hint)
				checkInvariants(t, p.Content, res)
				langs[res.Lang]++
				if hanShare(res.Text) >= 0.5 {
					chinese++
					if strings.HasPrefix(res.Lang, "zh") {
						chineseMain++
					}
				}
				for _, q := range res.Quotes {
					if q.Kind == "block" && (strings.HasPrefix(q.Lang, "zh") || hanShare(q.Normalized) >= 0.3) {
						t.Errorf("post %s %q: Chinese paragraph marked foreign (%s): %.80q", p.ID, p.Title, q.Lang, q.Normalized)
					}
				}
			}
			t.Logf("%d posts, main languages %v; %d of %d mostly-Chinese posts are Chinese", len(posts), langs, chineseMain, chinese)
			if chineseMain != chinese {
				t.Errorf("%d of %d posts written mostly in Chinese did not come out as Chinese", chinese-chineseMain, chinese)
			}
		})
	}
}

// hanShare returns the share of Han characters among the letters of s,
// counting three Latin letters as one character.
func hanShare(s string) float64 {
	han, latin := 0.0, 0.0
	for _, r := range s {
		switch {
		case r >= 0x4E00 && r <= 0x9FFF:
			han++
		case r < 0x80 && (r|0x20) >= 'a' && (r|0x20) <= 'z':
			latin++
		}
	}
	if han+latin == 0 {
		return 0
	}
	return han / (han + latin/3)
}
