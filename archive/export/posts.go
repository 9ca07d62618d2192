package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wparchive/wparchive/archive/markdown"
)

// ErrNoSite is returned by Markdown when Options.Site names no site of
// the archive (or several), or the archive holds none.
var ErrNoSite = errors.New("export: no such site")

// site is the site being exported.
type site struct {
	id       int64
	key      string
	title    string
	url      string // base blog URL, else the channel's link
	language string // the channel's <language>
}

// loadSites returns the site named by ref (its row id, key, title, URL or
// host), or every site of the archive when ref is "".
func loadSites(ctx context.Context, db *sql.DB, ref string) ([]*site, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, site_key, coalesce(title, ''), coalesce(nullif(base_blog_url, ''), link, ''),
		coalesce(language, '') FROM sites ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	defer rows.Close()
	var all []*site
	for rows.Next() {
		s := &site{}
		if err := rows.Scan(&s.id, &s.key, &s.title, &s.url, &s.language); err != nil {
			return nil, fmt.Errorf("list sites: %w", err)
		}
		all = append(all, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	keys := make([]string, len(all))
	for i, s := range all {
		keys[i] = s.key
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		if len(all) == 0 {
			return nil, fmt.Errorf("%w: the archive is empty (import an export first)", ErrNoSite)
		}
		return all, nil
	}
	host := ref
	if u, err := url.Parse(ref); err == nil && u.Host != "" {
		host = strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimRight(u.Path, "/")
	}
	var found []*site
	for _, s := range all {
		if strconv.FormatInt(s.id, 10) == ref || s.key == ref || s.key == host || strings.EqualFold(s.title, ref) ||
			(s.url != "" && strings.TrimRight(s.url, "/") == strings.TrimRight(ref, "/")) {
			found = append(found, s)
		}
	}
	if len(found) == 1 {
		return found, nil
	}
	if len(found) > 1 {
		return nil, fmt.Errorf("%w: %q names %d sites; give its key (one of %s)", ErrNoSite, ref, len(found), strings.Join(keys, ", "))
	}
	return nil, fmt.Errorf("%w: no site %q in the archive (its sites: %s)", ErrNoSite, ref, strings.Join(keys, ", "))
}

// post is one row of the posts table with what the export needs of it,
// and, once planned, where it goes.
type post struct {
	id        int64 // archive row id
	wpID      int64
	typ       string
	status    string
	title     string // as exported (HTML)
	link      string
	slugRaw   string // percent-encoded, as exported
	excerpt   string
	dateRaw   string
	dateGMT   string
	modRaw    string
	modGMT    string
	pubDate   string // the item's RSS pubDate
	parentID  int64  // archive row id of the parent; 0: none
	menuOrder int64
	protected bool // has a password
	author    string
	lang      string
	attURL    string

	thumbnail int64    // _thumbnail_id
	oldSlugs  []string // _wp_old_slug
	footnotes string   // footnotes (block editor JSON)
	alt       string   // _wp_attachment_image_alt (attachments)

	categories []string
	tags       []string
	taxonomies []markdown.Taxonomy

	// Decided by the plan.
	draft    bool
	date     time.Time
	modified time.Time
	slug     string // output slug: safe, unique in its folder
	key      string // comments key: the slug unique in the whole export
	rel      string // the Markdown file, relative to the output folder, with "/"
	url      string // the post's new path (Hugo) or permalink (Jekyll), "" when unknown
	renamed  bool   // slug got a suffix to stay unique
	parent   *post  // exported parent page
	children int    // exported child pages
}

// archiveData is what one export reads from the archive, apart from the
// contents of the exported posts (streamed while converting).
type archiveData struct {
	site        *site
	posts       []*post          // every post of the site, by row id
	byID        map[int64]*post  // by row id
	attachments map[int64]*post  // attachments by WordPress id (the first row of a repeated id)
	attached    map[int64][]int  // row id of a parent → WordPress ids of its attachments in menu order
	blocks      map[int64]string // wp_block content by WordPress id
	zone        *time.Location   // the site's offset (see siteZone)
}

// loadData reads the site's posts (without content), their terms and the
// meta keys the export uses. The posts are read in two halves by row id,
// on db and on posts2, while terms reads the terms and then the meta: the
// posts query was 0.6 s of the start of an export of 20,000 posts, when
// little else can run (the posts' rows hold their contents, which SQLite
// walks through to the columns after them).
func loadData(ctx context.Context, db, posts2, terms Querier, s *site) (*archiveData, error) {
	d := &archiveData{site: s, byID: map[int64]*post{}, attachments: map[int64]*post{},
		attached: map[int64][]int{}, blocks: map[int64]string{}}
	var lo, hi sql.NullInt64
	rows, err := db.QueryContext(ctx, `SELECT min(id), max(id) FROM posts WHERE site_id = ?`, s.id)
	if err != nil {
		return nil, fmt.Errorf("read posts: %w", err)
	}
	for rows.Next() {
		err = rows.Scan(&lo, &hi)
	}
	if err == nil {
		err = rows.Err()
	}
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("read posts: %w", err)
	}
	if !lo.Valid {
		return d, nil
	}
	mid := lo.Int64 + (hi.Int64-lo.Int64)/2
	type half struct {
		posts  []*post
		blocks map[*post]string
		err    error
	}
	second := make(chan half, 1)
	go func() {
		ps, blocks, err := readPosts(ctx, posts2, s.id, mid+1, hi.Int64)
		second <- half{ps, blocks, err}
	}()
	type termsResult struct {
		byPost map[int64]*postTerms
		meta   []metaRow
		err    error
	}
	termsDone := make(chan termsResult, 1)
	go func() {
		byPost, err := readTerms(ctx, terms, s.id)
		var meta []metaRow
		if err == nil {
			meta, err = readMeta(ctx, terms, s.id)
		}
		termsDone <- termsResult{byPost, meta, err}
	}()
	ps, blocks, err := readPosts(ctx, db, s.id, lo.Int64, mid)
	// Every return waits for both goroutines: the caller gives their
	// connections back after.
	h2 := <-second
	tr := <-termsDone
	for _, e := range []error{err, h2.err, tr.err} {
		if e != nil {
			return nil, e
		}
	}
	d.posts = append(ps, h2.posts...)
	for p, b := range h2.blocks {
		blocks[p] = b
	}
	for _, p := range d.posts {
		d.byID[p.id] = p
		switch p.typ {
		case "attachment":
			if _, dup := d.attachments[p.wpID]; !dup && p.wpID > 0 {
				d.attachments[p.wpID] = p
			}
		case "wp_block":
			if _, dup := d.blocks[p.wpID]; !dup && p.wpID > 0 {
				d.blocks[p.wpID] = blocks[p]
			}
		}
	}
	d.applyMeta(tr.meta)
	for id, pt := range tr.byPost {
		if p := d.byID[id]; p != nil {
			p.categories, p.tags, p.taxonomies = pt.categories, pt.tags, pt.taxonomies
		}
	}
	// [gallery] without ids shows the attachments of the post, in menu
	// order then by id, as WordPress's get_children does.
	var atts []*post
	for _, p := range d.posts {
		if p.typ == "attachment" && p.parentID != 0 && p.wpID > 0 {
			atts = append(atts, p)
		}
	}
	sort.SliceStable(atts, func(i, j int) bool {
		if atts[i].menuOrder != atts[j].menuOrder {
			return atts[i].menuOrder < atts[j].menuOrder
		}
		return atts[i].wpID < atts[j].wpID
	})
	for _, a := range atts {
		d.attached[a.parentID] = append(d.attached[a.parentID], int(a.wpID))
	}
	return d, nil
}

// readPosts reads the site's posts with row ids from lo to hi, in row id
// order (the table's own order: no sorting), and the content of its
// reusable blocks (wp_block).
func readPosts(ctx context.Context, db Querier, siteID, lo, hi int64) ([]*post, map[*post]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT p.id, coalesce(p.wp_id, 0), coalesce(p.post_type, ''), coalesce(p.status, ''),
			coalesce(p.title, ''), coalesce(p.link, ''), coalesce(p.slug, ''), coalesce(p.excerpt, ''),
			coalesce(p.date_raw, ''), coalesce(p.date_gmt_raw, ''), coalesce(p.modified_raw, ''), coalesce(p.modified_gmt_raw, ''),
			coalesce(p.parent_id, 0), coalesce(p.menu_order, 0), coalesce(p.password, '') <> '',
			coalesce(nullif(a.display_name, ''), nullif(a.login, ''), p.creator, ''), coalesce(p.lang, ''),
			coalesce(p.attachment_url, ''), coalesce(p.pub_date_raw, ''),
			CASE WHEN p.post_type = 'wp_block' THEN coalesce(p.content, '') ELSE '' END
		FROM posts p LEFT JOIN authors a ON a.id = p.author_id
		WHERE p.id BETWEEN ? AND ? AND +p.site_id = ? ORDER BY p.id`, lo, hi, siteID)
	if err != nil {
		return nil, nil, fmt.Errorf("read posts: %w", err)
	}
	defer rows.Close()
	var posts []*post
	blocks := map[*post]string{}
	for rows.Next() {
		p := &post{}
		var block string
		if err := rows.Scan(&p.id, &p.wpID, &p.typ, &p.status, &p.title, &p.link, &p.slugRaw, &p.excerpt,
			&p.dateRaw, &p.dateGMT, &p.modRaw, &p.modGMT, &p.parentID, &p.menuOrder, &p.protected,
			&p.author, &p.lang, &p.attURL, &p.pubDate, &block); err != nil {
			return nil, nil, fmt.Errorf("read posts: %w", err)
		}
		p.author = strings.TrimSpace(p.author)
		posts = append(posts, p)
		if p.typ == "wp_block" {
			blocks[p] = block
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read posts: %w", err)
	}
	return posts, blocks, nil
}

// metaRow is one row of the post meta the export uses.
type metaRow struct {
	post       int64
	key, value string
}

// readMeta reads the post meta the export uses, by post and in the
// export's order.
func readMeta(ctx context.Context, db Querier, siteID int64) ([]metaRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT m.post_id, m.meta_key, coalesce(m.meta_value, '')
		FROM postmeta m JOIN posts p ON p.id = m.post_id
		WHERE +p.site_id = ? AND m.meta_key IN ('_thumbnail_id', '_wp_old_slug', 'footnotes', '_wp_attachment_image_alt')
		ORDER BY m.post_id, m.ord`, siteID)
	if err != nil {
		return nil, fmt.Errorf("read post meta: %w", err)
	}
	defer rows.Close()
	var out []metaRow
	for rows.Next() {
		var r metaRow
		if err := rows.Scan(&r.post, &r.key, &r.value); err != nil {
			return nil, fmt.Errorf("read post meta: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read post meta: %w", err)
	}
	return out, nil
}

// applyMeta gives the posts their meta.
func (d *archiveData) applyMeta(meta []metaRow) {
	for _, m := range meta {
		p := d.byID[m.post]
		if p == nil {
			continue
		}
		switch m.key {
		case "_thumbnail_id":
			if n, err := strconv.ParseInt(strings.TrimSpace(m.value), 10, 64); err == nil && n > 0 && p.thumbnail == 0 {
				p.thumbnail = n
			}
		case "_wp_old_slug":
			if v := strings.TrimSpace(m.value); v != "" {
				p.oldSlugs = append(p.oldSlugs, v)
			}
		case "footnotes":
			if strings.TrimSpace(m.value) != "" && p.footnotes == "" {
				p.footnotes = m.value
			}
		case "_wp_attachment_image_alt":
			if p.alt == "" {
				p.alt = strings.TrimSpace(m.value)
			}
		}
	}
}

// ignoredTaxonomies are WordPress's own taxonomies that are no terms a
// reader sees.
var ignoredTaxonomies = map[string]bool{"nav_menu": true, "post_format": true, "link_category": true, "wp_theme": true, "wp_template_part_area": true}

// postTerms are the terms of one post.
type postTerms struct {
	categories []string
	tags       []string
	taxonomies []markdown.Taxonomy
}

// readTerms reads the terms of every post of the site, by post row id:
// categories, tags and custom taxonomies (sorted by name), as display
// names in the export's order, each once.
func readTerms(ctx context.Context, db Querier, siteID int64) (map[int64]*postTerms, error) {
	rows, err := db.QueryContext(ctx, `SELECT pt.post_id, coalesce(t.taxonomy, pt.domain, ''), coalesce(nullif(t.name, ''), pt.name, t.name_raw, '')
		FROM post_terms pt JOIN posts p ON p.id = pt.post_id LEFT JOIN terms t ON t.id = pt.term_id
		WHERE p.site_id = ? ORDER BY pt.post_id, pt.ord`, siteID)
	if err != nil {
		return nil, fmt.Errorf("read terms: %w", err)
	}
	defer rows.Close()
	type seenKey struct {
		post int64
		term *termName
	}
	seen := map[seenKey]bool{}
	byPost := map[int64]*postTerms{}
	// A site has a few hundred distinct terms at most, on tens of
	// thousands of rows: each (taxonomy, name) is worked out once, and
	// the rows' bytes find it without a copy.
	names := map[string]*termName{} // by the row's taxonomy, NUL, name
	folds := map[string]*termName{} // by taxonomy, NUL, lower-cased plain name
	var key []byte
	var id int64
	var rawTax, rawName sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &rawTax, &rawName); err != nil {
			return nil, fmt.Errorf("read terms: %w", err)
		}
		key = append(append(append(key[:0], rawTax...), 0), rawName...)
		tn := names[string(key)]
		if tn == nil {
			tn = newTermName(string(rawTax), string(rawName))
			if !tn.skip {
				fk := tn.tax + "\x00" + strings.ToLower(tn.name)
				if tn.fold = folds[fk]; tn.fold == nil {
					tn.fold = tn
					folds[fk] = tn
				}
			}
			names[string(key)] = tn
		}
		if tn.skip {
			continue
		}
		tax, name := tn.tax, tn.name
		k := seenKey{id, tn.fold}
		if seen[k] {
			continue
		}
		seen[k] = true
		p := byPost[id]
		if p == nil {
			p = &postTerms{}
			byPost[id] = p
		}
		switch tax {
		case "category":
			p.categories = append(p.categories, name)
		case "post_tag":
			p.tags = append(p.tags, name)
		default:
			i := len(p.taxonomies) - 1
			for ; i >= 0 && p.taxonomies[i].Name != tax; i-- {
			}
			if i < 0 {
				p.taxonomies = append(p.taxonomies, markdown.Taxonomy{Name: tax})
				i = len(p.taxonomies) - 1
			}
			p.taxonomies[i].Terms = append(p.taxonomies[i].Terms, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read terms: %w", err)
	}
	for _, p := range byPost {
		sort.SliceStable(p.taxonomies, func(i, j int) bool { return p.taxonomies[i].Name < p.taxonomies[j].Name })
	}
	return byPost, nil
}

// termName is a term as the front matter shows it: its taxonomy
// ("post_tag" for tags) and plain-text name, once for all the rows that
// spell it so.
type termName struct {
	tax, name string
	fold      *termName // the first one with this taxonomy and name, case aside: a post shows a term once
	skip      bool      // no name, no taxonomy, or one that readers do not see
}

func newTermName(tax, name string) *termName {
	name = markdown.PlainText(name)
	if tax == "tag" {
		tax = "post_tag"
	}
	return &termName{tax: tax, name: name, skip: name == "" || tax == "" || ignoredTaxonomies[tax]}
}

// attachment returns the converter's view of the attachment with
// WordPress id id.
func (d *archiveData) attachment(id int) (markdown.Attachment, bool) {
	a, ok := d.attachments[int64(id)]
	if !ok {
		return markdown.Attachment{}, false
	}
	return markdown.Attachment{URL: strings.TrimSpace(a.attURL), Alt: a.alt, Caption: a.excerpt, Title: markdown.PlainText(a.title)}, true
}

// reusableBlock returns the content of the wp_block with WordPress id id.
func (d *archiveData) reusableBlock(id int) (string, bool) {
	c, ok := d.blocks[int64(id)]
	return c, ok
}

// skipReason says why a post of a requested type is not exported, "" when
// it is.
func skipReason(p *post, opt *Options) string {
	var reason string
	switch p.status {
	case "publish":
	case "draft", "pending", "future":
		if !opt.Drafts {
			reason = map[string]string{"draft": ReasonDraft, "pending": ReasonPending, "future": ReasonScheduled}[p.status]
		}
	case "private":
		if !opt.IncludePrivate {
			reason = ReasonPrivate
		}
	case "trash":
		return ReasonTrash
	case "auto-draft":
		return ReasonAutoDraft
	case "inherit":
		if p.typ != "attachment" {
			return ReasonInherit
		}
	default:
		return "status " + strconv.Quote(p.status)
	}
	if reason == "" && p.protected && !opt.IncludePrivate {
		reason = ReasonPassword
	}
	return reason
}

// Reasons a post of a requested type is skipped (Summary.Skipped).
const (
	ReasonDraft     = "draft (--drafts)"
	ReasonPending   = "pending review (--drafts)"
	ReasonScheduled = "scheduled (--drafts)"
	ReasonPrivate   = "private (--include-private)"
	ReasonPassword  = "password-protected (--include-private)"
	ReasonTrash     = "in the trash"
	ReasonAutoDraft = "auto-draft"
	ReasonInherit   = "revision (status inherit)"
)
