package main

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// options select what generate writes.
type options struct {
	// Size is the approximate number of XML bytes to write; the export stops at the first
	// item boundary at or past it. Zero means "use Posts".
	Size int64
	// Posts is the number of items of type post to write when Size is zero. Pages and
	// attachments come on top.
	Posts int
	// Seed selects the site and every random choice: the same seed gives the same bytes.
	Seed int64
}

// stats counts what generate wrote.
type stats struct {
	Bytes       int64
	Items       int
	Posts       int
	Pages       int
	Attachments int
	Comments    int // every wp:comment, pings included
	Trackbacks  int
	Pingbacks   int
	Quoting     int // posts that quote Chinese or Russian with a translation
}

// errNoTarget is returned when options ask for nothing.
var errNoTarget = errors.New("wxrgen: set a size or a number of posts")

// Timeline: posts are spread between start and end; the export is dated exportTime.
var (
	timelineStart = time.Date(2008, 3, 1, 9, 0, 0, 0, time.UTC)
	timelineEnd   = time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	exportTime    = time.Date(2025, 1, 15, 9, 30, 12, 0, time.UTC)
	blockEraStart = time.Date(2018, 12, 6, 0, 0, 0, 0, time.UTC) // WordPress 5.0
)

// bytesPerPost is the measured average output per post (with its attachments and comments),
// used to spread the timeline when a size is asked for.
const bytesPerPost = 19000

type site struct {
	title, tagline, url, host string
	wpcom                     bool
	generator                 string // "WordPress.com" or "WordPress/x.y.z"
	lang                      string
	tz                        *time.Location
}

type author struct {
	id                                 int64
	login, email, display, first, last string
	avatar                             string
}

type term struct {
	id                           int64
	taxonomy, slug, name, parent string
	description                  string
}

type person struct {
	name, email, url, ip string
	provider             string // "", "wordpress", "twitter", "facebook"
	foreignID, avatar    string
	sig                  string
}

type link struct {
	id         int64
	title, url string
}

type gen struct {
	x    *xw
	r    *rand.Rand
	opts options
	site site
	st   stats

	nextID        int64
	nextCommentID int64
	clock         time.Time // GMT time of the previous post
	step          time.Duration
	stickyLeft    int

	authors    []author
	categories []term
	tags       []term
	people     []person
	titleSeen  map[string]int // bounded by the title combination space
	recent     []link         // ring of recent permalinks, for internal links
	pages      []link         // recent published pages, for child pages

	buf  strings.Builder // post content scratch
	cmts []comment       // comment scratch, reused per item
}

// generate writes one WXR 1.2 export to w, streaming item by item, and returns what it wrote.
// The same options give byte-identical output. It returns errNoTarget when opts has neither
// Size nor Posts, and the first error w returned otherwise.
func generate(w io.Writer, opts options) (stats, error) {
	if opts.Size <= 0 && opts.Posts <= 0 {
		return stats{}, errNoTarget
	}
	g := &gen{
		x:         newXW(w),
		r:         rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15)),
		opts:      opts,
		titleSeen: map[string]int{},
	}
	g.setup()
	g.header()
	g.item(g.aboutPage())
	for !g.done() {
		g.unit()
		if g.x.cw.err != nil {
			break
		}
	}
	g.x.WriteString("</channel>\n</rss>\n")
	err := g.x.Flush()
	if err == nil {
		err = g.x.cw.err
	}
	g.st.Bytes = g.x.cw.n
	return g.st, err
}

func (g *gen) done() bool {
	if g.opts.Size > 0 {
		return g.x.written()+int64(len("</channel>\n</rss>\n")) >= g.opts.Size
	}
	return g.st.Posts >= g.opts.Posts
}

// Random helpers.

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }
func (g *gen) intn(n int) int        { return g.r.IntN(n) }
func (g *gen) between(lo, hi int) int {
	return lo + g.r.IntN(hi-lo+1)
}
func pick[T any](g *gen, s []T) T { return s[g.r.IntN(len(s))] }

func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

func (g *gen) hexString(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[g.r.IntN(16)]
	}
	return string(b)
}

func (g *gen) alnum(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := make([]byte, n)
	for i := range b {
		b[i] = a[g.r.IntN(len(a))]
	}
	return string(b)
}

