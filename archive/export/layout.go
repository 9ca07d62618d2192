package export

import (
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/wparchive/wparchive/archive/markdown"
)

// maxNameBytes bounds one file or folder name made from a slug, leaving
// room under the 255-byte limit of Linux and macOS file systems for a
// date prefix, a suffix and an extension.
const maxNameBytes = 150

// SafeName returns s made valid as one file or folder name on Linux,
// macOS and Windows: NFC, no control characters, none of < > : " / \ | ? *
// (each becomes "-"), white space as "-", no leading "." or "_" (hidden
// files, and names Hugo and Jekyll treat as special), no trailing "." or
// space, at most maxNameBytes bytes, and not a Windows device name (CON,
// NUL, COM1 … get a trailing "_"). "" when nothing is left.
func SafeName(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteByte('-')
		case strings.ContainsRune(`<>:"/\|?*`, r), unicode.IsSpace(r):
			b.WriteByte('-')
		case unicode.IsControl(r) || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	s = trimName(b.String())
	if len(s) > maxNameBytes {
		cut := maxNameBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = trimName(s[:cut])
	}
	if isWindowsDevice(s) {
		s += "_"
	}
	return s
}

func trimName(s string) string {
	s = strings.TrimLeft(s, "._- ")
	return strings.TrimRight(s, ". -")
}

