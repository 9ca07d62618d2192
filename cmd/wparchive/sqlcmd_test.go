package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func seedArchive(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "a.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, seed); code != exitOK {
		t.Fatal(stderr)
	}
	return db
}

func sqlOK(t *testing.T, args ...string) string {
	t.Helper()
	code, out, stderr := wparchive(t, append([]string{"sql"}, args...)...)
	if code != exitOK {
		t.Fatalf("sql %q: exit %d: %s", args, code, stderr)
	}
	return out
}

func TestSQLTable(t *testing.T) {
	db := seedArchive(t)
	out := sqlOK(t, "--db", db, `SELECT wp_id, title, post_type, NULL AS empty, 2.5 AS f FROM posts WHERE wp_id IN (2, 21790) ORDER BY wp_id`)
	want := "" +
		"wp_id  title                             post_type  empty    f\n" +
		"-----  --------------------------------  ---------  -----  ---\n" +
		"    2  About                             page              2.5\n" +
		"21790  上合组织 (SCO): a short glossary  post              2.5\n" +
		"(2 rows)\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}

	// Wide text is cut at --width columns (CJK characters are two), line
	// breaks show as ↵.
	out = sqlOK(t, "--db", db, "--width", "12", `SELECT 'Central Asia: Russia' AS t UNION ALL SELECT '哈官方承诺不会成为' UNION ALL SELECT 'a' || char(10) || 'b'`)
	lines := strings.Split(out, "\n")
	if lines[2] != "Central Asi…" || lines[3] != "哈官方承诺…" || lines[4] != "a↵b" {
		t.Errorf("cut:\n%s", out)
	}
	if out := sqlOK(t, "--db", db, "--width", "0", `SELECT 'Central Asia: Russia' AS t`); !strings.Contains(out, "Central Asia: Russia\n") {
		t.Errorf("--width 0 cut:\n%s", out)
	}
	// Parameters.
	if out := sqlOK(t, "--db", db, `SELECT count(*) AS n FROM comments WHERE kind = ?`, "pingback"); !strings.Contains(out, "\n1\n") {
		t.Errorf("parameter:\n%s", out)
	}
	// Empty result.
	if out := sqlOK(t, "--db", db, `SELECT id FROM posts WHERE 0`); out != "id\n--\n(0 rows)\n" {
		t.Errorf("no rows:\n%q", out)
	}
}

func TestSQLFormats(t *testing.T) {
	db := seedArchive(t)
	q := `SELECT wp_id, title, NULL AS n FROM posts WHERE wp_id IN (2, 21873) ORDER BY wp_id`

	recs, err := csv.NewReader(strings.NewReader(sqlOK(t, "--db", db, "--format", "csv", q))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[0], ",") != "wp_id,title,n" || recs[2][1] != "Central Asia: Russia’s Restive “Bulk” of Allies" || recs[1][2] != "" {
		t.Errorf("csv: %q", recs)
	}

	out := sqlOK(t, "--db", db, "--format", "json", q)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(rows) != 2 || rows[0]["wp_id"] != 2.0 || rows[1]["title"] != "Central Asia: Russia’s Restive “Bulk” of Allies" || rows[0]["n"] != nil {
		t.Errorf("json: %v", rows)
	}
	if !strings.HasPrefix(out, `[`+"\n"+`  {"wp_id": 2, "title": "About", "n": null}`) {
		t.Errorf("json keys not in column order:\n%s", out)
	}
	if out := sqlOK(t, "--db", db, "--format", "json", `SELECT 1 WHERE 0`); out != "[]\n" {
		t.Errorf("json without rows: %q", out)
	}
	if out := sqlOK(t, "--db", db, "--format", "json", `SELECT raw_hash FROM posts WHERE wp_id = 2`); !regexpMatch(`^\[\n  \{"raw_hash": "[0-9a-f]{16,}"\}\n\]\n$`, out) {
		t.Errorf("blob as hex: %q", out)
	}

	out = sqlOK(t, "--db", db, "--format", "markdown", `SELECT 'a|b' AS "x|y", 'line' || char(10) || 'two' AS z`)
	if want := "| x\\|y | z |\n| --- | --- |\n| a\\|b | line<br>two |\n"; out != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", out, want)
	}
}

func TestSQLErrors(t *testing.T) {
	db := seedArchive(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"DELETE FROM posts"}, exitError, "read-only here, and this SQL would change something (DELETE)"},
		{[]string{"WITH x AS (SELECT 1) UPDATE posts SET title = 'x'"}, exitError, "(UPDATE on posts)"},
		{[]string{"SELECT 1; DROP TABLE posts"}, exitError, "(DROP TABLE on posts)"},
		{[]string{"PRAGMA query_only = 0"}, exitError, "(PRAGMA query_only=0)"},
		{[]string{"SELECT * FROM nosuch"}, exitError, "wparchive sql: no such table: nosuch\n"},
		{[]string{"SELEC 1"}, exitError, "(SELEC)"},
		{nil, exitUsage, "give the query"},
		{[]string{"--format", "xml", "SELECT 1"}, exitUsage, "--format is table, csv, json or markdown"},
	} {
		code, _, stderr := wparchive(t, append([]string{"sql", "--db", db}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d (want %d): %s", tc.args, code, tc.code, stderr)
		}
		if tc.code == exitError && strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: not one line: %q", tc.args, stderr)
		}
	}
	if n := count(t, openDB(t, db), `SELECT count(*) FROM posts`); n != 6 {
		t.Errorf("%d posts after the refused writes, want 6", n)
	}
}

func TestDisplayWidth(t *testing.T) {
	for _, tc := range []struct {
		s string
		w int
	}{
		{"abc", 3}, {"上合组织", 8}, {"é", 1}, {"e\u0301", 1}, {"制\u200b裁", 4}, {"ＡＢ", 4}, {"", 0},
	} {
		if got := displayWidth(tc.s); got != tc.w {
			t.Errorf("displayWidth(%q) = %d, want %d", tc.s, got, tc.w)
		}
	}
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"abcdef", 4, "abc…"}, {"abcd", 4, "abcd"}, {"上合组织", 5, "上合…"}, {"上合组织", 6, "上合…"}, {"上合组织", 7, "上合组…"},
	} {
		if got := truncate(tc.s, tc.max); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// The read-only commands leave nothing beside the archive: the -wal and
// -shm files their connections open are gone when they end. Each runs in
// a process of its own, as from the shell: within one process SQLite
// reuses the file descriptors an earlier read-write connection opened,
// and a read-only one may then remove the files itself.
func TestReadCommandsLeaveNoWALFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.sqlite")
	out := filepath.Join(dir, "site")
	for _, args := range [][]string{
		{"import", "--quiet", "--db", db, hardCases},
		{"sql", "--db", db, "SELECT count(*) FROM posts"},
		{"search", "--db", db, "the"},
		{"show", "--db", db, "101"},
		{"stats", "--db", db},
		{"quotes", "--db", db},
		{"schema", "--db", db},
		{"export", "--quiet", "--db", db, "--out", out},
	} {
		cmd, output := child(t, args...)
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v: %s", args, err, output)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(db + suffix); err == nil {
				t.Errorf("after %s: %s is left beside the archive", args[0], filepath.Base(db+suffix))
			}
		}
	}
}
