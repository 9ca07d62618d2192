package archive

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHelperKilledImport is the child process of TestKilledImportLeavesNoTrace:
// it writes an import into the archive named by $WPARCHIVE_KILL_ARCHIVE,
// says READY and waits to be killed.
func TestHelperKilledImport(t *testing.T) {
	path := os.Getenv("WPARCHIVE_KILL_ARCHIVE")
	if path == "" {
		t.Skip("child process of TestKilledImportLeavesNoTrace")
	}
	ctx := context.Background()
	a, err := Open(ctx, path)
	if err != nil {
		fmt.Println("ERROR", err)
		return
	}
	// One connection with a small page cache, so that SQLite spills the
	// uncommitted pages into the WAL before the kill.
	a.DB().SetMaxOpenConns(1)
	if _, err := a.DB().Exec("PRAGMA cache_size = 50"); err != nil {
		fmt.Println("ERROR", err)
		return
	}
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		fmt.Println("ERROR", err)
		return
	}
	f := baseFixture()
	f.site.Title = "Half-imported"
	w.SetSite(ctx, &f.site)
	f.posts[0].Content = "changed by the killed import"
	withHash(f.posts[0])
	for _, p := range f.posts {
		w.AddPost(ctx, p)
	}
	posts := newBenchPosts()
	for i := range 500 {
		if _, err := w.AddPost(ctx, posts.get(i+1000)); err != nil {
			fmt.Println("ERROR", err)
			return
		}
	}
	fmt.Println("READY")
	time.Sleep(time.Minute)
}

func TestKilledImportLeavesNoTrace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.sqlite")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	importFixture(t, a, baseFixture())
	before := dump(t, a.DB())
	a.Close()

	cmd := startHelper(t, "TestHelperKilledImport", "WPARCHIVE_KILL_ARCHIVE="+path, 2*time.Minute)
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() < 1<<20 {
		t.Errorf("the killed import should have spilled into the WAL: %v, %v", st, err)
	}
	cmd.Process.Kill() // SIGKILL: no deferred cleanup, no rollback
	cmd.Wait()

	a, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if after := dump(t, a.DB()); after != before {
		t.Error("a killed import left changes behind")
	}
	if got := one[string](t, a.DB(), "PRAGMA integrity_check"); got != "ok" {
		t.Errorf("integrity_check: %s", got)
	}
	// And the archive takes the next import.
	importFixture(t, a, fixture{site: Site{Key: "example.org"}, posts: []*Post{simplePost("900", "post", "0")}})
}

// startHelper runs the test named name of this test binary in a child
// process, with env (NAME=value) added, and returns it once it prints
// READY; the caller kills it. A line starting ERROR, the child's end or
// wait's passing without READY fails the test.
func startHelper(t *testing.T, name, env string, wait time.Duration) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v")
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if l := sc.Text(); l == "READY" || strings.HasPrefix(l, "ERROR") {
				ready <- l
				return
			}
		}
		ready <- "child ended without READY"
	}()
	select {
	case l := <-ready:
		if l == "READY" {
			return cmd
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal(l)
	case <-time.After(wait):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child did not get ready")
	}
	return nil
}
