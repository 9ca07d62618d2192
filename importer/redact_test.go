package importer

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/phpserial"
)

func redactor() *normalizer { return &normalizer{redact: true, salt: []byte("test salt")} }

// TestRedactTextRule: what is an address, in free text and in fields named
// as holding an IP or a version (the rule in redact.go).
func TestRedactTextRule(t *testing.T) {
	n := redactor()
	e := func(s string) string { return n.hashEmail(s) }
	ip := func(s string) string { return n.hashIP(s) }
	cases := []struct {
		name string
		f    field
		in   string
		want string
	}{
		{"e-mail", textField, "write to Jane.Doe@Example.net.", "write to " + e("jane.doe@example.net") + "."},
		{"e-mail in mailto", textField, `<a href="mailto:jane@example.net">`, `<a href="mailto:` + e("jane@example.net") + `">`},
		{"e-mail percent-encoded", textField, "?to=jane%40example.net&x=1", "?to=" + e("jane@example.net") + "&x=1"},
		{"e-mail as an entity", textField, "jane&#64;example.net", e("jane@example.net")},
		{"retina image is no e-mail", textField, "logo@2x.png and icon@1.5x.jpg", "logo@2x.png and icon@1.5x.jpg"},
		{"package version is no e-mail", textField, "npm i lodash@4.17.21", "npm i lodash@4.17.21"},
		{"handle without local part", textField, "follow @jane", "follow @jane"},
		{"dotted quad in text", textField, "IP: 203.0.113.9\n", "IP: " + ip("203.0.113.9") + "\n"},
		{"dotted quad in a URL", textField, "http://198.51.100.7:8080/x", "http://" + ip("198.51.100.7") + ":8080/x"},
		{"dotted quad ending a sentence", textField, "from 192.0.2.1.", "from " + ip("192.0.2.1") + "."},
		{"leading zeros are one address", textField, "192.000.002.001", ip("192.0.2.1")},
		{"longer dotted number", textField, "version 1.2.3.4.5", "version 1.2.3.4.5"},
		{"dotted quad in a word", textField, "v1.2.3.4 and wp2.2.1.1", "v1.2.3.4 and wp2.2.1.1"},
		{"octet over 255", textField, "1.2.3.256", "1.2.3.256"},
		{"this network, loopback, reserved", textField, "0.9.1.2 127.0.0.1 0.0.0.0 255.255.255.0 240.1.2.3", "0.9.1.2 127.0.0.1 0.0.0.0 255.255.255.0 240.1.2.3"},
		{"private addresses are addresses", textField, "10.1.2.3 192.168.1.20", ip("10.1.2.3") + " " + ip("192.168.1.20")},
		{"IPv6", textField, "from 2001:DB8::7, again 2001:db8:0::7.", "from " + ip("2001:db8::7") + ", again " + ip("2001:db8::7") + "."},
		{"IPv4-mapped IPv6", textField, "::ffff:203.0.113.5", ip("::ffff:203.0.113.5")},
		{"full IPv6", textField, "[fe80:0:0:0:200:f8ff:fe21:67cf]", "[" + ip("fe80::200:f8ff:fe21:67cf") + "]"},
		{"times and code are no IPv6", textField, "at 10:30:45, std::map, Foo::bar, a::b, please::eternity, 1:2:3:4:5:6:7:8", "at 10:30:45, std::map, Foo::bar, a::b, please::eternity, 1:2:3:4:5:6:7:8"},
		{"IPv6 loopback", textField, "::1 and ::", "::1 and ::"},
		{"IP field: the whole value", ipField, " 127.0.0.1 ", ip("127.0.0.1")},
		{"IP field: IPv6", ipField, "::1", ip("::1")},
		{"IP field: a list", ipField, "203.0.113.5, 10.0.0.1", ip("203.0.113.5") + ", " + ip("10.0.0.1")},
		{"IP field: loopback in a list", ipField, "127.0.0.1,0.0.0.0", ip("127.0.0.1") + "," + ip("0.0.0.0")},
		{"version field keeps dotted quads", versionField, "1.2.3.4", "1.2.3.4"},
		{"version field still loses e-mails", versionField, "1.2.3.4 by dev@example.org", "1.2.3.4 by " + e("dev@example.org")},
		{"nothing", textField, "Nothing to see: 3.14, 1.2.3, 12:30.", "Nothing to see: 3.14, 1.2.3, 12:30."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := n.redactText(c.in, c.f, "", false)
			if got != c.want {
				t.Errorf("redactText(%q) = %q, want %q", c.in, got, c.want)
			}
			if again := n.redactText(got, c.f, "", false); again != got {
				t.Errorf("not idempotent: %q, then %q", got, again)
			}
		})
	}
}

