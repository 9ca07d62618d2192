package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The full-text index (schema/0003_search.sql, 0005_excerpts_pings_privacy.sql) has
// three tables: posts_fts over posts (search_title, text, search_excerpt),
// comments_fts over comments (text, author) and quotes_fts over quotes
// (search_text). Search queries each and merges the results by rank.

// SearchOptions says what Search looks for. The zero value of a filter
// leaves it off.
type SearchOptions struct {
	// Query is a full-text query as FTS5 reads it: words (all must occur),
	// "phrases", prefixes (sanc*), AND, OR, NOT, NEAR(…) and parentheses.
	// Chinese and Japanese words need no quoting. An empty Query lists what
	// the filters select, newest first.
	Query string
	// Types limits the kinds of result: post types (post, page,
	// attachment, or a custom type), "comment" (comments, trackbacks and
	// pingbacks), "trackback", "pingback" and "quote".
	Types []string
	// Lang keeps posts and foreign-language passages in this language, a
	// BCP 47 tag matched as a prefix (zh matches zh-Hans and zh-Hant). A
	// post without a language of its own has its site's. Comments have no
	// language and are left out.
	Lang string
	// Site is a site's id, or part of its URL or title.
	Site string
	// Since and Until bound the date (UTC, ISO 8601 as in date_at): Since
	// inclusive, Until exclusive. A passage has its post's date.
	Since, Until string
	// Author is a post author's login or display name, or a commenter's
	// name, compared without case.
	Author string
	// Limit is the most results returned; 0 means 20.
	Limit int
	// All includes what is left out by default: revisions, auto-drafts and
	// trashed posts, and spam or trashed comments.
	All bool
	// Mark is put before and after each matched word in snippets;
	// default "**" and "**".
	Mark [2]string
}

// Hit is one search result. It never holds a commenter's e-mail or IP
// address.
type Hit struct {
	Type    string  `json:"type"`           // post type, "comment" or "quote"
	Kind    string  `json:"kind,omitempty"` // comment, trackback, pingback; block or inline for a quote
	ID      int64   `json:"id"`             // the row id in posts, comments or quotes
	PostID  int64   `json:"post_id"`        // the post (itself, for a post)
	Title   string  `json:"title"`          // the post's title (for a comment or quote: the post it belongs to)
	Date    string  `json:"date,omitempty"` // ISO 8601 UTC
	Link    string  `json:"link,omitempty"`
	Lang    string  `json:"lang,omitempty"`
	Status  string  `json:"status,omitempty"`
	Author  string  `json:"author,omitempty"` // post author, or the commenter's name
	Site    string  `json:"site"`
	Snippet string  `json:"snippet"`
	Rank    float64 `json:"rank"` // bm25: lower is better; 0 without a query

	src *source // the table, while the snippet is still to be made
}

// QueryError is a full-text query SQLite cannot read. Error returns one
// line that says why.
type QueryError struct {
	Query  string // as the user wrote it
	Reason string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("cannot search for %q: %s", e.Query, e.Reason)
}

// defaultLimit is the number of results when SearchOptions.Limit is 0.
const defaultLimit = 20

// snippetTokens is the length of a snippet in tokens (a CJK character is
// one token).
const snippetTokens = 24

// Search runs a full-text search and returns the best hits, best first
// (newest first without a query). It returns a *QueryError for a query
// with a syntax error; no hits is an empty slice and no error.
func (a *Archive) Search(ctx context.Context, o SearchOptions) ([]Hit, error) {
	if o.Limit <= 0 {
		o.Limit = defaultLimit
	}
	if o.Mark == [2]string{} {
		o.Mark = [2]string{"**", "**"}
	}
	sel := selectTypes(o.Types)
	if o.Lang != "" {
		sel.comments = false
	}
	match := ""
	if strings.TrimSpace(o.Query) != "" {
		match = MatchQuery(o.Query)
	}
	// The tables are searched at the same time, each on its own
	// connection.
	type result struct {
		hits []Hit
		err  error
	}
	var (
		srcs    []*source
		results []result
		wg      sync.WaitGroup
	)
	for _, src := range sources {
		if src.on(sel) {
			srcs = append(srcs, src)
		}
	}
	results = make([]result, len(srcs))
	for i, src := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i].hits, results[i].err = a.searchSource(ctx, src, o, sel, match)
		}()
	}
	wg.Wait()
	var (
		hits   []Hit
		failed []error
	)
	for _, r := range results {
		if r.err != nil {
			if match != "" && isQueryError(r.err) {
				failed = append(failed, r.err)
				continue
			}
			return nil, fmt.Errorf("search %s: %w", a.path, r.err)
		}
		hits = append(hits, r.hits...)
	}
	tried := len(srcs)
	// A column filter names a column of one table and not the others
	// (title: exists only for posts): the tables without it are skipped.
	// A syntax error fails everywhere.
	if tried > 0 && len(failed) == tried {
		return nil, queryError(o.Query, failed[0])
	}
	if match != "" {
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Rank < hits[j].Rank })
	} else {
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Date > hits[j].Date })
	}
	if len(hits) > o.Limit {
		hits = hits[:o.Limit]
	}
	if hits == nil {
		hits = []Hit{}
	}
	for i := range hits {
		if hits[i].src != nil {
			if err := a.snippet(ctx, &hits[i], o, match); err != nil {
				return nil, fmt.Errorf("search %s: %w", a.path, err)
			}
		}
		// Titles and trackback senders' names are stored as exported,
		// often with HTML entities (Q&amp;A, &#8211;).
		hits[i].Title = displayText(html.UnescapeString(hits[i].Title))
		hits[i].Author = html.UnescapeString(hits[i].Author)
		hits[i].Snippet = displayText(hits[i].Snippet)
		if privatePostTypes[hits[i].Type] {
			hits[i].Title = maskAddresses(hits[i].Title, o.Mark)
			hits[i].Snippet = maskAddresses(hits[i].Snippet, o.Mark)
		}
	}
	return hits, nil
}

