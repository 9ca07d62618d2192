package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/internal/corpus"
)

// Damaged and hostile input, end to end: every test runs the CLI with
// run(...) like a user would and looks at the exit code, the messages and
// the archive.

// archiveDigest returns a hash of everything the archive holds: every row
// of every table (the search index's shadow tables included), the schema
// and the header pragmas, leaving out only when each import ran. Two
// archives with the same digest hold the same data. It opens the file read-write so that SQLite can recover a WAL
// left by a killed process, but only reads.
func archiveDigest(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatalf("digest %s: %v", path, err)
	}
	var tables []string
	for rows.Next() {
		var name string
		var ddl sql.NullString
		if err := rows.Scan(&name, &ddl); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s\n%s\n", name, ddl.String)
		if !strings.HasPrefix(strings.ToUpper(ddl.String), "CREATE VIRTUAL") {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, q := range []string{"PRAGMA user_version", "PRAGMA application_id"} {
		var v int64
		if err := db.QueryRow(q).Scan(&v); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s=%d\n", q, v)
	}
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tb + `"`)
		if err != nil {
			t.Fatalf("digest %s: %v", tb, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if tb == "_imports" {
					// When an import ran is not what it stored: two runs
					// of one import compare equal.
					if cols[i] == "started_at" || cols[i] == "finished_at" {
						continue
					}
					if s, ok := v.(string); ok {
						v = importTimes.ReplaceAllString(s, "$1")
					}
				}
				fmt.Fprintf(&b, "%T:%x|", v, fmt.Sprint(v))
			}
			lines = append(lines, b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("digest %s: %v", tb, err)
		}
		rows.Close()
		// Row order of a table without ORDER BY follows its b-tree, which
		// a rolled-back transaction leaves alone; sort anyway so that a
		// digest compares content only.
		sort.Strings(lines)
		fmt.Fprintf(h, "%s %d\n%s\n", tb, len(lines), strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

var importTimes = regexp.MustCompile(`("(?:started_at|finished_at|seconds)":)("[^"]*"|[0-9.e+-]+)`)

// integrityOK runs PRAGMA integrity_check and returns its answer.
func integrityOK(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&s); err != nil {
		return err.Error()
	}
	return s
}

// baseArchive returns an archive in dir that already holds the seed
// export, so that "unchanged" means something.
func baseArchive(t *testing.T, dir string) string {
	t.Helper()
	db := filepath.Join(dir, "base.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, seedPath); code != exitOK {
		t.Fatalf("import the seed: exit %d: %s", code, stderr)
	}
	return db
}

// copyArchive copies an archive that no process has open.
func copyArchive(t *testing.T, from, to string) string {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, to+suffix, b)
	}
	return to
}

