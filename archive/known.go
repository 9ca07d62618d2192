package archive

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"strings"
)

// AddUnchanged is AddPost for an item the caller believes unchanged (see
// KnownItems): if the archive holds a row at the key AddPost would give p
// with the same non-empty raw hash, it writes nothing, counts p in the
// summary as Unchanged (p's comments need only their Kind, Status,
// IdentityKey and Provider derived), sets p.Derived.Quotes to the stored
// quotes (Ord, Kind, Lang, TranslationOf and RepeatOf only) so the caller
// can count them, and returns true. Otherwise it changes
// nothing and returns false, and the caller derives p in full and hands it
// to AddPost.
func (w *Writer) AddUnchanged(ctx context.Context, p *Post) (bool, error) {
	if w.done {
		return false, ErrClosed
	}
	if w.siteID == 0 {
		return false, errNoSite
	}
	ctx, err := stmtContext(ctx)
	if err != nil {
		return false, err
	}
	if w.fresh[w.siteID] || len(p.RawHash) == 0 {
		return false, nil
	}
	wpKey := strings.TrimSpace(p.WPID)
	dup := w.dups[w.siteID][wpKey]
	// The row's hash and its stored quotes, for the importer's counts, in
	// one query.
	rows, err := w.tx.QueryContext(ctx, `SELECT p.raw_hash, q.ord, q.kind, coalesce(q.lang, ''),
			coalesce(q.translation_ord, -1), coalesce(q.repeat_of_ord, -1)
		FROM posts p LEFT JOIN quotes q ON q.post_id = p.id
		WHERE p.site_id = ? AND p.wp_key = ? AND p.dup_ordinal = ? ORDER BY q.ord`, w.siteID, wpKey, dup)
	if err != nil {
		return false, fmt.Errorf("store item %q (%s line %d): %w", wpKey, p.File, p.Line, err)
	}
	defer rows.Close()
	found := false
	var quotes []Quote
	for rows.Next() {
		var (
			hash               []byte
			ord, trans, repeat sql.NullInt64
			kind, lang         sql.NullString
		)
		if err := rows.Scan(&hash, &ord, &kind, &lang, &trans, &repeat); err != nil {
			return false, fmt.Errorf("store item %q (%s line %d): %w", wpKey, p.File, p.Line, err)
		}
		if !bytes.Equal(hash, p.RawHash) {
			return false, nil
		}
		found = true
		if ord.Valid {
			quotes = append(quotes, Quote{Ord: int(ord.Int64), Kind: kind.String, Lang: lang.String,
				TranslationOf: int(trans.Int64), RepeatOf: int(repeat.Int64)})
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("store item %q (%s line %d): %w", wpKey, p.File, p.Line, err)
	}
	if !found {
		return false, nil
	}
	p.Derived.Quotes = quotes
	w.dups[w.siteID][wpKey]++
	w.count(p, w.planComments(p.Comments))
	w.sum.Unchanged++
	return true, nil
}

// KnownItems is a compact set of the items an archive holds for one site,
// by item key (wp_key, dup_ordinal) and raw hash, for an importer that
// wants to skip deriving the items a re-import will leave unchanged. A
// member is a 64-bit digest, so Next may rarely say yes wrongly (about one
// in 2^64) but never no wrongly: Writer.AddUnchanged confirms. It counts
// dup ordinals as the Writer does, so one KnownItems must see every item of
// its site in the import, in order. It is not safe for concurrent use.
type KnownItems struct {
	seed maphash.Seed
	set  map[uint64]struct{}
	dups map[string]int
}

// KnownItems reads the items the archive holds for the site with key
// siteKey, as last committed: called while this process's Writer holds the
// archive, that is the state the import started from. A site the archive
// does not hold gives an empty set.
func (a *Archive) KnownItems(ctx context.Context, siteKey string) (*KnownItems, error) {
	k := &KnownItems{seed: maphash.MakeSeed(), set: map[uint64]struct{}{}, dups: map[string]int{}}
	if a.build != nil {
		// A new file holds no items; and with no journal, the import's
		// connection may hold it locked until its commit.
		return k, nil
	}
	// Every post is read, down its overflow pages to raw_hash: through the
	// pool's 64 MiB page cache that was most of a re-import's peak memory
	// (the 200 MB export's: 115 MB).
	c, release, err := a.ReadConn(ctx, knownCacheKiB)
	if err != nil {
		return nil, fmt.Errorf("read known items of %s: %w", siteKey, err)
	}
	defer release()
	rows, err := c.QueryContext(ctx, `SELECT p.wp_key, p.dup_ordinal, p.raw_hash FROM posts p
		JOIN sites s ON s.id = p.site_id WHERE s.site_key = ? AND p.raw_hash IS NOT NULL`, siteKey)
	if err != nil {
		return nil, fmt.Errorf("read known items of %s: %w", siteKey, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			key  string
			dup  int
			hash sql.RawBytes
		)
		if err := rows.Scan(&key, &dup, &hash); err != nil {
			return nil, fmt.Errorf("read known items of %s: %w", siteKey, err)
		}
		k.set[k.digest(key, dup, hash)] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read known items of %s: %w", siteKey, err)
	}
	return k, nil
}

// knownCacheKiB is the page cache KnownItems reads with: it reads each
// page once.
const knownCacheKiB = 1 << 10

func (k *KnownItems) digest(key string, dup int, hash []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(k.seed)
	h.WriteString(key)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(dup))
	h.Write(b[:])
	h.Write(hash)
	return h.Sum64()
}