// privatePostTypes hold messages sent to the site, not published text:
// Jetpack's contact form (feedback) and Flamingo's (Contact Form 7). Their
// content names the sender's e-mail and IP address ("AUTHOR EMAIL: …",
// "IP: …"), which search never prints.
var privatePostTypes = map[string]bool{"feedback": true, "flamingo_inbound": true, "flamingo_contact": true}

// The marks of a snippet, while maskAddresses looks for addresses they
// may split ("jane.**doe**@example.net").
const markOpen, markClose = "\ue000", "\ue001"

var (
	maskEmailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-\x{E000}\x{E001}]+@[A-Za-z0-9\-\x{E000}\x{E001}]+(?:\.[A-Za-z0-9\-\x{E000}\x{E001}]+)+`)
	maskIPv4Re  = regexp.MustCompile(`[0-9\x{E000}\x{E001}]+(?:\.[0-9\x{E000}\x{E001}]+){3}`)
	maskIPv6Re  = regexp.MustCompile(`[0-9A-Fa-f\x{E000}\x{E001}]*(?::[0-9A-Fa-f\x{E000}\x{E001}]*){2,}`)
	unmark      = strings.NewReplacer(markOpen, "", markClose, "")
)

// maskAddresses replaces the e-mail addresses, dotted quads and IPv6
// addresses in s by "(e-mail hidden)" and "(IP hidden)", also where a
// snippet's marks split one.
func maskAddresses(s string, mark [2]string) string {
	if mark[0] != "" {
		s = strings.ReplaceAll(s, mark[0], markOpen)
	}
	if mark[1] != "" {
		s = strings.ReplaceAll(s, mark[1], markClose)
	}
	s = maskEmailRe.ReplaceAllString(s, hiddenEmail)
	s = maskIPv4Re.ReplaceAllString(s, "(IP hidden)")
	s = maskIPv6Re.ReplaceAllStringFunc(s, func(m string) string {
		if a, err := netip.ParseAddr(unmark.Replace(m)); err == nil && a.Is6() {
			return "(IP hidden)"
		}
		return m
	})
	return strings.NewReplacer(markOpen, mark[0], markClose, mark[1]).Replace(s)
}

// source is one indexed table and how to search it.
type source struct {
	table   string // posts, comments, quotes
	weights string // bm25 weights of the index's columns, as its rank option
	snipCol int    // column of the snippet, -1: the best
	on      func(selection) bool
	query   func(o SearchOptions, sel selection, match string, ids []int64) (string, []any)
	scan    func(*sql.Rows) (Hit, error)
}

var sources = []*source{
	{"posts", "10.0, 1.0, 2.0", -1, func(s selection) bool { return s.posts }, postsQuery, scanPost},
	{"comments", "1.0, 0.5", 0, func(s selection) bool { return s.comments }, commentsQuery, scanComment},
	{"quotes", "1.0", 0, func(s selection) bool { return s.quotes }, quotesQuery, scanQuote},
}

// searchSource returns the best hits of one table, at most o.Limit.
//
// Ranking is the cost of a search: FTS5 scores every row that matches,
// and a common word matches most of them. The cheapest way SQLite has is
// to score the index alone and let its sorter keep the best few, so that
// is the first step, without the filters (which would read the content
// row of every match): the best candidates, a few times more than asked
// for. Their rows are then read and filtered, and snippets made only for
// the hits that are finally shown (see Search). When filters leave too few
// of the candidates, the search runs again with the filters applied to
// every match, in rank order.
func (a *Archive) searchSource(ctx context.Context, src *source, o SearchOptions, sel selection, match string) ([]Hit, error) {
	if match == "" {
		q, args := src.query(o, sel, "", nil)
		return collect(ctx, a.db, q, args, src.scan)
	}
	k := 3*o.Limit + 50
	rows, err := a.db.QueryContext(ctx, `SELECT rowid, bm25(`+src.table+`_fts, `+src.weights+`) AS r
		FROM `+src.table+`_fts WHERE `+src.table+`_fts MATCH ? ORDER BY r LIMIT ?`, match, k)
	if err != nil {
		return nil, err
	}
	var (
		ids   []int64
		ranks = map[int64]float64{}
	)
	for rows.Next() {
		var id int64
		var r float64
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
		ranks[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	q, args := src.query(o, sel, "", ids)
	found, err := collect(ctx, a.db, q, args, src.scan)
	if err != nil {
		return nil, err
	}
	if len(found) < o.Limit && len(ids) == k {
		q, args := src.query(o, sel, match, nil)
		return collect(ctx, a.db, q, args, src.scan)
	}
	for i := range found {
		found[i].Rank = ranks[found[i].ID]
		found[i].src = src
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Rank < found[j].Rank })
	if len(found) > o.Limit {
		found = found[:o.Limit]
	}
	return found, nil
}

// snippet fills in h.Snippet from the index.
func (a *Archive) snippet(ctx context.Context, h *Hit, o SearchOptions, match string) error {
	src := h.src
	var sn sql.NullString
	err := a.db.QueryRowContext(ctx, `SELECT snippet(`+src.table+`_fts, ?, ?, ?, '…', ?)
		FROM `+src.table+`_fts WHERE `+src.table+`_fts MATCH ? AND rowid = ?`,
		src.snipCol, o.Mark[0], o.Mark[1], snippetTokens, match, h.ID).Scan(&sn)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	h.Snippet = sn.String
	return nil
}

// selection is which tables a search reads, and which rows of them.
type selection struct {
	posts, comments, quotes bool
	postTypes               []string // empty: any
	commentKinds            []string // empty: any
}

func selectTypes(types []string) selection {
	if len(types) == 0 {
		return selection{posts: true, comments: true, quotes: true}
	}
	var s selection
	anyComment := false
	for _, t := range types {
		switch t = strings.ToLower(strings.TrimSpace(t)); t {
		case "":
		case "comment", "comments":
			s.comments, anyComment = true, true
		case "trackback", "pingback":
			s.comments = true
			s.commentKinds = append(s.commentKinds, t)
		case "quote", "quotes", "passage":
			s.quotes = true
		default:
			s.posts = true
			s.postTypes = append(s.postTypes, t)
		}
	}
	if anyComment {
		s.commentKinds = nil
	}
	return s
}

// where collects the conditions and arguments of one query.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(w.conds, "\n  AND ")
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// postFilters adds the conditions on the post p (and its site s and author
// au) that posts and quotes share.
func postFilters(w *where, o SearchOptions, sel selection, langOfPost bool) {
	if !o.All {
		w.add(`p.post_type IS NOT 'revision' AND p.status NOT IN ('auto-draft', 'trash')`)
	}
	if o.Lang != "" && langOfPost {
		langFilter(w, `coalesce(p.lang, s.language)`, o.Lang)
	}
	siteFilter(w, o.Site)
	dateFilter(w, "p.date_at", o)
	if o.Author != "" {
		w.add(`(au.login = ? COLLATE NOCASE OR au.display_name = ? COLLATE NOCASE OR trim(p.creator) = ? COLLATE NOCASE)`,
			o.Author, o.Author, o.Author)
	}
}

// langFilter matches a BCP 47 tag by prefix, case and _ or - aside.
func langFilter(w *where, col, lang string) {
	l := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	expr := "replace(lower(" + col + "), '_', '-')"
	w.add("("+expr+" = ? OR substr("+expr+", 1, ?) = ?)", l, len(l)+1, l+"-")
}

func siteFilter(w *where, site string) {
	site = strings.TrimSpace(site)
	if site == "" {
		return
	}
	if id, err := strconv.ParseInt(site, 10, 64); err == nil {
		w.add("s.id = ?", id)
		return
	}
	w.add("(instr(lower(s.site_key), lower(?)) > 0 OR instr(lower(coalesce(s.title, '')), lower(?)) > 0)", site, site)
}

func dateFilter(w *where, col string, o SearchOptions) {
	if o.Since != "" {
		w.add(col+" >= ?", o.Since)
	}
	if o.Until != "" {
		w.add(col+" < ?", o.Until)
	}
}

// Each table's query has three shapes. With a query (match) it reads the
// index first, CROSS JOIN forcing that order, so that SQLite reads it in
// rank order and stops at the limit: snippets are made for the rows
// returned only. With ids it reads those rows of the content table,
// without the index and without snippets. Without either it lists the
// content table newest first.
func shape(w *where, o SearchOptions, match string, ids []int64, table, alias string, snipCol int, listSnippet, listOrder string) (from, cols, order string, limit int) {
	switch {
	case ids != nil:
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		w.add(alias+".id IN ("+placeholders(len(ids))+")", args...)
		return table + " " + alias, `, '', 0.0`, alias + ".id", len(ids)
	case match != "":
		fts := table + "_fts"
		w.args = append(w.args, o.Mark[0], o.Mark[1])
		w.add(fts+" MATCH ?", match)
		return fts + " CROSS JOIN " + table + " " + alias + " ON " + alias + ".id = " + fts + ".rowid",
			fmt.Sprintf(", snippet(%s, %d, ?, ?, '…', %d), %s.rank", fts, snipCol, snippetTokens, fts),
			fts + ".rank", o.Limit
	}
	return table + " " + alias, ", substr(" + listSnippet + ", 1, 300), 0.0", listOrder, o.Limit
}

func postsQuery(o SearchOptions, sel selection, match string, ids []int64) (string, []any) {
	var w where
	from, extra, order, limit := shape(&w, o, match, ids, "posts", "p", -1, "coalesce(p.text, p.excerpt, '')", "p.date_at DESC")
	if len(sel.postTypes) > 0 {
		w.add("p.post_type IN ("+placeholders(len(sel.postTypes))+")", anys(sel.postTypes)...)
	}
	postFilters(&w, o, sel, true)
	q := `SELECT p.id, p.post_type, p.status, coalesce(p.title, ''), p.date_at, p.link,
	coalesce(p.lang, s.language), coalesce(au.display_name, p.creator), s.site_key` + extra + `