// importRepairs reads the repairs the last import stored in _imports.
func importRepairs(t *testing.T, db string) []struct {
	Part   string                     `json:"part"`
	Report map[string]json.RawMessage `json:"report"`
} {
	t.Helper()
	var s sql.NullString
	if err := openDB(t, db).QueryRow(`SELECT repairs_json FROM _imports ORDER BY id DESC LIMIT 1`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	var out []struct {
		Part   string                     `json:"part"`
		Report map[string]json.RawMessage `json:"report"`
	}
	if s.Valid && s.String != "null" {
		if err := json.Unmarshal([]byte(s.String), &out); err != nil {
			t.Fatalf("repairs_json %q: %v", s.String, err)
		}
	}
	return out
}

type repair struct {
	Count int   `json:"count"`
	Lines []int `json:"lines"`
}

// TestRepairsReported imports exports with each kind of byte-level damage
// and checks the repairs three ways: the summary printed, the repairs_json
// stored in _imports (same counts and first lines), and the values stored,
// which must be what the author wrote.
func TestRepairsReported(t *testing.T) {
	type want struct {
		repairs map[string]repair
		values  map[string]string // query → value
	}
	cases := []struct {
		name, path string
		want       want
	}{
		{"Chinese export with control characters", "../../testdata/damage/zh-control-chars.xml", want{
			repairs: map[string]repair{"illegal_chars": {8, []int{9, 16, 18, 18, 26}}},
			values: map[string]string{
				`SELECT title FROM sites`:                                 "小站日志",
				`SELECT title FROM posts WHERE wp_id = 1`:                 "春天来了",
				`SELECT content FROM posts WHERE wp_id = 1`:               "今天天气很好。我们去公园散步。[0m",
				`SELECT author || '|' || content FROM comments`:           "访客|写得好！",
				`SELECT title || '|' || content FROM posts WHERE wp_id=3`: "第三篇|段落一\n段落二",
				`SELECT content FROM posts WHERE wp_id = 2`:               "没有问题的内容。",
			},
		}},
		{"Latin-1 bytes, HTML entities and a bare ampersand", "../../testdata/damage/latin1-mojibake.xml", want{
			repairs: map[string]repair{
				"windows_1252":    {1, []int{18}},
				"html_entities":   {2, []int{9, 26}},
				"bare_ampersands": {1, []int{16}},
			},
			values: map[string]string{
				`SELECT title FROM sites`:                   "Café & crème",
				`SELECT title FROM posts WHERE wp_id = 1`:   "Le thé & les gâteaux",
				`SELECT content FROM posts WHERE wp_id = 1`: "Un café crème.",
				`SELECT title FROM posts WHERE wp_id = 2`:   "Deux\u00a0mots",
			},
		}},
	}
	if dir := corpus.Dir(); dir != "" {
		cases = append(cases,
			struct {
				name, path string
				want       want
			}{"crazy-cdata", filepath.Join(dir, "public", "wpimporter__crazy-cdata.xml"), want{
				repairs: map[string]repair{"cdata_ends": {4, []int{18, 38, 42, 42}}},
				values:  map[string]string{`SELECT content FROM posts`: "Content with nested <![CDATA[ tags ]]> :)"},
			}},
			// The Chinese blog whose QQ-Zone posts carry their own CDATA
			// markers: 8 raw ]]> kept as data, 42 items, 10 comments.
			struct {
				name, path string
				want       want
			}{"assassingj", filepath.Join(dir, "public", "assassingj__wordpress.xml"), want{
				repairs: map[string]repair{"cdata_ends": {8, []int{75, 99, 761, 799, 833}}},
				values: map[string]string{
					`SELECT count(*) FROM posts`:    "42",
					`SELECT count(*) FROM comments`: "10",
				},
			}},
			// Mojibake that is valid UTF-8 (U+FFFD written by WordPress) is
			// not damage: kept as it is, no repair.
			struct {
				name, path string
				want       want
			}{"U+FFFD mojibake kept", filepath.Join(dir, "public", "wp2hugo__testcase.WordPress_2.xml"), want{
				repairs: map[string]repair{},
				values: map[string]string{
					`SELECT count(*) FROM posts WHERE title LIKE '%Schachtels` + "\ufffd\ufffd" + `tze%'`:     "1",
					`SELECT count(*) FROM post_terms WHERE name LIKE '%netzfundst` + "\ufffd\ufffd" + `cke%'`: "1",
				},
			}},
		)
	} else {
		t.Log("the shared corpus is absent: only our own fixtures are checked")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "a.sqlite")
			code, stdout, stderr := wparchive(t, "import", "--quiet", "--db", db, c.path)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			// The summary: one line per kind, with count and lines.
			total := 0
			for kind, r := range c.want.repairs {
				total += r.Count
				lines := make([]string, len(r.Lines))
				for i, l := range r.Lines {
					lines[i] = fmt.Sprint(l)
				}
				re := regexp.MustCompile(`(?m)^  ` + kind + ` +` + fmt.Sprint(r.Count) + ` \(line ` + regexp.QuoteMeta(strings.Join(lines, ", ")) + `(, …)?\)$`)
				if !re.MatchString(stdout) {
					t.Errorf("summary lacks %s %d %v:\n%s", kind, r.Count, r.Lines, stdout)
				}
			}
			if total == 0 && !strings.Contains(stdout, "Repairs: none needed") {
				t.Errorf("summary does not say no repair was needed:\n%s", stdout)
			}
			if total > 0 && !strings.Contains(stdout, fmt.Sprintf("Repairs of broken input in %s: %d\n", c.path, total)) {
				t.Errorf("summary lacks the repair total %d:\n%s", total, stdout)
			}
			// _imports.repairs_json: the same, by part.
			stored := importRepairs(t, db)
			if total == 0 {
				if len(stored) != 0 {
					t.Errorf("repairs stored for an undamaged file: %+v", stored)
				}
			} else {
				if len(stored) != 1 || stored[0].Part != c.path {
					t.Fatalf("repairs_json parts %+v, want one for %s", stored, c.path)
				}
				for kind, w := range c.want.repairs {
					var got repair
					json.Unmarshal(stored[0].Report[kind], &got)
					if got.Count != w.Count || fmt.Sprint(got.Lines) != fmt.Sprint(w.Lines) {
						t.Errorf("repairs_json %s = %+v, want %+v", kind, got, w)
					}
				}
				for kind := range stored[0].Report {
					if _, ok := c.want.repairs[kind]; !ok {
						t.Errorf("unexpected repair %s: %s", kind, stored[0].Report[kind])
					}
				}
			}
			a := openDB(t, db)
			for q, w := range c.want.values {
				var got string
				if err := a.QueryRow(q).Scan(&got); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				if got != w {
					t.Errorf("%s = %q, want %q", q, got, w)
				}
			}
		})
	}
}

