package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

const hardCases = "../../testdata/export/hard-cases.xml"

// importFor imports WXR files into a new archive and returns its path.
func importFor(t *testing.T, files ...string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "a.sqlite")
	for _, f := range files {
		if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, f); code != exitOK {
			t.Fatalf("import %s: exit %d: %s", f, code, stderr)
		}
	}
	return db
}

func TestExportCommand(t *testing.T) {
	db := importFor(t, hardCases)
	out := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := wparchive(t, "export", "markdown", "--db", db, "--out", out, "--check", "--drafts")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Exported 21 posts of hard.example.com to " + out + " (hugo, bundle layout)",
		"by type: post 15, page 6 (5 drafts)",
		"Skipped: in the trash 1, password-protected (--include-private) 1, private (--include-private) 1",
		"Renamed to stay unique: 3",
		"content/posts/same-slug-3/index.md  (post 107 \"Same slug, second\")",
		"Comments: 3 on 1 post",
		"Unknown shortcodes kept as they were: box 1",
		"Fidelity check: 0 of 21 posts differ",
		"Site skeleton: ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"content/posts/静夜思/index.md", "data/comments/classic-paragraphs-caption-nested-shortcodes.yaml", ".wparchive-export.json", "hugo.yaml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// Again, into the same folder, fewer posts, as JSON; "markdown" may be
	// left out.
	code, stdout, stderr = wparchive(t, "export", "--db", db, "--out", out, "--json", "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum struct {
		Posts    map[string]int `json:"posts"`
		Files    int            `json:"files"`
		Written  int            `json:"written"`
		Removed  []string       `json:"removed"`
		Skeleton []string       `json:"skeleton"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("--json: %v\n%s", err, stdout)
	}
	if sum.Posts["post"] != 12 || sum.Posts["page"] != 4 || len(sum.Removed) != 5 || sum.Written != 0 || len(sum.Skeleton) != 0 {
		t.Errorf("re-export without drafts: %+v", sum)
	}
	if stderr != "" {
		t.Errorf("stderr: %q", stderr)
	}
	// The help names the flags, the privacy test finds --out in it.
	code, stdout, _ = wparchive(t, "help", "export")
	if code != 0 {
		t.Errorf("help export: exit %d", code)
	}
	for _, f := range []string{"--out", "--flavor", "--layout", "--types", "--site", "--comments", "--comments-status", "--media", "--media-cache", "--media-allow-private", "--drafts", "--include-private", "--check", "--json", "--quiet", "--no-skeleton"} {
		if !strings.Contains(stdout, f+" ") && !strings.Contains(stdout, f+"[") {
			t.Errorf("help lacks %s:\n%s", f, stdout)
		}
	}
}

func TestExportUsage(t *testing.T) {
	db := importFor(t, hardCases)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "markdown", "--db", db}, "--out DIR"},
		{[]string{"export", "markdown", "--db", db, "--out", t.TempDir(), "--flavor", "gatsby"}, `flavor "gatsby"`},
		{[]string{"export", "markdown", "--db", db, "--out", t.TempDir(), "--layout", "tree"}, `layout "tree"`},
		{[]string{"export", "markdown", "--db", db, "--out", t.TempDir(), "--comments", "all"}, `comments "all"`},
		{[]string{"export", "markdown", "--db", db, "--out", t.TempDir(), "--media", "copy"}, `media "copy"`},
		{[]string{"export", "pdf", "--db", db, "--out", t.TempDir()}, `unexpected argument "pdf"`},
		{[]string{"export", "markdown", "--db", db, "--out", t.TempDir(), "--nope"}, "unknown flag"},
	} {
		code, _, stderr := wparchive(t, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "Try: wparchive export --help") {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", c.args[1:], code, stderr, c.want)
		}
	}
	code, stdout, _ := wparchive(t, "export", "--db", db, "--out", t.TempDir(), "--types", "post,recipe")
	if code != exitOK || !strings.Contains(stdout, "No post of type recipe in the archive") {
		t.Errorf("--types post,recipe: exit %d:\n%s", code, stdout)
	}
	// Failures that are no usage errors exit 1.
	code, _, stderr := wparchive(t, "export", "--db", filepath.Join(t.TempDir(), "none.sqlite"), "--out", t.TempDir())
	if code != exitError {
		t.Errorf("missing archive: exit %d, %s", code, stderr)
	}
	two := importFor(t, hardCases, "../../testdata/seed/central-asia.xml")
	code, _, stderr = wparchive(t, "export", "--db", two, "--out", t.TempDir(), "--site", "nowhere.example")
	if code != exitError || !strings.Contains(stderr, "hard.example.com, steppewatch.example.org") {
		t.Errorf("unknown site: exit %d, %s", code, stderr)
	}
}

// A post whose Markdown loses text: a <textarea> in a paragraph (the
// converter drops it; if it learns to keep it, this test needs another
// case that fails the check).
const fidelityFails = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Check</title><link>https://check.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Loses text</title><link>https://check.example.org/loses-text/</link>
<content:encoded><![CDATA[<p>Before <textarea>inside the box</textarea> after.</p>]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date>2024-01-01 10:00:00</wp:post_date><wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>loses-text</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>Fine</title><link>https://check.example.org/fine/</link>
<content:encoded><![CDATA[<p>All well.</p>]]></content:encoded>
<wp:post_id>8</wp:post_id><wp:post_date>2024-01-02 10:00:00</wp:post_date><wp:post_date_gmt>2024-01-02 10:00:00</wp:post_date_gmt>
<wp:post_name>fine</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
`

func TestExportCheckFails(t *testing.T) {
	wxr := filepath.Join(t.TempDir(), "check.xml")
	if err := os.WriteFile(wxr, []byte(fidelityFails), 0o644); err != nil {
		t.Fatal(err)
	}
	db := importFor(t, wxr)
	out := t.TempDir()
	code, stdout, stderr := wparchive(t, "export", "--db", db, "--out", out, "--check", "--no-skeleton")
	if code != exitError {
		t.Fatalf("exit %d, want 1: %s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "Fidelity check: 1 of 2 posts differ") || !strings.Contains(stdout, `content/posts/loses-text/index.md (post 7 "Loses text"): text differs`) {
		t.Errorf("summary:\n%s", stdout)
	}
	if !strings.Contains(stderr, "1 post fails the fidelity check") {
		t.Errorf("stderr: %s", stderr)
	}
	// The files are written all the same; without --check the exit is 0.
	if _, err := os.Stat(filepath.Join(out, "content/posts/loses-text/index.md")); err != nil {
		t.Error(err)
	}
	if code, _, stderr := wparchive(t, "export", "--db", db, "--out", out, "--no-skeleton"); code != exitOK {
		t.Errorf("without --check: exit %d: %s", code, stderr)
	}
}

// TestExportMediaPrivate: the seed's media moved to a server on loopback.
// --media download refuses it, saying which URL, why and which flag
// allows it, and requests nothing; with --media-allow-private the files
// are fetched and linked.
func TestExportMediaPrivate(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write([]byte("JPEG of " + r.URL.Path))
	}))
	defer srv.Close()
	seed, err := os.ReadFile("../../testdata/seed/central-asia.xml")
	if err != nil {
		t.Fatal(err)
	}
	const remote = "https://steppewatch.example.org/wp-content/uploads/"
	if !strings.Contains(string(seed), remote) {
		t.Fatalf("the seed has no media under %s", remote)
	}
	wxr := filepath.Join(t.TempDir(), "lan.xml")
	if err := os.WriteFile(wxr, []byte(strings.ReplaceAll(string(seed), remote, srv.URL+"/wp-content/uploads/")), 0o644); err != nil {
		t.Fatal(err)
	}
	db := importFor(t, wxr)
	args := []string{"export", "--db", db, "--no-skeleton", "--media", "download", "--media-cache", t.TempDir()}

	out := filepath.Join(t.TempDir(), "refused")
	code, stdout, stderr := wparchive(t, append(args, "--out", out)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, ", 0 fetched (0 from the cache), ") {
		t.Errorf("summary without --media-allow-private:\n%s", stdout)
	}
	want := ": download " + srv.URL + "/wp-content/uploads/"
	refused := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, want) {
			refused++
			if !strings.Contains(line, "127.0.0.1 is a loopback address") || !strings.Contains(line, "--media-allow-private") {
				t.Errorf("refusal line does not say why and what to do: %s", line)
			}
		}
	}
	if refused == 0 {
		t.Errorf("no refused URL listed:\n%s", stdout)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the server got %d requests, want none", n)
	}

	out = filepath.Join(t.TempDir(), "allowed")
	code, stdout, stderr = wparchive(t, append(args, "--out", out, "--media-allow-private")...)
	if code != exitOK {
		t.Fatalf("--media-allow-private: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, " 0 failed (links left remote)") || requests.Load() == 0 {
		t.Errorf("--media-allow-private: %d requests, summary:\n%s", requests.Load(), stdout)
	}
}

