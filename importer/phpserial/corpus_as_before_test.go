package phpserial_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer"
	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/importer/phpserial"
	"github.com/wparchive/wparchive/internal/corpus"
)

// TestCorpusToJSONAsBefore holds ToJSON to the code before the streamer
// on every meta value (term, post and comment) that the importer reads
// from the public corpus, the synthetic sample, the seed reconstruction
// and bench/10mb.xml when it is there: the value_json columns of an
// import stay byte for byte what they were.
func TestCorpusToJSONAsBefore(t *testing.T) {
	var files []string
	if d := corpus.Dir(); d != "" {
		files, _ = filepath.Glob(filepath.Join(d, "public", "*.xml"))
		files = append(files, filepath.Join(d, "synthetic", "sample-everything.xml"))
	} else {
		t.Log("corpus absent: only the seed and bench/10mb.xml")
	}
	files = append(files, filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"))
	if _, err := os.Stat(filepath.Join("..", "..", "bench", "10mb.xml")); err == nil {
		files = append(files, filepath.Join("..", "..", "bench", "10mb.xml"))
	}
	values, serialized := 0, 0
	check := func(file string, meta []archive.Meta) {
		for _, m := range meta {
			values++
			got, ok := phpserial.ToJSON(m.Value)
			want, wok := phpserial.ToJSONOld(m.Value)
			if wok {
				serialized++
			}
			if got != want || ok != wok {
				t.Errorf("%s: meta %q: ToJSON = %.100q %v, before %.100q %v", filepath.Base(file), m.Key, got, ok, want, wok)
			}
		}
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		r := importer.NewReader(clean.NewReader(f), filepath.Base(file))
		for {
			e, err := r.Next()
			if err != nil {
				if err != io.EOF {
					t.Logf("%s: stops at %v", filepath.Base(file), err)
				}
				break
			}
			switch {
			case e.Term != nil:
				check(file, e.Term.Meta)
			case e.Post != nil:
				check(file, e.Post.Meta)
				for _, c := range e.Post.Comments {
					check(file, c.Meta)
				}
			}
		}
		f.Close()
	}
	t.Logf("%d files, %d meta values, %d of them serialized", len(files), values, serialized)
	if serialized == 0 {
		t.Error("no serialized meta value compared")
	}
}
