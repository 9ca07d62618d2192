package archive

import (
	"context"
	"testing"
	"time"
)

// TestCancelledImportWritesNothing: when the context BeginImport was given
// is cancelled, database/sql rolls the import's transaction back on its
// own. The Writer's statements on the driver connection (onConn) must then
// fail, not run outside any transaction, where every INSERT would commit
// by itself.
func TestCancelledImportWritesNothing(t *testing.T) {
	a := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	if err := w.SetSite(ctx, &Site{Key: "example.org"}); err != nil {
		t.Fatal(err)
	}
	posts := newBenchPosts()
	if _, err := w.AddPost(ctx, posts.get(0)); err != nil {
		t.Fatal(err)
	}
	cancel()
	// The rollback runs in database/sql's goroutine: wait until the
	// connection is gone.
	deadline := time.Now().Add(10 * time.Second)
	for w.conn.Raw(func(any) error { return nil }) == nil {
		if time.Now().After(deadline) {
			t.Fatal("database/sql did not roll back the cancelled import")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A caller that goes on with another context.
	if _, err := w.AddPost(context.Background(), posts.get(1)); err == nil {
		t.Error("AddPost after the transaction was rolled back: no error")
	}
	if err := w.AddTerm(context.Background(), &Term{Taxonomy: "category", Slug: "news", Meta: []Meta{{Key: "k", Value: "v"}}}); err == nil {
		t.Error("AddTerm after the transaction was rolled back: no error")
	}
	for _, table := range []string{"posts", "comments", "postmeta", "terms", "termmeta", "commenters"} {
		if n := one[int](t, a.DB(), `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("%d rows in %s after a cancelled import, want 0", n, table)
		}
	}
}
