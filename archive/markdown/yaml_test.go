package markdown

import (
	"bytes"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type yamlTop struct {
	V string `yaml:"v"`
}

type yamlNested struct {
	Items []struct {
		A int    `yaml:"a"`
		V string `yaml:"v"`
	} `yaml:"items"`
}

// checkAppendYAMLString compares AppendYAMLString with the encoder for a
// Go string field at the top level and inside a sequence of mappings
// (as in the comments data files); it reports whether the hand wrote it.
func checkAppendYAMLString(t *testing.T, v string) bool {
	t.Helper()
	checkYAMLShortcuts(t, v)
	var want bytes.Buffer
	enc := yaml.NewEncoder(&want)
	enc.SetIndent(2)
	err := enc.Encode(yamlTop{V: v})
	enc.Close()
	hand, ok := AppendYAMLString([]byte("v: "), v, 0)
	if err != nil || !ok {
		if err != nil && ok {
			t.Errorf("%q: written by hand, but the encoder says %v", v, err)
		}
		return false
	}
	hand = append(hand, '\n')
	if !bytes.Equal(hand, want.Bytes()) {
		t.Errorf("%q at the top level:\nby hand:\n%s\nencoder:\n%s", v, hand, want.Bytes())
	}
	var n yamlNested
	n.Items = append(n.Items, struct {
		A int    `yaml:"a"`
		V string `yaml:"v"`
	}{1, v})
	want.Reset()
	enc = yaml.NewEncoder(&want)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	nested, _ := AppendYAMLString([]byte("items:\n  - a: 1\n    v: "), v, 4)
	nested = append(nested, '\n')
	if !bytes.Equal(nested, want.Bytes()) {
		t.Errorf("%q in a sequence:\nby hand:\n%s\nencoder:\n%s", v, nested, want.Bytes())
	}
	var back yamlTop
	if err := yaml.Unmarshal(hand, &back); err != nil || back.V != v {
		t.Errorf("%q reads back as %q (%v)", v, back.V, err)
	}
	return true
}

var yamlMultiline = []string{
	"one\ntwo", "one\n\ntwo", "one\ntwo\n", "one\ntwo\n\n", "\nlead", " lead\nx", "trail \nx", "x\n trail", "x\n\n  indented",
	"tab\there\nx", "a: b\nc", "- list\n- items", "> quote\n\ncontinued", "emoji 😀\nx", "cr\r\nlf", "x\u2028y\nz",
	"[link](https://example.com)\n\n**bold**", "x\n", "\n", "x\n\n\n", "'q'\n\"d\"", "ends with space \n", "a\n#b",
}

func TestAppendYAMLString(t *testing.T) {
	hand := 0
	cases := append(append([]string{}, yamlCases...), yamlMultiline...)
	cases = append(cases, "", "2011-07-31T12:47:42+06:00", "2011-07-31", "2011-7-3", "0b101", "-0b1", "0o17", "-0o7", "0x1f", "1e3", "1_000_000",
		"12:30", "1:20:30.5", "+12", "-", ".", "..", ".5e3", "1.", "99999999999999999999", "0777", "09", "Yes", "on", "nan", "1 000")
	for _, v := range cases {
		if checkAppendYAMLString(t, v) {
			hand++
		}
	}
	for _, v := range []string{"Viktor Zhang", "2011-07-31T12:47:42+06:00", "We followed the river.\n\nThank you, fixed.", "", "https://twitter.com/x"} {
		if _, ok := AppendYAMLString(nil, v, 4); !ok {
			t.Errorf("%q: not written by hand", v)
		}
	}
	t.Logf("%d of %d written by hand", hand, len(cases))
}

func FuzzAppendYAMLString(f *testing.F) {
	for _, v := range append(append([]string{}, yamlCases...), yamlMultiline...) {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.Count(v, "\n") > 50 {
			return
		}
		checkAppendYAMLString(t, v)
	})
}
