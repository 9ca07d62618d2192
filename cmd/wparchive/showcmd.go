package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"
	xhtml "golang.org/x/net/html"
	"golang.org/x/term"

	"github.com/wparchive/wparchive/archive"
)

func init() {
	register(&command{
		name:    "show",
		summary: "show one post: its metadata, comment threads, trackbacks and pingbacks",
		usage:   "[--db FILE] [--site SITE] [--json] [--include-private] [--width N] POST\n\nPOST is a WordPress post id, a slug (as exported or decoded) or the post's URL.",
		run:     runShow,
	})
}

func runShow(ctx context.Context, e *env, args []string) error {
	c := commands["show"]
	fs := newFlags(c, e)
	db := dbFlag(fs)
	site := fs.String("site", "", "look only in this site (its URL or key, as `stats` lists them)")
	row := fs.Int64("row", 0, "the post's row id in the archive, instead of POST (for posts that share an id or slug)")
	asJSON := fs.Bool("json", false, "print the post and its comments as JSON")
	private := fs.Bool("include-private", false, "also print commenters' e-mail and IP addresses and the post's password")
	width := fs.Int("width", 0, "wrap text at this many columns (default: the terminal's width; 0 when not a terminal: no wrapping)")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0 && *row == 0:
		return usagef(c.name, "name the post to show: its id, slug or URL")
	case fs.NArg() > 1:
		return usagef(c.name, "show takes one post (got %d arguments; quote a URL with & in it)", fs.NArg())
	case fs.NArg() == 1 && *row != 0:
		return usagef(c.name, "give a post or --row, not both")
	}
	a, err := archive.OpenReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	id := *row
	if id == 0 {
		id, err = a.FindPost(ctx, fs.Arg(0), archive.FindOptions{Site: *site})
		var amb *archive.AmbiguousError
		if errors.As(err, &amb) {
			return ambiguous(amb)
		}
		if err != nil {
			return err
		}
	}
	v, err := a.LoadPost(ctx, id, archive.LoadOptions{Private: *private})
	if err != nil {
		return err
	}
	qs, err := a.Quotes(ctx, archive.QuoteFilter{PostID: id})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(showJSON(v, qs))
	}
	w := *width
	if !fs.Changed("width") {
		if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
				w = cols - 1
			}
		}
	}
	printPost(e.stdout, v, qs, *private, w)
	return nil
}

// shownQuote is a passage in show's JSON, without the post it is in.
type shownQuote struct {
	archive.QuoteView
	Post *archive.QuotePost `json:"post,omitempty"` // hides QuoteView.Post
}

// showJSON is the post with its foreign-language passages under "quotes".
func showJSON(v *archive.PostView, qs []archive.QuoteView) any {
	out := struct {
		*archive.PostView
		Quotes []shownQuote `json:"quotes"`
	}{v, make([]shownQuote, len(qs))}
	for i := range qs {
		out.Quotes[i].QuoteView = qs[i]
	}
	return out
}

func ambiguous(amb *archive.AmbiguousError) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d posts:\n", amb.Ref, len(amb.Matches))
	for _, m := range amb.Matches {
		fmt.Fprintf(&b, "  --row %-6d %s  id %s  %s %s  %s  %s\n", m.ID, m.Site, wpID(m.WPID), m.Type, m.Status, oneLine(m.Title), m.Link)
	}
	b.WriteString("Say which with --row ROW, or narrow with --site SITE.")
	return errors.New(b.String())
}

func wpID(id *int64) string {
	if id == nil {
		return "?"
	}
	return strconv.FormatInt(*id, 10)
}

