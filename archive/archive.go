package archive

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
	"github.com/wparchive/wparchive/schema"
)

// Errors Open and OpenReadOnly may return, wrapped with the path. The
// schema package's errors (schema.ErrNotArchive, schema.ErrTooNew,
// schema.ErrOutdated) are returned as they are; ErrNotArchive and ErrTooNew
// here are the same values, so errors.Is works with either name.
var (
	// ErrNotSQLite is returned for a file that is not a SQLite database.
	ErrNotSQLite = errors.New("archive: not a SQLite database")
	// ErrNotFound is returned by OpenReadOnly for a missing file.
	ErrNotFound = errors.New("archive: no such archive")
	// ErrNotArchive is returned for a SQLite database of another program.
	ErrNotArchive = schema.ErrNotArchive
	// ErrTooNew is returned for an archive made by a newer wparchive.
	ErrTooNew = schema.ErrTooNew
)

// busyTimeout is how long a statement waits for another connection's lock
// before SQLite gives up with "database is locked". In WAL mode readers
// never wait; only a second writer does, and BeginImport waits for the
// write lock on its own, as long as its context allows (see BeginImport).
// This covers the rest: a migration racing another process, a checkpoint.
const busyTimeoutMS = 10 * 60 * 1000

// Archive is an open archive file. It is safe for concurrent use; writes go
// through a Writer, one at a time per file.
type Archive struct {
	db       *sql.DB
	path     string
	readOnly bool
	build    *building // set by Create until Publish
}

// uriPath escapes a file name for a SQLite URI ("file:" DSN): '?' and '#'
// would end the path and '%' would start an escape.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// checkHeader returns ErrNotSQLite for a non-empty file that does not start
// with SQLite's magic string. A missing or empty file passes: SQLite makes
// a new database of it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%w: it is a directory", ErrNotSQLite)
	}
	var head [16]byte
	n, err := io.ReadFull(f, head[:])
	if n == 0 && (err == io.EOF || err == nil) {
		return nil
	}
	if !bytes.Equal(head[:n], []byte("SQLite format 3\x00")[:n]) || n < len(head) {
		return ErrNotSQLite
	}
	return nil
}

// Open opens the archive at path for reading and writing, creating it if
// it does not exist, and migrates it to the schema this binary knows. The
// connection has foreign keys on, WAL journaling, synchronous=NORMAL and
// write transactions that start IMMEDIATE. It returns ErrNotSQLite,
// ErrNotArchive or ErrTooNew (wrapped) for a file it must not touch.
func Open(ctx context.Context, path string) (*Archive, error) {
	if err := checkHeader(path); err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	// A new archive: not with what a deleted one left beside its name.
	if err := clearStale(path); err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	dsn := fmt.Sprintf("file:%s?_foreign_keys=on&_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=%d&_txlock=immediate&_cache_size=-65536",
		uriPath(path), busyTimeoutMS)
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	if err := schema.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	if err := prepareAfterUpgrade(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	return &Archive{db: db, path: path}, nil
}

// prepareAfterUpgrade fills, once, the derived columns a migration added
// (it leaves the mark prepare_all_derived), so that an upgraded archive
// searches and reads like a new one before its next import.
func prepareAfterUpgrade(ctx context.Context, db *sql.DB) error {
	var pending bool
	if err := db.QueryRowContext(ctx, `SELECT count(*) > 0 FROM _settings WHERE key = 'prepare_all_derived'`).Scan(&pending); err != nil || !pending {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := prepareDerived(ctx, tx, false); err != nil {
		return err
	}
	return tx.Commit()
}

// OpenReadOnly opens an existing archive so that nothing can change it:
// SQLite opens the file read-only and every connection is query_only. It
// returns ErrNotFound for a missing file, ErrNotSQLite for another kind of
// file, ErrNotArchive for another program's database, ErrTooNew for an
// archive of a newer wparchive, all wrapped with the path. An archive that an
// older wparchive wrote is first upgraded by Open (the migrations only add
// tables, views and derived columns; nothing the user stored changes), so a
// new wparchive reads an old archive without an import first; when the file
// cannot be written it returns schema.ErrOutdated. Its Close removes the
// -wal and -shm files the connections opened, where it can (tidyWAL).
func OpenReadOnly(ctx context.Context, path string) (*Archive, error) {
	a, err := openReadOnly(ctx, path)
	if !errors.Is(err, schema.ErrOutdated) {
		return a, err
	}
	rw, werr := Open(ctx, path)
	if werr == nil {
		if werr = rw.Close(); werr == nil {
			return openReadOnly(ctx, path)
		}
	}
	return nil, fmt.Errorf("%w (upgrading it failed: %v)", err, werr)
}

func openReadOnly(ctx context.Context, path string) (*Archive, error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open archive %s: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("open archive %s: %w: the file is empty", path, ErrNotArchive)
	}
	if err := checkHeader(path); err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	dsn := fmt.Sprintf("file:%s?mode=ro&_query_only=1&_foreign_keys=on&_busy_timeout=%d&_cache_size=-65536",
		uriPath(path), busyTimeoutMS)
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	if _, err := schema.Check(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	return &Archive{db: db, path: path, readOnly: true}, nil
}

// DB returns the underlying database handle, for queries by other parts of
// the archive package and by tests.
func (a *Archive) DB() *sql.DB { return a.db }

// Path returns the file name the archive was opened with.
func (a *Archive) Path() string { return a.path }

// ReadOnly reports whether the archive was opened with OpenReadOnly.
func (a *Archive) ReadOnly() bool { return a.readOnly }

// Close closes the database. A Writer still open is rolled back by SQLite.
// An archive that Create built and Publish did not move into place is
// removed.
func (a *Archive) Close() error {
	err := a.db.Close()
	if b := a.build; b != nil {
		a.build = nil
		b.remove()
	}
	if a.readOnly && err == nil {
		tidyWAL(a.path)
	}
	if err != nil {
		return fmt.Errorf("close archive %s: %w", a.path, err)
	}
	return nil
}

// tidyWAL removes the -wal and -shm files a read-only archive leaves
// beside the archive's file. A read-only connection opens (and makes) them,
// as every reader of a WAL database does, but may not remove them when it
// closes; the last read-write connection to close does, so tidyWAL opens
// one and closes it. SQLite removes them only when no other connection has
// the archive open (an import, a Datasette), and only after writing back
// what a WAL holds into the archive, as any read-write connection closing
// would. It does nothing where the files cannot be written.
func tidyWAL(path string) {
	if _, err := os.Stat(path + "-wal"); err != nil {
		return
	}
	db, err := sql.Open("sqlite3", fmt.Sprintf("file:%s?mode=rw", uriPath(path)))
	if err != nil {
		return
	}
	defer db.Close()
	var v int
	db.QueryRow(`PRAGMA schema_version`).Scan(&v)
}

// ReadConn returns a connection of the archive's pool for a long read,
// with a page cache of cacheKiB instead of the pool's 64 MiB (a scan reads
// each page once, and a full cache only grows the process), and the
// function that restores the cache size and gives the connection back.
func (a *Archive) ReadConn(ctx context.Context, cacheKiB int) (*sql.Conn, func(), error) {
	c, err := a.db.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("open archive connection: %w", err)
	}
	var old int64
	if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&old); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("read cache size: %w", err)
	}
	if _, err := c.ExecContext(ctx, `PRAGMA cache_size = `+strconv.Itoa(-cacheKiB)); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("set cache size: %w", err)
	}
	return c, func() {
		c.ExecContext(context.Background(), `PRAGMA cache_size = `+strconv.FormatInt(old, 10))
		c.Close()
	}, nil
}
