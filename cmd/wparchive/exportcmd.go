package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/export"
)

func init() {
	register(&command{
		name:    "export",
		summary: "export the archive as Markdown that Hugo or Jekyll builds",
		usage: "markdown --db ARCHIVE --out DIR [--flavor hugo|jekyll] [--layout bundle|flat|dated] [--types post,page] [--site KEY]\n" +
			"        [--comments none|data|inline] [--comments-status approved,…] [--media keep|download] [--media-cache DIR]\n" +
			"        [--media-allow-private] [--drafts] [--include-private] [--check] [--no-skeleton] [--json] [--quiet]\n\n" +
			"The format word \"markdown\" is the only format and may be left out. Files are written under DIR only;\n" +
			"a re-export into DIR removes the files the previous one wrote that it no longer writes, and no others.",
		run: runExport,
	})
}

func runExport(ctx context.Context, e *env, args []string) error {
	c := commands["export"]
	if len(args) > 0 && args[0] == "markdown" {
		args = args[1:]
	}
	fs := newFlags(c, e)
	db := dbFlag(fs)
	out := fs.String("out", "", "the output folder (created if missing; nothing is written outside it)")
	flavor := fs.String("flavor", "hugo", "hugo or jekyll")
	layout := fs.String("layout", "bundle", "bundle (a folder per post, media beside it), flat (<slug>.md) or dated (YYYY/MM/<slug>.md)")
	types := fs.StringSlice("types", []string{"post", "page"}, "the post types to export, comma-separated")
	site := fs.String("site", "", "the site to export when the archive holds several: its key (as wparchive stats lists it), title or URL")
	comments := fs.String("comments", "data", "none, data (one data file per post) or inline (a section at the end of the post)")
	statuses := fs.StringSlice("comments-status", []string{"approved"}, "the comment statuses to export, comma-separated (approved, pending, spam, trash)")
	media := fs.String("media", "keep", "keep (links stay remote) or download (fetched into the site, links rewritten)")
	mediaCache := fs.String("media-cache", "", "the download cache (default: the user's cache folder)")
	mediaPrivate := fs.Bool("media-allow-private", false, "let --media download fetch from loopback, private and link-local addresses (a blog on your own network); refused by default, since the export's URLs may be anyone's")
	drafts := fs.Bool("drafts", false, "also export drafts, pending and scheduled posts (marked as drafts)")
	private := fs.Bool("include-private", false, "also export private and password-protected posts")
	check := fs.Bool("check", false, "check that each post's Markdown shows the same text, links and images as WordPress; exit 1 when one differs")
	noSkeleton := fs.Bool("no-skeleton", false, "write no site config or layouts")
	asJSON := fs.Bool("json", false, "print the summary as JSON on stdout")
	quiet := fs.BoolP("quiet", "q", false, "no progress bar, and only the summary's first line")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(c.name, "unexpected argument %q (the only format is markdown; the output folder goes in --out)", fs.Arg(0))
	}
	if *out == "" {
		return usagef(c.name, "name the output folder with --out DIR")
	}
	opt := export.Options{
		Out: *out, Flavor: *flavor, Layout: *layout, Types: *types, Site: *site,
		Comments: *comments, CommentStatuses: *statuses, Media: *media, MediaCache: *mediaCache, MediaAllowPrivate: *mediaPrivate,
		Drafts: *drafts, IncludePrivate: *private, Check: *check, NoSkeleton: *noSkeleton,
	}
	a, err := archive.OpenReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer a.Close()

	start := time.Now()
	var bar *progressbar.ProgressBar
	if !*quiet && isTerminal(e.stderr) {
		bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription("exporting"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionShowCount(),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSpinnerType(14),
		)
		opt.Progress = func(done, total int) {
			if done == 1 {
				bar.ChangeMax(total)
			}
			if done%32 == 0 || done == total {
				bar.Describe(fmt.Sprintf("exporting %d posts", total))
				bar.Set(done)
			}
		}
	}
	// An export's garbage is each post's short-lived strings: collecting
	// at 200% heap growth rather than 100% takes a tenth off its CPU time
	// for ~60 MB more peak memory (200 MB benchmark archive on tmpfs:
	// 6.9 -> 6.3 s user, 161 -> 229 MB). GOGC, when set, decides.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	sum, err := export.Markdown(ctx, a, opt)
	if bar != nil {
		bar.Finish()
	}
	if errors.Is(err, export.ErrOption) {
		return usagef(c.name, "%s", strings.TrimPrefix(err.Error(), export.ErrOption.Error()+": "))
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Archive string  `json:"archive"`
			Seconds float64 `json:"seconds"`
			*export.Summary
		}{*db, elapsed.Seconds(), sum}); err != nil {
			return err
		}
	} else {
		printExportSummary(e.stdout, sum, elapsed, *quiet)
	}
	if *check && len(sum.Fidelity) > 0 {
		return fmt.Errorf("%s the fidelity check (listed in the summary)", plural(int64(len(sum.Fidelity)), "post fails", "posts fail"))
	}
	return nil
}

// maxListed bounds the lines a summary list prints (--json has them all).
const maxListed = 20