// isWindowsDevice reports whether Windows reserves name as a device: CON,
// PRN, AUX, NUL, COM0-9 and LPT0-9 (with superscript digits too), in any
// case, alone or before an extension.
func isWindowsDevice(name string) bool {
	base := name
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) > 3 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		switch base[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

var folder = cases.Fold()

// nameKey is how file systems that ignore case and Unicode normalisation
// (macOS, Windows) compare names.
func nameKey(s string) string { return foldKey(folder, s) }

// foldKey is nameKey with the Caser c: one per goroutine (a Caser keeps
// state).
func foldKey(c cases.Caser, s string) string {
	// ASCII, most slugs and paths: NFC leaves it as it is, and case
	// folding only lowers A-Z.
	upper := false
	for i := 0; i < len(s); i++ {
		if b := s[i]; b >= 0x80 {
			return c.String(norm.NFC.String(s))
		} else if 'A' <= b && b <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return s
	}
	b := []byte(s)
	for i, x := range b {
		if 'A' <= x && x <= 'Z' {
			b[i] = x + 'a' - 'A'
		}
	}
	return string(b)
}

// namespace hands out names unique within a scope (a folder, or the
// comments keys), compared as nameKey does.
type namespace struct {
	taken map[string]bool
}

func newNamespace() *namespace { return &namespace{taken: map[string]bool{}} }

func (n *namespace) reserve(scope, name string) { n.taken[scope+"\x00"+nameKey(name)] = true }

// claim returns prefix+name if it is free in scope, else prefix+name-2,
// prefix+name-3 … (the first free one whose name part is no post's
// natural slug), takes it and returns the name part and whether it took
// a suffix.
func (n *namespace) claim(scope, prefix, name string, natural map[string]bool) (string, bool) {
	if k := scope + "\x00" + nameKey(prefix+name); !n.taken[k] {
		n.taken[k] = true
		return name, false
	}
	for i := 2; ; i++ {
		suffix := "-" + strconv.Itoa(i)
		base := name
		if len(prefix)+len(base)+len(suffix) > maxNameBytes {
			cut := max(maxNameBytes-len(prefix)-len(suffix), 0)
			for cut > 0 && !utf8.RuneStart(base[cut]) {
				cut--
			}
			base = base[:cut]
		}
		c := base + suffix
		k := scope + "\x00" + nameKey(prefix+c)
		if !n.taken[k] && !natural[nameKey(c)] {
			n.taken[k] = true
			return c, true
		}
	}
}

// baseSlug returns the post's slug decoded and safe as a file name; for a
// post without one (drafts often have none) a slug made from its title,
// else its type and WordPress id.
func baseSlug(p *post) string {
	if s := SafeName(markdown.SafeSlug(p.slugRaw)); s != "" {
		return s
	}
	if s := SafeName(slugify(markdown.PlainText(p.title))); s != "" {
		return s
	}
	if p.wpID > 0 {
		return SafeName(p.typ) + "-" + strconv.FormatInt(p.wpID, 10)
	}
	return SafeName(p.typ) + "-row" + strconv.FormatInt(p.id, 10)
}

// slugify lower-cases a title and joins its words (letters and digits of
// any script) with "-", as WordPress's sanitize_title does for Latin text.
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// sectionOf returns the folder of a post type: Hugo's section under
// content/ ("posts", "" for pages, the type's name otherwise) or Jekyll's
// folder ("_posts", "" for pages, "_<type>" for a collection).
func sectionOf(typ, flavor string) string {
	switch typ {
	case "post":
		if flavor == markdown.Jekyll {
			return "_posts"
		}
		return "posts"
	case "page":
		return ""
	}
	name := SafeName(strings.ToLower(typ))
	if name == "" {
		name = "type-" + strconv.Itoa(len(typ))
	}
	if flavor == markdown.Jekyll {
		return "_" + name
	}
	return name
}

// plan decides, for the posts to export (in export order), where each
// goes: its output slug (unique in its folder), its comments key (unique
// in the export) and its file, and fills its front matter dates. Pages
// nest under their exported parent pages.
func plan(posts []*post, opt *Options, d *archiveData) {
	flavor := opt.Flavor
	names := newNamespace()
	keys := newNamespace()
	// The per-post work that needs no other post (slugs, their keys,
	// dates) on every CPU; the claiming after it is in order.
	d.siteZone() // once, before the goroutines read d.zone
	slugKeys := make([]string, len(posts))
	eachChunk(len(posts), func(lo, hi int) {
		fold := cases.Fold()
		for i, p := range posts[lo:hi] {
			p.slug = baseSlug(p)
			slugKeys[lo+i] = foldKey(fold, p.slug)
			p.draft = p.status == "draft" || p.status == "pending" || p.status == "future"
			p.date, p.modified = postDates(p, d)
		}
	})
	natural := make(map[string]bool, len(posts))
	for _, k := range slugKeys {
		natural[k] = true
	}
	// Names that would turn a folder into something else: Hugo's index.md
	// and _index.md make bundles, a page named like a section or a
	// taxonomy would take its place; Jekyll builds index.md as the home
	// page and keeps assets/ for media.
	sections := map[string]bool{}
	for _, p := range posts {
		sections[sectionOf(p.typ, flavor)] = true
	}
	reservedRoot := []string{"index"}
	if flavor == markdown.Hugo {
		reservedRoot = append(reservedRoot, "tags", "categories", "posts")
		for s := range sections {
			reservedRoot = append(reservedRoot, s)
		}
		for _, p := range posts {
			for _, tx := range p.taxonomies {
				reservedRoot = append(reservedRoot, tx.Name)
			}
		}
	} else {
		reservedRoot = append(reservedRoot, "assets", "vendor", "node_modules", "gemfile", "gemfile.lock", "404")
	}
	root := "content"
	if flavor == markdown.Jekyll {
		root = ""
	}
	for _, r := range reservedRoot {
		if r != "" {
			names.reserve(root, r)
		}
	}

	exported := map[int64]*post{}
	for _, p := range posts {
		exported[p.id] = p
	}
	// Parent pages: the nearest exported ancestor (a cycle ends the walk).
	for _, p := range posts {
		if p.typ != "page" {
			continue
		}
		seen := map[int64]bool{p.id: true}
		for id := p.parentID; id != 0 && !seen[id]; {
			seen[id] = true
			if q, ok := exported[id]; ok && q.typ == "page" {
				p.parent = q
				q.children++
				break
			}
			a := d.byID[id]
			if a == nil {
				break
			}
			id = a.parentID
		}
	}
	done := map[*post]bool{}
	var place func(p *post)
	place = func(p *post) {
		if done[p] {
			return
		}
		done[p] = true
		if p.parent != nil {
			place(p.parent)
		}
		placePost(p, opt, names, natural)
	}
	for _, p := range posts {
		place(p)
	}
	for _, p := range posts {
		key := p.slug
		if flavor == markdown.Jekyll {
			key = jekyllKey(p)
		}
		p.key, _ = keys.claim("", "", key, natural)
	}
}

// jekyllKey returns the comments key of a post for Jekyll, which reads
// _data/comments/<key>.yml as site.data.comments[<key>] only after
// dropping every character of the name but ASCII letters, digits, "_"
// and "-": the slug with the others turned into "-", or, when no letter
// is left (a Chinese slug), the type and WordPress id.
func jekyllKey(p *post) string {
	var b strings.Builder
	dash := false
	for _, r := range p.slug {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	k := b.String()
	if strings.IndexFunc(k, unicode.IsLetter) >= 0 {
		return k
	}
	typ := strings.Map(func(r rune) rune {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			return r
		}
		return -1
	}, p.typ)
	if typ == "" {
		typ = "post"
	}
	if p.wpID > 0 {
		return typ + "-" + strconv.FormatInt(p.wpID, 10)
	}
	return typ + "-row" + strconv.FormatInt(p.id, 10)
}

// pageDir returns the folder of a page's own name, from the output root:
// its parent page's folder.
func pageDir(p *post, flavor string) string {
	root := "content"
	if flavor == markdown.Jekyll {
		root = ""
	}
	if p.parent == nil {
		return root
	}
	return path.Join(pageDir(p.parent, flavor), p.parent.slug)
}

// placePost gives p its slug and file.
func placePost(p *post, opt *Options, names *namespace, natural map[string]bool) {
	flavor, layout := opt.Flavor, opt.Layout
	section := sectionOf(p.typ, flavor)
	if flavor == markdown.Hugo {
		var dir string
		if p.typ == "page" {
			dir = pageDir(p, flavor)
		} else {
			dir = path.Join("content", section)
			if layout == LayoutDated && !p.date.IsZero() {
				dir = path.Join(dir, p.date.Format("2006"), p.date.Format("01"))
			}
			names.reserve(dir, "index")
		}
		p.slug, p.renamed = names.claim(dir, "", p.slug, natural)
		switch {
		case p.children > 0:
			// A page with sub-pages is a branch bundle: Hugo nests no
			// pages under a leaf bundle (index.md).
			p.rel = path.Join(dir, p.slug, "_index.md")
		case layout == LayoutBundle:
			p.rel = path.Join(dir, p.slug, "index.md")
		default:
			p.rel = path.Join(dir, p.slug+".md")
		}
		p.url = "/" + strings.TrimPrefix(path.Join(dir, p.slug), "content/") + "/"
		return
	}
	// Jekyll.
	switch {
	case p.typ == "post" && p.draft:
		// Jekyll's drafts have no date in their name.
		p.slug, p.renamed = names.claim("_drafts", "", p.slug, natural)
		p.rel = path.Join("_drafts", p.slug+".md")
	case p.typ == "post":
		// A published post needs a date in its name to be built; one
		// without (some hand-made exports) takes what else tells its age.
		date := fileDate(p)
		dir := "_posts"
		if layout == LayoutDated {
			dir = path.Join(dir, date.Format("2006"), date.Format("01"))
		}
		prefix := date.Format("2006-01-02") + "-"
		p.slug, p.renamed = names.claim(dir, prefix, p.slug, natural)
		p.rel = path.Join(dir, prefix+p.slug+".md")
	default:
		dir := section
		if p.typ == "page" {
			dir = pageDir(p, flavor)
		}
		p.slug, p.renamed = names.claim(dir, "", p.slug, natural)
		if layout == LayoutBundle {
			p.rel = path.Join(dir, p.slug, "index.md")
		} else {
			p.rel = path.Join(dir, p.slug+".md")
		}
	}
}

// fileDate returns the date of a Jekyll post's file name: its date, else
// its last modification, else its RSS pubDate, else 1970-01-01.
func fileDate(p *post) time.Time {
	switch {
	case !p.date.IsZero():
		return p.date
	case !p.modified.IsZero():
		return p.modified
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, strings.TrimSpace(p.pubDate)); err == nil && t.Year() > 1900 {
			return t
		}
	}
	return time.Unix(0, 0).UTC()
}

