package export

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/importer"
	"github.com/wparchive/wparchive/internal/corpus"
)

// coreImportCorpus imports one corpus file into a new archive; files the
// importer refuses are retried with Salvage (cut-off exports), and the
// error is returned when that fails too.
func coreImportCorpus(t *testing.T, file string) (*archive.Archive, error) {
	t.Helper()
	ctx := context.Background()
	for _, salvage := range []bool{false, true} {
		a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a.sqlite"))
		if err != nil {
			t.Fatal(err)
		}
		src := importer.Source{Name: filepath.Base(file), Open: func() (io.ReadCloser, error) { return os.Open(file) }}
		_, err = importer.Import(ctx, a, []importer.Source{src}, importer.Options{Salvage: salvage})
		if err == nil {
			t.Cleanup(func() { a.Close() })
			return a, nil
		}
		a.Close()
		if salvage {
			return nil, err
		}
	}
	panic("unreachable")
}

// TestCorpus exports every public export of the corpus that the importer
// takes, in both flavors, with comments and the fidelity check: no error,
// one Markdown file per exported post, and the check passes for at least
// 99% of the published posts and pages. The posts that fail are listed by
// file, flavor and post.
func TestCorpus(t *testing.T) {
	dir := corpus.Need(t)
	files, err := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no public exports in the corpus")
	}
	ctx := context.Background()
	var failures []string
	checked, exported, refused := 0, 0, 0
	for _, file := range files {
		name := filepath.Base(file)
		a, err := coreImportCorpus(t, file)
		if err != nil {
			// Malformed on purpose (wpimporter__malformed*.xml): the
			// importer's tests cover them.
			t.Logf("%s: not imported: %v", name, err)
			refused++
			continue
		}
		sites := coreSites(t, a.DB())
		for _, site := range sites {
			for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
				out := filepath.Join(t.TempDir(), "out")
				sum, err := Markdown(ctx, a, Options{Out: out, Flavor: flavor, Site: site, Check: true, NoSkeleton: true})
				if err != nil {
					t.Errorf("%s (%s, %s): %v", name, site, flavor, err)
					continue
				}
				md := 0
				for f := range coreTree(t, out) {
					if strings.HasSuffix(f, ".md") {
						md++
					}
				}
				if md != sum.Exported() {
					t.Errorf("%s (%s): %d Markdown files for %d exported posts", name, flavor, md, sum.Exported())
				}
				exported += sum.Exported()
				checked += sum.Checked
				for _, f := range sum.Fidelity {
					failures = append(failures, fmt.Sprintf("%s (%s): %s %d %q: %s", name, flavor, f.Type, f.WPID, f.Title, f.Problem))
				}
			}
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Logf("fidelity differs: %s", f)
	}
	t.Logf("%d files (%d not imported), %d posts exported over both flavors, %d checked, %d differ", len(files), refused, exported, checked, len(failures))
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	if rate := float64(len(failures)) / float64(checked); rate > 0.01 {
		t.Errorf("fidelity differs for %d of %d published posts and pages (%.2f%%), want at most 1%%", len(failures), checked, 100*rate)
	}
}

// coreSites returns the keys of the archive's sites.
func coreSites(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT site_key FROM sites ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}
