package story

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Report is what the story window needs of a stored report.
type Report struct {
	Key, Source, Language, Title string
	// Story is the id of the story the report is in, "" when none.
	Story string
	Time  time.Time
	// Split: an editor took it out of its story; it never joins one again.
	Split bool
}

// Join is the story a new report joins.
type Join struct {
	// Match is the key of the report of the window it was found alike.
	Match string
	// Story is Match's story id; "" when Match is in no story yet: the
	// caller then makes a new story whose id is Match's key.
	Story string
	// Examined is how many candidates were compared in full (diagnostics).
	Examined int
	// Decision is the decision on Match, with its parts.
	Decision Decision
}

// Window is an in-memory index of the reports of the story window: per
// language, term → postings in time order; per key the report with its
// headline prepared once; per story id its reports. Choosing the story a new
// report joins reads it alone, no disk. Safe for one writer (Add, Remove,
// SetStory, Evict) and concurrent readers (Match, DocFreq, Len).
type Window struct {
	m       *Matcher
	mu      sync.RWMutex
	terms   map[string]map[string]*postingList // language → term → postings by (time, slot)
	reports map[string]*held
	byTime  timeHeap           // the reports by (time, key), earliest on top, for eviction
	stories map[string][]*held // story id → its reports the window holds
	scratch sync.Pool          // *matchScratch, so that a Match allocates nothing in proportion to the window
	slots   int32              // slots given to reports so far (the scratch's size)
	free    []int32            // slots of reports that left the window, to give again
	bySlot  []*held            // the report holding each slot (nil: free), which a posting names
	// matched is the report the last Match prepared: the writer adds the
	// report it just matched, and preparing a headline costs more than
	// the rest of Match and Add together.
	matched atomic.Pointer[held]
}

// NewWindow returns an empty window deciding with m.
func (m *Matcher) NewWindow() *Window {
	return &Window{
		m:       m,
		terms:   map[string]map[string]*postingList{},
		reports: map[string]*held{},
		stories: map[string][]*held{},
		scratch: sync.Pool{New: func() any { return newMatchScratch() }},
	}
}

// prepare is a report as the window holds it, its terms found (what
// Prepare finds first: the same normalised title, the same terms).
func (w *Window) prepare(r Report) *held {
	e, _ := w.prepareSplit(r)
	return e
}

// prepareSplit is prepare, and the words and forms its terms were found
// with, which its headline is made of too.
func (w *Window) prepareSplit(r Report) (*held, *split) {
	norm := Normalize(r.Title, w.m.publishers)
	ws := splitWords(norm)
	terms := tokensOf(ws)
	pre := &split{words: ws, forms: formsOf(terms)}
	things, named := thingKeys(pre.forms)
	return &held{Report: r, norm: norm, terms: terms, things: things, named: named, m: w.m, at: r.Time.UnixNano()}, pre
}

// namesThing reports whether e's i-th term names a listed thing.
func (e *held) namesThing(i int) bool {
	if i < 64 {
		return e.named&(1<<i) != 0
	}
	return thingKey(e.terms[i]) != ""
}

// thingKey is the index key of a listed thing a term names ("" when none):
// its kind and id, which no term spells.
func thingKey(term string) string {
	return termWords().get(term).thingKey
}

