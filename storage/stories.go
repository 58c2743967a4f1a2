package storage

import (
	"bytes"
	"encoding/binary"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// StoryMatcher decides which items are one story (package story implements
// it); storage only indexes and records what it decides.
type StoryMatcher interface {
	// Prepare fills in it.Norm and it.Terms, the words it is indexed by.
	Prepare(it *news.Item)
	// SameAs returns a test of whether a candidate is a report of it's story;
	// docFreq says how many items of the window carry a term (from the postings).
	SameAs(it *news.Item, docFreq func(term string) int) func(candidate *news.Item) bool
	// Contradicts reports whether two reports cannot be one story whatever
	// else they share (different places, clubs, numbers…).
	Contradicts(a, b *news.Item) bool
	// MinShared is the fewest terms two reports of one story share.
	MinShared() int
	// Window is how far apart in time two reports of one story may be.
	Window() time.Duration
}

// Candidate search limits: a term that more than maxPosting items of the
// window share is too common to tell one story from another (as "المغرب" or
// "Maroc" are) and is not counted, which also bounds the scan; at most
// maxVerify candidates, those sharing the most terms, are compared in full.
const (
	maxPosting = 150
	maxVerify  = 25
)

// storyRecord lists a story's reports, earliest first.
type storyRecord struct {
	Members []storyMember `json:"m"`
}

type storyMember struct {
	Key    string    `json:"k"`
	Source string    `json:"s"`
	Time   time.Time `json:"t"`
}

func storyKey(id string) []byte { return append([]byte("s"), id...) }

// termPrefix is the index prefix of one term in one language: "t" lang 0 term 0.
func termPrefix(lang, term string) []byte {
	b := make([]byte, 0, 3+len(lang)+len(term))
	b = append(b, 't')
	b = append(b, lang...)
	b = append(b, 0)
	b = append(b, term...)
	return append(b, 0)
}

func termKey(lang, term string, t time.Time, key string) []byte {
	return append(termPrefix(lang, term), timeKey(t, key)...)
}

// cluster finds the story a new item belongs to, joins it and indexes the
// item's terms. The item is not yet written; cluster sets its Story and Terms.
func (w writer) cluster(it *news.Item) error {
	it.Story, it.Split = "", false // decided afresh: never trust what the caller left there
	w.matcher.Prepare(it)
	if match := w.findMatch(it); match != nil {
		if err := w.join(match, it); err != nil {
			return err
		}
	}
	for _, term := range it.Terms {
		if err := w.stories.Put(termKey(it.Language, term, it.Time, it.Key), nil); err != nil {
			return err
		}
	}
	return nil
}

// findMatch looks up the items that share terms with it inside the window,
// by index, and returns the first that the matcher calls the same story.
func (w writer) findMatch(it *news.Item) *news.Item {
	win := w.matcher.Window()
	from, to := timeKey(it.Time.Add(-win), ""), it.Time.Add(win).UnixNano()
	shared := map[string]int{}
	df := make(map[string]int, len(it.Terms))
	cur := w.stories.Cursor()
	var posting []string
	for _, term := range it.Terms {
		prefix := termPrefix(it.Language, term)
		posting = posting[:0]
		common := false
		for k, _ := cur.Seek(append(prefix, from...)); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			rest := k[len(prefix):]
			if int64(binary.BigEndian.Uint64(rest[:8])) > to {
				break
			}
			if len(posting) == maxPosting {
				common = true // too common to tell stories apart
				break
			}
			posting = append(posting, string(rest[8:]))
		}
		df[term] = len(posting)
		if common {
			continue
		}
		for _, k := range posting {
			shared[k]++
		}
	}
	need := min(w.matcher.MinShared(), len(it.Terms))
	best := topCandidates(shared, need, it.Key, maxVerify)
	same := w.matcher.SameAs(it, func(term string) int { return df[term] })
	for _, k := range best {
		var cand news.Item
		found, err := getJSON(w.items, []byte(k), &cand)
		if err != nil {
			if w.counts != nil {
				w.counts.Undecodable++ // reported in the poll line; the item is stored without it
			}
			continue
		}
		if !found {
			continue
		}
		if story.MayJoin(it, &cand) && same(&cand) && w.fits(it, &cand) {
			return &cand
		}
	}
	return nil
}

