package export

import "slices"

// Summary is what one export did. Everything in it follows from the
// archive and the options (no times, no map order), so two exports of
// one archive give equal summaries, apart from media downloads.
type Summary struct {
	Out    string `json:"out"`
	Site   string `json:"site"` // the site's key
	Flavor string `json:"flavor"`
	Layout string `json:"layout"`

	// Files counts the files the export holds: Markdown, comment data
	// and media (not the manifest or the skeleton).
	Files int `json:"files"`
	// Written counts those that were new or changed (the rest were
	// already there with the same bytes).
	Written int `json:"written"`
	// Removed lists the files the previous export into the folder wrote
	// that this one does not; Kept those of them left in place because
	// they changed since.
	Removed []string `json:"removed,omitempty"`
	Kept    []string `json:"kept,omitempty"`
	// Skeleton lists the site files WriteSkeleton wrote (only those that
	// did not exist).
	Skeleton []string `json:"skeleton,omitempty"`

	// Posts counts the exported posts by type; Drafts how many of them
	// are drafts (--drafts).
	Posts  map[string]int `json:"posts"`
	Drafts int            `json:"drafts"`
	// Skipped counts the posts of the requested types that were not
	// exported, by reason (the Reason… constants, or "status X").
	Skipped map[string]int `json:"skipped"`
	// NoSuchType lists the requested types the site has no post of.
	NoSuchType []string `json:"types_not_found,omitempty"`
	// Renamed lists the posts whose slug took a suffix to stay unique
	// (two posts with one slug, or a name reserved in its folder).
	Renamed []PostRef `json:"renamed,omitempty"`

	// Shortcodes counts the unknown shortcodes kept verbatim, by name;
	// Blocks the blocks kept as their inner HTML, by name.
	Shortcodes map[string]int `json:"unknown_shortcodes"`
	Blocks     map[string]int `json:"unknown_blocks"`
	// Problems lists what the converter could not convert, by post.
	Problems []PostIssue `json:"problems,omitempty"`
	// Checked counts the posts checked for fidelity (Options.Check);
	// Fidelity lists those whose Markdown, rendered back, differs from
	// what WordPress shows.
	Checked  int         `json:"checked"`
	Fidelity []PostIssue `json:"fidelity_failures,omitempty"`

	// Comments counts the comments, trackbacks and pingbacks written;
	// CommentPosts the posts they belong to.
	Comments     int `json:"comments"`
	CommentPosts int `json:"comment_posts"`

	Media MediaSummary `json:"media"`

	// TimeZone is, for Jekyll, the IANA zone that dates every exported
	// post as WordPress did (see siteTimeZone; the skeleton's config sets
	// it as timezone); TimeZoneMisfits counts the post dates it gives
	// another UTC offset (0: it fits them all).
	TimeZone        string `json:"time_zone,omitempty"`
	TimeZoneMisfits int    `json:"time_zone_misfits,omitempty"`
}

// PostRef names one exported post.
type PostRef struct {
	WPID  int64  `json:"wp_id"`
	Type  string `json:"type"`
	Title string `json:"title"`
	File  string `json:"file"` // relative to the output folder
}

// PostIssue is a problem with one post.
type PostIssue struct {
	PostRef
	Problem string `json:"problem"`
}

// MediaSummary says what --media download did.
type MediaSummary struct {
	Mode    string      `json:"mode"`             // keep or download
	URLs    int         `json:"urls"`             // distinct media URLs the posts use
	Fetched int         `json:"fetched"`          // downloaded (or taken from the cache) and copied
	Cached  int         `json:"cached"`           // of which served from the cache
	Failed  []MediaFail `json:"failed,omitempty"` // left remote, by URL
}

// MediaFail is one media file that could not be fetched.
type MediaFail struct {
	URL   string `json:"url"`
	Error string `json:"error"`
}

func newSummary(opt *Options) *Summary {
	return &Summary{Out: opt.Out, Flavor: opt.Flavor, Layout: opt.Layout,
		Posts: map[string]int{}, Skipped: map[string]int{}, Shortcodes: map[string]int{}, Blocks: map[string]int{},
		Media: MediaSummary{Mode: opt.Media}}
}

// Exported returns the number of posts exported, all types together.
func (s *Summary) Exported() int {
	n := 0
	for _, v := range s.Posts {
		n += v
	}
	return n
}

// add adds the summary of one site's export, written into the folder dir
// of s.Out, to s.
func (s *Summary) add(o *Summary, dir string) {
	if s.Site != "" {
		s.Site += ", "
	}
	s.Site += o.Site
	s.Files += o.Files
	s.Written += o.Written
	s.Drafts += o.Drafts
	s.Checked += o.Checked
	s.Comments += o.Comments
	s.CommentPosts += o.CommentPosts
	pre := func(p string) string { return dir + "/" + p }
	for _, p := range o.Removed {
		s.Removed = append(s.Removed, pre(p))
	}
	for _, p := range o.Kept {
		s.Kept = append(s.Kept, pre(p))
	}
	for _, p := range o.Skeleton {
		s.Skeleton = append(s.Skeleton, pre(p))
	}
	for _, t := range o.NoSuchType {
		if !slices.Contains(s.NoSuchType, t) {
			s.NoSuchType = append(s.NoSuchType, t)
		}
	}
	for _, r := range o.Renamed {
		r.File = pre(r.File)
		s.Renamed = append(s.Renamed, r)
	}
	for _, is := range o.Problems {
		is.File = pre(is.File)
		s.Problems = append(s.Problems, is)
	}
	for _, is := range o.Fidelity {
		is.File = pre(is.File)
		s.Fidelity = append(s.Fidelity, is)
	}
	for _, m := range []struct{ to, from map[string]int }{{s.Posts, o.Posts}, {s.Skipped, o.Skipped}, {s.Shortcodes, o.Shortcodes}, {s.Blocks, o.Blocks}} {
		for k, v := range m.from {
			m.to[k] += v
		}
	}
	s.Media.URLs += o.Media.URLs
	s.Media.Fetched += o.Media.Fetched
	s.Media.Cached += o.Media.Cached
	s.Media.Failed = append(s.Media.Failed, o.Media.Failed...)
}
