package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/wparchive/wparchive/schema"
)

// ReadOnlyError is returned by Query for SQL that would change the
// archive. Error returns one line that says what was refused.
type ReadOnlyError struct {
	Action string // what the SQL would do: "DELETE", "INSERT", "PRAGMA query_only=0" …
	Object string // the table or object, when known
}

func (e *ReadOnlyError) Error() string {
	what := e.Action
	if e.Object != "" {
		what += " on " + e.Object
	}
	return fmt.Sprintf("the archive is read-only here, and this SQL would change something (%s): only queries run (SELECT, WITH, VALUES, EXPLAIN, and PRAGMAs that read)", what)
}

// Rows is the result of Query, read one row at a time like *sql.Rows.
// Close it when done.
type Rows struct {
	rows  *sql.Rows
	conn  *sql.Conn
	guard *guard
	cols  []string
	vals  []any
	ptrs  []any
	err   error
}

// Columns returns the result's column names, in order.
func (r *Rows) Columns() []string { return r.cols }

// Next moves to the next row; it returns false at the end or on an error
// (see Err).
func (r *Rows) Next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	if err := r.rows.Scan(r.ptrs...); err != nil {
		r.err = err
		return false
	}
	return true
}

// Values returns the current row: nil (NULL), int64, float64, string or
// []byte (BLOB). The slice is reused by Next.
func (r *Rows) Values() []any { return r.vals }

// Err returns the error that ended Next, if any: a *ReadOnlyError, or
// SQLite's message.
func (r *Rows) Err() error {
	if r.err == nil {
		r.err = r.rows.Err()
	}
	if r.err != nil {
		return r.guard.explain(r.err)
	}
	return nil
}

// Close releases the rows and the connection.
func (r *Rows) Close() error {
	err := r.rows.Close()
	r.guard.release(r.conn)
	return err
}

// guard is the authorizer a query runs under: SQLite asks it about every
// operation while it prepares a statement, and it allows reading only.
type guard struct {
	mu     sync.Mutex
	denied *ReadOnlyError
}

// readPragmas take an argument and only read: PRAGMA table_info(posts).
var readPragmas = map[string]bool{
	"table_info": true, "table_xinfo": true, "table_list": true, "index_list": true, "index_info": true,
	"index_xinfo": true, "foreign_key_list": true, "foreign_key_check": true, "integrity_check": true,
	"quick_check": true, "function_list": true, "pragma_list": true, "module_list": true, "collation_list": true,
	"database_list": true, "compile_options": true,
}

// writePragmas act even without a value.
var writePragmas = map[string]bool{"optimize": true, "wal_checkpoint": true, "incremental_vacuum": true, "shrink_memory": true}

var actionNames = map[int]string{
	sqlite3.SQLITE_CREATE_INDEX: "CREATE INDEX", sqlite3.SQLITE_CREATE_TABLE: "CREATE TABLE",
	sqlite3.SQLITE_CREATE_TEMP_INDEX: "CREATE TEMP INDEX", sqlite3.SQLITE_CREATE_TEMP_TABLE: "CREATE TEMP TABLE",
	sqlite3.SQLITE_CREATE_TEMP_TRIGGER: "CREATE TEMP TRIGGER", sqlite3.SQLITE_CREATE_TEMP_VIEW: "CREATE TEMP VIEW",
	sqlite3.SQLITE_CREATE_TRIGGER: "CREATE TRIGGER", sqlite3.SQLITE_CREATE_VIEW: "CREATE VIEW",
	sqlite3.SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE", sqlite3.SQLITE_DELETE: "DELETE",
	sqlite3.SQLITE_DROP_INDEX: "DROP INDEX", sqlite3.SQLITE_DROP_TABLE: "DROP TABLE",
	sqlite3.SQLITE_DROP_TEMP_INDEX: "DROP TEMP INDEX", sqlite3.SQLITE_DROP_TEMP_TABLE: "DROP TEMP TABLE",
	sqlite3.SQLITE_DROP_TEMP_TRIGGER: "DROP TEMP TRIGGER", sqlite3.SQLITE_DROP_TEMP_VIEW: "DROP TEMP VIEW",
	sqlite3.SQLITE_DROP_TRIGGER: "DROP TRIGGER", sqlite3.SQLITE_DROP_VIEW: "DROP VIEW",
	sqlite3.SQLITE_DROP_VTABLE: "DROP VIRTUAL TABLE", sqlite3.SQLITE_INSERT: "INSERT",
	sqlite3.SQLITE_UPDATE: "UPDATE", sqlite3.SQLITE_TRANSACTION: "a transaction",
	sqlite3.SQLITE_ATTACH: "ATTACH", sqlite3.SQLITE_DETACH: "DETACH", sqlite3.SQLITE_ALTER_TABLE: "ALTER TABLE",
	sqlite3.SQLITE_REINDEX: "REINDEX", sqlite3.SQLITE_ANALYZE: "ANALYZE", sqlite3.SQLITE_SAVEPOINT: "SAVEPOINT",
}

