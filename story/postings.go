package story

import (
	"cmp"
	"slices"
)

// blockSplit is the length at which a block of postings splits in two: an
// insertion in the middle of a term's list then moves at most this many
// postings, not the whole list (a word in a tenth of the headlines has
// thousands in a first ingest, where reports arrive out of time order).
const blockSplit = 256

// posting is one report indexed under a term.
type posting struct {
	at   int64 // the report's time, Unix nanoseconds
	slot int32 // the report's slot (Window.bySlot): no pointer, so that the GC does not scan a window's postings
}

func postingOf(e *held) posting { return posting{at: e.at, slot: e.slot} }

// comparePosting orders postings by time, ties by slot: a slot is unique
// among the reports a window holds, and a list holds only theirs, so the
// order is total without reading a report (a search of a long list
// comparing keys spent most of its time fetching them: 1.8 of 2.5 s of
// Add in a first ingest of 50,000 items). Which of two reports of one
// time comes first matters to no one: Match ranks candidates itself.
func comparePosting(a, b posting) int {
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.slot, b.slot)
}

// postingList is a term's postings in (time, slot) order, kept in blocks of
// fewer than blockSplit, none empty, that follow one another.
type postingList struct {
	blocks [][]posting
	n      int
}

// pos is a place in a list: block b, offset i inside it.
type pos struct{ b, i int }

// first is the place of the first posting at or after at (the end when none).
func (l *postingList) first(at int64) pos {
	b, _ := slices.BinarySearchFunc(l.blocks, at, func(bl []posting, t int64) int {
		return cmp.Compare(bl[len(bl)-1].at, t) // the first block that ends at or after at
	})
	if b == len(l.blocks) {
		return pos{b, 0}
	}
	i, _ := slices.BinarySearchFunc(l.blocks[b], at, func(p posting, t int64) int { return cmp.Compare(p.at, t) })
	return pos{b, i}
}

// distance is how many postings lie from lo up to hi.
func (l *postingList) distance(lo, hi pos) int {
	if lo.b == hi.b {
		return hi.i - lo.i
	}
	n := len(l.blocks[lo.b]) - lo.i + hi.i
	for _, bl := range l.blocks[lo.b+1 : hi.b] {
		n += len(bl)
	}
	return n
}

// span is the postings from lo up to hi, block by block, in order: a
// caller's loop over them calls nothing per posting (a Match counts
// thousands of them a report).
func (l *postingList) span(lo, hi pos) func(yield func([]posting) bool) {
	return func(yield func([]posting) bool) {
		for b := lo.b; b <= hi.b && b < len(l.blocks); b++ {
			bl := l.blocks[b]
			if b == hi.b {
				bl = bl[:hi.i]
			}
			if b == lo.b {
				bl = bl[lo.i:]
			}
			if !yield(bl) {
				return
			}
		}
	}
}

// find is where p is in the list, or where it would go, and whether it is there.
func (l *postingList) find(p posting) (pos, bool) {
	b, _ := slices.BinarySearchFunc(l.blocks, p, func(bl []posting, p posting) int {
		return comparePosting(bl[len(bl)-1], p)
	})
	if b == len(l.blocks) {
		return pos{b, 0}, false
	}
	i, found := slices.BinarySearchFunc(l.blocks[b], p, comparePosting)
	return pos{b, i}, found
}

// insert adds p (not in the list). Reports mostly come in time order:
// appending is the common case.
func (l *postingList) insert(p posting) {
	l.n++
	if len(l.blocks) == 0 {
		l.blocks = [][]posting{{p}}
		return
	}
	at, _ := l.find(p)
	if at.b == len(l.blocks) { // after every posting: into the last block
		at = pos{at.b - 1, len(l.blocks[at.b-1])}
	}
	bl := slices.Insert(l.blocks[at.b], at.i, p)
	if len(bl) < blockSplit {
		l.blocks[at.b] = bl
		return
	}
	half := len(bl) / 2
	l.blocks[at.b] = bl[:half:half] // the next insertion into it copies: the halves never share
	l.blocks = slices.Insert(l.blocks, at.b+1, slices.Clone(bl[half:]))
}

// remove takes p out of the list, when it is there.
func (l *postingList) remove(p posting) {
	at, found := l.find(p)
	if !found {
		return
	}
	l.n--
	if bl := slices.Delete(l.blocks[at.b], at.i, at.i+1); len(bl) > 0 {
		l.blocks[at.b] = bl
	} else {
		l.blocks = slices.Delete(l.blocks, at.b, at.b+1)
	}
}

// dropBefore takes out every posting before cut (Unix nanoseconds): a prefix.
func (l *postingList) dropBefore(cut int64) {
	at := l.first(cut)
	if at.b == 0 && at.i == 0 {
		return
	}
	l.n -= l.distance(pos{0, 0}, at)
	if at.b < len(l.blocks) {
		l.blocks[at.b] = l.blocks[at.b][at.i:]
	}
	// Resliced, not copied: the dropped head is left behind at the next growth.
	clear(l.blocks[:at.b])
	l.blocks = l.blocks[at.b:]
	if len(l.blocks) > 0 && len(l.blocks[0]) == 0 {
		l.blocks = l.blocks[1:]
	}
}

// timeHeap is a binary heap of reports by (time, key), the earliest on top.
// A report that leaves the window otherwise than by eviction stays in it
// until it comes to the top; adding costs O(log n) wherever in time the
// report falls.
type timeHeap []*held

func earlier(a, b *held) bool { return a.at < b.at || (a.at == b.at && a.Key < b.Key) }

func (h *timeHeap) push(e *held) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		up := (i - 1) / 2
		if !earlier(s[i], s[up]) {
			break
		}
		s[i], s[up] = s[up], s[i]
		i = up
	}
}

func (h *timeHeap) pop() *held {
	s := *h
	top, last := s[0], len(s)-1
	s[0] = s[last]
	s[last] = nil // let it go
	s = s[:last]
	for i := 0; ; {
		least, l, r := i, 2*i+1, 2*i+2
		if l < len(s) && earlier(s[l], s[least]) {
			least = l
		}
		if r < len(s) && earlier(s[r], s[least]) {
			least = r
		}
		if least == i {
			break
		}
		s[i], s[least] = s[least], s[i]
		i = least
	}
	*h = s
	return top
}
