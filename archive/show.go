package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// ErrPostNotFound is returned by FindPost when no post matches.
var ErrPostNotFound = errors.New("archive: no such post")

// AmbiguousError is returned by FindPost when a reference matches more
// than one post (WordPress ids repeat across sites and, in real exports,
// within one file; slugs repeat across post types).
type AmbiguousError struct {
	Ref     string
	Matches []PostMatch
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("archive: %q matches %d posts", e.Ref, len(e.Matches))
}

// PostMatch is a post that a reference matched.
type PostMatch struct {
	ID     int64  `json:"id"` // the archive's row id
	Site   string `json:"site"`
	WPID   *int64 `json:"wp_id"`
	Type   string `json:"type"`
	Status string `json:"status"`
	Title  string `json:"title"`
	Link   string `json:"link"`
}

// FindOptions narrow FindPost.
type FindOptions struct {
	// Site is a site key (sites.site_key, e.g. "example.org/blog") or a
	// site's URL; "" searches every site.
	Site string
}

// FindPost returns the archive row id of the post that ref names: a
// WordPress post id ("21873"), a slug, raw or percent-decoded
// ("%e4%b8%8a…" or "上合组织-sco"), or a URL: the permalink, the guid, a
// "?p=ID" link, or any URL whose path ends in the slug. It returns
// ErrPostNotFound when nothing matches and *AmbiguousError when several
// posts do and none is preferable (a revision, menu item or attachment
// gives way to the one post of another type).
func (a *Archive) FindPost(ctx context.Context, ref string, opt FindOptions) (int64, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return 0, fmt.Errorf("%w: empty reference", ErrPostNotFound)
	}
	siteIDs, err := a.siteFilter(ctx, opt.Site)
	if err != nil {
		return 0, err
	}
	var matches []PostMatch
	if isDigits(ref) {
		if matches, err = a.matchWPID(ctx, siteIDs, ref); err != nil {
			return 0, err
		}
	}
	if len(matches) == 0 && looksLikeURL(ref) {
		if matches, err = a.matchURL(ctx, siteIDs, ref); err != nil {
			return 0, err
		}
	}
	if len(matches) == 0 {
		if matches, err = a.matchSlug(ctx, siteIDs, ref); err != nil {
			return 0, err
		}
	}
	return pick(ref, matches)
}

// matchWPID finds posts by WordPress id. The site_id term lets SQLite use
// the (site_id, wp_id) index instead of scanning it.
func (a *Archive) matchWPID(ctx context.Context, siteIDs []int64, id string) ([]PostMatch, error) {
	if len(siteIDs) > 0 {
		return a.matchPosts(ctx, siteIDs, `p.wp_id = ?`, id)
	}
	return a.matchPosts(ctx, nil, `p.site_id IN (SELECT id FROM sites) AND p.wp_id = ?`, id)
}

// matchSlug finds posts by slug: as given, in the lower-case
// percent-encoding WordPress stores (through the slug index), and failing
// that by the decoded slug (a scan).
func (a *Archive) matchSlug(ctx context.Context, siteIDs []int64, slug string) ([]PostMatch, error) {
	dec := decodeSlug(slug)
	forms := []any{slug, strings.ToLower(slug), encodeSlug(dec)}
	ms, err := a.matchPosts(ctx, siteIDs, `p.slug IN (?, ?, ?) AND p.slug != ''`, forms...)
	if err != nil || len(ms) > 0 {
		return ms, err
	}
	return a.matchPosts(ctx, siteIDs, `p.slug_decoded = ? AND p.slug_decoded != ''`, dec)
}

