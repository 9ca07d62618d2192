package archive

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// ftsState lists what a full-text index holds besides its segments' layout
// and what decides its search results: every token instance (through
// searchIndexContent), the token count of each row and column (_docsize),
// the averages record bm25 reads (_data row 1), the settings (_config),
// and, for a list of queries, each hit with its rank and snippet.
func ftsState(t *testing.T, a *Archive) string {
	t.Helper()
	db := a.DB()
	var b strings.Builder
	b.WriteString(searchIndexContent(t, a))
	for _, tb := range []string{"posts", "comments", "quotes"} {
		for _, q := range []string{
			`SELECT 'docsize', id, hex(sz) FROM ` + tb + `_fts_docsize ORDER BY id`,
			`SELECT 'averages', id, hex(block) FROM ` + tb + `_fts_data WHERE id = 1`,
			`SELECT 'config', k, v FROM ` + tb + `_fts_config ORDER BY k`,
		} {
			rows, err := db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var what, k, v sql.NullString
				if err := rows.Scan(&what, &k, &v); err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "%s %s %s %s\n", tb, what.String, k.String, v.String)
			}
			rows.Close()
		}
	}
	for _, q := range []string{"sanctions", "steppe", "侵略", "制裁", "excerpt:侵略", "摘要", "the", "a*", "s*", `"the steppe"`, "weekly", "aigerim", "NOT the"} {
		hits, err := a.Search(context.Background(), SearchOptions{Query: q, Limit: 1000, All: true})
		if err != nil {
			// A query FTS5 cannot read fails the same way on both.
			fmt.Fprintf(&b, "%s: %v\n", q, err)
			continue
		}
		for _, h := range hits {
			fmt.Fprintf(&b, "%s: %s %d %v %q\n", q, h.Type, h.ID, h.Rank, h.Snippet)
		}
	}
	return b.String()
}

// rebuildSearchIndex rebuilds each full-text index from its table.
func rebuildSearchIndex(t *testing.T, a *Archive) {
	t.Helper()
	for _, tb := range []string{"posts", "comments", "quotes"} {
		if _, err := a.DB().Exec(`INSERT INTO ` + tb + `_fts (` + tb + `_fts) VALUES ('rebuild')`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSearchIndexBuildMatchesRebuild: the full-text index an import into
// an empty archive builds on a side index (sideIndex), or in chunks
// without automerge, merged once at the end (beginFTSBuild, endFTSBuild),
// holds what a 'rebuild' from the tables gives, token for token, and
// searches give the same hits, ranks and snippets; its settings are
// FTS5's defaults again. With a small crisismerge the chunks' segments
// are also merged during the import.
// A re-import into the archive keeps automerge and leaves the index as
// a rebuild gives it too.
func TestSearchIndexBuildMatchesRebuild(t *testing.T) {
	ctx := context.Background()
	savedChunk, savedMerge, savedSide := ftsChunkBytes, ftsBuildMerge, sideIndexes
	defer func() { ftsChunkBytes, ftsBuildMerge, sideIndexes = savedChunk, savedMerge, savedSide }()
	type build struct {
		side         bool
		merge, chunk int
	}
	builds := []build{{side: true, merge: savedMerge, chunk: savedChunk}, {side: true, merge: savedMerge, chunk: 1}}
	for _, merge := range []int{savedMerge, 2} {
		for _, chunk := range []int{1, 1 << 40} {
			builds = append(builds, build{false, merge, chunk})
		}
	}
	for _, b := range builds {
		t.Run(fmt.Sprintf("side=%v/crisismerge=%d/chunk=%d", b.side, b.merge, b.chunk), func(t *testing.T) {
			ftsChunkBytes, ftsBuildMerge, sideIndexes = b.chunk, b.merge, b.side
			a := openTemp(t)
			for j, sites := range [][]searchSite{chunkFixture(), searchFixture()} {
				importDeferred(t, a, sites)
				if err := a.CheckSearchIndex(ctx); err != nil {
					t.Fatalf("import %d: %v", j+1, err)
				}
				for _, tb := range []string{"posts", "comments", "quotes"} {
					keys := one[string](t, a.DB(), `SELECT group_concat(k, ' ') FROM (SELECT k FROM `+tb+`_fts_config ORDER BY k)`)
					want := "rank version"
					if tb == "quotes" {
						want = "version"
					}
					if keys != want {
						t.Errorf("import %d: %s_fts_config holds %s, want %s", j+1, tb, keys, want)
					}
				}
				got := ftsState(t, a)
				if !strings.Contains(got, "制裁: ") || !strings.Contains(got, "sanctions: ") {
					t.Fatalf("import %d: the queries found nothing:\n%s", j+1, got)
				}
				rebuildSearchIndex(t, a)
				if want := ftsState(t, a); got != want {
					t.Errorf("import %d: the index differs from a rebuild:\n%s", j+1, firstDiff(got, want))
				}
			}
		})
	}
}

// TestSearchIndexBuildKeepsChosenSettings: an index whose automerge
// someone set is built with it, and keeps it.
func TestSearchIndexBuildKeepsChosenSettings(t *testing.T) {
	a := openTemp(t)
	if _, err := a.DB().Exec(`INSERT INTO comments_fts (comments_fts, rank) VALUES ('automerge', 8)`); err != nil {
		t.Fatal(err)
	}
	importDeferred(t, a, chunkFixture())
	for tb, want := range map[string]string{"posts": "", "comments": "8", "quotes": ""} {
		got := one[string](t, a.DB(), `SELECT coalesce((SELECT v FROM `+tb+`_fts_config WHERE k = 'automerge'), '')`)
		if got != want {
			t.Errorf("%s_fts automerge %q, want %q", tb, got, want)
		}
	}
	if err := a.CheckSearchIndex(context.Background()); err != nil {
		t.Error(err)
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// TestSearchIndexBuildRolledBack: an import into an empty archive that
// indexed chunks without automerge and was rolled back leaves the
// indexes' settings as they were, and the next import builds them right.
func TestSearchIndexBuildRolledBack(t *testing.T) {
	ctx := context.Background()
	saved, savedSide := ftsChunkBytes, sideIndexes
	defer func() { ftsChunkBytes, sideIndexes = saved, savedSide }()
	ftsChunkBytes, sideIndexes = 1, false
	a := openTemp(t)
	before := dump(t, a.DB())
	w := beginDeferred(t, a)
	if !w.ftsBuild {
		t.Fatal("an import into an empty archive does not build its indexes without automerge")
	}
	var automerge string
	if err := w.tx.QueryRowContext(ctx, `SELECT v FROM posts_fts_config WHERE k = 'automerge'`).Scan(&automerge); err != nil || automerge != "0" {
		t.Errorf("automerge during the import %q (%v), want 0", automerge, err)
	}
	for _, s := range chunkFixture() {
		addSite(t, w, s)
	}
	if err := w.Rollback(); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, a.DB()); after != before {
		t.Error("a rolled-back import changed the archive")
	}
	for _, tb := range []string{"posts", "comments", "quotes"} {
		if n := one[int](t, a.DB(), `SELECT count(*) FROM `+tb+`_fts_config WHERE k IN ('automerge', 'crisismerge')`); n != 0 {
			t.Errorf("%s_fts: %d settings left by a rolled-back import", tb, n)
		}
	}
	importDeferred(t, a, chunkFixture())
	if err := a.CheckSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
	got := ftsState(t, a)
	rebuildSearchIndex(t, a)
	if want := ftsState(t, a); got != want {
		t.Errorf("the index differs from a rebuild:\n%s", firstDiff(got, want))
	}
}
