// Package kramdowntest renders Markdown with kramdown, the Markdown of
// Jekyll, for the tests that check what Jekyll makes of the export.
package kramdowntest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// script renders a JSON array of Markdown documents read from stdin with
// kramdown as Jekyll 4 configures it by default (GFM input, no hard wrap,
// automatic ids) and writes the HTML as a JSON array. Smart quotes and the
// dash and ellipsis symbols are kept ASCII, as goldmark leaves them,
// because WordPress's own typography does the same changes and the
// comparisons are about structure; « and » (from "<<" and ">>") are kept,
// as WordPress does not make them.
const script = `
require 'json'
begin
  require 'kramdown'
  require 'kramdown-parser-gfm'
rescue LoadError => e
  STDERR.puts "kramdown or kramdown-parser-gfm is missing: #{e.message}"
  exit 3
end
opts = {input: 'GFM', hard_wrap: false, auto_ids: true, syntax_highlighter: nil,
        smart_quotes: 'apos,apos,quot,quot',
        typographic_symbols: {hellip: '...', mdash: '---', ndash: '--'}}
docs = JSON.parse(STDIN.read)
puts JSON.generate(docs.map { |d| Kramdown::Document.new(d, opts).to_html })
`

// Render renders docs with kramdown in one Ruby process; it skips the test
// when Ruby or kramdown is not installed.
func Render(t testing.TB, docs []string) []string {
	t.Helper()
	ruby, err := exec.LookPath("ruby")
	if err != nil {
		t.Skip("ruby is not installed: the kramdown (Jekyll) check needs it (apt-get install jekyll installs ruby, kramdown and kramdown-parser-gfm)")
	}
	in, err := json.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ruby, "-e", script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			t.Skipf("%s(apt-get install jekyll, or gem install kramdown kramdown-parser-gfm)", stderr.String())
		}
		t.Fatalf("ruby kramdown: %v: %s", err, stderr.String())
	}
	var all []string
	if err := json.Unmarshal(out, &all); err != nil || len(all) != len(docs) {
		t.Fatalf("ruby kramdown: %d documents back for %d: %v", len(all), len(docs), err)
	}
	return all
}

// JekyllInput is what Jekyll hands kramdown for md: Liquid has output the
// content of {% raw %} as it is.
func JekyllInput(md string) string {
	md = strings.ReplaceAll(md, "{% raw %}\n", "")
	return strings.ReplaceAll(md, "{% endraw %}\n", "")
}

// CountDiffs lists, by name, the element counts that differ between the
// HTML kramdown made and the HTML goldmark made of one document.
func CountDiffs(kramdown, goldmark map[string]int) []string {
	var names []string
	for n := range kramdown {
		names = append(names, n)
	}
	for n := range goldmark {
		if _, ok := kramdown[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var diffs []string
	for _, n := range names {
		if kramdown[n] != goldmark[n] {
			diffs = append(diffs, fmt.Sprintf("%s %d (kramdown) %d (goldmark)", n, kramdown[n], goldmark[n]))
		}
	}
	return diffs
}
