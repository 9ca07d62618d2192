package export

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"html"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/markdown"
)

// Comment is one comment, trackback or pingback as the export writes it:
// an entry of a comments data file, or of the inline "## Comments"
// section. It never holds an e-mail or IP address (see LoadComments).
type Comment struct {
	ID int64 `yaml:"id"` // WordPress comment id
	// Parent is the WordPress id of the comment this one is shown under
	// (the Comment before it with Depth-1), 0 at top level.
	Parent int64 `yaml:"parent,omitempty"`
	// ReplyTo is the WordPress parent id as exported when it is not
	// Parent: the parent is missing from the export (Orphan), is left out
	// by CommentOptions.Statuses, or is a trackback or pingback.
	ReplyTo int64  `yaml:"reply_to,omitempty"`
	Depth   int    `yaml:"depth"`            // 0 for top level
	Type    string `yaml:"type"`             // comment, trackback, pingback, or the plugin's type
	Status  string `yaml:"status,omitempty"` // only when not approved
	// Author is the name WordPress shows (HTML entities decoded); for a
	// trackback the sending blog's name, for a pingback the linking
	// page's title.
	Author string `yaml:"author"`
	// URL is the commenter's site; for a ping, the linking page. Only
	// http(s) URLs are kept.
	URL string `yaml:"url,omitempty"`
	// Title is a ping's linking post or page title; BlogName a
	// trackback's sending blog; Domain the linking page's host (the
	// pings view's ping_title, blog_name and ping_domain).
	Title    string `yaml:"title,omitempty"`
	BlogName string `yaml:"blog_name,omitempty"`
	Domain   string `yaml:"domain,omitempty"`
	// Provider is the sign-in service (wordpress, jetpack, twitter,
	// facebook, googleplus, disqus, …) from commenters; empty for a guest.
	Provider string `yaml:"provider,omitempty"`
	Avatar   string `yaml:"avatar,omitempty"`
	Date     string `yaml:"date"` // RFC 3339 with the site's offset, from the GMT date
	// Content is the comment as Markdown (see LoadComments), without the
	// flavor's escapes: data files are rendered with markdownify, which
	// runs neither Hugo shortcodes nor Liquid.
	Content string `yaml:"content"`
	// Orphan is set on a reply whose parent is missing from the export;
	// it is kept at top level.
	Orphan bool `yaml:"orphan,omitempty"`
}

// Thread is the comments of one post.
type Thread struct {
	Comments []Comment `yaml:"comments"`        // threaded order, parents before replies
	Pings    []Comment `yaml:"pings,omitempty"` // trackbacks and pingbacks, by date
}

// CommentOptions control LoadComments.
type CommentOptions struct {
	// Statuses are the normalised approval values to include (approved,
	// pending, spam, trash, post-trashed, or a raw value the archive kept);
	// nil means approved only.
	Statuses []string
	// Private is the export's --include-private. It reveals nothing in
	// comments: e-mail and IP addresses are never written (issue 3).
	Private bool
}

// CommentStatuses are the normalised approval values of the archive, in
// the order --comments-status lists them.
var CommentStatuses = []string{"approved", "pending", "spam", "trash", "post-trashed"}

// Len returns the number of comments and pings of t; 0 for a nil Thread.
func (t *Thread) Len() int {
	if t == nil {
		return 0
	}
	return len(t.Comments) + len(t.Pings)
}

// cmtRow is one comments row of the site, included or not.
type cmtRow struct {
	post, id     int64
	wpID         int64 // -1 when the export had none
	parent       int64 // parent row id, 0 for none
	parentWP     int64
	orphan       bool
	ping         bool
	included     bool
	dateAt, date string // UTC and local dates, the sort keys (included rows)
	c            Comment
}

// rowBatch is a batch of rows as read, with their text fields until
// build has used them.
type rowBatch struct {
	rows   []cmtRow
	fields [][nFields]string
}

// LoadComments returns the threads of every post of the site that has
// comments matching opt, keyed by posts.id (the archive row id), in one
// pass over the comments table. A post with none has no entry.
//
// Comments are in thread order: top-level comments by date, each followed
// by its replies, depth first, siblings by date (UTC, then local), then
// WordPress id, then file order, as `wparchive show` prints them. A reply
// whose parent the export lacks is kept at top level with Orphan set. A
// reply whose parent is left out by opt.Statuses (an approved reply to a
// pending comment) is kept and shown under its nearest included ancestor,
// or at top level, with ReplyTo naming the parent it was written to: the
// reply was public on the site, so it stays, and no text of the excluded
// parent leaks into it. A reply to a trackback or pingback is at top level
// the same way. Pings are apart, by date.
//
// Content is the comment's text as WordPress shows it (wpautop, bare URLs
// made links as make_clickable does, no shortcodes or embeds: comment_text
// runs neither) converted to Markdown by archive/markdown; plain text and
// the "<strong>title</strong> excerpt" of a trackback, most comments, are
// converted directly to Markdown that renders the same (fastMarkdown).
// Names are HTML-unescaped; URLs and avatars are kept only when they are
// http(s) (layouts link them).
//
// No e-mail or IP address is ever in the result, whatever opt says: every
// e-mail address in any field is replaced by "(e-mail hidden)", and every
// IP address the archive holds for a comment of the site by "(IP hidden)",
// also where a commenter typed one as their name or URL or in the text.
//
// Errors are the database's.
func LoadComments(ctx context.Context, db Querier, siteID int64, opt CommentOptions) (map[int64]*Thread, error) {
	l, err := newCommentLoader(ctx, db, siteID, opt)
	if err != nil {
		return nil, err
	}
	return l.load(ctx, 0, -1)
}

