package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wparchive/wparchive/archive"
)

func init() {
	register(&command{
		name:    "schema",
		summary: "list the archive's tables and what each column holds",
		usage: `[--db FILE] [--json] [TABLE...]

Without --db it describes the schema this wparchive writes; with --db, that
archive's. TABLEs limit the list.`,
		run: runSchema,
	})
}

func runSchema(ctx context.Context, e *env, args []string) error {
	c := commands["schema"]
	fs := newFlags(c, e)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print as JSON")
	if err := parseFlags(c, e, fs, args); err != nil {
		return err
	}
	var (
		docs []archive.TableDoc
		err  error
	)
	if fs.Changed("db") {
		a, err := archive.OpenReadOnly(ctx, *db)
		if err != nil {
			return err
		}
		defer a.Close()
		docs, err = a.Schema(ctx)
		if err != nil {
			return err
		}
	} else if docs, err = archive.BuiltinSchema(ctx); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		byName := map[string]archive.TableDoc{}
		for _, t := range docs {
			byName[t.Name] = t
		}
		var picked []archive.TableDoc
		for _, n := range fs.Args() {
			t, ok := byName[n]
			if !ok {
				names := make([]string, len(docs))
				for i, t := range docs {
					names[i] = t.Name
				}
				return usagef(c.name, "no table %q; the tables are: %s", n, strings.Join(names, ", "))
			}
			picked = append(picked, t)
		}
		docs = picked
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(docs)
	}
	printSchema(e.stdout, docs)
	return nil
}

var kindNames = map[string]string{"table": "table", "view": "view", "fts": "full-text index"}

// printSchema writes each table as a heading line and one line per column:
// name, type, meaning, and key or reference.
func printSchema(w io.Writer, docs []archive.TableDoc) {
	for i, t := range docs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		head := fmt.Sprintf("%s (%s)", t.Name, kindNames[t.Kind])
		if t.Doc != "" {
			head += ": " + t.Doc
		}
		fmt.Fprintln(w, head)
		nameW, typeW := 0, 0
		for _, c := range t.Columns {
			nameW = max(nameW, len(c.Name))
			typeW = max(typeW, len(c.Type))
		}
		for _, c := range t.Columns {
			var notes []string
			if c.PrimaryKey {
				notes = append(notes, "primary key")
			}
			if c.References != "" {
				notes = append(notes, "→ "+c.References)
			}
			line := fmt.Sprintf("  %-*s  %-*s  %s", nameW, c.Name, typeW, c.Type, c.Doc)
			if len(notes) > 0 {
				line += " [" + strings.Join(notes, ", ") + "]"
			}
			fmt.Fprintln(w, strings.TrimRight(line, " "))
		}
	}
}
