// Command wparchive moves a WordPress or WordPress.com blog out of
// WordPress, intact: it imports WXR exports into one SQLite archive, answers
// questions about it, and re-exports it.
//
// Usage:
//
//	wparchive import [--db FILE] EXPORT...   import .xml, .xml.gz, .zip, a folder of parts, or - (stdin)
//	wparchive stats  [--db FILE] [--json]    what the archive holds
//	wparchive show   [--db FILE] [--json] [--include-private] POST
//	                                         one post (id, slug or URL), its comment threads and pings
//	wparchive quotes [--db FILE] [--lang L] [--post POST] [--json]   foreign-language passages beside their translations
//	wparchive export markdown [--db FILE] --out DIR [--flavor hugo|jekyll] …   a Hugo or Jekyll site
//	wparchive search [--db FILE] [--type T] [--lang L] [--json] … QUERY   full-text search, best first
//	wparchive sql    [--db FILE] [--format table|csv|json|markdown] "SELECT …"   a read-only query
//	wparchive schema [--db FILE] [--json] [TABLE...]   the tables, with what each column holds
//	wparchive help   [COMMAND]               help for a command
//
// Every command takes --db (default ./archive.sqlite). Exit codes: 0 ok,
// 1 failed, 2 usage error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
