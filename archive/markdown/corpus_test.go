package markdown

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wparchive/wparchive/internal/corpus"
)

// corpusItem is the part of a WXR item this package needs, read with a few
// lines of encoding/xml (the importer proper lives in importer/).
type corpusItem struct {
	Title         string `xml:"title"`
	Link          string `xml:"link"`
	Content       string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	ID            string `xml:"post_id"`
	Type          string `xml:"post_type"`
	Status        string `xml:"status"`
	Parent        string `xml:"post_parent"`
	MenuOrder     string `xml:"menu_order"`
	AttachmentURL string `xml:"attachment_url"`
	Excerpt       string `xml:"http://wordpress.org/export/1.2/excerpt/ encoded"`
	Meta          []struct {
		Key   string `xml:"meta_key"`
		Value string `xml:"meta_value"`
	} `xml:"postmeta"`
}

// readCorpusItems returns the items of one WXR file, or an error for the
// files that are not well-formed.
func readCorpusItems(path string) ([]corpusItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	var items []corpusItem
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "item" {
			continue
		}
		var it corpusItem
		if err := d.DecodeElement(&it, &se); err != nil {
			return items, err
		}
		items = append(items, it)
	}
}

func (it corpusItem) meta(key string) string {
	for _, m := range it.Meta {
		if m.Key == key && strings.TrimSpace(m.Value) != "" {
			return m.Value
		}
	}
	return ""
}

// TestCorpus converts the content of every item of the public corpus with
// both flavors: no panic, valid UTF-8, and the fidelity check passes for
// at least 99% of the published posts and pages. The failing ones are
// listed by title.
func TestCorpus(t *testing.T) {
	dir := corpus.Need(t)
	files, err := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	type failure struct{ file, title, flavor, diff string }
	var failures []failure
	published, converted := 0, 0
	unknown := map[string]int{}
	unknownBlocks := map[string]int{}
	for _, file := range files {
		items, err := readCorpusItems(file)
		if err != nil {
			t.Logf("%s: read stopped: %v (%d items kept)", filepath.Base(file), err, len(items))
		}
		attachments := map[int]Attachment{}
		children := map[int][]int{}
		for _, it := range items {
			if it.Type != "attachment" {
				continue
			}
			id, _ := strconv.Atoi(strings.TrimSpace(it.ID))
			attachments[id] = Attachment{URL: strings.TrimSpace(it.AttachmentURL), Alt: it.meta("_wp_attachment_image_alt"), Caption: it.Excerpt, Title: it.Title}
			parent, _ := strconv.Atoi(strings.TrimSpace(it.Parent))
			if parent > 0 {
				children[parent] = append(children[parent], id)
			}
		}
		for _, it := range items {
			if it.Type == "attachment" || it.Type == "nav_menu_item" {
				continue
			}
			id, _ := strconv.Atoi(strings.TrimSpace(it.ID))
			isPublished := (it.Type == "post" || it.Type == "page") && it.Status == "publish"
			if isPublished {
				published++
			}
			for _, flavor := range []string{Hugo, Jekyll} {
				opt := Options{
					Flavor:    flavor,
					Footnotes: it.meta("footnotes"),
					Attached:  children[id],
					Attachments: func(id int) (Attachment, bool) {
						a, ok := attachments[id]
						return a, ok
					},
					Check: true,
				}
				md, rep := Convert(it.Content, opt)
				converted++
				if !utf8.ValidString(md) && utf8.ValidString(it.Content) {
					t.Errorf("%s: %q (%s): Markdown is not valid UTF-8", filepath.Base(file), it.Title, flavor)
				}
				if flavor == Hugo {
					for k, v := range rep.Unknown {
						unknown[k] += v
					}
					for k, v := range rep.UnknownBlocks {
						unknownBlocks[k] += v
					}
				}
				if isPublished && !rep.Fidelity.OK() {
					failures = append(failures, failure{filepath.Base(file), it.Title, flavor, rep.Fidelity.String()})
				}
			}
		}
	}
	for _, f := range failures {
		t.Logf("fidelity differs: %s: %q (%s): %s", f.file, f.title, f.flavor, f.diff)
	}
	t.Logf("converted %d items × flavors; %d published posts/pages; %d fidelity differences", converted, published, len(failures))
	t.Logf("unknown shortcodes kept verbatim: %v", sortedCounts(unknown))
	t.Logf("unknown blocks: %v", sortedCounts(unknownBlocks))
	if published == 0 {
		t.Fatal("no published posts in the corpus")
	}
	if rate := float64(len(failures)) / float64(2*published); rate > 0.01 {
		t.Errorf("fidelity differs for %d of %d published conversions (%.1f%%), want at most 1%%", len(failures), 2*published, 100*rate)
	}
}

func sortedCounts(m map[string]int) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"×"+strconv.Itoa(v))
	}
	sort.Strings(out)
	return out
}

// wp2hugo's test expects this Markdown for the footnote post of its
// fixture (expectations.md, "wp2hugo").
func TestCorpusWp2hugoFootnote(t *testing.T) {
	items, err := readCorpusItems(corpus.Public(t, "wp2hugo__testcase.WordPress.2024-07-01.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	for _, flavor := range []string{Hugo, Jekyll} {
		md, rep := Convert(items[0].Content, Options{Flavor: flavor, Footnotes: items[0].meta("footnotes"), Check: true})
		for _, want := range []string{"Some text[^1] with a footnote", "[^1]: Here we are: the footnote."} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: Markdown lacks %q:\n%s", flavor, want, md)
			}
		}
		if !rep.Fidelity.OK() {
			t.Errorf("%s: fidelity: %s", flavor, rep.Fidelity)
		}
	}
}
