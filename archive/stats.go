package archive

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// Counts are the sizes of one site's part of the archive, or of all of it.
type Counts struct {
	Posts            int            `json:"posts"`
	PostsByType      map[string]int `json:"posts_by_type"`
	PostsByStatus    map[string]int `json:"posts_by_status"`
	Comments         int            `json:"comments"`
	CommentsByKind   map[string]int `json:"comments_by_kind"`
	CommentsByStatus map[string]int `json:"comments_by_status"`
	OrphanComments   int            `json:"orphan_comments"`
	Commenters       int            `json:"commenters"`
	Authors          int            `json:"authors"`
	Terms            int            `json:"terms"`
	TermsByTaxonomy  map[string]int `json:"terms_by_taxonomy"`
	PostMeta         int            `json:"postmeta"`
	CommentMeta      int            `json:"commentmeta"`
	TermMeta         int            `json:"termmeta"`
	Quotes           int            `json:"quotes"`
	// FirstPostAt and LastPostAt are the earliest and latest date (ISO
	// 8601 UTC) of a published item of type post; "" when there is none.
	FirstPostAt  string `json:"first_post_at,omitempty"`
	LastPostAt   string `json:"last_post_at,omitempty"`
	Imports      int    `json:"imports"`
	LastImportAt string `json:"last_import_at,omitempty"` // when the last import finished
}

// SiteStats describes one site of the archive. It holds no e-mail address
// or IP address.
type SiteStats struct {
	Key        string `json:"key"`
	Title      string `json:"title"`
	URL        string `json:"url"` // base blog URL, else the channel link
	Language   string `json:"language"`
	WXRVersion string `json:"wxr_version"`
	Counts
}

// Stats describes the whole archive, for `wparchive stats`.
type Stats struct {
	Path          string      `json:"path"`
	SchemaVersion int         `json:"schema_version"`
	Sites         []SiteStats `json:"sites"` // by key
	Total         Counts      `json:"total"`
}

func newCounts() Counts {
	return Counts{
		PostsByType: map[string]int{}, PostsByStatus: map[string]int{},
		CommentsByKind: map[string]int{}, CommentsByStatus: map[string]int{},
		TermsByTaxonomy: map[string]int{},
	}
}

