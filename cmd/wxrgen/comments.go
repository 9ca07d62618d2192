package main

import (
	"math"
	"strconv"
	"strings"
	"time"
)

func (g *gen) writeComment(c *comment) {
	x := g.x
	x.WriteString("\t\t<wp:comment>\n")
	x.elemInt("\t\t\t", "wp:comment_id", c.id)
	x.elemCDATA("\t\t\t", "wp:comment_author", c.author)
	x.elemCDATA("\t\t\t", "wp:comment_author_email", c.email)
	x.elemText("\t\t\t", "wp:comment_author_url", c.url)
	x.elemCDATA("\t\t\t", "wp:comment_author_IP", c.ip)
	x.elemCDATA("\t\t\t", "wp:comment_date", fmtDate(g.local(c.date)))
	x.elemCDATA("\t\t\t", "wp:comment_date_gmt", fmtDate(c.date))
	x.elemCDATA("\t\t\t", "wp:comment_content", c.content)
	x.elemCDATA("\t\t\t", "wp:comment_approved", c.approved)
	x.elemCDATA("\t\t\t", "wp:comment_type", c.typ)
	x.elemInt("\t\t\t", "wp:comment_parent", c.parent)
	x.elemInt("\t\t\t", "wp:comment_user_id", c.userID)
	for _, m := range c.meta {
		x.meta("commentmeta", m[0], m[1])
	}
	x.WriteString("\t\t</wp:comment>\n")
	g.st.Comments++
	switch c.typ {
	case "trackback":
		g.st.Trackbacks++
	case "pingback":
		g.st.Pingbacks++
	}
}

// comments fills g.cmts for p: 0–30 comments, threaded, with pings, sign-in meta and Akismet.
func (g *gen) comments(p *post) {
	g.cmts = g.cmts[:0]
	switch p.status {
	case "draft", "pending", "future":
		return
	}
	n := int(31 * math.Pow(g.r.Float64(), 3))
	t := p.date
	for i := 0; i < n; i++ {
		t = t.Add(time.Duration(1+g.intn(3*24*60)) * time.Minute)
		if t.After(exportTime) {
			break
		}
		c := comment{id: g.nextCommentID, date: t, approved: "1", typ: "comment"}
		g.nextCommentID += int64(1 + g.intn(3)) // spam that was deleted left gaps
		switch r := g.intn(100); {
		case r < 7:
			g.pingback(&c, p)
		case r < 10:
			g.trackback(&c, p)
		case r < 22 && g.hasOrdinary():
			g.authorReply(&c, p)
		default:
			g.visitorComment(&c, p)
		}
		g.cmts = append(g.cmts, c)
	}
}

func (g *gen) hasOrdinary() bool {
	for i := range g.cmts {
		if !g.cmts[i].ping {
			return true
		}
	}
	return false
}

// replyTarget picks an earlier ordinary comment to reply to, or 0.
func (g *gen) replyTarget(p float64) int64 {
	if len(g.cmts) == 0 || !g.chance(p) {
		return 0
	}
	for tries := 0; tries < 4; tries++ {
		c := g.cmts[len(g.cmts)-1-g.intn(min(len(g.cmts), 5))]
		if !c.ping && c.approved == "1" {
			return c.id
		}
	}
	return 0
}

