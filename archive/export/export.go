// Package export writes the posts of an archive as Markdown files that
// Hugo or Jekyll build: front matter, body (archive/markdown), comment
// threads as data files or sections, media downloaded beside the posts,
// and a minimal site around them.
//
// Markdown is the entry point. It reads the archive in a few bulk queries,
// decides every file's place before writing any (unique, portable names;
// two posts with one slug both kept), converts the posts on all CPUs and
// writes under Options.Out only: no path leaves it, no symbolic link is
// followed, every file is written to a temporary name and renamed into
// place. A manifest (ManifestName) lists the files written, so that the
// next export into the same folder removes the ones it no longer writes,
// and never a file it did not write. The same archive and options give a
// byte-identical tree.
package export

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/markdown"
)

// Layouts of the exported files (Options.Layout).
const (
	LayoutBundle = "bundle" // a folder per post: <slug>/index.md, media beside it
	LayoutFlat   = "flat"   // <slug>.md
	LayoutDated  = "dated"  // YYYY/MM/<slug>.md
)

// Comment modes (Options.Comments).
const (
	CommentsNone   = "none"
	CommentsData   = "data"   // one data file per post with comments
	CommentsInline = "inline" // a "Comments" section at the end of the post
)

// Media modes (Options.Media).
const (
	MediaKeep     = "keep"     // links stay remote
	MediaDownload = "download" // files fetched into the site, links rewritten
)

// ErrOption is returned (wrapped) for an invalid option value.
var ErrOption = errors.New("export: invalid option")

// Options controls Markdown. The zero value of a field means its default.
type Options struct {
	// Out is the output folder (required); nothing is written outside it.
	Out string
	// Flavor is markdown.Hugo (default) or markdown.Jekyll.
	Flavor string
	// Layout is LayoutBundle (default), LayoutFlat or LayoutDated.
	Layout string
	// Types are the post types to export; default post and page.
	Types []string
	// Site picks the site of an archive that holds several: its key,
	// row id, title or URL.
	Site string
	// Comments is CommentsData (default), CommentsInline or CommentsNone;
	// CommentStatuses the comment statuses to include (default approved).
	Comments        string
	CommentStatuses []string
	// Media is MediaKeep (default) or MediaDownload; MediaCache the
	// download cache folder (default: the user's cache folder).
	Media      string
	MediaCache string
	// MediaAllowPrivate lets the downloads reach loopback, private and
	// link-local addresses (MediaOptions.AllowPrivate): off, a media URL
	// that leads there fails (ErrPrivateAddress) and keeps its link.
	MediaAllowPrivate bool
	// MediaClient, when set, makes the downloads as it is (tests use a
	// loopback server's client): the refusal of non-public addresses is
	// the default client's, so MediaAllowPrivate does not apply to it.
	MediaClient *http.Client
	// Drafts exports drafts, pending and scheduled posts (marked draft);
	// IncludePrivate exports private and password-protected posts.
	Drafts         bool
	IncludePrivate bool
	// Check compares every post's Markdown, rendered back, with the HTML
	// WordPress shows (Summary.Fidelity).
	Check bool
	// NoSkeleton leaves out the minimal site (config, layouts).
	NoSkeleton bool
	// Workers converting posts at once; default GOMAXPROCS.
	Workers int
	// Progress, when set, is called from one goroutine after each post
	// is written, with the count done and the total.
	Progress func(done, total int)
}

