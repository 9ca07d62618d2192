// Package quotes finds the foreign-language passages of a blog post: blocks
// (paragraphs, blockquotes, list items, headings, table cells) and inline
// runs written in another language than the post, the translation each one
// sits beside, and passages pasted twice. It normalises the text of those
// passages (never the raw content) and marks them with lang attributes in a
// copy of the content.
//
// Analyze is the entry point; the importer calls it once per post. It is
// safe for concurrent use.
package quotes