// sqliteRecursive is SQLITE_RECURSIVE (a WITH RECURSIVE query), which
// go-sqlite3 does not export.
const sqliteRecursive = 33

func (g *guard) authorize(op int, arg1, arg2, _ string) int {
	switch op {
	case sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqliteRecursive:
		return sqlite3.SQLITE_OK
	case sqlite3.SQLITE_FUNCTION:
		if strings.EqualFold(arg2, "load_extension") {
			return g.deny("load_extension()", "")
		}
		return sqlite3.SQLITE_OK
	case sqlite3.SQLITE_PRAGMA:
		name := strings.ToLower(arg1)
		if (arg2 == "" && !writePragmas[name]) || readPragmas[name] {
			return sqlite3.SQLITE_OK
		}
		if arg2 != "" {
			return g.deny("PRAGMA "+name+"="+arg2, "")
		}
		return g.deny("PRAGMA "+name, "")
	}
	if (op == sqlite3.SQLITE_INSERT || op == sqlite3.SQLITE_UPDATE || op == sqlite3.SQLITE_DELETE) && isSchemaTable(arg1) {
		// DDL is first asked about as a write to sqlite_schema, then as
		// itself (DROP TABLE on posts), which is refused below and names
		// what the user wrote. Writing sqlite_schema directly needs
		// PRAGMA writable_schema, which is refused.
		return sqlite3.SQLITE_OK
	}
	action, ok := actionNames[op]
	if !ok {
		action = fmt.Sprintf("operation %d", op)
	}
	object := arg1
	switch op {
	case sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT:
		action += " (" + strings.ToUpper(arg1) + ")"
		object = ""
	case sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_CREATE_TEMP_INDEX, sqlite3.SQLITE_DROP_INDEX, sqlite3.SQLITE_DROP_TEMP_INDEX,
		sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_CREATE_TEMP_TRIGGER, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_DROP_TEMP_TRIGGER:
		object = arg1 + " on " + arg2
	case sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_VTABLE:
		object = arg1
	}
	return g.deny(action, object)
}

func isSchemaTable(name string) bool {
	switch strings.ToLower(name) {
	case "sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema":
		return true
	}
	return false
}

func (g *guard) deny(action, object string) int {
	g.mu.Lock()
	if g.denied == nil {
		g.denied = &ReadOnlyError{Action: action, Object: object}
	}
	g.mu.Unlock()
	return sqlite3.SQLITE_DENY
}

// explain turns SQLite's "not authorized" (the guard said no) and
// "readonly database" errors into a *ReadOnlyError.
func (g *guard) explain(err error) error {
	g.mu.Lock()
	denied := g.denied
	g.mu.Unlock()
	if denied != nil {
		return denied
	}
	msg := err.Error()
	if strings.Contains(msg, "readonly database") || strings.Contains(msg, "query_only") || strings.Contains(msg, "may not be modified") {
		return &ReadOnlyError{Action: "a write"}
	}
	return err
}

func (g *guard) release(conn *sql.Conn) {
	conn.Raw(func(dc any) error {
		if c, ok := dc.(*sqlite3.SQLiteConn); ok {
			c.RegisterAuthorizer(nil)
		}
		return nil
	})
	conn.Close()
}

