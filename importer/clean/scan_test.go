package clean

import (
	"math/rand/v2"
	"testing"
)

// plainTagRef is plainTag one byte at a time, as it was written first.
func plainTagRef(b []byte) int {
	if len(b) < 2 || b[1] == '!' || b[1] == '?' {
		return 0
	}
	for j, c := range b[1:] {
		if tagSpecial[c] {
			if c == '>' {
				return j + 2
			}
			return 0
		}
	}
	return 0
}

// The word-at-a-time scans give what a lookup of every byte gives: every
// byte value at every place of a run of plain bytes (of each length up to
// three words), alone and followed by each of the bytes the tests mark
// and a few others, and random runs of bytes, a quarter of them drawn
// from those.
func TestScansSameAsByteByByte(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		if got, want := plainTag(b), plainTagRef(b); got != want {
			t.Fatalf("plainTag(%q) = %d, want %d", b, got, want)
		}
		for _, i := range [...]int{0, 1, len(b) / 2, len(b) - 1} {
			if got, want := nextCDATA(b, i), next(cdataSpecial, b, i); got != want {
				t.Fatalf("nextCDATA(%q, %d) = %d, want %d", b, i, got, want)
			}
		}
	}
	pool := []byte("<>\"']\t\n\r\x00\x1f\x20\x7f\x80\xff\xc3\xa9 ab:/=")
	for n := 1; n <= 26; n++ {
		for at := 1; at < n; at++ {
			for c := range 256 {
				b := make([]byte, n)
				b[0] = '<'
				for i := 1; i < n; i++ {
					b[i] = 'a' + byte(i%26)
				}
				b[at] = byte(c)
				check(b)
				if at+1 < n {
					for _, d := range pool {
						b[at+1] = d
						check(b)
					}
					b[at+1] = 'x'
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		b := make([]byte, 1+rng.IntN(40))
		b[0] = '<'
		for i := 1; i < len(b); i++ {
			if rng.IntN(4) == 0 {
				b[i] = pool[rng.IntN(len(pool))]
			} else {
				b[i] = byte(rng.IntN(256))
			}
		}
		check(b)
	}
}