// ip returns an address from the documentation ranges.
func (g *gen) ip() string {
	switch g.intn(4) {
	case 0:
		return "192.0.2." + strconv.Itoa(1+g.intn(254))
	case 1:
		return "198.51.100." + strconv.Itoa(1+g.intn(254))
	case 2:
		return "203.0.113." + strconv.Itoa(1+g.intn(254))
	default:
		return "2001:db8::" + strconv.FormatInt(int64(1+g.intn(0xfffe)), 16)
	}
}

func gravatar(email string) string {
	sum := md5.Sum([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:])
}

// setup chooses the site, its authors, terms and commenters.
func (g *gen) setup() {
	s := pick(g, siteNames)
	g.site.title, g.site.tagline = s.title, s.tagline
	g.site.wpcom = g.chance(0.5)
	tld := []string{"example.org", "example.com", "example.net"}[g.intn(3)]
	g.site.host = s.host + "." + tld
	g.site.url = "https://" + g.site.host
	if g.site.wpcom {
		g.site.generator = "WordPress.com"
	} else {
		g.site.generator = "WordPress/" + pick(g, []string{"6.2.2", "6.4.3", "6.5.4", "6.6.2", "6.7.1"})
	}
	g.site.lang = pick(g, []string{"en", "en-US", "en-GB"})
	offset := pick(g, []int{8, 2, 1, 0, -5, 3, 5, 6})
	g.site.tz = time.FixedZone("site", offset*3600)

	n := g.between(1, 4)
	order := g.r.Perm(len(authorNames))
	for i := 0; i < n; i++ {
		a := authorNames[order[i]]
		id := int64(i + 1)
		if g.site.wpcom {
			id = int64(1_000_000 + g.intn(240_000_000))
		}
		email := a[0] + "@" + g.site.host
		g.authors = append(g.authors, author{id: id, login: a[0], email: email, display: a[1], first: a[2], last: a[3],
			avatar: "https://0.gravatar.com/avatar/" + gravatar(email) + "?s=25&d=identicon&r=G"})
	}

	nextTerm := int64(2)
	usedTerm := map[int64]bool{1: true}
	termID := func() int64 {
		if !g.site.wpcom {
			nextTerm += int64(1 + g.intn(3))
			return nextTerm
		}
		for { // WordPress.com term IDs are global and large
			id := int64(1000 + g.intn(700_000_000))
			if !usedTerm[id] {
				usedTerm[id] = true
				return id
			}
		}
	}
	slugOf := map[string]string{}
	for _, c := range categoryDefs {
		t := term{taxonomy: "category", name: c.name, slug: slugify(c.name), id: termID()}
		if c.name == "Uncategorized" {
			t.id = 1
		}
		if c.parent != "" {
			t.parent = slugOf[c.parent]
		}
		if g.chance(0.3) {
			t.description = "Everything filed under " + c.name + "."
		}
		slugOf[c.name] = t.slug
		g.categories = append(g.categories, t)
	}
	for _, name := range tagDefs {
		g.tags = append(g.tags, term{taxonomy: "post_tag", name: name, slug: slugify(name), id: termID()})
	}

	g.people = make([]person, 300)
	for i := range g.people {
		g.people[i] = g.newPerson()
	}
	g.nextID = 2
	g.nextCommentID = 1
	if g.site.wpcom {
		g.nextCommentID = int64(1 + g.intn(5000))
	}
	est := int64(g.opts.Posts)
	if g.opts.Size > 0 {
		est = g.opts.Size/bytesPerPost + 1
	}
	g.step = timelineEnd.Sub(timelineStart) / time.Duration(est)
	g.clock = timelineStart
	g.stickyLeft = g.between(0, 2)
}

