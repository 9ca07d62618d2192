package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wparchive/wparchive/archive/export"
	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/internal/corpus"
)

// The build tests run Debian's hugo and jekyll on exported trees with the
// skeleton. CI installs them (.ci/run); a developer without them sets
// WPARCHIVE_SKIP_BUILD=1.

// genTool returns the path of the flavor's generator, skipping the test
// when WPARCHIVE_SKIP_BUILD=1 and failing it when the generator is missing.
func genTool(t *testing.T, flavor string) string {
	t.Helper()
	if os.Getenv("WPARCHIVE_SKIP_BUILD") == "1" {
		t.Skipf("WPARCHIVE_SKIP_BUILD=1: not building the site with %s", flavor)
	}
	p, err := exec.LookPath(flavor)
	if err != nil {
		t.Fatalf("%s is not installed: the build tests need it (apt-get install hugo jekyll ruby-jekyll-redirect-from, as .ci/run does); set WPARCHIVE_SKIP_BUILD=1 to skip them", flavor)
	}
	return p
}

// genResult is what one generator run gave.
type genResult struct {
	out      string            // the generated site
	warnings []string          // WARN lines of the generator's output
	entries  map[string]string // data-source of each post or page rendered → its file in out
}

// genBuild runs the flavor's generator on dir and fails the test when it
// exits non-zero or prints an error line. Output goes to a folder beside
// dir so the export tree stays as it was.
func genBuild(t *testing.T, flavor, dir string) genResult {
	t.Helper()
	return genBuildTZ(t, flavor, dir, "UTC")
}

// genBuildTZ is genBuild on a machine in the time zone tz (the TZ
// variable).
func genBuildTZ(t *testing.T, flavor, dir, tz string) genResult {
	t.Helper()
	bin := genTool(t, flavor)
	out := filepath.Join(t.TempDir(), "site")
	var cmd *exec.Cmd
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	switch flavor {
	case "hugo":
		cmd = exec.CommandContext(ctx, bin, "--source", dir, "--destination", out,
			"--cacheDir", filepath.Join(t.TempDir(), "cache"), "--noBuildLock", "--printPathWarnings")
	case "jekyll":
		// Stricter than a user's build: bad front matter and Liquid
		// syntax in a post fail instead of being passed over with a
		// warning.
		strict := filepath.Join(t.TempDir(), "strict.yml")
		if err := os.WriteFile(strict, []byte("liquid:\n  error_mode: strict\n  strict_filters: true\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd = exec.CommandContext(ctx, bin, "build", "--source", dir, "--destination", out,
			"--disable-disk-cache", "--strict_front_matter", "--config", filepath.Join(dir, "_config.yml")+","+strict)
	}
	// The same dates and URLs wherever the tests run, unless a test
	// asks for a zone.
	cmd.Env = append(os.Environ(), "TZ="+tz, "HUGO_ENVIRONMENT=production", "JEKYLL_ENV=production")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s build of %s: %v", flavor, filepath.Base(dir), time.Since(start).Round(time.Millisecond))
	res := genResult{out: out}
	var errs []string
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(genANSI.ReplaceAllString(sc.Text(), ""))
		switch {
		case genIsError(flavor, line):
			errs = append(errs, line)
		case genIsWarn(flavor, line):
			res.warnings = append(res.warnings, line)
		}
	}
	if err != nil || len(errs) > 0 {
		t.Fatalf("%s build of %s: %v; %d error lines:\n%s\n--- output:\n%s", flavor, dir, err, len(errs), strings.Join(errs, "\n"), buf.String())
	}
	for _, w := range res.warnings {
		t.Logf("%s: %s", flavor, w)
	}
	res.entries = genEntryPages(t, out)
	return res
}

// genANSI matches the colour escapes Jekyll writes.
var genANSI = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// genIsError reports whether a line of the generator's output is an error.
func genIsError(flavor, line string) bool {
	if flavor == "hugo" {
		return strings.HasPrefix(line, "ERROR") || strings.HasPrefix(line, "Error:")
	}
	return strings.Contains(line, "Error:") || strings.Contains(line, "Exception:") || strings.HasPrefix(line, "ERROR")
}