// commentLoader loads the threads of a site's posts, all at once
// (LoadComments) or a range of posts at a time (the export, so that the
// comments of a large archive are never all in memory).
type commentLoader struct {
	db       Querier
	siteID   int64
	want     map[string]bool
	statuses []any
	avatars  map[int64]string // commenter row id → avatar URL
	// priv, when set, holds every stored address of the site's comments
	// (loadPrivacy): a range is masked with it. Unset, load gathers the
	// addresses from the rows it reads, which is all of them when it
	// reads every post.
	priv *privacy
}

// newCommentLoader reads the avatars of the site's commenters.
func newCommentLoader(ctx context.Context, db Querier, siteID int64, opt CommentOptions) (*commentLoader, error) {
	l := &commentLoader{db: db, siteID: siteID, want: map[string]bool{}, avatars: map[int64]string{}}
	for _, s := range opt.Statuses {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			l.want[s] = true
		}
	}
	if len(l.want) == 0 {
		l.want["approved"] = true
	}
	for s := range l.want {
		l.statuses = append(l.statuses, s)
	}
	// The avatars of the site's commenters, a few hundred rows at most,
	// read apart: joining commenters to every comment costs more.
	arows, err := db.QueryContext(ctx, `SELECT id, avatar FROM commenters WHERE site_id = ? AND avatar != ''`, siteID)
	if err != nil {
		return nil, fmt.Errorf("load commenters of site %d: %w", siteID, err)
	}
	for arows.Next() {
		var id int64
		var avatar string
		if err := arows.Scan(&id, &avatar); err != nil {
			arows.Close()
			return nil, fmt.Errorf("load commenters of site %d: %w", siteID, err)
		}
		l.avatars[id] = avatar
	}
	arows.Close()
	if err := arows.Err(); err != nil {
		return nil, fmt.Errorf("load commenters of site %d: %w", siteID, err)
	}
	return l, nil
}

// loadPrivacy reads every e-mail and IP address stored with a comment of
// the site, included or not, for load to mask ranges with.
func (l *commentLoader) loadPrivacy(ctx context.Context) error {
	// Not DISTINCT: the temporary b-tree it sorts every row into cost
	// 2.5 times the query (0.4 s on the 20,000-post archive), and most
	// rows repeat an address already in the sets, which a lookup on the
	// row's own bytes finds without a copy.
	rows, err := l.db.QueryContext(ctx, `SELECT coalesce(c.author_email, ''), coalesce(c.author_ip, '')
		FROM posts p JOIN comments c ON c.post_id = p.id
		WHERE p.site_id = ? AND (coalesce(c.author_email, '') != '' OR coalesce(c.author_ip, '') != '')`, l.siteID)
	if err != nil {
		return fmt.Errorf("load comment addresses of site %d: %w", l.siteID, err)
	}
	defer rows.Close()
	p := newPrivacy()
	var email, ip sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&email, &ip); err != nil {
			return fmt.Errorf("load comment addresses of site %d: %w", l.siteID, err)
		}
		if !p.emails[string(email)] {
			p.addEmail(string(email))
		}
		if !p.ips[string(ip)] {
			p.addIP(string(ip))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load comment addresses of site %d: %w", l.siteID, err)
	}
	l.priv = p
	return nil
}

