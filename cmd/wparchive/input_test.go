package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const seedPath = "../../testdata/seed/central-asia.xml"

// seedParts splits the seed export into two complete WXR documents the way
// WordPress.com splits big sites: each repeats the channel, the items are
// divided. The attachment (child of post 21873) goes into the first part and
// its parent into the second, so references must resolve across parts.
func seedParts(t *testing.T) (first, second []byte) {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "<item>")
	end := strings.LastIndex(s, "</channel>")
	head, body, foot := s[:start], s[start:end], s[end:]
	cut := strings.Index(body, "<wp:post_id>21875</wp:post_id>")
	cut = strings.LastIndex(body[:cut], "<item>")
	return []byte(head + body[cut:] + foot), []byte(head + body[:cut] + foot)
}

func writeFile(t *testing.T, path string, b []byte) string {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// TestImportInputKinds imports the seed as every kind of input a user may
// have and checks that each gives the same archive, with the attachment's
// parent resolved across parts.
func TestImportInputKinds(t *testing.T) {
	dir := t.TempDir()
	p0, p1 := seedParts(t)
	whole, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}

	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for name, b := range map[string][]byte{
		"steppewatch.wordpress.com-2024-03-10-08_15_00/steppewatch.wordpress.com.2024-03-10.000.xml": p0,
		"steppewatch.wordpress.com-2024-03-10-08_15_00/steppewatch.wordpress.com.2024-03-10.001.xml": p1,
	} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(b)
	}
	zw.Close()

	parts := filepath.Join(dir, "parts")
	os.Mkdir(parts, 0o755)
	writeFile(t, filepath.Join(parts, "site.wordpress.com.2024-03-10.000.xml"), p0)
	writeFile(t, filepath.Join(parts, "site.wordpress.com.2024-03-10.001.xml"), p1)

	cases := []struct {
		name  string
		args  []string
		stdin []byte
	}{
		{"xml", []string{seedPath}, nil},
		{"gzip named .xml", []string{writeFile(t, filepath.Join(dir, "export.xml"), gz(t, whole))}, nil},
		{"zip named .dat", []string{writeFile(t, filepath.Join(dir, "export.dat"), zbuf.Bytes())}, nil},
		{"folder of parts", []string{parts}, nil},
		{"two files", []string{filepath.Join(parts, "site.wordpress.com.2024-03-10.000.xml"), filepath.Join(parts, "site.wordpress.com.2024-03-10.001.xml")}, nil},
		{"stdin gzip", []string{"-"}, gz(t, whole)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "a.sqlite")
			args := append([]string{"import", "--quiet", "--db", db}, c.args...)
			var out, errb bytes.Buffer
			code := run(t.Context(), args, bytes.NewReader(c.stdin), &out, &errb)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			a := openDB(t, db)
			if n := count(t, a, `SELECT count(*) FROM posts`); n != 6 {
				t.Errorf("posts = %d, want 6", n)
			}
			if n := count(t, a, `SELECT count(*) FROM comments`); n != 11 {
				t.Errorf("comments = %d, want 11", n)
			}
			if n := count(t, a, `SELECT count(*) FROM sites`); n != 1 {
				t.Errorf("sites = %d, want 1 (parts of one site)", n)
			}
			if n := count(t, a, `SELECT count(*) FROM posts c JOIN posts p ON c.parent_id = p.id WHERE c.wp_id = 21875 AND p.wp_id = 21873`); n != 1 {
				t.Errorf("the attachment's parent is not resolved")
			}
		})
	}
}