// genIsWarn reports whether a line of the generator's output is a warning.
func genIsWarn(flavor, line string) bool {
	if flavor == "hugo" {
		return strings.HasPrefix(line, "WARN")
	}
	return strings.Contains(line, "Warning:") || strings.HasPrefix(line, "Conflict:") || strings.Contains(line, "Deprecation:")
}

// genReEntry finds the mark the skeleton's layouts put on the page of an
// exported post or page: its source file.
var genReEntry = regexp.MustCompile(`<article class="h-entry" data-source="([^"]*)"`)

// genEntryPages returns, for every HTML file of the built site that renders
// an exported post or page, its source path → the file (relative to out).
// A source rendered into two files fails the test.
func genEntryPages(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		for _, sm := range genReEntry.FindAllSubmatch(b, -1) {
			src := html.UnescapeString(string(sm[1]))
			if prev, ok := m[src]; ok {
				t.Errorf("%s rendered twice: %s and %s", src, prev, rel)
			}
			m[src] = filepath.ToSlash(rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// genEntry is one exported post or page of a tree, as its front matter says.
type genEntry struct {
	src         string // path the generator reports (.File.Path, page.path)
	file        string // the file, relative to the tree
	draft       bool
	lang        string
	commentsKey string
	aliases     []string
	queries     []string // query_aliases
	wpID        string   // wordpress_id (wp_id in the converter's own front matter)
}

// genTreeEntries reads the front matter of every Markdown file of an exported
// tree: for Hugo the files under content/, for Jekyll every .md file
// outside the folders Jekyll reads no pages from.
func genTreeEntries(t *testing.T, dir, flavor string) []genEntry {
	t.Helper()
	root := dir
	if flavor == "hugo" {
		root = filepath.Join(dir, "content")
	}
	var out []genEntry
	if _, err := os.Stat(root); os.IsNotExist(err) {
		return nil // nothing exported
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if flavor == "jekyll" && rel != "." && (strings.HasPrefix(d.Name(), ".") ||
				rel == "_site" || rel == "_data" || rel == "_layouts" || rel == "_includes") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".md") {
			return nil
		}
		fm := genFrontMatter(t, p)
		e := genEntry{src: rel, file: rel, commentsKey: genStr(fm["comments_key"]), lang: genStr(fm["lang"]), wpID: genStr(fm["wordpress_id"]),
			queries: genStrs(fm["query_aliases"])}
		if e.wpID == "" {
			e.wpID = genStr(fm["wp_id"])
		}
		if flavor == "hugo" {
			e.file = "content/" + rel
			e.draft = fm["draft"] == true
			e.aliases = genStrs(fm["aliases"])
		} else {
			e.draft = fm["published"] == false
			e.aliases = genStrs(fm["redirect_from"])
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// genFrontMatter returns the YAML front matter of a Markdown file.
func genFrontMatter(t *testing.T, p string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "---\n") {
		t.Fatalf("%s: no front matter", p)
	}
	end := strings.Index(s[4:], "\n---\n")
	if end < 0 {
		t.Fatalf("%s: front matter not closed", p)
	}
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(s[4:4+end+1]), &m); err != nil {
		t.Fatalf("%s: front matter: %v", p, err)
	}
	return m
}

func genStr(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func genStrs(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, x := range l {
		out = append(out, genStr(x))
	}
	return out
}

// genCheckSite checks a built site against its tree: one page per exported
// post and page (drafts excluded) and none for anything else, every
// comment and ping of a post's data file on its page, the page's lang,
// and a redirect page to it for every alias. It returns the number of
// pages that render a post or page.
func genCheckSite(t *testing.T, dir, flavor string, res genResult) int {
	t.Helper()
	entries := genTreeEntries(t, dir, flavor)
	ids := genWPIDs(t, res.out)
	redirects := genRedirects(t, res.out)
	idCount := map[string]int{}
	for _, e := range entries {
		if !e.draft {
			idCount[e.wpID]++
		}
	}
	want := 0
	for _, e := range entries {
		page, ok := res.entries[e.src]
		if e.draft {
			if ok {
				t.Errorf("%s is a draft but was built into %s", e.file, page)
			}
			continue
		}
		want++
		if !ok {
			t.Errorf("%s: no page built for it", e.file)
			continue
		}
		b, err := os.ReadFile(filepath.Join(res.out, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		if e.lang != "" && !bytes.Contains(b, []byte(`<html lang="`+e.lang+`"`)) {
			t.Errorf("%s (%s): no <html lang=%q>", e.file, page, e.lang)
		}
		if e.commentsKey != "" {
			genCheckComments(t, dir, flavor, e, page, string(b))
		}
		m := genReCanonical.FindStringSubmatch(string(b))
		if m == nil {
			t.Errorf("%s: no canonical link", page)
			continue
		}
		canonical := html.UnescapeString(m[1])
		genCheckAliases(t, e, res.out, canonical)
		genCheckQueryAliases(t, e, redirects, canonical)
		// Old links by id (/?p=ID) find the page through wp-ids.json;
		// an id two exported posts share (real exports repeat ids)
		// can lead to one of them only.
		if e.wpID != "" && idCount[e.wpID] == 1 {
			u, err := url.Parse(canonical)
			if err != nil {
				t.Fatalf("%s: canonical %q: %v", page, canonical, err)
			}
			if got, _ := url.PathUnescape(ids[e.wpID]); got != u.Path {
				t.Errorf("%s: wp-ids.json sends id %s to %q, the page is %s", e.file, e.wpID, ids[e.wpID], u.Path)
			}
		}
	}
	srcs := map[string]bool{}
	for _, e := range entries {
		srcs[e.src] = true
	}
	var extra []string
	for src, page := range res.entries {
		if !srcs[src] {
			extra = append(extra, src+" → "+page)
		}
	}
	sort.Strings(extra)
	for _, x := range extra {
		t.Errorf("a page that no exported post or page gave: %s", x)
	}
	if got := len(res.entries); got != want {
		t.Errorf("%d post and page HTML files built, want %d (one per exported post and page)", got, want)
	}
	return len(res.entries)
}

// genReComment finds a rendered comment or ping.
var genReComment = regexp.MustCompile(`<li id="comment-\d+" class="(?:comment|ping) `)

// genCheckComments checks that the page shows every comment and ping of the
// post's data file.
func genCheckComments(t *testing.T, dir, flavor string, e genEntry, page, body string) {
	t.Helper()
	data := filepath.Join(dir, "data", "comments", e.commentsKey+".yaml")
	if flavor == "jekyll" {
		data = filepath.Join(dir, "_data", "comments", e.commentsKey+".yml")
	}
	b, err := os.ReadFile(data)
	if os.IsNotExist(err) {
		return // no comments to show
	}
	if err != nil {
		t.Fatal(err)
	}
	var th struct {
		Comments []map[string]any `yaml:"comments"`
		Pings    []map[string]any `yaml:"pings"`
	}
	if err := yaml.Unmarshal(b, &th); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	want := len(th.Comments) + len(th.Pings)
	if got := len(genReComment.FindAllString(body, -1)); got != want {
		hint := ""
		if k := jekyllDataKey(e.commentsKey); flavor == "jekyll" && k != e.commentsKey {
			hint = fmt.Sprintf(" (Jekyll reads that file as site.data.comments[%q]: it drops every character of a data file's name but ASCII letters, digits, _ and -)", k)
		}
		t.Errorf("%s (%s): %d comments and pings shown, %s holds %d%s", e.file, page, got, filepath.Base(data), want, hint)
	}
}

// jekyllDataKey returns the key Jekyll 4.3 gives a data file named
// name+".yml" (DataReader#sanitize_filename): characters other than ASCII
// letters, digits, "_", "-" and white space dropped, runs of white space
// made "_".
func jekyllDataKey(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x80 && (r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			b.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n':
			b.WriteRune('_')
		}
	}
	return b.String()
}

// genWPIDs reads the skeleton's wp-ids.json of a built site: WordPress
// post id → the page's path.
func genWPIDs(t *testing.T, out string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "wp-ids.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("wp-ids.json: %v\n%s", err, b)
	}
	return m
}

// genReCanonical finds the page's own URL in the skeleton's head.
var genReCanonical = regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`)

// genRedirects reads the skeleton's _redirects of a built site (Netlify's
// format): "path key=value … target 301!" → target, keyed by the path and
// its query as the front matter's query_aliases write it. It fails the
// test when a line is not of that form, or when the generator wrote any
// file or folder whose name holds "?" (a redirect page for an address
// with a query, which no server would serve).
func genRedirects(t *testing.T, out string) map[string]string {
	t.Helper()
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), "?") {
			t.Errorf("the built site has %s: a name with \"?\" is no address a server serves", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "_redirects"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || f[len(f)-1] != "301!" || !strings.HasPrefix(f[0], "/") {
			t.Errorf("_redirects: line %q is not \"path key=value … target 301!\"", line)
			continue
		}
		src := f[0] + "?" + strings.Join(f[1:len(f)-2], "&")
		if _, ok := m[src]; !ok { // the first rule that matches wins
			m[src] = f[len(f)-2]
		}
	}
	return m
}

// genCheckQueryAliases checks that _redirects sends every query alias of
// the post to the post's page.
func genCheckQueryAliases(t *testing.T, e genEntry, redirects map[string]string, canonical string) {
	t.Helper()
	u, err := url.Parse(canonical)
	if err != nil {
		t.Fatalf("%s: canonical %q: %v", e.file, canonical, err)
	}
	for _, q := range e.queries {
		target, ok := redirects[q]
		if !ok {
			t.Errorf("%s: query alias %s: no rule in _redirects", e.file, q)
			continue
		}
		if got, _ := url.PathUnescape(target); got != u.Path {
			t.Errorf("%s: _redirects sends %s to %s, the page is %s", e.file, q, target, u.Path)
		}
	}
}

// genCheckAliases checks that every alias of the post has a redirect page
// that points to the post's page.
func genCheckAliases(t *testing.T, e genEntry, out, canonical string) {
	t.Helper()
	for _, a := range e.aliases {
		p := strings.TrimPrefix(a, "/")
		var cands []string
		switch {
		case p == "" || strings.HasSuffix(p, "/"):
			cands = []string{p + "index.html"}
		case path.Ext(p) == ".html" || path.Ext(p) == ".htm":
			cands = []string{p}
		default:
			cands = []string{p + "/index.html", p + ".html", p}
		}
		found := ""
		for _, c := range cands {
			b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(c)))
			if err != nil {
				continue
			}
			found = c
			if !strings.Contains(html.UnescapeString(string(b)), canonical) {
				t.Errorf("%s: alias %s: %s does not point to %s", e.file, a, c, canonical)
			}
			break
		}
		if found == "" {
			t.Errorf("%s: alias %s: no redirect page (looked for %s)", e.file, a, strings.Join(cands, ", "))
		}
	}
}

// genComment is a comment as the export's data files hold it (the
// contract's Comment type).
type genComment struct {
	ID      int64  `yaml:"id"`
	Parent  int64  `yaml:"parent,omitempty"`
	Depth   int    `yaml:"depth"`
	Type    string `yaml:"type"`
	Status  string `yaml:"status,omitempty"`
	Author  string `yaml:"author"`
	URL     string `yaml:"url,omitempty"`
	Avatar  string `yaml:"avatar,omitempty"`
	Date    string `yaml:"date"`
	Content string `yaml:"content"`
}

// genWriteFile writes a file of a test tree, making its folders.
func genWriteFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// genPost is one post or page of the hand-made tree.
type genPost struct {
	name     string // folder or file name
	page     bool
	parent   string // the parent page's name, for a child page
	typ      string // a custom post type
	fields   markdown.Fields
	html     string // WordPress content, converted with markdown.Convert
	body     string // or Markdown as it is
	comments []genComment
	pings    []genComment
}

// genHandTree writes an exported tree the way the contract lays it out,
// front matter by markdown.FrontMatter and bodies by markdown.Convert or
// from the converter's golden files, so the skeleton can be built before
// the export command exists.
func genHandTree(t *testing.T, flavor string) string {
	t.Helper()
	dir := t.TempDir()
	d := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	posts := []genPost{
		{
			name: "hello",
			fields: markdown.Fields{
				Title: `He said "hi": #1 🎉`, Date: d("2010-01-02T03:04:05+08:00"), Slug: "hello",
				Categories: []string{"News: Today", "yes"}, Tags: []string{"#tag", "123"},
				Author: "Jane O'Doe", Summary: "An excerpt.", Image: "https://example.org/feature.jpg",
				WPID: 12, Lang: "en", Aliases: []string{"/2010/01/02/hello/", "/old-hello/"}, QueryAliases: []string{"/?p=12"},
				Permalink: "/2010/01/02/hello/", More: true,
			},
			html: "First paragraph with <span lang=\"fr\">bonjour</span>.\n\n<!--more-->\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n" +
				`[caption id="attachment_5" align="alignnone" width="300"]<img src="https://example.org/a.jpg" alt="A" width="300" height="200" /> A <em>caption</em>[/caption]` +
				"\n\nA <table><tr><td>cell</td></tr></table> and {{ braces }} {% liquid %}.",
			comments: []genComment{
				{ID: 1, Type: "comment", Author: "Ann <b>", URL: "https://ann.example/", Avatar: "https://example.org/ann.png", Date: "2010-01-03T00:00:00+08:00", Content: "Nice *post* & <em>more</em>"},
				{ID: 2, Parent: 1, Depth: 1, Type: "comment", Author: "Bob", Date: "2010-01-04T00:00:00+08:00", Content: "Thanks"},
				{ID: 4, Parent: 2, Depth: 2, Type: "comment", Status: "pending", Author: "Cy", Date: "2010-01-04T10:00:00+08:00", Content: "{{ not a template }} {% neither %}"},
			},
			pings: []genComment{{ID: 3, Type: "pingback", Author: "Other blog", URL: "https://other.example/x", Date: "2010-01-05T00:00:00+08:00", Content: "[…] linked […]"}},
		},
		{
			name: "ni-hao",
			fields: markdown.Fields{
				Title: "你好，世界", Date: d("2030-05-06T07:08:09+08:00"), Slug: "你好", WPID: 13, Lang: "zh",
				Aliases: []string{"/2030/05/06/你好/"}, Permalink: "/2030/05/06/你好/",
			},
			html:     "<p>中文<span lang=\"en\">English</span></p>",
			comments: []genComment{{ID: 9, Type: "comment", Author: "王", Date: "2030-05-07T00:00:00+08:00", Content: "好"}},
		},
		{
			name:   "draft",
			fields: markdown.Fields{Title: "A draft", Slug: "draft", Draft: true, WPID: 14},
			html:   "Not yet.",
		},
		{
			name: "info", page: true,
			fields: markdown.Fields{Title: "Info", Date: d("2012-03-04T12:02:19+01:00"), Slug: "info", WPID: 4, Lang: "en",
				QueryAliases: []string{"/?page_id=4"}},
			html: "About us.",
		},
		{
			name: "team", page: true, parent: "info",
			fields: markdown.Fields{Title: "Team", Slug: "team", WPID: 3},
			html:   "The team.",
		},
		{
			name: "work", typ: "portfolio",
			fields: markdown.Fields{Title: "Work", Date: d("2015-01-01T00:00:00Z"), Slug: "work", WPID: 20},
			html:   "A portfolio item.",
		},
	}
	// The converter's golden files: real converter output, with front
	// matter where the golden has none.
	goldens, err := filepath.Glob(filepath.Join("..", "..", "testdata", "markdown", "*", "want."+flavor+".md"))
	if err != nil {
		t.Fatal(err)
	}
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "markdown", "seed", "*."+flavor+".md"))
	goldens = append(goldens, seeds...)
	sort.Strings(goldens)
	for i, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(g))
		if name == "seed" {
			name = "seed-" + strings.TrimSuffix(filepath.Base(g), "."+flavor+".md")
		}
		hp := genPost{name: "golden-" + name, body: genSplitQueryAliases(string(b)),
			fields: markdown.Fields{Title: name, Date: d("2020-01-01T00:00:00Z").Add(time.Duration(i) * time.Hour), WPID: 1000 + i}}
		if strings.HasPrefix(hp.body, "---\n") {
			hp.fields = markdown.Fields{}
			if fm := genFrontMatterOf(hp.body); fm["date"] != nil {
				if tm, ok := fm["date"].(time.Time); ok {
					hp.fields.Date = tm
				}
			}
		}
		posts = append(posts, hp)
	}

	for _, p := range posts {
		body := p.body
		if p.html != "" {
			body, _ = markdown.Convert(p.html, markdown.Options{Flavor: flavor})
		}
		var doc []byte
		if strings.HasPrefix(body, "---\n") {
			doc = []byte(body)
		} else {
			fm, err := markdown.FrontMatter(p.fields, flavor)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.comments)+len(p.pings) > 0 {
				// comments_key goes in the front matter; the core adds it.
				fm = append(fm[:len(fm)-len("---\n")], []byte("comments_key: "+p.name+"\n---\n")...)
			}
			doc = append(fm, body...)
		}
		var file string
		switch {
		case flavor == "hugo" && p.page && p.parent != "":
			file = filepath.Join("content", p.parent, p.name, "index.md")
		case flavor == "hugo" && p.page:
			// A page with children is a branch bundle.
			file = filepath.Join("content", p.name, "_index.md")
		case flavor == "hugo" && p.typ != "":
			file = filepath.Join("content", p.typ, p.name, "index.md")
		case flavor == "hugo":
			file = filepath.Join("content", "posts", p.name, "index.md")
		case p.page && p.parent != "":
			file = filepath.Join(p.parent, p.name, "index.md")
		case p.page:
			file = filepath.Join(p.name, "index.md")
		case p.typ != "":
			file = filepath.Join("_"+p.typ, p.name+".md")
		default:
			date := p.fields.Date
			if date.IsZero() {
				date = d("2000-01-01T00:00:00Z")
			}
			file = filepath.Join("_posts", date.Format("2006-01-02")+"-"+p.name+".md")
		}
		genWriteFile(t, filepath.Join(dir, file), doc)
		if len(p.comments)+len(p.pings) > 0 {
			data := filepath.Join(dir, "data", "comments", p.name+".yaml")
			if flavor == "jekyll" {
				data = filepath.Join(dir, "_data", "comments", p.name+".yml")
			}
			b, err := yaml.Marshal(struct {
				Comments []genComment `yaml:"comments"`
				Pings    []genComment `yaml:"pings,omitempty"`
			}{p.comments, p.pings})
			if err != nil {
				t.Fatal(err)
			}
			genWriteFile(t, data, b)
		}
	}
	return dir
}

