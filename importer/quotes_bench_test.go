package importer

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/wparchive/wparchive/importer/quotes"
)

// plainOnly is the import's text pass without the foreign-language
// analysis: tags stripped and entities decoded by the HTML tokenizer, the
// channel's language as the post's, no passages.
func plainOnly(content, hint string) quotes.Result {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return quotes.Result{Lang: hint, Text: b.String()}
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken:
			b.WriteByte(' ')
		}
	}
}

// BenchmarkImportWithQuotes and BenchmarkImportWithoutQuotes import the
// 10 MB benchmark export with the foreign-language analysis and with a
// plain-text pass in its place: issue 4 asks that the analysis not halve
// import throughput. Compare their ns/op:
//
//	go test -tags sqlite_fts5 -run '^$' -bench 'ImportWith' -count 3 ./importer/
func BenchmarkImportWithQuotes(b *testing.B)    { benchImportAnalyze(b, quotes.Analyze) }
func BenchmarkImportWithoutQuotes(b *testing.B) { benchImportAnalyze(b, plainOnly) }

func benchImportAnalyze(b *testing.B, fn func(string, string) quotes.Result) {
	saved := analyze
	analyze = fn
	defer func() { analyze = saved }()
	benchImport(b, benchInput(b, "10MB"))
}