// thingKeys are the distinct thingKey of the terms whose forms are forms,
// and which terms (of the first 64) name one.
func thingKeys(forms []*termWord) (keys []string, named uint64) {
	for i, w := range forms {
		if k := w.thingKey; k != "" {
			if i < 64 {
				named |= 1 << i
			}
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys, named
}

// keys are e's index keys: its terms and the things they name.
func (e *held) keys() []string {
	if len(e.things) == 0 {
		return e.terms
	}
	return append(e.terms[:len(e.terms):len(e.terms)], e.things...)
}

// prepareAdded is prepare for Add: what the last Match prepared when it was
// for this report's title and language (its words' table weights are the
// language's).
func (w *Window) prepareAdded(r Report) *held {
	if last := w.matched.Swap(nil); last != nil && last.Key == r.Key && last.Title == r.Title && last.Language == r.Language {
		e := &held{Report: r, norm: last.norm, terms: last.terms, things: last.things, named: last.named, m: last.m, at: r.Time.UnixNano()}
		e.h.Store(last.h.Load())
		return e
	}
	return w.prepare(r)
}

// Add puts r in the window, replacing the report held under its key.
func (w *Window) Add(r Report) {
	e := w.prepareAdded(r) // outside the lock: preparing costs more than indexing
	w.mu.Lock()
	defer w.mu.Unlock()
	w.remove(r.Key)
	e.slot = w.takeSlot()
	if int(e.slot) == len(w.bySlot) {
		w.bySlot = append(w.bySlot, nil)
	}
	w.bySlot[e.slot] = e
	w.reports[r.Key] = e
	w.byTime.push(e)
	idx := w.terms[r.Language]
	if idx == nil {
		idx = map[string]*postingList{}
		w.terms[r.Language] = idx
	}
	p := postingOf(e)
	for _, term := range e.keys() {
		list := idx[term]
		if list == nil {
			list = &postingList{}
			idx[term] = list
		}
		list.insert(p)
	}
	if r.Story != "" {
		w.stories[r.Story] = append(w.stories[r.Story], e)
	}
}

// takeSlot is a slot no report in the window has.
func (w *Window) takeSlot() int32 {
	if n := len(w.free); n > 0 {
		s := w.free[n-1]
		w.free = w.free[:n-1]
		return s
	}
	w.slots++
	return w.slots - 1
}

// Remove takes the report at key out of the window.
func (w *Window) Remove(key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.remove(key)
}

func (w *Window) remove(key string) {
	e, ok := w.reports[key]
	if !ok {
		return
	}
	delete(w.reports, key) // byTime lets go of e when its time comes
	w.free, w.bySlot[e.slot] = append(w.free, e.slot), nil
	w.leaveStory(e)
	idx := w.terms[e.Language]
	p := postingOf(e)
	for _, term := range e.keys() {
		if list := idx[term]; list != nil {
			if list.remove(p); list.n == 0 {
				delete(idx, term)
			}
		}
	}
	if len(idx) == 0 {
		delete(w.terms, e.Language)
	}
}

// leaveStory takes e out of its story's reports (not out of the window).
func (w *Window) leaveStory(e *held) {
	if e.Story == "" {
		return
	}
	members := slices.DeleteFunc(w.stories[e.Story], func(m *held) bool { return m == e })
	if len(members) == 0 {
		delete(w.stories, e.Story)
	} else {
		w.stories[e.Story] = members
	}
}

// SetStory records that the report at key is in story ("" : in none). A key
// the window does not hold is ignored.
func (w *Window) SetStory(key, story string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.reports[key]
	if !ok || e.Story == story {
		return
	}
	w.leaveStory(e)
	e.Story = story // readers see held reports only under the lock
	if story != "" {
		w.stories[story] = append(w.stories[story], e)
	}
}

// Evict drops the reports whose Time is before before and returns how many.
// It costs what it drops, not the window's size.
func (w *Window) Evict(before time.Time) int {
	cut := before.UnixNano()
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for len(w.byTime) > 0 && w.byTime[0].at < cut {
		e := w.byTime.pop()
		if w.reports[e.Key] != e {
			continue // removed (or replaced) since it was added
		}
		n++
		delete(w.reports, e.Key)
		w.free, w.bySlot[e.slot] = append(w.free, e.slot), nil
		w.leaveStory(e)
		// Every posting before cut is an evicted report's, and postings are
		// in time order: each list loses a prefix.
		idx := w.terms[e.Language]
		for _, term := range e.keys() {
			if list := idx[term]; list != nil {
				if list.dropBefore(cut); list.n == 0 {
					delete(idx, term)
				}
			}
		}
		if len(idx) == 0 {
			delete(w.terms, e.Language)
		}
	}
	return n
}

// Len is how many reports the window holds.
func (w *Window) Len() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return len(w.reports)
}

// count is how many postings of list (nil: none) lie between from and to
// (Unix nanoseconds, both included), the report self left out (nil: none),
// and their bounds [lo, hi): uncapped, so that Match can tell a term too common.
func count(list *postingList, from, to int64, self *held) (n int, lo, hi pos) {
	if list == nil {
		return 0, pos{}, pos{}
	}
	lo, hi = list.first(from), list.first(to+1)
	n = list.distance(lo, hi)
	if self != nil && n > 0 && self.at >= from && self.at <= to {
		if _, found := list.find(postingOf(self)); found {
			n--
		}
	}
	return n, lo, hi
}

// DocFreq counts, for each term, the reports of language lang indexed under
// it between from and to, leaving out the report at exclude, as Match counts
// them for a new report (capped at maxPosting, where it stops counting).
func (w *Window) DocFreq(lang string, terms []string, from, to time.Time, exclude string) map[string]int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	df := make(map[string]int, len(terms))
	idx := w.terms[lang]
	self := w.reports[exclude]
	for _, term := range terms {
		n, _, _ := count(idx[term], from.UnixNano(), to.UnixNano(), self)
		df[term] = min(n, maxPosting)
	}
	return df
}
