package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wparchive/wparchive/archive"
)

// builds lists the temporary files of archive builds for db (archive.Create).
func builds(t *testing.T, db string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(db), "."+filepath.Base(db)+".build-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mainBuilds leaves out of files the ones SQLite makes beside a database
// (-journal, -wal, -shm).
func mainBuilds(files []string) []string {
	var m []string
	for _, f := range files {
		if !strings.HasSuffix(f, "-journal") && !strings.HasSuffix(f, "-wal") && !strings.HasSuffix(f, "-shm") {
			m = append(m, f)
		}
	}
	return m
}

// TestFirstImportSameAsIntoEmptyArchive: a first import, which builds the
// archive in a temporary file without a journal, leaves exactly what the
// same import leaves in an empty archive that Open made, in WAL mode, and
// no temporary file.
func TestFirstImportSameAsIntoEmptyArchive(t *testing.T) {
	tmp := t.TempDir()
	fresh := filepath.Join(tmp, "fresh.sqlite")
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", fresh, seedPath); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	empty := filepath.Join(tmp, "empty.sqlite")
	a, err := archive.Open(context.Background(), empty)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", empty, seedPath); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, want := archiveDigest(t, fresh), archiveDigest(t, empty); got != want {
		t.Error("the first import's archive differs from the same import into an empty archive")
	}
	var mode string
	if err := openDB(t, fresh).QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	if b := builds(t, fresh); len(b) > 0 {
		t.Errorf("temporary files left: %v", b)
	}
}

// TestFailedFirstImportLeavesNothing: a first import that fails leaves no
// archive and no temporary file, and says so.
func TestFailedFirstImportLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	// Cut in the middle of the third item: the export is truncated.
	items := strings.SplitAfter(string(b), "</item>")
	bad := writeFile(t, filepath.Join(tmp, "cut.xml"), []byte(items[0]+items[1]+items[2][:len(items[2])/2]))
	db := filepath.Join(tmp, "a.sqlite")
	code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, bad)
	if code != exitError {
		t.Fatalf("exit %d, want %d: %s", code, exitError, stderr)
	}
	if !strings.Contains(stderr, "No archive was made at "+db) {
		t.Errorf("stderr does not say that no archive was made:\n%s", stderr)
	}
	if _, err := os.Lstat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists after a failed first import (%v)", db, err)
	}
	if b := builds(t, db); len(b) > 0 {
		t.Errorf("temporary files left: %v", b)
	}
}

// TestKillDuringFirstImport kills a first import at random moments: each
// time there is either no archive at all or the whole one, never a part,
// and the next import removes what the killed ones left beside it.
func TestKillDuringFirstImport(t *testing.T) {
	tmp := t.TempDir()
	export := bigExport(t, tmp, "https://big.example.org", 80)
	done := filepath.Join(tmp, "done.sqlite")
	cmd, out := child(t, "import", "--quiet", "--db", done, export)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("full import: %v\n%s", err, out)
	}
	full := time.Since(start)
	after := archiveDigest(t, done)

	db := filepath.Join(tmp, "a.sqlite")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2))
	t.Logf("a whole import takes %s; kill moments from seed %d", full.Round(time.Millisecond), seed)
	var mid, late []time.Duration
	leftBehind := 0 // kills after which a temporary file was there
	for i := 0; i < 12; i++ {
		at := time.Duration(float64(full) * (0.05 + 0.9*rng.Float64()))
		cmd, out := child(t, "import", "--quiet", "--db", db, export)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(at)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var ee *exec.ExitError
		if killed := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled(); !killed && err != nil {
			t.Fatalf("kill %d: the import failed by itself: %v\n%s", i, err, out)
		}
		if _, err := os.Lstat(db); errors.Is(err, os.ErrNotExist) {
			mid = append(mid, at)
			// Each import removes what the killed ones before it left.
			// (A kill during Publish's switch to WAL may leave the
			// build's -journal beside it, removed with it.)
			switch b := mainBuilds(builds(t, db)); {
			case len(b) > 1:
				t.Fatalf("kill %d: %d temporary files: %v", i, len(b), b)
			case len(b) == 1:
				leftBehind++
			}
			continue
		}
		if s := integrityOK(t, db); s != "ok" {
			t.Fatalf("kill %d at %s: integrity_check: %s", i, at, s)
		}
		if archiveDigest(t, db) != after {
			t.Fatalf("kill %d at %s: the archive is not the whole import's", i, at)
		}
		late = append(late, at)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
	}
	t.Logf("%d kills left no archive (at %v); %d came after it was complete (at %v)", len(mid), mid, len(late), late)
	if len(mid) < 5 {
		t.Errorf("only %d of 12 kills landed during the import; the test did not test much", len(mid))
	}
	if leftBehind == 0 {
		t.Error("no killed import left a temporary file: the test did not test the clean-up")
	}
	left := builds(t, db)
	if code, _, stderr := wparchive(t, "import", "--quiet", "--db", db, export); code != exitOK {
		t.Fatalf("import after the kills: exit %d: %s", code, stderr)
	}
	if b := builds(t, db); len(b) > 0 {
		t.Errorf("temporary files left after the next import: %v (before it: %v)", b, left)
	}
	if archiveDigest(t, db) != after {
		t.Error("the import after the kills differs from a whole import")
	}
}

