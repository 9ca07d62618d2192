package phpserial

import (
	"strconv"
	"strings"
	"sync"
)

// streamer writes the JSON of a serialized value while it decodes it,
// without building Values: the common meta value (attachment metadata,
// plugin settings) costs one allocation, the returned string. It makes
// exactly Decode's first attempt (a string whose declared length does
// not fit takes its first candidate end, as there) and writes what the
// encoder would write of its result. What it does not handle, it gives
// up on, and ToJSON decodes the value the general way: input that may
// hold references (an r: or R: where a value belongs; without one,
// Decode's numbering of values for them changes nothing), an array whose keys are
// 0, 1 … k-1 and then not k (it has been written as a JSON array up to
// there), an object property with a NUL-marked name, and every error
// (Decode's further attempts decide those).
type streamer struct {
	d decoder
	e encoder
}

var streamers = sync.Pool{New: func() any { return new(streamer) }}

// maxPooled is the largest buffer a streamer keeps for the next value.
const maxPooled = 64 << 10

// streamJSON returns the JSON of the trimmed serialized value s and
// true, or false when the streamer gives up.
// limit is the encoder's bound on the output.
func streamJSON(s string, limit int) (string, bool) {
	st := streamers.Get().(*streamer)
	st.d = decoder{s: s, points: st.d.points[:0]}
	st.e = encoder{b: st.e.b[:0], limit: limit}
	var json string
	ok := st.value(ctxTop) && st.d.i == len(s)
	if ok {
		json = string(st.e.b)
	}
	st.d.s = ""
	st.d.cache, st.d.choice = nil, nil
	if cap(st.e.b) > maxPooled {
		st.e.b = nil
	}
	if cap(st.d.points) > maxPooled/32 {
		st.d.points = nil
	}
	streamers.Put(st)
	return json, ok
}

// value decodes and writes the value at d.i, as decoder.value (without
// references) and encoder.value do; ctx says what must follow it.
func (st *streamer) value(ctx context) bool {
	d, e := &st.d, &st.e
	if len(e.b) > e.limit {
		return false
	}
	if d.i+1 >= len(d.s) {
		return false
	}
	switch c := d.s[d.i]; c {
	case 'a', 'O':
		if d.s[d.i+1] != ':' {
			return false
		}
		d.i += 2
		if c == 'a' {
			return st.array()
		}
		return st.object()
	case 'r', 'R':
		return false
	case 's':
		if d.s[d.i+1] != ':' {
			return false
		}
		d.i += 2
		s, ok := st.str(ctx)
		if ok {
			e.string(s)
		}
		return ok
	case 'i':
		if d.s[d.i+1] != ':' {
			return false
		}
		d.i += 2
		if n, ok := st.int(); ok {
			e.b = strconv.AppendInt(e.b, n, 10)
			return true
		}
		v, err := d.integer()
		if err != nil {
			return false
		}
		e.value(v)
		return true
	default:
		v, err := d.plain(c, ctx)
		if err != nil {
			return false
		}
		e.value(v)
		return !e.over
	}
}

// open reads <count>:{ of an array or object.
func (st *streamer) open() (int, bool) {
	d := &st.d
	// As decoder.length: a count beyond the input is the input's length.
	c, ok := st.digits(':')
	n := int(min(c, int64(len(d.s))))
	if !ok {
		var err error
		if n, err = d.length(':'); err != nil {
			return 0, false
		}
	}
	if d.expect('{') != nil {
		return 0, false
	}
	if d.depth++; d.depth > MaxDepth {
		return 0, false
	}
	return n, true
}

// close reads the } that ends an array or object.
func (st *streamer) close() bool {
	st.d.depth--
	return st.d.expect('}') == nil
}

// array writes the entries as decoder.items and encoder.array do: a JSON
// array while the keys are 0, 1 …, an object when the first key is not 0.
func (st *streamer) array() bool {
	e := &st.e
	n, ok := st.open()
	if !ok {
		return false
	}
	at := len(e.b)
	e.b = append(e.b, '[')
	list := true
	for i := range n {
		k, ok := st.readKey()
		if !ok {
			return false
		}
		if k.kind == String {
			// PHP turns numeric string keys into integer keys.
			if x, ok := intKey(k.str); ok {
				k = key{kind: Int, int: x}
			}
		}
		if list && (k.kind != Int || k.int != int64(i)) {
			if i > 0 {
				return false
			}
			list = false
			e.b[at] = '{'
		}
		if i > 0 {
			e.b = append(e.b, ',')
		}
		if !list {
			st.writeKey(k)
		}
		if !st.value(ctxItem) {
			return false
		}
	}
	if !st.close() {
		return false
	}
	if list {
		e.b = append(e.b, ']')
	} else {
		e.b = append(e.b, '}')
	}
	return true
}

