package archive

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// sideIndex builds the full-text indexes of an import into an empty
// archive on a goroutine and a SQLite connection of its own, in a private
// temporary database, while the Writer goes on with the next items; the
// Writer then copies the finished indexes' tables into the archive
// (copyInto), inside the import's transaction.
//
// The import's one connection was what set the pace: it wrote every row
// and, every 1 MB of text, indexed the new rows (indexSearchChunk), about
// 2 s of the 200 MB export's 11 s of CPU, while the other core waited for
// it. Here the Writer only hands over the indexed text it has in hand
// anyway (sideRow), and the tokenizing, the index's pending terms, its
// segments and the final merge ('optimize') run beside it. The index
// holds what a 'rebuild' from the tables gives, token for token, with the
// same ranks (TestSideIndexOnlyIntoEmptyArchive,
// TestSearchIndexBuildMatchesRebuild).
//
// It serves only an import into an archive without posts (w.bulk), whose
// rows are all new and none updated or deleted during the import, so the
// text handed over is the rows' final text. Should the Writer ever update
// an indexed row while one runs, it abandons the side index and indexes
// the tables itself (dropSide).
//
// The temporary database is one SQLite makes for the empty file name: a
// file in the temporary directory (SQLITE_TMPDIR, TMPDIR, /var/tmp, /tmp),
// deleted as soon as it is opened, so a killed import leaves nothing
// behind. The goroutine writes in one transaction, committed at the end
// (FTS5 writes each index's totals then), and copyInto reads it through
// the same connection. FTS5 keeps an index's structure in memory per
// connection, so the Writer's connection, which copyInto wrote the
// indexes' tables through, is closed at Commit instead of going back to
// the pool (sideCopied).
type sideIndex struct {
	conn *sqlite3.SQLiteConn
	ins  []*sqlite3.SQLiteStmt // per searchTables entry
	cols []int                 // the columns of each

	// Filled by the Writer, sent when it holds sideBatchBytes of text.
	rows  []sideRow
	bytes int

	ch   chan []sideRow
	free chan []sideRow
	sent bool          // ch closed
	done chan struct{} // closed when the goroutine has ended

	mu  sync.Mutex
	err error // the goroutine's first error
}

// sideRow is one row to index: its table (an index into searchTables),
// its rowid, and the values of the index's columns, "" for NULL (FTS5
// indexes both as no tokens).
type sideRow struct {
	table int
	id    int64
	cols  [3]string
}

// sideBatchBytes is how much indexed text the Writer gathers before it
// hands a batch over; sideQueue batches may wait for the goroutine. The
// text is kept alive meanwhile, so the queue is what the side index adds
// to the import's memory, besides its page cache (sideCacheKiB) and
// FTS5's pending terms, written out every sideFlushBytes of text (flush):
// the Writer's chunk size (ftsChunkBytes), which gives the segments its
// chunks gave; smaller flushes make more segments for the final merge.
const (
	sideBatchBytes = 128 << 10
	sideQueue      = 2
	sideCacheKiB   = 512
	sideFlushBytes = 1 << 20
)

// The searchTables entries, for sideRow.table.
const (
	sidePosts = iota
	sideComments
	sideQuotes
)