// printPost writes the post's metadata with its foreign-language
// passages qs, its comments as indented threads and its trackbacks and
// pingbacks. E-mail and IP addresses are printed only when private
// (LoadPost has left them out otherwise).
func printPost(out io.Writer, v *archive.PostView, qs []archive.QuoteView, private bool, width int) {
	p := &printer{w: out, width: width}
	title := oneLine(v.Title)
	if title == "" {
		title = "(no title)"
	}
	p.line(0, title)
	p.line(0, strings.Repeat("─", min(max(uniseg.StringWidth(title), 8), 80)))
	field := func(name, val string) {
		if val != "" {
			p.field(name, val)
		}
	}
	field("Post", fmt.Sprintf("%s %s, %s (row %d)", v.Type, wpID(v.WPID), v.Status, v.ID))
	siteName := v.Site.Key
	if v.Site.Title != "" {
		siteName = fmt.Sprintf("%s (%s)", v.Site.Title, v.Site.Key)
	}
	field("Site", siteName)
	field("URL", v.Link)
	if v.GUID != "" && v.GUID != v.Link {
		field("GUID", v.GUID)
	}
	slug := v.Slug
	if v.SlugDecoded != "" {
		slug = fmt.Sprintf("%s (%s)", v.SlugDecoded, v.Slug)
	}
	field("Slug", slug)
	field("Date", dates(v.DateRaw, v.DateAt))
	if v.ModifiedRaw != v.DateRaw || v.ModifiedAt != v.DateAt {
		field("Modified", dates(v.ModifiedRaw, v.ModifiedAt))
	}
	author := v.Author
	if v.AuthorName != "" && v.AuthorName != v.Author {
		author = fmt.Sprintf("%s (%s)", v.AuthorName, v.Author)
	}
	field("Author", author)
	if v.Parent != nil {
		field("Parent", fmt.Sprintf("%s %s %s", v.Parent.Type, wpID(v.Parent.WPID), oneLine(v.Parent.Title)))
	} else if v.ParentWPID != nil {
		field("Parent", fmt.Sprintf("%d (not in the archive)", *v.ParentWPID))
	}
	field("Attachment", v.AttachmentURL)
	for _, t := range groupTerms(v.Terms) {
		field(t[0], t[1])
	}
	var flags []string
	if v.Sticky {
		flags = append(flags, "sticky")
	}
	if v.Protected {
		if private {
			flags = append(flags, "password "+strconv.Quote(v.Password))
		} else {
			flags = append(flags, "password-protected")
		}
	}
	field("Flags", strings.Join(flags, ", "))
	field("Language", v.Lang)
	printPassages(p, v.ID, qs)
	field("Comments", countComments(v.Comments)+openness(v.CommentStatus))
	field("Pings", countPings(v.Pings)+openness(v.PingStatus))

	if len(v.Comments) > 0 {
		p.blank()
		p.line(0, fmt.Sprintf("Comments (%d)", len(v.Comments)))
		for i := range v.Comments {
			p.blank()
			printComment(p, &v.Comments[i], private)
		}
	}
	if len(v.Pings) > 0 {
		p.blank()
		p.line(0, fmt.Sprintf("Trackbacks and pingbacks (%d)", len(v.Pings)))
		for i := range v.Pings {
			p.blank()
			printPing(p, &v.Pings[i], private)
		}
	}
}

// shownPassages is how many passages show lists; `quotes` lists them all.
const shownPassages = 10

// printPassages writes the post's foreign-language passages in its
// metadata: their count by language, pairs and repeats, then one line
// each (number, language, paired or not, the start of its text) under
// the value column.
func printPassages(p *printer, row int64, qs []archive.QuoteView) {
	if len(qs) == 0 {
		return
	}
	langs := map[string]int{}
	paired, repeats := 0, 0
	for i := range qs {
		langs[qs[i].Lang]++
		if qs[i].TranslationOrd != nil {
			paired++
		}
		if qs[i].RepeatOfOrd != nil {
			repeats++
		}
	}
	p.field("Passages", fmt.Sprintf("%d foreign: %s; %d paired, %s", len(qs), joinCounts(langs), paired,
		plural(int64(repeats), "repeat", "repeats")))
	const indent = 12 // under the value of a field
	for i := range qs[:min(len(qs), shownPassages)] {
		q := &qs[i]
		state := "unpaired"
		switch {
		case q.Kind == "inline":
			state = "inline"
		case q.TranslationOrd != nil:
			state = "paired"
		}
		head := fmt.Sprintf("#%-3d %-7s %-8s ", q.Ord, orDash(q.Lang), state)
		note := ""
		if q.RepeatOfOrd != nil {
			note = fmt.Sprintf(" (repeat of #%d)", *q.RepeatOfOrd)
		}
		room := 60
		if p.width > 0 {
			room = min(room, max(p.width-indent-uniseg.StringWidth(head+note), 4))
		}
		text := truncateWidth(strings.Join(strings.Fields(displayText(q.Normalized)), " "), room)
		fmt.Fprintf(p.w, "%s%s%s%s\n", strings.Repeat(" ", indent), head, text, note)
	}
	if n := len(qs) - shownPassages; n > 0 {
		p.line(indent, fmt.Sprintf("… and %d more: wparchive quotes --row %d", n, row))
	}
}

// indentUnit is how far a reply is indented under its parent.
const indentUnit = 4