FROM ` + from + `
CROSS JOIN sites s ON s.id = p.site_id
LEFT JOIN authors au ON au.id = p.author_id
` + w.sql() + `
ORDER BY ` + order + ` LIMIT ?`
	return q, append(w.args, limit)
}

func scanPost(r *sql.Rows) (Hit, error) {
	var (
		h                                   Hit
		status, date, link, lang, auth, snp sql.NullString
	)
	err := r.Scan(&h.ID, &h.Type, &status, &h.Title, &date, &link, &lang, &auth, &h.Site, &snp, &h.Rank)
	h.PostID = h.ID
	h.Status, h.Date, h.Link, h.Lang, h.Author, h.Snippet = status.String, date.String, link.String, lang.String, auth.String, snp.String
	return h, err
}

func commentsQuery(o SearchOptions, sel selection, match string, ids []int64) (string, []any) {
	var w where
	from, extra, order, limit := shape(&w, o, match, ids, "comments", "c", 0, "coalesce(c.text, '')", "c.date_at DESC")
	if len(sel.commentKinds) > 0 {
		w.add("c.kind IN ("+placeholders(len(sel.commentKinds))+")", anys(sel.commentKinds)...)
	}
	if !o.All {
		w.add(`c.status NOT IN ('spam', 'trash', 'post-trashed')`)
		w.add(`p.post_type IS NOT 'revision' AND p.status NOT IN ('auto-draft', 'trash')`)
	}
	siteFilter(&w, o.Site)
	dateFilter(&w, "c.date_at", o)
	if o.Author != "" {
		w.add("c.author = ? COLLATE NOCASE", o.Author)
	}
	// A commenter's name can hold their IP address or e-mail (typed as
	// the name): the IP is masked here, the e-mail in scanComment.
	q := `SELECT c.id, c.kind, c.status, p.id, coalesce(p.title, ''), c.date_at, p.link, c.wp_id,
	CASE WHEN coalesce(c.author_ip, '') != '' AND instr(c.author, c.author_ip) > 0
		THEN replace(c.author, c.author_ip, '(IP hidden)') ELSE c.author END, s.site_key` + extra + `
