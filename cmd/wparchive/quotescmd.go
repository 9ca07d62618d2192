package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"
	"golang.org/x/term"

	"github.com/wparchive/wparchive/archive"
)

func init() {
	register(&command{
		name:    "quotes",
		summary: "list foreign-language passages with their translations side by side, by post",
		usage: `[--db FILE] [--lang LANG] [--post POST] [--site SITE] [--kind block|inline] [--unpaired] [--repeats] [--limit N] [--json]

Lists the passages the import found written in another language than their
post: quoted blocks beside the block that translates them, and inline
phrases beside the sentence they sit in. #N is a passage's place among its
post's blocks and phrases (quotes.ord). POST is a WordPress post id, a slug
or the post's URL, as for show.`,
		run: runQuotes,
	})
}

func runQuotes(ctx context.Context, e *env, args []string) error {
	c := commands["quotes"]
	fs := newFlags(c, e)
	db := dbFlag(fs)
	lang := fs.String("lang", "", "only passages in `LANG`, a BCP 47 prefix: zh lists zh-Hans and zh-Hant")
	post := fs.String("post", "", "only the passages of `POST`: its WordPress id, slug or URL")
	row := fs.Int64("row", 0, "only the passages of the post with archive row id `ROW` (for posts that share an id or slug)")
	site := fs.String("site", "", "only the site `SITE`: its URL or key, as stats lists them")
	kind := fs.String("kind", "", "`KIND` block: only blocks (paragraphs, blockquotes, list items …); inline: only inline phrases")
	unpaired := fs.Bool("unpaired", false, "only passages without a translation")
	repeats := fs.Bool("repeats", false, "only passages that repeat an earlier one of their post, and the passages they repeat")
	all := fs.Bool("all", false, "also the passages of revisions, auto-drafts and trashed posts")
	limit := fs.IntP("limit", "n", 0, "at most `N` passages (0: all)")
	asJSON := fs.Bool("json", false, "print the passages as a JSON array, every field")
	width := fs.Int("width", 0, "wrap at `N` columns, translations beside the passages from 70 up (default: the terminal's width; 0 when not a terminal: no wrapping, one under the other)")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef(c.name, "quotes takes no arguments (got %q); name a post with --post", fs.Arg(0))
	case *kind != "" && *kind != "block" && *kind != "inline":
		return usagef(c.name, "--kind is block or inline (got %q)", *kind)
	case *limit < 0:
		return usagef(c.name, "--limit must be 0 (all) or more (got %d)", *limit)
	case *post != "" && *row != 0:
		return usagef(c.name, "give --post or --row, not both")
	case fs.Changed("post") && strings.TrimSpace(*post) == "":
		return usagef(c.name, "--post needs a post id, slug or URL")
	case fs.Changed("width") && *width < 0:
		return usagef(c.name, "--width must be 0 (no wrapping) or more (got %d)", *width)
	}
	a, err := archive.OpenReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	f := archive.QuoteFilter{Lang: *lang, PostID: *row, Site: *site, Kind: *kind,
		Unpaired: *unpaired, Repeats: *repeats, All: *all}
	if *post != "" {
		f.PostID, err = a.FindPost(ctx, *post, archive.FindOptions{Site: *site})
		var amb *archive.AmbiguousError
		if errors.As(err, &amb) {
			return ambiguous(amb)
		}
		if err != nil {
			return err
		}
	}
	if *limit > 0 {
		f.Limit = *limit + 1 // one more tells whether the list was cut
	}
	qs, err := a.Quotes(ctx, f)
	if err != nil {
		return err
	}
	more := *limit > 0 && len(qs) > *limit
	if more {
		qs = qs[:*limit]
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(qs)
	}
	if len(qs) == 0 {
		has, err := a.HasQuotes(ctx)
		if err != nil {
			return err
		}
		if !has {
			fmt.Fprintln(e.stdout, "No foreign-language passages: the import found none in this archive.")
		} else {
			fmt.Fprintln(e.stdout, "No passage matches.")
		}
		return nil
	}
	w := *width
	if !fs.Changed("width") {
		w = terminalWidth(e.stdout)
	}
	printQuotes(e.stdout, qs, w)
	fmt.Fprintln(e.stdout, quoteSummary(qs, more))
	return nil
}

// terminalWidth is the width to wrap at: the terminal's less one column,
// or 0 (no wrapping) when w is not a terminal.
func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
			return cols - 1
		}
	}
	return 0
}

