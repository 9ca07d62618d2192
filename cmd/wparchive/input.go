package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/wparchive/wparchive/importer"
)

// Bounds on decompression, so that a gzip or zip bomb ends with an error
// within seconds instead of keeping the parser busy for hours. XML exports
// inflate 4 to 20 times (measured on the corpus with gzip -9; a million
// identical tiny items, 17 times); a bomb inflates a thousand times.
const (
	// maxRatio bounds inflated size / compressed size once a part has
	// inflated past inflateFloor.
	maxRatio = 100
	// inflateFloor is what any part may inflate to whatever its ratio.
	inflateFloor = 64 << 20
	// maxInflate bounds one compressed part whatever its ratio: a real
	// multi-GB export passes, and the plain .xml has no such bound.
	maxInflate = 8 << 30
)

// inputs turns the command line's arguments into the parts of one export:
// a file (XML, gzip or zip, told apart by content), a folder of parts, or -
// for standard input. read counts the bytes read from disk for progress;
// total is the bytes on disk (-1 when unknown, as for stdin).
func inputs(args []string, stdin io.Reader, read *atomic.Int64) (srcs []importer.Source, total int64, err error) {
	for _, a := range args {
		if a == "-" {
			in := stdin
			srcs = append(srcs, importer.Source{Name: "stdin", Open: func() (io.ReadCloser, error) {
				return decompress(io.NopCloser(&counter{r: in, n: read}), "stdin")
			}})
			total = -1
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w (give the path of a WordPress export: .xml, .xml.gz, .zip or a folder of parts)", a, errorsUnwrapPath(err))
		}
		if st.IsDir() {
			parts, size, err := folderParts(a, read)
			if err != nil {
				return nil, 0, err
			}
			if len(parts) == 0 {
				return nil, 0, fmt.Errorf("%s: the folder holds no .xml, .xml.gz or .zip export parts; name the export file itself, or the folder its parts were unpacked into", a)
			}
			srcs = append(srcs, parts...)
			if total >= 0 {
				total += size
			}
			continue
		}
		parts, err := fileParts(a, read)
		if err != nil {
			return nil, 0, err
		}
		srcs = append(srcs, parts...)
		if total >= 0 {
			total += st.Size()
		}
	}
	return srcs, total, nil
}

func errorsUnwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// folderParts lists a folder's export parts in name order
// (site.wordpress.com.2024-01-01.000.xml, .001.xml, …).
func folderParts(dir string, read *atomic.Int64) ([]importer.Source, int64, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	var names []string
	for _, e := range ents {
		n := strings.ToLower(e.Name())
		if e.Type().IsRegular() && (strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".xml.gz") || strings.HasSuffix(n, ".zip")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var srcs []importer.Source
	var size int64
	for _, n := range names {
		p := filepath.Join(dir, n)
		parts, err := fileParts(p, read)
		if err != nil {
			return nil, 0, err
		}
		if st, err := os.Stat(p); err == nil {
			size += st.Size()
		}
		srcs = append(srcs, parts...)
	}
	return srcs, size, nil
}

// fileParts opens nothing yet for plain and gzip files; a zip is listed
// now so each of its XML entries becomes a part.
func fileParts(path string, read *atomic.Int64) ([]importer.Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	f.Close()
	if n == 4 && bytes.Equal(magic[:], []byte("PK\x03\x04")) {
		return zipParts(path, read)
	}
	return []importer.Source{{Name: path, Open: func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		return decompress(&fileCounter{f: f, n: read}, path)
	}}}, nil
}

