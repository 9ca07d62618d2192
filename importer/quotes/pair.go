package quotes

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// pair finds each foreign block's translation among its neighbours.
//
// Each foreign block rates the main-language block before and after it
// (pairScore). A clear winner is taken; when both sides are close, the
// post decides: its clear cases put translations on one side (habit), and
// the close cases together prefer one side when their lengths line up
// better that way, as a translation's length follows its original's
// (Gale and Church's observation). What stays close stays unpaired. A
// block translates at most one original; the better score keeps it.
func (a *analysis) pair() {
	a.pairs = make([]int, len(a.blocks))
	for i := range a.pairs {
		a.pairs[i] = -1
	}
	var decided []cand
	var open [][2]cand // two acceptable candidates, too close to call
	var prior [2]int   // clear decisions with the translation before / after
	lean := 0.0        // how much the decided cases prefer after over before
	for i := range a.blocks {
		f := &a.blocks[i]
		if f.code || f.lang == a.main || f.lang == "" {
			continue
		}
		var cs []cand
		for _, d := range [2]int{-1, 1} {
			if j := a.neighbour(i, d); j >= 0 {
				if s, ok := a.pairScore(i, j, d); ok {
					cs = append(cs, cand{i, j, s, d})
				}
			}
		}
		sort.Slice(cs, func(x, y int) bool { return cs[x].score > cs[y].score })
		if len(cs) == 0 || cs[0].score < pairMin {
			continue
		}
		if len(cs) == 1 {
			decided = append(decided, cs[0])
			continue
		}
		if margin := cs[0].score - cs[1].score; margin >= pairMargin {
			decided = append(decided, cs[0])
			lean += float64(cs[0].dir) * margin
			if margin >= 2*pairMargin {
				prior[(cs[0].dir+1)/2]++
			}
			continue
		}
		open = append(open, [2]cand{cs[0], cs[1]})
	}
	taken := make(map[int]bool)
	assign := func(cs []cand) {
		sort.SliceStable(cs, func(x, y int) bool { return cs[x].score > cs[y].score })
		for _, c := range cs {
			if !taken[c.c] && a.pairs[c.f] < 0 {
				taken[c.c] = true
				a.pairs[c.f] = c.c
			}
		}
	}
	assign(decided)
	// A close case whose other side is already someone's translation is
	// no longer close.
	var still [][2]cand
	var late []cand
	for _, o := range open {
		switch {
		case taken[o[0].c] && !taken[o[1].c]:
			late = append(late, o[1])
		case taken[o[1].c] && !taken[o[0].c]:
			late = append(late, o[0])
		case !taken[o[0].c] && !taken[o[1].c]:
			still = append(still, o)
		}
	}
	assign(late)
	// The post's side: its clear cases, and how the close ones line up.
	vote := lean + habitBonus*float64(prior[1]-prior[0])
	for _, o := range still {
		if o[0].dir > 0 {
			vote += o[0].score - o[1].score
		} else {
			vote += o[1].score - o[0].score
		}
	}
	side := 0
	switch {
	case vote >= pairMargin && prior[0] == 0:
		side = 1
	case vote <= -pairMargin && prior[1] == 0:
		side = -1
	}
	if side == 0 {
		return
	}
	late = late[:0]
	for _, o := range still {
		pick := o[0]
		if pick.dir != side {
			pick = o[1]
		}
		if pick.score >= pairMin {
			late = append(late, pick)
		}
	}
	assign(late)
}

// cand is a possible translation c of foreign block f.
type cand struct {
	f, c  int
	score float64
	dir   int // -1: translation before the original, +1 after
}

// Pairing scores: a candidate needs pairMin, and must beat the other side
// by pairMargin.
const (
	pairMin    = -0.6
	pairMargin = 0.4
	habitBonus = 0.3
)

// neighbour returns the index of the block next to i in direction d that
// is not code, or -1.
func (a *analysis) neighbour(i, d int) int {
	for j := i + d; j >= 0 && j < len(a.blocks); j += d {
		if !a.blocks[j].code {
			return j
		}
	}
	return -1
}

// pairScore rates block j, the neighbour of foreign block i in direction
// d, as i's translation. ok is false when j cannot be one: not in the main
// language, or far too short or long.
func (a *analysis) pairScore(i, j, d int) (score float64, ok bool) {
	f, c := &a.blocks[i], &a.blocks[j]
	if c.lang != a.main || c.units < minBlockUnits {
		return 0, false
	}
	ratio := c.units / f.units
	lr := math.Abs(math.Log(ratio))
	if lr > math.Log(3) {
		return 0, false
	}
	score = -lr
	// Structure: quote beside quote, cell beside cell, item beside item.
	switch {
	case f.quoted && c.quoted:
		score += 1
	case f.quoted != c.quoted:
		score -= 0.2
	}
	if f.holder >= 0 && c.holder >= 0 && a.elems[f.holder].parent == a.elems[c.holder].parent && a.elems[f.holder].parent >= 0 {
		// Siblings: cells of one row, items of one list, term and
		// description, paragraphs of one blockquote.
		switch {
		case f.tag == c.tag && (f.tag == "td" || f.tag == "th" || f.tag == "li"):
			score += 1
		case f.tag == "dt" && c.tag == "dd" && d > 0, f.tag == "dd" && c.tag == "dt" && d < 0:
			score += 1
		case a.elems[a.elems[f.holder].parent].tag == "blockquote":
			score += 0.5
		}
	}
	if strings.HasPrefix(f.tag, "h") != strings.HasPrefix(c.tag, "h") {
		score -= 0.5
	}
	// A lead-in ("… is quoted as saying:", "… Union,") introduces a
	// quotation; it does not translate one.
	if end := lastRune(c.text); end == ':' || end == ',' || end == '：' || end == '，' {
		score -= 0.5
	}
	score += numberScore(f.text, c.text)
	return score, true
}

func lastRune(s string) rune {
	s = strings.TrimRight(s, " \n\u00a0")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// numberScore rewards numbers that the original and the candidate
// translation share and penalises those the candidate lacks.
func numberScore(f, c string) float64 {
	fn := numbers(f)
	if len(fn) == 0 {
		return 0
	}
	cn := numbers(c)
	s := 0.0
	for n := range fn {
		if cn[n] {
			s += 0.3
		} else {
			s -= 0.15
		}
	}
	return math.Max(-0.6, math.Min(0.9, s))
}

func numbers(s string) map[string]bool {
	var m map[string]bool
	start := -1
	for i := 0; i <= len(s); i++ {
		digit := i < len(s) && s[i] >= '0' && s[i] <= '9'
		switch {
		case digit && start < 0:
			start = i
		case !digit && start >= 0:
			if m == nil {
				m = make(map[string]bool)
			}
			m[s[start:i]] = true
			start = -1
		}
	}
	return m
}
