package importer

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/internal/corpus"
)

var updateDerived = flag.Bool("update-derived", false, "rewrite testdata/derived.golden from the current code")

// derivedGolden holds, per export, the hash of the records the reader
// hands the normaliser and the hash of everything the normaliser derives
// from them (post text, language, marked-up content and passages, comment
// text, pings, identities), as the code computed them when the file was
// written. It was first written by the analysis before its speed-ups (at
// 8d8ec7a), so that they are proved not to change what an import stores.
const derivedGolden = "testdata/derived.golden"

// TestNormalizeGolden derives every post of the public corpus, the seed
// reconstruction and the 10 MB benchmark export (bench/10mb.xml, when it
// is there) and compares the hashes with derivedGolden. A mismatch in the
// derived hash alone means the normaliser now produces other records;
// with WPARCHIVE_DERIVED_DUMP=dir set, the test writes one JSON line per
// item into dir/<export>.jsonl, to diff against the same dump of the old
// code.
func TestNormalizeGolden(t *testing.T) {
	type source struct{ name, path string }
	var srcs []source
	if d := corpus.Dir(); d != "" {
		files, _ := filepath.Glob(filepath.Join(d, "public", "*.xml"))
		files = append(files, filepath.Join(d, "synthetic", "sample-everything.xml"))
		for _, f := range files {
			srcs = append(srcs, source{"corpus/" + filepath.Base(f), f})
		}
	}
	srcs = append(srcs, source{"seed/central-asia.xml", filepath.Join("..", "testdata", "seed", "central-asia.xml")})
	if _, err := os.Stat(filepath.Join("..", "bench", "10mb.xml")); err == nil {
		srcs = append(srcs, source{"bench/10mb.xml", filepath.Join("..", "bench", "10mb.xml")})
	}
	want := readDerivedGolden(t)
	got := map[string]string{}
	for _, s := range srcs {
		line := deriveHashes(t, s.name, s.path)
		got[s.name] = line
		if *updateDerived {
			continue
		}
		w, ok := want[s.name]
		switch {
		case !ok:
			t.Errorf("%s: not in %s (run with -update-derived at a commit whose output is trusted)", s.name, derivedGolden)
		case w != line:
			wf, gf := strings.Fields(w), strings.Fields(line)
			if wf[0] != gf[0] || wf[1] != gf[1] {
				t.Errorf("%s: the reader's records changed (items, input hash %s %s, want %s %s): the golden no longer tests the normaliser", s.name, gf[0], gf[1], wf[0], wf[1])
			} else {
				t.Errorf("%s: derived records changed: hash %s, want %s", s.name, gf[2], wf[2])
			}
		}
	}
	if *updateDerived {
		writeDerivedGolden(t, got)
		return
	}
	if len(srcs) < 3 {
		t.Logf("corpus absent: only %d exports compared", len(srcs))
	}
}

// deriveHashes reads one export as the import does and returns
// "<items> <input hash> <derived hash>".
func deriveHashes(t *testing.T, name, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var dump *bufio.Writer
	if dir := os.Getenv("WPARCHIVE_DERIVED_DUMP"); dir != "" {
		out, err := os.Create(filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		dump = bufio.NewWriter(out)
		defer dump.Flush()
	}
	in, der := sha256.New(), sha256.New()
	n := &normalizer{stats: &QuoteStats{ByLang: map[string]int{}}}
	r := NewReader(clean.NewReader(f), name)
	items := 0
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			// Truncated and broken exports stop the import where they
			// stop the reader; what came before counts.
			fmt.Fprintf(in, "error %v\n", err)
			break
		}
		switch {
		case e.Site != nil:
			n.setSite(e.Site, name)
		case e.Term != nil:
			n.term(e.Term)
		case e.Post != nil:
			items++
			p := e.Post
			writeJSON(t, in, p) // Derived is still empty here
			n.post(p)
			cd := make([]archive.CommentDerived, len(p.Comments))
			for i := range p.Comments {
				cd[i] = p.Comments[i].Derived
			}
			rec := struct {
				WPID     string
				Line     int
				Post     archive.PostDerived
				Comments []archive.CommentDerived
			}{p.WPID, p.Line, p.Derived, cd}
			writeJSON(t, der, rec)
			if dump != nil {
				writeJSON(t, dump, rec)
			}
		}
	}
	fmt.Fprintf(der, "stats %v %d %d\n", sortedCounts(n.stats.ByLang), n.stats.Pairs, n.stats.Repeats)
	return fmt.Sprintf("%d %s %s", items, short(in), short(der))
}

func writeJSON(t *testing.T, w io.Writer, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(append(b, '\n'))
}

func short(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil))[:32] }

func sortedCounts(m map[string]int) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(out)
	return out
}

func readDerivedGolden(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{}
	data, err := os.ReadFile(derivedGolden)
	if err != nil {
		if *updateDerived && os.IsNotExist(err) {
			return m
		}
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		m[name] = rest
	}
	return m
}

func writeDerivedGolden(t *testing.T, got map[string]string) {
	t.Helper()
	old := readDerivedGolden(t)
	for k, v := range got {
		old[k] = v
	}
	var names []string
	for k := range old {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# export items input-hash derived-hash (TestNormalizeGolden; -update-derived rewrites)\n")
	for _, k := range names {
		b.WriteString(k + " " + old[k] + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(derivedGolden), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(derivedGolden, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
