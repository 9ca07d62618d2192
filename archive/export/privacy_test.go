package export

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/internal/corpus"
)

// corePrivate returns every e-mail and IP address the archive holds:
// authors', commenters' and each comment's.
func corePrivate(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT email FROM authors UNION SELECT email FROM commenters
		UNION SELECT author_email FROM comments UNION SELECT author_ip FROM comments`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		if s := strings.TrimSpace(v.String); len(s) >= 7 { // shorter is no address
			out = append(out, strings.ToLower(s))
		}
	}
	return out
}

// TestPrivacy exports the hard cases (comments with e-mail addresses in
// their fields and text), the seed and corpus exports with many
// commenters, with every option that shows more (--include-private,
// every comment status, comments as data and inline, drafts), and finds
// none of the archive's e-mail or IP addresses anywhere in the tree.
func TestPrivacy(t *testing.T) {
	inputs := []string{coreHard, coreSeed}
	if dir := corpus.Dir(); dir != "" {
		for _, n := range []string{"MikeChristianson__wordpress.xml", "pelican__wordpressexport.xml", "charleso-blog__wordpress.xml", "ServiceStackV3-mythz_blog__wordpress-export.xml"} {
			inputs = append(inputs, filepath.Join(dir, "public", n))
		}
	} else {
		t.Log("corpus not found: the hard cases and the seed only")
	}
	ctx := context.Background()
	for _, in := range inputs {
		a := coreArchive(t, in)
		private := corePrivate(t, a.DB())
		if len(private) == 0 {
			t.Fatalf("%s: no addresses in the archive to look for", in)
		}
		for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
			for _, comments := range []string{CommentsData, CommentsInline} {
				out := filepath.Join(t.TempDir(), "out")
				sum, err := Markdown(ctx, a, Options{Out: out, Flavor: flavor, Comments: comments, Drafts: true, IncludePrivate: true,
					CommentStatuses: CommentStatuses, Types: []string{"post", "page", "portfolio"}})
				if err != nil {
					t.Fatal(err)
				}
				if sum.Comments == 0 {
					t.Errorf("%s: no comments exported: the test would prove nothing", filepath.Base(in))
				}
				for f, b := range coreTree(t, out) {
					text := strings.ToLower(string(b))
					for _, p := range private {
						if strings.Contains(text, p) {
							t.Errorf("%s %s %s: %s holds %q", filepath.Base(in), flavor, comments, f, p)
						}
					}
				}
			}
		}
	}
}
