package quotes

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func benchFile(b *testing.B, name string) string {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "quotes", name))
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

// seedContent returns the content of the seed post 21873, cut out of the
// WXR reconstruction without the importer (this package cannot import it).
func seedContent(b *testing.B) string {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seed", "central-asia.xml"))
	if err != nil {
		b.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "<em>Links within blockquotes added during translation.</em>")
	j := strings.Index(s[i:], "]]></content:encoded>")
	if i < 0 || j < 0 {
		b.Fatal("seed post not found in central-asia.xml")
	}
	return s[i : i+j]
}

// BenchmarkAnalyze measures Analyze on an English-only post of 5 KB (the
// fast path: one script, matching the hint) and on the seed post (five
// Chinese blockquotes, an inline phrase). MB/s is content bytes per second.
func BenchmarkAnalyze(b *testing.B) {
	for _, c := range []struct{ name, content, hint string }{
		{"english-5k", benchFile(b, "bench-english.html"), "en-US"},
		{"seed", seedContent(b), "en"},
	} {
		b.Run(c.name, func(b *testing.B) {
			Analyze(c.content, c.hint) // load detector models outside the timing
			b.SetBytes(int64(len(c.content)))
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				Analyze(c.content, c.hint)
			}
			// CPU time, unlike wall time, does not count other processes
			// sharing the machine's cores.
			cpu := float64(cpuTime()-cpu0) / float64(b.N)
			b.ReportMetric(cpu, "cpu-ns/op")
			b.ReportMetric(float64(len(c.content))/cpu*1e3, "cpu-MB/s")
		})
	}
}

// latinSamples returns Latin-script passages with their languages: the
// foreign Latin passages of the labelled set and the English blocks around
// them, read from the label files.
func latinSamples(b *testing.B) (texts, langs []string) {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "quotes", "labelled", "*.post"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		_, content, _ := strings.Cut(string(data), "\n===\n")
		blocks, _ := parse(content)
		for _, blk := range blocks {
			var e evidence
			e.scan(blk.text)
			blk.ev = &e
			if e.dominant() != gLatin || e.n[gLatin] < foreignLatin {
				continue
			}
			lang := "en"
			for _, l := range latinLabels {
				if strings.Contains(blk.text, l[0]) {
					lang = l[1]
				}
			}
			texts = append(texts, blk.text)
			langs = append(langs, lang)
		}
	}
	return texts, langs
}

// latinLabels names the non-English Latin-script passages of the labelled
// set by a piece of their text.
var latinLabels = [][2]string{
	{"Der Kanzler betonte", "de"}, {"Berlin découvre", "fr"}, {"Kazajistán no puede", "es"},
	{"Polska powinna", "pl"}, {"Türkiye, Orta Koridor", "tr"}, {"Os exportadores", "pt"},
	{"Il gasdotto", "it"}, {"Nederland wil", "nl"}, {"Sverige bör", "sv"}, {"Česká republika", "cs"},
	{"România privește", "ro"}, {"Magyarország számára", "hu"}, {"Việt Nam đang", "vi"},
	{"Indonesia ingin", "id"},
}

// BenchmarkLatinDetector measures the Latin-script detector on the
// labelled set's Latin-script paragraphs (without the function-word
// shortcut): accuracy, time per paragraph, and the heap its models take,
// which is only seen when the models load inside this benchmark (run it
// alone: -bench 'LatinDetector$').
func BenchmarkLatinDetector(b *testing.B) {
	texts, langs := latinSamples(b)
	if len(texts) < 40 {
		b.Fatalf("only %d Latin samples", len(texts))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	// compute, not detect: detect remembers the texts it has seen.
	lingua := detector.(*linguaDetector)
	ok := 0
	for i, s := range texts {
		if l, _ := lingua.compute(s); l == langs[i] {
			ok++
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if detectorHeap < 0 {
		// The first run of the benchmark is the one that loads the models.
		detectorHeap = float64(after.HeapInuse-min(before.HeapInuse, after.HeapInuse)) / (1 << 20)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lingua.compute(texts[i%len(texts)])
	}
	b.StopTimer()
	b.ReportMetric(float64(len(texts)), "paragraphs")
	b.ReportMetric(float64(ok)/float64(len(texts)), "accuracy")
	b.ReportMetric(detectorHeap, "heap-MB")
}

var detectorHeap = -1.0
