package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// QuoteFilter selects the foreign-language passages Quotes returns. The
// zero value selects every passage of every post but revisions,
// auto-drafts and trashed posts.
type QuoteFilter struct {
	// Lang keeps passages in this language, a BCP 47 prefix: "zh" keeps
	// zh-Hans and zh-Hant, "zh-hant" only the latter.
	Lang string
	// PostID keeps the passages of this post (archive row id, as FindPost
	// returns it); 0 means every post. A post named this way is listed
	// whatever its type or status.
	PostID int64
	// Site keeps the passages of one site: its key or URL, as FindOptions.Site.
	Site string
	// Kind is "block", "inline" or "" for both.
	Kind string
	// Unpaired keeps only passages without a translation.
	Unpaired bool
	// Repeats keeps only passages that repeat an earlier one of their post,
	// and the passages they repeat.
	Repeats bool
	// All also lists the passages of revisions, auto-drafts and trashed posts.
	All bool
	// Limit is the most passages returned; 0 means no limit.
	Limit int
}

// QuoteView is one foreign-language passage with the post it is in.
type QuoteView struct {
	ID     int64  `json:"id"`
	Ord    int    `json:"ord"`  // position among the post's blocks and inline runs
	Kind   string `json:"kind"` // block or inline
	Tag    string `json:"tag"`  // the block's element: p, blockquote, li, h2, td …
	Lang   string `json:"lang"`
	Script string `json:"script"` // ISO 15924: Hans, Cyrl …
	// Raw is the passage as the post's content has it, markup included.
	Raw string `json:"raw"`
	// Normalized is its text after the normalisations listed in Fixes.
	Normalized string `json:"normalized"`
	// Translation is the text of the block paired with a block passage,
	// or the sentence an inline passage sits in; TranslationOrd is that
	// block's Ord, nil when the passage is unpaired.
	Translation    string `json:"translation"`
	TranslationOrd *int   `json:"translation_ord"`
	// RepeatOfOrd is the Ord of the earlier passage this one repeats.
	RepeatOfOrd *int `json:"repeat_of_ord"`
	// Fixes counts the normalisations applied, by rule.
	Fixes map[string]int `json:"fixes"`
	Post  QuotePost      `json:"post"`
}

// QuotePost is the post a QuoteView belongs to.
type QuotePost struct {
	ID      int64  `json:"id"` // the archive's row id
	Site    string `json:"site"`
	WPID    *int64 `json:"wp_id"`
	Type    string `json:"type"`
	Status  string `json:"status"`
	Title   string `json:"title"` // HTML entities decoded
	Link    string `json:"link,omitempty"`
	DateRaw string `json:"date_raw,omitempty"` // the site's local time, as exported
	DateAt  string `json:"date_at,omitempty"`  // UTC
	Lang    string `json:"lang,omitempty"`     // the post's main language
}

// Quotes returns the passages f selects, newest post first and in
// document order within a post, in one read. It returns an empty slice
// when nothing matches, ErrPostNotFound (wrapped) for an unknown f.Site,
// and the database's errors.
func (a *Archive) Quotes(ctx context.Context, f QuoteFilter) ([]QuoteView, error) {
	var w where
	if f.Site != "" {
		ids, err := a.siteFilter(ctx, f.Site)
		if err != nil {
			return nil, err
		}
		w.add("p.site_id IN ("+placeholders(len(ids))+")", int64s(ids)...)
	}
	if f.PostID != 0 {
		w.add("q.post_id = ?", f.PostID)
	} else if !f.All {
		w.add(`p.post_type IS NOT 'revision' AND p.status NOT IN ('auto-draft', 'trash')`)
	}
	if strings.TrimSpace(f.Lang) != "" {
		langFilter(&w, "q.lang", f.Lang)
	}
	if f.Kind != "" {
		w.add("q.kind = ?", f.Kind)
	}
	if f.Unpaired {
		w.add("q.translation_ord IS NULL")
	}
	if f.Repeats {
		// The repeated passage too, so that "repeat of #N" can be read
		// beside #N.
		w.add(`(q.repeat_of_ord IS NOT NULL OR EXISTS (SELECT 1 FROM quotes r
			WHERE r.post_id = q.post_id AND r.repeat_of_ord = q.ord))`)
	}
	query := `SELECT q.id, q.ord, q.kind, coalesce(q.tag, ''), coalesce(q.lang, ''), coalesce(q.script, ''),
			q.raw, q.normalized, coalesce(q.translation, ''), q.translation_ord, q.repeat_of_ord, q.fixes_json,
			p.id, s.site_key, p.wp_id, coalesce(p.post_type, ''), coalesce(p.status, ''), coalesce(p.title, ''),
			coalesce(p.link, ''), coalesce(p.date_raw, ''), coalesce(p.date_at, ''), coalesce(p.lang, s.language, '')
		FROM quotes q JOIN posts p ON p.id = q.post_id JOIN sites s ON s.id = p.site_id
		` + w.sql() + `
		ORDER BY p.date_at IS NULL, p.date_at DESC, p.id DESC, q.ord`
	args := w.args
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := a.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list quotes: %w", err)
	}
	defer rows.Close()
	qs := []QuoteView{}
	for rows.Next() {
		var (
			q             QuoteView
			tr, rep, wpID sql.NullInt64
			fixes         sql.NullString
		)
		if err := rows.Scan(&q.ID, &q.Ord, &q.Kind, &q.Tag, &q.Lang, &q.Script,
			&q.Raw, &q.Normalized, &q.Translation, &tr, &rep, &fixes,
			&q.Post.ID, &q.Post.Site, &wpID, &q.Post.Type, &q.Post.Status, &q.Post.Title,
			&q.Post.Link, &q.Post.DateRaw, &q.Post.DateAt, &q.Post.Lang); err != nil {
			return nil, fmt.Errorf("list quotes: %w", err)
		}
		q.TranslationOrd, q.RepeatOfOrd = intPtr(tr), intPtr(rep)
		q.Post.WPID = ptr(wpID)
		q.Post.Title = html.UnescapeString(q.Post.Title)
		q.Fixes = map[string]int{}
		if fixes.String != "" {
			if err := json.Unmarshal([]byte(fixes.String), &q.Fixes); err != nil {
				return nil, fmt.Errorf("quote %d: fixes_json: %w", q.ID, err)
			}
		}
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list quotes: %w", err)
	}
	return qs, nil
}

// HasQuotes reports whether the archive holds any foreign-language
// passage, so that an empty listing can say whether the filters or the
// archive left nothing.
func (a *Archive) HasQuotes(ctx context.Context) (bool, error) {
	var n int
	if err := a.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM quotes)`).Scan(&n); err != nil {
		return false, fmt.Errorf("count quotes: %w", err)
	}
	return n != 0, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	x := int(n.Int64)
	return &x
}

func int64s(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