FROM ` + from + `
CROSS JOIN posts p ON p.id = c.post_id
CROSS JOIN sites s ON s.id = p.site_id
` + w.sql() + `
ORDER BY ` + order + ` LIMIT ?`
	return q, append(w.args, limit)
}

func scanComment(r *sql.Rows) (Hit, error) {
	var (
		h                                  Hit
		kind, status, date, link, auth, sn sql.NullString
		wpID                               sql.NullInt64
	)
	err := r.Scan(&h.ID, &kind, &status, &h.PostID, &h.Title, &date, &link, &wpID, &auth, &h.Site, &sn, &h.Rank)
	h.Type = "comment"
	h.Kind, h.Status, h.Date, h.Author, h.Snippet = kind.String, status.String, date.String, auth.String, sn.String
	if h.Kind == "" {
		h.Kind = "comment"
	}
	if h.Kind != "trackback" && h.Kind != "pingback" && strings.Contains(h.Author, "@") {
		h.Author = emailRe.ReplaceAllString(h.Author, hiddenEmail)
	}
	h.Link = link.String
	if h.Link != "" && wpID.Valid {
		h.Link += "#comment-" + strconv.FormatInt(wpID.Int64, 10)
	}
	return h, err
}

func quotesQuery(o SearchOptions, sel selection, match string, ids []int64) (string, []any) {
	var w where
	from, extra, order, limit := shape(&w, o, match, ids, "quotes", "q", 0, "coalesce(q.search_text, q.normalized)", "p.date_at DESC, q.post_id, q.ord")
	if o.Lang != "" {
		langFilter(&w, "q.lang", o.Lang)
	}
	postFilters(&w, o, sel, false)
	q := `SELECT q.id, q.kind, q.lang, p.id, coalesce(p.title, ''), p.date_at, p.link, p.status,
	coalesce(au.display_name, p.creator), s.site_key` + extra + `