// postDates returns a post's publication and modification times with the
// site's offset. Drafts have no GMT date; their local date is read in the
// offset the post's modification dates show, else the site's (that of
// its latest dated post), else UTC.
func postDates(p *post, d *archiveData) (date, modified time.Time) {
	loc := d.siteZone()
	if t, ok := markdown.WPTime(p.modRaw, p.modGMT, nil); ok && hasGMT(p.modGMT) {
		loc = t.Location()
	}
	date, _ = markdown.WPTime(p.dateRaw, p.dateGMT, loc)
	modified, _ = markdown.WPTime(p.modRaw, p.modGMT, loc)
	return date, modified
}

func hasGMT(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.HasPrefix(s, "0000")
}

// siteZone returns the offset of the site's latest post with both dates,
// or UTC.
func (d *archiveData) siteZone() *time.Location {
	if d.zone != nil {
		return d.zone
	}
	d.zone = time.UTC
	var best time.Time
	for _, p := range d.posts {
		if !hasGMT(p.dateGMT) {
			continue
		}
		if t, ok := markdown.WPTime(p.dateRaw, p.dateGMT, nil); ok && t.After(best) {
			best = t
			d.zone = t.Location()
		}
	}
	return d.zone
}

// urlKey compares site paths as servers do here: case and a trailing
// slash ignored.
func urlKey(p string) string {
	p = strings.TrimSpace(p)
	if !strings.ContainsAny(p, "?#") {
		p = strings.TrimSuffix(p, "/")
	}
	return strings.ToLower(p)
}

