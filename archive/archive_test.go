package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/schema"
)

func openTemp(t *testing.T) *Archive {
	t.Helper()
	a, err := Open(context.Background(), filepath.Join(t.TempDir(), "a.wparchive"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestOpenSetsUpArchive(t *testing.T) {
	a := openTemp(t)
	db := a.DB()
	for q, want := range map[string]string{
		"PRAGMA foreign_keys":   "1",
		"PRAGMA journal_mode":   "wal",
		"PRAGMA synchronous":    "1", // NORMAL
		"PRAGMA application_id": "1464877394",
	} {
		var got string
		if err := db.QueryRow(q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %s, want %s", q, got, want)
		}
	}
	var v int
	db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != schema.Version() {
		t.Errorf("user_version %d, want %d", v, schema.Version())
	}
	if !strings.HasSuffix(a.Path(), "a.wparchive") {
		t.Errorf("Path() = %q", a.Path())
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "we?ird#dir%20")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "a b.sqlite")
	a, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("archive not created at the given path: %v", err)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	xml := filepath.Join(dir, "export.xml")
	os.WriteFile(xml, []byte("<?xml version=\"1.0\"?><rss></rss>\n"), 0o644)
	before, _ := os.ReadFile(xml)

	other := filepath.Join(dir, "other.sqlite")
	db, err := sql.Open("sqlite3", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, open := range []struct {
		name string
		fn   func(context.Context, string) (*Archive, error)
	}{{"Open", Open}, {"OpenReadOnly", OpenReadOnly}} {
		if _, err := open.fn(ctx, xml); !errors.Is(err, ErrNotSQLite) || !strings.Contains(err.Error(), xml) {
			t.Errorf("%s(xml) = %v, want ErrNotSQLite naming the file", open.name, err)
		}
		if _, err := open.fn(ctx, other); !errors.Is(err, ErrNotArchive) {
			t.Errorf("%s(other sqlite) = %v, want ErrNotArchive", open.name, err)
		}
	}
	if after, _ := os.ReadFile(xml); string(after) != string(before) {
		t.Error("the XML file was changed")
	}
	db, _ = sql.Open("sqlite3", other)
	defer db.Close()
	var appID, n int
	db.QueryRow("PRAGMA application_id").Scan(&appID)
	db.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&n)
	if appID != 0 || n != 1 {
		t.Errorf("the other database was changed: application_id %d, %d objects", appID, n)
	}
	if _, err := OpenReadOnly(ctx, filepath.Join(dir, "missing.sqlite")); !errors.Is(err, ErrNotFound) {
		t.Errorf("OpenReadOnly(missing) = %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.sqlite")); !errors.Is(err, os.ErrNotExist) {
		t.Error("OpenReadOnly created the missing file")
	}
}

func TestOpenRefusesNewerArchive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	a.DB().Exec("PRAGMA user_version = 9999")
	a.Close()
	for _, open := range []func(context.Context, string) (*Archive, error){Open, OpenReadOnly} {
		if _, err := open(ctx, path); !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), "newer wparchive") {
			t.Errorf("open = %v, want ErrTooNew", err)
		}
	}
}

func TestOpenReadOnlyCannotWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SetSite(ctx, &Site{Key: "example.org", Title: "Example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !ro.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	for _, q := range []string{
		"UPDATE sites SET title = 'changed'",
		"INSERT INTO sites (site_key) VALUES ('x')",
		"PRAGMA query_only = 0; UPDATE sites SET title = 'changed'",
		"CREATE TABLE t (x)",
	} {
		if _, err := ro.DB().ExecContext(ctx, q); err == nil {
			t.Errorf("read-only archive ran %q", q)
		}
	}
	if _, err := ro.BeginImport(ctx, ImportOptions{}); err == nil {
		t.Error("BeginImport on a read-only archive succeeded")
	}
	var title string
	if err := ro.DB().QueryRow("SELECT title FROM sites").Scan(&title); err != nil || title != "Example" {
		t.Errorf("title = %q, %v", title, err)
	}
}

func TestOpenReadOnlyRefusesEmpty(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.sqlite")
	os.WriteFile(empty, nil, 0o644)
	if _, err := OpenReadOnly(context.Background(), empty); !errors.Is(err, ErrNotArchive) {
		t.Errorf("empty file: %v, want ErrNotArchive", err)
	}
}

// oldArchive writes an archive as the first wparchive made it: only the
// first migration applied.
func oldArchive(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := schema.Migrations()[0]
	if _, err := db.Exec(m.SQL); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", schema.ApplicationID, m.Version)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO sites (site_key, title) VALUES ('example.org', 'Old')`); err != nil {
		t.Fatal(err)
	}
}