var firstWordRE = regexp.MustCompile(`^[A-Za-z]+`)

// queryKeywords start a statement Query runs.
var queryKeywords = map[string]bool{"SELECT": true, "WITH": true, "VALUES": true, "EXPLAIN": true, "PRAGMA": true}

// firstKeyword returns the first word of q after white space and comments,
// upper-cased.
func firstKeyword(q string) string {
	for {
		q = strings.TrimLeft(q, " \t\r\n\f;")
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return ""
			}
			q = q[i+1:]
		case strings.HasPrefix(q, "/*"):
			i := strings.Index(q, "*/")
			if i < 0 {
				return ""
			}
			q = q[i+2:]
		default:
			return strings.ToUpper(firstWordRE.FindString(q))
		}
	}
}

// Query runs one SQL query on the archive and returns its rows. Whatever
// the SQL says, the archive is not changed: besides the read-only
// connection of OpenReadOnly, SQLite asks an authorizer about every
// operation and it refuses all but reading, so INSERT, UPDATE, DELETE,
// DDL, ATTACH, transactions and PRAGMAs that set a value fail before they
// run. It returns a *ReadOnlyError for those, and SQLite's message for SQL
// it cannot run. args are bound to ? or :name parameters.
func (a *Archive) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	switch kw := firstKeyword(query); {
	case kw == "":
		return nil, errors.New("no SQL to run")
	case !queryKeywords[kw]:
		// A clear answer before SQLite is asked; the authorizer below
		// catches the rest (WITH … DELETE, a second statement).
		return nil, &ReadOnlyError{Action: kw}
	}
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	g := &guard{}
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		c.RegisterAuthorizer(g.authorize)
		return nil
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		g.release(conn)
		return nil, g.explain(err)
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		g.release(conn)
		return nil, err
	}
	r := &Rows{rows: rows, conn: conn, guard: g, cols: cols, vals: make([]any, len(cols)), ptrs: make([]any, len(cols))}
	for i := range r.vals {
		r.ptrs[i] = &r.vals[i]
	}
	return r, nil
}

// TableDoc describes one table or view of the archive.
type TableDoc struct {
	Name    string      `json:"name"`
	Kind    string      `json:"kind"` // table, view or fts (a full-text index)
	Doc     string      `json:"doc,omitempty"`
	Columns []ColumnDoc `json:"columns"`
}

// ColumnDoc describes one column.
type ColumnDoc struct {
	Name       string `json:"name"`
	Type       string `json:"type,omitempty"`
	PrimaryKey bool   `json:"primary_key,omitempty"`
	NotNull    bool   `json:"not_null,omitempty"`
	References string `json:"references,omitempty"` // table.column of a foreign key
	Doc        string `json:"doc,omitempty"`
}

// Schema describes the archive's tables, views and full-text indexes
// (without FTS5's own shadow tables), in the order they were created, each
// column with a one-line meaning: from the documentation in this package,
// else from the comment beside the column in its migration.
func (a *Archive) Schema(ctx context.Context) ([]TableDoc, error) {
	docs, err := describe(ctx, a.db)
	if err != nil {
		return nil, fmt.Errorf("read schema of %s: %w", a.path, err)
	}
	return docs, nil
}

// BuiltinSchema describes the schema this wparchive writes, from its
// migrations applied to an empty database in memory.
func BuiltinSchema(ctx context.Context) ([]TableDoc, error) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// One connection: every connection to ":memory:" is its own database.
	db.SetMaxOpenConns(1)
	if err := schema.Migrate(ctx, db); err != nil {
		return nil, err
	}
	return describe(ctx, db)
}

