package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/clean"
	"github.com/wparchive/wparchive/importer/quotes"
)

// Source is one part of an export: a file, a zip entry, standard input.
// Open is called when the part's turn comes, so a folder of many parts
// holds one open file at a time.
type Source struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// Options control an import.
type Options struct {
	// Redact stores a salted hash instead of every e-mail and IP address.
	Redact bool
	// Salt for Redact's hashes; the archive keeps one so identities group
	// across imports.
	Salt []byte
	// Salvage imports the complete items of a truncated export instead of
	// failing.
	Salvage bool
	// OnItem, if set, is called after each item is stored, with the number
	// stored so far.
	OnItem func(items int)
}

// Summary reports what an import did.
type Summary struct {
	archive.ImportSummary
	Sources  []archive.Source `json:"sources"`
	Repairs  []PartRepairs    `json:"repairs,omitempty"`
	Warnings []string         `json:"warnings,omitempty"`
	Quotes   QuoteStats       `json:"quotes"`
	// Salvaged is set when --salvage imported a truncated export.
	Salvaged string `json:"salvaged,omitempty"`
	// Phases are how long the parts of the import took.
	Phases Phases `json:"-"`
}

// Phases are how long the parts of an import took (wparchive import
// --timings): where the wall time goes, without a profiler.
type Phases struct {
	// Items is reading, deriving and storing every item: the three
	// goroutines working together.
	Items time.Duration
	// Finish is what follows on one core: the deferred indexes, the
	// full-text index's last chunk and merge.
	Finish time.Duration
	// Commit links parents and authors and commits.
	Commit time.Duration
}

// PartRepairs are the repairs of broken input made in one part.
type PartRepairs struct {
	Part   string       `json:"part"`
	Report clean.Report `json:"report"`
}

// cacheKiB is the SQLite page cache of an import: enough for the pages it
// keeps returning to (the last leaf and interior pages of each table and
// index it appends to, the UNIQUE indexes it probes), small enough that a
// big export's import peaks near a small one's. Since the first import
// into an archive builds its secondary indexes at the end, 4, 8 and 16 MiB
// give the same CPU time within noise; peak RSS of the 200 MB export's
// import 102, 112 and 122 MB (BENCHMARKS.md).
var cacheKiB = 4 << 10

// memLimit is the soft limit of the Go runtime's memory during an import,
// and with gcPercent it decides when the garbage collector runs: the heap
// may grow to five times what is live, but not past the limit, so the
// collector runs when the runtime's memory nears 32 MiB, whatever the
// export's size. The import's live heap is 7-9 MB (batches in flight, the
// Writer's maps); with GOGC 75 the collector ran every ~5 MB allocated,
// 125 times over the 200 MB export (GODEBUG=gctrace=1), 0.5 s of its own
// CPU and more in write barriers and assists. GOGC 400 with a 32 MiB
// limit: 42 collections; 200 MB export 5.43-5.65 -> 5.11-5.46 s, CPU
// 9.28-9.81 -> 8.72-9.20 s, peak RSS 49-51 -> 58-61 MB, the 10 MB
// export's 43-45 -> 50-52 MB (4 alternated runs, GOGC and GOMEMLIMIT set
// in the environment, which limitMemory leaves alone; BENCHMARKS.md).
// GOGC 300: 8.6-9.5 s, 56-57 MB. Without a limit, GOGC 200 made the
// 200 MB export's peak 62 MB against the 10 MB one's 49 (ratio 1.26,
// over the 1.25): the limit also makes the runtime return freed
// memory to the system sooner.
//
// A heap that needs more than the limit gets it: the runtime gives the
// collector at most half the CPU and lets the heap grow past a soft
// limit. The one heap that does is lingua-go's language models (about
// 26 MB, kept for the life of the process), loaded when a paragraph in a
// Latin-script language other than English needs them: the limit is then
// memLimitModels (see modelsLoading).
const memLimit = 32 << 20

// memLimitModels is memLimit once lingua-go's models are loaded: 88 MiB,
// measured when they were loaded by every import (200 MB export 19.8 ->
// 17.3 s of CPU against no limit; 64 MiB made the collector mark the
// models again every 130 ms, 10-14% of the CPU; peak RSS of the 200 MB
// export 122 MB against the 10 MB one's 108).
const memLimitModels = 88 << 20

// gcPercent is the garbage collector's target during an import (GOGC,
// default 100): five times the live heap, so that memLimit decides (see
// there).
const gcPercent = 400