// assignAliases fills each post's old paths (Hugo aliases, Jekyll
// redirect_from) and Jekyll permalink, so that no two posts claim one
// path: a path is first its own post's (its new path, then its old
// permalink), then the first post's (in export order) that lists it as an
// alias (?p=ID, an old slug).
func assignAliases(posts []*post, flavor string) map[*post][]string {
	owner := make(map[string]*post, 3*len(posts))
	claim := func(p *post, k string) bool {
		if q, ok := owner[k]; ok && q != p {
			return false
		}
		owner[k] = p
		return true
	}
	// The paths and their keys are worked out on every CPU, then claimed
	// in export order.
	links := make([]string, len(posts))
	linkKeys := make([]string, len(posts))
	urlKeys := make([]string, len(posts))
	eachChunk(len(posts), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p := posts[i]
			if pl := markdown.LinkPath(p.link); pl != "" {
				links[i], linkKeys[i] = pl, urlKey(pl)
			}
			if flavor != markdown.Jekyll {
				urlKeys[i] = urlKey(p.url)
			}
		}
	})
	if flavor == markdown.Jekyll {
		for i, p := range posts {
			if pl := links[i]; pl != "" && !strings.Contains(pl, ":") && claim(p, linkKeys[i]) {
				p.url = pl
			}
		}
	} else {
		for i, p := range posts {
			claim(p, urlKeys[i])
		}
		for i, p := range posts {
			if links[i] != "" {
				claim(p, linkKeys[i])
			}
		}
	}
	type alias struct{ path, key string }
	aliases := make([][]alias, len(posts))
	eachChunk(len(posts), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p := posts[i]
			in := markdown.AliasInput{Link: p.link, ID: int(p.wpID), Page: p.typ == "page", Slug: p.slugRaw, OldSlugs: p.oldSlugs, Keep: p.url}
			as := markdown.Aliases(in)
			if len(as) == 0 {
				continue
			}
			aliases[i] = make([]alias, len(as))
			for j, a := range as {
				aliases[i][j] = alias{a, urlKey(a)}
			}
		}
	})
	out := map[*post][]string{}
	for i, p := range posts {
		for _, a := range aliases[i] {
			if claim(p, a.key) {
				out[p] = append(out[p], a.path)
			}
		}
	}
	return out
}

// eachChunk calls fn for the ranges of [0, n) it cuts into one or two per
// CPU, on as many goroutines, and returns when all are done. fn must only
// touch what belongs to its range.
func eachChunk(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 256 || workers == 1 {
		fn(0, n)
		return
	}
	chunks := min(2*workers, n/128)
	var wg sync.WaitGroup
	for c := 0; c < chunks; c++ {
		lo, hi := c*n/chunks, (c+1)*n/chunks
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// exportOrder sorts the posts to export: by type (posts, pages, then the
// others by name), then by date (undated last), WordPress id and row id,
// so the earlier of two posts with one slug keeps it.
func exportOrder(posts []*post) {
	rank := func(t string) int {
		switch t {
		case "post":
			return 0
		case "page":
			return 1
		}
		return 2
	}
	sort.SliceStable(posts, func(i, j int) bool {
		a, b := posts[i], posts[j]
		if ra, rb := rank(a.typ), rank(b.typ); ra != rb {
			return ra < rb
		}
		if a.typ != b.typ {
			return a.typ < b.typ
		}
		ga, gb := sortDate(a), sortDate(b)
		if ga != gb {
			if ga == "" || gb == "" {
				return gb == ""
			}
			return ga < gb
		}
		if a.wpID != b.wpID {
			return a.wpID < b.wpID
		}
		return a.id < b.id
	})
}

// sortDate is the post's GMT date as sortable text, "" when unknown.
func sortDate(p *post) string {
	if hasGMT(p.dateGMT) {
		return strings.TrimSpace(p.dateGMT)
	}
	if s := strings.TrimSpace(p.dateRaw); s != "" && !strings.HasPrefix(s, "0000") {
		return s
	}
	return ""
}
