package markdown

import (
	"math/rand"
	"testing"
)

// refTrimConsecutiveNewlines is trimConsecutiveNewlines written out
// character by character, as html-to-markdown's own is.
func refTrimConsecutiveNewlines(in []byte) []byte {
	var out []byte
	newlines := 0
	spaces := 0 // pending spaces (only ' ' is collected)
	for _, c := range in {
		switch c {
		case '\n':
			newlines++
			if newlines <= 2 {
				for ; spaces > 0; spaces-- {
					out = append(out, ' ')
				}
				out = append(out, '\n')
			}
			spaces = 0
		case ' ':
			spaces++
		default:
			newlines = 0
			for ; spaces > 0; spaces-- {
				out = append(out, ' ')
			}
			out = append(out, c)
		}
	}
	for ; spaces > 0; spaces-- {
		out = append(out, ' ')
	}
	return out
}

func TestTrimConsecutiveNewlinesMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"\n", "\n\n", "\n\n\n", " ", "  ", "\t", "a", "text", " \n", "\n ", "\r\n", "é"}
	for i := 0; i < 50000; i++ {
		var in []byte
		for n := r.Intn(20); n >= 0; n-- {
			in = append(in, pieces[r.Intn(len(pieces))]...)
		}
		want := string(refTrimConsecutiveNewlines(in))
		if got := string(trimConsecutiveNewlines(append([]byte(nil), in...))); got != want {
			t.Fatalf("trimConsecutiveNewlines(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
