package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/wparchive/wparchive/archive"
)

func init() {
	register(&command{
		name:    "stats",
		summary: "say what an archive holds: sites, counts, date range",
		usage:   "[--db FILE] [--json]",
		run:     runStats,
	})
}

func runStats(ctx context.Context, e *env, args []string) error {
	c := commands["stats"]
	fs := newFlags(c, e)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print as JSON")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(c.name, "stats takes no arguments (got %q)", fs.Arg(0))
	}
	a, err := archive.OpenReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.Stats(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStats(e.stdout, *db, st)
	return nil
}

func printStats(w io.Writer, db string, st archive.Stats) {
	fmt.Fprintf(w, "Archive %s (schema %d): %s, %s\n", db, st.SchemaVersion, plural(int64(len(st.Sites)), "site", "sites"), plural(int64(st.Total.Imports), "import", "imports"))
	for _, s := range st.Sites {
		fmt.Fprintf(w, "\n%s (%s), language %s, WXR %s\n", orNone(s.Title), orNone(s.URL), orNone(s.Language), orNone(s.WXRVersion))
		printCounts(w, s.Counts)
	}
	if len(st.Sites) > 1 {
		fmt.Fprintln(w, "\nAll sites")
		printCounts(w, st.Total)
	}
}

func printCounts(w io.Writer, c archive.Counts) {
	fmt.Fprintf(w, "  Posts: %d   by type: %s\n", c.Posts, orNone(joinCounts(c.PostsByType)))
	fmt.Fprintf(w, "    by status: %s\n", orNone(joinCounts(c.PostsByStatus)))
	if c.FirstPostAt != "" {
		fmt.Fprintf(w, "    published from %s to %s\n", c.FirstPostAt, c.LastPostAt)
	}
	fmt.Fprintf(w, "  Comments: %d   by kind: %s\n", c.Comments, orNone(joinCounts(c.CommentsByKind)))
	if c.Comments > 0 {
		fmt.Fprintf(w, "    by status: %s; %d commenters", orNone(joinCounts(c.CommentsByStatus)), c.Commenters)
		if c.OrphanComments > 0 {
			fmt.Fprintf(w, "; %d orphaned replies", c.OrphanComments)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  Authors: %d   Terms: %s\n", c.Authors, orNone(joinCounts(c.TermsByTaxonomy)))
	fmt.Fprintf(w, "  Meta rows: %d post, %d comment, %d term   Foreign-language passages: %d\n", c.PostMeta, c.CommentMeta, c.TermMeta, c.Quotes)
	if c.LastImportAt != "" {
		fmt.Fprintf(w, "  Last import: %s\n", c.LastImportAt)
	}
}
