package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wparchive/wparchive/archive"
)

func init() {
	register(&command{
		name:    "search",
		summary: "full-text search of posts, pages, comments and foreign-language passages, best first",
		usage: `[--db FILE] [--type TYPE,...] [--lang LANG] [--site SITE] [--since DATE] [--until DATE] [--author NAME] [--limit N] [--all] [--json] QUERY...

QUERY is words to find (all of them), as SQLite's FTS5 reads them: "a phrase",
a prefix (sanc*), OR, NOT, AND, NEAR(a b, 5), parentheses, title:word. English
words match their other forms (sanction finds sanctions), accents are ignored
(cafe finds café), and Chinese and Japanese words are found as typed (制裁, 俄).
Without QUERY the filters list what they select, newest first.`,
		run: runSearch,
	})
}

func runSearch(ctx context.Context, e *env, args []string) error {
	c := commands["search"]
	fs := newFlags(c, e)
	db := dbFlag(fs)
	types := fs.StringSlice("type", nil, "only these kinds: post, page, attachment (or another post type), comment, trackback, pingback, quote; comma-separated or repeated")
	lang := fs.String("lang", "", "only posts and passages in this language (BCP 47 prefix: zh finds zh-Hans and zh-Hant); comments have no language")
	site := fs.String("site", "", "only this site: its id, or part of its URL or title")
	since := fs.String("since", "", "only dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD, UTC)")
	until := fs.String("until", "", "only dated up to and including DATE (YYYY, YYYY-MM or YYYY-MM-DD, UTC)")
	author := fs.String("author", "", "only by this post author (login or display name) or commenter (name)")
	limit := fs.IntP("limit", "n", 20, "at most N results")
	all := fs.Bool("all", false, "also revisions, auto-drafts, trashed posts and spam or trashed comments")
	asJSON := fs.Bool("json", false, "print the results as a JSON array")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	o := archive.SearchOptions{
		Query: strings.Join(fs.Args(), " "), Types: *types, Lang: *lang, Site: *site,
		Author: *author, Limit: *limit, All: *all,
	}
	if *limit < 1 {
		return usagef(c.name, "--limit must be 1 or more (got %d)", *limit)
	}
	var err error
	if o.Since, err = dateBound(*since, false); err != nil {
		return usagef(c.name, "--since: %s", err)
	}
	if o.Until, err = dateBound(*until, true); err != nil {
		return usagef(c.name, "--until: %s", err)
	}
	if strings.TrimSpace(o.Query) == "" && len(o.Types) == 0 && o.Lang == "" && o.Site == "" && o.Since == "" && o.Until == "" && o.Author == "" {
		return usagef(c.name, "give words to search for (or a filter such as --type comment to list)")
	}
	color := !*asJSON && isTerminal(e.stdout) && os.Getenv("NO_COLOR") == ""
	if color {
		o.Mark = [2]string{"\x1b[1;31m", "\x1b[0m"}
	}
	a, err := archive.OpenReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	hits, err := a.Search(ctx, o)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(hits)
	}
	if len(hits) == 0 {
		fmt.Fprintf(e.stderr, "Nothing found for %q.\n", o.Query)
		return nil
	}
	printHits(e.stdout, hits)
	return nil
}

// printHits writes one line per hit: type, date, title, snippet, link.
func printHits(w io.Writer, hits []archive.Hit) {
	for _, h := range hits {
		typ := h.Type
		title := orUntitled(h.Title)
		switch h.Type {
		case "comment":
			typ = h.Kind
			title = fmt.Sprintf("%s on “%s”", orNone(h.Author), orUntitled(h.Title))
		case "quote":
			title = fmt.Sprintf("[%s] %s", orNone(h.Lang), orUntitled(h.Title))
		}
		if h.Status != "" && h.Status != "publish" && h.Status != "approved" && h.Status != "inherit" {
			title += " (" + h.Status + ")"
		}
		date := "----------"
		if len(h.Date) >= 10 {
			date = h.Date[:10]
		}
		line := fmt.Sprintf("%-9s %s  %s", typ, date, title)
		if h.Snippet != "" {
			line += " — " + h.Snippet
		}
		if h.Link != "" {
			line += "  " + h.Link
		}
		fmt.Fprintln(w, line)
	}
}

func orUntitled(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(untitled)"
	}
	return s
}

// dateBound turns YYYY, YYYY-MM or YYYY-MM-DD (or a full ISO 8601 UTC time)
// into the ISO 8601 UTC bound of date_at: the start of the period, or with
// end the start of the next one, so that --until 2022 includes all of 2022.
func dateBound(s string, end bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	const iso = "2006-01-02T15:04:05Z"
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{iso, func(t time.Time) time.Time { return t.Add(time.Second) }},
	} {
		t, err := time.Parse(f.layout, s)
		if err != nil {
			continue
		}
		if end {
			t = f.next(t)
		}
		return t.UTC().Format(iso), nil
	}
	return "", fmt.Errorf("%q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD", s)
}
