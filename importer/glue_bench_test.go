package importer

import (
	"bytes"
	"io"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/phpserial"
)

// benchPosts returns the site and posts of in, a benchmark export.
func benchPosts(b *testing.B, in []byte) (*archive.Site, []*archive.Post) {
	var site *archive.Site
	var posts []*archive.Post
	r := NewReader(bytes.NewReader(in), "bench.xml")
	for {
		e, err := r.Next()
		if err == io.EOF {
			return site, posts
		} else if err != nil {
			b.Fatal(err)
		}
		switch {
		case e.Site != nil:
			site = e.Site
		case e.Post != nil:
			posts = append(posts, e.Post)
		}
	}
}

// benchMeta returns every post and comment meta value of the 10 MB
// benchmark export and their total length.
func benchMeta(b *testing.B) ([]string, int) {
	_, posts := benchPosts(b, benchInput(b, "10MB"))
	var vals []string
	size := 0
	add := func(meta []archive.Meta) {
		for _, m := range meta {
			vals = append(vals, m.Value)
			size += len(m.Value)
		}
	}
	for _, p := range posts {
		add(p.Meta)
		for _, c := range p.Comments {
			add(c.Meta)
		}
	}
	return vals, size
}

// BenchmarkMetaJSON converts every meta value of the 10 MB benchmark
// export as the normaliser does; cpu-ns/op is the process's CPU time:
//
//	go test -tags sqlite_fts5 -run '^$' -bench 'MetaJSON' -count 5 ./importer/
func BenchmarkMetaJSON(b *testing.B) {
	benchEachMeta(b, func(v string) { metaJSON(v) })
}

// BenchmarkMetaJSONDecoded does what metaJSON did before phpserial's
// streamer (decode into Values, then encode them), to compare in one run.
func BenchmarkMetaJSONDecoded(b *testing.B) {
	benchEachMeta(b, func(v string) {
		if !phpserial.IsSerialized(v) {
			return
		}
		if d, err := phpserial.Decode(v); err == nil {
			_ = string(d.AppendJSON(make([]byte, 0, len(v)+len(v)/8+16)))
		}
	})
}

// benchEachMeta times convert over every meta value of the 10 MB
// benchmark export, with a cpu-ns/op metric.
func benchEachMeta(b *testing.B, convert func(string)) {
	vals, size := benchMeta(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := normCPU()
	for range b.N {
		for _, v := range vals {
			convert(v)
		}
	}
	b.ReportMetric(float64(normCPU()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkSearchTextPosts prepares the plain text of every post of the
// 10 MB benchmark export for the search index, as analyzePost does:
// /all is every text, /cjk the texts SearchText changes (U+200B between
// CJK characters), /other the texts it returns as they are.
func BenchmarkSearchTextPosts(b *testing.B) {
	site, posts := benchPosts(b, benchInput(b, "10MB"))
	var all, cjk, other []string
	for _, p := range posts {
		s := analyze(p.Content, site.Language).Text
		all = append(all, s)
		if archive.SearchText(s) != s {
			cjk = append(cjk, s)
		} else {
			other = append(other, s)
		}
	}
	for _, c := range []struct {
		name  string
		texts []string
	}{{"all", all}, {"cjk", cjk}, {"other", other}} {
		b.Run(c.name, func(b *testing.B) {
			size := 0
			for _, s := range c.texts {
				size += len(s)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			cpu0 := normCPU()
			for range b.N {
				for _, s := range c.texts {
					archive.SearchText(s)
				}
			}
			b.ReportMetric(float64(normCPU()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(len(c.texts)), "texts")
		})
	}
}
