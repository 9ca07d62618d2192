package archive

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// The Writer's per-item statements (AddPost's, AddTerm's) run on the
// import connection's go-sqlite3 connection itself, not through
// database/sql: database/sql converts and checks every argument of every
// statement ([]any to []driver.NamedValue), locks the connection and the
// statement per call, and go-sqlite3's Exec binds each value with a cgo
// call of its own and a copy (SQLITE_TRANSIENT). Its Query instead resets,
// binds every value from one buffer and steps in a single cgo call
// (sqlite3.SQLiteStmt.QueryContext with positional arguments), so the
// statements here are all run as queries, an INSERT's rows closed at once.
//
// They run inside (*sql.Conn).Raw (onConn), which holds the connection
// as database/sql's own statements do, so that the rollback database/sql
// makes when BeginImport's context is cancelled waits for the statement
// in flight; onConn then refuses to run anything on a connection whose
// transaction is gone, where an INSERT would commit on its own. Inside
// onConn nothing may use the Writer's *sql.Tx: Raw holds the lock every
// one of its statements takes.

// errNoTransaction is returned when the import's transaction ended under
// the Writer (database/sql rolled it back when BeginImport's context was
// cancelled).
var errNoTransaction = errors.New("archive: the import's transaction was rolled back")

// onConn runs f with w.dc set to the import's driver connection.
func (w *Writer) onConn(f func() error) error {
	return w.conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("archive: driver connection is %T, not go-sqlite3's", dc)
		}
		if c.AutoCommit() {
			return errNoTransaction
		}
		w.dc = c
		defer func() { w.dc = nil }()
		return f()
	})
}

// prep returns the statement *dst, preparing q on the driver connection
// the first time. It is called inside onConn.
func (w *Writer) prep(dst **sqlite3.SQLiteStmt, q string) (*sqlite3.SQLiteStmt, error) {
	if *dst != nil {
		return *dst, nil
	}
	st, err := w.dc.PrepareContext(context.Background(), q)
	if err != nil {
		return nil, fmt.Errorf("prepare %.40s…: %w", strings.Join(strings.Fields(q), " "), err)
	}
	s, ok := st.(*sqlite3.SQLiteStmt)
	if !ok {
		st.Close()
		return nil, fmt.Errorf("archive: driver statement is %T, not go-sqlite3's", st)
	}
	*dst = s
	w.dstmts = append(w.dstmts, s)
	return s, nil
}

// closeStmts finalizes the driver statements before the connection goes
// back to the pool (it stays open, and SQLite keeps every unfinalized
// statement of it). When database/sql has closed the connection already
// (it does after the rollback it makes on a cancelled context), there is
// nothing to run them on: go-sqlite3 then cannot finalize them, and SQLite
// keeps the closed connection's memory until the process ends.
func (w *Writer) closeStmts() {
	if len(w.dstmts) == 0 {
		return
	}
	w.conn.Raw(func(any) error {
		for _, st := range w.dstmts {
			st.Close()
		}
		return nil
	})
	w.dstmts = nil
}

// execStmt runs st, a statement without result rows, with args.
func execStmt(st *sqlite3.SQLiteStmt, args []driver.NamedValue) error {
	rows, err := st.QueryContext(context.Background(), args)
	if err != nil {
		return err
	}
	return rows.Close()
}

// queryRow runs st with args and reads its first row into dest. It
// reports false, and leaves dest alone, when there is no row.
func queryRow(st *sqlite3.SQLiteStmt, args []driver.NamedValue, dest []driver.Value) (bool, error) {
	rows, err := st.QueryContext(context.Background(), args)
	if err != nil {
		return false, err
	}
	err = rows.Next(dest)
	cerr := rows.Close()
	if errors.Is(err, io.EOF) {
		return false, cerr
	}
	if err != nil {
		return false, err
	}
	return true, cerr
}

// queryInt is queryRow of a statement returning one integer column.
func queryInt(st *sqlite3.SQLiteStmt, args []driver.NamedValue) (int64, bool, error) {
	var dest [1]driver.Value
	found, err := queryRow(st, args, dest[:])
	if err != nil || !found {
		return 0, false, err
	}
	n, ok := dest[0].(int64)
	if !ok {
		return 0, false, fmt.Errorf("archive: %T where an integer was expected", dest[0])
	}
	return n, true, nil
}

// vals are statement arguments as the driver takes them: positional,
// numbered from 1, of the types driver.Value allows (database/sql's
// conversions, such as int to int64, are not made for them).
type vals []driver.NamedValue

func (v *vals) add(x driver.Value) {
	*v = append(*v, driver.NamedValue{Ordinal: len(*v) + 1, Value: x})
}

// str adds s as text.
func (v *vals) str(s string) { v.add(s) }

// text adds s, or NULL for "" (see null).
func (v *vals) text(s string) {
	if s == "" {
		v.add(nil)
		return
	}
	v.add(s)
}

// num adds n.
func (v *vals) num(n int) { v.add(int64(n)) }

// i64 adds n.
func (v *vals) i64(n int64) { v.add(n) }

// null adds NULL.
func (v *vals) null() { v.add(nil) }

// flag adds b (1 or 0).
func (v *vals) flag(b bool) { v.add(b) }

// value adds x, one of the values parseInt, ordOrNull, extraJSON and
// the Writer's id lookups return: nil, int64, int or string.
func (v *vals) value(x any) {
	if n, ok := x.(int); ok {
		x = int64(n)
	}
	v.add(x)
}