// genSplitQueryAliases moves the aliases with a query string (/?p=ID) of
// a document's front matter from aliases or redirect_from to
// query_aliases, as the export writes them (markdown.SplitAliases): the
// converter's golden files give FrontMatter all of markdown.Aliases.
func genSplitQueryAliases(doc string) string {
	if !strings.HasPrefix(doc, "---\n") {
		return doc
	}
	end := strings.Index(doc[4:], "\n---\n")
	if end < 0 {
		return doc
	}
	lines := strings.Split(doc[4:4+end], "\n")
	var kept, queries []string
	block := "" // the list key the lines are in
	keyAt := -1 // its line in kept
	items := 0  // its items kept
	closeBlock := func() {
		if keyAt >= 0 && items == 0 {
			kept = append(kept[:keyAt], kept[keyAt+1:]...)
		}
		block, keyAt, items = "", -1, 0
	}
	for _, l := range lines {
		if item, ok := strings.CutPrefix(l, "  - "); ok && block != "" {
			if strings.Contains(item, "?") {
				queries = append(queries, l)
				continue
			}
			items++
			kept = append(kept, l)
			continue
		}
		closeBlock()
		if l == "aliases:" || l == "redirect_from:" {
			block, keyAt = l, len(kept)
		}
		kept = append(kept, l)
	}
	closeBlock()
	if len(queries) > 0 {
		kept = append(kept, "query_aliases:")
		kept = append(kept, queries...)
	}
	return "---\n" + strings.Join(kept, "\n") + doc[4+end:]
}