// TestCrazyCDATARecoveredWhole: old WordPress left ]]> unescaped inside
// CDATA (crazy-cdata.xml); the same export correctly escaped is
// crazy-cdata-escaped.xml. Imported, both must hold the very same content
// and meta values: each item's content is recovered whole.
func TestCrazyCDATARecoveredWhole(t *testing.T) {
	dir := corpus.Need(t)
	values := func(name string) []string {
		db := filepath.Join(t.TempDir(), "a.sqlite")
		if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, filepath.Join(dir, "public", name)); code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		a := openDB(t, db)
		var out []string
		rows, err := a.Query(`SELECT 'content', content FROM posts UNION ALL SELECT meta_key, meta_value FROM (SELECT * FROM postmeta ORDER BY ord)`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k, v string
			rows.Scan(&k, &v)
			out = append(out, k+" = "+v)
		}
		return out
	}
	raw, escaped := values("wpimporter__crazy-cdata.xml"), values("wpimporter__crazy-cdata-escaped.xml")
	want := []string{
		"content = Content with nested <![CDATA[ tags ]]> :)",
		"Plain string = Foo",
		"Closing CDATA = ]]>",
		"Alot of CDATA = This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
	}
	if strings.Join(raw, "\n") != strings.Join(want, "\n") {
		t.Errorf("crazy-cdata.xml:\n%s\nwant:\n%s", strings.Join(raw, "\n"), strings.Join(want, "\n"))
	}
	if strings.Join(escaped, "\n") != strings.Join(raw, "\n") {
		t.Errorf("the escaped twin differs:\n%s", strings.Join(escaped, "\n"))
	}
}

// TestMalformedRefused: damage the cleaner cannot repair fails the import
// with the file, the line and what to do, and leaves the archive as it
// was.
func TestMalformedRefused(t *testing.T) {
	dir := corpus.Need(t)
	tmp := t.TempDir()
	base := baseArchive(t, tmp)
	before := archiveDigest(t, base)
	cases := []struct{ file, want string }{
		{"wpimporter__malformed.xml", "wpimporter__malformed.xml:90: XML syntax error: element <notachanneltag> closed by </channel>; the file is damaged: export it again"},
		{"wpimporter__malformed-simple.xml", "wpimporter__malformed-simple.xml:14: the file ends at byte 372 in the middle of the export, inside item #1 (line 9, post_id 1, \"Broken\"); no item in it is complete. It was probably cut off during download or export: download or export it again"},
		{"wpimporter__missing-version-tag.xml", "not a WordPress export: <wp:wxr_version> is missing"},
		{"wpimporter__invalid-version-tag.xml", `invalid WXR version "abc"`},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			code, stdout, stderr := wparchive(t, "import", "--quiet", "--db", base, filepath.Join(dir, "public", c.file))
			if code != exitError {
				t.Fatalf("exit %d, want 1; stdout %s", code, stdout)
			}
			if !strings.HasPrefix(stderr, "wparchive import: "+filepath.Join(dir, "public")) || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr:\n%s\nwant it to contain:\n%s", stderr, c.want)
			}
			if !strings.HasSuffix(stderr, "The archive "+base+" is unchanged.\n") {
				t.Errorf("stderr does not say the archive is unchanged:\n%s", stderr)
			}
			if got := archiveDigest(t, base); got != before {
				t.Errorf("the archive changed")
			}
		})
	}
}