// openSideIndex makes the temporary database with the archive's
// full-text tables, as the archive's schema (read through tx) defines
// them, and starts the goroutine.
func openSideIndex(ctx context.Context, tx execer) (*sideIndex, error) {
	if searchTables[sidePosts].table != "posts" || searchTables[sideComments].table != "comments" || searchTables[sideQuotes].table != "quotes" {
		return nil, errors.New("archive: searchTables changed under the side index")
	}
	var creates []string
	for _, t := range searchTables {
		var q string
		if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`, t.table+"_fts").Scan(&q); err != nil {
			return nil, fmt.Errorf("read the definition of %s_fts: %w", t.table, err)
		}
		creates = append(creates, q)
	}
	// "file:" with an empty path: a private temporary database. No
	// journal and no syncs: it lives as long as the connection.
	dc, err := (&sqlite3.SQLiteDriver{}).Open(fmt.Sprintf("file:?_mutex=no&_journal_mode=OFF&_synchronous=OFF&_cache_size=-%d", sideCacheKiB))
	if err != nil {
		return nil, fmt.Errorf("open temporary search index: %w", err)
	}
	s := &sideIndex{
		conn: dc.(*sqlite3.SQLiteConn),
		ch:   make(chan []sideRow, sideQueue),
		free: make(chan []sideRow, sideQueue+2),
		done: make(chan struct{}),
	}
	fail := func(err error) (*sideIndex, error) {
		for _, st := range s.ins {
			st.Close()
		}
		s.conn.Close()
		return nil, fmt.Errorf("temporary search index: %w", err)
	}
	for _, q := range append(creates, "BEGIN") {
		if _, err := s.conn.Exec(q, nil); err != nil {
			return fail(err)
		}
	}
	// Merged once, at the end (run), as beginFTSBuild has it: no
	// automerge, and a crisismerge that bounds the segments of a very
	// large import.
	for _, t := range searchTables {
		for _, c := range ftsBuildConfig {
			if _, err := s.conn.Exec(fmt.Sprintf(`INSERT INTO %s_fts (%[1]s_fts, rank) VALUES ('%s', %d)`, t.table, c.key, c.val()), nil); err != nil {
				return fail(err)
			}
		}
	}
	for _, t := range searchTables {
		n := strings.Count(t.cols, ",") + 1
		st, err := s.conn.Prepare(`INSERT INTO ` + t.table + `_fts (rowid, ` + t.cols + `) VALUES (?` + strings.Repeat(",?", n) + `)`)
		if err != nil {
			return fail(err)
		}
		s.ins = append(s.ins, st.(*sqlite3.SQLiteStmt))
		s.cols = append(s.cols, n)
	}
	go s.run()
	return s, nil
}

// add queues one row; the Writer calls it for each row it inserts into
// an indexed table, and send when it likes.
func (s *sideIndex) add(table int, id int64, cols ...string) {
	r := sideRow{table: table, id: id}
	copy(r.cols[:], cols)
	for _, c := range cols {
		s.bytes += len(c)
	}
	s.rows = append(s.rows, r)
}

// full reports whether the rows queued make a batch.
func (s *sideIndex) full() bool { return s.bytes >= sideBatchBytes }

// send hands the rows queued to the goroutine, waiting while sideQueue
// batches wait already. It returns the goroutine's error, if it failed.
func (s *sideIndex) send() error {
	if err := s.failed(); err != nil {
		return err
	}
	if len(s.rows) == 0 {
		return nil
	}
	s.ch <- s.rows
	select {
	case s.rows = <-s.free:
	default:
		s.rows = make([]sideRow, 0, cap(s.rows))
	}
	s.bytes = 0
	return nil
}

func (s *sideIndex) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *sideIndex) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// run indexes the batches, then merges each index into one segment.
// After an error it only drains the queue, so the Writer never waits on
// a goroutine that stopped reading.
func (s *sideIndex) run() {
	defer close(s.done)
	var (
		a       vals
		pending int
	)
	for rows := range s.ch {
		if s.failed() == nil {
			for i := range rows {
				r := &rows[i]
				a = a[:0]
				a.i64(r.id)
				for _, c := range r.cols[:s.cols[r.table]] {
					a.str(c)
					pending += len(c)
				}
				if err := execStmt(s.ins[r.table], a); err != nil {
					s.fail(fmt.Errorf("index %s for search: %w", searchTables[r.table].table, err))
					break
				}
			}
			if pending >= sideFlushBytes {
				pending = 0
				if err := s.flush(); err != nil {
					s.fail(fmt.Errorf("temporary search index: %w", err))
				}
			}
		}
		clear(rows)
		select {
		case s.free <- rows[:0]:
		default:
		}
	}
	if s.failed() != nil {
		return
	}
	for _, t := range searchTables {
		if _, err := s.conn.Exec(`INSERT INTO `+t.table+`_fts (`+t.table+`_fts) VALUES ('optimize')`, nil); err != nil {
			s.fail(fmt.Errorf("merge search index of %s: %w", t.table, err))
			return
		}
	}
	// FTS5 writes each index's totals (the averages record bm25 reads,
	// _data row 1) when the transaction commits.
	if _, err := s.conn.Exec("COMMIT", nil); err != nil {
		s.fail(fmt.Errorf("temporary search index: %w", err))
	}
}

// flush makes FTS5 write each index's pending terms out as a segment:
// it does at a savepoint. Left to itself, it holds up to 1 MB of text per
// index (its hashsize) in memory, which in a hash table takes several
// times that, three times over; flushed every sideFlushBytes of text
// altogether, it writes the segments the Writer's chunks wrote.
func (s *sideIndex) flush() error {
	for _, q := range []string{"SAVEPOINT side", "RELEASE side"} {
		if _, err := s.conn.Exec(q, nil); err != nil {
			return err
		}
	}
	return nil
}

// finish hands over the last rows and lets the goroutine end; wait waits
// for it. Between the two the Writer can do other work.
func (s *sideIndex) finish() error {
	if s.sent {
		return nil
	}
	err := s.send()
	s.sent = true
	close(s.ch)
	return err
}

func (s *sideIndex) wait() error {
	if err := s.finish(); err != nil {
		<-s.done
		return err
	}
	<-s.done
	return s.failed()
}

// close stops the goroutine, if it runs, and removes the temporary
// database.
func (s *sideIndex) close() {
	s.finish()
	<-s.done
	for _, st := range s.ins {
		st.Close()
	}
	s.ins = nil
	s.conn.Close()
}

// sideShadows are the tables of an FTS5 index that hold it: its
// segments and their structure (_data), the segments' first terms (_idx)
// and each row's token counts (_docsize). _config keeps the archive's
// settings, which the side index leaves at FTS5's defaults.
var sideShadows = []string{"_data", "_idx", "_docsize"}

// copyInto replaces the archive's full-text indexes with the side's,
// through the Writer's driver connection (it runs inside onConn). The
// archive's indexes are empty (an import into an archive without posts),
// so nothing is lost.
func (s *sideIndex) copyInto(w *Writer) error {
	for _, t := range searchTables {
		for _, sh := range sideShadows {
			table := t.table + "_fts" + sh
			if err := s.copyTable(w, table); err != nil {
				return fmt.Errorf("copy search index table %s: %w", table, err)
			}
		}
	}
	return nil
}

// sideCopyRows is how many rows one INSERT of copyTable writes.
const sideCopyRows = 64

// copyTable copies one table of the side index into the archive. The
// side's connection reads the rows on a goroutine of its own, a batch of
// sideCopyRows ahead, while the Writer's connection inserts them: the
// other core has nothing else to do by then. 200 MB export, finishing
// indexes (wparchive import --timings, 4 alternated runs of 98d19e8 and
// its parent): median 0.826 -> 0.733 s.
func (s *sideIndex) copyTable(w *Writer, table string) error {
	del, err := w.dc.Prepare(`DELETE FROM ` + table)
	if err != nil {
		return err
	}
	_, err = del.(*sqlite3.SQLiteStmt).ExecContext(context.Background(), nil)
	del.Close()
	if err != nil {
		return err
	}
	sel, err := s.conn.Prepare(`SELECT * FROM ` + table)
	if err != nil {
		return err
	}
	defer sel.Close()
	rows, err := sel.(*sqlite3.SQLiteStmt).QueryContext(context.Background(), nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := len(rows.Columns())
	m := &multiInsert{prefix: "INSERT INTO " + table + " VALUES ", cols: n}
	defer func() {
		for _, st := range m.stmts {
			if st != nil {
				st.Close()
			}
		}
	}()
	// Two batches in flight and one being filled; the reader's error
	// comes last, after the batches it read.
	batches := make(chan vals, 2)
	free := make(chan vals, 3)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		dest := make([]driver.Value, n)
		a := make(vals, 0, sideCopyRows*n)
		for {
			err := rows.Next(dest)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				readErr = err
				return
			}
			for _, v := range dest {
				a.add(v)
			}
			if len(a) == sideCopyRows*n {
				select {
				case batches <- a:
				case <-stop:
					return
				}
				select {
				case a = <-free:
				default:
					a = make(vals, 0, sideCopyRows*n)
				}
			}
		}
		if len(a) > 0 {
			select {
			case batches <- a:
			case <-stop:
			}
		}
	}()
	for a := range batches {
		if err := copyRows(w.dc, m, a); err != nil {
			close(stop)
			for range batches {
			}
			return err
		}
		clear(a)
		select {
		case free <- a[:0]:
		default:
		}
	}
	return readErr
}

// copyRows inserts the rows a holds with m's statements, prepared on c
// and closed by the caller with m.close (not by the Writer, which keeps
// the statements of its own multiInserts for the import).
func copyRows(c *sqlite3.SQLiteConn, m *multiInsert, a vals) error {
	return m.exec(a, func(dst **sqlite3.SQLiteStmt, q string) (*sqlite3.SQLiteStmt, error) {
		st, err := c.Prepare(q)
		if err != nil {
			return nil, err
		}
		*dst = st.(*sqlite3.SQLiteStmt)
		return *dst, nil
	})
}

// openSide is openSideIndex; tests make it fail.
var openSide = openSideIndex

// startSide gives an import into an archive without posts a side index,
// in place of the chunks and the merge of beginFTSBuild. It reports
// false, and the Writer indexes as before, when the temporary database
// cannot be made (a temporary directory that is not writable).
func (w *Writer) startSide(ctx context.Context) bool {
	s, err := openSide(ctx, w.tx)
	if err != nil {
		return false
	}
	w.side = s
	return true
}

// endSide waits for the side index and copies it into the archive.
func (w *Writer) endSide(ctx context.Context) error {
	if w.side == nil {
		return nil
	}
	s := w.side
	w.side = nil
	defer s.close()
	if err := s.wait(); err != nil {
		return err
	}
	w.sideCopied = true
	return w.onConn(func() error { return s.copyInto(w) })
}

// dropSide abandons the side index, if there is one: the rows it was
// given are above the deferral marks still (deferSearchIndex), so the
// Writer's own chunks and FlushSearchIndex index them.
func (w *Writer) dropSide() {
	if w.side == nil {
		return
	}
	w.side.close()
	w.side = nil
}
