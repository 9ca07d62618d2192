package importer

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"

	"github.com/wparchive/wparchive/importer/clean"
)

// BenchmarkParseSource is what the parsing goroutine of Import does before
// it normalises: the file hashed as it is read, the cleaning reader, and
// the Reader over the generated 10 MB export.
func BenchmarkParseSource(b *testing.B) {
	in := benchInput(b, "10MB")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		h := sha256.New()
		r := NewReader(clean.NewReader(io.TeeReader(bytes.NewReader(in), h)), "bench.xml")
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		h.Sum(nil)
	}
}