func TestKeyField(t *testing.T) {
	for key, want := range map[string]field{
		"user_ip": ipField, "_feedback_ip": ipField, "comment_author_IP": ipField, "ip": ipField, "IP Address": ipField,
		"REMOTE_ADDR": ipField, "HTTP_X_FORWARDED_FOR": ipField, "ipAddress": ipField, "ipv6": ipField,
		"zip": textField, "tip_text": textField, "skip": textField, "description": textField, "_edit_lock": textField,
		"version": versionField, "_plugin_version": versionField, "db_ver": versionField, "ver": versionField,
		"server": textField, "never": textField,
	} {
		if got := keyField(key); got != want {
			t.Errorf("keyField(%q) = %d, want %d", key, got, want)
		}
	}
}

// serialOK reports whether every string of a serialize()d value has its
// declared length (the value decodes with no length recovered).
func serialOK(t *testing.T, s string) phpserial.Value {
	t.Helper()
	v, err := phpserial.Decode(s)
	if err != nil {
		t.Fatalf("%q does not decode: %v", s, err)
	}
	if v.Repaired != 0 {
		t.Errorf("%q: %d strings with a wrong length", s, v.Repaired)
	}
	return v
}

// TestRedactSerialized: addresses inside a serialize()d value are replaced
// by the same hashes as anywhere else, keys decide, lengths are
// recomputed, and a value nested serialized inside a string is redacted
// too.
func TestRedactSerialized(t *testing.T) {
	n := redactor()
	inner := `a:1:{s:7:"user_ip";s:9:"127.0.0.1";}`
	in := `a:6:{s:20:"comment_author_email";s:20:"Jane.Doe@example.net";s:7:"user_ip";s:13:"198.51.100.77";` +
		`s:14:"plugin_version";s:7:"1.2.3.4";s:2:"to";a:1:{i:0;s:20:"jane.doe@example.net";}` +
		`s:6:"nested";s:` + strconv.Itoa(len(inner)) + `:"` + inner + `";s:16:"jane@example.net";b:1;}`
	out := n.redactValue("akismet_as_submitted", in, "")
	v := serialOK(t, out)
	j := string(v.AppendJSON(nil))
	for _, want := range []string{
		`"comment_author_email":"` + n.hashEmail("jane.doe@example.net") + `"`,
		`"user_ip":"` + n.hashIP("198.51.100.77") + `"`,
		`"plugin_version":"1.2.3.4"`,
		`"to":["` + n.hashEmail("jane.doe@example.net") + `"]`,
		`"` + n.hashEmail("jane@example.net") + `":true`,
	} {
		if !strings.Contains(j, want) {
			t.Errorf("%s lacks %s", j, want)
		}
	}
	// The nested value: still serialized, its loopback user_ip hashed (an
	// IP field), its length right.
	for _, it := range v.Items {
		if it.Key.Str == "nested" {
			nv := serialOK(t, it.Value.Str)
			if got := string(nv.AppendJSON(nil)); got != `{"user_ip":"`+n.hashIP("127.0.0.1")+`"}` {
				t.Errorf("nested: %s", got)
			}
		}
	}
	// White space around the value stays; nothing to redact, nothing
	// changes (not even a wrong length).
	if got := n.redactValue("k", "\n"+in+" ", ""); !strings.HasPrefix(got, "\na:6:{") || !strings.HasSuffix(got, "} ") {
		t.Errorf("white space: %q", got)
	}
	wrong := `a:1:{s:4:"name";s:3:"Jane";}`
	if got := n.redactValue("k", wrong, ""); got != wrong {
		t.Errorf("a value without addresses changed: %q", got)
	}
	// A wrong declared length is recovered and written right.
	broken := `a:1:{s:5:"email";s:3:"jane@example.net";}`
	serialOK(t, n.redactValue("k", broken, ""))
	// Not decodable: hashes of the same length, declared lengths kept.
	for _, bad := range []string{
		`a:2:{s:5:"email";s:16:"jane@example.net";s:1:"x";}`,
		`a:2:{s:5:"email";s:18:"jane%40example.net";s:2:"ip";s:20:"2001:0db8:0000::0001";`,
	} {
		got := n.redactValue("user_ip", bad, "")
		if len(got) != len(bad) || strings.Contains(got, "example.net") || strings.Contains(got, "2001:") {
			t.Errorf("undecodable value %q: %q", bad, got)
		}
	}
}