func printExportSummary(w io.Writer, s *export.Summary, elapsed time.Duration, quiet bool) {
	fmt.Fprintf(w, "Exported %s of %s to %s (%s, %s layout) in %s: %s, %d new or changed.\n",
		plural(int64(s.Exported()), "post", "posts"), s.Site, s.Out, s.Flavor, s.Layout, elapsed.Round(time.Millisecond),
		plural(int64(s.Files), "file", "files"), s.Written)
	if quiet {
		return
	}
	if len(s.Posts) > 0 {
		fmt.Fprintf(w, "  by type: %s", joinCounts(s.Posts))
		if s.Drafts > 0 {
			fmt.Fprintf(w, " (%s)", plural(int64(s.Drafts), "draft", "drafts"))
		}
		fmt.Fprintln(w)
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "Skipped: %s\n", joinCounts(s.Skipped))
	}
	if len(s.NoSuchType) > 0 {
		fmt.Fprintf(w, "No post of type %s in the archive (wparchive stats lists the types).\n", strings.Join(s.NoSuchType, ", "))
	}
	if len(s.Renamed) > 0 {
		fmt.Fprintf(w, "Renamed to stay unique: %d\n", len(s.Renamed))
		for i, r := range s.Renamed {
			if i == maxListed {
				fmt.Fprintf(w, "  … %d more (--json lists all)\n", len(s.Renamed)-i)
				break
			}
			fmt.Fprintf(w, "  %s  (%s %d %q)\n", r.File, r.Type, r.WPID, r.Title)
		}
	}
	if s.Comments > 0 {
		fmt.Fprintf(w, "Comments: %d on %s\n", s.Comments, plural(int64(s.CommentPosts), "post", "posts"))
	}
	if s.Media.Mode == export.MediaDownload {
		fmt.Fprintf(w, "Media: %d URLs, %d fetched (%d from the cache), %d failed (links left remote)\n",
			s.Media.URLs, s.Media.Fetched, s.Media.Cached, len(s.Media.Failed))
		for i, f := range s.Media.Failed {
			if i == maxListed {
				fmt.Fprintf(w, "  … %d more (--json lists all)\n", len(s.Media.Failed)-i)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", f.URL, f.Error)
		}
	}
	if len(s.Shortcodes) > 0 {
		fmt.Fprintf(w, "Unknown shortcodes kept as they were: %s\n", joinCounts(s.Shortcodes))
	}
	if len(s.Blocks) > 0 {
		fmt.Fprintf(w, "Blocks kept as their HTML: %s\n", joinCounts(s.Blocks))
	}
	printIssues(w, "Conversion problems", s.Problems)
	if s.Checked > 0 {
		fmt.Fprintf(w, "Fidelity check: %d of %d posts differ\n", len(s.Fidelity), s.Checked)
		printIssues(w, "", s.Fidelity)
	}
	if len(s.Removed) > 0 {
		fmt.Fprintf(w, "Removed %s the previous export wrote and this one does not.\n", plural(int64(len(s.Removed)), "file", "files"))
	}
	if len(s.Kept) > 0 {
		fmt.Fprintf(w, "Kept %s the previous export wrote that changed since (remove them yourself if unwanted):\n", plural(int64(len(s.Kept)), "file", "files"))
		for i, k := range s.Kept {
			if i == maxListed {
				fmt.Fprintf(w, "  … %d more\n", len(s.Kept)-i)
				break
			}
			fmt.Fprintf(w, "  %s\n", k)
		}
	}
	if len(s.Skeleton) > 0 {
		fmt.Fprintf(w, "Site skeleton: %s\n", strings.Join(s.Skeleton, ", "))
	}
	if s.TimeZone != "" {
		fit := "it dates every post as WordPress did"
		if s.TimeZoneMisfits > 0 {
			fit = fmt.Sprintf("the closest fit: %s get another UTC offset than in WordPress", plural(int64(s.TimeZoneMisfits), "date", "dates"))
		}
		if slices.Contains(s.Skeleton, "_config.yml") {
			fmt.Fprintf(w, "Time zone: %s, Jekyll's timezone in _config.yml (%s)\n", s.TimeZone, fit)
		} else {
			fmt.Fprintf(w, "Time zone: set timezone: %s in _config.yml, or Jekyll dates the posts in the zone of the machine that builds (%s)\n", s.TimeZone, fit)
		}
	}
}

// printIssues prints per-post problems grouped by file, at most maxListed.
func printIssues(w io.Writer, title string, issues []export.PostIssue) {
	if len(issues) == 0 {
		return
	}
	if title != "" {
		fmt.Fprintf(w, "%s: %d\n", title, len(issues))
	}
	list := append([]export.PostIssue(nil), issues...)
	sort.SliceStable(list, func(i, j int) bool { return list[i].File < list[j].File })
	for i, is := range list {
		if i == maxListed {
			fmt.Fprintf(w, "  … %d more (--json lists all)\n", len(list)-i)
			break
		}
		fmt.Fprintf(w, "  %s (%s %d %q): %s\n", is.File, is.Type, is.WPID, is.Title, is.Problem)
	}
}
