package phpserial

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wparchive/wparchive/internal/corpus"
)

func TestToJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"chunked-meta", `a:1:{s:3:"foo";s:3:"bar";}`, `{"foo":"bar"}`},
		{"list", `a:3:{i:0;s:1:"a";i:1;i:2;i:2;b:1;}`, `["a",2,true]`},
		{"empty array", `a:0:{}`, `[]`},
		{"keys out of order", `a:2:{i:1;s:1:"b";i:0;s:1:"a";}`, `{"1":"b","0":"a"}`},
		{"keys not from zero", `a:1:{i:5;N;}`, `{"5":null}`},
		{"order kept", `a:3:{s:1:"z";i:1;s:1:"a";i:2;s:1:"m";i:3;}`, `{"z":1,"a":2,"m":3}`},
		{"numeric string key", `a:2:{s:1:"0";s:1:"x";s:1:"1";s:1:"y";}`, `["x","y"]`},
		{"non-canonical numeric key", `a:1:{s:2:"01";s:1:"x";}`, `{"01":"x"}`},
		{"negative key", `a:1:{i:-3;s:1:"x";}`, `{"-3":"x"}`},
		{"multibyte length", `a:1:{s:3:"key";s:13:"¯\_(ツ)_/¯";}`, `{"key":"¯\\_(ツ)_/¯"}`},
		{"nested", `a:1:{s:3:"key";a:2:{s:3:"foo";s:13:"¯\_(ツ)_/¯";s:3:"bar";s:3:"\o/";}}`, `{"key":{"foo":"¯\\_(ツ)_/¯","bar":"\\o/"}}`},
		{"empty string", `a:2:{s:18:"special_post_title";s:15:"A special title";s:11:"is_calendar";s:0:"";}`, `{"special_post_title":"A special title","is_calendar":""}`},
		{"null", `N;`, `null`},
		{"bools", `a:2:{i:0;b:0;i:1;b:1;}`, `[false,true]`},
		{"int", `i:-12;`, `-12`},
		{"float", `d:0.5;`, `0.5`},
		{"akismet time", `a:2:{s:4:"time";d:1716280505.312471;s:5:"event";s:9:"check-ham";}`, `{"time":1716280505.312471,"event":"check-ham"}`},
		{"nan inf in array", `a:3:{i:0;d:NAN;i:1;d:INF;i:2;d:-INF;}`, `["NAN","INF","-INF"]`},
		{"int beyond 64 bits", `a:2:{i:0;i:99999999999999999999;i:1;i:-009999999999999999999;}`, `[99999999999999999999,-9999999999999999999]`},
		{"string with quotes", `s:9:"say "hi"!";`, `"say \"hi\"!"`},
		{"string with controls", "s:4:\"a\x00\n\x1f\";", `"a\u0000\n\u001f"`},
		{"invalid utf-8", "s:2:\"\xe9x\";", `"\ufffdx"`},
		{"escaped string", `a:1:{i:0;S:3:"a\41b";}`, `["aAb"]`},
		{"stdClass", `O:8:"stdClass":2:{s:3:"tag";s:5:"album";s:5:"count";i:3;}`, `{"__class":"stdClass","tag":"album","count":3}`},
		{"protected and private", "O:3:\"Foo\":3:{s:6:\"\x00*\x00bar\";i:1;s:8:\"\x00Foo\x00baz\";i:2;s:3:\"qux\";i:3;}", `{"__class":"Foo","bar":1,"baz":2,"qux":3}`},
		{"private clashes with public", "O:3:\"Foo\":2:{s:8:\"\x00Foo\x00bar\";i:1;s:3:\"bar\";i:2;}", `{"__class":"Foo","Foo::bar":1,"bar":2}`},
		{"empty object", `O:8:"stdClass":0:{}`, `{"__class":"stdClass"}`},
		{"custom", `a:1:{i:0;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}}`, `[{"__class":"ArrayObject","__serialized":"x:i:0;a:0:{};m:a:0:{}"}]`},
		{"float small", `d:1.0E-7;`, `1e-7`},
		{"float big", `d:1.0E+25;`, `1e+25`},
		{"float negative zero", `d:-0;`, `-0`},
		{"enum", `E:11:"Suit:Hearts";`, `{"__enum":"Suit:Hearts"}`},
		{"reference to scalar", `a:2:{i:0;s:1:"x";i:1;R:2;}`, `["x","x"]`},
		{"copy reference to scalar", `a:2:{i:0;i:7;i:1;r:2;}`, `[7,7]`},
		{"reference to array", `a:2:{i:0;a:0:{}i:1;R:2;}`, `[[],{"__ref":2}]`},
		{"reference to itself", `a:1:{i:0;R:1;}`, `[{"__ref":1}]`},
		{"references counted as PHP does", `a:4:{i:0;i:1;i:1;R:2;i:2;i:3;i:3;r:3;}`, `[1,1,3,3]`},
		{"object reference", `a:2:{i:0;O:8:"stdClass":0:{}i:1;r:2;}`, `[{"__class":"stdClass"},{"__ref":2}]`},
		{"white space trimmed", " \n a:1:{i:0;N;} \r\n", `[null]`},
		{"CRLF became LF", "a:1:{s:4:\"text\";s:12:\"one\ntwo\nthree\";}", `{"text":"one\ntwo\nthree"}`},
		{"URL replaced, longer", `a:2:{s:3:"url";s:18:"http://example.org";s:1:"n";i:1;}`, `{"url":"http://example.org","n":1}`},
		{"URL replaced, longer than declared", `a:2:{s:3:"url";s:18:"https://www.example.com/path";s:1:"n";i:1;}`, `{"url":"https://www.example.com/path","n":1}`},
		{"URL replaced, shorter", `a:2:{s:3:"url";s:30:"http://a.io";s:1:"n";i:1;}`, `{"url":"http://a.io","n":1}`},
		{"wrong length, quote-semicolon inside", `a:2:{s:1:"a";s:10:"x";y";s:1:"b";i:2;}`, `{"a":"x\";y","b":2}`},
		{"wrong key length", `a:1:{s:2:"key";s:1:"v";}`, `{"key":"v"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ToJSON(tc.in)
			if !ok || got != tc.want {
				t.Errorf("ToJSON(%q) = %s, %v; want %s", tc.in, got, ok, tc.want)
			}
			if ok && !json.Valid([]byte(got)) {
				t.Errorf("invalid JSON %s", got)
			}
		})
	}
}

func TestToJSONNotSerialized(t *testing.T) {
	for _, in := range []string{
		"", "1", "foo", "a:1", "a:1:{", "<pre>some html</pre>", `¯\_(ツ)_/¯`,
		`d:NAN;`,                // is_serialized() does not accept it
		`r:1;`,                  // nor a bare reference
		`C:3:"Foo":0:{}`,        // nor C:
		`a:1:{i:0;N;}trailing;`, // looks serialized, does not decode
		`a:2:{i:0;N;}`,          // one entry short
		`a:1:{i:0;N;i:1;N;}`,    // one entry too many
		`s:3:"abc"`,             // no ;
		`a:1:{i:0;R:5;}`,        // reference to nothing
		`O:8:"stdClass":1:{i:0;N;}x`,
		`b:1;;`,
	} {
		if got, ok := ToJSON(in); ok {
			t.Errorf("ToJSON(%q) = %s, true; want false", in, got)
		}
	}
}

func TestIsSerialized(t *testing.T) {
	for in, want := range map[string]bool{
		`N;`: true, ` N; `: true, `i:5;`: true, `i:-5;`: true, `d:0.5;`: true, `d:1.0E+25;`: true,
		`b:1;`: true, `s:3:"abc";`: true, `a:0:{}`: true, `O:8:"stdClass":0:{}`: true, `E:3:"A:B";`: true,
		`d:NAN;`: false, `d:INF;`: false, `s:3:"abc"`: false, `s:3:abc;`: false, `a:x:{}`: false,
		`i:5`: false, `x:1;`: false, `C:3:"Foo":0:{}`: false, `foo`: false, `1`: false, ``: false,
		`i:5;x`: false, `a:1:{i:0;N;}`: true, "\ta:0:{}\n": true,
	} {
		if got := IsSerialized(in); got != want {
			t.Errorf("IsSerialized(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDecode(t *testing.T) {
	// The URL was replaced by a longer one, the text's CRLF read as LF.
	v, err := Decode("a:2:{s:3:\"url\";s:18:\"https://www.example.com/path\";s:4:\"text\";s:8:\"one\ntwo\";}")
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != Array || len(v.Items) != 2 || v.Repaired != 2 {
		t.Fatalf("got %+v", v)
	}
	if got := v.Items[0].Value.Str; got != "https://www.example.com/path" {
		t.Errorf("url = %q", got)
	}
	if got := v.Items[1].Value.Str; got != "one\ntwo" {
		t.Errorf("text = %q", got)
	}
	// Exact lengths: nothing to repair.
	v, err = Decode(`a:1:{s:3:"key";s:13:"¯\_(ツ)_/¯";}`)
	if err != nil || v.Repaired != 0 || v.Items[0].Value.Str != `¯\_(ツ)_/¯` {
		t.Errorf("got %+v, %v", v, err)
	}

	var se *SyntaxError
	if _, err := Decode(`a:2:{i:0;N;}`); !errors.As(err, &se) || se.Offset != 11 {
		t.Errorf("short array: %v", err)
	}
	deep := strings.Repeat("a:1:{i:0;", MaxDepth+1) + "N;" + strings.Repeat("}", MaxDepth+1)
	if _, err := Decode(deep); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep: %v", err)
	}
	ok := strings.Repeat("a:1:{i:0;", MaxDepth) + "N;" + strings.Repeat("}", MaxDepth)
	if _, err := Decode(ok); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
	// A huge declared count or length allocates nothing up front.
	if _, err := Decode(`a:999999999999:{i:0;N;}`); err == nil {
		t.Error("huge count accepted")
	}
	if _, err := Decode(`s:999999999999999:"x";`); err != nil {
		t.Errorf("huge length not recovered: %v", err)
	}
}

// meta returns the (key, value) pairs of every postmeta, commentmeta and
// termmeta of an export, in file order, decoded with encoding/xml.
func meta(t testing.TB, path string) [][2]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var pairs [][2]string
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return pairs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			text.Reset()
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			switch tok.Name.Local {
			case "meta_key":
				pairs = append(pairs, [2]string{text.String()})
			case "meta_value":
				pairs[len(pairs)-1][1] = text.String()
			}
		}
	}
}

func metaValue(t testing.TB, pairs [][2]string, key string) string {
	t.Helper()
	for _, p := range pairs {
		if p[0] == key {
			return p[1]
		}
	}
	t.Fatalf("no meta %q", key)
	return ""
}

// TestCorpus decodes the serialized meta values of the corpus.
func TestCorpus(t *testing.T) {
	pub := func(name string) [][2]string { return meta(t, corpus.Public(t, name)) }

	chunked := pub("wpimporter__chunked-meta.xml")
	if got, ok := ToJSON(chunked[0][1]); !ok || got != `{"foo":"bar"}` {
		t.Errorf("chunked-meta: %s %v", got, ok)
	}

	for _, f := range []string{"wpimporter__test-serialized-postmeta-no-cdata.xml", "wpimporter__test-serialized-postmeta-with-cdata.xml"} {
		m := pub(f)
		if got, ok := ToJSON(metaValue(t, m, "post-options")); !ok || got != `{"special_post_title":"A special title","is_calendar":""}` {
			t.Errorf("%s post-options: %s %v", f, got, ok)
		}
	}
	with := pub("wpimporter__test-serialized-postmeta-with-cdata.xml")
	for key, want := range map[string]string{
		"array":         `{"key":"¯\\_(ツ)_/¯"}`,
		"array-nested":  `{"key":{"foo":"¯\\_(ツ)_/¯","bar":"\\o/"}}`,
		"string":        "",
		"integer":       "",
		"contains-html": "",
		"evil":          "",
	} {
		got, ok := ToJSON(metaValue(t, with, key))
		if ok != (want != "") || got != want {
			t.Errorf("with-cdata %s: %s %v, want %s", key, got, ok, want)
		}
	}

	for _, f := range []string{"wpimporter__test-serialized-comment-meta.xml", "wpimporter__test-serialized-term-meta.xml"} {
		n := 0
		for _, p := range pub(f) {
			got, ok := ToJSON(p[1])
			switch p[0] {
			case "string":
				if ok || p[1] != `¯\_(ツ)_/¯` {
					t.Errorf("%s string: %q %s %v", f, p[1], got, ok)
				}
			case "array":
				n++
				v, err := Decode(p[1])
				if !ok || got != `{"key":"¯\\_(ツ)_/¯"}` || err != nil || v.Repaired != 0 {
					t.Errorf("%s array: %s %v %v", f, got, ok, err)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no array meta", f)
		}
	}

	utw := metaValue(t, pub("wpimporter__test-utw-post-meta-import.xml"), "test")
	v, err := Decode(utw)
	if err != nil {
		t.Fatalf("utw: %v", err)
	}
	var tags []string
	for _, it := range v.Items {
		if it.Value.Kind != Object || it.Value.Class != "stdClass" {
			t.Errorf("utw item %+v is not a stdClass object", it.Value)
		}
		for _, p := range it.Value.Items {
			if p.Key.Str == "tag" {
				tags = append(tags, p.Value.Str)
			}
		}
	}
	wantTags := strings.Fields("album apple art artwork dead-tracks ipod itunes javascript lyrics script tracks windows-scripting-host wscript")
	if !reflect.DeepEqual(tags, wantTags) {
		t.Errorf("utw tags %q, want %q", tags, wantTags)
	}
	js, ok := ToJSON(utw)
	var list []map[string]any
	if !ok || json.Unmarshal([]byte(js), &list) != nil || len(list) != 13 || list[0]["__class"] != "stdClass" || list[12]["tag"] != "wscript" {
		t.Errorf("utw JSON: %.200s %v", js, ok)
	}

	sample := meta(t, filepath.Join(corpus.Need(t), "synthetic", "sample-everything.xml"))
	seen := map[string]int{}
	for _, p := range sample {
		switch p[0] {
		case "akismet_history", "akismet_as_submitted", "_wp_attachment_metadata":
		default:
			continue
		}
		seen[p[0]]++
		v, err := Decode(p[1])
		js, ok := ToJSON(p[1])
		if err != nil || !ok || v.Repaired != 0 || !json.Valid([]byte(js)) {
			t.Errorf("%s %.80q: %v %v %d", p[0], p[1], err, ok, v.Repaired)
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(js), &m); err != nil {
			t.Fatal(err)
		}
		switch p[0] {
		case "akismet_history":
			if _, ok := m["time"].(float64); !ok || m["event"] == "" {
				t.Errorf("akismet_history %s", js)
			}
		case "akismet_as_submitted":
			if m["comment_author"] != "Wen 文" || !strings.HasPrefix(js, `{"comment_author":`) {
				t.Errorf("akismet_as_submitted %.120s", js)
			}
		case "_wp_attachment_metadata":
			sizes, _ := m["sizes"].(map[string]any)
			if m["width"] != 1600.0 || m["file"] != "2024/05/moon-over-roofs.jpg" || sizes["thumbnail"] == nil {
				t.Errorf("_wp_attachment_metadata %.200s", js)
			}
		}
	}
	for _, k := range []string{"akismet_history", "akismet_as_submitted", "_wp_attachment_metadata"} {
		if seen[k] == 0 {
			t.Errorf("sample-everything.xml: no %s", k)
		}
	}
}

// TestCorpusRecovered checks the two kinds of broken lengths the corpus
// holds: Jetpack feedback whose CRLF the XML parser turned into LF, and
// Akismet data whose addresses and versions were replaced by shorter
// ones (pelican's anonymised fixture).
func TestCorpusRecovered(t *testing.T) {
	var mike, pelican []Value
	for _, p := range meta(t, corpus.Public(t, "MikeChristianson__wordpress.xml")) {
		if p[0] == "_feedback_email" {
			v, err := Decode(p[1])
			if err != nil {
				t.Fatal(err)
			}
			mike = append(mike, v)
		}
	}
	for _, p := range meta(t, corpus.Public(t, "pelican__wordpressexport.xml")) {
		if p[0] == "akismet_as_submitted" {
			v, err := Decode(p[1])
			if err != nil {
				t.Fatal(err)
			}
			pelican = append(pelican, v)
		}
	}
	field := func(v Value, key string) string {
		for _, it := range v.Items {
			if it.Key.Str == key {
				return it.Value.Str
			}
		}
		t.Fatalf("no %q in %+v", key, v)
		return ""
	}
	repaired := 0
	for _, v := range mike {
		repaired += v.Repaired
		// Four entries, and the last one is the mail headers, whole.
		if len(v.Items) != 4 || !strings.HasPrefix(field(v, "headers"), "From: ") || !strings.HasSuffix(field(v, "headers"), `charset="UTF-8"`) {
			t.Errorf("feedback: %d items, headers %q", len(v.Items), field(v, "headers"))
		}
		if m := field(v, "message"); !strings.HasPrefix(m, "Name: ") || strings.Contains(m, `";s:`) {
			t.Errorf("feedback message %q", m)
		}
	}
	if repaired == 0 {
		t.Error("no feedback needed a repair: the test shows nothing")
	}
	for _, v := range pelican {
		if v.Repaired == 0 {
			t.Errorf("akismet data decoded without repair")
		}
		ip, ua := field(v, "user_ip"), field(v, "user_agent")
		if ip != "127.0.0.1" || !strings.HasPrefix(ua, "Mozilla/5.0") || strings.Contains(ua, `"`) || ua != field(v, "HTTP_USER_AGENT") {
			t.Errorf("akismet user_ip %q, user_agent %q", ip, ua)
		}
		if field(v, "REQUEST_METHOD") != "POST" || strings.Contains(field(v, "comment_author"), `"`) {
			t.Errorf("akismet entries misaligned: %q %q", field(v, "REQUEST_METHOD"), field(v, "comment_author"))
		}
	}
	if len(mike) != 10 || len(pelican) != 3 {
		t.Errorf("%d feedback, %d akismet values", len(mike), len(pelican))
	}
}

// TestCorpusAllMeta decodes every meta value of the corpus that looks
// serialized: each must decode (exports hold what PHP wrote) and give
// valid JSON.
func TestCorpusAllMeta(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus.Need(t), "public", "*.xml"))
	n := 0
	for _, f := range files {
		switch filepath.Base(f) {
		case "assassingj__wordpress.xml", "wpimporter__crazy-cdata.xml", "wpimporter__malformed.xml", "wpimporter__malformed-simple.xml":
			continue // not well-formed
		}
		for _, p := range meta(t, f) {
			if !IsSerialized(p[1]) {
				continue
			}
			n++
			js, ok := ToJSON(p[1])
			if !ok || !json.Valid([]byte(js)) || !utf8.ValidString(js) {
				_, err := Decode(p[1])
				t.Errorf("%s %s %.100q: %v", filepath.Base(f), p[0], p[1], err)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d serialized meta values in the corpus", n)
	}
	t.Logf("%d serialized meta values", n)
}