FROM ` + from + `
CROSS JOIN posts p ON p.id = q.post_id
CROSS JOIN sites s ON s.id = p.site_id
LEFT JOIN authors au ON au.id = p.author_id
` + w.sql() + `
ORDER BY ` + order + ` LIMIT ?`
	return q, append(w.args, limit)
}

func scanQuote(r *sql.Rows) (Hit, error) {
	var (
		h                                    Hit
		kind, lang, date, link, status, auth sql.NullString
		sn                                   sql.NullString
	)
	err := r.Scan(&h.ID, &kind, &lang, &h.PostID, &h.Title, &date, &link, &status, &auth, &h.Site, &sn, &h.Rank)
	h.Type = "quote"
	h.Kind, h.Lang, h.Date, h.Link, h.Status, h.Author, h.Snippet = kind.String, lang.String, date.String, link.String, status.String, auth.String, sn.String
	return h, err
}

func collect(ctx context.Context, db *sql.DB, q string, args []any, scan func(*sql.Rows) (Hit, error)) ([]Hit, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		h, err := scan(rows)
		if err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// displayText removes the U+200B the index puts between CJK characters and
// folds runs of white space (line breaks included) into one space, so a
// title or snippet reads as the original and fits one line.
func displayText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == zwsp:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r < ' ':
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isQueryError reports whether err is SQLite refusing a MATCH expression.
func isQueryError(err error) bool {
	m := err.Error()
	for _, p := range []string{"fts5:", "no such column", "unknown special query", "malformed MATCH", "unterminated string"} {
		if strings.Contains(m, p) {
			return true
		}
	}
	return false
}

var noColumnRE = regexp.MustCompile(`no such column: (\S+)`)

// queryError turns SQLite's message about a MATCH expression into a
// *QueryError that says what to do, on one line.
func queryError(query string, err error) error {
	m := err.Error()
	if i := strings.Index(m, "fts5: "); i >= 0 {
		m = m[i+len("fts5: "):]
	}
	m = strings.Join(strings.Fields(m), " ")
	reason := m
	switch {
	case noColumnRE.MatchString(m):
		col := noColumnRE.FindStringSubmatch(m)[1]
		reason = fmt.Sprintf("%q before a colon names a column, and there is none of that name (title, text, excerpt, author, search_text); put words with a colon in double quotes", col)
	case strings.Contains(m, "unterminated string"):
		reason = `a double quote (") is not closed`
	case strings.Contains(m, `syntax error near ""`):
		reason = "the query ends too early: an AND, OR, NOT or parenthesis lacks its other half"
	case strings.Contains(m, "syntax error"):
		reason = m + ": check the quotes and parentheses; AND, OR, NOT and NEAR are operators in capitals, and a word with punctuation goes in double quotes"
	case strings.Contains(m, "unknown special query"):
		reason = m + ": a query cannot start with * ; put the word before the *, as in sanc*"
	}
	return &QueryError{Query: query, Reason: reason}
}