// load returns the threads of the site's posts with row ids from lo to
// hi (every post when lo > hi), as LoadComments describes.
func (l *commentLoader) load(ctx context.Context, lo, hi int64) (map[int64]*Thread, error) {
	db, siteID, want, statuses, avatars := l.db, l.siteID, l.want, l.statuses, l.avatars
	args := append(append([]any{}, statuses...), siteID)
	where := `p.site_id = ?`
	if lo <= hi {
		// The range of post row ids drives the query (the comments'
		// post_id index); "+" keeps SQLite from scanning the site's posts
		// by their site_id index for every range instead.
		where = `+p.site_id = ? AND p.id BETWEEN ? AND ?`
		args = append(args, lo, hi)
	}
	// One query over the site's comments, excluded ones too: their parent
	// links carry an included reply to its nearest included ancestor, and
	// their e-mail and IP addresses are masked wherever they appear. Their
	// text is not read. The columns come packed in one text, separated by
	// U+001F (which XML cannot carry, so no value holds it), numbers first,
	// content last: reading them one by one costs twice as much (each
	// column is a conversion and, for a number, an allocation). Posts are
	// found through the (site_id, …) index, comments through post_id, the
	// first column of their unique index. (comments.provider is
	// commenters.provider.)
	rows, err := db.QueryContext(ctx, `SELECT concat_ws(x'1f', c.post_id, c.id, coalesce(c.wp_id, -1), coalesce(c.parent_id, 0),
				coalesce(c.parent_wp_id, 0), c.orphan, coalesce(c.commenter_id, 0),
				coalesce(c.kind, ''), coalesce(c.status, ''),
				coalesce(c.author, ''), coalesce(c.author_url, ''), coalesce(c.author_email, ''), coalesce(c.author_ip, ''),
				coalesce(c.date_raw, ''), coalesce(c.date_gmt_raw, ''), coalesce(c.date_at, ''),
				coalesce(c.ping_url, ''), coalesce(c.ping_domain, ''), coalesce(c.ping_title, ''), coalesce(c.provider, ''),
				CASE WHEN lower(c.status) IN (`+marks(len(statuses))+`) THEN coalesce(c.content, '') ELSE '' END)
		FROM posts p
		JOIN comments c ON c.post_id = p.id
		WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load comments of site %d: %w", siteID, err)
	}
	defer rows.Close()

	// Rows are read in batches; workers, one per CPU, turn each batch's
	// rows into Comments (the Markdown conversion is most of the work)
	// while the next batch is read. The stored addresses are known once
	// every row is read: masking comes last.
	const batchSize = 512
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *rowBatch, workers)
	var wg sync.WaitGroup
	privs := make([]*privacy, workers) // each worker's stored addresses
	for w := 0; w < workers; w++ {
		privs[w] = newPrivacy()
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := privs[w]
			for b := range work {
				for i := range b.rows {
					if l.priv == nil {
						p.addEmail(b.fields[i][fEmail])
						p.addIP(b.fields[i][fIP])
					}
					if b.rows[i].included {
						b.rows[i].build(&b.fields[i])
					}
				}
				b.fields = nil
			}
		}()
	}
	var batches []*rowBatch
	newBatch := func() *rowBatch {
		return &rowBatch{rows: make([]cmtRow, 0, batchSize), fields: make([][nFields]string, 0, batchSize)}
	}
	batch := newBatch()
	n := 0
	var packed string
	for rows.Next() {
		var r cmtRow
		var f [nFields]string
		var num [7]int64 // post_id, id, wp_id, parent_id, parent_wp_id, orphan, commenter_id
		err := rows.Scan(&packed)
		for k := 0; k < len(num) && err == nil; k++ {
			end := strings.IndexByte(packed, 0x1f)
			if end < 0 {
				err = fmt.Errorf("row %q has too few columns", packed)
				break
			}
			num[k], err = strconv.ParseInt(packed[:end], 10, 64)
			packed = packed[end+1:]
		}
		if err != nil {
			close(work)
			wg.Wait()
			return nil, fmt.Errorf("load comments of site %d: %w", siteID, err)
		}
		r.post, r.id, r.wpID, r.parent, r.parentWP, r.orphan = num[0], num[1], num[2], num[3], num[4], num[5] != 0
		commenter := num[6]
		for k := 0; k < fContent; k++ {
			end := strings.IndexByte(packed, 0x1f)
			if end < 0 {
				end = len(packed)
			}
			f[k], packed = packed[:end], packed[min(end+1, len(packed)):]
		}
		f[fContent] = packed
		f[fAvatar] = avatars[commenter]
		if f[fKind] == "" {
			f[fKind] = "comment"
		}
		r.ping = f[fKind] == "trackback" || f[fKind] == "pingback"
		r.included = want[strings.ToLower(f[fStatus])]
		batch.rows, batch.fields = append(batch.rows, r), append(batch.fields, f)
		n++
		if len(batch.rows) == batchSize {
			batches = append(batches, batch)
			work <- batch
			batch = newBatch()
		}
	}
	batches = append(batches, batch)
	work <- batch
	close(work)
	wg.Wait()
	priv := l.priv
	if priv == nil {
		priv = privs[0]
		for _, p := range privs[1:] {
			for k := range p.emails {
				priv.emails[k] = true
			}
			for k := range p.ips {
				priv.ips[k] = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load comments of site %d: %w", siteID, err)
	}
	all := make([]*cmtRow, 0, n)
	for _, b := range batches {
		for i := range b.rows {
			all = append(all, &b.rows[i])
		}
	}
	// Masking, on every CPU again.
	wg = sync.WaitGroup{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += workers {
				if all[i].included {
					all[i].scrub(priv)
				}
			}
		}()
	}
	wg.Wait()
	return threads(all), nil
}

// The text fields of a comments row, in the order the query packs them.
const (
	fKind = iota
	fStatus
	fAuthor
	fURL
	fEmail
	fIP
	fDate
	fDateGMT
	fDateAt
	fPingURL
	fPingDomain
	fPingTitle
	fProvider
	fContent
	fAvatar // not in the query
	nFields
)

// build fills r.c from the row's fields: names and URLs unescaped, the
// date, the text converted (with e-mail addresses masked before, while
// the HTML still holds them in links).
func (r *cmtRow) build(f *[nFields]string) {
	c := &r.c
	c.ID = max(r.wpID, 0)
	c.Type = f[fKind]
	if s := strings.ToLower(f[fStatus]); s != "approved" {
		c.Status = s
	}
	c.Author = html.UnescapeString(f[fAuthor])
	c.URL = html.UnescapeString(f[fURL])
	if r.ping {
		if f[fPingURL] != "" {
			c.URL = f[fPingURL]
		}
		c.Title = html.UnescapeString(f[fPingTitle])
		if c.Type == "trackback" {
			c.BlogName = c.Author
		}
		c.Domain = f[fPingDomain]
	} else if f[fProvider] != "guest" {
		c.Provider = f[fProvider]
	}
	c.Avatar = f[fAvatar]
	c.Date = commentDate(f[fDate], f[fDateGMT], f[fDateAt])
	c.Orphan = r.orphan
	c.Content = commentMarkdown(noStored.scrub(f[fContent]))
	// Copies of the sort keys, so that the packed row can go.
	r.date, r.dateAt = strings.Clone(f[fDate]), strings.Clone(f[fDateAt])
}

// noStored masks e-mail addresses by their form alone.
var noStored = newPrivacy()

// scrub masks the addresses in every text field of r.c.
func (r *cmtRow) scrub(p *privacy) {
	c := &r.c
	c.Content = p.scrub(c.Content)
	c.Author, c.URL, c.Avatar = p.scrub(c.Author), webURL(p.scrub(c.URL)), webURL(p.scrub(c.Avatar))
	c.Title, c.BlogName, c.Domain = p.scrub(c.Title), p.scrub(c.BlogName), p.scrub(c.Domain)
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// webURL returns u when it is an http(s) URL, with "http://" put before
// a bare domain as WordPress's esc_url does, and "" for anything else
// (mailto:, javascript:, a masked address): data files are read by
// layouts that may link the URL without checking it.
func webURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || strings.Contains(u, hiddenEmail) || strings.Contains(u, hiddenIP) {
		return ""
	}
	l := strings.ToLower(u)
	if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		return u
	}
	if strings.HasPrefix(l, "//") {
		return "https:" + u
	}
	if !strings.Contains(u, ":") && !strings.ContainsAny(u, " \t<>\"'") && strings.Contains(u, ".") {
		return "http://" + u
	}
	return ""
}

// dateTimeSeconds reads s as time.Parse(time.DateTime, s) does and
// returns its seconds since 0001-01-01 00:00:00: the form WordPress
// writes ("2006-01-02 15:04:05", each field in its range, the day in its
// month) by hand, since a comment has two dates and time.Parse was most
// of commentDate, anything else through time.Parse (which also takes,
// say, a one-digit hour after two spaces).
func dateTimeSeconds(s string) (int64, bool) {
	if n, ok := wpDateTimeSeconds(s); ok {
		return n, true
	}
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		return 0, false
	}
	return t.Unix() + 62135596800, true // seconds from 0001-01-01 to 1970-01-01
}

func wpDateTimeSeconds(s string) (int64, bool) {
	d, ok := archive.ParseWPDate(s)
	if !ok {
		return 0, false
	}
	return d.Seconds(), true
}

// commentDate returns the RFC 3339 date of a comment in the site's offset
// (from the local and GMT dates), or the UTC date when the local one is
// unreadable, or "".
func commentDate(local, gmt, at string) string {
	// The common case without markdown.WPTime's allocations: the local
	// date is the moment in the site's offset, so it is written as it is
	// with the offset after it.
	if len(local) == 19 && len(gmt) == 19 && local[0] != '0' && gmt[0] != '0' {
		lt, ok1 := dateTimeSeconds(local)
		gt, ok2 := dateTimeSeconds(gmt)
		if off := time.Duration(lt-gt) * time.Second; ok1 && ok2 && off%time.Minute == 0 && off >= -14*time.Hour && off <= 14*time.Hour {
			if off == 0 {
				return local[:10] + "T" + local[11:] + "Z"
			}
			sign := byte('+')
			if off < 0 {
				sign, off = '-', -off
			}
			h, m := int(off/time.Hour), int(off%time.Hour/time.Minute)
			return local[:10] + "T" + local[11:] + string([]byte{sign, byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)})
		}
	}
	if t, ok := markdown.WPTime(local, gmt, nil); ok {
		return t.Format(time.RFC3339)
	}
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		return t.UTC().Format(time.RFC3339)
	}
	return ""
}

// rowLess orders siblings: by date (UTC, then local), then WordPress id,
// then file order (row id), like archive's commentLess.
func rowLess(a, b *cmtRow) bool {
	if a.dateAt != b.dateAt {
		return a.dateAt < b.dateAt
	}
	if a.date != b.date {
		return a.date < b.date
	}
	if a.wpID != b.wpID {
		return a.wpID < b.wpID
	}
	return a.id < b.id
}

// threads groups the included rows by post and orders each post's
// comments as threads and its pings by date.
func threads(all []*cmtRow) map[int64]*Thread {
	// Row id → index in all: a slice where the ids are dense (they are
	// within one import), else a map.
	var lo, hi int64
	for i, r := range all {
		if i == 0 || r.id < lo {
			lo = r.id
		}
		if i == 0 || r.id > hi {
			hi = r.id
		}
	}
	var dense []int32
	var sparse map[int64]int
	if len(all) > 0 && hi-lo < 4*int64(len(all)) && len(all) < 1<<31 {
		dense = make([]int32, hi-lo+1)
		for i := range dense {
			dense[i] = -1
		}
		for i, r := range all {
			dense[r.id-lo] = int32(i)
		}
	} else {
		sparse = make(map[int64]int, len(all))
		for i, r := range all {
			sparse[r.id] = i
		}
	}
	index := func(id int64) (int, bool) {
		if dense == nil {
			i, ok := sparse[id]
			return i, ok
		}
		if id < lo || id > hi || dense[id-lo] < 0 {
			return 0, false
		}
		return int(dense[id-lo]), true
	}
	// shownUnder returns the index of the row r is shown under, or -1
	// for top level: the nearest included, non-ping ancestor in the same
	// post, passing over excluded ones. steps bounds a loop of parents.
	shownUnder := func(r *cmtRow) int {
		p := r.parent
		for steps := 0; p != 0 && p != r.id && steps <= len(all); steps++ {
			j, ok := index(p)
			if !ok || all[j].post != r.post || all[j].ping {
				return -1
			}
			if all[j].included {
				return j
			}
			p = all[j].parent
		}
		return -1
	}
	type post struct {
		members, roots, pings []int // members: comments that are not pings
	}
	posts := map[int64]*post{}
	children := map[int][]int{}
	for i := range all {
		r := all[i]
		if !r.included {
			continue
		}
		ps := posts[r.post]
		if ps == nil {
			ps = &post{}
			posts[r.post] = ps
		}
		if r.ping {
			ps.pings = append(ps.pings, i)
			continue
		}
		ps.members = append(ps.members, i)
		if j := shownUnder(r); j >= 0 {
			children[j] = append(children[j], i)
		} else {
			ps.roots = append(ps.roots, i)
		}
	}
	byDate := func(ix []int) {
		sort.Slice(ix, func(a, b int) bool { return rowLess(all[ix[a]], all[ix[b]]) })
	}
	out := make(map[int64]*Thread, len(posts))
	done := make([]bool, len(all))
	for postID, ps := range posts {
		t := &Thread{Comments: make([]Comment, 0, len(ps.members))}
		if len(ps.pings) > 0 {
			t.Pings = make([]Comment, 0, len(ps.pings))
		}
		var walk func(i, depth int, parent int64)
		walk = func(i, depth int, parent int64) {
			if done[i] {
				return
			}
			done[i] = true
			c := all[i].c
			c.Depth, c.Parent = depth, parent
			if all[i].parentWP > 0 && all[i].parentWP != parent {
				c.ReplyTo = all[i].parentWP
			}
			t.Comments = append(t.Comments, c)
			kids := children[i]
			byDate(kids)
			for _, k := range kids {
				walk(k, depth+1, c.ID)
			}
		}
		byDate(ps.roots)
		for _, i := range ps.roots {
			walk(i, 0, 0)
		}
		// A loop of parents has no root: show its members at top level
		// rather than lose them.
		var rest []int
		for _, i := range ps.members {
			if !done[i] {
				rest = append(rest, i)
			}
		}
		byDate(rest)
		for _, i := range rest {
			if !done[i] {
				delete(children, i) // its replies are in rest too
				walk(i, 0, 0)
			}
		}
		byDate(ps.pings)
		for _, i := range ps.pings {
			c := all[i].c
			if all[i].parentWP > 0 {
				c.ReplyTo = all[i].parentWP
			}
			t.Pings = append(t.Pings, c)
		}
		out[postID] = t
	}
	return out
}

// Data returns the YAML data file of t for flavor (hugo or jekyll): the
// same document for both, a map with "comments" (always, [] when empty)
// and "pings", keys in the order of Comment's fields, except that for
// Jekyll each content is escaped for kramdown (markdown.EscapeKramdown;
// comment text rarely needs it). Hugo reads it as
// data/comments/<key>.yaml, Jekyll as _data/comments/<key>.yml. The error
// is an unknown flavor or the encoder's.
func (t *Thread) Data(flavor string) ([]byte, error) {
	return t.appendData(make([]byte, 0, t.dataSize()), flavor)
}

// dataSize returns about the size of t's data file: its values and, per
// comment, its keys and the indentation of a few lines.
func (t *Thread) dataSize() int {
	if t == nil {
		return 16
	}
	n := 16
	for _, cs := range [][]Comment{t.Comments, t.Pings} {
		for i := range cs {
			c := &cs[i]
			n += 160 + len(c.Author) + len(c.URL) + len(c.Title) + len(c.BlogName) + len(c.Domain) + len(c.Provider) + len(c.Avatar) + len(c.Content) + len(c.Content)/8
		}
	}
	return n
}

// appendData appends Data's document to b.
func (t *Thread) appendData(b []byte, flavor string) ([]byte, error) {
	if err := checkFlavor(flavor); err != nil {
		return nil, err
	}
	if t == nil {
		t = &Thread{}
	}
	doc := *t
	if doc.Comments == nil {
		doc.Comments = []Comment{}
	}
	if flavor == markdown.Jekyll {
		doc.Comments, doc.Pings = escapeKramdown(doc.Comments), escapeKramdown(doc.Pings)
	}
	if out, ok := doc.appendYAML(b); ok {
		return out, nil
	}
	w := bytes.NewBuffer(b)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("encode comments: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode comments: %w", err)
	}
	return w.Bytes(), nil
}

// escapeKramdown returns cs with each content escaped for kramdown by
// markdown.EscapeKramdown: a copy when one changes, cs itself otherwise.
func escapeKramdown(cs []Comment) []Comment {
	copied := false
	for i := range cs {
		md := markdown.EscapeKramdown(cs[i].Content)
		if md == cs[i].Content {
			continue
		}
		if !copied {
			cs, copied = append([]Comment(nil), cs...), true
		}
		cs[i].Content = md
	}
	return cs
}

func checkFlavor(flavor string) error {
	switch flavor {
	case markdown.Hugo, markdown.Jekyll:
		return nil
	}
	return fmt.Errorf("export: unknown flavor %q (hugo or jekyll)", flavor)
}

// Inline returns t as Markdown sections for the end of a post: "## Comments"
// with each comment's author (linked to their site), sign-in provider and
// date in bold, then its text; a reply is inside one more blockquote level
// than its parent (">" per depth), which goldmark (Hugo) and kramdown
// (Jekyll) both render nested. Trackbacks and pingbacks follow under
// "## Trackbacks and pingbacks". The text is escaped for flavor: Hugo
// shortcode delimiters are broken with a zero-width space, and for Jekyll
// the section is escaped for kramdown (markdown.EscapeKramdown) and, when
// it holds "{{" or "{%", wrapped in {% raw %}. It returns ""
// for a thread with nothing in it or an unknown flavor.
func (t *Thread) Inline(flavor string) string {
	if t.Len() == 0 || checkFlavor(flavor) != nil {
		return ""
	}
	var b strings.Builder
	if len(t.Comments) > 0 {
		b.WriteString("## Comments\n\n")
		for i := range t.Comments {
			writeInline(&b, &t.Comments[i])
		}
	}
	if len(t.Pings) > 0 {
		b.WriteString("## Trackbacks and pingbacks\n\n")
		for i := range t.Pings {
			writeInline(&b, &t.Pings[i])
		}
	}
	s := strings.TrimRight(b.String(), "\n") + "\n"
	switch flavor {
	case markdown.Hugo:
		if strings.Contains(s, "{{<") || strings.Contains(s, "{{%") {
			s = strings.NewReplacer("{{<", "{{\u200b<", "{{%", "{{\u200b%").Replace(s)
		}
	case markdown.Jekyll:
		s = markdown.EscapeKramdown(s)
		if strings.Contains(s, "{{") || strings.Contains(s, "{%") {
			s = "{% raw %}\n" + strings.ReplaceAll(s, "{% endraw", "{\u200b% endraw") + "{% endraw %}\n"
		}
	}
	return s
}

// providerNames are the sign-in services as people name them.
var providerNames = map[string]string{
	"wordpress": "WordPress.com", "jetpack": "WordPress.com", "twitter": "Twitter",
	"facebook": "Facebook", "googleplus": "Google+", "disqus": "Disqus",
}

// writeInline writes one comment or ping: a byline paragraph, then the
// text, every line prefixed with "> " per depth level, and a blank line.
func writeInline(b *strings.Builder, c *Comment) {
	prefix := strings.Repeat("> ", c.Depth)
	line := func(s string) {
		if s == "" {
			b.WriteString(strings.TrimRight(prefix, " "))
		} else {
			b.WriteString(prefix)
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	var by strings.Builder
	name := c.Author
	if name == "" {
		name = "Anonymous"
	}
	switch c.Type {
	case "trackback", "pingback":
		// The linking page's title, linked, and the blog it is on.
		label := "Trackback"
		if c.Type == "pingback" {
			label = "Pingback"
		}
		title := c.Title
		if title == "" {
			title = name
		}
		by.WriteString(label + ": " + mdLink("**"+mdEscape(title)+"**", c.URL))
		if c.BlogName != "" && c.BlogName != title {
			by.WriteString(" (" + mdEscape(c.BlogName) + ")")
		} else if c.Domain != "" {
			by.WriteString(" (" + mdEscape(c.Domain) + ")")
		}
	default:
		by.WriteString(mdLink("**"+mdEscape(name)+"**", c.URL))
		if p := c.Provider; p != "" {
			if n, ok := providerNames[p]; ok {
				p = n
			}
			by.WriteString(" via " + mdEscape(p))
		}
		if c.Type != "comment" {
			by.WriteString(" (" + mdEscape(c.Type) + ")")
		}
	}
	if d := inlineDate(c.Date); d != "" {
		by.WriteString(" · " + d)
	}
	if c.Status != "" {
		by.WriteString(" · " + mdEscape(c.Status))
	}
	if c.Orphan {
		by.WriteString(" · in reply to a comment missing from the archive")
	}
	line(by.String())
	if c.Content != "" {
		line("")
		for _, l := range strings.Split(strings.TrimRight(c.Content, "\n"), "\n") {
			line(l)
		}
	}
	b.WriteByte('\n')
}

// inlineDate is the date shown in the byline: the site's local time.
func inlineDate(d string) string {
	t, err := time.Parse(time.RFC3339, d)
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02 15:04")
}

// mdLink links text to u when u is an http(s) URL, with the characters
// that would end a Markdown link destination percent-encoded.
func mdLink(text, u string) string {
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return text
	}
	u = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\r", "").Replace(u)
	return "[" + text + "](" + u + ")"
}

// mdEscape escapes s as inline Markdown text: the punctuation that both
// CommonMark and kramdown accept with a backslash, and "&" as an entity.
func mdEscape(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '!', '|', '{', '}', '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// commentMarkdown converts a comment's stored text to Markdown as
// WordPress's comment_text shows it: HTML comments dropped (no summary
// divider), bare URLs made links (make_clickable), "[" kept from being read
// as a shortcode, then wpautop and HTML to Markdown by markdown.Convert.
// The Jekyll conversion is used for every flavor (raw HTML where Markdown
// has none, no Hugo shortcodes, which markdownify would not run) and its
// {% raw %} wrapper is left for Inline to add.
func commentMarkdown(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	if md, ok := fastMarkdown(s); ok {
		return md
	}
	return convertComment(s)
}

// fastMarkdown converts the two commonest forms of comment text without
// the HTML converter: plain text (plainMarkdown) and the trackback that
// WordPress stores as "<strong>title</strong>\n\nexcerpt" of plain text.
// It reports false for anything else.
func fastMarkdown(s string) (string, bool) {
	if !strings.HasPrefix(s, "<strong>") {
		return plainMarkdown(s)
	}
	end := strings.Index(s, "</strong>")
	if end < 0 {
		return "", false
	}
	title, rest := s[len("<strong>"):end], s[end+len("</strong>"):]
	if rest != "" && !strings.HasPrefix(rest, "\n\n") && !strings.HasPrefix(rest, "\r\n\r\n") {
		return "", false
	}
	// A title of one line, with no white space inside the ** that
	// would keep them from being read as emphasis.
	t, ok := plainMarkdown(title)
	if !ok || t == "" || strings.IndexByte(t, '\n') >= 0 || trimHTMLSpace(title) != title {
		return "", false
	}
	md := "**" + t + "**"
	if rest != "" {
		r, ok := plainMarkdown(rest)
		if !ok {
			return "", false
		}
		if r != "" {
			md += "\n\n" + r
		}
	}
	return md, true
}

// convertComment is commentMarkdown through markdown.Convert.
func convertComment(s string) string {
	s = prepareComment(s)
	md, _ := markdown.Convert(s, markdown.Options{Flavor: markdown.Jekyll, Classic: true})
	if strings.HasPrefix(md, "{% raw %}\n") && strings.HasSuffix(md, "{% endraw %}\n") {
		md = md[len("{% raw %}\n") : len(md)-len("{% endraw %}\n")]
	}
	return strings.TrimRight(md, "\n")
}

var reBareURL = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"']+`)

// prepareComment drops HTML comments and mailto links (their text stays),
// links bare URLs outside <a>, <pre> and <code>, and writes "[" of the
// text as &#91;.
func prepareComment(s string) string {
	if !strings.ContainsAny(s, "<[") && !strings.Contains(s, "://") && !strings.Contains(s, "www.") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	skip := 0        // open <a>, <pre>, <code> elements
	var links []bool // open <a> elements: a mailto link dropped
	text := func(t string) {
		if t == "" {
			return
		}
		t = strings.ReplaceAll(t, "[", "&#91;")
		if skip == 0 && (strings.Contains(t, "://") || strings.Contains(t, "www.")) {
			t = linkURLs(t)
		}
		b.WriteString(t)
	}
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			text(s)
			break
		}
		text(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s[4:], "-->")
			if end < 0 {
				break // an unclosed comment hides the rest, as in a browser
			}
			s = s[4+end+3:]
			continue
		}
		if len(s) < 2 || !(isASCIILetter(s[1]) || s[1] == '/' || s[1] == '!') {
			b.WriteString("&lt;")
			s = s[1:]
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			text(s)
			break
		}
		tag := s[:end+1]
		closing := tag[1] == '/'
		name := strings.ToLower(strings.TrimLeft(tag[1:], "/"))
		if k := strings.IndexAny(name, " \t\n\r/>"); k >= 0 {
			name = name[:k]
		}
		if name == "a" {
			// A mailto link keeps its text and loses the link, and its
			// closing tag goes with it.
			if !closing {
				mailto := strings.Contains(strings.ToLower(html.UnescapeString(tag)), "mailto:")
				links = append(links, mailto)
				if mailto {
					tag = ""
				}
			} else if n := len(links); n > 0 {
				if links[n-1] {
					tag = ""
				}
				links = links[:n-1]
			}
		}
		if name == "a" || name == "pre" || name == "code" {
			if closing {
				skip = max(skip-1, 0)
			} else {
				skip++
			}
		}
		b.WriteString(tag)
		s = s[end+1:]
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// linkURLs makes each bare URL of a text run a link, leaving trailing
// punctuation (and a closing parenthesis that does not belong to the URL)
// outside it, as make_clickable does.
func linkURLs(t string) string {
	return reBareURL.ReplaceAllStringFunc(t, func(u string) string {
		trail := ""
		for len(u) > 0 {
			c := u[len(u)-1]
			if strings.IndexByte(".,;:!?", c) >= 0 || (c == ')' && strings.Count(u, "(") < strings.Count(u, ")")) {
				trail = string(c) + trail
				u = u[:len(u)-1]
				continue
			}
			break
		}
		href := u
		if strings.HasPrefix(strings.ToLower(u), "www.") {
			href = "http://" + u
		}
		if len(u) < 8 {
			return u + trail
		}
		return `<a href="` + strings.ReplaceAll(href, `"`, "&quot;") + `">` + u + `</a>` + trail
	})
}