// gcPercentTail is the collector's target once an import's items are
// stored (tailMemory). What is left to do (the deferred indexes, copying
// the side full-text index in, the commit) keeps 3 MB live but allocates
// every row it copies anew, and at gcPercent the heap grew back to 16 MB
// of garbage after debug.FreeOSMemory (GODEBUG=gctrace=1), where the
// 200 MB export's import peaked: 56.7-58.7 MB against 52.2-54.5 with
// gcPercentTail (/usr/bin/time, builds of 3ab1861 and its parent).
const gcPercentTail = 100

func init() { quotes.ModelsLoading = modelsLoading }

// importLimit is the memory limit an import starts with.
func importLimit() int64 {
	if quotes.ModelsLoaded() {
		return memLimitModels
	}
	return memLimit
}

// modelsLoading raises the running imports' memory limit to
// memLimitModels when lingua-go is about to load its models, unless the
// process set its own limit.
func modelsLoading() {
	memLimits.Lock()
	defer memLimits.Unlock()
	if memLimits.n > 0 && memLimits.saved == math.MaxInt64 {
		debug.SetMemoryLimit(memLimitModels)
	}
}

// tailMemory lowers the GC percent to gcPercentTail when an import has
// stored its items, if limitMemory raised it; the restore function of
// limitMemory puts back the process's own when the last import ends.
func tailMemory() {
	memLimits.Lock()
	defer memLimits.Unlock()
	if memLimits.n > 0 && memLimits.savedGC != -2 {
		debug.SetGCPercent(gcPercentTail)
	}
}

var memLimits struct {
	sync.Mutex
	n       int   // imports running
	saved   int64 // the limit before the first of them
	savedGC int   // the GC percent before the first of them, or -2
}

// limitMemory sets memLimit and gcPercent for the running imports of the
// process and returns the function that restores the previous settings
// when the last of them ends. A limit the process already has (GOMEMLIMIT,
// or debug.SetMemoryLimit by the caller) is left as it is, and so is a GC
// percent (GOGC, or debug.SetGCPercent to other than 100).
func limitMemory() (restore func()) {
	memLimits.Lock()
	defer memLimits.Unlock()
	if memLimits.n == 0 {
		memLimits.saved = debug.SetMemoryLimit(-1)
		if memLimits.saved == math.MaxInt64 {
			debug.SetMemoryLimit(importLimit())
		}
		memLimits.savedGC = -2
		if _, set := os.LookupEnv("GOGC"); !set {
			if prev := debug.SetGCPercent(gcPercent); prev == 100 {
				memLimits.savedGC = prev
			} else {
				debug.SetGCPercent(prev)
			}
		}
	}
	memLimits.n++
	return func() {
		memLimits.Lock()
		defer memLimits.Unlock()
		if memLimits.n--; memLimits.n == 0 {
			if memLimits.saved == math.MaxInt64 {
				debug.SetMemoryLimit(memLimits.saved)
			}
			if memLimits.savedGC != -2 {
				debug.SetGCPercent(memLimits.savedGC)
			}
		}
	}
}

// batch is what the parsing goroutine hands the writing one.
type batch struct {
	ents []queued
	err  error
}

// queued is a record on its way to the Writer. A known post is one the
// archive probably holds unchanged: only what the import's summary counts
// was derived for it (see normalizer.known), and the Writer confirms it
// with AddUnchanged; site is the site its normalizer had, for deriving the
// rest if it does not.
//
// A post to derive in full (derive) is derived by the normalising
// goroutine between the parsing and the writing ones (see Import), with
// site as its site.
type queued struct {
	Entity
	known  bool
	derive bool
	site   *archive.Site
}

