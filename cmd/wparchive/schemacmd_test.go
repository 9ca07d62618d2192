package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
)

func TestSchemaCommand(t *testing.T) {
	code, out, stderr := wparchive(t, "schema")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"posts (table): one item of any post type",
		"\n  site_id ", "the site [→ sites.id]",
		"\n  id ", "[primary key]",
		"posts_fts (full-text index): full-text index of posts",
		"comments (table): one comment, trackback or pingback",
		"quotes (table): one foreign-language passage",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("schema output lacks %q", want)
		}
	}
	if strings.Contains(out, "posts_fts_data") || strings.Contains(out, "posts_fts_config") {
		t.Error("FTS5 shadow tables listed")
	}
	// Every column line of a table has a meaning after its type.
	table := ""
	for _, l := range strings.Split(out, "\n") {
		switch {
		case l == "":
		case !strings.HasPrefix(l, "  "):
			table = l
		case strings.Contains(table, "(view)"):
		default:
			if f := strings.Fields(l); len(f) < 3 {
				t.Errorf("%s: column without a meaning: %q", table, l)
			}
		}
	}

	// Some tables, from an archive, as JSON.
	db := seedArchive(t)
	code, out, stderr = wparchive(t, "schema", "--db", db, "--json", "comments", "quotes_fts")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var docs []archive.TableDoc
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Name != "comments" || docs[1].Name != "quotes_fts" || docs[1].Kind != "fts" ||
		len(docs[1].Columns) != 1 || docs[1].Columns[0].Name != "search_text" {
		t.Errorf("docs: %+v", docs)
	}
	code, _, stderr = wparchive(t, "schema", "nosuch")
	if code != exitUsage || !strings.Contains(stderr, `no table "nosuch"; the tables are: sites, _imports`) {
		t.Errorf("unknown table: exit %d: %s", code, stderr)
	}
}
