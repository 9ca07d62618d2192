package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/internal/corpus"
)

const seed = "../../testdata/seed/central-asia.xml"

// privateWXR has addresses where they are easy to miss: an e-mail typed as
// the name, a mailto: URL, an IPv6 address, and both inside
// akismet_as_submitted (PHP serialize()d, with byte lengths).
const privateWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Private Matters</title>
	<link>https://private.example.org</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://private.example.org</wp:base_site_url>
	<wp:base_blog_url>https://private.example.org</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[owner]]></wp:author_login><wp:author_email><![CDATA[owner.private@example.org]]></wp:author_email><wp:author_display_name><![CDATA[Owner]]></wp:author_display_name></wp:author>
	<item>
		<title>Letters</title>
		<link>https://private.example.org/letters/</link>
		<dc:creator><![CDATA[owner]]></dc:creator>
		<content:encoded><![CDATA[Write to us.]]></content:encoded>
		<wp:post_id>5</wp:post_id>
		<wp:post_date><![CDATA[2023-03-01 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2023-03-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[letters]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:comment>
			<wp:comment_id>51</wp:comment_id>
			<wp:comment_author><![CDATA[jane.doe@example.net]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[Jane.Doe@example.net]]></wp:comment_author_email>
			<wp:comment_author_url>mailto:jane.doe@example.net</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[2001:db8:4::beef]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2023-03-02 10:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2023-03-02 09:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Lovely letters.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
			<wp:commentmeta><wp:meta_key><![CDATA[akismet_as_submitted]]></wp:meta_key><wp:meta_value><![CDATA[a:4:{s:20:"comment_author_email";s:20:"Jane.Doe@example.net";s:7:"user_ip";s:16:"2001:db8:4::beef";s:13:"POST_ak_email";s:24:"forwarded.to@example.com";s:10:"user_agent";s:11:"Mozilla/5.0";}]]></wp:meta_value></wp:commentmeta>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>52</wp:comment_id>
			<wp:comment_author><![CDATA[Owner]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[owner.private@example.org]]></wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[198.51.100.77]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2023-03-02 11:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2023-03-02 10:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Thank you, Jane.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>51</wp:comment_parent>
			<wp:comment_user_id>1</wp:comment_user_id>
		</wp:comment>
		<wp:comment>
			<wp:comment_id>53</wp:comment_id>
			<wp:comment_author><![CDATA[Jane]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[jane.doe@example.net]]></wp:comment_author_email>
			<wp:comment_author_url></wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[203.0.113.201]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2023-03-03 11:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2023-03-03 10:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Me again.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[0]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>
	</item>
</channel>
</rss>
`

// privateValues are the addresses privateWXR holds in comment and author
// columns; metaOnlyValue only in a meta value.
var privateValues = []string{"jane.doe@example.net", "2001:db8:4::beef", "owner.private@example.org", "198.51.100.77", "203.0.113.201"}

const metaOnlyValue = "forwarded.to@example.com"

// str runs a query that returns one text value.
func str(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	var s sql.NullString
	if err := db.QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

func writePrivateWXR(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "private.xml")
	if err := os.WriteFile(p, []byte(privateWXR), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	emailPat = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	ipv4Pat  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
)

// plainAddresses returns the e-mail and IP addresses left in the comment,
// commenter and commentmeta columns that could hold them: an e-mail
// pattern anywhere, an IPv4 or IPv6 address as a whole IP column, and
// any of known (addresses the input is known to hold) anywhere.
func plainAddresses(t *testing.T, db *sql.DB, known []string) []string {
	t.Helper()
	var found []string
	scan := func(q string, ipCols ...int) {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				s := v.String
				if m := emailPat.FindString(s); m != "" {
					found = append(found, cols[i]+": "+m)
				}
				for _, k := range known {
					if strings.Contains(strings.ToLower(s), strings.ToLower(k)) {
						found = append(found, cols[i]+": "+k)
					}
				}
				for _, c := range ipCols {
					if c == i && (ipv4Pat.MatchString(s) || strings.Count(s, ":") >= 2) {
						found = append(found, cols[i]+": "+s)
					}
				}
			}
		}
	}
	scan(`SELECT author_ip, author_email, author, author_url FROM comments`, 0)
	scan(`SELECT email, name, url, identity_key FROM commenters`)
	scan(`SELECT meta_value, value_json FROM commentmeta`)
	return found
}

// TestRedactKeepsNoAddress imports the seed and privateWXR with --redact
// and finds no e-mail or IP address in the comments; identities still
// group as without --redact.
func TestRedactKeepsNoAddress(t *testing.T) {
	dir := t.TempDir()
	priv := writePrivateWXR(t)
	plain, red := filepath.Join(dir, "plain.sqlite"), filepath.Join(dir, "redacted.sqlite")
	for _, f := range []string{seed, priv} {
		if code, _, stderr := wparchive(t, "import", "--quiet", "--db", plain, f); code != exitOK {
			t.Fatalf("import: %s", stderr)
		}
		if code, _, stderr := wparchive(t, "import", "--quiet", "--redact", "--db", red, f); code != exitOK {
			t.Fatalf("import --redact: %s", stderr)
		}
	}
	pdb, rdb := openDB(t, plain), openDB(t, red)
	const plainCount = `SELECT count(*) FROM comments WHERE author_email LIKE '%_@_%' OR author_ip GLOB '*[0-9].[0-9]*.[0-9]*.[0-9]*' OR author_ip LIKE '%:%:%'`
	if n := count(t, rdb, plainCount); n != 0 {
		t.Errorf("--redact: %d comments with a plain e-mail or IP address", n)
	}
	if n := count(t, pdb, plainCount); n != 14 {
		t.Errorf("without --redact: %d comments with an e-mail or IP address, want 14 (the test would not see a leak)", n)
	}
	known := append([]string{"harald.e@example.net", "bolat.s@example.com", "2001:db8::2a", "192.0.2.150", metaOnlyValue}, privateValues...)
	if found := plainAddresses(t, rdb, known); len(found) > 0 {
		t.Errorf("--redact left addresses:\n  %s", strings.Join(found, "\n  "))
	}
	if found := plainAddresses(t, pdb, known); len(found) < len(known) {
		t.Errorf("without --redact only %d addresses found: %v", len(found), found)
	}
	// The same people, the same threads.
	for _, q := range []string{
		`SELECT count(*) FROM commenters`,
		`SELECT count(DISTINCT commenter_id) FROM comments`,
		`SELECT count(*) FROM comments WHERE author_email != ''`,
		`SELECT count(*) FROM comments WHERE parent_id IS NOT NULL`,
	} {
		if p, r := count(t, pdb, q), count(t, rdb, q); p != r {
			t.Errorf("%s: %d without --redact, %d with", q, p, r)
		}
	}
	// Jane wrote 51 and 53 with the e-mail in two cases: one commenter.
	if n := count(t, rdb, `SELECT count(DISTINCT commenter_id) FROM comments WHERE wp_id IN (51, 53)`); n != 1 {
		t.Errorf("Jane is %d commenters after --redact", n)
	}
	// The serialize()d meta keeps its byte lengths.
	v := str(t, rdb, `SELECT meta_value FROM commentmeta WHERE meta_key = 'akismet_as_submitted'`)
	for _, m := range regexp.MustCompile(`s:(\d+):"([^"]*)";`).FindAllStringSubmatch(v, -1) {
		if n, _ := strconv.Atoi(m[1]); n != len(m[2]) {
			t.Errorf("akismet_as_submitted after --redact: s:%s:%q", m[1], m[2])
		}
	}
	// A second redacted import uses the archive's salt: nothing changes.
	before := count(t, rdb, `SELECT count(*) FROM commenters`)
	if code, _, stderr := wparchive(t, "import", "--quiet", "--redact", "--db", red, seed); code != exitOK {
		t.Fatal(stderr)
	}
	if after := count(t, rdb, `SELECT count(*) FROM commenters`); after != before {
		t.Errorf("commenters %d after importing again, %d before", after, before)
	}
}

