package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/internal/corpus"
)

// seedTitle is the title of the seed post (21873).
const seedTitle = "Central Asia: Russia’s Restive “Bulk” of Allies"

// corpusArchive imports the seed reconstruction and every export of
// ../shared/corpus/public that imports (a few are broken on purpose) into
// one archive and returns its path.
func corpusArchive(t *testing.T) string {
	t.Helper()
	dir := corpus.Need(t)
	path := filepath.Join(t.TempDir(), "corpus.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", path, seed); code != exitOK {
		t.Fatalf("import seed: %s", stderr)
	}
	files, err := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	imported := 0
	for _, f := range files {
		if code, _, _ := wparchive(t, "import", "--quiet", "--db", path, f); code == exitOK {
			imported++
		}
	}
	if imported < 40 {
		t.Fatalf("only %d of %d corpus exports imported", imported, len(files))
	}
	return path
}

// searchJSON runs search --json and decodes the hits.
func searchJSON(t *testing.T, db string, args ...string) []archive.Hit {
	t.Helper()
	code, out, stderr := wparchive(t, append([]string{"search", "--db", db, "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("search %q: exit %d: %s", args, code, stderr)
	}
	var hits []archive.Hit
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("search %q: %v\n%s", args, err, out)
	}
	return hits
}

func hasSeedPost(hits []archive.Hit) bool {
	for _, h := range hits {
		if h.Type == "post" && h.Title == seedTitle {
			return true
		}
	}
	return false
}

// TestSearchCorpus is the acceptance test on the seed and the
// public corpus in one archive.
func TestSearchCorpus(t *testing.T) {
	db := corpusArchive(t)

	t.Run("Kazakhstan finds the seed post first", func(t *testing.T) {
		code, out, stderr := wparchive(t, "search", "--db", db, "Kazakhstan")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		first, _, _ := strings.Cut(out, "\n")
		if !strings.HasPrefix(first, "post ") || !strings.Contains(first, seedTitle) ||
			!strings.Contains(first, "2022-05-01") || !strings.Contains(first, "**Kazakhstan**") ||
			!strings.HasSuffix(first, "https://steppewatch.example.org/2022/05/01/central-asia-russias-restive-bulk-of-allies/") {
			t.Errorf("first line:\n%s\nall:\n%s", first, out)
		}
		hits := searchJSON(t, db, "Kazakhstan")
		if len(hits) == 0 || hits[0].Type != "post" || hits[0].Title != seedTitle {
			t.Errorf("first JSON hit: %+v", hits)
		}
	})

	for _, q := range []string{"制裁", "侵略", "俄罗斯"} {
		t.Run(q+" finds the seed post", func(t *testing.T) {
			if hits := searchJSON(t, db, q); !hasSeedPost(hits) {
				t.Errorf("seed post not among %d hits: %+v", len(hits), hits)
			}
		})
	}

	t.Run("sanction finds sanctions", func(t *testing.T) {
		code, out, _ := wparchive(t, "search", "--db", db, "sanction")
		if code != exitOK || !strings.Contains(out, "**sanctions**") {
			t.Errorf("exit %d:\n%s", code, out)
		}
		if !hasSeedPost(searchJSON(t, db, "sanction")) {
			t.Error("seed post not found")
		}
	})

	t.Run("--type comment returns only comments", func(t *testing.T) {
		for _, args := range [][]string{{"--type", "comment", "sanctions"}, {"--type", "comment", "the"}, {"--type", "comment", "--limit", "500"}} {
			hits := searchJSON(t, db, args...)
			if len(hits) == 0 {
				t.Errorf("%q: no hits", args)
			}
			for _, h := range hits {
				if h.Type != "comment" {
					t.Errorf("%q: a %s: %+v", args, h.Type, h)
				}
			}
		}
	})

	t.Run("--lang zh returns only Chinese passages", func(t *testing.T) {
		quotes := 0
		for _, args := range [][]string{{"--lang", "zh", "制裁"}, {"--lang", "zh", "--limit", "200"}, {"--lang", "zh", "的"}} {
			hits := searchJSON(t, db, args...)
			if len(hits) == 0 {
				t.Errorf("%q: no hits", args)
			}
			for _, h := range hits {
				if l := strings.ToLower(h.Lang); l != "zh" && !strings.HasPrefix(l, "zh-") {
					t.Errorf("%q: lang %q: %+v", args, h.Lang, h)
				}
				if h.Type == "quote" {
					quotes++
				}
			}
		}
		if quotes == 0 {
			t.Error("no Chinese passage found")
		}
	})

	t.Run("filters", func(t *testing.T) {
		for _, h := range searchJSON(t, db, "--since", "2022-05", "--until", "2022-05", "sanction") {
			if !strings.HasPrefix(h.Date, "2022-05") {
				t.Errorf("outside May 2022: %+v", h)
			}
		}
		hits := searchJSON(t, db, "--site", "steppewatch", "--author", "Aigerim Bekova", "--type", "comment")
		if len(hits) != 3 {
			t.Errorf("Aigerim's comments: %d, want 3", len(hits))
		}
		if hits := searchJSON(t, db, "--limit", "3", "the"); len(hits) != 3 {
			t.Errorf("--limit 3: %d hits", len(hits))
		}
	})

	t.Run("README's full-text SQL runs in Debian's sqlite3", func(t *testing.T) {
		readmeSQLite3(t, db)
	})

	t.Run("sql cannot delete", func(t *testing.T) {
		sum := func() string {
			b, err := os.ReadFile(db)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%x", sha256.Sum256(b))
		}
		before := sum()
		posts := count(t, openDB(t, db), `SELECT count(*) FROM posts`)
		code, out, stderr := wparchive(t, "sql", "--db", db, "DELETE FROM posts")
		if code != exitError || out != "" {
			t.Errorf("exit %d, stdout %q", code, out)
		}
		if want := "wparchive sql: the archive is read-only here, and this SQL would change something (DELETE)"; !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("stderr %q, want one line starting %q", stderr, want)
		}
		if n := count(t, openDB(t, db), `SELECT count(*) FROM posts`); n != posts || sum() != before {
			t.Errorf("archive changed: %d posts before, %d after", posts, n)
		}
	})
}

