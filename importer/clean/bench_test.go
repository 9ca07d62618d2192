package clean

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/wparchive/wparchive/internal/corpus"
)

// benchInput returns about 16 MiB of clean WXR: the well-formed corpus
// files one after the other (mostly English and Chinese text, block
// markup, CDATA), or generated text when the corpus is absent.
func benchInput(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if dir := corpus.Dir(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
		for buf.Len() < 16<<20 {
			for _, f := range files {
				if damaged[filepath.Base(f)] {
					continue
				}
				data, err := os.ReadFile(f)
				if err != nil {
					b.Fatal(err)
				}
				buf.Write(data)
			}
		}
		return buf.Bytes()
	}
	for buf.Len() < 16<<20 {
		buf.WriteString("<item><title>Hello &amp; welcome</title><content:encoded><![CDATA[<p>Some text, 静夜思, café.</p>]]></content:encoded></item>\n")
	}
	return buf.Bytes()
}

// BenchmarkReader measures the Reader alone on clean input, read in the
// 4 KiB pieces encoding/xml's bufio.Reader asks for. Besides wall time it
// reports the process's CPU time per op (cpu-ms/op), the steadier figure
// on a shared machine.
func BenchmarkReader(b *testing.B) {
	in := benchInput(b)
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	cpu0 := processCPU()
	defer func() {
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}()
	for range b.N {
		z := NewReader(bytes.NewReader(in))
		for {
			_, err := z.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReaderGenerated is BenchmarkReader on the generated 10 MB
// export of make bench (bench/10mb.xml), mostly ASCII.
func BenchmarkReaderGenerated(b *testing.B) {
	in, err := os.ReadFile("../../bench/10mb.xml")
	if err != nil {
		b.Skip("no bench/10mb.xml: go run ./cmd/wxrgen -size 10MB -seed 1 -o bench/10mb.xml")
	}
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(in)))
	cpu0 := processCPU()
	defer func() {
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}()
	for b.Loop() {
		z := NewReader(bytes.NewReader(in))
		for {
			_, err := z.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkReaderDamaged measures the Reader on input with a repair of
// each kind every 97 lines.
func BenchmarkReaderDamaged(b *testing.B) {
	in := longDamaged(16 << 20)
	buf := make([]byte, 4096)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for range b.N {
		z := NewReader(bytes.NewReader(in))
		for {
			_, err := z.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDecoder compares encoding/xml's tokenizer on the same input
// with and without the Reader in front of it.
func BenchmarkDecoder(b *testing.B) {
	in := benchInput(b)
	for _, tc := range []struct {
		name  string
		clean bool
	}{{"raw", false}, {"cleaned", true}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for range b.N {
				var r io.Reader = bytes.NewReader(in)
				if tc.clean {
					r = NewReader(r)
				}
				d := xml.NewDecoder(r)
				for {
					_, err := d.RawToken()
					if err == io.EOF {
						break
					}
					if err != nil {
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
