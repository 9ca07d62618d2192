package importer

import (
	"fmt"
	"testing"
	"time"
)

// isoUTCRef is isoUTC as first written: time.Parse and Format for every
// date.
func isoUTCRef(gmt string) string {
	if gmt == "" || len(gmt) >= 10 && gmt[:10] == "0000-00-00" {
		return ""
	}
	t, err := time.Parse(wpTime, gmt)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// TestIsoUTCEquivalent compares isoUTC with the reference on every day
// of a few years (leap and not), edge times and malformed dates.
func TestIsoUTCEquivalent(t *testing.T) {
	var ins []string
	for _, y := range []int{0, 1, 1900, 1999, 2000, 2004, 2023, 2024, 2100, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				ins = append(ins, fmt.Sprintf("%04d-%02d-%02d 12:34:56", y, m, d))
			}
		}
	}
	for _, hms := range []string{"00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "99:99:99", "1:02:03", "01:02:3"} {
		ins = append(ins, "2024-02-29 "+hms)
	}
	ins = append(ins, "", "0000-00-00 00:00:00", "2024-02-29 12:00:00.5", "2024-02-29T12:00:00", "2024-02-29  2:00:00",
		"2024-2-29 12:00:00", "+024-02-29 12:00:00", "2024-02-29 12:00:00 ", "2024-02-29 12:00", "２０２４-02-29 12:00:00")
	for _, in := range ins {
		if got, want := isoUTC(in), isoUTCRef(in); got != want {
			t.Errorf("isoUTC(%q) = %q, the reference gives %q", in, got, want)
		}
	}
}

func FuzzIsoUTC(f *testing.F) {
	f.Add("2024-02-29 12:34:56")
	f.Add("2023-02-29 12:34:56")
	f.Add("0000-00-00 00:00:00")
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := isoUTC(in), isoUTCRef(in); got != want {
			t.Errorf("isoUTC(%q) = %q, the reference gives %q", in, got, want)
		}
	})
}

func BenchmarkIsoUTC(b *testing.B) {
	for _, v := range []struct {
		name string
		fn   func(string) string
	}{{"new", isoUTC}, {"ref", isoUTCRef}} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				v.fn("2019-07-14 09:26:53")
			}
		})
	}
}
