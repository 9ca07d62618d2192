package archive

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// quotesFixture: site A with an English post quoting Chinese (paired
// blocks, a repeat with fixes, an inline phrase, an unpaired Traditional
// Chinese block), an older post quoting Russian, a revision and a trashed
// post with passages of their own; site B with a Chinese post quoting
// English.
func quotesFixture() []searchSite {
	q := func(ord int, kind, lang, raw, norm string, tr int, trText string, rep int, fixes map[string]int) Quote {
		return Quote{Ord: ord, Kind: kind, Tag: "blockquote", Lang: lang, Script: "Hans", Raw: raw, Normalized: norm,
			TranslationOf: tr, Translation: trText, RepeatOf: rep, Fixes: fixes}
	}
	zh := searchPost("10", "post", "Bulk &amp; allies", "…", "en", "2022-05-01T10:00:00Z")
	zh.Derived.Quotes = []Quote{
		q(1, "block", "zh-Hans", "<p>哈官方承诺,不会</p>", "哈官方承诺，不会", 0, "officially promised not to", -1, map[string]int{"cjk-punct": 1}),
		q(3, "inline", "zh-Hans", "停止“侵略”行为", "停止“侵略”行为", 2, "telling Russia to stop", -1, nil),
		q(5, "block", "zh-Hant", "停止侵略行為", "停止侵略行為", -1, "", -1, nil),
		q(7, "block", "zh-Hans", "哈官方承诺 不会", "哈官方承诺不会", 6, "promised again", 1, map[string]int{"cjk-space": 1, "zero-width": 2}),
	}
	ru := searchPost("11", "post", "Radio", "…", "en", "2021-01-01T00:00:00Z")
	ru.Derived.Quotes = []Quote{q(2, "block", "ru", "Мы писали рапорты", "Мы писали рапорты", 1, "We wrote our reports", -1, nil)}
	rev := searchPost("12", "revision", "Bulk (draft)", "…", "en", "2022-04-30T00:00:00Z")
	rev.Derived.Quotes = []Quote{q(1, "block", "zh-Hans", "草稿", "草稿", -1, "", -1, nil)}
	trash := searchPost("13", "post", "Gone", "…", "en", "2022-06-01T00:00:00Z")
	trash.Status = "trash"
	trash.Derived.Quotes = []Quote{q(1, "block", "ru", "удалено", "удалено", -1, "", -1, nil)}
	cn := searchPost("20", "post", "中文", "…", "zh-Hans", "2023-01-01T00:00:00Z")
	cn.Derived.Quotes = []Quote{q(4, "block", "en", "Not a tool", "Not a tool", 3, "不会成为工具", -1, nil)}
	return []searchSite{
		{site: Site{Key: "steppe.example.org", Title: "Steppe Watch", Link: "https://steppe.example.org", Language: "en", WXRVersion: "1.2"},
			posts: []*Post{zh, ru, rev, trash}},
		{site: Site{Key: "other.example.net", Title: "Other", Link: "https://other.example.net", Language: "zh_CN", WXRVersion: "1.2"},
			posts: []*Post{cn}},
	}
}

