package archive

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wparchive/wparchive/schema"
)

// The search benchmarks run on a 20,000-post archive.
//
// By default it is built here, once, through the Writer (no XML): 20,000
// posts of 300–900 words with a Zipf-like vocabulary, every sixth with a
// Chinese paragraph that is also stored as a passage, and 5 comments a
// post on average. It is kept in the temporary folder between runs
// (wparchive-search-bench-v<schema>.sqlite; delete it to build it again).
//
// WPARCHIVE_BENCH_ARCHIVE=FILE runs them on an archive you made instead,
// for the measurement, the archive of the benchmark generator's
// 20,000-post export:
//
//	go run ./cmd/wxrgen -posts 20000 -seed 1 -o /tmp/20k.xml
//	go run -tags sqlite_fts5 ./cmd/wparchive import -q --db /tmp/20k.sqlite /tmp/20k.xml
//	WPARCHIVE_BENCH_ARCHIVE=/tmp/20k.sqlite go test -tags sqlite_fts5 -run '^$' -bench Search ./archive
//
// The figures are per query, as `wparchive search` runs it with its
// default limit of 20, snippets included: wall time (ms/op) and the CPU
// time of the process (cpu-ms/op), which says more on a shared machine.

var benchArchive struct {
	once sync.Once
	a    *Archive
	err  error
}

func openBenchArchive(b *testing.B) *Archive {
	b.Helper()
	benchArchive.once.Do(func() {
		ctx := context.Background()
		path := os.Getenv("WPARCHIVE_BENCH_ARCHIVE")
		if path == "" {
			path = filepath.Join(os.TempDir(), fmt.Sprintf("wparchive-search-bench-v%d.sqlite", schema.Version()))
			if _, err := os.Stat(path); err != nil {
				start := time.Now()
				if benchArchive.err = buildBenchArchive(ctx, path, 20000); benchArchive.err != nil {
					return
				}
				fmt.Fprintf(os.Stderr, "built %s in %s\n", path, time.Since(start).Round(time.Second))
			}
		}
		benchArchive.a, benchArchive.err = OpenReadOnly(ctx, path)
	})
	if benchArchive.err != nil {
		b.Fatal(benchArchive.err)
	}
	return benchArchive.a
}

// benchWords is the English vocabulary: common words first, so that a
// Zipf draw makes "the" occur in every post and "sanctions" in a few.
var benchWords = strings.Fields(`the of and to in a is that for it as was with be by on not he this are or his from at
which but have an they you were her she there one all we their been has would will more when who if so what about
them no out up into some than other time could very its new only do two may first like over such our after most
market tea bread travel road train border river city village museum history newspaper driver bookshop report
broken memories listening radio almaty tashkent samarkand bukhara bishkek steppe mountain pass caravan bazaar
sanctions minister policy trade union economy foreign treaty summit embassy translation archive letter winter
summer autumn spring morning evening night family friend kitchen recipe plov noodles melon apricot walnut honey`)

// benchHan are common characters, with 翻译, 风景 and 制裁 among them.
var benchHan = []rune(`的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切翻译景侵略裁`)

func zipf(r *rand.Rand, n int) int {
	// Inverse of a 1/k distribution, roughly: small ranks are frequent.
	x := r.Float64()
	return min(n-1, int(float64(n)*x*x*x))
}

func benchText(r *rand.Rand, words int) string {
	var b strings.Builder
	for i := 0; i < words; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(benchWords[zipf(r, len(benchWords))])
		if r.Intn(15) == 0 {
			b.WriteString(".")
		}
	}
	return b.String()
}

func benchHanText(r *rand.Rand, chars int) string {
	var b strings.Builder
	for i := 0; i < chars; i++ {
		switch r.Intn(40) {
		case 0:
			b.WriteString("翻译")
		case 1:
			b.WriteString("风景")
		case 2:
			b.WriteString("制裁")
		default:
			b.WriteRune(benchHan[zipf(r, len(benchHan))])
		}
	}
	return b.String()
}

