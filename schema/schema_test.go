package schema

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/mattn/go-sqlite3"
)

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func pragma(t *testing.T, db *sql.DB, name string) int64 {
	t.Helper()
	var v int64
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEmbeddedMigrations(t *testing.T) {
	ms := Migrations()
	if len(ms) == 0 || ms[0].Name != "0001_core.sql" {
		t.Fatalf("first migration = %+v, want 0001_core.sql", ms)
	}
	if Version() != ms[len(ms)-1].Version {
		t.Errorf("Version() = %d, last migration %d", Version(), ms[len(ms)-1].Version)
	}
}

func TestMigrateNewFile(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, filepath.Join(t.TempDir(), "a.sqlite"))
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if got := pragma(t, db, "application_id"); got != ApplicationID {
		t.Errorf("application_id = %#x, want %#x", got, ApplicationID)
	}
	if got := pragma(t, db, "user_version"); got != int64(Version()) {
		t.Errorf("user_version = %d, want %d", got, Version())
	}
	for _, table := range []string{"sites", "_imports", "posts", "comments", "commenters", "quotes", "postmeta"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name=?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: n=%d err=%v", table, n, err)
		}
	}
	// A second run finds nothing to do.
	if err := Migrate(ctx, db); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if v, err := Check(ctx, db); err != nil || v != Version() {
		t.Errorf("Check = %d, %v", v, err)
	}
}

// TestMigrateSteps runs the runner on made-up migrations: it applies only
// those newer than user_version, in order, and a failing one changes nothing.
func TestMigrateSteps(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"0002_b.sql": {Data: []byte("CREATE TABLE b (x); INSERT INTO a VALUES (2);")},
		"0001_a.sql": {Data: []byte("CREATE TABLE a (x); INSERT INTO a VALUES (1);")},
	}
	ms, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Name != "0001_a.sql" || ms[1].Name != "0002_b.sql" {
		t.Fatalf("order: %v, %v", ms[0].Name, ms[1].Name)
	}
	db := openDB(t, filepath.Join(t.TempDir(), "a.sqlite"))
	if err := migrate(ctx, db, ms[:1]); err != nil {
		t.Fatal(err)
	}
	if v := pragma(t, db, "user_version"); v != 1 {
		t.Fatalf("user_version = %d after 0001", v)
	}
	if err := migrate(ctx, db, ms); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, ms); err != nil {
		t.Fatal(err)
	}
	var rows int
	db.QueryRow("SELECT count(*) FROM a").Scan(&rows)
	if rows != 2 {
		t.Errorf("table a has %d rows, want 2 (each migration once)", rows)
	}

	// A broken third migration rolls back whole, user_version stays 2.
	fsys["0003_c.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE c (x); INSERT INTO nosuch VALUES (1);")}
	ms, err = load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	err = migrate(ctx, db, ms)
	if err == nil || !strings.Contains(err.Error(), "0003_c.sql") {
		t.Fatalf("broken migration: err = %v, want one naming 0003_c.sql", err)
	}
	if v := pragma(t, db, "user_version"); v != 2 {
		t.Errorf("user_version = %d after failed 0003, want 2", v)
	}
	var c int
	db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name='c'").Scan(&c)
	if c != 0 {
		t.Error("table c of the failed migration exists")
	}
}

func TestLoadRejectsBadNames(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"gap":       {"0001_a.sql": {}, "0003_c.sql": {}},
		"repeat":    {"0001_a.sql": {}, "0001_b.sql": {}},
		"bad name":  {"0001_a.sql": {}, "2_b.sql": {}},
		"no 0001":   {"0002_a.sql": {}},
		"dash name": {"0001-a.sql": {}},
		"no name":   {"0001_.sql": {}},
	} {
		if _, err := load(fsys); err == nil {
			t.Errorf("%s: load accepted %v", name, fsys)
		}
	}
}

func TestRefusesForeignDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	other := openDB(t, filepath.Join(dir, "other.sqlite"))
	if _, err := other.Exec("PRAGMA application_id = 1234; CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, other); !errors.Is(err, ErrNotArchive) {
		t.Errorf("other application_id: err = %v, want ErrNotArchive", err)
	}

	plain := openDB(t, filepath.Join(dir, "plain.sqlite"))
	if _, err := plain.Exec("CREATE TABLE notes (x)"); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, plain); !errors.Is(err, ErrNotArchive) {
		t.Errorf("tables without application_id: err = %v, want ErrNotArchive", err)
	}
	var n int
	plain.QueryRow("SELECT count(*) FROM sqlite_schema").Scan(&n)
	if n != 1 {
		t.Errorf("refused database was changed: %d schema objects", n)
	}
	if got := pragma(t, plain, "application_id"); got != 0 {
		t.Errorf("refused database got application_id %#x", got)
	}
}

func TestRefusesNewerArchive(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, filepath.Join(t.TempDir(), "a.sqlite"))
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	err := Migrate(ctx, db)
	if !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), "newer wparchive") {
		t.Errorf("Migrate = %v, want ErrTooNew", err)
	}
	if _, err := Check(ctx, db); !errors.Is(err, ErrTooNew) {
		t.Errorf("Check = %v, want ErrTooNew", err)
	}
}

func TestCheckOutdated(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, filepath.Join(t.TempDir(), "a.sqlite"))
	if _, err := Check(ctx, db); !errors.Is(err, ErrOutdated) {
		t.Errorf("Check on an empty file = %v, want ErrOutdated", err)
	}
}

// TestConcurrentMigrate opens the same new file from two handles at once:
// both succeed and each migration runs once.
func TestConcurrentMigrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	a, b := openDB(t, path), openDB(t, path)
	errs := make(chan error, 2)
	go func() { errs <- Migrate(ctx, a) }()
	go func() { errs <- Migrate(ctx, b) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if v := pragma(t, a, "user_version"); v != int64(Version()) {
		t.Errorf("user_version = %d", v)
	}
}

// TestMigrationRebuildsReferencedTable: a migration may rebuild a table
// that others reference (foreign keys are off while it runs), and one that
// leaves a dangling reference is rolled back.
func TestMigrationRebuildsReferencedTable(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte(`CREATE TABLE parent (id INTEGER PRIMARY KEY, x);
			CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE);
			INSERT INTO parent VALUES (1, 'a'); INSERT INTO child VALUES (1, 1);`)},
		"0002_rebuild.sql": {Data: []byte(`CREATE TABLE parent_new (id INTEGER PRIMARY KEY, x, y);
			INSERT INTO parent_new (id, x) SELECT id, x FROM parent;
			DROP TABLE parent;
			ALTER TABLE parent_new RENAME TO parent;`)},
	}
	ms, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.sqlite")
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db, ms); err != nil {
		t.Fatal(err)
	}
	var n int
	db.QueryRow("SELECT count(*) FROM child").Scan(&n)
	if n != 1 {
		t.Errorf("the rebuild cascaded into child: %d rows left", n)
	}
	if got := pragma(t, db, "foreign_keys"); got != 1 {
		t.Errorf("foreign_keys = %d after migrating, want it back on", got)
	}

	fsys["0003_dangle.sql"] = &fstest.MapFile{Data: []byte(`DELETE FROM parent;`)}
	ms, _ = load(fsys)
	if err := migrate(ctx, db, ms); err == nil || !strings.Contains(err.Error(), "foreign keys") {
		t.Errorf("dangling migration: %v", err)
	}
	if v := pragma(t, db, "user_version"); v != 2 {
		t.Errorf("user_version = %d, want 2", v)
	}
	db.QueryRow("SELECT count(*) FROM parent").Scan(&n)
	if n != 1 {
		t.Error("the failed migration's delete was kept")
	}
}
