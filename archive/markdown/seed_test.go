package markdown

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// seedItem is a WXR item with what the front matter needs.
type seedItem struct {
	corpusItem
	Link        string `xml:"link"`
	Creator     string `xml:"http://purl.org/dc/elements/1.1/ creator"`
	Slug        string `xml:"post_name"`
	Date        string `xml:"post_date"`
	DateGMT     string `xml:"post_date_gmt"`
	Modified    string `xml:"post_modified"`
	ModifiedGMT string `xml:"post_modified_gmt"`
	Terms       []struct {
		Domain   string `xml:"domain,attr"`
		Nicename string `xml:"nicename,attr"`
		Name     string `xml:",chardata"`
	} `xml:"category"`
}

type seedChannel struct {
	Language string `xml:"channel>language"`
	Authors  []struct {
		Login       string `xml:"author_login"`
		DisplayName string `xml:"author_display_name"`
	} `xml:"channel>author"`
	Items []seedItem `xml:"channel>item"`
}

// TestSeed converts every post and page of the seed reconstruction
// (testdata/seed/central-asia.xml) with its front matter, as the export
// command will, and compares with testdata/markdown/seed/<id>.<flavor>.md.
func TestSeed(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var ch seedChannel
	if err := xml.Unmarshal(raw, &ch); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, a := range ch.Authors {
		names[a.Login] = a.DisplayName
	}
	attachments := map[int]Attachment{}
	for _, it := range ch.Items {
		if it.Type == "attachment" {
			id, _ := strconv.Atoi(it.ID)
			attachments[id] = Attachment{URL: strings.TrimSpace(it.AttachmentURL), Alt: it.meta("_wp_attachment_image_alt"), Caption: it.Excerpt}
		}
	}
	dir := filepath.Join("..", "..", "testdata", "markdown", "seed")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range ch.Items {
		if it.Type != "post" && it.Type != "page" {
			continue
		}
		n++
		id, _ := strconv.Atoi(it.ID)
		p := goldenPost{
			ID: id, Type: it.Type, Status: it.Status, Title: it.Title, Link: strings.TrimSpace(it.Link),
			Slug: it.Slug, Date: it.Date, DateGMT: it.DateGMT, Modified: it.Modified, ModifiedGMT: it.ModifiedGMT,
			Author: names[it.Creator], Excerpt: it.Excerpt, Lang: ch.Language,
		}
		for _, m := range it.Meta {
			if m.Key == "_wp_old_slug" {
				p.OldSlugs = append(p.OldSlugs, m.Value)
			}
		}
		if tid, err := strconv.Atoi(it.meta("_thumbnail_id")); err == nil {
			p.Image = attachments[tid].URL
		}
		for _, term := range it.Terms {
			switch term.Domain {
			case "category":
				p.Categories = append(p.Categories, PlainText(term.Name))
			case "post_tag":
				p.Tags = append(p.Tags, PlainText(term.Name))
			}
		}
		for _, flavor := range []string{Hugo, Jekyll} {
			md, rep := Convert(it.Content, Options{
				Flavor: flavor, Footnotes: it.meta("footnotes"), Check: true,
				Attachments: func(id int) (Attachment, bool) { a, ok := attachments[id]; return a, ok },
			})
			fm, err := FrontMatter(p.fields(flavor, rep.More), flavor)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			out.Write(fm)
			out.WriteString(md)
			checkGolden(t, filepath.Join(dir, it.ID+"."+flavor+".md"), out.Bytes())
			if !rep.Fidelity.OK() {
				t.Errorf("%s %s: fidelity: %s", it.ID, flavor, rep.Fidelity)
			}
		}
	}
	if n != 5 {
		t.Errorf("%d posts and pages in the seed, want 5", n)
	}
}
