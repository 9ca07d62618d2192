package export

import (
	"strconv"

	"github.com/wparchive/wparchive/archive/markdown"
)

// appendYAML appends the YAML data file of t as Data's encoder writes it
// (keys in the order of Comment's fields, omitempty fields left out),
// with the scalars written by hand (markdown.AppendYAMLString): the
// encoder took most of the comments' share of an export. ok is false when
// a value is one the hand-written scalars do not cover; Data uses the
// encoder then. TestThreadDataByHand compares the two.
func (t *Thread) appendYAML(b []byte) ([]byte, bool) {
	var ok bool
	if len(t.Comments) == 0 {
		b = append(b, "comments: []\n"...)
	} else {
		b = append(b, "comments:\n"...)
		for i := range t.Comments {
			if b, ok = appendCommentYAML(b, &t.Comments[i]); !ok {
				return nil, false
			}
		}
	}
	if len(t.Pings) > 0 {
		b = append(b, "pings:\n"...)
		for i := range t.Pings {
			if b, ok = appendCommentYAML(b, &t.Pings[i]); !ok {
				return nil, false
			}
		}
	}
	return b, true
}

// appendCommentYAML appends c as an item of a block sequence at column 2.
func appendCommentYAML(b []byte, c *Comment) ([]byte, bool) {
	ok := true
	str := func(key, v string, omitEmpty bool) {
		if !ok || omitEmpty && v == "" {
			return
		}
		b = append(b, "    "...)
		b = append(b, key...)
		b = append(b, ": "...)
		if b, ok = markdown.AppendYAMLString(b, v, 4); ok {
			b = append(b, '\n')
		}
	}
	num := func(key string, v int64, omitEmpty bool) {
		if omitEmpty && v == 0 {
			return
		}
		b = append(b, "    "...)
		b = append(b, key...)
		b = append(b, ": "...)
		b = strconv.AppendInt(b, v, 10)
		b = append(b, '\n')
	}
	b = append(b, "  - id: "...)
	b = strconv.AppendInt(b, c.ID, 10)
	b = append(b, '\n')
	num("parent", c.Parent, true)
	num("reply_to", c.ReplyTo, true)
	num("depth", int64(c.Depth), false)
	str("type", c.Type, false)
	str("status", c.Status, true)
	str("author", c.Author, false)
	str("url", c.URL, true)
	str("title", c.Title, true)
	str("blog_name", c.BlogName, true)
	str("domain", c.Domain, true)
	str("provider", c.Provider, true)
	str("avatar", c.Avatar, true)
	str("date", c.Date, false)
	str("content", c.Content, false)
	if ok && c.Orphan {
		b = append(b, "    orphan: true\n"...)
	}
	return b, ok
}
