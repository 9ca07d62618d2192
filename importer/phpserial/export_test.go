package phpserial

// ToJSONOld is toJSONOld for the tests of package phpserial_test.
var ToJSONOld = toJSONOld

// toJSONOld is ToJSON as it was before the streamer (at e43fbc1): it
// always decodes the value into Values, then encodes them. Decode and the
// encoder are unchanged since; the tests hold ToJSON to this.
func toJSONOld(s string) (json string, ok bool) {
	if !IsSerialized(s) {
		return "", false
	}
	v, err := Decode(s)
	if err != nil {
		return "", false
	}
	// References to long strings could make the JSON explode: bound it.
	e := encoder{b: make([]byte, 0, len(s)+len(s)/8+16), limit: 8*len(s) + 1<<10}
	e.value(v)
	if e.over {
		return "", false
	}
	return string(e.b), true
}
