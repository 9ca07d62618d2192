package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/rivo/uniseg"

	"github.com/wparchive/wparchive/archive"
)

// quoteSection is one passage as `quotes` prints it side by side: its
// head line and the two columns read back.
type quoteSection struct {
	head        string
	left, right string
	lines       []string
}

var (
	quoteHeadRe = regexp.MustCompile(`^#(\d+) (\S+) · `)
	headsRe     = regexp.MustCompile(`(?m)^#\d+ (\S+) · `)
)

// readSideBySide splits the output into passages and reads each one's
// columns back, lines joined.
func readSideBySide(t *testing.T, out string) map[string]*quoteSection {
	t.Helper()
	secs := map[string]*quoteSection{}
	var cur *quoteSection
	for _, ln := range strings.Split(out, "\n") {
		if m := quoteHeadRe.FindStringSubmatch(ln); m != nil {
			cur = &quoteSection{head: ln}
			secs[m[1]] = cur
			continue
		}
		if cur == nil || !strings.HasPrefix(ln, "  ") {
			cur = nil
			continue
		}
		cur.lines = append(cur.lines, ln)
		l, r, ok := strings.Cut(ln[2:], " │ ")
		if !ok {
			t.Errorf("passage %q: a line without two columns: %q", cur.head, ln)
			continue
		}
		cur.left += strings.TrimSpace(l) + "\n"
		cur.right += strings.TrimSpace(r) + "\n"
	}
	return secs
}

