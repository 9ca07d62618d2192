package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childEnv, when set, makes the test binary act as `wparchive` with the
// JSON-encoded arguments it holds (see TestMain), so that tests can run
// an import in a process of its own and kill it.
const childEnv = "WPARCHIVE_TEST_CHILD"

func TestMain(m *testing.M) {
	if s := os.Getenv(childEnv); s != "" {
		var args []string
		if err := json.Unmarshal([]byte(s), &args); err != nil {
			fmt.Fprintln(os.Stderr, "bad", childEnv, err)
			os.Exit(3)
		}
		os.Exit(run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child returns a command that runs `wparchive args...` in its own process.
func child(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(b))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

var idRe = regexp.MustCompile(`<wp:(post_id|post_parent|comment_id|comment_parent)>(\d+)</wp:`)

// bigExport writes an export of the site at url made of copies of the
// seed's six items (with their comments), each copy with its own post and
// comment ids and references between them kept, and returns its path.
// Nothing this size is committed: it is made in the test's temp dir.
func bigExport(t *testing.T, dir, url string, copies int) string {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start, end := strings.Index(s, "<item>"), strings.LastIndex(s, "</channel>")
	var out strings.Builder
	out.WriteString(strings.ReplaceAll(s[:start], "https://steppewatch.example.org", url))
	for k := 1; k <= copies; k++ {
		out.WriteString(idRe.ReplaceAllStringFunc(s[start:end], func(m string) string {
			sm := idRe.FindStringSubmatch(m)
			n, _ := strconv.Atoi(sm[2])
			if n != 0 {
				n += k * 100000
			}
			return fmt.Sprintf("<wp:%s>%d</wp:", sm[1], n)
		}))
	}
	out.WriteString(s[end:])
	return writeFile(t, filepath.Join(dir, strings.TrimPrefix(url, "https://")+".xml"), []byte(out.String()))
}

// TestKillDuringImport starts an import in a child process and kills it
// with SIGKILL at a random moment, twenty times over, into one archive
// that already holds another site. After each kill the archive must be
// exactly as it was before the import (or, when the kill came after the
// commit, exactly as a finished import leaves it) and pass
// PRAGMA integrity_check.
func TestKillDuringImport(t *testing.T) {
	tmp := t.TempDir()
	base := baseArchive(t, tmp)
	export := bigExport(t, tmp, "https://big.example.org", 80)
	before := archiveDigest(t, base)

	// One import run to the end: how long it takes, and what it leaves.
	done := copyArchive(t, base, filepath.Join(tmp, "done.sqlite"))
	cmd, out := child(t, "import", "--quiet", "--db", done, export)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("full import: %v\n%s", err, out)
	}
	full := time.Since(start)
	after := archiveDigest(t, done)
	if after == before {
		t.Fatal("the import changed nothing")
	}
	t.Logf("a whole import takes %s", full.Round(time.Millisecond))

	db := copyArchive(t, base, filepath.Join(tmp, "a.sqlite"))
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("kill moments from seed %d", seed)
	var mid, late []time.Duration
	for i := 0; i < 20; i++ {
		at := time.Duration(float64(full) * (0.02 + 0.96*rng.Float64()))
		cmd, out := child(t, "import", "--quiet", "--db", db, export)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(at)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		killed := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled()
		if !killed && err != nil {
			t.Fatalf("kill %d: the import failed by itself: %v\n%s", i, err, out)
		}
		if s := integrityOK(t, db); s != "ok" {
			t.Fatalf("kill %d at %s: integrity_check: %s", i, at, s)
		}
		switch got := archiveDigest(t, db); {
		case got == before:
			mid = append(mid, at)
		case got == after:
			// The kill came after the commit: the import is whole. Start
			// the next round from the archive as it was.
			late = append(late, at)
			os.Remove(db + "-wal")
			os.Remove(db + "-shm")
			copyArchive(t, base, db)
		default:
			t.Fatalf("kill %d at %s (killed: %v): the archive is neither as before nor as after the import", i, at, killed)
		}
	}
	t.Logf("%d kills during the import left the archive unchanged (at %v); %d came after its commit (at %v)", len(mid), mid, len(late), late)
	if len(mid) < 8 {
		t.Errorf("only %d of 20 kills landed during the import; the test did not test much", len(mid))
	}
}

// TestConcurrentImports runs two imports of different sites into one
// archive at the same moment, in two processes: both finish with exit 0
// (one waits for the other's transaction), neither reports "database is
// locked", and the archive holds both, exactly as two imports one after
// the other leave it.
func TestConcurrentImports(t *testing.T) {
	tmp := t.TempDir()
	base := baseArchive(t, tmp)
	a := bigExport(t, tmp, "https://one.example.org", 15)
	b := bigExport(t, tmp, "https://two.example.org", 15)

	serial := copyArchive(t, base, filepath.Join(tmp, "serial.sqlite"))
	for _, p := range []string{a, b} {
		if code, _, stderr := wparchive(t, "import", "--quiet", "--db", serial, p); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	want := archiveCounts(t, openDB(t, serial))

	for round := 0; round < 3; round++ {
		db := copyArchive(t, base, filepath.Join(t.TempDir(), "a.sqlite"))
		errs, outs := importAtOnce(t, db, a, b)
		wantImported(t, round, db, errs, outs, want, 3)
		if s := integrityOK(t, db); s != "ok" {
			t.Errorf("round %d: integrity_check: %s", round, s)
		}
	}
}

// importAtOnce starts one import into db per export, each in its own
// process, all at once, and returns their errors and outputs once all
// have ended.
func importAtOnce(t *testing.T, db string, exports ...string) ([]error, []*bytes.Buffer) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(exports))
	outs := make([]*bytes.Buffer, len(exports))
	for i, p := range exports {
		cmd, out := child(t, "import", "--quiet", "--db", db, p)
		outs[i] = out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = cmd.Wait()
		}()
	}
	wg.Wait()
	return errs, outs
}

// wantImported checks what imports that importAtOnce ran in round left in
// db: each ended well, none met a locked database, and the archive holds
// the counts of want and the given number of imports.
func wantImported(t *testing.T, round int, db string, errs []error, outs []*bytes.Buffer, want map[string]int, imports int) {
	t.Helper()
	for i := range errs {
		if errs[i] != nil || strings.Contains(outs[i].String(), "locked") {
			t.Fatalf("round %d, import %d: %v\n%s", round, i, errs[i], outs[i])
		}
	}
	got := archiveCounts(t, openDB(t, db))
	for k, w := range want {
		if got[k] != w {
			t.Errorf("round %d: %s = %d, want %d", round, k, got[k], w)
		}
	}
	if n := count(t, openDB(t, db), `SELECT count(*) FROM _imports`); n != imports {
		t.Errorf("round %d: %d imports recorded, want %d", round, n, imports)
	}
}