// Next counts p as the next item of the site and reports whether the
// archive (probably) holds it unchanged: a row at the key AddPost will give
// it, with the same raw hash.
func (k *KnownItems) Next(p *Post) bool {
	if len(k.set) == 0 {
		// Nothing to find: the items need not even be counted, and a
		// first import keeps no key per item.
		return false
	}
	key := strings.TrimSpace(p.WPID)
	dup := k.dups[key]
	k.dups[key]++
	if len(p.RawHash) == 0 {
		return false
	}
	_, ok := k.set[k.digest(key, dup, p.RawHash)]
	return ok
}

// SetCacheSize sets the page cache of the import's connection to kib KiB
// (SQLite's cache_size; the archive opens connections with 64 MiB). A big
// import fills whatever cache it has, so the cache is most of the
// difference between the peak memory of a small import and a large one;
// pages that do not fit are spilled to the WAL, which the transaction
// does anyway.
func (w *Writer) SetCacheSize(ctx context.Context, kib int) error {
	if w.done {
		return ErrClosed
	}
	if _, err := w.tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", kib)); err != nil {
		return fmt.Errorf("set cache size: %w", err)
	}
	return nil
}

// DeferSearchIndex leaves the full-text indexing of the rows this import
// adds to the Writer's chunks (indexSearchChunk: the rows added since the
// last chunk, every 1 MB of indexed text) and to FlushSearchIndex, in one
// statement per table each time instead of one trigger run per row
// (schema/0003_search.sql). Call it before adding rows; rows the import
// updates or deletes are still indexed by the triggers. Into an archive
// without posts, a side index takes the rows instead, on a goroutine of
// its own, and FlushSearchIndex copies it in (sideIndex); where one
// cannot be made, the chunks' index segments are left unmerged until
// FlushSearchIndex merges them once (beginFTSBuild). An import that
// calls DeferSearchIndex must call FlushSearchIndex before Commit.
func (w *Writer) DeferSearchIndex(ctx context.Context) error {
	if w.done {
		return ErrClosed
	}
	if err := deferSearchIndex(ctx, w.tx); err != nil {
		return err
	}
	if !w.bulk {
		return nil
	}
	// Into an archive without posts every row is above the marks, so the
	// insert triggers would only test their WHEN clause: dropped until
	// Commit, they cost nothing per row (6% of the import's CPU).
	var names []string
	for _, t := range searchTables {
		names = append(names, `'`+t.table+`_ai'`)
	}
	if err := w.beginFTSBuild(ctx); err != nil {
		return err
	}
	return w.dropForBulk(ctx, `type = 'trigger' AND name IN (`+strings.Join(names, ", ")+`)`)
}

// FlushSearchIndex indexes the rows added since the last chunk the Writer
// indexed (or since DeferSearchIndex when there was none) and, after an
// import into an empty archive, merges each index into one segment
// (endFTSBuild). Call it after the last row and before Commit.
func (w *Writer) FlushSearchIndex(ctx context.Context) error {
	if w.done {
		return ErrClosed
	}
	// An import into an empty archive builds the indexes it left out
	// first: what flushSearchIndex runs besides indexing may read any of
	// them (its DELETE of commenters without comments probes
	// comments_commenter once per commenter).
	//
	// A side index (see sideIndex) gets its last rows first, so that it
	// merges its segments while the indexes are built here, and is
	// copied in once it is done.
	side := w.side != nil
	if side {
		if err := w.side.finish(); err != nil {
			return err
		}
	}
	if err := w.rebuildIndexes(ctx); err != nil {
		return err
	}
	// What is left to write is the copy of the side index and Commit's.
	w.a.SyncAhead()
	if err := flushSearchIndex(ctx, w.tx, side, w.bulk && !w.rewrote); err != nil {
		return err
	}
	if err := w.endSide(ctx); err != nil {
		return err
	}
	// The merge comes last, so the pages it frees stay free in the file
	// (5 MB of the 200 MB export's 287 MB archive). Merged before the
	// indexes above are built, which then took those pages, the import's
	// peak memory grew by 6-10 MB (121-126 MB instead of 113-117 MB), the
	// same without the merge: the order of the last chunk and the index
	// builds, not the merge, makes the difference.
	return w.endFTSBuild(ctx)
}
