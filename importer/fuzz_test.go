package importer

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wparchive/wparchive/internal/corpus"
)

// FuzzReader feeds arbitrary bytes to the reader. Properties beyond "no
// panic": it ends (io.EOF or an error) within a bounded number of calls,
// and content comes out as valid UTF-8.
func FuzzReader(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>a</title><wp:post_id>1</wp:post_id></item></channel></rss>`))
	if d := corpus.Dir(); d != "" {
		files, _ := filepath.Glob(filepath.Join(d, "public", "wpimporter__*.xml"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(strings.NewReader(string(data)), "fuzz.xml")
		for i := 0; ; i++ {
			if i > len(data)+10 {
				t.Fatalf("reader did not end after %d records for %d bytes", i, len(data))
			}
			e, err := r.Next()
			if err == io.EOF || err != nil {
				return
			}
			if e.Post != nil && !utf8.ValidString(e.Post.Content) {
				t.Fatalf("invalid UTF-8 in content")
			}
		}
	})
}
