package export

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// ManifestName is the file in the output folder that lists the files the
// last export wrote, so the next one into the same folder removes those
// it no longer writes, and only those.
const ManifestName = ".wparchive-export.json"

// ErrUnsafePath is returned (wrapped, with the path) when a symbolic
// link, or a file where a folder belongs, is in the way of a file the
// export writes: the export never follows links, so nothing lands outside
// the output folder.
var ErrUnsafePath = errors.New("export: refusing to write through a symbolic link or over a non-file")

// tree writes files under one folder and nowhere else: every path is
// checked to be local, every folder on the way to be a real folder (not a
// link), and files are written to a temporary name and renamed into
// place, so a reader never sees half a file (in a folder this export
// created, which no one reads yet, they are written in place).
//
// Folders are opened once each as their own os.Root and kept open while
// they are used again (up to maxOpenDirs), so a write costs one openat
// below its folder instead of one per folder of its path.
type tree struct {
	dir  string
	root *os.Root
	fast fastCreate // new files in fresh folders, where the system allows

	mu      sync.Mutex
	dirs    map[string]bool      // folders known to be real, created or checked
	fresh   map[string]bool      // of which this export created (so they hold only its files)
	open    map[string]*os.Root  // folders kept open ("." is root)
	uses    map[string]int       // files written or folders made in each folder not kept open
	written map[string]fileEntry // files this export wrote (or found identical)
	changed int                  // of which had to be written
}

