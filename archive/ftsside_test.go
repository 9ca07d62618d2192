package archive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// beginDeferred begins an import into a that has called DeferSearchIndex;
// the test's end rolls it back unless it ended.
func beginDeferred(t *testing.T, a *Archive) *Writer {
	t.Helper()
	ctx := context.Background()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Rollback() })
	if err := w.DeferSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// finishChecked adds sites to w, ends the import and checks that the
// archive's full-text index holds what a rebuild from the tables gives.
func finishChecked(t *testing.T, a *Archive, w *Writer, sites []searchSite) {
	t.Helper()
	ctx := context.Background()
	for _, s := range sites {
		addSite(t, w, s)
	}
	if err := w.FlushSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		t.Fatal(err)
	}
	if err := a.CheckSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	got := ftsState(t, a)
	if !strings.Contains(got, "制裁: ") || !strings.Contains(got, "sanctions: ") {
		t.Fatalf("the queries found nothing:\n%s", got)
	}
	rebuildSearchIndex(t, a)
	if want := ftsState(t, a); got != want {
		t.Errorf("the index differs from a rebuild:\n%s", firstDiff(got, want))
	}
}

// TestSideIndexOnlyIntoEmptyArchive: an import into an archive without
// posts indexes on a side index, one into an archive with posts on its
// own connection; both leave the index a rebuild gives.
func TestSideIndexOnlyIntoEmptyArchive(t *testing.T) {
	a := openTemp(t)
	for i, want := range []bool{true, false} {
		w := beginDeferred(t, a)
		if got := w.side != nil; got != want {
			t.Errorf("import %d: side index %v, want %v", i+1, got, want)
		}
		sites := chunkFixture()
		if i > 0 {
			sites = searchFixture()
		}
		finishChecked(t, a, w, sites)
	}
}

// TestSideIndexCopyFails: when the copy into the archive fails while
// the side's reader has batches in hand, the import fails with the
// table's name, the reader stops, and a rollback leaves the archive as it
// was.
func TestSideIndexCopyFails(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	before := dump(t, a.DB())
	w := beginDeferred(t, a)
	if w.side == nil {
		t.Fatal("no side index into an empty archive")
	}
	// Enough comments for several batches of sideCopyRows _docsize rows.
	sites := chunkFixture()
	p := sites[0].posts[0]
	for i := range 10 * sideCopyRows {
		c := comment(fmt.Sprint(1000+i), "0")
		p.Comments = append(p.Comments, c)
	}
	if _, err := w.tx.ExecContext(ctx, fmt.Sprintf(`CREATE TEMP TRIGGER refuse_copy BEFORE INSERT ON main.comments_fts_docsize
		WHEN new.id > %d BEGIN SELECT RAISE(ABORT, 'copy refused'); END`, 3*sideCopyRows)); err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		addSite(t, w, s)
	}
	flushFails(t, a, w, before, "comments_fts_docsize", "copy refused")
}

// flushFails checks that FlushSearchIndex fails with an error that names
// each of wants, and that the rollback leaves the archive as it was
// (before, a dump).
func flushFails(t *testing.T, a *Archive, w *Writer, before string, wants ...string) {
	t.Helper()
	err := w.FlushSearchIndex(context.Background())
	for _, want := range wants {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("FlushSearchIndex: %v, want an error naming %q", err, want)
		}
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, a.DB()); after != before {
		t.Error("a failed import changed the archive")
	}
}

// TestSideIndexFails: an error of the side index's goroutine fails the
// import, which leaves the archive as it was.
func TestSideIndexFails(t *testing.T) {
	a := openTemp(t)
	before := dump(t, a.DB())
	w := beginDeferred(t, a)
	if w.side == nil {
		t.Fatal("no side index into an empty archive")
	}
	// The goroutine has no rows yet, so the test may use its connection.
	if _, err := w.side.conn.Exec(`DROP TABLE comments_fts`, nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range chunkFixture() {
		addSite(t, w, s)
	}
	flushFails(t, a, w, before, "index comments for search", "comments_fts")
}

// TestSideIndexDropped: a Writer that abandons its side index midway, as
// it does when it updates an indexed row, indexes every row itself.
func TestSideIndexDropped(t *testing.T) {
	a := openTemp(t)
	w := beginDeferred(t, a)
	side := w.side
	if side == nil {
		t.Fatal("no side index into an empty archive")
	}
	sites := chunkFixture()
	addSite(t, w, sites[0])
	w.dropSide()
	select {
	case <-side.done:
	default:
		t.Error("dropSide left the side index's goroutine running")
	}
	finishChecked(t, a, w, sites[1:])
}

// TestSideIndexRolledBack: a rolled-back import leaves the archive as it
// was and its side index's goroutine ended.
func TestSideIndexRolledBack(t *testing.T) {
	a := openTemp(t)
	before := dump(t, a.DB())
	w := beginDeferred(t, a)
	side := w.side
	if side == nil {
		t.Fatal("no side index into an empty archive")
	}
	for _, s := range chunkFixture() {
		addSite(t, w, s)
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-side.done:
	default:
		t.Error("Rollback left the side index's goroutine running")
	}
	if after := dump(t, a.DB()); after != before {
		t.Error("a rolled-back import changed the archive")
	}
}

// TestSideIndexUnavailable: where the temporary database cannot be made,
// an import into an empty archive indexes in chunks, merged at the end,
// and the index is the one a rebuild gives.
func TestSideIndexUnavailable(t *testing.T) {
	saved := openSide
	defer func() { openSide = saved }()
	openSide = func(context.Context, execer) (*sideIndex, error) {
		return nil, errors.New("no temporary folder")
	}
	a := openTemp(t)
	w := beginDeferred(t, a)
	if w.side != nil || !w.ftsBuild {
		t.Fatalf("side index %v, chunks merged at the end %v; want none, and chunks", w.side != nil, w.ftsBuild)
	}
	finishChecked(t, a, w, chunkFixture())
}
