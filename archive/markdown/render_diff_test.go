package markdown

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// The regular expressions that render.go, blocks.go and media.go used
// to run, now matched by hand or prechecked.
var (
	refCaptionImage = regexp.MustCompile(`(?is)^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)$`)
	refDelimName    = regexp.MustCompile(`^([a-z][a-z0-9_-]*/)?([a-z][a-z0-9_-]*)`)
)

func randomPieces(r *rand.Rand, pieces []string, max int) string {
	var b strings.Builder
	for n := r.Intn(max); n >= 0; n-- {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	return b.String()
}

func TestCaptionImageMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"<a ", "<A ", "<a", "href=\"x\"", ">", "<img ", "<IMG ", "<img", "src=\"y.jpg\" /", "</a>", "</A>", "</a",
		" ", "\n", "\t", "\v", "\f", "\r", "text", "A caption", "<em>", "é", "\u00a0"}
	matched := 0
	for i := 0; i < 100000; i++ {
		in := randomPieces(r, pieces, 12)
		img, rest, ok := captionImage(in)
		m := refCaptionImage.FindStringSubmatch(in)
		if ok != (m != nil) || ok && (img != m[1] || rest != m[2]) {
			t.Fatalf("captionImage(%q) = %q, %q, %v; regexp gives %q", in, img, rest, ok, m)
		}
		if ok {
			matched++
		}
	}
	if matched < 100 {
		t.Errorf("only %d random inputs matched", matched)
	}
}

func TestDelimNameMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"a", "z", "core", "paragraph", "/", "-", "_", "0", "9", "A", " ", "{", "é", "//"}
	for i := 0; i < 100000; i++ {
		in := randomPieces(r, pieces, 6)
		ns, name, n := delimName(in)
		m := refDelimName.FindStringSubmatch(in)
		if (n > 0) != (m != nil) || n > 0 && (ns != m[1] || name != m[2] || n != len(m[0])) {
			t.Fatalf("delimName(%q) = %q, %q, %d; regexp gives %q", in, ns, name, n, m)
		}
	}
}

// mayAutoembedPara is a precheck: it must never say no where the regexp
// matches.
func TestMayAutoembedParaPrecheck(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"<p>", "<P>", "<p class=\"x\">", "</p>", "</P>", "</p", "http", "https", "HTTP", "://", "www.youtube.com/watch?v=abcdefghijk",
		"x", " ", "\n", "\t", "\v", "<", ">", "\"", "text", "<br />", "<p>http://", "<p>\nHTTPS://", "<p id=a> https://", "v</p>", "v </p>", "v\n</P>"}
	n := 0
	for i := 0; i < 100000; i++ {
		in := randomPieces(r, pieces, 12)
		if reAutoembedPara.MatchString(in) {
			n++
			if !mayAutoembedPara(in) {
				t.Fatalf("mayAutoembedPara(%q) is false, but the regexp matches", in)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d random inputs matched: the test does not exercise the precheck", n)
	}
}

func TestReplaceMoreCommentsMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`<!--more(?:\s[^>]*?)?-->|<!--nextpage-->`)
	r := rand.New(rand.NewSource(1))
	pieces := []string{"<!--", "more", "<!--more", "-->", "--", "-", ">", " ", "\n", "\v", "\t", "text", "<!--nextpage-->", "<!--more-->",
		"<!--more Read on-->", "<!--nextpage", "<p>", "é", "<!-- more -->"}
	hits := 0
	for i := 0; i < 100000; i++ {
		in := randomPieces(r, pieces, 10)
		wantMore := false
		want := re.ReplaceAllStringFunc(in, func(m string) string {
			if m == "<!--nextpage-->" {
				return ""
			}
			wantMore = true
			return "<wp-more></wp-more>"
		})
		var rep Report
		if got := replaceMoreComments(in, &rep); got != want || rep.More != wantMore {
			t.Fatalf("replaceMoreComments(%q) = %q, More %v; regexp gives %q, %v", in, got, rep.More, want, wantMore)
		}
		if want != in {
			hits++
		}
	}
	if hits < 1000 {
		t.Errorf("only %d random inputs held a divider", hits)
	}
}

func TestContainsFrom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	pieces := []string{"data", "-fn", "data-f", "d", "a", "-", "fn", "wp-block", "-footnotes", "wp-block-footnote", "x", " "}
	for i := 0; i < 100000; i++ {
		in := randomPieces(r, pieces, 8)
		for _, c := range []struct {
			needle string
			k      int
		}{{"data-fn", 4}, {"wp-block-footnotes", 8}} {
			if got, want := containsFrom(in, c.needle, c.k), strings.Contains(in, c.needle); got != want {
				t.Fatalf("containsFrom(%q, %q) = %v, want %v", in, c.needle, got, want)
			}
		}
	}
}
