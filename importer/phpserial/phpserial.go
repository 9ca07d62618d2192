// Package phpserial decodes the values PHP's serialize() writes, as
// WordPress stores them in meta values, leniently: a string whose declared
// byte length no longer fits its text (CRLF turned into LF, the file
// re-encoded, URLs searched and replaced) is recovered by the "; that ends
// it. ToJSON turns such a value into JSON that keeps PHP's key order.
package phpserial

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that keep hostile input from exhausting the stack or memory.
const (
	// MaxDepth is the deepest nesting of arrays and objects decoded.
	MaxDepth = 512
	// MaxSize is the longest input decoded, in bytes.
	MaxSize = 64 << 20
)

// Kind is the PHP type of a Value.
type Kind uint8

// The kinds of PHP values.
const (
	Null   Kind = iota // N;
	Bool               // b:1;
	Int                // i:-12;
	Float              // d:0.5;  d:NAN;
	String             // s:3:"foo";
	Array              // a:1:{…}
	Object             // O:8:"stdClass":1:{…}
	Custom             // C:11:"ArrayObject":21:{…}, a Serializable object
	Enum               // E:11:"Suit:Hearts";
	Ref                // r:2; or R:2; to an array or object
)

var kindNames = [...]string{"null", "bool", "int", "float", "string", "array", "object", "custom", "enum", "ref"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Value is one decoded PHP value. References (r:, R:) to a scalar are
// replaced by a copy of it; references to an array or object stay Refs.
type Value struct {
	Kind  Kind
	Bool  bool
	Int   int64   // Int; Ref: the 1-based number of the value referred to, counted as PHP does
	Float float64 // Float; also Int values too big for 64 bits
	// Str is the String's bytes; for Float, PHP's text of the number; for
	// Enum, "Class:Case"; for Custom, the object's own serialized data.
	Str   string
	Class string // Object, Custom: the class name
	Items []Item // Array, Object: entries in their serialized order
	// Repaired, on the value Decode returns, counts the strings whose
	// declared length was wrong and whose end was found by their closing
	// "; instead. It is zero on nested values.
	Repaired int
}

// Item is one entry of an array or object. Keys are Int or String values;
// object property names keep PHP's NUL-marked form ("\x00*\x00name" for a
// protected property, "\x00Class\x00name" for a private one).
type Item struct {
	Key, Value Value
}

// SyntaxError is returned by Decode when the input is not a serialized
// value; Offset is the byte where decoding stopped.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("phpserial: offset %d: %s", e.Offset, e.Msg)
}

// Errors for input beyond the limits.
var (
	ErrTooDeep  = errors.New("phpserial: nested deeper than MaxDepth")
	ErrTooLarge = errors.New("phpserial: input longer than MaxSize")
)

// phpSpace is what PHP's trim() removes.
const phpSpace = " \t\n\r\x00\x0B"

// IsSerialized reports whether s looks like a serialized value the way
// WordPress's is_serialized() (strict mode) decides; only such meta
// values are ever unserialized by WordPress.
func IsSerialized(s string) bool {
	return looksSerialized(strings.Trim(s, phpSpace))
}

// trimSpace is strings.Trim(s, phpSpace), without building a set.
func trimSpace(s string) string {
	for len(s) > 0 && isPHPSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isPHPSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func isPHPSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', 0, '\v':
		return true
	}
	return false
}

// looksSerialized is IsSerialized of a value already trimmed.
func looksSerialized(s string) bool {
	if s == "N;" {
		return true
	}
	if len(s) < 4 || s[1] != ':' {
		return false
	}
	if last := s[len(s)-1]; last != ';' && last != '}' {
		return false
	}
	switch s[0] {
	case 's':
		if s[len(s)-2] != '"' {
			return false
		}
		fallthrough
	case 'a', 'O', 'E':
		// ^X:[0-9]+:
		j := 2
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		return j > 2 && j < len(s) && s[j] == ':'
	case 'b', 'i', 'd':
		// ^X:[0-9.E+-]+;$
		body := s[2 : len(s)-1]
		if s[len(s)-1] != ';' || body == "" {
			return false
		}
		for i := range len(body) {
			if c := body[i]; !('0' <= c && c <= '9' || c == '.' || c == 'E' || c == '+' || c == '-') {
				return false
			}
		}
		return true
	}
	return false
}