// encodeSlug percent-encodes a decoded slug as WordPress's
// sanitize_title does: UTF-8 bytes outside ASCII as lower-case %xx.
func encodeSlug(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			fmt.Fprintf(&b, "%%%02x", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// pick returns the one match, preferring ordinary content to revisions,
// menu items and attachments.
func pick(ref string, ms []PostMatch) (int64, error) {
	switch len(ms) {
	case 0:
		return 0, fmt.Errorf("%w: nothing matches %q (try a post id, a slug or the post's URL)", ErrPostNotFound, ref)
	case 1:
		return ms[0].ID, nil
	}
	var main []PostMatch
	for _, m := range ms {
		switch m.Type {
		case "revision", "nav_menu_item", "attachment", "customize_changeset", "wp_global_styles":
		default:
			main = append(main, m)
		}
	}
	if len(main) == 1 {
		return main[0].ID, nil
	}
	return 0, &AmbiguousError{Ref: ref, Matches: ms}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func looksLikeURL(s string) bool {
	return strings.Contains(s, "://") || strings.HasPrefix(s, "www.") || strings.Contains(s, "/") || strings.HasPrefix(s, "?")
}

// siteFilter resolves FindOptions.Site to site ids; nil means every site.
func (a *Archive) siteFilter(ctx context.Context, site string) ([]int64, error) {
	site = strings.TrimSpace(site)
	if site == "" {
		return nil, nil
	}
	key := site
	if u, err := url.Parse(site); err == nil && u.Host != "" {
		key = strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimRight(u.Path, "/")
	}
	rows, err := a.db.QueryContext(ctx, `SELECT id FROM sites WHERE site_key = ? OR site_key = ? OR lower(title) = lower(?)`, key, site, site)
	if err != nil {
		return nil, fmt.Errorf("find site %q: %w", site, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no site %q in the archive", ErrPostNotFound, site)
	}
	return ids, nil
}

const matchCols = `p.id, s.site_key, p.wp_id, coalesce(p.post_type, ''), coalesce(p.status, ''), coalesce(p.title, ''), coalesce(p.link, '')`

func (a *Archive) matchPosts(ctx context.Context, siteIDs []int64, where string, args ...any) ([]PostMatch, error) {
	q := `SELECT ` + matchCols + ` FROM posts p JOIN sites s ON s.id = p.site_id WHERE (` + where + `)`
	if len(siteIDs) > 0 {
		q += ` AND p.site_id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(siteIDs)), ",") + `)`
		for _, id := range siteIDs {
			args = append(args, id)
		}
	}
	q += ` ORDER BY p.id`
	rows, err := a.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find post: %w", err)
	}
	defer rows.Close()
	var ms []PostMatch
	for rows.Next() {
		var m PostMatch
		var wp sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Site, &wp, &m.Type, &m.Status, &m.Title, &m.Link); err != nil {
			return nil, err
		}
		if wp.Valid {
			m.WPID = &wp.Int64
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// urlKey normalises a URL for comparison: host lower-cased without
// "www." and port, path percent-decoded without its trailing slash, query
// kept, scheme and fragment dropped. withHost false leaves the host out.
func urlKey(raw string, withHost bool) string {
	raw = strings.TrimSpace(html.UnescapeString(raw))
	if !strings.Contains(raw, "://") && !strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "?") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	p := u.Path
	if d, err := url.PathUnescape(u.EscapedPath()); err == nil {
		p = d
	}
	p = strings.TrimRight(p, "/")
	k := p
	if withHost {
		k = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") + p
	}
	if u.RawQuery != "" {
		k += "?" + u.RawQuery
	}
	return k
}

// idParams are the query parameters by which WordPress links a post.
var idParams = []string{"p", "page_id", "attachment_id", "post"}

func (a *Archive) matchURL(ctx context.Context, siteIDs []int64, ref string) ([]PostMatch, error) {
	full, path := urlKey(ref, true), urlKey(ref, false)
	if full == "" {
		return nil, nil
	}
	u, err := url.Parse(strings.TrimSpace(html.UnescapeString(ref)))
	if err != nil {
		return nil, nil
	}
	// Candidates through the indexes: a ?p=ID's post and the posts whose
	// slug is the last path segment.
	var byID, bySlug []PostMatch
	for _, k := range idParams {
		if v := u.Query().Get(k); isDigits(v) {
			if byID, err = a.matchWPID(ctx, siteIDs, v); err != nil {
				return nil, err
			}
			break
		}
	}
	seg := strings.TrimRight(u.EscapedPath(), "/")
	seg = seg[strings.LastIndex(seg, "/")+1:]
	if seg != "" {
		if bySlug, err = a.matchSlug(ctx, siteIDs, seg); err != nil {
			return nil, err
		}
	}
	var ids []any
	for _, m := range append(byID, bySlug...) {
		ids = append(ids, m.ID)
	}
	var candFull, candPath []any
	if len(ids) > 0 {
		if candFull, candPath, err = a.matchLinks(ctx, `p.id IN (`+marks(len(ids))+`)`, ids, full, path); err != nil {
			return nil, err
		}
	}
	if len(candFull) == 0 {
		// Any post whose link or guid is this URL, or has its path: a scan.
		where, args := `1`, []any{}
		if len(siteIDs) > 0 {
			where = `p.site_id IN (` + marks(len(siteIDs)) + `)`
			for _, id := range siteIDs {
				args = append(args, id)
			}
		}
		f, p, err := a.matchLinks(ctx, where, args, full, path)
		if err != nil {
			return nil, err
		}
		candFull = f
		if len(candPath) == 0 {
			candPath = p
		}
	}
	for _, found := range [][]any{candFull, candPath} {
		if len(found) > 0 {
			return a.matchPosts(ctx, nil, `p.id IN (`+marks(len(found))+`)`, found...)
		}
	}
	if len(byID) > 0 {
		return byID, nil
	}
	return bySlug, nil
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// matchLinks returns the ids of the posts (of those where selects) whose
// link or guid is the URL with key full, and of those whose link or guid
// has its path only.
func (a *Archive) matchLinks(ctx context.Context, where string, args []any, full, path string) (byFull, byPath []any, err error) {
	rows, err := a.db.QueryContext(ctx, `SELECT p.id, coalesce(p.link, ''), coalesce(p.guid, '') FROM posts p WHERE `+where, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("find post by URL: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var link, guid string
		if err := rows.Scan(&id, &link, &guid); err != nil {
			return nil, nil, err
		}
		f, p := false, false
		for _, u := range []string{link, guid} {
			if u == "" {
				continue
			}
			f = f || urlKey(u, true) == full
			p = p || (path != "" && urlKey(u, false) == path)
		}
		if f {
			byFull = append(byFull, id)
		} else if p {
			byPath = append(byPath, id)
		}
	}
	return byFull, byPath, rows.Err()
}

// PostView is a post with what `wparchive show` prints of it.
type PostView struct {
	ID            int64      `json:"id"`
	Site          SiteRef    `json:"site"`
	WPID          *int64     `json:"wp_id"`
	Type          string     `json:"type"`
	Status        string     `json:"status"`
	Title         string     `json:"title"` // HTML entities decoded
	TitleRaw      string     `json:"title_raw"`
	Link          string     `json:"link,omitempty"`
	GUID          string     `json:"guid,omitempty"`
	Slug          string     `json:"slug,omitempty"`
	SlugDecoded   string     `json:"slug_decoded,omitempty"`
	DateRaw       string     `json:"date_raw,omitempty"` // the site's local time, as exported
	DateAt        string     `json:"date_at,omitempty"`  // UTC
	ModifiedRaw   string     `json:"modified_raw,omitempty"`
	ModifiedAt    string     `json:"modified_at,omitempty"`
	Author        string     `json:"author,omitempty"` // login (dc:creator)
	AuthorName    string     `json:"author_name,omitempty"`
	Parent        *PostMatch `json:"parent,omitempty"`
	ParentWPID    *int64     `json:"parent_wp_id,omitempty"`
	CommentStatus string     `json:"comment_status,omitempty"`
	PingStatus    string     `json:"ping_status,omitempty"`
	Protected     bool       `json:"password_protected"`
	Password      string     `json:"password,omitempty"` // only with LoadOptions.Private
	Sticky        bool       `json:"sticky"`
	AttachmentURL string     `json:"attachment_url,omitempty"`
	Lang          string     `json:"lang,omitempty"`
	Terms         []TermRef  `json:"terms"`
	Excerpt       string     `json:"excerpt,omitempty"`
	// Comments are the post's comments of every kind but trackbacks and
	// pingbacks, in reading order: each thread depth first, siblings by
	// date. Level is the depth in that order.
	Comments []CommentView `json:"comments"`
	// Pings are its trackbacks and pingbacks, by date.
	Pings []CommentView `json:"pings"`
}

// SiteRef names a site.
type SiteRef struct {
	ID    int64  `json:"id"`
	Key   string `json:"key"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url,omitempty"`
}

// TermRef is a term of a post.
type TermRef struct {
	Taxonomy string `json:"taxonomy"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
}

// CommentView is one comment, trackback or pingback of a PostView.
type CommentView struct {
	ID          int64  `json:"id"`
	WPID        *int64 `json:"wp_id"`
	ParentWPID  *int64 `json:"parent_wp_id,omitempty"`
	Depth       int    `json:"depth"` // as stored: replies above it
	Level       int    `json:"level"` // indentation in Comments
	Orphan      bool   `json:"orphan,omitempty"`
	ReplyTo     *int64 `json:"reply_to,omitempty"` // parent's wp id when the parent is not shown above it (orphan, or a reply to a ping)
	Kind        string `json:"kind"`
	TypeRaw     string `json:"type_raw"`
	Status      string `json:"status"`
	ApprovedRaw string `json:"approved_raw"`
	Author      string `json:"author"` // HTML entities decoded
	AuthorURL   string `json:"author_url,omitempty"`
	AuthorEmail string `json:"author_email,omitempty"` // only with LoadOptions.Private
	AuthorIP    string `json:"author_ip,omitempty"`    // only with LoadOptions.Private
	UserID      *int64 `json:"user_id,omitempty"`
	DateRaw     string `json:"date_raw,omitempty"`
	DateAt      string `json:"date_at,omitempty"`
	Content     string `json:"content"`
	Provider    string `json:"provider,omitempty"`

	Commenter *CommenterView `json:"commenter,omitempty"`

	PingURL     string `json:"ping_url,omitempty"`
	PingDomain  string `json:"ping_domain,omitempty"`
	PingTitle   string `json:"ping_title,omitempty"`
	PingExcerpt string `json:"ping_excerpt,omitempty"`

	Akismet string `json:"akismet,omitempty"` // akismet_result: true (spam), false (ham), error
}

// CommenterView is who wrote a comment.
type CommenterView struct {
	ID            int64  `json:"id"`
	Provider      string `json:"provider"`
	Name          string `json:"name,omitempty"`
	URL           string `json:"url,omitempty"`
	Email         string `json:"email,omitempty"` // only with LoadOptions.Private
	Avatar        string `json:"avatar,omitempty"`
	ForeignUserID string `json:"foreign_user_id,omitempty"`
	WPcomSigned   bool   `json:"wpcom_signed"`
	UserID        *int64 `json:"user_id,omitempty"`
	Comments      int    `json:"comments"` // in the whole site
}

// LoadOptions control LoadPost.
type LoadOptions struct {
	// Private includes commenters' e-mail and IP addresses and the post's
	// password. Without it they are left out, and an e-mail address a
	// commenter typed as their name or URL is masked.
	Private bool
}

// hiddenEmail replaces an e-mail address shown without LoadOptions.Private.
const hiddenEmail = "(e-mail hidden)"

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)

// LoadPost returns the post with archive row id, its terms, comments in
// thread order and pings. It returns ErrPostNotFound for an unknown id.
func (a *Archive) LoadPost(ctx context.Context, id int64, opt LoadOptions) (*PostView, error) {
	v := &PostView{ID: id, Terms: []TermRef{}, Comments: []CommentView{}, Pings: []CommentView{}}
	var (
		wpID, parentWP, parentID                               sql.NullInt64
		title, link, guid, slug, slugDec, dateRaw, dateAt      sql.NullString
		modRaw, modAt, creator, authorName, cst, pst, password sql.NullString
		sticky                                                 sql.NullInt64
		attURL, lang, excerpt, siteTitle, siteURL              sql.NullString
	)
	err := a.db.QueryRowContext(ctx, `SELECT p.site_id, s.site_key, s.title, coalesce(s.base_blog_url, s.link),
			p.wp_id, coalesce(p.post_type, ''), coalesce(p.status, ''), p.title, p.link, p.guid, p.slug, p.slug_decoded,
			p.date_raw, p.date_at, p.modified_raw, p.modified_at, p.creator, au.display_name,
			p.parent_wp_id, p.parent_id, p.comment_status, p.ping_status, p.password, p.is_sticky,
			p.attachment_url, p.lang, p.excerpt
		FROM posts p JOIN sites s ON s.id = p.site_id LEFT JOIN authors au ON au.id = p.author_id
		WHERE p.id = ?`, id).Scan(&v.Site.ID, &v.Site.Key, &siteTitle, &siteURL,
		&wpID, &v.Type, &v.Status, &title, &link, &guid, &slug, &slugDec,
		&dateRaw, &dateAt, &modRaw, &modAt, &creator, &authorName,
		&parentWP, &parentID, &cst, &pst, &password, &sticky, &attURL, &lang, &excerpt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: no post with row id %d", ErrPostNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("load post %d: %w", id, err)
	}
	v.Site.Title, v.Site.URL = siteTitle.String, siteURL.String
	v.WPID = ptr(wpID)
	v.TitleRaw = title.String
	v.Title = html.UnescapeString(title.String)
	v.Link, v.GUID, v.Slug = link.String, guid.String, slug.String
	if slugDec.String != slug.String {
		v.SlugDecoded = slugDec.String
	}
	v.DateRaw, v.DateAt, v.ModifiedRaw, v.ModifiedAt = dateRaw.String, dateAt.String, modRaw.String, modAt.String
	v.Author, v.AuthorName = strings.TrimSpace(creator.String), authorName.String
	v.CommentStatus, v.PingStatus = cst.String, pst.String
	v.Protected = password.String != ""
	if opt.Private {
		v.Password = password.String
	}
	v.Sticky = sticky.Int64 != 0
	v.AttachmentURL, v.Lang, v.Excerpt = attURL.String, lang.String, excerpt.String
	if parentWP.Int64 > 0 {
		v.ParentWPID = ptr(parentWP)
	}
	if parentID.Valid {
		ms, err := a.matchPosts(ctx, nil, `p.id = ?`, parentID.Int64)
		if err != nil {
			return nil, err
		}
		if len(ms) == 1 {
			v.Parent = &ms[0]
		}
	}
	if err := a.loadTerms(ctx, v); err != nil {
		return nil, err
	}
	if err := a.loadComments(ctx, v, opt); err != nil {
		return nil, err
	}
	return v, nil
}

func ptr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	x := n.Int64
	return &x
}

func (a *Archive) loadTerms(ctx context.Context, v *PostView) error {
	rows, err := a.db.QueryContext(ctx, `SELECT coalesce(t.taxonomy, pt.domain, ''), coalesce(t.slug, pt.nicename, ''),
			coalesce(t.name, pt.name, '')
		FROM post_terms pt LEFT JOIN terms t ON t.id = pt.term_id
		WHERE pt.post_id = ? ORDER BY pt.ord`, v.ID)
	if err != nil {
		return fmt.Errorf("load terms of post %d: %w", v.ID, err)
	}
	defer rows.Close()
	seen := map[TermRef]bool{}
	for rows.Next() {
		var t TermRef
		if err := rows.Scan(&t.Taxonomy, &t.Slug, &t.Name); err != nil {
			return err
		}
		if t.Taxonomy == "tag" {
			t.Taxonomy = "post_tag"
		}
		t.Name = html.UnescapeString(t.Name)
		if seen[t] {
			continue // WXR 1.0 writes every category twice
		}
		seen[t] = true
		v.Terms = append(v.Terms, t)
	}
	return rows.Err()
}

func (a *Archive) loadComments(ctx context.Context, v *PostView, opt LoadOptions) error {
	rows, err := a.db.QueryContext(ctx, `SELECT c.id, c.wp_id, c.parent_wp_id, c.parent_id, c.depth, c.orphan,
			coalesce(c.kind, 'comment'), coalesce(c.type_raw, ''), coalesce(c.status, ''), coalesce(c.approved_raw, ''),
			coalesce(c.author, ''), coalesce(c.author_url, ''), coalesce(c.author_email, ''), coalesce(c.author_ip, ''),
			c.user_id, coalesce(c.date_raw, ''), coalesce(c.date_at, ''), coalesce(c.content, ''), coalesce(c.provider, ''),
			coalesce(c.ping_url, ''), coalesce(c.ping_domain, ''), coalesce(c.ping_title, ''), coalesce(c.ping_excerpt, ''),
			(SELECT m.meta_value FROM commentmeta m WHERE m.comment_id = c.id AND m.meta_key = 'akismet_result' ORDER BY m.ord LIMIT 1),
			cm.id, cm.provider, cm.name, cm.url, cm.email, cm.avatar, cm.foreign_user_id, cm.wpcom_signed, cm.user_id,
			(SELECT count(*) FROM comments x WHERE x.commenter_id = cm.id)
		FROM comments c LEFT JOIN commenters cm ON cm.id = c.commenter_id
		WHERE c.post_id = ?`, v.ID)
	if err != nil {
		return fmt.Errorf("load comments of post %d: %w", v.ID, err)
	}
	defer rows.Close()
	var all []CommentView
	var parents []sql.NullInt64
	for rows.Next() {
		var (
			c                                CommentView
			wpID, parentWP, parentID, userID sql.NullInt64
			orphan                           bool
			akismet                          sql.NullString
			cmID, cmSigned, cmUser, cmCount  sql.NullInt64
			cmProv, cmName, cmURL, cmEmail   sql.NullString
			cmAvatar, cmForeign              sql.NullString
		)
		if err := rows.Scan(&c.ID, &wpID, &parentWP, &parentID, &c.Depth, &orphan,
			&c.Kind, &c.TypeRaw, &c.Status, &c.ApprovedRaw, &c.Author, &c.AuthorURL, &c.AuthorEmail, &c.AuthorIP,
			&userID, &c.DateRaw, &c.DateAt, &c.Content, &c.Provider,
			&c.PingURL, &c.PingDomain, &c.PingTitle, &c.PingExcerpt, &akismet,
			&cmID, &cmProv, &cmName, &cmURL, &cmEmail, &cmAvatar, &cmForeign, &cmSigned, &cmUser, &cmCount); err != nil {
			return err
		}
		c.WPID, c.UserID, c.Orphan, c.Akismet = ptr(wpID), ptr(userID), orphan, akismet.String
		if parentWP.Int64 > 0 {
			c.ParentWPID = ptr(parentWP)
		}
		c.Author = html.UnescapeString(c.Author)
		if cmID.Valid {
			c.Commenter = &CommenterView{ID: cmID.Int64, Provider: cmProv.String, Name: html.UnescapeString(cmName.String),
				URL: cmURL.String, Email: cmEmail.String, Avatar: cmAvatar.String, ForeignUserID: cmForeign.String,
				WPcomSigned: cmSigned.Int64 != 0, UserID: ptr(cmUser), Comments: int(cmCount.Int64)}
		}
		if !opt.Private {
			hidePrivate(&c)
		}
		all = append(all, c)
		parents = append(parents, parentID)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	v.Comments, v.Pings = threadOrder(all, parents)
	return nil
}

// hidePrivate drops a comment's e-mail and IP addresses and masks an
// e-mail address typed into its name or URL.
func hidePrivate(c *CommentView) {
	ip := c.AuthorIP
	c.AuthorEmail, c.AuthorIP = "", ""
	mask := func(s string) string {
		if ip != "" && strings.Contains(s, ip) {
			s = strings.ReplaceAll(s, ip, "(IP hidden)")
		}
		if strings.Contains(s, "@") {
			s = emailRe.ReplaceAllString(s, hiddenEmail)
		}
		return s
	}
	if c.Kind != "trackback" && c.Kind != "pingback" {
		c.Author, c.AuthorURL = mask(c.Author), mask(c.AuthorURL)
	}
	if cm := c.Commenter; cm != nil {
		cm.Email = ""
		cm.Name, cm.URL = mask(cm.Name), mask(cm.URL)
	}
}

// commentLess orders siblings as WordPress shows them: by date (UTC, then
// local), then WordPress id, then file order.
func commentLess(a, b *CommentView) bool {
	if a.DateAt != b.DateAt {
		return a.DateAt < b.DateAt
	}
	if a.DateRaw != b.DateRaw {
		return a.DateRaw < b.DateRaw
	}
	ai, bi := int64(-1), int64(-1)
	if a.WPID != nil {
		ai = *a.WPID
	}
	if b.WPID != nil {
		bi = *b.WPID
	}
	if ai != bi {
		return ai < bi
	}
	return a.ID < b.ID
}

// threadOrder splits trackbacks and pingbacks from the rest and orders the
// rest as threads: a comment whose parent is not among them (none, an
// orphan, a ping) starts a thread; replies follow their parent, siblings by
// date. parents[i] is all[i]'s parent row id.
func threadOrder(all []CommentView, parents []sql.NullInt64) (comments, pings []CommentView) {
	comments, pings = []CommentView{}, []CommentView{}
	inThread := map[int64]int{} // row id → index in all
	for i := range all {
		if all[i].Kind == "trackback" || all[i].Kind == "pingback" {
			pings = append(pings, all[i])
			continue
		}
		inThread[all[i].ID] = i
	}
	children := map[int64][]int{}
	var roots []int
	for i := range all {
		if _, ok := inThread[all[i].ID]; !ok {
			continue
		}
		if p := parents[i]; p.Valid {
			if _, ok := inThread[p.Int64]; ok && p.Int64 != all[i].ID {
				children[p.Int64] = append(children[p.Int64], i)
				continue
			}
		}
		if all[i].ParentWPID != nil {
			all[i].ReplyTo = all[i].ParentWPID
		}
		roots = append(roots, i)
	}
	byDate := func(ix []int) {
		sort.SliceStable(ix, func(a, b int) bool { return commentLess(&all[ix[a]], &all[ix[b]]) })
	}
	byDate(roots)
	done := make(map[int64]bool, len(inThread))
	var walk func(i, level int)
	walk = func(i, level int) {
		c := all[i]
		if done[c.ID] {
			return
		}
		done[c.ID] = true
		c.Level = level
		comments = append(comments, c)
		kids := children[c.ID]
		byDate(kids)
		for _, k := range kids {
			walk(k, level+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	// A loop of parents has no root; show its members rather than lose them.
	var rest []int
	for id, i := range inThread {
		if !done[id] {
			rest = append(rest, i)
		}
	}
	byDate(rest)
	for _, i := range rest {
		walk(i, 0)
	}
	sort.SliceStable(pings, func(a, b int) bool { return commentLess(&pings[a], &pings[b]) })
	return comments, pings
}
