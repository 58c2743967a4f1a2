package story

import "sort"

// The slot rule: two headlines written on one template and filled with two
// things. Aligned on the words they share, in order, each has a word the
// other lacks at the same place — between the same two shared words, or
// between a shared word and the headline's start or end: "يتأهل إلى [نصف]
// نهائي" against "يتأهل إلى [ربع] نهائي", "البطولة [النسوية]" against
// "البطولة [الاحترافية]". A rewrite moves, drops and adds clauses; it
// seldom swaps one word for another inside the same frame.

// slotGap is the longest a slot may be, in words, on either side: longer
// gaps are clauses one report adds, not one thing put for another.
const slotGap = 1

// slotFill is the least weight of a slot's filler on the rarer side: a
// template word swapped for another ("يخص" for "يتعلق") is no other thing.
const slotFill = 5.0

// slotConflict returns the fillers of the first slot both headlines fill
// differently ("" when none). pairs are the positions of the words they
// share, a's index then b's; numbers are left to numberConflict.
func slotConflict(a, b *Headline, pairs [][2]int, w Weights) (x, y string) {
	chain := increasing(pairs)
	matchedA := make([]bool, len(a.terms))
	matchedB := make([]bool, len(b.terms))
	for _, p := range pairs {
		matchedA[p[0]], matchedB[p[1]] = true, true
	}
	prev := [2]int{-1, -1}
	for k := 0; k <= len(chain); k++ {
		next := [2]int{len(a.terms), len(b.terms)}
		if k < len(chain) {
			next = chain[k]
		}
		ga, gb := next[0]-prev[0]-1, next[1]-prev[1]-1
		if ga > 0 && gb > 0 && ga <= slotGap && gb <= slotGap && (prev[0] >= 0 || next[0] < len(a.terms)) {
			fa := filler(a.terms[prev[0]+1:next[0]], matchedA[prev[0]+1:next[0]], w)
			fb := filler(b.terms[prev[1]+1:next[1]], matchedB[prev[1]+1:next[1]], w)
			if fa != "" && fb != "" && min(w.Weight(fa), w.Weight(fb)) >= slotFill {
				return fa, fb
			}
		}
		prev = next
	}
	return "", ""
}

// filler is the heaviest word of a gap that the other headline lacks and
// is no number ("" when none).
func filler(terms []string, matched []bool, w Weights) string {
	best, bw := "", 0.0
	for i, t := range terms {
		if matched[i] || isNumber(t) {
			continue
		}
		if tw := w.Weight(t); tw > bw {
			best, bw = t, tw
		}
	}
	return best
}

// increasing returns the longest chain of pairs increasing in both
// positions: the words two headlines share in the same order.
func increasing(pairs [][2]int) [][2]int {
	ps := append([][2]int(nil), pairs...)
	sort.Slice(ps, func(i, j int) bool { return ps[i][0] < ps[j][0] })
	best := make([]int, len(ps)) // longest chain ending at i
	from := make([]int, len(ps))
	end := -1
	for i := range ps {
		best[i], from[i] = 1, -1
		for j := 0; j < i; j++ {
			if ps[j][1] < ps[i][1] && best[j]+1 > best[i] {
				best[i], from[i] = best[j]+1, j
			}
		}
		if end < 0 || best[i] > best[end] {
			end = i
		}
	}
	var chain [][2]int
	for i := end; i >= 0; i = from[i] {
		chain = append(chain, ps[i])
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain
}
