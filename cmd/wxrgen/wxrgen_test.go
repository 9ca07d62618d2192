package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func genBytes(t testing.TB, opts options) ([]byte, stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := generate(&buf, opts)
	if err != nil {
		t.Fatalf("generate(%+v): %v", opts, err)
	}
	if st.Bytes != int64(buf.Len()) {
		t.Fatalf("stats.Bytes = %d, wrote %d", st.Bytes, buf.Len())
	}
	return buf.Bytes(), st
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}
func hasCyrillic(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) >= 0
}

func TestGenerateValidWXR(t *testing.T) {
	for _, seed := range []int64{1, 2, 7} {
		data, st := genBytes(t, options{Posts: 200, Seed: seed})
		f := validateWXR(t, fmt.Sprintf("seed %d", seed), data)

		byType := map[string]int{}
		for _, it := range f.items {
			byType[it.typ]++
		}
		if byType["post"] != 200 || byType["page"] != st.Pages || byType["attachment"] != st.Attachments || len(f.items) != st.Items {
			t.Errorf("seed %d: items by type %v, stats %+v", seed, byType, st)
		}
		if byType["page"] == 0 || byType["attachment"] == 0 {
			t.Errorf("seed %d: no pages or attachments: %v", seed, byType)
		}
	}
}

// TestGenerateFeatures checks that one moderately sized export shows every feature the
// benchmarks are meant to exercise.
func TestGenerateFeatures(t *testing.T) {
	data, st := genBytes(t, options{Posts: 600, Seed: 42})
	f := validateWXR(t, "features", data)

	count := map[string]int{}
	quoting, posts := 0, 0
	deepest := 0
	var providerIDs = map[string]map[string]int{}
	for _, it := range f.items {
		if it.typ == "post" {
			posts++
			c := it.content
			switch {
			case strings.Contains(c, "<!-- wp:paragraph -->"):
				count["block"]++
			default:
				count["classic"]++
				if strings.Contains(c, "<p>") {
					t.Errorf("classic post %d contains <p>", it.id)
				}
			}
			for _, feat := range []string{"[caption ", "[gallery ", "[youtube ", "<!--more-->", "<!-- wp:image ", "<!-- wp:quote -->", "<!-- wp:embed ", "<!-- wp:shortcode -->", "/-->", "]]>"} {
				if strings.Contains(c, feat) {
					count[feat]++
				}
			}
			// A quoting post has a blockquote in Chinese or Russian next to an English one.
			bq := regexp.MustCompile(`(?s)<blockquote[^>]*>(?:<!-- wp:paragraph -->\n)?(?:<p[^>]*>)?(.*?)(?:</p>)?(?:\n<!-- /wp:paragraph -->)?</blockquote>`).FindAllStringSubmatch(c, -1)
			foreign, english := false, false
			for _, m := range bq {
				if hasHan(m[1]) || hasCyrillic(m[1]) {
					foreign = true
				} else {
					english = true
				}
			}
			if foreign && english {
				quoting++
			}
			if dec, _ := url.PathUnescape(it.name); hasHan(dec) {
				count["chinese slug"]++
			} else if hasCyrillic(dec) {
				count["russian slug"]++
			}
			if it.dateGMT == zeroDate && it.name == "" && it.status == "draft" {
				count["draft with zero date"]++
			}
		}
		deepest = max(deepest, threadDepth(it))
		for _, c := range it.comments {
			count["type "+c.typ]++
			count["approved "+c.approved]++
			if c.metaValue("akismet_result") != "" {
				count["akismet"]++
			}
			if len(c.metaValues("akismet_history")) > 1 {
				count["akismet repeated history"]++
			}
			if c.metaValue("_wp_trash_meta_status") != "" {
				count["trash meta"]++
			}
			if as := c.metaValue("hc_post_as"); as != "" {
				count["hc "+as]++
				if providerIDs[as] == nil {
					providerIDs[as] = map[string]int{}
				}
				providerIDs[as][c.metaValue("hc_foreign_user_id")]++
			}
		}
	}
	for _, k := range []string{"block", "classic", "[caption ", "[gallery ", "[youtube ", "<!--more-->",
		"<!-- wp:image ", "<!-- wp:quote -->", "<!-- wp:embed ", "<!-- wp:shortcode -->", "/-->", "]]>",
		"chinese slug", "russian slug", "draft with zero date",
		"type comment", "type trackback", "type pingback", "approved 0", "approved trash", "approved post-trashed",
		"akismet", "akismet repeated history", "trash meta",
		"hc wordpress", "hc twitter", "hc facebook", "hc jetpack"} {
		if count[k] == 0 {
			t.Errorf("no %q in 600 posts; counts: %v", k, count)
		}
	}
	if deepest < 3 {
		t.Errorf("deepest thread is %d, want at least 3", deepest)
	}
	// Recurring commenters: some Twitter account comments more than once.
	repeat := 0
	for _, n := range providerIDs["twitter"] {
		repeat = max(repeat, n)
	}
	if repeat < 2 {
		t.Errorf("no Twitter commenter came back")
	}
	// About one post in five quotes Chinese or Russian with a translation.
	if ratio := float64(quoting) / float64(posts); ratio < 0.13 || ratio > 0.27 {
		t.Errorf("%d of %d posts quote with translation (%.2f), want about 0.2", quoting, posts, ratio)
	}
	if st.Quoting != quoting {
		t.Errorf("stats.Quoting = %d, found %d", st.Quoting, quoting)
	}
	if n := count["type trackback"] + count["type pingback"]; n != st.Trackbacks+st.Pingbacks {
		t.Errorf("pings found %d, stats %+v", n, st)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, _ := genBytes(t, options{Posts: 80, Seed: 5})
	b, _ := genBytes(t, options{Posts: 80, Seed: 5})
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different output")
	}
	c, _ := genBytes(t, options{Posts: 80, Seed: 6})
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same output")
	}
	s1, _ := genBytes(t, options{Size: 300_000, Seed: 5})
	s2, _ := genBytes(t, options{Size: 300_000, Seed: 5})
	if !bytes.Equal(s1, s2) {
		t.Fatal("same seed and size gave different output")
	}
}

