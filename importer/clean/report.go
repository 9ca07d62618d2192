package clean

import "iter"

// maxLines is how many line numbers a Repair keeps.
const maxLines = 5

// kind indexes the repairs a Reader counts.
type kind int

const (
	kBOM kind = iota
	kLeadingText
	kEncoding
	kIllegalChar
	kWindows1252
	kInvalidUTF8
	kHTMLEntity
	kBareAmpersand
	kCDATAEnd
	kStrayCDATAEnd
	numKinds
)

// kinds names each kind as the JSON field of Report does and describes it.
var kinds = [numKinds]struct{ name, desc string }{
	kBOM:           {"bom", "UTF-8 byte order mark stripped"},
	kLeadingText:   {"leading_text", "text before <?xml (or <rss) dropped"},
	kEncoding:      {"encoding", "declared non-UTF-8 encoding converted to UTF-8"},
	kIllegalChar:   {"illegal_chars", "characters XML 1.0 forbids removed"},
	kWindows1252:   {"windows_1252", "invalid UTF-8 read as Windows-1252 text"},
	kInvalidUTF8:   {"invalid_utf8", "invalid UTF-8 replaced with U+FFFD"},
	kHTMLEntity:    {"html_entities", "HTML entity references made numeric"},
	kBareAmpersand: {"bare_ampersands", "bare & escaped as &amp;"},
	kCDATAEnd:      {"cdata_ends", "unescaped ]]> inside CDATA kept as data"},
	kStrayCDATAEnd: {"stray_cdata_ends", "]]> in text escaped as ]]&gt;"},
}

// Repair counts one kind of repair and keeps the input line numbers
// (1-based) of the first five.
type Repair struct {
	Count int   `json:"count"`
	Lines []int `json:"lines,omitempty"`
}

// Report lists the repairs a Reader made, by kind. A kind that was not
// needed is zero and left out of the JSON form.
type Report struct {
	BOM            Repair `json:"bom,omitzero"`
	LeadingText    Repair `json:"leading_text,omitzero"`
	Encoding       Repair `json:"encoding,omitzero"`
	IllegalChars   Repair `json:"illegal_chars,omitzero"`
	Windows1252    Repair `json:"windows_1252,omitzero"`
	InvalidUTF8    Repair `json:"invalid_utf8,omitzero"`
	HTMLEntities   Repair `json:"html_entities,omitzero"`
	BareAmpersands Repair `json:"bare_ampersands,omitzero"`
	CDATAEnds      Repair `json:"cdata_ends,omitzero"`
	StrayCDATAEnds Repair `json:"stray_cdata_ends,omitzero"`

	// DeclaredEncoding is the encoding named by the XML declaration (or
	// "UTF-16" found from the first bytes) when it was not UTF-8.
	DeclaredEncoding string `json:"declared_encoding,omitempty"`
	// LineOffset is the number of lines dropped before the document: add
	// it to a line number of the cleaned output to get the input line.
	LineOffset int `json:"line_offset,omitempty"`
}

func (r *Report) field(k kind) *Repair {
	switch k {
	case kBOM:
		return &r.BOM
	case kLeadingText:
		return &r.LeadingText
	case kEncoding:
		return &r.Encoding
	case kIllegalChar:
		return &r.IllegalChars
	case kWindows1252:
		return &r.Windows1252
	case kInvalidUTF8:
		return &r.InvalidUTF8
	case kHTMLEntity:
		return &r.HTMLEntities
	case kBareAmpersand:
		return &r.BareAmpersands
	case kCDATAEnd:
		return &r.CDATAEnds
	case kStrayCDATAEnd:
		return &r.StrayCDATAEnds
	}
	panic("clean: unknown repair kind")
}

// Total returns the number of repairs of every kind together.
func (r Report) Total() int {
	n := 0
	for k := range numKinds {
		n += r.field(k).Count
	}
	return n
}

// All yields, in a fixed order, the name (as in the JSON form), a short
// description and the counts of every kind of repair that was made.
func (r Report) All() iter.Seq2[string, Repair] {
	return func(yield func(string, Repair) bool) {
		for k := range numKinds {
			if rep := *r.field(k); rep.Count > 0 && !yield(kinds[k].name, rep) {
				return
			}
		}
	}
}

// Describe returns a one-line description of the repair kind name as
// Report.All yields it, or "" for an unknown name.
func Describe(name string) string {
	for _, k := range kinds {
		if k.name == name {
			return k.desc
		}
	}
	return ""
}
