package clean

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/wparchive/wparchive/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/clean")

// fixtures is the folder of golden cases: <case>/input.xml, want.xml and
// report.json.
const fixtures = "../../testdata/clean"

// cleanAll returns the cleaned bytes of in, read in big chunks, and the
// report.
func cleanAll(t testing.TB, in []byte) ([]byte, Report) {
	t.Helper()
	z := NewReader(bytes.NewReader(in))
	out, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return out, z.Report()
}

// checkOutput fails when out is not valid UTF-8 or holds a character XML
// 1.0 forbids.
func checkOutput(t testing.TB, out []byte) {
	t.Helper()
	for i := 0; i < len(out); {
		r, n := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError && n == 1 {
			t.Fatalf("invalid UTF-8 at byte %d: %q", i, context(out, i))
		}
		if !isXMLChar(r) {
			t.Fatalf("forbidden character %U at byte %d: %q", r, i, context(out, i))
		}
		i += n
	}
}

func context(b []byte, i int) []byte {
	return b[max(0, i-20):min(len(b), i+20)]
}

// strict reads every token of data with encoding/xml in Strict mode.
func strict(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// corpusFiles returns every XML file of the shared corpus.
func corpusFiles(t testing.TB) []string {
	dir := corpus.Need(t)
	pub, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	syn, _ := filepath.Glob(filepath.Join(dir, "synthetic", "*.xml"))
	files := append(pub, syn...)
	if len(files) < 50 {
		t.Fatalf("corpus at %s: found only %d XML files", dir, len(files))
	}
	return files
}

// damaged lists the corpus files that are not well-formed because of
// damage this package repairs.
var damaged = map[string]bool{
	"assassingj__wordpress.xml":   true,
	"wpimporter__crazy-cdata.xml": true,
}

// TestCorpus checks that every file of the corpus that needs no repair
// passes through byte for byte with an empty report, and that the damaged
// ones come out well-formed.
func TestCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, rep := cleanAll(t, in)
			checkOutput(t, out)
			if !damaged[name] {
				if rep.Total() != 0 {
					t.Errorf("report on a file that needs no repair: %+v", rep)
				}
				if !bytes.Equal(out, in) {
					i := commonPrefix(out, in)
					t.Fatalf("output differs from input at byte %d: %q, input %q", i, context(out, i), context(in, i))
				}
				return
			}
			if rep.CDATAEnds.Count == 0 {
				t.Errorf("no unescaped ]]> repaired: %+v", rep)
			}
			if err := strict(out); err != nil {
				t.Errorf("cleaned output does not parse: %v", err)
			}
		})
	}
}

