package story

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPostingListAgainstASortedSlice runs random insertions, removals and
// evictions on a posting list and on a plain sorted slice, and compares
// every span count and walk: blocks split and empty as the plain slice
// never does, and must not show.
func TestPostingListAgainstASortedSlice(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, seed))
			var l postingList
			var plain []posting
			var cut int64
			mostBlocks := 0
			for step := range 8_000 {
				switch op := rng.IntN(10); {
				case op < 7: // mostly new reports, anywhere in time
					key := fmt.Sprintf("k%05d", step)
					e := &held{Report: Report{Key: key}, at: cut + rng.Int64N(1000), slot: int32(step)}
					l.insert(postingOf(e))
					i, _ := slices.BinarySearchFunc(plain, postingOf(e), comparePosting)
					plain = slices.Insert(plain, i, postingOf(e))
				case op < 9 && len(plain) > 0:
					p := plain[rng.IntN(len(plain))]
					l.remove(p)
					i, _ := slices.BinarySearchFunc(plain, p, comparePosting)
					plain = slices.Delete(plain, i, i+1)
				default:
					cut += rng.Int64N(3)
					l.dropBefore(cut)
					plain = slices.DeleteFunc(plain, func(p posting) bool { return p.at < cut })
				}
				mostBlocks = max(mostBlocks, len(l.blocks))
				if l.n != len(plain) {
					t.Fatalf("step %d: %d postings, want %d", step, l.n, len(plain))
				}
				from := cut + rng.Int64N(1000)
				to := from + rng.Int64N(300)
				lo, hi := l.first(from), l.first(to+1)
				var got []posting
				for bl := range l.span(lo, hi) {
					got = append(got, bl...)
				}
				want := slices.DeleteFunc(slices.Clone(plain), func(p posting) bool { return p.at < from || p.at > to })
				if n := l.distance(lo, hi); n != len(want) || !slices.Equal(got, want) {
					t.Fatalf("step %d: [%d, %d] holds %d postings, walked %d, want %d", step, from, to, n, len(got), len(want))
				}
			}
			for _, bl := range l.blocks {
				if len(bl) == 0 || len(bl) >= blockSplit {
					t.Fatalf("a block of %d postings", len(bl))
				}
			}
			if mostBlocks < 4 {
				t.Fatalf("at most %d blocks: the test hardly split any", mostBlocks)
			}
		})
	}
}

// TestTimeHeapPopsInOrder: reports come out earliest first, ties by key,
// whatever order they went in.
func TestTimeHeapPopsInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var h timeHeap
	var want []*held
	for i := range 1000 {
		e := &held{Report: Report{Key: fmt.Sprintf("k%04d", i)}, at: rng.Int64N(100)}
		h.push(e)
		want = append(want, e)
	}
	slices.SortFunc(want, func(a, b *held) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.Key, b.Key)) })
	for i, w := range want {
		if got := h.pop(); got != w {
			t.Fatalf("pop %d: %s at %d, want %s at %d", i, got.Key, got.at, w.Key, w.at)
		}
	}
	if len(h) != 0 {
		t.Fatalf("%d left", len(h))
	}
}
