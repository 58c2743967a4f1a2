package story

import "time"

// matchScratch is what one Match works in, reused across calls.
type matchScratch struct {
	shared map[string]int // key → index terms shared with the new report
	df     []int          // per term of the new report, its count in the window
	top    []string
	cs     []contender
}

// Match decides the story a new report r (not yet added) joins: the reports
// of r's language within ±Window() of r.Time that share index terms with it
// are ranked by how many they share (a term more than maxPosting of them
// carry counts for none; at least min(MinShared, terms) shared; the
// maxVerify best, ties by key), and the first that chooseJoin accepts wins.
// Weights come from the window: a term's document frequency is its postings
// in ±Window(), r left out, capped at maxPosting. false when r joins none;
// the Join then still says how many candidates were examined.
func (w *Window) Match(r Report) (Join, bool) {
	rh := w.prepare(r)
	w.matched.Store(rh)
	sc := w.scratch.Get().(*matchScratch)
	defer func() {
		clear(sc.shared)
		clear(sc.cs) // drop the pointers into the window
		sc.cs, sc.top = sc.cs[:0], sc.top[:0]
		w.scratch.Put(sc)
	}()

	w.mu.RLock()
	defer w.mu.RUnlock()
	win := w.m.window
	from, to := r.Time.Add(-win).UnixNano(), r.Time.Add(win).UnixNano()
	idx := w.terms[r.Language]
	self := w.reports[r.Key] // r itself, when the window already holds it
	terms := rh.h.terms
	sc.df = sc.df[:0]
	for _, term := range terms {
		list := idx[term]
		n, lo, hi := count(list, from, to, self)
		sc.df = append(sc.df, min(n, maxPosting))
		if n > maxPosting {
			continue // too common to tell stories apart
		}
		for _, p := range list[lo:hi] {
			sc.shared[p.key]++
		}
	}
	need := min(minShared, len(terms))
	sc.top = topCandidates(sc.shared, need, r.Key, maxVerify, sc.top)
	for _, k := range sc.top {
		c := w.reports[k]
		var members []*held
		if c.Story != "" {
			members = w.stories[c.Story]
		}
		sc.cs = append(sc.cs, contender{held: c, shared: sc.shared[k], members: members})
	}
	weights := WindowWeights{Lang: r.Language, common: w.m.common, DocFreq: func(term string) int {
		for i, t := range terms {
			if t == term {
				return sc.df[i]
			}
		}
		return 0 // a candidate's word r lacks: the shipped table alone weighs it
	}}
	// A story's words are weighed by the window whoever carries them: which
	// of them are rare says what the story is about (Stray).
	storyWeights := WindowWeights{Lang: r.Language, common: w.m.common, DocFreq: func(term string) int {
		n, _, _ := count(idx[term], from, to, self)
		return min(n, maxPosting)
	}}
	i, examined, d := chooseJoin(rh, sc.cs, win, weights, storyWeights, w.m.params)
	if i < 0 {
		return Join{Examined: examined}, false
	}
	c := sc.cs[i]
	return Join{Match: c.Key, Story: c.Story, Examined: examined, Decision: d}, true
}

// Window is how far apart in time two reports of one story may be.
func (w *Window) Window() time.Duration { return w.m.window }