func printComment(p *printer, c *archive.CommentView, private bool) {
	ind := c.Level * indentUnit
	head := "#" + wpID(c.WPID)
	if c.Level > 0 {
		head = "↳ " + head
	}
	parts := []string{head + " " + orDash(oneLine(c.Author)), c.Kind}
	if c.Provider != "" {
		parts = append(parts, c.Provider)
	}
	parts = append(parts, shortDate(c.DateRaw, c.DateAt))
	if c.Status != "approved" {
		parts = append(parts, "["+orDash(c.Status)+"]")
	}
	if private {
		var pv []string
		if c.AuthorEmail != "" {
			pv = append(pv, c.AuthorEmail)
		}
		if c.AuthorIP != "" {
			pv = append(pv, c.AuthorIP)
		}
		if len(pv) > 0 {
			parts = append(parts, strings.Join(pv, ", "))
		}
	}
	p.parts(ind, parts)
	if c.ReplyTo != nil {
		note := fmt.Sprintf("(in reply to #%d", *c.ReplyTo)
		if c.Orphan {
			note += ", which is not in the export"
		}
		p.line(ind+2, note+")")
	}
	p.text(ind+2, htmlText(c.Content))
}

func printPing(p *printer, c *archive.CommentView, private bool) {
	parts := []string{c.Kind + " #" + wpID(c.WPID), shortDate(c.DateRaw, c.DateAt)}
	if c.PingDomain != "" {
		parts = append(parts, c.PingDomain)
	}
	if c.Status != "approved" {
		parts = append(parts, "["+orDash(c.Status)+"]")
	}
	if private && c.AuthorIP != "" {
		parts = append(parts, c.AuthorIP)
	}
	p.parts(0, parts)
	title := oneLine(c.PingTitle)
	if c.Kind == "trackback" {
		if blog := oneLine(c.Author); blog != "" && blog != title {
			title += " — " + blog
		}
	}
	p.text(2, title)
	p.text(2, c.PingURL)
	p.text(2, c.PingExcerpt)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func openness(s string) string {
	if s == "" {
		return ""
	}
	return "; " + s
}

func countComments(cs []archive.CommentView) string {
	if len(cs) == 0 {
		return "none"
	}
	st := map[string]int{}
	kinds := map[string]int{}
	for _, c := range cs {
		st[c.Status]++
		kinds[c.Kind]++
	}
	s := joinCounts(st)
	if len(kinds) > 1 || kinds["comment"] == 0 {
		s = joinCounts(kinds) + "; " + s
	}
	return fmt.Sprintf("%d (%s)", len(cs), s)
}

func countPings(cs []archive.CommentView) string {
	if len(cs) == 0 {
		return "none"
	}
	kinds := map[string]int{}
	for _, c := range cs {
		kinds[c.Kind]++
	}
	return fmt.Sprintf("%d (%s)", len(cs), joinCounts(kinds))
}

// groupTerms lists a post's terms by taxonomy: categories, tags, then the
// rest by name.
func groupTerms(ts []archive.TermRef) [][2]string {
	by := map[string][]string{}
	var taxes []string
	for _, t := range ts {
		if _, ok := by[t.Taxonomy]; !ok {
			taxes = append(taxes, t.Taxonomy)
		}
		name := t.Name
		if name == "" {
			name = t.Slug
		}
		by[t.Taxonomy] = append(by[t.Taxonomy], name)
	}
	rank := func(t string) int {
		switch t {
		case "category":
			return 0
		case "post_tag":
			return 1
		}
		return 2
	}
	sort.SliceStable(taxes, func(i, j int) bool {
		if rank(taxes[i]) != rank(taxes[j]) {
			return rank(taxes[i]) < rank(taxes[j])
		}
		return taxes[i] < taxes[j]
	})
	var out [][2]string
	for _, t := range taxes {
		label := t
		switch t {
		case "category":
			label = "Categories"
		case "post_tag":
			label = "Tags"
		}
		out = append(out, [2]string{label, strings.Join(by[t], ", ")})
	}
	return out
}

// dates renders the site's local date and the UTC one.
func dates(local, utc string) string {
	switch {
	case local == "" && utc == "":
		return ""
	case utc == "":
		return local
	case local == "" || strings.HasPrefix(local, "0000-00-00"):
		return utc
	}
	return fmt.Sprintf("%s (%s)", local, utc)
}

// shortDate is the local date to the minute, as the blog showed it, or the
// UTC one.
func shortDate(local, utc string) string {
	if len(local) >= 16 && !strings.HasPrefix(local, "0000") {
		return local[:16]
	}
	if utc != "" {
		return strings.TrimSuffix(strings.Replace(utc, "T", " ", 1), "Z")
	}
	return orDash(local)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// printer writes indented, optionally wrapped lines.
type printer struct {
	w     io.Writer
	width int // 0: no wrapping
}

func (p *printer) blank() { fmt.Fprintln(p.w) }

// line writes s at indent, wrapped at spaces; continuation lines are
// indented two more columns.
func (p *printer) line(indent int, s string) {
	p.lines(indent, indent+2, "", strings.Fields(s), " ")
}

// field writes "Label:     value", the value's continuation lines under
// its start.
func (p *printer) field(label, val string) {
	head := fmt.Sprintf("%-11s ", label+":")
	p.lines(0, len(head), head, strings.Fields(val), " ")
}

// parts writes parts joined by " · ", wrapped between parts.
func (p *printer) parts(indent int, parts []string) {
	p.lines(indent, indent+2, "", parts, " · ")
}

// lines writes prefix and the tokens joined by sep at indent, wrapped to
// the printer's width between tokens; continuation lines start at column
// rest.
func (p *printer) lines(indent, rest int, prefix string, tokens []string, sep string) {
	for i, ln := range wrapTokens(tokens, sep, p.width-indent-uniseg.StringWidth(prefix), p.width-rest) {
		if i == 0 {
			fmt.Fprintf(p.w, "%s%s%s\n", strings.Repeat(" ", indent), prefix, ln)
		} else {
			fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", rest), ln)
		}
	}
}

// text writes paragraphs of s at indent, wrapping each line to the width.
func (p *printer) text(indent int, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	for _, ln := range strings.Split(s, "\n") {
		if strings.TrimSpace(ln) == "" {
			fmt.Fprintln(p.w)
			continue
		}
		p.lines(indent, indent, "", strings.Fields(ln), " ")
	}
}

// wrapTokens joins tokens with sep into lines of at most first columns
// (the first line) and rest columns (the others), breaking only between
// tokens; a token wider than the line gets a line of its own. A width
// below 20 (or no width) does not wrap.
func wrapTokens(tokens []string, sep string, first, rest int) []string {
	if len(tokens) == 0 {
		return []string{""}
	}
	width := first
	if first < 20 || rest < 20 {
		width = 1 << 30
		rest = width
	}
	sepW := uniseg.StringWidth(sep)
	var lines []string
	var cur strings.Builder
	curW := 0
	for i, tok := range tokens {
		tw := uniseg.StringWidth(tok)
		if i > 0 && curW+sepW+tw > width {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
			width = rest
		} else if i > 0 {
			cur.WriteString(sep)
			curW += sepW
		}
		cur.WriteString(tok)
		curW += tw
	}
	return append(lines, cur.String())
}

var manyNewlines = regexp.MustCompile(`\n{3,}`)

// htmlText renders comment HTML for the terminal: tags dropped, entities
// decoded, a link's address after its text, line breaks kept (WordPress
// turns a comment's newlines into paragraphs when it shows it).
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return manyNewlines.ReplaceAllString(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n")
	}
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var hrefs []string
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			out := strings.ReplaceAll(b.String(), "\r\n", "\n")
			return manyNewlines.ReplaceAllString(strings.TrimSpace(out), "\n\n")
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style":
				if tt == xhtml.StartTagToken {
					skip++
				}
			case "br":
				b.WriteByte('\n')
			case "p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr":
				b.WriteString("\n\n")
				if tok.Data == "li" {
					b.WriteString("• ")
				}
				if tok.Data == "blockquote" {
					b.WriteString("> ")
				}
			case "a":
				href := ""
				for _, at := range tok.Attr {
					if at.Key == "href" {
						href = at.Val
					}
				}
				if tt == xhtml.StartTagToken {
					hrefs = append(hrefs, href)
				}
			case "img":
				for _, at := range tok.Attr {
					if at.Key == "alt" && at.Val != "" {
						b.WriteString("[" + at.Val + "]")
					}
				}
			}
		case xhtml.EndTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "style":
				if skip > 0 {
					skip--
				}
			case "p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr":
				b.WriteString("\n\n")
			case "a":
				if n := len(hrefs); n > 0 {
					href := hrefs[n-1]
					hrefs = hrefs[:n-1]
					text := b.String()
					if href != "" && !strings.HasSuffix(strings.TrimSpace(text), href) && !strings.HasPrefix(href, "#") {
						b.WriteString(" <" + href + ">")
					}
				}
			}
		}
	}
}