// sideBySide is the narrowest width at which translations go beside the
// passages: two columns of 32.
const sideBySide = 70

// printQuotes writes the passages grouped by post, each post under a
// heading (title, date, id, language, link).
func printQuotes(out io.Writer, qs []archive.QuoteView, width int) {
	sites := map[string]bool{}
	for i := range qs {
		sites[qs[i].Post.Site] = true
	}
	for i := range qs {
		q := &qs[i]
		if i == 0 || q.Post.ID != qs[i-1].Post.ID {
			if i > 0 {
				fmt.Fprintln(out)
			}
			printQuotePost(out, &q.Post, len(sites) > 1, width)
		}
		fmt.Fprintln(out)
		printQuote(out, q, width)
	}
	fmt.Fprintln(out)
}

// printQuotePost writes a post's heading; the site is named when the list
// spans several.
func printQuotePost(out io.Writer, p *archive.QuotePost, site bool, width int) {
	pr := &printer{w: out, width: width}
	title := oneLine(p.Title)
	if title == "" {
		title = "(no title)"
	}
	pr.line(0, title)
	parts := []string{shortDate(p.DateRaw, p.DateAt), p.Type + " " + wpID(p.WPID)}
	if site {
		parts = append(parts, p.Site)
	}
	if p.Status != "publish" && p.Status != "" {
		parts = append(parts, p.Status)
	}
	if p.Lang != "" {
		parts = append(parts, "in "+p.Lang)
	}
	if p.Link != "" {
		parts = append(parts, p.Link)
	}
	pr.parts(0, parts)
	rule := uniseg.StringWidth(title)
	if width > 0 {
		rule = min(rule, width)
	}
	pr.line(0, strings.Repeat("─", min(max(rule, 8), 80)))
}

// quoteHead is a passage's first line: #ord, language, kind, pairing,
// repeat and the normalisations applied.
func quoteHead(q *archive.QuoteView) []string {
	parts := []string{fmt.Sprintf("#%d %s", q.Ord, orDash(q.Lang))}
	tag := q.Tag
	if tag == "" {
		tag = "?"
	}
	switch {
	case q.Kind == "inline" && q.TranslationOrd != nil:
		parts = append(parts, fmt.Sprintf("inline in %s #%d", tag, *q.TranslationOrd))
	case q.Kind == "inline":
		parts = append(parts, "inline in "+tag)
	case q.TranslationOrd != nil:
		parts = append(parts, fmt.Sprintf("%s, translation #%d", tag, *q.TranslationOrd))
	default:
		parts = append(parts, tag+", unpaired")
	}
	if q.RepeatOfOrd != nil {
		parts = append(parts, fmt.Sprintf("repeat of #%d", *q.RepeatOfOrd))
	}
	if f := fixesString(q.Fixes); f != "" {
		parts = append(parts, "normalised: "+f)
	}
	return parts
}

// printQuote writes a passage's head, then its normalised text with the
// translation (or, for an inline phrase, its sentence) beside it when the
// width allows, or under it, each line labelled with its language.
func printQuote(out io.Writer, q *archive.QuoteView, width int) {
	pr := &printer{w: out, width: width}
	pr.parts(0, quoteHead(q))
	text := displayText(q.Normalized)
	tr := displayText(q.Translation)
	if width >= sideBySide && tr != "" {
		const indent, sep = 2, " │ "
		lw := (width - indent - len(sep)) / 2
		rw := width - indent - len(sep) - lw
		writeColumns(out, strings.Repeat(" ", indent), sep, wrapWidth(text, lw), wrapWidth(tr, rw), lw)
		return
	}
	trLang := q.Post.Lang
	if trLang == "" {
		trLang = "-"
	}
	// zh-Hans and its like fit; a longer tag pushes only its own passage.
	labelW := max(uniseg.StringWidth(orDash(q.Lang)), uniseg.StringWidth(trLang), 7) + 2
	textW := 0
	if width > 0 {
		textW = max(width-2-labelW, 20)
	}
	writeLabelled(out, "  ", orDash(q.Lang), labelW, wrapWidth(text, textW))
	if tr != "" {
		writeLabelled(out, "  ", trLang, labelW, wrapWidth(tr, textW))
	}
}

// writeLabelled writes lines after indent, the first after label, the
// others under the first.
func writeLabelled(out io.Writer, indent, label string, labelW int, lines []string) {
	for i, ln := range lines {
		l := ""
		if i == 0 {
			l = label
		}
		fmt.Fprintf(out, "%s%s%s%s\n", indent, l, strings.Repeat(" ", labelW-uniseg.StringWidth(l)), ln)
	}
}

