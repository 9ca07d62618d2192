package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// TestShowSeedPassages: show's metadata counts the seed post's foreign
// passages and lists each one, and --json holds them.
func TestShowSeedPassages(t *testing.T) {
	path := importSeed(t)
	code, out, stderr := wparchive(t, "show", "--db", path, "21873")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	meta, _, _ := strings.Cut(out, "\n\n")
	if !strings.Contains(meta, "\nLanguage:   en\nPassages:   6 foreign: zh-Hans 6; 6 paired, 1 repeat\n") {
		t.Fatalf("no passage summary after the language in\n%s", meta)
	}
	lines := regexp.MustCompile(`(?m)^ {12}#(\d+) +(\S+) +(paired|unpaired|inline) +(.*)$`).FindAllStringSubmatch(meta, -1)
	var got []string
	for _, m := range lines {
		got = append(got, m[1]+" "+m[2]+" "+m[3])
		if w := uniseg.StringWidth(m[4]); w > 60+len(" (repeat of #10)") {
			t.Errorf("#%s: text of %d columns: %q", m[1], w, m[4])
		}
	}
	if s := strings.Join(got, ", "); s != "10 zh-Hans paired, 13 zh-Hans paired, 16 zh-Hans paired, 19 zh-Hans paired, 21 zh-Hans inline, 23 zh-Hans paired" {
		t.Errorf("passages listed: %s", s)
	}
	for _, want := range []string{
		"#10  zh-Hans paired   在刚刚经历过“一月政变”的哈萨克斯坦，从总统托卡耶夫到外交部…\n",
		"#13  zh-Hans paired   哈官方承诺不会成为帮助俄罗斯规避西方制裁的工具，并接待了专… (repeat of #10)\n",
		"#21  zh-Hans inline   停止“侵略”行为\n",
	} {
		if !strings.Contains(meta, want) {
			t.Errorf("no %q in\n%s", want, meta)
		}
	}

	// Narrow: the lines shrink to the width, the repeat note stays.
	_, out, _ = wparchive(t, "show", "--db", path, "--width", "60", "21873")
	meta, _, _ = strings.Cut(out, "\n\n")
	for _, ln := range strings.Split(meta, "\n") {
		if strings.HasPrefix(ln, "            #") && uniseg.StringWidth(ln) > 60 {
			t.Errorf("passage line of %d columns with --width 60: %q", uniseg.StringWidth(ln), ln)
		}
	}
	if !strings.Contains(meta, "… (repeat of #10)\n") {
		t.Errorf("--width 60 loses the repeat note:\n%s", meta)
	}

	// --json: the passages of the post, each without the post again.
	_, out, _ = wparchive(t, "show", "--db", path, "--json", "21873")
	var v struct {
		WPID   int `json:"wp_id"`
		Quotes []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, path)
	if v.WPID != 21873 || len(v.Quotes) != 6 {
		t.Fatalf("json: post %d, %d quotes", v.WPID, len(v.Quotes))
	}
	for _, q := range v.Quotes {
		if _, ok := q["post"]; ok {
			t.Errorf("quote %v repeats its post", q["id"])
		}
		if raw := str(t, db, `SELECT raw FROM quotes WHERE id = ?`, q["id"]); raw != q["raw"] || q["lang"] != "zh-Hans" {
			t.Errorf("quote %v: %v %q; archive raw %q", q["id"], q["lang"], q["raw"], raw)
		}
	}

	// A post without passages has no Passages line.
	_, out, _ = wparchive(t, "show", "--db", path, "qsl-radio-tashkent-1985")
	if strings.Contains(out, "Passages:") || !strings.Contains(out, "Post:       attachment 21875") {
		t.Errorf("attachment:\n%s", out)
	}
	_, out, _ = wparchive(t, "show", "--db", path, "--json", "qsl-radio-tashkent-1985")
	if !strings.Contains(out, "\n  \"quotes\": []\n") {
		t.Errorf("attachment --json: no empty quotes array\n%s", out)
	}
}

// TestShowManyPassages: show lists the first ten passages and says how to
// see the rest.
func TestShowManyPassages(t *testing.T) {
	var body strings.Builder
	terms := []string{"上海合作组织", "欧亚经济联盟", "二级制裁", "国情咨文", "特别军事行动", "外交部长",
		"国防部长", "副国务卿", "战略伙伴关系", "改革方案", "政治改革", "国际社会"}
	for i, term := range terms {
		fmt.Fprintf(&body, "<p>Word number %d of the glossary is %s, which the press uses often.</p>\n", i+1, term)
	}
	wxr := strings.Replace(plainWXR, "<p>An ordinary post written in plain English, nothing quoted from abroad.</p>", body.String(), 1)
	dir := t.TempDir()
	src := filepath.Join(dir, "glossary.xml")
	if err := os.WriteFile(src, []byte(wxr), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "g.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, src); code != exitOK {
		t.Fatalf("import: %s", stderr)
	}
	_, out, _ := wparchive(t, "show", "--db", db, "hello")
	meta, _, _ := strings.Cut(out, "\n\n")
	if !strings.Contains(meta, "\nPassages:   12 foreign: zh-Hans 12; 12 paired, 0 repeats\n") {
		t.Fatalf("no summary of 12 passages:\n%s", meta)
	}
	if n := strings.Count(meta, " zh-Hans inline "); n != shownPassages {
		t.Errorf("%d passages listed, want %d", n, shownPassages)
	}
	row := str(t, openDB(t, db), `SELECT id FROM posts WHERE slug = 'hello'`)
	if !strings.Contains(meta, "\n            … and 2 more: wparchive quotes --row "+row+"\n") {
		t.Errorf("no pointer to the rest:\n%s", meta)
	}
	// The pointer works.
	if qs := quotesJSON(t, "--db", db, "--row", row); len(qs) != 12 {
		t.Errorf("quotes --row %s: %d passages", row, len(qs))
	}
}