func (g *gen) newPerson() person {
	var p person
	first, last := pick(g, firstNames), pick(g, lastNames)
	switch r := g.intn(10); {
	case r == 0:
		p.name = pick(g, nativeNames)
	case r == 1:
		p.name = first + " " + last[:1] + "."
	default:
		p.name = first + " " + last
	}
	handle := strings.ToLower(first) + "_" + strings.ToLower(last[:min(3, len(last))]) + strconv.Itoa(g.intn(100))
	p.email = handle + "@" + pick(g, []string{"example.com", "example.net", "example.org"})
	p.ip = g.ip()
	switch r := g.intn(20); {
	case r < 10:
		if g.chance(0.4) {
			p.url = "https://" + strings.ReplaceAll(handle, "_", "-") + ".example.net"
		}
	case r < 14:
		p.provider = "wordpress"
		p.url = "https://" + strings.ReplaceAll(handle, "_", "") + ".example.com"
		p.foreignID = strconv.Itoa(100_000 + g.intn(250_000_000))
		p.avatar = "https://" + strconv.Itoa(g.intn(3)) + ".gravatar.com/avatar/" + gravatar(p.email) + "?s=25&d=identicon&r=G"
		p.sig = g.hexString(40)
	case r < 17:
		p.provider = "twitter"
		p.email = ""
		p.url = "https://twitter.com/" + handle
		if g.chance(0.5) {
			p.foreignID = g.digits(8 + g.intn(3))
		} else {
			p.foreignID = g.digits(19)
		}
		p.avatar = "https://pbs.twimg.com/profile_images/" + g.digits(19) + "/" + g.alnum(8) + "_normal.jpg"
	default:
		p.provider = "facebook"
		p.foreignID = "10" + g.digits(15)
		p.url = "https://www.facebook.com/app_scoped_user_id/" + p.foreignID + "/"
		p.avatar = "https://graph.facebook.com/v2.9/" + p.foreignID + "/picture?type=large"
	}
	return p
}

