package main

import (
	"database/sql"
	"fmt"
	"html"
	"net/netip"
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

// contactWXR has addresses outside the comment columns: a Jetpack
// contact-form message (post type feedback: "AUTHOR EMAIL:" and "IP:"
// lines in its content and title, _feedback_* meta, serialize()d with the
// message inside), term meta, an unknown element kept as JSON, commentmeta
// under keys of every kind, IPv6 in a comment's text, an e-mail typed as a
// percent-escape, and a version number (4.3.2.1) that is no address.
const contactWXR = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:px="http://plugin.example.com/ns/">
<channel>
	<title>Contact Desk</title>
	<link>https://contact.example.org</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://contact.example.org</wp:base_site_url>
	<wp:base_blog_url>https://contact.example.org</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[desk]]></wp:author_login><wp:author_email><![CDATA[desk.owner@example.org]]></wp:author_email><wp:author_display_name><![CDATA[Desk]]></wp:author_display_name></wp:author>
	<wp:term><wp:term_id>3</wp:term_id><wp:term_taxonomy><![CDATA[category]]></wp:term_taxonomy><wp:term_slug><![CDATA[letters]]></wp:term_slug><wp:term_name><![CDATA[Letters]]></wp:term_name><wp:termmeta><wp:meta_key><![CDATA[editor_contact]]></wp:meta_key><wp:meta_value><![CDATA[letters.editor@example.net]]></wp:meta_value></wp:termmeta></wp:term>
	<px:settings><px:admin ip="192.0.2.240">ops.alerts@example.com</px:admin></px:settings>
	<item>
		<title>Rosa Roe - 2023-04-01 10:00:00</title>
		<link>https://contact.example.org/?post_type=feedback&amp;p=9</link>
		<dc:creator><![CDATA[desk]]></dc:creator>
		<content:encoded><![CDATA[Could you send me the slides?
<!--more-->
AUTHOR: Rosa Roe
AUTHOR EMAIL: rosa.roe@example.com
AUTHOR URL: http://198.51.100.201/~rosa
SUBJECT: Slides
IP: 198.51.100.201
]]></content:encoded>
		<wp:post_id>9</wp:post_id>
		<wp:post_date><![CDATA[2023-04-01 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2023-04-01 09:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[rosa-roe-2023-04-01-100000]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[feedback]]></wp:post_type>
		<wp:postmeta><wp:meta_key><![CDATA[_feedback_ip]]></wp:meta_key><wp:meta_value><![CDATA[198.51.100.201]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_feedback_author_email]]></wp:meta_key><wp:meta_value><![CDATA[rosa.roe@example.com]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_feedback_email]]></wp:meta_key><wp:meta_value><![CDATA[a:2:{s:2:"to";a:1:{i:0;s:22:"desk.owner@example.org";}s:7:"message";s:58:"Email: rosa.roe@example.com
IP Address: 198.51.100.201
Hi.";}]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_feedback_akismet_values]]></wp:meta_key><wp:meta_value><![CDATA[a:4:{s:14:"comment_author";s:8:"Rosa Roe";s:20:"comment_author_email";s:20:"rosa.roe@example.com";s:17:"comment_author_IP";s:14:"198.51.100.201";s:20:"HTTP_X_FORWARDED_FOR";s:24:"10.20.30.40, 172.16.5.77";}]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_contact_plugin_version]]></wp:meta_key><wp:meta_value><![CDATA[4.3.2.1]]></wp:meta_value></wp:postmeta>
	</item>
	<item>
		<title>Open letters</title>
		<link>https://contact.example.org/open-letters/</link>
		<dc:creator><![CDATA[desk]]></dc:creator>
		<content:encoded><![CDATA[Letters we may publish.]]></content:encoded>
		<wp:post_id>10</wp:post_id>
		<wp:post_date><![CDATA[2023-04-02 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2023-04-02 09:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[open-letters]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<px:visitor ip="203.0.113.199">visitor.log@example.net</px:visitor>
		<wp:comment>
			<wp:comment_id>101</wp:comment_id>
			<wp:comment_author><![CDATA[Sam]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[sam.private@example.com]]></wp:comment_author_email>
			<wp:comment_author_url>https://example.com/?ref=sam.private%40example.com</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[2001:db8:77::5]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2023-04-03 10:00:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2023-04-03 09:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[My other machine is 2001:db8:77::9 and my office mail sam.office%40example.org.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
			<wp:comment_forwarded_for><![CDATA[203.0.113.198]]></wp:comment_forwarded_for>
			<wp:commentmeta><wp:meta_key><![CDATA[comment_author_email]]></wp:meta_key><wp:meta_value><![CDATA[sam.private@example.com]]></wp:meta_value></wp:commentmeta>
			<wp:commentmeta><wp:meta_key><![CDATA[akismet_history]]></wp:meta_key><wp:meta_value><![CDATA[a:4:{s:4:"time";d:1680512400.5;s:5:"event";s:9:"check-ham";s:4:"user";s:0:"";s:7:"message";s:27:"Checked from 203.0.113.197.";}]]></wp:meta_value></wp:commentmeta>
			<wp:commentmeta><wp:meta_key><![CDATA[_form_entry]]></wp:meta_key><wp:meta_value><![CDATA[{"ip":"203.0.113.196","email":"sam.private@example.com","version":"4.3.2"}]]></wp:meta_value></wp:commentmeta>
		</wp:comment>
	</item>
</channel>
</rss>
`

// contactValues are addresses contactWXR holds outside the comment
// columns; contactVersion is a version number in it that stays.
var contactValues = []string{"rosa.roe@example.com", "198.51.100.201", "desk.owner@example.org", "10.20.30.40", "172.16.5.77",
	"letters.editor@example.net", "192.0.2.240", "ops.alerts@example.com", "203.0.113.199", "visitor.log@example.net",
	"2001:db8:77::9", "sam.office@example.org", "203.0.113.198", "203.0.113.197", "203.0.113.196"}

const contactVersion = "4.3.2.1"

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

// writeContactWXR writes contactWXR to a file and returns its path.
func writeContactWXR(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "contact.xml")
	if err := os.WriteFile(p, []byte(contactWXR), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRedactKeepsNoAddress imports the seed, privateWXR and contactWXR
// with --redact and finds none of their e-mail or IP addresses anywhere in
// the archive (any text of any table or view, the file's bytes and its
// WAL's, before and after a checkpoint); identities still group as
// without --redact, and serialize()d meta stays valid.
func TestRedactKeepsNoAddress(t *testing.T) {
	plain, red := checkRedacted(t, []string{seed, writePrivateWXR(t), writeContactWXR(t)})
	pdb, rdb := openDB(t, plain), openDB(t, red)
	// The rule's own examples are in the inputs: the check covers them.
	src := sourceAddresses([]byte(contactWXR))
	for _, v := range contactValues {
		if !src[v] {
			t.Errorf("%s is not among contactWXR's addresses as the test finds them", v)
		}
	}
	if src[contactVersion] {
		t.Errorf("the version number %s is taken for an address", contactVersion)
	}
	// ... and a version number is no address: it stays.
	if n := count(t, rdb, `SELECT count(*) FROM postmeta WHERE meta_value = ?`, contactVersion); n != 1 {
		t.Errorf("the version meta value %s is in %d rows after --redact, want 1", contactVersion, n)
	}
	const plainCount = `SELECT count(*) FROM comments WHERE author_email LIKE '%_@_%' OR author_ip GLOB '*[0-9].[0-9]*.[0-9]*.[0-9]*' OR author_ip LIKE '%:%:%'`
	if n := count(t, rdb, plainCount); n != 0 {
		t.Errorf("--redact: %d comments with a plain e-mail or IP address", n)
	}
	if n := count(t, pdb, plainCount); n != 15 {
		t.Errorf("without --redact: %d comments with an e-mail or IP address, want 15 (the test would not see a leak)", n)
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
	// The serialize()d meta keeps its byte lengths, and decodes to the
	// same members as without --redact.
	serialized := `SELECT meta_key, meta_value, value_json FROM commentmeta WHERE value_json IS NOT NULL
		UNION ALL SELECT meta_key, meta_value, value_json FROM postmeta WHERE value_json IS NOT NULL ORDER BY 1, 2`
	if p, r := count(t, pdb, `SELECT count(*) FROM (`+serialized+`)`), count(t, rdb, `SELECT count(*) FROM (`+serialized+`)`); p != r || r < 5 {
		t.Errorf("serialize()d meta values: %d decoded without --redact, %d with", p, r)
	}
	for _, q := range []string{`SELECT meta_value FROM commentmeta WHERE value_json IS NOT NULL`, `SELECT meta_value FROM postmeta WHERE value_json IS NOT NULL`} {
		rows, err := rdb.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var v string
			rows.Scan(&v)
			for _, m := range regexp.MustCompile(`s:(\d+):"`).FindAllStringSubmatchIndex(v, -1) {
				n, _ := strconv.Atoi(v[m[2]:m[3]])
				if end := m[1] + n; end+2 > len(v) || v[end:end+2] != `";` {
					t.Errorf("after --redact a string's declared length %d is wrong in %q", n, v)
				}
			}
		}
		rows.Close()
	}
	// One person's e-mail has one hash, as commenter, in meta and as author.
	sam := str(t, rdb, `SELECT author_email FROM comments WHERE wp_id = 101`)
	if n := count(t, rdb, `SELECT count(*) FROM commentmeta WHERE instr(meta_value, ?) > 0`, sam); n != 2 {
		t.Errorf("sam's e-mail hash %q is in %d commentmeta rows, want 2", sam, n)
	}
	owner := str(t, rdb, `SELECT email FROM authors WHERE login = 'owner'`)
	if owner != str(t, rdb, `SELECT author_email FROM comments WHERE wp_id = 52`) || !strings.HasPrefix(owner, "redacted:") {
		t.Errorf("the author's e-mail %q is not the hash of the same e-mail as commenter", owner)
	}
	// Importing the same exports with --redact into the archive that holds
	// them plain rewrites every item (none is taken for unchanged) and
	// leaves none of their addresses behind.
	want := map[string]bool{}
	for _, f := range []string{seed, writePrivateWXR(t), writeContactWXR(t)} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for a := range sourceAddresses(b) {
			want[a] = true
		}
		code, out, stderr := wparchive(t, "import", "--redact", "--quiet", "--json", "--db", plain, f)
		if code != exitOK || !strings.Contains(out, `"unchanged": 0`) {
			t.Fatalf("import --redact over the plain archive: %s %s", out, stderr)
		}
	}
	if left := archiveAddressesAt(t, plain, want, false); len(left) > 0 {
		t.Errorf("--redact over a plain archive left %d addresses: %v", len(left), left)
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

// TestRedactPublicCorpus: --redact on every export of the corpus, and on
// the synthetic sample, leaves none of its addresses anywhere in the
// archive (checkRedacted), and no plain address in the columns that hold
// them. An export that cannot be imported at all (the malformed ones,
// tested elsewhere) is left out.
func TestRedactPublicCorpus(t *testing.T) {
	dir := corpus.Need(t)
	files, err := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(dir, "synthetic", "sample-everything.xml"))
	withComments, ran := 0, 0
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			ran++
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(sourceAddresses(b)) == 0 {
				return
			}
			_, red := checkRedacted(t, []string{f})
			conn := openDB(t, red)
			if count(t, conn, `SELECT count(*) FROM comments`) > 0 {
				withComments++
			}
			if found := plainAddresses(t, conn, nil); len(found) > 0 {
				sort.Strings(found)
				t.Errorf("%d addresses left, e.g. in column %s", len(found), strings.SplitN(found[0], ":", 2)[0])
			}
		})
	}
	if ran == len(files) && withComments < 8 {
		t.Errorf("only %d exports with comments checked", withComments)
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
	if _, ok := commands["sql"]; ok {
		// The views are made for SQL users and hold no e-mail or IP column.
		rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'view' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		var views []string
		for rows.Next() {
			var v string
			rows.Scan(&v)
			views = append(views, v)
		}
		rows.Close()
		if len(views) == 0 {
			t.Error("no views to look through")
		}
		for _, v := range views {
			out["sql "+v] = runOK("sql", "--db", path, "--format", "json", "SELECT * FROM "+v)
		}
	}
	if _, ok := commands["export"]; ok {
		rows, err := db.Query(`SELECT site_key FROM sites ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		var sites []string
		for rows.Next() {
			var k string
			rows.Scan(&k)
			sites = append(sites, k)
		}
		rows.Close()
		for i, site := range sites {
			for _, comments := range [][]string{nil, {"--comments", "inline", "--comments-status", "approved,pending,spam,trash"}} {
				dir := filepath.Join(t.TempDir(), "export")
				args := append([]string{"export", "--db", path, "--out", dir, "--site", site}, comments...)
				name := fmt.Sprintf("export %d %s", i, strings.Join(comments, " "))
				out[name] = runOK(args...)
				filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						if b, err := os.ReadFile(p); err == nil {
							out[name+" file "+strings.TrimPrefix(p, dir)] = string(b)
						}
					}
					return nil
				})
			}
		}
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
	for _, f := range []string{seed, writePrivateWXR(t), writeContactWXR(t)} {
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
	// A contact-form message's sender: in its content and meta only.
	feedback := []string{"rosa.roe@example.com", "198.51.100.201", "10.20.30.40", "172.16.5.77"}
	private = append(private, metaOnlyValue)
	private = append(private, feedback...)
	outs := outputs(t, path, db, []string{"Aigerim", "Kazakhtan", "QSL", "Tashkent", "offers", "Jane", "letters", "example",
		"slides", "Rosa", "IP", "AUTHOR", "rosa.roe", `"198.51.100.201"`})
	outs["import"] = importOut.String()
	if found := leaks(outs, private); len(found) > 0 {
		t.Errorf("outputs print private addresses:\n  %s", strings.Join(found, "\n  "))
	}
	// Search finds the message, and hides its sender's addresses.
	for _, q := range []string{"slides", "rosa.roe"} {
		_, out, _ := wparchive(t, "search", "--db", path, "--json", q)
		if !strings.Contains(out, `"type": "feedback"`) && !strings.Contains(out, `"type":"feedback"`) {
			t.Errorf("search %s does not find the contact-form message: %s", q, out)
		}
		if q == "rosa.roe" && !strings.Contains(out, "(e-mail hidden)") {
			t.Errorf("search %s: the snippet does not say the e-mail is hidden: %s", q, out)
		}
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

// The address rule of import --redact (importer/redact.go), written again
// here so that the test does not trust the code it checks: every e-mail
// address (also with @ written %40 or &#64;; not logo@2x.png or
// lodash@4.17.21); every value of an IP field (wp:comment_author_IP, meta
// under an IP key); elsewhere every dotted quad of numbers 0–255 standing
// apart from words and longer dotted numbers, except 0.x, 127.x and 240.x
// and above and those in a meta value under a version key; and every IPv6
// address standing apart with a group of three or four hex digits, except
// :: and ::1. Addresses are compared lower-case and in canonical form.
var (
	emailCand  = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+(?:@|%40|&#0*64;|&#x0*40;)[a-z0-9\-]+(?:\.[a-z0-9\-]+)+`)
	atEscapes  = strings.NewReplacer("%40", "@", "&#64;", "@", "&#064;", "@", "&#x40;", "@", "&#X40;", "@")
	metaPair   = regexp.MustCompile(`(?s)<wp:meta_key>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</wp:meta_key>\s*<wp:meta_value>(.*?)</wp:meta_value>`)
	ipElement  = regexp.MustCompile(`(?s)<wp:comment_author_IP>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</wp:comment_author_IP>`)
	ipKeyWord  = regexp.MustCompile(`(^|[^a-z])ip($|[^a-z])|remote_?addr|forwarded|user_?ip|author_?ip`)
	versionKey = regexp.MustCompile(`version|(^|[^a-z])ver($|[^a-z])`)
	// logo@2x.png is an image, not an e-mail address.
	retinaDomain = regexp.MustCompile(`^\d+(\.\d+)?x\.`)
)

func wordByte(c byte) bool {
	return c == '_' || c >= 0x80 || '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

// quad returns the canonical form of a dotted quad of numbers 0–255.
func quad(s string) (string, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return "", false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) > 3 || n > 255 {
			return "", false
		}
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "."), true
}

