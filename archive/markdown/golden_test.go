package markdown

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/markdown")

// goldenMeta is the optional meta.json of a golden case.
type goldenMeta struct {
	Classic     bool                  `json:"classic"`
	Footnotes   string                `json:"footnotes"`
	Attachments map[string]Attachment `json:"attachments"`
	Attached    []int                 `json:"attached"`
	// KnownDiff names a fidelity difference the case documents on purpose.
	KnownDiff string      `json:"known_diff"`
	Front     *goldenPost `json:"front"`
}

// goldenPost holds a post's exported values, as the export command will
// have them from the archive.
type goldenPost struct {
	ID          int        `json:"id"`
	Type        string     `json:"type"`
	Status      string     `json:"status"`
	Title       string     `json:"title"`
	Link        string     `json:"link"`
	Slug        string     `json:"slug"`
	OldSlugs    []string   `json:"old_slugs"`
	Date        string     `json:"date"`
	DateGMT     string     `json:"date_gmt"`
	Modified    string     `json:"modified"`
	ModifiedGMT string     `json:"modified_gmt"`
	Author      string     `json:"author"`
	Categories  []string   `json:"categories"`
	Tags        []string   `json:"tags"`
	Taxonomies  []Taxonomy `json:"taxonomies"`
	Excerpt     string     `json:"excerpt"`
	Image       string     `json:"image"`
	Lang        string     `json:"lang"`
}

// fields builds the front matter the way the export command is meant to.
func (p *goldenPost) fields(flavor string, more bool) Fields {
	f := Fields{
		Title:      PlainText(p.Title),
		Slug:       SafeSlug(p.Slug),
		Draft:      p.Status == "draft" || p.Status == "pending" || p.Status == "auto-draft",
		Categories: p.Categories,
		Tags:       p.Tags,
		Taxonomies: p.Taxonomies,
		Author:     p.Author,
		Summary:    PlainText(p.Excerpt),
		Image:      p.Image,
		WPID:       p.ID,
		Lang:       p.Lang,
		More:       more,
	}
	// Drafts have no GMT date; their local date is read in the offset the
	// post's modification dates show, else UTC.
	site := time.UTC
	if t, ok := WPTime(p.Modified, p.ModifiedGMT, nil); ok && !strings.HasPrefix(p.ModifiedGMT, "0000") && p.ModifiedGMT != "" {
		site = t.Location()
	}
	if t, ok := WPTime(p.Date, p.DateGMT, site); ok {
		f.Date = t
	}
	if t, ok := WPTime(p.Modified, p.ModifiedGMT, site); ok {
		f.Modified = t
	}
	in := AliasInput{Link: p.Link, ID: p.ID, Page: p.Type == "page", Slug: p.Slug, OldSlugs: p.OldSlugs}
	if flavor == Jekyll {
		f.Permalink = LinkPath(p.Link)
		in.Keep = f.Permalink
	}
	f.Aliases = Aliases(in)
	return f
}

func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "markdown", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "input.html")); err != nil {
			continue // testdata/markdown/seed has its own test
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			input, err := os.ReadFile(filepath.Join(dir, "input.html"))
			if err != nil {
				t.Fatal(err)
			}
			var meta goldenMeta
			if b, err := os.ReadFile(filepath.Join(dir, "meta.json")); err == nil {
				if err := json.Unmarshal(b, &meta); err != nil {
					t.Fatalf("meta.json: %v", err)
				}
			}
			opt := Options{Classic: meta.Classic, Footnotes: meta.Footnotes, Attached: meta.Attached, Check: true}
			if meta.Attachments != nil {
				opt.Attachments = func(id int) (Attachment, bool) {
					a, ok := meta.Attachments[strconv.Itoa(id)]
					return a, ok
				}
			}
			for _, flavor := range []string{Hugo, Jekyll} {
				opt.Flavor = flavor
				md, rep := Convert(string(input), opt)
				var out bytes.Buffer
				if meta.Front != nil {
					fm, err := FrontMatter(meta.Front.fields(flavor, rep.More), flavor)
					if err != nil {
						t.Fatal(err)
					}
					out.Write(fm)
				}
				out.WriteString(md)
				checkGolden(t, filepath.Join(dir, "want."+flavor+".md"), out.Bytes())
				if d := rep.Fidelity; d != nil && !d.OK() && meta.KnownDiff == "" {
					t.Errorf("%s: fidelity: %s", flavor, d)
				}
				if len(rep.Problems) > 0 {
					t.Logf("%s: problems: %q", flavor, rep.Problems)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no golden cases under testdata/markdown")
	}
}

// checkGolden compares have with the golden file, rewriting it under
// -update and writing have to <file>.have on a mismatch.
func checkGolden(t *testing.T, file string, have []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, have, 0o644); err != nil {
			t.Fatal(err)
		}
		_ = os.Remove(file + ".have")
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, have) {
		if err := os.WriteFile(file+".have", have, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Errorf("%s differs; have written to %s.have (diff them, then go test -update if the change is right)", file, file)
		return
	}
	_ = os.Remove(file + ".have")
}
