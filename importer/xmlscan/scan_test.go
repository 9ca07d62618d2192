package xmlscan

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// indexCDATAEnd finds what bytes.Index finds: every string of up to
// eight bytes from ']', '>' and 'x', and random longer ones.
func TestIndexCDATAEndSameAsIndex(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		if got, want := indexCDATAEnd(b), bytes.Index(b, cdataEnd); got != want {
			t.Fatalf("indexCDATAEnd(%q) = %d, want %d", b, got, want)
		}
	}
	var all func(b []byte)
	all = func(b []byte) {
		check(b)
		if len(b) < 8 {
			for _, c := range []byte("]>x") {
				all(append(b, c))
			}
		}
	}
	all(nil)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		b := make([]byte, rng.IntN(200))
		for i := range b {
			b[i] = "]]>ab"[rng.IntN(5)]
		}
		check(b)
	}
}
