package story

import (
	"cmp"
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
	terms   map[string]map[string][]posting // language → term → postings by (time, key)
	reports map[string]*held
	byTime  []*held            // the reports by (time, key): eviction takes a prefix
	stories map[string][]*held // story id → its reports the window holds
	scratch sync.Pool          // *matchScratch, so that a Match allocates nothing in proportion to the window
	// matched is the report the last Match prepared: the writer adds the
	// report it just matched, and preparing a headline costs more than
	// the rest of Match and Add together.
	matched atomic.Pointer[held]
}

// posting is one report indexed under a term.
type posting struct {
	at  int64
	key string
}

func comparePosting(a, b posting) int {
	if c := cmp.Compare(a.at, b.at); c != 0 {
		return c
	}
	return cmp.Compare(a.key, b.key)
}

func compareHeld(a, b *held) int {
	return comparePosting(posting{a.at, a.Key}, posting{b.at, b.Key})
}

// NewWindow returns an empty window deciding with m.
func (m *Matcher) NewWindow() *Window {
	return &Window{
		m:       m,
		terms:   map[string]map[string][]posting{},
		reports: map[string]*held{},
		stories: map[string][]*held{},
		scratch: sync.Pool{New: func() any { return &matchScratch{shared: map[string]int{}} }},
	}
}

// prepare is a report with its headline, as the window holds it.
func (w *Window) prepare(r Report) *held {
	return &held{Report: r, h: Prepare(r.Title, w.m.publishers), at: r.Time.UnixNano()}
}

// prepareAdded is prepare for Add: the headline the last Match prepared when
// it was for this report's title.
func (w *Window) prepareAdded(r Report) *held {
	if last := w.matched.Swap(nil); last != nil && last.Key == r.Key && last.Title == r.Title {
		return &held{Report: r, h: last.h, at: r.Time.UnixNano()}
	}
	return w.prepare(r)
}

// Add puts r in the window, replacing the report held under its key.
func (w *Window) Add(r Report) {
	e := w.prepareAdded(r) // outside the lock: preparing costs more than indexing
	w.mu.Lock()
	defer w.mu.Unlock()
	w.remove(r.Key)
	w.reports[r.Key] = e
	if n := len(w.byTime); n == 0 || compareHeld(w.byTime[n-1], e) < 0 {
		w.byTime = append(w.byTime, e)
	} else {
		i, _ := slices.BinarySearchFunc(w.byTime, e, compareHeld)
		w.byTime = slices.Insert(w.byTime, i, e)
	}
	idx := w.terms[r.Language]
	if idx == nil {
		idx = map[string][]posting{}
		w.terms[r.Language] = idx
	}
	p := posting{at: e.at, key: r.Key}
	for _, term := range e.h.terms {
		list := idx[term]
		if n := len(list); n == 0 || comparePosting(list[n-1], p) < 0 {
			idx[term] = append(list, p) // reports mostly come in time order
			continue
		}
		i, _ := slices.BinarySearchFunc(list, p, comparePosting)
		idx[term] = slices.Insert(list, i, p)
	}
	if r.Story != "" {
		w.stories[r.Story] = append(w.stories[r.Story], e)
	}
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
	delete(w.reports, key)
	w.leaveStory(e)
	if i, found := slices.BinarySearchFunc(w.byTime, e, compareHeld); found {
		w.byTime = slices.Delete(w.byTime, i, i+1)
	}
	idx := w.terms[e.Language]
	p := posting{at: e.at, key: key}
	for _, term := range e.h.terms {
		list := idx[term]
		if i, found := slices.BinarySearchFunc(list, p, comparePosting); found {
			list = slices.Delete(list, i, i+1)
		}
		if len(list) == 0 {
			delete(idx, term)
		} else {
			idx[term] = list
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
	n, _ := slices.BinarySearchFunc(w.byTime, cut, func(e *held, t int64) int { return cmp.Compare(e.at, t) })
	for _, e := range w.byTime[:n] {
		delete(w.reports, e.Key)
		w.leaveStory(e)
		// Every posting before cut is an evicted report's, and postings are
		// in time order: each list loses a prefix. Resliced, not copied: the
		// list's next growth leaves the dropped head behind.
		idx := w.terms[e.Language]
		for _, term := range e.h.terms {
			list := idx[term]
			i, _ := slices.BinarySearchFunc(list, posting{at: cut}, comparePosting)
			if list = list[i:]; len(list) == 0 {
				delete(idx, term)
			} else {
				idx[term] = list
			}
		}
		if len(idx) == 0 {
			delete(w.terms, e.Language)
		}
	}
	clear(w.byTime[:n]) // let the evicted reports go
	w.byTime = w.byTime[n:]
	return n
}

// Len is how many reports the window holds.
func (w *Window) Len() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return len(w.reports)
}

// span returns the bounds [lo, hi) of the postings between from and to
// (Unix nanoseconds, both included).
func span(list []posting, from, to int64) (int, int) {
	lo, _ := slices.BinarySearchFunc(list, from, func(p posting, t int64) int { return cmp.Compare(p.at, t) })
	hi, _ := slices.BinarySearchFunc(list, to+1, func(p posting, t int64) int { return cmp.Compare(p.at, t) })
	return lo, hi
}

// count is how many postings of list lie between from and to (Unix
// nanoseconds, both included), the report self left out (nil: none), and
// where they start: uncapped, so that Match can tell a term too common.
func count(list []posting, from, to int64, self *held) (n, lo, hi int) {
	lo, hi = span(list, from, to)
	n = hi - lo
	if self != nil && n > 0 && self.at >= from && self.at <= to {
		if _, found := slices.BinarySearchFunc(list[lo:hi], posting{at: self.at, key: self.Key}, comparePosting); found {
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
