package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer"
)

func init() {
	register(&command{
		name:    "import",
		summary: "import a WordPress export (.xml, .xml.gz, .zip, a folder of parts, or - for stdin)",
		usage:   "[--db FILE] [--json] [--quiet] [--redact] [--salvage] [--timings] EXPORT...",
		run:     runImport,
	})
}

func runImport(ctx context.Context, e *env, args []string) error {
	c := commands["import"]
	fs := newFlags(c, e)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the summary as JSON on stdout")
	quiet := fs.BoolP("quiet", "q", false, "no progress bar")
	redact := fs.Bool("redact", false, "store no e-mail or IP address (a salted hash stands in)")
	salvage := fs.Bool("salvage", false, "import the complete items of a truncated export")
	timings := fs.Bool("timings", false, "print how long each part of the import took (on standard error)")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef(c.name, "name the export to import (a .xml, .xml.gz or .zip file, a folder of parts, or - for stdin)")
	}
	var read atomic.Int64
	srcs, total, err := inputs(fs.Args(), e.stdin, &read)
	if err != nil {
		return err
	}
	// A first import builds the archive beside its path and moves it there
	// when it is complete (archive.Create): faster, and a failed one leaves
	// no archive behind.
	a, err := archive.Create(ctx, *db)
	if errors.Is(err, archive.ErrExists) {
		a, err = archive.Open(ctx, *db)
	}
	if err != nil {
		return err
	}
	defer func() {
		if a != nil {
			a.Close()
		}
	}()

	opt := importer.Options{Redact: *redact, Salvage: *salvage}
	salt := func() (err error) {
		if *redact {
			opt.Salt, err = a.Salt(ctx)
		}
		return err
	}
	if err := salt(); err != nil {
		return err
	}
	start := time.Now()
	var bar *progressbar.ProgressBar
	if !*quiet && isTerminal(e.stderr) {
		bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSpinnerType(14),
		)
		opt.OnItem = func(items int) {
			if items%64 == 0 {
				el := time.Since(start).Seconds()
				bar.Describe(fmt.Sprintf("importing %d items (%.0f/s)", items, float64(items)/max(el, 0.001)))
				bar.Set64(read.Load())
			}
		}
	}
	sum, err := importer.Import(ctx, a, srcs, opt)
	fresh := a.Building()
	var publish time.Duration
	if err == nil && fresh {
		p := time.Now()
		err = a.Publish(ctx)
		publish = time.Since(p)
		if errors.Is(err, archive.ErrExists) && !hasStdin(srcs) {
			// Another process made an archive at the path while this
			// one was built: import into it like into any other.
			read.Store(0)
			fresh = false
			if a, err = archive.Open(ctx, *db); err == nil {
				if err = salt(); err == nil {
					sum, err = importer.Import(ctx, a, srcs, opt)
				}
			}
		}
	}
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		if fresh && errors.Is(err, archive.ErrExists) {
			return fmt.Errorf("%w\nAnother process made an archive at %s while this import read standard input, which cannot be read again: nothing of this import was kept. Import the export into that archive again.", err, *db)
		}
		if fresh {
			return fmt.Errorf("%w\nNo archive was made at %s.", err, *db)
		}
		return fmt.Errorf("%w\nThe archive %s is unchanged.", err, *db)
	}
	elapsed := time.Since(start)
	if *timings {
		ph := sum.Phases
		fmt.Fprintf(e.stderr, "Timings: items %.3f s (reading, deriving and storing them), finishing indexes %.3f s, commit %.3f s, publish %.3f s (a new archive's sync and move); total %.3f s\n",
			ph.Items.Seconds(), ph.Finish.Seconds(), ph.Commit.Seconds(), publish.Seconds(), elapsed.Seconds())
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Archive string  `json:"archive"`
			Seconds float64 `json:"seconds"`
			*importer.Summary
		}{*db, elapsed.Seconds(), sum})
	}
	printSummary(e.stdout, *db, sum, elapsed)
	return nil
}

func printSummary(w io.Writer, db string, s *importer.Summary, elapsed time.Duration) {
	var bytes int64
	for _, src := range s.Sources {
		bytes += src.Bytes
	}
	mbs := float64(bytes) / 1e6 / max(elapsed.Seconds(), 1e-9)
	fmt.Fprintf(w, "Imported %s into %s in %s (%.1f MB, %.1f MB/s).\n", plural(int64(len(s.Sources)), "part", "parts"), db, elapsed.Round(time.Millisecond), float64(bytes)/1e6, mbs)
	for _, src := range s.Sources {
		fmt.Fprintf(w, "  %s  %d bytes  sha256 %.16s…\n", src.Name, src.Bytes, src.SHA256)
	}
	is := s.ImportSummary
	fmt.Fprintf(w, "Items: %d (%d new, %d updated, %d unchanged)\n", is.Posts, is.Inserted, is.Updated, is.Unchanged)
	if len(is.PostsByType) > 0 {
		fmt.Fprintf(w, "  by type:   %s\n", joinCounts(is.PostsByType))
		fmt.Fprintf(w, "  by status: %s\n", joinCounts(is.PostsByStatus))
	}
	fmt.Fprintf(w, "Comments: %d", is.Comments)
	if is.Comments > 0 {
		fmt.Fprintf(w, " (%s; %s", joinCounts(is.CommentsByKind), joinCounts(is.CommentsByStatus))
		if is.Orphans > 0 {
			fmt.Fprintf(w, "; %d orphaned replies kept", is.Orphans)
		}
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
	if len(is.CommentersByProvider) > 0 {
		fmt.Fprintf(w, "Commenters: %s\n", joinCounts(is.CommentersByProvider))
	}
	fmt.Fprintf(w, "Authors: %d   Terms: %s\n", is.Authors, orNone(joinCounts(is.TermsByTaxonomy)))
	fmt.Fprintf(w, "Meta rows: %d post, %d comment, %d term\n", is.PostMeta, is.CommentMeta, is.TermMeta)
	if q := s.Quotes; len(q.ByLang) > 0 {
		fmt.Fprintf(w, "Foreign-language passages: %s (%d paired with a translation, %d repeats)\n", joinCounts(q.ByLang), q.Pairs, q.Repeats)
	}
	if len(s.Repairs) == 0 {
		fmt.Fprintln(w, "Repairs: none needed")
	}
	for _, pr := range s.Repairs {
		fmt.Fprintf(w, "Repairs of broken input in %s: %d\n", pr.Part, pr.Report.Total())
		for name, r := range pr.Report.All() {
			lines := make([]string, len(r.Lines))
			for i, l := range r.Lines {
				lines[i] = strconv.Itoa(l)
			}
			more := ""
			if r.Count > len(r.Lines) {
				more = ", …"
			}
			fmt.Fprintf(w, "  %-18s %d (line %s%s)\n", name, r.Count, strings.Join(lines, ", "), more)
		}
	}
	for _, warn := range s.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", warn)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// hasStdin reports whether srcs read standard input, which cannot be read
// twice.
func hasStdin(srcs []importer.Source) bool {
	for _, s := range srcs {
		if s.Name == "stdin" {
			return true
		}
	}
	return false
}
