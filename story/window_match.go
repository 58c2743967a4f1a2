package story

import "time"

// matchScratch is what one Match works in, reused across calls.
type matchScratch struct {
	shared  []int32 // per slot of the window's reports: index terms shared with the new report
	touched []int32 // the slots whose shared count is above 0
	enough  []*held // of them, the reports that share enough terms to be candidates
	df      []int   // per term of the new report, its count in the window
	top     []*held
	cs      []contender
	weights joinWeights
	bySlot  []*held // the window's reports by slot, while a Match reads it
}

func newMatchScratch() *matchScratch { return &matchScratch{} }

// count counts the reports of list's postings from lo up to hi.
func (sc *matchScratch) count(list *postingList, lo, hi pos) {
	for bl := range list.span(lo, hi) {
		for _, p := range bl {
			if sc.shared[p.slot]++; sc.shared[p.slot] == 1 {
				sc.touched = append(sc.touched, p.slot)
			}
		}
	}
}

func (sc *matchScratch) sharedBy(e *held) int { return int(sc.shared[e.slot]) }

// Match decides the story a new report r (not yet added) joins: the reports
// of r's language within ±Window() of r.Time that share index terms with it
// are ranked by how many they share (a term more than maxPosting of them
// carry counts for none; at least min(MinShared, terms) shared; the
// maxVerify best, ties by key), and the first that chooseJoin accepts wins.
// Weights come from the window: a term's document frequency is its postings
// in ±Window(), r left out, capped at maxPosting. false when r joins none;
// the Join then still says how many candidates were examined.
func (w *Window) Match(r Report) (Join, bool) {
	rh, pre := w.prepareSplit(r)
	rh.pre = pre // for its headline; Add copies what it holds, not these
	w.matched.Store(rh)
	sc := w.scratch.Get().(*matchScratch)
	defer func() {
		for _, slot := range sc.touched {
			sc.shared[slot] = 0
		}
		clear(sc.enough) // drop the pointers into the window
		clear(sc.top)
		clear(sc.cs)
		sc.touched, sc.enough, sc.cs, sc.top = sc.touched[:0], sc.enough[:0], sc.cs[:0], sc.top[:0]
		sc.weights.df, sc.bySlot = nil, nil
		w.scratch.Put(sc)
	}()

	w.mu.RLock()
	defer w.mu.RUnlock()
	sc.bySlot = w.bySlot
	if n := int(w.slots); len(sc.shared) < n {
		sc.shared = append(sc.shared, make([]int32, n-len(sc.shared))...)
	}
	win := w.m.window
	from, to := r.Time.Add(-win).UnixNano(), r.Time.Add(win).UnixNano()
	idx := w.terms[r.Language]
	self := w.reports[r.Key] // r itself, when the window already holds it
	terms := rh.terms
	sc.df = sc.df[:0]
	for i, term := range terms {
		list := idx[term]
		n, lo, hi := count(list, from, to, self)
		sc.df = append(sc.df, min(n, maxPosting))
		if n > maxPosting || n == 0 || len(rh.things) > 0 && rh.namesThing(i) {
			continue // too common to tell stories apart, in no report, or counted by the thing it names
		}
		sc.count(list, lo, hi)
	}
	// A listed thing is counted once, whichever of its names each report
	// writes (Ghana, ghanéen).
	for _, key := range rh.things {
		list := idx[key]
		if n, lo, hi := count(list, from, to, self); n > 0 && n <= maxPosting {
			sc.count(list, lo, hi)
		}
	}
	need := min(minShared, len(terms))
	// Most reports touched share one term: only those that share enough
	// are read (a report's fields are a cache miss away, its count is not).
	for _, slot := range sc.touched {
		if int(sc.shared[slot]) >= need {
			sc.enough = append(sc.enough, sc.bySlot[slot])
		}
	}
	sc.top = topCandidates(sc.enough, sc.sharedBy, need, r.Key, maxVerify, sc.top)
	for _, c := range sc.top {
		var members []*held
		if c.Story != "" {
			members = w.stories[c.Story]
		}
		sc.cs = append(sc.cs, contender{held: c, shared: sc.sharedBy(c), members: members})
	}
	sc.weights = joinWeights{lang: r.Language, common: w.m.common, df: sc.df, own: sc.weights.own[:0]}
	// A story's words are weighed by the window whoever carries them: which
	// of them are rare says what the story is about (Stray).
	storyWeights := WindowWeights{Lang: r.Language, common: w.m.common, DocFreq: func(term string) int {
		n, _, _ := count(idx[term], from, to, self)
		return min(n, maxPosting)
	}}
	i, examined, d := chooseJoin(rh, sc.cs, win, &sc.weights, storyWeights, w.m.params)
	if i < 0 {
		return Join{Examined: examined}, false
	}
	c := sc.cs[i]
	return Join{Match: c.Key, Story: c.Story, Examined: examined, Decision: d}, true
}

// Window is how far apart in time two reports of one story may be.
func (w *Window) Window() time.Duration { return w.m.window }
