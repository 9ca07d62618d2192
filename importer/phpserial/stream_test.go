package phpserial

import (
	"strings"
	"testing"
)

// streamCases are values that take each way through the streamer and
// each of its ways out to Decode.
var streamCases = []string{
	`N;`, `b:1;`, `b:0;`, `i:-12;`, `i:+7;`, `i:99999999999999999999;`, `d:0.5;`, `d:5;`, `d:NAN;`, `d:-INF;`, `d:1E+25;`, `d:1.0E-7;`,
	`s:3:"foo";`, `s:0:"";`, "s:5:\"\xff\xfe\x00\x01\";", `s:10:"x";`, `S:3:"a\41b";`,
	`a:0:{}`, `a:2:{i:0;s:1:"a";i:1;s:1:"b";}`, `a:2:{s:1:"0";i:1;s:1:"1";i:2;}`,
	`a:2:{i:1;s:1:"a";i:0;s:1:"b";}`, `a:3:{i:0;s:1:"a";i:1;s:1:"b";i:3;s:1:"c";}`,
	`a:2:{i:0;N;s:1:"x";N;}`, `a:1:{s:2:"01";b:1;}`, `a:1:{s:2:"-0";b:1;}`, `a:1:{i:99999999999999999999;b:1;}`,
	`a:1:{s:3:"key";a:2:{s:3:"foo";s:13:"¯\_(ツ)_/¯";s:3:"bar";s:3:"\o/";}}`,
	`O:8:"stdClass":2:{s:1:"a";i:1;i:5;a:0:{}}`, `O:8:"stdClass":0:{}`,
	"O:3:\"Foo\":2:{s:8:\"\x00Foo\x00bar\";i:1;s:6:\"\x00*\x00baz\";i:2;}",
	"O:3:\"Foo\":2:{s:3:\"bar\";i:1;s:8:\"\x00Foo\x00bar\";i:2;}",
	`a:2:{i:0;a:0:{}i:1;R:2;}`, `a:2:{i:0;i:7;i:1;r:2;}`, `a:1:{s:5:"color";s:9:"color:red";}`,
	`a:1:{i:0;s:4:"R:2;";}`, `a:2:{s:1:"r";s:2:"r:";s:1:"R";a:1:{i:0;r:1;}}`, `a:1:{i:0;R:1;}`, `a:1:{R:1;i:0;}`,
	`a:1:{i:0;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}}`, `E:11:"Suit:Hearts";`,
	`a:2:{s:3:"url";s:30:"http://a.io";s:1:"n";i:1;}`, `a:2:{s:1:"a";s:10:"x";y";s:1:"b";i:2;}`,
	"a:1:{s:4:\"text\";s:12:\"one\ntwo\nend\";}", "  a:1:{i:0;i:1;}\n",
	`a:1:{i:0;i:1;}x`, `a:2:{i:0;i:1;}`, `a:1:{i:0;i:1;`, `a:-1:{}`, `a:1:{d:0.5;i:1;}`, `O:3:"Foo":1:{}`,
	`i:-0;`, `i:007;`, `i:-;`, `i:;`, `i:1`, `i:9223372036854775807;`, `i:-9223372036854775808;`, `i:999999999999999999;`, `i:-999999999999999999;`,
	`s:+3:"foo";`, `s:-3:"foo";`, `s:03:"foo";`, `s:3"foo";`, `s::"";`, `s:999999999999999999:"x";`, `s:9999999999999999999:"x";`,
	`a:+1:{i:0;i:1;}`, `a:01:{i:0;i:1;}`, `a:1:{i:+0;i:1;}`, `a:1:{i:-0;i:1;}`, `a:1:{i:-5;i:1;}`, `a:1:{i:00;i:1;}`,
	`a:2:{s:1:"a";s:1:"x";s:1:"b";i:2;}`, `a:1:{s:1:"a";s:1:"x";`, `a:999999999999999999:{}`, `a:1:{i:0;s:3:"a";b";}`,
	strings.Repeat(`a:1:{i:0;`, MaxDepth+1) + `N;` + strings.Repeat(`}`, MaxDepth+1),
	strings.Repeat(`a:1:{i:0;`, MaxDepth) + `N;` + strings.Repeat(`}`, MaxDepth),
}

// TestToJSONAsBefore holds ToJSON to toJSONOld on values that take every
// path of the streamer.
func TestToJSONAsBefore(t *testing.T) {
	for _, s := range streamCases {
		got, ok := ToJSON(s)
		want, wok := toJSONOld(s)
		if got != want || ok != wok {
			t.Errorf("ToJSON(%.80q) = %.80q %v, before %.80q %v", s, got, ok, want, wok)
		}
	}
}

// TestStreamTakesCommonValues checks that the streamer, not the general
// path, answers the usual values, so that the speed-up is not lost
// without a test noticing.
func TestStreamTakesCommonValues(t *testing.T) {
	for _, s := range []string{
		`a:2:{i:0;s:1:"a";i:1;s:1:"b";}`, `a:1:{s:3:"key";a:2:{s:3:"foo";s:1:"x";s:3:"bar";d:0.5;}}`,
		`O:8:"stdClass":1:{s:1:"a";b:1;}`, `a:0:{}`, `i:3;`, `a:2:{s:1:"a";s:10:"x";y";s:1:"b";i:2;}`,
	} {
		if _, ok := streamJSON(s, 8*len(s)+1<<10); !ok {
			t.Errorf("streamJSON(%q) gave up", s)
		}
	}
	for _, s := range []string{`a:2:{i:0;i:1;i:2;i:2;}`, "O:1:\"A\":1:{s:4:\"\x00A\x00b\";i:1;}", `a:1:{i:0;i:1;}x`} {
		if _, ok := streamJSON(s, 8*len(s)+1<<10); ok {
			t.Errorf("streamJSON(%q) did not give up", s)
		}
	}
}

// FuzzToJSONAsBefore holds ToJSON to toJSONOld on any input.
func FuzzToJSONAsBefore(f *testing.F) {
	for _, s := range streamCases {
		f.Add(s)
	}
	for _, s := range corpusSerialized(f) {
		if len(s) <= 4<<10 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ToJSON(s)
		want, wok := toJSONOld(s)
		if got != want || ok != wok {
			t.Fatalf("ToJSON(%q) = %q %v, before %q %v", s, got, ok, want, wok)
		}
	})
}

// TestTrimSpace holds trimSpace to strings.Trim(s, phpSpace).
func TestTrimSpace(t *testing.T) {
	for _, s := range []string{"", " ", "\x00\x0b\t\r\n ", " a:0:{} ", "\x00N;\x00", "N;\x0c", "\x0cN;", " x y ", "é \t"} {
		if got, want := trimSpace(s), strings.Trim(s, phpSpace); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestFollows holds follows to decoder.follows on every two-byte tail
// after every position of a few inputs.
func TestFollows(t *testing.T) {
	for c := 0; c < 256; c++ {
		for _, next := range []byte{':', ';', '}', 'x', 0} {
			for _, s := range []string{"", "x", string(rune(c)), string([]byte{byte(c)}), string([]byte{byte(c), next}), string([]byte{'"', ';', byte(c), next})} {
				d := decoder{s: s}
				for p := 0; p <= len(s)+1; p++ {
					for _, ctx := range []context{ctxTop, ctxKey, ctxItem, ctxNone} {
						if got, want := follows(s, p, ctx), d.follows(p, ctx); got != want {
							t.Fatalf("follows(%q, %d, %d) = %v, want %v", s, p, ctx, got, want)
						}
					}
				}
			}
		}
	}
}
