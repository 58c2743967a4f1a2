package story

import (
	"sort"
	"time"
)

// The join decision: which report of the window a new report joins. These
// functions need no index: the Window finds the reports that share words
// with the new one and feeds them here.

// Candidate search limits: a term that more than maxPosting reports of the
// window share is too common to tell one story from another (as "المغرب" or
// "Maroc" are) and is not counted, which also bounds the scan; at most
// maxVerify candidates, those sharing the most terms, are compared in full.
const (
	maxPosting = 150
	maxVerify  = 25
)

// held is a report with its headline prepared once, as the window holds it.
type held struct {
	Report
	h  *Headline
	at int64 // Time in Unix nanoseconds, the index's order
}

// contender is a report of the window that shares index terms with a new one.
type contender struct {
	*held
	shared int // index terms shared with the new report
	// members are the reports of its story the window holds (itself among
	// them); nil when it is in no story.
	members []*held
}

// mayJoin is MayJoin on reports: another outlet's report, and neither of
// them split out by an editor.
func (r Report) mayJoin(cand Report) bool {
	return cand.Source != r.Source && cand.Key != r.Key && !r.Split && !cand.Split
}

// chooseJoin returns the index of the first contender that r joins, -1 when
// none does, and how many contenders it examined. A contender is joined
// when r may join it (MayJoin), they are one language inside the window, the
// decision calls the two headlines one story (weights w), and r contradicts no
// other report of the contender's story (so that two look-alikes are not
// chained into one story through a third). cs are in the order to try them.
func chooseJoin(r *held, cs []contender, window time.Duration, w, sw Weights, p Params) (int, int, Decision) {
	for i, c := range cs {
		if !r.mayJoin(c.Report) || c.Language != r.Language {
			continue
		}
		if d := c.Time.Sub(r.Time); d < -window || d > window {
			continue
		}
		if d := Decide(r.h, c.h, w, p); d.Same && fits(r, c) && !strays(r, c, sw, p) {
			return i, i + 1, d
		}
	}
	return -1, len(cs), Decision{}
}

// strayMembers is how many of a story's reports Stray reads: its first,
// which say what it is about, and a bound on the cost of a large story.
const strayMembers = 16

// strays is Stray for a contender: r against the headlines of its story.
func strays(r *held, c contender, w Weights, p Params) bool {
	members := make([]*Headline, 0, min(len(c.members), strayMembers))
	for _, m := range c.members[:min(len(c.members), strayMembers)] {
		members = append(members, m.h)
	}
	core, _ := Stray(r.h, members, w, p)
	return core != ""
}

// fits reports whether r contradicts no report of c's story but c itself.
func fits(r *held, c contender) bool {
	for _, m := range c.members {
		if m.Key != c.Key && Contradict(r.h, m.h) {
			return false
		}
	}
	return true
}

// topCandidates returns up to n keys sharing at least need terms, most
// shared first (ties by key, so the choice is deterministic), self left out,
// without sorting every key that shares a word. top is reused for the result.
func topCandidates(shared map[string]int, need int, self string, n int, top []string) []string {
	top = top[:0]
	better := func(a, b string) bool {
		if shared[a] != shared[b] {
			return shared[a] > shared[b]
		}
		return a < b
	}
	for k, c := range shared {
		if c < need || k == self {
			continue
		}
		if len(top) == n && !better(k, top[n-1]) {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return better(k, top[i]) })
		if len(top) < n {
			top = append(top, "")
		}
		copy(top[i+1:], top[i:])
		top[i] = k
	}
	return top
}
