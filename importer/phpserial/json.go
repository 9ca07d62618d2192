package phpserial

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ToJSON returns the JSON form of the serialized value s (see
// Value.AppendJSON). ok is false, and json "", unless s looks serialized
// to WordPress's is_serialized() and decodes completely; a recovered
// string length does not make ok false.
func ToJSON(s string) (json string, ok bool) {
	t := trimSpace(s)
	if !looksSerialized(t) {
		return "", false
	}
	// References to long strings could make the JSON explode: bound it.
	limit := 8*len(s) + 1<<10
	if len(t) <= MaxSize {
		// Most values: written while decoded (see streamer).
		if json, ok := streamJSON(t, limit); ok {
			return json, true
		}
	}
	v, err := Decode(s)
	if err != nil {
		return "", false
	}
	e := encoder{b: make([]byte, 0, len(s)+len(s)/8+16), limit: limit}
	e.value(v)
	if e.over {
		return "", false
	}
	return string(e.b), true
}

// AppendJSON appends the JSON form of v to b and returns it. PHP's order
// is kept: an array whose keys are exactly 0, 1, … n-1 in that order is a
// JSON array, any other array a JSON object with its keys in order (a key
// that repeats in the input repeats in the object). An object is a JSON
// object whose first member is "__class"; protected and private property
// names lose their NUL-marked prefix (a private one that would clash with
// another property is written "Class::name"). A Custom object is
// {"__class":…,"__serialized":…}, an Enum {"__enum":"Class:Case"}, a Ref
// to an array or object {"__ref":n}. Floats NAN, INF and -INF are the
// strings "NAN", "INF", "-INF". Bytes that are not UTF-8 become U+FFFD.
func (v Value) AppendJSON(b []byte) []byte {
	e := encoder{b: b, limit: math.MaxInt}
	e.value(v)
	return e.b
}

type encoder struct {
	b     []byte
	limit int
	over  bool
}

func (e *encoder) value(v Value) {
	if len(e.b) > e.limit {
		e.over = true
		return
	}
	switch v.Kind {
	case Null:
		e.b = append(e.b, "null"...)
	case Bool:
		e.b = strconv.AppendBool(e.b, v.Bool)
	case Int:
		e.b = strconv.AppendInt(e.b, v.Int, 10)
	case Float:
		if isDecimal(v.Str) {
			// An integer too big for 64 bits: JSON numbers have no limit.
			e.integer(v.Str)
		} else {
			e.float(v.Float)
		}
	case String:
		e.string(v.Str)
	case Array:
		e.array(v.Items)
	case Object:
		e.b = append(e.b, `{"__class":`...)
		e.string(v.Class)
		e.members(v.Items, true)
		e.b = append(e.b, '}')
	case Custom:
		e.b = append(e.b, `{"__class":`...)
		e.string(v.Class)
		e.b = append(e.b, `,"__serialized":`...)
		e.string(v.Str)
		e.b = append(e.b, '}')
	case Enum:
		e.b = append(e.b, `{"__enum":`...)
		e.string(v.Str)
		e.b = append(e.b, '}')
	case Ref:
		e.b = append(e.b, `{"__ref":`...)
		e.b = strconv.AppendInt(e.b, v.Int, 10)
		e.b = append(e.b, '}')
	default:
		e.b = append(e.b, "null"...)
	}
}

// integer writes the decimal digits of s (a sign first) as a JSON number.
func (e *encoder) integer(s string) {
	if s[0] == '-' {
		e.b = append(e.b, '-')
	}
	s = strings.TrimLeft(s, "+-0")
	if s == "" {
		s = "0"
	}
	e.b = append(e.b, s...)
}

func (e *encoder) float(f float64) {
	switch {
	case math.IsNaN(f):
		e.b = append(e.b, `"NAN"`...)
	case math.IsInf(f, 1):
		e.b = append(e.b, `"INF"`...)
	case math.IsInf(f, -1):
		e.b = append(e.b, `"-INF"`...)
	default:
		// As JavaScript and encoding/json write numbers: no exponent
		// between 1e-6 and 1e21.
		if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
			e.b = strconv.AppendFloat(e.b, f, 'e', -1, 64)
			// 1e-07 → 1e-7, as encoding/json writes it.
			if n := len(e.b); n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
				e.b[n-2] = e.b[n-1]
				e.b = e.b[:n-1]
			}
		} else {
			e.b = strconv.AppendFloat(e.b, f, 'f', -1, 64)
		}
	}
}

func (e *encoder) array(items []Item) {
	list := true
	for i, it := range items {
		if it.Key.Kind != Int || it.Key.Int != int64(i) {
			list = false
			break
		}
	}
	if list {
		e.b = append(e.b, '[')
		for i, it := range items {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.value(it.Value)
		}
		e.b = append(e.b, ']')
		return
	}
	e.b = append(e.b, '{')
	e.members(items, false)
	e.b = append(e.b, '}')
}

// members writes the entries as JSON members; after "__class" in an
// object (comma first).
func (e *encoder) members(items []Item, object bool) {
	var names map[string]bool // only when a property name needs cleaning
	if object {
		for _, it := range items {
			if strings.HasPrefix(it.Key.Str, "\x00") {
				names = make(map[string]bool, len(items))
				for _, it := range items {
					if !strings.HasPrefix(it.Key.Str, "\x00") {
						names[it.Key.Str] = true
					}
				}
				break
			}
		}
	}
	for i, it := range items {
		if object || i > 0 {
			e.b = append(e.b, ',')
		}
		switch k := it.Key; k.Kind {
		case Int:
			e.b = append(e.b, '"')
			e.b = strconv.AppendInt(e.b, k.Int, 10)
			e.b = append(e.b, '"')
		case String:
			if names != nil {
				e.string(propertyName(k.Str, names))
			} else {
				e.string(k.Str)
			}
		default: // an integer key too big for 64 bits
			e.string(k.Str)
		}
		e.b = append(e.b, ':')
		e.value(it.Value)
		if e.over {
			return
		}
	}
}

// propertyName turns "\x00*\x00name" (protected) and "\x00Class\x00name"
// (private) into "name", or "Class::name" when name is taken.
func propertyName(raw string, taken map[string]bool) string {
	if !strings.HasPrefix(raw, "\x00") {
		return raw
	}
	scope, name, ok := strings.Cut(raw[1:], "\x00")
	if !ok {
		return raw[1:]
	}
	if taken[name] {
		name = scope + "::" + name
	}
	taken[name] = true
	return name
}

const hex = "0123456789abcdef"

// string writes s as a JSON string.
func (e *encoder) string(s string) {
	e.b = append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || n > 1 {
				i += n
				continue
			}
			e.b = append(e.b, s[start:i]...)
			e.b = append(e.b, `\ufffd`...)
			i++
			start = i
			continue
		}
		e.b = append(e.b, s[start:i]...)
		switch c {
		case '"', '\\':
			e.b = append(e.b, '\\', c)
		case '\n':
			e.b = append(e.b, '\\', 'n')
		case '\r':
			e.b = append(e.b, '\\', 'r')
		case '\t':
			e.b = append(e.b, '\\', 't')
		default:
			e.b = append(e.b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	e.b = append(e.b, s[start:]...)
	e.b = append(e.b, '"')
}