// topCandidates returns up to n keys sharing at least need terms, most
// shared first (ties by key, so the choice is deterministic), without
// sorting every key that shares a word.
func topCandidates(shared map[string]int, need int, self string, n int) []string {
	var top []string
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

// fits reports whether it contradicts no report of cand's story.
func (w writer) fits(it, cand *news.Item) bool {
	if cand.Story == "" {
		return true
	}
	var rec storyRecord
	if _, err := getJSON(w.stories, storyKey(cand.Story), &rec); err != nil {
		return false
	}
	for _, m := range rec.Members {
		if m.Key == cand.Key {
			continue
		}
		var member news.Item
		if found, err := getJSON(w.items, []byte(m.Key), &member); err != nil || !found {
			continue
		}
		if w.matcher.Contradicts(it, &member) {
			return false
		}
	}
	return true
}

// join adds it to match's story, making one if match had none.
func (w writer) join(match, it *news.Item) error {
	var rec storyRecord
	if match.Story == "" {
		match.Story = match.Key
		rec.Members = []storyMember{{Key: match.Key, Source: match.Source, Time: match.Time}}
		if err := putJSON(w.items, []byte(match.Key), match); err != nil {
			return err
		}
	} else if _, err := getJSON(w.stories, storyKey(match.Story), &rec); err != nil {
		return err
	}
	it.Story = match.Story
	rec.Members = append(rec.Members, storyMember{Key: it.Key, Source: it.Source, Time: it.Time})
	sort.SliceStable(rec.Members, func(i, j int) bool { return rec.Members[i].Time.Before(rec.Members[j].Time) })
	return putJSON(w.stories, storyKey(it.Story), rec)
}

// storyReader resolves stories while reading, caching what it loads.
type storyReader struct {
	items, stories *bolt.Bucket
	keep           func(*news.Item) bool
	since          time.Time // reports older than this are outside the read
	proxy          func(source string) bool
	records        map[string]*storyRecord
	members        map[string]*news.Item
}

// show reports whether it is the report its story is shown at — the earliest
// one inside the read (since) that keep passes, an outlet's over a proxy's
// (story.FirstReport) — and fills in the story's other reports.
func (r *storyReader) show(it *news.Item) (bool, error) {
	rec, ok := r.records[it.Story]
	if !ok {
		rec = &storyRecord{}
		if _, err := getJSON(r.stories, storyKey(it.Story), rec); err != nil {
			return false, err
		}
		r.records[it.Story] = rec
	}
	members := make([]*news.Item, 0, len(rec.Members))
	candidates := make([]story.Candidate, 0, len(rec.Members))
	for _, m := range rec.Members {
		member, err := r.member(m.Key)
		if err != nil {
			return false, err
		}
		if member == nil {
			continue
		}
		members = append(members, member)
		candidates = append(candidates, story.Candidate{
			Eligible: !member.Time.Before(r.since) && (r.keep == nil || r.keep(member)),
			Proxy:    r.proxy != nil && r.proxy(member.Source),
		})
	}
	rep := story.FirstReport(candidates)
	if rep >= 0 && members[rep].Key != it.Key {
		return false, nil
	}
	var related []news.Report
	for i, member := range members {
		if i != rep {
			related = append(related, news.Report{Source: member.Source, Link: member.Link, Title: member.Title, Time: member.Time})
		}
	}
	it.Related = related
	return true, nil
}

func (r *storyReader) member(key string) (*news.Item, error) {
	if m, ok := r.members[key]; ok {
		return m, nil
	}
	var it news.Item
	found, err := getJSON(r.items, []byte(key), &it)
	if err != nil {
		return nil, err
	}
	var m *news.Item
	if found {
		m = &it
	}
	r.members[key] = m
	return m, nil
}