// writeColumns writes left and right side by side, left padded to lw
// display columns.
func writeColumns(out io.Writer, indent, sep string, left, right []string, lw int) {
	for i := 0; i < max(len(left), len(right)); i++ {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		line := indent + l + strings.Repeat(" ", max(lw-uniseg.StringWidth(l), 0)) + sep + r
		fmt.Fprintln(out, strings.TrimRight(line, " "))
	}
}

// quoteSummary is the line after the list: passages, posts, languages,
// pairs and repeats.
func quoteSummary(qs []archive.QuoteView, more bool) string {
	langs := map[string]int{}
	posts := map[int64]bool{}
	paired, repeats := 0, 0
	for i := range qs {
		q := &qs[i]
		langs[q.Lang]++
		posts[q.Post.ID] = true
		if q.TranslationOrd != nil {
			paired++
		}
		if q.RepeatOfOrd != nil {
			repeats++
		}
	}
	s := fmt.Sprintf("%s in %s: %s; %d paired, %s.", plural(int64(len(qs)), "passage", "passages"),
		plural(int64(len(posts)), "post", "posts"), joinCounts(langs), paired, plural(int64(repeats), "repeat", "repeats"))
	if more {
		s += " More match: raise --limit or narrow with --lang, --post or --site."
	}
	return s
}

// fixesString renders a passage's normalisations as "rule ×count", the
// most frequent first; "" when none.
func fixesString(fixes map[string]int) string {
	rules := make([]string, 0, len(fixes))
	for r := range fixes {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		if fixes[rules[i]] != fixes[rules[j]] {
			return fixes[rules[i]] > fixes[rules[j]]
		}
		return rules[i] < rules[j]
	})
	for i, r := range rules {
		rules[i] = r + " ×" + strconv.Itoa(fixes[r])
	}
	return strings.Join(rules, ", ")
}

// displayText makes a passage safe and tidy for the terminal: control
// characters (an escape sequence in a post must not reach the terminal)
// dropped, runs of spaces and tabs made one space, line breaks kept,
// blank lines dropped.
func displayText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			return -1
		}
		return r
	}, s)
	var lines []string
	for _, ln := range strings.Split(s, "\n") {
		if ln = strings.Join(strings.Fields(ln), " "); ln != "" {
			lines = append(lines, ln)
		}
	}
	return strings.Join(lines, "\n")
}

// wrapWidth breaks s into lines of at most width display columns (CJK
// characters count two) at the line-break opportunities of Unicode's line
// breaking rules: between words, and between CJK characters but never
// before a closing mark such as ， or 」. A piece wider than the line is
// cut between grapheme clusters. Line breaks in s are kept; width 0 only
// splits at them.
func wrapWidth(s string, width int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if width <= 0 || uniseg.StringWidth(para) <= width {
			out = append(out, para)
			continue
		}
		var cur strings.Builder
		curW := 0
		flush := func() {
			out = append(out, strings.TrimRight(cur.String(), " "))
			cur.Reset()
			curW = 0
		}
		state := -1
		rest := para
		for rest != "" {
			var seg string
			seg, rest, _, state = uniseg.FirstLineSegmentInString(rest, state)
			segW := uniseg.StringWidth(strings.TrimRight(seg, " "))
			if curW > 0 && curW+segW > width {
				flush()
			}
			for segW > width {
				// Cut between grapheme clusters what fills the line.
				g := uniseg.NewGraphemes(seg)
				cut, w := 0, 0
				for g.Next() {
					gw := g.Width()
					if w+gw > width && w > 0 {
						break
					}
					_, cut = g.Positions()
					w += gw
				}
				out = append(out, seg[:cut])
				seg = seg[cut:]
				segW = uniseg.StringWidth(strings.TrimRight(seg, " "))
			}
			cur.WriteString(seg)
			curW += uniseg.StringWidth(seg)
		}
		if cur.Len() > 0 {
			flush()
		}
	}
	return out
}

// truncateWidth shortens s to at most width display columns, ending in …
// when cut.
func truncateWidth(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	var b strings.Builder
	w := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if w+g.Width() > width-1 {
			break
		}
		b.WriteString(g.Str())
		w += g.Width()
	}
	return strings.TrimRight(b.String(), " ") + "…"
}
