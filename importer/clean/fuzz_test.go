package clean

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/iotest"
	"time"

	"github.com/wparchive/wparchive/internal/corpus"
)

// FuzzReader checks, on any input: no panic; the output is valid UTF-8
// with no character XML forbids; reading the source one byte at a time
// gives the same output and report as reading it whole; the output grows
// at most a bounded amount per input byte; and the Reader never hangs.
// Seeds: the golden fixtures, the inputs of TestRepairs and the corpus
// files up to 64 KiB (bigger ones slow every run of the fuzzer down).
func FuzzReader(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(fixtures, "*", "input.xml"))
	if dir := corpus.Dir(); dir != "" {
		pub, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
		seeds = append(seeds, pub...)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"\xef\xbb\xbf\n<?xml version='1.0' encoding='ISO-8859-1'?><a b='&nbsp;'>caf\xe9 &x; \x01</a>",
		"<?xml version=\"1.0\" encoding=\"GBK\"?><a>\xbe\xb2</a>",
		"\xff\xfe<\x00?\x00x\x00m\x00l\x00 \x00?\x00>\x00",
		"<a><![CDATA[x]]>y]]>   <![CDATA[z]]></a>",
		"<!DOCTYPE a [<!ENTITY e \"]]>\">]><!-- -- --><?pi ?><a>]]></a>",
		"<a>\xe6\x97\xff\xfe\xfd\xfc\xed\xa0\x80\xef\xbf\xbf</a>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		type result struct {
			out []byte
			rep Report
			err error
		}
		run := func(r io.Reader) result {
			done := make(chan result, 1)
			go func() {
				z := NewReader(r)
				out, err := io.ReadAll(z)
				done <- result{out, z.Report(), err}
			}()
			select {
			case res := <-done:
				return res
			case <-time.After(10 * time.Second):
				t.Fatalf("no end after 10s on %d bytes", len(in))
				panic("unreachable")
			}
		}
		whole := run(bytes.NewReader(in))
		if whole.err != nil {
			t.Fatal(whole.err)
		}
		checkOutput(t, whole.out)
		// The longest replacement is 15 bytes (]]]]><![CDATA[>) for 3;
		// a UTF-16 byte pair can become 3 bytes.
		if len(whole.out) > 5*len(in)+16 {
			t.Fatalf("%d bytes out for %d in", len(whole.out), len(in))
		}
		one := run(iotest.OneByteReader(bytes.NewReader(in)))
		if one.err != nil {
			t.Fatal(one.err)
		}
		if !bytes.Equal(one.out, whole.out) {
			i := commonPrefix(one.out, whole.out)
			t.Fatalf("one byte at a time differs at %d: %q, whole %q", i, context(one.out, i), context(whole.out, i))
		}
		if !reflect.DeepEqual(one.rep, whole.rep) {
			t.Fatalf("one byte at a time: report %+v, whole %+v", one.rep, whole.rep)
		}
	})
}