// MatchQuery returns the FTS5 MATCH expression for a query as a user types
// it. Operators, "phrases", prefixes (word*), ^initial tokens, NEAR groups
// and column filters (title: is search_title) pass through; a word with
// punctuation FTS5 cannot read as a bare word (e-mail, don't, U.S.) becomes
// a quoted phrase instead of a syntax error; a comma outside NEAR(…) is a
// space; and Chinese and Japanese words become phrases of characters, the
// way SearchText indexed them (see SearchQuery).
func MatchQuery(q string) string {
	var b strings.Builder
	nearDepth := 0 // parenthesis depth inside NEAR(…), 0 outside
	depth := 0
	lastWord := ""
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == '"':
			// A quoted phrase, "" being a quote inside it; copied as is.
			j := i + 1
			for j < len(q) {
				if q[j] == '"' {
					if j+1 < len(q) && q[j+1] == '"' {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			b.WriteString(q[i:j])
			i = j
			lastWord = ""
			continue
		case c == '(':
			depth++
			if lastWord == "NEAR" && nearDepth == 0 {
				nearDepth = depth
			}
			b.WriteByte(c)
		case c == ')':
			if depth == nearDepth {
				nearDepth = 0
			}
			depth--
			b.WriteByte(c)
		case c == ',':
			if nearDepth > 0 {
				b.WriteByte(c)
			} else {
				b.WriteByte(' ')
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			b.WriteByte(c)
		default:
			j := i
			for j < len(q) && !strings.ContainsRune("\"(), \t\n\r", rune(q[j])) {
				j++
			}
			w := q[i:j]
			b.WriteString(matchWord(w))
			lastWord = w
			i = j
			continue
		}
		lastWord = ""
		i++
	}
	return SearchQuery(b.String())
}

// matchWord rewrites one unquoted word of a query (see MatchQuery).
func matchWord(w string) string {
	switch w {
	case "AND", "OR", "NOT", "NEAR", "+", "*":
		return w
	}
	// Column filter: col:rest, -col:rest, {a b}:rest is left alone.
	if strings.ContainsAny(w, "{}") {
		return w
	}
	if i := strings.IndexByte(w, ':'); i > 0 {
		col := w[:i]
		neg := strings.HasPrefix(col, "-")
		name := strings.TrimPrefix(col, "-")
		if isBareword(name) {
			switch strings.ToLower(name) {
			case "title":
				name = "search_title"
			case "excerpt":
				name = "search_excerpt"
			}
			prefix := name + ":"
			if neg {
				prefix = "-" + prefix
			}
			if rest := w[i+1:]; rest != "" {
				return prefix + matchWord(rest)
			}
			return prefix
		}
	}
	core, pre, post := w, "", ""
	if strings.HasPrefix(core, "^") {
		pre, core = "^", core[1:]
	}
	if strings.HasSuffix(core, "*") {
		post, core = "*", strings.TrimSuffix(core, "*")
	}
	if core == "" || isBareword(core) {
		return w
	}
	if !hasWordChar(core) {
		// Nothing FTS5 would index (a lone dash, "&"): drop it rather than
		// make an empty phrase that matches nothing.
		return ""
	}
	return pre + `"` + core + `"` + post
}

// isBareword reports whether FTS5 reads s as a bare word: ASCII letters,
// digits and _, and any character beyond ASCII.
func isBareword(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == '_' || c == 0x1a || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			continue
		}
		return false
	}
	return s != ""
}

func hasWordChar(s string) bool {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
		s = s[n:]
	}
	return false
}

// execer is a *sql.Tx or *sql.Conn.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// searchTables are the indexed tables, with the columns their index reads.
var searchTables = []struct{ table, cols string }{
	{"posts", "search_title, text, search_excerpt"},
	{"comments", "text, author"},
	{"quotes", "search_text"},
}

// deferSearchIndex marks, inside an import's transaction, the rows the
// import will add as indexed later, by flushSearchIndex in one statement
// per table instead of one trigger run per row (see schema/0003_search.sql
// for why). Call it right after the transaction begins; a rollback takes
// the marks with it. It also notes, on the import's connection only, the
// posts whose excerpt the import changes in place, for prepareDerived.
func deferSearchIndex(ctx context.Context, tx execer) error {
	for _, t := range searchTables {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO _settings (key, value)
			SELECT 'fts_deferred_`+t.table+`', coalesce(max(id), 0) FROM `+t.table); err != nil {
			return fmt.Errorf("defer search index of %s: %w", t.table, err)
		}
	}
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS wparchive_excerpt_changed (id INTEGER PRIMARY KEY)`,
		`DELETE FROM temp.wparchive_excerpt_changed`,
		`CREATE TEMP TRIGGER IF NOT EXISTS wparchive_excerpt_changed AFTER UPDATE OF excerpt ON main.posts
		WHEN old.excerpt IS NOT new.excerpt
		BEGIN
			INSERT OR IGNORE INTO wparchive_excerpt_changed (id) VALUES (new.id);
		END`,
		// Whether the import deleted comments (replacing a changed post's),
		// which may leave commenters without comments.
		`CREATE TEMP TABLE IF NOT EXISTS wparchive_comments_deleted (one INTEGER PRIMARY KEY)`,
		`DELETE FROM temp.wparchive_comments_deleted`,
		`CREATE TEMP TRIGGER IF NOT EXISTS wparchive_comments_deleted AFTER DELETE ON main.comments
		BEGIN
			INSERT OR IGNORE INTO wparchive_comments_deleted (one) VALUES (1);
		END`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("defer search index: %w", err)
		}
	}
	return nil
}

