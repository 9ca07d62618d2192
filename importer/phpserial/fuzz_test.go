package phpserial

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/wparchive/wparchive/internal/corpus"
)

// corpusSerialized returns every meta value of a few corpus files that
// looks serialized.
func corpusSerialized(tb testing.TB) []string {
	var vals []string
	dir := corpus.Dir()
	if dir == "" {
		return nil
	}
	for _, name := range []string{"MikeChristianson__wordpress.xml", "pelican__wordpressexport.xml", "cc-archive-labs__wordpress.xml", "wpimporter__test-utw-post-meta-import.xml", "hexo-migrator-wordpress__wordpress.xml"} {
		for _, p := range meta(tb, filepath.Join(dir, "public", name)) {
			if IsSerialized(p[1]) {
				vals = append(vals, p[1])
			}
		}
	}
	for _, p := range meta(tb, filepath.Join(dir, "synthetic", "sample-everything.xml")) {
		if IsSerialized(p[1]) {
			vals = append(vals, p[1])
		}
	}
	return vals
}

// FuzzUnserialize checks, on any input: no panic; when ToJSON says ok its
// output is valid JSON in valid UTF-8; whatever Decode accepts renders as
// valid JSON; a value that decodes without repair and looks serialized is
// always ok.
func FuzzUnserialize(f *testing.F) {
	for _, s := range []string{
		`a:1:{s:3:"foo";s:3:"bar";}`, `N;`, `b:1;`, `i:-12;`, `d:0.5;`, `d:NAN;`,
		`a:3:{i:0;d:NAN;i:1;d:INF;i:2;d:-INF;}`,
		`a:1:{s:3:"key";a:2:{s:3:"foo";s:13:"¯\_(ツ)_/¯";s:3:"bar";s:3:"\o/";}}`,
		"O:3:\"Foo\":2:{s:8:\"\x00Foo\x00bar\";i:1;s:6:\"\x00*\x00baz\";i:2;}",
		`a:2:{i:0;a:0:{}i:1;R:2;}`, `a:2:{i:0;i:7;i:1;r:2;}`, `a:1:{i:0;R:1;}`,
		`a:1:{i:0;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}}`, `E:11:"Suit:Hearts";`,
		`a:1:{i:0;S:3:"a\41b";}`, `a:2:{s:3:"url";s:30:"http://a.io";s:1:"n";i:1;}`,
		`a:2:{s:1:"a";s:10:"x";y";s:1:"b";i:2;}`, "s:5:\"\xff\xfe\x00\x01\";",
	} {
		f.Add(s)
	}
	if testing.Short() {
		f.Skip()
	}
	for _, s := range corpusSerialized(f) {
		if len(s) <= 4<<10 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		js, ok := ToJSON(s)
		if ok && (!json.Valid([]byte(js)) || !utf8.ValidString(js)) {
			t.Fatalf("ToJSON(%q) = %q: not valid JSON", s, js)
		}
		v, err := Decode(s)
		if err != nil {
			if ok {
				t.Fatalf("ToJSON ok but Decode: %v", err)
			}
			return
		}
		if b := v.AppendJSON(nil); !json.Valid(b) || !utf8.Valid(b) {
			t.Fatalf("AppendJSON of Decode(%q) = %q: not valid JSON", s, b)
		}
		if IsSerialized(s) && !ok && len(s) < 1<<16 {
			t.Fatalf("decodes and looks serialized, but ToJSON not ok: %q", s)
		}
	})
}
