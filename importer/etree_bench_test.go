package importer

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// benchExport builds an export of n copies of the seed's items (about
// 40 KB each), in memory.
func benchExport(b *testing.B, n int) []byte {
	b.Helper()
	seed, err := os.ReadFile("../testdata/seed/central-asia.xml")
	if err != nil {
		b.Fatal(err)
	}
	s := string(seed)
	start, end := strings.Index(s, "<item>"), strings.LastIndex(s, "</channel>")
	var buf bytes.Buffer
	buf.WriteString(s[:start])
	for i := 0; i < n; i++ {
		buf.WriteString(s[start:end])
	}
	buf.WriteString(s[end:])
	return buf.Bytes()
}

// BenchmarkReaderTokens is the reader as built: encoding/xml tokens mapped
// straight onto archive records, one item in memory at a time.
func BenchmarkReaderTokens(b *testing.B) {
	in := benchExport(b, 200)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(in), "bench.xml")
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReaderEtree is the design card's alternative: etree builds the
// tree (here of the whole document, as etree reads documents) and the items
// are read from it. It decodes with the same encoding/xml underneath, so it
// can only add the cost of the tree; and its memory grows with the export.
func BenchmarkReaderEtree(b *testing.B) {
	in := benchExport(b, 200)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(in); err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, it := range doc.FindElements("/rss/channel/item") {
			for _, c := range it.ChildElements() {
				_ = c.Text()
				for _, cc := range c.ChildElements() {
					_ = cc.Text()
				}
			}
			n++
		}
		if n != 1200 {
			b.Fatalf("items = %d", n)
		}
	}
}
