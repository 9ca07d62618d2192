package importer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/internal/corpus"
)

// fuzzSeedLimit leaves the big corpus files out of the seeds: the fuzzer
// mutates small inputs far faster, and the big ones add nothing the small
// ones lack.
const fuzzSeedLimit = 32 << 10

// FuzzReader feeds arbitrary bytes through the path an import takes: the
// cleaning reader, then the WXR reader. Properties beyond "no panic":
//   - it ends (io.EOF or an error) within a bounded number of records and
//     within seconds;
//   - every string of every record is valid UTF-8;
//   - every error is a *ParseError or a *TruncatedError whose message
//     starts with the file name, and the error is final;
//   - Items counts exactly the posts returned.
//
// Seeds: the hand-made seed export, the cleaner's damaged fixtures and the
// small files of the shared corpus. Inputs that failed are kept in
// testdata/fuzz/FuzzReader and replayed by every go test.
func FuzzReader(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>a</title><wp:post_id>1</wp:post_id></item></channel></rss>`))
	seeds, _ := filepath.Glob("../testdata/clean/*/input.xml")
	seeds = append(seeds, "../testdata/seed/central-asia.xml")
	if d := corpus.Dir(); d != "" {
		more, _ := filepath.Glob(filepath.Join(d, "public", "*.xml"))
		seeds = append(seeds, more...)
		seeds = append(seeds, filepath.Join(d, "synthetic", "sample-everything.xml"))
	}
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil && len(b) <= fuzzSeedLimit {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan string, 1)
		go func() { done <- fuzzRead(data) }()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("the reader did not end within 20s on %d bytes", len(data))
		}
	})
}

// fuzzRead reads data as Import would and returns what went wrong, or "".
func fuzzRead(data []byte) string {
	r := NewReader(clean.NewReader(bytes.NewReader(data)), "fuzz.xml")
	if len(data)%3 == 0 {
		// Low limits, so that the fuzzer reaches them too.
		r.MaxDepth, r.MaxFieldBytes, r.MaxItemBytes = 8, 256, 1024
	}
	posts := 0
	for i := 0; ; i++ {
		if i > len(data)+10 {
			return "the reader did not end after more records than input bytes"
		}
		e, err := r.Next()
		if err == io.EOF {
			if r.Items() != posts {
				return "Items() disagrees with the posts returned"
			}
			return ""
		}
		if err != nil {
			var pe *ParseError
			var te *TruncatedError
			if !errors.As(err, &pe) && !errors.As(err, &te) {
				return "error of type " + typeName(err) + ": " + err.Error()
			}
			if !strings.HasPrefix(err.Error(), "fuzz.xml") {
				return "error does not name the file: " + err.Error()
			}
			if _, again := r.Next(); again != err {
				return "the error is not final"
			}
			return ""
		}
		if e.Post != nil {
			posts++
		}
		if s, ok := invalidUTF8(e); ok {
			return "invalid UTF-8 in a record: " + s
		}
	}
}

func typeName(err error) string {
	switch err.(type) {
	case *ParseError:
		return "*ParseError"
	case *TruncatedError:
		return "*TruncatedError"
	}
	return "unexpected"
}

// invalidUTF8 returns the first string of e that is not valid UTF-8.
func invalidUTF8(e Entity) (string, bool) {
	var ss []string
	meta := func(ms []archive.Meta) {
		for _, m := range ms {
			ss = append(ss, m.Key, m.Value)
		}
	}
	var elems func(es []archive.Element)
	elems = func(es []archive.Element) {
		for _, el := range es {
			ss = append(ss, el.Name, el.Text)
			for k, v := range el.Attrs {
				ss = append(ss, k, v)
			}
			elems(el.Children)
		}
	}
	switch {
	case e.Site != nil:
		s := e.Site
		ss = append(ss, s.Title, s.Link, s.Description, s.Language, s.WXRVersion, s.BaseSiteURL, s.BaseBlogURL, s.Generator)
		elems(s.Extra)
	case e.Author != nil:
		a := e.Author
		ss = append(ss, a.WPID, a.Login, a.Email, a.DisplayName, a.FirstName, a.LastName)
		elems(a.Extra)
	case e.Term != nil:
		tm := e.Term
		ss = append(ss, tm.WPID, tm.Slug, tm.Parent, tm.Name, tm.Description, tm.Taxonomy)
		meta(tm.Meta)
		elems(tm.Extra)
	case e.Post != nil:
		p := e.Post
		ss = append(ss, p.Title, p.Link, p.GUID, p.Description, p.Content, p.Excerpt, p.Creator, p.WPID, p.Slug, p.Status, p.PostType)
		for _, pt := range p.Terms {
			ss = append(ss, pt.Name, pt.Domain, pt.Nicename)
		}
		meta(p.Meta)
		elems(p.Extra)
		for _, c := range p.Comments {
			ss = append(ss, c.Author, c.AuthorEmail, c.AuthorURL, c.AuthorIP, c.Content, c.TypeRaw)
			meta(c.Meta)
			elems(c.Extra)
		}
	}
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return s, true
		}
	}
	return "", false
}
