package importer

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/phpserial"
)

// import --redact keeps no e-mail or IP address anywhere in the archive: a
// salted hash, "redacted:" and 20 hex digits, stands in for each, the same
// for the same address wherever it is (an e-mail compared without case, an
// IP address in its canonical form), so that one person's comments, meta
// rows and contact-form messages still group. Every text of every record
// is redacted before anything is derived from it, so plain text, the
// search index, meta decoded to JSON, commenter rows and unknown elements
// kept as JSON hold hashes too.
//
// What counts as an address:
//
//   - An e-mail address is local@domain wherever it is, with @ also
//     written %40 or &#64;, when the domain's last label starts with a
//     letter ("lodash@4.17.21" is a package version) and the domain is not
//     a retina image suffix ("logo@2x.png").
//   - A field that holds an IP address: the comment's author IP (hashed
//     whole, whatever it holds), and a meta value, a serialized array entry,
//     a JSON member or an unknown element whose key names an IP ("ip",
//     "user_ip", "_feedback_ip", "comment_author_IP", "REMOTE_ADDR",
//     "HTTP_X_FORWARDED_FOR" …; see ipKey): the whole value when it is an
//     address, else every dotted quad and IPv6 address in it.
//   - A key that names a version ("version", "db_ver" …): its dotted quads
//     are versions, not addresses (e-mails in it are still redacted).
//   - Free text (everything else: content, titles, excerpts, names, URLs,
//     other meta values): a dotted quad of four decimal numbers 0–255 that
//     is not part of a longer dotted number or word ("1.2.3.4.5",
//     "v1.2.3.4"), except 0.x.x.x, 127.x.x.x and 240.x.x.x and above
//     (never a host's address: "this network", loopback, reserved and
//     netmasks, which also spares versions such as 0.9.1.2); and an IPv6
//     address written as such (a run of hex digits and colons that parses
//     as one, stands apart from letters, has two groups at least and one of
//     three or four digits, so "::e" and "a::b" in code are not
//     addresses), except :: and ::1.
//   - The comment author's own IP address, anywhere in that comment.
//
// Shape is kept: a PHP serialize()d value is decoded, redacted inside and
// serialized again with its string lengths recomputed (a value that does
// not decode, or does not survive that, has each address replaced by a
// hash of the same byte length instead); a JSON value is rewritten member
// by member, so keys decide as above.

// redactSalt is mixed into every item's raw hash under --redact, so an item
// the archive holds from an import without --redact, or from one under
// other rules, is not taken for unchanged: it is rewritten redacted. Bump
// it when the rules change.
const redactSalt = "wparchive-redact-2"

// markRedacted makes the raw hash of an item read for a --redact import
// differ from the same item's without --redact.
func (n *normalizer) markRedacted(p *archive.Post) {
	if !n.redact || len(p.RawHash) == 0 {
		return
	}
	h := sha256.New()
	h.Write(p.RawHash)
	h.Write([]byte(redactSalt))
	p.RawHash = h.Sum(nil)
}

// hash returns a salted hash standing in for a private value, so that
// identities still group after --redact; "" stays "".
func (n *normalizer) hash(kind, v string) string {
	if v == "" {
		return ""
	}
	k := kind + ":" + v
	if h, ok := n.hashes[k]; ok {
		return h
	}
	m := hmac.New(sha256.New, n.salt)
	m.Write([]byte(k))
	h := "redacted:" + hex.EncodeToString(m.Sum(nil))[:20]
	if n.hashes == nil {
		n.hashes = map[string]string{}
	}
	if len(n.hashes) < maxCached {
		n.hashes[k] = h
	}
	return h
}

// maxCached bounds each of the normalizer's --redact caches.
const maxCached = 1 << 16