// TestRedactPublicCorpus: --redact on every export of the corpus with
// comments leaves no plain address.
func TestRedactPublicCorpus(t *testing.T) {
	dir := corpus.Need(t)
	for _, name := range []string{"MikeChristianson__wordpress.xml", "pelican__wordpressexport.xml", "cc-archive-labs__wordpress.xml",
		"ServiceStackV3-mythz_blog__wordpress-export.xml", "Roshanzheng__wordpress.xml", "charleso-blog__wordpress.xml",
		"wpimporter__theme-unit-test-data.xml", "Nitrooos__wordpress.xml"} {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "r.sqlite")
			if code, _, stderr := wparchive(t, "import", "--quiet", "--redact", "--db", db, filepath.Join(dir, "public", name)); code != exitOK {
				t.Fatalf("import --redact: %s", stderr)
			}
			conn := openDB(t, db)
			if n := count(t, conn, `SELECT count(*) FROM comments`); n == 0 {
				t.Fatal("no comments imported")
			}
			if found := plainAddresses(t, conn, nil); len(found) > 0 {
				sort.Strings(found)
				t.Errorf("%d addresses left, e.g. in column %s", len(found), strings.SplitN(found[0], ":", 2)[0])
			}
		})
	}
}

// privateInArchive returns the e-mail and IP addresses an archive holds
// (comments, commenters, authors) that no output may print, leaving out
// those that also occur in a title or content, which outputs print.
func privateInArchive(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT author_email FROM comments UNION SELECT author_ip FROM comments
		UNION SELECT email FROM commenters UNION SELECT email FROM authors`)
	if err != nil {
		t.Fatal(err)
	}
	var vals []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if v := strings.TrimSpace(s.String); len(v) >= 7 {
			vals = append(vals, v)
		}
	}
	rows.Close()
	var out []string
	for _, v := range vals {
		if count(t, db, `SELECT count(*) FROM posts WHERE instr(lower(coalesce(content, '') || title || coalesce(excerpt, '')), lower(?)) > 0`, v) > 0 ||
			count(t, db, `SELECT count(*) FROM comments WHERE instr(lower(coalesce(content, '') || coalesce(author, '')), lower(?)) > 0 AND kind IN ('trackback', 'pingback')`, v) > 0 ||
			count(t, db, `SELECT count(*) FROM comments WHERE instr(lower(coalesce(content, '')), lower(?)) > 0`, v) > 0 {
			continue
		}
		out = append(out, v)
	}
	return out
}

// outputs runs every command that prints what an archive holds and
// returns what each printed: show (text and JSON) for every post with
// comments, stats, and search and export when they are registered.
func outputs(t *testing.T, path string, db *sql.DB, queries []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	runOK := func(args ...string) string {
		code, stdout, stderr := wparchive(t, args...)
		if code != exitOK {
			t.Errorf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		return stdout + stderr
	}
	rows, err := db.Query(`SELECT DISTINCT post_id FROM comments ORDER BY post_id`)
	if err != nil {
		t.Fatal(err)
	}
	var posts []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		posts = append(posts, strconv.FormatInt(id, 10))
	}
	rows.Close()
	for _, p := range posts {
		out["show --row "+p] = runOK("show", "--db", path, "--row", p)
		out["show --json --row "+p] = runOK("show", "--db", path, "--json", "--row", p)
	}
	if _, ok := commands["stats"]; ok {
		out["stats"] = runOK("stats", "--db", path)
		out["stats --json"] = runOK("stats", "--db", path, "--json")
	}
	if _, ok := commands["search"]; ok {
		for _, q := range queries {
			out["search "+q] = runOK("search", "--db", path, q)
		}
	}
	if _, ok := commands["export"]; ok {
		dir := filepath.Join(t.TempDir(), "export")
		_, help, _ := wparchive(t, "help", "export")
		args := []string{"export", "--db", path}
		if strings.Contains(help, "--out") {
			args = append(args, "--out", dir)
		} else {
			args = append(args, dir)
		}
		out["export"] = runOK(args...)
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, err := os.ReadFile(p); err == nil {
					out["export file "+strings.TrimPrefix(p, dir)] = string(b)
				}
			}
			return nil
		})
	}
	return out
}

// leaks returns "output: value" for each private value an output holds.
func leaks(outs map[string]string, private []string) []string {
	var found []string
	for name, o := range outs {
		lo := strings.ToLower(o)
		for _, v := range private {
			if strings.Contains(lo, strings.ToLower(v)) {
				found = append(found, name+": "+v)
			}
		}
		if m := emailPat.FindString(o); m != "" && strings.HasPrefix(name, "show") && strings.Contains(m, "@example.") {
			found = append(found, name+": "+m)
		}
	}
	sort.Strings(found)
	return found
}

// TestOutputsPrintNoAddress: without --include-private, no output of
// wparchive prints a commenter's (or author's) e-mail or IP address. The
// archive holds them (no --redact), so the grep would see a leak; with
// --include-private show prints them, so the grep can find them.
func TestOutputsPrintNoAddress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.sqlite")
	var importOut strings.Builder
	for _, f := range []string{seed, writePrivateWXR(t)} {
		code, stdout, stderr := wparchive(t, "import", "--quiet", "--db", path, f)
		if code != exitOK {
			t.Fatal(stderr)
		}
		importOut.WriteString(stdout + stderr)
		_, stdout, _ = wparchive(t, "import", "--json", "--quiet", "--db", path, f)
		importOut.WriteString(stdout)
	}
	db := openDB(t, path)
	private := privateInArchive(t, db)
	for _, v := range append([]string{"harald.e@example.net", "203.0.113.9", "2001:db8::2a", "steppewatcher@example.org"}, privateValues...) {
		found := false
		for _, p := range private {
			found = found || strings.EqualFold(p, v)
		}
		if !found {
			t.Errorf("%s is not among the addresses the archive holds: %v", v, private)
		}
	}
	private = append(private, metaOnlyValue)
	outs := outputs(t, path, db, []string{"Aigerim", "Kazakhtan", "QSL", "Tashkent", "offers", "Jane", "letters", "example"})
	outs["import"] = importOut.String()
	if found := leaks(outs, private); len(found) > 0 {
		t.Errorf("outputs print private addresses:\n  %s", strings.Join(found, "\n  "))
	}
	// The control: asked to, show prints them.
	for _, ref := range []string{"21873", "letters"} {
		code, out, stderr := wparchive(t, "show", "--db", path, "--include-private", ref)
		if code != exitOK {
			t.Fatal(stderr)
		}
		if found := leaks(map[string]string{"show": out}, private); len(found) < 4 {
			t.Errorf("show --include-private %s prints only %v", ref, found)
		}
	}
	code, out, _ := wparchive(t, "show", "--db", path, "letters")
	if code != exitOK || !strings.Contains(out, "#51 (e-mail hidden) · comment · guest") {
		t.Errorf("an e-mail typed as the name is not masked:\n%s", out)
	}
}

// TestOutputsPrintNoAddressCorpus greps show's and stats' output for the
// addresses of real exports.
func TestOutputsPrintNoAddressCorpus(t *testing.T) {
	dir := corpus.Need(t)
	for _, name := range []string{"MikeChristianson__wordpress.xml", "pelican__wordpressexport.xml", "ServiceStackV3-mythz_blog__wordpress-export.xml", "charleso-blog__wordpress.xml"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.sqlite")
			if code, _, stderr := wparchive(t, "import", "--quiet", "--db", path, filepath.Join(dir, "public", name)); code != exitOK {
				t.Fatal(stderr)
			}
			db := openDB(t, path)
			private := privateInArchive(t, db)
			if len(private) == 0 {
				t.Fatal("no address in the archive to look for")
			}
			if found := leaks(outputs(t, path, db, []string{"comment", "thanks"}), private); len(found) > 0 {
				t.Errorf("%d private addresses printed, e.g. by %s", len(found), strings.SplitN(found[0], ":", 2)[0])
			}
		})
	}
}
