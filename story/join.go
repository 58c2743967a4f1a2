package story

import (
	"sort"
	"sync/atomic"
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

// held is a report as the window holds it: its title normalised and its
// index terms found once, the rest of its headline prepared the first time
// a decision needs it.
type held struct {
	Report
	norm  string   // the title normalised (Normalize)
	terms []string // its index terms (Tokens of norm)
	pubs  []string // the publisher suffixes norm was made without
	h     atomic.Pointer[Headline]
	at    int64 // Time in Unix nanoseconds, the index's order
	slot  int32 // its counter in a Match's scratch, unique among the reports the window holds
}

// headline is e's whole headline (Prepare's), made when first asked for:
// most reports of a window are never compared with another one, and the
// rest of a headline (trigrams, numbers, names) costs what finding its
// terms does, and stays in memory for as long as the report. Safe for
// concurrent callers: one of two made at once is kept.
func (e *held) headline() *Headline {
	if h := e.h.Load(); h != nil {
		return h
	}
	e.h.CompareAndSwap(nil, prepareNormalized(e.Title, e.norm, e.pubs))
	return e.h.Load()
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
// decision calls the two headlines one story (weights w; the threshold
// raised for the time between them, DecideApart), and r contradicts no
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
		d := DecideApart(r.headline(), c.headline(), w, p, apartIn(c.Time.Sub(r.Time), window))
		if d.Same && fits(r, c) && !strays(r, c, sw, p) {
			return i, i + 1, d
		}
	}
	return -1, len(cs), Decision{}
}

// apartIn is a time between two reports as a part of the window.
func apartIn(d, window time.Duration) float64 {
	if window <= 0 {
		return 0
	}
	return float64(d.Abs()) / float64(window)
}

// strayMembers is how many of a story's reports Stray reads: its first,
// which say what it is about, and a bound on the cost of a large story.
const strayMembers = 16

// strays is Stray for a contender: r against the headlines of its story.
func strays(r *held, c contender, w Weights, p Params) bool {
	members := make([]*Headline, 0, min(len(c.members), strayMembers))
	for _, m := range c.members[:min(len(c.members), strayMembers)] {
		members = append(members, m.headline())
	}
	core, _ := Stray(r.headline(), members, w, p)
	return core != ""
}

// fits reports whether r contradicts no report of c's story but c itself.
func fits(r *held, c contender) bool {
	for _, m := range c.members {
		if m.Key != c.Key && Contradict(r.headline(), m.headline()) {
			return false
		}
	}
	return true
}

// topCandidates returns up to n of the reports touched that share at least
// need terms (shared says how many), most shared first (ties by key, so the
// choice is deterministic), the report keyed self left out, without sorting
// every report that shares a word. top is reused for the result.
func topCandidates(touched []*held, shared func(*held) int, need int, self string, n int, top []*held) []*held {
	top = top[:0]
	better := func(a, b *held) bool {
		if sa, sb := shared(a), shared(b); sa != sb {
			return sa > sb
		}
		return a.Key < b.Key
	}
	for _, e := range touched {
		if shared(e) < need || e.Key == self {
			continue
		}
		if len(top) == n && !better(e, top[n-1]) {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return better(e, top[i]) })
		if len(top) < n {
			top = append(top, nil)
		}
		copy(top[i+1:], top[i:])
		top[i] = e
	}
	return top
}