func (o *Options) normalize() error {
	o.Flavor = strings.ToLower(strings.TrimSpace(o.Flavor))
	if o.Flavor == "" {
		o.Flavor = markdown.Hugo
	}
	if o.Flavor != markdown.Hugo && o.Flavor != markdown.Jekyll {
		return fmt.Errorf("%w: flavor %q (hugo or jekyll)", ErrOption, o.Flavor)
	}
	if o.Layout == "" {
		o.Layout = LayoutBundle
	}
	if o.Layout != LayoutBundle && o.Layout != LayoutFlat && o.Layout != LayoutDated {
		return fmt.Errorf("%w: layout %q (bundle, flat or dated)", ErrOption, o.Layout)
	}
	var types []string
	for _, t := range o.Types {
		if t = strings.TrimSpace(t); t != "" {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		types = []string{"post", "page"}
	}
	o.Types = types
	if o.Comments == "" {
		o.Comments = CommentsData
	}
	if o.Comments != CommentsNone && o.Comments != CommentsData && o.Comments != CommentsInline {
		return fmt.Errorf("%w: comments %q (none, data or inline)", ErrOption, o.Comments)
	}
	if o.Media == "" {
		o.Media = MediaKeep
	}
	if o.Media != MediaKeep && o.Media != MediaDownload {
		return fmt.Errorf("%w: media %q (keep or download)", ErrOption, o.Media)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if strings.TrimSpace(o.Out) == "" {
		return fmt.Errorf("%w: no output folder", ErrOption)
	}
	return nil
}

// Markdown exports the posts of one site of the archive as Markdown under
// opt.Out and returns what it did. When the archive holds several sites
// and opt.Site names none, each goes to a folder of opt.Out named by its
// key, and the summary adds them up (its paths start with that folder). Errors: ErrOption for a bad option,
// ErrNoSite when the site is unknown or must be chosen, ErrUnsafePath when
// a link or a file is in the way, and read or write errors. A post that
// converts badly is never an error: it is listed in the summary. After an
// error the files written so far stay, and the manifest lists them with
// the previous export's, so the next export cleans up after both.
func Markdown(ctx context.Context, a *archive.Archive, opt Options) (*Summary, error) {
	if err := opt.normalize(); err != nil {
		return nil, err
	}
	sites, err := loadSites(ctx, a.DB(), opt.Site)
	if err != nil {
		return nil, err
	}
	if len(sites) == 1 {
		return exportSite(ctx, a, sites[0], opt)
	}
	// Several sites and none chosen: one folder each, named by its key.
	all := newSummary(&opt)
	folders := newNamespace()
	for _, s := range sites {
		name := SafeName(s.key)
		if name == "" {
			name = "site"
		}
		name, _ = folders.claim("", "", name, nil)
		o := opt
		o.Out = filepath.Join(opt.Out, name)
		sum, err := exportSite(ctx, a, s, o)
		if err != nil {
			return nil, fmt.Errorf("site %s: %w", s.key, err)
		}
		all.add(sum, name)
	}
	return all, nil
}

// Querier is what the export's reads need of the archive's database: a
// *sql.DB, or one *sql.Conn of it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// exportSite is Markdown for one site.
func exportSite(ctx context.Context, a *archive.Archive, s *site, opt Options) (*Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The comments are loaded a range of posts at a time while the posts
	// are converted (see run), on their own connection; every address
	// they must mask is read first, while the posts are.
	var (
		comments   *commentLoader
		privacy    sync.WaitGroup
		privacyErr error
	)
	if opt.Comments != CommentsNone {
		conn, release, err := a.ReadConn(ctx, 8<<10)
		if err != nil {
			return nil, err
		}
		defer release()
		comments, err = newCommentLoader(ctx, conn, s.id, CommentOptions{Statuses: opt.CommentStatuses, Private: opt.IncludePrivate})
		if err != nil {
			return nil, err
		}
		privacy.Add(1)
		go func() {
			defer privacy.Done()
			privacyErr = comments.loadPrivacy(ctx)
		}()
		defer func() { cancel(); privacy.Wait() }() // before release
	}
	db, release, err := a.ReadConn(ctx, 2<<10)
	if err != nil {
		return nil, err
	}
	defer release()
	terms, releaseTerms, err := a.ReadConn(ctx, 2<<10)
	if err != nil {
		return nil, err
	}
	posts2, releasePosts2, err := a.ReadConn(ctx, 2<<10)
	if err != nil {
		releaseTerms()
		return nil, err
	}
	d, err := loadData(ctx, db, posts2, terms, s)
	releasePosts2()
	releaseTerms()
	if err != nil {
		return nil, err
	}
	if privacy.Wait(); privacyErr != nil {
		return nil, privacyErr
	}
	sum := newSummary(&opt)
	sum.Site = s.key

	want := map[string]bool{}
	for _, t := range opt.Types {
		want[t] = true
	}
	var posts []*post
	found := map[string]bool{}
	for _, p := range d.posts {
		if !want[p.typ] {
			continue
		}
		found[p.typ] = true
		if r := skipReason(p, &opt); r != "" {
			sum.Skipped[r]++
			continue
		}
		posts = append(posts, p)
	}
	for _, t := range opt.Types {
		if !found[t] {
			sum.NoSuchType = append(sum.NoSuchType, t)
		}
	}
	exportOrder(posts)

	t, err := openTree(opt.Out)
	if err != nil {
		return nil, err
	}
	defer t.close()
	old, err := t.readManifest()
	if err != nil {
		return nil, err
	}
	// The posts are read and converted (and their comments loaded) while
	// the plan decides where they go; a worker waits for it after
	// converting its first post.
	x := &exporter{opt: &opt, d: d, t: t, comments: comments, siteURL: s.url, planned: make(chan struct{})}
	type ran struct {
		results []result
		err     error
	}
	runDone := make(chan ran, 1)
	go func() {
		results, err := x.run(ctx, db, posts)
		runDone <- ran{results, err}
	}()
	plan(posts, &opt, d)
	x.aliases = assignAliases(posts, opt.Flavor)
	close(x.planned)
	if opt.Flavor == markdown.Jekyll {
		sum.TimeZone, sum.TimeZoneMisfits = siteTimeZone(posts)
	}
	r := <-runDone
	results, err := r.results, r.err
	if err == nil && opt.Media == MediaDownload {
		err = x.media(ctx, posts, results, &sum.Media)
	}
	if err == nil && !opt.NoSkeleton {
		// After the content: the Jekyll skeleton declares the collections
		// it finds.
		sum.Skeleton, err = WriteSkeleton(opt.Out, opt.Flavor, SiteInfo{Title: markdown.PlainText(s.title), BaseURL: s.url, Language: s.language,
			TimeZone: sum.TimeZone, TimeZoneMisfits: sum.TimeZoneMisfits})
	}
	if err != nil {
		// Keep track of everything written so far as well as before.
		files := map[string]fileEntry{}
		for _, e := range old {
			if localPath(e.Path) {
				files[e.Path] = e
			}
		}
		for k, e := range t.written {
			files[k] = e
		}
		if merr := t.writeManifest(files); merr != nil {
			err = fmt.Errorf("%w (and the manifest: %v)", err, merr)
		}
		return nil, err
	}
	x.summarize(sum, posts, results)

	sum.Removed, sum.Kept, err = t.removeStale(old)
	if err != nil {
		return nil, err
	}
	sum.Files = len(t.written)
	sum.Written = t.changed
	if err := t.writeManifest(t.written); err != nil {
		return nil, err
	}
	return sum, nil
}

// exporter holds one export's state.
type exporter struct {
	opt      *Options
	d        *archiveData
	t        *tree
	aliases  map[*post][]string
	comments *commentLoader // nil with CommentsNone
	siteURL  string         // the site's address, for root-relative media
	// planned is closed once every post has its place and aliases (the
	// fields the plan sets may be read only after it).
	planned chan struct{}
}

// commentBatch is the comment threads of the posts with row ids from lo
// to hi, by post row id.
type commentBatch struct {
	threads map[int64]*Thread
	err     error
}

// commentBatchPosts is how many exported posts a commentBatch covers: the
// comments of at most two batches are in memory at a time.
const commentBatchPosts = 256

// result is what converting one post gave.
type result struct {
	rep      markdown.Report
	comments int
	file     []byte // with MediaDownload: the file, written once the media are in
}

// run converts and writes every post (and its comments data file), on
// opt.Workers goroutines fed by one query streaming the posts' content;
// results come back in posts' order. The comments are loaded by another
// goroutine, commentBatchPosts posts (by row id) at a time, one batch
// ahead of the stream.
func (x *exporter) run(ctx context.Context, db Querier, posts []*post) ([]result, error) {
	results := make([]result, len(posts))
	if len(posts) == 0 {
		return results, nil
	}
	index := make(map[int64]int, len(posts))
	types := map[string]bool{}
	ids := make([]int64, len(posts))
	for i, p := range posts {
		index[p.id] = i
		types[p.typ] = true
		ids[i] = p.id
	}
	slices.Sort(ids)
	// batchOf: posts index → its comments batch.
	batchOf := make([]int32, len(posts))
	for k, id := range ids {
		batchOf[index[id]] = int32(k / commentBatchPosts)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	batches := make(chan *commentBatch, 1)
	if x.comments != nil {
		go func() {
			defer close(batches)
			for lo := 0; lo < len(ids); lo += commentBatchPosts {
				hi := min(lo+commentBatchPosts, len(ids)) - 1
				th, err := x.comments.load(ctx, ids[lo], ids[hi])
				select {
				case batches <- &commentBatch{threads: th, err: err}:
				case <-ctx.Done():
					return
				}
				if err != nil {
					return
				}
			}
		}()
	}

	type job struct {
		i        int
		content  string
		comments *commentBatch
	}
	jobs := make(chan job, 2*x.opt.Workers)
	done := make(chan int, 2*x.opt.Workers)
	go func() {
		defer close(jobs)
		cur, batch := int32(-1), &commentBatch{}
		if err := streamContent(ctx, db, x.d.site.id, sortedKeys(types), ids[0], ids[len(ids)-1], func(id int64, content string) bool {
			i, ok := index[id]
			if !ok {
				return true
			}
			// Rows come by row id, so the batches in their order.
			for x.comments != nil && cur < batchOf[i] {
				select {
				case b, ok := <-batches:
					if !ok {
						return false
					}
					if b.err != nil {
						fail(b.err)
						return false
					}
					cur, batch = cur+1, b
				case <-ctx.Done():
					return false
				}
			}
			select {
			case jobs <- job{i, content, batch}:
				return true
			case <-ctx.Done():
				return false
			}
		}); err != nil {
			fail(err)
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < x.opt.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r, err := x.one(ctx, posts[j.i], j.content, j.comments.threads[posts[j.i].id])
				if err != nil {
					fail(err)
					continue
				}
				results[j.i] = r
				done <- j.i
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	n := 0
	for range done {
		n++
		if x.opt.Progress != nil {
			x.opt.Progress(n, len(posts))
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n != len(posts) {
		return nil, fmt.Errorf("export: %d of %d posts read back from the archive", n, len(posts))
	}
	return results, nil
}

// streamContent calls fn with the content of every post of the site of
// the given types with a row id from lo to hi, in row order, until fn
// returns false. The content is the normalised one where the import
// marked foreign-language passages (so they keep their lang), else the
// content as exported.
func streamContent(ctx context.Context, db Querier, siteID int64, types []string, lo, hi int64, fn func(id int64, content string) bool) error {
	args := []any{lo, hi, siteID}
	for _, t := range types {
		args = append(args, t)
	}
	// The rows are read in row id order from the table itself: through
	// the (site_id, post_type) index ("+" keeps SQLite off it) they would
	// come by type and be sorted, every content copied into a temporary
	// b-tree first (0.2 s of the 20,000-post archive's export).
	rows, err := db.QueryContext(ctx, `SELECT id, coalesce(nullif(content_normalized, ''), content, '')
		FROM posts WHERE id BETWEEN ? AND ? AND +site_id = ? AND +post_type IN (`+strings.TrimSuffix(strings.Repeat("?,", len(types)), ",")+`) ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("read post contents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var content string
		if err := rows.Scan(&id, &content); err != nil {
			return fmt.Errorf("read post contents: %w", err)
		}
		if !fn(id, content) {
			return ctx.Err()
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read post contents: %w", err)
	}
	return nil
}

// one converts a post and writes its file, and its comments data file
// when it has comments (th) and the export writes data files.
func (x *exporter) one(ctx context.Context, p *post, content string, th *Thread) (result, error) {
	d := x.d
	mopt := markdown.Options{
		Flavor:        x.opt.Flavor,
		Footnotes:     p.footnotes,
		Attachments:   d.attachment,
		Attached:      d.attached[p.id],
		ReusableBlock: d.reusableBlock,
		Check:         x.opt.Check,
	}
	md, rep := markdown.Convert(content, mopt)
	<-x.planned
	fm, err := x.frontMatter(p, rep.More)
	if err != nil {
		return result{}, fmt.Errorf("front matter of %s: %w", p.rel, err)
	}
	r := result{rep: rep}
	var inline string
	if th.Len() > 0 {
		switch x.opt.Comments {
		case CommentsInline:
			r.comments = th.Len()
			inline = th.Inline(x.opt.Flavor)
		case CommentsData:
			bp := fileBufs.Get().(*[]byte)
			data, err := th.appendData((*bp)[:0], x.opt.Flavor)
			if err == nil {
				err = x.t.write(x.commentsFile(p), data)
				*bp = data[:0]
			}
			fileBufs.Put(bp)
			if err != nil {
				return result{}, fmt.Errorf("comments of %s: %w", p.rel, err)
			}
			r.comments = th.Len()
		}
	}
	var b []byte
	var bp *[]byte
	if x.opt.Media != MediaDownload { // else the result keeps the file
		bp = fileBufs.Get().(*[]byte)
		b = (*bp)[:0]
	}
	b = slices.Grow(b, len(fm)+len(md)+len(inline)+2)
	b = append(b, fm...)
	if md != "" {
		b = append(b, '\n')
		b = append(b, md...)
	}
	if inline != "" {
		b = append(b, '\n')
		b = append(b, inline...)
	}
	if bp == nil {
		r.file = b
		return r, nil
	}
	err = x.t.write(p.rel, b)
	*bp = b[:0]
	fileBufs.Put(bp)
	if err != nil {
		return result{}, err
	}
	return r, nil
}

// fileBufs are the buffers one builds the files it writes in, reused:
// tree.write keeps none of the bytes it is given.
var fileBufs = sync.Pool{New: func() any { return new([]byte) }}

// commentsFile is the data file of a post's comments: Hugo reads
// data/comments/<key>.yaml, Jekyll _data/comments/<key>.yml.
func (x *exporter) commentsFile(p *post) string {
	if x.opt.Flavor == markdown.Jekyll {
		return path.Join("_data", "comments", p.key+".yml")
	}
	return path.Join("data", "comments", p.key+".yaml")
}

// fields returns the post's front matter fields.
func (x *exporter) fields(p *post, more bool) markdown.Fields {
	f := markdown.Fields{
		Title:      markdown.PlainText(p.title),
		Date:       p.date,
		Modified:   p.modified,
		Slug:       p.slug,
		Draft:      p.draft,
		Categories: p.categories,
		Tags:       p.tags,
		Taxonomies: frontTaxonomies(p.taxonomies),
		Author:     p.author,
		Summary:    markdown.PlainText(p.excerpt),
		Lang:       p.lang,
		More:       more,
	}
	f.Aliases, f.QueryAliases = markdown.SplitAliases(x.aliases[p])
	if f.Lang == "" {
		f.Lang = x.d.site.language
	}
	if a, ok := x.d.attachments[p.thumbnail]; ok && p.thumbnail > 0 {
		f.Image = strings.TrimSpace(a.attURL)
	}
	if x.opt.Flavor == markdown.Jekyll {
		f.Permalink = p.url
	}
	return f
}

// reservedKeys are front matter keys a custom taxonomy must not take.
var reservedKeys = map[string]bool{
	"title": true, "date": true, "lastmod": true, "last_modified_at": true, "slug": true, "draft": true,
	"published": true, "author": true, "categories": true, "tags": true, "summary": true, "images": true,
	"excerpt": true, "image": true, "lang": true, "wp_id": true, "wordpress_id": true, "aliases": true, "query_aliases": true,
	"permalink": true, "redirect_from": true, "excerpt_separator": true, "comments_key": true,
	"layout": true, "type": true, "url": true, "weight": true, "menu": true, "params": true,
	"outputs": true, "resources": true, "cascade": true, "build": true, "headless": true, "translationkey": true,
	"keywords": true, "description": true, "linktitle": true, "expirydate": true, "publishdate": true,
	"category": true, "path": true, "id": true, "collection": true, "output": true, "next": true, "previous": true,
}

// frontTaxonomies names custom taxonomies so they cannot clash with the
// front matter's own keys: a clashing name gets "_terms" appended.
func frontTaxonomies(txs []markdown.Taxonomy) []markdown.Taxonomy {
	if len(txs) == 0 {
		return nil
	}
	out := make([]markdown.Taxonomy, 0, len(txs))
	for _, tx := range txs {
		name := strings.ToLower(tx.Name)
		if reservedKeys[name] || strings.HasPrefix(name, "_") {
			tx.Name = strings.TrimLeft(tx.Name, "_") + "_terms"
		}
		out = append(out, tx)
	}
	return out
}

// frontMatter returns the post's front matter block: markdown.FrontMatter
// plus wordpress_id and comments_key (the name of its comments data
// file).
func (x *exporter) frontMatter(p *post, more bool) ([]byte, error) {
	fm, err := markdown.FrontMatter(x.fields(p, more), x.opt.Flavor)
	if err != nil {
		return nil, err
	}
	if p.wpID <= 0 && x.opt.Comments != CommentsData {
		return fm, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(fm) + 64)
	buf.Write(bytes.TrimSuffix(fm, []byte("---\n")))
	if p.wpID > 0 {
		buf.WriteString("wordpress_id: ")
		buf.WriteString(strconv.FormatInt(p.wpID, 10))
		buf.WriteByte('\n')
	}
	if x.opt.Comments == CommentsData {
		// Written by hand when plain (the usual slug), which is what the
		// encoder writes, without its cost for every post.
		if n := stringNode(p.key); n.Style == 0 {
			buf.WriteString("comments_key: ")
			buf.WriteString(p.key)
			buf.WriteByte('\n')
		} else {
			m := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{plainNode("comments_key"), n}}
			enc := yaml.NewEncoder(&buf)
			enc.SetIndent(2)
			if err := enc.Encode(m); err != nil {
				return nil, err
			}
			if err := enc.Close(); err != nil {
				return nil, err
			}
		}
	}
	buf.WriteString("---\n")
	return buf.Bytes(), nil
}

func plainNode(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// stringNode is a string scalar that reads back as a string in YAML 1.1
// (Jekyll) as well as 1.2 (Hugo): double-quoted unless it is made of
// letters, digits and inner "-" or "_" and is no number or boolean.
func stringNode(v string) *yaml.Node {
	n := plainNode(v)
	plain := v != "" && !strings.ContainsFunc(v, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 0x7f && r != 0x85 && r != 0xa0 && r != 0xfeff)
	})
	if plain {
		switch strings.ToLower(v) {
		case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
			plain = false
		}
		if strings.IndexFunc(v, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '-' || r == '_') }) < 0 {
			plain = false
		}
		if v[0] == '-' || v[len(v)-1] == '-' {
			plain = false
		}
	}
	if !plain {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// summarize adds the per-post results, in export order.
func (x *exporter) summarize(sum *Summary, posts []*post, results []result) {
	for i, p := range posts {
		r := &results[i]
		sum.Posts[p.typ]++
		if p.draft {
			sum.Drafts++
		}
		ref := PostRef{WPID: p.wpID, Type: p.typ, Title: markdown.PlainText(p.title), File: p.rel}
		if p.renamed {
			sum.Renamed = append(sum.Renamed, ref)
		}
		for k, v := range r.rep.Unknown {
			sum.Shortcodes[k] += v
		}
		for k, v := range r.rep.UnknownBlocks {
			sum.Blocks[k] += v
		}
		for _, pr := range r.rep.Problems {
			sum.Problems = append(sum.Problems, PostIssue{ref, pr})
		}
		if f := r.rep.Fidelity; f != nil {
			sum.Checked++
			if !f.OK() {
				sum.Fidelity = append(sum.Fidelity, PostIssue{ref, f.String()})
			}
		}
		if r.comments > 0 {
			sum.Comments += r.comments
			sum.CommentPosts++
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