func (g *gen) commentText() string {
	var b strings.Builder
	n := g.between(1, 4)
	for i := 0; i < n; i++ {
		if i > 0 {
			if g.chance(0.2) {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		switch r := g.intn(10); {
		case r < 6:
			b.WriteString(pick(g, commentSentences))
		case r < 7:
			b.WriteString(pick(g, commentForeign))
		default:
			b.WriteString(pick(g, englishSentences))
		}
	}
	return b.String()
}

func (g *gen) visitorComment(c *comment, p *post) {
	var who person
	if g.chance(0.75) {
		who = g.people[g.intn(len(g.people))]
	} else {
		who = g.newPerson()
		who.provider, who.foreignID, who.avatar, who.sig = "", "", "", ""
		if strings.Contains(who.url, "twitter.com") || strings.Contains(who.url, "facebook.com") {
			who.url = ""
		}
		if who.email == "" {
			who.email = "guest" + strconv.Itoa(g.intn(1000)) + "@example.com"
		}
	}
	c.author, c.email, c.url, c.ip = htmlEscapeText(who.name), who.email, who.url, who.ip
	if g.chance(0.2) {
		c.ip = g.ip() // dynamic addresses
	}
	c.parent = g.replyTarget(0.35)
	c.content = g.commentText()

	switch r := g.intn(100); {
	case r < 4:
		c.approved = "0"
	case r < 6:
		c.approved = "trash"
		c.content = pick(g, spamLines)
		c.parent = 0
	}
	g.akismet(c, p)
	if c.approved == "trash" {
		return // trashed spam shows no identity meta
	}
	switch who.provider {
	case "wordpress":
		c.meta = append(c.meta, [2]string{"hc_post_as", "wordpress"}, [2]string{"hc_avatar", who.avatar},
			[2]string{"hc_foreign_user_id", who.foreignID}, [2]string{"hc_wpcom_id_sig", who.sig})
	case "twitter", "facebook":
		c.meta = append(c.meta, [2]string{"hc_post_as", who.provider}, [2]string{"hc_avatar", who.avatar},
			[2]string{"hc_foreign_user_id", who.foreignID})
	}
}

// akismet adds Akismet meta to most visitor comments, with history events matching the
// comment's status.
func (g *gen) akismet(c *comment, p *post) {
	if !g.chance(0.7) && c.approved != "trash" {
		return
	}
	ev := func(t time.Time, event, user string) string {
		var m php
		f := float64(t.Unix()) + float64(g.intn(1_000_000))/1e6
		if user != "" {
			m.arr(3).str("time").float(f).kv("event", event).kv("user", user).end()
		} else {
			m.arr(2).str("time").float(f).kv("event", event).end()
		}
		return m.String()
	}
	login := p.author.login
	later := c.date.Add(time.Duration(g.between(5, 600)) * time.Minute)
	switch c.approved {
	case "trash":
		spam := g.chance(0.5)
		if spam {
			c.meta = append(c.meta, [2]string{"akismet_result", "true"}, [2]string{"akismet_history", ev(c.date, "check-spam", "")})
		} else {
			c.meta = append(c.meta, [2]string{"akismet_result", "false"}, [2]string{"akismet_history", ev(c.date, "check-ham", "")})
		}
		status := "0"
		if spam {
			status = "spam"
		}
		c.meta = append(c.meta,
			[2]string{"_wp_trash_meta_status", status},
			[2]string{"_wp_trash_meta_time", strconv.FormatInt(later.Unix(), 10)},
			[2]string{"akismet_history", ev(later, "status-trash", login)})
	case "0":
		c.meta = append(c.meta, [2]string{"akismet_result", "false"}, [2]string{"akismet_history", ev(c.date, "check-ham", "")})
	default:
		c.meta = append(c.meta, [2]string{"akismet_result", "false"}, [2]string{"akismet_history", ev(c.date, "check-ham", "")})
		if g.chance(0.3) {
			c.meta = append(c.meta, [2]string{"akismet_history", ev(later, "status-approved", login)})
		}
	}
	if g.chance(0.05) {
		var m php
		m.arr(11).kv("comment_author", c.author).kv("comment_author_email", c.email).
			kv("comment_author_url", c.url).kv("comment_content", c.content).kv("comment_type", "comment").
			kv("user_ip", c.ip).kv("user_agent", "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0").
			kv("blog", g.site.url).kv("blog_lang", "en_US").kv("blog_charset", "UTF-8").kv("permalink", p.link).end()
		c.meta = append(c.meta, [2]string{"akismet_as_submitted", m.String()})
	}
}

func (g *gen) authorReply(c *comment, p *post) {
	a := p.author
	c.author, c.email, c.url, c.userID = a.display, a.email, g.site.url, a.id
	c.ip = "2001:db8::" + strconv.FormatInt(a.id%0xffff+1, 16)
	c.parent = g.replyTarget(1)
	c.content = pick(g, []string{"Thank you!", "Thank you, fixed.", "Good question, I will look into it.",
		"Agreed, the original is much more ambiguous.", "Here is the link: it is the second article on the page."})
	if g.chance(0.5) {
		c.content += " " + pick(g, englishSentences)
	}
	c.meta = append(c.meta, [2]string{"hc_post_as", "jetpack"}, [2]string{"hc_avatar", a.avatar},
		[2]string{"hc_foreign_user_id", strconv.FormatInt(a.id, 10)})
}

// trackback stores a trackback the way wp-trackback.php does.
func (g *gen) trackback(c *comment, p *post) {
	src := pick(g, pingSources)
	title := pick(g, titleOpeners) + " " + pick(g, titleTopics)
	c.ping, c.typ = true, "trackback"
	c.author = src.name
	c.url = "https://" + src.host + c.date.Format("/2006/01/02/") + slugify(title) + "/"
	c.ip = g.ip()
	var ex strings.Builder
	for ex.Len() < 200 {
		if ex.Len() > 0 {
			ex.WriteByte(' ')
		}
		ex.WriteString(pick(g, englishSentences))
	}
	excerpt := ex.String()
	if r := []rune(excerpt); len(r) > 252 {
		excerpt = string(r[:252]) + "&#8230;"
	}
	c.content = "<strong>" + title + "</strong>\n\n" + excerpt
}

// pingback stores a pingback the way the XML-RPC pingback.ping handler does.
func (g *gen) pingback(c *comment, p *post) {
	src := pick(g, pingSources)
	title := pick(g, titleOpeners) + " " + pick(g, titleTopics)
	c.ping, c.typ = true, "pingback"
	c.author = strings.ReplaceAll(title, "'", "&#8217;") + " &#8211; " + src.name
	c.url = "https://" + src.host + c.date.Format("/2006/01/02/") + slugify(title) + "/"
	c.ip = g.ip()
	ctx := pick(g, englishSentences) + " " + strings.TrimSuffix(pick(g, englishSentences), ".")
	ctx = strings.ReplaceAll(htmlEscapeText(ctx), "'", "&#039;")
	c.content = "[&#8230;] " + ctx + " [&#8230;]"
	if g.chance(0.4) {
		g.akismet(c, p)
		for i := range c.meta { // Akismet records pings too, without a user
			if c.meta[i][0] == "akismet_as_submitted" {
				c.meta = c.meta[:i]
				break
			}
		}
	}
}
