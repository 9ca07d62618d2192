package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wparchive/wparchive/importer/clean"
)

// Hostile input: each test streams its input from a generator (nothing
// large is held by the test or written to disk), reads it the way Import
// does (clean.Reader, then Reader) and checks that the reader ends with a
// clear error or a clean result, within bounded memory.

const head = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Hostile</title>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_blog_url>https://hostile.example.org</wp:base_blog_url>
`

const foot = "</channel>\n</rss>\n"

// gen is an io.Reader over a sequence of byte slices produced on demand.
type gen struct {
	next func() []byte // returns nil at the end
	cur  []byte
}

func (g *gen) Read(p []byte) (int, error) {
	for len(g.cur) == 0 {
		if g.cur = g.next(); g.cur == nil {
			return 0, io.EOF
		}
	}
	n := copy(p, g.cur)
	g.cur = g.cur[n:]
	return n, nil
}

// stream returns a reader of a, then b repeated n times, then c.
func stream(a string, b []byte, n int, c string) io.Reader {
	i := -1
	return &gen{next: func() []byte {
		i++
		switch {
		case i == 0:
			return []byte(a)
		case i <= n:
			return b
		case i == n+1:
			return []byte(c)
		}
		return nil
	}}
}

// peakHeap runs fn and returns the largest heap (live and not yet
// collected objects) seen while it ran, sampled every few milliseconds.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			mu.Lock()
			peak = max(peak, s[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak
}

// drain reads every record and returns the number of items and the error
// that ended the reading (nil at io.EOF).
func drain(r *Reader) (items int, err error) {
	for {
		e, err := r.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		if e.Post != nil {
			items++
		}
	}
}

// wantLimit checks that err is a *ParseError wrapping ErrTooLarge that
// names the file, the given line (0: any) and item, and says what to do.
func wantLimit(t *testing.T, err error, line, item int) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v (%T), want a *ParseError wrapping ErrTooLarge", err, err)
	}
	if pe.File != "hostile.xml" || (line > 0 && pe.Line != line) || pe.Item != item {
		t.Errorf("error at %s:%d item %d, want hostile.xml:%d item %d: %v", pe.File, pe.Line, pe.Item, line, item, err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, fmt.Sprintf("hostile.xml:%d: ", pe.Line)) || !strings.Contains(msg, "export the site again") {
		t.Errorf("message does not name file:line and what to do: %s", msg)
	}
}

// TestHostileDeepNesting nests elements a million deep in every place the
// reader goes down: an unknown element of an item (read recursively into
// a tree), a known text field, a skipped element outside the channel, a
// meta block, and the channel itself. Each ends with an error at the
// depth limit, not with a stack overflow or a decoder stack of a million
// entries.
func TestHostileDeepNesting(t *testing.T) {
	const n = 1_000_000
	open, close := []byte("<x>"), []byte("</x>")
	cases := []struct {
		name, before, after string
		item                int
		line                int
	}{
		{"unknown element in an item", head + "<item><wp:post_id>1</wp:post_id><extra>", "</extra></item>" + foot, 1, 7},
		{"text field", head + "<item><content:encoded>", "</content:encoded></item>" + foot, 1, 7},
		{"meta value", head + "<item><wp:postmeta><wp:meta_key>k</wp:meta_key><junk>", "</junk></wp:postmeta></item>" + foot, 1, 7},
		{"channel element", head + "<wp:author><wp:author_login>a</wp:author_login><deep>", "</deep></wp:author>" + foot, 0, 7},
		{"outside the channel", `<?xml version="1.0"?><rss><skipped>`, "</skipped></rss>", 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := io.MultiReader(stream(c.before, open, n, ""), stream("", close, n, c.after))
			var err error
			peak := peakHeap(func() {
				r := NewReader(clean.NewReader(in), "hostile.xml")
				_, err = drain(r)
			})
			wantLimit(t, err, c.line, c.item)
			if !strings.Contains(err.Error(), "nest more than 256 deep") {
				t.Errorf("message does not say what is wrong: %v", err)
			}
			if peak > 64<<20 {
				t.Errorf("peak heap %d MiB for deep nesting", peak>>20)
			}
		})
	}
}

// TestHostileHugeTextNode puts a single text node of 100 MB in each place
// one can be: an item's content as plain text and as CDATA, an attribute
// value, a comment, text between channel elements, a channel field, an
// unknown channel element and a comment before the document. Each is
// refused with an error naming the line where it started. With the field
// limit lowered to 1 MiB the reader's memory stays near that limit, so
// memory follows the limit, not the input; with the default limit the
// 100 MB node is refused before it is held whole.
func TestHostileHugeTextNode(t *testing.T) {
	const total = 100 << 20
	chunk := bytes.Repeat([]byte("lorem ipsum "), 1<<12) // 48 KiB
	n := total / len(chunk)
	cases := []struct {
		name, before, after string
		item, line          int
	}{
		{"content text", head + "<item><title>big</title>\n<content:encoded>", "</content:encoded></item>" + foot, 1, 8},
		{"content CDATA", head + "<item>\n<content:encoded><![CDATA[", "]]></content:encoded></item>" + foot, 1, 8},
		{"attribute", head + "<item>\n<guid isPermaLink=\"", "\">x</guid></item>" + foot, 1, 8},
		{"comment in an item", head + "<item>\n<!-- ", " --></item>" + foot, 1, 8},
		{"text between channel elements", head + "\n", "<item></item>" + foot, 0, 6},
		{"channel title", head + "<description>", "</description>" + foot, 0, 7},
		{"unknown channel element", head + "<image><url>", "</url></image>" + foot, 0, 7},
		{"comment before the document", "<?xml version=\"1.0\"?>\n<!-- ", " -->" + head[strings.Index(head, "<rss"):] + foot, 0, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			peak := peakHeap(func() {
				r := NewReader(clean.NewReader(stream(c.before, chunk, n, c.after)), "hostile.xml")
				r.MaxFieldBytes = 1 << 20
				_, err = drain(r)
			})
			wantLimit(t, err, c.line, c.item)
			if !strings.Contains(err.Error(), "larger than 1 MiB") {
				t.Errorf("message does not name the limit: %v", err)
			}
			if peak > 16<<20 {
				t.Errorf("peak heap %d MiB for a 100 MiB text node under a 1 MiB limit", peak>>20)
			}
		})
	}
	t.Run("default limit", func(t *testing.T) {
		c := cases[1]
		var err error
		peak := peakHeap(func() {
			_, err = drain(NewReader(clean.NewReader(stream(c.before, chunk, n, c.after)), "hostile.xml"))
		})
		wantLimit(t, err, c.line, c.item)
		if !strings.Contains(err.Error(), "larger than 64 MiB") {
			t.Errorf("message does not name the limit: %v", err)
		}
		// The decoder's buffer doubles as it grows and the last one
		// may not be collected yet: up to about four times the limit.
		if peak > 4*DefaultMaxFieldBytes {
			t.Errorf("peak heap %d MiB for a 100 MiB text node", peak>>20)
		}
		t.Logf("peak heap %d MiB", peak>>20)
	})
}

// TestHostileFieldAndItemLimits lowers the limits to check where they
// bite: a field of many small CDATA sections counts as one field, an item
// of many small fields counts as one item, the channel's unknown elements
// count together, and values just under the limits pass.
func TestHostileFieldAndItemLimits(t *testing.T) {
	read := func(in string, field, item int64) (int, error) {
		r := NewReader(clean.NewReader(strings.NewReader(in)), "hostile.xml")
		r.MaxFieldBytes, r.MaxItemBytes = field, item
		return drain(r)
	}
	cdata := strings.Repeat("<![CDATA[0123456789]]>", 5000) // 50,000 bytes of text in 110,000 of input
	if n, err := read(head+"<item><content:encoded>"+cdata+"</content:encoded></item>"+foot, 60_000, 1<<20); err != nil || n != 1 {
		t.Fatalf("50 kB field under a 60 kB limit: %d items, %v", n, err)
	}
	_, err := read(head+"<item><content:encoded>"+cdata+"</content:encoded></item>"+foot, 40_000, 1<<20)
	wantLimit(t, err, 7, 1)

	meta := strings.Repeat("<wp:postmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>0123456789</wp:meta_value></wp:postmeta>\n", 2000) // 198 kB
	body := head + "<item><wp:post_id>1</wp:post_id></item>\n<item><wp:post_id>2</wp:post_id>\n" + meta + "</item>" + foot
	if n, err := read(body, 1<<20, 300_000); err != nil || n != 2 {
		t.Fatalf("198 kB item under a 300 kB limit: %d items, %v", n, err)
	}
	n, err := read(body, 1<<20, 100_000)
	wantLimit(t, err, 8, 2)
	if n != 1 {
		t.Errorf("%d items before the error, want the 1 before the big one", n)
	}
	if !strings.Contains(err.Error(), "item 2: ") || !strings.Contains(err.Error(), "remove it from the file") {
		t.Errorf("message does not name the item and what to do: %v", err)
	}

	extras := strings.Repeat("<cloud domain=\"example.org\" port=\"80\" path=\"/rpc\" registerProcedure=\"\" protocol=\"xml-rpc\" />\n", 2000)
	_, err = read(head+extras+foot, 1<<20, 100_000)
	wantLimit(t, err, 0, 0)
	if !strings.Contains(err.Error(), "unknown elements together") {
		t.Errorf("message does not say what is too large: %v", err)
	}
}

// TestHostileEntities feeds entity bombs. encoding/xml expands no entity
// a document declares, so a billion laughs is an error or, where the
// cleaner escapes the reference, literal text; an external entity is
// never fetched. Either way the reader ends quickly with little memory.
func TestHostileEntities(t *testing.T) {
	laughs := `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
