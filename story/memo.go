package story

import (
	"strings"
	"sync"
)

// memo remembers what a pure function of one word gives: a window's
// headlines are written with a few thousand words, each read again in
// every headline that uses it, and stemming, folding and looking a word up
// in the lists cost more than finding it in a map. Bounded by two
// generations: when the current one holds limit words it becomes the old
// one, and a word found only in the old one is brought forward, so the
// words in use stay and a stream of new names cannot grow it past 2×limit.
// Safe for concurrent use: two callers may both make a word, and one is
// kept (of is pure).
type memo[V any] struct {
	mu       sync.RWMutex
	cur, old map[string]V
	limit    int
	of       func(string) V
	// keep, when set, says whether a word's value is small enough to be
	// remembered: a word of a few bytes can normalise to many (NFKC makes
	// 33 of U+FDFA's 3), and such a value is made each time instead.
	keep func(V) bool
}

func newMemo[V any](limit int, of func(string) V) *memo[V] {
	return &memo[V]{cur: make(map[string]V), limit: limit, of: of}
}

// get is of(w), remembered when w is a word's length (memoKeyBytes at
// most): a title of one long run of letters is made each time, not kept.
func (m *memo[V]) get(w string) V {
	if len(w) > memoKeyBytes {
		return m.of(w)
	}
	m.mu.RLock()
	v, ok := m.cur[w]
	old := false
	if !ok {
		v, old = m.old[w]
	}
	m.mu.RUnlock()
	if ok {
		return v
	}
	// The key and what is made of it are cut from a copy: a word is a
	// piece of its headline, which the memo must not keep alive. Made
	// outside the lock: of may read tables whose making reads a memo.
	w = strings.Clone(w)
	if !old {
		if v = m.of(w); m.keep != nil && !m.keep(v) {
			return v
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.cur) >= m.limit {
		m.old, m.cur = m.cur, make(map[string]V, m.limit)
	}
	m.cur[w] = v
	return v
}

// memoWords is how many words a generation of a memo holds: the words in
// use are brought forward from the old one, so a window's vocabulary
// stays. memoKeyBytes is the longest word remembered (a long Arabic word
// is 20 bytes, a long French one 15): a feed of made-up words makes a memo
// hold at most 2 × memoWords words of at most memoKeyBytes, each value of
// a few times that at most (nameWords keeps no more), a few hundred bytes
// an entry: ~12 MB for the three memos at worst
// (TestMemosBoundedByHostileWords).
const (
	memoWords    = 1 << 13
	memoKeyBytes = 32
)

// rawWord is what splitting a headline reads of a word as written: its
// stem, its content form (canonical; "" for a stop word), its stem with a
// one-letter proclitic dropped first, and its stem without a proclitic,
// then stemmed again (the gazetteer's readings).
type rawWord struct {
	stemmed, content, bareStem string
	stemBare, stemBareStem     string // dropProclitic(stemmed), stem of it
}

// rawWords remembers rawWord for each word.
var rawWords = sync.OnceValue(func() *memo[*rawWord] {
	stop := stopwords()
	return newMemo(memoWords, func(w string) *rawWord {
		r := &rawWord{stemmed: stem(w), bareStem: stem(dropProclitic(w))}
		r.stemBare = dropProclitic(r.stemmed)
		r.stemBareStem = stem(r.stemBare)
		if c := canonical(r.stemmed); c != "" && !stop[c] {
			r.content = c
		}
		return r
	})
})

// termWord is what comparing two headlines reads of an index term: its
// light stem, skeleton, verbal key and form without a proclitic, whether it
// is a number, and the listed thing or contrast value it names.
type termWord struct {
	light, skel, verbal, bare, thing, value string
	number                                  bool
	bits                                    termBits
	phraseKeys                              []string // the things of the listed names of several words it is a word of (phraseThing)
	thingKey                                string   // the window's index key of thing ("=" + thing; "" for none), made once
}

// termBits place a term's forms in a headline's signatures (signatures.add): the
// bit of the term, of its form without a proclitic, of its light stem, of
// its skeleton and of its verbal key past the first letter.
type termBits struct {
	term, bare, stem, skel, verb uint8
}

// bitOf is the place of s in a 64-bit signature: FNV-1a's top six bits.
func bitOf(s string) uint8 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return uint8(h >> 58)
}

// termWords remembers termWord for each term.
var termWords = sync.OnceValue(func() *memo[*termWord] {
	g := entityIndex()
	return newMemo(memoWords, func(t string) *termWord {
		w := &termWord{light: lightStem(t), skel: skeleton(t), verbal: verbalKey(t), bare: dropProclitic(t),
			number: isNumber(t), thing: g.wordNames(t)}
		if w.thing == "" {
			w.value = g.wordValue(t)
		} else {
			w.thingKey = "=" + w.thing
		}
		w.phraseKeys = g.phraseKeys(t)
		w.bits = termBits{term: bitOf(t), bare: bitOf(w.bare), stem: bitOf(w.light), skel: bitOf(w.skel)}
		if w.verbal != "" {
			w.bits.verb = bitOf(w.verbal[1:])
		}
		return w
	})
})