// readmeSQLite3 runs every statement of the README's SQL example with
// full-text queries in the sqlite3 command and requires rows from each.
func readmeSQLite3(t *testing.T, db string) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("sqlite3 is not installed (apt-get install sqlite3; .ci/run installs it): the README's SQL is not run")
	}
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var block string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		if strings.Contains(m[1], "posts_fts MATCH") {
			block = m[1]
		}
	}
	if block == "" {
		t.Fatal("README has no SQL example with posts_fts MATCH")
	}
	n := 0
	for _, stmt := range strings.SplitAfter(block, ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "--") {
				lines = append(lines, l)
			}
		}
		stmt = strings.TrimSpace(strings.Join(lines, "\n"))
		if stmt == "" {
			continue
		}
		n++
		out, err := exec.Command(sqlite3, "-readonly", db, stmt).CombinedOutput()
		if err != nil {
			t.Errorf("sqlite3: %v: %s\n%s", err, out, stmt)
			continue
		}
		if strings.TrimSpace(string(out)) == "" {
			t.Errorf("no rows from:\n%s", stmt)
		}
		if strings.Contains(stmt, "MATCH") && strings.Contains(stmt, "制 裁") && !strings.Contains(string(out), "[制裁]") {
			t.Errorf("Chinese not marked in the snippet:\n%s", out)
		}
	}
	if n < 4 {
		t.Errorf("only %d statements in the README example", n)
	}
	ver, _ := exec.Command(sqlite3, "--version").Output()
	t.Logf("ran %d statements with sqlite3 %s", n, strings.Fields(string(ver) + " ?")[0])
}

// TestSearchCommand checks the command's own behaviour on the seed.
func TestSearchCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, seed); code != exitOK {
		t.Fatal(stderr)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in stdout, or stderr for failures
	}{
		{"syntax error", []string{`"unclosed`}, exitError, "wparchive search: cannot search for \"\\\"unclosed\": a double quote (\") is not closed\n"},
		{"ends too early", []string{"kazakhstan", "AND"}, exitError, "the query ends too early"},
		{"unknown column", []string{"foo:bar"}, exitError, `"foo" before a colon names a column`},
		{"no query and no filter", nil, exitUsage, "give words to search for"},
		{"bad date", []string{"--since", "May", "x"}, exitUsage, `--since: "May" is not a date`},
		{"bad limit", []string{"--limit", "0", "x"}, exitUsage, "--limit must be 1 or more"},
		{"nothing found", []string{"xylophone"}, exitOK, ""},
		{"several words", []string{"Radio", "Tashkent"}, exitOK, "**Tashkent**"},
		{"pingback", []string{"--type", "pingback", "Tashkent"}, exitOK, "pingback  2022-"},
		{"quote line", []string{"--type", "quote", "侵略"}, exitOK, "quote     2022-05-01  [zh-Hans] " + seedTitle + " — 停止“**侵略**”行为  https://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := wparchive(t, append([]string{"search", "--db", db}, tc.args...)...)
			got := out
			if tc.code != exitOK {
				got = stderr
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, out, stderr)
			}
			if tc.code == exitError && strings.Count(stderr, "\n") != 1 {
				t.Errorf("error is not one line: %q", stderr)
			}
		})
	}
	// Nothing found is said on stderr, and stdout stays empty for scripts.
	if code, out, stderr := wparchive(t, "search", "--db", db, "xylophone"); code != exitOK || out != "" || !strings.Contains(stderr, "Nothing found") {
		t.Errorf("nothing found: exit %d, %q, %q", code, out, stderr)
	}
	// A missing archive is an error naming it.
	if code, _, stderr := wparchive(t, "search", "--db", filepath.Join(t.TempDir(), "none.sqlite"), "x"); code != exitError || !strings.Contains(stderr, "none.sqlite") {
		t.Errorf("missing archive: exit %d: %s", code, stderr)
	}
}

func TestDateBound(t *testing.T) {
	for _, tc := range []struct {
		in   string
		end  bool
		want string
	}{
		{"2022", false, "2022-01-01T00:00:00Z"},
		{"2022", true, "2023-01-01T00:00:00Z"},
		{"2022-06", true, "2022-07-01T00:00:00Z"},
		{"2022-12", true, "2023-01-01T00:00:00Z"},
		{"2022-02-28", true, "2022-03-01T00:00:00Z"},
		{"2022-05-01T10:00:00Z", false, "2022-05-01T10:00:00Z"},
		{"", true, ""},
	} {
		got, err := dateBound(tc.in, tc.end)
		if err != nil || got != tc.want {
			t.Errorf("dateBound(%q, %v) = %q, %v; want %q", tc.in, tc.end, got, err, tc.want)
		}
	}
	for _, bad := range []string{"May", "2022-13", "22-05-01", "2022/05/01"} {
		if _, err := dateBound(bad, false); err == nil {
			t.Errorf("dateBound(%q): no error", bad)
		}
	}
}