// Decode decodes the serialized value s, after trimming the white space
// PHP's trim() removes, as WordPress does. It returns a *SyntaxError when
// s is not one complete serialized value, ErrTooDeep or ErrTooLarge
// beyond the limits. A wrong string length is recovered, not an error;
// Value.Repaired counts those recoveries.
func Decode(s string) (Value, error) {
	s = strings.Trim(s, phpSpace)
	if len(s) > MaxSize {
		return Value{}, ErrTooLarge
	}
	// Values are numbered for references only when there may be some.
	d := decoder{s: s, refs: strings.Contains(s, "r:") || strings.Contains(s, "R:")}
	var first error
	for attempt := 0; ; attempt++ {
		v, err := d.decode()
		if err == nil {
			v.Repaired = d.repaired
			return v, nil
		}
		if first == nil {
			first = err
		}
		// A recovered string end may have been the wrong "; and
		// thrown the rest off: try the next candidate.
		if errors.Is(err, ErrTooDeep) || attempt == maxAttempts || !d.next() {
			return Value{}, first
		}
	}
}

// maxAttempts bounds how many combinations of recovered string ends
// Decode tries; each attempt decodes the input again.
const maxAttempts = 32

// maxCandidates bounds the string ends tried for one string.
const maxCandidates = 8

// decode makes one attempt at the whole input with the current choices.
func (d *decoder) decode() (Value, error) {
	d.i, d.depth, d.repaired = 0, 0, 0
	d.slots, d.points = d.slots[:0], d.points[:0]
	v, err := d.value(ctxTop)
	if err == nil && d.i != len(d.s) {
		err = d.errorf("data after the value")
	}
	return v, err
}

// next moves to the next combination of choices, changing the last string
// end that has an untried candidate and resetting those after it.
// Only the maxBack strings before the failure are reconsidered.
func (d *decoder) next() bool {
	for k := len(d.points) - 1; k >= 0 && k >= len(d.points)-maxBack; k-- {
		p := &d.points[k]
		if p.n < 0 {
			p.n = 1 + len(d.ends(p.start, p.declared, p.ctx, true))
		}
		if d.choice[p.start]+1 < p.n {
			if d.choice == nil {
				d.choice = make(map[int]int)
			}
			d.choice[p.start]++
			return true
		}
		delete(d.choice, p.start)
	}
	return false
}

// maxBack bounds how far before a failure Decode looks for a string end
// to choose otherwise.
const maxBack = 64

// context tells what may follow a value, which is how the end of a string
// with a wrong length is recognised.
type context uint8

const (
	ctxTop  context = iota // the end of the input
	ctxKey                 // a value: after an array key or property name
	ctxItem                // a key or }: after an entry's value
	ctxNone                // no slot, no check (keys are parsed with ctxKey)
)

type decoder struct {
	s        string
	i        int
	depth    int
	slots    []Value // values numbered for r: and R:, as PHP counts them
	refs     bool    // number them: the input may hold references
	repaired int

	choice map[int]int   // string start → which candidate end to take
	cache  map[int][]int // start<<2|ctx → candidate ends
	points []point       // the strings recovered in this attempt, in order
}

// point is a string whose end may be chosen otherwise on a next attempt.
type point struct {
	start, declared int
	ctx             context
	exact           bool // the declared length fit (candidate 0)
	n               int  // how many ends to choose from; -1: not known yet
}

func (d *decoder) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: d.i, Msg: fmt.Sprintf(format, args...)}
}