// object writes an object as decoder.object and encoder.value do.
func (st *streamer) object() bool {
	d, e := &st.d, &st.e
	class, err := d.quoted()
	if err != nil || d.expect(':') != nil {
		return false
	}
	n, ok := st.open()
	if !ok {
		return false
	}
	e.b = append(e.b, `{"__class":`...)
	e.string(class)
	for range n {
		k, ok := st.readKey()
		if !ok {
			return false
		}
		if k.kind == String && strings.HasPrefix(k.str, "\x00") {
			return false // encoder.members renames these
		}
		e.b = append(e.b, ',')
		st.writeKey(k)
		if !st.value(ctxItem) {
			return false
		}
	}
	if !st.close() {
		return false
	}
	e.b = append(e.b, '}')
	return true
}

// key is an entry's key: the Kind, Int and Str of its Value, which
// is much larger to pass around.
type key struct {
	kind Kind
	int  int64
	str  string
}

// writeKey writes an entry's key and the colon, as encoder.members does.
func (st *streamer) writeKey(k key) {
	e := &st.e
	switch k.kind {
	case Int:
		e.b = append(e.b, '"')
		e.b = strconv.AppendInt(e.b, k.int, 10)
		e.b = append(e.b, '"')
	default: // a String, or an integer key too big for 64 bits
		e.string(k.str)
	}
	e.b = append(e.b, ':')
}

// readKey reads an array key or property name as decoder.key does.
func (st *streamer) readKey() (key, bool) {
	d := &st.d
	if d.i+1 < len(d.s) && d.s[d.i+1] == ':' {
		switch d.s[d.i] {
		case 's':
			d.i += 2
			s, ok := st.str(ctxKey)
			return key{kind: String, str: s}, ok
		case 'i':
			d.i += 2
			if n, ok := st.int(); ok {
				return key{kind: Int, int: n}, true
			}
			d.i -= 2
		}
	}
	k, err := d.key()
	return key{kind: k.Kind, int: k.Int, str: k.Str}, err == nil
}

// str reads the rest of s:<n>:"…"; (d.i is after "s:") as decoder.str
// does on Decode's first attempt: the declared end when it fits, else
// decoder.str looks for another.
func (st *streamer) str(ctx context) (string, bool) {
	d := &st.d
	at := d.i
	if n, ok := st.digits(':'); ok && d.i < len(d.s) && d.s[d.i] == '"' {
		start := d.i + 1
		end := start + int(min(n, int64(len(d.s))))
		if end+2 <= len(d.s) && d.s[end] == '"' && d.s[end+1] == ';' && follows(d.s, end+2, ctx) {
			d.i = end + 2
			return d.s[start:end], true
		}
	}
	d.i = at
	s, err := d.str(ctx)
	return s, err == nil
}

// maxDigits is the most digits digits reads: any such number fits an int64.
const maxDigits = 18

// digits reads 1 to maxDigits decimal digits followed by end, and end.
// It returns false, and leaves d.i, on anything else (a sign, more
// digits), which decoder.int then reads or rejects.
func (st *streamer) digits(end byte) (int64, bool) {
	d := &st.d
	var n int64
	i := d.i
	for ; i < len(d.s) && i-d.i <= maxDigits; i++ {
		c := d.s[i]
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	if i == d.i || i-d.i > maxDigits || i >= len(d.s) || d.s[i] != end {
		return 0, false
	}
	d.i = i + 1
	return n, true
}

// int reads an integer ended by ; that digits can read, with an optional
// minus sign, as decoder.integer would; false, with d.i left, otherwise.
func (st *streamer) int() (int64, bool) {
	d := &st.d
	neg := d.i < len(d.s) && d.s[d.i] == '-'
	if neg {
		d.i++
	}
	n, ok := st.digits(';')
	if !ok {
		if neg {
			d.i--
		}
		return 0, false
	}
	if neg {
		return -n, true
	}
	return n, true
}

// follows reports whether what is at s[p] may follow a value in ctx
// (decoder.follows, for the streamer too).
func follows(s string, p int, ctx context) bool {
	switch ctx {
	case ctxTop:
		return p == len(s)
	case ctxItem:
		if p < len(s) && s[p] == '}' {
			return true
		}
		return p+1 < len(s) && s[p+1] == ':' && (s[p] == 'i' || s[p] == 's' || s[p] == 'S')
	case ctxKey:
		if p+1 >= len(s) {
			return false
		}
		switch s[p] {
		case 'N':
			return s[p+1] == ';'
		case 'b', 'i', 'd', 's', 'S', 'a', 'O', 'C', 'E', 'r', 'R':
			return s[p+1] == ':'
		}
		return false
	}
	return true
}
