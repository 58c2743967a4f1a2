package archive

// How many items one commit takes. A commit's memory is mostly its dirty
// bbolt pages (each page it touches is decoded into a node, ~10 KB), and
// what it costs an item falls with the pages items share: in a small store
// most of a commit's items land on the same few pages of each table, in a
// large one each dirties its own (~13 at a million items). So the writer
// sizes commits by the pages they write: after each commit it divides a
// budget of pages by what an item written cost in that commit, never below
// the 200 items every commit took before (BENCHMARKS § 18). Measured from
// outside, a first ingest commits 2,000 items while the store holds fewer
// than ~10,000, ~450 at 50,000 and ~350 at 100,000.

// commitPages is the pages a commit may write, ~20 MB of dirty nodes.
const commitPages = 2048

// firstCommitItems is the items the first commit takes, before any commit
// has said what an item costs, the fewest any commit takes (a poll larger
// is taken whole all the same), and what every commit takes on an engine
// that counts no pages (etcd: its own transactions bound a batch).
const firstCommitItems = 200

// nextCommitItems is the items the next commit may take after one that
// took committed items, bound being the queue's: commitPages at the pages
// an item written cost (pages for written items), at most twice what this
// commit took (a poll's worth, firstCommitItems, when it took fewer) so that
// cheap commits of few items do not open the door to a costly one, and
// never below firstCommitItems. A commit that wrote no item says nothing:
// last, the bound it was taken under, stays.
func nextCommitItems(last, committed, bound int, pages int64, written int) int {
	if written <= 0 || pages <= 0 {
		return last
	}
	n := int(commitPages * int64(written) / pages)
	return max(min(n, 2*max(committed, firstCommitItems), bound), min(firstCommitItems, bound))
}