// sameLen is a salted hex hash of v (normalised) exactly as many bytes long
// as raw, the text it replaces, for text whose byte lengths must not
// change.
func (n *normalizer) sameLen(kind, v, raw string) string {
	m := hmac.New(sha256.New, n.salt)
	m.Write([]byte(kind + ":" + v))
	h := hex.EncodeToString(m.Sum(nil))
	return strings.Repeat(h, len(raw)/len(h)+1)[:len(raw)]
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// hashEmail and hashIP are the stand-ins of one address, the same wherever
// it is found.
func (n *normalizer) hashEmail(e string) string {
	return n.hash("email", normEmail(atForms.ReplaceAllString(e, "@")))
}
func (n *normalizer) hashIP(ip string) string { return n.hash("ip", canonicalIP(ip)) }

// canonicalIP is ip in one form: IPv4 without leading zeros, IPv6
// lower-case and compressed; a value that is not an address is trimmed.
func canonicalIP(ip string) string {
	ip = strings.TrimSpace(ip)
	if a, ok := parseIPv4(ip); ok {
		return a.String()
	}
	if a, err := netip.ParseAddr(ip); err == nil {
		return a.String()
	}
	return ip
}

// parseIPv4 reads a dotted quad whose parts may have leading zeros, which
// netip refuses.
func parseIPv4(s string) (netip.Addr, bool) {
	var b [4]byte
	for i := range 4 {
		part := s
		if i < 3 {
			j := strings.IndexByte(s, '.')
			if j < 0 {
				return netip.Addr{}, false
			}
			part, s = s[:j], s[j+1:]
		}
		if part == "" || len(part) > 3 {
			return netip.Addr{}, false
		}
		v, err := strconv.Atoi(part)
		if err != nil || v > 255 || part[0] == '+' || part[0] == '-' {
			return netip.Addr{}, false
		}
		b[i] = byte(v)
	}
	return netip.AddrFrom4(b), true
}

// field says how the text of a field is read (see the rules above).
type field uint8

const (
	textField    field = iota // free text
	ipField                   // named as holding an IP address
	versionField              // named as holding a version
)

var (
	ipKeyRe      = regexp.MustCompile(`(^|[^a-z])ip(v[46])?($|[^a-z])|ipaddr|ip_addr|ipaddress|remote_?addr|remote_?host|forwarded|real_?ip|client_?ip|user_?ip|author_?ip`)
	versionKeyRe = regexp.MustCompile(`version|(^|[^a-z])ver($|[^a-z])`)
)

// keyField is the package's keyField, remembered.
func (n *normalizer) keyField(key string) field {
	if f, ok := n.fields[key]; ok {
		return f
	}
	f := keyField(key)
	if n.fields == nil {
		n.fields = map[string]field{}
	}
	if len(n.fields) < maxCached {
		n.fields[key] = f
	}
	return f
}

// keyField classifies a meta key, array key, JSON member or element name.
func keyField(key string) field {
	k := strings.ToLower(key)
	switch {
	case k == "":
		return textField
	case ipKeyRe.MatchString(k):
		return ipField
	case versionKeyRe.MatchString(k):
		return versionField
	}
	return textField
}

var (
	emailRe  = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+(?:@|%40|&#0*64;|&#x0*40;)([a-z0-9\-]+(?:\.[a-z0-9\-]+)+)`)
	retinaRe = regexp.MustCompile(`^\d+(?:\.\d+)?x\.`)
	atForms  = regexp.MustCompile(`(?i)%40|&#0*64;|&#x0*40;`)
)

// redactText replaces the addresses in s, read as f says, with hashes;
// ownIP, the comment author's address, is replaced wherever it is.
// sameLength keeps every byte length (hex hashes as long as what they
// replace).
func (n *normalizer) redactText(s string, f field, ownIP string, sameLength bool) string {
	if s == "" {
		return s
	}
	// stand is what stands in for the address raw.
	stand := func(kind, raw string) string {
		switch {
		case kind == "email" && sameLength:
			return n.sameLen(kind, normEmail(atForms.ReplaceAllString(raw, "@")), raw)
		case kind == "email":
			return n.hashEmail(atForms.ReplaceAllString(raw, "@"))
		case sameLength:
			return n.sameLen(kind, canonicalIP(raw), raw)
		}
		return n.hashIP(raw)
	}
	if f == ipField {
		if t := strings.TrimSpace(s); isIP(t) {
			if sameLength {
				return strings.Replace(s, t, stand("ip", t), 1)
			}
			return n.hashIP(t)
		}
	}
	if ownIP != "" && strings.Contains(s, ownIP) {
		s = strings.ReplaceAll(s, ownIP, stand("ip", ownIP))
	}
	if strings.IndexByte(s, '@') >= 0 || strings.Contains(s, "%40") || strings.Contains(s, "&#") {
		s = replaceAll(emailRe, s, func(loc []int) (string, bool) {
			domain := s[loc[2]:loc[3]]
			last := domain[strings.LastIndexByte(domain, '.')+1:]
			if last == "" || !isLetter(last[0]) || retinaRe.MatchString(domain) {
				return "", false
			}
			return stand("email", s[loc[0]:loc[1]]), true
		})
	}
	if strings.Count(s, ":") >= 2 {
		s = replaceRuns(s, ':', isV6Byte, func(start, end int) (string, bool) {
			if strings.Count(s[start:end], ":") < 2 {
				return "", false
			}
			full := end
			// Sentence punctuation after an address is not part of it.
			for end > start && (s[end-1] == '.' || s[end-1] == ':' && (end-start < 2 || s[end-2] != ':')) {
				end--
			}
			if start > 0 && isWordByte(s[start-1]) || end < len(s) && isWordByte(s[end]) {
				return "", false
			}
			run := s[start:end]
			a, err := netip.ParseAddr(run)
			if err != nil || !a.Is6() {
				return "", false
			}
			if f == textField && (a.IsUnspecified() || a.IsLoopback() || !looksIPv6(run)) {
				return "", false
			}
			return stand("ip", run) + s[end:full], true
		})
	}
	if f != versionField && hasDottedNumber(s) {
		s = replaceRuns(s, '.', isDottedByte, func(start, end int) (string, bool) {
			// The run of digits and dots without dots at either end.
			start0, end0 := start, end
			for start < end && s[start] == '.' {
				start++
			}
			for end > start && s[end-1] == '.' {
				end--
			}
			parts := strings.Split(s[start:end], ".")
			if len(parts) < 4 || strings.Contains(s[start:end], "..") {
				return "", false
			}
			if f == textField {
				// Not part of a longer dotted number or of a word.
				if len(parts) != 4 || start > 0 && (isWordByte(s[start-1]) || s[start-1] == '.') || end < len(s) && isWordByte(s[end]) {
					return "", false
				}
				a, ok := parseIPv4(s[start:end])
				if !ok {
					return "", false
				}
				if b := a.As4(); b[0] == 0 || b[0] == 127 || b[0] >= 240 {
					return "", false
				}
				return s[start0:start] + stand("ip", s[start:end]) + s[end:end0], true
			}
			// An IP field: every dotted quad of a list or longer run.
			var b strings.Builder
			b.WriteString(s[start0:start])
			changed := false
			for i := 0; i < len(parts); {
				if i+4 <= len(parts) {
					q := strings.Join(parts[i:i+4], ".")
					if _, ok := parseIPv4(q); ok {
						if i > 0 {
							b.WriteByte('.')
						}
						b.WriteString(stand("ip", q))
						changed = true
						i += 4
						continue
					}
				}
				if i > 0 {
					b.WriteByte('.')
				}
				b.WriteString(parts[i])
				i++
			}
			b.WriteString(s[end:end0])
			return b.String(), changed
		})
	}
	return s
}

func isV6Byte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' || c == ':' || c == '.'
}

func isDottedByte(c byte) bool { return '0' <= c && c <= '9' || c == '.' }

// replaceRuns finds each maximal run s[start:end] of bytes that in accepts
// around a sep in s, and replaces it with what fn returns for it, or keeps
// it when fn says false. A hand-written scanner: regular expressions that
// may match anywhere backtrack through long text.
func replaceRuns(s string, sep byte, in func(byte) bool, fn func(start, end int) (string, bool)) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], sep)
		if j < 0 {
			break
		}
		start, end := i+j, i+j+1
		for start > last && in(s[start-1]) {
			start--
		}
		for end < len(s) && in(s[end]) {
			end++
		}
		if r, ok := fn(start, end); ok {
			b.WriteString(s[last:start])
			b.WriteString(r)
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// looksIPv6 reports whether a run that parses as an IPv6 address is
// written like one in text: two groups at least, one of three or four hex
// digits.
func looksIPv6(run string) bool {
	groups, long := 0, false
	for _, g := range strings.FieldsFunc(run, func(r rune) bool { return r == ':' }) {
		groups++
		long = long || len(g) >= 3
	}
	return groups >= 2 && long
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isWordByte(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || c == '_' || c >= 0x80
}

// isIP reports whether s is an IPv4 or IPv6 address and nothing else.
func isIP(s string) bool {
	if _, ok := parseIPv4(s); ok {
		return true
	}
	_, err := netip.ParseAddr(s)
	return err == nil && strings.Contains(s, ":")
}

// replaceAll replaces each match of re in s (loc: its submatch indexes in
// s) with what fn returns, or keeps it when fn says false.
func replaceAll(re *regexp.Regexp, s string, fn func(loc []int) (string, bool)) string {
	locs := re.FindAllStringSubmatchIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		r, ok := fn(loc)
		if !ok {
			continue
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(r)
		last = loc[1]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// redactValue redacts a value stored under key: a PHP serialize()d value
// or a JSON object or array inside, keeping its shape, anything else as
// text.
func (n *normalizer) redactValue(key, s, ownIP string) string {
	if !mayHoldAddress(s) {
		return s
	}
	f := n.keyField(key)
	if phpserial.IsSerialized(s) {
		if out, ok := n.redactSerialized(key, s, ownIP); ok {
			return out
		}
		return n.redactText(s, f, ownIP, true)
	}
	if t := strings.TrimSpace(s); len(t) > 1 && (t[0] == '{' || t[0] == '[') {
		if out, ok := n.redactJSON(key, s, ownIP); ok {
			return out
		}
	}
	return n.redactText(s, f, ownIP, false)
}

// mayHoldAddress is false for text with no @ (or its escapes), no dotted
// number and fewer than two colons: most values, skipped cheaply.
func mayHoldAddress(s string) bool {
	return strings.IndexByte(s, '@') >= 0 || strings.Contains(s, "%40") || strings.Contains(s, "&#") ||
		strings.Count(s, ":") >= 2 || hasDottedNumber(s)
}

// hasDottedNumber reports whether s has a digit, a dot and a digit in a row.
func hasDottedNumber(s string) bool {
	for i := strings.IndexByte(s, '.'); i >= 0; {
		if i > 0 && i+1 < len(s) && '0' <= s[i-1] && s[i-1] <= '9' && '0' <= s[i+1] && s[i+1] <= '9' {
			return true
		}
		j := strings.IndexByte(s[i+1:], '.')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}

// redactSerialized redacts inside a serialize()d value and serializes it
// again. ok is false when s does not decode, or when the value written
// does not decode to the redacted one (references the encoder cannot
// write back as they were).
func (n *normalizer) redactSerialized(key, s, ownIP string) (string, bool) {
	v, err := phpserial.Decode(s)
	if err != nil {
		return "", false
	}
	if !n.redactPHP(&v, key, ownIP) {
		return s, true
	}
	var b strings.Builder
	encodePHP(&b, v)
	out := b.String()
	back, err := phpserial.Decode(out)
	if err != nil || !bytes.Equal(back.AppendJSON(nil), v.AppendJSON(nil)) {
		return "", false
	}
	// The white space PHP's trim() ignores stays around the value.
	t := strings.TrimLeft(s, " \t\n\r\x00\x0B")
	lead := s[:len(s)-len(t)]
	trail := t[len(strings.TrimRight(t, " \t\n\r\x00\x0B")):]
	return lead + out + trail, true
}

// redactPHP redacts the strings of v, keys included, a string entry read
// as its key says (an entry of a list, under its list's key). It reports
// whether anything changed.
func (n *normalizer) redactPHP(v *phpserial.Value, key, ownIP string) bool {
	switch v.Kind {
	case phpserial.String:
		r := n.redactValue(key, v.Str, ownIP)
		changed := r != v.Str
		v.Str = r
		return changed
	case phpserial.Custom:
		// A Serializable object's own format: same lengths.
		r := n.redactText(v.Str, n.keyField(key), ownIP, true)
		changed := r != v.Str
		v.Str = r
		return changed
	case phpserial.Array, phpserial.Object:
		changed := false
		for i := range v.Items {
			it := &v.Items[i]
			k := key
			if it.Key.Kind == phpserial.String {
				k = it.Key.Str
				if r := n.redactText(it.Key.Str, textField, ownIP, false); r != it.Key.Str {
					it.Key.Str, changed = r, true
				}
			}
			if n.redactPHP(&it.Value, k, ownIP) {
				changed = true
			}
		}
		return changed
	}
	return false
}

// encodePHP writes v as PHP's serialize() does.
func encodePHP(b *strings.Builder, v phpserial.Value) {
	str := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteString(`:"`)
		b.WriteString(s)
		b.WriteByte('"')
	}
	items := func(its []phpserial.Item) {
		b.WriteString(strconv.Itoa(len(its)))
		b.WriteString(":{")
		for _, it := range its {
			encodePHP(b, it.Key)
			encodePHP(b, it.Value)
		}
		b.WriteByte('}')
	}
	switch v.Kind {
	case phpserial.Null:
		b.WriteString("N;")
	case phpserial.Bool:
		if v.Bool {
			b.WriteString("b:1;")
		} else {
			b.WriteString("b:0;")
		}
	case phpserial.Int:
		b.WriteString("i:" + strconv.FormatInt(v.Int, 10) + ";")
	case phpserial.Float:
		text := v.Str
		if text == "" {
			text = strconv.FormatFloat(v.Float, 'G', -1, 64)
		}
		b.WriteString("d:" + text + ";")
	case phpserial.String:
		b.WriteString("s:")
		str(v.Str)
		b.WriteByte(';')
	case phpserial.Array:
		b.WriteString("a:")
		items(v.Items)
	case phpserial.Object:
		b.WriteString("O:")
		str(v.Class)
		b.WriteByte(':')
		items(v.Items)
	case phpserial.Custom:
		b.WriteString("C:")
		str(v.Class)
		b.WriteString(":" + strconv.Itoa(len(v.Str)) + ":{" + v.Str + "}")
	case phpserial.Enum:
		b.WriteString("E:")
		str(v.Str)
		b.WriteByte(';')
	case phpserial.Ref:
		b.WriteString("R:" + strconv.FormatInt(v.Int, 10) + ";")
	}
}

// redactJSON redacts the strings of a JSON value, member names included,
// a member's value read as its name says, and rewrites only the strings
// that changed. ok is false when s is not JSON.
func (n *normalizer) redactJSON(key, s, ownIP string) (string, bool) {
	if !json.Valid([]byte(s)) {
		return "", false
	}
	type frame struct {
		object, wantKey bool
		key             string
	}
	var (
		stack []frame
		b     strings.Builder
		last  int   // s[:last] is written to b
		prev  int64 // where the current token's text starts, white space and , or : before it
	)
	keyOf := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].object {
				return stack[i].key
			}
		}
		return key
	}
	valueDone := func() {
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", false
		}
		end := dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true, key: keyOf()})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			var r string
			isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].wantKey
			if isKey {
				stack[len(stack)-1].key, stack[len(stack)-1].wantKey = t, false
				r = n.redactText(t, textField, ownIP, false)
			} else {
				r = n.redactValue(keyOf(), t, ownIP)
				valueDone()
			}
			if r != t {
				start := int(prev) + strings.IndexByte(s[prev:end], '"')
				b.WriteString(s[last:start])
				b.WriteString(jsonString(r))
				last = int(end)
			}
		default:
			valueDone()
		}
		prev = end
	}
	if last == 0 {
		return s, true
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// jsonString is s as a JSON string, without escaping <, > and &.
func jsonString(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// text redacts free text.
func (n *normalizer) text(s string) string {
	if !mayHoldAddress(s) {
		return s
	}
	return n.redactText(s, textField, "", false)
}

func (n *normalizer) redactMeta(ms []archive.Meta, ownIP string) {
	for i := range ms {
		m := &ms[i]
		key := m.Key
		m.Key = n.redactText(m.Key, textField, ownIP, false)
		m.Value = n.redactValue(key, m.Value, ownIP)
	}
}

// redactElements redacts unknown elements, each text and attribute read
// as its name says.
func (n *normalizer) redactElements(es []archive.Element, ownIP string) {
	for i := range es {
		e := &es[i]
		local := e.Name[strings.LastIndexAny(e.Name, "}:")+1:]
		e.Text = n.redactValue(local, e.Text, ownIP)
		for k, v := range e.Attrs {
			e.Attrs[k] = n.redactValue(k[strings.LastIndexAny(k, "}:")+1:], v, ownIP)
		}
		n.redactElements(e.Children, ownIP)
	}
}

func (n *normalizer) redactSite(s *archive.Site) {
	for _, f := range []*string{&s.Title, &s.Link, &s.Description, &s.Language, &s.PubDateRaw, &s.WXRVersion,
		&s.BaseSiteURL, &s.BaseBlogURL, &s.Generator} {
		*f = n.text(*f)
	}
	n.redactElements(s.Extra, "")
}

// redactAuthor hashes the author's e-mail as a commenter's is hashed (the
// same address, the same hash) and redacts the other fields as text.
func (n *normalizer) redactAuthor(a *archive.Author) {
	a.Email = n.hashEmail(a.Email)
	for _, f := range []*string{&a.WPID, &a.Login, &a.DisplayName, &a.FirstName, &a.LastName} {
		*f = n.text(*f)
	}
	n.redactElements(a.Extra, "")
}

func (n *normalizer) redactTerm(t *archive.Term) {
	for _, f := range []*string{&t.WPID, &t.Taxonomy, &t.Slug, &t.Parent, &t.Name, &t.Description} {
		*f = n.text(*f)
	}
	n.redactMeta(t.Meta, "")
	n.redactElements(t.Extra, "")
}

// redactPost redacts every text of the item but its comments (see
// redactComment). A Jetpack contact-form message (post type feedback)
// holds the sender's e-mail and IP address in its content ("AUTHOR EMAIL:
// …", "IP: …") and in its _feedback_* meta: free text and keyed values.
func (n *normalizer) redactPost(p *archive.Post) {
	for _, f := range []*string{&p.WPID, &p.Title, &p.Link, &p.PubDateRaw, &p.Creator, &p.GUID, &p.GUIDIsPermaLink,
		&p.Description, &p.Content, &p.Excerpt, &p.DateRaw, &p.DateGMTRaw, &p.ModifiedRaw, &p.ModifiedGMTRaw,
		&p.CommentStatus, &p.PingStatus, &p.Slug, &p.Status, &p.ParentRaw, &p.MenuOrderRaw, &p.PostType,
		&p.Password, &p.IsStickyRaw, &p.AttachmentURL} {
		*f = n.text(*f)
	}
	for i := range p.Terms {
		pt := &p.Terms[i]
		pt.Domain, pt.Nicename, pt.Name = n.text(pt.Domain), n.text(pt.Nicename), n.text(pt.Name)
	}
	n.redactMeta(p.Meta, "")
	n.redactElements(p.Extra, "")
}

// redactComment hashes the comment's e-mail and IP address whole (the same
// person gets the same hash, so identities still group) and redacts its
// other fields, meta and unknown elements, the author's own IP address
// included wherever it is.
func (n *normalizer) redactComment(c *archive.Comment) {
	ip := strings.TrimSpace(c.AuthorIP)
	c.AuthorEmail = n.hashEmail(c.AuthorEmail)
	c.AuthorIP = n.hashIP(ip)
	c.Derived.EmailHash = c.AuthorEmail
	if !isIP(ip) {
		ip = ""
	}
	for _, f := range []*string{&c.WPID, &c.Author, &c.AuthorURL, &c.DateRaw, &c.DateGMTRaw, &c.Content,
		&c.ApprovedRaw, &c.TypeRaw, &c.ParentRaw, &c.UserIDRaw} {
		if ip != "" || mayHoldAddress(*f) {
			*f = n.redactText(*f, textField, ip, false)
		}
	}
	n.redactMeta(c.Meta, ip)
	n.redactElements(c.Extra, ip)
}
