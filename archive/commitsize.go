package archive

// How many items one commit takes. A commit's memory is mostly its dirty
// bbolt pages (each page it touches is decoded into a node, ~10 KB), and
// what it costs an item falls with the pages items share: in a small store
// most of a commit's items land on the same few pages of each table, in a
// large one each item dirties its own. So the writer sizes commits by the
// pages they write, not by a fixed count of items: after each commit it
// divides a budget of pages by what an item written cost in that commit
// (BENCHMARKS § 18). A first ingest into an empty store commits ~2,000
// items at once; at a million items stored a commit holds ~200, the
// memory of a fixed 200 then.

// commitPages is the pages a commit may write, ~20 MB of dirty nodes.
const commitPages = 2048

// firstCommitItems is the items the first commit takes, before any commit
// has said what an item costs, and every commit on an engine that counts
// no pages (etcd: its own transactions bound a batch).
const firstCommitItems = 200

// minCommitItems is the fewest items a commit takes (a poll larger than
// the bound is taken whole all the same).
const minCommitItems = 50

// nextCommitItems is the items the commit after one that took last items
// may take, bound being the queue's: commitPages at the pages an item
// written cost (pages for written items), growing at most twice a commit
// so that one cheap commit of few items does not open the door to a costly
// one. A commit that wrote no item says nothing: last stays.
func nextCommitItems(last, bound int, pages int64, written int) int {
	if written <= 0 || pages <= 0 {
		return last
	}
	n := int(commitPages * int64(written) / pages)
	return max(min(n, 2*last, bound), min(minCommitItems, bound))
}
