package archive

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"html"
	"math/bits"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// ImportOptions configure one import.
type ImportOptions struct {
	// OnWait, if set, is called once when another import holds the archive's
	// write lock, before BeginImport starts waiting for it (so the CLI can
	// say "waiting for another import to finish").
	OnWait func()
	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// Source is one input file of an import.
type Source struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// ImportRecord is what Commit writes into the _imports row besides the
// counts: the inputs, and the importer's repairs, warnings and options as
// any JSON-able values (nil is stored as NULL).
type ImportRecord struct {
	Sources  []Source
	SHA256   string // over all sources, in order
	Bytes    int64
	Repairs  any
	Warnings any
	Options  any
}

// PostResult says what AddPost did with a post.
type PostResult int

const (
	// Inserted: the archive had no row for the item; it has one now.
	Inserted PostResult = iota + 1
	// Updated: the item's row existed with another raw hash and was
	// rewritten with its terms, meta, comments and quotes.
	Updated
	// Unchanged: the item's row existed with the same raw hash; nothing was
	// written.
	Unchanged
)

// String returns "inserted", "updated" or "unchanged".
func (r PostResult) String() string {
	switch r {
	case Inserted:
		return "inserted"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	}
	return "PostResult(" + strconv.Itoa(int(r)) + ")"
}

// ImportSummary counts what one import read: every post handed to AddPost
// is counted by type and status (unchanged ones too) together with its
// comments and meta, so importing the same export twice gives the same
// summary except for Inserted/Updated/Unchanged.
type ImportSummary struct {
	ImportID  int64  `json:"import_id"`
	Site      string `json:"site"` // site key of the last SetSite
	StartedAt string `json:"started_at"`
	Finished  string `json:"finished_at"`

	Posts         int            `json:"posts"`
	PostsByType   map[string]int `json:"posts_by_type"`
	PostsByStatus map[string]int `json:"posts_by_status"`
	Inserted      int            `json:"inserted"`
	Updated       int            `json:"updated"`
	Unchanged     int            `json:"unchanged"`

	Comments         int            `json:"comments"`
	CommentsByKind   map[string]int `json:"comments_by_kind"`
	CommentsByStatus map[string]int `json:"comments_by_status"`
	Orphans          int            `json:"orphan_comments"` // replies whose parent is not in the export

	Authors         int            `json:"authors"` // distinct authors defined (parts repeat them)
	Terms           int            `json:"terms"`   // distinct terms defined on the channel
	TermsByTaxonomy map[string]int `json:"terms_by_taxonomy"`
	TermsCreated    int            `json:"terms_created"` // referenced by items only, created as WordPress's importer does

	PostMeta    int `json:"postmeta"`
	CommentMeta int `json:"commentmeta"`
	TermMeta    int `json:"termmeta"`

	Commenters           int            `json:"commenters"` // distinct identities seen
	CommentersByProvider map[string]int `json:"commenters_by_provider"`
}

// Writer writes one import inside one transaction: nothing it wrote is
// visible to others, or kept, until Commit. A Writer is not safe for
// concurrent use.
type Writer struct {
	a        *Archive
	conn     *sql.Conn
	tx       *sql.Tx
	importID int64
	started  time.Time
	now      func() time.Time
	done     bool

	siteID  int64
	siteKey string
	sites   map[int64]bool // every site this import touched

	// dups counts the items seen per wp_key, for the dup_ordinal of the
	// next, in sites that had posts before; in fresh sites the INSERT
	// counts the rows with the key (see postInsFresh), and nothing is kept.
	dups    map[int64]map[string]int           // site → wp_key → items seen
	authors map[int64]map[string]sql.NullInt64 // site → login → id
	terms   map[termKey]int64
	// commenters holds every commenter identity the import met: its row
	// id once upserted, and the provider it was first seen with, for the
	// summary. It is keyed by a digest, not by the identity key (an e-mail
	// address, or a name and URL), so that its size per identity is fixed
	// and small.
	commenters map[identity]commenterSeen
	providers  []string          // commenterSeen.provider → provider
	provIndex  map[string]uint32 // provider → index in providers
	idSeeds    [2]maphash.Seed
	// Authors and terms this import defined, for the summary: a multi-part
	// export repeats them in every part, and WordPress 5+ defines a
	// category or tag twice (wp:category and wp:term).
	seenAuthors map[int64]bool
	seenTerms   map[int64]termSeen

	sum ImportSummary
	st  stmts

	termmeta, postmeta, comments, commentmeta, postTerms, quotes *multiInsert

	// lastComment is the largest comments.id so far; see addComments.
	// lastQuote is the largest quotes.id, given the same way.
	lastComment, lastQuote int64
	// lastPost is the largest posts.id so far: the next post's id is the
	// one after it, the id SQLite would give the row (no AUTOINCREMENT),
	// named in the INSERT because go-sqlite3's fused bind-and-step path
	// (onConn) is its Query, which has no LastInsertId.
	lastPost int64

	// fresh sites had no posts before this import: AddPost need not look
	// for an existing row.
	fresh map[int64]bool
	// In fresh sites AddPost links a post to its parent when the parent
	// is stored already (freshParent), so that Commit need not read every
	// post again; unlinked are the posts it could not link, for Commit.
	// oddKeys are the fresh sites with a post id that is not written the
	// way strconv writes it ("012"), whose parents Commit links.
	unlinked []int64
	oddKeys  map[int64]bool

	// bulk: the archive held no posts at BeginImport, so this import
	// writes without the indexes and triggers whose schema SQL rebuild
	// holds; Commit runs it (see deferIndexes).
	bulk    bool
	rebuild []string
	// rewrote: AddPost updated a row (see prepareDerived).
	rewrote bool

	// The full-text index as the import goes (see indexSearchChunk):
	// the bytes of indexed text written since the last chunk, and per
	// search table the deferral mark and the statements.
	ftsPending int
	fts        []ftsChunk
	ftsOff     bool // the import's rows are indexed by triggers or not at all
	ftsBuild   bool // merged once at the end (beginFTSBuild)
	// side builds the indexes of an import into an archive without posts
	// beside the Writer (see sideIndex); nil otherwise.
	side       *sideIndex
	sideCopied bool // copyInto wrote the indexes

	// The per-item statements on the driver connection (see onConn):
	// dc is that connection while onConn runs, ds the statements by
	// name, dstmts every one prepared, for closeStmts.
	dc     *sqlite3.SQLiteConn
	ds     driverStmts
	dstmts []*sqlite3.SQLiteStmt

	// scratch reused by AddPost
	plan  []commentPlan
	ids   []int64
	order []int
	args  vals
	dest  [2]driver.Value
}

type termSeen struct {
	taxonomy string
	meta     int // termmeta rows of its last definition
}

type termKey struct {
	site           int64
	taxonomy, slug string
}

// identity is a 128-bit digest of a commenter's site and identity key: a
// collision between two of an import's identities is as likely as one of
// SHA-256 in practice (about n²/2^129 for n identities).
type identity [2]uint64

type commenterSeen struct {
	id       int64  // commenters.id; 0 until upserted
	provider uint32 // index in Writer.providers
}

// identity returns the digest of the current site's identity key.
func (w *Writer) identity(key string) identity {
	var id identity
	var site [8]byte
	binary.LittleEndian.PutUint64(site[:], uint64(w.siteID))
	for i := range id {
		var h maphash.Hash
		h.SetSeed(w.idSeeds[i])
		h.Write(site[:])
		h.WriteString(key)
		id[i] = h.Sum64()
	}
	return id
}

// seeCommenter notes an identity the import met, with its provider, and
// returns its digest.
func (w *Writer) seeCommenter(key, provider string) identity {
	k := w.identity(key)
	if _, ok := w.commenters[k]; ok {
		return k
	}
	i, ok := w.provIndex[provider]
	if !ok {
		i = uint32(len(w.providers))
		w.providers = append(w.providers, provider)
		w.provIndex[provider] = i
	}
	w.commenters[k] = commenterSeen{provider: i}
	return k
}

// stmts are the statements run through database/sql.
type stmts struct {
	site, author *sql.Stmt
}

// driverStmts are the statements run on the driver connection (onConn),
// prepared when first used.
type driverStmts struct {
	term, termmetaDel            *sqlite3.SQLiteStmt
	termGet, termItem, authorGet *sqlite3.SQLiteStmt
	postGet, postIns, postUpd    *sqlite3.SQLiteStmt
	postInsFresh, parentGet      *sqlite3.SQLiteStmt
	ptDel, pmDel, cDel, qDel     *sqlite3.SQLiteStmt
	cUpse                        *sqlite3.SQLiteStmt
}

const postCols = `site_id, wp_key, dup_ordinal, wp_id, post_type, status, title, link, pub_date_raw,
	creator, author_id, guid, guid_is_permalink, description, content, excerpt,
	date_raw, date_gmt_raw, date_at, modified_raw, modified_gmt_raw, modified_at,
	comment_status, ping_status, slug, slug_decoded, parent_raw, parent_wp_id, parent_id,
	menu_order, password, is_sticky, attachment_url, extra_json, lang, text, search_title,
	content_normalized, source_file, source_line, raw_hash, first_import_id, last_import_id, excerpt_cjk`

var sqlText = struct {
	site, author, term, termmetaDel string
	termGet, termItem, authorGet    string
	postGet, postIns, postUpd       string
	postInsFresh, parentGet         string
	ptDel, pmDel, cDel, qDel        string
	cUpse                           string
}{
	// Upserts keep a stored value when a later part or import leaves the
	// field out (NULL), and take the new value otherwise.
	site: `INSERT INTO sites (site_key, title, link, description, language, pub_date_raw, wxr_version,
		base_site_url, base_blog_url, generator, extra_json, first_import_id, last_import_id)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (site_key) DO UPDATE SET
		title = coalesce(excluded.title, title), link = coalesce(excluded.link, link),
		description = coalesce(excluded.description, description), language = coalesce(excluded.language, language),
		pub_date_raw = coalesce(excluded.pub_date_raw, pub_date_raw), wxr_version = coalesce(excluded.wxr_version, wxr_version),
		base_site_url = coalesce(excluded.base_site_url, base_site_url), base_blog_url = coalesce(excluded.base_blog_url, base_blog_url),
		generator = coalesce(excluded.generator, generator), extra_json = coalesce(excluded.extra_json, extra_json),
		last_import_id = excluded.last_import_id
		RETURNING id`,
	author: `INSERT INTO authors (site_id, wp_id, wp_id_raw, login, email, display_name, first_name, last_name, extra_json)
		VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT (site_id, login) DO UPDATE SET
		wp_id = coalesce(excluded.wp_id, wp_id), wp_id_raw = coalesce(excluded.wp_id_raw, wp_id_raw),
		email = coalesce(excluded.email, email), display_name = coalesce(excluded.display_name, display_name),
		first_name = coalesce(excluded.first_name, first_name), last_name = coalesce(excluded.last_name, last_name),
		extra_json = coalesce(excluded.extra_json, extra_json)
		RETURNING id`,
	term: `INSERT INTO terms (site_id, taxonomy, slug, slug_decoded, wp_id, name_raw, name, description, parent_slug, element, extra_json)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (site_id, taxonomy, slug) DO UPDATE SET
		slug_decoded = excluded.slug_decoded, wp_id = coalesce(excluded.wp_id, wp_id),
		name_raw = coalesce(excluded.name_raw, name_raw), name = coalesce(excluded.name, name),
		description = excluded.description, parent_slug = excluded.parent_slug,
		-- WordPress 5+ writes a category or tag twice, as wp:category/wp:tag
		-- and again as wp:term: one term, remembered as defined by both.
		element = CASE WHEN element IS NULL OR element = 'item' THEN excluded.element
			WHEN instr(',' || element || ',', ',' || excluded.element || ',') > 0 THEN element
			ELSE element || ',' || excluded.element END,
		extra_json = excluded.extra_json
		RETURNING id`,
	termmetaDel: `DELETE FROM termmeta WHERE term_id = ?`,
	termGet:     `SELECT id FROM terms WHERE site_id = ? AND taxonomy = ? AND slug = ?`,
	termItem: `INSERT INTO terms (site_id, taxonomy, slug, slug_decoded, name_raw, name, element)
		VALUES (?,?,?,?,?,?,'item') RETURNING id`,
	authorGet: `SELECT id FROM authors WHERE site_id = ? AND login = ?`,
	// The first post stored with a post id, in a fresh site, through the
	// UNIQUE (site_id, wp_key, dup_ordinal) index (see freshParent).
	parentGet: `SELECT id FROM posts WHERE site_id = ? AND wp_key = ? AND dup_ordinal = 0`,
	postGet:   `SELECT id, raw_hash FROM posts WHERE site_id = ? AND wp_key = ? AND dup_ordinal = ?`,
	// The inserts name the new row's id (see Writer.lastPost).
	postIns: `INSERT INTO posts (id, ` + postCols + `) VALUES (?` + strings.Repeat(",?", 44) + `)`,
	// postIns in a fresh site: dup_ordinal is the number of rows of the
	// site with the same wp_key, all of them this import's, found in the
	// UNIQUE (site_id, wp_key, dup_ordinal) index the insert reads anyway.
	// (A "?" after ?2 and ?3 is ?4.)
	postInsFresh: `INSERT INTO posts (id, ` + postCols + `) VALUES (?, ?, ?,
		(SELECT count(*) FROM posts WHERE site_id = ?2 AND wp_key = ?3)` + strings.Repeat(",?", 41) + `)`,
	// The update leaves first_import_id alone and parent_id to Commit.
	postUpd: `UPDATE posts SET wp_id=?, post_type=?, status=?, title=?, link=?, pub_date_raw=?,
		creator=?, author_id=?, guid=?, guid_is_permalink=?, description=?, content=?, excerpt=?,
		date_raw=?, date_gmt_raw=?, date_at=?, modified_raw=?, modified_gmt_raw=?, modified_at=?,
		comment_status=?, ping_status=?, slug=?, slug_decoded=?, parent_raw=?, parent_wp_id=?, parent_id=NULL,
		menu_order=?, password=?, is_sticky=?, attachment_url=?, extra_json=?, lang=?, text=?, search_title=?,
		content_normalized=?, source_file=?, source_line=?, raw_hash=?, last_import_id=?
		WHERE id = ?`,
	ptDel: `DELETE FROM post_terms WHERE post_id = ?`,
	pmDel: `DELETE FROM postmeta WHERE post_id = ?`,
	// commentmeta rows go with their comments (ON DELETE CASCADE).
	cDel: `DELETE FROM comments WHERE post_id = ?`,
	qDel: `DELETE FROM quotes WHERE post_id = ?`,
	cUpse: `INSERT INTO commenters (site_id, identity_key, provider, name, email, url, avatar, foreign_user_id, wpcom_signed, user_id)
		VALUES (?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (site_id, identity_key) DO UPDATE SET
		provider = excluded.provider, name = coalesce(excluded.name, name), email = coalesce(excluded.email, email),
		url = coalesce(excluded.url, url), avatar = coalesce(excluded.avatar, avatar),
		foreign_user_id = coalesce(excluded.foreign_user_id, foreign_user_id),
		wpcom_signed = max(wpcom_signed, excluded.wpcom_signed), user_id = coalesce(excluded.user_id, user_id)
		RETURNING id`,
}

// Child rows (meta, post_terms, quotes) are written with multi-row INSERTs,
// up to maxRows rows per statement: one statement per post instead of one
// per row roughly halves the time an import spends outside SQLite's
// b-trees. A statement for each row count is prepared when first needed.
const maxRows = 32

type multiInsert struct {
	prefix string // INSERT INTO t (cols) VALUES
	cols   int
	stmts  [maxRows + 1]*sqlite3.SQLiteStmt
}

func newMulti(table, cols string) *multiInsert {
	return &multiInsert{prefix: "INSERT INTO " + table + " (" + cols + ") VALUES ", cols: strings.Count(cols, ",") + 1}
}

var (
	termmetaCols    = "term_id, ord, meta_key, meta_value, value_json"
	postmetaCols    = "post_id, ord, meta_key, meta_value, value_json"
	commentmetaCols = "comment_id, ord, meta_key, meta_value, value_json"
	postTermCols    = "post_id, ord, term_id, domain, nicename, name"
	commentCols     = `id, post_id, wp_key, dup_ordinal, wp_id, author, author_email, author_url, author_ip,
		date_raw, date_gmt_raw, date_at, content, approved_raw, status, type_raw, kind, parent_raw, parent_wp_id,
		parent_id, depth, orphan, user_id, commenter_id, provider, text, ping_url, ping_domain, ping_title,
		ping_excerpt, extra_json, ping_blog_name`
	quoteCols = `id, post_id, ord, kind, tag, lang, script, raw, normalized, search_text,
		translation_ord, translation, repeat_of_ord, fixes_json`
)

// insertRows inserts the rows whose values args holds, m.cols per row. It
// runs inside onConn.
func (w *Writer) insertRows(m *multiInsert, args vals) error {
	return m.exec(args, w.prep)
}

// exec inserts the rows whose values args holds, m.cols per row,
// preparing a statement the first time it needs it with prepare (which
// stores it in dst).
func (m *multiInsert) exec(args vals, prepare func(dst **sqlite3.SQLiteStmt, q string) (*sqlite3.SQLiteStmt, error)) error {
	for len(args) > 0 {
		// A power of two of rows: statements for 1, 2, 4 … 32 rows
		// only, not one for each count up to 32. Each prepared
		// statement keeps its program and a cell per parameter in
		// SQLite's memory; with a statement for every count the 200 MB
		// export's import held 4-5 MB more at its peak (105-107 against
		// 101-102 MB, 3 alternated runs each), for no gain in CPU
		// (9.7-10.1 s user against 9.5-10.0 s).
		n := min(len(args)/m.cols, maxRows)
		n = 1 << (bits.Len(uint(n)) - 1)
		st := m.stmts[n]
		if st == nil {
			row := "(?" + strings.Repeat(",?", m.cols-1) + ")"
			q := m.prefix + row + strings.Repeat(","+row, n-1)
			var err error
			if st, err = prepare(&m.stmts[n], q); err != nil {
				return err
			}
		}
		part := args[:n*m.cols]
		if part[0].Ordinal != 1 {
			// A statement after the first: its parameters count from 1.
			for i := range part {
				part[i].Ordinal = i + 1
			}
		}
		if err := execStmt(st, part); err != nil {
			return err
		}
		args = args[n*m.cols:]
	}
	return nil
}

// ErrClosed is returned by a Writer's methods after Commit or Rollback.
var ErrClosed = errors.New("archive: import already committed or rolled back")

// errNoSite is returned when rows are added before SetSite.
var errNoSite = errors.New("archive: SetSite must come before authors, terms and posts")

// BeginImport starts an import: one write transaction for the whole export,
// so a failed or killed import leaves the archive as it was. If another
// import holds the archive, it waits (calling opts.OnWait once) until that
// one ends or ctx is done. Only one Writer per Archive can be open at a
// time; a second BeginImport on the same Archive waits like one from
// another process.
func (a *Archive) BeginImport(ctx context.Context, opts ImportOptions) (*Writer, error) {
	if a.readOnly {
		return nil, fmt.Errorf("begin import in %s: archive opened read-only", a.path)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import in %s: %w", a.path, err)
	}
	tx, err := beginWaiting(ctx, conn, opts.OnWait)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin import in %s: %w", a.path, err)
	}
	w := &Writer{
		a: a, conn: conn, tx: tx, now: now, started: now().UTC(),
		sites:       map[int64]bool{},
		dups:        map[int64]map[string]int{},
		authors:     map[int64]map[string]sql.NullInt64{},
		terms:       map[termKey]int64{},
		commenters:  map[identity]commenterSeen{},
		provIndex:   map[string]uint32{},
		idSeeds:     [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		fresh:       map[int64]bool{},
		oddKeys:     map[int64]bool{},
		seenAuthors: map[int64]bool{},
		seenTerms:   map[int64]termSeen{},

		termmeta:    newMulti("termmeta", termmetaCols),
		postmeta:    newMulti("postmeta", postmetaCols),
		comments:    newMulti("comments", commentCols),
		commentmeta: newMulti("commentmeta", commentmetaCols),
		postTerms:   newMulti("post_terms", postTermCols),
		quotes:      newMulti("quotes", quoteCols),
	}
	w.sum = ImportSummary{
		PostsByType: map[string]int{}, PostsByStatus: map[string]int{},
		CommentsByKind: map[string]int{}, CommentsByStatus: map[string]int{},
		TermsByTaxonomy: map[string]int{}, CommentersByProvider: map[string]int{},
	}
	fail := func(err error) (*Writer, error) {
		w.Rollback()
		return nil, fmt.Errorf("begin import in %s: %w", a.path, err)
	}
	// The _imports row is written first so rows can name their import;
	// Commit fills in the rest.
	res, err := tx.ExecContext(ctx, `INSERT INTO _imports (started_at, sources, sha256, bytes) VALUES (?, '[]', '', 0)`,
		isoTime(w.started))
	if err != nil {
		return fail(err)
	}
	if w.importID, err = res.LastInsertId(); err != nil {
		return fail(err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM comments), (SELECT coalesce(max(id), 0) FROM posts),
			(SELECT coalesce(max(id), 0) FROM quotes)`).Scan(&w.lastComment, &w.lastPost, &w.lastQuote); err != nil {
		return fail(err)
	}
	if err := w.deferIndexes(ctx); err != nil {
		return fail(err)
	}
	if !w.bulk {
		// Only a first import may run without foreign keys (Create): a
		// later one updates and deletes, which cascades to child rows.
		var fk bool
		if err := tx.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			return fail(err)
		}
		if !fk {
			return fail(errors.New("archive: foreign keys are off, and the archive holds posts"))
		}
	}
	if err := w.prepare(ctx); err != nil {
		return fail(err)
	}
	return w, nil
}

// bulkTables are the tables an import fills row by row.
const bulkTables = `'posts', 'post_terms', 'postmeta', 'comments', 'commentmeta', 'quotes'`

// deferIndexes drops, when the archive holds no posts, the secondary
// indexes of the tables an import fills, for FlushSearchIndex or Commit to
// create again from the finished tables (rebuildIndexes): SQLite then sorts each index once instead of
// inserting into it row by row, and the import dirties (and journals, per
// statement) far fewer pages. With 16 MiB of page cache this took the
// 200 MB export's import from 27.0 to 23.0 s of CPU (BENCHMARKS.md).
// UNIQUE indexes stay, because they decide the upserts and reject a
// duplicate key when its row arrives; so does posts_wp_id, which Commit's
// linking of parents reads. An archive that already holds posts keeps
// every index: building them again would cost in proportion to the
// archive, not to the import. Readers are not affected: they see the
// archive as last committed, and a rollback (or a killed process) undoes
// the drops with everything else.
func (w *Writer) deferIndexes(ctx context.Context) error {
	if err := w.tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM posts)`).Scan(&w.bulk); err != nil {
		return fmt.Errorf("read archive size: %w", err)
	}
	if !w.bulk {
		return nil
	}
	return w.dropForBulk(ctx, `type = 'index' AND tbl_name IN (`+bulkTables+`)
		AND name != 'posts_wp_id' AND upper(sql) NOT LIKE 'CREATE UNIQUE%'`)
}

// rebuildIndexes creates the indexes and triggers deferIndexes and
// DeferSearchIndex dropped, from the rows the import wrote, once the import
// has written its last row: before the statements that end an import
// (FlushSearchIndex's, Commit's), which may need any of them.
func (w *Writer) rebuildIndexes(ctx context.Context) error {
	for _, q := range w.rebuild {
		if _, err := w.tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	w.rebuild = nil
	return nil
}

// dropForBulk drops the schema objects that where selects (all with a
// CREATE statement in sqlite_schema) and keeps their SQL for Commit.
func (w *Writer) dropForBulk(ctx context.Context, where string) error {
	rows, err := w.tx.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND `+where+` ORDER BY rowid`)
	if err != nil {
		return fmt.Errorf("defer indexes: %w", err)
	}
	var drop []string
	for rows.Next() {
		var typ, name, q string
		if err := rows.Scan(&typ, &name, &q); err != nil {
			rows.Close()
			return fmt.Errorf("defer indexes: %w", err)
		}
		drop = append(drop, `DROP `+strings.ToUpper(typ)+` "`+strings.ReplaceAll(name, `"`, `""`)+`"`)
		w.rebuild = append(w.rebuild, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("defer indexes: %w", err)
	}
	for _, q := range drop {
		if _, err := w.tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("defer indexes: %w", err)
		}
	}
	return nil
}

// beginWaiting starts an IMMEDIATE transaction on conn, retrying while
// another connection holds the write lock. The first try does not wait, so
// onWait is called at once; later tries wait a quarter second each inside
// SQLite, so a cancelled ctx is noticed quickly.
func beginWaiting(ctx context.Context, conn *sql.Conn, onWait func()) (*sql.Tx, error) {
	setTimeout := func(ms int) error {
		_, err := conn.ExecContext(context.Background(), fmt.Sprintf("PRAGMA busy_timeout = %d", ms))
		return err
	}
	if err := setTimeout(0); err != nil {
		return nil, err
	}
	defer setTimeout(busyTimeoutMS)
	for waited := false; ; waited = true {
		// The DSN's _txlock=immediate makes this BEGIN IMMEDIATE: the
		// write lock is taken now, not at the first write, so two imports
		// queue here instead of failing later with "database is locked".
		tx, err := conn.BeginTx(ctx, nil)
		if err == nil {
			return tx, nil
		}
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != sqlite3.ErrBusy {
			return nil, err
		}
		if !waited {
			if onWait != nil {
				onWait()
			}
			if err := setTimeout(250); err != nil {
				return nil, err
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("waiting for another import to finish: %w", err)
		}
	}
}

func (w *Writer) prepare(ctx context.Context) error {
	var err error
	p := func(dst **sql.Stmt, q string) {
		if err != nil {
			return
		}
		*dst, err = w.tx.PrepareContext(ctx, q)
		if err != nil {
			err = fmt.Errorf("prepare %.40s…: %w", strings.Join(strings.Fields(q), " "), err)
		}
	}
	s, q := &w.st, &sqlText
	p(&s.site, q.site)
	p(&s.author, q.author)
	return err
}

// stmtContext returns ctx without its cancellation, or ctx's error if it
// is already done. Statements of the hot path run with it: go-sqlite3
// starts a goroutine per statement to watch a cancellable context, which
// costs more than the statement itself. Cancellation still works: the
// methods check ctx first, and database/sql rolls the transaction back when
// the ctx given to BeginImport is done.
func stmtContext(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// ImportID returns the id of this import's _imports row.
func (w *Writer) ImportID() int64 { return w.importID }

// SetSite upserts the sites row with key s.Key and makes it the site of the
// rows added after it. Each part of a multi-part export calls it again with
// the same key and gets the same row; fields a later part leaves empty keep
// their stored value.
func (w *Writer) SetSite(ctx context.Context, s *Site) error {
	if w.done {
		return ErrClosed
	}
	ctx, err := stmtContext(ctx)
	if err != nil {
		return err
	}
	if strings.TrimSpace(s.Key) == "" {
		return errors.New("archive: site without a key")
	}
	var id int64
	err = w.st.site.QueryRowContext(ctx,
		s.Key, null(s.Title), null(s.Link), null(s.Description), null(s.Language), null(s.PubDateRaw),
		null(s.WXRVersion), null(s.BaseSiteURL), null(s.BaseBlogURL), null(s.Generator), extraJSON(s.Extra),
		w.importID, w.importID).Scan(&id)
	if err != nil {
		return fmt.Errorf("store site %s: %w", s.Key, err)
	}
	w.siteID, w.siteKey = id, s.Key
	w.sites[id] = true
	w.sum.Site = s.Key
	if w.dups[id] == nil {
		w.dups[id] = map[string]int{}
		w.authors[id] = map[string]sql.NullInt64{}
		var any int
		if err := w.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM posts WHERE site_id = ?)`, id).Scan(&any); err != nil {
			return fmt.Errorf("store site %s: %w", s.Key, err)
		}
		w.fresh[id] = any == 0
	}
	return nil
}

// AddAuthor upserts an author of the current site by login.
func (w *Writer) AddAuthor(ctx context.Context, au *Author) error {
	if w.done {
		return ErrClosed
	}
	ctx, err := stmtContext(ctx)
	if err != nil {
		return err
	}
	if w.siteID == 0 {
		return errNoSite
	}
	login := strings.TrimSpace(au.Login)
	var id int64
	err = w.st.author.QueryRowContext(ctx, w.siteID, parseInt(au.WPID), null(au.WPID), login,
		null(au.Email), null(au.DisplayName), null(au.FirstName), null(au.LastName), extraJSON(au.Extra)).Scan(&id)
	if err != nil {
		return fmt.Errorf("store author %q (line %d): %w", login, au.Line, err)
	}
	w.authors[w.siteID][login] = sql.NullInt64{Int64: id, Valid: true}
	w.seenAuthors[id] = true
	return nil
}

// taxonomy maps WXR 1.0's item domain "tag" to the taxonomy name.
func taxonomy(s string) string {
	s = strings.TrimSpace(s)
	if s == "tag" {
		return "post_tag"
	}
	return s
}

// decodeSlug percent-decodes a slug for display; a slug that is not valid
// percent-encoding is returned as it is.
func decodeSlug(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	d, err := url.PathUnescape(s)
	if err != nil {
		return s
	}
	return d
}

// AddTerm upserts a term of the current site by taxonomy and slug and
// replaces its termmeta. Name is stored as exported (name_raw) and
// HTML-unescaped (name); the parent is resolved by slug at Commit.
func (w *Writer) AddTerm(ctx context.Context, t *Term) error {
	if w.done {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if w.siteID == 0 {
		return errNoSite
	}
	tax, slug := taxonomy(t.Taxonomy), strings.TrimSpace(t.Slug)
	var id int64
	if err := w.onConn(func() error {
		st, err := w.prep(&w.ds.term, sqlText.term)
		if err != nil {
			return err
		}
		a := w.args[:0]
		a.i64(w.siteID)
		a.str(tax)
		a.str(slug)
		a.text(decodeSlug(slug))
		a.value(parseInt(t.WPID))
		a.text(t.Name)
		if t.Name != "" {
			a.str(html.UnescapeString(t.Name))
		} else {
			a.null()
		}
		a.text(t.Description)
		a.text(strings.TrimSpace(t.Parent))
		a.text(t.Element)
		a.value(extraJSON(t.Extra))
		w.args = a
		if id, _, err = queryInt(st, a); err != nil {
			return fmt.Errorf("store term %s/%s (line %d): %w", tax, slug, t.Line, err)
		}
		if st, err = w.prep(&w.ds.termmetaDel, sqlText.termmetaDel); err != nil {
			return err
		}
		a = a[:0]
		a.i64(id)
		if err := execStmt(st, a); err != nil {
			return fmt.Errorf("store term %s/%s: %w", tax, slug, err)
		}
		a = a[:0]
		for i, m := range t.Meta {
			a.i64(id)
			a.num(i)
			a.str(m.Key)
			a.str(m.Value)
			a.text(m.JSON)
		}
		w.args = a
		if err := w.insertRows(w.termmeta, a); err != nil {
			return fmt.Errorf("store termmeta of %s/%s: %w", tax, slug, err)
		}
		return nil
	}); err != nil {
		return err
	}
	w.terms[termKey{w.siteID, tax, slug}] = id
	w.seenTerms[id] = termSeen{taxonomy: tax, meta: len(t.Meta)}
	return nil
}

// termID finds the term an item refers to, creating it (element 'item')
// when the channel did not define it. It runs inside onConn and returns
// the id as an int64, or nil for a term without a slug.
func (w *Writer) termID(pt *PostTerm) (any, error) {
	slug := strings.TrimSpace(pt.Nicename)
	if slug == "" {
		// WXR 1.0 repeats every category without nicename; the row is
		// kept for fidelity but names no term.
		return nil, nil
	}
	k := termKey{w.siteID, taxonomy(pt.Domain), slug}
	if id, ok := w.terms[k]; ok {
		return id, nil
	}
	id, err := w.findOrAddTerm(k, pt)
	if err != nil {
		return nil, fmt.Errorf("term %s/%s: %w", k.taxonomy, k.slug, err)
	}
	w.terms[k] = id
	return id, nil
}

func (w *Writer) findOrAddTerm(k termKey, pt *PostTerm) (int64, error) {
	st, err := w.prep(&w.ds.termGet, sqlText.termGet)
	if err != nil {
		return 0, err
	}
	var a vals
	a.i64(k.site)
	a.str(k.taxonomy)
	a.str(k.slug)
	id, found, err := queryInt(st, a)
	if err != nil || found {
		return id, err
	}
	if st, err = w.prep(&w.ds.termItem, sqlText.termItem); err != nil {
		return 0, err
	}
	a.text(decodeSlug(k.slug))
	a.text(pt.Name)
	if pt.Name != "" {
		a.str(html.UnescapeString(pt.Name))
	} else {
		a.null()
	}
	if id, _, err = queryInt(st, a); err != nil {
		return 0, err
	}
	w.sum.TermsCreated++
	return id, nil
}

// authorID returns the id of the author with the login, as an int64, or
// nil when the site has none (yet). It runs inside onConn.
func (w *Writer) authorID(login string) (any, error) {
	login = strings.TrimSpace(login)
	if login == "" {
		return nil, nil
	}
	m := w.authors[w.siteID]
	id, ok := m[login]
	if !ok {
		st, err := w.prep(&w.ds.authorGet, sqlText.authorGet)
		if err != nil {
			return nil, err
		}
		var a vals
		a.i64(w.siteID)
		a.str(login)
		n, found, err := queryInt(st, a)
		if err != nil {
			return nil, fmt.Errorf("author %q: %w", login, err)
		}
		// Not found is remembered too (NULL); Commit links posts to
		// authors that a later part defines.
		id = sql.NullInt64{Int64: n, Valid: found}
		m[login] = id
	}
	if !id.Valid {
		return nil, nil
	}
	return id.Int64, nil
}

// commentPlan is what AddPost works out about a post's comments before
// writing: keys, threading and depth.
type commentPlan struct {
	wpKey    string
	dup      int
	wpID     any // int64 or nil
	parentWP any
	parent   int // index of the parent comment, -1 for none
	depth    int
	orphan   bool
}

// planComments keys the comments like posts (wp_key, dup_ordinal), finds
// each reply's parent among the post's comments (the first comment with
// that id), and computes depths. A cycle of parents (a comment replying to
// itself, or a loop) is broken at its first comment in file order, which is
// treated as top level.
func (w *Writer) planComments(cs []Comment) []commentPlan {
	plan := w.plan[:0]
	dups := map[string]int{}
	first := map[int64]int{}
	for i := range cs {
		c := &cs[i]
		k := strings.TrimSpace(c.WPID)
		p := commentPlan{wpKey: k, dup: dups[k], wpID: parseInt(c.WPID), parentWP: parseInt(c.ParentRaw), parent: -1, depth: -1}
		dups[k]++
		if id, ok := p.wpID.(int64); ok {
			if _, seen := first[id]; !seen {
				first[id] = i
			}
		}
		plan = append(plan, p)
	}
	for i := range plan {
		pw, ok := plan[i].parentWP.(int64)
		if !ok || pw <= 0 {
			continue
		}
		j, found := first[pw]
		switch {
		case !found:
			plan[i].orphan = true
		case j != i:
			plan[i].parent = j
		}
	}
	// Depths, walking up each chain once. state: 0 new, 1 on the current
	// path, 2 done.
	state := make([]byte, len(plan))
	path := make([]int, 0, 8)
	for i := range plan {
		for state[i] != 2 {
			path = path[:0]
			j := i
			for j >= 0 && state[j] == 0 {
				state[j] = 1
				path = append(path, j)
				j = plan[j].parent
			}
			if j >= 0 && state[j] == 1 {
				// A cycle: j is on the path. Break it at its earliest
				// member and walk again.
				low := j
				for k := len(path) - 1; k >= 0; k-- {
					if path[k] < low {
						low = path[k]
					}
					if path[k] == j {
						break
					}
				}
				plan[low].parent = -1
				for _, k := range path {
					state[k] = 0
				}
				continue
			}
			d := -1
			if j >= 0 {
				d = plan[j].depth
			}
			for k := len(path) - 1; k >= 0; k-- {
				d++
				plan[path[k]].depth = d
				state[path[k]] = 2
			}
		}
	}
	w.plan = plan
	return plan
}

// AddPost stores one item of the current site. The item is keyed by
// (site, wp_key, dup_ordinal), where dup_ordinal counts the earlier items
// of this import with the same wp_key, so repeated post ids stay apart and
// a re-import finds each row again. A row with the same non-empty raw hash
// is left untouched (Unchanged); one with another hash is rewritten with
// its terms, meta, comments and quotes (Updated); otherwise the item is
// inserted (Inserted). The post's parent is linked at Commit.
func (w *Writer) AddPost(ctx context.Context, p *Post) (PostResult, error) {
	if w.done {
		return 0, ErrClosed
	}
	if w.siteID == 0 {
		return 0, errNoSite
	}
	ctx, err := stmtContext(ctx)
	if err != nil {
		return 0, err
	}
	wpKey := strings.TrimSpace(p.WPID)
	dup := -1 // counted by postInsFresh
	if !w.fresh[w.siteID] {
		dup = w.dups[w.siteID][wpKey]
		w.dups[w.siteID][wpKey]++
	}
	plan := w.planComments(p.Comments)
	w.count(p, plan)

	var res PostResult
	err = w.onConn(func() error {
		var err error
		res, err = w.addPost(p, wpKey, dup, plan)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store item %q (%s line %d): %w", wpKey, p.File, p.Line, err)
	}
	if w.side != nil {
		if w.side.full() {
			if err := w.side.send(); err != nil {
				return 0, err
			}
		}
	} else if w.ftsPending >= ftsChunkBytes {
		if err := w.indexSearchChunk(ctx); err != nil {
			return 0, err
		}
	}
	switch res {
	case Inserted:
		w.sum.Inserted++
	case Updated:
		w.sum.Updated++
	case Unchanged:
		w.sum.Unchanged++
	}
	return res, nil
}

func (w *Writer) count(p *Post, plan []commentPlan) {
	s := &w.sum
	s.Posts++
	s.PostsByType[p.PostType]++
	s.PostsByStatus[p.Status]++
	s.PostMeta += len(p.Meta)
	s.Comments += len(p.Comments)
	for i := range p.Comments {
		c := &p.Comments[i]
		s.CommentsByKind[c.Derived.Kind]++
		s.CommentsByStatus[c.Derived.Status]++
		s.CommentMeta += len(c.Meta)
		if plan[i].orphan {
			s.Orphans++
		}
		if c.Derived.IdentityKey != "" {
			w.seeCommenter(c.Derived.IdentityKey, c.Derived.Provider)
		}
	}
}

func (w *Writer) addPost(p *Post, wpKey string, dup int, plan []commentPlan) (PostResult, error) {
	var (
		id   int64
		hash []byte
	)
	exists := false
	if !w.fresh[w.siteID] {
		st, err := w.prep(&w.ds.postGet, sqlText.postGet)
		if err != nil {
			return 0, err
		}
		var a vals
		a.i64(w.siteID)
		a.str(wpKey)
		a.num(dup)
		dest := w.dest[:2]
		if exists, err = queryRow(st, a, dest); err != nil {
			return 0, err
		}
		if exists {
			id, _ = dest[0].(int64)
			hash, _ = dest[1].([]byte)
		}
	}
	if exists && len(p.RawHash) > 0 && bytes.Equal(hash, p.RawHash) {
		return Unchanged, nil
	}
	author, err := w.authorID(p.Creator)
	if err != nil {
		return 0, err
	}
	d := &p.Derived
	// The values common to insert and update, in postUpd's order; the
	// insert has parent_id after parent_wp_id.
	common := func(a *vals, parentID bool, parent any) {
		a.value(parseInt(p.WPID))
		a.str(p.PostType)
		a.str(p.Status)
		a.str(p.Title)
		a.str(p.Link)
		a.str(p.PubDateRaw)
		a.str(p.Creator)
		a.value(author)
		a.str(p.GUID)
		a.str(p.GUIDIsPermaLink)
		a.str(p.Description)
		a.str(p.Content)
		a.str(p.Excerpt)
		a.str(p.DateRaw)
		a.str(p.DateGMTRaw)
		a.text(d.DateAt)
		a.str(p.ModifiedRaw)
		a.str(p.ModifiedGMTRaw)
		a.text(d.ModifiedAt)
		a.str(p.CommentStatus)
		a.str(p.PingStatus)
		a.str(p.Slug)
		a.text(d.SlugDecoded)
		a.str(p.ParentRaw)
		a.value(parseInt(p.ParentRaw))
		if parentID {
			a.value(parent)
		}
		a.value(parseInt(p.MenuOrderRaw))
		a.str(p.Password)
		a.value(parseInt(p.IsStickyRaw))
		a.str(p.AttachmentURL)
		a.value(extraJSON(p.Extra))
		a.text(d.Lang)
		a.text(d.Text)
		a.text(d.SearchTitle)
		a.text(d.ContentNormal)
		a.text(p.File)
		a.num(p.Line)
		if len(p.RawHash) > 0 {
			a.add(p.RawHash)
		} else {
			a.null()
		}
	}
	// In a fresh site every post is new: its parent, if stored already,
	// is linked now.
	var parent any
	if dup < 0 {
		if parent, err = w.freshParent(p, wpKey, w.lastPost+1); err != nil {
			return 0, err
		}
	}
	a := w.args[:0]
	result := Inserted
	if exists {
		result = Updated
		st, err := w.prep(&w.ds.postUpd, sqlText.postUpd)
		if err != nil {
			return 0, err
		}
		common(&a, false, nil)
		a.i64(w.importID)
		a.i64(id)
		if err := execStmt(st, a); err != nil {
			return 0, err
		}
		// Not in an import into an archive without posts, which alone
		// has a side index; should it happen, the Writer indexes, and
		// prepareDerived prepares.
		w.dropSide()
		w.rewrote = true
		for _, del := range []struct {
			st **sqlite3.SQLiteStmt
			q  string
		}{{&w.ds.ptDel, sqlText.ptDel}, {&w.ds.pmDel, sqlText.pmDel}, {&w.ds.cDel, sqlText.cDel}, {&w.ds.qDel, sqlText.qDel}} {
			st, err := w.prep(del.st, del.q)
			if err != nil {
				return 0, err
			}
			a = a[:0]
			a.i64(id)
			if err := execStmt(st, a); err != nil {
				return 0, err
			}
		}
	} else {
		// Insert order: postCols.
		var st *sqlite3.SQLiteStmt
		if dup >= 0 {
			st, err = w.prep(&w.ds.postIns, sqlText.postIns)
		} else {
			st, err = w.prep(&w.ds.postInsFresh, sqlText.postInsFresh)
		}
		if err != nil {
			return 0, err
		}
		id = w.lastPost + 1
		a.i64(id)
		a.i64(w.siteID)
		a.str(wpKey)
		if dup >= 0 {
			a.num(dup)
		}
		common(&a, true, parent)
		a.i64(w.importID)
		a.i64(w.importID)
		cjk := excerptCJK(p.Excerpt)
		a.value(cjk)
		if err := execStmt(st, a); err != nil {
			return 0, err
		}
		w.lastPost = id
		w.ftsPending += len(d.SearchTitle) + len(d.Text) + len(p.Excerpt)
		if w.side != nil {
			// search_excerpt: coalesce(excerpt_cjk, excerpt)
			excerpt, ok := cjk.(string)
			if !ok {
				excerpt = p.Excerpt
			}
			w.side.add(sidePosts, id, d.SearchTitle, d.Text, excerpt)
		}
	}

	a = a[:0]
	for i := range p.Terms {
		pt := &p.Terms[i]
		tid, err := w.termID(pt)
		if err != nil {
			return 0, err
		}
		a.i64(id)
		a.num(i)
		a.value(tid)
		a.str(pt.Domain)
		a.text(pt.Nicename)
		a.str(pt.Name)
	}
	if err := w.insertRows(w.postTerms, a); err != nil {
		return 0, fmt.Errorf("post terms: %w", err)
	}
	a = a[:0]
	for i, m := range p.Meta {
		a.i64(id)
		a.num(i)
		a.str(m.Key)
		a.str(m.Value)
		a.text(m.JSON)
	}
	if err := w.insertRows(w.postmeta, a); err != nil {
		return 0, fmt.Errorf("postmeta: %w", err)
	}
	w.args = a
	if err := w.addComments(id, p.Comments, plan); err != nil {
		return 0, err
	}
	a = w.args[:0]
	for i := range d.Quotes {
		q := &d.Quotes[i]
		w.lastQuote++
		a.i64(w.lastQuote)
		a.i64(id)
		a.num(q.Ord)
		a.str(q.Kind)
		a.text(q.Tag)
		a.text(q.Lang)
		a.text(q.Script)
		a.str(q.Raw)
		a.str(q.Normalized)
		search := SearchText(q.Normalized)
		a.str(search)
		if w.side != nil {
			w.side.add(sideQuotes, w.lastQuote, search)
		}
		a.value(ordOrNull(q.TranslationOf))
		a.text(q.Translation)
		a.value(ordOrNull(q.RepeatOf))
		if len(q.Fixes) > 0 {
			b, err := json.Marshal(q.Fixes)
			if err != nil {
				return 0, err
			}
			a.str(string(b))
		} else {
			a.null()
		}
		w.ftsPending += len(q.Normalized)
	}
	w.args = a
	if err := w.insertRows(w.quotes, a); err != nil {
		return 0, fmt.Errorf("quotes: %w", err)
	}
	return result, nil
}

// excerptCJK is posts.excerpt_cjk of a new post: its excerpt as
// SearchText prepares it, or NULL when that changes nothing, as
// prepareDerived computes it for the rows it prepares.
func excerptCJK(excerpt string) any {
	if s := SearchText(excerpt); s != excerpt {
		return s
	}
	return nil
}

// pingBlogName is comments.ping_blog_name of a new comment: a
// trackback's blog name (its author) with HTML entities decoded, as
// prepareDerived computes it.
func pingBlogName(c *Comment) any {
	if c.Derived.Kind != "trackback" {
		return nil
	}
	return null(strings.TrimSpace(html.UnescapeString(c.Author)))
}

// ftsChunkBytes is how much indexed text (posts' title, text and
// excerpt, comments' text and author, quotes) the Writer adds before it
// indexes the new rows for search (indexSearchChunk). While a chunk is
// indexed the Writer takes no batch, and the goroutines before it stop
// once the two batches queued at each hand-off are full (about 0.09 s of
// their work on the 200 MB export): a chunk of 1 MB takes about 0.06 s, one
// of 4 MB about 0.25 s, which left the other core idle for the rest.
// 1 MB is also the size at which FTS5 writes its pending terms out as a
// segment anyway. 200 MB export, 5 runs each under load 3-4: wall median
// 19.1 s with 4 MB chunks, 17.8 s with 1 MB; CPU the same (17.9, 17.7 s);
// 512 KB chunks cost more CPU (18.7-19.0 s).
var ftsChunkBytes = 1 << 20

// ftsChunk is the state of one search table for indexSearchChunk.
type ftsChunk struct {
	table    string
	mark     int64     // rows above it are not indexed yet
	max, ins *sql.Stmt // largest id; index the rows of an id range
	upd      *sql.Stmt // move the mark
}

// indexSearchChunk indexes for search the rows the import added since the
// last chunk, in one INSERT … SELECT per table, and moves each table's
// deferral mark (see deferSearchIndex) past them: FlushSearchIndex then
// indexes only the rows above the last mark, and the rows below it are
// kept in step by the update and delete triggers like any indexed row.
// Indexing as the import goes keeps the one SQLite connection busy
// while the other goroutines parse, instead of leaving all of it to the
// end of the import, where it ran alone on one core. Chunks of a few MB
// of text give FTS5 segments of about the size its pending-terms buffer
// would flush anyway; into an empty archive, they are merged once at the
// end (beginFTSBuild). It does nothing unless DeferSearchIndex marked the
// tables: without marks the triggers index every row.
//
// The derived columns the index reads that SQL cannot compute
// (posts.excerpt_cjk, comments.ping_blog_name: see prepareDerived) are
// written with each new row, so the rows a chunk indexes are complete.
func (w *Writer) indexSearchChunk(ctx context.Context) error {
	w.ftsPending = 0
	if w.ftsOff {
		return nil
	}
	if w.fts == nil {
		for _, t := range searchTables {
			c := ftsChunk{table: t.table}
			err := w.tx.QueryRowContext(ctx, `SELECT value FROM _settings WHERE key = ?`, "fts_deferred_"+t.table).Scan(&c.mark)
			if errors.Is(err, sql.ErrNoRows) {
				w.ftsOff = true
				return nil
			}
			if err != nil {
				return fmt.Errorf("index %s for search: %w", t.table, err)
			}
			for _, p := range []struct {
				dst **sql.Stmt
				q   string
			}{
				{&c.max, `SELECT coalesce(max(id), 0) FROM ` + t.table},
				{&c.ins, `INSERT INTO ` + t.table + `_fts (rowid, ` + t.cols + `) SELECT id, ` + t.cols + ` FROM ` + t.table + ` WHERE id > ? AND id <= ?`},
				{&c.upd, `UPDATE _settings SET value = ? WHERE key = 'fts_deferred_` + t.table + `'`},
			} {
				if *p.dst, err = w.tx.PrepareContext(ctx, p.q); err != nil {
					return fmt.Errorf("index %s for search: %w", t.table, err)
				}
			}
			w.fts = append(w.fts, c)
		}
	}
	for i := range w.fts {
		c := &w.fts[i]
		var hi int64
		if err := c.max.QueryRowContext(ctx).Scan(&hi); err != nil {
			return fmt.Errorf("index %s for search: %w", c.table, err)
		}
		if hi <= c.mark {
			continue
		}
		if _, err := c.ins.ExecContext(ctx, c.mark, hi); err != nil {
			return fmt.Errorf("index %s for search: %w", c.table, err)
		}
		if _, err := c.upd.ExecContext(ctx, hi); err != nil {
			return fmt.Errorf("index %s for search: %w", c.table, err)
		}
		c.mark = hi
	}
	return nil
}

// addComments writes a post's comments with multi-row INSERTs. Their ids
// are given, not left to SQLite: the import holds the write lock, so ids
// after the largest one at BeginImport are free, and a reply can name its
// parent's id even when the parent comes later in the file. Rows go in
// parents-first order (by depth, then file order), so that every parent_id
// already exists when its foreign key is checked; the ids follow file
// order.
func (w *Writer) addComments(postID int64, cs []Comment, plan []commentPlan) error {
	if len(cs) == 0 {
		return nil
	}
	ids := w.ids[:0]
	for i := range cs {
		ids = append(ids, w.lastComment+1+int64(i))
	}
	w.lastComment += int64(len(cs))
	w.ids = ids
	order := w.order[:0]
	for i := range cs {
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool { return plan[order[a]].depth < plan[order[b]].depth })
	w.order = order

	a := w.args[:0]
	for _, i := range order {
		c, pl := &cs[i], &plan[i]
		d := &c.Derived
		commenter, err := w.commenter(c)
		if err != nil {
			return err
		}
		a.i64(ids[i])
		a.i64(postID)
		a.str(pl.wpKey)
		a.num(pl.dup)
		a.value(pl.wpID)
		a.str(c.Author)
		a.str(c.AuthorEmail)
		a.str(c.AuthorURL)
		a.str(c.AuthorIP)
		a.str(c.DateRaw)
		a.str(c.DateGMTRaw)
		a.text(d.DateAt)
		a.str(c.Content)
		a.str(c.ApprovedRaw)
		a.text(d.Status)
		a.str(c.TypeRaw)
		a.text(d.Kind)
		a.str(c.ParentRaw)
		a.value(pl.parentWP)
		if pl.parent >= 0 {
			a.i64(ids[pl.parent])
		} else {
			a.null()
		}
		a.num(pl.depth)
		a.flag(pl.orphan)
		a.value(parseInt(c.UserIDRaw))
		a.value(commenter)
		a.text(d.Provider)
		a.text(d.Text)
		a.text(d.PingURL)
		a.text(d.PingDomain)
		a.text(d.PingTitle)
		a.text(d.PingExcerpt)
		a.value(extraJSON(c.Extra))
		a.value(pingBlogName(c))
		w.ftsPending += len(d.Text) + len(c.Author)
	}
	if w.side != nil {
		// In id order: FTS5 writes out its pending terms as a new
		// segment whenever a rowid is below the last one.
		for i := range cs {
			w.side.add(sideComments, ids[i], cs[i].Derived.Text, cs[i].Author)
		}
	}
	w.args = a
	if err := w.insertRows(w.comments, a); err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	// The meta of all the post's comments in one go.
	a = a[:0]
	for i := range cs {
		for j, m := range cs[i].Meta {
			a.i64(ids[i])
			a.num(j)
			a.str(m.Key)
			a.str(m.Value)
			a.text(m.JSON)
		}
	}
	w.args = a
	if err := w.insertRows(w.commentmeta, a); err != nil {
		return fmt.Errorf("commentmeta: %w", err)
	}
	return nil
}

// commenter upserts the comment's commenter once per import and returns
// its id as an int64, or nil for a comment without an identity. It runs
// inside onConn.
func (w *Writer) commenter(c *Comment) (any, error) {
	d := &c.Derived
	if d.IdentityKey == "" {
		return nil, nil
	}
	k := w.seeCommenter(d.IdentityKey, d.Provider)
	cs := w.commenters[k]
	if cs.id != 0 {
		return cs.id, nil
	}
	email := c.AuthorEmail
	if d.EmailHash != "" {
		email = d.EmailHash
	}
	st, err := w.prep(&w.ds.cUpse, sqlText.cUpse)
	if err != nil {
		return nil, err
	}
	var a vals
	a.i64(w.siteID)
	a.str(d.IdentityKey)
	a.str(d.Provider)
	a.text(c.Author)
	a.text(email)
	a.text(c.AuthorURL)
	a.text(d.Avatar)
	a.text(d.ForeignUserID)
	a.flag(d.WPcomSigned)
	if u, ok := parseInt(c.UserIDRaw).(int64); ok && u != 0 {
		a.i64(u)
	} else {
		a.null()
	}
	id, _, err := queryInt(st, a)
	if err != nil {
		return nil, fmt.Errorf("commenter: %w", err)
	}
	cs.id = id
	w.commenters[k] = cs
	return id, nil
}

// Commit links what could only be linked once the whole export was read —
// posts to their parents (a child may come before its parent, even in
// another part) and authors, terms to their parent terms — writes the
// _imports row and commits. It returns the import's summary. After Commit,
// Rollback is a no-op, so callers may defer it.
func (w *Writer) Commit(ctx context.Context, rec ImportRecord) (ImportSummary, error) {
	if w.done {
		return ImportSummary{}, ErrClosed
	}
	sum, err := w.commit(ctx, rec)
	if err != nil {
		w.Rollback()
		return ImportSummary{}, fmt.Errorf("commit import to %s: %w", w.a.path, err)
	}
	return sum, nil
}

func (w *Writer) commit(ctx context.Context, rec ImportRecord) (ImportSummary, error) {
	tx := w.tx
	if err := w.endSide(ctx); err != nil {
		return ImportSummary{}, err
	}
	// The linking below needs the indexes, if FlushSearchIndex has not
	// built them yet.
	if err := w.rebuildIndexes(ctx); err != nil {
		return ImportSummary{}, err
	}
	// Posts of fresh sites whose parent came after them, or never did
	// (see freshParent).
	if len(w.unlinked) > 0 {
		ids, err := json.Marshal(w.unlinked)
		if err != nil {
			return ImportSummary{}, fmt.Errorf("link post parents: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET parent_id = `+parentOf+`
			WHERE id IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
			return ImportSummary{}, fmt.Errorf("link post parents: %w", err)
		}
	}
	for site := range w.sites {
		// Parents by WordPress id within the site: of this import's posts,
		// and of older posts still waiting for theirs. With repeated ids
		// the first item wins (parentOf).
		// In a fresh site AddPost linked them, but the unlinked above.
		if !w.fresh[site] || w.oddKeys[site] {
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET parent_id = `+parentOf+`
				WHERE site_id = ? AND parent_wp_id > 0 AND (parent_id IS NULL OR last_import_id = ?)`, site, w.importID); err != nil {
				return ImportSummary{}, fmt.Errorf("link post parents: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET author_id = (
				SELECT a.id FROM authors a WHERE a.site_id = posts.site_id AND a.login = trim(posts.creator))
			WHERE site_id = ? AND author_id IS NULL AND creator != ''`, site); err != nil {
			return ImportSummary{}, fmt.Errorf("link post authors: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE terms SET parent_id = (
				SELECT t.id FROM terms t
				WHERE t.site_id = terms.site_id AND t.taxonomy = terms.taxonomy AND t.slug = terms.parent_slug AND t.id != terms.id)
			WHERE site_id = ?`, site); err != nil {
			return ImportSummary{}, fmt.Errorf("link term parents: %w", err)
		}
	}

	s := w.sum
	s.ImportID = w.importID
	s.StartedAt = isoTime(w.started)
	s.Finished = isoTime(w.now().UTC())
	s.Authors = len(w.seenAuthors)
	for _, t := range w.seenTerms {
		s.Terms++
		s.TermsByTaxonomy[t.taxonomy]++
		s.TermMeta += t.meta
	}
	for _, cs := range w.commenters {
		s.Commenters++
		s.CommentersByProvider[w.providers[cs.provider]]++
	}
	sources := rec.Sources
	if sources == nil {
		sources = []Source{}
	}
	var site any
	if w.siteID != 0 {
		site = w.siteID
	}
	jsons := make([]any, 5)
	for i, v := range []any{sources, s, rec.Repairs, rec.Warnings, rec.Options} {
		if v == nil {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return ImportSummary{}, fmt.Errorf("encode import record: %w", err)
		}
		jsons[i] = string(b)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE _imports SET finished_at = ?, sources = ?, sha256 = ?, bytes = ?,
			site_id = ?, counts_json = ?, repairs_json = ?, warnings_json = ?, options_json = ? WHERE id = ?`,
		s.Finished, jsons[0], rec.SHA256, rec.Bytes, site, jsons[1], jsons[2], jsons[3], jsons[4], w.importID); err != nil {
		return ImportSummary{}, fmt.Errorf("write _imports row: %w", err)
	}
	w.closeStmts()
	if err := tx.Commit(); err != nil {
		return ImportSummary{}, err
	}
	w.done = true
	if w.sideCopied {
		// FTS5 keeps an index's structure in memory, per connection,
		// and reloads it only when another connection has written: this
		// connection may hold the structure of the empty indexes that
		// copyInto replaced. It is closed instead of going back to the
		// pool (a driver.ErrBadConn from Raw discards it).
		w.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	w.conn.Close()
	return s, nil
}

// parentOf is a post's parent_id as Commit sets it: the post of its site
// with the WordPress id its parent_wp_id names, other than itself; with
// repeated ids the first item (dup_ordinal, then file order) wins.
const parentOf = `(SELECT p.id FROM posts p
	WHERE p.site_id = posts.site_id AND p.wp_id = posts.parent_wp_id AND p.id != posts.id
	ORDER BY p.dup_ordinal, p.id LIMIT 1)`

// freshParent returns the parent_id of a new post of a fresh site, which
// will have the given id: the parentOf that Commit would find, when the
// parent is stored already. Otherwise it returns nil and leaves the post
// to Commit (unlinked). Linking at insert spares Commit an UPDATE that
// reads every post of the site whole, long text and all: the 200 MB
// export's commit step took 0.21-0.26 s before, 0.02 s after
// (wparchive import --timings, 3 alternated runs of e8664b0 and its
// parent).
//
// It looks the parent up by wp_key, the id as exported, in the UNIQUE
// index; parentOf compares wp_id, the id as a number. The two agree while
// every post id of the site that is a number is written as strconv writes
// it: then wp_id equal means wp_key equal, and of the posts with a key
// the one with dup_ordinal 0 is the first stored. A post stored later
// cannot come before the one found. Once a post id such as "012" turns
// up, Commit links the site's posts instead.
func (w *Writer) freshParent(p *Post, wpKey string, id int64) (any, error) {
	if n, err := strconv.ParseInt(wpKey, 10, 64); err == nil && strconv.FormatInt(n, 10) != wpKey {
		w.oddKeys[w.siteID] = true
	}
	pw, ok := parseInt(p.ParentRaw).(int64)
	if !ok || pw <= 0 || w.oddKeys[w.siteID] {
		return nil, nil
	}
	st, err := w.prep(&w.ds.parentGet, sqlText.parentGet)
	if err != nil {
		return nil, err
	}
	a := w.args[:0]
	a.i64(w.siteID)
	a.str(strconv.FormatInt(pw, 10))
	parent, found, err := queryInt(st, a)
	w.args = a
	if err != nil || found {
		return parent, err
	}
	w.unlinked = append(w.unlinked, id)
	return nil, nil
}

// Rollback abandons the import: the archive keeps nothing of it. It is a
// no-op after Commit or an earlier Rollback.
func (w *Writer) Rollback() error {
	if w.done {
		return nil
	}
	w.done = true
	if w.side != nil {
		w.side.close()
		w.side = nil
	}
	w.closeStmts()
	err := w.tx.Rollback()
	w.conn.Close()
	if err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back import to %s: %w", w.a.path, err)
	}
	return nil
}

// null returns nil (SQL NULL) for "" and s otherwise.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// parseInt returns the trimmed raw value as an int64, or nil (NULL) when it
// is empty or not a number.
func parseInt(raw string) any {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return n
}

func ordOrNull(n int) any {
	if n < 0 {
		return nil
	}
	return n
}

// extraJSON encodes elements without a column, or NULL when there are none.
func extraJSON(es []Element) any {
	if len(es) == 0 {
		return nil
	}
	b, err := json.Marshal(es)
	if err != nil {
		return nil // cannot happen: strings and maps of strings
	}
	return string(b)
}

// isoTime formats t as ISO 8601 UTC with second precision.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
