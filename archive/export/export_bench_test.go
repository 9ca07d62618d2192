package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/importer"
	"github.com/wparchive/wparchive/schema"
)

// BenchmarkExport exports the archive of make bench's 200 MB export
// (cmd/wxrgen -size 200MB -seed 1: 20,309 items, of which 10,415 posts and
// pages, 9,978 of them published) with --media keep, in both flavors, into
// one folder per flavor that every iteration writes again (so from the
// second on, files are compared and left alone: the re-export case).
//
// The archive is built once from bench/200mb.xml (generated there when
// missing, as make bench does) and kept in the temporary folder as
// wparchive-export-bench-v<schema>.sqlite; WPARCHIVE_BENCH_ARCHIVE=FILE
// uses another archive instead.
//
//	go test -tags sqlite_fts5 -run '^$' -bench '^BenchmarkExport$' -benchtime 3x ./archive/export/
//
// cpu-ms/op is the process's CPU time per export, the better figure on a
// shared machine; posts/op the posts exported.
func BenchmarkExport(b *testing.B) {
	a := openExportBench(b)
	for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
		for _, comments := range []string{CommentsNone, CommentsData} {
			b.Run(flavor+"/comments-"+comments, func(b *testing.B) {
				out := b.TempDir()
				ctx := context.Background()
				var posts int
				cpu0 := exportBenchCPU()
				for b.Loop() {
					sum, err := Markdown(ctx, a, Options{Out: out, Flavor: flavor, Comments: comments, NoSkeleton: true})
					if err != nil {
						b.Fatal(err)
					}
					posts = sum.Exported()
				}
				if cpu0 >= 0 {
					b.ReportMetric(float64((exportBenchCPU()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
				}
				b.ReportMetric(float64(posts), "posts/op")
			})
		}
	}
}

func openExportBench(b *testing.B) *archive.Archive {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv("WPARCHIVE_BENCH_ARCHIVE")
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("wparchive-export-bench-v%d.sqlite", schema.Version()))
		if _, err := os.Stat(path); err != nil {
			buildExportBench(b, path)
		}
	}
	a, err := archive.OpenReadOnly(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	return a
}

// buildExportBench imports bench/200mb.xml (made when missing) into path
// through a temporary file, so an interrupted build leaves nothing.
func buildExportBench(b *testing.B, path string) {
	b.Helper()
	xml := filepath.Join("..", "..", "bench", "200mb.xml")
	if _, err := os.Stat(xml); err != nil {
		if err := os.MkdirAll(filepath.Dir(xml), 0o755); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command("go", "run", "./cmd/wxrgen", "-q", "-size", "200MB", "-seed", "1", "-o", filepath.Join("bench", "200mb.xml"))
		cmd.Dir = filepath.Join("..", "..")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("generate the 200 MB export: %v", err)
		}
	}
	ctx := context.Background()
	tmp := path + ".building"
	os.Remove(tmp)
	a, err := archive.Open(ctx, tmp)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	src := importer.Source{Name: "200mb.xml", Open: func() (io.ReadCloser, error) { return os.Open(xml) }}
	if _, err := importer.Import(ctx, a, []importer.Source{src}, importer.Options{}); err != nil {
		a.Close()
		b.Fatalf("import %s: %v", xml, err)
	}
	if err := a.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	os.Remove(tmp + "-wal")
	os.Remove(tmp + "-shm")
	fmt.Fprintf(os.Stderr, "built %s in %s\n", path, time.Since(start).Round(time.Second))
}

// exportBenchCPU returns the user and system CPU time of this process, or
// -1 where it cannot be read.
func exportBenchCPU() time.Duration {
	ru, ok := processRusage()
	if !ok {
		return -1
	}
	return ru
}
