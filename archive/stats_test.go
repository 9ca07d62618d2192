package archive

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	importFixture(t, a, baseFixture())
	importFixture(t, a, baseFixture()) // a second, unchanged import
	other := simplePost("1", "post", "0")
	other.DateGMTRaw, other.Derived.DateAt = "2010-05-06 07:08:09", "2010-05-06T07:08:09Z"
	draft := simplePost("2", "post", "0")
	draft.Status, draft.Derived.DateAt = "draft", "2001-01-01T00:00:00Z" // drafts do not count for the dates
	importFixture(t, a, fixture{site: Site{Key: "other.example", Title: "Other", Link: "https://other.example/"},
		posts: []*Post{other, draft}})
	a.Close()

	// Stats work on a read-only archive, as `wparchive stats` opens it.
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	st, err := ro.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sites) != 2 || st.Sites[0].Key != "example.org" || st.Sites[1].Key != "other.example" {
		t.Fatalf("sites: %+v", st.Sites)
	}
	ex, ot := st.Sites[0], st.Sites[1]
	if ex.Title != "Example" || ex.URL != "https://example.org" || ex.Language != "en" || ex.WXRVersion != "1.2" {
		t.Errorf("site fields: %+v", ex)
	}
	if ot.URL != "https://other.example/" {
		t.Errorf("URL falls back to the link: %q", ot.URL)
	}
	check := func(name string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %d, want %d", name, got, want)
		}
	}
	check("example posts", ex.Posts, 5)
	check("example pages", ex.PostsByType["page"], 2)
	check("example publish", ex.PostsByStatus["publish"], 5)
	check("example comments", ex.Comments, 5)
	check("example pingbacks", ex.CommentsByKind["pingback"], 1)
	check("example pending", ex.CommentsByStatus["pending"], 1)
	check("example orphans", ex.OrphanComments, 1)
	check("example commenters", ex.Commenters, 2)
	check("example authors", ex.Authors, 1)
	check("example terms", ex.Terms, 5)
	check("example categories", ex.TermsByTaxonomy["category"], 2)
	check("example post_format", ex.TermsByTaxonomy["post_format"], 1)
	check("example postmeta", ex.PostMeta, 4)
	check("example commentmeta", ex.CommentMeta, 2)
	check("example termmeta", ex.TermMeta, 1)
	check("example quotes", ex.Quotes, 2)
	check("example imports", ex.Imports, 2)
	check("other posts", ot.Posts, 2)
	check("other drafts", ot.PostsByStatus["draft"], 1)
	check("other imports", ot.Imports, 1)
	check("total posts", st.Total.Posts, 7)
	check("total post type post", st.Total.PostsByType["post"], 4)
	check("total comments", st.Total.Comments, 5)
	check("total imports", st.Total.Imports, 3)
	if ex.FirstPostAt != "2024-01-02T01:04:05Z" || ex.LastPostAt != "2024-01-02T01:04:05Z" {
		t.Errorf("example dates %q %q", ex.FirstPostAt, ex.LastPostAt)
	}
	if ot.FirstPostAt != "2010-05-06T07:08:09Z" || st.Total.FirstPostAt != "2010-05-06T07:08:09Z" || st.Total.LastPostAt != "2024-01-02T01:04:05Z" {
		t.Errorf("dates: other %q, total %q..%q", ot.FirstPostAt, st.Total.FirstPostAt, st.Total.LastPostAt)
	}
	if st.Total.LastImportAt == "" || st.Total.LastImportAt < ex.LastImportAt || ot.LastImportAt == "" {
		t.Errorf("last import: total %q example %q other %q", st.Total.LastImportAt, ex.LastImportAt, ot.LastImportAt)
	}
	if st.SchemaVersion < 1 || st.Path != path {
		t.Errorf("schema %d path %q", st.SchemaVersion, st.Path)
	}

	// Nothing personal in the output.
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"@example", "192.0.2.", "email", "_ip"} {
		if strings.Contains(string(b), s) {
			t.Errorf("stats JSON contains %q: %s", s, b)
		}
	}
	// The sum over sites is the total.
	var sum int
	for _, s := range st.Sites {
		sum += s.Posts + s.Comments + s.Terms + s.PostMeta
	}
	if total := st.Total.Posts + st.Total.Comments + st.Total.Terms + st.Total.PostMeta; sum != total {
		t.Errorf("sites add up to %d, total says %d", sum, total)
	}
}

func TestStatsEmptyArchive(t *testing.T) {
	a := openTemp(t)
	st, err := a.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sites) != 0 || st.Total.Posts != 0 || st.Total.FirstPostAt != "" {
		t.Errorf("empty archive: %+v", st)
	}
	if b, _ := json.Marshal(st); !strings.Contains(string(b), `"sites":[]`) {
		t.Errorf("JSON: %s", b)
	}
}