// TestExportTimeZoneSummary: a Jekyll export names the zone it wrote in
// the config, or, when it writes no config, tells the user to set it.
func TestExportTimeZoneSummary(t *testing.T) {
	db := importFor(t, "../../archive/export/testdata/timezone.xml")
	code, stdout, stderr := wparchive(t, "export", "--db", db, "--out", t.TempDir(), "--flavor", "jekyll")
	if want := "Time zone: Europe/Paris, Jekyll's timezone in _config.yml (it dates every post as WordPress did)\n"; code != exitOK || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, summary lacks %q:\n%s%s", code, want, stdout, stderr)
	}
	code, stdout, stderr = wparchive(t, "export", "--db", db, "--out", t.TempDir(), "--flavor", "jekyll", "--no-skeleton")
	if want := "Time zone: set timezone: Europe/Paris in _config.yml, or Jekyll dates the posts in the zone of the machine that builds"; code != exitOK || !strings.Contains(stdout, want) {
		t.Errorf("--no-skeleton: exit %d, summary lacks %q:\n%s%s", code, want, stdout, stderr)
	}
	code, stdout, _ = wparchive(t, "export", "--db", db, "--out", t.TempDir())
	if code != exitOK || strings.Contains(stdout, "Time zone") {
		t.Errorf("Hugo: exit %d, summary:\n%s", code, stdout)
	}
}