// TestRedactJSON: a JSON value is rewritten string by string, members read
// as their names say, everything else byte for byte.
func TestRedactJSON(t *testing.T) {
	n := redactor()
	in := `{"ip": "127.0.0.1", "version":"1.2.3.4", "who": {"email":"Jane@Example.net", "list": ["10.0.0.1", 3, null]},
  "note": "<b>x</b> & \u00e9", "jane@example.net": true}`
	out := n.redactValue("_form", in, "")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	want := `{"ip": "` + n.hashIP("127.0.0.1") + `", "version":"1.2.3.4", "who": {"email":"` + n.hashEmail("jane@example.net") +
		`", "list": ["` + n.hashIP("10.0.0.1") + `", 3, null]},
  "note": "<b>x</b> & \u00e9", "` + n.hashEmail("jane@example.net") + `": true}`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// TestRedactRecords: every field of every record, a contact-form message
// and its _feedback_* meta included; the same address has one hash
// everywhere, the author's and the commenter's alike.
func TestRedactRecords(t *testing.T) {
	n := redactor()
	site := &archive.Site{Title: "Ops at 203.0.113.1", Link: "http://203.0.113.1/", BaseBlogURL: "http://203.0.113.1/",
		Extra: []archive.Element{{Name: "{x}admin", Text: "admin@example.org", Attrs: map[string]string{"ip": "::1"}}}}
	n.setSite(site, "f.xml")
	au := &archive.Author{Login: "jane@example.net", Email: "Jane@example.net", DisplayName: "Jane"}
	n.author(au)
	term := &archive.Term{Name: "mail jane@example.net", Meta: []archive.Meta{{Key: "owner", Value: "jane@example.net"}}}
	n.term(term)
	feedback := &archive.Post{PostType: "feedback", Title: "Jane - 2012-06-22", Creator: "jane@example.net",
		Content: "Hello\n<!--more-->\nAUTHOR: Jane\nAUTHOR EMAIL: jane@example.net\nAUTHOR URL: \nSUBJECT: Hi\nIP: 217.169.11.194\n",
		Meta: []archive.Meta{
			{Key: "_feedback_ip", Value: "217.169.11.194"},
			{Key: "_feedback_author_email", Value: "jane@example.net"},
			{Key: "_feedback_email", Value: `a:2:{s:2:"to";a:1:{i:0;s:15:"me@example.org";}s:7:"message";s:48:"Email: jane@example.net` + "\n" + `IP Address: 217.169.11.194";}`},
			{Key: "_stcr@_jane@example.net", Value: "2012-06-22 01:49:05|Y"},
		},
		Comments: []archive.Comment{{Author: "Jane", AuthorEmail: "jane@example.net", AuthorIP: "217.169.11.194",
			Content: "mail me: jane@example.net", Extra: []archive.Element{{Name: "{x}ip", Text: "217.169.11.194"}}}}}
	n.post(feedback)

	var all []string
	all = append(all, site.Key, site.Title, site.Link, site.BaseBlogURL, site.Extra[0].Text, site.Extra[0].Attrs["ip"],
		au.Login, au.Email, term.Name, term.Meta[0].Value, feedback.Creator, feedback.Content, feedback.Derived.Text)
	for _, m := range feedback.Meta {
		all = append(all, m.Key, m.Value, m.JSON)
	}
	c := feedback.Comments[0]
	all = append(all, c.AuthorEmail, c.AuthorIP, c.Content, c.Derived.Text, c.Derived.IdentityKey, c.Extra[0].Text)
	joined := strings.Join(all, "\n")
	for _, addr := range []string{"jane@", "admin@", "me@", "203.0.113.1", "217.169.11.194", "::1"} {
		if strings.Contains(joined, addr) {
			t.Errorf("%s left in:\n%s", addr, joined)
		}
	}
	jane, ip := n.hashEmail("jane@example.net"), n.hashIP("217.169.11.194")
	if au.Email != jane || c.AuthorEmail != jane || c.AuthorIP != ip {
		t.Errorf("author %q, commenter %q %q: want %q %q", au.Email, c.AuthorEmail, c.AuthorIP, jane, ip)
	}
	if n := strings.Count(joined, jane); n < 10 {
		t.Errorf("jane's hash %d times", n)
	}
	if !strings.Contains(feedback.Content, "IP: "+ip+"\n") || feedback.Meta[0].Value != ip {
		t.Errorf("feedback: %q, _feedback_ip %q", feedback.Content, feedback.Meta[0].Value)
	}
	if au.Login != jane || feedback.Creator != jane {
		t.Errorf("login %q and creator %q differ: the post would lose its author", au.Login, feedback.Creator)
	}
	serialOK(t, feedback.Meta[2].Value)
}

// TestRedactIdentityKnown: the identity derived for a comment the archive
// probably holds unchanged (its raw values kept) is the one derived for it
// in full.
func TestRedactIdentityKnown(t *testing.T) {
	n := redactor()
	mk := func() *archive.Post {
		return &archive.Post{Comments: []archive.Comment{
			{Author: "jane@example.net", AuthorIP: "2001:db8::7", AuthorURL: "http://[2001:db8::7]/"},
			{Author: "Bo", AuthorEmail: "Bo@example.org", AuthorIP: "192.0.2.1"},
			{Author: "Cy", AuthorIP: "192.0.2.2", Meta: []archive.Meta{{Key: "hc_post_as", Value: "twitter"}, {Key: "hc_foreign_user_id", Value: "cy@example.com"}}},
		}}
	}
	full, known := mk(), mk()
	n.post(full)
	n.known(known)
	for i := range full.Comments {
		f, k := full.Comments[i].Derived, known.Comments[i].Derived
		if f.IdentityKey != k.IdentityKey || f.Provider != k.Provider {
			t.Errorf("comment %d: %q %q in full, %q %q when known", i, f.IdentityKey, f.Provider, k.IdentityKey, k.Provider)
		}
		if strings.Contains(f.IdentityKey, "@") || strings.Contains(f.IdentityKey, "2001:db8") {
			t.Errorf("comment %d: identity %q", i, f.IdentityKey)
		}
	}
}

// BenchmarkRedact measures what --redact adds to an import: redacting the
// items of the 10 MB benchmark export (see benchInput), comments and meta
// included, and nothing else.
func BenchmarkRedact(b *testing.B) {
	in := benchInput(b, "10MB")
	var posts []*archive.Post
	r := NewReader(bytes.NewReader(in), "bench.xml")
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		if e.Post != nil {
			posts = append(posts, e.Post)
		}
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	n := redactor()
	for b.Loop() {
		for _, p := range posts {
			q := *p
			q.Meta = append([]archive.Meta(nil), p.Meta...)
			q.Comments = append([]archive.Comment(nil), p.Comments...)
			n.redactPost(&q)
			for i := range q.Comments {
				c := &q.Comments[i]
				c.Meta = append([]archive.Meta(nil), c.Meta...)
				n.redactComment(c)
			}
		}
	}
}