func TestGenerateSize(t *testing.T) {
	for _, target := range []int64{50_000, 1_000_000, 3_000_000} {
		data, st := genBytes(t, options{Size: target, Seed: 9})
		n := int64(len(data))
		// It stops at the first item boundary past the target; one item is at most a few
		// tens of kilobytes.
		if n < target || n > target+100_000 {
			t.Errorf("size %d: wrote %d bytes", target, n)
		}
		if target >= 1_000_000 {
			validateWXR(t, "size", data)
		}
		if st.Posts == 0 {
			t.Errorf("size %d: no posts", target)
		}
	}
	// A target smaller than the header still gives a complete, valid export.
	data, _ := genBytes(t, options{Size: 10, Seed: 1})
	validateWXR(t, "tiny", data)
}

func TestGenerateNoTarget(t *testing.T) {
	if _, err := generate(io.Discard, options{Seed: 1}); err != errNoTarget {
		t.Fatalf("err = %v, want errNoTarget", err)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 1<<20 {
		return 0, io.ErrClosedPipe
	}
	return len(p), nil
}

func TestGenerateStopsOnWriteError(t *testing.T) {
	fw := &failWriter{}
	_, err := generate(fw, options{Size: 1 << 40, Seed: 1})
	if err != io.ErrClosedPipe {
		t.Fatalf("err = %v, want the writer's error", err)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.xml")
	gz := filepath.Join(dir, "a.xml.gz")
	var stderr bytes.Buffer
	if code := run([]string{"-posts", "40", "-seed", "3", "-o", plain}, io.Discard, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "40 posts") {
		t.Errorf("summary = %q", stderr.String())
	}
	if code := run([]string{"-posts", "40", "-seed", "3", "-gzip", "-q", "-o", gz}, io.Discard, &stderr); code != 0 {
		t.Fatalf("gzip exit %d: %s", code, stderr.String())
	}
	want, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	zf, err := os.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	zr, err := gzip.NewReader(zf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("gunzipped -gzip output differs from plain output")
	}
	var stdout bytes.Buffer
	if code := run([]string{"-size", "200KB", "-seed", "3", "-q"}, &stdout, &stderr); code != 0 {
		t.Fatalf("stdout exit %d", code)
	}
	validateWXR(t, "stdout", stdout.Bytes())

	for _, args := range [][]string{
		{"-size", "1MB", "-posts", "3"},
		{"-size", "lots"},
		{"-posts", "-4"},
		{"extra"},
	} {
		if code := run(args, io.Discard, io.Discard); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
	if code := run([]string{"-posts", "1", "-q", "-o", filepath.Join(dir, "new", "dir", "x.xml")}, io.Discard, io.Discard); code != 0 {
		t.Errorf("output in a new directory: exit %d, want 0", code)
	}
	if code := run([]string{"-posts", "1", "-o", filepath.Join(plain, "x.xml")}, io.Discard, io.Discard); code != 1 {
		t.Errorf("unwritable output: exit %d, want 1", code)
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"200MB", 200_000_000}, {"10mb", 10_000_000}, {"1.5GiB", 3 << 29}, {"512KiB", 512 << 10},
		{"500k", 500_000}, {"12345", 12345}, {"2G", 2_000_000_000}, {"64B", 64},
	} {
		got, err := parseSize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "MB", "-3MB", "ten", "0"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) succeeded", bad)
		}
	}
}