func TestOpenReadOnlyUpgradesOldArchive(t *testing.T) {
	if schema.Version() < 2 {
		t.Skip("only one schema version exists: nothing to upgrade from")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.sqlite")
	oldArchive(t, path)
	a, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("OpenReadOnly of a version-1 archive: %v", err)
	}
	defer a.Close()
	v, err := schema.Check(ctx, a.DB())
	if err != nil || v != schema.Version() {
		t.Errorf("after OpenReadOnly: version %d, %v; want %d", v, err, schema.Version())
	}
	var title string
	if err := a.DB().QueryRow("SELECT title FROM sites").Scan(&title); err != nil || title != "Old" {
		t.Errorf("title = %q, %v; want the old archive's row", title, err)
	}
	if _, err := a.DB().Exec("DELETE FROM sites"); err == nil {
		t.Error("the upgraded archive is open for writing")
	}
}

func TestOpenReadOnlyOutdatedUnwritable(t *testing.T) {
	if schema.Version() < 2 {
		t.Skip("only one schema version exists: nothing to upgrade from")
	}
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only files: cannot make an unwritable archive")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "old.sqlite")
	oldArchive(t, path)
	os.Chmod(path, 0o444)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if _, err := OpenReadOnly(ctx, path); !errors.Is(err, schema.ErrOutdated) {
		t.Errorf("unwritable outdated archive: %v, want schema.ErrOutdated", err)
	}
}

// TestUpgradePreparesDerived: an archive of schema 4 (before excerpts were
// prepared for search and blog names decoded) searches and reads like a
// new one right after a read-only open upgraded it, with no import.
func TestUpgradePreparesDerived(t *testing.T) {
	if schema.Version() < 5 {
		t.Skip("no migration after schema 4 yet")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v4.sqlite")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range schema.Migrations() {
		if m.Version > 4 {
			break
		}
		if _, err := db.Exec(m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := db.Exec(fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", schema.ApplicationID, m.Version)); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO sites (id, site_key) VALUES (1, 'old.example.org')`,
		`INSERT INTO posts (id, site_id, wp_key, post_type, status, title, search_title, text, excerpt) VALUES (1, 1, '1', 'post', 'publish', 'Old', 'Old', 'text', '旧文谈侵略。')`,
		`INSERT INTO comments (post_id, wp_key, kind, status, author, text) VALUES (1, '1', 'trackback', 'approved', 'Q&amp;A &#8211; weekly', 'a ping')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	a, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	hits, err := a.Search(ctx, SearchOptions{Query: "侵略"})
	if err != nil || len(hits) != 1 || hits[0].Title != "Old" {
		t.Errorf("search 侵略 in the upgraded archive's excerpt: %+v, %v", hits, err)
	}
	var name string
	if err := a.DB().QueryRow(`SELECT blog_name FROM pings`).Scan(&name); err != nil || name != "Q&A – weekly" {
		t.Errorf("pings.blog_name = %q, %v; want the decoded name", name, err)
	}
}

// ReadConn gives a connection with a small page cache for a long read,
// and gives it back to the pool with the pool's cache size.
func TestReadConn(t *testing.T) {
	a := openTemp(t)
	ctx := context.Background()
	db := a.DB()
	db.SetMaxOpenConns(1) // the connection given back is the one read next
	cacheSize := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) int {
		t.Helper()
		var n int
		if err := q.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	pool := cacheSize(db)
	if pool != -65536 {
		t.Fatalf("the pool's cache size is %d, want -65536 (64 MiB)", pool)
	}
	c, release, err := a.ReadConn(ctx, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if got := cacheSize(c); got != -1024 {
		t.Errorf("ReadConn(1024): cache size %d, want -1024", got)
	}
	release()
	if got := cacheSize(db); got != pool {
		t.Errorf("after release: the pool's connection has cache size %d, want %d", got, pool)
	}
}

// A read-only archive leaves no -wal or -shm file beside the archive once
// it is closed, unless another connection still has the archive open, which
// goes on working.
func TestReadOnlyCloseTidiesWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.wparchive")
	rw, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	leftovers := func() []string {
		t.Helper()
		var have []string
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(path + suffix); err == nil {
				have = append(have, suffix)
			}
		}
		return have
	}
	readOnce := func() {
		t.Helper()
		ro, err := OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := ro.DB().QueryRow(`SELECT count(*) FROM posts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := ro.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// With the read-write archive open (holding a connection), the files
	// are the shared state of both and stay.
	if _, err := rw.DB().Exec(`INSERT INTO sites (site_key) VALUES ('example.org')`); err != nil {
		t.Fatal(err)
	}
	readOnce()
	if got := leftovers(); len(got) != 2 {
		t.Fatalf("with another connection open, the read-only close left %v, want -wal and -shm", got)
	}
	var sites int
	if err := rw.DB().QueryRow(`SELECT count(*) FROM sites`).Scan(&sites); err != nil || sites != 1 {
		t.Fatalf("the read-write archive after the read-only one closed: %d sites, %v", sites, err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	if got := leftovers(); len(got) != 0 {
		t.Fatalf("after the read-write archive closed: %v left", got)
	}
	// Alone, the read-only archive makes them and takes them away again.
	readOnce()
	if got := leftovers(); len(got) != 0 {
		t.Errorf("a read-only archive opened and closed alone left %v", got)
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.DB().QueryRow(`SELECT count(*) FROM sites`).Scan(&sites); err != nil || sites != 1 {
		t.Errorf("the archive after tidying: %d sites, %v", sites, err)
	}
}