// value decodes the value at d.i; ctx says what must follow it.
func (d *decoder) value(ctx context) (Value, error) {
	if d.i+1 >= len(d.s) {
		return Value{}, d.errorf("unexpected end of input")
	}
	c := d.s[d.i]
	if c == 'R' || c == 'r' {
		return d.ref()
	}
	if !d.refs {
		return d.plain(c, ctx)
	}
	// Every value but R: gets the next number, before its children.
	slot := len(d.slots)
	d.slots = append(d.slots, Value{Kind: Ref, Int: int64(slot + 1)})
	v, err := d.plain(c, ctx)
	if err != nil {
		return Value{}, err
	}
	if v.Kind != Array && v.Kind != Object && v.Kind != Custom {
		d.slots[slot] = v
	}
	return v, nil
}

// key decodes an array key or property name; keys are not numbered.
func (d *decoder) key() (Value, error) {
	if d.i+1 >= len(d.s) {
		return Value{}, d.errorf("unexpected end of input")
	}
	switch d.s[d.i] {
	case 'i', 's', 'S':
		return d.plain(d.s[d.i], ctxKey)
	}
	return Value{}, d.errorf("key must be i: or s:, not %q", d.s[d.i])
}

func (d *decoder) plain(c byte, ctx context) (Value, error) {
	if c == 'N' {
		if d.s[d.i+1] != ';' {
			return Value{}, d.errorf("N not followed by ;")
		}
		d.i += 2
		return Value{Kind: Null}, nil
	}
	if d.s[d.i+1] != ':' {
		return Value{}, d.errorf("%q not followed by :", c)
	}
	d.i += 2
	switch c {
	case 'b':
		n, err := d.int(';')
		return Value{Kind: Bool, Bool: n != 0}, err
	case 'i':
		return d.integer()
	case 'd':
		return d.float()
	case 's':
		s, err := d.str(ctx)
		return Value{Kind: String, Str: s}, err
	case 'S':
		s, err := d.escaped()
		return Value{Kind: String, Str: s}, err
	case 'a':
		return d.array()
	case 'O':
		return d.object()
	case 'C':
		return d.custom()
	case 'E':
		s, err := d.quoted()
		if err == nil {
			err = d.expect(';')
		}
		return Value{Kind: Enum, Str: s}, err
	}
	d.i -= 2
	return Value{}, d.errorf("unknown type %q", c)
}

func (d *decoder) expect(c byte) error {
	if d.i >= len(d.s) || d.s[d.i] != c {
		return d.errorf("expected %q", c)
	}
	d.i++
	return nil
}

// int reads an optionally signed decimal integer ended by end.
func (d *decoder) int(end byte) (int64, error) {
	j := strings.IndexByte(d.s[d.i:], end)
	if j < 0 {
		return 0, d.errorf("expected %q", end)
	}
	n, err := strconv.ParseInt(d.s[d.i:d.i+j], 10, 64)
	if err != nil {
		return 0, d.errorf("bad integer %q", d.s[d.i:d.i+j])
	}
	d.i += j + 1
	return n, nil
}

// length reads a byte count ended by end.
func (d *decoder) length(end byte) (int, error) {
	start := d.i
	n, err := d.int(end)
	if err != nil {
		return 0, err
	}
	if n < 0 || d.s[start] == '+' || d.s[start] == '-' {
		d.i = start
		return 0, d.errorf("bad length")
	}
	return int(min(n, int64(len(d.s)))), nil
}

func (d *decoder) integer() (Value, error) {
	j := strings.IndexByte(d.s[d.i:], ';')
	if j < 0 {
		return Value{}, d.errorf("expected ';'")
	}
	text := d.s[d.i : d.i+j]
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		d.i += j + 1
		return Value{Kind: Int, Int: n}, nil
	}
	// Too big for 64 bits: PHP would have written a float.
	if f, err := strconv.ParseFloat(text, 64); err == nil && isDecimal(text) {
		d.i += j + 1
		return Value{Kind: Float, Float: f, Str: text}, nil
	}
	return Value{}, d.errorf("bad integer %q", text)
}

func isDecimal(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (d *decoder) float() (Value, error) {
	j := strings.IndexByte(d.s[d.i:], ';')
	if j < 0 {
		return Value{}, d.errorf("expected ';'")
	}
	text := d.s[d.i : d.i+j]
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Value{}, d.errorf("bad float %q", text)
	}
	d.i += j + 1
	return Value{Kind: Float, Float: f, Str: text}, nil
}