// buildBenchArchive writes posts synthetic posts to a new archive at path
// (through a temporary file, so an interrupted build leaves nothing).
func buildBenchArchive(ctx context.Context, path string, posts int) error {
	tmp := path + ".building"
	os.Remove(tmp)
	a, err := Open(ctx, tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	defer a.Close()
	w, err := a.BeginImport(ctx, ImportOptions{})
	if err != nil {
		return err
	}
	defer w.Rollback()
	if err := w.SetSite(ctx, &Site{Key: "bench.example.org", Title: "Bench", Link: "https://bench.example.org", Language: "en", WXRVersion: "1.2"}); err != nil {
		return err
	}
	if err := w.AddAuthor(ctx, &Author{WPID: "1", Login: "writer", DisplayName: "The Writer"}); err != nil {
		return err
	}
	r := rand.New(rand.NewSource(1))
	start := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < posts; i++ {
		title := benchText(r, 3+r.Intn(6))
		text := benchText(r, 300+r.Intn(600))
		p := &Post{
			WPID: fmt.Sprint(i + 1), Title: title, PostType: "post", Status: "publish", Creator: "writer",
			Link: fmt.Sprintf("https://bench.example.org/?p=%d", i+1), RawHash: []byte(fmt.Sprint(i)),
		}
		if i%6 == 0 {
			zh := benchHanText(r, 50+r.Intn(150))
			text += "\n\n" + zh
			p.Derived.Quotes = []Quote{{Ord: 0, Kind: "block", Tag: "blockquote", Lang: "zh-Hans", Raw: zh, Normalized: zh, TranslationOf: -1, RepeatOf: -1}}
		}
		p.Content = text
		p.Derived = PostDerived{
			DateAt: start.Add(time.Duration(i) * 4 * time.Hour).Format("2006-01-02T15:04:05Z"),
			Text:   SearchText(text), SearchTitle: title, Lang: "en", Quotes: p.Derived.Quotes,
		}
		for j := r.Intn(11); j > 0; j-- {
			ct := benchText(r, 10+r.Intn(60))
			p.Comments = append(p.Comments, Comment{
				WPID: fmt.Sprint(len(p.Comments) + 1), Author: "Reader " + fmt.Sprint(r.Intn(500)), Content: ct,
				Derived: CommentDerived{Kind: "comment", Status: "approved", Text: ct, DateAt: p.Derived.DateAt},
			})
		}
		if _, err := w.AddPost(ctx, p); err != nil {
			return err
		}
	}
	if _, err := w.Commit(ctx, ImportRecord{}); err != nil {
		return err
	}
	if err := a.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func benchSearch(b *testing.B, o SearchOptions) {
	a := openBenchArchive(b)
	ctx := context.Background()
	hits, err := a.Search(ctx, o) // warm the page cache, check the query
	if err != nil {
		b.Fatal(err)
	}
	if len(hits) == 0 {
		b.Fatalf("%+v: no hits", o)
	}
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := a.Search(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
	if c := cpuTime() - cpu; c > 0 {
		// The tables are searched in parallel: CPU time can exceed wall
		// time on an idle machine and falls short of it on a busy one.
		b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkSearchWord: a word of middling frequency.
func BenchmarkSearchWord(b *testing.B) { benchSearch(b, SearchOptions{Query: "market"}) }

// BenchmarkSearchCommonWord: a word in nearly every post and comment, the
// worst case for ranking (every match is scored).
func BenchmarkSearchCommonWord(b *testing.B) { benchSearch(b, SearchOptions{Query: "the"}) }

// BenchmarkSearchChinese: a two-character Chinese word (a phrase of two
// single-character tokens).
func BenchmarkSearchChinese(b *testing.B) { benchSearch(b, SearchOptions{Query: "翻译"}) }

// BenchmarkSearchChineseOneChar: one character, in every Chinese passage.
func BenchmarkSearchChineseOneChar(b *testing.B) { benchSearch(b, SearchOptions{Query: "的"}) }

// BenchmarkSearchPrefixComments: a prefix query limited to comments.
func BenchmarkSearchPrefixComments(b *testing.B) {
	benchSearch(b, SearchOptions{Query: "mark*", Types: []string{"comment"}})
}

// BenchmarkSearchLang: Chinese passages and posts only.
func BenchmarkSearchLang(b *testing.B) { benchSearch(b, SearchOptions{Query: "翻译", Lang: "zh"}) }