// items returns the (line, post_id, title) of each item the archive holds
// for the site imported from file, in file order.
func itemsOf(t *testing.T, db, file string) []string {
	t.Helper()
	rows, err := openDB(t, db).Query(`SELECT source_line, wp_id, title FROM posts WHERE source_file = ? ORDER BY source_line`, file)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line int
		var id, title sql.NullString
		rows.Scan(&line, &id, &title)
		out = append(out, fmt.Sprintf("%d %s %q", line, id.String, title.String))
	}
	return out
}

// TestTruncatedAt50Points cuts a real export (98 items, 82 comments) at 50
// random points and imports each cut file into an archive that already
// holds another site. Without --salvage each fails, names the byte where
// the file ends and the last complete item, and leaves the archive
// exactly as it was. With --salvage each imports exactly the items that
// are complete before the cut, and says what it left out.
func TestTruncatedAt50Points(t *testing.T) {
	dir := corpus.Need(t)
	src, err := os.ReadFile(filepath.Join(dir, "public", "MikeChristianson__wordpress.xml"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	base := baseArchive(t, tmp)
	before := archiveDigest(t, base)

	// The items of the whole export, in file order.
	whole := filepath.Join(tmp, "export.xml")
	writeFile(t, whole, src)
	ref := copyArchive(t, base, filepath.Join(tmp, "ref.sqlite"))
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", ref, whole); code != exitOK {
		t.Fatalf("whole export: exit %d: %s", code, stderr)
	}
	all := itemsOf(t, ref, whole)
	if len(all) != 98 {
		t.Fatalf("%d items in the whole export, want 98", len(all))
	}

	seed := uint64(20260527)
	rng := rand.New(rand.NewPCG(seed, seed))
	t.Logf("cut points from seed %d", seed)
	cuts := make([]int, 50)
	for i := range cuts {
		cuts[i] = 1 + rng.IntN(len(src)-1)
	}
	// Besides the random points, the places where a reader is most likely
	// to miscount: just after an </item>, just before the next <item>,
	// inside the closing tags of the document.
	end := bytes.Index(src, []byte("</item>")) + len("</item>")
	cuts = append(cuts, end, end-1, bytes.Index(src[end:], []byte("<item>"))+end, bytes.LastIndex(src, []byte("</channel>"))+3, len(src)-2)

	for i, cut := range cuts {
		t.Run(fmt.Sprintf("%d_byte_%d", i, cut), func(t *testing.T) {
			part := filepath.Join(t.TempDir(), "export.xml")
			writeFile(t, part, src[:cut])
			complete := bytes.Count(src[:cut], []byte("</item>"))
			t.Logf("%d complete items before the cut", complete)

			code, stdout, stderr := wparchive(t, "import", "--quiet", "--db", base, part)
			if code != exitError {
				t.Fatalf("exit %d without --salvage; stdout:\n%s", code, stdout)
			}
			if got := archiveDigest(t, base); got != before {
				t.Fatalf("the archive changed after a failed import")
			}
			if !strings.HasPrefix(stderr, "wparchive import: "+part) || !strings.HasSuffix(stderr, "The archive "+base+" is unchanged.\n") {
				t.Errorf("stderr does not name the file and the archive:\n%s", stderr)
			}
			started := bytes.Contains(src[:cut], []byte("<wp:wxr_version>1.2</wp:wxr_version>"))
			if started {
				if !strings.Contains(stderr, fmt.Sprintf("the file ends at byte %d in the middle of the export", cut)) {
					t.Errorf("stderr does not name the byte where the file ends:\n%s", stderr)
				}
				if complete > 0 {
					last := strings.SplitN(all[complete-1], " ", 3)
					if !strings.Contains(stderr, fmt.Sprintf("the last complete item is #%d (post_id %s, %s, line %s)", complete, last[1], last[2], last[0])) ||
						!strings.Contains(stderr, fmt.Sprintf("or import the %d complete items with --salvage", complete)) {
						t.Errorf("stderr does not name the last complete item %s:\n%s", all[complete-1], stderr)
					}
				} else if !strings.Contains(stderr, "no item in it is complete") {
					t.Errorf("stderr does not say no item is complete:\n%s", stderr)
				}
			}

			db := copyArchive(t, base, filepath.Join(t.TempDir(), "a.sqlite"))
			code, stdout, stderr = wparchive(t, "import", "--quiet", "--salvage", "--db", db, part)
			if !started {
				// Cut before the export says it is one: nothing to salvage.
				if code == exitOK && len(itemsOf(t, db, part)) != 0 {
					t.Errorf("items imported from a file cut in its header")
				}
				return
			}
			if code != exitOK {
				t.Fatalf("--salvage: exit %d: %s", code, stderr)
			}
			got := itemsOf(t, db, part)
			if strings.Join(got, "\n") != strings.Join(all[:complete], "\n") {
				t.Errorf("--salvage imported %d items, want the %d complete before the cut", len(got), complete)
			}
			if !strings.Contains(stdout, fmt.Sprintf("Warning: %s: salvaged %d complete items; the file ends at byte %d", part, complete, cut)) ||
				!strings.Contains(stdout, "is not in the archive") {
				t.Errorf("the summary does not say what was salvaged and left out:\n%s", stdout)
			}
			if s := integrityOK(t, db); s != "ok" {
				t.Errorf("integrity_check: %s", s)
			}
		})
	}
}

// TestHostileInputs runs the CLI on hostile files made on the fly: gzip
// and zip bombs, a zip entry that lies about its size, a gzip bomb inside
// a zip, zip entries named ../../x, /abs and ..\..\x. Each ends with a
// clear error (or, for the entry names, a clean import), leaves the
// archive as it was, and nothing but the archive is written anywhere in
// the test's tree (the working directory, TMPDIR and HOME point into it).
func TestHostileInputs(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"work", "tmp", "home", "in"} {
		os.Mkdir(filepath.Join(root, d), 0o755)
	}
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "work"))
	t.Setenv("TMPDIR", filepath.Join(root, "tmp"))
	t.Setenv("HOME", filepath.Join(root, "home"))
	in := func(name string, b []byte) string { return writeFile(t, filepath.Join(root, "in", name), b) }
	zeros := make([]byte, 256<<20) // inflates 1000 times: a bomb
	gzBomb := gzBest(t, zeros)
	zipOf := func(entries map[string][]byte) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		names := make([]string, 0, len(entries))
		for n := range entries {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(entries[n])
		}
		zw.Close()
		return buf.Bytes()
	}
	// A zip whose directory says the entry inflates to 1000 bytes when it
	// inflates to 10 MiB.
	liar := zipOf(map[string][]byte{"export.xml": append(append([]byte{}, seed...), make([]byte, 10<<20)...)})
	cd := bytes.LastIndex(liar, []byte("PK\x01\x02"))
	liar[cd+24], liar[cd+25], liar[cd+26], liar[cd+27] = 0xe8, 0x03, 0, 0

	db := filepath.Join(root, "work", "a.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, in("seed.xml", seed)); code != exitOK {
		t.Fatalf("seed: exit %d: %s", code, stderr)
	}
	snapshot := func() map[string]int64 {
		m := map[string]int64{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				st, _ := d.Info()
				m[p] = st.Size()
			}
			return nil
		})
		return m
	}

	cases := []struct {
		name  string
		args  []string
		stdin []byte
		want  string // in stderr; "" for a clean import
	}{
		{"gzip bomb", []string{in("bomb.xml.gz", gzBomb)}, nil, "inflates more than 100 times"},
		{"gzip bomb on stdin", []string{"-"}, gzBomb, "stdin:1: inflates more than 100 times"},
		{"zip bomb", []string{in("bomb.zip", zipOf(map[string][]byte{"export.xml": zeros}))}, nil, "bomb.zip:export.xml: inflates more than 100 times (256 MiB out of"},
		{"gzip bomb in a zip", []string{in("nested.zip", zipOf(map[string][]byte{"export.xml.gz": gzBomb}))}, nil, "nested.zip:export.xml.gz:1: inflates more than 100 times"},
		{"zip entry bigger than declared", []string{in("liar.zip", liar)}, nil, "the zip entry is damaged or inflates past the size the zip declares"},
		{"entity bomb", []string{in("laughs.xml", []byte(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`+
			string(seed[bytes.Index(seed, []byte("<rss")):bytes.Index(seed, []byte("<item>"))])+"<item><title>&c;&c;&c;</title><wp:post_id>1</wp:post_id></item></channel></rss>"))}, nil, ""},
		{"deep nesting", []string{in("deep.xml", []byte(string(seed[:bytes.Index(seed, []byte("<item>"))])+"<item>"+strings.Repeat("<x>", 100_000)))}, nil, "elements nest more than 256 deep"},
		{"zip entry names that climb out", []string{in("slip.zip", zipOf(map[string][]byte{
			"../../x.xml":      seed,
			"/etc/evil.xml":    seed,
			`..\..\evil.xml`:   seed,
			"a/../../../y.xml": seed,
		}))}, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := archiveDigest(t, db)
			files := snapshot()
			var out, errb bytes.Buffer
			code := run(t.Context(), append([]string{"import", "--quiet", "--db", db}, c.args...), bytes.NewReader(c.stdin), &out, &errb)
			stderr := errb.String()
			if c.want == "" {
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
			} else {
				if code != exitError || !strings.Contains(stderr, c.want) {
					t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, c.want)
				}
				if got := archiveDigest(t, db); got != before {
					t.Errorf("the archive changed")
				}
			}
			// Only the archive and its WAL and shared-memory files may
			// have been written.
			for p, size := range snapshot() {
				if old, ok := files[p]; ok && old == size {
					continue
				}
				if p != db && p != db+"-wal" && p != db+"-shm" {
					t.Errorf("import wrote %s", p)
				}
			}
			if c.name == "zip entry names that climb out" {
				for _, n := range []string{"../../x.xml", "/etc/evil.xml", `..\..\evil.xml`, "a/../../../y.xml"} {
					if !strings.Contains(out.String(), "slip.zip:"+n+"  ") {
						t.Errorf("the entry %s was not imported as a part named after it:\n%s", n, out.String())
					}
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(root, "x.xml")); err == nil {
		t.Errorf("../../x.xml was written")
	}
}

func gzBest(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := io.Copy(w, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Bytes()
}

// TestExitCodesAndMessages: 0 ok, 1 failed, 2 usage; every failure names
// the file (and the line where it is known) and says what to do.
func TestExitCodesAndMessages(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "a.sqlite")
	notXML := writeFile(t, filepath.Join(tmp, "notes.txt"), []byte("This is not valid XML content\n"))
	html := writeFile(t, filepath.Join(tmp, "page.xml"), []byte("<!DOCTYPE html>\n<html><body>Log in</body></html>\n"))
	emptyZip := writeFile(t, filepath.Join(tmp, "empty.zip"), func() []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("readme.txt")
		w.Write([]byte("hello"))
		zw.Close()
		return b.Bytes()
	}())
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	zipped := gz(t, seed)
	badGz := writeFile(t, filepath.Join(tmp, "cut.xml.gz"), zipped[:len(zipped)/2])
	emptyDir := filepath.Join(tmp, "nothing")
	os.Mkdir(emptyDir, 0o755)
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"ok", []string{"import", "--quiet", "--db", db, seedPath}, exitOK, nil},
		{"no command", []string{}, exitUsage, []string{"Usage: wparchive COMMAND"}},
		{"unknown command", []string{"imprt"}, exitUsage, []string{`unknown command "imprt"`, "Try: wparchive help"}},
		{"unknown flag", []string{"import", "--salvag", seedPath}, exitUsage, []string{"wparchive import: unknown flag: --salvag", "Try: wparchive import --help"}},
		{"no export named", []string{"import", "--db", db}, exitUsage, []string{"name the export to import", "Try: wparchive import --help"}},
		{"missing file", []string{"import", "--db", db, filepath.Join(tmp, "nope.xml")}, exitError, []string{filepath.Join(tmp, "nope.xml") + ": no such file or directory (give the path of a WordPress export"}},
		{"not XML", []string{"import", "--db", db, notXML}, exitError, []string{notXML + ": importer: not a WordPress export", "Tools → Export", "is unchanged"}},
		{"HTML page", []string{"import", "--db", db, html}, exitError, []string{html + ":2: importer: not a WordPress export: the document is an HTML page", "Tools → Export"}},
		{"zip without export", []string{"import", "--db", db, emptyZip}, exitError, []string{emptyZip + ": the zip holds no .xml export parts; give the WordPress export itself"}},
		{"cut gzip", []string{"import", "--db", db, badGz}, exitError, []string{badGz + ":", "the file ends at byte", "download or export it again"}},
		{"empty folder", []string{"import", "--db", db, emptyDir}, exitError, []string{emptyDir + ": the folder holds no .xml"}},
		{"archive is not SQLite", []string{"import", "--db", notXML, seedPath}, exitError, []string{notXML}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := wparchive(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}
