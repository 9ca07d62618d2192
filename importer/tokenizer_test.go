package importer

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/internal/corpus"
)

// readEntities reads every record of in (through the cleaning reader, as
// Import does) with the given tokenizer, and the error that ended it.
func readEntities(in []byte, tok func(io.Reader) tokenizer) ([]Entity, string) {
	saved := newTokenizer
	newTokenizer = tok
	defer func() { newTokenizer = saved }()
	r := NewReader(clean.NewReader(bytes.NewReader(in)), "in.xml")
	var ents []Entity
	for {
		e, err := r.Next()
		if err == io.EOF {
			return ents, ""
		}
		if err != nil {
			return ents, err.Error()
		}
		ents = append(ents, e)
	}
}

// The Reader gives the same records — raw hashes, lines and errors
// included — over xmlscan as over encoding/xml, for every corpus file, the
// seed and the generated export, whole and cut short.
func TestReaderSameWithEitherTokenizer(t *testing.T) {
	dir := corpus.Need(t)
	paths, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	more, _ := filepath.Glob(filepath.Join(dir, "synthetic", "*.xml"))
	paths = append(paths, more...)
	paths = append(paths, "../testdata/seed/central-asia.xml")
	if _, err := os.Stat("../bench/10mb.xml"); err == nil {
		paths = append(paths, "../bench/10mb.xml")
	}
	for _, p := range paths {
		in, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{len(in), len(in) * 2 / 3, len(in) / 3} {
			want, werr := readEntities(in[:cut], stdTokenizer)
			got, gerr := readEntities(in[:cut], newTokenizer)
			if werr != gerr {
				t.Errorf("%s[:%d]: error\nencoding/xml %s\nxmlscan      %s", p, cut, werr, gerr)
			}
			if len(want) != len(got) {
				t.Fatalf("%s[:%d]: %d records with encoding/xml, %d with xmlscan", p, cut, len(want), len(got))
			}
			for i := range want {
				if !reflect.DeepEqual(want[i], got[i]) {
					t.Fatalf("%s[:%d]: record %d differs", p, cut, i)
				}
			}
		}
	}
}
