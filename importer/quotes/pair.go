package quotes

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// pair finds each foreign block's translation among its neighbours.
func (a *analysis) pair() {
	a.pairs = make([]int, len(a.blocks))
	for i := range a.pairs {
		a.pairs[i] = -1
	}
	type cand struct {
		f, c  int
		score float64
		dir   int // -1: translation before the original, +1 after
	}
	var decided []cand
	var open [][2]cand // two acceptable candidates, too close to call
	var prior [2]int   // clear decisions with the translation before / after
	for i := range a.blocks {
		f := &a.blocks[i]
		if f.code || f.lang == a.main || f.lang == "" {
			continue
		}
		var cs []cand
		for _, d := range [2]int{-1, 1} {
			if j := a.neighbour(i, d); j >= 0 {
				if s, ok := a.pairScore(i, j); ok {
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
		switch margin := cs[0].score - cs[1].score; {
		case margin >= pairMargin:
			decided = append(decided, cs[0])
			if margin >= 2*pairMargin {
				prior[(cs[0].dir+1)/2]++
			}
		default:
			open = append(open, [2]cand{cs[0], cs[1]})
		}
	}
	// A post that clearly puts its translations on one side decides the
	// close cases its way.
	habit := 0
	switch {
	case prior[0] >= 2 && prior[1] == 0:
		habit = -1
	case prior[1] >= 2 && prior[0] == 0:
		habit = 1
	}
	for _, o := range open {
		if habit == 0 {
			break
		}
		pick, other := o[0], o[1]
		if pick.dir != habit {
			pick, other = other, pick
		}
		if pick.score >= pairMin && pick.score+habitBonus-other.score >= pairMargin {
			decided = append(decided, pick)
		}
	}
	// One translation per original and one original per translation: the
	// higher score wins a contested block.
	sort.SliceStable(decided, func(x, y int) bool { return decided[x].score > decided[y].score })
	taken := make(map[int]bool)
	for _, c := range decided {
		if taken[c.c] {
			continue
		}
		taken[c.c] = true
		a.pairs[c.f] = c.c
	}
}

// Pairing scores: a candidate needs pairMin, and must beat the other side
// by pairMargin.
const (
	pairMin    = -0.45
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

// pairScore rates block j, a neighbour of foreign block i, as i's
// translation. ok is false when j cannot be one: not in the main language,
// or far too short or long.
func (a *analysis) pairScore(i, j int) (score float64, ok bool) {
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
		score -= 0.3
	}
	if f.tag == c.tag && (f.tag == "td" || f.tag == "th" || f.tag == "li" || f.tag == "dd") {
		if f.holder >= 0 && c.holder >= 0 && a.elems[f.holder].parent == a.elems[c.holder].parent {
			score += 1
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