// fileEntry is one file of the manifest.
type fileEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	CRC32C string `json:"crc32c"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sum returns the CRC-32C of b in eight lowercase hex digits.
func sum(b []byte) string {
	var h [4]byte
	binary.BigEndian.PutUint32(h[:], crc32.Checksum(b, castagnoli))
	return hex.EncodeToString(h[:])
}

// openTree creates dir if needed and opens it as the root of the writes.
func openTree(dir string) (*tree, error) {
	if dir == "" {
		return nil, errors.New("export: no output folder given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open output folder: %w", err)
	}
	t := &tree{
		dir: dir, root: root,
		dirs: map[string]bool{".": true}, fresh: map[string]bool{},
		open: map[string]*os.Root{".": root}, uses: map[string]int{},
		written: map[string]fileEntry{},
	}
	t.fast.open(root)
	return t, nil
}

func (t *tree) close() error {
	for dir, r := range t.open {
		if dir != "." {
			r.Close()
		}
	}
	t.fast.close()
	return t.root.Close()
}

// maxOpenDirs bounds the folders kept open: the parents of other
// folders and those a second file is written to (an export writes a few
// hundred at most; bundles with their media beyond that are opened for
// each file).
const maxOpenDirs = 512

// openDir returns dir (a folder mkdirs has checked) opened as a root, and
// a function to call when done with it. A folder used for the second time
// (or holding folders) stays open while the tree is.
func (t *tree) openDir(dir string) (*os.Root, func(), error) {
	t.mu.Lock()
	r := t.open[dir]
	t.uses[dir]++
	keep := t.uses[dir] > 1 && len(t.open) < maxOpenDirs
	t.mu.Unlock()
	if r != nil {
		return r, func() {}, nil
	}
	parent, done, err := t.openDir(path.Dir(dir))
	if err != nil {
		return nil, nil, err
	}
	r, err = parent.OpenRoot(path.Base(dir))
	done()
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", t.show(dir), err)
	}
	if !keep {
		return r, func() { r.Close() }, nil
	}
	t.mu.Lock()
	if o := t.open[dir]; o != nil { // another worker opened it meanwhile
		t.mu.Unlock()
		r.Close()
		return o, func() {}, nil
	}
	t.open[dir] = r
	t.mu.Unlock()
	return r, func() {}, nil
}

// forget closes dir's root if it is kept open (it was removed).
func (t *tree) forget(dir string) {
	t.mu.Lock()
	r := t.open[dir]
	delete(t.open, dir)
	delete(t.uses, dir)
	t.mu.Unlock()
	if r != nil && dir != "." {
		r.Close()
	}
}

// localPath reports whether rel is a clean relative slash path that stays
// inside the folder.
func localPath(rel string) bool {
	if rel == "" || rel == "." || strings.ContainsRune(rel, '\\') || strings.ContainsRune(rel, 0) || path.IsAbs(rel) || path.Clean(rel) != rel {
		return false
	}
	for _, seg := range strings.Split(rel, "/") {
		if seg == ".." || seg == "." || seg == "" {
			return false
		}
	}
	return true
}

// mkdirs makes sure every folder of rel's parent exists as a real folder,
// creating what is missing; a link or a file in the way is an error.
func (t *tree) mkdirs(dir string) error {
	if dir == "." || dir == "" {
		return nil
	}
	t.mu.Lock()
	ok := t.dirs[dir]
	t.mu.Unlock()
	if ok {
		return nil
	}
	if err := t.mkdirs(path.Dir(dir)); err != nil {
		return err
	}
	// The parent holds a folder: one more use keeps it open.
	t.mu.Lock()
	t.uses[path.Dir(dir)]++
	parentFresh := t.fresh[path.Dir(dir)]
	t.mu.Unlock()
	parent, done, err := t.openDir(path.Dir(dir))
	if err != nil {
		return err
	}
	defer done()
	name := path.Base(dir)
	// In a folder this export made, the name is most likely free: make
	// it without looking first (Mkdir follows no link; what is in the
	// way makes it fail, and then it is looked at as below).
	var fi fs.FileInfo
	if parentFresh {
		err = fs.ErrNotExist
	} else {
		fi, err = parent.Lstat(name)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		err := parent.Mkdir(name, 0o755)
		if err == nil {
			t.mu.Lock()
			t.dirs[dir], t.fresh[dir] = true, true
			t.mu.Unlock()
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create %s: %w", t.show(dir), err)
		}
		// Another worker made it (or something else) meanwhile.
		if fi, err = parent.Lstat(name); err != nil {
			return fmt.Errorf("create %s: %w", t.show(dir), err)
		}
	case err != nil:
		return fmt.Errorf("check %s: %w", t.show(dir), err)
	}
	if !fi.IsDir() || fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%w: %s is %s, not a folder", ErrUnsafePath, t.show(dir), kind(fi))
	}
	t.mu.Lock()
	t.dirs[dir] = true
	t.mu.Unlock()
	return nil
}

func kind(fi fs.FileInfo) string {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return "a symbolic link"
	case fi.IsDir():
		return "a folder"
	case fi.Mode().IsRegular():
		return "a file"
	}
	return "a special file"
}

func (t *tree) show(rel string) string { return path.Join(strings.TrimRight(t.dir, "/"), rel) }

// write puts data at rel (a slash path inside the folder), atomically. A
// file already there with the same bytes is left untouched. A link, a
// folder or a special file at rel is an error (ErrUnsafePath).
func (t *tree) write(rel string, data []byte) error {
	if !localPath(rel) {
		return fmt.Errorf("%w: %q is not a path inside the output folder", ErrUnsafePath, rel)
	}
	if err := t.mkdirs(path.Dir(rel)); err != nil {
		return err
	}
	e := fileEntry{Path: rel, Size: int64(len(data)), CRC32C: sum(data)}
	dir, name := path.Dir(rel), path.Base(rel)
	t.mu.Lock()
	fresh := t.fresh[dir]
	t.mu.Unlock()
	if fresh {
		if ok, err := t.fast.create(rel, data); ok {
			if err != nil {
				if d, done, oerr := t.openDir(dir); oerr == nil {
					d.Remove(name)
					done()
				}
				return fmt.Errorf("write %s: %w", t.show(rel), err)
			}
			t.record(e, true)
			return nil
		}
	}
	d, done, err := t.openDir(dir)
	if err != nil {
		return err
	}
	defer done()
	if fresh {
		// Only this export writes here: in place, unless another of its
		// files took the name (then as below).
		f, err := d.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				d.Remove(name)
				return fmt.Errorf("write %s: %w", t.show(rel), err)
			}
			t.record(e, true)
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("write %s: %w", t.show(rel), err)
		}
	}
	fi, err := d.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("check %s: %w", t.show(rel), err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%w: %s is %s", ErrUnsafePath, t.show(rel), kind(fi))
	case fi.Size() == int64(len(data)):
		if old, err := d.ReadFile(name); err == nil && bytes.Equal(old, data) {
			t.record(e, false)
			return nil
		}
	}
	tmp := name + ".wparchive-tmp"
	f, err := d.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		// Left by an export that was cut off; O_EXCL did not follow it
		// if it is a link, and Remove removes the link itself.
		if err := d.Remove(tmp); err != nil {
			return fmt.Errorf("remove %s: %w", t.show(rel+".wparchive-tmp"), err)
		}
		f, err = d.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", t.show(rel), err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.Rename(tmp, name)
	}
	if err != nil {
		d.Remove(tmp)
		return fmt.Errorf("write %s: %w", t.show(rel), err)
	}
	t.record(e, true)
	return nil
}

// copyFrom writes the file at src (outside the folder: the media cache)
// to rel, as write does.
func (t *tree) copyFrom(rel, src string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	return t.write(rel, data)
}

func (t *tree) record(e fileEntry, changed bool) {
	t.mu.Lock()
	t.written[e.Path] = e
	if changed {
		t.changed++
	}
	t.mu.Unlock()
}

// manifest is the JSON of ManifestName.
type manifest struct {
	Generator string      `json:"generator"`
	Version   int         `json:"version"`
	Files     []fileEntry `json:"files"`
}

// readManifest returns the files the previous export into the folder
// wrote; none when there is no manifest. A manifest that cannot be read
// is an error: deleting by a damaged list is not safe.
func (t *tree) readManifest() ([]fileEntry, error) {
	fi, err := t.root.Lstat(ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.show(ManifestName), err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is %s", ErrUnsafePath, t.show(ManifestName), kind(fi))
	}
	b, err := t.root.ReadFile(ManifestName)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.show(ManifestName), err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w (remove it to export into this folder anew)", t.show(ManifestName), err)
	}
	return m.Files, nil
}

// writeManifest records files (sorted by path) as the export's.
func (t *tree) writeManifest(files map[string]fileEntry) error {
	m := manifest{Generator: "wparchive export markdown", Version: 1, Files: make([]fileEntry, 0, len(files))}
	for _, e := range files {
		m.Files = append(m.Files, e)
	}
	slices.SortFunc(m.Files, func(a, b fileEntry) int { return strings.Compare(a.Path, b.Path) })
	return t.writeQuiet(ManifestName, m.appendJSON(nil))
}

// appendJSON appends the manifest as json.MarshalIndent(m, "", "  ")
// writes it, and a line break: by hand, since the encoder's reflection
// over 30,000 entries was 0.07 s at the end of an export, where nothing
// else runs. TestManifestJSON compares the two.
func (m *manifest) appendJSON(b []byte) []byte {
	b = append(b, "{\n  \"generator\": "...)
	b = appendJSONString(b, m.Generator)
	b = append(b, ",\n  \"version\": "...)
	b = strconv.AppendInt(b, int64(m.Version), 10)
	if m.Files == nil {
		return append(b, ",\n  \"files\": null\n}\n"...)
	}
	if len(m.Files) == 0 {
		return append(b, ",\n  \"files\": []\n}\n"...)
	}
	b = append(b, ",\n  \"files\": ["...)
	for i, e := range m.Files {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"path\": "...)
		b = appendJSONString(b, e.Path)
		b = append(b, ",\n      \"size\": "...)
		b = strconv.AppendInt(b, e.Size, 10)
		b = append(b, ",\n      \"crc32c\": "...)
		b = appendJSONString(b, e.CRC32C)
		b = append(b, "\n    }"...)
	}
	return append(b, "\n  ]\n}\n"...)
}

// appendJSONString appends s quoted as encoding/json writes it: as it is
// when it is printable ASCII without '"', '\\' or the HTML characters
// the encoder escapes, else through the encoder.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// writeQuiet writes a file without recording it in the manifest.
func (t *tree) writeQuiet(rel string, data []byte) error {
	if err := t.write(rel, data); err != nil {
		return err
	}
	t.mu.Lock()
	delete(t.written, rel)
	t.mu.Unlock()
	return nil
}

// removeStale deletes the files of the previous export's manifest that
// this export did not write, when they are still regular files with the
// bytes the previous export wrote; it returns the removed paths and the
// kept ones (changed since, or no longer files). Folders left empty are
// removed.
func (t *tree) removeStale(old []fileEntry) (removed, kept []string, err error) {
	// On macOS and Windows "Foo/index.md" is the file "foo/index.md" this
	// export wrote: compare as they do. The folded names (case folding
	// and NFC of every path: 0.1 s for 30,000 files) are made only when a
	// file of the old manifest was not written again as it was named.
	var folded map[string]bool
	for _, e := range old {
		if _, ok := t.written[e.Path]; ok || !localPath(e.Path) || e.Path == ManifestName {
			continue
		}
		if folded == nil {
			folded = make(map[string]bool, len(t.written))
			for p := range t.written {
				folded[nameKey(p)] = true
			}
		}
		if folded[nameKey(e.Path)] {
			continue
		}
		if !t.realDirs(path.Dir(e.Path)) {
			kept = append(kept, e.Path)
			continue
		}
		fi, lerr := t.root.Lstat(e.Path)
		if errors.Is(lerr, fs.ErrNotExist) {
			continue
		}
		if lerr != nil || !fi.Mode().IsRegular() || fi.Size() != e.Size {
			kept = append(kept, e.Path)
			continue
		}
		b, rerr := t.root.ReadFile(e.Path)
		if rerr != nil || sum(b) != e.CRC32C {
			kept = append(kept, e.Path)
			continue
		}
		if rerr := t.root.Remove(e.Path); rerr != nil {
			return removed, kept, fmt.Errorf("remove %s: %w", t.show(e.Path), rerr)
		}
		removed = append(removed, e.Path)
		for dir := path.Dir(e.Path); dir != "." && dir != "/"; dir = path.Dir(dir) {
			t.forget(dir)
			if t.root.Remove(dir) != nil { // fails unless empty
				break
			}
			t.mu.Lock()
			delete(t.dirs, dir)
			t.mu.Unlock()
		}
	}
	sort.Strings(removed)
	sort.Strings(kept)
	return removed, kept, nil
}

// realDirs reports whether every folder of dir is a real folder (no
// link), without creating any.
func (t *tree) realDirs(dir string) bool {
	for d := dir; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		fi, err := t.root.Lstat(d)
		if err != nil || !fi.IsDir() || fi.Mode()&fs.ModeSymlink != 0 {
			return false
		}
	}
	return true
}
