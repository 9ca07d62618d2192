package xmlscan

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/wparchive/wparchive/internal/corpus"
)

func charsetReader(label string, in io.Reader) (io.Reader, error) {
	return charset.NewReaderLabel(label, in)
}

// step is one Token call: the token (copied) or the error, and the
// position after it.
type step struct {
	tok    xml.Token
	err    string
	offset int64
	line   int
}

func (s step) String() string {
	if s.err != "" {
		return fmt.Sprintf("error %s (offset %d line %d)", s.err, s.offset, s.line)
	}
	return fmt.Sprintf("%T %#v (offset %d line %d)", s.tok, s.tok, s.offset, s.line)
}

type tokenizer interface {
	Token() (xml.Token, error)
	InputOffset() int64
	InputPos() (int, int)
}

// describe gives an error's kind and message as the comparison sees it:
// syntax errors by message and line, EOF as itself, others by text.
func describe(err error) string {
	var se *xml.SyntaxError
	switch {
	case err == io.EOF:
		return "EOF"
	case errors.As(err, &se):
		return fmt.Sprintf("syntax line %d: %s", se.Line, se.Msg)
	}
	return "other: " + err.Error()
}

func run(t tokenizer, max int) []step {
	var steps []step
	for i := 0; i < max; i++ {
		tok, err := t.Token()
		line, _ := t.InputPos()
		s := step{offset: t.InputOffset(), line: line}
		if err != nil {
			s.err = describe(err)
			steps = append(steps, s)
			break
		}
		s.tok = xml.CopyToken(tok)
		steps = append(steps, s)
	}
	return steps
}

func stdDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	return d
}

func scanDecoder(r io.Reader) *Decoder {
	d := NewDecoder(r)
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	return d
}

// compare runs both decoders over in and reports the first difference.
// oneByte feeds this package's decoder one byte per Read, to cross every
// buffer boundary.
func compare(t *testing.T, name string, in []byte, oneByte bool) {
	t.Helper()
	const max = 1 << 22
	want := run(stdDecoder(bytes.NewReader(in)), max)
	var r io.Reader = bytes.NewReader(in)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	got := run(scanDecoder(r), max)
	n := min(len(want), len(got))
	for i := 0; i < n; i++ {
		if !reflect.DeepEqual(want[i], got[i]) {
			t.Fatalf("%s: token %d:\nencoding/xml %v\nxmlscan      %v", name, i, want[i], got[i])
		}
	}
	if len(want) != len(got) {
		t.Fatalf("%s: encoding/xml gave %d tokens, xmlscan %d", name, len(want), len(got))
	}
}

func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	add := func(glob string) {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files[p] = b
		}
	}
	add("../../testdata/seed/*.xml")
	add("../../testdata/clean/*/*")
	add("../../bench/10mb.xml")
	dir := corpus.Need(t)
	add(filepath.Join(dir, "public", "*.xml"))
	add(filepath.Join(dir, "synthetic", "*.xml"))
	return files
}

// TestSameAsEncodingXML holds the Decoder to encoding/xml over every
// corpus file, the seed and generated exports: the same tokens, offsets,
// lines and errors.
func TestSameAsEncodingXML(t *testing.T) {
	files := inputs(t)
	if len(files) < 10 {
		t.Fatalf("only %d inputs", len(files))
	}
	gen := filepath.Join(t.TempDir(), "gen.xml")
	cmd := exec.Command("go", "run", "./cmd/wxrgen", "-q", "-posts", "300", "-seed", "7", "-o", gen)
	cmd.Dir = "../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wxrgen: %v\n%s", err, out)
	}
	b, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	files["generated"] = b
	for name, in := range files {
		compare(t, name, in, false)
		if len(in) < 2<<20 {
			compare(t, name+" (one byte per read)", in, true)
		}
	}
}

// Cut short anywhere, an export gives the same tokens and the same error.
func TestTruncatedSameAsEncodingXML(t *testing.T) {
	in, err := os.ReadFile("../../testdata/seed/central-asia.xml")
	if err != nil {
		t.Fatal(err)
	}
	step := max(1, len(in)/997)
	for n := 0; n < len(in); n += step {
		compare(t, fmt.Sprintf("seed[:%d]", n), in[:n], false)
	}
}