` + head[strings.Index(head, "<rss"):] + "<item><title>&lol9;</title><content:encoded>&lol9;&lol9;&lol9;</content:encoded></item>" + foot
	big := strings.Repeat("A", 100_000)
	quadratic := `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "` + big + `">]>
` + head[strings.Index(head, "<rss"):] + "<item><content:encoded>" + strings.Repeat("&a;", 50_000) + "</content:encoded></item>" + foot
	xxe := `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>
` + head[strings.Index(head, "<rss"):] + "<item><content:encoded>&xxe;</content:encoded></item>" + foot

	for _, c := range []struct{ name, in string }{{"billion laughs", laughs}, {"quadratic blowup", quadratic}, {"external entity", xxe}} {
		t.Run(c.name, func(t *testing.T) {
			var content []string
			var err error
			peak := peakHeap(func() {
				r := NewReader(clean.NewReader(strings.NewReader(c.in)), "hostile.xml")
				for {
					e, e2 := r.Next()
					if e2 != nil {
						if e2 != io.EOF {
							err = e2
						}
						return
					}
					if e.Post != nil {
						content = append(content, e.Post.Title, e.Post.Content)
					}
				}
			})
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.File != "hostile.xml" || pe.Line == 0 {
					t.Fatalf("error without file and line: %v", err)
				}
			}
			for _, s := range content {
				if strings.Contains(s, "lollol") || strings.Contains(s, big[:100]) {
					t.Errorf("an entity was expanded: %d bytes of text", len(s))
				}
				if strings.Contains(s, "root:") {
					t.Errorf("an external entity was read: %q", s)
				}
			}
			if peak > 64<<20 {
				t.Errorf("peak heap %d MiB", peak>>20)
			}
		})
	}
}

// TestHostileManyItems streams a million tiny items, then a hundred
// thousand terms before the first item: every record comes out, in
// order, and the reader's memory does not grow with their number.
func TestHostileManyItems(t *testing.T) {
	const n = 1_000_000
	i := 0
	items := &gen{next: func() []byte {
		i++
		switch {
		case i == 1:
			return []byte(head)
		case i <= n+1:
			return fmt.Appendf(nil, "<item><wp:post_id>%d</wp:post_id></item>\n", i-1)
		case i == n+2:
			return []byte(foot)
		}
		return nil
	}}
	var got int
	var err error
	peak := peakHeap(func() {
		r := NewReader(clean.NewReader(items), "hostile.xml")
		for {
			e, e2 := r.Next()
			if e2 != nil {
				if e2 != io.EOF {
					err = e2
				}
				return
			}
			if e.Post != nil {
				got++
				if want := fmt.Sprint(got); e.Post.WPID != want {
					t.Fatalf("item %d has post_id %s", got, e.Post.WPID)
				}
			}
		}
	})
	if err != nil || got != n {
		t.Fatalf("%d items, %v; want %d", got, err, n)
	}
	if peak > 32<<20 {
		t.Errorf("peak heap %d MiB for a million items", peak>>20)
	}

	const terms = 100_000
	term := []byte("<wp:term><wp:term_id>1</wp:term_id><wp:term_taxonomy>post_tag</wp:term_taxonomy><wp:term_slug>t</wp:term_slug></wp:term>\n")
	var sites, nterms, nitems int
	order := true
	peak = peakHeap(func() {
		r := NewReader(clean.NewReader(stream(head, term, terms, "<item><wp:post_id>1</wp:post_id></item>"+foot)), "hostile.xml")
		for {
			e, e2 := r.Next()
			if e2 != nil {
				if e2 != io.EOF {
					err = e2
				}
				return
			}
			switch {
			case e.Site != nil:
				sites++
			case e.Term != nil:
				nterms++
				order = order && sites == 1
			case e.Post != nil:
				nitems++
			}
		}
	})
	if err != nil || sites != 1 || nterms != terms || nitems != 1 || !order {
		t.Fatalf("sites %d, terms %d, items %d, site first %v, err %v", sites, nterms, nitems, order, err)
	}
	if peak > 32<<20 {
		t.Errorf("peak heap %d MiB for %d terms", peak>>20, terms)
	}
}

// TestTruncatedKeepsChannelRecords cuts an export in its term list: the
// site, the authors and the complete terms come out before the
// *TruncatedError, which names the line and says no item is complete.
func TestTruncatedKeepsChannelRecords(t *testing.T) {
	b, err := os.ReadFile("../testdata/seed/central-asia.xml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	cut := strings.Index(s, "<wp:term_id>2877</wp:term_id>") // inside the third category
	r := NewReader(clean.NewReader(strings.NewReader(s[:cut])), "seed.xml")
	var sites, authors, terms int
	for {
		e, err := r.Next()
		if err != nil {
			var te *TruncatedError
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want a *TruncatedError", err)
			}
			if te.Complete != 0 || te.Offset != int64(cut) || te.Line != strings.Count(s[:cut], "\n")+1 || te.PartialLine != 0 {
				t.Errorf("truncation %+v, want 0 complete, offset %d", te, cut)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("seed.xml:%d: the file ends at byte %d", te.Line, cut)) ||
				!strings.Contains(err.Error(), "no item in it is complete") || strings.Contains(err.Error(), "--salvage") {
				t.Errorf("message: %v", err)
			}
			if _, again := r.Next(); again != err {
				t.Errorf("the error is not final: then %v", again)
			}
			break
		}
		switch {
		case e.Site != nil:
			sites++
		case e.Author != nil:
			authors++
		case e.Term != nil:
			terms++
		}
	}
	if sites != 1 || authors != 2 || terms != 2 {
		t.Errorf("before the cut: %d sites, %d authors, %d terms; want 1, 2, 2", sites, authors, terms)
	}
}

// TestErrorLinesCountInputLines: the cleaner drops a PHP warning before
// the document; errors and records still give lines of the input file.
func TestErrorLinesCountInputLines(t *testing.T) {
	warning := "<br />\n<b>Warning</b>: Cannot modify header information in <b>export.php</b> on line <b>380</b><br />\n"
	in := warning + head + "<item><title>one</title></item>\n<item><title>two</title><bad></item>" + foot
	r := NewReader(clean.NewReader(strings.NewReader(in)), "hostile.xml")
	var lines []int
	for {
		e, err := r.Next()
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 10 || pe.Item != 2 {
				t.Fatalf("got %v, want a syntax error at input line 10 in item 2", err)
			}
			break
		}
		if e.Post != nil {
			lines = append(lines, e.Post.Line)
		}
	}
	if len(lines) != 1 || lines[0] != 9 {
		t.Errorf("item lines %v, want [9]", lines)
	}
}
