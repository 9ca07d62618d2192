package importer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/internal/corpus"
)

var updateRecords = flag.Bool("update-records", false, "rewrite testdata/records.golden from the Reader as it is")

const recordsGolden = "testdata/records.golden"

// recordsHash reads in through the cleaning reader, as Import does, and
// returns how many records the Reader gave and a SHA-256 over all of them
// (every field, raw hashes and lines included) and the error that ended
// the reading.
func recordsHash(in []byte) (int, string) {
	r := NewReader(clean.NewReader(bytes.NewReader(in)), "in.xml")
	h := sha256.New()
	n := 0
	for {
		e, err := r.Next()
		if err == io.EOF {
			fmt.Fprintf(h, "EOF\n")
			break
		}
		if err != nil {
			fmt.Fprintf(h, "error %T %s\n", err, err)
			break
		}
		n++
		switch {
		case e.Site != nil:
			fmt.Fprintf(h, "%#v\n", *e.Site)
		case e.Author != nil:
			fmt.Fprintf(h, "%#v\n", *e.Author)
		case e.Term != nil:
			fmt.Fprintf(h, "%#v\n", *e.Term)
		case e.Post != nil:
			fmt.Fprintf(h, "%#v\n", *e.Post)
		}
	}
	return n, hex.EncodeToString(h.Sum(nil))
}

// recordInputs returns the inputs the golden covers: the public and
// synthetic corpus, the seed, the damaged test files and the generated
// 10 MB export when bench/ has it.
func recordInputs(t *testing.T) []string {
	dir := corpus.Need(t)
	var paths []string
	for _, glob := range []string{
		filepath.Join(dir, "public", "*.xml"),
		filepath.Join(dir, "synthetic", "*.xml"),
		"../testdata/seed/*.xml",
		"../testdata/damage/*.xml",
		"../testdata/clean/*/input.xml",
		"../bench/10mb.xml",
	} {
		m, _ := filepath.Glob(glob)
		paths = append(paths, m...)
	}
	return paths
}

// TestRecordsUnchanged holds the Reader to the records it gave when
// testdata/records.golden was written: for every input, whole and cut
// short at a third and two thirds, the same records and the same error.
// The golden is keyed by the input's SHA-256, so an input that changed
// (a regenerated bench/10mb.xml) is reported rather than failed; the
// corpus and the repository's files must all be there. Rewrite it with
// -update-records only when a change of records is intended (and bump
// parserVersion then).
func TestRecordsUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the corpus and the 10 MB export three times")
	}
	want := map[string]string{} // "input-sha256 cut" → "records hash"
	if b, err := os.ReadFile(recordsGolden); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 4 {
				want[f[0]+" "+f[1]] = f[2] + " " + f[3]
			}
		}
	} else if !*updateRecords {
		t.Fatal(err)
	}
	var lines []string
	checked := 0
	for _, p := range recordInputs(t) {
		in, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(in)
		id := hex.EncodeToString(sum[:])
		name := p
		if rel, err := filepath.Rel(corpus.Dir(), p); err == nil && !strings.HasPrefix(rel, "..") {
			name = "corpus/" + rel
		}
		for _, cut := range []string{"3/3", "2/3", "1/3"} {
			var num, den int
			fmt.Sscanf(cut, "%d/%d", &num, &den)
			n, got := recordsHash(in[:len(in)*num/den])
			key := id + " " + cut
			gotv := fmt.Sprintf("%d %s", n, got)
			lines = append(lines, fmt.Sprintf("%s %s %s", key, gotv, name))
			w, ok := want[key]
			switch {
			case *updateRecords:
			case !ok && strings.HasPrefix(name, "../bench/"):
				t.Logf("%s: no golden for this content (regenerated?), not checked", name)
			case !ok:
				t.Errorf("%s[%s]: not in %s; run go test -run TestRecordsUnchanged -update-records if the input changed", name, cut, recordsGolden)
			case w != gotv:
				t.Errorf("%s[%s]: records changed: %s, golden %s", name, cut, gotv, w)
			default:
				checked++
			}
		}
	}
	if *updateRecords {
		slices.Sort(lines)
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		fmt.Fprintln(w, "# input-sha256 cut records records-sha256 name: written by go test -run TestRecordsUnchanged -update-records")
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
		w.Flush()
		if err := os.WriteFile(recordsGolden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Logf("%d inputs and cuts checked", checked)
}
