package quotes_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/quotes"
)

// A labelled post of testdata/quotes/labelled: a JSON header, a line
// "===", then the post_content.
type labelledPost struct {
	Name     string
	Hint     string    `json:"hint"`
	Lang     string    `json:"lang"`
	Note     string    `json:"note"`
	Passages []passage `json:"passages"`
	Content  string
}

// passage labels one foreign passage: a piece of its text, its language,
// and for a block the start of its translation ("" when it has none).
type passage struct {
	Find   string `json:"find"`
	Lang   string `json:"lang"`
	Pair   string `json:"pair"`
	Inline bool   `json:"inline"`
	Exact  bool   `json:"exact"` // the passage is exactly Find
}

func loadLabelled(t testing.TB) []labelledPost {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "quotes", "labelled", "*.post"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no labelled posts: %v", err)
	}
	var posts []labelledPost
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, content, ok := strings.Cut(string(b), "\n===\n")
		if !ok {
			t.Fatalf("%s: no === line", f)
		}
		var p labelledPost
		if err := json.Unmarshal([]byte(head), &p); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p.Name = filepath.Base(f)
		p.Content = strings.TrimSuffix(content, "\n")
		posts = append(posts, p)
	}
	return posts
}

// matches reports whether quote q is the labelled passage l.
func (l passage) matches(q archive.Quote) bool {
	if l.Inline != (q.Kind == "inline") {
		return false
	}
	if l.Exact {
		return q.Normalized == l.Find || q.Raw == l.Find
	}
	return strings.Contains(q.Normalized, l.Find) || strings.Contains(q.Raw, l.Find)
}

// text returns the passage's text as a reader sees it: the block holding
// Find, or Find itself for an inline passage.
func (l passage) text(res quotes.Result) string {
	if l.Inline {
		return l.Find
	}
	for _, line := range strings.Split(res.Text, "\n") {
		if strings.Contains(line, l.Find) {
			return line
		}
	}
	return l.Find
}

// score is the tally of the labelled set.
type score struct {
	langAll, langAllOK int // every passage
	lang10, lang10OK   int // passages of 10 characters or more
	predicted, correct int // block pairs found, and right
	labelledPairs      int // block pairs in the labels
	posts, postsOK     int // main language
	byLang             map[string][2]int
	misses             []string
}

func (s *score) langResult(ok bool, n int, lang, what string) {
	s.langAll++
	if s.byLang == nil {
		s.byLang = map[string][2]int{}
	}
	c := s.byLang[lang]
	c[1]++
	if ok {
		s.langAllOK++
		c[0]++
	} else {
		s.misses = append(s.misses, what)
	}
	s.byLang[lang] = c
	if n >= 10 {
		s.lang10++
		if ok {
			s.lang10OK++
		}
	}
}

func scoreLabelled(posts []labelledPost) *score {
	s := &score{}
	for _, p := range posts {
		res := quotes.Analyze(p.Content, p.Hint)
		s.posts++
		if res.Lang == p.Lang {
			s.postsOK++
		} else {
			s.misses = append(s.misses, fmt.Sprintf("%s: main language %s, want %s", p.Name, res.Lang, p.Lang))
		}
		used := make([]bool, len(res.Quotes))
		for _, l := range p.Passages {
			n := utf8.RuneCountInString(l.text(res))
			found := -1
			for i, q := range res.Quotes {
				if !used[i] && l.matches(q) {
					found = i
					break
				}
			}
			if !l.Inline && l.Pair != "" {
				s.labelledPairs++
			}
			if found < 0 {
				s.langResult(false, n, l.Lang, fmt.Sprintf("%s: %q (%s) not found", p.Name, l.Find, l.Lang))
				continue
			}
			used[found] = true
			q := res.Quotes[found]
			s.langResult(q.Lang == l.Lang, n, l.Lang, fmt.Sprintf("%s: %q is %s, want %s", p.Name, l.Find, q.Lang, l.Lang))
			if l.Inline || q.TranslationOf < 0 {
				if !l.Inline && l.Pair != "" {
					s.misses = append(s.misses, fmt.Sprintf("%s: %q unpaired, want %q", p.Name, l.Find, l.Pair))
				}
				continue
			}
			s.predicted++
			if l.Pair != "" && strings.Contains(q.Translation, l.Pair) {
				s.correct++
			} else {
				s.misses = append(s.misses, fmt.Sprintf("%s: %q paired with %.50q, want %q", p.Name, l.Find, q.Translation, l.Pair))
			}
		}
		// Passages found that no label names are errors of language, and
		// of pairing when paired.
		for i, q := range res.Quotes {
			if used[i] {
				continue
			}
			n := utf8.RuneCountInString(q.Normalized)
			s.langResult(false, n, "(none)", fmt.Sprintf("%s: unlabelled %s passage %.40q marked %s", p.Name, q.Kind, q.Normalized, q.Lang))
			if q.Kind == "block" && q.TranslationOf >= 0 {
				s.predicted++
			}
		}
	}
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestLabelledSet reports language accuracy and pairing precision and
// recall on testdata/quotes/labelled and fails below 98% accuracy on
// passages of 10 characters or more, precision 0.95 or recall 0.90.
func TestLabelledSet(t *testing.T) {
	posts := loadLabelled(t)
	langs := map[string]bool{}
	n := 0
	for _, p := range posts {
		for _, l := range p.Passages {
			langs[l.Lang] = true
			n++
		}
	}
	// The set itself: at least 40 passages in at least 8 languages.
	if n < 40 || len(langs) < 8 {
		t.Fatalf("labelled set too small: %d passages in %d languages", n, len(langs))
	}
	s := scoreLabelled(posts)
	for _, m := range s.misses {
		t.Log("miss:", m)
	}
	var ls []string
	for l, c := range s.byLang {
		ls = append(ls, fmt.Sprintf("%s %d/%d", l, c[0], c[1]))
	}
	sort.Strings(ls)
	acc10 := ratio(s.lang10OK, s.lang10)
	prec, rec := ratio(s.correct, s.predicted), ratio(s.correct, s.labelledPairs)
	t.Logf("%d posts (main language right in %d), %d labelled passages in %d languages", s.posts, s.postsOK, n, len(langs))
	t.Logf("language accuracy: %.3f (%d/%d) on passages of 10+ characters, %.3f (%d/%d) on all", acc10, s.lang10OK, s.lang10, ratio(s.langAllOK, s.langAll), s.langAllOK, s.langAll)
	t.Logf("by language: %s", strings.Join(ls, ", "))
	t.Logf("pairing: precision %.3f (%d/%d), recall %.3f (%d/%d)", prec, s.correct, s.predicted, rec, s.correct, s.labelledPairs)
	if acc10 < 0.98 {
		t.Errorf("language accuracy %.3f on passages of 10+ characters, want at least 0.98", acc10)
	}
	if prec < 0.95 {
		t.Errorf("pairing precision %.3f, want at least 0.95", prec)
	}
	if rec < 0.90 {
		t.Errorf("pairing recall %.3f, want at least 0.90", rec)
	}
	if s.postsOK != s.posts {
		t.Errorf("main language wrong in %d of %d posts", s.posts-s.postsOK, s.posts)
	}
	for _, p := range posts {
		checkInvariants(t, p.Content, quotes.Analyze(p.Content, p.Hint))
	}
}
