package storage

import (
	"bytes"
	"cmp"
	"slices"
)

// inKeyOrder returns ops in the order the bbolt engine applies them: each
// run of puts and deletes between two prefix deletes sorted by table and
// key, ties in their given order, so that the ops on one key keep their order and a prefix
// delete still comes after what preceded it and before what followed. The
// final state is the same as in the given order; bbolt's cost is not: a
// node that a transaction fills is a slice its puts insert into, and keys
// in order are appended where keys at random move the rest of the slice
// each time (a poll of 100,000 new items spent 90 % of its CPU moving
// them, seen from outside), and a cursor's next seek starts near its last.
// ops is not changed.
func inKeyOrder(ops []Op) []Op {
	out := make([]Op, 0, len(ops))
	idx := make([]int, 0, len(ops))
	start := 0
	for i := 0; i <= len(ops); i++ {
		if i < len(ops) && !ops[i].Prefix {
			continue
		}
		// Sorted by position on ties rather than stably: a stable sort of
		// 700,000 ops (one huge poll) took seconds of swaps, unstoppable by
		// a shutdown.
		idx = idx[:0]
		for j := start; j < i; j++ {
			idx = append(idx, j)
		}
		slices.SortFunc(idx, func(a, b int) int {
			return cmp.Or(cmp.Compare(ops[a].Table, ops[b].Table), bytes.Compare(ops[a].Key, ops[b].Key), cmp.Compare(a, b))
		})
		for _, j := range idx {
			out = append(out, ops[j])
		}
		if i < len(ops) {
			out = append(out, ops[i])
		}
		start = i + 1
	}
	return out
}