func quotesArchive(t *testing.T) *Archive {
	t.Helper()
	a, err := Open(context.Background(), filepath.Join(t.TempDir(), "q.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	importSites(t, a, quotesFixture())
	return a
}

// quoteLabels renders passages as "wpid#ord lang".
func quoteLabels(qs []QuoteView) string {
	var s []string
	for _, q := range qs {
		s = append(s, fmt.Sprintf("%s#%d %s", quoteWPID(q.Post.WPID), q.Ord, q.Lang))
	}
	return strings.Join(s, ", ")
}

func quoteWPID(p *int64) string {
	if p == nil {
		return "?"
	}
	return fmt.Sprint(*p)
}

func TestQuotesFilters(t *testing.T) {
	a := quotesArchive(t)
	ctx := context.Background()
	rowOf := func(wpID string) int64 {
		return one[int64](t, a.DB(), `SELECT id FROM posts WHERE wp_key = ?`, wpID)
	}
	cases := []struct {
		name string
		f    QuoteFilter
		want string
	}{
		{"all, newest post first, document order", QuoteFilter{},
			"20#4 en, 10#1 zh-Hans, 10#3 zh-Hans, 10#5 zh-Hant, 10#7 zh-Hans, 11#2 ru"},
		{"zh prefix", QuoteFilter{Lang: "zh"}, "10#1 zh-Hans, 10#3 zh-Hans, 10#5 zh-Hant, 10#7 zh-Hans"},
		{"zh-hant, case and _ aside", QuoteFilter{Lang: "ZH_hant"}, "10#5 zh-Hant"},
		{"a prefix of a subtag is not a match", QuoteFilter{Lang: "z"}, ""},
		{"ru", QuoteFilter{Lang: "ru"}, "11#2 ru"},
		{"inline", QuoteFilter{Kind: "inline"}, "10#3 zh-Hans"},
		{"block zh", QuoteFilter{Kind: "block", Lang: "zh"}, "10#1 zh-Hans, 10#5 zh-Hant, 10#7 zh-Hans"},
		{"unpaired", QuoteFilter{Unpaired: true}, "10#5 zh-Hant"},
		{"repeats and what they repeat", QuoteFilter{Repeats: true}, "10#1 zh-Hans, 10#7 zh-Hans"},
		{"one post", QuoteFilter{PostID: rowOf("11")}, "11#2 ru"},
		{"a revision named is listed", QuoteFilter{PostID: rowOf("12")}, "12#1 zh-Hans"},
		{"all: revisions and trash", QuoteFilter{All: true, Lang: "ru"}, "13#1 ru, 11#2 ru"},
		{"site by key", QuoteFilter{Site: "other.example.net"}, "20#4 en"},
		{"site by URL", QuoteFilter{Site: "https://steppe.example.org/", Lang: "ru"}, "11#2 ru"},
		{"limit", QuoteFilter{Limit: 2}, "20#4 en, 10#1 zh-Hans"},
		{"nothing", QuoteFilter{Lang: "ja"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			qs, err := a.Quotes(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if qs == nil {
				t.Fatal("nil slice; want an empty one (JSON [])")
			}
			if got := quoteLabels(qs); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}

	if _, err := a.Quotes(ctx, QuoteFilter{Site: "nowhere.example"}); !errors.Is(err, ErrPostNotFound) || !strings.Contains(err.Error(), "no site") {
		t.Errorf("unknown site: %v", err)
	}
}

func TestQuotesFields(t *testing.T) {
	a := quotesArchive(t)
	qs, err := a.Quotes(context.Background(), QuoteFilter{Lang: "zh-Hans", Kind: "block"})
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 {
		t.Fatalf("%d passages: %s", len(qs), quoteLabels(qs))
	}
	first, rep := qs[0], qs[1]
	if first.Raw != "<p>哈官方承诺,不会</p>" || first.Normalized != "哈官方承诺，不会" || first.Tag != "blockquote" || first.Script != "Hans" {
		t.Errorf("texts: %+v", first)
	}
	if first.TranslationOrd == nil || *first.TranslationOrd != 0 || first.Translation != "officially promised not to" {
		t.Errorf("translation: %v %q", first.TranslationOrd, first.Translation)
	}
	if first.RepeatOfOrd != nil {
		t.Errorf("first passage repeats #%d", *first.RepeatOfOrd)
	}
	if rep.RepeatOfOrd == nil || *rep.RepeatOfOrd != 1 {
		t.Errorf("repeat of %v, want 1", rep.RepeatOfOrd)
	}
	if fmt.Sprint(first.Fixes) != "map[cjk-punct:1]" || fmt.Sprint(rep.Fixes) != "map[cjk-space:1 zero-width:2]" {
		t.Errorf("fixes %v, %v", first.Fixes, rep.Fixes)
	}
	p := first.Post
	if p.Title != "Bulk & allies" || p.Site != "steppe.example.org" || p.DateAt != "2022-05-01T10:00:00Z" ||
		p.Lang != "en" || p.Type != "post" || p.Status != "publish" || quoteWPID(p.WPID) != "10" || p.Link != "https://steppe.example.org/?p=10" {
		t.Errorf("post: %+v", p)
	}

	unpaired, err := a.Quotes(context.Background(), QuoteFilter{Unpaired: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(unpaired) != 1 || unpaired[0].TranslationOrd != nil || unpaired[0].Translation != "" || unpaired[0].Fixes == nil {
		t.Errorf("unpaired: %+v", unpaired)
	}
}

func TestHasQuotes(t *testing.T) {
	ctx := context.Background()
	a := quotesArchive(t)
	if ok, err := a.HasQuotes(ctx); err != nil || !ok {
		t.Errorf("HasQuotes = %v, %v; want true", ok, err)
	}
	empty := openTemp(t)
	importSites(t, empty, []searchSite{{site: Site{Key: "plain.example", Link: "https://plain.example"},
		posts: []*Post{searchPost("1", "post", "Plain", "English only.", "en", "2020-01-01T00:00:00Z")}}})
	if ok, err := empty.HasQuotes(ctx); err != nil || ok {
		t.Errorf("HasQuotes on an archive without passages = %v, %v", ok, err)
	}
	if qs, err := empty.Quotes(ctx, QuoteFilter{}); err != nil || len(qs) != 0 {
		t.Errorf("Quotes: %v, %v", qs, err)
	}
}
