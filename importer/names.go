package importer

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"

	"golang.org/x/net/html/charset"
)

type namespace int

const (
	nsOther namespace = iota
	nsRSS
	nsWP
	nsExcerpt
	nsContent
	nsDC
)

// The wp and excerpt namespaces carry the WXR version in their URI; any
// http(s)://wordpress.org/export/N.N/ counts (wxr-format.md §2.1). Files
// that use a prefix without declaring it arrive with the prefix itself as
// the space, which is accepted too.
var (
	wpURI      = regexp.MustCompile(`^https?://wordpress\.org/export/\d+\.\d+/$`)
	excerptURI = regexp.MustCompile(`^https?://wordpress\.org/export/\d+\.\d+/excerpt/$`)
)

const (
	contentURI = "http://purl.org/rss/1.0/modules/content/"
	dcURI      = "http://purl.org/dc/elements/1.1/"
)

// knownNS classifies the URIs and undeclared prefixes WXR uses; others
// are matched by pattern once per Reader (see Reader.ns).
var knownNS = map[string]namespace{
	"": nsRSS, "wp": nsWP, "excerpt": nsExcerpt, "content": nsContent, "dc": nsDC,
	contentURI: nsContent, dcURI: nsDC,
	"https://purl.org/rss/1.0/modules/content/": nsContent, "https://purl.org/dc/elements/1.1/": nsDC,
}

func nsOf(space string) namespace {
	if n, ok := knownNS[space]; ok {
		return n
	}
	switch {
	case wpURI.MatchString(space):
		return nsWP
	case excerptURI.MatchString(space):
		return nsExcerpt
	}
	return nsOther
}

var prefixes = map[string]string{
	contentURI: "content", dcURI: "dc", "http://www.w3.org/2005/Atom": "atom",
	"http://wellformedweb.org/CommentAPI/": "wfw", "com-wordpress:feed-additions:1": "wpcom",
	"http://search.yahoo.com/mrss/": "media", "http://purl.org/rss/1.0/modules/slash/": "slash",
	"http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes", "http://www.georss.org/georss": "georss",
}

// qname names an element kept in extra_json: "wp:x", "content:x", "atom:x",
// a bare local name in RSS's empty namespace, or "{uri}x" for other URIs.
func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	switch nsOf(n.Space) {
	case nsWP:
		return "wp:" + n.Local
	case nsExcerpt:
		return "excerpt:" + n.Local
	}
	if p, ok := prefixes[n.Space]; ok {
		return p + ":" + n.Local
	}
	if !strings.Contains(n.Space, ":") && !strings.Contains(n.Space, "/") {
		return n.Space + ":" + n.Local // an undeclared prefix
	}
	return "{" + n.Space + "}" + n.Local
}

// charsetReader lets the decoder read exports declared in another encoding
// (old sites with blog_charset ISO-8859-1 and the like).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	r, err := charset.NewReaderLabel(label, in)
	if err != nil {
		return nil, fmt.Errorf("unsupported encoding %q declared in the XML declaration: %w", label, err)
	}
	return r, nil
}
