// Package schema holds the archive's SQL schema as numbered migrations
// (NNNN_name.sql, embedded in the binary) and applies them.
//
// A migration runs in one transaction together with the PRAGMA user_version
// bump that records it, so an archive is always at exactly one version. The
// file identifies itself with PRAGMA application_id = ApplicationID.
//
// Writing a migration: number it one past the last (0001, 0002, … without
// gaps); put only statements that may run inside a transaction (no BEGIN,
// COMMIT, VACUUM or PRAGMA journal_mode); foreign keys are off while it runs
// and checked before it commits, so a table may be rebuilt the way SQLite's
// ALTER TABLE documentation describes. Released migrations are never
// edited: archives that applied them would not see the change.
package schema

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
)

//go:embed *.sql
var files embed.FS

// ApplicationID is the PRAGMA application_id of a wparchive archive: "WPAR"
// in ASCII. `file` and other tools show it; a database with another non-zero
// value belongs to some other program.
const ApplicationID = 0x57504152

var (
	// ErrNotArchive is returned for a SQLite database that is not a
	// wparchive archive (another application_id, or tables of its own).
	ErrNotArchive = errors.New("schema: not a wparchive archive")
	// ErrTooNew is returned for an archive whose schema is newer than this
	// binary knows: it was made by a newer wparchive.
	ErrTooNew = errors.New("schema: archive made by a newer wparchive")
	// ErrOutdated is returned by Check for an archive whose schema is older
	// than this binary's: it needs Migrate, which a read-only open cannot do.
	ErrOutdated = errors.New("schema: archive needs upgrading")
)

// Migration is one numbered SQL file.
type Migration struct {
	Version int    // NNNN of the file name
	Name    string // file name
	SQL     string
}

var nameRE = regexp.MustCompile(`^([0-9]{4})_[^/]+\.sql$`)

// Migrations returns the embedded migrations in version order. It panics
// when two files share a number or the numbers do not run 1, 2, 3, … without
// a gap, a mistake of the build that tests catch.
func Migrations() []Migration {
	ms, err := load(files)
	if err != nil {
		panic(err)
	}
	return ms
}

func load(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		m := nameRE.FindStringSubmatch(n)
		if m == nil {
			return nil, fmt.Errorf("schema: migration file %q is not named NNNN_name.sql", n)
		}
		v, _ := strconv.Atoi(m[1])
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: n, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("schema: migration %s: expected number %04d (numbers run from 0001 without gaps or repeats)", m.Name, i+1)
		}
	}
	return ms, nil
}

// Version returns the highest migration number: the schema version this
// binary writes.
func Version() int {
	ms := Migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// Check reads the archive's application_id and user_version and reports
// whether this binary can use it as it is, without writing anything. It
// returns the archive's version, and ErrNotArchive, ErrTooNew or
// ErrOutdated (wrapped with the versions) when it cannot.
func Check(ctx context.Context, db *sql.DB) (int, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	st, err := readState(ctx, conn)
	if err != nil {
		return 0, err
	}
	if err := st.usable(Version()); err != nil {
		return st.version, err
	}
	if st.version < Version() {
		return st.version, fmt.Errorf("%w: its schema is version %d, this wparchive needs %d; run wparchive import (or any command that writes) on it once to upgrade", ErrOutdated, st.version, Version())
	}
	return st.version, nil
}

type state struct {
	appID   int64
	version int
	objects int // tables, indexes, views, triggers
}

func readState(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (state, error) {
	var st state
	// One statement, so one read transaction: read one at a time, the
	// three could straddle another process's first migration (the
	// application_id from before its commit, the tables from after), and
	// the file looked like another program's (TestConcurrentMigrate
	// failed 3 times in 600 runs; 0 in 900 since). The first read of a
	// file that is not SQLite fails here with "file is not a database".
	if err := q.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)`).Scan(&st.appID, &st.version, &st.objects); err != nil {
		return st, fmt.Errorf("read application_id, user_version and schema: %w", err)
	}
	return st, nil
}

// usable reports whether the file is ours (or empty) and not too new.
func (st state) usable(known int) error {
	switch {
	case st.appID == ApplicationID:
	case st.appID != 0:
		return fmt.Errorf("%w: its application_id is 0x%08x, not 0x%08x", ErrNotArchive, uint32(st.appID), ApplicationID)
	case st.objects > 0 || st.version != 0:
		// application_id 0: a fresh file has no tables; one with tables
		// (or a user_version) was made by something else.
		return fmt.Errorf("%w: it is a SQLite database with %d schema objects of another program", ErrNotArchive, st.objects)
	}
	if st.version > known {
		return fmt.Errorf("%w: its schema is version %d, this wparchive knows up to %d; use a newer wparchive", ErrTooNew, st.version, known)
	}
	return nil
}

// Migrate brings the database to Version(): it applies, in order, every
// embedded migration newer than PRAGMA user_version, each in its own
// BEGIN IMMEDIATE transaction that also sets user_version (and, on a new
// file, application_id). Two processes migrating the same file at once are
// safe: the second waits for the first's lock (the connection's busy
// timeout) and then finds the work done. It returns ErrNotArchive or
// ErrTooNew, wrapped, for a database it must not touch.
func Migrate(ctx context.Context, db *sql.DB) error {
	return migrate(ctx, db, Migrations())
}

func migrate(ctx context.Context, db *sql.DB, ms []Migration) error {
	// One connection for the whole run: BEGIN and COMMIT are issued by
	// hand so the transaction is IMMEDIATE whatever the DSN says.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	st, err := readState(ctx, conn)
	if err != nil {
		return err
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].Version
	}
	if err := st.usable(known); err != nil {
		return err
	}
	if st.version >= known {
		return nil
	}
	// Foreign keys off while migrating, as SQLite's procedure for schema
	// changes asks (a migration may rebuild a table that others
	// reference); apply checks them before each commit instead. The
	// pragma is a no-op inside a transaction, so it is set here.
	var fk int
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return err
	}
	if fk == 1 {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	}
	for _, m := range ms {
		if m.Version <= st.version {
			continue
		}
		if err := apply(ctx, conn, m, known); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, conn *sql.Conn, m Migration, known int) (err error) {
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("migration %s: begin: %w", m.Name, err)
	}
	defer func() {
		if err != nil {
			// Use a fresh context: the caller's may be what was cancelled.
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	// Read the state again under the write lock: another process may have
	// migrated (or claimed) the file since we looked.
	st, err := readState(ctx, conn)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if err := st.usable(known); err != nil {
		return err
	}
	if st.version >= m.Version {
		_, err = conn.ExecContext(ctx, "COMMIT")
		return err
	}
	if st.version != m.Version-1 {
		return fmt.Errorf("migration %s: archive is at version %d, expected %d", m.Name, st.version, m.Version-1)
	}
	if st.appID == 0 {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID)); err != nil {
			return fmt.Errorf("migration %s: set application_id: %w", m.Name, err)
		}
	}
	if _, err := conn.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		return fmt.Errorf("migration %s: set user_version: %w", m.Name, err)
	}
	var broken int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&broken); err != nil {
		return fmt.Errorf("migration %s: foreign key check: %w", m.Name, err)
	}
	if broken > 0 {
		return fmt.Errorf("migration %s: leaves %d rows whose foreign keys point nowhere", m.Name, broken)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.Name, err)
	}
	return nil
}