func TestSlugify(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"chinese", "静夜思", "%e9%9d%99%e5%a4%9c%e6%80%9d"},
		{"latin", "Über", "%c3%bcber"},
		{"mixed", "上合组织 (SCO): a short glossary", "%e4%b8%8a%e5%90%88%e7%bb%84%e7%bb%87-sco-a-short-glossary"},
		{"curly quotes", "Central Asia: Russia’s Restive “Bulk” of Allies", "central-asia-russias-restive-bulk-of-allies"},
		{"entity", "Food &amp; drink", "food-drink"},
		{"apostrophe", "Xi'an", "xian"},
		{"cyrillic", "Москва", "%d0%bc%d0%be%d1%81%d0%ba%d0%b2%d0%b0"},
		{"dash", "Tashkent – Almaty", "tashkent-almaty"},
		{"dots", "v1.2 notes", "v1-2-notes"},
		{"underscore", "IMG_2041", "img_2041"},
	} {
		if got := slugify(tc.in); got != tc.want {
			t.Errorf("%s: slugify(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
	long := slugify(strings.Repeat("静", 100))
	if len(long) > 200 || len(long)%9 != 0 {
		t.Errorf("long slug is %d bytes, want at most 200 and whole characters", len(long))
	}
}

func TestCDATASplit(t *testing.T) {
	const value = "if (a[b[0]]]>5) ]]> end]"
	var buf bytes.Buffer
	x := newXW(&buf)
	x.elemCDATA("", "title", value)
	x.Flush()
	want := "<title><![CDATA[if (a[b[0]]]]]><![CDATA[>5) ]]]]><![CDATA[> end]]]></title>\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
	f, err := readWXR(strings.NewReader("<rss><channel><item>" + buf.String() + "</item></channel></rss>"))
	if err != nil || len(f.items) != 1 || f.items[0].title != value {
		t.Fatalf("round trip: %v %+v", err, f)
	}
}

func TestPHPSerializeLengths(t *testing.T) {
	var m php
	m.arr(2).kv("title", "QSL Radio Tashkent — 1985").str("n").float(1651424012.55731).end()
	want := `a:2:{s:5:"title";s:27:"QSL Radio Tashkent — 1985";s:1:"n";d:1651424012.55731;}`
	if m.String() != want {
		t.Fatalf("got %s\nwant %s", m.String(), want)
	}
	if err := checkPHP(want); err != nil {
		t.Fatal(err)
	}
	if err := checkPHP(`a:1:{s:4:"title";s:5:"Wen 文";}`); err == nil {
		t.Fatal("checkPHP accepted a character count where bytes are needed")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name string
		gzip bool
	}{{"xml", false}, {"gzip", true}} {
		b.Run(bc.name, func(b *testing.B) {
			var n int64
			for i := 0; i < b.N; i++ {
				var w io.Writer = io.Discard
				var zw *gzip.Writer
				if bc.gzip {
					zw = gzip.NewWriter(io.Discard)
					w = zw
				}
				st, err := generate(w, options{Posts: 200, Seed: int64(i)})
				if err != nil {
					b.Fatal(err)
				}
				if zw != nil {
					zw.Close()
				}
				n = st.Bytes
			}
			b.SetBytes(n)
		})
	}
}