// cases are small documents that exercise each rule; the fuzz target
// starts from them.
var cases = []string{
	``,
	`<a/>`,
	`<a></a>`,
	`<a>x</b>`,
	`</a>`,
	`<a><b></a>`,
	`<a>`,
	`<a>text`,
	`text`,
	`<a>]]></a>`,
	`<a><![CDATA[x]]y]]]>]]></a>`,
	`<a><![CDATA[unfinished`,
	`<a><![CDATA[a]]><![CDATA[b]]>c</a>`,
	`<a><!-- c -- d --></a>`,
	`<a><!-- ok ---></a>`,
	`<a><!----></a>`,
	`<a><!- x --></a>`,
	`<a><![CDAT[x]]></a>`,
	`<?xml version="1.0" encoding="UTF-8"?><a/>`,
	`<?xml version="1.1"?><a/>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><a>caf` + "\xe9" + `</a>`,
	`<?xml version="1.0" encoding="windows-1252"?><a t="` + "\x93" + `q` + "\x94" + `">` + "\x80" + `</a>`,
	`<?xml version="1.0" encoding="no-such"?><a/>`,
	`<?pi some data?><a/>`,
	`<??><a/>`,
	`<!DOCTYPE rss [<!ENTITY x "y"> <!-- c --> ]><a/>`,
	`<!DOCTYPE a '>' "<"><a/>`,
	`<a b="1" c='2' d = "3"/>`,
	`<a b=1/>`,
	`<a b/>`,
	`<a b="<"/>`,
	`<a b="]]>"/>`,
	`<a b="x&amp;y&#65;&#x42;&lt;"/>`,
	`<a b="x` + "\r\n" + `y"/>`,
	`<a / >`,
	`<a/ >`,
	`<a>&amp;&lt;&gt;&apos;&quot;&nbsp;&eacute;&hellip;</a>`,
	`<a>&unknown;</a>`,
	`<a>&amp</a>`,
	`<a>& b</a>`,
	`<a>&;</a>`,
	`<a>&#;</a>`,
	`<a>&#x;</a>`,
	`<a>&#65</a>`,
	`<a>&#0;</a>`,
	`<a>&#xD800;</a>`,
	`<a>&#x110000;</a>`,
	`<a>&#99999999999999999999;</a>`,
	`<a>&#x1F600;</a>`,
	"<a>\x01</a>",
	"<a>\xff</a>",
	"<a>\xef\xbf\xbe</a>",
	"<a>\xed\xa0\x80</a>",
	"<a><![CDATA[\x02]]></a>",
	"<a>x\r\ny\rz\r\r\n</a>",
	"<a><![CDATA[x\r\ny\r]]></a>",
	"<a>\r</a>",
	"<a>\n\n\n</b>",
	"<a\n\nb='1'\n\n>\n</a\n\n>",
	`<rss xmlns:wp="http://wordpress.org/export/1.2/"><wp:a wp:b="1" c="2">t</wp:a></rss>`,
	`<rss><wp:a>undeclared prefix</wp:a></rss>`,
	`<a xmlns="urn:x"><b xmlns=""><c/></b><d/></a>`,
	`<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/><p:c/></p:a>`,
	`<p:a xmlns:p="urn:1"></q:a>`,
	`<p:a xmlns:p="urn:1"></a>`,
	`<a:b:c/>`,
	`<:a/>`,
	`<a: />`,
	`<xml:a xml:lang="en"/>`,
	`<a xmlns:xmlns="urn:x"/>`,
	`<1a/>`,
	`<a 1b="x"/>`,
	`<é/>`,
	`<a·b/>`,
	"<a\xffb/>",
	`<a>x</a><b>second root</b>`,
	`<a>x</a>trailing`,
	`< a/>`,
	`<a></ a>`,
	`<a></a x>`,
	`<a><!DOCTYPE x></a>`,
	`<a><!x<y>z></a>`,
	`<a><!x<!-- c -->y></a>`,
}

// TestCases runs the rule cases whole, one byte per read, and cut short
// at every byte.
func TestCases(t *testing.T) {
	for _, c := range cases {
		compare(t, fmt.Sprintf("%q", c), []byte(c), false)
		compare(t, fmt.Sprintf("%q one byte per read", c), []byte(c), true)
		for n := 0; n < len(c); n++ {
			compare(t, fmt.Sprintf("%q[:%d]", c, n), []byte(c[:n]), false)
		}
	}
}

