package export

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/internal/corpus"
)

// encodedData is Data's document written by the YAML encoder.
func encodedData(t *testing.T, th *Thread, flavor string) []byte {
	t.Helper()
	doc := Thread{}
	if th != nil {
		doc = *th
	}
	if doc.Comments == nil {
		doc.Comments = []Comment{}
	}
	if flavor == markdown.Jekyll {
		doc.Comments, doc.Pings = escapeKramdown(doc.Comments), escapeKramdown(doc.Pings)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	return b.Bytes()
}

// checkThreadByHand compares Data (by hand where it can) with the
// encoder; it reports whether the hand wrote it.
func checkThreadByHand(t *testing.T, th *Thread, flavor string) bool {
	t.Helper()
	doc := Thread{}
	if th != nil {
		doc = *th
	}
	if flavor == markdown.Jekyll {
		doc.Comments, doc.Pings = escapeKramdown(doc.Comments), escapeKramdown(doc.Pings)
	}
	_, hand := doc.appendYAML(nil)
	data, err := th.Data(flavor)
	if err != nil {
		t.Fatal(err)
	}
	if want := encodedData(t, th, flavor); !bytes.Equal(data, want) {
		t.Errorf("thread %+v (%s):\nData:\n%s\nencoder:\n%s", th, flavor, data, want)
	}
	return hand
}

// TestThreadDataByHand: the comments data files written by hand are the
// encoder's byte for byte, on the seed, the hard cases and corpus
// exports, and most threads are written by hand.
func TestThreadDataByHand(t *testing.T) {
	files := []string{seedFile, threadsFile}
	if dir := corpus.Dir(); dir != "" {
		for _, name := range []string{"MikeChristianson__wordpress.xml", "Roshanzheng__wordpress.xml", "ServiceStackV3-mythz_blog__wordpress-export.xml", "wptt__themeunittestdata.wordpress.xml"} {
			files = append(files, filepath.Join(dir, "public", name))
		}
	}
	for _, f := range files {
		db, site := importFile(t, f)
		n, hand := 0, 0
		for _, th := range load(t, db, site, CommentOptions{Statuses: CommentStatuses}) {
			for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
				n++
				if checkThreadByHand(t, th, flavor) {
					hand++
				}
			}
		}
		t.Logf("%s: %d of %d data files written by hand", filepath.Base(f), hand, n)
		if f == seedFile && hand*10 < n*9 {
			t.Errorf("%s: only %d of %d data files written by hand", f, hand, n)
		}
	}
	checkThreadByHand(t, nil, markdown.Hugo)
	checkThreadByHand(t, &Thread{Pings: []Comment{{ID: 1, Type: "pingback"}}}, markdown.Hugo)
}

func FuzzThreadDataByHand(f *testing.F) {
	for _, s := range []string{"plain", "", "a: b", "x\n\ny", "yes", "2011-07-31T12:47:42+06:00", "'q'", "\"d\"", "trail \nx", "😀", "- x", "#x"} {
		f.Add(s, s, int64(3))
	}
	f.Fuzz(func(t *testing.T, author, content string, id int64) {
		if strings.Count(content, "\n") > 50 {
			return
		}
		th := &Thread{Comments: []Comment{
			{ID: id, Depth: 0, Type: "comment", Author: author, Date: "2011-07-31T12:47:42+06:00", Content: content},
			{ID: id + 1, Parent: id, ReplyTo: 7, Depth: 1, Type: "comment", Status: "pending", Author: "x", URL: author, Provider: "twitter", Date: content, Content: author, Orphan: true},
		}, Pings: []Comment{{ID: 9, Type: "trackback", Author: author, Title: content, BlogName: author, Domain: "example.com", Date: "", Content: content}}}
		for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
			checkThreadByHand(t, th, flavor)
		}
	})
}

// checkYAMLValue compares appendYAMLValue with markdown.AppendYAMLString
// on v and reports whether a shortcut decided it.
func checkYAMLValue(t *testing.T, v string) bool {
	t.Helper()
	got, gotOK := appendYAMLValue([]byte("k: "), v)
	want, wantOK := markdown.AppendYAMLString([]byte("k: "), v, 4)
	if gotOK != wantOK || gotOK && !bytes.Equal(got, want) {
		t.Errorf("appendYAMLValue(%q) = %q, %v; AppendYAMLString: %q, %v", v, got, gotOK, want, wantOK)
	}
	_, line := yamlLine(v)
	_, literal := yamlLiteral(v)
	return yamlDate(v) || line || literal
}

