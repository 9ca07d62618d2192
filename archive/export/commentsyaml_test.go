package export

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/internal/corpus"
)

// encodedData is Data's document written by the YAML encoder.
func encodedData(t *testing.T, th *Thread, flavor string) []byte {
	t.Helper()
	doc := Thread{}
	if th != nil {
		doc = *th
	}
	if doc.Comments == nil {
		doc.Comments = []Comment{}
	}
	if flavor == markdown.Jekyll {
		doc.Comments, doc.Pings = escapeKramdown(doc.Comments), escapeKramdown(doc.Pings)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	return b.Bytes()
}

// checkThreadByHand compares Data (by hand where it can) with the
// encoder; it reports whether the hand wrote it.
func checkThreadByHand(t *testing.T, th *Thread, flavor string) bool {
	t.Helper()
	doc := Thread{}
	if th != nil {
		doc = *th
	}
	if flavor == markdown.Jekyll {
		doc.Comments, doc.Pings = escapeKramdown(doc.Comments), escapeKramdown(doc.Pings)
	}
	_, hand := doc.appendYAML(nil)
	data, err := th.Data(flavor)
	if err != nil {
		t.Fatal(err)
	}
	if want := encodedData(t, th, flavor); !bytes.Equal(data, want) {
		t.Errorf("thread %+v (%s):\nData:\n%s\nencoder:\n%s", th, flavor, data, want)
	}
	return hand
}

// TestThreadDataByHand: the comments data files written by hand are the
// encoder's byte for byte, on the seed, the hard cases and corpus
// exports, and most threads are written by hand.
func TestThreadDataByHand(t *testing.T) {
	files := []string{seedFile, threadsFile}
	if dir := corpus.Dir(); dir != "" {
		for _, name := range []string{"MikeChristianson__wordpress.xml", "Roshanzheng__wordpress.xml", "ServiceStackV3-mythz_blog__wordpress-export.xml", "wptt__themeunittestdata.wordpress.xml"} {
			files = append(files, filepath.Join(dir, "public", name))
		}
	}
	for _, f := range files {
		db, site := importFile(t, f)
		n, hand := 0, 0
		for _, th := range load(t, db, site, CommentOptions{Statuses: CommentStatuses}) {
			for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
				n++
				if checkThreadByHand(t, th, flavor) {
					hand++
				}
			}
		}
		t.Logf("%s: %d of %d data files written by hand", filepath.Base(f), hand, n)
		if f == seedFile && hand*10 < n*9 {
			t.Errorf("%s: only %d of %d data files written by hand", f, hand, n)
		}
	}
	checkThreadByHand(t, nil, markdown.Hugo)
	checkThreadByHand(t, &Thread{Pings: []Comment{{ID: 1, Type: "pingback"}}}, markdown.Hugo)
}

func FuzzThreadDataByHand(f *testing.F) {
	for _, s := range []string{"plain", "", "a: b", "x\n\ny", "yes", "2011-07-31T12:47:42+06:00", "'q'", "\"d\"", "trail \nx", "😀", "- x", "#x"} {
		f.Add(s, s, int64(3))
	}
	f.Fuzz(func(t *testing.T, author, content string, id int64) {
		if strings.Count(content, "\n") > 50 {
			return
		}
		th := &Thread{Comments: []Comment{
			{ID: id, Depth: 0, Type: "comment", Author: author, Date: "2011-07-31T12:47:42+06:00", Content: content},
			{ID: id + 1, Parent: id, ReplyTo: 7, Depth: 1, Type: "comment", Status: "pending", Author: "x", URL: author, Provider: "twitter", Date: content, Content: author, Orphan: true},
		}, Pings: []Comment{{ID: 9, Type: "trackback", Author: author, Title: content, BlogName: author, Domain: "example.com", Date: "", Content: content}}}
		for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
			checkThreadByHand(t, th, flavor)
		}
	})
}
