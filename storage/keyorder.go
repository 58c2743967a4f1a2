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
	var groups []tableOps // one a table of the run, reused
	start := 0
	for i := 0; i <= len(ops); i++ {
		if i < len(ops) && !ops[i].Prefix {
			continue
		}
		// The run's ops are grouped by table (a batch writes a few tables),
		// then each table's sorted by key alone: cheaper comparisons on
		// fewer ops than one sort by table and key.
		groups = groups[:0]
		for j := start; j < i; j++ {
			g := slices.IndexFunc(groups, func(g tableOps) bool { return g.table == ops[j].Table })
			if g < 0 {
				groups = append(groups, tableOps{table: ops[j].Table})
				g = len(groups) - 1
			}
			groups[g].ops = append(groups[g].ops, keyedOp{key: ops[j].Key, i: j})
		}
		slices.SortFunc(groups, func(a, b tableOps) int { return cmp.Compare(a.table, b.table) })
		for _, g := range groups {
			// Sorted by position on ties rather than stably: a stable sort
			// of 700,000 ops (one huge poll) took seconds of swaps,
			// unstoppable by a shutdown.
			slices.SortFunc(g.ops, func(a, b keyedOp) int { return cmp.Or(bytes.Compare(a.key, b.key), cmp.Compare(a.i, b.i)) })
			for _, k := range g.ops {
				out = append(out, ops[k.i])
			}
		}
		if i < len(ops) {
			out = append(out, ops[i])
		}
		start = i + 1
	}
	return out
}

// tableOps are one table's ops of a run, by key and position.
type tableOps struct {
	table string
	ops   []keyedOp
}

// keyedOp is an op's key and its position in the batch.
type keyedOp struct {
	key []byte
	i   int
}