// header writes everything before the first item.
func (g *gen) header() {
	x := g.x
	x.WriteString(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->
<!-- You may use this file to transfer that content from one site to another. -->
<!-- This file is not intended to serve as a complete backup of your site. -->

<!-- To import this information into a WordPress site follow these steps: -->
<!-- 1. Log in to that site as an administrator. -->
<!-- 2. Go to Tools: Import in the WordPress admin panel. -->
<!-- 3. Install the "WordPress" importer from the list. -->
<!-- 4. Activate & Run Importer. -->
<!-- 5. Upload this file using the form provided on that page. -->
<!-- 6. You will first be asked to map the authors in this export file to users -->
<!--    on the site. For each author, you may choose to map to an -->
<!--    existing user on the site or to create a new user. -->
<!-- 7. WordPress will then import each of the posts, pages, comments, categories, etc. -->
<!--    contained in this file into your site. -->

	<!-- generator="`)
	x.WriteString(g.site.generator)
	x.WriteString(`" created="`)
	x.WriteString(exportTime.Format("2006-01-02 15:04"))
	x.WriteString(`" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
`)
	// Site title and tagline are already entity-encoded the way bloginfo_rss prints them.
	x.WriteString("\t<title>" + g.site.title + "</title>\n")
	x.elemText("\t", "link", g.site.url)
	x.WriteString("\t<description>" + g.site.tagline + "</description>\n")
	x.elemText("\t", "pubDate", exportTime.Format(rssDate))
	x.elemText("\t", "language", g.site.lang)
	x.elemText("\t", "wp:wxr_version", "1.2")
	if g.site.wpcom {
		x.elemText("\t", "wp:base_site_url", "http://wordpress.com/")
	} else {
		x.elemText("\t", "wp:base_site_url", g.site.url)
	}
	x.elemText("\t", "wp:base_blog_url", g.site.url)
	x.WriteString("\n")
	for _, a := range g.authors {
		x.WriteString("\t\t<wp:author><wp:author_id>")
		x.WriteString(strconv.FormatInt(a.id, 10))
		x.WriteString("</wp:author_id><wp:author_login>")
		x.cdata(a.login)
		x.WriteString("</wp:author_login><wp:author_email>")
		x.cdata(a.email)
		x.WriteString("</wp:author_email><wp:author_display_name>")
		x.cdata(a.display)
		x.WriteString("</wp:author_display_name><wp:author_first_name>")
		x.cdata(a.first)
		x.WriteString("</wp:author_first_name><wp:author_last_name>")
		x.cdata(a.last)
		x.WriteString("</wp:author_last_name></wp:author>\n")
	}
	x.WriteString("\n")
	for _, c := range g.categories {
		x.WriteString("\t\t<wp:category>\n")
		x.elemInt("\t\t", "wp:term_id", c.id)
		x.elemCDATA("\t\t", "wp:category_nicename", c.slug)
		x.elemCDATA("\t\t", "wp:category_parent", c.parent)
		x.elemCDATA("\t\t", "wp:cat_name", c.name)
		if c.description != "" {
			x.elemCDATA("\t\t", "wp:category_description", c.description)
		}
		x.WriteString("\t</wp:category>\n")
	}
	for _, t := range g.tags {
		x.WriteString("\t\t<wp:tag>\n")
		x.elemInt("\t\t", "wp:term_id", t.id)
		x.elemCDATA("\t\t", "wp:tag_slug", t.slug)
		x.elemCDATA("\t\t", "wp:tag_name", t.name)
		x.WriteString("\t</wp:tag>\n")
	}
	x.WriteString("\n")
	if g.site.wpcom {
		x.WriteString("\t<generator>http://wordpress.com/</generator>\n")
		x.WriteString("<cloud domain='" + g.site.host + "' port='80' path='/?rsscloud=notify' registerProcedure='' protocol='http-post' />\n")
		x.WriteString("<image>\n\t\t<url>https://s0.wp.com/i/buttonw-com.png</url>\n\t\t<title>" + g.site.title + "</title>\n\t\t<link>" + g.site.url + "</link>\n\t</image>\n")
		x.WriteString("\t<site xmlns=\"com-wordpress:feed-additions:1\">" + g.digits(9) + "</site>\n")
	} else {
		x.WriteString("\t<generator>https://wordpress.org/?v=" + strings.TrimPrefix(g.site.generator, "WordPress/") + "</generator>\n")
	}
	x.WriteString("\n")
}

// post is one item; comments are kept in gen.cmts while it is written.
type post struct {
	id                        int64
	typ, status               string
	title, slug, link, guid   string
	date, modified            time.Time // GMT
	dateGMTZero               bool
	author                    *author
	content, excerpt          string
	parent                    int64
	menuOrder                 int
	commentStatus, pingStatus string
	password                  string
	sticky                    bool
	attachmentURL             string
	terms                     []term
	meta                      [][2]string
}

type comment struct {
	id, parent, userID int64
	author, email, url string
	ip                 string
	date               time.Time
	content            string
	approved, typ      string
	meta               [][2]string
	ping               bool
}

// attachment describes an image uploaded to a post.
type attachment struct {
	id              int64
	file, dir, base string // "IMG_2041.jpg", "2019/05", "IMG_2041"
	width, height   int
	alt, caption    string
}

func (g *gen) local(t time.Time) time.Time { return t.In(g.site.tz) }

func (g *gen) uploadURL(a attachment, suffix string) string {
	name := a.file
	if suffix != "" {
		name = a.base + "-" + suffix + ".jpg"
	}
	return g.site.url + "/wp-content/uploads/" + a.dir + "/" + name
}

// aboutPage is the site's first item.
func (g *gen) aboutPage() *post {
	a := &g.authors[0]
	date := timelineStart.Add(-time.Duration(g.between(1, 30)) * 24 * time.Hour)
	p := &post{id: g.nextID, typ: "page", status: "publish", title: "About", slug: "about", author: a,
		date: date, modified: date.Add(time.Duration(g.between(1, 4000)) * 24 * time.Hour),
		commentStatus: "closed", pingStatus: "open"}
	p.link = g.site.url + "/about/"
	p.guid = "http://" + g.site.host + "/?page_id=" + strconv.FormatInt(p.id, 10)
	var b strings.Builder
	b.WriteString("<!-- wp:paragraph -->\n<p>" + htmlEscapeText(strings.ReplaceAll(g.site.tagline, "&#038;", "&")) + ". Written by ")
	for i, au := range g.authors {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(au.display)
	}
	b.WriteString(".</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>Quotes from the Chinese and Russian press appear with our translation; corrections are welcome in the comments.</p>\n<!-- /wp:paragraph -->")
	p.content = b.String()
	p.meta = [][2]string{{"_wp_page_template", "default"}, {"_edit_last", strconv.FormatInt(a.id, 10)}}
	g.nextID += int64(g.between(1, 3))
	g.pages = append(g.pages, link{p.id, "About", p.link})
	g.st.Pages++
	return p
}

// unit writes the next post with its attachments, or a page.
func (g *gen) unit() {
	d := time.Duration(float64(g.step) * (0.3 + 1.4*g.r.Float64()))
	// When the size estimate was low, approach the end of the timeline instead of passing
	// the export date.
	d = min(d, timelineEnd.Sub(g.clock)/10)
	g.clock = g.clock.Add(max(d, time.Second))
	if g.chance(0.05) {
		g.item(g.page())
		return
	}
	p, atts := g.post()
	g.item(p)
	for i, a := range atts {
		g.item(g.attachmentItem(p, a, i))
	}
}

func (g *gen) permalink(date time.Time, slug string) string {
	l := g.local(date)
	return g.site.url + l.Format("/2006/01/02/") + slug + "/"
}

// title returns a fresh post title and its unique slug.
func (g *gen) title() (string, string) {
	var t string
	switch r := g.intn(100); {
	case r < 5:
		t = pick(g, chineseTitles)
	case r < 8:
		t = pick(g, russianTitles)
	default:
		t = pick(g, titleOpeners) + " " + pick(g, titleTopics) + pick(g, titleTails)
	}
	slug := slugify(t)
	g.titleSeen[slug]++
	if n := g.titleSeen[slug]; n > 1 {
		slug += "-" + strconv.Itoa(n)
	}
	return t, slug
}

func (g *gen) post() (*post, []attachment) {
	a := &g.authors[g.intn(len(g.authors))]
	p := &post{id: g.nextID, typ: "post", author: a, date: g.clock, commentStatus: "open", pingStatus: "open"}
	p.title, p.slug = g.title()
	p.guid = "http://" + g.site.host + "/?p=" + strconv.FormatInt(p.id, 10)
	if g.chance(0.12) {
		p.commentStatus = "closed"
	}
	if g.chance(0.2) {
		p.pingStatus = "closed"
	}

	// Attachments uploaded while writing get the next IDs.
	var atts []attachment
	if g.chance(0.35) {
		n := g.between(1, 4)
		for i := 0; i < n; i++ {
			atts = append(atts, g.newAttachment(p.id+int64(i+1), p.date))
		}
	}
	g.nextID += int64(len(atts) + 1 + g.intn(4)) // revisions and autosaves use IDs too

	switch r := g.intn(1000); {
	case r < 40:
		p.status = "draft"
	case r < 50:
		p.status = "pending"
	case r < 65:
		p.status = "private"
	case r < 70:
		p.status = "future"
	case r < 80:
		p.status = "trash"
	default:
		p.status = "publish"
	}
	switch p.status {
	case "draft", "pending":
		if g.chance(0.9) {
			p.dateGMTZero = true
			p.slug = ""
		}
	case "future":
		p.date = exportTime.Add(time.Duration(g.between(1, 60*24)) * time.Hour)
	}
	p.modified = p.date.Add(time.Duration(g.intn(30*24*60)) * time.Minute)
	if p.modified.After(exportTime) && p.status != "future" {
		p.modified = exportTime.Add(-time.Hour)
	}
	if p.status == "publish" && g.stickyLeft > 0 && g.chance(0.01) {
		p.sticky = true
		g.stickyLeft--
	}
	if p.status == "publish" && g.chance(0.01) {
		p.password = pick(g, []string{"steppe", "tea", "frost", "2019", "radio"})
	}

	switch {
	case p.slug == "":
		p.link = g.site.url + "/?p=" + strconv.FormatInt(p.id, 10)
	case p.status == "trash":
		p.link = g.site.url + "/?p=" + strconv.FormatInt(p.id, 10)
	default:
		p.link = g.permalink(p.date, p.slug)
	}

	quoting := g.chance(0.2)
	if quoting {
		g.st.Quoting++
	}
	block := !p.date.Before(blockEraStart) && g.chance(0.7)
	g.buf.Reset()
	if block {
		g.blockContent(&g.buf, p, atts, quoting)
	} else {
		g.classicContent(&g.buf, p, atts, quoting)
	}
	p.content = g.buf.String()
	if g.chance(0.15) {
		p.excerpt = pick(g, englishSentences)
	}
	g.postTerms(p)

	// Post meta in the order WordPress adds it.
	if g.chance(0.8) {
		p.meta = append(p.meta, [2]string{"_edit_last", strconv.FormatInt(a.id, 10)})
	}
	if len(atts) > 0 && g.chance(0.7) {
		p.meta = append(p.meta, [2]string{"_thumbnail_id", strconv.FormatInt(atts[0].id, 10)})
	}
	if p.slug != "" && g.chance(0.05) {
		p.meta = append(p.meta, [2]string{"_wp_old_slug", slugify(pick(g, titleOpeners) + " " + pick(g, titleTopics))})
	}
	if g.site.wpcom {
		p.meta = append(p.meta, [2]string{"geo_public", "0"})
		if p.status == "publish" {
			p.meta = append(p.meta,
				[2]string{"_wpas_done_all", "1"},
				[2]string{"timeline_notification", strconv.FormatInt(p.date.Unix()+1, 10)})
		}
		editor := "classic-editor"
		if block {
			editor = "block-editor"
		}
		p.meta = append(p.meta, [2]string{"_last_editor_used_jetpack", editor})
	} else {
		if g.chance(0.1) {
			p.meta = append(p.meta, [2]string{"_yoast_wpseo_metadesc", pick(g, englishSentences)})
		}
		if g.chance(0.02) {
			p.meta = append(p.meta, [2]string{"enclosure", g.site.url + "/wp-content/uploads/" + g.local(p.date).Format("2006/01") + "/episode-" + strconv.FormatInt(p.id, 10) + ".mp3\n" + strconv.Itoa(g.between(500_000, 90_000_000)) + "\naudio/mpeg\n"})
		}
	}
	if p.status == "trash" {
		p.meta = append(p.meta,
			[2]string{"_wp_desired_post_slug", p.slug},
			[2]string{"_wp_trash_meta_status", "publish"},
			[2]string{"_wp_trash_meta_time", strconv.FormatInt(p.modified.Unix(), 10)})
		if p.slug != "" {
			p.slug += "__trashed"
		}
	}

	g.comments(p)
	if p.status == "trash" && len(g.cmts) > 0 {
		var m php
		m.arr(len(g.cmts))
		for i := range g.cmts {
			c := &g.cmts[i]
			m.int(c.id).str(c.approved)
			c.approved = "post-trashed"
		}
		m.end()
		p.meta = append(p.meta, [2]string{"_wp_trash_meta_comments_status", m.String()})
	}

	if p.status == "publish" && p.password == "" {
		if len(g.recent) < 64 {
			g.recent = append(g.recent, link{p.id, p.title, p.link})
		} else {
			g.recent[g.intn(64)] = link{p.id, p.title, p.link}
		}
	}
	g.st.Posts++
	return p, atts
}

func (g *gen) postTerms(p *post) {
	var ts []term
	if g.chance(0.1) {
		ts = append(ts, g.categories[0])
	} else {
		n := g.between(1, 2)
		for i := 0; i < n; i++ {
			c := g.categories[1+g.intn(len(g.categories)-1)]
			if !slices.ContainsFunc(ts, func(t term) bool { return t.slug == c.slug }) {
				ts = append(ts, c)
			}
		}
	}
	n := g.intn(6)
	for i := 0; i < n; i++ {
		t := pick(g, g.tags)
		if !slices.ContainsFunc(ts, func(x term) bool { return x.taxonomy == t.taxonomy && x.slug == t.slug }) {
			ts = append(ts, t)
		}
	}
	// wp_get_object_terms orders by name.
	slices.SortFunc(ts, func(a, b term) int { return strings.Compare(a.name, b.name) })
	p.terms = ts
}

func (g *gen) page() *post {
	a := &g.authors[g.intn(len(g.authors))]
	p := &post{id: g.nextID, typ: "page", status: "publish", author: a, date: g.clock,
		commentStatus: "closed", pingStatus: "closed", menuOrder: g.intn(10)}
	g.nextID += int64(1 + g.intn(3))
	p.title, p.slug = g.title()
	path := "/" + p.slug + "/"
	if len(g.pages) > 0 && g.chance(0.3) {
		parent := pick(g, g.pages)
		p.link = strings.TrimSuffix(parent.url, "/") + path
		p.parent = parent.id
	} else {
		p.link = g.site.url + path
	}
	p.guid = "http://" + g.site.host + "/?page_id=" + strconv.FormatInt(p.id, 10)
	p.modified = p.date.Add(time.Duration(g.intn(90*24)) * time.Hour)
	if p.modified.After(exportTime) {
		p.modified = exportTime.Add(-time.Hour)
	}
	block := !p.date.Before(blockEraStart) && g.chance(0.6)
	g.buf.Reset()
	if block {
		g.blockContent(&g.buf, p, nil, g.chance(0.1))
	} else {
		g.classicContent(&g.buf, p, nil, g.chance(0.1))
	}
	p.content = g.buf.String()
	p.meta = [][2]string{{"_wp_page_template", pick(g, []string{"default", "default", "templates/full-width.php"})}, {"_edit_last", strconv.FormatInt(a.id, 10)}}
	if p.parent == 0 && len(g.pages) < 20 {
		g.pages = append(g.pages, link{p.id, p.title, p.link})
	}
	g.cmts = g.cmts[:0]
	g.st.Pages++
	return p
}

func (g *gen) newAttachment(id int64, date time.Time) attachment {
	a := attachment{id: id, dir: g.local(date).Format("2006/01")}
	if g.chance(0.5) {
		a.base = "IMG_" + strconv.Itoa(1000+g.intn(9000))
	} else {
		a.base = slugify(pick(g, titleTopics)) + "-" + strconv.Itoa(1+g.intn(40))
	}
	a.file = a.base + ".jpg"
	a.width = pick(g, []int{1200, 1600, 2048, 3000, 4032})
	if g.chance(0.7) {
		a.height = a.width * 2 / 3
	} else {
		a.height = a.width * 3 / 4
	}
	if g.chance(0.7) {
		a.alt = strings.TrimSuffix(pick(g, englishSentences), ".")
		if len(a.alt) > 60 {
			a.alt = a.alt[:strings.LastIndexByte(a.alt[:60], ' ')]
		}
	}
	if g.chance(0.4) {
		a.caption = pick(g, titleTopics)
		if g.chance(0.3) {
			a.caption = pick(g, chineseTitles) + " / " + a.caption
		}
	}
	return a
}

func (g *gen) attachmentItem(parent *post, a attachment, i int) *post {
	p := &post{id: a.id, typ: "attachment", status: "inherit", title: a.base, slug: strings.ToLower(a.base),
		author: parent.author, parent: parent.id, commentStatus: "open", pingStatus: "closed",
		date: parent.date.Add(-time.Duration(g.between(1, 3600)) * time.Second)}
	p.modified = p.date
	p.menuOrder = 0
	url := g.uploadURL(a, "")
	p.guid = url
	p.attachmentURL = url
	if parent.slug != "" && parent.status != "trash" {
		p.link = parent.link + p.slug + "/"
	} else {
		p.link = g.site.url + "/?attachment_id=" + strconv.FormatInt(a.id, 10)
	}
	p.excerpt = a.caption
	p.meta = append(p.meta, [2]string{"_wp_attached_file", a.dir + "/" + a.file})
	p.meta = append(p.meta, [2]string{"_wp_attachment_metadata", g.attachmentMetadata(a)})
	if a.alt != "" {
		p.meta = append(p.meta, [2]string{"_wp_attachment_image_alt", a.alt})
	}
	g.cmts = g.cmts[:0]
	g.st.Attachments++
	return p
}

// attachmentMetadata serializes _wp_attachment_metadata with byte-exact string lengths.
func (g *gen) attachmentMetadata(a attachment) string {
	var m php
	m.arr(6).ki("width", int64(a.width)).ki("height", int64(a.height)).kv("file", a.dir+"/"+a.file).
		ki("filesize", int64(a.width*a.height/5+g.intn(50_000)))
	type size struct {
		name string
		w, h int
	}
	sizes := []size{{"thumbnail", 150, 150}, {"medium", 300, 300 * a.height / a.width}}
	if a.width > 1024 {
		sizes = append(sizes, size{"large", 1024, 1024 * a.height / a.width})
	}
	m.str("sizes").arr(len(sizes))
	for _, s := range sizes {
		m.str(s.name).arr(5).kv("file", a.base+"-"+strconv.Itoa(s.w)+"x"+strconv.Itoa(s.h)+".jpg").
			ki("width", int64(s.w)).ki("height", int64(s.h)).kv("mime-type", "image/jpeg").
			ki("filesize", int64(s.w*s.h/6+g.intn(5000))).end()
	}
	m.end()
	camera, aperture, title := "", "0", ""
	if strings.HasPrefix(a.base, "IMG_") {
		camera = pick(g, []string{"Canon EOS 5D Mark III", "iPhone 12", "NIKON D750", "Pixel 6"})
		aperture = pick(g, []string{"1.8", "2.8", "4", "5.6"})
	}
	switch g.intn(6) {
	case 0:
		title = pick(g, chineseTitles)
	case 1:
		title = pick(g, russianTitles)
	case 2:
		title = pick(g, titleTopics) + " — " + strconv.Itoa(1980+g.intn(45))
	}
	m.str("image_meta").arr(12).kv("aperture", aperture).kv("credit", "").kv("camera", camera).
		kv("caption", "").kv("created_timestamp", "0").kv("copyright", "").kv("focal_length", "0").
		kv("iso", "0").kv("shutter_speed", "0").kv("title", title).kv("orientation", "1").
		str("keywords").arr(0).end().end()
	m.end()
	return m.String()
}

// item writes one <item> with its terms, meta and comments (g.cmts).
func (g *gen) item(p *post) {
	x := g.x
	x.WriteString("\t<item>\n")
	x.elemCDATA("\t\t", "title", p.title)
	x.elemText("\t\t", "link", p.link)
	if p.dateGMTZero {
		x.elemText("\t\t", "pubDate", zeroRSS)
	} else {
		x.elemText("\t\t", "pubDate", p.date.Format(rssDate))
	}
	x.elemCDATA("\t\t", "dc:creator", p.author.login)
	x.WriteString("\t\t<guid isPermaLink=\"false\">")
	x.escape(p.guid)
	x.WriteString("</guid>\n\t\t<description></description>\n")
	x.elemCDATA("\t\t", "content:encoded", p.content)
	x.elemCDATA("\t\t", "excerpt:encoded", p.excerpt)
	x.elemInt("\t\t", "wp:post_id", p.id)
	x.elemCDATA("\t\t", "wp:post_date", fmtDate(g.local(p.date)))
	if p.dateGMTZero {
		x.elemCDATA("\t\t", "wp:post_date_gmt", zeroDate)
	} else {
		x.elemCDATA("\t\t", "wp:post_date_gmt", fmtDate(p.date))
	}
	x.elemCDATA("\t\t", "wp:post_modified", fmtDate(g.local(p.modified)))
	x.elemCDATA("\t\t", "wp:post_modified_gmt", fmtDate(p.modified))
	x.elemCDATA("\t\t", "wp:comment_status", p.commentStatus)
	x.elemCDATA("\t\t", "wp:ping_status", p.pingStatus)
	x.elemCDATA("\t\t", "wp:post_name", p.slug)
	x.elemCDATA("\t\t", "wp:status", p.status)
	x.elemInt("\t\t", "wp:post_parent", p.parent)
	x.elemInt("\t\t", "wp:menu_order", int64(p.menuOrder))
	x.elemCDATA("\t\t", "wp:post_type", p.typ)
	x.elemCDATA("\t\t", "wp:post_password", p.password)
	if p.sticky {
		x.elemInt("\t\t", "wp:is_sticky", 1)
	} else {
		x.elemInt("\t\t", "wp:is_sticky", 0)
	}
	if p.attachmentURL != "" {
		x.elemCDATA("\t\t", "wp:attachment_url", p.attachmentURL)
	}
	for _, t := range p.terms {
		x.WriteString("\t\t<category domain=\"")
		x.WriteString(t.taxonomy)
		x.WriteString("\" nicename=\"")
		x.escape(t.slug)
		x.WriteString("\">")
		x.cdata(t.name)
		x.WriteString("</category>\n")
	}
	for _, m := range p.meta {
		x.meta("postmeta", m[0], m[1])
	}
	for i := range g.cmts {
		g.writeComment(&g.cmts[i])
	}
	x.WriteString("\t</item>\n")
	g.st.Items++
}
