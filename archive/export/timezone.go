package export

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // the zones below, the same on every machine that exports
)

// Jekyll reads a front matter date with its offset and then converts it
// to the local time of the machine that builds (jekyll 4.3.1,
// lib/jekyll/document.rb, merge_data!: data["date"] =
// Utils.parse_date(data["date"].to_s), and lib/jekyll/utils.rb,
// parse_date: Time.parse(input).localtime). Shown dates and the
// :year/:month/:day of permalinks then follow that machine's zone: a post
// published at 20:15 +02:00 is dated the next day on a machine in Tokyo.
// Only _config.yml's timezone (Jekyll sets TZ from it) makes every build
// the same, so the export finds a zone that gives each post the offset
// WordPress dated it with, and the skeleton writes it there.

// zoneCandidates are the IANA zones tried, in order, when a site's posts
// show more than one UTC offset (daylight saving time) or an offset that
// is not a whole number of hours: one zone for each set of rules the
// world's blogs commonly use, and the odd offsets. A zone's name matters
// less than its rules: any zone that agrees with every post gives the same
// build.
var zoneCandidates = []string{
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
	"Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Warsaw", "Europe/Prague",
	"Europe/Athens", "Europe/Helsinki", "Europe/Kiev", "Europe/Bucharest", "Europe/Sofia",
	"Europe/Riga", "Europe/Vilnius", "Europe/Tallinn", "Europe/Chisinau", "Europe/Istanbul",
	"Europe/Minsk", "Europe/Moscow", "Europe/Kaliningrad", "Europe/Samara", "Atlantic/Azores",
	"Atlantic/Reykjavik", "Africa/Casablanca", "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos",
	"Africa/Nairobi", "Asia/Jerusalem", "Asia/Beirut", "Asia/Amman", "Asia/Damascus",
	"Asia/Tbilisi", "Asia/Yerevan", "Asia/Baku", "Asia/Tehran", "Asia/Dubai",
	"Asia/Kabul", "Asia/Karachi", "Asia/Tashkent", "Asia/Almaty", "Asia/Bishkek",
	"Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk",
	"Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka", "Asia/Kolkata",
	"Asia/Colombo", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Yangon", "Asia/Bangkok",
	"Asia/Jakarta", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore",
	"Asia/Manila", "Asia/Ulaanbaatar", "Asia/Seoul", "Asia/Pyongyang", "Asia/Tokyo",
	"Australia/Perth", "Australia/Eucla", "Australia/Darwin", "Australia/Adelaide", "Australia/Brisbane",
	"Australia/Sydney", "Australia/Hobart", "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham",
	"Pacific/Fiji", "Pacific/Honolulu", "Pacific/Marquesas", "America/Anchorage", "America/Los_Angeles",
	"America/Phoenix", "America/Denver", "America/Chicago", "America/Mexico_City", "America/New_York",
	"America/Havana", "America/Halifax", "America/St_Johns", "America/Caracas", "America/Bogota",
	"America/Lima", "America/Santiago", "America/Asuncion", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
	"America/Montevideo",
}

// zoneCache holds the candidates loaded so far (a nil *time.Location
// for one that failed): a site's zone is usually among the first few, and
// loading all of them took ~60 ms.
var zoneCache sync.Map

func loadZone(name string) *time.Location {
	if l, ok := zoneCache.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = nil
	}
	zoneCache.Store(name, l)
	return l
}

// fixedZone returns the IANA name of the zone that is always offset
// seconds east of UTC: Etc/UTC, or Etc/GMT-N for UTC+N (the sign of the
// Etc names is the POSIX one, inverted), "" when offset is not a whole
// number of hours in -12..+14.
func fixedZone(offset int) string {
	if offset == 0 {
		return "Etc/UTC"
	}
	if offset%3600 != 0 || offset < -12*3600 || offset > 14*3600 {
		return ""
	}
	h := offset / 3600
	if h > 0 {
		return fmt.Sprintf("Etc/GMT-%d", h)
	}
	return fmt.Sprintf("Etc/GMT+%d", -h)
}

// zoneSample is a moment a post is dated at and the UTC offset WordPress
// gave it there.
type zoneSample struct {
	unix   int64
	offset int
}

// siteTimeZone returns the IANA zone that gives the exported posts' dates
// (and last modifications) the offsets WordPress dated them with, from
// their local and GMT dates; misfits counts the dates it gives another
// offset (0 when one zone fits all). Dates without a GMT date (drafts) do
// not count. With one offset of whole hours the zone is Etc/GMT-N (fixed,
// as a WordPress set to "UTC+N" is); with several (daylight saving time)
// or an odd one, the first of zoneCandidates that fits, else the one that
// fits most. No date at all gives Etc/UTC.
func siteTimeZone(posts []*post) (name string, misfits int) {
	var samples []zoneSample
	offsets := map[int]bool{}
	add := func(t time.Time, gmt string) {
		if t.IsZero() || !hasGMT(gmt) {
			return
		}
		_, off := t.Zone()
		samples = append(samples, zoneSample{t.Unix(), off})
		offsets[off] = true
	}
	for _, p := range posts {
		add(p.date, p.dateGMT)
		add(p.modified, p.modGMT)
	}
	if len(samples) == 0 {
		return "Etc/UTC", 0
	}
	if len(offsets) == 1 {
		if n := fixedZone(samples[0].offset); n != "" {
			return n, 0
		}
	}
	best, bestMisfits := "", len(samples)+1
	for _, name := range zoneCandidates {
		loc := loadZone(name)
		if loc == nil {
			continue
		}
		n := 0
		for _, s := range samples {
			if _, off := time.Unix(s.unix, 0).In(loc).Zone(); off != s.offset {
				if n++; n >= bestMisfits {
					break
				}
			}
		}
		if n < bestMisfits {
			best, bestMisfits = name, n
			if n == 0 {
				break
			}
		}
	}
	if best == "" {
		return "Etc/UTC", len(samples)
	}
	return best, bestMisfits
}
