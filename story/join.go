package story

import (
	"slices"
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
	// things are the listed things its terms name, as index keys
	// (thingKey): a rewrite that names Ghana as "ghanéen" is found by
	// them.
	things []string
	named  uint64   // bit i: terms[i] names a thing (i < 64; thingKey past them)
	m      *Matcher // the matcher of its window: the publisher suffixes norm was made without, the common-words table
	h      atomic.Pointer[Headline]
	at     int64 // Time in Unix nanoseconds, the index's order
	slot   int32 // its counter in a Match's scratch, unique among the reports the window holds
	// pre are the words and terms' forms its terms were found with, kept
	// for its headline by the Match that prepared it (the new report's
	// headline is made in that Match when it has a candidate); nil for a
	// report of the window, which does not keep them.
	pre *split
}

// headline is e's whole headline (Prepare's), made when first asked for:
// most reports of a window are never compared with another one, and the
// rest of a headline (trigrams, numbers, names) costs what finding its
// terms does, and stays in memory for as long as the report. Safe for
// concurrent callers: one of two made at once is kept. Its words are
// weighed by the common-words table for e's language once (tableW).
func (e *held) headline() *Headline {
	if h := e.h.Load(); h != nil {
		return h
	}
	h := prepareNormalized(e.Title, e.norm, e.terms, e.pre, e.m.publishers)
	h.tableW = make([]float64, len(h.terms))
	for i, t := range h.terms {
		h.tableW[i] = weightOf(e.m.common.df(e.Language, t))
	}
	e.h.CompareAndSwap(nil, h)
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
// decision calls the two headlines one story (words weighed by w; the
// threshold raised for the time between them, DecideApart), and r
// contradicts no other report of the contender's story (so that two
// look-alikes are not chained into one story through a third; its words
// weighed by sw). cs are in the order to try them. The decision returned
// is explained in full (Shared, OnlyA, OnlyB, Reason); the others are
// taken without their word lists.
func chooseJoin(r *held, cs []contender, window time.Duration, w *joinWeights, sw Weights, p Params) (int, int, Decision) {
	var buf [32]float64
	for i, c := range cs {
		if !r.mayJoin(c.Report) || c.Language != r.Language {
			continue
		}
		if d := c.Time.Sub(r.Time); d < -window || d > window {
			continue
		}
		rh, ch := r.headline(), c.headline()
		rw, cw := w.ofNew(r), w.of(r, ch, buf[:0])
		apart := apartIn(c.Time.Sub(r.Time), window)
		if d := decide(rh, ch, rw, cw, p, apart, false); d.Same && fits(r, c) && !strays(r, c, sw, p) {
			return i, i + 1, decide(rh, ch, rw, cw, p, apart, true)
		}
	}
	return -1, len(cs), Decision{}
}

// joinWeights weigh the words of a join's decisions as WindowWeights
// whose DocFreq is the new report's window counts (Match's) would: the new
// report's words once, a contender's from its headline's table weights
// (tableW) but for the words the new report has.
type joinWeights struct {
	lang   string
	common *commonTerms // nil: the shipped table
	df     []int        // the window counts of the new report's terms, in order (nil: none)
	own    []float64    // the new report's terms' weights, once made (ofNew)
	made   bool
}

// ofNew is the weights of r's terms (r: the new report).
func (w *joinWeights) ofNew(r *held) []float64 {
	if w.made {
		return w.own
	}
	w.own, w.made = w.own[:0], true
	for i, t := range r.terms {
		df := w.common.df(w.lang, t)
		if i < len(w.df) {
			df = max(df, w.df[i])
		}
		w.own = append(w.own, weightOf(df))
	}
	return w.own
}

// of appends to dst the weights of h's terms (h: a contender's headline,
// r: the new report).
func (w *joinWeights) of(r *held, h *Headline, dst []float64) []float64 {
	own := w.ofNew(r)
	rsig := r.headline().sig.term // r's terms' bits: most of h's terms are not r's, and need no search
	for j, t := range h.terms {
		i := -1
		if rsig.has(h.forms[j].bits.term) {
			i = slices.Index(r.terms, t)
		}
		switch {
		case i >= 0:
			dst = append(dst, own[i])
		case h.tableW != nil:
			dst = append(dst, h.tableW[j])
		default:
			dst = append(dst, weightOf(w.common.df(w.lang, t)))
		}
	}
	return dst
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
