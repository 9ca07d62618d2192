package archive

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wparchive/wparchive/schema"
)

// ErrExists is returned, wrapped, by Publish when another process made a
// file at the archive's path while the archive was being built, and by
// Create when the path is taken already.
var ErrExists = fs.ErrExist

// building is an archive that Create makes in a temporary file beside its
// path, for Publish to move into place.
type building struct {
	tmp string
	// f is the temporary file, open (and, where the system has flock,
	// locked) from Create to Publish or Close, so that Create can tell a
	// build that is still running from one a killed process left behind.
	f *os.File
	// stopWriteBack stops writeBack's goroutine.
	stopWriteBack func()
	// synced is closed when the sync SyncAhead started has ended, with
	// its error in syncErr; nil if none was started.
	synced  chan struct{}
	syncErr error
}

// wait waits for the sync SyncAhead started, if any, and returns its error.
func (b *building) wait() error {
	if b.synced == nil {
		return nil
	}
	<-b.synced
	return b.syncErr
}

// buildInfix names the temporary files: ".NAME.build-RANDOM" beside NAME.
const buildInfix = ".build-"

// Create makes a new archive for a first import at path, which must not
// exist (it returns ErrExists, wrapped, if it does). The archive is built
// in a hidden temporary file beside path (".NAME.build-RANDOM") with no
// rollback journal and no syncs: a first import writes each page once,
// where an import into an existing archive writes it twice (to the WAL,
// then to the file) and syncs; on the 200 MB benchmark export, 12.7 s
// took 9.7 s (BENCHMARKS.md). Publish syncs the file and moves it to path;
// Close without Publish removes it, so a failed import leaves no archive
// at all. A build that a killed process left behind is removed by the
// next Create for the same path (where the system has flock, which tells
// a dead build from a running one).
//
// Until Publish, nothing else can read the archive: it is not at path
// yet. The Archive reads and writes as one that Open returned, except that
// KnownItems finds nothing (the file is new).
func Create(ctx context.Context, path string) (*Archive, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("create archive %s: %w", path, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("create archive %s: %w", path, err)
	}
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStaleBuilds(dir, name)
	var (
		f   *os.File
		tmp string
		err error
	)
	for range 10 {
		var r [8]byte
		rand.Read(r[:])
		tmp = filepath.Join(dir, "."+name+buildInfix+hex.EncodeToString(r[:]))
		// 0644 like the files SQLite creates (the umask applies).
		if f, err = os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create archive %s: %w", path, err)
	}
	b := &building{tmp: tmp, f: f}
	if err := lockBuild(f); err != nil {
		b.remove()
		return nil, fmt.Errorf("create archive %s: %w", path, err)
	}
	// journal_mode=OFF: no rollback journal, so no undo either; an import
	// that fails is undone by removing the file (Close). _foreign_keys=off:
	// what is written here is the first import into an empty archive,
	// whose every reference is to a row the same import wrote, by an id the
	// Writer gave it, and which updates and deletes nothing (no cascade to
	// run); SQLite's check of each reference as it is written (a look-up
	// of the parent row for every comment, meta row, term link and quote)
	// was 0.4-0.5 s of the 200 MB export's 10.5 s of CPU. BeginImport
	// refuses any other import on such a connection, and
	// TestImportPublicCorpus runs PRAGMA foreign_key_check on every
	// archive the corpus makes. The archive Publish opens checks them
	// again. _mutex=no: SQLite
	// does not lock each connection's mutex around every call, which
	// database/sql makes needless (one goroutine uses a connection at a
	// time).
	dsn := fmt.Sprintf("file:%s?_foreign_keys=off&_journal_mode=OFF&_synchronous=OFF&_mutex=no&_busy_timeout=%d&_txlock=immediate&_cache_size=-65536",
		uriPath(tmp), busyTimeoutMS)
	db, err := sql.Open("sqlite3", dsn)
	if err == nil {
		if err = schema.Migrate(ctx, db); err != nil {
			db.Close()
		}
	}
	if err != nil {
		b.remove()
		return nil, fmt.Errorf("create archive %s: %w", path, err)
	}
	b.stopWriteBack = writeBack(f)
	return &Archive{db: db, path: path, build: b}, nil
}

// Building reports whether a is a new archive that Create is building and
// Publish has not moved into place.
func (a *Archive) Building() bool { return a.build != nil }