// addressesIn returns the addresses in s: in free text (field false) by
// the rule above, or every address an IP field holds (field true). With
// all, every dotted quad and IPv6 address counts (for looking through an
// archive, where a hash's neighbours are no guide). It scans by hand
// rather than with regular expressions, which are slow on a database
// file's megabytes.
func addressesIn(s string, field, all bool) []string {
	var out []string
	// E-mail: around each @ (or %40, &#64;, &#x40;).
	for i := 0; i < len(s); i++ {
		at := 0
		switch {
		case s[i] == '@':
			at = 1
		case s[i] == '%' && strings.HasPrefix(s[i:], "%40"):
			at = 3
		case s[i] == '&' && (strings.HasPrefix(s[i:], "&#64;") || strings.HasPrefix(s[i:], "&#064;") || len(s) >= i+6 && strings.EqualFold(s[i:i+6], "&#x40;")):
			at = strings.IndexByte(s[i:], ';') + 1
		default:
			continue
		}
		l := i
		for l > 0 && localByte(s[l-1]) {
			l--
		}
		r := i + at
		for r < len(s) && (domainByte(s[r]) || s[r] == '.' && r+1 < len(s) && domainByte(s[r+1])) {
			r++
		}
		if m := emailCand.FindString(s[l:r]); m != "" {
			m = strings.ToLower(atEscapes.Replace(m))
			domain := m[strings.IndexByte(m, '@')+1:]
			last := domain[strings.LastIndexByte(domain, '.')+1:]
			if last != "" && 'a' <= last[0] && last[0] <= 'z' && !retinaDomain.MatchString(domain) {
				out = append(out, m)
			}
		}
		i += at - 1
	}
	// Dotted quads: each maximal run of digits and dots.
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			continue
		}
		j := i
		for j < len(s) && ('0' <= s[j] && s[j] <= '9' || s[j] == '.' && j+1 < len(s) && '0' <= s[j+1] && s[j+1] <= '9') {
			j++
		}
		parts := strings.Split(s[i:j], ".")
		for k := 0; k+4 <= len(parts); k++ {
			q, ok := quad(strings.Join(parts[k:k+4], "."))
			if !ok {
				continue
			}
			if !all && !field {
				if len(parts) != 4 || i > 0 && (wordByte(s[i-1]) || s[i-1] == '.') || j < len(s) && wordByte(s[j]) {
					continue
				}
				if neverHost(netip.MustParseAddr(q)) {
					continue
				}
			}
			out = append(out, q)
		}
		i = j
	}
	// IPv6: each maximal run of hex digits, colons and dots with two
	// colons or more.
	for i := 0; i < len(s); i++ {
		if s[i] != ':' {
			continue
		}
		start, end := i, i
		for start > 0 && v6Byte(s[start-1]) {
			start--
		}
		for end < len(s) && v6Byte(s[end]) {
			end++
		}
		i = end
		if strings.Count(s[start:end], ":") < 2 {
			continue
		}
		for end > start && (s[end-1] == '.' || s[end-1] == ':' && (end-start < 2 || s[end-2] != ':')) {
			end--
		}
		run := s[start:end]
		a, err := netip.ParseAddr(run)
		if err != nil || !a.Is6() {
			continue
		}
		if !all && !field {
			long := false
			for _, g := range strings.Split(run, ":") {
				long = long || len(g) >= 3
			}
			if !long || neverHost(a) || start > 0 && wordByte(s[start-1]) || end < len(s) && wordByte(s[end]) {
				continue
			}
		}
		out = append(out, a.String())
	}
	return out
}

func localByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z' || strings.IndexByte("._%+-", c) >= 0
}

func domainByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z' || c == '-'
}

func v6Byte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' || c == ':' || c == '.'
}

// sourceAddresses returns the addresses an export holds, by the rule
// above, read from its text (and again HTML-unescaped, as text nodes are).
func sourceAddresses(data []byte) map[string]bool {
	text := string(data)
	found := map[string]bool{}
	add := func(as []string) {
		for _, a := range as {
			found[a] = true
		}
	}
	// Version meta values are left out of the free text.
	free := metaPair.ReplaceAllStringFunc(text, func(m string) string {
		g := metaPair.FindStringSubmatch(m)
		key := strings.ToLower(g[1])
		switch {
		case ipKeyWord.MatchString(key):
			add(addressesIn(g[2], true, false))
		case versionKey.MatchString(key):
			return ""
		}
		return m
	})
	for _, g := range ipElement.FindAllStringSubmatch(text, -1) {
		add(addressesIn(g[1], true, false))
	}
	// An address never a host's (127.0.0.1 …) is one in an IP field but
	// stays in free text: where the text has it too, it is not looked for.
	for a := range found {
		if ip, err := netip.ParseAddr(a); err == nil && neverHost(ip) && strings.Contains(free, a) {
			delete(found, a)
		}
	}
	add(addressesIn(free, false, false))
	add(addressesIn(html.UnescapeString(free), false, false))
	return found
}

