package importer

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/internal/corpus"
)

func fileSources(paths ...string) []Source {
	var srcs []Source
	for _, p := range paths {
		srcs = append(srcs, Source{Name: filepath.Base(p), Open: func() (io.ReadCloser, error) { return os.Open(p) }})
	}
	return srcs
}

// dumpTables returns every row of the tables an import writes, except the
// _imports bookkeeping, as text.
func dumpTables(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, tbl := range []string{"sites", "authors", "terms", "termmeta", "posts", "post_terms", "postmeta", "commenters", "comments", "commentmeta", "quotes"} {
		rows, err := db.Query("SELECT * FROM " + tbl + " ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			b.WriteString(tbl)
			for i, v := range vals {
				if cols[i] == "last_import_id" || cols[i] == "first_import_id" {
					continue
				}
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				b.WriteString("|")
				j, _ := json.Marshal(v)
				b.Write(j)
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String()
}

// A re-import of an unchanged export skips deriving its items, and still
// leaves every row as it was and reports the same summary (all items
// unchanged), with and without --redact, over a multi-part export of two
// sites.
func TestReimportSkipsKnownItems(t *testing.T) {
	ctx := context.Background()
	paths := []string{"../testdata/seed/central-asia.xml"}
	for _, name := range []string{"cc-archive-labs__wordpress.xml", "wpimporter__crazy-cdata.xml"} {
		paths = append(paths, corpus.Public(t, name))
	}
	for _, redact := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "redact"}[redact], func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.sqlite")
			a, err := archive.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			opt := Options{Redact: redact, Salt: []byte("salt")}
			first, err := Import(ctx, a, fileSources(paths...), opt)
			if err != nil {
				t.Fatal(err)
			}
			if first.Inserted == 0 || first.Inserted != first.Posts {
				t.Fatalf("first import: %d of %d posts inserted", first.Inserted, first.Posts)
			}
			before := dumpTables(t, path)
			again, err := Import(ctx, a, fileSources(paths...), opt)
			if err != nil {
				t.Fatal(err)
			}
			if again.Unchanged != first.Posts || again.Inserted != 0 || again.Updated != 0 {
				t.Fatalf("re-import: inserted %d, updated %d, unchanged %d of %d", again.Inserted, again.Updated, again.Unchanged, first.Posts)
			}
			if after := dumpTables(t, path); after != before {
				t.Errorf("re-import changed the archive's rows")
			}
			if err := a.CheckSearchIndex(ctx); err != nil {
				t.Error(err)
			}
			a1, a2 := first.ImportSummary, again.ImportSummary
			a2.ImportID, a2.StartedAt, a2.Finished = a1.ImportID, a1.StartedAt, a1.Finished
			a2.Inserted, a2.Unchanged = a1.Inserted, a1.Unchanged
			if !reflect.DeepEqual(first.Quotes, again.Quotes) {
				t.Errorf("quote counts differ: first %+v, again %+v", first.Quotes, again.Quotes)
			}
			if len(first.Quotes.ByLang) == 0 {
				t.Errorf("the exports have no foreign passages to count")
			}
			if !reflect.DeepEqual(a1, a2) {
				j1, _ := json.Marshal(a1)
				j2, _ := json.Marshal(a2)
				t.Errorf("summaries differ:\nfirst %s\nagain %s", j1, j2)
			}
		})
	}
}

// readPosts returns the posts of an export as the Reader gives them.
func readPosts(t *testing.T, path string) (*archive.Site, []*archive.Post) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewReader(f, filepath.Base(path))
	var site *archive.Site
	var posts []*archive.Post
	for {
		e, err := r.Next()
		if err == io.EOF {
			return site, posts
		}
		if err != nil {
			t.Fatal(err)
		}
		if e.Site != nil && site == nil {
			site = e.Site
		}
		if e.Post != nil {
			posts = append(posts, e.Post)
		}
	}
}

