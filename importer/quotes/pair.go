package quotes

// pair finds each foreign block's translation among its neighbours. (Not
// yet: every block is unpaired.)
func (a *analysis) pair() {
	a.pairs = make([]int, len(a.blocks))
	for i := range a.pairs {
		a.pairs[i] = -1
	}
}