// noSpace drops white space, so that wrapped text compares with its source.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func quotesJSON(t *testing.T, args ...string) []archive.QuoteView {
	t.Helper()
	code, out, stderr := wparchive(t, append([]string{"quotes", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("quotes --json %v: exit %d: %s", args, code, stderr)
	}
	var qs []archive.QuoteView
	if err := json.Unmarshal([]byte(out), &qs); err != nil {
		t.Fatalf("quotes --json %v: %v\n%s", args, err, out)
	}
	return qs
}

// TestQuotesSeedSideBySide: on a 100-column terminal every Chinese block
// of the seed post is listed as zh-Hans with the English block that
// translates it in the column beside it, the repeated sentence is marked.
func TestQuotesSeedSideBySide(t *testing.T) {
	path := importSeed(t)
	code, out, stderr := wparchive(t, "quotes", "--db", path, "--width", "100", "--post", "21873")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, ln := range strings.Split(out, "\n") {
		if w := uniseg.StringWidth(ln); w > 100 && !strings.Contains(ln, "://") {
			t.Errorf("line of %d columns with --width 100: %q", w, ln)
		}
		if strings.HasPrefix(ln, "  ") {
			if l, _, ok := strings.Cut(ln, " │ "); ok && strings.HasPrefix(strings.TrimSpace(l), "，") {
				t.Errorf("a line starts with a comma: %q", ln)
			}
		}
	}
	if !strings.HasPrefix(out, "Central Asia: Russia’s Restive “Bulk” of Allies\n2022-05-01 18:40 · post 21873 · in en") {
		t.Errorf("heading:\n%s", out[:min(len(out), 300)])
	}

	// The archive's rows say which blocks are Chinese and what they pair
	// with; the seed says there are five, each after its translation.
	db := openDB(t, path)
	rows, err := db.Query(`SELECT q.ord, q.lang, q.normalized, q.translation_ord, q.translation FROM quotes q
		JOIN posts p ON p.id = q.post_id WHERE p.wp_id = 21873 AND q.kind = 'block' AND q.script = 'Hans' ORDER BY q.ord`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	secs := readSideBySide(t, out)
	n := 0
	for rows.Next() {
		var ord, trOrd int
		var lang, norm, tr string
		if err := rows.Scan(&ord, &lang, &norm, &trOrd, &tr); err != nil {
			t.Fatal(err)
		}
		n++
		if lang != "zh-Hans" || trOrd != ord-1 {
			t.Errorf("block #%d: %s, translation #%d; want zh-Hans paired with the block before it", ord, lang, trOrd)
		}
		s := secs[fmt.Sprint(ord)]
		if s == nil {
			t.Errorf("block #%d not listed", ord)
			continue
		}
		if want := fmt.Sprintf("#%d zh-Hans · blockquote, translation #%d", ord, trOrd); !strings.HasPrefix(s.head, want) {
			t.Errorf("head %q, want it to start %q", s.head, want)
		}
		if noSpace(s.left) != noSpace(norm) {
			t.Errorf("#%d left column:\n%s\nwant the normalised text\n%s", ord, s.left, norm)
		}
		if noSpace(s.right) != noSpace(tr) || !strings.ContainsAny(s.right, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("#%d right column:\n%s\nwant the English translation\n%s", ord, s.right, tr)
		}
		if strings.Contains(s.left, ",") {
			t.Errorf("#%d: an ASCII comma left in the normalised Chinese: %s", ord, s.left)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("%d Chinese blocks in the seed post, want 5", n)
	}
	// The sentence pasted twice: its second copy (alone in a blockquote)
	// repeats the long quote it first appeared in, and is translated by
	// the English block "officially promised not to become a tool …".
	var rep *quoteSection
	for _, s := range secs {
		if strings.HasPrefix(noSpace(s.left), "哈官方承诺不会成为帮助俄罗斯规避西方制裁的工具") {
			rep = s
		}
	}
	if rep == nil || !regexp.MustCompile(`^#\d+ zh-Hans · blockquote, translation #\d+ · repeat of #10 · normalised: cjk-punct ×2$`).MatchString(rep.head) ||
		!strings.HasPrefix(rep.right, "officially promised not to become a tool") {
		t.Errorf("the repeated sentence: %+v", rep)
	}
	if _, ok := secs["10"]; !ok || !strings.HasPrefix(secs["10"].left, "在刚刚经历过“一月政变”的哈萨克斯坦，") {
		t.Errorf("#10 is not the long quote: %+v", secs["10"])
	}
	if !strings.HasSuffix(out, "\n6 passages in 1 post: zh-Hans 6; 6 paired, 1 repeat.\n") {
		t.Errorf("summary:\n%s", out[max(0, len(out)-200):])
	}
}

func TestQuotesSeedFilters(t *testing.T) {
	path := importSeed(t)

	// Russian only, from every post that has some; piped output (no
	// width) puts the translation under the passage.
	code, out, _ := wparchive(t, "quotes", "--db", path, "--lang", "ru")
	if code != exitOK {
		t.Fatalf("--lang ru: exit %d", code)
	}
	heads := headsRe.FindAllStringSubmatch(out, -1)
	if len(heads) != 5 {
		t.Errorf("--lang ru: %d passages, want 5 (2 blockquotes, 3 inline words)\n%s", len(heads), out)
	}
	for _, h := range heads {
		if h[1] != "ru" {
			t.Errorf("--lang ru lists a passage in %s", h[1])
		}
	}
	if strings.Contains(out, "zh-Hans") || !strings.HasSuffix(out, "\n5 passages in 3 posts: ru 5; 5 paired, 0 repeats.\n") {
		t.Errorf("--lang ru:\n%s", out)
	}
	if !strings.Contains(out, "\n  ru       «Мы писали рапорты от руки и ждали ответа два-три месяца.") ||
		!strings.Contains(out, "\n  en       \"We wrote our reports by hand and waited two or three months for an answer.") {
		t.Errorf("--lang ru: passage and translation not one under the other:\n%s", out)
	}

	// --lang zh is a prefix of zh-Hans.
	if qs := quotesJSON(t, "--db", path, "--lang", "zh"); len(qs) != 13 {
		t.Errorf("--lang zh: %d passages, want the 13 zh-Hans", len(qs))
	}

	// The inline phrase, with the sentence it sits in.
	_, out, _ = wparchive(t, "quotes", "--db", path, "--kind", "inline", "--post", "21873")
	if !regexp.MustCompile(`(?m)^#\d+ zh-Hans · inline in p #\d+\n  zh-Hans  停止“侵略”行为\n  en       Uzbekistan is quoted as even telling Russia to stop its “aggressive” behavior \(停止“侵略”行为\)\.\n`).MatchString(out) {
		t.Errorf("inline 停止“侵略”行为 not listed with its sentence:\n%s", out)
	}
	if strings.Contains(out, "blockquote") {
		t.Errorf("--kind inline lists a block:\n%s", out)
	}

	// --repeats: the repeat and the passage it repeats.
	qs := quotesJSON(t, "--db", path, "--repeats")
	if len(qs) != 2 || qs[0].Ord != 10 || qs[0].RepeatOfOrd != nil || qs[1].RepeatOfOrd == nil || *qs[1].RepeatOfOrd != 10 {
		t.Errorf("--repeats: %+v", qs)
	}
	if qs := quotesJSON(t, "--db", path, "--unpaired"); len(qs) != 0 {
		t.Errorf("--unpaired: every seed passage is paired, got %+v", qs)
	}

	// --limit cuts the list and says more match.
	_, out, _ = wparchive(t, "quotes", "--db", path, "--limit", "2")
	if n := len(headsRe.FindAllString(out, -1)); n != 2 {
		t.Errorf("--limit 2: %d passages\n%s", n, out)
	}
	if !strings.Contains(out, "2 passages in 1 post: ru 2; 2 paired, 0 repeats. More match: raise --limit") {
		t.Errorf("--limit 2: summary\n%s", out)
	}
}

// TestQuotesSeedJSON: --json holds every field; raw is the stored raw
// byte for byte, and the ASCII commas of the Chinese are full-width only
// in the normalised text.
func TestQuotesSeedJSON(t *testing.T) {
	path := importSeed(t)
	db := openDB(t, path)
	qs := quotesJSON(t, "--db", path)
	if n := count(t, db, `SELECT count(*) FROM quotes`); len(qs) != n || n != 18 {
		t.Fatalf("%d passages in JSON, %d in the archive, want 18", len(qs), n)
	}
	commas := 0
	for _, q := range qs {
		var raw, norm, fixes string
		var trOrd, rep *int
		if err := db.QueryRow(`SELECT raw, normalized, coalesce(fixes_json, '{}'), translation_ord, repeat_of_ord FROM quotes WHERE id = ?`, q.ID).
			Scan(&raw, &norm, &fixes, &trOrd, &rep); err != nil {
			t.Fatal(err)
		}
		if q.Raw != raw || q.Normalized != norm {
			t.Errorf("quote %d: raw or normalised text differs from the archive's", q.ID)
		}
		if b, _ := json.Marshal(q.Fixes); string(b) != fixes {
			t.Errorf("quote %d: fixes %s, archive %s", q.ID, b, fixes)
		}
		if fmt.Sprint(deref(q.TranslationOrd), deref(q.RepeatOfOrd)) != fmt.Sprint(deref(trOrd), deref(rep)) {
			t.Errorf("quote %d: ords %v %v, archive %v %v", q.ID, deref(q.TranslationOrd), deref(q.RepeatOfOrd), deref(trOrd), deref(rep))
		}
		if q.Post.ID == 0 || q.Post.Title == "" || q.Post.Site != "steppewatch.example.org" {
			t.Errorf("quote %d: post %+v", q.ID, q.Post)
		}
		if q.Script == "Hans" && strings.Contains(raw, "哈萨克斯坦,从总统") {
			commas++
			if !strings.Contains(q.Normalized, "哈萨克斯坦，从总统") || q.Fixes["cjk-punct"] == 0 {
				t.Errorf("quote %d: ASCII comma not made full-width: %s %v", q.ID, q.Normalized, q.Fixes)
			}
		}
	}
	if commas != 1 {
		t.Errorf("%d passages with the seed's 哈萨克斯坦,从总统, want 1", commas)
	}
	// The raw text is the content's bytes: it is found in the post as is.
	for _, q := range qs {
		var content string
		if err := db.QueryRow(`SELECT content FROM posts WHERE id = ?`, q.Post.ID).Scan(&content); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(content, q.Raw) {
			t.Errorf("quote %d: raw %q is not in the post's content", q.ID, q.Raw)
		}
	}
}

func deref(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func TestQuotesPostReferences(t *testing.T) {
	path := importSeed(t)
	ids := func(qs []archive.QuoteView) string {
		var s []string
		for _, q := range qs {
			s = append(s, fmt.Sprint(q.ID))
			if q.Post.WPID == nil || *q.Post.WPID != 21873 {
				t.Errorf("quote %d belongs to post %v", q.ID, q.Post.WPID)
			}
		}
		return strings.Join(s, " ")
	}
	want := ids(quotesJSON(t, "--db", path, "--post", "21873"))
	if strings.Count(want, " ") != 5 {
		t.Fatalf("--post 21873: %s, want 6 passages", want)
	}
	for _, ref := range []string{"central-asia-russias-restive-bulk-of-allies",
		"https://steppewatch.example.org/2022/05/01/central-asia-russias-restive-bulk-of-allies/",
		"http://steppewatch.example.org/?p=21873"} {
		if got := ids(quotesJSON(t, "--db", path, "--post", ref)); got != want {
			t.Errorf("--post %s: %s, want %s", ref, got, want)
		}
	}
	// --row and --site as show takes them.
	var row int64
	if err := openDB(t, path).QueryRow(`SELECT id FROM posts WHERE wp_id = 21873`).Scan(&row); err != nil {
		t.Fatal(err)
	}
	if got := ids(quotesJSON(t, "--db", path, "--row", fmt.Sprint(row))); got != want {
		t.Errorf("--row %d: %s", row, got)
	}
	if got := ids(quotesJSON(t, "--db", path, "--site", "steppewatch.example.org", "--post", "21873")); got != want {
		t.Errorf("--site --post: %s", got)
	}
}

func TestQuotesErrors(t *testing.T) {
	path := importSeed(t)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--kind", "quote"}, exitUsage, "--kind is block or inline"},
		{[]string{"--limit", "-1"}, exitUsage, "--limit must be"},
		{[]string{"21873"}, exitUsage, "no arguments"},
		{[]string{"--post", ""}, exitUsage, "--post needs"},
		{[]string{"--post", "21873", "--row", "3"}, exitUsage, "not both"},
		{[]string{"--width", "-5"}, exitUsage, "--width must be"},
		{[]string{"--no-such-flag"}, exitUsage, "unknown flag"},
		{[]string{"--post", "no-such-post"}, exitError, "nothing matches"},
		{[]string{"--site", "elsewhere.example"}, exitError, "no site"},
	}
	for _, c := range cases {
		code, out, stderr := wparchive(t, append([]string{"quotes", "--db", path}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.msg) || out != "" {
			t.Errorf("%v: exit %d, %q, stdout %q; want exit %d and %q", c.args, code, stderr, out, c.code, c.msg)
		}
		if c.code == exitUsage && !strings.Contains(stderr, "Try: wparchive quotes --help") {
			t.Errorf("%v: no hint in %q", c.args, stderr)
		}
	}
	code, _, stderr := wparchive(t, "quotes", "--db", filepath.Join(t.TempDir(), "missing.sqlite"))
	if code != exitError || !strings.Contains(stderr, "no such archive") {
		t.Errorf("missing archive: exit %d, %q", code, stderr)
	}
	code, out, _ := wparchive(t, "quotes", "--help")
	if code != exitOK || !strings.Contains(out, "Usage: wparchive quotes") || !strings.Contains(out, "--unpaired") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}

// plainWXR is an export whose one post is English only.
const plainWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Plain</title>
	<link>https://plain.example.org</link>
	<language>en</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_blog_url>https://plain.example.org</wp:base_blog_url>
	<item>
		<title>Hello</title>
		<link>https://plain.example.org/hello/</link>
		<dc:creator><![CDATA[owner]]></dc:creator>
		<content:encoded><![CDATA[<p>An ordinary post written in plain English, nothing quoted from abroad.</p>]]></content:encoded>
		<wp:post_id>1</wp:post_id>
		<wp:post_date><![CDATA[2023-03-01 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2023-03-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[hello]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
	</item>
</channel>
</rss>
`

func TestQuotesEmpty(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "plain.xml")
	if err := os.WriteFile(src, []byte(plainWXR), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "plain.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, src); code != exitOK {
		t.Fatalf("import: %s", stderr)
	}
	code, out, stderr := wparchive(t, "quotes", "--db", db)
	if code != exitOK || out != "No foreign-language passages: the import found none in this archive.\n" || stderr != "" {
		t.Errorf("archive without passages: exit %d, %q, %q", code, out, stderr)
	}
	if code, out, _ := wparchive(t, "quotes", "--db", db, "--json"); code != exitOK || out != "[]\n" {
		t.Errorf("--json: exit %d, %q", code, out)
	}
	// On the seed, a filter that selects nothing says so differently.
	code, out, _ = wparchive(t, "quotes", "--db", importSeed(t), "--lang", "ja")
	if code != exitOK || out != "No passage matches.\n" {
		t.Errorf("--lang ja on the seed: exit %d, %q", code, out)
	}
}

func TestWrapWidth(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"English at spaces", "the quick brown fox jumps", 10, "the quick|brown fox|jumps"},
		{"CJK two columns each", "哈萨克斯坦从总统托卡耶夫", 10, "哈萨克斯坦|从总统托卡|耶夫"},
		{"no line starts with a closing mark", "哈萨克斯坦，从总统", 10, "哈萨克斯|坦，从总统"},
		{"a word wider than the line is cut", "abcdefghijkl", 5, "abcde|fghij|kl"},
		{"line breaks kept", "one\ntwo", 20, "one|two"},
		{"no width", "哈萨克斯坦 and more", 0, "哈萨克斯坦 and more"},
	}
	for _, c := range cases {
		got := wrapWidth(c.in, c.width)
		if s := strings.Join(got, "|"); s != c.want {
			t.Errorf("%s: %q", c.name, s)
		}
		for _, ln := range got {
			if c.width > 0 && uniseg.StringWidth(ln) > c.width {
				t.Errorf("%s: %q is wider than %d", c.name, ln, c.width)
			}
		}
	}
	if got := truncateWidth("哈萨克斯坦从总统", 9); got != "哈萨克斯…" {
		t.Errorf("truncateWidth: %q", got)
	}
	if got := displayText("a\x1b[31mb\tc\r\n\n d "); got != "a[31mb c\nd" {
		t.Errorf("displayText: %q", got)
	}
}
