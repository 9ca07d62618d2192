// Command wxrgen writes realistic, synthetic WordPress WXR 1.2 exports of any size, for
// benchmarks and load tests of the importer.
//
// Usage:
//
//	wxrgen [-size 200MB | -posts N] [-seed N] [-o FILE] [-gzip]
//
// The output is a single well-formed export of an invented blog: classic and block-editor
// posts, shortcodes, pages, image attachments, threaded comments, trackbacks, pingbacks,
// Jetpack sign-in and Akismet comment meta, percent-encoded Chinese and Russian slugs, and
// about one post in five quoting Chinese or Russian with its translation. The same -seed
// gives byte-identical output. It is written as a stream, so memory use does not grow with
// -size.
//
// -size counts XML bytes before compression (KB, MB, GB are powers of 1000; KiB, MiB, GiB
// powers of 1024) and stops at the first item boundary past it. Without -size or -posts it
// writes 100 posts.
//
// Example: go run ./cmd/wxrgen -size 10MB -seed 1 -o bench/10mb.xml
package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, writes the export and returns the exit code: 0 ok, 1 error, 2 usage.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wxrgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizeFlag := fs.String("size", "", "approximate output size, e.g. 10MB or 1.5GiB (XML bytes before -gzip)")
	posts := fs.Int("posts", 0, "number of posts to write (instead of -size)")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same bytes")
	out := fs.String("o", "", "output file (default standard output)")
	gz := fs.Bool("gzip", false, "gzip the output")
	quiet := fs.Bool("q", false, "do not print the summary line on standard error")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: wxrgen [-size 200MB | -posts N] [-seed N] [-o FILE] [-gzip]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "wxrgen: unexpected argument %q\nTry: wxrgen -size 10MB -o out.xml\n", fs.Arg(0))
		return 2
	}
	opts := options{Posts: *posts, Seed: *seed}
	if *sizeFlag != "" {
		if *posts != 0 {
			fmt.Fprintln(stderr, "wxrgen: -size and -posts cannot be used together\nTry: wxrgen -size 10MB or wxrgen -posts 500")
			return 2
		}
		n, err := parseSize(*sizeFlag)
		if err != nil {
			fmt.Fprintf(stderr, "wxrgen: %v\nTry: -size 200MB\n", err)
			return 2
		}
		opts.Size = n
	} else if *posts < 0 {
		fmt.Fprintln(stderr, "wxrgen: -posts must be positive")
		return 2
	} else if *posts == 0 {
		opts.Posts = 100
	}

	var dst io.Writer = stdout
	var f *os.File
	if *out != "" {
		// make bench writes into bench/, which may not exist yet.
		err := os.MkdirAll(filepath.Dir(*out), 0o755)
		if err == nil {
			f, err = os.Create(*out)
		}
		if err != nil {
			fmt.Fprintf(stderr, "wxrgen: %v\n", err)
			return 1
		}
		defer f.Close()
		dst = f
	}
	bw := bufio.NewWriterSize(dst, 256<<10)
	w := io.Writer(bw)
	var zw *gzip.Writer
	if *gz {
		zw = gzip.NewWriter(bw) // no name or time in the header, so output stays reproducible
		w = zw
	}
	st, err := generate(w, opts)
	if err == nil && zw != nil {
		err = zw.Close()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "wxrgen: write %s: %v\n", nameOr(*out, "standard output"), err)
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stderr, "wxrgen: %d bytes of XML, %d items (%d posts, %d pages, %d attachments), %d comments (%d trackbacks, %d pingbacks), %d posts quoting Chinese or Russian\n",
			st.Bytes, st.Items, st.Posts, st.Pages, st.Attachments, st.Comments, st.Trackbacks, st.Pingbacks, st.Quoting)
	}
	return 0
}

func nameOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// parseSize reads "200MB", "1.5GiB", "500k" or a plain byte count.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9},
		{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"b", 1},
	}
	mult := 1.0
	lower := strings.ToLower(t)
	for _, u := range units {
		if strings.HasSuffix(lower, u.suffix) {
			mult = u.mult
			t = strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 || v*mult > 1<<50 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return int64(v * mult), nil
}
