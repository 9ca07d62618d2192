package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wparchive/wparchive/internal/corpus"
)

// FuzzReaderChecked holds the Reader over xmlscan, which trusts the
// cleaning reader's output to hold only characters XML allows
// (xmlscan.Decoder.Checked), to the records and error it gives over
// encoding/xml, which checks every character: on any input, the cleaning
// reader lets through nothing the check would have refused.
func FuzzReaderChecked(f *testing.F) {
	for _, s := range []string{
		"<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>a\x01b</title></item></channel></rss>",
		"<rss><channel><item><title><![CDATA[\xef\xbf\xbe\xed\xa0\x80\xff]]></title></item></channel></rss>",
		"<rss><channel><item><title a='\x0b&#1;&#xD800;'>&#x1;&#65535;</title></item></channel></rss>",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>caf\xe9\x1f</title></item></channel></rss>",
		"<?xml version=\"1.0\"encoding=\"ISO-8859-1\"?><rss><channel><item><title>caf\xe9\x1f</title></item></channel></rss>",
	} {
		f.Add([]byte(s))
	}
	seeds, _ := filepath.Glob("../testdata/clean/*/input.xml")
	seeds = append(seeds, "../testdata/seed/central-asia.xml")
	if d := corpus.Dir(); d != "" {
		more, _ := filepath.Glob(filepath.Join(d, "public", "*.xml"))
		seeds = append(seeds, more...)
	}
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil && len(b) <= fuzzSeedLimit {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := readEntities(data, stdTokenizer)
		got, gerr := readEntities(data, newTokenizer)
		if werr != gerr {
			t.Fatalf("error\nencoding/xml %s\nxmlscan      %s", werr, gerr)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("records differ: %d with encoding/xml, %d with xmlscan", len(want), len(got))
		}
	})
}
