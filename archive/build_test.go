package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildFiles lists the temporary files of builds of path.
func buildFiles(t *testing.T, path string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+buildInfix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCreatePublish: an archive that Create builds is invisible at its
// path until Publish, which leaves it there in WAL mode and a open on it.
func TestCreatePublish(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a?#%.sqlite")
	a, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.Building() {
		t.Fatal("Building() = false after Create")
	}
	if _, err := a.DB().ExecContext(ctx, `INSERT INTO _settings (key, value) VALUES ('test', 'kept')`); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the archive is at its path before Publish (%v)", err)
	}
	if n := len(buildFiles(t, path)); n != 1 {
		t.Fatalf("%d temporary files during the build, want 1", n)
	}
	if err := a.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	if a.Building() {
		t.Error("Building() = true after Publish")
	}
	if b := buildFiles(t, path); len(b) > 0 {
		t.Errorf("temporary files left: %v", b)
	}
	var v, mode string
	if err := a.DB().QueryRowContext(ctx, `SELECT value FROM _settings WHERE key = 'test'`).Scan(&v); err != nil || v != "kept" {
		t.Errorf("after Publish: %q, %v", v, err)
	}
	if err := a.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ro.Close()
}

// TestCreateClose: Close without Publish removes the build.
func TestCreateClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.sqlite")
	a, err := Create(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists (%v)", path, err)
	}
	if b := buildFiles(t, path); len(b) > 0 {
		t.Errorf("temporary files left: %v", b)
	}
}

// TestSyncAhead: a sync started ahead leaves Publish's result as it was;
// one that failed fails Publish, which removes the build, because a second
// sync of the file would not report the error again.
func TestSyncAhead(t *testing.T) {
	ctx := context.Background()
	for _, fails := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "a.sqlite")
		a, err := Create(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB().ExecContext(ctx, `INSERT INTO _settings (key, value) VALUES ('test', 'kept')`); err != nil {
			t.Fatal(err)
		}
		b := a.build
		f := b.f
		if fails {
			// A file Sync fails on.
			closed, err := os.Open(os.DevNull)
			if err != nil {
				t.Fatal(err)
			}
			closed.Close()
			b.f = closed
		}
		a.SyncAhead()
		a.SyncAhead() // a second call starts nothing
		b.wait()
		b.f = f
		err = a.Publish(ctx)
		if !fails {
			if err != nil {
				t.Fatal(err)
			}
			var v string
			if err := a.DB().QueryRowContext(ctx, `SELECT value FROM _settings WHERE key = 'test'`).Scan(&v); err != nil || v != "kept" {
				t.Errorf("after Publish: %q, %v", v, err)
			}
			a.Close()
			continue
		}
		if err == nil || !errors.Is(err, os.ErrClosed) {
			t.Errorf("Publish after a failed sync: %v, want the sync's error", err)
		}
		if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after a failed sync (%v)", path, err)
		}
		if left := buildFiles(t, path); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	}
}

