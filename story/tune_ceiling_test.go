package story

import (
	"cmp"
	"maps"
	"os"
	"slices"
	"sort"
	"testing"
)

// TestTuneCeiling (NASHRA_TUNE=ceiling) asks how far a lexical matcher can
// go on the tuning pool, pair by pair: every two headlines of one language
// from two outlets within the window, weighed by the set's own headlines.
// It prints, per language, the shipped decision's precision and recall on
// the pool it was tuned on, and, for the pairs it keeps apart without a
// conflict (two things of one kind, two numbers), how many report one story
// and how many two, by what the two share: named things and numbers, rare
// words (in at most three headlines of the set), and by their similarity
// before the penalty (five bins). It then accepts the
// cells where one story is likeliest first and says what each step would
// cost: the best any rule on these features could add.
func TestTuneCeiling(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "ceiling" {
		t.Skip("NASHRA_TUNE=ceiling")
	}
	m := NewMatcher(0, 0, nil)
	type cell struct{ same, other int }
	type tally struct {
		pairs, same, said, right int
		fewShared                int // same-story pairs sharing at most one word, after stems, synonyms and names
		cells                    map[[3]int]*cell
		scored                   []scoredPair // every pair, conflicts too, for the single scores
	}
	by := map[string]*tally{}
	for _, s := range writerSets(t)[1:] { // the first set is a regression set, not a writer's
		rows := s.rows
		hs := make([]*Headline, len(rows))
		df := map[string]map[string]int{}
		for i, r := range rows {
			hs[i] = Prepare(r.title, nil)
			if df[r.lang] == nil {
				df[r.lang] = map[string]int{}
			}
			seen := map[string]bool{}
			for _, x := range hs[i].terms {
				if !seen[x] {
					df[r.lang][x]++
					seen[x] = true
				}
			}
		}
		for i, a := range rows {
			for j := i + 1; j < len(rows); j++ {
				b := rows[j]
				apart := abs(a.minutes - b.minutes)
				if a.lang != b.lang || a.outlet == b.outlet || apart > int(DefaultWindow.Minutes()) {
					continue
				}
				tl := by[a.lang]
				if tl == nil {
					tl = &tally{cells: map[[3]int]*cell{}}
					by[a.lang] = tl
				}
				freq := df[a.lang]
				ww := WindowWeights{Lang: a.lang, common: m.common, DocFreq: func(x string) int { return freq[x] }}
				d := DecideApart(hs[i], hs[j], ww, m.params, float64(apart)/DefaultWindow.Minutes())
				same := a.group == b.group && a.story == b.story
				tl.pairs++
				if same {
					tl.same++
					if len(d.Shared) <= 1 {
						tl.fewShared++
					}
				}
				tl.scored = append(tl.scored, scoredPair{same, [...]float64{d.Similarity, d.Trigram, d.Overlap, d.Evidence, d.Score}})
				if d.Same {
					tl.said++
					if same {
						tl.right++
					}
					continue
				}
				if d.Conflict != "" || d.NumbersA != nil {
					continue
				}
				key := [3]int{min(sharedThings(hs[i], hs[j]), 3), 0, min(int(d.Similarity*5), 4)}
				for _, x := range d.Shared {
					if freq[x.Word] <= 3 {
						key[1]++
					}
				}
				key[1] = min(key[1], 2)
				c := tl.cells[key]
				if c == nil {
					c = &cell{}
					tl.cells[key] = c
				}
				if same {
					c.same++
				} else {
					c.other++
				}
			}
		}
	}
	for _, l := range slices.Sorted(maps.Keys(by)) {
		tl := by[l]
		t.Logf("%s: %d pairs, %d of one story; the shipped decision says one story for %d: precision %.3f, recall %.3f; %d same-story pairs (%.1f %%) share at most one word",
			l, tl.pairs, tl.same, tl.said, float64(tl.right)/float64(tl.said), float64(tl.right)/float64(tl.same), tl.fewShared, 100*float64(tl.fewShared)/float64(tl.same))
		for k, name := range scoreNames {
			r99, p90 := rankedBy(tl.scored, k, tl.same)
			t.Logf("  every pair ranked by %s alone: recall %.3f at precision >= 0.99; precision %.3f at recall 0.90", name, r99, p90)
		}
		keys := make([][3]int, 0, len(tl.cells))
		for k := range tl.cells {
			keys = append(keys, k)
		}
		ratio := func(k [3]int) float64 {
			c := tl.cells[k]
			return float64(c.same) / float64(c.same+c.other)
		}
		sort.Slice(keys, func(i, j int) bool { return ratio(keys[i]) > ratio(keys[j]) })
		said, right := tl.said, tl.right
		for _, k := range keys {
			c := tl.cells[k]
			said, right = said+c.same+c.other, right+c.same
			t.Logf("  kept apart, sharing %d things or numbers and %d rare words, similarity %.1f-%.1f: %5d of one story, %6d of two; accepting it and the cells above: precision %.3f, recall %.3f",
				k[0], k[1], float64(k[2])/5, float64(k[2]+1)/5, c.same, c.other, float64(right)/float64(said), float64(right)/float64(tl.same))
		}
	}
}

// scoredPair is a pair's label and the decision's figures, in scoreNames' order.
type scoredPair struct {
	same   bool
	scores [5]float64
}

var scoreNames = [...]string{"similarity", "trigram Jaccard", "weighted overlap", "evidence", "score"}

// rankedBy ranks pairs by their k-th score, highest first, and returns the
// best recall any threshold on it reaches at precision 0.99 and the best
// precision at recall 0.90 (ties taken together).
func rankedBy(pairs []scoredPair, k, same int) (recall99, precision90 float64) {
	ps := slices.Clone(pairs)
	slices.SortFunc(ps, func(a, b scoredPair) int { return cmp.Compare(b.scores[k], a.scores[k]) })
	tp, n := 0, 0
	for i, p := range ps {
		n++
		if p.same {
			tp++
		}
		if i+1 < len(ps) && ps[i+1].scores[k] == p.scores[k] {
			continue
		}
		prec, rec := float64(tp)/float64(n), float64(tp)/float64(same)
		if prec >= 0.99 {
			recall99 = max(recall99, rec)
		}
		if rec >= 0.90 {
			precision90 = max(precision90, prec)
		}
	}
	return recall99, precision90
}

// sharedThings counts the named things (weekdays and months aside) and the
// numbers two headlines both name.
func sharedThings(a, b *Headline) int {
	n := 0
	for kind, ids := range a.entities {
		if kind == "weekday" || kind == "month" {
			continue
		}
		for _, id := range ids {
			for _, o := range b.entities[kind] {
				if id == o {
					n++
				}
			}
		}
	}
	for x := range a.numbers {
		if _, ok := b.numbers[x]; ok {
			n++
		}
	}
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
