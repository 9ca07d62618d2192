package main

import (
	"context"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"github.com/wparchive/wparchive/archive"
)

func init() {
	register(&command{
		name:    "sql",
		summary: "run a read-only SQL query on the archive and print the rows",
		usage: `[--db FILE] [--format table|csv|json|markdown] [--width N] "SELECT …" [ARG...]

The query cannot change the archive, whatever it says: INSERT, UPDATE, DELETE,
CREATE, DROP, ATTACH and PRAGMAs that set a value are refused. ARGs are bound
to ? (or ?1, ?2 …) in the query. 'wparchive schema' lists the tables.`,
		run: runSQL,
	})
}

func runSQL(ctx context.Context, e *env, args []string) error {
	c := commands["sql"]
	fs := newFlags(c, e)
	db := dbFlag(fs)
	format := fs.StringP("format", "f", "table", "output format: table, csv, json or markdown")
	maxWidth := fs.Int("width", 40, "table format: cut text wider than N columns (0: never)")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef(c.name, `give the query, in quotes: wparchive sql "SELECT count(*) FROM posts"`)
	}
	var write func(io.Writer, *archive.Rows) error
	switch *format {
	case "table":
		write = func(w io.Writer, r *archive.Rows) error { return writeTable(w, r, *maxWidth) }
	case "csv":
		write = writeCSV
	case "json":
		write = writeJSON
	case "markdown", "md":
		write = writeMarkdown
	default:
		return usagef(c.name, "--format is table, csv, json or markdown (got %q)", *format)
	}
	if *maxWidth < 0 {
		return usagef(c.name, "--width must be 0 or more")
	}
	var params []any
	for _, p := range fs.Args()[1:] {
		params = append(params, p)
	}
	a, err := archive.OpenReadOnly(ctx, *db)
	if err != nil {
		return err
	}
	defer a.Close()
	rows, err := a.Query(ctx, fs.Arg(0), params...)
	if err != nil {
		return oneLineErr(err)
	}
	defer rows.Close()
	if err := write(e.stdout, rows); err != nil {
		return oneLineErr(err)
	}
	return nil
}

// oneLineErr keeps an error to its first line (SQLite's messages are one
// line; this guards the terminal against anything else).
func oneLineErr(err error) error {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		return fmt.Errorf("%s", msg[:i])
	}
	return err
}

// cell renders a value as text: NULL as "", a BLOB as hex.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return hex.EncodeToString(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}

// displayWidth is the number of terminal columns s takes: CJK wide and
// full-width characters two, combining marks and invisible format
// characters (U+200B) none.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r < ' ':
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// flat puts a value on one line: line breaks as ↵, tabs and other control
// characters as spaces.
func flat(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return '↵'
		case r == '\r':
			return -1
		case r < ' ' || r == 0x7f:
			return ' '
		}
		return r
	}, s)
}

// truncate cuts s to at most max columns, ending with … when cut.
func truncate(s string, max int) string {
	if max <= 0 || displayWidth(s) <= max {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := runeWidth(r)
		if w+rw > max-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	b.WriteString("…")
	return b.String()
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

// writeTable prints the rows as an aligned table with a header and a
// count of rows; numbers are right-aligned.
func writeTable(w io.Writer, r *archive.Rows, maxWidth int) error {
	cols := r.Columns()
	var cells [][]string
	numeric := make([]bool, len(cols))
	seen := make([]bool, len(cols))
	for i := range numeric {
		numeric[i] = true
	}
	for r.Next() {
		row := make([]string, len(cols))
		for i, v := range r.Values() {
			row[i] = truncate(flat(cell(v)), maxWidth)
			if v != nil {
				seen[i] = true
				numeric[i] = numeric[i] && isNumber(v)
			}
		}
		cells = append(cells, row)
	}
	if err := r.Err(); err != nil {
		return err
	}
	widths := make([]int, len(cols))
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = truncate(flat(c), maxWidth)
		widths[i] = displayWidth(head[i])
	}
	for _, row := range cells {
		for i, s := range row {
			widths[i] = max(widths[i], displayWidth(s))
		}
	}
	line := func(row []string, right []bool) string {
		var b strings.Builder
		for i, s := range row {
			pad := strings.Repeat(" ", widths[i]-displayWidth(s))
			if i > 0 {
				b.WriteString("  ")
			}
			if right != nil && right[i] {
				b.WriteString(pad + s)
			} else if i < len(row)-1 {
				b.WriteString(s + pad)
			} else {
				b.WriteString(s)
			}
		}
		return b.String()
	}
	right := make([]bool, len(cols))
	for i := range right {
		right[i] = numeric[i] && seen[i]
	}
	fmt.Fprintln(w, line(head, right))
	rule := make([]string, len(cols))
	for i := range rule {
		rule[i] = strings.Repeat("-", widths[i])
	}
	fmt.Fprintln(w, line(rule, nil))
	for _, row := range cells {
		fmt.Fprintln(w, line(row, right))
	}
	fmt.Fprintf(w, "(%s)\n", plural(int64(len(cells)), "row", "rows"))
	return nil
}

func writeCSV(w io.Writer, r *archive.Rows) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns()); err != nil {
		return err
	}
	rec := make([]string, len(r.Columns()))
	for r.Next() {
		for i, v := range r.Values() {
			rec[i] = cell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON prints a JSON array with one object per row, keys in column
// order; a BLOB is a hex string.
func writeJSON(w io.Writer, r *archive.Rows) error {
	cols := r.Columns()
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		k, err := json.Marshal(c)
		if err != nil {
			return err
		}
		keys[i] = k
	}
	var b []byte
	n := 0
	for r.Next() {
		b = b[:0]
		if n == 0 {
			b = append(b, "[\n  {"...)
		} else {
			b = append(b, ",\n  {"...)
		}
		for i, v := range r.Values() {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, keys[i]...)
			b = append(b, ": "...)
			if bs, ok := v.([]byte); ok {
				v = hex.EncodeToString(bs)
			}
			val, err := marshalNoEscape(v)
			if err != nil {
				return err
			}
			b = append(b, val...)
		}
		b = append(b, '}')
		if _, err := w.Write(b); err != nil {
			return err
		}
		n++
	}
	if err := r.Err(); err != nil {
		return err
	}
	if n == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	_, err := io.WriteString(w, "\n]\n")
	return err
}

// marshalNoEscape is json.Marshal without escaping <, > and &.
func marshalNoEscape(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}

// writeMarkdown prints a GitHub-flavoured Markdown table.
func writeMarkdown(w io.Writer, r *archive.Rows) error {
	esc := func(s string) string {
		s = strings.ReplaceAll(s, `\`, `\\`)
		s = strings.ReplaceAll(s, "|", `\|`)
		s = strings.ReplaceAll(s, "\r\n", "<br>")
		s = strings.ReplaceAll(s, "\n", "<br>")
		return s
	}
	cols := r.Columns()
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = esc(c)
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	for i := range row {
		row[i] = "---"
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	for r.Next() {
		for i, v := range r.Values() {
			row[i] = esc(cell(v))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	return r.Err()
}
