package phpserial

import (
	"testing"
)

// BenchmarkToJSON converts the serialized meta values of a few corpus
// files (akismet data, feedback, attachment metadata, stdClass objects),
// or a generated attachment-metadata value when the corpus is absent.
func BenchmarkToJSON(b *testing.B) {
	vals := corpusSerialized(b)
	if len(vals) == 0 {
		vals = []string{`a:5:{s:5:"width";i:1600;s:6:"height";i:1067;s:4:"file";s:27:"2024/05/moon-over-roofs.jpg";s:5:"sizes";a:1:{s:9:"thumbnail";a:4:{s:4:"file";s:27:"moon-over-roofs-150x150.jpg";s:5:"width";i:150;s:6:"height";i:150;s:9:"mime-type";s:10:"image/jpeg";}}s:10:"image_meta";a:2:{s:8:"aperture";s:3:"2.8";s:7:"caption";s:0:"";}}`}
	}
	size := 0
	for _, v := range vals {
		size += len(v)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for range b.N {
		for _, v := range vals {
			if _, ok := ToJSON(v); !ok {
				b.Fatalf("ToJSON(%.60q) failed", v)
			}
		}
	}
}

// BenchmarkToJSONRecovered converts values whose string lengths are all
// wrong (CRLF read as LF), so that every string is recovered.
func BenchmarkToJSONRecovered(b *testing.B) {
	v := `a:3:{s:7:"message";s:40:"line one` + "\n" + `line two` + "\n" + `line three` + "\n" + `end";s:7:"headers";s:30:"From: a` + "\n" + `To: b` + "\n" + `X: c";s:4:"time";d:1716280505.312471;}`
	if _, ok := ToJSON(v); !ok {
		b.Fatal("not recovered")
	}
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for range b.N {
		ToJSON(v)
	}
}
