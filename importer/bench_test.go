package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
)

// benchInput returns a generated export of the given size ("10MB"): the
// file make bench wrote into bench/ when it is there, else one that
// cmd/wxrgen writes there now (bench/ is git-ignored). WXR_BENCH_FILE names
// another file instead.
func benchInput(b *testing.B, size string) []byte {
	b.Helper()
	path := os.Getenv("WXR_BENCH_FILE")
	if path == "" {
		name := strings.ToLower(size) + ".xml" // the file make bench writes
		path = filepath.Join("..", "bench", name)
		if _, err := os.Stat(path); err != nil {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				b.Fatal(err)
			}
			cmd := exec.Command("go", "run", "./cmd/wxrgen", "-q", "-size", size, "-seed", "1", "-o", filepath.Join("bench", name))
			cmd.Dir = ".."
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				b.Fatalf("generate %s export: %v", size, err)
			}
		}
	}
	in, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return in
}

func benchSources(in []byte) []Source {
	return []Source{{Name: "bench.xml", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(in)), nil
	}}}
}

// BenchmarkImport is the whole import of a generated 10 MB export into a
// new archive, as `wparchive import` makes one (archive.Create, then
// Publish): parse, normalise, SQLite, one transaction. Profile it with
// -cpuprofile.
func BenchmarkImport(b *testing.B) { benchImport(b, benchInput(b, "10MB")) }

// benchImport imports in into a new archive at each iteration.
func benchImport(b *testing.B, in []byte) {
	ctx := context.Background()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		path := filepath.Join(dir, "a"+string(rune('a'+i%26))+".sqlite")
		os.Remove(path)
		a, err := archive.Create(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := Import(ctx, a, benchSources(in), Options{})
		if err == nil {
			err = a.Publish(ctx)
		}
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric(float64(sum.Posts), "items/op")
		a.Close()
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		b.StartTimer()
	}
}

// BenchmarkReimport imports the same 10 MB export into the archive that
// already holds it: every item is unchanged.
func BenchmarkReimport(b *testing.B) {
	in := benchInput(b, "10MB")
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(b.TempDir(), "a.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if _, err := Import(ctx, a, benchSources(in), Options{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		sum, err := Import(ctx, a, benchSources(in), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Unchanged != sum.Posts {
			b.Fatalf("re-import: %d of %d items unchanged", sum.Unchanged, sum.Posts)
		}
	}
}

// BenchmarkParse is the reader alone over the generated 10 MB export:
// tokens mapped onto records, items hashed, nothing normalised or stored.
func BenchmarkParse(b *testing.B) {
	in := benchInput(b, "10MB")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(in), "bench.xml")
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseNormalize adds the normaliser to BenchmarkParse, on one
// goroutine: what the parsing goroutine of Import does.
func BenchmarkParseNormalize(b *testing.B) {
	in := benchInput(b, "10MB")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		n := &normalizer{stats: &QuoteStats{ByLang: map[string]int{}}}
		r := NewReader(bytes.NewReader(in), "bench.xml")
		for {
			e, err := r.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			switch {
			case e.Site != nil:
				n.setSite(e.Site, "bench.xml")
			case e.Term != nil:
				n.term(e.Term)
			case e.Post != nil:
				n.post(e.Post)
			}
		}
	}
}

// TestImportHashes: each source's SHA-256 and the import's over all
// sources in order, as the _imports row keeps them, for one source (whose
// hash is both) and for two.
func TestImportHashes(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "testdata", "seed", "central-asia.xml"))
	if err != nil {
		t.Fatal(err)
	}
	one := sha256.Sum256(seed)
	two := sha256.Sum256(append(append([]byte{}, seed...), seed...))
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		sources int
		want    string
	}{
		{"one source", 1, hex.EncodeToString(one[:])},
		{"two sources", 2, hex.EncodeToString(two[:])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := archive.Open(ctx, filepath.Join(t.TempDir(), "a.sqlite"))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			var srcs []Source
			for range tc.sources {
				srcs = append(srcs, benchSources(seed)...)
			}
			sum, err := Import(ctx, a, srcs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sum.Sources {
				if s.SHA256 != hex.EncodeToString(one[:]) || s.Bytes != int64(len(seed)) {
					t.Errorf("source %s: %d bytes, sha256 %s; want %d, %x", s.Name, s.Bytes, s.SHA256, len(seed), one)
				}
			}
			var got string
			if err := a.DB().QueryRow(`SELECT sha256 FROM _imports WHERE id = ?`, sum.ImportID).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("_imports.sha256 = %s, want %s", got, tc.want)
			}
		})
	}
}