func describe(ctx context.Context, db *sql.DB) ([]TableDoc, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, type, coalesce(sql, '') FROM sqlite_schema
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	type obj struct{ name, typ, sql string }
	var objs []obj
	vtabs := map[string]bool{}
	for rows.Next() {
		var o obj
		if err := rows.Scan(&o.name, &o.typ, &o.sql); err != nil {
			rows.Close()
			return nil, err
		}
		if strings.HasPrefix(strings.ToUpper(o.sql), "CREATE VIRTUAL TABLE") {
			vtabs[o.name] = true
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []TableDoc
	for _, o := range objs {
		if isShadow(o.name, vtabs) {
			continue
		}
		t := TableDoc{Name: o.name, Kind: o.typ, Doc: tableDocs[o.name]}
		if vtabs[o.name] {
			t.Kind = "fts"
		}
		refs, err := foreignKeys(ctx, db, o.name)
		if err != nil {
			return nil, err
		}
		comments := columnComments(o.sql)
		cr, err := db.QueryContext(ctx, `SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo(?)`, o.name)
		if err != nil {
			return nil, err
		}
		for cr.Next() {
			var c ColumnDoc
			var pk, hidden int
			if err := cr.Scan(&c.Name, &c.Type, &c.NotNull, &pk, &hidden); err != nil {
				cr.Close()
				return nil, err
			}
			if hidden != 0 {
				continue // the FTS table's own column and rank
			}
			c.PrimaryKey = pk > 0
			c.References = refs[c.Name]
			c.Doc = columnDocs[o.name+"."+c.Name]
			if c.Doc == "" {
				c.Doc = comments[c.Name]
			}
			t.Columns = append(t.Columns, c)
		}
		cr.Close()
		if err := cr.Err(); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// isShadow reports whether name is one of FTS5's tables behind a virtual
// table (posts_fts_data, _idx, _docsize, _config, _content).
func isShadow(name string, vtabs map[string]bool) bool {
	for _, suffix := range []string{"_data", "_idx", "_docsize", "_config", "_content"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && vtabs[base] {
			return true
		}
	}
	return false
}

func foreignKeys(ctx context.Context, db *sql.DB, table string) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT "from", "table", coalesce("to", 'id') FROM pragma_foreign_key_list(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	refs := map[string]string{}
	for rows.Next() {
		var from, to, col string
		if err := rows.Scan(&from, &to, &col); err != nil {
			return nil, err
		}
		refs[from] = to + "." + col
	}
	return refs, rows.Err()
}

var columnCommentRE = regexp.MustCompile(`(?m)^\s*([A-Za-z_][A-Za-z0-9_]*)\s+[A-Za-z][^\n]*?--\s*(.+?)\s*$`)

// columnComments returns the "-- comment" at the end of each column's line
// in a CREATE TABLE statement (SQLite keeps the statement as written).
func columnComments(createSQL string) map[string]string {
	m := map[string]string{}
	for _, g := range columnCommentRE.FindAllStringSubmatch(createSQL, -1) {
		m[g[1]] = g[2]
	}
	return m
}

// tableDocs says what one row of each table is.
var tableDocs = map[string]string{
	"sites":        "one blog (the channel of an export); several sites can share an archive",
	"_imports":     "one run of wparchive import: its sources, time, counts, repairs and warnings",
	"authors":      "one wp:author of a site",
	"terms":        "one category, tag or custom-taxonomy term of a site",
	"termmeta":     "one term meta row, in file order",
	"posts":        "one item of any post type: post, page, attachment, revision, menu item, custom type",
	"post_terms":   "one <category> reference of an item (its categories, tags and terms), in order",
	"postmeta":     "one post meta row, in file order",
	"commenters":   "one person who commented: a guest by name, e-mail and URL, or a sign-in (WordPress.com, Twitter, Facebook …)",
	"comments":     "one comment, trackback or pingback",
	"commentmeta":  "one comment meta row (Akismet, Jetpack sign-in …), in file order",
	"quotes":       "one foreign-language passage of a post (a block or an inline span)",
	"_settings":    "one setting of this archive (the salt of import --redact)",
	"posts_fts":    "full-text index of posts (title, text, excerpt); query with MATCH, rowid = posts.id",
	"comments_fts": "full-text index of comments (text, author name); rowid = comments.id",
	"quotes_fts":   "full-text index of foreign-language passages; rowid = quotes.id",
}

// columnDocs says what each column holds, as "table.column".
var columnDocs = map[string]string{
	"sites.id":              "the archive's id of the site",
	"sites.site_key":        "the site's identity: its normalised blog URL (else link, else file name)",
	"sites.title":           "blog title",
	"sites.link":            "blog address as the channel gives it",
	"sites.description":     "blog tagline",
	"sites.language":        "language of the blog (BCP 47, as exported: en-US, zh-CN …)",
	"sites.pub_date_raw":    "channel pubDate, as exported",
	"sites.wxr_version":     "WXR version of the export (1.0, 1.1, 1.2)",
	"sites.base_site_url":   "wp:base_site_url (http://wordpress.com/ on WordPress.com)",
	"sites.base_blog_url":   "wp:base_blog_url, the blog's own URL",
	"sites.generator":       "what wrote the export (WordPress/6.5.4, WordPress.com …)",
	"sites.extra_json":      "channel elements without a column, as JSON",
	"sites.first_import_id": "the import that first brought the site",
	"sites.last_import_id":  "the latest import of the site",

	"_imports.id":            "the import's id",
	"_imports.started_at":    "when it started (ISO 8601 UTC)",
	"_imports.finished_at":   "when it committed (ISO 8601 UTC)",
	"_imports.sources":       "the parts read, as a JSON array of {name, bytes, sha256}",
	"_imports.sha256":        "SHA-256 over all sources, in order",
	"_imports.bytes":         "bytes read",
	"_imports.site_id":       "the site imported",
	"_imports.counts_json":   "the summary's counts, as JSON",
	"_imports.repairs_json":  "repairs made to broken input, by kind, as JSON",
	"_imports.warnings_json": "warnings, as a JSON array",
	"_imports.options_json":  "the options of the import (redact, salvage), as JSON",

	"authors.id":           "the archive's id of the author",
	"authors.site_id":      "the site",
	"authors.wp_id":        "wp:author_id as a number",
	"authors.wp_id_raw":    "wp:author_id as exported",
	"authors.login":        "login name; posts name their author by it (dc:creator)",
	"authors.email":        "the author's e-mail",
	"authors.display_name": "name shown on the blog",
	"authors.first_name":   "first name",
	"authors.last_name":    "last name",
	"authors.extra_json":   "author elements without a column, as JSON",

	"terms.id":           "the archive's id of the term",
	"terms.site_id":      "the site",
	"terms.taxonomy":     "category, post_tag, or a custom taxonomy (nav_menu, post_format …)",
	"terms.slug":         "slug as exported, often percent-encoded",
	"terms.slug_decoded": "slug with percent-encoding decoded (上海合作组织)",
	"terms.wp_id":        "wp:term_id",
	"terms.name_raw":     "name as exported (often HTML-escaped: Q&amp;A)",
	"terms.name":         "name for display (HTML-unescaped)",
	"terms.description":  "term description",
	"terms.parent_slug":  "the parent term's slug, as exported",
	"terms.parent_id":    "the parent term, resolved",
	"terms.element":      "which channel elements defined it (category, tag, term; item when only seen on items)",
	"terms.extra_json":   "term elements without a column, as JSON",

	"termmeta.id":         "row id",
	"termmeta.term_id":    "the term",
	"termmeta.ord":        "position among the term's meta rows",
	"termmeta.meta_key":   "meta key",
	"termmeta.meta_value": "meta value as exported",
	"termmeta.value_json": "meta_value decoded from PHP serialize() to JSON; NULL if it was not serialized",

	"posts.id":                 "the archive's id of the item",
	"posts.site_id":            "the site",
	"posts.wp_key":             "wp:post_id as exported ('' when absent); with dup_ordinal identifies the item on re-import",
	"posts.dup_ordinal":        "how many earlier items of the same export had the same wp:post_id (0 for the first)",
	"posts.wp_id":              "wp:post_id as a number",
	"posts.post_type":          "post, page, attachment, revision, nav_menu_item, or a custom type",
	"posts.status":             "publish, draft, pending, private, future, inherit, trash, auto-draft …",
	"posts.title":              "title as exported",
	"posts.link":               "permalink",
	"posts.pub_date_raw":       "RSS pubDate, as exported",
	"posts.creator":            "dc:creator: the author's login, as exported",
	"posts.author_id":          "the author, resolved from creator",
	"posts.guid":               "guid as exported",
	"posts.guid_is_permalink":  "the guid's isPermaLink attribute",
	"posts.description":        "RSS description (usually empty)",
	"posts.content":            "content:encoded, the post's HTML as exported",
	"posts.excerpt":            "excerpt:encoded, the hand-written excerpt (an attachment's caption)",
	"posts.date_raw":           "wp:post_date, local time as exported",
	"posts.date_gmt_raw":       "wp:post_date_gmt as exported (0000-00-00 00:00:00 for drafts)",
	"posts.date_at":            "publication time, ISO 8601 UTC; NULL when the export has no real date",
	"posts.modified_raw":       "wp:post_modified as exported",
	"posts.modified_gmt_raw":   "wp:post_modified_gmt as exported",
	"posts.modified_at":        "last modification, ISO 8601 UTC",
	"posts.comment_status":     "open or closed",
	"posts.ping_status":        "open or closed",
	"posts.slug":               "wp:post_name as exported, often percent-encoded",
	"posts.slug_decoded":       "slug with percent-encoding decoded",
	"posts.parent_raw":         "wp:post_parent as exported",
	"posts.parent_wp_id":       "wp:post_parent as a number (0 or NULL: none)",
	"posts.parent_id":          "the parent item (page or post of an attachment), resolved",
	"posts.menu_order":         "wp:menu_order",
	"posts.password":           "post password (protected posts)",
	"posts.is_sticky":          "1 if sticky on the front page",
	"posts.attachment_url":     "an attachment's file URL",
	"posts.extra_json":         "item elements without a column, as JSON",
	"posts.lang":               "main language of the post (BCP 47); NULL: the site's",
	"posts.text":               "content as plain text (HTML stripped, CJK characters separated by U+200B) for the search index",
	"posts.search_title":       "title prepared like text, for the search index",
	"posts.content_normalized": "content with lang attributes on foreign-language passages",
	"posts.source_file":        "the export part the item was read from",
	"posts.source_line":        "line of its <item> in that part",
	"posts.raw_hash":           "hash of the item's bytes; an unchanged item is skipped on re-import",
	"posts.first_import_id":    "the import that first brought the item",
	"posts.last_import_id":     "the latest import that changed it",

	"post_terms.post_id":  "the item",
	"post_terms.ord":      "position among the item's references",
	"post_terms.term_id":  "the term, resolved",
	"post_terms.domain":   "the domain attribute as exported (category, post_tag, tag, custom taxonomy)",
	"post_terms.nicename": "the nicename attribute (slug) as exported",
	"post_terms.name":     "the text of the reference (term name) as exported",

	"postmeta.id":         "row id",
	"postmeta.post_id":    "the item",
	"postmeta.ord":        "position among the item's meta rows",
	"postmeta.meta_key":   "meta key (_thumbnail_id, _wp_attachment_metadata …)",
	"postmeta.meta_value": "meta value as exported",
	"postmeta.value_json": "meta_value decoded from PHP serialize() to JSON; NULL if it was not serialized",

	"commenters.id":              "the archive's id of the commenter",
	"commenters.site_id":         "the site",
	"commenters.identity_key":    "what makes two comments one person's (provider and account, or name, e-mail and URL)",
	"commenters.provider":        "sign-in: wordpress, jetpack, facebook, twitter, googleplus …, or guest",
	"commenters.name":            "name as last seen",
	"commenters.email":           "e-mail (a salted hash with import --redact)",
	"commenters.url":             "web site",
	"commenters.avatar":          "avatar URL of a sign-in (hc_avatar)",
	"commenters.foreign_user_id": "account id at the provider (hc_foreign_user_id)",
	"commenters.wpcom_signed":    "1 if WordPress.com signed the identity (hc_wpcom_id_sig)",
	"commenters.user_id":         "the blog's own user id, for a logged-in author",

	"comments.id":           "the archive's id of the comment",
	"comments.post_id":      "the item commented on",
	"comments.wp_key":       "wp:comment_id as exported; with dup_ordinal identifies the comment",
	"comments.dup_ordinal":  "how many earlier comments of the item had the same wp:comment_id",
	"comments.wp_id":        "wp:comment_id as a number",
	"comments.author":       "name given (a trackback's: the sending blog's name)",
	"comments.author_email": "e-mail given (a salted hash with import --redact)",
	"comments.author_url":   "web site given (a ping's: the linking page)",
	"comments.author_ip":    "IP address (a salted hash with import --redact)",
	"comments.date_raw":     "wp:comment_date, local time as exported",
	"comments.date_gmt_raw": "wp:comment_date_gmt as exported",
	"comments.date_at":      "time of the comment, ISO 8601 UTC",
	"comments.content":      "the comment's HTML as exported",
	"comments.approved_raw": "wp:comment_approved as exported (1, 0, spam, trash, post-trashed)",
	"comments.status":       "approved, pending, spam, trash or post-trashed",
	"comments.type_raw":     "wp:comment_type as exported ('' or comment, trackback, pingback, a plugin's type)",
	"comments.kind":         "comment, trackback, pingback, or the plugin's type",
	"comments.parent_raw":   "wp:comment_parent as exported",
	"comments.parent_wp_id": "wp:comment_parent as a number (0: top level)",
	"comments.parent_id":    "the comment replied to, resolved",
	"comments.depth":        "reply depth (0: top level)",
	"comments.orphan":       "1 if the comment replies to one not in the export",
	"comments.user_id":      "wp:comment_user_id: the blog user who wrote it (0: a visitor)",
	"comments.commenter_id": "who wrote it (commenters)",
	"comments.provider":     "how they signed in (hc_post_as: wordpress, twitter …), or guest",
	"comments.text":         "the comment as plain text, prepared for the search index",
	"comments.ping_url":     "trackbacks and pingbacks: the linking page",
	"comments.ping_domain":  "trackbacks and pingbacks: host name of the linking page",
	"comments.ping_title":   "trackbacks and pingbacks: title of the linking page",
	"comments.ping_excerpt": "trackbacks and pingbacks: excerpt of the linking page",
	"comments.extra_json":   "comment elements without a column, as JSON",

	"commentmeta.id":         "row id",
	"commentmeta.comment_id": "the comment",
	"commentmeta.ord":        "position among the comment's meta rows",
	"commentmeta.meta_key":   "meta key (akismet_result, akismet_history, hc_post_as …)",
	"commentmeta.meta_value": "meta value as exported",
	"commentmeta.value_json": "meta_value decoded from PHP serialize() to JSON; NULL if it was not serialized",

	"quotes.id":              "the archive's id of the passage",
	"quotes.post_id":         "the post it is in",
	"quotes.ord":             "position among the post's passages",
	"quotes.kind":            "block (a paragraph, quote, list item …) or inline (a span inside other text)",
	"quotes.tag":             "HTML element it was found in (p, blockquote, li, h2, td …)",
	"quotes.lang":            "its language (BCP 47: zh-Hans, zh-Hant, ru …)",
	"quotes.script":          "its writing system (ISO 15924: Hans, Hant, Cyrl …)",
	"quotes.raw":             "the passage as in the post's HTML",
	"quotes.normalized":      "the passage normalised (NFC, no invisible characters, folded punctuation and spaces)",
	"quotes.search_text":     "normalized, prepared for the search index",
	"quotes.translation_ord": "ord of the block it translates or is translated by; NULL if unpaired",
	"quotes.translation":     "text of that paired block",
	"quotes.repeat_of_ord":   "ord of an earlier passage it repeats; NULL if none",
	"quotes.fixes_json":      "normalisation rules applied, with counts, as JSON",

	"_settings.key":   "setting name",
	"_settings.value": "setting value",

	"posts_fts.search_title":   "posts.search_title, indexed",
	"posts_fts.text":           "posts.text, indexed",
	"posts_fts.search_excerpt": "posts.search_excerpt (the excerpt, CJK prepared), indexed",
	"comments_fts.text":        "comments.text, indexed",
	"comments_fts.author":      "comments.author, indexed",
	"quotes_fts.search_text":   "quotes.search_text, indexed",
}