// SyncAhead starts syncing what has been written to a new archive that
// Create is building, on a goroutine, so that the disk writes it while the
// import's last steps (copying the full-text index in, linking) run, and
// Publish's sync has only those steps' pages left. Publish waits for it
// and fails with its error, which a second sync of the same file would
// not report again. It is a no-op for an archive that Open returned, and
// after the first call.
//
// Started after the deferred indexes are built, on this machine's virtual
// disk (wparchive import -q --timings on the 200 MB export, builds of
// 8a079b3 and its parent, alternated): publish 0.03-0.36 s (median 0.17)
// -> 0.07-0.09 s (median 0.08), finishing indexes median 0.75 -> 0.77 s
// (the copy shares the disk with the sync), the three together median
// 0.97 -> 0.88 s over 6 runs each. An earlier set of 5 gave publish 0.19
// -> 0.09 s but finishing indexes 0.72 -> 0.84 s: the gain is small and
// mostly in how steady the sync is.
func (a *Archive) SyncAhead() {
	b := a.build
	if b == nil || b.synced != nil {
		return
	}
	b.synced = make(chan struct{})
	go func() {
		defer close(b.synced)
		b.syncErr = b.f.Sync()
	}()
}

// Publish moves an archive that Create built to its path, as one that Open
// would have made (WAL journaling), and leaves a open on it there. The
// file is synced before it is moved and the folder after. If a file
// appeared at the path meanwhile, it is left alone, the build is removed
// and Publish returns ErrExists (wrapped); a is then closed. It is a no-op
// for an archive that Open returned.
func (a *Archive) Publish(ctx context.Context) error {
	b := a.build
	if b == nil {
		return nil
	}
	fail := func(err error) error {
		a.build = nil
		b.remove()
		return fmt.Errorf("publish archive %s: %w", a.path, err)
	}
	if b.stopWriteBack != nil {
		b.stopWriteBack()
	}
	if err := b.wait(); err != nil {
		a.db.Close()
		return fail(err)
	}
	if err := a.db.Close(); err != nil {
		return fail(err)
	}
	// Opening it as Open does switches it to WAL (and checks it).
	wal, err := Open(ctx, b.tmp)
	if err != nil {
		return fail(err)
	}
	if err := wal.Close(); err != nil {
		return fail(err)
	}
	if err := b.f.Sync(); err != nil {
		return fail(err)
	}
	if err := clearStale(a.path); err != nil {
		return fail(err)
	}
	if err := placeNew(b.tmp, a.path); err != nil {
		return fail(err)
	}
	a.build = nil
	b.f.Close()
	syncDir(filepath.Dir(a.path))
	na, err := Open(ctx, a.path)
	if err != nil {
		return fmt.Errorf("publish archive %s: %w", a.path, err)
	}
	a.db = na.db
	return nil
}

// remove removes the temporary file and any file SQLite made beside it,
// then closes (and so unlocks) it.
func (b *building) remove() {
	if b.stopWriteBack != nil {
		b.stopWriteBack()
	}
	b.wait()
	// The file itself last: a build is found by its name, so what SQLite
	// made beside it must not outlive it if this is cut short.
	for _, suffix := range []string{"-journal", "-wal", "-shm", ""} {
		os.Remove(b.tmp + suffix)
	}
	b.f.Close()
}

// clearStale removes the -wal, -shm and -journal files beside path when
// there is no file at path: an archive deleted without them (rm
// blog.sqlite after an import was killed) leaves a WAL whose pages SQLite
// would write into the next database given that name, the new archive,
// which then holds the old one's pages and is malformed. A -shm that a
// process still has open (for the deleted archive's inode) is not touched
// and clearStale fails: a new archive there would share it. Not
// ErrExists, on which an import opens the path instead.
func clearStale(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return nil // placeNew refuses an existing path
	}
	if f, err := os.OpenFile(path+"-shm", os.O_RDWR, 0); err == nil {
		defer f.Close() // and with it the lock shmInUse took
		if shmInUse(f) {
			return fmt.Errorf("%s is open in another process, for an archive that was deleted: end that process, or remove %s-wal and %s-shm, and try again",
				path+"-shm", path, path)
		}
	}
	for _, suffix := range []string{"-wal", "-journal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s, left by an archive that was deleted: %w", path+suffix, err)
		}
	}
	return nil
}

// placeNew gives the file tmp the name path unless path exists: a hard
// link fails rather than replace a file, then tmp's name is removed.
// Where the file system has no hard links, it renames tmp after checking
// that path is free (another process could take it in between).
func placeNew(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil {
		return os.Remove(tmp)
	}
	if errors.Is(err, fs.ErrExist) {
		return ErrExists
	}
	if _, serr := os.Lstat(path); serr == nil {
		return ErrExists
	}
	return os.Rename(tmp, path)
}

// syncDir syncs a folder, so that a name just made in it survives a crash.
// Not every system can; an error is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeStaleBuilds removes the builds of name in dir that no process
// holds: what a killed import left behind.
func removeStaleBuilds(dir, name string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + name + buildInfix
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, prefix) || strings.ContainsRune(n[len(prefix):], '-') {
			continue
		}
		p := filepath.Join(dir, n)
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if lockBuild(f) == nil && canTellStale {
			(&building{tmp: p, f: f}).remove()
			continue
		}
		f.Close()
	}
}