// TestAppendYAMLValue: the comment values whose style appendYAMLValue
// decides without the analysis are written as AppendYAMLString writes
// them, on every string of the comments of the seed and corpus exports
// and on random values made of the characters that change a style.
func TestAppendYAMLValue(t *testing.T) {
	files := []string{seedFile, threadsFile}
	if dir := corpus.Dir(); dir != "" {
		for _, name := range []string{"MikeChristianson__wordpress.xml", "Roshanzheng__wordpress.xml", "ServiceStackV3-mythz_blog__wordpress-export.xml", "wptt__themeunittestdata.wordpress.xml"} {
			files = append(files, filepath.Join(dir, "public", name))
		}
	}
	n, short := 0, 0
	for _, f := range files {
		db, site := importFile(t, f)
		for _, th := range load(t, db, site, CommentOptions{Statuses: CommentStatuses}) {
			for _, c := range append(th.Comments, th.Pings...) {
				for _, v := range []string{c.Type, c.Status, c.Author, c.URL, c.Title, c.BlogName, c.Domain, c.Provider, c.Avatar, c.Date, c.Content} {
					n++
					if checkYAMLValue(t, v) {
						short++
					}
				}
			}
		}
	}
	t.Logf("exports: %d of %d values by a shortcut", short, n)
	if short*4 < n {
		t.Errorf("exports: only %d of %d values by a shortcut", short, n)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "Z", "q", "0", "9", " ", "  ", ":", ": ", "#", " #", "-", "--- ", "...", ".", "+", "?", "'", "\"", "\\", "\t", "\n", "\r",
		"~", "[", "{", ",", "&", "*", "!", "|", ">", "%", "@", "`", "é", "文", "\u2028", "\u2029", "\u0085", "\u00a0", "\u00a1", "\ufeff", "\ufffd", "\uffff", "\ue000", "\ud7ff",
		"\x7f", "\x01", "\xff", "\xe6\x96", "\xed\xa0\x80", "😀", "：", "　", "＃",
		"yes", "No", "true", "NULL", "on", "y", "n", "off", "false", "null", "trash", "spam", "it's", "C#", " #", ": ", "0x1F", "1e3", "1_000", "12:30", ".inf", "http://x.example/?a=1&b=2"}
	dates := func() string {
		b := []byte("2023-10-21T12:19:02+06:00")
		for i := range b {
			switch r := rng.IntN(30); {
			case r == 0 && b[i] >= '0' && b[i] <= '9':
				b[i] = byte('0' + rng.IntN(10)) // any digit: out of range too
			case r == 1:
				b[i] = "0123456789-:T+Z x"[rng.IntN(17)]
			}
		}
		switch rng.IntN(4) {
		case 0:
			return string(b[:19]) + "Z"
		case 1:
			return string(b[:rng.IntN(len(b)+1)])
		}
		return string(b)
	}
	// multiLine is a value of several lines, as a comment body, each of
	// a few pieces, mostly letters and spaces; some lines empty or
	// indented, some breaks doubled or after a space, and a final break
	// or two or none.
	common := []string{"a", "Zq", "word", " ", "é", "文", ":", "#", "-", "."}
	multiLine := func() string {
		var sb strings.Builder
		for l := rng.IntN(5); l >= 0; l-- {
			switch rng.IntN(8) {
			case 0:
				// an empty line
			case 1:
				sb.WriteString([]string{" ", "  ", "\t", "- ", "--- ", "..."}[rng.IntN(6)])
				fallthrough
			default:
				for k := rng.IntN(6); k >= 0; k-- {
					if rng.IntN(30) == 0 {
						sb.WriteString(pieces[rng.IntN(len(pieces))])
					} else {
						sb.WriteString(common[rng.IntN(len(common))])
					}
				}
				if rng.IntN(4) != 0 {
					sb.WriteString("z") // no space before the break
				}
			}
			if l > 0 {
				sb.WriteString([]string{"\n", "\n", "\n", "\n", "\n", "\n\n", " \n", "\t\n", "\r\n"}[rng.IntN(9)])
			}
		}
		sb.WriteString([]string{"", "", "", "\n", "\n", "\n\n", "\n\n\n", " ", "\t", "\n "}[rng.IntN(10)])
		return sb.String()
	}
	// Every day from 0 to 32 of every month, in years with and without
	// 29 February, at midnight and at the end of the day.
	for _, y := range []string{"0000", "0004", "1900", "2000", "2023", "2024", "2100", "9996"} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				for _, tail := range []string{"T00:00:00Z", "T23:59:59+14:00", "T24:00:00-05:30"} {
					checkYAMLValue(t, fmt.Sprintf("%s-%02d-%02d%s", y, m, d, tail))
				}
			}
		}
	}
	random, randomShort, literals := 0, 0, 0
	for i := 0; i < 200000; i++ {
		var v string
		switch i % 3 {
		case 0:
			v = dates()
		case 1:
			v = multiLine()
		default:
			var sb strings.Builder
			for k := rng.IntN(9); k >= 0; k-- {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			}
			v = sb.String()
		}
		random++
		if checkYAMLValue(t, v) {
			randomShort++
		}
		if _, ok := yamlLiteral(v); ok {
			literals++
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("random: %d of %d values by a shortcut, %d literal blocks", randomShort, random, literals)
	if randomShort*10 < random || literals*40 < random {
		t.Errorf("random: only %d of %d values by a shortcut, %d literal blocks", randomShort, random, literals)
	}
}

// BenchmarkThreadData writes the comments data file of every thread of
// the benchmark archive (see BenchmarkExport), with the values'
// shortcuts (hand) and with AppendYAMLString for every value (analysis).
//
//	go test -tags sqlite_fts5 -run '^$' -bench '^BenchmarkThreadData$' ./archive/export/
func BenchmarkThreadData(b *testing.B) {
	a := openExportBench(b)
	var site int64
	if err := a.DB().QueryRow(`SELECT min(id) FROM sites`).Scan(&site); err != nil {
		b.Fatal(err)
	}
	threads, err := LoadComments(context.Background(), a.DB(), site, CommentOptions{Statuses: CommentStatuses})
	if err != nil {
		b.Fatal(err)
	}
	analysis := func(b []byte, v string) ([]byte, bool) { return markdown.AppendYAMLString(b, v, 4) }
	for _, c := range []struct {
		name string
		fn   func([]byte, string) ([]byte, bool)
	}{{"hand", appendYAMLValue}, {"analysis", analysis}} {
		b.Run(c.name, func(b *testing.B) {
			var buf []byte
			for b.Loop() {
				for _, th := range threads {
					for _, cm := range th.Comments {
						for _, v := range []string{cm.Type, cm.Status, cm.Author, cm.URL, cm.Title, cm.BlogName, cm.Domain, cm.Provider, cm.Avatar, cm.Date, cm.Content} {
							buf, _ = c.fn(buf[:0], v)
						}
					}
				}
			}
		})
	}
}