func commonPrefix(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// wxrValues decodes an export with encoding/xml in Strict mode and returns
// the text of each content:encoded and, per meta key, the meta value.
func wxrValues(t *testing.T, data []byte) (contents []string, meta map[string]string) {
	t.Helper()
	var doc struct {
		Items []struct {
			Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			Meta    []struct {
				Key   string `xml:"meta_key"`
				Value string `xml:"meta_value"`
			} `xml:"postmeta"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	meta = map[string]string{}
	for _, it := range doc.Items {
		contents = append(contents, it.Content)
		for _, m := range it.Meta {
			meta[m.Key] = m.Value
		}
	}
	return contents, meta
}

// TestCrazyCDATA checks that the export with raw ]]> inside CDATA decodes
// to the values expectations.md §2.4 gives for its escaped twin.
func TestCrazyCDATA(t *testing.T) {
	in, err := os.ReadFile(corpus.Public(t, "wpimporter__crazy-cdata.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if strict(in) == nil {
		t.Fatal("the raw file parses: the test no longer shows anything")
	}
	out, rep := cleanAll(t, in)
	contents, meta := wxrValues(t, out)
	if want := []string{"Content with nested <![CDATA[ tags ]]> :)"}; !reflect.DeepEqual(contents, want) {
		t.Errorf("content = %q, want %q", contents, want)
	}
	wantMeta := map[string]string{
		"Plain string":  "Foo",
		"Closing CDATA": "]]>",
		"Alot of CDATA": "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
	}
	if !reflect.DeepEqual(meta, wantMeta) {
		t.Errorf("postmeta = %q, want %q", meta, wantMeta)
	}
	if want := (Repair{Count: 4, Lines: []int{18, 38, 42, 42}}); !reflect.DeepEqual(rep.CDATAEnds, want) || rep.Total() != 4 {
		t.Errorf("report = %+v, want only cdata_ends %+v", rep, want)
	}

	// The escaped twin gives the same values without any repair.
	esc, err := os.ReadFile(corpus.Public(t, "wpimporter__crazy-cdata-escaped.xml"))
	if err != nil {
		t.Fatal(err)
	}
	escContents, escMeta := wxrValues(t, esc)
	if !reflect.DeepEqual(escContents, contents) || !reflect.DeepEqual(escMeta, meta) {
		t.Errorf("escaped twin decodes to %q %q", escContents, escMeta)
	}
}

// TestAssassingj checks the Chinese export whose QQ Zone posts wrap their
// content in a second CDATA section.
func TestAssassingj(t *testing.T) {
	in, err := os.ReadFile(corpus.Public(t, "assassingj__wordpress.xml"))
	if err != nil {
		t.Fatal(err)
	}
	out, rep := cleanAll(t, in)
	contents, _ := wxrValues(t, out)
	if len(contents) != 42 {
		t.Errorf("%d items, want 42", len(contents))
	}
	wrapped := 0
	for _, c := range contents {
		if strings.HasPrefix(c, "<![CDATA[") {
			wrapped++
			if !strings.HasSuffix(strings.TrimSpace(c), "]]>") {
				t.Errorf("content starts with <![CDATA[ but ends %q", c[max(0, len(c)-20):])
			}
		}
	}
	if wrapped != 8 {
		t.Errorf("%d contents wrapped in CDATA, want 8", wrapped)
	}
	if want := (Repair{Count: 8, Lines: []int{75, 99, 761, 799, 833}}); !reflect.DeepEqual(rep.CDATAEnds, want) || rep.Total() != 8 {
		t.Errorf("report = %+v, want only cdata_ends %+v", rep, want)
	}
}

// TestGolden walks testdata/clean/<case>: the cleaned input.xml must equal
// want.xml and the report report.json; -update rewrites both. The output
// must parse with encoding/xml in Strict mode; not-xml, which has no
// document start, must pass through unchanged.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(fixtures, "*", "input.xml"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases under %s", fixtures)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, rep := cleanAll(t, in)
			checkOutput(t, out)
			js, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			js = append(js, '\n')
			golden(t, filepath.Join(dir, "want.xml"), out)
			golden(t, filepath.Join(dir, "report.json"), js)
			err = strict(out)
			switch {
			case name == "not-xml":
				if rep.Total() != 0 || !bytes.Equal(out, in) {
					t.Errorf("not-xml changed: %+v", rep)
				}
			case err != nil:
				t.Errorf("cleaned output does not parse: %v", err)
			case name == "doctype-comments":
				if rep.Total() != 0 || !bytes.Equal(out, in) {
					t.Errorf("well-formed input changed: %+v", rep)
				}
			case rep.Total() == 0:
				t.Error("no repair reported")
			case rep.BOM.Count == 0 && rep.LeadingText.Count == 0 && strict(in) == nil:
				// Go accepts a BOM and text before <?xml (the text
				// becomes the root); other damage must fail.
				t.Error("the input parses: the case shows no damage")
			}
		})
	}
}

// golden compares got with the file path, or rewrites it with -update.
// On a mismatch it writes got beside it as path.have.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		os.WriteFile(path+".have", got, 0o644)
		i := commonPrefix(got, want)
		t.Errorf("%s differs at byte %d: got %q, want %q (written to .have)", filepath.Base(path), i, context(got, i), context(want, i))
	}
}

// TestRepairs checks single repairs on short inputs.
func TestRepairs(t *testing.T) {
	const decl = "<?xml version=\"1.0\"?>"
	tests := []struct {
		name, in, want string
		repairs        string // "kind:count …"
	}{
		{"tab lf cr kept", "<a>x\ty\nz\r</a>", "<a>x\ty\nz\r</a>", ""},
		{"control in text", "<a>a\x01b</a>", "<a>ab</a>", "illegal_chars:1"},
		{"controls in a row", "<a>a\x00\x01\x02b</a>", "<a>ab</a>", "illegal_chars:1"},
		{"control in cdata", "<a><![CDATA[a\x0bb]]></a>", "<a><![CDATA[ab]]></a>", "illegal_chars:1"},
		{"control in attribute", "<a b=\"x\x0cy\"/>", "<a b=\"xy\"/>", "illegal_chars:1"},
		{"control in comment", "<!--a\x1fb--><a/>", "<!--ab--><a/>", "illegal_chars:1"},
		{"U+FFFE", "<a>a\uFFFEb</a>", "<a>ab</a>", "illegal_chars:1"},
		{"U+FFFF in cdata", "<a><![CDATA[\uFFFF]]></a>", "<a><![CDATA[]]></a>", "illegal_chars:1"},
		{"U+FFFD kept", "<a>\uFFFD</a>", "<a>\uFFFD</a>", ""},
		{"reference to a control", "<a>x&#1;y&#x1F;z</a>", "<a>xyz</a>", "illegal_chars:2"},
		{"reference to a surrogate", "<a>&#xD800;</a>", "<a></a>", "illegal_chars:1"},
		{"lone e9 between letters", "<a>caf\xe9s</a>", "<a>cafés</a>", "windows_1252:1"},
		{"smart quotes", "<a>\x93hi\x94</a>", "<a>“hi”</a>", "windows_1252:2"},
		{"two letters", "<a>Gr\xf6\xdfe</a>", "<a>Größe</a>", "windows_1252:1"},
		{"latin in cdata", "<a><![CDATA[na\xefve]]></a>", "<a><![CDATA[naïve]]></a>", "windows_1252:1"},
		{"latin in attribute", "<a b=\"r\xe9\"/>", "<a b=\"ré\"/>", "windows_1252:1"},
		{"cut utf-8", "<a>\xe6\x97 x</a>", "<a>\uFFFD x</a>", "invalid_utf8:1"},
		{"cut utf-8 at end of text", "<a>\xe6\x97</a>", "<a>\uFFFD</a>", "invalid_utf8:1"},
		{"long run", "<a>\xff\xfe\xfd\xfc\xfb</a>", "<a>\uFFFD</a>", "invalid_utf8:1"},
		{"undefined in windows-1252", "<a>a\x81b</a>", "<a>a\uFFFDb</a>", "invalid_utf8:1"},
		{"surrogate bytes", "<a>\xed\xa0\x80</a>", "<a>\uFFFD</a>", "invalid_utf8:1"},
		{"overlong", "<a>\xc0\xaf</a>", "<a>\uFFFD</a>", "invalid_utf8:1"},
		{"after a control", "<a>\x01\xe9</a>", "<a>\uFFFD</a>", "illegal_chars:1 invalid_utf8:1"},
		{"before a control", "<a>\xe9\x01</a>", "<a>\uFFFD</a>", "illegal_chars:1 invalid_utf8:1"},
		{"valid utf-8 kept", "<a>é文😀</a>", "<a>é文😀</a>", ""},
		{"nbsp", "<a>a&nbsp;b</a>", "<a>a&#160;b</a>", "html_entities:1"},
		{"hellip laquo", "<a>&laquo;x&hellip;&raquo;</a>", "<a>&#171;x&#8230;&#187;</a>", "html_entities:3"},
		{"two code points", "<a>&NotEqualTilde;</a>", "<a>&#8770;&#824;</a>", "html_entities:1"},
		{"entity in attribute", "<a b='&eacute;'/>", "<a b='&#233;'/>", "html_entities:1"},
		{"upper-case X", "<a>&#X41;</a>", "<a>&#x41;</a>", "html_entities:1"},
		{"upper-case AMP", "<a>&AMP;</a>", "<a>&#38;</a>", "html_entities:1"},
		{"xml entities kept", "<a>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;</a>", "<a>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;</a>", ""},
		{"entity in cdata kept", "<a><![CDATA[&nbsp; & &x;]]></a>", "<a><![CDATA[&nbsp; & &x;]]></a>", ""},
		{"entity in comment kept", "<!-- &nbsp; & --><a/>", "<!-- &nbsp; & --><a/>", ""},
		{"bare ampersand", "<a>AT&T</a>", "<a>AT&amp;T</a>", "bare_ampersands:1"},
		{"ampersand space", "<a>a & b</a>", "<a>a &amp; b</a>", "bare_ampersands:1"},
		{"query string", "<a>?a=1&b=2</a>", "<a>?a=1&amp;b=2</a>", "bare_ampersands:1"},
		{"ampersand in attribute", "<a href=\"?a&b\"/>", "<a href=\"?a&amp;b\"/>", "bare_ampersands:1"},
		{"unknown name", "<a>&foo;</a>", "<a>&amp;foo;</a>", "bare_ampersands:1"},
		{"prefix of an entity", "<a>&notit;</a>", "<a>&amp;notit;</a>", "bare_ampersands:1"},
		{"no semicolon", "<a>&nbsp</a>", "<a>&amp;nbsp</a>", "bare_ampersands:1"},
		{"empty reference", "<a>&;&#;&#x;</a>", "<a>&amp;;&amp;#;&amp;#x;</a>", "bare_ampersands:3"},
		{"out of range", "<a>&#x110000;&#99999999999;</a>", "<a>&amp;#x110000;&amp;#99999999999;</a>", "bare_ampersands:2"},
		{"ampersand at end", "<a>x&", "<a>x&amp;", "bare_ampersands:1"},
		{"raw ]]> in cdata", "<a><![CDATA[a]]>b]]></a>", "<a><![CDATA[a]]]]><![CDATA[>b]]></a>", "cdata_ends:1"},
		{"escaped ]]> kept", "<a><![CDATA[a]]]]><![CDATA[>b]]></a>", "<a><![CDATA[a]]]]><![CDATA[>b]]></a>", ""},
		{"]]> then space then close", "<a><![CDATA[a]]> \n\t</a>", "<a><![CDATA[a]]> \n\t</a>", ""},
		{"]]]> ends", "<a><![CDATA[a]]]></a>", "<a><![CDATA[a]]]></a>", ""},
		{"]]> then start tag", "<a><![CDATA[a]]><b>]]></a>", "<a><![CDATA[a]]]]><![CDATA[><b>]]></a>", "cdata_ends:1"},
		{"cdata in cdata", "<a><![CDATA[<![CDATA[x]]>]]></a>", "<a><![CDATA[<![CDATA[x]]]]><![CDATA[>]]></a>", "cdata_ends:1"},
		{"]]> at end of input", "<a><![CDATA[a]]>", "<a><![CDATA[a]]>", ""},
		{"]]> in text", "<a>a[b[0]]>1</a>", "<a>a[b[0]]&gt;1</a>", "stray_cdata_ends:1"},
		{"]]> in attribute kept", "<a b=\"]]>\"/>", "<a b=\"]]>\"/>", ""},
		{"bom", "\xef\xbb\xbf" + decl + "<a/>", decl + "<a/>", "bom:1"},
		{"blank lines", "\n\n  " + decl + "<a/>", decl + "<a/>", "leading_text:1"},
		{"php notice", "Notice: x in y.php on line 3\n" + decl + "<a/>", decl + "<a/>", "leading_text:1"},
		{"rss without declaration", "junk\n<rss version=\"2.0\"></rss>", "<rss version=\"2.0\"></rss>", "leading_text:1"},
		{"rss before declaration", "junk <rss>" + decl + "</rss>", "<rss>" + decl + "</rss>", "leading_text:1"},
		{"rssfeed is no start", "<rssfeed/>" + decl + "<a/>", decl + "<a/>", "leading_text:1"},
		{"no document", "hello & <b>world</b>", "hello &amp; <b>world</b>", "bare_ampersands:1"},
		{"utf-8 declared", "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>é</a>", "<?xml version=\"1.0\" encoding=\"utf-8\"?><a>é</a>", ""},
		{"iso-8859-1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9 \xe9\xe9\xe9\xe9</a>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>café éééé</a>", "encoding:1"},
		{"iso-8859-1 with utf-8 cdata", "<?xml version='1.0' encoding='latin1'?><a>\xe9<![CDATA[é]]></a>", "<?xml version='1.0' encoding='UTF-8'?><a>é<![CDATA[é]]></a>", "encoding:1"},
		{"iso-8859-2 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><a>\xb1</a>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>ą</a>", "encoding:1"},
		{"us-ascii declared", "<?xml version=\"1.0\" encoding=\"us-ascii\"?><a>x</a>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>x</a>", "encoding:1"},
		{"unknown encoding", "<?xml version=\"1.0\" encoding=\"x-nonsense\"?><a>é\xe9</a>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>éé</a>", "encoding:1 windows_1252:1"},
		{"shift_jis declared", "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x93\xfa\x96\x7b</a>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>日本</a>", "encoding:1"},
		{"utf-16be without bom", "\x00<\x00?\x00x\x00m\x00l\x00 \x00v\x00e\x00r\x00s\x00i\x00o\x00n\x00=\x00'\x001\x00.\x000\x00'\x00?\x00>\x00<\x00a\x00>\x00\xe9\x00<\x00/\x00a\x00>", "<?xml version='1.0'?><a>é</a>", "encoding:1"},
		{"doctype", "<!DOCTYPE a [<!ENTITY e \"&x;]]>\">]><a>&amp;</a>", "<!DOCTYPE a [<!ENTITY e \"&x;]]>\">]><a>&amp;</a>", ""},
		{"processing instruction", "<?pi a&b ]]> ?><a/>", "<?pi a&b ]]> ?><a/>", ""},
		{"unterminated cdata", "<a><![CDATA[x]]", "<a><![CDATA[x]]", ""},
		{"truncated utf-8 at end", "<a>\xe6\x97", "<a>\uFFFD", "invalid_utf8:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, rep := cleanAll(t, []byte(tc.in))
			if string(out) != tc.want {
				t.Errorf("got  %q\nwant %q", out, tc.want)
			}
			checkOutput(t, out)
			got := map[string]int{}
			for k, r := range rep.All() {
				got[k] = r.Count
			}
			want := map[string]int{}
			for _, f := range strings.Fields(tc.repairs) {
				k, n, _ := strings.Cut(f, ":")
				want[k], _ = strconv.Atoi(n)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("repairs %v, want %v", got, want)
			}
			// The same in one-byte reads.
			z := NewReader(iotest.OneByteReader(strings.NewReader(tc.in)))
			out1, err := io.ReadAll(z)
			if err != nil || !bytes.Equal(out1, out) || !reflect.DeepEqual(z.Report(), rep) {
				t.Errorf("one byte at a time: %q, %v, %+v", out1, err, z.Report())
			}
		})
	}
}

// TestChunking checks that reading the source one byte at a time, in odd
// sizes, or with the data and io.EOF together gives the same output and
// the same report (line numbers included) as reading it whole.
func TestChunking(t *testing.T) {
	inputs := map[string][]byte{"long": longDamaged(3 * chunkSize)}
	files, _ := filepath.Glob(filepath.Join(fixtures, "*", "input.xml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(filepath.Dir(f))] = b
	}
	if dir := corpus.Dir(); dir != "" {
		for _, name := range []string{"assassingj__wordpress.xml", "wpimporter__crazy-cdata.xml", "wpimporter__wxr-utf-8-challenges.xml", "Roshanzheng__wordpress.xml"} {
			b, err := os.ReadFile(filepath.Join(dir, "public", name))
			if err != nil {
				t.Fatal(err)
			}
			inputs[name] = b
		}
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			want, wantRep := cleanAll(t, in)
			readers := map[string]io.Reader{
				"one byte": iotest.OneByteReader(bytes.NewReader(in)),
				"half":     iotest.HalfReader(bytes.NewReader(in)),
				"data+EOF": iotest.DataErrReader(bytes.NewReader(in)),
				"odd":      &oddReader{b: in},
			}
			for how, r := range readers {
				z := NewReader(r)
				got, err := io.ReadAll(z)
				if err != nil {
					t.Fatalf("%s: %v", how, err)
				}
				if !bytes.Equal(got, want) {
					i := commonPrefix(got, want)
					t.Errorf("%s: output differs at byte %d: %q, want %q", how, i, context(got, i), context(want, i))
				}
				if rep := z.Report(); !reflect.DeepEqual(rep, wantRep) {
					t.Errorf("%s: report %+v, want %+v", how, rep, wantRep)
				}
			}
			// The Reader itself behaves as an io.Reader should.
			if err := iotest.TestReader(NewReader(bytes.NewReader(in)), want); err != nil {
				t.Error(err)
			}
		})
	}
}

// oddReader returns 1, 2, 3, … 17 bytes per call in turn.
type oddReader struct {
	b []byte
	n int
}

func (r *oddReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	r.n = r.n%17 + 1
	n := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[n:]
	return n, nil
}

// longDamaged returns a document of about size bytes with one repair of
// each kind in the body every few hundred lines; damageLines lists where.
func longDamaged(size int) []byte {
	var b bytes.Buffer
	b.WriteString("\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss>\n")
	line := 5
	for b.Len() < size {
		if line%97 == 0 {
			fmt.Fprintf(&b, "<p>caf\xe9 \x01 &nbsp; a&b \xff\xfe\xfd\xfc <![CDATA[x]]>y]]></p>\n")
		} else {
			fmt.Fprintf(&b, "<p>line %d: 静夜思 <![CDATA[&nbsp; ]] >]]></p>\n", line)
		}
		line++
	}
	b.WriteString("</rss>\n")
	return b.Bytes()
}

// TestLineNumbers checks the line numbers reported for damage spread over
// several windows of input.
func TestLineNumbers(t *testing.T) {
	in := longDamaged(4 * chunkSize)
	_, rep := cleanAll(t, in)
	var want []int
	for l := 97; len(want) < maxLines; l += 97 {
		want = append(want, l)
	}
	n := bytes.Count(in, []byte("caf\xe9"))
	for _, r := range []Repair{rep.Windows1252, rep.IllegalChars, rep.HTMLEntities, rep.BareAmpersands, rep.InvalidUTF8, rep.CDATAEnds} {
		if !reflect.DeepEqual(r.Lines, want) || r.Count != n {
			t.Errorf("repair %+v, want count %d lines %v", r, n, want)
		}
	}
	if want := (Repair{Count: 1, Lines: []int{1}}); !reflect.DeepEqual(rep.LeadingText, want) || rep.LineOffset != 2 {
		t.Errorf("leading text %+v offset %d, want %+v offset 2", rep.LeadingText, rep.LineOffset, want)
	}
}

// TestLargeInputBounded reads 64 MiB of damaged input and checks that the
// Reader's buffers stay small and that it allocates per call, not per
// byte.
func TestLargeInputBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping 64 MiB read")
	}
	unit := longDamaged(chunkSize)
	src := &repeatReader{unit: unit, left: 64 << 20}
	z := NewReader(src)
	buf := make([]byte, 32<<10)
	var total int
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for {
		n, err := z.Read(buf)
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	allocs := after.Mallocs - before.Mallocs
	if total < 64<<20 {
		t.Fatalf("read %d bytes", total)
	}
	if cap(z.in) > chunkSize || cap(z.out) > 8*chunkSize {
		t.Errorf("buffers grew: in %d, out %d bytes", cap(z.in), cap(z.out))
	}
	// One window and a few output buffers, entity names, the lines of
	// the report: a fixed number, whatever the size.
	if allocs > 200 {
		t.Errorf("%d allocations for 64 MiB", allocs)
	}
}

// repeatReader yields unit again and again, left bytes in all.
type repeatReader struct {
	unit []byte
	off  int
	left int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	p = p[:min(len(p), r.left)]
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.unit[r.off:])
		n += c
		r.off = (r.off + c) % len(r.unit)
	}
	r.left -= n
	return n, nil
}

// TestNoDocumentWithinLimit checks that text without a document start in
// the first MiB passes through unchanged.
func TestNoDocumentWithinLimit(t *testing.T) {
	in := append(bytes.Repeat([]byte("PHP Warning: no export here\n"), prologLimit/28+10), "<?xml version=\"1.0\"?><rss/>"...)
	out, rep := cleanAll(t, in)
	if !bytes.Equal(out, in) || rep.Total() != 0 {
		t.Errorf("input changed (%d → %d bytes), report %+v", len(in), len(out), rep)
	}
	// Read one byte at a time, the search must not start over each time
	// (it did: quadratic, a MiB took minutes).
	out, err := io.ReadAll(NewReader(iotest.OneByteReader(bytes.NewReader(in))))
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("one byte at a time: input changed (%d → %d bytes), %v", len(in), len(out), err)
	}
	// Just inside the limit the junk is dropped.
	in = append(bytes.Repeat([]byte("PHP Warning: x\n"), 1000), "<?xml version=\"1.0\"?><rss/>"...)
	out, rep = cleanAll(t, in)
	if string(out) != "<?xml version=\"1.0\"?><rss/>" || rep.LeadingText.Count != 1 || rep.LineOffset != 1000 {
		t.Errorf("got %q, report %+v", out[:min(len(out), 40)], rep)
	}
}

// TestSourceError checks that an error from the source comes after the
// bytes read before it.
func TestSourceError(t *testing.T) {
	src := io.MultiReader(strings.NewReader("<?xml version=\"1.0\"?><a>caf"), iotest.ErrReader(io.ErrUnexpectedEOF))
	z := NewReader(src)
	out, err := io.ReadAll(z)
	if err != io.ErrUnexpectedEOF {
		t.Errorf("err = %v", err)
	}
	if string(out) != "<?xml version=\"1.0\"?><a>caf" {
		t.Errorf("out = %q", out)
	}
}

// TestReportJSON checks the JSON form of a report.
func TestReportJSON(t *testing.T) {
	_, rep := cleanAll(t, []byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<a>&nbsp;\n&nbsp;</a>"))
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"bom":{"count":1,"lines":[1]},"encoding":{"count":1,"lines":[1]},"html_entities":{"count":2,"lines":[2,3]},"declared_encoding":"windows-1252"}`
	if string(js) != want {
		t.Errorf("got  %s\nwant %s", js, want)
	}
	if rep.Total() != 4 {
		t.Errorf("Total = %d, want 4", rep.Total())
	}
	var names []string
	for k := range rep.All() {
		names = append(names, k)
		if Describe(k) == "" {
			t.Errorf("no description for %s", k)
		}
	}
	if want := []string{"bom", "encoding", "html_entities"}; !reflect.DeepEqual(names, want) {
		t.Errorf("All yields %v, want %v", names, want)
	}
}

// nextCDATA finds the first byte cdataSpecial marks as a byte-by-byte
// scan does, over random text dense in the bytes that matter and at every
// start (so words straddle every alignment).
func TestNextCDATA(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab <>&]['\"-?\t\n\r\x00\x1f\x7f\x80\xe4\xff")
	for range 2000 {
		in := make([]byte, rng.IntN(80))
		for i := range in {
			if rng.IntN(8) == 0 {
				in[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				in[i] = byte(' ' + rng.IntN(95))
			}
		}
		for i := range len(in) + 1 {
			want := i
			for want < len(in) && !cdataSpecial[in[want]] {
				want++
			}
			if got := nextCDATA(in, i); got != want {
				t.Fatalf("nextCDATA(%q, %d) = %d, want %d", in, i, got, want)
			}
		}
	}
}