// TestConcurrentFirstImports runs two first imports of different sites
// into one new path at the same moment, in two processes: both succeed,
// and the archive holds both sites, as the same imports one after the
// other leave it (the later of the two finds an archive where it meant to
// put its own, and imports into that one instead).
func TestConcurrentFirstImports(t *testing.T) {
	tmp := t.TempDir()
	one := bigExport(t, tmp, "https://one.example.org", 10)
	two := bigExport(t, tmp, "https://two.example.org", 10)
	serial := filepath.Join(tmp, "serial.sqlite")
	for _, p := range []string{one, two} {
		if code, _, stderr := wparchive(t, "import", "--quiet", "--db", serial, p); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	want := archiveCounts(t, openDB(t, serial))
	for round := 0; round < 3; round++ {
		db := filepath.Join(t.TempDir(), "a.sqlite")
		errs, outs := importAtOnce(t, db, one, two)
		wantImported(t, round, db, errs, outs, want, 2)
		if b := builds(t, db); len(b) > 0 {
			t.Errorf("round %d: temporary files left: %v", round, b)
		}
	}
}

// makesArchiveMidway is standard input that, once half of it has been
// read, makes an archive at db as another process would.
type makesArchiveMidway struct {
	t    *testing.T
	r    *strings.Reader
	half int64
	db   string
	made bool
}

func (m *makesArchiveMidway) Read(p []byte) (int, error) {
	if !m.made && m.r.Size()-int64(m.r.Len()) >= m.half {
		m.made = true
		a, err := archive.Open(context.Background(), m.db)
		if err != nil {
			m.t.Error(err)
		} else {
			a.Close()
		}
	}
	return m.r.Read(p[:min(len(p), 4096)])
}

// TestFirstImportFromStdinLosesRace: when another process makes the
// archive while a first import reads standard input, which cannot be read
// again, the import fails and says so, and the other archive is left as
// it is.
func TestFirstImportFromStdinLosesRace(t *testing.T) {
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "a.sqlite")
	in := &makesArchiveMidway{t: t, r: strings.NewReader(string(b)), half: int64(len(b) / 2), db: db}
	var out, errb strings.Builder
	code := run(context.Background(), []string{"import", "--quiet", "--db", db, "-"}, in, &out, &errb)
	if code != exitError {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitError, errb.String())
	}
	if !in.made {
		t.Fatal("the archive was not made during the import: the test tested nothing")
	}
	if !strings.Contains(errb.String(), "Another process made an archive at "+db) {
		t.Errorf("stderr does not say what happened:\n%s", errb.String())
	}
	if n := count(t, openDB(t, db), `SELECT count(*) FROM posts`); n != 0 {
		t.Errorf("the other process's archive holds %d posts, want 0", n)
	}
	if b := builds(t, db); len(b) > 0 {
		t.Errorf("temporary files left: %v", b)
	}
}

// TestFirstImportCommenters: the commenters of a first import, and the
// comments' links to them, are the same as when the same export goes into
// an archive that already holds another site's commenters.
func TestFirstImportCommenters(t *testing.T) {
	tmp := t.TempDir()
	site := bigExport(t, tmp, "https://one.example.org", 3)
	other := bigExport(t, tmp, "https://two.example.org", 1)
	fresh := filepath.Join(tmp, "fresh.sqlite")
	held := filepath.Join(tmp, "held.sqlite")
	for _, imp := range [][2]string{{fresh, site}, {held, other}, {held, site}} {
		if code, _, stderr := wparchive(t, "import", "--quiet", "--db", imp[0], imp[1]); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	q := `SELECT c.wp_id, m.identity_key, m.provider, m.name, m.email, m.url, m.avatar, m.foreign_user_id, m.wpcom_signed, m.user_id
		FROM comments c JOIN posts p ON p.id = c.post_id JOIN sites s ON s.id = p.site_id
		LEFT JOIN commenters m ON m.id = c.commenter_id
		WHERE s.site_key = 'one.example.org' ORDER BY c.id`
	rows := func(db string) []string {
		r, err := openDB(t, db).Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []string
		for r.Next() {
			v := make([]any, 10)
			for i := range v {
				v[i] = new(any)
			}
			if err := r.Scan(v...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, x := range v {
				fmt.Fprintf(&b, "%v|", *x.(*any))
			}
			out = append(out, b.String())
		}
		return out
	}
	got, want := rows(fresh), rows(held)
	if len(want) == 0 {
		t.Fatal("no comments of the site: the test tested nothing")
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("a first import's commenters differ from the upserted ones:\nfirst import: %v\nupserted:     %v", got, want)
	}
	if n := count(t, openDB(t, fresh), `SELECT count(*) FROM commenters`); n == 0 {
		t.Error("no commenters in the first import")
	}
}

// TestImportTimings: --timings prints the parts of the import on standard
// error, and they add up to no more than the whole; without it, nothing.
func TestImportTimings(t *testing.T) {
	tmp := t.TempDir()
	code, _, stderr := wparchive(t, "import", "--quiet", "--timings", "--db", filepath.Join(tmp, "a.sqlite"), seedPath)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var items, finish, commit, publish, total float64
	if _, err := fmt.Sscanf(stderr, "Timings: items %f s (reading, deriving and storing them), finishing indexes %f s, commit %f s, publish %f s (a new archive's sync and move); total %f s\n",
		&items, &finish, &commit, &publish, &total); err != nil {
		t.Fatalf("no timings line (%v) in:\n%s", err, stderr)
	}
	if items <= 0 || items+finish+commit+publish > total+0.002 {
		t.Errorf("timings do not add up: items %g + finish %g + commit %g + publish %g, total %g", items, finish, commit, publish, total)
	}
	if _, _, stderr := wparchive(t, "import", "--quiet", "--db", filepath.Join(tmp, "b.sqlite"), seedPath); strings.Contains(stderr, "Timings") {
		t.Errorf("timings printed without --timings:\n%s", stderr)
	}
}