// zipParts returns the XML entries of a WordPress.com zip in name order.
// Entry names are only read, never used as paths to write to.
func zipParts(path string, read *atomic.Int64) ([]importer.Source, error) {
	zr, err := zip.OpenReader(path)
	if errors.Is(err, zip.ErrInsecurePath) {
		// Entry names such as ../../x are only read, never used as paths
		// to write to, so they are harmless here.
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip file (%w); download the export again", path, err)
	}
	var files []*zip.File
	for _, f := range zr.File {
		n := strings.ToLower(f.Name)
		if f.FileInfo().IsDir() || strings.Contains(n, "__macosx/") || strings.HasPrefix(filepath.Base(n), "._") {
			continue
		}
		if strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".xml.gz") {
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	if len(files) == 0 {
		zr.Close()
		return nil, fmt.Errorf("%s: the zip holds no .xml export parts; give the WordPress export itself (.xml, .xml.gz, or WordPress.com's .zip of .xml parts)", path)
	}
	for _, zf := range files {
		if err := checkRatio(zf.UncompressedSize64, zf.CompressedSize64); err != nil {
			zr.Close()
			return nil, fmt.Errorf("%s:%s: %w", path, zf.Name, err)
		}
	}
	srcs := make([]importer.Source, len(files))
	for i, zf := range files {
		zf := zf
		last := i == len(files)-1
		name := path + ":" + zf.Name
		srcs[i] = importer.Source{Name: name, Open: func() (io.ReadCloser, error) {
			rc, err := zf.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: %w; download the export again", name, err)
			}
			read.Add(int64(zf.CompressedSize64))
			// archive/zip fails an entry that inflates past the size the
			// zip declares, and checkRatio has bounded that size.
			return decompress(&closers{Reader: &zipEntry{r: rc}, c: []io.Closer{rc, closeIf(last, zr)}}, name)
		}}
	}
	return srcs, nil
}

func closeIf(ok bool, c io.Closer) io.Closer {
	if ok {
		return c
	}
	return io.NopCloser(nil)
}

// zipEntry makes the error archive/zip gives for an entry that inflates
// past its declared size say what it means.
type zipEntry struct{ r io.Reader }

func (z *zipEntry) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
		err = fmt.Errorf("the zip entry is damaged or inflates past the size the zip declares (%w); download the export again", err)
	}
	return n, err
}

// decompress looks at the first bytes: gzip is inflated (bounded by
// checkRatio as it goes), anything else is passed on for the XML reader to
// judge.
func decompress(rc io.ReadCloser, name string) (io.ReadCloser, error) {
	in := &countReader{r: rc}
	br := bufio.NewReaderSize(in, 64<<10)
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: damaged gzip file (%v); download the export again", name, err)
		}
		return &closers{Reader: &limited{r: zr, in: in}, c: []io.Closer{zr, rc}}, nil
	}
	return &closers{Reader: br, c: []io.Closer{rc}}, nil
}

// checkRatio returns an error when inflated bytes out of compressed bytes
// in go past the bounds (see maxRatio).
func checkRatio(out, in uint64) error {
	if out > maxInflate {
		return fmt.Errorf("inflates to more than %d GiB; decompress it yourself (gunzip, unzip) and import the .xml, which has no such limit", maxInflate>>30)
	}
	if out > inflateFloor && out > maxRatio*in {
		return fmt.Errorf("inflates more than %d times (%d MiB out of %d KiB): a compression bomb, not a WordPress export, which inflates 4 to 20 times; if it is a genuine export, decompress it yourself (gunzip, unzip) and import the .xml", maxRatio, out>>20, in>>10)
	}
	return nil
}

// limited fails, rather than truncating silently, once the inflated bytes
// go past checkRatio's bounds.
type limited struct {
	r   io.Reader
	in  *countReader // the compressed bytes read so far
	out uint64
	err error
}

func (l *limited) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	l.out += uint64(n)
	if e := checkRatio(l.out, l.in.n); e != nil {
		l.err = e
		return 0, e
	}
	return n, err
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n uint64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += uint64(n)
	return n, err
}

type closers struct {
	io.Reader
	c []io.Closer
}

func (c *closers) Close() error {
	var first error
	for _, x := range c.c {
		if err := x.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// counter counts bytes read from a stream into n.
type counter struct {
	r io.Reader
	n *atomic.Int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type fileCounter struct {
	f *os.File
	n *atomic.Int64
}

func (c *fileCounter) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *fileCounter) Close() error { return c.f.Close() }