// TestCreateForeignKeys: the archive Create builds takes its first import
// without foreign keys, and refuses a second one, which could delete rows
// whose children only a cascade would remove; once published, the archive
// checks them again and takes it.
func TestCreateForeignKeys(t *testing.T) {
	ctx := context.Background()
	a, err := Create(ctx, filepath.Join(t.TempDir(), "a.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	importFixture(t, a, baseFixture())
	if _, err := a.BeginImport(ctx, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "foreign keys are off") {
		t.Fatalf("a second import while building: %v, want a refusal", err)
	}
	if err := a.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	var fk bool
	if err := a.DB().QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || !fk {
		t.Fatalf("foreign keys after Publish: %v, %v", fk, err)
	}
	importFixture(t, a, baseFixture())
}

// TestCreateExisting: Create refuses a path that exists, and Publish
// leaves alone a file that appeared at the path during the build.
func TestCreateExisting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(ctx, path); !errors.Is(err, ErrExists) {
		t.Fatalf("Create on an existing file: %v, want ErrExists", err)
	}
	os.Remove(path)

	a, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := os.WriteFile(path, []byte("someone else's"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(ctx); !errors.Is(err, ErrExists) {
		t.Fatalf("Publish over a new file: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "someone else's" {
		t.Errorf("Publish replaced the file that appeared: %q", b)
	}
	if b := buildFiles(t, path); len(b) > 0 {
		t.Errorf("temporary files left: %v", b)
	}
}

// TestCreateRemovesStaleBuilds: Create removes the builds of its path that
// no process holds (a killed import's) and keeps one that is running.
func TestCreateRemovesStaleBuilds(t *testing.T) {
	if !canTellStale {
		t.Skip("this system has no flock: stale builds are kept")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.sqlite")
	stale := filepath.Join(dir, ".a.sqlite"+buildInfix+"0123456789abcdef")
	for _, p := range []string{stale, stale + "-journal", filepath.Join(dir, ".other.sqlite"+buildInfix+"0123456789abcdef")} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	running, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	live := buildFiles(t, path)
	if len(live) != 1 || live[0] == stale {
		t.Fatalf("builds after the first Create: %v, want only its own", live)
	}
	if _, err := os.Stat(filepath.Join(dir, ".other.sqlite"+buildInfix+"0123456789abcdef")); err != nil {
		t.Errorf("another archive's build was removed: %v", err)
	}
	second, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if _, err := os.Stat(live[0]); err != nil {
		t.Errorf("a running build was removed: %v", err)
	}
	if n := len(buildFiles(t, path)); n != 2 {
		t.Errorf("%d builds, want 2 (both running)", n)
	}
}

// TestCreateKnowsNoItems: KnownItems of a build finds nothing and does
// not wait for the import, whose connection holds the file locked once
// its pages no longer fit in its cache (there is no journal to keep them
// from other connections).
func TestCreateKnowsNoItems(t *testing.T) {
	ctx := context.Background()
	a, err := Create(ctx, filepath.Join(t.TempDir(), "a.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	if err := w.SetCacheSize(ctx, 256); err != nil {
		t.Fatal(err)
	}
	if err := w.SetSite(ctx, &Site{Key: "example.org"}); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("lorem ipsum ", 10000)
	for i := range 100 {
		if _, err := w.AddPost(ctx, &Post{WPID: strconv.Itoa(i + 1), PostType: "post", Content: big}); err != nil {
			t.Fatal(err)
		}
	}
	got := make(chan error, 1)
	go func() {
		k, err := a.KnownItems(ctx, "other.example.org")
		if err == nil && len(k.set) != 0 {
			err = fmt.Errorf("%d known items in a new archive", len(k.set))
		}
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("KnownItems waits for the import's lock")
	}
}

// TestPublishOverStaleWAL: an archive deleted without its -wal and -shm
// (rm blog.sqlite after an import was killed between its commit and the
// checkpoint) leaves a WAL of committed pages. Publishing a new archive
// under that name removes them first: SQLite would write the old pages
// into the new archive.
func TestPublishOverStaleWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "a.sqlite")
	old, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	old.DB().SetMaxOpenConns(1)
	for _, q := range []string{`PRAGMA wal_autocheckpoint = 0`, `CREATE TABLE old_only (x)`,
		`INSERT INTO _settings (key, value) VALUES ('test', 'old')`} {
		if _, err := old.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// What a kill at this point leaves: the WAL holds the commits.
	saved := map[string][]byte{}
	for _, suffix := range []string{"-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		saved[suffix] = b
	}
	if len(saved["-wal"]) < 4096 {
		t.Fatalf("the WAL holds %d bytes: no commit to replay", len(saved["-wal"]))
	}
	old.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	for suffix, b := range saved {
		if err := os.WriteFile(path+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	a, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.DB().ExecContext(ctx, `INSERT INTO _settings (key, value) VALUES ('test', 'new')`); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	var v, check string
	a.DB().QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'old_only'`).Scan(&n)
	a.DB().QueryRowContext(ctx, `SELECT value FROM _settings WHERE key = 'test'`).Scan(&v)
	a.DB().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check)
	if n != 0 || v != "new" || check != "ok" {
		t.Errorf("the new archive took the deleted one's WAL: old table %d, setting %q, integrity_check %q", n, v, check)
	}
}

// TestHelperHoldArchive is the child process of TestPublishRefusesSharedWAL:
// it keeps the archive $WPARCHIVE_HOLD_ARCHIVE open, says READY and waits
// to be killed.
func TestHelperHoldArchive(t *testing.T) {
	path := os.Getenv("WPARCHIVE_HOLD_ARCHIVE")
	if path == "" {
		t.Skip("child process of TestPublishRefusesSharedWAL")
	}
	a, err := Open(context.Background(), path)
	if err != nil {
		fmt.Println("ERROR", err)
		return
	}
	var n int
	if err := a.DB().QueryRow(`SELECT count(*) FROM posts`).Scan(&n); err != nil {
		fmt.Println("ERROR", err)
		return
	}
	fmt.Println("READY")
	time.Sleep(time.Minute)
}

// TestPublishRefusesSharedWAL: while another process still has a deleted
// archive open, its -shm and -wal beside the name are in use; a new
// archive is not published there (the two would share them) and the
// error says what to do.
func TestPublishRefusesSharedWAL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	old, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	cmd := startHelper(t, "TestHelperHoldArchive", "WPARCHIVE_HOLD_ARCHIVE="+path, time.Minute)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	a, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	err = a.Publish(ctx)
	if err == nil || errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "open in another process") {
		t.Fatalf("Publish with the deleted archive's -shm in use: %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an archive was published beside a -shm in use (%v)", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err != nil {
			t.Errorf("the other process's %s was touched: %v", suffix, err)
		}
	}
	// Nor does Open make a new archive there.
	if b, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "open in another process") {
		if err == nil {
			b.Close()
		}
		t.Errorf("Open beside a -shm in use: %v", err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open made an archive beside a -shm in use (%v)", err)
	}
}