// genFrontMatterOf returns the front matter of a Markdown document, or nil.
func genFrontMatterOf(doc string) map[string]any {
	end := strings.Index(doc[4:], "\n---\n")
	if end < 0 {
		return nil
	}
	m := map[string]any{}
	if yaml.Unmarshal([]byte(doc[4:4+end+1]), &m) != nil {
		return nil
	}
	return m
}

// TestSkeletonBuilds writes a hand-made export tree for each flavor (the
// layout of the contract, the converter's front matter and bodies,
// comments data, aliases, a draft, a child page, a custom post type),
// adds the skeleton and builds it with the real generator: no error, one
// page per post and page, comments, lang and redirects in place.
func TestSkeletonBuilds(t *testing.T) {
	for _, flavor := range []string{"hugo", "jekyll"} {
		t.Run(flavor, func(t *testing.T) {
			genTool(t, flavor)
			t.Parallel()
			dir := genHandTree(t, flavor)
			site := export.SiteInfo{Title: `Steppe "Watch": #1 中文 🎉`, BaseURL: "https://example.org/blog/", Language: "en-GB"}
			if _, err := export.WriteSkeleton(dir, flavor, site); err != nil {
				t.Fatal(err)
			}
			res := genBuild(t, flavor, dir)
			n := genCheckSite(t, dir, flavor, res)
			if n < 10 {
				t.Errorf("only %d pages built; the hand-made tree has more", n)
			}
			home, err := os.ReadFile(filepath.Join(res.out, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(home, []byte("He said &#34;hi&#34;: #1 🎉")) && !bytes.Contains(home, []byte("He said &quot;hi&quot;: #1 🎉")) {
				t.Errorf("the home page does not list the post with its title escaped:\n%s", home)
			}
		})
	}
}

// genExport exports the archive db (imported from wxr) with the CLI for
// flavor and layout and returns the tree and the summary's count of
// exported posts and pages.
func genExport(t *testing.T, wxr, db, flavor, layout string) (dir string, posts int) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), flavor+"-"+layout)
	code, stdout, stderr := wparchive(t, "export", "markdown", "--db", db, "--out", dir, "--flavor", flavor, "--layout", layout, "--json", "--quiet")
	if code != exitOK {
		t.Fatalf("export --flavor %s --layout %s of %s: exit %d; %s", flavor, layout, filepath.Base(wxr), code, stderr)
	}
	var sum struct {
		Posts map[string]int `json:"posts"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("export --json: %v\n%s", err, stdout)
	}
	return dir, sum.Posts["post"] + sum.Posts["page"]
}

// genExportBuild exports the archive db (imported from wxr) for each
// flavor in layout and builds it: no error, and one page per post and
// page the export's summary counts, each for a file of the tree.
func genExportBuild(t *testing.T, wxr, db, layout string) {
	t.Helper()
	for _, flavor := range []string{"hugo", "jekyll"} {
		genTool(t, flavor)
		dir, posts := genExport(t, wxr, db, flavor, layout)
		res := genBuild(t, flavor, dir)
		n := genCheckSite(t, dir, flavor, res)
		if n != posts {
			t.Errorf("%s %s: %d post and page HTML files built, the export's summary counts %d posts and pages", flavor, layout, n, posts)
		}
		t.Logf("%s %s: %d posts and pages, %d pages built, %d warnings", flavor, layout, posts, n, len(res.warnings))
	}
}

// TestExportBuildsSeed exports the seed reconstruction with both flavors
// in each layout and builds each with the real generator.
func TestExportBuildsSeed(t *testing.T) {
	wxr := filepath.Join("..", "..", "testdata", "seed", "central-asia.xml")
	db := filepath.Join(t.TempDir(), "a.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, wxr); code != exitOK {
		t.Fatalf("import: exit %d; %s", code, stderr)
	}
	for _, layout := range []string{"bundle", "flat", "dated"} {
		genExportBuild(t, wxr, db, layout)
	}
}

// TestExportBuildsCorpus exports every export of the shared corpus that
// imports (public/*.xml) with both flavors and builds each with the real
// generator, one file per subtest, in parallel; the theme unit test data
// in every layout. A file may fail to import only when public-counts.json
// says it is not a valid or well-formed export (TestImportPublicCorpus
// checks those refusals).
func TestExportBuildsCorpus(t *testing.T) {
	dir := corpus.Need(t)
	for _, flavor := range []string{"hugo", "jekyll"} {
		genTool(t, flavor)
	}
	b, err := os.ReadFile(filepath.Join(dir, "public-counts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var files []struct {
		File       string  `json:"file"`
		Wellformed bool    `json:"wellformed"`
		WXRVersion *string `json:"wxr_version"`
	}
	if err := json.Unmarshal(b, &files); err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("public-counts.json lists no file")
	}
	for _, f := range files {
		t.Run(f.File, func(t *testing.T) {
			t.Parallel()
			wxr := filepath.Join(dir, "public", f.File)
			db := filepath.Join(t.TempDir(), "a.sqlite")
			code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, wxr)
			valid := f.WXRVersion != nil && (*f.WXRVersion == "1.0" || *f.WXRVersion == "1.1" || *f.WXRVersion == "1.2")
			if code != exitOK {
				if !valid || !f.Wellformed {
					t.Skipf("nothing to build: the import refuses this file (not a valid or well-formed export): %s", firstLine(stderr))
				}
				t.Fatalf("import: exit %d; %s", code, stderr)
			}
			genExportBuild(t, wxr, db, "bundle")
			if f.File == "wptt__themeunittestdata.wordpress.xml" {
				// Nested pages, many aliases: the other layouts too.
				genExportBuild(t, wxr, db, "flat")
				genExportBuild(t, wxr, db, "dated")
			}
		})
	}
}

// TestJekyllBuildTimeZone builds the Jekyll export of a site in Central
// European Time whose posts fall on another day in UTC, on machines in
// Tokyo and Los Angeles: both give each post the date and URL it had in
// WordPress, by the timezone the export writes in _config.yml. Without
// that line the Los Angeles build moves the winter post to the day before
// (Jekyll converts front matter dates to the local time: jekyll 4.3.1,
// Document#merge_data! and Utils.parse_date), which shows the line is what
// makes the difference.
func TestJekyllBuildTimeZone(t *testing.T) {
	genTool(t, "jekyll")
	wxr := filepath.Join("..", "..", "archive", "export", "testdata", "timezone.xml")
	db := importFor(t, wxr)
	dir, _ := genExport(t, wxr, db, "jekyll", "bundle")
	want := map[string]string{ // page → the date it shows
		"2023/01/15/winter-midnight/index.html": "15 January 2023",
		"2023/07/01/summer-evening/index.html":  "1 July 2023",
	}
	check := func(tz string, want map[string]string) {
		t.Helper()
		res := genBuildTZ(t, "jekyll", dir, tz)
		for page, date := range want {
			b, err := os.ReadFile(filepath.Join(res.out, filepath.FromSlash(page)))
			if err != nil {
				t.Errorf("TZ=%s: %v (pages built: %v)", tz, err, res.entries)
				continue
			}
			if !strings.Contains(string(b), ">"+date+"</time>") {
				t.Errorf("TZ=%s: %s does not show %q", tz, page, date)
			}
		}
	}
	check("Asia/Tokyo", want)
	check("America/Los_Angeles", want)

	cfg := filepath.Join(dir, "_config.yml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	without := regexp.MustCompile(`(?m)^timezone: .*\n`).ReplaceAll(b, nil)
	if bytes.Equal(without, b) {
		t.Fatalf("_config.yml sets no timezone:\n%s", b)
	}
	if err := os.WriteFile(cfg, without, 0o644); err != nil {
		t.Fatal(err)
	}
	check("America/Los_Angeles", map[string]string{"2023/01/14/winter-midnight/index.html": "14 January 2023"})
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
