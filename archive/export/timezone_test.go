package export

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wparchive/wparchive/archive/markdown"
)

// tzPost is a post dated by WordPress's local and GMT dates, as plan
// dates it (postDates).
func tzPost(local, gmt string) *post {
	p := &post{dateRaw: local, dateGMT: gmt, modRaw: local, modGMT: gmt}
	p.date, _ = markdown.WPTime(local, gmt, time.UTC)
	p.modified = p.date
	return p
}

func TestSiteTimeZone(t *testing.T) {
	for _, c := range []struct {
		name    string
		dates   [][2]string // local, GMT
		want    string
		misfits int
	}{
		{"none", nil, "Etc/UTC", 0},
		{"drafts only", [][2]string{{"2023-01-15 00:30:00", "0000-00-00 00:00:00"}}, "Etc/UTC", 0},
		{"UTC", [][2]string{{"2023-01-15 00:30:00", "2023-01-15 00:30:00"}}, "Etc/UTC", 0},
		{"fixed +2", [][2]string{{"2023-01-15 00:30:00", "2023-01-14 22:30:00"}, {"2023-07-01 23:50:00", "2023-07-01 21:50:00"}}, "Etc/GMT-2", 0},
		{"fixed -5", [][2]string{{"2023-01-14 20:00:00", "2023-01-15 01:00:00"}}, "Etc/GMT+5", 0},
		{"central Europe", [][2]string{{"2023-01-15 00:30:00", "2023-01-14 23:30:00"}, {"2023-07-01 23:50:00", "2023-07-01 21:50:00"}}, "Europe/Paris", 0},
		{"Britain", [][2]string{{"2023-01-15 00:30:00", "2023-01-15 00:30:00"}, {"2023-07-01 23:50:00", "2023-07-01 22:50:00"}}, "Europe/London", 0},
		{"US east", [][2]string{{"2023-01-14 20:00:00", "2023-01-15 01:00:00"}, {"2023-07-01 21:00:00", "2023-07-02 01:00:00"}}, "America/New_York", 0},
		{"India", [][2]string{{"2023-01-15 05:00:00", "2023-01-14 23:30:00"}}, "Asia/Kolkata", 0},
		{"Nepal", [][2]string{{"2023-01-15 05:15:00", "2023-01-14 23:30:00"}}, "Asia/Kathmandu", 0},
		{"Adelaide", [][2]string{{"2023-01-15 10:00:00", "2023-01-14 23:30:00"}, {"2023-07-01 09:00:00", "2023-06-30 23:30:00"}}, "Australia/Adelaide", 0},
		// +2 in winter and +1 in summer: no zone does that; the first of
		// those that fit one of the two wins, and misses the other's date
		// and last modification.
		{"upside down", [][2]string{{"2023-01-15 00:30:00", "2023-01-14 22:30:00"}, {"2023-07-01 23:50:00", "2023-07-01 22:50:00"}}, "Europe/London", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var posts []*post
			for _, d := range c.dates {
				posts = append(posts, tzPost(d[0], d[1]))
			}
			got, misfits := siteTimeZone(posts)
			if got != c.want || misfits != c.misfits {
				t.Fatalf("siteTimeZone = %s, %d misfits; want %s, %d", got, misfits, c.want, c.misfits)
			}
			if misfits > 0 {
				return
			}
			// The zone gives every date the offset WordPress gave it.
			loc, err := time.LoadLocation(got)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range posts {
				if !hasGMT(p.dateGMT) {
					continue
				}
				_, want := p.date.Zone()
				if _, off := p.date.In(loc).Zone(); off != want {
					t.Errorf("%s gives %s the offset %d, WordPress %d", got, p.dateRaw, off, want)
				}
			}
		})
	}
}

// TestJekyllTimeZone exports testdata/timezone.xml, whose posts fall on
// another day in UTC than at the site, for Jekyll: the file names carry the
// site's date, the front matter the site's offset, and the config the zone
// that keeps them (cmd/wparchive's TestJekyllBuildTimeZone builds it in two
// zones).
func TestJekyllTimeZone(t *testing.T) {
	a := coreArchive(t, filepath.Join("testdata", "timezone.xml"))
	out := t.TempDir()
	sum, err := Markdown(context.Background(), a, Options{Out: out, Flavor: markdown.Jekyll})
	if err != nil {
		t.Fatal(err)
	}
	if sum.TimeZone != "Europe/Paris" || sum.TimeZoneMisfits != 0 {
		t.Errorf("summary time zone %q, %d misfits; want Europe/Paris, 0", sum.TimeZone, sum.TimeZoneMisfits)
	}
	tree := coreTree(t, out)
	for file, want := range map[string][]string{
		"_posts/2023-01-15-winter-midnight.md": {"date: 2023-01-15T00:30:00+01:00\n", "last_modified_at: 2023-01-15T00:30:00+01:00\n"},
		"_posts/2023-07-01-summer-evening.md":  {"date: 2023-07-01T23:50:00+02:00\n", "permalink: /2023/07/01/summer-evening/\n"},
		"_config.yml":                          {"\ntimezone: \"Europe/Paris\"\n", "permalink: /:year/:month/:day/:title/\n"},
	} {
		b, ok := tree[file]
		if !ok {
			t.Errorf("%s not written; the tree: %v", file, sortedKeysOf(tree))
			continue
		}
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q:\n%s", file, w, b)
			}
		}
	}
	// The winter post has no old path: Jekyll makes its URL from its date.
	if b := tree["_posts/2023-01-15-winter-midnight.md"]; strings.Contains(string(b), "permalink:") {
		t.Errorf("the winter post has a permalink:\n%s", b)
	}

	// An existing config is left alone; the summary still names the zone.
	cfg := filepath.Join(out, "_config.yml")
	if err := os.WriteFile(cfg, []byte("title: mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err = Markdown(context.Background(), a, Options{Out: out, Flavor: markdown.Jekyll})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(cfg); string(b) != "title: mine\n" || sum.TimeZone != "Europe/Paris" {
		t.Errorf("re-export over the user's config: %q, time zone %q", b, sum.TimeZone)
	}
	// Hugo keeps each date's offset and needs no zone.
	sum, err = Markdown(context.Background(), a, Options{Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if sum.TimeZone != "" {
		t.Errorf("Hugo export: time zone %q", sum.TimeZone)
	}
}

func sortedKeysOf(m map[string][]byte) []string {
	keys := map[string]bool{}
	for k := range m {
		keys[k] = true
	}
	return sortedKeys(keys)
}

// BenchmarkSiteTimeZone: 20,000 posts whose offsets no zone gives (each
// post +01:00 or +08:00 by turns), so that every candidate zone is tried:
// the most siteTimeZone costs an export.
func BenchmarkSiteTimeZone(b *testing.B) {
	var posts []*post
	for i := range 20000 {
		gmt := time.Date(2005, 1, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Hour)
		off := time.Hour
		if i%2 == 1 {
			off = 8 * time.Hour
		}
		posts = append(posts, tzPost(gmt.Add(off).Format(time.DateTime), gmt.Format(time.DateTime)))
	}
	for b.Loop() {
		if _, misfits := siteTimeZone(posts); misfits == 0 {
			b.Fatal("a zone fits")
		}
	}
}
