package markdown

import (
	"bytes"
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/JohannesKaufmann/html-to-markdown/v2/collapse"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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

// assembleURL takes a short cut for plain URLs: it must give what
// parsing and writing them again gives.
func TestPlainURLShortCut(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"http://", "https://", "HTTP://", "example.com", "EXAMPLE.com", "/", "//", "path", "a-b_c.d~e", "?", "&", "=", "==",
		"x", "%20", "%zz", "#", ":", ":8080", "@", " ", "+", "[", "(", "é", ".", "..", "Q", "9", "\t", ";", ","}
	plain := 0
	for i := 0; i < 200000; i++ {
		in := randomPieces(r, pieces, 8)
		if r.Intn(2) == 0 {
			in = pieces[r.Intn(2)] + in
		}
		if !isPlainURL(in) {
			continue
		}
		plain++
		if want := assembleParsedURL(in); want != in {
			t.Fatalf("isPlainURL(%q) is true, but the URL becomes %q", in, want)
		}
	}
	if plain < 1000 {
		t.Errorf("only %d random URLs were plain", plain)
	}
}

func TestIsNaturalLangMatchesRegexp(t *testing.T) {
	ref := regexp.MustCompile(`^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$`)
	r := rand.New(rand.NewSource(1))
	pieces := []string{"e", "n", "Z", "zh", "Hant", "-", "--", "1", "abcdefgh", "abcdefghi", " ", "_", "é", "\n", "x-"}
	for i := 0; i < 100000; i++ {
		in := randomPieces(r, pieces, 6)
		if got, want := isNaturalLang(in), ref.MatchString(in); got != want {
			t.Fatalf("isNaturalLang(%q) = %v, regexp says %v", in, got, want)
		}
	}
}

// refUnEscapeString is unEscapeString looking at every byte.
func refUnEscapeString(chars []byte) string {
	var b strings.Builder
	skipUntil := 0
	last := 0
	for i := 0; i < len(chars); i++ {
		switch chars[i] {
		case '\a':
			b.Write(chars[last:i])
			last = i + 1
			if i < skipUntil || i+1 >= len(chars) {
				continue
			}
			if skip := unEscapeAt(chars, i+1); skip != -1 {
				b.WriteByte('\\')
				skipUntil = i + skip
			}
		case marker.BytesMarkerCodeBlockNewline[0]:
			if bytes.HasPrefix(chars[i:], marker.BytesMarkerCodeBlockNewline) {
				b.Write(chars[last:i])
				b.WriteByte('\n')
				last = i + 3
				i += 2
			}
		}
	}
	b.Write(chars[last:])
	return b.String()
}

func TestUnEscapeStringMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"\a", "\a*", "\a.", "\a-", "\a#", "\a[", "\a]", "\a`", "\a\a", "1", "#", "\n", " ", "-", ">", "`", "```", "~~",
		"[", "](", "!", "\\", "\uF002", "\uF002\a", "，", "\xef", "\xef\x80", "text", "*", "_", "=", "+", "1."}
	for i := 0; i < 100000; i++ {
		in := []byte(randomPieces(r, pieces, 16))
		if got, want := unEscapeString(in), refUnEscapeString(in); got != want {
			t.Fatalf("unEscapeString(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// postProcessDoc is strings.TrimSpace(postProcess(raw)) and a newline,
// also where resolving the markers leaves white space at either end.
func TestPostProcessDocMatchesTrimmed(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"\a", "\a*", "\a ", " \a", "\uF002", " \uF002 ", "\n", " ", "\t", "\u00a0", "  \n", "0", "text", "-", "#"}
	for i := 0; i < 100000; i++ {
		in := randomPieces(r, pieces, 12)
		want := strings.TrimSpace(postProcess([]byte(in)))
		if want != "" {
			want += "\n"
		}
		if got := postProcessDoc([]byte(in)); got != want {
			t.Fatalf("postProcessDoc(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// collapseFast is the library's collapse with the fast path's element
// kinds: both run on the same random fragments.
func TestCollapseFastMatchesLibrary(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"<p>", "</p>", "<em>", "</em>", "<strong>", "</strong>", "<a href=x>", "</a>", "<code>", "</code>", "<br>", "<hr>",
		"<span lang=fr>", "</span>", "<blockquote>", "</blockquote>", "<h2>", "</h2>", "<img src=y>", "<pre>", "</pre>", "<!-- c -->",
		" ", "  ", "\n", "\t", "\r\n", " \n ", "text", "a b", "é", "\u00a0", "<div>", "</div>"}
	parse := func(s string) *html.Node {
		body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
		nodes, err := html.ParseFragment(strings.NewReader(s), body)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range nodes {
			body.AppendChild(n)
		}
		return body
	}
	render := func(n *html.Node) string {
		var b bytes.Buffer
		if err := html.Render(&b, n); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for i := 0; i < 30000; i++ {
		in := randomPieces(r, pieces, 16)
		lib, hand := parse(in), parse(in)
		collapse.Collapse(lib, fastCollapse)
		collapseFast(hand)
		if got, want := render(hand), render(lib); got != want {
			t.Fatalf("collapse of %q\n got %q\nwant %q", in, got, want)
		}
	}
	ref := regexp.MustCompile(`[ \r\n\t]+`)
	for i := 0; i < 30000; i++ {
		in := randomPieces(r, []string{" ", "  ", "\n", "\t", "\r", "a", "é", "\v", "\f", "\u00a0"}, 10)
		if got, want := collapseSpace(in), ref.ReplaceAllString(in, " "); got != want {
			t.Fatalf("collapseSpace(%q) = %q, want %q", in, got, want)
		}
	}
}
