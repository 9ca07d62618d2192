package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/wparchive/wparchive/importer"
)

// maxInflate bounds what one compressed part may inflate to, so a gzip or
// zip bomb ends with an error instead of filling the disk or the memory of
// the parser. Real exports are far smaller (WordPress.com splits at 15 MB).
const maxInflate = 16 << 30

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
				return nil, 0, fmt.Errorf("%s: the folder holds no .xml, .xml.gz or .zip export parts", a)
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
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip file: %w", path, err)
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
		return nil, fmt.Errorf("%s: the zip holds no .xml export parts", path)
	}
	srcs := make([]importer.Source, len(files))
	for i, zf := range files {
		zf := zf
		last := i == len(files)-1
		name := path + ":" + zf.Name
		srcs[i] = importer.Source{Name: name, Open: func() (io.ReadCloser, error) {
			rc, err := zf.Open()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			read.Add(int64(zf.CompressedSize64))
			return decompress(&closers{Reader: io.LimitReader(rc, maxInflate), c: []io.Closer{rc, closeIf(last, zr)}}, name)
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

// decompress looks at the first bytes: gzip is inflated (bounded), anything
// else is passed on for the XML reader to judge.
func decompress(rc io.ReadCloser, name string) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(rc, 64<<10)
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: damaged gzip file: %w", name, err)
		}
		return &closers{Reader: &limited{r: zr, left: maxInflate, name: name}, c: []io.Closer{zr, rc}}, nil
	}
	return &closers{Reader: br, c: []io.Closer{rc}}, nil
}

// limited fails, rather than truncating silently, past its limit.
type limited struct {
	r    io.Reader
	left int64
	name string
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, fmt.Errorf("%s: inflates to more than %d GiB; this is not a WordPress export (a compression bomb?)", l.name, maxInflate>>30)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
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
