package archive

import (
	"context"
	"fmt"
)

// ftsBuildMerge is the crisismerge an import into an empty archive gives
// its full-text indexes while it fills them (see beginFTSBuild): FTS5
// merges the segments of a level only once it holds this many, instead of
// automerge's four, and endFTSBuild merges everything once at the end.
// The 200 MB export writes 47 segments a table (one a chunk) and the
// 387 MB posts20000 export about 95, so neither merges before the end; a
// larger import merges every 128 chunks, which bounds the segments an
// index has (FTS5's limit is 2000) and the iterators a merge holds open.
var ftsBuildMerge = 128

// sideIndexes: an import into an empty archive indexes on a side index
// (see sideIndex) where it can. Tests turn it off to compare.
var sideIndexes = true

// ftsBuildConfig are the FTS5 settings beginFTSBuild changes, with the
// values FTS5 uses when its _config table holds none (fts5_config.c).
var ftsBuildConfig = []struct {
	key string
	def int
	val func() int
}{
	{"automerge", 4, func() int { return 0 }},
	{"crisismerge", 16, func() int { return ftsBuildMerge }},
}

// beginFTSBuild sets up the full-text indexes of an import into an empty
// archive so that each segment its chunks write (indexSearchChunk: one a
// chunk) is merged once, by endFTSBuild's 'optimize', instead of again
// and again: with automerge at its default 4, FTS5 merges four segments
// of a level into one of the next after every few chunks, so each term of
// a large import was read and written about log4(chunks) times (about 2%
// of the 200 MB export's CPU in fts5IndexMergeLevel and the iterators it
// drives). The settings live in each index's _config table, inside the
// import's transaction, so a rollback or a killed import leaves the
// archive's settings as they were. An import into an archive that holds
// posts keeps automerge: an 'optimize' there would rewrite the whole
// index, at a cost in proportion to the archive, not to the import.
//
// On the 200 MB export the chunks took 2.9 s of the writer's CPU with
// automerge, 2.0 s without, and the final 'optimize' about 0.5 s; the
// whole import's CPU went from 10.8 to 10.4 s (medians of 4). Leaving the
// segments unmerged would save the 0.5 s too, but with ~95 segments a
// table searches of posts20000 took twice as long (0.04-0.08 s).
func (w *Writer) beginFTSBuild(ctx context.Context) error {
	// Settings someone chose for an index are left alone.
	for _, t := range searchTables {
		var n int
		if err := w.tx.QueryRowContext(ctx, `SELECT count(*) FROM `+t.table+`_fts_config WHERE k IN ('automerge', 'crisismerge')`).Scan(&n); err != nil {
			return fmt.Errorf("read search index settings of %s: %w", t.table, err)
		}
		if n > 0 {
			return nil
		}
	}
	if sideIndexes && w.startSide(ctx) {
		return nil
	}
	for _, t := range searchTables {
		for _, c := range ftsBuildConfig {
			if err := ftsConfig(ctx, w.tx, t.table, c.key, c.val()); err != nil {
				return err
			}
		}
	}
	w.ftsBuild = true
	return nil
}

// endFTSBuild merges each index beginFTSBuild set up into one segment
// ('optimize': one pass over the index, which reads it as the search of
// any term does, in one b-tree) and puts back FTS5's default automerge
// and crisismerge. It runs after the last rows are indexed.
func (w *Writer) endFTSBuild(ctx context.Context) error {
	if !w.ftsBuild {
		return nil
	}
	for _, t := range searchTables {
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO `+t.table+`_fts (`+t.table+`_fts) VALUES ('optimize')`); err != nil {
			return fmt.Errorf("merge search index of %s: %w", t.table, err)
		}
		for _, c := range ftsBuildConfig {
			// Set through FTS5, so that this connection's copy of the
			// settings is the default again, then removed from _config,
			// which then holds what it held before the import (a fresh
			// archive's keeps only version and rank).
			if err := ftsConfig(ctx, w.tx, t.table, c.key, c.def); err != nil {
				return err
			}
			if _, err := w.tx.ExecContext(ctx, `DELETE FROM `+t.table+`_fts_config WHERE k = ?`, c.key); err != nil {
				return fmt.Errorf("reset search index settings of %s: %w", t.table, err)
			}
		}
	}
	w.ftsBuild = false
	return nil
}

// ftsConfig sets one FTS5 setting of the index of table.
func ftsConfig(ctx context.Context, tx execer, table, key string, val int) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+`_fts (`+table+`_fts, rank) VALUES (?, ?)`, key, val); err != nil {
		return fmt.Errorf("set %s of search index of %s: %w", key, table, err)
	}
	return nil
}