// Masks that stand in for an address, as `wparchive show` writes them.
const (
	hiddenEmail = "(e-mail hidden)"
	hiddenIP    = "(IP hidden)"
)

// privacy masks e-mail and IP addresses in text written for a site.
type privacy struct {
	emails map[string]bool // stored e-mail addresses, lower-cased
	ips    map[string]bool // stored IP addresses, lower-cased
}

func newPrivacy() *privacy {
	return &privacy{emails: map[string]bool{}, ips: map[string]bool{}}
}

func (p *privacy) addEmail(e string) {
	if e = strings.TrimSpace(e); strings.Contains(e, "@") {
		p.emails[strings.ToLower(e)] = true
	}
}

func (p *privacy) addIP(ip string) {
	if ip = strings.TrimSpace(ip); len(ip) >= 2 && strings.ContainsAny(ip, ".:") {
		p.ips[strings.ToLower(ip)] = true
	}
}

// scrub returns s with every e-mail address and every stored IP address
// masked.
func (p *privacy) scrub(s string) string {
	if strings.IndexByte(s, '@') >= 0 {
		s = p.maskEmails(s)
	}
	if len(p.ips) > 0 && strings.ContainsAny(s, ".:") {
		s = p.maskIPs(s)
	}
	return s
}

// emailStop are the bytes that end an e-mail address in text (UTF-8
// letters do not: addresses may hold them).
func emailStop(c byte) bool {
	return c <= ' ' || strings.IndexByte(`<>()[]{}"',;:/|@`, c) >= 0
}