// Stats counts the archive's contents per site and in total. It reads
// inside one transaction, so the numbers agree with each other even while
// an import commits.
func (a *Archive) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Path: a.path, Sites: []SiteStats{}, Total: newCounts()}
	// A read transaction on one connection: a consistent snapshot. With
	// the read-write DSN's _txlock=immediate a BEGIN would take the write
	// lock, so the snapshot is a plain BEGIN on a raw connection.
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return st, fmt.Errorf("stats of %s: %w", a.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return st, fmt.Errorf("stats of %s: %w", a.path, err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	if err := a.stats(ctx, conn, &st); err != nil {
		return st, fmt.Errorf("stats of %s: %w", a.path, err)
	}
	return st, nil
}

func (a *Archive) stats(ctx context.Context, conn *sql.Conn, st *Stats) error {
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&st.SchemaVersion); err != nil {
		return err
	}
	sites := map[int64]*Counts{}
	var order []int64
	{
		rows, err := conn.QueryContext(ctx, `SELECT id, site_key, coalesce(title, ''),
			coalesce(nullif(base_blog_url, ''), link, ''), coalesce(language, ''), coalesce(wxr_version, '')
			FROM sites ORDER BY site_key`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			s := SiteStats{Counts: newCounts()}
			if err := rows.Scan(&id, &s.Key, &s.Title, &s.URL, &s.Language, &s.WXRVersion); err != nil {
				rows.Close()
				return err
			}
			st.Sites = append(st.Sites, s)
			order = append(order, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, id := range order {
			sites[id] = &st.Sites[i].Counts
		}
	}
	// Each query yields (site_id, label, label2, n) rows; add adds them to
	// the site and the total. Rows of a site_id not in sites (none, with
	// foreign keys on) count in the total only.
	each := func(q string, add func(c *Counts, k1, k2 string, n int)) error {
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var site sql.NullInt64
			var k1, k2 string
			var n int
			if err := rows.Scan(&site, &k1, &k2, &n); err != nil {
				return err
			}
			if c := sites[site.Int64]; c != nil {
				add(c, k1, k2, n)
			}
			add(&st.Total, k1, k2, n)
		}
		return rows.Err()
	}
	queries := []struct {
		q   string
		add func(c *Counts, k1, k2 string, n int)
	}{
		{`SELECT site_id, coalesce(post_type, ''), coalesce(status, ''), count(*) FROM posts GROUP BY 1, 2, 3`,
			func(c *Counts, typ, status string, n int) {
				c.Posts += n
				c.PostsByType[typ] += n
				c.PostsByStatus[status] += n
			}},
		{`SELECT p.site_id, coalesce(c.kind, ''), coalesce(c.status, ''), count(*), sum(c.orphan)
			FROM comments c JOIN posts p ON p.id = c.post_id GROUP BY 1, 2, 3`, nil},
		{`SELECT site_id, '', '', count(*) FROM authors GROUP BY 1`,
			func(c *Counts, _, _ string, n int) { c.Authors += n }},
		{`SELECT site_id, '', '', count(*) FROM commenters GROUP BY 1`,
			func(c *Counts, _, _ string, n int) { c.Commenters += n }},
		{`SELECT site_id, taxonomy, '', count(*) FROM terms GROUP BY 1, 2`,
			func(c *Counts, tax, _ string, n int) {
				c.Terms += n
				c.TermsByTaxonomy[tax] += n
			}},
		{`SELECT p.site_id, '', '', count(*) FROM postmeta m JOIN posts p ON p.id = m.post_id GROUP BY 1`,
			func(c *Counts, _, _ string, n int) { c.PostMeta += n }},
		{`SELECT p.site_id, '', '', count(*) FROM commentmeta m JOIN comments c ON c.id = m.comment_id
			JOIN posts p ON p.id = c.post_id GROUP BY 1`,
			func(c *Counts, _, _ string, n int) { c.CommentMeta += n }},
		{`SELECT t.site_id, '', '', count(*) FROM termmeta m JOIN terms t ON t.id = m.term_id GROUP BY 1`,
			func(c *Counts, _, _ string, n int) { c.TermMeta += n }},
		{`SELECT p.site_id, '', '', count(*) FROM quotes q JOIN posts p ON p.id = q.post_id GROUP BY 1`,
			func(c *Counts, _, _ string, n int) { c.Quotes += n }},
		{`SELECT site_id, '', '', count(*) FROM _imports WHERE finished_at IS NOT NULL GROUP BY 1`,
			func(c *Counts, _, _ string, n int) { c.Imports += n }},
	}
	for _, q := range queries {
		if q.add == nil {
			continue
		}
		if err := each(q.q, q.add); err != nil {
			return err
		}
	}
	// Comments carry a fifth column (orphans), so they are read on their own.
	{
		rows, err := conn.QueryContext(ctx, queries[1].q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var site int64
			var kind, status string
			var n, orphans int
			if err := rows.Scan(&site, &kind, &status, &n, &orphans); err != nil {
				rows.Close()
				return err
			}
			for _, c := range []*Counts{sites[site], &st.Total} {
				if c == nil {
					continue
				}
				c.Comments += n
				c.CommentsByKind[kind] += n
				c.CommentsByStatus[status] += n
				c.OrphanComments += orphans
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	// Dates: per site, and the total's extremes from them.
	dates := func(q string, set func(c *Counts, first, last string)) error {
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		var all []string
		for rows.Next() {
			var site sql.NullInt64
			var first, last sql.NullString
			if err := rows.Scan(&site, &first, &last); err != nil {
				return err
			}
			if !first.Valid {
				continue
			}
			if c := sites[site.Int64]; c != nil {
				set(c, first.String, last.String)
			}
			all = append(all, first.String, last.String)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(all) > 0 {
			sort.Strings(all)
			set(&st.Total, all[0], all[len(all)-1])
		}
		return nil
	}
	if err := dates(`SELECT site_id, min(date_at), max(date_at) FROM posts
		WHERE post_type = 'post' AND status = 'publish' AND date_at IS NOT NULL GROUP BY 1`,
		func(c *Counts, first, last string) { c.FirstPostAt, c.LastPostAt = first, last }); err != nil {
		return err
	}
	return dates(`SELECT site_id, max(finished_at), max(finished_at) FROM _imports
		WHERE finished_at IS NOT NULL GROUP BY 1`,
		func(c *Counts, _, last string) { c.LastImportAt = last })
}
