package archive

// WPDate is a date in WordPress's "YYYY-MM-DD hh:mm:ss" form, read into
// its fields.
type WPDate struct {
	Year, Month, Day, Hour, Minute, Second int
}

// ParseWPDate reads the usual "YYYY-MM-DD hh:mm:ss" of a WordPress export
// with every field in range (leap years included), as time.Parse with
// time.DateTime would accept it, without its cost; false for anything else,
// which callers leave to time.Parse.
func ParseWPDate(s string) (WPDate, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return WPDate{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	d := WPDate{num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)}
	if d.Year < 0 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Hour < 0 || d.Hour > 23 ||
		d.Minute < 0 || d.Minute > 59 || d.Second < 0 || d.Second > 59 || d.Day > d.monthDays(d.Month) {
		return WPDate{}, false
	}
	return d, true
}

// monthDays is the number of days of month m of d's year.
func (d WPDate) monthDays(m int) int {
	if m == 2 && d.Year%4 == 0 && (d.Year%100 != 0 || d.Year%400 == 0) {
		return 29
	}
	return [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
}

// Seconds returns the seconds from 0001-01-01 00:00:00 to d.
func (d WPDate) Seconds() int64 {
	y := d.Year - 1
	days := 365*y + y/4 - y/100 + y/400
	for m := 1; m < d.Month; m++ {
		days += d.monthDays(m)
	}
	days += d.Day - 1
	return int64(days)*86400 + int64(d.Hour*3600+d.Minute*60+d.Second)
}