// str reads the rest of s:<n>:"…"; (d.i is after "s:"). When the n bytes
// are not followed by "; and what ctx allows, the string's end is taken
// to be the "; nearest to the declared end that is.
func (d *decoder) str(ctx context) (string, error) {
	n, err := d.length(':')
	if err != nil {
		return "", err
	}
	if err := d.expect('"'); err != nil {
		return "", err
	}
	start := d.i
	end := start + n
	exact := end+2 <= len(d.s) && d.s[end] == '"' && d.s[end+1] == ';' && d.follows(end+2, ctx)
	k := d.choice[start]
	if exact && k == 0 {
		// Most likely right; other ends are looked for only if the
		// rest does not decode.
		d.points = append(d.points, point{start, n, ctx, true, -1})
		d.i = end + 2
		return d.s[start:end], nil
	}
	ends := d.ends(start, n, ctx, exact)
	if exact {
		k--
	}
	if k >= len(ends) {
		return "", d.errorf("string of %d bytes not closed by \";", n)
	}
	d.points = append(d.points, point{start, n, ctx, exact, len(ends) + b2i(exact)})
	d.repaired++
	d.i = ends[k] + 2
	return d.s[start:ends[k]], nil
}

// ends returns the candidate ends of a string other than the declared one
// when that one fits (exact).
func (d *decoder) ends(start, n int, ctx context, exact bool) []int {
	ends := d.candidates(start, n, ctx)
	if exact {
		// A copy: candidates' slices are cached.
		ends = slices.DeleteFunc(slices.Clone(ends), func(p int) bool { return p == start+n })
	}
	return ends
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// candidates returns where a string that starts at start and was
// declared n bytes long may end: the indexes of "; followed by what ctx
// allows, best first. Best are the ends that explain the wrong length
// (each LF was a CRLF or the reverse, or the text was converted between
// Latin-1 and UTF-8), then the others from the first on (as the usual
// "fix serialized data" scripts do with a lazy s:(\d+):"(.*?)"; match;
// nearest-to-the-declared-end picked the next key's "; too often). At
// most maxCandidates, looked for up to 4 KiB beyond the declared end.
func (d *decoder) candidates(start, n int, ctx context) []int {
	key := start<<2 | int(ctx)
	if ends, ok := d.cache[key]; ok {
		return ends
	}
	s := d.s
	limit := min(len(s)-2, start+n+4<<10)
	var best, rest []int
	// Running counts of s[start:p] for the test of each candidate.
	var lf, crlf, runes int
	at := start
	for p := start; p <= limit && len(best) < maxCandidates && len(rest) < maxCandidates; p++ {
		q := strings.Index(s[p:limit+2], "\";")
		if q < 0 {
			break
		}
		p += q
		if !d.follows(p+2, ctx) {
			continue
		}
		text := s[at:p]
		lf += strings.Count(text, "\n")
		crlf += strings.Count(text, "\r\n")
		runes += utf8.RuneCountInString(text)
		at = p
		if size := p - start; n == size+lf || n == size-crlf || n == runes {
			best = append(best, p)
		} else {
			rest = append(rest, p)
		}
	}
	ends := append(best, rest...)
	ends = ends[:min(len(ends), maxCandidates)]
	if d.cache == nil {
		d.cache = make(map[int][]int)
	}
	d.cache[key] = ends
	return ends
}

// follows reports whether what is at s[p] may follow a value in ctx.
func (d *decoder) follows(p int, ctx context) bool { return follows(d.s, p, ctx) }

// escaped reads the rest of S:<n>:"…"; where \xx is a hex-escaped byte.
func (d *decoder) escaped() (string, error) {
	n, err := d.length(':')
	if err != nil {
		return "", err
	}
	if err := d.expect('"'); err != nil {
		return "", err
	}
	var b strings.Builder
	for range n {
		if d.i >= len(d.s) {
			return "", d.errorf("unexpected end of input")
		}
		c := d.s[d.i]
		if c == '\\' {
			if d.i+2 >= len(d.s) {
				return "", d.errorf("bad escape")
			}
			x, err := strconv.ParseUint(d.s[d.i+1:d.i+3], 16, 8)
			if err != nil {
				return "", d.errorf("bad escape")
			}
			c = byte(x)
			d.i += 2
		}
		b.WriteByte(c)
		d.i++
	}
	if err := d.expect('"'); err != nil {
		return "", err
	}
	return b.String(), d.expect(';')
}

// quoted reads <n>:"<n bytes>" exactly (class and enum names).
func (d *decoder) quoted() (string, error) {
	n, err := d.length(':')
	if err != nil {
		return "", err
	}
	if err := d.expect('"'); err != nil {
		return "", err
	}
	if d.i+n > len(d.s) {
		return "", d.errorf("unexpected end of input")
	}
	s := d.s[d.i : d.i+n]
	d.i += n
	return s, d.expect('"')
}

// items reads <count>:{…} of an array or object.
func (d *decoder) items(array bool) ([]Item, error) {
	n, err := d.length(':')
	if err != nil {
		return nil, err
	}
	if err := d.expect('{'); err != nil {
		return nil, err
	}
	if d.depth++; d.depth > MaxDepth {
		return nil, ErrTooDeep
	}
	// An entry takes at least 8 bytes ("i:0;N;"): do not trust n.
	items := make([]Item, 0, min(n, (len(d.s)-d.i)/6))
	for range n {
		k, err := d.key()
		if err != nil {
			return nil, err
		}
		if array && k.Kind == String {
			// PHP turns numeric string keys into integer keys.
			if i, ok := intKey(k.Str); ok {
				k = Value{Kind: Int, Int: i}
			}
		}
		v, err := d.value(ctxItem)
		if err != nil {
			return nil, err
		}
		items = append(items, Item{Key: k, Value: v})
	}
	d.depth--
	return items, d.expect('}')
}

// intKey reports whether PHP reads the array key s as an integer.
func intKey(s string) (int64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	t := strings.TrimPrefix(s, "-")
	if t == "" || t[0] == '0' && len(t) > 1 || s == "-0" {
		return 0, false
	}
	for i := range len(t) {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func (d *decoder) array() (Value, error) {
	items, err := d.items(true)
	return Value{Kind: Array, Items: items}, err
}

func (d *decoder) object() (Value, error) {
	class, err := d.quoted()
	if err != nil {
		return Value{}, err
	}
	if err := d.expect(':'); err != nil {
		return Value{}, err
	}
	items, err := d.items(false)
	return Value{Kind: Object, Class: class, Items: items}, err
}

// custom reads C:<n>:"Class":<n>:{<n bytes>}, keeping the bytes raw.
func (d *decoder) custom() (Value, error) {
	class, err := d.quoted()
	if err != nil {
		return Value{}, err
	}
	if err := d.expect(':'); err != nil {
		return Value{}, err
	}
	n, err := d.length(':')
	if err != nil {
		return Value{}, err
	}
	if err := d.expect('{'); err != nil {
		return Value{}, err
	}
	if d.i+n > len(d.s) {
		return Value{}, d.errorf("unexpected end of input")
	}
	data := d.s[d.i : d.i+n]
	d.i += n
	return Value{Kind: Custom, Class: class, Str: data}, d.expect('}')
}

// ref reads r:<n>; or R:<n>;, which refer to the n-th value decoded.
func (d *decoder) ref() (Value, error) {
	if d.s[d.i+1] != ':' {
		return Value{}, d.errorf("%q not followed by :", d.s[d.i])
	}
	copyRef := d.s[d.i] == 'r'
	d.i += 2
	n, err := d.int(';')
	if err != nil {
		return Value{}, err
	}
	if n < 1 || n > int64(len(d.slots)) {
		return Value{}, d.errorf("reference to value %d of %d", n, len(d.slots))
	}
	v := d.slots[n-1]
	if copyRef {
		// r: is numbered itself; R: is not.
		d.slots = append(d.slots, v)
	}
	return v, nil
}