// neverHost reports whether the rule leaves ip in free text.
func neverHost(ip netip.Addr) bool {
	if ip.Is4() {
		b := ip.As4()
		return b[0] == 0 || b[0] == 127 || b[0] >= 240
	}
	return ip.IsLoopback() || ip.IsUnspecified()
}

// archiveAddresses returns, of want, the addresses found anywhere in the
// archive at path: in any text of any table or view (FTS tables included),
// and in the bytes of the database file and its WAL as they are, and
// again after a checkpoint. where says where each was found first.
func archiveAddresses(t *testing.T, path string, want map[string]bool) map[string]string {
	t.Helper()
	return archiveAddressesAt(t, path, want, true)
}

// archiveAddressesAt is archiveAddresses; with before false the files'
// bytes are read only after the checkpoint (until which, in WAL mode, the
// database file rightly keeps the pages a transaction replaced).
func archiveAddressesAt(t *testing.T, path string, want map[string]bool, before bool) map[string]string {
	t.Helper()
	found := map[string]string{}
	look := func(where, s string) {
		for _, a := range addressesIn(s, false, true) {
			if want[a] {
				if _, ok := found[a]; !ok {
					found[a] = where
				}
			}
		}
	}
	files := func(stage string) {
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if err == nil {
				look(stage+" bytes of "+filepath.Base(f), string(b))
			} else if !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
	}
	if before {
		files("before checkpoint:")
	}
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var objs []string
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		objs = append(objs, n)
	}
	rows.Close()
	for _, o := range objs {
		rows, err := db.Query(`SELECT * FROM "` + o + `"`)
		if err != nil {
			t.Fatalf("%s: %v", o, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				switch v := v.(type) {
				case string:
					look(o+"."+cols[i], v)
				case []byte:
					look(o+"."+cols[i], string(v))
				}
			}
		}
		rows.Close()
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	files("after checkpoint:")
	return found
}