// A post the Writer does not confirm as unchanged is derived in full after
// its known-only derivation, and comes out as if derived in full at once;
// AddUnchanged confirms only the same raw hash at the same key.
func TestKnownPostDerivedLater(t *testing.T) {
	ctx := context.Background()
	seed := "../testdata/seed/central-asia.xml"
	for _, redact := range []bool{false, true} {
		site, posts := readPosts(t, seed)
		_, fresh := readPosts(t, seed)
		n := &normalizer{redact: redact, salt: []byte("s"), stats: &QuoteStats{ByLang: map[string]int{}}}
		n.setSite(site, "seed.xml")
		late := &normalizer{redact: redact, salt: []byte("s"), stats: &QuoteStats{ByLang: map[string]int{}}}
		comments := 0
		for i, p := range posts {
			n.known(p)
			for j := range p.Comments {
				if p.Comments[j].Derived.Kind == "" {
					t.Fatalf("post %d comment %d: no kind after known", i, j)
				}
			}
			for j := range p.Comments {
				p.Comments[j].Derived = archive.CommentDerived{}
			}
			late.forSite(site)
			late.post(p)
			n.post(fresh[i])
			comments += len(p.Comments)
			if !reflect.DeepEqual(p, fresh[i]) {
				t.Fatalf("redact %v: post %s derived late differs from derived at once", redact, p.WPID)
			}
		}
		if comments == 0 {
			t.Fatal("the seed has no comments to check")
		}
	}

	a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := Import(ctx, a, fileSources(seed), Options{}); err != nil {
		t.Fatal(err)
	}
	site, posts := readPosts(t, seed)
	site.Key = SiteKey(site, "central-asia.xml")
	k, err := a.KnownItems(ctx, site.Key)
	if err != nil {
		t.Fatal(err)
	}
	w, err := a.BeginImport(ctx, archive.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	if err := w.SetSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	changed := *posts[0]
	changed.RawHash = append([]byte{}, changed.RawHash...)
	changed.RawHash[0] ^= 1
	if k.Next(&changed) {
		t.Error("KnownItems knows an item with another raw hash")
	}
	if ok, err := w.AddUnchanged(ctx, &changed); err != nil || ok {
		t.Errorf("AddUnchanged of a changed item = %v, %v; want false", ok, err)
	}
	for i, p := range posts {
		if i > 0 && !k.Next(p) {
			t.Errorf("KnownItems does not know item %s", p.WPID)
		}
		ok, err := w.AddUnchanged(ctx, p)
		if err != nil || !ok {
			t.Fatalf("AddUnchanged of unchanged item %s = %v, %v; want true", p.WPID, ok, err)
		}
	}
	// One more copy of the first item has the next dup ordinal, which the
	// archive does not hold.
	if k.Next(posts[0]) {
		t.Error("KnownItems knows a repeated item at a new dup ordinal")
	}
	if ok, err := w.AddUnchanged(ctx, posts[0]); err != nil || ok {
		t.Errorf("AddUnchanged of a repeat = %v, %v; want false", ok, err)
	}
}

// The full-text index, filled in one go at the end of each import, matches
// the tables after a first import, after an import of a changed export
// (rows updated, comments deleted and added) and after a re-import.
func TestSearchIndexAfterImports(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := archive.Open(ctx, filepath.Join(dir, "a.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	seed, err := os.ReadFile("../testdata/seed/central-asia.xml")
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.ReplaceAll(string(seed), "<wp:comment>", "<wp:comment><wp:comment_id>9999</wp:comment_id>")
	changed = strings.Replace(changed, "<content:encoded><![CDATA[", "<content:encoded><![CDATA[zyxwvut ", -1)
	if changed == string(seed) {
		t.Fatal("the change changed nothing")
	}
	other := filepath.Join(dir, "changed.xml")
	if err := os.WriteFile(other, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{"../testdata/seed/central-asia.xml", other, other, "../testdata/seed/central-asia.xml"} {
		sum, err := Import(ctx, a, fileSources(p), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && sum.Updated == 0 {
			t.Fatalf("import of the changed export updated nothing: %+v", sum.ImportSummary)
		}
		if err := a.CheckSearchIndex(ctx); err != nil {
			t.Fatalf("after import %d: %v", i+1, err)
		}
	}
	hits, err := a.DB().QueryContext(ctx, `SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'zyxwvut'`)
	if err != nil {
		t.Fatal(err)
	}
	defer hits.Close()
	hits.Next()
	var n int
	hits.Scan(&n)
	if n != 0 {
		t.Errorf("the word of the changed export is still indexed in %d posts after importing the original again", n)
	}
}
