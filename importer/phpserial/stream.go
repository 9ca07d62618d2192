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
// hold references (Decode numbers values then), an array whose keys are
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

// streamJSON returns the JSON of the trimmed serialized value s, which
// holds no "r:" or "R:", and true; or false when the streamer gives up.
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
	n, err := d.length(':')
	if err != nil || d.expect('{') != nil {
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
	d, e := &st.d, &st.e
	n, ok := st.open()
	if !ok {
		return false
	}
	at := len(e.b)
	e.b = append(e.b, '[')
	list := true
	for i := range n {
		k, err := d.key()
		if err != nil {
			return false
		}
		if k.Kind == String {
			// PHP turns numeric string keys into integer keys.
			if x, ok := intKey(k.Str); ok {
				k = Value{Kind: Int, Int: x}
			}
		}
		if list && (k.Kind != Int || k.Int != int64(i)) {
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
			st.key(k)
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
		k, err := d.key()
		if err != nil {
			return false
		}
		if k.Kind == String && strings.HasPrefix(k.Str, "\x00") {
			return false // encoder.members renames these
		}
		e.b = append(e.b, ',')
		st.key(k)
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

// key writes an entry's key and the colon, as encoder.members does.
func (st *streamer) key(k Value) {
	e := &st.e
	switch k.Kind {
	case Int:
		e.b = append(e.b, '"')
		e.b = strconv.AppendInt(e.b, k.Int, 10)
		e.b = append(e.b, '"')
	default: // a String, or an integer key too big for 64 bits
		e.string(k.Str)
	}
	e.b = append(e.b, ':')
}