// checkRedacted imports inputs (paths) without and with --redact and
// checks that the redacted archive holds none of the addresses the
// inputs hold, anywhere, while the plain one holds them (so the check
// would see them).
func checkRedacted(t *testing.T, inputs []string) (plainPath, redPath string) {
	t.Helper()
	dir := t.TempDir()
	plainPath, redPath = filepath.Join(dir, "plain.sqlite"), filepath.Join(dir, "redacted.sqlite")
	want := map[string]bool{}
	for _, f := range inputs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for a := range sourceAddresses(b) {
			want[a] = true
		}
		if code, _, stderr := wparchive(t, "import", "--quiet", "--db", plainPath, f); code != exitOK {
			if strings.Contains(f, "malformed") || strings.Contains(f, "version-tag") {
				t.Skipf("cannot be imported (tested elsewhere): %s", strings.SplitN(stderr, "\n", 2)[0])
			}
			t.Fatalf("import %s: %s", f, stderr)
		}
		if code, _, stderr := wparchive(t, "import", "--quiet", "--redact", "--db", redPath, f); code != exitOK {
			t.Fatalf("import --redact %s: %s", f, stderr)
		}
	}
	if len(want) == 0 {
		t.Fatal("the inputs hold no address: nothing to check")
	}
	if left := archiveAddresses(t, redPath, want); len(left) > 0 {
		var l []string
		for a, where := range left {
			l = append(l, where+": "+a)
		}
		sort.Strings(l)
		t.Errorf("--redact left %d of the inputs' %d addresses:\n  %s", len(l), len(want), strings.Join(l, "\n  "))
	}
	stored := archiveAddresses(t, plainPath, want)
	var missing []string
	for a := range want {
		if _, ok := stored[a]; !ok {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Errorf("without --redact %d of %d addresses are not in the archive (the check would not see them): %v", len(missing), len(want), missing)
	}
	return plainPath, redPath
}