// maskEmails replaces each address around an "@": a local part and a
// domain with a dot inside it, or a stored address (which may lack the
// dot). A backslash inside an address (Markdown's escape of "_") does not
// end it.
func (p *privacy) maskEmails(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		l := i
		for l > last && !emailStop(s[l-1]) {
			l--
		}
		r := i + 1
		for r < len(s) && !emailStop(s[r]) {
			r++
		}
		for r > i+1 && strings.IndexByte(".-\\", s[r-1]) >= 0 {
			r-- // a full stop after the address, or an escape
		}
		local, domain := s[l:i], s[i+1:r]
		if local == "" || domain == "" {
			continue
		}
		dot := strings.IndexByte(domain, '.')
		stored := p.emails[strings.ToLower(strings.ReplaceAll(s[l:r], `\`, ""))]
		if !stored && (dot <= 0 || dot == len(domain)-1) {
			continue
		}
		b.WriteString(s[last:l])
		b.WriteString(hiddenEmail)
		last = r
		i = r - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func ipByte(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' || c == '.' || c == ':'
}

// maskIPs replaces each run of hexadecimal digits, dots and colons that is
// a stored IP address (as it is, without the dots and colons around it,
// or its last IPv4 part after a colon, as in ::ffff:192.0.2.1). Runs are
// looked at only around a dot or colon between two such characters.
func (p *privacy) maskIPs(s string) string {
	var b strings.Builder
	last := 0
	for i := 1; i+1 < len(s); i++ {
		if c := s[i]; (c != '.' && c != ':') || !ipByte(s[i-1]) || !ipByte(s[i+1]) {
			continue
		}
		lo, hi := i, i
		for lo > last && ipByte(s[lo-1]) {
			lo--
		}
		for hi < len(s) && ipByte(s[hi]) {
			hi++
		}
		run := s[lo:hi]
		i = hi
		found := p.ips[strings.ToLower(run)]
		if !found {
			t := strings.Trim(run, ".:")
			if p.ips[strings.ToLower(t)] {
				lo += strings.Index(run, t)
				hi = lo + len(t)
				found = true
			} else if k := strings.LastIndexByte(t, ':'); k >= 0 && p.ips[t[k+1:]] {
				lo += strings.Index(run, t) + k + 1
				hi = lo + len(t) - k - 1
				found = true
			}
		}
		if found {
			b.WriteString(s[last:lo])
			b.WriteString(hiddenIP)
			last = hi
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// plainMarkdown converts a comment of plain text (no tags, no URL to
// link, HTML entities allowed) to Markdown without the HTML converter,
// which costs some 80 µs a comment: paragraphs where wpautop makes them
// (a blank line), a hard break ("  ") where it writes <br />, white space
// collapsed as HTML does, and every character that Markdown (CommonMark,
// goldmark's extensions, kramdown) could read as syntax escaped with a
// backslash. It reports false for text it leaves to the converter. The
// result renders to the paragraphs, line breaks and text of wpautop's HTML
// in goldmark and kramdown (TestPlainMarkdown checks it).
func plainMarkdown(s string) (string, bool) {
	amp := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<', 0:
			return "", false
		case '&':
			amp = true
		case ':':
			if strings.HasPrefix(s[i+1:], "//") {
				return "", false // a URL make_clickable links
			}
		case '.':
			if i >= 3 && (s[i-3:i] == "www" || s[i-3:i] == "WWW") {
				return "", false
			}
		case 0xC2:
			if i+1 < len(s) && s[i+1] == 0xA0 {
				return "", false // no-break spaces: the converter trims them
			}
		}
	}
	if amp {
		s = html.UnescapeString(s)
		if strings.IndexByte(s, 0) >= 0 || strings.Contains(s, "\u00a0") || strings.Contains(s, "://") {
			return "", false
		}
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8 + 8)
	para := false // in a paragraph
	for rest := s; rest != ""; {
		line := rest
		if k := strings.IndexByte(rest, '\n'); k >= 0 {
			line, rest = rest[:k], rest[k+1:]
		} else {
			rest = ""
		}
		line = trimHTMLSpace(line)
		if line == "" {
			para = false
			continue
		}
		if line[0] == '^' {
			return "", false // kramdown's end-of-block marker, which it cannot escape
		}
		switch {
		case !para && b.Len() > 0:
			b.WriteString("\n\n")
		case para:
			b.WriteString("  \n")
		}
		para = true
		escapeLine(&b, line)
	}
	return b.String(), true
}

// isHTMLSpace reports the white space HTML collapses (and wpautop trims).
func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\f' || c == '\v' }

func trimHTMLSpace(s string) string {
	for s != "" && isHTMLSpace(s[0]) {
		s = s[1:]
	}
	for s != "" && isHTMLSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// mdEscaped are the bytes escapeLine writes with a backslash anywhere.
var mdEscaped = func() (t [256]bool) {
	for _, c := range "\\`*_[]<>{}|$~" {
		t[c] = true
	}
	return t
}()

// escapeLine writes one line of plain text (trimmed, not empty) as
// Markdown: white space collapsed to one space, backslashes before the
// characters that are syntax anywhere in a line, and before a line's first
// character (or a number's "." or ")") where it would start a heading,
// list, quote, definition or setext underline. Every escape used is one
// that both CommonMark and kramdown's GFM parser (Jekyll's default) know;
// "&" is written as an entity where it would start one.
func escapeLine(b *strings.Builder, line string) {
	start := 0 // line[start:i] is still to write
	switch line[0] {
	case '#', '-', '+', '=', ':':
		b.WriteByte('\\')
	default:
		i := 0
		for i < len(line) && line[i] >= '0' && line[i] <= '9' {
			i++
		}
		if i > 0 && i < len(line) && (line[i] == '.' || line[i] == ')') {
			b.WriteString(line[:i])
			b.WriteByte('\\')
			start = i
		}
	}
	for i := start; i < len(line); i++ {
		c := line[i]
		switch {
		case mdEscaped[c]:
			b.WriteString(line[start:i])
			b.WriteByte('\\')
			start = i
		case c == '&':
			if entityAt(line[i+1:]) {
				b.WriteString(line[start:i])
				b.WriteString("&amp;")
				start = i + 1
			}
		case isHTMLSpace(c) && (c != ' ' || isHTMLSpace(line[i+1])):
			// A run of white space other than one space becomes one space
			// (the line is trimmed, so line[i+1] exists).
			b.WriteString(line[start:i])
			b.WriteByte(' ')
			for i+1 < len(line) && isHTMLSpace(line[i+1]) {
				i++
			}
			start = i + 1
		}
	}
	b.WriteString(line[start:])
}

// entityAt reports whether s (after an "&") starts like an HTML entity:
// a name or number and a ";".
func entityAt(s string) bool {
	for i := 0; i < len(s) && i < 40; i++ {
		c := s[i]
		switch {
		case c == ';':
			return i > 0
		case c == '#' && i == 0, c >= '0' && c <= '9', isASCIILetter(c):
		default:
			return false
		}
	}
	return false
}
