package importer

import (
	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/phpserial"
	"github.com/wparchive/wparchive/importer/quotes"
)

// QuoteStats counts the foreign-language passages an import found.
type QuoteStats struct {
	ByLang  map[string]int `json:"by_lang"`
	Pairs   int            `json:"pairs"`
	Repeats int            `json:"repeats"`
}

// analyze is quotes.Analyze; BenchmarkImportWithoutQuotes swaps it for a
// plain-text pass to measure what the analysis costs an import.
var analyze = quotes.Analyze

// analyzePost fills the post's text, main language and foreign passages
// (importer/quotes), and counts the passages into st.
func analyzePost(p *archive.Post, hint string, st *QuoteStats) {
	res := analyze(p.Content, hint)
	d := &p.Derived
	d.Text = archive.SearchText(res.Text)
	d.Lang = res.Lang
	d.ContentNormal = res.HTML
	d.Quotes = res.Quotes
	if st == nil {
		return
	}
	for _, q := range res.Quotes {
		st.ByLang[q.Lang]++
		if q.TranslationOf >= 0 {
			st.Pairs++
		}
		if q.RepeatOf >= 0 {
			st.Repeats++
		}
	}
}

// metaJSON renders a PHP serialize()d meta value as JSON, "" otherwise.
func metaJSON(v string) string {
	j, ok := phpserial.ToJSON(v)
	if !ok {
		return ""
	}
	return j
}