// A reader's error reaches the caller as itself, after the tokens read
// before it, as from encoding/xml.
func TestReaderError(t *testing.T) {
	boom := errors.New("boom")
	for _, n := range []int{0, 3, 10, 20, 31} {
		in := `<a b="c">text<![CDATA[more]]></a>`[:n]
		want := run(stdDecoder(io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom))), 100)
		got := run(scanDecoder(io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom))), 100)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("cut at %d:\nencoding/xml %v\nxmlscan      %v", n, want, got)
		}
	}
}

func FuzzSameAsEncodingXML(f *testing.F) {
	for _, c := range cases {
		f.Add([]byte(c))
	}
	f.Add([]byte(`<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>A &amp; B</title><wp:postmeta><wp:meta_key><![CDATA[k]]></wp:meta_key></wp:postmeta></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		want := run(stdDecoder(bytes.NewReader(in)), 10000)
		got := run(scanDecoder(bytes.NewReader(in)), 10000)
		if !reflect.DeepEqual(want, got) {
			n := min(len(want), len(got))
			for i := 0; i < n; i++ {
				if !reflect.DeepEqual(want[i], got[i]) {
					t.Fatalf("token %d:\nencoding/xml %v\nxmlscan      %v", i, want[i], got[i])
				}
			}
			t.Fatalf("encoding/xml gave %d tokens, xmlscan %d", len(want), len(got))
		}
	})
}

// BenchmarkTokens reads the generated 10 MB export (make bench writes it
// into bench/) with xmlscan (Next, and Token as encoding/xml gives them)
// and with encoding/xml. Besides wall time it
// reports the process's CPU time per op (cpu-ms/op), the steadier figure
// on a shared machine.
func BenchmarkTokens(b *testing.B) {
	in, err := os.ReadFile("../../bench/10mb.xml")
	if err != nil {
		b.Skip("no bench/10mb.xml: go run ./cmd/wxrgen -size 10MB -seed 1 -o bench/10mb.xml")
	}
	b.Run("xmlscan-next", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		cpu0 := processCPU()
		defer func() {
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		}()
		tokens := 0
		for b.Loop() {
			d := scanDecoder(bytes.NewReader(in))
			for {
				if _, err := d.Next(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
				tokens++
			}
		}
		b.ReportMetric(float64(tokens)/float64(b.N), "tokens/op")
	})
	for _, impl := range []string{"xmlscan", "encoding-xml"} {
		b.Run(impl, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			cpu0 := processCPU()
			defer func() {
				b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}()
			for b.Loop() {
				var t tokenizer = scanDecoder(bytes.NewReader(in))
				if impl != "xmlscan" {
					t = stdDecoder(bytes.NewReader(in))
				}
				for {
					if _, err := t.Token(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// processCPU returns the user and system CPU time of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TokenLine is the line InputPos gave before Next, for every token of
// every input, read whole and one byte per read, and for the token a
// reader's error cuts short. MarkLine is the line InputPos gave at the
// Mark, a few tokens on.
func TestTokenLine(t *testing.T) {
	check := func(name string, r io.Reader) {
		t.Helper()
		d := scanDecoder(r)
		var marked []int // lines of the last marks
		for i := 0; ; i++ {
			want, _ := d.InputPos()
			if i%5 == 0 {
				d.Mark()
				marked = append(marked[:0], want)
			}
			_, err := d.Next()
			if got := d.TokenLine(); got != want {
				t.Fatalf("%s: token %d: TokenLine %d, InputPos before it %d", name, i, got, want)
			}
			if i%5 == 3 {
				if got := d.MarkLine(); got != marked[0] {
					t.Fatalf("%s: token %d: MarkLine %d, InputPos at the Mark %d", name, i, got, marked[0])
				}
			}
			if err != nil {
				return
			}
		}
	}
	for name, in := range inputs(t) {
		check(name, bytes.NewReader(in))
		if len(in) < 2<<20 {
			check(name+" (one byte per read)", iotest.OneByteReader(bytes.NewReader(in)))
		}
	}
	for _, c := range cases {
		check(fmt.Sprintf("%q", c), iotest.OneByteReader(strings.NewReader(c)))
	}
	// A reader that fails in the middle of a long token, as importer's
	// limits do, asks for the line of the token being read: that of its
	// start, whether the token is kept in the buffer while it is read
	// (text, CDATA) or dropped from it (text with entities, a comment).
	boom := errors.New("boom")
	for _, body := range []string{
		strings.Repeat("x\n", 10000),
		strings.Repeat("&amp;\n", 10000),
		"<![CDATA[" + strings.Repeat("x\n", 10000) + "]]>",
		"<!--" + strings.Repeat("x\n", 10000) + "-->",
	} {
		in := "<a>\n\n<b>" + body + "</b></a>"
		for _, cut := range []int{5000, 19000} {
			p := &probe{r: io.MultiReader(strings.NewReader(in[:cut]), iotest.ErrReader(boom))}
			p.d = scanDecoder(p)
			p.d.Next()
			p.d.Mark() // after <a>, on line 1
			var err error
			for err == nil {
				_, err = p.d.Next()
			}
			if err != boom || p.line != 3 {
				t.Errorf("%.20q cut at %d: %v, the reader failed on line %d, want boom on line 3", body, cut, err, p.line)
			}
			if l := p.d.MarkLine(); l != 1 {
				t.Errorf("%.20q cut at %d: MarkLine %d, want 1", body, cut, l)
			}
		}
	}
}

// probe asks its Decoder for TokenLine when its reader fails.
type probe struct {
	r    io.Reader
	d    *Decoder
	line int
}

func (p *probe) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err != nil && err != io.EOF {
		p.line = p.d.TokenLine()
	}
	return n, err
}

// checkCharsRef is checkChars one character at a time, as encoding/xml
// checks them.
func checkCharsRef(s []byte) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "invalid UTF-8"
		}
		if !isInCharacterRange(r) {
			return fmt.Sprintf("illegal character code %U", r)
		}
		i += size
	}
	return ""
}

// checkChars gives the message of checkCharsRef for every sequence of
// two bytes after ASCII text of every length up to 24 (so sequences
// straddle its words), and for random text dense in controls and
// multi-byte sequences, valid or not.
func TestCheckChars(t *testing.T) {
	ascii := []byte("The quick brown fox jumps")
	for n := range 24 {
		for b := range 1 << 16 {
			s := append(append([]byte{}, ascii[:n]...), byte(b>>8), byte(b))
			if got, want := checkChars(s), checkCharsRef(s); got != want {
				t.Fatalf("checkChars(%q) = %q, want %q", s, got, want)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "b c", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "é", "静", "😀",
		"\xed\xa0\x80", "\xef\xbf\xbe", "\xef\xbf\xbd", "\xe0\x80\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\x80", "\xff", "\xe4\xb8"}
	for range 200000 {
		var s []byte
		for range rng.IntN(12) {
			if rng.IntN(3) == 0 {
				s = append(s, pieces[rng.IntN(len(pieces))]...)
			} else {
				s = append(s, "plain text "[:rng.IntN(11)]...)
			}
		}
		if got, want := checkChars(s), checkCharsRef(s); got != want {
			t.Fatalf("checkChars(%q) = %q, want %q", s, got, want)
		}
	}
}

// With SkipSpace before every Next, a Decoder gives the tokens and the
// error it gives without, less white space text: every input, read whole
// and one byte per read (when SkipSpace can see less), and the cases.
func TestSkipSpace(t *testing.T) {
	for name, in := range inputs(t) {
		checkSkipSpace(t, name, in)
	}
	for _, c := range cases {
		checkSkipSpace(t, fmt.Sprintf("%q", c), []byte(c))
		checkSkipSpace(t, fmt.Sprintf("%q spaced", c), []byte(strings.ReplaceAll(c, "><", ">\n \t<")))
	}
}

// checkSkipSpace fails t if a Decoder that calls SkipSpace before every
// Next gives other tokens or another error than one that does not, less
// white space text (read whole, and one byte per read when in is small).
func checkSkipSpace(t *testing.T, name string, in []byte) {
	t.Helper()
	isSpace := func(b []byte) bool { return len(bytes.Trim(b, " \t\r\n")) == 0 }
	tokens := func(d *Decoder, skip bool) []string {
		var out []string
		for {
			if skip {
				d.SkipSpace()
			}
			tok, err := d.Next()
			if err != nil {
				return append(out, describe(err))
			}
			if tok.Kind == KindText && isSpace(tok.Text) {
				continue
			}
			var v xml.Token
			switch tok.Kind {
			case KindStart:
				v = tok.Start
			case KindEnd:
				v = tok.End
			case KindText:
				v = xml.CharData(tok.Text)
			default:
				v = tok.Other
			}
			out = append(out, fmt.Sprintf("%#v", v))
		}
	}
	want := tokens(scanDecoder(bytes.NewReader(in)), false)
	readers := []io.Reader{bytes.NewReader(in)}
	if len(in) < 2<<20 {
		readers = append(readers, iotest.OneByteReader(bytes.NewReader(in)))
	}
	for _, r := range readers {
		got := tokens(scanDecoder(r), true)
		if !reflect.DeepEqual(got, want) {
			n := 0
			for n < min(len(got), len(want)) && got[n] == want[n] {
				n++
			}
			t.Fatalf("%s: token %d differs with SkipSpace (%d tokens, %d without)", name, n, len(got), len(want))
		}
	}
}

// SimpleText after a start element gives what Next gives, or nothing:
// a Decoder that calls it after every start element, run beside one that
// only calls Next, reads the same data, ends the same elements at the
// same offsets and lines, and fails the same way (every input, read whole
// and one byte per read, and the rule cases).
func TestSimpleText(t *testing.T) {
	check := func(name string, in []byte, oneByte bool) int {
		t.Helper()
		return checkSimpleText(t, name, in, oneByte)
	}
	total := 0
	for name, in := range inputs(t) {
		total += check(name, in, false)
		if len(in) < 2<<20 {
			check(name, in, true)
		}
	}
	if total == 0 {
		t.Fatal("SimpleText never read an element")
	}
	for _, c := range cases {
		check(fmt.Sprintf("%q", c), []byte(c), false)
		for _, extra := range simpleCases {
			check(fmt.Sprintf("%q in %q", extra, c), []byte("<r>"+extra+c+"</r>"), false)
		}
	}
}

// simpleCases are elements SimpleText reads or must leave to Next.
var simpleCases = []string{"<a>x</a>", "<a></a>", "<a><![CDATA[x]]></a>", "<a><![CDATA[\r]]></a>", "<a>x\x01</a>", "<a>&amp;</a>", "<a>x</a >", "<a>]]></a>", "<a><![CDATA[x]]>y</a>"}

// checkSimpleText runs a Decoder that calls SimpleText after every start
// element beside one that only calls Next, and fails t at the first
// difference. It returns how many elements SimpleText read.
func checkSimpleText(t *testing.T, name string, in []byte, oneByte bool) (simple int) {
	t.Helper()
	var ra, rb io.Reader = bytes.NewReader(in), bytes.NewReader(in)
	if oneByte {
		ra, rb = iotest.OneByteReader(ra), iotest.OneByteReader(rb)
	}
	a, b := scanDecoder(ra), scanDecoder(rb)
	for i := 0; ; i++ {
		tb, errb := b.Next()
		ta, erra := a.Next()
		if (erra == nil) != (errb == nil) || erra != nil && describe(erra) != describe(errb) {
			t.Fatalf("%s: token %d: error %v, with SimpleText %v", name, i, erra, errb)
		}
		if erra != nil {
			return simple
		}
		if ta.Kind != tb.Kind || a.InputOffset() != b.InputOffset() {
			t.Fatalf("%s: token %d: kind %d at %d, with SimpleText %d at %d", name, i, ta.Kind, a.InputOffset(), tb.Kind, b.InputOffset())
		}
		if tb.Kind != KindStart {
			continue
		}
		data, ok := b.SimpleText()
		if !ok {
			continue
		}
		simple++
		data = bytes.Clone(data)
		ta, erra = a.Next()
		if erra == nil && (len(data) > 0 || ta.Kind == KindText) { // an empty CDATA section is a token
			if ta.Kind != KindText || !bytes.Equal(ta.Text, data) {
				t.Fatalf("%s: token %d: SimpleText %q, Next %d %q", name, i, data, ta.Kind, ta.Text)
			}
			ta, erra = a.Next()
		}
		if erra != nil || ta.Kind != KindEnd || ta.End != b.tok.End || a.InputOffset() != b.InputOffset() || a.TokenLine() != b.TokenLine() {
			t.Fatalf("%s: token %d: after SimpleText %q, Next gives %v %v at %d line %d, SimpleText left %v at %d line %d",
				name, i, data, ta, erra, a.InputOffset(), a.TokenLine(), b.tok.End, b.InputOffset(), b.TokenLine())
		}
	}
}

// FuzzReadShortcuts holds SimpleText and SkipSpace to Next on any input.
func FuzzReadShortcuts(f *testing.F) {
	for _, c := range cases {
		f.Add([]byte(c))
	}
	for _, c := range simpleCases {
		f.Add([]byte("<r>\n " + c + "\n</r>"))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkSimpleText(t, "input", in, false)
		checkSkipSpace(t, "input", in)
	})
}
