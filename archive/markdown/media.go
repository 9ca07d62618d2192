package markdown

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

var reVideoID = regexp.MustCompile(`^[A-Za-z0-9_-]{6,}$`)
var reDigits = regexp.MustCompile(`^[0-9]+$`)

// youtubeID returns the video id of a YouTube watch, short, embed or
// youtu.be URL, or of a bare id.
func youtubeID(raw string) (string, bool) {
	raw = strings.TrimSpace(html.UnescapeString(raw))
	if raw == "" {
		return "", false
	}
	if !strings.Contains(raw, "/") && !strings.Contains(raw, ".") {
		if reVideoID.MatchString(raw) {
			return raw, true
		}
		return "", false
	}
	if strings.HasPrefix(raw, "//") {
		raw = "https:" + raw
	} else if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	host = strings.TrimPrefix(host, "m.")
	var id string
	switch host {
	case "youtu.be":
		id = strings.Trim(u.Path, "/")
	case "youtube.com", "youtube-nocookie.com", "music.youtube.com":
		if v := u.Query().Get("v"); v != "" {
			id = v
			break
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) == 2 {
			switch parts[0] {
			case "embed", "v", "shorts", "live", "e":
				id = parts[1]
			}
		}
	default:
		return "", false
	}
	// Jetpack's [youtube=URL&w=640] and TinyMCE's &amp; leave junk after the id.
	if i := strings.IndexAny(id, "&?#/ "); i >= 0 {
		id = id[:i]
	}
	if !reVideoID.MatchString(id) {
		return "", false
	}
	return id, true
}

// vimeoID returns the numeric id of a Vimeo video URL or a bare id.
func vimeoID(raw string) (string, bool) {
	raw = strings.TrimSpace(html.UnescapeString(raw))
	if reDigits.MatchString(raw) {
		return raw, true
	}
	if strings.HasPrefix(raw, "//") {
		raw = "https:" + raw
	} else if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if host != "vimeo.com" && host != "player.vimeo.com" {
		return "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if reDigits.MatchString(parts[i]) {
			return parts[i], true
		}
	}
	return "", false
}

// videoEmbed returns the iframe WordPress's oEmbed gives for a YouTube or
// Vimeo URL, or "" for any other URL.
func videoEmbed(u string) string {
	if id, ok := youtubeID(u); ok {
		return `<iframe class="wp-embed-youtube" src="https://www.youtube.com/embed/` + id + `" width="560" height="315" frameborder="0" allowfullscreen></iframe>`
	}
	if id, ok := vimeoID(u); ok {
		return `<iframe class="wp-embed-vimeo" src="https://player.vimeo.com/video/` + id + `" width="560" height="315" frameborder="0" allowfullscreen></iframe>`
	}
	return ""
}

// embedHTML renders an embedded URL: the video player for YouTube and
// Vimeo, a plain link for everything else (what WordPress shows when the
// oEmbed provider cannot be asked, and the honest offline rendering).
func embedHTML(u string) string {
	u = strings.TrimSpace(u)
	if v := videoEmbed(u); v != "" {
		return v
	}
	if u == "" {
		return ""
	}
	e := html.EscapeString(html.UnescapeString(u))
	return `<a href="` + e + `">` + e + `</a>`
}

// embedFromIframe maps an iframe src back to the video it plays:
// ("youtube", id) or ("vimeo", id).
func embedFromIframe(src string) (string, string) {
	if id, ok := youtubeID(src); ok {
		return "youtube", id
	}
	if id, ok := vimeoID(src); ok {
		return "vimeo", id
	}
	return "", ""
}

var reAutoembedPara = regexp.MustCompile(`(?i)(<p(?: [^>]*)?>\s*)(https?://[^\s<>"]+)(\s*</p>)`)

// mayAutoembedPara reports whether reAutoembedPara may match s: whether
// some "://" is followed by characters of the URL class, white space and
// "</p>". Every match has such a "://" (the one after http or https: the
// URL's characters run to the white space or '<' before "</p>").
func mayAutoembedPara(s string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], "://")
		if j < 0 {
			return false
		}
		k := i + j + 3
		e := k
		for e < len(s) && !isRE2Space(s[e]) && s[e] != '<' && s[e] != '>' && s[e] != '"' {
			e++
		}
		if e > k {
			for e < len(s) && isRE2Space(s[e]) {
				e++
			}
			if e+4 <= len(s) && strings.EqualFold(s[e:e+4], "</p>") {
				return true
			}
		}
		i = k
	}
}

// autoembed turns YouTube and Vimeo URLs that stand on a line, or alone in
// a paragraph, into players, as WP_Embed::autoembed does at render time.
// URLs of other providers are left alone: WordPress leaves them as text
// when the provider does not answer. Lines inside <pre> are not touched.
func autoembed(s string, rep *Report) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder // written from the first embed on
	last := 0             // s[last:] is not written yet
	inPre := 0
	hasPre := strings.Contains(s, "<pre") // else inPre stays 0
	for pos := 0; pos < len(s); {
		end := strings.IndexByte(s[pos:], '\n') + 1
		if end == 0 {
			end = len(s) - pos
		}
		line := s[pos : pos+end]
		t := strings.TrimSpace(line)
		if inPre == 0 && (strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://")) && !strings.ContainsAny(t, " \t<>\"") {
			if v := videoEmbed(t); v != "" {
				if last == 0 {
					b.Grow(len(s) + len(v))
				}
				lead := pos + strings.Index(line, t)
				b.WriteString(s[last:lead])
				b.WriteString(v)
				last = lead + len(t)
				rep.count(&rep.Shortcodes, "embed")
				pos += end
				continue
			}
		}
		if hasPre && strings.Contains(line, "pre") {
			inPre += strings.Count(line, "<pre") - strings.Count(line, "</pre>")
			if inPre < 0 {
				inPre = 0
			}
		}
		pos += end
	}
	if last > 0 {
		b.WriteString(s[last:])
		s = b.String()
	}
	if mayAutoembedPara(s) {
		s = replaceReFunc(reAutoembedPara, s, func(m string) string {
			sub := reAutoembedPara.FindStringSubmatch(m)
			if v := videoEmbed(sub[2]); v != "" {
				rep.count(&rep.Shortcodes, "embed")
				return sub[1] + v + sub[3]
			}
			return m
		})
	}
	return s
}
