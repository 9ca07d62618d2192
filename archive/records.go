// Package archive stores WordPress exports in one SQLite file and reads them
// back: it opens and migrates the archive, writes what the importer hands it
// inside one transaction per export, and answers queries for the CLI and the
// Markdown export. It never parses XML.
package archive

// The records below are what the importer hands to a Writer. Fields named
// *Raw, and every field without a "derived" note, hold the value exactly as
// exported after XML decoding (scalars such as IDs, dates, slugs and statuses
// are trimmed of surrounding white space, as WordPress's own importer does;
// content, titles, excerpts and meta values are never touched). Derived values
// are filled by the importer's normalisation step and stored beside the raw
// ones.

// Element is an XML element the schema has no column for (a plugin's
// addition, an unknown channel child). It is kept on its row as JSON.
type Element struct {
	Name     string            `json:"name"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Text     string            `json:"text,omitempty"`
	Children []Element         `json:"children,omitempty"`
}

// Meta is one post, comment or term meta row; Key may repeat.
type Meta struct {
	Key   string
	Value string
	JSON  string // derived: a PHP serialize()d Value decoded to JSON, "" otherwise
}

// Site is the channel of one export: the blog it came from.
type Site struct {
	Key         string // derived: identity of the site, see SiteKey
	Title       string
	Link        string
	Description string
	Language    string
	PubDateRaw  string
	WXRVersion  string
	BaseSiteURL string
	BaseBlogURL string
	Generator   string // the generator comment or <generator> element
	Extra       []Element
}

// Author is a channel-level wp:author (or wp:wp_author).
type Author struct {
	WPID        string
	Login       string
	Email       string
	DisplayName string
	FirstName   string
	LastName    string
	Extra       []Element
	Line        int
}

// Term is a channel-level wp:category, wp:tag or wp:term.
type Term struct {
	Element     string // "category", "tag" or "term": which element defined it
	WPID        string
	Taxonomy    string // category, post_tag, or the wp:term_taxonomy value
	Slug        string // raw, usually percent-encoded
	Parent      string // parent's slug within the taxonomy, "" for none
	Name        string // raw: often HTML-escaped (Q&amp;A)
	Description string
	Meta        []Meta
	Extra       []Element
	Line        int
}

// PostTerm is one <category domain=… nicename=…> reference on an item.
type PostTerm struct {
	Domain   string // raw domain attribute ("tag" in WXR 1.0)
	Nicename string // raw slug
	Name     string // raw text
}

// Post is one <item> of any post type.
type Post struct {
	WPID            string // wp:post_id, "" when absent
	Title           string
	Link            string
	PubDateRaw      string
	Creator         string // dc:creator: the author's login
	GUID            string
	GUIDIsPermaLink string
	Description     string
	Content         string
	Excerpt         string
	DateRaw         string
	DateGMTRaw      string
	ModifiedRaw     string
	ModifiedGMTRaw  string
	CommentStatus   string
	PingStatus      string
	Slug            string
	Status          string
	ParentRaw       string
	MenuOrderRaw    string
	PostType        string
	Password        string
	IsStickyRaw     string
	AttachmentURL   string
	Terms           []PostTerm
	Meta            []Meta
	Comments        []Comment
	Extra           []Element

	Line    int    // line of <item> in its file
	File    string // the part it came from
	RawHash []byte // hash of the item's bytes as read; equal hash means unchanged

	Derived PostDerived
}

// PostDerived holds the values the importer computes from a Post's raw
// fields. Empty strings are stored as NULL.
type PostDerived struct {
	DateAt        string // ISO 8601 UTC from DateGMTRaw (or DateRaw with the site offset), "" for zero dates
	ModifiedAt    string
	SlugDecoded   string
	Text          string // content with HTML stripped; CJK characters separated by U+200B (see SearchText)
	SearchTitle   string // title prepared the same way, for the search index
	Lang          string // main language of the post (BCP 47)
	ContentNormal string // content with lang attributes on foreign passages
	Quotes        []Quote
}

// Quote is a foreign-language passage found in a post.
type Quote struct {
	Ord           int
	Kind          string // "block" or "inline"
	Tag           string // p, blockquote, li, h2, td, …
	Lang          string
	Script        string
	Raw           string
	Normalized    string
	TranslationOf int    // Ord of the block it translates to/from, -1 if unpaired
	Translation   string // text of the paired block
	RepeatOf      int    // Ord of the earlier passage it repeats, -1 if none
	Fixes         map[string]int
}

// Comment is one wp:comment of an item.
type Comment struct {
	WPID        string
	Author      string
	AuthorEmail string
	AuthorURL   string
	AuthorIP    string
	DateRaw     string
	DateGMTRaw  string
	Content     string
	ApprovedRaw string
	TypeRaw     string
	ParentRaw   string
	UserIDRaw   string
	Meta        []Meta
	Extra       []Element

	Derived CommentDerived
}

// CommentDerived holds values computed from a Comment's raw fields.
type CommentDerived struct {
	DateAt string
	Kind   string // comment, trackback, pingback, or the plugin's type
	Status string // approved, pending, spam, trash, post-trashed, or the raw value
	Text   string // content with HTML stripped, prepared like PostDerived.Text

	// Trackbacks and pingbacks: the linking page.
	PingURL     string
	PingDomain  string
	PingTitle   string
	PingExcerpt string

	// Who wrote it. Commenter rows are keyed by (site, IdentityKey); the
	// same person commenting twice has one key.
	IdentityKey   string
	Provider      string // wordpress, jetpack, facebook, twitter, googleplus, disqus, wpcom-user, local-user, guest
	Avatar        string
	ForeignUserID string
	WPcomSigned   bool   // hc_wpcom_id_sig was present
	EmailHash     string // set when the import redacts e-mails and IPs
}