// flushSearchIndex prepares the derived columns of the rows the import
// added or changed (prepareDerived; prepared: the Writer wrote them all
// with theirs), indexes the rows added since deferSearchIndex, unless a
// side index holds them already (indexed), and removes the marks, in the
// import's transaction, before it commits.
func flushSearchIndex(ctx context.Context, tx execer, indexed, prepared bool) error {
	// The tables deferSearchIndex made, should it not have run.
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS wparchive_excerpt_changed (id INTEGER PRIMARY KEY)`,
		`CREATE TEMP TABLE IF NOT EXISTS wparchive_comments_deleted (one INTEGER PRIMARY KEY)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index for search: %w", err)
		}
	}
	if err := prepareDerived(ctx, tx, prepared); err != nil {
		return err
	}
	if err := dropOrphanCommenters(ctx, tx); err != nil {
		return err
	}
	for _, t := range searchTables {
		if !indexed {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+t.table+`_fts (rowid, `+t.cols+`)
				SELECT id, `+t.cols+` FROM `+t.table+`
				WHERE id > (SELECT value FROM _settings WHERE key = 'fts_deferred_`+t.table+`')`); err != nil {
				return fmt.Errorf("index %s for search: %w", t.table, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM _settings WHERE key = 'fts_deferred_`+t.table+`'`); err != nil {
			return fmt.Errorf("index %s for search: %w", t.table, err)
		}
	}
	for _, q := range []string{
		`DROP TRIGGER IF EXISTS temp.wparchive_excerpt_changed`,
		`DROP TABLE IF EXISTS temp.wparchive_excerpt_changed`,
		`DROP TRIGGER IF EXISTS temp.wparchive_comments_deleted`,
		`DROP TABLE IF EXISTS temp.wparchive_comments_deleted`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index posts for search: %w", err)
		}
	}
	return nil
}

// prepareDerived fills the derived columns that SQL cannot compute
// (schema/0005_excerpts_pings_privacy.sql), for the rows the Writer did
// not write them with (it does with every row it adds): posts.excerpt_cjk,
// the excerpt as SearchText prepares it where that changes it, which the
// index reads through posts.search_excerpt, and comments.ping_blog_name,
// a trackback's blog name with HTML entities decoded, which the pings
// view reads. It prepares the rows added since deferSearchIndex and the
// posts whose excerpt changed, or every row once after the migration.
// Rows already indexed are re-indexed by the update trigger.
//
// prepared says that every row of the tables was written by this import's
// Writer, which writes both columns with each new row (excerptCJK,
// pingBlogName) and updated none: an import into an archive without
// posts. Then there is nothing to prepare: reading every new post's
// excerpt (after content, in the rows' overflow pages) and every
// trackback again made the 200 MB export's finishing indexes, at the
// import's single-threaded end, 0.11 s longer (`wparchive import
// --timings`, 5 alternated runs: medians 0.898 and 0.789 s). The mark of
// a migration (prepare_all_derived) is removed all the same.
func prepareDerived(ctx context.Context, tx execer, prepared bool) error {
	if prepared {
		if _, err := tx.ExecContext(ctx, `DELETE FROM _settings WHERE key = 'prepare_all_derived'`); err != nil {
			return fmt.Errorf("prepare derived columns: %w", err)
		}
		return nil
	}
	var all bool
	if err := tx.QueryRowContext(ctx, `SELECT count(*) > 0 FROM _settings WHERE key = 'prepare_all_derived'`).Scan(&all); err != nil {
		return fmt.Errorf("prepare derived columns: %w", err)
	}

	// Posts: those added (above the mark) or with a changed excerpt.
	sel := `SELECT id, excerpt, excerpt_cjk FROM posts
		WHERE id > (SELECT value FROM _settings WHERE key = 'fts_deferred_posts')
		AND (coalesce(excerpt, '') != '' OR excerpt_cjk IS NOT NULL)
		UNION ALL
		SELECT p.id, p.excerpt, p.excerpt_cjk FROM temp.wparchive_excerpt_changed t JOIN posts p ON p.id = t.id
		WHERE p.id <= (SELECT value FROM _settings WHERE key = 'fts_deferred_posts')`
	if all {
		sel = `SELECT id, excerpt, excerpt_cjk FROM posts WHERE coalesce(excerpt, '') != '' OR excerpt_cjk IS NOT NULL`
	}
	type change struct {
		id  int64
		val any
	}
	var changes []change
	rows, err := tx.QueryContext(ctx, sel)
	if err != nil {
		return fmt.Errorf("prepare excerpts for search: %w", err)
	}
	for rows.Next() {
		var (
			id           int64
			excerpt, cjk sql.NullString
		)
		if err := rows.Scan(&id, &excerpt, &cjk); err != nil {
			rows.Close()
			return fmt.Errorf("prepare excerpts for search: %w", err)
		}
		var want sql.NullString
		if s := SearchText(excerpt.String); s != excerpt.String {
			want = sql.NullString{String: s, Valid: true}
		}
		if want != cjk {
			var v any
			if want.Valid {
				v = want.String
			}
			changes = append(changes, change{id, v})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("prepare excerpts for search: %w", err)
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET excerpt_cjk = ? WHERE id = ?`, c.val, c.id); err != nil {
			return fmt.Errorf("prepare excerpts for search: %w", err)
		}
	}

	// Trackbacks: comments are always added, never updated, by an import.
	sel = `SELECT id, author FROM comments WHERE kind = 'trackback'
		AND id > (SELECT value FROM _settings WHERE key = 'fts_deferred_comments')`
	if all {
		sel = `SELECT id, author FROM comments WHERE kind = 'trackback'`
	}
	changes = changes[:0]
	rows, err = tx.QueryContext(ctx, sel)
	if err != nil {
		return fmt.Errorf("prepare blog names: %w", err)
	}
	for rows.Next() {
		var (
			id     int64
			author sql.NullString
		)
		if err := rows.Scan(&id, &author); err != nil {
			rows.Close()
			return fmt.Errorf("prepare blog names: %w", err)
		}
		var v any
		if name := strings.TrimSpace(html.UnescapeString(author.String)); name != "" {
			v = name
		}
		changes = append(changes, change{id, v})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("prepare blog names: %w", err)
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET ping_blog_name = ? WHERE id = ?`, c.val, c.id); err != nil {
			return fmt.Errorf("prepare blog names: %w", err)
		}
	}
	if all {
		if _, err := tx.ExecContext(ctx, `DELETE FROM _settings WHERE key = 'prepare_all_derived'`); err != nil {
			return fmt.Errorf("prepare derived columns: %w", err)
		}
	}
	return nil
}

// dropOrphanCommenters deletes the commenters no comment refers to any
// more, when the import deleted comments. An import that gives a comment
// another identity than the archive had for it (import --redact over an
// archive that holds the export unredacted, a commenter's changed e-mail)
// replaces the comment but would leave its old commenter row, e-mail
// included.
func dropOrphanCommenters(ctx context.Context, tx execer) error {
	var deleted bool
	if err := tx.QueryRowContext(ctx, `SELECT count(*) > 0 FROM temp.wparchive_comments_deleted`).Scan(&deleted); err != nil {
		return fmt.Errorf("drop commenters without comments: %w", err)
	}
	if !deleted {
		return nil
	}
	// NOT IN reads the comments once, whether or not the import dropped
	// comments_commenter for the time being.
	if _, err := tx.ExecContext(ctx, `DELETE FROM commenters
		WHERE id NOT IN (SELECT commenter_id FROM comments WHERE commenter_id IS NOT NULL)`); err != nil {
		return fmt.Errorf("drop commenters without comments: %w", err)
	}
	return nil
}

// SecureDelete makes SQLite overwrite with zeros what the import deletes
// or replaces (PRAGMA secure_delete), in pages it keeps and pages it
// frees, so that import --redact over an archive that holds the same
// export unredacted leaves no plain address in the file's free space.
// It makes deleting slower; call it before adding rows.
func (w *Writer) SecureDelete(ctx context.Context) error {
	if w.done {
		return ErrClosed
	}
	if _, err := w.tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return fmt.Errorf("secure delete: %w", err)
	}
	return nil
}

// CheckSearchIndex compares each full-text index with its table and
// returns an error naming the first that differs (FTS5's integrity-check
// with rank 1, which reads the content table).
func (a *Archive) CheckSearchIndex(ctx context.Context) error {
	for _, t := range searchTables {
		if _, err := a.db.ExecContext(ctx, `INSERT INTO `+t.table+`_fts (`+t.table+`_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
			if errors.Is(ctx.Err(), context.Canceled) {
				return ctx.Err()
			}
			return fmt.Errorf("search index of %s in %s does not match the table: %w", t.table, a.path, err)
		}
	}
	return nil
}
