package archive

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileDigest hashes the archive's database file and WAL, so a test sees any
// change written to disk.
func fileDigest(t *testing.T, path string) string {
	t.Helper()
	h := sha256.New()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func queryAll(t *testing.T, a *Archive, q string, args ...any) ([]string, [][]any) {
	t.Helper()
	rows, err := a.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		out = append(out, append([]any(nil), rows.Values()...))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return rows.Columns(), out
}

func TestQueryReads(t *testing.T) {
	a := searchArchive(t)
	cols, rows := queryAll(t, a, `SELECT id, title, 1.5 AS f, NULL AS n, x'00ff' AS b FROM posts WHERE wp_key = ?`, "10")
	if strings.Join(cols, ",") != "id,title,f,n,b" {
		t.Errorf("columns %q", cols)
	}
	if len(rows) != 1 {
		t.Fatalf("rows %v", rows)
	}
	r := rows[0]
	if _, ok := r[0].(int64); !ok || r[1] != "Sanctions on the steppe" || r[2] != 1.5 || r[3] != nil || string(r[4].([]byte)) != "\x00\xff" {
		t.Errorf("row %#v", r)
	}
	for _, q := range []string{
		`PRAGMA table_info(posts)`,
		`PRAGMA user_version`,
		`SELECT * FROM pragma_table_info('posts')`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n`,
		`EXPLAIN QUERY PLAN SELECT * FROM posts WHERE id = 1`,
		`VALUES (1), (2)`,
		"-- a comment first\nSELECT 1",
		`SELECT rowid, snippet(posts_fts, -1, '[', ']', '…', 8) FROM posts_fts WHERE posts_fts MATCH '"制 裁"' ORDER BY rank`,
	} {
		if _, rows := queryAll(t, a, q); len(rows) == 0 {
			t.Errorf("%s: no rows", q)
		}
	}
}

// TestQueryCannotChangeArchive runs SQL that would change the archive, on
// an archive opened read-only and on one opened for writing: each is
// refused with a *ReadOnlyError and the file stays the same.
func TestQueryCannotChangeArchive(t *testing.T) {
	ctx := context.Background()
	rw := searchArchive(t)
	path := rw.Path()
	rw.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	elsewhere := filepath.Join(t.TempDir(), "other.sqlite")
	writes := []string{
		`DELETE FROM posts`,
		`delete from posts`,
		`/* hidden */ DELETE FROM posts`,
		"-- hidden\nUPDATE posts SET title = 'x'",
		`INSERT INTO sites (site_key) VALUES ('x')`,
		`WITH x AS (SELECT 1) DELETE FROM posts`,
		`SELECT 1; DELETE FROM posts`,
		`SELECT 1; PRAGMA query_only = 0; DELETE FROM posts`,
		`PRAGMA query_only = 0`,
		`PRAGMA user_version = 99`,
		`PRAGMA journal_mode = DELETE`,
		`PRAGMA optimize`,
		`DROP TABLE posts`,
		`ALTER TABLE posts ADD COLUMN x`,
		`CREATE TABLE t (x)`,
		`CREATE TEMP TABLE t (x)`,
		`CREATE INDEX i ON posts (title)`,
		`INSERT INTO posts_fts (posts_fts) VALUES ('delete-all')`,
		`REINDEX`,
		`ANALYZE`,
		`VACUUM`,
		`VACUUM INTO '` + elsewhere + `'`,
		`ATTACH '` + elsewhere + `' AS other`,
		`BEGIN`,
		`SAVEPOINT s`,
		`SELECT load_extension('x')`,
		`REPLACE INTO _settings VALUES ('a', 'b')`,
		`DELETE FROM sqlite_master`,
		`UPDATE sqlite_schema SET sql = '' WHERE name = 'posts'`,
		`PRAGMA writable_schema = ON`,
		`CREATE VIEW v AS SELECT 1`,
		`CREATE TRIGGER tr AFTER INSERT ON posts BEGIN SELECT 1; END`,
		`DROP INDEX posts_slug`,
		`DROP TRIGGER posts_ai`,
		`DROP VIEW pings`,
		`CREATE VIRTUAL TABLE x USING fts5(a)`,
		`DROP TABLE posts_fts`,
		`ALTER TABLE posts RENAME TO p2`,
	}
	for _, open := range []string{"read-only", "read-write"} {
		t.Run(open, func(t *testing.T) {
			a := rw
			if open == "read-only" {
				var err error
				if a, err = OpenReadOnly(ctx, path); err != nil {
					t.Fatal(err)
				}
				defer a.Close()
			}
			before := fileDigest(t, path)
			var posts int
			rw.DB().QueryRow(`SELECT count(*) FROM posts`).Scan(&posts)
			for _, q := range writes {
				rows, err := a.Query(ctx, q)
				if err == nil {
					for rows.Next() {
					}
					err = rows.Err()
					rows.Close()
				}
				var ro *ReadOnlyError
				if !errors.As(err, &ro) {
					t.Errorf("%s: got %v, want a *ReadOnlyError", q, err)
					continue
				}
				if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "read-only") {
					t.Errorf("%s: message %q", q, msg)
				}
			}
			var after int
			rw.DB().QueryRow(`SELECT count(*) FROM posts`).Scan(&after)
			if after != posts || posts == 0 {
				t.Errorf("posts: %d before, %d after", posts, after)
			}
			if d := fileDigest(t, path); d != before {
				t.Error("the archive file changed")
			}
			if _, err := os.Stat(elsewhere); err == nil {
				t.Errorf("%s was created", elsewhere)
			}
		})
	}
	// The message names what was refused.
	_, err := rw.Query(ctx, `WITH x AS (SELECT 1) DELETE FROM posts`)
	if err == nil || !strings.Contains(err.Error(), "DELETE on posts") {
		t.Errorf("message: %v", err)
	}
	// The connection the guard ran on writes again for the import.
	if _, err := rw.DB().Exec(`INSERT INTO _settings (key, value) VALUES ('probe', 1)`); err != nil {
		t.Errorf("write after a refused query: %v", err)
	}
}

func TestQueryErrors(t *testing.T) {
	a := searchArchive(t)
	for q, want := range map[string]string{
		`SELECT * FROM nosuchtable`: "no such table",
		`SELEC 1`:                   "read-only",
		``:                          "no SQL",
		`  -- only a comment`:       "no SQL",
	} {
		_, err := a.Query(context.Background(), q)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", q, err, want)
		}
	}
}

// TestSchemaDocumentsEveryColumn: every column of every table this
// wparchive writes has a one-line meaning (in columnDocs or as a comment
// beside it in its migration), and FTS5's shadow tables are not listed.
func TestSchemaDocumentsEveryColumn(t *testing.T) {
	docs, err := BuiltinSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]TableDoc{}
	for _, td := range docs {
		byName[td.Name] = td
		if strings.Contains(td.Name, "_fts_") {
			t.Errorf("shadow table %s listed", td.Name)
		}
		if td.Kind == "view" {
			continue
		}
		if td.Doc == "" {
			t.Errorf("table %s has no description in archive/query.go tableDocs", td.Name)
		}
		for _, c := range td.Columns {
			if c.Doc == "" || strings.Contains(c.Doc, "\n") {
				t.Errorf("column %s.%s has no one-line description: add one to columnDocs in archive/query.go or a -- comment beside it in its migration", td.Name, c.Name)
			}
		}
	}
	for _, name := range []string{"sites", "posts", "comments", "quotes", "posts_fts", "comments_fts", "quotes_fts", "_imports"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("%s missing", name)
		}
	}
	if k := byName["posts_fts"].Kind; k != "fts" {
		t.Errorf("posts_fts kind %q", k)
	}
	var siteID ColumnDoc
	for _, c := range byName["posts"].Columns {
		if c.Name == "site_id" {
			siteID = c
		}
	}
	if siteID.References != "sites.id" || !siteID.NotNull || siteID.Type != "INTEGER" {
		t.Errorf("posts.site_id: %+v", siteID)
	}
	for _, c := range byName["posts_fts"].Columns {
		if c.Name == "posts_fts" || c.Name == "rank" {
			t.Errorf("hidden column %s listed", c.Name)
		}
	}

	// An archive describes itself the same way.
	a := searchArchive(t)
	own, err := a.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(own) != len(docs) {
		t.Errorf("archive schema has %d tables, built-in %d", len(own), len(docs))
	}
}

func TestColumnComments(t *testing.T) {
	got := columnComments(`CREATE TABLE x (
    id    INTEGER PRIMARY KEY,
    slug  TEXT NOT NULL,   -- raw, percent-encoded
    kind  TEXT,            -- comment, trackback -- or pingback
    UNIQUE (slug)
)`)
	want := map[string]string{"slug": "raw, percent-encoded", "kind": "comment, trackback -- or pingback"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