// Import reads every source as one export and stores it in a with one
// transaction: on any error nothing of it is kept and the archive is as it
// was. Parsing, deriving the posts (plain text, quotes, search text: as
// much CPU as the parsing) and writing run in three goroutines connected
// in order, so the two cores both work whichever of them is the slowest
// at the moment. While it runs, the Go runtime has a soft
// memory limit (see memLimit) unless the process set one (GOMEMLIMIT).
func Import(ctx context.Context, a *archive.Archive, srcs []Source, opt Options) (*Summary, error) {
	if len(srcs) == 0 {
		return nil, errors.New("importer: nothing to import")
	}
	defer limitMemory()()
	sum := &Summary{Quotes: QuoteStats{ByLang: map[string]int{}}}
	w, err := a.BeginImport(ctx, archive.ImportOptions{})
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			w.Rollback()
		}
	}()
	if err := w.SetCacheSize(ctx, cacheKiB); err != nil {
		return nil, err
	}
	if err := w.DeferSearchIndex(ctx); err != nil {
		return nil, err
	}
	if opt.Redact {
		if err := w.SecureDelete(ctx); err != nil {
			return nil, err
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Two batches queued at each hand-off: enough to smooth out a long
	// post, and what is in flight (batches of 64 items with their text)
	// counts in the import's peak memory.
	parsed := make(chan batch, 2)
	ch := make(chan batch, 2)
	// The hash over all sources, in order; of a single source it is that
	// source's own, which readSource computes anyway (SHA-256 of the
	// 200 MB export: 0.18 s of CPU).
	var total hash.Hash
	if len(srcs) > 1 {
		total = sha256.New()
	}
	var bytes int64
	start := time.Now()
	go func() {
		defer close(parsed)
		n := &normalizer{redact: opt.Redact, salt: opt.Salt, stats: &sum.Quotes}
		kn := &knownItems{a: a, sites: map[string]*archive.KnownItems{}}
		for _, s := range srcs {
			src, rep, salvaged, err := readSource(ctx, s, n, kn, total, opt, parsed)
			sum.Sources = append(sum.Sources, src)
			if rep.Total() > 0 {
				sum.Repairs = append(sum.Repairs, PartRepairs{Part: s.Name, Report: rep})
			}
			bytes += src.Bytes
			if err != nil {
				send(ctx, parsed, batch{err: err})
				return
			}
			if salvaged != "" {
				sum.Salvaged = salvaged
			}
		}
	}()
	// The normalising goroutine: its own normalizer, whose counts are
	// merged into the summary's once ch is closed.
	derived := &QuoteStats{ByLang: map[string]int{}}
	go func() {
		defer close(ch)
		n := &normalizer{redact: opt.Redact, salt: opt.Salt, stats: derived}
		for b := range parsed {
			for i := range b.ents {
				if q := &b.ents[i]; q.derive {
					n.forSite(q.site)
					n.post(q.Post)
				}
			}
			if !send(ctx, ch, b) {
				return
			}
		}
	}()

	items := 0
	// Derives the known posts the Writer does not confirm (none, unless
	// the archive changed under the import), with its own counts merged
	// into the summary's at the end.
	late := &normalizer{redact: opt.Redact, salt: opt.Salt, stats: &QuoteStats{ByLang: map[string]int{}}}
	for b := range ch {
		if b.err != nil {
			return nil, b.err
		}
		for _, e := range b.ents {
			var err error
			switch {
			case e.Site != nil:
				err = w.SetSite(ctx, e.Site)
			case e.Author != nil:
				err = w.AddAuthor(ctx, e.Author)
			case e.Term != nil:
				err = w.AddTerm(ctx, e.Term)
			case e.Post != nil:
				same := false
				if e.known {
					same, err = w.AddUnchanged(ctx, e.Post)
					if same {
						countQuotes(e.Post.Derived.Quotes, late.stats)
					}
					if err == nil && !same {
						for i := range e.Post.Comments {
							e.Post.Comments[i].Derived = archive.CommentDerived{}
						}
						late.forSite(e.site)
						late.post(e.Post)
					}
				}
				if err == nil && !same {
					_, err = w.AddPost(ctx, e.Post)
				}
				items++
				if opt.OnItem != nil {
					opt.OnItem(items)
				}
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sum.Quotes.add(derived)
	sum.Quotes.add(late.stats)
	if sum.Salvaged != "" {
		sum.Warnings = append(sum.Warnings, sum.Salvaged)
	}
	all := sum.Sources[0].SHA256
	if total != nil {
		all = hex.EncodeToString(total.Sum(nil))
	}
	rec := archive.ImportRecord{
		Sources:  sum.Sources,
		SHA256:   all,
		Bytes:    bytes,
		Repairs:  sum.Repairs,
		Warnings: sum.Warnings,
		Options:  map[string]any{"redact": opt.Redact, "salvage": opt.Salvage},
	}
	// The parsing and deriving goroutines have ended and their memory is
	// garbage: it goes back to the system before the import's last
	// SQLite work (the deferred indexes, the full-text merge), which
	// allocates in C. The 200 MB export's peak RSS: 111.5-114.6 MB ->
	// 110.1-112.2 MB in three alternated runs, for a collection (~20 ms).
	itemsDone := time.Now()
	sum.Phases.Items = itemsDone.Sub(start)
	tailMemory()
	debug.FreeOSMemory()
	if err := w.FlushSearchIndex(ctx); err != nil {
		return nil, err
	}
	finished := time.Now()
	sum.Phases.Finish = finished.Sub(itemsDone)
	is, err := w.Commit(ctx, rec)
	if err != nil {
		return nil, err
	}
	sum.Phases.Commit = time.Since(finished)
	ok = true
	sum.ImportSummary = is
	return sum, nil
}

func send(ctx context.Context, ch chan<- batch, b batch) bool {
	select {
	case ch <- b:
		return true
	case <-ctx.Done():
		return false
	}
}

// readSource parses one part and sends its records in batches.
func readSource(ctx context.Context, s Source, n *normalizer, kn *knownItems, total hash.Hash, opt Options, ch chan<- batch) (src archive.Source, rep clean.Report, salvaged string, err error) {
	src = archive.Source{Name: s.Name}
	rc, err := s.Open()
	if err != nil {
		return src, rep, "", fmt.Errorf("open %s: %w", s.Name, err)
	}
	defer rc.Close()
	h := sha256.New()
	var w io.Writer = h
	if total != nil {
		w = io.MultiWriter(h, total)
	}
	counted := &countingReader{r: io.TeeReader(rc, w)}
	cr := clean.NewReader(counted)
	r := NewReader(cr, s.Name)
	var cur batch
	flush := func() bool {
		if len(cur.ents) == 0 {
			return true
		}
		ok := send(ctx, ch, cur)
		cur = batch{}
		return ok
	}
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var te *TruncatedError
			if errors.As(err, &te) {
				te.Offset = counted.n // where the file ends, counted before any repair
			}
			if opt.Salvage && te != nil {
				salvaged = fmt.Sprintf("%s: salvaged %d complete items; the file ends at byte %d in the middle of the export, so %s is not in the archive", s.Name, te.Complete, te.Offset, te.LeftOut())
				break
			}
			return src, cr.Report(), "", err
		}
		q := queued{Entity: e}
		switch {
		case e.Site != nil:
			n.setSite(e.Site, s.Name)
			if err := kn.setSite(ctx, e.Site.Key); err != nil {
				return src, cr.Report(), "", err
			}
		case e.Author != nil:
			n.author(e.Author)
		case e.Term != nil:
			n.term(e.Term)
		case e.Post != nil:
			n.markRedacted(e.Post)
			if kn.cur != nil && kn.cur.Next(e.Post) {
				n.known(e.Post)
				q.known, q.site = true, n.site
			} else {
				q.derive, q.site = true, n.site
			}
		}
		cur.ents = append(cur.ents, q)
		if len(cur.ents) >= 64 {
			if !flush() {
				return src, cr.Report(), "", ctx.Err()
			}
		}
	}
	if !flush() {
		return src, cr.Report(), "", ctx.Err()
	}
	src.Bytes = counted.n
	src.SHA256 = hex.EncodeToString(h.Sum(nil))
	return src, cr.Report(), salvaged, nil
}

// knownItems holds the archive's items of each site the import has met,
// to skip deriving what a re-import leaves unchanged.
type knownItems struct {
	a     *archive.Archive
	sites map[string]*archive.KnownItems
	cur   *archive.KnownItems // of the current site
}

func (k *knownItems) setSite(ctx context.Context, key string) error {
	if s, ok := k.sites[key]; ok {
		k.cur = s
		return nil
	}
	s, err := k.a.KnownItems(ctx, key)
	if err != nil {
		return err
	}
	k.sites[key], k.cur = s, s
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// known derives of a post the archive probably holds unchanged only what
// the import's summary counts: each comment's kind, status and commenter
// identity (after --redact's hashing, which the identity uses). The rest —
// dates, slugs, plain text, quotes, meta as JSON — is what a re-import
// skips.
func (n *normalizer) known(p *archive.Post) {
	for i := range p.Comments {
		c := &p.Comments[i]
		d := &c.Derived
		d.Kind = commentKind(c.TypeRaw)
		d.Status = commentStatus(c.ApprovedRaw)
		if d.Kind == "trackback" || d.Kind == "pingback" {
			continue
		}
		if n.redact {
			// The identity is keyed by the hashed e-mail; the comment
			// itself keeps its raw values, in case it must be derived
			// in full after all.
			cc := *c
			cc.AuthorEmail = n.hash("email", normEmail(c.AuthorEmail))
			n.identify(&cc)
			c.Derived = cc.Derived
			continue
		}
		n.identify(c)
	}
}

// forSite makes s the site of the posts n derives next, as setSite did in
// the parsing goroutine (s.Key is already set).
func (n *normalizer) forSite(s *archive.Site) {
	if s == nil || s == n.site {
		return
	}
	n.site = s
	n.wpcom = urlKey(s.BaseSiteURL) == "wordpress.com" || strings.HasPrefix(s.Generator, "WordPress.com")
}

// countQuotes counts passages as analyzePost does.
func countQuotes(qs []archive.Quote, st *QuoteStats) {
	for _, q := range qs {
		st.ByLang[q.Lang]++
		if q.TranslationOf >= 0 {
			st.Pairs++
		}
		if q.RepeatOf >= 0 {
			st.Repeats++
		}
	}
}

// add adds o's counts to q's.
func (q *QuoteStats) add(o *QuoteStats) {
	for l, n := range o.ByLang {
		q.ByLang[l] += n
	}
	q.Pairs += o.Pairs
	q.Repeats += o.Repeats
}
