package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSeedFile checks testdata/seed/central-asia.xml with the same rules as generated output,
// and the facts its README promises.
func TestSeedFile(t *testing.T) {
	data, err := os.ReadFile("../../testdata/seed/central-asia.xml")
	if err != nil {
		t.Fatal(err)
	}
	f := validateWXR(t, "central-asia.xml", data)

	ch := f.channel
	if ch.title != "Steppe Watch" || ch.language != "en" || ch.baseSite != "http://wordpress.com/" || ch.baseBlog != "https://steppewatch.example.org" {
		t.Errorf("channel = %+v", ch)
	}
	if len(ch.authors) != 2 || len(ch.categories) != 7 || len(ch.tags) != 10 {
		t.Errorf("authors %d, categories %d, tags %d; want 2, 7, 10", len(ch.authors), len(ch.categories), len(ch.tags))
	}
	if ch.categoryParents["kazakhstan"] != "central-asia" || ch.categoryParents["uzbekistan"] != "central-asia" {
		t.Errorf("category parents = %v", ch.categoryParents)
	}

	items := map[int64]*wxrItem{}
	var order []int64
	for _, it := range f.items {
		items[it.id] = it
		order = append(order, it.id)
	}
	if got := fmt.Sprint(order); got != "[2 21790 21873 21875 21911 21950]" {
		t.Fatalf("item ids = %s", got)
	}
	for id, want := range map[int64]string{2: "page publish", 21790: "post publish", 21873: "post publish",
		21875: "attachment inherit", 21911: "post publish", 21950: "post draft"} {
		if got := items[id].typ + " " + items[id].status; got != want {
			t.Errorf("item %d is %q, want %q", id, got, want)
		}
	}

	p := items[21873]
	if p.title != "Central Asia: Russia’s Restive “Bulk” of Allies" || p.name != "central-asia-russias-restive-bulk-of-allies" || p.commentStatus != "open" {
		t.Errorf("seed post title/slug/status: %q %q %q", p.title, p.name, p.commentStatus)
	}
	if p.metaValue("_thumbnail_id") != "21875" || p.metaValue("_wp_old_slug") == "" || p.metaValue("geo_public") != "0" {
		t.Errorf("seed post meta = %+v", p.meta)
	}
	c := p.content
	if strings.Contains(c, "<p>") {
		t.Error("classic content must not contain <p>")
	}
	repeated := "哈官方承诺不会成为帮助俄罗斯规避西方制裁的工具,并接待了专程到访的美国副国务卿,两国还宣布拟扩大高水平战略伙伴关系。"
	for _, want := range []struct {
		text string
		n    int
	}{
		{repeated, 2},
		{"在刚刚经历过“一月政变”的哈萨克斯坦,从总统托卡耶夫", 1}, // ASCII comma, as in the seed
		{"Uzbekistan is quoted as even telling Russia to stop its “aggressive” behavior (停止“侵略”行为). To find", 1},
		{`[caption id="attachment_21875"`, 1},
		{`alt="QSL card from Radio Tashkent, December 1985"`, 1},
		{"That was long ago: a QSL card<br />from Radio Tashkent, December 1985[/caption]", 1},
		{"againly been upped further", 1},
		{"Both Kazakhtan and Uzbekistan", 1},
		{"<blockquote>", 12},
	} {
		if got := strings.Count(c, want.text); got != want.n {
			t.Errorf("seed content has %q %d times, want %d", want.text, got, want.n)
		}
	}
	if strings.ContainsAny(c, "，") {
		t.Error("seed content has full-width commas; the seed has ASCII ones")
	}
	// Translation before original: every Chinese blockquote follows an English one.
	bqs := regexp.MustCompile(`(?s)<blockquote>(.*?)</blockquote>`).FindAllStringSubmatch(c, -1)
	chinese := 0
	for i, m := range bqs {
		if hasHan(m[1]) {
			chinese++
			if i == 0 || hasHan(bqs[i-1][1]) {
				t.Errorf("Chinese blockquote %d is not preceded by its English translation", i)
			}
		}
	}
	if chinese != 5 {
		t.Errorf("%d Chinese blockquotes, want 5", chinese)
	}
	linksInQuotes := 0
	for _, m := range bqs {
		linksInQuotes += strings.Count(m[1], "<a href=")
	}
	if linksInQuotes != 5 {
		t.Errorf("%d links inside blockquotes, want 5", linksInQuotes)
	}

	// Comments, as listed in testdata/seed/README.md.
	type row struct {
		post, parent       int64
		typ, approved, hc  string
		akismet, histories int
	}
	want := map[int64]row{
		1201: {21873, 0, "comment", "1", "twitter", 1, 1},
		1202: {21873, 1201, "comment", "1", "jetpack", 0, 0},
		1203: {21873, 1202, "comment", "1", "twitter", 1, 1},
		1204: {21873, 1203, "comment", "1", "wordpress", 1, 1},
		1205: {21873, 0, "comment", "1", "facebook", 1, 1},
		1206: {21873, 0, "trackback", "1", "", 0, 0},
		1207: {21873, 0, "comment", "1", "", 1, 2},
		1208: {21873, 0, "pingback", "1", "", 0, 0},
		1209: {21911, 0, "comment", "1", "twitter", 1, 1},
		1210: {21873, 0, "comment", "0", "", 1, 1},
		1211: {21873, 0, "comment", "trash", "", 1, 2},
	}
	got := 0
	for _, it := range f.items {
		for _, cm := range it.comments {
			got++
			w, ok := want[cm.id]
			if !ok {
				t.Errorf("unexpected comment %d", cm.id)
				continue
			}
			g := row{it.id, cm.parent, cm.typ, cm.approved, cm.metaValue("hc_post_as"),
				len(cm.metaValues("akismet_result")), len(cm.metaValues("akismet_history"))}
			if g != w {
				t.Errorf("comment %d = %+v, want %+v", cm.id, g, w)
			}
			if w.hc == "twitter" && (cm.author != "Aigerim Bekova" || cm.metaValue("hc_foreign_user_id") != "2417390561") {
				t.Errorf("comment %d: the Twitter commenter changed identity: %q %q", cm.id, cm.author, cm.metaValue("hc_foreign_user_id"))
			}
		}
	}
	if got != len(want) {
		t.Errorf("%d comments, want %d", got, len(want))
	}
	if d := threadDepth(p); d != 4 {
		t.Errorf("thread depth %d, want 4", d)
	}
	tb := p.comments[5]
	if tb.author != "Kettles &amp; Caravans" || tb.email != "" ||
		!strings.HasPrefix(tb.content, "<strong>Weekend reading: sanctions and the steppe</strong>\n\n") || !strings.HasSuffix(tb.content, "&#8230;") {
		t.Errorf("trackback = %+v", tb)
	}
	if excerpt := strings.TrimSuffix(strings.SplitN(tb.content, "\n\n", 2)[1], "&#8230;"); len([]rune(excerpt)) != 252 {
		t.Errorf("trackback excerpt is %d characters before the ellipsis, want 252", len([]rune(excerpt)))
	}
	trash := p.comments[len(p.comments)-1]
	if trash.metaValue("_wp_trash_meta_status") != "0" || trash.metaValue("_wp_trash_meta_time") != "1652255920" ||
		trash.url != "https://flights.example.com/?from=TAS&to=ALA" {
		t.Errorf("trashed comment = %+v", trash)
	}

	d := items[21950]
	if d.dateGMT != zeroDate || d.name != "" || d.pubDate != zeroRSS {
		t.Errorf("draft dates/slug: %q %q %q", d.dateGMT, d.name, d.pubDate)
	}
	if g := items[21790]; g.name != "%e4%b8%8a%e5%90%88%e7%bb%84%e7%bb%87-sco-a-short-glossary" || slugify(g.title) != g.name {
		t.Errorf("glossary slug %q (slugify gives %q)", g.name, slugify(g.title))
	}
	if r := items[21911]; !hasCyrillic(r.content) || strings.Count(r.content, `<blockquote lang="ru">`) != 2 {
		t.Errorf("Russian post lacks its two Russian originals")
	}
	a := items[21875]
	if a.parent != 21873 || a.attachmentURL == "" || !strings.Contains(a.metaValue("_wp_attachment_metadata"), `s:27:"QSL Radio Tashkent — 1985"`) {
		t.Errorf("attachment = %+v", a)
	}
}
