package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/importer/clean"
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
}

// PartRepairs are the repairs of broken input made in one part.
type PartRepairs struct {
	Part   string       `json:"part"`
	Report clean.Report `json:"report"`
}

// batch is what the parsing goroutine hands the writing one.
type batch struct {
	ents []Entity
	err  error
}

// Import reads every source as one export and stores it in a with one
// transaction: on any error nothing of it is kept and the archive is as it
// was. Parsing and normalising run in their own goroutine while the archive
// writes, so both cores work.
func Import(ctx context.Context, a *archive.Archive, srcs []Source, opt Options) (*Summary, error) {
	if len(srcs) == 0 {
		return nil, errors.New("importer: nothing to import")
	}
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

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan batch, 8)
	total := sha256.New()
	var bytes int64
	go func() {
		defer close(ch)
		n := &normalizer{redact: opt.Redact, salt: opt.Salt, stats: &sum.Quotes}
		for _, s := range srcs {
			src, rep, salvaged, err := readSource(ctx, s, n, total, opt, ch)
			sum.Sources = append(sum.Sources, src)
			if rep.Total() > 0 {
				sum.Repairs = append(sum.Repairs, PartRepairs{Part: s.Name, Report: rep})
			}
			bytes += src.Bytes
			if err != nil {
				send(ctx, ch, batch{err: err})
				return
			}
			if salvaged != "" {
				sum.Salvaged = salvaged
			}
		}
	}()

	items := 0
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
				_, err = w.AddPost(ctx, e.Post)
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
	if sum.Salvaged != "" {
		sum.Warnings = append(sum.Warnings, sum.Salvaged)
	}
	rec := archive.ImportRecord{
		Sources:  sum.Sources,
		SHA256:   hex.EncodeToString(total.Sum(nil)),
		Bytes:    bytes,
		Repairs:  sum.Repairs,
		Warnings: sum.Warnings,
		Options:  map[string]any{"redact": opt.Redact, "salvage": opt.Salvage},
	}
	is, err := w.Commit(ctx, rec)
	if err != nil {
		return nil, err
	}
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
func readSource(ctx context.Context, s Source, n *normalizer, total hash.Hash, opt Options, ch chan<- batch) (src archive.Source, rep clean.Report, salvaged string, err error) {
	src = archive.Source{Name: s.Name}
	rc, err := s.Open()
	if err != nil {
		return src, rep, "", fmt.Errorf("open %s: %w", s.Name, err)
	}
	defer rc.Close()
	h := sha256.New()
	counted := &countingReader{r: io.TeeReader(rc, io.MultiWriter(h, total))}
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
		switch {
		case e.Site != nil:
			n.setSite(e.Site, s.Name)
		case e.Term != nil:
			n.term(e.Term)
		case e.Post != nil:
			n.post(e.Post)
		}
		cur.ents = append(cur.ents, e)
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

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
