package markdown

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// The names a Report counts are its own strings: reports kept for every
// post of an export (until its summary) must not keep each post's
// converted text alive through them.
func TestReportsDoNotHoldContent(t *testing.T) {
	const posts, size = 100, 200 << 10
	para := strings.Repeat("A paragraph of text that goes on for a while. ", 20) + "\n\n"
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(para)
	}
	body := b.String()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	reports := make([]Report, posts)
	for i := range reports {
		// A different content each time, with a shortcode and a block
		// the report counts by name.
		content := fmt.Sprintf("[gallery ids=\"%d\"]\n\n%s[caption]<img src=\"https://example.org/%d.jpg\"> Caption[/caption]\n\n[unknownthing id=%d]", i, body, i, i)
		_, reports[i] = Convert(content, Options{Flavor: Hugo})
		if len(reports[i].Shortcodes)+len(reports[i].Unknown) == 0 {
			t.Fatalf("post %d: the report counts no shortcode: %+v", i, reports[i])
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	// Each post's text is 200 KB: holding one buffer per report would be
	// 20 MB and more.
	if grew > posts*size/10 {
		t.Errorf("%d reports hold %d KB of heap (%.1f KB each): they keep the converted texts alive", posts, grew>>10, float64(grew)/1024/posts)
	}
	runtime.KeepAlive(reports)
}
